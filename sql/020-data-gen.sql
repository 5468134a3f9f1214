-- 020: a counter of the changes to what the panel's statistics are made
-- of (issue 19). Each worker keeps the statistics it computed with the
-- counter they were computed at (app/stats.c) and computes them again
-- only when it has moved: the dashboard of 20 000 cards read and sorted
-- every answer on each view. One row; every trigger below adds 1.
--
-- The statistics read the latest version of each round of each
-- response not withdrawn (its answers), the response's assignment (key
-- field and expert) and the campaign's key fields and cities. A
-- version's answers are written with its response_versions row, in one
-- transaction: that row's trigger counts them (no trigger per answer).
CREATE TABLE data_gen (
	id	INTEGER PRIMARY KEY CHECK (id = 1),
	gen	INTEGER NOT NULL
);
INSERT INTO data_gen (id, gen) VALUES (1, 0);

CREATE TRIGGER data_gen_version_insert AFTER INSERT ON response_versions
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_version_update AFTER UPDATE ON response_versions
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_version_delete AFTER DELETE ON response_versions
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_answer_update AFTER UPDATE ON answers
WHEN OLD.version > 0 OR NEW.version > 0
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_answer_delete AFTER DELETE ON answers
WHEN OLD.version > 0
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_response_update
AFTER UPDATE OF status, assignment_id ON responses
WHEN OLD.status IS NOT NEW.status OR
    OLD.assignment_id IS NOT NEW.assignment_id
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_response_delete AFTER DELETE ON responses
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_assignment_update AFTER UPDATE ON assignments
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_assignment_delete AFTER DELETE ON assignments
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_field_update AFTER UPDATE OF campaign_id ON fields
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_field_delete AFTER DELETE ON fields
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_city_insert AFTER INSERT ON cities
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_city_update AFTER UPDATE ON cities
BEGIN UPDATE data_gen SET gen = gen + 1; END;
CREATE TRIGGER data_gen_city_delete AFTER DELETE ON cities
BEGIN UPDATE data_gen SET gen = gen + 1; END;
