-- 009: roles. An administrator creates campaigns, manages coordinators
-- and partners' private addresses, and sees every campaign; any other
-- coordinator sees only the campaigns she has a role in: 'owner'
-- (everything in that campaign) or 'viewer' (reads; changes nothing).
-- Coordinators made before roles existed could do everything: they
-- become administrators.

ALTER TABLE coordinators ADD COLUMN admin INTEGER NOT NULL DEFAULT 0
	CHECK (admin IN (0, 1));
UPDATE coordinators SET admin = 1;

CREATE TABLE campaign_roles (
	coordinator_id	INTEGER NOT NULL REFERENCES coordinators(id),
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	role		TEXT NOT NULL CHECK (role IN ('owner', 'viewer')),
	PRIMARY KEY (coordinator_id, campaign_id)
) WITHOUT ROWID;
CREATE INDEX campaign_roles_campaign ON campaign_roles(campaign_id);
