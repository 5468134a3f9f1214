/*
 * survey/signin: how an expert is signed in on a browser: the session
 * cookie, an invitation link (or its bare token) to her, and the sign-in
 * itself (the browser's old session ended, expired ones swept, at most
 * SIGNIN_KEEP of hers kept). Shared by survey/main.c and the pages.
 */
#ifndef KEYFIELD_SURVEY_SIGNIN_H
#define KEYFIELD_SURVEY_SIGNIN_H

#include <stdbool.h>
#include <stdint.h>

#include "app/page.h"
#include "survey/pages.h"

#define SIGNIN_KEEP	10	/* sessions an expert holds; oldest end */

/*
 * The one 404 of a link that signs nobody in, whatever the reason: its
 * sentence in l, and the page.
 */
const char *signin_unknown_text(const struct lang *);
int	 signin_unknown(struct page *, const struct lang *);

/*
 * Whether the request may sign someone in: page_signin_allowed against
 * our own origin (nginx's KEYFIELD_ORIGIN, else the base URL).
 */
bool	 signin_allowed(const struct page_ctx *);

/* The session cookie's name for r (__Host- over HTTPS). */
const char *signin_cookie_name(const struct req *r);

/*
 * Set the session cookie to value (value "" and age 0 to delete it): a
 * write into p's headers, whose failure is sticky. value is a token.
 */
int	 signin_cookie(struct page *p, const struct req *r,
	    const char *value, int age);

/*
 * The active expert whose invitation is link: a whole link (anything up
 * to the last "/i/", and what follows the token after a '?', '#' or '/',
 * ignored) or the bare token, with spaces around it ignored. 0 and
 * *expert_id, 1 when it is no link to an active expert, -1.
 */
int	 signin_link_expert(struct store *, const char *link,
	    int64_t *expert_id);

/*
 * Sign expert_id in on this browser: end the session its cookie names
 * (if any, whoever it was for), sweep the expired expert sessions, start
 * a new one (cookie in p's headers; ctx->session and has_session set as
 * if the request had come with it) and end her oldest beyond
 * SIGNIN_KEEP. 0 or -1. The write may wait for the worker's batch:
 * nothing is answered before it commits.
 */
int	 signin_expert(struct page_ctx *, struct page *, int64_t expert_id);

/*
 * The language of ctx's request (ctx->lang and its page's): with a
 * session, the signed-in expert's (lang_of_expert) and the language
 * switch; else ctx->lang as it is. 0 or -1.
 */
int	 signin_lang(struct page_ctx *);
/*
 * The language of ctx's page for expert_id (her invitation's page): hers,
 * else Accept-Language among her campaign's. No switch. 0 or -1.
 */
int	 signin_lang_of(struct page_ctx *, int64_t expert_id);
/*
 * Keep the page's language as the signed-in expert's when she has none
 * yet (her first save): 0 or -1.
 */
int	 signin_lang_keep(struct page_ctx *);

/* The 403 page of a page that needs a session, without one, in lang. */
int	 signin_refused(struct page *, const struct lang *);

#endif
