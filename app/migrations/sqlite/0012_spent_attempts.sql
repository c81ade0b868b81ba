-- Attempts whose secret was checked and wrong, apart from those merely reserved: a key
-- locks when its spent attempts reach the limit, not when a burst's reservations in
-- flight (most of which are given back) happen to fill the counter at that moment —
-- that locked an office's source address after ten wrong passwords for one account.
ALTER TABLE attempt_limits ADD COLUMN spent INTEGER NOT NULL DEFAULT 0;
