//! Unlocking the job-centre profile: `/profil/anlegen` ("Neues Profil anlegen") and
//! `/freischalten` ("Freischaltcode eingeben", `?code=` from the letter's QR code) with
//! the success page "Freischaltung erfolgreich".

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;
use leptos_router::hooks::use_query_map;

use crate::{
    api::profile::{CodeRefusal, RedeemCode, RedeemOutcome},
    domain::{
        activation_code::format,
        datetime::{format_date, format_date_time},
    },
    ui::{
        components::{
            activation_code_field::{code_problem_message, ActivationCodeField},
            error::ErrorNotice,
            form::{latest, use_flash, ErrorSummary, FieldError},
            page::PageHeading,
        },
        translate::*,
        site::use_site,
    },
};

/// `/profil/anlegen`: what a profile is and what is needed for it.
#[component]
pub fn NewProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, activation.new_profile).to_string()) />
        <p>{t!(i18n, activation.new_profile_text)}</p>
        <section class="card card--action section" aria-labelledby="mit-code">
            <h2 id="mit-code">{t!(i18n, activation.code_card)}</h2>
            <p>{t!(i18n, activation.code_card_text)}</p>
            <p><a class="button" href=routes::ACTIVATION>{t!(i18n, activation.enter)}</a></p>
        </section>
        <div class="notice section">
            <p>{t!(i18n, activation.no_code)}</p>
        </div>
    }
}

/// `/freischalten`
#[component]
pub fn ActivationPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let prefill = use_query_map().with_untracked(|q| q.get("code")).map(|c| format(&c)).unwrap_or_default();
    let action = ServerAction::<RedeemCode>::new();
    let outcome = latest(action, use_flash::<RedeemOutcome>(FlashForm::RedeemCode));
    view! {
        {move || match outcome.get() {
            Some(Ok(RedeemOutcome::Activated)) => view! {
                <PageHeading text=Signal::derive(move || t_string!(i18n, activation.success_title).to_string()) />
                <div class="notice notice--success" role="status">
                    <p>{t!(i18n, activation.success_text)}</p>
                </div>
                <p>{t!(i18n, activation.success_next)}</p>
                <p><a class="button" href=routes::PROFILE rel="external">{t!(i18n, profile.title)}</a></p>
            }
            .into_any(),
            other => {
                let (message, entered) = match &other {
                    Some(Ok(RedeemOutcome::Malformed { problem, code })) => (Some(code_problem_message(i18n, *problem, code)), code.clone()),
                    Some(Ok(RedeemOutcome::Refused { refusal, code })) => (Some(refusal_message(i18n, *refusal, language)), code.clone()),
                    _ => (None, prefill.clone()),
                };
                let error = match other {
                    Some(Err(error)) => Some(error),
                    _ => None,
                };
                let summary = message.clone().map(|message| vec![FieldError { field: "code", message }]).unwrap_or_default();
                view! {
                    <PageHeading text=Signal::derive(move || t_string!(i18n, activation.title).to_string()) />
                    {error.map(|error| view! { <ErrorNotice error /> })}
                    <p>{t!(i18n, activation.intro)}</p>
                    <ActionForm action attr:class="form" attr:novalidate=true>
                        <ErrorSummary errors=Signal::stored(summary) />
                        <ActivationCodeField initial=entered error=Signal::stored(message) />
                        <button type="submit" class="button" disabled=move || action.pending().get()>
                            {t!(i18n, activation.submit)}
                        </button>
                    </ActionForm>
                    <p class="section"><a href=routes::HELP_ACTIVATION>{t!(i18n, help.activation_title)}</a></p>
                }
                .into_any()
            }
        }}
    }
}

fn refusal_message(i18n: I18n, refusal: CodeRefusal, language: crate::domain::language::Language) -> String {
    match refusal {
        CodeRefusal::Unknown => t_string!(i18n, activation.unknown).to_string(),
        CodeRefusal::Expired(at) => t_string!(i18n, activation.expired, date = format_date(at, language)).to_string(),
        CodeRefusal::Used => t_string!(i18n, activation.used).to_string(),
        CodeRefusal::Revoked => t_string!(i18n, activation.revoked).to_string(),
        CodeRefusal::Locked(until) => t_string!(i18n, activation.locked, time = format_date_time(until, language)).to_string(),
        CodeRefusal::AlreadyLinked => t_string!(i18n, activation.already_linked).to_string(),
    }
}
