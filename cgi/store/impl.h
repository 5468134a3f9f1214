/*
 * store/impl: what the files of store/ share and nothing else may see.
 * The only header besides none that includes sqlite3.h.
 */
#ifndef KEYFIELD_STORE_IMPL_H
#define KEYFIELD_STORE_IMPL_H

#include <sqlite3.h>

#include "store/store.h"

#define STORE_STMTS_MAX	128	/* distinct statements cached per handle */

struct store_later;

struct store {
	sqlite3		*db;
	struct {
		const char	*sql;	/* the static string, compared by address */
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
/* Bind text (NULL binds NULL); 0 or -1. */
int		 store_bind_text(struct store *, sqlite3_stmt *, int,
		    const char *);
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
 * UNIQUE or PRIMARY KEY violation, -1 otherwise (logged).
 */
int		 store_insert(struct store *, sqlite3_stmt *, const char *what,
		    int64_t *id);
/* Step a query for one integer: 0 and *out, 1 when no row, -1. */
int		 store_one_int(struct store *, sqlite3_stmt *, const char *what,
		    int64_t *out);
/* strdup of a text column, "" for NULL; NULL when out of memory. */
char		*store_col_text(sqlite3_stmt *, int);
/* Copy a text column into a fixed buffer ("" for NULL). */
void		 store_col(sqlite3_stmt *, int, char *out, size_t outsz);
/* A text column as it is until the next step or reset ("" for NULL). */
const char	*store_col_str(sqlite3_stmt *, int);
/* Step an UPDATE or DELETE: 0 when it changed a row, 1 when none, -1. */
int		 store_change(struct store *, sqlite3_stmt *,
		    const char *what);
/* Step one row: 0 (row, statement not reset), 1 when none, -1. */
int		 store_one_row(struct store *, sqlite3_stmt *,
		    const char *what);

#endif
