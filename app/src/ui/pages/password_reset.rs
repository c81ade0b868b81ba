//! `/passwort-vergessen` (ask for a reset link) and `/passwort-vergessen/neu`
//! (the link's target: choose a new password with the same criteria).

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;
use leptos_router::hooks::use_query_map;

use crate::{
    api::auth::{check_reset_link, LinkRequestOutcome, RequestPasswordReset, ResetOutcome, ResetPassword},
    ui::translate::*,
    ui::{
        components::{
            email_link::{link_check, CheckedLink, EmailLinkFields, EmailLinkRequest, LinkProblem},
            error::ErrorNotice,
            form::{latest, use_flash, ErrorSummary, FieldError},
            messages::{password_message, repetition_message},
            page::PageHeading,
        new_password::NewPasswordFields,
        },
    },
};

/// `/passwort-vergessen`
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let outcome = latest(action, use_flash::<LinkRequestOutcome>(FlashForm::ResetRequest));
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, reset.request_title).to_string()) />
        <EmailLinkRequest
            outcome
            intro=Signal::derive(move || t_string!(i18n, reset.request_intro).to_string())
            sent=Signal::derive(move || t_string!(i18n, reset.request_sent).to_string())
        >
            <ActionForm action attr:class="form" attr:novalidate=true>
                <EmailLinkFields outcome prefill=Signal::stored(String::new()) />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {t!(i18n, reset.request_submit)}
                </button>
            </ActionForm>
        </EmailLinkRequest>
        <div class="notice">
            <p>{t!(i18n, sign_in.lost_access)}</p>
        </div>
    }
}

/// `/passwort-vergessen/neu?token=…`
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    // Read once: the token belongs to this visit of the page.
    let token_value = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let token = Signal::stored(token_value.clone());
    let link = link_check(&token_value, check_reset_link);
    let action = ServerAction::<ResetPassword>::new();
    let outcome = latest(action, use_flash::<ResetOutcome>(FlashForm::Reset));
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, reset.new_title).to_string()) />
        {move || match outcome.get() {
            Some(Ok(ResetOutcome::Done)) => view! {
                <div class="notice notice--success" role="status">
                    <h2>{t!(i18n, reset.done_title)}</h2>
                    <p>{t!(i18n, reset.done_text)}</p>
                </div>
                <p><a class="button" href=routes::SIGN_IN>{t!(i18n, site.sign_in)}</a></p>
            }
            .into_any(),
            Some(Ok(ResetOutcome::Link(problem))) => view! { <LinkProblem problem new_link=routes::FORGOT_PASSWORD /> }.into_any(),
            other => {
                let error = match &other {
                    Some(Err(error)) => Some(error.clone()),
                    _ => None,
                };
                let problems = match other {
                    Some(Ok(ResetOutcome::Invalid { password, repetition })) => (password, repetition),
                    _ => (None, None),
                };
                view! {
                    {error.map(|error| view! { <ErrorNotice error /> })}
                    <CheckedLink check=link new_link=routes::FORGOT_PASSWORD press=move || view! { <NewPasswordForm action token problems /> } />
                }
                .into_any()
            }
        }}
    }
}

type Problems = (Option<crate::domain::registration::PasswordProblem>, Option<crate::domain::registration::RepetitionProblem>);

#[component]
fn NewPasswordForm(action: ServerAction<ResetPassword>, token: Signal<String>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let repetition = RwSignal::new(String::new());
    let revealed = RwSignal::new(false);
    let (password_problem, repetition_problem) = problems;
    let password_error = Signal::derive(move || password_problem.map(|p| password_message(i18n, p)));
    let repetition_error = Signal::derive(move || repetition_problem.map(|p| repetition_message(i18n, p)));
    let summary = Signal::derive(move || {
        [("password", password_error.get()), ("password_repeat", repetition_error.get())]
            .into_iter()
            .filter_map(|(field, message)| message.map(|message| FieldError { field, message }))
            .collect::<Vec<_>>()
    });
    view! {
        <p>{t!(i18n, reset.new_intro)}</p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <ErrorSummary errors=summary />
            <input type="hidden" name="token" value=move || token.get() />
            <NewPasswordFields
                label=Signal::derive(move || t_string!(i18n, reset.new_password_label).to_string())
                password_error
                repetition_error
                password
                repetition
                revealed
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {t!(i18n, reset.new_submit)}
            </button>
        </ActionForm>
    }
}
