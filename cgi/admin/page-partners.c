/*
 * admin/page-partners: a campaign's partners (webhook receivers): the
 * list with warnings, adding one, and per partner its delivery log, test
 * events, redelivery, disabling and secret rotation. Never shows a secret
 * except right after making it; never prints a response body unescaped.
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

static int
count(struct buf *b, int64_t n)
{
	return html_int(b, (long long)n);
}

/* ---- the list and adding a partner ---- */

static int
partner_row(struct buf *b, const struct store_campaign *c,
    const struct store_partner *v)
{
	char	 href[160];

	snprintf(href, sizeof(href), "/admin/c/%s/partners/%" PRId64,
	    c->slug, v->id);
	if (html_fmt(b, "<tr><td><a href=\"%s\">%s</a></td>", href, v->name)
	    == -1 ||
	    html_fmt(b, "<td class=\"link\">%s</td>", v->url) == -1)
		return -1;
	if (v->active ? html_raw(b, "<td>active</td>") == -1 :
	    html_fmt(b, "<td>disabled: %s</td>", *v->disabled_reason ?
	    v->disabled_reason : "no reason given") == -1)
		return -1;
	if (html_fmt(b, "<td>%s</td><td class=\"num\">", v->detail) == -1 ||
	    count(b, v->npending) == -1 ||
	    html_raw(b, "</td><td class=\"num\">") == -1 ||
	    count(b, v->ndelivered) == -1 ||
	    html_raw(b, "</td><td class=\"num\">") == -1 ||
	    count(b, v->nfailed) == -1 ||
	    html_raw(b, "</td></tr>\n") == -1)
		return -1;
	return 0;
}

static int
warning(struct buf *b, const struct store_campaign *c,
    const struct store_partner *v)
{
	char	 href[160];

	snprintf(href, sizeof(href), "/admin/c/%s/partners/%" PRId64,
	    c->slug, v->id);
	if (html_fmt(b, "<div class=\"problems\" role=\"alert\"><p>"
	    "<strong>Partner <a href=\"%s\">%s</a> was disabled "
	    "automatically:</strong> ", href, v->name) == -1 ||
	    html_fmt(b, "%s. Its events wait for it; when its endpoint works "
	    "again, enable it on its page.</p></div>\n", v->disabled_reason)
	    == -1)
		return -1;
	return 0;
}

static int
partners_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct admin_state *st)
{
	struct buf		*b = &p->body;
	struct store_partner	*v = NULL;
	size_t			 n = 0;
	const char		*detail;
	char			 title[STORE_NAME_MAX + 16];
	int			 rc = -1;

	p->status = st != NULL ? st->status : 200;
	if (store_partners(ctx->store, c->id, store_now_ms(), &v, &n) == -1)
		return -1;
	snprintf(title, sizeof(title), "Partners of %s", c->title);
	if (admin_begin(p, ctx, title) == -1 ||
	    html_fmt(b, "<h1>Partners of %s</h1>\n", c->title) == -1 ||
	    html_fmt(b, "<p><a href=\"/admin/c/%s\">Back to the campaign</a>"
	    "</p>\n<p>Partners receive every event of the campaign (cards "
	    "submitted, revised and withdrawn, the campaign closed) as a "
	    "signed webhook.</p>\n", c->slug) == -1 || admin_top(b, st) == -1)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (auto_disabled(&v[i]) && warning(b, c, &v[i]) == -1)
			goto out;
	if (n == 0 && html_raw(b, "<p>No partners yet.</p>\n") == -1)
		goto out;
	if (n > 0 && html_raw(b, "<table class=\"data\">\n<caption>Partners "
	    "and their deliveries</caption>\n<thead><tr>"
	    "<th scope=\"col\">Name</th><th scope=\"col\">Endpoint</th>"
	    "<th scope=\"col\">State</th><th scope=\"col\">Detail</th>"
	    "<th scope=\"col\" class=\"num\">Pending</th>"
	    "<th scope=\"col\" class=\"num\">Delivered</th>"
	    "<th scope=\"col\" class=\"num\">Failed</th></tr></thead>\n"
	    "<tbody>\n") == -1)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (partner_row(b, c, &v[i]) == -1)
			goto out;
	if (n > 0 && html_raw(b, "</tbody>\n</table>\n") == -1)
		goto out;
	detail = admin_typed(ctx, st, "add", "detail");
	if (html_raw(b, "<h2 id=\"add\">Add a partner</h2>\n") == -1 ||
	    admin_problem(b, st, "add") == -1 ||
	    html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/"
	    "partners\">", c->slug) == -1 || admin_csrf(b, ctx) == -1 ||
	    html_fmt(b, "\n<fieldset><legend>New partner</legend>\n"
	    "<div class=\"q\"><label for=\"name\">Name</label>\n"
	    "<input type=\"text\" id=\"name\" name=\"name\" value=\"%s\" "
	    "required></div>\n", admin_typed(ctx, st, "add", "name")) == -1 ||
	    html_fmt(b, "<div class=\"q\"><label for=\"url\">Endpoint URL "
	    "(https://)</label>\n<input type=\"text\" id=\"url\" name=\"url\" "
	    "value=\"%s\" required></div>\n",
	    admin_typed(ctx, st, "add", "url")) == -1 ||
	    html_fmt(b, "<div class=\"q\"><input type=\"checkbox\" "
	    "id=\"allow_private\" name=\"allow_private\" value=\"1\"%s> "
	    "<label for=\"allow_private\">Allow http:// and private or "
	    "loopback addresses (a partner inside your own network)</label>"
	    "</div>\n", *admin_typed(ctx, st, "add", "allow_private") ?
	    " checked" : "") == -1 ||
	    html_fmt(b, "<div class=\"q\"><label for=\"detail\">Detail"
	    "</label>\n<select id=\"detail\" name=\"detail\">\n"
	    "<option value=\"summary\">summary: ratings and the first 280 "
	    "characters of each text</option>\n<option value=\"full\"%s>full: "
	    "whole texts, the expert's name and e-mail</option>\n</select>"
	    "</div>\n</fieldset>\n", strcmp(detail, "full") == 0 ?
	    " selected" : "") == -1 ||
	    html_raw(b, "<p class=\"actions\"><button type=\"submit\">Add the "
	    "partner</button></p>\n</form>\n") == -1)
		goto out;
	rc = admin_end(p);
