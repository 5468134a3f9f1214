/*
 * admin/console: what the console's pages share: the page frame, error
 * pages, style sheet, sign-in form, loaders and form checks.
 * Never writes a caller's text unescaped.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/console.h"
#include "base/html.h"
#include "base/i18n.h"
#include "base/log.h"
#include "store/campaigns.h"
#include "store/experts.h"

const char admin_css[] =
    "nav.console { display: flex; flex-wrap: wrap; gap: 1em; "
    "align-items: center; max-width: 960px; margin: .5em auto 1em; "
    "padding: 0 1em; }\n"
    "nav.console form { margin: 0; }\n"
    "nav.console button { padding: .2em .8em; }\n"
    ".link { font-family: monospace; word-break: break-all; "
    "background: #fff8d6; padding: .5em; border: 1px solid #c9b458; }\n"
    "table.data { border-collapse: collapse; margin: .5em 0 1em; }\n"
    "table.data th, table.data td { border: 1px solid #888; "
    "padding: .2em .5em; text-align: left; vertical-align: top; }\n"
    "table.data td.num, table.data th.num { text-align: right; }\n"
    "tr.median th, tr.median td { font-weight: bold; "
    "border-top: 2px solid #222; }\n"
    "td.lvl-0 { background: #ffffff; }\n"
    "td.lvl-1 { background: #d6e9f8; }\n"
    "td.lvl-2 { background: #79b4e3; }\n"
    "td.lvl-3 { background: #1f5f99; color: #ffffff; }\n"
    "td.lvl-none { background: #eeeeee; color: #444444; }\n"
    ".legend span { display: inline-block; padding: 0 .5em; "
    "border: 1px solid #888; }\n"
    ".legend .lvl-0 { background: #ffffff; }\n"
    ".legend .lvl-1 { background: #d6e9f8; }\n"
    ".legend .lvl-2 { background: #79b4e3; }\n"
    ".legend .lvl-3 { background: #1f5f99; color: #ffffff; }\n"
    "ins { background: #d7f5d7; text-decoration: none; }\n"
    "del { background: #f8d7d7; }\n"
    ".diff td { white-space: pre-wrap; }\n"
    "svg.chart { max-width: 36em; height: auto; display: block; }\n"
    ".inline { display: inline; }\n"
    ".field-block { border-top: 1px solid #888; margin-top: 1.5em; }\n"
    ".verdict.no { font-weight: bold; }\n"
    "table.overview .verdict .words { position: absolute; width: 1px; "
    "height: 1px; overflow: hidden; clip: rect(0 0 0 0); "
    "white-space: nowrap; }\n"
    ".final-part { display: grid; grid-template-columns: minmax(0, 1fr) "
    "minmax(0, 1fr); gap: 1em; }\n"
    ".final-part textarea { width: 100%; box-sizing: border-box; }\n"
    ".final-panel dd, .final-text { white-space: pre-wrap; }\n"
    "@media print {\n"
    "  nav.console, form, .noprint { display: none; }\n"
    "  .final-print, .final-print * { color: #000; background: #fff; }\n"
    "  .final-print abbr { text-decoration: none; }\n"
    "  .final-print h1, .final-print h2 { break-after: avoid; }\n"
    "  .final-print .final-text { orphans: 3; widows: 3; }\n"
    "  table.data { page-break-inside: avoid; }\n"
    "  td.lvl-1, td.lvl-2, td.lvl-3 { print-color-adjust: exact; "
    "-webkit-print-color-adjust: exact; }\n"
    "}\n";

/*
 * The switch to the console's other languages: a button each, named in
 * its own language (tr of "English" in it), posting to /admin/lang with
 * the page to come back to.
 */
