/*
 * admin: the coordinators' FastCGI program (keyfield-admin), everything
 * under /admin/. Reads each request, signs coordinators in and out,
 * checks the session, CSRF token and Origin, routes, and sends. Never
 * logs a password, a token or a session id.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>

#include "admin/console.h"
#include "base/auth.h"
#include "base/buf.h"
#include "app/campaign.h"
#include "app/fcgi.h"
#include "app/route.h"
#include "base/conf.h"
#include "base/html.h"
#include "base/limit.h"
#include "base/i18n.h"
#include "base/log.h"
#include "store/responses.h"
#include "store/sessions.h"

#define COOKIE			"kf_admin"
#define COOKIE_TLS		"__Host-kf_admin"
#define LOGIN_COOKIE		"kf_admin_login"
#define LOGIN_COOKIE_TLS	"__Host-kf_admin_login"
#define LOGIN_COOKIE_AGE	3600	/* s a sign-in form stays valid */
#define TOUCH_EVERY		60	/* seconds between seen_at updates */
/* A Set-Cookie value: the longest name, a token, every attribute. */
#define SET_COOKIE_SZ		(sizeof(LOGIN_COOKIE_TLS) + AUTH_TOKEN_LEN + \
	sizeof("=; Path=/admin/; HttpOnly; SameSite=Strict; " \
	"Max-Age=-2147483648; Secure"))

_Static_assert(INT_MAX == 2147483647, "SET_COOKIE_SZ holds a Max-Age");
_Static_assert(sizeof("coordinator:") - 1 + STORE_CODE_MAX <=
    sizeof(((struct admin_ctx *)0)->actor), "actor holds any username");

struct app {
	struct store		*store;
	struct page_form	*forms;
	size_t			 nforms;
	const char		*base_url;
	const struct conf	*conf;
	char			 dummy_hash[128];	/* for unknown names */
};

static struct app app;

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

/*
 * Set cookie name=value (value "" and age 0 to delete it): a write into
 * the page's headers, whose failure is sticky as the body's. Never cut:
 * name is one of ours and value a token (both asserted), which
 * SET_COOKIE_SZ holds with every attribute.
 */
static int
set_cookie(struct page *p, const struct req *r, const char *name,
    const char *value, int age)
{
	char	 c[SET_COOKIE_SZ];
	int	 cut;

	assert(strlen(name) < sizeof(LOGIN_COOKIE_TLS));
	assert(strlen(value) <= AUTH_TOKEN_LEN);
	cut = buf_fmt(c, sizeof(c), "%s=%s; Path=%s; HttpOnly; "
	    "SameSite=Strict; Max-Age=%d%s", name, value,
	    r->https ? "/" : "/admin/", age, r->https ? "; Secure" : "");
	assert(cut == 0);
	(void)cut;
	return page_header(p, "Set-Cookie", c);
}

/* Look up the session cookie; ended or expired sessions are deleted. */
/*
 * The console's language: the one Accept-Language asks for among those
 * the programs have, else English; session_load puts the signed-in
 * coordinator's own choice (coordinators.lang) in its place.
 */
static const struct lang *
console_lang(char *const *envp)
{
	const char	*offered[I18N_LANGS_MAX + 1];
	size_t		 n = 0;

	offered[n++] = "en";
	for (size_t i = 0; i18n_sources[i].code != NULL &&
	    n < I18N_LANGS_MAX + 1; i++)
		offered[n++] = i18n_sources[i].code;
	return i18n_lang(i18n_accept(req_env(envp, "HTTP_ACCEPT_LANGUAGE"),
	    offered, n, "en"));
}

static int
session_load(struct admin_ctx *ctx)
{
	int64_t		 now = (int64_t)time(NULL);
	int		 rc, cut;

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
	/* Never cut: actor has room for the prefix and any username. */
	cut = buf_fmt(ctx->actor, sizeof(ctx->actor), "coordinator:%s",
	    ctx->who.username);
	assert(cut == 0);
	(void)cut;
	ctx->has_session = true;
	if (ctx->who.lang[0] != '\0' && i18n_known(ctx->who.lang))
		ctx->lang = i18n_lang(ctx->who.lang);
	return 0;
}

