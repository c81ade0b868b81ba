//! Changes on the security page ("Sicherheit"): passkeys, the authenticator app,
//! recovery codes, the password and sessions. Every change needs a proof of identity
//! from the last ten minutes, never removes the last second factor, is logged and is
//! announced to the owner by e-mail.

use super::{
    accounts,
    audit::{self, AuditEvent},
    auth::AuthError,
    mfa::{self, passkeys, recovery, totp},
    password_policy,
    request::Requester,
    second_factor::{self, Notice},
    sessions::{self, Session},
    AppState,
};
use crate::domain::{
    email::EmailAddress,
    registration::{self, PasswordProblem, RepetitionProblem},
};

/// A change the user asks for.
#[derive(Debug, Clone)]
pub enum Change {
    /// Give a passkey a new name.
    RenamePasskey {
        /// Passkey id.
        id: i64,
        /// New name.
        name: String,
    },
    /// Remove a passkey.
    RemovePasskey {
        /// Passkey id.
        id: i64,
    },
    /// Remove the authenticator app.
    RemoveTotp,
    /// Make new recovery codes (the old ones become void).
    RenewRecoveryCodes,
    /// Change the password.
    ChangePassword {
        /// The current password.
        current: String,
        /// The new password.
        new: String,
        /// Its repetition.
        repetition: String,
    },
    /// End one session.
    EndSession {
        /// Session id.
        id: i64,
    },
    /// End every session but this one.
    EndOtherSessions,
}

/// The result of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Done,
    /// Done; show these new recovery codes once.
    NewRecoveryCodes(Vec<String>),
    /// The identity must be confirmed again first (nothing changed).
    ReauthenticationRequired,
    /// Not the user's (or no longer there).
    NotFound,
    /// It is the last second factor and cannot be removed.
    LastFactor,
    /// The current password was wrong.
    WrongPassword,
    /// The new password was refused.
    InvalidPassword {
        /// Password problem.
        password: Option<PasswordProblem>,
        /// Repetition problem.
        repetition: Option<RepetitionProblem>,
    },
}

/// Longest passkey name.
pub const MAX_NAME: usize = 60;

/// Applies a change for the session's account.
pub async fn apply(state: &AppState, session: &Session, change: Change, requester: &Requester) -> Result<Outcome, AuthError> {
    let now = state.clock.now();
    // Ending sessions protects the user; it needs no fresh proof of identity.
    let needs_proof = !matches!(change, Change::EndSession { .. } | Change::EndOtherSessions);
    if needs_proof && !second_factor::recently_verified(session, now) {
        return Ok(Outcome::ReauthenticationRequired);
    }
    let account_id = session.account_id;
    let Some(account) = accounts::find_by_id(&state.db, account_id).await? else { return Ok(Outcome::NotFound) };
    let (event, notice, outcome) = match change {
        Change::RenamePasskey { id, name } => {
            let name: String = name.trim().chars().take(MAX_NAME).collect();
            if name.is_empty() || !passkeys::rename(&state.db, account_id, id, &name).await? {
                return Ok(Outcome::NotFound);
            }
            (AuditEvent::PasskeyRenamed, Notice::PasskeyRenamed, Outcome::Done)
        }
        Change::RemovePasskey { id } => {
            if mfa::factors(&state.db, account_id).await?.count() <= 1 {
                return Ok(Outcome::LastFactor);
            }
            if !passkeys::remove(&state.db, account_id, id).await? {
                return Ok(Outcome::NotFound);
            }
            (AuditEvent::PasskeyRemoved, Notice::PasskeyRemoved, Outcome::Done)
        }
        Change::RemoveTotp => {
            let factors = mfa::factors(&state.db, account_id).await?;
            if !factors.totp {
                return Ok(Outcome::NotFound);
            }
            if factors.count() <= 1 {
                return Ok(Outcome::LastFactor);
            }
            totp::remove(&state.db, account_id).await?;
            (AuditEvent::TotpRemoved, Notice::TotpRemoved, Outcome::Done)
        }
        Change::RenewRecoveryCodes => {
            let mut tx = state.db.pool().begin().await?;
            let codes = recovery::replace_all(&mut tx, account_id, &state.secret, now).await?;
            tx.commit().await?;
            (AuditEvent::RecoveryCodesRenewed, Notice::RecoveryCodesRenewed, Outcome::NewRecoveryCodes(codes))
        }
        Change::ChangePassword { current, new, repetition } => {
            if !state.hasher.verify(&current, Some(&account.password_hash)).await.matches {
                return Ok(Outcome::WrongPassword);
            }
            let email = EmailAddress::parse(&account.email).ok();
            let password = password_policy::evaluate(&new, &repetition, email.as_ref()).err();
            let repetition_problem = registration::repetition_problem(&new, &repetition);
            if password.is_some() || repetition_problem.is_some() {
                return Ok(Outcome::InvalidPassword { password, repetition: repetition_problem });
            }
            let hash = state.hasher.hash(&new).await?;
            accounts::set_password_hash(state.db.pool(), account_id, &hash, now).await?;
            // Other devices signed in with the old password are signed out.
            sessions::delete_others(&state.db, account_id, session.id).await?;
            (AuditEvent::PasswordChanged, Notice::PasswordChanged, Outcome::Done)
        }
        Change::EndSession { id } => {
            if id == session.id || !sessions::delete_for_account(&state.db, account_id, id).await? {
                return Ok(Outcome::NotFound);
            }
            (AuditEvent::SessionEnded, Notice::SessionsEnded, Outcome::Done)
        }
        Change::EndOtherSessions => {
            sessions::delete_others(&state.db, account_id, session.id).await?;
            (AuditEvent::OtherSessionsEnded, Notice::SessionsEnded, Outcome::Done)
        }
    };
    audit::record(state.db.pool(), now, Some(account_id), event, requester).await?;
    second_factor::notify(state, &account, notice, now).await?;
    Ok(outcome)
}