static void
lang_switch(struct buf *b, const struct admin_ctx *ctx)
{
	const char	*here = i18n_code(ctx->lang), *code;

	html_fmt(b, "<form method=\"post\" action=\"/admin/lang\" "
	    "aria-label=\"%s\">", tr(ctx->lang, "Language of the console"));
	admin_csrf(b, ctx);
	if (admin_back_ok(ctx->req->path))
		html_fmt(b, "<input type=\"hidden\" name=\"back\" "
		    "value=\"%s\">", ctx->req->path);
	for (size_t i = 0; i <= I18N_LANGS_MAX; i++) {
		code = i == 0 ? "en" : i18n_sources[i - 1].code;
		if (code == NULL)
			break;
		if (strcmp(code, here) != 0 && i18n_known(code))
			html_fmt(b, "<button type=\"submit\" name=\"lang\" "
			    "value=\"%s\" lang=\"%s\">%s</button>", code,
			    code, tr(i18n_lang(code), "English"));
	}
	html_raw(b, "</form>");
}

/* The page top in ctx's language; the navigation when nav. */
static int
begin(struct page *p, const struct admin_ctx *ctx, const char *title,
    bool nav)
{
	struct page_site console = {
		"keyfield console", "/admin/", NULL, "/admin/admin.css"
	};
	struct buf *b = &p->body;

	console.tagline = tr(ctx->lang, "coordinators");
	p->lang = ctx->lang;
	page_top(p, title, &console);
	if (nav && ctx->has_session) {
		html_fmt(b, "<nav class=\"console\" aria-label=\"%s\">"
		    "<a href=\"/admin/\">%s</a><span>%s %s</span>",
		    tr(ctx->lang, "Console"), tr(ctx->lang, "Campaigns"),
		    tr(ctx->lang, "Signed in as"), ctx->who.username);
		lang_switch(b, ctx);
		html_raw(b, "<form method=\"post\" action=\"/admin/logout\">");
		admin_csrf(b, ctx);
		html_fmt(b, "<button type=\"submit\">%s</button></form></nav>\n",
		    tr(ctx->lang, "Sign out"));
		if (ctx->who.login_notice[0] != '\0')
			html_fmt(b, "<p class=\"notice noprint\" "
			    "role=\"status\">%s %s</p>\n", tr(ctx->lang,
			    "Since your last sign-in:"), ctx->who.login_notice);
	}
	html_raw(b, "<main id=\"main\">\n");
	return buf_failed(b) ? -1 : 0;
}

int
admin_begin(struct page *p, const struct admin_ctx *ctx, const char *title)
{
	return begin(p, ctx, title, true);
}

int
admin_end(struct page *p)
{
	return page_end(p);
}

int
admin_error(struct page *p, const struct admin_ctx *ctx, int status,
    const char *heading, const char *message)
{
	p->status = status;
	admin_begin(p, ctx, heading);
	html_fmt(&p->body, "<h1>%s</h1>\n<p>%s</p>\n", heading, message);
	if (ctx->has_session)
		html_fmt(&p->body, "<p><a href=\"/admin/\">%s</a></p>\n",
		    tr(ctx->lang, "Back to the campaigns"));
	else
		html_fmt(&p->body, "<p><a href=\"/admin/login\">%s</a>"
		    "</p>\n", tr(ctx->lang, "Sign in"));
	return admin_end(p);
}

const char *
admin_vtrf(char *out, size_t outsz, const char *fmt, va_list ap)
{
	int	 n = vsnprintf(out, outsz, fmt, ap);

	if (n < 0 || (size_t)n >= outsz)
		log_err("console: a message was cut to %zu bytes: %s",
		    outsz - 1, fmt);
	return out;
}

const char *
admin_trf(char *out, size_t outsz, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	admin_vtrf(out, outsz, fmt, ap);
	va_end(ap);
	return out;
}

const char *
admin_status_words(const struct lang *L, enum store_status st)
{
	switch (st) {
	case STORE_NEW:
		return tr(L, "not started");
	case STORE_DRAFT:
		return tr(L, "draft");
	case STORE_SUBMITTED:
		return tr(L, "submitted");
	default:
		return tr(L, "withdrawn");
	}
}

int
admin_csrf(struct buf *b, const struct admin_ctx *ctx)
{
	return html_fmt(b, "<input type=\"hidden\" name=\"csrf\" "
	    "value=\"%s\">", ctx->session.csrf);
}

