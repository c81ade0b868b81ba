//! The Leistungspostfach: the citizen's inbox and items, and the staff side (what went
//! to a client by which channel, with the legal trail; the print queue). Files are
//! uploaded and downloaded over plain HTTP (`server/src/http/postbox_files.rs`), not
//! through server functions, so they can be streamed.

use crate::domain::ids::{ClientId, PostboxItemId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::postbox::{Channel, ChannelReason, ItemKind};
pub use crate::domain::postbox::{CitizenSendOutcome, RefusedItem, SendOutcome};

/// An attached file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    /// Download at `/dateien/{id}`.
    pub id: i64,
    /// File name.
    pub filename: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// An item as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostboxItemView {
    /// Id.
    pub id: PostboxItemId,
    /// Written by the citizen (else by the job centre).
    pub from_citizen: bool,
    /// The first item of its conversation.
    pub thread_id: PostboxItemId,
    /// Kind.
    pub kind: ItemKind,
    /// Subject.
    pub subject: String,
    /// Text (empty in lists).
    pub body: String,
    /// Provided at.
    pub created_at: i64,
    /// First opened at.
    pub opened_at: Option<i64>,
    /// Counts as made known on (documents only).
    pub deemed_notice_at: Option<i64>,
    /// Files.
    pub attachments: Vec<AttachmentView>,
}

/// A page of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostboxPage {
    /// Items, newest first.
    pub items: Vec<PostboxItemView>,
    /// This page (from 1).
    pub page: i64,
    /// Number of pages (at least 1).
    pub pages: i64,
    /// Items matching the filter.
    pub total: i64,
    /// Unopened items (all kinds).
    pub unread: i64,
}

/// An item as staff see it, with channel and legal trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffItemView {
    /// The item (body included).
    pub item: PostboxItemView,
    /// Online or post.
    pub channel: Channel,
    /// Why.
    pub reason: ChannelReason,
    /// When the mail server accepted the notification mail.
    pub notified_at: Option<i64>,
    /// When staff marked it printed and posted.
    pub printed_at: Option<i64>,
}

/// A conversation on the staff side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffConversation {
    /// The client's id.
    pub client_id: ClientId,
    /// The client's name.
    pub client_name: String,
    /// The customer number.
    pub customer_number: String,
    /// The conversation's first item.
    pub thread_id: PostboxItemId,
    /// Marked done at.
    pub done_at: Option<i64>,
    /// Every item, oldest first.
    pub items: Vec<StaffItemView>,
}

/// One conversation in the staff inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInboxEntry {
    /// The citizen's newest message in it.
    pub item: PostboxItemView,
    /// Done at.
    pub done_at: Option<i64>,
    /// The client's name.
    pub client_name: String,
    /// The customer number.
    pub customer_number: String,
}

/// One entry of the print queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintQueueEntry {
    /// The item.
    pub item: StaffItemView,
    /// The client's id (link to the record).
    pub client_id: ClientId,
    /// The client's name.
    pub client_name: String,
    /// The customer number.
    pub customer_number: String,
}

#[cfg(feature = "ssr")]
mod support {
    use super::*;
    use crate::backend::{postbox::Item, AppState};

    /// The views of `items` (in their order); `with_body` for pages that show the text.
    /// The files of all items are read at once.
    pub async fn views(state: &AppState, items: &[Item], with_body: bool) -> Result<Vec<PostboxItemView>, ApiError> {
        let ids: Vec<PostboxItemId> = items.iter().map(|item| item.id).collect();
        let mut files = crate::backend::postbox::attachments_of(&state.db, &ids).await.map_err(super::super::unavailable)?;
        Ok(items.iter().map(|item| build(state, item, with_body, files.remove(&item.id).unwrap_or_default())).collect())
    }

    /// The view of one item; `with_body` for the item page.
    pub async fn view(state: &AppState, item: &Item, with_body: bool) -> Result<PostboxItemView, ApiError> {
        let files = crate::backend::postbox::attachments(&state.db, item.id).await.map_err(super::super::unavailable)?;
        Ok(build(state, item, with_body, files))
    }

    fn build(state: &AppState, item: &Item, with_body: bool, files: Vec<crate::backend::files::FileMeta>) -> PostboxItemView {
        let attachments =
            files.into_iter().map(|f| AttachmentView { id: f.id, filename: f.filename, size: f.size, sha256: f.sha256 }).collect();
        let deemed = (item.channel == Channel::Online && item.kind.needs_document()).then(|| {
            crate::domain::postbox::deemed_notice(item.created_at, item.notified_at, state.settings.deemed_notice_days)
        });
        PostboxItemView {
            id: item.id,
            from_citizen: item.direction == crate::backend::postbox::Direction::FromCitizen,
            thread_id: item.thread_id,
            kind: item.kind,
            subject: item.subject.clone(),
            body: if with_body { item.body.clone() } else { String::new() },
            created_at: item.created_at,
            opened_at: item.opened_at,
            deemed_notice_at: deemed,
            attachments,
        }
    }

