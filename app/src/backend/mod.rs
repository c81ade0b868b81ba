//! Server-only services with the business logic and persistence. Pages never reach
//! this module directly; server functions in [`crate::api`] call it.

pub mod accessibility_feedback;
pub mod accounts;
pub mod activation_codes;
pub mod appointments;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod clock;
pub mod context;
pub mod demo;
pub mod files;
pub mod flash_stash;
pub mod housekeeping;
pub mod email_change;
pub mod job_centres;
pub mod mail;
pub mod mfa;
pub mod mobile_numbers;
pub mod notices;
pub mod outbox;
pub mod password_policy;
pub mod qr;
pub mod passwords;
pub mod postbox;
pub mod profiles;
pub mod request;
pub mod second_factor;
pub mod secrets;
pub mod security;
pub mod sessions;
pub mod sms;
pub mod staff;
pub mod store;
pub mod throttle;
pub mod tokens;

use std::sync::Arc;

pub use store::{Db, StoreError};

/// Settings the services need, read from the environment by the server host.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    /// Name shown in the header, page titles and mails ("Jobcenter digital").
    pub portal_name: String,
    /// Origin under which browsers reach the portal, e.g. `https://jobcenter.example`.
    pub public_url: String,
    /// The QR code of `public_url` as inline SVG, made once at start-up (the start page
    /// shows it on every visit; making it took more time than rendering the page).
    pub public_url_qr: Arc<str>,
    /// Development mode: local mail preview, no `Secure` cookies on plain HTTP.
    pub development: bool,
    /// Cookies get `Secure` and the `__Host-` prefix (HTTPS).
    pub secure_cookies: bool,
    /// Sign-in throttling thresholds.
    pub throttle: throttle::ThrottlePolicy,
    /// Mails sent on request (confirmation, reset, "already registered", address change)
    /// per source address and hour (`MAIL_LIMIT_PER_SOURCE_HOUR`).
    pub mails_per_source_hour: i64,
    /// Days after the notification at which an online document counts as made known.
    pub deemed_notice_days: i64,
    /// Hours before an appointment at which the SMS reminder goes out.
    pub reminder_lead_hours: i64,
    /// Days delivered mails and SMS are kept (without their text).
    pub outbox_retention_days: i64,
}

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Portal-wide settings.
    pub settings: Arc<PortalSettings>,
    /// The time.
    pub clock: clock::Clock,
    /// Argon2id hashing on a bounded pool.
    pub hasher: passwords::PasswordHasher,
    /// Key for signed cookies.
    pub secret: secrets::ServerSecret,
    /// Wakes the outbox worker after something was put into the outbox.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// The WebAuthn relying party (passkeys) for the public URL.
    pub webauthn: Arc<webauthn_rs::Webauthn>,
}
