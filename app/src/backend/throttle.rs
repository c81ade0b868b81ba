//! Brute-force protection for sign-in, stored in the database so it holds across
//! server instances. Per account (address) and per source address: after a few
//! failures every further attempt is delayed, growing each time; after more failures
//! the key is locked for a while. Locks always expire; a successful sign-in or a
//! password reset clears the account's counter. Owns the `login_throttle` table.

use std::time::Duration;

use sqlx::Row;

use super::store::{Db, StoreError};

/// The thresholds (configurable for operators and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures before attempts start to be delayed.
    pub delay_after: i64,
    /// Delay for the first delayed attempt; doubles with every further failure.
    pub base_delay: Duration,
    /// Upper bound of the delay.
    pub max_delay: Duration,
    /// Failures of one account before it is locked.
    pub lock_account_after: i64,
    /// Failures from one source address before it is locked.
    pub lock_address_after: i64,
    /// Lock duration in seconds.
    pub lock_seconds: i64,
    /// Failures older than this many seconds are forgotten.
    pub window_seconds: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            delay_after: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(8),
            lock_account_after: 10,
            lock_address_after: 50,
            lock_seconds: 15 * 60,
            window_seconds: 3600,
        }
    }
}

/// Key for an account (by normalised address, so unknown addresses behave alike).
pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

/// Key for a source address.
pub fn address_key(ip: &str) -> String {
    format!("address:{ip}")
}

/// The state of a key before an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyState {
    /// Recent failures.
    pub failures: i64,
    /// Locked until (Unix seconds), if locked now.
    pub locked_until: Option<i64>,
}

/// Reads a key's state at `now`.
pub async fn state(db: &Db, key: &str, now: i64, policy: &ThrottlePolicy) -> Result<KeyState, StoreError> {
    let row = sqlx::query("SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(KeyState::default()) };
    let window_start: i64 = row.try_get("window_start")?;
    let locked_until: Option<i64> = row.try_get("locked_until")?;
    let failures: i64 = if now - window_start > policy.window_seconds { 0 } else { row.try_get("failures")? };
    Ok(KeyState { failures, locked_until: locked_until.filter(|until| *until > now) })
}

/// How long to wait before checking a password after `failures` recent failures.
pub fn delay_for(failures: i64, policy: &ThrottlePolicy) -> Duration {
    if failures < policy.delay_after {
        return Duration::ZERO;
    }
    let doublings = (failures - policy.delay_after).min(16) as u32;
    policy.base_delay.saturating_mul(1u32 << doublings).min(policy.max_delay)
}

/// Records a failure; returns `true` if this failure locked the key.
pub async fn record_failure(
    db: &Db,
    key: &str,
    lock_after: i64,
    now: i64,
    policy: &ThrottlePolicy,
) -> Result<bool, StoreError> {
    let window_cutoff = now - policy.window_seconds;
    let row = sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END \
         RETURNING failures, locked_until",
    )
    .bind(key)
    .bind(now)
    .bind(window_cutoff)
    .fetch_one(db.pool())
    .await?;
    let failures: i64 = row.try_get("failures")?;
    let locked_until: Option<i64> = row.try_get("locked_until")?;
    let already_locked = locked_until.is_some_and(|until| until > now);
    if failures >= lock_after && !already_locked {
        sqlx::query("UPDATE login_throttle SET locked_until = $1, failures = 0, window_start = $2 WHERE key = $3")
            .bind(now + policy.lock_seconds)
            .bind(now)
            .bind(key)
            .execute(db.pool())
            .await?;
        return Ok(true);
    }
    Ok(false)
}

/// Forgets a key's failures and lock (successful sign-in, password reset).
pub async fn clear(db: &Db, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(db.pool()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let p = ThrottlePolicy::default();
        assert_eq!(delay_for(0, &p), Duration::ZERO);
        assert_eq!(delay_for(2, &p), Duration::ZERO);
        assert_eq!(delay_for(3, &p), Duration::from_secs(1));
        assert_eq!(delay_for(4, &p), Duration::from_secs(2));
        assert_eq!(delay_for(5, &p), Duration::from_secs(4));
        assert_eq!(delay_for(6, &p), Duration::from_secs(8));
        assert_eq!(delay_for(60, &p), Duration::from_secs(8));
    }
}
