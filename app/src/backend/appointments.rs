//! Appointments ("Termine") and their SMS reminders. A reminder is due a configurable
//! number of hours (default 24) before the start; the [`run`] loop claims due
//! appointments one at a time with a conditional `UPDATE` inside the transaction that
//! also puts the SMS into the outbox — so each reminder is decided exactly once, even
//! with several server instances, and survives restarts. At that moment it checks
//! again: a cancelled appointment, SMS-Benachrichtigung switched off or no confirmed
//! mobile number means no SMS. Owns `appointments`.

use crate::domain::ids::{AccountId, ClientId, AppointmentId};
use std::{sync::Arc, time::Duration};

use sqlx::Row;
use tokio::sync::{watch, Notify};

use super::{
    accounts,
    clock::Clock,
    outbox, profiles, sms,
    store::{Db, StoreError},
};
use crate::domain::{
    appointment::{CheckedAppointment, Mode},
    communication::CommunicationOption,
    datetime::format_date_time,
};

/// An appointment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    /// Id.
    pub id: AppointmentId,
    /// The client.
    pub client_id: ClientId,
    /// When, how, where and what.
    pub details: CheckedAppointment,
    /// Cancelled at.
    pub cancelled_at: Option<i64>,
    /// When the reminder was decided.
    pub reminder_at: Option<i64>,
    /// `sent` or why not.
    pub reminder_outcome: Option<String>,
}

const COLUMNS: &str = "id, client_id, starts_at, duration_minutes, mode, place, subject, notes, cancelled_at, reminder_at, reminder_outcome";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Appointment, StoreError> {
    let mode: String = row.try_get("mode")?;
    let details = crate::from_columns!(row, CheckedAppointment { starts_at, duration_minutes, place, subject, notes; mode: Mode::parse(&mode).unwrap_or(Mode::InPerson) });
    Ok(crate::from_columns!(row, Appointment { id, client_id, cancelled_at, reminder_at, reminder_outcome; details: details }))
}

/// Stores a new appointment for `client_id`.
pub async fn create(db: &Db, client_id: ClientId, new: &CheckedAppointment, staff_account_id: AccountId, now: i64) -> Result<AppointmentId, StoreError> {
    let row = sqlx::query(
        "INSERT INTO appointments (client_id, starts_at, duration_minutes, mode, place, subject, notes, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(client_id)
    .bind(new.starts_at)
    .bind(new.duration_minutes)
    .bind(new.mode.as_str())
    .bind(&new.place)
    .bind(&new.subject)
    .bind(&new.notes)
    .bind(staff_account_id)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("id")?)
}

