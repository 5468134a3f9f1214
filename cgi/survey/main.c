/*
 * survey: the experts' FastCGI program (keyfield-survey). Reads each
 * request, checks the session and CSRF token, routes to a page, and sends
 * it. Never trusts a path, a cookie or a field it has not checked.
 */
#include <sys/epoll.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "base/auth.h"
#include "base/buf.h"
#include "app/fcgi.h"
#include "base/conf.h"
#include "base/html.h"
#include "base/i18n.h"
#include "base/limit.h"
#include "base/log.h"
#include "app/page.h"
#include "app/lang.h"
#include "store/experts.h"
#include "store/sessions.h"
#include "app/route.h"
#include "survey/pages.h"
#include "survey/signin.h"

#define SESSION_TOUCH_EVERY	60	/* seconds between seen_at updates */
#define KEEP_MAX	(256 * 1024)	/* buffer bytes kept between requests */
#define BATCH_MAX	16	/* requests whose writes one commit stores */
#define BATCH_MS	20	/* longest a batch stays open */
#define CARD_VERSION_MAX	1000000	/* a card's versions looked up */
struct app {
	struct store		*store;
	struct page_form	*forms;
	size_t			 nforms;
	const char		*base_url;
	const struct conf	*conf;
	/*
	 * The request body's and the page body's memory, kept from one
	 * request to the next (up to KEEP_MAX each) instead of grown from
	 * 256 bytes by doubling on every request.
	 */
	struct buf		 body, page;
	/* Request log lines written together when idle (NULL: each now). */
	struct log_held		*held;
};

/* Take a kept buffer for a request: empty, capped at max. */
static void
keep_take(struct buf *kept, struct buf *b, size_t max)
{
	*b = *kept;
	buf_init(kept, 0);
	buf_reset(b);
	b->max = max;
}

/* Keep b's memory for the next request, if it is not too large. */
static void
keep_give(struct buf *kept, struct buf *b, size_t max)
{
	buf_free(kept);
	if (b->cap <= KEEP_MAX) {
		*kept = *b;
		buf_init(b, max);
	}
	buf_free(b);
}

/* Look up the session cookie; expired sessions are deleted. 0 or -1. */
static int
session_load(struct page_ctx *ctx)
{
	int64_t		 now = (int64_t)time(NULL);
	int		 rc;

	rc = page_session_find(ctx->store, ctx->req,
	    signin_cookie_name(ctx->req),
	    "expert", PAGE_SESSION_IDLE, PAGE_SESSION_MAX, ctx->session_hash,
	    &ctx->session);
	if (rc != 0)
		return rc == 1 ? 0 : -1;
	if (now - ctx->session.seen_at > SESSION_TOUCH_EVERY &&
	    store_session_touch(ctx->store, ctx->session_hash) == -1)
		return -1;
	ctx->has_session = true;
	return 0;
}

/* GET /i/TOKEN: the invitation's page; it signs nobody in. */
static int
invitation(void *ctx, struct page *p, const struct route_match *m)
{
	return page_invitation(ctx, p, m->rest);
}

/* POST /i/TOKEN: sign the invited expert in, then 303 to /. */
static int
invitation_post(void *ctx, struct page *p, const struct route_match *m)
{
	return page_invitation_post(ctx, p, m->rest);
}

/* POST /logout */
static int
logout(void *arg, struct page *p, const struct route_match *m)
{
	struct page_ctx	*ctx = arg;

	(void)m;
	if (store_session_delete(ctx->store, ctx->session_hash) == -1 ||
	    signin_cookie(p, ctx->req, "", 0) == -1)
		return -1;
	p->lang_switch = NULL;
	return page_error(p, 200, tr(ctx->lang, "Signed out"),
	    tr(ctx->lang, "You are signed out on this device. Your "
	    "invitation link signs you in again."));
}

/* Any address the table does not have (or not with this method). */
static int
not_found(void *arg, struct page *p, const struct route_match *m)
{
	const struct lang *l = ((struct page_ctx *)arg)->lang;

	(void)m;
	return page_error(p, 404, tr(l, "Page not found"),
	    tr(l, "There is no page at this address."));
}

