//! The recovery codes, shown once after they were made, with a text-file download.

use leptos::prelude::*;

use crate::{ui::translate::*, ui::{components::layout::form_urlencode, site::use_site}};

/// The codes and the way on.
#[component]
pub fn RecoveryCodes(codes: Vec<String>, email: String, #[prop(into)] next: String) -> impl IntoView {
    let i18n = use_i18n();
    let portal = use_site().portal_name;
    let file = {
        let codes = codes.clone();
        move || {
            let title = t_string!(i18n, mfa.codes_file_title, portal = portal.clone(), email = email.clone());
            let body = format!("{title}\r\n\r\n{}\r\n", codes.join("\r\n"));
            format!("data:text/plain;charset=utf-8,{}", form_urlencode(&body))
        }
    };
    view! {
        <section class="card section recovery" aria-labelledby="codes-title">
            <h2 id="codes-title">{t!(i18n, mfa.codes_title)}</h2>
            <p>{t!(i18n, mfa.codes_text)}</p>
            <ol class="recovery__list" data-testid="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ol>
            <p>
                <a class="button button--secondary" href=file download="wiederherstellungscodes.txt">
                    {t!(i18n, mfa.codes_download)}
                </a>
            </p>
            <p>
                <a class="button" href=next rel="external">{t!(i18n, mfa.codes_saved)}</a>
            </p>
        </section>
    }
}
