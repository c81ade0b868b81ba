//! The background sender: takes due messages from the outbox and hands each to the
//! transport of its channel (SMTP or the SMS gateway), one at a time, until the server
//! shuts down.

use std::{sync::Arc, time::Duration};

use tokio::sync::{watch, Notify};

use super::Pending;
use crate::backend::{
    clock::Clock,
    mail::{transport::MailTransport, Mail},
    sms::{gateway::SmsGateway, Sms},
    store::Db,
};

/// How often an idle worker looks for due messages.
const POLL: Duration = Duration::from_millis(500);

/// The configured way out for each channel.
#[derive(Clone)]
pub struct Transports {
    /// E-mail.
    pub mail: MailTransport,
    /// SMS.
    pub sms: SmsGateway,
}

impl Transports {
    /// Hands one message over; returns how it left (`smtp`, `http`, `preview`).
    async fn deliver(&self, pending: &Pending) -> Result<&'static str, String> {
        match pending.channel.as_str() {
            "email" => {
                let mail = Mail {
                    to: pending.recipient.clone(),
                    subject: pending.subject.clone(),
                    text: pending.body_text.clone(),
                    html: pending.body_html.clone().unwrap_or_default(),
                };
                self.mail.deliver(&mail, &pending.delivery_key()).await.map(|()| self.mail.via())
            }
            "sms" => {
                let sms = Sms { to: pending.recipient.clone(), text: pending.body_text.clone() };
                self.sms.deliver(&sms, &pending.delivery_key()).await.map(|()| self.sms.via())
            }
            other => Err(format!("unknown channel {other:?}")),
        }
    }
}

/// Delivers outbox messages until `stop` turns true. `wake` shortens the wait after a
/// message was enqueued.
pub async fn run(db: Db, clock: Clock, transports: Transports, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        match super::claim_next(&db, clock.now()).await {
            Ok(Some(pending)) => {
                let result = transports.deliver(&pending).await;
                let now = clock.now();
                let recorded = match &result {
                    Ok(via) => super::mark_sent(&db, pending.id, now, via).await,
                    Err(error) => {
                        tracing::warn!(outbox_id = pending.id, channel = %pending.channel, attempt = pending.attempts, %error, "delivery failed");
                        super::mark_failed(&db, &pending, now, error).await
                    }
                };
                if let Err(error) = recorded {
                    tracing::error!(outbox_id = pending.id, %error, "could not record delivery result");
                    tokio::time::sleep(POLL).await;
                }
            }
            Ok(None) => {
                tokio::select! {
                    () = tokio::time::sleep(POLL) => {}
                    () = wake.notified() => {}
                    _ = stop.changed() => {}
                }
            }
            Err(error) => {
                tracing::error!(%error, "outbox unavailable");
                tokio::select! {
                    () = tokio::time::sleep(POLL * 4) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }
}
