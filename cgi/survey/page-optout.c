/*
 * survey/page-optout: /u/ID, the one-click opt-out of reminders named in
 * every reminder's List-Unsubscribe (RFC 8058). No sign-in and no CSRF
 * token, by design: the POST comes from a mail client, not a page of
 * ours, and all it can do is stop reminders. Never signs anyone in,
 * never says whose address it was.
 */
#include <stdbool.h>
#include <string.h>

#include "base/html.h"
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

int
page_optout(struct page_ctx *ctx, struct page *p, const char *id, bool post)
{
	int	 rc;

	p->personal = true;
	if (!id_ok(id))
		return page_error(p, 404, "Link not found", "This link to "
		    "stop reminders is not valid.");
	if (post) {
		if ((rc = store_write(ctx->store, optout_txn, (void *)id)) ==
		    -1)
			return -1;
		if (rc == 1)
			return page_error(p, 404, "Link not found", "This "
			    "link to stop reminders is not valid.");
		return page_error(p, 200, "No more reminders", "You will get "
		    "no more reminders for this survey. Your personal link "
		    "still works if you want to continue.");
	}
	page_begin(p, "Stop reminders");
	html_raw(&p->body, "<h1>Stop reminders</h1>\n<p>Press the button to "
	    "get no more reminders for this survey. Your personal link keeps "
	    "working.</p>\n<form method=\"post\"><button type=\"submit\" "
	    "name=\"List-Unsubscribe\" value=\"One-Click\">Stop reminders"
	    "</button></form>\n");
	return page_end(p);
}