/* GET /admin/login: a fresh login token in a cookie and in the form. */
static int
login_page(struct admin_ctx *ctx, struct page *p, int status,
    const char *message, const char *username, const char *keep,
    const char *back)
{
	char	 token[AUTH_TOKEN_LEN + 1];

	auth_token_new(token);
	if (set_cookie(p, ctx->req, login_cookie_name(ctx->req), token,
	    LOGIN_COOKIE_AGE) == -1)
		return -1;
	return admin_login_form(p, ctx, status, message, username, token,
	    keep, back);
}

struct login {
	const char	*username;
	const char	*addr;		/* the client's, "" when unknown */
	int64_t		 coordinator_id;
	int64_t		 now;
	bool		 ok;
	unsigned char	 sid_hash[AUTH_HASH_BYTES];
	char		 csrf[AUTH_TOKEN_LEN + 1];
	const unsigned char *old_hash;	/* a session to end, or NULL */
	const struct lang *lang;	/* hers: of the notice */
};

/*
 * Tell the coordinator signing in of the failures since her last sign-in
 * ("12 failed sign-in attempts from 2 addresses since ...", shown on
 * every console page of this session), and log them. 0 or -1.
 */
static int
login_notice(struct store *s, const struct login *l)
{
	struct store_login_failures f;
	char		 notice[STORE_LOGIN_NOTICE_MAX], iso[32];
	char		 since[I18N_DATE_MAX];
	char		 n1[STORE_LOGIN_NOTICE_MAX], n2[STORE_LOGIN_NOTICE_MAX];
	struct tm	 tm;
	time_t		 first;

	if (store_login_success(s, l->username, l->addr, &f) == -1)
		return -1;
	*notice = '\0';
	if (f.n > 0) {
		first = (time_t)f.first;
		gmtime_r(&first, &tm);
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%MZ", &tm);
		i18n_time(l->lang, iso, since);
		admin_trf(n1, sizeof(n1), trn(l->lang, "%ld failed sign-in "
		    "attempt", "%ld failed sign-in attempts", (unsigned long)
		    f.n), (long)f.n);
		admin_trf(n2, sizeof(n2), trn(l->lang, "from %ld address "
		    "since %s.", "from %ld addresses since %s.",
		    (unsigned long)f.naddr), (long)f.naddr, since);
		/* Never cut: two numbers and a date fit. */
		if (buf_fmt(notice, sizeof(notice), "%s %s", n1, n2) == -1)
			return -1;
		log_info("sign-in of %s after %ld failed attempts from %ld "
		    "addresses since %s", l->username, (long)f.n,
		    (long)f.naddr, since);
	}
	return store_coordinator_notice(s, l->coordinator_id, notice);
}

/* Seconds to wait after n failures, the last at last: 0 when none. */
static int64_t
backoff(const struct store_login_failures *f, int64_t free, int64_t now)
{
	int64_t	 wait = ADMIN_LOCK_WINDOW;

	if (f->n < free)
		return 0;
	if (f->n - free < 20)
		wait = (int64_t)1 << (f->n - free);
	if (wait > ADMIN_LOCK_WINDOW)
		wait = ADMIN_LOCK_WINDOW;
	return f->last + wait > now ? f->last + wait - now : 0;
}

/*
 * May username try from addr now? 0 (yes), 1 (no: *wait seconds more,
 * logged), or -1. Only failures from addr count: see ADMIN_LOCK_WINDOW.
 */
