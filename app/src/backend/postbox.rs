//! The Leistungspostfach: items (documents and messages) between a job centre and a
//! client. Sending decides the channel from the client's Online-Kommunikation at that
//! moment — online into the postbox (with a notification mail if E-Mail-Benachrichtigung
//! is on) or by post onto the job centre's print queue — and records the legal trail
//! (provided, notification accepted, first opened). Owns `postbox_items` and
//! `postbox_attachments`.

use crate::domain::ids::{PostboxItemId, AccountId, ClientId, JobCentreId};
use sqlx::{Any, Row};

use crate::domain::text::{multi_line, single_line};

use super::{
    accounts,
    audit::{self, AuditEvent},
    clients::{self, Client},
    files::{self, FileMeta, FileWriter, ReceivedFile, UploadError},
    mail::templates,
    outbox,
    profiles::{self, Profile},
    request::Requester,
    staff::StaffMember,
    store::{Db, StoreError},
    AppState,
};
use crate::domain::{
    communication::CommunicationOption,
    postbox::{check_item, citizen_may_send, Channel, ChannelReason, CitizenSendOutcome, ItemKind, ItemProblem, RefusedItem, SendOutcome},
    upload::FileProblem,
};

/// Items per page of the inbox.
pub const PAGE_SIZE: i64 = 20;

/// Who wrote an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    /// The job centre to the citizen.
    ToCitizen,
    /// The citizen to the job centre.
    FromCitizen,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::ToCitizen => "to_citizen",
            Direction::FromCitizen => "from_citizen",
        }
    }
}

/// An item as stored, with its legal trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Id.
    pub id: PostboxItemId,
    /// The client.
    pub client_id: ClientId,
    /// Who wrote it.
    pub direction: Direction,
    /// The first item of its conversation (itself if it started one).
    pub thread_id: PostboxItemId,
    /// When staff marked the conversation done (citizen messages).
    pub done_at: Option<i64>,
    /// Kind.
    pub kind: ItemKind,
    /// Subject.
    pub subject: String,
    /// Text.
    pub body: String,
    /// Online or post.
    pub channel: Channel,
    /// Why.
    pub reason: ChannelReason,
    /// Sent (and, online, provided) at.
    pub created_at: i64,
    /// When the mail server accepted the notification mail.
    pub notified_at: Option<i64>,
    /// When the citizen first opened it.
    pub opened_at: Option<i64>,
    /// When staff marked it printed and posted.
    pub printed_at: Option<i64>,
}

const ITEM_COLUMNS: &str = "i.id, i.client_id, i.direction, i.thread_id, i.done_at, i.kind, i.subject, i.body, i.channel, \
     i.channel_reason, i.created_at, i.opened_at, i.printed_at, o.sent_at AS notified_at";
const ITEM_FROM: &str = "postbox_items i LEFT JOIN outbox o ON o.id = i.notification_outbox_id";

/// An item with its client's name and customer number (staff lists).
fn with_client(row: &sqlx::any::AnyRow) -> Result<(Item, String, String), StoreError> {
    let name = format!("{} {}", row.try_get::<String, _>("given_name")?, row.try_get::<String, _>("family_name")?);
    Ok((item_from_row(row)?, name, row.try_get("customer_number")?))
}

fn item_from_row(row: &sqlx::any::AnyRow) -> Result<Item, StoreError> {
    let kind: String = row.try_get("kind")?;
    let reason: String = row.try_get("channel_reason")?;
    let channel: String = row.try_get("channel")?;
    let bad = || StoreError::Sql(sqlx::Error::Decode("unknown postbox value".into()));
    let id: PostboxItemId = row.try_get("id")?;
    let direction: String = row.try_get("direction")?;
    Ok(Item {
        id,
        client_id: row.try_get("client_id")?,
        direction: if direction == "from_citizen" { Direction::FromCitizen } else { Direction::ToCitizen },
        thread_id: row.try_get::<Option<PostboxItemId>, _>("thread_id")?.unwrap_or(id),
        done_at: row.try_get("done_at")?,
        kind: ItemKind::parse(&kind).ok_or_else(bad)?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        channel: if channel == "online" { Channel::Online } else { Channel::Post },
        reason: ChannelReason::parse(&reason).ok_or_else(bad)?,
        created_at: row.try_get("created_at")?,
        notified_at: row.try_get("notified_at")?,
        opened_at: row.try_get("opened_at")?,
        printed_at: row.try_get("printed_at")?,
    })
}

