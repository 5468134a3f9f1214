/*
 * store/impl: what the files of store/ share and nothing else may see.
 * The only header besides none that includes sqlite3.h.
 */
#ifndef KEYFIELD_STORE_IMPL_H
#define KEYFIELD_STORE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store/store.h"

#define STORE_STMTS_MAX	128	/* distinct statements cached per handle */

struct store_later;

struct store {
	sqlite3		*db;
	struct {
		const char	*sql;	/* static: compared by address */
		sqlite3_stmt	*stmt;
	}		 stmts[STORE_STMTS_MAX];
	size_t		 nstmts;
	bool		 busy;	/* a BUSY/LOCKED was seen in this transaction */
	bool		 reading; /* in store_read_begin's transaction */
	bool		 batching; /* store_batch: writes wait for a commit */
	bool		 batch_open; /* a batch's transaction is open */
	bool		 batch_failed; /* ... and cannot be committed */
	struct store_later	*later;	/* store_write_then's queue, in order */
	int		 wlock;	/* the writers' queue (store_write), or -1 */
	uint64_t	 handle; /* opened n-th in this process (from 1) */
};

/*
 * The prepared statement for sql (a string literal or other static
 * string: cached by its address), reset and with bindings cleared. NULL
 * on failure (logged).
 */
sqlite3_stmt	*store_stmt(struct store *, const char *sql);
/*
 * Note an SQLite result: logs failures naming what (once), marks the
 * transaction for a retry on BUSY/LOCKED. Returns rc unchanged.
 */
int		 store_rc(struct store *, int rc, const char *what);
/*
 * Binding a statement's parameters: an array of typed arguments, one for
 * each parameter in its order (?1, ?2, ...), made with the macros below,
 * the counterpart of the row's columns:
 *
 *	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
 *	    STORE_ARG_TEXT(code));
 *	return store_one_int(s, st, "field id", id);
 *
 * The steps below take the NULL of a statement that could not be
 * prepared or bound (logged) and return -1 for it.
 */
enum store_arg_type {
	STORE_BIND_NULL,	/* SQL NULL */
	STORE_BIND_I64,		/* .i */
	STORE_BIND_INT,		/* .i, an int (or bool) */
	STORE_BIND_TEXT,	/* .p, a string copied (NULL binds NULL) */
	STORE_BIND_KEPT,	/* .p, a string that outlives the step and
				   reset: not copied (NULL binds NULL) */
	STORE_BIND_BLOB,	/* .p, .n bytes copied (NULL binds NULL) */
};

struct store_arg {
	enum store_arg_type	 type;
	int64_t			 i;
	const void		*p;
	int			 n;
};

#define STORE_ARG_(...)		((struct store_arg){ __VA_ARGS__ })
#define STORE_ARG_NULL		STORE_ARG_(STORE_BIND_NULL, 0, NULL, 0)
#define STORE_ARG_I64(v)	STORE_ARG_(STORE_BIND_I64, (v), NULL, 0)
#define STORE_ARG_INT(v)	STORE_ARG_(STORE_BIND_INT, (int)(v), NULL, 0)
#define STORE_ARG_TEXT(v)	STORE_ARG_(STORE_BIND_TEXT, 0, \
	_Generic((v), char *: (v), const char *: (v)), 0)
#define STORE_ARG_KEPT(v)	STORE_ARG_(STORE_BIND_KEPT, 0, \
	_Generic((v), char *: (v), const char *: (v)), 0)
#define STORE_ARG_BLOB(v, len)	STORE_ARG_(STORE_BIND_BLOB, 0, (v), (len))

/*
 * The prepared statement for sql (cached and reset as store_stmt does)
 * with its parameter i + 1 bound to args[i], n of them. NULL when it
 * cannot be prepared or an argument cannot be bound (logged; then its
 * bindings are cleared).
 */
sqlite3_stmt	*store_prepare(struct store *, const char *sql,
		    const struct store_arg *args, size_t n);
#define STORE_ARGS_(...)	((const struct store_arg[]){ __VA_ARGS__ })
#define STORE_PREPARE(s, sql, ...)	store_prepare((s), (sql), \
	STORE_ARGS_(__VA_ARGS__), \
	sizeof(STORE_ARGS_(__VA_ARGS__)) / sizeof(struct store_arg))

/* Step a statement that returns no rows; 0 or -1 (logged). */
int		 store_exec_stmt(struct store *, sqlite3_stmt *, const char *);
/*
 * Step a bound statement that writes, as a transaction of its own
 * through store_write (the writers' queue, whole-transaction retries;
 * a read snapshot ends first), or as one more statement of the one fn
 * runs in when called inside store_write. 0 or -1 (logged).
 */
int		 store_write_stmt(struct store *, sqlite3_stmt *,
		    const char *what);
/*
 * Step an INSERT: 0 (and *id, when not NULL, the new rowid), 1 on a
 * UNIQUE or PRIMARY KEY violation or a trigger's RAISE(ABORT), -1
 * otherwise (logged).
 */
