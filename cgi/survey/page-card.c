/*
 * survey/page-card: the key-field card an expert fills in: the form, saving a
 * draft, submitting, conflicts and the confirmation. Never stores answers
 * that failed their checks, never drops a value the expert typed.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/html.h"
#include "base/i18n.h"
#include "base/rating.h"
#include "base/log.h"
#include "app/card.h"
#include "app/delphi.h"
#include "app/outbox.h"
#include "app/view.h"
#include "store/responses.h"
#include "survey/pages.h"
#include "survey/signin.h"

#define CARD_NOTICE_MAX	200
#define CARD_TEMPLATES_MAX	16	/* compiled card forms per worker */
/* Milliseconds after the last change before keyfield.js saves a draft. */
#define CARD_AUTOSAVE_MS	30000

/*
 * The answer-dependent places of the card form ("holes"): everything
 * else depends only on the form, the campaign's cities and whether the
 * form is disabled, so it is rendered once per worker into a template of
 * literal text and holes, and each page copies the literal text and
 * fills in the holes. Pages with issues are rendered directly; both
 * paths write every hole with hole_put, so their bytes are the same.
 */
enum hole_kind {
	HOLE_VALUE,	/* the answer, escaped (lists: items, one a line) */
	HOLE_NONE,	/* " checked" when a choice has no answer */
	HOLE_OPTION,	/* " checked" when a choice's answer is opt */
	HOLE_TOTAL,	/* a grid column's total paragraph */
	HOLE_DELPHI,	/* a later round: the round before (app/delphi.h) */
	HOLE_KIND__MAX
};

struct hole {
	enum hole_kind			 kind;
	size_t				 off;	/* in the template's text */
	const char			*question, *rowkey;	/* answer key */
	bool				 list;
	bool				 same;	/* key of the hole before */
	const char			*opt;	/* HOLE_OPTION: its value */
	const struct form_question	*grid, *col;	/* HOLE_TOTAL */
};

struct tmpl {
	const struct form	*form;
	const struct lang	*lang;
	bool			 disabled;
	struct form_row		*cities;	/* copies: the key */
	size_t			 ncities;
	struct buf		 text;
	struct hole		*holes;
	size_t			 nholes, cap;
};

struct editor {
	struct buf			*b;
	const struct store_card		*card;
	const struct form		*form;
	const struct lang		*lang;		/* the page's */
	const struct form_answers	*answers;
	const struct form_issues	*issues;
	bool				 disabled;
	struct tmpl			*rec;		/* recording */
	const struct delphi		*delphi;	/* NULL: none */
	const struct form_section	*section;	/* open <fieldset> */
	const struct form_question	*grid;		/* open grid */
	const struct form_row		*row;		/* open grid row */
};

/*
 * The (first) answer for hole h; with memo, a hole with the key of the one
 * before takes the answer found for that one (a choice's options).
 */
static const char *
hole_answer(const struct hole *h, const struct form_answers *a,
    const char **memo)
{
	const char	*v;

	if (memo != NULL && h->same)
		return *memo;
	v = form_answer(a, h->question, h->rowkey, 0);
	if (memo != NULL)
		*memo = v;
	return v;
}

/* Write the content of hole h for answers a on card c. */
static int
hole_put(struct buf *b, const struct hole *h, const struct form_answers *a,
    const struct store_card *c, const struct delphi *d, const char **memo,
    const struct lang *l)
{
	const char	*v;
	size_t		 counted, nrows;
	long		 t;

	switch (h->kind) {
	case HOLE_VALUE:
		v = hole_answer(h, a, memo);
		if (!h->list)
			return v != NULL ? html_text(b, v) : 0;
		for (unsigned i = 0; v != NULL;
		    v = form_answer(a, h->question, h->rowkey, ++i)) {
			if (i > 0)
				html_raw(b, "\n");
			html_text(b, v);
		}
		return buf_failed(b) ? -1 : 0;
	case HOLE_NONE:
		v = hole_answer(h, a, memo);
		return v == NULL || *v == '\0' ? html_raw(b, " checked") : 0;
	case HOLE_OPTION:
		v = hole_answer(h, a, memo);
		return v != NULL && *v != '\0' && strcmp(v, h->opt) == 0 ?
		    html_raw(b, " checked") : 0;
	case HOLE_TOTAL:
		t = rating_total(h->grid, h->col, c->cities, c->ncities, a,
		    &counted);
		form_grid_rows(h->grid, c->cities, c->ncities, &nrows);
		html_fmt(b, "<p class=\"total\">%s <strong>%d</strong>",
		    tr(l, "Total:"), (int)t);
		if (counted > 0)
			html_trf(b, tr(l, " (%d of %d rated)"), (int)counted,
			    (int)nrows);
		return html_raw(b, "</p>\n");
	case HOLE_DELPHI:
		return delphi_beside(b, d, h->grid, h->rowkey, a);
	default:
		break;
	}
	return -1;
}

/*
 * A hole at this point of the card: recorded when building a template,
 * else written at once.
 */
static int
hole(struct editor *e, enum hole_kind kind, const struct view_slot *s,
    const char *opt, const struct form_question *col)
{
	struct hole	 h = { .kind = kind, .off = e->b->len, .opt = opt,
			    .grid = e->grid, .col = col };
	struct tmpl	*t = e->rec;
	void		*nv;

	if (s != NULL) {
		h.question = s->question;
		h.rowkey = s->rowkey;
		h.list = s->q->type == FORM_LIST;
	}
	if (t == NULL)
		return hole_put(e->b, &h, e->answers, e->card, e->delphi,
		    NULL, e->lang);
	if (t->nholes == t->cap) {
		if ((nv = reallocarray(t->holes, t->cap ? t->cap * 2 : 256,
		    sizeof(*t->holes))) == NULL)
			return -1;
		t->holes = nv;
		t->cap = t->cap ? t->cap * 2 : 256;
	}
	/* The slot's strings live on the stack: keep copies. */
	if (s != NULL && ((h.question = strdup(s->question)) == NULL ||
	    (h.rowkey = strdup(s->rowkey)) == NULL)) {
		free((char *)h.question);
		return -1;
	}
	if (s != NULL && t->nholes > 0) {
		const struct hole *p = &t->holes[t->nholes - 1];

		h.same = p->kind != HOLE_TOTAL &&
		    strcmp(p->question, h.question) == 0 &&
		    strcmp(p->rowkey, h.rowkey) == 0;
	}
	t->holes[t->nholes++] = h;
	return 0;
}

