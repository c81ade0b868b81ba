//! The design system: layout, page scaffolding and shared widgets.

pub mod activation_code_field;
pub mod email_link;
pub mod error;
pub mod form;
pub mod install_hint;
pub mod layout;
pub mod messages;
pub mod needs_app;
pub mod option_switch;
pub mod passkey_client;
pub mod passkey_sign_in;
pub mod password_checklist;
pub mod reauthentication;
pub mod recovery_codes;
pub mod page;
pub mod service_worker;
