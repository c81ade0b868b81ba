//! Accounts: registration, e-mail confirmation, sign-in and -out, password reset,
//! withdrawal of the e-mail consent. Each function answers with an outcome the page
//! renders; without JavaScript the outcome reaches the page through [`super::flash`].

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::{email::EmailError, registration::{PasswordProblem, RegistrationProblems, RepetitionProblem}};

/// Result of a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegisterOutcome {
    /// Accepted: a confirmation link is on its way (or the owner was told).
    Registered {
        /// The address the mail goes to.
        email: String,
    },
    /// Refused; the form is shown again with the input kept (never the password).
    Invalid {
        /// What is wrong.
        problems: RegistrationProblems,
        /// Entered address.
        email: String,
        /// Terms box state.
        accept_terms: bool,
        /// Consent box state.
        consent_email: bool,
    },
}

/// Result of following an e-mail link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkOutcome {
    /// It worked (or, for a check, the link can be used).
    Valid,
    /// The link was already used.
    Used,
    /// The link expired.
    Expired,
    /// No such link (mistyped or altered).
    Invalid,
    /// A later change made the link void (a newer link, a password change or reset, an
    /// address change).
    Voided,
}

/// Result of asking for a new link (confirmation or password reset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkRequestOutcome {
    /// Accepted. The same answer whether the address is registered or not.
    Sent {
        /// The address as entered.
        email: String,
    },
    /// The address is not valid.
    Invalid {
        /// As entered.
        email: String,
        /// Why.
        problem: EmailError,
    },
}

/// Why a sign-in did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInProblem {
    /// No address entered.
    EmailMissing,
    /// No password entered.
    PasswordMissing,
    /// Neither entered.
    BothMissing,
    /// Address or password wrong (or the account is locked; deliberately the same).
    WrongCredentials,
    /// The address is not confirmed yet.
    Unconfirmed,
}

impl SignInProblem {
    /// What is missing from the form, if anything (the address already trimmed).
    pub fn missing(email: &str, password: &str) -> Option<SignInProblem> {
        match (email.is_empty(), password.is_empty()) {
            (true, true) => Some(SignInProblem::BothMissing),
            (true, false) => Some(SignInProblem::EmailMissing),
            (false, true) => Some(SignInProblem::PasswordMissing),
            (false, false) => None,
        }
    }
}

/// Result of a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInOutcome {
    /// Signed in; continue at `next`.
    SignedIn {
        /// Local path to open.
        next: String,
    },
    /// Not signed in.
    Rejected {
        /// The address as entered (kept in the form).
        email: String,
        /// Why.
        problem: SignInProblem,
    },
}

/// Result of setting a new password with a reset link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetOutcome {
    /// The password was changed; every session was ended.
    Done,
    /// The link cannot be used.
    Link(LinkOutcome),
    /// The new password or its repetition was refused.
    Invalid {
        /// Password problem.
        password: Option<PasswordProblem>,
        /// Repetition problem.
        repetition: Option<RepetitionProblem>,
    },
}

/// The signed-in account as shown on "Mein Konto".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// E-mail address (the user name).
    pub email: String,
    /// Registration time (Unix seconds).
    pub registered_at: i64,
    /// Works at a job centre (has the staff desk).
    pub is_staff: bool,
    /// Has unlocked a job-centre profile.
    pub has_profile: bool,
    /// Sensitive changes need a new proof of identity first (the last one is more than
    /// ten minutes old).
    pub needs_reauthentication: bool,
}

/// A consent as shown to its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    /// `true` for the terms of use, `false` for the e-mail consent.
    pub terms_of_use: bool,
    /// Text version.
    pub version: String,
    /// When given (Unix seconds).
    pub granted_at: i64,
}

/// Result of withdrawing the e-mail consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WithdrawOutcome {
    /// Consent withdrawn, account closed.
    Withdrawn,
    /// The password was wrong (or too many attempts); nothing changed.
    WrongPassword,
    /// Confirm your identity first (at most ten minutes old); nothing changed.
    ReauthenticationRequired,
}

