//! The client page's "Postfach": send a document (PDF) or message — a plain multipart
//! form to `/intern/kunden/{id}/senden`, so it works without JavaScript — and every item
//! sent with its channel, the reason and the legal trail.

use crate::domain::routes;
use crate::domain::ids::ClientId;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;

use crate::{
    api::postbox::{RefusedItem, SendOutcome, StaffItemView},
    domain::{
        datetime::{format_date, format_date_time},
        postbox::{Channel, ChannelReason, ItemKind, ItemProblem},
        upload::FileProblem,
    },
    ui::{
        components::{loading::LoadFailure, form::use_flash},
        components::postbox::{kind_label, Attachment},
        translate::*,
        site::use_site,
    },
};

/// Why an item took its channel, for staff.
pub fn reason_text(i18n: I18n, reason: ChannelReason) -> String {
    match reason {
        ChannelReason::OnlineCommunicationOn => t_string!(i18n, postbox.reason_online_on),
        ChannelReason::OnlineCommunicationOff => t_string!(i18n, postbox.reason_online_off),
        ChannelReason::NoProfile => t_string!(i18n, postbox.reason_no_profile),
        ChannelReason::SentByCitizen => t_string!(i18n, postbox.reason_from_citizen),
    }
    .to_string()
}

/// The result of the last "Senden" (read by the page before anything loads, like every
/// flash value).
pub fn use_send_outcome() -> Option<SendOutcome> {
    use_flash::<SendOutcome>(FlashForm::StaffSend)
}

