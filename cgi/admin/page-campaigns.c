/*
 * admin/page-campaigns: the campaign list, creating a campaign, and one
 * campaign's set-up: open/close, cities, key fields, experts (a page of
 * them at a time; one expert's key fields on a page of her own) and their
 * invitation links. Never shows an invitation link except right after
 * making it; never drops an assignment that has answers; never lists a
 * campaign that is not the coordinator's, nor offers a viewer a form.
 */
#include <assert.h>
#include <stdarg.h>
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

struct list {
	struct buf		*b;
	const struct lang	*lang;
};

static int
campaign_row(void *arg, const struct store_campaign *c)
{
	const struct list *l = arg;
	struct buf	*b = l->b;

	html_fmt(b, "<tr><td><a href=\"/admin/c/%s\">%s</a></td><td>%s</td>"
	    "<td>%s</td>", c->slug, c->slug, c->title, c->open ?
	    tr(l->lang, "open") : tr(l->lang, "closed"));
	html_fmt(b, "<td>%s ", c->form_name);
	html_fmt(b, "v%d</td><td class=\"num\">%d</td>", c->form_version,
	    c->nfields);
	html_fmt(b, "<td class=\"num\">%d</td><td class=\"num\">%d</td>",
	    c->nexperts, c->nsubmitted);
	html_fmt(b, "<td><a href=\"/admin/c/%s/dashboard\">%s</a></td>"
	    "</tr>\n", c->slug, tr(l->lang, "Dashboard"));
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

/* An administrator's form that creates a campaign. */
static void
create_form(struct admin_ctx *ctx, struct buf *b,
    const struct admin_state *st)
{
	const struct lang *L = ctx->lang;

	html_fmt(b, "<h2 id=\"create\">%s</h2>\n", tr(L, "Create a "
	    "campaign"));
	admin_problem(b, st, "create");
	html_raw(b, "<form method=\"post\" action=\"/admin/campaigns\">");
	admin_csrf(b, ctx);
	html_fmt(b, "\n<fieldset><legend>%s</legend>\n<div class=\"q\">"
	    "<label for=\"slug\">%s</label>\n", tr(L, "New campaign"),
	    tr(L, "Slug (letters, digits and '-'; used in addresses and "
	    "file names)"));
	html_fmt(b, "<input type=\"text\" id=\"slug\" name=\"slug\" "
	    "value=\"%s\" required></div>\n", admin_typed(ctx, st, "create",
	    "slug"));
	html_fmt(b, "<div class=\"q\"><label for=\"title\">%s</label>\n"
	    "<input type=\"text\" id=\"title\" name=\"title\" value=\"%s\" "
	    "required></div>\n", tr(L, "Title"), admin_typed(ctx, st,
	    "create", "title"));
	html_fmt(b, "<div class=\"q\"><label for=\"form\">%s</label>\n"
	    "<select id=\"form\" name=\"form\">\n", tr(L, "Form"));
	form_options(ctx, b, admin_typed(ctx, st, "create", "form"));
	html_fmt(b, "</select></div>\n<div class=\"q\"><label "
	    "for=\"cities\">%s</label>\n<textarea id=\"cities\" "
	    "name=\"cities\" rows=\"6\" required>\n%s</textarea></div>\n"
	    "</fieldset>\n", tr(L, "Cities, one per line as CODE=Name (for "
	    "example Fr=Freiburg)"), admin_typed(ctx, st, "create",
	    "cities"));
	html_fmt(b, "<p class=\"actions\"><button type=\"submit\">%s"
	    "</button></p>\n</form>\n", tr(L, "Create the campaign"));
}

static int
campaigns_page(struct admin_ctx *ctx, struct page *p,
    const struct admin_state *st)
{
	const struct lang *L = ctx->lang;
	struct buf	*b = &p->body;
	struct list	 l = { b, L };

	p->status = st != NULL ? st->status : 200;
	admin_begin(p, ctx, tr(L, "Campaigns"));
	html_fmt(b, "<h1>%s</h1>\n<table class=\"data\">\n<caption>%s"
	    "</caption>\n<thead><tr>", tr(L, "Campaigns"), ctx->who.admin ?
	    tr(L, "All campaigns, newest first") : tr(L, "Your campaigns, "
	    "newest first"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
	    tr(L, "Slug"), tr(L, "Title"), tr(L, "Status"), tr(L, "Form"));
	html_fmt(b, "<th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    tr(L, "Key fields"), tr(L, "Experts"), tr(L, "Cards submitted"),
	    tr(L, "Progress"));
	if (store_campaigns(ctx->store, ctx->who.admin ? 0 : ctx->who.id,
	    campaign_row, &l) != 0)
		return -1;
	html_raw(b, "</tbody>\n</table>\n");
	if (ctx->who.admin)
		create_form(ctx, b, st);
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
		return admin_error(p, ctx, 403, tr(ctx->lang,
		    "Administrators only"), tr(ctx->lang, "Only an "
		    "administrator creates campaigns. Nothing was changed."));
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
	/* campaign_check's and campaign_create's problems are msgids. */
	if (st.problem != NULL)
		st.problem = tr(ctx->lang, st.problem);
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
		html_fmt(b, "<p>%s</p>\n", tr(m->ctx->lang,
		    "No key fields yet."));
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
	char		 t[100];

	html_fmt(b, "<tr><th scope=\"row\">%s</th><td>", city->code);
	if (!admin_can_change(m->ctx)) {
		html_fmt(b, "%s</td></tr>\n", city->name);
		return buf_failed(b) ? -1 : 0;
	}
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/cities/"
	    "%" PRId64 "\" class=\"inline\">", m->c->slug, city->id);
	admin_csrf(b, m->ctx);
	html_fmt(b, "<label for=\"city-%" PRId64 "\">%s</label> ",
	    city->id, admin_trf(t, sizeof(t), tr(m->ctx->lang,
	    "Name of %s"), city->code));
	html_fmt(b, "<input type=\"text\" id=\"city-%" PRId64 "\" "
	    "name=\"name\" value=\"%s\"> <button type=\"submit\">%s"
	    "</button></form></td></tr>\n", city->id, city->name,
	    tr(m->ctx->lang, "Rename"));
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
	    revoked ? tr(m->ctx->lang, "New link (reinstates)") :
	    tr(m->ctx->lang, "New link"));
	if (!revoked) {
		html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/"
		    "experts/%" PRId64 "/revoke\" class=\"inline\">",
		    m->c->slug, id);
		admin_csrf(b, m->ctx);
		html_fmt(b, "<button type=\"submit\">%s</button></form>",
		    tr(m->ctx->lang, "Revoke"));
	}
}