#[cfg(feature = "ssr")]
fn checked(value: Option<String>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

#[cfg(feature = "ssr")]
pub(crate) fn link_outcome(problem: crate::backend::tokens::TokenProblem) -> LinkOutcome {
    use crate::backend::tokens::TokenProblem;
    match problem {
        TokenProblem::Unknown => LinkOutcome::Invalid,
        TokenProblem::Used => LinkOutcome::Used,
        TokenProblem::Expired => LinkOutcome::Expired,
        TokenProblem::Voided => LinkOutcome::Voided,
    }
}

/// "Registrierung": creates the account and sends the confirmation link.
#[server(endpoint = "auth/register")]
pub async fn register(
    email: String,
    password: String,
    password_repeat: String,
    accept_terms: Option<String>,
    consent_email: Option<String>,
    next: Option<String>,
) -> Result<RegisterOutcome, ApiError> {
    use crate::{backend::auth, domain::registration::RegistrationForm};
    let state = super::state()?;
    let request = super::request();
    let (accept_terms, consent_email) = (checked(accept_terms), checked(consent_email));
    let form = RegistrationForm { email: &email, password: &password, repetition: &password_repeat, accept_terms, consent_email };
    // Where to continue after confirming and signing in (e.g. the letter's QR link).
    let next = next.as_deref().and_then(crate::domain::navigation::local_path);
    let outcome = match auth::register(&state, &form, request.language, next, &request.requester).await.map_err(super::unavailable)? {
        Ok(()) => RegisterOutcome::Registered { email: email.trim().to_owned() },
        Err(problems) => RegisterOutcome::Invalid { problems, email: email.trim().to_owned(), accept_terms, consent_email },
    };
    super::flash::remember(super::flash_form::FlashForm::Register, &outcome).await;
    Ok(outcome)
}

/// Whether a confirmation link can be used, without using it: what the page the link
/// opens shows (mail scanners fetch links; only the button press spends one).
#[server(endpoint = "auth/check-confirmation-link")]
pub async fn check_confirmation_link(token: String) -> Result<LinkOutcome, ApiError> {
    let state = super::state()?;
    let result = crate::backend::auth::check_confirmation(&state, &token).await.map_err(super::unavailable)?;
    Ok(result.map(|()| LinkOutcome::Valid).unwrap_or_else(link_outcome))
}

/// "E-Mail-Adresse bestätigen": uses the link from the confirmation mail (the page's
/// button; with JavaScript the page presses it by itself after loading).
#[server(endpoint = "auth/confirm-email")]
pub async fn confirm_email(token: String) -> Result<LinkOutcome, ApiError> {
    let state = super::state()?;
    let request = super::request();
    let result = crate::backend::auth::confirm_email(&state, &token, &request.requester).await.map_err(super::unavailable)?;
    let outcome = result.map(|()| LinkOutcome::Valid).unwrap_or_else(link_outcome);
    super::flash::remember(super::flash_form::FlashForm::ConfirmEmail, &outcome).await;
    Ok(outcome)
}

/// Sends a new confirmation link (same answer for every address).
#[server(endpoint = "auth/resend-confirmation")]
pub async fn resend_confirmation(email: String) -> Result<LinkRequestOutcome, ApiError> {
    use crate::domain::email::EmailAddress;
    let state = super::state()?;
    let outcome = match EmailAddress::parse(&email) {
        Ok(address) => {
            crate::backend::auth::resend_confirmation(&state, &address, &super::request().requester)
                .await
                .map_err(super::unavailable)?;
            LinkRequestOutcome::Sent { email: email.trim().to_owned() }
        }
        Err(problem) => LinkRequestOutcome::Invalid { email: email.trim().to_owned(), problem },
    };
    super::flash::remember(super::flash_form::FlashForm::Resend, &outcome).await;
    Ok(outcome)
}

/// "Anmelden": checks the credentials and starts a new session (replacing any old one).
#[server(endpoint = "auth/sign-in")]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<SignInOutcome, ApiError> {
    use crate::backend::auth::{self, NextStep, SignIn};
    use crate::domain::{access::{ENROLMENT_PAGE, SECOND_FACTOR_PAGE}, navigation::with_next};
    let (state, request, email) = (super::state()?, super::request(), email.trim().to_owned());
    // A new session id at every sign-in: the previous session (if any) ends.
    let previous = request.session.as_ref().map(|s| s.id);
    let outcome = match SignInProblem::missing(&email, &password) {
        Some(problem) => SignInOutcome::Rejected { email, problem },
        None => match auth::sign_in(&state, &email, &password, previous, &request.requester).await.map_err(super::unavailable)? {
            SignIn::SignedIn { token, next: step, .. } => {
                super::set_cookie(&session_cookie(token, state.settings.secure_cookies));
                // The second step (or its set-up) comes first; the page asked for (e.g. the
                // letter's QR link) is kept for after it, else the account's landing page.
                let page = if step == NextStep::SecondFactor { SECOND_FACTOR_PAGE } else { ENROLMENT_PAGE };
                SignInOutcome::SignedIn { next: with_next(page, next.as_deref().unwrap_or_default()) }
            }
            SignIn::Failed => SignInOutcome::Rejected { email, problem: SignInProblem::WrongCredentials },
            SignIn::Unconfirmed => SignInOutcome::Rejected { email, problem: SignInProblem::Unconfirmed },
        },
    };
    match &outcome {
        SignInOutcome::SignedIn { next } if super::flash::plain_form_post() => leptos_axum::redirect(next),
        _ => super::flash::remember(super::flash_form::FlashForm::SignIn, &outcome).await,
    }
    Ok(outcome)
}

