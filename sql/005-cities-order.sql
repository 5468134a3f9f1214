-- 005: every card page and every save reads its campaign's cities in
-- their order; this index hands them over in that order (position, then
-- id: an index entry ends with the rowid) instead of sorting them each
-- time (~3 500 instructions of a ~200 000-instruction card page).
CREATE INDEX cities_order ON cities(campaign_id, position);
