//! "Ihre Kontaktdaten" on `/profil`: what the citizen changes themselves — the e-mail
//! address (on its own page, re-confirmed) and the mobile number for SMS, confirmed
//! with a code sent to it. Works without JavaScript (plain form posts).

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;

use crate::{
    api::profile::{ConfirmMobile, MobileOutcome, MobileRefusal, RemoveMobile, SendMobileCode},
    domain::{datetime::format_date_time, mobile_number::SmsCodeProblem},
    ui::{
        components::{error::ErrorNotice, form::{use_flash, TextField}},
        translate::*,
        site::use_site,
    },
};

/// The contact details and the mobile-number steps.
#[component]
pub fn ContactDetails(
    /// The account's e-mail address.
    email: String,
    /// The confirmed SMS number.
    sms_mobile: RwSignal<Option<String>>,
    /// A number a code was sent to.
    pending: RwSignal<Option<String>>,
    /// The number the job centre holds (suggested).
    job_centre_mobile: Option<String>,
    /// Called when the number was removed, with the time SMS notifications were
    /// switched off (if they were on).
    on_removed: Callback<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = use_site().language;
    let send = ServerAction::<SendMobileCode>::new();
    let confirm = ServerAction::<ConfirmMobile>::new();
    let remove = ServerAction::<RemoveMobile>::new();
    let outcome: RwSignal<Option<Result<MobileOutcome, crate::api::ApiError>>> =
        RwSignal::new(use_flash::<MobileOutcome>(FlashForm::ProfileMobile).map(Ok));
    for value in [send.value(), confirm.value(), remove.value()] {
        Effect::new(move |_| {
            if let Some(result) = value.get() {
                match &result {
                    Ok(MobileOutcome::CodeSent { mobile }) => pending.set(Some(mobile.clone())),
                    Ok(MobileOutcome::Confirmed { mobile }) => {
                        sms_mobile.set(Some(mobile.clone()));
                        pending.set(None);
                    }
                    Ok(MobileOutcome::Removed { switched_off_at }) => {
                        sms_mobile.set(None);
                        pending.set(None);
                        on_removed.run(*switched_off_at);
                    }
                    Ok(MobileOutcome::Refused(MobileRefusal::Expired | MobileRefusal::TriesUsedUp | MobileRefusal::NothingPending)) => {
                        pending.set(None)
                    }
                    _ => {}
                }
                outcome.set(Some(result));
            }
        });
    }
    let number_error = Signal::derive(move || match outcome.get() {
        Some(Ok(MobileOutcome::InvalidNumber { .. })) => Some(t_string!(i18n, profile.mobile_invalid).to_string()),
        Some(Ok(MobileOutcome::TooManyCodes { until })) => {
            Some(t_string!(i18n, profile.mobile_too_many, time = format_date_time(until, language)).to_string())
        }
        _ => None,
    });
    let code_error = Signal::derive(move || match outcome.get() {
        Some(Ok(MobileOutcome::MalformedCode(SmsCodeProblem::Empty))) => Some(t_string!(i18n, profile.mobile_code_empty).to_string()),
        Some(Ok(MobileOutcome::MalformedCode(SmsCodeProblem::Format))) => Some(t_string!(i18n, profile.mobile_code_format).to_string()),
        Some(Ok(MobileOutcome::Refused(MobileRefusal::Wrong(left)))) => Some(t_string!(i18n, profile.mobile_wrong, left = left).to_string()),
        _ => None,
    });
    let notice = move || match outcome.get() {
        Some(Ok(MobileOutcome::CodeSent { mobile })) => {
            Some((true, t_string!(i18n, profile.mobile_sent, mobile = mobile).to_string()))
        }
        Some(Ok(MobileOutcome::Confirmed { mobile })) => {
            Some((true, t_string!(i18n, profile.mobile_confirmed, mobile = mobile).to_string()))
        }
        Some(Ok(MobileOutcome::Removed { .. })) => Some((true, t_string!(i18n, profile.mobile_removed).to_string())),
        Some(Ok(MobileOutcome::Refused(MobileRefusal::Expired))) => Some((false, t_string!(i18n, profile.mobile_expired).to_string())),
        Some(Ok(MobileOutcome::Refused(MobileRefusal::TriesUsedUp))) => {
            Some((false, t_string!(i18n, profile.mobile_tries_used_up).to_string()))
        }
        Some(Ok(MobileOutcome::Refused(MobileRefusal::NothingPending))) => {
            Some((false, t_string!(i18n, profile.mobile_nothing_pending).to_string()))
        }
        _ => None,
    };
    let entered = match outcome.get_untracked() {
        Some(Ok(MobileOutcome::InvalidNumber { entry })) => Some(entry),
        _ => None,
    };
    let suggestion = entered
        .or_else(|| pending.get_untracked())
        .or_else(|| sms_mobile.get_untracked())
        .or(job_centre_mobile)
        .unwrap_or_default();
    view! {
        <section class="section card" aria-labelledby="kontaktdaten">
            <h2 id="kontaktdaten">{t!(i18n, profile.your_contact_heading)}</h2>
            <p>{t!(i18n, profile.your_contact_intro)}</p>
            <dl class="facts">
                <dt>{t!(i18n, account.email)}</dt>
                <dd>{email}" " <a href=routes::EMAIL_CHANGE>{t!(i18n, profile.change_email)}</a></dd>
                <dt>{t!(i18n, profile.sms_mobile)}</dt>
                <dd>{move || sms_mobile.get().unwrap_or_else(|| t_string!(i18n, profile.sms_mobile_none).to_string())}</dd>
            </dl>
            <h3 id="sms-nummer">{t!(i18n, profile.mobile_heading)}</h3>
            <p>{t!(i18n, profile.mobile_intro)}</p>
            {move || notice().map(|(ok, text)| view! {
                <div class=if ok { "notice notice--success" } else { "notice notice--warning" } role=if ok { "status" } else { "alert" }>
                    <p>{text}</p>
                </div>
            })}
            {move || match outcome.get() {
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }),
                _ => None,
            }}
            <ActionForm action=send attr:class="form form--inline" attr:novalidate=true>
                <TextField id="mobile" name="mobile"
                    label=Signal::derive(move || t_string!(i18n, profile.mobile_field).to_string())
                    hint=Signal::derive(move || t_string!(i18n, profile.mobile_hint).to_string())
                    error=number_error
                    value=Signal::stored(suggestion)
                    input_type="tel" autocomplete="tel"
                />
                <button type="submit" class="button button--secondary" disabled=move || send.pending().get()>
                    {t!(i18n, profile.mobile_send)}
                </button>
            </ActionForm>
            {move || pending.get().map(|mobile| view! {
                <p>{t!(i18n, profile.mobile_pending, mobile = mobile)}</p>
                <ActionForm action=confirm attr:class="form form--inline" attr:novalidate=true>
                    <TextField id="sms-code" name="code"
                        label=Signal::derive(move || t_string!(i18n, profile.mobile_code_field).to_string())
                        hint=Signal::derive(move || t_string!(i18n, profile.mobile_code_hint).to_string())
                        error=code_error
                        autocomplete="one-time-code"
                    />
                    <button type="submit" class="button" disabled=move || confirm.pending().get()>
                        {t!(i18n, profile.mobile_confirm)}
                    </button>
                </ActionForm>
            })}
            {move || sms_mobile.get().is_some().then(|| view! {
                <ActionForm action=remove attr:class="form">
                    <button type="submit" class="button button--secondary" disabled=move || remove.pending().get()>
                        {t!(i18n, profile.mobile_remove)}
                    </button>
                </ActionForm>
            })}
        </section>
    }
}
