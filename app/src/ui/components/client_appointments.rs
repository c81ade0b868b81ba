//! The client page's "Termine": the form to create an appointment and the list with
//! the reminder's outcome and "Termin absagen".

use crate::domain::ids::ClientId;
use leptos::prelude::*;

use crate::{
    api::appointments::{AppointmentOutcome, AppointmentView, CancelAppointment, CreateAppointment},
    domain::{
        appointment::{AppointmentField, AppointmentInput, Mode},
        datetime::format_date_time,
    },
    ui::{
        components::form::{ErrorSummary, FieldError, TextField},
        translate::*,
        site::use_site,
    },
};

/// The name of a mode ("Vor Ort").
pub fn mode_label(i18n: I18n, mode: Mode) -> String {
    match mode {
        Mode::InPerson => t_string!(i18n, appointments.mode_in_person),
        Mode::Phone => t_string!(i18n, appointments.mode_phone),
        Mode::Video => t_string!(i18n, appointments.mode_video),
    }
    .to_string()
}

/// What became of the reminder.
pub fn reminder_text(i18n: I18n, reminder: &Option<(i64, String)>, language: crate::domain::language::Language) -> String {
    match reminder {
        None => t_string!(i18n, appointments.reminder_pending).to_string(),
        Some((at, outcome)) if outcome == "sent" => {
            t_string!(i18n, appointments.reminder_sent, time = format_date_time(*at, language)).to_string()
        }
        Some(_) => t_string!(i18n, appointments.reminder_none).to_string(),
    }
}

/// The staff side of a client's appointments.
#[component]
pub fn ClientAppointments(
    client_id: ClientId,
    appointments: Result<Vec<AppointmentView>, crate::api::ApiError>,
    create: ServerAction<CreateAppointment>,
    cancel: ServerAction<CancelAppointment>,
    outcome: Option<AppointmentOutcome>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let (problems, input) = match outcome.clone() {
        Some(AppointmentOutcome::Invalid { problems, input }) => (problems, input),
        _ => (Vec::new(), AppointmentInput { duration: "30".into(), mode: "vor_ort".into(), ..Default::default() }),
    };
    let message = |field: AppointmentField| -> Option<String> {
        problems.contains(&field).then(|| match field {
            AppointmentField::When => t_string!(i18n, appointments.error_when).to_string(),
            AppointmentField::Past => t_string!(i18n, appointments.error_past).to_string(),
            AppointmentField::Duration => t_string!(i18n, appointments.error_duration).to_string(),
            AppointmentField::Mode => t_string!(i18n, appointments.error_mode).to_string(),
            AppointmentField::Place => t_string!(i18n, appointments.error_place).to_string(),
            AppointmentField::Subject => t_string!(i18n, appointments.error_subject).to_string(),
            AppointmentField::Notes => t_string!(i18n, appointments.error_notes).to_string(),
        })
    };
    let when_error = message(AppointmentField::When).or_else(|| message(AppointmentField::Past));
    let duration_error = message(AppointmentField::Duration);
    let place_error = message(AppointmentField::Place);
    let subject_error = message(AppointmentField::Subject);
    let notes_error = message(AppointmentField::Notes);
    let fields = [
        ("termin-datum", when_error.clone()),
        ("termin-dauer", duration_error.clone()),
        ("termin-ort", place_error.clone()),
        ("termin-betreff", subject_error.clone()),
        ("termin-hinweise", notes_error.clone()),
    ];
    let summary: Vec<FieldError> = fields.iter().filter_map(|(field, m)| m.clone().map(|message| FieldError { field, message })).collect();
    view! {
        <section class="section" aria-labelledby="termine">
            <h2 id="termine">{t!(i18n, appointments.title)}</h2>
            {matches!(outcome, Some(AppointmentOutcome::Created)).then(|| view! {
                <div class="notice notice--success" role="status"><p>{t!(i18n, appointments.created)}</p></div>
            })}
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <ErrorSummary errors=Signal::stored(summary) />
                <input type="hidden" name="client_id" value=client_id.get() />
                <div class="form--inline">
                    <TextField id="termin-datum" name="date" input_type="date" required=true
                        label=Signal::derive(move || format!("{} *", t_string!(i18n, appointments.date)))
                        error=Signal::stored(when_error) value=Signal::stored(input.date.clone()) />
                    <TextField id="termin-zeit" name="time" input_type="time" required=true
                        label=Signal::derive(move || format!("{} *", t_string!(i18n, appointments.time)))
                        error=Signal::stored(None::<String>) value=Signal::stored(input.time.clone()) />
                    <TextField id="termin-dauer" name="duration" input_type="number" required=true
                        label=Signal::derive(move || format!("{} *", t_string!(i18n, appointments.duration)))
                        error=Signal::stored(duration_error) value=Signal::stored(input.duration.clone()) />
                </div>
                <div class="field">
                    <label class="field__label" for="termin-art">{t!(i18n, appointments.mode)}" *"</label>
                    <select class="field__input" id="termin-art" name="mode">
                        {Mode::ALL.into_iter().map(|m| view! {
                            <option value=m.as_str() selected=input.mode == m.as_str()>{mode_label(i18n, m)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField id="termin-ort" name="place" required=true
                    label=Signal::derive(move || format!("{} *", t_string!(i18n, appointments.place)))
                    hint=Signal::derive(move || t_string!(i18n, appointments.place_hint).to_string())
                    error=Signal::stored(place_error) value=Signal::stored(input.place.clone()) />
                <TextField id="termin-betreff" name="subject" required=true
                    label=Signal::derive(move || format!("{} *", t_string!(i18n, appointments.subject)))
                    error=Signal::stored(subject_error) value=Signal::stored(input.subject.clone()) />
                <TextField id="termin-hinweise" name="notes"
                    label=Signal::derive(move || t_string!(i18n, appointments.notes).to_string())
                    hint=Signal::derive(move || t_string!(i18n, appointments.notes_hint).to_string())
                    error=Signal::stored(notes_error) value=Signal::stored(input.notes.clone()) />
                <button type="submit" class="button" disabled=move || create.pending().get()>{t!(i18n, appointments.create)}</button>
            </ActionForm>
            {match appointments {
                Err(error) => view! { <crate::ui::components::error::ErrorNotice error /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="section">{t!(i18n, appointments.none)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="item-list section" aria-label=move || t_string!(i18n, appointments.title)>
                        {list.into_iter().map(|a| {
                            let upcoming = a.cancelled_at.is_none() && a.upcoming;
                            view! {
                                <li class="card item" data-testid="appointment">
                                    <h3 class="item__title">{format_date_time(a.details.starts_at, language)}" – "{a.details.subject.clone()}</h3>
                                    <p class="item__meta">{mode_label(i18n, a.details.mode)}": "{a.details.place.clone()}</p>
                                    <p>{match a.cancelled_at {
                                        Some(at) => t_string!(i18n, appointments.cancelled_at, time = format_date_time(at, language)).to_string(),
                                        None => reminder_text(i18n, &a.reminder, language),
                                    }}</p>
                                    {upcoming.then(|| view! {
                                        <ActionForm action=cancel attr:class="inline-form">
                                            <input type="hidden" name="client_id" value=client_id.get() />
                                            <input type="hidden" name="id" value=a.id.get() />
                                            <button type="submit" class="button button--warning">
                                                {t!(i18n, appointments.cancel)}
                                                <span class="visually-hidden">": "{a.details.subject.clone()}</span>
                                            </button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                            .into_any()
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}
