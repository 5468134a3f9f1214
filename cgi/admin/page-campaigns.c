/*
 * admin/page-campaigns: the campaign list, creating a campaign, and one
 * campaign's set-up: open/close, cities, key fields, experts (a page of
 * them at a time; one expert's key fields on a page of her own) and their
 * invitation links. Never shows an invitation link except right after
 * making it; never drops an assignment that has answers; never lists a
 * campaign that is not the coordinator's, nor offers a viewer a form.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "admin/console.h"
#include "base/auth.h"
#include "app/campaign.h"
#include "app/expert.h"
#include "base/html.h"
#include "base/log.h"
#include "app/mailq.h"
#include "app/outbox.h"
#include "store/campaigns.h"
#include "store/rounds.h"
#include "store/experts.h"
#include "store/responses.h"

/* ---- the list and creating a campaign ---- */

static int
campaign_row(void *arg, const struct store_campaign *c)
{
	struct buf	*b = arg;

	html_fmt(b, "<tr><td><a href=\"/admin/c/%s\">%s</a></td><td>%s</td>"
	    "<td>%s</td>", c->slug, c->slug, c->title, c->open ? "open" :
	    "closed");
	html_fmt(b, "<td>%s ", c->form_name);
	html_fmt(b, "v%d</td><td class=\"num\">%d</td>", c->form_version,
	    c->nfields);
	html_fmt(b, "<td class=\"num\">%d</td><td class=\"num\">%d</td>",
	    c->nexperts, c->nsubmitted);
	html_fmt(b, "<td><a href=\"/admin/c/%s/dashboard\">Dashboard</a></td>"
	    "</tr>\n", c->slug);
	return buf_failed(b) ? -1 : 0;
}

/* The forms to choose from, each name once; the typed one selected. */
static void
form_options(const struct admin_ctx *ctx, struct buf *b,
    const char *selected)
{
	for (size_t i = 0; i < ctx->nforms; i++) {
		const char	*name = ctx->forms[i].form->name;
		bool		 seen = false;

		for (size_t j = 0; j < i; j++)
			if (strcmp(ctx->forms[j].form->name, name) == 0)
				seen = true;
		if (seen)
			continue;
		html_fmt(b, "<option value=\"%s\"%s>%s</option>\n", name,
		    strcmp(selected, name) == 0 ? " selected" : "",
		    ctx->forms[i].form->title);
	}
}

static int
campaigns_page(struct admin_ctx *ctx, struct page *p,
    const struct admin_state *st)
{
	struct buf	*b = &p->body;

	p->status = st != NULL ? st->status : 200;
	admin_begin(p, ctx, "Campaigns");
	html_fmt(b, "<h1>Campaigns</h1>\n<table class=\"data\">\n"
	    "<caption>%s, newest first</caption>\n<thead><tr>",
	    ctx->who.admin ? "All campaigns" : "Your campaigns");
	html_raw(b, ""
	    "<th scope=\"col\">Slug</th><th scope=\"col\">Title</th>"
	    "<th scope=\"col\">Status</th><th scope=\"col\">Form</th>"
	    "<th scope=\"col\" class=\"num\">Key fields</th>"
	    "<th scope=\"col\" class=\"num\">Experts</th>"
	    "<th scope=\"col\" class=\"num\">Cards submitted</th>"
	    "<th scope=\"col\">Progress</th></tr></thead>\n<tbody>\n");
	if (store_campaigns(ctx->store, ctx->who.admin ? 0 : ctx->who.id,
	    campaign_row, b) != 0)
		return -1;
	html_raw(b, "</tbody>\n</table>\n");
	if (!ctx->who.admin)
		return admin_end(p);
	html_raw(b, "<h2 id=\"create\">Create a campaign</h2>\n");
	admin_problem(b, st, "create");
	html_raw(b, "<form method=\"post\" action=\"/admin/campaigns\">");
	admin_csrf(b, ctx);
	html_fmt(b, "\n<fieldset><legend>New campaign</legend>\n"
	    "<div class=\"q\"><label for=\"slug\">Slug (letters, digits and "
	    "'-'; used in addresses and file names)</label>\n"
	    "<input type=\"text\" id=\"slug\" name=\"slug\" value=\"%s\" "
	    "required></div>\n", admin_typed(ctx, st, "create", "slug"));
	html_fmt(b, "<div class=\"q\"><label for=\"title\">Title</label>\n"
	    "<input type=\"text\" id=\"title\" name=\"title\" value=\"%s\" "
	    "required></div>\n", admin_typed(ctx, st, "create", "title"));
	html_raw(b, "<div class=\"q\"><label for=\"form\">Form</label>\n"
	    "<select id=\"form\" name=\"form\">\n");
	form_options(ctx, b, admin_typed(ctx, st, "create", "form"));
	html_fmt(b, "</select></div>\n<div class=\"q\"><label "
	    "for=\"cities\">Cities, one per line as CODE=Name (for example "
	    "Fr=Freiburg)</label>\n<textarea id=\"cities\" name=\"cities\" "
	    "rows=\"6\" required>\n%s</textarea></div>\n</fieldset>\n",
	    admin_typed(ctx, st, "create", "cities"));
	html_raw(b, "<p class=\"actions\"><button type=\"submit\">Create "
	    "the campaign</button></p>\n</form>\n");
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
	char			 form[FORM_NAME_MAX + 2];
	char			 href[sizeof("/admin/c/") + sizeof(slug)];
	const char		*cities;
	int			 rc;

	if (!ctx->who.admin)
		return admin_error(p, ctx, 403, "Administrators only",
		    "Only an administrator creates campaigns. Nothing was "
		    "changed.");
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
			/* href holds "/admin/c/" and all of slug's array. */
			rc = buf_fmt(href, sizeof(href), "/admin/c/%s", slug);
			assert(rc == 0);
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
	struct page			*p;
	struct buf			*b;
	const struct admin_state	*st;
	struct admin_fields		 fields;
	const struct store_campaign	*c;
	int64_t				 page;	/* of experts, from 1 */
	int64_t				 nexperts;
};

