/*
 * admin/console: the coordinator console (keyfield-admin): what every
 * console page gets (struct admin_ctx), what they share (console.c), and
 * the pages' handlers. admin/main.c reads the request, routes through its
 * table, checks the session and CSRF token once, and sends; no page
 * includes main.c's declarations or calls a sibling page.
 */
#ifndef KEYFIELD_ADMIN_H
#define KEYFIELD_ADMIN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app/campaign.h"
#include "app/import.h"
#include "base/conf.h"
#include "base/limit.h"
#include "app/page.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/sessions.h"
#include "store/store.h"

#define ADMIN_IDLE		(30 * 60)	/* session idle timeout, s */
#define ADMIN_MAX_AGE		(12 * 3600)	/* session absolute age, s */
#define ADMIN_SESSIONS_KEEP	10	/* a coordinator's; the oldest end */
/*
 * Sign-in throttling: failures are counted over ADMIN_LOCK_WINDOW per
 * (username, client address) and per address. After ADMIN_FREE_FAILURES
 * of a name from an address (ADMIN_ADDR_FREE_FAILURES of any names), the
 * next attempt from there waits 1 s after the last failure, then 2, 4,
 * ... up to ADMIN_LOCK_WINDOW (429 with Retry-After). An address without
 * failures is never slowed down, so a stranger cannot lock the owner out.
 */
#define ADMIN_LOCK_WINDOW	(15 * 60)	/* failed-login window, s */
#define ADMIN_FREE_FAILURES	5		/* of a name from an address */
#define ADMIN_ADDR_FREE_FAILURES 20		/* of any names from one */
#define ADMIN_CSV_KB		IMPORT_CSV_KB	/* KB of an uploaded CSV */
#define ADMIN_CSV_MAX		IMPORT_CSV_MAX
#define ADMIN_CSV_ROWS		IMPORT_ROWS	/* rows of one import */
#define ADMIN_CITIES_MAX	CAMPAIGN_CITIES_MAX	/* of a campaign */

/* What every console handler gets. */
struct admin_ctx {
	struct req		*req;
	struct store		*store;
	const struct page_form	*forms;		/* every form version */
	size_t			 nforms;
	const char		*base_url;	/* invitation links */
	const struct conf	*conf;		/* mail settings (app/mailq.h) */
	const char		*self_origin;	/* fcgi_origin */
	/*
	 * The console's language: the coordinator's (who.lang) when she
	 * chose one, else Accept-Language's among the compiled-in ones
	 * (i18n_accept), else English.
	 */
	const struct lang	*lang;
	/* The coordinator's session, when the request has a valid one. */
	bool			 has_session;
	unsigned char		 session_hash[32];
	struct store_session	 session;
	struct store_coordinator who;
	char			 actor[STORE_CODE_MAX + 16];	/* audit */
	/* Hers in the campaign of the page (admin_campaign_access). */
	enum store_role		 role;
	/* A handler that answers with a file sets these (main.c sends). */
	FILE			*download;
	const char		*download_type;
	char			 download_name[128];
};

/* ---- the frame and what pages share (admin/console.c) ---- */

/* The console's page top: doctype, head, navigation, <main>. */
int	 admin_begin(struct page *, const struct admin_ctx *,
	    const char *title);
/* Close <main>, the body and the document, as page_end does. */
int	 admin_end(struct page *);
/* A whole page for status with a heading, one sentence and a way back. */
int	 admin_error(struct page *, const struct admin_ctx *, int status,
	    const char *heading, const char *message);
/*
 * Whether path is a console page to go back to: "/admin/...", no "//",
 * printable ASCII without blanks or backslashes (so it may be a Location).
 */
bool	 admin_back_ok(const char *path);
/*
 * A translated format (tr(lang, "%d of %d submitted")) filled in into
 * out, for html_fmt's "%s" (escaped there): out (a cut one is logged).
 */
