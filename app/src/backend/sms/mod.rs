//! Text messages (SMS): the texts and the way out ([`gateway`]). Like e-mails they go
//! through the [`crate::backend::outbox`] with retries; in development without a
//! gateway they stay there and are shown on the local preview page.

pub mod gateway;

use crate::{domain::language::Language, i18n::*};

/// A text message, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    /// Recipient in international format (`+4915112345678`).
    pub to: String,
    /// The text (kept short: one SMS is 160 characters).
    pub text: String,
}

/// The code that confirms a mobile number for SMS notifications.
pub fn verification_code(language: Language, to: &str, portal: &str, code: &str) -> Sms {
    let text = td_string!(Locale::from(language), sms.verification, portal = portal, code = code).to_string();
    Sms { to: to.to_owned(), text }
}

/// "Erinnerung an Ihren Termin …" a day (configurable) before an appointment.
pub fn appointment_reminder(language: Language, to: &str, portal: &str, when: &str, place: &str) -> Sms {
    let place: String = place.chars().take(60).collect();
    let text = td_string!(Locale::from(language), sms.reminder, portal = portal, when = when, place = place).to_string();
    Sms { to: to.to_owned(), text }
}
