-- 016: languages (issue 17). A campaign names the languages of its pages
-- and mails, as a list of codes ("en,de"), and its default; an expert's
-- language is NULL until someone sets it (keyfield expert add --lang,
-- the CSV import's lang column), and then one of her campaign's. The
-- codes are those of po/*.po and "en" (base/i18n.h); existing campaigns
-- stay English.
ALTER TABLE campaigns ADD COLUMN languages TEXT NOT NULL DEFAULT 'en'
	CHECK (languages <> '');
ALTER TABLE campaigns ADD COLUMN default_language TEXT NOT NULL
	DEFAULT 'en' CHECK (default_language <> '');
ALTER TABLE experts ADD COLUMN lang TEXT CHECK (lang <> '');
