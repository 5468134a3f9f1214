-- 017: the mails of an expert (issue 19). The reminder scan
-- (store_reminder_rows: the mail page, keyfield mail, keyfield-notify's
-- batches) counts each expert's reminders, pending and invitation mails
-- and takes the newest created_at: without this index every expert's
-- four subqueries read the whole mails table. The index holds all the
-- columns they read, so they never reach the rows (whose message BLOB
-- lies before status and created_at).
CREATE INDEX mails_expert ON mails(expert_id, kind, status, created_at);
