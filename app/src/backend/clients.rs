//! Client records of a job centre ("Kundinnen und Kunden"): what the job centre holds
//! about a person. Every lookup is filtered by the job centre, so staff of one job
//! centre never reach another's clients. Owns the `clients` and `client_search_words`
//! tables.

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
    let key = search_key(new);
    let mut tx = db.begin().await?;
    let row = sqlx::query(
        "INSERT INTO clients (job_centre_id, customer_number, salutation, given_name, family_name, birth_date, street, postcode, city, mobile, created_at, search_key, search_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
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
    .bind(&key)
    .bind(SEARCH_VERSION)
    .fetch_one(&mut *tx)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db_error) if db_error.is_unique_violation() => CreateError::DuplicateCustomerNumber,
        _ => CreateError::Store(error.into()),
    })?;
    let id: ClientId = row.try_get("id").map_err(StoreError::from)?;
    index_words(&mut tx, job_centre_id, id, &key).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(id)
}

/// The version of [`search_key`] and the word index: raise it when
/// [`crate::domain::text::search_key`] changes, and the server recomputes every record's
/// search form and words at its next start.
pub const SEARCH_VERSION: i64 = 1;

/// The words of a search form, each once ("|" separates its two spellings).
fn words(key: &str) -> Vec<&str> {
    let mut words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty() && *w != "|").collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Replaces the indexed words of record `id` with those of `key`. Safe when two
