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

use app::api::ApiError;

/// Largest error body this layer reads (bytes).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Middleware for `/api/*`.
pub async fn apply(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
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
