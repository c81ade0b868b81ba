//! Second factors: passkeys (WebAuthn), TOTP and recovery codes. An account has
//! multi-factor authentication once it has a passkey or a confirmed TOTP app;
//! recovery codes are the fallback and never the only factor.

pub mod ceremonies;
pub mod passkeys;
pub mod recovery;
pub mod totp;

use crate::domain::ids::AccountId;
use super::store::{Conn, Db, StoreError};

/// Which second factors an account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Factors {
    /// Registered passkeys.
    pub passkeys: i64,
    /// A confirmed authenticator app.
    pub totp: bool,
    /// Unused recovery codes.
    pub recovery_codes: i64,
}

impl Factors {
    /// Whether the account has a real second factor (a passkey or TOTP).
    pub fn any(&self) -> bool {
        self.passkeys > 0 || self.totp
    }

    /// How many real second factors the account has (removal never takes the last one).
    pub fn count(&self) -> i64 {
        self.passkeys + i64::from(self.totp)
    }
}

/// The second factors of an account.
pub async fn factors(db: &Db, account_id: AccountId) -> Result<Factors, StoreError> {
    let mut conn = db.pool().acquire().await?;
    factors_in(&mut conn, account_id).await
}

/// The second factors of an account as the caller's transaction sees them (after its
/// own changes: "never remove the last factor" is decided on this).
pub async fn factors_in(conn: &mut Conn, account_id: AccountId) -> Result<Factors, StoreError> {
    let passkeys = passkeys::count(conn, account_id).await?;
    let totp = totp::is_enrolled(conn, account_id).await?;
    let recovery_codes = recovery::remaining_in(conn, account_id).await?;
    Ok(Factors { passkeys, totp, recovery_codes })
}
