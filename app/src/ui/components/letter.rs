//! The letter with a new activation code, after the flyer: sender, recipient, the code
//! in large type, the QR code that opens `/freischalten?code=…`, the validity date and
//! the greeting. Printed on A4 by the browser (print stylesheet: no navigation).

use leptos::prelude::*;

use crate::ui::components::staff_only::salutation_text;
use crate::{
    api::staff::Letter,
    domain::datetime::format_date,
    ui::{site::use_site, translate::*},
};

/// The letter and, above it on screen only, the print button.
#[component]
pub fn LetterView(letter: Letter) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let greeting = match salutation_text(i18n, &letter.salutation) {
        s if s.is_empty() => t_string!(i18n, letter.greeting_neutral, name = letter.name.clone()).to_string(),
        s => t_string!(i18n, letter.greeting, salutation = s, name = letter.name.clone()).to_string(),
    };
    let pending = crate::ui::components::needs_app::app_pending();
    let print = move |_| {
        let _ = window().print();
    };
    let entry_page = letter.link.split('?').next().unwrap_or_default().to_owned();
    view! {
        <div class="notice notice--success no-print" role="status">
            <p>{t!(i18n, letter.issued)}</p>
        </div>
        <div class="button-row no-print">
            <button type="button" class="button with-js" class:is-pending=move || pending.get() on:click=print>
                {t!(i18n, letter.print)}
            </button>
            <a class="button button--secondary" href=letter.client_page.clone() rel="external">{t!(i18n, letter.back)}</a>
        </div>
        <p class="field__hint no-print">{t!(i18n, letter.print_hint)}</p>
        <article class="letter" aria-labelledby="letter-subject">
            <header class="letter__head">
                <p class="letter__sender">{letter.sender.join(" · ")}</p>
                <address class="letter__recipient">
                    {letter.recipient.iter().map(|line| view! { <span>{line.clone()}</span><br /> }).collect_view()}
                </address>
                <p class="letter__date">{format!("{}, {}", letter.sender.last().cloned().unwrap_or_default(), format_date(letter.issued_at, language))}</p>
            </header>
            <h2 class="letter__subject" id="letter-subject">{t_string!(i18n, letter.subject, job_centre = letter.sender.first().cloned().unwrap_or_default())}</h2>
            <p>{greeting}</p>
            <p>{t!(i18n, letter.body)}</p>
            <p>{t!(i18n, letter.code_intro)}</p>
            <p class="letter__code" data-testid="letter-code">{letter.code.clone()}</p>
            <p>{t_string!(i18n, letter.entry_page, url = entry_page)}</p>
            <p>{t!(i18n, letter.qr_intro)}</p>
            <figure class="letter__qr">
                <div role="img" aria-label=t_string!(i18n, letter.qr_label) inner_html=letter.qr_svg.clone()></div>
            </figure>
            <p>
                {t!(i18n, letter.sign_in_first)}" "
                <strong data-testid="letter-valid-until">{t_string!(i18n, letter.valid_until, date = format_date(letter.valid_until, language))}</strong>
            </p>
            <p class="letter__closing">{t!(i18n, letter.closing)}</p>
            <p>{letter.sender.first().cloned().unwrap_or_default()}<br />{letter.staff_name.clone()}</p>
            <footer class="letter__footer">{letter.contact.clone()}</footer>
        </article>
    }
}
