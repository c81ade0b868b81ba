//! Registration, e-mail confirmation, sign-in, sign-out, password reset and
//! withdrawal of the e-mail consent: the account life cycle, built from the
//! accounts, tokens, sessions, throttle, mail and audit services.
//!
//! No answer reveals whether an address is registered: registration, reset and
//! failed sign-in look the same and cost the same for known and unknown addresses;
//! the owner of a known address gets an e-mail instead.
//!
//! Every password check — sign-in, and the current password on the security, e-mail
//! and privacy pages — goes through [`check_password`]: one attempt is reserved per
//! account and per source address *before* the hash is compared (see
//! [`super::throttle`]), so a burst of parallel guesses checks at most the limit.

use crate::domain::routes;
use crate::domain::ids::AccountId;
use super::{
    accounts::{self, Account},
    audit::{self, AuditEvent},
    mail::templates,
    mfa::ceremonies,
    notices,
    outbox,
    password_policy,
    request::Requester,
    sessions,
    store::StoreError,
    throttle::{self, Limit},
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

/// Mails one address may be sent on request per hour: confirmation links, reset links
/// and "already registered" notices together (issue "atomic limits"; an attacker must
/// not be able to use the portal to flood a mailbox).
pub const MAILS_PER_ADDRESS_HOUR: i64 = 3;

pub(super) fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", state.settings.public_url)
}

/// `url` with `&next=<next>` appended.
fn with_next(url: &str, next: Option<&str>) -> String {
    match next {
        Some(next) => format!("{url}&{}={}", crate::domain::navigation::NEXT, crate::domain::navigation::encode_path(next)),
        None => url.to_owned(),
    }
}

/// Reserves one mail requested from the requester's source address: at most the
/// configured number per source address and hour and, for `address`, at most
/// [`MAILS_PER_ADDRESS_HOUR`] per address and hour. `false` when capped; the request is
/// then audited and nothing is sent, but the visitor sees the usual answer (no
/// enumeration). `address` is `None` for the confirmation of a newly created account:
/// each address gets that mail once at most, and requests for a not yet registered
/// address (which count like all others) must not keep its owner from registering.
pub(super) async fn reserve_mail(
    state: &AppState,
    address: Option<&str>,
    account_id: Option<AccountId>,
    requester: &Requester,
) -> Result<bool, AuthError> {
    let now = state.clock.now();
    let mut keys = vec![(
        throttle::key("mail-source", &requester.limit_source()),
        Limit { max: state.settings.mails_per_source_hour, window_seconds: 3600, lock_seconds: 3600 },
    )];
    if let Some(address) = address {
        keys.push((throttle::key("mail", address), Limit { max: MAILS_PER_ADDRESS_HOUR, window_seconds: 3600, lock_seconds: 3600 }));
    }
    match throttle::reserve_all(&state.db, &keys, now).await? {
        Ok(attempts) => {
            // A mail request is spent at once; the last one of the hour locks the key
            // for an hour.
            for attempt in &attempts {
                throttle::spend(&state.db, attempt, now).await?;
            }
            Ok(true)
        }
        Err(_) => {
            audit::record(state.db.pool(), now, account_id, AuditEvent::MailCapped, requester).await?;
            Ok(false)
        }
    }
}

/// Registers an account (or, for a known address, mails its owner) and sends the
/// confirmation link, which carries `next` (a local path to continue with after signing
/// in). Both cases answer `Ok(Ok(()))`, also when the address's mails are capped.
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
    // A new account's confirmation counts only against the source; a notice to the
    // owner of a known address counts against the address too.
    let capped_address = existing.as_ref().map(|_| email.as_str());
    if !reserve_mail(state, capped_address, existing.as_ref().map(|a| a.id), requester).await? {
        return Ok(Ok(()));
    }
    let mut tx = state.db.begin().await?;
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
                &with_next(&link(state, routes::CONFIRM_EMAIL, &token), next),
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
                    &notices::reset_page(state),
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

