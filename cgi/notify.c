/*
 * keyfield-notify: the daemon that sends the outbox to partners as signed
 * webhooks. Never marks a delivery done before a 2xx, never logs a secret.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "conf.h"
#include "deliver.h"
#include "log.h"
#include "store-notify.h"
#include "webhook.h"

#define POLL_MS			200	/* look for due deliveries */
#define DISABLE_AFTER_MS	(5LL * 24 * 3600 * 1000)	/* failing */
#define DUE_BATCH		((DELIVER_PARTNER_MAX + 1) * DELIVER_MAX)
#define LOCK_SUFFIX		".notify-lock"

/* What we remember of an attempt in flight, for its log line and row. */
struct flight {
	int64_t	 delivery_id;	/* 0: free */
	int64_t	 partner_id;
	int	 attempt;	/* the number of this attempt, from 1 */
	char	 at[32];	/* ISO 8601 start */
	char	 event_id[WEBHOOK_ID_MAX];
	char	 who[160];	/* partner "name" (campaign) */
};

struct notify {
	struct store	*store;
	struct deliver	*deliver;
	const char	*base_url;
	struct flight	 flights[DELIVER_MAX];
};

static volatile sig_atomic_t	 stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct flight *
flight_find(struct notify *n, int64_t delivery_id)
{
	for (size_t i = 0; i < DELIVER_MAX; i++)
		if (n->flights[i].delivery_id == delivery_id)
			return &n->flights[i];
	return NULL;
}

/* ---- recording an outcome ---- */

struct outcome {
	const struct deliver_result	*r;
	const struct flight		*f;
	int64_t				 now;
	bool				 delivered;
	int64_t				 next_at;	/* -1: failed */
	const char			*error;
	bool				 gone;		/* 410 */
	/* written by record() */
	bool				 disabled;
	char				 reason[160];
};

static int
record(struct store *s, void *arg)
{
	struct outcome	*o = arg;
	int64_t		 since;
	char		 day[32];
	time_t		 t;
	struct tm	 tm;

	o->disabled = false;
	if (store_attempt_add(s, o->r->delivery_id, o->f->at, o->r->status,
	    o->error, o->r->latency_ms, o->r->body) == -1)
		return -1;
	if (o->delivered)
		return store_delivery_delivered(s, o->r->delivery_id,
		    o->r->partner_id, o->r->status, o->now);
	if (store_delivery_failure(s, o->r->delivery_id, o->r->partner_id,
	    o->r->status, o->error, o->next_at, o->now, &since) == -1)
		return -1;
	if (o->gone)
		snprintf(o->reason, sizeof(o->reason),
		    "the endpoint answered 410 Gone");
	else if (o->now - since >= DISABLE_AFTER_MS) {
		t = (time_t)(since / 1000);
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%dT%H:%MZ", &tm);
		snprintf(o->reason, sizeof(o->reason),
		    "every delivery failed for 5 days (since %s)", day);
	} else
		return 0;
	if (store_partner_disable(s, o->r->partner_id, o->reason) == -1)
		return -1;
	o->disabled = true;
	return 0;
}

