//! Test harness: starts the real server on an ephemeral port with a fresh database
//! (SQLite file or a new PostgreSQL database) and talks to it over HTTP.

#![allow(dead_code)]

use std::collections::HashMap;

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

/// A running portal.
pub struct TestApp {
    /// `http://localhost:PORT`
    pub base_url: String,
    /// The database URL the server uses.
    pub database_url: String,
    /// An HTTP client that does not follow redirects (tests look at them).
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
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

impl TestApp {
    /// Starts the portal with default test settings.
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, &[]).await
    }

    /// Starts the portal with extra environment-style settings.
    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = fresh_database(backend, dir.path()).await;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let base_url = format!("http://localhost:{port}");

        let mut env: HashMap<String, String> = [
            ("DATABASE_URL", database_url.as_str()),
            ("BIND_ADDR", &format!("127.0.0.1:{port}")),
            ("PUBLIC_URL", base_url.as_str()),
            ("LEPTOS_SITE_ROOT", &dir.path().join("site").display().to_string()),
            ("LEPTOS_HASH_FILES", "false"),
            ("DEMO_SEED", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (k, v) in extra {
            env.insert((*k).to_owned(), (*v).to_owned());
        }
        let settings = Settings::from_lookup(|name| env.get(name).cloned()).expect("test settings");
        let application = Application::build_with_listener(&settings, listener)
            .await
            .expect("application starts");
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

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task");
        }
    }
}

/// Runs each listed `async fn name(backend: Backend)` once per database.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await
                }
            )*
        }
    };
}
