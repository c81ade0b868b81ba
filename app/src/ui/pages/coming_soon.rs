//! Sign-in and registration while the accounts feature is being built.

use leptos::prelude::*;

use crate::{i18n::*, ui::components::page::PageHeading};

/// `/anmelden` until sign-in exists.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Notice title=Signal::derive(move || t_string!(i18n, coming_soon.sign_in_title).to_string()) /> }
}

/// `/registrieren` until registration exists.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Notice title=Signal::derive(move || t_string!(i18n, coming_soon.register_title).to_string()) /> }
}

#[component]
fn Notice(title: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=title />
        <div class="notice" role="status">
            <p>{t!(i18n, coming_soon.notice)}</p>
        </div>
        <p>
            <a class="button button--secondary" href="/">
                {t!(i18n, coming_soon.back_home)}
            </a>
        </p>
    }
}
