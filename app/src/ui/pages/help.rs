//! `/hilfe/…`: help pages for the second-factor methods (the targets of the QR codes on
//! the set-up page, as on the flyer).

use leptos::prelude::*;

use crate::{ui::translate::*, ui::components::page::PageHeading};

#[component]
fn HelpPage(title: Signal<String>, paragraphs: Vec<Signal<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=title />
        {paragraphs.into_iter().map(|p| view! { <p class="prose">{move || p.get()}</p> }).collect_view()}
        <p><a href="/mfa/einrichten">{t!(i18n, help.back)}</a></p>
    }
}

macro_rules! help_page {
    ($(#[$doc:meta])* $name:ident, $title:ident, $($para:ident),+) => {
        $(#[$doc])*
        #[component]
        pub fn $name() -> impl IntoView {
            let i18n = use_i18n();
            view! {
                <HelpPage
                    title=Signal::derive(move || t_string!(i18n, help.$title).to_string())
                    paragraphs=vec![$(Signal::derive(move || t_string!(i18n, help.$para).to_string())),+]
                />
            }
        }
    };
}

help_page!(
    /// `/hilfe/passkey`
    PasskeyHelpPage, passkey_title, passkey_text, passkey_steps
);
help_page!(
    /// `/hilfe/totp`
    TotpHelpPage, totp_title, totp_text, totp_steps
);
help_page!(
    /// `/hilfe/wiederherstellungscodes`
    RecoveryHelpPage, recovery_title, recovery_text
);
