//! What the server decides per request and every page may need to know: the portal's
//! name, the negotiated language, who is signed in ([`SiteInfo`], [`use_site`]).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::language::Language;

/// The header's colour, also the installed app's title bar (manifest and meta tag).
pub const THEME_COLOUR: &str = "#173f7a";

/// Per-request facts the server decides and the browser needs to render the same page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SiteInfo {
    /// Portal name shown in the header and page titles.
    pub portal_name: String,
    /// The language negotiated for this request.
    pub language: Language,
    /// The signed-in account's e-mail address, if fully signed in.
    pub signed_in_as: Option<String>,
    /// The visitor has a session at any stage (also half-way: second step or MFA
    /// set-up pending), so the header offers "Abmelden".
    pub has_session: bool,
}

/// On the server: the facts the host put into the request context.
#[cfg(feature = "ssr")]
pub(crate) fn request_site_info() -> SiteInfo {
    use_context::<SiteInfo>().unwrap_or_default()
}

/// In the browser the value comes from the server-rendered page; this is never called.
#[cfg(not(feature = "ssr"))]
pub(crate) fn request_site_info() -> SiteInfo {
    SiteInfo::default()
}

/// The request's [`SiteInfo`].
pub fn use_site() -> SiteInfo {
    use_context::<SiteInfo>().unwrap_or_default()
}
