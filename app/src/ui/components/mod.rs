//! The design system: layout, page scaffolding and shared widgets. Pages import
//! components, never another page (`app/tests/architecture.rs`).

pub mod activation_code_field;
pub mod client_appointments;
pub mod client_postbox;
pub mod contact_details;
pub mod email_link;
pub mod error;
pub mod form;
pub mod install_hint;
pub mod layout;
pub mod letter;
pub mod loading;
pub mod messages;
pub mod needs_app;
pub mod new_password;
pub mod not_found;
pub mod option_history;
pub mod option_switch;
pub mod page;
pub mod passkey_browser;
pub mod passkey_sign_in;
pub mod password_checklist;
pub mod postbox;
pub mod reauthentication;
pub mod recovery_codes;
pub mod service_worker;
pub mod staff_only;
