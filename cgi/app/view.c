/*
 * view: form slots and the read-only card.
 * Never writes an answer unescaped; never changes the answers it shows.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/html.h"
#include "base/i18n.h"
#include "base/rating.h"
#include "app/delphi.h"
#include "app/view.h"

/* Append n bytes of v at out[*at], truncated as snprintf would. */
static void
cat(char *out, size_t sz, size_t *at, const char *v, size_t n)
{
	if (n > sz - 1 - *at)
		n = sz - 1 - *at;
	memcpy(out + *at, v, n);
	*at += n;
	out[*at] = '\0';
}

/*
 * The label of a column for a row: the template itself, or with "{row}"
 * filled in with the row's label into s->labelbuf.
 */
static void
fill_label(struct view_slot *s, const char *tmpl, const char *row)
{
	const char	*at = strstr(tmpl, "{row}");
	size_t		 n = 0;

	if (at == NULL || row == NULL) {
		s->label = tmpl;
		return;
	}
	cat(s->labelbuf, sizeof(s->labelbuf), &n, tmpl, (size_t)(at - tmpl));
	cat(s->labelbuf, sizeof(s->labelbuf), &n, row, strlen(row));
	cat(s->labelbuf, sizeof(s->labelbuf), &n, at + 5, strlen(at + 5));
	s->label = s->labelbuf;
}

/* s for the question q outside grids, its label in lang. */
static void
simple_slot(struct view_slot *s, const struct form *f,
    const struct form_question *q, const char *lang)
{
	size_t	 n = 0;

	s->q = q;
	s->rowkey = "";
	cat(s->question, sizeof(s->question), &n, q->key, strlen(q->key));
	n = 0;
	cat(s->name, sizeof(s->name), &n, q->key, strlen(q->key));
	s->label = form_text(f, q->label, lang);
}

int
view_slots(const struct form *f, const struct form_row *cities,
    size_t ncities, int (*cb)(void *, const struct view_slot *), void *ctx)
{
	return view_slots_in(f, NULL, cities, ncities, cb, ctx);
}

int
view_slots_in(const struct form *f, const char *lang,
    const struct form_row *cities, size_t ncities,
    int (*cb)(void *, const struct view_slot *), void *ctx)
{
	struct view_slot	 s;
	const struct form_row	*rows;
	size_t			 nrows, n, qn;
	int			 rc;

	/* Built by hand, not with snprintf: ~600 slots per card page. */
	for (size_t i = 0; i < f->nsections; i++) {
		const struct form_section *sec = &f->sections[i];

		for (size_t j = 0; j < sec->nquestions; j++) {
			const struct form_question *q = &sec->questions[j];

			s.section = sec;
			s.grid = NULL;
			s.row = NULL;
			if (q->type != FORM_GRID) {
				simple_slot(&s, f, q, lang);
				if ((rc = cb(ctx, &s)) != 0)
					return rc;
				continue;
			}
			rows = form_grid_rows(q, cities, ncities, &nrows);
			for (size_t r = 0; r < nrows; r++)
				for (size_t c = 0; c < q->ncolumns; c++) {
					s.grid = q;
					s.q = &q->columns[c];
					s.row = &rows[r];
					s.rowkey = rows[r].key;
					qn = 0;
					cat(s.question, sizeof(s.question), &qn,
					    q->key, strlen(q->key));
					cat(s.question, sizeof(s.question), &qn,
					    ".", 1);
					cat(s.question, sizeof(s.question), &qn,
					    s.q->key, strlen(s.q->key));
					n = 0;
					cat(s.name, sizeof(s.name), &n,
					    s.question, qn);
					if (s.rowkey[0] != '\0') {
						cat(s.name, sizeof(s.name), &n,
						    ".", 1);
						cat(s.name, sizeof(s.name), &n,
						    s.rowkey, strlen(s.rowkey));
					}
					fill_label(&s, form_text(f, s.q->label,
					    lang), form_text(f, rows[r].label,
					    lang));
					if ((rc = cb(ctx, &s)) != 0)
						return rc;
				}
		}
	}
	return 0;
}

struct find {
	const struct form *f;
	const char	*lang;
	const char	*name;
	char		*out;
	size_t		 outsz;
};

/* A label into out, ending in "..." when it had to be cut. */
static void
copy_label(char *out, size_t outsz, const char *label)
{
	if (buf_fmt(out, outsz, "%s", label) == -1)
		buf_mark_cut(out, outsz);
}

