//! Probes for orchestrators: `/healthz` (process up) and `/readyz` (database reachable).

use axum::{extract::State, http::StatusCode};

use app::backend::Db;

/// Always 200 while the process serves requests.
pub async fn healthz() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok")
}

/// How long the readiness probe waits for the database (orchestrators and load
/// balancers probe every few seconds; a probe must answer before theirs times out).
pub const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// 200 when the database answers within [`READY_TIMEOUT`], 503 otherwise — also when it
/// does not answer at all (a stopped PostgreSQL leaves connection attempts hanging until
/// the pool's own, longer timeout).
pub async fn readyz(State(db): State<Db>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(READY_TIMEOUT, db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::warn!("readiness check: the database did not answer within {READY_TIMEOUT:?}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
