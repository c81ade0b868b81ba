//! Files of the Leistungspostfach over plain HTTP, streamed both ways:
//! - `POST /intern/kunden/{id}/senden` — staff send a document (PDF) or message to a
//!   client: a `multipart/form-data` form that works without JavaScript and redirects
//!   back to the client page (result in the flash cookie). The file goes into the
//!   database chunk by chunk while it arrives, inside the transaction that creates the
//!   item: a refused or broken upload leaves nothing behind.
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
    api::postbox::{CitizenSendOutcome, RefusedItem, SendOutcome},
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
        postbox::{check_item, citizen_may_send, ItemKind},
        upload::{FileProblem, MAX_FILES, MAX_FILE_BYTES},
    },
};

/// The routes, with a body limit that fits one 10 MB file and the form fields.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route(
            "/intern/kunden/{id}/senden",
            post(send_to_client).layer(DefaultBodyLimit::max(MAX_FILE_BYTES as usize + 256 * 1024)),
        )
        .route(
            "/postfach/senden",
            post(send_from_citizen).layer(DefaultBodyLimit::max(MAX_FILES * MAX_FILE_BYTES as usize + 512 * 1024)),
        )
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

/// What the form sent, as far as it was read.
#[derive(Default)]
struct Form {
    kind: String,
    subject: String,
    body: String,
    reply_to: Option<i64>,
    files: Vec<FileMeta>,
}

/// Which files a form takes.
#[derive(Clone, Copy)]
struct FileRules {
    pdf_only: bool,
    max_files: usize,
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
    let mut tx = match state.db.pool().begin().await {
        Ok(tx) => tx,
        Err(error) => return unavailable(error),
    };
    let rules = FileRules { pdf_only: true, max_files: 1 };
    let (form, file_problem) = match read_form(&state, &mut tx, client.job_centre_id, rules, multipart).await {
        Ok(read) => read,
        Err(error) => return unavailable(error),
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
    let problems = check_item(kind, &form.subject, &form.body, !form.files.is_empty() || file_problem.is_some());
    let outcome = if problems.is_empty() && file_problem.is_none() && ItemKind::parse(&form.kind).is_some() {
        let item = NewItem { kind, subject: &form.subject, body: &form.body };
        let sent = postbox::send(&state, &mut tx, &client, staff.account_id, &item, &form.files, thread, &context.requester).await;
        match sent {
            Ok((_, channel)) => {
                if let Err(error) = tx.commit().await {
                    return unavailable(error);
                }
                state.mail_wake.notify_one();
                SendOutcome::Sent { channel }
            }
            Err(error) => return unavailable(error),
        }
    } else {
        // Nothing is kept: the transaction with the uploaded chunks is dropped.
        drop(tx);
        SendOutcome::Refused(RefusedItem { problems, file: file_problem, kind: form.kind, subject: form.subject, body: form.body })
    };
    back_with_flash(&state, &back, "staff-send", &outcome)
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
fn back_with_flash<T: serde::Serialize>(state: &AppState, back: &str, form: &str, outcome: &T) -> Response {
    let mut response = Redirect::to(back).into_response();
    if let Some(cookie) = app::api::flash::cookie(state, form, outcome) {
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Reads the fields; the file is streamed into the database. A refused file is reported,
/// not an error; a broken request is an error.
async fn read_form(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    job_centre_id: i64,
    rules: FileRules,
    mut multipart: Multipart,
) -> Result<(Form, Option<FileProblem>), String> {
    let mut form = Form::default();
    let mut problem = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "kind" | "subject" | "body" | "reply_to" => {
                let text = field.text().await.map_err(|e| e.to_string())?;
                let text: String = text.chars().take(20_000).collect();
                match name.as_str() {
                    "kind" => form.kind = text,
                    "subject" => form.subject = text,
                    "reply_to" => form.reply_to = text.trim().parse().ok(),
                    _ => form.body = text,
                }
            }
            "file" | "files" => {
                let filename = field.file_name().unwrap_or_default().to_owned();
                if filename.is_empty() {
                    // The browser sends an empty part when no file was chosen.
                    while field.chunk().await.map_err(|e| e.to_string())?.is_some() {}
                    continue;
                }
                if problem.is_some() {
                    continue;
                }
                if form.files.len() >= rules.max_files {
                    problem = Some(FileProblem::TooMany);
                    continue;
                }
                let now = state.clock.now();
                let mut writer =
                    FileWriter::begin(tx, job_centre_id, &filename, rules.pdf_only, now).await.map_err(|e| e.to_string())?;
                let mut refused = None;
                while let Some(bytes) = field.chunk().await.map_err(|e| e.to_string())? {
                    match writer.write(tx, &bytes).await {
                        Ok(()) => {}
                        Err(UploadError::Refused(p)) => {
                            refused = Some(p);
                            break;
                        }
                        Err(UploadError::Store(e)) => return Err(e.to_string()),
                    }
                }
                match refused {
                    Some(p) => problem = Some(p),
                    None => match writer.finish(tx).await {
                        Ok(meta) => form.files.push(meta),
                        Err(UploadError::Refused(p)) => problem = Some(p),
                        Err(UploadError::Store(e)) => return Err(e.to_string()),
                    },
                }
            }
            _ => {}
        }
    }
    Ok((form, problem))
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
    let mut tx = match state.db.pool().begin().await {
        Ok(tx) => tx,
        Err(error) => return unavailable(error),
    };
    let rules = FileRules { pdf_only: false, max_files: MAX_FILES };
    let (form, file_problem) = match read_form(&state, &mut tx, client.job_centre_id, rules, multipart).await {
        Ok(read) => read,
        Err(error) => return unavailable(error),
    };
    let thread = match conversation_of(&state, client.id, form.reply_to).await {
        Ok(thread) => thread,
        Err(response) => return response,
    };
    let kind = ItemKind::parse(&form.kind).filter(|k| citizen_may_send(*k)).unwrap_or(ItemKind::Nachricht);
    // Evidence needs a file; a message needs a text (checked like staff items).
    let has_files = !form.files.is_empty() || file_problem.is_some();
    let mut problems = check_item(if kind == ItemKind::Nachweis { ItemKind::Nachweis } else { ItemKind::Nachricht }, &form.subject, &form.body, has_files);
    if kind == ItemKind::Nachricht && has_files {
        problems.retain(|p| *p != app::domain::postbox::ItemProblem::Text);
    }
    let back = match form.reply_to {
        Some(id) => format!("/postfach/{id}"),
        None => format!("/postfach/schreiben?art={}", kind.as_str()),
    };
    if !problems.is_empty() || file_problem.is_some() {
        drop(tx);
        let outcome = CitizenSendOutcome::Refused(RefusedItem {
            problems,
            file: file_problem,
            kind: kind.as_str().to_owned(),
            subject: form.subject,
            body: form.body,
        });
        return back_with_flash(&state, &back, "citizen-send", &outcome);
    }
    let item = NewItem { kind, subject: &form.subject, body: &form.body };
    let now = state.clock.now();
    let id = match postbox::submit_from_citizen(&mut tx, client.id, profile.account_id, &item, &form.files, thread, now, &context.requester).await {
        Ok(id) => id,
        Err(error) => return unavailable(error),
    };
    if let Err(error) = tx.commit().await {
        return unavailable(error);
    }
    back_with_flash(&state, &format!("/postfach/{id}"), "citizen-send", &CitizenSendOutcome::Received { id })
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
