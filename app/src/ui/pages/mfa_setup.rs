//! `/mfa/einrichten` (choose a method, with QR codes to the help pages as on the
//! flyer), `/mfa/einrichten/totp` and `/mfa/einrichten/passkey`. After the first factor
//! the recovery codes are shown once and the sign-in is complete.

use crate::domain::routes;
use leptos::{prelude::*, task::spawn_local};

use crate::api::flash_form::FlashForm;

use crate::{
    api::{
        mfa::{
            finish_passkey_registration, mfa_status, start_passkey_registration, start_totp_setup,
            ConfirmTotpSetup, EnrolOutcome, FactorSummary,
        },
        ApiError,
    },
    ui::translate::*,
    ui::components::{
        error::ErrorNotice, loading::Loaded,
        form::{latest, use_flash, ErrorSummary, FieldError, OneTimeCodeField, TextField},
        page::PageHeading,
        passkey_browser::{self, browser_error_message},
        recovery_codes::RecoveryCodes,
    },
};

/// The page to continue with after the set-up (`?next=`, a local path), if given.
fn asked_next() -> Option<String> {
    leptos_router::hooks::use_query_map()
        .with_untracked(|q| crate::domain::navigation::next_param(|name| q.get(name)))
        .filter(|w| crate::domain::navigation::local_path(w).is_some())
}

/// `path` with the way on kept.
fn keeping_next(path: &str, asked_next: &Option<String>) -> String {
    crate::domain::navigation::with_next(path, asked_next.as_deref().unwrap_or_default())
}

/// Loads the factor summary and renders `content` with it.
#[component]
fn WithStatus<V: IntoView + 'static>(content: impl Fn(FactorSummary) -> V + Send + Sync + Clone + 'static) -> impl IntoView {
    let status = Resource::new(|| (), |_| mfa_status());
    view! { <Loaded resource=status content /> }
}

/// Signing in is not finished yet: say so and offer to sign out.
#[component]
fn SigningInNotice(signing_in: bool) -> impl IntoView {
    let i18n = use_i18n();
    signing_in.then(|| {
        view! {
            <div class="notice notice--warning">
                <p>{t!(i18n, mfa.signing_in)}</p>
            </div>
        }
    })
}

/// The choice of methods.
#[component]
pub fn EnrolmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let asked_next = asked_next();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, mfa.title).to_string()) />
        <WithStatus content=move |status: FactorSummary| {
            let methods = status.methods.clone();
            view! {
                <SigningInNotice signing_in=status.signing_in />
                <p>{t!(i18n, mfa.intro)}</p>
                <div class="card-grid section">
                    {methods
                        .into_iter()
                        .map(|m| {
                            let passkey = m.method == "passkey";
                            let heading_id = format!("methode-{}", m.method);
                            let labelled_by = heading_id.clone();
                            let href = keeping_next(if passkey { routes::MFA_SETUP_PASSKEY } else { routes::MFA_SETUP_TOTP }, &asked_next);
                            view! {
                                <section class="card card--action method" aria-labelledby=labelled_by>
                                    <h2 id=heading_id>
                                        {move || if passkey { t_string!(i18n, mfa.passkey_title) } else { t_string!(i18n, mfa.totp_title) }}
                                    </h2>
                                    <p>{move || if passkey { t_string!(i18n, mfa.passkey_text) } else { t_string!(i18n, mfa.totp_text) }}</p>
                                    <figure class="qr">
                                        <div
                                            class="qr__image"
                                            role="img"
                                            aria-label=format!("{}: {}", t_string!(i18n, mfa.help_qr), m.help_url)
                                            inner_html=m.qr_svg.clone()
                                        ></div>
                                        <figcaption>
                                            {t!(i18n, mfa.help_link)}" "<a href=m.help_url.clone()>{m.help_url.clone()}</a>
                                        </figcaption>
                                    </figure>
                                    <a class="button" href=href>
                                        {move || if passkey { t_string!(i18n, mfa.passkey_start) } else { t_string!(i18n, mfa.totp_start) }}
                                    </a>
                                </section>
                            }
                        })
                        .collect_view()}
                </div>
            }
        } />
    }
}

/// Done: recovery codes (if new) or a short confirmation, then on.
#[component]
fn Enrolled(recovery_codes: Option<Vec<String>>, next: String, email: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice--success" role="status">
            <h2>{t!(i18n, mfa.done_title)}</h2>
            <p>{t!(i18n, mfa.done_text)}</p>
        </div>
        {match recovery_codes {
            Some(codes) => view! { <RecoveryCodes codes email next /> }.into_any(),
            None => view! { <p><a class="button" href=next rel="external">{t!(i18n, mfa.proceed)}</a></p> }.into_any(),
        }}
    }
}

/// `/mfa/einrichten/totp`
#[component]
pub fn TotpSetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let setup = Resource::new(|| (), |_| start_totp_setup());
    let action = ServerAction::<ConfirmTotpSetup>::new();
    let outcome = latest(action, use_flash::<EnrolOutcome>(FlashForm::TotpSetup));
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, mfa.totp_page_title).to_string()) />
        <WithStatus content=move |status: FactorSummary| {
            let email = status.email.clone();
            view! {
                {move || match outcome.get() {
                    Some(Ok(EnrolOutcome::Done { recovery_codes, next })) => {
                        view! { <Enrolled recovery_codes next email=email.clone() /> }.into_any()
                    }
                    other => {
                        let wrong = matches!(other, Some(Ok(EnrolOutcome::WrongCode)));
                        let error = match other {
                            Some(Err(error)) => Some(error),
                            _ => None,
                        };
                        let email = email.clone();
                        view! {
                            <SigningInNotice signing_in=status.signing_in />
                            {error.map(|error| view! { <ErrorNotice error /> })}
                            <Loaded resource=setup content=move |setup| view! { <TotpSteps setup email=email.clone() action wrong /> } />
                        }
                        .into_any()
                    }
                }}
            }
        } />
        <p class="section"><a href=routes::MFA_SETUP>{t!(i18n, mfa.other_method)}</a></p>
    }
}

