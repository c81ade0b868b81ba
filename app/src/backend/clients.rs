//! Client records of a job centre ("Kundinnen und Kunden"): what the job centre holds
//! about a person. Every lookup is filtered by the job centre, so staff of one job
//! centre never reach another's clients. Owns the `clients` table.

use crate::domain::ids::{ClientId, JobCentreId};
use sqlx::Row;

use super::store::{Db, StoreError};
use crate::domain::client_record::ClientRecord;

/// A stored client record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// Database id.
    pub id: ClientId,
    /// The job centre the record belongs to.
    pub job_centre_id: JobCentreId,
    /// The data.
    pub record: ClientRecord,
}

/// Why a record could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// The customer number is taken in this job centre.
    #[error("customer number exists")]
    DuplicateCustomerNumber,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

const COLUMNS: &str =
    "id, job_centre_id, customer_number, salutation, given_name, family_name, birth_date, street, postcode, city, mobile";

/// Creates a record in `job_centre_id` and returns its id.
pub async fn create(db: &Db, job_centre_id: JobCentreId, new: &ClientRecord, now: i64) -> Result<ClientId, CreateError> {
    let exists = sqlx::query("SELECT id FROM clients WHERE job_centre_id = $1 AND customer_number = $2")
        .bind(job_centre_id)
        .bind(&new.customer_number)
        .fetch_optional(db.pool())
        .await
        .map_err(StoreError::from)?;
    if exists.is_some() {
        return Err(CreateError::DuplicateCustomerNumber);
    }
    let row = sqlx::query(
        "INSERT INTO clients (job_centre_id, customer_number, salutation, given_name, family_name, birth_date, street, postcode, city, mobile, created_at, search_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(job_centre_id)
    .bind(&new.customer_number)
    .bind(&new.salutation)
    .bind(&new.given_name)
    .bind(&new.family_name)
    .bind(&new.birth_date)
    .bind(&new.street)
    .bind(&new.postcode)
    .bind(&new.city)
    .bind(&new.mobile)
    .bind(now)
    .bind(search_key(new))
    .fetch_one(db.pool())
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db_error) if db_error.is_unique_violation() => CreateError::DuplicateCustomerNumber,
        _ => CreateError::Store(error.into()),
    })?;
    Ok(row.try_get("id").map_err(StoreError::from)?)
}

/// The record `id` if it belongs to `job_centre_id`.
pub async fn find(db: &Db, job_centre_id: JobCentreId, id: ClientId) -> Result<Option<Client>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM clients WHERE id = $1 AND job_centre_id = $2"))
        .bind(id)
        .bind(job_centre_id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| from_row(&row)).transpose()
}

/// The record `id` regardless of job centre (for the citizen's own profile).
pub async fn find_by_id(db: &Db, id: ClientId) -> Result<Option<Client>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM clients WHERE id = $1")).bind(id).fetch_optional(db.pool()).await?;
    row.map(|row| from_row(&row)).transpose()
}

/// The stored search form of a record: given and family name and customer number,
/// case- and accent-insensitive ([`crate::domain::text::search_key`]).
fn search_key(record: &ClientRecord) -> String {
    crate::domain::text::search_key(&format!("{} {} {}", record.given_name, record.family_name, record.customer_number))
}

/// Records of `job_centre_id` whose name or customer number contains `query` — in any
/// case and with or without accents ("öztürk" and "ozturk" find "Öztürk", "strasse"
/// finds "Straße", "mueller" finds "Müller"), on both databases alike — by family name;
/// at most 100.
pub async fn search(db: &Db, job_centre_id: JobCentreId, query: &str) -> Result<Vec<Client>, StoreError> {
    // An empty query lists every record (the desk's first view).
    let folded = crate::domain::text::search_query(query);
    // The folded query holds only letters, digits and single spaces: nothing LIKE treats
    // specially.
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM clients WHERE job_centre_id = $1 AND search_key LIKE $2 \
         ORDER BY family_name, given_name, id LIMIT 100"
    ))
    .bind(job_centre_id)
    .bind(format!("%{folded}%"))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Computes the search form of records stored before it existed (or under an older
/// folding); run at start-up. Returns how many were updated.
pub async fn refresh_search_keys(db: &Db) -> Result<u64, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS}, search_key FROM clients")).fetch_all(db.pool()).await?;
    let mut updated = 0;
    for row in &rows {
        let client = from_row(row)?;
        let stored: String = row.try_get("search_key")?;
        let key = search_key(&client.record);
        if stored != key {
            updated += sqlx::query("UPDATE clients SET search_key = $1 WHERE id = $2")
                .bind(&key)
                .bind(client.id)
                .execute(db.pool())
                .await?
                .rows_affected();
        }
    }
    Ok(updated)
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Client, StoreError> {
    Ok(Client {
        id: row.try_get("id")?,
        job_centre_id: row.try_get("job_centre_id")?,
        record: crate::from_columns!(row, ClientRecord { customer_number, salutation, given_name, family_name, birth_date, street, postcode, city, mobile }),
    })
}
