//! Changing the e-mail address of an account: asked for with the current password,
//! confirmed with a link sent to the new address (so nobody can move an account to an
//! address they do not own). The old address is told twice — when the change is asked
//! for and when it is done — so a hijacked account is noticed. Whether the new address
//! already has an account is never shown on screen; that address gets a mail instead.

use super::{
    accounts,
    audit::{self, AuditEvent},
    auth::{self, AuthError},
    mail::templates,
    outbox,
    request::Requester,
    sessions::Session,
    tokens::{self, TokenProblem, TokenPurpose},
    AppState,
};
use crate::domain::email::EmailAddress;

/// The result of asking for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome {
    /// A link is on its way to the new address (or its owner was told).
    Sent,
    /// The password was wrong; nothing was sent.
    WrongPassword,
    /// The new address is the current one.
    SameAddress,
}

/// Asks for a change to `new_email`.
pub async fn request(
    state: &AppState,
    session: &Session,
    new_email: &EmailAddress,
    password: &str,
    requester: &Requester,
) -> Result<RequestOutcome, AuthError> {
    let Some(account) = accounts::find_by_id(&state.db, session.account_id).await? else {
        return Ok(RequestOutcome::WrongPassword);
    };
    if !state.hasher.verify(password, Some(&account.password_hash)).await.matches {
        return Ok(RequestOutcome::WrongPassword);
    }
    if new_email.as_str() == account.email {
        return Ok(RequestOutcome::SameAddress);
    }
    let now = state.clock.now();
    let portal = &state.settings.portal_name;
    let taken = accounts::find_by_email(&state.db, new_email).await?.is_some();
    let mut tx = state.db.pool().begin().await?;
    if taken {
        outbox::enqueue(&mut tx, &templates::new_email_taken(account.language, new_email.as_str(), portal), now).await?;
    } else {
        let token = tokens::issue_email_change(&mut tx, account.id, new_email.as_str(), now).await?;
        let link = auth::link(state, "/e-mail-aendern/bestaetigen", &token);
        outbox::enqueue(&mut tx, &templates::confirm_new_email(account.language, new_email.as_str(), portal, &link), now).await?;
    }
    let notice = templates::email_change_notice(account.language, &account.email, portal, new_email.as_str(), false, &auth::reset_page(state));
    outbox::enqueue(&mut tx, &notice, now).await?;
    audit::record(&mut *tx, now, Some(account.id), AuditEvent::EmailChangeRequested, requester).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(RequestOutcome::Sent)
}

/// Why the link did not change the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmProblem {
    /// The link cannot be used.
    Link(TokenProblem),
    /// Another account took the address in the meantime.
    Taken,
}

/// Uses the link from the mail to the new address; returns the new address.
pub async fn confirm(state: &AppState, token: &str, requester: &Requester) -> Result<Result<String, ConfirmProblem>, AuthError> {
    let now = state.clock.now();
    let mut tx = state.db.pool().begin().await?;
    let Some((account_id, new_email)) = tokens::consume_email_change(&mut *tx, token, now).await? else {
        tx.rollback().await?;
        let problem = match tokens::status(&state.db, token, TokenPurpose::ChangeEmail, now).await? {
            Err(problem) => problem,
            Ok(_) => TokenProblem::Used,
        };
        return Ok(Err(ConfirmProblem::Link(problem)));
    };
    let Some(account) = accounts::find_by_id(&state.db, account_id).await? else {
        tx.rollback().await?;
        return Ok(Err(ConfirmProblem::Link(TokenProblem::Unknown)));
    };
    let changed = sqlx::query("UPDATE accounts SET email = $1, email_confirmed_at = $2 WHERE id = $3")
        .bind(&new_email)
        .bind(now)
        .bind(account_id)
        .execute(&mut *tx)
        .await;
    match changed {
        Ok(_) => {}
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            tx.rollback().await?;
            return Ok(Err(ConfirmProblem::Taken));
        }
        Err(error) => return Err(error.into()),
    }
    let notice = templates::email_change_notice(account.language, &account.email, &state.settings.portal_name, &new_email, true, &auth::reset_page(state));
    outbox::enqueue(&mut tx, &notice, now).await?;
    audit::record(&mut *tx, now, Some(account_id), AuditEvent::EmailChanged, requester).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Ok(new_email))
}
