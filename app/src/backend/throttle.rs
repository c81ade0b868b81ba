//! Attempt limits for everything an attacker could repeat: password and code checks,
//! activation codes, SMS codes and mails sent on request. Stored in the database, so
//! they hold across server instances. Owns the `attempt_limits` table.
//!
//! **One atomic step per attempt.** An attempt is *reserved* — counted, or refused when
//! the limit is reached — by one SQL statement *before* the secret is checked
//! ([`reserve`]). However many requests arrive at once, on however many instances, at
//! most `max` of them per window ever get to check a secret: the database serialises
//! the statement on the key's row (SQLite: the write lock; PostgreSQL: the row lock of
//! `INSERT … ON CONFLICT DO UPDATE`, which re-reads the committed row under READ
//! COMMITTED). A right secret gives its own attempt back ([`give_back`]) — and nothing
//! more: erasing the count on success would reopen the limit for the wrong guesses
//! still in flight. A failure (or a mail or SMS sent) keeps its attempt, and the one
//! that uses up the limit locks the key ([`spend`]); the next window starts when the
//! lock ends. So a key checks at most `max` secrets per window-and-lock cycle: with
//! `lock_seconds >= window_seconds`, at most `max` in any window-long span. Only a
//! password reset erases a key ([`clear`]). The growing delay before a check follows
//! the reserved attempt's number, not a count read earlier. Locks always expire (OWASP
//! ASVS 2.2.1: no permanent lock an attacker can trigger).
//!
//! Keys made from what a visitor types are hashed ([`key`]), so they have a fixed
//! length, and rows whose window and lock are over are deleted ([`purge`]).

use crate::domain::ids::AccountId;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::store::{Db, StoreError};

/// How many attempts a key may make: at most `max` per window of `window_seconds`;
/// when the `max`-th attempt is spent, the key is locked for `lock_seconds` (0: no lock —
/// the key waits for the end of its window instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Attempts per window (reserved attempts that were not given back).
    pub max: i64,
    /// Window length in seconds; it starts with the first attempt.
    pub window_seconds: i64,
    /// Lock after the last allowed attempt was spent, in seconds (0: none).
    pub lock_seconds: i64,
}

/// The sign-in thresholds (configurable for operators and tests: `LOGIN_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failed attempts before further attempts are delayed.
    pub delay_after: i64,
    /// Delay for the first delayed attempt; doubles with every further attempt.
    pub base_delay: Duration,
    /// Upper bound of the delay.
    pub max_delay: Duration,
    /// Attempts of one account (password, or second factor) before it is locked.
    pub lock_account_after: i64,
    /// Attempts from one source address before it is locked.
    pub lock_address_after: i64,
    /// Lock duration in seconds.
    pub lock_seconds: i64,
    /// Attempts older than this many seconds are forgotten.
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

impl ThrottlePolicy {
    /// The limit per account (sign-in, second factor, password checks).
    pub fn account_limit(&self) -> Limit {
        Limit { max: self.lock_account_after, window_seconds: self.window_seconds, lock_seconds: self.lock_seconds }
    }

    /// The limit per source address (sign-in).
    pub fn address_limit(&self) -> Limit {
        Limit { max: self.lock_address_after, window_seconds: self.window_seconds, lock_seconds: self.lock_seconds }
    }

    /// How long to wait before checking the secret of attempt number `attempt` (1-based):
    /// nothing for the first `delay_after + 1`, then `base_delay`, doubling, at most
    /// `max_delay`.
    pub fn delay_for(&self, attempt: i64) -> Duration {
        let before = attempt - 1;
        if before < self.delay_after {
            return Duration::ZERO;
        }
        let doublings = (before - self.delay_after).min(16) as u32;
        self.base_delay.saturating_mul(1u32 << doublings).min(self.max_delay)
    }
}

/// A key for `kind` and a value a visitor controls (an address as typed, a source
/// address): `kind:` and the value's SHA-256, so every key has a fixed length (a 1 MB
/// "e-mail address" makes a 70-byte key) and the table holds no address in clear.
pub fn key(kind: &str, value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{hex}")
}

/// Key of an account's password checks (by normalised address, so unknown addresses
/// behave alike).
pub fn account_key(email: &str) -> String {
    key("account", email)
}

/// Key of an account's second-factor attempts (TOTP and recovery codes, at the second
/// step and when confirming identity again).
pub fn second_factor_key(account_id: AccountId) -> String {
    key("second-factor", &account_id.to_string())
}

