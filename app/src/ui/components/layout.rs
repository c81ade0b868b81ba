//! Header (portal name, navigation, language switch) and footer of every page.

use crate::domain::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    api::auth::SignOut,
    domain::language::Language,
    ui::{components::form::hard_navigate, site::use_site, translate::*},
};

/// Skip link, portal name, main navigation and language switch.
///
/// On small screens the navigation collapses behind a "Menü" button when scripts run
/// (decided by CSS from the first paint, so nothing moves when the app takes over);
/// without JavaScript it simply stays open.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let (open, set_open) = signal(false);

    view! {
        <a class="skip-link" href="#inhalt" on:click=focus_main>
            {t!(i18n, site.skip_link)}
        </a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-header__name" href="/" aria-label=move || {
                    format!("{} – {}", site.portal_name, t_string!(i18n, site.home_link))
                }>
                    <svg class="site-header__logo" aria-hidden="true" viewBox="0 0 24 24" width="28" height="28">
                        <path fill="currentColor" d="M12 2 2 7v2h20V7L12 2Zm-7 9v7h3v-7H5Zm5.5 0v7h3v-7h-3ZM16 11v7h3v-7h-3ZM2 20v2h20v-2H2Z" />
                    </svg>
                    <span>{site.portal_name.clone()}</span>
                </a>
                <button
                    type="button"
                    class="menu-button"
                    aria-controls="hauptnavigation"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| set_open.update(|o| *o = !*o)
                >
                    <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                        <path fill="currentColor" d="M3 6h18v2H3V6Zm0 5h18v2H3v-2Zm0 5h18v2H3v-2Z" />
                    </svg>
                    {t!(i18n, site.menu)}
                </button>
                <nav
                    id="hauptnavigation"
                    class="site-nav"
                    class:is-open=move || open.get()
                    aria-label=move || t_string!(i18n, site.nav_label)
                >
                    {site.signed_in_as.clone().map(|_| view! {
                        <ul class="site-nav__list">
                            <PostboxLink />
                            <li>
                                <a class="site-nav__link" href=routes::ACCOUNT>{t!(i18n, site.my_account)}</a>
                            </li>
                        </ul>
                    })}
                    // Also half-way through signing in (second step, MFA set-up): nobody
                    // leaves a half-open session behind on a shared computer.
                    {site.has_session.then(|| view! { <SignOutButton /> })}
                    <LanguageSwitch />
                </nav>
            </div>
        </header>
    }
}

/// "Abmelden": ends the session on the server (a plain form without JavaScript) and
/// loads the start page.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            hard_navigate("/");
        }
    });
    view! {
        <ActionForm action attr:class="site-nav__sign-out-form">
            <button type="submit" class="site-nav__sign-out">{t!(i18n, account.sign_out)}</button>
        </ActionForm>
    }
}

/// "Postfach" with the number of unread items, for citizens with a profile.
#[component]
fn PostboxLink() -> impl IntoView {
    let i18n = use_i18n();
    let unread = Resource::new(|| (), |_| crate::api::postbox::postbox_unread());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                unread.await.ok().flatten().map(|count| view! {
                    <li>
                        <a class="site-nav__link" href=routes::POSTBOX>
                            {t!(i18n, postbox.title)}
                            {(count > 0).then(|| view! {
                                " " <span class="badge">{count}<span class="visually-hidden">" "{t!(i18n, postbox.unread_suffix)}</span></span>
                            })}
                        </a>
                    </li>
                    <li>
                        <a class="site-nav__link" href=routes::APPOINTMENTS>{t!(i18n, appointments.title)}</a>
                    </li>
                })
            })}
        </Suspense>
    }
}

/// Moves keyboard focus to the main content (the skip link's target), which the
/// client-side router would otherwise only scroll to.
fn focus_main(_: leptos::ev::MouseEvent) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(main) = document()
        .get_element_by_id("inhalt")
        .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// Links to `/sprache`, which stores the choice in a cookie and returns to this page.
/// Plain links (full page load), so the switch works with and without JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let current = use_site().language;
    let back = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let target = if search.is_empty() { path } else { format!("{path}?{search}") };
        form_urlencode(&target)
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, site.language_switch_label)>
            {Language::ALL
                .into_iter()
                .map(|lang| {
                    let is_current = lang == current;
                    view! {
                        <a
                            class="lang-switch__link"
                            href=move || format!("{}?lang={}&zurueck={}", routes::LANGUAGE, lang.tag(), back())
                            rel="external"
                            lang=lang.tag()
                            hreflang=lang.tag()
                            aria-current=is_current.then_some("true")
                        >
                            {lang.endonym()}
                        </a>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Percent-encodes a value for use in a query string.
pub fn form_urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Links to the legal and accessibility pages.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <nav aria-label=move || t_string!(i18n, site.footer_label)>
                    <ul class="site-footer__list">
                        <li><a href=routes::HELP>{t!(i18n, site.help_link)}</a></li>
                        <li><a href=routes::IMPRINT>{t!(i18n, legal.imprint_title)}</a></li>
                        <li><a href=routes::PRIVACY>{t!(i18n, legal.privacy_title)}</a></li>
                        <li><a href=routes::ACCESSIBILITY>{t!(i18n, legal.accessibility_link)}</a></li>
                        <li><a href=routes::EASY_LANGUAGE>{t!(i18n, legal.easy_language_title)}</a></li>
                        <li><a href=routes::TERMS>{t!(i18n, legal.terms_title)}</a></li>
                    </ul>
                </nav>
                <p class="site-footer__note">{t!(i18n, site.footer_note)}</p>
            </div>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::form_urlencode;

    #[test]
    fn encodes_query_characters() {
        assert_eq!(form_urlencode("/a?b=c&d"), "/a%3Fb%3Dc%26d");
        assert_eq!(form_urlencode("/ü"), "/%C3%BC");
    }
}
