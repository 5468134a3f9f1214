/*
 * survey/page-invite: an invitation link's page (what it is for, one
 * button) and its POST, which signs the expert in. Never signs anyone in
 * on a GET: a mail scanner that fetches the link changes nothing.
 */
#include <inttypes.h>

#include "base/auth.h"
#include "base/html.h"
#include "base/i18n.h"
#include "store/experts.h"
#include "survey/pages.h"
#include "survey/signin.h"


/* The expert of the link's token: 0 and *e, 1 (the 404 page made), -1. */
static int
invited(struct page_ctx *ctx, struct page *p, const char *token,
    struct store_expert *e)
{
	int64_t		 id;
	int		 rc;

	/* The same page whatever the reason: unknown, revoked, malformed. */
	if (!auth_token_valid(token))
		return signin_unknown(p, ctx->lang) == -1 ? -1 : 1;
	if ((rc = signin_link_expert(ctx->store, token, &id)) == 0 &&
	    (rc = store_expert_get(ctx->store, id, e)) == 0)
		return 0;
	if (rc == -1)
		return -1;
	return signin_unknown(p, ctx->lang) == -1 ? -1 : 1;
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
	html_raw(b, "<p class=\"notice\" role=\"status\">");
	html_trf(b, tr(ctx->lang, "You are signed in on this browser as %s "
	    "(%s)."), other.name, other.campaign_title);
	html_raw(b, " ");
	html_trf(b, tr(ctx->lang, "Continue as %s? Continuing signs %s out "
	    "here."), e->name, other.name);
	html_raw(b, "</p>\n");
	store_expert_free(&other);
	return 0;
}

/* What the invitation is and what its button does. */
static void
invitation_text(struct buf *b, const struct lang *l,
    const struct store_expert *e)
{
	html_fmt(b, "<h1>%s</h1>\n<p>", e->campaign_title);
	html_trf(b, tr(l, "The invitation of %s to the key-field cards of "
	    "this campaign."), e->name);
	html_raw(b, " ");
	html_trf(b, tr(l, "The button signs you in on this browser for %d "
	    "days from your last visit (%d days at most); your link signs "
	    "you in again at any time, on any device."),
	    PAGE_SESSION_IDLE / 86400, PAGE_SESSION_MAX / 86400);
	html_raw(b, "</p>\n");
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
	/* The invitee's language (her own, else her browser's). */
	if (!same && signin_lang_of(ctx, e.id) == -1)
		goto out;
	page_begin(p, e.campaign_title);
	invitation_text(b, ctx->lang, &e);
	if (other && signed_in_other(ctx, b, &e) == -1)
		goto out;
	if (same)
		html_fmt(b, "<p class=\"notice\" role=\"status\">%s <a "
		    "href=\"/\">%s</a>.</p>\n", tr(ctx->lang, "You are "
		    "already signed in on this browser:"), tr(ctx->lang,
		    "your key fields"));
	html_fmt(b, "<form method=\"post\" action=\"/i/%s\">\n"
	    "<p class=\"actions\"><button type=\"submit\">", token);
	if (other)
		html_trf(b, tr(ctx->lang, "Continue as %s"), e.name);
	else
		html_fmt(b, "%s", tr(ctx->lang, "Open my key fields"));
	html_raw(b, "</button></p>\n</form>\n");
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
		return page_error(p, 403, tr(ctx->lang, "Sign-in refused"),
		    tr(ctx->lang, "This sign-in did not come from this site's "
		    "own invitation page, so nothing was changed. Open your "
		    "invitation link and press its button."));
	if ((rc = invited(ctx, p, token, &e)) != 0)
		return rc == 1 ? 0 : -1;
	rc = signin_expert(ctx, p, e.id);
	store_expert_free(&e);
	return rc == -1 ? -1 : page_redirect(p, "/");
}
