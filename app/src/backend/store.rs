//! The database: one pool for SQLite (default, embedded) or PostgreSQL, chosen by
//! the URL scheme, and the migrations for both dialects.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    any::{install_default_drivers, AnyConnectOptions, AnyPoolOptions},
    Connection,
    AnyPool, Executor,
};

/// Which SQL dialect the pool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite (file under `data/` by default).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Failures of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names neither `sqlite:` nor `postgres:`.
    #[error("unsupported DATABASE_URL scheme (use sqlite:// or postgres://)")]
    UnsupportedUrl,
    /// The directory for the SQLite file could not be created.
    #[error("cannot create the database directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A query or connection failed.
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    /// Applying migrations failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The request's session could not be looked up (the database did not answer), so
    /// who is calling is unknown — not "signed out".
    #[error("the session could not be looked up")]
    SessionUnknown,
    /// A received upload could not be read back from its temporary file.
    #[error("reading a received file failed: {0}")]
    TempFile(#[from] std::io::Error),
}

/// One connection (inside or outside a transaction). Store functions that a service
/// calls as part of a larger change take `&mut Conn`, and the service passes its open
/// transaction (`&mut tx`), so the change, its audit entry and its outbox mail commit
/// together or not at all.
pub type Conn = sqlx::AnyConnection;

/// An open transaction.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A connection pool plus the dialect it speaks. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    dialect: Dialect,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Connects to `url`. For SQLite the file (and its directory) is created if
    /// missing; every connection runs with WAL, foreign keys, a busy timeout and
    /// `secure_delete` (deleted or overwritten content — a delivered mail's link — is
    /// zeroed in the file, not left in free pages).
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        install_default_drivers();
        let dialect = dialect_of(url)?;
        let url = match dialect {
            Dialect::Sqlite => prepare_sqlite_url(url)?,
            Dialect::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match dialect {
                Dialect::Sqlite => 8,
                Dialect::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; \
                             PRAGMA secure_delete = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .after_release(move |conn, _meta| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        // sqlx rolls a dropped transaction back in the connection's
                        // worker thread; wait for it before looking.
                        conn.ping().await?;
                    }
                    Ok(still_usable_after_release(conn))
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, dialect })
    }

    /// Applies all pending migrations of this dialect.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.dialect {
            Dialect::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Dialect::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Begins a transaction (READ COMMITTED on PostgreSQL, deferred on SQLite: the
    /// first write takes the write lock, so a use case that must not run twice at once
    /// starts with a write to the row it changes).
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// Checks that the database answers (readiness probe).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The pool, for the services' queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The dialect, for the few statements that differ.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Closes all connections (on shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Values per `IN (…)` list: lists of ids longer than this are sent in slices
/// (PostgreSQL takes at most 65,535 parameters per statement).
pub const IN_LIST_MAX: usize = 1000;

/// The rows of `select`, whose `{in}` stands for an `IN (…)` list of `values`, in slices
/// of [`IN_LIST_MAX`] (one statement per slice; no rows without values).
pub async fn fetch_in<T>(db: &Db, select: &str, values: &[T]) -> Result<Vec<sqlx::any::AnyRow>, StoreError>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Copy + Send + 'static,
{
    let mut rows = Vec::new();
    for slice in values.chunks(IN_LIST_MAX) {
        let sql = select.replace("{in}", &placeholders(1, slice.len()));
        let mut query = sqlx::query(&sql);
        for value in slice {
            query = query.bind(*value);
        }
        rows.extend(query.fetch_all(db.pool()).await?);
    }
    Ok(rows)
}

/// `$first, $first+1, …` for `count` values (an `IN (…)` list of bound parameters).
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

fn dialect_of(url: &str) -> Result<Dialect, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Dialect::Sqlite)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Dialect::Postgres)
    } else {
        Err(StoreError::UnsupportedUrl)
    }
}

/// Makes sure the SQLite file's directory exists and the file is created on first use.
/// Whether a connection handed back to the pool may serve the next caller: not if it
/// is still inside a transaction. That happens on SQLite after `SQLITE_FULL` or
/// `SQLITE_IOERR`: SQLite rolls the whole transaction back by itself, sqlx's own
/// `ROLLBACK` then fails ("no transaction is active"), and sqlx keeps counting one open
/// transaction. The connection's next `begin` would issue a `SAVEPOINT` instead of
/// `BEGIN`, and a rollback to that savepoint leaves a transaction open that holds the
/// database's write lock until the process ends ("database is locked" for every writer,
/// seen in the disk-full drill of `bench/faults.sh`). Such a connection is closed, which
/// ends whatever SQLite still has open, and the pool opens a fresh one.
fn still_usable_after_release(conn: &Conn) -> bool {
    let usable = !conn.is_in_transaction();
    if !usable {
        tracing::warn!("a connection came back inside a transaction (a failed rollback); it is closed, not reused");
    }
    usable
}

