//! Recovery codes: ten single-use codes shown once after the first second factor is
//! set up, stored only as keyed hashes (HMAC with the server secret). Owns the
//! `recovery_codes` table.

use crate::domain::ids::AccountId;
use rand::Rng;
use sqlx::Row;

use crate::backend::{
    secrets::ServerSecret,
    store::{Conn, Db, StoreError},
};

/// How many codes a set has.
pub const SET_SIZE: usize = 10;
/// Readable alphabet: digits and capitals without 0/O, 1/I.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const PURPOSE: &str = "recovery-code";

/// A fresh code, e.g. `K7QX2-MNP4T` (50 random bits).
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..10).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// The normal form of a typed code: upper case, without spaces and dashes.
pub fn normalise(input: &str) -> String {
    input.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

fn hash(secret: &ServerSecret, code: &str) -> String {
    secret.keyed_hash(PURPOSE, normalise(code).as_bytes())
}

/// Replaces the account's codes with a new set and returns it (to show once).
pub async fn replace_all(
    conn: &mut Conn,
    account_id: AccountId,
    secret: &ServerSecret,
    now: i64,
) -> Result<Vec<String>, StoreError> {
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1").bind(account_id).execute(&mut *conn).await?;
    let codes: Vec<String> = (0..SET_SIZE).map(|_| new_code()).collect();
    for code in &codes {
        sqlx::query("INSERT INTO recovery_codes (account_id, code_hash, created_at) VALUES ($1, $2, $3)")
            .bind(account_id)
            .bind(hash(secret, code))
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(codes)
}

/// Uses a code (once) inside the caller's transaction — one conditional `UPDATE`, the
/// transaction's first write; `Some(remaining)` if it was valid.
pub async fn redeem(
    conn: &mut Conn,
    account_id: AccountId,
    code: &str,
    secret: &ServerSecret,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    // Under the current key or, after a key rotation, a previous one.
    let hashes = secret.keyed_hashes(PURPOSE, normalise(code).as_bytes());
    let sql = format!(
        "UPDATE recovery_codes SET used_at = $1 WHERE account_id = $2 AND code_hash IN ({}) AND used_at IS NULL RETURNING id",
        crate::backend::store::placeholders(3, hashes.len())
    );
    let mut query = sqlx::query(&sql).bind(now).bind(account_id);
    for hash in &hashes {
        query = query.bind(hash);
    }
    let used = query.fetch_optional(&mut *conn).await?;
    if used.is_none() {
        return Ok(None);
    }
    let row = sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL")
        .bind(account_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Some(row.try_get("n")?))
}

/// Unused codes left.
pub async fn remaining(db: &Db, account_id: AccountId) -> Result<i64, StoreError> {
    let mut conn = db.pool().acquire().await?;
    remaining_in(&mut conn, account_id).await
}

/// [`remaining`] as the caller's transaction sees it.
pub async fn remaining_in(conn: &mut super::super::store::Conn, account_id: AccountId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL")
        .bind(account_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get("n")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_normalised() {
        let code = new_code();
        assert_eq!(code.len(), 11);
        assert!(code.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))), "{code}");
        assert_eq!(normalise(" k7qx2 - mnp4t "), "K7QX2MNP4T");
        assert_ne!(new_code(), new_code());
    }
}
