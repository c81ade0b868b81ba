//! `GET /kalender/{id}`: an appointment as a calendar file (`termin-{id}.ics`), for the
//! client it belongs to (everybody else gets 404).

use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Router,
};

use app::{
    backend::{appointments, job_centres, clients, profiles, context::RequestContext, sessions::Stage, AppState},
    domain::appointment::ics,
};

/// The route.
pub fn routes(state: AppState) -> Router {
    Router::new().route("/kalender/{id}", get(calendar_file)).with_state(state)
}

async fn calendar_file(State(state): State<AppState>, Extension(context): Extension<RequestContext>, Path(id): Path<i64>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "Nicht gefunden / Not found").into_response();
    let Some(session) = context.session.as_ref().filter(|s| s.stage == Stage::Full) else { return not_found() };
    let Ok(Some(profile)) = profiles::find_for_account(&state.db, session.account_id).await else { return not_found() };
    let Ok(Some(appointment)) = appointments::find(&state.db, profile.client_id, id).await else { return not_found() };
    if appointment.cancelled_at.is_some() {
        return not_found();
    }
    let centre = match clients::find_by_id(&state.db, profile.client_id).await {
        Ok(Some(client)) => job_centres::find_by_id(&state.db, client.job_centre_id).await.ok().flatten().map(|c| c.name),
        _ => None,
    };
    let summary = match centre {
        Some(name) => format!("{} ({name})", appointment.subject),
        None => appointment.subject.clone(),
    };
    let host = url_host(&state.settings.public_url);
    let file = ics(
        appointment.id,
        &host,
        state.clock.now(),
        appointment.starts_at,
        appointment.duration_minutes,
        &summary,
        &appointment.place,
        &appointment.notes,
    );
    let mut response = file.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"termin-{}.ics\"", appointment.id)),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

fn url_host(public_url: &str) -> String {
    public_url.split("://").nth(1).unwrap_or(public_url).split(['/', ':']).next().unwrap_or("localhost").to_owned()
}
