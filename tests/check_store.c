/*
 * check_store: migrations from zero on a temporary database, the setup
 * calls, the card save rules (stale revisions, closed campaigns,
 * versions and events written in one transaction) and the writers' queue.
 */
#include <sys/file.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/auth.h"
#include "check-run.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/forms.h"
#include "store/responses.h"
#include "store/sessions.h"
#include "store/store.h"

static char	 dir[] = "/tmp/check_store.XXXXXX";
static char	 path[64];
static struct store *s;
static int64_t	 campaign, field, expert, assignment;
static int	 payloads;

static const char *const migrations_expected_tables[] = {
	"forms", "campaigns", "cities", "fields", "experts", "assignments",
	"responses", "response_versions", "answers", "sessions", "audit",
	"events",
};

static int
setup_txn(struct store *st, void *arg)
{
	unsigned char	 hash[32];
	int64_t		 form;

	auth_token_hash("token", hash);
	if (store_form_import(st, "keyfield", 1,
	    "{\"name\":\"keyfield\",\"version\":1}", &form) != 0 ||
	    store_campaign_add(st, "demo", "Demo", "keyfield", &campaign) != 0 ||
	    store_city_add(st, campaign, "Fr", "Freiburg", 0) != 0 ||
	    store_city_add(st, campaign, "B", "Berlin", 1) != 0 ||
	    store_field_add(st, campaign, "SF41", "Cluster Management",
	    &field) != 0 ||
	    store_expert_add(st, campaign, "Åsa", "a@example.org", hash,
	    &expert) != 0 ||
	    store_assign(st, expert, field) != 0)
		return -1;
	return 0;
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k.db", dir);
	ck_assert_int_eq(auth_init(), 0);
	ck_assert_ptr_nonnull(s = store_open(path));
	ck_assert_int_eq(store_write(s, setup_txn, NULL), 0);
}

static void
teardown(void)
{
	char	 wal[80];

	store_close(s);
	unlink(path);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s.write-lock", path);
	unlink(wal);
	rmdir(dir);
	strcpy(dir, "/tmp/check_store.XXXXXX");
}

START_TEST(test_migrations_from_zero)
{
	struct store	*again;

	ck_assert_int_ge(store_schema_version(s), 1);
	/* Opening again applies nothing and keeps the data. */
	ck_assert_ptr_nonnull(again = store_open(path));
	ck_assert_int_eq(store_schema_version(again),
	    store_schema_version(s));
	store_close(again);
}
END_TEST

/*
 * The campaign whose slug is arg is the one setup made: 0; 1 when there
 * is none, 2 when it is another (a lookup through the migrated schema).
 */
static int
is_setup_campaign(struct store *st, void *arg)
{
	int64_t	 id;
	int	 rc;

	if ((rc = store_campaign_id(st, arg, &id)) != 0)
		return rc;
	return id == campaign ? 0 : 2;
}

START_TEST(test_tables)
{
	char	 cmd[256];

	ck_assert_int_eq(store_write(s, is_setup_campaign, "demo"), 0);
	ck_assert_int_eq(store_write(s, is_setup_campaign, "nodemo"), 1);
	for (size_t i = 0; i < sizeof(migrations_expected_tables) /
	    sizeof(migrations_expected_tables[0]); i++) {
		snprintf(cmd, sizeof(cmd), "sqlite3 %s \"SELECT 1 FROM %s "
		    "LIMIT 0\" >/dev/null 2>&1", path,
		    migrations_expected_tables[i]);
		ck_assert_msg(system(cmd) == 0, "table %s",
		    migrations_expected_tables[i]);
	}
	/* A card's cities come in their order from an index, unsorted. */
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"EXPLAIN QUERY PLAN SELECT "
	    "code, name FROM cities WHERE campaign_id = 1 ORDER BY position, "
	    "id\" | grep -q 'USING INDEX cities_order (campaign_id=?)'", path);
	ck_assert_msg(system(cmd) == 0, "cities read without cities_order");
}
END_TEST

static int
dup_campaign(struct store *st, void *arg)
{
	int64_t	 id;

	return store_campaign_add(st, "demo", "Again", "keyfield", &id);
}

START_TEST(test_unique)
{
	ck_assert_int_eq(store_write(s, dup_campaign, NULL), 1);
}
END_TEST

/* Another invitation of a@example.org, written as in rows[_i]. */
static const char *const email_rows[] = {
	"a@example.org", "A@Example.ORG", " a@example.org", "a@example.org ",
};

static int
email_again(struct store *st, void *arg)
{
	unsigned char	 hash[32];
	int64_t		 id;

	auth_token_hash(arg, hash);
	return store_expert_add(st, campaign, "Again", arg, hash, &id);
}

/* One invitation per address and campaign (migration 007's trigger). */
START_TEST(test_email_once)
{
	struct store_expert_row	 e;

	ck_assert_int_eq(store_write(s, email_again,
	    (void *)email_rows[_i]), 1);
	ck_assert_int_eq(store_expert_by_email(s, campaign, email_rows[_i],
	    &e), 0);
	ck_assert_int_eq(e.id, expert);
	ck_assert_str_eq(e.name, "\xc3\x85sa");
	ck_assert_int_eq(store_expert_by_email(s, campaign, "b@example.org",
	    &e), 1);
	ck_assert_int_eq(store_write(s, email_again, "b@example.org"), 0);
}
END_TEST

