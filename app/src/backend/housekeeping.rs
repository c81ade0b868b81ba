//! Work the server does now and then, in every instance (each step is safe to run twice
//! at once): deleting attempt-limit rows whose window and lock are over.

use std::time::Duration;

use tokio::sync::watch;

use super::{clock::Clock, store::Db, throttle};

/// How often housekeeping runs.
pub const INTERVAL: Duration = Duration::from_secs(600);

/// Runs housekeeping every [`INTERVAL`] until `stop` turns true.
pub async fn run(db: Db, clock: Clock, mut stop: watch::Receiver<bool>) {
    loop {
        match throttle::purge(&db, clock.now()).await {
            Ok(0) => {}
            Ok(deleted) => tracing::debug!(deleted, "expired attempt limits deleted"),
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
