//! Development helpers that do not exist in production: the local preview of the
//! e-mails the portal would have sent.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;

/// An e-mail as shown on the preview page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewMail {
    /// Outbox id.
    pub id: i64,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// When it was written (Unix seconds).
    pub created_at: i64,
    /// `smtp`, `preview`, or `None` while pending.
    pub delivered_via: Option<String>,
}

/// The newest 50 e-mails — only in development mode; production answers "not found".
#[server(endpoint = "dev/mails")]
pub async fn preview_mails() -> Result<Vec<PreviewMail>, ApiError> {
    let state = super::state()?;
    if !state.settings.development {
        return Err(ApiError::NotFound);
    }
    let mails = crate::backend::mail::outbox::recent_emails(&state.db, 50).await.map_err(super::unavailable)?;
    Ok(mails
        .into_iter()
        .map(|m| PreviewMail {
            id: m.id,
            to: m.recipient,
            subject: m.subject,
            text: m.body_text,
            created_at: m.created_at,
            delivered_via: m.delivered_via,
        })
        .collect())
}
