/*
 * prepare: the thread that reads and signs keyfield-notify's next
 * attempts. Never sends anything, never keeps a secret past signing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "notify/prepare.h"
#include "store/partners.h"

/* A FIFO of preps. */
struct list {
	struct prep	*head, *tail;
};

struct preparer {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct store	*store;		/* used by the thread alone */
	void		(*wake)(void *);
	void		*arg;
	struct list	 todo;		/* submitted */
	struct list	 done;		/* prepared, to take back */
	bool		 idle;		/* the thread waits for todo */
	bool		 sleeping;	/* the loop waits: wake it */
	bool		 quit;
};

static void
push(struct list *l, struct prep *p)
{
	p->next = NULL;
	if (l->tail != NULL)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
}

static struct prep *
pop(struct list *l)
{
	struct prep	*p;

	if ((p = l->head) != NULL && (l->head = p->next) == NULL)
		l->tail = NULL;
	return p;
}

void
prepare_clear(struct prep *p)
{
	free(p->url);
	free(p->body);
	p->url = p->body = NULL;
	p->len = 0;
	explicit_bzero(p->sig, sizeof(p->sig));
}

/* Read p's delivery as it is now and sign it: p->state says how that
 * went. */
static void
prepare(struct store *s, struct prep *p)
{
	struct store_send	 v;
	int64_t			 now = store_now_ms();
	int			 rc;

	prepare_clear(p);
	p->signed_ms = now;
	if ((rc = store_send_get(s, p->delivery_id, now, &v)) != 0) {
		p->state = rc == 1 ? PREP_GONE : PREP_FAILED;
		return;
	}
	p->attempt = v.attempts + 1;
	p->allow_private = v.allow_private;
	/*
	 * Both are for the log; an event id too long to keep whole cannot
	 * be signed either (webhook_sign refuses it).
	 */
	if (buf_fmt(p->event_id, sizeof(p->event_id), "%s", v.event_id) ==
	    -1)
		buf_mark_cut(p->event_id, sizeof(p->event_id));
	if (buf_fmt(p->who, sizeof(p->who), "\"%s\" (%s)", v.partner_name,
	    v.campaign_slug) == -1)
		buf_mark_cut(p->who, sizeof(p->who));
	p->len = strlen(v.payload);
	if (webhook_signature_header(v.secret, v.previous_secret, v.event_id,
	    now / 1000, v.payload, p->len, p->sig) == -1)
		p->state = PREP_UNSIGNED;
	else {
		p->state = PREP_READY;
		p->url = v.url;
		p->body = v.payload;
		v.url = v.payload = NULL;
	}
	store_send_free(&v);
}

/* The thread: prepare what is submitted, in order, each batch in one
 * read transaction; hand each back as soon as it is done. */
static void *
run(void *arg)
{
	struct preparer	*pr = arg;
	struct list	 batch;
	struct prep	*p;
	bool		 began;

	pthread_mutex_lock(&pr->mu);
	for (;;) {
		while (pr->todo.head == NULL && !pr->quit) {
			pr->idle = true;
			pthread_cond_wait(&pr->cv, &pr->mu);
		}
		pr->idle = false;
		if (pr->quit)
			break;
		batch = pr->todo;
		pr->todo.head = pr->todo.tail = NULL;
		pthread_mutex_unlock(&pr->mu);
		began = store_read_begin(pr->store);
		while ((p = pop(&batch)) != NULL) {
			prepare(pr->store, p);
			pthread_mutex_lock(&pr->mu);
			push(&pr->done, p);
			if (pr->sleeping) {
				pr->sleeping = false;
				pr->wake(pr->arg);
			}
			pthread_mutex_unlock(&pr->mu);
		}
		store_read_end(pr->store, began);
		pthread_mutex_lock(&pr->mu);
	}
	pthread_mutex_unlock(&pr->mu);
	return NULL;
}

struct preparer *
prepare_open(const char *db, void (*wake)(void *), void *arg)
{
	struct preparer	*pr;
	sigset_t	 all, old;
	int		 rc;

	if ((pr = calloc(1, sizeof(*pr))) == NULL) {
		log_err("prepare_open: out of memory");
		return NULL;
	}
	pr->wake = wake;
	pr->arg = arg;
	if ((pr->store = store_open(db)) == NULL) {
		free(pr);
		return NULL;
	}
	pthread_mutex_init(&pr->mu, NULL);
	pthread_cond_init(&pr->cv, NULL);
	/* Signals go to the loop, which lets attempts finish. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&pr->thread, NULL, run, pr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_err("pthread_create: %s", strerror(rc));
		pthread_cond_destroy(&pr->cv);
		pthread_mutex_destroy(&pr->mu);
		store_close(pr->store);
		free(pr);
		return NULL;
	}
	return pr;
}

void
prepare_close(struct preparer *pr)
{
	if (pr == NULL)
		return;
	pthread_mutex_lock(&pr->mu);
	pr->quit = true;
	pthread_cond_signal(&pr->cv);
	pthread_mutex_unlock(&pr->mu);
	pthread_join(pr->thread, NULL);
	pthread_cond_destroy(&pr->cv);
	pthread_mutex_destroy(&pr->mu);
	store_close(pr->store);
	free(pr);
}

void
prepare_submit(struct preparer *pr, struct prep *p)
{
	p->state = PREP_QUEUED;
	pthread_mutex_lock(&pr->mu);
	push(&pr->todo, p);
	if (pr->idle) {
		pr->idle = false;	/* one signal is enough */
		pthread_cond_signal(&pr->cv);
	}
	pthread_mutex_unlock(&pr->mu);
}

struct prep *
prepare_done(struct preparer *pr)
{
	struct prep	*p;

	pthread_mutex_lock(&pr->mu);
	p = pop(&pr->done);
	pthread_mutex_unlock(&pr->mu);
	return p;
}

bool
prepare_sleep(struct preparer *pr)
{
	bool	 empty;

	pthread_mutex_lock(&pr->mu);
	empty = pr->done.head == NULL;
	pr->sleeping = empty;
	pthread_mutex_unlock(&pr->mu);
	return empty;
}

void
prepare_awake(struct preparer *pr)
{
	pthread_mutex_lock(&pr->mu);
	pr->sleeping = false;
	pthread_mutex_unlock(&pr->mu);
}
