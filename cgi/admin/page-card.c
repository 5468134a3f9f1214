/*
 * admin/page-card: one response for coordinators: the card read-only in
 * the seed's layout, its versions with a field-level diff between any
 * two, its audit trail, the printable card, and withdrawing it. Never
 * changes an answer.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "admin/console.h"
#include "app/delphi.h"
#include "app/response.h"
#include "base/html.h"
#include "app/view.h"
#include "store/responses.h"

#define VERSION_MAX	1000000

struct versions {
	int	 n;		/* how many */
	struct buf *b;		/* when listing */
	const struct store_response *r;
	const struct lang *lang;
};

/* A version number from the query: 0..max, or -1 when bad or absent. */
static int
version_param(const struct admin_ctx *ctx, const char *name, int max)
{
	const char	*v = req_field(ctx->req, name);
	char		*end;
	long		 n;

	if (v == NULL)
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 0 || n > max ||
	    n > VERSION_MAX)
		return -2;
	return (int)n;
}

/* The 404 page for a version the card does not have: 0 or -1. */
static int
no_version(struct admin_ctx *ctx, struct page *p)
{
	return admin_error(p, ctx, 404, tr(ctx->lang, "No such version"),
	    tr(ctx->lang, "This card has no such version."));
}

struct loaded {
	struct admin_cities	 cities;
	struct form_answers	 a;
};

/* The cities of r's campaign and r's answers at version: NULL on failure. */
static struct loaded *
loaded_open(struct admin_ctx *ctx, const struct store_response *r,
    int version)
{
	struct loaded	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if (admin_cities_load(ctx, r->campaign_id, &l->cities) != 0 ||
	    store_answers_get(ctx->store, r->id, version, &l->a) == -1) {
		form_answers_free(&l->a);
		free(l);
		return NULL;
	}
	return l;
}

static void
loaded_close(struct loaded *l)
{
	if (l == NULL)
		return;
	form_answers_free(&l->a);
	free(l);
}

static int
head(struct buf *b, const struct lang *L, const struct store_response *r,
    int version)
{
	char	 t[100];

	html_fmt(b, "<h1>%s ", r->field_code);
	html_fmt(b, "%s</h1>\n<p class=\"meta\">", r->field_title);
	html_fmt(b, "%s <strong>%s</strong> ", tr(L, "Expert:"),
	    r->expert_name);
	html_fmt(b, "(%s) · %s ", r->expert_email, tr(L, "campaign"));
	html_fmt(b, "%s · %s ", r->campaign_title, tr(L, "status"));
	html_fmt(b, "<strong>%s</strong> · ", admin_status_words(L,
	    r->status));
	if (version > 0)
		html_fmt(b, "%s", admin_trf(t, sizeof(t),
		    tr(L, "showing version %d"), version));
	else
		html_fmt(b, "%s", tr(L, "showing the working copy (not "
		    "submitted)"));
	return html_raw(b, "</p>\n");
}

static int
version_row(void *arg, const struct store_version_row *v)
{
	struct versions	*vs = arg;
	char		 t[64], when[I18N_DATE_MAX];

	vs->n++;
	if (vs->b == NULL)
		return 0;
	html_fmt(vs->b, "<tr><td><a href=\"/admin/r/%" PRId64 "?v=%d\">",
	    vs->r->id, v->version);
	html_fmt(vs->b, "%s</a></td>", admin_trf(t, sizeof(t),
	    tr(vs->lang, "Version %d"), v->version));
	i18n_time(vs->lang, v->submitted_at, when);
	html_fmt(vs->b, "<td>%s</td></tr>\n", when);
	return buf_failed(vs->b) ? -1 : 0;
}

static int
audit_row(void *arg, const struct store_audit_row *a)
{
	struct buf	*b = arg;

	html_fmt(b, "<tr><td>%s</td><td>%s</td>", a->at, a->actor);
	html_fmt(b, "<td>%s</td><td>%s</td></tr>\n", a->action, a->detail);
	return buf_failed(b) ? -1 : 0;
}

struct differ {
	struct buf			*b;
	const struct form_answers	*from, *to;
	const struct lang		*lang;
	int				 changed;
};

