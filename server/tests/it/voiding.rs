//! Tokens end together, on SQLite and PostgreSQL: one test per row of the README's table
//! "event → what it voids", the mail scanner's `GET` that must not spend a link, "Abmelden"
//! on every page of a (half-)signed-in visitor, and the outbox rule — a change and its
//! notice are one transaction, so a failing notice rolls the change back.

use reqwest::StatusCode;
use serde_json::json;
use crate::support::{desk::audit_count, Answer, Backend, TestApp, PASSWORD};

on_both_databases!(
    a_password_reset_voids_a_pending_email_change,
    a_password_change_voids_links_and_other_sessions,
    a_password_reset_voids_every_link_and_every_session,
    an_email_change_voids_the_old_addresses_links,
    a_new_link_voids_the_earlier_one_of_its_kind,
    removing_a_factor_ends_the_ceremonies_in_flight,
    a_session_ended_meanwhile_cannot_be_replaced,
    opening_a_link_does_not_spend_it,
    every_page_of_a_signed_in_visitor_offers_sign_out,
    a_failing_notice_rolls_the_change_back,
    new_recovery_codes_and_a_new_app_void_the_old_ones,
    account_closure_ends_everything,
);

const NEW_PASSWORD: &str = "Neu#Passwort2026";

/// The next mail to `to` with `subject` after the `before` ones already there.
async fn next_mail(app: &TestApp, to: &str, subject: &str, before: usize) -> crate::support::smtp::ReceivedMail {
    for _ in 0..150 {
        let mails: Vec<_> = app.smtp.to(to).into_iter().filter(|m| m.subject() == subject).collect();
        if mails.len() > before {
            return mails[mails.len() - 1].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no new mail {subject:?} for {to}");
}

fn count(app: &TestApp, to: &str, subject: &str) -> usize {
    app.smtp.to(to).iter().filter(|m| m.subject() == subject).count()
}

const RESET_SUBJECT: &str = "Neues Passwort festlegen";
const CHANGE_SUBJECT: &str = "Bitte bestätigen Sie Ihre neue E-Mail-Adresse";

async fn reset_link(app: &TestApp, address: &str) -> String {
    let before = count(app, address, RESET_SUBJECT);
    let answer = app.call("auth/request-password-reset", &[("email", address)], None).await;
    assert_eq!(answer.json, json!({"Sent": {"email": address}}));
    next_mail(app, address, RESET_SUBJECT, before).await.token("/passwort-vergessen/neu").expect("reset token")
}

async fn email_change_link(app: &TestApp, cookie: &str, new: &str) -> String {
    email_change_link_with(app, cookie, new, PASSWORD).await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Answer {
    app.call("auth/reset-password", &[("token", token), ("password", password), ("password_repeat", password)], None).await
}

async fn signed_in(app: &TestApp, cookie: &str) -> bool {
    !app.call("auth/current-account", &[], Some(cookie)).await.json.is_null()
}

async fn a_password_reset_voids_a_pending_email_change(backend: Backend) {
    // Issue input 4.
    let app = TestApp::spawn(backend).await;
    let address = app.registered("umzug").await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    let change = email_change_link(&app, &cookie, "fremd@example.org").await;
    let token = reset_link(&app, &address).await;
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.json, json!("Done"));
    let late = app.call("account/email/confirm", &[("token", &change)], None).await;
    assert_eq!(late.json, json!({"Link": "Voided"}), "{}", late.body);
    let row = sqlx::query("SELECT email FROM accounts WHERE email = $1").bind(&address).fetch_optional(app.state.db.pool()).await;
    assert!(row.expect("query").is_some(), "the account keeps its address");
    app.stop().await;
}

async fn a_password_change_voids_links_and_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("wechsel").await;
    let phone = app.full_sign_in(&address, PASSWORD).await;
    let laptop = app.full_sign_in(&address, PASSWORD).await;
    let token = reset_link(&app, &address).await;
    let change = email_change_link(&app, &laptop, "anders@example.org").await;
    let answer = app
        .call(
            "security/change-password",
            &[("current", PASSWORD), ("password", NEW_PASSWORD), ("password_repeat", NEW_PASSWORD)],
            Some(&laptop),
        )
        .await;
    assert_eq!(answer.json, json!("Done"), "{}", answer.body);
    assert!(signed_in(&app, &laptop).await, "this session stays");
    assert!(!signed_in(&app, &phone).await, "the other session ended");
    assert_eq!(app.call("auth/check-reset-link", &[("token", &token)], None).await.json, json!("Voided"));
    assert_eq!(reset(&app, &token, "Dritt#Passwort2026").await.json, json!({"Link": "Voided"}));
    assert_eq!(app.call("account/email/confirm", &[("token", &change)], None).await.json, json!({"Link": "Voided"}));
    app.stop().await;
}

async fn a_password_reset_voids_every_link_and_every_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("vergessen").await;
    let phone = app.full_sign_in(&address, PASSWORD).await;
    let change = email_change_link(&app, &phone, "weg@example.org").await;
    let token = reset_link(&app, &address).await;
    // A half-signed-in session (second step pending) ends too.
    let half = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    let half = format!("session={}", half.cookie("session").expect("cookie"));
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.json, json!("Done"));
    assert!(!signed_in(&app, &phone).await);
    assert_eq!(app.call("mfa/status", &[], Some(&half)).await.json, json!("NotSignedIn"));
    assert_eq!(app.call("account/email/confirm", &[("token", &change)], None).await.json, json!({"Link": "Voided"}));
    assert_eq!(reset(&app, &token, "Dritt#Passwort2026").await.json, json!({"Link": "Used"}));
    app.stop().await;
}

