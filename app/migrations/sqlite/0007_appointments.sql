-- Appointments ("Termine") of a client with the job centre, and the SMS reminder that
-- goes out once before each (claimed through the database, so exactly once even with
-- several server instances and across restarts).
CREATE TABLE appointments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id        INTEGER NOT NULL REFERENCES clients(id),
    starts_at        INTEGER NOT NULL,
    duration_minutes INTEGER NOT NULL,
    mode             TEXT    NOT NULL,
    place            TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    notes            TEXT    NOT NULL,
    created_by       INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    cancelled_at     INTEGER,
    reminder_at      INTEGER,
    reminder_outcome TEXT
);
CREATE INDEX appointments_client ON appointments (client_id, starts_at);
CREATE INDEX appointments_due ON appointments (reminder_at, starts_at);
