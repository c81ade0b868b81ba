//! The second half of signing in and everything around it: checking a TOTP or recovery
//! code (throttled like passwords), signing in with a passkey (also without a
//! password), setting up the first factor (which completes the sign-in with a new
//! session id and issues recovery codes), and confirming identity again before
//! sensitive changes.

use super::{
    accounts::{self, Account},
    audit::{self, AuditEvent},
    auth::AuthError,
    mail::templates,
    outbox,
    mfa::{ceremonies::Binding, passkeys, recovery, totp},
    request::Requester,
    sessions::{self, Session, Stage},
    throttle,
    AppState,
};
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

/// Sensitive changes need a proof of identity at most this old (seconds).
pub const REAUTH_WINDOW: i64 = 600;

/// A code the user typed.
#[derive(Debug, Clone, Copy)]
pub enum Code<'a> {
    /// From the authenticator app.
    Totp(&'a str),
    /// One of the recovery codes.
    Recovery(&'a str),
}

/// The result of checking a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// Correct. For a recovery code: how many are left.
    Valid {
        /// Unused recovery codes left (after a recovery code was used).
        recovery_left: Option<i64>,
    },
    /// Wrong, already used, or too many attempts (deliberately the same).
    Wrong,
}

/// Events worth a notification mail, and the change they describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A passkey was added.
    PasskeyAdded,
    /// A passkey was renamed.
    PasskeyRenamed,
    /// A passkey was removed.
    PasskeyRemoved,
    /// An authenticator app was set up.
    TotpEnabled,
    /// The authenticator app was removed.
    TotpRemoved,
    /// New recovery codes.
    RecoveryCodesRenewed,
    /// A recovery code was used to sign in.
    RecoveryCodeUsed,
    /// The password was changed.
    PasswordChanged,
    /// Sessions were ended.
    SessionsEnded,
}

