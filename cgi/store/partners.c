/*
 * store/partners: the SQL of partners, deliveries and delivery attempts.
 * Never marks a delivery done without a 2xx, never returns a secret to
 * anything that prints it.
 */
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "store/impl.h"
#include "store/partners.h"
#include "store/secrets.h"

/* ---- partners ---- */

int
store_partner_add(struct store *s, int64_t campaign_id, const char *name,
    const char *url, const char *secret, bool allow_private, bool full,
    int64_t *id)
{
	static const char q[] = "INSERT INTO partners (campaign_id, name, url, "
	    "secret, allow_private, detail, created_at, secret_sealed) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, 1) "
	    "ON CONFLICT (campaign_id, name) DO NOTHING";
	sqlite3_stmt	*st;
	char		 now[32], *sealed;
	int		 rc;

	if ((sealed = store_secret_seal(secret)) == NULL)
		return -1;
	store_now(now);
	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_TEXT(name), STORE_ARG_TEXT(url), STORE_ARG_TEXT(sealed),
	    STORE_ARG_INT(allow_private),
	    STORE_ARG_TEXT(full ? "full" : "summary"), STORE_ARG_TEXT(now));
	rc = store_exec_stmt(s, st, "partner add");
	free(sealed);
	if (rc == -1)
		return -1;
	if (sqlite3_changes(s->db) == 0)
		return 1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

#define PARTNER_COLS "p.id, p.campaign_id, p.name, p.url, p.secret, " \
	"CASE WHEN p.previous_until > ?1 THEN p.previous_secret END, " \
	"CASE WHEN p.previous_until > ?1 THEN p.previous_until ELSE 0 END, " \
	"p.allow_private, p.active, coalesce(p.disabled_reason, ''), " \
	"p.detail, coalesce(p.failing_since, 0), p.created_at, " \
	"(SELECT count(*) FROM deliveries d WHERE d.partner_id = p.id " \
	"AND d.state = 'pending'), " \
	"(SELECT count(*) FROM deliveries d WHERE d.partner_id = p.id " \
	"AND d.state = 'delivered'), " \
	"(SELECT count(*) FROM deliveries d WHERE d.partner_id = p.id " \
	"AND d.state = 'failed') "

/* The columns of PARTNER_COLS. */
static const struct store_col partner_cols[] = {
	STORE_I64(struct store_partner, id),
	STORE_I64(struct store_partner, campaign_id),
	STORE_DUP_NULL(struct store_partner, name),
	STORE_DUP_NULL(struct store_partner, url),
	STORE_DUP_NULL(struct store_partner, secret),
	STORE_DUP_NULL(struct store_partner, previous_secret),
	STORE_I64(struct store_partner, previous_until),
	STORE_BOOL(struct store_partner, allow_private),
	STORE_BOOL(struct store_partner, active),
	STORE_DUP_NULL(struct store_partner, disabled_reason),
	STORE_DUP_NULL(struct store_partner, detail),
	STORE_I64(struct store_partner, failing_since),
	STORE_DUP_NULL(struct store_partner, created_at),
	STORE_I64(struct store_partner, npending),
	STORE_I64(struct store_partner, ndelivered),
	STORE_I64(struct store_partner, nfailed),
};

int
store_partner_get(struct store *s, int64_t campaign_id, const char *name,
    int64_t now_ms, struct store_partner *out)
{
	static const char q[] = "SELECT " PARTNER_COLS
	    "FROM partners p WHERE p.campaign_id = ?2 AND p.name = ?3";
	sqlite3_stmt		*st;
	struct store_partner	 p;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(now_ms),
	    STORE_ARG_I64(campaign_id), STORE_ARG_TEXT(name));
	if ((rc = STORE_ONE(s, st, "partner get", partner_cols, &p)) == 0)
		*out = p;
	return rc;
}

