//! Registration, e-mail confirmation, sign-in, sign-out, password reset and
//! withdrawal of the e-mail consent: the account life cycle, built from the
//! accounts, tokens, sessions, throttle, mail and audit services.
//!
//! No answer reveals whether an address is registered: registration, reset and
//! failed sign-in look the same and cost the same for known and unknown addresses;
//! the owner of a known address gets an e-mail instead.

use super::{
    accounts,
    audit::{self, AuditEvent},
    mail::templates,
    outbox,
    password_policy,
    request::Requester,
    sessions,
    store::StoreError,
    throttle::{self, ThrottlePolicy},
    tokens::{self, TokenProblem, TokenPurpose},
    AppState,
};
use crate::domain::{
    email::EmailAddress,
    language::Language,
    registration::{self, PasswordProblem, RegistrationForm, RegistrationProblems, RepetitionProblem},
};

/// A failure the user cannot fix (database or hashing broken); logged by the caller.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Password hashing failed.
    #[error(transparent)]
    Hash(#[from] super::passwords::HashError),
}

impl From<sqlx::Error> for AuthError {
    fn from(e: sqlx::Error) -> Self {
        AuthError::Store(e.into())
    }
}

pub(super) fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.settings.public_url)
}

/// `url` with `&weiter=<next>` appended.
fn with_next(url: &str, next: Option<&str>) -> String {
    match next {
        Some(next) => format!("{url}&weiter={}", crate::domain::navigation::encode_path(next)),
        None => url.to_owned(),
    }
}

pub(super) fn reset_page(state: &AppState) -> String {
    format!("{}/passwort-vergessen", state.settings.public_url)
}

