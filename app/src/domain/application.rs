//! Applications ("Anträge") behind the activation code — the flyer: "Anträge oder
//! Anfragen stellen, Veränderungen mitteilen, Nachweise bereitstellen" — their kinds and
//! the statuses a submitted one goes through.

use serde::{Deserialize, Serialize};

/// What a citizen applies for or reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationKind {
    /// "Weiterbewilligungsantrag": continued Bürgergeld after the approval period
    /// (SGB II § 37; questions as on the Federal Employment Agency's WBA form).
    ContinuedBenefits,
    /// "Veränderungsmitteilung": a change the citizen must report (SGB I § 60).
    ChangeReport,
}

impl ApplicationKind {
    /// Every kind, in the order the "Anträge" page offers them.
    pub const ALL: [ApplicationKind; 2] = [ApplicationKind::ContinuedBenefits, ApplicationKind::ChangeReport];

    /// The kind's name in paths and the database (ASCII, stable).
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationKind::ContinuedBenefits => "weiterbewilligung",
            ApplicationKind::ChangeReport => "veraenderung",
        }
    }

    /// The kind named `text` ([`ApplicationKind::as_str`]).
    pub fn parse(text: &str) -> Option<ApplicationKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Where a submitted application stands (shown to the citizen and the desk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationStatus {
    /// "eingereicht": sent, nobody has looked at it yet.
    Submitted,
    /// "in Bearbeitung": the desk works on it.
    InProgress,
    /// "Rückfrage": the desk asked the citizen something; the answer comes through the
    /// postbox.
    QueryRaised,
    /// "erledigt": decided or otherwise finished; nothing changes any more.
    Completed,
}

/// Who moves an application from one status to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    /// Staff of the client's job centre.
    Staff,
    /// The citizen, by answering a query.
    Citizen,
}

impl ApplicationStatus {
    /// Every status, in the order of the desk's filter.
    pub const ALL: [ApplicationStatus; 4] =
        [ApplicationStatus::Submitted, ApplicationStatus::InProgress, ApplicationStatus::QueryRaised, ApplicationStatus::Completed];

    /// The status's name in the database and in filters (ASCII, stable).
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::InProgress => "in_progress",
            ApplicationStatus::QueryRaised => "query_raised",
            ApplicationStatus::Completed => "completed",
        }
    }

    /// The status named `text` ([`ApplicationStatus::as_str`]).
    pub fn parse(text: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }

    /// Whether `actor` may move an application from `self` to `next`. The graph: staff
    /// take up a submitted application, raise a query or complete it from any open
    /// status; a query goes back to "in Bearbeitung" when the citizen answers it (or
    /// staff resume without an answer); "erledigt" is final. Staying in the same status
    /// is not a transition.
    pub fn may_become(self, next: ApplicationStatus, actor: Actor) -> bool {
        use ApplicationStatus::*;
        match actor {
            Actor::Staff => matches!(
                (self, next),
                (Submitted, InProgress | QueryRaised | Completed) | (InProgress, QueryRaised | Completed) | (QueryRaised, InProgress | Completed)
            ),
            Actor::Citizen => matches!((self, next), (QueryRaised, InProgress)),
        }
    }

    /// The statuses staff may choose next (for the desk's form).
    pub fn next_for_staff(self) -> Vec<ApplicationStatus> {
        Self::ALL.into_iter().filter(|next| self.may_become(*next, Actor::Staff)).collect()
    }

    /// Whether nothing about the application changes any more.
    pub fn is_final(self) -> bool {
        self == ApplicationStatus::Completed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in ApplicationKind::ALL {
            assert_eq!(ApplicationKind::parse(kind.as_str()), Some(kind));
        }
        for status in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ApplicationStatus::parse("erledigt"), None);
    }

    #[test]
    fn the_status_graph() {
        use ApplicationStatus::*;
        for from in ApplicationStatus::ALL {
            assert!(!from.may_become(from, Actor::Staff), "{from:?} to itself");
            assert!(!from.may_become(Submitted, Actor::Staff), "nothing goes back to submitted");
            assert!(!Completed.may_become(from, Actor::Staff), "completed is final");
            assert!(!Completed.may_become(from, Actor::Citizen), "completed is final");
        }
        assert_eq!(Submitted.next_for_staff(), vec![InProgress, QueryRaised, Completed]);
        assert_eq!(InProgress.next_for_staff(), vec![QueryRaised, Completed]);
        assert_eq!(QueryRaised.next_for_staff(), vec![InProgress, Completed]);
        assert!(Completed.next_for_staff().is_empty());
        let citizen: Vec<_> = ApplicationStatus::ALL
            .into_iter()
            .flat_map(|from| ApplicationStatus::ALL.into_iter().map(move |to| (from, to)))
            .filter(|(from, to)| from.may_become(*to, Actor::Citizen))
            .collect();
        assert_eq!(citizen, vec![(QueryRaised, InProgress)], "a citizen only answers a query");
    }
}
