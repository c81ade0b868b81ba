//! Results of forms posted without JavaScript that are too large for the flash cookie
//! (a browser keeps at most 4 KB per cookie): kept in the database for two minutes under
//! a random token, which the cookie carries instead; read once. Owns `flash_stash`.

use sqlx::Row;

use super::{
    store::{Db, StoreError},
    tokens::{hash_token, random_token},
};

/// How long a stashed result waits for its page (seconds), like the cookie.
pub const LIFETIME: i64 = 120;

/// Keeps `payload`; returns the token that fetches it.
pub async fn put(db: &Db, payload: &str, now: i64) -> Result<String, StoreError> {
    let token = random_token();
    sqlx::query("INSERT INTO flash_stash (token_hash, payload, expires_at) VALUES ($1, $2, $3)")
        .bind(hash_token(&token))
        .bind(payload)
        .bind(now + LIFETIME)
        .execute(db.pool())
        .await?;
    Ok(token)
}

/// Takes the payload of `token` (once; expired ones are gone).
pub async fn take(db: &Db, token: &str, now: i64) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("DELETE FROM flash_stash WHERE token_hash = $1 AND expires_at > $2 RETURNING payload")
        .bind(hash_token(token))
        .bind(now)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| row.try_get("payload").map_err(StoreError::from)).transpose()
}

/// Deletes what nobody fetched in time; returns how many.
pub async fn purge(db: &Db, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM flash_stash WHERE expires_at <= $1").bind(now).execute(db.pool()).await?;
    Ok(done.rows_affected())
}
