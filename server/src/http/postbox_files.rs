//! Files of the Leistungspostfach over plain HTTP, streamed both ways:
//! - `POST /intern/kunden/{id}/senden` — staff send a document (PDF) or message to a
//!   client: a `multipart/form-data` form that works without JavaScript and redirects
//!   back to the client page (result in the flash cookie). The body is read completely
//!   first — bounded in size and pace, into temporary files ([`super::upload_body`]) —
//!   and only then stored, chunk by chunk, inside the transaction that creates the item:
//!   a slow client holds no database lock, and a refused or broken upload leaves nothing.
//! - `GET /dateien/{id}` — download for the client it was sent to (online items only)
//!   and for staff of the client's job centre; everybody else gets 404.

use axum::{
    body::Body,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Extension, Router,
};

use app::{
    api::postbox::{upload_refusal_page, CitizenSendOutcome, RefusedItem, SendOutcome, UploadRefusal},
    backend::{
        clients,
        files::{self, FileMeta, FileWriter, UploadError},
        postbox::{self, NewItem},
        profiles,
        context::RequestContext,
        sessions::Stage,
        staff, AppState,
    },
    domain::{
        language::Language,
        postbox::{check_item, citizen_may_send, ItemKind},
        upload::{FileProblem, MAX_FILES, MAX_FILE_BYTES},
    },
};

use super::upload_body::{self, Limits, Received, ReceivedFile};

/// What the staff form takes: one PDF; bodies up to 25 MB are read (a file of 10 to
/// 25 MB comes back to the form with its message, a larger body gets the 413 page).
const STAFF_LIMITS: Limits = Limits { max_body: 25 * 1024 * 1024, max_files: 1, pdf_only: true };
/// What the citizen form takes: five files of 10 MB and the fields.
const CITIZEN_LIMITS: Limits = Limits { max_body: MAX_FILES as u64 * MAX_FILE_BYTES + 5 * 1024 * 1024, max_files: MAX_FILES, pdf_only: false };

/// The routes; the body limit layer stops reading at four times the form's limit (a
/// body between the two is read and thrown away, so the client gets the 413 page).
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/intern/kunden/{id}/senden", post(send_to_client).layer(DefaultBodyLimit::max(upload_body::read_limit(&STAFF_LIMITS))))
        .route("/postfach/senden", post(send_from_citizen).layer(DefaultBodyLimit::max(upload_body::read_limit(&CITIZEN_LIMITS))))
        .route("/postfach/{id}/eingangsbestaetigung", get(receipt))
        .route("/dateien/{id}", get(download))
        .with_state(state)
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Nicht gefunden / Not found").into_response()
}

/// The signed-in staff member (full sign-in), if the request has one.
async fn staff_member(state: &AppState, context: &RequestContext) -> Option<staff::StaffMember> {
    let session = context.session.as_ref().filter(|s| s.stage == Stage::Full)?;
    staff::find(&state.db, session.account_id).await.ok().flatten()
}

