/*
 * store/console: SQL for the coordinator console (see store/console.h).
 * Never decides policy and never formats anything for people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/console.h"
#include "store/impl.h"

/* Copy a text column into a fixed buffer ("" for NULL). */
static void
col(sqlite3_stmt *st, int i, char *out, size_t outsz)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, outsz, "%s", t != NULL ? (const char *)t : "");
}

static const char *
col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? (const char *)t : "";
}

/* Step an UPDATE or DELETE: 0 when it changed a row, 1 when none, -1. */
static int
change(struct store *s, sqlite3_stmt *st, const char *what)
{
	if (store_exec_stmt(s, st, what) == -1)
		return -1;
	return sqlite3_changes(s->db) > 0 ? 0 : 1;
}

/* Step one row: 0 (row, statement not reset), 1 when none, -1. */
static int
one_row(struct store *s, sqlite3_stmt *st, const char *what)
{
	int	 rc;

	rc = store_rc(s, sqlite3_step(st), what);
	if (rc == SQLITE_ROW)
		return 0;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

/* ---- coordinators and logins ---- */

int
store_coordinator_add(struct store *s, const char *username,
    const char *password_hash)
{
	static const char q[] = "INSERT INTO coordinators (username, "
	    "password_hash, created_at) VALUES (?, ?, ?)";
	sqlite3_stmt	*st;
	char		 now[32];

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_now(now);
	store_bind_text(s, st, 1, username);
	store_bind_text(s, st, 2, password_hash);
	store_bind_text(s, st, 3, now);
	return store_insert(s, st, "coordinator add", NULL);
}

static int
coordinator_row(struct store *s, sqlite3_stmt *st,
    struct store_coordinator *out)
{
	int	 rc;

	if ((rc = one_row(s, st, "coordinator get")) != 0)
		return rc;
	out->id = sqlite3_column_int64(st, 0);
	col(st, 1, out->username, sizeof(out->username));
	col(st, 2, out->password_hash, sizeof(out->password_hash));
	out->disabled = sqlite3_column_int(st, 3) != 0;
	sqlite3_reset(st);
	return 0;
}

int
store_coordinator_get(struct store *s, const char *username,
    struct store_coordinator *out)
{
	static const char q[] = "SELECT id, username, password_hash, "
	    "disabled FROM coordinators WHERE username = ?";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, username);
	return coordinator_row(s, st, out);
}

int
store_coordinator_by_id(struct store *s, int64_t id,
    struct store_coordinator *out)
{
	static const char q[] = "SELECT id, username, password_hash, "
	    "disabled FROM coordinators WHERE id = ?";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return coordinator_row(s, st, out);
}

int
store_login_locked(struct store *s, const char *username, int64_t now,
    int64_t window, int limit, int64_t *retry_after)
{
	/* The limit-th most recent failure: while it is in the window,
	 * there are at least limit of them. */
	static const char q[] = "SELECT at FROM login_failures WHERE "
	    "username = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?";
	sqlite3_stmt	*st;
	int64_t		 at;
	int		 rc;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, username);
	sqlite3_bind_int64(st, 2, now - window);
	sqlite3_bind_int(st, 3, limit - 1);
	if ((rc = one_row(s, st, "login locked")) != 0)
		return rc == 1 ? 0 : -1;
	at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*retry_after = at + window - now;
	if (*retry_after < 1)
		*retry_after = 1;
	return 1;
}

int
store_login_failure_add(struct store *s, const char *username, int64_t now)
{
	static const char qadd[] = "INSERT INTO login_failures (username, at) "
	    "VALUES (?, ?)";
	static const char qold[] = "DELETE FROM login_failures WHERE at < ?";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, qadd)) == NULL)
		return -1;
	store_bind_text(s, st, 1, username);
	sqlite3_bind_int64(st, 2, now);
	if (store_exec_stmt(s, st, "login failure add") == -1 ||
	    (st = store_stmt(s, qold)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now - 86400);
	return store_exec_stmt(s, st, "login failures expire");
}

