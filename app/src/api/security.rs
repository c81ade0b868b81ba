//! The security page ("Sicherheit"): second factors, password, sessions and the
//! security events of the account.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
pub use crate::domain::security::ChangeOutcome;

/// A passkey as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Added (Unix seconds).
    pub created_at: i64,
    /// Last used.
    pub last_used_at: Option<i64>,
}

/// A session as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Id.
    pub id: i64,
    /// Browser and system, e.g. "Firefox, Windows".
    pub device: String,
    /// Source address.
    pub ip: String,
    /// Signed in at.
    pub created_at: i64,
    /// Last activity.
    pub last_seen_at: i64,
    /// The session of this browser.
    pub current: bool,
}

/// A security event as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    /// When.
    pub at: i64,
    /// The kind of event; `None` for a kind this version does not know.
    pub event: Option<crate::domain::audit_event::AuditEvent>,
    /// Source address.
    pub ip: String,
    /// Browser and system.
    pub device: String,
}

/// Everything the security page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecuritySettings {
    /// Passkeys.
    pub passkeys: Vec<PasskeyView>,
    /// When the authenticator app was set up, if it is.
    pub totp_since: Option<i64>,
    /// Unused recovery codes.
    pub recovery_codes: i64,
    /// Sessions.
    pub sessions: Vec<SessionView>,
    /// The last 50 security events.
    pub events: Vec<EventView>,
    /// Changes need a fresh proof of identity first.
    pub needs_reauthentication: bool,
}

/// The security page's data for the signed-in account.
#[server(endpoint = "security/overview")]
pub async fn security_overview() -> Result<SecuritySettings, ApiError> {
    use crate::backend::{audit, mfa, sessions};
    let (state, session) = (super::state()?, super::caller::signed_in()?);
    let (db, account) = (&state.db, session.account_id);
    let passkeys = mfa::passkeys::list(db, account).await.map_err(super::unavailable)?;
    let sessions = sessions::list(db, account).await.map_err(super::unavailable)?;
    let events = audit::for_account(db, account, 50).await.map_err(super::unavailable)?;
    Ok(SecuritySettings {
        passkeys: passkeys.into_iter().map(views::passkey).collect(),
        totp_since: mfa::totp::confirmed_at(db, account).await.map_err(super::unavailable)?,
        recovery_codes: mfa::recovery::remaining(db, account).await.map_err(super::unavailable)?,
        sessions: sessions.into_iter().map(|s| views::session(s, session.id)).collect(),
        events: events.into_iter().map(views::event).collect(),
        needs_reauthentication: !session.recently_verified(state.clock.now()),
    })
}

/// The views of the security page's lists.
#[cfg(feature = "ssr")]
mod views {
    use super::{EventView, PasskeyView, SessionView};
    use crate::{backend, domain::device::describe};

    /// A passkey as listed.
    pub fn passkey(p: backend::mfa::passkeys::PasskeyInfo) -> PasskeyView {
        PasskeyView { id: p.id, name: p.name, created_at: p.created_at, last_used_at: p.last_used_at }
    }

    /// A signed-in device; `current` is the session of this request.
    pub fn session(s: backend::sessions::SessionInfo, current: i64) -> SessionView {
        SessionView { current: s.id == current, id: s.id, device: describe(&s.user_agent), ip: s.ip, created_at: s.created_at, last_seen_at: s.last_seen_at }
    }

    /// A security event.
    pub fn event(e: backend::audit::AuditEntry) -> EventView {
        EventView { at: e.at, event: crate::domain::audit_event::AuditEvent::parse(&e.event), ip: e.ip, device: describe(&e.user_agent) }
    }
}

#[cfg(feature = "ssr")]
async fn apply(form: super::flash_form::FlashForm, change: crate::backend::security::Change) -> Result<ChangeOutcome, ApiError> {
    use crate::backend::security;
    let state = super::state()?;
    let request = super::request();
    let session = super::caller::signed_in()?;
    let outcome = security::apply(&state, &session, change, &request.requester).await.map_err(super::unavailable)?;
    super::flash::remember(form, &outcome).await;
    Ok(outcome)
}

/// Renames a passkey.
#[server(endpoint = "security/rename-passkey")]
pub async fn rename_passkey(id: i64, name: String) -> Result<ChangeOutcome, ApiError> {
    apply(super::flash_form::FlashForm::Security, crate::backend::security::Change::RenamePasskey { id, name }).await
}

/// Removes a passkey (never the last second factor).
#[server(endpoint = "security/remove-passkey")]
pub async fn remove_passkey(id: i64) -> Result<ChangeOutcome, ApiError> {
    apply(super::flash_form::FlashForm::Security, crate::backend::security::Change::RemovePasskey { id }).await
}

/// Removes the authenticator app (never the last second factor).
#[server(endpoint = "security/remove-totp")]
pub async fn remove_totp() -> Result<ChangeOutcome, ApiError> {
    apply(super::flash_form::FlashForm::Security, crate::backend::security::Change::RemoveTotp).await
}

/// Makes new recovery codes; the old ones stop working.
#[server(endpoint = "security/renew-recovery-codes")]
pub async fn renew_recovery_codes() -> Result<ChangeOutcome, ApiError> {
    apply(super::flash_form::FlashForm::Security, crate::backend::security::Change::RenewRecoveryCodes).await
}

/// Changes the password (the current one is required).
#[server(endpoint = "security/change-password")]
pub async fn change_password(current: String, password: String, password_repeat: String) -> Result<ChangeOutcome, ApiError> {
    apply(
        super::flash_form::FlashForm::SecurityPassword,
        crate::backend::security::Change::ChangePassword { current, new: password, repetition: password_repeat },
    )
    .await
}

/// Ends one of the account's other sessions.
#[server(endpoint = "security/end-session")]
pub async fn end_session(id: i64) -> Result<ChangeOutcome, ApiError> {
    apply(super::flash_form::FlashForm::Security, crate::backend::security::Change::EndSession { id }).await
}

/// Ends all sessions except this one.
#[server(endpoint = "security/end-other-sessions")]
pub async fn end_other_sessions() -> Result<ChangeOutcome, ApiError> {
    apply(super::flash_form::FlashForm::Security, crate::backend::security::Change::EndOtherSessions).await
}