static int
expert_row(void *arg, const struct store_expert_item *e)
{
	struct manage	*m = arg;
	struct buf	*b = m->b;

	const struct lang *L = m->ctx->lang;

	html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", e->name,
	    e->email, e->revoked ? tr(L, "revoked") : tr(L, "active"));
	html_fmt(b, "%s <a href=\"/admin/c/%s/experts/", *e->fields != '\0' ?
	    e->fields : tr(L, "none"), m->c->slug);
	html_fmt(b, "%" PRId64 "\">%s</a></td><td>", e->id,
	    admin_can_change(m->ctx) ? tr(L, "Change") : tr(L, "Details"));
	if (admin_can_change(m->ctx))
		link_forms(m, e->id, e->revoked);
	html_raw(b, "</td></tr>\n");
	return buf_failed(b) ? -1 : 0;
}

static void
csv_form(struct manage *m, const char *what, const char *legend,
    const char *columns)
{
	const struct lang *L = m->ctx->lang;
	struct buf	*b = m->b;
	char		 t[400];

	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/",
	    m->c->slug);
	html_fmt(b, "%s/import\" enctype=\"multipart/form-data\">", what);
	admin_csrf(b, m->ctx);
	html_fmt(b, "\n<fieldset><legend>%s</legend>\n", legend);
	html_fmt(b, "<p class=\"help\">%s</p>\n", admin_trf(t, sizeof(t),
	    tr(L, "Columns: %s. A first row with the column names is "
	    "skipped. Quote a value that holds a comma, a quote or a line "
	    "break (RFC 4180)."), columns));
	html_fmt(b, "<div class=\"q\"><label for=\"%s-file\">%s"
	    "</label>\n", what, tr(L, "CSV file"));
	html_fmt(b, "<input type=\"file\" id=\"%s-file\" name=\"file\" "
	    "accept=\".csv,text/csv\"></div>\n", what);
	html_fmt(b, "<div class=\"q\"><label for=\"%s-csv\">%s</label>\n",
	    what, tr(L, "or paste the CSV text"));
	html_fmt(b, "<textarea id=\"%s-csv\" name=\"csv\" rows=\"5\">\n",
	    what);
	html_text(b, admin_typed(m->ctx, m->st, what, "csv"));
	html_fmt(b, "</textarea></div>\n</fieldset>\n<p class=\"actions\">"
	    "<button type=\"submit\">%s</button></p>\n</form>\n",
	    tr(L, "Import"));
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
	char		 t[300];
	int		 now;

	if (store_round_now(m->ctx->store, m->c->id, &now) == -1 || now < 2)
		return;
	html_fmt(b, "<p>%s</p>\n<ul class=\"rounds\">\n", admin_trf(t,
	    sizeof(t), tr(m->ctx->lang, "The campaign is in round %d: csv, "
	    "xlsx and md hold the latest round, csv-long and json every "
	    "round. One round:"), now));
	for (int k = 1; k <= now; k++) {
		html_fmt(b, "<li>%s:", admin_trf(t, sizeof(t),
		    tr(m->ctx->lang, "Round %d"), k));
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
	const struct lang		*L = m->ctx->lang;
	struct buf			*b = m->b;
	const struct store_campaign	*c = m->c;

	html_fmt(b, "<h1>%s</h1>\n<p class=\"meta\">%s ", c->title,
	    tr(L, "Campaign"));
	html_fmt(b, "<strong>%s</strong> · %s %s · ", c->slug, tr(L, "form"),
	    c->form_name);
	html_fmt(b, "<strong>%s</strong></p>\n", c->open ? tr(L, "open") :
	    tr(L, "closed: experts can no longer change their cards"));
	admin_top(b, m->st);
	html_fmt(b, "<p><a href=\"/admin/c/%s/dashboard\">%s</a></p>\n",
	    c->slug, tr(L, "Dashboard: progress and ratings"));
	html_fmt(b, "<p><a href=\"/admin/c/%s/partners\">%s</a></p>\n",
	    c->slug, tr(L, "Partners: webhooks and their delivery log"));
	html_fmt(b, "<p><a href=\"/admin/c/%s/mail\">%s</a></p>\n", c->slug,
	    tr(L, "Mail: invitations, reminders and the send log"));
	html_fmt(b, "<h2>%s</h2>\n<ul>\n", tr(L, "Downloads"));
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		html_fmt(b, "<li><a href=\"/admin/c/%s/export/", c->slug);
		html_fmt(b, "%s\" download>%s</a></li>\n", formats[i],
		    formats[i]);
	}
	html_fmt(b, "<li><a href=\"/admin/c/%s/export/csv?delimiter="
	    "semicolon&amp;bom=1\" download>%s</a></li>\n", c->slug,
	    tr(L, "csv for a German Excel (; between values)"));
	html_raw(b, "</ul>\n");
	round_downloads(m);
	lang_downloads(m);
	if (!admin_can_change(m->ctx))
		return;
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/", c->slug);
	html_fmt(b, "%s\">", c->open ? "close" : "open");
	admin_csrf(b, m->ctx);
	html_fmt(b, "<button type=\"submit\">%s</button></form>\n",
	    c->open ? tr(L, "Close the campaign (no more changes by "
	    "experts)") : tr(L, "Reopen the campaign"));
}

