//! Who may open what, as the typed caller (`app::api::caller`) decides it once per
//! request: refusals answer with their real HTTP status, and every account lands where
//! its role belongs after signing in (`app::domain::access::landing`).

use serde_json::json;

use crate::support::{
    desk::{staff_email, staff_of},
    Backend, TestApp, PASSWORD,
};

on_both_databases!(a_citizen_opening_the_desk_gets_403, staff_land_on_the_desk_citizens_on_their_account, file_routes_hide_what_is_not_yours);

async fn a_citizen_opening_the_desk_gets_403(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let staff = staff_of(&app, "Jobcenter Nord").await;
    let address = app.registered("citizen-desk").await;
    let citizen = app.full_sign_in(&address, PASSWORD).await;
    for path in ["/intern", "/intern/kunden/neu", "/intern/nachrichten", "/intern/postversand", "/intern/rueckmeldungen"] {
        let refused = app.page(path, Some(&citizen)).await;
        assert_eq!(refused.status.as_u16(), 403, "{path} for a citizen");
        assert!(refused.body.contains("Dieser Bereich ist den Mitarbeitenden des Jobcenters vorbehalten."), "{path}: says why");
        assert_eq!(app.page(path, Some(&staff)).await.status.as_u16(), 200, "{path} for staff");
    }
    // The server functions behind the desk say the same.
    let answer = app.call("staff/desk", &[], Some(&citizen)).await;
    assert_eq!((answer.status.as_u16(), answer.json.clone()), (403, json!("StaffOnly")));
    // A citizen without an unlocked profile: the postbox asks for the profile (403).
    let postbox = app.page("/postfach", Some(&citizen)).await;
    assert_eq!(postbox.status.as_u16(), 403, "postbox before activation");
    app.stop().await;
}

async fn staff_land_on_the_desk_citizens_on_their_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    staff_of(&app, "Jobcenter Ost").await;
    let address = app.registered("citizen-landing").await;
    app.full_sign_in(&address, PASSWORD).await;
    for (who, expected) in [(staff_email("Jobcenter Ost"), "/intern"), (address.clone(), "/konto")] {
        let signed_in = app.call("auth/sign-in", &[("email", &who), ("password", PASSWORD)], None).await;
        let cookie = format!("session={}", signed_in.cookie("session").expect("session"));
        let code = app.next_totp_code(&who);
        let done = app.call("mfa/second-factor", &[("method", "totp"), ("code", &code)], Some(&cookie)).await;
        assert_eq!(done.json["SignedIn"]["next"], json!(expected), "{who}");
    }
    app.stop().await;
}

async fn file_routes_hide_what_is_not_yours(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = app.registered("citizen-files").await;
    let citizen = app.full_sign_in(&address, PASSWORD).await;
    for (path, anonymous) in [("/dateien/1", 404), ("/postfach/1/eingangsbestaetigung", 303), ("/kalender/1", 404)] {
        // Pages under /postfach send anonymous visitors to the sign-in first.
        assert_eq!(app.page(path, None).await.status.as_u16(), anonymous, "{path} anonymous");
        assert_eq!(app.page(path, Some(&citizen)).await.status.as_u16(), 404, "{path} without a profile");
    }
    app.stop().await;
}
