//! Job-centre profiles: the link between a citizen's account and a client record,
//! made by redeeming an activation code, and the profile's communication options with
//! their full history (when each was switched on or off). Owns `profiles`,
//! `communication_options` and `communication_history`.

use crate::domain::ids::{AccountId, ClientId, ProfileId};
use sqlx::Row;

use super::{
    audit::{self, AuditEvent},
    request::Requester,
    store::{Conn, Db, StoreError},
};
use crate::domain::communication::CommunicationOption;

/// A profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Database id.
    pub id: ProfileId,
    /// The citizen's account.
    pub account_id: AccountId,
    /// The client record.
    pub client_id: ClientId,
    /// Activated at.
    pub created_at: i64,
    /// The citizen's confirmed mobile number for SMS, if any.
    pub sms_mobile: Option<String>,
}

/// The profile of `account_id`, if it has one.
pub async fn find_for_account(db: &Db, account_id: AccountId) -> Result<Option<Profile>, StoreError> {
    find_where(db, "account_id", account_id.get()).await
}

/// The profile linked to `client_id`, if any (for the staff desk).
pub async fn find_for_client(db: &Db, client_id: ClientId) -> Result<Option<Profile>, StoreError> {
    find_where(db, "client_id", client_id.get()).await
}

/// When each of `clients` was unlocked (the profile's `created_at`), in one query for a
/// whole list of clients; clients without a profile are missing from the map.
pub async fn unlocked_since(db: &Db, clients: &[ClientId]) -> Result<std::collections::HashMap<ClientId, i64>, StoreError> {
    let select = "SELECT client_id, created_at FROM profiles WHERE client_id IN ({in})";
    let mut out = std::collections::HashMap::with_capacity(clients.len());
    for row in super::store::fetch_in(db, select, clients).await? {
        out.insert(row.try_get::<ClientId, _>("client_id")?, row.try_get::<i64, _>("created_at")?);
    }
    Ok(out)
}

/// The profile whose `column` (a fixed, unique column name) equals `value`.
async fn find_where(db: &Db, column: &'static str, value: i64) -> Result<Option<Profile>, StoreError> {
    let row = sqlx::query(&format!("SELECT id, account_id, client_id, created_at, sms_mobile FROM profiles WHERE {column} = $1"))
        .bind(value)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| from_row(&row)).transpose()
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Profile, StoreError> {
    Ok(crate::from_columns!(row, Profile { id, account_id, client_id, created_at, sms_mobile }))
}

/// Creates the profile that links `account_id` to `client_id`, inside the caller's
/// transaction (the redemption of an activation code). `Ok(None)` if the account or the
/// client record already has a profile (one each).
pub async fn create(conn: &mut Conn, account_id: AccountId, client_id: ClientId, now: i64) -> Result<Option<ProfileId>, StoreError> {
    let row = sqlx::query("INSERT INTO profiles (account_id, client_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id")
        .bind(account_id)
        .bind(client_id)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| row.try_get("id").map_err(StoreError::from)).transpose()
}

/// Sets (or, with `None`, removes) the profile's confirmed mobile number for SMS, inside
/// the caller's transaction.
pub async fn set_sms_mobile(conn: &mut Conn, profile_id: ProfileId, mobile: Option<&str>, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE profiles SET sms_mobile = $1, sms_mobile_confirmed_at = $2 WHERE id = $3")
        .bind(mobile)
        .bind(mobile.map(|_| now))
        .bind(profile_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether each option is on (options never set are off).
pub async fn options(db: &Db, profile_id: ProfileId) -> Result<Vec<(CommunicationOption, bool)>, StoreError> {
    let rows = sqlx::query("SELECT option, enabled FROM communication_options WHERE profile_id = $1")
        .bind(profile_id)
        .fetch_all(db.pool())
        .await?;
    let mut set = Vec::new();
    for row in &rows {
        let name: String = row.try_get("option")?;
        let enabled: i64 = row.try_get("enabled")?;
        if let Some(option) = CommunicationOption::parse(&name) {
            set.push((option, enabled == 1));
        }
    }
    Ok(CommunicationOption::ALL
        .into_iter()
        .map(|option| (option, set.iter().any(|(o, on)| *o == option && *on)))
        .collect())
}

/// One change in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionChange {
    /// Which option.
    pub option: CommunicationOption,
    /// On or off.
    pub enabled: bool,
    /// When.
    pub at: i64,
}

/// Every change of the profile's options, newest first.
pub async fn history(db: &Db, profile_id: ProfileId) -> Result<Vec<OptionChange>, StoreError> {
    let rows = sqlx::query("SELECT option, enabled, at FROM communication_history WHERE profile_id = $1 ORDER BY id DESC")
        .bind(profile_id)
        .fetch_all(db.pool())
        .await?;
    let mut changes = Vec::with_capacity(rows.len());
    for row in &rows {
        let name: String = row.try_get("option")?;
        if let Some(option) = CommunicationOption::parse(&name) {
            changes.push(OptionChange { option, enabled: row.try_get::<i64, _>("enabled")? == 1, at: row.try_get("at")? });
        }
    }
    Ok(changes)
}

/// Switches an option; records the change (history and security log) only if it
/// actually changes. Parallel requests record one change: the switch is one
/// conditional statement, the transaction's first write.
pub async fn set_option(
    db: &Db,
    profile: &Profile,
    option: CommunicationOption,
    enabled: bool,
    now: i64,
    requester: &Requester,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    write_option(&mut tx, profile, option, enabled, now, requester).await?;
    tx.commit().await?;
    Ok(())
}

/// Switches an option inside the caller's transaction and, if that changed it, writes
/// the history entry and the log entry. Returns whether it changed (an option never
/// set counts as off).
pub(super) async fn write_option(
    conn: &mut Conn,
    profile: &Profile,
    option: CommunicationOption,
    enabled: bool,
    now: i64,
    requester: &Requester,
) -> Result<bool, StoreError> {
    let changed = sqlx::query(
        "INSERT INTO communication_options (profile_id, option, enabled, changed_at) \
         SELECT $1, $2, $3, $4 \
         WHERE $3 = 1 OR EXISTS (SELECT 1 FROM communication_options WHERE profile_id = $1 AND option = $2) \
         ON CONFLICT (profile_id, option) DO UPDATE SET enabled = $3, changed_at = $4 \
         WHERE communication_options.enabled <> $3 \
         RETURNING profile_id",
    )
    .bind(profile.id)
    .bind(option.as_str())
    .bind(i64::from(enabled))
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?
    .is_some();
    if !changed {
        return Ok(false);
    }
    sqlx::query("INSERT INTO communication_history (profile_id, option, enabled, at) VALUES ($1, $2, $3, $4)")
        .bind(profile.id)
        .bind(option.as_str())
        .bind(i64::from(enabled))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    audit::record(&mut *conn, now, Some(profile.account_id), AuditEvent::CommunicationOptionChanged, requester).await?;
    Ok(true)
}