/* The cities and the form that adds one; -1 if they cannot be read. */
static int
manage_cities(struct manage *m)
{
	const struct lang *L = m->ctx->lang;
	struct buf	*b = m->b;
	char		 t[200];

	html_fmt(b, "<h2 id=\"cities\">%s</h2>\n<table class=\"data\">"
	    "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    tr(L, "Cities"), tr(L, "Cities in the order of the rating table"),
	    tr(L, "Code"), tr(L, "Name"));
	if (store_cities(m->ctx->store, m->c->id, city_row, m) != 0)
		return -1;
	html_raw(b, "</tbody></table>\n");
	if (!admin_can_change(m->ctx))
		return 0;
	admin_problem(b, m->st, "cities");
	add_form(m, "cities", tr(L, "Add a city"));
	add_input(m, "cities", "city-code", "text", "code", admin_trf(t,
	    sizeof(t), tr(L, "Code (1 to %d letters (of any script) or "
	    "digits, such as Fr or Zü)"), CAMPAIGN_CITY_CODE_CHARS));
	add_input(m, "cities", "city-name", "text", "name", tr(L, "Name"));
	html_fmt(b, "<button type=\"submit\">%s</button></fieldset></form>\n",
	    tr(L, "Add the city"));
	return 0;
}

/* The key fields, a form to retitle each, and the forms that add. */
static void
manage_fields(struct manage *m)
{
	const struct lang *L = m->ctx->lang;
	struct buf	*b = m->b;
	char		 t[300];

	html_fmt(b, "<h2 id=\"fields\">%s</h2>\n<table class=\"data\">"
	    "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    tr(L, "Key fields"), tr(L, "Key fields"), tr(L, "Code"),
	    tr(L, "Title"));
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
		html_fmt(b, "<label for=\"field-%" PRId64 "\">%s</label> ",
		    f->id, admin_trf(t, sizeof(t), tr(L, "Title of %s"),
		    f->code));
		html_fmt(b, "<input type=\"text\" id=\"field-%" PRId64 "\" "
		    "name=\"title\" value=\"%s\" size=\"40\"> <button "
		    "type=\"submit\">%s</button></form></td></tr>\n",
		    f->id, f->title, tr(L, "Save title"));
	}
	html_raw(b, "</tbody></table>\n");
	if (!admin_can_change(m->ctx))
		return;
	admin_problem(b, m->st, "fields");
	add_form(m, "fields", tr(L, "Add a key field"));
	add_input(m, "fields", "field-code", "text", "code", admin_trf(t,
	    sizeof(t), tr(L, "Code (1 to %d characters: letters (of any "
	    "script), digits, '-', '_', '.' and single spaces between them, "
	    "such as SF 41)"), CAMPAIGN_FIELD_CODE_CHARS));
	add_input(m, "fields", "field-title", "text", "title", tr(L,
	    "Title"));
	html_fmt(b, "<button type=\"submit\">%s</button></fieldset></form>\n",
	    tr(L, "Add the key field"));
	csv_form(m, "fields", tr(L, "Import key fields from CSV"),
	    "code,title");
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
	admin_pager(m->b, m->ctx->lang, path, NULL, "experts", m->page,
	    m->nexperts);
}