static int
find_slot(void *arg, const struct view_slot *s)
{
	struct find	*f = arg;

	if (strcmp(s->name, f->name) == 0) {
		copy_label(f->out, f->outsz, s->label);
		return 1;
	}
	if (s->grid != NULL && strcmp(s->grid->key, f->name) == 0) {
		copy_label(f->out, f->outsz, form_text(f->f, s->grid->label,
		    f->lang));
		return 1;
	}
	return 0;
}

void
view_label(const struct form *f, const struct form_row *cities,
    size_t ncities, const char *name, char *out, size_t outsz)
{
	view_label_in(f, NULL, cities, ncities, name, out, outsz);
}

void
view_label_in(const struct form *f, const char *lang,
    const struct form_row *cities, size_t ncities, const char *name,
    char *out, size_t outsz)
{
	struct find	 fd = { f, lang, name, out, outsz };

	if (view_slots_in(f, lang, cities, ncities, find_slot, &fd) == 0)
		copy_label(out, outsz, name);
}

int
view_value(struct buf *out, const struct form_answers *a,
    const struct view_slot *s)
{
	const char	*v;

	if (s->q->type != FORM_LIST) {
		v = form_answer(a, s->question, s->rowkey, 0);
		return v != NULL ? buf_puts(out, v) : 0;
	}
	for (unsigned i = 0; (v = form_answer(a, s->question, s->rowkey,
	    i)) != NULL; i++) {
		if (i > 0)
			buf_putc(out, '\n');
		buf_puts(out, v);
	}
	return buf_failed(out) ? -1 : 0;
}

const struct form_question *
view_rating_grid(const struct form *f)
{
	for (size_t i = 0; i < f->nsections; i++)
		for (size_t j = 0; j < f->sections[i].nquestions; j++) {
			const struct form_question *q =
			    &f->sections[i].questions[j];

			if (q->type == FORM_GRID && q->rows_cities &&
			    q->ncolumns == 1 &&
			    q->columns[0].type == FORM_SCALE)
				return q;
		}
	return NULL;
}

const struct form_question *
view_choice_grid(const struct form *f, size_t *col)
{
	for (size_t i = 0; i < f->nsections; i++)
		for (size_t j = 0; j < f->sections[i].nquestions; j++) {
			const struct form_question *q =
			    &f->sections[i].questions[j];

			if (q->type != FORM_GRID || q->rows_cities)
				continue;
			for (size_t k = 0; k < q->ncolumns; k++)
				if (q->columns[k].type == FORM_CHOICE) {
					*col = k;
					return q;
				}
		}
	return NULL;
}

/* A value as paragraphs (text), a list (lists) or a plain word. */
static int
value_html(struct buf *b, const struct form_answers *a,
    const struct view_slot *s)
{
	struct buf	 v;
	const char	*p, *nl;
	int		 rc = -1;

	buf_init(&v, 1024 * 1024);
	if (view_value(&v, a, s) == -1)
		goto out;
	if (v.len == 0)
		html_raw(b, "<p class=\"empty\">—</p>\n");
	else if (s->q->type == FORM_LIST) {
		html_raw(b, "<ul>\n");
		for (p = buf_str(&v); *p != '\0'; p = *nl ? nl + 1 : nl) {
			nl = strchr(p, '\n');
			if (nl == NULL)
				nl = p + strlen(p);
			html_raw(b, "<li>");
			html_textn(b, p, (size_t)(nl - p));
			html_raw(b, "</li>\n");
		}
		html_raw(b, "</ul>\n");
	} else {
		html_raw(b, "<p class=\"answer\">");
		html_text(b, buf_str(&v));
		html_raw(b, "</p>\n");
	}
	rc = buf_failed(b) ? -1 : 0;
out:
	buf_free(&v);
	return rc;
}

struct card_walk {
	struct buf			*b;
	const struct form		*f;
	const struct lang		*lang;
	const struct form_answers	*a;
	const struct form_row		*cities;
	size_t				 ncities;
	const struct form_section	*section;
	const struct form_question	*grid;
};

