//! One-time links sent by e-mail (address confirmation, password reset, address
//! change): 256-bit random tokens, stored only as SHA-256, single use, expiring,
//! consumed atomically (one conditional `UPDATE`), and voided together when the account
//! changes under them (a newer link of the same kind, a password change or reset, an
//! address change: see [`void`]). Owns the `account_tokens` table.

use crate::domain::ids::AccountId;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Any, Executor, Row};

use super::store::{Conn, Db, StoreError};

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Confirms the e-mail address; valid 24 hours.
    ConfirmEmail,
    /// Sets a new password; valid 1 hour.
    ResetPassword,
    /// Confirms a new e-mail address for an existing account; valid 24 hours.
    ChangeEmail,
}

impl TokenPurpose {
    /// Every purpose.
    pub const ALL: [TokenPurpose; 3] = [TokenPurpose::ConfirmEmail, TokenPurpose::ResetPassword, TokenPurpose::ChangeEmail];

    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::ConfirmEmail => "confirm_email",
            TokenPurpose::ResetPassword => "reset_password",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }

    /// How long a token stays valid, in seconds.
    pub fn lifetime(self) -> i64 {
        match self {
            TokenPurpose::ConfirmEmail | TokenPurpose::ChangeEmail => 24 * 3600,
            TokenPurpose::ResetPassword => 3600,
        }
    }
}

/// Why a token cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// No such token (mistyped or altered link).
    Unknown,
    /// It was already used.
    Used,
    /// It expired.
    Expired,
    /// A later change of the account made it void (a newer link, a password change or
    /// reset, an address change).
    Voided,
}

/// SHA-256 of a token, as stored.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random token (32 bytes, URL-safe base64).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Issues a token for `account_id`, invalidating its earlier unused tokens of the same
/// purpose, and returns the token (only ever sent by e-mail).
pub async fn issue(
    conn: &mut Conn,
    account_id: AccountId,
    purpose: TokenPurpose,
    now: i64,
) -> Result<String, StoreError> {
    insert(conn, account_id, purpose, None, now).await
}

/// Issues a [`TokenPurpose::ChangeEmail`] token that carries the new address.
pub async fn issue_email_change(
    conn: &mut Conn,
    account_id: AccountId,
    new_email: &str,
    now: i64,
) -> Result<String, StoreError> {
    insert(conn, account_id, TokenPurpose::ChangeEmail, Some(new_email), now).await
}

async fn insert(
    conn: &mut Conn,
    account_id: AccountId,
    purpose: TokenPurpose,
    new_email: Option<&str>,
    now: i64,
) -> Result<String, StoreError> {
    void(conn, account_id, &[purpose], now).await?;
    let token = random_token();
    sqlx::query(
        "INSERT INTO account_tokens (account_id, purpose, token_hash, created_at, expires_at, new_email) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(account_id)
    .bind(purpose.as_str())
    .bind(hash_token(&token))
    .bind(now)
    .bind(now + purpose.lifetime())
    .bind(new_email)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// Voids the account's outstanding links of these kinds inside the caller's
/// transaction; returns how many.
pub async fn void(conn: &mut Conn, account_id: AccountId, purposes: &[TokenPurpose], now: i64) -> Result<u64, StoreError> {
    let mut voided = 0;
    for purpose in purposes {
        voided += sqlx::query(
            "UPDATE account_tokens SET voided_at = $1 \
             WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL AND voided_at IS NULL",
        )
        .bind(now)
        .bind(account_id)
        .bind(purpose.as_str())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(voided)
}

/// Uses a token: exactly one of several parallel calls succeeds. Returns the account.
pub async fn consume<'e, E>(
    executor: E,
    token: &str,
    purpose: TokenPurpose,
    now: i64,
) -> Result<Option<AccountId>, StoreError>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE account_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $1 \
         RETURNING account_id",
    )
    .bind(now)
    .bind(hash_token(token))
    .bind(purpose.as_str())
    .fetch_optional(executor)
    .await?;
    Ok(match row {
        Some(row) => Some(row.try_get("account_id")?),
        None => None,
    })
}

/// Uses an e-mail change token (like [`consume`]); returns the account and new address.
pub async fn consume_email_change<'e, E>(executor: E, token: &str, now: i64) -> Result<Option<(AccountId, String)>, StoreError>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "UPDATE account_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $1 \
           AND new_email IS NOT NULL \
         RETURNING account_id, new_email",
    )
    .bind(now)
    .bind(hash_token(token))
    .bind(TokenPurpose::ChangeEmail.as_str())
    .fetch_optional(executor)
    .await?;
    Ok(match row {
        Some(row) => Some((row.try_get("account_id")?, row.try_get("new_email")?)),
        None => None,
    })
}

/// Whether a token could be used now, and if not, why (for a clear message).
pub async fn status(
    db: &Db,
    token: &str,
    purpose: TokenPurpose,
    now: i64,
) -> Result<Result<AccountId, TokenProblem>, StoreError> {
    let row = sqlx::query(
        "SELECT account_id, expires_at, used_at, voided_at FROM account_tokens \
         WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(hash_token(token))
    .bind(purpose.as_str())
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(Err(TokenProblem::Unknown));
    };
    let used_at: Option<i64> = row.try_get("used_at")?;
    let voided_at: Option<i64> = row.try_get("voided_at")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    Ok(if used_at.is_some() {
        Err(TokenProblem::Used)
    } else if voided_at.is_some() {
        Err(TokenProblem::Voided)
    } else if expires_at <= now {
        Err(TokenProblem::Expired)
    } else {
        Ok(row.try_get("account_id")?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 bytes in base64url");
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
        assert_eq!(hash_token(&a), hash_token(&a));
    }
}