/// The session cookie: HttpOnly, SameSite=Lax, Path=/, and Secure with the `__Host-`
/// prefix over HTTPS. It expires with the browser session; the server enforces the
/// idle and absolute timeouts.
#[cfg(feature = "ssr")]
pub(crate) fn session_cookie(token: String, secure: bool) -> cookie::Cookie<'static> {
    cookie::Cookie::build((crate::backend::sessions::cookie_name(secure), token))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Lax)
        .build()
}

/// "Abmelden": ends the session on the server and clears the cookie.
#[server(endpoint = "auth/sign-out")]
pub async fn sign_out() -> Result<(), ApiError> {
    let state = super::state()?;
    let request = super::request();
    if let Some(session) = &request.session {
        crate::backend::auth::sign_out(&state, session.id, session.account_id, &request.requester)
            .await
            .map_err(super::unavailable)?;
    }
    let mut expired = session_cookie(String::new(), state.settings.secure_cookies);
    expired.set_max_age(cookie::time::Duration::ZERO);
    super::set_cookie(&expired);
    if super::flash::plain_form_post() {
        leptos_axum::redirect("/");
    }
    Ok(())
}

/// "Zugangsdaten vergessen?": mails a reset link (same answer for every address).
#[server(endpoint = "auth/request-password-reset")]
pub async fn request_password_reset(email: String) -> Result<LinkRequestOutcome, ApiError> {
    use crate::domain::email::EmailAddress;
    let state = super::state()?;
    let request = super::request();
    let outcome = match EmailAddress::parse(&email) {
        Ok(address) => {
            crate::backend::auth::request_password_reset(&state, &address, &request.requester)
                .await
                .map_err(super::unavailable)?;
            LinkRequestOutcome::Sent { email: email.trim().to_owned() }
        }
        Err(problem) => LinkRequestOutcome::Invalid { email: email.trim().to_owned(), problem },
    };
    super::flash::remember(super::flash_form::FlashForm::ResetRequest, &outcome).await;
    Ok(outcome)
}