/* The form that adds an expert, and the CSV import of experts. */
static void
expert_add_forms(struct manage *m)
{
	const struct admin_state	*st = m->st;
	const struct lang		*L = m->ctx->lang;

	admin_problem(m->b, st, "experts");
	add_form(m, "experts", tr(L, "Add an expert"));
	add_input(m, "experts", "expert-name", "text", "name", tr(L, "Name"));
	add_input(m, "experts", "expert-email", "email", "email",
	    tr(L, "E-mail"));
	html_fmt(m->b, "<fieldset><legend>%s</legend>\n", tr(L, "Key fields"));
	field_boxes(m, "new", "", st != NULL && st->form != NULL &&
	    strcmp(st->form, "experts") == 0);
	html_fmt(m->b, "</fieldset>\n<button type=\"submit\">%s</button>"
	    "</fieldset></form>\n", tr(L, "Add the expert and make the link"));
	csv_form(m, "experts", tr(L, "Import experts from CSV"),
	    tr(L, "name,email,fields (key field codes separated by spaces, "
	    "commas or semicolons)"));
}

/* A page of experts and the forms that add them; -1 if unread. */
static int
manage_experts(struct manage *m)
{
	const struct lang *L = m->ctx->lang;
	struct buf	*b = m->b;

	html_fmt(b, "<h2 id=\"experts\">%s</h2>\n", tr(L, "Experts"));
	pager(m);
	html_fmt(b, "<table class=\"data\"><caption>%s</caption>\n<thead>"
	    "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
	    tr(L, "Experts and their key fields"), tr(L, "Name"),
	    tr(L, "E-mail"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    tr(L, "Status"), tr(L, "Key fields"), tr(L, "Invitation"));
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
		return admin_error(p, ctx, 404, tr(ctx->lang, "No such "
		    "page"), tr(ctx->lang, "This campaign has fewer experts "
		    "than this page would show."));
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
	const struct lang *L = m->ctx->lang;
	bool		 owner = admin_can_change(m->ctx);
	char		 t[300];

	m->nexperts = 1;
	admin_begin(m->p, m->ctx, e->name);
	html_fmt(b, "<h1>%s</h1>\n<p class=\"meta\">", e->name);
	html_fmt(b, "%s · %s · %s ", e->email, e->revoked ? tr(L, "revoked") :
	    tr(L, "active"), tr(L, "campaign"));
	html_fmt(b, "<a href=\"/admin/c/%s#experts\">%s</a></p>\n",
	    m->c->slug, m->c->title);
	if (owner) {
		html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/"
		    "experts/", m->c->slug);
		html_fmt(b, "%" PRId64 "/assign\">", e->id);
		admin_csrf(b, m->ctx);
	}
	html_fmt(b, "<fieldset%s><legend>%s</legend>\n", owner ? "" :
	    " disabled", admin_trf(t, sizeof(t), tr(L, "Key fields of %s"),
	    e->name));
	field_boxes(m, "e", e->fields, false);
	html_raw(b, "</fieldset>\n");
	if (owner) {
		html_fmt(b, "<button type=\"submit\">%s</button></form>\n"
		    "<h2>%s</h2>\n<div class=\"actions\">", tr(L, "Save "
		    "assignments"), tr(L, "Invitation link"));
		link_forms(m, e->id, e->revoked);
		html_raw(b, "</div>\n");
	}
	return admin_end(m->p) == -1 ? -1 : 1;
}

