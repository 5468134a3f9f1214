/*
 * admin/page-partners: a campaign's partners (webhook receivers): the
 * list with warnings, adding one, and per partner its delivery log, test
 * events, redelivery, disabling and secret rotation. Never shows a secret
 * except right after making it; never prints a response body unescaped,
 * nor to anyone but an administrator (who alone allows private
 * addresses: the two together read the inside of a network).
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "admin/console.h"
#include "base/html.h"
#include "base/i18n.h"
#include "base/log.h"
#include "app/outbox.h"
#include "store/partners.h"
#include "base/webhook.h"
#include "store/campaigns.h"
#include "store/responses.h"

#define DONE_COUNT_MAX	1000000000L	/* ?n= of a "done" notice */

/* true when keyfield-notify disabled p (410, or failing for 5 days). */
static bool
auto_disabled(const struct store_partner *p)
{
	return !p->active &&
	    strcmp(p->disabled_reason, STORE_PARTNER_DISABLED_BY_HAND) != 0;
}

/* A time in ms since the epoch for people, in L, into when. */
static void
ms_time(const struct lang *L, int64_t ms, char when[I18N_DATE_MAX])
{
	char		 iso[32];
	time_t		 t = (time_t)(ms / 1000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	i18n_time(L, iso, when);
}

/* The audit row of what was done to partner id. 0 or -1. */
static int
audit(struct store *s, const char *actor, const char *what, int64_t id,
    const char *detail)
{
	char	 object[64];

	if (buf_fmt(object, sizeof(object), "partner:%" PRId64, id) == -1) {
		log_err("partners: audit object of partner %" PRId64 " cut",
		    id);
		return -1;
	}
	return store_audit(s, actor, what, object, detail);
}

/* ---- the list and adding a partner ---- */

static void
partner_row(struct buf *b, const struct lang *L,
    const struct store_campaign *c, const struct store_partner *v)
{
	html_fmt(b, "<tr><td><a href=\"/admin/c/%s/partners/%" PRId64 "\">"
	    "%s</a></td>", c->slug, v->id, v->name);
	html_fmt(b, "<td class=\"link\">%s</td>", v->url);
	if (v->active)
		html_fmt(b, "<td>%s</td>", tr(L, "active"));
	else
		html_fmt(b, "<td>%s %s</td>", tr(L, "disabled:"),
		    *v->disabled_reason ? v->disabled_reason :
		    tr(L, "no reason given"));
	html_fmt(b, "<td>%s</td><td class=\"num\">%" PRId64 "</td>"
	    "<td class=\"num\">%" PRId64 "</td><td class=\"num\">%" PRId64
	    "</td></tr>\n", v->detail, v->npending, v->ndelivered, v->nfailed);
}

static void
warning(struct buf *b, const struct lang *L, const struct store_campaign *c,
    const struct store_partner *v)
{
	html_fmt(b, "<div class=\"problems\" role=\"alert\"><p>"
	    "<strong>%s <a href=\"/admin/c/%s/partners/%" PRId64 "\">%s</a> "
	    "%s</strong> %s. %s</p></div>\n", tr(L, "Partner"), c->slug,
	    v->id, v->name, tr(L, "was disabled automatically:"),
	    v->disabled_reason, tr(L, "Its events wait for it; when its "
	    "endpoint works again, enable it on its page."));
}

/* The form that adds a partner, with what was typed when it failed. */
static void
add_form(struct buf *b, struct admin_ctx *ctx,
    const struct store_campaign *c, const struct admin_state *st)
{
	const char	*detail = admin_typed(ctx, st, "add", "detail");
	const struct lang *L = ctx->lang;

	html_fmt(b, "<h2 id=\"add\">%s</h2>\n", tr(L, "Add a partner"));
	admin_problem(b, st, "add");
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/"
	    "partners\">", c->slug);
	admin_csrf(b, ctx);
	html_fmt(b, "\n<fieldset><legend>%s</legend>\n<div class=\"q\">"
	    "<label for=\"name\">%s</label>\n<input type=\"text\" id=\"name\" "
	    "name=\"name\" value=\"%s\" required></div>\n", tr(L, "New "
	    "partner"), tr(L, "Name"), admin_typed(ctx, st, "add", "name"));
	html_fmt(b, "<div class=\"q\"><label for=\"url\">%s</label>\n"
	    "<input type=\"text\" id=\"url\" name=\"url\" value=\"%s\" "
	    "required></div>\n", tr(L, "Endpoint URL (https://)"),
	    admin_typed(ctx, st, "add", "url"));
	if (ctx->who.admin)	/* an administrator's choice only */
		html_fmt(b, "<div class=\"q\"><input type=\"checkbox\" "
		    "id=\"allow_private\" name=\"allow_private\" "
		    "value=\"1\"%s> <label for=\"allow_private\">%s</label>"
		    "</div>\n", *admin_typed(ctx, st, "add", "allow_private") ?
		    " checked" : "", tr(L, "Allow http:// and private or "
		    "loopback addresses (a partner inside your own network)"));
	html_fmt(b, "<div class=\"q\"><label for=\"detail\">%s</label>\n"
	    "<select id=\"detail\" name=\"detail\">\n<option "
	    "value=\"summary\">%s</option>\n", tr(L, "Detail"), tr(L,
	    "summary: ratings and the first 280 characters of each text"));
	html_fmt(b, "<option value=\"full\"%s>%s</option>\n</select></div>\n"
	    "</fieldset>\n", strcmp(detail, "full") == 0 ? " selected" : "",
	    tr(L, "full: whole texts, the expert's name and e-mail"));
	html_fmt(b, "<p class=\"actions\"><button type=\"submit\">%s"
	    "</button></p>\n</form>\n", tr(L, "Add the partner"));
}