/* Room for the name of a key field's checkbox, "f." and any int64_t. */
#define FIELD_NAME_SIZE	sizeof("f.-9223372036854775808")

/* The name of key field id's checkbox: "f.ID". */
static void
field_name(char out[FIELD_NAME_SIZE], int64_t id)
{
	int	 rc;

	/* FIELD_NAME_SIZE holds the longest id: nothing can be cut. */
	rc = buf_fmt(out, FIELD_NAME_SIZE, "f.%" PRId64, id);
	assert(rc == 0);
	(void)rc;
}

/* Is code one of codes, ", " apart (store_experts_page)? */
static bool
has_code(const char *codes, const char *code)
{
	size_t	 n = strlen(code), k;

	for (; *codes != '\0'; codes += k + (codes[k] == ',' ? 2 : 0)) {
		k = strcspn(codes, ",");
		if (k == n && memcmp(codes, code, n) == 0)
			return true;
	}
	return false;
}

/*
 * Checkboxes f.ID for every key field; checked as typed (use_typed), or
 * when its code is one of codes.
 */
static void
field_boxes(struct manage *m, const char *prefix, const char *codes,
    bool use_typed)
{
	struct buf	*b = m->b;
	char		 name[FIELD_NAME_SIZE];
	bool		 on;

	if (m->fields.n == 0) {
		html_raw(b, "<p>No key fields yet.</p>\n");
		return;
	}
	for (size_t i = 0; i < m->fields.n; i++) {
		field_name(name, m->fields.v[i].id);
		on = use_typed ? req_field(m->ctx->req, name) != NULL :
		    has_code(codes, m->fields.v[i].code);
		html_fmt(b, "<span class=\"option\"><input type=\"checkbox\" "
		    "id=\"%s-%s\" name=\"%s\" value=\"1\"", prefix, name, name);
		if (on)
			html_raw(b, " checked");
		html_fmt(b, "><label for=\"%s-%s\">%s</label></span>\n", prefix,
		    name, m->fields.v[i].code);
	}
}

static int
city_row(void *arg, const struct store_city *city)
{
	struct manage	*m = arg;
	struct buf	*b = m->b;

	html_fmt(b, "<tr><th scope=\"row\">%s</th><td>", city->code);
	if (!admin_can_change(m->ctx)) {
		html_fmt(b, "%s</td></tr>\n", city->name);
		return buf_failed(b) ? -1 : 0;
	}
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/cities/"
	    "%" PRId64 "\" class=\"inline\">", m->c->slug, city->id);
	admin_csrf(b, m->ctx);
	html_fmt(b, "<label for=\"city-%" PRId64 "\">Name of %s</label> ",
	    city->id, city->code);
	html_fmt(b, "<input type=\"text\" id=\"city-%" PRId64 "\" "
	    "name=\"name\" value=\"%s\"> <button type=\"submit\">Rename"
	    "</button></form></td></tr>\n", city->id, city->name);
	return buf_failed(b) ? -1 : 0;
}