int
store_partners(struct store *s, int64_t campaign_id, int64_t now_ms,
    struct store_partner **out, size_t *n)
{
	static const char q[] = "SELECT " PARTNER_COLS
	    "FROM partners p WHERE p.campaign_id = ?2 ORDER BY p.name";
	sqlite3_stmt		*st;
	struct store_partner	*v;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(now_ms),
	    STORE_ARG_I64(campaign_id));
	if ((v = STORE_ROWS(s, st, "partners", partner_cols, sizeof(*v),
	    n)) == NULL)
		return -1;
	*out = v;
	return 0;
}

void
store_partner_free(struct store_partner *p)
{
	if (p == NULL)
		return;
	STORE_ROW_FREE(partner_cols, p);
	memset(p, 0, sizeof(*p));
}

void
store_partners_free(struct store_partner *v, size_t n)
{
	STORE_ROWS_FREE(partner_cols, v, n);
}

int
store_partner_disable(struct store *s, int64_t partner_id,
    const char *reason)
{
	static const char q[] = "UPDATE partners SET active = 0, "
	    "disabled_reason = ? WHERE id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(reason),
	    STORE_ARG_I64(partner_id));
	return store_exec_stmt(s, st, "partner disable");
}

int
store_partner_enable(struct store *s, int64_t partner_id, int64_t now_ms)
{
	static const char q[] = "UPDATE partners SET active = 1, "
	    "disabled_reason = NULL, failing_since = NULL WHERE id = ?";
	static const char qdue[] = "UPDATE deliveries SET next_at = ? "
	    "WHERE partner_id = ? AND state = 'pending' AND next_at > ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(partner_id));
	if (store_exec_stmt(s, st, "partner enable") == -1)
		return -1;
	st = STORE_PREPARE(s, qdue, STORE_ARG_I64(now_ms),
	    STORE_ARG_I64(partner_id), STORE_ARG_I64(now_ms));
	return store_exec_stmt(s, st, "partner enable deliveries");
}

int
store_partner_rotate(struct store *s, int64_t partner_id,
    const char *secret, int64_t until_ms)
{
	static const char q[] = "UPDATE partners SET previous_secret = secret, "
	    "previous_until = ?, secret = ? WHERE id = ?";
	sqlite3_stmt	*st;
	char		*sealed;
	int		 rc;

	if ((sealed = store_secret_seal(secret)) == NULL)
		return -1;
	st = STORE_PREPARE(s, q, STORE_ARG_I64(until_ms),
	    STORE_ARG_TEXT(sealed), STORE_ARG_I64(partner_id));
	rc = store_exec_stmt(s, st, "partner rotate");
	free(sealed);
	return rc;
}

/* ---- redelivery and test events ---- */

int
store_redeliver(struct store *s, int64_t partner_id, const char *event_id,
    int64_t now_ms)
{
	static const char q[] = "INSERT INTO deliveries (event_id, partner_id, "
	    "next_at, created_at) "
	    "SELECT e.id, p.id, ?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
	    "FROM events e JOIN partners p ON p.campaign_id = e.campaign_id "
	    "WHERE p.id = ?2 AND e.event_id = ?3 AND e.type <> 'partner.test' "
	    "ON CONFLICT (event_id, partner_id) DO UPDATE SET "
	    "state = 'pending', attempts = 0, next_at = ?1, "
	    "first_failure_at = NULL";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(now_ms),
	    STORE_ARG_I64(partner_id), STORE_ARG_TEXT(event_id));
	if (store_exec_stmt(s, st, "redeliver") == -1)
		return -1;
	return sqlite3_changes(s->db) == 0 ? 1 : 0;
}

int
store_redeliver_failed(struct store *s, int64_t partner_id,
    const char *since, int64_t now_ms, int64_t *n)
{
	static const char q[] = "UPDATE deliveries SET state = 'pending', "
	    "attempts = 0, next_at = ?, first_failure_at = NULL "
	    "WHERE partner_id = ? AND state = 'failed' AND created_at >= ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(now_ms),
	    STORE_ARG_I64(partner_id), STORE_ARG_TEXT(since));
	if (store_exec_stmt(s, st, "redeliver failed") == -1)
		return -1;
	*n = sqlite3_changes(s->db);
	return 0;
}