/// Whether a confirmation link can still be used, without using it (the page a link
/// opens shows a button; mail scanners that fetch links must not spend them).
pub async fn check_confirmation(state: &AppState, token: &str) -> Result<Result<(), TokenProblem>, AuthError> {
    Ok(tokens::status(&state.db, token, TokenPurpose::ConfirmEmail, state.clock.now()).await?.map(|_| ()))
}

/// Confirms an address with the link's token (once).
pub async fn confirm_email(state: &AppState, token: &str, requester: &Requester) -> Result<Result<(), TokenProblem>, AuthError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(account_id) = tokens::consume(&mut *tx, token, TokenPurpose::ConfirmEmail, now).await? else {
        tx.rollback().await?;
        return Ok(Err(token_problem(state, token, TokenPurpose::ConfirmEmail).await?));
    };
    accounts::mark_confirmed(&mut tx, account_id, now).await?;
    audit::record(&mut *tx, now, Some(account_id), AuditEvent::EmailConfirmed, requester).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

pub(super) async fn token_problem(state: &AppState, token: &str, purpose: TokenPurpose) -> Result<TokenProblem, AuthError> {
    Ok(match tokens::status(&state.db, token, purpose, state.clock.now()).await? {
        Err(problem) => problem,
        // Valid now but consumption failed: a parallel request used it first.
        Ok(_) => TokenProblem::Used,
    })
}

/// Sends a new confirmation link if the address belongs to an unconfirmed account.
/// Answers the same in every case.
pub async fn resend_confirmation(state: &AppState, email: &EmailAddress, requester: &Requester) -> Result<(), AuthError> {
    let account = accounts::find_by_email(&state.db, email).await?;
    if !reserve_mail(state, Some(email.as_str()), account.as_ref().map(|a| a.id), requester).await? {
        return Ok(());
    }
    let Some(account) = account.filter(|a| a.email_confirmed_at.is_none()) else { return Ok(()) };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    accounts::begin_security_change(&mut tx, account.id).await?;
    let token = tokens::issue(&mut tx, account.id, TokenPurpose::ConfirmEmail, now).await?;
    let mail = templates::confirm_email(
        account.language,
        &account.email,
        &state.settings.portal_name,
        &link(state, routes::CONFIRM_EMAIL, &token),
    );
    outbox::enqueue(&mut tx, &mail, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// The verdict on a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Right; the stored hash uses weaker parameters than today's.
    Right {
        /// Rehash with today's parameters.
        needs_rehash: bool,
    },
    /// Wrong (or no such account: checked against a dummy hash, same time).
    Wrong,
    /// Not checked: the account or the source address used up its attempts.
    Refused,
}

/// Which audit events a password check writes.
#[derive(Debug, Clone, Copy)]
struct CheckEvents {
    failed: AuditEvent,
    refused: AuditEvent,
}

const SIGN_IN_EVENTS: CheckEvents = CheckEvents { failed: AuditEvent::SignInFailed, refused: AuditEvent::SignInRefused };
const RECHECK_EVENTS: CheckEvents =
    CheckEvents { failed: AuditEvent::PasswordCheckFailed, refused: AuditEvent::PasswordCheckRefused };

/// Checks a password under the sign-in limits: reserves an attempt for the account
/// (`key_email`, the normalised address or what was typed) and for the source address,
/// waits the delay the account's attempt number calls for, then compares. A right
/// password gives both attempts back; a wrong one keeps them, and the one that uses up
/// the account's limit locks it and mails the owner (at most once an hour).
async fn check_password(
    state: &AppState,
    key_email: &str,
    account: Option<&Account>,
    password: &str,
    events: CheckEvents,
    requester: &Requester,
) -> Result<Verdict, AuthError> {
    let policy = state.settings.throttle;
    let now = state.clock.now();
    // The source address first: a locked source creates no rows for made-up accounts.
    let keys = [
        (throttle::address_key(&requester.limit_source()), policy.address_limit()),
        (throttle::account_key(key_email), policy.account_limit()),
    ];
    let account_id = account.map(|a| a.id);
    let attempts = match throttle::reserve_all(&state.db, &keys, now).await? {
        Ok(attempts) => attempts,
        Err(_) => {
            audit::record(state.db.pool(), now, account_id, events.refused, requester).await?;
            return Ok(Verdict::Refused);
        }
    };
    let [address_attempt, account_attempt] = attempts.as_slice() else {
        return Err(StoreError::Sql(sqlx::Error::Protocol("two attempts expected".into())).into());
    };
    let delay = policy.delay_for(account_attempt.number);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let verification = state.hasher.verify(password, account.map(|a| a.password_hash.as_str())).await;
    if verification.matches && account.is_some() {
        // Only this attempt comes back: the wrong guesses of the window stay counted.
        throttle::give_back(&state.db, account_attempt).await?;
        throttle::give_back(&state.db, address_attempt).await?;
        return Ok(Verdict::Right { needs_rehash: verification.needs_rehash });
    }
    let locked = throttle::spend(&state.db, account_attempt, now).await?;
    throttle::spend(&state.db, address_attempt, now).await?;
    let tell = match (locked, account) {
        (true, Some(account)) => notices::lock_notice_due(state, account.id, now).await?,
        _ => false,
    };
    let mut tx = state.db.begin().await?;
    audit::record(&mut *tx, now, account_id, events.failed, requester).await?;
    if let (true, Some(account)) = (locked, account) {
        audit::record(&mut *tx, now, Some(account.id), AuditEvent::AccountLocked, requester).await?;
        if tell {
            notices::locked(&mut tx, state, account, now).await?;
        }
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Verdict::Wrong)
}

/// Checks the current password of a signed-in account before a sensitive change (e-mail
/// change, password change, account closure): the same limits as signing in, and a
/// failure is audited. `false` for a wrong password or when the limit is reached.
pub async fn check_current_password(state: &AppState, account: &Account, password: &str, requester: &Requester) -> Result<bool, AuthError> {
    Ok(matches!(
        check_password(state, &account.email, Some(account), password, RECHECK_EVENTS, requester).await?,
        Verdict::Right { .. }
    ))
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
        account_id: AccountId,
        /// The second step.
        next: NextStep,
    },
    /// Wrong address or password, or too many attempts (indistinguishable on purpose).
    Failed,
    /// Correct password, but the address is not confirmed yet.
    Unconfirmed,
}

