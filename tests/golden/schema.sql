-- user_version 17

-- index assignments_field ON assignments
CREATE INDEX assignments_field ON assignments(field_id);

-- index attempts_delivery ON attempts
CREATE INDEX attempts_delivery ON attempts(delivery_id);

-- index audit_object ON audit
CREATE INDEX audit_object ON audit(object);

-- index campaign_roles_campaign ON campaign_roles
CREATE INDEX campaign_roles_campaign ON campaign_roles(campaign_id);

-- index cities_order ON cities
CREATE INDEX cities_order ON cities(campaign_id, position);

-- index deliveries_partner ON deliveries
CREATE INDEX deliveries_partner ON deliveries(partner_id, state);

-- index deliveries_partner_due ON deliveries
CREATE INDEX deliveries_partner_due ON deliveries(partner_id, next_at, id)
WHERE state = 'pending';

-- index experts_email ON experts
CREATE INDEX experts_email ON experts(campaign_id, lower(trim(email)));

-- index login_failures_addr ON login_failures
CREATE INDEX login_failures_addr ON login_failures(addr, at);

-- index login_failures_user ON login_failures
CREATE INDEX login_failures_user ON login_failures(username, at);

-- index mail_requests_key ON mail_requests
CREATE INDEX mail_requests_key ON mail_requests(key, at);

-- index mail_tokens_expert ON mail_tokens
CREATE INDEX mail_tokens_expert ON mail_tokens(expert_id);

-- index mails_campaign ON mails
CREATE INDEX mails_campaign ON mails(campaign_id, id);

-- index mails_due ON mails
CREATE INDEX mails_due ON mails(status, next_at);

-- index mails_expert ON mails
CREATE INDEX mails_expert ON mails(expert_id, kind, status, created_at);

-- index responses_status ON responses
CREATE INDEX responses_status ON responses(status);

-- index sqlite_autoindex_assignments_1 ON assignments
-- (made by SQLite)

-- index sqlite_autoindex_campaigns_1 ON campaigns
-- (made by SQLite)

-- index sqlite_autoindex_cities_1 ON cities
-- (made by SQLite)

-- index sqlite_autoindex_coordinators_1 ON coordinators
-- (made by SQLite)

-- index sqlite_autoindex_deliveries_1 ON deliveries
-- (made by SQLite)

-- index sqlite_autoindex_events_1 ON events
-- (made by SQLite)

-- index sqlite_autoindex_experts_1 ON experts
-- (made by SQLite)

-- index sqlite_autoindex_fields_1 ON fields
-- (made by SQLite)

-- index sqlite_autoindex_final_cards_1 ON final_cards
-- (made by SQLite)

-- index sqlite_autoindex_forms_1 ON forms
-- (made by SQLite)

-- index sqlite_autoindex_mail_attempts_1 ON mail_attempts
-- (made by SQLite)

-- index sqlite_autoindex_mail_suppress_1 ON mail_suppress
-- (made by SQLite)

-- index sqlite_autoindex_mail_templates_1 ON mail_templates
-- (made by SQLite)

-- index sqlite_autoindex_mail_tokens_1 ON mail_tokens
-- (made by SQLite)

-- index sqlite_autoindex_mails_1 ON mails
-- (made by SQLite)

-- index sqlite_autoindex_partners_1 ON partners
-- (made by SQLite)

-- index sqlite_autoindex_response_versions_1 ON response_versions
-- (made by SQLite)

-- index sqlite_autoindex_responses_1 ON responses
-- (made by SQLite)

-- index sqlite_autoindex_rounds_1 ON rounds
-- (made by SQLite)

-- index sqlite_autoindex_sessions_1 ON sessions
-- (made by SQLite)

-- table answers ON answers
CREATE TABLE answers (
	response_id	INTEGER NOT NULL REFERENCES responses(id),
	version		INTEGER NOT NULL,
	question	TEXT NOT NULL,
	row		TEXT NOT NULL DEFAULT '',
	item		INTEGER NOT NULL DEFAULT 0,
	value		TEXT NOT NULL,
	PRIMARY KEY (response_id, version, question, row, item)
) WITHOUT ROWID;

-- table assignments ON assignments
CREATE TABLE assignments (
	id		INTEGER PRIMARY KEY,
	expert_id	INTEGER NOT NULL REFERENCES experts(id),
	field_id	INTEGER NOT NULL REFERENCES fields(id),
	UNIQUE (expert_id, field_id)
);