/// Key of the password checks from a source address.
pub fn address_key(ip: &str) -> String {
    key("address", ip)
}

/// How long a row may stay after its window began, at most (seconds): longer than every
/// window and lock in use (one hour each).
pub const KEEP_SECONDS: i64 = 2 * 3600;

/// Deletes rows whose window began more than [`KEEP_SECONDS`] ago and whose lock (if
/// any) is over; returns how many. Run periodically by the server.
pub async fn purge(db: &Db, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM attempt_limits WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $2)")
        .bind(now - KEEP_SECONDS)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// A reserved attempt: the caller may check one secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The key.
    pub key: String,
    /// This attempt's number in the window (1-based).
    pub number: i64,
    /// The limit it was reserved under.
    pub limit: Limit,
}

/// The answer to a reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Counted: check the secret, then [`spend`], [`give_back`] or [`clear`].
    Granted(Attempt),
    /// The limit is reached: check nothing. Attempts are possible again at `until`
    /// (Unix seconds).
    Refused {
        /// When the lock or window ends.
        until: i64,
    },
}

/// Reserves one attempt of `key` under `limit`, in one statement (see the module
/// documentation). Expired windows and locks start afresh.
pub async fn reserve(db: &Db, key: &str, limit: Limit, now: i64) -> Result<Reservation, StoreError> {
    let cutoff = now - limit.window_seconds;
    // Counted only if not locked and below the limit (or the window/lock has ended, which
    // starts a new window with this attempt as the first). A refused reservation changes
    // nothing and returns no row.
    let row = sqlx::query(
        "INSERT INTO attempt_limits (key, attempts, window_start, locked_until) VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (key) DO UPDATE SET \
           attempts = CASE WHEN attempt_limits.window_start <= $3 OR attempt_limits.locked_until <= $2 \
                           THEN 1 ELSE attempt_limits.attempts + 1 END, \
           window_start = CASE WHEN attempt_limits.window_start <= $3 OR attempt_limits.locked_until <= $2 \
                               THEN $2 ELSE attempt_limits.window_start END, \
           spent = CASE WHEN attempt_limits.window_start <= $3 OR attempt_limits.locked_until <= $2 \
                        THEN 0 ELSE attempt_limits.spent END, \
           locked_until = NULL \
         WHERE (attempt_limits.locked_until IS NULL OR attempt_limits.locked_until <= $2) \
           AND (attempt_limits.window_start <= $3 OR attempt_limits.locked_until <= $2 OR attempt_limits.attempts < $4) \
         RETURNING attempts",
    )
    .bind(key)
    .bind(now)
    .bind(cutoff)
    .bind(limit.max)
    .fetch_optional(db.pool())
    .await?;
    if let Some(row) = row {
        return Ok(Reservation::Granted(Attempt { key: key.to_owned(), number: row.try_get("attempts")?, limit }));
    }
    let row = sqlx::query("SELECT window_start, locked_until FROM attempt_limits WHERE key = $1")
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    let until = match row {
        Some(row) => {
            let locked_until: Option<i64> = row.try_get("locked_until")?;
            let window_start: i64 = row.try_get("window_start")?;
            locked_until.filter(|until| *until > now).unwrap_or(window_start + limit.window_seconds)
        }
        None => now,
    };
    Ok(Reservation::Refused { until: until.max(now) })
}

/// Reserves one attempt of every key, in the given order (put the key with the fewest
/// possible values first — the source address before the account typed by a visitor —
/// so a refused source creates no rows for made-up accounts). If one of them is
/// refused, the others are given back and the latest end is returned.
pub async fn reserve_all(db: &Db, keys: &[(String, Limit)], now: i64) -> Result<Result<Vec<Attempt>, i64>, StoreError> {
    let mut granted = Vec::with_capacity(keys.len());
    for (key, limit) in keys {
        match reserve(db, key, *limit, now).await? {
            Reservation::Granted(attempt) => granted.push(attempt),
            Reservation::Refused { until } => {
                for attempt in &granted {
                    give_back(db, attempt).await?;
                }
                return Ok(Err(until));
            }
        }
    }
    Ok(Ok(granted))
}

