//! Files (documents, evidence) kept in the database in 256 KiB chunks: written while
//! the upload arrives and read back chunk by chunk, so neither needs the whole file in
//! memory, and a database backup holds everything (see the README). The type is
//! recognised by content; every file gets its SHA-256. Owns `files` and `file_chunks`.

use crate::domain::ids::JobCentreId;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use sqlx::{Any, Row};

use super::store::{Db, StoreError};
use crate::domain::upload::{safe_filename, FileProblem, FileType, MAX_FILE_BYTES, SNIFF_BYTES};

/// Bytes per stored chunk.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// A stored file's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMeta {
    /// Id.
    pub id: i64,
    /// Safe name with the real type's extension.
    pub filename: String,
    /// MIME type (from the content).
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// Why an upload failed.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The file is not acceptable.
    #[error("file refused: {0:?}")]
    Refused(FileProblem),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for UploadError {
    fn from(e: sqlx::Error) -> Self {
        UploadError::Store(e.into())
    }
}

/// A file being written inside the caller's transaction (nothing is kept if the
/// transaction is not committed).
pub struct FileWriter {
    id: i64,
    name: String,
    pdf_only: bool,
    seq: i64,
    buffer: Vec<u8>,
    size: u64,
    hasher: Sha256,
    file_type: Option<FileType>,
}

impl FileWriter {
    /// Starts a file named `name` (as the browser sent it) for `job_centre_id`.
    pub async fn begin(
        tx: &mut sqlx::Transaction<'_, Any>,
        job_centre_id: JobCentreId,
        name: &str,
        pdf_only: bool,
        now: i64,
    ) -> Result<FileWriter, UploadError> {
        let row = sqlx::query(
            "INSERT INTO files (job_centre_id, filename, content_type, size, sha256, created_at) \
             VALUES ($1, '', '', 0, '', $2) RETURNING id",
        )
        .bind(job_centre_id)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        Ok(FileWriter {
            id: row.try_get("id")?,
            name: name.to_owned(),
            pdf_only,
            seq: 0,
            buffer: Vec::with_capacity(CHUNK_BYTES),
            size: 0,
            hasher: Sha256::new(),
            file_type: None,
        })
    }

    /// Appends bytes; refuses as soon as the type or size is wrong.
    pub async fn write(&mut self, tx: &mut sqlx::Transaction<'_, Any>, mut bytes: &[u8]) -> Result<(), UploadError> {
        self.size += bytes.len() as u64;
        if self.size > MAX_FILE_BYTES {
            return Err(UploadError::Refused(FileProblem::TooLarge));
        }
        self.hasher.update(bytes);
        while !bytes.is_empty() {
            let room = CHUNK_BYTES - self.buffer.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.buffer.extend_from_slice(now);
            bytes = later;
            if self.file_type.is_none() && (self.buffer.len() >= SNIFF_BYTES || self.seq > 0) {
                self.check_type()?;
            }
            if self.buffer.len() == CHUNK_BYTES {
                self.flush(tx).await?;
            }
        }
        Ok(())
    }

    fn check_type(&mut self) -> Result<FileType, UploadError> {
        let file_type = FileType::detect(&self.buffer).ok_or(UploadError::Refused(FileProblem::Type))?;
        if self.pdf_only && file_type != FileType::Pdf {
            return Err(UploadError::Refused(FileProblem::PdfOnly));
        }
        self.file_type = Some(file_type);
        Ok(file_type)
    }

    async fn flush(&mut self, tx: &mut sqlx::Transaction<'_, Any>) -> Result<(), UploadError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        sqlx::query("INSERT INTO file_chunks (file_id, seq, data) VALUES ($1, $2, $3)")
            .bind(self.id)
            .bind(self.seq)
            .bind(&self.buffer)
            .execute(&mut **tx)
            .await?;
        self.seq += 1;
        self.buffer.clear();
        Ok(())
    }

    /// Writes the rest and the file's facts.
    pub async fn finish(mut self, tx: &mut sqlx::Transaction<'_, Any>) -> Result<FileMeta, UploadError> {
        if self.size == 0 {
            return Err(UploadError::Refused(FileProblem::Empty));
        }
        let file_type = match self.file_type {
            Some(t) => t,
            None => self.check_type()?,
        };
        self.flush(tx).await?;
        let sha256: String = self.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let meta = FileMeta {
            id: self.id,
            filename: safe_filename(&self.name, file_type),
            content_type: file_type.mime().to_owned(),
            size: self.size as i64,
            sha256,
        };
        sqlx::query("UPDATE files SET filename = $1, content_type = $2, size = $3, sha256 = $4 WHERE id = $5")
            .bind(&meta.filename)
            .bind(&meta.content_type)
            .bind(meta.size)
            .bind(&meta.sha256)
            .bind(meta.id)
            .execute(&mut **tx)
            .await?;
        Ok(meta)
    }
}

/// A file's facts.
pub async fn meta(db: &Db, id: i64) -> Result<Option<FileMeta>, StoreError> {
    let row = sqlx::query("SELECT id, filename, content_type, size, sha256 FROM files WHERE id = $1 AND sha256 <> ''")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| {
        Ok(crate::from_columns!(row, FileMeta { id, filename, content_type, size, sha256 }))
    })
    .transpose()
}

/// The facts of the files `ids` that are complete, by id: one query for a whole page
/// (a postbox page of 20 items asks once, not 20 times).
pub async fn metas(db: &Db, ids: &[i64]) -> Result<std::collections::HashMap<i64, FileMeta>, StoreError> {
    let select = "SELECT id, filename, content_type, size, sha256 FROM files WHERE id IN ({in}) AND sha256 <> ''";
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for row in super::store::fetch_in(db, select, ids).await? {
        let meta = crate::from_columns!(row, FileMeta { id, filename, content_type, size, sha256 });
        out.insert(meta.id, meta);
    }
    Ok(out)
}

/// Chunk `seq` of file `id` (`None` after the last).
pub async fn chunk(db: &Db, id: i64, seq: i64) -> Result<Option<Vec<u8>>, StoreError> {
    let row = sqlx::query("SELECT data FROM file_chunks WHERE file_id = $1 AND seq = $2")
        .bind(id)
        .bind(seq)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| row.try_get("data").map_err(StoreError::from)).transpose()
}

/// A file that was received and accepted (its type by content, at most 10 MB).
pub struct ReceivedFile {
    /// The name the browser sent.
    pub name: String,
    /// The bytes, in an anonymous temporary file (gone when dropped).
    pub content: tokio::fs::File,
    /// Bytes.
    pub size: u64,
}

impl ReceivedFile {
    /// Goes back to the start of the content.
    pub async fn rewind(&mut self) -> std::io::Result<()> {
        self.content.seek(std::io::SeekFrom::Start(0)).await.map(|_| ())
    }

    /// The next `size` bytes (fewer at the end; `None` after it).
    pub async fn next_chunk(&mut self, size: usize) -> std::io::Result<Option<Vec<u8>>> {
        let mut buffer = vec![0u8; size];
        let mut filled = 0;
        while filled < size {
            let n = self.content.read(&mut buffer[filled..]).await?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        buffer.truncate(filled);
        Ok((filled > 0).then_some(buffer))
    }
}