int		 store_insert(struct store *, sqlite3_stmt *, const char *what,
		    int64_t *id);
/* Step a query for one integer: 0 and *out, 1 when no row, -1. */
int		 store_one_int(struct store *, sqlite3_stmt *, const char *what,
		    int64_t *out);
/* Step an UPDATE or DELETE: 0 when it changed a row, 1 when none, -1. */
int		 store_change(struct store *, sqlite3_stmt *,
		    const char *what);
/* Step one row: 0 (row, statement not reset), 1 when none, -1. */
int		 store_one_row(struct store *, sqlite3_stmt *,
		    const char *what);

struct form_row;

/*
 * The cities of a campaign as a new array *rows of *n (key = code,
 * label = name), by position: 0, or -1 (logged; *rows and *n are not
 * written). Free it with store_city_rows_free.
 */
int		 store_city_rows(struct store *, int64_t campaign_id,
		    struct form_row **rows, size_t *n);
/* Free n rows of store_city_rows and their array (NULL is fine). */
void		 store_city_rows_free(struct form_row *rows, size_t n);

/*
 * Reading a row: a table of columns, one for each column of the query in
 * its order, each naming the member of the row's struct it goes to. The
 * macros check the member's type at compile time (a member of another
 * type, or an array where a pointer is wanted, does not compile):
 *
 *	static const struct store_col cols[] = {
 *		STORE_I64(struct store_city, id),
 *		STORE_TEXT(struct store_city, code), ...
 *	};
 *	if (STORE_ROW(st, cols, &city) == -1) ...
 */
enum store_col_type {
	STORE_COL_I64,		/* int64_t */
	STORE_COL_INT,		/* int */
	STORE_COL_UINT,		/* unsigned */
	STORE_COL_BOOL,		/* bool: the column is not 0 */
	STORE_COL_STATUS,	/* enum store_status (store_status_parse) */
	STORE_COL_TEXT,		/* char[n]: a copy, "" for NULL, cut short */
	STORE_COL_STR,		/* const char *: the column's, "" for NULL */
	STORE_COL_DUP,		/* char *: malloc'ed copy, "" for NULL */
	STORE_COL_DUP_NULL,	/* char *: malloc'ed copy, NULL for NULL */
};

struct store_col {
	enum store_col_type	 type;
	size_t			 off;	/* offsetof the member */
	size_t			 size;	/* sizeof the member */
};

#define STORE_MEMBER_(T, m)	(&((T *)0)->m)
#define STORE_COL_(T, m, type)	\
	{ (type), offsetof(T, m), sizeof(*STORE_MEMBER_(T, m)) }
#define STORE_I64(T, m)		STORE_COL_(T, m, \
	_Generic(STORE_MEMBER_(T, m), int64_t *: STORE_COL_I64))
#define STORE_INT(T, m)		STORE_COL_(T, m, \
	_Generic(STORE_MEMBER_(T, m), int *: STORE_COL_INT, \
	unsigned *: STORE_COL_UINT))
#define STORE_BOOL(T, m)	STORE_COL_(T, m, \
	_Generic(STORE_MEMBER_(T, m), bool *: STORE_COL_BOOL))
#define STORE_STATUS(T, m)	STORE_COL_(T, m, \
	_Generic(STORE_MEMBER_(T, m), enum store_status *: STORE_COL_STATUS))
#define STORE_TEXT(T, m)	STORE_COL_(T, m, \
	_Generic(STORE_MEMBER_(T, m), \
	char (*)[sizeof(*STORE_MEMBER_(T, m))]: STORE_COL_TEXT))
#define STORE_STR(T, m)		STORE_COL_(T, m, \
	_Generic(STORE_MEMBER_(T, m), const char **: STORE_COL_STR))
#define STORE_DUP(T, m)		STORE_COL_(T, m, \
	_Generic(STORE_MEMBER_(T, m), char **: STORE_COL_DUP))
#define STORE_DUP_NULL(T, m)	STORE_COL_(T, m, \
	_Generic(STORE_MEMBER_(T, m), char **: STORE_COL_DUP_NULL))

/*
 * Read the row st stands on into row, column i as cols[i] says (n of
 * them). Text longer than a TEXT member is cut to the longest start that
 * fits with its NUL and ends on a whole UTF-8 character; STR members
 * point into st until its next step or reset. 0, or -1 when out of
 * memory (logged): then the members it allocated are freed and NULL.
 */
static inline int store_row(sqlite3_stmt *, const struct store_col *cols,
		    size_t n, void *row);
#define STORE_ROW(st, cols, row)	\
	store_row((st), (cols), sizeof(cols) / sizeof((cols)[0]), (row))
/*
 * Step a query for one row and read it into row as store_row does, then
 * reset it: 0, 1 when there is no row, or -1 (logged).
 */
int		 store_one(struct store *, sqlite3_stmt *, const char *what,
		    const struct store_col *cols, size_t n, void *row);
#define STORE_ONE(s, st, what, cols, row)	store_one((s), (st), (what), \
	(cols), sizeof(cols) / sizeof((cols)[0]), (row))
