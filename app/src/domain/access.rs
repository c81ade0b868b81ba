//! Who may open which page and call which server function. The HTTP layer applies
//! these rules before anything renders; server functions check again.
//!
//! Multi-factor authentication is mandatory: after the password, an account without a
//! second factor reaches only the set-up pages, and an account with one only the
//! second-factor step — everything else sends it there (pages) or is refused (server
//! functions). Legal and help pages stay open to everyone.

use super::routes;

/// What is known about the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visitor {
    /// No session.
    Anonymous,
    /// Password given; a second factor must still be set up.
    NeedsEnrolment,
    /// Password given; the second factor must still be given.
    NeedsSecondFactor,
    /// Fully signed in.
    SignedIn,
}

/// What a fully signed-in account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A citizen (their account, profile and postbox).
    Citizen,
    /// A member of a job centre's staff (the desk under `/intern`).
    Staff,
}

/// Where an account lands after signing in (password and second factor, or passkey)
/// when no local `next` page was asked for: the desk for staff, "Mein Konto" for
/// citizens.
pub fn landing(role: Role) -> &'static str {
    match role {
        Role::Staff => routes::DESK,
        Role::Citizen => routes::ACCOUNT,
    }
}

/// The outcome for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Send the browser here instead.
    Redirect(String),
    /// Refuse (server functions).
    Deny,
}

/// The page where second factors are set up.
pub const ENROLMENT_PAGE: &str = routes::MFA_SETUP;
/// The second step of signing in.
pub const SECOND_FACTOR_PAGE: &str = routes::SECOND_FACTOR;

/// Pages (and everything below them) open to everyone at every stage.
/// (The language switch and the installable app's files too: a visitor half-way through
/// signing in may switch the language, and the app's worker and manifest load anywhere.)
const ALWAYS_OPEN: [&str; 12] = [
    routes::IMPRINT,
    routes::PRIVACY,
    routes::ACCESSIBILITY,
    routes::EASY_LANGUAGE,
    routes::TERMS,
    routes::HELP,
    routes::LANGUAGE,
    routes::OFFLINE,
    routes::SERVICE_WORKER,
    routes::MANIFEST,
    "/icons",
    "/favicon.svg",
];
/// Pages (and everything below them) that need a full sign-in.
const SIGNED_IN_ONLY: [&str; 6] = [routes::ACCOUNT, routes::PROFILE, routes::ACTIVATION, routes::DESK, routes::POSTBOX, routes::APPOINTMENTS];
/// Pages only for visitors who are not signed in (or have not finished signing in).
const BEFORE_SIGN_IN: [&str; 4] = [routes::SIGN_IN, routes::SIGN_IN_PASSKEY, routes::REGISTER, routes::FORGOT_PASSWORD];
/// Server functions a half-signed-in visitor may call.
/// (The e-mail change link works by its token alone, like the registration link.)
const API_DURING_SIGN_IN: [&str; 5] =
    ["/api/mfa/", "/api/auth/sign-out", "/api/auth/current-account", "/api/site/", "/api/account/email/confirm"];

fn below(path: &str, prefix: &str) -> bool {
    path == prefix || path.starts_with(&format!("{prefix}/"))
}

/// Where to send a visitor who must sign in first, with the way back.
pub fn sign_in_path(back_to: &str) -> String {
    format!("{}?{}={}", routes::SIGN_IN, super::navigation::NEXT, super::navigation::encode_path(back_to))
}

/// The decision for a page (`GET` of `path`; `path_and_query` for the way back).
pub fn page(path: &str, path_and_query: &str, visitor: Visitor) -> Decision {
    if ALWAYS_OPEN.iter().any(|p| below(path, p)) || path.starts_with("/dev/") {
        return Decision::Allow;
    }
    match visitor {
        Visitor::NeedsEnrolment if below(path, ENROLMENT_PAGE) => Decision::Allow,
        Visitor::NeedsEnrolment => Decision::Redirect(ENROLMENT_PAGE.to_owned()),
        Visitor::NeedsSecondFactor if path == SECOND_FACTOR_PAGE => Decision::Allow,
        Visitor::NeedsSecondFactor => Decision::Redirect(SECOND_FACTOR_PAGE.to_owned()),
        Visitor::Anonymous if SIGNED_IN_ONLY.iter().any(|p| below(path, p)) || below(path, ENROLMENT_PAGE) => {
            Decision::Redirect(sign_in_path(path_and_query))
        }
        Visitor::Anonymous if path == SECOND_FACTOR_PAGE => Decision::Redirect(routes::SIGN_IN.to_owned()),
        Visitor::SignedIn if path == SECOND_FACTOR_PAGE || BEFORE_SIGN_IN.contains(&path) => {
            Decision::Redirect(routes::ACCOUNT.to_owned())
        }
        _ => Decision::Allow,
    }
}

