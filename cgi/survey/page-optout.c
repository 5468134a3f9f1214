/*
 * survey/page-optout: /u/ID, the one-click opt-out of reminders named in
 * every reminder's List-Unsubscribe (RFC 8058). No sign-in and no CSRF
 * token, by design: the POST comes from a mail client, not a page of
 * ours, and all it can do is stop reminders. Never signs anyone in,
 * never says whose address it was.
 */
#include <stdbool.h>
#include <string.h>

#include "app/lang.h"
#include "base/html.h"
#include "base/i18n.h"
#include "store/languages.h"
#include "store/mail.h"
#include "survey/pages.h"

/* Does id look like an envelope id ("m" and 24 base64url characters)? */
static bool
id_ok(const char *id)
{
	if (id[0] != 'm' || strlen(id) != STORE_VERP_LEN)
		return false;
	for (const char *p = id + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

static int
optout_txn(struct store *s, void *arg)
{
	return store_mail_suppress(s, arg, "opted-out");
}

/*
 * The language of the page: that of the expert the mail with envelope id
 * went to (lang_of_expert), else the visitor's already in ctx: 0, -1.
 */
static int
optout_lang(struct page_ctx *ctx, struct page *p, const char *id)
{
	struct store_expert_langs	 e;
	int64_t				 expert_id;
	int				 rc;

	if ((rc = store_mail_expert(ctx->store, id, &expert_id)) == 0)
		rc = store_expert_langs(ctx->store, expert_id, &e);
	if (rc == -1)
		return -1;
	if (rc == 0)
		ctx->lang = p->lang = lang_of_expert(&e, ctx->accept_lang);
	return 0;
}

/* The 404 of a link that is no opt-out's. */
static int
not_found(struct page *p, const struct lang *l)
{
	return page_error(p, 404, tr(l, "Link not found"), tr(l, "This link "
	    "to stop reminders is not valid."));
}

int
page_optout(struct page_ctx *ctx, struct page *p, const char *id, bool post)
{
	const struct lang *l;
	const char	*stop;
	int		 rc;

	p->personal = true;
	if (!id_ok(id))
		return not_found(p, ctx->lang);
	if (optout_lang(ctx, p, id) == -1)
		return -1;
	l = ctx->lang;
	stop = tr(l, "Stop reminders");
	if (post) {
		if ((rc = store_write(ctx->store, optout_txn, (void *)id)) ==
		    -1)
			return -1;
		if (rc == 1)
			return not_found(p, l);
		return page_error(p, 200, tr(l, "No more reminders"), tr(l,
		    "You will get no more reminders for this survey. Your "
		    "personal link still works if you want to continue."));
	}
	page_begin(p, stop);
	html_fmt(&p->body, "<h1>%s</h1>\n<p>%s</p>\n<form method=\"post\">"
	    "<button type=\"submit\" name=\"List-Unsubscribe\" "
	    "value=\"One-Click\">%s</button></form>\n", stop, tr(l, "Press "
	    "the button to get no more reminders for this survey. Your "
	    "personal link keeps working."), stop);
	return page_end(p);
}
