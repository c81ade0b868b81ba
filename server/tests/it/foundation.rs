//! The foundation: health and readiness, security headers and CSP, the origin check,
//! the 404 page, language negotiation, migrations and the demo seed — on SQLite and
//! PostgreSQL.

use reqwest::{header, StatusCode};
use crate::support::{Backend, TestApp};

on_both_databases!(
    health_and_readiness,
    pages_carry_security_headers_and_a_fresh_nonce,
    hydration_scripts_satisfy_the_csp,
    cross_site_posts_are_rejected,
    unknown_pages_get_a_404_page,
    names_beginning_with_two_dots_get_the_404_page,
    language_follows_cookie_then_accept_language,
    language_switch_sets_cookie_and_returns,
    language_switch_refuses_foreign_targets,
    start_page_lists_job_centres_from_the_database,
    migrations_and_seed_are_idempotent,
    static_assets_are_cached_pages_are_not,
    an_oversized_form_gets_413_not_a_broken_connection,
);

async fn health_and_readiness(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.text().await.expect("body"), "ready");
    app.stop().await;
}

fn nonce_of(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("nonce in CSP") + "'nonce-".len();
    let end = csp[start..].find('\'').expect("nonce end") + start;
    csp[start..end].to_owned()
}

async fn pages_carry_security_headers_and_a_fresh_nonce(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.get("/").await;
    assert_eq!(first.status(), StatusCode::OK);
    let h = first.headers().clone();
    drop(first.text().await);
    let csp = h.get(header::CONTENT_SECURITY_POLICY).expect("CSP").to_str().expect("ascii");
    for directive in [
        "script-src 'nonce-",
        "'strict-dynamic'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} missing: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).expect("nosniff"), "nosniff");
    assert_eq!(h.get(header::REFERRER_POLICY).expect("referrer"), "same-origin");
    assert!(h.get("permissions-policy").is_some());
    assert!(h.get("x-request-id").is_some(), "request id is returned");
    // Plain HTTP in development: no HSTS.
    assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_none());

    let second = app.get("/").await;
    let csp2 = second.headers()[header::CONTENT_SECURITY_POLICY].to_str().expect("ascii").to_owned();
    drop(second.text().await);
    assert_ne!(nonce_of(csp), nonce_of(&csp2), "every response gets a new nonce");
    app.stop().await;
}

async fn hydration_scripts_satisfy_the_csp(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/").await;
    let csp = response.headers()[header::CONTENT_SECURITY_POLICY].to_str().expect("ascii").to_owned();
    let nonce = nonce_of(&csp);
    let html = response.text().await.expect("html");
    let scripts = html.matches("<script").count();
    assert!(scripts >= 1, "page has scripts");
    let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
    // Every script and the module preload carry the nonce of this response.
    assert!(
        with_nonce >= scripts,
        "{with_nonce} nonces for {scripts} scripts in\n{html}"
    );
    assert!(html.contains("rel=\"modulepreload\""));
    app.stop().await;
}

async fn cross_site_posts_are_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let endpoint = app.url("/api/site/job-centres");
    let foreign = app
        .client
        .post(&endpoint)
        .header(header::ORIGIN, "https://evil.example")
        .send()
        .await
        .expect("post");
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);

    let lookalike = app
        .client
        .post(&endpoint)
        .header(header::ORIGIN, format!("{}.evil.example", app.base_url))
        .send()
        .await
        .expect("post");
    assert_eq!(lookalike.status(), StatusCode::FORBIDDEN);

    let cross_site_fetch = app
        .client
        .post(&endpoint)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("post");
    assert_eq!(cross_site_fetch.status(), StatusCode::FORBIDDEN);

    let anonymous_tool = app.client.post(&endpoint).send().await.expect("post");
    assert_eq!(anonymous_tool.status(), StatusCode::FORBIDDEN, "no Origin, no Sec-Fetch-Site");

    let same_origin = app
        .client
        .post(&endpoint)
        .header(header::ORIGIN, &app.base_url)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    assert_eq!(same_origin.status(), StatusCode::OK);
    let body = same_origin.text().await.expect("body");
    assert!(body.contains("Jobcenter Musterstadt"), "{body}");

    let fetch_metadata_only = app
        .client
        .post(&endpoint)
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    assert_eq!(fetch_metadata_only.status(), StatusCode::OK);
    app.stop().await;
}

async fn unknown_pages_get_a_404_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/gibt-es-nicht").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let html = response.text().await.expect("html");
    assert!(html.contains("Seite nicht gefunden"), "{html}");
    assert!(html.contains("<title>Seite nicht gefunden – Jobcenter digital</title>"), "{html}");
    app.stop().await;
}

