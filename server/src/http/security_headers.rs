//! Security headers on every response, including a Content-Security-Policy with a
//! fresh nonce per request. The nonce is put into the request extensions, where the
//! page renderer picks it up for its scripts.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::nonce::Nonce;

use crate::config::Settings;

/// What the headers depend on: HTTPS (HSTS) and the dev reload socket.
#[derive(Clone)]
pub struct HeaderPolicy(Arc<PolicyInner>);

struct PolicyInner {
    hsts: bool,
    extra_connect_src: String,
}

impl HeaderPolicy {
    /// Derives the policy from the settings.
    pub fn new(settings: &Settings) -> Self {
        // `cargo leptos watch` reloads the page through a WebSocket on the reload port.
        let extra_connect_src = match (std::env::var("LEPTOS_WATCH"), std::env::var("LEPTOS_RELOAD_PORT")) {
            (Ok(_), Ok(port)) => format!(" ws://{}:{port}", settings.bind_addr.ip()),
            _ => String::new(),
        };
        HeaderPolicy(Arc::new(PolicyInner { hsts: settings.is_https(), extra_connect_src }))
    }
}

/// Builds the Content-Security-Policy for one nonce.
pub fn content_security_policy(nonce: &str, extra_connect_src: &str) -> String {
    format!(
        "default-src 'self'; \
         script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'{extra_connect_src}; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Middleware: creates the nonce, runs the request, sets the headers.
pub async fn apply(State(policy): State<HeaderPolicy>, mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let csp = content_security_policy(&nonce, &policy.0.extra_connect_src);
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    let fixed: [(HeaderName, &'static str); 6] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if policy.0.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn policy_is_strict() {
        let csp = content_security_policy("abc", "");
        for part in [
            "script-src 'nonce-abc' 'strict-dynamic' 'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{part} missing in {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
    }
}
