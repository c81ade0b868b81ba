//! Activation codes ("Freischaltcode"): issued by staff for one client record, handed
//! out by letter, redeemed once by a citizen to link their account to the record.
//!
//! Codes are random (11 characters from the readable alphabet plus a check character,
//! about 53 bits), stored only as HMAC-SHA-256 with the server secret, valid until a
//! date, revocable, and at most one is active per client (issuing revokes the previous
//! one). Redemption is one conditional `UPDATE` inside the transaction that creates the
//! profile and gives the session a new id, so two parallel requests with one code
//! create exactly one profile. Attempts are limited per account and per source address,
//! reserved before the code is looked up (see [`super::throttle`]). Owns
//! `activation_codes`.

use crate::domain::ids::{AccountId, ClientId};
use rand::RngCore;
use sqlx::Row;

use super::{
    audit::{self, AuditEvent},
    profiles,
    request::Requester,
    secrets::ServerSecret,
    sessions::{self, Session},
    store::{Db, StoreError},
    throttle::{self, Limit},
    AppState,
};
use crate::domain::activation_code::{ActivationCode, CodeRefusal, LENGTH};

const PURPOSE: &str = "activation-code";
/// Wrong codes per account within the window before it must wait.
pub const ATTEMPTS_PER_ACCOUNT: i64 = 5;
/// Wrong codes per source address within the window before it must wait.
pub const ATTEMPTS_PER_ADDRESS: i64 = 20;

/// The attempt limits (security.md "Tokens and codes"): 5 codes per hour per account
/// and 20 per source address, then one hour's wait. A redeemed code gives its attempt
/// back.
pub fn attempt_limits(account_id: AccountId, requester: &Requester) -> [(String, Limit); 2] {
    [
        (throttle::key("code-address", &requester.limit_source()), Limit { max: ATTEMPTS_PER_ADDRESS, window_seconds: 3600, lock_seconds: 3600 }),
        (throttle::key("code-account", &account_id.to_string()), Limit { max: ATTEMPTS_PER_ACCOUNT, window_seconds: 3600, lock_seconds: 3600 }),
    ]
}

fn hash(secret: &ServerSecret, code: &ActivationCode) -> String {
    secret.keyed_hash(PURPOSE, code.as_str().as_bytes())
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

/// Rounds [`issue`] tries when codes for one client are issued at the same moment.
pub const ISSUE_TRIES: u32 = 30;

/// A newly issued code (shown once, on the letter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The code.
    pub code: ActivationCode,
    /// Valid until (Unix seconds).
    pub valid_until: i64,
}

/// Issues a new code for `client_id` (revoking any active one), valid until
/// `valid_until` (Unix seconds). A unique index keeps one active code per client: when
/// several are issued at once (PostgreSQL, READ COMMITTED), the later inserts fail, and
/// each of those requests revokes the winner's code and tries again — every round one
/// of them succeeds, so [`ISSUE_TRIES`] bounds the rounds.
pub async fn issue(
    db: &Db,
    secret: &ServerSecret,
    client_id: ClientId,
    staff_account_id: AccountId,
    valid_until: i64,
    now: i64,
    requester: &Requester,
) -> Result<Issued, StoreError> {
    let code = generate();
    let mut tries = 0;
    loop {
        tries += 1;
        let mut tx = db.begin().await?;
        sqlx::query("UPDATE activation_codes SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL AND redeemed_at IS NULL")
            .bind(now)
            .bind(client_id)
            .execute(&mut *tx)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO activation_codes (client_id, code_hash, issued_by, issued_at, valid_until) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(client_id)
        .bind(hash(secret, &code))
        .bind(staff_account_id)
        .bind(now)
        .bind(valid_until)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() && tries < ISSUE_TRIES => {
                tx.rollback().await?;
                continue;
            }
            Err(error) => return Err(error.into()),
        }
        audit::record(&mut *tx, now, Some(staff_account_id), AuditEvent::ActivationCodeIssued, requester).await?;
        tx.commit().await?;
        return Ok(Issued { code, valid_until });
    }
}

/// Revokes the active code of `client_id`; `false` if there was none.
pub async fn revoke(db: &Db, client_id: ClientId, staff_account_id: AccountId, now: i64, requester: &Requester) -> Result<bool, StoreError> {
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
pub async fn latest(db: &Db, client_id: ClientId) -> Result<Option<CodeStatus>, StoreError> {
    let row = sqlx::query(
        "SELECT issued_at, valid_until, revoked_at, redeemed_at FROM activation_codes WHERE client_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(client_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| {
        Ok(crate::from_columns!(row, CodeStatus { issued_at, valid_until, revoked_at, redeemed_at }))
    })
    .transpose()
}