/* An invitation link's forms for expert id: a new one, revoking it. */
static void
link_forms(struct manage *m, int64_t id, bool revoked)
{
	struct buf	*b = m->b;

	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/experts/"
	    "%" PRId64 "/link\" class=\"inline\">", m->c->slug, id);
	admin_csrf(b, m->ctx);
	html_fmt(b, "<button type=\"submit\">%s</button></form>\n",
	    revoked ? "New link (reinstates)" : "New link");
	if (!revoked) {
		html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/"
		    "experts/%" PRId64 "/revoke\" class=\"inline\">",
		    m->c->slug, id);
		admin_csrf(b, m->ctx);
		html_raw(b, "<button type=\"submit\">Revoke</button></form>");
	}
}

static int
expert_row(void *arg, const struct store_expert_item *e)
{
	struct manage	*m = arg;
	struct buf	*b = m->b;

	html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", e->name,
	    e->email, e->revoked ? "revoked" : "active");
	html_fmt(b, "%s <a href=\"/admin/c/%s/experts/", *e->fields != '\0' ?
	    e->fields : "none", m->c->slug);
	html_fmt(b, "%" PRId64 "\">%s</a></td><td>", e->id,
	    admin_can_change(m->ctx) ? "Change" : "Details");
	if (admin_can_change(m->ctx))
		link_forms(m, e->id, e->revoked);
	html_raw(b, "</td></tr>\n");
	return buf_failed(b) ? -1 : 0;
}

static void
csv_form(struct manage *m, const char *what, const char *legend,
    const char *columns)
{
	struct buf	*b = m->b;

	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/",
	    m->c->slug);
	html_fmt(b, "%s/import\" enctype=\"multipart/form-data\">", what);
	admin_csrf(b, m->ctx);
	html_fmt(b, "\n<fieldset><legend>%s</legend>\n", legend);
	html_fmt(b, "<p class=\"help\">Columns: %s. A first row with the "
	    "column names is skipped. Quote a value that holds a comma, a "
	    "quote or a line break (RFC 4180).</p>\n", columns);
	html_fmt(b, "<div class=\"q\"><label for=\"%s-file\">CSV file"
	    "</label>\n", what);
	html_fmt(b, "<input type=\"file\" id=\"%s-file\" name=\"file\" "
	    "accept=\".csv,text/csv\"></div>\n", what);
	html_fmt(b, "<div class=\"q\"><label for=\"%s-csv\">or paste the "
	    "CSV text</label>\n", what);
	html_fmt(b, "<textarea id=\"%s-csv\" name=\"csv\" rows=\"5\">\n",
	    what);
	html_text(b, admin_typed(m->ctx, m->st, what, "csv"));
	html_raw(b, "</textarea></div>\n</fieldset>\n<p class=\"actions\">"
	    "<button type=\"submit\">Import</button></p>\n</form>\n");
}

/* The opening of the form that adds to the campaign's what. */
static void
add_form(struct manage *m, const char *what, const char *legend)
{
	html_fmt(m->b, "<form method=\"post\" action=\"/admin/c/%s/",
	    m->c->slug);
	html_fmt(m->b, "%s\">", what);
	admin_csrf(m->b, m->ctx);
	html_fmt(m->b, "<fieldset><legend>%s</legend>\n", legend);
}

/* A labelled input of the form that adds to what, with what was typed. */
static void
add_input(struct manage *m, const char *what, const char *id,
    const char *type, const char *name, const char *label)
{
	html_fmt(m->b, "<div class=\"q\"><label for=\"%s\">%s</label>\n",
	    id, label);
	html_fmt(m->b, "<input type=\"%s\" id=\"%s\" name=\"%s\" "
	    "value=\"%s\"></div>\n", type, id, name,
	    admin_typed(m->ctx, m->st, what, name));
}

/*
 * From round 2 on: csv, xlsx and md of each round (the plain links give
 * the latest; csv-long and json hold every round). Nothing when the
 * round cannot be read (logged): the plain links still work.
 */
static void
round_downloads(struct manage *m)
{
	static const char *const formats[] = { "csv", "xlsx", "md" };
	struct buf	*b = m->b;
	int		 now;

	if (store_round_now(m->ctx->store, m->c->id, &now) == -1 || now < 2)
		return;
	html_fmt(b, "<p>The campaign is in round %d: csv, xlsx and md hold "
	    "the latest round, csv-long and json every round. One round:"
	    "</p>\n<ul class=\"rounds\">\n", now);
	for (int k = 1; k <= now; k++) {
		html_fmt(b, "<li>Round %d:", k);
		for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]);
		    i++)
			html_fmt(b, " <a href=\"/admin/c/%s/export/%s?round="
			    "%d\" download>%s</a>", m->c->slug, formats[i], k,
			    formats[i]);
		html_raw(b, "</li>\n");
	}
	html_raw(b, "</ul>\n");
}

