//! Reading a `multipart/form-data` upload completely — bounded in size and pace, into
//! anonymous temporary files — *before* any database transaction is opened. A client
//! that sends slowly (a byte a second) or too much holds a task and a temporary file,
//! never a database connection or lock, so other requests do not wait for it.
//!
//! Rules: the whole body at most `max_body` bytes (else 413); files are checked by
//! content and size as they arrive ([`FileType::detect`], [`MAX_FILE_BYTES`]) and a
//! refused file is drained, not kept; after [`GRACE`] the body must have come at
//! [`MIN_RATE`] bytes a second on average, and never [`IDLE`] without a byte (else 408).

use std::time::{Duration, Instant};

use axum::extract::{multipart::Field, Multipart};
use tokio::io::AsyncWriteExt;

use app::{
    backend::{files::ReceivedFile, postbox::ReceivedItem as Received},
    domain::upload::{FileProblem, FileType, MAX_FILE_BYTES, SNIFF_BYTES},
};

/// Time before the average rate counts.
pub const GRACE: Duration = Duration::from_secs(30);
/// Lowest average rate after [`GRACE`] (bytes per second): 8 KiB/s, a poor mobile line.
pub const MIN_RATE: u64 = 8 * 1024;
/// Longest pause without a byte.
pub const IDLE: Duration = Duration::from_secs(30);
/// Longest text field kept (characters); longer input is cut.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// What a form takes.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest body (bytes); larger bodies are answered 413 without reading on.
    pub max_body: u64,
    /// Most files.
    pub max_files: usize,
    /// Only PDF documents (staff documents).
    pub pdf_only: bool,
}

/// Why the body was not read to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Larger than `max_body` (413).
    TooLarge,
    /// Slower than [`MIN_RATE`] after [`GRACE`], or [`IDLE`] without a byte (408).
    TooSlow,
    /// Not a readable `multipart/form-data` body (400).
    Malformed,
}

/// Keeps the pace of one body.
struct Pace {
    start: Instant,
    bytes: u64,
}

impl Pace {
    /// How long the next piece may take: at most [`IDLE`], and no longer than keeps the
    /// average at [`MIN_RATE`] once [`GRACE`] is over.
    fn allowance(&self) -> Option<Duration> {
        let allowed_total = GRACE + Duration::from_secs_f64(self.bytes as f64 / MIN_RATE as f64);
        let left = allowed_total.checked_sub(self.start.elapsed())?;
        Some(left.min(IDLE))
    }

    async fn within<T, E>(&self, step: impl std::future::Future<Output = Result<T, E>>) -> Result<T, Refusal>
    where
        E: Into<axum::extract::multipart::MultipartError>,
    {
        let Some(allowance) = self.allowance() else { return Err(Refusal::TooSlow) };
        match tokio::time::timeout(allowance, step).await {
            Err(_) => Err(Refusal::TooSlow),
            Ok(Err(error)) => Err(classify(error.into())),
            Ok(Ok(value)) => Ok(value),
        }
    }

    fn count(&mut self, n: usize, limits: &Limits) -> Result<(), Refusal> {
        self.bytes += n as u64;
        if self.bytes > limits.max_body {
            return Err(Refusal::TooLarge);
        }
        Ok(())
    }
}

fn classify(error: axum::extract::multipart::MultipartError) -> Refusal {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        Refusal::TooLarge
    } else {
        Refusal::Malformed
    }
}

/// How much of a too-large body is still read (and thrown away) so that the client,
/// which is still sending, receives the 413 answer instead of a broken connection: four
/// times the limit. Beyond that the body limit layer stops reading.
pub fn read_limit(limits: &Limits) -> usize {
    (limits.max_body as usize).saturating_mul(4)
}

/// Whether the body's declared `Content-Length` is beyond what is read at all
/// ([`read_limit`]): such a request is answered 413 at once, instead of reading it at
/// the slowest allowed pace until the body limit cuts it off. (A declared length between
/// the limit and the read limit is still read and dropped, so that a browser, which
/// sends before it listens, sees the answer.)
pub fn declared_beyond_reading(headers: &axum::http::HeaderMap, limits: &Limits) -> bool {
    headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .is_some_and(|declared| declared > read_limit(limits) as u64)
}

/// Reads the whole form (see the module documentation).
pub async fn receive(mut multipart: Multipart, limits: Limits) -> Result<Received, Refusal> {
    let mut pace = Pace { start: Instant::now(), bytes: 0 };
    match receive_fields(&mut multipart, &mut pace, limits).await {
        Err(Refusal::TooLarge) => {
            // Read the rest (up to the layer's limit, at the usual pace) without keeping it.
            let unlimited = Limits { max_body: u64::MAX, ..limits };
            while let Ok(Some(mut field)) = pace.within(multipart.next_field()).await {
                if drain(&mut pace, &mut field, &unlimited).await.is_err() {
                    break;
                }
            }
            Err(Refusal::TooLarge)
        }
        other => other,
    }
}

async fn receive_fields(multipart: &mut Multipart, pace: &mut Pace, limits: Limits) -> Result<Received, Refusal> {
    let mut form = Received::default();
    while let Some(mut field) = pace.within(multipart.next_field()).await? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "kind" | "subject" | "body" | "reply_to" => {
                let text = read_text(pace, &mut field, &limits).await?;
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
                    drain(pace, &mut field, &limits).await?;
                    continue;
                }
                if form.problem.is_some() {
                    drain(pace, &mut field, &limits).await?;
                    continue;
                }
                if form.files.len() >= limits.max_files {
                    form.problem = Some(FileProblem::TooMany);
                    drain(pace, &mut field, &limits).await?;
                    continue;
                }
                match read_file(pace, &mut field, &limits, filename).await? {
                    Ok(file) => form.files.push(file),
                    Err(problem) => form.problem = Some(problem),
                }
            }
            _ => drain(pace, &mut field, &limits).await?,
        }
    }
    Ok(form)
}

