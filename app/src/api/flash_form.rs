//! The forms whose result survives the redirect of a plain (no-JavaScript) form post
//! ([`super::flash`]): one name per form, written by its server function (or file route)
//! and read by its page — a typo is a compile error, and `app/tests/architecture.rs`
//! checks that every form is both written and read.

/// A form that keeps its result across the redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashForm {
    /// "Barriere melden" on the accessibility statement.
    AccessibilityFeedback,
    /// The citizen's message or evidence (`POST /postfach/senden`).
    CitizenSend,
    /// Confirming the address with the registration link.
    ConfirmEmail,
    /// Asking to change the e-mail address.
    EmailChange,
    /// Confirming the new address with its link.
    EmailChangeConfirm,
    /// The mobile number steps on `/profil`.
    ProfileMobile,
    /// A communication option switched on `/profil`.
    ProfileOption,
    /// A fresh proof of identity (security, e-mail and privacy pages).
    Reauthenticate,
    /// "Freischaltcode eingeben".
    RedeemCode,
    /// "Registrieren".
    Register,
    /// A new confirmation link.
    Resend,
    /// Setting a new password with the reset link.
    Reset,
    /// "Zugangsdaten vergessen?": asking for a reset link.
    ResetRequest,
    /// The second step of signing in.
    SecondFactor,
    /// The changes on `/konto/sicherheit` except the password.
    Security,
    /// Changing the password on `/konto/sicherheit`.
    SecurityPassword,
    /// "Anmelden".
    SignIn,
    /// An appointment made or cancelled on the client page.
    StaffAppointment,
    /// A new client record.
    StaffCreateClient,
    /// Issuing an activation code (and its letter).
    StaffIssueCode,
    /// Revoking an activation code.
    StaffRevokeCode,
    /// A document or message sent from the client page (`POST /intern/kunden/{id}/senden`).
    StaffSend,
    /// Setting up the authenticator app.
    TotpSetup,
    /// Withdrawing the e-mail consent (closing the account).
    Withdraw,
}

impl FlashForm {
    /// The key in the flash cookie.
    pub const fn key(self) -> &'static str {
        match self {
            FlashForm::AccessibilityFeedback => "accessibility-feedback",
            FlashForm::CitizenSend => "citizen-send",
            FlashForm::ConfirmEmail => "confirm-email",
            FlashForm::EmailChange => "email-change",
            FlashForm::EmailChangeConfirm => "email-change-confirm",
            FlashForm::ProfileMobile => "profile-mobile",
            FlashForm::ProfileOption => "profile-option",
            FlashForm::Reauthenticate => "reauthenticate",
            FlashForm::RedeemCode => "redeem-code",
            FlashForm::Register => "register",
            FlashForm::Resend => "resend",
            FlashForm::Reset => "reset",
            FlashForm::ResetRequest => "reset-request",
            FlashForm::SecondFactor => "second-factor",
            FlashForm::Security => "security",
            FlashForm::SecurityPassword => "security-password",
            FlashForm::SignIn => "sign-in",
            FlashForm::StaffAppointment => "staff-appointment",
            FlashForm::StaffCreateClient => "staff-create-client",
            FlashForm::StaffIssueCode => "staff-issue-code",
            FlashForm::StaffRevokeCode => "staff-revoke-code",
            FlashForm::StaffSend => "staff-send",
            FlashForm::TotpSetup => "totp-setup",
            FlashForm::Withdraw => "withdraw",
        }
    }
}