/* A text of the form in the page's language (form_text). */
static const char *
ftext(const struct editor *e, const char *s)
{
	return form_text(e->form, s, i18n_code(e->lang));
}

/* The mark of a required question, in the page's language. */
static const char *
req_mark(const struct editor *e, bool required)
{
	return required ? tr(e->lang, " (required)") : "";
}

static const char *
dis(const struct editor *e)
{
	return e->disabled ? " disabled" : "";
}

/* Help and issue paragraphs; aria-describedby names them. */
static void
describe(struct editor *e, const struct view_slot *s, const char *help,
    const char *issue)
{
	if (help != NULL)
		html_fmt(e->b, "<p class=\"help\" id=\"%s-help\">%s</p>\n",
		    s->name, help);
	if (issue != NULL)
		html_fmt(e->b, "<p class=\"issue\" id=\"%s-issue\">%s</p>\n",
		    s->name, issue);
}

static void
aria(struct editor *e, const struct view_slot *s, const char *help,
    const char *issue)
{
	if (issue != NULL)
		html_raw(e->b, " aria-invalid=\"true\"");
	if (help == NULL && issue == NULL)
		return;
	html_raw(e->b, " aria-describedby=\"");
	if (help != NULL)
		html_fmt(e->b, "%s-help", s->name);
	if (issue != NULL)
		html_fmt(e->b, "%s%s-issue", help ? " " : "", s->name);
	html_raw(e->b, "\"");
}

static int
choice(struct editor *e, const struct view_slot *s, const char *help,
    const char *issue)
{
	const struct form_question *q = s->q;
	struct buf	*b = e->b;

	html_fmt(b, "<fieldset class=\"choice\"><legend>%s%s</legend>\n",
	    s->label, req_mark(e, q->required));
	describe(e, s, help, issue);
	html_fmt(b, "<span class=\"option\"><input type=\"radio\" "
	    "id=\"%s.none_given\" name=\"%s\" value=\"\"", s->name, s->name);
	if (hole(e, HOLE_NONE, s, NULL, NULL) == -1)
		return -1;
	html_fmt(b, "%s>", dis(e));
	html_fmt(b, "<label for=\"%s.none_given\">%s</label></span>\n",
	    s->name, tr(e->lang, "not answered"));
	for (size_t i = 0; i < q->noptions; i++) {
		const struct form_option *o = &q->options[i];

		html_fmt(b, "<span class=\"option\"><input type=\"radio\" "
		    "id=\"%s.%s\" name=\"%s\" value=\"%s\"", s->name, o->value,
		    s->name, o->value);
		if (hole(e, HOLE_OPTION, s, o->value, NULL) == -1)
			return -1;
		buf_puts(b, dis(e));
		aria(e, s, help, issue);
		html_fmt(b, "><label for=\"%s.%s\">%s</label></span>\n",
		    s->name, o->value, ftext(e, o->label));
	}
	if (s->grid != NULL && hole(e, HOLE_DELPHI, s, NULL, NULL) == -1)
		return -1;
	return html_raw(b, "</fieldset>\n");
}

static int
control(struct editor *e, const struct view_slot *s)
{
	const struct form_question *q = s->q;
	struct buf	*b = e->b;
	const char	*issue, *help = ftext(e, q->help);

	issue = form_issue_for(e->issues, s->name);
	if (q->type == FORM_CHOICE)
		return choice(e, s, help, issue);
	if (q->type == FORM_LIST && help == NULL)
		help = tr(e->lang, "One item per line.");
	html_fmt(b, "<div class=\"q\"><label for=\"%s\">%s%s</label>\n",
	    s->name, s->label, req_mark(e, q->required));
	describe(e, s, help, issue);
	switch (q->type) {
	case FORM_SHORT_TEXT:
	case FORM_SCALE:
		html_fmt(b, "<input type=\"text\" id=\"%s\" name=\"%s\" "
		    "value=\"", s->name, s->name);
		if (hole(e, HOLE_VALUE, s, NULL, NULL) == -1)
			return -1;
		html_raw(b, "\"");
		if (q->type == FORM_SCALE) {
			html_raw(b, " inputmode=\"numeric\" size=\"4\" "
			    "title=\"");
			html_trf(b, tr(e->lang, "A whole number from %d to %d"),
			    (int)q->min, (int)q->max);
			html_fmt(b, "\" data-min=\"%d\" data-max=\"%d\"",
			    (int)q->min, (int)q->max);
		}
		buf_puts(b, dis(e));
		aria(e, s, help, issue);
		html_raw(b, ">\n");
		break;
	default:
		html_fmt(b, "<textarea id=\"%s\" name=\"%s\" rows=\"%d\"",
		    s->name, s->name, q->type == FORM_LIST ? 6 : 8);
		/* keyfield.js counts the characters against this limit. */
		if (q->type == FORM_LONG_TEXT)
			html_fmt(b, " data-maxlength=\"%d\"",
			    (int)q->max_length);
		buf_puts(b, dis(e));
		aria(e, s, help, issue);
		/* A leading newline would be eaten by the parser: add one. */
		html_raw(b, ">\n");
		if (hole(e, HOLE_VALUE, s, NULL, NULL) == -1)
			return -1;
		html_raw(b, "</textarea>\n");
		break;
	}
	if (s->grid != NULL && q->type == FORM_SCALE &&
	    hole(e, HOLE_DELPHI, s, NULL, NULL) == -1)
		return -1;
	return html_raw(b, "</div>\n");
}

static int
close_grid(struct editor *e)
{
	if (e->grid == NULL)
		return 0;
	if (e->row != NULL)
		html_raw(e->b, "</fieldset>\n");
	if (e->grid->total)
		for (size_t c = 0; c < e->grid->ncolumns; c++) {
			const struct form_question *col = &e->grid->columns[c];

			if (col->type == FORM_SCALE &&
			    hole(e, HOLE_TOTAL, NULL, NULL, col) == -1)
				return -1;
		}
	e->grid = NULL;
	e->row = NULL;
	return html_raw(e->b, "</fieldset>\n");
}