const char *admin_trf(char *out, size_t outsz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The same with a va_list. */
const char *admin_vtrf(char *out, size_t outsz, const char *fmt, va_list)
	    __attribute__((format(printf, 3, 0)));
/* A card's status in L's words (store_status_label's, translated). */
const char *admin_status_words(const struct lang *, enum store_status);
/* <input type=hidden name=csrf> with the session's token. */
int	 admin_csrf(struct buf *, const struct admin_ctx *);
/* The console's style sheet (served as /admin/admin.css). */
extern const char admin_css[];
/*
 * A field's value with leading and trailing blanks cut, "" if absent, and
 * "\x7f" (which req_text_ok refuses) when it does not fit in out.
 */
void	 admin_field(const struct admin_ctx *, const char *name, char *out,
	    size_t outsz);
/*
 * What went wrong with one of a page's set-up forms, to show the page
 * again: status (200, or the 4xx of the refusal), which form failed (NULL
 * for none), the problem in plain words, a notice of what was done, and
 * room for a problem or notice made up by the handler.
 */
struct admin_state {
	int		 status;
	const char	*form;
	const char	*problem;
	const char	*notice;
	char		 text[160];
};
/* The typed value of field name when form is the one that failed, or "". */
const char *admin_typed(const struct admin_ctx *, const struct admin_state *,
	    const char *form, const char *name);
/* The problem next to form when it is the one that failed. */
int	 admin_problem(struct buf *, const struct admin_state *,
	    const char *form);
/* The notice and the problem at the top of a page (st may be NULL). */
int	 admin_top(struct buf *, const struct admin_state *st);
/* The form model of a forms.id, or NULL. */
const struct form *admin_form(const struct admin_ctx *, int64_t form_id);

/* The cities of a campaign as form rows (key = code, label = name). */
struct admin_cities {
	struct form_row	 v[ADMIN_CITIES_MAX];
	char		 codes[ADMIN_CITIES_MAX][STORE_CODE_MAX];
	char		 names[ADMIN_CITIES_MAX][STORE_NAME_MAX];
	int64_t		 ids[ADMIN_CITIES_MAX];
	size_t		 n;
};
int	 admin_cities_load(struct admin_ctx *, int64_t campaign_id,
	    struct admin_cities *);

/* A campaign's key fields and assignments, loaded whole (capped). */
#define ADMIN_FIELDS_MAX	2000
#define ADMIN_ASSIGNMENTS_MAX	100000
struct admin_fields {
	struct store_field		*v;
	size_t				 n;
};
struct admin_assignments {
	struct store_assignment_row	*v;
	size_t				 n;
};
int	 admin_fields_load(struct admin_ctx *, int64_t campaign_id,
	    struct admin_fields *);
void	 admin_fields_free(struct admin_fields *);
/*
 * The campaign of slug into *c, when the coordinator may use it (as
 * admin_campaign_access): 0; or 1 after filling p with the 404 page (no
 * such campaign, or none of hers) or the 403 page (a viewer's POST); or
 * -1.
 */
int	 admin_campaign_find(struct admin_ctx *, struct page *,
	    const char *slug, struct store_campaign *c);
/*
 * May the signed-in coordinator use campaign_id with this request? An
 * administrator is the owner of every campaign; anyone else has the role
 * she was granted, into ctx->role. 0 when she may; 1 after filling p with
 * the 404 page (no role: the campaign is not hers, and she does not learn
 * that it exists) or the 403 page (a POST of a viewer); or -1.
 */
int	 admin_campaign_access(struct admin_ctx *, struct page *,
	    int64_t campaign_id);
/* Her role in campaign_id into ctx->role (see above): 0 or -1. */
int	 admin_campaign_role(struct admin_ctx *, int64_t campaign_id);
/* The 403 page of a viewer's POST; 0 or -1. */
int	 admin_read_only(struct page *, const struct admin_ctx *);
/*
 * Long lists (a campaign's experts) are shown ADMIN_PAGE_ROWS at a time,
 * page N (from 1) at ?page=N. admin_page_param reads ?page= into *page
 * (1 when absent): 0; 1 after the 400 page of a bad number; or -1.
 * admin_pager writes "N experts; page P of Q · previous · next" in the
 * language given, with links to path?query&page=K#anchor: query (NULL
 * or "" for none) holds the other parameters the page was shown with
 * ("round=2&order=total"), already URL-encoded; it is HTML-escaped here.
 */
#define ADMIN_PAGE_ROWS	100
int	 admin_page_param(struct admin_ctx *, struct page *, int64_t *page);
void	 admin_pager(struct buf *, const struct lang *, const char *path,
	    const char *query, const char *anchor, int64_t page, int64_t n);
/*
 * ?round=N (a Delphi round, from 1) into *round, 0 when absent: 0; 1
 * after the 422 page of what is not a round's number; or -1. Whether
 * the campaign has the round is the caller's to say (404).
 */
#define ADMIN_ROUND_MAX	1000000
int	 admin_round_param(struct admin_ctx *, struct page *, int *round);
/* May she change the campaign of the page (ctx->role is owner)? */
bool	 admin_can_change(const struct admin_ctx *);

/* ---- login (admin/console.c) ---- */

/* Where the fields a sign-in carries on are named (keep:NAME). */
#define ADMIN_KEEP_PREFIX	"keep:"

/*
 * The sign-in form with status, a message (NULL for none), the username
 * typed, and the login CSRF token (also in the kf_admin_login cookie).
 * keep: NULL, or which fields of the request the form carries on, each
 * shown to copy and posted with the sign-in: "" the fields of a form
 * refused for its session, ADMIN_KEEP_PREFIX those a sign-in carried;
 * back (or NULL) the console page they were typed on. A field named
 * csrf, or whose name holds "password", is never kept.
 */
int	 admin_login_form(struct page *, const struct admin_ctx *,
	    int status, const char *message, const char *username,
	    const char *token, const char *keep, const char *back);
/*
 * A page with status, heading and message that shows the request's
 * fields kept under keep (as above) as text to copy, with a link back to
 * the console page back (when it is one): 0, 1 when no field is kept (no
 * page made), or -1.
 */
int	 admin_kept_page(struct page *, const struct admin_ctx *, int status,
	    const char *heading, const char *message, const char *keep,
	    const char *back);

/* ---- handlers: each returns 0 (page filled) or -1 (environment) ---- */

/* admin/page-campaigns.c */
int	 admin_campaigns(struct admin_ctx *, struct page *);
int	 admin_campaign_create(struct admin_ctx *, struct page *);
/* A page of experts (?page=N, 100 each) with the rest of the set-up. */
int	 admin_campaign(struct admin_ctx *, struct page *, const char *slug);
/* One expert of the campaign: her key fields (a form for an owner). */
int	 admin_expert(struct admin_ctx *, struct page *, const char *slug,
	    int64_t id);
/*
 * A POST to /admin/c/SLUG/WHAT[/ID[/VERB]]: what is "close", "open",
 * "cities", "fields", "experts"; id 0 when absent; verb NULL or one of
 * "assign", "link", "revoke".
 */
int	 admin_campaign_post(struct admin_ctx *, struct page *,
	    const char *slug, const char *what, int64_t id, const char *verb);

/*
 * The campaign page again with status and a problem shown at the top and
 * next to form ("cities", "fields", "experts"), the typed values kept.
 */
int	 admin_campaign_again(struct admin_ctx *, struct page *,
	    const struct store_campaign *, int status, const char *form,
	    const char *problem);

/*
 * admin/page-import.c: the CSV imports of campaign c's key fields and
 * experts. 0 with p filled (the redirect, or the page of new links); 1
 * with *r set when the import is refused, for the caller to show the
 * campaign page again with it (admin_campaign_again: the import page does
 * not draw its sibling's page); or -1. r's problem is the caller's to
 * buf_free, whatever the result.
 */
#define ADMIN_PROBLEM_MAX	8192	/* bytes of a refusal's problem */
struct admin_refusal {
	int		 status;	/* 413 or 422 */
	const char	*form;		/* "fields" or "experts" */
	struct buf	 problem;	/* what is wrong, in plain words */
};
int	 admin_import_fields(struct admin_ctx *, struct page *,
	    const struct store_campaign *c, struct admin_refusal *r);
int	 admin_import_experts(struct admin_ctx *, struct page *,
	    const struct store_campaign *c, struct admin_refusal *r);

/* admin/page-dashboard.c */
int	 admin_dashboard(struct admin_ctx *, struct page *, const char *slug);
/* POST .../round: start the campaign's next Delphi round (app/round.h). */
int	 admin_round_start(struct admin_ctx *, struct page *,
	    const char *slug);

/* ---- mail (admin/page-mail.c) ---- */

/* The experts' invitation states, the buttons and the send log. */
int	 admin_mail(struct admin_ctx *, struct page *, const char *slug);
/*
 * POST .../mail/template/KIND: preview (action=preview) or save
 * (action=save) a campaign's text; refused with 422 and the form again.
 */
int	 admin_mail_template(struct admin_ctx *, struct page *,
	    const char *slug, const char *kind);
/* POST .../mail/(invite|remind): queue them, then the page again. */
int	 admin_mail_post(struct admin_ctx *, struct page *, const char *slug,
	    const char *verb);

/* admin/page-card.c */
int	 admin_response(struct admin_ctx *, struct page *, int64_t id);
int	 admin_response_print(struct admin_ctx *, struct page *, int64_t id);
int	 admin_response_withdraw(struct admin_ctx *, struct page *,
	    int64_t id);

/*
 * admin/page-partners.c: /admin/c/SLUG/partners (GET the list, POST adds
 * one), /admin/c/SLUG/partners/ID (GET: the partner and its delivery
 * log) and POST /admin/c/SLUG/partners/ID/VERB, verb one of "disable",
 * "enable", "rotate", "test", "redeliver", "redeliver-failed".
 */
int	 admin_partners(struct admin_ctx *, struct page *, const char *slug);
int	 admin_partner_add(struct admin_ctx *, struct page *,
	    const char *slug);
int	 admin_partner(struct admin_ctx *, struct page *, const char *slug,
	    int64_t id);
int	 admin_partner_post(struct admin_ctx *, struct page *,
	    const char *slug, int64_t id, const char *verb);

/*
 * admin/page-final.c: a key field's final card at /admin/c/SLUG/final/ID
 * (ID the key field's): GET the editor (?a=N&b=M: the changes between
 * two versions), POST saves a version (409 when another came first),
 * POST .../publish publishes one, GET .../print is the printable card
 * (?version=N; the published one, else the latest).
 */
int	 admin_final(struct admin_ctx *, struct page *, const char *slug,
	    int64_t id);
int	 admin_final_save(struct admin_ctx *, struct page *, const char *slug,
	    int64_t id);
int	 admin_final_publish(struct admin_ctx *, struct page *,
	    const char *slug, int64_t id);
int	 admin_final_print(struct admin_ctx *, struct page *, const char *slug,
	    int64_t id);

/* admin/page-export.c: sets ctx->download on success. */
int	 admin_export(struct admin_ctx *, struct page *, const char *slug,
	    const char *format);

#endif
