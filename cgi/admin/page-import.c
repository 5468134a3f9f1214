/*
 * admin/page-import: key fields (code,title) and experts
 * (name,email,fields) from CSV, parsed by RFC 4180. An import is all or
 * nothing: every row is checked first, then all are stored in one
 * transaction. Never stores a row it has not checked.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin/console.h"
#include "app/expert.h"
#include "app/import.h"
#include "base/csv.h"
#include "base/auth.h"
#include "base/html.h"
#include "base/log.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/responses.h"

/* ---- shared by both imports ---- */

/* The CSV text: the uploaded file when there is one, else the paste. */
static const char *
csv_text(const struct admin_ctx *ctx)
{
	const char	*f = req_field(ctx->req, "file");

	if (f != NULL && *f != '\0')
		return f;
	f = req_field(ctx->req, "csv");
	return f != NULL ? f : "";
}

/* A value already checked into out: 0, or -1 (logged) when it was cut. */
static int
keep(char *out, size_t outsz, const char *what, int line, const char *v)
{
	if (buf_fmt(out, outsz, "%s", v) == -1) {
		log_err("import: the %s of line %d was cut", what, line);
		return -1;
	}
	return 0;
}

/*
 * Reads the CSV text with cb(arg, ...), which adds rows (counted in *n)
 * and problems to pr: 0 when there are rows and no problem; else the
 * campaign page again with the problems next to form (422) and 1; or -1.
 */
/* Refuse an import with status and problem (r's buffer): 1, or -1. */
static int
refuse(struct admin_refusal *r, int status, const char *form,
    const char *problem)
{
	r->status = status;
	r->form = form;
	buf_reset(&r->problem);
	return buf_puts(&r->problem, problem) == -1 ? -1 : 1;
}

static int
rows_read(struct admin_refusal *r, const char *form, const char *text,
    int (*cb)(void *, int, char **, size_t), void *arg,
    struct import_problems *pr, const size_t *n)
{
	char	 err[CSV_ERR_MAX];
	int	 rc;

	rc = csv_parse(text, strlen(text), pr->lang, cb, arg, err,
	    sizeof(err));
	if (rc == -1)
		return -1;
	if (rc == 1 && pr->n == 0)
		return refuse(r, 422, form, err);
	if (pr->n == 0 && *n == 0)
		import_problem_add(pr, 1, "%s", tr(pr->lang,
		    "there are no rows to import."));
	if (pr->n > 0)
		return refuse(r, 422, form, import_problems_text(pr));
	return 0;
}

/* What both imports hold: the console, the campaign, the problems. */
struct import {
	struct admin_ctx		*ctx;
	const struct store_campaign	*c;
	struct import_problems		 pr;
	bool				 first;	/* the next record is */
};

/* Whether record f, n is the import's first and a header (names). */
static bool
first_header(struct import *im, char **f, size_t n,
    const char *const *names, size_t nnames)
{
	bool	 first = im->first;

	im->first = false;
	return first && import_header(f, n, names, nnames);
}

/* ---- key fields ---- */

struct field_in {
	int	 line;
	char	 code[CAMPAIGN_FIELD_CODE_MAX + 1];
	char	 title[CAMPAIGN_TEXT_MAX + 1];
};

struct fields_import {
	struct import			 h;
	struct field_in			*v;
	size_t				 n;
};

