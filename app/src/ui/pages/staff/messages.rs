//! `/intern/nachrichten`: the job centre's conversations with messages from citizens
//! (open ones first), and `/intern/nachrichten/{id}`: one conversation with the reply
//! form (a plain multipart form, like sending from the client page) and "Als erledigt
//! markieren".

use crate::domain::routes;
use leptos::prelude::*;

use crate::domain::ids::PostboxItemId;
use leptos_router::hooks::use_params_map;

use crate::ui::components::{
    client_postbox::{use_send_outcome, SentItem},
    staff_only::StaffOnly,
};
use crate::{
    api::postbox::{open_conversation, staff_inbox, MarkDone, SendOutcome},
    domain::datetime::format_date_time,
    ui::{
        components::{loading::Loaded, page::PageHeading},
        components::postbox::kind_label,
        translate::*,
        site::use_site,
    },
};

/// `/intern/nachrichten`
#[component]
pub fn MessagesPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let inbox = Resource::new(|| (), |_| staff_inbox());
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, postbox.staff_inbox_title).to_string()) />
        <StaffOnly content=move |_| view! {
            <Loaded resource=inbox content=move |value| match value {
                entries if entries.is_empty() => view! { <p role="status">{t!(i18n, postbox.staff_inbox_empty)}</p> }.into_any(),
                entries => view! {
                    <ul class="item-list">
                        {entries.into_iter().map(|entry| view! {
                            <li class="card item" class:item--unread=entry.done_at.is_none() data-testid="message-entry">
                                <h2 class="item__title">
                                    <a href=routes::conversation(entry.item.id)>{entry.item.subject.clone()}</a>
                                </h2>
                                <p class="item__meta">
                                    {entry.client_name.clone()}" (" {entry.customer_number.clone()} ") · "
                                    {kind_label(i18n, entry.item.kind)}" · "{format_date_time(entry.item.created_at, language)}" · "
                                    {match entry.done_at {
                                        Some(at) => t_string!(i18n, postbox.done_at, time = format_date_time(at, language)).to_string(),
                                        None => t_string!(i18n, postbox.open).to_string(),
                                    }}
                                </p>
                            </li>
                        }.into_any()).collect_view()}
                    </ul>
                }
                .into_any(),
            } />
            <p class="section"><a href=routes::DESK>{t!(i18n, staff.back_to_desk)}</a></p>
        } />
    }
}

/// `/intern/nachrichten/{id}`
#[component]
pub fn ConversationPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let id = use_params_map().with_untracked(|p| p.get("id")).and_then(|id| id.parse::<PostboxItemId>().ok()).unwrap_or(PostboxItemId(0));
    let done = ServerAction::<MarkDone>::new();
    let conversation = Resource::new(move || (id, done.version().get()), |(id, _)| open_conversation(id));
    let sent = StoredValue::new(use_send_outcome());
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, postbox.conversation).to_string()) />
        <StaffOnly content=move |_| view! {
            {move || match sent.get_value() {
                Some(SendOutcome::Sent { .. }) => Some(view! {
                    <div class="notice notice--success" role="status"><p>{t!(i18n, postbox.reply_sent)}</p></div>
                }.into_any()),
                Some(SendOutcome::Refused(_)) => Some(view! {
                    <div class="notice notice--warning" role="alert"><p>{t!(i18n, postbox.reply_refused)}</p></div>
                }.into_any()),
                None => None,
            }}
            <Loaded resource=conversation content=move |value| match value {
                conversation => {
                    let subject = conversation.items.last().map(|i| i.item.subject.clone()).unwrap_or_default();
                    let reply_subject = crate::domain::postbox::reply_subject(&subject, t_string!(i18n, postbox.reply_prefix));
                    view! {
                        <p class="lead">
                            <a href=routes::client(conversation.client_id)>{conversation.client_name.clone()}</a>
                            " (" {conversation.customer_number.clone()} ")"
                        </p>
                        <p role="status">{match conversation.done_at {
                            Some(at) => t_string!(i18n, postbox.done_at, time = format_date_time(at, language)).to_string(),
                            None => t_string!(i18n, postbox.open).to_string(),
                        }}</p>
                        <h2>{t!(i18n, postbox.staff_history)}</h2>
                        <ul class="item-list">
                            {conversation.items.into_iter().map(|item| view! { <SentItem item /> }.into_any()).collect_view()}
                        </ul>
                        <section class="section" aria-labelledby="antwort">
                            <h2 id="antwort">{t!(i18n, postbox.reply)}</h2>
                            <form class="form" method="post" enctype="multipart/form-data"
                                action=routes::client_send(conversation.client_id)>
                                <input type="hidden" name="kind" value="nachricht" />
                                <input type="hidden" name="reply_to" value=conversation.thread_id.get() />
                                <div class="field">
                                    <label class="field__label" for="betreff">{t!(i18n, postbox.subject)}" *"</label>
                                    <input class="field__input" id="betreff" name="subject" type="text" required maxlength="200" value=reply_subject />
                                </div>
                                <div class="field">
                                    <label class="field__label" for="text">{t!(i18n, postbox.text)}" *"</label>
                                    <textarea class="field__input" id="text" name="body" rows="6" maxlength="10000" required></textarea>
                                </div>
                                <div class="field">
                                    <label class="field__label" for="datei">{t!(i18n, postbox.file)}</label>
                                    <p class="field__hint" id="datei-hint">{t!(i18n, postbox.reply_file_hint)}</p>
                                    <input class="field__input" id="datei" name="file" type="file" accept="application/pdf,.pdf" aria-describedby="datei-hint" />
                                </div>
                                <button type="submit" class="button">{t!(i18n, postbox.reply_send)}</button>
                            </form>
                        </section>
                        {conversation.done_at.is_none().then(|| view! {
                            <ActionForm action=done attr:class="inline-form section">
                                <input type="hidden" name="thread_id" value=conversation.thread_id.get() />
                                <button type="submit" class="button button--secondary">{t!(i18n, postbox.mark_done)}</button>
                            </ActionForm>
                        })}
                    }
                    .into_any()
                }
            } />
            <p class="section"><a href=routes::STAFF_MESSAGES>{t!(i18n, postbox.staff_inbox_back)}</a></p>
        } />
    }
}
