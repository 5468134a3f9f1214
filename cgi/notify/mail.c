/*
 * notify/mail: the mail sender thread of keyfield-notify and its
 * maildir. Never drops a message before its outcome is committed, never
 * logs a message's text.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/conf.h"
#include "base/log.h"
#include "app/mailq.h"
#include "notify/mail.h"
#include "notify/smtp.h"
#include "store/mail.h"

#define PATH_MAX_	4096
#define RATE_MAX	CONF_MAIL_PER_MINUTE_MAX
#define COMPOSE_MAX	100	/* messages composed between two sends */
#define CAMPAIGNS_MAX	1000	/* open campaigns reminded each hour */

/* Minutes to wait after attempt n (1..) before the next, then failed. */
static const int retry_minutes[MAIL_RETRIES] = {
	1, 5, 15, 30, 60, 120, 240, 480,
};

struct mailer {
	pthread_t		 thread;
	bool			 running, once, failed;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	bool			 quit;
	const struct conf	*conf;
	struct store		*store;
	struct smtp		*smtp;		/* NULL: the maildir */
	char			 dir[PATH_MAX_];	/* the maildir */
	int64_t			 sent_ms[RATE_MAX];	/* a ring */
	size_t			 nsent;
	unsigned		 seq;		/* maildir file names */
	int64_t			 remind_ms;	/* the next reminders' run */
	bool			 dirty;	/* sent since the last checkpoint */
};

/* ---- the maildir ---- */

