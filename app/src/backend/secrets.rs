//! The server secret and what is derived from it: keyed hashes (HMAC-SHA-256) of codes
//! that are only ever compared (recovery, activation and SMS codes), signed cookies, and
//! the encryption of secrets that must be read back (authenticator-app seeds).
//!
//! Production takes the key from `SECRET_KEY`; development generates one and keeps it
//! in the database so it survives restarts. Every derived key is specific to its
//! purpose (HMAC-based derivation, and HKDF-SHA-256 per RFC 5869 for encryption keys).
//!
//! **Rotation.** A key has an id (the first 8 hex digits of an HMAC of a fixed label),
//! stored with every ciphertext. After `SECRET_KEY` is replaced, the old key goes into
//! `SECRET_KEY_PREVIOUS`: ciphertexts under it can still be read (and `server
//! rotate-key` re-encrypts them under the new key), and codes hashed under it still
//! match until they are used or expire.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use sqlx::Row;

use super::store::{Db, StoreError};

/// One 256-bit key.
#[derive(Clone)]
struct Key([u8; 32]);

impl Key {
    fn from_base64(value: &str) -> Result<Key, SecretError> {
        let bytes = STANDARD.decode(value.trim()).map_err(|_| SecretError::Malformed)?;
        if bytes.len() < 32 {
            return Err(SecretError::Malformed);
        }
        // Longer secrets are condensed with HMAC so every byte counts.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&bytes).map_err(|_| SecretError::Malformed)?;
        mac.update(b"server secret");
        Ok(Key(mac.finalize().into_bytes().into()))
    }

    fn mac(&self, purpose: &str) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so neither call can fail.
        let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        derive.update(purpose.as_bytes());
        let key = derive.finalize().into_bytes();
        <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key length")
    }

    fn sign(&self, purpose: &str, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac(purpose);
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// 8 hex digits that name the key (stored with ciphertexts; reveals nothing of it).
    fn id(&self) -> String {
        self.sign("key-id", b"").iter().take(4).map(|b| format!("{b:02x}")).collect()
    }

    /// The encryption key for `purpose` (HKDF-SHA-256, RFC 5869).
    fn cipher(&self, purpose: &str) -> XChaCha20Poly1305 {
        let mut okm = [0u8; 32];
        // 32 bytes are far below HKDF's limit of 255 blocks, so this cannot fail.
        Hkdf::<Sha256>::new(Some(b"jobcenter-portal"), &self.0)
            .expand(format!("encryption:{purpose}").as_bytes(), &mut okm)
            .expect("32 bytes are a valid HKDF output length");
        XChaCha20Poly1305::new(&okm.into())
    }
}

/// The server's current key and the previous ones still accepted (see the module
/// documentation). Cheap to clone.
#[derive(Clone)]
pub struct ServerSecret {
    current: Key,
    previous: Vec<Key>,
}

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(…)")
    }
}

/// The configured secret is unusable, or a ciphertext cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// Not base64 or shorter than 32 bytes.
    #[error("SECRET_KEY must be at least 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)")]
    Malformed,
    /// A ciphertext names a key that is neither `SECRET_KEY` nor in `SECRET_KEY_PREVIOUS`.
    #[error("a stored secret was encrypted with key {0}, which is not configured (SECRET_KEY_PREVIOUS?)")]
    UnknownKey(String),
    /// A ciphertext was altered, moved to another row, or is not one.
    #[error("a stored secret cannot be decrypted (altered or moved)")]
    Undecryptable,
    /// Reading or storing the generated secret failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Marks the ciphertext format: `v1:<key id>:<base64(nonce ‖ ciphertext)>`.
const FORMAT: &str = "v1";

impl ServerSecret {
    /// Parses a configured base64 secret (at least 32 bytes).
    pub fn from_base64(value: &str) -> Result<ServerSecret, SecretError> {
        Ok(ServerSecret { current: Key::from_base64(value)?, previous: Vec::new() })
    }

