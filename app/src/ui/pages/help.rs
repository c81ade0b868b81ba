//! `/hilfe` and `/hilfe/…`: short guides — the targets of the flyer's QR codes for the
//! second-factor methods, the activation code and the app.

use crate::domain::routes;
use leptos::prelude::*;

use crate::{ui::components::page::PageHeading, ui::translate::*};

#[component]
fn HelpPage(title: Signal<String>, paragraphs: Vec<Signal<String>>, back: &'static str, back_label: Signal<String>) -> impl IntoView {
    view! {
        <PageHeading text=title />
        {paragraphs.into_iter().map(|p| view! { <p class="prose">{move || p.get()}</p> }).collect_view()}
        <p><a href=back>{move || back_label.get()}</a></p>
    }
}

macro_rules! help_page {
    ($(#[$doc:meta])* $name:ident, $title:ident, [$($para:ident),+], $back:path, $back_label:ident) => {
        $(#[$doc])*
        #[component]
        pub fn $name() -> impl IntoView {
            let i18n = use_i18n();
            view! {
                <HelpPage
                    title=Signal::derive(move || t_string!(i18n, help.$title).to_string())
                    paragraphs=vec![$(Signal::derive(move || t_string!(i18n, help.$para).to_string())),+]
                    back=$back
                    back_label=Signal::derive(move || t_string!(i18n, help.$back_label).to_string())
                />
            }
        }
    };
}

help_page!(
    /// `/hilfe/passkey`
    PasskeyHelpPage, passkey_title, [passkey_text, passkey_steps], routes::MFA_SETUP, back
);
help_page!(
    /// `/hilfe/totp`
    TotpHelpPage, totp_title, [totp_text, totp_steps], routes::MFA_SETUP, back
);
help_page!(
    /// `/hilfe/wiederherstellungscodes`
    RecoveryHelpPage, recovery_title, [recovery_text], routes::MFA_SETUP, back
);
help_page!(
    /// `/hilfe/freischaltcode`
    ActivationHelpPage, activation_title, [activation_text, activation_steps, activation_problems], routes::ACTIVATION, activation_back
);

/// `/hilfe/app`: installing the portal as an app.
#[component]
pub fn AppHelpPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, help.app_title).to_string()) />
        <p class="prose">{t!(i18n, help.app_text)}</p>
        <crate::ui::components::install_hint::InstallHint />
        <p><a href="/">{t!(i18n, help.home)}</a></p>
    }
}

/// `/hilfe`: the list of guides ("Kurzhilfen zur Registrierung").
#[component]
pub fn HelpIndexPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, help.index_title).to_string()) />
        <p class="lead">{t!(i18n, help.index_intro)}</p>
        <section class="section" aria-labelledby="ablauf">
            <h2 id="ablauf">{t!(i18n, help.index_registration)}</h2>
            <ol class="steps prose">
                <li>{t!(i18n, help.index_step_1)}</li>
                <li>{t!(i18n, help.index_step_2)}</li>
                <li>{t!(i18n, help.index_step_3)}</li>
            </ol>
        </section>
        <nav class="section" aria-labelledby="themen">
            <h2 id="themen">{t!(i18n, help.topics)}</h2>
            <ul class="link-list">
                <li><a href=routes::HELP_PASSKEY>{t!(i18n, help.passkey_title)}</a></li>
                <li><a href=routes::HELP_TOTP>{t!(i18n, help.totp_title)}</a></li>
                <li><a href=routes::HELP_RECOVERY>{t!(i18n, help.recovery_title)}</a></li>
                <li><a href=routes::HELP_ACTIVATION>{t!(i18n, help.activation_title)}</a></li>
                <li><a href=routes::HELP_APP>{t!(i18n, help.app_title)}</a></li>
                <li><a href=routes::EASY_LANGUAGE>{t!(i18n, easy.title)}</a></li>
            </ul>
        </nav>
    }
}
