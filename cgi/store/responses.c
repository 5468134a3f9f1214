/*
 * store/responses: SQL for cards, answers, versions, saves and the audit.
 * Never decides policy beyond the expert/assignment match; never formats.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/impl.h"
#include "store/partners.h"
#include "store/responses.h"

/* An answer's row, read from the statement (the strings are its). */
struct answer_row {
	const char	*question, *row;
	unsigned	 item;
	const char	*value;
};

static const struct store_col answer_cols[] = {
	STORE_STR(struct answer_row, question),
	STORE_STR(struct answer_row, row),
	STORE_INT(struct answer_row, item),
	STORE_STR(struct answer_row, value),
};

int
store_answers_get(struct store *s, int64_t response_id, int version,
    struct form_answers *out)
{
	static const char q[] = "SELECT question, row, item, value FROM "
	    "answers WHERE response_id = ? AND version = ? "
	    "ORDER BY question, row, item";
	struct answer_row a;
	sqlite3_stmt	*st;
	int		 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(response_id),
	    STORE_ARG_INT(version));
	while ((rc = STORE_NEXT(s, st, "answers", answer_cols, &a)) == 1)
		if ((rc = form_answers_add(out, a.question, a.row, a.item,
		    a.value)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

/* The columns of a card, in the order its query selects them. */
static const struct store_col card_cols[] = {
	STORE_I64(struct store_card, campaign_id),
	STORE_DUP(struct store_card, campaign_slug),
	STORE_DUP(struct store_card, campaign_title),
	STORE_BOOL(struct store_card, campaign_open),
	STORE_DUP(struct store_card, field_code),
	STORE_DUP(struct store_card, field_title),
	STORE_DUP(struct store_card, expert_name),
	STORE_I64(struct store_card, form_id),
	STORE_I64(struct store_card, response_id),
	STORE_STATUS(struct store_card, status),
	STORE_I64(struct store_card, revision),
	STORE_INT(struct store_card, version),
	STORE_DUP_NULL(struct store_card, updated_at),
	STORE_DUP(struct store_card, expert_email),
	STORE_I64(struct store_card, expert_id),
	STORE_INT(struct store_card, round),
};

int
store_card_get(struct store *s, int64_t expert_id, int64_t assignment_id,
    struct store_card *c)
{
	static const char q[] = "SELECT c.id, c.slug, c.title, "
	    "c.status = 'open', f.code, f.title, e.name, "
	    "coalesce(r.form_id, c.form_id), r.id, r.status, r.revision, "
	    "r.version, r.updated_at, e.email, a.expert_id, "
	    "(SELECT coalesce(max(number), 1) FROM rounds "
	    "WHERE campaign_id = c.id) "
	    "FROM assignments a JOIN experts e ON e.id = a.expert_id "
	    "JOIN fields f ON f.id = a.field_id "
	    "JOIN campaigns c ON c.id = f.campaign_id "
	    "LEFT JOIN responses r ON r.assignment_id = a.id "
	    "WHERE a.id = ?1 AND (?2 = 0 OR a.expert_id = ?2) "
	    "AND e.revoked = 0";
	sqlite3_stmt	*st;
	int		 rc;
	bool		 began;

	memset(c, 0, sizeof(*c));
	if ((st = STORE_PREPARE(s, q, STORE_ARG_I64(assignment_id),
	    STORE_ARG_I64(expert_id))) == NULL)
		return -1;
	/* The card, its cities and answers: one snapshot. */
	began = store_read_begin(s);
	if ((rc = STORE_ONE(s, st, "card get", card_cols, c)) != 0) {
		store_read_end(s, began);
		return rc;
	}
	c->assignment_id = assignment_id;
	if (store_city_rows(s, c->campaign_id, &c->cities, &c->ncities) == -1)
		goto fail;
	if (c->response_id != 0 &&
	    store_answers_get(s, c->response_id, 0, &c->answers) == -1)
		goto fail;
	store_read_end(s, began);
	return 0;
fail:
	store_read_end(s, began);
	store_card_free(c);
	return -1;
}

void
store_card_free(struct store_card *c)
{
	if (c == NULL)
		return;
	STORE_ROW_FREE(card_cols, c);
	store_city_rows_free(c->cities, c->ncities);
	form_answers_free(&c->answers);
	memset(c, 0, sizeof(*c));
}

struct save {
	const struct store_card		*card;
	int64_t				 expected;
	const struct form_answers	*answers;
	bool				 submit;
	const char			*actor;
	store_payload_fn		*fn;
	void				*fnctx;
	int64_t				 revision;	/* out */
	int				 version;	/* out */
	int				 round;	/* of the submission */
	char				 at[32];	/* out: updated_at */
	/* An event made before the transaction, for this response/version. */
	int64_t				 pre_rid;
	int				 pre_version, pre_round;
	char				 pre_id[STORE_EVENT_ID_MAX];
	char				 pre_at[32];
	char				*pre_payload, *pre_full;
	/* What the save changes in the working copy card->answers. */
	struct plan			*plan;
	/* A submission's answers in key order, sorted before the lock. */
	const struct form_value		**sorted;
};

/*
 * A save of a card read at the revision still current changes only what
 * differs from the working copy it read (most saves change a few of ~40
 * answers). The plan of those changes is made before the transaction,
 * outside the write lock that serialises every save and submit: both
 * sets sorted by key and merged, where looking each value up in the
 * other set took ~1 700 string comparisons inside the lock.
 */
#define STORE_AUDIT_DETAIL_MAX	600	/* bytes naming the changed answers */

struct plan {
	bool		*gone;		/* per old value: no longer answered */
	bool		*put;		/* per new value: new or changed */
	struct buf	 changed;	/* their names: the audit detail */
};

/* Name one changed value in the audit detail: "question" or "question:row". */
static void
note(struct buf *changed, const struct form_value *v)
{
	if (changed->len > 0)
		buf_puts(changed, ", ");
	buf_puts(changed, v->question);
	if (v->row[0] != '\0') {
		buf_putc(changed, ':');
		buf_puts(changed, v->row);
	}
}

/* Keys in order; the same key in the order of the values (stable). */
static int
value_cmp(const void *a, const void *b)
{
	const struct form_value *x = *(const struct form_value *const *)a;
	const struct form_value *y = *(const struct form_value *const *)b;
	int	 c;

	if ((c = form_key_cmp(x->question, x->row, x->item, y)) != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* a's values by key, into a new array (NULL when out of memory). */
static const struct form_value **
by_key(const struct form_answers *a)
{
	const struct form_value **v;

	if ((v = calloc(a->n ? a->n : 1, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < a->n; i++)
		v[i] = &a->v[i];
	if (a->unsorted)
		qsort(v, a->n, sizeof(*v), value_cmp);
	return v;
}

static void
plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	free(p->gone);
	free(p->put);
	buf_free(&p->changed);
	free(p);
}

/*
 * The changes that make old (the working copy) hold a, whose values are
 * n in key order (by_key): the same as looking each value up in the
 * other set, the first of a repeated key first. NULL when out of memory
 * (logged).
 */
static struct plan *
plan_make(const struct form_answers *old, const struct form_answers *a,
    const struct form_value *const *n)
{
	const struct form_value	**o = NULL;
	struct plan		*p;
	size_t			 i = 0, j = 0;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		goto fail;
	buf_init(&p->changed, STORE_AUDIT_DETAIL_MAX);
	if ((p->gone = calloc(old->n ? old->n : 1, sizeof(bool))) == NULL ||
	    (p->put = calloc(a->n ? a->n : 1, sizeof(bool))) == NULL ||
	    (o = by_key(old)) == NULL)
		goto fail;
	/*
	 * Key by key: old values whose key is not in a are gone; a's values
	 * are put unless equal to the first old value of their key.
	 */
	while (i < old->n || j < a->n) {
		const struct form_value *k, *first = NULL;
		size_t	 i0 = i;

		if (i == old->n)
			k = n[j];
		else if (j == a->n)
			k = o[i];
		else
			k = form_key_cmp(o[i]->question, o[i]->row, o[i]->item,
			    n[j]) <= 0 ? o[i] : n[j];
		while (i < old->n && form_key_cmp(k->question, k->row,
		    k->item, o[i]) == 0) {
			if (first == NULL)
				first = o[i];
			i++;
		}
		if (j == a->n || form_key_cmp(k->question, k->row, k->item,
		    n[j]) != 0) {
			for (; i0 < i; i0++)
				p->gone[o[i0] - old->v] = true;
			continue;
		}
		for (; j < a->n && form_key_cmp(k->question, k->row, k->item,
		    n[j]) == 0; j++)
			p->put[n[j] - a->v] = first == NULL ||
			    strcmp(n[j]->value, first->value) != 0;
	}
	/* Named in the order of the sets, as the audit log always had them. */
	for (i = 0; i < old->n; i++)
		if (p->gone[i])
			note(&p->changed, &old->v[i]);
	for (j = 0; j < a->n; j++)
		if (p->put[j])
			note(&p->changed, &a->v[j]);
	free(o);
	return p;
fail:
	log_err("store: save plan: out of memory");
	free(o);
	plan_free(p);
	return NULL;
}

/*
 * Answer rows, written ANSWER_ROWS_MAX to a statement: a multi-row
 * INSERT steps, starts and halts once for all of them, where one row a
 * statement paid that per row (callgrind: ~2 k instructions a row). A
 * key repeated within one statement is upserted in order, as one row
 * at a time did.
 */
#define ANSWER_ROWS_MAX	8
#define ANSWER_ROW	"(?, ?, ?, ?, ?, ?)"
#define ANSWER_ROWS2	ANSWER_ROW ", " ANSWER_ROW
#define ANSWER_ROWS4	ANSWER_ROWS2 ", " ANSWER_ROWS2
#define ANSWER_INSERT(rows) "INSERT INTO answers (response_id, version, " \
	"question, row, item, value) VALUES " rows " ON CONFLICT DO " \
	"UPDATE SET value = excluded.value"

struct answer_rows {
	struct store		*s;
	int64_t			 response_id;
	int			 version;
	size_t			 n;	/* rows in args */
	struct store_arg	 args[ANSWER_ROWS_MAX * 6];
};

/* Write the rows gathered so far (0 or -1) and start again. */
static int
answer_rows_flush(struct answer_rows *r)
{
	static const char *const q[ANSWER_ROWS_MAX + 1] = {
		NULL, ANSWER_INSERT(ANSWER_ROW), ANSWER_INSERT(ANSWER_ROWS2),
		ANSWER_INSERT(ANSWER_ROWS2 ", " ANSWER_ROW),
		ANSWER_INSERT(ANSWER_ROWS4),
		ANSWER_INSERT(ANSWER_ROWS4 ", " ANSWER_ROW),
		ANSWER_INSERT(ANSWER_ROWS4 ", " ANSWER_ROWS2),
		ANSWER_INSERT(ANSWER_ROWS4 ", " ANSWER_ROWS2 ", " ANSWER_ROW),
		ANSWER_INSERT(ANSWER_ROWS4 ", " ANSWER_ROWS4),
	};
	size_t	 n = r->n;

	if (n == 0)
		return 0;
	r->n = 0;
	return store_exec_stmt(r->s, store_prepare(r->s, q[n], r->args,
	    n * 6), "answers add");
}

/* Add value v (new or replacing) to the rows: 0, or -1 on a failure. */
static int
answer_rows_add(struct answer_rows *r, const struct form_value *v)
{
	struct store_arg	*a = &r->args[r->n * 6];

	/* The values outlive the statement's step and reset. */
	a[0] = STORE_ARG_I64(r->response_id);
	a[1] = STORE_ARG_INT(r->version);
	a[2] = STORE_ARG_KEPT(v->question);
	a[3] = STORE_ARG_KEPT(v->row);
	a[4] = STORE_ARG_INT(v->item);
	a[5] = STORE_ARG_KEPT(v->value);
	return ++r->n == ANSWER_ROWS_MAX ? answer_rows_flush(r) : 0;
}

/*
 * Make the working copy (version 0) of response_id hold a: with plan
 * (made from old, what the working copy holds now), only the rows that
 * differ; without, every row.
 */
static int
answers_put(struct store *s, int64_t response_id, const struct plan *plan,
    const struct form_answers *old, const struct form_answers *a)
{
	static const char qdel[] = "DELETE FROM answers WHERE response_id = ? "
	    "AND version = 0";
	static const char qdel1[] = "DELETE FROM answers WHERE response_id = ? "
	    "AND version = 0 AND question = ? AND row = ? AND item = ?";
	struct answer_rows	 rows = { .s = s,
	    .response_id = response_id };
	sqlite3_stmt		*st;

	if (plan == NULL) {
		st = STORE_PREPARE(s, qdel, STORE_ARG_I64(response_id));
		if (store_exec_stmt(s, st, "answers delete") == -1)
			return -1;
	} else
		for (size_t i = 0; i < old->n; i++) {
			if (!plan->gone[i])
				continue;
			st = STORE_PREPARE(s, qdel1,
			    STORE_ARG_I64(response_id),
			    STORE_ARG_TEXT(old->v[i].question),
			    STORE_ARG_TEXT(old->v[i].row),
			    STORE_ARG_INT(old->v[i].item));
			if (store_exec_stmt(s, st, "answer delete") == -1)
				return -1;
		}
	for (size_t i = 0; i < a->n; i++)
		if ((plan == NULL || plan->put[i]) &&
		    answer_rows_add(&rows, &a->v[i]) == -1)
			return -1;
	return answer_rows_flush(&rows);
}

/*
 * Write the n values of v (by key), which the working copy of
 * response_id now holds, as its submission version: from memory, where
 * INSERT ... SELECT from the same table first copied every row into a
 * temporary b-tree inside the lock; in key order, which splits fewer
 * pages of the answers b-tree than the form's order.
 */
static int
answers_version(struct store *s, int64_t response_id, int version,
    const struct form_value *const *v, size_t n)
{
	struct answer_rows	 rows = { .s = s,
	    .response_id = response_id, .version = version };

	for (size_t i = 0; i < n; i++)
		if (answer_rows_add(&rows, v[i]) == -1)
			return -1;
	return answer_rows_flush(&rows);
}

/* The event's type, id, time and payloads for version of response_id. */
static int
event_make(struct save *sv, int64_t response_id, int version,
    char id[STORE_EVENT_ID_MAX], char at[32], char **payload, char **full)
{
	struct store_card card;
	const char	*type;

	type = version > 1 ? "card.revised" : "card.submitted";
	store_event_id_new(id);
	store_now(at);
	/* A first save made the response in this transaction: its id. */
	card = *sv->card;
	card.response_id = response_id;
	card.round = sv->round;
	return sv->fn(sv->fnctx, &card, sv->answers, type, id, version, at,
	    payload, full);
}

static int
event_add(struct store *s, struct save *sv, int64_t response_id)
{
	char		 id[STORE_EVENT_ID_MAX], now[32];
	char		*payload = NULL, *full = NULL;
	int		 rc;

	/* Made before the lock for what the card said: still true? */
	if (sv->pre_payload != NULL && sv->pre_rid == response_id &&
	    sv->pre_version == sv->version && sv->pre_round == sv->round)
		return store_event_add(s, sv->pre_id, sv->version > 1 ?
		    "card.revised" : "card.submitted", sv->card->campaign_id,
		    response_id, sv->pre_at, sv->pre_payload, sv->pre_full);
	if (event_make(sv, response_id, sv->version, id, now, &payload,
	    &full) == -1)
		return -1;
	rc = store_event_add(s, id, sv->version > 1 ? "card.revised" :
	    "card.submitted", sv->card->campaign_id, response_id, now,
	    payload, full);
	free(payload);
	free(full);
	return rc;
}

/* The response of a card as a save finds it in its transaction. */
struct current {
	int64_t	 rid;		/* 0: none yet */
	int64_t	 revision;
	int	 version;
	bool	 open;		/* the campaign */
	bool	 kept;		/* the status stays what it is */
	int	 round;		/* the campaign's round now */
};

/* Read the response of sv's card: 0, STORE_GONE or -1. */
static int
current_get(struct store *s, const struct save *sv, const char *status,
    struct current *cur)
{
	static const char q[] = "SELECT r.id, r.revision, r.version, "
	    "c.status = 'open', r.status IS ?3, (SELECT coalesce(max(number), "
	    "1) FROM rounds WHERE campaign_id = c.id) FROM assignments a "
	    "JOIN experts e ON e.id = a.expert_id AND e.revoked = 0 "
	    "JOIN fields f ON f.id = a.field_id "
	    "JOIN campaigns c ON c.id = f.campaign_id "
	    "LEFT JOIN responses r ON r.assignment_id = a.id "
	    "WHERE a.id = ?1 AND a.expert_id = ?2";
	static const struct store_col cols[] = {
		STORE_I64(struct current, rid),
		STORE_I64(struct current, revision),
		STORE_INT(struct current, version),
		STORE_BOOL(struct current, open),
		STORE_BOOL(struct current, kept),
		STORE_INT(struct current, round),
	};
	sqlite3_stmt	*st;
	int		 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(sv->card->assignment_id),
	    STORE_ARG_I64(sv->card->expert_id), STORE_ARG_KEPT(status));
	rc = STORE_ONE(s, st, "card current", cols, cur);
	return rc == 1 ? STORE_GONE : rc;
}

/*
 * Write the response row: a new one (cur->rid and revision 1) or the
 * next revision of cur's, with status and cur->version. 0 or -1.
 */
static int
response_put(struct store *s, const struct save *sv, const char *status,
    const char *now, struct current *cur)
{
	static const char qnew[] = "INSERT INTO responses (assignment_id, "
	    "form_id, status, revision, version, updated_at, round) "
	    "VALUES (?, ?, ?, 1, ?, ?, ?)";
	static const char qupd[] = "UPDATE responses SET status = ?1, "
	    "revision = ?2, version = ?3, updated_at = ?4, round = ?6 "
	    "WHERE id = ?5";
	/*
	 * The same when the status stays (most saves and submits): no
	 * CHECK of it (its IN list made a temporary b-tree on every run)
	 * and no responses_status entry rewritten.
	 */
	static const char qkeep[] = "UPDATE responses SET revision = ?2, "
	    "version = ?3, updated_at = ?4, round = ?6 WHERE id = ?5";
	sqlite3_stmt	*st;

	if (cur->rid == 0) {
		st = STORE_PREPARE(s, qnew,
		    STORE_ARG_I64(sv->card->assignment_id),
		    STORE_ARG_I64(sv->card->form_id), STORE_ARG_TEXT(status),
		    STORE_ARG_INT(cur->version), STORE_ARG_TEXT(now),
		    STORE_ARG_INT(cur->round));
		if (store_insert(s, st, "response add", &cur->rid) != 0)
			return -1;
		cur->revision = 1;
		return 0;
	}
	cur->revision++;
	/* qkeep has no ?1: NULL, as a cleared binding is. */
	st = STORE_PREPARE(s, cur->kept ? qkeep : qupd,
	    cur->kept ? STORE_ARG_NULL : STORE_ARG_TEXT(status),
	    STORE_ARG_I64(cur->revision), STORE_ARG_INT(cur->version),
	    STORE_ARG_TEXT(now), STORE_ARG_I64(cur->rid),
	    STORE_ARG_INT(cur->round));
	return store_exec_stmt(s, st, "response update");
}

/*
 * Store the submitted answers as version cur->version of response rid,
 * in round cur->round, with its event. 0 or -1.
 */
static int
version_add(struct store *s, struct save *sv, int64_t rid,
    const struct current *cur, const char *now)
{
	static const char q[] = "INSERT INTO response_versions "
	    "(response_id, version, form_id, submitted_at, round, lang) "
	    "VALUES (?, ?, ?, ?, ?, (SELECT coalesce(e.lang, "
	    "c.default_language) FROM responses r "
	    "JOIN assignments a ON a.id = r.assignment_id "
	    "JOIN experts e ON e.id = a.expert_id "
	    "JOIN campaigns c ON c.id = e.campaign_id WHERE r.id = ?))";
	sqlite3_stmt	*st;
	int		 version = cur->version;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(rid), STORE_ARG_INT(version),
	    STORE_ARG_I64(sv->card->form_id), STORE_ARG_TEXT(now),
	    STORE_ARG_INT(cur->round), STORE_ARG_I64(rid));
	if (store_insert(s, st, "version add", NULL) != 0)
		return -1;
	if (answers_version(s, rid, version, sv->sorted,
	    sv->answers->n) == -1)
		return -1;
	sv->version = version;
	sv->round = cur->round;
	return event_add(s, sv, rid);
}

static int
save_txn(struct store *s, void *arg)
{
	struct save	*sv = arg;
	struct current	 cur;
	int		 rc;
	bool		 same;
	const char	*status = sv->submit ? "submitted" : "draft";
	char		 now[32], object[48], all[48];
	char		 detail[STORE_AUDIT_DETAIL_MAX + 64];
	const char	*changed, *more = "";
	int		 cut;

	if ((rc = current_get(s, sv, status, &cur)) != 0)
		return rc;
	if (!cur.open)
		return STORE_CLOSED;
	if (cur.revision != sv->expected)
		return STORE_STALE;
	if (sv->submit)
		cur.version++;
	store_now(now);
	if (response_put(s, sv, status, now, &cur) == -1)
		return -1;
	/*
	 * A plan exists when the card was read at the expected revision,
	 * which is still current (checked above): the working copy is its
	 * answers, so only what changed is written.
	 */
	same = sv->plan != NULL && sv->card->response_id == cur.rid;
	if (answers_put(s, cur.rid, same ? sv->plan : NULL,
	    &sv->card->answers, sv->answers) == -1)
		return -1;
	/*
	 * Every text below has a bound: a size_t or an int64_t has at most
	 * 20 characters, the names of the changes at most
	 * STORE_AUDIT_DETAIL_MAX bytes, and a list of them that did not
	 * fit says so with "...".
	 */
	if (same) {
		changed = sv->plan->changed.len > 0 ?
		    buf_str(&sv->plan->changed) : "no change";
		if (buf_failed(&sv->plan->changed))
			more = ", ...";
	} else {
		cut = buf_fmt(all, sizeof(all), "all answers (%zu values)",
		    sv->answers->n);
		assert(cut == 0);
		changed = all;
	}
	cut = buf_fmt(object, sizeof(object), "response:%" PRId64, cur.rid);
	assert(cut == 0);
	if (sv->submit && version_add(s, sv, cur.rid, &cur, now) == -1)
		return -1;
	sv->revision = cur.revision;
	sv->version = cur.version;
	memcpy(sv->at, now, sizeof(sv->at));
	cut = buf_fmt(detail, sizeof(detail), "%s %d; %s%s", sv->submit ?
	    "version" : "draft after version", cur.version, changed, more);
	assert(cut == 0);
	return store_audit(s, sv->actor, sv->submit ? "card.submit" :
	    "card.save", object, detail);
}

/*
 * What a save makes before the transaction: the answers in key order,
 * the plan of changes and the payloads depend only on the answers, the
 * response and the new version. When the card read before is still
 * current (checked in the transaction) they are made here, outside the
 * write lock that serialises every save and submit. 0 or -1.
 */
static int
save_prepare(struct save *sv)
{
	const struct store_card *card = sv->card;
	bool	 current;

	current = card->response_id != 0 &&
	    card->revision == sv->expected;
	if ((sv->submit || current) &&
	    (sv->sorted = by_key(sv->answers)) == NULL) {
		log_err("store: save: out of memory");
		return -1;
	}
	if (current && (sv->plan = plan_make(&card->answers, sv->answers,
	    sv->sorted)) == NULL)
		return -1;
	if (sv->submit && current) {
		sv->pre_rid = card->response_id;
		sv->pre_version = card->version + 1;
		sv->pre_round = sv->round = card->round;
		if (event_make(sv, sv->pre_rid, sv->pre_version, sv->pre_id,
		    sv->pre_at, &sv->pre_payload, &sv->pre_full) == -1)
			return -1;
	}
	return 0;
}

static void
save_free(struct save *sv)
{
	free(sv->sorted);
	plan_free(sv->plan);
	free(sv->pre_payload);
	free(sv->pre_full);
}

int
store_card_save(struct store *s, const struct store_card *card,
    int64_t expected_revision, const struct form_answers *answers,
    bool submit, const char *actor, store_payload_fn *fn, void *fnctx,
    int64_t *revision, int *version)
{
	struct save	 sv = {
		.card = card, .expected = expected_revision,
		.answers = answers, .submit = submit, .actor = actor,
		.fn = fn, .fnctx = fnctx,
	};
	int		 rc;

	rc = save_prepare(&sv) == -1 ? -1 : store_write(s, save_txn, &sv);
	save_free(&sv);
	if (rc == STORE_SAVED) {
		*revision = sv.revision;
		*version = sv.version;
	}
	return rc;
}

/* A save waiting for its batch (store_card_save_then). */
struct save_later {
	struct save		 sv;
	struct store_saved	*out;
	store_then_fn		*then;
	void			*thenctx;
};

static void
saved(void *arg, int rc)
{
	struct save_later *sl = arg;

	if (rc == STORE_SAVED && sl->out != NULL) {
		sl->out->revision = sl->sv.revision;
		sl->out->version = sl->sv.version;
		memcpy(sl->out->at, sl->sv.at, sizeof(sl->out->at));
	}
	sl->then(sl->thenctx, rc);
	save_free(&sl->sv);
	free(sl);
}

int
store_card_save_then(struct store *s, const struct store_card *card,
    int64_t expected_revision, const struct form_answers *answers,
    bool submit, const char *actor, store_payload_fn *fn, void *fnctx,
    struct store_saved *out, store_then_fn *then, void *thenctx)
{
	struct save_later *sl;

	if ((sl = calloc(1, sizeof(*sl))) == NULL) {
		log_err("store: save: out of memory");
		then(thenctx, -1);
		return 0;
	}
	sl->sv = (struct save){
		.card = card, .expected = expected_revision,
		.answers = answers, .submit = submit, .actor = actor,
		.fn = fn, .fnctx = fnctx,
	};
	sl->out = out;
	sl->then = then;
	sl->thenctx = thenctx;
	if (save_prepare(&sl->sv) == -1) {
		saved(sl, -1);
		return 0;
	}
	return store_write_then(s, save_txn, &sl->sv, saved, sl);
}

/* The rows of a values query (?1 an id, ?2 round, ?3 question) to cb. */
static int
values_each(struct store *s, const char *q, const char *what, int64_t id,
    int round, const char *question,
    int (*cb)(void *, const struct store_value_row *), void *ctx)
{
	static const struct store_col cols[] = {
		STORE_I64(struct store_value_row, field_id),
		STORE_I64(struct store_value_row, expert_id),
		STORE_I64(struct store_value_row, response_id),
		STORE_STR(struct store_value_row, expert_name),
		STORE_STR(struct store_value_row, row),
		STORE_INT(struct store_value_row, item),
		STORE_STR(struct store_value_row, value),
	};
	struct store_value_row	 v;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(id), STORE_ARG_INT(round),
	    STORE_ARG_TEXT(question));
	while ((rc = STORE_NEXT(s, st, what, cols, &v)) == 1)
		if ((rc = cb(ctx, &v)) != 0)
			break;
	if (st != NULL)
		sqlite3_reset(st);
	return rc;
}

/* The answers of the latest version in round ?2 of each response. */
#define VALUES_FROM \
	"v.item, v.value FROM responses r " \
	"JOIN assignments a ON a.id = r.assignment_id " \
	"JOIN fields f ON f.id = a.field_id " \
	"JOIN experts e ON e.id = a.expert_id " \
	"JOIN answers v ON v.response_id = r.id AND v.version = " \
	"(SELECT max(version) FROM response_versions WHERE response_id = " \
	"r.id AND round = ?2) "

int
store_values(struct store *s, int64_t campaign_id, int round,
    const char *question, int (*cb)(void *, const struct store_value_row *),
    void *ctx)
{
	static const char q[] = "SELECT f.id, e.id, r.id, e.name, v.row, "
	    VALUES_FROM
	    "WHERE f.campaign_id = ?1 AND r.status <> 'withdrawn' AND "
	    "v.question = ?3 ORDER BY f.code, f.id, e.name, e.id, v.row, v.item";

	return values_each(s, q, "values", campaign_id, round, question, cb,
	    ctx);
}

int
store_field_values(struct store *s, int64_t field_id, int round,
    const char *question, int (*cb)(void *, const struct store_value_row *),
    void *ctx)
{
	static const char q[] = "SELECT f.id, e.id, r.id, e.name, v.row, "
	    VALUES_FROM
	    "WHERE a.field_id = ?1 AND r.status <> 'withdrawn' AND "
	    "v.question = ?3 ORDER BY e.name, e.id, v.row, v.item";

	return values_each(s, q, "field values", field_id, round, question,
	    cb, ctx);
}

/*
 * Without the ORDER BY: SQLite's sorter was a third of keyfield stats
 * and of the dashboard's statistics at 2 000 cards, and spilled to its
 * temporary files as the campaign grew (callgrind, RESULTS.md).
 */
int
store_values_any(struct store *s, int64_t campaign_id, int round,
    const char *question, int (*cb)(void *, const struct store_value_row *),
    void *ctx)
{
	static const char q[] = "SELECT f.id, e.id, r.id, e.name, v.row, "
	    VALUES_FROM
	    "WHERE f.campaign_id = ?1 AND r.status <> 'withdrawn' AND "
	    "v.question = ?3";

	return values_each(s, q, "values", campaign_id, round, question, cb,
	    ctx);
}

int
store_data_stamp(struct store *s, struct store_data_stamp *out)
{
	static const char q[] = "SELECT gen FROM data_gen WHERE id = 1";
	int64_t		 gen;

	if (store_one_int(s, STORE_PREPARE(s, q), "data gen", &gen) != 0)
		return -1;
	out->handle = s->handle;
	out->gen = gen;
	return 0;
}

int
store_response_get(struct store *s, int64_t response_id,
    struct store_response *out)
{
	static const char q[] = "SELECT r.id, r.assignment_id, e.id, c.id, "
	    "r.form_id, c.slug, c.title, c.status = 'open', f.code, f.title, "
	    "e.name, e.email, r.status, r.version, r.revision, r.updated_at, "
	    "r.round FROM responses r "
	    "JOIN assignments a ON a.id = r.assignment_id "
	    "JOIN fields f ON f.id = a.field_id "
	    "JOIN experts e ON e.id = a.expert_id "
	    "JOIN campaigns c ON c.id = f.campaign_id WHERE r.id = ?";
	static const struct store_col cols[] = {
		STORE_I64(struct store_response, id),
		STORE_I64(struct store_response, assignment_id),
		STORE_I64(struct store_response, expert_id),
		STORE_I64(struct store_response, campaign_id),
		STORE_I64(struct store_response, form_id),
		STORE_TEXT(struct store_response, campaign_slug),
		STORE_TEXT(struct store_response, campaign_title),
		STORE_BOOL(struct store_response, campaign_open),
		STORE_TEXT(struct store_response, field_code),
		STORE_TEXT(struct store_response, field_title),
		STORE_TEXT(struct store_response, expert_name),
		STORE_TEXT(struct store_response, expert_email),
		STORE_STATUS(struct store_response, status),
		STORE_INT(struct store_response, version),
		STORE_I64(struct store_response, revision),
		STORE_TEXT(struct store_response, updated_at),
		STORE_INT(struct store_response, round),
	};
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(response_id));
	return STORE_ONE(s, st, "response get", cols, out);
}

int
store_versions(struct store *s, int64_t response_id,
    int (*cb)(void *, const struct store_version_row *), void *ctx)
{
	static const char q[] = "SELECT version, form_id, submitted_at FROM "
	    "response_versions WHERE response_id = ? ORDER BY version";
	static const struct store_col cols[] = {
		STORE_INT(struct store_version_row, version),
		STORE_I64(struct store_version_row, form_id),
		STORE_STR(struct store_version_row, submitted_at),
	};
	struct store_version_row v;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(response_id));
	while ((rc = STORE_NEXT(s, st, "versions", cols, &v)) == 1)
		if ((rc = cb(ctx, &v)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

int
store_audit_list(struct store *s, const char *object,
    int (*cb)(void *, const struct store_audit_row *), void *ctx)
{
	static const char q[] = "SELECT at, actor, action, object, detail "
	    "FROM audit WHERE object = ? ORDER BY id";
	static const struct store_col cols[] = {
		STORE_STR(struct store_audit_row, at),
		STORE_STR(struct store_audit_row, actor),
		STORE_STR(struct store_audit_row, action),
		STORE_STR(struct store_audit_row, object),
		STORE_STR(struct store_audit_row, detail),
	};
	struct store_audit_row	 a;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(object));
	while ((rc = STORE_NEXT(s, st, "audit list", cols, &a)) == 1)
		if ((rc = cb(ctx, &a)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

int
store_response_withdraw(struct store *s, int64_t response_id)
{
	static const char q[] = "UPDATE responses SET status = 'withdrawn', "
	    "revision = revision + 1, updated_at = ? WHERE id = ? AND "
	    "status = 'submitted'";
	sqlite3_stmt	*st;
	char		 now[32];

	store_now(now);
	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(now),
	    STORE_ARG_I64(response_id));
	return store_change(s, st, "response withdraw");
}

int
store_audit(struct store *s, const char *actor, const char *action,
    const char *object, const char *detail)
{
	static const char sql[] = "INSERT INTO audit (at, actor, action, "
	    "object, detail) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;
	char		 now[32];

	store_now(now);
	st = STORE_PREPARE(s, sql, STORE_ARG_TEXT(now), STORE_ARG_TEXT(actor),
	    STORE_ARG_TEXT(action), STORE_ARG_TEXT(object),
	    STORE_ARG_TEXT(detail != NULL ? detail : ""));
	return store_exec_stmt(s, st, "audit");
}
