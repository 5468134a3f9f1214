/*
 * admin/page-final: a key field's final card (app/final.h) in the
 * console: the editor (ratings prefilled with the panel's medians, an
 * example per city, sections 1 to 10, each beside the panel's texts of
 * the last round), its versions and their diff, publishing one, and the
 * printable card in the seed's layout. Owners and administrators write;
 * viewers read. Never shows a text unescaped.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/console.h"
#include "base/i18n.h"
#include "app/final.h"
#include "app/stats.h"
#include "base/form.h"
#include "base/html.h"
#include "base/rating.h"
#include "store/finals.h"

/* Bytes of a version as Markdown. */
#define FIN_PAGE_MAX	(4 * FINAL_BODY_MAX)

/* What every final-card page loads. */
struct fin {
	struct admin_ctx		*ctx;
	struct stats_campaign		 sc;	/* of round */
	const struct store_field	*f;
	size_t				 fi;	/* f's in sc.fields */
	const struct form		*form;
	int				 round;	/* the panel's */
	int				 latest; /* version; 0: none yet */
	struct final_card		 fc;	/* shown in the editor */
	/* A refused save: the ratings as typed and their problems. */
	const char			*typed[CAMPAIGN_CITIES_MAX];
	bool				 bad[CAMPAIGN_CITIES_MAX];
	const char			*problem;
	char				 text[512]; /* a problem */
	int				 status;
};

static void
fin_free(struct fin *fn)
{
	final_free(&fn->fc);
	stats_campaign_free(&fn->sc);
}

/*
 * Load campaign slug (with her access) and its key field id, the round
 * of the panel's answers, and the latest version (or the prefill) into
 * fn: 0; 1 with p filled (404, 403); -1.
 */
static int
fin_load(struct admin_ctx *ctx, struct page *p, const char *slug,
    int64_t id, struct fin *fn)
{
	struct store_campaign	 c;
	struct store_final	 meta;
	int			 rc;

	memset(fn, 0, sizeof(*fn));
	fn->ctx = ctx;
	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc;
	if (final_round(ctx->store, c.id, &fn->round) == -1 ||
	    stats_campaign_load(ctx->store, slug, fn->round, &fn->sc) != 0)
		return -1;
	final_init(&fn->fc, fn->sc.cities, fn->sc.ncities);
	for (fn->fi = 0; fn->fi < fn->sc.nfields; fn->fi++)
		if (fn->sc.fields[fn->fi].id == id)
			break;
	if (fn->fi == fn->sc.nfields)
		return admin_error(p, ctx, 404, tr(ctx->lang, "No such key "
		    "field"), tr(ctx->lang, "This campaign has no such key "
		    "field.")) == -1 ? -1 : 1;
	fn->f = &fn->sc.fields[fn->fi];
	fn->form = page_form_by_id(fn->sc.forms, fn->sc.nforms, c.form_id);
	if ((rc = final_load(ctx->store, id, STORE_FINAL_LATEST, &fn->fc,
	    &meta)) == -1)
		return -1;
	if (rc == 0)
		fn->latest = meta.version;
	else
		final_prefill(&fn->fc, &fn->sc.st, fn->fi);
	fn->status = 200;
	return 0;
}

/* ---- the panel's texts beside the editor ---- */

struct panel_out {
	struct buf	*b;
	const char	*row;	/* only this grid row; NULL: every one */
	size_t		 n;
};

static int
panel_line(void *arg, const char *expert, const char *label,
    const char *row, const char *value)
{
	struct panel_out	*po = arg;

	if (po->row != NULL && strcmp(po->row, row) != 0)
		return 0;
	if (po->n++ == 0)
		html_raw(po->b, "<dl class=\"panel\">");
	if (po->row == NULL && *row != '\0')
		html_fmt(po->b, "<dt>%s: %s (%s)</dt>", expert, label, row);
	else if (po->row == NULL)
		html_fmt(po->b, "<dt>%s: %s</dt>", expert, label);
	else
		html_fmt(po->b, "<dt>%s</dt>", expert);
	html_fmt(po->b, "<dd>%s</dd>", value);
	return 0;
}

