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
    /// What the signed-in account is, read at most once per request: a page asks from
    /// several server functions (header, content), and each used to read it again.
    pub role: std::sync::Arc<tokio::sync::OnceCell<AccountRole>>,
}

/// What a fully signed-in account is: a staff member of a job centre, or a citizen with
/// or without an unlocked profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRole {
    /// Staff (staff accounts have no profile).
    Staff(super::staff::StaffMember),
    /// A citizen, and their profile once unlocked with the activation code.
    Citizen(Option<super::profiles::Profile>),
}

impl RequestContext {
    /// The role of `account_id` (the session's account), read from the database the first
    /// time a request asks.
    ///
    /// # Errors
    /// A failed database read (not remembered: the next call reads again).
    pub async fn role(&self, db: &super::Db, account_id: crate::domain::ids::AccountId) -> Result<AccountRole, super::store::StoreError> {
        self.role
            .get_or_try_init(|| async {
                if let Some(member) = super::staff::find(db, account_id).await? {
                    return Ok(AccountRole::Staff(member));
                }
                Ok(AccountRole::Citizen(super::profiles::find_for_account(db, account_id).await?))
            })
            .await
            .cloned()
    }
}