/*
 * For a campaign of more than one language, the documents with their
 * labels in each (?lang=CODE: headings, never keys or values); nothing
 * when its languages cannot be read (logged).
 */
static void
lang_downloads(struct manage *m)
{
	static const char *const formats[] = { "xlsx", "md" };
	char	 langs[STORE_LANGS_SZ], dflt[STORE_LANG_SZ], code[STORE_LANG_SZ];
	size_t	 len;

	if (store_campaign_languages(m->ctx->store, m->c->id, langs,
	    dflt) != 0 || strchr(langs, ',') == NULL)
		return;
	html_fmt(m->b, "<p>%s</p>\n<ul class=\"langs\">\n", tr(m->ctx->lang,
	    "Labels (headings) in another language:"));
	for (const char *s = langs; *s != '\0'; s += len + (s[len] == ',')) {
		len = strcspn(s, ",");
		if (len == 0 || len >= sizeof(code))
			continue;
		memcpy(code, s, len);
		code[len] = '\0';
		html_fmt(m->b, "<li lang=\"%s\">%s:", code, code);
		for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]);
		    i++)
			html_fmt(m->b, " <a href=\"/admin/c/%s/export/%s?lang="
			    "%s\" download>%s</a>", m->c->slug, formats[i],
			    code, formats[i]);
		html_raw(m->b, "</li>\n");
	}
	html_raw(m->b, "</ul>\n");
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
	html_fmt(b, "<p><a href=\"/admin/c/%s/mail\">Mail: invitations, "
	    "reminders and the send log</a></p>\n", c->slug);
	html_raw(b, "<h2>Downloads</h2>\n<ul>\n");
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		html_fmt(b, "<li><a href=\"/admin/c/%s/export/", c->slug);
		html_fmt(b, "%s\" download>%s</a></li>\n", formats[i],
		    formats[i]);
	}
	html_fmt(b, "<li><a href=\"/admin/c/%s/export/csv?delimiter="
	    "semicolon&amp;bom=1\" download>csv for a German Excel (; "
	    "between values)</a></li>\n", c->slug);
	html_raw(b, "</ul>\n");
	round_downloads(m);
	lang_downloads(m);
	if (!admin_can_change(m->ctx))
		return;
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
	if (!admin_can_change(m->ctx))
		return 0;
	admin_problem(b, m->st, "cities");
	add_form(m, "cities", "Add a city");
	add_input(m, "cities", "city-code", "text", "code",
	    "Code (" CAMPAIGN_CITY_CODE_RULE ")");
	add_input(m, "cities", "city-name", "text", "name", "Name");
	html_raw(b, "<button type=\"submit\">Add the city</button>"
	    "</fieldset></form>\n");
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

		if (!admin_can_change(m->ctx)) {
			html_fmt(b, "<tr><th scope=\"row\">%s</th><td>%s"
			    "</td></tr>\n", f->code, f->title);
			continue;
		}
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
	if (!admin_can_change(m->ctx))
		return;
	admin_problem(b, m->st, "fields");
	add_form(m, "fields", "Add a key field");
	add_input(m, "fields", "field-code", "text", "code",
	    "Code (" CAMPAIGN_FIELD_CODE_RULE ")");
	add_input(m, "fields", "field-title", "text", "title", "Title");
	html_raw(b, "<button type=\"submit\">Add the key field</button>"
	    "</fieldset></form>\n");
	csv_form(m, "fields", "Import key fields from CSV", "code,title");
}

/* Links to the other pages of experts, with where this one is. */
static void
pager(struct manage *m)
{
	char	 path[sizeof("/admin/c/") + STORE_CODE_MAX];
	int	 rc;

	/* path holds "/admin/c/" and all of a slug's array. */
	rc = buf_fmt(path, sizeof(path), "/admin/c/%s", m->c->slug);
	assert(rc == 0);
	(void)rc;
	admin_pager(m->b, path, NULL, "experts", m->page, m->nexperts);
}

/* The form that adds an expert, and the CSV import of experts. */
static void
expert_add_forms(struct manage *m)
{
	const struct admin_state	*st = m->st;

	admin_problem(m->b, st, "experts");
	add_form(m, "experts", "Add an expert");
	add_input(m, "experts", "expert-name", "text", "name", "Name");
	add_input(m, "experts", "expert-email", "email", "email", "E-mail");
	html_raw(m->b, "<fieldset><legend>Key fields</legend>\n");
	field_boxes(m, "new", "", st != NULL && st->form != NULL &&
	    strcmp(st->form, "experts") == 0);
	html_raw(m->b, "</fieldset>\n<button type=\"submit\">Add the expert "
	    "and make the link</button></fieldset></form>\n");
	csv_form(m, "experts", "Import experts from CSV",
	    "name,email,fields (key field codes separated by spaces, commas "
	    "or semicolons)");
}

