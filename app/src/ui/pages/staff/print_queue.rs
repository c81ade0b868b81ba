//! `/intern/postversand`: items of the job centre that go by post (the client has no
//! profile or Online-Kommunikation off) and are not yet marked as printed and posted.

use crate::domain::routes;
use leptos::prelude::*;

use crate::ui::components::{client_postbox::reason_text, staff_only::StaffOnly};
use crate::{
    api::postbox::{print_queue, MarkPrinted},
    domain::datetime::format_date_time,
    ui::{
        components::{error::ErrorNotice, loading::Loaded, page::PageHeading},
        components::postbox::{kind_label, Attachment},
        translate::*,
        site::use_site,
    },
};

/// `/intern/postversand`
#[component]
pub fn PrintQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let mark = ServerAction::<MarkPrinted>::new();
    let queue = Resource::new(move || mark.version().get(), |_| print_queue());
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, postbox.queue_title).to_string()) />
        <StaffOnly content=move |_| view! {
            <p class="lead">{t!(i18n, postbox.queue_intro)}</p>
            {move || mark.value().get().map(|result| match result {
                Ok(_) => view! { <div class="notice notice--success" role="status"><p>{t!(i18n, postbox.queue_marked)}</p></div> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
            <Loaded resource=queue content=move |value| match value {
                entries if entries.is_empty() => view! { <p role="status">{t!(i18n, postbox.queue_empty)}</p> }.into_any(),
                entries => view! {
                    <ul class="item-list">
                        {entries.into_iter().map(|entry| {
                            let id = entry.item.item.id;
                            view! {
                                <li class="card item" data-testid="queue-item">
                                    <h2 class="item__title">{entry.item.item.subject.clone()}</h2>
                                    <p class="item__meta">
                                        <a href=routes::client(entry.client_id)>{entry.client_name.clone()}</a>
                                        " (" {entry.customer_number.clone()} ") · "
                                        {kind_label(i18n, entry.item.item.kind)}" · "
                                        {format_date_time(entry.item.item.created_at, language)}
                                    </p>
                                    <p>{reason_text(i18n, entry.item.reason)}</p>
                                    <ul class="facts-list">
                                        {entry.item.item.attachments.into_iter().map(|file| view! { <Attachment file /> }).collect_view()}
                                    </ul>
                                    <ActionForm action=mark attr:class="inline-form">
                                        <input type="hidden" name="item_id" value=id.get() />
                                        <button type="submit" class="button button--secondary">
                                            {t!(i18n, postbox.queue_mark)}
                                            <span class="visually-hidden">": "{entry.item.item.subject.clone()}</span>
                                        </button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            } />
            <p class="section"><a href=routes::DESK>{t!(i18n, staff.back_to_desk)}</a></p>
        } />
    }
}
