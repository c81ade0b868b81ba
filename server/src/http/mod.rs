//! The HTTP stack: Leptos pages and server functions, static files, health probes
//! and the middleware every response passes through.

pub mod access;
pub mod api_status;
pub mod cache_control;
pub mod calendar;
pub mod remote_address;
pub mod health;
pub mod installable;
pub mod language;
pub mod origin_check;
pub mod postbox_files;
pub mod request_context;
pub mod security_headers;
pub mod upload_body;

use app::domain::routes;
use std::sync::{Arc, OnceLock};

use axum::{middleware, routing::get, Router};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::config::Settings;
use app::{
    backend::{context::RequestContext, AppState},
    ui::site::SiteInfo,
    App,
};

/// The app's routes, generated once per process.
///
/// Generating them renders the app with resource loading switched off by a flag that is
/// global to the process (leptos_server), and a resource first polled while it is set
/// stays pending for ever. Each test server built its own list while other servers in the
/// same test process were rendering pages, and about one test run in ten hung that way
/// (leptos issue #4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the complete router for `state`.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let context_state = request_context::ContextState {
        app: state.clone(),
        trusted_proxies: settings.trusted_proxies.clone(),
    };
    let leptos_options = leptos_options(settings);
    let routes = route_list();
    let portal_name: Arc<str> = settings.portal_name.clone().into();

    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            if let Some(parts) = use_context::<axum::http::request::Parts>() {
                if let Some(nonce) = parts.extensions.get::<leptos::nonce::Nonce>() {
                    provide_context(nonce.clone());
                }
                let context = parts.extensions.get::<RequestContext>().cloned().unwrap_or_default();
                provide_context(SiteInfo {
                    portal_name: portal_name.to_string(),
                    language: context.language,
                    signed_in_as: context
                        .session
                        .as_ref()
                        .filter(|s| s.stage == app::backend::sessions::Stage::Full)
                        .map(|s| s.email.clone()),
                    has_session: context.session.is_some(),
                });
                provide_context(context);
            }
        }
    };

    let installable_routes = installable::routes(&leptos_options, &settings.portal_name);
    let shell_options = leptos_options.clone();
    let page_options = leptos_options.clone();
    // Files of the site root (the bundle, icons) or the page's "not found"; a path that the
    // file lookup would misread (see `file_lookup_misreads`) gets the page directly.
    let file_or_page = file_and_error_handler_with_context(context.clone(), app::shell);
    let page_only = leptos_axum::render_app_to_stream_with_context(context.clone(), move || app::shell(page_options.clone()));
    let fallback = move |uri: axum::http::Uri, state: axum::extract::State<leptos::config::LeptosOptions>, request: axum::extract::Request| {
        if file_lookup_misreads(uri.path()) {
            page_only(request)
        } else {
            file_or_page(uri, state, request)
        }
    };
    let pages = Router::new()
        .leptos_routes_with_context(&leptos_options, routes, context, move || app::shell(shell_options.clone()))
        .fallback(fallback)
        .with_state(leptos_options);

    let origin = origin_check::AllowedOrigin::new(settings.public_origin());
    let headers = security_headers::HeaderPolicy::new(settings);
    let cache = cache_control::CachePolicy::new(settings);

    Router::new()
        .route(routes::HEALTHZ, get(health::healthz))
        .route(routes::READYZ, get(health::readyz).with_state(state.db.clone()))
        .route(routes::LANGUAGE, get(language::switch).with_state(language::SwitchPolicy::new(settings)))
        .merge(postbox_files::routes(state.clone()))
        .merge(calendar::routes(state.clone()))
        .merge(installable_routes)
        .merge(pages)
        .layer(middleware::from_fn_with_state(cache, cache_control::apply))
        .layer(middleware::from_fn(api_status::apply))
        .layer(middleware::from_fn(access::gate))
        .layer(middleware::from_fn_with_state(context_state, request_context::attach))
        .layer(middleware::from_fn_with_state(origin, origin_check::reject_cross_site))
        .layer(middleware::from_fn_with_state(headers, security_headers::apply))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
            let request_id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!(
                "request",
                method = %request.method(),
                path = %request.uri().path(),
                request_id = %request_id,
            )
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Leptos' view of the site: where the bundle lives and how it is named.
pub fn leptos_options(settings: &Settings) -> leptos::config::LeptosOptions {
    leptos::config::LeptosOptions::builder()
        .output_name(settings.site.output_name.clone())
        .site_root(settings.site.root.to_string_lossy().to_string())
        .site_pkg_dir(settings.site.pkg_dir.clone())
        .site_addr(settings.bind_addr)
        .hash_files(settings.site.hash_files)
        .build()
}

/// `response` with `headers` set (values that are not valid header text are left out).
pub(crate) fn with_headers<const N: usize>(
    mut response: axum::response::Response,
    headers: [(axum::http::HeaderName, String); N],
) -> axum::response::Response {
    for (name, value) in headers {
        if let Ok(value) = axum::http::HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// A refusal or failure of a plain HTTP route (file routes): its status and its message
/// in the visitor's language, as text.
pub(crate) fn refusal(language: app::domain::language::Language, error: app::api::ApiError) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = axum::http::StatusCode::from_u16(error.http_status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], error.message(language)).into_response()
}

/// Whether tower-http's file lookup (behind leptos_axum's fallback) would misread `path`:
/// for a missing file whose name begins with two dots ("..x", "...", also written with
/// `%2e`), it drops the "extension" while looking for precompressed variants and lands on
/// the site directory or its parent, answers "200, 4096 bytes" and then cuts the
/// connection (found by the abuse suite's random paths). Such names are never files of
/// the site, so these paths skip the lookup.
pub fn file_lookup_misreads(path: &str) -> bool {
    // Decoded as the lookup decodes it, so "%2e" is a dot and "%2F" a separator.
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    decoded.split(|b| *b == b'/').any(|segment| segment.starts_with(b".."))
}

#[cfg(test)]
mod tests {
    use super::file_lookup_misreads;

    #[test]
    fn names_beginning_with_two_dots_skip_the_file_lookup() {
        for path in ["/..x", "/...", "/..%", "/..%25", "/%2e%2Ex", "/.%2e.", "/pkg/..a", "/..", "/pkg%2F..x", "/pkg%2f%2E.x"] {
            assert!(file_lookup_misreads(path), "{path}");
        }
        for path in ["/", "/pkg/portal-abc.wasm", "/.well-known/security.txt", "/a..b", "/favicon.ico", "/%2e", "/%", "/%zz", "/a%2"] {
            assert!(!file_lookup_misreads(path), "{path}");
        }
    }
}
