//! The results of the changes on "Sicherheit" (`/konto/sicherheit`): one type, used by
//! the backend service that makes the change, the server functions and the page.

use serde::{Deserialize, Serialize};

use super::registration::{PasswordProblem, RepetitionProblem};

/// The result of a change on the security page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeOutcome {
    /// Done.
    Done,
    /// Done; new recovery codes to show once.
    NewRecoveryCodes(Vec<String>),
    /// Confirm your identity first (nothing changed).
    ReauthenticationRequired,
    /// Not found.
    NotFound,
    /// The last second factor cannot be removed.
    LastFactor,
    /// The current password was wrong.
    WrongPassword,
    /// The new password was refused.
    InvalidPassword {
        /// Password problem.
        password: Option<PasswordProblem>,
        /// Repetition problem.
        repetition: Option<RepetitionProblem>,
    },
}
