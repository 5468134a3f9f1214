/*
 * survey/page-home: the expert's home, listing her key fields and their status.
 * Never shows another expert's assignments.
 */
#include <stdio.h>

#include "base/html.h"
#include "store/experts.h"
#include "app/page.h"
#include "survey/pages.h"

int
page_home(struct page_ctx *ctx, struct page *p)
{
	struct store_expert	 e;
	struct buf		*b = &p->body;
	char			 href[64], when[32];
	int			 rc;

	if ((rc = store_expert_get(ctx->store, ctx->session.subject_id,
	    &e)) != 0)
		return rc == 1 ? page_error(p, 404, "Invitation not found",
		    "This invitation is no longer valid.") : -1;
	rc = -1;
	if (page_begin(p, "Your key fields") == -1 ||
	    html_fmt(b, "<h1>%s</h1>\n<p>Welcome, %s. These are the key "
	    "fields assigned to you. Open one to fill in its card; you can "
	    "save a draft at any time and come back from any device with "
	    "your invitation link.</p>\n", e.campaign_title, e.name) == -1)
		goto out;
	if (!e.campaign_open && html_raw(b, "<p class=\"notice\">This "
	    "campaign is closed: cards can be read but no longer changed."
	    "</p>\n") == -1)
		goto out;
	if (e.nassignments == 0) {
		if (html_raw(b, "<p>No key fields are assigned to you yet."
		    "</p>\n") == -1)
			goto out;
	} else {
		if (html_raw(b, "<table class=\"list\">\n<caption>Assigned "
		    "key fields</caption>\n<thead><tr><th scope=\"col\">Key "
		    "field</th><th scope=\"col\">Status</th><th scope=\"col\">"
		    "Last saved</th></tr></thead>\n<tbody>\n") == -1)
			goto out;
		for (size_t i = 0; i < e.nassignments; i++) {
			const struct store_assignment *a = &e.assignments[i];

			snprintf(href, sizeof(href), "/card/%lld",
			    (long long)a->id);
			if (html_fmt(b, "<tr><td><a href=\"%s\">%s %s</a></td>"
			    "<td>%s", href, a->field_code, a->field_title,
			    store_status_label(a->status)) == -1)
				goto out;
			if (a->version > 0 && a->status != STORE_SUBMITTED &&
			    html_fmt(b, " (version %d submitted)",
			    a->version) == -1)
				goto out;
			if (a->version > 0 && a->status == STORE_SUBMITTED &&
			    html_fmt(b, " (version %d)", a->version) == -1)
				goto out;
			page_time(a->updated_at != NULL ? a->updated_at : "—",
			    when);
			if (html_fmt(b, "</td><td>%s</td></tr>\n", when) == -1)
				goto out;
		}
		if (html_raw(b, "</tbody>\n</table>\n") == -1)
			goto out;
	}
	if (html_fmt(b, "<form method=\"post\" action=\"/logout\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<button type=\"submit\">Sign out on this device</button>"
	    "</form>\n", ctx->session.csrf) == -1)
		goto out;
	rc = page_end(p);
out:
	store_expert_free(&e);
	return rc;
}
