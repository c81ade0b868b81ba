//! Multi-factor authentication: setting up passkeys and authenticator apps, the
//! second step of signing in (TOTP, recovery code or passkey), signing in with a
//! passkey alone, and confirming identity again before sensitive changes.

use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};
use webauthn_rs_proto::{CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse};

use super::ApiError;

/// A way to add a second factor, for the choice page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodHelp {
    /// `passkey` or `totp`.
    pub method: String,
    /// Absolute URL of the help page.
    pub help_url: String,
    /// QR code (SVG) of `help_url`.
    pub qr_svg: String,
}

/// Where the account stands with its second factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorSummary {
    /// The account's address.
    pub email: String,
    /// Passkeys registered.
    pub passkeys: i64,
    /// An authenticator app is set up.
    pub totp: bool,
    /// Unused recovery codes.
    pub recovery_codes: i64,
    /// The session still has to finish signing in.
    pub signing_in: bool,
    /// Help for each method (QR codes to the help pages).
    pub methods: Vec<MethodHelp>,
}

/// A pending authenticator-app set-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetup {
    /// The secret in groups of four, for typing it in.
    pub secret_grouped: String,
    /// The `otpauth://` link (for apps on the same device).
    pub uri: String,
    /// QR code (SVG) of the link.
    pub qr_svg: String,
}

/// Result of setting up a second factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrolOutcome {
    /// Set up. Recovery codes are shown once (only when new ones were made).
    Done {
        /// The recovery codes, if new ones were made.
        recovery_codes: Option<Vec<String>>,
        /// Where to go next.
        next: String,
    },
    /// The code from the app was wrong.
    WrongCode,
    /// The passkey could not be registered.
    PasskeyRefused,
}

/// Result of a second step or passkey sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactorOutcome {
    /// Signed in; continue at `next`.
    SignedIn {
        /// Local path.
        next: String,
        /// Recovery codes left, after one was used.
        recovery_left: Option<i64>,
    },
    /// Wrong or already used code, unknown passkey, or too many attempts.
    Wrong,
}

#[cfg(feature = "ssr")]
pub(crate) mod support {
    use crate::{api::ApiError, backend::mfa::ceremonies::Binding, domain::ids::AccountId};

    pub const CEREMONY_COOKIE: &str = "passkey_ceremony";

    /// The binding for a passkey ceremony: the session, or before sign-in a one-time cookie.
    pub fn binding(create: bool) -> Result<Binding, ApiError> {
        if let Some(session) = super::super::request().session {
            return Ok(Binding::Session(session.id));
        }
        let state = super::super::state()?;
        if create {
            let token = crate::backend::tokens::random_token();
            let cookie = cookie::Cookie::build((CEREMONY_COOKIE, token.clone()))
                .path("/api/mfa")
                .http_only(true)
                .secure(state.settings.secure_cookies)
                .same_site(cookie::SameSite::Strict)
                .max_age(cookie::time::Duration::seconds(crate::backend::mfa::ceremonies::LIFETIME))
                .build();
            super::super::set_cookie(&cookie);
            return Ok(Binding::Browser(token));
        }
        let parts = leptos::prelude::use_context::<axum::http::request::Parts>().ok_or(ApiError::NotSignedIn)?;
        parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|c| c.name() == CEREMONY_COOKIE)
            .map(|c| Binding::Browser(c.value().to_owned()))
            .ok_or(ApiError::NotSignedIn)
    }

    /// Sets a new session cookie (after a privilege change).
    /// Signed in: the new session's cookie, and the page to open — `next` if it is a local
    /// path, else where the account lands ([`crate::domain::access::landing`]).
    pub async fn signed_in(token: String, account_id: AccountId, next: Option<String>, recovery_left: Option<i64>) -> Result<super::FactorOutcome, ApiError> {
        let state = super::super::state()?;
        new_session_cookie(token)?;
        let landing = super::super::caller::landing(&state, account_id).await;
        let next = next.as_deref().and_then(crate::domain::navigation::local_path).unwrap_or(landing).to_owned();
        Ok(super::FactorOutcome::SignedIn { next, recovery_left })
    }

    /// A proof of identity with a passkey by a signed-in session; on success back to the
    /// page that asked for it (security, e-mail or privacy page).
    pub async fn reauthenticate_with_passkey(
        response: &webauthn_rs_proto::PublicKeyCredential,
        next: Option<String>,
    ) -> Result<super::FactorOutcome, ApiError> {
        let (state, request) = (super::super::state()?, super::super::request());
        let session = super::super::caller::signed_in()?;
        let ok = crate::backend::second_factor::reauthenticate_with_passkey(&state, &session, response, &request.requester)
            .await
            .map_err(super::super::unavailable)?;
        let back = next.as_deref().and_then(crate::domain::navigation::local_path).unwrap_or(crate::domain::routes::SECURITY).to_owned();
        Ok(if ok { super::FactorOutcome::SignedIn { next: back, recovery_left: None } } else { super::FactorOutcome::Wrong })
    }

    pub fn new_session_cookie(token: String) -> Result<(), ApiError> {
        let state = super::super::state()?;
        super::super::set_cookie(&super::super::auth::session_cookie(token, state.settings.secure_cookies));
        Ok(())
    }

    /// May this session set up or change factors? Half-signed-in sessions only when the
    /// account has none yet; full sessions only with a recent proof of identity.
    pub async fn may_enrol(session: &crate::backend::sessions::Session) -> Result<(), ApiError> {
        use crate::backend::{mfa, sessions::Stage};
        let state = super::super::state()?;
        match session.stage {
            Stage::Password => {
                let factors = mfa::factors(&state.db, session.account_id).await.map_err(super::super::unavailable)?;
                if factors.any() {
                    Err(ApiError::SecondFactorRequired)
                } else {
                    Ok(())
                }
            }
            Stage::Full if session.recently_verified(state.clock.now()) => Ok(()),
            Stage::Full => Err(ApiError::ReauthenticationRequired),
        }
    }
}