/* The name of r's field f to keep under prefix, or NULL. */
static const char *
kept_name(const struct req_kv *f, const char *prefix)
{
	size_t	 n = strlen(prefix);

	if (strncmp(f->key, prefix, n) != 0 || strcmp(f->key + n, "csrf") == 0 ||
	    strstr(f->key, "password") != NULL)
		return NULL;
	return f->key + n;
}

/*
 * A local console path to link or redirect back to: "/admin/...", no
 * "//", printable ASCII without blanks or backslashes.
 */
bool
admin_back_ok(const char *path)
{
	if (path == NULL || strncmp(path, "/admin/", 7) != 0 ||
	    strstr(path, "//") != NULL)
		return false;
	/* Printable ASCII only: no blank, control (CR, LF) or backslash. */
	for (const char *c = path; *c != '\0'; c++)
		if (*c <= ' ' || *c >= 0x7f || *c == '\\')
			return false;
	return true;
}

/*
 * The fields of r kept under prefix, each a read-only text area labelled
 * with its name; in a form (named keep:NAME, so a sign-in posts them on)
 * when form. The number of fields written.
 */
static size_t
kept_fields(struct buf *b, const struct admin_ctx *ctx, const char *prefix,
    bool form)
{
	const struct req *r = ctx->req;
	const char	*name;
	size_t		 n = 0;

	for (size_t i = 0; i < r->nfields; i++) {
		if ((name = kept_name(&r->fields[i], prefix)) == NULL)
			continue;
		if (n++ == 0)
			html_fmt(b, "<fieldset><legend>%s</legend>\n",
			    tr(ctx->lang, "What you typed (not sent)"));
		html_fmt(b, "<div class=\"q\"><label for=\"keep-%d\">%s"
		    "</label>\n", (int)n, name);
		html_fmt(b, "<textarea id=\"keep-%d\" rows=\"3\" readonly",
		    (int)n);
		if (form)
			html_fmt(b, " name=\"" ADMIN_KEEP_PREFIX "%s\"", name);
		/* A leading newline would be eaten by the parser: add one. */
		html_fmt(b, ">\n%s</textarea></div>\n", r->fields[i].val);
	}
	if (n > 0)
		html_raw(b, "</fieldset>\n");
	return n;
}

int
admin_kept_page(struct page *p, const struct admin_ctx *ctx, int status,
    const char *heading, const char *message, const char *keep,
    const char *back)
{
	struct buf	*b = &p->body;
	size_t		 n = 0;

	for (size_t i = 0; i < ctx->req->nfields; i++)
		if (kept_name(&ctx->req->fields[i], keep) != NULL)
			n++;
	if (n == 0)
		return 1;
	p->status = status;
	admin_begin(p, ctx, heading);
	html_fmt(b, "<h1>%s</h1>\n<p class=\"notice\" role=\"status\">%s"
	    "</p>\n", heading, message);
	if (admin_back_ok(back))
		html_fmt(b, "<p><a href=\"%s\">%s</a></p>\n", back,
		    tr(ctx->lang, "Back to the page"));
	kept_fields(b, ctx, keep, false);
	return admin_end(p);
}

int
admin_login_form(struct page *p, const struct admin_ctx *ctx, int status,
    const char *message, const char *username, const char *token,
    const char *keep, const char *back)
{
	const struct lang *L = ctx->lang;
	struct buf	*b = &p->body;

	p->status = status;
	begin(p, ctx, tr(L, "Sign in"), false);
	html_fmt(b, "<h1>%s</h1>\n", tr(L, "Sign in to the console"));
	if (message != NULL)
		html_fmt(b, "<p class=\"%s\" role=\"alert\">%s</p>\n",
		    status < 400 ? "notice" : "problems", message);
	html_fmt(b, "<form method=\"post\" action=\"/admin/login\">\n"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
	    "<fieldset><legend>%s</legend>\n"
	    "<div class=\"q\"><label for=\"username\">%s</label>\n"
	    "<input type=\"text\" id=\"username\" name=\"username\" "
	    "value=\"%s\" autocomplete=\"username\" required></div>\n",
	    token, tr(L, "Coordinator account"), tr(L, "Username"),
	    username != NULL ? username : "");
	html_fmt(b, "<div class=\"q\"><label for=\"password\">%s"
	    "</label>\n<input type=\"password\" id=\"password\" "
	    "name=\"password\" autocomplete=\"current-password\" required>"
	    "</div>\n</fieldset>\n<p class=\"actions\"><button "
	    "type=\"submit\">%s</button></p>\n", tr(L, "Password"),
	    tr(L, "Sign in"));
	if (keep != NULL) {
		if (admin_back_ok(back))
			html_fmt(b, "<input type=\"hidden\" name=\"back\" "
			    "value=\"%s\">\n", back);
		kept_fields(b, ctx, keep, true);
	}
	html_raw(b, "</form>\n");
	return admin_end(p);
}

