-- 013: Delphi rounds. A campaign is in round 1 until a coordinator starts
-- round 2 (a row here), and so on. Every submitted version records the
-- round it was submitted in, so a round's statistics are those of the
-- latest version of each card in that round: once the next round has
-- started no version of the earlier one can be added, and they stay as
-- they were. A response's round is the round of its working copy.
CREATE TABLE rounds (
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	number		INTEGER NOT NULL CHECK (number > 1),
	started_at	TEXT NOT NULL,
	started_by	TEXT NOT NULL,
	PRIMARY KEY (campaign_id, number)
);
ALTER TABLE response_versions ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE responses ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
