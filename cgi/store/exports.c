/*
 * store/exports: SQL for exports, a campaign and its submitted versions.
 * Never returns a working copy (version 0) or a withdrawn card.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/impl.h"
#include "store/exports.h"
#include "store/responses.h"

struct store_export_iter {
	struct store			*s;
	sqlite3_stmt			*st;
	struct store_export_version	 v;
	char				*name, *email, *status, *at;
	char				*lang;
};

int
store_export_begin(struct store *s)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, &err) != SQLITE_OK) {
		log_err("sqlite export begin: %s", err != NULL ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

void
store_export_end(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

static const struct store_col field_cols[] = {
	STORE_I64(struct store_export_field, id),
	STORE_DUP(struct store_export_field, code),
	STORE_DUP(struct store_export_field, title),
};

static int
fields_get(struct store *s, struct store_export_campaign *c)
{
	static const char q[] = "SELECT id, code, title FROM fields WHERE "
	    "campaign_id = ? ORDER BY id";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(c->id));
	c->fields = STORE_ROWS(s, st, "export fields", field_cols,
	    sizeof(*c->fields), &c->nfields);
	return c->fields != NULL ? 0 : -1;
}

/* The columns of the campaign exported. */
static const struct store_col campaign_cols[] = {
	STORE_I64(struct store_export_campaign, id),
	STORE_DUP(struct store_export_campaign, slug),
	STORE_DUP(struct store_export_campaign, title),
	STORE_DUP(struct store_export_campaign, status),
	STORE_DUP(struct store_export_campaign, created_at),
	STORE_I64(struct store_export_campaign, form_id),
};

int
store_export_campaign(struct store *s, const char *slug,
    struct store_export_campaign *out)
{
	static const char q[] = "SELECT id, slug, title, status, created_at, "
	    "form_id FROM campaigns WHERE slug = ?";
	struct store_export_campaign c;
	sqlite3_stmt	*st;
	int		 rc;

	memset(&c, 0, sizeof(c));
	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(slug));
	if ((rc = STORE_ONE(s, st, "export campaign", campaign_cols, &c)) != 0)
		return rc;
	if (store_city_rows(s, c.id, &c.cities, &c.ncities) == -1 ||
	    fields_get(s, &c) == -1)
		goto fail;
	*out = c;
	return 0;
fail:
	store_export_campaign_free(&c);
	return -1;
}

void
store_export_campaign_free(struct store_export_campaign *c)
{
	if (c == NULL)
		return;
	store_city_rows_free(c->cities, c->ncities);
	STORE_ROWS_FREE(field_cols, c->fields, c->nfields);
	STORE_ROW_FREE(campaign_cols, c);
	memset(c, 0, sizeof(*c));
}

/*
 * ?1 campaign, ?2 key field or 0, ?3 every version (1) or the latest of
 * each round, ?4 this round or 0 (every round).
 */
static const char qversions[] = "SELECT r.id, f.id, e.id, e.name, "
    "e.email, r.status, v.version, r.version, v.form_id, v.submitted_at, "
    "v.round, v.lang FROM fields f "
    "JOIN assignments a ON a.field_id = f.id "
    "JOIN experts e ON e.id = a.expert_id "
    "JOIN responses r ON r.assignment_id = a.id "
    "JOIN response_versions v ON v.response_id = r.id "
    "WHERE f.campaign_id = ?1 AND (?2 = 0 OR f.id = ?2) "
    "AND r.status <> 'withdrawn' AND (?4 = 0 OR v.round = ?4) "
    "AND (?3 OR v.version = (SELECT max(w.version) FROM "
    "response_versions w WHERE w.response_id = r.id AND "
    "w.round = v.round)) "
    "ORDER BY v.round, f.id, e.name, e.id, v.version";

/* The columns of qversions, into the iterator's row. */
static const struct store_col version_cols[] = {
	STORE_I64(struct store_export_iter, v.response_id),
	STORE_I64(struct store_export_iter, v.field_id),
	STORE_I64(struct store_export_iter, v.expert_id),
	STORE_DUP(struct store_export_iter, name),
	STORE_DUP(struct store_export_iter, email),
	STORE_DUP(struct store_export_iter, status),
	STORE_INT(struct store_export_iter, v.version),
	STORE_INT(struct store_export_iter, v.latest),
	STORE_I64(struct store_export_iter, v.form_id),
	STORE_DUP(struct store_export_iter, at),
	STORE_INT(struct store_export_iter, v.round),
	STORE_DUP_NULL(struct store_export_iter, lang),
};

struct store_export_iter *
store_export_open(struct store *s, int64_t campaign_id, int64_t field_id,
    bool all_versions, int round)
{
	struct store_export_iter *it;

	if ((it = calloc(1, sizeof(*it))) == NULL) {
		log_err("store_export_open: %s", strerror(errno));
		return NULL;
	}
	it->s = s;
	if ((it->st = STORE_PREPARE(s, qversions, STORE_ARG_I64(campaign_id),
	    STORE_ARG_I64(field_id), STORE_ARG_INT(all_versions),
	    STORE_ARG_INT(round))) == NULL) {
		free(it);
		return NULL;
	}
	return it;
}

static void
row_free(struct store_export_iter *it)
{
	form_answers_free(&it->v.answers);
	STORE_ROW_FREE(version_cols, it);
	memset(&it->v, 0, sizeof(it->v));
}

int
store_export_next(struct store_export_iter *it,
    const struct store_export_version **out)
{
	struct store_export_version *v = &it->v;
	sqlite3_stmt	*st = it->st;
	int		 rc;

	row_free(it);
	rc = store_rc(it->s, sqlite3_step(st), "export versions");
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW)
		return -1;
	if (STORE_ROW(st, version_cols, it) == -1)
		return -1;
	v->expert_name = it->name;
	v->expert_email = it->email;
	v->status = it->status;
	v->submitted_at = it->at;
	v->lang = it->lang;
	if (store_answers_get(it->s, v->response_id, v->version,
	    &v->answers) == -1)
		return -1;
	*out = v;
	return 0;
}

void
store_export_close(struct store_export_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_reset(it->st);
	row_free(it);
	free(it);
}

/* A value of store_export_values (the statement's string). */
struct answer_value {
	const char	*value;
};

int
store_export_values(struct store *s, int64_t field_id, int round,
    const char *question, const char *row, int (*fn)(void *, const char *),
    void *ctx)
{
	/* CROSS JOIN keeps this order: each value is one key lookup. */
	static const char q[] = "SELECT n.value FROM assignments a "
	    "CROSS JOIN responses r ON r.assignment_id = a.id "
	    "CROSS JOIN answers n ON n.response_id = r.id "
	    "AND n.version = (SELECT max(w.version) FROM response_versions w "
	    "WHERE w.response_id = r.id AND w.round = ?2) "
	    "WHERE a.field_id = ?1 AND r.version > 0 "
	    "AND r.status <> 'withdrawn' "
	    "AND n.question = ?3 AND n.row = ?4 AND n.item = 0 "
	    "ORDER BY CAST(n.value AS INTEGER)";
	static const struct store_col cols[] = {
		STORE_STR(struct answer_value, value),
	};
	struct answer_value v;
	sqlite3_stmt	*st;
	int		 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(field_id), STORE_ARG_INT(round),
	    STORE_ARG_TEXT(question), STORE_ARG_TEXT(row));
	while ((rc = STORE_NEXT(s, st, "export values", cols, &v)) == 1)
		if ((rc = fn(ctx, v.value)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}
