-- 018: the console's language (issue 17). A coordinator's language is
-- NULL until she chooses one (the console's "Your settings", keyfield
-- coordinator lang); until then the console follows her browser's
-- Accept-Language among the languages the programs have, then English.
ALTER TABLE coordinators ADD COLUMN lang TEXT CHECK (lang <> '');
