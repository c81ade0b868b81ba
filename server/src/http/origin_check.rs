//! Rejects cross-site state-changing requests (CSRF defence in depth next to
//! `SameSite` cookies): every non-safe method must come from the portal's own origin.

use axum::{
    extract::{Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::Arc;

/// The one origin allowed to send state-changing requests.
#[derive(Clone)]
pub struct AllowedOrigin(Arc<str>);

impl AllowedOrigin {
    /// `origin` as `scheme://host[:port]`.
    pub fn new(origin: String) -> Self {
        AllowedOrigin(origin.into())
    }
}

/// Middleware: safe methods pass; others need `Origin` equal to the public origin,
/// or (browsers that omit `Origin`) `Sec-Fetch-Site: same-origin`.
pub async fn reject_cross_site(
    State(allowed): State<AllowedOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe(request.method()) || is_same_origin(&request, &allowed.0) {
        return next.run(request).await;
    }
    tracing::warn!(
        origin = ?request.headers().get(header::ORIGIN),
        fetch_site = ?request.headers().get("sec-fetch-site"),
        "cross-site request rejected"
    );
    (StatusCode::FORBIDDEN, "Cross-site request rejected").into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_origin(request: &Request, allowed: &str) -> bool {
    let headers = request.headers();
    match headers.get(header::ORIGIN).map(|v| v.to_str()) {
        Some(Ok(origin)) => origin == allowed,
        Some(Err(_)) => false,
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|site| site == "same-origin"),
    }
}
