/*
 * admin/page-campaigns: the campaign list, creating a campaign, and one
 * campaign's set-up: open/close, cities, key fields, experts and their
 * invitation links. Never shows an invitation link except right after
 * making it; never drops an assignment that has answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/console.h"
#include "base/auth.h"
#include "app/campaign.h"
#include "base/html.h"
#include "base/log.h"
#include "app/outbox.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/responses.h"

/* ---- the list and creating a campaign ---- */

static int
campaign_row(void *arg, const struct store_campaign *c)
{
	struct buf	*b = arg;
	char		 href[128];

	snprintf(href, sizeof(href), "/admin/c/%s", c->slug);
	if (html_fmt(b, "<tr><td><a href=\"%s\">%s</a></td><td>%s</td>"
	    "<td>%s</td>", href, c->slug, c->title, c->open ? "open" :
	    "closed") == -1 ||
	    html_fmt(b, "<td>%s ", c->form_name) == -1 ||
	    html_fmt(b, "v%d</td><td class=\"num\">%d</td>", c->form_version,
	    c->nfields) == -1 ||
	    html_fmt(b, "<td class=\"num\">%d</td><td class=\"num\">%d</td>",
	    c->nexperts, c->nsubmitted) == -1 ||
	    html_fmt(b, "<td><a href=\"%s/dashboard\">Dashboard</a></td>"
	    "</tr>\n", href) == -1)
		return -1;
	return 0;
}

static int
campaigns_page(struct admin_ctx *ctx, struct page *p,
    const struct admin_state *st)
{
	struct buf	*b = &p->body;
	const char	*form_sel;
	bool		 seen;

	p->status = st != NULL ? st->status : 200;
	if (admin_begin(p, ctx, "Campaigns") == -1 ||
	    html_raw(b, "<h1>Campaigns</h1>\n<table class=\"data\">\n"
	    "<caption>All campaigns, newest first</caption>\n<thead><tr>"
	    "<th scope=\"col\">Slug</th><th scope=\"col\">Title</th>"
	    "<th scope=\"col\">Status</th><th scope=\"col\">Form</th>"
	    "<th scope=\"col\" class=\"num\">Key fields</th>"
	    "<th scope=\"col\" class=\"num\">Experts</th>"
	    "<th scope=\"col\" class=\"num\">Cards submitted</th>"
	    "<th scope=\"col\">Progress</th></tr></thead>\n<tbody>\n") == -1)
		return -1;
	if (store_campaigns(ctx->store, campaign_row, b) != 0)
		return -1;
	if (html_raw(b, "</tbody>\n</table>\n<h2 id=\"create\">Create a "
	    "campaign</h2>\n") == -1 || admin_problem(b, st, "create") == -1)
		return -1;
	if (html_raw(b, "<form method=\"post\" action=\"/admin/campaigns\">")
	    == -1 || admin_csrf(b, ctx) == -1 ||
	    html_fmt(b, "\n<fieldset><legend>New campaign</legend>\n"
	    "<div class=\"q\"><label for=\"slug\">Slug (letters, digits and "
	    "'-'; used in addresses and file names)</label>\n"
	    "<input type=\"text\" id=\"slug\" name=\"slug\" value=\"%s\" "
	    "required></div>\n", admin_typed(ctx, st, "create", "slug"))
	    == -1 ||
	    html_fmt(b, "<div class=\"q\"><label for=\"title\">Title</label>\n"
	    "<input type=\"text\" id=\"title\" name=\"title\" value=\"%s\" "
	    "required></div>\n", admin_typed(ctx, st, "create", "title"))
	    == -1 ||
	    html_raw(b, "<div class=\"q\"><label for=\"form\">Form</label>\n"
	    "<select id=\"form\" name=\"form\">\n") == -1)
		return -1;
	form_sel = admin_typed(ctx, st, "create", "form");
	for (size_t i = 0; i < ctx->nforms; i++) {
		const char *name = ctx->forms[i].form->name;

		seen = false;
		for (size_t j = 0; j < i; j++)
			if (strcmp(ctx->forms[j].form->name, name) == 0)
				seen = true;
		if (seen)
			continue;
		if (html_fmt(b, "<option value=\"%s\"%s>%s</option>\n", name,
		    strcmp(form_sel, name) == 0 ? " selected" : "",
		    ctx->forms[i].form->title) == -1)
			return -1;
	}
	if (html_fmt(b, "</select></div>\n<div class=\"q\"><label "
	    "for=\"cities\">Cities, one per line as CODE=Name (for example "
	    "Fr=Freiburg)</label>\n<textarea id=\"cities\" name=\"cities\" "
	    "rows=\"6\" required>\n%s</textarea></div>\n</fieldset>\n",
	    admin_typed(ctx, st, "create", "cities")) == -1 ||
	    html_raw(b, "<p class=\"actions\"><button type=\"submit\">Create "
	    "the campaign</button></p>\n</form>\n") == -1)
		return -1;
	return admin_end(p);
}