/// What entering a code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redemption {
    /// The profile exists; the session's new cookie token (a privilege change).
    Activated(String),
    /// The code was not accepted.
    Refused(CodeRefusal),
    /// The session ended meanwhile; nothing was redeemed.
    SessionEnded,
}

/// Redeems `code` for the session's account, in one transaction: uses the code, creates
/// the profile, gives the session a new id (a privilege change) and audits it. Returns
/// the new session's cookie token.
pub async fn redeem(state: &AppState, session: &Session, code: &ActivationCode, requester: &Requester) -> Result<Redemption, StoreError> {
    let db = &state.db;
    let account_id = session.account_id;
    let now = state.clock.now();
    if profiles::find_for_account(db, account_id).await?.is_some() {
        return Ok(Redemption::Refused(CodeRefusal::AlreadyLinked));
    }
    let attempts = match throttle::reserve_all(db, &attempt_limits(account_id, requester), now).await? {
        Ok(attempts) => attempts,
        Err(until) => {
            audit::record(db.pool(), now, Some(account_id), AuditEvent::ActivationCodeRefused, requester).await?;
            return Ok(Redemption::Refused(CodeRefusal::Locked(until)));
        }
    };
    let give_back = |attempts: &[throttle::Attempt]| {
        let attempts = attempts.to_vec();
        async move {
            for attempt in &attempts {
                throttle::give_back(db, attempt).await?;
            }
            Ok::<(), StoreError>(())
        }
    };
    // Under the current key or, after a key rotation, a previous one.
    let hashes = state.secret.keyed_hashes(PURPOSE, code.as_str().as_bytes());
    let in_list = crate::backend::store::placeholders(2, hashes.len());
    let mut tx = db.begin().await?;
    let sql = format!(
        "UPDATE activation_codes SET redeemed_at = $1 \
         WHERE code_hash IN ({in_list}) AND redeemed_at IS NULL AND revoked_at IS NULL AND valid_until > $1 RETURNING client_id"
    );
    let mut claim = sqlx::query(&sql).bind(now);
    for hash in &hashes {
        claim = claim.bind(hash);
    }
    let claimed = claim.fetch_optional(&mut *tx).await?;
    if let Some(row) = claimed {
        let client_id: ClientId = row.try_get("client_id")?;
        // The account (or the client) got a profile in the meantime.
        let Some(_profile) = profiles::create(&mut tx, account_id, client_id, now).await? else {
            tx.rollback().await?;
            give_back(&attempts).await?;
            return Ok(Redemption::Refused(CodeRefusal::AlreadyLinked));
        };
        audit::record(&mut *tx, now, Some(account_id), AuditEvent::ActivationCodeRedeemed, requester).await?;
        let Some(token) = sessions::rotate(&mut tx, session, now, requester).await? else {
            tx.rollback().await?;
            give_back(&attempts).await?;
            return Ok(Redemption::SessionEnded);
        };
        tx.commit().await?;
        give_back(&attempts).await?;
        return Ok(Redemption::Activated(token));
    }
    tx.rollback().await?;
    // Why not: tell the holder of a real letter what to do (guessing a code is hopeless
    // with 29^11 possibilities and the attempt limit, so this helps no attacker).
    let sql = format!(
        "SELECT valid_until, revoked_at, redeemed_at FROM activation_codes WHERE code_hash IN ({}) ORDER BY id DESC LIMIT 1",
        crate::backend::store::placeholders(1, hashes.len())
    );
    let mut lookup = sqlx::query(&sql);
    for hash in &hashes {
        lookup = lookup.bind(hash);
    }
    let row = lookup.fetch_optional(db.pool()).await?;
    let refusal = match row {
        None => CodeRefusal::Unknown,
        Some(row) => {
            let valid_until: i64 = row.try_get("valid_until")?;
            let revoked_at: Option<i64> = row.try_get("revoked_at")?;
            let redeemed_at: Option<i64> = row.try_get("redeemed_at")?;
            if redeemed_at.is_some() {
                CodeRefusal::Used
            } else if revoked_at.is_some() {
                CodeRefusal::Revoked
            } else if valid_until <= now {
                CodeRefusal::Expired(valid_until)
            } else {
                CodeRefusal::Unknown
            }
        }
    };
    for attempt in &attempts {
        throttle::spend(db, attempt, now).await?;
    }
    audit::record(db.pool(), now, Some(account_id), AuditEvent::ActivationCodeRejected, requester).await?;
    Ok(Redemption::Refused(refusal))
}