static int
payload(void *ctx, const struct store_card *c,
    const struct form_answers *a, const char *type, const char *event_id,
    int version, const char *at, char **summary, char **full)
{
	/* The snapshot is of the answers being submitted, not the old copy. */
	ck_assert_str_eq(form_answer(a, "rating.rating", "Fr", 0), "7");
	payloads++;
	if ((*summary = strdup(type)) == NULL)
		return -1;
	if ((*full = strdup(type)) == NULL) {
		free(*summary);
		return -1;
	}
	return 0;
}

START_TEST(test_card_save)
{
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	unsigned char		 hash[32];
	int64_t			 rev, eid;
	int			 ver;

	auth_token_hash("token", hash);
	ck_assert_int_eq(store_expert_by_token(s, hash, &eid), 0);
	ck_assert_int_eq(eid, expert);
	ck_assert_int_eq(store_card_get(s, expert, assignment = 1, &c), 0);
	ck_assert_int_eq(c.ncities, 2);
	ck_assert_str_eq(c.cities[0].key, "Fr");
	ck_assert_int_eq(c.status, STORE_NEW);
	ck_assert_int_eq(form_answers_add(&a, "rating.rating", "Fr", 0, "7"),
	    0);
	ck_assert_int_eq(form_answers_add(&a, "indicators", "", 1, "b"), 0);

	/* Draft from revision 0; a second save from 0 is stale. */
	payloads = 0;
	ck_assert_int_eq(store_card_save(s, &c, 0, &a, false, "test", payload,
	    NULL, &rev, &ver), STORE_SAVED);
	ck_assert_int_eq(rev, 1);
	ck_assert_int_eq(ver, 0);
	ck_assert_int_eq(payloads, 0);
	ck_assert_int_eq(store_card_save(s, &c, 0, &a, false, "test", payload,
	    NULL, &rev, &ver), STORE_STALE);
	/* Submit: version 1, its payloads (summary and full) made once. */
	ck_assert_int_eq(store_card_save(s, &c, 1, &a, true, "test", payload,
	    NULL, &rev, &ver), STORE_SAVED);
	ck_assert_int_eq(rev, 2);
	ck_assert_int_eq(ver, 1);
	ck_assert_int_eq(payloads, 1);
	store_card_free(&c);

	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	ck_assert_int_eq(c.status, STORE_SUBMITTED);
	ck_assert_int_eq(c.version, 1);
	ck_assert_uint_eq(c.answers.n, 2);
	ck_assert_str_eq(form_answer(&c.answers, "rating.rating", "Fr", 0),
	    "7");
	store_card_free(&c);
	form_answers_free(&a);
	ck_assert_int_eq(store_answers_get(s, 1, 1, &a), 0);
	ck_assert_uint_eq(a.n, 2);

	/*
	 * The status through each update: submitted again (kept), a draft
	 * after it (changed), a draft again (kept).
	 */
	payloads = 0;
	for (int i = 0; i < 3; i++) {
		static const struct {
			bool			 submit;
			enum store_status	 status;
			int			 version;
		} want[] = {
			{ true, STORE_SUBMITTED, 2 },
			{ false, STORE_DRAFT, 2 },
			{ false, STORE_DRAFT, 2 },
		};

		ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
		ck_assert_int_eq(store_card_save(s, &c, c.revision, &a,
		    want[i].submit, "test", payload, NULL, &rev, &ver),
		    STORE_SAVED);
		ck_assert_int_eq(rev, 3 + i);
		ck_assert_int_eq(ver, want[i].version);
		store_card_free(&c);
		ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
		ck_assert_int_eq(c.status, want[i].status);
		ck_assert_int_eq(c.revision, 3 + i);
		ck_assert_int_eq(c.version, want[i].version);
		store_card_free(&c);
	}
	ck_assert_int_eq(payloads, 1);
	form_answers_free(&a);

	/* Another expert's id does not reach the card. */
	ck_assert_int_eq(store_card_get(s, expert + 1, 1, &c), 1);
}
END_TEST

/* The working copy as "question/row/item=value;" in key order. */
static void
copy_str(struct store_card *c, char *out, size_t outsz)
{
	size_t	 len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < c->answers.n; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%s/%s/%u=%s;",
		    c->answers.v[i].question, c->answers.v[i].row,
		    c->answers.v[i].item, c->answers.v[i].value);
}

/* The detail of the audit row k rows before the last ("" if none). */
static void
audit_detail(int k, char *out, size_t sz)
{
	char	 cmd[256];
	FILE	*f;
	size_t	 n;

	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"SELECT detail FROM audit "
	    "ORDER BY id DESC LIMIT 1 OFFSET %d\"", path, k);
	ck_assert_ptr_nonnull(f = popen(cmd, "r"));
	n = fread(out, 1, sz - 1, f);
	pclose(f);
	while (n > 0 && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
}