int
admin_campaigns(struct admin_ctx *ctx, struct page *p)
{
	return campaigns_page(ctx, p, NULL);
}

int
admin_campaign_create(struct admin_ctx *ctx, struct page *p)
{
	struct campaign_new	*c;
	struct admin_state	 st = { .status = 422, .form = "create" };
	char			 slug[CAMPAIGN_SLUG_MAX + 2];
	char			 title[CAMPAIGN_TEXT_MAX + 2];
	char			 form[FORM_NAME_MAX + 2], href[96];
	const char		*cities;
	int			 rc;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	admin_field(ctx, "slug", slug, sizeof(slug));
	admin_field(ctx, "title", title, sizeof(title));
	admin_field(ctx, "form", form, sizeof(form));
	cities = req_field(ctx->req, "cities");
	c->slug = slug;
	c->title = title;
	c->form = form;
	st.problem = campaign_check(c, cities != NULL ? cities : "", "\n");
	if (st.problem == NULL) {
		if ((rc = campaign_create(ctx->store, c, ctx->actor,
		    &st.problem)) == -1) {
			free(c);
			return -1;
		}
		if (rc == 0) {
			free(c);
			snprintf(href, sizeof(href), "/admin/c/%s", slug);
			return page_redirect(p, href);
		}
		st.status = 409;
	}
	free(c);
	return campaigns_page(ctx, p, &st);
}

/* ---- one campaign ---- */

struct manage {
	struct admin_ctx		*ctx;
	struct buf			*b;
	const struct admin_state	*st;
	struct admin_fields		 fields;
	struct admin_assignments	 as;
	const struct store_campaign	*c;
};

static bool
assigned(const struct manage *m, int64_t expert_id, int64_t field_id)
{
	for (size_t i = 0; i < m->as.n; i++)
		if (m->as.v[i].expert_id == expert_id &&
		    m->as.v[i].field_id == field_id)
			return true;
	return false;
}

/* Checkboxes f.ID for every key field; checked as assigned or typed. */
static int
field_boxes(struct manage *m, const char *prefix, int64_t expert_id,
    bool use_typed)
{
	struct buf	*b = m->b;
	char		 name[48], id[80];
	bool		 on;

	if (m->fields.n == 0)
		return html_raw(b, "<p>No key fields yet.</p>\n");
	for (size_t i = 0; i < m->fields.n; i++) {
		snprintf(name, sizeof(name), "f.%lld",
		    (long long)m->fields.v[i].id);
		snprintf(id, sizeof(id), "%s-%s", prefix, name);
		on = use_typed ? req_field(m->ctx->req, name) != NULL :
		    assigned(m, expert_id, m->fields.v[i].id);
		if (html_fmt(b, "<span class=\"option\"><input type=\"checkbox\" "
		    "id=\"%s\" name=\"%s\" value=\"1\"", id, name) == -1 ||
		    (on && html_raw(b, " checked") == -1) ||
		    html_fmt(b, "><label for=\"%s\">%s</label></span>\n", id,
		    m->fields.v[i].code) == -1)
			return -1;
	}
	return 0;
}

