//! The usual mistakes of an installation, tried the way an operator makes them: the
//! real binary started with a configuration matrix (a forgotten `APP_ENV`, development
//! on a public address), and a portal behind a reverse proxy whose clients write their
//! own `X-Forwarded-For`.

use std::process::{Command, Stdio};

use reqwest::{header, multipart};
use serde_json::json;
use crate::support::{
    desk::{audit_count, new_client, staff_of},
    sms_gateway::{code_in, SmsGatewayStub},
    Backend, TestApp, PASSWORD,
};

on_both_databases!(only_trusted_proxies_say_who_the_client_is, a_stolen_database_holds_no_usable_secret, a_rotated_key_keeps_every_factor_working);

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

/// The raw bytes of the database as a thief would copy them: the SQLite file (after a
/// checkpoint, so the write-ahead log is in it) plus a `.backup`-style copy, or a
/// `pg_dump` of the PostgreSQL database.
async fn stolen_copy(app: &TestApp, backend: Backend) -> Vec<u8> {
    match backend {
        Backend::Sqlite => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(app.state.db.pool()).await.expect("checkpoint");
            let path = app.database_url.trim_start_matches("sqlite://").split('?').next().unwrap_or_default().to_owned();
            let copy = format!("{path}.copy");
            sqlx::query(&format!("VACUUM INTO '{copy}'")).execute(app.state.db.pool()).await.expect("vacuum into");
            let mut bytes = std::fs::read(&path).expect("database file");
            bytes.extend(std::fs::read(&copy).expect("copy"));
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            bytes
        }
        Backend::Postgres => {
            let pg_dump = ["/usr/bin/pg_dump"]
                .into_iter()
                .map(str::to_owned)
                .chain(std::fs::read_dir("/usr/lib/postgresql").into_iter().flatten().flatten().map(|d| format!("{}/bin/pg_dump", d.path().display())))
                .find(|p| std::path::Path::new(p).is_file())
                .expect("pg_dump (postgresql-client)");
            let output = Command::new(pg_dump).arg("--data-only").arg(&app.database_url).output().expect("pg_dump");
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            output.stdout
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

async fn a_stolen_database_holds_no_usable_secret(backend: Backend) {
    // Issue input 2: registration, MFA, activation, a reset, a postbox notice and an SMS
    // code; then the database is copied. Keys come from the environment, as in production.
    let gateway = SmsGatewayStub::start().await;
    let app = TestApp::spawn_with(backend, &[("SECRET_KEY", SECRET), ("SMS_GATEWAY_URL", gateway.url.as_str())]).await;
    let desk = staff_of(&app, "Jobcenter Dieb").await;
    let client = new_client(&app, &desk, "K-dieb", "").await.to_string();
    let issued = app.call("staff/issue-code", &[("client_id", &client), ("valid_days", "30")], Some(&desk)).await;
    let activation_code = issued.json["Issued"]["code"].as_str().expect("code").to_owned();
    let address = "dieb@example.org";
    app.call(
        "auth/register",
        &[("email", address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await;
    let confirmation = app.smtp.wait_for(address, 1).await.token("/registrieren/bestaetigen").expect("token");
    assert_eq!(app.call("auth/confirm-email", &[("token", &confirmation)], None).await.json, json!("Valid"));
    let cookie = app.full_sign_in(address, PASSWORD).await;
    let totp_secret = app.totp_secrets.lock().ok().and_then(|m| m.get(address).cloned()).expect("secret");
    let redeemed = app.call("profile/redeem", &[("code", &activation_code)], Some(&cookie)).await;
    assert_eq!(redeemed.json, json!("Activated"));
    let cookie = format!("session={}", redeemed.cookie("session").expect("session"));
    for option in ["email", "online"] {
        app.call("profile/option", &[("option", option), ("enabled", "true")], Some(&cookie)).await;
    }
    // An SMS code (sent, not yet typed in).
    assert!(app.call("profile/mobile/send", &[("mobile", "0151 2345 6789")], Some(&cookie)).await.json["CodeSent"].is_object());
    let sms = gateway.wait_for(1).await;
    let sms_code = code_in(&sms);
    let sms_text = sms.body["text"].as_str().map(str::to_owned).unwrap_or_default();
    // A postbox notice.
    let form = multipart::Form::new().text("kind", "nachricht").text("subject", "Ihr Termin").text("body", "Bitte melden Sie sich.");
    let sent = app
        .client
        .post(app.url(&format!("/intern/kunden/{client}/senden")))
        .header(header::ORIGIN, &app.base_url)
        .header(header::COOKIE, &desk)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert!(sent.status().is_redirection());
    app.smtp.wait_for_subject(address, "Neue Mitteilung in Ihrem Postfach").await;
    // A reset link, delivered (and not used: a live link).
    app.call("auth/request-password-reset", &[("email", address)], None).await;
    let reset = app.smtp.wait_for_subject(address, "Neues Passwort festlegen").await.token("/passwort-vergessen/neu").expect("token");
    // Everything above was delivered; the outbox worker marks it so.
    for _ in 0..100 {
        let pending: i64 = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(app.state.db.pool())
            .await
            .expect("n");
        if pending == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let stolen = stolen_copy(&app, backend).await;
    assert!(stolen.len() > 10_000, "a real copy ({} bytes)", stolen.len());
    assert!(contains(&stolen, address), "the copy is readable (the address is in it)");
    let compact_code = activation_code.replace('-', "");
    for (what, secret) in [
        ("TOTP secret", totp_secret.as_str()),
        ("reset token", reset.as_str()),
        ("confirmation token", confirmation.as_str()),
        ("activation code", activation_code.as_str()),
        ("activation code without dashes", compact_code.as_str()),
        ("SMS text with its code", sms_text.as_str()),
    ] {
        assert!(!contains(&stolen, secret), "{what} found in the copy of the database");
    }
    assert!(sms_text.contains(&sms_code), "the SMS text holds the code: {sms_text}");
    // The legal trail survives: the notification's delivery time is kept.
    let kept: i64 = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE retain = 1 AND sent_at IS NOT NULL")
        .fetch_one(app.state.db.pool())
        .await
        .expect("n");
    assert_eq!(kept, 1);
    // The delivered link itself still works (only its copy in the outbox is gone).
    assert_eq!(app.call("auth/check-reset-link", &[("token", &reset)], None).await.json, json!("Valid"));
    // Retention: delivered messages go after OUTBOX_RETENTION_DAYS, the kept one stays.
    let deleted = app::backend::outbox::purge(&app.state.db, app.clock.now() + 31 * 86_400).await.expect("purge");
    assert!(deleted >= 4, "{deleted}");
    let left: i64 = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox").fetch_one(app.state.db.pool()).await.expect("n");
    assert_eq!(left, 1);
    app.stop().await;
}

const NEW_SECRET: &str = "bmV1LW5ldS1uZXUtbmV1LW5ldS1uZXUtbmV1LW5ldS1uZXU=";

async fn a_rotated_key_keeps_every_factor_working(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("SECRET_KEY", SECRET)]).await;
    let address = app.registered("rotation").await;
    let setup_cookie = app.full_sign_in(&address, PASSWORD).await;
    let codes = app.call("security/renew-recovery-codes", &[], Some(&setup_cookie)).await;
    let recovery: Vec<String> = codes.json["NewRecoveryCodes"].as_array().expect("codes").iter().filter_map(|c| c.as_str().map(str::to_owned)).collect();
    let secret = app.totp_secrets.lock().ok().and_then(|m| m.get(&address).cloned()).expect("secret");
    let stored_before: String = sqlx::query_scalar::<_, String>("SELECT secret FROM totp_secrets").fetch_one(app.state.db.pool()).await.expect("row");
    assert!(stored_before.starts_with("v1:") && !stored_before.contains(&secret), "encrypted at rest");
    let url = app.database_url.clone();
    let smtp = app.smtp.clone();
    let dir = app.stop().await;
    // The operator replaces SECRET_KEY and keeps the old one as SECRET_KEY_PREVIOUS, then
    // runs `server rotate-key`.
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("rotate-key")
        .env("DATABASE_URL", &url)
        .env("SECRET_KEY", NEW_SECRET)
        .env("SECRET_KEY_PREVIOUS", SECRET)
        .output()
        .expect("rotate-key");
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "{text}{}", String::from_utf8_lossy(&output.stderr));
    assert!(text.contains("1 authenticator-app secrets re-encrypted"), "{text}");
    let app = TestApp::spawn_on(&url, smtp, &[("SECRET_KEY", NEW_SECRET), ("SECRET_KEY_PREVIOUS", SECRET)], dir).await;
    app.totp_secrets.lock().expect("lock").insert(address.clone(), secret.clone());
    // A new process's clock: past the time steps the first one used.
    app.clock.advance(300);
    let stored_after: String = sqlx::query_scalar::<_, String>("SELECT secret FROM totp_secrets").fetch_one(app.state.db.pool()).await.expect("row");
    assert_ne!(stored_after, stored_before);
    // The app's codes and the recovery codes (hashed under the old key) still work.
    app.full_sign_in(&address, PASSWORD).await;
    let half = app.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    let half = format!("session={}", half.cookie("session").expect("cookie"));
    let used = app.call("mfa/second-factor", &[("method", "recovery"), ("code", &recovery[0])], Some(&half)).await;
    assert!(used.json["SignedIn"].is_object(), "{}", used.body);
    let url = app.database_url.clone();
    let smtp = app.smtp.clone();
    let dir = app.stop().await;
    // Without the old key, the new key alone reads the re-encrypted secret.
    let app = TestApp::spawn_on(&url, smtp, &[("SECRET_KEY", NEW_SECRET)], dir).await;
    app.totp_secrets.lock().expect("lock").insert(address.clone(), secret);
    app.clock.advance(900);
    app.full_sign_in(&address, PASSWORD).await;
    app.stop().await;
}
