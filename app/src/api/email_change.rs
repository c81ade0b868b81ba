//! "E-Mail-Adresse ändern": asking for a new address (with the password) and the link
//! that confirms it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{auth::LinkOutcome, ApiError};
use crate::domain::email::EmailError;

/// The result of asking for a new address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailChangeOutcome {
    /// A link is on its way to the new address.
    Sent {
        /// The new address as entered.
        email: String,
    },
    /// The entry is not an address.
    Invalid {
        /// The entry.
        email: String,
        /// What is wrong.
        problem: EmailError,
    },
    /// The new address is the current one.
    SameAddress {
        /// The entry.
        email: String,
    },
    /// The password was wrong (or too many attempts); nothing was sent.
    WrongPassword {
        /// The entry (kept in the form).
        email: String,
    },
    /// Confirm your identity first (at most ten minutes old); nothing was sent.
    ReauthenticationRequired {
        /// The entry (kept in the form).
        email: String,
    },
}

/// The result of opening the link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailChangeConfirmation {
    /// The account now uses this address.
    Changed {
        /// The new address.
        email: String,
    },
    /// The link cannot be used.
    Link(LinkOutcome),
    /// Another account registered the address in the meantime.
    Taken,
}

/// Sends the confirmation link to the new address.
#[server(endpoint = "account/email")]
pub async fn request_email_change(email: String, password: String) -> Result<EmailChangeOutcome, ApiError> {
    use crate::{backend::email_change::{self, RequestOutcome}, domain::email::EmailAddress};
    let state = super::state()?;
    let session = super::caller::signed_in()?;
    let entry = email.trim().to_owned();
    let outcome = match EmailAddress::parse(&email) {
        Err(problem) => EmailChangeOutcome::Invalid { email: entry, problem },
        Ok(address) => match email_change::request(&state, &session, &address, &password, &super::request().requester)
            .await
            .map_err(super::unavailable)?
        {
            RequestOutcome::Sent => EmailChangeOutcome::Sent { email: entry },
            RequestOutcome::WrongPassword => EmailChangeOutcome::WrongPassword { email: entry },
            RequestOutcome::SameAddress => EmailChangeOutcome::SameAddress { email: entry },
            RequestOutcome::ReauthenticationRequired => EmailChangeOutcome::ReauthenticationRequired { email: entry },
        },
    };
    super::flash::remember(super::flash_form::FlashForm::EmailChange, &outcome).await;
    Ok(outcome)
}

/// Whether the link from the mail can be used, without using it (what the page the link
/// opens shows; only its button changes the address).
#[server(endpoint = "account/email/check")]
pub async fn check_email_change_link(token: String) -> Result<LinkOutcome, ApiError> {
    let state = super::state()?;
    let result = crate::backend::email_change::check(&state, &token).await.map_err(super::unavailable)?;
    Ok(result.map(|()| LinkOutcome::Valid).unwrap_or_else(super::auth::link_outcome))
}

/// Uses the link from the mail to the new address (once): the page's button (pressed
/// by the page itself after loading when JavaScript runs).
#[server(endpoint = "account/email/confirm")]
pub async fn confirm_email_change(token: String) -> Result<EmailChangeConfirmation, ApiError> {
    use crate::backend::email_change::{self, ConfirmProblem};
    let state = super::state()?;
    let outcome = match email_change::confirm(&state, &token, &super::request().requester).await.map_err(super::unavailable)? {
        Ok(email) => EmailChangeConfirmation::Changed { email },
        Err(ConfirmProblem::Taken) => EmailChangeConfirmation::Taken,
        Err(ConfirmProblem::Link(problem)) => EmailChangeConfirmation::Link(super::auth::link_outcome(problem)),
    };
    super::flash::remember(super::flash_form::FlashForm::EmailChangeConfirm, &outcome).await;
    Ok(outcome)
}
