-- Attempt limits for every limiter, not only sign-in: the counter holds reserved
-- attempts (counted before the secret is checked), so the table and column get names
-- that say so.
ALTER TABLE login_throttle RENAME TO attempt_limits;
ALTER TABLE attempt_limits RENAME COLUMN failures TO attempts;

-- Links voided by a later event (password changed or reset, address changed, a newer
-- link of the same kind) are told apart from used ones.
ALTER TABLE account_tokens ADD COLUMN voided_at BIGINT;

-- Bumped by every change of the account's credentials; the first write of such a
-- change, so parallel changes of one account run one after the other (on SQLite and
-- on PostgreSQL under READ COMMITTED).
ALTER TABLE accounts ADD COLUMN security_version BIGINT NOT NULL DEFAULT 0;

-- The account a passkey ceremony belongs to (none before sign-in), so that removing a
-- factor or changing the password ends the ceremonies in flight.
ALTER TABLE webauthn_ceremonies ADD COLUMN account_id BIGINT REFERENCES accounts(id) ON DELETE CASCADE;
CREATE INDEX webauthn_ceremonies_account ON webauthn_ceremonies (account_id);

-- At most one active activation code per client, also when two staff members issue one
-- at the same moment (PostgreSQL's READ COMMITTED would let both revoke nothing and
-- insert). Older duplicates, should there be any, are revoked first.
UPDATE activation_codes SET revoked_at = issued_at
WHERE revoked_at IS NULL AND redeemed_at IS NULL
  AND id NOT IN (SELECT MAX(id) FROM activation_codes WHERE revoked_at IS NULL AND redeemed_at IS NULL GROUP BY client_id);
CREATE UNIQUE INDEX activation_codes_one_active ON activation_codes (client_id) WHERE revoked_at IS NULL AND redeemed_at IS NULL;