/* The caption and column heads of the list of partners. */
static void
list_head(struct buf *b, const struct lang *L)
{
	html_fmt(b, "<table class=\"data\">\n<caption>%s</caption>\n<thead>"
	    "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
	    tr(L, "Partners and their deliveries"), tr(L, "Name"),
	    tr(L, "Endpoint"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th>", tr(L, "State"),
	    tr(L, "Detail"), tr(L, "Pending"));
	html_fmt(b, "<th scope=\"col\" class=\"num\">%s</th><th "
	    "scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
	    tr(L, "Delivered"), tr(L, "Failed"));
}

static int
partners_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct admin_state *st)
{
	const struct lang	*L = ctx->lang;
	struct buf		*b = &p->body;
	struct store_partner	*v = NULL;
	size_t			 n = 0;
	char			 title[STORE_NAME_MAX + 32];
	int			 rc = -1;

	p->status = st != NULL ? st->status : 200;
	admin_trf(title, sizeof(title), tr(L, "Partners of %s"), c->title);
	if (store_partners(ctx->store, c->id, store_now_ms(), &v, &n) == -1)
		return -1;
	admin_begin(p, ctx, title);
	html_fmt(b, "<h1>%s</h1>\n", title);
	html_fmt(b, "<p><a href=\"/admin/c/%s\">%s</a></p>\n<p>%s</p>\n",
	    c->slug, tr(L, "Back to the campaign"), tr(L, "Partners receive "
	    "every event of the campaign (cards submitted, revised and "
	    "withdrawn, the campaign closed) as a signed webhook."));
	admin_top(b, st);
	for (size_t i = 0; i < n; i++)
		if (auto_disabled(&v[i]))
			warning(b, L, c, &v[i]);
	if (n == 0)
		html_fmt(b, "<p>%s</p>\n", tr(L, "No partners yet."));
	else {
		list_head(b, L);
		for (size_t i = 0; i < n; i++)
			partner_row(b, L, c, &v[i]);
		html_raw(b, "</tbody>\n</table>\n");
	}
	if (admin_can_change(ctx))
		add_form(b, ctx, c, st);
	admin_end(p);
	rc = buf_failed(b) ? -1 : 0;
	store_partners_free(v, n);
	return rc;
}

int
admin_partners(struct admin_ctx *ctx, struct page *p, const char *slug)
{
	struct store_campaign	 c;
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	return partners_page(ctx, p, &c, NULL);
}

