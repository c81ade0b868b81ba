-- The Leistungspostfach: documents and messages between a job centre and its clients,
-- with the legal trail of online delivery, the print queue for items that go by post,
-- and files stored in the database in chunks (so a download never needs the whole file
-- in memory, and one database backup holds everything).
CREATE TABLE files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    job_centre_id INTEGER NOT NULL REFERENCES job_centres(id),
    filename      TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE file_chunks (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    PRIMARY KEY (file_id, seq)
);

CREATE TABLE postbox_items (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id              INTEGER NOT NULL REFERENCES clients(id),
    direction              TEXT    NOT NULL,
    kind                   TEXT    NOT NULL,
    subject                TEXT    NOT NULL,
    body                   TEXT    NOT NULL,
    channel                TEXT    NOT NULL,
    channel_reason         TEXT    NOT NULL,
    sent_by                INTEGER,
    created_at             INTEGER NOT NULL,
    notification_outbox_id INTEGER,
    opened_at              INTEGER,
    printed_at             INTEGER,
    printed_by             INTEGER,
    thread_id              INTEGER,
    done_at                INTEGER,
    done_by                INTEGER
);
CREATE INDEX postbox_items_client ON postbox_items (client_id, id);
CREATE INDEX postbox_items_print ON postbox_items (channel, printed_at);
CREATE INDEX postbox_items_thread ON postbox_items (thread_id);
CREATE INDEX postbox_items_inbox ON postbox_items (direction, done_at);

CREATE TABLE postbox_attachments (
    item_id  INTEGER NOT NULL REFERENCES postbox_items(id) ON DELETE CASCADE,
    file_id  INTEGER NOT NULL REFERENCES files(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (item_id, position)
);
CREATE INDEX postbox_attachments_file ON postbox_attachments (file_id);
