//! Passkeys (WebAuthn, `webauthn-rs`): user verification required, discoverable
//! credentials so they work without typing a user name. Registration and sign-in run as
//! ceremonies whose state stays on the server ([`super::ceremonies`]). Owns `passkeys`
//! and the account's WebAuthn user handle.

use crate::domain::ids::AccountId;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use sqlx::Row;
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder,
};
use webauthn_rs_proto::ResidentKeyRequirement;

use super::ceremonies::{self, Binding, Kind};
use crate::backend::store::{Conn, Db, StoreError};

/// A passkey as listed on the security page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyInfo {
    /// Database id.
    pub id: i64,
    /// The name the user gave it.
    pub name: String,
    /// When it was added.
    pub created_at: i64,
    /// When it was last used.
    pub last_used_at: Option<i64>,
}

/// Why a passkey operation failed.
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    /// No open ceremony (expired, used, or started in another session).
    #[error("no open ceremony")]
    NoCeremony,
    /// The browser's answer did not verify.
    #[error("verification failed: {0}")]
    Rejected(String),
    /// The passkey is not registered (or belongs to someone else).
    #[error("unknown passkey")]
    Unknown,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for PasskeyError {
    fn from(e: sqlx::Error) -> Self {
        PasskeyError::Store(e.into())
    }
}

/// Builds the relying party for `public_url` (its host is the RP id).
pub fn relying_party(public_url: &str, portal_name: &str) -> Result<Webauthn, String> {
    let origin = Url::parse(public_url).map_err(|e| e.to_string())?;
    let rp_id = origin.host_str().ok_or("PUBLIC_URL has no host")?.to_owned();
    WebauthnBuilder::new(&rp_id, &origin)
        .map_err(|e| e.to_string())?
        .rp_name(portal_name)
        .build()
        .map_err(|e| e.to_string())
}

fn credential_key(raw: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(raw)
}

async fn user_handle(db: &Db, account_id: AccountId) -> Result<Uuid, StoreError> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let fresh = Uuid::from_bytes(bytes);
    let stored = crate::backend::accounts::webauthn_user_id(db, account_id, &fresh.to_string()).await?;
    Ok(stored.and_then(|s| Uuid::parse_str(&s).ok()).unwrap_or(fresh))
}

async fn stored_passkeys(db: &Db, account_id: AccountId) -> Result<Vec<Passkey>, StoreError> {
    let rows = sqlx::query("SELECT passkey FROM passkeys WHERE account_id = $1").bind(account_id).fetch_all(db.pool()).await?;
    Ok(rows
        .iter()
        .filter_map(|row| row.try_get::<String, _>("passkey").ok())
        .filter_map(|json| serde_json::from_str::<Passkey>(&json).ok())
        .collect())
}

/// Starts registering a passkey for the account (bound to `binding`).
pub async fn begin_registration(
    webauthn: &Webauthn,
    db: &Db,
    account_id: AccountId,
    email: &str,
    binding: &Binding,
    now: i64,
) -> Result<CreationChallengeResponse, PasskeyError> {
    let handle = user_handle(db, account_id).await?;
    let exclude: Vec<_> = stored_passkeys(db, account_id).await?.iter().map(|p| p.cred_id().clone()).collect();
    let (mut challenge, state) = webauthn
        .start_passkey_registration(handle, email, email, Some(exclude))
        .map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    // Ask for a discoverable credential, so the passkey works without a user name.
    if let Some(selection) = challenge.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    let state = serde_json::to_string(&state).map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    ceremonies::store(db, binding, Some(account_id), Kind::Register, &state, now).await?;
    Ok(challenge)
}

/// A passkey the browser registered and the server verified, not stored yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPasskey {
    credential_id: String,
    json: String,
}

/// Verifies the browser's registration answer against the open ceremony (used once).
pub async fn verify_registration(
    webauthn: &Webauthn,
    db: &Db,
    binding: &Binding,
    response: &RegisterPublicKeyCredential,
    now: i64,
) -> Result<NewPasskey, PasskeyError> {
    let state = ceremonies::take(db, binding, Kind::Register, now).await?.ok_or(PasskeyError::NoCeremony)?;
    let state: PasskeyRegistration = serde_json::from_str(&state).map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    let passkey = webauthn
        .finish_passkey_registration(response, &state)
        .map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    let json = serde_json::to_string(&passkey).map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    Ok(NewPasskey { credential_id: credential_key(passkey.cred_id().as_ref()), json })
}

