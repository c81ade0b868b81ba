//! The citizen's own mobile number for SMS notifications: confirmed with a six-digit
//! code sent to it by SMS before the SMS switch can be turned on. Codes are valid 15
//! minutes, stored only as a keyed hash, allow 5 tries; at most 3 codes an hour are
//! sent per profile (SMS cost money and could be used to pester a stranger) — reserved
//! in one statement before the SMS is written, so parallel requests cannot send more.
//! Owns `mobile_confirmations`; the confirmed number is stored by [`profiles`].

use rand::Rng;
use sqlx::Row;

use super::{
    accounts,
    audit::{self, AuditEvent},
    outbox,
    profiles::{self, Profile},
    request::Requester,
    sms,
    store::StoreError,
    throttle::{self, Limit, Reservation},
    AppState,
};
use crate::domain::{communication::CommunicationOption, mobile_number::SMS_CODE_LENGTH};

const PURPOSE: &str = "sms-code";
/// How long a code may be used (seconds).
pub const CODE_LIFETIME: i64 = 15 * 60;
/// Tries per code.
pub const TRIES_PER_CODE: i64 = 5;
/// Codes sent per profile and hour.
pub const CODES_PER_HOUR: i64 = 3;

/// At most [`CODES_PER_HOUR`] codes per profile in an hour: the third code sent locks
/// sending for an hour.
const SEND_LIMIT: Limit = Limit { max: CODES_PER_HOUR, window_seconds: 3600, lock_seconds: 3600 };

fn send_key(profile: &Profile) -> String {
    throttle::key("sms-code", &profile.id.to_string())
}

fn hash(state: &AppState, profile: &Profile, mobile: &str, code: &str) -> String {
    state.secret.keyed_hash(PURPOSE, format!("{}:{mobile}:{code}", profile.id).as_bytes())
}

/// Whether `code` is the one whose keyed hash is `stored` (under any accepted key).
fn matches(state: &AppState, profile: &Profile, mobile: &str, code: &str, stored: &str) -> bool {
    state.secret.keyed_hashes(PURPOSE, format!("{}:{mobile}:{code}", profile.id).as_bytes()).iter().any(|h| h == stored)
}

/// Sends a new code to `mobile` (already normalised), replacing any earlier one.
/// `Err(until)` when the hourly limit is reached (audited, nothing sent).
pub async fn send_code(
    state: &AppState,
    profile: &Profile,
    mobile: &str,
    now: i64,
    requester: &Requester,
) -> Result<Result<(), i64>, StoreError> {
    let key = send_key(profile);
    let attempt = match throttle::reserve(&state.db, &key, SEND_LIMIT, now).await? {
        Reservation::Granted(attempt) => attempt,
        Reservation::Refused { until } => {
            audit::record(state.db.pool(), now, Some(profile.account_id), AuditEvent::MobileCodeCapped, requester).await?;
            return Ok(Err(until));
        }
    };
    match write_code(state, profile, mobile, now, requester).await {
        Ok(()) => {
            throttle::spend(&state.db, &attempt, now).await?;
            Ok(Ok(()))
        }
        Err(error) => {
            // Nothing was sent: the reservation goes back.
            throttle::give_back(&state.db, &attempt).await?;
            Err(error)
        }
    }
}

async fn write_code(state: &AppState, profile: &Profile, mobile: &str, now: i64, requester: &Requester) -> Result<(), StoreError> {
    let account = accounts::find_by_id(&state.db, profile.account_id).await?.ok_or(StoreError::Sql(sqlx::Error::RowNotFound))?;
    let code: String = {
        let mut rng = rand::rng();
        (0..SMS_CODE_LENGTH).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
    };
    let text = sms::verification_code(account.language, mobile, &state.settings.portal_name, &code);
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO mobile_confirmations (profile_id, mobile, code_hash, sent_at, expires_at, attempts) \
         VALUES ($1, $2, $3, $4, $5, 0) \
         ON CONFLICT (profile_id) DO UPDATE SET mobile = $2, code_hash = $3, sent_at = $4, expires_at = $5, attempts = 0",
    )
    .bind(profile.id)
    .bind(mobile)
    .bind(hash(state, profile, mobile, &code))
    .bind(now)
    .bind(now + CODE_LIFETIME)
    .execute(&mut *tx)
    .await?;
    outbox::enqueue_sms(&mut tx, &text, now).await?;
    audit::record(&mut *tx, now, Some(profile.account_id), AuditEvent::MobileCodeSent, requester).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// The number a code was sent to and not yet confirmed, if any.
