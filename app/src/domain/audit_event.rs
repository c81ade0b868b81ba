//! The kinds of entries in the security log ("Sicherheitsereignisse"): written by the
//! backend (`backend::audit`), shown to the account on `/konto/sicherheit`. The stored
//! name of each kind is stable.

use serde::{Deserialize, Serialize};

/// Kinds of security events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
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
    /// Every kind, in the order above.
    pub const ALL: [AuditEvent; 43] = [
        AuditEvent::Registered,
        AuditEvent::RegistrationForExistingAddress,
        AuditEvent::EmailConfirmed,
        AuditEvent::PasswordAccepted,
        AuditEvent::SignedIn,
        AuditEvent::SecondFactorFailed,
        AuditEvent::RecoveryCodeUsed,
        AuditEvent::PasskeyAdded,
        AuditEvent::PasskeyRenamed,
        AuditEvent::PasskeyRemoved,
        AuditEvent::TotpEnabled,
        AuditEvent::TotpRemoved,
        AuditEvent::RecoveryCodesRenewed,
        AuditEvent::PasswordChanged,
        AuditEvent::SessionEnded,
        AuditEvent::OtherSessionsEnded,
        AuditEvent::Reauthenticated,
        AuditEvent::SignInFailed,
        AuditEvent::AccountLocked,
        AuditEvent::SignedOut,
        AuditEvent::PasswordResetRequested,
        AuditEvent::PasswordReset,
        AuditEvent::ConsentWithdrawn,
        AuditEvent::ActivationCodeIssued,
        AuditEvent::ActivationCodeRevoked,
        AuditEvent::ActivationCodeRedeemed,
        AuditEvent::ActivationCodeRejected,
        AuditEvent::CommunicationOptionChanged,
        AuditEvent::MobileCodeSent,
        AuditEvent::MobileConfirmed,
        AuditEvent::MobileCodeRejected,
        AuditEvent::MobileRemoved,
        AuditEvent::EmailChangeRequested,
        AuditEvent::EmailChanged,
        AuditEvent::PostboxItemSent,
        AuditEvent::PostboxMessageReceived,
        AuditEvent::SignInRefused,
        AuditEvent::PasswordCheckFailed,
        AuditEvent::PasswordCheckRefused,
        AuditEvent::SecondFactorRefused,
        AuditEvent::ActivationCodeRefused,
        AuditEvent::MailCapped,
        AuditEvent::MobileCodeCapped,
    ];

    /// The kind of a stored name; `None` for a name this version does not know (a log
    /// written by another version).
    pub fn parse(name: &str) -> Option<AuditEvent> {
        Some(match name {
            "registered" => AuditEvent::Registered,
            "registration_existing_address" => AuditEvent::RegistrationForExistingAddress,
            "email_confirmed" => AuditEvent::EmailConfirmed,
            "password_accepted" => AuditEvent::PasswordAccepted,
            "signed_in" => AuditEvent::SignedIn,
            "second_factor_failed" => AuditEvent::SecondFactorFailed,
            "recovery_code_used" => AuditEvent::RecoveryCodeUsed,
            "passkey_added" => AuditEvent::PasskeyAdded,
            "passkey_renamed" => AuditEvent::PasskeyRenamed,
            "passkey_removed" => AuditEvent::PasskeyRemoved,
            "totp_enabled" => AuditEvent::TotpEnabled,
            "totp_removed" => AuditEvent::TotpRemoved,
            "recovery_codes_renewed" => AuditEvent::RecoveryCodesRenewed,
            "password_changed" => AuditEvent::PasswordChanged,
            "session_ended" => AuditEvent::SessionEnded,
            "other_sessions_ended" => AuditEvent::OtherSessionsEnded,
            "reauthenticated" => AuditEvent::Reauthenticated,
            "sign_in_failed" => AuditEvent::SignInFailed,
            "account_locked" => AuditEvent::AccountLocked,
            "signed_out" => AuditEvent::SignedOut,
            "password_reset_requested" => AuditEvent::PasswordResetRequested,
            "password_reset" => AuditEvent::PasswordReset,
            "consent_withdrawn" => AuditEvent::ConsentWithdrawn,
            "activation_code_issued" => AuditEvent::ActivationCodeIssued,
            "activation_code_revoked" => AuditEvent::ActivationCodeRevoked,
            "activation_code_redeemed" => AuditEvent::ActivationCodeRedeemed,
            "activation_code_rejected" => AuditEvent::ActivationCodeRejected,
            "communication_option_changed" => AuditEvent::CommunicationOptionChanged,
            "mobile_code_sent" => AuditEvent::MobileCodeSent,
            "mobile_confirmed" => AuditEvent::MobileConfirmed,
            "mobile_code_rejected" => AuditEvent::MobileCodeRejected,
            "mobile_removed" => AuditEvent::MobileRemoved,
            "email_change_requested" => AuditEvent::EmailChangeRequested,
            "email_changed" => AuditEvent::EmailChanged,
            "postbox_item_sent" => AuditEvent::PostboxItemSent,
            "postbox_message_received" => AuditEvent::PostboxMessageReceived,
            "sign_in_refused" => AuditEvent::SignInRefused,
            "password_check_failed" => AuditEvent::PasswordCheckFailed,
            "password_check_refused" => AuditEvent::PasswordCheckRefused,
            "second_factor_refused" => AuditEvent::SecondFactorRefused,
            "activation_code_refused" => AuditEvent::ActivationCodeRefused,
            "mail_capped" => AuditEvent::MailCapped,
            "mobile_code_capped" => AuditEvent::MobileCodeCapped,
            _ => return None,
        })
    }

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

/// On the wire an event is its stable name (`"signed_in"`), as in the log.
impl From<AuditEvent> for &'static str {
    fn from(event: AuditEvent) -> Self {
        event.as_str()
    }
}

impl TryFrom<String> for AuditEvent {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        AuditEvent::parse(&name).ok_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_stable_name() {
        let names: std::collections::BTreeSet<&str> = AuditEvent::ALL.iter().map(|e| e.as_str()).collect();
        assert_eq!(names.len(), AuditEvent::ALL.len(), "names are unique");
        for event in AuditEvent::ALL {
            assert_eq!(AuditEvent::parse(event.as_str()), Some(event));
        }
        assert_eq!(AuditEvent::parse("from_a_newer_version"), None);
    }
}
