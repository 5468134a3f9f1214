/*
 * survey/page-invite: an invitation link's page (what it is for, one
 * button) and its POST, which signs the expert in. Never signs anyone in
 * on a GET: a mail scanner that fetches the link changes nothing.
 */
#include <inttypes.h>

#include "base/auth.h"
#include "base/html.h"
#include "store/experts.h"
#include "survey/pages.h"
#include "survey/signin.h"

static int
unknown(struct page *p)
{
	/* The same page whatever the reason: unknown, revoked, malformed. */
	return page_error(p, 404, SIGNIN_UNKNOWN_HEADING, SIGNIN_UNKNOWN_TEXT);
}

/* The expert of the link's token: 0 and *e, 1 (the 404 page made), -1. */
static int
invited(struct page_ctx *ctx, struct page *p, const char *token,
    struct store_expert *e)
{
	int64_t		 id;
	int		 rc;

	if (!auth_token_valid(token))
		return unknown(p) == -1 ? -1 : 1;
	if ((rc = signin_link_expert(ctx->store, token, &id)) == 0 &&
	    (rc = store_expert_get(ctx->store, id, e)) == 0)
		return 0;
	if (rc == -1)
		return -1;
	return unknown(p) == -1 ? -1 : 1;
}

/* Who is signed in on this browser now, when it is someone else. */
static int
signed_in_other(struct page_ctx *ctx, struct buf *b,
    const struct store_expert *e)
{
	struct store_expert	 other;
	int			 rc;

	if ((rc = store_expert_get(ctx->store, ctx->session.subject_id,
	    &other)) != 0)
		return rc == 1 ? 0 : -1;
	html_fmt(b, "<p class=\"notice\" role=\"status\">You are signed in "
	    "on this browser as %s (%s). ", other.name, other.campaign_title);
	html_fmt(b, "Continue as %s? Continuing signs %s out here.</p>\n",
	    e->name, other.name);
	store_expert_free(&other);
	return 0;
}

int
page_invitation(struct page_ctx *ctx, struct page *p, const char *token)
{
	struct store_expert	 e;
	struct buf		*b = &p->body;
	bool			 other, same;
	int			 rc;

	if ((rc = invited(ctx, p, token, &e)) != 0)
		return rc == 1 ? 0 : -1;
	rc = -1;
	same = ctx->has_session && ctx->session.subject_id == e.id;
	other = ctx->has_session && !same;
	page_begin(p, e.campaign_title);
	html_fmt(b, "<h1>%s</h1>\n<p>The invitation of %s to the key-field "
	    "cards of this campaign.", e.campaign_title, e.name);
	html_fmt(b, " The button signs you in on this browser for %d days "
	    "from your last visit ", PAGE_SESSION_IDLE / 86400);
	html_fmt(b, "(%d days at most); your link signs you in again at any "
	    "time, on any device.</p>\n", PAGE_SESSION_MAX / 86400);
	if (other && signed_in_other(ctx, b, &e) == -1)
		goto out;
	if (same)
		html_raw(b, "<p class=\"notice\" role=\"status\">You are "
		    "already signed in on this browser: <a href=\"/\">your "
		    "key fields</a>.</p>\n");
	html_fmt(b, "<form method=\"post\" action=\"/i/%s\">\n", token);
	if (other)
		html_fmt(b, "<p class=\"actions\"><button type=\"submit\">"
		    "Continue as %s</button></p>\n</form>\n", e.name);
	else
		html_raw(b, "<p class=\"actions\"><button type=\"submit\">"
		    "Open my key fields</button></p>\n</form>\n");
	rc = page_end(p);
out:
	store_expert_free(&e);
	return rc;
}

int
page_invitation_post(struct page_ctx *ctx, struct page *p,
    const char *token)
{
	struct store_expert	 e;
	int			 rc;

	if (!signin_allowed(ctx))
		return page_error(p, 403, "Sign-in refused", "This sign-in "
		    "did not come from this site's own invitation page, so "
		    "nothing was changed. Open your invitation link and "
		    "press its button.");
	if ((rc = invited(ctx, p, token, &e)) != 0)
		return rc == 1 ? 0 : -1;
	rc = signin_expert(ctx, p, e.id);
	store_expert_free(&e);
	return rc == -1 ? -1 : page_redirect(p, "/");
}
