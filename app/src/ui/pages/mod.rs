//! One module per route (or per small group of related routes).

pub mod accessibility_statement;
pub mod account;
pub mod activation;
pub mod appointments;
pub mod dev_mails;
pub mod easy_language;
pub mod email_change;
pub mod email_links;
pub mod help;
pub mod home;
pub mod legal;
pub mod mfa_setup;
pub mod offline;
pub mod password_reset;
pub mod postbox;
pub mod profile;
pub mod register;
pub mod second_factor;
pub mod security;
pub mod sign_in;
pub mod sign_in_passkey;
pub mod staff;
