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
	return signin_cookie(p, ctx->req, sid, PAGE_SESSION_MAX);
}
