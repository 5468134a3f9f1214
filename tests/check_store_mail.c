/*
 * check_store_mail: the mail outbox, its send log, mail sign-in tokens
 * and suppressed addresses (store/mail.c) on a temporary database: due
 * order, an attempt logged once, a sent message's bytes dropped, a
 * bounce suppressing its address, a token that expires and ends with a
 * relink or a revocation, the thank-you trigger.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-db.h"
#include "check-run.h"
#include "app/mailq.h"
#include "base/conf.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/forms.h"
#include "store/impl.h"
#include "store/languages.h"
#include "store/mail.h"
#include "store/secrets.h"

static struct db_fixture fx;
static struct store *s;
static int64_t	 cid, eid;
static const unsigned char inv_hash[32] = { 1 }, tok_hash[32] = { 2 };

static int64_t
num(const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
setup_txn(struct store *st, void *arg)
{
	int64_t	 form;

	(void)arg;
	if (store_form_import(st, "keyfield", 1,
	    "{\"name\":\"keyfield\",\"version\":1}", &form) != 0 ||
	    store_campaign_add(st, "one", "One", "keyfield", &cid) != 0 ||
	    store_expert_add(st, cid, "Ana", "ana@example.org", inv_hash,
	    &eid) != 0)
		return -1;
	return 0;
}

static void
setup(void)
{
	db_fixture_open(&fx, "/tmp/check_store_mail.XXXXXX", "m.db",
	    setup_txn);
	s = fx.s;
}

static void
teardown(void)
{
	db_fixture_close(&fx);
	s = NULL;
}

/* Queue a message to rcpt with verp, its bytes "BYTES rcpt". */
static int64_t
queue(const char *rcpt, const char *verp)
{
	struct store_mail_new	 m = { .campaign_id = cid, .expert_id = eid,
	    .kind = "invitation", .rcpt = rcpt, .subject = "Hi", .verp = verp,
	    .message = "BYTES", .len = 5 };
	int64_t			 id;

	ck_assert_int_eq(store_mail_add(s, &m, &id), 0);
	return id;
}

static int
outcome_txn(struct store *st, void *arg)
{
	return store_mail_outcome(st, arg);
}

START_TEST(due_sent_once)
{
	struct store_mail		 m;
	struct store_mail_outcome	 o;
	int64_t				 a, b;

	a = queue("a@example.org", "mAAAAAAAAAAAAAAAAAAAAAAAA");
	b = queue("b@example.org", "mBBBBBBBBBBBBBBBBBBBBBBBB");
	ck_assert_int_eq(store_mail_due(s, store_now_ms(), NULL, 0, &m), 0);
	ck_assert_int_eq(m.id, a);
	ck_assert_str_eq(m.message, "BYTES");
	ck_assert_uint_eq(m.len, 5);
	store_mail_free(&m);
	/* a: 450, again in a minute; b is due first now. */
	o = (struct store_mail_outcome){ .mail_id = a, .attempt = 1,
	    .at = "2026-01-01T00:00:00.000Z", .code = 450, .text = "busy",
	    .next_at_ms = store_now_ms() + 60000 };
	ck_assert_int_eq(store_write(s, outcome_txn, &o), 0);
	ck_assert_int_eq(store_write(s, outcome_txn, &o), 1);	/* once */
	ck_assert_int_eq(store_mail_due(s, store_now_ms(), NULL, 0, &m), 0);
	ck_assert_int_eq(m.id, b);
	store_mail_free(&m);
	o = (struct store_mail_outcome){ .mail_id = b, .attempt = 1,
	    .at = "2026-01-01T00:00:00.000Z", .code = 250, .text = "ok",
	    .sent = true };
	ck_assert_int_eq(store_write(s, outcome_txn, &o), 0);
	ck_assert_int_eq(store_mail_due(s, store_now_ms(), NULL, 0, &m), 1);
	ck_assert_int_eq(num("SELECT count(*) FROM mails WHERE status = "
	    "'sent' AND message IS NULL"), 1);
	ck_assert_int_eq(num("SELECT count(*) FROM mail_attempts"), 2);
	/* a is due again a minute on. */
	ck_assert_int_eq(store_mail_due(s, store_now_ms() + 61000, NULL, 0,
	    &m), 0);
	ck_assert_int_eq(m.id, a);
	ck_assert_int_eq(m.attempts, 1);
	store_mail_free(&m);
}
END_TEST

