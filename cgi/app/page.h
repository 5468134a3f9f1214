/*
 * page: one response being built (status, headers, HTML body), the shared
 * page chrome and error pages, and what both FastCGI programs' pages
 * share (form versions, sessions, the POST check). Pages render into
 * memory; app/fcgi.h sends the result.
 */
#ifndef KEYFIELD_PAGE_H
#define KEYFIELD_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/form.h"
#include "base/limit.h"
#include "base/req.h"
#include "store/sessions.h"
#include "store/store.h"

#define PAGE_BODY_MB	4
#define PAGE_BODY_MAX	(PAGE_BODY_MB * 1024 * 1024)	/* bytes of one page */
#define PAGE_HEADERS_MAX	4096		/* bytes of extra headers */
/* The heading and sentence of the 503 page of a page over its cap. */
#define PAGE_OVER_CAP_HEADING	"This page is too large to show"
#define PAGE_OVER_CAP_TEXT	"It would be larger than this site sends " \
	"(" LIMIT_STR(PAGE_BODY_MB) " MB). The problem has been logged; " \
	"please tell the people who run this site."

/*
 * The language switch page_begin shows on an expert's pages: a POST form
 * to /lang listing langs by their own names, back to the page's path.
 */
struct page_switch {
	const char	*langs;		/* the campaign's, "en,de" */
	const char	*csrf;		/* the session's token */
	const char	*back;		/* the page's path */
};

struct page {
	int		 status;	/* 200 unless set */
	const struct lang *lang;	/* its language; NULL: English */
	const struct page_switch *lang_switch;	/* NULL: none */
	struct buf	 headers;	/* "Name: value\r\n" lines */
	struct buf	 body;
	bool		 personal;	/* Cache-Control: no-store */
	const char	*content_type;	/* of the body; NULL: HTML */
};

/* A loaded form version: the model of one forms row. */
struct page_form {
	int64_t		 id;
	struct form	*form;
};

void	 page_init(struct page *);
void	 page_free(struct page *);
/*
 * Was a write to p's body or headers refused for its cap (not for want of
 * memory)? Then one line is logged naming program, the page's path and
 * the cap, for the caller to answer with a 503 page of
 * PAGE_OVER_CAP_HEADING and PAGE_OVER_CAP_TEXT.
 */
bool	 page_over_cap(const struct page *, const char *program,
	    const char *path);
/* What the frame of a program's pages names (page_top). */
struct page_site {
	const char	*name;		/* after the title; the home link */
	const char	*home;		/* the home link's path */
	const char	*tagline;	/* after the home link */
	const char	*css;		/* a second stylesheet, or NULL */
};

/*
 * Start p's body anew: the doctype, the head (the title, then " · " and
 * the site's name; the stylesheets) and the site's header, up to where
 * <main> opens. 0, or -1 when the body's buffer failed.
 */
int	 page_top(struct page *, const char *title,
	    const struct page_site *);
/* The doctype, head and the top of the body, then <main>. */
int	 page_begin(struct page *, const char *title);
/* Close <main>, the body and the document. */
int	 page_end(struct page *);
/* Add a header line; value must not contain CR or LF (asserted). */
int	 page_header(struct page *, const char *name, const char *value);
/* 303 See Other to a local path. */
int	 page_redirect(struct page *, const char *path);
/* A whole page for status with a heading and one sentence. */
int	 page_error(struct page *, int status, const char *heading,
	    const char *message);
/* The 503 page of a page over its cap, in its language. */
int	 page_error_over_cap(struct page *);
/* A card's status ("not started", "draft", ...) in lang. */
const char *page_status_label(const struct lang *, enum store_status);
/* The reason phrase of a status ("Not Found"). */
const char *page_reason(int status);
/*
 * The response's head only (Status, headers, the blank line) into out:
 * the body follows as it is, without a copy.
 */
int	 page_head(const struct page *, struct buf *out);

/*
 * Load every form version in the database into models, once at start-up.
 * 0, or -1 (logged, naming a definition that does not load).
 */
int	 page_forms_load(struct store *, struct page_form **, size_t *n);
void	 page_forms_free(struct page_form *, size_t n);
/*
 * Parse a positive decimal id (no sign, no leading zero, no overflow) at
 * *s and advance *s past it; false when there is none.
 */
bool	 page_parse_id(const char **s, int64_t *out);

/*
 * The session named by the cookie cookie of r, if it is of kind and
 * neither idle longer than idle seconds nor older than max: 0 with *out
 * and hash (the SHA-256 of the cookie value), 1 when there is none (an
 * ended or expired one is deleted), -1 on failure.
 */
int	 page_session_find(struct store *, const struct req *r,
	    const char *cookie, const char *kind, int64_t idle, int64_t max,
	    unsigned char *hash, struct store_session *out);

/*
 * Whether r's Origin is self (fcgi_origin: base_url when it is set, else
 * nginx's KEYFIELD_ORIGIN). Without one (or with "null"): !required.
 * The sign-in POST requires it (browsers send Origin with every POST;
 * without it a page elsewhere could sign a victim in as its author).
 */
bool	 page_origin_ours(const struct req *r, const char *self,
	    bool required);

/*
 * A POST must come from our own pages: an Origin, when the browser sends
 * one other than "null", equal to self (page_origin_ours), and a "csrf"
 * field equal to the session's token. (Referrer-Policy is same-origin,
 * not no-referrer, so that browsers send our Origin, not "null".)
 */
bool	 page_post_allowed(const struct req *r, const char *self,
	    const char *csrf);

/*
 * A sign-in POST (one that makes a session, so no session's CSRF token
 * can guard it) must come from our own page, not from a page of another
 * site (login CSRF): when the browser sends Sec-Fetch-Site it must be
 * "same-origin"; else when it sends an Origin, it must be self ("null"
 * is refused: another site can make its forms send it). A request with
 * neither is not a browser's (every current browser sends Origin with a
 * POST) and is allowed: it holds the invitation token itself.
 */
bool	 page_signin_allowed(const struct req *r, const char *self);

/* The form model with this forms.id among forms[0..n - 1], or NULL. */
const struct form *page_form_by_id(const struct page_form *forms, size_t n,
	    int64_t id);

#endif
