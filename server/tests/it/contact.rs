//! Contact details the citizen changes themselves, on SQLite and PostgreSQL: the
//! mobile number for SMS (code sent through a real HTTP gateway, limits, expiry,
//! retries when the gateway is down, only a confirmed number turns the SMS switch on)
//! and the e-mail address (password, link to the new address, notices to the old one,
//! an address that is taken meanwhile).

use reqwest::StatusCode;
use serde_json::{json, Value};
use crate::support::{
    desk::audit_count,
    sms_gateway::{code_in, SmsGatewayStub},
    Backend, TestApp, PASSWORD,
};

on_both_databases!(
    a_mobile_number_is_confirmed_by_sms_before_the_sms_switch_turns_on,
    sms_codes_are_limited_expire_and_allow_five_tries,
    the_gateway_is_retried_until_it_accepts,
    contact_functions_need_a_full_sign_in_and_a_profile,
    the_email_address_changes_only_with_password_and_link,
    an_address_that_is_taken_is_never_revealed_and_never_shared,
);

const TEMPLATE: &str = r#"{"message": {"recipient": {{to}}, "text": {{text}}, "sender": "Jobcenter"}}"#;

/// The portal with the test gateway configured like a production provider.
async fn spawn(backend: Backend, gateway: &SmsGatewayStub) -> TestApp {
    TestApp::spawn_with(
        backend,
        &[
            ("SMS_GATEWAY_URL", gateway.url.as_str()),
            ("SMS_GATEWAY_AUTHORIZATION", "Bearer test-token"),
            ("SMS_GATEWAY_BODY", TEMPLATE),
        ],
    )
    .await
}

/// A citizen with an unlocked profile; returns the session cookie.
async fn citizen_with_profile(app: &TestApp, name: &str) -> String {
    crate::support::desk::citizen_with_own_profile(app, name, "0151 1111111").await
}

async fn a_mobile_number_is_confirmed_by_sms_before_the_sms_switch_turns_on(backend: Backend) {
    let gateway = SmsGatewayStub::start().await;
    let app = spawn(backend, &gateway).await;
    let cookie = citizen_with_profile(&app, "sms").await;
    let sms_on = [("option", "sms"), ("enabled", "true")];
    // The job centre's number alone is not enough: the citizen confirms a number first.
    assert_eq!(app.call("profile/option", &sms_on, Some(&cookie)).await.json, json!("MobileRequired"));
    let invalid = app.call("profile/mobile/send", &[("mobile", "12 34")], Some(&cookie)).await;
    assert_eq!(invalid.json, json!({"InvalidNumber": {"entry": "12 34"}}));
    let sent = app.call("profile/mobile/send", &[("mobile", "0151 2345 6789")], Some(&cookie)).await;
    assert_eq!(sent.json, json!({"CodeSent": {"mobile": "+4915123456789"}}));
    let sms = gateway.wait_for(1).await;
    assert_eq!(sms.authorization.as_deref(), Some("Bearer test-token"));
    assert_eq!(sms.body["message"]["recipient"], json!("+4915123456789"));
    assert_eq!(sms.body["message"]["sender"], json!("Jobcenter"));
    let code = code_in(&sms);
    let mine = app.call("profile/mine", &[], Some(&cookie)).await.json;
    assert_eq!(mine["pending_mobile"], json!("+4915123456789"));
    assert_eq!(mine["sms_mobile"], Value::Null);
    // Still off until confirmed.
    assert_eq!(app.call("profile/option", &sms_on, Some(&cookie)).await.json, json!("MobileRequired"));
    let malformed = app.call("profile/mobile/confirm", &[("code", "12a")], Some(&cookie)).await;
    assert_eq!(malformed.json, json!({"MalformedCode": "Format"}));
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = app.call("profile/mobile/confirm", &[("code", wrong)], Some(&cookie)).await;
    assert_eq!(refused.json, json!({"Refused": {"Wrong": 4}}));
    let confirmed = app.call("profile/mobile/confirm", &[("code", &code)], Some(&cookie)).await;
    assert_eq!(confirmed.json, json!({"Confirmed": {"mobile": "+4915123456789"}}));
    // The code is used up.
    let again = app.call("profile/mobile/confirm", &[("code", &code)], Some(&cookie)).await;
    assert_eq!(again.json, json!({"Refused": "NothingPending"}));
    assert_eq!(app.call("profile/option", &sms_on, Some(&cookie)).await.json["Saved"]["enabled"], json!(true));
    let mine = app.call("profile/mine", &[], Some(&cookie)).await.json;
    assert_eq!(mine["sms_mobile"], json!("+4915123456789"));
    assert_eq!(mine["pending_mobile"], Value::Null);
    // Removing the number switches SMS off, with a history entry.
    let removed = app.call("profile/mobile/remove", &[], Some(&cookie)).await;
    assert!(removed.json["Removed"]["switched_off_at"].is_i64(), "{}", removed.body);
    let mine = app.call("profile/mine", &[], Some(&cookie)).await.json;
    assert_eq!(mine["sms_mobile"], Value::Null);
    assert_eq!(mine["options"][1], json!(["SmsNotifications", false]));
    assert_eq!(mine["history"][0], json!({"option": "SmsNotifications", "enabled": false, "at": mine["history"][0]["at"]}));
    for event in ["mobile_code_sent", "mobile_confirmed", "mobile_code_rejected", "mobile_removed"] {
        assert_eq!(audit_count(&app, event).await, 1, "{event}");
    }
    app.stop().await;
}

