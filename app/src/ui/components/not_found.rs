//! The 404 page (status 404 on the server).

use leptos::prelude::*;

use crate::{ui::translate::*, ui::components::page::PageHeading};

/// Shown for every address no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, not_found.title).to_string()) />
        <p class="lead">{t!(i18n, not_found.text)}</p>
        <p>
            <a class="button" href="/">
                {t!(i18n, not_found.back_home)}
            </a>
        </p>
    }
}
