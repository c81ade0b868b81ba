//! Progressive enhancement for forms without JavaScript: the browser posts the form
//! to the server function, which answers with a redirect back to the page. The result
//! travels in a short-lived signed cookie ("flash") that the page reads once while it
//! renders, so messages and kept input look exactly as with JavaScript. A result too
//! large for a cookie (long typed text) is kept server-side
//! ([`crate::backend::flash_stash`]); the cookie then carries `ref.<token>`, which the
//! HTTP layer exchanges for the signed value before the page renders ([`inflate`]).

use axum::http::header;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use leptos::prelude::use_context;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// The cookie's name.
pub const COOKIE: &str = "flash";
const PURPOSE: &str = "flash-cookie";
/// Longest value kept in the cookie itself (bytes; browsers keep 4096 per cookie,
/// name and attributes included).
const MAX_COOKIE_VALUE: usize = 3_000;
/// Marks a cookie value that refers to a stashed result.
const REFERENCE: &str = "ref.";

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    form: String,
    value: T,
}

/// Whether the current request is a plain HTML form submission (no JavaScript).
pub fn plain_form_post() -> bool {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// For a plain form post, stores `value` for the page of `form` to show after the redirect.
pub async fn remember<T: Serialize>(form: super::flash_form::FlashForm, value: &T) {
    if !plain_form_post() {
        return;
    }
    let Ok(state) = super::state() else { return };
    if let Some(cookie) = cookie(&state, form, value).await {
        super::set_cookie(&cookie);
    }
}

/// The signed flash cookie carrying `value` for the page of `form` (also used by the
/// plain HTTP upload handlers, which redirect back like a server function does); a
/// reference to the stashed value when it is too large for a cookie.
pub async fn cookie<T: Serialize>(state: &crate::backend::AppState, form: super::flash_form::FlashForm, value: &T) -> Option<cookie::Cookie<'static>> {
    let json = serde_json::to_vec(&Envelope { form: form.key().to_owned(), value }).ok()?;
    let signature = state.secret.sign(PURPOSE, &json);
    let mut value = format!("{}.{}", URL_SAFE_NO_PAD.encode(&json), URL_SAFE_NO_PAD.encode(signature));
    if value.len() > MAX_COOKIE_VALUE {
        match crate::backend::flash_stash::put(&state.db, &value, state.clock.now()).await {
            Ok(token) => value = format!("{REFERENCE}{token}"),
            Err(error) => {
                tracing::warn!(%error, "flash value could not be kept");
                return None;
            }
        }
    }
    Some(base_cookie(value, state.settings.secure_cookies).max_age(cookie::time::Duration::seconds(120)).build())
}

/// Exchanges a cookie value `ref.<token>` for the stashed signed value (once); other
/// values come back unchanged. Called by the HTTP layer before the page renders.
pub async fn inflate(db: &crate::backend::Db, value: &str, now: i64) -> Option<String> {
    match value.strip_prefix(REFERENCE) {
        None => Some(value.to_owned()),
        Some(token) => crate::backend::flash_stash::take(db, token, now).await.ok().flatten(),
    }
}

/// Takes (and clears) the value stored for `form`, if the cookie is present and genuine.
pub fn take<T: DeserializeOwned>(form: &str) -> Option<T> {
    let parts = use_context::<axum::http::request::Parts>()?;
    let raw = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE)?
        .value()
        .to_owned();
    let state = super::state().ok()?;
    super::set_cookie(&base_cookie(String::new(), state.settings.secure_cookies).max_age(cookie::time::Duration::ZERO).build());
    let (payload, signature) = raw.split_once('.')?;
    let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    if !state.secret.verify(PURPOSE, &json, &signature) {
        return None;
    }
    let envelope: Envelope<T> = serde_json::from_slice(&json).ok()?;
    (envelope.form == form).then_some(envelope.value)
}

fn base_cookie(value: String, secure: bool) -> cookie::CookieBuilder<'static> {
    cookie::Cookie::build((COOKIE, value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(cookie::SameSite::Lax)
}