async fn sms_codes_are_limited_expire_and_allow_five_tries(backend: Backend) {
    let gateway = SmsGatewayStub::start().await;
    let app = spawn(backend, &gateway).await;
    let cookie = citizen_with_profile(&app, "grenzen").await;
    let send = || app.call("profile/mobile/send", &[("mobile", "+49 170 9999999")], Some(&cookie));
    assert!(send().await.json["CodeSent"].is_object());
    // Expired after 15 minutes.
    app.clock.advance(15 * 60 + 1);
    let expired = app.call("profile/mobile/confirm", &[("code", "123456")], Some(&cookie)).await;
    assert_eq!(expired.json, json!({"Refused": "Expired"}));
    // Five tries per code: the fifth wrong one uses it up.
    assert!(send().await.json["CodeSent"].is_object());
    let code = code_in(&gateway.wait_for(2).await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in [4, 3, 2, 1] {
        let answer = app.call("profile/mobile/confirm", &[("code", wrong)], Some(&cookie)).await;
        assert_eq!(answer.json, json!({"Refused": {"Wrong": left}}));
    }
    let last = app.call("profile/mobile/confirm", &[("code", wrong)], Some(&cookie)).await;
    assert_eq!(last.json, json!({"Refused": "TriesUsedUp"}));
    let right_too_late = app.call("profile/mobile/confirm", &[("code", &code)], Some(&cookie)).await;
    assert_eq!(right_too_late.json, json!({"Refused": "TriesUsedUp"}));
    // Three codes an hour; the fourth waits.
    assert!(send().await.json["CodeSent"].is_object());
    let limited = send().await;
    let until = limited.json["TooManyCodes"]["until"].as_i64().unwrap_or_else(|| panic!("not limited: {}", limited.body));
    assert!(until > app.clock.now() + 3000, "about an hour");
    assert_eq!(gateway.wait_for(3).await.body["message"]["recipient"], json!("+491709999999"));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(gateway.all().len(), 3, "the refused request sent nothing");
    // An hour later (signed in again: the session has timed out) codes go out again.
    app.clock.advance(3601);
    let cookie = app.full_sign_in("grenzen@example.org", PASSWORD).await;
    let later = app.call("profile/mobile/send", &[("mobile", "+49 170 9999999")], Some(&cookie)).await;
    assert!(later.json["CodeSent"].is_object(), "{}", later.body);
    app.stop().await;
}

async fn the_gateway_is_retried_until_it_accepts(backend: Backend) {
    use app::backend::outbox::{self, Channel};
    let gateway = SmsGatewayStub::start().await;
    gateway.refuse(true);
    let app = spawn(backend, &gateway).await;
    let cookie = citizen_with_profile(&app, "wiederholung").await;
    assert!(app.call("profile/mobile/send", &[("mobile", "0160 1234567")], Some(&cookie)).await.json["CodeSent"].is_object());
    // The failed attempt is recorded, the message kept.
    let mut stored = Vec::new();
    for _ in 0..100 {
        stored = outbox::recent(&app.state.db, Channel::Sms, 5).await.expect("outbox");
        if stored.first().is_some_and(|m| m.attempts >= 1 && m.last_error.is_some()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let message = stored.first().expect("stored");
    assert!(message.last_error.as_deref().is_some_and(|e| e.contains("503")), "{message:?}");
    assert_eq!(message.sent_at, None);
    // After the pause (30 s for the first retry) it goes out.
    gateway.refuse(false);
    app.clock.advance(31);
    let sms = gateway.wait_for(1).await;
    assert_eq!(sms.body["message"]["recipient"], json!("+491601234567"));
    let message = outbox::recent(&app.state.db, Channel::Sms, 5).await.expect("outbox").remove(0);
    for _ in 0..100 {
        if outbox::recent(&app.state.db, Channel::Sms, 5).await.expect("outbox")[0].sent_at.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let sent = outbox::recent(&app.state.db, Channel::Sms, 5).await.expect("outbox").remove(0);
    assert_eq!(sent.id, message.id);
    assert_eq!(sent.delivered_via.as_deref(), Some("http"));
    assert_eq!(sent.attempts, 2);
    app.stop().await;
}

async fn contact_functions_need_a_full_sign_in_and_a_profile(backend: Backend) {
    let gateway = SmsGatewayStub::start().await;
    let app = spawn(backend, &gateway).await;
    let address = app.registered("ohneprofil").await;
    let half = format!(
        "session={}",
        app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await.cookie("session").expect("cookie")
    );
    let calls: [(&str, Vec<(&str, &str)>); 4] = [
        ("profile/mobile/send", vec![("mobile", "0151 2345678")]),
        ("profile/mobile/confirm", vec![("code", "123456")]),
        ("profile/mobile/remove", vec![]),
        ("account/email", vec![("email", "neu@example.org"), ("password", PASSWORD)]),
    ];
    for (endpoint, form) in &calls {
        assert_ne!(app.call(endpoint, form, None).await.status, StatusCode::OK, "{endpoint} anonymous");
        assert_ne!(app.call(endpoint, form, Some(&half)).await.status, StatusCode::OK, "{endpoint} half signed in");
    }
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    for (endpoint, form) in &calls[..3] {
        assert_eq!(app.call(endpoint, form, Some(&cookie)).await.json, json!("ProfileRequired"), "{endpoint} without profile");
    }
    // A code sent for one citizen cannot confirm another's number.
    let owner = citizen_with_profile(&app, "besitzerin").await;
    let other = citizen_with_profile(&app, "andere").await;
    assert!(app.call("profile/mobile/send", &[("mobile", "0151 2345678")], Some(&owner)).await.json["CodeSent"].is_object());
    let code = code_in(&gateway.wait_for(1).await);
    let answer = app.call("profile/mobile/confirm", &[("code", &code)], Some(&other)).await;
    assert_eq!(answer.json, json!({"Refused": "NothingPending"}));
    assert_eq!(app.call("profile/mine", &[], Some(&other)).await.json["sms_mobile"], Value::Null);
    // The page for the address change is for signed-in visitors.
    assert_eq!(app.page("/konto/e-mail", None).await.status, StatusCode::SEE_OTHER);
    app.stop().await;
}

async fn the_email_address_changes_only_with_password_and_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let old = app.registered("umzug").await;
    let cookie = app.full_sign_in(&old, PASSWORD).await;
    let new = "umzug.neu@example.org";
    let ask = |email: &'static str, password: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move { app.call("account/email", &[("email", email), ("password", password)], Some(&cookie)).await.json }
    };
    assert_eq!(ask(new, "falsch").await, json!({"WrongPassword": {"email": new}}));
    assert_eq!(ask("kein-at", PASSWORD).await, json!({"Invalid": {"email": "kein-at", "problem": "Invalid"}}));
    assert_eq!(ask("UMZUG@example.org", PASSWORD).await, json!({"SameAddress": {"email": "UMZUG@example.org"}}));
    assert!(app.smtp.to(new).is_empty(), "nothing sent yet");
    assert_eq!(ask(new, PASSWORD).await, json!({"Sent": {"email": new}}));
    let link_mail = app.smtp.wait_for_subject(new, "Bitte bestätigen Sie Ihre neue E-Mail-Adresse").await;
    let notice = app.smtp.wait_for_subject(&old, "Änderung Ihrer E-Mail-Adresse angefordert").await;
    assert!(notice.text().contains(new), "the old address is told the new one");
    // Until the link is opened the old address stays the user name.
    assert_eq!(app.call("auth/current-account", &[], Some(&cookie)).await.json["email"], json!(old));
    let token = link_mail.token("/e-mail-aendern/bestaetigen").expect("token");
    let done = app.call("account/email/confirm", &[("token", &token)], None).await;
    assert_eq!(done.json, json!({"Changed": {"email": new}}));
    assert_eq!(app.call("account/email/confirm", &[("token", &token)], None).await.json, json!({"Link": "Used"}));
    assert_eq!(app.call("account/email/confirm", &[("token", "erfunden")], None).await.json, json!({"Link": "Invalid"}));
    app.smtp.wait_for_subject(&old, "Ihre E-Mail-Adresse wurde geändert").await;
    assert_eq!(app.call("auth/current-account", &[], Some(&cookie)).await.json["email"], json!(new));
    // Sign-in now works with the new address only (same password and authenticator).
    let secret = app.totp_secrets.lock().ok().and_then(|m| m.get(&old).cloned()).expect("secret");
    if let Ok(mut secrets) = app.totp_secrets.lock() {
        secrets.insert(new.to_owned(), secret);
    }
    app.full_sign_in(new, PASSWORD).await;
    let refused = app.call("auth/sign-in", &[("email", &old), ("password", PASSWORD)], None).await;
    assert!(refused.json["SignedIn"].is_null(), "old address no longer signs in: {}", refused.body);
    // The page link works without JavaScript too (the page confirms while rendering).
    assert_eq!(audit_count(&app, "email_change_requested").await, 1);
    assert_eq!(audit_count(&app, "email_changed").await, 1);
    // Links expire after 24 hours.
    assert_eq!(app.call("account/email", &[("email", "spaeter@example.org"), ("password", PASSWORD)], Some(&cookie)).await.status, StatusCode::OK);
    let late = app.smtp.wait_for_subject("spaeter@example.org", "Bitte bestätigen Sie Ihre neue E-Mail-Adresse").await;
    app.clock.advance(24 * 3600 + 1);
    let token = late.token("/e-mail-aendern/bestaetigen").expect("token");
    let page = app.page(&format!("/e-mail-aendern/bestaetigen?token={token}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("abgelaufen"), "expired link explained");
    app.stop().await;
}

async fn an_address_that_is_taken_is_never_revealed_and_never_shared(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mine = app.registered("meins").await;
    let taken = app.registered("vergeben").await;
    let cookie = app.full_sign_in(&mine, PASSWORD).await;
    // Same answer as for a free address; the owner of the taken one gets a notice, no link.
    let answer = app.call("account/email", &[("email", &taken), ("password", PASSWORD)], Some(&cookie)).await;
    assert_eq!(answer.json, json!({"Sent": {"email": taken}}));
    let notice = app.smtp.wait_for(&taken, 2).await;
    assert!(notice.link("/e-mail-aendern/bestaetigen").is_none(), "no link to take over an address");
    // An address registered by someone else between request and link stays theirs.
    let free = "frei@example.org";
    app.call("account/email", &[("email", free), ("password", PASSWORD)], Some(&cookie)).await;
    let link_mail = app.smtp.wait_for_subject(free, "Bitte bestätigen Sie Ihre neue E-Mail-Adresse").await;
    let registered = app
        .call(
            "auth/register",
            &[("email", free), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
            None,
        )
        .await;
    assert_eq!(registered.status, StatusCode::OK);
    let token = link_mail.token("/e-mail-aendern/bestaetigen").expect("token");
    assert_eq!(app.call("account/email/confirm", &[("token", &token)], None).await.json, json!("Taken"));
    assert_eq!(app.call("auth/current-account", &[], Some(&cookie)).await.json["email"], json!(mine));
    app.stop().await;
}