async fn read_text(pace: &mut Pace, field: &mut Field<'_>, limits: &Limits) -> Result<String, Refusal> {
    let mut bytes = Vec::new();
    while let Some(chunk) = pace.within(field.chunk()).await? {
        pace.count(chunk.len(), limits)?;
        // Keep a little more than the longest text (a character has at most 4 bytes).
        if bytes.len() < MAX_TEXT_CHARS * 4 {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok(String::from_utf8_lossy(&bytes).chars().take(MAX_TEXT_CHARS).collect())
}

async fn drain(pace: &mut Pace, field: &mut Field<'_>, limits: &Limits) -> Result<(), Refusal> {
    while let Some(chunk) = pace.within(field.chunk()).await? {
        pace.count(chunk.len(), limits)?;
    }
    Ok(())
}

/// One file part into a temporary file; `Ok(Err(problem))` for a refused file (drained).
async fn read_file(
    pace: &mut Pace,
    field: &mut Field<'_>,
    limits: &Limits,
    name: String,
) -> Result<Result<ReceivedFile, FileProblem>, Refusal> {
    let temporary = tempfile::tempfile().map_err(|error| {
        tracing::error!(%error, "no temporary file for an upload");
        Refusal::Malformed
    })?;
    let mut content = tokio::fs::File::from_std(temporary);
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut size: u64 = 0;
    let mut problem = None;
    while let Some(chunk) = pace.within(field.chunk()).await? {
        pace.count(chunk.len(), limits)?;
        if problem.is_some() {
            continue;
        }
        size += chunk.len() as u64;
        if size > MAX_FILE_BYTES {
            problem = Some(FileProblem::TooLarge);
            continue;
        }
        if head.len() < SNIFF_BYTES {
            head.extend(chunk.iter().take(SNIFF_BYTES - head.len()));
            if head.len() == SNIFF_BYTES {
                problem = type_problem(&head, limits);
            }
        }
        if problem.is_none() && content.write_all(&chunk).await.is_err() {
            tracing::error!("writing an upload to its temporary file failed");
            return Err(Refusal::Malformed);
        }
    }
    if problem.is_none() && size == 0 {
        problem = Some(FileProblem::Empty);
    }
    if problem.is_none() && head.len() < SNIFF_BYTES {
        problem = type_problem(&head, limits);
    }
    if let Some(problem) = problem {
        return Ok(Err(problem));
    }
    if content.flush().await.is_err() {
        return Err(Refusal::Malformed);
    }
    Ok(Ok(ReceivedFile { name, content, size }))
}

fn type_problem(head: &[u8], limits: &Limits) -> Option<FileProblem> {
    match FileType::detect(head) {
        None => Some(FileProblem::Type),
        Some(FileType::Pdf) => None,
        Some(_) if limits.pdf_only => Some(FileProblem::PdfOnly),
        Some(_) => None,
    }
}

#[cfg(test)]
mod fuzz {
    //! Whatever bytes arrive as a multipart body, reading it ends with a form or a
    //! refusal — never a panic, never more files than allowed, never a text longer than
    //! [`MAX_TEXT_CHARS`]. `PROPTEST_CASES` sets the number of bodies (`bench/fuzz.sh`
    //! runs 100,000).
    use super::*;
    use axum::{body::Body, extract::FromRequest, http::Request};
    use proptest::prelude::*;

    const BOUNDARY: &str = "X-BOUNDARY";

    fn read(body: Vec<u8>) -> Result<Received, Refusal> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime for the test");
        runtime.block_on(async {
            let request = Request::builder()
                .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
                .body(Body::from(body))
                .expect("a request");
            let Ok(multipart) = Multipart::from_request(request, &()).await else { return Err(Refusal::Malformed) };
            receive(multipart, Limits { max_body: 64 * 1024, max_files: 2, pdf_only: false }).await
        })
    }

    /// A body built from well-formed and broken parts.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        let part = prop_oneof![
            ("kind|subject|body|reply_to|x", ".{0,40}").prop_map(|(name, value)| {
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes()
            }),
            ("file|files", "[^\"]{0,30}", proptest::collection::vec(any::<u8>(), 0..600)).prop_map(|(name, filename, content)| {
                let mut part = format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n"
                )
                .into_bytes();
                part.extend(content);
                part.extend(b"\r\n");
                part
            }),
            proptest::collection::vec(any::<u8>(), 0..200),
        ];
        (proptest::collection::vec(part, 0..6), any::<bool>()).prop_map(|(parts, closed)| {
            let mut body: Vec<u8> = parts.concat();
            if closed {
                body.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
            }
            body
        })
    }

    proptest! {
        #[test]
        fn any_body_is_read_or_refused(body in body()) {
            if let Ok(form) = read(body) {
                prop_assert!(form.files.len() <= 2);
                for text in [&form.kind, &form.subject, &form.body] {
                    prop_assert!(text.chars().count() <= MAX_TEXT_CHARS);
                }
            }
        }

        #[test]
        fn random_bytes_are_read_or_refused(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = read(body);
        }
    }
}
