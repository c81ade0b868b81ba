//! The integration tests: the real server on an ephemeral port with a fresh database
//! (SQLite, and PostgreSQL when `TEST_POSTGRES_URL` is set), a real SMTP server and a
//! real SMS gateway stub. One binary (one link step) with a module per capability;
//! `support` holds the typed helpers they share.
//!
//! Run one module: `cargo test -p server --test it races::`.

#[macro_use]
mod support;

mod access;
mod accounts;
mod appointments;
mod contact;
mod deployment;
mod feedback;
mod foundation;
mod mfa;
mod postbox;
mod profiles;
mod races;
mod text;
mod uploads;
mod voiding;
