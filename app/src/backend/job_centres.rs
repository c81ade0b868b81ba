//! Job centres: the offices that issue activation codes and serve citizens.
//! Owns the `job_centres` table.

use crate::domain::ids::JobCentreId;
use sqlx::Row;

use crate::domain::{job_centre::JobCentreContact, text::single_line};

use super::store::{Db, StoreError};

/// A job centre as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobCentre {
    /// Database id.
    pub id: JobCentreId,
    /// Name, address and public contact.
    pub contact: JobCentreContact,
}

/// All job centres, ordered by name.
pub async fn list(db: &Db) -> Result<Vec<JobCentre>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, street, postcode, city, phone, email FROM job_centres ORDER BY name",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The job centre `id`.
pub async fn find_by_id(db: &Db, id: JobCentreId) -> Result<Option<JobCentre>, StoreError> {
    let row = sqlx::query("SELECT id, name, street, postcode, city, phone, email FROM job_centres WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| from_row(&row)).transpose()
}

/// The job centre called `name`.
pub async fn find_by_name(db: &Db, name: &str) -> Result<Option<JobCentre>, StoreError> {
    let row = sqlx::query("SELECT id, name, street, postcode, city, phone, email FROM job_centres WHERE name = $1")
        .bind(name)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| from_row(&row)).transpose()
}

/// Creates a job centre and returns its id.
pub async fn create(db: &Db, new: &JobCentreContact, now: i64) -> Result<JobCentreId, StoreError> {
    let row = sqlx::query(
        "INSERT INTO job_centres (name, street, postcode, city, phone, email, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(single_line(&new.name))
    .bind(single_line(&new.street))
    .bind(single_line(&new.postcode))
    .bind(single_line(&new.city))
    .bind(single_line(&new.phone))
    .bind(single_line(&new.email))
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("id")?)
}

/// Number of job centres (0 means the database is new).
pub async fn count(db: &Db) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM job_centres")
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get("n")?)
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<JobCentre, StoreError> {
    Ok(JobCentre {
        id: row.try_get("id")?,
        contact: crate::from_columns!(row, JobCentreContact { name, street, postcode, city, phone, email }),
    })
}