/* The notice of ?done=KEY in L, or NULL for a key it does not know. */
static const char *
notice(const struct lang *L, const char *key)
{
	static const char *const keys[] = { "closed", "opened", "city",
	    "field", "assigned", "revoked", "imported" };
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			break;
	switch (i) {
	case 0:
		return tr(L, "The campaign is closed: experts can read their "
		    "cards but no longer change them.");
	case 1:
		return tr(L, "The campaign is open again.");
	case 2:
		return tr(L, "The city is saved.");
	case 3:
		return tr(L, "The key field is saved.");
	case 4:
		return tr(L, "The assignments are saved.");
	case 5:
		return tr(L, "The expert's link is revoked; it no longer "
		    "works.");
	case 6:
		return tr(L, "The import is done.");
	default:
		return NULL;
	}
}

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
	if (done != NULL)
		st.notice = notice(ctx->lang, done);
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
		return admin_error(p, ctx, 404, tr(ctx->lang, "No such "
		    "expert"), tr(ctx->lang, "There is no such expert in this "
		    "campaign."));
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

/* A 422 of a rule (a translated format), in the console's language. */
static int
refuse_rule(struct action *ac, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int
refuse_rule(struct action *ac, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	admin_vtrf(ac->problem_buf, sizeof(ac->problem_buf), fmt, ap);
	va_end(ap);
	return refuse(ac, 422, ac->problem_buf);
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
			return refuse(ac, 409, admin_trf(ac->problem_buf,
			    sizeof(ac->problem_buf), tr(ac->ctx->lang, "A "
			    "campaign has at most %d cities."),
			    CAMPAIGN_CITIES_MAX));
		if ((rc = store_city_add(s, ac->c->id, ac->a, ac->b, rc)) != 0)
			return rc == 1 ? refuse(ac, 409, tr(ac->ctx->lang,
			    "This campaign has a city with this code "
			    "already.")) : -1;
		return store_audit(s, ac->ctx->actor, "city.add", object,
		    ac->a);
	}
	if ((rc = store_city_rename(s, ac->c->id, ac->id, ac->b)) != 0)
		return rc == 1 ? refuse(ac, 404, tr(ac->ctx->lang, "There is "
		    "no such city.")) : -1;
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
			return rc == 1 ? refuse(ac, 409, tr(ac->ctx->lang,
			    "This campaign has a key field with this code "
			    "already.")) : -1;
		return store_audit(s, ac->ctx->actor, "field.add", object,
		    ac->a);
	}
	if ((rc = store_field_retitle(s, ac->c->id, ac->id, ac->b)) != 0)
		return rc == 1 ? refuse(ac, 404, tr(ac->ctx->lang, "There is "
		    "no such key field.")) : -1;
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
			refuse_rule(ac, tr(ac->ctx->lang, "The name is 1 to %d "
			    "bytes of text."), CAMPAIGN_TEXT_MAX);
		else if (!req_email_ok(ac->b))
			refuse(ac, 422, tr(ac->ctx->lang, "Enter an e-mail "
			    "address such as name@example.org."));
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
			refuse_rule(ac, tr(ctx->lang, "A city code is 1 to %d "
			    "letters (of any script) or digits, such as Fr or "
			    "Zü."), CAMPAIGN_CITY_CODE_CHARS);
		else if (!req_text_ok(ac->b, CAMPAIGN_CITY_NAME_MAX))
			refuse_rule(ac, tr(ctx->lang, "A city name is 1 to %d "
			    "bytes of text."), CAMPAIGN_CITY_NAME_MAX);
		ac->done = "city";
	} else if (strcmp(ac->what, "fields") == 0) {
		admin_field(ctx, "code", ac->a, sizeof(ac->a));
		admin_field(ctx, "title", ac->b, sizeof(ac->b));
		if (ac->id == 0 && !campaign_field_code_ok(ac->a))
			refuse_rule(ac, tr(ctx->lang, "A key field code is 1 "
			    "to %d characters: letters (of any script), "
			    "digits, '-', '_', '.' and single spaces between "
			    "them, such as SF 41."), CAMPAIGN_FIELD_CODE_CHARS);
		else if (!req_text_ok(ac->b, CAMPAIGN_TEXT_MAX))
			refuse_rule(ac, tr(ctx->lang, "A title is 1 to %d "
			    "bytes of text."), CAMPAIGN_TEXT_MAX);
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
	const struct lang *L = ctx->lang;
	struct buf	*b = &p->body;
	char		 t[300];

	admin_begin(p, ctx, tr(L, "Invitation link"));
	html_fmt(b, "<h1>%s</h1>\n", admin_trf(t, sizeof(t),
	    tr(L, "Invitation link for %s"), name));
	html_fmt(b, "<p>%s %s</p>\n", is_new ? tr(L, "The expert is added.") :
	    tr(L, "A new link is made; the previous link no longer works."),
	    tr(L, "Send this link to the expert. It is shown only now: "
	    "keyfield keeps a hash of it, not the link itself. If it is lost, "
	    "make a new one (the old one then stops working)."));
	html_fmt(b, "<p class=\"link\" id=\"invitation\">%s/i/%s</p>\n",
	    ctx->base_url, token);
	html_fmt(b, "<p><a href=\"/admin/c/%s#experts\">%s</a></p>\n",
	    c->slug, tr(L, "Back to the campaign"));
	return admin_end(p);
}

static int
no_expert(struct admin_ctx *ctx, struct page *p)
{
	return admin_error(p, ctx, 404, tr(ctx->lang, "No such expert"),
	    tr(ctx->lang, "There is no such expert in this campaign."));
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