static int
city_row(void *arg, const struct store_city *city)
{
	struct manage	*m = arg;
	struct buf	*b = m->b;
	char		 action[160], id[32];

	snprintf(action, sizeof(action), "/admin/c/%s/cities/%lld",
	    m->c->slug, (long long)city->id);
	snprintf(id, sizeof(id), "city-%lld", (long long)city->id);
	if (html_fmt(b, "<tr><th scope=\"row\">%s</th><td>", city->code) == -1 ||
	    html_fmt(b, "<form method=\"post\" action=\"%s\" class=\"inline\">",
	    action) == -1 || admin_csrf(b, m->ctx) == -1 ||
	    html_fmt(b, "<label for=\"%s\">Name of %s</label> ", id,
	    city->code) == -1 ||
	    html_fmt(b, "<input type=\"text\" id=\"%s\" name=\"name\" "
	    "value=\"%s\"> <button type=\"submit\">Rename</button></form>"
	    "</td></tr>\n", id, city->name) == -1)
		return -1;
	return 0;
}

static int
expert_row(void *arg, const struct store_expert_row *e)
{
	struct manage	*m = arg;
	struct buf	*b = m->b;
	char		 base[160], prefix[32];

	snprintf(base, sizeof(base), "/admin/c/%s/experts/%lld", m->c->slug,
	    (long long)e->id);
	snprintf(prefix, sizeof(prefix), "e%lld", (long long)e->id);
	if (html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", e->name,
	    e->email, e->revoked ? "revoked" : "active") == -1 ||
	    html_fmt(b, "<form method=\"post\" action=\"%s/assign\">",
	    base) == -1 || admin_csrf(b, m->ctx) == -1 ||
	    html_fmt(b, "<fieldset><legend>Key fields of %s</legend>\n",
	    e->name) == -1 || field_boxes(m, prefix, e->id, false) == -1 ||
	    html_raw(b, "<button type=\"submit\">Save assignments</button>"
	    "</fieldset></form></td><td>") == -1)
		return -1;
	if (html_fmt(b, "<form method=\"post\" action=\"%s/link\" "
	    "class=\"inline\">", base) == -1 || admin_csrf(b, m->ctx) == -1 ||
	    html_fmt(b, "<button type=\"submit\">%s</button></form>\n",
	    e->revoked ? "New link (reinstates)" : "New link") == -1)
		return -1;
	if (!e->revoked && (html_fmt(b, "<form method=\"post\" "
	    "action=\"%s/revoke\" class=\"inline\">", base) == -1 ||
	    admin_csrf(b, m->ctx) == -1 ||
	    html_raw(b, "<button type=\"submit\">Revoke</button></form>")
	    == -1))
		return -1;
	return html_raw(b, "</td></tr>\n");
}

static int
csv_form(struct manage *m, const char *what, const char *legend,
    const char *columns)
{
	struct buf	*b = m->b;

	if (html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/",
	    m->c->slug) == -1 ||
	    html_fmt(b, "%s/import\" enctype=\"multipart/form-data\">", what)
	    == -1 || admin_csrf(b, m->ctx) == -1 ||
	    html_fmt(b, "\n<fieldset><legend>%s</legend>\n", legend) == -1 ||
	    html_fmt(b, "<p class=\"help\">Columns: %s. A first row with the "
	    "column names is skipped. Quote a value that holds a comma, a "
	    "quote or a line break (RFC 4180).</p>\n", columns) == -1 ||
	    html_fmt(b, "<div class=\"q\"><label for=\"%s-file\">CSV file"
	    "</label>\n", what) == -1 ||
	    html_fmt(b, "<input type=\"file\" id=\"%s-file\" name=\"file\" "
	    "accept=\".csv,text/csv\"></div>\n", what) == -1 ||
	    html_fmt(b, "<div class=\"q\"><label for=\"%s-csv\">or paste the "
	    "CSV text</label>\n", what) == -1 ||
	    html_fmt(b, "<textarea id=\"%s-csv\" name=\"csv\" rows=\"5\">\n",
	    what) == -1 ||
	    html_text(b, admin_typed(m->ctx, m->st, what, "csv")) == -1 ||
	    html_raw(b, "</textarea></div>\n</fieldset>\n<p class=\"actions\">"
	    "<button type=\"submit\">Import</button></p>\n</form>\n") == -1)
		return -1;
	return 0;
}

