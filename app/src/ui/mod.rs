//! The user interface: the HTML shell, the router and one page module per route.

pub mod components;
#[cfg(feature = "ssr")]
pub mod installable;
pub mod pages;
pub mod site;
pub mod translate;
#[cfg(feature = "ssr")]
pub mod shell;

use crate::domain::routes;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, Link, Meta, Title};
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::ui::translate::*;
use site::{request_site_info, THEME_COLOUR};
use components::{
    layout::{SiteFooter, SiteHeader},
    not_found::NotFound,
    service_worker::AppUpdatePrompt,
};
use pages::{
    accessibility_statement, easy_language, offline, account, activation, appointments, dev_mails, email_change, email_links, help, home::HomePage, legal, mfa_setup, password_reset, register,
    postbox, profile, second_factor, security, sign_in, sign_in_passkey, staff,
};

/// The HTML document around the app (rendered on the server only).
#[cfg(feature = "ssr")]
pub fn shell(options: leptos::config::LeptosOptions) -> impl IntoView {
    let bundle = shell::bundle_names(&options);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options />
                <shell::BundleScripts bundle=bundle.clone() />
                <link rel="stylesheet" href=bundle.css.clone() />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: providers, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let site = SharedValue::new(request_site_info).into_inner();
    let portal_name = site.portal_name.clone();
    let language = site.language;
    provide_context(site);
    // Marks the page as interactive once the WASM bundle has taken over (tests wait for it).
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    let locale = Locale::from(language);
    provide_context(translate::I18n(locale));
    view! {
        <Layout portal_name />
        <Html attr:lang=language.tag() attr:dir="ltr" />
    }
}

