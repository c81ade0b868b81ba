//! Activation codes ("Freischaltcode"): issued by staff for one client record, handed
//! out by letter, redeemed once by a citizen to link their account to the record.
//!
//! Codes are random (11 characters from the readable alphabet plus a check character,
//! about 53 bits), stored only as HMAC-SHA-256 with the server secret, valid until a
//! date, revocable, and at most one is active per client (issuing revokes the previous
//! one). Redemption is one conditional `UPDATE` inside the transaction that creates the
//! profile, so two parallel requests with one code create exactly one profile. Wrong
//! attempts are limited per account and per source address. Owns `activation_codes`.

use rand::RngCore;
use sqlx::Row;

use super::{
    audit::{self, AuditEvent},
    request::Requester,
    secrets::ServerSecret,
    store::{Db, StoreError},
    throttle::{self, ThrottlePolicy},
};
use crate::domain::activation_code::{ActivationCode, LENGTH};

const PURPOSE: &str = "activation-code";
/// Wrong codes per account within the window before it must wait.
pub const ATTEMPTS_PER_ACCOUNT: i64 = 5;
/// Wrong codes per source address within the window before it must wait.
pub const ATTEMPTS_PER_ADDRESS: i64 = 20;

/// The attempt limit: 5 wrong codes per hour per account (20 per address), then one
/// hour's wait.
pub fn attempt_policy() -> ThrottlePolicy {
    ThrottlePolicy {
        lock_account_after: ATTEMPTS_PER_ACCOUNT,
        lock_address_after: ATTEMPTS_PER_ADDRESS,
        lock_seconds: 3600,
        window_seconds: 3600,
        ..ThrottlePolicy::default()
    }
}

