//! Test harness: starts the real server on an ephemeral port with a fresh database
//! (SQLite file or a new PostgreSQL database) and talks to it over HTTP.

#![allow(dead_code)]

pub mod desk;
pub mod sms_gateway;
pub mod smtp;

use std::collections::HashMap;

use app::backend::{clock::Clock, AppState};
use reqwest::{header, StatusCode};
use smtp::SmtpSink;

use server::{config::Settings, startup::Application};
use tokio::net::TcpListener;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A new SQLite file in a temporary directory.
    Sqlite,
    /// A new database on the cluster named by `TEST_POSTGRES_URL`.
    Postgres,
}

/// A password that meets every criterion.
pub const PASSWORD: &str = "Kx9!vTq2#mLpW";

/// The portal running on an ephemeral port with a fresh database.
pub struct TestApp {
    /// `http://localhost:PORT`
    pub base_url: String,
    /// The database URL the server uses.
    pub database_url: String,
    /// An HTTP client that does not follow redirects (tests look at them).
    pub client: reqwest::Client,
    /// The SMTP server the portal delivers to.
    pub smtp: SmtpSink,
    /// The portal's clock.
    pub clock: Clock,
    /// The portal's backend state.
    pub state: AppState,
    /// TOTP secrets of the accounts the tests enrolled (by address).
    pub totp_secrets: std::sync::Mutex<HashMap<String, String>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

/// A server function's answer.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// The JSON body (`Null` if none).
    pub json: serde_json::Value,
    /// Raw body.
    pub body: String,
    /// All `Set-Cookie` headers.
    pub set_cookies: Vec<String>,
    /// `Location`, if any.
    pub location: Option<String>,
}

impl Answer {
    /// The value of cookie `name` set by this answer.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies.iter().find_map(|c| {
            let (pair, _) = c.split_once(';').unwrap_or((c.as_str(), ""));
            let (n, v) = pair.split_once('=')?;
            (n == name).then(|| v.to_owned())
        })
    }

    /// The full `Set-Cookie` header for `name`.
    pub fn cookie_header(&self, name: &str) -> Option<String> {
        self.set_cookies.iter().find(|c| c.starts_with(&format!("{name}="))).cloned()
    }
}

/// Creates a fresh, empty database and returns its URL.
pub async fn fresh_database(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}/portal.db", dir.display()),
        Backend::Postgres => {
            let admin_url = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| {
                panic!(
                    "TEST_POSTGRES_URL is not set: run `make test` (it starts a throw-away \
                     PostgreSQL cluster), or point it at a cluster where the tests may create databases"
                )
            });
            let name = format!(
                "portal_test_{}_{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default()
            );
            let admin = app::backend::Db::connect(&admin_url).await.expect("connect to TEST_POSTGRES_URL");
            drop_earlier_runs(&admin).await;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .expect("create test database");
            admin.close().await;
            let (base, _) = admin_url.rsplit_once('/').expect("TEST_POSTGRES_URL has a database part");
            format!("{base}/{name}")
        }
    }
}

/// Drops the databases earlier runs of the tests left behind (once per run: each test's
/// database lives until the run ends, as several servers may share one).
async fn drop_earlier_runs(admin: &app::backend::Db) {
    static DONE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    DONE.get_or_init(|| async {
        let own = format!("portal_test_{}_%", std::process::id());
        let earlier: Vec<String> =
            sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'portal\\_test\\_%' AND datname NOT LIKE $1")
                .bind(own)
                .fetch_all(admin.pool())
                .await
                .unwrap_or_default();
        for name in earlier {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(admin.pool()).await;
        }
    })
    .await;
}

impl TestApp {
    /// The id of the account registered with `address` (panics if there is none).
    pub async fn account_id(&self, address: &str) -> app::domain::ids::AccountId {
        let row = sqlx::query("SELECT id FROM accounts WHERE email = $1").bind(address).fetch_one(self.state.db.pool()).await.expect("account");
        sqlx::Row::get(&row, "id")
    }

    /// The first sign-in step (address and password) as the server function answers it.
    pub async fn sign_in(&self, address: &str, password: &str) -> app::api::auth::SignInOutcome {
        let answer = self.call("auth/sign-in", &[("email", address), ("password", password)], None).await;
        serde_json::from_value(answer.json.clone()).unwrap_or_else(|e| panic!("not a sign-in outcome ({e}): {}", answer.body))
    }

