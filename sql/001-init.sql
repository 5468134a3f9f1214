-- 001: the whole first schema. Times are ISO 8601 UTC text
-- (strftime('%Y-%m-%dT%H:%M:%fZ')); secrets and tokens are stored hashed.

CREATE TABLE forms (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL,
	version		INTEGER NOT NULL CHECK (version > 0),
	definition	TEXT NOT NULL,		-- the JSON as imported
	imported_at	TEXT NOT NULL,
	UNIQUE (name, version)
);

CREATE TABLE campaigns (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE,
	title		TEXT NOT NULL,
	form_id		INTEGER NOT NULL REFERENCES forms(id),
	status		TEXT NOT NULL DEFAULT 'open'
			CHECK (status IN ('open', 'closed')),
	created_at	TEXT NOT NULL
);

CREATE TABLE cities (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	code		TEXT NOT NULL,
	name		TEXT NOT NULL,
	position	INTEGER NOT NULL,
	UNIQUE (campaign_id, code)
);

CREATE TABLE fields (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	code		TEXT NOT NULL,
	title		TEXT NOT NULL,
	UNIQUE (campaign_id, code)
);

CREATE TABLE experts (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	name		TEXT NOT NULL,
	email		TEXT NOT NULL,
	token_hash	BLOB UNIQUE,		-- SHA-256 of the invitation token
	revoked		INTEGER NOT NULL DEFAULT 0,
	created_at	TEXT NOT NULL
);

CREATE TABLE assignments (
	id		INTEGER PRIMARY KEY,
	expert_id	INTEGER NOT NULL REFERENCES experts(id),
	field_id	INTEGER NOT NULL REFERENCES fields(id),
	UNIQUE (expert_id, field_id)
);

-- One per assignment once something was saved. revision counts every
-- save (stale saves are detected with it); version is the number of the
-- last submission (0: never submitted).
CREATE TABLE responses (
	id		INTEGER PRIMARY KEY,
	assignment_id	INTEGER NOT NULL UNIQUE REFERENCES assignments(id),
	form_id		INTEGER NOT NULL REFERENCES forms(id),
	status		TEXT NOT NULL CHECK (status IN ('draft', 'submitted',
			    'withdrawn')),
	revision	INTEGER NOT NULL DEFAULT 1,
	version		INTEGER NOT NULL DEFAULT 0,
	updated_at	TEXT NOT NULL
);

-- Every submission of a response, kept forever.
CREATE TABLE response_versions (
	id		INTEGER PRIMARY KEY,
	response_id	INTEGER NOT NULL REFERENCES responses(id),
	version		INTEGER NOT NULL CHECK (version > 0),
	form_id		INTEGER NOT NULL REFERENCES forms(id),
	submitted_at	TEXT NOT NULL,
	UNIQUE (response_id, version)
);

-- One row per value. version 0 is the working copy the expert edits;
-- version N the values of submission N.
CREATE TABLE answers (
	response_id	INTEGER NOT NULL REFERENCES responses(id),
	version		INTEGER NOT NULL,
	question	TEXT NOT NULL,
	row		TEXT NOT NULL DEFAULT '',
	item		INTEGER NOT NULL DEFAULT 0,
	value		TEXT NOT NULL,
	PRIMARY KEY (response_id, version, question, row, item)
) WITHOUT ROWID;

CREATE TABLE sessions (
	id_hash		BLOB PRIMARY KEY,	-- SHA-256 of the cookie value
	kind		TEXT NOT NULL CHECK (kind IN ('expert', 'coordinator')),
	subject_id	INTEGER NOT NULL,	-- experts.id or coordinators.id
	csrf		TEXT NOT NULL,
	created_at	INTEGER NOT NULL,	-- unix seconds
	seen_at		INTEGER NOT NULL
);

CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		TEXT NOT NULL,
	actor		TEXT NOT NULL,		-- "expert:12", "coordinator:ana", "cli"
	action		TEXT NOT NULL,		-- "card.save", "card.submit", ...
	object		TEXT NOT NULL,		-- "response:5", "campaign:demo", ...
	detail		TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_object ON audit(object);

-- Transactional outbox: written in the transaction of the change it
-- reports; payload is the snapshot that is sent, byte for byte.
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
