//! `/termine`: the citizen's appointments — upcoming ones with "Zum Kalender
//! hinzufügen" (an `.ics` file), and past ones.

use crate::domain::routes;
use leptos::prelude::*;

use crate::{
    api::appointments::{my_appointments, AppointmentList, AppointmentView},
    domain::datetime::format_date_time,
    ui::{
        components::{loading::Loaded, page::PageHeading},
        components::client_appointments::mode_label,
        translate::*,
        site::use_site,
    },
};

/// `/termine`
#[component]
pub fn AppointmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| my_appointments());
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, appointments.title).to_string()) />
        <p class="lead">{t!(i18n, appointments.intro)}</p>
        <Loaded resource=list content=move |list: AppointmentList| view! {
                        <section class="section" aria-labelledby="anstehend">
                            <h2 id="anstehend">{t!(i18n, appointments.upcoming)}</h2>
                            {if list.upcoming.is_empty() {
                                view! { <p>{t!(i18n, appointments.none_upcoming)}</p> }.into_any()
                            } else {
                                view! { <ul class="item-list">{list.upcoming.into_iter().map(|a| view! { <Entry appointment=a /> }.into_any()).collect_view()}</ul> }.into_any()
                            }}
                        </section>
                        <section class="section" aria-labelledby="vergangen">
                            <h2 id="vergangen">{t!(i18n, appointments.past)}</h2>
                            {if list.past.is_empty() {
                                view! { <p>{t!(i18n, appointments.none_past)}</p> }.into_any()
                            } else {
                                view! { <ul class="item-list">{list.past.into_iter().map(|a| view! { <Entry appointment=a /> }.into_any()).collect_view()}</ul> }.into_any()
                            }}
                        </section>
        } />
    }
}

#[component]
fn Entry(appointment: AppointmentView) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let a = appointment;
    view! {
        <li class="card item" data-testid="appointment">
            <h3 class="item__title">{format_date_time(a.details.starts_at, language)}" – "{a.details.subject.clone()}</h3>
            <p class="item__meta">{mode_label(i18n, a.details.mode)}": "{a.details.place.clone()}" · "{t!(i18n, appointments.minutes, minutes = a.details.duration_minutes)}</p>
            {(!a.details.notes.is_empty()).then(|| view! { <p>{a.details.notes.clone()}</p> })}
            {match a.cancelled_at {
                Some(_) => view! { <p><strong>{t!(i18n, appointments.cancelled)}</strong></p> }.into_any(),
                None if a.upcoming => view! {
                    <p><a href=routes::calendar(a.id) download=format!("termin-{}.ics", a.id) rel="external">
                        {t!(i18n, appointments.add_to_calendar)}
                        <span class="visually-hidden">": "{a.details.subject.clone()}</span>
                    </a></p>
                }
                .into_any(),
                None => ().into_any(),
            }}
        </li>
    }
}
