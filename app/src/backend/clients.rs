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
/// empty query lists the first records (the desk's first view). Only the first
/// [`MAX_QUERY_CHARS`] characters of the folded query count.
///
/// The cost follows the page and how common the query is, not the number of records.
/// Every word of the query but the last must be a whole word of the record, the last
/// may be a beginning; the rarest of them (counted in the word index, up to
/// [`SELECTIVE`]) gives the candidates, which are read and sorted. Only when every word
/// is that common does the search walk the records in name order instead
/// ([`WALK_BATCH`] at a time through an index, the database checking each) — then
/// matches are dense and a page comes soon; the walk stops after [`WALK_MAX`] records
/// in any case. The walk is done here rather than left to the database, whose planner
/// cannot know that a `LIKE` matches most rows (PostgreSQL sorted all of a million
/// records for "vorname").
pub async fn search(db: &Db, job_centre_id: JobCentreId, query: &str) -> Result<Vec<Client>, StoreError> {
    search_with(db, job_centre_id, query, SELECTIVE).await
}

/// [`search`] with another threshold between the two ways (`0`: always walk in name
/// order; `i64::MAX`: always the word index) — for tests, which check that both answer
/// alike.
pub async fn search_with(db: &Db, job_centre_id: JobCentreId, query: &str, selective: i64) -> Result<Vec<Client>, StoreError> {
    let mut folded: String = crate::domain::text::search_query(query).chars().take(MAX_QUERY_CHARS).collect();
    folded.truncate(folded.trim_end().len());
    // The folded query holds only letters, digits and single spaces: nothing LIKE treats
    // specially. A leading space in front of the key makes "a word begins here" a LIKE.
    let pattern = format!("% {folded}%");
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if selective > 0 {
        let mut rarest: Option<(i64, Term<'_>)> = None;
        for (i, word) in words.iter().enumerate() {
            let term = if i + 1 == words.len() { Term::Beginning(word) } else { Term::Whole(word) };
            let count = count_up_to(db, job_centre_id, term, selective).await?;
            if rarest.as_ref().is_none_or(|(least, _)| count < *least) {
                rarest = Some((count, term));
            }
        }
        if let Some((count, term)) = rarest.filter(|(count, _)| *count <= selective) {
            if count == 0 {
                return Ok(Vec::new());
            }
            let (condition, low, high) = term.range();
            // `+job_centre_id`: the check stays, but SQLite must not take it as a reason
            // to read the job centre's records in name order (`clients_by_name`, all of
            // them at a million records: 36 ms) instead of the few the word index names
            // (SQLite's documented way to disqualify a term from index use; PostgreSQL
            // reads it as the same number).
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM clients WHERE +job_centre_id = $1 AND id IN \
                   (SELECT client_id FROM client_search_words WHERE job_centre_id = $1 AND {condition}) \
                 AND (' ' || search_key) LIKE $4 ORDER BY family_name, given_name, id LIMIT {SEARCH_PAGE}"
            ))
            .bind(job_centre_id)
            .bind(low)
            .bind(high)
            .bind(&pattern)
            .fetch_all(db.pool())
            .await?;
            return rows.iter().map(from_row).collect();
        }
    }
    walk_by_name(db, job_centre_id, &pattern).await
}

/// The longest query that counts (characters, folded).
pub const MAX_QUERY_CHARS: usize = 100;

/// A word of the query as the word index sees it.
#[derive(Debug, Clone, Copy)]
enum Term<'a> {
    /// A word followed by more of the query: the record has this whole word.
    Whole(&'a str),
    /// The query's last word: the record has a word beginning with it.
    Beginning(&'a str),
}

impl<'a> Term<'a> {
    /// The condition on `word` with `$2` and `$3` (a range for a beginning; equality,
    /// written as the same range form, for a whole word), and the two values.
    fn range(self) -> (&'static str, String, String) {
        match self {
            Term::Whole(word) => ("word >= $2 AND word <= $3", word.to_owned(), word.to_owned()),
            Term::Beginning(word) => ("word >= $2 AND word < $3", word.to_owned(), after_prefix(word)),
        }
    }
}

/// How many indexed words of `job_centre_id` match `term`, counting no further than
/// `limit + 1`.
async fn count_up_to(db: &Db, job_centre_id: JobCentreId, term: Term<'_>, limit: i64) -> Result<i64, StoreError> {
    let (condition, low, high) = term.range();
    let row = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM client_search_words \
           WHERE job_centre_id = $1 AND {condition} LIMIT $4) AS hits"
    ))
    .bind(job_centre_id)
    .bind(low)
    .bind(high)
    .bind(limit.saturating_add(1))
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get::<i64, _>("n")?)
}

