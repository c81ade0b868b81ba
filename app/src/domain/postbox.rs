//! The Leistungspostfach's rules: kinds of items, how an item travels (online or by
//! post, decided by the client's Online-Kommunikation when it is sent) and when an
//! online document counts as delivered (deemed notice).

use serde::{Deserialize, Serialize};

use super::ids::PostboxItemId;

use super::upload::FileProblem;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    /// "Bescheid" (an administrative decision).
    Bescheid,
    /// "Schreiben" (a letter).
    Schreiben,
    /// "Nachweis" (evidence, a certificate).
    Nachweis,
    /// "Nachricht" (a message without legal effect).
    Nachricht,
}

impl ItemKind {
    /// Every kind, in the order of the filter.
    pub const ALL: [ItemKind; 4] = [ItemKind::Bescheid, ItemKind::Schreiben, ItemKind::Nachweis, ItemKind::Nachricht];

    /// Stored and URL name.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Bescheid => "bescheid",
            ItemKind::Schreiben => "schreiben",
            ItemKind::Nachweis => "nachweis",
            ItemKind::Nachricht => "nachricht",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Documents (everything but a plain message) come with a PDF.
    pub fn needs_document(self) -> bool {
        self != ItemKind::Nachricht
    }
}

/// How an item reached (or will reach) the citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// Provided in the Leistungspostfach only.
    Online,
    /// Printed and sent by post (the print queue).
    Post,
}

/// Why an item took its channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelReason {
    /// The client had Online-Kommunikation on when it was sent.
    OnlineCommunicationOn,
    /// The client had Online-Kommunikation off.
    OnlineCommunicationOff,
    /// The client has no unlocked profile.
    NoProfile,
    /// The citizen wrote it (it reaches the job centre online).
    SentByCitizen,
}

impl ChannelReason {
    /// The decision at the moment of sending: `has_profile` and the Online-Kommunikation switch.
    pub fn decide(has_profile: bool, online_communication: bool) -> ChannelReason {
        match (has_profile, online_communication) {
            (false, _) => ChannelReason::NoProfile,
            (true, true) => ChannelReason::OnlineCommunicationOn,
            (true, false) => ChannelReason::OnlineCommunicationOff,
        }
    }

    /// Every reason.
    pub const ALL: [ChannelReason; 4] = [
        ChannelReason::OnlineCommunicationOn,
        ChannelReason::OnlineCommunicationOff,
        ChannelReason::NoProfile,
        ChannelReason::SentByCitizen,
    ];

    /// The channel that follows.
    pub fn channel(self) -> Channel {
        match self {
            ChannelReason::OnlineCommunicationOn | ChannelReason::SentByCitizen => Channel::Online,
            ChannelReason::OnlineCommunicationOff | ChannelReason::NoProfile => Channel::Post,
        }
    }

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelReason::OnlineCommunicationOn => "online_on",
            ChannelReason::OnlineCommunicationOff => "online_off",
            ChannelReason::NoProfile => "no_profile",
            ChannelReason::SentByCitizen => "from_citizen",
        }
    }

    /// The reason named `name`.
    pub fn parse(name: &str) -> Option<ChannelReason> {
        ChannelReason::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

impl Channel {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Post => "post",
        }
    }
}

/// Default days after the notification (or, without one, after providing) at which an
/// online document counts as made known (§ 37 Abs. 2a SGB X; configurable).
pub const DEFAULT_DEEMED_NOTICE_DAYS: i64 = 4;

/// When an online item counts as made known: `days` after the notification mail was
/// accepted by the mail server, or after providing it if no notification went out.
pub fn deemed_notice(provided_at: i64, notified_at: Option<i64>, days: i64) -> i64 {
    notified_at.unwrap_or(provided_at) + days * 86_400
}

/// Longest subject.
pub const MAX_SUBJECT: usize = 200;
/// Longest text.
pub const MAX_TEXT: usize = 10_000;

/// What is wrong with an item's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemProblem {
    /// No subject, or longer than [`MAX_SUBJECT`].
    Subject,
    /// Text longer than [`MAX_TEXT`] (or empty for a message).
    Text,
    /// A document kind without its PDF.
    DocumentMissing,
}

/// What a citizen may send: a message, or evidence ("Nachweis hochladen").
pub fn citizen_may_send(kind: ItemKind) -> bool {
    matches!(kind, ItemKind::Nachricht | ItemKind::Nachweis)
}