static int
edit_slot(void *arg, const struct view_slot *s)
{
	struct editor	*e = arg;
	struct buf	*b = e->b;
	const char	*issue;

	if (s->grid != e->grid && close_grid(e) == -1)
		return -1;
	if (s->section != e->section) {
		if (e->section != NULL)
			html_raw(b, "</fieldset>\n");
		e->section = s->section;
		html_fmt(b, "<fieldset class=\"section\" id=\"s-%s\">"
		    "<legend><h2>%s</h2></legend>\n", s->section->key,
		    ftext(e, s->section->title));
		if (s->section->help != NULL)
			html_fmt(b, "<p class=\"help\">%s</p>\n",
			    ftext(e, s->section->help));
	}
	if (s->grid != NULL && s->grid != e->grid) {
		e->grid = s->grid;
		issue = form_issue_for(e->issues, s->grid->key);
		html_fmt(b, "<fieldset class=\"grid%s\" id=\"%s\"><legend>"
		    "%s%s</legend>\n", s->grid->ncolumns == 1 &&
		    s->grid->columns[0].type == FORM_SCALE ? " compact" : "",
		    s->grid->key, ftext(e, s->grid->label),
		    req_mark(e, s->grid->required));
		if (s->grid->help != NULL)
			html_fmt(b, "<p class=\"help\">%s</p>\n",
			    ftext(e, s->grid->help));
		if (issue != NULL)
			html_fmt(b, "<p class=\"issue\">%s</p>\n", issue);
	}
	/* Grids of several columns group each row in its own fieldset. */
	if (s->grid != NULL && s->grid->ncolumns > 1 && s->row != e->row) {
		if (e->row != NULL)
			html_raw(b, "</fieldset>\n");
		e->row = s->row;
		html_fmt(b, "<fieldset class=\"row\"><legend>%s</legend>\n",
		    ftext(e, s->row->label));
	}
	return control(e, s);
}

/* The card's questions, grid after grid, section after section. */
static int
fields(struct editor *e)
{
	if (view_slots_in(e->form, i18n_code(e->lang), e->card->cities,
	    e->card->ncities, edit_slot, e) != 0 || close_grid(e) == -1)
		return -1;
	if (e->section != NULL)
		html_raw(e->b, "</fieldset>\n");
	return buf_failed(e->b) ? -1 : 0;
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nholes; i++) {
		free((char *)t->holes[i].question);
		free((char *)t->holes[i].rowkey);
	}
	free(t->holes);
	for (size_t i = 0; i < t->ncities; i++) {
		free(t->cities[i].key);
		free(t->cities[i].label);
	}
	free(t->cities);
	buf_free(&t->text);
	free(t);
}

static bool
tmpl_match(const struct tmpl *t, const struct form *f,
    const struct lang *l, bool disabled, const struct store_card *c)
{
	if (t->form != f || t->lang != l || t->disabled != disabled ||
	    t->ncities != c->ncities)
		return false;
	for (size_t i = 0; i < c->ncities; i++)
		if (strcmp(t->cities[i].key, c->cities[i].key) != 0 ||
		    strcmp(t->cities[i].label, c->cities[i].label) != 0)
			return false;
	return true;
}

/* Render the fields of f for c's cities once, recording the holes. */
static struct tmpl *
tmpl_make(const struct store_card *c, const struct form *f,
    const struct lang *l, bool disabled)
{
	static const struct form_issues none;
	static const struct form_answers nothing;
	struct tmpl	*t;
	struct editor	 e = { .card = c, .form = f, .lang = l,
			    .answers = &nothing, .issues = &none,
			    .disabled = disabled };

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->form = f;
	t->lang = l;
	t->disabled = disabled;
	buf_init(&t->text, PAGE_BODY_MAX);
	if (c->ncities > 0 &&
	    (t->cities = calloc(c->ncities, sizeof(*t->cities))) == NULL)
		goto fail;
	for (; t->ncities < c->ncities; t->ncities++) {
		t->cities[t->ncities].key = strdup(c->cities[t->ncities].key);
		t->cities[t->ncities].label =
		    strdup(c->cities[t->ncities].label);
		if (t->cities[t->ncities].key == NULL ||
		    t->cities[t->ncities].label == NULL) {
			t->ncities++;
			goto fail;
		}
	}
	e.b = &t->text;
	e.rec = t;
	if (fields(&e) == -1)
		goto fail;
	return t;
fail:
	log_warn("card template: out of memory; rendering directly");
	tmpl_free(t);
	return NULL;
}

/*
 * The template for f, c's cities, the language l and disabled; made on
 * first use (one a language: a page never gets another's text).
 */
static struct tmpl *
tmpl_get(const struct store_card *c, const struct form *f,
    const struct lang *l, bool disabled)
{
	static struct tmpl	*cache[CARD_TEMPLATES_MAX];
	static size_t		 next;
	struct tmpl		*t;

	for (size_t i = 0; i < CARD_TEMPLATES_MAX; i++)
		if (cache[i] != NULL && tmpl_match(cache[i], f, l, disabled,
		    c))
			return cache[i];
	if ((t = tmpl_make(c, f, l, disabled)) == NULL)
		return NULL;
	/* Campaigns beyond the cache's size take turns. */
	tmpl_free(cache[next]);
	cache[next] = t;
	next = (next + 1) % CARD_TEMPLATES_MAX;
	return t;
}

/* The template's text with its holes filled for answers a of card c. */
static int
tmpl_fill(struct buf *b, const struct tmpl *t, const struct form_answers *a,
    const struct store_card *c, const struct delphi *d)
{
	const char *memo = NULL;
	size_t	 at = 0;

	if (t->text.len == 0)
		return 0;
	for (size_t i = 0; i < t->nholes; i++) {
		buf_put(b, t->text.data + at, t->holes[i].off - at);
		if (hole_put(b, &t->holes[i], a, c, d, &memo, t->lang) == -1)
			return -1;
		at = t->holes[i].off;
	}
	return buf_put(b, t->text.data + at, t->text.len - at);
}