/* Make dir and its tmp/, new/, cur/ (0700) unless there: 0 or -1. */
static int
maildir_make(const char *dir)
{
	static const char *const subs[] = { "", "/tmp", "/new", "/cur" };
	char	 path[PATH_MAX_];

	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (buf_fmt(path, sizeof(path), "%s%s", dir, subs[i]) == -1) {
			log_err("mail_dir %.64s...: too long a path", dir);
			return -1;
		}
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			log_err("mkdir %s: %s", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Write len bytes to fd, whole, and sync them: 0 or -1 (errno). */
static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return fsync(fd);
}

/* Deliver msg into the maildir as tmp/NAME, then new/NAME: 0 or -1. */
static int
maildir_put(struct mailer *m, const char *msg, size_t len, char *err,
    size_t errsz)
{
	char	 name[128], tmp[PATH_MAX_], dst[PATH_MAX_];
	int	 fd, rc = -1;

	if (buf_fmt(name, sizeof(name), "%lld.P%ldQ%u.keyfield",
	    (long long)time(NULL), (long)getpid(), m->seq++) == -1 ||
	    buf_fmt(tmp, sizeof(tmp), "%s/tmp/%s", m->dir, name) == -1 ||
	    buf_fmt(dst, sizeof(dst), "%s/new/%s", m->dir, name) == -1) {
		smtp_text(err, errsz, "the maildir's path is too long");
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		smtp_text(err, errsz, "open %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, msg, len) == -1)
		smtp_text(err, errsz, "write %s: %s", tmp, strerror(errno));
	else if (rename(tmp, dst) == -1)
		smtp_text(err, errsz, "rename %s: %s", tmp, strerror(errno));
	else
		rc = 0;
	close(fd);
	if (rc == -1)
		unlink(tmp);
	return rc;
}

/* ---- one message ---- */

/* The envelope sender of a message: mail_from's local+VERP@domain. */
static int
verp_address(const struct mailer *m, const char *verp, char *out,
    size_t outsz)
{
	const char	*from = m->conf->mail_from, *at = strchr(from, '@');

	return buf_fmt(out, outsz, "%.*s+%s%s", (int)(at - from), from, verp,
	    at);
}

/* Send ml: its outcome into o (o->text points into r). */
static void
send_one(struct mailer *m, const struct store_mail *ml,
    struct smtp_result *r, struct store_mail_outcome *o)
{
	char	 from[CONF_ADDRESS_MAX + STORE_VERP_MAX + 2];
	int64_t	 now;

	memset(r, 0, sizeof(*r));
	if (m->smtp == NULL) {
		if ((r->sent = maildir_put(m, ml->message, ml->len, r->text,
		    sizeof(r->text)) == 0))
			smtp_text(r->text, sizeof(r->text), "written to %s/new",
			    m->dir);
	} else if (verp_address(m, ml->verp, from, sizeof(from)) == -1)
		smtp_text(r->text, sizeof(r->text), "mail_from is too long");
	else
		smtp_send(m->smtp, from, ml->rcpt, ml->message, ml->len, r);
	now = store_now_ms();
	o->mail_id = ml->id;
	o->attempt = ml->attempts + 1;
	o->code = r->code;
	o->text = r->text;
	o->sent = r->sent;
	o->bounced = r->rcpt;
	if (r->sent || r->permanent || ml->attempts >= MAIL_RETRIES)
		o->next_at_ms = -1;
	else
		o->next_at_ms = now +
		    retry_minutes[ml->attempts] * 60LL * 1000;
}

/* store_write's fn: the outcome. */
static int
record(struct store *s, void *arg)
{
	return store_mail_outcome(s, arg) == -1 ? -1 : 0;
}

/* Send the message due first: 1 sent or tried, 0 none due, -1. */
static int
send_next(struct mailer *m)
{
	struct store_mail		 ml;
	struct store_mail_outcome	 o;
	struct smtp_result		 r;
	char				 at[32];
	int				 rc;

	if ((rc = store_mail_due(m->store, store_now_ms(), NULL, 0, &ml)) !=
	    0)
		return rc == 1 ? 0 : -1;
	memset(&o, 0, sizeof(o));
	store_now(at);
	o.at = at;
	send_one(m, &ml, &r, &o);
	m->sent_ms[m->nsent++ % RATE_MAX] = store_now_ms();
	if (store_write(m->store, record, &o) != 0) {
		log_err("mail %" PRId64 " to %s: cannot record attempt %d; "
		    "it is sent again", ml.id, ml.rcpt, o.attempt);
		store_mail_free(&ml);
		return -1;
	}
	log_info("mail %" PRId64 " to %s, attempt %d: %s%s%s", ml.id, ml.rcpt,
	    o.attempt, r.text, o.sent ? "; sent" : o.next_at_ms < 0 ?
	    "; failed" : "; to be tried again", o.bounced ? " (bounced)" :
	    "");
	store_mail_free(&ml);
	return 1;
}

/* store_write's fn: compose the oldest message to compose; 1: none. */
static int
compose_txn(struct store *s, void *arg)
{
	struct mailer			*m = arg;
	struct store_mail_compose	 c;
	int				 rc;

	if ((rc = store_mail_compose_next(s, &c)) != 0)
		return rc;
	return mailq_thanks(s, m->conf, m->conf->base_url, &c) == -1 ? -1 :
	    0;
}

/* Compose what the triggers queued (at most COMPOSE_MAX now): 0 or -1. */
static int
compose_all(struct mailer *m)
{
	struct store_mail_compose	 c;
	int				 rc;

	/*
	 * Looked for outside a write first: most turns find nothing, and
	 * an empty write transaction per message took the writers' lock
	 * from the submits for nothing. One queued later is seen next turn.
	 */
	if ((rc = store_mail_compose_next(m->store, &c)) != 0)
		return rc == 1 ? 0 : -1;
	for (int i = 0; i < COMPOSE_MAX && (rc = store_write(m->store,
	    compose_txn, m)) == 0; i++)
		continue;
	if (rc == -1)
		log_err("cannot compose the messages the submissions queued; "
		    "trying again");
	return rc == -1 ? -1 : 0;
}

static void
quiet_begin(void *arg)
{
	(void)arg;
}

static int
quiet_row(void *arg, const struct store_reminder_row *r, const char *no)
{
	(void)arg;
	(void)r;
	(void)no;
	return 0;
}

/*
 * Every MAIL_REMIND_MS: queue the reminders due in every open campaign
 * (app/mailq.h decides, as "keyfield mail remind" does). 0 or -1.
 */
static int
remind_all(struct mailer *m)
{
	static int64_t		 ids[CAMPAIGNS_MAX];
	struct mailq_batch	 b;
	size_t			 n;

	if (store_now_ms() < m->remind_ms)
		return 0;
	m->remind_ms = store_now_ms() + MAIL_REMIND_MS;
	if (store_mail_campaigns(m->store, ids, CAMPAIGNS_MAX, &n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		b = (struct mailq_batch){ .conf = m->conf,
		    .base_url = m->conf->base_url, .campaign_id = ids[i],
		    .begin = quiet_begin, .each = quiet_row };
		if (store_write(m->store, mailq_batch_txn, &b) != 0)
			return -1;
		if (b.queued > 0)
			log_info("campaign %" PRId64 ": %d reminders queued",
			    ids[i], b.queued);
	}
	return 0;
}

/* ms to wait before the next message may go (mail_per_minute). */
static int64_t
rate_wait(const struct mailer *m)
{
	size_t	 per = (size_t)m->conf->mail_per_minute;
	int64_t	 oldest;

	if (m->nsent < per)
		return 0;
	oldest = m->sent_ms[(m->nsent - per) % RATE_MAX];
	return oldest + 60000 - store_now_ms();
}

/* ---- the thread ---- */

/* Sleep ms, or until told to quit: whether to go on. */
static bool
nap(struct mailer *m, int64_t ms)
{
	struct timespec	 ts;
	bool		 go;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&m->mu);
	while (!m->quit && pthread_cond_timedwait(&m->cv, &m->mu, &ts) == 0)
		continue;
	go = !m->quit;
	pthread_mutex_unlock(&m->mu);
	return go;
}

static bool
quitting(struct mailer *m)
{
	bool	 q;

	pthread_mutex_lock(&m->mu);
	q = m->quit;
	pthread_mutex_unlock(&m->mu);
	return q;
}

/* smtp's cancel: stop a transfer when told to quit. */
static bool
cancelled(void *arg)
{
	return quitting(arg);
}

/* Send, wait, send, until told to quit (once: until none is due). */
static void *
mailer_main(void *arg)
{
	struct mailer	*m = arg;
	int64_t		 wait;
	int		 rc;

	while (!quitting(m)) {
		if ((wait = rate_wait(m)) > 0) {
			if (!nap(m, wait))
				break;
			continue;
		}
		if (remind_all(m) == -1 || compose_all(m) == -1 ||
		    (rc = send_next(m)) == -1) {
			rc = -1;
			m->failed = true;
			if (m->once)
				break;
		}
		if (rc == 1)
			m->dirty = true;
		/* Idle: the sent messages' bytes leave the WAL too. */
		if (rc == 0 && m->dirty &&
		    store_mail_checkpoint(m->store) == 0)
			m->dirty = false;
		if (rc == 0 && m->once)
			break;
		if (rc != 1 && !nap(m, MAIL_POLL_MS))
			break;
	}
	return NULL;
}

/* The maildir: mail_dir, or "mail" in the database's folder. */
static int
mail_dir(struct mailer *m, const char *db)
{
	const char	*slash = strrchr(db, '/');

	if (*m->conf->mail_dir != '\0')
		return buf_fmt(m->dir, sizeof(m->dir), "%s",
		    m->conf->mail_dir);
	if (slash == NULL)
		return buf_fmt(m->dir, sizeof(m->dir), "mail");
	return buf_fmt(m->dir, sizeof(m->dir), "%.*s/mail",
	    (int)(slash - db), db);
}

/* Open the store and the way out (SMTP or the maildir): 0 or -1. */
static int
mailer_open(struct mailer *m, const char *db)
{
	if ((m->store = store_open(db)) == NULL ||
	    store_mail_scrub(m->store) == -1)
		return -1;
	if (*m->conf->smtp_url != '\0') {
		if ((m->smtp = smtp_open(m->conf, cancelled, m)) == NULL)
			return -1;
		log_info("mail goes to %s", m->conf->smtp_url);
		return 0;
	}
	if (mail_dir(m, db) == -1) {
		log_err("mail_dir: the path is too long");
		return -1;
	}
	if (maildir_make(m->dir) == -1)
		return -1;
	log_info("mail goes into the maildir %s/new (no smtp_url)", m->dir);
	return 0;
}

struct mailer *
mailer_start(const char *db, const struct conf *conf, bool once)
{
	struct mailer	*m;
	sigset_t	 all, old;
	int		 rc;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		log_err("calloc: %s", strerror(errno));
		return NULL;
	}
	m->conf = conf;
	m->once = once;
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	if (mailer_open(m, db) == -1)
		goto fail;
	/* Signals go to the main loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&m->thread, NULL, mailer_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_err("pthread_create: %s", strerror(rc));
		goto fail;
	}
	m->running = true;
	return m;
fail:
	mailer_stop(m);
	return NULL;
}

int
mailer_stop(struct mailer *m)
{
	bool	 failed;

	if (m == NULL)
		return 0;
	if (m->running) {
		pthread_mutex_lock(&m->mu);
		if (!m->once)
			m->quit = true;
		pthread_cond_broadcast(&m->cv);
		pthread_mutex_unlock(&m->mu);
		pthread_join(m->thread, NULL);
	}
	failed = m->failed;
	smtp_close(m->smtp);
	store_close(m->store);
	pthread_mutex_destroy(&m->mu);
	pthread_cond_destroy(&m->cv);
	free(m);
	return failed ? -1 : 0;
}