/* The table's handlers of the pages (survey/page-*.c): captures unpacked. */
static int
home(void *ctx, struct page *p, const struct route_match *m)
{
	(void)m;
	return page_home(ctx, p);
}

static int
card(void *ctx, struct page *p, const struct route_match *m)
{
	return page_card(ctx, p, m->id[0]);
}

static int
card_post(void *ctx, struct page *p, const struct route_match *m)
{
	return page_card_post(ctx, p, m->id[0]);
}

static int
card_resume(void *ctx, struct page *p, const struct route_match *m)
{
	return page_card_resume(ctx, p, m->id[0]);
}

static int
card_done(void *ctx, struct page *p, const struct route_match *m)
{
	return page_card_done(ctx, p, m->id[0]);
}

static int
card_version(void *ctx, struct page *p, const struct route_match *m)
{
	if (m->id[1] > CARD_VERSION_MAX)
		return not_found(ctx, p, m);
	return page_card_version(ctx, p, m->id[0], (int)m->id[1]);
}

static int
lang_post(void *ctx, struct page *p, const struct route_match *m)
{
	(void)m;
	return page_lang_post(ctx, p);
}

static int
optout(void *ctx, struct page *p, const struct route_match *m)
{
	return page_optout(ctx, p, m->rest, false);
}

static int
optout_post(void *ctx, struct page *p, const struct route_match *m)
{
	return page_optout(ctx, p, m->rest, true);
}

static int
lost(void *ctx, struct page *p, const struct route_match *m)
{
	(void)m;
	return page_lost(ctx, p, false);
}

static int
lost_post(void *ctx, struct page *p, const struct route_match *m)
{
	(void)m;
	return page_lost(ctx, p, true);
}

enum survey_page {
	SURVEY_INVITATION,
	SURVEY_INVITATION_POST,
	SURVEY_HOME,
	SURVEY_LOGOUT,
	SURVEY_CARD,
	SURVEY_CARD_POST,
	SURVEY_CARD_RESUME,
	SURVEY_CARD_DONE,
	SURVEY_CARD_VERSION,
	SURVEY_OPTOUT,
	SURVEY_OPTOUT_POST,
	SURVEY_LOST,
	SURVEY_LOST_POST,
	SURVEY_LANG_POST,
	SURVEY__MAX
};

/* Every page of keyfield-survey. No two patterns match the same path. */
static const struct route routes[] = {
	[SURVEY_INVITATION] =	{ REQ_GET, "/i/*", ROUTE_OPTIONAL,
				    invitation },
	[SURVEY_INVITATION_POST] = { REQ_POST, "/i/*", ROUTE_OPTIONAL,
				    invitation_post },
	[SURVEY_HOME] =		{ REQ_GET, "/", ROUTE_REQUIRED, home },
	[SURVEY_LOGOUT] =	{ REQ_POST, "/logout", ROUTE_REQUIRED, logout },
	[SURVEY_CARD] =		{ REQ_GET, "/card/:id", ROUTE_REQUIRED, card },
	[SURVEY_CARD_POST] =	{ REQ_POST, "/card/:id", ROUTE_REQUIRED,
				    card_post },
	[SURVEY_CARD_RESUME] =	{ REQ_POST, "/card/:id/resume",
				    ROUTE_OPTIONAL, card_resume },
	[SURVEY_CARD_DONE] =	{ REQ_GET, "/card/:id/submitted",
				    ROUTE_REQUIRED, card_done },
	[SURVEY_CARD_VERSION] =	{ REQ_GET, "/card/:id/v/:id", ROUTE_REQUIRED,
				    card_version },
	/* RFC 8058 one-click: no session, no CSRF token (SECURITY.md). */
	[SURVEY_OPTOUT] =	{ REQ_GET, "/u/*", ROUTE_NONE, optout },
	[SURVEY_OPTOUT_POST] =	{ REQ_POST, "/u/*", ROUTE_NONE, optout_post },
	/* No session to hold a CSRF token: page-lost.c checks Origin. */
	[SURVEY_LOST] =		{ REQ_GET, "/lost", ROUTE_NONE, lost },
	[SURVEY_LOST_POST] =	{ REQ_POST, "/lost", ROUTE_NONE, lost_post },
	[SURVEY_LANG_POST] =	{ REQ_POST, "/lang", ROUTE_REQUIRED,
				    lang_post },
};
_Static_assert(sizeof(routes) / sizeof(routes[0]) == SURVEY__MAX,
    "a route for every page");

