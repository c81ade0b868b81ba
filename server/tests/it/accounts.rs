//! Accounts against the real server and a real SMTP server, on SQLite and PostgreSQL:
//! every rule of security.md's Passwords, Tokens, Sign-in and Sessions sections, each
//! with a test that tries to break it.

use app::api::auth::{SignInOutcome, SignInProblem};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use crate::support::{Backend, TestApp};

const PASSWORD: &str = "Kx9!vTq2#mLpW";
const SESSION: &str = "session";

on_both_databases!(
    register_confirm_sign_in_sign_out,
    registration_checks_every_rule_on_the_server,
    registration_does_not_reveal_existing_addresses,
    confirmation_links_are_single_use_even_in_parallel,
    confirmation_links_expire_and_resist_tampering,
    unconfirmed_addresses_cannot_sign_in,
    sign_in_does_not_reveal_accounts,
    repeated_failures_are_delayed_then_locked_and_the_owner_is_told,
    a_source_address_that_guesses_many_accounts_is_locked,
    a_successful_sign_in_gives_its_attempt_back,
    every_sign_in_gets_a_new_session_id,
    sessions_time_out_when_idle_and_absolutely,
    cookies_are_secure_over_https,
    password_reset_works_once_and_ends_every_session,
    password_reset_does_not_reveal_accounts,
    reset_links_expire_after_an_hour,
    passwords_are_hashed_with_argon2id,
    mails_survive_an_smtp_outage_and_a_restart_and_go_out_once,
    a_mail_sent_again_is_the_same_message,
    a_mail_server_that_stops_answering_does_not_stop_the_outbox,
    mails_are_text_and_html_with_only_the_link,
    auth_endpoints_reject_cross_site_requests,
    forms_work_without_javascript,
    consent_is_stored_and_withdrawal_closes_the_account,
    mail_preview_exists_only_in_development,
    refusals_have_their_http_status,
    requests_for_an_unregistered_address_never_block_its_registration,
    the_lock_notice_goes_out_once_an_hour,
);

fn email(name: &str) -> String {
    format!("{name}@example.org")
}

