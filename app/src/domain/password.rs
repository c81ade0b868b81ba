//! The password criteria of the flyer ("Registrierung"), checked live in the browser
//! and again on the server. Characters are counted, not bytes; nothing is truncated.

use serde::{Deserialize, Serialize};

/// Minimum length in characters.
pub const MIN_CHARS: usize = 12;
/// Maximum length in characters.
pub const MAX_CHARS: usize = 128;
/// The special characters the flyer allows.
pub const SPECIAL_CHARS: &str = "@#$%&*-_!+=:,.?/\"();";

/// One criterion of the flyer's checklist, in the flyer's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Criterion {
    /// "12 bis 128 Zeichen lang"
    Length,
    /// "Mindestens ein Großbuchstabe (A - Z)"
    Uppercase,
    /// "Mindestens ein Kleinbuchstabe (a - z)"
    Lowercase,
    /// "Mindestens eine Ziffer (0 - 9)"
    Digit,
    /// "Mindestens eines der folgenden Sonderzeichen: …"
    Special,
    /// "Keine unerlaubten Zeichen"
    NoInvalidCharacters,
    /// "Richtige Passwortwiederholung"
    RepetitionMatches,
}

impl Criterion {
    /// All criteria in the flyer's order.
    pub const ALL: [Criterion; 7] = [
        Criterion::Length,
        Criterion::Uppercase,
        Criterion::Lowercase,
        Criterion::Digit,
        Criterion::Special,
        Criterion::NoInvalidCharacters,
        Criterion::RepetitionMatches,
    ];
}

/// Which criteria a password (and its repetition) meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PasswordCheck {
    length: bool,
    uppercase: bool,
    lowercase: bool,
    digit: bool,
    special: bool,
    no_invalid: bool,
    repetition: bool,
}

impl PasswordCheck {
    /// Whether `criterion` is met.
    pub fn is_met(&self, criterion: Criterion) -> bool {
        match criterion {
            Criterion::Length => self.length,
            Criterion::Uppercase => self.uppercase,
            Criterion::Lowercase => self.lowercase,
            Criterion::Digit => self.digit,
            Criterion::Special => self.special,
            Criterion::NoInvalidCharacters => self.no_invalid,
            Criterion::RepetitionMatches => self.repetition,
        }
    }

    /// Whether every criterion is met (the password is acceptable by the flyer's rules).
    pub fn all_met(&self) -> bool {
        Criterion::ALL.iter().all(|c| self.is_met(*c))
    }

    /// The criteria not met, in the flyer's order.
    pub fn unmet(&self) -> Vec<Criterion> {
        Criterion::ALL.into_iter().filter(|c| !self.is_met(*c)).collect()
    }
}

/// Whether `c` may appear in a password at all.
pub fn is_allowed_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || SPECIAL_CHARS.contains(c)
}

/// Checks `password` and its repetition against the flyer's seven criteria.
///
/// An empty password meets neither "Keine unerlaubten Zeichen" nor the repetition
/// criterion, so an untouched form shows every item as still open.
pub fn check(password: &str, repetition: &str) -> PasswordCheck {
    let chars = password.chars().count();
    let non_empty = chars > 0;
    PasswordCheck {
        length: (MIN_CHARS..=MAX_CHARS).contains(&chars),
        uppercase: password.chars().any(|c| c.is_ascii_uppercase()),
        lowercase: password.chars().any(|c| c.is_ascii_lowercase()),
        digit: password.chars().any(|c| c.is_ascii_digit()),
        special: password.chars().any(|c| SPECIAL_CHARS.contains(c)),
        no_invalid: non_empty && password.chars().all(is_allowed_char),
        repetition: non_empty && password == repetition,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "Abcdefghij1!";

    fn met(pw: &str, c: Criterion) -> bool {
        check(pw, pw).is_met(c)
    }

    #[test]
    fn a_password_meeting_everything_passes() {
        assert!(check(GOOD, GOOD).all_met());
        assert!(check(GOOD, GOOD).unmet().is_empty());
    }

    #[test]
    fn length_edges_in_characters() {
        let base = "Aa1!";
        let of_len = |n: usize| format!("{base}{}", "x".repeat(n - base.len()));
        assert!(!met(&of_len(11), Criterion::Length));
        assert!(met(&of_len(12), Criterion::Length));
        assert!(met(&of_len(128), Criterion::Length));
        assert!(!met(&of_len(129), Criterion::Length));
        assert!(check(&of_len(128), &of_len(128)).all_met(), "128 characters are not truncated");
    }

    #[test]
    fn multibyte_characters_count_once() {
        // 12 characters but 13 bytes: length is met, the umlaut is not allowed.
        let pw = "Abcdefghij1ä";
        assert_eq!(pw.len(), 13);
        assert!(met(pw, Criterion::Length));
        assert!(!met(pw, Criterion::NoInvalidCharacters));
        // 11 characters, 12 bytes: too short although 12 bytes long.
        let short = "Abcdefgh1!ä";
        assert_eq!(short.len(), 12);
        assert!(!met(short, Criterion::Length));
    }

    #[test]
    fn each_class_is_required() {
        assert!(!met("abcdefghij1!", Criterion::Uppercase));
        assert!(!met("ABCDEFGHIJ1!", Criterion::Lowercase));
        assert!(!met("Abcdefghijk!", Criterion::Digit));
        assert!(!met("Abcdefghijk1", Criterion::Special));
    }

    #[test]
    fn every_allowed_special_character_counts() {
        for special in SPECIAL_CHARS.chars() {
            let pw = format!("Abcdefghij1{special}");
            assert!(check(&pw, &pw).all_met(), "{special:?} should be allowed and count as special");
        }
        assert_eq!(SPECIAL_CHARS.chars().count(), 20);
    }

    #[test]
    fn disallowed_characters_are_rejected() {
        for bad in ['ä', 'Ü', 'ß', '€', ' ', '\t', '😀', '§', '<', '>', '\'', '[', '{', '~', '^', '|', '\\', '`'] {
            let pw = format!("Abcdefghij1!{bad}");
            let result = check(&pw, &pw);
            assert!(!result.is_met(Criterion::NoInvalidCharacters), "{bad:?} must not be allowed");
            assert!(!result.all_met());
        }
    }

    #[test]
    fn repetition_must_match_exactly() {
        assert!(!check(GOOD, "Abcdefghij1?").is_met(Criterion::RepetitionMatches));
        assert!(!check(GOOD, "").is_met(Criterion::RepetitionMatches));
        assert!(!check(GOOD, &format!("{GOOD} ")).is_met(Criterion::RepetitionMatches));
        assert!(check(GOOD, GOOD).is_met(Criterion::RepetitionMatches));
    }

    #[test]
    fn an_empty_form_shows_everything_open() {
        assert_eq!(check("", "").unmet(), Criterion::ALL.to_vec());
    }

    #[test]
    fn typing_the_example_ticks_criteria_one_by_one() {
        // The flyer example typed key by key: what the live checklist shows.
        let typed = "Abcdefghijk1!";
        let states: Vec<PasswordCheck> =
            (1..=typed.len()).map(|n| check(&typed[..n], "")).collect();
        assert!(states[0].is_met(Criterion::Uppercase) && !states[0].is_met(Criterion::Lowercase));
        assert!(states[1].is_met(Criterion::Lowercase));
        assert!(!states[10].is_met(Criterion::Digit) && states[11].is_met(Criterion::Digit));
        assert!(states[11].is_met(Criterion::Length), "12 characters after the digit");
        assert!(!states[11].is_met(Criterion::Special) && states[12].is_met(Criterion::Special));
    }
}