/// Send form and sent `items` of client `client_id` (loaded by the page together with
/// the record); `outcome` from [`use_send_outcome`].
#[component]
pub fn ClientPostbox(
    client_id: ClientId,
    items: Result<Vec<StaffItemView>, crate::api::ApiError>,
    outcome: Option<SendOutcome>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (problems, file_problem, kind, subject, body) = match outcome.clone() {
        Some(SendOutcome::Refused(RefusedItem { problems, file, kind, subject, body })) => (problems, file, kind, subject, body),
        _ => (Vec::new(), None, String::new(), String::new(), String::new()),
    };
    let subject_error = problems.contains(&ItemProblem::Subject).then(|| t_string!(i18n, postbox.error_subject).to_string());
    let text_error = problems.contains(&ItemProblem::Text).then(|| t_string!(i18n, postbox.error_text).to_string());
    let file_error = match file_problem {
        Some(FileProblem::Type | FileProblem::PdfOnly) => Some(t_string!(i18n, postbox.error_pdf_only).to_string()),
        Some(FileProblem::TooLarge) => Some(t_string!(i18n, postbox.error_too_large).to_string()),
        Some(FileProblem::Empty) => Some(t_string!(i18n, postbox.error_empty).to_string()),
        Some(FileProblem::TooMany) => Some(t_string!(i18n, postbox.error_too_many).to_string()),
        None => problems.contains(&ItemProblem::DocumentMissing).then(|| t_string!(i18n, postbox.error_document_missing).to_string()),
    };
    let field_errors: Vec<(&'static str, String)> = [("betreff", subject_error.clone()), ("text", text_error.clone()), ("datei", file_error.clone())]
        .into_iter()
        .filter_map(|(id, message)| message.map(|m| (id, m)))
        .collect();
    let chosen = ItemKind::parse(&kind).unwrap_or(ItemKind::Bescheid);
    let described = |id: &str, hint: bool, error: bool| {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if error {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <section class="section" aria-labelledby="postfach">
            <h2 id="postfach">{t!(i18n, postbox.staff_heading)}</h2>
            {match outcome {
                Some(SendOutcome::Sent { channel: Channel::Online }) => Some(view! {
                    <div class="notice notice--success" role="status"><p>{t!(i18n, postbox.sent_online)}</p></div>
                }.into_any()),
                Some(SendOutcome::Sent { channel: Channel::Post }) => Some(view! {
                    <div class="notice notice--success" role="status"><p>{t!(i18n, postbox.sent_post)}</p></div>
                }.into_any()),
                Some(SendOutcome::Refused(_)) => Some(view! {
                    <div class="error-summary" role="alert" tabindex="-1">
                        <h3 class="error-summary__title">{t!(i18n, form.error_summary_title)}</h3>
                        <ul class="error-summary__list">
                            {field_errors.into_iter().map(|(id, message)| view! { <li><a href=format!("#{id}")>{message}</a></li> }).collect_view()}
                        </ul>
                    </div>
                }.into_any()),
                None => None,
            }}
            <form class="form" method="post" enctype="multipart/form-data" action=routes::client_send(client_id)>
                <div class="field">
                    <label class="field__label" for="art">{t!(i18n, postbox.kind)}" *"</label>
                    <select class="field__input" id="art" name="kind" required>
                        {ItemKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=k == chosen>{kind_label(i18n, k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field" class:field--error=subject_error.is_some()>
                    <label class="field__label" for="betreff">{t!(i18n, postbox.subject)}" *"</label>
                    {subject_error.clone().map(|e| view! { <p class="field__error" id="betreff-error">{e}</p> })}
                    <input class="field__input" id="betreff" name="subject" type="text" required maxlength="200" value=subject
                        aria-invalid=subject_error.is_some().then_some("true") aria-describedby=described("betreff", false, subject_error.is_some()) />
                </div>
                <div class="field" class:field--error=text_error.is_some()>
                    <label class="field__label" for="text">{t!(i18n, postbox.text)}</label>
                    <p class="field__hint" id="text-hint">{t!(i18n, postbox.text_hint)}</p>
                    {text_error.clone().map(|e| view! { <p class="field__error" id="text-error">{e}</p> })}
                    // The kept text as escaped markup: a text child would need a hydration
                    // marker, which inside a textarea would become part of its value.
                    <textarea class="field__input" id="text" name="body" rows="5" maxlength="10000"
                        inner_html=crate::ui::components::form::escape_html(&body)
                        aria-invalid=text_error.is_some().then_some("true") aria-describedby=described("text", true, text_error.is_some())></textarea>
                </div>
                <div class="field" class:field--error=file_error.is_some()>
                    <label class="field__label" for="datei">{t!(i18n, postbox.file)}</label>
                    <p class="field__hint" id="datei-hint">{t!(i18n, postbox.file_hint)}</p>
                    {file_error.clone().map(|e| view! { <p class="field__error" id="datei-error">{e}</p> })}
                    <input class="field__input" id="datei" name="file" type="file" accept="application/pdf,.pdf"
                        aria-invalid=file_error.is_some().then_some("true") aria-describedby=described("datei", true, file_error.is_some()) />
                </div>
                <button type="submit" class="button">{t!(i18n, postbox.send)}</button>
            </form>
            {match items {
                Err(error) => view! { <LoadFailure error /> }.into_any(),
                Ok(items) if items.is_empty() => view! { <p class="section">{t!(i18n, postbox.staff_none)}</p> }.into_any(),
                Ok(items) => view! {
                    <ul class="item-list section" aria-label=move || t_string!(i18n, postbox.staff_sent_heading)>
                        {items.into_iter().map(|item| view! { <SentItem item /> }.into_any()).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One sent item with channel and trail.
#[component]
pub fn SentItem(item: StaffItemView) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let channel = match item.channel {
        _ if item.item.from_citizen => t_string!(i18n, postbox.from_client).to_string(),
        Channel::Online => t_string!(i18n, postbox.channel_online).to_string(),
        Channel::Post => t_string!(i18n, postbox.channel_post).to_string(),
    };
    let trail = match item.channel {
        _ if item.item.from_citizen => vec![(t_string!(i18n, postbox.received_at).to_string(), format_date_time(item.item.created_at, language))],
        Channel::Online => vec![
            (t_string!(i18n, postbox.provided_at).to_string(), format_date_time(item.item.created_at, language)),
            (
                t_string!(i18n, postbox.notified_at).to_string(),
                item.notified_at.map(|at| format_date_time(at, language)).unwrap_or_else(|| t_string!(i18n, postbox.not_notified).to_string()),
            ),
            (
                t_string!(i18n, postbox.opened_at).to_string(),
                item.item.opened_at.map(|at| format_date_time(at, language)).unwrap_or_else(|| t_string!(i18n, postbox.not_opened).to_string()),
            ),
        ]
        .into_iter()
        .chain(item.item.deemed_notice_at.map(|at| (t_string!(i18n, postbox.deemed_notice).to_string(), format_date(at, language))))
        .collect::<Vec<_>>(),
        Channel::Post => vec![
            (t_string!(i18n, postbox.queued_at).to_string(), format_date_time(item.item.created_at, language)),
            (
                t_string!(i18n, postbox.printed_at).to_string(),
                item.printed_at.map(|at| format_date_time(at, language)).unwrap_or_else(|| t_string!(i18n, postbox.not_printed).to_string()),
            ),
        ],
    };
    view! {
        <li class="card item" data-testid="sent-item">
            <h3 class="item__title">{item.item.subject.clone()}</h3>
            <p class="item__meta">{kind_label(i18n, item.item.kind)}" · "{channel}" — "{reason_text(i18n, item.reason)}</p>
            {(!item.item.body.is_empty()).then(|| view! {
                <div class="item__body">{item.item.body.lines().map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}</div>
            })}
            <dl class="facts">
                {trail.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
            {(!item.item.attachments.is_empty()).then(|| view! {
                <ul class="facts-list">
                    {item.item.attachments.into_iter().map(|file| view! { <Attachment file /> }).collect_view()}
                </ul>
            })}
        </li>
    }
    .into_any()
}
