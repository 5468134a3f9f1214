/*
 * survey/page-home: the expert's home, listing her key fields and their status.
 * Never shows another expert's assignments.
 */
#include <inttypes.h>

#include "base/html.h"
#include "base/i18n.h"
#include "store/experts.h"
#include "store/mail.h"
#include "app/page.h"
#include "survey/pages.h"

/* The table of her key fields: link, status, when last saved. */
static void
assignment_table(struct buf *b, const struct lang *l,
    const struct store_expert *e)
{
	char	 when[I18N_DATE_MAX];

	html_fmt(b, "<table class=\"list\">\n<caption>%s</caption>\n"
	    "<thead><tr><th scope=\"col\">%s</th>", tr(l, "Assigned key "
	    "fields"), tr(l, "Key field"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "</tr></thead>\n<tbody>\n", tr(l, "Status"), tr(l, "Last saved"));
	for (size_t i = 0; i < e->nassignments; i++) {
		const struct store_assignment *a = &e->assignments[i];

		html_fmt(b, "<tr><td><a href=\"/card/%" PRId64 "\">%s %s</a>"
		    "</td><td>%s", a->id, a->field_code, a->field_title,
		    page_status_label(l, a->status));
		if (a->version > 0 && a->status != STORE_SUBMITTED)
			html_trf(b, tr(l, " (version %d submitted)"),
			    a->version);
		if (a->version > 0 && a->status == STORE_SUBMITTED)
			html_trf(b, tr(l, " (version %d)"), a->version);
		i18n_time(l, a->updated_at != NULL ? a->updated_at : "—",
		    when);
		html_fmt(b, "</td><td>%s</td></tr>\n", when);
	}
	html_raw(b, "</tbody>\n</table>\n");
}

/* The deadline (a date, "2026-12-20") in the page's language. */
static void
deadline_notice(struct buf *b, const struct lang *l, const char *deadline)
{
	char	 day[I18N_DATE_MAX];

	i18n_date(l, deadline, day);
	html_raw(b, "<p class=\"notice\">");
	html_trf(b, tr(l, "Please submit your cards by <strong>%s</strong>."),
	    day);
	html_raw(b, "</p>\n");
}

int
page_home(struct page_ctx *ctx, struct page *p)
{
	const struct lang *l = ctx->lang;
	struct store_expert	 e;
	struct buf		*b = &p->body;
	char			 deadline[16];
	int			 rc;

	if ((rc = store_expert_get(ctx->store, ctx->session.subject_id,
	    &e)) != 0)
		return rc == 1 ? page_error(p, 404, tr(l, "Invitation not "
		    "found"), tr(l, "This invitation is no longer valid.")) :
		    -1;
	if (store_mail_deadline_of(ctx->store, e.id, deadline) == -1) {
		store_expert_free(&e);
		return -1;
	}
	page_begin(p, tr(l, "Your key fields"));
	html_fmt(b, "<h1>%s</h1>\n<p>", e.campaign_title);
	html_trf(b, tr(l, "Welcome, %s. These are the key fields assigned to "
	    "you. Open one to fill in its card; you can save a draft at any "
	    "time and come back from any device with your invitation link."),
	    e.name);
	html_fmt(b, "</p>\n<p class=\"help\">%s</p>\n", tr(l, "What you "
	    "type is kept: while you write, the card saves itself as a draft "
	    "about half a minute after you stop typing and when you leave it "
	    "(the line under the card says when); and if your session has "
	    "ended when you save, the next page keeps everything you typed "
	    "and asks for your invitation link to carry on."));
	if (!e.campaign_open)
		html_fmt(b, "<p class=\"notice\">%s</p>\n", tr(l, "This "
		    "campaign is closed: cards can be read but no longer "
		    "changed."));
	else if (*deadline != '\0')
		deadline_notice(b, l, deadline);
	if (e.nassignments == 0)
		html_fmt(b, "<p>%s</p>\n", tr(l, "No key fields are assigned "
		    "to you yet."));
	else
		assignment_table(b, l, &e);
	html_fmt(b, "<form method=\"post\" action=\"/logout\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<button type=\"submit\">%s</button></form>\n",
	    ctx->session.csrf, tr(l, "Sign out on this device"));
	page_end(p);
	store_expert_free(&e);
	return buf_failed(b) ? -1 : 0;
}