out:
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
	struct buf	*b = &p->body;
	char		 href[160];

	snprintf(href, sizeof(href), "/admin/c/%s/partners/%" PRId64,
	    c->slug, id);
	if (admin_begin(p, ctx, "Partner secret") == -1 ||
	    html_fmt(b, "<h1>Signing secret of %s</h1>\n", name) == -1 ||
	    html_fmt(b, "<p>%s Give this secret to the partner: it verifies "
	    "the webhook-signature header of every request with it (Standard "
	    "Webhooks). It is shown only now.</p>\n", is_new ?
	    "The partner is added." : "A new secret is made; the previous "
	    "one also signs for 24 hours, so the partner can switch.") == -1 ||
	    html_fmt(b, "<p class=\"link\" id=\"secret\">%s</p>\n", secret)
	    == -1 ||
	    html_fmt(b, "<p><a href=\"%s\">The partner's page and delivery "
	    "log</a></p>\n", href) == -1)
		return -1;
	return admin_end(p);
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
	char		 object[64];
	int		 rc;

	if ((rc = store_partner_add(s, a->campaign_id, a->name, a->url,
	    a->secret, a->allow_private, a->full, &a->id)) != 0)
		return rc;
	snprintf(object, sizeof(object), "partner:%" PRId64, a->id);
	return store_audit(s, a->actor, "partner.add", object, a->url);
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
	a.allow_private = req_field(ctx->req, "allow_private") != NULL;
	if (!webhook_name_ok(name, STORE_PARTNER_NAME_MAX)) {
		st.problem = "A partner name is 1 to 100 bytes of text.";
		return partners_page(ctx, p, &c, &st);
	}
	if ((u = webhook_url_check(url, a.allow_private)) != WEBHOOK_URL_OK) {
		snprintf(st.text, sizeof(st.text), "The endpoint URL is "
		    "refused: %s", webhook_url_message(u));
		st.problem = st.text;
		return partners_page(ctx, p, &c, &st);
	}
	if (detail == NULL || (strcmp(detail, "summary") != 0 &&
	    strcmp(detail, "full") != 0)) {
		st.problem = "Choose the detail level: summary or full.";
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
		st.problem = "This campaign has a partner with this name "
		    "already.";
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
	if (rc == 1 && admin_error(p, ctx, 404, "No such partner",
	    "This campaign has no such partner.") == -1)
		return -1;
	return rc;
}

