-- 004: keyfield-notify reads each partner's due deliveries in order from
-- an index (partner, then next_at, id) of the pending ones only, instead
-- of ranking every pending delivery of every partner on each pass. It
-- replaces deliveries_due, which no query uses any more (one index less
-- to update with every outcome).
CREATE INDEX deliveries_partner_due ON deliveries(partner_id, next_at, id)
WHERE state = 'pending';
DROP INDEX deliveries_due;
