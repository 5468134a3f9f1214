/*
 * store/experts: the SQL of experts and their assignments to key fields.
 * Never drops an assignment that has answers; never decides policy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/experts.h"
#include "store/impl.h"
#include "store/mail.h"
#include "store/sessions.h"

int
store_expert_add(struct store *s, int64_t campaign_id, const char *name,
    const char *email, const unsigned char *token_hash, int64_t *id)
{
	static const char q[] = "INSERT INTO experts (campaign_id, name, "
	    "email, token_hash, created_at) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;
	char		 now[32];

	store_now(now);
	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_TEXT(name), STORE_ARG_TEXT(email),
	    STORE_ARG_BLOB(token_hash, 32), STORE_ARG_TEXT(now));
	return store_insert(s, st, "expert add", id);
}

int
store_assign(struct store *s, int64_t expert_id, int64_t field_id)
{
	static const char q[] = "INSERT INTO assignments (expert_id, "
	    "field_id) VALUES (?, ?)";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(expert_id),
	    STORE_ARG_I64(field_id));
	return store_insert(s, st, "assign", NULL);
}

int
store_expert_by_token(struct store *s, const unsigned char *hash,
    int64_t *expert_id)
{
	static const char q[] = "SELECT id FROM experts WHERE token_hash = ? "
	    "AND revoked = 0";
	sqlite3_stmt	*st;
	int		 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_BLOB(hash, 32));
	if ((rc = store_one_int(s, st, "expert by token", expert_id)) != 1)
		return rc;
	/* Else a sign-in link of a mail (store/mail.h), the same to her. */
	return store_expert_by_mail_token(s, hash, expert_id);
}

/* The columns of an expert's card list: the expert, then each card. */
static const struct store_col expert_head_cols[] = {
	STORE_DUP(struct store_expert, name),
	STORE_DUP(struct store_expert, campaign_title),
	STORE_BOOL(struct store_expert, campaign_open),
};
static const struct store_col assignment_cols[] = {
	STORE_I64(struct store_assignment, id),
	STORE_DUP(struct store_assignment, field_code),
	STORE_DUP(struct store_assignment, field_title),
	STORE_STATUS(struct store_assignment, status),
	STORE_INT(struct store_assignment, version),
	STORE_DUP_NULL(struct store_assignment, updated_at),
};

int
store_expert_get(struct store *s, int64_t expert_id, struct store_expert *e)
{
	static const char qexp[] = "SELECT e.name, c.title, c.status = 'open' "
	    "FROM experts e JOIN campaigns c ON c.id = e.campaign_id "
	    "WHERE e.id = ? AND e.revoked = 0";
	static const char qas[] = "SELECT a.id, f.code, f.title, r.status, "
	    "r.version, r.updated_at FROM assignments a "
	    "JOIN fields f ON f.id = a.field_id "
	    "LEFT JOIN responses r ON r.assignment_id = a.id "
	    "WHERE a.expert_id = ? ORDER BY f.code, a.id";
	sqlite3_stmt	*st;
	int		 rc;

	memset(e, 0, sizeof(*e));
	st = STORE_PREPARE(s, qexp, STORE_ARG_I64(expert_id));
	if ((rc = STORE_ONE(s, st, "expert get", expert_head_cols, e)) != 0)
		return rc;
	e->id = expert_id;
	st = STORE_PREPARE(s, qas, STORE_ARG_I64(expert_id));
	if ((e->assignments = STORE_ROWS(s, st, "assignments",
	    assignment_cols, sizeof(*e->assignments),
	    &e->nassignments)) == NULL)
		goto fail;
	return 0;
fail:
	store_expert_free(e);
	return -1;
}

void
store_expert_free(struct store_expert *e)
{
	if (e == NULL)
		return;
	STORE_ROWS_FREE(assignment_cols, e->assignments, e->nassignments);
	STORE_ROW_FREE(expert_head_cols, e);
	memset(e, 0, sizeof(*e));
}

/* The columns of an expert, as both queries below select them. */
static const struct store_col expert_cols[] = {
	STORE_I64(struct store_expert_row, id),
	STORE_TEXT(struct store_expert_row, name),
	STORE_TEXT(struct store_expert_row, email),
	STORE_BOOL(struct store_expert_row, revoked),
};

