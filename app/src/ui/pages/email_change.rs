//! "E-Mail-Adresse ändern": `/konto/e-mail` asks for the new address and the password;
//! `/e-mail-aendern/bestaetigen?token=…` is where the link in the mail to the new
//! address leads. Both work without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        auth::current_account,
        email_change::{confirm_email_change, EmailChangeConfirmation, EmailChangeOutcome, RequestEmailChange},
    },
    ui::{
        components::{
            error::ErrorNotice,
            form::{latest, use_flash, ErrorSummary, FieldError, PasswordField, TextField},
            messages::email_message,
            page::PageHeading,
        },
        pages::email_links::LinkProblem,
        translate::*,
    },
};

/// `/konto/e-mail`
#[component]
pub fn EmailChangePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestEmailChange>::new();
    let outcome = latest(action, use_flash::<EmailChangeOutcome>("email-change"));
    let account = Resource::new(|| (), |_| current_account());
    let password = RwSignal::new(String::new());
    let email_error = Signal::derive(move || match outcome.get() {
        Some(Ok(EmailChangeOutcome::Invalid { problem, .. })) => Some(email_message(i18n, problem)),
        Some(Ok(EmailChangeOutcome::SameAddress { .. })) => Some(t_string!(i18n, email_change.same).to_string()),
        _ => None,
    });
    let password_error = Signal::derive(move || match outcome.get() {
        Some(Ok(EmailChangeOutcome::WrongPassword { .. })) => Some(t_string!(i18n, email_change.wrong_password).to_string()),
        _ => None,
    });
    let summary = Signal::derive(move || {
        let mut errors = Vec::new();
        if let Some(message) = email_error.get() {
            errors.push(FieldError { field: "new-email", message });
        }
        if let Some(message) = password_error.get() {
            errors.push(FieldError { field: "password", message });
        }
        errors
    });
    let entered = Signal::derive(move || match outcome.get() {
        Some(Ok(EmailChangeOutcome::Invalid { email, .. } | EmailChangeOutcome::SameAddress { email } | EmailChangeOutcome::WrongPassword { email })) => email,
        _ => String::new(),
    });
    // A wrong password is not kept in the field.
    Effect::new(move |_| {
        if matches!(outcome.get(), Some(Ok(EmailChangeOutcome::WrongPassword { .. }))) {
            password.set(String::new());
        }
    });
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, email_change.title).to_string()) />
        {move || match outcome.get() {
            Some(Ok(EmailChangeOutcome::Sent { email })) => view! {
                <div class="notice notice--success" role="status">
                    <p>{t!(i18n, email_change.sent, email = email)}</p>
                </div>
                <p><a class="button button--secondary" href="/konto">{t!(i18n, email_change.to_account)}</a></p>
            }
            .into_any(),
            other => view! {
                {match other {
                    Some(Err(error)) => Some(view! { <ErrorNotice error /> }),
                    _ => None,
                }}
                <p>{t!(i18n, email_change.intro)}</p>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        account.await.ok().flatten().map(|account| view! {
                            <dl class="facts">
                                <dt>{t!(i18n, email_change.current)}</dt>
                                <dd>{account.email}</dd>
                            </dl>
                        })
                    })}
                </Suspense>
                <ActionForm action attr:class="form" attr:novalidate=true>
                    <ErrorSummary errors=summary />
                    <TextField
                        id="new-email"
                        name="email"
                        label=Signal::derive(move || format!("{} *", t_string!(i18n, email_change.new_email)))
                        error=email_error
                        value=entered
                        input_type="email"
                        autocomplete="email"
                        required=true
                    />
                    <PasswordField
                        id="password"
                        name="password"
                        label=Signal::derive(move || format!("{} *", t_string!(i18n, email_change.password)))
                        hint=Signal::derive(move || t_string!(i18n, email_change.password_hint).to_string())
                        error=password_error
                        value=password
                        revealed=Signal::stored(false)
                        autocomplete="current-password"
                        required=true
                    />
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        {t!(i18n, email_change.submit)}
                    </button>
                </ActionForm>
            }
            .into_any(),
        }}
    }
}

/// `/e-mail-aendern/bestaetigen?token=…`
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let i18n = use_i18n();
    // Read once: the token belongs to this visit of the page.
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let result = Resource::new(
        move || token.clone(),
        |token| async move {
            if token.is_empty() {
                Ok(EmailChangeConfirmation::Link(crate::api::auth::LinkOutcome::Invalid))
            } else {
                confirm_email_change(token).await
            }
        },
    );
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, email_change.confirm_title).to_string()) />
        <Suspense fallback=move || view! { <p>{t!(i18n, site.loading)}</p> }>
            {move || Suspend::new(async move {
                match result.await {
                    Ok(EmailChangeConfirmation::Changed { email }) => view! {
                        <div class="notice notice--success" role="status">
                            <p>{t!(i18n, email_change.changed, email = email)}</p>
                        </div>
                        <p><a class="button" href="/konto">{t!(i18n, email_change.to_account)}</a></p>
                    }
                    .into_any(),
                    Ok(EmailChangeConfirmation::Taken) => view! {
                        <div class="notice notice--warning" role="alert">
                            <p>{t!(i18n, email_change.taken)}</p>
                        </div>
                        <p><a class="button" href="/konto/e-mail">{t!(i18n, email_change.title)}</a></p>
                    }
                    .into_any(),
                    Ok(EmailChangeConfirmation::Link(problem)) => view! { <LinkProblem problem new_link="/konto/e-mail" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
