-- The citizen's own mobile number for SMS (confirmed with a code sent to it) and
-- pending changes of an account's e-mail address (confirmed with a link sent to it).
ALTER TABLE profiles ADD COLUMN sms_mobile TEXT;
ALTER TABLE profiles ADD COLUMN sms_mobile_confirmed_at BIGINT;

CREATE TABLE mobile_confirmations (
    profile_id BIGINT  PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
    mobile     TEXT    NOT NULL,
    code_hash  TEXT    NOT NULL,
    sent_at    BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    attempts   BIGINT  NOT NULL DEFAULT 0
);

ALTER TABLE account_tokens ADD COLUMN new_email TEXT;
