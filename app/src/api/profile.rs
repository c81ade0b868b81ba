//! The citizen's job-centre profile: unlocking it with an activation code
//! ("Freischaltcode eingeben"), "Ihre Daten" and the "Kommunikationsoptionen".

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{staff::OptionChangeView, ApiError};
pub use crate::domain::activation_code::CodeRefusal;
use crate::domain::{activation_code::CodeProblem, communication::CommunicationOption, mobile_number::SmsCodeProblem};

/// The result of entering a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RedeemOutcome {
    /// "Freischaltung erfolgreich".
    Activated,
    /// The entry is not a well-formed code (checked before any lookup).
    Malformed {
        /// What is wrong.
        problem: CodeProblem,
        /// The entry, formatted.
        code: String,
    },
    /// The code was refused.
    Refused {
        /// Why.
        refusal: CodeRefusal,
        /// The entry, formatted.
        code: String,
    },
}

/// The citizen's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    /// The job centre's name.
    pub job_centre: String,
    /// The job centre's address and contact lines.
    pub job_centre_contact: Vec<String>,
    /// "Kundennummer".
    pub customer_number: String,
    /// `frau`, `herr` or `keine`.
    pub salutation: String,
    /// Full name.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// Address lines.
    pub address: Vec<String>,
    /// Mobile number the job centre holds.
    pub mobile: Option<String>,
    /// The citizen's confirmed number for SMS notifications.
    pub sms_mobile: Option<String>,
    /// A number a code was sent to and not yet confirmed.
    pub pending_mobile: Option<String>,
    /// The account's e-mail address.
    pub email: String,
    /// Unlocked at.
    pub since: i64,
    /// The three switches.
    pub options: Vec<(CommunicationOption, bool)>,
    /// Every change, newest first.
    pub history: Vec<OptionChangeView>,
}

/// The result of switching an option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OptionOutcome {
    /// Saved.
    Saved {
        /// Which.
        option: CommunicationOption,
        /// Now on or off.
        enabled: bool,
        /// When (Unix seconds).
        at: i64,
    },
    /// SMS needs a confirmed mobile number first.
    MobileRequired,
}

/// Why an SMS code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MobileRefusal {
    /// No code is waiting: request one first.
    NothingPending,
    /// The code expired: request a new one.
    Expired,
    /// Wrong code; this many tries are left.
    Wrong(i64),
    /// Too many wrong tries: request a new code.
    TriesUsedUp,
}

/// The result of a step of setting the mobile number for SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MobileOutcome {
    /// A code was sent by SMS to this number.
    CodeSent {
        /// The number, normalised.
        mobile: String,
    },
    /// The entry is not a mobile number.
    InvalidNumber {
        /// The entry.
        entry: String,
    },
    /// Three codes were sent in the last hour; wait until then.
    TooManyCodes {
        /// Unix seconds.
        until: i64,
    },
    /// The code entry is not six digits.
    MalformedCode(SmsCodeProblem),
    /// The code was refused.
    Refused(MobileRefusal),
    /// The number is confirmed and used for SMS from now on.
    Confirmed {
        /// The number.
        mobile: String,
    },
    /// The number was removed; SMS notifications are off.
    Removed {
        /// When SMS notifications were switched off with it (if they were on).
        switched_off_at: Option<i64>,
    },
}

/// The profile of the signed-in citizen, if unlocked.
#[server(endpoint = "profile/mine")]
pub async fn my_profile() -> Result<Option<ProfileView>, ApiError> {
    let state = super::state()?;
    let (session, profile) = match super::caller::citizen_with_profile().await {
        Ok(found) => found,
        Err(ApiError::ProfileRequired) => return Ok(None),
        Err(other) => return Err(other),
    };
    profile_view(&state, session, profile).await.map(Some)
}

/// The profile page's view of `profile`: the client record, the job centre, the options
/// and their history.
#[cfg(feature = "ssr")]
async fn profile_view(
    state: &crate::backend::AppState,
    session: crate::backend::sessions::Session,
    profile: crate::backend::profiles::Profile,
) -> Result<ProfileView, ApiError> {
    use crate::backend::{clients, job_centres, profiles};
    let client = clients::find_by_id(&state.db, profile.client_id).await.map_err(super::unavailable)?.ok_or(ApiError::Unavailable)?;
    let centre = job_centres::find_by_id(&state.db, client.job_centre_id).await.map_err(super::unavailable)?.ok_or(ApiError::Unavailable)?;
    let options = profiles::options(&state.db, profile.id).await.map_err(super::unavailable)?;
    let history = profiles::history(&state.db, profile.id)
        .await
        .map_err(super::unavailable)?
        .into_iter()
        .map(|c| OptionChangeView { option: c.option, enabled: c.enabled, at: c.at })
        .collect();
    Ok(ProfileView {
        job_centre: centre.contact.name,
        job_centre_contact: vec![centre.contact.street, format!("{} {}", centre.contact.postcode, centre.contact.city), centre.contact.phone, centre.contact.email],
        name: client.record.full_name(),
        address: vec![client.record.street.clone(), format!("{} {}", client.record.postcode, client.record.city)],
        customer_number: client.record.customer_number,
        salutation: client.record.salutation,
        birth_date: client.record.birth_date,
        mobile: client.record.mobile,
        pending_mobile: crate::backend::mobile_numbers::pending(&state, &profile, state.clock.now()).await.map_err(super::unavailable)?,
        sms_mobile: profile.sms_mobile,
        email: session.email,
        since: profile.created_at,
        options,
        history,
    })
}