    /// The current secret and the previous ones (`SECRET_KEY_PREVIOUS`, comma-separated).
    pub fn with_previous(current: &str, previous: &[String]) -> Result<ServerSecret, SecretError> {
        let previous = previous.iter().map(|p| Key::from_base64(p)).collect::<Result<Vec<_>, _>>()?;
        Ok(ServerSecret { current: Key::from_base64(current)?, previous })
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

    /// The current key's id (8 hex digits).
    pub fn key_id(&self) -> String {
        self.current.id()
    }

    /// HMAC-SHA-256 of `message` under the current key derived for `purpose`.
    pub fn sign(&self, purpose: &str, message: &[u8]) -> [u8; 32] {
        self.current.sign(purpose, message)
    }

    /// [`ServerSecret::sign`] under every accepted key, current first: what a stored
    /// keyed hash may equal (codes hashed before a key rotation still match).
    pub fn signatures(&self, purpose: &str, message: &[u8]) -> Vec<[u8; 32]> {
        std::iter::once(&self.current).chain(&self.previous).map(|key| key.sign(purpose, message)).collect()
    }

    /// The stored form (lower-case hex) of a keyed hash: under the current key, for new
    /// rows.
    pub fn keyed_hash(&self, purpose: &str, message: &[u8]) -> String {
        hex(&self.sign(purpose, message))
    }

    /// The stored forms a keyed hash may have (current key first, then the previous
    /// ones), for lookups.
    pub fn keyed_hashes(&self, purpose: &str, message: &[u8]) -> Vec<String> {
        self.signatures(purpose, message).iter().map(|s| hex(s)).collect()
    }

    /// Checks a signature made by [`ServerSecret::sign`] (under any accepted key) in
    /// constant time.
    pub fn verify(&self, purpose: &str, message: &[u8], signature: &[u8]) -> bool {
        std::iter::once(&self.current).chain(&self.previous).any(|key| {
            let mut mac = key.mac(purpose);
            mac.update(message);
            mac.verify_slice(signature).is_ok()
        })
    }

    /// Encrypts `plaintext` for storage with XChaCha20-Poly1305 under the current key:
    /// a random 192-bit nonce, and `context` (e.g. the owning account's id) as associated
    /// data, so a ciphertext copied into another row does not decrypt.
    pub fn encrypt(&self, purpose: &str, context: &str, plaintext: &[u8]) -> String {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .current
            .cipher(purpose)
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: context.as_bytes() })
            // Encryption only fails for messages beyond the cipher's limit (256 GiB).
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{FORMAT}:{}:{}", self.current.id(), STANDARD.encode(out))
    }

    /// Decrypts what [`ServerSecret::encrypt`] stored (under the current or a previous
    /// key, found by its id).
    pub fn decrypt(&self, purpose: &str, context: &str, stored: &str) -> Result<Vec<u8>, SecretError> {
        let mut parts = stored.splitn(3, ':');
        let (Some(FORMAT), Some(id), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(SecretError::Undecryptable);
        };
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|key| key.id() == id)
            .ok_or_else(|| SecretError::UnknownKey(id.to_owned()))?;
        let bytes = STANDARD.decode(data).map_err(|_| SecretError::Undecryptable)?;
        if bytes.len() < 24 {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, sealed) = bytes.split_at(24);
        key.cipher(purpose)
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: context.as_bytes() })
            .map_err(|_| SecretError::Undecryptable)
    }

    /// Whether a stored value is a ciphertext under the current key (else `rotate-key`
    /// re-encrypts it).
    pub fn is_current(&self, stored: &str) -> bool {
        stored.starts_with(&format!("{FORMAT}:{}:", self.current.id()))
    }

    /// Whether a stored value is a ciphertext at all (values from before encryption
    /// was introduced are not).
    pub fn is_ciphertext(stored: &str) -> bool {
        stored.starts_with(&format!("{FORMAT}:"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> String {
        STANDARD.encode([byte; 32])
    }

    fn secret() -> ServerSecret {
        ServerSecret::from_base64(&key(9)).expect("valid")
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

    #[test]
    fn ciphertexts_round_trip_and_are_bound_to_purpose_context_and_key() {
        let s = secret();
        let stored = s.encrypt("totp", "account:7", b"JBSWY3DPEHPK3PXP");
        assert!(stored.starts_with(&format!("v1:{}:", s.key_id())));
        assert!(!stored.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(stored, s.encrypt("totp", "account:7", b"JBSWY3DPEHPK3PXP"), "a fresh nonce each time");
        assert_eq!(s.decrypt("totp", "account:7", &stored).expect("decrypts"), b"JBSWY3DPEHPK3PXP");
        assert!(matches!(s.decrypt("totp", "account:8", &stored), Err(SecretError::Undecryptable)), "moved to another row");
        assert!(matches!(s.decrypt("other", "account:7", &stored), Err(SecretError::Undecryptable)));
        let mut altered = stored.clone();
        altered.pop();
        altered.push(if stored.ends_with('A') { 'B' } else { 'A' });
        assert!(s.decrypt("totp", "account:7", &altered).is_err());
        let stranger = ServerSecret::from_base64(&key(3)).expect("valid");
        assert!(matches!(stranger.decrypt("totp", "account:7", &stored), Err(SecretError::UnknownKey(_))));
    }

    #[test]
    fn a_rotated_key_still_reads_and_matches_until_everything_moved() {
        let old = secret();
        let stored = old.encrypt("totp", "a", b"seed");
        let hash = old.sign("recovery-code", b"CODE");
        let rotated = ServerSecret::with_previous(&key(10), &[key(9)]).expect("keys");
        assert_ne!(rotated.key_id(), old.key_id());
        assert!(!rotated.is_current(&stored));
        assert_eq!(rotated.decrypt("totp", "a", &stored).expect("previous key"), b"seed");
        assert!(rotated.signatures("recovery-code", b"CODE").contains(&hash));
        assert!(rotated.verify("recovery-code", b"CODE", &hash));
        let moved = rotated.encrypt("totp", "a", b"seed");
        assert!(rotated.is_current(&moved));
        let only_new = ServerSecret::from_base64(&key(10)).expect("new");
        assert_eq!(only_new.decrypt("totp", "a", &moved).expect("new key"), b"seed");
    }
}