static int
attempt_row(struct buf *b, struct admin_ctx *ctx, const char *action,
    const struct store_attempt *a)
{
	char	 when[32], status[16];

	page_time(a->at, when);
	if (html_fmt(b, "<tr><td>%s</td>", when) == -1 ||
	    html_fmt(b, "<td><code>%s</code><br>%s</td>", a->event_id,
	    a->type) == -1)
		return -1;
	snprintf(status, sizeof(status), "HTTP %d", a->status);
	if (a->status > 0 ? html_fmt(b, "<td>%s", status) == -1 :
	    html_raw(b, "<td>no response") == -1)
		return -1;
	if (*a->error != '\0' && html_fmt(b, ": %s", a->error) == -1)
		return -1;
	if (html_raw(b, "</td><td class=\"num\">") == -1 ||
	    html_int(b, (long long)a->latency_ms) == -1 ||
	    html_raw(b, " ms</td><td><pre class=\"body\">") == -1 ||
	    html_text(b, a->body) == -1 ||
	    html_fmt(b, "</pre></td><td><form method=\"post\" "
	    "action=\"%s/redeliver\">", action) == -1 ||
	    admin_csrf(b, ctx) == -1 ||
	    html_fmt(b, "<input type=\"hidden\" name=\"event\" value=\"%s\">"
	    "<button type=\"submit\">Redeliver</button></form></td></tr>\n",
	    a->event_id) == -1)
		return -1;
	return 0;
}

/* A form with only a button: POST action/verb. */
static int
button(struct buf *b, struct admin_ctx *ctx, const char *action,
    const char *verb, const char *label)
{
	return html_fmt(b, "<form method=\"post\" class=\"inline\" "
	    "action=\"%s/", action) == -1 ||
	    html_fmt(b, "%s\">", verb) == -1 || admin_csrf(b, ctx) == -1 ||
	    html_fmt(b, "<button type=\"submit\">%s</button></form>\n",
	    label) == -1 ? -1 : 0;
}

