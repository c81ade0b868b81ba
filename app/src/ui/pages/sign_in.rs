//! `/anmelden`: "Anmeldung" with e-mail address and password, the way back, the way
//! to register, and what to do when access is lost.

use crate::domain::routes;
use leptos::{prelude::*, task::spawn_local};

use crate::api::flash_form::FlashForm;
use leptos_router::hooks::use_query_map;

use crate::{
    api::auth::{SignIn, SignInOutcome, SignInProblem},
    domain::navigation::with_next,
    ui::translate::*,
    ui::components::{
        error::ErrorNotice,
        form::{hard_navigate, latest, use_flash, ErrorSummary, FieldError, PasswordField, TextField},
        layout::form_urlencode,
        page::PageHeading,
        passkey_browser,
        passkey_sign_in::{next_after_sign_in, passkey_sign_in, PasskeySignInButton},
    },
};

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let outcome = latest(action, use_flash::<SignInOutcome>(FlashForm::SignIn));
    let query = use_query_map();
    let next = Signal::derive(move || query.with(|q| crate::domain::navigation::next_param(|name| q.get(name))).unwrap_or_default());

    // With JavaScript the page is left with a full load, so the header shows the new state.
    Effect::new(move |_| {
        if let Some(Ok(SignInOutcome::SignedIn { next })) = outcome.get() {
            hard_navigate(&next);
        }
    });

    let rejected = move || match outcome.get() {
        Some(Ok(SignInOutcome::Rejected { email, problem })) => Some((email, problem)),
        _ => None,
    };
    let email_value = Signal::derive(move || rejected().map(|(email, _)| email).unwrap_or_default());
    let problem = Signal::derive(move || rejected().map(|(_, problem)| problem));
    let email_error = Signal::derive(move || match problem.get() {
        Some(SignInProblem::EmailMissing | SignInProblem::BothMissing) => Some(t_string!(i18n, sign_in.email_missing).to_string()),
        _ => None,
    });
    let password_error = Signal::derive(move || match problem.get() {
        Some(SignInProblem::PasswordMissing | SignInProblem::BothMissing) => {
            Some(t_string!(i18n, sign_in.password_missing).to_string())
        }
        _ => None,
    });
    let summary = Signal::derive(move || {
        let mut errors = Vec::new();
        if let Some(message) = email_error.get() {
            errors.push(FieldError { field: "email", message });
        }
        if let Some(message) = password_error.get() {
            errors.push(FieldError { field: "password", message });
        }
        if problem.get() == Some(SignInProblem::WrongCredentials) {
            errors.push(FieldError { field: "email", message: t_string!(i18n, sign_in.wrong_credentials).to_string() });
        }
        errors
    });
    // Where a passkey sign-in continues (the page asked for, else where the account lands).
    let passkey_next = next_after_sign_in(query.with_untracked(|q| crate::domain::navigation::next_param(|name| q.get(name))));
    // Passkeys in the e-mail field's autofill, where the browser supports it. The request
    // waits in the background; the button cancels it before opening the dialog.
    let autofill = StoredValue::new_local(None::<passkey_browser::Abort>);
    let cancel_autofill = move || {
        if let Some(abort) = autofill.get_value() {
            abort.abort();
        }
    };
    Effect::new({
        let next = passkey_next.clone();
        move |_| {
            let next = next.clone();
            spawn_local(async move {
                if passkey_browser::conditional_mediation_available().await {
                    let abort = passkey_browser::Abort::new();
                    autofill.set_value(abort.clone());
                    let _ = passkey_sign_in(i18n, true, abort, next).await;
                }
            });
        }
    });
    let password = RwSignal::new(String::new());
    // A failed attempt never keeps the password.
    Effect::new(move |_| {
        if problem.get().is_some() {
            password.set(String::new());
        }
    });

    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, sign_in.title).to_string()) />
        <p>{t!(i18n, sign_in.intro)}</p>
        {move || match outcome.get() {
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            Some(Ok(SignInOutcome::Rejected { email, problem: SignInProblem::Unconfirmed })) => {
                let href = format!("{}?email={}", routes::RESEND_CONFIRMATION, form_urlencode(&email));
                Some(
                    view! {
                        <div class="notice notice--warning" role="alert">
                            <p>{t!(i18n, sign_in.unconfirmed)}</p>
                            <p><a href=href>{t!(i18n, sign_in.resend_link)}</a></p>
                        </div>
                    }
                    .into_any(),
                )
            }
            _ => None,
        }}
        <PasskeySignInButton next=passkey_next.clone() before=Callback::new(move |()| cancel_autofill()) />
        <p class="divider"><span>{t!(i18n, sign_in.or)}</span></p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <ErrorSummary errors=summary />
            <input type="hidden" name="next" value=move || next.get() />
            <TextField id="email" name="email"
                label=Signal::derive(move || t_string!(i18n, sign_in.email_label).to_string())
                error=email_error
                value=email_value
                input_type="email" autocomplete="username webauthn" required=true
            />
            <PasswordField id="password" name="password"
                label=Signal::derive(move || t_string!(i18n, sign_in.password_label).to_string())
                error=password_error
                value=password
                revealed=Signal::stored(false) autocomplete="current-password" required=true
            />
            <p><a href=routes::FORGOT_PASSWORD>{t!(i18n, sign_in.forgot)}</a></p>
            <div class="button-row">
                <a class="button button--secondary" href="/">{t!(i18n, sign_in.back)}</a>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {t!(i18n, sign_in.submit)}
                </button>
            </div>
        </ActionForm>
        <p class="section">
            {t!(i18n, sign_in.no_account)}" "
            <a href=move || with_next(routes::REGISTER, &next.get())>{t!(i18n, sign_in.register_now)}</a>
        </p>
        <div class="notice">
            <p>{t!(i18n, sign_in.lost_access)}</p>
        </div>
    }
}
