//! What the HTTP layer found out about a request before a page or server function
//! runs: where it comes from, its language and its session (if any).

/// What the HTTP layer found out about a request before the page or server function
/// runs: its origin and the valid session, if any.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// Origin of the request.
    pub requester: super::request::Requester,
    /// The signed-in session.
    pub session: Option<super::sessions::Session>,
    /// The language negotiated for this request (used for new accounts' mails).
    pub language: crate::domain::language::Language,
    /// For a session still at the password stage: whether the account already has a
    /// second factor (to give) or not (to set up).
    pub has_second_factor: bool,
    /// The session cookie could not be checked (the database did not answer): the
    /// visitor is neither signed in nor out. Pages render and say the service is not
    /// available (503) instead of sending a signed-in visitor to the sign-in page.
    pub session_unknown: bool,
}
