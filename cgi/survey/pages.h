/*
 * survey/pages: the experts' pages (page-*.c) and the request context
 * each one gets from survey/main.c. Pages render into memory (app/page.h);
 * main.c routes to them and sends what they made.
 */
#ifndef KEYFIELD_SURVEY_PAGES_H
#define KEYFIELD_SURVEY_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/conf.h"
#include "base/req.h"
#include "store/languages.h"
#include "store/store.h"
#include "app/page.h"

#define PAGE_SESSION_IDLE	(14 * 86400)	/* expert session idle, s */
#define PAGE_SESSION_MAX	(90 * 86400)	/* expert session age, s */

/* What every page handler gets. */
struct page_ctx {
	struct req		*req;
	struct store		*store;
	const struct page_form	*forms;		/* every version, by id */
	size_t			 nforms;
	const char		*base_url;	/* for links in payloads */
	const struct conf	*conf;		/* mail settings (app/mailq.h) */
	const char		*self_origin;	/* fcgi_origin */
	/* The expert session, when the request has a valid one. */
	bool			 has_session;
	unsigned char		 session_hash[32];
	struct store_session	 session;
	/*
	 * The request's language (signin_lang): her own, else what her
	 * browser asks for among her campaign's, else its default; before
	 * sign-in what the browser asks for. Never kept between requests.
	 */
	const struct lang	*lang;
	const char		*accept_lang;	/* Accept-Language, or NULL */
	struct page		*page;		/* the page being made */
	struct store_expert_langs langs;	/* with a session */
	struct page_switch	 lang_switch;
	/*
	 * Set when the page could not be made, also after a write that
	 * waited for its batch (store_write_then): the answer is a 503.
	 */
	bool			 failed;
};

/* Handlers; each returns 0 (page filled) or -1 (environment failure). */
int	 page_home(struct page_ctx *, struct page *);
/* /lost: ask for a new link by address (GET: the form, POST: it). */
int	 page_lost(struct page_ctx *, struct page *, bool post);
/* /u/ID: the opt-out page (GET) or the one-click opt-out (POST). */
int	 page_optout(struct page_ctx *, struct page *, const char *id,
	    bool post);
int	 page_card(struct page_ctx *, struct page *, int64_t assignment_id);
int	 page_card_post(struct page_ctx *, struct page *,
	    int64_t assignment_id);
/*
 * A card's POST refused for its session or CSRF token (403): a page
 * holding every value posted, in the card's controls, with a field for
 * the invitation link that posts them to page_card_resume. Writes
 * nothing.
 */
int	 page_card_keep(struct page_ctx *, struct page *,
	    int64_t assignment_id);
/*
 * POST /card/ID/resume: the link signs its expert in when the card is
 * hers, and her card is shown with the values posted, not saved; else
 * the page_card_keep page again (404 for a link to nobody, 403 for
 * another's card), nobody signed in.
 */
int	 page_card_resume(struct page_ctx *, struct page *,
	    int64_t assignment_id);
/* GET and POST /i/TOKEN (survey/page-invite.c). */
int	 page_invitation(struct page_ctx *, struct page *, const char *token);
int	 page_invitation_post(struct page_ctx *, struct page *,
	    const char *token);
int	 page_card_done(struct page_ctx *, struct page *,
	    int64_t assignment_id);
int	 page_card_version(struct page_ctx *, struct page *,
	    int64_t assignment_id, int version);
/*
 * POST /lang (survey/page-lang.c): her language, one of her campaign's,
 * set for every device, and a 303 back to the page she was on.
 */
int	 page_lang_post(struct page_ctx *, struct page *);

#endif
