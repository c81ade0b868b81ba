//! WebAuthn ceremony state (the challenge and what the server expects back), kept in
//! the database, bound to the session (or, before sign-in, to a one-time cookie),
//! valid for five minutes and usable once. Ceremonies of a signed-in account carry its
//! id, so a change of its factors or password ends the ones in flight. Owns the
//! `webauthn_ceremonies` table.

use crate::domain::ids::AccountId;
use sqlx::Row;

use crate::backend::{store::{Conn, Db, StoreError}, tokens::hash_token};

/// How long a ceremony may take (seconds).
pub const LIFETIME: i64 = 300;

/// What a ceremony is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Registering a new passkey.
    Register,
    /// Signing in (or confirming identity) with a passkey.
    Authenticate,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Register => "register",
            Kind::Authenticate => "authenticate",
        }
    }
}

/// What a ceremony is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// A session (by id).
    Session(i64),
    /// A browser before sign-in (by the secret value of its ceremony cookie).
    Browser(String),
}

impl Binding {
    fn key(&self) -> String {
        match self {
            Binding::Session(id) => format!("session:{id}"),
            Binding::Browser(token) => format!("browser:{}", hash_token(token)),
        }
    }
}

/// Stores a new ceremony's state (of `account_id`, if signed in), replacing older open
/// ones of the same binding and kind.
pub async fn store(db: &Db, binding: &Binding, account_id: Option<AccountId>, kind: Kind, state: &str, now: i64) -> Result<(), StoreError> {
    let key = binding.key();
    sqlx::query("DELETE FROM webauthn_ceremonies WHERE (binding_hash = $1 AND kind = $2) OR expires_at < $3")
        .bind(&key)
        .bind(kind.as_str())
        .bind(now)
        .execute(db.pool())
        .await?;
    sqlx::query(
        "INSERT INTO webauthn_ceremonies (binding_hash, kind, state, created_at, expires_at, account_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&key)
    .bind(kind.as_str())
    .bind(state)
    .bind(now)
    .bind(now + LIFETIME)
    .bind(account_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Takes the open ceremony of this binding and kind (once: a replay finds nothing).
pub async fn take(db: &Db, binding: &Binding, kind: Kind, now: i64) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "UPDATE webauthn_ceremonies SET used_at = $1 \
         WHERE binding_hash = $2 AND kind = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING state",
    )
    .bind(now)
    .bind(binding.key())
    .bind(kind.as_str())
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(row) => Some(row.try_get("state")?),
        None => None,
    })
}

/// Ends every open ceremony of the account (a factor was removed or the password
/// changed) inside the caller's transaction; returns how many.
pub async fn end_for_account(conn: &mut Conn, account_id: AccountId) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM webauthn_ceremonies WHERE account_id = $1").bind(account_id).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}