/* The campaign's heading, links, downloads and the open/close form. */
static void
manage_head(struct manage *m)
{
	static const char *const formats[] = { "csv", "csv-long", "json",
	    "xlsx", "md" };
	struct buf			*b = m->b;
	const struct store_campaign	*c = m->c;

	html_fmt(b, "<h1>%s</h1>\n<p class=\"meta\">Campaign ", c->title);
	html_fmt(b, "<strong>%s</strong> · form %s · ", c->slug,
	    c->form_name);
	html_fmt(b, "<strong>%s</strong></p>\n", c->open ? "open" :
	    "closed: experts can no longer change their cards");
	admin_top(b, m->st);
	html_fmt(b, "<p><a href=\"/admin/c/%s/dashboard\">Dashboard: "
	    "progress and ratings</a></p>\n", c->slug);
	html_fmt(b, "<p><a href=\"/admin/c/%s/partners\">Partners: "
	    "webhooks and their delivery log</a></p>\n", c->slug);
	html_raw(b, "<h2>Downloads</h2>\n<ul>\n");
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		html_fmt(b, "<li><a href=\"/admin/c/%s/export/", c->slug);
		html_fmt(b, "%s\" download>%s</a></li>\n", formats[i],
		    formats[i]);
	}
	html_raw(b, "</ul>\n");
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/", c->slug);
	html_fmt(b, "%s\">", c->open ? "close" : "open");
	admin_csrf(b, m->ctx);
	html_fmt(b, "<button type=\"submit\">%s</button></form>\n",
	    c->open ? "Close the campaign (no more changes by experts)" :
	    "Reopen the campaign");
}

/* The cities and the form that adds one; -1 if they cannot be read. */
static int
manage_cities(struct manage *m)
{
	struct buf	*b = m->b;

	html_raw(b, "<h2 id=\"cities\">Cities</h2>\n<table class=\"data\">"
	    "<caption>Cities in the order of the rating table</caption>\n"
	    "<thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Name"
	    "</th></tr></thead>\n<tbody>\n");
	if (store_cities(m->ctx->store, m->c->id, city_row, m) != 0)
		return -1;
	html_raw(b, "</tbody></table>\n");
	admin_problem(b, m->st, "cities");
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/cities\">",
	    m->c->slug);
	admin_csrf(b, m->ctx);
	html_fmt(b, "<fieldset><legend>Add a city</legend>\n<div class=\"q\">"
	    "<label for=\"city-code\">Code (1 to 8 letters or digits)</label>"
	    "\n<input type=\"text\" id=\"city-code\" name=\"code\" "
	    "value=\"%s\"></div>\n",
	    admin_typed(m->ctx, m->st, "cities", "code"));
	html_fmt(b, "<div class=\"q\"><label for=\"city-name\">Name"
	    "</label>\n<input type=\"text\" id=\"city-name\" name=\"name\" "
	    "value=\"%s\"></div>\n<button type=\"submit\">Add the city"
	    "</button></fieldset></form>\n",
	    admin_typed(m->ctx, m->st, "cities", "name"));
	return 0;
}

