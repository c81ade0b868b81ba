//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s — what common
//! authenticator apps support). 160-bit secrets; a code is accepted one step early or
//! late, and a step that was used once is never accepted again. The secrets are stored
//! encrypted ([`ServerSecret::encrypt`], bound to the account): a copy of the database
//! alone does not give anyone the codes. Owns `totp_secrets`.

use crate::domain::ids::AccountId;
use rand::RngCore;
use sqlx::Row;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::backend::{
    secrets::{SecretError, ServerSecret},
    store::{Conn, Db, StoreError},
};

/// Seconds per step.
pub const STEP: i64 = 30;
const DIGITS: usize = 6;

/// A pending or confirmed secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// Base32 secret (as the app gets it).
    pub secret: String,
    /// `otpauth://totp/…` URI for the QR code.
    pub uri: String,
}

/// Result of checking a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Correct and not used before.
    Valid,
    /// Wrong (or no app set up).
    Invalid,
    /// Correct, but this time step was already used.
    Replayed,
}

fn totp(secret_base32: &str, issuer: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    // Account names must not contain ':'; addresses never do.
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP as u64, bytes, Some(issuer.replace(':', " ")), account.replace(':', " ")).ok()
}

/// The secret in groups of four for typing it in by hand.
pub fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// The code for `time` (tests, and the authenticator-app side of the checks).
pub fn code_at(secret_base32: &str, time: i64) -> Option<String> {
    totp(secret_base32, "x", "x").map(|t| t.generate(time.max(0) as u64))
}

const PURPOSE: &str = "totp-secret";

fn context(account_id: AccountId) -> String {
    format!("account:{account_id}")
}

/// The base32 secret from its stored form. Undecryptable rows (altered, or a key that is
/// no longer configured) are logged and count as no secret.
fn open(keys: &ServerSecret, account_id: AccountId, stored: &str) -> Option<String> {
    match keys.decrypt(PURPOSE, &context(account_id), stored) {
        Ok(bytes) => String::from_utf8(bytes).ok(),
        Err(error) => {
            tracing::error!(%account_id, %error, "authenticator-app secret unreadable");
            None
        }
    }
}

/// Starts (or restarts) setting up an app: a new pending secret, kept (encrypted) until
/// confirmed.
pub async fn begin(db: &Db, keys: &ServerSecret, account_id: AccountId, issuer: &str, account: &str, now: i64) -> Result<Enrolment, StoreError> {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    let secret = match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => String::new(),
    };
    sqlx::query("DELETE FROM totp_secrets WHERE account_id = $1 AND confirmed_at IS NULL")
        .bind(account_id)
        .execute(db.pool())
        .await?;
    sqlx::query("INSERT INTO totp_secrets (account_id, secret, created_at) VALUES ($1, $2, $3)")
        .bind(account_id)
        .bind(keys.encrypt(PURPOSE, &context(account_id), secret.as_bytes()))
        .bind(now)
        .execute(db.pool())
        .await?;
    let uri = totp(&secret, issuer, account).map(|t| t.get_url()).unwrap_or_default();
    Ok(Enrolment { secret, uri })
}

/// The pending secret if one was made in the last 30 minutes (so a reload or a form
/// sent without JavaScript shows the same QR code), else a new one.
pub async fn pending_or_begin(db: &Db, keys: &ServerSecret, account_id: AccountId, issuer: &str, account: &str, now: i64) -> Result<Enrolment, StoreError> {
    let row = sqlx::query(
        "SELECT secret FROM totp_secrets WHERE account_id = $1 AND confirmed_at IS NULL AND created_at > $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(now - 30 * 60)
    .fetch_optional(db.pool())
    .await?;
    let pending = match row {
        Some(row) => open(keys, account_id, &row.try_get::<String, _>("secret")?),
        None => None,
    };
    match pending {
        Some(secret) => {
            let uri = totp(&secret, issuer, account).map(|t| t.get_url()).unwrap_or_default();
            Ok(Enrolment { secret, uri })
        }
        None => begin(db, keys, account_id, issuer, account, now).await,
    }
}

/// The step (0, ±1 around now) whose code equals `code`.
fn matching_step(secret: &str, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let current = now.div_euclid(STEP);
    [current, current - 1, current + 1]
        .into_iter()
        .find(|step| code_at(secret, step * STEP).is_some_and(|expected| expected == code))
}

/// Which of an account's secrets a code is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The newest secret being set up (shown as a QR code, not yet confirmed); [`confirm`]
    /// makes it the account's app.
    Pending,
    /// The confirmed app; [`use_step`] spends the step inside the sign-in's transaction.
    Confirmed,
}

/// The `which` secret's id and the time step whose code is `code` — a read: nothing is
/// confirmed or used yet.
pub async fn find_step(db: &Db, keys: &ServerSecret, account_id: AccountId, which: Which, code: &str, now: i64) -> Result<Option<(i64, i64)>, StoreError> {
    let sql = match which {
        Which::Pending => "SELECT id, secret FROM totp_secrets WHERE account_id = $1 AND confirmed_at IS NULL ORDER BY id DESC LIMIT 1",
        Which::Confirmed => "SELECT id, secret FROM totp_secrets WHERE account_id = $1 AND confirmed_at IS NOT NULL",
    };
    let Some(row) = sqlx::query(sql).bind(account_id).fetch_optional(db.pool()).await? else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    let Some(secret) = open(keys, account_id, &row.try_get::<String, _>("secret")?) else { return Ok(None) };
    Ok(matching_step(&secret, code, now).map(|step| (id, step)))
}

