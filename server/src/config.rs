//! Configuration from environment variables (documented in the README and
//! `.env.example`). Serving needs `APP_ENV` set explicitly: production refuses to start
//! with an unsafe or missing setting, development only listens on loopback — a server
//! started on a public address with a forgotten `APP_ENV` never runs with demo data, a
//! mail preview or a generated secret.

use std::{net::SocketAddr, path::PathBuf};

use url::Url;

/// Development, production, or not said (`APP_ENV` missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// `APP_ENV=development`, on loopback only: demo data, mail preview, generated
    /// secret, plain HTTP.
    Development,
    /// `APP_ENV=production`: HTTPS public URL and all secrets required.
    Production,
    /// `APP_ENV` is missing: the operators' commands (`migrate`, `admin`) work, serving
    /// and seeding demo data refuse to start.
    Unset,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Where the built browser assets are and how they are named.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// Directory with the static site (`target/site`).
    pub root: PathBuf,
    /// Sub-directory of `root` with the JS/WASM/CSS bundle (`pkg`).
    pub pkg_dir: String,
    /// Base name of the bundle files (`portal`).
    pub output_name: String,
    /// Whether bundle file names carry a content hash (read from `hash.txt` next to
    /// the executable, written by `cargo leptos build`).
    pub hash_files: bool,
}

/// All settings of the server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Development or production.
    pub environment: Environment,
    /// Address and port to listen on.
    pub bind_addr: SocketAddr,
    /// The origin browsers use to reach the portal (no trailing slash).
    pub public_url: Url,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Name shown in the header and titles.
    pub portal_name: String,
    /// Log format.
    pub log_format: LogFormat,
    /// Seed demo data into an empty database at start-up.
    pub demo_seed: bool,
    /// Static site.
    pub site: SiteSettings,
    /// Outgoing mail.
    pub mail: MailSettings,
    /// Outgoing SMS.
    pub sms: SmsSettings,
    /// `SECRET_KEY` (base64, ≥ 32 bytes); required in production.
    pub secret_key: Option<String>,
    /// `SECRET_KEY_PREVIOUS`: earlier keys (comma-separated), still accepted for reading
    /// after a rotation.
    pub secret_key_previous: Vec<String>,
    /// `OUTBOX_RETENTION_DAYS`: delivered mails and SMS are deleted after this many days
    /// (their text is removed at delivery already).
    pub outbox_retention_days: i64,
    /// Argon2 hashes computed at the same time (the rest of the CPU keeps serving pages).
    pub password_hash_concurrency: usize,
    /// Sign-in throttling.
    pub throttle: app::backend::throttle::ThrottlePolicy,
    /// Mails sent on request per source address and hour (`MAIL_LIMIT_PER_SOURCE_HOUR`).
    pub mails_per_source_hour: i64,
    /// `TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` entries say who
    /// the client is (see `http::remote_address`); empty: the connection's peer.
    pub trusted_proxies: crate::http::remote_address::TrustedProxies,
    /// `DEEMED_NOTICE_DAYS`: days after the notification mail at which an online
    /// document counts as made known (§ 37 Abs. 2a SGB X).
    pub deemed_notice_days: i64,
    /// `APPOINTMENT_REMINDER_HOURS`: hours before an appointment at which the SMS
    /// reminder goes out.
    pub reminder_lead_hours: i64,
}

/// Outgoing mail settings.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://user:pass@host:587?tls=required`, `smtps://host:465`, …; `None` in development
    /// keeps mails on the preview page.
    pub smtp_url: Option<String>,
    /// Sender, e.g. `Jobcenter digital <noreply@example.org>`.
    pub from: String,
    /// Longest SMTP delivery attempt, connection to the last reply (`SMTP_TIMEOUT_SECS`,
    /// 60 s; at most 100 s, below the outbox claim of 120 s, so that no other worker takes
    /// the message over while an attempt still runs).
    pub timeout: std::time::Duration,
}

/// Outgoing SMS settings (an HTTP gateway).
#[derive(Debug, Clone)]
pub struct SmsSettings {
    /// `SMS_GATEWAY_URL`; `None` in development keeps SMS on the preview page.
    pub gateway_url: Option<String>,
    /// `SMS_GATEWAY_AUTHORIZATION`: the `Authorization` header value, e.g. `Bearer …`.
    pub authorization: Option<String>,
    /// `SMS_GATEWAY_BODY`: JSON body template with `{{to}}` and `{{text}}`.
    pub body_template: Option<String>,
    /// Timeout for one gateway request.
    pub timeout: std::time::Duration,
}

