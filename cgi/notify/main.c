/*
 * keyfield-notify: the daemon that sends the outbox to partners as signed
 * webhooks. Never marks a delivery done before a 2xx, never logs a secret.
 *
 * Four threads: the loop (this file: queues of due deliveries, the curl
 * multi handle, outcomes batched), the preparer (prepare.c: reads and
 * signs each partner's next attempts ahead, so the loop only hands them
 * to curl), the writer (below: commits the batches) and the mail sender
 * (mail.c: the mail outbox, over SMTP or into the maildir).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/file.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/conf.h"
#include "notify/deliver.h"
#include "base/log.h"
#include "notify/mail.h"
#include "notify/prepare.h"
#include "store/partners.h"
#include "store/secrets.h"
#include "base/webhook.h"

#define POLL_MS			200	/* look for newly due deliveries */
#define DISABLE_AFTER_MS	(5LL * 24 * 3600 * 1000)	/* failing */
#define QUEUE_MAX		256	/* due ones read ahead, a partner */
#define PARTNERS_MAX		256	/* partners with a queue at once */
#define BATCH_MAX		256	/* outcomes committed together, */
#define BATCH_MS		10	/* ... at the latest this long after
					 * the first of them */
#define PREP_AHEAD		16	/* attempts read and signed ahead,
					 * a partner, */
#define PREPS_MAX		256	/* ... all partners (and in flight) */
#define PREP_FRESH_MS		1000	/* older: read and signed again */
#define LOCK_SUFFIX		".notify-lock"
#define NELEM(a)		(sizeof(a) / sizeof((a)[0]))

/* What we remember of an attempt in flight, for its log line and row. */
struct flight {
	int64_t		 delivery_id;	/* 0: free */
	int64_t		 partner_id;
	int		 attempt;	/* the number of this attempt, from 1 */
	char		 at[32];	/* ISO 8601 start */
	char		 event_id[WEBHOOK_ID_MAX];
	char		 who[PREPARE_WHO_MAX];	/* "name" (campaign) */
	struct prep	*prep;		/* curl sends its body */
};

/*
 * A partner's due deliveries, read ahead of its free slots: a slot that
 * frees is filled from here, without a query. Read again when it runs
 * out, and at each poll while it is empty. The first nahead of them are
 * with the preparer, or back from it in ahead[] (in the same order).
 */
struct queue {
	int64_t		 partner_id;	/* 0: free */
	int64_t		 ids[QUEUE_MAX];
	size_t		 head, len;	/* ids[head..len) are still to start */
	bool		 more;		/* the last read was full: read again */
	int64_t		 started_ms;	/* when an attempt last started */
	size_t		 nahead;	/* ids[head..head + nahead) submitted */
	struct prep	*ahead[PREP_AHEAD];	/* back from the preparer;
						 * NULL: not yet */
};

/* A finished attempt whose outcome waits in the batch to be committed. */
struct done {
	struct deliver_result	 r;
	struct flight		 f;
	struct store_outcome	 o;	/* points into r and f */
	int64_t			 delay;	/* ms to the next attempt */
	bool			 after;	/* delay from Retry-After */
	bool			 gone;	/* 410 */
	bool			 disabled;	/* by this outcome (record) */
	bool			 superseded;	/* by a redeliver (record) */
	char			 reason[160];
};

/* Outcomes committed together. */
struct batch {
	struct done	 v[BATCH_MAX];
	size_t		 n;
	int64_t		 at;		/* when its first outcome came */
};

/*
 * The writer: a thread with a database connection of its own that
 * commits one batch while the loop fills the other, so the loop goes on
 * starting attempts while a commit waits for its fsync. Between the two
 * only the batch pointers pass, under mu.
 */
struct writer {
	pthread_t	 thread;
	bool		 running;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct store	*store;		/* used by the thread alone */
	const char	*base_url;
	struct batch	*todo;		/* handed over, being committed */
	struct batch	*done;		/* committed (or not), to take back */
	bool		 quit;
	struct log_held	 held;		/* a batch's log lines */
};

