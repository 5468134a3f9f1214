/*
 * admin: the coordinators' FastCGI program (keyfield-admin), everything
 * under /admin/. Reads each request, signs coordinators in and out,
 * checks the session, CSRF token and Origin, routes, and sends. Never
 * logs a password, a token or a session id.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>

#include "admin/console.h"
#include "base/auth.h"
#include "app/campaign.h"
#include "app/fcgi.h"
#include "base/conf.h"
#include "base/html.h"
#include "base/log.h"
#include "store/responses.h"
#include "store/sessions.h"

#define COOKIE			"kf_admin"
#define COOKIE_TLS		"__Host-kf_admin"
#define LOGIN_COOKIE		"kf_admin_login"
#define LOGIN_COOKIE_TLS	"__Host-kf_admin_login"
#define LOGIN_COOKIE_AGE	3600	/* s a sign-in form stays valid */
#define TOUCH_EVERY		60	/* seconds between seen_at updates */
#define MULTIPART_PARTS_MAX	16

struct app {
	struct store		*store;
	struct page_form	*forms;
	size_t			 nforms;
	const char		*base_url;
	char			 dummy_hash[128];	/* for unknown names */
};

static struct app app;

/* Copy the path segment at *s (up to '/' or the end) into out. */
static bool
segment(const char **s, char *out, size_t outsz)
{
	size_t	 n = strcspn(*s, "/");

	if (n == 0 || n >= outsz)
		return false;
	memcpy(out, *s, n);
	out[n] = '\0';
	*s += n;
	return true;
}

static const char *
cookie_name(const struct req *r)
{
	return r->https ? COOKIE_TLS : COOKIE;
}

static const char *
login_cookie_name(const struct req *r)
{
	return r->https ? LOGIN_COOKIE_TLS : LOGIN_COOKIE;
}

/* Set cookie name=value (value "" and age 0 to delete it). */
static int
set_cookie(struct page *p, const struct req *r, const char *name,
    const char *value, int age)
{
	char	 c[256];

	snprintf(c, sizeof(c), "%s=%s; Path=%s; HttpOnly; SameSite=Strict; "
	    "Max-Age=%d%s", name, value, r->https ? "/" : "/admin/", age,
	    r->https ? "; Secure" : "");
	return page_header(p, "Set-Cookie", c);
}

/* Look up the session cookie; ended or expired sessions are deleted. */
static int
session_load(struct admin_ctx *ctx)
{
	int64_t		 now = (int64_t)time(NULL);
	int		 rc;

	rc = page_session_find(ctx->store, ctx->req, cookie_name(ctx->req),
	    "coordinator", ADMIN_IDLE, ADMIN_MAX_AGE, ctx->session_hash,
	    &ctx->session);
	if (rc != 0)
		return rc == 1 ? 0 : -1;
	rc = store_coordinator_by_id(ctx->store, ctx->session.subject_id,
	    &ctx->who);
	if (rc == -1)
		return -1;
	if (rc == 1 || ctx->who.disabled)
		return store_session_delete(ctx->store, ctx->session_hash);
	if (now - ctx->session.seen_at > TOUCH_EVERY &&
	    store_session_touch(ctx->store, ctx->session_hash) == -1)
		return -1;
	snprintf(ctx->actor, sizeof(ctx->actor), "coordinator:%s",
	    ctx->who.username);
	ctx->has_session = true;
	return 0;
}

/* GET /admin/login: a fresh login token in a cookie and in the form. */
static int
login_page(struct admin_ctx *ctx, struct page *p, int status,
    const char *message, const char *username)
{
	char	 token[AUTH_TOKEN_LEN + 1];

	auth_token_new(token);
	if (set_cookie(p, ctx->req, login_cookie_name(ctx->req), token,
	    LOGIN_COOKIE_AGE) == -1)
		return -1;
	return admin_login_form(p, ctx, status, message, username, token);
}

struct login {
	const char	*username;
	int64_t		 coordinator_id;
	int64_t		 now;
	bool		 ok;
	unsigned char	 sid_hash[AUTH_HASH_BYTES];
	char		 csrf[AUTH_TOKEN_LEN + 1];
	const unsigned char *old_hash;	/* a session to end, or NULL */
};

