/*
 * check_store_notify: partners, the fan-out trigger, due deliveries and
 * their outcomes (store-notify.c) on a temporary database.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-db.h"
#include "check-run.h"
#include "store/secrets.h"
#include "store/campaigns.h"
#include "store/forms.h"
#include "store/impl.h"
#include "store/partners.h"

#define NOW	1700000000000LL		/* unix ms */

static struct db_fixture fx;
static const char *dir = fx.dir, *path = fx.path;
static struct store *s;
static int64_t	 c1, c2, pa, pb, pc, pd;

static void
exec(const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, err);
}

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

/* Like num, with one integer bound to ?. */
static int64_t
num_id(const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* An event as the submit path writes it. */
static void
event(int64_t campaign, const char *id)
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO events (event_id, type, "
	    "campaign_id, payload, payload_full, created_at) VALUES ('%s', "
	    "'card.submitted', %lld, '{\"s\":1}', '{\"f\":1}', "
	    "'2025-01-01T00:00:00.000Z')", id, (long long)campaign);
	exec(sql);
}

static int
setup_txn(struct store *st, void *arg)
{
	int64_t	 form;

	if (store_form_import(st, "keyfield", 1,
	    "{\"name\":\"keyfield\",\"version\":1}", &form) != 0 ||
	    store_campaign_add(st, "one", "One", "keyfield", &c1) != 0 ||
	    store_campaign_add(st, "two", "Two", "keyfield", &c2) != 0 ||
	    store_partner_add(st, c1, "a", "https://a.example/", "whsec_AAAA",
	    false, false, &pa) != 0 ||
	    store_partner_add(st, c1, "b", "https://b.example/", "whsec_BBBB",
	    false, true, &pb) != 0 ||
	    store_partner_add(st, c1, "c", "https://c.example/", "whsec_CCCC",
	    false, false, &pc) != 0 ||
	    store_partner_add(st, c2, "d", "https://d.example/", "whsec_DDDD",
	    true, false, &pd) != 0 ||
	    store_partner_disable(st, pc, "paused") != 0)
		return -1;
	return 0;
}

static void
setup(void)
{
	db_fixture_open(&fx, "/tmp/check_store_notify.XXXXXX", "k.db",
	    setup_txn);
	s = fx.s;
}

static void
teardown(void)
{
	db_fixture_close(&fx);
	s = NULL;
}

static int
dup_txn(struct store *st, void *arg)
{
	int64_t	 id;

	return store_partner_add(st, c1, "a", "https://x.example/",
	    "whsec_AAAA", false, false, &id);
}

START_TEST(partners)
{
	struct store_partner	*v, p;
	size_t			 n;

	ck_assert_int_ge(store_schema_version(s), 2);
	ck_assert_int_eq(store_write(s, dup_txn, NULL), 1);
	ck_assert_int_eq(store_partners(s, c1, NOW, &v, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0].name, "a");
	ck_assert_str_eq(v[1].detail, "full");
	ck_assert(!v[2].active);
	ck_assert_str_eq(v[2].disabled_reason, "paused");
	ck_assert_ptr_null(v[0].previous_secret);
	store_partners_free(v, n);
	ck_assert_int_eq(store_partner_get(s, c2, "d", NOW, &p), 0);
	ck_assert(p.allow_private);
	/* Stored sealed: the column does not hold the secret. */
	ck_assert_int_eq(strncmp(p.secret, STORE_SEALED_PREFIX,
	    strlen(STORE_SEALED_PREFIX)), 0);
	ck_assert_ptr_null(strstr(p.secret, "DDDD"));
	ck_assert_int_eq(store_secret_open(&p.secret), 0);
	ck_assert_str_eq(p.secret, "whsec_DDDD");
	store_partner_free(&p);
	ck_assert_int_eq(store_partner_get(s, c2, "a", NOW, &p), 1);
}
END_TEST

/* A copy of the database without its key cannot sign: no key, or
 * another key, opens nothing. */
