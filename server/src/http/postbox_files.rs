//! Files of the Leistungspostfach over plain HTTP, streamed both ways. The handlers
//! only read and write HTTP; who may do what, the checks and the transaction are
//! `backend::postbox`'s ([`postbox::send_received`], [`postbox::submit_received`],
//! [`postbox::receipt_for`], [`postbox::file_for`]).
//! - `POST /intern/kunden/{id}/senden` — staff send a document (PDF) or message to a
//!   client: a `multipart/form-data` form that works without JavaScript and redirects
//!   back to the client page (result in the flash cookie). The body is read completely
//!   first — bounded in size and pace, into temporary files ([`super::upload_body`]) —
//!   and only then stored inside the transaction that creates the item: a slow client
//!   holds no database lock, and a refused or broken upload leaves nothing.
//! - `POST /postfach/senden` — the citizen's message or evidence (up to five files).
//! - `GET /postfach/{id}/eingangsbestaetigung` — the receipt of a citizen's item.
//! - `GET /dateien/{id}` — download for the client it was sent to (online items only)
//!   and for staff of the client's job centre; everybody else gets 404.

use app::domain::routes;
use app::domain::ids::{ClientId, PostboxItemId};
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Extension, Router,
};

use app::{
    api::{
        caller::Caller,
        ApiError,
        flash_form::FlashForm,
        postbox::{upload_refusal_page, CitizenSendOutcome, UploadRefusal},
    },
    backend::{
        context::RequestContext,
        files::{self, FileMeta},
        postbox,
        AppState,
    },
    domain::{
        language::Language,
        upload::{MAX_FILES, MAX_FILE_BYTES},
    },
};

use super::{
    upload_body::{self, Limits},
    with_headers,
};

/// What the staff form takes: one PDF; bodies up to 25 MB are read (a file of 10 to
/// 25 MB comes back to the form with its message, a larger body gets the 413 page).
const STAFF_LIMITS: Limits = Limits { max_body: 25 * 1024 * 1024, max_files: 1, pdf_only: true };
/// What the citizen form takes: five files of 10 MB and the fields.
const CITIZEN_LIMITS: Limits = Limits { max_body: MAX_FILES as u64 * MAX_FILE_BYTES + 5 * 1024 * 1024, max_files: MAX_FILES, pdf_only: false };

/// The routes; the body limit layer stops reading at four times the form's limit (a
/// body between the two is read and thrown away, so the client gets the 413 page).
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route(routes::file_routes::CLIENT_SEND, post(send_to_client).layer(DefaultBodyLimit::max(upload_body::read_limit(&STAFF_LIMITS))))
        .route(routes::POSTBOX_SEND, post(send_from_citizen).layer(DefaultBodyLimit::max(upload_body::read_limit(&CITIZEN_LIMITS))))
        .route(routes::file_routes::RECEIPT, get(receipt))
        .route(routes::file_routes::FILE, get(download))
        .with_state(state)
}

fn not_found(language: Language) -> Response {
    super::refusal(language, ApiError::NotFound)
}

fn unavailable(language: Language, error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "postbox request failed");
    super::refusal(language, ApiError::Unavailable)
}

/// What `pick` takes from the request's caller; 404 for everyone it refuses (they must
/// not learn what exists), 503 when the database cannot be read.
async fn caller<T>(state: &AppState, context: &RequestContext, pick: impl FnOnce(Caller) -> Option<T>) -> Result<T, Response> {
    match Caller::resolve(state, context).await {
        Ok(caller) => pick(caller).ok_or_else(|| not_found(context.language)),
        Err(error) => Err(unavailable(context.language, error)),
    }
}

/// "Senden" on the client page (staff).
async fn send_to_client(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<ClientId>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let staff = match caller(&state, &context, |c| c.staff().ok().map(|(_, member)| member)).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    if upload_body::declared_beyond_reading(&headers, &STAFF_LIMITS) {
        return refused_upload(context.language, upload_body::Refusal::TooLarge, UploadRefusal::FileTooLarge, &routes::client(id));
    }
    let form = match upload_body::receive(multipart, STAFF_LIMITS).await {
        Ok(form) => form,
        Err(refusal) => return refused_upload(context.language, refusal, UploadRefusal::FileTooLarge, &routes::client(id)),
    };
    // Replies come back to the conversation page.
    let back = form.reply_to.map_or_else(|| routes::client(id), |item| routes::conversation(item));
    match postbox::send_received(&state, &staff, id, form, &context.requester).await {
        Ok(Some(outcome)) => back_with_flash(&state, &back, FlashForm::StaffSend, &outcome).await,
        Ok(None) => not_found(context.language),
        Err(error) => unavailable(context.language, error),
    }
}

