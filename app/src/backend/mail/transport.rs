//! How mails leave the system: SMTP (lettre, with STARTTLS or TLS as the URL says) or,
//! in development without `SMTP_URL`, the local preview (the mail stays in the outbox).

use std::time::Duration;

use lettre::{
    message::{header::ContentType, Mailbox, MultiPart, SinglePart},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use super::Mail;

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
    /// `smtp://host:25` (plain, loopback only in practice).
    pub fn smtp(url: &str, from: &str, timeout: Duration) -> Result<MailTransport, MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailConfigError::Url(e.to_string()))?
            .timeout(Some(timeout))
            .build();
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| MailConfigError::From(e.to_string()))?;
        Ok(MailTransport::Smtp { transport, from })
    }

    /// Name recorded in the outbox for a delivered mail.
    pub fn via(&self) -> &'static str {
        match self {
            MailTransport::Smtp { .. } => "smtp",
            MailTransport::Preview => "preview",
        }
    }

    /// Hands one mail over; `Ok` means the SMTP server accepted it.
    pub async fn deliver(&self, mail: &Mail) -> Result<(), String> {
        match self {
            MailTransport::Preview => Ok(()),
            MailTransport::Smtp { transport, from } => {
                let to: Mailbox = mail.to.parse().map_err(|e| format!("recipient: {e}"))?;
                let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(mail.text.clone());
                let body = match mail.html.is_empty() {
                    false => MultiPart::alternative()
                        .singlepart(text)
                        .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(mail.html.clone())),
                    true => MultiPart::mixed().singlepart(text),
                };
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject.clone())
                    .multipart(body)
                    .map_err(|e| format!("message: {e}"))?;
                transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
            }
        }
    }
}