/// Checks address and password under the attempt limits and starts a session at the
/// password stage; the browser's `previous` session (if any) ends in the same
/// transaction (a new session id at every sign-in).
pub async fn sign_in(
    state: &AppState,
    email_input: &str,
    password: &str,
    previous: Option<i64>,
    requester: &Requester,
) -> Result<SignIn, AuthError> {
    let email = EmailAddress::parse(email_input).ok();
    let key_email = email.as_ref().map(EmailAddress::as_str).unwrap_or(email_input.trim()).to_owned();
    let account = match &email {
        Some(email) => accounts::find_by_email(&state.db, email).await?,
        None => None,
    };
    let needs_rehash = match check_password(state, &key_email, account.as_ref(), password, SIGN_IN_EVENTS, requester).await? {
        Verdict::Right { needs_rehash } => needs_rehash,
        Verdict::Wrong | Verdict::Refused => return Ok(SignIn::Failed),
    };
    let Some(account) = account else { return Ok(SignIn::Failed) };
    if account.email_confirmed_at.is_none() {
        return Ok(SignIn::Unconfirmed);
    }
    let rehash = match needs_rehash {
        true => Some(state.hasher.hash(password).await?),
        false => None,
    };
    let now = state.clock.now();
    let next = if super::mfa::factors(&state.db, account.id).await?.any() { NextStep::SecondFactor } else { NextStep::Enrol };
    let mut tx = state.db.begin().await?;
    if let Some(hash) = rehash {
        accounts::set_password_hash(&mut *tx, account.id, &hash, now).await?;
    }
    if let Some(previous) = previous {
        sessions::delete(&mut tx, previous).await?;
    }
    let token = sessions::create(&mut tx, account.id, sessions::Stage::Password, now, requester).await?;
    audit::record(&mut *tx, now, Some(account.id), AuditEvent::PasswordAccepted, requester).await?;
    tx.commit().await?;
    Ok(SignIn::SignedIn { token, account_id: account.id, next })
}

