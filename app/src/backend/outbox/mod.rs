//! The outbox: every e-mail and SMS is written to it in the same transaction as the
//! change that causes it; the [`worker`] delivers them with retries, so nothing is lost
//! when the mail server or SMS gateway is down or the process restarts. Messages are
//! claimed through the database so several server instances never send one twice.
//! Owns the `outbox` table.

pub mod worker;

use sqlx::Row;

use crate::backend::{
    mail::Mail,
    sms::Sms,
    store::{Conn, Db, StoreError},
};

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// E-mail (SMTP).
    Email,
    /// Text message (SMS gateway).
    Sms,
}

impl Channel {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// How long a worker may hold a claimed message before another may retry it (s).
pub const CLAIM_SECONDS: i64 = 120;
/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 12;

/// A message taken from the outbox for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Outbox id.
    pub id: i64,
    /// `email` or `sms`.
    pub channel: String,
    /// Recipient.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub body_text: String,
    /// HTML, if any.
    pub body_html: Option<String>,
    /// Attempts including this one.
    pub attempts: i64,
}

impl Pending {
    /// The message's delivery key, the same at every attempt: `outbox.<id>.<8 hex>`, the
    /// hex from the SHA-256 of recipient, subject and text (so two databases never share
    /// a key). A process killed after the mail server accepted a message but before
    /// [`mark_sent`] committed sends it again once its claim expires — at-least-once
    /// delivery, as for every outbox (no protocol can make an SMTP hand-over and a
    /// database commit one step). The key becomes the mail's `Message-ID` (RFC 5322
    /// §3.6.4: one message, one id) and the SMS gateway's `Idempotency-Key`, so a repeat
    /// is recognisably the same message, which mail stores and gateways can drop.
    pub fn delivery_key(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut digest = Sha256::new();
        for part in [&self.recipient, &self.subject, &self.body_text] {
            digest.update(part.as_bytes());
            digest.update([0]);
        }
        let hex: String = digest.finalize().iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!("outbox.{}.{hex}", self.id)
    }
}

/// A stored message, for the development preview and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Outbox id.
    pub id: i64,
    /// Recipient.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub body_text: String,
    /// When it was written.
    pub created_at: i64,
    /// When the mail server accepted it (or the preview took it).
    pub sent_at: Option<i64>,
    /// `smtp`, `http` or `preview`.
    pub delivered_via: Option<String>,
    /// Attempts so far.
    pub attempts: i64,
    /// Last delivery error.
    pub last_error: Option<String>,
}

/// Adds an e-mail to the outbox inside the caller's transaction.
pub async fn enqueue(
    conn: &mut Conn,
    mail: &Mail,
    now: i64,
) -> Result<i64, StoreError> {
    insert(conn, Channel::Email, &mail.to, &mail.subject, &mail.text, Some(&mail.html), false, now).await
}

/// Adds an e-mail whose delivery time is part of a legal record (the postbox's
/// notification: § 37 Abs. 2a SGB X): its row outlives [`purge`] (without its text).
pub async fn enqueue_kept(conn: &mut Conn, mail: &Mail, now: i64) -> Result<i64, StoreError> {
    insert(conn, Channel::Email, &mail.to, &mail.subject, &mail.text, Some(&mail.html), true, now).await
}

/// Adds a text message to the outbox inside the caller's transaction.
pub async fn enqueue_sms(conn: &mut Conn, sms: &Sms, now: i64) -> Result<i64, StoreError> {
    insert(conn, Channel::Sms, &sms.to, "", &sms.text, None, false, now).await
}

async fn insert(
    conn: &mut Conn,
    channel: Channel,
    recipient: &str,
    subject: &str,
    text: &str,
    html: Option<&str>,
    retain: bool,
    now: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, body_text, body_html, created_at, not_before, retain) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
    )
    .bind(channel.as_str())
    .bind(recipient)
    .bind(subject)
    .bind(text)
    .bind(html)
    .bind(now)
    .bind(i64::from(retain))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Claims the oldest due message, or `None`. Safe with parallel workers: the claim is
/// one conditional `UPDATE`, so only one of them gets a given message.
pub async fn claim_next(db: &Db, now: i64) -> Result<Option<Pending>, StoreError> {
    let row = sqlx::query(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM outbox \
                     WHERE sent_at IS NULL AND failed_at IS NULL AND not_before <= $2 \
                       AND (claimed_until IS NULL OR claimed_until <= $2) \
                     ORDER BY id LIMIT 1) \
           AND sent_at IS NULL AND failed_at IS NULL \
           AND (claimed_until IS NULL OR claimed_until <= $2) \
         RETURNING id, channel, recipient, subject, body_text, body_html, attempts",
    )
    .bind(now + CLAIM_SECONDS)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| {
        Ok(crate::from_columns!(row, Pending { id, channel, recipient, subject, body_text, body_html, attempts }))
    })
    .transpose()
}