/* One row of the diff when x and y (either may be NULL) differ. */
static int
diff_row(struct differ *d, const char *prefix, const char *label,
    const char *x, const char *y)
{
	x = x != NULL ? x : "";
	y = y != NULL ? y : "";
	if (strcmp(x, y) == 0)
		return 0;
	d->changed++;
	html_fmt(d->b, "<tr><th scope=\"row\">%s", prefix);
	html_fmt(d->b, "%s</th><td>", label);
	if (*x != '\0')
		html_fmt(d->b, "<del>%s</del>", x);
	html_raw(d->b, "</td><td>");
	if (*y != '\0')
		html_fmt(d->b, "<ins>%s</ins>", y);
	html_raw(d->b, "</td></tr>\n");
	return buf_failed(d->b) ? -1 : 0;
}

static int
diff_slot(void *arg, const struct view_slot *s)
{
	struct differ	*d = arg;
	struct buf	 x, y;
	int		 rc = -1;

	buf_init(&x, 1024 * 1024);
	buf_init(&y, 1024 * 1024);
	if (view_value(&x, d->from, s) == -1 ||
	    view_value(&y, d->to, s) == -1)
		goto out;
	rc = diff_row(d, "", s->label, buf_str(&x), buf_str(&y));
out:
	buf_free(&x);
	buf_free(&y);
	return rc;
}

/* The reasons of a later Delphi round (app/delphi.h), city by city. */
static int
diff_reasons(struct differ *d, const struct admin_cities *cities)
{
	for (size_t i = 0; i < cities->n; i++)
		if (diff_row(d, tr(d->lang, "Reason for "), cities->v[i].label,
		    form_answer(d->from, DELPHI_REASON_KEY, cities->v[i].key,
		    0), form_answer(d->to, DELPHI_REASON_KEY,
		    cities->v[i].key, 0)) == -1)
			return -1;
	return 0;
}

