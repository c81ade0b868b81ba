//! The append-only security log: sign-ins, failures, locks, password changes and
//! other events, with time, account, source address and browser. Never holds
//! passwords, codes or tokens. Owns the `audit_log` table.

use crate::domain::ids::AccountId;
use sqlx::{Any, Executor};

use super::{request::Requester, store::StoreError};

pub use crate::domain::audit_event::AuditEvent;

/// One entry of the log as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// Account concerned, if known.
    pub account_id: Option<AccountId>,
    /// Event name.
    pub event: String,
    /// Source address.
    pub ip: String,
    /// Browser.
    pub user_agent: String,
}

/// Appends an event.
pub async fn record<'e, E>(
    executor: E,
    now: i64,
    account_id: Option<AccountId>,
    event: AuditEvent,
    requester: &Requester,
) -> Result<(), StoreError>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (at, account_id, event, ip, user_agent) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now)
    .bind(account_id)
    .bind(event.as_str())
    .bind(&requester.ip)
    .bind(&requester.user_agent)
    .execute(executor)
    .await?;
    Ok(())
}

/// The newest `limit` events of an account, newest first.
pub async fn for_account(
    db: &super::Db,
    account_id: AccountId,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT at, account_id, event, ip, user_agent FROM audit_log \
         WHERE account_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(crate::from_columns!(row, AuditEntry { at, account_id, event, ip, user_agent }))
        })
        .collect()
}