/// Registers and confirms; returns nothing (the account can sign in afterwards).
async fn registered(app: &TestApp, address: &str) {
    let answer = app
        .call(
            "auth/register",
            &[("email", address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
            None,
        )
        .await;
    assert_eq!(answer.json, json!({"Registered": {"email": address}}), "{}", answer.body);
    let n = app.smtp.to(address).len() + 1;
    let mail = app.smtp.wait_for(address, n).await;
    let token = mail.token("/registrieren/bestaetigen").expect("confirmation link");
    let confirmed = app.call("auth/confirm-email", &[("token", &token)], None).await;
    assert_eq!(confirmed.json, json!("Valid"));
}

/// Signs in fully (password and second factor) and returns the `Cookie` header value.
async fn signed_in(app: &TestApp, address: &str, password: &str) -> String {
    app.full_sign_in(address, password).await
}

/// Whether signing in with `password` is refused as wrong credentials (the answer for a
/// wrong password, an unknown address and a locked account alike).
async fn refused_as_wrong(app: &TestApp, address: &str, password: &str) -> bool {
    matches!(app.sign_in(address, password).await, SignInOutcome::Rejected { problem: SignInProblem::WrongCredentials, .. })
}

async fn is_signed_in(app: &TestApp, cookie: &str) -> bool {
    let page = app.page("/konto", Some(cookie)).await;
    match page.status {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => {
            assert!(page.location.as_deref().is_some_and(|l| l.starts_with("/anmelden")), "{:?}", page.location);
            false
        }
        other => panic!("unexpected {other}"),
    }
}

async fn register_confirm_sign_in_sign_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("erika.mustermann");
    let answer = app
        .call(
            "auth/register",
            &[("email", "  Erika.Mustermann@Example.org "), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.json.get("Registered").is_some(), "{}", answer.body);
    let mail = app.smtp.wait_for(&address, 1).await;
    assert_eq!(mail.subject(), "Bitte bestätigen Sie Ihre E-Mail-Adresse");
    let link = mail.link("/registrieren/bestaetigen").expect("link");
    assert!(link.starts_with(&format!("{}/registrieren/bestaetigen?token=", app.base_url)), "{link}");

    // The link's page confirms with its button (pressed by the page itself when the app
    // runs; opening the link alone spends nothing) and shows the second success message.
    let token = mail.token("/registrieren/bestaetigen").expect("token");
    let path = format!("/registrieren/bestaetigen?token={token}");
    let page = app.page(&path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("action=\"/api/auth/confirm-email\""), "{}", page.body);
    let pressed = app.post_form_without_js("auth/confirm-email", &[("token", &token)], &path, None).await;
    let flash = format!("flash={}", pressed.cookie("flash").expect("flash cookie"));
    let page = app.page(&path, Some(&flash)).await;
    assert!(page.body.contains("E-Mail-Adresse bestätigt"), "{}", page.body);

    let cookie = signed_in(&app, &address, PASSWORD).await;
    let account = app.page("/konto", Some(&cookie)).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains(&address), "account page shows the address");
    assert!(account.body.contains("Abmelden"));
    assert!(app.state.db.pool().size() > 0);

    let out = app.call("auth/sign-out", &[], Some(&cookie)).await;
    assert_eq!(out.status, StatusCode::OK);
    let cleared = out.cookie_header(SESSION).expect("cookie cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert!(!is_signed_in(&app, &cookie).await, "the old session is deleted on the server");
    app.stop().await;
}

fn problems(answer: &crate::support::Answer) -> serde_json::Value {
    answer.json["Invalid"]["problems"].clone()
}

async fn registration_checks_every_rule_on_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cases: Vec<(Vec<(&str, &str)>, serde_json::Value)> = vec![
        (vec![("email", ""), ("password", ""), ("password_repeat", "")], json!({"email": "Empty", "password": "Empty", "repetition": "Empty", "terms_missing": true, "consent_missing": true})),
        (vec![("email", "no-at-sign"), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")], json!({"email": "Invalid", "password": null, "repetition": null, "terms_missing": false, "consent_missing": false})),
        (vec![("email", "a@example.org"), ("password", "Kurz1!"), ("password_repeat", "Kurz1!"), ("accept_terms", "on"), ("consent_email", "on")], json!({"email": null, "password": "Criteria", "repetition": null, "terms_missing": false, "consent_missing": false})),
        (vec![("email", "a@example.org"), ("password", "Abcdefghij1ä"), ("password_repeat", "Abcdefghij1ä"), ("accept_terms", "on"), ("consent_email", "on")], json!({"email": null, "password": "Criteria", "repetition": null, "terms_missing": false, "consent_missing": false})),
        (vec![("email", "a@example.org"), ("password", "Password123!"), ("password_repeat", "Password123!"), ("accept_terms", "on"), ("consent_email", "on")], json!({"email": null, "password": "Common", "repetition": null, "terms_missing": false, "consent_missing": false})),
        (vec![("email", "max.mustermann@example.org"), ("password", "Mustermann#2025x"), ("password_repeat", "Mustermann#2025x"), ("accept_terms", "on"), ("consent_email", "on")], json!({"email": null, "password": "ContainsEmail", "repetition": null, "terms_missing": false, "consent_missing": false})),
        (vec![("email", "a@example.org"), ("password", PASSWORD), ("password_repeat", "different"), ("accept_terms", "on"), ("consent_email", "on")], json!({"email": null, "password": null, "repetition": "Mismatch", "terms_missing": false, "consent_missing": false})),
        (vec![("email", "a@example.org"), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on")], json!({"email": null, "password": null, "repetition": null, "terms_missing": false, "consent_missing": true})),
        (vec![("email", "a@example.org"), ("password", PASSWORD), ("password_repeat", PASSWORD), ("consent_email", "on")], json!({"email": null, "password": null, "repetition": null, "terms_missing": true, "consent_missing": false})),
    ];
    for (form, expected) in cases {
        let answer = app.call("auth/register", &form, None).await;
        assert_eq!(problems(&answer), expected, "form {form:?}: {}", answer.body);
        assert!(!answer.body.contains(PASSWORD), "the password is never echoed");
    }
    // 129 characters are refused, never truncated.
    let long = format!("Aa1!{}", "x".repeat(125));
    let answer = app
        .call("auth/register", &[("email", "a@example.org"), ("password", &long), ("password_repeat", &long), ("accept_terms", "on"), ("consent_email", "on")], None)
        .await;
    assert_eq!(problems(&answer)["password"], "Criteria");
    // Nothing was created, no mail was sent.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(app.smtp.all().is_empty());
    app.stop().await;
}

async fn registration_does_not_reveal_existing_addresses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let taken = email("taken");
    registered(&app, &taken).await;
    let form = |address: &'static str| {
        vec![("email", address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")]
    };
    let mut existing_times = Vec::new();
    let mut new_times = Vec::new();
    for i in 0..3 {
        let start = Instant::now();
        let existing = app.call("auth/register", &form("taken@example.org"), None).await;
        existing_times.push(start.elapsed());
        let fresh: &'static str = Box::leak(format!("fresh{i}@example.org").into_boxed_str());
        let start = Instant::now();
        let new = app.call("auth/register", &form(fresh), None).await;
        new_times.push(start.elapsed());
        assert_eq!(existing.status, new.status);
        assert_eq!(existing.json, json!({"Registered": {"email": "taken@example.org"}}));
        assert_eq!(new.json, json!({"Registered": {"email": fresh}}));
    }
    existing_times.sort();
    new_times.sort();
    let (a, b) = (existing_times[1].as_secs_f64(), new_times[1].as_secs_f64());
    assert!(a.max(b) / a.min(b) < 2.5, "similar time: existing {a:.3}s, new {b:.3}s");
    // The owner is told instead.
    let notice = app.smtp.wait_for(&taken, 2).await;
    assert_eq!(notice.subject(), "Registrierungsversuch mit Ihrer E-Mail-Adresse");
    assert!(notice.token("/").is_none(), "no confirmation token for someone else");
    app.stop().await;
}

async fn confirmation_links_are_single_use_even_in_parallel(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("parallel");
    app.call(
        "auth/register",
        &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    let token = app.smtp.wait_for(&address, 1).await.token("/registrieren/bestaetigen").expect("token");
    let form = [("token", token.as_str())];
    let calls = (0..8).map(|_| app.call("auth/confirm-email", &form, None));
    let answers = futures::future::join_all(calls).await;
    let valid = answers.iter().filter(|a| a.json == json!("Valid")).count();
    let used = answers.iter().filter(|a| a.json == json!("Used")).count();
    assert_eq!((valid, used), (1, 7), "{:?}", answers.iter().map(|a| a.json.clone()).collect::<Vec<_>>());
    // A second visit of the page says so.
    let page = app.page(&format!("/registrieren/bestaetigen?token={token}"), None).await;
    assert!(page.body.contains("bereits verwendet"));
    assert!(page.body.contains("Neuen Link anfordern"));
    app.stop().await;
}

async fn confirmation_links_expire_and_resist_tampering(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("late");
    app.call(
        "auth/register",
        &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    let token = app.smtp.wait_for(&address, 1).await.token("/registrieren/bestaetigen").expect("token");
    let mut altered = token.clone();
    let last = altered.pop().expect("char");
    altered.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(app.call("auth/confirm-email", &[("token", &altered)], None).await.json, json!("Invalid"));
    assert_eq!(app.call("auth/confirm-email", &[("token", "")], None).await.json, json!("Invalid"));
    app.clock.advance(24 * 3600 + 1);
    assert_eq!(app.call("auth/confirm-email", &[("token", &token)], None).await.json, json!("Expired"));
    let page = app.page(&format!("/registrieren/bestaetigen?token={token}"), None).await;
    assert!(page.body.contains("abgelaufen"));
    // A new link can be requested; it works, and it replaced the old one.
    let resend = app.call("auth/resend-confirmation", &[("email", &address)], None).await;
    assert_eq!(resend.json, json!({"Sent": {"email": address}}));
    let fresh = app.smtp.wait_for(&address, 2).await.token("/registrieren/bestaetigen").expect("token");
    assert_ne!(fresh, token);
    assert_eq!(app.call("auth/confirm-email", &[("token", &fresh)], None).await.json, json!("Valid"));
    app.stop().await;
}

async fn unconfirmed_addresses_cannot_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("unconfirmed");
    app.call(
        "auth/register",
        &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    let answer = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    assert_eq!(answer.json, json!({"Rejected": {"email": address, "problem": "Unconfirmed"}}));
    assert!(answer.cookie(SESSION).is_none(), "no session before confirmation");
    // With a wrong password it is just a failed sign-in (nothing revealed).
    assert_eq!(
        app.sign_in(&address, "Wrong#Password1").await,
        SignInOutcome::Rejected { email: address.clone(), problem: SignInProblem::WrongCredentials }
    );
    app.stop().await;
}

async fn sign_in_does_not_reveal_accounts(backend: Backend) {
    // Throttling delays are tested elsewhere; here they would only blur the timing.
    let app = TestApp::spawn_with(backend, &[("LOGIN_DELAY_BASE_MS", "1")]).await;
    let address = email("known");
    registered(&app, &address).await;
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    // The fastest of five: other tests share the CPU.
    for _ in 0..5 {
        let start = Instant::now();
        let a = app.call("auth/sign-in", &[("email", &address), ("password", "Wrong#Password1")], None).await;
        wrong.push(start.elapsed());
        let start = Instant::now();
        let b = app.call("auth/sign-in", &[("email", "nobody@example.org"), ("password", "Wrong#Password1")], None).await;
        unknown.push(start.elapsed());
        assert_eq!(a.status, b.status);
        assert_eq!(a.json["Rejected"]["problem"], "WrongCredentials");
        assert_eq!(b.json["Rejected"]["problem"], "WrongCredentials");
    }
    wrong.sort();
    unknown.sort();
    let (a, b) = (wrong[0].as_secs_f64(), unknown[0].as_secs_f64());
    assert!(a.max(b) / a.min(b) < 2.5, "similar time: wrong password {a:.3}s, unknown address {b:.3}s");
    app.stop().await;
}

async fn repeated_failures_are_delayed_then_locked_and_the_owner_is_told(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("LOGIN_LOCK_AFTER", "6"), ("LOGIN_DELAY_BASE_MS", "150")]).await;
    let address = email("target");
    registered(&app, &address).await;
    let mut times = Vec::new();
    for _ in 0..6 {
        let start = Instant::now();
        let refused = refused_as_wrong(&app, &address, "Wrong#Password1").await;
        times.push(start.elapsed());
        assert!(refused);
    }
    // Failures 4, 5 and 6 wait 150, 300 and 600 ms before the password is checked.
    assert!(times[3] >= Duration::from_millis(150), "{times:?}");
    assert!(times[4] >= Duration::from_millis(300), "{times:?}");
    assert!(times[5] >= Duration::from_millis(600), "{times:?}");
    assert!(times[5] > times[3], "delays grow: {times:?}");
    // Locked: even the right password gets the same answer as a wrong one.
    assert!(refused_as_wrong(&app, &address, PASSWORD).await);
    let notice = app.smtp.wait_for(&address, 2).await;
    assert_eq!(notice.subject(), "Ihr Konto wurde vorübergehend gesperrt");
    // The lock expires by itself (never permanent).
    app.clock.advance(15 * 60 + 1);
    signed_in(&app, &address, PASSWORD).await;
    // The security log has the failures, the lock and the sign-in.
    let account = app::backend::accounts::find_by_email(&app.state.db, &app::domain::email::EmailAddress::parse(&address).expect("address"))
        .await
        .expect("query")
        .expect("account");
    let events: Vec<String> = app::backend::audit::for_account(&app.state.db, account.id, 50)
        .await
        .expect("log")
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(events.contains(&"account_locked".to_owned()), "{events:?}");
    // Six passwords were checked; the right one during the lock was refused unchecked.
    assert_eq!(events.iter().filter(|e| *e == "sign_in_failed").count(), 6, "{events:?}");
    assert_eq!(events.iter().filter(|e| *e == "sign_in_refused").count(), 1, "{events:?}");
    assert_eq!(events[0], "signed_in");
    app.stop().await;
}

async fn a_source_address_that_guesses_many_accounts_is_locked(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("LOGIN_LOCK_ADDRESS_AFTER", "5"), ("LOGIN_LOCK_AFTER", "50")]).await;
    let address = email("victim");
    registered(&app, &address).await;
    for i in 0..5 {
        assert!(refused_as_wrong(&app, &format!("guess{i}@example.org"), "Wrong#Password1").await);
    }
    // The address is now locked, for every account.
    assert!(refused_as_wrong(&app, &address, PASSWORD).await);
    app.clock.advance(15 * 60 + 1);
    signed_in(&app, &address, PASSWORD).await;
    app.stop().await;
}

async fn a_successful_sign_in_gives_its_attempt_back(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("LOGIN_LOCK_AFTER", "4")]).await;
    let address = email("forgetful");
    registered(&app, &address).await;
    for _ in 0..3 {
        app.sign_in(&address, "Wrong#Password1").await;
    }
    // Right passwords do not use up the limit: the owner signs in as often as needed.
    for _ in 0..5 {
        signed_in(&app, &address, PASSWORD).await;
    }
    // But they do not erase the wrong ones either (an attacker's guesses in flight would
    // get a fresh budget): the fourth wrong password within the hour locks the account.
    app.sign_in(&address, "Wrong#Password1").await;
    assert!(refused_as_wrong(&app, &address, PASSWORD).await);
    app.stop().await;
}

async fn every_sign_in_gets_a_new_session_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("rotating");
    registered(&app, &address).await;
    let first = signed_in(&app, &address, PASSWORD).await;
    let answer = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], Some(&first)).await;
    let password_stage = format!("{SESSION}={}", answer.cookie(SESSION).expect("cookie"));
    assert_ne!(first, password_stage);
    assert!(!is_signed_in(&app, &first).await, "the session used for signing in again is ended");
    assert!(!is_signed_in(&app, &password_stage).await, "the password alone is not enough");
    let code = app.next_totp_code(&address);
    let done = app.call("mfa/second-factor", &[("method", "totp"), ("code", &code)], Some(&password_stage)).await;
    let second = format!("{SESSION}={}", done.cookie(SESSION).expect("new cookie after the second factor"));
    assert_ne!(second, password_stage, "the second factor gives a new session id");
    assert!(!is_signed_in(&app, &password_stage).await);
    assert!(is_signed_in(&app, &second).await);
    // A made-up or altered session token is worth nothing.
    assert!(!is_signed_in(&app, &format!("{second}x")).await);
    assert!(!is_signed_in(&app, "session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await);
    app.stop().await;
}

async fn sessions_time_out_when_idle_and_absolutely(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("sleepy");
    registered(&app, &address).await;
    // Idle: 29 minutes are fine, then 31 minutes without activity end the session.
    let cookie = signed_in(&app, &address, PASSWORD).await;
    app.clock.advance(29 * 60);
    assert!(is_signed_in(&app, &cookie).await);
    app.clock.advance(31 * 60);
    assert!(!is_signed_in(&app, &cookie).await, "idle timeout");
    // Absolute: active every 20 minutes, but after 12 hours it ends anyway.
    let cookie = signed_in(&app, &address, PASSWORD).await;
    for _ in 0..35 {
        app.clock.advance(20 * 60);
        assert!(is_signed_in(&app, &cookie).await);
    }
    app.clock.advance(20 * 60 + 1);
    assert!(!is_signed_in(&app, &cookie).await, "absolute timeout");
    app.stop().await;
}

async fn cookies_are_secure_over_https(backend: Backend) {
    let plain = TestApp::spawn(backend).await;
    let address = email("cookies");
    registered(&plain, &address).await;
    let answer = plain.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    let cookie = answer.cookie_header(SESSION).expect("cookie");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain-HTTP development cannot use Secure: {cookie}");
    assert!(!cookie.contains("Max-Age") && !cookie.contains("Expires"), "a browser-session cookie: {cookie}");
    let token = answer.cookie(SESSION).expect("value");
    assert!(token.len() >= 43, "at least 256 bits: {token}");
    plain.stop().await;

    // Behind HTTPS: __Host- prefix and Secure; HSTS on every response.
    let tls = TestApp::spawn_with(backend, &[("PUBLIC_URL", "https://localhost")]).await;
    registered_https(&tls, &address).await;
    let answer = https_call(&tls, "auth/sign-in", &[("email", &address), ("password", PASSWORD)]).await;
    let cookie = answer.cookie_header("__Host-session").expect("__Host- cookie");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"] {
        assert!(cookie.contains(part), "{part} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain"));
    let page = tls.client.get(tls.url("/")).send().await.expect("get");
    assert!(page.headers().get("strict-transport-security").is_some());
    tls.stop().await;
}

