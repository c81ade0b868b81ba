//! The second half of signing in and everything around it: checking a TOTP or recovery
//! code under the attempt limit, signing in with a passkey (also without a password),
//! setting up the first factor (which completes the sign-in with a new session id and
//! issues recovery codes), and confirming identity again before sensitive changes.
//!
//! Each of these is one transaction: the code is used, the session replaced, the audit
//! entry and the notice written together — a session ended meanwhile (signed out, or
//! by a password change elsewhere) rolls everything back, so the code stays unused.

use crate::domain::ids::AccountId;
use super::{
    accounts::{self, Account},
    audit::{self, AuditEvent},
    auth::AuthError,
    mfa::{self, ceremonies::Binding, passkeys, recovery, totp},
    notices,
    request::Requester,
    sessions::{self, Session, Stage},
    store::Tx,
    throttle::{self, Reservation},
    AppState,
};
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

/// A code the user typed.
#[derive(Debug, Clone, Copy)]
pub enum Code<'a> {
    /// From the authenticator app.
    Totp(&'a str),
    /// One of the recovery codes.
    Recovery(&'a str),
}

impl<'a> Code<'a> {
    /// The code of a form: `method = "recovery"` for a recovery code, else (`"totp"`) a
    /// code from the app.
    pub fn from_form(method: &str, code: &'a str) -> Code<'a> {
        match method {
            "recovery" => Code::Recovery(code),
            _ => Code::Totp(code),
        }
    }
}

async fn account(state: &AppState, id: AccountId) -> Result<Account, AuthError> {
    accounts::find_by_id(&state.db, id).await?.ok_or(AuthError::Store(super::StoreError::Sql(sqlx::Error::RowNotFound)))
}

/// A code that was right: it is used inside `tx`, which the caller extends with what
/// the code unlocks and then [`ValidCode::commit`]s (or drops, which rolls back and
/// leaves the code unused).
struct ValidCode {
    tx: Tx,
    recovery_left: Option<i64>,
    attempt: throttle::Attempt,
}

impl ValidCode {
    /// Commits and gives the code's attempt back (only this one: the wrong codes of the
    /// window stay counted).
    async fn commit(self, state: &AppState) -> Result<(), AuthError> {
        self.tx.commit().await?;
        throttle::give_back(&state.db, &self.attempt).await?;
        state.mail_wake.notify_one();
        Ok(())
    }
}

/// Checks a code of the account under the same limit as passwords (key
/// `second-factor`, per account): the attempt is reserved first, delayed by its number,
/// then the code is used in a new transaction. A wrong code keeps the attempt and is
/// audited; the one that uses up the limit locks the account's second step for
/// `LOGIN_LOCK_MINUTES` and mails the owner once. A used recovery code is audited and
/// its owner mailed inside the returned transaction.
async fn check_code(state: &AppState, account_id: AccountId, code: Code<'_>, requester: &Requester) -> Result<Option<ValidCode>, AuthError> {
    let policy = state.settings.throttle;
    let now = state.clock.now();
    let key = throttle::second_factor_key(account_id);
    let attempt = match throttle::reserve(&state.db, &key, policy.account_limit(), now).await? {
        Reservation::Granted(attempt) => attempt,
        Reservation::Refused { .. } => {
            audit::record(state.db.pool(), now, Some(account_id), AuditEvent::SecondFactorRefused, requester).await?;
            return Ok(None);
        }
    };
    let delay = policy.delay_for(attempt.number);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let now = state.clock.now();
    // Read before the transaction, so that its first statement is a write (SQLite).
    let totp_step = match code {
        Code::Totp(code) => totp::find_step(&state.db, &state.secret, account_id, totp::Which::Confirmed, code, now).await?,
        Code::Recovery(_) => None,
    };
    let mut tx = state.db.begin().await?;
    let valid = match code {
        Code::Totp(_) => match totp_step {
            Some((id, step)) => (totp::use_step(&mut tx, id, step).await? == totp::Check::Valid).then_some(None),
            None => None,
        },
        Code::Recovery(code) => recovery::redeem(&mut tx, account_id, code, &state.secret, now).await?.map(Some),
    };
    match valid {
        Some(recovery_left) => {
            if recovery_left.is_some() {
                let owner = account(state, account_id).await?;
                audit::record(&mut *tx, now, Some(account_id), AuditEvent::RecoveryCodeUsed, requester).await?;
                notices::security_change(&mut tx, state, &owner, AuditEvent::RecoveryCodeUsed, now).await?;
            }
            Ok(Some(ValidCode { tx, recovery_left, attempt }))
        }
        None => {
            tx.rollback().await?;
            let locked = throttle::spend(&state.db, &attempt, now).await?;
            let tell = locked && notices::lock_notice_due(state, account_id, now).await?;
            let owner = match tell {
                true => Some(account(state, account_id).await?),
                false => None,
            };
            let mut tx = state.db.begin().await?;
            audit::record(&mut *tx, now, Some(account_id), AuditEvent::SecondFactorFailed, requester).await?;
            if locked {
                audit::record(&mut *tx, now, Some(account_id), AuditEvent::AccountLocked, requester).await?;
            }
            if let Some(owner) = owner {
                notices::locked(&mut tx, state, &owner, now).await?;
            }
            tx.commit().await?;
            state.mail_wake.notify_one();
            Ok(None)
        }
    }
}

/// The result of the second step with a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondStep {
    /// Signed in: a new, fully signed-in session.
    SignedIn {
        /// The new session's cookie token.
        token: String,
        /// Unused recovery codes left (after a recovery code was used).
        recovery_left: Option<i64>,
    },
    /// Wrong, already used, or too many attempts (deliberately the same).
    Wrong,
    /// The session ended meanwhile (nothing was used).
    SessionEnded,
}

/// The second step of signing in with a code: checks it under the limit and replaces
/// the session at the password stage by a full one, in one transaction.
pub async fn sign_in_with_code(state: &AppState, session: &Session, code: Code<'_>, requester: &Requester) -> Result<SecondStep, AuthError> {
    let Some(mut valid) = check_code(state, session.account_id, code, requester).await? else { return Ok(SecondStep::Wrong) };
    let now = state.clock.now();
    let Some(token) = sessions::promote(&mut valid.tx, session, now, requester).await? else {
        return Ok(SecondStep::SessionEnded);
    };
    audit::record(&mut *valid.tx, now, Some(session.account_id), AuditEvent::SignedIn, requester).await?;
    let recovery_left = valid.recovery_left;
    valid.commit(state).await?;
    Ok(SecondStep::SignedIn { token, recovery_left })
}

/// Signs in with a passkey. Without `pending` this is the passwordless sign-in (a
/// passkey with user verification counts as both factors); with a session at the
/// password stage it is that session's second step and must be the same account's
/// passkey. Returns the new session's token and account id, or `None` if the passkey was refused (or
/// the pending session ended meanwhile); with the token, the signed-in account.
pub async fn sign_in_with_passkey(
    state: &AppState,
    binding: &Binding,
    response: &PublicKeyCredential,
    pending: Option<&Session>,
    requester: &Requester,
) -> Result<Option<(String, AccountId)>, AuthError> {
    let now = state.clock.now();
    let account_id = match passkeys::finish_authentication(&state.webauthn, &state.db, binding, response, now).await {
        Ok(id) => id,
        Err(passkeys::PasskeyError::Store(e)) => return Err(e.into()),
        Err(error) => {
            tracing::info!(%error, "passkey sign-in refused");
            audit::record(state.db.pool(), now, pending.map(|s| s.account_id), AuditEvent::SecondFactorFailed, requester).await?;
            return Ok(None);
        }
    };
    let mut tx = state.db.begin().await?;
    let token = match pending {
        Some(session) if session.account_id == account_id => sessions::promote(&mut tx, session, now, requester).await?,
        Some(_) => None,
        None => Some(sessions::create(&mut tx, account_id, Stage::Full, now, requester).await?),
    };
    let Some(token) = token else {
        tx.rollback().await?;
        audit::record(state.db.pool(), now, pending.map(|s| s.account_id), AuditEvent::SecondFactorFailed, requester).await?;
        return Ok(None);
    };
    audit::record(&mut *tx, now, Some(account_id), AuditEvent::SignedIn, requester).await?;
    tx.commit().await?;
    Ok(Some((token, account_id)))
}

/// The result of setting up a second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolled {
    /// Set up.
    Done {
        /// The new session cookie, when this completed the sign-in (first factor).
        token: Option<String>,
        /// Recovery codes to show once, when the account had none.
        recovery_codes: Option<Vec<String>>,
    },
    /// The code from the app was wrong (nothing changed).
    WrongCode,
    /// The browser's passkey answer was refused (nothing changed).
    Refused,
    /// The session ended meanwhile (nothing changed).
    SessionEnded,
}