/* The key fields, a form to retitle each, and the forms that add. */
static void
manage_fields(struct manage *m)
{
	struct buf	*b = m->b;

	html_raw(b, "<h2 id=\"fields\">Key fields</h2>\n<table "
	    "class=\"data\"><caption>Key fields</caption>\n<thead><tr>"
	    "<th scope=\"col\">Code</th><th scope=\"col\">Title</th></tr>"
	    "</thead>\n<tbody>\n");
	for (size_t i = 0; i < m->fields.n; i++) {
		const struct store_field *f = &m->fields.v[i];

		html_fmt(b, "<tr><th scope=\"row\">%s</th><td><form "
		    "method=\"post\" class=\"inline\" action=\"/admin/c/%s/",
		    f->code, m->c->slug);
		html_fmt(b, "fields/%" PRId64 "\">", f->id);
		admin_csrf(b, m->ctx);
		html_fmt(b, "<label for=\"field-%" PRId64 "\">Title of %s"
		    "</label> ", f->id, f->code);
		html_fmt(b, "<input type=\"text\" id=\"field-%" PRId64 "\" "
		    "name=\"title\" value=\"%s\" size=\"40\"> <button "
		    "type=\"submit\">Save title</button></form></td></tr>\n",
		    f->id, f->title);
	}
	html_raw(b, "</tbody></table>\n");
	admin_problem(b, m->st, "fields");
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/fields\">",
	    m->c->slug);
	admin_csrf(b, m->ctx);
	html_fmt(b, "<fieldset><legend>Add a key field</legend>\n"
	    "<div class=\"q\"><label for=\"field-code\">Code (for example "
	    "SF41)</label>\n<input type=\"text\" id=\"field-code\" "
	    "name=\"code\" value=\"%s\"></div>\n",
	    admin_typed(m->ctx, m->st, "fields", "code"));
	html_fmt(b, "<div class=\"q\"><label for=\"field-title\">Title"
	    "</label>\n<input type=\"text\" id=\"field-title\" name=\"title\" "
	    "value=\"%s\"></div>\n<button type=\"submit\">Add the key field"
	    "</button></fieldset></form>\n",
	    admin_typed(m->ctx, m->st, "fields", "title"));
	csv_form(m, "fields", "Import key fields from CSV", "code,title");
}

/* The experts and the forms that add them; -1 if they cannot be read. */
static int
manage_experts(struct manage *m)
{
	struct buf			*b = m->b;
	const struct admin_state	*st = m->st;

	html_raw(b, "<h2 id=\"experts\">Experts</h2>\n<table "
	    "class=\"data\"><caption>Experts and their key fields</caption>\n"
	    "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">E-mail"
	    "</th><th scope=\"col\">Status</th><th scope=\"col\">Key fields"
	    "</th><th scope=\"col\">Invitation</th></tr></thead>\n<tbody>\n");
	if (store_experts(m->ctx->store, m->c->id, expert_row, m) != 0)
		return -1;
	html_raw(b, "</tbody></table>\n");
	admin_problem(b, st, "experts");
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/experts\">",
	    m->c->slug);
	admin_csrf(b, m->ctx);
	html_fmt(b, "<fieldset><legend>Add an expert</legend>\n"
	    "<div class=\"q\"><label for=\"expert-name\">Name</label>\n"
	    "<input type=\"text\" id=\"expert-name\" name=\"name\" "
	    "value=\"%s\"></div>\n",
	    admin_typed(m->ctx, st, "experts", "name"));
	html_fmt(b, "<div class=\"q\"><label for=\"expert-email\">E-mail"
	    "</label>\n<input type=\"email\" id=\"expert-email\" "
	    "name=\"email\" value=\"%s\"></div>\n",
	    admin_typed(m->ctx, st, "experts", "email"));
	html_raw(b, "<fieldset><legend>Key fields</legend>\n");
	field_boxes(m, "new", 0, st != NULL && st->form != NULL &&
	    strcmp(st->form, "experts") == 0);
	html_raw(b, "</fieldset>\n<button type=\"submit\">Add the expert "
	    "and make the link</button></fieldset></form>\n");
	csv_form(m, "experts", "Import experts from CSV",
	    "name,email,fields (key field codes separated by spaces, commas "
	    "or semicolons)");
	return 0;
}

static int
manage_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct admin_state *st)
{
	struct manage	 m = { .ctx = ctx, .b = &p->body, .st = st, .c = c };
	int		 rc = -1;

	p->status = st != NULL ? st->status : 200;
	if (admin_fields_load(ctx, c->id, &m.fields) == -1 ||
	    admin_assignments_load(ctx, c->id, &m.as) == -1)
		goto out;
	admin_begin(p, ctx, c->title);
	manage_head(&m);
	if (manage_cities(&m) == -1)
		goto out;
	manage_fields(&m);
	if (manage_experts(&m) == -1)
		goto out;
	admin_end(p);
	rc = buf_failed(&p->body) ? -1 : 0;
out:
	admin_fields_free(&m.fields);
	admin_assignments_free(&m.as);
	return rc;
}