int
store_login_failures_clear(struct store *s, const char *username)
{
	static const char q[] = "DELETE FROM login_failures WHERE username = ?";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, username);
	return store_exec_stmt(s, st, "login failures clear");
}

int
store_sessions_end(struct store *s, const char *kind, int64_t subject_id)
{
	static const char q[] = "DELETE FROM sessions WHERE kind = ? AND "
	    "subject_id = ?";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, kind);
	sqlite3_bind_int64(st, 2, subject_id);
	return store_exec_stmt(s, st, "sessions end");
}

/* ---- campaigns ---- */

static void
campaign_cols(sqlite3_stmt *st, struct store_campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	col(st, 1, c->slug, sizeof(c->slug));
	col(st, 2, c->title, sizeof(c->title));
	col(st, 3, c->form_name, sizeof(c->form_name));
	c->form_version = sqlite3_column_int(st, 4);
	c->form_id = sqlite3_column_int64(st, 5);
	c->open = sqlite3_column_int(st, 6) != 0;
	col(st, 7, c->created_at, sizeof(c->created_at));
}

int
store_campaigns(struct store *s,
    int (*cb)(void *, const struct store_campaign *), void *ctx)
{
	static const char q[] = "SELECT c.id, c.slug, c.title, f.name, "
	    "f.version, c.form_id, c.status = 'open', c.created_at, "
	    "(SELECT count(*) FROM fields WHERE campaign_id = c.id), "
	    "(SELECT count(*) FROM experts WHERE campaign_id = c.id AND "
	    "revoked = 0), "
	    "(SELECT count(*) FROM responses r JOIN assignments a ON "
	    "a.id = r.assignment_id JOIN fields d ON d.id = a.field_id "
	    "WHERE d.campaign_id = c.id AND r.status = 'submitted') "
	    "FROM campaigns c JOIN forms f ON f.id = c.form_id "
	    "ORDER BY c.id DESC";
	struct store_campaign	 c;
	sqlite3_stmt		*st;
	int			 rc, ret = 0;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	while ((rc = store_rc(s, sqlite3_step(st), "campaigns")) ==
	    SQLITE_ROW) {
		campaign_cols(st, &c);
		c.nfields = sqlite3_column_int(st, 8);
		c.nexperts = sqlite3_column_int(st, 9);
		c.nsubmitted = sqlite3_column_int(st, 10);
		if ((ret = cb(ctx, &c)) != 0)
			break;
	}
	sqlite3_reset(st);
	return ret != 0 ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int
store_campaign_get(struct store *s, const char *slug,
    struct store_campaign *out)
{
	static const char q[] = "SELECT c.id, c.slug, c.title, f.name, "
	    "f.version, c.form_id, c.status = 'open', c.created_at "
	    "FROM campaigns c JOIN forms f ON f.id = c.form_id "
	    "WHERE c.slug = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, slug);
	if ((rc = one_row(s, st, "campaign get")) != 0)
		return rc;
	campaign_cols(st, out);
	sqlite3_reset(st);
	return 0;
}

int
store_campaign_set_open(struct store *s, int64_t campaign_id, bool open)
{
	static const char q[] = "UPDATE campaigns SET status = ? WHERE id = ? "
	    "AND status <> ?";
	const char	*to = open ? "open" : "closed";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, to);
	sqlite3_bind_int64(st, 2, campaign_id);
	store_bind_text(s, st, 3, to);
	return change(s, st, "campaign status");
}

/* ---- cities, key fields, experts ---- */

