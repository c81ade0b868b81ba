//! Uploads under abuse, on SQLite and PostgreSQL: too large (a clear message, 413 with
//! the limit, nothing stored), too slow (408, and other requests keep answering while
//! eight slow uploads run), and long typed text without JavaScript (kept even when it
//! does not fit into a cookie).

use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::{header, multipart, StatusCode};
use crate::support::{
    desk::{new_client, staff_of},
    Backend, TestApp, PASSWORD,
};

on_both_databases!(
    an_oversized_file_gets_its_message_and_leaves_nothing,
    a_declared_giant_body_is_refused_at_once,
    slow_uploads_hold_no_database,
    long_text_survives_a_refused_form_without_javascript
);

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(app.state.db.pool()).await.expect("count")
}

fn pdf_of(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(size, b'x');
    bytes
}

async fn staff_send(app: &TestApp, desk: &str, client: &str, subject: &str, body: &str, file: Option<Vec<u8>>) -> reqwest::Response {
    let mut form = multipart::Form::new().text("kind", "bescheid").text("subject", subject.to_owned()).text("body", body.to_owned());
    if let Some(bytes) = file {
        form = form.part("file", multipart::Part::bytes(bytes).file_name("bescheid.pdf").mime_str("application/pdf").expect("mime"));
    }
    app.client
        .post(app.url(&format!("/intern/kunden/{client}/senden")))
        .header(header::ORIGIN, &app.base_url)
        .header(header::COOKIE, desk)
        .header(header::ACCEPT, "text/html")
        .multipart(form)
        .send()
        .await
        .expect("send")
}

/// Follows the redirect with the flash cookie and returns the page.
async fn follow(app: &TestApp, desk: &str, response: reqwest::Response) -> String {
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).expect("location").to_owned();
    let flash: Vec<String> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next().map(str::to_owned))
        .collect();
    let cookie = std::iter::once(desk.to_owned()).chain(flash).collect::<Vec<_>>().join("; ");
    app.page(&location, Some(&cookie)).await.body
}

async fn an_oversized_file_gets_its_message_and_leaves_nothing(backend: Backend) {
    // Issue input 7: an 11 MB file was answered "Dienst nicht verfügbar".
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Gross").await;
    let client = new_client(&app, &desk, "K-gross", "").await.to_string();
    let (files, chunks) = (count(&app, "files").await, count(&app, "file_chunks").await);
    let sent = staff_send(&app, &desk, &client, "Bescheid", "Anbei.", Some(pdf_of(11 * 1024 * 1024))).await;
    let page = follow(&app, &desk, sent).await;
    assert!(page.contains("Die Datei ist größer als 10 MB."), "the form says why");
    assert!(page.contains("Bescheid") && page.contains("Anbei."), "and keeps what was typed");
    // Far beyond the limit: 413 with the limit, the request not read on.
    let sent = staff_send(&app, &desk, &client, "Bescheid", "Anbei.", Some(pdf_of(30 * 1024 * 1024))).await;
    assert_eq!(sent.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = sent.text().await.unwrap_or_default();
    assert!(page.contains("Die Datei ist größer als 10 MB.") && page.contains("/intern/kunden/"), "{page}");
    assert_eq!((count(&app, "files").await, count(&app, "file_chunks").await), (files, chunks), "nothing stored");
    assert_eq!(count(&app, "postbox_items").await, 0);
    app.stop().await;
}

async fn a_declared_giant_body_is_refused_at_once(backend: Backend) {
    // Abuse suite: "Content-Length: 300 MB" and then nothing was answered 408 after 30 s
    // (the server waited for the body at the slowest allowed pace).
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn(backend).await;
    let cookie = citizen(&app, "riesig").await;
    let desk = staff_of(&app, "Jobcenter Schreibtisch").await;
    let client = new_client(&app, &desk, "K-riesig", "").await.to_string();
    for (path, who) in [("/postfach/senden".to_owned(), &cookie), (format!("/intern/kunden/{client}/senden"), &desk)] {
        let started = Instant::now();
        let mut stream = tokio::net::TcpStream::connect(app.base_url.trim_start_matches("http://")).await.expect("connect");
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nOrigin: {}\r\nCookie: {who}\r\n\
             Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 314572800\r\n\r\n--x\r\n",
            app.base_url
        );
        stream.write_all(head.as_bytes()).await.expect("write");
        let mut answer = vec![0; 4096];
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer)).await.expect("an answer within 5 s").expect("read");
        let answer = String::from_utf8_lossy(&answer[..read]);
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    assert_eq!(count(&app, "files").await, 0, "nothing stored");
    app.stop().await;
}