/// "Freischaltcode eingeben": unlocks the profile with the code from the letter.
#[server(endpoint = "profile/redeem")]
pub async fn redeem_code(code: String) -> Result<RedeemOutcome, ApiError> {
    use crate::backend::activation_codes::{self, Redemption};
    use crate::domain::activation_code::{format, ActivationCode};
    let state = super::state()?;
    let request = super::request();
    let session = super::caller::signed_in()?;
    let formatted = format(&code).chars().take(20).collect::<String>();
    let outcome = match ActivationCode::parse(&code) {
        Err(problem) => RedeemOutcome::Malformed { problem, code: formatted },
        Ok(parsed) => {
            match activation_codes::redeem(&state, &session, &parsed, &request.requester).await.map_err(super::unavailable)? {
                Redemption::Activated(token) => {
                    // A privilege change: the session got a new id.
                    super::mfa::support::new_session_cookie(token)?;
                    RedeemOutcome::Activated
                }
                Redemption::SessionEnded => return Err(ApiError::NotSignedIn),
                Redemption::Refused(refusal) => RedeemOutcome::Refused { refusal, code: formatted },
            }
        }
    };
    super::flash::remember(super::flash_form::FlashForm::RedeemCode, &outcome).await;
    Ok(outcome)
}

/// Switches one communication option on or off (takes effect for the future).
#[server(endpoint = "profile/option")]
pub async fn set_option(option: String, enabled: bool) -> Result<OptionOutcome, ApiError> {
    use crate::backend::profiles;
    let state = super::state()?;
    let option = CommunicationOption::parse(&option).ok_or(ApiError::NotFound)?;
    let profile = super::caller::citizen_with_profile().await.map(|(_, profile)| profile)?;
    // SMS needs a mobile number the citizen confirmed with a code.
    let outcome = if option == CommunicationOption::SmsNotifications && enabled && profile.sms_mobile.is_none() {
        OptionOutcome::MobileRequired
    } else {
        let at = state.clock.now();
        profiles::set_option(&state.db, &profile, option, enabled, at, &super::request().requester)
            .await
            .map_err(super::unavailable)?;
        OptionOutcome::Saved { option, enabled, at }
    };
    super::flash::remember(super::flash_form::FlashForm::ProfileOption, &outcome).await;
    Ok(outcome)
}

/// "Code per SMS senden": sends a confirmation code to the entered mobile number.
#[server(endpoint = "profile/mobile/send")]
pub async fn send_mobile_code(mobile: String) -> Result<MobileOutcome, ApiError> {
    use crate::backend::mobile_numbers;
    let state = super::state()?;
    let profile = super::caller::citizen_with_profile().await.map(|(_, profile)| profile)?;
    let outcome = match crate::domain::mobile_number::normalise(&mobile) {
        None => MobileOutcome::InvalidNumber { entry: mobile.trim().chars().take(40).collect() },
        Some(number) => {
            match mobile_numbers::send_code(&state, &profile, &number, state.clock.now(), &super::request().requester)
                .await
                .map_err(super::unavailable)?
            {
                Ok(()) => MobileOutcome::CodeSent { mobile: number },
                Err(until) => MobileOutcome::TooManyCodes { until },
            }
        }
    };
    super::flash::remember(super::flash_form::FlashForm::ProfileMobile, &outcome).await;
    Ok(outcome)
}

/// "Nummer bestätigen": checks the code from the SMS.
#[server(endpoint = "profile/mobile/confirm")]
pub async fn confirm_mobile(code: String) -> Result<MobileOutcome, ApiError> {
    use crate::backend::mobile_numbers::{self, ConfirmRefusal};
    let state = super::state()?;
    let profile = super::caller::citizen_with_profile().await.map(|(_, profile)| profile)?;
    let outcome = match crate::domain::mobile_number::parse_sms_code(&code) {
        Err(problem) => MobileOutcome::MalformedCode(problem),
        Ok(code) => match mobile_numbers::confirm(&state, &profile, &code, state.clock.now(), &super::request().requester)
            .await
            .map_err(super::unavailable)?
        {
            Ok(mobile) => MobileOutcome::Confirmed { mobile },
            Err(refusal) => MobileOutcome::Refused(match refusal {
                ConfirmRefusal::NothingPending => MobileRefusal::NothingPending,
                ConfirmRefusal::Expired => MobileRefusal::Expired,
                ConfirmRefusal::Wrong(left) => MobileRefusal::Wrong(left),
                ConfirmRefusal::TriesUsedUp => MobileRefusal::TriesUsedUp,
            }),
        },
    };
    super::flash::remember(super::flash_form::FlashForm::ProfileMobile, &outcome).await;
    Ok(outcome)
}

/// "Nummer entfernen": removes the SMS number and switches SMS notifications off.
#[server(endpoint = "profile/mobile/remove")]
pub async fn remove_mobile() -> Result<MobileOutcome, ApiError> {
    let state = super::state()?;
    let profile = super::caller::citizen_with_profile().await.map(|(_, profile)| profile)?;
    let now = state.clock.now();
    let was_on = crate::backend::mobile_numbers::remove(&state, &profile, now, &super::request().requester)
        .await
        .map_err(super::unavailable)?;
    let outcome = MobileOutcome::Removed { switched_off_at: was_on.then_some(now) };
    super::flash::remember(super::flash_form::FlashForm::ProfileMobile, &outcome).await;
    Ok(outcome)
}