/// A new item from staff.
#[derive(Debug, Clone)]
pub struct NewItem<'a> {
    /// Kind.
    pub kind: ItemKind,
    /// Subject (checked).
    pub subject: &'a str,
    /// Text (checked).
    pub body: &'a str,
}

/// Sends an item from `staff_account_id` to `client` inside the caller's transaction
/// (which may already hold its uploaded `attachments`). Returns the item id and channel.
#[allow(clippy::too_many_arguments)]
pub async fn send(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, Any>,
    client: &Client,
    staff_account_id: AccountId,
    item: &NewItem<'_>,
    attachments: &[FileMeta],
    thread: Option<PostboxItemId>,
    requester: &Requester,
) -> Result<(PostboxItemId, Channel), StoreError> {
    let now = state.clock.now();
    let profile = profiles::find_for_client(&state.db, client.id).await?;
    let options = match &profile {
        Some(profile) => profiles::options(&state.db, profile.id).await?,
        None => Vec::new(),
    };
    let on = |option| options.iter().any(|(o, enabled)| *o == option && *enabled);
    let reason = ChannelReason::decide(profile.is_some(), on(CommunicationOption::OnlineCommunication));
    let channel = reason.channel();
    let row = sqlx::query(
        "INSERT INTO postbox_items (client_id, direction, kind, subject, body, channel, channel_reason, sent_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(client.id)
    .bind(Direction::ToCitizen.as_str())
    .bind(item.kind.as_str())
    .bind(single_line(item.subject))
    .bind(multi_line(item.body))
    .bind(channel.as_str())
    .bind(reason.as_str())
    .bind(staff_account_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let id: PostboxItemId = row.try_get("id")?;
    attach(tx, id, thread, attachments).await?;
    if let (Channel::Online, Some(profile), true) = (channel, &profile, on(CommunicationOption::EmailNotifications)) {
        if let Some(account) = accounts::find_by_id(&state.db, profile.account_id).await? {
            let link = format!("{}{}", state.settings.public_url, crate::domain::routes::postbox_item(id));
            let mail = templates::new_postbox_item(account.language, &account.email, &state.settings.portal_name, &link);
            let outbox_id = outbox::enqueue_kept(tx, &mail, now).await?;
            sqlx::query("UPDATE postbox_items SET notification_outbox_id = $1 WHERE id = $2")
                .bind(outbox_id)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    audit::record(&mut **tx, now, Some(staff_account_id), AuditEvent::PostboxItemSent, requester).await?;
    Ok((id, channel))
}

/// Links the files and the conversation of a new item.
async fn attach(tx: &mut sqlx::Transaction<'_, Any>, id: PostboxItemId, thread: Option<PostboxItemId>, attachments: &[FileMeta]) -> Result<(), StoreError> {
    sqlx::query("UPDATE postbox_items SET thread_id = $1 WHERE id = $2").bind(thread.unwrap_or(id)).bind(id).execute(&mut **tx).await?;
    for (position, file) in attachments.iter().enumerate() {
        sqlx::query("INSERT INTO postbox_attachments (item_id, file_id, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(file.id)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The conversation `thread` of `client_id`, if it exists (a reply must continue one
/// of the client's own conversations).
pub async fn thread_of(db: &Db, client_id: ClientId, thread: PostboxItemId) -> Result<Option<PostboxItemId>, StoreError> {
    let row = sqlx::query("SELECT thread_id FROM postbox_items WHERE id = $1 AND client_id = $2 AND channel = 'online'")
        .bind(thread)
        .bind(client_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get::<Option<PostboxItemId>, _>("thread_id")?.unwrap_or(thread)),
        None => None,
    })
}

/// A message or evidence from the citizen of `client_id` (inside the caller's
/// transaction, which holds the uploaded files). Returns the item id.
#[allow(clippy::too_many_arguments)]
pub async fn submit_from_citizen(
    tx: &mut sqlx::Transaction<'_, Any>,
    client_id: ClientId,
    account_id: AccountId,
    item: &NewItem<'_>,
    attachments: &[FileMeta],
    thread: Option<PostboxItemId>,
    now: i64,
    requester: &Requester,
) -> Result<PostboxItemId, StoreError> {
    // The citizen's own items count as read for them.
    let row = sqlx::query(
        "INSERT INTO postbox_items (client_id, direction, kind, subject, body, channel, channel_reason, created_at, opened_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(client_id)
    .bind(Direction::FromCitizen.as_str())
    .bind(item.kind.as_str())
    .bind(single_line(item.subject))
    .bind(multi_line(item.body))
    .bind(Channel::Online.as_str())
    .bind(ChannelReason::SentByCitizen.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let id: PostboxItemId = row.try_get("id")?;
    attach(tx, id, thread, attachments).await?;
    // A new message reopens a conversation staff had closed.
    if let Some(thread) = thread {
        sqlx::query("UPDATE postbox_items SET done_at = NULL, done_by = NULL WHERE thread_id = $1").bind(thread).execute(&mut **tx).await?;
    }
    audit::record(&mut **tx, now, Some(account_id), AuditEvent::PostboxMessageReceived, requester).await?;
    Ok(id)
}

/// An item form received completely over HTTP (`server/src/http/upload_body.rs`): the
/// fields as typed and the accepted files, each in a temporary file.
#[derive(Default)]
pub struct ReceivedItem {
    /// `kind` as sent.
    pub kind: String,
    /// `subject` as typed.
    pub subject: String,
    /// `body` as typed.
    pub body: String,
    /// `reply_to`: an item of the conversation this continues.
    pub reply_to: Option<PostboxItemId>,
    /// The accepted files.
    pub files: Vec<ReceivedFile>,
    /// The first refused file's problem (then nothing is sent).
    pub problem: Option<FileProblem>,
}

impl ReceivedItem {
    /// The form back to its sender with `problems` and what was typed.
    fn refused(self, problems: Vec<ItemProblem>) -> RefusedItem {
        RefusedItem { problems, file: self.problem, kind: self.kind, subject: self.subject, body: self.body }
    }
}

/// The kind a citizen's form sends: evidence ("Nachweis") or else a message.
pub fn citizen_kind(kind: &str) -> ItemKind {
    ItemKind::parse(kind).filter(|k| citizen_may_send(*k)).unwrap_or(ItemKind::Nachricht)
}

/// "Senden" on the staff desk: `staff` send `form` to client `client_id` of their job
/// centre — checked, then stored with its file in one transaction, the channel decided
/// by [`send`]. `None` if the client or the conversation replied to is not theirs.
///
/// # Errors
/// A failed database write or temporary-file read (nothing is kept).
pub async fn send_received(
    state: &AppState,
    staff: &StaffMember,
    client_id: ClientId,
    mut form: ReceivedItem,
    requester: &Requester,
) -> Result<Option<SendOutcome>, StoreError> {
    let Some(client) = clients::find(&state.db, staff.job_centre_id, client_id).await? else { return Ok(None) };
    let Some(thread) = reply_thread(&state.db, client.id, form.reply_to).await? else { return Ok(None) };
    let kind = ItemKind::parse(&form.kind);
    let has_file = !form.files.is_empty() || form.problem.is_some();
    let problems = check_item(kind.unwrap_or(ItemKind::Nachricht), &form.subject, &form.body, has_file);
    let Some(kind) = kind.filter(|_| problems.is_empty() && form.problem.is_none()) else {
        return Ok(Some(SendOutcome::Refused(form.refused(problems))));
    };
    // Everything is here: now the transaction, which stays short.
    let mut tx = state.db.begin().await?;
    let stored = match store_received(state, &mut tx, client.job_centre_id, true, &mut form.files).await? {
        Ok(stored) => stored,
        Err(problem) => {
            form.problem = Some(problem);
            return Ok(Some(SendOutcome::Refused(form.refused(problems))));
        }
    };
    let item = NewItem { kind, subject: &form.subject, body: &form.body };
    let (_, channel) = send(state, &mut tx, &client, staff.account_id, &item, &stored, thread, requester).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Some(SendOutcome::Sent { channel }))
}

/// "Absenden" in the citizen's postbox: a message or evidence (up to five files) from the
/// citizen of `profile`, checked and stored in one transaction. `None` if the
/// conversation replied to is not theirs.
///
/// # Errors
/// A failed database write or temporary-file read (nothing is kept).
pub async fn submit_received(
    state: &AppState,
    profile: &Profile,
    mut form: ReceivedItem,
    requester: &Requester,
) -> Result<Option<CitizenSendOutcome>, StoreError> {
    let Some(thread) = reply_thread(&state.db, profile.client_id, form.reply_to).await? else { return Ok(None) };
    let kind = citizen_kind(&form.kind);
    form.kind = kind.as_str().to_owned();
    // Evidence needs a file; a message needs a text unless it carries files.
    let has_files = !form.files.is_empty() || form.problem.is_some();
    let mut problems = check_item(kind, &form.subject, &form.body, has_files);
    if kind == ItemKind::Nachricht && has_files {
        problems.retain(|p| *p != ItemProblem::Text);
    }
    if !problems.is_empty() || form.problem.is_some() {
        return Ok(Some(CitizenSendOutcome::Refused(form.refused(problems))));
    }
    let Some(client) = clients::find_by_id(&state.db, profile.client_id).await? else { return Ok(None) };
    let mut tx = state.db.begin().await?;
    let stored = match store_received(state, &mut tx, client.job_centre_id, false, &mut form.files).await? {
        Ok(stored) => stored,
        Err(problem) => {
            form.problem = Some(problem);
            return Ok(Some(CitizenSendOutcome::Refused(form.refused(problems))));
        }
    };
    let item = NewItem { kind, subject: &form.subject, body: &form.body };
    let now = state.clock.now();
    let id = submit_from_citizen(&mut tx, client.id, profile.account_id, &item, &stored, thread, now, requester).await?;
    tx.commit().await?;
    Ok(Some(CitizenSendOutcome::Received { id }))
}

/// The conversation a reply continues: `Some(None)` for a new one, `Some(Some(thread))`
/// for one of the client's own, `None` if `reply_to` is not the client's.
async fn reply_thread(db: &Db, client_id: ClientId, reply_to: Option<PostboxItemId>) -> Result<Option<Option<PostboxItemId>>, StoreError> {
    match reply_to {
        None => Ok(Some(None)),
        Some(id) => Ok(thread_of(db, client_id, id).await?.map(Some)),
    }
}

/// Stores received files inside `tx`, chunk by chunk from their temporary files;
/// `Ok(Err(problem))` if the database's own checks refuse one.
async fn store_received(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, Any>,
    job_centre_id: JobCentreId,
    pdf_only: bool,
    files: &mut [ReceivedFile],
) -> Result<Result<Vec<FileMeta>, FileProblem>, StoreError> {
    let mut stored = Vec::with_capacity(files.len());
    for file in files {
        let now = state.clock.now();
        let mut writer = match FileWriter::begin(tx, job_centre_id, &file.name, pdf_only, now).await {
            Ok(writer) => writer,
            Err(UploadError::Refused(problem)) => return Ok(Err(problem)),
            Err(UploadError::Store(e)) => return Err(e),
        };
        file.rewind().await?;
        while let Some(bytes) = file.next_chunk(files::CHUNK_BYTES).await? {
            match writer.write(tx, &bytes).await {
                Ok(()) => {}
                Err(UploadError::Refused(problem)) => return Ok(Err(problem)),
                Err(UploadError::Store(e)) => return Err(e),
            }
        }
        match writer.finish(tx).await {
            Ok(meta) => stored.push(meta),
            Err(UploadError::Refused(problem)) => return Ok(Err(problem)),
            Err(UploadError::Store(e)) => return Err(e),
        }
    }
    Ok(Ok(stored))
}

/// Who reads an item's receipt or downloads a file: staff of a job centre, or the
/// citizen of a client (online items only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Staff of this job centre: every item of its clients.
    Staff {
        /// The job centre.
        job_centre_id: JobCentreId,
    },
    /// The citizen of this client: their online items.
    Citizen {
        /// The client record.
        client_id: ClientId,
    },
}

/// The Eingangsbestätigung of the citizen's item `id` as text, for `reader`; `None` if
/// there is no such item of the citizen's for them.
///
/// # Errors
/// A failed database read.
pub async fn receipt_for(state: &AppState, reader: Reader, id: PostboxItemId, language: crate::domain::language::Language) -> Result<Option<String>, StoreError> {
    let item = match reader {
        Reader::Staff { job_centre_id } => find_for_job_centre(&state.db, job_centre_id, id).await?,
        Reader::Citizen { client_id } => find_online(&state.db, client_id, id).await?,
    };
    let Some(item) = item.filter(|i| i.direction == Direction::FromCitizen) else { return Ok(None) };
    let files = attachments(&state.db, item.id).await?;
    Ok(Some(receipt_text(language, &state.settings.portal_name, &item, &files)))
}

/// The file `file_id` if `reader` may download it (staff of the client's job centre;
/// the client's citizen for online items), else `None`.
///
/// # Errors
/// A failed database read.
pub async fn file_for(db: &Db, reader: Reader, file_id: i64) -> Result<Option<FileMeta>, StoreError> {
    let Some((client_id, job_centre_id, online)) = file_owner(db, file_id).await? else { return Ok(None) };
    let allowed = match reader {
        Reader::Staff { job_centre_id: own } => own == job_centre_id,
        Reader::Citizen { client_id: own } => online && own == client_id,
    };
    if !allowed {
        return Ok(None);
    }
    files::meta(db, file_id).await
}

/// Every item of conversation `thread` of `client_id`, oldest first (online ones only
/// when `online_only`, i.e. for the citizen).
pub async fn conversation(db: &Db, client_id: ClientId, thread: PostboxItemId, online_only: bool) -> Result<Vec<Item>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE i.client_id = $1 AND i.thread_id = $2 AND ($3 = 0 OR i.channel = 'online') ORDER BY i.id"
    ))
    .bind(client_id)
    .bind(thread)
    .bind(i64::from(online_only))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(item_from_row).collect()
}

/// The job centre's inbox: conversations with a message from a citizen, open ones
/// first, newest first, with the client's name and customer number.
pub async fn staff_inbox(db: &Db, job_centre_id: JobCentreId) -> Result<Vec<(Item, String, String)>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS}, c.given_name, c.family_name, c.customer_number \
         FROM {ITEM_FROM} JOIN clients c ON c.id = i.client_id \
         WHERE c.job_centre_id = $1 AND i.direction = 'from_citizen' \
         ORDER BY CASE WHEN i.done_at IS NULL THEN 0 ELSE 1 END, i.id DESC LIMIT 200"
    ))
    .bind(job_centre_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(with_client).collect()
}

