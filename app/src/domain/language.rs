//! Which language a visitor gets: the explicit choice (cookie) first, then the
//! browser's `Accept-Language`, else German.

use serde::{Deserialize, Serialize};

/// A language the portal is fully translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Language {
    /// German, the default and the language of the flyer.
    #[default]
    De,
    /// English.
    En,
}

impl Language {
    /// All supported languages, in the order the language switch shows them.
    pub const ALL: [Language; 2] = [Language::De, Language::En];

    /// The BCP 47 tag (`de`, `en`), also used in the cookie and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    /// The language's own name, as shown in the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Language::De => "Deutsch",
            Language::En => "English",
        }
    }

    /// Parses a tag such as `en`, `en-GB` or `DE`; `None` for unsupported languages.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "de" => Some(Language::De),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// Name of the cookie that stores an explicit language choice.
pub const LANGUAGE_COOKIE: &str = "lang";

/// Chooses the language: a valid cookie wins, then the highest-weighted supported
/// entry of `Accept-Language`, then German.
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Language {
    if let Some(lang) = cookie.and_then(Language::from_tag) {
        return lang;
    }
    accept_language
        .and_then(best_accepted)
        .unwrap_or_default()
}

/// The supported language with the highest `q` in an `Accept-Language` header
/// (earlier entries win ties; `q=0` means "not acceptable").
fn best_accepted(header: &str) -> Option<Language> {
    let mut best: Option<(Language, f32)> = None;
    for entry in header.split(',') {
        let mut parts = entry.split(';');
        let Some(lang) = parts.next().and_then(Language::from_tag) else {
            continue;
        };
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(_, best_q)| q > best_q) {
            best = Some((lang, q));
        }
    }
    best.map(|(lang, _)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_wins_over_header() {
        assert_eq!(negotiate(Some("en"), Some("de-DE,de;q=0.9")), Language::En);
        assert_eq!(negotiate(Some("de"), Some("en-US")), Language::De);
    }

    #[test]
    fn invalid_cookie_falls_back_to_header() {
        assert_eq!(negotiate(Some("fr"), Some("en-GB,en;q=0.8")), Language::En);
        assert_eq!(negotiate(Some(""), Some("en")), Language::En);
    }

    #[test]
    fn header_weights_are_respected() {
        assert_eq!(negotiate(None, Some("fr-FR,fr;q=0.9,en;q=0.8,de;q=0.7")), Language::En);
        assert_eq!(negotiate(None, Some("en;q=0.5,de;q=0.6")), Language::De);
        assert_eq!(negotiate(None, Some("en;q=0,de;q=0.1")), Language::De);
        assert_eq!(negotiate(None, Some("en;q=0")), Language::De);
    }

    #[test]
    fn unsupported_or_missing_means_german() {
        assert_eq!(negotiate(None, None), Language::De);
        assert_eq!(negotiate(None, Some("fr, tr;q=0.5")), Language::De);
        assert_eq!(negotiate(None, Some("garbage;;;q=x")), Language::De);
        assert_eq!(negotiate(None, Some("*")), Language::De);
    }

    #[test]
    fn tags_round_trip() {
        for lang in Language::ALL {
            assert_eq!(Language::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Language::from_tag("EN-us"), Some(Language::En));
    }
}
