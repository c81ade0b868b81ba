//! Feedback on barriers ("Rückmeldung zur Barrierefreiheit"): what a visitor may send
//! from the accessibility statement. Checked in the browser and again on the server.

use serde::{Deserialize, Serialize};

use super::email::EmailAddress;

/// Longest message.
pub const MAX_MESSAGE: usize = 5_000;
/// Longest page address or name.
pub const MAX_SHORT: usize = 300;
/// Feedback one source address may send per hour (enough for a household or an office
/// behind one address; stops a flood).
pub const PER_HOUR: i64 = 20;

/// What the visitor entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackInput {
    /// The barrier, in the visitor's words (required).
    pub message: String,
    /// Where it occurred (optional).
    pub page: String,
    /// Name (optional).
    pub name: String,
    /// Address for an answer (optional, checked if given).
    pub email: String,
}

/// What is wrong with the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackProblem {
    /// No message.
    MessageMissing,
    /// Message longer than [`MAX_MESSAGE`].
    MessageTooLong,
    /// Page or name longer than [`MAX_SHORT`].
    TooLong,
    /// An answer address was given but is not an e-mail address.
    Email,
}

/// Checks `input`; empty when it may be stored.
pub fn check(input: &FeedbackInput) -> Vec<FeedbackProblem> {
    let mut problems = Vec::new();
    let message = input.message.trim();
    if !super::text::has_visible(message) {
        problems.push(FeedbackProblem::MessageMissing);
    } else if message.chars().count() > MAX_MESSAGE {
        problems.push(FeedbackProblem::MessageTooLong);
    }
    if input.page.trim().chars().count() > MAX_SHORT || input.name.trim().chars().count() > MAX_SHORT {
        problems.push(FeedbackProblem::TooLong);
    }
    if !input.email.trim().is_empty() && EmailAddress::parse(&input.email).is_err() {
        problems.push(FeedbackProblem::Email);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(message: &str, email: &str) -> FeedbackInput {
        FeedbackInput { message: message.to_owned(), email: email.to_owned(), ..FeedbackInput::default() }
    }

    #[test]
    fn a_message_is_enough() {
        assert!(check(&input("Der Kontrast der Schaltfläche ist zu gering.", "")).is_empty());
    }

    #[test]
    fn names_each_problem() {
        assert_eq!(check(&input("   ", "")), vec![FeedbackProblem::MessageMissing]);
        assert_eq!(check(&input("Text", "keine-adresse")), vec![FeedbackProblem::Email]);
        assert_eq!(check(&input(&"x".repeat(MAX_MESSAGE + 1), "")), vec![FeedbackProblem::MessageTooLong]);
        let long_page = FeedbackInput { page: "p".repeat(MAX_SHORT + 1), ..input("Text", "") };
        assert_eq!(check(&long_page), vec![FeedbackProblem::TooLong]);
        assert!(check(&input("Text", "erika@example.org")).is_empty());
    }

    proptest! {
        #[test]
        fn any_non_blank_message_up_to_the_limit_is_accepted(message in "[a-zA-ZäöüÄÖÜß .,!?0-9]{1,400}") {
            prop_assume!(!message.trim().is_empty());
            prop_assert!(check(&input(&message, "")).is_empty());
        }
    }
}