/// Keeps a reserved attempt for good: its secret was wrong, or what it asked for was
/// sent (an SMS, a mail). The attempt also counts as *spent*, and the spend that brings
/// the key's spent attempts to the limit locks the key for the limit's lock time, so
/// after `max` wrong secrets the next attempt waits that long (with a lock as long as
/// the window, no burst at a window's edge). Only spent attempts lock: in a burst, many
/// attempts are reserved at once and most are given back, and reservations in flight
/// must not lock a key (they locked a whole office's source address after ten wrong
/// passwords for one account). Returns `true` if this call locked the key (to tell the
/// owner once).
pub async fn spend(db: &Db, attempt: &Attempt, now: i64) -> Result<bool, StoreError> {
    if attempt.limit.lock_seconds == 0 {
        return Ok(false);
    }
    // One statement: the row lock orders the spends of a key, so exactly one of them
    // sees `spent` reach the limit while no lock is on.
    let row = sqlx::query(
        "UPDATE attempt_limits SET spent = spent + 1, \
           locked_until = CASE WHEN spent + 1 >= $4 AND (locked_until IS NULL OR locked_until <= $3) THEN $1 ELSE locked_until END \
         WHERE key = $2 \
         RETURNING spent, locked_until",
    )
    .bind(now + attempt.limit.lock_seconds)
    .bind(&attempt.key)
    .bind(now)
    .bind(attempt.limit.max)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(false) };
    let spent: i64 = row.try_get("spent")?;
    let locked_until: Option<i64> = row.try_get("locked_until")?;
    Ok(spent == attempt.limit.max && locked_until.is_some_and(|until| until > now))
}

