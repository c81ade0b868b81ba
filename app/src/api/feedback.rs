//! Feedback on barriers: anyone may send it from the accessibility statement; staff of
//! any job centre read it and mark it as dealt with (the portal is run for all of them).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::{
    feedback::{FeedbackInput, FeedbackProblem},
    language::Language,
};

/// The answer to a submitted form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackOutcome {
    /// Stored.
    Received,
    /// Not stored: the problems, and the input to show again.
    Invalid { problems: Vec<FeedbackProblem>, input: FeedbackInput },
    /// Not stored: too much feedback from this address in the last hour (input kept).
    TooMany { input: FeedbackInput },
}

/// Feedback as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackEntry {
    /// Id.
    pub id: i64,
    /// When it arrived.
    pub received_at: i64,
    /// What was entered.
    pub input: FeedbackInput,
    /// The sender's language.
    pub language: Language,
    /// When it was marked as dealt with.
    pub done_at: Option<i64>,
}

/// "Rückmeldung senden" on `/barrierefreiheit`.
#[server(endpoint = "feedback/send")]
pub async fn send_feedback(message: String, page: String, name: String, email: String) -> Result<FeedbackOutcome, ApiError> {
    use crate::backend::accessibility_feedback::{self, Refusal};
    let state = super::state()?;
    let request = super::request();
    let input = FeedbackInput { message, page, name, email };
    let problems = crate::domain::feedback::check(&input);
    let outcome = if !problems.is_empty() {
        FeedbackOutcome::Invalid { problems, input }
    } else {
        let now = state.clock.now();
        match accessibility_feedback::submit(&state, &input, request.language, &request.requester, now)
            .await
            .map_err(super::unavailable)?
        {
            Ok(_) => FeedbackOutcome::Received,
            Err(Refusal::TooMany) => FeedbackOutcome::TooMany { input },
        }
    };
    super::flash::remember(super::flash_form::FlashForm::AccessibilityFeedback, &outcome).await;
    Ok(outcome)
}

/// The feedback received, for staff.
#[server(endpoint = "feedback/list")]
pub async fn feedback_entries() -> Result<Vec<FeedbackEntry>, ApiError> {
    super::caller::staff().await?;
    let state = super::state()?;
    let list = crate::backend::accessibility_feedback::list(&state.db).await.map_err(super::unavailable)?;
    Ok(list
        .into_iter()
        .map(|f| FeedbackEntry { id: f.id, received_at: f.received_at, input: f.input, language: f.language, done_at: f.done_at })
        .collect())
}

/// "Als erledigt markieren" on a piece of feedback.
#[server(endpoint = "feedback/done")]
pub async fn mark_feedback_done(id: i64) -> Result<(), ApiError> {
    let staff = super::caller::staff().await?;
    let state = super::state()?;
    let now = state.clock.now();
    if crate::backend::accessibility_feedback::mark_done(&state.db, id, staff.account_id, now)
        .await
        .map_err(super::unavailable)?
    {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}
