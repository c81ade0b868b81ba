//! Password hashing with Argon2id (OWASP: m = 19 MiB, t = 2, p = 1), run off the async
//! runtime on a bounded number of blocking threads. Unknown accounts are checked
//! against a dummy hash so they cost the same time as known ones.

use std::sync::Arc;

use argon2::{
    password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString},
    Algorithm, Argon2, Params, Version,
};
use rand::RngCore;
use tokio::sync::Semaphore;

/// Memory cost in KiB (19 MiB).
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Iterations.
pub const ITERATIONS: u32 = 2;
/// Lanes.
pub const PARALLELISM: u32 = 1;

/// Hashing failed (never expected; logged by the caller).
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The Argon2 implementation reported an error.
    #[error("argon2: {0}")]
    Argon2(String),
    /// The blocking task could not run.
    #[error("hashing task failed: {0}")]
    Task(String),
}

/// Result of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verification {
    /// The password matches the stored hash.
    pub matches: bool,
    /// The stored hash uses weaker parameters than today's; store a new one.
    pub needs_rehash: bool,
}

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    dummy_hash: Arc<str>,
}

fn argon2() -> Argon2<'static> {
    // The constants are valid Argon2 parameters; `Params::new` only fails for out-of-range values.
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on the calling thread (for the command line and the demo seed;
/// request handlers use [`PasswordHasher::hash`]).
pub fn hash_blocking(password: &[u8]) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError::Argon2(e.to_string()))?;
    argon2()
        .hash_password(password, &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Argon2(e.to_string()))
}

fn verify_blocking(password: &[u8], stored: &str) -> Verification {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verification { matches: false, needs_rehash: false };
    };
    let matches = argon2().verify_password(password, &parsed).is_ok();
    let needs_rehash = matches && is_weaker_than_current(&parsed);
    Verification { matches, needs_rehash }
}

fn is_weaker_than_current(hash: &PasswordHash<'_>) -> bool {
    if hash.algorithm.as_str() != "argon2id" {
        return true;
    }
    match Params::try_from(hash) {
        Ok(p) => p.m_cost() < MEMORY_KIB || p.t_cost() < ITERATIONS,
        Err(_) => true,
    }
}

impl PasswordHasher {
    /// A hasher running at most `max_parallel` hashes at once (at least one).
    pub fn new(max_parallel: usize) -> Result<PasswordHasher, HashError> {
        let dummy_hash = hash_blocking(b"timing equaliser for unknown accounts")?;
        Ok(PasswordHasher {
            permits: Arc::new(Semaphore::new(max_parallel.max(1))),
            dummy_hash: dummy_hash.into(),
        })
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let _permit = self.permits.acquire().await.map_err(|e| HashError::Task(e.to_string()))?;
        let password = password.as_bytes().to_vec();
        tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .map_err(|e| HashError::Task(e.to_string()))?
    }

    /// Checks `password` against `stored`; with `None` (unknown account) it checks a
    /// dummy hash and reports no match, taking the same time.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Verification {
        let known = stored.is_some();
        let stored = stored.map(str::to_owned).unwrap_or_else(|| self.dummy_hash.to_string());
        let Ok(_permit) = self.permits.acquire().await else {
            return Verification { matches: false, needs_rehash: false };
        };
        let password = password.as_bytes().to_vec();
        let result = tokio::task::spawn_blocking(move || verify_blocking(&password, &stored))
            .await
            .unwrap_or(Verification { matches: false, needs_rehash: false });
        if known {
            result
        } else {
            Verification { matches: false, needs_rehash: false }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_owasp_parameters() {
        let hasher = PasswordHasher::new(1).expect("hasher");
        let hash = hasher.hash("Abcdefghij1!").await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        let ok = hasher.verify("Abcdefghij1!", Some(&hash)).await;
        assert_eq!(ok, Verification { matches: true, needs_rehash: false });
        assert!(!hasher.verify("Abcdefghij1?", Some(&hash)).await.matches);
        assert!(!hasher.verify("Abcdefghij1!", None).await.matches);
        assert!(!hasher.verify("Abcdefghij1!", Some("not a hash")).await.matches);
    }

    #[tokio::test]
    async fn salts_differ() {
        let hasher = PasswordHasher::new(1).expect("hasher");
        let a = hasher.hash("Abcdefghij1!").await.expect("hash");
        let b = hasher.hash("Abcdefghij1!").await.expect("hash");
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn weaker_hashes_are_flagged_for_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).expect("params"),
        );
        let salt = SaltString::encode_b64(&[7u8; 16]).expect("salt");
        let hash = weak.hash_password(b"Abcdefghij1!", &salt).expect("hash").to_string();
        let hasher = PasswordHasher::new(1).expect("hasher");
        assert_eq!(
            hasher.verify("Abcdefghij1!", Some(&hash)).await,
            Verification { matches: true, needs_rehash: true }
        );
    }
}
