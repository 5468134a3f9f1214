-- 008: hardening. Failed sign-ins are counted per (username, client
-- address) and per address, never per username alone, so a stranger
-- cannot lock the owner out; the owner is told of them at her next
-- sign-in (login_notice), after which they are "reported".
ALTER TABLE login_failures ADD COLUMN addr TEXT NOT NULL DEFAULT '';
ALTER TABLE login_failures ADD COLUMN reported INTEGER NOT NULL DEFAULT 0
	CHECK (reported IN (0, 1));
CREATE INDEX login_failures_addr ON login_failures(addr, at);
ALTER TABLE coordinators ADD COLUMN login_notice TEXT NOT NULL DEFAULT '';

-- Partner secrets sealed with a key kept outside the database
-- (store/secrets.h): 1 when secret and previous_secret are sealed; rows
-- of before are sealed when a program first opens the database with
-- the key.
ALTER TABLE partners ADD COLUMN secret_sealed INTEGER NOT NULL DEFAULT 0
	CHECK (secret_sealed IN (0, 1));
