//! The background sender: takes due messages from the outbox and hands them to the
//! transport, one at a time, until the server shuts down.

use std::{sync::Arc, time::Duration};

use tokio::sync::{watch, Notify};

use super::{outbox, transport::MailTransport};
use crate::backend::{clock::Clock, store::Db};

/// How often an idle worker looks for due messages.
const POLL: Duration = Duration::from_millis(500);

/// Delivers outbox messages until `stop` turns true. `wake` shortens the wait after a
/// message was enqueued.
pub async fn run(db: Db, clock: Clock, transport: MailTransport, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        match outbox::claim_next(&db, clock.now()).await {
            Ok(Some(pending)) => {
                let result = transport.deliver(&pending).await;
                let now = clock.now();
                let recorded = match &result {
                    Ok(()) => outbox::mark_sent(&db, pending.id, now, transport.via()).await,
                    Err(error) => {
                        tracing::warn!(outbox_id = pending.id, attempt = pending.attempts, %error, "mail delivery failed");
                        outbox::mark_failed(&db, &pending, now, error).await
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