static const struct {
	const char	*key, *text;
} notices[] = {
	{ "closed", "The campaign is closed: experts can read their cards "
	    "but no longer change them." },
	{ "opened", "The campaign is open again." },
	{ "city", "The city is saved." },
	{ "field", "The key field is saved." },
	{ "assigned", "The assignments are saved." },
	{ "revoked", "The expert's link is revoked; it no longer works." },
	{ "imported", "The import is done." },
};

int
admin_campaign(struct admin_ctx *ctx, struct page *p, const char *slug)
{
	struct store_campaign	 c;
	struct admin_state	 st = { .status = 200 };
	const char		*done = req_field(ctx->req, "done");
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	for (size_t i = 0; done != NULL &&
	    i < sizeof(notices) / sizeof(notices[0]); i++)
		if (strcmp(done, notices[i].key) == 0)
			st.notice = notices[i].text;
	return manage_page(ctx, p, &c, &st);
}

/* ---- actions ---- */

struct action {
	struct admin_ctx		*ctx;
	const struct store_campaign	*c;
	const char			*what, *verb;
	int64_t				 id;
	char				 a[CAMPAIGN_TEXT_MAX + 2];
	char				 b[CAMPAIGN_TEXT_MAX + 2];
	unsigned char			 hash[AUTH_HASH_BYTES];
	struct admin_fields		*fields;
	int64_t				 new_id;
	const char			*problem;
	int				 status;
};

static int
refuse(struct action *ac, int status, const char *problem)
{
	ac->status = status;
	ac->problem = problem;
	return 1;
}

static int
assign_set(struct store *s, struct action *ac, int64_t expert_id,
    bool typed_only)
{
	char	 name[48];
	int	 rc;

	for (size_t i = 0; i < ac->fields->n; i++) {
		snprintf(name, sizeof(name), "f.%lld",
		    (long long)ac->fields->v[i].id);
		if (req_field(ac->ctx->req, name) != NULL) {
			if ((rc = store_assign(s, expert_id,
			    ac->fields->v[i].id)) == -1)
				return -1;
		} else if (!typed_only) {
			if ((rc = store_unassign(s, expert_id,
			    ac->fields->v[i].id)) == -1)
				return -1;
			if (rc == 1)
				return refuse(ac, 409, "A key field with answers "
				    "cannot be taken away from its expert: "
				    "withdraw the card instead. Nothing was "
				    "changed.");
		}
	}
	return 0;
}

