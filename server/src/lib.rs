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
    /// `SECRET_KEY` is unusable or the generated one could not be stored.
    #[error("secret: {0}")]
    Secret(#[from] app::backend::secrets::SecretError),
    /// The mail settings are unusable.
    #[error("mail: {0}")]
    Mail(#[from] app::backend::mail::transport::MailConfigError),
    /// The SMS gateway settings are unusable.
    #[error("sms: {0}")]
    Sms(#[from] app::backend::sms::gateway::SmsConfigError),
    /// The demo data could not be created.
    #[error("demo data: {0}")]
    Seed(#[from] app::backend::demo::SeedError),
    /// An operator command failed.
    #[error("{0}")]
    Admin(String),
    /// The configuration does not allow this (e.g. serving without `APP_ENV`).
    #[error("configuration: {0}")]
    Config(#[from] config::ConfigError),
    /// Something else needed at start-up failed.
    #[error("start-up: {0}")]
    Startup(String),
}