/* The heading, what the card is, its versions and the notices. */
static void
card_head(struct buf *b, const struct lang *l, const struct store_card *c,
    const struct form *f, const char *notice, const char *heading)
{
	char	 when[I18N_DATE_MAX];

	if (heading == NULL)
		html_fmt(b, "<h1>%s: %s</h1>\n", c->field_code, c->field_title);
	else
		html_fmt(b, "<h2>%s</h2>\n", heading);
	html_fmt(b, "<p class=\"meta\">%s: %s · %s · %s · ", c->field_code,
	    c->field_title, c->campaign_title, form_text(f, f->title,
	    i18n_code(l)));
	html_trf(b, tr(l, "status: %s"), page_status_label(l, c->status));
	if (c->version > 0)
		html_trf(b, tr(l, ", version %d submitted"), c->version);
	if (c->updated_at != NULL) {
		i18n_time(l, c->updated_at, when);
		html_trf(b, tr(l, " · last saved %s"), when);
	}
	html_raw(b, "</p>\n");
	for (int v = c->version; v > 0; v--) {
		if (v == c->version)
			html_fmt(b, "<p class=\"versions\">%s",
			    tr(l, "Submitted versions:"));
		html_fmt(b, " <a href=\"/card/%" PRId64, c->assignment_id);
		html_fmt(b, "/v/%d\">", v);
		html_trf(b, tr(l, "version %d"), v);
		html_raw(b, "</a>");
		if (v == 1)
			html_raw(b, "</p>\n");
	}
	if (notice != NULL)
		html_fmt(b, "<p class=\"notice\" role=\"status\">%s</p>\n",
		    notice);
	if (!c->campaign_open)
		html_fmt(b, "<p class=\"notice\">%s</p>\n", tr(l, "This "
		    "campaign is closed: the card can be read but no longer "
		    "changed."));
	if (c->status == STORE_SUBMITTED && c->campaign_open)
		html_fmt(b, "<p class=\"notice\">%s</p>\n", tr(l, "This card "
		    "is submitted. You can still revise it: change what you "
		    "like and submit again; every submission is kept as a "
		    "version."));
}

/* The problems that kept the answers from being saved, each a link. */
static void
card_problems(struct buf *b, const struct lang *l,
    const struct store_card *c, const struct form *f,
    const struct form_issues *is)
{
	char	 label[600];

	html_raw(b, "<div class=\"problems\" role=\"alert\" id=\"problems\">"
	    "<h2>");
	html_trf(b, trn(l, "Please correct %d problem",
	    "Please correct %d problems", is->n), (int)is->n);
	html_fmt(b, "</h2>\n<p>%s</p>\n<ul>\n", tr(l, "Nothing was saved "
	    "yet; everything you typed is still below."));
	for (size_t i = 0; i < is->n; i++) {
		const char *n = is->v[i].name;

		view_label_in(f, i18n_code(l), c->cities, c->ncities, n,
		    label, sizeof(label));
		html_fmt(b, "<li><a href=\"#%s\">", *n ? n : "main");
		if (*n)
			html_fmt(b, "%s: ", label);
		html_text(b, is->v[i].message);
		html_raw(b, "</a></li>\n");
	}
	html_raw(b, "</ul>\n</div>\n");
}

/*
 * keyfield.js's words in language l, as its script element's data-texts
 * (a JSON object; etc/keyfield.js fills in their {name}s).
 */
static void
script_texts(struct buf *b, const struct lang *l)
{
	json_t	*v;
	char	*text;

	v = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,"
	    "s:s,s:s,s:s,s:s}",
	    "changed", tr(l, "This card was changed elsewhere: nothing was "
	    "overwritten."),
	    "compare", tr(l, "Compare both versions"),
	    "failed", tr(l, "Could not save — your text is still here."),
	    "session", tr(l, "Your session may have ended: press Save draft."),
	    "unsaved", tr(l, "Not saved yet"),
	    "saved", tr(l, "Saved {time}"),
	    "sections", tr(l, "Sections of the card"),
	    "total", tr(l, "Total:"),
	    "rated", tr(l, " ({counted} of {rows} rated)"),
	    "sum", tr(l, "total {sum}"),
	    "chars", tr(l, "{n} of {max} characters"),
	    "toomany", tr(l, " — {n} too many"),
	    "needed", tr(l, "Needed now: your rating is outside Q1 to Q3."),
	    "problem", tr(l, "has a problem"),
	    "started", tr(l, "started"),
	    "empty", tr(l, "empty"));
	text = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (text == NULL) {
		log_err("card: keyfield.js's texts: out of memory");
		return;		/* keyfield.js shows its keys */
	}
	html_fmt(b, " data-texts=\"%s\"", text);
	free(text);
}

/* e's questions with their answers: from a template when it can. */
static int
controls(struct editor *e)
{
	struct tmpl	*t;

	if (e->issues->n == 0 &&
	    (t = tmpl_get(e->card, e->form, e->lang, e->disabled)) != NULL)
		return tmpl_fill(e->b, t, e->answers, e->card, e->delphi);
	return fields(e);
}

/*
 * The editable card into b: a heading (the card's title as <h1>, or
 * heading as <h2> inside another page), notices, problems, sections and
 * buttons. An open card loads keyfield.js (navigator, counts, warning);
 * the card's own page (no heading: not the conflict page, whose save is
 * a choice) also saves drafts by itself after data-autosave ms.
 */
static int
card_body(struct page_ctx *ctx, struct buf *b, const struct store_card *c,
    const struct form *f, const struct form_answers *a,
    const struct form_issues *is, int64_t revision, const char *notice,
    const char *heading)
{
	static const struct form_issues none;
	const struct lang *l = ctx->lang;
	struct editor	 e = { .b = b, .card = c, .form = f, .lang = l,
			    .answers = a, .issues = is,
			    .disabled = !c->campaign_open };
	struct delphi	 d;
	int		 rc = -1;

	if (is == NULL)
		e.issues = is = &none;
	if (delphi_load(ctx->store, c, f, &d) == -1)
		goto out;
	d.issues = is;
	d.lang = l;
	e.delphi = &d;
	card_head(b, l, c, f, notice, heading);
	delphi_intro(b, &d);
	if (is->n > 0)
		card_problems(b, l, c, f, is);
	html_fmt(b, "<form method=\"post\" action=\"/card/%" PRId64 "\" "
	    "class=\"card\"", c->assignment_id);
	if (c->campaign_open && heading == NULL)
		html_fmt(b, " data-autosave=\"%d\"", CARD_AUTOSAVE_MS);
	html_raw(b, ">\n");
	html_fmt(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n",
	    ctx->session.csrf);
	html_fmt(b, "<input type=\"hidden\" name=\"revision\" "
	    "value=\"%" PRId64 "\">\n", revision);
	if (controls(&e) == -1)
		goto out;
	if (c->campaign_open)
		html_fmt(b, "<div class=\"actions\"><button type=\"submit\" "
		    "name=\"action\" value=\"save\">%s</button> "
		    "<button type=\"submit\" name=\"action\" value=\"submit\">"
		    "%s</button></div>\n", tr(l, "Save draft"),
		    tr(l, "Submit"));
	html_raw(b, "</form>\n");
	if (c->campaign_open) {
		html_raw(b, "<script src=\"/static/keyfield.js\" defer");
		script_texts(b, l);
		html_raw(b, "></script>\n");
	}
	rc = buf_failed(b) ? -1 : 0;
out:
	delphi_free(&d);
	return rc;
}