static int
login_txn(struct store *s, void *arg)
{
	struct login	*l = arg;
	char		 actor[STORE_CODE_MAX + 16];

	if (!l->ok)
		return store_login_failure_add(s, l->username, l->now);
	snprintf(actor, sizeof(actor), "coordinator:%s", l->username);
	if (store_login_failures_clear(s, l->username) == -1 ||
	    (l->old_hash != NULL &&
	    store_session_delete(s, l->old_hash) == -1) ||
	    store_session_add(s, l->sid_hash, "coordinator",
	    l->coordinator_id, l->csrf) == -1)
		return -1;
	return store_audit(s, actor, "coordinator.login", actor, "");
}

/* POST /admin/login. */
static int
login_post(struct admin_ctx *ctx, struct page *p)
{
	const struct req *r = ctx->req;
	struct store_coordinator c;
	struct login	 l;
	const char	*token, *cookie, *password;
	char		 username[ADMIN_USER_MAX + 1], sid[AUTH_TOKEN_LEN + 1];
	char		 retry[32];
	int64_t		 wait;
	int		 rc;

	token = req_field(r, "csrf");
	cookie = req_cookie(r, login_cookie_name(r));
	if (token == NULL || cookie == NULL || !auth_token_valid(cookie) ||
	    !auth_equal(token, cookie) || (r->origin != NULL &&
	    strcmp(r->origin, "null") != 0 && ctx->self_origin != NULL &&
	    strcmp(r->origin, ctx->self_origin) != 0))
		return login_page(ctx, p, 403, "This sign-in form has expired "
		    "or did not come from this site. Please sign in again.",
		    "");
	admin_field(ctx, "username", username, sizeof(username));
	password = req_field(r, "password");
	if (*username == '\0' || password == NULL || *password == '\0')
		return login_page(ctx, p, 422, "Enter your username and "
		    "password.", username);
	if (!req_text_ok(username, ADMIN_USER_MAX) ||
	    strlen(password) > ADMIN_PASSWORD_MAX)
		return login_page(ctx, p, 403, "The username or password is "
		    "not right.", "");
	memset(&l, 0, sizeof(l));
	l.username = username;
	l.now = (int64_t)time(NULL);
	rc = store_login_locked(ctx->store, username, l.now,
	    ADMIN_LOCK_WINDOW, ADMIN_LOCK_FAILURES, &wait);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		snprintf(retry, sizeof(retry), "%" PRId64, wait);
		if (page_header(p, "Retry-After", retry) == -1)
			return -1;
		return login_page(ctx, p, 429, "Too many failed sign-ins for "
		    "this account. It is locked for 15 minutes after the "
		    "last failures; try again later.", username);
	}
	if ((rc = store_coordinator_get(ctx->store, username, &c)) == -1)
		return -1;
	if (rc == 0 && !c.disabled)
		l.ok = auth_password_check(c.password_hash, password);
	else
		/* The same work for unknown names: no timing difference. */
		(void)auth_password_check(app.dummy_hash, password);
	if (l.ok) {
		auth_token_new(sid);
		auth_token_new(l.csrf);
		auth_token_hash(sid, l.sid_hash);
		l.coordinator_id = c.id;
		if (ctx->has_session)
			l.old_hash = ctx->session_hash;
	}
	if (store_write(ctx->store, login_txn, &l) != 0)
		return -1;
	if (!l.ok) {
		log_info("sign-in refused");
		return login_page(ctx, p, 403, "The username or password is "
		    "not right.", username);
	}
	if (set_cookie(p, r, cookie_name(r), sid, ADMIN_MAX_AGE) == -1 ||
	    set_cookie(p, r, login_cookie_name(r), "", 0) == -1)
		return -1;
	return page_redirect(p, "/admin/");
}

static int
logout(struct admin_ctx *ctx, struct page *p)
{
	if (store_session_delete(ctx->store, ctx->session_hash) == -1 ||
	    set_cookie(p, ctx->req, cookie_name(ctx->req), "", 0) == -1)
		return -1;
	return page_redirect(p, "/admin/login?signed-out=1");
}

/* Our own pages' POSTs only: Origin and the session's CSRF token. */
static bool
post_allowed(const struct admin_ctx *ctx)
{
	return page_post_allowed(ctx->req, ctx->self_origin != NULL ?
	    ctx->self_origin : ctx->base_url, ctx->session.csrf);
}

/* /admin/c/SLUG/partners[/ID[/VERB]], rest after "partners". */
static int
route_partners(struct admin_ctx *ctx, struct page *p, const char *slug,
    const char *rest, bool post)
{
	char		 verb[32];
	int64_t		 id;

	if (*rest == '\0')
		return post ? admin_partner_add(ctx, p, slug) :
		    admin_partners(ctx, p, slug);
	if (*rest++ != '/' || !page_parse_id(&rest, &id))
		return 1;
	if (*rest == '\0')
		return post ? 1 : admin_partner(ctx, p, slug, id);
	if (!post || *rest++ != '/' || !segment(&rest, verb, sizeof(verb)) ||
	    *rest != '\0')
		return 1;
	return admin_partner_post(ctx, p, slug, id, verb);
}

