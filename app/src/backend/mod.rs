//! Server-only services with the business logic and persistence. Pages never reach
//! this module directly; server functions in [`crate::api`] call it.

pub mod demo;
pub mod job_centres;
pub mod store;

use std::sync::Arc;

pub use store::{Db, StoreError};

/// Settings the services need, read from the environment by the server host.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    /// Name shown in the header and page titles ("Jobcenter digital").
    pub portal_name: String,
    /// Origin under which browsers reach the portal, e.g. `https://jobcenter.example`.
    pub public_url: String,
    /// Development mode: local mail/SMS preview, relaxed cookie flags on plain HTTP.
    pub development: bool,
}

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Portal-wide settings.
    pub settings: Arc<PortalSettings>,
}
