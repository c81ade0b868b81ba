//! `/offline`: what the installed app shows when a page cannot be loaded. The service
//! worker keeps this page (and only this page) for when the network is gone.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{domain::navigation::local_path, ui::components::page::PageHeading, ui::translate::*};

/// `/offline`
#[component]
pub fn OfflinePage() -> impl IntoView {
    let i18n = use_i18n();
    // The page the visitor wanted (`?zurueck=`, set by the service worker). The kept copy
    // of this page was rendered without it, so the link is completed in the browser.
    let query = use_query_map();
    let (retry, set_retry) = signal("/".to_owned());
    Effect::new(move |_| {
        let wanted = query.with_untracked(|q| q.get("zurueck")).unwrap_or_default();
        if let Some(path) = local_path(&wanted) {
            set_retry.set(path.to_owned());
        }
    });
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, pwa.offline_title).to_string()) />
        <div class="notice" role="status">
            <p>{t!(i18n, pwa.offline_text)}</p>
        </div>
        <p>{t!(i18n, pwa.offline_hint)}</p>
        // A plain link: a full page load tries the network again.
        <p><a class="button" href=move || retry.get() rel="external">{t!(i18n, pwa.offline_retry)}</a></p>
    }
}