static int
throttled(struct store *s, const char *username, const char *addr,
    int64_t now, int64_t *wait)
{
	struct store_login_failures by_name, by_addr;
	int64_t		 a, b;

	if (store_login_failures(s, username, addr, now - ADMIN_LOCK_WINDOW,
	    &by_name) == -1 || store_login_failures(s, NULL, addr,
	    now - ADMIN_LOCK_WINDOW, &by_addr) == -1)
		return -1;
	a = backoff(&by_name, ADMIN_FREE_FAILURES, now);
	b = backoff(&by_addr, ADMIN_ADDR_FREE_FAILURES, now);
	*wait = a > b ? a : b;
	if (*wait > 0)
		log_warn("sign-in of %s from %s held back %" PRId64 " s "
		    "(%" PRId64 " failures of it, %" PRId64 " of any name "
		    "from there in %d s)", username, addr, *wait, by_name.n,
		    by_addr.n, ADMIN_LOCK_WINDOW);
	else if (by_name.n >= ADMIN_FREE_FAILURES ||
	    by_addr.n >= ADMIN_ADDR_FREE_FAILURES)
		log_info("sign-in of %s from %s may try again (%" PRId64
		    " failures in %d s)", username, addr, by_name.n,
		    ADMIN_LOCK_WINDOW);
	return *wait > 0;
}

static int
login_txn(struct store *s, void *arg)
{
	struct login	*l = arg;
	struct store_signin in;
	char		 actor[STORE_CODE_MAX + 16];

	if (!l->ok)
		return store_login_failure_add(s, l->username, l->addr,
		    l->now);
	if (buf_fmt(actor, sizeof(actor), "coordinator:%s",
	    l->username) == -1) {
		log_err("admin: a username over %zu bytes signed in",
		    sizeof(actor) - sizeof("coordinator:"));
		return -1;
	}
	in = (struct store_signin){ .old_hash = l->old_hash,
	    .id_hash = l->sid_hash, .kind = "coordinator",
	    .subject_id = l->coordinator_id, .csrf = l->csrf,
	    .idle = ADMIN_IDLE, .max = ADMIN_MAX_AGE,
	    .keep = ADMIN_SESSIONS_KEEP };
	if (login_notice(s, l) == -1 || store_session_begin(s, &in) == -1)
		return -1;
	return store_audit(s, actor, "coordinator.login", actor, "");
}

/*
 * The 429 page with Retry-After when username may not try from addr now
 * (throttled): 1 (the page made), 0 (she may try), or -1.
 */
static int
held_back(struct admin_ctx *ctx, struct page *p, const char *username,
    const char *addr, int64_t now, const char *back)
{
	char		 retry[32];
	int64_t		 wait;
	int		 rc;

	if ((rc = throttled(ctx->store, username, addr, now, &wait)) != 1)
		return rc;
	/* Never cut: retry has room for any int64_t. */
	rc = buf_fmt(retry, sizeof(retry), "%" PRId64, wait);
	assert(rc == 0);
	if (page_header(p, "Retry-After", retry) == -1 ||
	    login_page(ctx, p, 429, tr(ctx->lang, "Too many failed sign-ins "
	    "from your address. Wait a little (the wait grows with each "
	    "failure, up to 15 minutes) and try again."), username,
	    ADMIN_KEEP_PREFIX, back) == -1)
		return -1;
	return 1;
}

/*
 * The answer to a sign-in that succeeded with session sid: the cookies,
 * then what she typed while signed out (back: its page), or the console.
 */
static int
signed_in(struct admin_ctx *ctx, struct page *p, const char *sid,
    const char *back)
{
	const struct req *r = ctx->req;
	int		 rc;

	set_cookie(p, r, cookie_name(r), sid, ADMIN_MAX_AGE);
	set_cookie(p, r, login_cookie_name(r), "", 0);
	if ((rc = admin_kept_page(p, ctx, 200, tr(ctx->lang, "Signed in"),
	    tr(ctx->lang, "You are signed in. The form you sent while signed "
	    "out was not applied: nothing was changed. What you typed is "
	    "below: copy it, go back to the page and send the form again."),
	    ADMIN_KEEP_PREFIX, back)) != 1)
		return rc;
	return page_redirect(p, "/admin/");
}

