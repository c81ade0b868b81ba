//! E-mail: messages are written to the outbox in the same transaction as the change
//! that causes them; a background worker delivers them over SMTP with retries, so
//! nothing is lost when the mail server is down or the process restarts, and nothing
//! is sent twice once the server has accepted it. In development without SMTP the
//! mails stay in the outbox and are shown on the local preview page.

pub mod outbox;
pub mod templates;
pub mod transport;
pub mod worker;

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