    /// The staff views of `items` (in their order).
    pub async fn staff_views(state: &AppState, items: &[Item]) -> Result<Vec<StaffItemView>, ApiError> {
        let views = views(state, items, true).await?;
        Ok(items.iter().zip(views).map(|(item, view)| staff(item, view)).collect())
    }

    fn staff(item: &Item, view: PostboxItemView) -> StaffItemView {
        StaffItemView { item: view, channel: item.channel, reason: item.reason, notified_at: item.notified_at, printed_at: item.printed_at }
    }
}

/// "Postfach": one page of the inbox, optionally of one kind.
#[server(endpoint = "postbox/inbox")]
pub async fn my_postbox(kind: Option<String>, page: Option<i64>) -> Result<PostboxPage, ApiError> {
    use crate::backend::postbox::{self, PAGE_SIZE};
    let state = super::state()?;
    let profile = super::caller::citizen_with_profile().await.map(|(_, profile)| profile)?;
    let kind = kind.as_deref().and_then(ItemKind::parse);
    let page = page.unwrap_or(1).max(1);
    let inbox = postbox::inbox(&state.db, profile.client_id, kind, page).await.map_err(super::unavailable)?;
    let views = support::views(&state, &inbox.items, false).await?;
    let total = inbox.total;
    Ok(PostboxPage { items: views, page, pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1), total, unread: inbox.unread })
}

/// Opens an item (the first opening is recorded for the legal trail).
#[server(endpoint = "postbox/item")]
pub async fn open_postbox_item(id: PostboxItemId) -> Result<PostboxItemView, ApiError> {
    use crate::backend::postbox;
    let state = super::state()?;
    let profile = super::caller::citizen_with_profile().await.map(|(_, profile)| profile)?;
    let mut item = postbox::find_online(&state.db, profile.client_id, id).await.map_err(super::unavailable)?.ok_or(ApiError::NotFound)?;
    item.opened_at = Some(postbox::mark_opened(&state.db, item.id, state.clock.now()).await.map_err(super::unavailable)?);
    support::view(&state, &item, true).await
}

/// Unopened items for the header, or `None` without a profile.
#[server(endpoint = "postbox/unread")]
pub async fn postbox_unread() -> Result<Option<i64>, ApiError> {
    let state = super::state()?;
    let Ok(profile) = super::caller::citizen_with_profile().await.map(|(_, profile)| profile) else { return Ok(None) };
    Ok(Some(crate::backend::postbox::unread(&state.db, profile.client_id).await.map_err(super::unavailable)?))
}

/// Everything sent to a client of the desk's job centre, newest first.
#[server(endpoint = "staff/postbox")]
pub async fn client_postbox(client_id: ClientId) -> Result<Vec<StaffItemView>, ApiError> {
    use super::staff::support::own_client;
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let client = own_client(&staff, client_id).await?;
    let items = crate::backend::postbox::for_client(&state.db, client.id).await.map_err(super::unavailable)?;
    support::staff_views(&state, &items).await
}

/// "Postversand": the desk's print queue.
#[server(endpoint = "staff/print-queue")]
pub async fn print_queue() -> Result<Vec<PrintQueueEntry>, ApiError> {
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let queue = crate::backend::postbox::print_queue(&state.db, staff.job_centre_id).await.map_err(super::unavailable)?;
    let items: Vec<_> = queue.iter().map(|(item, _, _)| item.clone()).collect();
    let views = support::staff_views(&state, &items).await?;
    Ok(queue
        .into_iter()
        .zip(views)
        .map(|((item, client_name, customer_number), view)| PrintQueueEntry { item: view, client_id: item.client_id, client_name, customer_number })
        .collect())
}

/// "Als versendet markieren": the item was printed and posted.
#[server(endpoint = "staff/mark-printed")]
pub async fn mark_printed(item_id: PostboxItemId) -> Result<bool, ApiError> {
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let done = crate::backend::postbox::mark_printed(&state.db, staff.job_centre_id, item_id, staff.account_id, state.clock.now())
        .await
        .map_err(super::unavailable)?;
    if !done {
        return Err(ApiError::NotFound);
    }
    Ok(true)
}

