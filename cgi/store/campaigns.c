/*
 * store/campaigns: the SQL of campaigns, their cities and key fields.
 * Never decides policy and never formats anything for people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/form.h"
#include "store/campaigns.h"
#include "store/impl.h"

/* ---- set-up ---- */

int
store_campaign_add(struct store *s, const char *slug, const char *title,
    const char *form_name, int64_t *id)
{
	static const char qform[] = "SELECT id FROM forms WHERE name = ? "
	    "ORDER BY version DESC LIMIT 1";
	static const char qadd[] = "INSERT INTO campaigns (slug, title, "
	    "form_id, created_at) VALUES (?, ?, ?, ?)";
	sqlite3_stmt	*st;
	int64_t		 form_id;
	char		 now[32];
	int		 rc;

	st = STORE_PREPARE(s, qform, STORE_ARG_TEXT(form_name));
	if ((rc = store_one_int(s, st, "campaign form", &form_id)) != 0)
		return rc == 1 ? 2 : -1;
	store_now(now);
	st = STORE_PREPARE(s, qadd, STORE_ARG_TEXT(slug), STORE_ARG_TEXT(title),
	    STORE_ARG_I64(form_id), STORE_ARG_TEXT(now));
	return store_insert(s, st, "campaign add", id);
}

int
store_city_add(struct store *s, int64_t campaign_id, const char *code,
    const char *name, int position)
{
	static const char q[] = "INSERT INTO cities (campaign_id, code, name, "
	    "position) VALUES (?, ?, ?, ?)";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_TEXT(code), STORE_ARG_TEXT(name),
	    STORE_ARG_INT(position));
	return store_insert(s, st, "city add", NULL);
}

int
store_field_add(struct store *s, int64_t campaign_id, const char *code,
    const char *title, int64_t *id)
{
	static const char q[] = "INSERT INTO fields (campaign_id, code, "
	    "title) VALUES (?, ?, ?)";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_TEXT(code), STORE_ARG_TEXT(title));
	return store_insert(s, st, "field add", id);
}

int
store_campaign_id(struct store *s, const char *slug, int64_t *id)
{
	static const char q[] = "SELECT id FROM campaigns WHERE slug = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(slug));
	return store_one_int(s, st, "campaign id", id);
}

int
store_field_id(struct store *s, int64_t campaign_id, const char *code,
    int64_t *id)
{
	static const char q[] = "SELECT id FROM fields WHERE campaign_id = ? "
	    "AND code = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_TEXT(code));
	return store_one_int(s, st, "field id", id);
}

/* ---- the console ---- */

/* The columns of a campaign (its counts: 0 but in the list). */
static const struct store_col campaign_cols[] = {
	STORE_I64(struct store_campaign, id),
	STORE_TEXT(struct store_campaign, slug),
	STORE_TEXT(struct store_campaign, title),
	STORE_TEXT(struct store_campaign, form_name),
	STORE_INT(struct store_campaign, form_version),
	STORE_I64(struct store_campaign, form_id),
	STORE_BOOL(struct store_campaign, open),
	STORE_TEXT(struct store_campaign, created_at),
	STORE_INT(struct store_campaign, nfields),
	STORE_INT(struct store_campaign, nexperts),
	STORE_INT(struct store_campaign, nsubmitted),
};

int
store_campaigns(struct store *s, int64_t coordinator_id,
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
	    "WHERE ?1 = 0 OR c.id IN (SELECT campaign_id FROM "
	    "campaign_roles WHERE coordinator_id = ?1) "
	    "ORDER BY c.id DESC";
	struct store_campaign	 c;
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = STORE_PREPARE(s, q, STORE_ARG_I64(coordinator_id))) ==
	    NULL)
		return -1;
	while ((rc = STORE_NEXT(s, st, "campaigns", campaign_cols, &c)) == 1)
		if ((rc = cb(ctx, &c)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

int
store_campaign_get(struct store *s, const char *slug,
    struct store_campaign *out)
{
	static const char q[] = "SELECT c.id, c.slug, c.title, f.name, "
	    "f.version, c.form_id, c.status = 'open', c.created_at, 0, 0, 0 "
	    "FROM campaigns c JOIN forms f ON f.id = c.form_id "
	    "WHERE c.slug = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(slug));
	return STORE_ONE(s, st, "campaign get", campaign_cols, out);
}

int
store_campaign_set_open(struct store *s, int64_t campaign_id, bool open)
{
	static const char q[] = "UPDATE campaigns SET status = ? WHERE id = ? "
	    "AND status <> ?";
	const char	*to = open ? "open" : "closed";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(to),
	    STORE_ARG_I64(campaign_id), STORE_ARG_TEXT(to));
	return store_change(s, st, "campaign status");
}

int
store_cities(struct store *s, int64_t campaign_id,
    int (*cb)(void *, const struct store_city *), void *ctx)
{
	static const char q[] = "SELECT id, code, name, position FROM cities "
	    "WHERE campaign_id = ? ORDER BY position, id";
	static const struct store_col cols[] = {
		STORE_I64(struct store_city, id),
		STORE_TEXT(struct store_city, code),
		STORE_TEXT(struct store_city, name),
		STORE_INT(struct store_city, position),
	};
	struct store_city	 c;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	while ((rc = STORE_NEXT(s, st, "cities", cols, &c)) == 1)
		if ((rc = cb(ctx, &c)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

int
store_city_next(struct store *s, int64_t campaign_id)
{
	static const char q[] = "SELECT coalesce(max(position) + 1, 0) FROM "
	    "cities WHERE campaign_id = ?";
	sqlite3_stmt	*st;
	int		 n;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	if (store_one_row(s, st, "city next") != 0)
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

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(name), STORE_ARG_I64(city_id),
	    STORE_ARG_I64(campaign_id));
	return store_change(s, st, "city rename");
}

struct store_field *
store_fields(struct store *s, int64_t campaign_id, size_t max, size_t *n)
{
	static const char q[] = "SELECT id, code, title FROM fields "
	    "WHERE campaign_id = ? ORDER BY code, id LIMIT ?";
	static const struct store_col cols[] = {
		STORE_I64(struct store_field, id),
		STORE_TEXT(struct store_field, code),
		STORE_TEXT(struct store_field, title),
	};
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_I64((int64_t)max));
	return STORE_ROWS(s, st, "fields", cols, sizeof(struct store_field),
	    n);
}

int
store_field_retitle(struct store *s, int64_t campaign_id, int64_t field_id,
    const char *title)
{
	static const char q[] = "UPDATE fields SET title = ? WHERE id = ? AND "
	    "campaign_id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(title),
	    STORE_ARG_I64(field_id), STORE_ARG_I64(campaign_id));
	return store_change(s, st, "field retitle");
}

/* The columns of a city as a form's row. */
static const struct store_col city_row_cols[] = {
	STORE_DUP(struct form_row, key),
	STORE_DUP(struct form_row, label),
};

int
store_city_rows(struct store *s, int64_t campaign_id, struct form_row **rows,
    size_t *n)
{
	static const char q[] = "SELECT code, name FROM cities WHERE "
	    "campaign_id = ? ORDER BY position, id";
	sqlite3_stmt	*st;
	struct form_row	*v;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	if ((v = STORE_ROWS(s, st, "cities", city_row_cols, sizeof(*v),
	    n)) == NULL)
		return -1;
	*rows = v;
	return 0;
}

void
store_city_rows_free(struct form_row *rows, size_t n)
{
	STORE_ROWS_FREE(city_row_cols, rows, n);
}