/// Whether a reset link can still be used (to show the form or an explanation).
#[server(endpoint = "auth/check-reset-link")]
pub async fn check_reset_link(token: String) -> Result<LinkOutcome, ApiError> {
    let state = super::state()?;
    let result = crate::backend::auth::check_reset_token(&state, &token).await.map_err(super::unavailable)?;
    Ok(result.map(|()| LinkOutcome::Valid).unwrap_or_else(link_outcome))
}

/// Sets the new password with a reset link.
#[server(endpoint = "auth/reset-password")]
pub async fn reset_password(token: String, password: String, password_repeat: String) -> Result<ResetOutcome, ApiError> {
    use crate::backend::auth::{self, ResetProblem};
    let state = super::state()?;
    let request = super::request();
    let outcome = match auth::reset_password(&state, &token, &password, &password_repeat, &request.requester)
        .await
        .map_err(super::unavailable)?
    {
        Ok(()) => ResetOutcome::Done,
        Err(ResetProblem::Token(problem)) => ResetOutcome::Link(link_outcome(problem)),
        Err(ResetProblem::Password(problem)) => ResetOutcome::Invalid {
            password: Some(problem),
            repetition: crate::domain::registration::repetition_problem(&password, &password_repeat),
        },
        Err(ResetProblem::Repetition(problem)) => ResetOutcome::Invalid { password: None, repetition: Some(problem) },
    };
    super::flash::remember(super::flash_form::FlashForm::Reset, &outcome).await;
    Ok(outcome)
}

/// The signed-in account, or `None`.
#[server(endpoint = "auth/current-account")]
pub async fn current_account() -> Result<Option<AccountSummary>, ApiError> {
    let state = super::state()?;
    let caller = super::caller::current().await?;
    let is_staff = matches!(caller, super::caller::Caller::Staff { .. });
    let has_profile = matches!(caller, super::caller::Caller::Citizen { profile: Some(_), .. });
    let Ok(session) = caller.signed_in() else { return Ok(None) };
    let account = crate::backend::accounts::find_by_id(&state.db, session.account_id).await.map_err(super::unavailable)?;
    let needs_reauthentication = !session.recently_verified(state.clock.now());
    Ok(account.map(|a| AccountSummary { email: a.email, registered_at: a.created_at, is_staff, has_profile, needs_reauthentication }))
}

/// The signed-in account's consents (empty when signed out).
#[server(endpoint = "auth/my-consents")]
pub async fn my_consents() -> Result<Vec<ConsentView>, ApiError> {
    use crate::backend::accounts::{self, ConsentKind};
    let state = super::state()?;
    let session = super::caller::signed_in()?;
    let consents = accounts::consents(&state.db, session.account_id).await.map_err(super::unavailable)?;
    Ok(consents
        .into_iter()
        .filter(|c| c.withdrawn_at.is_none())
        .map(|c| ConsentView {
            terms_of_use: c.kind == ConsentKind::TermsOfUse,
            version: c.text_version,
            granted_at: c.granted_at,
        })
        .collect())
}

/// Withdraws the consent to the use of the e-mail address, which closes the account.
#[server(endpoint = "auth/withdraw-consent")]
pub async fn withdraw_email_consent(password: String) -> Result<WithdrawOutcome, ApiError> {
    let state = super::state()?;
    let request = super::request();
    let session = super::caller::signed_in()?;
    use crate::backend::auth::WithdrawProblem;
    let outcome = match crate::backend::auth::withdraw_email_consent(&state, &session, &password, &request.requester)
        .await
        .map_err(super::unavailable)?
    {
        Ok(()) => {
            let mut expired = session_cookie(String::new(), state.settings.secure_cookies);
            expired.set_max_age(cookie::time::Duration::ZERO);
            super::set_cookie(&expired);
            WithdrawOutcome::Withdrawn
        }
        Err(WithdrawProblem::WrongPassword) => WithdrawOutcome::WrongPassword,
        Err(WithdrawProblem::ReauthenticationRequired) => WithdrawOutcome::ReauthenticationRequired,
    };
    super::flash::remember(super::flash_form::FlashForm::Withdraw, &outcome).await;
    Ok(outcome)
}