/* A whole page holding the editable card. */
static int
card_form(struct page_ctx *ctx, struct page *p, const struct store_card *c,
    const struct form *f, const struct form_answers *a,
    const struct form_issues *is, int64_t revision, const char *notice)
{
	struct buf	 title;
	int		 rc = -1;

	/* The title whole, whatever its length: no array to cut it. */
	buf_init(&title, PAGE_BODY_MAX);
	if (buf_printf(&title, "%s: %s", c->field_code, c->field_title) == 0) {
		page_begin(p, buf_str(&title));
		if (card_body(ctx, &p->body, c, f, a, is, revision, notice,
		    NULL) == 0)
			rc = page_end(p);
	}
	buf_free(&title);
	return rc;
}

/* The card id of expert (0: any) and its form: 0, 1 (none), -1. */
static int
card_find(struct page_ctx *ctx, int64_t expert, int64_t id,
    struct store_card *c, const struct form **f)
{
	int	 rc;

	if ((rc = store_card_get(ctx->store, expert, id, c)) != 0)
		return rc;
	if ((*f = page_form_by_id(ctx->forms, ctx->nforms, c->form_id)) ==
	    NULL) {
		log_err("card %lld: form %lld is not loaded (restart after "
		    "importing forms)", (long long)id, (long long)c->form_id);
		store_card_free(c);
		return -1;
	}
	return 0;
}

/* Load the card and its form; 0, 1 (a 404 page was made), -1. */
static int
card_load(struct page_ctx *ctx, struct page *p, int64_t id,
    struct store_card *c, const struct form **f)
{
	int	 rc;

	rc = card_find(ctx, ctx->session.subject_id, id, c, f);
	if (rc == 1)
		return page_error(p, 404, tr(ctx->lang, "Card not found"),
		    tr(ctx->lang, "There is no key-field card at this address "
		    "for you.")) == -1 ? -1 : 1;
	return rc;
}

int
page_card(struct page_ctx *ctx, struct page *p, int64_t id)
{
	struct store_card	 c;
	const struct form	*f;
	const char		*notice = NULL;
	int			 rc;

	if ((rc = card_load(ctx, p, id, &c, &f)) != 0)
		return rc == 1 ? 0 : -1;
	if (req_field(ctx->req, "saved") != NULL)
		notice = tr(ctx->lang, "Your draft is saved. You can come "
		    "back to it at any time, from any device, with your "
		    "invitation link.");
	rc = card_form(ctx, p, &c, f, &c.answers, NULL, c.revision, notice);
	store_card_free(&c);
	return rc;
}

/*
 * The request's fields for form_collect's ~60 lookups, which took a
 * linear req_field each (~1 000 string comparisons per save). A browser
 * sends the fields in the order of the page, which is the order
 * form_collect asks for them: each search starts after the last field
 * found and wraps around, so it finds the next one at once. Names are
 * unique (req_parse refuses a duplicate): the same answers as req_field.
 */
struct fields {
	const struct req	*req;
	size_t			 next;	/* where the next search starts */
};

static const char *
field_get(void *arg, const char *name)
{
	struct fields		*fs = arg;
	const struct req	*r = fs->req;
	size_t			 i;

	for (size_t k = 0; k < r->nfields; k++) {
		i = (fs->next + k) % r->nfields;
		if (strcmp(r->fields[i].key, name) == 0) {
			fs->next = i + 1;
			return r->fields[i].val;
		}
	}
	return NULL;
}

/* Walk both versions and list the places where they differ. */
struct diff {
	struct buf			*b;
	const struct form_answers	*mine, *theirs;
	int				 n;
};

