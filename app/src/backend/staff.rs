//! Staff of the job centres ("Mitarbeitende"): which accounts work for which job
//! centre. A staff member sees only the clients of their own job centre. Owns the
//! `staff_members` table.

use crate::domain::ids::{AccountId, JobCentreId};
use sqlx::Row;

use super::store::{Db, StoreError};

/// A staff member as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// The staff member's online account.
    pub account_id: AccountId,
    /// Their job centre.
    pub job_centre_id: JobCentreId,
    /// Name shown on the desk and signed under letters.
    pub display_name: String,
}

/// The staff record of an account, if it is one.
pub async fn find(db: &Db, account_id: AccountId) -> Result<Option<StaffMember>, StoreError> {
    let row = sqlx::query("SELECT account_id, job_centre_id, display_name FROM staff_members WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| from_row(&row)).transpose()
}

/// Why a staff account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum NewStaffError {
    /// The e-mail address is not valid.
    #[error("invalid e-mail address")]
    InvalidEmail,
    /// The address already has an account.
    #[error("an account with this e-mail address exists")]
    EmailTaken,
    /// No such job centre.
    #[error("no job centre called {0:?}")]
    UnknownJobCentre(String),
    /// Hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(#[from] super::passwords::HashError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new staff account: confirmed address, the given password hash (or an unusable one),
/// and — without a password — a one-time link to set it (valid one hour; afterwards
/// "Zugangsdaten vergessen?" works as for everyone).
pub struct NewStaff {
    /// The account id.
    pub account_id: AccountId,
    /// The token for `/passwort-vergessen/neu?token=…`, if no password was given.
    pub set_password_token: Option<String>,
}

/// Creates a staff account for the job centre called `job_centre`.
pub async fn create_account(
    db: &Db,
    job_centre: &str,
    email: &str,
    display_name: &str,
    password_hash: Option<String>,
    now: i64,
) -> Result<NewStaff, NewStaffError> {
    use super::{accounts, tokens};
    use crate::domain::{email::EmailAddress, language::Language};
    let email = EmailAddress::parse(email).map_err(|_| NewStaffError::InvalidEmail)?;
    let centre = super::job_centres::find_by_name(db, job_centre)
        .await?
        .ok_or_else(|| NewStaffError::UnknownJobCentre(job_centre.to_owned()))?;
    let with_password = password_hash.is_some();
    // Without a password the account gets a random one nobody knows.
    let hash = match password_hash {
        Some(hash) => hash,
        None => format!("!unset:{}", tokens::random_token()),
    };
    let mut tx = db.pool().begin().await.map_err(StoreError::from)?;
    let account_id = accounts::create(&mut tx, &email, &hash, Language::De, now).await?.ok_or(NewStaffError::EmailTaken)?;
    accounts::mark_confirmed(&mut tx, account_id, now).await?;
    sqlx::query("INSERT INTO staff_members (account_id, job_centre_id, display_name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(account_id)
        .bind(centre.id)
        .bind(crate::domain::text::single_line(display_name))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
    let set_password_token = if with_password {
        None
    } else {
        Some(tokens::issue(&mut tx, account_id, tokens::TokenPurpose::ResetPassword, now).await?)
    };
    tx.commit().await.map_err(StoreError::from)?;
    Ok(NewStaff { account_id, set_password_token })
}

/// All staff members with their e-mail addresses, by job centre and name.
pub async fn list(db: &Db) -> Result<Vec<(StaffMember, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.account_id, s.job_centre_id, s.display_name, a.email FROM staff_members s \
         JOIN accounts a ON a.id = s.account_id ORDER BY s.job_centre_id, s.display_name",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|row| Ok((from_row(row)?, row.try_get("email")?))).collect()
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<StaffMember, StoreError> {
    Ok(crate::from_columns!(row, StaffMember { account_id, job_centre_id, display_name }))
}