/* /admin/c/SLUG[/WHAT[/ID[/VERB]]] */
static int
route_campaign(struct admin_ctx *ctx, struct page *p, const char *rest,
    bool post)
{
	char		 slug[CAMPAIGN_SLUG_MAX + 1], what[32], verb[32];
	int64_t		 id = 0;

	if (!segment(&rest, slug, sizeof(slug)) || !campaign_slug_ok(slug))
		return 1;
	if (*rest == '\0')
		return post ? 1 : admin_campaign(ctx, p, slug);
	if (*rest++ != '/' || !segment(&rest, what, sizeof(what)))
		return 1;
	if (strcmp(what, "partners") == 0)
		return route_partners(ctx, p, slug, rest, post);
	if (*rest == '\0') {
		if (!post && strcmp(what, "dashboard") == 0)
			return admin_dashboard(ctx, p, slug);
		if (!post)
			return 1;
		if (strcmp(what, "close") == 0 || strcmp(what, "open") == 0 ||
		    strcmp(what, "cities") == 0 ||
		    strcmp(what, "fields") == 0 ||
		    strcmp(what, "experts") == 0)
			return admin_campaign_post(ctx, p, slug, what, 0,
			    NULL);
		return 1;
	}
	if (*rest++ != '/')
		return 1;
	if (strcmp(what, "export") == 0 && !post &&
	    segment(&rest, verb, sizeof(verb)) && *rest == '\0')
		return admin_export(ctx, p, slug, verb);
	if (post && strcmp(rest, "import") == 0) {
		if (strcmp(what, "fields") == 0)
			return admin_import_fields(ctx, p, slug);
		if (strcmp(what, "experts") == 0)
			return admin_import_experts(ctx, p, slug);
		return 1;
	}
	if (!post || !page_parse_id(&rest, &id))
		return 1;
	if (*rest == '\0' && (strcmp(what, "cities") == 0 ||
	    strcmp(what, "fields") == 0))
		return admin_campaign_post(ctx, p, slug, what, id, NULL);
	if (*rest++ != '/' || strcmp(what, "experts") != 0 ||
	    !segment(&rest, verb, sizeof(verb)) || *rest != '\0')
		return 1;
	if (strcmp(verb, "assign") == 0 || strcmp(verb, "link") == 0 ||
	    strcmp(verb, "revoke") == 0)
		return admin_campaign_post(ctx, p, slug, what, id, verb);
	return 1;
}

/* /admin/r/ID[/print|/withdraw] */
static int
route_response(struct admin_ctx *ctx, struct page *p, const char *rest,
    bool post)
{
	int64_t	 id;

	if (!page_parse_id(&rest, &id))
		return 1;
	if (*rest == '\0' && !post)
		return admin_response(ctx, p, id);
	if (strcmp(rest, "/print") == 0 && !post)
		return admin_response_print(ctx, p, id);
	if (strcmp(rest, "/withdraw") == 0 && post)
		return admin_response_withdraw(ctx, p, id);
	return 1;
}

static int
route(struct admin_ctx *ctx, struct page *p)
{
	const struct req *r = ctx->req;
	const char	*path = r->path;
	bool		 post = r->method == REQ_POST;
	int		 rc;

	if (r->method == REQ_OTHER)
		return admin_error(p, ctx, 405, "Method not allowed",
		    "This address accepts only GET and POST.");
	p->personal = true;
	if (session_load(ctx) == -1)
		return -1;
	if (strcmp(path, "/admin/login") == 0)
		return post ? login_post(ctx, p) : login_page(ctx, p, 200,
		    req_field(r, "signed-out") != NULL ?
		    "You are signed out." : NULL, "");
	if (!ctx->has_session) {
		if (post)
			return admin_error(p, ctx, 403, "Please sign in",
			    "Your session has ended, so this form was not "
			    "accepted. Nothing was changed. Sign in and send "
			    "it again.");
		return page_redirect(p, "/admin/login");
	}
	if (post && !post_allowed(ctx))
		return admin_error(p, ctx, 403, "Form expired",
		    "This form could not be accepted because it did not come "
		    "from this site or has expired. Nothing was changed. Go "
		    "back, reload the page, and send it again.");
	if (strcmp(path, "/admin/") == 0 && !post)
		return admin_campaigns(ctx, p);
	if (strcmp(path, "/admin/campaigns") == 0 && post)
		return admin_campaign_create(ctx, p);
	if (strcmp(path, "/admin/logout") == 0 && post)
		return logout(ctx, p);
	rc = 1;
	if (strncmp(path, "/admin/c/", 9) == 0)
		rc = route_campaign(ctx, p, path + 9, post);
	else if (strncmp(path, "/admin/r/", 9) == 0)
		rc = route_response(ctx, p, path + 9, post);
	if (rc != 1)
		return rc;
	return admin_error(p, ctx, 404, "Page not found",
	    "There is no page at this address.");
}

