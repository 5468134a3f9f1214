/*
 * store: the only module that talks to SQLite. Opens and migrates the
 * database, runs write transactions with retries, and keeps every SQL
 * statement prepared once and every value bound. What each table or
 * aggregate holds has a header of its own: store/forms.h, campaigns.h,
 * experts.h, sessions.h, responses.h, partners.h, exports.h, backup.h.
 */
#ifndef KEYFIELD_STORE_H
#define KEYFIELD_STORE_H

#include <stdbool.h>
#include <stdint.h>

#define STORE_BUSY_TIMEOUT_MS	5000	/* sqlite3_busy_timeout */
#define STORE_WRITE_TRIES	20	/* whole-transaction retries on BUSY */

struct store;

/*
 * Open (creating if missing) the database at path: WAL, foreign keys,
 * synchronous=FULL, busy timeout, then every migration newer than
 * PRAGMA user_version, each in its own transaction. NULL on failure
 * (logged).
 */
struct store	*store_open(const char *path);
void		 store_close(struct store *);
/* The SQLite library version in use, e.g. "3.40.1". */
const char	*store_sqlite_version(void);
/* Schema version after migrations (PRAGMA user_version). */
int		 store_schema_version(struct store *);

/*
 * Run fn(s, ctx) inside BEGIN IMMEDIATE .. COMMIT. fn returns 0 to commit,
 * a positive value to roll back and have store_write return it (an
 * expected outcome such as "stale" or "closed"), or -1 to roll back on
 * failure. When SQLite reports BUSY or LOCKED anywhere in the transaction
 * the whole transaction is rolled back and run again, with backoff, up to
 * STORE_WRITE_TRIES times (each retry is logged). fn must therefore be
 * safe to run again. Returns fn's result, or -1.
 * Writers of the same database queue for it in the order they come, on
 * an flock(2) of the file "<database>.write-lock" held from BEGIN to COMMIT:
 * the next one starts the moment the lock is free, where SQLite's busy
 * handler would sleep 1, 2, 5 … ms. Without that file (it cannot be
 * created or opened) writers still exclude each other through SQLite.
 */
typedef int	 store_fn(struct store *, void *ctx);
int		 store_write(struct store *, store_fn *fn, void *ctx);

/*
 * Group commit for a program that answers several requests in turn
 * (keyfield-survey under load): after store_batch(s, true), store_write
 * does not commit. The first write opens a transaction (holding the
 * writers' queue) that stays open; each fn runs in a savepoint of its
 * own, so an outcome or a failure rolls back that fn only, and its
 * result is returned as ever. Reads on s see the batch's writes. Nothing
 * is stored, and nobody may be told it is, until store_batch_commit
 * returns 0: then every write of the batch is, with one sync of the WAL;
 * on -1 none is. A batch that held the queue too long makes every other
 * writer wait: commit it after a few requests and whenever there is no
 * request waiting. Turn batching off only with no batch pending.
 */
void		 store_batch(struct store *, bool on);
/*
 * A write that can wait for the batch: with batching on, fn is queued
 * and store_batch_commit runs it in the batch's transaction, then calls
 * then(thenctx, fn's result as store_write's) there, before the commit
 * (then may read and sees the batch's writes). Returns 1 when queued, so
 * the caller's work up to the write is done before the batch takes the
 * writers' queue. Otherwise store_write and then() now, and 0. ctx and
 * thenctx must live until then() was called.
 */
typedef void	 store_then_fn(void *thenctx, int result);
int		 store_write_then(struct store *, store_fn *fn, void *ctx,
		    store_then_fn *then, void *thenctx);
/* Whether writes wait for store_batch_commit (open or queued). */
bool		 store_batch_pending(const struct store *);
/*
 * Run the queued writes and their then()s, and commit the batch (0 when
 * there is none); -1: none of its writes is stored.
 */
int		 store_batch_commit(struct store *);

/*
 * Start a read transaction when none is open, so that the queries up to
 * store_read_end share one snapshot and one round of file locking (an
 * autocommit query locks and unlocks the database by itself: three
 * system calls each). Returns whether it started one; pass that to
 * store_read_end, which ends it. A failure to start is logged and
 * leaves the queries in autocommit. A write ends it (store_write, which
 * the session writes below use too): the reads after it are in
 * autocommit again.
 */
bool		 store_read_begin(struct store *);
void		 store_read_end(struct store *, bool began);

/* Current UTC time as ISO 8601 with milliseconds, into out[32]. */
void		 store_now(char out[32]);
/* Current time in milliseconds since the epoch (deliveries' next_at). */
int64_t		 store_now_ms(void);

/* ---- event ids (the webhook-id of an outbox event) ---- */

#define STORE_EVENT_ID_MAX	40	/* "msg_" + 24 base64url + NUL */

/*
 * A new event id (the webhook-id): "msg_" + base64url of 18 random bytes.
 * Made before the payload, which carries it.
 */
void		 store_event_id_new(char out[STORE_EVENT_ID_MAX]);

/* ---- the limits of the text kept in fixed buffers ---- */

#define STORE_NAME_MAX	256	/* bytes kept of a name or title */
#define STORE_EMAIL_MAX	320	/* bytes kept of an e-mail address */
#define STORE_CODE_MAX	80	/* bytes kept of a code or slug */

/* ---- the status of a card ---- */

enum store_status { STORE_NEW, STORE_DRAFT, STORE_SUBMITTED,
	STORE_WITHDRAWN, STORE_STATUS__MAX };
/* responses.status ("draft", ...; NULL: no response yet) as the enum. */
enum store_status store_status_parse(const char *);
/* "not started", "draft", "submitted", "withdrawn" */
const char	*store_status_label(enum store_status);

#endif