/* A page of experts and the forms that add them; -1 if unread. */
static int
manage_experts(struct manage *m)
{
	struct buf	*b = m->b;

	html_raw(b, "<h2 id=\"experts\">Experts</h2>\n");
	pager(m);
	html_raw(b, "<table class=\"data\"><caption>Experts and their key "
	    "fields</caption>\n<thead><tr><th scope=\"col\">Name</th>"
	    "<th scope=\"col\">E-mail</th><th scope=\"col\">Status</th>"
	    "<th scope=\"col\">Key fields</th><th scope=\"col\">Invitation"
	    "</th></tr></thead>\n<tbody>\n");
	if (store_experts_page(m->ctx->store, m->c->id, 0, (m->page - 1) *
	    ADMIN_PAGE_ROWS, ADMIN_PAGE_ROWS, expert_row, m) != 0)
		return -1;
	html_raw(b, "</tbody></table>\n");
	pager(m);
	if (admin_can_change(m->ctx))
		expert_add_forms(m);
	return 0;
}

/* The campaign's page, with experts' page number page (from 1). */
static int
manage_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct admin_state *st,
    int64_t page)
{
	struct manage	 m = { .ctx = ctx, .b = &p->body, .st = st, .c = c,
			    .page = page };
	int		 rc = -1;

	p->status = st != NULL ? st->status : 200;
	if (store_experts_count(ctx->store, c->id, &m.nexperts) == -1)
		return -1;
	if (page > 1 && (page - 1) * ADMIN_PAGE_ROWS >= m.nexperts)
		return admin_error(p, ctx, 404, "No such page", "This "
		    "campaign has fewer experts than this page would show.");
	if (admin_fields_load(ctx, c->id, &m.fields) == -1)
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
	return rc;
}

/* One expert's page (a callback of store_experts_page): 1 when drawn. */
static int
expert_page(void *arg, const struct store_expert_item *e)
{
	struct manage	*m = arg;
	struct buf	*b = m->b;
	bool		 owner = admin_can_change(m->ctx);

	m->nexperts = 1;
	admin_begin(m->p, m->ctx, e->name);
	html_fmt(b, "<h1>%s</h1>\n<p class=\"meta\">", e->name);
	html_fmt(b, "%s · %s · campaign ", e->email, e->revoked ? "revoked" :
	    "active");
	html_fmt(b, "<a href=\"/admin/c/%s#experts\">%s</a></p>\n",
	    m->c->slug, m->c->title);
	if (owner) {
		html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/"
		    "experts/", m->c->slug);
		html_fmt(b, "%" PRId64 "/assign\">", e->id);
		admin_csrf(b, m->ctx);
	}
	html_fmt(b, "<fieldset%s><legend>Key fields of %s</legend>\n",
	    owner ? "" : " disabled", e->name);
	field_boxes(m, "e", e->fields, false);
	html_raw(b, "</fieldset>\n");
	if (owner) {
		html_raw(b, "<button type=\"submit\">Save assignments"
		    "</button></form>\n<h2>Invitation link</h2>\n"
		    "<div class=\"actions\">");
		link_forms(m, e->id, e->revoked);
		html_raw(b, "</div>\n");
	}
	return admin_end(m->p) == -1 ? -1 : 1;
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
	int64_t			 n;
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0 ||
	    (rc = admin_page_param(ctx, p, &n)) != 0)
		return rc == 1 ? 0 : -1;
	for (size_t i = 0; done != NULL &&
	    i < sizeof(notices) / sizeof(notices[0]); i++)
		if (strcmp(done, notices[i].key) == 0)
			st.notice = notices[i].text;
	return manage_page(ctx, p, &c, &st, n);
}

/* GET /admin/c/SLUG/experts/ID: one expert, her key fields and link. */
int
admin_expert(struct admin_ctx *ctx, struct page *p, const char *slug,
    int64_t id)
{
	struct store_campaign	 c;
	struct manage		 m = { .ctx = ctx, .p = p, .b = &p->body,
			    .c = &c };
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if (admin_fields_load(ctx, c.id, &m.fields) == -1)
		return -1;
	rc = store_experts_page(ctx->store, c.id, id, 0, 1, expert_page, &m);
	admin_fields_free(&m.fields);
	if (rc == 0 && m.nexperts == 0)
		return admin_error(p, ctx, 404, "No such expert", "There is "
		    "no such expert in this campaign.");
	return rc == 1 ? 0 : rc;
}

