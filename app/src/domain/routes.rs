//! Every path of the portal, named once: the pages (the flyer's German paths), the file
//! routes and the operational endpoints. Links, redirects, mail links and access rules
//! use these names; the page router (`ui/mod.rs`, whose `path!` macro needs literals)
//! and the file routes are checked against them by the architecture test
//! `every_path_is_named_once`.

use super::ids::{AppointmentId, ClientId, PostboxItemId};

/// Start page.
pub const HOME: &str = "/";
/// "Anmelden".
pub const SIGN_IN: &str = "/anmelden";
/// Sign-in with a passkey.
pub const SIGN_IN_PASSKEY: &str = "/anmelden/passkey";
/// The second step of the sign-in.
pub const SECOND_FACTOR: &str = "/anmelden/zweiter-faktor";
/// "Registrieren".
pub const REGISTER: &str = "/registrieren";
/// The page the confirmation link opens.
pub const CONFIRM_EMAIL: &str = "/registrieren/bestaetigen";
/// "Neuen Bestätigungslink anfordern".
pub const RESEND_CONFIRMATION: &str = "/registrieren/link-anfordern";
/// "Zugangsdaten vergessen?".
pub const FORGOT_PASSWORD: &str = "/passwort-vergessen";
/// The page the reset link opens.
pub const RESET_PASSWORD: &str = "/passwort-vergessen/neu";
/// "Mein Konto".
pub const ACCOUNT: &str = "/konto";
/// Consents and closing the account.
pub const ACCOUNT_PRIVACY: &str = "/konto/datenschutz";
/// Security settings: factors, sessions, the security log.
pub const SECURITY: &str = "/konto/sicherheit";
/// Changing the e-mail address.
pub const EMAIL_CHANGE: &str = "/konto/e-mail";
/// The page the link to a new address opens.
pub const CONFIRM_EMAIL_CHANGE: &str = "/e-mail-aendern/bestaetigen";
/// Choosing the second factor ("Mehr-Faktor-Authentifizierung einrichten").
pub const MFA_SETUP: &str = "/mfa/einrichten";
/// Setting up an authenticator app.
pub const MFA_SETUP_TOTP: &str = "/mfa/einrichten/totp";
/// Setting up a passkey.
pub const MFA_SETUP_PASSKEY: &str = "/mfa/einrichten/passkey";
/// The job-centre profile ("Ihre Daten", "Kommunikationsoptionen").
pub const PROFILE: &str = "/profil";
/// "Profil anlegen": what unlocking needs.
pub const NEW_PROFILE: &str = "/profil/anlegen";
/// "Freischaltcode eingeben".
pub const ACTIVATION: &str = "/freischalten";
/// The Leistungspostfach.
pub const POSTBOX: &str = "/postfach";
/// Writing a message or sending evidence.
pub const POSTBOX_WRITE: &str = "/postfach/schreiben";
/// "Termine".
pub const APPOINTMENTS: &str = "/termine";
/// The staff desk.
pub const DESK: &str = "/intern";
/// "Neue Kundin / neuer Kunde".
pub const NEW_CLIENT: &str = "/intern/kunden/neu";
/// The print queue ("Postversand").
pub const PRINT_QUEUE: &str = "/intern/postversand";
/// Citizens' messages to the job centre.
pub const STAFF_MESSAGES: &str = "/intern/nachrichten";
/// Feedback on accessibility.
pub const STAFF_FEEDBACK: &str = "/intern/rueckmeldungen";
/// Help index.
pub const HELP: &str = "/hilfe";
/// Help: passkeys.
pub const HELP_PASSKEY: &str = "/hilfe/passkey";
/// Help: authenticator apps.
pub const HELP_TOTP: &str = "/hilfe/totp";
/// Help: recovery codes.
pub const HELP_RECOVERY: &str = "/hilfe/wiederherstellungscodes";
/// Help: the activation code.
pub const HELP_ACTIVATION: &str = "/hilfe/freischaltcode";
/// Help: installing the portal as an app.
pub const HELP_APP: &str = "/hilfe/app";
/// "Impressum".
pub const IMPRINT: &str = "/impressum";
/// "Datenschutz".
pub const PRIVACY: &str = "/datenschutz";
/// "Nutzungsbedingungen".
pub const TERMS: &str = "/nutzungsbedingungen";
/// "Erklärung zur Barrierefreiheit".
pub const ACCESSIBILITY: &str = "/barrierefreiheit";
/// "Leichte Sprache".
pub const EASY_LANGUAGE: &str = "/leichte-sprache";
/// Shown by the service worker when offline.
pub const OFFLINE: &str = "/offline";
/// Mails and SMS caught in development mode.
pub const DEV_MAILS: &str = "/dev/mails";
/// Switches the language (`?lang=de|en&zurueck=<path>`).
pub const LANGUAGE: &str = "/sprache";
/// The citizen's message form posts here (multipart).
pub const POSTBOX_SEND: &str = "/postfach/senden";
/// The web app manifest.
pub const MANIFEST: &str = "/manifest.webmanifest";
/// The service worker.
pub const SERVICE_WORKER: &str = "/sw.js";
/// Liveness.
pub const HEALTHZ: &str = "/healthz";
/// Readiness (the database answers).
pub const READYZ: &str = "/readyz";

/// The file routes as the HTTP router writes them (`{id}` is the parameter).
pub mod file_routes {
    /// A client's record at the desk.
    pub const CLIENT: &str = "/intern/kunden/{id}";
    /// Staff send a document or message to a client (multipart).
    pub const CLIENT_SEND: &str = "/intern/kunden/{id}/senden";
    /// A postbox item.
    pub const POSTBOX_ITEM: &str = "/postfach/{id}";
    /// The receipt ("Eingangsbestätigung") of a citizen's item.
    pub const RECEIPT: &str = "/postfach/{id}/eingangsbestaetigung";
    /// A conversation at the desk.
    pub const CONVERSATION: &str = "/intern/nachrichten/{id}";
    /// An attached file.
    pub const FILE: &str = "/dateien/{id}";
    /// An appointment as a calendar file.
    pub const CALENDAR: &str = "/kalender/{id}";
}

fn with_id(route: &str, id: impl std::fmt::Display) -> String {
    route.replace("{id}", &id.to_string())
}

/// `/intern/kunden/{id}`.
pub fn client(id: ClientId) -> String {
    with_id(file_routes::CLIENT, id)
}

/// `/intern/kunden/{id}/senden`.
pub fn client_send(id: ClientId) -> String {
    with_id(file_routes::CLIENT_SEND, id)
}

/// `/postfach/{id}`.
pub fn postbox_item(id: PostboxItemId) -> String {
    with_id(file_routes::POSTBOX_ITEM, id)
}

/// `/postfach/{id}/eingangsbestaetigung`.
pub fn receipt(id: PostboxItemId) -> String {
    with_id(file_routes::RECEIPT, id)
}

/// `/intern/nachrichten/{id}`.
pub fn conversation(id: PostboxItemId) -> String {
    with_id(file_routes::CONVERSATION, id)
}

/// `/dateien/{id}` (`id` is the stored file's id).
pub fn file(id: i64) -> String {
    with_id(file_routes::FILE, id)
}

/// `/kalender/{id}`.
pub fn calendar(id: AppointmentId) -> String {
    with_id(file_routes::CALENDAR, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_ids() {
        assert_eq!(client(ClientId(7)), "/intern/kunden/7");
        assert_eq!(receipt(PostboxItemId(3)), "/postfach/3/eingangsbestaetigung");
        assert_eq!(calendar(AppointmentId(12)), "/kalender/12");
    }
}