/// Title format, head tags, header, routes and footer.
#[component]
fn Layout(portal_name: String) -> impl IntoView {
    let i18n = use_i18n();
    let app_title = portal_name.clone();
    let formatter = move |page: String| format!("{page} – {portal_name}");
    view! {
        <Title formatter />
        <Meta name="description" content=move || t_string!(i18n, home.lead) />
        // The installable app: manifest, colours and the icons iOS uses.
        <Link rel="manifest" href=routes::MANIFEST />
        <Meta name="theme-color" content=THEME_COLOUR />
        <Link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
        <Meta name="mobile-web-app-capable" content="yes" />
        <Meta name="apple-mobile-web-app-capable" content="yes" />
        <Meta name="apple-mobile-web-app-title" content=app_title />
        <Meta name="apple-mobile-web-app-status-bar-style" content="default" />
        <Router>
            <SiteHeader />
            <main id="inhalt" tabindex="-1" class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=|| page(HomePage) ssr=SsrMode::Async />
                    <Route path=path!("/anmelden") view=|| page(sign_in::SignInPage) ssr=SsrMode::Async />
                    <Route path=path!("/registrieren") view=|| page(register::RegisterPage) ssr=SsrMode::Async />
                    <Route path=path!("/registrieren/bestaetigen") view=|| page(email_links::ConfirmEmailPage) ssr=SsrMode::Async />
                    <Route path=path!("/registrieren/link-anfordern") view=|| page(email_links::ResendConfirmationPage) ssr=SsrMode::Async />
                    <Route path=path!("/passwort-vergessen") view=|| page(password_reset::ForgotPasswordPage) ssr=SsrMode::Async />
                    <Route path=path!("/passwort-vergessen/neu") view=|| page(password_reset::ResetPasswordPage) ssr=SsrMode::Async />
                    <Route path=path!("/konto") view=|| page(account::AccountPage) ssr=SsrMode::Async />
                    <Route path=path!("/konto/datenschutz") view=|| page(account::AccountPrivacyPage) ssr=SsrMode::Async />
                    <Route path=path!("/konto/sicherheit") view=|| page(security::SecurityPage) ssr=SsrMode::Async />
                    <Route path=path!("/konto/e-mail") view=|| page(email_change::EmailChangePage) ssr=SsrMode::Async />
                    <Route path=path!("/e-mail-aendern/bestaetigen") view=|| page(email_change::ConfirmEmailChangePage) ssr=SsrMode::Async />
                    <Route path=path!("/anmelden/passkey") view=|| page(sign_in_passkey::PasskeySignInPage) ssr=SsrMode::Async />
                    <Route path=path!("/anmelden/zweiter-faktor") view=|| page(second_factor::SecondFactorPage) ssr=SsrMode::Async />
                    <Route path=path!("/mfa/einrichten") view=|| page(mfa_setup::EnrolmentPage) ssr=SsrMode::Async />
                    <Route path=path!("/mfa/einrichten/totp") view=|| page(mfa_setup::TotpSetupPage) ssr=SsrMode::Async />
                    <Route path=path!("/mfa/einrichten/passkey") view=|| page(mfa_setup::PasskeySetupPage) ssr=SsrMode::Async />
                    <Route path=path!("/profil") view=|| page(profile::ProfilePage) ssr=SsrMode::Async />
                    <Route path=path!("/profil/anlegen") view=|| page(activation::NewProfilePage) ssr=SsrMode::Async />
                    <Route path=path!("/freischalten") view=|| page(activation::ActivationPage) ssr=SsrMode::Async />
                    <Route path=path!("/intern") view=|| page(staff::desk::DeskPage) ssr=SsrMode::Async />
                    <Route path=path!("/intern/kunden/neu") view=|| page(staff::new_client::NewClientPage) ssr=SsrMode::Async />
                    <Route path=path!("/intern/kunden/:id") view=|| page(staff::client::ClientPage) ssr=SsrMode::Async />
                    <Route path=path!("/intern/postversand") view=|| page(staff::print_queue::PrintQueuePage) ssr=SsrMode::Async />
                    <Route path=path!("/postfach") view=|| page(postbox::inbox::InboxPage) ssr=SsrMode::Async />
                    <Route path=path!("/termine") view=|| page(appointments::AppointmentsPage) ssr=SsrMode::Async />
                    <Route path=path!("/postfach/schreiben") view=|| page(postbox::write::WritePage) ssr=SsrMode::Async />
                    <Route path=path!("/postfach/:id") view=|| page(postbox::item::ItemPage) ssr=SsrMode::Async />
                    <Route path=path!("/intern/nachrichten") view=|| page(staff::messages::MessagesPage) ssr=SsrMode::Async />
                    <Route path=path!("/intern/nachrichten/:id") view=|| page(staff::messages::ConversationPage) ssr=SsrMode::Async />
                    <Route path=path!("/hilfe/passkey") view=|| page(help::PasskeyHelpPage) ssr=SsrMode::Async />
                    <Route path=path!("/hilfe/totp") view=|| page(help::TotpHelpPage) ssr=SsrMode::Async />
                    <Route path=path!("/hilfe/wiederherstellungscodes") view=|| page(help::RecoveryHelpPage) ssr=SsrMode::Async />
                    <Route path=path!("/impressum") view=|| page(legal::ImprintPage) ssr=SsrMode::Async />
                    <Route path=path!("/datenschutz") view=|| page(legal::PrivacyPage) ssr=SsrMode::Async />
                    <Route path=path!("/hilfe") view=|| page(help::HelpIndexPage) ssr=SsrMode::Async />
                    <Route path=path!("/hilfe/freischaltcode") view=|| page(help::ActivationHelpPage) ssr=SsrMode::Async />
                    <Route path=path!("/hilfe/app") view=|| page(help::AppHelpPage) ssr=SsrMode::Async />
                    <Route path=path!("/barrierefreiheit") view=|| page(accessibility_statement::AccessibilityStatementPage) ssr=SsrMode::Async />
                    <Route path=path!("/leichte-sprache") view=|| page(easy_language::EasyLanguagePage) ssr=SsrMode::Async />
                    <Route path=path!("/offline") view=|| page(offline::OfflinePage) ssr=SsrMode::Async />
                    <Route path=path!("/intern/rueckmeldungen") view=|| page(staff::feedback::FeedbackPage) ssr=SsrMode::Async />
                    <Route path=path!("/nutzungsbedingungen") view=|| page(legal::TermsPage) ssr=SsrMode::Async />
                    <Route path=path!("/dev/mails") view=|| page(dev_mails::DevMailsPage) ssr=SsrMode::Async />
                </Routes>
            </main>
            <AppUpdatePrompt />
            <SiteFooter />
        </Router>
    }
}

/// A route's page behind a call the compiler keeps out of line.
///
/// The router picks the page in one function; with every page inlined into it that
/// function was 400 KB of WASM, which the browser compiled on the main thread at
/// hydration (about 30 ms on a desktop CPU, four times that on a phone) whichever
/// page was shown. This way only the shown page's code is compiled.
#[inline(never)]
fn page<V: IntoView + 'static>(component: fn() -> V) -> AnyView {
    component().into_any()
}
