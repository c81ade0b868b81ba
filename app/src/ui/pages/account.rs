//! `/konto` ("Mein Konto") and `/konto/datenschutz` (consents, withdrawal). Both need
//! a signed-in user; others are sent to the sign-in page and brought back afterwards.

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;
use leptos_router::components::Redirect;

use crate::{
    api::{
        auth::{current_account, my_consents, WithdrawEmailConsent, WithdrawOutcome},
        mfa::{FactorOutcome, Reauthenticate},
    },
    domain::{access::sign_in_path, datetime::format_date_time},
    ui::translate::*,
    ui::{
        components::{
            error::ErrorNotice, loading::Loaded,
            form::{latest, use_flash, ErrorSummary, FieldError, PasswordField},
            page::PageHeading,
            reauthentication::Reauthentication,
        },
        site::use_site,
    },
};

/// Renders `signed_in` for a signed-in user; otherwise redirects to the sign-in page
/// with a way back to `here`.
#[component]
pub fn RequireAccount<V: IntoView + 'static>(
    here: &'static str,
    signed_in: impl Fn(crate::api::auth::AccountSummary) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView {
    let account = Resource::new(|| (), |_| current_account());
    let content = move |account: Option<crate::api::auth::AccountSummary>| match account {
        Some(account) => signed_in(account).into_any(),
        // Reached only by client-side navigation: the server sends signed-out visitors to
        // the sign-in page before rendering (http::access).
        None => view! { <Redirect path=sign_in_path(here) /> }.into_any(),
    };
    view! { <Loaded resource=account content /> }
}

/// "Mein Konto"
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    // After signing in with a recovery code without JavaScript: how many are left.
    let recovery_left = match use_flash::<crate::api::mfa::FactorOutcome>(FlashForm::SecondFactor) {
        Some(crate::api::mfa::FactorOutcome::SignedIn { recovery_left: Some(count), .. }) => Some(count),
        _ => None,
    };
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, account.title).to_string()) />
        {recovery_left.map(|count| view! {
            <div class="notice notice--success" role="status"><p>{t_string!(i18n, second.recovery_used, count = count)}</p></div>
        })}
        <RequireAccount
            here=routes::ACCOUNT
            signed_in=move |account| {
                let registered = format_date_time(account.registered_at, language);
                view! {
                    <section class="card" aria-labelledby="zugang">
                        <h2 id="zugang">{t!(i18n, account.access_heading)}</h2>
                        <dl class="facts">
                            <dt>{t!(i18n, account.email)}</dt>
                            <dd data-testid="account-email">{account.email.clone()}</dd>
                            <dt>{t!(i18n, account.registered)}</dt>
                            <dd>{registered}</dd>
                        </dl>
                        <p><a href=routes::EMAIL_CHANGE>{t!(i18n, profile.change_email)}</a></p>
                    </section>
                    {account.is_staff.then(|| view! {
                        <section class="card card--action section" aria-labelledby="intern">
                            <h2 id="intern">{t!(i18n, staff.desk_title)}</h2>
                            <p>{t!(i18n, staff.desk_link_text)}</p>
                            <p><a class="button" href=routes::DESK>{t!(i18n, staff.desk_open)}</a></p>
                        </section>
                    })}
                    {(!account.is_staff).then(|| if account.has_profile {
                        view! {
                            <section class="card card--action section" aria-labelledby="profil">
                                <h2 id="profil">{t!(i18n, profile.title)}</h2>
                                <p>{t!(i18n, profile.link_text)}</p>
                                <div class="button-row">
                                    <a class="button" href=routes::PROFILE>{t!(i18n, profile.title)}</a>
                                    <a class="button button--secondary" href=routes::POSTBOX>{t!(i18n, postbox.title)}</a>
                                    <a class="button button--secondary" href=routes::APPOINTMENTS>{t!(i18n, appointments.title)}</a>
                                </div>
                            </section>
                        }.into_any()
                    } else {
                        view! {
                            <section class="card card--action section" aria-labelledby="profil-anlegen">
                                <h2 id="profil-anlegen">{t!(i18n, activation.new_profile)}</h2>
                                <p>{t!(i18n, activation.new_profile_text)}</p>
                                <p><a class="button" href=routes::NEW_PROFILE>{t!(i18n, activation.new_profile)}</a></p>
                            </section>
                        }.into_any()
                    })}
                    <section class="section" aria-labelledby="sicherheit">
                        <h2 id="sicherheit">{t!(i18n, security.title)}</h2>
                        <p>{t!(i18n, security.link_text)}</p>
                        <p><a href=routes::SECURITY>{t!(i18n, security.link)}</a></p>
                    </section>
                    <section class="section" aria-labelledby="datenschutz">
                        <h2 id="datenschutz">{t!(i18n, account.privacy_heading)}</h2>
                        <p>{t!(i18n, account.privacy_text)}</p>
                        <p><a href=routes::ACCOUNT_PRIVACY>{t!(i18n, account.privacy_link)}</a></p>
                    </section>
                }
            }
        />
    }
}

