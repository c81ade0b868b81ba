//! Server-side sessions: the browser holds a random 256-bit token in a cookie, the
//! database only its SHA-256. Sessions end after 30 minutes without activity or 12
//! hours after sign-in, whichever comes first. Owns the `sessions` table.

use crate::domain::ids::AccountId;
use sqlx::Row;

use super::{
    request::Requester,
    store::{Conn, Db, StoreError},
    tokens::{hash_token, random_token},
};

/// Idle timeout in seconds.
pub const IDLE_TIMEOUT: i64 = 30 * 60;
/// Absolute timeout in seconds.
pub const ABSOLUTE_TIMEOUT: i64 = 12 * 3600;
/// `last_seen_at` is written at most this often (seconds).
const TOUCH_INTERVAL: i64 = 60;

/// How far a session got in signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The password was right; a second factor is still missing (to give, or to set up).
    Password,
    /// Fully signed in (password and second factor, or a passkey).
    Full,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Password => "password",
            Stage::Full => "full",
        }
    }

    fn parse(s: &str) -> Stage {
        if s == "full" {
            Stage::Full
        } else {
            Stage::Password
        }
    }
}

/// A valid session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Database id.
    pub id: i64,
    /// The signed-in account.
    pub account_id: AccountId,
    /// Sign-in time.
    pub created_at: i64,
    /// The account's e-mail address (shown in the header).
    pub email: String,
    /// How far signing in got.
    pub stage: Stage,
    /// When the user last proved who they are (password or a factor).
    pub verified_at: i64,
}

/// Sensitive changes need a proof of identity at most this old (seconds; security.md
/// "Sessions": password, factors, e-mail, account closure).
pub const REAUTH_WINDOW: i64 = 600;

impl Session {
    /// Whether the session proved its identity recently enough for a sensitive change
    /// (fully signed in, last proof at most [`REAUTH_WINDOW`] seconds ago).
    pub fn recently_verified(&self, now: i64) -> bool {
        self.stage == Stage::Full && now - self.verified_at <= REAUTH_WINDOW
    }
}

/// A session as listed on the security page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Database id.
    pub id: i64,
    /// Sign-in time.
    pub created_at: i64,
    /// Last activity.
    pub last_seen_at: i64,
    /// Source address.
    pub ip: String,
    /// Browser.
    pub user_agent: String,
}

/// Starts a session for `account_id` at `stage` and returns the cookie token.
pub async fn create(
    conn: &mut Conn,
    account_id: AccountId,
    stage: Stage,
    now: i64,
    requester: &Requester,
) -> Result<String, StoreError> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, ip, user_agent, stage, verified_at) \
         VALUES ($1, $2, $3, $3, $4, $5, $6, $3)",
    )
    .bind(hash_token(&token))
    .bind(account_id)
    .bind(now)
    .bind(&requester.ip)
    .bind(&requester.user_agent)
    .bind(stage.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// Replaces a session by a fully signed-in one with a new id (after the second factor
/// or the first factor's set-up: a privilege change). The sign-in time is kept, so the
/// absolute timeout still counts from the first sign-in. `None` if the session was ended
/// meanwhile (signed out, or ended by a password change elsewhere): nothing is created.
pub async fn promote(conn: &mut Conn, session: &Session, now: i64, requester: &Requester) -> Result<Option<String>, StoreError> {
    replace(conn, session, Stage::Full, now, now, requester).await
}

/// Gives the session a new id (and token) after a privilege change such as unlocking a
/// profile; stage and the time of the last proof of identity stay. `None` if the
/// session was ended meanwhile.
pub async fn rotate(conn: &mut Conn, session: &Session, now: i64, requester: &Requester) -> Result<Option<String>, StoreError> {
    replace(conn, session, session.stage, session.verified_at, now, requester).await
}

/// Deletes `session` and creates its successor under a new token, inside the caller's
/// transaction. Only the request that deletes the old row creates a successor: a
/// session ended meanwhile, or replaced by a parallel request, gets `None`.
async fn replace(
    conn: &mut Conn,
    session: &Session,
    stage: Stage,
    verified_at: i64,
    now: i64,
    requester: &Requester,
) -> Result<Option<String>, StoreError> {
    let deleted = sqlx::query("DELETE FROM sessions WHERE id = $1").bind(session.id).execute(&mut *conn).await?;
    if deleted.rows_affected() != 1 {
        return Ok(None);
    }
    let token = random_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, ip, user_agent, stage, verified_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(hash_token(&token))
    .bind(session.account_id)
    .bind(session.created_at)
    .bind(now)
    .bind(&requester.ip)
    .bind(&requester.user_agent)
    .bind(stage.as_str())
    .bind(verified_at)
    .execute(&mut *conn)
    .await?;
    Ok(Some(token))
}

/// Records that the user just proved who they are again (re-authentication); `false`
/// if the session was ended meanwhile.
pub async fn mark_verified(conn: &mut Conn, id: i64, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE sessions SET verified_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// The account's sessions, most recently active first.
pub async fn list(db: &Db, account_id: AccountId) -> Result<Vec<SessionInfo>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, created_at, last_seen_at, ip, user_agent FROM sessions WHERE account_id = $1 ORDER BY last_seen_at DESC, id DESC",
    )
    .bind(account_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(crate::from_columns!(row, SessionInfo { id, created_at, last_seen_at, ip, user_agent }))
        })
        .collect()
}

/// Ends one of the account's sessions; `false` if it is not theirs.
pub async fn delete_for_account(conn: &mut Conn, account_id: AccountId, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends all of the account's sessions except `keep`.
pub async fn delete_others(conn: &mut Conn, account_id: AccountId, keep: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id <> $2")
        .bind(account_id)
        .bind(keep)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// The session for a cookie token, if it exists and has not timed out. Expired
/// sessions are deleted; active ones have their last activity updated.
pub async fn authenticate(db: &Db, token: &str, now: i64) -> Result<Option<Session>, StoreError> {
    let row = sqlx::query(
        "SELECT s.id, s.account_id, s.created_at, s.last_seen_at, s.stage, s.verified_at, a.email \
         FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1",
    )
    .bind(hash_token(token))
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let session = Session {
        id: row.try_get("id")?,
        account_id: row.try_get("account_id")?,
        created_at: row.try_get("created_at")?,
        email: row.try_get("email")?,
        stage: Stage::parse(&row.try_get::<String, _>("stage")?),
        verified_at: row.try_get("verified_at")?,
    };
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    if now - last_seen_at > IDLE_TIMEOUT || now - session.created_at > ABSOLUTE_TIMEOUT {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(session.id).execute(db.pool()).await?;
        return Ok(None);
    }
    if now - last_seen_at >= TOUCH_INTERVAL {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(session.id)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(session))
}

/// Ends one session; `false` if it had already ended.
pub async fn delete(conn: &mut Conn, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of an account (after a password reset, on account closure).
pub async fn delete_all_for_account(conn: &mut Conn, account_id: AccountId) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Number of sessions of an account (tests, security page).
pub async fn count_for_account(db: &Db, account_id: AccountId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("n")?)
}

/// Name of the session cookie: `__Host-session` over HTTPS (the prefix makes the
/// browser insist on `Secure`, `Path=/` and no `Domain`), `session` on plain HTTP.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-session"
    } else {
        "session"
    }
}
