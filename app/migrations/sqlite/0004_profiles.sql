-- Staff of the job centres, their clients, activation codes ("Freischaltcode"), the
-- citizens' job-centre profiles and their communication options with full history.
CREATE TABLE staff_members (
    account_id    INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    job_centre_id INTEGER NOT NULL REFERENCES job_centres(id),
    display_name  TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE clients (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    job_centre_id   INTEGER NOT NULL REFERENCES job_centres(id),
    customer_number TEXT    NOT NULL,
    salutation      TEXT    NOT NULL,
    given_name      TEXT    NOT NULL,
    family_name     TEXT    NOT NULL,
    birth_date      TEXT    NOT NULL,
    street          TEXT    NOT NULL,
    postcode        TEXT    NOT NULL,
    city            TEXT    NOT NULL,
    mobile          TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (job_centre_id, customer_number)
);
CREATE INDEX clients_job_centre ON clients (job_centre_id, family_name);

CREATE TABLE activation_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id   INTEGER NOT NULL REFERENCES clients(id),
    code_hash   TEXT    NOT NULL UNIQUE,
    issued_by   INTEGER NOT NULL,
    issued_at   INTEGER NOT NULL,
    valid_until INTEGER NOT NULL,
    revoked_at  INTEGER,
    redeemed_at INTEGER
);
CREATE INDEX activation_codes_client ON activation_codes (client_id);

CREATE TABLE profiles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE,
    client_id  INTEGER NOT NULL UNIQUE REFERENCES clients(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE communication_options (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    option     TEXT    NOT NULL,
    enabled    INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (profile_id, option)
);

CREATE TABLE communication_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    option     TEXT    NOT NULL,
    enabled    INTEGER NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX communication_history_profile ON communication_history (profile_id, id);
