/*
 * store: the only module that talks to SQLite. Opens and migrates the
 * database, runs write transactions with retries, and keeps every SQL
 * statement prepared once and every value bound.
 */
#ifndef KEYFIELD_STORE_H
#define KEYFIELD_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/form.h"

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

/* Append to the audit log (call inside store_write). 0 or -1. */
int		 store_audit(struct store *, const char *actor,
		    const char *action, const char *object, const char *detail);
/* Current UTC time as ISO 8601 with milliseconds, into out[32]. */
void		 store_now(char out[32]);
/* Current time in milliseconds since the epoch (deliveries' next_at). */
int64_t		 store_now_ms(void);

/* ---- the outbox (store/card.c) ---- */

#define STORE_EVENT_ID_MAX	40	/* "msg_" + 24 base64url + NUL */

/*
 * A new event id (the webhook-id): "msg_" + base64url of 18 random bytes.
 * Made before the payload, which carries it.
 */
void		 store_event_id_new(char out[STORE_EVENT_ID_MAX]);
/*
 * Write (inside store_write): an events row of type for campaign_id
 * (response_id 0: none) with its id from store_event_id_new, the time at
 * (ISO 8601, as in the payload) and the payloads of the two detail
 * levels. The trigger of sql/002 fans it out to the campaign's partners.
 * 0 or -1.
 */
int		 store_event_add(struct store *, const char *event_id,
		    const char *type, int64_t campaign_id, int64_t response_id,
		    const char *at, const char *payload,
		    const char *payload_full);

/* ---- forms (store/card.c) ---- */

struct store_form {
	int64_t	 id;
	char	*name;
	int	 version;
	char	*definition;
};

/*
 * Import a checked definition: a new row when (name, version) is new,
 * nothing when the same definition is already there, 1 when the version
 * exists with a different definition. 0, 1 or -1.
 */
int		 store_form_import(struct store *, const char *name,
		    int version, const char *definition, int64_t *id);
/* Every form version, oldest first; *n entries. 0 or -1. */
int		 store_forms(struct store *, struct store_form **, size_t *n);
void		 store_forms_free(struct store_form *, size_t n);

/* ---- campaign set-up (store/card.c); call inside store_write ---- */

/* Each returns 0, 1 when the slug/code/email already exists, or -1. */
int		 store_campaign_add(struct store *, const char *slug,
		    const char *title, const char *form_name, int64_t *id);
int		 store_city_add(struct store *, int64_t campaign_id,
		    const char *code, const char *name, int position);
int		 store_field_add(struct store *, int64_t campaign_id,
		    const char *code, const char *title, int64_t *id);
/* Find a campaign by slug: 0, 1 when there is none, or -1. */
int		 store_campaign_id(struct store *, const char *slug,
		    int64_t *id);
/* Find a key field of a campaign by code: 0, 1 when none, or -1. */
int		 store_field_id(struct store *, int64_t campaign_id,
		    const char *code, int64_t *id);
/* Add an expert whose invitation token hashes to token_hash[32]. */
int		 store_expert_add(struct store *, int64_t campaign_id,
		    const char *name, const char *email,
		    const unsigned char *token_hash, int64_t *id);
int		 store_assign(struct store *, int64_t expert_id,
		    int64_t field_id);

/* ---- experts and sessions (store/card.c) ---- */

/* The active expert whose token hashes to hash[32]: 0, 1 (none), -1. */
int		 store_expert_by_token(struct store *,
		    const unsigned char *hash, int64_t *expert_id);

struct store_session {
	char	 kind[16];	/* "expert" or "coordinator" */
	int64_t	 subject_id;
	char	 csrf[64];
	int64_t	 created_at, seen_at;	/* unix seconds */
};

/*
 * The session writes: each a transaction of its own through store_write
 * (the writers' queue, whole-transaction retries), or part of the
 * transaction when called from a store_write fn. 0 or -1.
 */
int		 store_session_add(struct store *, const unsigned char *id_hash,
		    const char *kind, int64_t subject_id, const char *csrf);
/* 0 and *out, 1 when there is none, or -1. */
int		 store_session_get(struct store *, const unsigned char *id_hash,
		    struct store_session *out);
int		 store_session_touch(struct store *,
		    const unsigned char *id_hash);
