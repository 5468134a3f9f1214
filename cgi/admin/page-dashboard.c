/*
 * admin/page-dashboard: one campaign's progress (per key field and per
 * expert), each key field's city ratings across experts with medians,
 * totals and a chart, and the heatmap of sector relevance. Counts only
 * the latest submitted version of each card; never a draft or a
 * withdrawn card. Lists experts' progress a page at a time; what it looks
 * up it finds in sorted arrays, so a campaign of 10 000 experts and 1 000
 * key fields is drawn in well under a second.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/console.h"
#include "base/html.h"
#include "base/log.h"
#include "base/rating.h"
#include "app/view.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/responses.h"

#define VALUES_MAX	500000	/* values read for one dashboard */
#define CHART_BAR	48	/* px per city in the chart */
#define CHART_HEIGHT	160	/* px of the tallest bar */

struct val {
	int64_t	 field_id;
	int64_t	 expert_id;
	int	 row;		/* index of the city or grid row */
	int	 n;		/* the value, or the option's index */
};

struct vals {
	struct val		*v;
	size_t			 n;
	/* what the callback maps */
	const struct form_row	*rows;
	size_t			 nrows;
	const struct form_question *q;	/* scale or choice */
};

static int
val_cb(void *arg, const struct store_value_row *r)
{
	struct vals	*vs = arg;
	struct val	*nv;
	long		 n = -1;
	int		 row = -1;

	for (size_t i = 0; i < vs->nrows; i++)
		if (strcmp(vs->rows[i].key, r->row) == 0)
			row = (int)i;
	if (row < 0 || vs->n == VALUES_MAX)
		return 0;
	if (vs->q->type == FORM_SCALE) {
		if (!rating_parse(r->value, vs->q->min, vs->q->max, &n))
			return 0;
	} else {
		for (size_t i = 0; i < vs->q->noptions; i++)
			if (strcmp(vs->q->options[i].value, r->value) == 0)
				n = (long)i;
		if (n < 0)
			return 0;
	}
	if ((nv = reallocarray(vs->v, vs->n + 1, sizeof(*nv))) == NULL)
		return -1;
	vs->v = nv;
	vs->v[vs->n++] = (struct val){ r->field_id, r->expert_id, row,
	    (int)n };
	return 0;
}

