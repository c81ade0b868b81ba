//! `/postfach`: the inbox — newest first, unread ones marked, filter by kind (a plain
//! GET form) and pages.

use crate::domain::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::ui::components::postbox::kind_label;
use crate::{
    api::postbox::my_postbox,
    domain::{datetime::format_date_time, postbox::ItemKind},
    ui::{
        components::{loading::Loaded, page::PageHeading},
        translate::*,
        site::use_site,
    },
};

/// `/postfach`
#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let query = use_query_map();
    let kind = Signal::derive(move || query.with(|q| q.get("art")).filter(|k| ItemKind::parse(k).is_some()));
    let page = Signal::derive(move || query.with(|q| q.get("seite")).and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let inbox = Resource::new(move || (kind.get(), page.get()), |(kind, page)| my_postbox(kind, Some(page)));
    let page_link = move |page: i64| match kind.get() {
        Some(kind) => format!("{}?art={kind}&seite={page}", routes::POSTBOX),
        None => format!("{}?seite={page}", routes::POSTBOX),
    };
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, postbox.title).to_string()) />
        <p class="lead">{t!(i18n, postbox.intro)}</p>
        <div class="button-row">
            <a class="button" href=routes::POSTBOX_WRITE>{t!(i18n, postbox.write_title)}</a>
            <a class="button button--secondary" href=format!("{}?art=nachweis", routes::POSTBOX_WRITE)>{t!(i18n, postbox.write_evidence_title)}</a>
        </div>
        <search class="section">
            <form method="get" action=routes::POSTBOX class="form form--inline">
                <div class="field">
                    <label class="field__label" for="art">{t!(i18n, postbox.filter_label)}</label>
                    <select class="field__input" id="art" name="art">
                        <option value="" selected=move || kind.get().is_none()>{t!(i18n, postbox.filter_all)}</option>
                        {ItemKind::ALL
                            .into_iter()
                            .map(|k| view! {
                                <option value=k.as_str() selected=move || kind.get().as_deref() == Some(k.as_str())>{kind_label(i18n, k)}</option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button--secondary">{t!(i18n, postbox.filter_submit)}</button>
            </form>
        </search>
        <Loaded resource=inbox content=move |value| match value {
            inbox if inbox.items.is_empty() => view! { <p class="section" role="status">{t!(i18n, postbox.empty)}</p> }.into_any(),
            inbox => {
                let (page, pages) = (inbox.page, inbox.pages);
                view! {
                    <p class="section" role="status">{t!(i18n, postbox.unread_count, count = inbox.unread)}</p>
                    <ul class="item-list">
                        {inbox
                            .items
                            .into_iter()
                            .map(|item| {
                                let unread = item.opened_at.is_none();
                                view! {
                                    <li class="card item" class:item--unread=unread>
                                        <h2 class="item__title">
                                            <a href=routes::postbox_item(item.id)>{item.subject}</a>
                                        </h2>
                                        <p class="item__meta">
                                            {item.from_citizen.then(|| view! { {t!(i18n, postbox.from_you)}" · " })}
                                            {kind_label(i18n, item.kind)}" · "{format_date_time(item.created_at, language)}
                                            {unread.then(|| view! { " · " <strong class="badge">{t!(i18n, postbox.new_badge)}</strong> })}
                                            {(!item.attachments.is_empty()).then(|| view! { " · " {t!(i18n, postbox.has_attachment)} })}
                                        </p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {(pages > 1).then(|| view! {
                        <nav class="pagination section" aria-label=move || t_string!(i18n, postbox.pages_label)>
                            {(page > 1).then(|| view! { <a href=page_link(page - 1)>{t!(i18n, postbox.previous)}</a> })}
                            <span>{t!(i18n, postbox.page_of, page = page, pages = pages)}</span>
                            {(page < pages).then(|| view! { <a href=page_link(page + 1)>{t!(i18n, postbox.next)}</a> })}
                        </nav>
                    })}
                }
                .into_any()
            }
        } />
    }
}