/* ---- actions ---- */

struct action {
	struct admin_ctx		*ctx;
	const struct store_campaign	*c;
	const char			*what, *verb;
	int64_t				 id;
	char				 a[CAMPAIGN_TEXT_MAX + 2];
	char				 b[CAMPAIGN_TEXT_MAX + 2];
	char				 token[AUTH_TOKEN_LEN + 1];
	unsigned char			 hash[AUTH_HASH_BYTES];
	const char			*done;	/* the notice's key */
	struct admin_fields		*fields;
	int64_t				 new_id;
	const char			*problem;
	char				 problem_buf[EXPERT_PROBLEM_SZ];
	int				 status;
};

static int
refuse(struct action *ac, int status, const char *problem)
{
	ac->status = status;
	ac->problem = problem;
	return 1;
}

/* The key fields ticked in the form, set (or only added: typed_only). */
static int
assign_set(struct store *s, struct action *ac, int64_t expert_id,
    bool typed_only)
{
	char	 name[FIELD_NAME_SIZE];
	int64_t	*ids;
	size_t	 n = 0;
	int	 rc;

	if ((ids = calloc(ac->fields->n + 1, sizeof(*ids))) == NULL)
		return -1;
	for (size_t i = 0; i < ac->fields->n; i++) {
		field_name(name, ac->fields->v[i].id);
		if (req_field(ac->ctx->req, name) != NULL)
			ids[n++] = ac->fields->v[i].id;
	}
	rc = expert_assign(s, expert_id, ac->fields->v, ac->fields->n, ids, n,
	    typed_only);
	free(ids);
	return rc == 1 ? refuse(ac, 409, EXPERT_ASSIGN_ANSWERED) : rc;
}

/* Close or open the campaign; closing queues campaign.closed. */
static int
state_txn(struct store *s, struct action *ac, const char *object)
{
	struct store_campaign	 fresh;
	bool			 open = strcmp(ac->what, "open") == 0;
	int			 rc;

	if ((rc = store_campaign_set_open(s, ac->c->id, open)) != 0)
		return rc;
	/* campaign.closed, in this transaction. */
	if (!open && (store_campaign_get(s, ac->c->slug, &fresh) != 0 ||
	    outbox_closed_add(s, &fresh, ac->ctx->base_url) == -1))
		return -1;
	return store_audit(s, ac->ctx->actor, open ? "campaign.open" :
	    "campaign.close", object, "");
}

/* Add a city (id 0) or rename one. */
static int
city_txn(struct store *s, struct action *ac, const char *object)
{
	int	 rc;

	if (ac->id == 0) {
		if ((rc = store_city_next(s, ac->c->id)) == -1)
			return -1;
		if (rc >= ADMIN_CITIES_MAX)
			return refuse(ac, 409, CAMPAIGN_CITIES_RULE);
		if ((rc = store_city_add(s, ac->c->id, ac->a, ac->b, rc)) != 0)
			return rc == 1 ? refuse(ac, 409, "This campaign has a "
			    "city with this code already.") : -1;
		return store_audit(s, ac->ctx->actor, "city.add", object,
		    ac->a);
	}
	if ((rc = store_city_rename(s, ac->c->id, ac->id, ac->b)) != 0)
		return rc == 1 ? refuse(ac, 404, "There is no such city.") :
		    -1;
	return store_audit(s, ac->ctx->actor, "city.rename", object, ac->b);
}

/* Add a key field (id 0) or retitle one. */
static int
field_txn(struct store *s, struct action *ac, const char *object)
{
	int	 rc;

	if (ac->id == 0) {
		if ((rc = store_field_add(s, ac->c->id, ac->a, ac->b,
		    &ac->new_id)) != 0)
			return rc == 1 ? refuse(ac, 409, "This campaign has a "
			    "key field with this code already.") : -1;
		return store_audit(s, ac->ctx->actor, "field.add", object,
		    ac->a);
	}
	if ((rc = store_field_retitle(s, ac->c->id, ac->id, ac->b)) != 0)
		return rc == 1 ? refuse(ac, 404, "There is no such key "
		    "field.") : -1;
	return store_audit(s, ac->ctx->actor, "field.retitle", object,
	    ac->b);
}

/*
 * Queue the mail with the link just made for expert_id: 0 (queued, or
 * refused: the link is shown on the page all the same), -1.
 */
static int
link_mail(struct store *s, struct action *ac, enum mailq_link kind,
    int64_t expert_id)
{
	const char	*why;

	if (ac->ctx->conf == NULL)
		return 0;
	return mailq_invitation(s, ac->ctx->conf, ac->ctx->base_url, kind,
	    ac->c->id, expert_id, ac->token, &why) == -1 ? -1 : 0;
}

