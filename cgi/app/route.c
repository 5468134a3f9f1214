/*
 * route: matching a request's path against a program's table of patterns.
 * Never trusts a path: every capture is bounded and checked before use.
 */
#include <assert.h>
#include <string.h>

#include "app/route.h"

/* s[0..n) as a string in out[outsz]: false when it does not fit. */
static bool
copy(const char *s, size_t n, char *out, size_t outsz)
{
	if (n >= outsz)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* The path segment s[0..n) as a word of the choice "(a|b|...)" pat[0..pn). */
static bool
choice(const char *pat, size_t pn, const char *s, size_t n, char *word)
{
	const char	*alt = pat + 1, *end = pat + pn - 1;
	size_t		 an;

	assert(pn > 2 && *end == ')');
	for (; alt < end; alt += an + 1) {
		an = strcspn(alt, "|)");
		assert(an > 0 && an <= ROUTE_WORD_MAX);
		if (an == n && memcmp(alt, s, n) == 0)
			return copy(s, n, word, ROUTE_WORD_MAX + 1);
	}
	return false;
}

/* The path segment s[0..n) as the capture pat[0..pn) into m. */
static bool
capture(const char *pat, size_t pn, const char *s, size_t n,
    struct route_match *m)
{
	const char	*end = s;
	int64_t		 id;

	if (pn == 5 && memcmp(pat, ":slug", 5) == 0) {
		assert(m->slug[0] == '\0');
		return copy(s, n, m->slug, sizeof(m->slug)) &&
		    campaign_slug_ok(m->slug);
	}
	if (pn == 3 && memcmp(pat, ":id", 3) == 0) {
		assert(m->nid < ROUTE_IDS_MAX);
		if (!page_parse_id(&end, &id) || end != s + n)
			return false;
		m->id[m->nid++] = id;
		return true;
	}
	assert(m->nword < ROUTE_WORDS_MAX);
	if (pn == 5 && memcmp(pat, ":word", 5) == 0) {
		if (!copy(s, n, m->word[m->nword], ROUTE_WORD_MAX + 1) ||
		    !req_word_ok(m->word[m->nword], ROUTE_WORD_MAX, "-"))
			return false;
	} else if (!choice(pat, pn, s, n, m->word[m->nword]))
		return false;
	m->nword++;
	return true;
}

bool
route_match(const char *pattern, const char *path, struct route_match *out)
{
	struct route_match m;
	const char	*pat = pattern, *s = path;
	size_t		 pn, n;

	assert(pat[0] == '/');
	if (s[0] != '/')
		return false;
	memset(&m, 0, sizeof(m));
	for (;;) {
		pat++;			/* past the '/' */
		s++;
		if (strcmp(pat, "*") == 0) {
			m.rest = s;
			break;
		}
		pn = strcspn(pat, "/");
		n = strcspn(s, "/");
		if (pat[0] == ':' || pat[0] == '(') {
			if (!capture(pat, pn, s, n, &m))
				return false;
		} else if (pn != n || memcmp(pat, s, n) != 0)
			return false;
		pat += pn;
		s += n;
		if (*pat == '\0' || *s == '\0') {
			if (*pat != *s)
				return false;
			break;
		}
	}
	*out = m;
	return true;
}

size_t
route_find(const struct route *table, size_t n, enum req_method method,
    const char *path, struct route_match *m)
{
	size_t	 i;

	if (method == REQ_HEAD)
		method = REQ_GET;
	if (path == NULL || (method != REQ_GET && method != REQ_POST))
		return n;
	for (i = 0; i < n; i++)
		if (table[i].method == method &&
		    route_match(table[i].pattern, path, m))
			break;
	return i;
}

int
route_dispatch(const struct route_site *site, void *ctx,
    const struct req *r, const char *origin, struct page *p)
{
	struct route_match	 m;
	const char		*csrf = NULL;
	enum route_session	 need = ROUTE_REQUIRED;
	int			(*handler)(void *, struct page *,
				    const struct route_match *);
	size_t			 i;
	int			 rc;

	memset(&m, 0, sizeof(m));
	if (r->method == REQ_OTHER)
		return site->refuse(ctx, p, ROUTE_METHOD, site->n, &m);
	handler = site->not_found;
	if ((i = route_find(site->routes, site->n, r->method, r->path,
	    &m)) < site->n) {
		need = site->routes[i].session;
		handler = site->routes[i].handler;
	}
	if (need == ROUTE_NONE)
		return handler(ctx, p, &m);
	p->personal = true;
	if ((rc = site->session(ctx, &csrf)) == -1)
		return -1;
	if (need == ROUTE_REQUIRED && rc == 0)
		return site->refuse(ctx, p, ROUTE_NO_SESSION, i, &m);
	if (need == ROUTE_REQUIRED && r->method == REQ_POST &&
	    !page_post_allowed(r, origin, csrf))
		return site->refuse(ctx, p, ROUTE_EXPIRED, i, &m);
	return handler(ctx, p, &m);
}