/// The conversation of the citizen's item `id`, oldest first.
#[server(endpoint = "postbox/conversation")]
pub async fn postbox_conversation(id: PostboxItemId) -> Result<Vec<PostboxItemView>, ApiError> {
    use crate::backend::postbox;
    let state = super::state()?;
    let profile = super::caller::citizen_with_profile().await.map(|(_, profile)| profile)?;
    let item = postbox::find_online(&state.db, profile.client_id, id).await.map_err(super::unavailable)?.ok_or(ApiError::NotFound)?;
    let items = postbox::conversation(&state.db, profile.client_id, item.thread_id, true).await.map_err(super::unavailable)?;
    support::views(&state, &items, true).await
}

/// "Nachrichten": the job centre's conversations with messages from citizens (open ones
/// first; each conversation once, with its newest citizen message).
#[server(endpoint = "staff/inbox")]
pub async fn staff_inbox() -> Result<Vec<StaffInboxEntry>, ApiError> {
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let rows = crate::backend::postbox::staff_inbox(&state.db, staff.job_centre_id).await.map_err(super::unavailable)?;
    let mut seen = std::collections::HashSet::new();
    let newest: Vec<_> = rows.into_iter().filter(|(item, _, _)| seen.insert(item.thread_id)).collect();
    let items: Vec<_> = newest.iter().map(|(item, _, _)| item.clone()).collect();
    let views = support::views(&state, &items, false).await?;
    Ok(newest
        .into_iter()
        .zip(views)
        .map(|((item, client_name, customer_number), view)| StaffInboxEntry { item: view, done_at: item.done_at, client_name, customer_number })
        .collect())
}

/// A conversation of the desk's job centre (`id` is any item of it).
#[server(endpoint = "staff/conversation")]
pub async fn open_conversation(id: PostboxItemId) -> Result<StaffConversation, ApiError> {
    use crate::backend::postbox;
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let item = postbox::find_for_job_centre(&state.db, staff.job_centre_id, id).await.map_err(super::unavailable)?.ok_or(ApiError::NotFound)?;
    let client = super::staff::support::own_client(&staff, item.client_id).await?;
    let items = postbox::conversation(&state.db, client.id, item.thread_id, false).await.map_err(super::unavailable)?;
    let views = support::staff_views(&state, &items).await?;
    Ok(StaffConversation {
        client_id: client.id,
        client_name: client.record.full_name(),
        customer_number: client.record.customer_number,
        thread_id: item.thread_id,
        done_at: items.iter().filter(|i| i.direction == postbox::Direction::FromCitizen).filter_map(|i| i.done_at).max(),
        items: views,
    })
}

/// "Als erledigt markieren": the conversation needs nothing more from staff (a new
/// message from the citizen opens it again).
#[server(endpoint = "staff/mark-done")]
pub async fn mark_done(thread_id: PostboxItemId) -> Result<bool, ApiError> {
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let done = crate::backend::postbox::mark_done(&state.db, staff.job_centre_id, thread_id, staff.account_id, state.clock.now())
        .await
        .map_err(super::unavailable)?;
    if !done {
        return Err(ApiError::NotFound);
    }
    Ok(true)
}

/// Why an upload was not read to its end (see `server/src/http/upload_body.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRefusal {
    /// The one file is larger than 10 MB (the staff form).
    FileTooLarge,
    /// The files are larger together than this many files of 10 MB each.
    FilesTooLarge(usize),
    /// Too slow, or broken off.
    TooSlow,
    /// Not a readable form.
    Unreadable,
}

/// The page that answers an upload which could not be read (413, 408, 400): the reason
/// in the visitor's language and the way back to the form. The typed text cannot be
/// kept — the request was not read to its end.
#[cfg(feature = "ssr")]
pub fn upload_refusal_page(language: crate::domain::language::Language, refusal: UploadRefusal, back: &str) -> String {
    use crate::i18n::*;
    let l = Locale::from(language);
    let message = match refusal {
        UploadRefusal::FileTooLarge => td_string!(l, postbox.error_too_large).to_string(),
        UploadRefusal::FilesTooLarge(files) => td_string!(l, postbox.error_total_too_large, files = files).to_string(),
        UploadRefusal::TooSlow => td_string!(l, postbox.error_too_slow).to_string(),
        UploadRefusal::Unreadable => td_string!(l, postbox.error_unreadable).to_string(),
    };
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1><p role=\"alert\">{message}</p><p><a href=\"{back}\">{link}</a></p></main></body></html>",
        lang = language.tag(),
        title = escape(&td_string!(l, postbox.upload_refused_title).to_string()),
        message = escape(&message),
        back = escape(back),
        link = escape(&td_string!(l, postbox.upload_back).to_string()),
    )
}
