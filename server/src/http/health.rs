//! Probes for orchestrators: `/healthz` (process up) and `/readyz` (database reachable).

use axum::{extract::State, http::StatusCode};

use app::backend::Db;

/// Always 200 while the process serves requests.
pub async fn healthz() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok")
}

/// 200 when the database answers, 503 otherwise.
pub async fn readyz(State(db): State<Db>) -> (StatusCode, &'static str) {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