/* Add an expert (id 0), or set one's key fields, link or revocation. */
static int
expert_txn(struct store *s, struct action *ac)
{
	const char	*actor = ac->ctx->actor;
	struct store_expert_row e;
	char		 object[sizeof("expert:-9223372036854775808")];
	int		 rc;

	if (ac->id == 0) {
		if ((rc = expert_add(s, ac->c->id, ac->a, ac->b, ac->hash,
		    &ac->new_id, ac->problem_buf, sizeof(ac->problem_buf),
		    ac->ctx->lang)) != 0)
			return rc == 1 ? refuse(ac, 422, ac->problem_buf) : -1;
		if ((rc = assign_set(s, ac, ac->new_id, true)) != 0)
			return rc;
		if (link_mail(s, ac, MAILQ_INVITATION, ac->new_id) == -1)
			return -1;
	}
	/* object holds "expert:" and the longest id: nothing can be cut. */
	rc = buf_fmt(object, sizeof(object), "expert:%" PRId64,
	    ac->id == 0 ? ac->new_id : ac->id);
	assert(rc == 0);
	if (ac->id == 0)
		return store_audit(s, actor, "expert.add", object, ac->a);
	if (strcmp(ac->verb, "assign") == 0) {
		/* Only an expert of this campaign: 1 (404) for any other. */
		if ((rc = store_expert_row(s, ac->c->id, ac->id, &e)) != 0 ||
		    (rc = assign_set(s, ac, ac->id, false)) != 0)
			return rc;
		return store_audit(s, actor, "expert.assign", object, "");
	}
	if (strcmp(ac->verb, "link") == 0) {
		if ((rc = expert_relink(s, ac->c->id, ac->id, ac->hash,
		    actor)) != 0)
			return rc;
		return link_mail(s, ac, MAILQ_NEWLINK, ac->id);
	}
	return expert_revoke(s, ac->c->id, ac->id, actor);
}

static int
action_txn(struct store *s, void *arg)
{
	struct action	*ac = arg;
	char		 object[sizeof("campaign:") + sizeof(ac->c->slug)];
	int		 rc;

	/* object holds "campaign:" and all of a slug's array. */
	rc = buf_fmt(object, sizeof(object), "campaign:%s", ac->c->slug);
	assert(rc == 0);
	(void)rc;
	if (strcmp(ac->what, "close") == 0 || strcmp(ac->what, "open") == 0)
		return state_txn(s, ac, object);
	if (strcmp(ac->what, "cities") == 0)
		return city_txn(s, ac, object);
	if (strcmp(ac->what, "fields") == 0)
		return field_txn(s, ac, object);
	return expert_txn(s, ac);
}

/* An expert's typed name and e-mail, and the token a new link needs. */
static int
expert_read(struct action *ac)
{
	if (admin_fields_load(ac->ctx, ac->c->id, ac->fields) == -1)
		return -1;
	if (ac->id == 0) {
		admin_field(ac->ctx, "name", ac->a, sizeof(ac->a));
		admin_field(ac->ctx, "email", ac->b, sizeof(ac->b));
		if (!req_text_ok(ac->a, CAMPAIGN_TEXT_MAX))
			refuse(ac, 422, "The name is " CAMPAIGN_TEXT_RULE ".");
		else if (!req_email_ok(ac->b))
			refuse(ac, 422, "Enter an e-mail address such as "
			    "name@example.org.");
	}
	if (ac->id == 0 || strcmp(ac->verb, "link") == 0) {
		auth_token_new(ac->token);
		auth_token_hash(ac->token, ac->hash);
	}
	ac->done = ac->verb != NULL && strcmp(ac->verb, "revoke") == 0 ?
	    "revoked" : "assigned";
	return 0;
}

/*
 * The typed fields of what into ac, checked (a problem is refused with
 * 422), the new invitation token and the notice to show; -1 if the key
 * fields cannot be read.
 */