START_TEST(test_card_save_changes)
{
	struct store_card	 c;
	struct form_answers	 a = { 0 }, v1 = { 0 };
	int64_t			 rev;
	int			 ver;
	char			 got[1024];

	/* Five answers, then reload: the copy the next save diffs against. */
	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	form_answers_add(&a, "description", "", 0, "first");
	form_answers_add(&a, "indicators", "", 0, "one");
	form_answers_add(&a, "indicators", "", 1, "two");
	form_answers_add(&a, "rating.rating", "Fr", 0, "7");
	form_answers_add(&a, "rating.rating", "B", 0, "8");
	ck_assert_int_eq(store_card_save(s, &c, 0, &a, false, "test", payload,
	    NULL, &rev, &ver), STORE_SAVED);
	store_card_free(&c);
	form_answers_free(&a);
	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	ck_assert_uint_eq(c.answers.n, 5);

	/* One changed, one kept, one added, the rest removed. */
	form_answers_add(&a, "description", "", 0, "second");
	form_answers_add(&a, "rating.rating", "Fr", 0, "7");
	form_answers_add(&a, "rating.rating", "C", 0, "6");
	ck_assert_int_eq(store_card_save(s, &c, c.revision, &a, false, "test",
	    payload, NULL, &rev, &ver), STORE_SAVED);
	ck_assert_int_eq(rev, 2);
	/* A save from the stale copy (revision 1) changes nothing. */
	ck_assert_int_eq(store_card_save(s, &c, 1, &a, false, "test",
	    payload, NULL, &rev, &ver), STORE_STALE);
	store_card_free(&c);
	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	copy_str(&c, got, sizeof(got));
	ck_assert_str_eq(got, "description//0=second;rating.rating/C/0=6;"
	    "rating.rating/Fr/0=7;");
	/* The audit names removed answers first, then changed and new. */
	audit_detail(0, got, sizeof(got));
	ck_assert_str_eq(got, "draft after version 0; indicators, indicators, "
	    "rating.rating:B, description, rating.rating:C");
	audit_detail(1, got, sizeof(got));
	ck_assert_str_eq(got, "draft after version 0; all answers (5 values)");

	/* Submit the same answers: version 1 holds exactly the copy. */
	ck_assert_int_eq(store_card_save(s, &c, c.revision, &a, true, "test",
	    payload, NULL, &rev, &ver), STORE_SAVED);
	ck_assert_int_eq(ver, 1);
	ck_assert_int_eq(store_answers_get(s, c.response_id, 1, &v1), 0);
	ck_assert_uint_eq(v1.n, 3);
	ck_assert_str_eq(form_answer(&v1, "description", "", 0), "second");
	ck_assert_str_eq(form_answer(&v1, "rating.rating", "C", 0), "6");
	ck_assert_ptr_null(form_answer(&v1, "indicators", "", 0));
	form_answers_free(&v1);
	store_card_free(&c);

	/* Resubmit unchanged: version 2 equal to version 1. */
	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	ck_assert_int_eq(store_card_save(s, &c, c.revision, &a, true, "test",
	    payload, NULL, &rev, &ver), STORE_SAVED);
	ck_assert_int_eq(ver, 2);
	ck_assert_int_eq(store_answers_get(s, c.response_id, 2, &v1), 0);
	ck_assert_uint_eq(v1.n, 3);
	form_answers_free(&v1);
	store_card_free(&c);
	audit_detail(0, got, sizeof(got));
	ck_assert_str_eq(got, "version 2; no change");

	/*
	 * A key twice in one save (not from form_collect): compared with
	 * the copy's value, as a lookup would; the later one is stored.
	 */
	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	form_answers_add(&a, "description", "", 0, "third");
	ck_assert_int_eq(store_card_save(s, &c, c.revision, &a, false, "test",
	    payload, NULL, &rev, &ver), STORE_SAVED);
	audit_detail(0, got, sizeof(got));
	ck_assert_str_eq(got, "draft after version 2; description");
	store_card_free(&c);
	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	ck_assert_str_eq(form_answer(&c.answers, "description", "", 0),
	    "third");
	store_card_free(&c);
	form_answers_free(&a);
}
END_TEST

static int
close_campaign(struct store *st, void *arg)
{
	/* No setter yet: the audit call proves writes work; close by SQL. */
	return store_audit(st, "test", "campaign.close", "campaign:demo", "");
}

START_TEST(test_closed)
{
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	int64_t			 rev;
	int			 ver;
	char			 cmd[256];

	ck_assert_int_eq(store_write(s, close_campaign, NULL), 0);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE campaigns SET "
	    "status = 'closed'\"", path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	ck_assert(!c.campaign_open);
	ck_assert_int_eq(store_card_save(s, &c, 0, &a, false, "test", payload,
	    NULL, &rev, &ver), STORE_CLOSED);
	store_card_free(&c);
}
END_TEST