/* The session for route_dispatch: 1 with one, 0 without, -1. */
static int
session(void *arg, const char **csrf)
{
	struct page_ctx	*ctx = arg;

	if (session_load(ctx) == -1 || signin_lang(ctx) == -1)
		return -1;
	*csrf = ctx->session.csrf;
	return ctx->has_session;
}

/*
 * The refusals of the preamble. Without a session, a page (and an address
 * without a row) gets the same 403, so a visitor without a session learns
 * nothing of which addresses exist. A card's POST refused for its session
 * or its CSRF token gets a page that holds what was typed.
 */
static int
refuse(void *arg, struct page *p, enum route_refusal why, size_t row,
    const struct route_match *m)
{
	const struct lang *l = ((struct page_ctx *)arg)->lang;

	if (row == SURVEY_CARD_POST && why != ROUTE_METHOD)
		return page_card_keep(arg, p, m->id[0]);
	switch (why) {
	case ROUTE_METHOD:
		return page_error(p, 405, tr(l, "Method not allowed"),
		    tr(l, "This address accepts only GET and POST."));
	case ROUTE_NO_SESSION:
		return signin_refused(p, l);
	case ROUTE_EXPIRED:
		break;
	}
	return page_error(p, 403, tr(l, "Form expired"),
	    tr(l, "This form could not be accepted because it did not "
	    "come from this site or has expired. Nothing was saved. Go "
	    "back, reload the page, and send it again."));
}

static const struct route_site site = { routes, SURVEY__MAX, not_found,
    session, refuse };

/* The path for the log line: invitation tokens never reach a log. */
static const char *
log_path(const char *path)
{
	if (path == NULL)
		return "-";
	if (strncmp(path, "/i/", 3) == 0)
		return "/i/[token]";
	return path;
}

/* A request read and served, its page not sent yet. */
struct held {
	FCGX_Request	 rq;
	struct req	 r;
	struct page	 p;
	struct page_ctx	 ctx;	/* until answered: a save's page may wait */
	struct buf	 body;
	struct timespec	 t0;
};

/* Replace h's page with the one for a failure of the environment. */
static void
not_saved(struct held *h)
{
	const struct lang *l = h->ctx.lang;

	page_free(&h->p);
	page_init(&h->p);
	h->p.lang = l;
	/* Environment failure (disk, database): nothing was stored. */
	page_error(&h->p, 503, tr(l, "Not saved: please try again"),
	    tr(l, "We could not complete this just now, and nothing was "
	    "stored. Go back (your browser still has what you typed) "
	    "and try again in a minute. The problem has been logged."));
	page_header(&h->p, "Retry-After", "30");
}

/*
 * Is the request for /u/ID, whose one-click POST (RFC 8058) a mail
 * provider may send as multipart/form-data? Only there is that read.
 */
static bool
optout_path(char *const *envp)
{
	const char	*uri = req_env(envp, "DOCUMENT_URI");

	if (uri == NULL)
		uri = req_env(envp, "REQUEST_URI");
	return uri != NULL && strncmp(uri, "/u/", 3) == 0;
}