int
store_experts(struct store *s, int64_t campaign_id,
    int (*cb)(void *, const struct store_expert_row *), void *ctx)
{
	static const char q[] = "SELECT id, name, email, revoked FROM experts "
	    "WHERE campaign_id = ? ORDER BY name, id";
	struct store_expert_row	 e;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	while ((rc = STORE_NEXT(s, st, "experts", expert_cols, &e)) == 1)
		if ((rc = cb(ctx, &e)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

int
store_experts_page(struct store *s, int64_t campaign_id, int64_t expert_id,
    int64_t offset, int64_t limit,
    int (*cb)(void *, const struct store_expert_item *), void *ctx)
{
	static const char q[] = "SELECT e.id, e.name, e.email, e.revoked, "
	    "(SELECT group_concat(code, ', ') FROM (SELECT f.code FROM "
	    "assignments a JOIN fields f ON f.id = a.field_id WHERE "
	    "a.expert_id = e.id ORDER BY f.code)) FROM experts e "
	    "WHERE e.campaign_id = ?1 AND (?2 = 0 OR e.id = ?2) "
	    "ORDER BY e.name, e.id LIMIT ?4 OFFSET ?3";
	static const struct store_col cols[] = {
		STORE_I64(struct store_expert_item, id),
		STORE_TEXT(struct store_expert_item, name),
		STORE_TEXT(struct store_expert_item, email),
		STORE_BOOL(struct store_expert_item, revoked),
		STORE_STR(struct store_expert_item, fields),
	};
	struct store_expert_item e;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_I64(expert_id), STORE_ARG_I64(offset),
	    STORE_ARG_I64(limit));
	while ((rc = STORE_NEXT(s, st, "experts page", cols, &e)) == 1)
		if ((rc = cb(ctx, &e)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

int
store_experts_count(struct store *s, int64_t campaign_id, int64_t *n)
{
	static const char q[] = "SELECT count(*) FROM experts WHERE "
	    "campaign_id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	return store_one_int(s, st, "experts count", n) == 0 ? 0 : -1;
}

int
store_expert_row(struct store *s, int64_t campaign_id, int64_t expert_id,
    struct store_expert_row *out)
{
	static const char q[] = "SELECT id, name, email, revoked FROM experts "
	    "WHERE campaign_id = ? AND id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_I64(expert_id));
	return STORE_ONE(s, st, "expert row", expert_cols, out);
}

int
store_expert_by_email(struct store *s, int64_t campaign_id,
    const char *email, struct store_expert_row *out)
{
	static const char q[] = "SELECT id, name, email, revoked FROM experts "
	    "WHERE campaign_id = ? AND lower(trim(email)) = lower(trim(?)) "
	    "ORDER BY id LIMIT 1";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_TEXT(email));
	return STORE_ONE(s, st, "expert by e-mail", expert_cols, out);
}

static const struct store_col duplicate_cols[] = {
	STORE_TEXT(struct store_duplicate, slug),
	STORE_TEXT(struct store_duplicate, email),
	STORE_TEXT(struct store_duplicate, ids),
	STORE_INT(struct store_duplicate, n),
};

int
store_expert_duplicates(struct store *s,
    int (*cb)(void *, const struct store_duplicate *), void *ctx)
{
	static const char q[] = "SELECT c.slug, lower(trim(e.email)), "
	    "group_concat(e.id, ', '), count(*) FROM experts e "
	    "JOIN campaigns c ON c.id = e.campaign_id WHERE e.revoked = 0 "
	    "GROUP BY e.campaign_id, lower(trim(e.email)) "
	    "HAVING count(*) > 1 ORDER BY c.slug, 2";
	struct store_duplicate	 d;
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	while ((rc = STORE_NEXT(s, st, "duplicates", duplicate_cols,
	    &d)) == 1)
		if ((rc = cb(ctx, &d)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

/*
 * Run st, a change to expert_id's access (her link or its revocation),
 * and end her sessions and her mails' sign-in links with it:
 * store_change's result, or -1.
 */
static int
access_change(struct store *s, sqlite3_stmt *st, const char *what,
    int64_t expert_id)
{
	int	 rc;

	if ((rc = store_change(s, st, what)) != 0)
		return rc;
	if (store_mail_tokens_end(s, expert_id) == -1)
		return -1;
	return store_sessions_end(s, "expert", expert_id);
}

int
store_expert_token_set(struct store *s, int64_t campaign_id,
    int64_t expert_id, const unsigned char *token_hash)
{
	static const char q[] = "UPDATE experts SET token_hash = ?, "
	    "revoked = 0 WHERE id = ? AND campaign_id = ?";

	return access_change(s, STORE_PREPARE(s, q,
	    STORE_ARG_BLOB(token_hash, 32), STORE_ARG_I64(expert_id),
	    STORE_ARG_I64(campaign_id)), "expert token", expert_id);
}

int
store_expert_revoke(struct store *s, int64_t campaign_id, int64_t expert_id)
{
	static const char q[] = "UPDATE experts SET revoked = 1 WHERE id = ? "
	    "AND campaign_id = ?";

	return access_change(s, STORE_PREPARE(s, q, STORE_ARG_I64(expert_id),
	    STORE_ARG_I64(campaign_id)), "expert revoke", expert_id);
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

	st = STORE_PREPARE(s, qhas, STORE_ARG_I64(expert_id),
	    STORE_ARG_I64(field_id));
	if (store_one_row(s, st, "unassign check") != 0)
		return -1;
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (n > 0)
		return 1;
	st = STORE_PREPARE(s, qdel, STORE_ARG_I64(expert_id),
	    STORE_ARG_I64(field_id));
	rc = store_change(s, st, "unassign");
	return rc == 1 ? 2 : rc;
}

struct store_assignment_row *
store_assignments(struct store *s, int64_t campaign_id, size_t max,
    size_t *n)
{
	static const char q[] = "SELECT a.id, a.expert_id, a.field_id, "
	    "coalesce(r.id, 0), r.status, coalesce(r.version, 0) "
	    "FROM assignments a JOIN fields f ON f.id = a.field_id "
	    "JOIN experts e ON e.id = a.expert_id "
	    "LEFT JOIN responses r ON r.assignment_id = a.id "
	    "WHERE f.campaign_id = ? AND (e.revoked = 0 OR r.id IS NOT NULL) "
	    "ORDER BY a.id LIMIT ?";
	static const struct store_col cols[] = {
		STORE_I64(struct store_assignment_row, id),
		STORE_I64(struct store_assignment_row, expert_id),
		STORE_I64(struct store_assignment_row, field_id),
		STORE_I64(struct store_assignment_row, response_id),
		STORE_STATUS(struct store_assignment_row, status),
		STORE_INT(struct store_assignment_row, version),
	};
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_I64((int64_t)max));
	return STORE_ROWS(s, st, "assignments", cols,
	    sizeof(struct store_assignment_row), n);
}