static int
partner_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct store_partner *pt,
    const struct admin_state *st)
{
	struct buf		*b = &p->body;
	struct store_attempt	*v = NULL;
	size_t			 n = 0;
	char			 action[160], when[32], iso[32];
	time_t			 t;
	struct tm		 tm;
	int			 rc = -1;

	p->status = st != NULL ? st->status : 200;
	if (store_attempts(ctx->store, pt->id, STORE_ATTEMPTS_SHOWN, &v, &n)
	    == -1)
		return -1;
	snprintf(action, sizeof(action), "/admin/c/%s/partners/%" PRId64,
	    c->slug, pt->id);
	if (admin_begin(p, ctx, pt->name) == -1 ||
	    html_fmt(b, "<h1>Partner %s</h1>\n", pt->name) == -1 ||
	    html_fmt(b, "<p><a href=\"/admin/c/%s/partners\">All partners of "
	    "the campaign</a></p>\n", c->slug) == -1 || admin_top(b, st) == -1)
		goto out;
	if (auto_disabled(pt) && html_fmt(b, "<div class=\"problems\" "
	    "role=\"alert\"><p><strong>Disabled automatically:</strong> %s. "
	    "Its events wait for it; when its endpoint works again, enable "
	    "it.</p></div>\n", pt->disabled_reason) == -1)
		goto out;
	if (pt->active && pt->failing_since > 0) {
		t = (time_t)(pt->failing_since / 1000);
		gmtime_r(&t, &tm);
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
		page_time(iso, when);
		if (html_fmt(b, "<p class=\"issue\" role=\"status\">Every "
		    "delivery has failed since %s; after 5 days of failures "
		    "the partner is disabled.</p>\n", when) == -1)
			goto out;
	}
	if (html_fmt(b, "<dl><dt>Endpoint</dt><dd class=\"link\">%s</dd>\n",
	    pt->url) == -1 ||
	    html_fmt(b, "<dt>State</dt><dd>%s", pt->active ? "active" :
	    "disabled: ") == -1 ||
	    (!pt->active && html_text(b, pt->disabled_reason) == -1) ||
	    html_fmt(b, "</dd>\n<dt>Detail</dt><dd>%s</dd>\n", pt->detail)
	    == -1 ||
	    html_fmt(b, "<dt>Private addresses</dt><dd>%s</dd>\n",
	    pt->allow_private ? "allowed" : "refused") == -1 ||
	    html_raw(b, "<dt>Deliveries</dt><dd>") == -1 ||
	    count(b, pt->npending) == -1 ||
	    html_raw(b, " pending, ") == -1 ||
	    count(b, pt->ndelivered) == -1 ||
	    html_raw(b, " delivered, ") == -1 ||
	    count(b, pt->nfailed) == -1 ||
	    html_raw(b, " failed</dd>\n") == -1)
		goto out;
	if (pt->previous_secret != NULL) {
		t = (time_t)(pt->previous_until / 1000);
		gmtime_r(&t, &tm);
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
		page_time(iso, when);
		if (html_fmt(b, "<dt>Previous secret</dt><dd>also signs until "
		    "%s</dd>\n", when) == -1)
			goto out;
	}
	if (html_raw(b, "</dl>\n<h2 id=\"actions\">Actions</h2>\n"
	    "<div class=\"actions\">") == -1 ||
	    button(b, ctx, action, "test", "Send a test event") == -1 ||
	    button(b, ctx, action, pt->active ? "disable" : "enable",
	    pt->active ? "Disable" : "Enable") == -1 ||
	    button(b, ctx, action, "rotate", "Rotate the secret") == -1 ||
	    html_raw(b, "</div>\n") == -1)
		goto out;
	if (html_raw(b, "<h3 id=\"redeliver\">Send an event again</h3>\n")
	    == -1 || admin_problem(b, st, "redeliver") == -1 ||
	    html_fmt(b, "<form method=\"post\" action=\"%s/redeliver\">",
	    action) == -1 || admin_csrf(b, ctx) == -1 ||
	    html_fmt(b, "<div class=\"q\"><label for=\"event\">Event id "
	    "(msg_…)</label>\n<input type=\"text\" id=\"event\" name=\"event\" "
	    "value=\"%s\" required></div>\n<button type=\"submit\">Redeliver "
	    "the event</button></form>\n", admin_typed(ctx, st, "redeliver",
	    "event")) == -1 ||
	    html_raw(b, "<h3 id=\"failed\">Send failed events again</h3>\n")
	    == -1 || admin_problem(b, st, "failed") == -1 ||
	    html_fmt(b, "<form method=\"post\" action=\"%s/redeliver-failed\">",
	    action) == -1 || admin_csrf(b, ctx) == -1 ||
	    html_fmt(b, "<div class=\"q\"><label for=\"since\">Every failed "
	    "event created since (UTC; 2025-01-31 or 2025-01-31T12:00)"
	    "</label>\n<input type=\"datetime-local\" id=\"since\" "
	    "name=\"since\" value=\"%s\" required></div>\n<button "
	    "type=\"submit\">Redeliver failed events</button></form>\n",
	    admin_typed(ctx, st, "failed", "since")) == -1)
		goto out;
	if (html_raw(b, "<h2 id=\"log\">Delivery log</h2>\n") == -1)
		goto out;
	if (n == 0 && html_raw(b, "<p>No delivery attempts yet.</p>\n") == -1)
		goto out;
	if (n > 0 && (html_raw(b, "<table class=\"data\" id=\"attempts\">\n"
	    "<caption>The last ") == -1 || html_int(b, (long long)n) == -1 ||
	    html_raw(b, " attempts, newest first</caption>\n<thead><tr>"
	    "<th scope=\"col\">Time</th><th scope=\"col\">Event</th>"
	    "<th scope=\"col\">Result</th>"
	    "<th scope=\"col\" class=\"num\">Latency</th>"
	    "<th scope=\"col\">Response (first 1 KB)</th>"
	    "<th scope=\"col\">Again</th></tr></thead>\n<tbody>\n") == -1))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (attempt_row(b, ctx, action, &v[i]) == -1)
			goto out;
	if (n > 0 && html_raw(b, "</tbody>\n</table>\n") == -1)
		goto out;
	rc = admin_end(p);
out:
	store_attempts_free(v, n);
	return rc;
}

/* The notice of ?done=WHAT[&n=N] after a POST redirected here. */
static const char *
done_notice(struct admin_ctx *ctx, const struct store_partner *pt,
    struct admin_state *st)
{
	const char	*d = req_field(ctx->req, "done"), *nv;
	char		*end;
	long		 k = 0;

	if (d == NULL)
		return NULL;
	if ((nv = req_field(ctx->req, "n")) != NULL) {
		k = strtol(nv, &end, 10);
		if (*end != '\0' || k < 0 || k > DONE_COUNT_MAX)
			k = 0;
	}
	if (strcmp(d, "test") == 0)
		return pt->active ? "A test event is queued." :
		    "A test event is queued; it is sent when the partner is "
		    "enabled.";
	if (strcmp(d, "redeliver") == 0)
		return pt->active ? "The event will be sent again." :
		    "The event will be sent again once the partner is enabled.";
	if (strcmp(d, "failed") == 0) {
		snprintf(st->text, sizeof(st->text), "%ld failed event%s will "
		    "be sent again%s.", k, k == 1 ? "" : "s", pt->active ? "" :
		    " once the partner is enabled");
		return st->text;
	}
	if (strcmp(d, "enabled") == 0)
		return "The partner is enabled; what waited for it is due now.";
	if (strcmp(d, "disabled") == 0)
		return "The partner is disabled; its events wait for it.";
	return NULL;
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
	st.notice = done_notice(ctx, &pt, &st);
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
};