void
admin_field(const struct admin_ctx *ctx, const char *name, char *out,
    size_t outsz)
{
	const char	*v = req_field(ctx->req, name);
	size_t		 n;

	if (v == NULL)
		v = "";
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
	    v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	/* Too long for out: a value req_text_ok refuses, never a cut one. */
	if (n >= outsz) {
		v = "\x7f";
		n = outsz > 1 ? 1 : 0;
	}
	memcpy(out, v, n);
	out[n] = '\0';
}

const struct form *
admin_form(const struct admin_ctx *ctx, int64_t form_id)
{
	return page_form_by_id(ctx->forms, ctx->nforms, form_id);
}

static int
city_cb(void *arg, const struct store_city *c)
{
	struct admin_cities *ac = arg;

	/* The row's own array sizes: a copy cannot cut anything. */
	_Static_assert(sizeof(ac->codes[0]) == sizeof(c->code),
	    "a city code is kept as the store reads it");
	_Static_assert(sizeof(ac->names[0]) == sizeof(c->name),
	    "a city name is kept as the store reads it");

	if (ac->n == ADMIN_CITIES_MAX)
		return 0;
	memcpy(ac->codes[ac->n], c->code, sizeof(c->code));
	memcpy(ac->names[ac->n], c->name, sizeof(c->name));
	ac->ids[ac->n] = c->id;
	ac->v[ac->n].key = ac->codes[ac->n];
	ac->v[ac->n].label = ac->names[ac->n];
	ac->n++;
	return 0;
}

int
admin_cities_load(struct admin_ctx *ctx, int64_t campaign_id,
    struct admin_cities *ac)
{
	ac->n = 0;
	return store_cities(ctx->store, campaign_id, city_cb, ac);
}

int
admin_fields_load(struct admin_ctx *ctx, int64_t campaign_id,
    struct admin_fields *af)
{
	memset(af, 0, sizeof(*af));
	af->v = store_fields(ctx->store, campaign_id, ADMIN_FIELDS_MAX, &af->n);
	return af->v != NULL ? 0 : -1;
}

void
admin_fields_free(struct admin_fields *af)
{
	if (af == NULL)
		return;
	free(af->v);
	memset(af, 0, sizeof(*af));
}

/* The 404 page of a campaign she may not see or that is not: 1 or -1. */
static int
no_campaign(struct page *p, const struct admin_ctx *ctx)
{
	return admin_error(p, ctx, 404, tr(ctx->lang, "No such campaign"),
	    tr(ctx->lang, "There is no campaign with this name.")) == -1 ?
	    -1 : 1;
}

int
admin_campaign_find(struct admin_ctx *ctx, struct page *p, const char *slug,
    struct store_campaign *c)
{
	int	 rc;

	if ((rc = store_campaign_get(ctx->store, slug, c)) == -1)
		return -1;
	if (rc == 0)
		return admin_campaign_access(ctx, p, c->id);
	return no_campaign(p, ctx);
}

int
admin_campaign_access(struct admin_ctx *ctx, struct page *p,
    int64_t campaign_id)
{
	if (admin_campaign_role(ctx, campaign_id) == -1)
		return -1;
	if (ctx->role == STORE_ROLE_NONE)
		/* The page of an unknown campaign, word for word. */
		return no_campaign(p, ctx);
	if (ctx->req->method == REQ_POST && !admin_can_change(ctx))
		return admin_read_only(p, ctx) == -1 ? -1 : 1;
	return 0;
}

