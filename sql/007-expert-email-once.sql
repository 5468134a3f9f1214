-- 007: one invitation per e-mail address and campaign. Addresses are
-- compared after trimming, ASCII letters without case. A unique index
-- cannot be created over a database that already holds duplicates, so a
-- trigger refuses new ones and the duplicates already there stay as
-- they are: keyfield reports them (store_expert_duplicates) when it
-- migrates and on "keyfield expert list"; nothing is merged silently.
CREATE INDEX experts_email ON experts(campaign_id, lower(trim(email)));

CREATE TRIGGER experts_email_once BEFORE INSERT ON experts
WHEN EXISTS (SELECT 1 FROM experts WHERE campaign_id = NEW.campaign_id
	AND lower(trim(email)) = lower(trim(NEW.email)))
BEGIN
	SELECT RAISE(ABORT, 'this e-mail address is invited to the campaign already');
END;