/* Values by key field, expert and row (vals_sort, val_find). */
static int
cmp_val(const void *a, const void *b)
{
	const struct val *x = a, *y = b;

	if (x->field_id != y->field_id)
		return x->field_id < y->field_id ? -1 : 1;
	if (x->expert_id != y->expert_id)
		return x->expert_id < y->expert_id ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

static void
vals_sort(struct vals *vs)
{
	if (vs->n > 1)
		qsort(vs->v, vs->n, sizeof(vs->v[0]), cmp_val);
}

static const struct val *
val_find(const struct vals *vs, int64_t field_id, int64_t expert_id, int row)
{
	struct val	 key = { field_id, expert_id, row, 0 };

	return vs->n == 0 ? NULL :
	    bsearch(&key, vs->v, vs->n, sizeof(vs->v[0]), cmp_val);
}

/* The values of field_id: vs->v[*lo .. *hi) of the sorted values. */
static void
vals_of_field(const struct vals *vs, int64_t field_id, size_t *lo,
    size_t *hi)
{
	size_t	 a = 0, b = vs->n, mid;

	while (a < b) {
		mid = a + (b - a) / 2;
		if (vs->v[mid].field_id < field_id)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < vs->n && vs->v[a].field_id == field_id)
		a++;
	*hi = a;
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* A number given four times over: "6", "6.5" or "6.25". */
static void
num4(struct buf *b, long x4)
{
	char	 s[RATING_NUMSZ];

	if (rating_quarters(s, sizeof(s), x4) == -1)
		assert(!"RATING_NUMSZ holds every value (base/rating.h)");
	buf_puts(b, s);
}

struct experts {
	struct store_expert_row	*v;
	size_t			 n, cap;
};

static int
expert_cb(void *arg, const struct store_expert_row *e)
{
	struct experts		*es = arg;
	struct store_expert_row	*nv;
	size_t			 cap = es->cap ? 2 * es->cap : 64;

	if (es->n == es->cap) {
		if ((nv = reallocarray(es->v, cap, sizeof(*nv))) == NULL)
			return -1;
		es->v = nv;
		es->cap = cap;
	}
	es->v[es->n++] = *e;
	return 0;
}

/* A submitted card, where the ratings tables show it. */
struct card_key {
	int64_t	 field_id;
	size_t	 place;		/* of its expert in experts (by name) */
	size_t	 i;		/* in as */
};

struct dash {
	struct admin_ctx		*ctx;
	struct buf			*b;
	const struct store_campaign	*c;
	const struct form		*form;
	struct admin_cities		*cities;
	struct admin_fields		 fields;
	struct admin_assignments	 as;
	struct experts			 experts;
	struct card_key			*cards;	/* by key field, place */
	size_t				 ncards;
	int64_t				 page;	/* of experts' progress */
};

static int
cmp_card(const void *a, const void *b)
{
	const struct card_key *x = a, *y = b;

	if (x->field_id != y->field_id)
		return x->field_id < y->field_id ? -1 : 1;
	return (x->place > y->place) - (x->place < y->place);
}

struct id_place {
	int64_t	 id;
	size_t	 place;
};

static int
cmp_id(const void *a, const void *b)
{
	const struct id_place *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The submitted cards in d->cards, as the ratings show them. 0 or -1. */
static int
cards_order(struct dash *d)
{
	struct id_place	*ix, key, *hit;
	size_t		 n = 0;

	ix = calloc(d->experts.n + 1, sizeof(*ix));
	d->cards = calloc(d->as.n + 1, sizeof(*d->cards));
	if (ix == NULL || d->cards == NULL) {
		free(ix);
		return -1;
	}
	for (size_t i = 0; i < d->experts.n; i++)
		ix[i] = (struct id_place){ d->experts.v[i].id, i };
	qsort(ix, d->experts.n, sizeof(*ix), cmp_id);
	for (size_t i = 0; i < d->as.n; i++) {
		key.id = d->as.v[i].expert_id;
		if (d->as.v[i].status != STORE_SUBMITTED || (hit = bsearch(&key,
		    ix, d->experts.n, sizeof(*ix), cmp_id)) == NULL)
			continue;
		d->cards[n++] = (struct card_key){ d->as.v[i].field_id,
		    hit->place, i };
	}
	qsort(d->cards, n, sizeof(*d->cards), cmp_card);
	d->ncards = n;
	free(ix);
	return 0;
}

/* ---- progress ---- */

#define PROGRESS_HEAD	"<thead><tr><th scope=\"col\">%s</th>" \
	"<th scope=\"col\" class=\"num\">Assigned</th>" \
	"<th scope=\"col\" class=\"num\">Draft</th>" \
	"<th scope=\"col\" class=\"num\">Submitted</th>" \
	"<th scope=\"col\">Progress</th></tr></thead>\n<tbody>\n"

/* The row of a key field (field_id) or of an expert (expert_id). */
static void
progress_row(struct dash *d, const char *label, int64_t field_id,
    int64_t expert_id)
{
	struct buf	*b = d->b;
	int		 n = 0, draft = 0, done = 0;

	for (size_t i = 0; i < d->as.n; i++) {
		const struct store_assignment_row *a = &d->as.v[i];

		if ((field_id != 0 && a->field_id != field_id) ||
		    (expert_id != 0 && a->expert_id != expert_id))
			continue;
		n++;
		if (a->status == STORE_DRAFT)
			draft++;
		else if (a->status == STORE_SUBMITTED)
			done++;
	}
	html_fmt(b, "<tr><th scope=\"row\">%s</th>", label);
	html_fmt(b, "<td class=\"num\">%d</td><td class=\"num\">%d</td>"
	    "<td class=\"num\">%d</td>", n, draft, done);
	html_fmt(b, "<td><progress id=\"p%s-%" PRId64 "\" max=\"%d\" "
	    "value=\"%d\" ", field_id != 0 ? "f" : "e", field_id != 0 ?
	    field_id : expert_id, n > 0 ? n : 1, done);
	html_fmt(b, "aria-label=\"%s: submitted\">%d of %d</progress> "
	    "%d of %d submitted</td></tr>\n", label, done, n, done, n);
}

/* Where this page of experts' progress is, and links to the others. */
static void
progress_pager(struct dash *d)
{
	char	 path[sizeof("/admin/c//dashboard") + STORE_CODE_MAX];
	int	 rc;

	/* path holds the rest and all of a slug's array. */
	rc = buf_fmt(path, sizeof(path), "/admin/c/%s/dashboard", d->c->slug);
	assert(rc == 0);
	(void)rc;
	admin_pager(d->b, path, "progress-experts", d->page,
	    (int64_t)d->experts.n);
}

/* 0, or -1 (logged) when a label was cut: its size makes room for both. */
static int
progress(struct dash *d)
{
	struct buf	*b = d->b;
	/* "code title" or "name (revoked)", each with its NUL */
	char		 label[STORE_CODE_MAX + STORE_NAME_MAX + 4];

	html_raw(b, "<h2 id=\"progress\">Progress</h2>\n<table "
	    "class=\"data\" id=\"progress-fields\"><caption>Per key field"
	    "</caption>\n");
	html_fmt(b, PROGRESS_HEAD, "Key field");
	for (size_t i = 0; i < d->fields.n; i++) {
		if (buf_fmt(label, sizeof(label), "%s %s", d->fields.v[i].code,
		    d->fields.v[i].title) == -1) {
			log_err("dashboard: label of field %" PRId64 " cut",
			    d->fields.v[i].id);
			return -1;
		}
		progress_row(d, label, d->fields.v[i].id, 0);
	}
	html_raw(b, "</tbody></table>\n");
	progress_pager(d);
	html_raw(b, "<table class=\"data\" id=\"progress-experts\">"
	    "<caption>Per expert</caption>\n");
	html_fmt(b, PROGRESS_HEAD, "Expert");
	for (size_t i = (size_t)(d->page - 1) * ADMIN_PAGE_ROWS;
	    i < d->experts.n && i < (size_t)d->page * ADMIN_PAGE_ROWS; i++) {
		if (buf_fmt(label, sizeof(label), "%s%s", d->experts.v[i].name,
		    d->experts.v[i].revoked ? " (revoked)" : "") == -1) {
			log_err("dashboard: label of expert %" PRId64 " cut",
			    d->experts.v[i].id);
			return -1;
		}
		progress_row(d, label, 0, d->experts.v[i].id);
	}
	html_raw(b, "</tbody></table>\n");
	return 0;
}

/* ---- ratings ---- */

/* The sector grid: fixed rows with a choice column; *col is its index. */
static const struct form_question *
choice_grid(const struct form *f, size_t *col)
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


static void
chart(struct dash *d, const struct store_field *f, const long *medx4,
    const bool *has, const struct form_question *col)
{
	struct buf	*b = d->b;
	size_t		 nc = d->cities->n;
	int		 w = (int)nc * CHART_BAR + 40, h = CHART_HEIGHT + 50;
	int		 x, bar, top = (int)col->max > 0 ? (int)col->max : 1;

	html_fmt(b, "<svg class=\"chart\" role=\"img\" aria-labelledby=\""
	    "chart-%" PRId64 "\" xmlns=\"http://www.w3.org/2000/svg\" ", f->id);
	buf_printf(b, "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">",
	    w, h, w, h);
	html_fmt(b, "<title id=\"chart-%" PRId64 "\">Median rating per city, "
	    "%s</title>\n", f->id, f->code);
	/* The axis line and the scale's top. */
	buf_printf(b, "<line x1=\"30\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#222222\"/>\n<text x=\"2\" y=\"24\" font-size=\"12\" "
	    "fill=\"#222222\">%d</text>\n<text x=\"2\" y=\"%d\" "
	    "font-size=\"12\" fill=\"#222222\">0</text>\n",
	    CHART_HEIGHT + 20, w, CHART_HEIGHT + 20, top,
	    CHART_HEIGHT + 20);
	for (size_t i = 0; i < nc; i++) {
		x = 36 + (int)i * CHART_BAR;
		bar = has[i] ? (int)(medx4[i] * CHART_HEIGHT / (4 * top)) : 0;
		if (has[i])
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"#1f5f99\"/>\n", x,
			    CHART_HEIGHT + 20 - bar, CHART_BAR - 12, bar);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
		    "fill=\"#222222\">", x, CHART_HEIGHT + 20 - bar - 4);
		if (has[i])
			num4(b, medx4[i]);
		else
			buf_puts(b, "—");
		buf_printf(b, "</text>\n<text x=\"%d\" y=\"%d\" "
		    "font-size=\"12\" fill=\"#222222\">", x, CHART_HEIGHT + 38);
		html_text(b, d->cities->codes[i]);
		html_raw(b, "</text>\n");
	}
	html_raw(b, "</svg>\n");
}

/* A key field's section, its table's caption and its head of cities. */
static void
field_head(struct dash *d, const struct store_field *f)
{
	struct buf	*b = d->b;

	html_fmt(b, "<section class=\"field-block\" id=\"f-%s\">\n", f->code);
	html_fmt(b, "<h3>%s %s</h3>\n<table class=\"data ratings\">\n",
	    f->code, f->title);
	html_fmt(b, "<caption>Rating per city, %s (latest submitted "
	    "version of each card)</caption>\n<thead><tr><th "
	    "scope=\"col\">Expert</th>", f->code);
	for (size_t i = 0; i < d->cities->n; i++)
		html_fmt(b, "<th scope=\"col\" class=\"num\"><abbr "
		    "title=\"%s\">%s</abbr></th>", d->cities->names[i],
		    d->cities->codes[i]);
	html_raw(b, "<th scope=\"col\" class=\"num\">Total</th></tr>"
	    "</thead>\n<tbody>\n");
}

/* One row per submitted card of f, experts by name, and their totals. */
static void
field_cards(struct dash *d, const struct store_field *f,
    const struct vals *vs)
{
	struct buf		*b = d->b;
	const struct val	*v;
	bool			 any = false;
	size_t			 k = 0, hi = d->ncards, mid;
	int			 total;

	while (k < hi) {	/* the first card of f */
		mid = k + (hi - k) / 2;
		if (d->cards[mid].field_id < f->id)
			k = mid + 1;
		else
			hi = mid;
	}
	for (; k < d->ncards && d->cards[k].field_id == f->id; k++) {
		const struct store_assignment_row *a = &d->as.v[d->cards[k].i];

		any = true;
		html_fmt(b, "<tr><th scope=\"row\"><a href=\"/admin/r/"
		    "%" PRId64 "\">%s</a></th>", a->response_id,
		    d->experts.v[d->cards[k].place].name);
		total = 0;
		for (size_t c = 0; c < d->cities->n; c++) {
			v = val_find(vs, f->id, a->expert_id, (int)c);
			if (v != NULL) {
				total += v->n;
				html_fmt(b, "<td class=\"num\">%d</td>", v->n);
			} else
				html_raw(b, "<td class=\"num\">—</td>");
		}
		html_fmt(b, "<td class=\"num\">%d</td></tr>\n", total);
	}
	if (!any)
		html_fmt(b, "<tr><td colspan=\"%d\">No submitted cards yet."
		    "</td></tr>\n", (int)d->cities->n + 2);
}

/*
 * The median row of f: each city's median (into medx4, has) and, under
 * Total, the sum of those medians. 0, or -1 out of memory.
 */
static int
field_medians(struct dash *d, const struct store_field *f,
    const struct vals *vs, long *medx4, bool *has)
{
	struct buf	*b = d->b;
	size_t		 nc = d->cities->n, k, lo, hi;
	long		*col_v, totalx4 = 0;
	struct rating_stats st;
	bool		 any = false;

	if ((col_v = calloc(d->as.n + 1, sizeof(*col_v))) == NULL)
		return -1;
	html_raw(b, "</tbody>\n<tfoot><tr class=\"median\"><th "
	    "scope=\"row\">Median</th>");
	vals_of_field(vs, f->id, &lo, &hi);
	for (size_t c = 0; c < nc; c++) {
		k = 0;
		for (size_t i = lo; i < hi; i++)
			if (vs->v[i].row == (int)c && k < d->as.n)
				col_v[k++] = vs->v[i].n;
		has[c] = rating_stats(col_v, k, &st);
		medx4[c] = has[c] ? st.medianx4 : 0;
		totalx4 += medx4[c];
		any = any || has[c];
		html_raw(b, "<td class=\"num\">");
		if (k > 0)
			num4(b, medx4[c]);
		else
			buf_puts(b, "—");
		html_raw(b, "</td>");
	}
	html_raw(b, "<td class=\"num\">");
	if (any)
		num4(b, totalx4);
	else
		buf_puts(b, "—");
	html_raw(b, "</td></tr></tfoot>\n</table>\n");
	free(col_v);
	return 0;
}

/* A key field's ratings: the table, its medians, the chart. 0 or -1. */
static int
ratings_field(struct dash *d, const struct store_field *f,
    const struct vals *vs, const struct form_question *col)
{
	long	 medx4[ADMIN_CITIES_MAX];
	bool	 has[ADMIN_CITIES_MAX];

	field_head(d, f);
	field_cards(d, f, vs);
	if (field_medians(d, f, vs, medx4, has) == -1)
		return -1;
	chart(d, f, medx4, has, col);
	html_raw(d->b, "</section>\n");
	return 0;
}

static int
ratings(struct dash *d)
{
	const struct form_question *g = view_rating_grid(d->form);
	struct vals	 vs = { 0 };
	char		 q[2 * FORM_KEY_MAX + 2];
	int		 rc = -1;

	html_raw(d->b, "<h2 id=\"ratings\">Ratings per city</h2>\n<p "
	    "class=\"help\">One row per expert's latest submitted card; the "
	    "median row gives the median of each city and, under Total, the "
	    "sum of those medians.</p>\n");
	if (g == NULL) {
		html_raw(d->b, "<p>This form has no rating per city.</p>\n");
		return 0;
	}
	if (buf_fmt(q, sizeof(q), "%s.%s", g->key, g->columns[0].key) == -1) {
		log_err("dashboard: question key %s.%s cut", g->key,
		    g->columns[0].key);
		return -1;
	}
	vs.rows = d->cities->v;
	vs.nrows = d->cities->n;
	vs.q = &g->columns[0];
	if (store_values(d->ctx->store, d->c->id, q, val_cb, &vs) != 0)
		goto out;
	vals_sort(&vs);
	for (size_t i = 0; i < d->fields.n; i++)
		if (ratings_field(d, &d->fields.v[i], &vs,
		    &g->columns[0]) == -1)
			goto out;
	rc = 0;
out:
	free(vs.v);
	return rc;
}

/* ---- the heatmap ---- */

/* The cell of row r of key field f: the lower median of its answers. */
static void
heat_cell(struct buf *b, const struct vals *vs, const struct store_field *f,
    size_t r, const struct form_question *col, int top)
{
	int	 levels[512], lvl;
	size_t	 k = 0, lo, hi;

	vals_of_field(vs, f->id, &lo, &hi);
	for (size_t j = lo; j < hi && k < 512; j++)
		if (vs->v[j].row == (int)r)
			levels[k++] = vs->v[j].n;
	if (k == 0) {
		html_raw(b, "<td class=\"lvl-none\">—</td>");
		return;
	}
	/* The lower median: an option, never between two. */
	qsort(levels, k, sizeof(levels[0]), cmp_int);
	lvl = levels[(k - 1) / 2];
	html_fmt(b, "<td class=\"lvl-%d\">%s (%d)</td>", lvl * 3 / top,
	    col->options[lvl].label, (int)k);
}

static int
heatmap(struct dash *d)
{
	const struct form_question *g, *col;
	struct vals	 vs = { 0 };
	struct buf	*b = d->b;
	char		 q[2 * FORM_KEY_MAX + 2];
	int		 top;
	size_t		 ci;

	html_raw(b, "<h2 id=\"sectors\">Relevance to industrial sectors"
	    "</h2>\n");
	if ((g = choice_grid(d->form, &ci)) == NULL) {
		html_raw(b, "<p>This form has no sector grid.</p>\n");
		return 0;
	}
	col = &g->columns[ci];
	if (buf_fmt(q, sizeof(q), "%s.%s", g->key, col->key) == -1) {
		log_err("dashboard: question key %s.%s cut", g->key, col->key);
		return -1;
	}
	vs.rows = g->rows;
	vs.nrows = g->nrows;
	vs.q = col;
	if (store_values(d->ctx->store, d->c->id, q, val_cb, &vs) != 0) {
		free(vs.v);
		return -1;
	}
	vals_sort(&vs);
	top = col->noptions > 1 ? (int)col->noptions - 1 : 1;
	html_raw(b, "<p class=\"legend\">Median answer of the submitted "
	    "cards, count of answers in brackets. Levels: ");
	for (size_t i = 0; i < col->noptions; i++)
		html_fmt(b, "<span class=\"lvl-%d\">%s</span> ",
		    (int)i * 3 / top, col->options[i].label);
	html_raw(b, "</p>\n<table class=\"data heatmap\">\n<caption>"
	    "Sector relevance per key field</caption>\n<thead><tr><th "
	    "scope=\"col\">Key field</th>");
	for (size_t r = 0; r < g->nrows; r++)
		html_fmt(b, "<th scope=\"col\">%s</th>", g->rows[r].label);
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < d->fields.n; i++) {
		html_fmt(b, "<tr><th scope=\"row\">%s</th>",
		    d->fields.v[i].code);
		for (size_t r = 0; r < g->nrows; r++)
			heat_cell(b, &vs, &d->fields.v[i], r, col, top);
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</tbody></table>\n");
	free(vs.v);
	return 0;
}

int
admin_dashboard(struct admin_ctx *ctx, struct page *p, const char *slug)
{
	struct store_campaign	 c;
	struct admin_cities	*cities;
	struct dash		 d;
	int			 rc;

	memset(&d, 0, sizeof(d));
	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0 ||
	    (rc = admin_page_param(ctx, p, &d.page)) != 0)
		return rc == 1 ? 0 : -1;
	if ((cities = calloc(1, sizeof(*cities))) == NULL)
		return -1;
	d.ctx = ctx;
	d.b = &p->body;
	d.c = &c;
	d.cities = cities;
	rc = -1;
	if ((d.form = admin_form(ctx, c.form_id)) == NULL) {
		rc = admin_error(p, ctx, 503, "Form not loaded",
		    "This campaign's form was imported after the console "
		    "started; it is loaded at the next restart.");
		goto out;
	}
	if (admin_cities_load(ctx, c.id, cities) != 0 ||
	    admin_fields_load(ctx, c.id, &d.fields) == -1 ||
	    (d.as.v = store_assignments(ctx->store, c.id,
	    ADMIN_ASSIGNMENTS_MAX, &d.as.n)) == NULL ||
	    store_experts(ctx->store, c.id, expert_cb, &d.experts) != 0 ||
	    cards_order(&d) == -1)
		goto out;
	if (d.page > 1 && (size_t)(d.page - 1) * ADMIN_PAGE_ROWS >=
	    d.experts.n) {
		rc = admin_error(p, ctx, 404, "No such page", "This campaign "
		    "has fewer experts than this page would show.");
		goto out;
	}
	admin_begin(p, ctx, c.title);
	html_fmt(d.b, "<h1>Dashboard: %s</h1>\n", c.title);
	html_fmt(d.b, "<p class=\"meta\">Campaign %s · %s · <a href=\""
	    "/admin/c/%s\">set-up and downloads</a></p>\n", c.slug,
	    c.open ? "open" : "closed", c.slug);
	if (progress(&d) == -1 || ratings(&d) == -1 || heatmap(&d) == -1)
		goto out;
	admin_end(p);
	rc = buf_failed(d.b) ? -1 : 0;
out:
	free(cities);
	free(d.cards);
	free(d.experts.v);
	admin_fields_free(&d.fields);
	free(d.as.v);
	return rc;
}
