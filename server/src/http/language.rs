//! The `/sprache` switch: stores the language choice in a cookie and returns to the
//! page the visitor came from (works without JavaScript).

use axum::{
    extract::{Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::config::Settings;
use app::domain::{
    language::{Language, LANGUAGE_COOKIE},
    navigation::local_path,
};

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
    let target = query
        .zurueck
        .as_deref()
        .and_then(local_path)
        .unwrap_or("/")
        .to_owned();
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