START_TEST(bounce_suppresses)
{
	struct store_mail_outcome	 o;
	char				 reason[16];
	int64_t				 a;

	a = queue("Ana@Example.org", "mCCCCCCCCCCCCCCCCCCCCCCCC");
	ck_assert_int_eq(store_mail_suppressed(s, cid, "ana@example.org",
	    reason), 0);
	o = (struct store_mail_outcome){ .mail_id = a, .attempt = 1,
	    .at = "2026-01-01T00:00:00.000Z", .code = 550, .text = "no",
	    .next_at_ms = -1, .bounced = true };
	ck_assert_int_eq(store_write(s, outcome_txn, &o), 0);
	ck_assert_int_eq(num("SELECT count(*) FROM mails WHERE status = "
	    "'failed' AND message IS NULL"), 1);
	/* Any case of the address. */
	ck_assert_int_eq(store_mail_suppressed(s, cid, "ANA@example.ORG",
	    reason), 1);
	ck_assert_str_eq(reason, "bounced");
}
END_TEST

static int
token_txn(struct store *st, void *arg)
{
	(void)arg;
	return store_mail_token_add(st, eid, tok_hash);
}

static int
relink_txn(struct store *st, void *arg)
{
	static const unsigned char fresh[32] = { 3 };

	(void)arg;
	return store_expert_token_set(st, cid, eid, fresh);
}

/* The expert of an envelope id (the opt-out page's language). */
START_TEST(expert_of_verp)
{
	int64_t	 who = 0;

	(void)queue("a@example.org", "mBBBBBBBBBBBBBBBBBBBBBBBB");
	ck_assert_int_eq(store_mail_expert(s, "mBBBBBBBBBBBBBBBBBBBBBBBB",
	    &who), 0);
	ck_assert_int_eq(who, eid);
	ck_assert_int_eq(store_mail_expert(s, "mCCCCCCCCCCCCCCCCCCCCCCCC",
	    &who), 1);
}
END_TEST

