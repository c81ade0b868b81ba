//! `/intern/kunden/{id}`: a client record, its activation code (issue, revoke, print
//! the letter) and — once unlocked — the communication options with their history.

use crate::domain::routes;
use crate::domain::ids::ClientId;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;
use leptos_router::hooks::use_params_map;

use crate::ui::components::{
    client_appointments::ClientAppointments,
    client_postbox::{use_send_outcome, ClientPostbox},
    letter::LetterView,
    staff_only::{salutation_text, StaffOnly},
};
use crate::{
    api::appointments::{client_appointments, AppointmentOutcome, CancelAppointment, CreateAppointment},
    api::postbox::{client_postbox, StaffItemView},
    api::staff::{load_client, ClientDetails, IssueCode, IssueOutcome, RevokeCode, RevokeOutcome, DEFAULT_VALID_DAYS},
    domain::datetime::{format_date, format_date_time},
    ui::{
        components::{
            error::ErrorNotice, loading::LoadFailure,
            form::{latest, use_flash, FieldError, ErrorSummary, TextField},
            page::PageHeading,
        },
        components::option_history::{option_labels, OptionHistory},
        translate::*,
        site::use_site,
    },
};

/// `/intern/kunden/{id}`
#[component]
pub fn ClientPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map().with_untracked(|p| p.get("id")).and_then(|id| id.parse::<ClientId>().ok()).unwrap_or(ClientId(0));
    let issue = ServerAction::<IssueCode>::new();
    let issued = latest(issue, use_flash::<IssueOutcome>(FlashForm::StaffIssueCode));
    let revoke = ServerAction::<RevokeCode>::new();
    let revoked = latest(revoke, use_flash::<RevokeOutcome>(FlashForm::StaffRevokeCode));
    let details = Resource::new(move || revoke.version().get(), move |_| load_client(id));
    let items = Resource::new(move || id, client_postbox);
    let create_appointment = ServerAction::<CreateAppointment>::new();
    let cancel_appointment = ServerAction::<CancelAppointment>::new();
    let appointments = Resource::new(
        move || (id, create_appointment.version().get(), cancel_appointment.version().get()),
        |(id, _, _)| client_appointments(id),
    );
    let appointment_flash = StoredValue::new(use_flash::<AppointmentOutcome>(FlashForm::StaffAppointment));
    let sent = StoredValue::new(use_send_outcome());
    view! {
        {move || match issued.get() {
            Some(Ok(IssueOutcome::Issued(letter))) => view! {
                <PageHeading text=Signal::derive(move || t_string!(i18n, letter.page_title).to_string()) />
                <LetterView letter=*letter />
            }
            .into_any(),
            other => {
                let invalid_validity = matches!(other, Some(Ok(IssueOutcome::InvalidValidity)));
                let error = match other {
                    Some(Err(error)) => Some(error),
                    _ => None,
                };
                view! {
                    <PageHeading text=Signal::derive(move || t_string!(i18n, staff.client_title).to_string()) />
                    {error.map(|error| view! { <ErrorNotice error /> })}
                    <StaffOnly content=move |_| view! {
                        <Suspense fallback=move || view! { <p>{t!(i18n, site.loading)}</p> }>
                            {move || Suspend::new(async move {
                                match details.await {
                                    Ok(details) => {
                                        let items = items.await;
                                        let sent = sent.get_value();
                                        let appointments = appointments.await;
                                        // The latest result: the action's, or the flash after a plain form post.
                                        let appointment_outcome = match create_appointment.value().get_untracked() {
                                            Some(Ok(outcome)) => Some(outcome),
                                            _ => appointment_flash.get_value(),
                                        };
                                        let schedule = view! {
                                            <ClientAppointments client_id=id appointments create=create_appointment cancel=cancel_appointment outcome=appointment_outcome />
                                        }
                                        .into_any();
                                        view! { <Details details items sent schedule issue revoke revoked invalid_validity /> }.into_any()
                                    }
                                    Err(error) => view! { <LoadFailure error /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    } />
                }
                .into_any()
            }
        }}
    }
}

#[component]
fn Details(
    details: ClientDetails,
    items: Result<Vec<StaffItemView>, crate::api::ApiError>,
    sent: Option<crate::api::postbox::SendOutcome>,
    schedule: AnyView,
    issue: ServerAction<IssueCode>,
    revoke: ServerAction<RevokeCode>,
    revoked: Signal<Option<Result<RevokeOutcome, crate::api::ApiError>>>,
    invalid_validity: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let client = details.client.clone();
    let record = client.record.clone();
    let name = format!("{} {}", salutation_text(i18n, &record.salutation), record.full_name()).trim().to_owned();
    let now_active = details.code.as_ref().is_some_and(|c| c.revoked_at.is_none() && c.redeemed_at.is_none());
    let code_status = match &details.code {
        None => t_string!(i18n, staff.code_none).to_string(),
        Some(c) if c.redeemed_at.is_some() => {
            t_string!(i18n, staff.code_redeemed, date = format_date_time(c.redeemed_at.unwrap_or_default(), language)).to_string()
        }
        Some(c) if c.revoked_at.is_some() => {
            t_string!(i18n, staff.code_revoked, date = format_date_time(c.revoked_at.unwrap_or_default(), language)).to_string()
        }
        Some(c) => t_string!(
            i18n,
            staff.code_active,
            issued = format_date_time(c.issued_at, language),
            until = format_date(c.valid_until, language)
        )
        .to_string(),
    };
    let validity_error = invalid_validity.then(|| t_string!(i18n, staff.error_validity).to_string());
    let summary = validity_error.clone().map(|message| vec![FieldError { field: "valid_days", message }]).unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="stammdaten">
            <h2 id="stammdaten">{name}</h2>
            <dl class="facts">
                <dt>{t!(i18n, staff.customer_number)}</dt>
                <dd>{record.customer_number.clone()}</dd>
                <dt>{t!(i18n, staff.birth_date)}</dt>
                <dd>{crate::domain::client_record::german_date(&record.birth_date)}</dd>
                <dt>{t!(i18n, profile.address)}</dt>
                <dd>{format!("{}, {} {}", record.street, record.postcode, record.city)}</dd>
                <dt>{t!(i18n, staff.mobile)}</dt>
                <dd>{record.mobile.clone().unwrap_or_else(|| "–".to_owned())}</dd>
                <dt>{t!(i18n, staff.profile)}</dt>
                <dd>{match client.profile_since {
                    Some(at) => t_string!(i18n, staff.profile_since, date = format_date(at, language)).to_string(),
                    None => t_string!(i18n, staff.profile_none).to_string(),
                }}</dd>
            </dl>
        </section>
        <section class="section" aria-labelledby="freischaltcode">
            <h2 id="freischaltcode">{t!(i18n, staff.code_heading)}</h2>
            {move || match revoked.get() {
                Some(Ok(RevokeOutcome::Revoked)) => Some(view! { <div class="notice notice--success" role="status"><p>{t!(i18n, staff.code_revoked_now)}</p></div> }.into_any()),
                Some(Ok(RevokeOutcome::NothingActive)) => Some(view! { <div class="notice" role="status"><p>{t!(i18n, staff.code_nothing_active)}</p></div> }.into_any()),
                _ => None,
            }}
            <p data-testid="code-status">{code_status}</p>
            {client.profile_since.is_none().then(|| view! {
                <ActionForm action=issue attr:class="form" attr:novalidate=true>
                    <ErrorSummary errors=Signal::stored(summary.clone()) />
                    <input type="hidden" name="client_id" value=client.id.get() />
                    <TextField id="valid_days" name="valid_days"
                        label=Signal::derive(move || t_string!(i18n, staff.valid_days_label).to_string())
                        hint=Signal::derive(move || t_string!(i18n, staff.valid_days_hint).to_string())
                        error=Signal::stored(validity_error.clone())
                        value=Signal::stored(DEFAULT_VALID_DAYS.to_string())
                        input_type="number" required=true
                    />
                    <p class="field__hint">{t!(i18n, staff.issue_hint)}</p>
                    <button type="submit" class="button" disabled=move || issue.pending().get()>{t!(i18n, staff.issue)}</button>
                </ActionForm>
            })}
            {now_active.then(|| view! {
                <ActionForm action=revoke attr:class="inline-form section">
                    <input type="hidden" name="client_id" value=client.id.get() />
                    <button type="submit" class="button button--warning">{t!(i18n, staff.revoke)}</button>
                </ActionForm>
            })}
        </section>
        {client.profile_since.is_some().then(|| {
            let options = details.options.clone();
            view! {
                <section class="section" aria-labelledby="optionen">
                    <h2 id="optionen">{t!(i18n, profile.options_heading)}</h2>
                    <ul class="facts-list">
                        {options.into_iter().map(|(option, on)| {
                            let (label, _) = option_labels(i18n, option);
                            view! { <li>{label}": "{if on { t_string!(i18n, profile.on) } else { t_string!(i18n, profile.off) }}</li> }
                        }).collect_view()}
                    </ul>
                </section>
                <OptionHistory history=Signal::stored(details.history.clone()) language />
            }
        })}
        {schedule}
        <ClientPostbox client_id=client.id items outcome=sent />
        <p class="section"><a href=routes::DESK>{t!(i18n, staff.back_to_desk)}</a></p>
    }
}
