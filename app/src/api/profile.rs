//! The citizen's job-centre profile: unlocking it with an activation code
//! ("Freischaltcode eingeben"), "Ihre Daten" and the "Kommunikationsoptionen".

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{staff::OptionChangeView, ApiError};
use crate::domain::{activation_code::CodeProblem, communication::CommunicationOption};

/// Why a well-formed code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeRefusal {
    /// Not known (or mistyped).
    Unknown,
    /// Expired at the given time.
    Expired(i64),
    /// Already used.
    Used,
    /// Withdrawn by the job centre (or replaced by a newer code).
    Revoked,
    /// Too many wrong codes; try again after the given time.
    Locked(i64),
    /// This account already has a profile.
    AlreadyLinked,
}

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
    /// SMS needs a mobile number the job centre holds.
    MobileRequired,
}

/// The profile of the signed-in citizen, if unlocked.
#[server(endpoint = "profile/mine")]
pub async fn my_profile() -> Result<Option<ProfileView>, ApiError> {
    use crate::backend::{clients, job_centres, profiles};
    let state = super::state()?;
    let session = super::full_session()?;
    let Some(profile) = profiles::find_for_account(&state.db, session.account_id).await.map_err(super::unavailable)? else {
        return Ok(None);
    };
    let client = clients::find_by_id(&state.db, profile.client_id).await.map_err(super::unavailable)?.ok_or(ApiError::Unavailable)?;
    let centre = job_centres::find_by_id(&state.db, client.job_centre_id).await.map_err(super::unavailable)?.ok_or(ApiError::Unavailable)?;
    let options = profiles::options(&state.db, profile.id).await.map_err(super::unavailable)?;
    let history = profiles::history(&state.db, profile.id)
        .await
        .map_err(super::unavailable)?
        .into_iter()
        .map(|c| OptionChangeView { option: c.option, enabled: c.enabled, at: c.at })
        .collect();
    Ok(Some(ProfileView {
        job_centre: centre.name,
        job_centre_contact: vec![centre.street, format!("{} {}", centre.postcode, centre.city), centre.phone, centre.email],
        name: client.record.full_name(),
        address: vec![client.record.street.clone(), format!("{} {}", client.record.postcode, client.record.city)],
        customer_number: client.record.customer_number,
        salutation: client.record.salutation,
        birth_date: client.record.birth_date,
        mobile: client.record.mobile,
        email: session.email,
        since: profile.created_at,
        options,
        history,
    }))
}

/// "Freischaltcode eingeben": unlocks the profile with the code from the letter.
#[server(endpoint = "profile/redeem")]
pub async fn redeem_code(code: String) -> Result<RedeemOutcome, ApiError> {
    use crate::backend::{activation_codes::{self, Refusal}, sessions};
    use crate::domain::activation_code::{format, ActivationCode};
    let state = super::state()?;
    let request = super::request();
    let session = super::full_session()?;
    let formatted = format(&code).chars().take(20).collect::<String>();
    let outcome = match ActivationCode::parse(&code) {
        Err(problem) => RedeemOutcome::Malformed { problem, code: formatted },
        Ok(parsed) => {
            let now = state.clock.now();
            match activation_codes::redeem(&state.db, &state.secret, session.account_id, &parsed, now, &request.requester)
                .await
                .map_err(super::unavailable)?
            {
                Ok(_) => {
                    // A privilege change: the session gets a new id.
                    let token = sessions::rotate(&state.db, &session, now, &request.requester).await.map_err(super::unavailable)?;
                    super::mfa::support::new_session_cookie(token)?;
                    RedeemOutcome::Activated
                }
                Err(refusal) => RedeemOutcome::Refused {
                    refusal: match refusal {
                        Refusal::Unknown => CodeRefusal::Unknown,
                        Refusal::Expired(at) => CodeRefusal::Expired(at),
                        Refusal::Used => CodeRefusal::Used,
                        Refusal::Revoked => CodeRefusal::Revoked,
                        Refusal::Locked(until) => CodeRefusal::Locked(until),
                        Refusal::AlreadyLinked => CodeRefusal::AlreadyLinked,
                    },
                    code: formatted,
                },
            }
        }
    };
    super::flash::remember("redeem-code", &outcome);
    Ok(outcome)
}

/// Switches one communication option on or off (takes effect for the future).
#[server(endpoint = "profile/option")]
pub async fn set_option(option: String, enabled: bool) -> Result<OptionOutcome, ApiError> {
    use crate::backend::{clients, profiles};
    let state = super::state()?;
    let session = super::full_session()?;
    let option = CommunicationOption::parse(&option).ok_or(ApiError::NotFound)?;
    let profile = profiles::find_for_account(&state.db, session.account_id).await.map_err(super::unavailable)?.ok_or(ApiError::ProfileRequired)?;
    // SMS needs a mobile number the job centre holds.
    let needs_mobile = option == CommunicationOption::SmsNotifications && enabled;
    let has_mobile = !needs_mobile
        || clients::find_by_id(&state.db, profile.client_id).await.map_err(super::unavailable)?.is_some_and(|c| c.record.mobile.is_some());
    let outcome = if has_mobile {
        let at = state.clock.now();
        profiles::set_option(&state.db, &profile, option, enabled, at, &super::request().requester)
            .await
            .map_err(super::unavailable)?;
        OptionOutcome::Saved { option, enabled, at }
    } else {
        OptionOutcome::MobileRequired
    };
    super::flash::remember("profile-option", &outcome);
    Ok(outcome)
}
