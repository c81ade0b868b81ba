//! Who is asking: the source address and browser of a request (recorded with security
//! events and sessions).

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
