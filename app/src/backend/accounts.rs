//! Online accounts ("Konto") and the consents given at registration. Owns the
//! `accounts` and `consents` tables.

use crate::domain::ids::AccountId;
use sqlx::{Any, Row};

use super::store::{Conn, Db, StoreError};
use crate::domain::{email::EmailAddress, language::Language};

/// Version of the terms of use a user accepts today.
pub const TERMS_VERSION: &str = "2026-11-27";
/// Version of the e-mail consent text a user gives today.
pub const EMAIL_CONSENT_VERSION: &str = "2026-11-27";

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Database id.
    pub id: AccountId,
    /// Normalised e-mail address (the user name).
    pub email: String,
    /// PHC string of the Argon2id hash.
    pub password_hash: String,
    /// Language for mails.
    pub language: Language,
    /// Registration time.
    pub created_at: i64,
    /// When the address was confirmed (`None`: not yet).
    pub email_confirmed_at: Option<i64>,
}

/// Kinds of consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentKind {
    /// "Ich habe die Nutzungsbedingungen gelesen und akzeptiere sie."
    TermsOfUse,
    /// "Ich willige ein, dass die E-Mail-Adresse … erhoben und verarbeitet werden darf."
    EmailUse,
}

impl ConsentKind {
    fn as_str(self) -> &'static str {
        match self {
            ConsentKind::TermsOfUse => "terms_of_use",
            ConsentKind::EmailUse => "email_use",
        }
    }

    fn from_str(s: &str) -> Option<ConsentKind> {
        match s {
            "terms_of_use" => Some(ConsentKind::TermsOfUse),
            "email_use" => Some(ConsentKind::EmailUse),
            _ => None,
        }
    }
}

/// A consent as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// Which consent.
    pub kind: ConsentKind,
    /// Version of the text agreed to.
    pub text_version: String,
    /// When it was given.
    pub granted_at: i64,
    /// When it was withdrawn.
    pub withdrawn_at: Option<i64>,
}

const COLUMNS: &str = "id, email, password_hash, language, created_at, email_confirmed_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Account, StoreError> {
    let language: String = row.try_get("language")?;
    Ok(Account {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        language: Language::from_tag(&language).unwrap_or_default(),
        created_at: row.try_get("created_at")?,
        email_confirmed_at: row.try_get("email_confirmed_at")?,
    })
}

/// Creates an unconfirmed account with both consents; `Ok(None)` if the address is
/// already registered (also when a parallel registration won the race).
pub async fn create(
    tx: &mut sqlx::Transaction<'_, Any>,
    email: &EmailAddress,
    password_hash: &str,
    language: Language,
    now: i64,
) -> Result<Option<AccountId>, StoreError> {
    let row = sqlx::query(
        "INSERT INTO accounts (email, password_hash, language, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email.as_str())
    .bind(password_hash)
    .bind(language.tag())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: AccountId = row.try_get("id")?;
    for (kind, version) in [
        (ConsentKind::TermsOfUse, TERMS_VERSION),
        (ConsentKind::EmailUse, EMAIL_CONSENT_VERSION),
    ] {
        sqlx::query(
            "INSERT INTO consents (account_id, kind, text_version, granted_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(kind.as_str())
        .bind(version)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Some(id))
}

/// The account with this address.
pub async fn find_by_email(db: &Db, email: &EmailAddress) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts WHERE email = $1"))
        .bind(email.as_str())
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The account with this id.
pub async fn find_by_id(db: &Db, id: AccountId) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Marks the address confirmed (first confirmation time wins).
pub async fn mark_confirmed(
    tx: &mut sqlx::Transaction<'_, Any>,
    id: AccountId,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET email_confirmed_at = $1 WHERE id = $2 AND email_confirmed_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores a new password hash.
pub async fn set_password_hash<'e, E>(executor: E, id: AccountId, hash: &str, now: i64) -> Result<(), StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(executor)
        .await?;
    Ok(())
}

/// Opens a change of the account's credentials (password, factors, address) or the
/// issue of a link to it, inside the caller's transaction. Bumps `security_version`, which is the transaction's first
/// write: it holds the row (PostgreSQL) or the database's write lock (SQLite) until the
/// transaction ends, so two changes of one account never interleave — "never remove the
/// last second factor" is then decided on what the other change committed. `false` if
/// the account no longer exists.
pub async fn begin_security_change(conn: &mut Conn, id: AccountId) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE accounts SET security_version = security_version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the account to a new (confirmed) address. `Ok(false)` if another account has
/// the address.
pub async fn set_email(conn: &mut Conn, id: AccountId, email: &str, now: i64) -> Result<bool, StoreError> {
    let changed = sqlx::query("UPDATE accounts SET email = $1, email_confirmed_at = $2 WHERE id = $3")
        .bind(email)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await;
    match changed {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// The account's WebAuthn user handle (a random UUID, text form). `fresh` is stored if
/// the account has none yet; a parallel request may have stored another first, so the
/// stored one is returned.
pub async fn webauthn_user_id(db: &Db, id: AccountId, fresh: &str) -> Result<Option<String>, StoreError> {
    sqlx::query("UPDATE accounts SET webauthn_user_id = $1 WHERE id = $2 AND webauthn_user_id IS NULL")
        .bind(fresh)
        .bind(id)
        .execute(db.pool())
        .await?;
    let row = sqlx::query("SELECT webauthn_user_id FROM accounts WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    Ok(match row {
        Some(row) => row.try_get("webauthn_user_id")?,
        None => None,
    })
}

/// The consents of an account, oldest first.
pub async fn consents(db: &Db, account_id: AccountId) -> Result<Vec<Consent>, StoreError> {
    let rows = sqlx::query(
        "SELECT kind, text_version, granted_at, withdrawn_at FROM consents \
         WHERE account_id = $1 ORDER BY id",
    )
    .bind(account_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .filter_map(|row| {
            let kind: String = match row.try_get("kind") {
                Ok(kind) => kind,
                Err(e) => return Some(Err(e.into())),
            };
            let kind = ConsentKind::from_str(&kind)?;
            Some((|| {
                Ok(Consent {
                    kind,
                    text_version: row.try_get("text_version")?,
                    granted_at: row.try_get("granted_at")?,
                    withdrawn_at: row.try_get("withdrawn_at")?,
                })
            })())
        })
        .collect()
}

/// Deletes an account with everything that belongs to it (sessions, tokens, consents).
/// The security log keeps its entries.
pub async fn delete(tx: &mut sqlx::Transaction<'_, Any>, account_id: AccountId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM accounts WHERE id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(())
}
