//! The one way a page shows what it loads: "Wird geladen …" while waiting, the content
//! once there, and a refusal or failure as a clear message — answered, when the page is
//! rendered on the server, with the HTTP status that says what happened (RFC 9110:
//! 401, 403, 404, 503; [`ApiError::http_status`]).

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use crate::{
    api::ApiError,
    ui::{components::error::ErrorNotice, translate::*},
};

/// Renders `resource` with `content` once it has loaded, else its error.
#[component]
pub fn Loaded<T, V, F>(
    /// What the page loads (a server function's result).
    resource: Resource<Result<T, ApiError>>,
    /// The view of the loaded value.
    content: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + Clone + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, site.loading)}</p> }>
            {
                let content = content.clone();
                move || {
                    let content = content.clone();
                    Suspend::new(async move {
                        match resource.await {
                            Ok(value) => content(value).into_any(),
                            Err(error) => view! { <LoadFailure error /> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// The message for a failed load; on the server also the response's status.
#[component]
pub fn LoadFailure(error: ApiError) -> impl IntoView {
    answer_with_status(&error);
    view! { <ErrorNotice error /> }
}

/// Sets the status of the server-rendered response (no effect in the browser).
fn answer_with_status(error: &ApiError) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(error.http_status()))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}
