-- 002: partner notifications. Partners of a campaign receive every event
-- of it as a signed webhook; deliveries track each (event, partner) and
-- attempts log every try. Times for scheduling are unix milliseconds.

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
	created_at	TEXT NOT NULL,
	UNIQUE (campaign_id, name)
);

-- One per event and partner. Pending until a 2xx (delivered) or the last
-- retry (failed); next_at is when the next attempt is due. The daemon
-- claims nothing here: a delivery interrupted by a crash is still
-- pending and due, so it is sent again (at least once).
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
CREATE INDEX deliveries_due ON deliveries(next_at) WHERE state = 'pending';
CREATE INDEX deliveries_partner ON deliveries(partner_id, state);

-- The delivery log: every attempt, kept.
CREATE TABLE attempts (
	id		INTEGER PRIMARY KEY,
	delivery_id	INTEGER NOT NULL REFERENCES deliveries(id),
	at		TEXT NOT NULL,		-- ISO 8601 UTC, start
	status		INTEGER NOT NULL,	-- HTTP status, 0: none
	error		TEXT NOT NULL DEFAULT '', -- curl error or refusal
	latency_ms	INTEGER NOT NULL,
	body		TEXT NOT NULL DEFAULT ''  -- first 1 KB, valid UTF-8
);
CREATE INDEX attempts_delivery ON attempts(delivery_id);

-- Fan out: every event gets a pending delivery for each partner of its
-- campaign, in the transaction that wrote the event (a disabled partner's
-- wait until it is enabled again: nothing is missed). A test event
-- ('partner.test') is for one partner: its writer adds the delivery.
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
