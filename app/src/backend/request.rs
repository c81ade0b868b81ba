//! Who is asking: the source address and browser of a request (recorded with security
//! events and sessions) and, if signed in, the session.

/// Facts about the current request's origin (never trusted for authorization).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requester {
    /// Source IP address (from the connection, or `X-Forwarded-For` behind a trusted proxy).
    pub ip: String,
    /// The `User-Agent` header, shortened.
    pub user_agent: String,
}

impl Requester {
    /// Builds a requester, cutting the user agent to a sane length.
    pub fn new(ip: impl Into<String>, user_agent: &str) -> Requester {
        Requester { ip: ip.into(), user_agent: user_agent.chars().take(300).collect() }
    }
}

/// What the HTTP layer found out about a request before the page or server function
/// runs: its origin and the valid session, if any.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// Origin of the request.
    pub requester: Requester,
    /// The signed-in session.
    pub session: Option<super::sessions::Session>,
    /// The language negotiated for this request (used for new accounts' mails).
    pub language: crate::domain::language::Language,
    /// For a session still at the password stage: whether the account already has a
    /// second factor (to give) or not (to set up).
    pub has_second_factor: bool,
}
