/*
 * survey/page-home: the expert's home, listing her key fields and their status.
 * Never shows another expert's assignments.
 */
#include <inttypes.h>

#include "base/html.h"
#include "store/experts.h"
#include "store/mail.h"
#include "app/page.h"
#include "survey/pages.h"

/* The table of her key fields: link, status, when last saved. */
static void
assignment_table(struct buf *b, const struct store_expert *e)
{
	char	 when[32];

	html_raw(b, "<table class=\"list\">\n<caption>Assigned "
	    "key fields</caption>\n<thead><tr><th scope=\"col\">Key "
	    "field</th><th scope=\"col\">Status</th><th scope=\"col\">"
	    "Last saved</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < e->nassignments; i++) {
		const struct store_assignment *a = &e->assignments[i];

		html_fmt(b, "<tr><td><a href=\"/card/%" PRId64 "\">%s %s</a>"
		    "</td><td>%s", a->id, a->field_code, a->field_title,
		    store_status_label(a->status));
		if (a->version > 0 && a->status != STORE_SUBMITTED)
			html_fmt(b, " (version %d submitted)", a->version);
		if (a->version > 0 && a->status == STORE_SUBMITTED)
			html_fmt(b, " (version %d)", a->version);
		page_time(a->updated_at != NULL ? a->updated_at : "—", when);
		html_fmt(b, "</td><td>%s</td></tr>\n", when);
	}
	html_raw(b, "</tbody>\n</table>\n");
}

int
page_home(struct page_ctx *ctx, struct page *p)
{
	struct store_expert	 e;
	struct buf		*b = &p->body;
	char			 deadline[16];
	int			 rc;

	if ((rc = store_expert_get(ctx->store, ctx->session.subject_id,
	    &e)) != 0)
		return rc == 1 ? page_error(p, 404, "Invitation not found",
		    "This invitation is no longer valid.") : -1;
	if (store_mail_deadline_of(ctx->store, e.id, deadline) == -1) {
		store_expert_free(&e);
		return -1;
	}
	page_begin(p, "Your key fields");
	html_fmt(b, "<h1>%s</h1>\n<p>Welcome, %s. These are the key "
	    "fields assigned to you. Open one to fill in its card; you can "
	    "save a draft at any time and come back from any device with "
	    "your invitation link.</p>\n", e.campaign_title, e.name);
	html_raw(b, "<p class=\"help\">What you type is kept: while you "
	    "write, the card saves itself as a draft about half a minute "
	    "after you stop typing and when you leave it (the line under the "
	    "card says when); and if your session has ended when you save, "
	    "the next page keeps everything you typed and asks for your "
	    "invitation link to carry on.</p>\n");
	if (!e.campaign_open)
		html_raw(b, "<p class=\"notice\">This campaign is closed: "
		    "cards can be read but no longer changed.</p>\n");
	else if (*deadline != '\0')
		html_fmt(b, "<p class=\"notice\">Please submit your cards by "
		    "<strong>%s</strong>.</p>\n", deadline);
	if (e.nassignments == 0)
		html_raw(b, "<p>No key fields are assigned to you yet.</p>\n");
	else
		assignment_table(b, &e);
	html_fmt(b, "<form method=\"post\" action=\"/logout\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<button type=\"submit\">Sign out on this device</button>"
	    "</form>\n", ctx->session.csrf);
	page_end(p);
	store_expert_free(&e);
	return buf_failed(b) ? -1 : 0;
}