/// Confirms the pending secret `id` (found by [`find_step`]) inside the caller's
/// transaction; it replaces any earlier app. `false` if it is gone (set up twice at once).
pub async fn confirm(conn: &mut Conn, account_id: AccountId, id: i64, step: i64, now: i64) -> Result<bool, StoreError> {
    let confirmed = sqlx::query("UPDATE totp_secrets SET confirmed_at = $1, last_used_step = $2 WHERE id = $3 AND account_id = $4 AND confirmed_at IS NULL")
        .bind(now)
        .bind(step)
        .bind(id)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    if confirmed.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM totp_secrets WHERE account_id = $1 AND id <> $2").bind(account_id).bind(id).execute(&mut *conn).await?;
    Ok(true)
}

/// Uses time step `step` of app `id` inside the caller's transaction: only a step later
/// than every step used before counts (one conditional `UPDATE`, so two parallel uses of
/// one code cannot both succeed). [`Check::Replayed`] if it was used already.
pub async fn use_step(conn: &mut Conn, id: i64, step: i64) -> Result<Check, StoreError> {
    let updated = sqlx::query("UPDATE totp_secrets SET last_used_step = $1 WHERE id = $2 AND last_used_step < $1")
        .bind(step)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(if updated.rows_affected() == 1 { Check::Valid } else { Check::Replayed })
}

/// What [`reencrypt`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reencrypted {
    /// Rows now under the current key (from plaintext or a previous key).
    pub moved: u64,
    /// Rows already under the current key.
    pub current: u64,
    /// Rows that could not be read (unknown key, altered); left as they are.
    pub unreadable: u64,
}

/// Encrypts every secret under the current key: plaintext rows from before encryption
/// (done at every start-up) and rows under a previous key (`server rotate-key`). A row
/// changed meanwhile is left for the next run (conditional `UPDATE`).
pub async fn reencrypt(db: &Db, keys: &ServerSecret) -> Result<Reencrypted, StoreError> {
    let rows = sqlx::query("SELECT id, account_id, secret FROM totp_secrets").fetch_all(db.pool()).await?;
    let mut report = Reencrypted::default();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let account_id: AccountId = row.try_get("account_id")?;
        let stored: String = row.try_get("secret")?;
        if keys.is_current(&stored) {
            report.current += 1;
            continue;
        }
        let plain = if ServerSecret::is_ciphertext(&stored) {
            match keys.decrypt(PURPOSE, &context(account_id), &stored) {
                Ok(bytes) => bytes,
                Err(SecretError::UnknownKey(key)) => {
                    tracing::error!(id, %key, "authenticator-app secret under an unknown key");
                    report.unreadable += 1;
                    continue;
                }
                Err(error) => {
                    tracing::error!(id, %error, "authenticator-app secret unreadable");
                    report.unreadable += 1;
                    continue;
                }
            }
        } else {
            stored.as_bytes().to_vec()
        };
        let sealed = keys.encrypt(PURPOSE, &context(account_id), &plain);
        let done = sqlx::query("UPDATE totp_secrets SET secret = $1 WHERE id = $2 AND secret = $3")
            .bind(sealed)
            .bind(id)
            .bind(&stored)
            .execute(db.pool())
            .await?;
        report.moved += done.rows_affected();
    }
    Ok(report)
}

/// Whether a confirmed app exists.
pub async fn is_enrolled(conn: &mut Conn, account_id: AccountId) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM totp_secrets WHERE account_id = $1 AND confirmed_at IS NOT NULL")
        .bind(account_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// When the confirmed app was set up.
pub async fn confirmed_at(db: &Db, account_id: AccountId) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT confirmed_at FROM totp_secrets WHERE account_id = $1 AND confirmed_at IS NOT NULL")
        .bind(account_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(row) => row.try_get("confirmed_at")?,
        None => None,
    })
}

/// Removes the app inside the caller's transaction (which makes sure another factor
/// remains); `false` if there was none.
pub async fn remove(conn: &mut Conn, account_id: AccountId) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM totp_secrets WHERE account_id = $1 AND confirmed_at IS NOT NULL")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 test secret ("12345678901234567890"), SHA-1, 6 digits.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn rfc_6238_vectors() {
        assert_eq!(code_at(RFC_SECRET, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000).as_deref(), Some("279037"));
    }

    #[test]
    fn one_step_either_side_and_no_further() {
        let now = 1_800_000_000;
        let step = now / STEP;
        let code = |s: i64| code_at(RFC_SECRET, s * STEP).expect("code");
        assert_eq!(matching_step(RFC_SECRET, &code(step), now), Some(step));
        assert_eq!(matching_step(RFC_SECRET, &code(step - 1), now), Some(step - 1));
        assert_eq!(matching_step(RFC_SECRET, &code(step + 1), now), Some(step + 1));
        assert_eq!(matching_step(RFC_SECRET, &code(step - 2), now), None);
        assert_eq!(matching_step(RFC_SECRET, &code(step + 2), now), None);
        assert_eq!(matching_step(RFC_SECRET, "12345", now), None);
        assert_eq!(matching_step(RFC_SECRET, "abcdef", now), None);
    }

    #[test]
    fn secrets_are_grouped_for_reading() {
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
