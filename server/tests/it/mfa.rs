//! Mandatory multi-factor authentication on SQLite and PostgreSQL: the gate on every
//! route and server function, TOTP window and replay, attempt limits, recovery codes,
//! WebAuthn ceremony state, last-factor protection, the re-authentication window and
//! the security page's changes.

use reqwest::StatusCode;
use serde_json::json;
use crate::support::{Backend, TestApp, PASSWORD};

on_both_databases!(
    without_a_factor_only_the_set_up_is_reachable,
    with_a_factor_only_the_second_step_is_reachable,
    totp_accepts_one_step_either_side_and_never_a_replay,
    wrong_codes_are_limited,
    recovery_codes_work_once_and_the_owner_is_told,
    ceremony_state_is_single_use_and_bound,
    the_last_second_factor_cannot_be_removed,
    changes_need_a_recent_proof_of_identity,
    password_change_and_sessions,
    other_accounts_objects_are_out_of_reach,
);

/// Signs in with the password only; returns the cookie of the half-signed-in session.
async fn password_only(app: &TestApp, address: &str) -> (String, String) {
    let answer = app.call("auth/sign-in", &[("email", address), ("password", PASSWORD)], None).await;
    let next = answer.json["SignedIn"]["next"].as_str().expect("signed in").to_owned();
    (format!("session={}", answer.cookie("session").expect("cookie")), next)
}

const PAGES: [&str; 9] = ["/", "/konto", "/konto/sicherheit", "/konto/datenschutz", "/anmelden", "/anmelden/passkey", "/registrieren", "/passwort-vergessen", "/gibt-es-nicht"];
const FULL_ONLY_FUNCTIONS: [&str; 10] = [
    "auth/my-consents",
    "auth/withdraw-consent",
    "security/overview",
    "security/rename-passkey",
    "security/remove-passkey",
    "security/remove-totp",
    "security/renew-recovery-codes",
    "security/change-password",
    "security/end-session",
    "security/end-other-sessions",
];

