//! Job-centre profiles on SQLite and PostgreSQL: the staff desk's access rules (anonymous,
//! half-signed-in, citizen, staff of another job centre), activation codes (parallel
//! redemption, expiry, revocation, unknown codes, attempt limits, audit entries) and
//! the communication options with their history.

use reqwest::StatusCode;
use serde_json::{json, Value};
use crate::support::{
    desk::{audit_count, new_client, staff_of},
    Backend, TestApp, PASSWORD,
};

on_both_databases!(
    staff_functions_are_for_own_staff_only,
    profile_functions_need_a_full_sign_in_and_a_profile,
    a_code_unlocks_exactly_one_profile_even_in_parallel,
    expired_revoked_unknown_and_too_many_codes_are_refused,
    options_are_saved_with_history_and_sms_needs_a_mobile_number,
    staff_input_is_checked_on_the_server,
    the_letters_link_survives_the_first_sign_in,
);

async fn issue(app: &TestApp, cookie: &str, client: i64, days: &str) -> String {
    crate::support::desk::issue_code(app, cookie, &client.to_string(), days).await
}

async fn citizen(app: &TestApp, name: &str) -> String {
    let address = app.registered(name).await;
    app.full_sign_in(&address, PASSWORD).await
}

async fn staff_functions_are_for_own_staff_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let own = staff_of(&app, "Jobcenter Nord").await;
    let other = staff_of(&app, "Jobcenter Süd").await;
    let client = new_client(&app, &own, "N-100", "").await;
    let id = client.to_string();
    let citizen = citizen(&app, "neugierig").await;
    let address = app.registered("halb").await;
    let half = format!(
        "session={}",
        app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await.cookie("session").expect("cookie")
    );
    let calls: [(&str, Vec<(&str, &str)>); 6] = [
        ("staff/desk", vec![]),
        ("staff/search", vec![("query", "")]),
        ("staff/client", vec![("id", &id)]),
        ("staff/issue-code", vec![("client_id", &id), ("valid_days", "30")]),
        ("staff/revoke-code", vec![("client_id", &id)]),
        ("staff/create-client", vec![("customer_number", "X-1")]),
    ];
    for (endpoint, form) in &calls {
        for (who, cookie) in [("anonymous", None), ("half signed in", Some(half.as_str())), ("citizen", Some(citizen.as_str()))] {
            let answer = app.call(endpoint, form, cookie).await;
            assert_ne!(answer.status, StatusCode::OK, "{endpoint} as {who}: {}", answer.body);
        }
    }
    // Staff of another job centre: the client does not exist for them.
    for endpoint in ["staff/client", "staff/issue-code", "staff/revoke-code"] {
        let form: Vec<(&str, &str)> = vec![("id", &id), ("client_id", &id), ("valid_days", "30")];
        let answer = app.call(endpoint, &form, Some(&other)).await;
        assert_eq!(answer.json, json!("NotFound"), "{endpoint}: {}", answer.body);
    }
    let search = app.call("staff/search", &[("query", "Mustermann")], Some(&other)).await;
    assert_eq!(search.json, json!([]), "other job centre's search");
    let search = app.call("staff/search", &[("query", "muster")], Some(&own)).await;
    assert_eq!(search.json.as_array().map(Vec::len), Some(1));
    assert_eq!(app.call("staff/client", &[("id", &id)], Some(&own)).await.status, StatusCode::OK);
    // Pages: anonymous visitors are sent to the sign-in page; citizens get a refusal.
    let page = app.page("/intern", None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/anmelden?next=/intern"));
    let page = app.page(&format!("/intern/kunden/{id}"), Some(&citizen)).await;
    assert!(page.body.contains("Mitarbeitenden des Jobcenters vorbehalten"), "refusal shown");
    assert!(!page.body.contains("Mustermann"), "no client data for citizens");
    app.stop().await;
}

async fn profile_functions_need_a_full_sign_in_and_a_profile(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("ohneprofil").await;
    let half = format!(
        "session={}",
        app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await.cookie("session").expect("cookie")
    );
    for (endpoint, form) in [
        ("profile/mine", vec![]),
        ("profile/redeem", vec![("code", "HET2-2X8A-UXAS")]),
        ("profile/option", vec![("option", "online"), ("enabled", "true")]),
    ] {
        assert_ne!(app.call(endpoint, &form, None).await.status, StatusCode::OK, "{endpoint} anonymous");
        assert_ne!(app.call(endpoint, &form, Some(&half)).await.status, StatusCode::OK, "{endpoint} half signed in");
    }
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    assert_eq!(app.call("profile/mine", &[], Some(&cookie)).await.json, json!(null));
    let answer = app.call("profile/option", &[("option", "online"), ("enabled", "true")], Some(&cookie)).await;
    assert_eq!(answer.json, json!("ProfileRequired"));
    for page in ["/profil", "/freischalten", "/profil/anlegen"] {
        let answer = app.page(page, None).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{page}");
    }
    app.stop().await;
}