START_TEST(test_sessions)
{
	struct store_session	 ss;
	unsigned char		 h[32];

	auth_token_hash("session", h);
	ck_assert_int_eq(store_session_add(s, h, "expert", expert, "csrf"), 0);
	ck_assert_int_eq(store_session_get(s, h, &ss), 0);
	ck_assert_str_eq(ss.kind, "expert");
	ck_assert_str_eq(ss.csrf, "csrf");
	ck_assert_int_eq(ss.subject_id, expert);
	ck_assert_int_eq(store_session_delete(s, h), 0);
	ck_assert_int_eq(store_session_get(s, h, &ss), 1);
}
END_TEST

/* Coordinators, an administrator, and roles per campaign. */
struct roles_fixture {
	int64_t	 other;		/* a second campaign */
	int64_t	 ana, olga;	/* coordinator ids */
};

static int
roles_txn(struct store *st, void *arg)
{
	struct roles_fixture		*f = arg;
	struct store_coordinator	 c;

	if (store_campaign_add(st, "other", "Other", "keyfield",
	    &f->other) != 0 ||
	    store_coordinator_add(st, "ana", "h", true) != 0 ||
	    store_coordinator_add(st, "olga", "h", false) != 0 ||
	    store_coordinator_get(st, "ana", &c) != 0)
		return -1;
	f->ana = c.id;
	if (store_coordinator_get(st, "olga", &c) != 0)
		return -1;
	f->olga = c.id;
	return store_role_set(st, f->olga, campaign, STORE_ROLE_VIEWER);
}

static int
count_campaign(void *arg, const struct store_campaign *c)
{
	(void)c;
	(*(int *)arg)++;
	return 0;
}

static int
promote_txn(struct store *st, void *arg)
{
	const struct roles_fixture *f = arg;

	return store_role_set(st, f->olga, campaign, STORE_ROLE_OWNER);
}

static int
revoke_txn(struct store *st, void *arg)
{
	const struct roles_fixture *f = arg;

	return store_role_revoke(st, f->olga, campaign);
}

START_TEST(test_roles)
{
	struct roles_fixture	 f;
	struct store_coordinator c;
	enum store_role		 r;
	int			 n;

	ck_assert_int_eq(store_write(s, roles_txn, &f), 0);
	ck_assert_int_eq(store_coordinator_get(s, "ana", &c), 0);
	ck_assert(c.admin);
	ck_assert_int_eq(store_coordinator_get(s, "olga", &c), 0);
	ck_assert(!c.admin);
	ck_assert_int_eq(store_role_get(s, f.olga, campaign, &r), 0);
	ck_assert_int_eq(r, STORE_ROLE_VIEWER);
	ck_assert_int_eq(store_role_get(s, f.olga, f.other, &r), 0);
	ck_assert_int_eq(r, STORE_ROLE_NONE);
	/* Everyone's list (0) has both; hers only her one campaign. */
	n = 0;
	ck_assert_int_eq(store_campaigns(s, 0, count_campaign, &n), 0);
	ck_assert_int_eq(n, 2);
	n = 0;
	ck_assert_int_eq(store_campaigns(s, f.olga, count_campaign, &n), 0);
	ck_assert_int_eq(n, 1);
	n = 0;
	ck_assert_int_eq(store_campaigns(s, f.ana, count_campaign, &n), 0);
	ck_assert_int_eq(n, 0);		/* the console passes 0 for her */
	/* A second grant changes the role; a revoke ends it, once. */
	ck_assert_int_eq(store_write(s, promote_txn, &f), 0);
	ck_assert_int_eq(store_role_get(s, f.olga, campaign, &r), 0);
	ck_assert_int_eq(r, STORE_ROLE_OWNER);
	ck_assert_int_eq(store_write(s, revoke_txn, &f), 0);
	ck_assert_int_eq(store_role_get(s, f.olga, campaign, &r), 0);
	ck_assert_int_eq(r, STORE_ROLE_NONE);
	ck_assert_int_eq(store_write(s, revoke_txn, &f), 1);
}
END_TEST

/* store_role_parse and store_role_name, hostile names included. */
static const struct {
	const char	*name;
	enum store_role	 role;
} role_names[] = {
	{ "owner", STORE_ROLE_OWNER },
	{ "viewer", STORE_ROLE_VIEWER },
	{ "", STORE_ROLE__MAX },
	{ "Owner", STORE_ROLE__MAX },
	{ "owner ", STORE_ROLE__MAX },
	{ "admin", STORE_ROLE__MAX },
};

START_TEST(test_role_names)
{
	enum store_role	 r = store_role_parse(role_names[_i].name);

	ck_assert_int_eq(r, role_names[_i].role);
	if (r != STORE_ROLE__MAX)
		ck_assert_str_eq(store_role_name(r), role_names[_i].name);
}
END_TEST

struct seen {
	char	 names[4][STORE_NAME_MAX];
	char	 fields[4][64];
	int	 n;
};

static int
seen_expert(void *arg, const struct store_expert_item *e)
{
	struct seen	*v = arg;

	ck_assert_int_lt(v->n, 4);
	ck_assert_uint_lt(strlen(e->fields), sizeof(v->fields[0]));
	memcpy(v->names[v->n], e->name, sizeof(e->name));
	memcpy(v->fields[v->n], e->fields, strlen(e->fields) + 1);
	v->n++;
	return 0;
}

