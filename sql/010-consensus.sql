-- 010: each campaign's consensus rule (app/stats.h): the panel agrees on
-- a key field x city when at least min_n experts rated it, the spread
-- between the quartiles is at most iqr_x4 / 4 on the rating scale, and,
-- when within_pct is not 0, at least that share of the ratings lie
-- within 1 of the median. A campaign without a row has the default rule
-- (IQR <= 1, n >= 3, no share).
CREATE TABLE consensus_rules (
	campaign_id INTEGER PRIMARY KEY
	    REFERENCES campaigns(id) ON DELETE CASCADE,
	iqr_x4 INTEGER NOT NULL CHECK (iqr_x4 BETWEEN 0 AND 4000),
	within_pct INTEGER NOT NULL CHECK (within_pct BETWEEN 0 AND 100),
	min_n INTEGER NOT NULL CHECK (min_n BETWEEN 1 AND 10000)
);