static int
action_txn(struct store *s, void *arg)
{
	struct action	*a = arg;
	char		 object[64];
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
	snprintf(object, sizeof(object), "partner:%" PRId64, a->partner_id);
	return store_audit(s, a->actor, a->verb == VERB_ROTATE ?
	    "partner.rotate-secret" : a->verb == VERB_TEST ? "partner.test" :
	    a->verb == VERB_FAILED ? "partner.redeliver" : a->verb ==
	    VERB_REDELIVER ? "partner.redeliver" : a->verb == VERB_ENABLE ?
	    "partner.enable" : "partner.disable", object,
	    a->verb == VERB_REDELIVER || a->verb == VERB_FAILED ? a->text :
	    a->verb == VERB_TEST ? a->event_id : "");
}

int
admin_partner_post(struct admin_ctx *ctx, struct page *p, const char *slug,
    int64_t id, const char *verb)
{
	struct store_campaign	 c;
	struct store_partner	 pt;
	struct admin_state	 st = { .status = 422 };
	struct action		 a;
	char			 secret[WEBHOOK_SECRET_MAX], ev[WEBHOOK_ID_MAX];
	char			 since[40], at[32], href[224];
	char			 eid[STORE_EVENT_ID_MAX], *payload = NULL;
	const char		*done = NULL;
	size_t			 k;
	int			 rc;

	for (k = 0; k < VERB__MAX; k++)
		if (strcmp(verb, verbs[k]) == 0)
			break;
	if (k == VERB__MAX)
		return admin_error(p, ctx, 404, "Page not found",
		    "There is no page at this address.");
	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = partner_find(ctx, p, &c, id, &pt)) != 0)
		return rc == 1 ? 0 : -1;
	memset(&a, 0, sizeof(a));
	a.verb = (enum verb)k;
	a.partner_id = pt.id;
	a.actor = ctx->actor;
	secret[0] = '\0';
	rc = -1;
	switch (a.verb) {
	case VERB_DISABLE:
		done = "disabled";
		break;
	case VERB_ENABLE:
		done = "enabled";
		break;
	case VERB_ROTATE:
		if (webhook_secret_new(secret) == -1)
			goto out;
		a.text = secret;
		a.until = store_now_ms() + WEBHOOK_ROTATE_OVERLAP_MS;
		break;
	case VERB_TEST:
		store_event_id_new(eid);
		store_now(at);
		if ((payload = outbox_test_payload(c.slug, pt.name, eid, at))
		    == NULL)
			goto out;
		a.event_id = eid;
		a.text = payload;
		done = "test";
		break;
	case VERB_REDELIVER:
		admin_field(ctx, "event", ev, sizeof(ev));
		st.form = "redeliver";
		if (strncmp(ev, "msg_", 4) != 0 ||
		    !req_word_ok(ev + 4, sizeof(ev) - 5, "-_")) {
			st.problem = "An event id is \"msg_\" followed by "
			    "letters, digits, '-' and '_', as in the log "
			    "below.";
			rc = partner_page(ctx, p, &c, &pt, &st);
			goto out;
		}
		a.text = ev;
		done = "redeliver";
		break;
	case VERB_FAILED:
		admin_field(ctx, "since", since, sizeof(since));
		st.form = "failed";
		if (!webhook_time_ok(since)) {
			st.problem = "Enter a time such as 2025-01-31 or "
			    "2025-01-31T12:00 (UTC).";
			rc = partner_page(ctx, p, &c, &pt, &st);
			goto out;
		}
		a.text = since;
		done = "failed";
		break;
	case VERB__MAX:
		assert(!"a verb");
	}
	if ((rc = store_write(ctx->store, action_txn, &a)) == -1)
		goto out;
	if (rc == 1) {
		/* store_redeliver: no such event in the campaign. */
		st.problem = "This campaign has no event with this id. Nothing "
		    "was changed.";
		rc = partner_page(ctx, p, &c, &pt, &st);
		goto out;
	}
	if (a.verb == VERB_ROTATE) {
		rc = secret_page(ctx, p, &c, pt.id, pt.name, secret, false);
		goto out;
	}
	snprintf(href, sizeof(href), "/admin/c/%s/partners/%" PRId64
	    "?done=%s&n=%" PRId64 "#%s", c.slug, pt.id, done, a.n,
	    a.verb == VERB_REDELIVER || a.verb == VERB_FAILED ? "log" :
	    "actions");
	rc = page_redirect(p, href);
out:
	sodium_memzero(secret, sizeof(secret));
	free(payload);
	store_partner_free(&pt);
	return rc;
}
