//! `/konto/sicherheit` ("Sicherheit"): passkeys, authenticator app, recovery codes,
//! password, signed-in devices and security events. Changes need a proof of identity
//! from the last ten minutes; the page asks for one when needed.

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;

use crate::{
    api::{
        mfa::{FactorOutcome, Reauthenticate},
        security::{
            security_overview, ChangeOutcome, ChangePassword, EndOtherSessions, EndSession, RemovePasskey, RemoveTotp,
            RenamePasskey, RenewRecoveryCodes, SecuritySettings,
        },
    },
    domain::{audit_event::AuditEvent, datetime::format_date_time},
    ui::translate::*,
    ui::{
        components::{
            error::ErrorNotice, loading::Loaded,
            form::{latest, use_flash, ErrorSummary, FieldError, PasswordField},
            messages::{password_message, repetition_message},
            page::PageHeading,
            new_password::NewPasswordFields,
            reauthentication::Reauthentication,
            recovery_codes::RecoveryCodes,
        },
        site::use_site,
    },
};

/// The security page.
#[component]
pub fn SecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    let rename = ServerAction::<RenamePasskey>::new();
    let remove = ServerAction::<RemovePasskey>::new();
    let remove_totp = ServerAction::<RemoveTotp>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let password = ServerAction::<ChangePassword>::new();
    let reauth = ServerAction::<Reauthenticate>::new();
    let flash = use_flash::<ChangeOutcome>(FlashForm::Security);
    let password_flash = use_flash::<ChangeOutcome>(FlashForm::SecurityPassword);
    let reauth_flash = use_flash::<FactorOutcome>(FlashForm::Reauthenticate);

    // The newest result of any change on the page (or the one left by a form post).
    let last_change = Memo::new(move |_| {
        [
            rename.version(),
            remove.version(),
            remove_totp.version(),
            renew.version(),
            end_one.version(),
            end_others.version(),
        ]
        .iter()
        .map(|v| v.get())
        .sum::<usize>()
    });
    let change = Signal::derive({
        let flash = flash.clone();
        move || {
            last_change.track();
            [
                rename.value().get(),
                remove.value().get(),
                remove_totp.value().get(),
                renew.value().get(),
                end_one.value().get(),
                end_others.value().get(),
            ]
            .into_iter()
            .flatten()
            .last()
            .or_else(|| flash.clone().map(Ok))
        }
    });
    let overview = Resource::new(
        move || (last_change.get(), password.version().get(), reauth.version().get()),
        |_| security_overview(),
    );

    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, security.title).to_string()) />
        <ChangeMessage outcome=change />
        <Loaded resource=overview content=move |settings| {
            let (reauth_flash, password_flash) = (reauth_flash.clone(), password_flash.clone());
            view! {
                <Reauthentication needed=settings.needs_reauthentication here=routes::SECURITY action=reauth flash=reauth_flash />
                <Passkeys settings=settings.clone() rename remove />
                <Totp settings=settings.clone() remove=remove_totp />
                <Recovery settings=settings.clone() renew />
                <Password action=password flash=password_flash />
                <Sessions settings=settings.clone() end_one end_others />
                <Events settings />
            }
        } />
    }
}

/// The message after a change.
#[component]
fn ChangeMessage(outcome: Signal<Option<Result<ChangeOutcome, crate::api::ApiError>>>) -> impl IntoView {
    let i18n = use_i18n();
    let email = use_site().signed_in_as.unwrap_or_default();
    move || match outcome.get() {
        None => None,
        Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
        Some(Ok(ChangeOutcome::NewRecoveryCodes(codes))) => {
            Some(view! { <RecoveryCodes codes email=email.clone() next=routes::SECURITY /> }.into_any())
        }
        Some(Ok(outcome)) => {
            let (class, text) = match outcome {
                ChangeOutcome::Done => ("notice notice--success", t_string!(i18n, security.done)),
                ChangeOutcome::ReauthenticationRequired => ("notice notice--warning", t_string!(i18n, site.reauthentication_required)),
                ChangeOutcome::LastFactor => ("notice notice--error", t_string!(i18n, security.last_factor)),
                ChangeOutcome::WrongPassword => ("notice notice--error", t_string!(i18n, security.wrong_password)),
                _ => ("notice notice--error", t_string!(i18n, security.not_found)),
            };
            Some(view! { <div class=class role="status"><p>{text}</p></div> }.into_any())
        }
    }
}

