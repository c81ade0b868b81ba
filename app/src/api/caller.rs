//! Who is calling: the one door every server function and file route goes through.
//!
//! The request's session (attached by the HTTP layer, see `server/src/http`) is turned
//! into a typed [`Caller`] in one place — [`Caller::resolve`] — and server functions ask
//! it for what they need: [`signed_in`] (any full sign-in), [`staff`] (full sign-in and
//! the staff role) or [`citizen_with_profile`] (full sign-in and an unlocked profile).
//! Each answers with the refusal that says why not ([`ApiError::NotSignedIn`],
//! [`ApiError::SecondFactorRequired`], [`ApiError::StaffOnly`],
//! [`ApiError::ProfileRequired`]), which the HTTP layer turns into 401/403.

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::super::ApiError;
    use crate::domain::ids::AccountId;
    use crate::{
        backend::{
            context::{AccountRole, RequestContext},
            postbox::Reader,
            profiles::Profile,
            sessions::{Session, Stage},
            staff::{self, StaffMember},
            AppState, StoreError,
        },
        domain::access::Role,
    };

    /// The caller of a request, resolved once.
    #[derive(Debug, Clone)]
    pub enum Caller {
        /// No session.
        Anonymous,
        /// Password given; the second factor (or its set-up) is still pending.
        SecondStepPending(Session),
        /// A fully signed-in citizen, with their job-centre profile once it is unlocked.
        Citizen {
            /// The session.
            session: Session,
            /// The unlocked profile, if any.
            profile: Option<Profile>,
        },
        /// A fully signed-in member of a job centre's staff.
        Staff {
            /// The session.
            session: Session,
            /// The staff record (job centre, name).
            member: StaffMember,
        },
    }

    impl Caller {
        /// Resolves the caller of `context`: the session's stage, then (full sign-in
        /// only) whether the account is staff, else its profile.
        ///
        /// # Errors
        /// A failed database read.
        pub async fn resolve(state: &AppState, context: &RequestContext) -> Result<Self, StoreError> {
            if context.session_unknown {
                return Err(StoreError::SessionUnknown);
            }
            let Some(session) = context.session.clone() else { return Ok(Caller::Anonymous) };
            if session.stage != Stage::Full {
                return Ok(Caller::SecondStepPending(session));
            }
            Ok(match context.role(&state.db, session.account_id).await? {
                AccountRole::Staff(member) => Caller::Staff { session, member },
                AccountRole::Citizen(profile) => Caller::Citizen { session, profile },
            })
        }

        /// The full sign-in (citizen or staff).
        ///
        /// # Errors
        /// `NotSignedIn` without a session, `SecondFactorRequired` half-way.
        pub fn signed_in(self) -> Result<Session, ApiError> {
            match self {
                Caller::Citizen { session, .. } | Caller::Staff { session, .. } => Ok(session),
                other => Err(other.refusal()),
            }
        }

        /// The staff member at the desk.
        ///
        /// # Errors
        /// As [`Caller::signed_in`]; `StaffOnly` for a citizen.
        pub fn staff(self) -> Result<(Session, StaffMember), ApiError> {
            match self {
                Caller::Staff { session, member } => Ok((session, member)),
                Caller::Citizen { .. } => Err(ApiError::StaffOnly),
                other => Err(other.refusal()),
            }
        }

        /// The citizen and their unlocked profile.
        ///
        /// # Errors
        /// As [`Caller::signed_in`]; `ProfileRequired` for staff or before unlocking.
        pub fn citizen_with_profile(self) -> Result<(Session, Profile), ApiError> {
            match self {
                Caller::Citizen { session, profile: Some(profile) } => Ok((session, profile)),
                Caller::Citizen { profile: None, .. } | Caller::Staff { .. } => Err(ApiError::ProfileRequired),
                other => Err(other.refusal()),
            }
        }

        /// Who reads postbox receipts and files: staff of their job centre, or the
        /// citizen of their unlocked profile's client.
        pub fn reader(&self) -> Option<Reader> {
            match self {
                Caller::Staff { member, .. } => Some(Reader::Staff { job_centre_id: member.job_centre_id }),
                Caller::Citizen { profile: Some(profile), .. } => Some(Reader::Citizen { client_id: profile.client_id }),
                _ => None,
            }
        }

        /// Why a caller without a full sign-in is refused.
        fn refusal(&self) -> ApiError {
            match self {
                Caller::SecondStepPending(_) => ApiError::SecondFactorRequired,
                _ => ApiError::NotSignedIn,
            }
        }

        /// The role the account signs in to (where it lands, what it may open).
        pub fn role(&self) -> Option<Role> {
            match self {
                Caller::Staff { .. } => Some(Role::Staff),
                Caller::Citizen { .. } => Some(Role::Citizen),
                _ => None,
            }
        }
    }


    /// The caller of the current server-function request.
    ///
    /// # Errors
    /// `Unavailable` when the database cannot be read.
    pub async fn current() -> Result<Caller, ApiError> {
        let state = super::super::state()?;
        Caller::resolve(&state, &super::super::request()).await.map_err(super::super::unavailable)
    }

    /// The session at any stage (the second step and the set-up of a factor).
    ///
    /// # Errors
    /// `NotSignedIn` without a session.
    pub fn session() -> Result<Session, ApiError> {
        super::super::request().session.ok_or(ApiError::NotSignedIn)
    }

    /// The full sign-in of the current request (no database read: the session is
    /// already attached).
    ///
    /// # Errors
    /// `NotSignedIn`, `SecondFactorRequired`.
    pub fn signed_in() -> Result<Session, ApiError> {
        match super::super::request().session {
            None => Err(ApiError::NotSignedIn),
            Some(session) if session.stage == Stage::Full => Ok(session),
            Some(_) => Err(ApiError::SecondFactorRequired),
        }
    }

    /// The staff member calling.
    ///
    /// # Errors
    /// See [`Caller::staff`].
    pub async fn staff() -> Result<StaffMember, ApiError> {
        current().await?.staff().map(|(_, member)| member)
    }

    /// The citizen calling and their unlocked profile.
    ///
    /// # Errors
    /// See [`Caller::citizen_with_profile`].
    pub async fn citizen_with_profile() -> Result<(Session, Profile), ApiError> {
        current().await?.citizen_with_profile()
    }

    /// Where `account_id` lands after signing in ([`crate::domain::access::landing`]).
    pub async fn landing(state: &AppState, account_id: AccountId) -> &'static str {
        let role = match staff::find(&state.db, account_id).await {
            Ok(Some(_)) => Role::Staff,
            _ => Role::Citizen,
        };
        crate::domain::access::landing(role)
    }
}