/* The panel's texts of part (0 examples of city row, 1..10) into b. */
static int
panel(struct buf *b, const struct fin *fn, int part, const char *row)
{
	struct panel_out	 po = { b, row, 0 };
	char			 t[100];

	html_fmt(b, "<div class=\"final-panel\"><p class=\"hint\">%s</p>",
	    admin_trf(t, sizeof(t), tr(fn->ctx->lang, "The panel's answers, "
	    "round %d (to copy from):"), fn->round));
	if (fn->form != NULL && final_panel_texts(fn->ctx->store, fn->round,
	    fn->f->id, fn->form, part, panel_line, &po) == -1)
		return -1;
	if (po.n == 0)
		html_fmt(b, "<p>%s</p>", tr(fn->ctx->lang, "No answers."));
	else
		html_raw(b, "</dl>");
	html_raw(b, "</div>\n");
	return 0;
}

/* ---- the editor ---- */

static void
rating_cell(struct buf *b, const struct fin *fn, size_t i)
{
	const struct stats_cell	*c = &fn->sc.st.fields[fn->fi].cities[i];
	const char		*code = fn->sc.cities[i].key;
	char			 med[RATING_NUMSZ], typed[4] = "";
	char			 num[2 * RATING_NUMSZ];

	if (c->st.n > 0)
		rating_quarters(med, sizeof(med), c->st.medianx4);
	if (fn->typed[i] == NULL && fn->fc.ratings[i] >= 0)
		buf_fmt(typed, sizeof(typed), "%d", fn->fc.ratings[i]);
	html_fmt(b, "<tr><th scope=\"row\"><label for=\"r-%s\">%s</label>"
	    "</th><td>%s</td><td>", code, fn->sc.cities[i].label,
	    c->st.n > 0 ? i18n_number(fn->ctx->lang, med, num, sizeof(num)) :
	    "-");
	html_fmt(b, "%d</td><td><input id=\"r-%s\" name=\"rating.%s\" "
	    "size=\"3\" inputmode=\"numeric\" value=\"%s\"", (int)c->st.n,
	    code, code, fn->typed[i] != NULL ? fn->typed[i] : typed);
	if (fn->bad[i])
		html_fmt(b, " aria-invalid=\"true\" aria-describedby=\"re-%s\">"
		    "<span class=\"error\" id=\"re-%s\">%s</span>", code,
		    code, tr(fn->ctx->lang, "Give a whole number from 0 to "
		    "10, or empty."));
	else
		html_raw(b, ">");
	html_raw(b, "</td></tr>\n");
}

static void
ratings(struct buf *b, const struct fin *fn)
{
	const struct lang *L = fn->ctx->lang;
	char		 t[200];

	html_fmt(b, "<h2>%s</h2>\n<table class=\"data\"><caption>%s"
	    "</caption>\n", tr(L, "Ratings"), admin_trf(t, sizeof(t),
	    tr(L, "One rating per city, 0 to 10 (prefilled with the medians "
	    "of round %d)"), fn->round));
	html_fmt(b, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">"
	    "%s</th><th scope=\"col\">n</th><th scope=\"col\">%s</th></tr>"
	    "</thead>\n<tbody>", tr(L, "City"), tr(L, "Panel median"),
	    tr(L, "Rating"));
	for (size_t i = 0; i < fn->sc.ncities; i++)
		rating_cell(b, fn, i);
	html_fmt(b, "</tbody><tfoot><tr><th scope=\"row\">%s</th><td>"
	    "</td><td></td><td>%d</td></tr></tfoot></table>\n", tr(L, "Total"),
	    final_total(&fn->fc));
}

static int
examples(struct buf *b, const struct fin *fn)
{
	const char	*code, *t;
	char		 l[200];

	html_fmt(b, "<h2>%s</h2>\n", tr(fn->ctx->lang, "Examples"));
	for (size_t i = 0; i < fn->sc.ncities; i++) {
		code = fn->sc.cities[i].key;
		t = fn->fc.examples[i] != NULL ? fn->fc.examples[i] : "";
		html_fmt(b, "<div class=\"final-part\"><div><label "
		    "for=\"e-%s\">%s</label><textarea id=\"e-%s\" "
		    "name=\"example.%s\" rows=\"4\">%s</textarea></div>", code,
		    admin_trf(l, sizeof(l), tr(fn->ctx->lang, "Example: %s"),
		    fn->sc.cities[i].label), code, code, t);
		if (panel(b, fn, 0, code) == -1)
			return -1;
		html_raw(b, "</div>\n");
	}
	return 0;
}

