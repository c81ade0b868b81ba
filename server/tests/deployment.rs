//! The usual mistakes of an installation, tried the way an operator makes them: the
//! real binary started with a configuration matrix (a forgotten `APP_ENV`, development
//! on a public address), and a portal behind a reverse proxy whose clients write their
//! own `X-Forwarded-For`.

mod support;

use std::process::{Command, Stdio};

use serde_json::json;
use support::{desk::audit_count, Backend, TestApp};

on_both_databases!(only_trusted_proxies_say_who_the_client_is,);

/// Runs `server serve` with exactly `env` (and a fresh SQLite file); returns the exit
/// code and what it printed, or `None` if it was still serving after 5 seconds.
fn start(env: &[(&str, &str)]) -> Option<(i32, String)> {
    let dir = tempfile::tempdir().expect("dir");
    let database = format!("sqlite://{}/portal.db", dir.path().display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &database)
        .env("LEPTOS_SITE_ROOT", std::env::temp_dir().join("portal-test-site"))
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server binary");
    for _ in 0..50 {
        if let Ok(Some(status)) = child.try_wait() {
            let output = child.wait_with_output().expect("output");
            let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
            return Some((status.code().unwrap_or(-1), text));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

const SECRET: &str = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==";

#[test]
fn a_careless_configuration_does_not_start() {
    // Issue input: a public address, https, SMTP and a secret — but no APP_ENV.
    let (code, text) = start(&[
        ("BIND_ADDR", "0.0.0.0:0"),
        ("PUBLIC_URL", "https://jobcenter.example"),
        ("SMTP_URL", "smtp://127.0.0.1:9"),
        ("SECRET_KEY", SECRET),
    ])
    .expect("refuses to serve");
    assert_ne!(code, 0);
    assert!(text.contains("APP_ENV is not set") && text.contains("APP_ENV=production"), "{text}");
    // The same with APP_ENV=development: not on a public address.
    let (code, text) = start(&[("APP_ENV", "development"), ("BIND_ADDR", "0.0.0.0:0")]).expect("refuses");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("BIND_ADDR") && text.contains("127.0.0.1"), "{text}");
    // Production names what is missing, one variable at a time.
    let (code, text) = start(&[("APP_ENV", "production"), ("BIND_ADDR", "0.0.0.0:0"), ("PUBLIC_URL", "https://jobcenter.example")])
        .expect("refuses");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("SMTP_URL"), "{text}");
    // The old switch that trusted the client's own header is refused with a pointer.
    let (code, text) = start(&[("APP_ENV", "development"), ("BIND_ADDR", "127.0.0.1:0"), ("TRUST_FORWARDED_FOR", "true")])
        .expect("refuses");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("TRUSTED_PROXIES"), "{text}");
    // Development on loopback serves.
    assert!(start(&[("APP_ENV", "development"), ("BIND_ADDR", "127.0.0.1:0")]).is_none(), "serves on loopback");
}

#[test]
fn demo_data_needs_development() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("demo-seed")
        .env_clear()
        .env("DATABASE_URL", format!("sqlite://{}/p.db", tempfile::tempdir().expect("dir").path().display()))
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("APP_ENV"));
}

async fn sign_in_via(app: &TestApp, forwarded_for: &str, email: &str) -> serde_json::Value {
    let response = app
        .client
        .post(app.url("/api/auth/sign-in"))
        .header("origin", &app.base_url)
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", email), ("password", "Wrong#Password1")])
        .send()
        .await
        .expect("request");
    response.json().await.unwrap_or(serde_json::Value::Null)
}

async fn only_trusted_proxies_say_who_the_client_is(backend: Backend) {
    // Issue input: the client writes X-Forwarded-For itself; the proxy (here the test's
    // own loopback connection, trusted) appends what it saw.
    let app = TestApp::spawn_with(backend, &[("TRUSTED_PROXIES", "127.0.0.1/32, ::1"), ("LOGIN_LOCK_ADDRESS_AFTER", "3")]).await;
    for i in 0..6 {
        let made_up = format!("203.0.113.{i}, 198.51.100.4");
        let answer = sign_in_via(&app, &made_up, &format!("guess{i}@example.org")).await;
        assert_eq!(answer["Rejected"]["problem"], json!("WrongCredentials"));
    }
    assert_eq!(audit_count(&app, "sign_in_failed").await, 3, "one budget for the real client, however often it lies");
    let addresses: Vec<String> = sqlx::query_scalar::<_, String>("SELECT DISTINCT ip FROM audit_log WHERE event LIKE 'sign_in%'")
        .fetch_all(app.state.db.pool())
        .await
        .expect("ips");
    assert_eq!(addresses, vec!["198.51.100.4".to_owned()], "the audit log has the address the proxy saw");
    // IPv6: a fresh address within the same /64 gains nothing.
    for i in 0..6 {
        let hop = format!("2001:db8:1:2::{:x}", i + 1);
        sign_in_via(&app, &hop, &format!("v6guess{i}@example.org")).await;
    }
    assert_eq!(audit_count(&app, "sign_in_failed").await, 3 + 3);
    // Another /64 is another line.
    sign_in_via(&app, "2001:db8:1:3::1", "other@example.org").await;
    assert_eq!(audit_count(&app, "sign_in_failed").await, 3 + 3 + 1);
    app.stop().await;

    // Without TRUSTED_PROXIES the header is never read.
    let app = TestApp::spawn_with(backend, &[("LOGIN_LOCK_ADDRESS_AFTER", "3")]).await;
    for i in 0..6 {
        sign_in_via(&app, &format!("203.0.113.{i}"), &format!("guess{i}@example.org")).await;
    }
    assert_eq!(audit_count(&app, "sign_in_failed").await, 3);
    let addresses: Vec<String> = sqlx::query_scalar::<_, String>("SELECT DISTINCT ip FROM audit_log WHERE event LIKE 'sign_in%'")
        .fetch_all(app.state.db.pool())
        .await
        .expect("ips");
    assert_eq!(addresses, vec!["127.0.0.1".to_owned()]);
    app.stop().await;
}
