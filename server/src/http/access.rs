//! Enforces [`app::domain::access`] before a page renders: a visitor without the
//! required session is sent to the sign-in page (and brought back afterwards).

use axum::{
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::{
    backend::request::RequestContext,
    domain::access::{requirement, sign_in_path, Requirement},
};

/// Middleware (runs after the request context is attached).
pub async fn gate(request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let signed_in = request.extensions().get::<RequestContext>().is_some_and(|c| c.session.is_some());
    if requirement(path) == Requirement::SignedIn && !signed_in {
        let back = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or(path);
        let mut response = StatusCode::SEE_OTHER.into_response();
        if let Ok(location) = HeaderValue::from_str(&sign_in_path(back)) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    next.run(request).await
}
