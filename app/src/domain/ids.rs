//! The database ids of the things the portal keeps, one type each, so that a call such
//! as `appointments::cancel(db, client, appointment, now)` cannot be written with the
//! ids swapped. On the wire and in the database each is the plain integer
//! (`#[serde(transparent)]`; the store binds and reads them as `BIGINT`).
//!
//! Swapped ids do not compile:
//!
//! ```compile_fail
//! use app::domain::ids::{AppointmentId, ClientId};
//! fn cancel(client: ClientId, appointment: AppointmentId) {}
//! cancel(AppointmentId(7), ClientId(3));
//! ```
//!
//! ```
//! use app::domain::ids::{AppointmentId, ClientId};
//! fn cancel(client: ClientId, appointment: AppointmentId) {}
//! cancel(ClientId(3), AppointmentId(7));
//! assert_eq!("42".parse::<ClientId>(), Ok(ClientId(42)));
//! ```

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The integer the database holds.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// Parses the decimal id in a path such as `/postfach/42`.
        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }
    )*};
}

ids! {
    /// A sign-in account ("Konto"): a citizen's or a staff member's.
    AccountId;
    /// A client: the job centre's record of a person ("Kundendaten").
    ClientId;
    /// A citizen's job-centre profile: the link between an account and a client.
    ProfileId;
    /// A job centre.
    JobCentreId;
    /// An appointment ("Termin").
    AppointmentId;
    /// A document or message in the postbox ("Leistungspostfach").
    PostboxItemId;
}