/* The first n2 bytes at needle within hay[0..n1), or NULL. */
static const char *
find(const char *hay, size_t n1, const char *needle, size_t n2)
{
	for (size_t i = 0; n2 <= n1 && i <= n1 - n2; i++)
		if (memcmp(hay + i, needle, n2) == 0)
			return hay + i;
	return NULL;
}

/* Percent-encode s[0..n) for a urlencoded body. */
static int
urlencode(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char	 c;

	for (size_t i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			if (buf_putc(out, (char)c) == -1)
				return -1;
		} else if (buf_putc(out, '%') == -1 ||
		    buf_putc(out, hex[c >> 4]) == -1 ||
		    buf_putc(out, hex[c & 15]) == -1)
			return -1;
	}
	return 0;
}

/*
 * A multipart/form-data body (the CSV upload forms) as the urlencoded
 * body req_parse reads: 0, 400 when malformed, 413 when too large.
 */
static int
multipart(const char *ctype, const char *body, size_t len, struct buf *out)
{
	char		 delim[80];
	const char	*b, *p, *end = body + len, *hdr_end, *next, *name;
	size_t		 blen, nlen;
	int		 parts = 0;

	if ((b = strstr(ctype, "boundary=")) == NULL)
		return 400;
	b += 9;
	if (*b == '"')
		b++;
	blen = strcspn(b, "\";, ");
	if (blen == 0 || blen > 70)
		return 400;
	snprintf(delim, sizeof(delim), "\r\n--%.*s", (int)blen, b);
	/* The first delimiter has no CRLF before it. */
	if (len < blen + 2 || memcmp(body, delim + 2, blen + 2) != 0)
		return 400;
	p = body + blen + 2;
	for (;;) {
		if (end - p >= 2 && memcmp(p, "--", 2) == 0)
			return parts > 0 ? 0 : 400;
		if (end - p < 2 || memcmp(p, "\r\n", 2) != 0 ||
		    ++parts > MULTIPART_PARTS_MAX)
			return 400;
		p += 2;
		if ((hdr_end = find(p, (size_t)(end - p), "\r\n\r\n", 4)) ==
		    NULL)
			return 400;
		name = find(p, (size_t)(hdr_end - p), "name=\"", 6);
		if (name == NULL)
			return 400;
		name += 6;
		nlen = strcspn(name, "\"");
		if (name + nlen >= hdr_end)
			return 400;
		p = hdr_end + 4;
		if ((next = find(p, (size_t)(end - p), delim,
		    strlen(delim))) == NULL)
			return 400;
		if ((out->len > 0 && buf_putc(out, '&') == -1) ||
		    urlencode(out, name, nlen) == -1 ||
		    buf_putc(out, '=') == -1 ||
		    urlencode(out, p, (size_t)(next - p)) == -1)
			return 413;
		p = next + strlen(delim);
	}
}

/* envp with CONTENT_TYPE replaced by the urlencoded type. */
static char **
envp_urlencoded(char **envp)
{
	static char	 type[] = "CONTENT_TYPE=application/x-www-form-urlencoded";
	char		**v;
	size_t		 n = 0;

	while (envp[n] != NULL)
		n++;
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = strncmp(envp[i], "CONTENT_TYPE=", 13) == 0 ? type :
		    envp[i];
	return v;
}

