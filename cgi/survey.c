/*
 * survey: the experts' FastCGI program (keyfield-survey). Reads each
 * request, checks the session and CSRF token, routes to a page, and sends
 * it. Never trusts a path, a cookie or a field it has not checked.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>

#include "auth.h"
#include "fcgi.h"
#include "conf.h"
#include "html.h"
#include "log.h"
#include "page.h"

#define SESSION_COOKIE		"kf_session"
#define SESSION_COOKIE_TLS	"__Host-kf_session"
#define SESSION_TOUCH_EVERY	60	/* seconds between seen_at updates */
#define KEEP_MAX	(256 * 1024)	/* bytes of buffer kept between requests */

struct app {
	struct store		*store;
	struct page_form	*forms;
	size_t			 nforms;
	const char		*base_url;
	/*
	 * The request body's and the page body's memory, kept from one
	 * request to the next (up to KEEP_MAX each) instead of grown from
	 * 256 bytes by doubling on every request.
	 */
	struct buf		 body, page;
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

static const char *
cookie_name(const struct req *r)
{
	return r->https ? SESSION_COOKIE_TLS : SESSION_COOKIE;
}

/* Look up the session cookie; expired sessions are deleted. 0 or -1. */
static int
session_load(struct page_ctx *ctx)
{
	int64_t		 now = (int64_t)time(NULL);
	int		 rc;

	rc = page_session_find(ctx->store, ctx->req, cookie_name(ctx->req),
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

/* /i/TOKEN: start a session for the invited expert, then 303 to /. */
static int
invitation(struct page_ctx *ctx, struct page *p, const char *token)
{
	unsigned char	 hash[32], sid_hash[32];
	char		 sid[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1];
	char		 cookie[256];
	int64_t		 expert_id;
	int		 rc;

	if (!auth_token_valid(token))
		goto unknown;
	auth_token_hash(token, hash);
	if ((rc = store_expert_by_token(ctx->store, hash, &expert_id)) == -1)
		return -1;
	if (rc == 1)
		goto unknown;
	auth_token_new(sid);
	auth_token_new(csrf);
	auth_token_hash(sid, sid_hash);
	if (store_session_add(ctx->store, sid_hash, "expert", expert_id,
	    csrf) == -1)
		return -1;
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Lax; Max-Age=%d%s", cookie_name(ctx->req), sid,
	    PAGE_SESSION_MAX, ctx->req->https ? "; Secure" : "");
	p->personal = true;
	if (page_header(p, "Set-Cookie", cookie) == -1)
		return -1;
	return page_redirect(p, "/");
unknown:
	/* The same page whatever the reason: unknown, revoked, malformed. */
	return page_error(p, 404, "Invitation not found",
	    "This invitation link is not valid. It may have been replaced "
	    "or withdrawn; please ask your coordinator for a new one.");
}

static int
logout(struct page_ctx *ctx, struct page *p)
{
	char	 cookie[128];

	if (store_session_delete(ctx->store, ctx->session_hash) == -1)
		return -1;
	snprintf(cookie, sizeof(cookie), "%s=; Path=/; HttpOnly; "
	    "SameSite=Lax; Max-Age=0%s", cookie_name(ctx->req),
	    ctx->req->https ? "; Secure" : "");
	if (page_header(p, "Set-Cookie", cookie) == -1)
		return -1;
	return page_error(p, 200, "Signed out",
	    "You are signed out on this device. Your invitation link "
	    "signs you in again.");
}

/* Our own pages' POSTs only: Origin and the session's CSRF token. */
static bool
post_allowed(const struct page_ctx *ctx)
{
	return page_post_allowed(ctx->req, ctx->self_origin != NULL ?
	    ctx->self_origin : ctx->base_url, ctx->session.csrf);
}

static int
route(struct page_ctx *ctx, struct page *p)
{
	const struct req *r = ctx->req;
	const char	*path = r->path, *rest;
	int64_t		 id, version;
	bool		 post = r->method == REQ_POST;

	if (r->method == REQ_OTHER)
		return page_error(p, 405, "Method not allowed",
		    "This address accepts only GET and POST.");
	if (strncmp(path, "/i/", 3) == 0 && !post)
		return invitation(ctx, p, path + 3);
	if (session_load(ctx) == -1)
		return -1;
	p->personal = true;
	if (!ctx->has_session)
		return page_error(p, 403, "Please open your invitation link",
		    "This page needs your personal invitation link. Your "
		    "session may have ended: open the link from your "
		    "invitation e-mail again.");
	if (post && !post_allowed(ctx))
		return page_error(p, 403, "Form expired",
		    "This form could not be accepted because it did not come "
		    "from this site or has expired. Nothing was saved. Go "
		    "back, reload the page, and send it again.");
	if (strcmp(path, "/") == 0 && !post)
		return page_home(ctx, p);
	if (strcmp(path, "/logout") == 0 && post)
		return logout(ctx, p);
	if (strncmp(path, "/card/", 6) == 0) {
		rest = path + 6;
		if (!page_parse_id(&rest, &id))
			goto notfound;
		if (*rest == '\0')
			return post ? page_card_post(ctx, p, id) :
			    page_card(ctx, p, id);
		if (strcmp(rest, "/submitted") == 0 && !post)
			return page_card_done(ctx, p, id);
		if (strncmp(rest, "/v/", 3) == 0 && !post) {
			rest += 3;
			if (page_parse_id(&rest, &version) && *rest == '\0' &&
			    version <= 1000000)
				return page_card_version(ctx, p, id,
				    (int)version);
		}
	}
notfound:
	return page_error(p, 404, "Page not found",
	    "There is no page at this address.");
}

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

static void
serve(struct app *app, FCGX_Request *rq)
{
	struct req	 r;
	struct page	 p;
	struct page_ctx	 ctx;
	struct buf	 body, out;
	struct timespec	 t0;
	int		 status = 0, rc;
	bool		 reading;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&r, 0, sizeof(r));
	page_init(&p);
	keep_take(&app->page, &p.body, PAGE_BODY_MAX);
	keep_take(&app->body, &body, REQ_BODY_MAX);
	buf_init(&out, PAGE_HEADERS_MAX + 256);
	memset(&ctx, 0, sizeof(ctx));
	ctx.req = &r;
	ctx.store = app->store;
	ctx.forms = app->forms;
	ctx.nforms = app->nforms;
	ctx.base_url = app->base_url;
	ctx.self_origin = FCGX_GetParam("KEYFIELD_ORIGIN", rq->envp);

	status = fcgi_read_body(rq, &body);
	if (status == 413) {
		rc = page_error(&p, 413, "Too much text",
		    "Your answers were larger than this site accepts "
		    "(256 KB in all). Nothing was saved. Go back, shorten "
		    "the longest answers, and try again.");
	} else if (status != 0) {
		rc = page_error(&p, 400, "Bad request",
		    "The request could not be read.");
	} else if ((rc = req_parse(&r, rq->envp, body.data, body.len)) !=
	    REQ_OK) {
		if (rc > 0)
			rc = page_error(&p, req_status_code(rc),
			    "The form could not be read",
			    req_status_text(rc));
	} else {
		/* The session and the page it shows: one snapshot. */
		reading = store_read_begin(ctx.store);
		rc = route(&ctx, &p);
		store_read_end(ctx.store, reading);
	}
	if (rc == -1) {
		page_free(&p);
		page_init(&p);
		/* Environment failure (disk, database): nothing was stored. */
		page_error(&p, 503, "Not saved: please try again",
		    "We could not complete this just now, and nothing was "
		    "stored. Go back (your browser still has what you typed) "
		    "and try again in a minute. The problem has been logged.");
		page_header(&p, "Retry-After", "30");
	}
	fcgi_send_page(rq, &p, &out);
	fcgi_log_request(rq, log_path(r.path), p.status, &t0);
	req_free(&r);
	keep_give(&app->page, &p.body, PAGE_BODY_MAX);
	page_free(&p);
	keep_give(&app->body, &body, REQ_BODY_MAX);
	buf_free(&out);
}

int
main(void)
{
	static struct fcgi_setup setup;
	struct app	 app;
	FCGX_Request	 rq;

	if (fcgi_setup_open(&setup, "keyfield-survey", &rq) == -1)
		return 1;
	memset(&app, 0, sizeof(app));
	app.store = setup.store;
	app.forms = setup.forms;
	app.nforms = setup.nforms;
	app.base_url = setup.conf.base_url;
	buf_init(&app.body, REQ_BODY_MAX);
	buf_init(&app.page, PAGE_BODY_MAX);
	while (FCGX_Accept_r(&rq) >= 0) {
		serve(&app, &rq);
		FCGX_Finish_r(&rq);
	}
	buf_free(&app.body);
	buf_free(&app.page);
	fcgi_setup_close(&setup);
	return 0;
}
