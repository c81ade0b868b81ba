//! "E-Mail-Adresse ändern": `/konto/e-mail` asks for the new address and the password;
//! `/e-mail-aendern/bestaetigen?token=…` is where the link in the mail to the new
//! address leads. Both work without JavaScript.

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        auth::current_account,
        email_change::{check_email_change_link, ConfirmEmailChange, EmailChangeConfirmation, EmailChangeOutcome, RequestEmailChange},
        mfa::{FactorOutcome, Reauthenticate},
    },
    ui::{
        components::{
            error::ErrorNotice,
            form::{latest, use_flash, ErrorSummary, FieldError, PasswordField, TextField},
            email_link::{link_check, LinkPage, LinkProblem, PressButton},
            messages::email_message,
            page::PageHeading,
            reauthentication::Reauthentication,
        },
        translate::*,
    },
};

/// `/konto/e-mail`
#[component]
pub fn EmailChangePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestEmailChange>::new();
    let outcome = latest(action, use_flash::<EmailChangeOutcome>(FlashForm::EmailChange));
    let reauth = ServerAction::<Reauthenticate>::new();
    let reauth_flash = use_flash::<FactorOutcome>(FlashForm::Reauthenticate);
    let account = Resource::new(move || reauth.version().get(), |_| current_account());
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
        Some(Ok(
            EmailChangeOutcome::Invalid { email, .. }
            | EmailChangeOutcome::SameAddress { email }
            | EmailChangeOutcome::WrongPassword { email }
            | EmailChangeOutcome::ReauthenticationRequired { email },
        )) => email,
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
        {move || { let reauth_flash = reauth_flash.clone(); match outcome.get() {
            Some(Ok(EmailChangeOutcome::Sent { email })) => view! {
                <div class="notice notice--success" role="status">
                    <p>{t!(i18n, email_change.sent, email = email)}</p>
                </div>
                <p><a class="button button--secondary" href=routes::ACCOUNT>{t!(i18n, email_change.to_account)}</a></p>
            }
            .into_any(),
            other => view! {
                {match other {
                    Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                    Some(Ok(EmailChangeOutcome::ReauthenticationRequired { .. })) => Some(view! {
                        <div class="notice notice--warning" role="status"><p>{t!(i18n, site.reauthentication_required)}</p></div>
                    }.into_any()),
                    _ => None,
                }}
                <p>{t!(i18n, email_change.intro)}</p>
                <Suspense fallback=|| ()>
                    {move || {
                        let reauth_flash = reauth_flash.clone();
                        Suspend::new(async move {
                            account.await.ok().flatten().map(|account| view! {
                                <dl class="facts">
                                    <dt>{t!(i18n, email_change.current)}</dt>
                                    <dd>{account.email}</dd>
                                </dl>
                                <Reauthentication needed=account.needs_reauthentication here=routes::EMAIL_CHANGE action=reauth flash=reauth_flash />
                            })
                        })
                    }}
                </Suspense>
                <ActionForm action attr:class="form" attr:novalidate=true>
                    <ErrorSummary errors=summary />
                    <TextField id="new-email" name="email"
                        label=Signal::derive(move || format!("{} *", t_string!(i18n, email_change.new_email)))
                        error=email_error
                        value=entered
                        input_type="email" autocomplete="email" required=true
                    />
                    <PasswordField id="password" name="password"
                        label=Signal::derive(move || format!("{} *", t_string!(i18n, email_change.password)))
                        hint=Some(Signal::derive(move || t_string!(i18n, email_change.password_hint).to_string()))
                        error=password_error
                        value=password
                        revealed=Signal::stored(false) autocomplete="current-password" required=true
                    />
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        {t!(i18n, email_change.submit)}
                    </button>
                </ActionForm>
            }
            .into_any(),
        }}}
    }
}

/// `/e-mail-aendern/bestaetigen?token=…`: checks the link without using it (mail
/// scanners fetch links), and changes the address when the button is pressed — which
/// the page does by itself once it runs in the browser.
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let i18n = use_i18n();
    // Read once: the token belongs to this visit of the page.
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let outcome = latest(action, use_flash::<EmailChangeConfirmation>(FlashForm::EmailChangeConfirm));
    let check = link_check(&token, check_email_change_link);
    let done = move |result: EmailChangeConfirmation| match result {
        EmailChangeConfirmation::Changed { email } => view! {
            <div class="notice notice--success" role="status">
                <p>{t!(i18n, email_change.changed, email = email)}</p>
            </div>
            <p><a class="button" href=routes::ACCOUNT>{t!(i18n, email_change.to_account)}</a></p>
        }
        .into_any(),
        EmailChangeConfirmation::Taken => view! {
            <div class="notice notice--warning" role="alert">
                <p>{t!(i18n, email_change.taken)}</p>
            </div>
            <p><a class="button" href=routes::EMAIL_CHANGE>{t!(i18n, email_change.title)}</a></p>
        }
        .into_any(),
        EmailChangeConfirmation::Link(problem) => view! { <LinkProblem problem new_link=routes::EMAIL_CHANGE /> }.into_any(),
    };
    let label = Signal::derive(move || t_string!(i18n, email_change.press).to_string());
    let press = {
        let token = token.clone();
        move || {
            let token = token.clone();
            view! { <ActionForm action attr:class="form"><PressButton token label pending=action.pending() /></ActionForm> }.into_any()
        }
    };
    let dispatch = move || {
        action.dispatch(ConfirmEmailChange { token: token.clone() });
    };
    view! {
        <LinkPage
            title=Signal::derive(move || t_string!(i18n, email_change.confirm_title).to_string())
            check outcome new_link=routes::EMAIL_CHANGE
            intro=Signal::derive(move || t_string!(i18n, email_change.press_intro).to_string())
            done press dispatch
        />
    }
}