/// The account's factors and the help for each method.
#[server(endpoint = "mfa/status")]
pub async fn mfa_status() -> Result<FactorSummary, ApiError> {
    use crate::backend::{accounts, mfa, qr, sessions::Stage};
    let state = super::state()?;
    let session = super::caller::session()?;
    let account = accounts::find_by_id(&state.db, session.account_id).await.map_err(super::unavailable)?.ok_or(ApiError::NotSignedIn)?;
    let factors = mfa::factors(&state.db, session.account_id).await.map_err(super::unavailable)?;
    let methods = [("passkey", crate::domain::routes::HELP_PASSKEY), ("totp", crate::domain::routes::HELP_TOTP)]
        .into_iter()
        .map(|(method, help)| {
            let help_url = format!("{}{help}", state.settings.public_url);
            let qr_svg = qr::svg(&help_url).unwrap_or_default();
            MethodHelp { method: method.to_owned(), help_url, qr_svg }
        })
        .collect();
    Ok(FactorSummary {
        email: account.email,
        passkeys: factors.passkeys,
        totp: factors.totp,
        recovery_codes: factors.recovery_codes,
        signing_in: session.stage == Stage::Password,
        methods,
    })
}

/// Starts setting up an authenticator app (the pending secret of the last 30 minutes,
/// or a new one).
#[server(endpoint = "mfa/totp-start")]
pub async fn start_totp_setup() -> Result<TotpSetup, ApiError> {
    use crate::backend::{mfa::totp, qr};
    let state = super::state()?;
    let session = super::caller::session()?;
    support::may_enrol(&session).await?;
    let enrolment = totp::pending_or_begin(&state.db, &state.secret, session.account_id, &state.settings.portal_name, &session.email, state.clock.now())
        .await
        .map_err(super::unavailable)?;
    Ok(TotpSetup {
        secret_grouped: totp::grouped(&enrolment.secret),
        qr_svg: qr::svg(&enrolment.uri).unwrap_or_default(),
        uri: enrolment.uri,
    })
}

#[cfg(feature = "ssr")]
async fn enrol_outcome(
    result: crate::backend::second_factor::Enrolled,
    account_id: crate::domain::ids::AccountId,
    next: Option<String>,
) -> Result<EnrolOutcome, ApiError> {
    use crate::backend::second_factor::Enrolled;
    Ok(match result {
        Enrolled::Done { token, recovery_codes } => {
            let completed_sign_in = token.is_some();
            if let Some(token) = token {
                support::new_session_cookie(token)?;
            }
            // After the first factor: the page asked for before signing in, else the start.
            let next = match next.filter(|n| crate::domain::navigation::local_path(n).is_some()) {
                Some(next) if completed_sign_in => next,
                _ if completed_sign_in => super::caller::landing(&super::state()?, account_id).await.to_owned(),
                _ => crate::domain::routes::SECURITY.to_owned(),
            };
            EnrolOutcome::Done { recovery_codes, next }
        }
        Enrolled::WrongCode => EnrolOutcome::WrongCode,
        Enrolled::Refused => EnrolOutcome::PasskeyRefused,
        Enrolled::SessionEnded => return Err(ApiError::NotSignedIn),
    })
}

/// Confirms the authenticator app with a code from it. The first factor completes the
/// sign-in (new session id) and makes recovery codes.
#[server(endpoint = "mfa/totp-confirm")]
pub async fn confirm_totp_setup(code: String, next: Option<String>) -> Result<EnrolOutcome, ApiError> {
    let state = super::state()?;
    let request = super::request();
    let session = super::caller::session()?;
    support::may_enrol(&session).await?;
    let result = crate::backend::second_factor::confirm_totp(&state, &session, &code, &request.requester)
        .await
        .map_err(super::unavailable)?;
    let outcome = enrol_outcome(result, session.account_id, next).await?;
    super::flash::remember(super::flash_form::FlashForm::TotpSetup, &outcome).await;
    Ok(outcome)
}