/* POST /admin/login. */
static int
login_post(void *arg, struct page *p, const struct route_match *m)
{
	struct admin_ctx *ctx = arg;
	const struct req *r = ctx->req;
	struct store_coordinator c;
	struct login	 l;
	const char	*token, *cookie, *password;
	const char	*back = req_field(r, "back");
	char		 username[AUTH_USER_MAX + 1], sid[AUTH_TOKEN_LEN + 1];
	int		 rc;

	(void)m;
	token = req_field(r, "csrf");
	cookie = req_cookie(r, login_cookie_name(r));
	if (token == NULL || cookie == NULL || !auth_token_valid(cookie) ||
	    !auth_equal(token, cookie) ||
	    !page_origin_ours(r, ctx->self_origin, true))
		return login_page(ctx, p, 403, tr(ctx->lang, "This sign-in "
		    "form has expired or did not come from this site. Please "
		    "sign in again."), "", ADMIN_KEEP_PREFIX, back);
	admin_field(ctx, "username", username, sizeof(username));
	password = req_field(r, "password");
	if (*username == '\0' || password == NULL || *password == '\0')
		return login_page(ctx, p, 422, tr(ctx->lang, "Enter your "
		    "username and password."), username, ADMIN_KEEP_PREFIX,
		    back);
	if (!req_text_ok(username, AUTH_USER_MAX) ||
	    strlen(password) > AUTH_PASSWORD_MAX)
		return login_page(ctx, p, 403, tr(ctx->lang, "The username or "
		    "password is not right."), "", ADMIN_KEEP_PREFIX, back);
	memset(&l, 0, sizeof(l));
	l.username = username;
	l.addr = r->remote_addr != NULL ? r->remote_addr : "";
	l.now = (int64_t)time(NULL);
	if ((rc = held_back(ctx, p, username, l.addr, l.now, back)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = store_coordinator_get(ctx->store, username, &c)) == -1)
		return -1;
	if (rc == 0 && !c.disabled)
		l.ok = auth_password_check(c.password_hash, password);
	else
		/* The same work for unknown names: no timing difference. */
		(void)auth_password_check(app.dummy_hash, password);
	if (l.ok) {
		l.lang = c.lang[0] != '\0' && i18n_known(c.lang) ?
		    i18n_lang(c.lang) : ctx->lang;
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
		return login_page(ctx, p, 403, tr(ctx->lang, "The username or "
		    "password is not right."), username, ADMIN_KEEP_PREFIX,
		    back);
	}
	return signed_in(ctx, p, sid, back);
}

/* GET /admin/login */
static int
login_get(void *arg, struct page *p, const struct route_match *m)
{
	struct admin_ctx *ctx = arg;

	(void)m;
	return login_page(ctx, p, 200, req_field(ctx->req, "signed-out") !=
	    NULL ? tr(ctx->lang, "You are signed out.") : NULL, "", NULL,
	    NULL);
}

/* POST /admin/logout */
static int
logout(void *arg, struct page *p, const struct route_match *m)
{
	struct admin_ctx *ctx = arg;

	(void)m;
	if (store_session_delete(ctx->store, ctx->session_hash) == -1)
		return -1;
	set_cookie(p, ctx->req, cookie_name(ctx->req), "", 0);
	return page_redirect(p, "/admin/login?signed-out=1");
}

struct lang_set {
	const char	*username, *actor, *code;
};

static int
lang_txn(struct store *s, void *arg)
{
	struct lang_set	*l = arg;
	char		 object[STORE_CODE_MAX + 16];
	int		 rc;

	if ((rc = store_coordinator_lang_set(s, l->username, l->code)) != 0)
		return rc;
	if (buf_fmt(object, sizeof(object), "coordinator:%s", l->username) ==
	    -1)
		return -1;
	return store_audit(s, l->actor, "coordinator.lang", object, l->code);
}

/* POST /admin/lang: her console's language (lang=CODE), 303 back. */
static int
lang_post(void *arg, struct page *p, const struct route_match *m)
{
	struct admin_ctx	*ctx = arg;
	const char		*code = req_field(ctx->req, "lang");
	const char		*back = req_field(ctx->req, "back");
	struct lang_set		 l;

	(void)m;
	if (code == NULL || !i18n_known(code))
		return admin_error(p, ctx, 422, tr(ctx->lang, "No such "
		    "language"), tr(ctx->lang, "The console cannot be shown in "
		    "this language. Nothing was changed."));
	l.username = ctx->who.username;
	l.actor = ctx->actor;
	l.code = i18n_code(i18n_lang(code));
	if (store_write(ctx->store, lang_txn, &l) != 0)
		return -1;
	return page_redirect(p, admin_back_ok(back) ? back : "/admin/");
}