/* Stream a download: its headers, then the file. 0 or -1. */
static int
send_file(struct admin_ctx *ctx, FCGX_Request *rq)
{
	char	 chunk[16384];
	long	 size;
	size_t	 n;

	if (fflush(ctx->download) != 0 ||
	    fseek(ctx->download, 0, SEEK_END) != 0 ||
	    (size = ftell(ctx->download)) < 0 ||
	    fseek(ctx->download, 0, SEEK_SET) != 0) {
		log_err("download: %s", strerror(errno));
		return -1;
	}
	FCGX_FPrintF(rq->out, "Status: 200 OK\r\nCache-Control: no-store\r\n"
	    "Content-Type: %s\r\nContent-Disposition: attachment; "
	    "filename=\"%s\"\r\nContent-Length: %ld\r\n\r\n",
	    ctx->download_type, ctx->download_name, size);
	while ((n = fread(chunk, 1, sizeof(chunk), ctx->download)) > 0)
		if (FCGX_PutStr(chunk, (int)n, rq->out) < 0)
			break;
	return 0;
}

static void
serve(FCGX_Request *rq)
{
	struct req	 r;
	struct page	 p;
	struct admin_ctx ctx;
	struct buf	 body, form, out;
	struct timespec	 t0;
	const char	*ctype;
	char		**envp = NULL;
	int		 status = 0, rc;
	bool		 sent = false;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&r, 0, sizeof(r));
	page_init(&p);
	buf_init(&body, REQ_BODY_MAX);
	buf_init(&form, REQ_BODY_MAX);
	buf_init(&out, PAGE_HEADERS_MAX + 256);	/* the head: the body is
						 * sent from p as it is */
	memset(&ctx, 0, sizeof(ctx));
	ctx.req = &r;
	ctx.store = app.store;
	ctx.forms = app.forms;
	ctx.nforms = app.nforms;
	ctx.base_url = app.base_url;
	ctx.self_origin = FCGX_GetParam("KEYFIELD_ORIGIN", rq->envp);

	status = fcgi_read_body(rq, &body);
	ctype = FCGX_GetParam("CONTENT_TYPE", rq->envp);
	if (status == 0 && ctype != NULL &&
	    strncmp(ctype, "multipart/form-data", 19) == 0) {
		status = multipart(ctype, body.data != NULL ? body.data : "",
		    body.len, &form);
		if (status == 0 && (envp = envp_urlencoded(rq->envp)) == NULL)
			status = 500;
	}
	if (status == 413) {
		rc = admin_error(&p, &ctx, 413, "Too much text",
		    "What you sent is larger than this console accepts "
		    "(256 KB in all; 64 KB for a CSV file). Nothing was "
		    "changed.");
	} else if (status == 500) {
		rc = -1;
	} else if (status != 0) {
		rc = admin_error(&p, &ctx, 400, "Bad request",
		    "The request could not be read.");
	} else if ((rc = req_parse(&r, envp != NULL ? envp : rq->envp,
	    envp != NULL ? form.data : body.data,
	    envp != NULL ? form.len : body.len)) != REQ_OK) {
		if (rc > 0)
			rc = admin_error(&p, &ctx, req_status_code(rc),
			    "The form could not be read",
			    req_status_text(rc));
	} else if (strcmp(r.path, "/admin/admin.css") == 0 &&
	    r.method != REQ_POST) {
		rc = buf_puts(&p.body, admin_css);
		p.content_type = "text/css; charset=utf-8";
	} else
		rc = route(&ctx, &p);
	if (rc == 0 && ctx.download != NULL)
		sent = send_file(&ctx, rq) == 0;
	if (rc == -1 || (ctx.download != NULL && !sent)) {
		page_free(&p);
		page_init(&p);
		admin_error(&p, &ctx, 500, "Something went wrong on our side",
		    "Nothing was lost: go back and try again in a moment. "
		    "The problem has been logged.");
	}
	if (ctx.download != NULL)
		fclose(ctx.download);
	if (!sent)
		fcgi_send_page(rq, &p, &out);
	fcgi_log_request(rq, r.path, sent ? 200 : p.status, &t0, NULL);
	free(envp);
	req_free(&r);
	page_free(&p);
	buf_free(&body);
	buf_free(&form);
	buf_free(&out);
}

int
main(void)
{
	static struct fcgi_setup setup;
	FCGX_Request	 rq;

	if (fcgi_setup_open(&setup, "keyfield-admin", &rq) == -1)
		return 1;
	app.store = setup.store;
	app.forms = setup.forms;
	app.nforms = setup.nforms;
	app.base_url = setup.conf.base_url;
	if (auth_password_hash("not a password of anyone", app.dummy_hash,
	    sizeof(app.dummy_hash)) == -1) {
		log_err("auth_password_hash failed");
		return 1;
	}
	while (FCGX_Accept_r(&rq) >= 0) {
		serve(&rq);
		FCGX_Finish_r(&rq);
	}
	fcgi_setup_close(&setup);
	return 0;
}