/* The page that shows a secret, once. */
static int
secret_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, int64_t id, const char *name,
    const char *secret, bool is_new)
{
	const struct lang *L = ctx->lang;
	struct buf	*b = &p->body;
	char		 t[200];

	admin_begin(p, ctx, tr(L, "Partner secret"));
	html_fmt(b, "<h1>%s</h1>\n", admin_trf(t, sizeof(t),
	    tr(L, "Signing secret of %s"), name));
	html_fmt(b, "<p>%s %s</p>\n", is_new ? tr(L, "The partner is "
	    "added.") : tr(L, "A new secret is made; the previous one also "
	    "signs for 24 hours, so the partner can switch."), tr(L, "Give "
	    "this secret to the partner: it verifies the webhook-signature "
	    "header of every request with it (Standard Webhooks). It is shown "
	    "only now."));
	html_fmt(b, "<p class=\"link\" id=\"secret\">%s</p>\n", secret);
	html_fmt(b, "<p><a href=\"/admin/c/%s/partners/%" PRId64 "\">%s</a>"
	    "</p>\n", c->slug, id, tr(L, "The partner's page and delivery "
	    "log"));
	admin_end(p);
	return buf_failed(b) ? -1 : 0;
}

struct add {
	int64_t		 campaign_id;
	const char	*actor;
	const char	*name, *url, *secret;
	bool		 allow_private, full;
	int64_t		 id;	/* out */
};

static int
add_txn(struct store *s, void *arg)
{
	struct add	*a = arg;
	int		 rc;

	if ((rc = store_partner_add(s, a->campaign_id, a->name, a->url,
	    a->secret, a->allow_private, a->full, &a->id)) != 0)
		return rc;
	return audit(s, a->actor, "partner.add", a->id, a->url);
}

/* Why the endpoint URL is refused, as st's problem. */
static void
url_problem(struct admin_state *st, enum webhook_url u)
{
	st->problem = st->text;
	/* A message too long for the lead-in is shown whole without. */
	if (buf_fmt(st->text, sizeof(st->text), "The endpoint URL is "
	    "refused: %s", webhook_url_message(u)) == -1) {
		log_warn("partners: URL message cut: %s",
		    webhook_url_message(u));
		st->problem = webhook_url_message(u);
	}
}