/// Registers an account (or, for a known address, mails its owner) and sends the
/// confirmation link, which carries `next` (a local path to continue with after signing
/// in). Both cases answer `Ok(Ok(()))`.
pub async fn register(
    state: &AppState,
    form: &RegistrationForm<'_>,
    language: Language,
    next: Option<&str>,
    requester: &Requester,
) -> Result<Result<(), RegistrationProblems>, AuthError> {
    let mut problems = match registration::validate(form) {
        Ok(_) => RegistrationProblems::default(),
        Err(problems) => problems,
    };
    let email = EmailAddress::parse(form.email).ok();
    if problems.password.is_none() {
        problems.password = password_policy::evaluate(form.password, form.repetition, email.as_ref()).err();
    }
    let (Some(email), true) = (email, problems.is_empty()) else {
        return Ok(Err(problems));
    };

    let hash = state.hasher.hash(form.password).await?;
    let now = state.clock.now();
    let existing = accounts::find_by_email(&state.db, &email).await?;
    let mut tx = state.db.pool().begin().await?;
    let created = match existing {
        Some(_) => None,
        None => accounts::create(&mut tx, &email, &hash, language, now).await?,
    };
    match created {
        Some(account_id) => {
            let token = tokens::issue(&mut tx, account_id, TokenPurpose::ConfirmEmail, now).await?;
            let mail = templates::confirm_email(
                language,
                email.as_str(),
                &state.settings.portal_name,
                &with_next(&link(state, "/registrieren/bestaetigen", &token), next),
            );
            outbox::enqueue(&mut tx, &mail, now).await?;
            audit::record(&mut *tx, now, Some(account_id), AuditEvent::Registered, requester).await?;
        }
        None => {
            // Known address (or a parallel registration won): tell the owner, not the requester.
            let owner = match existing {
                Some(account) => Some(account),
                None => accounts::find_by_email(&state.db, &email).await?,
            };
            if let Some(owner) = owner {
                let mail = templates::already_registered(
                    owner.language,
                    &owner.email,
                    &state.settings.portal_name,
                    &reset_page(state),
                );
                outbox::enqueue(&mut tx, &mail, now).await?;
                audit::record(&mut *tx, now, Some(owner.id), AuditEvent::RegistrationForExistingAddress, requester)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Ok(()))
}

/// Confirms an address with the link's token (once).
pub async fn confirm_email(state: &AppState, token: &str, requester: &Requester) -> Result<Result<(), TokenProblem>, AuthError> {
    let now = state.clock.now();
    let mut tx = state.db.pool().begin().await?;
    let Some(account_id) = tokens::consume(&mut *tx, token, TokenPurpose::ConfirmEmail, now).await? else {
        tx.rollback().await?;
        return Ok(Err(token_problem(state, token, TokenPurpose::ConfirmEmail).await?));
    };
    accounts::mark_confirmed(&mut tx, account_id, now).await?;
    audit::record(&mut *tx, now, Some(account_id), AuditEvent::EmailConfirmed, requester).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

async fn token_problem(state: &AppState, token: &str, purpose: TokenPurpose) -> Result<TokenProblem, AuthError> {
    Ok(match tokens::status(&state.db, token, purpose, state.clock.now()).await? {
        Err(problem) => problem,
        // Valid now but consumption failed: a parallel request used it first.
        Ok(_) => TokenProblem::Used,
    })
}

/// Sends a new confirmation link if the address belongs to an unconfirmed account.
/// Answers the same in every case.
pub async fn resend_confirmation(state: &AppState, email: &EmailAddress) -> Result<(), AuthError> {
    let Some(account) = accounts::find_by_email(&state.db, email).await? else { return Ok(()) };
    if account.email_confirmed_at.is_some() {
        return Ok(());
    }
    let now = state.clock.now();
    let mut tx = state.db.pool().begin().await?;
    let token = tokens::issue(&mut tx, account.id, TokenPurpose::ConfirmEmail, now).await?;
    let mail = templates::confirm_email(
        account.language,
        &account.email,
        &state.settings.portal_name,
        &link(state, "/registrieren/bestaetigen", &token),
    );
    outbox::enqueue(&mut tx, &mail, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// What a session at the password stage must do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Give one of the account's second factors.
    SecondFactor,
    /// Set up a first second factor.
    Enrol,
}

/// The outcome of a sign-in attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// The password was right: a session at the password stage was started.
    SignedIn {
        /// Cookie value.
        token: String,
        /// The account.
        account_id: i64,
        /// The second step.
        next: NextStep,
    },
    /// Wrong address or password, or locked (indistinguishable on purpose).
    Failed,
    /// Correct password, but the address is not confirmed yet.
    Unconfirmed,
}

/// Checks address and password with throttling, and starts a session.
pub async fn sign_in(state: &AppState, email_input: &str, password: &str, requester: &Requester) -> Result<SignIn, AuthError> {
    let policy: ThrottlePolicy = state.settings.throttle;
    let now = state.clock.now();
    let email = EmailAddress::parse(email_input).ok();
    let account_key = throttle::account_key(email.as_ref().map(EmailAddress::as_str).unwrap_or(email_input.trim()));
    let address_key = throttle::address_key(&requester.ip);
    let account_state = throttle::state(&state.db, &account_key, now, &policy).await?;
    let address_state = throttle::state(&state.db, &address_key, now, &policy).await?;

    let delay = throttle::delay_for(account_state.failures, &policy);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let account = match &email {
        Some(email) => accounts::find_by_email(&state.db, email).await?,
        None => None,
    };
    let locked = account_state.locked_until.is_some() || address_state.locked_until.is_some();
    if locked {
        state.hasher.waste_equal_time(password).await;
        audit::record(state.db.pool(), now, account.as_ref().map(|a| a.id), AuditEvent::SignInFailed, requester).await?;
        return Ok(SignIn::Failed);
    }
    let verification = state.hasher.verify(password, account.as_ref().map(|a| a.password_hash.as_str())).await;
    let account_id = account.as_ref().map(|a| a.id);
    let Some(account) = account.filter(|_| verification.matches) else {
        record_failure(state, &account_key, &address_key, account_id, requester).await?;
        return Ok(SignIn::Failed);
    };
    throttle::clear(&state.db, &account_key).await?;
    if account.email_confirmed_at.is_none() {
        return Ok(SignIn::Unconfirmed);
    }
    if verification.needs_rehash {
        let hash = state.hasher.hash(password).await?;
        accounts::set_password_hash(state.db.pool(), account.id, &hash, now).await?;
    }
    let next = if super::mfa::factors(&state.db, account.id).await?.any() { NextStep::SecondFactor } else { NextStep::Enrol };
    let token = sessions::create(&state.db, account.id, sessions::Stage::Password, now, requester).await?;
    audit::record(state.db.pool(), now, Some(account.id), AuditEvent::PasswordAccepted, requester).await?;
    Ok(SignIn::SignedIn { token, account_id: account.id, next })
}

async fn record_failure(
    state: &AppState,
    account_key: &str,
    address_key: &str,
    account_id: Option<i64>,
    requester: &Requester,
) -> Result<(), AuthError> {
    let policy = state.settings.throttle;
    let now = state.clock.now();
    let account_locked = throttle::record_failure(&state.db, account_key, policy.lock_account_after, now, &policy).await?;
    throttle::record_failure(&state.db, address_key, policy.lock_address_after, now, &policy).await?;
    let mut tx = state.db.pool().begin().await?;
    audit::record(&mut *tx, now, account_id, AuditEvent::SignInFailed, requester).await?;
    if account_locked {
        if let Some(account) = match account_id {
            Some(id) => accounts::find_by_id(&state.db, id).await?,
            None => None,
        } {
            audit::record(&mut *tx, now, Some(account.id), AuditEvent::AccountLocked, requester).await?;
            let mail = templates::account_locked(
                account.language,
                &account.email,
                &state.settings.portal_name,
                policy.lock_seconds / 60,
                &reset_page(state),
            );
            outbox::enqueue(&mut tx, &mail, now).await?;
        }
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Ends a session.
pub async fn sign_out(state: &AppState, session_id: i64, account_id: i64, requester: &Requester) -> Result<(), AuthError> {
    sessions::delete(&state.db, session_id).await?;
    audit::record(state.db.pool(), state.clock.now(), Some(account_id), AuditEvent::SignedOut, requester).await?;
    Ok(())
}

/// Mails a reset link if the address has an account. Answers the same in every case.
pub async fn request_password_reset(state: &AppState, email: &EmailAddress, requester: &Requester) -> Result<(), AuthError> {
    let Some(account) = accounts::find_by_email(&state.db, email).await? else { return Ok(()) };
    let now = state.clock.now();
    let mut tx = state.db.pool().begin().await?;
    let token = tokens::issue(&mut tx, account.id, TokenPurpose::ResetPassword, now).await?;
    let mail = templates::password_reset(
        account.language,
        &account.email,
        &state.settings.portal_name,
        &link(state, "/passwort-vergessen/neu", &token),
    );
    outbox::enqueue(&mut tx, &mail, now).await?;
    audit::record(&mut *tx, now, Some(account.id), AuditEvent::PasswordResetRequested, requester).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Whether a reset link can still be used.
pub async fn check_reset_token(state: &AppState, token: &str) -> Result<Result<(), TokenProblem>, AuthError> {
    Ok(tokens::status(&state.db, token, TokenPurpose::ResetPassword, state.clock.now()).await?.map(|_| ()))
}

/// Why a password reset did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetProblem {
    /// The link cannot be used.
    Token(TokenProblem),
    /// The new password was refused.
    Password(PasswordProblem),
    /// The repetition was refused.
    Repetition(RepetitionProblem),
}

/// Sets a new password with a reset link: ends every session, clears the sign-in
/// throttle, confirms the address (the link proves access to it) and notifies the owner.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
    repetition: &str,
    requester: &Requester,
) -> Result<Result<(), ResetProblem>, AuthError> {
    let now = state.clock.now();
    let account_id = match tokens::status(&state.db, token, TokenPurpose::ResetPassword, now).await? {
        Ok(id) => id,
        Err(problem) => return Ok(Err(ResetProblem::Token(problem))),
    };
    let Some(account) = accounts::find_by_id(&state.db, account_id).await? else {
        return Ok(Err(ResetProblem::Token(TokenProblem::Unknown)));
    };
    let email = EmailAddress::parse(&account.email).ok();
    if let Err(problem) = password_policy::evaluate(password, repetition, email.as_ref()) {
        return Ok(Err(ResetProblem::Password(problem)));
    }
    if let Some(problem) = registration::repetition_problem(password, repetition) {
        return Ok(Err(ResetProblem::Repetition(problem)));
    }
    let hash = state.hasher.hash(password).await?;
    let mut tx = state.db.pool().begin().await?;
    if tokens::consume(&mut *tx, token, TokenPurpose::ResetPassword, now).await?.is_none() {
        tx.rollback().await?;
        return Ok(Err(ResetProblem::Token(TokenProblem::Used)));
    }
    accounts::set_password_hash(&mut *tx, account.id, &hash, now).await?;
    accounts::mark_confirmed(&mut tx, account.id, now).await?;
    let mail = templates::password_changed(account.language, &account.email, &state.settings.portal_name, &reset_page(state));
    outbox::enqueue(&mut tx, &mail, now).await?;
    audit::record(&mut *tx, now, Some(account.id), AuditEvent::PasswordReset, requester).await?;
    tx.commit().await?;
    sessions::delete_all_for_account(&state.db, account.id).await?;
    throttle::clear(&state.db, &throttle::account_key(&account.email)).await?;
    state.mail_wake.notify_one();
    Ok(Ok(()))
}

/// Withdraws the consent to the use of the e-mail address. Without it the portal
/// cannot keep the account, so the account is closed and deleted (after the password
/// is confirmed). Returns `false` for a wrong password.
pub async fn withdraw_email_consent(
    state: &AppState,
    account_id: i64,
    password: &str,
    requester: &Requester,
) -> Result<bool, AuthError> {
    let Some(account) = accounts::find_by_id(&state.db, account_id).await? else { return Ok(false) };
    if !state.hasher.verify(password, Some(&account.password_hash)).await.matches {
        return Ok(false);
    }
    let now = state.clock.now();
    let mut tx = state.db.pool().begin().await?;
    audit::record(&mut *tx, now, Some(account.id), AuditEvent::ConsentWithdrawn, requester).await?;
    accounts::delete(&mut tx, account.id).await?;
    tx.commit().await?;
    Ok(true)
}
