//! Runs before every page and server function: works out the language, the client's
//! address and browser, and the signed-in session (from the session cookie), and puts
//! them into the request for the renderer and the server functions.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap},
    middleware::Next,
    response::Response,
};

use app::{
    backend::{
        context::RequestContext,
        mfa,
        request::Requester,
        sessions, AppState,
    },
    domain::language::{negotiate, LANGUAGE_COOKIE},
};

/// What the middleware needs.
#[derive(Clone)]
pub struct ContextState {
    /// Backend state (database, clock).
    pub app: AppState,
    /// The proxies whose `X-Forwarded-For` entries count.
    pub trusted_proxies: super::remote_address::TrustedProxies,
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

fn remote_ip(request: &Request, proxies: &super::remote_address::TrustedProxies) -> String {
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return "unknown".to_owned();
    };
    let forwarded: Vec<&str> = match proxies.is_empty() {
        true => Vec::new(),
        false => request.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect(),
    };
    proxies.client(peer.ip(), &forwarded).to_string()
}

/// Replaces a flash cookie that refers to a stashed form result (`ref.<token>`) by the
/// result itself, so the page reads it as if it had come in the cookie.
async fn inflate_flash(state: &ContextState, request: &mut Request) {
    let Some(value) = cookie_value(request.headers(), app::api::flash::COOKIE) else { return };
    if !value.starts_with("ref.") {
        return;
    }
    let inflated = app::api::flash::inflate(&state.app.db, &value, state.app.clock.now()).await.unwrap_or_default();
    let cookies: Vec<String> = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .map(|c| match c.name() == app::api::flash::COOKIE {
            true => format!("{}={inflated}", c.name()),
            false => format!("{}={}", c.name(), c.value()),
        })
        .collect();
    let headers = request.headers_mut();
    headers.remove(header::COOKIE);
    if let Ok(value) = axum::http::HeaderValue::from_str(&cookies.join("; ")) {
        headers.insert(header::COOKIE, value);
    }
}

/// Middleware: inserts a [`RequestContext`] (and the [`app::domain::language::Language`]).
pub async fn attach(State(state): State<ContextState>, mut request: Request, next: Next) -> Response {
    inflate_flash(&state, &mut request).await;
    let headers = request.headers();
    let language = negotiate(
        cookie_value(headers, LANGUAGE_COOKIE).as_deref(),
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()),
    );
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let cookie_name = sessions::cookie_name(state.app.settings.secure_cookies);
    // Bundle files never need the session; skip the lookup for them.
    let is_bundle = request.uri().path().starts_with("/pkg/");
    let mut session_unknown = false;
    let session = match cookie_value(headers, cookie_name).filter(|_| !is_bundle) {
        Some(token) => match sessions::authenticate(&state.app.db, &token, state.app.clock.now()).await {
            Ok(session) => session,
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                session_unknown = true;
                None
            }
        },
        None => None,
    };
    let requester = Requester::new(remote_ip(&request, &state.trusted_proxies), &user_agent);
    let has_second_factor = match &session {
        Some(s) if s.stage == sessions::Stage::Password => match mfa::factors(&state.app.db, s.account_id).await {
            Ok(factors) => factors.any(),
            Err(error) => {
                tracing::error!(%error, "second-factor lookup failed");
                true
            }
        },
        _ => false,
    };
    request.extensions_mut().insert(language);
    request.extensions_mut().insert(RequestContext {
        requester,
        session,
        language,
        has_second_factor,
        session_unknown,
        role: Default::default(),
    });
    next.run(request).await
}
