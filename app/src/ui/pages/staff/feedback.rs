//! `/intern/rueckmeldungen`: feedback on barriers sent from the accessibility
//! statement, open first; staff mark what they have dealt with.

use crate::domain::routes;
use leptos::prelude::*;

use crate::ui::components::staff_only::StaffOnly;
use crate::{
    api::feedback::{feedback_entries, FeedbackEntry, MarkFeedbackDone},
    domain::datetime::format_date_time,
    ui::{
        components::{error::ErrorNotice, loading::Loaded, page::PageHeading},
        translate::*,
        site::use_site,
    },
};

/// `/intern/rueckmeldungen`
#[component]
pub fn FeedbackPage() -> impl IntoView {
    let i18n = use_i18n();
    let done = ServerAction::<MarkFeedbackDone>::new();
    let entries = Resource::new(move || done.version().get(), |_| feedback_entries());
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, accessibility.staff_title).to_string()) />
        <StaffOnly content=move |_| view! {
            {move || done.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <Loaded resource=entries content=move |value| match value {
                list if list.is_empty() => view! { <p role="status">{t!(i18n, accessibility.staff_none)}</p> }.into_any(),
                list => view! {
                    <ul class="item-list">
                        {list.into_iter().map(|entry| view! { <Entry entry done /> }).collect_view()}
                    </ul>
                }
                .into_any(),
            } />
        } />
        <p class="section"><a href=routes::DESK>{t!(i18n, staff.desk_title)}</a></p>
    }
}

#[component]
fn Entry(entry: FeedbackEntry, done: ServerAction<MarkFeedbackDone>) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let received = format_date_time(entry.received_at, language);
    let sender = match (entry.input.name.is_empty(), entry.input.email.is_empty()) {
        (true, true) => format!("{}, {}", t_string!(i18n, accessibility.staff_anonymous), t_string!(i18n, accessibility.staff_no_answer)),
        (false, true) => format!("{}, {}", entry.input.name, t_string!(i18n, accessibility.staff_no_answer)),
        (true, false) => entry.input.email.clone(),
        (false, false) => format!("{} <{}>", entry.input.name, entry.input.email),
    };
    let mailto = (!entry.input.email.is_empty()).then(|| format!("mailto:{}", entry.input.email));
    view! {
        <li class="card item" data-testid="feedback-entry">
            <h2 class="item__title">{t!(i18n, accessibility.staff_received, date = received.clone())}</h2>
            <p class="item__meta">
                {match mailto {
                    Some(href) => view! { <a href=href>{t_string!(i18n, accessibility.staff_from, sender = sender.clone()).to_string()}</a> }.into_any(),
                    None => view! { <span>{t_string!(i18n, accessibility.staff_from, sender = sender.clone()).to_string()}</span> }.into_any(),
                }}
                " · " {t_string!(i18n, accessibility.staff_language, language = entry.language.endonym()).to_string()}
            </p>
            {(!entry.input.page.is_empty()).then(|| view! { <p>{t_string!(i18n, accessibility.staff_page, page = entry.input.page.clone()).to_string()}</p> })}
            <p class="item__body">{entry.input.message.clone()}</p>
            {match entry.done_at {
                Some(at) => view! { <p>{t_string!(i18n, accessibility.staff_done, date = format_date_time(at, language)).to_string()}</p> }.into_any(),
                None => view! {
                    <ActionForm action=done attr:class="inline-form">
                        <input type="hidden" name="id" value=entry.id />
                        <button type="submit" class="button button--secondary">
                            {t!(i18n, accessibility.staff_mark_done)}
                            <span class="visually-hidden">": "{received}</span>
                        </button>
                    </ActionForm>
                }
                .into_any(),
            }}
        </li>
    }
}
