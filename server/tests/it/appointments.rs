//! Appointments on SQLite and PostgreSQL: staff create and cancel them for their own
//! clients, citizens see theirs and download the calendar file, and the SMS reminder
//! goes out exactly once at the right time (clock moved by the test), also with two
//! more workers racing for it — and not at all when cancelled or SMS was switched off.

use app::backend::{appointments, outbox};
use reqwest::{header, StatusCode};
use serde_json::json;
use crate::support::{
    desk::{new_client, staff_email, staff_of},
    Backend, TestApp, PASSWORD,
};

on_both_databases!(
    the_reminder_goes_out_once_a_day_before,
    no_reminder_when_cancelled_or_sms_switched_off,
    racing_workers_send_each_reminder_once,
    appointments_are_for_their_client_and_job_centre_only,
);

/// A citizen with a profile, SMS-Benachrichtigung on and a confirmed number.
async fn citizen_with_sms(app: &TestApp, desk: &str, client: &str, name: &str, mobile: &str) -> String {
    let (_, cookie) = crate::support::desk::citizen_with_profile(app, desk, client, name).await;
    assert!(app.call("profile/mobile/send", &[("mobile", mobile)], Some(&cookie)).await.json["CodeSent"].is_object());
    let sms = outbox::recent(&app.state.db, outbox::Channel::Sms, 1).await.expect("outbox").remove(0);
    let sms_code: String = sms.body_text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("code").to_owned();
    assert!(app.call("profile/mobile/confirm", &[("code", &sms_code)], Some(&cookie)).await.json["Confirmed"].is_object());
    assert!(app.call("profile/option", &[("option", "sms"), ("enabled", "true")], Some(&cookie)).await.json["Saved"].is_object());
    cookie
}

/// Date and time fields for `unix` in German local time.
fn local(unix: i64) -> (String, String) {
    let c = app::domain::datetime::german_time(unix);
    (format!("{:04}-{:02}-{:02}", c.year, c.month, c.day), format!("{:02}:{:02}", c.hour, c.minute))
}

async fn create(app: &TestApp, desk: &str, client: &str, starts_at: i64, subject: &str) -> serde_json::Value {
    let (date, time) = local(starts_at);
    let form = [
        ("client_id", client),
        ("date", &date),
        ("time", &time),
        ("duration", "30"),
        ("mode", "vor_ort"),
        ("place", "Musterstraße 1, Raum 204"),
        ("subject", subject),
        ("notes", "Bitte Personalausweis mitbringen."),
    ];
    app.call("staff/create-appointment", &form, Some(desk)).await.json
}

async fn reminders_to(app: &TestApp, mobile: &str) -> usize {
    outbox::recent(&app.state.db, outbox::Channel::Sms, 500)
        .await
        .expect("outbox")
        .iter()
        .filter(|m| m.recipient == mobile && m.body_text.contains("Erinnerung"))
        .count()
}

