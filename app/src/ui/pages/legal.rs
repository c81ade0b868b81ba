//! Legal pages (imprint, privacy, terms). Until an operator supplies the binding texts
//! they say plainly what belongs there.

use leptos::prelude::*;

use crate::{ui::translate::*, ui::components::page::PageHeading};

#[component]
fn LegalPage(title: Signal<String>, body: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=title />
        <div class="notice notice--warning">
            <p>{t!(i18n, legal.operator_notice)}</p>
        </div>
        <p class="prose">{move || body.get()}</p>
    }
}

macro_rules! legal_page {
    ($(#[$doc:meta])* $name:ident, $title:ident, $body:ident) => {
        $(#[$doc])*
        #[component]
        pub fn $name() -> impl IntoView {
            let i18n = use_i18n();
            view! {
                <LegalPage
                    title=Signal::derive(move || t_string!(i18n, legal.$title).to_string())
                    body=Signal::derive(move || t_string!(i18n, legal.$body).to_string())
                />
            }
        }
    };
}

legal_page!(
    /// `/impressum`
    ImprintPage, imprint_title, imprint_text
);
legal_page!(
    /// `/datenschutz`
    PrivacyPage, privacy_title, privacy_text
);
legal_page!(
    /// `/nutzungsbedingungen`
    TermsPage, terms_title, terms_text
);