/* A grid with one short column as a table: rows, then a Total. */
static int
grid_table(struct card_walk *w, const struct form_question *g)
{
	struct buf		*b = w->b;
	size_t			 nrows;
	const struct form_row	*rows = form_grid_rows(g, w->cities,
				    w->ncities, &nrows);
	char			 q[2 * 32 + 2];
	const char		*v;
	size_t			 counted;

	html_fmt(b, "<table class=\"ratings\">\n<caption>%s</caption>\n"
	    "<thead><tr>", form_text(w->f, g->label, i18n_code(w->lang)));
	for (size_t r = 0; r < nrows; r++)
		html_fmt(b, "<th scope=\"col\"><abbr title=\"%s\">%s"
		    "</abbr></th>", rows[r].label, rows[r].key);
	if (g->total)
		html_fmt(b, "<th scope=\"col\">%s</th>", tr(w->lang,
		    "Total"));
	html_raw(b, "</tr></thead>\n<tbody><tr>");
	if (buf_fmt(q, sizeof(q), "%s.%s", g->key, g->columns[0].key) == -1)
		assert(!"two keys of FORM_KEY_MAX fit in q");
	for (size_t r = 0; r < nrows; r++) {
		v = form_answer(w->a, q, rows[r].key, 0);
		html_fmt(b, "<td>%s</td>", v != NULL ? v : "—");
	}
	if (g->total)
		html_fmt(b, "<td>%d</td>", (int)rating_total(g,
		    &g->columns[0], w->cities, w->ncities, w->a, &counted));
	html_raw(b, "</tr></tbody>\n</table>\n");
	/* A later round's reasons for ratings outside the panel's Q1-Q3. */
	if (g->rows_cities && delphi_reasons_view_in(b, w->lang, rows, nrows,
	    w->a) == -1)
		return -1;
	return buf_failed(b) ? -1 : 0;
}

/*
 * A choice's answer as its option's label in the page's language (a
 * value no option has, as it is).
 */
static int
choice_html(struct card_walk *w, const struct view_slot *s)
{
	const char	*v = form_answer(w->a, s->question, s->rowkey, 0);

	if (v == NULL || *v == '\0')
		return html_raw(w->b, "<p class=\"empty\">—</p>\n");
	for (size_t i = 0; i < s->q->noptions; i++)
		if (strcmp(s->q->options[i].value, v) == 0) {
			v = form_text(w->f, s->q->options[i].label,
			    i18n_code(w->lang));
			break;
		}
	return html_fmt(w->b, "<p class=\"answer\">%s</p>\n", v);
}

static int
card_slot(void *arg, const struct view_slot *s)
{
	struct card_walk	*w = arg;
	struct buf		*b = w->b;

	if (s->section != w->section) {
		if (w->section != NULL)
			html_raw(b, "</section>\n");
		w->section = s->section;
		w->grid = NULL;
		html_fmt(b, "<section class=\"card-section\">\n<h2>%s</h2>\n",
		    form_text(w->f, s->section->title, i18n_code(w->lang)));
	}
	if (s->grid != NULL && s->grid->ncolumns == 1 &&
	    s->grid->columns[0].type == FORM_SCALE) {
		if (s->grid == w->grid)
			return 0;
		w->grid = s->grid;
		return grid_table(w, s->grid);
	}
	if (s->grid != NULL && s->grid != w->grid) {
		w->grid = s->grid;
		html_fmt(b, "<h3>%s</h3>\n", form_text(w->f, s->grid->label,
		    i18n_code(w->lang)));
	}
	/* Grid cells sit under the grid's <h3>; questions under <h2>. */
	if (s->grid != NULL)
		html_fmt(b, "<h4>%s</h4>\n", s->label);
	else
		html_fmt(b, "<h3>%s</h3>\n", s->label);
	if (w->lang != NULL && s->q->type == FORM_CHOICE)
		return choice_html(w, s);
	return value_html(b, w->a, s);
}

int
view_card(struct buf *b, const struct form *f, const struct form_row *cities,
    size_t ncities, const struct form_answers *a)
{
	return view_card_in(b, f, NULL, cities, ncities, a);
}

int
view_card_in(struct buf *b, const struct form *f, const struct lang *l,
    const struct form_row *cities, size_t ncities,
    const struct form_answers *a)
{
	struct card_walk w = { .b = b, .f = f, .lang = l, .a = a,
	    .cities = cities, .ncities = ncities };

	if (view_slots_in(f, l != NULL ? i18n_code(l) : NULL, cities, ncities,
	    card_slot, &w) != 0)
		return -1;
	return w.section != NULL ? html_raw(b, "</section>\n") : 0;
}
