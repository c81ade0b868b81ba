//! Development helpers that do not exist in production: the local preview of the
//! e-mails and text messages the portal sent or would have sent.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;

/// An e-mail or SMS as shown on the preview page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewMail {
    /// Outbox id.
    pub id: i64,
    /// Recipient.
    pub to: String,
    /// Subject (empty for SMS).
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
    preview(crate::backend::outbox::Channel::Email).await
}

/// The newest 50 text messages — only in development mode.
#[server(endpoint = "dev/sms")]
pub async fn preview_sms() -> Result<Vec<PreviewMail>, ApiError> {
    preview(crate::backend::outbox::Channel::Sms).await
}

#[cfg(feature = "ssr")]
async fn preview(channel: crate::backend::outbox::Channel) -> Result<Vec<PreviewMail>, ApiError> {
    let state = super::state()?;
    if !state.settings.development {
        return Err(ApiError::NotFound);
    }
    let messages = crate::backend::outbox::recent(&state.db, channel, 50).await.map_err(super::unavailable)?;
    Ok(messages
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