int		 store_session_delete(struct store *,
		    const unsigned char *id_hash);

/* ---- cards (store/card.c) ---- */

enum store_status { STORE_NEW, STORE_DRAFT, STORE_SUBMITTED,
	STORE_WITHDRAWN, STORE_STATUS__MAX };
/* responses.status ("draft", ...; NULL: no response yet) as the enum. */
enum store_status store_status_parse(const char *);
/* "not started", "draft", "submitted", "withdrawn" */
const char	*store_status_label(enum store_status);

struct store_assignment {
	int64_t			 id;
	char			*field_code;
	char			*field_title;
	enum store_status	 status;
	int			 version;	/* submissions so far */
	char			*updated_at;	/* NULL when new */
};

struct store_expert {
	int64_t			 id;
	char			*name;
	char			*campaign_title;
	bool			 campaign_open;
	struct store_assignment	*assignments;
	size_t			 nassignments;
};

/* The expert with her assignments: 0, 1 (none), -1. */
int		 store_expert_get(struct store *, int64_t expert_id,
		    struct store_expert *);
void		 store_expert_free(struct store_expert *);

struct store_card {
	int64_t			 assignment_id;
	int64_t			 expert_id;
	int64_t			 campaign_id;
	int64_t			 response_id;	/* 0 when new */
	int64_t			 form_id;	/* the response's, else the campaign's */
	char			*campaign_slug;
	char			*campaign_title;
	bool			 campaign_open;
	char			*field_code;
	char			*field_title;
	char			*expert_name;
	char			*expert_email;
	struct form_row		*cities;	/* key = code, label = name */
	size_t			 ncities;
	enum store_status	 status;
	int64_t			 revision;	/* 0 when new */
	int			 version;	/* last submission, 0 = none */
	char			*updated_at;
	struct form_answers	 answers;	/* the working copy */
};

/*
 * The card of assignment_id if it belongs to expert_id, with the working
 * copy of its answers: 0, 1 (no such card for this expert), -1.
 */
int		 store_card_get(struct store *, int64_t expert_id,
		    int64_t assignment_id, struct store_card *);
void		 store_card_free(struct store_card *);
/* The answers of submission version of a response. 0 or -1. */
int		 store_answers_get(struct store *, int64_t response_id,
		    int version, struct form_answers *);

/*
 * Builds the outbox payloads of a submission from the card's identity
 * and the answers being submitted: type is "card.submitted" or
 * "card.revised", version the new version. Writes two malloc'ed JSON
 * texts: *summary for the partners' "summary" detail level, *full for
 * "full" (whole texts, expert name and e-mail). 0 or -1 (nothing
 * written).
 */
typedef int	 store_payload_fn(void *ctx, const struct store_card *,
		    const struct form_answers *, const char *type,
		    const char *event_id, int version, const char *at,
		    char **summary, char **full);

enum store_save {
	STORE_SAVED = 0,	/* stored */
	STORE_STALE = 1,	/* expected_revision is not the current one */
	STORE_CLOSED = 2,	/* the campaign is closed */
	STORE_GONE = 3,		/* the card no longer exists for the expert */
};

/*
 * Save answers as the working copy of card (ids from store_card_get),
 * if its revision is still expected_revision (0 for a new card). With
 * submit, also store them as a new version, set the status to submitted,
 * and write an event (payload from fn) in the same transaction. Every
 * change is audited with actor. On STORE_SAVED *revision is the new
 * revision and *version the version (submit) or the last one.
 * Returns an enum store_save or -1.
 */
int		 store_card_save(struct store *, const struct store_card *card,
		    int64_t expected_revision, const struct form_answers *,
		    bool submit, const char *actor, store_payload_fn *fn,
		    void *fnctx, int64_t *revision, int *version);
/*
 * The same as a write that can wait for the batch (store_write_then):
 * then(thenctx, result) gets what store_card_save returns. card, the
 * answers and fnctx must live until then. Returns 1 when the save waits
 * for store_batch_commit, else 0 (then() was called).
 */
int		 store_card_save_then(struct store *,
		    const struct store_card *card, int64_t expected_revision,
		    const struct form_answers *, bool submit, const char *actor,
		    store_payload_fn *fn, void *fnctx, store_then_fn *then,
		    void *thenctx);

#endif