int
admin_campaign_role(struct admin_ctx *ctx, int64_t campaign_id)
{
	ctx->role = STORE_ROLE_OWNER;
	if (ctx->who.admin)
		return 0;
	return store_role_get(ctx->store, ctx->who.id, campaign_id,
	    &ctx->role);
}

int
admin_read_only(struct page *p, const struct admin_ctx *ctx)
{
	return admin_error(p, ctx, 403, tr(ctx->lang, "Read only"),
	    tr(ctx->lang, "You may read this campaign but not change it. "
	    "Nothing was changed."));
}

int
admin_page_param(struct admin_ctx *ctx, struct page *p, int64_t *page)
{
	const char	*v = req_field(ctx->req, "page");
	int64_t		 n = 1;

	if (v != NULL && (!page_parse_id(&v, &n) || *v != '\0'))
		return admin_error(p, ctx, 400, tr(ctx->lang, "Bad page "
		    "number"), tr(ctx->lang, "A page of experts is a whole "
		    "number from 1.")) == -1 ? -1 : 1;
	*page = n;
	return 0;
}

int
admin_round_param(struct admin_ctx *ctx, struct page *p, int *round)
{
	const char	*v = req_field(ctx->req, "round");
	int64_t		 n = 0;

	if (v != NULL && (!page_parse_id(&v, &n) || *v != '\0' ||
	    n > ADMIN_ROUND_MAX))
		return admin_error(p, ctx, 422, tr(ctx->lang, "No such round"),
		    tr(ctx->lang, "A round is given by its number: 1, 2, and "
		    "so on.")) == -1 ? -1 : 1;
	*round = (int)n;
	return 0;
}

void
admin_pager(struct buf *b, const struct lang *L, const char *path,
    const char *query, const char *anchor, int64_t page, int64_t n)
{
	int64_t	 pages = (n + ADMIN_PAGE_ROWS - 1) / ADMIN_PAGE_ROWS;
	const char *amp = query != NULL && *query != '\0' ? "&" : "";
	char	 t[100];

	query = query != NULL ? query : "";
	html_fmt(b, "<p class=\"pager\">%s", admin_trf(t, sizeof(t),
	    trn(L, "%ld expert", "%ld experts", (unsigned long)n), (long)n));
	if (pages > 1)
		html_fmt(b, "; %s", admin_trf(t, sizeof(t), tr(L, "page %ld "
		    "of %ld"), (long)page, (long)pages));
	if (page > 1)
		html_fmt(b, " · <a href=\"%s?%s%spage=%" PRId64 "#%s\">%s</a>",
		    path, query, amp, page - 1, anchor, tr(L, "previous"));
	if (page < pages)
		html_fmt(b, " · <a href=\"%s?%s%spage=%" PRId64 "#%s\">%s</a>",
		    path, query, amp, page + 1, anchor, tr(L, "next"));
	html_raw(b, "</p>\n");
}

bool
admin_can_change(const struct admin_ctx *ctx)
{
	return ctx->role == STORE_ROLE_OWNER;
}

const char *
admin_typed(const struct admin_ctx *ctx, const struct admin_state *st,
    const char *form, const char *name)
{
	const char	*v;

	if (st == NULL || st->form == NULL || strcmp(st->form, form) != 0)
		return "";
	v = req_field(ctx->req, name);
	return v != NULL ? v : "";
}

int
admin_problem(struct buf *b, const struct admin_state *st, const char *form)
{
	if (st == NULL || st->form == NULL || strcmp(st->form, form) != 0)
		return 0;
	return html_fmt(b, "<p class=\"issue\" role=\"alert\">%s</p>\n",
	    st->problem);
}

int
admin_top(struct buf *b, const struct admin_state *st)
{
	if (st == NULL)
		return 0;
	if (st->notice != NULL)
		html_fmt(b, "<p class=\"notice\" role=\"status\">%s</p>\n",
		    st->notice);
	if (st->form != NULL)
		html_fmt(b, "<div class=\"problems\" role=\"alert\"><p>%s"
		    "</p></div>\n", st->problem);
	return buf_failed(b) ? -1 : 0;
}