int
store_partner_test(struct store *s, int64_t partner_id, const char *event_id,
    const char *payload, int64_t now_ms)
{
	static const char qev[] = "INSERT INTO events (event_id, type, "
	    "campaign_id, payload, payload_full, created_at) "
	    "SELECT ?1, '" STORE_TEST_EVENT "', p.campaign_id, ?2, ?2, "
	    "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM partners p "
	    "WHERE p.id = ?3";
	static const char qdel[] = "INSERT INTO deliveries (event_id, "
	    "partner_id, next_at, created_at) VALUES (?, ?, ?, "
	    "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
	sqlite3_stmt	*st;
	int64_t		 ev;

	st = STORE_PREPARE(s, qev, STORE_ARG_TEXT(event_id),
	    STORE_ARG_TEXT(payload), STORE_ARG_I64(partner_id));
	if (store_exec_stmt(s, st, "test event") == -1)
		return -1;
	if (sqlite3_changes(s->db) != 1) {
		log_err("store test event: no partner %lld",
		    (long long)partner_id);
		return -1;
	}
	ev = sqlite3_last_insert_rowid(s->db);
	st = STORE_PREPARE(s, qdel, STORE_ARG_I64(ev),
	    STORE_ARG_I64(partner_id), STORE_ARG_I64(now_ms));
	return store_exec_stmt(s, st, "test delivery");
}

/* ---- the delivery log ---- */

/* The columns of an attempt in the delivery log. */
static const struct store_col attempt_cols[] = {
	STORE_DUP_NULL(struct store_attempt, at),
	STORE_DUP_NULL(struct store_attempt, event_id),
	STORE_DUP_NULL(struct store_attempt, type),
	STORE_INT(struct store_attempt, status),
	STORE_DUP_NULL(struct store_attempt, error),
	STORE_I64(struct store_attempt, latency_ms),
	STORE_DUP_NULL(struct store_attempt, body),
};

int
store_attempts(struct store *s, int64_t partner_id, size_t max,
    struct store_attempt **out, size_t *n)
{
	static const char q[] = "SELECT a.at, e.event_id, e.type, a.status, "
	    "a.error, a.latency_ms, a.body FROM attempts a "
	    "JOIN deliveries d ON d.id = a.delivery_id "
	    "JOIN events e ON e.id = d.event_id "
	    "WHERE d.partner_id = ? ORDER BY a.id DESC LIMIT ?";
	sqlite3_stmt		*st;
	struct store_attempt	*v;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(partner_id),
	    STORE_ARG_I64(max < INT64_MAX ? (int64_t)max : INT64_MAX));
	if ((v = STORE_ROWS(s, st, "attempts", attempt_cols, sizeof(*v),
	    n)) == NULL)
		return -1;
	*out = v;
	return 0;
}

void
store_attempts_free(struct store_attempt *v, size_t n)
{
	STORE_ROWS_FREE(attempt_cols, v, n);
}

/* ---- keyfield-notify ---- */

/* Step st (bound, its LIMIT max) for up to max integers of column 0
 * into out. 0 or -1. */
static int
ids_read(struct store *s, sqlite3_stmt *st, size_t max, int64_t *out,
    size_t *n, const char *what)
{
	size_t	 len = 0;
	int	 rc = SQLITE_DONE;

	if (st == NULL)
		return -1;
	while (len < max && (rc = store_rc(s, sqlite3_step(st), what)) ==
	    SQLITE_ROW)
		out[len++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (len < max && rc != SQLITE_DONE)
		return -1;
	*n = len;
	return 0;
}

int
store_due_partners(struct store *s, int64_t now_ms, size_t max,
    int64_t *out, size_t *n)
{
	/* One index probe per active partner (deliveries_partner_due). */
	static const char q[] = "SELECT id FROM (SELECT p.id, "
	    "(SELECT min(d.next_at) FROM deliveries d "
	    "WHERE d.partner_id = p.id AND d.state = 'pending') AS due "
	    "FROM partners p WHERE p.active = 1) "
	    "WHERE due <= ?1 ORDER BY due, id LIMIT ?2";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(now_ms),
	    STORE_ARG_I64((int64_t)max));
	return ids_read(s, st, max, out, n, "due partners");
}

