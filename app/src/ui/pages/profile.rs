//! `/profil`: "Profil bearbeiten" — "Ihre Daten", the contact details the citizen
//! changes themselves, and the "Kommunikationsoptionen" with the status of the online
//! communication and the history of every change.

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;

use crate::{
    api::{
        profile::{my_profile, OptionOutcome, ProfileView},
        staff::OptionChangeView,
    },
    domain::{communication::CommunicationOption, datetime::format_date_time},
    ui::{
        components::{loading::Loaded, form::use_flash, option_switch::OptionSwitch, page::PageHeading},
        components::{contact_details::ContactDetails, option_history::{option_labels, OptionHistory}},
        translate::*,
        site::use_site,
    },
};

/// `/profil`
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| my_profile());
    let content = move |profile: Option<ProfileView>| match profile {
        Some(profile) => view! { <Profile profile /> }.into_any(),
        None => view! {
            <p>{t!(i18n, profile.none)}</p>
            <p><a class="button" href=routes::NEW_PROFILE>{t!(i18n, activation.new_profile)}</a></p>
        }
        .into_any(),
    };
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, profile.title).to_string()) />
        <Loaded resource=profile content />
    }
}

#[component]
fn Profile(profile: ProfileView) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let flash = use_flash::<OptionOutcome>(FlashForm::ProfileOption);
    let state = |option| RwSignal::new(profile.options.iter().any(|(o, on)| *o == option && *on));
    let switches = CommunicationOption::ALL.map(|option| (option, state(option)));
    let sms = switches[1].1;
    let online = switches[2].1;
    let history = RwSignal::new(profile.history.clone());
    let on_saved = Callback::new(move |(option, enabled, at): (CommunicationOption, bool, i64)| {
        history.update(|h| h.insert(0, OptionChangeView { option, enabled, at }));
    });
    let sms_mobile = RwSignal::new(profile.sms_mobile.clone());
    let pending_mobile = RwSignal::new(profile.pending_mobile.clone());
    // Removing the number switches SMS off on the server; show it without a reload.
    let on_removed = Callback::new(move |switched_off_at: Option<i64>| {
        if let Some(at) = switched_off_at {
            sms.set(false);
            on_saved.run((CommunicationOption::SmsNotifications, false, at));
        }
    });
    let salutation = match profile.salutation.as_str() {
        "frau" => t_string!(i18n, staff.salutation_frau).to_string(),
        "herr" => t_string!(i18n, staff.salutation_herr).to_string(),
        _ => String::new(),
    };
    view! {
        <section class="card" aria-labelledby="ihre-daten">
            <h2 id="ihre-daten">{t!(i18n, profile.data_heading)}</h2>
            <p>{t!(i18n, profile.data_intro)}</p>
            <dl class="facts">
                <dt>{t!(i18n, profile.job_centre)}</dt>
                <dd>{profile.job_centre.clone()}</dd>
                <dt>{t!(i18n, staff.customer_number)}</dt>
                <dd>{profile.customer_number.clone()}</dd>
                <dt>{t!(i18n, profile.name)}</dt>
                <dd>{format!("{salutation} {}", profile.name).trim().to_owned()}</dd>
                <dt>{t!(i18n, staff.birth_date)}</dt>
                <dd>{crate::domain::client_record::german_date(&profile.birth_date)}</dd>
                <dt>{t!(i18n, profile.address)}</dt>
                <dd>{profile.address.join(", ")}</dd>
                <dt>{t!(i18n, profile.job_centre_mobile)}</dt>
                <dd>{profile.mobile.clone().unwrap_or_else(|| t_string!(i18n, profile.no_mobile).to_string())}</dd>
                <dt>{t!(i18n, profile.since)}</dt>
                <dd>{format_date_time(profile.since, language)}</dd>
            </dl>
            <p class="field__hint">{t!(i18n, profile.change_hint)}" "{profile.job_centre_contact.join(" · ")}</p>
        </section>
        <ContactDetails
            email=profile.email.clone()
            sms_mobile
            pending=pending_mobile
            job_centre_mobile=profile.mobile.clone()
            on_removed
        />
        <section class="section" aria-labelledby="kommunikation">
            <h2 id="kommunikation">{t!(i18n, profile.options_heading)}</h2>
            <div class="switch-list">
                {switches
                    .into_iter()
                    .map(|(option, enabled)| {
                        let (label, detail) = option_labels(i18n, option);
                        view! { <OptionSwitch option label detail enabled flash=flash.clone() on_saved /> }
                    })
                    .collect_view()}
            </div>
        </section>
        <section class="section card" aria-labelledby="status-online">
            <h2 id="status-online">{t!(i18n, profile.online_status_heading)}</h2>
            <p role="status">
                {move || if online.get() { t_string!(i18n, profile.online_on) } else { t_string!(i18n, profile.online_off) }}
            </p>
            <p>{t!(i18n, profile.online_change)}</p>
        </section>
        <OptionHistory history language />
    }
}
