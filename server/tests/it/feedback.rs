//! Feedback on barriers (accessibility statement) on SQLite and PostgreSQL: anyone may
//! send it, with and without JavaScript; the server re-checks the input, limits how
//! often one address sends, and only staff read it and mark it as dealt with.

use reqwest::StatusCode;
use serde_json::json;
use crate::support::{desk::staff_of, Backend, TestApp, PASSWORD};

on_both_databases!(
    feedback_is_stored_checked_and_limited,
    only_staff_read_feedback,
    the_form_works_without_javascript,
);

async fn send(app: &TestApp, message: &str, email: &str) -> serde_json::Value {
    let form = [("message", message), ("page", "/postfach"), ("name", "Erika Muster"), ("email", email)];
    app.call("feedback/send", &form, None).await.json
}

async fn feedback_is_stored_checked_and_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The server re-checks what the browser checked.
    let refused = send(&app, "   ", "keine-adresse").await;
    assert_eq!(refused["Invalid"]["problems"], json!(["MessageMissing", "Email"]), "{refused}");
    assert_eq!(refused["Invalid"]["input"]["page"], "/postfach", "the input comes back");
    let too_long = send(&app, &"x".repeat(5_001), "").await;
    assert_eq!(too_long["Invalid"]["problems"], json!(["MessageTooLong"]));

    for n in 0..app::domain::feedback::PER_HOUR {
        let answer = send(&app, &format!("Der Kontrast ist zu gering ({n})."), "erika@example.org").await;
        assert_eq!(answer, json!("Received"));
    }
    // One more within the hour from the same address is refused, with the text kept.
    let sixth = send(&app, "Noch etwas", "").await;
    assert_eq!(sixth["TooMany"]["input"]["message"], "Noch etwas", "{sixth}");
    // An hour later it is accepted again.
    app.state.clock.advance(3_601);
    assert_eq!(send(&app, "Noch etwas", "").await, json!("Received"));

    let stored = app::backend::accessibility_feedback::list(&app.state.db).await.expect("list");
    assert_eq!(stored.len() as i64, app::domain::feedback::PER_HOUR + 1);
    assert_eq!(stored[0].input.message, "Noch etwas");
    assert_eq!(stored[1].input.email, "erika@example.org");
    app.stop().await;
}

async fn only_staff_read_feedback(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(send(&app, "Die Tabelle hat keine Überschriften.", "").await, json!("Received"));
    let address = app.registered("neugierig").await;
    let citizen = app.full_sign_in(&address, PASSWORD).await;
    let half = format!(
        "session={}",
        app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await.cookie("session").expect("cookie")
    );
    for (who, cookie) in [("anonymous", None), ("half signed in", Some(half.as_str())), ("citizen", Some(citizen.as_str()))] {
        for (endpoint, form) in [("feedback/list", vec![]), ("feedback/done", vec![("id", "1")])] {
            let answer = app.call(endpoint, &form, cookie).await;
            assert_ne!(answer.status, StatusCode::OK, "{endpoint} as {who}: {}", answer.body);
            assert!(!answer.body.contains("Überschriften"), "{endpoint} as {who} leaks feedback");
        }
    }
    // Staff of any job centre read it (the portal is run for all of them) and mark it once.
    let desk = staff_of(&app, "Jobcenter Nord").await;
    let list = app.call("feedback/list", &[], Some(&desk)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let id = list.json[0]["id"].as_i64().expect("id").to_string();
    assert_eq!(list.json[0]["input"]["message"], "Die Tabelle hat keine Überschriften.");
    assert_eq!(list.json[0]["done_at"], json!(null));
    assert_eq!(app.call("feedback/done", &[("id", &id)], Some(&desk)).await.status, StatusCode::OK);
    let again = app.call("feedback/done", &[("id", &id)], Some(&desk)).await;
    assert_eq!(again.json, json!("NotFound"), "marked once");
    let other = staff_of(&app, "Jobcenter Süd").await;
    assert!(app.call("feedback/list", &[], Some(&other)).await.json[0]["done_at"].is_i64());
    app.stop().await;
}

async fn the_form_works_without_javascript(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let refused = app
        .post_form_without_js("feedback/send", &[("message", ""), ("page", ""), ("name", ""), ("email", "x@")], "/barrierefreiheit", None)
        .await;
    assert_eq!(refused.status, StatusCode::FOUND);
    let flash = format!("flash={}", refused.cookie("flash").expect("flash cookie"));
    let page = app.page("/barrierefreiheit", Some(&flash)).await;
    assert!(page.body.contains("Bitte prüfen Sie Ihre Eingaben"), "error summary");
    assert!(page.body.contains("Bitte beschreiben Sie das Problem."));
    assert!(page.body.contains("value=\"x@\""), "the address is kept");

    let sent = app
        .post_form_without_js(
            "feedback/send",
            &[("message", "Das PDF ist nicht barrierefrei."), ("page", ""), ("name", ""), ("email", "")],
            "/barrierefreiheit",
            None,
        )
        .await;
    let flash = format!("flash={}", sent.cookie("flash").expect("flash cookie"));
    let page = app.page("/barrierefreiheit", Some(&flash)).await;
    assert!(page.body.contains("Vielen Dank. Ihre Rückmeldung ist eingegangen."));
    app.stop().await;
}