/// "Datenschutz und Einwilligungen"
#[component]
pub fn AccountPrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<WithdrawEmailConsent>::new();
    let outcome = latest(action, use_flash::<WithdrawOutcome>(FlashForm::Withdraw));
    let reauth = ServerAction::<Reauthenticate>::new();
    let reauth_flash = use_flash::<FactorOutcome>(FlashForm::Reauthenticate);
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, privacy.title).to_string()) />
        {move || match outcome.get() {
            // Shown even though the session is gone: the account no longer exists.
            Some(Ok(WithdrawOutcome::Withdrawn)) => view! {
                <div class="notice notice--success" role="status">
                    <p>{t!(i18n, privacy.withdrawn)}</p>
                </div>
                <p><a class="button" href="/">{t!(i18n, not_found.back_home)}</a></p>
            }
            .into_any(),
            other => {
                let wrong = matches!(other, Some(Ok(WithdrawOutcome::WrongPassword)));
                let again = matches!(other, Some(Ok(WithdrawOutcome::ReauthenticationRequired)));
                let error = match other {
                    Some(Err(error)) => Some(error),
                    _ => None,
                };
                let reauth_flash = reauth_flash.clone();
                view! {
                    {error.map(|error| view! { <ErrorNotice error /> })}
                    {again.then(|| view! {
                        <div class="notice notice--warning" role="status"><p>{t!(i18n, site.reauthentication_required)}</p></div>
                    })}
                    <RequireAccount here=routes::ACCOUNT_PRIVACY signed_in=move |account| {
                        let reauth_flash = reauth_flash.clone();
                        view! {
                            <Reauthentication needed=account.needs_reauthentication here=routes::ACCOUNT_PRIVACY action=reauth flash=reauth_flash />
                            <Consents action wrong />
                        }
                    } />
                }
                .into_any()
            }
        }}
    }
}

#[component]
fn Consents(action: ServerAction<WithdrawEmailConsent>, wrong: bool) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let consents = Resource::new(|| (), |_| my_consents());
    let password = RwSignal::new(String::new());
    let error = Signal::derive(move || wrong.then(|| t_string!(i18n, privacy.wrong_password).to_string()));
    let summary = Signal::derive(move || {
        error.get().map(|message| vec![FieldError { field: "password", message }]).unwrap_or_default()
    });
    view! {
        <h2>{t!(i18n, privacy.consents_heading)}</h2>
        <Loaded resource=consents content=move |list| view! {
            <ul class="consent-list">
                {list
                    .into_iter()
                    .map(|c| {
                        let name = if c.terms_of_use {
                            t_string!(i18n, privacy.terms)
                        } else {
                            t_string!(i18n, privacy.email_use)
                        };
                        let given = t_string!(
                            i18n,
                            privacy.given,
                            date = format_date_time(c.granted_at, language),
                            version = c.version.clone()
                        );
                        view! { <li><strong>{name}</strong><br />{given}</li> }
                    })
                    .collect_view()}
            </ul>
        } />
        <section class="card section" aria-labelledby="widerruf">
            <h2 id="widerruf">{t!(i18n, privacy.withdraw_heading)}</h2>
            <p>{t!(i18n, privacy.withdraw_text)}</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <ErrorSummary errors=summary />
                <PasswordField id="password" name="password"
                    label=Signal::derive(move || t_string!(i18n, privacy.password_label).to_string())
                    error
                    value=password
                    revealed=Signal::stored(false) autocomplete="current-password" required=true
                />
                <button type="submit" class="button button--warning">{t!(i18n, privacy.withdraw_submit)}</button>
            </ActionForm>
        </section>
    }
}