/// Item `id` if its client belongs to `job_centre_id` (the staff view).
pub async fn find_for_job_centre(db: &Db, job_centre_id: JobCentreId, id: PostboxItemId) -> Result<Option<Item>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} JOIN clients c ON c.id = i.client_id WHERE i.id = $1 AND c.job_centre_id = $2"
    ))
    .bind(id)
    .bind(job_centre_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| item_from_row(&row)).transpose()
}

/// Marks conversation `thread` done; `false` if it is not this job centre's.
pub async fn mark_done(db: &Db, job_centre_id: JobCentreId, thread: PostboxItemId, staff_account_id: AccountId, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE postbox_items SET done_at = $1, done_by = $2 \
         WHERE thread_id = $3 AND done_at IS NULL AND client_id IN (SELECT id FROM clients WHERE job_centre_id = $4)",
    )
    .bind(now)
    .bind(staff_account_id)
    .bind(thread)
    .bind(job_centre_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// One page of a client's online items (received and written), newest first,
/// optionally of one kind.
#[derive(Debug, Clone)]
pub struct InboxPage {
    /// The page's items ([`PAGE_SIZE`] at most).
    pub items: Vec<Item>,
    /// Online items of the chosen kind (all kinds without one), on every page.
    pub total: i64,
    /// Unopened items sent to the citizen, of every kind (the same count as [`unread`]).
    pub unread: i64,
}

/// Page `page` (from 1) of the client's online items, and both counts of the page in one
/// query (two round trips in all, whatever the postbox holds: the counts read the
/// `postbox_items_client_online` index).
pub async fn inbox(db: &Db, client_id: ClientId, kind: Option<ItemKind>, page: i64) -> Result<InboxPage, StoreError> {
    let kind_filter = kind.map(ItemKind::as_str).unwrap_or("");
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} \
         WHERE i.client_id = $1 AND i.channel = 'online' AND ($2 = '' OR i.kind = $2) \
         ORDER BY i.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(client_id)
    .bind(kind_filter)
    .bind(PAGE_SIZE)
    .bind((page.max(1) - 1) * PAGE_SIZE)
    .fetch_all(db.pool())
    .await?;
    let counts = sqlx::query(
        "SELECT COUNT(CASE WHEN $2 = '' OR kind = $2 THEN 1 END) AS total, \
                COUNT(CASE WHEN direction = 'to_citizen' AND opened_at IS NULL THEN 1 END) AS unread \
         FROM postbox_items WHERE client_id = $1 AND channel = 'online'",
    )
    .bind(client_id)
    .bind(kind_filter)
    .fetch_one(db.pool())
    .await?;
    Ok(InboxPage {
        items: rows.iter().map(item_from_row).collect::<Result<_, _>>()?,
        total: counts.try_get("total")?,
        unread: counts.try_get("unread")?,
    })
}

