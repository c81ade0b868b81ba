//! Server functions: the only API between browser and server. One module per
//! capability; each function reads the session, authorizes, calls a backend service
//! and maps its errors to [`ApiError`].

pub mod appointments;
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

/// The session, fully signed in (password and second factor).
#[cfg(feature = "ssr")]
pub(crate) fn full_session() -> Result<crate::backend::sessions::Session, ApiError> {
    match request().session {
        None => Err(ApiError::NotSignedIn),
        Some(session) if session.stage == crate::backend::sessions::Stage::Full => Ok(session),
        Some(_) => Err(ApiError::SecondFactorRequired),
    }
}

/// The session at any stage.
#[cfg(feature = "ssr")]
pub(crate) fn any_session() -> Result<crate::backend::sessions::Session, ApiError> {
    request().session.ok_or(ApiError::NotSignedIn)
}

/// Where an account lands after signing in: the staff desk for staff, else "Mein Konto".
#[cfg(feature = "ssr")]
pub(crate) async fn start_page(account_id: i64) -> &'static str {
    let Ok(state) = state() else { return "/konto" };
    match crate::backend::staff::find(&state.db, account_id).await {
        Ok(Some(_)) => "/intern",
        _ => "/konto",
    }
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
