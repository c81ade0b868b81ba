//! `/intern`: the desk's start — search client records by name or customer number.

use crate::domain::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::ui::components::staff_only::StaffOnly;
use crate::{
    api::staff::search_clients,
    domain::datetime::format_date,
    ui::{
        components::{loading::Loaded, page::PageHeading},
        translate::*,
        site::use_site,
    },
};

/// `/intern`
#[component]
pub fn DeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let query = use_query_map();
    let search = Signal::derive(move || query.with(|q| q.get("suche")).unwrap_or_default());
    let results = Resource::new(move || search.get(), search_clients);
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, staff.desk_title).to_string()) />
        <StaffOnly content=move |desk| view! {
            <p class="lead">{t_string!(i18n, staff.desk_intro, name = desk.staff_name.clone(), job_centre = desk.job_centre.clone())}</p>
            <div class="button-row">
                <a class="button" href=routes::NEW_CLIENT>{t!(i18n, staff.new_client)}</a>
                <a class="button button--secondary" href=routes::STAFF_MESSAGES>{t!(i18n, postbox.staff_inbox_title)}</a>
                <a class="button button--secondary" href=routes::PRINT_QUEUE>{t!(i18n, postbox.queue_title)}</a>
                <a class="button button--secondary" href=routes::STAFF_FEEDBACK>{t!(i18n, accessibility.staff_link)}</a>
            </div>
            <search class="section">
                <form method="get" action=routes::DESK class="form form--inline">
                    <div class="field">
                        <label class="field__label" for="suche">{t!(i18n, staff.search_label)}</label>
                        <input class="field__input" id="suche" name="suche" type="search" value=move || search.get() />
                    </div>
                    <button type="submit" class="button button--secondary">{t!(i18n, staff.search)}</button>
                </form>
            </search>
            <Loaded resource=results content=move |value| match value {
                clients if clients.is_empty() => view! { <p role="status">{t!(i18n, staff.no_results)}</p> }.into_any(),
                clients => view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="treffer">
                        <table class="table">
                            <caption id="treffer">{t_string!(i18n, staff.results, count = clients.len())}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, staff.name)}</th>
                                    <th scope="col">{t!(i18n, staff.customer_number)}</th>
                                    <th scope="col">{t!(i18n, staff.birth_date)}</th>
                                    <th scope="col">{t!(i18n, staff.profile)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {clients
                                    .into_iter()
                                    .map(|c| view! {
                                        <tr>
                                            <td><a href=routes::client(c.id)>{format!("{}, {}", c.record.family_name, c.record.given_name)}</a></td>
                                            <td>{c.record.customer_number}</td>
                                            <td>{crate::domain::client_record::german_date(&c.record.birth_date)}</td>
                                            <td>{match c.profile_since {
                                                Some(at) => t_string!(i18n, staff.profile_since, date = format_date(at, language)).to_string(),
                                                None => t_string!(i18n, staff.profile_none).to_string(),
                                            }}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any(),
            } />
        } />
    }
}