async fn https_call(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> crate::support::Answer {
    let response = app
        .client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("origin", "https://localhost")
        .form(form)
        .send()
        .await
        .expect("call");
    let set_cookies = response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect();
    let body = response.text().await.expect("body");
    crate::support::Answer { status: StatusCode::OK, json: serde_json::from_str(&body).unwrap_or_default(), body, set_cookies, location: None }
}

async fn registered_https(app: &TestApp, address: &str) {
    https_call(
        app,
        "auth/register",
        &[("email", address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
    )
    .await;
    let mail = app.smtp.wait_for(address, 1).await;
    assert!(mail.link("/registrieren/bestaetigen").expect("link").starts_with("https://localhost/"));
    let token = mail.token("/registrieren/bestaetigen").expect("token");
    assert_eq!(https_call(app, "auth/confirm-email", &[("token", &token)]).await.json, json!("Valid"));
}

async fn password_reset_works_once_and_ends_every_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("resetter");
    registered(&app, &address).await;
    let phone = signed_in(&app, &address, PASSWORD).await;
    let laptop = signed_in(&app, &address, PASSWORD).await;
    let answer = app.call("auth/request-password-reset", &[("email", &address)], None).await;
    assert_eq!(answer.json, json!({"Sent": {"email": address}}));
    let mail = app.smtp.wait_for_subject(&address, "Neues Passwort festlegen").await;
    let token = mail.token("/passwort-vergessen/neu").expect("reset link");
    assert_eq!(app.call("auth/check-reset-link", &[("token", &token)], None).await.json, json!("Valid"));
    // The new password passes the same rules.
    let weak = app.call("auth/reset-password", &[("token", &token), ("password", "Password123!"), ("password_repeat", "Password123!")], None).await;
    assert_eq!(weak.json, json!({"Invalid": {"password": "Common", "repetition": null}}));
    let new_password = "Neu#Sicher2026x";
    let done = app.call("auth/reset-password", &[("token", &token), ("password", new_password), ("password_repeat", new_password)], None).await;
    assert_eq!(done.json, json!("Done"));
    assert!(!is_signed_in(&app, &phone).await && !is_signed_in(&app, &laptop).await, "all sessions ended");
    app.smtp.wait_for_subject(&address, "Ihr Passwort wurde geändert").await;
    assert!(refused_as_wrong(&app, &address, PASSWORD).await);
    signed_in(&app, &address, new_password).await;
    // Single use.
    let again = app.call("auth/reset-password", &[("token", &token), ("password", "Noch#Neuer2026y"), ("password_repeat", "Noch#Neuer2026y")], None).await;
    assert_eq!(again.json, json!({"Link": "Used"}));
    app.stop().await;
}

async fn password_reset_does_not_reveal_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("present");
    registered(&app, &address).await;
    let known = app.call("auth/request-password-reset", &[("email", &address)], None).await;
    let unknown = app.call("auth/request-password-reset", &[("email", "absent@example.org")], None).await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.json["Sent"].is_object(), unknown.json["Sent"].is_object());
    app.smtp.wait_for(&address, 2).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(app.smtp.to("absent@example.org").is_empty(), "no mail to unknown addresses");
    app.stop().await;
}

