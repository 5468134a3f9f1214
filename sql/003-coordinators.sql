-- 003: the coordinator console. Coordinators sign in with a password
-- (argon2id, libsodium's crypto_pwhash_str); failed logins are kept for
-- the lockout (10 within 15 minutes locks the account for the rest of
-- the window). Their sessions live in sessions with kind 'coordinator'.

CREATE TABLE coordinators (
	id		INTEGER PRIMARY KEY,
	username	TEXT NOT NULL UNIQUE,
	password_hash	TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	disabled	INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

-- One row per failed login, for any name typed (known or not), so the
-- answers do not tell which accounts exist.
CREATE TABLE login_failures (
	username	TEXT NOT NULL,
	at		INTEGER NOT NULL	-- unix seconds
);
CREATE INDEX login_failures_user ON login_failures(username, at);

-- The dashboard and the card view read responses by field and status.
CREATE INDEX assignments_field ON assignments(field_id);
CREATE INDEX responses_status ON responses(status);