/* GET /admin/admin.css */
static int
css(void *arg, struct page *p, const struct route_match *m)
{
	(void)arg;
	(void)m;
	p->content_type = "text/css; charset=utf-8";
	return buf_puts(&p->body, admin_css);
}

/* Any address the table does not have (or not with this method). */
static int
not_found(void *arg, struct page *p, const struct route_match *m)
{
	struct admin_ctx *ctx = arg;

	(void)m;
	return admin_error(p, ctx, 404, tr(ctx->lang, "Page not found"),
	    tr(ctx->lang, "There is no page at this address."));
}

/* The table's handlers of the pages (admin/page-*.c): captures unpacked. */
static int
campaigns(void *ctx, struct page *p, const struct route_match *m)
{
	(void)m;
	return admin_campaigns(ctx, p);
}

static int
campaigns_post(void *ctx, struct page *p, const struct route_match *m)
{
	(void)m;
	return admin_campaign_create(ctx, p);
}

static int
campaign(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_campaign(ctx, p, m->slug);
}

/* POST /admin/c/SLUG/WHAT[/ID[/VERB]] */
static int
campaign_post(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_campaign_post(ctx, p, m->slug, m->word[0],
	    m->nid > 0 ? m->id[0] : 0, m->nword > 1 ? m->word[1] : NULL);
}

static int
expert(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_expert(ctx, p, m->slug, m->id[0]);
}

static int
dashboard(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_dashboard(ctx, p, m->slug);
}

static int
round_start_post(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_round_start(ctx, p, m->slug);
}

static int
mail(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_mail(ctx, p, m->slug);
}

static int
mail_post(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_mail_post(ctx, p, m->slug, m->word[0]);
}

static int
mail_template(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_mail_template(ctx, p, m->slug, m->word[0]);
}

static int
export(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_export(ctx, p, m->slug, m->word[0]);
}

/*
 * An import of the campaign of slug by fn; a refused one is shown on the
 * campaign page again, next to its form.
 */
static int
import(struct admin_ctx *ctx, struct page *p, const char *slug,
    int (*fn)(struct admin_ctx *, struct page *,
    const struct store_campaign *, struct admin_refusal *))
{
	struct store_campaign	 c;
	struct admin_refusal	 r = { 0 };
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	buf_init(&r.problem, ADMIN_PROBLEM_MAX);
	if ((rc = fn(ctx, p, &c, &r)) == 1)
		rc = admin_campaign_again(ctx, p, &c, r.status, r.form,
		    buf_str(&r.problem));
	buf_free(&r.problem);
	return rc;
}

static int
import_fields(void *ctx, struct page *p, const struct route_match *m)
{
	return import(ctx, p, m->slug, admin_import_fields);
}

static int
import_experts(void *ctx, struct page *p, const struct route_match *m)
{
	return import(ctx, p, m->slug, admin_import_experts);
}

static int
partners(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_partners(ctx, p, m->slug);
}

static int
partner_add(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_partner_add(ctx, p, m->slug);
}

static int
partner(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_partner(ctx, p, m->slug, m->id[0]);
}

static int
partner_post(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_partner_post(ctx, p, m->slug, m->id[0], m->word[0]);
}

static int
final_get(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_final(ctx, p, m->slug, m->id[0]);
}

static int
final_save(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_final_save(ctx, p, m->slug, m->id[0]);
}

static int
final_publish(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_final_publish(ctx, p, m->slug, m->id[0]);
}

static int
final_print(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_final_print(ctx, p, m->slug, m->id[0]);
}

static int
response(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_response(ctx, p, m->id[0]);
}

static int
response_print(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_response_print(ctx, p, m->id[0]);
}

static int
response_withdraw(void *ctx, struct page *p, const struct route_match *m)
{
	return admin_response_withdraw(ctx, p, m->id[0]);
}