/// Cancels appointment `id` of `client_id`; `false` if there is none to cancel.
pub async fn cancel(db: &Db, client_id: ClientId, id: AppointmentId, now: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE appointments SET cancelled_at = $1 WHERE id = $2 AND client_id = $3 AND cancelled_at IS NULL")
        .bind(now)
        .bind(id)
        .bind(client_id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Every appointment of a client, by start.
pub async fn for_client(db: &Db, client_id: ClientId) -> Result<Vec<Appointment>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM appointments WHERE client_id = $1 ORDER BY starts_at"))
        .bind(client_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Appointment `id` of `client_id`.
pub async fn find(db: &Db, client_id: ClientId, id: AppointmentId) -> Result<Option<Appointment>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM appointments WHERE id = $1 AND client_id = $2"))
        .bind(id)
        .bind(client_id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| from_row(&row)).transpose()
}

/// The calendar file (RFC 5545) of appointment `id` of `client_id`: its subject with the
/// job centre's name, place and notes. `None` if there is no such appointment of the
/// client's or it was cancelled.
///
/// # Errors
/// A failed database read.
pub async fn calendar_file(state: &super::AppState, client_id: ClientId, id: AppointmentId) -> Result<Option<String>, StoreError> {
    let Some(appointment) = find(&state.db, client_id, id).await?.filter(|a| a.cancelled_at.is_none()) else { return Ok(None) };
    let centre = match super::clients::find_by_id(&state.db, client_id).await? {
        Some(client) => super::job_centres::find_by_id(&state.db, client.job_centre_id).await?.map(|c| c.contact.name),
        None => None,
    };
    let summary = match centre {
        Some(name) => format!("{} ({name})", appointment.details.subject),
        None => appointment.details.subject.clone(),
    };
    let details = &appointment.details;
    Ok(Some(crate::domain::appointment::ics(
        appointment.id.get(),
        &url_host(&state.settings.public_url),
        state.clock.now(),
        details.starts_at,
        details.duration_minutes,
        &summary,
        &details.place,
        &details.notes,
    )))
}

/// The host of the portal's public URL (the calendar entry's UID domain).
fn url_host(public_url: &str) -> String {
    public_url.split("://").nth(1).unwrap_or(public_url).split(['/', ':']).next().unwrap_or("localhost").to_owned()
}

/// Decides the next due reminder, if any: claims it, and — if the client still wants
/// SMS and has a confirmed number — puts the SMS into the outbox, all in one
/// transaction. Returns whether there was one.
pub async fn remind_next(db: &Db, now: i64, lead_hours: i64, portal: &str) -> Result<bool, StoreError> {
    let mut tx = db.pool().begin().await?;
    let claimed = sqlx::query(&format!(
        "UPDATE appointments SET reminder_at = $1, reminder_outcome = 'claimed' \
         WHERE id = (SELECT id FROM appointments WHERE reminder_at IS NULL AND cancelled_at IS NULL \
                     AND starts_at > $1 AND starts_at <= $2 ORDER BY starts_at LIMIT 1) \
           AND reminder_at IS NULL AND cancelled_at IS NULL \
         RETURNING {COLUMNS}"
    ))
    .bind(now)
    .bind(now + lead_hours * 3600)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = claimed else {
        tx.rollback().await?;
        return Ok(false);
    };
    let appointment = from_row(&row)?;
    let outcome = match profiles::find_for_client(db, appointment.client_id).await? {
        None => "no_profile",
        Some(profile) => {
            let sms_on = profiles::options(db, profile.id)
                .await?
                .into_iter()
                .any(|(option, on)| option == CommunicationOption::SmsNotifications && on);
            match (sms_on, &profile.sms_mobile, accounts::find_by_id(db, profile.account_id).await?) {
                (false, _, _) => "sms_off",
                (true, None, _) | (true, _, None) => "no_mobile",
                (true, Some(mobile), Some(account)) => {
                    let when = format_date_time(appointment.details.starts_at, account.language);
                    let text = sms::appointment_reminder(account.language, mobile, portal, &when, &appointment.details.place);
                    outbox::enqueue_sms(&mut tx, &text, now).await?;
                    "sent"
                }
            }
        }
    };
    sqlx::query("UPDATE appointments SET reminder_outcome = $1 WHERE id = $2").bind(outcome).bind(appointment.id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// How often the reminder loop looks for due appointments.
pub const REMINDER_POLL: Duration = Duration::from_secs(2);

/// Sends due reminders until `stop` turns true; wakes the outbox worker after each SMS.
pub async fn run(db: Db, clock: Clock, lead_hours: i64, portal: String, outbox_wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        match remind_next(&db, clock.now(), lead_hours, &portal).await {
            Ok(true) => {
                outbox_wake.notify_one();
                continue;
            }
            Ok(false) => {}
            Err(error) => tracing::error!(%error, "appointment reminders unavailable"),
        }
        tokio::select! {
            () = tokio::time::sleep(REMINDER_POLL) => {}
            _ = stop.changed() => {}
        }
    }
}


#[cfg(test)]
mod tests {
    use super::url_host;

    #[test]
    fn url_host_is_the_uid_domain() {
        assert_eq!(url_host("https://portal.example:8443/pfad"), "portal.example");
        assert_eq!(url_host("http://localhost:3000"), "localhost");
    }
}