async fn without_a_factor_only_the_set_up_is_reachable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("neu").await;
    let (cookie, next) = password_only(&app, &address).await;
    assert_eq!(next, "/mfa/einrichten");
    for page in PAGES {
        let answer = app.page(page, Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(answer.location.as_deref(), Some("/mfa/einrichten"), "{page}");
    }
    for page in ["/mfa/einrichten", "/mfa/einrichten/totp", "/mfa/einrichten/passkey", "/hilfe/passkey", "/impressum"] {
        assert_eq!(app.page(page, Some(&cookie)).await.status, StatusCode::OK, "{page}");
    }
    let setup = app.page("/mfa/einrichten", Some(&cookie)).await;
    assert!(setup.body.contains("zwingend erforderlich"));
    assert!(setup.body.contains("role=\"img\" aria-label=\"QR-Code zur Hilfeseite: ") && setup.body.contains("<svg aria-hidden=\"true\""), "QR codes as named inline SVG");
    assert!(setup.body.contains("/hilfe/passkey") && setup.body.contains("/hilfe/totp"), "links written out");
    for function in FULL_ONLY_FUNCTIONS {
        let answer = app.call(function, &[("id", "1"), ("name", "x"), ("password", PASSWORD)], Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{function}");
        assert_eq!(answer.json, json!("SecondFactorRequired"), "{function}");
    }
    assert_eq!(app.call("mfa/status", &[], Some(&cookie)).await.status, StatusCode::OK);
    // Signing out stays possible.
    assert_eq!(app.call("auth/sign-out", &[], Some(&cookie)).await.status, StatusCode::OK);
    app.stop().await;
}

async fn with_a_factor_only_the_second_step_is_reachable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("zweiter").await;
    app.full_sign_in(&address, PASSWORD).await;
    let (cookie, next) = password_only(&app, &address).await;
    assert_eq!(next, "/anmelden/zweiter-faktor");
    for page in PAGES.iter().chain(["/mfa/einrichten", "/mfa/einrichten/totp"].iter()) {
        let answer = app.page(page, Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(answer.location.as_deref(), Some("/anmelden/zweiter-faktor"), "{page}");
    }
    assert_eq!(app.page("/anmelden/zweiter-faktor", Some(&cookie)).await.status, StatusCode::OK);
    for function in FULL_ONLY_FUNCTIONS {
        assert_eq!(app.call(function, &[("id", "1")], Some(&cookie)).await.status, StatusCode::FORBIDDEN, "{function}");
    }
    // A password alone must not add a factor to an account that has one.
    for function in ["mfa/totp-start", "mfa/totp-confirm", "mfa/passkey-register-start"] {
        let answer = app.call(function, &[("code", "123456")], Some(&cookie)).await;
        assert_ne!(answer.status, StatusCode::OK, "{function}: {}", answer.body);
        assert!(answer.body.contains("SecondFactorRequired"), "{function}: {}", answer.body);
    }
    app.stop().await;
}

async fn totp_accepts_one_step_either_side_and_never_a_replay(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("takt").await;
    app.full_sign_in(&address, PASSWORD).await;
    let secret = app.totp_secrets.lock().expect("lock").get(&address).cloned().expect("secret");
    let owned = app;
    let app = &owned;
    let code_at = |offset: i64| app::backend::mfa::totp::code_at(&secret, app.clock.now() + offset).expect("code");
    let second_factor = |cookie: String, code: String| async move {
        app.call("mfa/second-factor", &[("method", "totp"), ("code", &code)], Some(&cookie)).await
    };
    app.clock.advance(120);
    // One step late is fine.
    let (cookie, _) = password_only(app, &address).await;
    let late = code_at(-30);
    assert!(second_factor(cookie.clone(), late.clone()).await.json["SignedIn"].is_object());
    // The same code again: a replay.
    let (cookie, _) = password_only(app, &address).await;
    assert_eq!(second_factor(cookie.clone(), late).await.json, json!("Wrong"));
    // Two steps away is too far, either way.
    assert_eq!(second_factor(cookie.clone(), code_at(-60)).await.json, json!("Wrong"));
    assert_eq!(second_factor(cookie.clone(), code_at(60)).await.json, json!("Wrong"));
    // One step early is fine (the clock of the phone may be ahead).
    assert!(second_factor(cookie, code_at(30)).await.json["SignedIn"].is_object());
    // Not a number, wrong length.
    let (cookie, _) = password_only(app, &address).await;
    assert_eq!(second_factor(cookie.clone(), "12345".into()).await.json, json!("Wrong"));
    assert_eq!(second_factor(cookie, "abcdef".into()).await.json, json!("Wrong"));
    owned.stop().await;
}

async fn wrong_codes_are_limited(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("LOGIN_LOCK_AFTER", "4")]).await;
    let address = app.registered("rater").await;
    app.full_sign_in(&address, PASSWORD).await;
    let (cookie, _) = password_only(&app, &address).await;
    for _ in 0..4 {
        let answer = app.call("mfa/second-factor", &[("method", "totp"), ("code", "000000")], Some(&cookie)).await;
        assert_eq!(answer.json, json!("Wrong"));
    }
    // Locked: the right code is refused too, and the owner is told.
    let code = app.next_totp_code(&address);
    assert_eq!(app.call("mfa/second-factor", &[("method", "totp"), ("code", &code)], Some(&cookie)).await.json, json!("Wrong"));
    let notice = app.smtp.wait_for(&address, 3).await;
    assert_eq!(notice.subject(), "Ihr Konto wurde vorübergehend gesperrt");
    app.clock.advance(15 * 60);
    let code = app.next_totp_code(&address);
    assert!(app.call("mfa/second-factor", &[("method", "totp"), ("code", &code)], Some(&cookie)).await.json["SignedIn"].is_object());
    app.stop().await;
}