/* The diff between versions from and to (0 = the working copy). */
static int
diff(struct admin_ctx *ctx, struct buf *b, const struct store_response *r,
    const struct form *f, struct admin_cities *cities, int from, int to)
{
	struct form_answers	 a = { 0 }, c = { 0 };
	struct differ		 d = { .b = b, .from = &a, .to = &c,
	    .lang = ctx->lang };
	const struct lang	*L = ctx->lang;
	char			 t[100];
	int			 rc = -1;

	if (store_answers_get(ctx->store, r->id, from, &a) == -1 ||
	    store_answers_get(ctx->store, r->id, to, &c) == -1)
		goto out;
	html_fmt(b, "<h2 id=\"diff\">%s</h2>\n<table class=\"data diff\">"
	    "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>",
	    admin_trf(t, sizeof(t), tr(L, "Changes from version %d to "
	    "version %d"), from, to), tr(L, "Only the answers that differ"),
	    tr(L, "Question"));
	html_fmt(b, "<th scope=\"col\">%s</th>", admin_trf(t, sizeof(t),
	    tr(L, "Version %d"), from));
	html_fmt(b, "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    admin_trf(t, sizeof(t), tr(L, "Version %d"), to));
	if (view_slots(f, cities->v, cities->n, diff_slot, &d) != 0 ||
	    diff_reasons(&d, cities) == -1)
		goto out;
	if (d.changed == 0)
		html_fmt(b, "<tr><td colspan=\"3\">%s</td></tr>\n",
		    tr(L, "No differences."));
	rc = html_raw(b, "</tbody></table>\n");
out:
	form_answers_free(&a);
	form_answers_free(&c);
	return rc;
}

static void
version_select(struct buf *b, const struct lang *L, const char *name,
    const char *label, int n, int selected)
{
	char	 t[64];

	html_fmt(b, "<label for=\"%s\">", name);
	html_fmt(b, "%s</label> ", label);
	html_fmt(b, "<select id=\"%s\" name=\"%s\">", name, name);
	for (int v = 1; v <= n; v++) {
		html_fmt(b, "<option value=\"%d\"", v);
		if (v == selected)
			html_raw(b, " selected");
		html_fmt(b, ">%s</option>", admin_trf(t, sizeof(t),
		    tr(L, "Version %d"), v));
	}
	html_fmt(b, "<option value=\"0\"%s>%s</option>", selected == 0 ?
	    " selected" : "", tr(L, "Working copy"));
	html_raw(b, "</select>\n");
}

/* The submitted versions, the working copy and the form to compare two. */
static int
versions_part(struct admin_ctx *ctx, struct buf *b,
    const struct store_response *r, int from, int to)
{
	const struct lang *L = ctx->lang;
	struct versions	 vs = { .b = b, .r = r, .lang = ctx->lang };

	html_fmt(b, "<h2 id=\"versions\">%s</h2>\n<table class=\"data\">"
	    "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>",
	    tr(L, "Versions"), tr(L, "Submitted versions"), tr(L, "Version"));
	html_fmt(b, "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    tr(L, "Submitted at"));
	if (store_versions(ctx->store, r->id, version_row, &vs) != 0)
		return -1;
	html_fmt(b, "</tbody></table>\n<p><a href=\"/admin/r/%" PRId64
	    "?v=0\">%s</a></p>\n", r->id, tr(L, "Working copy"));
	html_fmt(b, "<form method=\"get\" action=\"/admin/r/%" PRId64
	    "#diff\">", r->id);
	html_fmt(b, "<fieldset><legend>%s</legend>\n",
	    tr(L, "Compare two versions"));
	version_select(b, L, "from", tr(L, "From"), r->version, from >= 0 ?
	    from : (r->version > 1 ? r->version - 1 : 1));
	version_select(b, L, "to", tr(L, "to"), r->version, to >= 0 ? to :
	    r->version);
	html_fmt(b, "<button type=\"submit\">%s</button></fieldset></form>\n",
	    tr(L, "Compare"));
	return buf_failed(b) ? -1 : 0;
}

/* Every change to the card, from the audit log. */
static int
audit_part(struct admin_ctx *ctx, struct buf *b, int64_t id)
{
	char	 object[RESPONSE_OBJECT_SIZE];

	response_object(object, id);
	html_fmt(b, "<h2 id=\"audit\">%s</h2>\n<table class=\"data\">"
	    "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>",
	    tr(ctx->lang, "Audit log"), tr(ctx->lang, "Every change to this "
	    "card"), tr(ctx->lang, "When (UTC)"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    tr(ctx->lang, "Who"), tr(ctx->lang, "What"), tr(ctx->lang,
	    "Detail"));
	if (store_audit_list(ctx->store, object, audit_row, b) != 0)
		return -1;
	return html_raw(b, "</tbody></table>\n");
}

/*
 * The card id into *r when it is of a campaign the coordinator may use
 * with this request: 0; 1 after the 404 page (no such card, or one of a
 * campaign that is not hers) or the 403 page (a viewer's POST); or -1.
 */
static int
card_access(struct admin_ctx *ctx, struct page *p, int64_t id,
    struct store_response *r)
{
	int	 rc;

	if ((rc = store_response_get(ctx->store, id, r)) == -1 ||
	    (rc == 0 && admin_campaign_role(ctx, r->campaign_id) == -1))
		return -1;
	if (rc == 1 || ctx->role == STORE_ROLE_NONE)
		return admin_error(p, ctx, 404, tr(ctx->lang, "No such card"),
		    tr(ctx->lang, "There is no card with this number.")) ==
		    -1 ? -1 : 1;
	if (ctx->req->method == REQ_POST && !admin_can_change(ctx))
		return admin_read_only(p, ctx) == -1 ? -1 : 1;
	return 0;
}

/*
 * The response of id into *r, its form into *f and the version the "v"
 * parameter asks for (else the latest) into *v: 0; 1 after the 404 (no
 * such card or version) or 503 page; or -1.
 */
static int
find(struct admin_ctx *ctx, struct page *p, int64_t id,
    struct store_response *r, const struct form **f, int *v)
{
	int	 rc;

	if ((rc = card_access(ctx, p, id, r)) != 0)
		return rc;
	if ((*f = admin_form(ctx, r->form_id)) == NULL)
		return admin_error(p, ctx, 503, tr(ctx->lang, "Form not "
		    "loaded"), tr(ctx->lang, "This card's form was imported "
		    "after the console started; it is loaded at the next "
		    "restart.")) == -1 ? -1 : 1;
	if ((*v = version_param(ctx, "v", r->version)) == -2)
		return no_version(ctx, p) == -1 ? -1 : 1;
	if (*v < 0)
		*v = r->version;
	return 0;
}

int
admin_response(struct admin_ctx *ctx, struct page *p, int64_t id)
{
	struct store_response	 r;
	struct loaded		*l;
	const struct form	*f;
	struct buf		*b = &p->body;
	char			 title[sizeof(r.field_code) + 32];
	int			 rc, v, from, to;

	if ((rc = find(ctx, p, id, &r, &f, &v)) != 0)
		return rc == 1 ? 0 : -1;
	from = version_param(ctx, "from", r.version);
	to = version_param(ctx, "to", r.version);
	if (from == -2 || to == -2 || (from < 0) != (to < 0))
		return no_version(ctx, p);
	if ((l = loaded_open(ctx, &r, v)) == NULL)
		return -1;
	admin_trf(title, sizeof(title), tr(ctx->lang, "%s card"),
	    r.field_code);
	rc = -1;
	admin_begin(p, ctx, title);
	head(b, ctx->lang, &r, v);
	html_fmt(b, "<p class=\"noprint\"><a href=\"/admin/c/%s/dashboard\">"
	    "%s</a> · ", r.campaign_slug, tr(ctx->lang, "Back to the "
	    "dashboard"));
	html_fmt(b, "<a href=\"/admin/r/%" PRId64 "/print", r.id);
	html_fmt(b, "?v=%d\">%s</a></p>\n", v, tr(ctx->lang,
	    "Printable card"));
	if (r.status == STORE_SUBMITTED && admin_can_change(ctx)) {
		html_fmt(b, "<form method=\"post\" action=\"/admin/r/%" PRId64
		    "/withdraw\">", r.id);
		admin_csrf(b, ctx);
		html_fmt(b, "<button type=\"submit\">%s</button></form>\n",
		    tr(ctx->lang, "Withdraw this card (it no longer counts; "
		    "its versions are kept)"));
	}
	if (from >= 0 && diff(ctx, b, &r, f, &l->cities, from, to) == -1)
		goto out;
	html_fmt(b, "<h2 id=\"card\">%s</h2>\n", tr(ctx->lang, "The card"));
	if (view_card_in(b, f, ctx->lang, l->cities.v, l->cities.n,
	    &l->a) == -1 ||
	    versions_part(ctx, b, &r, from, to) == -1 ||
	    audit_part(ctx, b, r.id) == -1)
		goto out;
	rc = admin_end(p);
out:
	loaded_close(l);
	return rc;
}

int
admin_response_print(struct admin_ctx *ctx, struct page *p, int64_t id)
{
	struct store_response	 r;
	struct loaded		*l;
	const struct form	*f;
	struct buf		*b = &p->body;
	char			 title[sizeof(r.field_code) +
				    sizeof(r.field_title)];
	int			 rc, v;

	if ((rc = find(ctx, p, id, &r, &f, &v)) != 0)
		return rc == 1 ? 0 : -1;
	if ((l = loaded_open(ctx, &r, v)) == NULL)
		return -1;
	/* title holds both arrays whole, one NUL's room for the space. */
	rc = buf_fmt(title, sizeof(title), "%s %s", r.field_code,
	    r.field_title);
	assert(rc == 0);
	rc = -1;
	admin_begin(p, ctx, title);
	head(b, ctx->lang, &r, v);
	if (view_card_in(b, f, ctx->lang, l->cities.v, l->cities.n,
	    &l->a) == -1)
		goto out;
	rc = admin_end(p);
out:
	loaded_close(l);
	return rc;
}

int
admin_response_withdraw(struct admin_ctx *ctx, struct page *p, int64_t id)
{
	struct store_response	 r;
	char			 href[sizeof("/admin/r/-9223372036854775808")];
	int			 rc;

	if ((rc = card_access(ctx, p, id, &r)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = response_withdraw(ctx->store, id, ctx->actor,
	    ctx->base_url)) == -1)
		return -1;
	if (rc == 1)
		return admin_error(p, ctx, 409, tr(ctx->lang, "Not submitted"),
		    tr(ctx->lang, "Only a submitted card can be withdrawn; "
		    "this one is not (it may have been withdrawn already)."));
	/* href holds "/admin/r/" and the longest id: nothing can be cut. */
	rc = buf_fmt(href, sizeof(href), "/admin/r/%" PRId64, id);
	assert(rc == 0);
	return page_redirect(p, href);
}