START_TEST(secrets_need_the_key)
{
	struct store_partner p;
	char		 other[96];

	ck_assert_int_eq(store_partner_get(s, c2, "d", NOW, &p), 0);
	store_key_unload();
	ck_assert_int_eq(store_secret_open(&p.secret), -1);
	snprintf(other, sizeof(other), "%s/other.key", dir);
	ck_assert_int_eq(store_key_load(other, path, true), 0);
	ck_assert_int_eq(store_secret_open(&p.secret), -1);
	unlink(other);
	ck_assert_int_eq(store_key_load(NULL, path, false), 0);
	ck_assert_int_eq(store_secret_open(&p.secret), 0);
	ck_assert_str_eq(p.secret, "whsec_DDDD");
	store_partner_free(&p);
	/* Rotation: sealed anew with a new key, which then opens them. */
	ck_assert_int_eq(store_partner_get(s, c2, "d", NOW, &p), 0);
	ck_assert_int_eq(store_secrets_rekey(s, other), 0);
	ck_assert_int_eq(store_secret_open(&p.secret), -1);	/* old key */
	store_partner_free(&p);
	ck_assert_int_eq(store_partner_get(s, c2, "d", NOW, &p), 0);
	ck_assert_int_eq(store_secret_open(&p.secret), 0);
	ck_assert_str_eq(p.secret, "whsec_DDDD");
	store_partner_free(&p);
	ck_assert_int_eq(store_secrets_rekey(s, other), -1);	/* exists */
	unlink(other);
}
END_TEST

START_TEST(fan_out)
{
	event(c1, "msg_1");
	/* Every partner of the campaign, a disabled one too; not c2's. */
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries"), 3);
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries WHERE "
	    "state = 'pending' AND attempts = 0"), 3);
	event(c2, "msg_2");
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries"), 4);
}
END_TEST

static int
test_txn(struct store *st, void *arg)
{
	return store_partner_test(st, pb, "msg_test", "{\"t\":1}", NOW);
}