struct notify {
	struct store	*store;		/* the loop's reads */
	struct deliver	*deliver;
	struct preparer	*prep;
	struct prep	 preps[PREPS_MAX];
	struct prep	*free_preps[PREPS_MAX];	/* not submitted nor in use */
	size_t		 nfree;
	struct flight	 flights[DELIVER_MAX];
	struct queue	 queues[PARTNERS_MAX];
	size_t		 first_queue;	/* where fill() starts: round robin */
	bool		 starved;	/* a free slot waits for the preparer */
	struct batch	 batches[2];
	struct batch	*fill;		/* being filled by the loop */
	struct batch	*writing;	/* handed over, not taken back */
	struct batch	*spare;		/* neither */
	struct writer	 w;
};

static volatile sig_atomic_t	 stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static struct flight *
flight_find(struct notify *n, int64_t delivery_id)
{
	for (size_t i = 0; i < DELIVER_MAX; i++)
		if (n->flights[i].delivery_id == delivery_id)
			return &n->flights[i];
	return NULL;
}

/* The queue of partner_id (0: a free one), or NULL. */
static struct queue *
queue_find(struct notify *n, int64_t partner_id)
{
	for (size_t i = 0; i < PARTNERS_MAX; i++)
		if (n->queues[i].partner_id == partner_id)
			return &n->queues[i];
	return NULL;
}

/* ---- preps: attempts read and signed ahead ---- */

static void
prep_release(struct notify *n, struct prep *p)
{
	prepare_clear(p);
	n->free_preps[n->nfree++] = p;
}

/* Forget what q read ahead (its partner was disabled): the preps it got
 * back are released, those still with the preparer when they come. */
static void
queue_clear(struct notify *n, struct queue *q)
{
	for (size_t i = 0; i < q->nahead; i++)
		if (q->ahead[i] != NULL)
			prep_release(n, q->ahead[i]);
	memset(q->ahead, 0, sizeof(q->ahead));
	q->head = q->len = q->nahead = 0;
	q->more = false;
}

/* Put each prep the preparer is done with in its place in its queue. */
static void
preps_collect(struct notify *n)
{
	struct prep	*p;
	struct queue	*q;
	size_t		 i;

	while ((p = prepare_done(n->prep)) != NULL) {
		if ((q = queue_find(n, p->partner_id)) != NULL)
			for (i = 0; i < q->nahead; i++)
				if (q->ahead[i] == NULL &&
				    q->ids[q->head + i] == p->delivery_id) {
					q->ahead[i] = p;
					break;
				}
		if (q == NULL || i == q->nahead)
			prep_release(n, p);	/* its queue was cleared */
	}
}

/* Could an attempt of q's partner start now? */
static bool
slot_free(const struct notify *n, const struct queue *q)
{
	return deliver_running(n->deliver) < DELIVER_MAX &&
	    deliver_partner_running(n->deliver, q->partner_id) <
	    DELIVER_PARTNER_MAX;
}

/*
 * Submit q's next due deliveries to the preparer, up to PREP_AHEAD, once
 * half of them have been taken (the preparer wakes once for several);
 * not while the partner's slots have been busy for PREP_FRESH_MS (it is
 * slow or does not answer: what is prepared now would be stale when it
 * starts, and would take preps from the others).
 */
static void
preps_submit(struct notify *n, struct queue *q)
{
	struct prep	*p;

	if (q->nahead > PREP_AHEAD / 2 || (!slot_free(n, q) &&
	    store_now_ms() - q->started_ms > PREP_FRESH_MS))
		return;
	while (q->nahead < PREP_AHEAD && q->head + q->nahead < q->len &&
	    n->nfree > 0) {
		p = n->free_preps[--n->nfree];
		p->delivery_id = q->ids[q->head + q->nahead];
		p->partner_id = q->partner_id;
		q->ahead[q->nahead++] = NULL;
		prepare_submit(n->prep, p);
	}
}

/* Release the preps at the end of q that are back and stale: a partner
 * whose slots stay busy keeps none. */
static void
preps_drop_stale(struct notify *n, struct queue *q)
{
	struct prep	*p;
	int64_t		 now = store_now_ms();

	while (q->nahead > 0 && (p = q->ahead[q->nahead - 1]) != NULL &&
	    now - p->signed_ms > PREP_FRESH_MS) {
		prep_release(n, p);
		q->ahead[--q->nahead] = NULL;
	}
}

