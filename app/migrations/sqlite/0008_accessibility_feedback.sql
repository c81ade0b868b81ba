-- Feedback on barriers, sent from the accessibility statement ("Erklärung zur
-- Barrierefreiheit"). Kept for the portal's staff; the source address is only a keyed
-- hash (to limit how often one address can send), never the address itself.
CREATE TABLE accessibility_feedback (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at   INTEGER NOT NULL,
    message       TEXT    NOT NULL,
    page          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    language      TEXT    NOT NULL,
    source_key    TEXT    NOT NULL,
    done_at       INTEGER,
    done_by       INTEGER
);
CREATE INDEX accessibility_feedback_received ON accessibility_feedback (received_at);
CREATE INDEX accessibility_feedback_source ON accessibility_feedback (source_key, received_at);
