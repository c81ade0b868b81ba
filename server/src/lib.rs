//! The axum host of the portal: configuration, telemetry, database start-up, the HTTP
//! stack (Leptos routes, static files, health, security headers, origin check) and
//! the operators' command-line interface.

pub mod cli;
pub mod config;
pub mod http;
pub mod startup;
pub mod telemetry;

/// Errors that stop the server or a command.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database could not be opened, migrated or queried.
    #[error("database: {0}")]
    Store(#[from] app::backend::StoreError),
    /// The listening socket could not be opened or the server failed.
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
}
