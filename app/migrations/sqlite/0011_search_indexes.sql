-- The staff search looks up word beginnings in an index instead of reading every record
-- of a job centre (LIKE '%…%' cannot use one): each word of a record's search form
-- (names, customer number, both spellings of umlauts) once per record. Filled by the
-- server at start for records stored before (clients.search_version), then with every
-- new record in the same transaction.
CREATE TABLE client_search_words (
    job_centre_id INTEGER NOT NULL,
    word          TEXT    NOT NULL,
    client_id     INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    PRIMARY KEY (job_centre_id, word, client_id)
);
CREATE INDEX client_search_words_client ON client_search_words (client_id);
ALTER TABLE clients ADD COLUMN search_version INTEGER NOT NULL DEFAULT 0;
-- The desk's list (by name, 100 at a time) walks this index and stops after a page.
CREATE INDEX clients_by_name ON clients (job_centre_id, family_name, given_name, id);

-- A citizen's postbox counts (all, unread) read only that client's online items:
-- without this, SQLite (which keeps no statistics) counted through the index of all
-- online items of every client, 0.2 s with a million items.
CREATE INDEX postbox_items_client_online ON postbox_items (client_id, channel, direction, opened_at);

-- Left without a use: the name index above begins with the same columns, and the search
-- no longer filters the whole search form with LIKE '%…%'.
DROP INDEX clients_job_centre;
DROP INDEX clients_search;
