//! Mails that tell an account's owner about its security: a change of the security
//! settings, a temporary lock. Each is written into the outbox inside the transaction
//! of the change it reports, so a notice is never lost and never sent for a change that
//! did not happen (security.md "Sessions": sensitive changes send a notification).

use crate::domain::ids::AccountId;
use crate::domain::audit_event::AuditEvent;

use super::{
    accounts::Account,
    mail::templates,
    outbox,
    store::{Conn, StoreError},
    throttle::{self, Limit, Reservation},
    AppState,
};

/// The page linked from every notice: "Zugangsdaten vergessen?" (to take the account
/// back if the change was not the owner's).
pub fn reset_page(state: &AppState) -> String {
    format!("{}{}", state.settings.public_url, crate::domain::routes::FORGOT_PASSWORD)
}

/// Puts the notice of the security change recorded as `event` into the outbox, inside
/// `conn`'s transaction (nothing for an event that sends no notice).
pub async fn security_change(conn: &mut Conn, state: &AppState, account: &Account, event: AuditEvent, now: i64) -> Result<(), StoreError> {
    if let Some(mail) = templates::security_notice(account.language, &account.email, &state.settings.portal_name, event, &reset_page(state)) {
        outbox::enqueue(conn, &mail, now).await?;
    }
    Ok(())
}

/// Whether the owner of `account_id` is to be told about a lock now: at most once an
/// hour per account, so that an attacker who locks an account again and again cannot
/// flood its owner's mailbox. Call it before opening the transaction (it writes the
/// attempt limits through the pool).
pub async fn lock_notice_due(state: &AppState, account_id: AccountId, now: i64) -> Result<bool, StoreError> {
    let once = Limit { max: 1, window_seconds: 3600, lock_seconds: 3600 };
    match throttle::reserve(&state.db, &throttle::key("lock-notice", &account_id.to_string()), once, now).await? {
        Reservation::Granted(attempt) => {
            throttle::spend(&state.db, &attempt, now).await?;
            Ok(true)
        }
        Reservation::Refused { .. } => Ok(false),
    }
}

/// Puts the notice of a temporary lock (too many failed attempts) into the outbox,
/// inside `conn`'s transaction (after [`lock_notice_due`] said yes).
pub async fn locked(conn: &mut Conn, state: &AppState, account: &Account, now: i64) -> Result<(), StoreError> {
    let minutes = state.settings.throttle.lock_seconds / 60;
    let mail = templates::account_locked(account.language, &account.email, &state.settings.portal_name, minutes, &reset_page(state));
    outbox::enqueue(conn, &mail, now).await?;
    Ok(())
}
