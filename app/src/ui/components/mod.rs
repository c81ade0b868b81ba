//! The design system: layout, page scaffolding and shared widgets.

pub mod error;
pub mod layout;
pub mod page;