/// Unopened online items of a client.
pub async fn unread(db: &Db, client_id: ClientId) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM postbox_items \
         WHERE client_id = $1 AND channel = 'online' AND direction = 'to_citizen' AND opened_at IS NULL",
    )
    .bind(client_id)
    .fetch_one(db.pool())
    .await?
    .try_get("n")?)
}

/// The online item `id` of `client_id` (the citizen's view), if it is theirs.
pub async fn find_online(db: &Db, client_id: ClientId, id: PostboxItemId) -> Result<Option<Item>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE i.id = $1 AND i.client_id = $2 AND i.channel = 'online'"
    ))
    .bind(id)
    .bind(client_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| item_from_row(&row)).transpose()
}

/// Records the first opening (later openings change nothing). Returns the time stored.
pub async fn mark_opened(db: &Db, id: PostboxItemId, now: i64) -> Result<i64, StoreError> {
    sqlx::query("UPDATE postbox_items SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await?;
    let row = sqlx::query("SELECT opened_at FROM postbox_items WHERE id = $1").bind(id).fetch_one(db.pool()).await?;
    Ok(row.try_get::<Option<i64>, _>("opened_at")?.unwrap_or(now))
}

/// Every item of a client (the staff view), newest first.
pub async fn for_client(db: &Db, client_id: ClientId) -> Result<Vec<Item>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE i.client_id = $1 ORDER BY i.id DESC"))
        .bind(client_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(item_from_row).collect()
}

/// The job centre's print queue: items by post not yet marked as sent, oldest first,
/// with the client's name and customer number.
pub async fn print_queue(db: &Db, job_centre_id: JobCentreId) -> Result<Vec<(Item, String, String)>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS}, c.given_name, c.family_name, c.customer_number \
         FROM {ITEM_FROM} JOIN clients c ON c.id = i.client_id \
         WHERE c.job_centre_id = $1 AND i.channel = 'post' AND i.printed_at IS NULL ORDER BY i.id"
    ))
    .bind(job_centre_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(with_client).collect()
}

