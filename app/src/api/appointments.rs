//! "Termine": staff create and cancel appointments for a client of their job centre;
//! the citizen sees upcoming and past ones (and downloads each as `.ics` from
//! `/kalender/{id}`, served by `server/src/http/calendar.rs`).

use crate::domain::ids::{ClientId, AppointmentId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::appointment::{AppointmentField, AppointmentInput, CheckedAppointment};

/// An appointment as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentView {
    /// Id.
    pub id: AppointmentId,
    /// When, how, where and what (flattened: the wire fields are `starts_at`,
    /// `duration_minutes`, `mode`, `place`, `subject`, `notes`).
    #[serde(flatten)]
    pub details: CheckedAppointment,
    /// Cancelled at.
    pub cancelled_at: Option<i64>,
    /// Reminder decided at, with the outcome (`sent`, `sms_off`, `no_mobile`, `no_profile`).
    pub reminder: Option<(i64, String)>,
    /// Not yet begun (decided by the server's clock).
    pub upcoming: bool,
}

/// The citizen's appointments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentList {
    /// Not yet begun, soonest first.
    pub upcoming: Vec<AppointmentView>,
    /// Begun or over, newest first.
    pub past: Vec<AppointmentView>,
}

/// The result of the staff form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppointmentOutcome {
    /// Stored.
    Created,
    /// Not stored; the form comes back.
    Invalid {
        /// Fields in error.
        problems: Vec<AppointmentField>,
        /// As typed.
        input: AppointmentInput,
    },
}

#[cfg(feature = "ssr")]
fn view(a: crate::backend::appointments::Appointment, now: i64) -> AppointmentView {
    AppointmentView {
        upcoming: a.details.starts_at > now,
        id: a.id,
        details: a.details,
        cancelled_at: a.cancelled_at,
        reminder: a.reminder_at.zip(a.reminder_outcome),
    }
}

/// "Termin anlegen" for a client of the desk's job centre.
#[server(endpoint = "staff/create-appointment")]
#[allow(clippy::too_many_arguments)]
pub async fn create_appointment(
    client_id: ClientId,
    date: String,
    time: String,
    duration: String,
    mode: String,
    place: String,
    subject: String,
    notes: String,
) -> Result<AppointmentOutcome, ApiError> {
    use super::staff::support::own_client;
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let client = own_client(&staff, client_id).await?;
    let input = AppointmentInput { date, time, duration, mode, place, subject, notes };
    let now = state.clock.now();
    let outcome = match crate::domain::appointment::check(&input, now) {
        Ok(checked) => {
            crate::backend::appointments::create(&state.db, client.id, &checked, staff.account_id, now)
                .await
                .map_err(super::unavailable)?;
            AppointmentOutcome::Created
        }
        Err(problems) => AppointmentOutcome::Invalid { problems, input },
    };
    super::flash::remember(super::flash_form::FlashForm::StaffAppointment, &outcome).await;
    Ok(outcome)
}

/// "Termin absagen".
#[server(endpoint = "staff/cancel-appointment")]
pub async fn cancel_appointment(client_id: ClientId, id: AppointmentId) -> Result<bool, ApiError> {
    use super::staff::support::own_client;
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let client = own_client(&staff, client_id).await?;
    if !crate::backend::appointments::cancel(&state.db, client.id, id, state.clock.now()).await.map_err(super::unavailable)? {
        return Err(ApiError::NotFound);
    }
    Ok(true)
}

/// A client's appointments for the desk.
#[server(endpoint = "staff/appointments")]
pub async fn client_appointments(client_id: ClientId) -> Result<Vec<AppointmentView>, ApiError> {
    use super::staff::support::own_client;
    let state = super::state()?;
    let staff = super::caller::staff().await?;
    let client = own_client(&staff, client_id).await?;
    let all = crate::backend::appointments::for_client(&state.db, client.id).await.map_err(super::unavailable)?;
    let now = state.clock.now();
    Ok(all.into_iter().map(|a| view(a, now)).collect())
}

/// "Termine": the signed-in citizen's appointments.
#[server(endpoint = "appointments/mine")]
pub async fn my_appointments() -> Result<AppointmentList, ApiError> {
    let state = super::state()?;
    let (_, profile) = super::caller::citizen_with_profile().await?;
    let now = state.clock.now();
    let all = crate::backend::appointments::for_client(&state.db, profile.client_id).await.map_err(super::unavailable)?;
    let (upcoming, mut past): (Vec<_>, Vec<_>) = all.into_iter().map(|a| view(a, now)).partition(|a| a.upcoming);
    past.reverse();
    Ok(AppointmentList { upcoming, past })
}
