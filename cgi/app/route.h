/*
 * route: a program's pages as a table of {method, path pattern, session,
 * handler} indexed by the program's enum, and the matcher that finds a
 * request's row and its typed captures (slug, ids, words, the rest).
 */
#ifndef KEYFIELD_ROUTE_H
#define KEYFIELD_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/campaign.h"	/* CAMPAIGN_SLUG_MAX */
#include "app/page.h"
#include "base/req.h"

#define ROUTE_IDS_MAX	2	/* :id captures in one pattern */
#define ROUTE_WORDS_MAX	2	/* :word and (a|b) captures in one pattern */
#define ROUTE_WORD_MAX	31	/* bytes of a :word */

/* What a page needs of the session before its handler runs. */
enum route_session {
	ROUTE_NONE,	/* not looked up (a style sheet, an invitation) */
	ROUTE_OPTIONAL,	/* looked up; the page works without one (sign-in) */
	ROUTE_REQUIRED,	/* needed; a POST also needs Origin and CSRF */
};

/*
 * The captures of a matched pattern, in the order the pattern has them.
 * A pattern is a path of '/'-separated segments, each one of:
 *   text     that text exactly;
 *   :slug    a campaign slug (campaign_slug_ok: 1..CAMPAIGN_SLUG_MAX
 *            bytes), into slug (one a pattern);
 *   :id      a positive decimal id (page_parse_id: no sign, no leading
 *            zero, no overflow), into id[nid++];
 *   :word    1..ROUTE_WORD_MAX bytes of [A-Za-z0-9-], into word[nword++];
 *   (a|b)    one of the texts a, b, ... exactly, into word[nword++];
 *   *        (last only) the rest of the path, anything, into rest.
 * An empty segment matches only an empty one: "/admin/" is not
 * "/admin", "//" is not "/".
 */
struct route_match {
	char		 slug[CAMPAIGN_SLUG_MAX + 1];
	int64_t		 id[ROUTE_IDS_MAX];
	size_t		 nid;
	char		 word[ROUTE_WORDS_MAX][ROUTE_WORD_MAX + 1];
	size_t		 nword;
	const char	*rest;		/* within the path; NULL without '*' */
};

/*
 * A row of a program's table. method is REQ_GET (which HEAD matches too)
 * or REQ_POST. handler gets the program's context (struct page_ctx,
 * struct admin_ctx) as ctx and returns 0 (page filled) or -1
 * (environment failure).
 */
struct route {
	enum req_method		 method;
	const char		*pattern;
	enum route_session	 session;
	int			(*handler)(void *ctx, struct page *,
				    const struct route_match *);
};

/*
 * true when path matches pattern (the syntax above), with the captures
 * in *m; false, *m untouched, when it does not. A pattern outside the
 * syntax (or with more captures than the maxima) is asserted: patterns
 * come from the program, paths from anyone.
 */
bool	 route_match(const char *pattern, const char *path,
	    struct route_match *m);

/*
 * The index of the first of the n rows of table whose method is method
 * (REQ_HEAD as REQ_GET) and whose pattern matches path, its captures in
 * *m; n when there is none (REQ_OTHER never has one).
 */
size_t	 route_find(const struct route *table, size_t n,
	    enum req_method method, const char *path, struct route_match *m);

/* Why the preamble refused a request before its handler. */
enum route_refusal {
	ROUTE_METHOD,		/* neither GET, HEAD nor POST: 405 */
	ROUTE_NO_SESSION,	/* the row needs a session; there is none */
	ROUTE_EXPIRED,		/* a POST without our Origin or CSRF token */
};

/*
 * A program's side of the one preamble, route_dispatch. ctx is the
 * program's request context (struct page_ctx, struct admin_ctx).
 */
struct route_site {
	const struct route	*routes;	/* indexed by its enum */
	size_t			 n;
	/* An address without a row: a page that needs a session. */
	int			(*not_found)(void *ctx, struct page *,
				    const struct route_match *);
	/*
	 * Load the request's session: 1 with one (and its CSRF token in
	 * *csrf), 0 without, or -1.
	 */
	int			(*session)(void *ctx, const char **csrf);
	/*
	 * The page of a refusal: 0 (page filled) or -1. row is the index
	 * of the request's row (n when it has none, or for ROUTE_METHOD),
	 * m its captures (empty without a row): a refused form can be
	 * shown again with what was typed.
	 */
	int			(*refuse)(void *ctx, struct page *,
				    enum route_refusal, size_t row,
				    const struct route_match *m);
};

/*
 * The one way to a page of a program: 405 for another method; the row of
 * r's method and path (else not_found, as a row that needs a session);
 * unless the row needs none, the session (p is then personal); without
 * one where it is needed, the refusal; for such a row's POST, the Origin
 * (origin: where our own pages are) and the CSRF token
 * (page_post_allowed); then the row's handler. 0 (page filled) or -1.
 */
int	 route_dispatch(const struct route_site *, void *ctx,
	    const struct req *r, const char *origin, struct page *p);

#endif
