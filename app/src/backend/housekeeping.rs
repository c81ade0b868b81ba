//! Work the server does now and then, in every instance (each step is safe to run twice
//! at once): deleting attempt-limit rows whose window and lock are over, unfetched form
//! results, and delivered mails and SMS older than the retention period.

use std::time::Duration;

use tokio::sync::watch;

use super::{clock::Clock, flash_stash, outbox, store::Db, throttle};

/// How often housekeeping runs.
pub const INTERVAL: Duration = Duration::from_secs(600);

/// Runs housekeeping every [`INTERVAL`] until `stop` turns true; delivered messages are
/// kept `outbox_retention_days` days.
pub async fn run(db: Db, clock: Clock, outbox_retention_days: i64, mut stop: watch::Receiver<bool>) {
    loop {
        let now = clock.now();
        match throttle::purge(&db, now).await {
            Ok(0) => {}
            Ok(deleted) => tracing::debug!(deleted, "expired attempt limits deleted"),
            Err(error) => tracing::warn!(%error, "housekeeping failed"),
        }
        if let Err(error) = flash_stash::purge(&db, now).await {
            tracing::warn!(%error, "housekeeping failed");
        }
        match outbox::purge(&db, now - outbox_retention_days * 86_400).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "delivered messages past their retention deleted"),
            Err(error) => tracing::warn!(%error, "housekeeping failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(INTERVAL) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
    }
}