async fn reset_links_expire_after_an_hour(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("slow");
    registered(&app, &address).await;
    app.call("auth/request-password-reset", &[("email", &address)], None).await;
    let token = app.smtp.wait_for_subject(&address, "Neues Passwort festlegen").await.token("/passwort-vergessen/neu").expect("token");
    app.clock.advance(3600 + 1);
    assert_eq!(app.call("auth/check-reset-link", &[("token", &token)], None).await.json, json!("Expired"));
    let late = app.call("auth/reset-password", &[("token", &token), ("password", "Neu#Sicher2026x"), ("password_repeat", "Neu#Sicher2026x")], None).await;
    assert_eq!(late.json, json!({"Link": "Expired"}));
    signed_in(&app, &address, PASSWORD).await;
    app.stop().await;
}

async fn passwords_are_hashed_with_argon2id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("hashed");
    registered(&app, &address).await;
    let account = app::backend::accounts::find_by_email(&app.state.db, &app::domain::email::EmailAddress::parse(&address).expect("address"))
        .await
        .expect("query")
        .expect("account");
    assert!(account.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", account.password_hash);
    assert!(!account.password_hash.contains(PASSWORD));
    app.stop().await;
}

async fn mails_survive_an_smtp_outage_and_a_restart_and_go_out_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.smtp.refuse(true);
    let address = email("patient");
    app.call(
        "auth/register",
        &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    // The first attempt fails and is recorded; nothing is lost.
    let mut attempts = 0;
    for _ in 0..50 {
        let mails = app::backend::outbox::recent_emails(&app.state.db, 10).await.expect("outbox");
        if let Some(mail) = mails.iter().find(|m| m.recipient == address && m.last_error.is_some()) {
            attempts = mail.attempts;
            assert!(mail.sent_at.is_none());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        attempts >= 1,
        "a delivery was attempted: {:?}",
        app::backend::outbox::recent_emails(&app.state.db, 10).await.expect("outbox")
    );
    // The process stops while the mail is still pending; a new one takes over.
    let database_url = app.database_url.clone();
    let sink = app.smtp.clone();
    let clock_offset_needed = 60;
    let dir = app.stop().await;
    sink.refuse(false);
    let restarted = TestApp::spawn_on(&database_url, sink.clone(), &[], dir).await;
    restarted.clock.advance(clock_offset_needed);
    let mail = restarted.smtp.wait_for(&address, 1).await;
    assert_eq!(mail.subject(), "Bitte bestätigen Sie Ihre E-Mail-Adresse");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(restarted.smtp.to(&address).len(), 1, "delivered exactly once");
    let stored = app::backend::outbox::recent_emails(&restarted.state.db, 10).await.expect("outbox");
    assert!(stored[0].sent_at.is_some());
    assert_eq!(stored[0].delivered_via.as_deref(), Some("smtp"));
    restarted.stop().await;
}

async fn a_mail_sent_again_is_the_same_message(backend: Backend) {
    // The mail server keeps a mail but its answer is lost (as when the process dies after
    // the hand-over): the outbox sends it again, and the repeat carries the same
    // Message-ID, so mail stores can tell it is one message.
    let app = TestApp::spawn(backend).await;
    app.smtp.lose_replies(true);
    let address = email("twice");
    app.call(
        "auth/register",
        &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    let first = app.smtp.wait_for(&address, 1).await;
    app.smtp.lose_replies(false);
    // Once the failure is recorded, the retry is due 30 s later.
    for _ in 0..100 {
        let mails = app::backend::outbox::recent_emails(&app.state.db, 10).await.expect("outbox");
        if mails.iter().any(|m| m.recipient == address && m.last_error.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.clock.advance(60);
    let second = app.smtp.wait_for(&address, 2).await;
    let id = first.message_id().expect("a Message-ID");
    assert!(id.starts_with("<outbox.") && id.contains('@') && id.ends_with('>'), "{id}");
    assert_eq!(second.message_id(), Some(id), "the same message");
    assert_eq!(first.token("/registrieren/bestaetigen"), second.token("/registrieren/bestaetigen"));
    // Another mail has another id.
    let other = email("other");
    registered(&app, &other).await;
    assert_ne!(app.smtp.wait_for(&other, 1).await.message_id(), second.message_id());
    app.stop().await;
}

async fn a_mail_server_that_stops_answering_does_not_stop_the_outbox(backend: Backend) {
    // The server takes the mail and then says nothing: after the SMTP timeout (5 s here)
    // the attempt counts as failed and the outbox goes on with the next mail.
    let app = TestApp::spawn(backend).await;
    app.smtp.stall(true);
    let address = email("stalled");
    app.call(
        "auth/register",
        &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    app.smtp.wait_for(&address, 1).await;
    app.smtp.stall(false);
    let mut error = None;
    for _ in 0..100 {
        let mails = app::backend::outbox::recent_emails(&app.state.db, 10).await.expect("outbox");
        error = mails.iter().find(|m| m.recipient == address).and_then(|m| m.last_error.clone());
        if error.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(error.as_deref().is_some_and(|e| e.contains("no answer")), "the stalled hand-over failed within 10 s: {error:?}");
    let next = email("next");
    registered(&app, &next).await;
    app.stop().await;
}

async fn mails_are_text_and_html_with_only_the_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("reader");
    app.call(
        "auth/register",
        &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    let mail = app.smtp.wait_for(&address, 1).await;
    let raw = mail.text();
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(raw.contains("text/plain") && raw.contains("text/html"));
    assert!(!raw.contains(PASSWORD), "no password in mails");
    assert!(raw.contains("Guten Tag,"));
    // In English for an English-speaking registrant.
    let english = email("english");
    app.client
        .post(app.url("/api/auth/register"))
        .header("origin", &app.base_url)
        .header("accept-language", "en-GB,en;q=0.9")
        .form(&[("email", english.as_str()), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")])
        .send()
        .await
        .expect("register");
    let mail = app.smtp.wait_for(&english, 1).await;
    assert_eq!(mail.subject(), "Please confirm your e-mail address");
    app.stop().await;
}

async fn auth_endpoints_reject_cross_site_requests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for endpoint in ["auth/register", "auth/sign-in", "auth/sign-out", "auth/request-password-reset", "auth/reset-password", "auth/confirm-email"] {
        let response = app
            .client
            .post(app.url(&format!("/api/{endpoint}")))
            .header("origin", "https://evil.example")
            .form(&[("email", "a@example.org")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    app.stop().await;
}

async fn forms_work_without_javascript(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // A failed registration: back to the form, with messages, the address kept, no password.
    let answer = app
        .post_form_without_js(
            "auth/register",
            &[("email", "ohne-js@example.org"), ("password", "kurz"), ("password_repeat", "kurz"), ("accept_terms", "on")],
            "/registrieren",
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::FOUND);
    let back = answer.location.clone().unwrap_or_default();
    assert!(back.starts_with(&format!("{}/registrieren", app.base_url)), "back to the form: {back}");
    let flash = format!("flash={}", answer.cookie("flash").expect("flash cookie"));
    let page = app.page("/registrieren", Some(&flash)).await;
    assert!(page.body.contains("Bitte prüfen Sie Ihre Eingaben"), "error summary");
    assert!(page.body.contains("Das Passwort erfüllt noch nicht alle Kriterien"));
    assert!(page.body.contains("Bitte willigen Sie in die Nutzung Ihrer E-Mail-Adresse ein"));
    assert!(page.body.contains("value=\"ohne-js@example.org\""), "the address is kept");
    assert!(!page.body.contains("value=\"kurz\""), "the password is not");
    assert!(page.cookie_header("flash").is_some_and(|c| c.contains("Max-Age=0")), "shown once");
    // A forged flash cookie is ignored.
    let forged = app.page("/registrieren", Some("flash=eyJmb3JtIjoicmVnaXN0ZXIifQ.AAAA")).await;
    assert!(!forged.body.contains("Bitte prüfen Sie Ihre Eingaben"));

    // A successful registration shows the success message.
    let address = email("ohne-js");
    let answer = app
        .post_form_without_js(
            "auth/register",
            &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
            "/registrieren",
            None,
        )
        .await;
    let flash = format!("flash={}", answer.cookie("flash").expect("flash cookie"));
    let page = app.page("/registrieren", Some(&flash)).await;
    assert!(page.body.contains("Registrierung erfolgreich"), "{}", page.body);
    let token = app.smtp.wait_for(&address, 1).await.token("/registrieren/bestaetigen").expect("token");
    let path = format!("/registrieren/bestaetigen?token={token}");
    let pressed = app.post_form_without_js("auth/confirm-email", &[("token", &token)], &path, None).await;
    let flash = format!("flash={}", pressed.cookie("flash").expect("flash cookie"));
    assert!(app.page(&path, Some(&flash)).await.body.contains("E-Mail-Adresse bestätigt"));

    // Sign-in without JavaScript: a redirect to the set-up of the second factor, then
    // (set up like a browser without JavaScript would) to the account page.
    let answer = app
        .post_form_without_js("auth/sign-in", &[("email", &address), ("password", PASSWORD), ("next", "")], "/anmelden", None)
        .await;
    assert_eq!(answer.status, StatusCode::FOUND);
    assert_eq!(answer.location.as_deref(), Some("/mfa/einrichten"));
    let password_stage = format!("{SESSION}={}", answer.cookie(SESSION).expect("session"));
    let setup_page = app.page("/mfa/einrichten/totp", Some(&password_stage)).await;
    assert_eq!(setup_page.status, StatusCode::OK);
    let secret: String = setup_page
        .body
        .split("data-testid=\"totp-secret\"")
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split('<').next())
        .unwrap_or_else(|| panic!("secret on the page: {}", setup_page.body))
        .split_whitespace()
        .collect();
    app.totp_secrets.lock().expect("lock").insert(address.clone(), secret);
    let code = app.next_totp_code(&address);
    let answer = app.post_form_without_js("mfa/totp-confirm", &[("code", &code)], "/mfa/einrichten/totp", Some(&password_stage)).await;
    let cookie = format!("{SESSION}={}", answer.cookie(SESSION).expect("new session after set-up"));
    let flash = format!("flash={}", answer.cookie("flash").expect("flash"));
    let shown = app.page("/mfa/einrichten/totp", Some(&format!("{cookie}; {flash}"))).await;
    assert!(shown.body.contains("Ihre Wiederherstellungscodes"), "recovery codes shown once");
    assert!(is_signed_in(&app, &cookie).await);
    // Sign-out without JavaScript.
    let out = app.post_form_without_js("auth/sign-out", &[], "/konto", Some(&cookie)).await;
    assert_eq!(out.location.as_deref(), Some("/"));
    assert!(!is_signed_in(&app, &cookie).await);
    // Wrong password without JavaScript: message on the sign-in page, address kept.
    let answer = app
        .post_form_without_js("auth/sign-in", &[("email", &address), ("password", "Wrong#Password1"), ("next", "")], "/anmelden", None)
        .await;
    let flash = format!("flash={}", answer.cookie("flash").expect("flash"));
    let page = app.page("/anmelden", Some(&flash)).await;
    assert!(page.body.contains("Die E-Mail-Adresse oder das Passwort ist nicht richtig"));
    assert!(page.body.contains(&format!("value=\"{address}\"")));
    // Only local redirect targets are kept for after the second step.
    let answer = app
        .post_form_without_js("auth/sign-in", &[("email", &address), ("password", PASSWORD), ("next", "https://evil.example/")], "/anmelden", None)
        .await;
    assert_eq!(answer.location.as_deref(), Some("/anmelden/zweiter-faktor"));
    app.stop().await;
}

async fn consent_is_stored_and_withdrawal_closes_the_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("withdrawer");
    registered(&app, &address).await;
    let cookie = signed_in(&app, &address, PASSWORD).await;
    let consents = app.call("auth/my-consents", &[], Some(&cookie)).await;
    let list = consents.json.as_array().expect("list").clone();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|c| c["version"].as_str().is_some_and(|v| !v.is_empty()) && c["granted_at"].as_i64().is_some()));
    assert_eq!(app.call("auth/withdraw-consent", &[("password", "Wrong#Password1")], Some(&cookie)).await.json, json!("WrongPassword"));
    assert!(is_signed_in(&app, &cookie).await);
    assert_eq!(app.call("auth/withdraw-consent", &[("password", PASSWORD)], Some(&cookie)).await.json, json!("Withdrawn"));
    assert!(!is_signed_in(&app, &cookie).await);
    assert!(refused_as_wrong(&app, &address, PASSWORD).await);
    // Without a session the withdrawal is refused.
    let anonymous = app.call("auth/withdraw-consent", &[("password", PASSWORD)], None).await;
    assert_ne!(anonymous.status, StatusCode::OK);
    app.stop().await;
}

async fn mail_preview_exists_only_in_development(backend: Backend) {
    let dev = TestApp::spawn_with(backend, &[("SMTP_URL", "")]).await;
    let address = email("previewed");
    dev.call(
        "auth/register",
        &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    let mut found = false;
    for _ in 0..50 {
        let mails = dev.call("dev/mails", &[], None).await;
        if mails.json.as_array().is_some_and(|l| l.iter().any(|m| m["to"] == address.as_str() && m["delivered_via"] == "preview")) {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(found, "the mail is kept for the preview");
    let page = dev.page("/dev/mails", None).await;
    assert!(page.body.contains("Bitte bestätigen Sie Ihre E-Mail-Adresse"));
    assert!(dev.smtp.all().is_empty(), "nothing went to an SMTP server");
    dev.stop().await;

    let prod = TestApp::spawn_with(
        backend,
        &[
            ("APP_ENV", "production"),
            ("PUBLIC_URL", "https://localhost"),
            ("DEMO_SEED", "false"),
            ("SECRET_KEY", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="),
            ("SMS_GATEWAY_URL", "http://127.0.0.1:9/send"),
        ],
    )
    .await;
    let answer = https_call(&prod, "dev/mails", &[]).await;
    assert!(answer.json.as_array().is_none(), "no mail list in production: {}", answer.body);
    let answer = https_call(&prod, "dev/sms", &[]).await;
    assert!(answer.json.as_array().is_none(), "no SMS list in production: {}", answer.body);
    let page = prod.page("/dev/mails", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    prod.stop().await;
}

async fn refusals_have_their_http_status(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("status");
    registered(&app, &address).await;
    let half = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    let half = format!("{SESSION}={}", half.cookie(SESSION).expect("cookie"));
    // Without a session: 401; half signed in, on a step that needs more: 403.
    let answer = app.call("mfa/status", &[], None).await;
    assert_eq!((answer.status, answer.json), (StatusCode::UNAUTHORIZED, json!("NotSignedIn")));
    let answer = app.call("mfa/reauthenticate", &[("method", "totp"), ("code", "123456")], Some(&half)).await;
    assert_eq!((answer.status, answer.json), (StatusCode::FORBIDDEN, json!("SecondFactorRequired")));
    // A request that cannot be read (a field missing): 400, not 500.
    let answer = app.call("auth/sign-in", &[("email", &address)], None).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert!(answer.json["Transport"].is_string());
    // A stale session cookie after the session ended: 401.
    app.call("auth/sign-out", &[], Some(&half)).await;
    let answer = app.call("mfa/second-factor", &[("method", "totp"), ("code", "123456")], Some(&half)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    app.stop().await;
}

async fn requests_for_an_unregistered_address_never_block_its_registration(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email("zukunft");
    // Someone asks for links for an address that has no account yet (capped at three).
    for _ in 0..5 {
        app.call("auth/request-password-reset", &[("email", &address)], None).await;
        app.call("auth/resend-confirmation", &[("email", &address)], None).await;
    }
    // Its owner can still register: the confirmation of a new account is not capped by
    // what others asked for.
    registered(&app, &address).await;
    app.stop().await;
}

async fn the_lock_notice_goes_out_once_an_hour(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("LOGIN_LOCK_AFTER", "3"), ("LOGIN_LOCK_MINUTES", "1")]).await;
    let address = email("gesperrt");
    registered(&app, &address).await;
    let lock = || async {
        for _ in 0..3 {
            app.sign_in(&address, "Wrong#Password1").await;
        }
        app.clock.advance(61);
    };
    lock().await;
    lock().await;
    lock().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let notices = |app: &TestApp| app.smtp.to(&address).iter().filter(|m| m.subject() == "Ihr Konto wurde vorübergehend gesperrt").count();
    assert_eq!(notices(&app), 1, "three locks within an hour, one notice");
    app.clock.advance(3600);
    lock().await;
    app.smtp.wait_for(&address, 3).await;
    assert_eq!(notices(&app), 2, "the next hour's lock is told again");
    app.stop().await;
}
