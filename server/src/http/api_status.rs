//! Gives a server function's refusal its real HTTP status. Leptos answers every
//! `Err(ApiError)` with 500; this layer reads such an answer's JSON body (small: an
//! [`ApiError`] is a word or a short message) and sets [`ApiError::http_status`] — 401
//! without a session, 403 for a missing second factor or proof of identity, 400 for a
//! request that could not be read, 503 when the server failed — so that clients and
//! monitoring see what happened.

use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::Response,
};

use std::time::Duration;

use futures_util::StreamExt;

use app::api::ApiError;

/// Largest error body this layer reads (bytes).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Largest body a server function accepts (bytes, from `Content-Length`): its forms
/// are a few fields; the largest, a feedback text or a passkey's answer, stay far below
/// 64 KiB. Uploads have their own routes and limits.
pub const MAX_API_BODY: u64 = 1024 * 1024;

/// A declared body beyond [`MAX_API_BODY`] but within this is read and dropped before
/// the 413 answer (bytes): a client that sends the whole body before it listens — every
/// browser and most HTTP libraries — then gets the answer instead of a reset connection.
/// Beyond this, the answer comes at once and the connection closes.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;

/// How long the dropped body may take to arrive.
const DRAIN_TIME: Duration = Duration::from_secs(10);

/// Middleware for `/api/*`.
pub async fn apply(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    if is_api {
        if let Some(declared) = declared_length(&request).filter(|declared| *declared > MAX_API_BODY) {
            return too_large(request, declared).await;
        }
    }
    let response = next.run(request).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.http_status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn declared_length(request: &Request) -> Option<u64> {
    request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
}

/// 413 for a server-function body beyond [`MAX_API_BODY`], after dropping what arrives
/// of it (see [`DRAIN_LIMIT`]).
async fn too_large(request: Request, declared: u64) -> Response {
    let mut close = true;
    if declared <= DRAIN_LIMIT {
        let mut body = request.into_body().into_data_stream();
        let drained = tokio::time::timeout(DRAIN_TIME, async {
            let mut read: u64 = 0;
            while let Some(chunk) = body.next().await {
                read += chunk.map_err(|_| ())?.len() as u64;
                if read > DRAIN_LIMIT {
                    return Err(());
                }
            }
            Ok(())
        })
        .await;
        close = !matches!(drained, Ok(Ok(())));
    }
    let error = ApiError::Transport(format!("the request is larger than {MAX_API_BODY} bytes"));
    let mut response = Response::new(Body::from(serde_json::to_vec(&error).unwrap_or_default()));
    *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    let headers = response.headers_mut();
    headers.insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    if close {
        headers.insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    response
}
