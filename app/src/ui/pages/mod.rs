//! One module per route (or per small group of related routes).

pub mod account;
pub mod dev_mails;
pub mod email_links;
pub mod home;
pub mod legal;
pub mod not_found;
pub mod password_reset;
pub mod register;
pub mod sign_in;
