//! `/`: what the portal offers, what you need, and the way in.

use crate::domain::routes;
use leptos::prelude::*;

use crate::{
    api::site::{list_job_centres, portal_address, JobCentreContact, PortalLink},
    ui::translate::*,
    ui::components::{loading::Loaded, install_hint::InstallHint, page::PageHeading},
};

/// The start page.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let centres = Resource::new(|| (), |_| list_job_centres());
    let link = Resource::new(|| (), |_| portal_address());

    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, home.title).to_string()) />
        <p class="lead">{t!(i18n, home.lead)}</p>

        <section aria-labelledby="angebote" class="section">
            <h2 id="angebote">{t!(i18n, home.services_heading)}</h2>
            <ul class="checklist">
                <li>{t!(i18n, home.service_applications)}</li>
                <li>{t!(i18n, home.service_changes)}</li>
                <li>{t!(i18n, home.service_evidence)}</li>
                <li>{t!(i18n, home.service_messages)}</li>
                <li>{t!(i18n, home.service_postbox)}</li>
            </ul>
        </section>

        <section aria-labelledby="voraussetzungen" class="section">
            <h2 id="voraussetzungen">{t!(i18n, home.needs_heading)}</h2>
            <p>{t!(i18n, home.needs_intro)}</p>
            <div class="card-grid">
                <div class="card">
                    <h3>{t!(i18n, home.need_account_title)}</h3>
                    <p>{t!(i18n, home.need_account_text)}</p>
                </div>
                <div class="card">
                    <h3>{t!(i18n, home.need_profile_title)}</h3>
                    <p>{t!(i18n, home.need_profile_text)}</p>
                </div>
            </div>
        </section>

        <div class="card-grid section">
            <section aria-labelledby="konto-vorhanden" class="card card--action">
                <h2 id="konto-vorhanden">{t!(i18n, home.have_account_heading)}</h2>
                <p>{t!(i18n, home.have_account_text)}</p>
                <a class="button" href=routes::SIGN_IN>
                    {t!(i18n, site.sign_in)}
                </a>
            </section>
            <section aria-labelledby="kein-konto" class="card card--action">
                <h2 id="kein-konto">{t!(i18n, home.no_account_heading)}</h2>
                <p>{t!(i18n, home.no_account_text)}</p>
                <a class="button" href=routes::REGISTER>
                    {t!(i18n, home.register_now)}
                </a>
            </section>
        </div>
        <p class="notice">{t!(i18n, home.lost_access)}</p>

        <div class="card-grid section">
            <InstallHint />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { link.await.ok().map(|link| view! { <PhoneLink link /> }) })}
            </Suspense>
        </div>

        <section aria-labelledby="jobcenter" class="section">
            <h2 id="jobcenter">{t!(i18n, home.job_centres_heading)}</h2>
            <Loaded resource=centres content=move |value| match value {
                list if list.is_empty() => {
                    view! { <p>{t!(i18n, home.job_centres_none)}</p> }.into_any()
                }
                list => view! { <JobCentreList centres=list /> }.into_any(),
            } />
        </section>
    }
}

/// "Auf dem Handy öffnen": the portal's address as a QR code and as text.
#[component]
fn PhoneLink(link: PortalLink) -> impl IntoView {
    let i18n = use_i18n();
    let url = link.url.clone();
    let label = move || t_string!(i18n, pwa.qr_label, url = url.clone()).to_string();
    view! {
        <section class="card section" aria-labelledby="auf-dem-handy">
            <h2 id="auf-dem-handy">{t!(i18n, pwa.qr_heading)}</h2>
            <p>{t!(i18n, pwa.qr_text)}</p>
            <div class="qr__image" role="img" aria-label=label inner_html=link.qr_svg></div>
            <p class="break-anywhere"><a href=link.url.clone()>{link.url.clone()}</a></p>
        </section>
    }
}

#[component]
fn JobCentreList(centres: Vec<JobCentreContact>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>{t!(i18n, home.job_centres_intro)}</p>
        <ul class="contact-list">
            {centres
                .into_iter()
                .map(|c| {
                    let tel = format!("tel:{}", c.phone.replace(' ', ""));
                    let mailto = format!("mailto:{}", c.email);
                    view! {
                        <li class="card">
                            <h3>{c.name}</h3>
                            <address>
                                {c.street}<br />{c.postcode}" "{c.city}<br />
                                {t!(i18n, home.phone)}": "<a href=tel>{c.phone}</a><br />
                                {t!(i18n, home.email)}": "<a href=mailto>{c.email}</a>
                            </address>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