#[component]
fn TotpSteps(
    setup: crate::api::mfa::TotpSetup,
    email: String,
    action: ServerAction<ConfirmTotpSetup>,
    wrong: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let portal = crate::ui::site::use_site().portal_name;
    let error = Signal::derive(move || wrong.then(|| t_string!(i18n, mfa.wrong_code).to_string()));
    let summary = Signal::derive(move || error.get().map(|message| vec![FieldError { field: "code", message }]).unwrap_or_default());
    view! {
        <ol class="steps">
            <li>{t!(i18n, mfa.totp_step1)}</li>
            <li>
                <p>{t!(i18n, mfa.totp_step2)}</p>
                <div class="qr__image" role="img" aria-label=t_string!(i18n, mfa.totp_qr) inner_html=setup.qr_svg.clone()></div>
                <p>{t!(i18n, mfa.totp_manual)}</p>
                <dl class="facts">
                    <dt>{t!(i18n, mfa.totp_key)}</dt>
                    <dd><code class="secret" data-testid="totp-secret">{setup.secret_grouped.clone()}</code></dd>
                    <dt>{t!(i18n, mfa.totp_account)}</dt>
                    <dd>{email}</dd>
                    <dt>{t!(i18n, mfa.totp_issuer)}</dt>
                    <dd>{portal}</dd>
                </dl>
                <p><a href=setup.uri.clone()>{t!(i18n, mfa.totp_same_device)}</a></p>
            </li>
            <li>
                <p>{t!(i18n, mfa.totp_step3)}</p>
                <ActionForm action attr:class="form" attr:novalidate=true>
                    <ErrorSummary errors=summary />
                    <input type="hidden" name="next" value=asked_next().unwrap_or_default() />
                    <OneTimeCodeField id="code" name="code" label=Signal::derive(move || t_string!(i18n, mfa.code_label).to_string()) error />
                    <button type="submit" class="button" disabled=move || action.pending().get()>{t!(i18n, mfa.totp_confirm)}</button>
                </ActionForm>
            </li>
        </ol>
    }
}

/// `/mfa/einrichten/passkey`
#[component]
pub fn PasskeySetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let pending = crate::ui::components::needs_app::app_pending();
    let name = RwSignal::new(String::new());
    let (busy, set_busy) = signal(false);
    let (message, set_message) = signal(None::<String>);
    let (done, set_done) = signal(None::<EnrolOutcome>);
    let (api_error, set_api_error) = signal(None::<ApiError>);
    let asked_next = StoredValue::new(asked_next());

    let register = move |_| {
        set_busy.set(true);
        set_message.set(None);
        set_api_error.set(None);
        let name = name.get_untracked();
        let next = asked_next.get_value();
        spawn_local(async move {
            let result = async {
                let challenge = start_passkey_registration().await.map_err(Err)?;
                let response = passkey_browser::create(challenge).await.map_err(Ok)?;
                finish_passkey_registration(response, name, next).await.map_err(Err)
            }
            .await;
            match result {
                Ok(EnrolOutcome::PasskeyRefused) => set_message.set(Some(t_string!(i18n, mfa.passkey_failed).to_string())),
                Ok(outcome) => set_done.set(Some(outcome)),
                Err(Ok(client_error)) => set_message.set(Some(browser_error_message(i18n, &client_error))),
                Err(Err(error)) => set_api_error.set(Some(error)),
            }
            set_busy.set(false);
        });
    };

    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, mfa.passkey_page_title).to_string()) />
        <WithStatus content=move |status: FactorSummary| {
            let email = status.email.clone();
            view! {
                {move || match done.get() {
                    Some(EnrolOutcome::Done { recovery_codes, next }) => {
                        view! { <Enrolled recovery_codes next email=email.clone() /> }.into_any()
                    }
                    _ => view! {
                        <SigningInNotice signing_in=status.signing_in />
                        <p>{t!(i18n, mfa.passkey_page_text)}</p>
                        <div class="notice notice--warning without-js"><p>{t!(i18n, mfa.passkey_needs_js)}</p></div>
                        {move || api_error.get().map(|error| view! { <ErrorNotice error /> })}
                        <div class="notice notice--error" role="alert" class:is-hidden=move || message.get().is_none()>
                            <p>{move || message.get()}</p>
                        </div>
                        <div class="form with-js" class:is-pending=move || pending.get()>
                            <TextField id="passkey_name" name="passkey_name"
                                label=Signal::derive(move || t_string!(i18n, mfa.passkey_name_label).to_string())
                                hint=Signal::derive(move || t_string!(i18n, mfa.passkey_name_hint).to_string())
                                error=Signal::stored(None::<String>)
                                on_input=Callback::new(move |value: String| name.set(value))
                                autocomplete="off"
                            />
                            <button type="button" class="button" on:click=register disabled=move || busy.get()>
                                {t!(i18n, mfa.passkey_create)}
                            </button>
                            <p role="status" class="field__hint">{move || busy.get().then(|| t_string!(i18n, mfa.passkey_working))}</p>
                        </div>
                    }
                    .into_any(),
                }}
            }
        } />
        <p class="section"><a href=routes::MFA_SETUP>{t!(i18n, mfa.other_method)}</a></p>
    }
}