/// What is being set up.
enum NewFactor {
    Totp { id: i64, step: i64 },
    Passkey { passkey: passkeys::NewPasskey, name: String },
}

/// Stores the new factor and everything that goes with it in one transaction: recovery
/// codes if the account has none, the audit entry, the full session if this completed
/// the sign-in, and the notice.
async fn enrol(state: &AppState, session: &Session, factor: NewFactor, requester: &Requester) -> Result<Enrolled, AuthError> {
    let now = state.clock.now();
    let owner = account(state, session.account_id).await?;
    let mut tx = state.db.begin().await?;
    accounts::begin_security_change(&mut tx, session.account_id).await?;
    let event = match factor {
        NewFactor::Totp { id, step } => {
            if !totp::confirm(&mut tx, session.account_id, id, step, now).await? {
                return Ok(Enrolled::WrongCode);
            }
            AuditEvent::TotpEnabled
        }
        NewFactor::Passkey { passkey, name } => {
            passkeys::insert(&mut tx, session.account_id, &passkey, &name, now).await?;
            AuditEvent::PasskeyAdded
        }
    };
    let recovery_codes = match mfa::factors_in(&mut tx, session.account_id).await?.recovery_codes {
        0 => Some(recovery::replace_all(&mut tx, session.account_id, &state.secret, now).await?),
        _ => None,
    };
    audit::record(&mut *tx, now, Some(session.account_id), event, requester).await?;
    let token = match session.stage {
        Stage::Password => match sessions::promote(&mut tx, session, now, requester).await? {
            Some(token) => {
                audit::record(&mut *tx, now, Some(session.account_id), AuditEvent::SignedIn, requester).await?;
                Some(token)
            }
            None => return Ok(Enrolled::SessionEnded),
        },
        Stage::Full => None,
    };
    notices::security_change(&mut tx, state, &owner, event, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Enrolled::Done { token, recovery_codes })
}

