/*
 * page: response assembly, page chrome and error pages.
 * Never writes a caller's text unescaped; never emits a header with CR/LF.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/html.h"
#include "base/auth.h"
#include "base/i18n.h"
#include "base/log.h"
#include "app/page.h"
#include "store/forms.h"
#include "store/sessions.h"

void
page_init(struct page *p)
{
	p->status = 200;
	p->lang = NULL;
	p->lang_switch = NULL;
	p->personal = false;
	p->content_type = NULL;
	buf_init(&p->headers, PAGE_HEADERS_MAX);
	buf_init(&p->body, PAGE_BODY_MAX);
}

void
page_free(struct page *p)
{
	if (p == NULL)
		return;
	buf_free(&p->headers);
	buf_free(&p->body);
}

bool
page_over_cap(const struct page *p, const char *program, const char *path)
{
	const struct buf *b = buf_capped(&p->body) ? &p->body :
	    buf_capped(&p->headers) ? &p->headers : NULL;

	if (b == NULL)
		return false;
	log_err("%s: the page %s hit its cap of %zu bytes (%s)", program,
	    path != NULL ? path : "(no path)", b->max, b == &p->body ?
	    "PAGE_BODY_MAX" : "PAGE_HEADERS_MAX");
	return true;
}

int
page_top(struct page *p, const char *title, const struct page_site *site)
{
	struct buf *b = &p->body;

	buf_reset(b);
	html_fmt(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n",
	    i18n_code(p->lang));
	html_raw(b, "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	html_text(b, title);
	html_fmt(b, " · %s</title>\n"
	    "<link rel=\"stylesheet\" href=\"/static/keyfield.css\">\n",
	    site->name);
	if (site->css != NULL)
		html_fmt(b, "<link rel=\"stylesheet\" href=\"%s\">\n",
		    site->css);
	html_fmt(b, "</head>\n<body>\n<header class=\"site\"><p>"
	    "<a href=\"%s\">%s</a> · %s</p></header>\n", site->home,
	    site->name, site->tagline);
	return buf_failed(b) ? -1 : 0;
}

/*
 * The language switch: one button a language, each named in itself
 * (the catalogue's "Language-Name"), the page's own pressed.
 */
static void
lang_switch(struct buf *b, const struct page_switch *sw,
    const struct lang *cur)
{
	const char	*p, *name;
	char		 code[16];
	size_t		 len;

	html_fmt(b, "<form method=\"post\" action=\"/lang\" "
	    "class=\"lang-switch\" aria-label=\"%s\">\n"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"back\" value=\"%s\">\n",
	    tr(cur, "Language"), sw->csrf, sw->back);
	for (p = sw->langs; *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(code))
			continue;
		memcpy(code, p, len);
		code[len] = '\0';
		name = i18n_name(code);
		html_fmt(b, "<button type=\"submit\" name=\"lang\" "
		    "value=\"%s\" lang=\"%s\"", code, code);
		if (strcmp(code, i18n_code(cur)) == 0)
			html_raw(b, " aria-pressed=\"true\"");
		html_fmt(b, ">%s</button>\n", name);
	}
	html_raw(b, "</form>\n");
}

int
page_begin(struct page *p, const char *title)
{
	/* The experts' pages. */
	const struct page_site survey_site = {
		"keyfield", "/", tr(p->lang, "key-field assessment"), NULL
	};

	page_top(p, title, &survey_site);
	if (p->lang_switch != NULL)
		lang_switch(&p->body, p->lang_switch, p->lang);
	return html_raw(&p->body, "<main id=\"main\">\n");
}

int
page_end(struct page *p)
{
	return html_raw(&p->body, "</main>\n</body>\n</html>\n");
}

int
page_header(struct page *p, const char *name, const char *value)
{
	assert(strpbrk(value, "\r\n") == NULL);
	return buf_printf(&p->headers, "%s: %s\r\n", name, value);
}

int
page_redirect(struct page *p, const char *path)
{
	p->status = 303;
	buf_reset(&p->body);
	return page_header(p, "Location", path);
}

static const struct {
	int		 code;
	const char	*reason;
} reasons[] = {
	{ 200, "OK" }, { 303, "See Other" }, { 400, "Bad Request" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 413, "Content Too Large" }, { 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
};

const char *
page_reason(int status)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == status)
			return reasons[i].reason;
	return "Error";
}

int
page_error(struct page *p, int status, const char *heading,
    const char *message)
{
	p->status = status;
	page_begin(p, heading);
	html_fmt(&p->body, "<h1>%s</h1>\n<p>%s</p>\n", heading, message);
	html_fmt(&p->body, "<p><a href=\"/\">%s</a></p>\n",
	    tr(p->lang, "Back to your key fields"));
	return page_end(p);
}