int
store_cities(struct store *s, int64_t campaign_id,
    int (*cb)(void *, const struct store_city *), void *ctx)
{
	static const char q[] = "SELECT id, code, name, position FROM cities "
	    "WHERE campaign_id = ? ORDER BY position, id";
	struct store_city	 c;
	sqlite3_stmt		*st;
	int			 rc, ret = 0;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	while ((rc = store_rc(s, sqlite3_step(st), "cities")) == SQLITE_ROW) {
		c.id = sqlite3_column_int64(st, 0);
		col(st, 1, c.code, sizeof(c.code));
		col(st, 2, c.name, sizeof(c.name));
		c.position = sqlite3_column_int(st, 3);
		if ((ret = cb(ctx, &c)) != 0)
			break;
	}
	sqlite3_reset(st);
	return ret != 0 ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int
store_city_next(struct store *s, int64_t campaign_id)
{
	static const char q[] = "SELECT coalesce(max(position) + 1, 0) FROM "
	    "cities WHERE campaign_id = ?";
	sqlite3_stmt	*st;
	int		 n;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	if (one_row(s, st, "city next") != 0)
		return -1;
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

int
store_city_rename(struct store *s, int64_t campaign_id, int64_t city_id,
    const char *name)
{
	static const char q[] = "UPDATE cities SET name = ? WHERE id = ? AND "
	    "campaign_id = ?";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, name);
	sqlite3_bind_int64(st, 2, city_id);
	sqlite3_bind_int64(st, 3, campaign_id);
	return change(s, st, "city rename");
}

int
store_fields(struct store *s, int64_t campaign_id,
    int (*cb)(void *, const struct store_field *), void *ctx)
{
	static const char q[] = "SELECT id, code, title FROM fields "
	    "WHERE campaign_id = ? ORDER BY code, id";
	struct store_field	 f;
	sqlite3_stmt		*st;
	int			 rc, ret = 0;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	while ((rc = store_rc(s, sqlite3_step(st), "fields")) == SQLITE_ROW) {
		f.id = sqlite3_column_int64(st, 0);
		col(st, 1, f.code, sizeof(f.code));
		col(st, 2, f.title, sizeof(f.title));
		if ((ret = cb(ctx, &f)) != 0)
			break;
	}
	sqlite3_reset(st);
	return ret != 0 ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int
store_field_retitle(struct store *s, int64_t campaign_id, int64_t field_id,
    const char *title)
{
	static const char q[] = "UPDATE fields SET title = ? WHERE id = ? AND "
	    "campaign_id = ?";
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, title);
	sqlite3_bind_int64(st, 2, field_id);
	sqlite3_bind_int64(st, 3, campaign_id);
	return change(s, st, "field retitle");
}

static void
expert_cols(sqlite3_stmt *st, struct store_expert_row *e)
{
	e->id = sqlite3_column_int64(st, 0);
	col(st, 1, e->name, sizeof(e->name));
	col(st, 2, e->email, sizeof(e->email));
	e->revoked = sqlite3_column_int(st, 3) != 0;
}

int
store_experts(struct store *s, int64_t campaign_id,
    int (*cb)(void *, const struct store_expert_row *), void *ctx)
{
	static const char q[] = "SELECT id, name, email, revoked FROM experts "
	    "WHERE campaign_id = ? ORDER BY name, id";
	struct store_expert_row	 e;
	sqlite3_stmt		*st;
	int			 rc, ret = 0;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	while ((rc = store_rc(s, sqlite3_step(st), "experts")) == SQLITE_ROW) {
		expert_cols(st, &e);
		if ((ret = cb(ctx, &e)) != 0)
			break;
	}
	sqlite3_reset(st);
	return ret != 0 ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int
store_expert_row(struct store *s, int64_t campaign_id, int64_t expert_id,
    struct store_expert_row *out)
{
	static const char q[] = "SELECT id, name, email, revoked FROM experts "
	    "WHERE campaign_id = ? AND id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	sqlite3_bind_int64(st, 2, expert_id);
	if ((rc = one_row(s, st, "expert row")) != 0)
		return rc;
	expert_cols(st, out);
	sqlite3_reset(st);
	return 0;
}

int
store_expert_token_set(struct store *s, int64_t campaign_id,
    int64_t expert_id, const unsigned char *token_hash)
{
	static const char q[] = "UPDATE experts SET token_hash = ?, "
	    "revoked = 0 WHERE id = ? AND campaign_id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, expert_id);
	sqlite3_bind_int64(st, 3, campaign_id);
	if ((rc = change(s, st, "expert token")) != 0)
		return rc;
	return store_sessions_end(s, "expert", expert_id);
}

int
store_expert_revoke(struct store *s, int64_t campaign_id, int64_t expert_id)
{
	static const char q[] = "UPDATE experts SET revoked = 1 WHERE id = ? "
	    "AND campaign_id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, expert_id);
	sqlite3_bind_int64(st, 2, campaign_id);
	if ((rc = change(s, st, "expert revoke")) != 0)
		return rc;
	return store_sessions_end(s, "expert", expert_id);
}

int
store_unassign(struct store *s, int64_t expert_id, int64_t field_id)
{
	static const char qhas[] = "SELECT count(r.id) FROM assignments a "
	    "LEFT JOIN responses r ON r.assignment_id = a.id "
	    "WHERE a.expert_id = ? AND a.field_id = ?";
	static const char qdel[] = "DELETE FROM assignments WHERE "
	    "expert_id = ? AND field_id = ?";
	sqlite3_stmt	*st;
	int		 n, rc;

	if ((st = store_stmt(s, qhas)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, expert_id);
	sqlite3_bind_int64(st, 2, field_id);
	if (one_row(s, st, "unassign check") != 0)
		return -1;
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (n > 0)
		return 1;
	if ((st = store_stmt(s, qdel)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, expert_id);
	sqlite3_bind_int64(st, 2, field_id);
	rc = change(s, st, "unassign");
	return rc == 1 ? 2 : rc;
}

/* ---- progress and ratings ---- */

int
store_assignments(struct store *s, int64_t campaign_id,
    int (*cb)(void *, const struct store_assignment_row *), void *ctx)
{
	static const char q[] = "SELECT a.id, a.expert_id, a.field_id, "
	    "coalesce(r.id, 0), r.status, coalesce(r.version, 0) "
	    "FROM assignments a JOIN fields f ON f.id = a.field_id "
	    "JOIN experts e ON e.id = a.expert_id "
	    "LEFT JOIN responses r ON r.assignment_id = a.id "
	    "WHERE f.campaign_id = ? AND (e.revoked = 0 OR r.id IS NOT NULL) "
	    "ORDER BY a.id";
	struct store_assignment_row	 a;
	sqlite3_stmt			*st;
	int				 rc, ret = 0;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	while ((rc = store_rc(s, sqlite3_step(st), "assignments")) ==
	    SQLITE_ROW) {
		a.id = sqlite3_column_int64(st, 0);
		a.expert_id = sqlite3_column_int64(st, 1);
		a.field_id = sqlite3_column_int64(st, 2);
		a.response_id = sqlite3_column_int64(st, 3);
		a.status = store_status_parse((const char *)
		    sqlite3_column_text(st, 4));
		a.version = sqlite3_column_int(st, 5);
		if ((ret = cb(ctx, &a)) != 0)
			break;
	}
	sqlite3_reset(st);
	return ret != 0 ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int
store_values(struct store *s, int64_t campaign_id, const char *question,
    int (*cb)(void *, const struct store_value_row *), void *ctx)
{
	static const char q[] = "SELECT f.id, e.id, r.id, e.name, v.row, "
	    "v.item, v.value FROM responses r "
	    "JOIN assignments a ON a.id = r.assignment_id "
	    "JOIN fields f ON f.id = a.field_id "
	    "JOIN experts e ON e.id = a.expert_id "
	    "JOIN answers v ON v.response_id = r.id AND v.version = r.version "
	    "WHERE f.campaign_id = ? AND r.status = 'submitted' AND "
	    "v.question = ? ORDER BY f.code, f.id, e.name, e.id, v.row, v.item";
	struct store_value_row	 v;
	sqlite3_stmt		*st;
	int			 rc, ret = 0;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, campaign_id);
	store_bind_text(s, st, 2, question);
	while ((rc = store_rc(s, sqlite3_step(st), "values")) == SQLITE_ROW) {
		v.field_id = sqlite3_column_int64(st, 0);
		v.expert_id = sqlite3_column_int64(st, 1);
		v.response_id = sqlite3_column_int64(st, 2);
		v.expert_name = col_str(st, 3);
		v.row = col_str(st, 4);
		v.item = (unsigned)sqlite3_column_int(st, 5);
		v.value = col_str(st, 6);
		if ((ret = cb(ctx, &v)) != 0)
			break;
	}
	sqlite3_reset(st);
	return ret != 0 ? ret : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- responses ---- */

int
store_response_get(struct store *s, int64_t response_id,
    struct store_response *out)
{
	static const char q[] = "SELECT r.id, r.assignment_id, e.id, c.id, "
	    "r.form_id, c.slug, c.title, c.status = 'open', f.code, f.title, "
	    "e.name, e.email, r.status, r.version, r.revision, r.updated_at "
	    "FROM responses r JOIN assignments a ON a.id = r.assignment_id "
	    "JOIN fields f ON f.id = a.field_id "
	    "JOIN experts e ON e.id = a.expert_id "
	    "JOIN campaigns c ON c.id = f.campaign_id WHERE r.id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response_id);
	if ((rc = one_row(s, st, "response get")) != 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->assignment_id = sqlite3_column_int64(st, 1);
	out->expert_id = sqlite3_column_int64(st, 2);
	out->campaign_id = sqlite3_column_int64(st, 3);
	out->form_id = sqlite3_column_int64(st, 4);
	col(st, 5, out->campaign_slug, sizeof(out->campaign_slug));
	col(st, 6, out->campaign_title, sizeof(out->campaign_title));
	out->campaign_open = sqlite3_column_int(st, 7) != 0;
	col(st, 8, out->field_code, sizeof(out->field_code));
	col(st, 9, out->field_title, sizeof(out->field_title));
	col(st, 10, out->expert_name, sizeof(out->expert_name));
	col(st, 11, out->expert_email, sizeof(out->expert_email));
	out->status = store_status_parse(
	    (const char *)sqlite3_column_text(st, 12));
	out->version = sqlite3_column_int(st, 13);
	out->revision = sqlite3_column_int64(st, 14);
	col(st, 15, out->updated_at, sizeof(out->updated_at));
	sqlite3_reset(st);
	return 0;
}

int
store_versions(struct store *s, int64_t response_id,
    int (*cb)(void *, const struct store_version_row *), void *ctx)
{
	static const char q[] = "SELECT version, form_id, submitted_at FROM "
	    "response_versions WHERE response_id = ? ORDER BY version";
	struct store_version_row v;
	sqlite3_stmt		*st;
	int			 rc, ret = 0;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, response_id);
	while ((rc = store_rc(s, sqlite3_step(st), "versions")) ==
	    SQLITE_ROW) {
		v.version = sqlite3_column_int(st, 0);
		v.form_id = sqlite3_column_int64(st, 1);
		v.submitted_at = col_str(st, 2);
		if ((ret = cb(ctx, &v)) != 0)
			break;
	}
	sqlite3_reset(st);
	return ret != 0 ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int
store_audit_list(struct store *s, const char *object,
    int (*cb)(void *, const struct store_audit_row *), void *ctx)
{
	static const char q[] = "SELECT at, actor, action, object, detail "
	    "FROM audit WHERE object = ? ORDER BY id";
	struct store_audit_row	 a;
	sqlite3_stmt		*st;
	int			 rc, ret = 0;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_bind_text(s, st, 1, object);
	while ((rc = store_rc(s, sqlite3_step(st), "audit list")) ==
	    SQLITE_ROW) {
		a.at = col_str(st, 0);
		a.actor = col_str(st, 1);
		a.action = col_str(st, 2);
		a.object = col_str(st, 3);
		a.detail = col_str(st, 4);
		if ((ret = cb(ctx, &a)) != 0)
			break;
	}
	sqlite3_reset(st);
	return ret != 0 ? ret : rc == SQLITE_DONE ? 0 : -1;
}

int
store_response_withdraw(struct store *s, int64_t response_id)
{
	static const char q[] = "UPDATE responses SET status = 'withdrawn', "
	    "revision = revision + 1, updated_at = ? WHERE id = ? AND "
	    "status = 'submitted'";
	sqlite3_stmt	*st;
	char		 now[32];

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	store_now(now);
	store_bind_text(s, st, 1, now);
	sqlite3_bind_int64(st, 2, response_id);
	return change(s, st, "response withdraw");
}
