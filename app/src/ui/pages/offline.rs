//! `/offline`: what the installed app shows when a page cannot be loaded. The service
//! worker keeps this page (and only this page) for when the network is gone.

use leptos::prelude::*;

use crate::{ui::components::page::PageHeading, ui::translate::*};

/// `/offline`
#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, pwa.offline_title).to_string()) />
        <div class="notice" role="status">
            <p>{t!(i18n, pwa.offline_text)}</p>
        </div>
        <p>{t!(i18n, pwa.offline_hint)}</p>
        // A plain link: a full page load tries the network again.
        <p><a class="button" href="/" rel="external">{t!(i18n, pwa.offline_retry)}</a></p>
    }
}