int
store_due(struct store *s, int64_t partner_id, int64_t now_ms, size_t max,
    int64_t *out, size_t *n)
{
	/* A range of deliveries_partner_due, read in its order. */
	static const char q[] = "SELECT id FROM deliveries "
	    "WHERE partner_id = ?1 AND state = 'pending' AND next_at <= ?2 "
	    "ORDER BY next_at, id LIMIT ?3";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(partner_id),
	    STORE_ARG_I64(now_ms), STORE_ARG_I64((int64_t)max));
	return ids_read(s, st, max, out, n, "due");
}

/* The columns of a delivery to send. */
static const struct store_col send_cols[] = {
	STORE_I64(struct store_send, delivery_id),
	STORE_I64(struct store_send, partner_id),
	STORE_INT(struct store_send, attempts),
	STORE_DUP_NULL(struct store_send, event_id),
	STORE_DUP_NULL(struct store_send, type),
	STORE_DUP_NULL(struct store_send, payload),
	STORE_DUP_NULL(struct store_send, url),
	STORE_DUP_NULL(struct store_send, secret),
	STORE_DUP_NULL(struct store_send, previous_secret),
	STORE_BOOL(struct store_send, allow_private),
	STORE_DUP_NULL(struct store_send, partner_name),
	STORE_DUP_NULL(struct store_send, campaign_slug),
};

int
store_send_get(struct store *s, int64_t delivery_id, int64_t now_ms,
    struct store_send *out)
{
	static const char q[] = "SELECT d.id, d.partner_id, d.attempts, "
	    "e.event_id, e.type, CASE p.detail WHEN 'full' THEN "
	    "e.payload_full ELSE e.payload END, p.url, p.secret, "
	    "CASE WHEN p.previous_until > ?2 THEN p.previous_secret END, "
	    "p.allow_private, p.name, c.slug "
	    "FROM deliveries d JOIN events e ON e.id = d.event_id "
	    "JOIN partners p ON p.id = d.partner_id "
	    "JOIN campaigns c ON c.id = p.campaign_id "
	    "WHERE d.id = ?1 AND d.state = 'pending' AND p.active = 1";
	struct store_send	 v;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(delivery_id),
	    STORE_ARG_I64(now_ms));
	if ((rc = STORE_ONE(s, st, "send get", send_cols, &v)) != 0)
		return rc;
	if (v.event_id == NULL || v.payload == NULL || v.url == NULL ||
	    v.secret == NULL) {
		log_err("store send get: delivery %lld: a NULL column",
		    (long long)delivery_id);
		store_send_free(&v);
		return -1;
	}
	if (store_secret_open(&v.secret) == -1 ||
	    store_secret_open(&v.previous_secret) == -1) {
		store_send_free(&v);
		return -1;
	}
	*out = v;
	return 0;
}

void
store_send_free(struct store_send *v)
{
	if (v == NULL)
		return;
	STORE_ROW_FREE(send_cols, v);
	memset(v, 0, sizeof(*v));
}

static int
attempt_add(struct store *s, int64_t delivery_id, const char *at,
    int status, const char *error, int64_t latency_ms, const char *body)
{
	static const char q[] = "INSERT INTO attempts (delivery_id, at, "
	    "status, error, latency_ms, body) VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(delivery_id),
	    STORE_ARG_TEXT(at), STORE_ARG_INT(status),
	    STORE_ARG_TEXT(error != NULL ? error : ""),
	    STORE_ARG_I64(latency_ms),
	    STORE_ARG_TEXT(body != NULL ? body : ""));
	return store_exec_stmt(s, st, "attempt add");
}

