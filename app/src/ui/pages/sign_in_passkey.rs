//! `/anmelden/passkey`: signing in with a passkey alone, without e-mail address or
//! password. The sign-in page's "Mit Passkey anmelden" leads here when JavaScript is
//! off (and says what is needed); with JavaScript that link opens the dialog directly.

use crate::domain::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::ui::{
    components::{
        page::PageHeading,
        passkey_sign_in::{next_after_sign_in, PasskeyButton},
    },
    translate::*,
};

/// The page.
#[component]
pub fn PasskeySignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let next = next_after_sign_in(use_query_map().with_untracked(|q| crate::domain::navigation::next_param(|name| q.get(name))));
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, sign_in.passkey).to_string()) />
        <p>{t!(i18n, sign_in.passkey_page_text)}</p>
        <div class="notice notice--warning without-js"><p>{t!(i18n, sign_in.passkey_needs_js)}</p></div>
        <PasskeyButton next />
        <p class="section"><a href=routes::SIGN_IN>{t!(i18n, sign_in.with_password)}</a></p>
        <p><a href=routes::HELP_PASSKEY>{t!(i18n, help.passkey_title)}</a></p>
    }
}