/// A multipart body that trickles: the fields at once, then one byte of the file a
/// second, for `seconds` seconds (then the stream ends without closing the part).
fn trickle(seconds: u64) -> reqwest::Body {
    let head = "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nnachweis\r\n--XyZ\r\n\
                Content-Disposition: form-data; name=\"subject\"\r\n\r\nLangsam\r\n--XyZ\r\n\
                Content-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-";
    let first = futures::stream::once(async move { Ok::<_, std::io::Error>(head.as_bytes().to_vec()) });
    let rest = futures::stream::iter(0..seconds).then(|_| async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        Ok::<_, std::io::Error>(b"x".to_vec())
    });
    reqwest::Body::wrap_stream(first.chain(rest))
}

async fn citizen(app: &TestApp, name: &str) -> String {
    crate::support::desk::citizen_with_own_profile(app, name, "").await
}

async fn slow_uploads_hold_no_database(backend: Backend) {
    // Issue input 7: eight citizens uploading a byte a second stalled every request on
    // SQLite (each held a transaction open).
    let app = TestApp::spawn(backend).await;
    let cookie = citizen(&app, "langsam").await;
    let address = app.registered("nebenan").await;
    let slow: Vec<_> = (0..8)
        .map(|_| {
            let request = app
                .client
                .post(app.url("/postfach/senden"))
                .header(header::ORIGIN, &app.base_url)
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
                .body(trickle(40));
            tokio::spawn(async move { request.send().await.map(|r| r.status()) })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut worst = Duration::ZERO;
    for _ in 0..5 {
        let start = Instant::now();
        assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
        let answer = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
        assert!(answer.json["SignedIn"].is_object(), "{}", answer.body);
        worst = worst.max(start.elapsed());
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(worst < Duration::from_secs(1), "sign-in and /readyz answered within {worst:?} while 8 uploads trickled");
    // The slow ones are cut off with 408 once they fall below the minimum rate.
    for upload in slow {
        let status = upload.await.expect("task").expect("an answer, not a hang");
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    }
    assert_eq!(count(&app, "files").await, 0, "nothing stored");
    app.stop().await;
}

async fn long_text_survives_a_refused_form_without_javascript(backend: Backend) {
    // A long message with a refused file, without JavaScript: the text comes back even
    // though it does not fit into a cookie (the flash is kept server-side then).
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Lang").await;
    let client = new_client(&app, &desk, "K-lang", "").await.to_string();
    let long: String = "Sehr geehrte Frau Mustermann, bitte reichen Sie die Nachweise ein. ".repeat(150);
    assert!(long.len() > 8_000);
    let sent = staff_send(&app, &desk, &client, "Erinnerung", &long, Some(b"MZ not a pdf".to_vec())).await;
    let cookies: Vec<String> = sent.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect();
    assert!(cookies.iter().all(|c| c.len() < 4096), "every cookie fits the browser's limit");
    let page = follow(&app, &desk, sent).await;
    assert!(page.contains("Die Datei ist kein PDF-Dokument"), "the message");
    assert!(page.contains(&long[..2000]), "the typed text came back");
    app.stop().await;
}