START_TEST(tokens)
{
	int64_t	 who = 0;

	ck_assert_int_eq(store_expert_by_token(s, tok_hash, &who), 1);
	ck_assert_int_eq(store_write(s, token_txn, NULL), 0);
	ck_assert_int_eq(store_expert_by_token(s, tok_hash, &who), 0);
	ck_assert_int_eq(who, eid);
	ck_assert_int_eq(store_expert_by_token(s, inv_hash, &who), 0);
	/* Expired: not accepted. */
	ck_assert_int_eq(sqlite3_exec(s->db, "UPDATE mail_tokens SET "
	    "expires_at = 0", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(store_expert_by_token(s, tok_hash, &who), 1);
	ck_assert_int_eq(sqlite3_exec(s->db, "UPDATE mail_tokens SET "
	    "expires_at = 4000000000", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(store_expert_by_token(s, tok_hash, &who), 0);
	/* A relink ends it, and the invitation it replaces. */
	ck_assert_int_eq(store_write(s, relink_txn, NULL), 0);
	ck_assert_int_eq(store_expert_by_token(s, tok_hash, &who), 1);
	ck_assert_int_eq(store_expert_by_token(s, inv_hash, &who), 1);
	ck_assert_int_eq(num("SELECT count(*) FROM mail_tokens"), 0);
}
END_TEST

START_TEST(thanks_trigger)
{
	ck_assert_int_eq(sqlite3_exec(s->db,
	    "INSERT INTO fields (campaign_id, code, title) VALUES (1, 'SF41', "
	    "'Cluster');"
	    "INSERT INTO assignments (expert_id, field_id) VALUES (1, 1);"
	    "INSERT INTO responses (assignment_id, form_id, status, version, "
	    "updated_at) VALUES (1, 1, 'submitted', 1, 'x');"
	    "INSERT INTO response_versions (response_id, version, form_id, "
	    "submitted_at) VALUES (1, 1, 1, 'x');", NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(num("SELECT count(*) FROM mails WHERE kind = "
	    "'thanks' AND status = 'compose' AND rcpt = 'ana@example.org' "
	    "AND length(verp) = 25"), 1);
}
END_TEST

static int
german_txn(struct store *st, void *arg)
{
	static struct conf	 conf = { .mail_from = "kf@example.org" };
	const char		*why = NULL;

	(void)arg;
	if (store_campaign_languages_set(st, cid, "en,de", "en") != 0 ||
	    store_expert_lang_set(st, eid, (const char *)arg) != 0 ||
	    store_mail_deadline_set(st, cid, "2026-12-06") != 0)
		return -1;
	return mailq_reminder(st, &conf, "https://kf.example.org", cid, eid,
	    &why) == 0 ? 0 : -1;
}

/* The text of the newest mail's column col (a subject, the bytes). */
static char *
last_mail(const char *col)
{
	sqlite3_stmt	*st;
	char		 sql[128], *v = NULL;

	snprintf(sql, sizeof(sql), "SELECT %s FROM mails ORDER BY id DESC "
	    "LIMIT 1", col);
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	ck_assert_ptr_nonnull(v);
	return v;
}

/* A German expert's reminder: German subject (encoded), text, deadline. */
START_TEST(reminder_in_her_language)
{
	char	*subject, *msg;

	ck_assert_int_eq(store_write(s, german_txn, "de"), 0);
	subject = last_mail("subject");
	msg = last_mail("message");
	ck_assert_str_eq(subject, "Erinnerung: One");
	/* ASCII, so not encoded: the header as it is. */
	ck_assert_ptr_nonnull(strstr(msg, "Subject: Erinnerung: One\r\n"));
	ck_assert_ptr_nonnull(strstr(msg, "Guten Tag Ana,"));
	ck_assert_ptr_nonnull(strstr(msg, "Frist: 6. Dezember 2026"));
	ck_assert_ptr_null(strstr(msg, "Dear"));
	free(subject);
	free(msg);
	/* The campaign's default language when she has none: English. */
	ck_assert_int_eq(store_write(s, german_txn, NULL), 0);
	msg = last_mail("message");
	ck_assert_ptr_nonnull(strstr(msg, "Deadline: 6 December 2026"));
	free(msg);
	/* A German subject with an umlaut: an RFC 2047 word, 7-bit bytes. */
	ck_assert_int_eq(sqlite3_exec(s->db, "UPDATE campaigns SET title = "
	    "'Gr\xc3\xbc" "nfl\xc3\xa4" "chen'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(store_write(s, german_txn, "de"), 0);
	subject = last_mail("subject");
	msg = last_mail("message");
	ck_assert_str_eq(subject, "Erinnerung: Gr\xc3\xbc" "nfl\xc3\xa4" "chen");
	/* base64 of "Erinnerung: Grünflächen" */
	ck_assert_ptr_nonnull(strstr(msg, "Subject: =?UTF-8?B?"
	    "RXJpbm5lcnVuZzogR3LDvG5mbMOkY2hlbg==?=\r\n"));
	for (const char *p = msg; *p != '\0'; p++)
		ck_assert_int_lt((unsigned char)*p, 128);
	free(subject);
	free(msg);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*su = suite_create("store_mail");
	TCase	*tc = tcase_create("store_mail");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, due_sent_once);
	tcase_add_test(tc, bounce_suppresses);
	tcase_add_test(tc, expert_of_verp);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, thanks_trigger);
	tcase_add_test(tc, reminder_in_her_language);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	return check_run(suite());
}
