//! `/anmelden/zweiter-faktor`: the second step of signing in — a passkey, a code from
//! the authenticator app, or a recovery code.

use leptos::prelude::*;

use crate::api::flash_form::FlashForm;
use leptos_router::hooks::use_query_map;

use crate::{
    api::mfa::{FactorOutcome, FactorSummary, SubmitSecondFactor},
    ui::translate::*,
    ui::{
        components::{
            error::ErrorNotice, loading::Loaded,
            form::{hard_navigate, latest, use_flash, ErrorSummary, FieldError, OneTimeCodeField, TextField},
            page::PageHeading,
            passkey_sign_in::PasskeyButton,
        },
    },
};

/// The second step.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| crate::api::mfa::mfa_status());
    let next = use_query_map().with_untracked(|q| crate::domain::navigation::next_param(|name| q.get(name))).unwrap_or_default();
    let action = ServerAction::<SubmitSecondFactor>::new();
    let outcome = latest(action, use_flash::<FactorOutcome>(FlashForm::SecondFactor));
    Effect::new(move |_| {
        if let Some(Ok(FactorOutcome::SignedIn { next, recovery_left: None })) = outcome.get() {
            hard_navigate(&next);
        }
    });
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, second.title).to_string()) />
        {move || match outcome.get() {
            Some(Ok(FactorOutcome::SignedIn { next, recovery_left: Some(count) })) => view! {
                <div class="notice notice--success" role="status">
                    <p>{t_string!(i18n, second.recovery_used, count = count)}</p>
                </div>
                <p><a class="button" href=next rel="external">{t!(i18n, mfa.proceed)}</a></p>
            }
            .into_any(),
            other => {
                let wrong = matches!(other, Some(Ok(FactorOutcome::Wrong)));
                let error = match other {
                    Some(Err(error)) => Some(error),
                    _ => None,
                };
                let next = next.clone();
                view! {
                    {error.map(|error| view! { <ErrorNotice error /> })}
                    <p>{t!(i18n, second.intro)}</p>
                    <Loaded resource=status content=move |status| view! { <Factors status action wrong next=next.clone() /> } />
                }
                .into_any()
            }
        }}
        <div class="notice section">
            <p>{t!(i18n, second.lost)}</p>
        </div>
    }
}

#[component]
fn Factors(status: FactorSummary, action: ServerAction<SubmitSecondFactor>, wrong: bool, next: String) -> impl IntoView {
    let i18n = use_i18n();
    let method = RwSignal::new(if status.totp { "totp" } else { "recovery" });
    let error = Signal::derive(move || wrong.then(|| t_string!(i18n, second.wrong).to_string()));
    let summary = Signal::derive(move || {
        let field = if method.get() == "totp" { "code" } else { "recovery_code" };
        error.get().map(|message| vec![FieldError { field, message }]).unwrap_or_default()
    });
    view! {
        <ErrorSummary errors=summary />
        {(status.passkeys > 0).then(|| view! { <PasskeyButton next=Some(next.clone()).filter(|n| !n.is_empty()) /> })}
        {status.totp.then(|| {
            let next = next.clone();
            view! {
                <section class="section" aria-labelledby="totp-heading">
                    <h2 id="totp-heading">{t!(i18n, second.totp_heading)}</h2>
                    <ActionForm action attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="method" value="totp" />
                        <input type="hidden" name="next" value=next />
                        <OneTimeCodeField id="code" name="code"
                            label=Signal::derive(move || t_string!(i18n, second.totp_label).to_string())
                            error=Signal::derive(move || if method.get() == "totp" { error.get() } else { None })
                        />
                        <button type="submit" class="button" on:click=move |_| method.set("totp")>{t!(i18n, second.submit)}</button>
                    </ActionForm>
                </section>
            }
        })}
        <section class="section" aria-labelledby="recovery-heading">
            <h2 id="recovery-heading">{t!(i18n, second.recovery_heading)}</h2>
            <p>{t!(i18n, second.recovery_text)}</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="method" value="recovery" />
                <input type="hidden" name="next" value=next />
                <TextField id="recovery_code" name="code"
                    label=Signal::derive(move || t_string!(i18n, second.recovery_label).to_string())
                    hint=Signal::derive(move || t_string!(i18n, second.recovery_hint).to_string())
                    error=Signal::derive(move || if method.get() == "recovery" { error.get() } else { None })
                    autocomplete="off"
                />
                <button type="submit" class="button button--secondary" on:click=move |_| method.set("recovery")>
                    {t!(i18n, second.recovery_submit)}
                </button>
            </ActionForm>
        </section>
    }
}