/// Stores a verified passkey inside the caller's transaction; returns its id.
pub async fn insert(conn: &mut Conn, account_id: AccountId, passkey: &NewPasskey, name: &str, now: i64) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO passkeys (account_id, credential_id, passkey, name, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(&passkey.credential_id)
    .bind(&passkey.json)
    .bind(name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Starts a sign-in with any passkey of this site (`account_id`: the signed-in account
/// confirming its identity again, or the account at the second step; `None` before
/// sign-in). `conditional` asks the browser to offer passkeys in the e-mail field's
/// autofill instead of a dialog.
pub async fn begin_authentication(
    webauthn: &Webauthn,
    db: &Db,
    binding: &Binding,
    account_id: Option<AccountId>,
    conditional: bool,
    now: i64,
) -> Result<RequestChallengeResponse, PasskeyError> {
    let (mut challenge, state) =
        webauthn.start_discoverable_authentication().map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    if !conditional {
        challenge.mediation = None;
    }
    let state = serde_json::to_string(&state).map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    ceremonies::store(db, binding, account_id, Kind::Authenticate, &state, now).await?;
    Ok(challenge)
}

/// Finishes a passkey sign-in; returns the account it belongs to. Updates the
/// signature counter and last use; a counter that went backwards (a possibly cloned
/// authenticator) is logged and refused.
pub async fn finish_authentication(
    webauthn: &Webauthn,
    db: &Db,
    binding: &Binding,
    response: &PublicKeyCredential,
    now: i64,
) -> Result<AccountId, PasskeyError> {
    let state = ceremonies::take(db, binding, Kind::Authenticate, now).await?.ok_or(PasskeyError::NoCeremony)?;
    let state: DiscoverableAuthentication = serde_json::from_str(&state).map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    let (handle, raw_id) = webauthn
        .identify_discoverable_authentication(response)
        .map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    let row = sqlx::query(
        "SELECT p.id, p.account_id, p.passkey, a.webauthn_user_id FROM passkeys p JOIN accounts a ON a.id = p.account_id \
         WHERE p.credential_id = $1",
    )
    .bind(credential_key(raw_id))
    .fetch_optional(db.pool())
    .await?
    .ok_or(PasskeyError::Unknown)?;
    let passkey_id: i64 = row.try_get("id")?;
    let account_id: AccountId = row.try_get("account_id")?;
    let stored_handle: Option<String> = row.try_get("webauthn_user_id")?;
    if stored_handle.as_deref() != Some(handle.to_string().as_str()) {
        return Err(PasskeyError::Unknown);
    }
    let json: String = row.try_get("passkey")?;
    let mut passkey: Passkey = serde_json::from_str(&json).map_err(|e| PasskeyError::Rejected(e.to_string()))?;
    let result = webauthn
        .finish_discoverable_authentication(response, state, &[DiscoverableKey::from(&passkey)])
        .map_err(|e| {
            tracing::warn!(passkey_id, %account_id, error = %e, "passkey assertion refused (a counter regression means a possibly cloned authenticator)");
            PasskeyError::Rejected(e.to_string())
        })?;
    let json = match passkey.update_credential(&result) {
        Some(true) => serde_json::to_string(&passkey).unwrap_or(json),
        _ => json,
    };
    sqlx::query("UPDATE passkeys SET passkey = $1, last_used_at = $2 WHERE id = $3")
        .bind(json)
        .bind(now)
        .bind(passkey_id)
        .execute(db.pool())
        .await?;
    Ok(account_id)
}

/// The account's passkeys, oldest first.
pub async fn list(db: &Db, account_id: AccountId) -> Result<Vec<PasskeyInfo>, StoreError> {
    let rows = sqlx::query("SELECT id, name, created_at, last_used_at FROM passkeys WHERE account_id = $1 ORDER BY id")
        .bind(account_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            Ok(crate::from_columns!(row, PasskeyInfo { id, name, created_at, last_used_at }))
        })
        .collect()
}

/// Number of passkeys.
pub async fn count(conn: &mut Conn, account_id: AccountId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM passkeys WHERE account_id = $1").bind(account_id).fetch_one(&mut *conn).await?;
    Ok(row.try_get("n")?)
}

/// Renames one of the account's passkeys; `false` if it is not theirs.
pub async fn rename(conn: &mut Conn, account_id: AccountId, id: i64, name: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE passkeys SET name = $1 WHERE id = $2 AND account_id = $3")
        .bind(name)
        .bind(id)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes one of the account's passkeys inside the caller's transaction; `false` if it
/// is not theirs.
pub async fn remove(conn: &mut Conn, account_id: AccountId, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