-- table attempts ON attempts
CREATE TABLE attempts (
	id		INTEGER PRIMARY KEY,
	delivery_id	INTEGER NOT NULL REFERENCES deliveries(id),
	at		TEXT NOT NULL,		-- ISO 8601 UTC, start
	status		INTEGER NOT NULL,	-- HTTP status, 0: none
	error		TEXT NOT NULL DEFAULT '', -- curl error or refusal
	latency_ms	INTEGER NOT NULL,
	body		TEXT NOT NULL DEFAULT ''  -- first 1 KB, valid UTF-8
);

-- table audit ON audit
CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		TEXT NOT NULL,
	actor		TEXT NOT NULL,		-- "expert:12", "coordinator:ana", "cli"
	action		TEXT NOT NULL,		-- "card.save", "card.submit", ...
	object		TEXT NOT NULL,		-- "response:5", "campaign:demo", ...
	detail		TEXT NOT NULL DEFAULT ''
);

-- table campaign_roles ON campaign_roles
CREATE TABLE campaign_roles (
	coordinator_id	INTEGER NOT NULL REFERENCES coordinators(id),
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	role		TEXT NOT NULL CHECK (role IN ('owner', 'viewer')),
	PRIMARY KEY (coordinator_id, campaign_id)
) WITHOUT ROWID;

-- table campaigns ON campaigns
CREATE TABLE campaigns (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE,
	title		TEXT NOT NULL,
	form_id		INTEGER NOT NULL REFERENCES forms(id),
	status		TEXT NOT NULL DEFAULT 'open'
			CHECK (status IN ('open', 'closed')),
	created_at	TEXT NOT NULL
, languages TEXT NOT NULL DEFAULT 'en'
	CHECK (languages <> ''), default_language TEXT NOT NULL
	DEFAULT 'en' CHECK (default_language <> ''));

-- table cities ON cities
CREATE TABLE cities (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	code		TEXT NOT NULL,
	name		TEXT NOT NULL,
	position	INTEGER NOT NULL,
	UNIQUE (campaign_id, code)
);

-- table consensus_rules ON consensus_rules
CREATE TABLE consensus_rules (
	campaign_id INTEGER PRIMARY KEY
	    REFERENCES campaigns(id) ON DELETE CASCADE,
	iqr_x4 INTEGER NOT NULL CHECK (iqr_x4 BETWEEN 0 AND 4000),
	within_pct INTEGER NOT NULL CHECK (within_pct BETWEEN 0 AND 100),
	min_n INTEGER NOT NULL CHECK (min_n BETWEEN 1 AND 10000)
);

-- table coordinators ON coordinators
CREATE TABLE coordinators (
	id		INTEGER PRIMARY KEY,
	username	TEXT NOT NULL UNIQUE,
	password_hash	TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	disabled	INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
, login_notice TEXT NOT NULL DEFAULT '', admin INTEGER NOT NULL DEFAULT 0
	CHECK (admin IN (0, 1)), lang TEXT CHECK (lang <> ''));

-- table data_gen ON data_gen
CREATE TABLE data_gen (
	id	INTEGER PRIMARY KEY CHECK (id = 1),
	gen	INTEGER NOT NULL
);

-- table deliveries ON deliveries
CREATE TABLE deliveries (
	id		INTEGER PRIMARY KEY,
	event_id	INTEGER NOT NULL REFERENCES events(id),
	partner_id	INTEGER NOT NULL REFERENCES partners(id),
	state		TEXT NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'delivered', 'failed')),
	attempts	INTEGER NOT NULL DEFAULT 0,	-- since a reset
	next_at		INTEGER NOT NULL,		-- unix ms
	last_status	INTEGER,		-- HTTP status, 0: none
	last_error	TEXT,			-- curl error or refusal
	first_failure_at INTEGER,		-- unix ms
	delivered_at	INTEGER,		-- unix ms
	created_at	TEXT NOT NULL,
	UNIQUE (event_id, partner_id)
);

-- table events ON events
CREATE TABLE events (
	id		INTEGER PRIMARY KEY,
	event_id	TEXT NOT NULL UNIQUE,	-- "msg_..." (webhook-id)
	type		TEXT NOT NULL,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	response_id	INTEGER REFERENCES responses(id),
	payload		TEXT NOT NULL,		-- detail level "summary"
	payload_full	TEXT NOT NULL,		-- detail level "full"
	created_at	TEXT NOT NULL
);