async fn an_email_change_voids_the_old_addresses_links(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("alt").await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    let token = reset_link(&app, &address).await;
    let change = email_change_link(&app, &cookie, "neu.alt@example.org").await;
    // An unconfirmed second account's confirmation link is the same kind: the address
    // change voids the account's own outstanding confirmation links.
    let confirmation = app::backend::tokens::random_token();
    let id = app.account_id(&address).await;
    sqlx::query(
        "INSERT INTO account_tokens (account_id, purpose, token_hash, created_at, expires_at) VALUES ($1, 'confirm_email', $2, $3, $4)",
    )
    .bind(id)
    .bind(app::backend::tokens::hash_token(&confirmation))
    .bind(app.clock.now())
    .bind(app.clock.now() + 3600)
    .execute(app.state.db.pool())
    .await
    .expect("confirmation token");
    assert_eq!(app.call("account/email/confirm", &[("token", &change)], None).await.json, json!({"Changed": {"email": "neu.alt@example.org"}}));
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.json, json!({"Link": "Voided"}), "a reset link sent to the old address");
    assert_eq!(app.call("auth/confirm-email", &[("token", &confirmation)], None).await.json, json!("Voided"));
    app.stop().await;
}

async fn a_new_link_voids_the_earlier_one_of_its_kind(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("zweimal").await;
    let first = reset_link(&app, &address).await;
    let second = reset_link(&app, &address).await;
    assert_eq!(app.call("auth/check-reset-link", &[("token", &first)], None).await.json, json!("Voided"));
    assert_eq!(reset(&app, &second, NEW_PASSWORD).await.json, json!("Done"));
    let cookie = app.full_sign_in(&address, NEW_PASSWORD).await;
    let first = email_change_link_with(&app, &cookie, "eins@example.org", NEW_PASSWORD).await;
    let second = email_change_link_with(&app, &cookie, "zwei@example.org", NEW_PASSWORD).await;
    assert_eq!(app.call("account/email/confirm", &[("token", &first)], None).await.json, json!({"Link": "Voided"}));
    assert_eq!(app.call("account/email/confirm", &[("token", &second)], None).await.json, json!({"Changed": {"email": "zwei@example.org"}}));
    app.stop().await;
}

async fn email_change_link_with(app: &TestApp, cookie: &str, new: &str, password: &str) -> String {
    let before = count(app, new, CHANGE_SUBJECT);
    let answer = app.call("account/email", &[("email", new), ("password", password)], Some(cookie)).await;
    assert_eq!(answer.json, json!({"Sent": {"email": new}}), "{}", answer.body);
    next_mail(app, new, CHANGE_SUBJECT, before).await.token("/e-mail-aendern/bestaetigen").expect("change token")
}

async fn open_ceremonies(app: &TestApp) -> i64 {
    sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM webauthn_ceremonies WHERE used_at IS NULL").fetch_one(app.state.db.pool()).await.expect("n"),
        "n",
    )
}

