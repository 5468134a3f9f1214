/*
 * store: opening, migrating and transactions on the SQLite database.
 * Never builds SQL from values: every value is bound; never lets a BUSY
 * reach a caller without retrying the whole transaction first.
 */
#include <sys/file.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/experts.h"
#include "store/secrets.h"
#include "store/impl.h"

extern const char *const store_migrations[];	/* sql-migrations.c */

sqlite3_stmt *
store_stmt(struct store *s, const char *sql)
{
	sqlite3_stmt	*st;
	size_t		 i;

	for (i = 0; i < s->nstmts; i++)
		if (s->stmts[i].sql == sql) {
			st = s->stmts[i].stmt;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	if (s->nstmts == STORE_STMTS_MAX) {
		log_err("store: more than %d distinct statements",
		    STORE_STMTS_MAX);
		return NULL;
	}
	if (store_rc(s, sqlite3_prepare_v3(s->db, sql, -1,
	    SQLITE_PREPARE_PERSISTENT, &st, NULL), "prepare") != SQLITE_OK)
		return NULL;
	s->stmts[s->nstmts].sql = sql;
	s->stmts[s->nstmts].stmt = st;
	s->nstmts++;
	return st;
}

/* Bind a to parameter i of st: SQLite's result. */
static int
bind(sqlite3_stmt *st, int i, const struct store_arg *a)
{
	switch (a->type) {
	case STORE_BIND_NULL:
		break;
	case STORE_BIND_I64:
		return sqlite3_bind_int64(st, i, a->i);
	case STORE_BIND_INT:
		return sqlite3_bind_int(st, i, (int)a->i);
	case STORE_BIND_TEXT:
	case STORE_BIND_KEPT:
		if (a->p == NULL)
			break;
		return sqlite3_bind_text(st, i, a->p, -1,
		    a->type == STORE_BIND_KEPT ? SQLITE_STATIC :
		    SQLITE_TRANSIENT);
	case STORE_BIND_BLOB:
		if (a->p == NULL)
			break;
		return sqlite3_bind_blob(st, i, a->p, a->n, SQLITE_TRANSIENT);
	}
	return sqlite3_bind_null(st, i);
}

sqlite3_stmt *
store_prepare(struct store *s, const char *sql, const struct store_arg *args,
    size_t n)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(s, sql)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (store_rc(s, bind(st, (int)i + 1, &args[i]), "bind") !=
		    SQLITE_OK) {
			sqlite3_clear_bindings(st);
			return NULL;
		}
	return st;
}

int
store_rc(struct store *s, int rc, const char *what)
{
	int	 prim = rc & 0xff;

	if (prim == SQLITE_OK || prim == SQLITE_ROW || prim == SQLITE_DONE)
		return rc;
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
		s->busy = true;
		return rc;
	}
	log_err("sqlite %s: %s (%d)", what, sqlite3_errmsg(s->db), rc);
	return rc;
}

int
store_exec_stmt(struct store *s, sqlite3_stmt *st, const char *what)
{
	int	 rc;

	/* A row is a failure too, reset as the end and errors are. */
	if ((rc = store_one_row(s, st, what)) == 0)
		sqlite3_reset(st);
	return rc == 1 ? 0 : -1;
}

bool
store_read_begin(struct store *s)
{
	static const char qbegin[] = "BEGIN";
	sqlite3_stmt	*st;

	if (!sqlite3_get_autocommit(s->db) ||
	    (st = store_stmt(s, qbegin)) == NULL)
		return false;
	return s->reading = store_exec_stmt(s, st, "read begin") == 0;
}