async fn a_code_unlocks_exactly_one_profile_even_in_parallel(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Ost").await;
    let client = new_client(&app, &desk, "O-1", "").await;
    let code = issue(&app, &desk, client, "30").await;
    assert_eq!(audit_count(&app, "activation_code_issued").await, 1);
    let first = citizen(&app, "erste").await;
    let second = citizen(&app, "zweite").await;
    let lower = code.replace('-', "").to_lowercase();
    let first_form = [("code", code.as_str())];
    let second_form = [("code", lower.as_str())];
    let (a, b) = tokio::join!(
        app.call("profile/redeem", &first_form, Some(&first)),
        app.call("profile/redeem", &second_form, Some(&second)),
    );
    let outcomes = [a.json.clone(), b.json.clone()];
    assert_eq!(outcomes.iter().filter(|o| **o == json!("Activated")).count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| o["Refused"]["refusal"] == json!("Used")).count(), 1, "{outcomes:?}");
    // The winner got a new session id; the old cookie is void.
    let (winner_answer, winner_old) = if a.json == json!("Activated") { (&a, &first) } else { (&b, &second) };
    let renewed = format!("session={}", winner_answer.cookie("session").expect("new session cookie"));
    assert_ne!(&renewed, winner_old);
    assert_ne!(app.call("profile/mine", &[], Some(winner_old)).await.status, StatusCode::OK);
    let mine = app.call("profile/mine", &[], Some(&renewed)).await;
    assert_eq!(mine.json["customer_number"], json!("O-1"));
    assert_eq!(audit_count(&app, "activation_code_redeemed").await, 1);
    assert_eq!(audit_count(&app, "activation_code_rejected").await, 1);
    // Staff see it redeemed; a new code for an unlocked client is still possible but the
    // account already has a profile.
    let details = app.call("staff/client", &[("id", &client.to_string())], Some(&desk)).await;
    assert!(details.json["code"]["redeemed_at"].is_i64());
    assert!(details.json["client"]["profile_since"].is_i64());
    app.stop().await;
}

async fn expired_revoked_unknown_and_too_many_codes_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut desk = staff_of(&app, "Jobcenter West").await;
    let client = new_client(&app, &desk, "W-1", "").await;
    let cookie = citizen(&app, "pech").await;
    let redeem = |code: String| {
        let cookie = cookie.clone();
        let app = &app;
        async move { app.call("profile/redeem", &[("code", &code)], Some(&cookie)).await.json }
    };
    // Malformed entries are refused before any lookup.
    assert_eq!(redeem("HET2-2X8A-UXAT".into()).await["Malformed"]["problem"], json!("CheckCharacter"));
    assert_eq!(redeem("HET2".into()).await["Malformed"]["problem"], json!("TooShort"));
    // Unknown.
    assert_eq!(redeem("HET2-2X8A-UXAS".into()).await["Refused"]["refusal"], json!("Unknown"));
    // Expired: valid one day, two days later.
    let expiring = issue(&app, &desk, client, "1").await;
    app.clock.advance(2 * 86_400 + 60);
    // Both sessions timed out meanwhile.
    let cookie = app.full_sign_in("pech@example.org", PASSWORD).await;
    desk = app.full_sign_in("staff.jobcenter-west@example.org", PASSWORD).await;
    let answer = app.call("profile/redeem", &[("code", &expiring)], Some(&cookie)).await.json;
    assert!(answer["Refused"]["refusal"]["Expired"].is_i64(), "{answer}");
    // Revoked: a newer code replaces it; an explicit revocation voids the newer one.
    let older = issue(&app, &desk, client, "30").await;
    let newer = issue(&app, &desk, client, "30").await;
    let answer = app.call("profile/redeem", &[("code", &older)], Some(&cookie)).await.json;
    assert_eq!(answer["Refused"]["refusal"], json!("Revoked"));
    assert_eq!(app.call("staff/revoke-code", &[("client_id", &client.to_string())], Some(&desk)).await.json, json!("Revoked"));
    assert_eq!(app.call("staff/revoke-code", &[("client_id", &client.to_string())], Some(&desk)).await.json, json!("NothingActive"));
    let answer = app.call("profile/redeem", &[("code", &newer)], Some(&cookie)).await.json;
    assert_eq!(answer["Refused"]["refusal"], json!("Revoked"));
    // Wrong codes until the limit (5 per hour): then even a valid code must wait.
    for _ in 0..5 {
        app.call("profile/redeem", &[("code", "HET2-2X8A-UXAS")], Some(&cookie)).await;
    }
    let valid = issue(&app, &desk, client, "30").await;
    let answer = app.call("profile/redeem", &[("code", &valid)], Some(&cookie)).await.json;
    assert!(answer["Refused"]["refusal"]["Locked"].is_i64(), "{answer}");
    // After the hour it works.
    app.clock.advance(3601);
    let cookie = app.full_sign_in("pech@example.org", PASSWORD).await;
    assert_eq!(app.call("profile/redeem", &[("code", &valid)], Some(&cookie)).await.json, json!("Activated"));
    assert!(audit_count(&app, "activation_code_revoked").await >= 1);
    app.stop().await;
}

