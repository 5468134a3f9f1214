/*
 * store/finals: the SQL of the key fields' final cards. Never reads or
 * builds a body: it is stored as it is given.
 */
#include <stdlib.h>

#include "store/finals.h"
#include "store/impl.h"
#include "store/responses.h"

static const struct store_col final_cols[] = {
	STORE_INT(struct store_final, version),
	STORE_TEXT(struct store_final, author),
	STORE_TEXT(struct store_final, created_at),
	STORE_TEXT(struct store_final, published_at),
	STORE_DUP(struct store_final, body),
};

int
store_final_get(struct store *s, int64_t field_id, int version,
    struct store_final *out)
{
	static const char q[] = "SELECT version, author, created_at, "
	    "published_at, body FROM final_cards WHERE field_id = ?1 AND "
	    "(?2 = 0 OR (?2 = -1 AND published_at IS NOT NULL) OR "
	    "version = ?2) ORDER BY version DESC LIMIT 1";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(field_id),
	    STORE_ARG_INT(version));
	return STORE_ONE(s, st, "final card", final_cols, out);
}

void
store_final_free(struct store_final *f)
{
	if (f != NULL)
		STORE_ROW_FREE(final_cols, f);
}

int
store_final_add(struct store *s, int64_t field_id, int version,
    const char *body, const char *author, const char *at)
{
	static const char q[] = "INSERT INTO final_cards (field_id, version, "
	    "body, author, created_at) SELECT ?1, ?2, ?3, ?4, ?5 WHERE ?2 = "
	    "1 + (SELECT coalesce(max(version), 0) FROM final_cards WHERE "
	    "field_id = ?1)";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(field_id),
	    STORE_ARG_INT(version), STORE_ARG_TEXT(body),
	    STORE_ARG_TEXT(author), STORE_ARG_TEXT(at));
	return store_change(s, st, "final card");
}

int
store_final_publish(struct store *s, int64_t field_id, int version,
    const char *at)
{
	static const char q[] = "UPDATE final_cards SET published_at = ?3 "
	    "WHERE field_id = ?1 AND version = ?2 AND published_at IS NULL";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(field_id),
	    STORE_ARG_INT(version), STORE_ARG_TEXT(at));
	return store_change(s, st, "final card publication");
}

int
store_finals(struct store *s, int64_t field_id,
    int (*cb)(void *, const struct store_final *), void *ctx)
{
	static const char q[] = "SELECT version, author, created_at, "
	    "published_at FROM final_cards WHERE field_id = ? "
	    "ORDER BY version DESC";
	struct store_final	 f = { 0 };
	sqlite3_stmt		*st;
	int			 rc;

	/* The first four columns: no body. */
	st = STORE_PREPARE(s, q, STORE_ARG_I64(field_id));
	while ((rc = store_next(s, st, "final cards", final_cols, 4,
	    &f)) == 1)
		if ((rc = cb(ctx, &f)) != 0)
			break;
	if (st != NULL)
		sqlite3_reset(st);
	return rc;
}
