//! Language negotiation for every request and the `/sprache` switch, which stores
//! the choice in a cookie and returns to the page the visitor came from.

use axum::{
    extract::{Query, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::config::Settings;
use app::domain::language::{negotiate as choose, Language, LANGUAGE_COOKIE};

/// Middleware: puts the negotiated [`Language`] into the request extensions.
pub async fn negotiate(mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == LANGUAGE_COOKIE)
        .map(|c| c.value().to_owned());
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let language = choose(cookie.as_deref(), accept);
    request.extensions_mut().insert(language);
    next.run(request).await
}

/// Cookie attributes of the language choice.
#[derive(Clone)]
pub struct SwitchPolicy {
    secure: bool,
}

impl SwitchPolicy {
    /// `Secure` cookies when the portal is served over HTTPS.
    pub fn new(settings: &Settings) -> Self {
        SwitchPolicy { secure: settings.is_https() }
    }
}

/// Query of `/sprache`.
#[derive(Debug, Deserialize)]
pub struct SwitchQuery {
    lang: String,
    zurueck: Option<String>,
}

/// `GET /sprache?lang=en&zurueck=/pfad`: remembers the language and goes back.
pub async fn switch(State(policy): State<SwitchPolicy>, Query(query): Query<SwitchQuery>) -> Response {
    let Some(language) = Language::from_tag(&query.lang) else {
        return (StatusCode::BAD_REQUEST, "Unsupported language").into_response();
    };
    let target = query.zurueck.filter(|t| is_local_path(t)).unwrap_or_else(|| "/".to_owned());
    let cookie = cookie::Cookie::build((LANGUAGE_COOKIE, language.tag()))
        .path("/")
        .max_age(cookie::time::Duration::days(365))
        .same_site(cookie::SameSite::Lax)
        .http_only(true)
        .secure(policy.secure)
        .build();
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(location), Ok(set_cookie)) =
        (HeaderValue::from_str(&target), HeaderValue::from_str(&cookie.to_string()))
    {
        headers.insert(header::LOCATION, location);
        headers.insert(header::SET_COOKIE, set_cookie);
    }
    response
}

/// Only paths on this site: `/…`, not `//host` or `/\host` (open-redirect guard).
fn is_local_path(target: &str) -> bool {
    target.starts_with('/')
        && !target.starts_with("//")
        && !target.starts_with("/\\")
        && !target.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/impressum?x=1"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/a\r\nSet-Cookie: x"));
        assert!(!is_local_path(""));
    }
}