int
admin_partner_add(struct admin_ctx *ctx, struct page *p, const char *slug)
{
	struct store_campaign	 c;
	struct admin_state	 st = { .status = 422, .form = "add" };
	struct add		 a;
	enum webhook_url	 u;
	const char		*detail;
	char			 name[STORE_PARTNER_NAME_MAX + 1];
	char			 url[WEBHOOK_URL_MAX + 1];
	char			 secret[WEBHOOK_SECRET_MAX];
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	memset(&a, 0, sizeof(a));
	admin_field(ctx, "name", name, sizeof(name));
	admin_field(ctx, "url", url, sizeof(url));
	detail = req_field(ctx->req, "detail");
	if ((a.allow_private = req_field(ctx->req, "allow_private") != NULL) &&
	    !ctx->who.admin)
		return admin_error(p, ctx, 403, tr(ctx->lang, "Administrators "
		    "only"), tr(ctx->lang, "Only an administrator allows a "
		    "partner on a private network or loopback address. "
		    "Nothing was changed."));
	if (!webhook_name_ok(name, STORE_PARTNER_NAME_MAX)) {
		st.problem = "A partner name is " STORE_PARTNER_NAME_RULE ".";
		return partners_page(ctx, p, &c, &st);
	}
	if ((u = webhook_url_check(url, a.allow_private)) != WEBHOOK_URL_OK) {
		url_problem(&st, u);
		return partners_page(ctx, p, &c, &st);
	}
	if (detail == NULL || (strcmp(detail, "summary") != 0 &&
	    strcmp(detail, "full") != 0)) {
		st.problem = tr(ctx->lang, "Choose the detail level: summary "
		    "or full.");
		return partners_page(ctx, p, &c, &st);
	}
	if (webhook_secret_new(secret) == -1)
		return -1;
	a.campaign_id = c.id;
	a.actor = ctx->actor;
	a.name = name;
	a.url = url;
	a.secret = secret;
	a.full = strcmp(detail, "full") == 0;
	rc = store_write(ctx->store, add_txn, &a);
	if (rc == 1) {
		st.status = 409;
		st.problem = tr(ctx->lang, "This campaign has a partner with "
		    "this name already.");
		rc = partners_page(ctx, p, &c, &st);
	} else if (rc == 0)
		rc = secret_page(ctx, p, &c, a.id, name, secret, true);
	else
		rc = -1;
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

/* ---- one partner ---- */

/* The partner id of campaign c into *out: 0, 1 after a 404 page, -1. */
static int
partner_find(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, int64_t id, struct store_partner *out)
{
	struct store_partner	*v;
	size_t			 n;
	int			 rc = 1;

	if (store_partners(ctx->store, c->id, store_now_ms(), &v, &n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id) {
			*out = v[i];
			memset(&v[i], 0, sizeof(v[i]));
			rc = 0;
			break;
		}
	store_partners_free(v, n);
	if (rc == 1 && admin_error(p, ctx, 404, tr(ctx->lang, "No such "
	    "partner"), tr(ctx->lang, "This campaign has no such partner.")) ==
	    -1)
		return -1;
	return rc;
}

static void
attempt_row(struct buf *b, struct admin_ctx *ctx, const char *action,
    const struct store_attempt *a)
{
	char	 when[I18N_DATE_MAX];

	i18n_time(ctx->lang, a->at, when);
	html_fmt(b, "<tr><td>%s</td><td><code>%s</code><br>%s</td>", when,
	    a->event_id, a->type);
	if (a->status > 0)
		html_fmt(b, "<td>HTTP %d", a->status);
	else
		html_fmt(b, "<td>%s", tr(ctx->lang, "no response"));
	if (*a->error != '\0')
		html_fmt(b, ": %s", a->error);
	html_fmt(b, "</td><td class=\"num\">%" PRId64 " ms</td><td><pre "
	    "class=\"body\">%s</pre></td><td>", a->latency_ms,
	    ctx->who.admin ? a->body : tr(ctx->lang, "(shown to "
	    "administrators)"));
	if (!admin_can_change(ctx)) {
		html_raw(b, "</td></tr>\n");
		return;
	}
	html_fmt(b, "<form method=\"post\" action=\"%s/redeliver\">", action);
	admin_csrf(b, ctx);
	html_fmt(b, "<input type=\"hidden\" name=\"event\" value=\"%s\">"
	    "<button type=\"submit\">%s</button></form></td></tr>\n",
	    a->event_id, tr(ctx->lang, "Redeliver"));
}

/* A form with only a button: POST action/verb. */
static void
button(struct buf *b, struct admin_ctx *ctx, const char *action,
    const char *verb, const char *label)
{
	html_fmt(b, "<form method=\"post\" class=\"inline\" action=\"%s/%s\">",
	    action, verb);
	admin_csrf(b, ctx);
	html_fmt(b, "<button type=\"submit\">%s</button></form>\n", label);
}

/* The partner's name, the way back, and what is wrong with it. */
static void
partner_head(struct buf *b, const struct lang *L,
    const struct store_campaign *c, const struct store_partner *pt,
    const struct admin_state *st)
{
	char	 when[I18N_DATE_MAX], t[200];

	html_fmt(b, "<h1>%s %s</h1>\n", tr(L, "Partner"), pt->name);
	html_fmt(b, "<p><a href=\"/admin/c/%s/partners\">%s</a></p>\n",
	    c->slug, tr(L, "All partners of the campaign"));
	admin_top(b, st);
	if (auto_disabled(pt))
		html_fmt(b, "<div class=\"problems\" role=\"alert\"><p><strong>"
		    "%s</strong> %s. %s</p></div>\n", tr(L, "Disabled "
		    "automatically:"), pt->disabled_reason, tr(L, "Its events "
		    "wait for it; when its endpoint works again, enable it."));
	if (pt->active && pt->failing_since > 0) {
		ms_time(L, pt->failing_since, when);
		html_fmt(b, "<p class=\"issue\" role=\"status\">%s</p>\n",
		    admin_trf(t, sizeof(t), tr(L, "Every delivery has failed "
		    "since %s; after 5 days of failures the partner is "
		    "disabled."), when));
	}
}

/* What the partner is: endpoint, state, detail, deliveries, secrets. */
static void
partner_facts(struct buf *b, const struct lang *L,
    const struct store_partner *pt)
{
	char	 when[I18N_DATE_MAX], t[200];

	html_fmt(b, "<dl><dt>%s</dt><dd class=\"link\">%s</dd>\n",
	    tr(L, "Endpoint"), pt->url);
	html_fmt(b, "<dt>%s</dt><dd>%s", tr(L, "State"), pt->active ?
	    tr(L, "active") : tr(L, "disabled:"));
	if (!pt->active)
		html_fmt(b, " %s", pt->disabled_reason);
	html_fmt(b, "</dd>\n<dt>%s</dt><dd>%s</dd>\n", tr(L, "Detail"),
	    pt->detail);
	html_fmt(b, "<dt>%s</dt><dd>%s</dd>\n", tr(L, "Private addresses"),
	    pt->allow_private ? tr(L, "allowed") : tr(L, "refused"));
	html_fmt(b, "<dt>%s</dt><dd>%s</dd>\n", tr(L, "Deliveries"),
	    admin_trf(t, sizeof(t), tr(L, "%ld pending, %ld delivered, %ld "
	    "failed"), (long)pt->npending, (long)pt->ndelivered,
	    (long)pt->nfailed));
	if (pt->previous_secret != NULL) {
		ms_time(L, pt->previous_until, when);
		html_fmt(b, "<dt>%s</dt><dd>%s</dd>\n", tr(L, "Previous "
		    "secret"), admin_trf(t, sizeof(t), tr(L, "also signs "
		    "until %s"), when));
	}
	html_raw(b, "</dl>\n");
}

/* The buttons, and the forms that send one event or failed ones again. */
static void
partner_actions(struct buf *b, struct admin_ctx *ctx,
    const struct store_partner *pt, const char *action,
    const struct admin_state *st)
{
	const struct lang *L = ctx->lang;

	html_fmt(b, "<h2 id=\"actions\">%s</h2>\n<div class=\"actions\">",
	    tr(L, "Actions"));
	button(b, ctx, action, "test", tr(L, "Send a test event"));
	button(b, ctx, action, pt->active ? "disable" : "enable",
	    pt->active ? tr(L, "Disable") : tr(L, "Enable"));
	button(b, ctx, action, "rotate", tr(L, "Rotate the secret"));
	html_fmt(b, "</div>\n<h3 id=\"redeliver\">%s</h3>\n", tr(L, "Send "
	    "an event again"));
	admin_problem(b, st, "redeliver");
	html_fmt(b, "<form method=\"post\" action=\"%s/redeliver\">", action);
	admin_csrf(b, ctx);
	html_fmt(b, "<div class=\"q\"><label for=\"event\">%s</label>\n"
	    "<input type=\"text\" id=\"event\" name=\"event\" value=\"%s\" "
	    "required></div>\n<button type=\"submit\">%s</button></form>\n",
	    tr(L, "Event id (msg_…)"), admin_typed(ctx, st, "redeliver",
	    "event"), tr(L, "Redeliver the event"));
	html_fmt(b, "<h3 id=\"failed\">%s</h3>\n", tr(L, "Send failed "
	    "events again"));
	admin_problem(b, st, "failed");
	html_fmt(b, "<form method=\"post\" action=\"%s/redeliver-failed\">",
	    action);
	admin_csrf(b, ctx);
	html_fmt(b, "<div class=\"q\"><label for=\"since\">%s</label>\n"
	    "<input type=\"datetime-local\" id=\"since\" name=\"since\" "
	    "value=\"%s\" required></div>\n<button type=\"submit\">%s"
	    "</button></form>\n", tr(L, "Every failed event created since "
	    "(UTC; 2025-01-31 or 2025-01-31T12:00)"), admin_typed(ctx, st,
	    "failed", "since"), tr(L, "Redeliver failed events"));
}

/* The last n delivery attempts, newest first. */
static void
partner_log(struct buf *b, struct admin_ctx *ctx, const char *action,
    const struct store_attempt *v, size_t n)
{
	const struct lang *L = ctx->lang;
	char		 t[100];

	html_fmt(b, "<h2 id=\"log\">%s</h2>\n", tr(L, "Delivery log"));
	if (n == 0) {
		html_fmt(b, "<p>%s</p>\n", tr(L, "No delivery attempts yet."));
		return;
	}
	html_fmt(b, "<table class=\"data\" id=\"attempts\">\n<caption>%s"
	    "</caption>\n<thead><tr><th scope=\"col\">%s</th><th scope="
	    "\"col\">%s</th>", admin_trf(t, sizeof(t), tr(L, "The last %d "
	    "attempts, newest first"), (int)n), tr(L, "Time"), tr(L, "Event"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">"
	    "%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
	    "</thead>\n<tbody>\n", tr(L, "Result"), tr(L, "Latency"),
	    tr(L, "Response (first 1 KB)"), tr(L, "Again"));
	for (size_t i = 0; i < n; i++)
		attempt_row(b, ctx, action, &v[i]);
	html_raw(b, "</tbody>\n</table>\n");
}

static int
partner_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct store_partner *pt,
    const struct admin_state *st)
{
	struct buf		*b = &p->body;
	struct store_attempt	*v = NULL;
	size_t			 n = 0;
	/* "/admin/c/", a slug (< STORE_CODE_MAX), "/partners/", an id */
	char			 action[160];
	int			 rc;

	p->status = st != NULL ? st->status : 200;
	if (buf_fmt(action, sizeof(action), "/admin/c/%s/partners/%" PRId64,
	    c->slug, pt->id) == -1) {
		log_err("partners: form action of partner %" PRId64 " cut",
		    pt->id);
		return -1;
	}
	if (store_attempts(ctx->store, pt->id, STORE_ATTEMPTS_SHOWN, &v, &n)
	    == -1)
		return -1;
	admin_begin(p, ctx, pt->name);
	partner_head(b, ctx->lang, c, pt, st);
	partner_facts(b, ctx->lang, pt);
	if (admin_can_change(ctx))
		partner_actions(b, ctx, pt, action, st);
	partner_log(b, ctx, action, v, n);
	admin_end(p);
	rc = buf_failed(b) ? -1 : 0;
	store_attempts_free(v, n);
	return rc;
}

/*
 * The notice of ?done=WHAT[&n=N] after a POST redirected here into
 * st->notice (NULL for none): 0, or -1 (logged) when it was cut, which
 * DONE_COUNT_MAX keeps from happening.
 */
static int
done_notice(struct admin_ctx *ctx, const struct store_partner *pt,
    struct admin_state *st)
{
	const char	*d = req_field(ctx->req, "done"), *nv;
	const struct lang *L = ctx->lang;
	char		*end;
	long		 k = 0;

	st->notice = NULL;
	if (d == NULL)
		return 0;
	if ((nv = req_field(ctx->req, "n")) != NULL) {
		k = strtol(nv, &end, 10);
		if (*end != '\0' || k < 0 || k > DONE_COUNT_MAX)
			k = 0;
	}
	if (strcmp(d, "test") == 0)
		st->notice = pt->active ? tr(L, "A test event is queued.") :
		    tr(L, "A test event is queued; it is sent when the partner "
		    "is enabled.");
	else if (strcmp(d, "redeliver") == 0)
		st->notice = pt->active ? tr(L, "The event will be sent "
		    "again.") : tr(L, "The event will be sent again once the "
		    "partner is enabled.");
	else if (strcmp(d, "failed") == 0) {
		if (buf_fmt(st->text, sizeof(st->text), pt->active ? trn(L,
		    "%ld failed event will be sent again.", "%ld failed events "
		    "will be sent again.", (unsigned long)k) : trn(L, "%ld "
		    "failed event will be sent again once the partner is "
		    "enabled.", "%ld failed events will be sent again once the "
		    "partner is enabled.", (unsigned long)k), k) == -1) {
			log_err("partners: notice of %ld events cut", k);
			return -1;
		}
		st->notice = st->text;
	} else if (strcmp(d, "enabled") == 0)
		st->notice = tr(L, "The partner is enabled; what waited for it "
		    "is due now.");
	else if (strcmp(d, "disabled") == 0)
		st->notice = tr(L, "The partner is disabled; its events wait "
		    "for it.");
	return 0;
}

int
admin_partner(struct admin_ctx *ctx, struct page *p, const char *slug,
    int64_t id)
{
	struct store_campaign	 c;
	struct store_partner	 pt;
	struct admin_state	 st = { .status = 200 };
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = partner_find(ctx, p, &c, id, &pt)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = done_notice(ctx, &pt, &st)) == 0)
		rc = partner_page(ctx, p, &c, &pt, &st);
	store_partner_free(&pt);
	return rc;
}

