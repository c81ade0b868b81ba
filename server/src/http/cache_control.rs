//! `Cache-Control` by kind of response: content-hashed bundle files are immutable,
//! other static files are cached briefly; pages and server-function answers are never
//! stored (they carry a per-request CSP nonce and, once signed in, personal data).

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};

use crate::config::Settings;

/// Which paths hold content-hashed files.
#[derive(Clone)]
pub struct CachePolicy(Arc<CacheInner>);

struct CacheInner {
    pkg_prefix: String,
    hashed: bool,
}

impl CachePolicy {
    /// Derives the policy from the settings.
    pub fn new(settings: &Settings) -> Self {
        CachePolicy(Arc::new(CacheInner {
            pkg_prefix: format!("/{}/", settings.site.pkg_dir.trim_matches('/')),
            hashed: settings.site.hash_files,
        }))
    }
}

/// Files from `public/` (icons, manifest) by extension; pages and server functions
/// have none.
fn is_static_asset(path: &str) -> bool {
    const EXTENSIONS: [&str; 9] = ["svg", "png", "ico", "webmanifest", "js", "css", "woff2", "txt", "wasm"];
    path.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.ends_with('/') && EXTENSIONS.contains(&ext))
}

/// Middleware: sets `Cache-Control` unless the handler already did. Also turns a
/// page's redirect (which Leptos signals with a header when the client did not ask for
/// HTML) into a real `302`, so every client follows it.
pub async fn apply(State(policy): State<CachePolicy>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_bundle = path.starts_with(&policy.0.pkg_prefix);
    let is_asset = is_static_asset(path);
    let is_page_get = request.method() == axum::http::Method::GET && !path.starts_with("/api/");
    let mut response = next.run(request).await;
    if is_page_get && response.status() == StatusCode::OK && response.headers().contains_key(header::LOCATION) {
        *response.status_mut() = StatusCode::FOUND;
        response.headers_mut().remove("serverfnredirect");
    }
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let value = if !response.status().is_success() || !(is_bundle || is_asset) {
        "no-store"
    } else if is_bundle && policy.0.hashed {
        "public, max-age=31536000, immutable"
    } else if is_bundle {
        "no-cache"
    } else {
        "public, max-age=3600"
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}