static int
action_read(struct action *ac)
{
	struct admin_ctx	*ctx = ac->ctx;

	if (strcmp(ac->what, "cities") == 0) {
		admin_field(ctx, "code", ac->a, sizeof(ac->a));
		admin_field(ctx, "name", ac->b, sizeof(ac->b));
		if (ac->id == 0 &&
		    !campaign_city_code_ok(ac->a))
			refuse(ac, 422, "A city code is "
			    CAMPAIGN_CITY_CODE_RULE ".");
		else if (!req_text_ok(ac->b, CAMPAIGN_CITY_NAME_MAX))
			refuse(ac, 422, "A city name is "
			    CAMPAIGN_CITY_NAME_RULE ".");
		ac->done = "city";
	} else if (strcmp(ac->what, "fields") == 0) {
		admin_field(ctx, "code", ac->a, sizeof(ac->a));
		admin_field(ctx, "title", ac->b, sizeof(ac->b));
		if (ac->id == 0 && !campaign_field_code_ok(ac->a))
			refuse(ac, 422, "A key field code is "
			    CAMPAIGN_FIELD_CODE_RULE ".");
		else if (!req_text_ok(ac->b, CAMPAIGN_TEXT_MAX))
			refuse(ac, 422, "A title is " CAMPAIGN_TEXT_RULE ".");
		ac->done = "field";
	} else if (strcmp(ac->what, "experts") == 0)
		return expert_read(ac);
	else
		ac->done = strcmp(ac->what, "open") == 0 ? "opened" : "closed";
	return 0;
}

/* The page that shows an invitation link, once. */
static int
link_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const char *name, const char *token,
    bool is_new)
{
	struct buf	*b = &p->body;

	admin_begin(p, ctx, "Invitation link");
	html_fmt(b, "<h1>Invitation link for %s</h1>\n", name);
	html_fmt(b, "<p>%s Send this link to the expert. It is shown only "
	    "now: keyfield keeps a hash of it, not the link itself. If it is "
	    "lost, make a new one (the old one then stops working).</p>\n",
	    is_new ? "The expert is added." : "A new link is made; the "
	    "previous link no longer works.");
	html_fmt(b, "<p class=\"link\" id=\"invitation\">%s/i/%s</p>\n",
	    ctx->base_url, token);
	html_fmt(b, "<p><a href=\"/admin/c/%s#experts\">Back to the "
	    "campaign</a></p>\n", c->slug);
	return admin_end(p);
}

static int
no_expert(struct admin_ctx *ctx, struct page *p)
{
	return admin_error(p, ctx, 404, "No such expert", "There is no such "
	    "expert in this campaign.");
}

/*
 * Write the action, then make its page: the invitation link, or back to
 * the campaign's page (at form) with a notice. 1 when the write refused
 * it (ac->problem), -1 on failure.
 */
static int
action_write(struct action *ac, struct page *p, const char *slug,
    const char *form)
{
	struct admin_ctx	*ctx = ac->ctx;
	struct store_expert_row	 e;
	char			 href[160];
	int			 rc;

	if ((rc = store_write(ctx->store, action_txn, ac)) == -1)
		return -1;
	if (rc == 1 && ac->problem != NULL)
		return 1;
	if (strcmp(ac->what, "experts") == 0) {
		if (rc == 1)
			return no_expert(ctx, p);
		if (ac->id == 0)
			return link_page(ctx, p, ac->c, ac->a, ac->token, true);
		if (strcmp(ac->verb, "link") == 0) {
			if ((rc = store_expert_row(ctx->store, ac->c->id,
			    ac->id, &e)) != 0)
				return rc == 1 ? no_expert(ctx, p) : -1;
			return link_page(ctx, p, ac->c, e.name, ac->token,
			    false);
		}
	}
	/* Done, or nothing to change. */
	if (buf_fmt(href, sizeof(href), "/admin/c/%s?done=%s#%s", slug,
	    ac->done, form) == -1) {
		log_err("campaign %s: the address after %s does not fit in "
		    "%zu bytes", slug, form, sizeof(href));
		return -1;
	}
	return page_redirect(p, href);
}

int
admin_campaign_post(struct admin_ctx *ctx, struct page *p, const char *slug,
    const char *what, int64_t id, const char *verb)
{
	struct store_campaign	 c;
	struct admin_fields	 fields = { 0 };
	struct action		*ac;
	struct admin_state	 st = { .status = 422 };
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if ((ac = calloc(1, sizeof(*ac))) == NULL)
		return -1;
	ac->ctx = ctx;
	ac->c = &c;
	ac->what = what;
	ac->verb = verb;
	ac->id = id;
	ac->fields = &fields;
	st.form = strcmp(what, "close") == 0 || strcmp(what, "open") == 0 ?
	    "state" : what;
	if ((rc = action_read(ac)) == -1)
		goto out;
	if (ac->problem == NULL &&
	    (rc = action_write(ac, p, slug, st.form)) != 1)
		goto out;
	/* Refused: the campaign's page again, with the problem. */
	st.status = ac->status;
	st.problem = ac->problem;
	if ((rc = store_campaign_get(ctx->store, slug, &c)) != 0) {
		rc = -1;
		goto out;
	}
	rc = manage_page(ctx, p, &c, &st, 1);
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

	return manage_page(ctx, p, c, &st, 1);
}