/// "Nachricht schreiben" / "Nachweis hochladen" and replies (citizen). On success the
/// item page shows the Eingangsbestätigung.
async fn send_from_citizen(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let profile = match caller(&state, &context, |c| c.citizen_with_profile().ok().map(|(_, profile)| profile)).await {
        Ok(profile) => profile,
        Err(response) => return response,
    };
    if upload_body::declared_beyond_reading(&headers, &CITIZEN_LIMITS) {
        return refused_upload(context.language, upload_body::Refusal::TooLarge, UploadRefusal::FilesTooLarge(MAX_FILES), routes::POSTBOX_WRITE);
    }
    let form = match upload_body::receive(multipart, CITIZEN_LIMITS).await {
        Ok(form) => form,
        Err(refusal) => return refused_upload(context.language, refusal, UploadRefusal::FilesTooLarge(MAX_FILES), routes::POSTBOX_WRITE),
    };
    let back = match form.reply_to {
        Some(item) => routes::postbox_item(item),
        None => format!("{}?art={}", routes::POSTBOX_WRITE, postbox::citizen_kind(&form.kind).as_str()),
    };
    match postbox::submit_received(&state, &profile, form, &context.requester).await {
        Ok(Some(outcome @ CitizenSendOutcome::Received { id })) => back_with_flash(&state, &routes::postbox_item(id), FlashForm::CitizenSend, &outcome).await,
        Ok(Some(outcome)) => back_with_flash(&state, &back, FlashForm::CitizenSend, &outcome).await,
        Ok(None) => not_found(context.language),
        Err(error) => unavailable(context.language, error),
    }
}

/// The answer to an upload that could not be read to its end: 413 with the limit, 408
/// for a slow or broken-off body, 400 for an unreadable one.
fn refused_upload(language: Language, refusal: upload_body::Refusal, too_large: UploadRefusal, back: &str) -> Response {
    let (status, why) = match refusal {
        upload_body::Refusal::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, too_large),
        upload_body::Refusal::TooSlow => (StatusCode::REQUEST_TIMEOUT, UploadRefusal::TooSlow),
        upload_body::Refusal::Malformed => (StatusCode::BAD_REQUEST, UploadRefusal::Unreadable),
    };
    tracing::info!(?refusal, "upload refused");
    let page = upload_refusal_page(language, why, back);
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// A redirect to `back` carrying `outcome` for the page's form `form`.
async fn back_with_flash<T: serde::Serialize>(state: &AppState, back: &str, form: FlashForm, outcome: &T) -> Response {
    let mut response = Redirect::to(back).into_response();
    if let Some(cookie) = app::api::flash::cookie(state, form, outcome).await {
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The Eingangsbestätigung of a citizen's item as a text file (for the citizen and the
/// client's job centre).
async fn receipt(State(state): State<AppState>, Extension(context): Extension<RequestContext>, Path(id): Path<PostboxItemId>) -> Response {
    let reader = match caller(&state, &context, |c| c.reader()).await {
        Ok(reader) => reader,
        Err(response) => return response,
    };
    match postbox::receipt_for(&state, reader, id, context.language).await {
        Ok(Some(text)) => with_headers(
            text.into_response(),
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"Eingangsbestaetigung-{id}.txt\"")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
        ),
        Ok(None) => not_found(context.language),
        Err(error) => unavailable(context.language, error),
    }
}

/// A file, streamed from the database one chunk at a time.
async fn download(State(state): State<AppState>, Extension(context): Extension<RequestContext>, Path(id): Path<i64>) -> Response {
    let reader = match caller(&state, &context, |c| c.reader()).await {
        Ok(reader) => reader,
        Err(response) => return response,
    };
    match postbox::file_for(&state.db, reader, id).await {
        Ok(Some(meta)) => file_response(&state, meta),
        Ok(None) => not_found(context.language),
        Err(error) => unavailable(context.language, error),
    }
}

/// The response of a download: the bytes as a stream (one chunk in memory at a time,
/// however many clients download at once) with type, size, name and hash.
fn file_response(state: &AppState, meta: FileMeta) -> Response {
    let db = state.db.clone();
    let id = meta.id;
    let stream = futures_util::stream::try_unfold(0_i64, move |seq| {
        let db = db.clone();
        async move {
            match files::chunk(&db, id, seq).await {
                Ok(Some(data)) => Ok(Some((axum::body::Bytes::from(data), seq + 1))),
                Ok(None) => Ok(None),
                Err(error) => Err(std::io::Error::other(error.to_string())),
            }
        }
    });
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        meta.filename.chars().map(|c| if c.is_ascii() { c } else { '_' }).collect::<String>(),
        percent_encode(&meta.filename)
    );
    with_headers(
        Response::new(Body::from_stream(stream)),
        [
            (header::CONTENT_TYPE, meta.content_type.clone()),
            (header::CONTENT_LENGTH, meta.size.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::HeaderName::from_static("x-content-sha256"), meta.sha256.clone()),
        ],
    )
}

/// RFC 5987 encoding for `filename*`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