-- table experts ON experts
CREATE TABLE experts (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	name		TEXT NOT NULL,
	email		TEXT NOT NULL,
	token_hash	BLOB UNIQUE,		-- SHA-256 of the invitation token
	revoked		INTEGER NOT NULL DEFAULT 0,
	created_at	TEXT NOT NULL
, lang TEXT CHECK (lang <> ''));

-- table fields ON fields
CREATE TABLE fields (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	code		TEXT NOT NULL,
	title		TEXT NOT NULL,
	UNIQUE (campaign_id, code)
);

-- table final_cards ON final_cards
CREATE TABLE final_cards (
	field_id	INTEGER NOT NULL REFERENCES fields(id),
	version		INTEGER NOT NULL CHECK (version >= 1),
	body		TEXT NOT NULL,
	author		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	published_at	TEXT,
	PRIMARY KEY (field_id, version)
);

-- table forms ON forms
CREATE TABLE forms (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL,
	version		INTEGER NOT NULL CHECK (version > 0),
	definition	TEXT NOT NULL,		-- the JSON as imported
	imported_at	TEXT NOT NULL,
	UNIQUE (name, version)
);

-- table login_failures ON login_failures
CREATE TABLE login_failures (
	username	TEXT NOT NULL,
	at		INTEGER NOT NULL	-- unix seconds
, addr TEXT NOT NULL DEFAULT '', reported INTEGER NOT NULL DEFAULT 0
	CHECK (reported IN (0, 1)));

-- table mail_attempts ON mail_attempts
CREATE TABLE mail_attempts (
	id		INTEGER PRIMARY KEY,
	mail_id		INTEGER NOT NULL REFERENCES mails(id),
	attempt		INTEGER NOT NULL,
	at		TEXT NOT NULL,
	code		INTEGER NOT NULL,	-- SMTP reply code; 0: none
	text		TEXT NOT NULL,		-- the reply or the failure
	UNIQUE (mail_id, attempt)
);

-- table mail_policy ON mail_policy
CREATE TABLE mail_policy (
	campaign_id	INTEGER PRIMARY KEY
			REFERENCES campaigns(id) ON DELETE CASCADE,
	deadline	TEXT,			-- YYYY-MM-DD; NULL: none
	max_reminders	INTEGER NOT NULL DEFAULT 3
			CHECK (max_reminders BETWEEN 0 AND 100),
	every_days	INTEGER NOT NULL DEFAULT 7
			CHECK (every_days BETWEEN 0 AND 365)
);

-- table mail_requests ON mail_requests
CREATE TABLE mail_requests (
	key		TEXT NOT NULL,
	at		INTEGER NOT NULL	-- unix seconds
);

-- table mail_suppress ON mail_suppress
CREATE TABLE mail_suppress (
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	email		TEXT NOT NULL COLLATE NOCASE,
	reason		TEXT NOT NULL CHECK (reason IN ('bounced',
			    'opted-out')),
	at		TEXT NOT NULL,
	PRIMARY KEY (campaign_id, email)
);

-- table mail_templates ON mail_templates
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

-- table mail_tokens ON mail_tokens
CREATE TABLE mail_tokens (
	token_hash	BLOB PRIMARY KEY,	-- SHA-256 of the token
	expert_id	INTEGER NOT NULL REFERENCES experts(id),
	expires_at	INTEGER NOT NULL	-- unix seconds
);

-- table mails ON mails
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

-- table partners ON partners
CREATE TABLE partners (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	name		TEXT NOT NULL,
	url		TEXT NOT NULL,
	secret		TEXT NOT NULL,		-- "whsec_" + base64
	previous_secret	TEXT,			-- signs too, until:
	previous_until	INTEGER,		-- unix ms
	allow_private	INTEGER NOT NULL DEFAULT 0
			CHECK (allow_private IN (0, 1)),
	active		INTEGER NOT NULL DEFAULT 1
			CHECK (active IN (0, 1)),
	disabled_reason	TEXT,			-- why not active
	detail		TEXT NOT NULL DEFAULT 'summary'
			CHECK (detail IN ('summary', 'full')),
	failing_since	INTEGER,		-- unix ms of the first
						-- failure after a success
	created_at	TEXT NOT NULL, secret_sealed INTEGER NOT NULL DEFAULT 0
	CHECK (secret_sealed IN (0, 1)),
	UNIQUE (campaign_id, name)
);

