//! The error every server function returns: a small set of outcomes the UI turns
//! into translated messages. Details stay in the server log.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What went wrong, as far as the user needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    /// The server could not complete the request (database down, bug). Logged in detail.
    #[error("the service is temporarily unavailable")]
    Unavailable,
    /// There is no such thing here (or the caller may not know it exists).
    #[error("not found")]
    NotFound,
    /// The action needs a signed-in user.
    #[error("not signed in")]
    NotSignedIn,
    /// Signing in is not finished: a second factor must be given or set up first.
    #[error("second factor required")]
    SecondFactorRequired,
    /// The change needs a fresh proof of identity (at most ten minutes old).
    #[error("re-authentication required")]
    ReauthenticationRequired,
    /// The page or action is for job-centre staff only.
    #[error("staff only")]
    StaffOnly,
    /// The action needs an unlocked job-centre profile.
    #[error("profile required")]
    ProfileRequired,
    /// The request could not be delivered or understood (network, bad arguments).
    #[error("request failed: {0}")]
    Transport(String),
}

impl ApiError {
    /// The HTTP status that says what happened (RFC 9110): 400 for a request that could
    /// not be understood, 401 without a session, 403 when the caller may not (yet), 404
    /// for what is not there (or not theirs), 503 when the server could not complete it.
    pub fn http_status(&self) -> u16 {
        match self {
            ApiError::Transport(_) => 400,
            ApiError::NotSignedIn => 401,
            ApiError::SecondFactorRequired
            | ApiError::ReauthenticationRequired
            | ApiError::StaffOnly
            | ApiError::ProfileRequired => 403,
            ApiError::NotFound => 404,
            ApiError::Unavailable => 503,
        }
    }
}

impl ApiError {
    /// The message for a plain-text answer outside the pages (the file routes), in the
    /// visitor's language (the texts of the pages' error notices).
    #[cfg(feature = "ssr")]
    pub fn message(&self, language: crate::domain::language::Language) -> String {
        use crate::i18n::*;
        let l = Locale::from(language);
        match self {
            ApiError::Unavailable => td_string!(l, site.service_unavailable),
            ApiError::Transport(_) => td_string!(l, site.request_failed),
            ApiError::NotSignedIn => td_string!(l, site.not_signed_in),
            ApiError::NotFound => td_string!(l, site.not_found),
            ApiError::SecondFactorRequired => td_string!(l, site.second_factor_required),
            ApiError::ReauthenticationRequired => td_string!(l, site.reauthentication_required),
            ApiError::StaffOnly => td_string!(l, site.staff_only),
            ApiError::ProfileRequired => td_string!(l, site.profile_required),
        }
        .to_string()
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::Transport(value.to_string())
    }
}