/// Records one step of the walk in name order looks at, at most (the first step looks at
/// one page's worth: for an empty or very common query that is all it takes).
pub const WALK_BATCH: i64 = 2000;

/// Records the walk looks at in all, at most: reached only by a query whose every word is
/// common while the records having all of them are rare.
pub const WALK_MAX: i64 = 100_000;

/// The first [`SEARCH_PAGE`] records of `job_centre_id` in name order whose search form,
/// with a space in front, is `LIKE pattern`. Keyset pagination over the
/// `clients_by_name` index: each step first finds where its window of records in name
/// order ends (from the index alone), then lets the database keep the matching records
/// between the previous end and this one — explicit key ranges, so a record added
/// meanwhile is never returned twice.
async fn walk_by_name(db: &Db, job_centre_id: JobCentreId, pattern: &str) -> Result<Vec<Client>, StoreError> {
    let mut found: Vec<Client> = Vec::new();
    let mut after: Option<(String, String, ClientId)> = None;
    let mut window = SEARCH_PAGE;
    let mut walked = 0;
    loop {
        let from = if after.is_some() { "AND (family_name, given_name, id) > ($2, $3, $4)" } else { "" };
        let end_sql = format!(
            "SELECT family_name, given_name, id FROM clients WHERE job_centre_id = $1 {from} \
             ORDER BY family_name, given_name, id LIMIT 1 OFFSET {}",
            window - 1
        );
        let mut end = sqlx::query(&end_sql).bind(job_centre_id);
        if let Some((family, given, id)) = &after {
            end = end.bind(family.clone()).bind(given.clone()).bind(*id);
        }
        let until: Option<(String, String, ClientId)> = match end.fetch_optional(db.pool()).await? {
            Some(row) => Some((row.try_get("family_name")?, row.try_get("given_name")?, row.try_get("id")?)),
            None => None,
        };
        let from = if after.is_some() { "AND (family_name, given_name, id) > ($3, $4, $5)" } else { "" };
        let to = match (&after, &until) {
            (_, None) => "",
            (Some(_), Some(_)) => "AND (family_name, given_name, id) <= ($6, $7, $8)",
            (None, Some(_)) => "AND (family_name, given_name, id) <= ($3, $4, $5)",
        };
        let matches_sql = format!(
            "SELECT {COLUMNS} FROM clients WHERE job_centre_id = $1 {from} {to} AND (' ' || search_key) LIKE $2 \
             ORDER BY family_name, given_name, id LIMIT {}",
            SEARCH_PAGE - found.len() as i64
        );
        let mut matches = sqlx::query(&matches_sql).bind(job_centre_id).bind(pattern);
        for (family, given, id) in after.iter().chain(until.iter()) {
            matches = matches.bind(family.clone()).bind(given.clone()).bind(*id);
        }
        for row in matches.fetch_all(db.pool()).await? {
            found.push(from_row(&row)?);
        }
        walked += window;
        match until {
            Some(end) if (found.len() as i64) < SEARCH_PAGE && walked < WALK_MAX => after = Some(end),
            _ => return Ok(found),
        }
        window = WALK_BATCH;
    }
}

/// Records per search answer.
pub const SEARCH_PAGE: i64 = 100;

/// Up to this many words matching the query's rarest word, the search reads their
/// records through the word index (and sorts them); beyond, it walks the records in name
/// order. Reading and sorting a matching record costs about as much as walking past a
/// few, and dense matches give a page soon: 5,000 keeps both ways within a few
/// milliseconds up to a million records of one job centre (bench/results/scale.md).
pub const SELECTIVE: i64 = 5_000;

/// The smallest string above every string that begins with `prefix` (byte order, as the
/// word column compares): `prefix` followed by the highest code point.
fn after_prefix(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
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