enum console_page {
	CONSOLE_CSS,
	CONSOLE_LOGIN,
	CONSOLE_LOGIN_POST,
	CONSOLE_LOGOUT,
	CONSOLE_LANG,
	CONSOLE_CAMPAIGNS,
	CONSOLE_CAMPAIGN_CREATE,
	CONSOLE_CAMPAIGN,
	CONSOLE_CAMPAIGN_POST,
	CONSOLE_CAMPAIGN_ROW,
	CONSOLE_EXPERT_VERB,
	CONSOLE_EXPERT,
	CONSOLE_DASHBOARD,
	CONSOLE_ROUND,
	CONSOLE_MAIL,
	CONSOLE_MAIL_POST,
	CONSOLE_MAIL_TEMPLATE,
	CONSOLE_EXPORT,
	CONSOLE_IMPORT_FIELDS,
	CONSOLE_IMPORT_EXPERTS,
	CONSOLE_PARTNERS,
	CONSOLE_PARTNER_ADD,
	CONSOLE_PARTNER,
	CONSOLE_PARTNER_POST,
	CONSOLE_FINAL,
	CONSOLE_FINAL_SAVE,
	CONSOLE_FINAL_PUBLISH,
	CONSOLE_FINAL_PRINT,
	CONSOLE_RESPONSE,
	CONSOLE_RESPONSE_PRINT,
	CONSOLE_RESPONSE_WITHDRAW,
	CONSOLE__MAX
};

#define GET	REQ_GET
#define POST	REQ_POST
#define C	"/admin/c/:slug"
#define NONE	ROUTE_NONE
#define MAYBE	ROUTE_OPTIONAL
#define SIGNED	ROUTE_REQUIRED

/* Every page of keyfield-admin. No two patterns match the same path. */
static const struct route routes[] = {
	[CONSOLE_CSS] = { GET, "/admin/admin.css", NONE, css },
	[CONSOLE_LOGIN] = { GET, "/admin/login", MAYBE, login_get },
	[CONSOLE_LOGIN_POST] = { POST, "/admin/login", MAYBE, login_post },
	[CONSOLE_LOGOUT] = { POST, "/admin/logout", SIGNED, logout },
	[CONSOLE_LANG] = { POST, "/admin/lang", SIGNED, lang_post },
	[CONSOLE_CAMPAIGNS] = { GET, "/admin/", SIGNED, campaigns },
	[CONSOLE_CAMPAIGN_CREATE] = { POST, "/admin/campaigns", SIGNED,
	    campaigns_post },
	[CONSOLE_CAMPAIGN] = { GET, C, SIGNED, campaign },
	[CONSOLE_CAMPAIGN_POST] = { POST,
	    C "/(close|open|cities|fields|experts)", SIGNED, campaign_post },
	[CONSOLE_CAMPAIGN_ROW] = { POST, C "/(cities|fields)/:id", SIGNED,
	    campaign_post },
	[CONSOLE_EXPERT_VERB] = { POST,
	    C "/(experts)/:id/(assign|link|revoke)", SIGNED, campaign_post },
	[CONSOLE_EXPERT] = { GET, C "/experts/:id", SIGNED, expert },
	[CONSOLE_DASHBOARD] = { GET, C "/dashboard", SIGNED, dashboard },
	[CONSOLE_ROUND] = { POST, C "/round", SIGNED, round_start_post },
	[CONSOLE_MAIL] = { GET, C "/mail", SIGNED, mail },
	[CONSOLE_MAIL_POST] = { POST, C "/mail/(invite|remind)", SIGNED,
	    mail_post },
	[CONSOLE_MAIL_TEMPLATE] = { POST, C "/mail/template/:word", SIGNED,
	    mail_template },
	[CONSOLE_EXPORT] = { GET, C "/export/:word", SIGNED, export },
	[CONSOLE_IMPORT_FIELDS] = { POST, C "/fields/import", SIGNED,
	    import_fields },
	[CONSOLE_IMPORT_EXPERTS] = { POST, C "/experts/import", SIGNED,
	    import_experts },
	[CONSOLE_PARTNERS] = { GET, C "/partners", SIGNED, partners },
	[CONSOLE_PARTNER_ADD] = { POST, C "/partners", SIGNED, partner_add },
	[CONSOLE_PARTNER] = { GET, C "/partners/:id", SIGNED, partner },
	[CONSOLE_PARTNER_POST] = { POST, C "/partners/:id/:word", SIGNED,
	    partner_post },
	[CONSOLE_FINAL] = { GET, C "/final/:id", SIGNED, final_get },
	[CONSOLE_FINAL_SAVE] = { POST, C "/final/:id", SIGNED, final_save },
	[CONSOLE_FINAL_PUBLISH] = { POST, C "/final/:id/publish", SIGNED,
	    final_publish },
	[CONSOLE_FINAL_PRINT] = { GET, C "/final/:id/print", SIGNED,
	    final_print },
	[CONSOLE_RESPONSE] = { GET, "/admin/r/:id", SIGNED, response },
	[CONSOLE_RESPONSE_PRINT] = { GET, "/admin/r/:id/print", SIGNED,
	    response_print },
	[CONSOLE_RESPONSE_WITHDRAW] = { POST, "/admin/r/:id/withdraw", SIGNED,
	    response_withdraw },
};
_Static_assert(sizeof(routes) / sizeof(routes[0]) == CONSOLE__MAX,
    "a route for every page");

