//! Server functions: the only API between browser and server. One module per
//! capability; each function asks [`caller`] who is calling, calls one backend service
//! and maps its result (errors to [`ApiError`]).

pub mod appointments;
pub mod caller;
pub mod auth;
pub mod dev;
pub mod email_change;
pub mod feedback;
pub mod mfa;
pub mod postbox;
pub mod profile;
pub mod security;
pub mod staff;
pub mod error;
#[cfg(feature = "ssr")]
pub mod flash;
pub mod flash_form;
pub mod site;

pub use error::ApiError;

/// The backend state every server function works with (database, configuration).
#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<crate::backend::AppState, ApiError> {
    leptos::prelude::use_context::<crate::backend::AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        ApiError::Unavailable
    })
}

/// Origin and session of the current request (set by the HTTP layer).
#[cfg(feature = "ssr")]
pub(crate) fn request() -> crate::backend::context::RequestContext {
    leptos::prelude::use_context::<crate::backend::context::RequestContext>().unwrap_or_default()
}

/// Logs an unexpected backend failure and turns it into the generic answer.
#[cfg(feature = "ssr")]
pub(crate) fn unavailable(error: impl std::fmt::Display) -> ApiError {
    tracing::error!(%error, "request failed");
    ApiError::Unavailable
}

/// Appends a `Set-Cookie` header to the response.
#[cfg(feature = "ssr")]
pub(crate) fn set_cookie(cookie: &cookie::Cookie<'_>) {
    use leptos::prelude::use_context;
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&cookie.to_string()),
    ) {
        response.append_header(axum::http::header::SET_COOKIE, value);
    }
}