fn prepare_sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" {
        if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
    }
    let query = if query.split('&').any(|p| p.starts_with("mode=")) {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Builds `Type { field, … }` from a row whose columns are named like the fields:
/// `from_columns!(row, JobCentreContact { name, street })` reads `row.try_get("name")?`
/// and `row.try_get("street")?`; fields after a `;` are given as `field: expression`.
/// Use it inside a function returning `Result<_, StoreError>`.
#[macro_export]
macro_rules! from_columns {
    ($row:expr, $type:ident { $($field:ident),* $(,)? $(; $($other:ident : $value:expr),* $(,)?)? }) => {
        $type { $($field: <::sqlx::any::AnyRow as ::sqlx::Row>::try_get(&$row, stringify!($field))?,)* $($($other: $value,)*)? }
    };
}

/// The ids of `domain::ids` as integers in the store (`sqlx`'s `Any` driver: SQLite and
/// PostgreSQL `BIGINT`).
mod ids {
    use sqlx::{
        any::{Any, AnyTypeInfo},
        decode::Decode,
        encode::{Encode, IsNull},
        error::BoxDynError,
        Database, Type,
    };

    use crate::domain::ids::*;

    macro_rules! as_integer {
        ($($name:ident),*) => {$(
            impl Type<Any> for $name {
                fn type_info() -> AnyTypeInfo {
                    <i64 as Type<Any>>::type_info()
                }
                fn compatible(ty: &AnyTypeInfo) -> bool {
                    <i64 as Type<Any>>::compatible(ty)
                }
            }

            impl<'q> Encode<'q, Any> for $name {
                fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
                    <i64 as Encode<'q, Any>>::encode_by_ref(&self.0, buf)
                }
            }

            impl<'r> Decode<'r, Any> for $name {
                fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                    <i64 as Decode<'r, Any>>::decode(value).map($name)
                }
            }
        )*};
    }

    as_integer!(AccountId, ClientId, ProfileId, JobCentreId, AppointmentId, PostboxItemId);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_follows_scheme() {
        assert_eq!(dialect_of("sqlite://data/x.db").ok(), Some(Dialect::Sqlite));
        assert_eq!(dialect_of("postgres://u@h/db").ok(), Some(Dialect::Postgres));
        assert_eq!(dialect_of("postgresql://u@h/db").ok(), Some(Dialect::Postgres));
        assert!(dialect_of("mysql://x").is_err());
    }

    #[test]
    fn sqlite_url_gets_create_mode() {
        let dir = std::env::temp_dir().join(format!("portal-store-{}", std::process::id()));
        let url = format!("sqlite://{}/a.db", dir.display());
        let prepared = prepare_sqlite_url(&url).expect("prepare");
        assert!(prepared.ends_with("a.db?mode=rwc"), "{prepared}");
        assert!(dir.is_dir());
        let kept = prepare_sqlite_url(&format!("{url}?mode=ro")).expect("prepare");
        assert!(kept.ends_with("?mode=ro"), "{kept}");
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A transaction that SQLite ended by itself (as it does after `SQLITE_FULL`) must not
    /// leave its connection in the pool believing it is still inside one: the next
    /// transaction on it would hold the write lock forever. Reproduced with a `ROLLBACK`
    /// behind sqlx's back, on a pool whose connections are few enough to be reused.
    #[tokio::test]
    async fn a_transaction_sqlite_ended_by_itself_does_not_keep_the_write_lock() {
        let dir = std::env::temp_dir().join(format!("portal-store-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Db::connect(&format!("sqlite://{}", dir.join("t.db").display())).await.expect("connect");
        sqlx::query("CREATE TABLE t (v INTEGER)").execute(db.pool()).await.expect("create");
        for _ in 0..10 {
            let mut tx = db.begin().await.expect("begin");
            sqlx::query("INSERT INTO t VALUES (1)").execute(&mut *tx).await.expect("insert");
            // What SQLite does after SQLITE_FULL: the transaction is gone.
            sqlx::query("ROLLBACK").execute(&mut *tx).await.expect("rollback behind sqlx's back");
            drop(tx);
            // The next transaction on (possibly) the same connection, rolled back.
            let mut tx = db.begin().await.expect("begin again");
            sqlx::query("INSERT INTO t VALUES (2)").execute(&mut *tx).await.expect("insert again");
            drop(tx);
        }
        // Every other connection can still write at once.
        let started = std::time::Instant::now();
        let mut writers = Vec::new();
        for _ in 0..8 {
            let db = db.clone();
            writers.push(tokio::spawn(async move { sqlx::query("INSERT INTO t VALUES (3)").execute(db.pool()).await.map(|_| ()) }));
        }
        for writer in writers {
            writer.await.expect("join").expect("a write after the broken transactions");
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "writers waited {:?}", started.elapsed());
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(db.pool()).await.expect("count");
        assert_eq!(kept, 8, "only the eight plain writes are kept");
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