/// instances do it at once (at start): an insert that finds its row does nothing.
async fn index_words(conn: &mut super::store::Conn, job_centre_id: JobCentreId, id: ClientId, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM client_search_words WHERE client_id = $1").bind(id).execute(&mut *conn).await?;
    for word in words(key) {
        sqlx::query("INSERT INTO client_search_words (job_centre_id, word, client_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(job_centre_id)
            .bind(word)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
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

/// Records of `job_centre_id` whose name or customer number contains `query` from the
/// beginning of a word — in any case and with or without accents ("öztürk" and "ozturk"
/// find "Öztürk", "strasse" finds "Straße", "mueller" and "Mül" find "Müller", "ller"
/// does not), on both databases alike — by family name; at most [`SEARCH_PAGE`]. An
/// empty query lists the first records (the desk's first view).
///
/// The cost follows the page and how common the query is, not the number of records: a
/// query whose first word begins at most [`SELECTIVE`] words reads just those records
/// through the word index; any other matches at least that many records, so walking the
/// records in name order ([`WALK_BATCH`] at a time through an index, checking each)
/// finds a page soon. The walk is done here rather than left to the database, whose
/// planner cannot know that a `LIKE` matches most rows (PostgreSQL sorted all of a
/// million records for "vorname").
pub async fn search(db: &Db, job_centre_id: JobCentreId, query: &str) -> Result<Vec<Client>, StoreError> {
    search_with(db, job_centre_id, query, SELECTIVE).await
}

/// [`search`] with another threshold between the two ways (`0`: always walk in name
/// order; `i64::MAX`: always the word index) — for tests, which check that both answer
/// alike.
pub async fn search_with(db: &Db, job_centre_id: JobCentreId, query: &str, selective: i64) -> Result<Vec<Client>, StoreError> {
    let folded = crate::domain::text::search_query(query);
    // The folded query holds only letters, digits and single spaces: nothing LIKE treats
    // specially. A leading space in front of the key makes "a word begins here" a LIKE.
    let first = folded.split(' ').next().filter(|w| !w.is_empty());
    match first {
        Some(word) if selective > 0 && begins_at_most(db, job_centre_id, word, selective).await? => {
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM clients WHERE id IN \
                   (SELECT client_id FROM client_search_words WHERE job_centre_id = $1 AND word >= $2 AND word < $3) \
                 AND (' ' || search_key) LIKE $4 ORDER BY family_name, given_name, id LIMIT {SEARCH_PAGE}"
            ))
            .bind(job_centre_id)
            .bind(word)
            .bind(after_prefix(word))
            .bind(format!("% {folded}%"))
            .fetch_all(db.pool())
            .await?;
            rows.iter().map(from_row).collect()
        }
        _ => walk_by_name(db, job_centre_id, &format!("% {folded}%")).await,
    }
}

/// Records one step of the walk in name order looks at, at most (the first step looks at
/// one page's worth: for an empty or very common query that is all it takes).
pub const WALK_BATCH: i64 = 2000;

/// The first [`SEARCH_PAGE`] records of `job_centre_id` in name order whose search form,
/// with a space in front, is `LIKE pattern`. Keyset pagination over the
/// `clients_by_name` index: each step takes the next window of records in name order (an
/// index range, whatever the table's size) and lets the database keep the matching ones;
/// a window's last record is where the next one starts.
async fn walk_by_name(db: &Db, job_centre_id: JobCentreId, pattern: &str) -> Result<Vec<Client>, StoreError> {
    let mut found: Vec<Client> = Vec::new();
    let mut after: Option<(String, String, ClientId)> = None;
    let mut window = SEARCH_PAGE;
    loop {
        let (range, end_range) = match after {
            None => ("job_centre_id = $1", "job_centre_id = $1"),
            Some(_) => (
                "job_centre_id = $1 AND (family_name, given_name, id) > ($3, $4, $5)",
                "job_centre_id = $1 AND (family_name, given_name, id) > ($2, $3, $4)",
            ),
        };
        let matches_sql = format!(
            "SELECT {COLUMNS} FROM (SELECT {COLUMNS}, search_key FROM clients WHERE {range} \
               ORDER BY family_name, given_name, id LIMIT {window}) AS step \
             WHERE (' ' || search_key) LIKE $2 ORDER BY family_name, given_name, id LIMIT {}",
            SEARCH_PAGE - found.len() as i64
        );
        let mut matches = sqlx::query(&matches_sql).bind(job_centre_id).bind(pattern);
        if let Some((family, given, id)) = &after {
            matches = matches.bind(family.clone()).bind(given.clone()).bind(*id);
        }
        for row in matches.fetch_all(db.pool()).await? {
            found.push(from_row(&row)?);
        }
        if found.len() as i64 >= SEARCH_PAGE {
            return Ok(found);
        }
        // Where this window ended (from the index alone); none: the records are exhausted.
        let end_sql = format!(
            "SELECT family_name, given_name, id FROM clients WHERE {end_range} \
             ORDER BY family_name, given_name, id LIMIT 1 OFFSET {}",
            window - 1
        );
        let mut end = sqlx::query(&end_sql).bind(job_centre_id);
        if let Some((family, given, id)) = &after {
            end = end.bind(family.clone()).bind(given.clone()).bind(*id);
        }
        match end.fetch_optional(db.pool()).await? {
            Some(row) => after = Some((row.try_get("family_name")?, row.try_get("given_name")?, row.try_get("id")?)),
            None => return Ok(found),
        }
        window = WALK_BATCH;
    }
}

/// Records per search answer.
pub const SEARCH_PAGE: i64 = 100;

/// Up to this many words beginning with the query's first word, the search reads their
/// records through the word index (and sorts them); beyond, it walks the records in name
/// order, where at least one in `records / SELECTIVE` matches. Reading and sorting the
/// matches costs about as much per record as walking past one, so the threshold is near
/// the square root of a page times the records: 5,000 suits job centres up to a million
/// records (bench/results/scale.md).
pub const SELECTIVE: i64 = 5_000;

/// The smallest string above every string that begins with `prefix` (byte order, as the
/// word column compares): `prefix` followed by the highest code point.
fn after_prefix(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

/// Whether at most `limit` indexed words of `job_centre_id` begin with `prefix` (counts
/// no further than `limit + 1`).
async fn begins_at_most(db: &Db, job_centre_id: JobCentreId, prefix: &str, limit: i64) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM client_search_words \
           WHERE job_centre_id = $1 AND word >= $2 AND word < $3 LIMIT $4) AS hits",
    )
    .bind(job_centre_id)
    .bind(prefix)
    .bind(after_prefix(prefix))
    .bind(limit.saturating_add(1))
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get::<i64, _>("n")? <= limit)
}

/// Computes the search form and words of records stored before them (or under an older
/// [`SEARCH_VERSION`]), 500 records per transaction; run at start-up. Returns how many
/// were updated. Safe with several instances starting at once.
pub async fn refresh_search_keys(db: &Db) -> Result<u64, StoreError> {
    let mut updated = 0;
    loop {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM clients WHERE search_version < $1 ORDER BY id LIMIT 500"))
            .bind(SEARCH_VERSION)
            .fetch_all(db.pool())
            .await?;
        if rows.is_empty() {
            return Ok(updated);
        }
        let mut tx = db.begin().await?;
        for row in &rows {
            let client = from_row(row)?;
            let key = search_key(&client.record);
            sqlx::query("UPDATE clients SET search_key = $1, search_version = $2 WHERE id = $3")
                .bind(&key)
                .bind(SEARCH_VERSION)
                .bind(client.id)
                .execute(&mut *tx)
                .await?;
            index_words(&mut tx, client.job_centre_id, client.id, &key).await?;
            updated += 1;
        }
        tx.commit().await?;
    }
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Client, StoreError> {
    Ok(Client {
        id: row.try_get("id")?,
        job_centre_id: row.try_get("job_centre_id")?,
        record: crate::from_columns!(row, ClientRecord { customer_number, salutation, given_name, family_name, birth_date, street, postcode, city, mobile }),
    })
}
