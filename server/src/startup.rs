//! Start-up and shutdown: open and migrate the database, seed demo data, bind the
//! socket, serve until SIGTERM/SIGINT, then drain in-flight requests.

use std::{net::SocketAddr, sync::Arc};

use axum::serve::ListenerExt;
use tokio::net::TcpListener;

use crate::{cli, config::Settings, http, ServerError};
use app::backend::{
    appointments,
    clock::Clock,
    demo,
    mail::transport::MailTransport,
    mfa::passkeys,
    outbox::{self, worker::Transports},
    passwords::PasswordHasher,
    sms::gateway::SmsGateway,
    AppState, PortalSettings,
};

/// How long open requests may take to finish after a shutdown signal.
pub const DRAIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// A bound, ready-to-run portal (used by `serve` and by the integration tests).
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    transports: Transports,
}

impl Application {
    /// Opens the database, migrates, seeds (if configured) and binds `settings.bind_addr`.
    pub async fn build(settings: &Settings) -> Result<Application, ServerError> {
        let listener = TcpListener::bind(settings.bind_addr).await?;
        Application::build_with_listener(settings, listener).await
    }

    /// Like [`Application::build`] with an already bound listener (tests bind port 0).
    pub async fn build_with_listener(
        settings: &Settings,
        listener: TcpListener,
    ) -> Result<Application, ServerError> {
        settings.check_serving()?;
        let db = cli::open_database(settings).await?;
        let clock = Clock::system();
        if settings.demo_seed {
            cli::report_seed(demo::seed_if_empty(&db, clock.now()).await?);
        }
        // Production cannot get here without SECRET_KEY, SMTP_URL and SMS_GATEWAY_URL
        // (config::check_production); the fallbacks are development's.
        let secret = cli::server_secret(settings, &db).await?;
        // Records stored before the search form existed get it.
        let refreshed = app::backend::clients::refresh_search_keys(&db).await?;
        if refreshed > 0 {
            tracing::info!(refreshed, "search forms of client records computed");
        }
        // Authenticator-app secrets stored before encryption (or under a previous key)
        // are encrypted under the current key.
        let moved = app::backend::mfa::totp::reencrypt(&db, &secret).await?;
        if moved.moved > 0 || moved.unreadable > 0 {
            tracing::info!(moved = moved.moved, unreadable = moved.unreadable, "authenticator-app secrets re-encrypted");
        }
        let mail = match &settings.mail.smtp_url {
            Some(url) => MailTransport::smtp(url, &settings.mail.from, settings.mail.timeout)?,
            None => MailTransport::Preview,
        };
        let sms = match &settings.sms.gateway_url {
            Some(url) => SmsGateway::http(
                url,
                settings.sms.authorization.clone(),
                settings.sms.body_template.clone(),
                settings.sms.timeout,
            )?,
            None => SmsGateway::Preview,
        };
        let hasher = tokio::task::spawn_blocking({
            let parallel = settings.password_hash_concurrency;
            move || PasswordHasher::new(parallel)
        })
        .await
        .map_err(|e| ServerError::Startup(e.to_string()))?
        .map_err(|e| ServerError::Startup(e.to_string()))?;
        let state = AppState {
            db,
            settings: Arc::new(PortalSettings {
                portal_name: settings.portal_name.clone(),
                public_url: settings.public_origin(),
                public_url_qr: app::backend::qr::svg(&settings.public_origin()).unwrap_or_default().into(),
                development: settings.is_development(),
                secure_cookies: settings.is_https(),
                throttle: settings.throttle,
                mails_per_source_hour: settings.mails_per_source_hour,
                deemed_notice_days: settings.deemed_notice_days,
                reminder_lead_hours: settings.reminder_lead_hours,
                outbox_retention_days: settings.outbox_retention_days,
            }),
            clock,
            hasher,
            secret,
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            webauthn: Arc::new(
                passkeys::relying_party(&settings.public_origin(), &settings.portal_name).map_err(ServerError::Startup)?,
            ),
        };
        let router = http::router(state.clone(), settings);
        Ok(Application { listener, router, state, transports: Transports { mail, sms } })
    }

    /// The clock every service uses (tests move it forward).
    pub fn clock(&self) -> Clock {
        self.state.clock.clone()
    }

    /// The backend state (tests inspect the database through it).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> Result<SocketAddr, ServerError> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until `shutdown` completes, then lets open requests finish for at most
    /// [`DRAIN_TIMEOUT`].
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        // Without TCP_NODELAY small responses wait for delayed ACKs (~40 ms each).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY");
            }
        });
        let (stopping_tx, stopping_rx) = tokio::sync::watch::channel(false);
        let worker = tokio::spawn(outbox::worker::run(
            self.state.db.clone(),
            self.state.clock.clone(),
            self.transports,
            self.state.mail_wake.clone(),
            stopping_rx.clone(),
        ));
        let reminders = tokio::spawn(appointments::run(
            self.state.db.clone(),
            self.state.clock.clone(),
            self.state.settings.reminder_lead_hours,
            self.state.settings.portal_name.clone(),
            self.state.mail_wake.clone(),
            stopping_rx.clone(),
        ));
        let housekeeping = tokio::spawn(app::backend::housekeeping::run(
            self.state.db.clone(),
            self.state.clock.clone(),
            self.state.settings.outbox_retention_days,
            stopping_rx.clone(),
        ));
        let signal = async move {
            shutdown.await;
            let _ = stopping_tx.send(true);
        };
        let server = axum::serve(listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(signal);
        let deadline = async move {
            let mut stopping = stopping_rx;
            // Completes DRAIN_TIMEOUT after the shutdown signal (never if the sender is gone
            // without signalling, which cannot happen before the server stops).
            if stopping.wait_for(|s| *s).await.is_ok() {
                tokio::time::sleep(DRAIN_TIMEOUT).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            result = server => result?,
            () = deadline => tracing::warn!("open connections did not finish in time; closing them"),
        }
        // The worker finishes the message it is sending, then stops.
        if tokio::time::timeout(DRAIN_TIMEOUT, worker).await.is_err() {
            tracing::warn!("outbox worker did not stop in time");
        }
        if tokio::time::timeout(DRAIN_TIMEOUT, reminders).await.is_err() {
            tracing::warn!("reminder loop did not stop in time");
        }
        if tokio::time::timeout(DRAIN_TIMEOUT, housekeeping).await.is_err() {
            tracing::warn!("housekeeping did not stop in time");
        }
        // Closing waits for borrowed connections; never longer than the drain time.
        if tokio::time::timeout(DRAIN_TIMEOUT, self.state.db.close()).await.is_err() {
            tracing::warn!("database connections were still in use at shutdown");
        }
        Ok(())
    }
}

/// `server serve`: runs the portal until SIGTERM or Ctrl-C.
pub async fn serve(settings: Settings) -> Result<(), ServerError> {
    let application = Application::build(&settings).await?;
    let addr = application.local_addr()?;
    tracing::info!(%addr, public_url = %settings.public_url, "portal started");
    println!("portal running: {}", settings.public_origin());
    application.run_until(shutdown_signal()).await?;
    tracing::info!("portal stopped");
    Ok(())
}

/// Completes on SIGTERM or SIGINT.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing open requests");
}
