//! Changing the e-mail address of an account: asked for with the current password,
//! confirmed with a link sent to the new address (so nobody can move an account to an
//! address they do not own). The old address is told twice — when the change is asked
//! for and when it is done — so a hijacked account is noticed. Whether the new address
//! already has an account is never shown on screen; that address gets a mail instead.

use crate::domain::routes;
use super::{
    accounts,
    audit::{self, AuditEvent},
    auth::{self, AuthError},
    mail::templates,
    notices,
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
    /// The password was wrong (or too many attempts); nothing was sent.
    WrongPassword,
    /// The new address is the current one.
    SameAddress,
    /// The identity must be confirmed again first (at most ten minutes old).
    ReauthenticationRequired,
}

/// Asks for a change to `new_email`: needs a recent proof of identity and the current
/// password (checked under the sign-in limits); the link goes to the new address, a
/// notice to the old one, in one transaction. Mails to the new address count towards its
/// hourly cap like every mail sent on request.
pub async fn request(
    state: &AppState,
    session: &Session,
    new_email: &EmailAddress,
    password: &str,
    requester: &Requester,
) -> Result<RequestOutcome, AuthError> {
    if !session.recently_verified(state.clock.now()) {
        return Ok(RequestOutcome::ReauthenticationRequired);
    }
    let Some(account) = accounts::find_by_id(&state.db, session.account_id).await? else {
        return Ok(RequestOutcome::WrongPassword);
    };
    if !auth::check_current_password(state, &account, password, requester).await? {
        return Ok(RequestOutcome::WrongPassword);
    }
    if new_email.as_str() == account.email {
        return Ok(RequestOutcome::SameAddress);
    }
    let now = state.clock.now();
    let portal = &state.settings.portal_name;
    let taken = accounts::find_by_email(&state.db, new_email).await?.is_some();
    let capped = !auth::reserve_mail(state, Some(new_email.as_str()), Some(account.id), requester).await?;
    let mut tx = state.db.begin().await?;
    // Parallel requests issue one after the other: each voids the earlier link.
    accounts::begin_security_change(&mut tx, account.id).await?;
    let notice = templates::email_change_notice(account.language, &account.email, portal, new_email.as_str(), false, &notices::reset_page(state));
    outbox::enqueue(&mut tx, &notice, now).await?;
    if capped {
        // Nothing to the new address this hour; the screen says the same as always.
    } else if taken {
        outbox::enqueue(&mut tx, &templates::new_email_taken(account.language, new_email.as_str(), portal), now).await?;
    } else {
        let token = tokens::issue_email_change(&mut tx, account.id, new_email.as_str(), now).await?;
        let link = auth::link(state, routes::CONFIRM_EMAIL_CHANGE, &token);
        outbox::enqueue(&mut tx, &templates::confirm_new_email(account.language, new_email.as_str(), portal, &link), now).await?;
    }
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

/// Whether a change link can still be used, without using it (for the page the link
/// opens: mail scanners fetch links, only the button press confirms).
pub async fn check(state: &AppState, token: &str) -> Result<Result<(), TokenProblem>, AuthError> {
    Ok(tokens::status(&state.db, token, TokenPurpose::ChangeEmail, state.clock.now()).await?.map(|_| ()))
}

/// Uses the link from the mail to the new address; returns the new address. One
/// transaction: the link is used, the address changed, every other outstanding link of
/// the account voided (they were sent to the old address, or name another new one), the
/// old address told.
pub async fn confirm(state: &AppState, token: &str, requester: &Requester) -> Result<Result<String, ConfirmProblem>, AuthError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some((account_id, new_email)) = tokens::consume_email_change(&mut *tx, token, now).await? else {
        tx.rollback().await?;
        let problem = auth::token_problem(state, token, TokenPurpose::ChangeEmail).await?;
        return Ok(Err(ConfirmProblem::Link(problem)));
    };
    let Some(account) = accounts::find_by_id(&state.db, account_id).await? else {
        tx.rollback().await?;
        return Ok(Err(ConfirmProblem::Link(TokenProblem::Unknown)));
    };
    accounts::begin_security_change(&mut tx, account_id).await?;
    if !accounts::set_email(&mut tx, account_id, &new_email, now).await? {
        tx.rollback().await?;
        return Ok(Err(ConfirmProblem::Taken));
    }
    tokens::void(&mut tx, account_id, &TokenPurpose::ALL, now).await?;
    let notice =
        templates::email_change_notice(account.language, &account.email, &state.settings.portal_name, &new_email, true, &notices::reset_page(state));
    outbox::enqueue(&mut tx, &notice, now).await?;
    audit::record(&mut *tx, now, Some(account_id), AuditEvent::EmailChanged, requester).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Ok(new_email))
}