/// Starts registering a passkey.
#[server(endpoint = "mfa/passkey-register-start")]
pub async fn start_passkey_registration() -> Result<CreationChallengeResponse, ApiError> {
    use crate::backend::mfa::{ceremonies::Binding, passkeys};
    let state = super::state()?;
    let session = super::caller::session()?;
    support::may_enrol(&session).await?;
    passkeys::begin_registration(&state.webauthn, &state.db, session.account_id, &session.email, &Binding::Session(session.id), state.clock.now())
        .await
        .map_err(super::unavailable)
}

/// Finishes registering a passkey with the browser's answer.
#[server(endpoint = "mfa/passkey-register-finish", input = Json)]
pub async fn finish_passkey_registration(
    response: RegisterPublicKeyCredential,
    name: String,
    next: Option<String>,
) -> Result<EnrolOutcome, ApiError> {
    let state = super::state()?;
    let request = super::request();
    let session = super::caller::session()?;
    support::may_enrol(&session).await?;
    let name: String = crate::domain::text::single_line(&name).chars().take(crate::backend::security::MAX_NAME).collect();
    let name = if name.is_empty() { "Passkey".to_owned() } else { name };
    let result = crate::backend::second_factor::add_passkey(&state, &session, &response, &name, &request.requester)
        .await
        .map_err(super::unavailable)?;
    enrol_outcome(result, session.account_id, next).await
}

/// The second step with a code from the app (`method = "totp"`) or a recovery code
/// (`method = "recovery"`).
#[server(endpoint = "mfa/second-factor")]
pub async fn submit_second_factor(method: String, code: String, next: Option<String>) -> Result<FactorOutcome, ApiError> {
    use crate::backend::{
        second_factor::{self, Code, SecondStep},
        sessions::Stage,
    };
    let (state, request) = (super::state()?, super::request());
    let session = super::caller::session()?;
    if session.stage != Stage::Password {
        return Err(ApiError::NotFound);
    }
    let code = Code::from_form(&method, &code);
    let outcome = match second_factor::sign_in_with_code(&state, &session, code, &request.requester).await.map_err(super::unavailable)? {
        SecondStep::SignedIn { token, recovery_left } => support::signed_in(token, session.account_id, next, recovery_left).await?,
        SecondStep::Wrong => FactorOutcome::Wrong,
        SecondStep::SessionEnded => return Err(ApiError::NotSignedIn),
    };
    // Without JavaScript: on to the next page (which shows how many recovery codes are
    // left), or back to the form with the message.
    super::flash::remember(super::flash_form::FlashForm::SecondFactor, &outcome).await;
    if let FactorOutcome::SignedIn { next, .. } = &outcome {
        if super::flash::plain_form_post() {
            leptos_axum::redirect(next);
        }
    }
    Ok(outcome)
}

/// Starts a passkey sign-in (passwordless, the second step, or a re-authentication).
/// `conditional` asks for the browser's autofill instead of a dialog.
#[server(endpoint = "mfa/passkey-sign-in-start")]
pub async fn start_passkey_sign_in(conditional: bool) -> Result<RequestChallengeResponse, ApiError> {
    let state = super::state()?;
    let binding = support::binding(true)?;
    let account_id = super::request().session.map(|s| s.account_id);
    crate::backend::mfa::passkeys::begin_authentication(&state.webauthn, &state.db, &binding, account_id, conditional, state.clock.now())
        .await
        .map_err(super::unavailable)
}

/// Finishes a passkey sign-in with the browser's answer.
#[server(endpoint = "mfa/passkey-sign-in-finish", input = Json)]
pub async fn finish_passkey_sign_in(response: PublicKeyCredential, next: Option<String>) -> Result<FactorOutcome, ApiError> {
    use crate::backend::{second_factor, sessions::Stage};
    let (state, request) = (super::state()?, super::request());
    let binding = support::binding(false)?;
    let pending = request.session.clone();
    if pending.as_ref().is_some_and(|s| s.stage == Stage::Full) {
        // Already signed in: this is a re-authentication.
        return support::reauthenticate_with_passkey(&response, next).await;
    }
    let token = second_factor::sign_in_with_passkey(&state, &binding, &response, pending.as_ref(), &request.requester)
        .await
        .map_err(super::unavailable)?;
    match token {
        Some((token, account_id)) => support::signed_in(token, account_id, next, None).await,
        None => Ok(FactorOutcome::Wrong),
    }
}

/// Confirms identity again with a code (`method = "totp"` or `"recovery"`).
#[server(endpoint = "mfa/reauthenticate")]
pub async fn reauthenticate(method: String, code: String) -> Result<FactorOutcome, ApiError> {
    use crate::backend::second_factor::{self, Code};
    let state = super::state()?;
    let request = super::request();
    let session = super::caller::signed_in()?;
    let code = Code::from_form(&method, &code);
    let ok = second_factor::reauthenticate_with_code(&state, &session, code, &request.requester).await.map_err(super::unavailable)?;
    let outcome = if ok {
        FactorOutcome::SignedIn { next: crate::domain::routes::SECURITY.to_owned(), recovery_left: None }
    } else {
        FactorOutcome::Wrong
    };
    super::flash::remember(super::flash_form::FlashForm::Reauthenticate, &outcome).await;
    Ok(outcome)
}