static int
experts_txn(struct store *st, void *arg)
{
	unsigned char	 h[32];
	int64_t		 id, f2;
	char		 email[32];

	(void)arg;
	if (store_field_add(st, campaign, "AA1", "First", &f2) != 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		snprintf(email, sizeof(email), "b%d@example.org", i);
		auth_token_hash(email, h);
		if (store_expert_add(st, campaign, email, email, h, &id) != 0 ||
		    (i == 0 && (store_assign(st, id, field) != 0 ||
		    store_assign(st, id, f2) != 0)))
			return -1;
	}
	return 0;
}

/* A page of experts: by name, offset and limit, codes by code. */
START_TEST(test_experts_page)
{
	struct seen	 v = { 0 };
	int64_t		 n;

	ck_assert_int_eq(store_write(s, experts_txn, NULL), 0);
	ck_assert_int_eq(store_experts_count(s, campaign, &n), 0);
	ck_assert_int_eq(n, 4);
	/* Åsa sorts after the b…@ names (bytes); skip one, take two. */
	ck_assert_int_eq(store_experts_page(s, campaign, 0, 1, 2,
	    seen_expert, &v), 0);
	ck_assert_int_eq(v.n, 2);
	ck_assert_str_eq(v.names[0], "b1@example.org");
	ck_assert_str_eq(v.fields[0], "");
	ck_assert_str_eq(v.names[1], "b2@example.org");
	v.n = 0;
	ck_assert_int_eq(store_experts_page(s, campaign, 0, 0, 1,
	    seen_expert, &v), 0);
	ck_assert_str_eq(v.fields[0], "AA1, SF41");
	v.n = 0;
	ck_assert_int_eq(store_experts_page(s, campaign, expert, 0, 10,
	    seen_expert, &v), 0);
	ck_assert_int_eq(v.n, 1);
	ck_assert_str_eq(v.fields[0], "SF41");
	v.n = 0;	/* another campaign's id: none */
	ck_assert_int_eq(store_experts_page(s, campaign + 1, expert, 0, 10,
	    seen_expert, &v), 0);
	ck_assert_int_eq(v.n, 0);
}
END_TEST

/*
 * A sign-in ends the browser's old session, sweeps the expired ones of
 * its kind (not another kind's), adds the new one and keeps the newest
 * keep of the subject.
 */
START_TEST(test_session_start)
{
	struct store_session	 ss;
	struct store_signin	 in = { .kind = "expert", .subject_id = expert,
	    .csrf = "c", .idle = 14 * 86400, .max = 90 * 86400, .keep = 2 };
	unsigned char		 idle[32], old[32], other[32], coord[32];
	unsigned char		 n[4][32];
	char			 cmd[512];

	auth_token_hash("idle", idle);
	auth_token_hash("old", old);
	auth_token_hash("other", other);
	auth_token_hash("coord", coord);
	ck_assert_int_eq(store_session_add(s, idle, "expert", 999, "c"), 0);
	ck_assert_int_eq(store_session_add(s, old, "expert", 998, "c"), 0);
	ck_assert_int_eq(store_session_add(s, other, "expert", 997, "c"), 0);
	ck_assert_int_eq(store_session_add(s, coord, "coordinator", 1, "c"),
	    0);
	snprintf(cmd, sizeof(cmd), "sqlite3 %s \"UPDATE sessions SET seen_at "
	    "= seen_at - 15 * 86400 WHERE subject_id IN (999, 1)\"", path);
	ck_assert_int_eq(system(cmd), 0);
	in.old_hash = old;
	for (int i = 0; i < 4; i++) {
		auth_token_hash(i == 0 ? "n0" : i == 1 ? "n1" : i == 2 ?
		    "n2" : "n3", n[i]);
		in.id_hash = n[i];
		ck_assert_int_eq(store_session_start(s, &in), 0);
		in.old_hash = NULL;
	}
	ck_assert_int_eq(store_session_get(s, idle, &ss), 1);	/* swept */
	ck_assert_int_eq(store_session_get(s, old, &ss), 1);	/* ended */
	ck_assert_int_eq(store_session_get(s, other, &ss), 0);	/* live */
	ck_assert_int_eq(store_session_get(s, coord, &ss), 0);	/* kind */
	ck_assert_int_eq(store_session_get(s, n[0], &ss), 1);	/* capped */
	ck_assert_int_eq(store_session_get(s, n[1], &ss), 1);
	ck_assert_int_eq(store_session_get(s, n[2], &ss), 0);
	ck_assert_int_eq(store_session_get(s, n[3], &ss), 0);
	ck_assert_int_eq(ss.subject_id, expert);
}
END_TEST

/*
 * A write inside a read transaction (a GET whose session is touched)
 * ends the read's snapshot first: BEGIN IMMEDIATE cannot start inside
 * it, and a statement writing in it fails (SQLITE_BUSY_SNAPSHOT) once
 * another connection has committed since it began. The reads after it
 * are in autocommit; ending the read is harmless.
 */