async fn wait_for_reminders(app: &TestApp, mobile: &str, n: usize) {
    for _ in 0..100 {
        if reminders_to(app, mobile).await >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{n} reminder(s) for {mobile} did not come");
}

async fn the_reminder_goes_out_once_a_day_before(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Erinnerung").await;
    let client = new_client(&app, &desk, "E-1", "").await.to_string();
    citizen_with_sms(&app, &desk, &client, "termin", "0151 7000001").await;
    let mobile = "+491517000001";
    // Whole minutes, 48 hours ahead.
    let starts_at = (app.clock.now() / 60 + 48 * 60) * 60;
    assert_eq!(create(&app, &desk, &client, starts_at, "Beratungsgespräch").await, json!("Created"));
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(reminders_to(&app, mobile).await, 0, "not yet: 48 h before");
    // 24 h and one minute before: not yet.
    app.clock.advance(starts_at - 24 * 3600 - 60 - app.clock.now());
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(reminders_to(&app, mobile).await, 0, "not yet: a minute early");
    // Due.
    app.clock.advance(120);
    wait_for_reminders(&app, mobile, 1).await;
    let text = outbox::recent(&app.state.db, outbox::Channel::Sms, 1).await.expect("outbox").remove(0).body_text;
    assert!(text.contains("Musterstraße 1"), "{text}");
    // And never again, also after a restart of the loop's view of time.
    app.clock.advance(3600);
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(reminders_to(&app, mobile).await, 1);
    // (Sessions have timed out while the clock moved on: sign in again.)
    let desk = app.full_sign_in(&staff_email("Jobcenter Erinnerung"), PASSWORD).await;
    let cookie = app.full_sign_in("termin@example.org", PASSWORD).await;
    let staff_view = app.call("staff/appointments", &[("client_id", &client)], Some(&desk)).await.json;
    assert_eq!(staff_view[0]["reminder"][1], json!("sent"), "{staff_view}");
    // The citizen sees it and can add it to a calendar.
    let mine = app.call("appointments/mine", &[], Some(&cookie)).await.json;
    assert_eq!(mine["upcoming"][0]["subject"], json!("Beratungsgespräch"));
    let id = mine["upcoming"][0]["id"].as_i64().expect("id");
    let ics = app.client.get(app.url(&format!("/kalender/{id}"))).header(header::COOKIE, &cookie).send().await.expect("ics");
    assert_eq!(ics.status(), StatusCode::OK);
    assert_eq!(ics.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("text/calendar; charset=utf-8"));
    let body = ics.text().await.expect("body");
    assert!(body.contains("BEGIN:VEVENT") && body.contains("SUMMARY:Beratungsgespräch (Jobcenter Erinnerung)"), "{body}");
    app.stop().await;
}

async fn no_reminder_when_cancelled_or_sms_switched_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Absage").await;
    let client = new_client(&app, &desk, "A-1", "").await.to_string();
    let cookie = citizen_with_sms(&app, &desk, &client, "absage", "0151 7000002").await;
    let mobile = "+491517000002";
    let starts_at = (app.clock.now() / 60 + 48 * 60) * 60;
    create(&app, &desk, &client, starts_at, "Wird abgesagt").await;
    create(&app, &desk, &client, starts_at + 3600, "SMS aus").await;
    let list = app.call("staff/appointments", &[("client_id", &client)], Some(&desk)).await.json;
    let first = list[0]["id"].as_i64().expect("id").to_string();
    assert_eq!(app.call("staff/cancel-appointment", &[("client_id", &client), ("id", &first)], Some(&desk)).await.json, json!(true));
    assert_eq!(app.call("profile/option", &[("option", "sms"), ("enabled", "false")], Some(&cookie)).await.json["Saved"]["enabled"], json!(false));
    app.clock.advance(25 * 3600);
    let desk = app.full_sign_in(&staff_email("Jobcenter Absage"), PASSWORD).await;
    for _ in 0..50 {
        let list = app.call("staff/appointments", &[("client_id", &client)], Some(&desk)).await.json;
        if list[1]["reminder"].is_array() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let list = app.call("staff/appointments", &[("client_id", &client)], Some(&desk)).await.json;
    assert_eq!(list[0]["reminder"], serde_json::Value::Null, "cancelled: never decided");
    assert_eq!(list[1]["reminder"][1], json!("sms_off"));
    assert_eq!(reminders_to(&app, mobile).await, 0);
    app.stop().await;
}

async fn racing_workers_send_each_reminder_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Wettlauf").await;
    let client = new_client(&app, &desk, "W-1", "").await.to_string();
    citizen_with_sms(&app, &desk, &client, "wettlauf", "0151 7000003").await;
    let mobile = "+491517000003";
    let base = (app.clock.now() / 60 + 48 * 60) * 60;
    for i in 0..12 {
        assert_eq!(create(&app, &desk, &client, base + i * 600, &format!("Termin {i}")).await, json!("Created"));
    }
    // All due at once; the server's own loop and two more workers race for them.
    app.clock.advance(30 * 3600);
    let worker = |db: app::backend::Db, now: i64| async move {
        let mut decided = 0;
        while appointments::remind_next(&db, now, 24, "Jobcenter digital").await.expect("remind") {
            decided += 1;
        }
        decided
    };
    let now = app.clock.now();
    let (a, b) = tokio::join!(worker(app.state.db.clone(), now), worker(app.state.db.clone(), now));
    assert!(a + b <= 12, "{a} + {b}");
    wait_for_reminders(&app, mobile, 12).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(reminders_to(&app, mobile).await, 12, "each exactly once");
    app.stop().await;
}

async fn appointments_are_for_their_client_and_job_centre_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Eigen").await;
    let other_desk = staff_of(&app, "Jobcenter Fremd").await;
    let client = new_client(&app, &desk, "F-1", "").await.to_string();
    let other_client = new_client(&app, &desk, "F-2", "").await.to_string();
    let owner = citizen_with_sms(&app, &desk, &client, "eigen", "0151 7000004").await;
    let stranger = citizen_with_sms(&app, &desk, &other_client, "fremd", "0151 7000005").await;
    let starts_at = (app.clock.now() / 60 + 72 * 60) * 60;
    // Staff of another job centre cannot create, list or cancel.
    assert_eq!(create(&app, &other_desk, &client, starts_at, "Fremd").await, json!("NotFound"));
    assert_eq!(create(&app, &desk, &client, starts_at, "Eigen").await, json!("Created"));
    assert_eq!(app.call("staff/appointments", &[("client_id", &client)], Some(&other_desk)).await.json, json!("NotFound"));
    let id = app.call("appointments/mine", &[], Some(&owner)).await.json["upcoming"][0]["id"].as_i64().expect("id").to_string();
    assert_eq!(app.call("staff/cancel-appointment", &[("client_id", &client), ("id", &id)], Some(&other_desk)).await.json, json!("NotFound"));
    assert_eq!(app.call("staff/cancel-appointment", &[("client_id", &other_client), ("id", &id)], Some(&desk)).await.json, json!("NotFound"));
    // Citizens: only their own; anonymous and citizens without profile get nothing.
    assert_eq!(app.call("appointments/mine", &[], Some(&stranger)).await.json["upcoming"], json!([]));
    for cookie in [Some(stranger.as_str()), Some(other_desk.as_str()), None] {
        let mut request = app.client.get(app.url(&format!("/kalender/{id}")));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        assert_eq!(request.send().await.expect("ics").status(), StatusCode::NOT_FOUND);
    }
    assert_ne!(app.call("appointments/mine", &[], None).await.status, StatusCode::OK);
    assert_ne!(app.call("staff/create-appointment", &[("client_id", client.as_str())], Some(&owner)).await.status, StatusCode::OK);
    // The form is checked on the server.
    let past = app.clock.now() - 3600;
    let answer = create(&app, &desk, &client, past, "Gestern").await;
    assert_eq!(answer["Invalid"]["problems"], json!(["Past"]));
    app.stop().await;
}