/// Marks an item of the print queue as printed and posted; `false` if it is not in
/// this job centre's queue.
pub async fn mark_printed(db: &Db, job_centre_id: JobCentreId, id: PostboxItemId, staff_account_id: AccountId, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE postbox_items SET printed_at = $1, printed_by = $2 \
         WHERE id = $3 AND channel = 'post' AND printed_at IS NULL \
           AND client_id IN (SELECT id FROM clients WHERE job_centre_id = $4)",
    )
    .bind(now)
    .bind(staff_account_id)
    .bind(id)
    .bind(job_centre_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The files attached to an item, in order.
pub async fn attachments(db: &Db, item_id: PostboxItemId) -> Result<Vec<FileMeta>, StoreError> {
    Ok(attachments_of(db, &[item_id]).await?.remove(&item_id).unwrap_or_default())
}

/// The files of each of `items`, in their order, in two queries whatever the number of
/// items (a page of the postbox); items without files are missing from the map.
pub async fn attachments_of(
    db: &Db,
    items: &[PostboxItemId],
) -> Result<std::collections::HashMap<PostboxItemId, Vec<FileMeta>>, StoreError> {
    let mut out = std::collections::HashMap::new();
    let select = "SELECT item_id, file_id FROM postbox_attachments WHERE item_id IN ({in}) ORDER BY item_id, position";
    let mut links = Vec::new();
    for row in super::store::fetch_in(db, select, items).await? {
        links.push((row.try_get::<PostboxItemId, _>("item_id")?, row.try_get::<i64, _>("file_id")?));
    }
    let ids: Vec<i64> = links.iter().map(|(_, file)| *file).collect();
    let mut metas = files::metas(db, &ids).await?;
    for (item, file) in links {
        if let Some(meta) = metas.remove(&file) {
            out.entry(item).or_insert_with(Vec::new).push(meta);
        }
    }
    Ok(out)
}

/// Who may download a file: the client (for an online item) and the client's job
/// centre. Returns `(client_id, job_centre_id, online)` of the item the file belongs to.
pub async fn file_owner(db: &Db, file_id: i64) -> Result<Option<(ClientId, JobCentreId, bool)>, StoreError> {
    let row = sqlx::query(
        "SELECT i.client_id, c.job_centre_id, i.channel FROM postbox_attachments a \
         JOIN postbox_items i ON i.id = a.item_id JOIN clients c ON c.id = i.client_id WHERE a.file_id = $1",
    )
    .bind(file_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| {
        Ok((row.try_get("client_id")?, row.try_get("job_centre_id")?, row.try_get::<String, _>("channel")? == "online"))
    })
    .transpose()
}

/// The Eingangsbestätigung (receipt) of a citizen's item: when it arrived and every
/// file with size and SHA-256, as plain text.
pub fn receipt_text(language: crate::domain::language::Language, portal: &str, item: &Item, files: &[FileMeta]) -> String {
    use crate::{domain::datetime::format_date_time, i18n::*};
    let l = Locale::from(language);
    let mut text = format!(
        "{}\n\n{}\n{}: {}\n{}: {}\n{}: {}\n",
        td_string!(l, postbox.receipt_title),
        td_string!(l, postbox.receipt_intro, portal = portal),
        td_string!(l, postbox.receipt_number),
        item.id,
        td_string!(l, postbox.received_at),
        format_date_time(item.created_at, language),
        td_string!(l, postbox.subject),
        // Stored subjects are single lines already; older ones are made so here, so no
        // subject can add a line to the receipt.
        single_line(&item.subject),
    );
    if files.is_empty() {
        text.push_str(&format!("{}\n", td_string!(l, postbox.receipt_no_files)));
    }
    for file in files {
        text.push_str(&format!("\n{}\n  {}: {} Bytes\n  SHA-256: {}\n", single_line(&file.filename), td_string!(l, postbox.size), file.size, file.sha256));
    }
    text
}