static int
action_txn(struct store *s, void *arg)
{
	struct action	*ac = arg;
	struct store_campaign fresh;
	const char	*actor = ac->ctx->actor;
	char		 object[128];
	int		 rc;

	snprintf(object, sizeof(object), "campaign:%s", ac->c->slug);
	if (strcmp(ac->what, "close") == 0 || strcmp(ac->what, "open") == 0) {
		rc = store_campaign_set_open(s, ac->c->id,
		    strcmp(ac->what, "open") == 0);
		if (rc != 0)
			return rc;
		/* campaign.closed, in this transaction. */
		if (strcmp(ac->what, "close") == 0 && (store_campaign_get(s,
		    ac->c->slug, &fresh) != 0 ||
		    outbox_closed_add(s, &fresh, ac->ctx->base_url) == -1))
			return -1;
		return store_audit(s, actor, strcmp(ac->what, "open") == 0 ?
		    "campaign.open" : "campaign.close", object, "");
	}
	if (strcmp(ac->what, "cities") == 0 && ac->id == 0) {
		if ((rc = store_city_next(s, ac->c->id)) == -1)
			return -1;
		if (rc >= ADMIN_CITIES_MAX)
			return refuse(ac, 409, "A campaign has at most 64 "
			    "cities.");
		if ((rc = store_city_add(s, ac->c->id, ac->a, ac->b, rc)) != 0)
			return rc == 1 ? refuse(ac, 409, "This campaign has a "
			    "city with this code already.") : -1;
		return store_audit(s, actor, "city.add", object, ac->a);
	}
	if (strcmp(ac->what, "cities") == 0) {
		if ((rc = store_city_rename(s, ac->c->id, ac->id, ac->b)) != 0)
			return rc == 1 ? refuse(ac, 404, "There is no such "
			    "city.") : -1;
		return store_audit(s, actor, "city.rename", object, ac->b);
	}
	if (strcmp(ac->what, "fields") == 0 && ac->id == 0) {
		if ((rc = store_field_add(s, ac->c->id, ac->a, ac->b,
		    &ac->new_id)) != 0)
			return rc == 1 ? refuse(ac, 409, "This campaign has a "
			    "key field with this code already.") : -1;
		return store_audit(s, actor, "field.add", object, ac->a);
	}
	if (strcmp(ac->what, "fields") == 0) {
		if ((rc = store_field_retitle(s, ac->c->id, ac->id,
		    ac->b)) != 0)
			return rc == 1 ? refuse(ac, 404, "There is no such key "
			    "field.") : -1;
		return store_audit(s, actor, "field.retitle", object, ac->b);
	}
	/* Experts. */
	if (ac->id == 0) {
		if ((rc = store_expert_add(s, ac->c->id, ac->a, ac->b,
		    ac->hash, &ac->new_id)) != 0)
			return rc == 1 ? refuse(ac, 409, "Please try again.") :
			    -1;
		if ((rc = assign_set(s, ac, ac->new_id, true)) != 0)
			return rc;
		snprintf(object, sizeof(object), "expert:%lld",
		    (long long)ac->new_id);
		return store_audit(s, actor, "expert.add", object, ac->a);
	}
	snprintf(object, sizeof(object), "expert:%lld", (long long)ac->id);
	if (strcmp(ac->verb, "assign") == 0) {
		if ((rc = assign_set(s, ac, ac->id, false)) != 0)
			return rc;
		return store_audit(s, actor, "expert.assign", object, "");
	}
	if (strcmp(ac->verb, "link") == 0) {
		if ((rc = store_expert_token_set(s, ac->c->id, ac->id,
		    ac->hash)) != 0)
			return rc;
		return store_audit(s, actor, "expert.link", object,
		    "new invitation link; the old one no longer works");
	}
	if ((rc = store_expert_revoke(s, ac->c->id, ac->id)) != 0)
		return rc;
	return store_audit(s, actor, "expert.revoke", object, "");
}

/* The page that shows an invitation link, once. */
static int
link_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const char *name, const char *token,
    bool is_new)
{
	struct buf	*b = &p->body;
	char		 url[512];

	snprintf(url, sizeof(url), "%s/i/%s", ctx->base_url, token);
	if (admin_begin(p, ctx, "Invitation link") == -1 ||
	    html_fmt(b, "<h1>Invitation link for %s</h1>\n", name) == -1 ||
	    html_fmt(b, "<p>%s Send this link to the expert. It is shown only "
	    "now: keyfield keeps a hash of it, not the link itself. If it is "
	    "lost, make a new one (the old one then stops working).</p>\n",
	    is_new ? "The expert is added." : "A new link is made; the "
	    "previous link no longer works.") == -1 ||
	    html_fmt(b, "<p class=\"link\" id=\"invitation\">%s</p>\n", url)
	    == -1 ||
	    html_fmt(b, "<p><a href=\"/admin/c/%s#experts\">Back to the "
	    "campaign</a></p>\n", c->slug) == -1)
		return -1;
	return admin_end(p);
}