/* The conflict page's heading, explanation and table head. */
static void
conflict_head(struct buf *b, const struct lang *l)
{
	const char *h = tr(l, "This card was changed elsewhere");

	html_fmt(b, "<h1>%s</h1>\n<p>%s</p>\n", h, tr(l, "Both versions are "
	    "shown: nothing is lost. Compare them, then save the form below "
	    "(your version, which you can still edit)."));
	html_fmt(b, "<table class=\"diff\">\n<caption>%s</caption>\n<thead>"
	    "<tr><th scope=\"col\">%s</th>", tr(l, "Differences"),
	    tr(l, "Question"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "</tr></thead>\n<tbody>\n", tr(l, "Your version (not saved)"),
	    tr(l, "Saved version"));
}

static int
diff_slot(void *arg, const struct view_slot *s)
{
	struct diff	*d = arg;
	struct buf	 a, t;
	int		 rc = -1;

	buf_init(&a, REQ_BODY_MAX);
	buf_init(&t, REQ_BODY_MAX);
	if (view_value(&a, d->mine, s) == -1 ||
	    view_value(&t, d->theirs, s) == -1)
		goto out;
	rc = 0;
	if (strcmp(buf_str(&a), buf_str(&t)) == 0)
		goto out;
	d->n++;
	html_fmt(d->b, "<tr><th scope=\"row\">%s</th><td class=\"text\">%s"
	    "</td>", s->label, buf_str(&a));
	html_fmt(d->b, "<td class=\"text\">%s</td></tr>\n", buf_str(&t));
	rc = buf_failed(d->b) ? -1 : 0;
out:
	buf_free(&a);
	buf_free(&t);
	return rc;
}

/* 409: saved elsewhere since this page was opened; show both, keep all. */
static int
conflict(struct page_ctx *ctx, struct page *p, int64_t id,
    const struct form_answers *mine)
{
	struct store_card	 c;
	const struct form	*f;
	struct diff		 d;
	struct buf		*b = &p->body;
	int			 rc;

	if ((rc = card_load(ctx, p, id, &c, &f)) != 0)
		return rc == 1 ? 0 : -1;
	rc = -1;
	p->status = 409;
	page_begin(p, tr(ctx->lang, "This card was changed elsewhere"));
	conflict_head(b, ctx->lang);
	d = (struct diff){ .b = b, .mine = mine, .theirs = &c.answers };
	if (view_slots_in(f, i18n_code(ctx->lang), c.cities, c.ncities,
	    diff_slot, &d) != 0)
		goto out;
	if (d.n == 0)
		html_fmt(b, "<tr><td colspan=\"3\">%s</td></tr>\n",
		    tr(ctx->lang, "Both versions hold the same answers."));
	html_raw(b, "</tbody>\n</table>\n");
	/* The form with my values, against the revision now stored. */
	if (card_body(ctx, b, &c, f, mine, NULL, c.revision, tr(ctx->lang,
	    "This card was saved from another tab or device after you "
	    "opened it, so your version was not saved yet. The form below "
	    "holds your version: saving it replaces the other one."),
	    tr(ctx->lang, "Your version")) == -1)
		goto out;
	rc = page_end(p);
out:
	store_card_free(&c);
	return rc;
}

/* A card POST whose save may wait for its batch (store_card_save_then). */
struct post {
	struct page_ctx		*ctx;
	struct outbox_forms	 of;	/* the payloads' input */
	struct page		*p;
	int64_t			 id;
	struct store_card	 c;
	const struct form	*f;
	struct form_answers	 a;
	bool			 submit;
	struct store_saved	 saved;	/* what the save stored */
	char			 actor[sizeof("expert:-9223372036854775808")];
};

/*
 * The answers to a script (Accept: application/json, keyfield.js's
 * autosave) instead of a page or a redirect: what was saved, or why not.
 * A form's POST gets the pages as ever.
 */
enum json_why { JSON_INCOMPLETE, JSON_STALE, JSON_CLOSED, JSON_INVALID,
	JSON_GONE };

/* The sentence of a refused save for a script, in l. */
static const char *
json_message(const struct lang *l, enum json_why why)
{
	switch (why) {
	case JSON_INCOMPLETE:
		return tr(l, "The form was incomplete (no action or "
		    "revision). Nothing was saved.");
	case JSON_STALE:
		return tr(l, "This card was saved from another tab or device "
		    "after you opened it, so your version was not saved. Save "
		    "draft shows both versions.");
	case JSON_CLOSED:
		return tr(l, "This campaign has been closed by its "
		    "coordinator, so the card can no longer be changed. "
		    "Nothing was saved.");
	case JSON_INVALID:
		return tr(l, "Some answers need correcting; nothing was "
		    "saved. Save draft shows the problems next to the "
		    "fields.");
	default:
		return tr(l, "This card is no longer assigned to you.");
	}
}

/* The JSON text of v (taken) as p's body with status. 0 or -1. */
static int
json_answer(struct page *p, int status, json_t *v)
{
	char	*text;
	int	 rc;

	text = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (text == NULL) {
		log_err("card: a JSON answer: out of memory");
		return -1;
	}
	buf_reset(&p->body);
	p->status = status;
	p->content_type = "application/json";
	rc = buf_puts(&p->body, text);
	free(text);
	return rc;
}

/* {"revision", "version", "saved_at"}: what the save stored. */
static int
json_saved(struct page *p, const struct store_saved *sv)
{
	return json_answer(p, 200, json_pack("{s:I,s:i,s:s}", "revision",
	    (json_int_t)sv->revision, "version", sv->version, "saved_at",
	    sv->at));
}

/*
 * {"error": what, "message", "issues": [{"name", "message"}]}: a save
 * refused with status for a reason the expert can act on.
 */
static int
json_refused(struct page *p, int status, const char *what,
    enum json_why why, const struct form_issues *is)
{
	json_t	*v, *list = NULL;
	bool	 ok;

	v = json_pack("{s:s,s:s}", "error", what, "message",
	    json_message(p->lang, why));
	ok = v != NULL && (is == NULL || is->n == 0 ||
	    ((list = json_array()) != NULL &&
	    json_object_set_new(v, "issues", list) == 0));
	for (size_t i = 0; ok && is != NULL && i < is->n; i++)
		ok = json_array_append_new(list, json_pack("{s:s,s:s}",
		    "name", is->v[i].name, "message",
		    is->v[i].message)) == 0;
	if (!ok) {
		json_decref(v);
		v = NULL;
	}
	return json_answer(p, status, v);
}

static void
post_free(struct post *po)
{
	form_answers_free(&po->a);
	store_card_free(&po->c);
	free(po);
}

/* The JSON answer for what a script's save came to (posted). */
static int
posted_json(struct page *p, int rc, const struct store_saved *sv)
{
	switch (rc) {
	case STORE_SAVED:
		return json_saved(p, sv);
	case STORE_STALE:
		return json_refused(p, 409, "conflict", JSON_STALE, NULL);
	case STORE_CLOSED:
		return json_refused(p, 409, "closed", JSON_CLOSED, NULL);
	case STORE_GONE:
		return json_refused(p, 404, "gone", JSON_GONE, NULL);
	default:
		return -1;
	}
}

/* The page for what the save came to (store_then_fn); frees po. */
static void
posted(void *arg, int rc)
{
	struct post	*po = arg;
	struct page	*p = po->p;
	char		 loc[sizeof("/card/-9223372036854775808/submitted")];

	if (po->ctx->req->json) {
		rc = posted_json(p, rc, &po->saved);
		goto out;
	}
	switch (rc) {
	case STORE_SAVED:
		/* loc holds the longer address with the longest id. */
		if (po->submit)
			rc = buf_fmt(loc, sizeof(loc), "/card/%" PRId64
			    "/submitted", po->id);
		else
			rc = buf_fmt(loc, sizeof(loc), "/card/%" PRId64
			    "?saved=1", po->id);
		assert(rc == 0);
		rc = page_redirect(p, loc);
		break;
	case STORE_STALE:
		rc = conflict(po->ctx, p, po->id, &po->a);
		break;
	case STORE_CLOSED:
		p->status = 409;
		po->c.campaign_open = false;
		rc = card_form(po->ctx, p, &po->c, po->f, &po->a, NULL,
		    po->c.revision, tr(p->lang, "This campaign was closed a "
		    "moment ago, so your answers were not saved; you can copy "
		    "them from here."));
		break;
	case STORE_GONE:
		rc = page_error(p, 404, tr(p->lang, "Card not found"),
		    json_message(p->lang, JSON_GONE));
		break;
	default:
		rc = -1;
		break;
	}
out:
	if (rc == -1)
		po->ctx->failed = true;
	post_free(po);
}

/* The action and revision of a card POST; false when either is bad. */
static bool
post_action(const struct req *r, bool *submit, int64_t *expected)
{
	const char	*action, *rev;
	char		*end;
	long long	 v;

	action = req_field(r, "action");
	rev = req_field(r, "revision");
	if (action == NULL || (strcmp(action, "save") != 0 &&
	    strcmp(action, "submit") != 0) || rev == NULL || *rev == '\0')
		return false;
	errno = 0;
	v = strtoll(rev, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return false;
	*submit = strcmp(action, "submit") == 0;
	*expected = v;
	return true;
}

/* The answers of po, with issues is, that cannot be saved: a page. */
static int
post_refused(struct post *po, int64_t expected,
    const struct form_issues *is)
{
	struct page_ctx	*ctx = po->ctx;
	struct page	*p = po->p;

	if (!po->c.campaign_open) {
		if (ctx->req->json)
			return json_refused(p, 409, "closed", JSON_CLOSED,
			    NULL);
		p->status = 409;
		return card_form(ctx, p, &po->c, po->f, &po->a, is,
		    po->c.revision, tr(ctx->lang, "This campaign has been "
		    "closed by its coordinator, so the card can no longer be "
		    "changed. Your answers below were not saved; you can copy "
		    "them from here."));
	}
	if (ctx->req->json)
		return json_refused(p, 422, "invalid", JSON_INVALID, is);
	p->status = 422;
	return card_form(ctx, p, &po->c, po->f, &po->a, is, expected, NULL);
}

int
page_card_post(struct page_ctx *ctx, struct page *p, int64_t id)
{
	struct post		*po;
	struct form_issues	 is = { 0 };
	struct fields		 fs;
	int64_t			 expected;
	int			 rc;

	if ((po = calloc(1, sizeof(*po))) == NULL)
		return -1;
	*po = (struct post){ .ctx = ctx, .p = p, .id = id,
	    .of = { ctx->forms, ctx->nforms, ctx->base_url } };
	if ((rc = card_load(ctx, p, id, &po->c, &po->f)) != 0) {
		free(po);
		return rc == 1 ? 0 : -1;
	}
	if (!post_action(ctx->req, &po->submit, &expected)) {
		rc = ctx->req->json ? json_refused(p, 400, "incomplete",
		    JSON_INCOMPLETE, NULL) : page_error(p, 400, tr(ctx->lang,
		    "The form could not be read"), tr(ctx->lang, "The form "
		    "was incomplete (no action or revision). Nothing was "
		    "saved; go back and use the Save draft or Submit "
		    "button."));
		goto out;
	}
	fs = (struct fields){ .req = ctx->req };
	is.lang = ctx->lang;
	if ((rc = card_collect(ctx->store, &po->c, po->f, field_get, &fs,
	    po->submit, &po->a, &is)) == -1)
		goto out;
	if (rc != CARD_OK) {
		rc = post_refused(po, expected, &is);
		goto out;
	}
	/* actor holds "expert:" and the longest id: nothing can be cut. */
	rc = buf_fmt(po->actor, sizeof(po->actor), "expert:%" PRId64,
	    po->c.expert_id);
	assert(rc == 0);
	form_issues_free(&is);
	/* Her first save: the page's language becomes hers. */
	if (signin_lang_keep(ctx) == -1) {
		rc = -1;
		goto out;
	}
	/* The page follows from the save: now, or when its batch commits. */
	card_save_then(ctx->store, &po->c, expected, &po->a, po->submit,
	    po->actor, &po->of, &po->saved, posted, po);
	return 0;
out:
	form_issues_free(&is);
	post_free(po);
	return rc;
}

int
page_card_done(struct page_ctx *ctx, struct page *p, int64_t id)
{
	struct store_card	 c;
	const struct form	*f;
	struct buf		*b = &p->body;
	const struct lang	*l = ctx->lang;
	char			 when[I18N_DATE_MAX];
	int			 rc;

	if ((rc = card_load(ctx, p, id, &c, &f)) != 0)
		return rc == 1 ? 0 : -1;
	rc = -1;
	if (c.status != STORE_SUBMITTED) {
		rc = page_redirect(p, "/");
		goto out;
	}
	i18n_time(l, c.updated_at != NULL ? c.updated_at : "", when);
	page_begin(p, tr(l, "Thank you"));
	html_raw(b, "<h1>");
	html_trf(b, tr(l, "Thank you: %s %s is submitted"), c.field_code,
	    c.field_title);
	html_raw(b, "</h1>\n<p role=\"status\">");
	html_trf(b, tr(l, "Version %d was stored on %s. You can revise the "
	    "card and submit again while the campaign is open."), c.version,
	    when);
	html_fmt(b, "</p>\n<p><a href=\"/card/%" PRId64 "\">%s</a> · "
	    "<a href=\"/\">%s</a></p>\n", c.assignment_id,
	    tr(l, "Reopen the card"), tr(l, "Back to your key fields"));
	if (view_card_in(b, f, l, c.cities, c.ncities, &c.answers) == -1)
		goto out;
	rc = page_end(p);
out:
	store_card_free(&c);
	return rc;
}

int
page_card_version(struct page_ctx *ctx, struct page *p, int64_t id,
    int version)
{
	struct store_card	 c;
	const struct form	*f;
	struct form_answers	 a = { 0 };
	struct buf		*b = &p->body;
	struct buf		 title;
	int			 rc;

	if ((rc = card_load(ctx, p, id, &c, &f)) != 0)
		return rc == 1 ? 0 : -1;
	rc = -1;
	/* The title whole, whatever its length: no array to cut it. */
	buf_init(&title, PAGE_BODY_MAX);
	if (version > c.version || c.response_id == 0) {
		rc = page_error(p, 404, tr(ctx->lang, "Version not found"),
		    tr(ctx->lang, "This card has no such version."));
		goto out;
	}
	if (store_answers_get(ctx->store, c.response_id, version, &a) == -1 ||
	    buf_printf(&title, tr(ctx->lang, "%s %s, version %d"),
	    c.field_code, c.field_title, version) == -1)
		goto out;
	page_begin(p, buf_str(&title));
	html_fmt(b, "<h1>%s</h1>\n<p><a href=\"/card/%" PRId64 "\">%s"
	    "</a></p>\n", buf_str(&title), c.assignment_id,
	    tr(ctx->lang, "Back to the card"));
	if (view_card_in(b, f, ctx->lang, c.cities, c.ncities, &a) == -1)
		goto out;
	rc = page_end(p);
out:
	buf_free(&title);
	form_answers_free(&a);
	store_card_free(&c);
	return rc;
}

/* The revision a form was sent from: digits only, else 0 (stale). */
static int64_t
posted_revision(const struct req *r)
{
	const char	*v = req_field(r, "revision");
	char		*end;
	long long	 n;

	if (v == NULL || *v < '0' || *v > '9')
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	return errno != 0 || *end != '\0' ? 0 : n;
}

/* The request's values as answers of card c (form f), valid or not. */
static int
typed(struct page_ctx *ctx, const struct store_card *c,
    const struct form *f, struct form_answers *a)
{
	struct form_issues	 is = { 0 };
	struct fields		 fs = { .req = ctx->req };
	int			 rc;

	rc = card_collect(ctx->store, c, f, field_get, &fs, false, a, &is);
	form_issues_free(&is);
	return rc == -1 ? -1 : 0;
}

/*
 * The page of a card's answers that were not accepted for want of a
 * session: what was typed in the card's own controls (none disabled, so
 * they all post again), the invitation link's field and Continue. It
 * names neither the card nor its expert: its visitor is not signed in.
 */
static int
keep_page(struct page_ctx *ctx, struct page *p, int status,
    const struct store_card *c, const struct form *f,
    const struct form_answers *a, const char *problem)
{
	static const struct form_issues none;
	const struct lang *l = ctx->lang;
	struct editor	 e = { .b = &p->body, .card = c, .form = f, .lang = l,
			    .answers = a, .issues = &none };
	struct buf	*b = &p->body;
	const char	*link = req_field(ctx->req, "link");

	p->status = status;
	p->personal = true;
	page_begin(p, tr(l, "Not saved yet"));
	html_fmt(b, "<h1>%s</h1>\n", tr(l, "Your answers are not saved yet"));
	if (problem != NULL)
		html_fmt(b, "<p class=\"problems\" role=\"alert\">%s</p>\n",
		    problem);
	html_fmt(b, "<p>%s</p>\n", tr(l, "Your session on this browser has "
	    "ended, or the page was open too long, so nothing was saved. "
	    "Everything you sent is below. Paste your invitation link and "
	    "press Continue: your card opens with these answers, still to be "
	    "saved."));
	html_fmt(b, "<form method=\"post\" action=\"/card/%" PRId64
	    "/resume\" class=\"card\">\n", c->assignment_id);
	html_fmt(b, "<input type=\"hidden\" name=\"revision\" "
	    "value=\"%" PRId64 "\">\n", posted_revision(ctx->req));
	html_fmt(b, "<div class=\"q\"><label for=\"link\">%s</label>\n"
	    "<p class=\"help\" id=\"link-help\">%s</p>\n", tr(l,
	    "Invitation link"), tr(l, "The link from your invitation "
	    "e-mail: the whole address, or the part after /i/."));
	html_fmt(b, "<input type=\"text\" id=\"link\" name=\"link\" "
	    "value=\"%s\" autocomplete=\"off\" aria-describedby=\""
	    "link-help\"></div>\n", link != NULL ? link : "");
	html_fmt(b, "<p class=\"actions\"><button type=\"submit\">%s"
	    "</button></p>\n", tr(l, "Continue"));
	if (controls(&e) == -1 || delphi_reasons_kept_in(b, l, c->cities,
	    c->ncities, a) == -1)
		return -1;
	html_fmt(b, "<div class=\"actions\"><button type=\"submit\">%s"
	    "</button></div>\n</form>\n", tr(l, "Continue"));
	return page_end(p);
}

/*
 * The card id and what was posted to it, for a page without a session,
 * whose language becomes that of the card's expert (signin_lang_of):
 * 0 and *c, *f, *a (free *c and *a); 1 after the 403 page (no such card);
 * or -1.
 */
static int
card_posted(struct page_ctx *ctx, struct page *p, int64_t id,
    struct store_card *c, const struct form **f, struct form_answers *a)
{
	int	 rc;

	if ((rc = card_find(ctx, 0, id, c, f)) != 0)
		return rc == 1 ? (signin_refused(p, ctx->lang) == -1 ? -1 :
		    1) : -1;
	/* In the language of the card's expert: hers, not the browser's. */
	if ((rc = signin_lang_of(ctx, c->expert_id)) == 0)
		rc = typed(ctx, c, *f, a);
	if (rc != 0) {
		form_answers_free(a);
		store_card_free(c);
	}
	return rc;
}

int
page_card_keep(struct page_ctx *ctx, struct page *p, int64_t id)
{
	struct store_card	 c;
	const struct form	*f;
	struct form_answers	 a = { 0 };
	int			 rc;

	if ((rc = card_posted(ctx, p, id, &c, &f, &a)) != 0)
		return rc == 1 ? 0 : -1;
	rc = keep_page(ctx, p, 403, &c, f, &a, NULL);
	form_answers_free(&a);
	store_card_free(&c);
	return rc;
}

/* Who the resume's link signs in: 0 (ctx signed in), 1 (a page made), -1. */
static int
resume_signin(struct page_ctx *ctx, struct page *p,
    const struct store_card *c, const struct form *f,
    const struct form_answers *a)
{
	const char	*link = req_field(ctx->req, "link");
	int64_t		 expert;
	int		 rc;

	if (!signin_allowed(ctx))
		return keep_page(ctx, p, 403, c, f, a, tr(ctx->lang, "This "
		    "form did not come from this site's own page, so nobody "
		    "was signed in. Paste your invitation link and press "
		    "Continue.")) == -1 ? -1 : 1;
	if ((rc = signin_link_expert(ctx->store, link != NULL ? link : "",
	    &expert)) == -1)
		return -1;
	if (rc == 1)
		return keep_page(ctx, p, 404, c, f, a,
		    signin_unknown_text(ctx->lang)) == -1 ? -1 : 1;
	if (expert != c->expert_id)
		return keep_page(ctx, p, 403, c, f, a, tr(ctx->lang, "This "
		    "invitation link is not the one this card was sent with, "
		    "so nobody was signed in. Paste the link that opened this "
		    "card.")) == -1 ? -1 : 1;
	return signin_expert(ctx, p, expert);
}

int
page_card_resume(struct page_ctx *ctx, struct page *p, int64_t id)
{
	struct store_card	 c;
	const struct form	*f;
	struct form_answers	 a = { 0 };
	int			 rc;

	if ((rc = card_posted(ctx, p, id, &c, &f, &a)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = resume_signin(ctx, p, &c, f, &a)) == 0)
		rc = card_form(ctx, p, &c, f, &a, NULL,
		    posted_revision(ctx->req), tr(ctx->lang, "You are signed "
		    "in. The answers below are the ones you sent: they are not "
		    "saved yet. Press Save draft or Submit to keep them."));
	form_answers_free(&a);
	store_card_free(&c);
	return rc == -1 ? -1 : 0;
}
