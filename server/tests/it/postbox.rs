//! The Leistungspostfach on SQLite and PostgreSQL: staff send documents (multipart
//! upload, streamed into the database), the channel follows Online-Kommunikation, the
//! notification mail carries only a link, the citizen downloads exactly the uploaded
//! bytes, the legal trail is recorded, the print queue, and who may see what (every
//! other requester gets 404). Refused uploads leave nothing behind.

use reqwest::{header, multipart, StatusCode};
use serde_json::{json, Value};
use crate::support::{
    desk::{new_client, staff_of},
    Backend, TestApp, PASSWORD,
};

on_both_databases!(
    a_document_reaches_the_postbox_with_notification_and_trail,
    with_online_communication_off_it_goes_to_the_print_queue,
    only_the_owner_and_their_job_centre_see_items_and_files,
    refused_uploads_leave_nothing_behind,
    citizens_write_with_evidence_get_a_receipt_and_staff_reply,
    the_inbox_has_pages_and_a_kind_filter,
);

/// A citizen who unlocked `client`'s profile with `options` switched on; returns the
/// citizen's address and cookie.
async fn citizen_of(app: &TestApp, desk: &str, client: &str, name: &str, options: &[&str]) -> (String, String) {
    let (address, cookie) = crate::support::desk::citizen_with_profile(app, desk, client, name).await;
    for option in options {
        let saved = app.call("profile/option", &[("option", option), ("enabled", "true")], Some(&cookie)).await;
        assert!(saved.json["Saved"].is_object(), "{}", saved.body);
    }
    (address, cookie)
}

/// A small but real PDF.
fn pdf(marker: &str) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    bytes.extend_from_slice(marker.as_bytes());
    // More than one storage chunk, to test that chunks join up.
    bytes.extend((0..300_000u32).map(|i| (i % 251) as u8));
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

/// Posts the desk's send form; returns the response (a redirect with the flash cookie).
async fn send(app: &TestApp, desk: &str, client: &str, kind: &str, subject: &str, file: Option<(&str, Vec<u8>)>) -> reqwest::Response {
    let mut form = multipart::Form::new().text("kind", kind.to_owned()).text("subject", subject.to_owned()).text("body", "Bitte lesen.");
    if let Some((name, bytes)) = file {
        form = form.part("file", multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str("application/pdf").expect("mime"));
    }
    app.client
        .post(app.url(&format!("/intern/kunden/{client}/senden")))
        .header(header::ORIGIN, &app.base_url)
        .header(header::COOKIE, desk)
        .multipart(form)
        .send()
        .await
        .expect("send")
}

async fn download(app: &TestApp, file: i64, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(&format!("/dateien/{file}")));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.send().await.expect("download")
}

/// The citizen's form: `files` as (name, bytes, claimed MIME type).
async fn write(app: &TestApp, cookie: &str, kind: &str, subject: &str, body: &str, reply_to: Option<i64>, files: Vec<(&str, Vec<u8>, &str)>) -> reqwest::Response {
    let mut form = multipart::Form::new().text("kind", kind.to_owned()).text("subject", subject.to_owned()).text("body", body.to_owned());
    if let Some(id) = reply_to {
        form = form.text("reply_to", id.to_string());
    }
    for (name, bytes, mime) in files {
        form = form.part("files", multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).expect("mime"));
    }
    app.client
        .post(app.url("/postfach/senden"))
        .header(header::ORIGIN, &app.base_url)
        .header(header::COOKIE, cookie)
        .multipart(form)
        .send()
        .await
        .expect("write")
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn png() -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend((0..5000u32).map(|i| (i % 200) as u8));
    bytes
}

async fn count(app: &TestApp, table: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(app.state.db.pool()).await.expect("count").try_get("n").expect("n")
}

