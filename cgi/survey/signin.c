/*
 * survey/signin: the expert's session cookie and sign-in by invitation.
 * Never keeps a token or session id other than as its SHA-256 hash.
 */
#include <assert.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "base/auth.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "app/lang.h"
#include "store/experts.h"
#include "store/sessions.h"
#include "survey/signin.h"

#define SESSION_COOKIE		"kf_session"
#define SESSION_COOKIE_TLS	"__Host-kf_session"
/* A Set-Cookie value: the longest name, a token, every attribute. */
#define SET_COOKIE_SZ		(sizeof(SESSION_COOKIE_TLS) + \
	AUTH_TOKEN_LEN + sizeof("=; Path=/; HttpOnly; SameSite=Lax; " \
	"Max-Age=-2147483648; Secure"))

_Static_assert(INT_MAX == 2147483647, "SET_COOKIE_SZ holds a Max-Age");
_Static_assert(PAGE_SESSION_MAX <= INT_MAX, "a Max-Age is an int");

const char *
signin_cookie_name(const struct req *r)
{
	return r->https ? SESSION_COOKIE_TLS : SESSION_COOKIE;
}

/*
 * Never cut: the name is ours and value a token (asserted), which
 * SET_COOKIE_SZ holds with every attribute.
 */
int
signin_cookie(struct page *p, const struct req *r, const char *value,
    int age)
{
	char	 c[SET_COOKIE_SZ];
	int	 cut;

	assert(strlen(value) <= AUTH_TOKEN_LEN);
	cut = buf_fmt(c, sizeof(c), "%s=%s; Path=/; HttpOnly; SameSite=Lax; "
	    "Max-Age=%d%s", signin_cookie_name(r), value, age,
	    r->https ? "; Secure" : "");
	assert(cut == 0);
	(void)cut;
	return page_header(p, "Set-Cookie", c);
}

bool
signin_allowed(const struct page_ctx *ctx)
{
	return page_signin_allowed(ctx->req, ctx->self_origin != NULL ?
	    ctx->self_origin : ctx->base_url);
}

int
signin_link_expert(struct store *s, const char *link, int64_t *expert_id)
{
	static const char space[] = " \t\r\n";
	const char	*t = link, *at, *rest;
	char		 token[AUTH_TOKEN_LEN + 1];
	unsigned char	 hash[AUTH_HASH_BYTES];
	size_t		 n;

	for (at = link; (at = strstr(at, "/i/")) != NULL; at += 3)
		t = at + 3;
	t += strspn(t, space);
	n = strcspn(t, "?#/ \t\r\n");
	rest = t + n;
	if (*rest != '?' && *rest != '#' && *rest != '/')
		rest += strspn(rest, space);
	else
		rest = "";
	if (n != AUTH_TOKEN_LEN || *rest != '\0')
		return 1;
	memcpy(token, t, n);
	token[n] = '\0';
	if (!auth_token_valid(token))
		return 1;
	auth_token_hash(token, hash);
	return store_expert_by_token(s, hash, expert_id);
}

int
signin_expert(struct page_ctx *ctx, struct page *p, int64_t expert_id)
{
	struct store_signin in = { .kind = "expert", .subject_id = expert_id,
	    .idle = PAGE_SESSION_IDLE, .max = PAGE_SESSION_MAX,
	    .keep = SIGNIN_KEEP };
	unsigned char	 old[AUTH_HASH_BYTES];
	char		 sid[AUTH_TOKEN_LEN + 1];
	const char	*cookie;
	int64_t		 now = (int64_t)time(NULL);

	cookie = req_cookie(ctx->req, signin_cookie_name(ctx->req));
	if (ctx->has_session) {
		memcpy(old, ctx->session_hash, sizeof(old));
		in.old_hash = old;
	} else if (cookie != NULL && auth_token_valid(cookie)) {
		auth_token_hash(cookie, old);
		in.old_hash = old;
	}
	auth_token_new(sid);
	memset(&ctx->session, 0, sizeof(ctx->session));
	auth_token_new(ctx->session.csrf);
	auth_token_hash(sid, ctx->session_hash);
	in.id_hash = ctx->session_hash;
	in.csrf = ctx->session.csrf;
	if (store_session_start(ctx->store, &in) == -1)
		return -1;
	memcpy(ctx->session.kind, "expert", sizeof("expert"));
	ctx->session.subject_id = expert_id;
	ctx->session.created_at = ctx->session.seen_at = now;
	ctx->has_session = true;
	p->personal = true;
	if (signin_lang(ctx) == -1)
		return -1;
	return signin_cookie(p, ctx->req, sid, PAGE_SESSION_MAX);
}

int
signin_lang_of(struct page_ctx *ctx, int64_t expert_id)
{
	int	 rc;

	if ((rc = store_expert_langs(ctx->store, expert_id, &ctx->langs)) != 0)
		return rc == 1 ? 0 : -1;
	ctx->lang = lang_of_expert(&ctx->langs, ctx->accept_lang);
	if (ctx->page != NULL) {
		ctx->page->lang = ctx->lang;
		ctx->page->lang_switch = NULL;
	}
	return 0;
}

int
signin_lang(struct page_ctx *ctx)
{
	if (!ctx->has_session)
		return 0;
	if (signin_lang_of(ctx, ctx->session.subject_id) == -1)
		return -1;
	/* A switch when there is a choice, back to this page. */
	if (ctx->page != NULL && strchr(ctx->langs.langs, ',') != NULL &&
	    ctx->req->path != NULL && ctx->req->path[0] == '/') {
		ctx->lang_switch = (struct page_switch){ ctx->langs.langs,
		    ctx->session.csrf, ctx->req->path };
		ctx->page->lang_switch = &ctx->lang_switch;
	}
	return 0;
}

int
signin_refused(struct page *p, const struct lang *l)
{
	return page_error(p, 403, tr(l, "Please open your invitation link"),
	    tr(l, "This page needs your personal invitation link. Your "
	    "session may have ended: open the link from your invitation "
	    "e-mail again."));
}

const char *
signin_unknown_text(const struct lang *l)
{
	return tr(l, "This invitation link is not valid. It may have been "
	    "replaced or withdrawn; please ask your coordinator for a new "
	    "one.");
}

int
signin_unknown(struct page *p, const struct lang *l)
{
	return page_error(p, 404, tr(l, "Invitation not found"),
	    signin_unknown_text(l));
}

/* Her language, the page's, in a write (store_fn). */
static int
keep_lang(struct store *s, void *arg)
{
	struct page_ctx	*ctx = arg;
	char		 problem[LANG_PROBLEM_SZ];

	return lang_expert_set(s, ctx->langs.campaign_id,
	    ctx->session.subject_id, i18n_code(ctx->lang), problem,
	    sizeof(problem));
}

int
signin_lang_keep(struct page_ctx *ctx)
{
	if (!ctx->has_session || ctx->langs.campaign_id == 0 ||
	    *ctx->langs.lang != '\0' ||
	    !lang_in_list(ctx->langs.langs, i18n_code(ctx->lang)))
		return 0;
	if (store_write(ctx->store, keep_lang, ctx) == -1)
		return -1;
	memcpy(ctx->langs.lang, i18n_code(ctx->lang),
	    strlen(i18n_code(ctx->lang)) + 1);
	return 0;
}