static int
delivered(struct store *s, const struct store_outcome *o, bool *applied)
{
	static const char qd[] = "UPDATE deliveries SET state = 'delivered', "
	    "attempts = attempts + 1, last_status = ?, last_error = NULL, "
	    "delivered_at = ? WHERE id = ? AND attempts = ?";
	/* No write at all while the partner is not failing. */
	static const char qp[] = "UPDATE partners SET failing_since = NULL "
	    "WHERE id = ? AND failing_since IS NOT NULL";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, qd, STORE_ARG_INT(o->status),
	    STORE_ARG_I64(o->now_ms), STORE_ARG_I64(o->delivery_id),
	    STORE_ARG_INT(o->attempt - 1));
	if (store_exec_stmt(s, st, "delivered") == -1)
		return -1;
	*applied = sqlite3_changes(s->db) > 0;
	st = STORE_PREPARE(s, qp, STORE_ARG_I64(o->partner_id));
	return store_exec_stmt(s, st, "partner ok");
}

static int
failure(struct store *s, const struct store_outcome *o, bool *applied,
    int64_t *since_ms)
{
	static const char qd[] = "UPDATE deliveries SET "
	    "state = CASE WHEN ?1 < 0 THEN 'failed' ELSE 'pending' END, "
	    "next_at = CASE WHEN ?1 < 0 THEN next_at ELSE ?1 END, "
	    "attempts = attempts + 1, last_status = ?2, last_error = ?3, "
	    "first_failure_at = coalesce(first_failure_at, ?4) "
	    "WHERE id = ?5 AND attempts = ?6";
	static const char qp[] = "UPDATE partners SET "
	    "failing_since = coalesce(failing_since, ?1) WHERE id = ?2 "
	    "RETURNING failing_since";
	sqlite3_stmt	*st;
	int64_t		 since;
	int		 rc;

	st = STORE_PREPARE(s, qd, STORE_ARG_I64(o->next_at_ms),
	    STORE_ARG_INT(o->status),
	    STORE_ARG_TEXT(o->error != NULL && *o->error != '\0' ?
	    o->error : NULL),
	    STORE_ARG_I64(o->now_ms), STORE_ARG_I64(o->delivery_id),
	    STORE_ARG_INT(o->attempt - 1));
	if (store_exec_stmt(s, st, "delivery failure") == -1)
		return -1;
	*applied = sqlite3_changes(s->db) > 0;
	if ((st = STORE_PREPARE(s, qp, STORE_ARG_I64(o->now_ms),
	    STORE_ARG_I64(o->partner_id))) == NULL)
		return -1;
	rc = store_rc(s, sqlite3_step(st), "partner failing");
	since = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : o->now_ms;
	/* Step to the end so the UPDATE completes. */
	while (rc == SQLITE_ROW)
		rc = store_rc(s, sqlite3_step(st), "partner failing");
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	*since_ms = since;
	return 0;
}

int
store_outcome_add(struct store *s, const struct store_outcome *o,
    int64_t *since_ms)
{
	int64_t	 since = 0;
	bool	 applied = false;

	if (attempt_add(s, o->delivery_id, o->at, o->status, o->error,
	    o->latency_ms, o->body) == -1)
		return -1;
	if (o->delivered) {
		if (delivered(s, o, &applied) == -1)
			return -1;
	} else if (failure(s, o, &applied, &since) == -1)
		return -1;
	*since_ms = since;
	return applied ? 0 : 1;
}

/* ---- events ---- */

int
store_event_add(struct store *s, const char *event_id, const char *type,
    int64_t campaign_id, int64_t response_id, const char *at,
    const char *payload, const char *payload_full)
{
	static const char q[] = "INSERT INTO events (event_id, type, "
	    "campaign_id, response_id, payload, payload_full, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(event_id),
	    STORE_ARG_TEXT(type), STORE_ARG_I64(campaign_id),
	    response_id > 0 ? STORE_ARG_I64(response_id) : STORE_ARG_NULL,
	    STORE_ARG_TEXT(payload), STORE_ARG_TEXT(payload_full),
	    STORE_ARG_TEXT(at));
	return store_exec_stmt(s, st, "event add");
}