async fn a_document_reaches_the_postbox_with_notification_and_trail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Nord").await;
    let client = new_client(&app, &desk, "N-1", "").await.to_string();
    let (address, cookie) = citizen_of(&app, &desk, &client, "post.online", &["online", "email"]).await;
    let bytes = pdf("Bewilligungsbescheid");
    let sent = send(&app, &desk, &client, "bescheid", "Bewilligung von Bürgergeld", Some(("Bescheid März.pdf", bytes.clone()))).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()), Some(format!("/intern/kunden/{client}").as_str()));
    // The notification: a link, no content.
    let mail = app.smtp.wait_for_subject(&address, "Neue Mitteilung in Ihrem Postfach").await;
    let link = mail.link("/postfach/").expect("link");
    assert!(!mail.text().contains("Bürgergeld"), "no content in the mail");
    let inbox = app.call("postbox/inbox", &[], Some(&cookie)).await.json;
    assert_eq!(inbox["total"], json!(1));
    assert_eq!(inbox["unread"], json!(1));
    let id = inbox["items"][0]["id"].as_i64().expect("id");
    assert!(link.ends_with(&format!("/postfach/{id}")));
    assert_eq!(app.call("postbox/unread", &[], Some(&cookie)).await.json, json!(1));
    // Filter by kind.
    assert_eq!(app.call("postbox/inbox", &[("kind", "nachricht")], Some(&cookie)).await.json["total"], json!(0));
    assert_eq!(app.call("postbox/inbox", &[("kind", "bescheid")], Some(&cookie)).await.json["total"], json!(1));
    // Opening records the first time only.
    let item = app.call("postbox/item", &[("id", &id.to_string())], Some(&cookie)).await.json;
    let opened = item["opened_at"].as_i64().expect("opened");
    app.clock.advance(60);
    let again = app.call("postbox/item", &[("id", &id.to_string())], Some(&cookie)).await.json;
    assert_eq!(again["opened_at"].as_i64(), Some(opened));
    assert_eq!(app.call("postbox/unread", &[], Some(&cookie)).await.json, json!(0));
    let file = item["attachments"][0].clone();
    assert_eq!(file["filename"], json!("Bescheid März.pdf"));
    assert_eq!(file["size"].as_i64(), Some(bytes.len() as i64));
    // The download is the uploaded file, byte for byte.
    let response = download(&app, file["id"].as_i64().expect("file id"), Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert_eq!(headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"));
    let disposition = headers.get(header::CONTENT_DISPOSITION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''Bescheid%20M%C3%A4rz.pdf"), "{disposition}");
    assert_eq!(response.bytes().await.expect("bytes").to_vec(), bytes);
    // Staff see the channel, the reason and the trail.
    let staff_view = app.call("staff/postbox", &[("client_id", &client)], Some(&desk)).await.json;
    let entry = &staff_view[0];
    assert_eq!(entry["channel"], json!("Online"));
    assert_eq!(entry["reason"], json!("OnlineCommunicationOn"));
    assert_eq!(entry["item"]["opened_at"].as_i64(), Some(opened));
    let notified = entry["notified_at"].as_i64().expect("notification accepted by the SMTP server");
    assert_eq!(entry["item"]["deemed_notice_at"].as_i64(), Some(notified + 4 * 86_400));
    app.stop().await;
}

async fn with_online_communication_off_it_goes_to_the_print_queue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Süd").await;
    let other_desk = staff_of(&app, "Jobcenter West").await;
    let client = new_client(&app, &desk, "S-1", "").await.to_string();
    let without_profile = new_client(&app, &desk, "S-2", "").await.to_string();
    let (address, cookie) = citizen_of(&app, &desk, &client, "post.papier", &["email"]).await;
    send(&app, &desk, &client, "schreiben", "Einladung", Some(("einladung.pdf", pdf("Einladung")))).await;
    send(&app, &desk, &without_profile, "nachricht", "Hinweis", None).await;
    // Not in the postbox, no notification mail.
    assert_eq!(app.call("postbox/inbox", &[], Some(&cookie)).await.json["total"], json!(0));
    let queue = app.call("staff/print-queue", &[], Some(&desk)).await.json;
    let reasons: Vec<Value> = queue.as_array().cloned().unwrap_or_default().iter().map(|e| e["item"]["reason"].clone()).collect();
    assert_eq!(reasons, vec![json!("OnlineCommunicationOff"), json!("NoProfile")]);
    assert_eq!(app.call("staff/print-queue", &[], Some(&other_desk)).await.json, json!([]));
    let first = queue[0]["item"]["item"]["id"].as_i64().expect("id").to_string();
    // Another job centre cannot mark it; its own can, once.
    assert_eq!(app.call("staff/mark-printed", &[("item_id", &first)], Some(&other_desk)).await.json, json!("NotFound"));
    assert_eq!(app.call("staff/mark-printed", &[("item_id", &first)], Some(&desk)).await.json, json!(true));
    assert_eq!(app.call("staff/mark-printed", &[("item_id", &first)], Some(&desk)).await.json, json!("NotFound"));
    assert_eq!(app.call("staff/print-queue", &[], Some(&desk)).await.json.as_array().map(Vec::len), Some(1));
    let staff_view = app.call("staff/postbox", &[("client_id", &client)], Some(&desk)).await.json;
    assert!(staff_view[0]["printed_at"].is_i64());
    assert_eq!(staff_view[0]["channel"], json!("Post"));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(app.smtp.to(&address).iter().all(|m| m.subject() != "Neue Mitteilung in Ihrem Postfach"));
    app.stop().await;
}

async fn only_the_owner_and_their_job_centre_see_items_and_files(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Ost").await;
    let other_desk = staff_of(&app, "Jobcenter Mitte").await;
    let client = new_client(&app, &desk, "O-1", "").await.to_string();
    let other_client = new_client(&app, &desk, "O-2", "").await.to_string();
    let (_, owner) = citizen_of(&app, &desk, &client, "eigentuemerin", &["online"]).await;
    let (_, stranger) = citizen_of(&app, &desk, &other_client, "fremde", &["online"]).await;
    send(&app, &desk, &client, "bescheid", "Bescheid", Some(("b.pdf", pdf("x")))).await;
    let item = app.call("postbox/inbox", &[], Some(&owner)).await.json["items"][0].clone();
    let id = item["id"].as_i64().expect("id").to_string();
    let opened = app.call("postbox/item", &[("id", &id)], Some(&owner)).await.json;
    let file = opened["attachments"][0]["id"].as_i64().expect("file");
    // Another citizen, staff of another job centre, anonymous: nothing.
    assert_eq!(app.call("postbox/item", &[("id", &id)], Some(&stranger)).await.json, json!("NotFound"));
    assert_eq!(app.call("postbox/inbox", &[], Some(&stranger)).await.json["total"], json!(0));
    for (who, cookie) in [("stranger", Some(stranger.as_str())), ("other job centre", Some(other_desk.as_str())), ("anonymous", None)] {
        assert_eq!(download(&app, file, cookie).await.status(), StatusCode::NOT_FOUND, "download as {who}");
    }
    assert_eq!(download(&app, file + 1000, Some(&owner)).await.status(), StatusCode::NOT_FOUND, "unknown file");
    assert_eq!(download(&app, file, Some(&desk)).await.status(), StatusCode::OK, "own job centre");
    assert_eq!(app.call("staff/postbox", &[("client_id", &client)], Some(&other_desk)).await.json, json!("NotFound"));
    assert_eq!(send(&app, &other_desk, &client, "nachricht", "Fremd", None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(send(&app, &owner, &client, "nachricht", "Selbst", None).await.status(), StatusCode::NOT_FOUND, "citizens cannot send as staff");
    // Server functions without a full sign-in or without a profile.
    let address = app.registered("ohneprofil").await;
    let half = format!(
        "session={}",
        app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await.cookie("session").expect("cookie")
    );
    let no_profile = app.full_sign_in(&address, PASSWORD).await;
    for (endpoint, form) in [("postbox/inbox", vec![]), ("postbox/item", vec![("id", id.as_str())])] {
        assert_ne!(app.call(endpoint, &form, None).await.status, StatusCode::OK, "{endpoint} anonymous");
        assert_ne!(app.call(endpoint, &form, Some(&half)).await.status, StatusCode::OK, "{endpoint} half signed in");
        assert_eq!(app.call(endpoint, &form, Some(&no_profile)).await.json, json!("ProfileRequired"), "{endpoint} without profile");
    }
    for endpoint in ["staff/postbox", "staff/print-queue", "staff/mark-printed", "staff/inbox", "staff/conversation", "staff/mark-done"] {
        let form = [("client_id", client.as_str()), ("item_id", id.as_str()), ("id", id.as_str()), ("thread_id", id.as_str())];
        assert_ne!(app.call(endpoint, &form, Some(&owner)).await.status, StatusCode::OK, "{endpoint} as citizen");
        assert_ne!(app.call(endpoint, &form, None).await.status, StatusCode::OK, "{endpoint} anonymous");
    }
    assert_eq!(app.page("/postfach", None).await.status, StatusCode::SEE_OTHER);
    app.stop().await;
}

async fn refused_uploads_leave_nothing_behind(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Land").await;
    let client = new_client(&app, &desk, "L-1", "").await.to_string();
    let refused = |response: reqwest::Response| async move {
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let flash = response.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|c| c.starts_with("flash="));
        assert!(flash, "the form comes back with a message");
    };
    // A Windows program named like a PDF.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.extend(std::iter::repeat_n(0u8, 4096));
    refused(send(&app, &desk, &client, "bescheid", "Programm", Some(("bescheid.pdf", exe))).await).await;
    // A PNG is not a PDF.
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0].to_vec();
    refused(send(&app, &desk, &client, "bescheid", "Bild", Some(("bild.pdf", png))).await).await;
    // Too large: more than 10 MB (and more than the body limit: refused either way).
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'a');
    let response = send(&app, &desk, &client, "bescheid", "Zu groß", Some(("gross.pdf", big))).await;
    assert!(matches!(response.status(), StatusCode::SEE_OTHER | StatusCode::PAYLOAD_TOO_LARGE), "{}", response.status());
    // A document without its PDF, and a message without subject.
    refused(send(&app, &desk, &client, "bescheid", "Ohne Datei", None).await).await;
    refused(send(&app, &desk, &client, "nachricht", " ", None).await).await;
    assert_eq!(count(&app, "postbox_items").await, 0);
    assert_eq!(count(&app, "files").await, 0, "no half-stored file");
    assert_eq!(count(&app, "file_chunks").await, 0);
    // Exactly 10 MB is fine.
    let mut largest = b"%PDF-1.4\n".to_vec();
    largest.resize(10 * 1024 * 1024, b'a');
    assert_eq!(send(&app, &desk, &client, "bescheid", "Genau 10 MB", Some(("gross.pdf", largest))).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "postbox_items").await, 1);
    assert_eq!(count(&app, "file_chunks").await, 40);
    app.stop().await;
}

