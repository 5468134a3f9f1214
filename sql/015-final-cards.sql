-- 015: the final card of each key field of a campaign, written by a
-- coordinator from the panel's answers (app/final.h). Every save is a
-- new version, numbered from 1 per key field; its body is the whole card
-- as JSON text: {"ratings": {CITY: 0..10}, "examples": {CITY: text},
-- "sections": [ten texts]}. Publishing a version stamps published_at;
-- the published card is the latest version with a stamp.
CREATE TABLE final_cards (
	field_id	INTEGER NOT NULL REFERENCES fields(id),
	version		INTEGER NOT NULL CHECK (version >= 1),
	body		TEXT NOT NULL,
	author		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	published_at	TEXT,
	PRIMARY KEY (field_id, version)
);
