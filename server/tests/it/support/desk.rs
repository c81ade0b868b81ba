//! Job centres, staff and client records for the tests, made the way operators and
//! the desk make them.

use app::backend::{job_centres, passwords, staff};

use super::{TestApp, PASSWORD};

/// A job centre called `name` with one staff member (`staff.<name>@example.org`), signed
/// in with a second factor; returns the staff member's cookie.
pub async fn staff_of(app: &TestApp, name: &str) -> String {
    let now = app.clock.now();
    let centre = app::domain::job_centre::JobCentreContact {
        name: name.to_owned(),
        street: "Weg 1".into(),
        postcode: "12345".into(),
        city: "Stadt".into(),
        phone: "0800 1".into(),
        email: "info@example.org".into(),
    };
    job_centres::create(&app.state.db, &centre, now).await.expect("job centre");
    let hash = passwords::hash_blocking(PASSWORD.as_bytes()).expect("hash");
    staff::create_account(&app.state.db, name, &staff_email(name), "Sachbearbeitung", Some(hash), now).await.expect("staff");
    app.full_sign_in(&staff_email(name), PASSWORD).await
}

/// The address of the staff member [`staff_of`] made for job centre `name`.
pub fn staff_email(name: &str) -> String {
    // Only ASCII before the @ (as the portal requires): "Jobcenter Süd" → "jobcenter-s-d".
    let local: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("staff.{local}@example.org")
}

/// A client record "Erika Mustermann" with customer number `number` and `mobile` (may
/// be empty), created on the desk of `desk`; returns its id.
pub async fn new_client(app: &TestApp, desk: &str, number: &str, mobile: &str) -> i64 {
    let answer = app
        .call(
            "staff/create-client",
            &[
                ("customer_number", number),
                ("salutation", "frau"),
                ("given_name", "Erika"),
                ("family_name", "Mustermann"),
                ("birth_date", "1984-08-12"),
                ("street", "Heidestraße 17"),
                ("postcode", "12345"),
                ("city", "Musterstadt"),
                ("mobile", mobile),
            ],
            Some(desk),
        )
        .await;
    let next = answer.json["Created"]["next"].as_str().unwrap_or_else(|| panic!("not created: {}", answer.body));
    next.rsplit('/').next().and_then(|id| id.parse().ok()).expect("id")
}

/// How many security-log entries of `event` there are.
pub async fn audit_count(app: &TestApp, event: &str) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE event = $1")
        .bind(event)
        .fetch_one(app.state.db.pool())
        .await
        .expect("count")
        .try_get("n")
        .expect("n")
}

/// A fresh activation code for `client`, valid `days`, issued at `desk`.
pub async fn issue_code(app: &TestApp, desk: &str, client: &str, days: &str) -> String {
    let answer = app.call("staff/issue-code", &[("client_id", client), ("valid_days", days)], Some(desk)).await;
    answer.json["Issued"]["code"].as_str().unwrap_or_else(|| panic!("not issued: {}", answer.body)).to_owned()
}

/// A citizen `name` who registered, signed in fully and unlocked `client`'s profile with
/// a code from `desk`; returns the address and the session cookie (the new one: unlocking
/// renews the session).
pub async fn citizen_with_profile(app: &TestApp, desk: &str, client: &str, name: &str) -> (String, String) {
    let code = issue_code(app, desk, client, "30").await;
    let address = app.registered(name).await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    let redeemed = app.call("profile/redeem", &[("code", &code)], Some(&cookie)).await;
    assert_eq!(redeemed.json, serde_json::json!("Activated"), "{}", redeemed.body);
    (address, format!("session={}", redeemed.cookie("session").expect("a new session")))
}

/// A citizen with a profile at a job centre of their own ("Jobcenter <name>", client
/// "K-<name>" with `mobile` on record); returns the session cookie.
pub async fn citizen_with_own_profile(app: &TestApp, name: &str, mobile: &str) -> String {
    let desk = staff_of(app, &format!("Jobcenter {name}")).await;
    let client = new_client(app, &desk, &format!("K-{name}"), mobile).await.to_string();
    citizen_with_profile(app, &desk, &client, name).await.1
}