/* ---- actions on one partner ---- */

enum verb {
	VERB_DISABLE, VERB_ENABLE, VERB_ROTATE, VERB_TEST, VERB_REDELIVER,
	VERB_FAILED, VERB__MAX
};

static const char *const verbs[] = {
	"disable", "enable", "rotate", "test", "redeliver", "redeliver-failed"
};
_Static_assert(sizeof(verbs) / sizeof(verbs[0]) == VERB__MAX,
    "one name per verb");

struct action {
	enum verb	 verb;
	int64_t		 partner_id;
	const char	*actor;
	const char	*text;		/* secret, event id, since, payload */
	const char	*event_id;	/* test */
	int64_t		 until;		/* rotate */
	int64_t		 n;		/* out: redeliver-failed */
	/* What text and event_id point at; the notice after. */
	char		 secret[WEBHOOK_SECRET_MAX];
	char		 ev[WEBHOOK_ID_MAX], since[40];
	char		 eid[STORE_EVENT_ID_MAX];
	char		*payload;
	const char	*done;
};

static int
action_txn(struct store *s, void *arg)
{
	struct action	*a = arg;
	int64_t		 now = store_now_ms();
	int		 rc = 0;

	switch (a->verb) {
	case VERB_DISABLE:
		rc = store_partner_disable(s, a->partner_id,
		    STORE_PARTNER_DISABLED_BY_HAND);
		break;
	case VERB_ENABLE:
		rc = store_partner_enable(s, a->partner_id, now);
		break;
	case VERB_ROTATE:
		rc = store_partner_rotate(s, a->partner_id, a->text,
		    a->until);
		break;
	case VERB_TEST:
		rc = store_partner_test(s, a->partner_id, a->event_id,
		    a->text, now);
		break;
	case VERB_REDELIVER:
		rc = store_redeliver(s, a->partner_id, a->text, now);
		break;
	case VERB_FAILED:
		rc = store_redeliver_failed(s, a->partner_id, a->text, now,
		    &a->n);
		break;
	case VERB__MAX:
		assert(!"a verb");
	}
	if (rc != 0)
		return rc;
	return audit(s, a->actor, a->verb == VERB_ROTATE ?
	    "partner.rotate-secret" : a->verb == VERB_TEST ? "partner.test" :
	    a->verb == VERB_FAILED ? "partner.redeliver" : a->verb ==
	    VERB_REDELIVER ? "partner.redeliver" : a->verb == VERB_ENABLE ?
	    "partner.enable" : "partner.disable", a->partner_id,
	    a->verb == VERB_REDELIVER || a->verb == VERB_FAILED ? a->text :
	    a->verb == VERB_TEST ? a->event_id : "");
}