/// The decision for a server function at `path` (`/api/…`). Server functions that
/// need a full sign-in also check it themselves.
pub fn server_function(path: &str, visitor: Visitor) -> Decision {
    match visitor {
        Visitor::NeedsEnrolment | Visitor::NeedsSecondFactor
            if !API_DURING_SIGN_IN.iter().any(|p| path.starts_with(p)) =>
        {
            Decision::Deny
        }
        _ => Decision::Allow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_land_on_the_desk_citizens_on_their_account() {
        assert_eq!(landing(Role::Staff), "/intern");
        assert_eq!(landing(Role::Citizen), "/konto");
    }
    use Decision::*;
    use Visitor::*;

    #[test]
    fn anonymous_visitors_sign_in_first() {
        assert_eq!(page("/konto", "/konto", Anonymous), Redirect("/anmelden?next=/konto".into()));
        assert_eq!(page("/konto/sicherheit", "/konto/sicherheit", Anonymous), Redirect("/anmelden?next=/konto/sicherheit".into()));
        assert_eq!(page("/intern/kunden/1", "/intern/kunden/1", Anonymous), Redirect("/anmelden?next=/intern/kunden/1".into()));
        assert_eq!(
            page("/freischalten", "/freischalten?code=HET2-2X8A-UXAS", Anonymous),
            Redirect("/anmelden?next=/freischalten%3Fcode%3DHET2-2X8A-UXAS".into())
        );
        assert_eq!(page("/profil", "/profil", NeedsEnrolment), Redirect(ENROLMENT_PAGE.into()));
        assert_eq!(page(ENROLMENT_PAGE, ENROLMENT_PAGE, Anonymous), Redirect("/anmelden?next=/mfa/einrichten".into()));
        assert_eq!(page(SECOND_FACTOR_PAGE, SECOND_FACTOR_PAGE, Anonymous), Redirect("/anmelden".into()));
        assert_eq!(page("/", "/", Anonymous), Allow);
        assert_eq!(page("/kontoauszug", "/kontoauszug", Anonymous), Allow);
    }

    #[test]
    fn without_a_second_factor_only_set_up_is_reachable() {
        for path in ["/", "/konto", "/konto/sicherheit", "/anmelden", "/registrieren", "/gibt-es-nicht", SECOND_FACTOR_PAGE] {
            assert_eq!(page(path, path, NeedsEnrolment), Redirect(ENROLMENT_PAGE.into()), "{path}");
        }
        for path in [ENROLMENT_PAGE, "/mfa/einrichten/totp", "/hilfe/passkey", "/impressum", "/datenschutz"] {
            assert_eq!(page(path, path, NeedsEnrolment), Allow, "{path}");
        }
        // The language switch, the offline page and the app's files stay reachable.
        for path in ["/sprache", "/offline", "/sw.js", "/manifest.webmanifest", "/icons/icon-192.png", "/favicon.svg"] {
            for visitor in [NeedsEnrolment, NeedsSecondFactor, Anonymous, SignedIn] {
                assert_eq!(page(path, path, visitor), Allow, "{path} for {visitor:?}");
            }
        }
    }

    #[test]
    fn with_a_second_factor_only_the_second_step_is_reachable() {
        for path in ["/", "/konto", ENROLMENT_PAGE, "/mfa/einrichten/passkey"] {
            assert_eq!(page(path, path, NeedsSecondFactor), Redirect(SECOND_FACTOR_PAGE.into()), "{path}");
        }
        assert_eq!(page(SECOND_FACTOR_PAGE, SECOND_FACTOR_PAGE, NeedsSecondFactor), Allow);
    }

    #[test]
    fn signed_in_visitors_skip_the_sign_in_pages() {
        assert_eq!(page("/anmelden", "/anmelden", SignedIn), Redirect("/konto".into()));
        assert_eq!(page("/anmelden/passkey", "/anmelden/passkey", SignedIn), Redirect("/konto".into()));
        assert_eq!(page("/anmelden/passkey", "/anmelden/passkey", Anonymous), Allow);
        assert_eq!(page(SECOND_FACTOR_PAGE, SECOND_FACTOR_PAGE, SignedIn), Redirect("/konto".into()));
        assert_eq!(page("/konto", "/konto", SignedIn), Allow);
        assert_eq!(page(ENROLMENT_PAGE, ENROLMENT_PAGE, SignedIn), Allow);
    }

    #[test]
    fn half_signed_in_visitors_reach_only_the_sign_in_functions() {
        for visitor in [NeedsEnrolment, NeedsSecondFactor] {
            assert_eq!(server_function("/api/auth/my-consents", visitor), Deny);
            assert_eq!(server_function("/api/security/overview", visitor), Deny);
            assert_eq!(server_function("/api/mfa/totp-start", visitor), Allow);
            assert_eq!(server_function("/api/auth/sign-out", visitor), Allow);
        }
        assert_eq!(server_function("/api/auth/my-consents", SignedIn), Allow);
    }

    #[test]
    fn the_way_back_is_encoded() {
        assert_eq!(sign_in_path("/konto"), "/anmelden?next=/konto");
        assert_eq!(sign_in_path("/konto?x=1&y=2"), "/anmelden?next=/konto%3Fx%3D1%26y%3D2");
    }
}