START_TEST(test_read_then_write)
{
	struct store_session	 ss;
	struct store		*other;
	unsigned char		 h[32], h2[32];
	bool			 began, inner;

	auth_token_hash("session", h);
	auth_token_hash("other", h2);
	ck_assert_int_eq(store_session_add(s, h, "expert", expert, "csrf"), 0);
	ck_assert_ptr_nonnull(other = store_open(path));
	ck_assert(began = store_read_begin(s));
	ck_assert(!(inner = store_read_begin(s)));
	ck_assert_int_eq(store_session_get(s, h, &ss), 0);
	ck_assert_int_eq(store_session_add(other, h2, "expert", expert,
	    "csrf"), 0);
	store_close(other);
	ck_assert_int_eq(store_session_touch(s, h), 0);
	/* The snapshot has ended: a new read transaction can begin. */
	ck_assert(store_read_begin(s));
	store_read_end(s, true);
	store_read_end(s, inner);
	store_read_end(s, began);
	ck_assert_int_eq(store_session_delete(s, h), 0);
	ck_assert_int_eq(store_session_get(s, h, &ss), 1);
}
END_TEST

static int
nothing_txn(struct store *st, void *arg)
{
	(void)st;
	(void)arg;
	return 0;
}

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * store_write queues on "<db>.write-lock": a writer in another process
 * waits while the queue is held and goes on once it is free.
 */
#define QUEUE_HOLD_MS	300

static const unsigned char queue_sid[32] = { 'q' };

/* The writes that must queue: store_write's and the session writes. */
static int
queued_write(struct store *c, int which)
{
	switch (which) {
	case 0:
		return store_write(c, nothing_txn, NULL);
	case 1:
		return store_session_add(c, queue_sid, "expert", expert, "c");
	case 2:
		return store_session_touch(c, queue_sid);
	default:
		return store_session_delete(c, queue_sid);
	}
}

/* Whether write which, from another process, waited for the queue. */
static bool
waits_in_queue(int which)
{
	char		 lock[80];
	int		 fd, status;
	pid_t		 pid;

	snprintf(lock, sizeof(lock), "%s.write-lock", path);
	ck_assert_int_ne(fd = open(lock, O_RDONLY | O_CLOEXEC), -1);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		struct store	*c = store_open(path);
		double		 t0 = now_ms();
		int		 rc = c != NULL ? queued_write(c, which) : -1;
		double		 waited = now_ms() - t0;

		store_close(c);
		_exit(rc == 0 ? (waited >= QUEUE_HOLD_MS * 0.9 ? 0 : 3) : 4);
	}
	usleep(QUEUE_HOLD_MS * 1000);
	ck_assert_int_eq(flock(fd, LOCK_UN), 0);
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

START_TEST(test_write_queue)
{
	struct store_session ss;

	ck_assert_msg(waits_in_queue(0), "store_write did not queue");
	/* And a write with the queue free does not wait for anything. */
	ck_assert_int_eq(store_write(s, nothing_txn, NULL), 0);
	/* The session writes queue (and retry) like every other write. */
	ck_assert_msg(waits_in_queue(1), "session add did not queue");
	ck_assert_int_eq(store_session_get(s, queue_sid, &ss), 0);
	ck_assert_msg(waits_in_queue(2), "session touch did not queue");
	ck_assert_msg(waits_in_queue(3), "session delete did not queue");
	ck_assert_int_eq(store_session_get(s, queue_sid, &ss), 1);
}
END_TEST

struct login_like {
	const unsigned char *old, *new;
	int		 outcome;
};

/* A transaction that ends one session and adds another (admin login). */
static int
session_swap_txn(struct store *st, void *arg)
{
	const struct login_like *l = arg;

	if (store_session_delete(st, l->old) == -1 ||
	    store_session_add(st, l->new, "expert", expert, "csrf") == -1)
		return -1;
	return l->outcome;
}

/* In a store_write fn the session writes are part of its transaction. */
START_TEST(test_session_in_txn)
{
	struct store_session ss;
	unsigned char	 a[32], b[32];
	struct login_like l = { a, b, 1 };

	auth_token_hash("a", a);
	auth_token_hash("b", b);
	ck_assert_int_eq(store_session_add(s, a, "expert", expert, "c"), 0);
	/* An outcome rolls back both. */
	ck_assert_int_eq(store_write(s, session_swap_txn, &l), 1);
	ck_assert_int_eq(store_session_get(s, a, &ss), 0);
	ck_assert_int_eq(store_session_get(s, b, &ss), 1);
	l.outcome = 0;
	ck_assert_int_eq(store_write(s, session_swap_txn, &l), 0);
	ck_assert_int_eq(store_session_get(s, a, &ss), 1);
	ck_assert_int_eq(store_session_get(s, b, &ss), 0);
}
END_TEST

/* A write that adds a session and then has an outcome: rolled back. */
static int
add_then_outcome_txn(struct store *st, void *arg)
{
	if (store_session_add(st, arg, "expert", expert, "csrf") == -1)
		return -1;
	return 7;
}

/*
 * store_batch: writes wait for store_batch_commit in one transaction;
 * one with an outcome is rolled back alone; another connection sees
 * none of them before the commit and all the others after it; a writer
 * in another process waits in the queue for the commit.
 */