static int
sections(struct buf *b, const struct fin *fn)
{
	const char	*t;
	char		 l[64];

	for (int i = 0; i < FINAL_SECTIONS; i++) {
		t = fn->fc.sections[i] != NULL ? fn->fc.sections[i] : "";
		html_fmt(b, "<h2 id=\"s%d\">%s</h2>\n<div class=\"final-part\">"
		    "<div><label for=\"t%d\">%s</label>"
		    "<textarea id=\"t%d\" name=\"section.%d\" rows=\"8\">%s"
		    "</textarea></div>", i + 1,
		    final_section_title(fn->ctx->lang, (size_t)i), i + 1,
		    admin_trf(l, sizeof(l), tr(fn->ctx->lang, "Text of section "
		    "%d"), i + 1), i + 1, i + 1, t);
		if (panel(b, fn, i + 1, NULL) == -1)
			return -1;
		html_raw(b, "</div>\n");
	}
	return 0;
}

static int
editor(struct buf *b, const struct fin *fn)
{
	char	 t[64];

	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/final/%"
	    PRId64 "\"><fieldset%s><legend>%s</legend>", fn->sc.c.slug,
	    fn->f->id, admin_can_change(fn->ctx) ? "" : " disabled",
	    admin_trf(t, sizeof(t), tr(fn->ctx->lang, "Version %d"),
	    fn->latest + 1));
	admin_csrf(b, fn->ctx);
	html_fmt(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">\n",
	    fn->latest);
	ratings(b, fn);
	if (examples(b, fn) == -1 || sections(b, fn) == -1)
		return -1;
	html_fmt(b, "<p><button type=\"submit\">%s</button></p></fieldset>"
	    "</form>\n", admin_trf(t, sizeof(t), tr(fn->ctx->lang, "Save as "
	    "version %d"), fn->latest + 1));
	return 0;
}

/* ---- versions, publishing, diff ---- */

struct vlist {
	struct buf	*b;
	const struct fin *fn;
};

static int
version_row(void *arg, const struct store_final *v)
{
	struct vlist	*vl = arg;
	const struct fin *fn = vl->fn;
	const struct lang *L = fn->ctx->lang;
	char		 saved[I18N_DATE_MAX], pub[I18N_DATE_MAX] = "-";
	char		 t[100];

	i18n_time(L, v->created_at, saved);
	if (*v->published_at != '\0')
		i18n_time(L, v->published_at, pub);
	html_fmt(vl->b, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td>"
	    "<td><a href=\"/admin/c/%s/final/%" PRId64 "/print?version=%d\">"
	    "%s</a>", v->version, saved, v->author, pub, fn->sc.c.slug,
	    fn->f->id, v->version, tr(L, "print"));
	if (v->version > 1)
		html_fmt(vl->b, " · <a href=\"/admin/c/%s/final/%" PRId64
		    "?a=%d&amp;b=%d#diff\">%s</a>", fn->sc.c.slug,
		    fn->f->id, v->version - 1, v->version, tr(L, "changes"));
	if (*v->published_at == '\0' && admin_can_change(fn->ctx)) {
		html_fmt(vl->b, "<form class=\"inline\" method=\"post\" action="
		    "\"/admin/c/%s/final/%" PRId64 "/publish\">", fn->sc.c.slug,
		    fn->f->id);
		admin_csrf(vl->b, fn->ctx);
		html_fmt(vl->b, "<input type=\"hidden\" name=\"version\" value="
		    "\"%d\"> <label><input type=\"checkbox\" name=\"sure\" "
		    "value=\"%d\" required> %s</label> <button type=\"submit\">"
		    "%s</button></form>", v->version, v->version, admin_trf(t,
		    sizeof(t), tr(L, "send version %d to the partners"),
		    v->version), tr(L, "Publish"));
	}
	html_raw(vl->b, "</td></tr>\n");
	return 0;
}