/// A setting is missing, malformed or unsafe.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A value could not be parsed.
    #[error("{name}: {problem}")]
    Invalid {
        /// Variable name.
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A variable that must be set is missing.
    #[error("{name} is not set: {problem}")]
    Missing {
        /// Variable name.
        name: &'static str,
        /// What to set.
        problem: &'static str,
    },
    /// The value is not safe here (production, or development off loopback).
    #[error("{name} is not safe: {problem}")]
    Unsafe {
        /// Variable name.
        name: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads the settings through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        if get("TRUST_FORWARDED_FOR").is_some() {
            // It trusted the left-most entry, which the client writes.
            return Err(ConfigError::Invalid {
                name: "TRUST_FORWARDED_FOR",
                problem: "was replaced by TRUSTED_PROXIES: list the proxies (CIDR), e.g. TRUSTED_PROXIES=127.0.0.1/32".to_owned(),
            });
        }
        let environment = match get("APP_ENV").as_deref().map(str::trim) {
            None => Environment::Unset,
            Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "APP_ENV",
                    problem: format!("expected development or production, got {other:?}"),
                })
            }
        };
        let bind_addr: SocketAddr = get("BIND_ADDR")
            .or_else(|| get("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned())
            .parse()
            .map_err(|e| ConfigError::Invalid { name: "BIND_ADDR", problem: format!("{e}") })?;
        let public_url = get("PUBLIC_URL")
            .unwrap_or_else(|| format!("http://localhost:{}", bind_addr.port()));
        let public_url = parse_public_url(&public_url)?;
        let log_format = match get("LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            None if environment == Environment::Production => LogFormat::Json,
            None => LogFormat::Pretty,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "LOG_FORMAT",
                    problem: format!("expected pretty or json, got {other:?}"),
                })
            }
        };
        let demo_seed = match get("DEMO_SEED") {
            Some(v) => parse_bool("DEMO_SEED", &v)?,
            None => environment == Environment::Development,
        };
        if demo_seed && environment == Environment::Unset {
            return Err(ConfigError::Missing {
                name: "APP_ENV",
                problem: "DEMO_SEED creates an account with a published password: only with APP_ENV=development",
            });
        }
        let hash_files = match get("LEPTOS_HASH_FILES") {
            Some(v) => parse_bool("LEPTOS_HASH_FILES", &v)?,
            None => hash_file_present(),
        };
        let throttle = app::backend::throttle::ThrottlePolicy {
            lock_account_after: parse_number(&get, "LOGIN_LOCK_AFTER", 10)?,
            lock_address_after: parse_number(&get, "LOGIN_LOCK_ADDRESS_AFTER", 50)?,
            lock_seconds: parse_number::<i64>(&get, "LOGIN_LOCK_MINUTES", 15)? * 60,
            base_delay: std::time::Duration::from_millis(parse_number(&get, "LOGIN_DELAY_BASE_MS", 1000)?),
            ..Default::default()
        };
        let mails_per_source_hour: i64 = parse_number(&get, "MAIL_LIMIT_PER_SOURCE_HOUR", 100)?;
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let settings = Settings {
            environment,
            bind_addr,
            public_url,
            database_url: get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/portal.db".to_owned()),
            portal_name: get("PORTAL_NAME").unwrap_or_else(|| "Jobcenter digital".to_owned()),
            log_format,
            demo_seed,
            site: SiteSettings {
                root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()).into(),
                pkg_dir: get("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".to_owned()),
                output_name: get("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "portal".to_owned()),
                hash_files,
            },
            mail: MailSettings {
                smtp_url: get("SMTP_URL"),
                from: get("MAIL_FROM").unwrap_or_else(|| "Jobcenter digital <noreply@localhost>".to_owned()),
                timeout: std::time::Duration::from_secs(smtp_timeout(&get)?),
            },
            sms: SmsSettings {
                gateway_url: get("SMS_GATEWAY_URL"),
                authorization: get("SMS_GATEWAY_AUTHORIZATION"),
                body_template: get("SMS_GATEWAY_BODY"),
                timeout: std::time::Duration::from_secs(parse_number(&get, "SMS_GATEWAY_TIMEOUT_SECS", 15)?),
            },
            secret_key: get("SECRET_KEY"),
            secret_key_previous: get("SECRET_KEY_PREVIOUS")
                .map(|list| list.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
            outbox_retention_days: parse_number(&get, "OUTBOX_RETENTION_DAYS", 30)?,
            password_hash_concurrency: parse_number(&get, "PASSWORD_HASH_CONCURRENCY", (cores / 2).max(1))?,
            throttle,
            mails_per_source_hour,
            reminder_lead_hours: parse_number(&get, "APPOINTMENT_REMINDER_HOURS", 24)?,
            deemed_notice_days: parse_number(&get, "DEEMED_NOTICE_DAYS", app::domain::postbox::DEFAULT_DEEMED_NOTICE_DAYS)?,
            trusted_proxies: match get("TRUSTED_PROXIES") {
                Some(list) => crate::http::remote_address::TrustedProxies::parse(&list)
                    .map_err(|problem| ConfigError::Invalid { name: "TRUSTED_PROXIES", problem })?,
                None => Default::default(),
            },
        };
        settings.check_production()?;
        settings.check_development()?;
        Ok(settings)
    }

    /// Whether development features may run (`APP_ENV=development`, on loopback).
    pub fn is_development(&self) -> bool {
        self.environment == Environment::Development
    }

    /// Serving (and seeding demo data) needs `APP_ENV`: without it the server would not
    /// know whether demo data, a mail preview and a generated secret are acceptable.
    pub fn check_serving(&self) -> Result<(), ConfigError> {
        if self.environment == Environment::Unset {
            return Err(ConfigError::Missing {
                name: "APP_ENV",
                problem: "set APP_ENV=production on a server (it then needs PUBLIC_URL=https://…, SMTP_URL, \
                          SMS_GATEWAY_URL and SECRET_KEY) or APP_ENV=development to try the portal on this \
                          computer (loopback only; `make run` sets it)",
            });
        }
        Ok(())
    }

    fn check_development(&self) -> Result<(), ConfigError> {
        if self.environment == Environment::Development && !self.bind_addr.ip().is_loopback() {
            return Err(ConfigError::Unsafe {
                name: "BIND_ADDR",
                problem: "development mode (demo data with a published password, the mail preview, a generated \
                          secret) only listens on 127.0.0.1 or ::1; use APP_ENV=production on a public address",
            });
        }
        Ok(())
    }

    /// The public origin (`scheme://host[:port]`) that browsers send in `Origin`.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    /// Whether browsers reach the portal over HTTPS (cookies get `Secure`, HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    fn check_production(&self) -> Result<(), ConfigError> {
        if self.environment != Environment::Production {
            return Ok(());
        }
        if !self.is_https() {
            return Err(ConfigError::Unsafe {
                name: "PUBLIC_URL",
                problem: "must start with https:// (cookies need the Secure flag)",
            });
        }
        if self.demo_seed {
            return Err(ConfigError::Unsafe {
                name: "DEMO_SEED",
                problem: "demo data must not be created in production",
            });
        }
        if self.mail.smtp_url.is_none() {
            return Err(ConfigError::Unsafe {
                name: "SMTP_URL",
                problem: "is required: without it no e-mail (confirmation links, notices) would be sent",
            });
        }
        if self.sms.gateway_url.is_none() {
            return Err(ConfigError::Unsafe {
                name: "SMS_GATEWAY_URL",
                problem: "is required: without it no SMS (codes that confirm mobile numbers) would be sent",
            });
        }
        // Links, codes and the credentials must not cross a network in clear.
        if self.mail.smtp_url.as_deref().is_some_and(|url| !is_encrypted_or_local(url, "smtps", "tls=required")) {
            return Err(ConfigError::Unsafe {
                name: "SMTP_URL",
                problem: "must be encrypted: smtps://… (TLS) or smtp://…?tls=required (STARTTLS); plain smtp:// only to \
                          a mail server on this computer (127.0.0.1, ::1, localhost)",
            });
        }
        if self.sms.gateway_url.as_deref().is_some_and(|url| !is_encrypted_or_local(url, "https", "")) {
            return Err(ConfigError::Unsafe {
                name: "SMS_GATEWAY_URL",
                problem: "must start with https:// (plain http:// only to a gateway on this computer)",
            });
        }
        if self.secret_key.is_none() {
            return Err(ConfigError::Unsafe {
                name: "SECRET_KEY",
                problem: "is required (at least 32 random bytes, base64)",
            });
        }
        Ok(())
    }
}

