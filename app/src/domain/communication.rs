//! The communication options of a profile ("Kommunikationsoptionen").

use serde::{Deserialize, Serialize};

/// One switch on the profile page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CommunicationOption {
    /// "E-Mail-Benachrichtigung" — "E-Mail bei neuen Mitteilungen".
    EmailNotifications,
    /// "SMS-Benachrichtigung" — "SMS für anstehende Termine" (needs a verified mobile number).
    SmsNotifications,
    /// "Online-Kommunikation" — "Inhalte digital empfangen".
    OnlineCommunication,
}

impl CommunicationOption {
    /// All options in the flyer's order.
    pub const ALL: [CommunicationOption; 3] = [
        CommunicationOption::EmailNotifications,
        CommunicationOption::SmsNotifications,
        CommunicationOption::OnlineCommunication,
    ];

    /// Stable name (storage, form fields, element ids).
    pub fn as_str(self) -> &'static str {
        match self {
            CommunicationOption::EmailNotifications => "email",
            CommunicationOption::SmsNotifications => "sms",
            CommunicationOption::OnlineCommunication => "online",
        }
    }

    /// The option called `name`.
    pub fn parse(name: &str) -> Option<CommunicationOption> {
        CommunicationOption::ALL.into_iter().find(|o| o.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for option in CommunicationOption::ALL {
            assert_eq!(CommunicationOption::parse(option.as_str()), Some(option));
        }
        assert_eq!(CommunicationOption::parse("fax"), None);
    }
}
