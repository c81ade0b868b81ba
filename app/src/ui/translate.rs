//! Access to the translations from components: the page's language (decided once per
//! request by the server and kept by the hydrated page) and the `t!`/`t_string!`
//! macros over the typed keys generated from `locales/*.json`.
//!
//! Deliberately not `leptos_i18n`'s reactive context: it starts an effect per page that
//! can run after a fast response was already cleaned up (a panic on the server), and
//! the portal never switches language in place — the language switch reloads the page.

pub use crate::i18n::{td, td_string, Locale};

/// The language of the page being rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct I18n(pub Locale);

impl I18n {
    /// The page's locale.
    pub fn locale(self) -> Locale {
        self.0
    }
}

/// The page's language (German if none was provided).
pub fn use_i18n() -> I18n {
    leptos::prelude::use_context::<I18n>().unwrap_or(I18n(Locale::de))
}

/// A translated text for views: `t!(i18n, section.key)` or with values
/// `t!(i18n, section.key, name = value)`.
macro_rules! t {
    ($i18n:expr, $($rest:tt)*) => {
        $crate::ui::translate::td!($i18n.locale(), $($rest)*)
    };
}

/// A translated text as a string (for attributes and messages).
macro_rules! t_string {
    ($i18n:expr, $($rest:tt)*) => {
        $crate::ui::translate::td_string!($i18n.locale(), $($rest)*)
    };
}

pub(crate) use {t, t_string};
