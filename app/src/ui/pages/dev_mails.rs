//! `/dev/mails`: in development mode, the e-mails and text messages the portal sent
//! (or would have sent without an SMTP server or SMS gateway). Production answers with
//! the 404 page.

use leptos::prelude::*;

use crate::{
    api::{dev::{preview_mails, preview_sms}, ApiError},
    domain::datetime::format_date_time,
    ui::translate::*,
    ui::{
        components::{loading::LoadFailure, page::PageHeading},
        components::not_found::NotFound,
        site::use_site,
    },
};

/// The mail preview.
#[component]
pub fn DevMailsPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let mails = Resource::new(|| (), |_| async { Ok::<_, ApiError>((preview_mails().await?, preview_sms().await?)) });
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, site.loading)}</p> }>
            {move || Suspend::new(async move {
                match mails.await {
                    Err(ApiError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <LoadFailure error /> }.into_any(),
                    Ok((list, texts)) => view! {
                        <PageHeading text=Signal::derive(move || t_string!(i18n, dev.mails_title).to_string()) />
                        <p>{t!(i18n, dev.mails_intro)}</p>
                        <section class="section" aria-labelledby="sms">
                            <h2 id="sms">{t!(i18n, dev.sms_heading)}</h2>
                            {texts.is_empty().then(|| view! { <p>{t!(i18n, dev.sms_empty)}</p> })}
                            <ol class="mail-list" reversed>
                                {texts
                                    .into_iter()
                                    .map(|sms| {
                                        let when = format_date_time(sms.created_at, language);
                                        view! {
                                            <li class="card mail">
                                                <p class="mail__meta">{t!(i18n, dev.to)}": "{sms.to}" · "{when}</p>
                                                <p class="mail__body">{sms.text}</p>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        </section>
                        {list.is_empty().then(|| view! { <p>{t!(i18n, dev.mails_none)}</p> })}
                        <ol class="mail-list" reversed>
                            {list
                                .into_iter()
                                .map(|mail| {
                                    let when = format_date_time(mail.created_at, language);
                                    view! {
                                        <li class="card mail">
                                            <h2 class="mail__subject">{mail.subject}</h2>
                                            <p class="mail__meta">
                                                {t!(i18n, dev.to)}": "{mail.to}" · "{when}
                                            </p>
                                            <div class="mail__body">{linkify(&mail.text)}</div>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The mail text with its links clickable, line by line.
fn linkify(text: &str) -> impl IntoView {
    text.lines()
        .map(|line| {
            let line = line.to_owned();
            if line.starts_with("http://") || line.starts_with("https://") {
                let href = line.clone();
                view! { <p><a href=href>{line}</a></p> }.into_any()
            } else {
                view! { <p>{line}</p> }.into_any()
            }
        })
        .collect_view()
}