async fn citizens_write_with_evidence_get_a_receipt_and_staff_reply(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Hafen").await;
    let other_desk = staff_of(&app, "Jobcenter Berg").await;
    let client = new_client(&app, &desk, "H-1", "").await.to_string();
    let other_client = new_client(&app, &desk, "H-2", "").await.to_string();
    let (_, cookie) = citizen_of(&app, &desk, &client, "schreiberin", &["online"]).await;
    let (_, stranger) = citizen_of(&app, &desk, &other_client, "nachbar", &["online"]).await;
    // Refused: a renamed program, six files, evidence without a file. Nothing is stored.
    let mut exe = b"MZ\x90\x00".to_vec();
    exe.extend(std::iter::repeat_n(0u8, 2048));
    let refused = write(&app, &cookie, "nachweis", "Lohnabrechnung", "", None, vec![("lohn.pdf", exe, "application/pdf")]).await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert_eq!(refused.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/postfach/schreiben?art=nachweis"));
    let six = (0..6).map(|_| ("bild.png", png(), "image/png")).collect();
    write(&app, &cookie, "nachweis", "Viele", "", None, six).await;
    write(&app, &cookie, "nachweis", "Ohne", "", None, vec![]).await;
    assert_eq!(count(&app, "postbox_items").await, 0);
    assert_eq!(count(&app, "files").await, 0);
    // Evidence: a PDF and a PNG.
    let document = pdf("Lohnabrechnung");
    let picture = png();
    let sent = write(
        &app,
        &cookie,
        "nachweis",
        "Lohnabrechnung März",
        "Anbei meine Nachweise.",
        None,
        vec![("Lohn März.pdf", document.clone(), "application/pdf"), ("foto.png", picture.clone(), "image/png")],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let id: i64 = location.rsplit('/').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("item page: {location}"));
    let item = app.call("postbox/item", &[("id", &id.to_string())], Some(&cookie)).await.json;
    assert_eq!(item["from_citizen"], json!(true));
    let hashes: Vec<Value> = item["attachments"].as_array().cloned().unwrap_or_default().iter().map(|f| f["sha256"].clone()).collect();
    assert_eq!(hashes, vec![json!(sha256_hex(&document)), json!(sha256_hex(&picture))]);
    // The receipt names files, sizes and hashes; only for the owner and their job centre.
    let receipt = app.client.get(app.url(&format!("/postfach/{id}/eingangsbestaetigung"))).header(header::COOKIE, &cookie).send().await.expect("receipt");
    assert_eq!(receipt.status(), StatusCode::OK);
    let text = receipt.text().await.expect("text");
    assert!(text.contains("Eingangsbestätigung") && text.contains("Lohn März.pdf") && text.contains(&sha256_hex(&picture)), "{text}");
    for cookie in [&stranger, &other_desk] {
        let answer = app.client.get(app.url(&format!("/postfach/{id}/eingangsbestaetigung"))).header(header::COOKIE, cookie.as_str()).send().await.expect("receipt");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    }
    // Staff see it in their inbox, reply; the citizen sees the reply in the conversation.
    let inbox = app.call("staff/inbox", &[], Some(&desk)).await.json;
    assert_eq!(inbox[0]["item"]["subject"], json!("Lohnabrechnung März"));
    assert_eq!(inbox[0]["done_at"], Value::Null);
    assert_eq!(app.call("staff/inbox", &[], Some(&other_desk)).await.json, json!([]));
    assert_eq!(app.call("staff/conversation", &[("id", &id.to_string())], Some(&other_desk)).await.json, json!("NotFound"));
    let mut form = multipart::Form::new().text("kind", "nachricht").text("subject", "AW: Lohnabrechnung März").text("body", "Danke, erhalten.");
    form = form.text("reply_to", id.to_string());
    let reply = app
        .client
        .post(app.url(&format!("/intern/kunden/{client}/senden")))
        .header(header::ORIGIN, &app.base_url)
        .header(header::COOKIE, &desk)
        .multipart(form)
        .send()
        .await
        .expect("reply");
    assert_eq!(reply.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()), Some(format!("/intern/nachrichten/{id}").as_str()));
    let conversation = app.call("postbox/conversation", &[("id", &id.to_string())], Some(&cookie)).await.json;
    let subjects: Vec<Value> = conversation.as_array().cloned().unwrap_or_default().iter().map(|i| i["subject"].clone()).collect();
    assert_eq!(subjects, vec![json!("Lohnabrechnung März"), json!("AW: Lohnabrechnung März")]);
    assert_eq!(app.call("postbox/unread", &[], Some(&cookie)).await.json, json!(1), "the reply is unread");
    // Done, then reopened by a new message from the citizen.
    assert_eq!(app.call("staff/mark-done", &[("thread_id", &id.to_string())], Some(&other_desk)).await.json, json!("NotFound"));
    assert_eq!(app.call("staff/mark-done", &[("thread_id", &id.to_string())], Some(&desk)).await.json, json!(true));
    assert!(app.call("staff/inbox", &[], Some(&desk)).await.json[0]["done_at"].is_i64());
    // Another citizen cannot write into this conversation.
    assert_eq!(write(&app, &stranger, "nachricht", "Fremd", "Hallo", Some(id), vec![]).await.status(), StatusCode::NOT_FOUND);
    let again = write(&app, &cookie, "nachricht", "Noch eine Frage", "Wann kommt das Geld?", Some(id), vec![]).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.call("staff/inbox", &[], Some(&desk)).await.json[0]["done_at"], Value::Null);
    assert_eq!(app.call("staff/conversation", &[("id", &id.to_string())], Some(&desk)).await.json["items"].as_array().map(Vec::len), Some(3));
    app.stop().await;
}

