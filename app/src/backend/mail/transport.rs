//! How mails leave the system: SMTP (lettre, with STARTTLS or TLS as the URL says) or,
//! in development without `SMTP_URL`, the local preview (the mail stays in the outbox).

use std::time::Duration;

use lettre::{
    message::{header::ContentType, Mailbox, MultiPart, SinglePart},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use super::Mail;

/// The `Message-ID` of the mail with delivery key `key` (an outbox entry's, see
/// `outbox::Pending::delivery_key`): `<key@domain of the sender>` (RFC 5322 §3.6.4). A
/// mail sent again after a crash carries the same id.
pub fn message_id(key: &str, from: &Mailbox) -> String {
    format!("<{key}@{}>", from.email.domain())
}

/// Longest wait for the mail server to accept the connection (the whole attempt may take
/// longer: `timeout` of [`MailTransport::smtp`]).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// The configured delivery channel.
// One value per process: boxing the larger variant would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum MailTransport {
    /// A real SMTP server.
    Smtp {
        /// The connection settings.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The sender.
        from: Mailbox,
        /// Longest wait for one whole hand-over (connect to the last reply).
        timeout: Duration,
    },
    /// Development: mails are only shown on `/dev/mails`.
    Preview,
}

/// The mail settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    /// `SMTP_URL` could not be parsed.
    #[error("SMTP_URL is invalid: {0}")]
    Url(String),
    /// `MAIL_FROM` is not an address.
    #[error("MAIL_FROM is not a valid sender (e.g. \"Jobcenter digital <noreply@example.org>\"): {0}")]
    From(String),
}

impl MailTransport {
    /// SMTP from `smtp://user:pass@host:587?tls=required`, `smtps://host:465` or
    /// `smtp://host:25` (plain, loopback only in practice). `timeout` bounds the whole
    /// hand-over, the connection at most [`CONNECT_TIMEOUT`] of it: lettre's own timeout
    /// covers only the connection, and a server that stops answering mid-conversation
    /// would otherwise hold the outbox worker (and every mail and SMS behind it) for good.
    pub fn smtp(url: &str, from: &str, timeout: Duration) -> Result<MailTransport, MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailConfigError::Url(e.to_string()))?
            .timeout(Some(timeout.min(CONNECT_TIMEOUT)))
            .build();
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| MailConfigError::From(e.to_string()))?;
        Ok(MailTransport::Smtp { transport, from, timeout })
    }

    /// Name recorded in the outbox for a delivered mail.
    pub fn via(&self) -> &'static str {
        match self {
            MailTransport::Smtp { .. } => "smtp",
            MailTransport::Preview => "preview",
        }
    }

    /// Hands one mail over with the `Message-ID` made from `key` (see
    /// [`message_id`]); `Ok` means the SMTP server accepted it.
    pub async fn deliver(&self, mail: &Mail, key: &str) -> Result<(), String> {
        match self {
            MailTransport::Preview => Ok(()),
            MailTransport::Smtp { transport, from, timeout } => {
                let to: Mailbox = mail.to.parse().map_err(|e| format!("recipient: {e}"))?;
                let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(mail.text.clone());
                let body = match mail.html.is_empty() {
                    false => MultiPart::alternative()
                        .singlepart(text)
                        .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(mail.html.clone())),
                    true => MultiPart::mixed().singlepart(text),
                };
                let message = Message::builder()
                    .message_id(Some(message_id(key, from)))
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject.clone())
                    .multipart(body)
                    .map_err(|e| format!("message: {e}"))?;
                match tokio::time::timeout(*timeout, transport.send(message)).await {
                    Ok(sent) => sent.map(|_| ()).map_err(|e| e.to_string()),
                    Err(_) => Err(format!("no answer from the mail server within {} s", timeout.as_secs())),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_id_is_the_key_at_the_senders_domain() {
        let from: Mailbox = "Jobcenter digital <noreply@jobcenter.example.org>".parse().expect("mailbox");
        assert_eq!(message_id("outbox.7.0a1b2c3d", &from), "<outbox.7.0a1b2c3d@jobcenter.example.org>");
    }
}