/// Checks subject and text of a new item of `kind`; `has_file` tells whether a file came.
pub fn check_item(kind: ItemKind, subject: &str, text: &str, has_file: bool) -> Vec<ItemProblem> {
    let mut problems = Vec::new();
    let subject = subject.trim();
    if !super::text::has_visible(subject) || subject.chars().count() > MAX_SUBJECT {
        problems.push(ItemProblem::Subject);
    }
    if text.chars().count() > MAX_TEXT || (kind == ItemKind::Nachricht && !super::text::has_visible(text)) {
        problems.push(ItemProblem::Text);
    }
    if kind.needs_document() && !has_file {
        problems.push(ItemProblem::DocumentMissing);
    }
    problems
}

/// Reply prefixes mail programs and this portal put before a subject ("AW:", "Re:").
const REPLY_PREFIXES: [&str; 3] = ["AW:", "Re:", "RE:"];

/// The subject of a reply to `subject`: `prefix` (the reader's language's "AW:" or
/// "Re:") in front, unless it already starts with a reply prefix.
pub fn reply_subject(subject: &str, prefix: &str) -> String {
    let subject = subject.trim();
    if REPLY_PREFIXES.iter().any(|p| subject.starts_with(p)) {
        subject.to_owned()
    } else {
        format!("{prefix} {subject}")
    }
}

/// A refused item form (staff or citizen): what is wrong and what was typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedItem {
    /// Field problems.
    pub problems: Vec<ItemProblem>,
    /// The file's problem.
    pub file: Option<FileProblem>,
    /// Kind as chosen.
    pub kind: String,
    /// Subject as typed.
    pub subject: String,
    /// Text as typed.
    pub body: String,
}

/// The result of "Senden" on the staff desk (a plain form post with a file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SendOutcome {
    /// Sent by this channel.
    Sent {
        /// Online or post.
        channel: Channel,
    },
    /// Nothing was sent; the form comes back with what was typed.
    Refused(RefusedItem),
}

/// The result of a citizen's "Absenden" (a plain form post with files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CitizenSendOutcome {
    /// Received as item `id` (its page shows the Eingangsbestätigung).
    Received {
        /// The new item.
        id: PostboxItemId,
    },
    /// Nothing was stored; the form comes back with what was typed.
    Refused(RefusedItem),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_prefixes_do_not_stack() {
        assert_eq!(reply_subject("Weiterbewilligung", "AW:"), "AW: Weiterbewilligung");
        assert_eq!(reply_subject("AW: Weiterbewilligung", "Re:"), "AW: Weiterbewilligung");
        assert_eq!(reply_subject("Re: Question", "AW:"), "Re: Question");
    }

    #[test]
    fn the_channel_follows_the_switch_at_sending_time() {
        assert_eq!(ChannelReason::decide(true, true).channel(), Channel::Online);
        assert_eq!(ChannelReason::decide(true, false), ChannelReason::OnlineCommunicationOff);
        assert_eq!(ChannelReason::decide(false, true), ChannelReason::NoProfile);
        assert_eq!(ChannelReason::NoProfile.channel(), Channel::Post);
        for reason in ChannelReason::ALL {
            assert_eq!(ChannelReason::parse(reason.as_str()), Some(reason));
        }
    }

    #[test]
    fn deemed_notice_counts_from_the_notification() {
        assert_eq!(deemed_notice(1_000, Some(2_000), 4), 2_000 + 4 * 86_400);
        assert_eq!(deemed_notice(1_000, None, 3), 1_000 + 3 * 86_400);
    }

    #[test]
    fn items_need_a_subject_and_documents_their_pdf() {
        assert_eq!(check_item(ItemKind::Bescheid, "Bewilligung", "", true), vec![]);
        assert_eq!(check_item(ItemKind::Bescheid, " ", "", false), vec![ItemProblem::Subject, ItemProblem::DocumentMissing]);
        assert_eq!(check_item(ItemKind::Nachricht, "Frage", " ", false), vec![ItemProblem::Text]);
        assert_eq!(check_item(ItemKind::Nachricht, "Frage", "Hallo", false), vec![]);
        assert_eq!(ItemKind::parse("schreiben"), Some(ItemKind::Schreiben));
        assert_eq!(ItemKind::parse("fax"), None);
    }
}