static int
field_record(void *arg, int line, char **f, size_t n)
{
	static const char *const names[] = { "code", "title" };
	struct fields_import	*im = arg;
	struct field_in		*in;
	char			*code, *title;

	if (first_header(&im->h, f, n, names, 2))
		return 0;
	if (n != 2) {
		import_problem_add(&im->h.pr, line, "%s", tr(im->h.pr.lang,
		    "write two values, code,title."));
		return 0;
	}
	code = import_trim(f[0]);
	title = import_trim(f[1]);
	if (!campaign_field_code_ok(code)) {
		import_problem_add(&im->h.pr, line, tr(im->h.pr.lang, "a code "
		    "is 1 to %d characters: letters (of any script), digits, "
		    "'-', '_', '.' and single spaces between them, such as "
		    "SF 41."), CAMPAIGN_FIELD_CODE_CHARS);
		return 0;
	}
	if (!req_text_ok(title, CAMPAIGN_TEXT_MAX)) {
		import_problem_add(&im->h.pr, line, tr(im->h.pr.lang, "a title "
		    "is 1 to %d bytes of text on one line."),
		    CAMPAIGN_TEXT_MAX);
		return 0;
	}
	for (size_t i = 0; i < im->n; i++)
		if (strcmp(im->v[i].code, code) == 0) {
			import_problem_add(&im->h.pr, line, "%s",
			    tr(im->h.pr.lang, "this code is given twice."));
			return 0;
		}
	if (im->n == ADMIN_CSV_ROWS) {
		import_too_many(&im->h.pr, line);
		return 1;
	}
	in = &im->v[im->n++];
	in->line = line;
	if (keep(in->code, sizeof(in->code), "code", line, code) == -1 ||
	    keep(in->title, sizeof(in->title), "title", line, title) == -1)
		return -1;
	return 0;
}

static int
fields_txn(struct store *s, void *arg)
{
	struct fields_import	*im = arg;
	char			 object[128];
	int64_t			 id;
	int			 rc;

	for (size_t i = 0; i < im->n; i++) {
		rc = store_field_add(s, im->h.c->id, im->v[i].code,
		    im->v[i].title, &id);
		if (rc == -1)
			return -1;
		if (rc == 1)
			import_problem_add(&im->h.pr, im->v[i].line, "%s",
			    tr(im->h.pr.lang, "the campaign has a key field "
			    "with this code already."));
	}
	if (im->h.pr.n > 0)
		return 1;
	if (buf_fmt(object, sizeof(object), "campaign:%s",
	    im->h.c->slug) == -1) {
		log_err("import: audit object of campaign %s cut",
		    im->h.c->slug);
		return -1;
	}
	return store_audit(s, im->h.ctx->actor, "field.import", object, "");
}

static int
csv_checked(struct admin_ctx *ctx, struct admin_refusal *r,
    const char *form, const char **text)
{
	const struct req_upload	*file = req_file(ctx->req, "file");

	if (file != NULL && file->not_utf8) {
		refuse(r, 422, form, "");
		import_not_utf8(&r->problem, ctx->lang, file->filename);
		return buf_failed(&r->problem) ? -1 : 1;
	}
	*text = csv_text(ctx);
	if (strlen(*text) > ADMIN_CSV_MAX) {
		refuse(r, 413, form, "");
		import_too_large(&r->problem, ctx->lang);
		return buf_failed(&r->problem) ? -1 : 1;
	}
	if (**text == '\0')
		return refuse(r, 422, form, tr(ctx->lang, "Choose a CSV file "
		    "or paste the CSV text."));
	return 0;
}

/*
 * Begin the import of form ("fields" or "experts") into campaign c: its
 * CSV into *text (csv_checked) and im ready for the records. 0, or
 * csv_checked's refusal or -1 (then im holds nothing to free).
 */
static int
import_begin(struct import *im, struct admin_ctx *ctx,
    const struct store_campaign *c, struct admin_refusal *r,
    const char *form, const char **text)
{
	int	 rc;

	if ((rc = csv_checked(ctx, r, form, text)) != 0)
		return rc;
	im->ctx = ctx;
	im->c = c;
	im->first = true;
	import_problems_init(&im->pr, ctx->lang);
	return 0;
}

int
admin_import_fields(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, struct admin_refusal *r)
{
	struct fields_import	 im;
	const char		*text;
	char			 href[128];
	int			 rc;

	memset(&im, 0, sizeof(im));
	if ((rc = import_begin(&im.h, ctx, c, r, "fields", &text)) != 0)
		return rc;
	if ((im.v = calloc(ADMIN_CSV_ROWS, sizeof(*im.v))) == NULL)
		return -1;
	if ((rc = rows_read(r, "fields", text, field_record, &im, &im.h.pr,
	    &im.n)) != 0)
		goto out;
	if ((rc = store_write(ctx->store, fields_txn, &im)) == -1)
		goto out;
	if (im.h.pr.n > 0) {
		rc = refuse(r, 422, "fields", import_problems_text(&im.h.pr));
		goto out;
	}
	if (buf_fmt(href, sizeof(href), "/admin/c/%s?done=imported#fields",
	    c->slug) == -1) {
		log_err("import: redirect to campaign %s cut", c->slug);
		rc = -1;
	} else
		rc = page_redirect(p, href);
out:
	free(im.v);
	buf_free(&im.h.pr.text);
	return rc;
}

