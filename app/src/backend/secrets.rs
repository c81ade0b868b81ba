//! The server secret: the key for signed cookies (and later keyed hashes). Production
//! takes it from `SECRET_KEY`; development generates one and keeps it in the database
//! so it survives restarts.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use sqlx::Row;

use super::store::{Db, StoreError};

/// A 256-bit secret from which purpose-specific keys are derived.
#[derive(Clone)]
pub struct ServerSecret([u8; 32]);

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(…)")
    }
}

/// The configured secret is unusable.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// Not base64 or shorter than 32 bytes.
    #[error("SECRET_KEY must be at least 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)")]
    Malformed,
    /// Reading or storing the generated secret failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServerSecret {
    /// Parses a configured base64 secret (at least 32 bytes).
    pub fn from_base64(value: &str) -> Result<ServerSecret, SecretError> {
        let bytes = STANDARD.decode(value.trim()).map_err(|_| SecretError::Malformed)?;
        if bytes.len() < 32 {
            return Err(SecretError::Malformed);
        }
        // Longer secrets are condensed with HMAC so every byte counts.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&bytes).map_err(|_| SecretError::Malformed)?;
        mac.update(b"server secret");
        Ok(ServerSecret(mac.finalize().into_bytes().into()))
    }

    /// The development secret stored in the database, created on first use.
    pub async fn load_or_generate(db: &Db) -> Result<ServerSecret, SecretError> {
        let mut fresh = [0u8; 32];
        rand::rng().fill_bytes(&mut fresh);
        sqlx::query("INSERT INTO server_secrets (name, value) VALUES ('main', $1) ON CONFLICT (name) DO NOTHING")
            .bind(STANDARD.encode(fresh))
            .execute(db.pool())
            .await
            .map_err(StoreError::from)?;
        let row = sqlx::query("SELECT value FROM server_secrets WHERE name = 'main'")
            .fetch_one(db.pool())
            .await
            .map_err(StoreError::from)?;
        let value: String = row.try_get("value").map_err(StoreError::from)?;
        ServerSecret::from_base64(&value)
    }

    /// HMAC-SHA-256 of `message` under the key derived for `purpose`.
    pub fn sign(&self, purpose: &str, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac(purpose);
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// Checks a signature made by [`ServerSecret::sign`] in constant time.
    pub fn verify(&self, purpose: &str, message: &[u8], signature: &[u8]) -> bool {
        let mut mac = self.mac(purpose);
        mac.update(message);
        mac.verify_slice(signature).is_ok()
    }

    fn mac(&self, purpose: &str) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        derive.update(purpose.as_bytes());
        let key = derive.finalize().into_bytes();
        <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key length")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> ServerSecret {
        ServerSecret::from_base64(&STANDARD.encode([9u8; 32])).expect("valid")
    }

    #[test]
    fn signatures_verify_and_are_purpose_bound() {
        let s = secret();
        let sig = s.sign("flash", b"hello");
        assert!(s.verify("flash", b"hello", &sig));
        assert!(!s.verify("flash", b"hellO", &sig));
        assert!(!s.verify("other", b"hello", &sig));
    }

    #[test]
    fn short_or_malformed_secrets_are_refused() {
        assert!(ServerSecret::from_base64(&STANDARD.encode([1u8; 16])).is_err());
        assert!(ServerSecret::from_base64("not base64!").is_err());
    }
}