/* The 413 page of a request body over its cap. */
static int
too_large(struct page *p, const struct lang *l)
{
	char	 msg[300];

	if (buf_fmt(msg, sizeof(msg), tr(l, "Your answers were larger than "
	    "this site accepts (%d KB in all). Nothing was saved. Go back, "
	    "shorten the longest answers, and try again."),
	    REQ_BODY_KB) == -1)
		buf_mark_cut(msg, sizeof(msg));
	return page_error(p, 413, tr(l, "Too much text"), msg);
}

/* Read h's request and make its page (its writes may wait: store_batch). */
static void
serve(struct app *app, struct held *h)
{
	struct page_ctx	*ctx = &h->ctx;
	int		 status, rc;
	bool		 reading;

	clock_gettime(CLOCK_MONOTONIC, &h->t0);
	memset(&h->r, 0, sizeof(h->r));
	page_init(&h->p);
	keep_take(&app->page, &h->p.body, PAGE_BODY_MAX);
	keep_take(&app->body, &h->body, REQ_BODY_MAX);
	memset(ctx, 0, sizeof(*ctx));
	ctx->req = &h->r;
	ctx->store = app->store;
	ctx->forms = app->forms;
	ctx->nforms = app->nforms;
	ctx->base_url = app->base_url;
	ctx->conf = app->conf;
	ctx->self_origin = fcgi_origin(app->conf, &h->rq);
	/* Before sign-in: what the browser asks for (signin_lang after). */
	ctx->accept_lang = req_env(h->rq.envp, "HTTP_ACCEPT_LANGUAGE");
	ctx->lang = lang_of_visitor(ctx->accept_lang);
	ctx->page = &h->p;
	h->p.lang = ctx->lang;

	status = fcgi_read_body(&h->rq, &h->body);
	if (status == 413) {
		rc = too_large(&h->p, ctx->lang);
	} else if (status != 0) {
		rc = page_error(&h->p, 400, tr(ctx->lang, "Bad request"),
		    tr(ctx->lang, "The request could not be read."));
	} else if ((rc = (optout_path(h->rq.envp) ? req_parse_upload :
	    req_parse)(&h->r, h->rq.envp, h->body.data, h->body.len)) !=
	    REQ_OK) {
		if (rc > 0)
			rc = page_error(&h->p, req_status_code(rc),
			    tr(ctx->lang, "The form could not be read"),
			    tr(ctx->lang, req_status_text(rc)));
	} else {
		/* The session and the page it shows: one snapshot. */
		reading = store_read_begin(ctx->store);
		rc = route_dispatch(&site, ctx, ctx->req, ctx->self_origin,
		    &h->p);
		store_read_end(ctx->store, reading);
	}
	if (page_over_cap(&h->p, "keyfield-survey", log_path(h->r.path))) {
		page_free(&h->p);
		page_init(&h->p);
		h->p.lang = ctx->lang;
		rc = page_error_over_cap(&h->p);
	}
	if (rc == -1)
		ctx->failed = true;	/* answered 503 */
}

/*
 * Send h's page (a 503 instead when its batch failed, or its page could
 * not be made: page_ctx.failed) and end it.
 */
static void
answer(struct app *app, struct held *h, bool failed)
{
	struct buf	 out;

	if (failed || h->ctx.failed)
		not_saved(h);
	buf_init(&out, PAGE_HEADERS_MAX + 256);
	fcgi_send_page(&h->rq, &h->p, &out);
	fcgi_log_request(&h->rq, log_path(h->r.path), h->p.status, &h->t0,
	    app->held);
	FCGX_Finish_r(&h->rq);
	buf_free(&out);
	req_free(&h->r);
	keep_give(&app->page, &h->p.body, PAGE_BODY_MAX);
	page_free(&h->p);
	keep_give(&app->body, &h->body, REQ_BODY_MAX);
}

/* Commit what the held requests wrote, then answer them all. */
static void
answer_all(struct app *app, struct held *h, size_t n)
{
	bool	 failed = store_batch_commit(app->store) == -1;

	if (n > 1)	/* held: a write was pending */
		log_hold(app->held, LOG_DEBUG, "batch: %zu requests, one "
		    "commit%s", n, failed ? " (failed)" : "");
	for (size_t i = 0; i < n; i++)
		answer(app, &h[i], failed);
}