async fn removing_a_factor_ends_the_ceremonies_in_flight(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("zeremonie").await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    let other = app.full_sign_in(&address, PASSWORD).await;
    let id = app.account_id(&address).await;
    sqlx::query("INSERT INTO passkeys (account_id, credential_id, passkey, name, created_at) VALUES ($1, 'c1', '{}', 'Alt', $2)")
        .bind(id)
        .bind(app.clock.now())
        .execute(app.state.db.pool())
        .await
        .expect("passkey");
    // Ceremonies in flight in both sessions: a passkey registration and a passkey check.
    assert_eq!(app.call("mfa/passkey-register-start", &[], Some(&other)).await.status, StatusCode::OK);
    assert_eq!(app.call("mfa/passkey-sign-in-start", &[("conditional", "false")], Some(&cookie)).await.status, StatusCode::OK);
    assert_eq!(open_ceremonies(&app).await, 2);
    assert_eq!(app.call("security/remove-totp", &[], Some(&cookie)).await.json, json!("Done"));
    assert_eq!(open_ceremonies(&app).await, 0, "the factor's removal ended every open ceremony of the account");
    app.stop().await;
}

async fn a_session_ended_meanwhile_cannot_be_replaced(backend: Backend) {
    use app::backend::{request::Requester, sessions};
    let app = TestApp::spawn(backend).await;
    let address = app.registered("ersatz").await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    let token = cookie.trim_start_matches("session=");
    let now = app.clock.now();
    let session = sessions::authenticate(&app.state.db, token, now).await.expect("query").expect("session");
    // The password is reset elsewhere while this request is on its way.
    let mut conn = app.state.db.pool().acquire().await.expect("connection");
    sessions::delete_all_for_account(&mut conn, session.account_id).await.expect("end");
    let replaced = sessions::rotate(&mut conn, &session, now, &Requester::default()).await.expect("query");
    assert!(replaced.is_none(), "no successor for an ended session");
    assert_eq!(sessions::count_for_account(&app.state.db, session.account_id).await.expect("count"), 0);
    app.stop().await;
}

