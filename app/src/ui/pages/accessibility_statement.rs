//! `/barrierefreiheit`: the accessibility statement after the BITV 2.0 model (status of
//! compliance, non-accessible content, date, feedback with a working form, enforcement).

use leptos::prelude::*;

use crate::api::flash_form::FlashForm;

use crate::{
    api::feedback::{FeedbackOutcome, SendFeedback},
    domain::feedback::{FeedbackInput, FeedbackProblem},
    ui::{
        components::{
            error::ErrorNotice,
            form::{escape_html, latest, use_flash, ErrorSummary, FieldError, FieldMessage, TextField},
            page::PageHeading,
        },
        translate::*,
        site::use_site,
    },
};

/// `/barrierefreiheit`
#[component]
pub fn AccessibilityStatementPage() -> impl IntoView {
    let i18n = use_i18n();
    let portal = use_site().portal_name;
    let action = ServerAction::<SendFeedback>::new();
    let outcome = latest(action, use_flash::<FeedbackOutcome>(FlashForm::AccessibilityFeedback));
    let intro = move || t_string!(i18n, accessibility.intro, portal = portal.clone()).to_string();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, accessibility.title).to_string()) />
        <p class="lead">{intro}</p>

        <section class="section" aria-labelledby="stand">
            <h2 id="stand">{t!(i18n, accessibility.status_heading)}</h2>
            <p>{t!(i18n, accessibility.status_text)}</p>
        </section>

        <section class="section" aria-labelledby="nicht-barrierefrei">
            <h2 id="nicht-barrierefrei">{t!(i18n, accessibility.barriers_heading)}</h2>
            <ul class="checklist">
                <li>{t!(i18n, accessibility.barrier_documents)}</li>
                <li>{t!(i18n, accessibility.barrier_uploads)}</li>
                <li>{t!(i18n, accessibility.barrier_passkey)}</li>
            </ul>
        </section>

        <section class="section" aria-labelledby="erstellung">
            <h2 id="erstellung">{t!(i18n, accessibility.made_heading)}</h2>
            <p>{t!(i18n, accessibility.made_text)}</p>
        </section>

        <section class="section" aria-labelledby="feedback">
            <h2 id="feedback">{t!(i18n, accessibility.feedback_heading)}</h2>
            <p>{t!(i18n, accessibility.feedback_text)}</p>
            {move || match outcome.get() {
                Some(Ok(FeedbackOutcome::Received)) => view! {
                    <div class="notice notice--success" role="status" tabindex="-1">
                        <p>{t!(i18n, accessibility.received)}</p>
                    </div>
                }
                .into_any(),
                other => {
                    let (problems, input, too_many, error) = match other {
                        Some(Ok(FeedbackOutcome::Invalid { problems, input })) => (problems, input, false, None),
                        Some(Ok(FeedbackOutcome::TooMany { input })) => (Vec::new(), input, true, None),
                        Some(Err(error)) => (Vec::new(), FeedbackInput::default(), false, Some(error)),
                        _ => (Vec::new(), FeedbackInput::default(), false, None),
                    };
                    view! { <FeedbackForm action problems input too_many error /> }.into_any()
                }
            }}
        </section>

        <section class="section" aria-labelledby="schlichtung">
            <h2 id="schlichtung">{t!(i18n, accessibility.enforcement_heading)}</h2>
            <p>{t!(i18n, accessibility.enforcement_text)}</p>
            <address>{t!(i18n, accessibility.enforcement_contact)}</address>
        </section>
    }
}

/// The feedback form, with the problems of the last attempt and its input.
#[component]
fn FeedbackForm(
    action: ServerAction<SendFeedback>,
    problems: Vec<FeedbackProblem>,
    input: FeedbackInput,
    too_many: bool,
    error: Option<crate::api::ApiError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message_error = problems.iter().find_map(|p| match p {
        FeedbackProblem::MessageMissing => Some(t_string!(i18n, accessibility.error_message_missing).to_string()),
        FeedbackProblem::MessageTooLong => Some(t_string!(i18n, accessibility.error_message_too_long).to_string()),
        _ => None,
    });
    let page_error = problems
        .contains(&FeedbackProblem::TooLong)
        .then(|| t_string!(i18n, accessibility.error_too_long).to_string());
    let email_error = problems.contains(&FeedbackProblem::Email).then(|| t_string!(i18n, accessibility.error_email).to_string());
    let mut summary = Vec::new();
    for (field, message) in [("nachricht", &message_error), ("seite", &page_error), ("antwort-email", &email_error)] {
        if let Some(message) = message {
            summary.push(FieldError { field, message: message.clone() });
        }
    }
    let message_described_by = if message_error.is_some() { "nachricht-hint nachricht-error" } else { "nachricht-hint" };
    let message_value = escape_html(&input.message);
    view! {
        {error.map(|error| view! { <ErrorNotice error /> })}
        {too_many.then(|| view! {
            <div class="notice notice--error" role="alert"><p>{t!(i18n, accessibility.error_too_many)}</p></div>
        })}
        <ActionForm action attr:class="form" attr:novalidate=true>
            <ErrorSummary errors=Signal::stored(summary) />
            <div class="field" class:field--error=message_error.is_some()>
                <label class="field__label" for="nachricht">{t!(i18n, accessibility.message)}" *"</label>
                <p class="field__hint" id="nachricht-hint">{t!(i18n, accessibility.message_hint)}</p>
                <FieldMessage id="nachricht" error=Signal::stored(message_error.clone()) />
                <textarea
                    class="field__input"
                    id="nachricht"
                    name="message"
                    rows="6"
                    maxlength="5000"
                    required
                    aria-invalid=message_error.is_some().then_some("true")
                    aria-describedby=message_described_by
                    inner_html=message_value
                ></textarea>
            </div>
            <TextField id="seite" name="page"
                label=Signal::derive(move || t_string!(i18n, accessibility.page).to_string())
                hint=Signal::derive(move || t_string!(i18n, accessibility.page_hint).to_string())
                error=Signal::stored(page_error)
                value=Signal::stored(input.page.clone())
            />
            <TextField id="name" name="name"
                label=Signal::derive(move || t_string!(i18n, accessibility.name).to_string())
                error=Signal::stored(None::<String>)
                value=Signal::stored(input.name.clone())
                autocomplete="name"
            />
            <TextField id="antwort-email" name="email"
                label=Signal::derive(move || t_string!(i18n, accessibility.email).to_string())
                error=Signal::stored(email_error)
                value=Signal::stored(input.email.clone())
                input_type="email" autocomplete="email"
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>{t!(i18n, accessibility.send)}</button>
        </ActionForm>
    }
}