#[component]
fn Passkeys(settings: SecuritySettings, rename: ServerAction<RenamePasskey>, remove: ServerAction<RemovePasskey>) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    view! {
        <section class="section" aria-labelledby="passkeys-heading">
            <h2 id="passkeys-heading">{t!(i18n, security.passkeys_heading)}</h2>
            {settings.passkeys.is_empty().then(|| view! { <p>{t!(i18n, security.passkeys_none)}</p> })}
            <ul class="item-list">
                {settings
                    .passkeys
                    .into_iter()
                    .map(|p| {
                        let created = format_date_time(p.created_at, language);
                        let used = p.last_used_at.map(|t| format_date_time(t, language));
                        let field_id = format!("passkey-name-{}", p.id);
                        let name = p.name.clone();
                        let name2 = p.name.clone();
                        view! {
                            <li class="card item">
                                <h3>{p.name.clone()}</h3>
                                <p>
                                    {t_string!(i18n, security.passkey_created, date = created.clone())}" · "
                                    {match used.clone() {
                                        Some(date) => t_string!(i18n, security.passkey_last_used, date = date),
                                        None => t_string!(i18n, security.passkey_never_used).to_string(),
                                    }}
                                </p>
                                <ActionForm action=rename attr:class="inline-row">
                                    <input type="hidden" name="id" value=p.id.to_string() />
                                    <label class="field__label" for=field_id.clone()>{t_string!(i18n, security.rename_label, name = name.clone())}</label>
                                    <input class="field__input" id=field_id name="name" type="text" maxlength="60" value=name.clone() />
                                    <button type="submit" class="button button--secondary">{t!(i18n, security.rename)}</button>
                                </ActionForm>
                                <ActionForm action=remove attr:class="inline-form">
                                    <input type="hidden" name="id" value=p.id.to_string() />
                                    <button type="submit" class="button button--warning" aria-label=t_string!(i18n, security.remove_passkey, name = name2)>
                                        {t!(i18n, security.remove)}
                                    </button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p><a class="button button--secondary" href=routes::MFA_SETUP_PASSKEY>{t!(i18n, security.add_passkey)}</a></p>
        </section>
    }
}

#[component]
fn Totp(settings: SecuritySettings, remove: ServerAction<RemoveTotp>) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    view! {
        <section class="section" aria-labelledby="totp-heading">
            <h2 id="totp-heading">{t!(i18n, security.totp_heading)}</h2>
            {match settings.totp_since {
                Some(since) => view! {
                    <p>{t_string!(i18n, security.totp_active, date = format_date_time(since, language))}</p>
                    <div class="button-row">
                        <a class="button button--secondary" href=routes::MFA_SETUP_TOTP>{t!(i18n, security.totp_replace)}</a>
                        <ActionForm action=remove attr:class="inline-form">
                            <button type="submit" class="button button--warning">{t!(i18n, security.totp_remove)}</button>
                        </ActionForm>
                    </div>
                }
                .into_any(),
                None => view! {
                    <p>{t!(i18n, security.totp_none)}</p>
                    <p><a class="button button--secondary" href=routes::MFA_SETUP_TOTP>{t!(i18n, security.totp_setup)}</a></p>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn Recovery(settings: SecuritySettings, renew: ServerAction<RenewRecoveryCodes>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="section" aria-labelledby="recovery-heading">
            <h2 id="recovery-heading">{t!(i18n, security.recovery_heading)}</h2>
            <p>{t_string!(i18n, security.recovery_left, count = settings.recovery_codes)}</p>
            <ActionForm action=renew attr:class="inline-form">
                <button type="submit" class="button button--secondary" aria-describedby="renew-hint">{t!(i18n, security.recovery_renew)}</button>
            </ActionForm>
            <p class="field__hint" id="renew-hint">{t!(i18n, security.recovery_renew_hint)}</p>
        </section>
    }
}

#[component]
fn Password(action: ServerAction<ChangePassword>, flash: Option<ChangeOutcome>) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = latest(action, flash);
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repetition = RwSignal::new(String::new());
    let revealed = RwSignal::new(false);
    let problems = Signal::derive(move || match outcome.get() {
        Some(Ok(ChangeOutcome::InvalidPassword { password, repetition })) => (false, password, repetition),
        Some(Ok(ChangeOutcome::WrongPassword)) => (true, None, None),
        _ => (false, None, None),
    });
    let current_error = Signal::derive(move || problems.get().0.then(|| t_string!(i18n, security.wrong_password).to_string()));
    let new_error = Signal::derive(move || problems.get().1.map(|p| password_message(i18n, p)));
    let repetition_error = Signal::derive(move || problems.get().2.map(|p| repetition_message(i18n, p)));
    let summary = Signal::derive(move || {
        [("current", current_error.get()), ("password", new_error.get()), ("password_repeat", repetition_error.get())]
            .into_iter()
            .filter_map(|(field, message)| message.map(|message| FieldError { field, message }))
            .collect::<Vec<_>>()
    });
    Effect::new(move |_| {
        if outcome.get().is_some() {
            current.set(String::new());
            new.set(String::new());
            repetition.set(String::new());
        }
    });
    view! {
        <section class="section" aria-labelledby="password-heading">
            <h2 id="password-heading">{t!(i18n, security.password_heading)}</h2>
            {move || match outcome.get() {
                Some(Ok(ChangeOutcome::Done)) => Some(view! { <div class="notice notice--success" role="status"><p>{t!(i18n, security.done)}</p></div> }.into_any()),
                Some(Ok(ChangeOutcome::ReauthenticationRequired)) => Some(view! { <div class="notice notice--warning" role="status"><p>{t!(i18n, site.reauthentication_required)}</p></div> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                _ => None,
            }}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <ErrorSummary errors=summary />
                <PasswordField id="current" name="current"
                    label=Signal::derive(move || t_string!(i18n, security.current_password).to_string())
                    error=current_error
                    value=current
                    revealed autocomplete="current-password" required=true
                />
                <NewPasswordFields
                    label=Signal::derive(move || t_string!(i18n, security.new_password).to_string())
                    password_error=new_error
                    repetition_error
                    password=new
                    repetition
                    revealed
                    also_reveals="current"
                />
                <button type="submit" class="button">{t!(i18n, security.change_password)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Sessions(settings: SecuritySettings, end_one: ServerAction<EndSession>, end_others: ServerAction<EndOtherSessions>) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let others = settings.sessions.iter().filter(|s| !s.current).count();
    view! {
        <section class="section" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t!(i18n, security.sessions_heading)}</h2>
            <ul class="item-list">
                {settings
                    .sessions
                    .into_iter()
                    .map(|s| {
                        let details = t_string!(
                            i18n,
                            security.session_details,
                            start = format_date_time(s.created_at, language),
                            last = format_date_time(s.last_seen_at, language),
                            ip = s.ip.clone()
                        );
                        let device = s.device.clone();
                        view! {
                            <li class="card item" data-testid="session">
                                <h3>
                                    {s.device.clone()}
                                    {s.current.then(|| view! { " "<span class="tag">{t!(i18n, security.this_session)}</span> })}
                                </h3>
                                <p>{details}</p>
                                {(!s.current).then(|| view! {
                                    <ActionForm action=end_one attr:class="inline-form">
                                        <input type="hidden" name="id" value=s.id.to_string() />
                                        <button type="submit" class="button button--secondary">
                                            {t_string!(i18n, security.end_session, device = device.clone())}
                                        </button>
                                    </ActionForm>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(others > 0).then(|| view! {
                <ActionForm action=end_others attr:class="inline-form">
                    <button type="submit" class="button button--warning">{t!(i18n, security.end_others)}</button>
                </ActionForm>
            })}
        </section>
    }
}

fn event_label(i18n: I18n, event: Option<AuditEvent>) -> &'static str {
    match event {
        Some(AuditEvent::Registered) => t_string!(i18n, events.registered),
        Some(AuditEvent::RegistrationForExistingAddress) => t_string!(i18n, events.registration_existing_address),
        Some(AuditEvent::EmailConfirmed) => t_string!(i18n, events.email_confirmed),
        Some(AuditEvent::PasswordAccepted) => t_string!(i18n, events.password_accepted),
        Some(AuditEvent::SignedIn) => t_string!(i18n, events.signed_in),
        Some(AuditEvent::SignInFailed) => t_string!(i18n, events.sign_in_failed),
        Some(AuditEvent::SecondFactorFailed) => t_string!(i18n, events.second_factor_failed),
        Some(AuditEvent::AccountLocked) => t_string!(i18n, events.account_locked),
        Some(AuditEvent::SignedOut) => t_string!(i18n, events.signed_out),
        Some(AuditEvent::PasswordResetRequested) => t_string!(i18n, events.password_reset_requested),
        Some(AuditEvent::PasswordReset) => t_string!(i18n, events.password_reset),
        Some(AuditEvent::PasswordChanged) => t_string!(i18n, events.password_changed),
        Some(AuditEvent::RecoveryCodeUsed) => t_string!(i18n, events.recovery_code_used),
        Some(AuditEvent::PasskeyAdded) => t_string!(i18n, events.passkey_added),
        Some(AuditEvent::PasskeyRenamed) => t_string!(i18n, events.passkey_renamed),
        Some(AuditEvent::PasskeyRemoved) => t_string!(i18n, events.passkey_removed),
        Some(AuditEvent::TotpEnabled) => t_string!(i18n, events.totp_enabled),
        Some(AuditEvent::TotpRemoved) => t_string!(i18n, events.totp_removed),
        Some(AuditEvent::RecoveryCodesRenewed) => t_string!(i18n, events.recovery_codes_renewed),
        Some(AuditEvent::SessionEnded) => t_string!(i18n, events.session_ended),
        Some(AuditEvent::OtherSessionsEnded) => t_string!(i18n, events.other_sessions_ended),
        Some(AuditEvent::Reauthenticated) => t_string!(i18n, events.reauthenticated),
        Some(AuditEvent::ConsentWithdrawn) => t_string!(i18n, events.consent_withdrawn),
        Some(AuditEvent::ActivationCodeIssued) => t_string!(i18n, events.activation_code_issued),
        Some(AuditEvent::ActivationCodeRevoked) => t_string!(i18n, events.activation_code_revoked),
        Some(AuditEvent::ActivationCodeRedeemed) => t_string!(i18n, events.activation_code_redeemed),
        Some(AuditEvent::ActivationCodeRejected) => t_string!(i18n, events.activation_code_rejected),
        Some(AuditEvent::CommunicationOptionChanged) => t_string!(i18n, events.communication_option_changed),
        Some(AuditEvent::MobileCodeSent) => t_string!(i18n, events.mobile_code_sent),
        Some(AuditEvent::MobileConfirmed) => t_string!(i18n, events.mobile_confirmed),
        Some(AuditEvent::MobileCodeRejected) => t_string!(i18n, events.mobile_code_rejected),
        Some(AuditEvent::MobileRemoved) => t_string!(i18n, events.mobile_removed),
        Some(AuditEvent::EmailChangeRequested) => t_string!(i18n, events.email_change_requested),
        Some(AuditEvent::EmailChanged) => t_string!(i18n, events.email_changed),
        Some(AuditEvent::PostboxItemSent) => t_string!(i18n, events.postbox_item_sent),
        Some(AuditEvent::SignInRefused) => t_string!(i18n, events.sign_in_refused),
        Some(AuditEvent::PasswordCheckFailed) => t_string!(i18n, events.password_check_failed),
        Some(AuditEvent::PasswordCheckRefused) => t_string!(i18n, events.password_check_refused),
        Some(AuditEvent::SecondFactorRefused) => t_string!(i18n, events.second_factor_refused),
        Some(AuditEvent::ActivationCodeRefused) => t_string!(i18n, events.activation_code_refused),
        Some(AuditEvent::MailCapped) => t_string!(i18n, events.mail_capped),
        Some(AuditEvent::MobileCodeCapped) => t_string!(i18n, events.mobile_code_capped),
        Some(AuditEvent::PostboxMessageReceived) => t_string!(i18n, events.postbox_message_received),
        None => t_string!(i18n, events.other),
    }
}

#[component]
fn Events(settings: SecuritySettings) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    view! {
        <section class="section" aria-labelledby="events-heading">
            <h2 id="events-heading">{t!(i18n, security.events_heading)}</h2>
            <p>{t!(i18n, security.events_intro)}</p>
            <div class="table-wrap" role="region" aria-labelledby="events-heading" tabindex="0">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, security.event_when)}</th>
                            <th scope="col">{t!(i18n, security.event_what)}</th>
                            <th scope="col">{t!(i18n, security.event_where)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {settings
                            .events
                            .into_iter()
                            .map(|e| view! {
                                <tr>
                                    <td>{format_date_time(e.at, language)}</td>
                                    <td>{event_label(i18n, e.event)}</td>
                                    <td>{format!("{} · {}", e.device, e.ip)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