async fn opening_a_link_does_not_spend_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = "scanner@example.org";
    app.call(
        "auth/register",
        &[("email", address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    let token = app.smtp.wait_for(address, 1).await.token("/registrieren/bestaetigen").expect("token");
    let path = format!("/registrieren/bestaetigen?token={token}");
    // A mail scanner fetches the link (GET and HEAD) before the person clicks it.
    for _ in 0..3 {
        let page = app.page(&path, None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("action=\"/api/auth/confirm-email\""), "a button to confirm");
        assert!(page.body.contains("E-Mail-Adresse bestätigen"));
    }
    assert_eq!(app.client.head(app.url(&path)).send().await.expect("HEAD").status(), StatusCode::OK);
    let unconfirmed = app.call("auth/sign-in", &[("email", address), ("password", PASSWORD)], None).await;
    assert_eq!(unconfirmed.json["Rejected"]["problem"], json!("Unconfirmed"), "still unconfirmed after the scanner");
    // The person presses the button (a plain form without JavaScript): the success message.
    let pressed = app.post_form_without_js("auth/confirm-email", &[("token", &token)], &path, None).await;
    assert!(pressed.status.is_redirection(), "back to the page: {}", pressed.status);
    let back = pressed.location.clone().expect("back to the page");
    let back = back.strip_prefix(&app.base_url).unwrap_or(&back).to_owned();
    let flash: Vec<String> = pressed.set_cookies.iter().map(|c| c.split(';').next().unwrap_or_default().to_owned()).collect();
    let page = app.page(&back, Some(&flash.join("; "))).await;
    assert!(page.body.contains("erfolgreich"), "success message after the button: {}", page.body.len());
    assert!(app.call("auth/sign-in", &[("email", address), ("password", PASSWORD)], None).await.json["SignedIn"].is_object());
    // The same for the e-mail change link.
    let cookie = app.full_sign_in(address, PASSWORD).await;
    let change = email_change_link(&app, &cookie, "scanner.neu@example.org").await;
    let path = format!("/e-mail-aendern/bestaetigen?token={change}");
    let page = app.page(&path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("action=\"/api/account/email/confirm\""), "a button to confirm the change");
    assert_eq!(app.call("auth/current-account", &[], Some(&cookie)).await.json["email"], json!(address), "not moved by the GET");
    assert_eq!(app.call("account/email/confirm", &[("token", &change)], None).await.json, json!({"Changed": {"email": "scanner.neu@example.org"}}));
    // A used link still says so on GET.
    let page = app.page(&path, None).await;
    assert!(page.body.contains("bereits verwendet"));
    app.stop().await;
}

const SIGN_OUT_FORM: &str = "action=\"/api/auth/sign-out\"";

async fn every_page_of_a_signed_in_visitor_offers_sign_out(backend: Backend) {
    // Issue input 5: a shared computer, sign-in stopped at the MFA set-up or second step.
    let app = TestApp::spawn(backend).await;
    let address = app.registered("geteilt").await;
    let half = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    let half = format!("session={}", half.cookie("session").expect("cookie"));
    for page in ["/mfa/einrichten", "/mfa/einrichten/totp", "/mfa/einrichten/passkey", "/hilfe/totp", "/impressum"] {
        let answer = app.page(page, Some(&half)).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        assert_eq!(answer.body.matches(SIGN_OUT_FORM).count(), 1, "one Abmelden on {page}");
    }
    let full = app.full_sign_in(&address, PASSWORD).await;
    let half = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    let half = format!("session={}", half.cookie("session").expect("cookie"));
    let answer = app.page("/anmelden/zweiter-faktor", Some(&half)).await;
    assert_eq!(answer.body.matches(SIGN_OUT_FORM).count(), 1, "one Abmelden on the second step");
    for page in ["/", "/konto", "/konto/sicherheit", "/konto/e-mail", "/konto/datenschutz", "/hilfe", "/profil/anlegen"] {
        let answer = app.page(page, Some(&full)).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        assert_eq!(answer.body.matches(SIGN_OUT_FORM).count(), 1, "one Abmelden on {page}");
    }
    // Signed out: none.
    assert_eq!(app.page("/", None).await.body.matches(SIGN_OUT_FORM).count(), 0);
    // The button works for the half-signed-in session.
    assert_eq!(app.call("auth/sign-out", &[], Some(&half)).await.status, StatusCode::OK);
    assert_eq!(app.call("mfa/status", &[], Some(&half)).await.json, json!("NotSignedIn"));
    app.stop().await;
}

/// Makes every insert into the outbox fail (the notice of a change cannot be written).
async fn break_the_outbox(app: &TestApp, backend: Backend) {
    let db = app.state.db.pool();
    match backend {
        Backend::Sqlite => {
            sqlx::query("CREATE TRIGGER outbox_down BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox down'); END")
                .execute(db)
                .await
                .expect("trigger");
        }
        Backend::Postgres => {
            sqlx::query("CREATE FUNCTION outbox_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'outbox down'; END $$ LANGUAGE plpgsql")
                .execute(db)
                .await
                .expect("function");
            sqlx::query("CREATE TRIGGER outbox_down BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_down()")
                .execute(db)
                .await
                .expect("trigger");
        }
    }
}

async fn a_failing_notice_rolls_the_change_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("absturz").await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    let other = app.full_sign_in(&address, PASSWORD).await;
    let id = app.account_id(&address).await;
    sqlx::query("INSERT INTO passkeys (account_id, credential_id, passkey, name, created_at) VALUES ($1, 'c2', '{}', 'Alt', $2)")
        .bind(id)
        .bind(app.clock.now())
        .execute(app.state.db.pool())
        .await
        .expect("passkey");
    let events_before = audit_count(&app, "password_changed").await;
    break_the_outbox(&app, backend).await;
    // The password change cannot write its notice: nothing changes.
    let answer = app
        .call(
            "security/change-password",
            &[("current", PASSWORD), ("password", NEW_PASSWORD), ("password_repeat", NEW_PASSWORD)],
            Some(&cookie),
        )
        .await;
    assert_eq!(answer.json, json!("Unavailable"), "{}", answer.body);
    assert!(signed_in(&app, &other).await, "the other session was not ended");
    assert_eq!(audit_count(&app, "password_changed").await, events_before);
    // Removing a factor, renewing recovery codes and ending sessions: the same.
    for (endpoint, form) in [
        ("security/remove-totp", vec![]),
        ("security/renew-recovery-codes", vec![]),
        ("security/end-other-sessions", vec![]),
    ] {
        let answer = app.call(endpoint, &form, Some(&cookie)).await;
        assert_eq!(answer.json, json!("Unavailable"), "{endpoint}: {}", answer.body);
    }
    let factors = app::backend::mfa::factors(&app.state.db, id).await.expect("factors");
    assert!(factors.totp && factors.recovery_codes == 10, "nothing removed or renewed: {factors:?}");
    assert!(signed_in(&app, &other).await);
    // The e-mail change request and a password reset: no link without its mail either.
    assert_eq!(app.call("account/email", &[("email", "x@example.org"), ("password", PASSWORD)], Some(&cookie)).await.json, json!("Unavailable"));
    let tokens: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM account_tokens WHERE purpose = 'change_email'").fetch_one(app.state.db.pool()).await.expect("n"),
        "n",
    );
    assert_eq!(tokens, 0);
    // The old password still signs in.
    let answer = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    assert!(answer.json["SignedIn"].is_object(), "{}", answer.body);
    app.stop().await;
}

