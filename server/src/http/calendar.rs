//! `GET /kalender/{id}`: an appointment as a calendar file (`termin-{id}.ics`), for the
//! client it belongs to (everybody else gets 404). The file is
//! `backend::appointments::calendar_file`'s; this handler only answers over HTTP.

use app::domain::routes;
use app::domain::ids::AppointmentId;
use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Extension, Router,
};

use app::{
    api::{caller::Caller, ApiError},
    backend::{appointments, context::RequestContext, AppState},
};

use super::with_headers;

/// The route.
pub fn routes(state: AppState) -> Router {
    Router::new().route(routes::file_routes::CALENDAR, get(calendar_file)).with_state(state)
}

async fn calendar_file(State(state): State<AppState>, Extension(context): Extension<RequestContext>, Path(id): Path<AppointmentId>) -> Response {
    let not_found = || super::refusal(context.language, ApiError::NotFound);
    let Ok(Ok((_, profile))) = Caller::resolve(&state, &context).await.map(Caller::citizen_with_profile) else { return not_found() };
    match appointments::calendar_file(&state, profile.client_id, id).await {
        Ok(Some(file)) => with_headers(
            file.into_response(),
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"termin-{id}.ics\"")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
        ),
        Ok(None) => not_found(),
        Err(error) => {
            tracing::error!(%error, "calendar file failed");
            super::refusal(context.language, ApiError::Unavailable)
        }
    }
}