    /// Starts the portal with default test settings.
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, &[]).await
    }

    /// Starts the portal with extra environment-style settings.
    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = fresh_database(backend, dir.path()).await;
        TestApp::spawn_on(&database_url, SmtpSink::start(), extra, Some(dir)).await
    }

    /// Starts the portal on an existing database (to test restarts) with `sink` as SMTP server.
    pub async fn spawn_on(
        database_url: &str,
        smtp: SmtpSink,
        extra: &[(&str, &str)],
        dir: Option<tempfile::TempDir>,
    ) -> TestApp {
        let site_root = std::env::temp_dir().join("portal-test-site");
        let database_url = database_url.to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let base_url = format!("http://localhost:{port}");

        let mut env: HashMap<String, String> = [
            ("APP_ENV", "development"),
            ("DATABASE_URL", database_url.as_str()),
            ("BIND_ADDR", &format!("127.0.0.1:{port}")),
            ("PUBLIC_URL", base_url.as_str()),
            ("LEPTOS_SITE_ROOT", &site_root.display().to_string()),
            ("LEPTOS_HASH_FILES", "false"),
            ("DEMO_SEED", "true"),
            ("SMTP_URL", &smtp.url()),
            ("SMTP_TIMEOUT_SECS", "5"),
            ("LOGIN_DELAY_BASE_MS", "20"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (k, v) in extra {
            env.insert((*k).to_owned(), (*v).to_owned());
        }
        env.retain(|_, v| !v.is_empty());
        let settings = Settings::from_lookup(|name| env.get(name).cloned()).expect("test settings");
        let application = Application::build_with_listener(&settings, listener)
            .await
            .expect("application starts");
        let clock = application.clock();
        let state = application.state();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            application
                .run_until(async {
                    let _ = rx.await;
                })
                .await
                .expect("server runs");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            base_url,
            database_url,
            client,
            smtp,
            clock,
            state,
            totp_secrets: std::sync::Mutex::new(HashMap::new()),
            shutdown: Some(tx),
            server: Some(server),
            _dir: dir,
        }
    }

    /// Absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Calls a server function (`/api/{endpoint}`) the way the hydrated page does, with
    /// an optional session cookie.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Answer {
        let mut request = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(header::ORIGIN, &self.base_url)
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        answer(request.send().await.expect("server function call")).await
    }

    /// Submits a form to a server function like a browser without JavaScript does.
    pub async fn post_form_without_js(&self, endpoint: &str, form: &[(&str, &str)], referer: &str, cookie: Option<&str>) -> Answer {
        let mut request = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(header::ORIGIN, &self.base_url)
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, self.url(referer))
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        answer(request.send().await.expect("form post")).await
    }

    /// GET a page with an optional cookie header.
    pub async fn page(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut request = self.client.get(self.url(path));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        answer(request.send().await.expect("GET")).await
    }

    /// The current code of the address's authenticator app, one time step after the
    /// last one used (the clock moves on 31 s, so codes are never replays).
    pub fn next_totp_code(&self, address: &str) -> String {
        let secret = self
            .totp_secrets
            .lock()
            .ok()
            .and_then(|m| m.get(address).cloned())
            .unwrap_or_else(|| panic!("no TOTP secret recorded for {address}"));
        self.clock.advance(31);
        app::backend::mfa::totp::code_at(&secret, self.clock.now()).expect("code")
    }

    /// Registers `<name>@example.org` with [`PASSWORD`] and confirms the address with the
    /// link from the mail; returns the address.
    pub async fn registered(&self, name: &str) -> String {
        let address = format!("{name}@example.org");
        self.call(
            "auth/register",
            &[("email", &address), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
            None,
        )
        .await;
        let mail = self.smtp.wait_for(&address, 1).await;
        let token = mail.token("/registrieren/bestaetigen").expect("token");
        assert_eq!(self.call("auth/confirm-email", &[("token", &token)], None).await.json, serde_json::json!("Valid"));
        address
    }

    /// Signs in with address and password and completes the second step: sets up an
    /// authenticator app the first time, uses it afterwards. Returns the `Cookie` value.
    pub async fn full_sign_in(&self, address: &str, password: &str) -> String {
        let answer = self.call("auth/sign-in", &[("email", address), ("password", password)], None).await;
        let next = answer.json["SignedIn"]["next"].as_str().unwrap_or_else(|| panic!("sign-in failed: {}", answer.body)).to_owned();
        let cookie = format!("session={}", answer.cookie("session").expect("session cookie"));
        if next.starts_with("/mfa/einrichten") {
            let setup = self.call("mfa/totp-start", &[], Some(&cookie)).await;
            let secret: String = setup.json["secret_grouped"].as_str().expect("secret").split_whitespace().collect();
            if let Ok(mut secrets) = self.totp_secrets.lock() {
                secrets.insert(address.to_owned(), secret);
            }
            let code = self.next_totp_code(address);
            let done = self.call("mfa/totp-confirm", &[("code", &code)], Some(&cookie)).await;
            assert!(done.json["Done"].is_object(), "enrolment failed: {}", done.body);
            format!("session={}", done.cookie("session").expect("new session cookie"))
        } else {
            let code = self.next_totp_code(address);
            let done = self.call("mfa/second-factor", &[("method", "totp"), ("code", &code)], Some(&cookie)).await;
            assert!(done.json["SignedIn"].is_object(), "second factor failed: {}", done.body);
            format!("session={}", done.cookie("session").expect("new session cookie"))
        }
    }

    /// Stops the server gracefully and waits for it. Returns the temporary directory
    /// (holding a SQLite database) so a test can start a new server on it.
    pub async fn stop(mut self) -> Option<tempfile::TempDir> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task");
        }
        self._dir.take()
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let set_cookies = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = response.text().await.expect("body");
    let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
    Answer { status, json, body, set_cookies, location }
}

/// Runs each listed `async fn name(backend: Backend)` once per database.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::within_time_limit(stringify!($name), || super::$name($crate::support::Backend::Sqlite)).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::within_time_limit(stringify!($name), || super::$name($crate::support::Backend::Postgres)).await
                }
            )*
        }
    };
}

/// Runs a test with a time limit of 90 s: a test that hangs fails, with its name (a
/// hang is a fault to find, never retried).
pub async fn within_time_limit<F, Fut>(name: &str, test: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    if tokio::time::timeout(std::time::Duration::from_secs(90), test()).await.is_err() {
        panic!("{name}: no result after 90 s");
    }
}