START_TEST(test_event_one_partner)
{
	struct store_send	 v;
	int64_t			 ids[8];
	size_t			 n;

	ck_assert_int_eq(store_write(s, test_txn, NULL), 0);
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries"), 1);
	ck_assert_int_eq(store_due_partners(s, NOW, 8, ids, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0], pb);
	ck_assert_int_eq(store_due(s, pb, NOW, 8, ids, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(store_send_get(s, ids[0], NOW, &v), 0);
	ck_assert_str_eq(v.type, STORE_TEST_EVENT);
	ck_assert_str_eq(v.payload, "{\"t\":1}");
	store_send_free(&v);
}
END_TEST

START_TEST(due_per_partner)
{
	int64_t	 ids[16];
	char	 id[16];
	size_t	 n, i;

	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "msg_%zu", i);
		event(c1, id);
	}
	/* a's due in the reverse order of their ids; b's from its first. */
	exec("UPDATE deliveries SET next_at = 100 - id WHERE partner_id = 1");
	exec("UPDATE deliveries SET next_at = 90 + id WHERE partner_id = 2");
	/* a's earliest is due before b's; not the disabled c. */
	ck_assert_int_eq(store_due_partners(s, NOW, 16, ids, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ids[0], pa);
	ck_assert_int_eq(ids[1], pb);
	ck_assert_int_eq(store_due_partners(s, NOW, 1, ids, &n), 0);
	ck_assert_uint_eq(n, 1);
	/* Only the partner's own, by next_at. */
	ck_assert_int_eq(store_due(s, pa, NOW, 16, ids, &n), 0);
	ck_assert_uint_eq(n, 5);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(num_id("SELECT partner_id FROM deliveries "
		    "WHERE id = ?", ids[i]), pa);
		if (i > 0)
			ck_assert_int_lt(ids[i], ids[i - 1]);
	}
	/* At most max. */
	ck_assert_int_eq(store_due(s, pb, NOW, 3, ids, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(num_id("SELECT next_at FROM deliveries WHERE id = ?",
	    ids[0]), 90 + ids[0]);
	ck_assert_int_lt(ids[0], ids[1]);
	/* Due by now_ms only: b's first three at 90 + id. */
	ck_assert_int_eq(store_due(s, pb, 90 + ids[2], 16, ids, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(store_due(s, pb, 0, 16, ids, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(store_due_partners(s, 0, 16, ids, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* Delivered and failed ones are not due. */
	exec("UPDATE deliveries SET state = 'delivered' WHERE partner_id = 1");
	exec("UPDATE deliveries SET state = 'failed' WHERE partner_id = 2");
	ck_assert_int_eq(store_due(s, pa, NOW, 16, ids, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(store_due_partners(s, NOW, 16, ids, &n), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

static int
rotate_txn(struct store *st, void *arg)
{
	return store_partner_rotate(st, pb, "whsec_NEWB", NOW + 1000);
}

START_TEST(send_detail_and_rotation)
{
	struct store_send	 v;
	int64_t			 da, db, dc;

	event(c1, "msg_1");
	da = num("SELECT id FROM deliveries WHERE partner_id = 1");
	db = num("SELECT id FROM deliveries WHERE partner_id = 2");
	dc = num("SELECT id FROM deliveries WHERE partner_id = 3");
	ck_assert_int_eq(store_send_get(s, da, NOW, &v), 0);
	ck_assert_str_eq(v.payload, "{\"s\":1}");
	ck_assert_str_eq(v.event_id, "msg_1");
	ck_assert_str_eq(v.campaign_slug, "one");
	ck_assert_ptr_null(v.previous_secret);
	store_send_free(&v);
	/* c is disabled */
	ck_assert_int_eq(store_send_get(s, dc, NOW, &v), 1);

	ck_assert_int_eq(store_write(s, rotate_txn, NULL), 0);
	ck_assert_int_eq(store_send_get(s, db, NOW, &v), 0);
	ck_assert_str_eq(v.payload, "{\"f\":1}");		/* full */
	ck_assert_str_eq(v.secret, "whsec_NEWB");
	ck_assert_str_eq(v.previous_secret, "whsec_BBBB");
	store_send_free(&v);
	ck_assert_int_eq(store_send_get(s, db, NOW + 1000, &v), 0);
	ck_assert_ptr_null(v.previous_secret);		/* expired */
	store_send_free(&v);
}
END_TEST

static int
disable_a_txn(struct store *st, void *arg)
{
	return store_partner_disable(st, pa, "by the test");
}

/* The preparer's reads share one snapshot: a partner disabled from
 * another connection meanwhile is seen only after store_read_end. */
START_TEST(send_snapshot)
{
	struct store_send	 v;
	struct store		*other;
	int64_t			 d1, d2;
	bool			 began;

	event(c1, "msg_1");
	event(c1, "msg_2");
	d1 = num("SELECT min(id) FROM deliveries WHERE partner_id = 1");
	d2 = num("SELECT max(id) FROM deliveries WHERE partner_id = 1");
	ck_assert_ptr_nonnull(other = store_open(path));
	ck_assert(began = store_read_begin(s));
	ck_assert_int_eq(store_send_get(s, d1, NOW, &v), 0);
	store_send_free(&v);
	ck_assert_int_eq(store_write(other, disable_a_txn, NULL), 0);
	ck_assert_int_eq(store_send_get(s, d2, NOW, &v), 0);
	ck_assert_str_eq(v.event_id, "msg_2");
	store_send_free(&v);
	store_read_end(s, began);
	ck_assert_int_eq(store_send_get(s, d2, NOW, &v), 1);
	/* Inside a transaction already: nothing to begin, nor to end. */
	exec("BEGIN");
	ck_assert(!store_read_begin(s));
	store_read_end(s, false);
	ck_assert_int_eq(num("SELECT count(*) FROM partners"), 4);
	exec("COMMIT");
	store_close(other);
}
END_TEST

struct fail {
	int64_t	 delivery, partner, next, now, since;
	int	 status;
	int	 attempt;	/* 0: the delivery's next */
	int	 rc;		/* store_outcome_add's: 1 superseded */
};

/*
 * The outcome f describes: status 2xx delivered, else a failure; of the
 * delivery's next attempt unless f names one.
 */
static struct store_outcome
outcome(const struct fail *f)
{
	struct store_outcome	 o;
	char			 q[80];

	memset(&o, 0, sizeof(o));
	o.delivery_id = f->delivery;
	o.partner_id = f->partner;
	snprintf(q, sizeof(q), "SELECT attempts FROM deliveries WHERE id = "
	    "%lld", (long long)f->delivery);
	o.attempt = f->attempt != 0 ? f->attempt : (int)num(q) + 1;
	o.at = "2025-01-01T00:00:00.000Z";
	o.status = f->status;
	o.error = f->status == 0 ? "refused" : "";
	o.latency_ms = 12;
	o.body = "busy";
	o.delivered = f->status >= 200 && f->status <= 299;
	o.next_at_ms = f->next;
	o.now_ms = f->now;
	return o;
}

/* Record f's outcome; its result in f->rc (a superseded one commits). */
static int
fail_txn(struct store *st, void *arg)
{
	struct fail		*f = arg;
	struct store_outcome	 o = outcome(f);

	f->rc = store_outcome_add(st, &o, &f->since);
	return f->rc == -1 ? -1 : 0;
}

static int
ok_txn(struct store *st, void *arg)
{
	struct fail	*f = arg;

	f->status = 204;
	return fail_txn(st, f);
}

/* Event msg_1's delivery to partner a fails once (500, due again at
 * NOW + 5 s); f describes that outcome. */
static void
first_failure(struct fail *f)
{
	event(c1, "msg_1");
	memset(f, 0, sizeof(*f));
	f->delivery = num("SELECT id FROM deliveries WHERE partner_id = 1");
	f->partner = pa;
	f->status = 500;
	f->next = NOW + 5000;
	f->now = NOW;
	ck_assert_int_eq(store_write(s, fail_txn, f), 0);
}

START_TEST(outcomes)
{
	struct store_attempt	*v;
	int64_t			 ids[8];
	struct fail		 f;
	size_t			 n;

	first_failure(&f);
	ck_assert_int_eq(f.since, NOW);
	ck_assert_int_eq(num("SELECT attempts * 1000 + last_status FROM "
	    "deliveries WHERE partner_id = 1"), 1500);
	/* Not due before next_at. */
	ck_assert_int_eq(store_due(s, pa, NOW + 4999, 8, ids, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(store_due(s, pa, NOW + 5000, 8, ids, &n), 0);
	ck_assert_uint_eq(n, 1);

	f.status = 0;
	f.now = NOW + 6000;
	ck_assert_int_eq(store_write(s, fail_txn, &f), 0);
	ck_assert_int_eq(f.since, NOW);		/* since the first */
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries WHERE "
	    "partner_id = 1 AND last_error = 'refused'"), 1);

	f.next = -1;
	ck_assert_int_eq(store_write(s, fail_txn, &f), 0);
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries WHERE "
	    "partner_id = 1 AND state = 'failed' AND attempts = 3"), 1);

	ck_assert_int_eq(store_attempts(s, pa, 2, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[0].status, 0);
	ck_assert_str_eq(v[0].error, "refused");
	ck_assert_str_eq(v[0].event_id, "msg_1");
	ck_assert_str_eq(v[0].body, "busy");
	store_attempts_free(v, n);

	/* A success with another event ends the partner's failing streak. */
	event(c1, "msg_2");
	f.delivery = num("SELECT d.id FROM deliveries d JOIN events e ON "
	    "e.id = d.event_id WHERE d.partner_id = 1 AND "
	    "e.event_id = 'msg_2'");
	ck_assert_int_eq(store_write(s, ok_txn, &f), 0);
	ck_assert_int_eq(num("SELECT count(*) FROM partners WHERE id = 1 AND "
	    "failing_since IS NULL"), 1);
	ck_assert_int_eq(num("SELECT attempts * 1000 + last_status FROM "
	    "deliveries WHERE id = (SELECT d.id FROM deliveries d JOIN events "
	    "e ON e.id = d.event_id WHERE d.partner_id = 1 AND "
	    "e.event_id = 'msg_2') AND state = 'delivered'"), 1204);
}
END_TEST

/*
 * An attempt's outcome arriving after the delivery was redelivered (its
 * count reset) is logged but leaves the new schedule alone, whether the
 * attempt failed for good or succeeded.
 */
START_TEST(stale_outcome)
{
	struct fail	 f;
	char		 q[160];

	first_failure(&f);
	/* Attempt 2 starts; meanwhile the delivery is redelivered. */
	exec("UPDATE deliveries SET state = 'pending', attempts = 0, "
	    "next_at = 7 WHERE partner_id = 1");
	f.attempt = 2;
	f.next = -1;
	ck_assert_int_eq(store_write(s, fail_txn, &f), 0);
	ck_assert_int_eq(f.rc, 1);
	snprintf(q, sizeof(q), "SELECT state || '|' || attempts || '|' || "
	    "next_at = 'pending|0|7' FROM deliveries WHERE id = %lld",
	    (long long)f.delivery);
	ck_assert_int_eq(num(q), 1);
	ck_assert_int_eq(store_write(s, ok_txn, &f), 0);
	ck_assert_int_eq(f.rc, 1);
	ck_assert_int_eq(num(q), 1);
	ck_assert_int_eq(num("SELECT count(*) FROM attempts"), 3);
	/* The redelivered schedule's own attempt 1 applies. */
	f.attempt = 0;
	ck_assert_int_eq(store_write(s, ok_txn, &f), 0);
	ck_assert_int_eq(f.rc, 0);
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries WHERE "
	    "partner_id = 1 AND state = 'delivered' AND attempts = 1"), 1);
}
END_TEST

/* Outcomes recorded in one transaction, which fails at its end or not. */
struct batch {
	struct fail	 f[4];
	bool		 fail;
};

static int
batch_txn(struct store *st, void *arg)
{
	struct batch		*b = arg;
	struct store_outcome	 o;

	for (size_t i = 0; i < 4; i++) {
		o = outcome(&b->f[i]);
		if (store_outcome_add(st, &o, &b->f[i].since) == -1)
			return -1;
	}
	return b->fail ? -1 : 0;
}

START_TEST(batch)
{
	static const int	 status[4] = { 204, 500, 200, 0 };
	static const int64_t	 next[4] = { 0, NOW + 1000, 0, -1 };
	struct batch		 b;
	int64_t			 ids[8];
	size_t			 n, i;
	char			 id[16];

	for (i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "msg_%zu", i);
		event(c1, id);
	}
	exec("UPDATE deliveries SET next_at = id");
	ck_assert_int_eq(store_due(s, pa, NOW, 8, ids, &n), 0);
	ck_assert_uint_eq(n, 4);
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 4; i++) {
		b.f[i].delivery = ids[i];
		b.f[i].partner = pa;
		b.f[i].status = status[i];
		b.f[i].next = next[i];
		b.f[i].now = NOW + (int64_t)i;
	}
	/* Not committed: every one is still pending and due, unattempted,
	 * so each is sent again (with the same event id). */
	b.fail = true;
	ck_assert_int_eq(store_write(s, batch_txn, &b), -1);
	ck_assert_int_eq(num("SELECT count(*) FROM attempts"), 0);
	ck_assert_int_eq(store_due(s, pa, NOW, 8, ids, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries WHERE "
	    "partner_id = 1 AND attempts = 0 AND last_status IS NULL"), 4);
	ck_assert_int_eq(num("SELECT count(*) FROM partners WHERE id = 1 AND "
	    "failing_since IS NULL"), 1);

	/* Committed: all four at once, in order. */
	b.fail = false;
	ck_assert_int_eq(store_write(s, batch_txn, &b), 0);
	ck_assert_int_eq(num("SELECT count(*) FROM attempts"), 4);
	ck_assert_int_eq(num_id("SELECT count(*) FROM deliveries WHERE "
	    "partner_id = ? AND state = 'delivered' AND attempts = 1",
	    pa), 2);
	ck_assert_int_eq(num_id("SELECT next_at FROM deliveries WHERE id = ? "
	    "AND state = 'pending' AND attempts = 1 AND last_status = 500",
	    b.f[1].delivery), NOW + 1000);
	ck_assert_int_eq(num_id("SELECT count(*) FROM deliveries WHERE "
	    "id = ? AND state = 'failed' AND last_error = 'refused'",
	    b.f[3].delivery), 1);
	/* The 500 started a streak, the 200 ended it, the refusal began
	 * the one the partner is in. */
	ck_assert_int_eq(b.f[1].since, NOW + 1);
	ck_assert_int_eq(b.f[3].since, NOW + 3);
	ck_assert_int_eq(num("SELECT failing_since FROM partners WHERE "
	    "id = 1"), NOW + 3);
	ck_assert_int_eq(store_due(s, pa, NOW + 999, 8, ids, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(store_due(s, pa, NOW + 1000, 8, ids, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ids[0], b.f[1].delivery);
}
END_TEST

struct redo {
	int64_t		 partner;
	const char	*event_id;
	int64_t		 n;
};

static int
redo_txn(struct store *st, void *arg)
{
	struct redo	*r = arg;

	if (r->event_id != NULL)
		return store_redeliver(st, r->partner, r->event_id, NOW);
	return store_redeliver_failed(st, r->partner, "2024-12-31", NOW,
	    &r->n);
}

START_TEST(redeliver)
{
	struct redo	 r = { 0, NULL, 0 };

	event(c1, "msg_1");
	exec("UPDATE deliveries SET state = 'failed', attempts = 10, "
	    "next_at = 99");
	r.partner = pa;
	r.event_id = "msg_1";
	ck_assert_int_eq(store_write(s, redo_txn, &r), 0);
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries WHERE "
	    "partner_id = 1 AND state = 'pending' AND attempts = 0 AND "
	    "next_at = 1700000000000"), 1);
	r.event_id = "msg_nope";
	ck_assert_int_eq(store_write(s, redo_txn, &r), 1);
	/* Another campaign's event is not this partner's. */
	event(c2, "msg_2");
	r.event_id = "msg_2";
	ck_assert_int_eq(store_write(s, redo_txn, &r), 1);
	/* A partner added after the event gets a delivery of its own. */
	exec("DELETE FROM deliveries WHERE partner_id = 2");
	r.partner = pb;
	r.event_id = "msg_1";
	ck_assert_int_eq(store_write(s, redo_txn, &r), 0);
	ck_assert_int_eq(num("SELECT count(*) FROM deliveries WHERE "
	    "partner_id = 2"), 1);
	/* Every failed one since a date. */
	r.partner = pc;
	r.event_id = NULL;
	ck_assert_int_eq(store_write(s, redo_txn, &r), 0);
	ck_assert_int_eq(r.n, 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*su = suite_create("store_notify");
	TCase	*tc = tcase_create("store_notify");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, partners);
	tcase_add_test(tc, secrets_need_the_key);
	tcase_add_test(tc, fan_out);
	tcase_add_test(tc, test_event_one_partner);
	tcase_add_test(tc, due_per_partner);
	tcase_add_test(tc, send_detail_and_rotation);
	tcase_add_test(tc, send_snapshot);
	tcase_add_test(tc, outcomes);
	tcase_add_test(tc, stale_outcome);
	tcase_add_test(tc, batch);
	tcase_add_test(tc, redeliver);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	return check_run(suite());
}