/// Gives a reserved attempt back (it succeeded, or it never checked anything). Only this
/// one attempt: the others of the window stay counted.
pub async fn give_back(db: &Db, attempt: &Attempt) -> Result<(), StoreError> {
    sqlx::query("UPDATE attempt_limits SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
        .bind(&attempt.key)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Forgets a key's attempts and lock (a password reset: the owner proved access to the
/// mailbox).
pub async fn clear(db: &Db, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM attempt_limits WHERE key = $1").bind(key).execute(db.pool()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn fresh_db(name: &str) -> Db {
        let dir = std::env::temp_dir().join(format!("portal-throttle-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Db::connect(&format!("sqlite://{}/limits.db", dir.display())).await.expect("db");
        db.migrate().await.expect("migrate");
        db
    }

    async fn burst(db: &Db, key: &str, limit: Limit, n: usize, now: i64) -> Vec<Reservation> {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..n {
            let (db, key) = (db.clone(), key.to_owned());
            set.spawn(async move { reserve(&db, &key, limit, now).await.expect("reserve") });
        }
        set.join_all().await
    }

    fn granted(results: &[Reservation]) -> Vec<i64> {
        let mut numbers: Vec<i64> = results
            .iter()
            .filter_map(|r| match r {
                Reservation::Granted(a) => Some(a.number),
                Reservation::Refused { .. } => None,
            })
            .collect();
        numbers.sort_unstable();
        numbers
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn parallel_reservations_never_exceed_the_limit() {
        let db = fresh_db("parallel").await;
        for (max, n) in [(1, 20), (3, 50), (10, 50), (10, 4), (50, 60)] {
            let key = format!("k:{max}:{n}");
            let limit = Limit { max, window_seconds: 3600, lock_seconds: 60 };
            let results = burst(&db, &key, limit, n, 1_000).await;
            let expected: Vec<i64> = (1..=max.min(n as i64)).collect();
            assert_eq!(granted(&results), expected, "max {max}, {n} at once: each number once, none above the limit");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn failures_lock_successes_give_back_and_everything_expires() {
        let db = fresh_db("cycle").await;
        let limit = Limit { max: 3, window_seconds: 3600, lock_seconds: 900 };
        let key = "account:a@example.org";
        let take = |now: i64| {
            let db = db.clone();
            async move {
                match reserve(&db, key, limit, now).await.expect("reserve") {
                    Reservation::Granted(attempt) => Ok(attempt),
                    Reservation::Refused { until } => Err(until),
                }
            }
        };
        // A success gives its attempt back.
        let first = take(0).await.expect("first");
        give_back(&db, &first).await.expect("give back");
        let again = take(1).await.expect("again");
        assert_eq!(again.number, 1);
        // Three failures: the third locks for 15 minutes.
        assert!(!spend(&db, &again, 1).await.expect("spend"));
        let second = take(2).await.expect("second");
        assert!(!spend(&db, &second, 2).await.expect("spend"));
        let third = take(3).await.expect("third");
        assert_eq!(third.number, 3);
        assert!(spend(&db, &third, 3).await.expect("spend"), "the last allowed failure locks");
        assert!(!spend(&db, &third, 3).await.expect("spend"), "locked once");
        assert_eq!(take(4).await.err(), Some(903));
        // The lock ends by itself and a new window starts.
        assert_eq!(take(903).await.expect("after the lock").number, 1);
        // Without a lock, the window's end frees the key.
        let counted = Limit { max: 1, window_seconds: 3600, lock_seconds: 0 };
        assert!(matches!(reserve(&db, "sms", counted, 10).await.expect("r"), Reservation::Granted(_)));
        assert_eq!(reserve(&db, "sms", counted, 20).await.expect("r"), Reservation::Refused { until: 3610 });
        assert!(matches!(reserve(&db, "sms", counted, 3611).await.expect("r"), Reservation::Granted(_)));
        // Several keys: one refused gives the others back.
        let keys = [("x".to_owned(), limit), ("sms".to_owned(), counted)];
        assert_eq!(reserve_all(&db, &keys, 3612).await.expect("all"), Err(3611 + 3600));
        assert_eq!(take_number(&db, "x", limit, 3613).await, Some(1), "x was given back");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn attempts_given_back_in_flight_do_not_lock() {
        // A burst holds many reservations at once; most are given back (the other key was
        // refused, or the secret was right). The attempt numbered `max` must not lock the
        // key when only one attempt was spent: that locked the source address of a whole
        // office after ten wrong passwords to one account (CI, stop 22).
        let db = fresh_db("in-flight").await;
        let limit = Limit { max: 5, window_seconds: 3600, lock_seconds: 900 };
        let mut held = Vec::new();
        for _ in 0..5 {
            let Reservation::Granted(attempt) = reserve(&db, "address:x", limit, 0).await.expect("reserve") else {
                panic!("refused below the limit")
            };
            held.push(attempt);
        }
        let last = held.pop().expect("five");
        assert_eq!(last.number, 5);
        for attempt in &held {
            give_back(&db, attempt).await.expect("give back");
        }
        assert!(!spend(&db, &last, 1).await.expect("spend"), "one spent attempt does not lock");
        assert_eq!(take_number(&db, "address:x", limit, 2).await, Some(2), "the key stays open");
        // Attempts 3 to 5 are spent while attempt 2 is still in flight: four spent, no lock,
        // although the counter (spent and in flight) is at the limit (CI, stop 23: the
        // race test's second burst found the source address locked).
        for _ in 0..3 {
            let attempt = take_number(&db, "address:x", limit, 3).await.expect("open");
            let spent = Attempt { key: "address:x".into(), number: attempt, limit };
            assert!(!spend(&db, &spent, 3).await.expect("spend"), "attempt {attempt}: four spent at most");
        }
        assert_eq!(take_number(&db, "address:x", limit, 3).await, None, "five reserved: no sixth secret is checked meanwhile");
        // The fifth spent attempt locks the key, once.
        let second = Attempt { key: "address:x".into(), number: 2, limit };
        assert!(spend(&db, &second, 4).await.expect("spend"), "the fifth spent attempt locks");
        let locked_until: Option<i64> = sqlx::query_scalar("SELECT locked_until FROM attempt_limits WHERE key = 'address:x'")
            .fetch_one(db.pool())
            .await
            .expect("row");
        assert_eq!(locked_until, Some(4 + 900));
        // A new window (the lock over) starts with nothing spent.
        assert_eq!(take_number(&db, "address:x", limit, 3601).await, Some(1));
        let first = Attempt { key: "address:x".into(), number: 1, limit };
        assert!(!spend(&db, &first, 3601).await.expect("spend"), "one spent in the new window");
    }

    async fn take_number(db: &Db, key: &str, limit: Limit, now: i64) -> Option<i64> {
        match reserve(db, key, limit, now).await.expect("reserve") {
            Reservation::Granted(a) => Some(a.number),
            Reservation::Refused { .. } => None,
        }
    }

    #[test]
    fn delays_grow_and_are_capped() {
        let p = ThrottlePolicy::default();
        assert_eq!(p.delay_for(1), Duration::ZERO);
        assert_eq!(p.delay_for(3), Duration::ZERO);
        assert_eq!(p.delay_for(4), Duration::from_secs(1));
        assert_eq!(p.delay_for(5), Duration::from_secs(2));
        assert_eq!(p.delay_for(6), Duration::from_secs(4));
        assert_eq!(p.delay_for(7), Duration::from_secs(8));
        assert_eq!(p.delay_for(61), Duration::from_secs(8));
    }
}
