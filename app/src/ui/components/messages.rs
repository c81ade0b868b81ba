//! The user-facing wording of validation problems (from the locale files).


use crate::{
    domain::{
        email::EmailError,
        registration::{PasswordProblem, RepetitionProblem},
    },
    ui::translate::*,
};

/// Message for an e-mail address problem.
pub fn email_message(i18n: I18n, error: EmailError) -> String {
    match error {
        EmailError::Empty => t_string!(i18n, errors.email_empty),
        EmailError::Invalid => t_string!(i18n, errors.email_invalid),
        EmailError::TooLong => t_string!(i18n, errors.email_too_long),
        EmailError::NonAsciiLocalPart => t_string!(i18n, errors.email_non_ascii_local),
    }
    .to_string()
}

/// Message for a new-password problem.
pub fn password_message(i18n: I18n, problem: PasswordProblem) -> String {
    match problem {
        PasswordProblem::Empty => t_string!(i18n, errors.password_empty),
        PasswordProblem::Criteria => t_string!(i18n, errors.password_criteria),
        PasswordProblem::Common => t_string!(i18n, errors.password_common),
        PasswordProblem::ContainsEmail => t_string!(i18n, errors.password_contains_email),
    }
    .to_string()
}

/// Message for a repetition problem.
pub fn repetition_message(i18n: I18n, problem: RepetitionProblem) -> String {
    match problem {
        RepetitionProblem::Empty => t_string!(i18n, errors.repetition_empty),
        RepetitionProblem::Mismatch => t_string!(i18n, errors.repetition_mismatch),
    }
    .to_string()
}