/* Take q's first prep out of the queue (it is back). */
static struct prep *
queue_shift(struct queue *q)
{
	struct prep	*p = q->ahead[0];

	memmove(q->ahead, q->ahead + 1, (PREP_AHEAD - 1) * sizeof(*q->ahead));
	q->ahead[PREP_AHEAD - 1] = NULL;
	q->nahead--;
	q->head++;
	return p;
}

/* The wake-up of prepare_open: a prep is done while the loop sleeps. */
static void
wake(void *arg)
{
	struct notify	*n = arg;

	deliver_wakeup(n->deliver);
}

/* ---- recording outcomes, many in one transaction ---- */

/* Did an outcome before b->v[i] disable the same partner? */
static bool
disabled_before(const struct batch *b, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (b->v[j].disabled &&
		    b->v[j].o.partner_id == b->v[i].o.partner_id)
			return true;
	return false;
}

/* A batch's transaction; run again whole on BUSY (store_write). */
static int
record(struct store *s, void *arg)
{
	struct batch	*b = arg;
	struct done	*d;
	int64_t		 since;
	int		 rc, cut;
	char		 day[32];
	time_t		 t;
	struct tm	 tm;

	for (size_t i = 0; i < b->n; i++) {
		d = &b->v[i];
		d->disabled = false;
		if ((rc = store_outcome_add(s, &d->o, &since)) == -1)
			return -1;
		d->superseded = rc == 1;
		if (d->o.delivered || disabled_before(b, i))
			continue;
		/* Either reason is at most 75 bytes (day: 31) of 160. */
		if (d->gone) {
			cut = buf_fmt(d->reason, sizeof(d->reason),
			    "the endpoint answered 410 Gone");
			assert(cut == 0);
		} else if (d->o.now_ms - since >= DISABLE_AFTER_MS) {
			t = (time_t)(since / 1000);
			gmtime_r(&t, &tm);
			strftime(day, sizeof(day), "%Y-%m-%dT%H:%MZ", &tm);
			cut = buf_fmt(d->reason, sizeof(d->reason),
			    "every delivery failed for 5 days (since %s)",
			    day);
			assert(cut == 0);
		} else
			continue;
		if (store_partner_disable(s, d->o.partner_id, d->reason) ==
		    -1)
			return -1;
		d->disabled = true;
	}
	return 0;
}

/* The log line of a recorded outcome, held in h. */
static void
log_outcome(struct log_held *h, const struct done *d, const char *base_url)
{
	char	 next[96];
	int	 cut;

	/*
	 * At most 71 bytes: an int has 11 characters, an int64_t of ms
	 * shown in seconds with one decimal at most 19.
	 */
	if (d->superseded)
		cut = buf_fmt(next, sizeof(next), "the delivery was "
		    "redelivered meanwhile and keeps its new schedule");
	else if (d->o.delivered)
		cut = buf_fmt(next, sizeof(next), "delivered");
	else if (d->o.next_at_ms < 0)
		cut = buf_fmt(next, sizeof(next), "failed after %d attempts",
		    d->f.attempt);
	else
		cut = buf_fmt(next, sizeof(next), "retry in %.1f s%s",
		    d->delay / 1000.0, d->after ? " (Retry-After)" : "");
	assert(cut == 0);
	if (d->r.status > 0)
		log_hold(h, LOG_INFO, "delivery %" PRId64 " of %s to %s, "
		    "attempt %d: HTTP %d in %" PRId64 " ms%s%s; %s",
		    d->r.delivery_id, d->f.event_id, d->f.who, d->f.attempt,
		    d->r.status, d->r.latency_ms,
		    *d->o.error != '\0' ? ", " : "", d->o.error, next);
	else
		log_hold(h, LOG_INFO, "delivery %" PRId64 " of %s to %s, "
		    "attempt %d: %s after %" PRId64 " ms; %s",
		    d->r.delivery_id, d->f.event_id, d->f.who, d->f.attempt,
		    d->o.error, d->r.latency_ms, next);
	if (d->disabled)
		log_hold(h, LOG_WARN, "partner %s disabled: %s; its "
		    "deliveries wait until it is enabled again (%s, or "
		    "keyfield partner enable)", d->f.who, d->reason, base_url);
}

/*
 * Commit a batch in one transaction (one fsync for all), then log its
 * outcomes (one write for all). When that fails they are all still
 * pending in the database: each is sent again, with the same webhook-id.
 */