int
page_head(const struct page *p, struct buf *out)
{
	/* html_int is a plain decimal writer: no vsnprintf twice per line. */
	buf_puts(out, "Status: ");
	html_int(out, p->status);
	buf_putc(out, ' ');
	buf_puts(out, page_reason(p->status));
	buf_puts(out, "\r\n");
	buf_puts(out, p->personal ?
	    "Cache-Control: no-store\r\n" : "Cache-Control: no-cache\r\n");
	buf_put(out, buf_str(&p->headers), p->headers.len);
	if (p->body.len > 0) {
		buf_puts(out, "Content-Type: ");
		buf_puts(out, p->content_type != NULL ? p->content_type :
		    "text/html; charset=utf-8");
		buf_puts(out, "\r\n");
	}
	buf_puts(out, "Content-Length: ");
	html_int(out, (long long)p->body.len);
	buf_puts(out, "\r\n\r\n");
	return buf_failed(out) ? -1 : 0;
}

const struct form *
page_form_by_id(const struct page_form *forms, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (forms[i].id == id)
			return forms[i].form;
	return NULL;
}

int
page_forms_load(struct store *st, struct page_form **out, size_t *nout)
{
	struct store_form	*rows;
	struct form_errors	 errs;
	struct page_form	*v;
	size_t			 n, got = 0;

	if (store_forms(st, &rows, &n) == -1)
		return -1;
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		goto fail;
	for (; got < n; got++) {
		v[got].id = rows[got].id;
		v[got].form = form_load(rows[got].definition,
		    strlen(rows[got].definition), &errs);
		if (v[got].form == NULL) {
			log_err("form %s version %d does not load: %s: %s",
			    rows[got].name, rows[got].version,
			    errs.n ? errs.v[0].path : "$",
			    errs.n ? errs.v[0].message : "?");
			goto fail;
		}
	}
	store_forms_free(rows, n);
	*out = v;
	*nout = n;
	return 0;
fail:
	page_forms_free(v, got);
	store_forms_free(rows, n);
	return -1;
}

void
page_forms_free(struct page_form *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		form_free(v[i].form);
	free(v);
}

bool
page_parse_id(const char **s, int64_t *out)
{
	const char	*p = *s;
	int64_t		 v = 0;

	if (*p < '1' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	*s = p;
	*out = v;
	return true;
}

int
page_session_find(struct store *st, const struct req *r, const char *cookie,
    const char *kind, int64_t idle, int64_t max, unsigned char *hash,
    struct store_session *out)
{
	const char	*v;
	int64_t		 now = (int64_t)time(NULL);
	int		 rc;

	v = req_cookie(r, cookie);
	if (v == NULL || !auth_token_valid(v))
		return 1;
	auth_token_hash(v, hash);
	if ((rc = store_session_get(st, hash, out)) != 0)
		return rc;
	if (strcmp(out->kind, kind) != 0)
		return 1;
	if (now - out->seen_at > idle || now - out->created_at > max)
		return store_session_delete(st, hash) == -1 ? -1 : 1;
	return 0;
}

bool
page_origin_ours(const struct req *r, const char *self, bool required)
{
	if (r->origin == NULL || strcmp(r->origin, "null") == 0)
		return !required;
	return strcmp(r->origin, self) == 0;
}

bool
page_post_allowed(const struct req *r, const char *self, const char *csrf)
{
	const char	*got;

	if (!page_origin_ours(r, self, false))
		return false;
	got = req_field(r, "csrf");
	return got != NULL && auth_equal(got, csrf);
}

bool
page_signin_allowed(const struct req *r, const char *self)
{
	if (r->fetch_site != NULL)
		return strcmp(r->fetch_site, "same-origin") == 0;
	if (r->origin != NULL)
		return self != NULL && strcmp(r->origin, self) == 0;
	return true;
}

int
page_error_over_cap(struct page *p)
{
	char	 msg[300];

	if (buf_fmt(msg, sizeof(msg), tr(p->lang, "It would be larger than "
	    "this site sends (%d MB). The problem has been logged; please "
	    "tell the people who run this site."), PAGE_BODY_MB) == -1)
		buf_mark_cut(msg, sizeof(msg));
	return page_error(p, 503, tr(p->lang,
	    "This page is too large to show"), msg);
}

const char *
page_status_label(const struct lang *l, enum store_status st)
{
	switch (st) {
	case STORE_NEW:
		return tr(l, "not started");
	case STORE_DRAFT:
		return tr(l, "draft");
	case STORE_SUBMITTED:
		return tr(l, "submitted");
	default:
		return tr(l, "withdrawn");
	}
}