fn hash(secret: &ServerSecret, code: &ActivationCode) -> String {
    secret.sign(PURPOSE, code.as_str().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random code.
pub fn generate() -> ActivationCode {
    let mut bytes = [0u8; LENGTH - 1];
    // 256 is not a multiple of 29: reject the top values so every character is equally likely.
    let mut filled = 0;
    while filled < bytes.len() {
        let mut byte = [0u8; 1];
        rand::rng().fill_bytes(&mut byte);
        if byte[0] < 29 * 8 {
            bytes[filled] = byte[0] % 29;
            filled += 1;
        }
    }
    ActivationCode::from_indices(bytes)
}

/// A newly issued code (shown once, on the letter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The code.
    pub code: ActivationCode,
    /// Valid until (Unix seconds).
    pub valid_until: i64,
}

/// Issues a new code for `client_id` (revoking any active one), valid until
/// `valid_until` (Unix seconds).
pub async fn issue(
    db: &Db,
    secret: &ServerSecret,
    client_id: i64,
    staff_account_id: i64,
    valid_until: i64,
    now: i64,
    requester: &Requester,
) -> Result<Issued, StoreError> {
    let code = generate();
    let mut tx = db.pool().begin().await?;
    sqlx::query("UPDATE activation_codes SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL AND redeemed_at IS NULL")
        .bind(now)
        .bind(client_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO activation_codes (client_id, code_hash, issued_by, issued_at, valid_until) VALUES ($1, $2, $3, $4, $5)")
        .bind(client_id)
        .bind(hash(secret, &code))
        .bind(staff_account_id)
        .bind(now)
        .bind(valid_until)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut *tx, now, Some(staff_account_id), AuditEvent::ActivationCodeIssued, requester).await?;
    tx.commit().await?;
    Ok(Issued { code, valid_until })
}

/// Revokes the active code of `client_id`; `false` if there was none.
pub async fn revoke(db: &Db, client_id: i64, staff_account_id: i64, now: i64, requester: &Requester) -> Result<bool, StoreError> {
    let mut tx = db.pool().begin().await?;
    let done = sqlx::query("UPDATE activation_codes SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL AND redeemed_at IS NULL")
        .bind(now)
        .bind(client_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    if done {
        audit::record(&mut *tx, now, Some(staff_account_id), AuditEvent::ActivationCodeRevoked, requester).await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// The state of a client's newest code, for the staff desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeStatus {
    /// Issued at.
    pub issued_at: i64,
    /// Valid until.
    pub valid_until: i64,
    /// Revoked at.
    pub revoked_at: Option<i64>,
    /// Redeemed at.
    pub redeemed_at: Option<i64>,
}

/// The newest code of `client_id`, if any.
pub async fn latest(db: &Db, client_id: i64) -> Result<Option<CodeStatus>, StoreError> {
    let row = sqlx::query(
        "SELECT issued_at, valid_until, revoked_at, redeemed_at FROM activation_codes WHERE client_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(client_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| {
        Ok(CodeStatus {
            issued_at: row.try_get("issued_at")?,
            valid_until: row.try_get("valid_until")?,
            revoked_at: row.try_get("revoked_at")?,
            redeemed_at: row.try_get("redeemed_at")?,
        })
    })
    .transpose()
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such code (or a typing error that still passed the check character).
    Unknown,
    /// The code's validity ended (at the given time).
    Expired(i64),
    /// The code was already used.
    Used,
    /// The job centre revoked it or issued a newer one.
    Revoked,
    /// Too many wrong codes; try again after the given time.
    Locked(i64),
    /// This account already has a profile.
    AlreadyLinked,
}

/// Redeems `code` for `account_id`: creates the profile and returns its id.
pub async fn redeem(
    db: &Db,
    secret: &ServerSecret,
    account_id: i64,
    code: &ActivationCode,
    now: i64,
    requester: &Requester,
) -> Result<Result<i64, Refusal>, StoreError> {
    let policy = attempt_policy();
    let account_key = format!("code-account:{account_id}");
    let address_key = format!("code-address:{}", requester.ip);
    for key in [&account_key, &address_key] {
        if let Some(until) = throttle::state(db, key, now, &policy).await?.locked_until {
            return Ok(Err(Refusal::Locked(until)));
        }
    }
    if super::profiles::find_for_account(db, account_id).await?.is_some() {
        return Ok(Err(Refusal::AlreadyLinked));
    }
    let code_hash = hash(secret, code);
    let mut tx = db.pool().begin().await?;
    let claimed = sqlx::query(
        "UPDATE activation_codes SET redeemed_at = $1 \
         WHERE code_hash = $2 AND redeemed_at IS NULL AND revoked_at IS NULL AND valid_until > $1 RETURNING client_id",
    )
    .bind(now)
    .bind(&code_hash)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = claimed {
        let client_id: i64 = row.try_get("client_id")?;
        let inserted = sqlx::query("INSERT INTO profiles (account_id, client_id, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(account_id)
            .bind(client_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await;
        return match inserted {
            Ok(row) => {
                let profile_id: i64 = row.try_get("id")?;
                audit::record(&mut *tx, now, Some(account_id), AuditEvent::ActivationCodeRedeemed, requester).await?;
                tx.commit().await?;
                throttle::clear(db, &account_key).await?;
                Ok(Ok(profile_id))
            }
            // The account (or the client) got a profile in the meantime.
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(Err(Refusal::AlreadyLinked)),
            Err(error) => Err(error.into()),
        };
    }
    tx.rollback().await?;
    // Why not: tell the holder of a real letter what to do (guessing a code is hopeless
    // with 29^11 possibilities and the attempt limit, so this helps no attacker).
    let row = sqlx::query("SELECT valid_until, revoked_at, redeemed_at FROM activation_codes WHERE code_hash = $1")
        .bind(&code_hash)
        .fetch_optional(db.pool())
        .await?;
    let refusal = match row {
        None => Refusal::Unknown,
        Some(row) => {
            let valid_until: i64 = row.try_get("valid_until")?;
            let revoked_at: Option<i64> = row.try_get("revoked_at")?;
            let redeemed_at: Option<i64> = row.try_get("redeemed_at")?;
            if redeemed_at.is_some() {
                Refusal::Used
            } else if revoked_at.is_some() {
                Refusal::Revoked
            } else if valid_until <= now {
                Refusal::Expired(valid_until)
            } else {
                Refusal::Unknown
            }
        }
    };
    throttle::record_failure(db, &account_key, policy.lock_account_after, now, &policy).await?;
    throttle::record_failure(db, &address_key, policy.lock_address_after, now, &policy).await?;
    audit::record(db.pool(), now, Some(account_id), AuditEvent::ActivationCodeRejected, requester).await?;
    Ok(Err(refusal))
}