#undef GET
#undef POST
#undef C
#undef NONE
#undef MAYBE
#undef SIGNED

/* The session for route_dispatch: 1 with one, 0 without, -1. */
static int
session(void *arg, const char **csrf)
{
	struct admin_ctx	*ctx = arg;

	if (session_load(ctx) == -1)
		return -1;
	*csrf = ctx->session.csrf;
	return ctx->has_session;
}

/*
 * The console page a refused POST's form was likely on, into out: its
 * path cut at its last '/' until a GET row matches ("/admin/" at last).
 */
static void
back_of(const char *path, char *out, size_t outsz)
{
	struct route_match m;
	char		*slash;

	if (buf_fmt(out, outsz, "%s", path) == 0)
		while ((slash = strrchr(out, '/')) != NULL && slash != out) {
			if (route_find(routes, CONSOLE__MAX, REQ_GET, out,
			    &m) < CONSOLE__MAX)
				return;
			*slash = '\0';
		}
	if (buf_fmt(out, outsz, "/admin/") == -1)
		assert(!"out holds a request path");
}

/*
 * The refusals of the preamble. Without a session, a page (and an address
 * without a row) leads to the sign-in page (a POST: 403), so a visitor
 * without a session learns nothing of which addresses exist. A form
 * refused for its session or CSRF token shows what was typed (passwords
 * excepted): with the sign-in form that carries it on, or to copy.
 */
static int
refuse(void *arg, struct page *p, enum route_refusal why, size_t row,
    const struct route_match *m)
{
	struct admin_ctx	*ctx = arg;
	const struct lang	*L = ctx->lang;
	char			 back[REQ_PATH_MAX + 1];
	bool			 keep;
	int			 rc;

	(void)m;
	keep = why != ROUTE_METHOD && ctx->req->method == REQ_POST &&
	    row < CONSOLE__MAX && row != CONSOLE_LOGOUT;
	if (keep)
		back_of(ctx->req->path, back, sizeof(back));
	switch (why) {
	case ROUTE_METHOD:
		return admin_error(p, ctx, 405, tr(L, "Method not allowed"),
		    tr(L, "This address accepts only GET and POST."));
	case ROUTE_NO_SESSION:
		if (ctx->req->method != REQ_POST)
			return page_redirect(p, "/admin/login");
		if (keep)
			return login_page(ctx, p, 403, tr(L, "Your session "
			    "has ended, so this form was not accepted: nothing "
			    "was changed. Sign in: what you typed is kept below "
			    "(passwords excepted)."), "", "", back);
		return admin_error(p, ctx, 403, tr(L, "Please sign in"),
		    tr(L, "Your session has ended, so this form was not "
		    "accepted. Nothing was changed. Sign in and send it "
		    "again."));
	case ROUTE_EXPIRED:
		break;
	}
	if (keep && (rc = admin_kept_page(p, ctx, 403, tr(L, "Form expired"),
	    tr(L, "This form could not be accepted because it did not come "
	    "from this site or has expired. Nothing was changed. What you "
	    "typed is below: copy it, go back, reload the page, and send it "
	    "again."), "", back)) != 1)
		return rc;
	return admin_error(p, ctx, 403, tr(L, "Form expired"), tr(L, "This "
	    "form could not be accepted because it did not come from this "
	    "site or has expired. Nothing was changed. Go back, reload the "
	    "page, and send it again."));
}

