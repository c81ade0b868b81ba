//! Changes on the security page ("Sicherheit"): passkeys, the authenticator app,
//! recovery codes, the password and sessions. Every change needs a proof of identity
//! from the last ten minutes (ending sessions excepted: that only protects), is one
//! transaction with its audit entry and its notice mail, and never removes the last
//! second factor — decided inside the removing transaction, after the account's row
//! was locked, so parallel removals of the last two factors leave one.

use super::{
    accounts,
    audit::{self, AuditEvent},
    auth::{self, AuthError},
    mfa::{self, ceremonies, passkeys, recovery, totp},
    notices,
    password_policy,
    request::Requester,
    sessions::{self, Session},
    tokens::{self, TokenPurpose},
    AppState,
};
use crate::domain::{
    security::ChangeOutcome,
    email::EmailAddress,
    registration,
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

/// Longest passkey name.
pub const MAX_NAME: usize = 60;

/// Applies a change for the session's account.
pub async fn apply(state: &AppState, session: &Session, change: Change, requester: &Requester) -> Result<ChangeOutcome, AuthError> {
    let now = state.clock.now();
    // Ending sessions protects the user; it needs no fresh proof of identity.
    let needs_proof = !matches!(change, Change::EndSession { .. } | Change::EndOtherSessions);
    if needs_proof && !session.recently_verified(now) {
        return Ok(ChangeOutcome::ReauthenticationRequired);
    }
    let account_id = session.account_id;
    let Some(account) = accounts::find_by_id(&state.db, account_id).await? else { return Ok(ChangeOutcome::NotFound) };
    // The slow part of a password change comes before the transaction.
    let new_hash = match &change {
        Change::ChangePassword { current, new, repetition } => {
            if !auth::check_current_password(state, &account, current, requester).await? {
                return Ok(ChangeOutcome::WrongPassword);
            }
            let email = EmailAddress::parse(&account.email).ok();
            let password = password_policy::evaluate(new, repetition, email.as_ref()).err();
            let repetition_problem = registration::repetition_problem(new, repetition);
            if password.is_some() || repetition_problem.is_some() {
                return Ok(ChangeOutcome::InvalidPassword { password, repetition: repetition_problem });
            }
            Some(state.hasher.hash(new).await?)
        }
        _ => None,
    };
    let mut tx = state.db.begin().await?;
    if !accounts::begin_security_change(&mut tx, account_id).await? {
        return Ok(ChangeOutcome::NotFound);
    }
    let (event, outcome) = match change {
        Change::RenamePasskey { id, name } => {
            let name: String = crate::domain::text::single_line(&name).chars().take(MAX_NAME).collect();
            if !crate::domain::text::has_visible(&name) || !passkeys::rename(&mut tx, account_id, id, &name).await? {
                return Ok(ChangeOutcome::NotFound);
            }
            (AuditEvent::PasskeyRenamed, ChangeOutcome::Done)
        }
        Change::RemovePasskey { id } => {
            if !passkeys::remove(&mut tx, account_id, id).await? {
                let factors = mfa::factors_in(&mut tx, account_id).await?;
                return Ok(if factors.count() <= 1 { ChangeOutcome::LastFactor } else { ChangeOutcome::NotFound });
            }
            if mfa::factors_in(&mut tx, account_id).await?.count() < 1 {
                return Ok(ChangeOutcome::LastFactor);
            }
            ceremonies::end_for_account(&mut tx, account_id).await?;
            (AuditEvent::PasskeyRemoved, ChangeOutcome::Done)
        }
        Change::RemoveTotp => {
            if !totp::remove(&mut tx, account_id).await? {
                let factors = mfa::factors_in(&mut tx, account_id).await?;
                return Ok(if factors.count() <= 1 { ChangeOutcome::LastFactor } else { ChangeOutcome::NotFound });
            }
            if mfa::factors_in(&mut tx, account_id).await?.count() < 1 {
                return Ok(ChangeOutcome::LastFactor);
            }
            ceremonies::end_for_account(&mut tx, account_id).await?;
            (AuditEvent::TotpRemoved, ChangeOutcome::Done)
        }
        Change::RenewRecoveryCodes => {
            let codes = recovery::replace_all(&mut tx, account_id, &state.secret, now).await?;
            (AuditEvent::RecoveryCodesRenewed, ChangeOutcome::NewRecoveryCodes(codes))
        }
        Change::ChangePassword { .. } => {
            let Some(hash) = new_hash else { return Ok(ChangeOutcome::NotFound) };
            accounts::set_password_hash(&mut *tx, account_id, &hash, now).await?;
            // Whoever knew the old password: signed out, and their links void.
            sessions::delete_others(&mut tx, account_id, session.id).await?;
            tokens::void(&mut tx, account_id, &[TokenPurpose::ResetPassword, TokenPurpose::ChangeEmail], now).await?;
            (AuditEvent::PasswordChanged, ChangeOutcome::Done)
        }
        Change::EndSession { id } => {
            if id == session.id || !sessions::delete_for_account(&mut tx, account_id, id).await? {
                return Ok(ChangeOutcome::NotFound);
            }
            (AuditEvent::SessionEnded, ChangeOutcome::Done)
        }
        Change::EndOtherSessions => {
            sessions::delete_others(&mut tx, account_id, session.id).await?;
            (AuditEvent::OtherSessionsEnded, ChangeOutcome::Done)
        }
    };
    audit::record(&mut *tx, now, Some(account_id), event, requester).await?;
    notices::security_change(&mut tx, state, &account, event, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(outcome)
}