START_TEST(test_batch)
{
	struct store_session ss;
	struct store	*other;
	unsigned char	 a[32], b[32], c[32];
	int		 status, go[2];
	pid_t		 pid;

	auth_token_hash("a", a);
	auth_token_hash("b", b);
	auth_token_hash("c", c);
	/*
	 * The other writer is forked first: a child must not inherit
	 * SQLite's record of locks its parent holds (SQLite's own rule).
	 */
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		struct store	*w;
		double		 t0;
		int		 rc;
		char		 x;

		close(go[1]);
		if (read(go[0], &x, 1) != 1)
			_exit(5);
		w = store_open(path);
		t0 = now_ms();
		rc = w != NULL ? store_write(w, nothing_txn, NULL) : -1;
		t0 = now_ms() - t0;
		store_close(w);
		_exit(rc == 0 ? (t0 >= QUEUE_HOLD_MS * 0.9 ? 0 : 3) : 4);
	}
	close(go[0]);
	ck_assert_ptr_nonnull(other = store_open(path));
	store_batch(s, true);
	ck_assert(!store_batch_pending(s));
	ck_assert_int_eq(store_batch_commit(s), 0);	/* nothing to commit */
	ck_assert_int_eq(store_session_add(s, a, "expert", expert, "c"), 0);
	ck_assert(store_batch_pending(s));
	ck_assert_int_eq(store_write(s, add_then_outcome_txn, b), 7);
	ck_assert_int_eq(store_session_add(s, c, "expert", expert, "c"), 0);
	/* The batch's own reads see its writes; nobody else does yet. */
	ck_assert_int_eq(store_session_get(s, a, &ss), 0);
	ck_assert_int_eq(store_session_get(other, a, &ss), 1);
	ck_assert_int_eq(store_session_get(other, c, &ss), 1);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	close(go[1]);
	usleep(QUEUE_HOLD_MS * 1000);
	ck_assert_int_eq(store_batch_commit(s), 0);
	ck_assert(!store_batch_pending(s));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the other writer did not wait for the batch (status %d)",
	    status);
	ck_assert_int_eq(store_session_get(other, a, &ss), 0);
	ck_assert_int_eq(store_session_get(other, b, &ss), 1);
	ck_assert_int_eq(store_session_get(other, c, &ss), 0);
	store_batch(s, false);
	store_close(other);
}
END_TEST

struct then_seen {
	int	 calls, result;
};

static void
then_note(void *arg, int result)
{
	struct then_seen *t = arg;

	t->calls++;
	t->result = result;
}

static int
add_session_txn(struct store *st, void *arg)
{
	return store_session_add(st, arg, "expert", expert, "csrf");
}

/*
 * store_write_then: outside a batch the write and then() happen at once;
 * in one, both wait for store_batch_commit (which holds the writers'
 * queue only from then on), run in the order queued, an outcome rolled
 * back alone, and then() sees each result before the commit.
 */
START_TEST(test_write_then)
{
	struct store_session ss;
	struct then_seen t1 = { 0 }, t2 = { 0 }, t3 = { 0 };
	unsigned char	 a[32], b[32], c[32];
	char		 lock[80];
	int		 fd;

	auth_token_hash("then-a", a);
	auth_token_hash("then-b", b);
	auth_token_hash("then-c", c);
	ck_assert_int_eq(store_write_then(s, add_session_txn, a, then_note,
	    &t1), 0);
	ck_assert_int_eq(t1.calls, 1);
	ck_assert_int_eq(t1.result, 0);
	ck_assert_int_eq(store_session_get(s, a, &ss), 0);

	store_batch(s, true);
	t1 = (struct then_seen){ 0 };
	ck_assert_int_eq(store_write_then(s, add_session_txn, b, then_note,
	    &t1), 1);
	ck_assert_int_eq(store_write_then(s, add_then_outcome_txn, c,
	    then_note, &t2), 1);
	/* Queued, not begun: the writers' queue is free, nothing written. */
	ck_assert(store_batch_pending(s));
	ck_assert_int_eq(t1.calls + t2.calls, 0);
	ck_assert_int_eq(store_session_get(s, b, &ss), 1);
	snprintf(lock, sizeof(lock), "%s.write-lock", path);
	ck_assert_int_ne(fd = open(lock, O_RDONLY | O_CLOEXEC), -1);
	ck_assert_msg(flock(fd, LOCK_EX | LOCK_NB) == 0,
	    "a queued write held the writers' queue");
	close(fd);
	ck_assert_int_eq(store_write_then(s, add_session_txn, a, then_note,
	    &t3), 1);	/* a exists: this one fails, the others stay */
	ck_assert_int_eq(store_batch_commit(s), 0);
	ck_assert(!store_batch_pending(s));
	ck_assert_int_eq(t1.calls, 1);
	ck_assert_int_eq(t1.result, 0);
	ck_assert_int_eq(t2.calls, 1);
	ck_assert_int_eq(t2.result, 7);
	ck_assert_int_eq(t3.calls, 1);
	ck_assert_int_eq(t3.result, -1);
	ck_assert_int_eq(store_session_get(s, b, &ss), 0);
	ck_assert_int_eq(store_session_get(s, c, &ss), 1);
	store_batch(s, false);
}
END_TEST

