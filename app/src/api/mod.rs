//! Server functions: the only API between browser and server. One module per
//! capability; each function reads the session, authorizes, calls a backend service
//! and maps its errors to [`ApiError`].

pub mod error;
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