async fn recovery_codes_work_once_and_the_owner_is_told(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("codes").await;
    let (cookie, _) = password_only(&app, &address).await;
    let setup = app.call("mfa/totp-start", &[], Some(&cookie)).await;
    let secret: String = setup.json["secret_grouped"].as_str().expect("secret").split_whitespace().collect();
    app.totp_secrets.lock().expect("lock").insert(address.clone(), secret);
    let code = app.next_totp_code(&address);
    let done = app.call("mfa/totp-confirm", &[("code", &code)], Some(&cookie)).await;
    let codes: Vec<String> = done.json["Done"]["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("str").to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(done.json["Done"]["next"], "/konto");
    // Stored hashed: the database never holds a code.
    let rows = sqlx::query("SELECT code_hash FROM recovery_codes").fetch_all(app.state.db.pool()).await.expect("rows");
    assert_eq!(rows.len(), 10);
    for row in rows {
        let hash: String = sqlx::Row::try_get(&row, "code_hash").expect("hash");
        assert!(codes.iter().all(|c| !hash.contains(&c.replace('-', ""))));
    }
    let (cookie, _) = password_only(&app, &address).await;
    let typed = codes[0].to_lowercase().replace('-', " ");
    let used = app.call("mfa/second-factor", &[("method", "recovery"), ("code", &typed)], Some(&cookie)).await;
    assert_eq!(used.json["SignedIn"]["recovery_left"], 9, "{}", used.body);
    let (cookie, _) = password_only(&app, &address).await;
    assert_eq!(app.call("mfa/second-factor", &[("method", "recovery"), ("code", &codes[0])], Some(&cookie)).await.json, json!("Wrong"));
    let mut notified = false;
    for _ in 0..100 {
        if app.smtp.to(&address).iter().any(|m| m.text().contains("Wiederherstellungscode verwendet")) {
            notified = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(notified, "the owner is told a recovery code was used");
    app.stop().await;
}

async fn ceremony_state_is_single_use_and_bound(backend: Backend) {
    use app::backend::mfa::ceremonies::{self, Binding, Kind};
    let app = TestApp::spawn(backend).await;
    let db = &app.state.db;
    let now = app.clock.now();
    let mine = Binding::Session(1);
    let theirs = Binding::Session(2);
    ceremonies::store(db, &mine, None, Kind::Register, "state", now).await.expect("store");
    assert_eq!(ceremonies::take(db, &theirs, Kind::Register, now).await.expect("take"), None, "another session");
    assert_eq!(ceremonies::take(db, &mine, Kind::Authenticate, now).await.expect("take"), None, "another kind");
    assert_eq!(ceremonies::take(db, &mine, Kind::Register, now).await.expect("take").as_deref(), Some("state"));
    assert_eq!(ceremonies::take(db, &mine, Kind::Register, now).await.expect("take"), None, "no replay");
    ceremonies::store(db, &Binding::Browser("cookie-a".into()), None, Kind::Authenticate, "s2", now).await.expect("store");
    assert_eq!(ceremonies::take(db, &Binding::Browser("cookie-b".into()), Kind::Authenticate, now).await.expect("take"), None);
    assert_eq!(
        ceremonies::take(db, &Binding::Browser("cookie-a".into()), Kind::Authenticate, now + ceremonies::LIFETIME + 1).await.expect("take"),
        None,
        "expired"
    );
    // Through the API: finishing a passkey sign-in without a ceremony of this browser fails.
    let address = app.registered("zeremonie").await;
    let (cookie, _) = password_only(&app, &address).await;
    app.call("mfa/passkey-register-start", &[], Some(&cookie)).await;
    let (other, _) = password_only(&app, &address).await;
    let forged = json!({"response": {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "extensions": {},
        "response": {"attestationObject": "AAAA", "clientDataJSON": "AAAA"}}, "name": "x"});
    let answer = app
        .client
        .post(app.url("/api/mfa/passkey-register-finish"))
        .header("origin", &app.base_url)
        .header("cookie", &other)
        .json(&forged)
        .send()
        .await
        .expect("post");
    assert_eq!(answer.text().await.expect("body"), "\"PasskeyRefused\"");
    app.stop().await;
}

async fn the_last_second_factor_cannot_be_removed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("letzter").await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    assert_eq!(app.call("security/remove-totp", &[], Some(&cookie)).await.json, json!("LastFactor"));
    assert_eq!(app.call("security/remove-passkey", &[("id", "99")], Some(&cookie)).await.json, json!("LastFactor"));
    let overview = app.call("security/overview", &[], Some(&cookie)).await;
    assert!(overview.json["totp_since"].is_i64(), "still set up: {}", overview.body);
    app.stop().await;
}

async fn changes_need_a_recent_proof_of_identity(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("frisch").await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    // Fresh from signing in: allowed.
    assert!(app.call("security/renew-recovery-codes", &[], Some(&cookie)).await.json["NewRecoveryCodes"].is_array());
    let before = app.smtp.to(&address).len();
    // Eleven minutes later (active meanwhile, so the session is alive): not without a proof.
    for _ in 0..11 {
        app.clock.advance(60);
        app.page("/konto", Some(&cookie)).await;
    }
    assert_eq!(app.call("security/renew-recovery-codes", &[], Some(&cookie)).await.json, json!("ReauthenticationRequired"));
    assert_eq!(app.call("security/overview", &[], Some(&cookie)).await.json["needs_reauthentication"], true);
    assert_eq!(app.call("mfa/totp-start", &[], Some(&cookie)).await.body, "\"ReauthenticationRequired\"");
    assert_eq!(app.call("mfa/reauthenticate", &[("method", "totp"), ("code", "000000")], Some(&cookie)).await.json, json!("Wrong"));
    let code = app.next_totp_code(&address);
    assert!(app.call("mfa/reauthenticate", &[("method", "totp"), ("code", &code)], Some(&cookie)).await.json["SignedIn"].is_object());
    assert!(app.call("security/renew-recovery-codes", &[], Some(&cookie)).await.json["NewRecoveryCodes"].is_array());
    // Every change sends a notice.
    let notice = app.smtp.wait_for(&address, before + 1).await;
    assert_eq!(notice.subject(), "Ihre Sicherheitseinstellungen wurden geändert");
    app.stop().await;
}

async fn password_change_and_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("geraete").await;
    let phone = app.full_sign_in(&address, PASSWORD).await;
    let laptop = app.full_sign_in(&address, PASSWORD).await;
    let tablet = app.full_sign_in(&address, PASSWORD).await;
    let overview = app.call("security/overview", &[], Some(&tablet)).await;
    let sessions = overview.json["sessions"].as_array().expect("sessions").clone();
    assert_eq!(sessions.len(), 3);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let events = overview.json["events"].as_array().expect("events");
    assert!(events.iter().any(|e| e["event"] == "signed_in") && events.iter().any(|e| e["event"] == "totp_enabled"));
    // End one other session.
    let other = sessions.iter().find(|s| s["current"] == false).expect("other")["id"].as_i64().expect("id");
    assert_eq!(app.call("security/end-session", &[("id", &other.to_string())], Some(&tablet)).await.json, json!("Done"));
    let phone_ok = app.page("/konto", Some(&phone)).await.status == StatusCode::OK;
    let laptop_ok = app.page("/konto", Some(&laptop)).await.status == StatusCode::OK;
    assert!(phone_ok != laptop_ok, "exactly one of the other devices was signed out");
    let remaining = app.call("security/overview", &[], Some(&tablet)).await.json["sessions"].as_array().expect("sessions").len();
    assert_eq!(remaining, 2);
    // Change the password: wrong current password, weak new one, then right.
    let wrong = app.call("security/change-password", &[("current", "Falsch#Passwort1"), ("password", "Neu#Sicher2026x"), ("password_repeat", "Neu#Sicher2026x")], Some(&tablet)).await;
    assert_eq!(wrong.json, json!("WrongPassword"));
    let weak = app.call("security/change-password", &[("current", PASSWORD), ("password", "Password123!"), ("password_repeat", "Password123!")], Some(&tablet)).await;
    assert_eq!(weak.json, json!({"InvalidPassword": {"password": "Common", "repetition": null}}));
    let done = app.call("security/change-password", &[("current", PASSWORD), ("password", "Neu#Sicher2026x"), ("password_repeat", "Neu#Sicher2026x")], Some(&tablet)).await;
    assert_eq!(done.json, json!("Done"));
    let after = app.call("security/overview", &[], Some(&tablet)).await.json["sessions"].as_array().expect("sessions").len();
    assert_eq!(after, 1, "other devices are signed out after a password change");
    assert_eq!(app.page("/konto", Some(&phone)).await.status, StatusCode::SEE_OTHER);
    app.full_sign_in(&address, "Neu#Sicher2026x").await;
    // End all others.
    assert_eq!(app.call("security/end-other-sessions", &[], Some(&tablet)).await.json, json!("Done"));
    assert_eq!(app.call("security/overview", &[], Some(&tablet)).await.json["sessions"].as_array().expect("sessions").len(), 1);
    app.stop().await;
}

async fn other_accounts_objects_are_out_of_reach(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.registered("alice").await;
    let bob = app.registered("bob").await;
    let alice_cookie = app.full_sign_in(&alice, PASSWORD).await;
    let bob_cookie = app.full_sign_in(&bob, PASSWORD).await;
    let bob_sessions = app.call("security/overview", &[], Some(&bob_cookie)).await.json["sessions"].clone();
    let bob_session = bob_sessions[0]["id"].as_i64().expect("id");
    // Alice cannot end Bob's session or touch his passkeys.
    assert_eq!(app.call("security/end-session", &[("id", &bob_session.to_string())], Some(&alice_cookie)).await.json, json!("NotFound"));
    assert_eq!(app.page("/konto", Some(&bob_cookie)).await.status, StatusCode::OK);
    assert_eq!(app.call("security/rename-passkey", &[("id", "1"), ("name", "gehackt")], Some(&alice_cookie)).await.json, json!("NotFound"));
    // Anonymous callers get nothing.
    assert_eq!(app.call("security/overview", &[], None).await.json, json!("NotSignedIn"));
    app.stop().await;
}
