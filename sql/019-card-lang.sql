-- 019: the language a card was written in (issue 17). Each submitted
-- version records its expert's language (experts.lang), or her
-- campaign's default when she has none, as the store inserts it
-- (store/responses.c). Versions from before stay NULL: their language
-- is not known. Exports carry it as a lang column (csv-long) or field
-- (json) per version; codes, not labels.
ALTER TABLE response_versions ADD COLUMN lang TEXT CHECK (lang <> '');