static void
commit(struct writer *w, struct batch *b)
{
	if (store_write(w->store, record, b) != 0) {
		log_err("cannot record the outcomes of %zu attempts (the "
		    "first: delivery %" PRId64 " of %s to %s); they will be "
		    "sent again", b->n, b->v[0].r.delivery_id,
		    b->v[0].f.event_id, b->v[0].f.who);
		for (size_t i = 0; i < b->n; i++)
			b->v[i].disabled = false;
		return;
	}
	for (size_t i = 0; i < b->n; i++)
		log_outcome(&w->held, &b->v[i], w->base_url);
	log_flush(&w->held);
}

/* The writer thread: commit each batch handed over, until told to quit
 * with none left. */
static void *
writer_main(void *arg)
{
	struct writer	*w = arg;
	struct batch	*b;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->todo == NULL && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if ((b = w->todo) == NULL)
			break;
		pthread_mutex_unlock(&w->mu);
		commit(w, b);
		pthread_mutex_lock(&w->mu);
		w->todo = NULL;
		w->done = b;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/*
 * Take back the batch the writer has committed, if it has (forgetting
 * the queues of partners it disabled: nothing more is started for
 * them). With w.mu held.
 */
static void
writer_take(struct notify *n)
{
	struct batch	*b;
	struct queue	*q;

	if (n->w.todo != NULL || (b = n->w.done) == NULL)
		return;
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].disabled &&
		    (q = queue_find(n, b->v[i].o.partner_id)) != NULL)
			queue_clear(n, q);
	b->n = 0;
	n->w.done = NULL;
	n->writing = NULL;
	n->spare = b;
}

/* Wait until the writer has committed what it was handed; take it back.
 * With w.mu held. */
static void
writer_idle(struct notify *n)
{
	while (n->w.todo != NULL)
		pthread_cond_wait(&n->w.cv, &n->w.mu);
	writer_take(n);
}

/* Take back a batch the writer has committed, without waiting. */
static void
writer_collect(struct notify *n)
{
	pthread_mutex_lock(&n->w.mu);
	writer_take(n);
	pthread_mutex_unlock(&n->w.mu);
}

/*
 * Hand the batch being filled to the writer; the loop goes on with the
 * other batch. While the writer still commits the previous one: wait
 * for it when wait (a full batch, or nothing else to do), else leave
 * this batch to be filled further and return false.
 */
static bool
flush(struct notify *n, bool wait)
{
	if (n->fill->n == 0)
		return true;
	pthread_mutex_lock(&n->w.mu);
	if (wait)
		writer_idle(n);
	else
		writer_take(n);
	if (n->writing != NULL) {
		pthread_mutex_unlock(&n->w.mu);
		return false;
	}
	n->w.todo = n->writing = n->fill;
	n->fill = n->spare;
	n->spare = NULL;
	pthread_cond_broadcast(&n->w.cv);
	pthread_mutex_unlock(&n->w.mu);
	return true;
}

/* Hand over what is batched and wait until it is all committed. */
static void
flush_wait(struct notify *n)
{
	if (!n->w.running)
		return;
	flush(n, true);
	pthread_mutex_lock(&n->w.mu);
	writer_idle(n);
	pthread_mutex_unlock(&n->w.mu);
}

/* Is the outcome of delivery_id batched but perhaps not committed? */
static bool
uncommitted(const struct notify *n, int64_t delivery_id)
{
	const struct batch	*b[2] = { n->fill, n->writing };

	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; b[k] != NULL && i < b[k]->n; i++)
			if (b[k]->v[i].o.delivery_id == delivery_id)
				return true;
	return false;
}

