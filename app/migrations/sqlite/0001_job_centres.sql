-- Job centres that take part in the portal. Timestamps are Unix seconds in every table.
CREATE TABLE job_centres (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    street     TEXT    NOT NULL,
    postcode   TEXT    NOT NULL,
    city       TEXT    NOT NULL,
    phone      TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
