//! The server's verdict on a new password: the flyer's criteria (the same function
//! the browser's checklist uses), then what the flyer does not say — no common or
//! breached password, and not the e-mail address's name part.

use std::{collections::HashSet, sync::LazyLock};

use crate::domain::{
    email::EmailAddress,
    password::{self, Criterion},
    registration::PasswordProblem,
};

/// The bundled list: 30,000 common passwords (see the header of the file for its source).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect()
});

/// Number of entries in the bundled list.
pub fn common_password_count() -> usize {
    COMMON.len()
}

/// Whether `password` is, or is built on, a common password: checked in lower case,
/// as typed, without the special characters around it, and without the digits and
/// special characters around it ("Passwort123!" is "passwort").
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let without_specials = lower.trim_matches(|c: char| !c.is_alphanumeric());
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    COMMON.contains(lower.as_str())
        || COMMON.contains(without_specials)
        || (core.chars().count() >= 4 && COMMON.contains(core))
}

/// Whether `password` contains the address's name part (or a piece of it such as the
/// surname in `max.mustermann`), ignoring case. Parts shorter than 3 (whole) or 4
/// (pieces) characters are not considered.
pub fn contains_email_name(password: &str, email: &EmailAddress) -> bool {
    let lower = password.to_lowercase();
    let local = email.local_part().to_lowercase();
    if local.chars().count() >= 3 && lower.contains(&local) {
        return true;
    }
    local
        .split(|c: char| !c.is_alphanumeric())
        .filter(|piece| piece.chars().count() >= 4)
        .any(|piece| lower.contains(piece))
}

/// The full server-side check of a new password and its repetition. The repetition
/// is reported separately by the caller, so it is not part of the result here.
pub fn evaluate(pw: &str, repetition: &str, email: Option<&EmailAddress>) -> Result<(), PasswordProblem> {
    if pw.is_empty() {
        return Err(PasswordProblem::Empty);
    }
    let check = password::check(pw, repetition);
    let unmet: Vec<Criterion> =
        check.unmet().into_iter().filter(|c| *c != Criterion::RepetitionMatches).collect();
    if !unmet.is_empty() {
        return Err(PasswordProblem::Criteria);
    }
    if is_common(pw) {
        return Err(PasswordProblem::Common);
    }
    if email.is_some_and(|e| contains_email_name(pw, e)) {
        return Err(PasswordProblem::ContainsEmail);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn email(s: &str) -> EmailAddress {
        EmailAddress::parse(s).expect("valid address")
    }

    #[test]
    fn the_list_is_large_enough() {
        assert!(common_password_count() >= 10_000, "{}", common_password_count());
    }

    #[test]
    fn common_passwords_and_their_decorations_are_refused() {
        for pw in ["password", "Password123!", "Passwort2024!", "Sommer2025!!", "Qwerty123456!", "!!Dragon12345"] {
            assert!(is_common(pw), "{pw} should count as common");
        }
        for pw in ["Abcdefghijk1!", "Test1234!Test", "Jobcenter#Berlin7", "Kx9!vTq2#mLp"] {
            assert!(!is_common(pw), "{pw} should not count as common");
        }
    }

    #[test]
    fn the_email_name_is_refused() {
        let e = email("max.mustermann@example.org");
        assert!(contains_email_name("Max.Mustermann1!", &e));
        assert!(contains_email_name("Mustermann#2025x", &e));
        assert!(!contains_email_name("Abcdefghijk1!", &e));
        // Very short name parts are ignored.
        assert!(!contains_email_name("Abcdefghijk1!", &email("ab@example.org")));
    }

    #[test]
    fn evaluate_reports_the_first_problem() {
        let e = email("erika@example.org");
        assert_eq!(evaluate("", "", Some(&e)), Err(PasswordProblem::Empty));
        assert_eq!(evaluate("kurz", "kurz", Some(&e)), Err(PasswordProblem::Criteria));
        assert_eq!(evaluate("Password123!", "", Some(&e)), Err(PasswordProblem::Common));
        assert_eq!(evaluate("Erika#Mustermann1", "", Some(&e)), Err(PasswordProblem::ContainsEmail));
        assert_eq!(evaluate("Abcdefghijk1!", "anything", Some(&e)), Ok(()));
    }

    fn password_like() -> impl Strategy<Value = String> {
        // Mostly allowed characters, sometimes others, lengths around the limits.
        let ch = prop_oneof![
            8 => proptest::char::ranges(vec!['a'..='z', 'A'..='Z', '0'..='9'].into()),
            3 => proptest::sample::select(password::SPECIAL_CHARS.chars().collect::<Vec<_>>()),
            1 => proptest::sample::select(vec!['ä', '€', ' ', '\t', '😀', 'ß', '<', '\'']),
        ];
        proptest::collection::vec(ch, 0..140).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        // 2,000 by default; `PROPTEST_CASES` (bench/fuzz.sh: 100,000) sets more.
        #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)))]

        /// The browser's checklist and the server never disagree: the server accepts a
        /// password only if every checklist item is ticked, and whenever an item is
        /// open the server refuses it for not meeting the criteria.
        #[test]
        fn checklist_and_server_agree(pw in password_like(), same in any::<bool>()) {
            let repetition = if same { pw.clone() } else { format!("{pw}x") };
            let checklist = password::check(&pw, &repetition);
            let verdict = evaluate(&pw, &repetition, None);
            let criteria_met = Criterion::ALL
                .iter()
                .filter(|c| **c != Criterion::RepetitionMatches)
                .all(|c| checklist.is_met(*c));
            if verdict.is_ok() {
                prop_assert!(criteria_met);
            }
            if !criteria_met {
                prop_assert!(matches!(verdict, Err(PasswordProblem::Criteria) | Err(PasswordProblem::Empty)));
            }
            if criteria_met {
                prop_assert!(!matches!(verdict, Err(PasswordProblem::Criteria) | Err(PasswordProblem::Empty)));
            }
            prop_assert_eq!(checklist.is_met(Criterion::RepetitionMatches), same && !pw.is_empty());
        }
    }
}
