//! Demo data for a fresh database, so a first run shows a working portal.
//! Everything created here is clearly fictional ("Musterstadt").

use super::{
    job_centres::{self, NewJobCentre},
    store::{Db, StoreError},
};

/// What the seed did, for the operator's console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The database already had data; nothing was changed.
    AlreadyPopulated,
    /// Demo data was created.
    Seeded {
        /// Name of the demo job centre.
        job_centre: String,
    },
}

/// Name of the demo job centre.
pub const DEMO_JOB_CENTRE: &str = "Jobcenter Musterstadt";

/// Seeds demo data if (and only if) the database holds no job centre yet.
pub async fn seed_if_empty(db: &Db, now: i64) -> Result<SeedOutcome, StoreError> {
    if job_centres::count(db).await? > 0 {
        return Ok(SeedOutcome::AlreadyPopulated);
    }
    job_centres::create(
        db,
        &NewJobCentre {
            name: DEMO_JOB_CENTRE.to_owned(),
            street: "Musterstraße 1".to_owned(),
            postcode: "12345".to_owned(),
            city: "Musterstadt".to_owned(),
            phone: "0800 4 5555 00".to_owned(),
            email: "jobcenter-musterstadt@example.org".to_owned(),
        },
        now,
    )
    .await?;
    Ok(SeedOutcome::Seeded {
        job_centre: DEMO_JOB_CENTRE.to_owned(),
    })
}