/* Start the writer on a connection of its own to db. 0 or -1. */
static int
writer_start(struct notify *n, const char *db, const char *base_url)
{
	sigset_t	 all, old;
	int		 rc;

	n->fill = &n->batches[0];
	n->spare = &n->batches[1];
	if ((n->w.store = store_open(db)) == NULL)
		return -1;
	n->w.base_url = base_url;
	pthread_mutex_init(&n->w.mu, NULL);
	pthread_cond_init(&n->w.cv, NULL);
	/* Signals go to the loop, which lets attempts finish. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&n->w.thread, NULL, writer_main, &n->w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_err("pthread_create: %s", strerror(rc));
		return -1;
	}
	n->w.running = true;
	return 0;
}

/* Commit what is batched, stop the writer and close its connection. */
static void
writer_stop(struct notify *n)
{
	if (n->w.running) {
		flush_wait(n);
		pthread_mutex_lock(&n->w.mu);
		n->w.quit = true;
		pthread_cond_broadcast(&n->w.cv);
		pthread_mutex_unlock(&n->w.mu);
		pthread_join(n->w.thread, NULL);
		n->w.running = false;
	}
	store_close(n->w.store);
	n->w.store = NULL;
}

/* Put the outcome of an attempt in the batch (handing over a full one). */
static void
finish(struct notify *n, const struct deliver_result *r)
{
	struct flight	*f;
	struct done	*d;
	int64_t		 now = store_now_ms();

	if ((f = flight_find(n, r->delivery_id)) == NULL) {
		log_err("delivery %" PRId64 ": finished but not in flight",
		    r->delivery_id);
		return;
	}
	if (n->fill->n == BATCH_MAX)
		flush(n, true);
	if (n->fill->n == 0)
		n->fill->at = now;
	d = &n->fill->v[n->fill->n++];
	memset(d, 0, sizeof(*d));
	d->r = *r;
	d->f = *f;
	d->f.prep = NULL;
	if (f->prep != NULL)
		prep_release(n, f->prep);
	memset(f, 0, sizeof(*f));
	d->o.delivery_id = d->r.delivery_id;
	d->o.partner_id = d->r.partner_id;
	d->o.attempt = d->f.attempt;
	d->o.at = d->f.at;
	d->o.status = d->r.status;
	d->o.error = d->r.error;
	d->o.latency_ms = d->r.latency_ms;
	d->o.body = d->r.body;
	d->o.now_ms = now;
	d->o.delivered = d->r.status >= 200 && d->r.status <= 299;
	d->gone = d->r.status == 410;
	d->delay = -1;
	if (d->o.delivered)
		return;
	d->after = (d->r.status == 429 || d->r.status == 503) &&
	    webhook_retry_after(d->r.retry_after, now, &d->delay);
	if (d->f.attempt > WEBHOOK_RETRIES)
		d->delay = -1;
	else if (!d->after)
		d->delay = webhook_retry_delay_ms(d->f.attempt);
	d->o.next_at_ms = d->delay < 0 ? -1 : now + d->delay;
	if (d->r.status >= 300 && d->r.status <= 399)
		d->o.error = "redirects are not followed";
}

/* Batch the outcome of every finished attempt. */
static void
collect(struct notify *n)
{
	struct deliver_result	 r;

	while (deliver_result(n->deliver, &r) == 1)
		finish(n, &r);
}

/* ---- starting attempts ---- */

/*
 * Start the attempt p, which is back from the preparer: 1 started (the
 * flight has p), 0 not (p released), -1 failure.
 */
static int
start(struct notify *n, struct prep *p)
{
	struct deliver_req	 req;
	struct deliver_result	 fake;
	struct flight		*f;
	int			 rc, cut;

	if (p->state != PREP_READY && p->state != PREP_UNSIGNED) {
		rc = p->state == PREP_GONE ? 0 : -1;
		prep_release(n, p);
		return rc;
	}
	if ((f = flight_find(n, 0)) == NULL) {
		prep_release(n, p);
		return 0;
	}
	memset(f, 0, sizeof(*f));
	f->delivery_id = p->delivery_id;
	f->partner_id = p->partner_id;
	f->attempt = p->attempt;
	store_now(f->at);
	_Static_assert(sizeof(f->event_id) == sizeof(p->event_id) &&
	    sizeof(f->who) == sizeof(p->who), "a flight copies a prep's");
	memcpy(f->event_id, p->event_id, sizeof(f->event_id));
	memcpy(f->who, p->who, sizeof(f->who));
	f->prep = p;
	if (p->state == PREP_UNSIGNED) {
		/* A broken secret or event id: log it as a failed attempt. */
		memset(&fake, 0, sizeof(fake));
		fake.delivery_id = p->delivery_id;
		fake.partner_id = p->partner_id;
		cut = buf_fmt(fake.error, sizeof(fake.error), "cannot sign: "
		    "the secret or the event id is not valid");
		assert(cut == 0);	/* 54 bytes of DELIVER_ERROR_MAX */
		finish(n, &fake);
		return 0;
	}
	memset(&req, 0, sizeof(req));
	req.delivery_id = p->delivery_id;
	req.partner_id = p->partner_id;
	req.url = p->url;
	req.allow_private = p->allow_private;
	req.webhook_id = p->event_id;
	req.timestamp = p->signed_ms / 1000;
	req.signature = p->sig;
	req.body = p->body;
	req.len = p->len;
	if (deliver_start(n->deliver, &req) != 0) {
		/* Full, or a failure deliver_start logged: still pending,
		 * it is read again later; the others go on. */
		memset(f, 0, sizeof(*f));
		prep_release(n, p);
		return 0;
	}
	log_debug("delivery %" PRId64 " of %s to %s: attempt %d started",
	    f->delivery_id, f->event_id, f->who, f->attempt);
	return 1;
}

/*
 * Start q's attempts that are back from the preparer, in order, while
 * the partner has free slots: the number started, or -1. One read and
 * signed more than PREP_FRESH_MS ago is submitted again first, so that
 * what is sent is what the database says (partner still active, the
 * secrets of now) at most that long before, and its timestamp is recent.
 */
static int
start_ready(struct notify *n, struct queue *q)
{
	struct prep	*p;
	int		 started = 0, rc;

	while (q->nahead > 0 && (p = q->ahead[0]) != NULL &&
	    slot_free(n, q)) {
		if (p->state != PREP_FAILED &&
		    store_now_ms() - p->signed_ms > PREP_FRESH_MS) {
			q->ahead[0] = NULL;
			prepare_submit(n->prep, p);
			break;
		}
		if ((rc = start(n, queue_shift(q))) == -1)
			return -1;
		started += rc;
	}
	if (started > 0)
		q->started_ms = store_now_ms();
	return started;
}

/*
 * Read q's partner's due deliveries into q, but for those in flight and
 * those whose outcome is batched and perhaps not committed yet: the
 * database still has them pending and due, and they would be sent
 * again. 0 or -1.
 */
static int
refill(struct notify *n, struct queue *q)
{
	static int64_t	 ids[QUEUE_MAX + DELIVER_PARTNER_MAX + 2 * BATCH_MAX];
	size_t		 k, i;

	writer_collect(n);	/* what it committed is not uncommitted */
	if (store_due(n->store, q->partner_id, store_now_ms(), NELEM(ids), ids,
	    &k) == -1)
		return -1;
	q->head = q->len = 0;
	for (i = 0; i < k && q->len < QUEUE_MAX; i++)
		if (!deliver_busy(n->deliver, ids[i]) &&
		    !uncommitted(n, ids[i]))
			q->ids[q->len++] = ids[i];
	q->more = k == NELEM(ids) || i < k;
	return 0;
}

/* Is anything read ahead and not started? */
static bool
queued(const struct notify *n)
{
	for (size_t i = 0; i < PARTNERS_MAX; i++)
		if (n->queues[i].partner_id != 0 &&
		    (n->queues[i].head < n->queues[i].len ||
		    n->queues[i].more))
			return true;
	return false;
}

/*
 * Every POLL_MS: forget the queues of partners with nothing left to do,
 * and read ahead for each partner with due deliveries whose queue is
 * empty (a new event, a retry now due, a partner enabled again). 0 or -1.
 */
static int
poll_due(struct notify *n)
{
	static int64_t	 ids[PARTNERS_MAX];
	struct queue	*q;
	size_t		 k;

	for (size_t i = 0; i < PARTNERS_MAX; i++) {
		q = &n->queues[i];
		if (q->partner_id != 0 && q->head == q->len &&
		    deliver_partner_running(n->deliver, q->partner_id) == 0)
			memset(q, 0, sizeof(*q));
	}
	if (store_due_partners(n->store, store_now_ms(), NELEM(ids), ids, &k) ==
	    -1)
		return -1;
	for (size_t i = 0; i < k; i++) {
		if ((q = queue_find(n, ids[i])) == NULL &&
		    (q = queue_find(n, 0)) != NULL) {
			memset(q, 0, sizeof(*q));
			q->partner_id = ids[i];
		}
		if (q == NULL)
			break;	/* every queue busy: the rest wait */
		if (q->head == q->len && refill(n, q) == -1)
			return -1;
	}
	return 0;
}

/*
 * Start the attempts back from the preparer while there are free slots,
 * partner after partner, from another one each time, and submit the
 * next ones of each partner to it: the number started, or -1. A queue
 * that runs out is read again at most once a pass, so a partner whose
 * due deliveries cannot start (disabled meanwhile) cannot spin.
 */
static int
fill(struct notify *n)
{
	struct queue	*q;
	int		 started = 0, rc;

	preps_collect(n);
	n->starved = false;
	for (size_t i = 0; i < PARTNERS_MAX; i++) {
		q = &n->queues[(n->first_queue + i) % PARTNERS_MAX];
		if (q->partner_id == 0)
			continue;
		if (!slot_free(n, q))
			preps_drop_stale(n, q);
		if ((rc = start_ready(n, q)) == -1)
			return -1;
		started += rc;
		if (q->head == q->len && q->more && slot_free(n, q) &&
		    refill(n, q) == -1)
			return -1;
		preps_submit(n, q);
		if (q->nahead > 0 && q->ahead[0] == NULL && slot_free(n, q))
			n->starved = true;
	}
	n->first_queue = (n->first_queue + 1) % PARTNERS_MAX;
	return started;
}

/* How long deliver_wait may sleep: until the batch must be handed over
 * (or tried again). */
static int
wait_ms(const struct notify *n, int64_t next_poll)
{
	int64_t	 now = store_now_ms(), ms;

	ms = n->fill->n > 0 ? n->fill->at + BATCH_MS - now : next_poll - now;
	/* A batch due while the writer still commits: look again soon. */
	if (ms < 1 && n->fill->n > 0 && n->writing != NULL)
		ms = 1;
	return ms < 0 ? 0 : ms > POLL_MS ? POLL_MS : (int)ms;
}

/* ---- main ---- */

/* Hold an exclusive lock on path + LOCK_SUFFIX: one daemon per database. */
static int
lock_db(const char *db)
{
	char	 path[4096];
	int	 fd;

	if (buf_fmt(path, sizeof(path), "%s%s", db, LOCK_SUFFIX) == -1) {
		log_err("the database's path (%.64s...) is too long for its "
		    "lock file: at most %zu bytes", db,
		    sizeof(path) - sizeof(LOCK_SUFFIX));
		return -1;
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		log_err("open %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			log_err("another keyfield-notify is delivering from "
			    "%s", db);
		else
			log_err("flock %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;	/* kept open: the lock lives as long as we do */
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: keyfield-notify [--config FILE] [--db FILE] "
	    "[--once] "
	    "[--log-level LEVEL]\n\n"
	    "Deliver partner webhooks from the outbox of the database, and\n"
	    "send its mail (smtp_url, else into the maildir mail_dir).\n"
	    "--db defaults to $KEYFIELD_DB, then the database of "
	    "keyfield.conf(5),\nthen var/keyfield.db.\n"
	    "--once delivers and sends what is due now and exits.\n"
	    "SIGTERM lets attempts in flight finish, then exits.\n");
}

/* What the command line asks for. */
struct args {
	const char	*config;	/* NULL: conf_load's default */
	const char	*db;		/* NULL: the config's */
	int		 level;		/* -1: the config's */
	bool		 once;
};

/* Read the command line into a: 0, or -1 to exit with *status. */
static int
options(int argc, char *argv[], struct args *a, int *status)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "once", no_argument, NULL, 'o' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	memset(a, 0, sizeof(*a));
	a->level = -1;
	*status = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			a->config = optarg;
			break;
		case 'd':
			a->db = optarg;
			break;
		case 'o':
			a->once = true;
			break;
		case 'l':
			if ((a->level = log_level_parse(optarg)) < 0) {
				fprintf(stderr, "keyfield-notify: unknown log "
				    "level \"%s\"\n", optarg);
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			*status = 0;
			return -1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* SIGTERM and SIGINT stop the loop; a closed connection is an error. */
static void
signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Open the store, start the writer, libcurl and the preparer. 0 or -1. */
static int
startup(struct notify *n, const char *db, const struct conf *conf,
    bool once)
{
	if ((n->store = store_open(db)) == NULL ||
	    writer_start(n, db, conf->base_url) == -1 ||
	    (n->deliver = deliver_open(conf->ca_file)) == NULL ||
	    (n->prep = prepare_open(db, wake, n)) == NULL)
		return -1;
	for (size_t i = 0; i < PREPS_MAX; i++)
		n->free_preps[n->nfree++] = &n->preps[i];
	log_info("delivering from %s%s", db, once ? " (once)" : "");
	return 0;
}

/*
 * Poll, start, commit and wait until stopped, or with once until nothing
 * is due: 0, or -1 when it cannot go on.
 */
static int
deliver_loop(struct notify *n, bool once)
{
	int64_t	 next_poll = 0;
	int	 started, timeout, rc;
	bool	 polled;

	while (!stopping) {
		polled = false;
		if (store_now_ms() >= next_poll) {
			if (poll_due(n) == -1) {
				if (once)
					return -1;
				log_err("cannot read due deliveries; retrying");
			}
			next_poll = store_now_ms() + POLL_MS;
			polled = true;
		}
		if ((started = fill(n)) == -1) {
			if (once)
				return -1;
			log_err("cannot read due deliveries; retrying");
		}
		if (once && started <= 0 && deliver_running(n->deliver) == 0 &&
		    !queued(n)) {
			if (polled)
				break;	/* nothing was due at the last look */
			next_poll = 0;
			continue;
		}
		/* Commit the outcomes before a sleep, or a few ms after the
		 * first of them (one fsync for many); wait for the writer's
		 * previous commit only with nothing else to do. */
		if (n->fill->n > 0 && (deliver_running(n->deliver) == 0 ||
		    store_now_ms() - n->fill->at >= BATCH_MS))
			flush(n, deliver_running(n->deliver) == 0 &&
			    !queued(n));
		/* Sleep until a transfer moves, or a prep is done that a
		 * free slot waits for (the others are taken on the way). */
		timeout = wait_ms(n, next_poll);
		if (timeout > 0 && n->starved && !prepare_sleep(n->prep))
			timeout = 0;
		rc = deliver_wait(n->deliver, timeout);
		if (timeout > 0 && n->starved)
			prepare_awake(n->prep);
		if (rc == -1)
			return -1;
		collect(n);
	}
	return 0;
}

/* Let the attempts in flight finish and commit their outcomes. 0 or -1. */
static int
drain(struct notify *n)
{
	if (stopping && deliver_running(n->deliver) > 0)
		log_info("stopping: letting %zu attempts finish",
		    deliver_running(n->deliver));
	while (deliver_running(n->deliver) > 0) {
		flush(n, false);
		if (deliver_wait(n->deliver, POLL_MS) == -1)
			return -1;
		collect(n);
	}
	flush_wait(n);
	log_info("stopped");
	return 0;
}

/* Stop and close what startup opened (any part of it), and the lock. */
static void
shutdown_all(struct notify *n, int lockfd)
{
	writer_stop(n);
	/* The preparer first: it may wake the loop through n->deliver. */
	prepare_close(n->prep);
	deliver_close(n->deliver);
	for (size_t i = 0; i < PREPS_MAX; i++)
		prepare_clear(&n->preps[i]);
	store_close(n->store);
	close(lockfd);
}

int
main(int argc, char *argv[])
{
	static struct notify	 n;
	static struct conf	 conf;
	struct mailer		*mailer = NULL;
	struct args		 a;
	int			 status, lockfd;

	if (options(argc, argv, &a, &status) == -1)
		return status;
	if (conf_load(&conf, a.config) == -1) {
		conf_report(&conf, "keyfield-notify");
		return 1;
	}
	log_init("keyfield-notify", (enum log_level)(a.level >= 0 ? a.level :
	    conf.log_level >= 0 ? conf.log_level : LOG_INFO));
	if (a.db == NULL)
		a.db = conf.database;
	signals();
	if (sodium_init() < 0) {
		log_err("sodium_init failed");
		return 1;
	}
	if ((lockfd = lock_db(a.db)) == -1 ||
	    store_key_load(conf.secret_key_file, a.db, false) == -1)
		return 1;
	status = startup(&n, a.db, &conf, a.once) == 0 &&
	    (mailer = mailer_start(a.db, &conf, a.once)) != NULL &&
	    deliver_loop(&n, a.once) == 0 && drain(&n) == 0 ? 0 : 1;
	if (mailer_stop(mailer) == -1 && a.once)
		status = 1;
	shutdown_all(&n, lockfd);
	return status;
}
