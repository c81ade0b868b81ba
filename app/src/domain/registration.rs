//! What can be wrong with the registration form, and the checks the browser can make
//! itself. The server repeats them and adds the ones only it can make (common
//! passwords, existing addresses).

use serde::{Deserialize, Serialize};

use super::{
    email::{EmailAddress, EmailError},
    password::{self, Criterion},
};

/// Why a new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordProblem {
    /// Nothing entered.
    Empty,
    /// One or more of the flyer's criteria are not met (the checklist shows which).
    Criteria,
    /// It is, or is built on, a common password.
    Common,
    /// It contains the name part of the e-mail address.
    ContainsEmail,
}

/// Why the repetition was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RepetitionProblem {
    /// Nothing entered.
    Empty,
    /// Differs from the password.
    Mismatch,
}

/// Every problem of a submitted registration form, per field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationProblems {
    /// "E-Mail-Adresse"
    pub email: Option<EmailError>,
    /// "Passwort"
    pub password: Option<PasswordProblem>,
    /// "Passwort wiederholen"
    pub repetition: Option<RepetitionProblem>,
    /// The terms of use were not accepted.
    pub terms_missing: bool,
    /// The consent to the use of the e-mail address was not given.
    pub consent_missing: bool,
}

impl RegistrationProblems {
    /// Whether there is no problem at all.
    pub fn is_empty(&self) -> bool {
        *self == RegistrationProblems::default()
    }
}

/// The registration form as submitted.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm<'a> {
    /// E-mail address as typed.
    pub email: &'a str,
    /// Password.
    pub password: &'a str,
    /// Repetition.
    pub repetition: &'a str,
    /// "Ich habe die Nutzungsbedingungen gelesen und akzeptiere sie."
    pub accept_terms: bool,
    /// "Ich willige ein, dass die E-Mail-Adresse … verarbeitet werden darf."
    pub consent_email: bool,
}

/// The checks of the registration form that need no server: address syntax, the
/// flyer's password criteria, the repetition and both consents.
pub fn validate(form: &RegistrationForm<'_>) -> Result<EmailAddress, RegistrationProblems> {
    let email = EmailAddress::parse(form.email);
    let problems = RegistrationProblems {
        email: email.as_ref().err().copied(),
        password: password_problem(form.password),
        repetition: repetition_problem(form.password, form.repetition),
        terms_missing: !form.accept_terms,
        consent_missing: !form.consent_email,
    };
    match email {
        Ok(email) if problems.is_empty() => Ok(email),
        _ => Err(problems),
    }
}

/// The criteria part of a password check (`None` if all of the flyer's criteria hold).
pub fn password_problem(pw: &str) -> Option<PasswordProblem> {
    if pw.is_empty() {
        return Some(PasswordProblem::Empty);
    }
    let check = password::check(pw, pw);
    Criterion::ALL
        .iter()
        .filter(|c| **c != Criterion::RepetitionMatches)
        .any(|c| !check.is_met(*c))
        .then_some(PasswordProblem::Criteria)
}

/// The repetition part of a password check.
pub fn repetition_problem(pw: &str, repetition: &str) -> Option<RepetitionProblem> {
    if repetition.is_empty() {
        Some(RepetitionProblem::Empty)
    } else if pw != repetition {
        Some(RepetitionProblem::Mismatch)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(email: &'a str, pw: &'a str, rep: &'a str, terms: bool, consent: bool) -> RegistrationForm<'a> {
        RegistrationForm { email, password: pw, repetition: rep, accept_terms: terms, consent_email: consent }
    }

    #[test]
    fn a_complete_form_is_valid() {
        let email = validate(&form("Erika@Example.org", "Abcdefghij1!", "Abcdefghij1!", true, true));
        assert_eq!(email.map(|e| e.to_string()), Ok("erika@example.org".to_owned()));
    }

    #[test]
    fn every_field_reports_its_problem() {
        let problems = validate(&form("", "", "", false, false)).expect_err("invalid");
        assert_eq!(
            problems,
            RegistrationProblems {
                email: Some(EmailError::Empty),
                password: Some(PasswordProblem::Empty),
                repetition: Some(RepetitionProblem::Empty),
                terms_missing: true,
                consent_missing: true,
            }
        );
    }

    #[test]
    fn both_consents_are_required() {
        let only_terms = validate(&form("a@b.de", "Abcdefghij1!", "Abcdefghij1!", true, false));
        assert!(only_terms.expect_err("consent missing").consent_missing);
        let only_consent = validate(&form("a@b.de", "Abcdefghij1!", "Abcdefghij1!", false, true));
        assert!(only_consent.expect_err("terms missing").terms_missing);
    }

    #[test]
    fn weak_and_mismatched_passwords() {
        let p = validate(&form("a@b.de", "abc", "abd", true, true)).expect_err("invalid");
        assert_eq!(p.password, Some(PasswordProblem::Criteria));
        assert_eq!(p.repetition, Some(RepetitionProblem::Mismatch));
        assert_eq!(p.email, None);
    }
}
