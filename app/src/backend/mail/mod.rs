//! E-mail: the texts ([`templates`]) and the way out over SMTP ([`transport`]). Mails
//! go through the [`crate::backend::outbox`]; in development without SMTP they stay
//! there and are shown on the local preview page.

pub mod templates;
pub mod transport;

/// A rendered e-mail, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body (same content).
    pub html: String,
}