/* ---- experts ---- */

/* The rows skipped (invited already, or twice in the file), a list. */
static void
skipped_list(struct buf *b, const struct lang *L,
    const struct expert_import *im)
{
	size_t	 n = 0;
	char	 t[64];

	for (size_t i = 0; i < im->n; i++)
		if (im->v[i].skip[0] != '\0' && n++ == 0)
			html_fmt(b, "<h2>%s</h2>\n<ul class=\"skipped\">\n",
			    tr(L, "Rows skipped"));
	for (size_t i = 0; i < im->n; i++)
		if (im->v[i].skip[0] != '\0')
			html_fmt(b, "<li>%s %s</li>\n", admin_trf(t, sizeof(t),
			    tr(L, "Line %d:"), im->v[i].line), im->v[i].skip);
	if (n > 0)
		html_raw(b, "</ul>\n");
}

static int
links_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct expert_import *im)
{
	struct buf	*b = &p->body;
	char		 h1[128];

	admin_begin(p, ctx, tr(ctx->lang, "Experts imported"));
	/* Translations are text, never markup: escaped as any value. */
	if (buf_fmt(h1, sizeof(h1), trn(ctx->lang, "%d expert imported",
	    "%d experts imported", im->added), (int)im->added) == -1)
		buf_mark_cut(h1, sizeof(h1));
	html_fmt(b, "<h1>%s</h1>\n", h1);
	skipped_list(b, ctx->lang, im);
	html_fmt(b, "<p>%s</p>\n<table class=\"data\"><caption>%s</caption>"
	    "\n<thead><tr>", tr(ctx->lang, "Send each expert her link. The "
	    "links are shown only now: keyfield keeps a hash of each, not the "
	    "link. A lost link can be replaced on the campaign page."),
	    tr(ctx->lang, "Invitation links"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    tr(ctx->lang, "Name"), tr(ctx->lang, "E-mail"), tr(ctx->lang,
	    "Link"));
	for (size_t i = 0; i < im->n; i++)
		if (im->v[i].skip[0] == '\0')
			html_fmt(b, "<tr><td>%s</td><td>%s</td>"
			    "<td class=\"link\">%s/i/%s</td></tr>\n",
			    im->v[i].name,
			    im->v[i].email, ctx->base_url, im->v[i].token);
	html_raw(b, "</tbody></table>\n");
	html_fmt(b, "<p><a href=\"/admin/c/%s#experts\">%s</a></p>\n",
	    c->slug, tr(ctx->lang, "Back to the campaign"));
	admin_end(p);
	return buf_failed(b) ? -1 : 0;
}

int
admin_import_experts(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, struct admin_refusal *r)
{
	struct expert_import	 im;
	struct admin_fields	 known;
	const char		*text;
	char			 dflt[STORE_LANG_SZ];
	int			 rc;

	if ((rc = csv_checked(ctx, r, "experts", &text)) != 0)
		return rc;
	if (admin_fields_load(ctx, c->id, &known) == -1)
		return -1;
	rc = expert_import_init(&im, c->id, known.v, known.n, ctx->actor,
	    ctx->lang);
	if (rc == 0 && store_campaign_languages(ctx->store, c->id,
	    im.languages, dflt) != 0)
		rc = -1;
	im.mail_conf = ctx->conf;
	im.base_url = ctx->base_url;
	if (rc == 0 && (rc = expert_import_read(&im, text, NULL)) == 1)
		rc = refuse(r, 422, "experts", import_problems_text(&im.pr));
	else if (rc == 0 && (rc = expert_import_store(ctx->store, &im)) == 0)
		rc = links_page(ctx, p, c, &im);
	expert_import_free(&im);
	admin_fields_free(&known);
	return rc;
}
