//! Applies [`app::domain::access`] before a page renders or a server function runs:
//! visitors are sent to sign-in, to the second factor or to the set-up of one, and
//! half-signed-in sessions cannot call other server functions.

use axum::{
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::{
    backend::{context::RequestContext, sessions::Stage},
    domain::access::{page, server_function, Decision, Visitor},
};

/// What the rules know about the request's visitor.
pub fn visitor(context: Option<&RequestContext>) -> Visitor {
    match context.and_then(|c| c.session.as_ref().map(|s| (s.stage, c.has_second_factor))) {
        None => Visitor::Anonymous,
        Some((Stage::Full, _)) => Visitor::SignedIn,
        Some((Stage::Password, true)) => Visitor::NeedsSecondFactor,
        Some((Stage::Password, false)) => Visitor::NeedsEnrolment,
    }
}

/// Middleware (runs after the request context is attached).
pub async fn gate(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    // Who is calling is unknown while the database does not answer: no redirect to the
    // sign-in page; the page and its server functions answer 503 (`caller::resolve`).
    if request.extensions().get::<RequestContext>().is_some_and(|c| c.session_unknown) {
        return next.run(request).await;
    }
    let visitor = visitor(request.extensions().get::<RequestContext>());
    let decision = if path.starts_with("/api/") {
        server_function(&path, visitor)
    } else if request.method() == Method::GET && !path.starts_with("/pkg/") {
        let full = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| path.clone());
        page(&path, &full, visitor)
    } else {
        Decision::Allow
    };
    match decision {
        Decision::Allow => next.run(request).await,
        Decision::Redirect(target) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(location) = HeaderValue::from_str(&target) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Decision::Deny => (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            "\"SecondFactorRequired\"",
        )
            .into_response(),
    }
}