static void
finish(struct notify *n, const struct deliver_result *r)
{
	struct outcome	 o;
	struct flight	*f;
	int64_t		 delay = -1;
	bool		 after = false;
	char		 next[64];

	if ((f = flight_find(n, r->delivery_id)) == NULL) {
		log_err("delivery %" PRId64 ": finished but not in flight",
		    r->delivery_id);
		return;
	}
	memset(&o, 0, sizeof(o));
	o.r = r;
	o.f = f;
	o.now = now_ms();
	o.error = r->error;
	o.delivered = r->status >= 200 && r->status <= 299;
	o.gone = r->status == 410;
	if (!o.delivered) {
		after = (r->status == 429 || r->status == 503) &&
		    webhook_retry_after(r->retry_after, o.now, &delay);
		if (f->attempt > WEBHOOK_RETRIES)
			delay = -1;
		else if (!after)
			delay = webhook_retry_delay_ms(f->attempt);
		o.next_at = delay < 0 ? -1 : o.now + delay;
		if (r->status >= 300 && r->status <= 399)
			o.error = "redirects are not followed";
	}
	if (store_write(n->store, record, &o) != 0) {
		/* Still pending in the database: it will be tried again. */
		log_err("delivery %" PRId64 " of %s to %s: cannot record the "
		    "outcome", r->delivery_id, f->event_id, f->who);
		memset(f, 0, sizeof(*f));
		return;
	}
	if (o.delivered)
		snprintf(next, sizeof(next), "delivered");
	else if (o.next_at < 0)
		snprintf(next, sizeof(next), "failed after %d attempts",
		    f->attempt);
	else
		snprintf(next, sizeof(next), "retry in %.1f s%s",
		    delay / 1000.0, after ? " (Retry-After)" : "");
	if (r->status > 0)
		log_info("delivery %" PRId64 " of %s to %s, attempt %d: HTTP "
		    "%d in %" PRId64 " ms%s%s; %s", r->delivery_id,
		    f->event_id, f->who, f->attempt, r->status, r->latency_ms,
		    *o.error != '\0' ? ", " : "", o.error, next);
	else
		log_info("delivery %" PRId64 " of %s to %s, attempt %d: %s "
		    "after %" PRId64 " ms; %s", r->delivery_id, f->event_id,
		    f->who, f->attempt, o.error, r->latency_ms, next);
	if (o.disabled)
		log_warn("partner %s disabled: %s; its deliveries wait until "
		    "it is enabled again (%s, or keyfield partner enable)",
		    f->who, o.reason, n->base_url);
	memset(f, 0, sizeof(*f));
}

/* Record every finished attempt; returns how many there were. */
static size_t
collect(struct notify *n)
{
	struct deliver_result	 r;
	size_t			 done = 0;

	while (deliver_result(n->deliver, &r) == 1) {
		finish(n, &r);
		done++;
	}
	return done;
}

/* ---- starting attempts ---- */

/* Start one attempt of delivery_id: 1 started, 0 not, -1 failure. */
static int
start(struct notify *n, int64_t delivery_id)
{
	struct store_send	 v;
	struct deliver_req	 req;
	struct deliver_result	 fake;
	struct flight		*f;
	char			 sig[WEBHOOK_SIGS_MAX];
	int64_t			 now = now_ms();
	int			 rc;

	if ((f = flight_find(n, 0)) == NULL)
		return 0;
	if ((rc = store_send_get(n->store, delivery_id, now, &v)) != 0)
		return rc == 1 ? 0 : -1;
	memset(f, 0, sizeof(*f));
	f->delivery_id = v.delivery_id;
	f->partner_id = v.partner_id;
	f->attempt = v.attempts + 1;
	store_now(f->at);
	snprintf(f->event_id, sizeof(f->event_id), "%s", v.event_id);
	snprintf(f->who, sizeof(f->who), "\"%s\" (%s)", v.partner_name,
	    v.campaign_slug);
	if (webhook_signature_header(v.secret, v.previous_secret, v.event_id,
	    now / 1000, v.payload, strlen(v.payload), sig) == -1) {
		/* A broken secret or event id: log it as a failed attempt. */
		memset(&fake, 0, sizeof(fake));
		fake.delivery_id = v.delivery_id;
		fake.partner_id = v.partner_id;
		snprintf(fake.error, sizeof(fake.error), "cannot sign: the "
		    "secret or the event id is not valid");
		store_send_free(&v);
		finish(n, &fake);
		return 0;
	}
	memset(&req, 0, sizeof(req));
	req.delivery_id = v.delivery_id;
	req.partner_id = v.partner_id;
	req.url = v.url;
	req.allow_private = v.allow_private;
	req.webhook_id = v.event_id;
	req.timestamp = now / 1000;
	req.signature = sig;
	req.body = v.payload;
	req.len = strlen(v.payload);
	rc = deliver_start(n->deliver, &req);
	explicit_bzero(sig, sizeof(sig));
	store_send_free(&v);
	if (rc != 0) {
		/* Full, or a failure deliver_start logged: still pending,
		 * it is tried again at the next poll; the others go on. */
		memset(f, 0, sizeof(*f));
		return 0;
	}
	log_debug("delivery %" PRId64 " of %s to %s: attempt %d started",
	    f->delivery_id, f->event_id, f->who, f->attempt);
	return 1;
}