pub async fn pending(state: &AppState, profile: &Profile, now: i64) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT mobile FROM mobile_confirmations WHERE profile_id = $1 AND expires_at > $2 AND attempts < $3")
        .bind(profile.id)
        .bind(now)
        .bind(TRIES_PER_CODE)
        .fetch_optional(state.db.pool())
        .await?;
    row.map(|row| row.try_get("mobile").map_err(StoreError::from)).transpose()
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmRefusal {
    /// No code was sent (or it was used up): request a new one.
    NothingPending,
    /// The code expired: request a new one.
    Expired,
    /// Wrong code; this many tries are left.
    Wrong(i64),
    /// Too many wrong tries: request a new code.
    TriesUsedUp,
}

/// Checks an entered code; on success the number becomes the profile's SMS number.
pub async fn confirm(
    state: &AppState,
    profile: &Profile,
    code: &str,
    now: i64,
    requester: &Requester,
) -> Result<Result<String, ConfirmRefusal>, StoreError> {
    // Counting the try first (one statement) means parallel guesses cannot exceed the limit.
    let row = sqlx::query(
        "UPDATE mobile_confirmations SET attempts = attempts + 1 WHERE profile_id = $1 \
         RETURNING mobile, code_hash, expires_at, attempts",
    )
    .bind(profile.id)
    .fetch_optional(state.db.pool())
    .await?;
    let Some(row) = row else { return Ok(Err(ConfirmRefusal::NothingPending)) };
    let mobile: String = row.try_get("mobile")?;
    let stored: String = row.try_get("code_hash")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let attempts: i64 = row.try_get("attempts")?;
    let refusal = if attempts > TRIES_PER_CODE {
        Some(ConfirmRefusal::TriesUsedUp)
    } else if expires_at <= now {
        Some(ConfirmRefusal::Expired)
    } else if !matches(state, profile, &mobile, code, &stored) {
        Some(if attempts == TRIES_PER_CODE { ConfirmRefusal::TriesUsedUp } else { ConfirmRefusal::Wrong(TRIES_PER_CODE - attempts) })
    } else {
        None
    };
    if let Some(refusal) = refusal {
        audit::record(state.db.pool(), now, Some(profile.account_id), AuditEvent::MobileCodeRejected, requester).await?;
        return Ok(Err(refusal));
    }
    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query("DELETE FROM mobile_confirmations WHERE profile_id = $1 AND code_hash = $2")
        .bind(profile.id)
        .bind(&stored)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() != 1 {
        // A parallel request confirmed it (or a new code replaced it) first.
        return Ok(Err(ConfirmRefusal::NothingPending));
    }
    profiles::set_sms_mobile(&mut tx, profile.id, Some(&mobile), now).await?;
    audit::record(&mut *tx, now, Some(profile.account_id), AuditEvent::MobileConfirmed, requester).await?;
    tx.commit().await?;
    Ok(Ok(mobile))
}

/// Removes the SMS number; SMS notifications are switched off with it (recorded in
/// the history), in one transaction. Returns whether they were on.
pub async fn remove(state: &AppState, profile: &Profile, now: i64, requester: &Requester) -> Result<bool, StoreError> {
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM mobile_confirmations WHERE profile_id = $1").bind(profile.id).execute(&mut *tx).await?;
    profiles::set_sms_mobile(&mut tx, profile.id, None, now).await?;
    let sms_was_on = profiles::write_option(&mut tx, profile, CommunicationOption::SmsNotifications, false, now, requester).await?;
    audit::record(&mut *tx, now, Some(profile.account_id), AuditEvent::MobileRemoved, requester).await?;
    tx.commit().await?;
    Ok(sms_was_on)
}
