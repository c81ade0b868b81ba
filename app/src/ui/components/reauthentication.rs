//! "Identität bestätigen": the proof of identity that sensitive changes (password,
//! factors, e-mail address, account closure) need within the last ten minutes
//! (security.md "Sessions"). A passkey or a code from the authenticator app; works
//! without JavaScript (the code form posts and comes back to the page).

use leptos::prelude::*;

use crate::{
    api::mfa::{FactorOutcome, Reauthenticate},
    ui::{
        components::{
            form::{latest, ErrorSummary, FieldError, OneTimeCodeField},
            passkey_sign_in::PasskeyButton,
        },
        translate::*,
    },
};

/// Asks for a proof of identity when `needed`; says so once it was given. `here` is the
/// page to come back to after a passkey check.
#[component]
pub fn Reauthentication(
    needed: bool,
    here: &'static str,
    action: ServerAction<Reauthenticate>,
    flash: Option<FactorOutcome>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = latest(action, flash);
    let wrong = Signal::derive(move || matches!(outcome.get(), Some(Ok(FactorOutcome::Wrong))));
    let confirmed = Signal::derive(move || matches!(outcome.get(), Some(Ok(FactorOutcome::SignedIn { .. }))));
    let error = Signal::derive(move || wrong.get().then(|| t_string!(i18n, second.wrong).to_string()));
    let summary = Signal::derive(move || error.get().map(|message| vec![FieldError { field: "reauth_code", message }]).unwrap_or_default());
    view! {
        {move || confirmed.get().then(|| view! { <div class="notice notice--success" role="status"><p>{t!(i18n, security.reauth_done)}</p></div> })}
        {move || (needed && !confirmed.get()).then(|| view! {
            <section class="card section" aria-labelledby="reauth-heading">
                <h2 id="reauth-heading">{t!(i18n, security.reauth_title)}</h2>
                <p>{t!(i18n, security.reauth_text)}</p>
                <PasskeyButton next=Some(here.to_owned()) />
                <ActionForm action attr:class="form" attr:novalidate=true>
                    <ErrorSummary errors=summary />
                    <input type="hidden" name="method" value="totp" />
                    <OneTimeCodeField id="reauth_code" name="code" label=Signal::derive(move || t_string!(i18n, second.totp_label).to_string()) error />
                    <button type="submit" class="button">{t!(i18n, second.submit)}</button>
                </ActionForm>
            </section>
        })}
    }
}