/// Whether `url` uses the encrypted `scheme`, carries the `required` query part (an
/// encryption demand such as `tls=required`; empty: none exists), or names a host on
/// this computer.
fn is_encrypted_or_local(url: &str, scheme: &str, required: &str) -> bool {
    let Ok(parsed) = Url::parse(url) else { return false };
    // `smtp:` is no special scheme for the URL standard: its host stays text ("127.0.0.1",
    // "[::1]").
    let loopback = match parsed.host() {
        Some(url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let demanded = !required.is_empty() && parsed.query().is_some_and(|q| q.split('&').any(|part| part == required));
    parsed.scheme() == scheme || demanded || loopback
}

fn parse_public_url(raw: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(raw.trim_end_matches('/'))
        .map_err(|e| ConfigError::Invalid { name: "PUBLIC_URL", problem: e.to_string() })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ConfigError::Invalid {
            name: "PUBLIC_URL",
            problem: "expected http(s)://host[:port]".to_owned(),
        });
    }
    Ok(url)
}

/// `SMTP_TIMEOUT_SECS` (default 60): RFC 5321 §4.5.3.2 lets a server take minutes to
/// answer a message (virus scanning), so not too short; and below the outbox claim.
fn smtp_timeout(get: &impl Fn(&str) -> Option<String>) -> Result<u64, ConfigError> {
    let seconds: u64 = parse_number(get, "SMTP_TIMEOUT_SECS", 60)?;
    if seconds == 0 || seconds > 100 {
        return Err(ConfigError::Invalid {
            name: "SMTP_TIMEOUT_SECS",
            problem: format!("expected 1 to 100 seconds (an attempt must end before the outbox's 120 s claim), got {seconds}"),
        });
    }
    Ok(seconds)
}