static const struct route_site site = { routes, CONSOLE__MAX, not_found,
    session, refuse };

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

/* p made again from nothing, as the error page of status. */
static int
error_again(struct page *p, const struct admin_ctx *ctx, int status,
    const char *heading, const char *message)
{
	page_free(p);
	page_init(p);
	return admin_error(p, ctx, status, heading, message);
}

/* The page of a request body that could not be read (status 413 or not). */
static int
unread(struct page *p, const struct admin_ctx *ctx, int status)
{
	char	 t[300];

	if (status != 413)
		return admin_error(p, ctx, 400, tr(ctx->lang, "Bad request"),
		    tr(ctx->lang, "The request could not be read."));
	return admin_error(p, ctx, 413, tr(ctx->lang, "Too much text"),
	    admin_trf(t, sizeof(t), tr(ctx->lang, "What you sent is larger "
	    "than this console accepts (%d KB in all; %d KB for a CSV file). "
	    "Nothing was changed."), REQ_BODY_KB, ADMIN_CSV_KB));
}

static void
serve(FCGX_Request *rq)
{
	struct req	 r;
	struct page	 p;
	struct admin_ctx ctx;
	struct buf	 body, out;
	struct timespec	 t0;
	int		 status = 0, rc;
	bool		 sent = false;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&r, 0, sizeof(r));
	page_init(&p);
	buf_init(&body, REQ_BODY_MAX);
	buf_init(&out, PAGE_HEADERS_MAX + 256);	/* the head: the body is
						 * sent from p as it is */
	memset(&ctx, 0, sizeof(ctx));
	ctx.req = &r;
	ctx.store = app.store;
	ctx.forms = app.forms;
	ctx.nforms = app.nforms;
	ctx.base_url = app.base_url;
	ctx.conf = app.conf;
	ctx.self_origin = fcgi_origin(app.conf, rq);
	ctx.lang = console_lang(rq->envp);

	status = fcgi_read_body(rq, &body);
	if (status != 0)
		rc = unread(&p, &ctx, status);
	else if ((rc = req_parse_upload(&r, rq->envp, body.data,
	    body.len)) != REQ_OK) {
		if (rc > 0)
			rc = admin_error(&p, &ctx, req_status_code(rc),
			    tr(ctx.lang, "The form could not be read"),
			    tr(ctx.lang, req_status_text(rc)));
	} else
		rc = route_dispatch(&site, &ctx, ctx.req, ctx.self_origin,
		    &p);
	if (rc == 0 && ctx.download != NULL)
		sent = send_file(&ctx, rq) == 0;
	if (page_over_cap(&p, "keyfield-admin", r.path))
		rc = error_again(&p, &ctx, 503, PAGE_OVER_CAP_HEADING,
		    PAGE_OVER_CAP_TEXT);
	if (rc == -1 || (ctx.download != NULL && !sent))
		error_again(&p, &ctx, 500, tr(ctx.lang, "Something went wrong "
		    "on our side"), tr(ctx.lang, "Nothing was lost: go back and "
		    "try again in a moment. The problem has been logged."));
	if (ctx.download != NULL)
		fclose(ctx.download);
	if (!sent)
		fcgi_send_page(rq, &p, &out);
	fcgi_log_request(rq, r.path, sent ? 200 : p.status, &t0, NULL);
	req_free(&r);
	page_free(&p);
	buf_free(&body);
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
	app.conf = &setup.conf;
	if (auth_password_hash("not a password of anyone", app.dummy_hash,
	    sizeof(app.dummy_hash)) == -1) {
		log_err("auth_password_hash failed");
		return 1;
	}
	while (fcgi_accept(&rq)) {
		serve(&rq);
		FCGX_Finish_r(&rq);
	}
	fcgi_setup_close(&setup);
	return 0;
}
