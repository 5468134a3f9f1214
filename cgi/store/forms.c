/*
 * store/forms: the SQL of form definitions (see store/forms.h).
 * Never checks a definition: form.c did before it came here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/forms.h"
#include "store/impl.h"

int
store_form_import(struct store *s, const char *name, int version,
    const char *definition, int64_t *id)
{
	static const char qfind[] = "SELECT id, definition = ? FROM forms "
	    "WHERE name = ? AND version = ?";
	static const char qadd[] = "INSERT INTO forms (name, version, "
	    "definition, imported_at) VALUES (?, ?, ?, ?)";
	sqlite3_stmt	*st;
	char		 now[32];
	int		 rc, same;

	if ((st = STORE_PREPARE(s, qfind, STORE_ARG_TEXT(definition),
	    STORE_ARG_TEXT(name), STORE_ARG_INT(version))) == NULL)
		return -1;
	rc = store_rc(s, sqlite3_step(st), "form find");
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		same = sqlite3_column_int(st, 1);
		sqlite3_reset(st);
		return same ? 0 : 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	store_now(now);
	st = STORE_PREPARE(s, qadd, STORE_ARG_TEXT(name),
	    STORE_ARG_INT(version), STORE_ARG_TEXT(definition),
	    STORE_ARG_TEXT(now));
	return store_insert(s, st, "form add", id) == 0 ? 0 : -1;
}

static const struct store_col form_cols[] = {
	STORE_I64(struct store_form, id),
	STORE_DUP(struct store_form, name),
	STORE_INT(struct store_form, version),
	STORE_DUP(struct store_form, definition),
};

int
store_forms(struct store *s, struct store_form **out, size_t *n)
{
	static const char q[] = "SELECT id, name, version, definition "
	    "FROM forms ORDER BY id";
	sqlite3_stmt		*st;
	struct store_form	*v;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	if ((v = STORE_ROWS(s, st, "forms", form_cols, sizeof(*v), n)) ==
	    NULL)
		return -1;
	*out = v;
	return 0;
}

void
store_forms_free(struct store_form *v, size_t n)
{
	STORE_ROWS_FREE(form_cols, v, n);
}
