//! `/postfach/{id}`: one item — text, files to download (with size and SHA-256), for
//! documents the day it counts as made known, for the citizen's own items the
//! Eingangsbestätigung, and the conversation it belongs to with a reply form. Opening
//! it is recorded.

use crate::domain::routes;
use leptos::prelude::*;

use crate::domain::ids::PostboxItemId;
use leptos_router::hooks::use_params_map;

use crate::ui::components::postbox::{file_size, kind_label, use_citizen_send_outcome, Attachment, MessageForm};
use crate::{
    api::postbox::{open_postbox_item, postbox_conversation, CitizenSendOutcome, PostboxItemView},
    domain::{
        datetime::{format_date, format_date_time},
        postbox::ItemKind,
    },
    ui::{
        components::{loading::LoadFailure, page::PageHeading},
        translate::*,
        site::use_site,
    },
};

/// `/postfach/{id}`
#[component]
pub fn ItemPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map().with_untracked(|p| p.get("id")).and_then(|id| id.parse::<PostboxItemId>().ok()).unwrap_or(PostboxItemId(0));
    let item = Resource::new(move || id, open_postbox_item);
    let conversation = Resource::new(move || id, postbox_conversation);
    let outcome = StoredValue::new(use_citizen_send_outcome());
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, site.loading)}</p> }>
            {move || Suspend::new(async move {
                match (item.await, conversation.await) {
                    (Ok(item), Ok(conversation)) => view! { <Item item conversation outcome=outcome.get_value() /> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! {
                        <PageHeading text=Signal::derive(move || t_string!(i18n, postbox.title).to_string()) />
                        <LoadFailure error />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Item(item: PostboxItemView, conversation: Vec<PostboxItemView>, outcome: Option<CitizenSendOutcome>) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let subject = item.subject.clone();
    let received_now = matches!(outcome, Some(CitizenSendOutcome::Received { id }) if id == item.id);
    let refused = matches!(outcome, Some(CitizenSendOutcome::Refused(_))).then_some(outcome).flatten();
    let reply_subject = crate::domain::postbox::reply_subject(&item.subject, t_string!(i18n, postbox.reply_prefix));
    let others: Vec<PostboxItemView> = conversation.into_iter().filter(|other| other.id != item.id).collect();
    view! {
        <PageHeading text=Signal::derive(move || subject.clone()) />
        {received_now.then(|| view! {
            <div class="notice notice--success" role="status"><p>{t!(i18n, postbox.received)}</p></div>
        })}
        <dl class="facts">
            <dt>{t!(i18n, postbox.kind)}</dt>
            <dd>{kind_label(i18n, item.kind)}</dd>
            <dt>{if item.from_citizen { t_string!(i18n, postbox.received_at) } else { t_string!(i18n, postbox.provided_at) }}</dt>
            <dd>{format_date_time(item.created_at, language)}</dd>
            {item.deemed_notice_at.map(|at| view! {
                <dt>{t!(i18n, postbox.deemed_notice)}</dt>
                <dd>{format_date(at, language)}</dd>
            })}
        </dl>
        <div class="item__body">
            {item.body.lines().map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}
        </div>
        {if item.from_citizen {
            view! { <Receipt item=item.clone() /> }.into_any()
        } else if !item.attachments.is_empty() {
            view! {
                <section class="section" aria-labelledby="anhaenge">
                    <h2 id="anhaenge">{t!(i18n, postbox.attachments)}</h2>
                    <ul class="facts-list">
                        {item.attachments.clone().into_iter().map(|file| view! { <Attachment file /> }).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        } else {
            ().into_any()
        }}
        {(!others.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="verlauf-nachrichten">
                <h2 id="verlauf-nachrichten">{t!(i18n, postbox.conversation)}</h2>
                <ul class="item-list">
                    {others.into_iter().map(|other| view! {
                        <li class="card item">
                            <h3 class="item__title"><a href=routes::postbox_item(other.id)>{other.subject.clone()}</a></h3>
                            <p class="item__meta">
                                {if other.from_citizen { t_string!(i18n, postbox.from_you) } else { t_string!(i18n, postbox.from_job_centre) }}
                                " · "{format_date_time(other.created_at, language)}
                            </p>
                        </li>
                    }.into_any()).collect_view()}
                </ul>
            </section>
        })}
        <section class="section" aria-labelledby="antworten">
            <h2 id="antworten">{t!(i18n, postbox.reply)}</h2>
            <MessageForm kind=ItemKind::Nachricht reply_to=Some(item.id) outcome=refused subject=reply_subject />
        </section>
        <p class="section"><a href=routes::POSTBOX>{t!(i18n, postbox.back)}</a></p>
    }
}

/// The Eingangsbestätigung: when it arrived and every file with size and SHA-256.
#[component]
fn Receipt(item: PostboxItemView) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    view! {
        <section class="section card" aria-labelledby="eingangsbestaetigung">
            <h2 id="eingangsbestaetigung">{t!(i18n, postbox.receipt_title)}</h2>
            <p>{t!(i18n, postbox.receipt_received, number = item.id.get(), time = format_date_time(item.created_at, language))}</p>
            {if item.attachments.is_empty() {
                view! { <p>{t!(i18n, postbox.receipt_no_files)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=move || t_string!(i18n, postbox.files)>
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, postbox.file_name)}</th>
                                    <th scope="col">{t!(i18n, postbox.size)}</th>
                                    <th scope="col">"SHA-256"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {item.attachments.into_iter().map(|file| view! {
                                    <tr>
                                        <td><a href=routes::file(file.id) download=file.filename.clone() rel="external">{file.filename.clone()}</a></td>
                                        <td>{file_size(i18n, file.size)}</td>
                                        <td><code class="hash">{file.sha256}</code></td>
                                    </tr>
                                }.into_any()).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
            <p><a href=routes::receipt(item.id) rel="external" download="">{t!(i18n, postbox.receipt_download)}</a></p>
        </section>
    }
}