/*
 * Step a query to its next row and read it into row as store_row does:
 * 1 for a row (the statement stands on it), 0 at the end, -1 (logged).
 * At the end or on failure the statement is reset; a caller that stops
 * before the end resets it.
 */
static inline int store_next(struct store *, sqlite3_stmt *,
		    const char *what, const struct store_col *cols, size_t n,
		    void *row);
#define STORE_NEXT(s, st, what, cols, row)	store_next((s), (st), \
	(what), (cols), sizeof(cols) / sizeof((cols)[0]), (row))
/*
 * Free the DUP and DUP_NULL members of a row read with cols (wiped
 * first: they may be secrets) and set them NULL.
 */
void		 store_row_free(const struct store_col *cols, size_t n,
		    void *row);
/*
 * Step a query to its end and read every row with cols into a new array
 * of elements of size bytes: the array (allocated, not NULL, also when
 * there is no row) and *nrows, or NULL (logged; nothing stays allocated
 * and *nrows is not written). Free it with store_rows_free.
 */
void		*store_rows(struct store *, sqlite3_stmt *, const char *what,
		    const struct store_col *cols, size_t n, size_t size,
		    size_t *nrows);
#define STORE_ROWS(s, st, what, cols, size, nrows)	store_rows((s), \
	(st), (what), (cols), sizeof(cols) / sizeof((cols)[0]), (size), \
	(nrows))
/*
 * Free nrows rows of size bytes read with cols (store_row_free on each)
 * and the array. rows may be NULL.
 */
void		 store_rows_free(const struct store_col *cols, size_t n,
		    size_t size, void *rows, size_t nrows);
#define STORE_ROWS_FREE(cols, rows, nrows)	store_rows_free((cols), \
	sizeof(cols) / sizeof((cols)[0]), sizeof(*(rows)), (rows), (nrows))
/* Free the members of a row read with cols (store_row_free). */
#define STORE_ROW_FREE(cols, row)	\
	store_row_free((cols), sizeof(cols) / sizeof((cols)[0]), (row))

/*
 * store_row and store_next are defined here, inline, so that a query's
 * constant column table is read as if its loop were written out: the
 * reader costs a card page's hundred answer rows nothing over hand-written
 * column calls. What they call out of line:
 */
/* Text t into out[size], cut on a whole UTF-8 character; "" for NULL. */
void		 store_text_copy(const unsigned char *t, char *out,
		    size_t size);
/* A malloc'ed copy of column i (NULL: "" or, with keep_null, NULL). */
int		 store_text_dup(sqlite3_stmt *, int i, bool keep_null,
		    char **out);
/* Out of memory in store_row: logged, the row's copies freed. */
void		 store_row_failed(const struct store_col *cols, size_t n,
		    void *row);

/* Column i of the row st stands on into p, as col says: 0 or -1. */
static inline __attribute__((always_inline)) int
store_col_read(sqlite3_stmt *st, int i, const struct store_col *col,
    unsigned char *p)
{
	switch (col->type) {
	case STORE_COL_I64:
		*(int64_t *)p = sqlite3_column_int64(st, i);
		break;
	case STORE_COL_INT:
		*(int *)p = sqlite3_column_int(st, i);
		break;
	case STORE_COL_UINT:
		*(unsigned *)p = (unsigned)sqlite3_column_int(st, i);
		break;
	case STORE_COL_BOOL:
		*(bool *)p = sqlite3_column_int(st, i) != 0;
		break;
	case STORE_COL_STATUS:
		*(enum store_status *)p = store_status_parse(
		    (const char *)sqlite3_column_text(st, i));
		break;
	case STORE_COL_TEXT:
		store_text_copy(sqlite3_column_text(st, i), (char *)p,
		    col->size);
		break;
	case STORE_COL_STR:
		*(const char **)p = (const char *)sqlite3_column_text(st, i);
		if (*(const char **)p == NULL)
			*(const char **)p = "";
		break;
	case STORE_COL_DUP:
	case STORE_COL_DUP_NULL:
		return store_text_dup(st, i, col->type == STORE_COL_DUP_NULL,
		    (char **)p);
	}
	return 0;
}

static inline __attribute__((always_inline)) int
store_row(sqlite3_stmt *st, const struct store_col *cols, size_t n,
    void *row)
{
	int	 rc = 0;

#pragma GCC unroll 16
	for (size_t i = 0; i < n; i++)
		if (store_col_read(st, (int)i, &cols[i],
		    (unsigned char *)row + cols[i].off) == -1)
			rc = -1;
	if (rc == -1)
		store_row_failed(cols, n, row);
	return rc;
}

static inline __attribute__((always_inline)) int
store_next(struct store *s, sqlite3_stmt *st, const char *what,
    const struct store_col *cols, size_t n, void *row)
{
	int	 rc;

	if ((rc = store_one_row(s, st, what)) != 0)
		return rc == 1 ? 0 : -1;
	if (store_row(st, cols, n, row) == 0)
		return 1;
	sqlite3_reset(st);
	return -1;
}

#endif