/* Start what is due and fits: the number started, or -1. */
static int
schedule(struct notify *n)
{
	static struct store_due	 due[DUE_BATCH];
	size_t			 ndue, i;
	int			 started = 0, rc;

	if (deliver_running(n->deliver) >= DELIVER_MAX)
		return 0;
	if (store_due(n->store, now_ms(), DELIVER_PARTNER_MAX, DUE_BATCH,
	    due, &ndue) == -1)
		return -1;
	for (i = 0; i < ndue; i++) {
		if (deliver_running(n->deliver) >= DELIVER_MAX)
			break;
		if (deliver_busy(n->deliver, due[i].delivery_id) ||
		    deliver_partner_running(n->deliver, due[i].partner_id) >=
		    DELIVER_PARTNER_MAX)
			continue;
		if ((rc = start(n, due[i].delivery_id)) == -1)
			return -1;
		started += rc;
	}
	return started;
}

/* ---- main ---- */

/* Hold an exclusive lock on path + LOCK_SUFFIX: one daemon per database. */
static int
lock_db(const char *db)
{
	char	 path[4096];
	int	 fd;

	if ((size_t)snprintf(path, sizeof(path), "%s%s", db, LOCK_SUFFIX) >=
	    sizeof(path)) {
		log_err("%s: path too long", db);
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
	    "Deliver partner webhooks from the outbox of the database.\n"
	    "--db defaults to $KEYFIELD_DB, then the database of "
	    "keyfield.conf(5),\nthen var/keyfield.db.\n"
	    "--once delivers what is due now and exits.\n"
	    "SIGTERM lets attempts in flight finish, then exits.\n");
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "once", no_argument, NULL, 'o' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct notify	 n;
	struct sigaction	 sa;
	static struct conf	 conf;
	const char		*db = NULL, *config = NULL;
	int			 optlevel = -1;
	bool			 once = false;
	int			 ch, level, lockfd, started, rc = 1;
	int64_t			 next_poll = 0;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'o':
			once = true;
			break;
		case 'l':
			if ((level = log_level_parse(optarg)) < 0) {
				fprintf(stderr, "keyfield-notify: unknown log "
				    "level \"%s\"\n", optarg);
				return 1;
			}
			optlevel = level;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	if (conf_load(&conf, config) == -1) {
		conf_report(&conf, "keyfield-notify");
		return 1;
	}
	level = optlevel >= 0 ? optlevel : conf.log_level >= 0 ?
	    conf.log_level : LOG_INFO;
	log_init("keyfield-notify", (enum log_level)level);
	if (db == NULL)
		db = conf.database;
	n.base_url = conf.base_url;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if (sodium_init() < 0) {
		log_err("sodium_init failed");
		return 1;
	}
	if ((lockfd = lock_db(db)) == -1)
		return 1;
	if ((n.store = store_open(db)) == NULL ||
	    (n.deliver = deliver_open()) == NULL)
		goto out;
	log_info("delivering from %s%s", db, once ? " (once)" : "");

	while (!stopping) {
		started = 0;
		if (once || now_ms() >= next_poll) {
			if ((started = schedule(&n)) == -1 && once)
				goto out;
			if (started == -1)
				log_err("cannot read due deliveries; retrying");
			next_poll = now_ms() + POLL_MS;
		}
		if (once && started <= 0 && deliver_running(n.deliver) == 0)
			break;
		if (deliver_wait(n.deliver, POLL_MS) == -1)
			goto out;
		/* A finished attempt frees a slot: fill it now, not in 200 ms
		 * (that wait capped a partner at 2 per poll, 10 a second). */
		if (collect(&n) > 0)
			next_poll = 0;
	}
	if (stopping && deliver_running(n.deliver) > 0)
		log_info("stopping: letting %zu attempts finish",
		    deliver_running(n.deliver));
	while (deliver_running(n.deliver) > 0) {
		if (deliver_wait(n.deliver, POLL_MS) == -1)
			goto out;
		collect(&n);
	}
	log_info("stopped");
	rc = 0;
out:
	deliver_close(n.deliver);
	store_close(n.store);
	close(lockfd);
	return rc;
}
