//! `/postfach/{id}`: one item — text, files to download (with size and SHA-256) and,
//! for documents, the day it counts as made known. Opening it is recorded.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{file_size, kind_label};
use crate::{
    api::postbox::{open_postbox_item, AttachmentView},
    domain::datetime::{format_date, format_date_time},
    ui::{
        components::{error::ErrorNotice, page::PageHeading},
        translate::*,
        use_site,
    },
};

/// `/postfach/{id}`
#[component]
pub fn ItemPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let id = use_params_map().with_untracked(|p| p.get("id")).and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let item = Resource::new(move || id, open_postbox_item);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, site.loading)}</p> }>
            {move || Suspend::new(async move {
                match item.await {
                    Err(error) => view! {
                        <PageHeading text=Signal::derive(move || t_string!(i18n, postbox.title).to_string()) />
                        <ErrorNotice error />
                    }
                    .into_any(),
                    Ok(item) => {
                        let subject = item.subject.clone();
                        view! {
                            <PageHeading text=Signal::derive(move || subject.clone()) />
                            <dl class="facts">
                                <dt>{t!(i18n, postbox.kind)}</dt>
                                <dd>{kind_label(i18n, item.kind)}</dd>
                                <dt>{t!(i18n, postbox.provided_at)}</dt>
                                <dd>{format_date_time(item.created_at, language)}</dd>
                                {item.deemed_notice_at.map(|at| view! {
                                    <dt>{t!(i18n, postbox.deemed_notice)}</dt>
                                    <dd>{format_date(at, language)}</dd>
                                })}
                            </dl>
                            <div class="item__body">
                                {item.body.lines().map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}
                            </div>
                            {(!item.attachments.is_empty()).then(|| view! {
                                <section class="section" aria-labelledby="anhaenge">
                                    <h2 id="anhaenge">{t!(i18n, postbox.attachments)}</h2>
                                    <ul class="facts-list">
                                        {item.attachments.into_iter().map(|file| view! { <Attachment file /> }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <p class="section"><a href="/postfach">{t!(i18n, postbox.back)}</a></p>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A file with its download link.
#[component]
pub fn Attachment(file: AttachmentView) -> impl IntoView {
    let i18n = use_i18n();
    let size = file_size(i18n, file.size);
    view! {
        <li>
            <a href=format!("/dateien/{}", file.id) download=file.filename.clone() rel="external">
                {t!(i18n, postbox.download, name = file.filename.clone(), size = size)}
            </a>
            <br />
            <span class="field__hint">"SHA-256: "<code class="hash">{file.sha256}</code></span>
        </li>
    }
    .into_any()
}