/*
 * What a->verb needs, read from the request and checked, into a: 0; 1
 * after the partner's page again with the problem next to its form
 * (st->form, kept for the answer); or -1.
 */
static int
action_read(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct store_partner *pt,
    struct action *a, struct admin_state *st)
{
	char	 at[32];

	switch (a->verb) {
	case VERB_DISABLE:
		a->done = "disabled";
		break;
	case VERB_ENABLE:
		a->done = "enabled";
		break;
	case VERB_ROTATE:
		if (webhook_secret_new(a->secret) == -1)
			return -1;
		a->text = a->secret;
		a->until = store_now_ms() + WEBHOOK_ROTATE_OVERLAP_MS;
		break;
	case VERB_TEST:
		store_event_id_new(a->eid);
		store_now(at);
		if ((a->payload = outbox_test_payload(c->slug, pt->name,
		    a->eid, at)) == NULL)
			return -1;
		a->event_id = a->eid;
		a->text = a->payload;
		a->done = "test";
		break;
	case VERB_REDELIVER:
		admin_field(ctx, "event", a->ev, sizeof(a->ev));
		st->form = "redeliver";
		if (strncmp(a->ev, "msg_", 4) != 0 ||
		    !req_word_ok(a->ev + 4, sizeof(a->ev) - 5, "-_")) {
			st->problem = tr(ctx->lang, "An event id is \"msg_\" "
			    "followed by letters, digits, '-' and '_', as in "
			    "the log below.");
			return partner_page(ctx, p, c, pt, st) == -1 ? -1 : 1;
		}
		a->text = a->ev;
		a->done = "redeliver";
		break;
	case VERB_FAILED:
		admin_field(ctx, "since", a->since, sizeof(a->since));
		st->form = "failed";
		if (!webhook_time_ok(a->since)) {
			st->problem = tr(ctx->lang, "Enter a time such as "
			    "2025-01-31 or 2025-01-31T12:00 (UTC).");
			return partner_page(ctx, p, c, pt, st) == -1 ? -1 : 1;
		}
		a->text = a->since;
		a->done = "failed";
		break;
	case VERB__MAX:
		assert(!"a verb");
	}
	return 0;
}