/// Ends a session (and audits it, in one transaction).
pub async fn sign_out(state: &AppState, session_id: i64, account_id: AccountId, requester: &Requester) -> Result<(), AuthError> {
    let mut tx = state.db.begin().await?;
    if sessions::delete(&mut tx, session_id).await? {
        audit::record(&mut *tx, state.clock.now(), Some(account_id), AuditEvent::SignedOut, requester).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Mails a reset link if the address has an account. Answers the same in every case.
pub async fn request_password_reset(state: &AppState, email: &EmailAddress, requester: &Requester) -> Result<(), AuthError> {
    let account = accounts::find_by_email(&state.db, email).await?;
    if !reserve_mail(state, Some(email.as_str()), account.as_ref().map(|a| a.id), requester).await? {
        return Ok(());
    }
    let Some(account) = account else { return Ok(()) };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // Parallel requests issue one after the other: each voids the earlier link.
    accounts::begin_security_change(&mut tx, account.id).await?;
    let token = tokens::issue(&mut tx, account.id, TokenPurpose::ResetPassword, now).await?;
    let mail = templates::password_reset(
        account.language,
        &account.email,
        &state.settings.portal_name,
        &link(state, routes::RESET_PASSWORD, &token),
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

/// Sets a new password with a reset link, in one transaction: uses the link, stores the
/// hash, confirms the address (the link proves access to it), voids every other
/// outstanding link of the account (reset, confirmation, address change), ends every
/// session and open passkey ceremony, and mails the owner. Afterwards the sign-in
/// limit of the account is lifted (a reset always lets the owner back in).
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
    let mut tx = state.db.begin().await?;
    if tokens::consume(&mut *tx, token, TokenPurpose::ResetPassword, now).await?.is_none() {
        tx.rollback().await?;
        return Ok(Err(ResetProblem::Token(token_problem(state, token, TokenPurpose::ResetPassword).await?)));
    }
    accounts::begin_security_change(&mut tx, account.id).await?;
    accounts::set_password_hash(&mut *tx, account.id, &hash, now).await?;
    accounts::mark_confirmed(&mut tx, account.id, now).await?;
    tokens::void(&mut tx, account.id, &TokenPurpose::ALL, now).await?;
    sessions::delete_all_for_account(&mut tx, account.id).await?;
    ceremonies::end_for_account(&mut tx, account.id).await?;
    let mail = templates::password_changed(account.language, &account.email, &state.settings.portal_name, &notices::reset_page(state));
    outbox::enqueue(&mut tx, &mail, now).await?;
    audit::record(&mut *tx, now, Some(account.id), AuditEvent::PasswordReset, requester).await?;
    tx.commit().await?;
    throttle::clear(&state.db, &throttle::account_key(&account.email)).await?;
    throttle::clear(&state.db, &throttle::second_factor_key(account.id)).await?;
    state.mail_wake.notify_one();
    Ok(Ok(()))
}

/// Why the consent was not withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawProblem {
    /// The identity must be confirmed again first (at most ten minutes old).
    ReauthenticationRequired,
    /// The password was wrong (or too many attempts).
    WrongPassword,
}

/// Withdraws the consent to the use of the e-mail address. Without it the portal
/// cannot keep the account, so the account is closed and deleted — after a recent
/// proof of identity and the password.
pub async fn withdraw_email_consent(
    state: &AppState,
    session: &sessions::Session,
    password: &str,
    requester: &Requester,
) -> Result<Result<(), WithdrawProblem>, AuthError> {
    if !session.recently_verified(state.clock.now()) {
        return Ok(Err(WithdrawProblem::ReauthenticationRequired));
    }
    let Some(account) = accounts::find_by_id(&state.db, session.account_id).await? else {
        return Ok(Err(WithdrawProblem::WrongPassword));
    };
    if !check_current_password(state, &account, password, requester).await? {
        return Ok(Err(WithdrawProblem::WrongPassword));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    audit::record(&mut *tx, now, Some(account.id), AuditEvent::ConsentWithdrawn, requester).await?;
    accounts::delete(&mut tx, account.id).await?;
    tx.commit().await?;
    Ok(Ok(()))
}
