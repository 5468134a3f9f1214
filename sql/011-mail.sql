-- 011: e-mail (app/mail.h, notify/mail.c). mails is the mail outbox,
-- written in the transaction of what causes a message; message holds the
-- RFC 5322 bytes (live sign-in links in them) until the message is sent
-- or has failed for good, then it is set NULL (a thank-you note is
-- queued by a trigger and composed by the sender): the send log keeps kind,
-- recipient, subject and the attempts. verp is the opaque id of the
-- envelope sender (never a token). mail_attempts is the send log, one
-- row per attempt (SMTP code and text; no secrets). mail_tokens are the
-- sign-in links of the mails after the invitation (SHA-256 of a random
-- token, as experts.token_hash; /i/TOKEN accepts either); they end after
-- 60 days and with a revocation or a new link of their expert.
-- mail_suppress stops mail to an address of a campaign: bounced or
-- opted out.
CREATE TABLE mails (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER REFERENCES campaigns(id),	-- NULL: test
	expert_id	INTEGER REFERENCES experts(id),
	kind		TEXT NOT NULL CHECK (kind IN ('invitation',
			    'reminder', 'thanks', 'newlink', 'lostlink',
			    'test')),
	rcpt		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	verp		TEXT NOT NULL UNIQUE,
	message		BLOB,			-- NULL once sent or failed
	status		TEXT NOT NULL DEFAULT 'pending'
			CHECK (status IN ('compose', 'pending', 'sent',
			    'failed')),
	response_id	INTEGER REFERENCES responses(id),	-- thanks
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_at		INTEGER NOT NULL,	-- ms since the epoch
	created_at	TEXT NOT NULL,
	done_at		TEXT
);
CREATE INDEX mails_due ON mails(status, next_at);

-- A thank-you note for every submission, in its transaction: the row is
-- to be composed (status 'compose': the sender renders it, with a fresh
-- sign-in link, before it sends anything else).
CREATE TRIGGER mail_thanks AFTER INSERT ON response_versions
BEGIN
	INSERT INTO mails (campaign_id, expert_id, kind, rcpt, subject, verp,
	    status, response_id, next_at, created_at)
	SELECT e.campaign_id, e.id, 'thanks', e.email, '',
	    'm' || lower(hex(randomblob(12))), 'compose', NEW.response_id, 0,
	    strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
	FROM responses r JOIN assignments a ON a.id = r.assignment_id
	JOIN experts e ON e.id = a.expert_id WHERE r.id = NEW.response_id;
END;
CREATE INDEX mails_campaign ON mails(campaign_id, id);

CREATE TABLE mail_attempts (
	id		INTEGER PRIMARY KEY,
	mail_id		INTEGER NOT NULL REFERENCES mails(id),
	attempt		INTEGER NOT NULL,
	at		TEXT NOT NULL,
	code		INTEGER NOT NULL,	-- SMTP reply code; 0: none
	text		TEXT NOT NULL,		-- the reply or the failure
	UNIQUE (mail_id, attempt)
);

CREATE TABLE mail_tokens (
	token_hash	BLOB PRIMARY KEY,	-- SHA-256 of the token
	expert_id	INTEGER NOT NULL REFERENCES experts(id),
	expires_at	INTEGER NOT NULL	-- unix seconds
);
CREATE INDEX mail_tokens_expert ON mail_tokens(expert_id);

CREATE TABLE mail_suppress (
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	email		TEXT NOT NULL COLLATE NOCASE,
	reason		TEXT NOT NULL CHECK (reason IN ('bounced',
			    'opted-out')),
	at		TEXT NOT NULL,
	PRIMARY KEY (campaign_id, email)
);

-- A campaign's deadline (shown in mails as {deadline}) and its reminder
-- policy: at most max_reminders reminders to an expert, each at least
-- every_days after the mail before it. No row: no deadline, 3 and 7.
CREATE TABLE mail_policy (
	campaign_id	INTEGER PRIMARY KEY
			REFERENCES campaigns(id) ON DELETE CASCADE,
	deadline	TEXT,			-- YYYY-MM-DD; NULL: none
	max_reminders	INTEGER NOT NULL DEFAULT 3
			CHECK (max_reminders BETWEEN 0 AND 100),
	every_days	INTEGER NOT NULL DEFAULT 7
			CHECK (every_days BETWEEN 0 AND 365)
);

-- Requests of the lost-link page, for its rate limits: key is
-- "client:" and the client's address, or "addr:" and the SHA-256 (hex)
-- of the address asked for (an address nobody has is not kept in clear).
CREATE TABLE mail_requests (
	key		TEXT NOT NULL,
	at		INTEGER NOT NULL	-- unix seconds
);
CREATE INDEX mail_requests_key ON mail_requests(key, at);

-- A campaign's own text of a kind of message (app/mailq.c ships the
-- defaults): its placeholders are checked when it is saved.
CREATE TABLE mail_templates (
	campaign_id	INTEGER NOT NULL
			REFERENCES campaigns(id) ON DELETE CASCADE,
	kind		TEXT NOT NULL CHECK (kind IN ('invitation',
			    'reminder', 'thanks', 'newlink', 'lostlink')),
	subject		TEXT NOT NULL,
	body		TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	PRIMARY KEY (campaign_id, kind)
);