async fn names_beginning_with_two_dots_get_the_404_page(backend: Backend) {
    // With a site root on disk, names beginning with two dots made the file lookup answer
    // "200, 4096 bytes" (the site directory) and cut the connection (abuse suite).
    let site = tempfile::tempdir().expect("site root");
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").expect("a file");
    let root = site.path().display().to_string();
    let app = TestApp::spawn_with(backend, &[("LEPTOS_SITE_ROOT", &root)]).await;
    assert_eq!(app.get("/favicon.svg").await.status(), StatusCode::OK, "files are still served");
    std::fs::create_dir(site.path().join("pkg")).expect("a directory");
    for path in ["/..x", "/...", "/..%25", "/%2e%2eabc", "/pkg%2F..x"] {
        let response = app
            .client
            .get(app.url(path))
            .header(header::ACCEPT_ENCODING, "identity")
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let html = response.text().await.expect("the whole page");
        assert!(html.contains("Seite nicht gefunden") && html.contains("</html>"), "{path}: {html}");
    }
    app.stop().await;
}

async fn page_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> String {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("GET").text().await.expect("html")
}

async fn language_follows_cookie_then_accept_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let default = page_with(&app, "/", &[]).await;
    assert!(default.contains("<html lang=\"de\""), "German by default");
    assert!(default.contains("Über jobcenter.digital können Sie"));

    let english = page_with(&app, "/", &[("accept-language", "en-GB,en;q=0.9,de;q=0.5")]).await;
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains("Your job centre online"));

    let french = page_with(&app, "/", &[("accept-language", "fr-FR,fr;q=0.9")]).await;
    assert!(french.contains("<html lang=\"de\""), "unsupported language falls back to German");

    let cookie_wins = page_with(
        &app,
        "/",
        &[("accept-language", "en-US"), ("cookie", "lang=de")],
    )
    .await;
    assert!(cookie_wins.contains("<html lang=\"de\""));
    let cookie_en = page_with(&app, "/", &[("cookie", "lang=en")]).await;
    assert!(cookie_en.contains("<html lang=\"en\""));
    app.stop().await;
}

async fn language_switch_sets_cookie_and_returns(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/sprache?lang=en&zurueck=%2Fimpressum%3Fa%3D1").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/impressum?a=1");
    let cookie = response.headers()[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    assert!(cookie.contains("Path=/"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("HttpOnly"));

    let bad = app.get("/sprache?lang=xx").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}

async fn language_switch_refuses_foreign_targets(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for target in ["https://evil.example/", "//evil.example", "/%5Cevil.example"] {
        let response = app
            .get(&format!("/sprache?lang=de&zurueck={}", target.replace('/', "%2F")))
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/", "target {target}");
    }
    app.stop().await;
}

async fn start_page_lists_job_centres_from_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let html = page_with(&app, "/", &[]).await;
    assert!(html.contains("Jobcenter Musterstadt"), "seeded job centre is shown");
    assert!(html.contains("Musterstraße 1"));
    assert!(html.contains(">Anmelden<"));
    assert!(html.contains(">Jetzt registrieren<"));
    app.stop().await;
}

async fn migrations_and_seed_are_idempotent(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let url = crate::support::fresh_database(backend, dir.path()).await;
    for _ in 0..2 {
        let db = app::backend::Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        app::backend::demo::seed_if_empty(&db, 1_800_000_000).await.expect("seed");
        db.close().await;
    }
    let db = app::backend::Db::connect(&url).await.expect("connect");
    let centres = app::backend::job_centres::list(&db).await.expect("list");
    assert_eq!(centres.len(), 1, "seeding twice creates one job centre");
    db.close().await;
}

async fn static_assets_are_cached_pages_are_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page = app.get("/impressum").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store");
    let server_fn = app
        .client
        .post(app.url("/api/site/job-centres"))
        .header(header::ORIGIN, &app.base_url)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    assert_eq!(server_fn.headers()[header::CACHE_CONTROL], "no-store");
    app.stop().await;
}

/// Abuse suite: a 5 MB form sent to a server function sometimes got a reset connection
/// instead of an answer (the server answered before reading the body and closed the
/// connection while the client was still sending). Now it is read and dropped, and the
/// client gets 413 every time; a declared body beyond what is worth reading gets 413 at
/// once.
async fn an_oversized_form_gets_413_not_a_broken_connection(backend: Backend) {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn(backend).await;
    let big = format!("email={}&password=x", "a".repeat(5 * 1024 * 1024));
    for attempt in 0..5 {
        let answer = app
            .client
            .post(app.url("/api/auth/register"))
            .header(header::ORIGIN, &app.base_url)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(big.clone())
            .send()
            .await
            .unwrap_or_else(|error| panic!("attempt {attempt}: no answer: {error}"));
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE, "attempt {attempt}");
    }
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(app.base_url.trim_start_matches("http://")).await.expect("connect");
    let head = format!(
        "POST /api/auth/register HTTP/1.1\r\nHost: localhost\r\nOrigin: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 104857600\r\n\r\nemail=",
        app.base_url
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer)).await.expect("an answer within 5 s").expect("read");
    assert!(String::from_utf8_lossy(&answer[..read]).starts_with("HTTP/1.1 413"));
    assert!(started.elapsed() < Duration::from_secs(5));
    // A form of normal size is not affected.
    let normal = app
        .client
        .post(app.url("/api/auth/register"))
        .header(header::ORIGIN, &app.base_url)
        .form(&[("email", "normal@example.org"), ("password", "x")])
        .send()
        .await
        .expect("normal form");
    assert_ne!(normal.status(), StatusCode::PAYLOAD_TOO_LARGE);
    app.stop().await;
}
