//! `/manifest.webmanifest` and `/sw.js`: the installable app. Both are written once
//! per process (portal name, current bundle names) and revalidated by browsers on
//! every use, so a deployment is picked up at the next page load.

use app::domain::routes;
use std::sync::Arc;

use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

use app::ui::{installable, shell::bundle_names};

#[derive(Clone)]
struct Files {
    manifest: Arc<str>,
    service_worker: Arc<str>,
}

/// The routes, with their content prepared from `options` and `portal_name`.
pub fn routes(options: &leptos::config::LeptosOptions, portal_name: &str) -> Router {
    let bundle = bundle_names(options);
    let files = Files {
        manifest: installable::manifest_json(portal_name).into(),
        service_worker: installable::service_worker_js(&bundle).into(),
    };
    Router::new()
        .route(routes::MANIFEST, get(manifest))
        .route(routes::SERVICE_WORKER, get(service_worker))
        .with_state(files)
}

async fn manifest(State(files): State<Files>) -> Response {
    respond(files.manifest.to_string(), "application/manifest+json")
}

async fn service_worker(State(files): State<Files>) -> Response {
    respond(files.service_worker.to_string(), "text/javascript; charset=utf-8")
}

/// The body with its type; `no-cache` so browsers check for a new version every time.
fn respond(body: String, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