/// Confirms the pending authenticator app with a code from it.
pub async fn confirm_totp(state: &AppState, session: &Session, code: &str, requester: &Requester) -> Result<Enrolled, AuthError> {
    match totp::find_step(&state.db, &state.secret, session.account_id, totp::Which::Pending, code, state.clock.now()).await? {
        Some((id, step)) => enrol(state, session, NewFactor::Totp { id, step }, requester).await,
        None => Ok(Enrolled::WrongCode),
    }
}

/// Adds a passkey from the browser's registration answer.
pub async fn add_passkey(
    state: &AppState,
    session: &Session,
    response: &RegisterPublicKeyCredential,
    name: &str,
    requester: &Requester,
) -> Result<Enrolled, AuthError> {
    let now = state.clock.now();
    let binding = Binding::Session(session.id);
    match passkeys::verify_registration(&state.webauthn, &state.db, &binding, response, now).await {
        Ok(passkey) => enrol(state, session, NewFactor::Passkey { passkey, name: name.to_owned() }, requester).await,
        Err(passkeys::PasskeyError::Store(e)) => Err(e.into()),
        Err(error) => {
            tracing::info!(%error, "passkey registration refused");
            Ok(Enrolled::Refused)
        }
    }
}

/// Confirms identity again with a code (under the second-factor limit); `true` if it was
/// right and the session is still there.
pub async fn reauthenticate_with_code(state: &AppState, session: &Session, code: Code<'_>, requester: &Requester) -> Result<bool, AuthError> {
    let Some(mut valid) = check_code(state, session.account_id, code, requester).await? else { return Ok(false) };
    let now = state.clock.now();
    if !sessions::mark_verified(&mut valid.tx, session.id, now).await? {
        return Ok(false);
    }
    audit::record(&mut *valid.tx, now, Some(session.account_id), AuditEvent::Reauthenticated, requester).await?;
    valid.commit(state).await?;
    Ok(true)
}

/// Confirms identity again with one of the account's passkeys.
pub async fn reauthenticate_with_passkey(
    state: &AppState,
    session: &Session,
    response: &PublicKeyCredential,
    requester: &Requester,
) -> Result<bool, AuthError> {
    let now = state.clock.now();
    let binding = Binding::Session(session.id);
    let ok = match passkeys::finish_authentication(&state.webauthn, &state.db, &binding, response, now).await {
        Ok(account_id) => account_id == session.account_id,
        Err(passkeys::PasskeyError::Store(e)) => return Err(e.into()),
        Err(_) => false,
    };
    if !ok {
        return Ok(false);
    }
    let mut tx = state.db.begin().await?;
    if !sessions::mark_verified(&mut tx, session.id, now).await? {
        return Ok(false);
    }
    audit::record(&mut *tx, now, Some(session.account_id), AuditEvent::Reauthenticated, requester).await?;
    tx.commit().await?;
    Ok(true)
}
