//! A job centre's public contact details.

use serde::{Deserialize, Serialize};

/// Contact details of a job centre, as shown to the public and printed on its letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCentreContact {
    /// Name, unique, e.g. "Jobcenter Musterstadt".
    pub name: String,
    /// Street and house number.
    pub street: String,
    /// Postcode.
    pub postcode: String,
    /// City.
    pub city: String,
    /// Telephone number for citizens.
    pub phone: String,
    /// E-mail address for citizens.
    pub email: String,
}
