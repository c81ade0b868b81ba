-- Delivered mails and SMS lose their text (links, codes) at delivery and are deleted
-- after OUTBOX_RETENTION_DAYS — except notifications whose delivery time is part of a
-- legal record (the postbox's § 37 Abs. 2a SGB X trail), which are kept (without text).
ALTER TABLE outbox ADD COLUMN retain INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET retain = 1 WHERE id IN (SELECT notification_outbox_id FROM postbox_items WHERE notification_outbox_id IS NOT NULL);
UPDATE outbox SET body_text = '', body_html = NULL WHERE sent_at IS NOT NULL AND delivered_via <> 'preview';

-- Results of forms posted without JavaScript that do not fit into the flash cookie
-- (long typed text): kept here for two minutes, the cookie carries a reference.
CREATE TABLE flash_stash (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT    NOT NULL UNIQUE,
    payload    TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);

-- The case- and accent-insensitive search form of a client record (names and customer
-- number), computed by the server (Unicode folding; SQLite's LOWER folds ASCII only).
ALTER TABLE clients ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
CREATE INDEX clients_search ON clients (job_centre_id, search_key);
