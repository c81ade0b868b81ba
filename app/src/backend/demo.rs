//! Demo data for a fresh database, so a first run shows a working portal.
//! Everything created here is clearly fictional ("Musterstadt").

use crate::domain::ids::JobCentreId;
use crate::domain::{client_record::ClientRecord, job_centre::JobCentreContact};

use super::{
    clients,
    job_centres,
    passwords, staff,
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
        /// The demo staff account's e-mail address.
        staff_email: String,
        /// Its password (demo only).
        staff_password: String,
    },
}

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The staff account could not be made.
    #[error(transparent)]
    Staff(#[from] staff::NewStaffError),
    /// Hashing failed.
    #[error(transparent)]
    Hash(#[from] passwords::HashError),
    /// A demo client record exists already.
    #[error("demo client {0} exists")]
    DuplicateClient(String),
}

/// The demo staff account.
pub const DEMO_STAFF_EMAIL: &str = "sachbearbeitung@musterstadt.example.org";
/// Its password (the demo seed is refused in production).
pub const DEMO_STAFF_PASSWORD: &str = "Demo#Jobcenter2026";

/// Name of the demo job centre.
pub const DEMO_JOB_CENTRE: &str = "Jobcenter Musterstadt";

/// Seeds demo data if (and only if) the database holds no job centre yet.
pub async fn seed_if_empty(db: &Db, now: i64) -> Result<SeedOutcome, SeedError> {
    if job_centres::count(db).await? > 0 {
        return Ok(SeedOutcome::AlreadyPopulated);
    }
    let centre = JobCentreContact {
        name: DEMO_JOB_CENTRE.to_owned(),
        street: "Musterstraße 1".to_owned(),
        postcode: "12345".to_owned(),
        city: "Musterstadt".to_owned(),
        phone: "0800 4 5555 00".to_owned(),
        email: "jobcenter-musterstadt@example.org".to_owned(),
    };
    if let Err(error) = job_centres::create(db, &centre, now).await {
        // Several instances started at once on one new database: the name is unique, so
        // exactly one of them seeds; the others find its job centre and go on.
        return match job_centres::find_by_name(db, DEMO_JOB_CENTRE).await? {
            Some(_) => Ok(SeedOutcome::AlreadyPopulated),
            None => Err(error.into()),
        };
    }
    // Off the async threads, like every Argon2 hash.
    let hash = tokio::task::spawn_blocking(|| passwords::hash_blocking(DEMO_STAFF_PASSWORD.as_bytes()))
        .await
        .map_err(|error| passwords::HashError::Task(error.to_string()))??;
    staff::create_account(db, DEMO_JOB_CENTRE, DEMO_STAFF_EMAIL, "Sachbearbeitung (Demo)", Some(hash), now).await?;
    let centre = job_centres::find_by_name(db, DEMO_JOB_CENTRE).await?.map(|c| c.id).unwrap_or(JobCentreId(0));
    for (number, salutation, given, family, born, street, mobile) in [
        ("123D456789", "frau", "Erika", "Mustermann", "1984-08-12", "Heidestraße 17", Some("+4915112345678")),
        ("987D654321", "herr", "Max", "Mustermann", "1979-03-02", "Am Markt 3", None),
    ] {
        let client = ClientRecord {
            customer_number: number.to_owned(),
            salutation: salutation.to_owned(),
            given_name: given.to_owned(),
            family_name: family.to_owned(),
            birth_date: born.to_owned(),
            street: street.to_owned(),
            postcode: "12345".to_owned(),
            city: "Musterstadt".to_owned(),
            mobile: mobile.map(str::to_owned),
        };
        clients::create(db, centre, &client, now).await.map_err(|error| match error {
            clients::CreateError::Store(error) => SeedError::Store(error),
            clients::CreateError::DuplicateCustomerNumber => SeedError::DuplicateClient(number.to_owned()),
        })?;
    }
    Ok(SeedOutcome::Seeded {
        job_centre: DEMO_JOB_CENTRE.to_owned(),
        staff_email: DEMO_STAFF_EMAIL.to_owned(),
        staff_password: DEMO_STAFF_PASSWORD.to_owned(),
    })
}
