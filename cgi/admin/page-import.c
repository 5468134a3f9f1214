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
#include "app/mailq.h"
#include "base/csv.h"
#include "base/auth.h"
#include "base/html.h"
#include "base/log.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/responses.h"

#define PROBLEMS_SHOWN	10	/* problems listed on the page */

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

/* Cut blanks around a value in place. */
static char *
trim(char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

struct problems {
	struct buf	 text;
	int		 n;
};

/* "Line N: " and what fmt says, unless PROBLEMS_SHOWN are listed. */
static void __attribute__((format(printf, 3, 4)))
problem_add(struct problems *pr, int line, const char *fmt, ...)
{
	va_list	 ap;

	if (++pr->n > PROBLEMS_SHOWN)
		return;
	buf_printf(&pr->text, "%sLine %d: ", pr->text.len ? " " : "", line);
	va_start(ap, fmt);
	buf_vprintf(&pr->text, fmt, ap);
	va_end(ap);
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

static const char *
problems_text(struct problems *pr)
{
	if (pr->n > PROBLEMS_SHOWN)
		buf_printf(&pr->text, " (and %d more problems)",
		    pr->n - PROBLEMS_SHOWN);
	buf_puts(&pr->text, " Nothing was imported.");
	return buf_str(&pr->text);
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
    struct problems *pr, const size_t *n)
{
	char	 err[160];
	int	 rc;

	rc = csv_parse(text, strlen(text), cb, arg, err, sizeof(err));
	if (rc == -1)
		return -1;
	if (rc == 1 && pr->n == 0)
		return refuse(r, 422, form, err);
	if (pr->n == 0 && *n == 0)
		problem_add(pr, 1, "there are no rows to import.");
	if (pr->n > 0)
		return refuse(r, 422, form, problems_text(pr));
	return 0;
}

/* Is this record the header row ("code,title", "name,email,fields")? */
static bool
header(char **f, size_t n, const char *const *names, size_t nnames)
{
	if (n != nnames)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(trim(f[i]), names[i]) != 0)
			return false;
	return true;
}

/* What both imports hold: the console, the campaign, the problems. */
struct import {
	struct admin_ctx		*ctx;
	const struct store_campaign	*c;
	struct problems			 pr;
	bool				 first;	/* the next record is */
};

/* Whether record f, n is the import's first and a header (names). */
static bool
import_header(struct import *im, char **f, size_t n,
    const char *const *names, size_t nnames)
{
	bool	 first = im->first;

	im->first = false;
	return first && header(f, n, names, nnames);
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

	if (import_header(&im->h, f, n, names, 2))
		return 0;
	if (n != 2) {
		problem_add(&im->h.pr, line, "write two values, code,title.");
		return 0;
	}
	code = trim(f[0]);
	title = trim(f[1]);
	if (!campaign_field_code_ok(code)) {
		problem_add(&im->h.pr, line, "a code is "
		    CAMPAIGN_FIELD_CODE_RULE ".");
		return 0;
	}
	if (!req_text_ok(title, CAMPAIGN_TEXT_MAX)) {
		problem_add(&im->h.pr, line, "a title is " CAMPAIGN_TEXT_RULE
		    " on one line.");
		return 0;
	}
	for (size_t i = 0; i < im->n; i++)
		if (strcmp(im->v[i].code, code) == 0) {
			problem_add(&im->h.pr, line,
			    "this code is given twice.");
			return 0;
		}
	if (im->n == ADMIN_CSV_ROWS) {
		problem_add(&im->h.pr, line, ADMIN_CSV_ROWS_RULE);
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
			problem_add(&im->h.pr, im->v[i].line, "the campaign "
			    "has a key field with this code already.");
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
	*text = csv_text(ctx);
	if (strlen(*text) > ADMIN_CSV_MAX)
		return refuse(r, 413, form, "The CSV is larger than "
		    LIMIT_STR(ADMIN_CSV_KB) " KB: split it into several "
		    "imports.");
	if (**text == '\0')
		return refuse(r, 422, form, "Choose a CSV file or paste the "
		    "CSV text.");
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
	buf_init(&im->pr.text, 4096);
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
		rc = refuse(r, 422, "fields", problems_text(&im.h.pr));
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

struct expert_in {
	int		 line;
	char		 name[CAMPAIGN_TEXT_MAX + 1];
	char		 email[256];
	int64_t		 fields[CSV_FIELDS * 4];
	size_t		 nfields;
	char		 token[AUTH_TOKEN_LEN + 1];
};

struct experts_import {
	struct import			 h;
	struct admin_fields		 known;
	struct expert_in		*v;
	size_t				 n;
};

/* Codes separated by spaces, commas or semicolons into in->fields. */
static bool
codes_parse(struct experts_import *im, struct expert_in *in, char *list,
    int line)
{
	char	*code, *save = NULL;
	bool	 found;

	for (code = strtok_r(list, " ,;\t\n\r", &save); code != NULL;
	    code = strtok_r(NULL, " ,;\t\n\r", &save)) {
		found = false;
		for (size_t i = 0; i < im->known.n; i++)
			if (strcmp(im->known.v[i].code, code) == 0) {
				found = true;
				if (in->nfields == sizeof(in->fields) /
				    sizeof(in->fields[0]))
					break;
				in->fields[in->nfields++] = im->known.v[i].id;
				for (size_t k = 0; k + 1 < in->nfields; k++)
					if (in->fields[k] == im->known.v[i].id)
						in->nfields--;
			}
		if (!found) {
			problem_add(&im->h.pr, line, "there is no key field "
			    "\"%.40s\" in this campaign.", code);
			return false;
		}
	}
	return true;
}

static int
expert_record(void *arg, int line, char **f, size_t n)
{
	static const char *const names[] = { "name", "email", "fields" };
	struct experts_import	*im = arg;
	struct expert_in	*in;
	char			*name, *email;

	if (import_header(&im->h, f, n, names, 3))
		return 0;
	if (n != 3 && n != 2) {
		problem_add(&im->h.pr, line, "write three values, "
		    "name,email,fields.");
		return 0;
	}
	name = trim(f[0]);
	email = trim(f[1]);
	if (!req_text_ok(name, CAMPAIGN_TEXT_MAX)) {
		problem_add(&im->h.pr, line, "a name is " CAMPAIGN_TEXT_RULE
		    " on one line.");
		return 0;
	}
	if (!req_email_ok(email)) {
		problem_add(&im->h.pr, line, "this is not an e-mail address.");
		return 0;
	}
	if (im->n == ADMIN_CSV_ROWS) {
		problem_add(&im->h.pr, line, ADMIN_CSV_ROWS_RULE);
		return 1;
	}
	in = &im->v[im->n];
	memset(in, 0, sizeof(*in));
	in->line = line;
	if (keep(in->name, sizeof(in->name), "name", line, name) == -1 ||
	    keep(in->email, sizeof(in->email), "e-mail", line, email) == -1)
		return -1;
	if (n == 3 && !codes_parse(im, in, f[2], line))
		return 0;
	im->n++;
	return 0;
}

static int
experts_txn(struct store *s, void *arg)
{
	struct experts_import	*im = arg;
	unsigned char		 hash[AUTH_HASH_BYTES];
	char			 object[48];
	const char		*why;
	int64_t			 id;
	int			 rc;

	for (size_t i = 0; i < im->n; i++) {
		struct expert_in *in = &im->v[i];

		auth_token_hash(in->token, hash);
		if ((rc = store_expert_add(s, im->h.c->id, in->name, in->email,
		    hash, &id)) != 0)
			return -1;
		for (size_t k = 0; k < in->nfields; k++)
			if (store_assign(s, id, in->fields[k]) == -1)
				return -1;
		if (buf_fmt(object, sizeof(object), "expert:%" PRId64, id) ==
		    -1) {
			log_err("import: audit object of expert %" PRId64
			    " cut", id);
			return -1;
		}
		if (store_audit(s, im->h.ctx->actor, "expert.import", object,
		    in->name) == -1)
			return -1;
		/* Queued, or refused: the page lists the links anyway. */
		if (im->h.ctx->conf != NULL && mailq_invitation(s,
		    im->h.ctx->conf, im->h.ctx->base_url, MAILQ_INVITATION,
		    im->h.c->id, id, in->token, &why) == -1)
			return -1;
	}
	return 0;
}

static int
links_page(struct admin_ctx *ctx, struct page *p,
    const struct experts_import *im)
{
	struct buf	*b = &p->body;

	admin_begin(p, ctx, "Experts imported");
	html_fmt(b, "<h1>%d experts imported</h1>\n", (int)im->n);
	html_raw(b, "<p>Send each expert her link. The links are shown "
	    "only now: keyfield keeps a hash of each, not the link. A lost "
	    "link can be replaced on the campaign page.</p>\n<table "
	    "class=\"data\"><caption>Invitation links</caption>\n<thead><tr>"
	    "<th scope=\"col\">Name</th><th scope=\"col\">E-mail</th>"
	    "<th scope=\"col\">Link</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < im->n; i++)
		html_fmt(b, "<tr><td>%s</td><td>%s</td><td class=\"link\">"
		    "%s/i/%s</td></tr>\n", im->v[i].name, im->v[i].email,
		    ctx->base_url, im->v[i].token);
	html_raw(b, "</tbody></table>\n");
	html_fmt(b, "<p><a href=\"/admin/c/%s#experts\">Back to the "
	    "campaign</a></p>\n", im->h.c->slug);
	admin_end(p);
	return buf_failed(b) ? -1 : 0;
}

int
admin_import_experts(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, struct admin_refusal *r)
{
	struct experts_import	 im;
	const char		*text;
	int			 rc;

	memset(&im, 0, sizeof(im));
	if ((rc = import_begin(&im.h, ctx, c, r, "experts", &text)) != 0)
		return rc;
	if (admin_fields_load(ctx, c->id, &im.known) == -1)
		return -1;
	rc = -1;
	if ((im.v = calloc(ADMIN_CSV_ROWS, sizeof(*im.v))) == NULL)
		goto out;
	if ((rc = rows_read(r, "experts", text, expert_record, &im, &im.h.pr,
	    &im.n)) != 0)
		goto out;
	for (size_t i = 0; i < im.n; i++)
		auth_token_new(im.v[i].token);
	if ((rc = store_write(ctx->store, experts_txn, &im)) != 0) {
		rc = -1;
		goto out;
	}
	rc = links_page(ctx, p, &im);
out:
	if (im.v != NULL)
		for (size_t i = 0; i < im.n; i++)
			memset(im.v[i].token, 0, sizeof(im.v[i].token));
	free(im.v);
	admin_fields_free(&im.known);
	buf_free(&im.h.pr.text);
	return rc;
}