async fn send_to_client(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Response {
    let Some(staff) = staff_member(&state, &context).await else { return not_found() };
    let client = match clients::find(&state.db, staff.job_centre_id, id).await {
        Ok(Some(client)) => client,
        Ok(None) => return not_found(),
        Err(error) => return unavailable(error),
    };
    let back = format!("/intern/kunden/{id}");
    let mut form = match upload_body::receive(multipart, STAFF_LIMITS).await {
        Ok(form) => form,
        Err(refusal) => return refused_upload(context.language, refusal, UploadRefusal::FileTooLarge, &back),
    };
    let thread = match conversation_of(&state, client.id, form.reply_to).await {
        Ok(thread) => thread,
        Err(response) => return response,
    };
    // Replies come back to the conversation page.
    let back = match form.reply_to {
        Some(id) => format!("/intern/nachrichten/{id}"),
        None => back,
    };
    let kind = ItemKind::parse(&form.kind).unwrap_or(ItemKind::Nachricht);
    let problems = check_item(kind, &form.subject, &form.body, !form.files.is_empty() || form.problem.is_some());
    if !problems.is_empty() || form.problem.is_some() || ItemKind::parse(&form.kind).is_none() {
        let outcome = SendOutcome::Refused(refused_item(problems, form));
        return back_with_flash(&state, &back, "staff-send", &outcome).await;
    }
    // Everything is here: now the transaction, which stays short.
    let mut tx = match state.db.pool().begin().await {
        Ok(tx) => tx,
        Err(error) => return unavailable(error),
    };
    let stored = match store_files(&state, &mut tx, client.job_centre_id, true, &mut form.files).await {
        Ok(Ok(stored)) => stored,
        Ok(Err(problem)) => {
            drop(tx);
            form.problem = Some(problem);
            return back_with_flash(&state, &back, "staff-send", &SendOutcome::Refused(refused_item(problems, form))).await;
        }
        Err(error) => return unavailable(error),
    };
    let item = NewItem { kind, subject: &form.subject, body: &form.body };
    let outcome = match postbox::send(&state, &mut tx, &client, staff.account_id, &item, &stored, thread, &context.requester).await {
        Ok((_, channel)) => {
            if let Err(error) = tx.commit().await {
                return unavailable(error);
            }
            state.mail_wake.notify_one();
            SendOutcome::Sent { channel }
        }
        Err(error) => return unavailable(error),
    };
    back_with_flash(&state, &back, "staff-send", &outcome).await
}

/// What comes back to a refused form: the problems and what was typed.
fn refused_item(problems: Vec<app::domain::postbox::ItemProblem>, form: Received) -> RefusedItem {
    RefusedItem { problems, file: form.problem, kind: form.kind, subject: form.subject, body: form.body }
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

/// Stores the received files inside `tx` (chunk by chunk from their temporary files);
/// `Ok(Err(problem))` if the database's own checks refuse one.
async fn store_files(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    job_centre_id: i64,
    pdf_only: bool,
    files: &mut [ReceivedFile],
) -> Result<Result<Vec<FileMeta>, FileProblem>, String> {
    let mut stored = Vec::with_capacity(files.len());
    for file in files {
        let now = state.clock.now();
        let mut writer = FileWriter::begin(tx, job_centre_id, &file.name, pdf_only, now).await.map_err(|e| e.to_string())?;
        file.rewind().await.map_err(|e| e.to_string())?;
        while let Some(bytes) = file.next_chunk(files::CHUNK_BYTES).await.map_err(|e| e.to_string())? {
            match writer.write(tx, &bytes).await {
                Ok(()) => {}
                Err(UploadError::Refused(problem)) => return Ok(Err(problem)),
                Err(UploadError::Store(e)) => return Err(e.to_string()),
            }
        }
        match writer.finish(tx).await {
            Ok(meta) => stored.push(meta),
            Err(UploadError::Refused(problem)) => return Ok(Err(problem)),
            Err(UploadError::Store(e)) => return Err(e.to_string()),
        }
    }
    Ok(Ok(stored))
}

/// The conversation a reply continues (`None` for a new one); 404 if it is not the
/// client's.
async fn conversation_of(state: &AppState, client_id: i64, reply_to: Option<i64>) -> Result<Option<i64>, Response> {
    let Some(id) = reply_to else { return Ok(None) };
    match postbox::thread_of(&state.db, client_id, id).await {
        Ok(Some(thread)) => Ok(Some(thread)),
        Ok(None) => Err(not_found()),
        Err(error) => Err(unavailable(error)),
    }
}

/// A redirect to `back` carrying `outcome` for the page's form `form`.
async fn back_with_flash<T: serde::Serialize>(state: &AppState, back: &str, form: &str, outcome: &T) -> Response {
    let mut response = Redirect::to(back).into_response();
    if let Some(cookie) = app::api::flash::cookie(state, form, outcome).await {
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The citizen's profile (full sign-in), if the request has one.
async fn citizen_profile(state: &AppState, context: &RequestContext) -> Option<profiles::Profile> {
    let session = context.session.as_ref().filter(|s| s.stage == Stage::Full)?;
    profiles::find_for_account(&state.db, session.account_id).await.ok().flatten()
}

/// "Nachricht schreiben" / "Nachweis hochladen" and replies: up to 5 PDF, JPEG or PNG
/// files of 10 MB each. On success the item page shows the Eingangsbestätigung.
async fn send_from_citizen(State(state): State<AppState>, Extension(context): Extension<RequestContext>, multipart: Multipart) -> Response {
    let Some(profile) = citizen_profile(&state, &context).await else { return not_found() };
    let client = match clients::find_by_id(&state.db, profile.client_id).await {
        Ok(Some(client)) => client,
        Ok(None) => return not_found(),
        Err(error) => return unavailable(error),
    };
    let mut form = match upload_body::receive(multipart, CITIZEN_LIMITS).await {
        Ok(form) => form,
        Err(refusal) => {
            return refused_upload(context.language, refusal, UploadRefusal::FilesTooLarge(MAX_FILES), "/postfach/schreiben")
        }
    };
    let thread = match conversation_of(&state, client.id, form.reply_to).await {
        Ok(thread) => thread,
        Err(response) => return response,
    };
    let kind = ItemKind::parse(&form.kind).filter(|k| citizen_may_send(*k)).unwrap_or(ItemKind::Nachricht);
    // Evidence needs a file; a message needs a text (checked like staff items).
    let has_files = !form.files.is_empty() || form.problem.is_some();
    let mut problems = check_item(if kind == ItemKind::Nachweis { ItemKind::Nachweis } else { ItemKind::Nachricht }, &form.subject, &form.body, has_files);
    if kind == ItemKind::Nachricht && has_files {
        problems.retain(|p| *p != app::domain::postbox::ItemProblem::Text);
    }
    let back = match form.reply_to {
        Some(id) => format!("/postfach/{id}"),
        None => format!("/postfach/schreiben?art={}", kind.as_str()),
    };
    if !problems.is_empty() || form.problem.is_some() {
        form.kind = kind.as_str().to_owned();
        return back_with_flash(&state, &back, "citizen-send", &CitizenSendOutcome::Refused(refused_item(problems, form))).await;
    }
    // Everything is here: now the transaction, which stays short.
    let mut tx = match state.db.pool().begin().await {
        Ok(tx) => tx,
        Err(error) => return unavailable(error),
    };
    let stored = match store_files(&state, &mut tx, client.job_centre_id, false, &mut form.files).await {
        Ok(Ok(stored)) => stored,
        Ok(Err(problem)) => {
            drop(tx);
            form.problem = Some(problem);
            form.kind = kind.as_str().to_owned();
            return back_with_flash(&state, &back, "citizen-send", &CitizenSendOutcome::Refused(refused_item(problems, form))).await;
        }
        Err(error) => return unavailable(error),
    };
    let item = NewItem { kind, subject: &form.subject, body: &form.body };
    let now = state.clock.now();
    let id = match postbox::submit_from_citizen(&mut tx, client.id, profile.account_id, &item, &stored, thread, now, &context.requester).await {
        Ok(id) => id,
        Err(error) => return unavailable(error),
    };
    if let Err(error) = tx.commit().await {
        return unavailable(error);
    }
    back_with_flash(&state, &format!("/postfach/{id}"), "citizen-send", &CitizenSendOutcome::Received { id }).await
}

/// The Eingangsbestätigung of a citizen's item as a text file (for the citizen and the
/// client's job centre).
async fn receipt(State(state): State<AppState>, Extension(context): Extension<RequestContext>, Path(id): Path<i64>) -> Response {
    let Some(session) = context.session.as_ref().filter(|s| s.stage == Stage::Full) else { return not_found() };
    let item = match staff::find(&state.db, session.account_id).await {
        Ok(Some(member)) => postbox::find_for_job_centre(&state.db, member.job_centre_id, id).await.ok().flatten(),
        Ok(None) => match citizen_profile(&state, &context).await {
            Some(profile) => postbox::find_online(&state.db, profile.client_id, id).await.ok().flatten(),
            None => None,
        },
        Err(_) => None,
    };
    let Some(item) = item.filter(|i| i.direction == postbox::Direction::FromCitizen) else { return not_found() };
    let Ok(files) = postbox::attachments(&state.db, item.id).await else { return not_found() };
    let text = postbox::receipt_text(context.language, &state.settings.portal_name, &item, &files);
    let mut response = text.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"Eingangsbestaetigung-{}.txt\"", item.id)),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

fn unavailable(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "postbox request failed");
    (StatusCode::SERVICE_UNAVAILABLE, "Der Dienst ist vorübergehend nicht verfügbar. / The service is temporarily unavailable.").into_response()
}

async fn download(State(state): State<AppState>, Extension(context): Extension<RequestContext>, Path(id): Path<i64>) -> Response {
    let Some(session) = context.session.as_ref().filter(|s| s.stage == Stage::Full) else { return not_found() };
    let Ok(Some((client_id, job_centre_id, online))) = postbox::file_owner(&state.db, id).await else { return not_found() };
    let allowed = match staff::find(&state.db, session.account_id).await {
        Ok(Some(member)) => member.job_centre_id == job_centre_id,
        Ok(None) => {
            online
                && profiles::find_for_account(&state.db, session.account_id)
                    .await
                    .ok()
                    .flatten()
                    .is_some_and(|p| p.client_id == client_id)
        }
        Err(_) => false,
    };
    if !allowed {
        return not_found();
    }
    let Ok(Some(meta)) = files::meta(&state.db, id).await else { return not_found() };
    // One chunk in memory at a time, however many clients download at once.
    let db = state.db.clone();
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
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, meta.content_type.clone()),
        (header::CONTENT_LENGTH, meta.size.to_string()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "no-store".to_owned()),
        (header::HeaderName::from_static("x-content-sha256"), meta.sha256.clone()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
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
