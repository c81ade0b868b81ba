//! The append-only security log: sign-ins, failures, locks, password changes and
//! other events, with time, account, source address and browser. Never holds
//! passwords, codes or tokens. Owns the `audit_log` table.

use sqlx::{Any, Executor, Row};

use super::{request::Requester, store::StoreError};

/// Kinds of security events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditEvent {
    /// A new account was registered.
    Registered,
    /// Someone tried to register an address that already has an account.
    RegistrationForExistingAddress,
    /// The e-mail address was confirmed.
    EmailConfirmed,
    /// The password was right (the second factor follows).
    PasswordAccepted,
    /// Fully signed in (after the second factor, or with a passkey).
    SignedIn,
    /// A wrong second factor.
    SecondFactorFailed,
    /// A recovery code was used.
    RecoveryCodeUsed,
    /// A passkey was added.
    PasskeyAdded,
    /// A passkey was renamed.
    PasskeyRenamed,
    /// A passkey was removed.
    PasskeyRemoved,
    /// An authenticator app was set up (or replaced).
    TotpEnabled,
    /// The authenticator app was removed.
    TotpRemoved,
    /// New recovery codes were made (the old ones are void).
    RecoveryCodesRenewed,
    /// The password was changed while signed in.
    PasswordChanged,
    /// One session was ended from the security page.
    SessionEnded,
    /// All other sessions were ended.
    OtherSessionsEnded,
    /// Identity confirmed again for a sensitive change.
    Reauthenticated,
    /// Failed sign-in (wrong password, unknown address, locked).
    SignInFailed,
    /// The account was temporarily locked after repeated failures.
    AccountLocked,
    /// Signed out.
    SignedOut,
    /// A password-reset link was requested.
    PasswordResetRequested,
    /// The password was reset with an e-mail link.
    PasswordReset,
    /// The consent to the use of the e-mail address was withdrawn (account closed).
    ConsentWithdrawn,
    /// Staff issued an activation code (the account is the staff member's).
    ActivationCodeIssued,
    /// Staff revoked an activation code.
    ActivationCodeRevoked,
    /// A citizen unlocked their profile with an activation code.
    ActivationCodeRedeemed,
    /// A wrong, expired, used or revoked activation code was entered.
    ActivationCodeRejected,
    /// A communication option was switched on or off.
    CommunicationOptionChanged,
    /// A code to confirm a mobile number was sent by SMS.
    MobileCodeSent,
    /// A mobile number for SMS was confirmed.
    MobileConfirmed,
    /// A wrong or expired SMS code was entered.
    MobileCodeRejected,
    /// The mobile number for SMS was removed.
    MobileRemoved,
    /// A change of the e-mail address was requested (link sent to the new address).
    EmailChangeRequested,
    /// The e-mail address was changed.
    EmailChanged,
    /// Staff sent a document or message to a client.
    PostboxItemSent,
    /// A citizen sent a message or evidence.
    PostboxMessageReceived,
    /// A sign-in was refused without checking the password: too many attempts for the
    /// account or from the source address.
    SignInRefused,
    /// A wrong current password on the security, e-mail or privacy page.
    PasswordCheckFailed,
    /// A password check outside sign-in refused without checking (too many attempts).
    PasswordCheckRefused,
    /// A second-factor code refused without checking (too many attempts).
    SecondFactorRefused,
    /// An activation code refused without checking (too many attempts).
    ActivationCodeRefused,
    /// A confirmation, reset or notice mail was not sent: the address or the source
    /// address asked for too many in the last hour (the visitor saw the usual answer).
    MailCapped,
    /// No SMS code was sent: three were sent to the profile in the last hour.
    MobileCodeCapped,
}

impl AuditEvent {
    /// Stable name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::Registered => "registered",
            AuditEvent::RegistrationForExistingAddress => "registration_existing_address",
            AuditEvent::EmailConfirmed => "email_confirmed",
            AuditEvent::PasswordAccepted => "password_accepted",
            AuditEvent::SignedIn => "signed_in",
            AuditEvent::SecondFactorFailed => "second_factor_failed",
            AuditEvent::RecoveryCodeUsed => "recovery_code_used",
            AuditEvent::PasskeyAdded => "passkey_added",
            AuditEvent::PasskeyRenamed => "passkey_renamed",
            AuditEvent::PasskeyRemoved => "passkey_removed",
            AuditEvent::TotpEnabled => "totp_enabled",
            AuditEvent::TotpRemoved => "totp_removed",
            AuditEvent::RecoveryCodesRenewed => "recovery_codes_renewed",
            AuditEvent::PasswordChanged => "password_changed",
            AuditEvent::SessionEnded => "session_ended",
            AuditEvent::OtherSessionsEnded => "other_sessions_ended",
            AuditEvent::Reauthenticated => "reauthenticated",
            AuditEvent::SignInFailed => "sign_in_failed",
            AuditEvent::AccountLocked => "account_locked",
            AuditEvent::SignedOut => "signed_out",
            AuditEvent::PasswordResetRequested => "password_reset_requested",
            AuditEvent::PasswordReset => "password_reset",
            AuditEvent::ConsentWithdrawn => "consent_withdrawn",
            AuditEvent::ActivationCodeIssued => "activation_code_issued",
            AuditEvent::ActivationCodeRevoked => "activation_code_revoked",
            AuditEvent::ActivationCodeRedeemed => "activation_code_redeemed",
            AuditEvent::ActivationCodeRejected => "activation_code_rejected",
            AuditEvent::CommunicationOptionChanged => "communication_option_changed",
            AuditEvent::MobileCodeSent => "mobile_code_sent",
            AuditEvent::MobileConfirmed => "mobile_confirmed",
            AuditEvent::MobileCodeRejected => "mobile_code_rejected",
            AuditEvent::MobileRemoved => "mobile_removed",
            AuditEvent::EmailChangeRequested => "email_change_requested",
            AuditEvent::EmailChanged => "email_changed",
            AuditEvent::PostboxItemSent => "postbox_item_sent",
            AuditEvent::PostboxMessageReceived => "postbox_message_received",
            AuditEvent::SignInRefused => "sign_in_refused",
            AuditEvent::PasswordCheckFailed => "password_check_failed",
            AuditEvent::PasswordCheckRefused => "password_check_refused",
            AuditEvent::SecondFactorRefused => "second_factor_refused",
            AuditEvent::ActivationCodeRefused => "activation_code_refused",
            AuditEvent::MailCapped => "mail_capped",
            AuditEvent::MobileCodeCapped => "mobile_code_capped",
        }
    }
}

/// One entry of the log as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// Account concerned, if known.
    pub account_id: Option<i64>,
    /// Event name.
    pub event: String,
    /// Source address.
    pub ip: String,
    /// Browser.
    pub user_agent: String,
}

/// Appends an event.
pub async fn record<'e, E>(
    executor: E,
    now: i64,
    account_id: Option<i64>,
    event: AuditEvent,
    requester: &Requester,
) -> Result<(), StoreError>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (at, account_id, event, ip, user_agent) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now)
    .bind(account_id)
    .bind(event.as_str())
    .bind(&requester.ip)
    .bind(&requester.user_agent)
    .execute(executor)
    .await?;
    Ok(())
}

/// The newest `limit` events of an account, newest first.
pub async fn for_account(
    db: &super::Db,
    account_id: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT at, account_id, event, ip, user_agent FROM audit_log \
         WHERE account_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                at: row.try_get("at")?,
                account_id: row.try_get("account_id")?,
                event: row.try_get("event")?,
                ip: row.try_get("ip")?,
                user_agent: row.try_get("user_agent")?,
            })
        })
        .collect()
}