/// What a delivered message's text becomes (links and codes must not outlive delivery).
pub const DELIVERED_TEXT: &str = "";

/// Records a successful hand-over (SMTP accepted it, or the preview took it). The text
/// is removed — a copy of the database must not hold live links or codes — except for
/// the development preview, whose page shows it.
pub async fn mark_sent(db: &Db, id: i64, now: i64, via: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $1, delivered_via = $2, claimed_until = NULL, last_error = NULL, \
           body_text = CASE WHEN $2 = 'preview' THEN body_text ELSE $4 END, \
           body_html = CASE WHEN $2 = 'preview' THEN body_html ELSE NULL END \
         WHERE id = $3",
    )
        .bind(now)
        .bind(via)
        .bind(id)
        .bind(DELIVERED_TEXT)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Deletes delivered (or given-up) messages older than `before` (Unix seconds), except
/// the kept ones ([`enqueue_kept`]); returns how many.
pub async fn purge(db: &Db, before: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "DELETE FROM outbox WHERE retain = 0 AND ((sent_at IS NOT NULL AND sent_at < $1) OR (failed_at IS NOT NULL AND failed_at < $1))",
    )
    .bind(before)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// Records a failed attempt: retried after a growing pause, given up after
/// [`MAX_ATTEMPTS`].
pub async fn mark_failed(db: &Db, pending: &Pending, now: i64, error: &str) -> Result<(), StoreError> {
    let pause = retry_pause(pending.attempts);
    let failed_at = (pending.attempts >= MAX_ATTEMPTS).then_some(now);
    // A message given up loses its text too (its link or code is never delivered).
    sqlx::query(
        "UPDATE outbox SET claimed_until = NULL, not_before = $1, last_error = $2, failed_at = $3, \
           body_text = CASE WHEN $3 IS NULL THEN body_text ELSE '' END, \
           body_html = CASE WHEN $3 IS NULL THEN body_html ELSE NULL END \
         WHERE id = $4",
    )
        .bind(now + pause)
        .bind(error.chars().take(500).collect::<String>())
        .bind(failed_at)
        .bind(pending.id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Seconds to wait after `attempts` failed attempts: 30 s, 1 min, 2 min, … up to 1 h.
pub fn retry_pause(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 7) as u32;
    (30_i64 << doublings).min(3600)
}

/// The newest e-mails (preview page and tests).
pub async fn recent_emails(db: &Db, limit: i64) -> Result<Vec<Stored>, StoreError> {
    recent(db, Channel::Email, limit).await
}

/// The newest messages of one channel, newest first (preview page and tests).
pub async fn recent(db: &Db, channel: Channel, limit: i64) -> Result<Vec<Stored>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, recipient, subject, body_text, created_at, sent_at, delivered_via, attempts, last_error \
         FROM outbox WHERE channel = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(channel.as_str())
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(crate::from_columns!(row, Stored { id, recipient, subject, body_text, created_at, sent_at, delivered_via, attempts, last_error }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{retry_pause, Pending};

    #[test]
    fn the_delivery_key_is_stable_and_tells_messages_apart() {
        let pending = Pending {
            id: 7,
            channel: "email".into(),
            recipient: "a@example.org".into(),
            subject: "Betreff".into(),
            body_text: "Text".into(),
            body_html: None,
            attempts: 1,
        };
        let key = pending.delivery_key();
        assert!(key.starts_with("outbox.7.") && key.len() == "outbox.7.".len() + 8, "{key}");
        assert_eq!(Pending { attempts: 3, ..pending.clone() }.delivery_key(), key, "the same at every attempt");
        assert_ne!(Pending { id: 8, ..pending.clone() }.delivery_key(), key);
        assert_ne!(Pending { recipient: "b@example.org".into(), ..pending.clone() }.delivery_key(), key);
        assert_ne!(Pending { body_text: "Text2".into(), ..pending }.delivery_key(), key);
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_pause(1), 30);
        assert_eq!(retry_pause(2), 60);
        assert_eq!(retry_pause(3), 120);
        assert_eq!(retry_pause(8), 3600);
        assert_eq!(retry_pause(12), 3600);
    }
}