void
store_read_end(struct store *s, bool began)
{
	static const char qend[] = "COMMIT";
	sqlite3_stmt	*st;

	if (!began || !s->reading)
		return;
	s->reading = false;
	if (sqlite3_get_autocommit(s->db))
		return;
	if ((st = store_stmt(s, qend)) == NULL ||
	    store_exec_stmt(s, st, "read end") == -1)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
exec(struct store *s, const char *sql)
{
	char	*err = NULL;
	int	 rc;

	rc = sqlite3_exec(s->db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		store_rc(s, rc, "exec");
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			log_err("sqlite: %s", err != NULL ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* Sleep a few milliseconds more on every try, with jitter. */
static void
backoff(int try)
{
	struct timespec	 ts;
	long		 ms;

	ms = 2L * (try + 1) + (long)((unsigned)rand() % 10);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * Open the writers' queue of the database at path (store_write): -1 when
 * there is none (an in-memory or URI database, or the file cannot be
 * created or opened: a read-only directory, another owner's 0600 file),
 * which only costs the wait SQLite's busy handler sleeps.
 */
static int
wlock_open(const char *path)
{
	char	 name[4096];
	int	 fd;

	if (path[0] == '\0' || path[0] == ':' ||
	    strncmp(path, "file:", 5) == 0)
		return -1;
	if (buf_fmt(name, sizeof(name), "%s.write-lock", path) == -1) {
		log_debug("store: no writers' queue for %s: the path is "
		    "longer than %zu bytes", path, sizeof(name) - 12);
		return -1;
	}
	/* Read-only is enough for flock: other users may share a 0644 file. */
	if ((fd = open(name, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) == -1)
		log_debug("store: no writers' queue %s: %s", name,
		    strerror(errno));
	return fd;
}

/* Queue for the database (LOCK_EX) or leave the queue (LOCK_UN). */
static void
wlock(struct store *s, int op)
{
	if (s->wlock == -1)
		return;
	while (flock(s->wlock, op) == -1)
		if (errno != EINTR) {
			log_warn("store: flock writers' queue: %s",
			    strerror(errno));
			return;
		}
}

/*
 * End the transaction of the writers' queue: COMMIT when ok, else (or
 * when COMMIT fails) roll back; then leave the queue. 0 when committed.
 */
static int
txn_end(struct store *s, bool ok)
{
	if (ok && exec(s, "COMMIT") == 0) {
		wlock(s, LOCK_UN);
		return 0;
	}
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	wlock(s, LOCK_UN);
	return -1;
}

/* Queue for the database and BEGIN IMMEDIATE: 0, -1, or -2 for BUSY. */
static int
txn_begin(struct store *s)
{
	s->busy = false;
	wlock(s, LOCK_EX);
	if (exec(s, "BEGIN IMMEDIATE") == 0)
		return 0;
	txn_end(s, false);
	return s->busy ? -2 : -1;
}

/*
 * One try of store_write's transaction, in the writers' queue: the queue
 * is held for BEGIN IMMEDIATE .. COMMIT only (whose wait for SQLite's
 * lock is bounded by its busy timeout), never across a retry's backoff.
 * 0, fn's positive result, -1, or -2 for BUSY/LOCKED: try again.
 */
static int
write_once(struct store *s, store_fn *fn, void *ctx)
{
	int	 rc;

	if ((rc = txn_begin(s)) != 0)
		return rc;
	rc = fn(s, ctx);
	if (txn_end(s, rc == 0) == 0)
		return 0;
	if (rc > 0)
		return rc;
	return s->busy ? -2 : -1;
}

/* One try of opening a batch's transaction (store_batch); as above. */
static int
batch_open_once(struct store *s, store_fn *fn, void *ctx)
{
	(void)fn;
	(void)ctx;
	return txn_begin(s);
}

/* once(s, fn, ctx), again while it says BUSY or LOCKED (-2). */
static int
retried(struct store *s, int (*once)(struct store *, store_fn *, void *),
    store_fn *fn, void *ctx)
{
	int	 rc;

	for (int try = 0; try < STORE_WRITE_TRIES; try++) {
		if (try > 0) {
			log_warn("store: database busy, retrying the "
			    "transaction (try %d)", try + 1);
			backoff(try);
		}
		if ((rc = once(s, fn, ctx)) != -2)
			return rc;
	}
	log_err("store: database still busy after %d tries",
	    STORE_WRITE_TRIES);
	return -1;
}

/*
 * fn inside the open batch, in a savepoint of its own: what it wrote
 * stays for store_batch_commit when it returns 0, and is rolled back
 * alone otherwise. 0, fn's positive result, or -1. A savepoint that
 * cannot be ended leaves the batch unusable: its commit fails.
 */
static int
batch_add(struct store *s, store_fn *fn, void *ctx)
{
	int	 rc;

	if (exec(s, "SAVEPOINT batched") == -1) {
		s->batch_failed = true;
		return -1;
	}
	s->busy = false;
	rc = fn(s, ctx);
	if (rc == 0 && s->busy)
		rc = -1;
	if ((rc != 0 && exec(s, "ROLLBACK TO batched") == -1) ||
	    exec(s, "RELEASE batched") == -1) {
		s->batch_failed = true;
		return -1;
	}
	return rc;
}

/* The batch's transaction, opened unless it is: 0 or -1. */
static int
batch_begin(struct store *s)
{
	if (s->batch_open)
		return 0;
	store_read_end(s, true);
	if (retried(s, batch_open_once, NULL, NULL) != 0)
		return -1;
	s->batch_open = true;
	return 0;
}

int
store_write(struct store *s, store_fn *fn, void *ctx)
{
	/*
	 * A write ends the snapshot a read began on this connection: BEGIN
	 * IMMEDIATE cannot start inside it (and upgrading it would fail
	 * whenever another writer committed since it began).
	 */
	store_read_end(s, true);
	if (!s->batching)
		return retried(s, write_once, fn, ctx);
	return batch_begin(s) == 0 ? batch_add(s, fn, ctx) : -1;
}

/* A write queued for the batch's commit (store_write_then). */
struct store_later {
	store_fn	*fn;
	void		*ctx;
	store_then_fn	*then;
	void		*thenctx;
	struct store_later	*next;
};

int
store_write_then(struct store *s, store_fn *fn, void *ctx,
    store_then_fn *then, void *thenctx)
{
	struct store_later	*l, **end;

	if (!s->batching || (l = malloc(sizeof(*l))) == NULL) {
		then(thenctx, store_write(s, fn, ctx));
		return 0;
	}
	*l = (struct store_later){ fn, ctx, then, thenctx, NULL };
	for (end = &s->later; *end != NULL; end = &(*end)->next)
		;
	*end = l;
	return 1;
}

void
store_batch(struct store *s, bool on)
{
	s->batching = on;
}

bool
store_batch_pending(const struct store *s)
{
	return s->batch_open || s->later != NULL;
}

int
store_batch_commit(struct store *s)
{
	struct store_later	*l;
	bool		 ok;

	/* The queued writes, in the order they came, then their pages. */
	ok = s->later == NULL || batch_begin(s) == 0;
	while ((l = s->later) != NULL) {
		s->later = l->next;
		l->then(l->thenctx, ok && !s->batch_failed ?
		    batch_add(s, l->fn, l->ctx) : -1);
		free(l);
	}
	if (!s->batch_open)
		return ok ? 0 : -1;
	ok = !s->batch_failed;
	s->batch_open = s->batch_failed = false;
	return txn_end(s, ok);
}

struct stmt_write {
	sqlite3_stmt	*st;
	const char	*what;
};

static int
stmt_step(struct store *s, void *arg)
{
	const struct stmt_write *w = arg;

	return store_exec_stmt(s, w->st, w->what);
}

int
store_write_stmt(struct store *s, sqlite3_stmt *st, const char *what)
{
	struct stmt_write w = { st, what };

	if (st == NULL)
		return -1;
	/* In store_write's transaction (fn's statement): one more step. */
	if (!sqlite3_get_autocommit(s->db) && !s->reading)
		return store_exec_stmt(s, st, what);
	return store_write(s, stmt_step, &w);
}

static int
user_version(struct store *s)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct migration {
	int	 number;
	const char *sql;
};

static int
migrate_one(struct store *s, void *arg)
{
	const struct migration *m = arg;
	char	 pragma[64];
	int	 cut;

	/* Another process may have migrated while we waited for the lock. */
	if (user_version(s) >= m->number)
		return 0;
	if (exec(s, m->sql) == -1)
		return -1;
	/* 23 bytes and an int of at most 11 characters. */
	cut = buf_fmt(pragma, sizeof(pragma), "PRAGMA user_version = %d",
	    m->number);
	assert(cut == 0);
	return exec(s, pragma);
}

/* One log line naming a duplicate invitation. */
static int
duplicate_report(void *arg, const struct store_duplicate *d)
{
	(void)arg;
	log_warn("store: campaign %s invites %s %d times (experts %s): "
	    "revoke all but one (keyfield expert revoke, or the console)",
	    d->slug, d->email, d->n, d->ids);
	return 0;
}

static int
migrate(struct store *s)
{
	struct migration m;
	int		 have;

	if ((have = user_version(s)) == -1)
		return -1;
	for (int i = 0; store_migrations[i] != NULL; i++) {
		if (i + 1 <= have)
			continue;
		m.number = i + 1;
		m.sql = store_migrations[i];
		if (store_write(s, migrate_one, &m) != 0) {
			log_err("store: migration %d failed", m.number);
			return -1;
		}
		log_info("store: applied migration %d", m.number);
		/* Invitations from before they were checked: say so. */
		if (store_migrations[i + 1] == NULL &&
		    store_expert_duplicates(s, duplicate_report, NULL) == -1)
			return -1;
	}
	return 0;
}

struct store *
store_open(const char *path)
{
	static uint64_t	 opened;	/* store handles, for their stamps */
	struct store	*s;
	int		 rc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_err("store_open: %s", strerror(errno));
		return NULL;
	}
	s->wlock = -1;
	s->handle = ++opened;
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_err("sqlite open %s: %s", path, s->db != NULL ?
		    sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/*
	 * Plans that do not depend on bound values: without this, SQLite
	 * (3.5x) re-prepares a cached statement whenever a new value is
	 * bound to a parameter its planner looked at, i.e. on nearly every
	 * request (a third of a save's instructions went to the parser).
	 */
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_QPSG, 1, NULL) !=
	    SQLITE_OK) {
		log_err("sqlite db_config QPSG: %s", sqlite3_errmsg(s->db));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	s->wlock = wlock_open(path);
	/* journal_mode needs the lock: retry it like a write. */
	for (int try = 0; try < STORE_WRITE_TRIES; try++) {
		s->busy = false;
		if (exec(s, "PRAGMA journal_mode = WAL") == 0)
			break;
		if (!s->busy)
			goto fail;
		backoff(try);
	}
	if (exec(s, "PRAGMA foreign_keys = ON") == -1 ||
	    exec(s, "PRAGMA synchronous = FULL") == -1 ||
	    exec(s, "PRAGMA trusted_schema = OFF") == -1)
		goto fail;
	if (migrate(s) == -1 || store_secrets_seal(s) == -1)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nstmts; i++)
		sqlite3_finalize(s->stmts[i].stmt);
	sqlite3_close(s->db);
	if (s->wlock != -1)
		close(s->wlock);
	free(s);
}

const char *
store_sqlite_version(void)
{
	return sqlite3_libversion();
}

int
store_schema_version(struct store *s)
{
	return user_version(s);
}

void
store_now(char out[32])
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 base[24];
	int		 cut;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	/* % 1000u: the compiler sees 3 digits, 28 bytes at most, no cut. */
	cut = buf_fmt(out, 32, "%s.%03uZ", base,
	    (unsigned)(ts.tv_nsec / 1000000L) % 1000u);
	assert(cut == 0);
}

int64_t
store_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
store_insert(struct store *s, sqlite3_stmt *st, const char *what, int64_t *id)
{
	int	 rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		if (id != NULL)
			*id = sqlite3_last_insert_rowid(s->db);
		return 0;
	}
	/* A trigger's RAISE(ABORT) refuses a row as UNIQUE does (007). */
	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
	    rc == SQLITE_CONSTRAINT_TRIGGER)
		return 1;
	store_rc(s, rc, what);
	return -1;
}

int
store_one_int(struct store *s, sqlite3_stmt *st, const char *what, int64_t *out)
{
	int	 rc;

	if ((rc = store_one_row(s, st, what)) == 0) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

enum store_status
store_status_parse(const char *s)
{
	if (s == NULL)
		return STORE_NEW;
	if (strcmp(s, "draft") == 0)
		return STORE_DRAFT;
	if (strcmp(s, "submitted") == 0)
		return STORE_SUBMITTED;
	if (strcmp(s, "withdrawn") == 0)
		return STORE_WITHDRAWN;
	return STORE_NEW;
}

static const char *const status_labels[] = {
	"not started", "draft", "submitted", "withdrawn"
};
_Static_assert(sizeof(status_labels) / sizeof(status_labels[0]) ==
    STORE_STATUS__MAX, "one label per status");

const char *
store_status_label(enum store_status st)
{
	return status_labels[st];
}

void
store_event_id_new(char out[STORE_EVENT_ID_MAX])
{
	unsigned char	 rnd[18];

	randombytes_buf(rnd, sizeof(rnd));
	memcpy(out, "msg_", 4);
	sodium_bin2base64(out + 4, STORE_EVENT_ID_MAX - 4, rnd, sizeof(rnd),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Step an UPDATE or DELETE: 0 when it changed a row, 1 when none, -1. */
int
store_change(struct store *s, sqlite3_stmt *st, const char *what)
{
	if (store_exec_stmt(s, st, what) == -1)
		return -1;
	return sqlite3_changes(s->db) > 0 ? 0 : 1;
}

/* Step one row: 0 (row, statement not reset), 1 when none, -1. */
int
store_one_row(struct store *s, sqlite3_stmt *st, const char *what)
{
	int	 rc;

	if (st == NULL)
		return -1;
	rc = store_rc(s, sqlite3_step(st), what);
	if (rc == SQLITE_ROW)
		return 0;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 1 : -1;
}

void
store_text_copy(const unsigned char *t, char *out, size_t size)
{
	size_t	 n;

	n = t != NULL ? strnlen((const char *)t, size) : 0;
	if (n == size) {
		/* Too long: cut before the character that does not fit. */
		n = size - 1;
		while (n > 0 && (t[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(out, t, n);
	out[n] = '\0';
}

int
store_text_dup(sqlite3_stmt *st, int i, bool keep_null, char **out)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	*out = NULL;
	if (t == NULL && keep_null)
		return 0;
	if ((*out = strdup(t != NULL ? (const char *)t : "")) == NULL)
		return -1;
	return 0;
}

void
store_row_failed(const struct store_col *cols, size_t n, void *row)
{
	log_err("store: row: %s", strerror(ENOMEM));
	store_row_free(cols, n, row);
}

void
store_row_free(const struct store_col *cols, size_t n, void *row)
{
	char	**p;

	for (size_t i = 0; i < n; i++) {
		if (cols[i].type != STORE_COL_DUP &&
		    cols[i].type != STORE_COL_DUP_NULL)
			continue;
		p = (char **)((unsigned char *)row + cols[i].off);
		if (*p != NULL)
			explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

int
store_one(struct store *s, sqlite3_stmt *st, const char *what,
    const struct store_col *cols, size_t n, void *row)
{
	int	 rc;

	if ((rc = store_one_row(s, st, what)) != 0)
		return rc;
	rc = store_row(st, cols, n, row);
	sqlite3_reset(st);
	return rc;
}

void *
store_rows(struct store *s, sqlite3_stmt *st, const char *what,
    const struct store_col *cols, size_t n, size_t size, size_t *nrows)
{
	unsigned char	*v, *nv;
	size_t		 len = 0, cap = 4;
	int		 rc;

	if ((v = calloc(cap, size)) == NULL)
		goto nomem;
	while ((rc = store_next(s, st, what, cols, n, v + len * size)) == 1) {
		if (++len < cap)
			continue;
		if ((nv = reallocarray(v, cap * 2, size)) == NULL)
			goto nomem;
		v = nv;
		cap *= 2;
	}
	if (rc == -1)
		goto fail;
	*nrows = len;
	return v;
nomem:
	log_err("store: %s: %s", what, strerror(ENOMEM));
	sqlite3_reset(st);
fail:
	store_rows_free(cols, n, size, v, len);
	return NULL;
}

void
store_rows_free(const struct store_col *cols, size_t n, size_t size,
    void *rows, size_t nrows)
{
	for (size_t i = 0; rows != NULL && i < nrows; i++)
		store_row_free(cols, n, (unsigned char *)rows + i * size);
	free(rows);
}