async fn the_inbox_has_pages_and_a_kind_filter(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Seiten").await;
    let client = new_client(&app, &desk, "P-1", "").await.to_string();
    let (_, cookie) = citizen_of(&app, &desk, &client, "seiten", &["online"]).await;
    for i in 0..21 {
        assert_eq!(send(&app, &desk, &client, "nachricht", &format!("Nachricht {i}"), None).await.status(), StatusCode::SEE_OTHER);
    }
    send(&app, &desk, &client, "schreiben", "Ein Schreiben", Some(("s.pdf", pdf("s")))).await;
    let first = app.call("postbox/inbox", &[], Some(&cookie)).await.json;
    assert_eq!((first["total"].clone(), first["pages"].clone(), first["unread"].clone()), (json!(22), json!(2), json!(22)));
    assert_eq!(first["items"].as_array().map(Vec::len), Some(20));
    assert_eq!(first["items"][0]["subject"], json!("Ein Schreiben"), "newest first");
    let second = app.call("postbox/inbox", &[("page", "2")], Some(&cookie)).await.json;
    let subjects: Vec<Value> = second["items"].as_array().cloned().unwrap_or_default().iter().map(|i| i["subject"].clone()).collect();
    assert_eq!(subjects, vec![json!("Nachricht 1"), json!("Nachricht 0")]);
    let letters = app.call("postbox/inbox", &[("kind", "schreiben")], Some(&cookie)).await.json;
    assert_eq!((letters["total"].clone(), letters["pages"].clone()), (json!(1), json!(1)));
    app.stop().await;
}