static int
versions(struct buf *b, const struct fin *fn)
{
	const struct lang *L = fn->ctx->lang;
	struct vlist	 vl = { b, fn };

	html_fmt(b, "<h2 id=\"versions\">%s</h2>\n", tr(L, "Versions"));
	if (fn->latest == 0) {
		html_fmt(b, "<p>%s</p>\n", tr(L, "None saved yet: the ratings "
		    "below are the panel's medians."));
		return 0;
	}
	html_fmt(b, "<table class=\"data\"><thead><tr><th scope=\"col\">%s"
	    "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
	    tr(L, "Version"), tr(L, "Saved"), tr(L, "By"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "</tr></thead>\n<tbody>", tr(L, "Published"), tr(L, "Actions"));
	if (store_finals(fn->ctx->store, fn->f->id, version_row, &vl) != 0)
		return -1;
	html_raw(b, "</tbody></table>\n");
	return 0;
}

static int
diff_line(void *arg, char op, const char *line, size_t len)
{
	struct buf	*b = arg;

	html_raw(b, "<tr><td>");
	buf_putc(b, op);
	html_raw(b, "</td><td>");
	buf_puts(b, op == '-' ? "<del>" : op == '+' ? "<ins>" : "");
	html_textn(b, line, len);
	buf_puts(b, op == '-' ? "</del>" : op == '+' ? "</ins>" : "");
	html_raw(b, "</td></tr>\n");
	return 0;
}

/* Version v of fn's card as Markdown into out: 0, 1 none, -1. */
static int
version_md(const struct fin *fn, int v, struct buf *out)
{
	struct final_card	 fc;
	struct store_final	 meta;
	int			 rc;

	final_init(&fc, fn->sc.cities, fn->sc.ncities);
	if ((rc = final_load(fn->ctx->store, fn->f->id, v, &fc,
	    &meta)) == 0)
		rc = final_md(out, &fc, fn->f->code, fn->f->title);
	final_free(&fc);
	return rc;
}

/* The changes from Markdown a to b, titled. */
static int
diff_table(struct buf *b, const struct lang *L, const char *title,
    const char *a, const char *c)
{
	html_fmt(b, "<h2 id=\"diff\">%s</h2>\n<table class=\"diff\"><thead>"
	    "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
	    "</thead><tbody>\n", title, tr(L, "Change"), tr(L, "Line"));
	if (final_diff(a, c, diff_line, b) == -1)
		return -1;
	html_raw(b, "</tbody></table>\n");
	return 0;
}

/* Versions ?a= and ?b=, when asked: 0, 1 (a 400/404 page in p), -1. */
static int
diff_versions(struct buf *b, const struct fin *fn, struct page *p)
{
	const char	*a = req_field(fn->ctx->req, "a");
	const char	*c = req_field(fn->ctx->req, "b");
	int64_t		 va, vb;
	struct buf	 ma, mb;
	char		 title[64];
	int		 rc = -1;

	if (a == NULL && c == NULL)
		return 0;
	if (a == NULL || c == NULL || !page_parse_id(&a, &va) || *a != '\0' ||
	    !page_parse_id(&c, &vb) || *c != '\0' || va < 1 || vb < 1 ||
	    va > INT32_MAX || vb > INT32_MAX)
		return admin_error(p, fn->ctx, 400, tr(fn->ctx->lang, "Bad "
		    "versions"), tr(fn->ctx->lang, "Compare two versions "
		    "given as whole numbers: ?a=1&b=2.")) == -1 ? -1 : 1;
	buf_init(&ma, FIN_PAGE_MAX);
	buf_init(&mb, FIN_PAGE_MAX);
	if ((rc = version_md(fn, (int)va, &ma)) == 0 &&
	    (rc = version_md(fn, (int)vb, &mb)) == 0 &&
	    buf_fmt(title, sizeof(title), tr(fn->ctx->lang, "Changes from "
	    "version %d to %d"), (int)va, (int)vb) == 0)
		rc = diff_table(b, fn->ctx->lang, title, buf_str(&ma),
		    buf_str(&mb));
	if (rc == 1)
		rc = admin_error(p, fn->ctx, 404, tr(fn->ctx->lang, "No such "
		    "version"), tr(fn->ctx->lang, "This final card has no "
		    "such version.")) == -1 ? -1 : 1;
	buf_free(&ma);
	buf_free(&mb);
	return rc;
}

/* ---- the pages ---- */

/* The editor page of fn with extra (a diff, or "") above the editor. */
static int
fin_page(struct page *p, const struct fin *fn, const char *extra)
{
	const struct lang *L = fn->ctx->lang;
	struct buf	*b = &p->body;
	char		 title[STORE_CODE_MAX + STORE_NAME_MAX + 16];

	admin_trf(title, sizeof(title), tr(L, "Final card %s"), fn->f->code);
	p->status = fn->status;
	admin_begin(p, fn->ctx, title);
	html_fmt(b, "<h1>%s: %s</h1>\n<p><a href=\"/admin/c/%s/dashboard\">"
	    "%s</a> · ", title, fn->f->title, fn->sc.c.slug,
	    tr(L, "Back to the dashboard"));
	html_fmt(b, "<a href=\"/admin/c/%s/final/%" PRId64 "/print\">%s</a>"
	    "</p>\n", fn->sc.c.slug, fn->f->id, tr(L, "Printable card"));
	if (fn->problem != NULL)
		html_fmt(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
		    fn->problem);
	if (versions(b, fn) == -1)
		return -1;
	buf_puts(b, extra);
	if (editor(b, fn) == -1)
		return -1;
	return admin_end(p);
}

int
admin_final(struct admin_ctx *ctx, struct page *p, const char *slug,
    int64_t id)
{
	struct fin	 fn;
	struct buf	 d;
	int		 rc;

	buf_init(&d, 2 * FIN_PAGE_MAX);
	if ((rc = fin_load(ctx, p, slug, id, &fn)) == 0 &&
	    (rc = diff_versions(&d, &fn, p)) == 0)
		rc = fin_page(p, &fn, buf_str(&d));
	buf_free(&d);
	fin_free(&fn);
	return rc == 1 ? 0 : rc;
}

/* Read the posted card into fn->fc (typed ratings kept): 0 or -1. */
static int
fin_read(struct fin *fn)
{
	const struct req	*r = fn->ctx->req;
	const char		*v;
	char			 name[STORE_CODE_MAX + 16], rating[8];
	bool			 bad = false, long_text = false;

	final_free(&fn->fc);
	for (size_t i = 0; i < fn->sc.ncities; i++) {
		buf_fmt(name, sizeof(name), "rating.%s", fn->sc.cities[i].key);
		fn->typed[i] = (v = req_field(r, name)) != NULL ? v : "";
		/* Blanks around a rating do not matter. */
		admin_field(fn->ctx, name, rating, sizeof(rating));
		bad |= fn->bad[i] = !final_rating_parse(rating,
		    &fn->fc.ratings[i]);
		buf_fmt(name, sizeof(name), "example.%s", fn->sc.cities[i].key);
		v = req_field(r, name);
		long_text |= v != NULL && strlen(v) > FINAL_TEXT_MAX;
		if (final_text_set(&fn->fc.examples[i],
		    v != NULL ? v : "") == -1)
			return -1;
	}
	for (int i = 0; i < FINAL_SECTIONS; i++) {
		buf_fmt(name, sizeof(name), "section.%d", i + 1);
		v = req_field(r, name);
		long_text |= v != NULL && strlen(v) > FINAL_TEXT_MAX;
		if (final_text_set(&fn->fc.sections[i],
		    v != NULL ? v : "") == -1)
			return -1;
	}
	if (bad) {
		fn->status = 422;
		fn->problem = tr(fn->ctx->lang, "A rating is not a whole "
		    "number from 0 to 10, or empty: see the ratings below. "
		    "Nothing was saved.");
	} else if (long_text) {
		fn->status = 422;
		fn->problem = admin_trf(fn->text, sizeof(fn->text),
		    tr(fn->ctx->lang, "A text is longer than %d bytes. "
		    "Nothing was saved."), FINAL_TEXT_MAX);
	}
	return 0;
}

/*
 * The 409 page of a save that came after another: the typed card stays
 * in the editor, now based on the latest version (saving again makes it
 * the next one), below the changes from the latest version to it.
 */
static int
fin_stale(struct page *p, struct fin *fn)
{
	struct store_final	 meta = { 0 };
	struct buf		 a, c, d;
	int			 rc;

	if ((rc = store_final_get(fn->ctx->store, fn->f->id,
	    STORE_FINAL_LATEST, &meta)) == -1)
		return -1;
	fn->status = 409;
	fn->latest = rc == 0 ? meta.version : 0;
	fn->problem = tr(fn->ctx->lang, "The form was made for a version that "
	    "is not there. Nothing was saved: your text is below; save "
	    "again.");
	if (rc == 0 && buf_fmt(fn->text, sizeof(fn->text), tr(fn->ctx->lang,
	    "Version %d was saved by %s while you edited. Nothing was saved: "
	    "your text is below, with its changes from version %d; save "
	    "again to make it version %d."), meta.version, meta.author,
	    meta.version, meta.version + 1) == -1)
		buf_mark_cut(fn->text, sizeof(fn->text));
	if (rc == 0)
		fn->problem = fn->text;
	store_final_free(&meta);
	if (fn->latest == 0)
		return fin_page(p, fn, "");
	buf_init(&a, FIN_PAGE_MAX);
	buf_init(&c, FIN_PAGE_MAX);
	buf_init(&d, 2 * FIN_PAGE_MAX);
	if ((rc = version_md(fn, fn->latest, &a)) == 0 &&
	    (rc = final_md(&c, &fn->fc, fn->f->code, fn->f->title)) == 0 &&
	    (rc = diff_table(&d, fn->ctx->lang, tr(fn->ctx->lang, "Your "
	    "changes to the latest version"), buf_str(&a),
	    buf_str(&c))) == 0)
		rc = fin_page(p, fn, buf_str(&d));
	buf_free(&a);
	buf_free(&c);
	buf_free(&d);
	return rc == 1 ? -1 : rc;
}

/* "/admin/c/SLUG/final/ID" and a tail into href[size]. */
static void
fin_href(char *href, size_t size, const struct fin *fn, const char *tail)
{
	int	 rc;

	rc = buf_fmt(href, size, "/admin/c/%s/final/%" PRId64 "%s",
	    fn->sc.c.slug, fn->f->id, tail);
	assert(rc == 0);	/* href holds the longest slug and id */
}

/* A posted version number from 0 into *out: true, or false. */
static bool
posted_version(const struct admin_ctx *ctx, const char *name, int *out)
{
	const char	*v = req_field(ctx->req, name);
	int64_t		 n;

	if (v != NULL && strcmp(v, "0") == 0) {
		*out = 0;
		return true;
	}
	if (v == NULL || !page_parse_id(&v, &n) || *v != '\0' ||
	    n > INT32_MAX)
		return false;
	*out = (int)n;
	return true;
}

int
admin_final_save(struct admin_ctx *ctx, struct page *p, const char *slug,
    int64_t id)
{
	struct fin	 fn;
	char		 href[STORE_CODE_MAX + 64];
	int		 rc, based, saved;

	if ((rc = fin_load(ctx, p, slug, id, &fn)) != 0)
		goto out;
	if (!posted_version(ctx, "version", &based)) {
		rc = admin_error(p, ctx, 400, tr(ctx->lang, "Bad request"),
		    tr(ctx->lang, "The form did not say which version it "
		    "edits. Open the editor again."));
		goto out;
	}
	if ((rc = fin_read(&fn)) == -1 || fn.status != 200) {
		rc = rc == -1 ? -1 : fin_page(p, &fn, "");
		goto out;
	}
	rc = final_save(ctx->store, id, based, &fn.fc, ctx->actor, &saved);
	if (rc == 1)
		rc = fin_stale(p, &fn);
	else if (rc == 2) {
		fn.status = 413;
		fn.problem = admin_trf(fn.text, sizeof(fn.text),
		    tr(ctx->lang, "The card is longer than %d bytes in all. "
		    "Nothing was saved."), FINAL_BODY_MAX);
		rc = fin_page(p, &fn, "");
	} else if (rc == 0) {
		fin_href(href, sizeof(href), &fn, "#versions");
		rc = page_redirect(p, href);
	}
out:
	fin_free(&fn);
	return rc == 1 ? 0 : rc;
}

int
admin_final_publish(struct admin_ctx *ctx, struct page *p,
    const char *slug, int64_t id)
{
	struct fin	 fn;
	const char	*sure = req_field(ctx->req, "sure");
	char		 href[STORE_CODE_MAX + 64];
	int		 rc, v;

	if ((rc = fin_load(ctx, p, slug, id, &fn)) != 0)
		goto out;
	if (!posted_version(ctx, "version", &v) || v < 1)
		rc = admin_error(p, ctx, 400, tr(ctx->lang, "Bad request"),
		    tr(ctx->lang, "The form did not say which version to "
		    "publish."));
	else if (sure == NULL || strtol(sure, NULL, 10) != v)
		rc = admin_error(p, ctx, 422, tr(ctx->lang, "Not confirmed"),
		    tr(ctx->lang, "Tick the box that sends the version to the "
		    "partners, then press Publish again."));
	else if ((rc = final_publish(ctx->store, &fn.sc.c, fn.f,
	    fn.sc.cities, fn.sc.ncities, v, ctx->base_url,
	    ctx->actor)) == 1)
		rc = admin_error(p, ctx, 409, tr(ctx->lang, "Not published"),
		    tr(ctx->lang, "There is no such version, or it is "
		    "published already."));
	else if (rc == 0) {
		fin_href(href, sizeof(href), &fn, "#versions");
		rc = page_redirect(p, href);
	}
out:
	fin_free(&fn);
	return rc == 1 ? 0 : rc;
}

/* The printable card: a table of city codes and Total, then texts. */
static void
print_card(struct buf *b, const struct fin *fn, const struct final_card *fc)
{
	html_fmt(b, "<article class=\"final-print\"><h1>%s: %s</h1>\n<table "
	    "class=\"data\"><thead><tr>", fn->f->code, fn->f->title);
	for (size_t i = 0; i < fc->ncities; i++)
		html_fmt(b, "<th scope=\"col\"><abbr title=\"%s\">%s</abbr>"
		    "</th>",
		    fc->cities[i].label, fc->cities[i].key);
	html_fmt(b, "<th scope=\"col\">%s</th></tr></thead><tbody><tr>",
	    tr(fn->ctx->lang, "Total"));
	for (size_t i = 0; i < fc->ncities; i++)
		if (fc->ratings[i] >= 0)
			html_fmt(b, "<td>%d</td>", fc->ratings[i]);
		else
			html_raw(b, "<td>-</td>");
	html_fmt(b, "<td>%d</td></tr></tbody></table>\n<h2>%s</h2>\n",
	    final_total(fc), tr(fn->ctx->lang, "Example:"));
	for (size_t i = 0; i < fc->ncities; i++)
		if (fc->examples[i] != NULL)
			html_fmt(b, "<p class=\"final-text\"><strong>%s:"
			    "</strong> "
			    "%s</p>\n", fc->cities[i].label, fc->examples[i]);
	for (size_t i = 0; i < FINAL_SECTIONS; i++) {
		html_fmt(b, "<h2>%s</h2>\n", final_section_title(fn->ctx->lang,
		    i));
		if (fc->sections[i] != NULL)
			html_fmt(b, "<div class=\"final-text\">%s</div>\n",
			    fc->sections[i]);
	}
	html_raw(b, "</article>\n");
}

/* Above the printed card, not printed: its version, a way back. */
static void
print_note(struct buf *b, const struct fin *fn,
    const struct store_final *meta, int64_t id)
{
	const struct lang *L = fn->ctx->lang;
	char		 t[64];

	html_fmt(b, "<p class=\"noprint\">%s, %s. <a href=\"/admin/c/%s/"
	    "final/%" PRId64 "\">%s</a></p>\n", admin_trf(t, sizeof(t),
	    tr(L, "Version %d"), meta->version), *meta->published_at !=
	    '\0' ? tr(L, "published") : tr(L, "not published"),
	    fn->sc.c.slug, id, tr(L, "Back to the editor"));
}

int
admin_final_print(struct admin_ctx *ctx, struct page *p, const char *slug,
    int64_t id)
{
	struct fin		 fn;
	struct final_card	 fc;
	struct store_final	 meta;
	int			 rc, v = STORE_FINAL_PUBLISHED;

	if ((rc = fin_load(ctx, p, slug, id, &fn)) != 0)
		goto out;
	final_init(&fc, fn.sc.cities, fn.sc.ncities);
	if (req_field(ctx->req, "version") != NULL &&
	    (!posted_version(ctx, "version", &v) || v < 1))
		rc = admin_error(p, ctx, 400, tr(ctx->lang, "Bad version"),
		    tr(ctx->lang, "A version is a whole number from 1."));
	else if ((rc = final_load(ctx->store, id, v, &fc, &meta)) == 1 &&
	    v == STORE_FINAL_PUBLISHED)
		rc = final_load(ctx->store, id, STORE_FINAL_LATEST, &fc, &meta);
	if (rc == 1)
		rc = admin_error(p, ctx, 404, tr(ctx->lang, "No final card"),
		    tr(ctx->lang, "This key field has no such version of its "
		    "final card."));
	else if (rc == 0) {
		admin_begin(p, ctx, fn.f->title);
		print_note(&p->body, &fn, &meta, id);
		print_card(&p->body, &fn, &fc);
		rc = admin_end(p);
	}
	final_free(&fc);
out:
	fin_free(&fn);
	return rc == 1 ? 0 : rc;
}