/// Mails the owner about a change of their security settings.
pub async fn notify(state: &AppState, account: &Account, notice: Notice, now: i64) -> Result<(), AuthError> {
    let reset = format!("{}/passwort-vergessen", state.settings.public_url);
    let mail = templates::security_notice(account.language, &account.email, &state.settings.portal_name, notice, &reset);
    let mut tx = state.db.pool().begin().await?;
    outbox::enqueue(&mut tx, &mail, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

async fn account(state: &AppState, id: i64) -> Result<Account, AuthError> {
    accounts::find_by_id(&state.db, id).await?.ok_or(AuthError::Store(super::StoreError::Sql(sqlx::Error::RowNotFound)))
}

/// Checks a code of the account, with the same throttling as passwords (key
/// `second-factor:<account>`). A used recovery code is spent and its owner mailed.
pub async fn check_code(state: &AppState, account_id: i64, code: Code<'_>, requester: &Requester) -> Result<CodeCheck, AuthError> {
    let policy = state.settings.throttle;
    let now = state.clock.now();
    let key = format!("second-factor:{account_id}");
    let before = throttle::state(&state.db, &key, now, &policy).await?;
    let delay = throttle::delay_for(before.failures, &policy);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let result = if before.locked_until.is_some() {
        CodeCheck::Wrong
    } else {
        match code {
            Code::Totp(code) => match totp::verify(&state.db, account_id, code, now).await? {
                totp::Check::Valid => CodeCheck::Valid { recovery_left: None },
                totp::Check::Invalid | totp::Check::Replayed => CodeCheck::Wrong,
            },
            Code::Recovery(code) => match recovery::redeem(&state.db, account_id, code, &state.secret, now).await? {
                Some(left) => CodeCheck::Valid { recovery_left: Some(left) },
                None => CodeCheck::Wrong,
            },
        }
    };
    match result {
        CodeCheck::Valid { recovery_left } => {
            throttle::clear(&state.db, &key).await?;
            if recovery_left.is_some() {
                audit::record(state.db.pool(), now, Some(account_id), AuditEvent::RecoveryCodeUsed, requester).await?;
                notify(state, &account(state, account_id).await?, Notice::RecoveryCodeUsed, now).await?;
            }
        }
        CodeCheck::Wrong => {
            audit::record(state.db.pool(), now, Some(account_id), AuditEvent::SecondFactorFailed, requester).await?;
            if before.locked_until.is_none()
                && throttle::record_failure(&state.db, &key, policy.lock_account_after, now, &policy).await?
            {
                audit::record(state.db.pool(), now, Some(account_id), AuditEvent::AccountLocked, requester).await?;
                let owner = account(state, account_id).await?;
                let reset = format!("{}/passwort-vergessen", state.settings.public_url);
                let mail = templates::account_locked(owner.language, &owner.email, &state.settings.portal_name, policy.lock_seconds / 60, &reset);
                let mut tx = state.db.pool().begin().await?;
                outbox::enqueue(&mut tx, &mail, now).await?;
                tx.commit().await?;
                state.mail_wake.notify_one();
            }
        }
    }
    Ok(result)
}

/// Completes a sign-in at the password stage: a new, fully signed-in session.
pub async fn complete_sign_in(state: &AppState, session: &Session, requester: &Requester) -> Result<String, AuthError> {
    let now = state.clock.now();
    let token = sessions::promote(&state.db, session, now, requester).await?;
    audit::record(state.db.pool(), now, Some(session.account_id), AuditEvent::SignedIn, requester).await?;
    Ok(token)
}

/// Signs in with a passkey. Without `pending` this is the passwordless sign-in (a
/// passkey with user verification counts as both factors); with a session at the
/// password stage it is that session's second step and must be the same account's
/// passkey. Returns the new session's token, or `None` if the passkey was refused.
pub async fn sign_in_with_passkey(
    state: &AppState,
    binding: &Binding,
    response: &PublicKeyCredential,
    pending: Option<&Session>,
    requester: &Requester,
) -> Result<Option<String>, AuthError> {
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
    let token = match pending {
        Some(session) if session.account_id == account_id => sessions::promote(&state.db, session, now, requester).await?,
        Some(_) => {
            audit::record(state.db.pool(), now, pending.map(|s| s.account_id), AuditEvent::SecondFactorFailed, requester).await?;
            return Ok(None);
        }
        None => sessions::create(&state.db, account_id, Stage::Full, now, requester).await?,
    };
    audit::record(state.db.pool(), now, Some(account_id), AuditEvent::SignedIn, requester).await?;
    Ok(Some(token))
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
}

async fn finish_enrolment(
    state: &AppState,
    session: &Session,
    event: AuditEvent,
    notice: Notice,
    requester: &Requester,
) -> Result<Enrolled, AuthError> {
    let now = state.clock.now();
    let recovery_codes = if recovery::remaining(&state.db, session.account_id).await? == 0 {
        let mut tx = state.db.pool().begin().await?;
        let codes = recovery::replace_all(&mut tx, session.account_id, &state.secret, now).await?;
        tx.commit().await?;
        Some(codes)
    } else {
        None
    };
    audit::record(state.db.pool(), now, Some(session.account_id), event, requester).await?;
    let token = match session.stage {
        Stage::Password => Some(complete_sign_in(state, session, requester).await?),
        Stage::Full => None,
    };
    notify(state, &account(state, session.account_id).await?, notice, now).await?;
    Ok(Enrolled::Done { token, recovery_codes })
}

/// Confirms the pending authenticator app with a code from it.
pub async fn confirm_totp(state: &AppState, session: &Session, code: &str, requester: &Requester) -> Result<Enrolled, AuthError> {
    if !totp::confirm(&state.db, session.account_id, code, state.clock.now()).await? {
        return Ok(Enrolled::WrongCode);
    }
    finish_enrolment(state, session, AuditEvent::TotpEnabled, Notice::TotpEnabled, requester).await
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
    match passkeys::finish_registration(&state.webauthn, &state.db, session.account_id, &binding, response, name, now).await {
        Ok(_) => finish_enrolment(state, session, AuditEvent::PasskeyAdded, Notice::PasskeyAdded, requester).await,
        Err(passkeys::PasskeyError::Store(e)) => Err(e.into()),
        Err(error) => {
            tracing::info!(%error, "passkey registration refused");
            Ok(Enrolled::Refused)
        }
    }
}

/// Whether the session proved its identity recently enough for a sensitive change.
pub fn recently_verified(session: &Session, now: i64) -> bool {
    session.stage == Stage::Full && now - session.verified_at <= REAUTH_WINDOW
}

/// Confirms identity again with a code; `true` if it was right.
pub async fn reauthenticate_with_code(state: &AppState, session: &Session, code: Code<'_>, requester: &Requester) -> Result<bool, AuthError> {
    let ok = matches!(check_code(state, session.account_id, code, requester).await?, CodeCheck::Valid { .. });
    if ok {
        let now = state.clock.now();
        sessions::mark_verified(&state.db, session.id, now).await?;
        audit::record(state.db.pool(), now, Some(session.account_id), AuditEvent::Reauthenticated, requester).await?;
    }
    Ok(ok)
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
    if ok {
        sessions::mark_verified(&state.db, session.id, now).await?;
        audit::record(state.db.pool(), now, Some(session.account_id), AuditEvent::Reauthenticated, requester).await?;
    }
    Ok(ok)
}