-- table response_versions ON response_versions
CREATE TABLE response_versions (
	id		INTEGER PRIMARY KEY,
	response_id	INTEGER NOT NULL REFERENCES responses(id),
	version		INTEGER NOT NULL CHECK (version > 0),
	form_id		INTEGER NOT NULL REFERENCES forms(id),
	submitted_at	TEXT NOT NULL, round INTEGER NOT NULL DEFAULT 1, lang TEXT CHECK (lang <> ''),
	UNIQUE (response_id, version)
);

-- table responses ON responses
CREATE TABLE responses (
	id		INTEGER PRIMARY KEY,
	assignment_id	INTEGER NOT NULL UNIQUE REFERENCES assignments(id),
	form_id		INTEGER NOT NULL REFERENCES forms(id),
	status		TEXT NOT NULL CHECK (status IN ('draft', 'submitted',
			    'withdrawn')),
	revision	INTEGER NOT NULL DEFAULT 1,
	version		INTEGER NOT NULL DEFAULT 0,
	updated_at	TEXT NOT NULL
, round INTEGER NOT NULL DEFAULT 1);

-- table rounds ON rounds
CREATE TABLE rounds (
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	number		INTEGER NOT NULL CHECK (number > 1),
	started_at	TEXT NOT NULL,
	started_by	TEXT NOT NULL,
	PRIMARY KEY (campaign_id, number)
);

-- table sessions ON sessions
CREATE TABLE sessions (
	id_hash		BLOB PRIMARY KEY,	-- SHA-256 of the cookie value
	kind		TEXT NOT NULL CHECK (kind IN ('expert', 'coordinator')),
	subject_id	INTEGER NOT NULL,	-- experts.id or coordinators.id
	csrf		TEXT NOT NULL,
	created_at	INTEGER NOT NULL,	-- unix seconds
	seen_at		INTEGER NOT NULL
);

-- trigger data_gen_answer_delete ON answers
CREATE TRIGGER data_gen_answer_delete AFTER DELETE ON answers
WHEN OLD.version > 0
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_answer_update ON answers
CREATE TRIGGER data_gen_answer_update AFTER UPDATE ON answers
WHEN OLD.version > 0 OR NEW.version > 0
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_assignment_delete ON assignments
CREATE TRIGGER data_gen_assignment_delete AFTER DELETE ON assignments
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_assignment_update ON assignments
CREATE TRIGGER data_gen_assignment_update AFTER UPDATE ON assignments
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_city_delete ON cities
CREATE TRIGGER data_gen_city_delete AFTER DELETE ON cities
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_city_insert ON cities
CREATE TRIGGER data_gen_city_insert AFTER INSERT ON cities
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_city_update ON cities
CREATE TRIGGER data_gen_city_update AFTER UPDATE ON cities
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_field_delete ON fields
CREATE TRIGGER data_gen_field_delete AFTER DELETE ON fields
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_field_update ON fields
CREATE TRIGGER data_gen_field_update AFTER UPDATE OF campaign_id ON fields
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_response_delete ON responses
CREATE TRIGGER data_gen_response_delete AFTER DELETE ON responses
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_response_update ON responses
CREATE TRIGGER data_gen_response_update
AFTER UPDATE OF status, assignment_id ON responses
WHEN OLD.status IS NOT NEW.status OR
    OLD.assignment_id IS NOT NEW.assignment_id
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_version_delete ON response_versions
CREATE TRIGGER data_gen_version_delete AFTER DELETE ON response_versions
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_version_insert ON response_versions
CREATE TRIGGER data_gen_version_insert AFTER INSERT ON response_versions
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger data_gen_version_update ON response_versions
CREATE TRIGGER data_gen_version_update AFTER UPDATE ON response_versions
BEGIN UPDATE data_gen SET gen = gen + 1; END;

-- trigger events_deliveries ON events
CREATE TRIGGER events_deliveries AFTER INSERT ON events
WHEN NEW.type <> 'partner.test'
BEGIN
	INSERT INTO deliveries (event_id, partner_id, next_at, created_at)
	SELECT NEW.id, p.id,
	    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
	    strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
	FROM partners AS p
	WHERE p.campaign_id = NEW.campaign_id;
END;

-- trigger experts_email_once ON experts
CREATE TRIGGER experts_email_once BEFORE INSERT ON experts
WHEN EXISTS (SELECT 1 FROM experts WHERE campaign_id = NEW.campaign_id
	AND lower(trim(email)) = lower(trim(NEW.email)))
BEGIN
	SELECT RAISE(ABORT, 'this e-mail address is invited to the campaign already');
END;

-- trigger mail_thanks ON response_versions
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