/*
 * store_card_save_then's out: written with the new revision, version and
 * updated_at before then() sees STORE_SAVED (in a batch: at its commit);
 * left alone for a stale save.
 */
START_TEST(test_card_save_then_out)
{
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	struct store_saved	 out, kept;
	struct then_seen	 t = { 0 };

	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	ck_assert_int_eq(form_answers_add(&a, "rating.rating", "Fr", 0, "7"),
	    0);
	memset(&out, 0x5a, sizeof(out));
	kept = out;
	store_batch(s, true);
	ck_assert_int_eq(store_card_save_then(s, &c, 0, &a, false, "test",
	    payload, NULL, &out, then_note, &t), 1);
	ck_assert_int_eq(t.calls, 0);
	ck_assert(memcmp(&out, &kept, sizeof(out)) == 0);
	ck_assert_int_eq(store_batch_commit(s), 0);
	store_batch(s, false);
	ck_assert_int_eq(t.calls, 1);
	ck_assert_int_eq(t.result, STORE_SAVED);
	ck_assert_int_eq(out.revision, 1);
	ck_assert_int_eq(out.version, 0);
	store_card_free(&c);
	ck_assert_int_eq(store_card_get(s, expert, 1, &c), 0);
	ck_assert_ptr_nonnull(c.updated_at);
	ck_assert_str_eq(out.at, c.updated_at);

	/* Stale (revision 0 again): then() sees it, out is not written. */
	kept = out;
	ck_assert_int_eq(store_card_save_then(s, &c, 0, &a, false, "test",
	    payload, NULL, &out, then_note, &t), 0);
	ck_assert_int_eq(t.calls, 2);
	ck_assert_int_eq(t.result, STORE_STALE);
	ck_assert(memcmp(&out, &kept, sizeof(out)) == 0);
	store_card_free(&c);
	form_answers_free(&a);
}
END_TEST

/*
 * The schema after every migration from zero, as sqlite_schema holds
 * it (type, name, table, SQL; ordered by type and name; sqlite_stat*,
 * which ANALYZE makes, left out), with PRAGMA user_version first: it
 * must equal tests/golden/schema.sql byte for byte, so a migration
 * edited after it shipped, or one that does not do what the schema
 * says, fails here. UPDATE_GOLDEN=1 rewrites the file (review the
 * diff!), as check_pages does for its pages.
 */
#define SCHEMA_DUMP_SQL							\
	"SELECT '-- user_version ' || user_version || char(10) "	\
	"FROM pragma_user_version; "					\
	"SELECT '-- ' || type || ' ' || name || ' ON ' || tbl_name || "	\
	"char(10) || coalesce(sql || ';', '-- (made by SQLite)') || "	\
	"char(10) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' " \
	"ORDER BY type, name"

START_TEST(test_schema_golden)
{
	const char	*top = getenv("top_srcdir");
	char		 golden[512], dump[96], cmd[1024];
	int		 rc;

	snprintf(golden, sizeof(golden), "%s/tests/golden/schema.sql",
	    top != NULL ? top : ".");
	snprintf(dump, sizeof(dump), "%s/schema.sql", dir);
	/* setup's store_open migrated path from zero. */
	ck_assert_int_lt(snprintf(cmd, sizeof(cmd), "sqlite3 %s \"%s\" >%s",
	    path, SCHEMA_DUMP_SQL, dump), (int)sizeof(cmd));
	ck_assert_int_eq(system(cmd), 0);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		snprintf(cmd, sizeof(cmd), "cp %s %s", dump, golden);
		ck_assert_int_eq(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "diff -u %s %s", golden, dump);
	rc = system(cmd);
	unlink(dump);
	ck_assert_msg(rc == 0, "the migrated schema differs from %s "
	    "(diff above; UPDATE_GOLDEN=1 rewrites it)", golden);
}
END_TEST

int
main(void)
{
	Suite	*su = suite_create("store");
	TCase	*tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_migrations_from_zero);
	tcase_add_test(tc, test_tables);
	tcase_add_test(tc, test_unique);
	tcase_add_loop_test(tc, test_email_once, 0,
	    sizeof(email_rows) / sizeof(email_rows[0]));
	tcase_add_test(tc, test_card_save);
	tcase_add_test(tc, test_card_save_changes);
	tcase_add_test(tc, test_closed);
	tcase_add_test(tc, test_sessions);
	tcase_add_test(tc, test_session_start);
	tcase_add_test(tc, test_roles);
	tcase_add_loop_test(tc, test_role_names, 0,
	    sizeof(role_names) / sizeof(role_names[0]));
	tcase_add_test(tc, test_experts_page);
	tcase_add_test(tc, test_read_then_write);
	tcase_add_test(tc, test_write_queue);
	tcase_add_test(tc, test_session_in_txn);
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_write_then);
	tcase_add_test(tc, test_card_save_then_out);
	tcase_add_test(tc, test_schema_golden);
	suite_add_tcase(su, tc);
	return check_run(su);
}