async fn options_are_saved_with_history_and_sms_needs_a_mobile_number(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Mitte").await;
    let without_mobile = new_client(&app, &desk, "M-1", "").await;
    let code = issue(&app, &desk, without_mobile, "30").await;
    let cookie = citizen(&app, "schalter").await;
    let answer = app.call("profile/redeem", &[("code", &code)], Some(&cookie)).await;
    assert_eq!(answer.json, json!("Activated"));
    let cookie = format!("session={}", answer.cookie("session").expect("cookie"));
    let set = |option: &'static str, enabled: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move { app.call("profile/option", &[("option", option), ("enabled", enabled)], Some(&cookie)).await.json }
    };
    let saved = set("online", "true").await;
    assert_eq!(saved["Saved"]["option"], json!("OnlineCommunication"));
    assert_eq!(saved["Saved"]["enabled"], json!(true));
    assert_eq!(set("online", "true").await["Saved"]["enabled"], json!(true));
    assert_eq!(set("email", "true").await["Saved"]["enabled"], json!(true));
    assert_eq!(set("online", "false").await["Saved"]["enabled"], json!(false));
    assert_eq!(set("sms", "true").await, json!("MobileRequired"));
    assert_eq!(app.call("profile/option", &[("option", "fax"), ("enabled", "true")], Some(&cookie)).await.json, json!("NotFound"));
    let mine = app.call("profile/mine", &[], Some(&cookie)).await.json;
    let options: Vec<Value> = mine["options"].as_array().cloned().unwrap_or_default();
    assert_eq!(options, vec![json!(["EmailNotifications", true]), json!(["SmsNotifications", false]), json!(["OnlineCommunication", false])]);
    // Three real changes (the repeated "on" is not one), newest first.
    let history = mine["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.len(), 3, "{history:?}");
    assert_eq!(history[0]["option"], json!("OnlineCommunication"));
    assert_eq!(history[0]["enabled"], json!(false));
    // Staff of the job centre see the same history.
    let details = app.call("staff/client", &[("id", &without_mobile.to_string())], Some(&desk)).await.json;
    assert_eq!(details["history"].as_array().map(Vec::len), Some(3));
    assert_eq!(audit_count(&app, "communication_option_changed").await, 3);
    app.stop().await;
}

async fn staff_input_is_checked_on_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Land").await;
    let answer = app
        .call(
            "staff/create-client",
            &[
                ("customer_number", "x"),
                ("salutation", "dr"),
                ("given_name", ""),
                ("family_name", "Muster"),
                ("birth_date", "2999-01-01"),
                ("street", "Weg 1"),
                ("postcode", "123"),
                ("city", "Ort"),
                ("mobile", "abc"),
            ],
            Some(&desk),
        )
        .await;
    assert_eq!(
        answer.json["Invalid"]["problems"],
        json!(["CustomerNumber", "Salutation", "GivenName", "BirthDate", "Postcode", "Mobile"])
    );
    new_client(&app, &desk, "L-1", "0151 2345 6789").await;
    let duplicate = app
        .call(
            "staff/create-client",
            &[
                ("customer_number", "l-1"),
                ("salutation", "herr"),
                ("given_name", "Max"),
                ("family_name", "Muster"),
                ("birth_date", "1980-01-01"),
                ("street", "Weg 1"),
                ("postcode", "12345"),
                ("city", "Ort"),
                ("mobile", ""),
            ],
            Some(&desk),
        )
        .await;
    assert!(duplicate.json["Duplicate"].is_object(), "{}", duplicate.body);
    let client = new_client(&app, &desk, "L-2", "").await;
    for days in ["0", "366"] {
        let answer = app.call("staff/issue-code", &[("client_id", &client.to_string()), ("valid_days", days)], Some(&desk)).await;
        assert_eq!(answer.json, json!("InvalidValidity"), "{days}");
    }
    app.stop().await;
}

async fn the_letters_link_survives_the_first_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("qr").await;
    let link = "/freischalten?code=HET2-2X8A-UXAS";
    let answer = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD), ("next", link)], None).await;
    assert_eq!(answer.json["SignedIn"]["next"], json!("/mfa/einrichten?next=/freischalten%3Fcode%3DHET2-2X8A-UXAS"));
    let cookie = format!("session={}", answer.cookie("session").expect("cookie"));
    let setup = app.call("mfa/totp-start", &[], Some(&cookie)).await;
    let secret: String = setup.json["secret_grouped"].as_str().expect("secret").split_whitespace().collect();
    app.clock.advance(31);
    let code = app::backend::mfa::totp::code_at(&secret, app.clock.now()).expect("code");
    // Only local paths are followed.
    let done = app.call("mfa/totp-confirm", &[("code", &code), ("next", link)], Some(&cookie)).await;
    assert_eq!(done.json["Done"]["next"], json!(link), "{}", done.body);
    app.stop().await;
}
