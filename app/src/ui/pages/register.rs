//! `/registrieren`: "Registrierung" — e-mail address, password with the live
//! criteria checklist, the two consents; then the success message of the flyer.

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;

use crate::{
    api::auth::{Register, RegisterOutcome},
    domain::registration::RegistrationProblems,
    ui::translate::*,
    ui::components::{
        error::ErrorNotice,
        form::{latest, use_flash, Checkbox, ErrorSummary, FieldError, TextField},
        layout::form_urlencode,
        messages::{email_message, password_message, repetition_message},
        page::PageHeading,
        new_password::NewPasswordFields,
    },
};

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let outcome = latest(action, use_flash::<RegisterOutcome>(FlashForm::Register));

    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, register.title).to_string()) />
        {move || match outcome.get() {
            Some(Ok(RegisterOutcome::Registered { email })) => view! { <Registered email /> }.into_any(),
            other => {
                let (error, rejected) = match other {
                    Some(Err(error)) => (Some(error), None),
                    Some(Ok(RegisterOutcome::Invalid { problems, email, accept_terms, consent_email })) => {
                        (None, Some((problems, email, accept_terms, consent_email)))
                    }
                    _ => (None, None),
                };
                view! {
                    {error.map(|error| view! { <ErrorNotice error /> })}
                    <RegisterForm action rejected />
                }
                    .into_any()
            }
        }}
    }
}

type Rejected = (RegistrationProblems, String, bool, bool);

#[component]
fn RegisterForm(action: ServerAction<Register>, rejected: Option<Rejected>) -> impl IntoView {
    let i18n = use_i18n();
    // The way back (e.g. the letter's QR link) travels with the confirmation link.
    let next = leptos_router::hooks::use_query_map()
        .with_untracked(|q| crate::domain::navigation::next_param(|name| q.get(name)))
        .filter(|n| crate::domain::navigation::local_path(n).is_some());
    let (problems, email, terms, consent) = rejected.unwrap_or_default();
    let password = RwSignal::new(String::new());
    let repetition = RwSignal::new(String::new());
    let revealed = RwSignal::new(false);
    let pending = action.pending();

    let email_error = Signal::derive({
        let p = problems.clone();
        move || p.email.map(|e| email_message(i18n, e))
    });
    let password_error = Signal::derive({
        let p = problems.clone();
        move || p.password.map(|e| password_message(i18n, e))
    });
    let repetition_error = Signal::derive({
        let p = problems.clone();
        move || p.repetition.map(|e| repetition_message(i18n, e))
    });
    let terms_error = Signal::derive({
        let missing = problems.terms_missing;
        move || missing.then(|| t_string!(i18n, errors.terms_missing).to_string())
    });
    let consent_error = Signal::derive({
        let missing = problems.consent_missing;
        move || missing.then(|| t_string!(i18n, errors.consent_missing).to_string())
    });
    let summary = Signal::derive(move || {
        [
            ("email", email_error.get()),
            ("password", password_error.get()),
            ("password_repeat", repetition_error.get()),
            ("accept_terms", terms_error.get()),
            ("consent_email", consent_error.get()),
        ]
        .into_iter()
        .filter_map(|(field, message)| message.map(|message| FieldError { field, message }))
        .collect::<Vec<_>>()
    });

    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <ErrorSummary errors=summary />
            {next.map(|next| view! { <input type="hidden" name="next" value=next /> })}

            <h2>{t!(i18n, register.email_heading)}</h2>
            <p>{t!(i18n, register.email_intro)}</p>
            <TextField id="email" name="email"
                label=Signal::derive(move || t_string!(i18n, register.email_label).to_string())
                hint=Signal::derive(move || t_string!(i18n, register.email_hint).to_string())
                error=email_error
                value=Signal::stored(email)
                input_type="email" autocomplete="email" required=true
            />

            <h2>{t!(i18n, register.password_heading)}</h2>
            <NewPasswordFields
                label=Signal::derive(move || t_string!(i18n, register.password_label).to_string())
                hint=Some(Signal::derive(move || t_string!(i18n, register.password_hint).to_string()))
                password_error
                repetition_error
                password
                repetition
                revealed
            />

            <fieldset class="fieldset">
                <legend class="fieldset__legend">
                    <h2>{t!(i18n, register.consent_heading)}</h2>
                </legend>
                <p>{t!(i18n, register.consent_intro)}</p>
                <ul class="link-list">
                    <li><a href=routes::TERMS target="_blank" rel="noopener">{t!(i18n, register.read_terms)}</a></li>
                    <li><a href=routes::PRIVACY target="_blank" rel="noopener">{t!(i18n, register.read_privacy)}</a></li>
                </ul>
                <Checkbox id="accept_terms" name="accept_terms" error=terms_error checked=Signal::stored(terms)>
                    {t!(i18n, register.terms_label)}
                </Checkbox>
                <Checkbox id="consent_email" name="consent_email" error=consent_error checked=Signal::stored(consent)>
                    {t!(i18n, register.consent_label)}
                </Checkbox>
                <p class="field__hint">{t!(i18n, register.both_required)}</p>
            </fieldset>

            <button type="submit" class="button" disabled=move || pending.get()>
                {t!(i18n, register.submit)}
            </button>
        </ActionForm>
        <p class="section">
            {t!(i18n, register.have_account)}" "<a href=routes::SIGN_IN>{t!(i18n, site.sign_in)}</a>
        </p>
    }
}

/// The flyer's first success message: registration done, confirmation mail sent.
#[component]
fn Registered(email: String) -> impl IntoView {
    let i18n = use_i18n();
    let link = format!("{}?email={}", routes::RESEND_CONFIRMATION, form_urlencode(&email));
    view! {
        <div class="notice notice--success" role="status">
            <h2>{t!(i18n, register.success_title)}</h2>
            <p>{move || t_string!(i18n, register.success_text, email = email.clone())}</p>
            <p>{t!(i18n, register.success_validity)}</p>
        </div>
        <p>
            {t!(i18n, register.no_mail)}" "
            <a href=link>
                {t!(i18n, register.request_new_link)}
            </a>
        </p>
    }
}