int
admin_partner_post(struct admin_ctx *ctx, struct page *p, const char *slug,
    int64_t id, const char *verb)
{
	struct store_campaign	 c;
	struct store_partner	 pt;
	struct admin_state	 st = { .status = 422 };
	struct action		 a;
	/* the partner's path, "?done=", a verb, "&n=", a count, "#actions" */
	char			 href[224];
	size_t			 k;
	int			 rc;

	for (k = 0; k < VERB__MAX; k++)
		if (strcmp(verb, verbs[k]) == 0)
			break;
	if (k == VERB__MAX)
		return admin_error(p, ctx, 404, tr(ctx->lang, "Page not "
		    "found"), tr(ctx->lang, "There is no page at this "
		    "address."));
	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = partner_find(ctx, p, &c, id, &pt)) != 0)
		return rc == 1 ? 0 : -1;
	memset(&a, 0, sizeof(a));
	a.verb = (enum verb)k;
	a.partner_id = pt.id;
	a.actor = ctx->actor;
	if ((rc = action_read(ctx, p, &c, &pt, &a, &st)) != 0) {
		rc = rc == 1 ? 0 : -1;
		goto out;
	}
	if ((rc = store_write(ctx->store, action_txn, &a)) == -1)
		goto out;
	if (rc == 1) {
		/* store_redeliver: no such event in the campaign. */
		st.problem = tr(ctx->lang, "This campaign has no event with "
		    "this id. Nothing was changed.");
		rc = partner_page(ctx, p, &c, &pt, &st);
	} else if (a.verb == VERB_ROTATE)
		rc = secret_page(ctx, p, &c, pt.id, pt.name, a.secret, false);
	else if (buf_fmt(href, sizeof(href), "/admin/c/%s/partners/%" PRId64
	    "?done=%s&n=%" PRId64 "#%s", c.slug, pt.id, a.done, a.n,
	    a.verb == VERB_REDELIVER || a.verb == VERB_FAILED ? "log" :
	    "actions") == -1) {
		log_err("partners: redirect after %s cut", verb);
		rc = -1;
	} else
		rc = page_redirect(p, href);
out:
	sodium_memzero(a.secret, sizeof(a.secret));
	free(a.payload);
	store_partner_free(&pt);
	return rc;
}