/* Whether a connection waits on the listening socket now. */
static bool
waiting(int fd)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

/*
 * Sleep until a connection may be waiting or we are told to stop
 * (fcgi_stop_fd, in the set too). With EPOLLEXCLUSIVE the kernel wakes
 * one idle worker a connection, as it does for workers blocked in
 * accept(); poll() would wake them all.
 */
static void
idle(int ep, int fd)
{
	struct epoll_event ev;
	struct pollfd	 pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = fcgi_stop_fd(), .events = POLLIN },
	};

	if (ep == -1 || (epoll_wait(ep, &ev, 1, -1) == -1 && errno != EINTR))
		poll(pfd, 2, -1);
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec	 t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * Serve requests in turn and commit the writes of those that come
 * together at once (store_batch). A card's save is prepared and queued
 * (store_card_save_then); another write opens the batch's transaction.
 * While a write is pending, the requests waiting on the socket are
 * served too; when none is (or BATCH_MAX have come, or BATCH_MS have
 * passed) the batch is committed, one sync of the WAL for all, and its
 * requests are answered, none before. A request that leaves no write
 * pending is answered at once. The listening socket, shared with the
 * other workers, does not block: when another worker took the
 * connection, accept says EAGAIN and this one answers or sleeps.
 */
static void
serve_batches(struct app *app, struct held *h)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
	struct epoll_event stop = { .events = EPOLLIN };
	struct timespec	 first;
	size_t		 n = 0;
	int		 fd = h[0].rq.listen_sock, ep, rc;

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) != -1 &&
	    (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, fcgi_stop_fd(), &stop) == -1)) {
		close(ep);
		ep = -1;
	}
	store_batch(app->store, true);
	for (;;) {
		if (n > 0 && (n == BATCH_MAX || ms_since(&first) > BATCH_MS ||
		    !waiting(fd))) {
			answer_all(app, h, n);
			n = 0;
		}
		if (n == 0 && fcgi_stopping())
			break;		/* SIGTERM: nothing held */
		if ((rc = FCGX_Accept_r(&h[n].rq)) == -EAGAIN ||
		    rc == -EWOULDBLOCK) {
			if (n == 0) {
				log_flush(app->held);
				idle(ep, fd);	/* a signal ends it too */
			}
			continue;
		}
		if (rc < 0)
			break;	/* failed (logged by libfcgi) */
		if (n == 0)
			clock_gettime(CLOCK_MONOTONIC, &first);
		serve(app, &h[n]);
		n++;
		if (!store_batch_pending(app->store)) {
			answer_all(app, h, n);
			n = 0;
		}
	}
	answer_all(app, h, n);
	log_flush(app->held);
	store_batch(app->store, false);
	if (ep != -1)
		close(ep);
}

int
main(void)
{
	static struct fcgi_setup setup;
	static struct held	 h[BATCH_MAX];
	static struct log_held	 held;
	struct app		 app;

	if (fcgi_setup_open(&setup, "keyfield-survey", &h[0].rq) == -1)
		return 1;
	memset(&app, 0, sizeof(app));
	app.store = setup.store;
	app.forms = setup.forms;
	app.nforms = setup.nforms;
	app.base_url = setup.conf.base_url;
	app.conf = &setup.conf;
	buf_init(&app.body, REQ_BODY_MAX);
	buf_init(&app.page, PAGE_BODY_MAX);
	for (size_t i = 1; i < BATCH_MAX; i++)
		FCGX_InitRequest(&h[i].rq, 0, 0);
	if (FCGX_IsCGI())
		/* One request at a time. */
		while (fcgi_accept(&h[0].rq)) {
			serve(&app, &h[0]);
			answer(&app, &h[0], false);
		}
	else {
		app.held = &held;
		serve_batches(&app, h);
	}
	buf_free(&app.body);
	buf_free(&app.page);
	fcgi_setup_close(&setup);
	return 0;
}