async fn new_recovery_codes_and_a_new_app_void_the_old_ones(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("erneuert").await;
    // The first factor completes the sign-in under a new session id.
    let half = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    let half = format!("session={}", half.cookie("session").expect("cookie"));
    let setup = app.call("mfa/totp-start", &[], Some(&half)).await;
    let old_secret: String = setup.json["secret_grouped"].as_str().expect("secret").split_whitespace().collect();
    app.clock.advance(31);
    let code = app::backend::mfa::totp::code_at(&old_secret, app.clock.now()).expect("code");
    let done = app.call("mfa/totp-confirm", &[("code", &code)], Some(&half)).await;
    let first_codes: Vec<String> =
        done.json["Done"]["recovery_codes"].as_array().expect("codes").iter().filter_map(|c| c.as_str().map(str::to_owned)).collect();
    let cookie = format!("session={}", done.cookie("session").expect("new session"));
    assert!(!signed_in(&app, &half).await && signed_in(&app, &cookie).await, "a new session id");
    // New recovery codes: the first set is void.
    let renewed = app.call("security/renew-recovery-codes", &[], Some(&cookie)).await;
    let new_codes: Vec<String> =
        renewed.json["NewRecoveryCodes"].as_array().expect("codes").iter().filter_map(|c| c.as_str().map(str::to_owned)).collect();
    // The app set up again: the old secret is void.
    let setup = app.call("mfa/totp-start", &[], Some(&cookie)).await;
    let new_secret: String = setup.json["secret_grouped"].as_str().expect("secret").split_whitespace().collect();
    assert_ne!(new_secret, old_secret);
    app.clock.advance(31);
    let code = app::backend::mfa::totp::code_at(&new_secret, app.clock.now()).expect("code");
    assert!(app.call("mfa/totp-confirm", &[("code", &code)], Some(&cookie)).await.json["Done"].is_object());
    let second_step = |method: &'static str, code: String| {
        let app = &app;
        let address = address.clone();
        async move {
            let half = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
            let half = format!("session={}", half.cookie("session").expect("cookie"));
            app.call("mfa/second-factor", &[("method", method), ("code", &code)], Some(&half)).await.json
        }
    };
    app.clock.advance(31);
    let old = app::backend::mfa::totp::code_at(&old_secret, app.clock.now()).expect("code");
    assert_eq!(second_step("totp", old).await, json!("Wrong"), "the old app's codes");
    assert_eq!(second_step("recovery", first_codes[0].clone()).await, json!("Wrong"), "the first recovery codes");
    assert!(second_step("recovery", new_codes[0].clone()).await["SignedIn"].is_object());
    app.stop().await;
}

async fn account_closure_ends_everything(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("schluss").await;
    let phone = app.full_sign_in(&address, PASSWORD).await;
    let laptop = app.full_sign_in(&address, PASSWORD).await;
    let token = reset_link(&app, &address).await;
    let id = app.account_id(&address).await;
    assert_eq!(app.call("auth/withdraw-consent", &[("password", PASSWORD)], Some(&laptop)).await.json, json!("Withdrawn"));
    assert!(!signed_in(&app, &phone).await && !signed_in(&app, &laptop).await);
    assert_eq!(app.call("auth/check-reset-link", &[("token", &token)], None).await.json, json!("Invalid"));
    for table in ["sessions", "account_tokens", "totp_secrets", "recovery_codes", "consents"] {
        let n: i64 = sqlx::Row::get(
            &sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table} WHERE account_id = $1"))
                .bind(id)
                .fetch_one(app.state.db.pool())
                .await
                .expect("n"),
            "n",
        );
        assert_eq!(n, 0, "{table} emptied");
    }
    app.stop().await;
}