int
admin_campaign_post(struct admin_ctx *ctx, struct page *p, const char *slug,
    const char *what, int64_t id, const char *verb)
{
	struct store_campaign	 c;
	struct admin_fields	 fields = { 0 };
	struct action		*ac;
	struct admin_state	 st = { .status = 422 };
	char			 token[AUTH_TOKEN_LEN + 1], href[160];
	const char		*done = NULL;
	int			 rc;

	token[0] = '\0';
	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if ((ac = calloc(1, sizeof(*ac))) == NULL)
		return -1;
	rc = -1;
	ac->ctx = ctx;
	ac->c = &c;
	ac->what = what;
	ac->verb = verb;
	ac->id = id;
	ac->fields = &fields;
	st.form = strcmp(what, "close") == 0 || strcmp(what, "open") == 0 ?
	    "state" : what;
	if (strcmp(what, "cities") == 0) {
		admin_field(ctx, "code", ac->a, sizeof(ac->a));
		admin_field(ctx, "name", ac->b, sizeof(ac->b));
		if (id == 0 && !req_word_ok(ac->a, CAMPAIGN_CITY_CODE_MAX, ""))
			st.problem = "A city code is 1 to 8 letters or digits.";
		else if (!req_text_ok(ac->b, CAMPAIGN_CITY_NAME_MAX))
			st.problem = "A city name is 1 to 100 bytes of text.";
		done = "city";
	} else if (strcmp(what, "fields") == 0) {
		admin_field(ctx, "code", ac->a, sizeof(ac->a));
		admin_field(ctx, "title", ac->b, sizeof(ac->b));
		if (id == 0 && !campaign_field_code_ok(ac->a))
			st.problem = "A key field code is "
			    CAMPAIGN_FIELD_CODE_RULE ".";
		else if (!req_text_ok(ac->b, CAMPAIGN_TEXT_MAX))
			st.problem = "A title is " CAMPAIGN_TEXT_RULE ".";
		done = "field";
	} else if (strcmp(what, "experts") == 0) {
		if (admin_fields_load(ctx, c.id, &fields) == -1)
			goto out;
		if (id == 0) {
			admin_field(ctx, "name", ac->a, sizeof(ac->a));
			admin_field(ctx, "email", ac->b, sizeof(ac->b));
			if (!req_text_ok(ac->a, CAMPAIGN_TEXT_MAX))
				st.problem = "The name is "
				    CAMPAIGN_TEXT_RULE ".";
			else if (!req_email_ok(ac->b))
				st.problem = "Enter an e-mail address such as "
				    "name@example.org.";
		}
		if (id == 0 || strcmp(verb, "link") == 0) {
			auth_token_new(token);
			auth_token_hash(token, ac->hash);
		}
		done = verb != NULL && strcmp(verb, "revoke") == 0 ?
		    "revoked" : "assigned";
	} else
		done = strcmp(what, "open") == 0 ? "opened" : "closed";
	if (st.problem == NULL) {
		rc = store_write(ctx->store, action_txn, ac);
		if (rc == -1)
			goto out;
		if (rc == 1 && ac->problem == NULL) {
			/* Nothing to change, or no such expert. */
			if (strcmp(what, "experts") == 0) {
				rc = admin_error(p, ctx, 404, "No such expert",
				    "There is no such expert in this "
				    "campaign.");
				goto out;
			}
			rc = 0;
		}
		if (rc == 0) {
			if (strcmp(what, "experts") == 0 && (id == 0 ||
			    strcmp(verb, "link") == 0)) {
				struct store_expert_row e;

				if (id != 0 && store_expert_row(ctx->store,
				    c.id, id, &e) != 0)
					goto out;
				rc = link_page(ctx, p, &c, id == 0 ? ac->a :
				    e.name, token, id == 0);
				goto out;
			}
			snprintf(href, sizeof(href), "/admin/c/%s?done=%s#%s",
			    slug, done, st.form);
			rc = page_redirect(p, href);
			goto out;
		}
		st.status = ac->status;
		st.problem = ac->problem;
	}
	if (store_campaign_get(ctx->store, slug, &c) != 0) {
		rc = -1;
		goto out;
	}
	rc = manage_page(ctx, p, &c, &st);
out:
	admin_fields_free(&fields);
	free(ac);
	return rc;
}

int
admin_campaign_again(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, int status, const char *form,
    const char *problem_text)
{
	struct admin_state	 st = { .status = status, .form = form,
			    .problem = problem_text };

	return manage_page(ctx, p, c, &st);
}
