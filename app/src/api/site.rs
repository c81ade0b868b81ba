//! Public information about the portal: the job centres that take part.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
pub use crate::domain::job_centre::JobCentreContact;

/// Lists the job centres that use the portal, by name.
#[server(endpoint = "site/job-centres")]
pub async fn list_job_centres() -> Result<Vec<JobCentreContact>, ApiError> {
    let state = super::state()?;
    let centres = crate::backend::job_centres::list(&state.db).await.map_err(|e| {
        tracing::error!(error = %e, "listing job centres failed");
        ApiError::Unavailable
    })?;
    Ok(centres.into_iter().map(|c| c.contact).collect())
}

/// The portal's public address and a QR code of it (for opening it on a phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalLink {
    /// The public address, e.g. `https://jobcenter.example.org/`.
    pub url: String,
    /// Inline SVG of the QR code (hidden from screen readers; the page names it).
    pub qr_svg: String,
}

/// The start page's "Auf dem Handy öffnen".
#[server(endpoint = "site/portal-link")]
pub async fn portal_address() -> Result<PortalLink, ApiError> {
    let state = super::state()?;
    Ok(PortalLink { url: state.settings.public_url.clone(), qr_svg: state.settings.public_url_qr.to_string() })
}