fn parse_number<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ConfigError::Invalid { name, problem: format!("expected a number, got {v:?}") }),
    }
}

fn parse_bool(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(ConfigError::Invalid { name, problem: format!("expected true or false, got {other:?}") }),
    }
}

/// `cargo leptos build` writes `hash.txt` next to the server executable when file
/// hashing is on; without it the bundle has plain names.
fn hash_file_present() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|path| path.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_are_for_local_development() {
        let s = settings(&[("APP_ENV", "development")]).expect("defaults");
        assert_eq!(s.environment, Environment::Development);
        assert_eq!(s.database_url, "sqlite://data/portal.db");
        assert_eq!(s.public_origin(), "http://localhost:3000");
        assert_eq!(s.portal_name, "Jobcenter digital");
        assert!(s.demo_seed);
        assert!(!s.is_https());
    }

    #[test]
    fn public_url_follows_bind_port() {
        let s = settings(&[("APP_ENV", "development"), ("BIND_ADDR", "127.0.0.1:4123")]).expect("settings");
        assert_eq!(s.public_origin(), "http://localhost:4123");
    }

    #[test]
    fn production_requires_https_and_no_demo_data() {
        let err = settings(&[("APP_ENV", "production"), ("PUBLIC_URL", "http://portal.example")]);
        assert!(matches!(err, Err(ConfigError::Unsafe { name: "PUBLIC_URL", .. })));
        let err = settings(&[
            ("APP_ENV", "production"),
            ("PUBLIC_URL", "https://portal.example"),
            ("DEMO_SEED", "true"),
        ]);
        assert!(matches!(err, Err(ConfigError::Unsafe { name: "DEMO_SEED", .. })));
        let err = settings(&[("APP_ENV", "production"), ("PUBLIC_URL", "https://portal.example")]);
        assert!(matches!(err, Err(ConfigError::Unsafe { name: "SMTP_URL", .. })));
        let err = settings(&[
            ("APP_ENV", "production"),
            ("PUBLIC_URL", "https://portal.example"),
            ("SMTP_URL", "smtp://mail.example:587?tls=required"),
        ]);
        assert!(matches!(err, Err(ConfigError::Unsafe { name: "SMS_GATEWAY_URL", .. })));
        let err = settings(&[
            ("APP_ENV", "production"),
            ("PUBLIC_URL", "https://portal.example"),
            ("SMTP_URL", "smtp://mail.example:587?tls=required"),
            ("SMS_GATEWAY_URL", "https://sms.example/v1/messages"),
        ]);
        assert!(matches!(err, Err(ConfigError::Unsafe { name: "SECRET_KEY", .. })));
        let ok = settings(&[
            ("APP_ENV", "production"),
            ("PUBLIC_URL", "https://portal.example/"),
            ("SMTP_URL", "smtp://mail.example:587?tls=required"),
            ("SMS_GATEWAY_URL", "https://sms.example/v1/messages"),
            ("SECRET_KEY", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="),
        ])
        .expect("production settings");
        assert_eq!(ok.public_origin(), "https://portal.example");
        assert_eq!(ok.log_format, LogFormat::Json);
    }

    #[test]
    fn production_sends_mail_and_sms_encrypted_only() {
        let with = |smtp: &str, sms: &str| {
            settings(&[
                ("APP_ENV", "production"),
                ("PUBLIC_URL", "https://portal.example"),
                ("SMTP_URL", smtp),
                ("SMS_GATEWAY_URL", sms),
                ("SECRET_KEY", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="),
            ])
        };
        for smtp in ["smtp://user:pw@mail.example:25", "smtp://mail.example:587?tls=opportunistic", "smtp://10.0.0.5:25"] {
            assert!(matches!(with(smtp, "https://sms.example/x"), Err(ConfigError::Unsafe { name: "SMTP_URL", .. })), "{smtp}");
        }
        for sms in ["http://sms.example/x", "http://10.0.0.5/x"] {
            assert!(matches!(with("smtps://mail.example", sms), Err(ConfigError::Unsafe { name: "SMS_GATEWAY_URL", .. })), "{sms}");
        }
        for (smtp, sms) in [
            ("smtps://user:pw@mail.example:465", "https://sms.example/x"),
            ("smtp://user:pw@mail.example:587?tls=required", "https://sms.example/x"),
            ("smtp://127.0.0.1:25", "http://127.0.0.1:9000/x"),
            ("smtp://localhost:25", "http://[::1]:9000/x"),
        ] {
            assert!(with(smtp, sms).is_ok(), "{smtp} {sms}");
        }
    }

    /// Issue input: a public address, https, SMTP and a secret, but no APP_ENV.
    #[test]
    fn a_forgotten_app_env_never_serves() {
        let public = [
            ("BIND_ADDR", "0.0.0.0:3000"),
            ("PUBLIC_URL", "https://jobcenter.example"),
            ("SMTP_URL", "smtp://mail.example:587?tls=required"),
            ("SECRET_KEY", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="),
        ];
        let s = settings(&public).expect("the operators' commands still work");
        assert_eq!(s.environment, Environment::Unset);
        assert!(!s.is_development() && !s.demo_seed, "no development feature");
        assert!(matches!(s.check_serving(), Err(ConfigError::Missing { name: "APP_ENV", .. })));
        let message = s.check_serving().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("APP_ENV=production") && message.contains("APP_ENV=development"), "{message}");
        // Asking for demo data without saying development: refused.
        let mut with_seed = public.to_vec();
        with_seed.push(("DEMO_SEED", "true"));
        assert!(matches!(settings(&with_seed), Err(ConfigError::Missing { name: "APP_ENV", .. })));
    }

    #[test]
    fn development_only_on_loopback() {
        for bind in ["0.0.0.0:3000", "192.0.2.10:3000", "[::]:3000"] {
            let err = settings(&[("APP_ENV", "development"), ("BIND_ADDR", bind)]);
            assert!(matches!(err, Err(ConfigError::Unsafe { name: "BIND_ADDR", .. })), "{bind}: {err:?}");
        }
        for bind in ["127.0.0.1:3000", "[::1]:3000"] {
            let ok = settings(&[("APP_ENV", "development"), ("BIND_ADDR", bind)]).expect("loopback");
            assert!(ok.is_development() && ok.check_serving().is_ok(), "{bind}");
        }
        // Production may listen anywhere (behind its proxy).
        let ok = settings(&[
            ("APP_ENV", "production"),
            ("BIND_ADDR", "0.0.0.0:3000"),
            ("PUBLIC_URL", "https://portal.example"),
            ("SMTP_URL", "smtp://mail.example:587?tls=required"),
            ("SMS_GATEWAY_URL", "https://sms.example/v1/messages"),
            ("SECRET_KEY", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="),
        ])
        .expect("production");
        assert!(ok.check_serving().is_ok() && !ok.is_development());
    }

    #[test]
    fn malformed_values_are_named() {
        for (name, value) in [
            ("APP_ENV", "staging"),
            ("BIND_ADDR", "nowhere"),
            ("PUBLIC_URL", "ftp://x"),
            ("LOG_FORMAT", "xml"),
            ("DEMO_SEED", "maybe"),
            ("LOGIN_LOCK_AFTER", "ten"),
            ("SMTP_TIMEOUT_SECS", "-1"),
            ("SMTP_TIMEOUT_SECS", "0"),
            ("SMTP_TIMEOUT_SECS", "600"),
            ("SMS_GATEWAY_TIMEOUT_SECS", "soon"),
        ] {
            match settings(&[(name, value)]) {
                Err(ConfigError::Invalid { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}={value}: {other:?}"),
            }
        }
    }
}
