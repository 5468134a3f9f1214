/*
 * admin/page-dashboard: one campaign's overview (median, IQR and
 * consensus per key field x city, sortable), progress (per key field and
 * per expert), each key field's city ratings across experts with their
 * statistics and a box plot, and the heatmap of sector relevance. The
 * statistics are app/stats.h's; like them, it counts only the latest
 * submitted version of each card, never a draft or a withdrawn card.
 * Lists experts' progress a page at a time; what it looks up it finds in
 * sorted arrays, so a campaign of 10 000 experts and 1 000 key fields is
 * drawn in well under a second.
 */
#include <assert.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/console.h"
#include "base/html.h"
#include "base/log.h"
#include "base/rating.h"
#include "app/progress.h"
#include "app/round.h"
#include "app/stats.h"
#include "app/view.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/mail.h"
#include "store/rounds.h"
#include "store/responses.h"

#define DASH_CARD_ROWS	20	/* cards of a key field on the dashboard */
#define FIELD_CARD_ROWS	10000	/* cards of a key field on its own page */
#define CHART_BAR	48	/* px per city in the chart */
#define CHART_HEIGHT	160	/* px of the tallest bar */

/* A number given four times over: "6", "6.5" or "6.25" ("6,5" in L). */
static void
num4(struct buf *b, const struct lang *L, long x4)
{
	char	 s[RATING_NUMSZ], t[2 * RATING_NUMSZ];

	if (rating_quarters(s, sizeof(s), x4) == -1)
		assert(!"RATING_NUMSZ holds every value (base/rating.h)");
	buf_puts(b, i18n_number(L, s, t, sizeof(t)));
}

/* The words of a verdict in L. */
static const char *
verdict_words(const struct lang *L, enum stats_verdict v)
{
	switch (v) {
	case STATS_YES:
		return tr(L, "consensus");
	case STATS_NO:
		return tr(L, "no consensus");
	default:
		return tr(L, "too few answers");
	}
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
	int64_t				 field;	/* ?field=: its page; 0 */
	int				 now;	/* the campaign's round */
	int				 round;	/* of the statistics */
	struct stats			 st;
	/* The page's parameters but page=, for the pager's links. */
	char				 query[sizeof("round=1000000&"
					    "order=agreement")];
	char				 round_q[sizeof("&round=") + 12];
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

/*
 * The cards with a submitted version in d->cards, as the ratings show
 * them (a row only when it has a rating in the round shown). 0 or -1.
 */
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
		if (d->as.v[i].version == 0 ||
		    d->as.v[i].status == STORE_WITHDRAWN || (hit = bsearch(&key,
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

/* The head of a progress table whose first column is first. */
static void
progress_head(struct buf *b, const struct lang *L, const char *first)
{
	html_fmt(b, "<thead><tr><th scope=\"col\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n", first,
	    tr(L, "Assigned"), tr(L, "Draft"), tr(L, "Submitted"),
	    tr(L, "Progress"));
}

/* The row of a key field (field_id) or of an expert (expert_id). */
static void
progress_row(struct dash *d, const char *label, int64_t field_id,
    int64_t expert_id)
{
	const struct lang *L = d->ctx->lang;
	struct buf	*b = d->b;
	struct progress	 pr;
	char		 t[200];
	int		 n, done;

	progress_count(d->as.v, d->as.n, field_id, expert_id, &pr);
	n = pr.assigned;
	done = pr.submitted;
	html_fmt(b, "<tr><th scope=\"row\">%s</th>", label);
	html_fmt(b, "<td class=\"num\">%d</td><td class=\"num\">%d</td>"
	    "<td class=\"num\">%d</td>", n, pr.draft, done);
	html_fmt(b, "<td><progress id=\"p%s-%" PRId64 "\" max=\"%d\" "
	    "value=\"%d\" ", field_id != 0 ? "f" : "e", field_id != 0 ?
	    field_id : expert_id, n > 0 ? n : 1, done);
	html_fmt(b, "aria-label=\"%s: %s\">%s</progress> ", label,
	    tr(L, "submitted"), admin_trf(t, sizeof(t), tr(L, "%d of %d"),
	    done, n));
	html_fmt(b, "%s</td></tr>\n", admin_trf(t, sizeof(t),
	    tr(L, "%d of %d submitted"), done, n));
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
	admin_pager(d->b, d->ctx->lang, path, d->query, "progress-experts",
	    d->page, (int64_t)d->experts.n);
}

/* Who was reminded, who opted out or bounced: a line and a link. */
static int
mail_line(struct dash *d)
{
	const struct lang		*L = d->ctx->lang;
	struct store_mail_summary	 m;
	char				 t[300];

	if (store_mail_summary(d->ctx->store, d->c->id, &m) == -1)
		return -1;
	html_fmt(d->b, "<p id=\"mail-summary\">%s ", admin_trf(t, sizeof(t),
	    tr(L, "Reminded: %d experts (%d reminders sent); %d opted out "
	    "of reminders, %d addresses bounced."), m.reminded, m.reminders,
	    m.opted_out, m.bounced));
	html_fmt(d->b, "<a href=\"/admin/c/%s/mail\">%s</a></p>\n",
	    d->c->slug, tr(L, "Mail: who, when, and the send log"));
	return 0;
}

/* 0, or -1 (logged) when a label was cut: its size makes room for both. */
static int
progress(struct dash *d)
{
	const struct lang *L = d->ctx->lang;
	struct buf	*b = d->b;
	/* "code title" or "name (revoked)", each with its NUL */
	char		 label[STORE_CODE_MAX + STORE_NAME_MAX + 40];

	html_fmt(b, "<h2 id=\"progress\">%s</h2>\n<table "
	    "class=\"data\" id=\"progress-fields\"><caption>%s"
	    "</caption>\n", tr(L, "Progress"), tr(L, "Per key field"));
	progress_head(b, L, tr(L, "Key field"));
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
	html_fmt(b, "<table class=\"data\" id=\"progress-experts\">"
	    "<caption>%s</caption>\n", tr(L, "Per expert"));
	progress_head(b, L, tr(L, "Expert"));
	for (size_t i = (size_t)(d->page - 1) * ADMIN_PAGE_ROWS;
	    i < d->experts.n && i < (size_t)d->page * ADMIN_PAGE_ROWS; i++) {
		if (buf_fmt(label, sizeof(label), "%s%s", d->experts.v[i].name,
		    d->experts.v[i].revoked ? tr(L, " (revoked)") : "") ==
		    -1) {
			log_err("dashboard: label of expert %" PRId64 " cut",
			    d->experts.v[i].id);
			return -1;
		}
		progress_row(d, label, 0, d->experts.v[i].id);
	}
	html_raw(b, "</tbody></table>\n");
	return mail_line(d);
}

/* ---- ratings ---- */

/* The y of a rating x4 on the chart's scale 0..top. */
static int
chart_y(long x4, int top)
{
	return CHART_HEIGHT + 20 - (int)(x4 * CHART_HEIGHT / (4 * top));
}

/* The text alternative of a city's box: "Fr: median 7, Q1 6, ...". */
static void
box_desc(struct buf *b, const struct lang *L, const char *city,
    const struct stats_cell *c)
{
	char	 t[200];

	html_fmt(b, "%s: ", city);
	if (c->st.n == 0) {
		html_fmt(b, "%s ", tr(L, "no ratings."));
		return;
	}
	html_fmt(b, "%s ", tr(L, "median"));
	num4(b, L, c->st.medianx4);
	buf_puts(b, ", Q1 ");
	num4(b, L, c->st.q1x4);
	buf_puts(b, ", Q3 ");
	num4(b, L, c->st.q3x4);
	html_fmt(b, ", %s, %s. ", admin_trf(t, sizeof(t), trn(L,
	    "lowest %ld, highest %ld, %d rating", "lowest %ld, highest %ld, "
	    "%d ratings", (unsigned long)c->st.n), c->st.min, c->st.max,
	    (int)c->st.n), verdict_words(L, c->verdict));
}

/*
 * One city's box: a whisker from the lowest to the highest rating, a box
 * from Q1 to Q3, a thick line at the median; black on white, so it
 * prints; the median's value above it.
 */
static void
box(struct buf *b, const struct lang *L, int x, const struct stats_cell *c,
    int top)
{
	const struct rating_stats *st = &c->st;
	int	 mid = x + (CHART_BAR - 12) / 2, q3 = chart_y(st->q3x4, top);

	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#000000\"/>\n", mid, chart_y(st->max * 4, top), mid,
	    chart_y(st->min * 4, top));
	buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"#ffffff\" stroke=\"#000000\"/>\n", x, q3, CHART_BAR - 12,
	    chart_y(st->q1x4, top) - q3 + 1);
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#000000\" stroke-width=\"4\"/>\n", x,
	    chart_y(st->medianx4, top), x + CHART_BAR - 12,
	    chart_y(st->medianx4, top));
	buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
	    "fill=\"#000000\">", x, chart_y(st->max * 4, top) - 4);
	num4(b, L, st->medianx4);
	html_raw(b, "</text>\n");
}

/* Each city's median, quartiles and range of f, as boxes. */
static void
chart(struct dash *d, const struct stats_field *sf,
    const struct form_question *col)
{
	struct buf	*b = d->b;
	size_t		 nc = d->cities->n;
	int		 w = (int)nc * CHART_BAR + 40, h = CHART_HEIGHT + 50;
	int		 x, top = (int)col->max > 0 ? (int)col->max : 1;
	int64_t		 id = sf->field->id;
	char		 t[300];

	html_fmt(b, "<svg class=\"chart\" role=\"img\" aria-labelledby=\""
	    "chart-%" PRId64 " chart-%" PRId64 "-d\" xmlns=\"http://www.w3."
	    "org/2000/svg\" ", id, id);
	buf_printf(b, "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">",
	    w, h, w, h);
	html_fmt(b, "<title id=\"chart-%" PRId64 "\">%s</title>\n"
	    "<desc id=\"chart-%" PRId64 "-d\">", id, admin_trf(t, sizeof(t),
	    tr(d->ctx->lang, "Ratings per city, %s: median (thick line), Q1 "
	    "to Q3 (box), lowest to highest (whisker)"), sf->field->code), id);
	for (size_t i = 0; i < nc; i++)
		box_desc(b, d->ctx->lang, d->cities->codes[i],
		    &sf->cities[i]);
	buf_printf(b, "</desc>\n<line x1=\"30\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\" stroke=\"#000000\"/>\n<text x=\"2\" y=\"24\" "
	    "font-size=\"12\" fill=\"#000000\">%d</text>\n<text x=\"2\" "
	    "y=\"%d\" font-size=\"12\" fill=\"#000000\">0</text>\n",
	    CHART_HEIGHT + 20, w, CHART_HEIGHT + 20, top, CHART_HEIGHT + 20);
	for (size_t i = 0; i < nc; i++) {
		x = 36 + (int)i * CHART_BAR;
		if (sf->cities[i].st.n > 0)
			box(b, d->ctx->lang, x, &sf->cities[i], top);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
		    "fill=\"#000000\">", x, CHART_HEIGHT + 38);
		html_text(b, d->cities->codes[i]);
		html_raw(b, "</text>\n");
	}
	html_raw(b, "</svg>\n");
}

/* A key field's section, its table's caption and its head of cities. */
static void
field_head(struct dash *d, const struct store_field *f)
{
	const struct lang *L = d->ctx->lang;
	struct buf	*b = d->b;
	char		 t[300];

	/* By id: a code may hold a space, which an id may not. */
	html_fmt(b, "<section class=\"field-block\" id=\"f-%" PRId64 "\">\n",
	    f->id);
	html_fmt(b, "<h3>%s %s</h3>\n", f->code, f->title);
	html_fmt(b, "<p><a href=\"/admin/c/%s/final/%" PRId64 "\">%s</a></p>"
	    "\n<table class=\"data ratings\">\n", d->c->slug, f->id,
	    admin_trf(t, sizeof(t), tr(L, "Final card of %s"), f->code));
	html_fmt(b, "<caption>%s</caption>\n<thead><tr><th "
	    "scope=\"col\">%s</th>", admin_trf(t, sizeof(t), tr(L, "Rating "
	    "per city, %s (latest submitted version of each card)"), f->code),
	    tr(L, "Expert"));
	for (size_t i = 0; i < d->cities->n; i++)
		html_fmt(b, "<th scope=\"col\" class=\"num\"><abbr "
		    "title=\"%s\">%s</abbr></th>", d->cities->names[i],
		    d->cities->codes[i]);
	html_fmt(b, "<th scope=\"col\" class=\"num\">%s</th></tr>"
	    "</thead>\n<tbody>\n", tr(L, "Total"));
}

/* Key field fi's rating of city c by expert, from d's statistics. */
static const struct stats_vote *
vote_find(const struct dash *d, size_t fi, int64_t expert, size_t c)
{
	struct stats_vote	 key = { (uint32_t)fi, (uint32_t)c, expert, 0 };

	return d->st.nvotes == 0 ? NULL : bsearch(&key, d->st.votes,
	    d->st.nvotes, sizeof(*d->st.votes), stats_vote_cmp);
}

/* Has expert a rating of key field fi (an index of d->st.fields)? */
static bool
card_rated(const struct dash *d, size_t fi, int64_t expert_id)
{
	for (size_t c = 0; c < d->cities->n; c++)
		if (vote_find(d, fi, expert_id, c) != NULL)
			return true;
	return false;
}

/* A card's row: its expert, her rating of each city, and the total. */
static void
card_row(struct dash *d, size_t fi, const struct store_assignment_row *a,
    const char *name)
{
	struct buf		*b = d->b;
	const struct stats_vote	*v;
	long			 total = 0;

	html_fmt(b, "<tr><th scope=\"row\"><a href=\"/admin/r/%" PRId64
	    "\">%s</a></th>", a->response_id, name);
	for (size_t c = 0; c < d->cities->n; c++) {
		v = vote_find(d, fi, a->expert_id, c);
		if (v != NULL) {
			total += v->v;
			html_fmt(b, "<td class=\"num\">%ld</td>", v->v);
		} else
			html_raw(b, "<td class=\"num\">—</td>");
	}
	html_fmt(b, "<td class=\"num\">%ld</td></tr>\n", total);
}

/* Where the rows of f that were left out are: a last row. */
static void
cards_more(struct dash *d, const struct store_field *f, size_t shown,
    size_t n)
{
	const struct lang *L = d->ctx->lang;
	char		 t[300];

	html_fmt(d->b, "<tr><td colspan=\"%d\">%s ", (int)d->cities->n + 2,
	    admin_trf(t, sizeof(t), trn(L, "%d of %d card shown.",
	    "%d of %d cards shown.", n), (int)shown, (int)n));
	if (d->field == 0)
		html_fmt(d->b, "<a href=\"/admin/c/%s/dashboard?field=%" PRId64
		    "%s\">%s</a>", d->c->slug, f->id, d->round_q,
		    admin_trf(t, sizeof(t), tr(L, "All ratings of %s"),
		    f->code));
	else
		html_fmt(d->b, "%s", tr(L, "The CSV export has all of them."));
	html_raw(d->b, "</td></tr>\n");
}

/*
 * One row per submitted card of f, experts by name (at most
 * DASH_CARD_ROWS on the dashboard, FIELD_CARD_ROWS on f's own page).
 */
static void
field_cards(struct dash *d, size_t fi)
{
	const struct store_field *f = d->st.fields[fi].field;
	size_t	 k = 0, hi = d->ncards, mid, n = 0, cap;

	cap = d->field != 0 ? FIELD_CARD_ROWS : DASH_CARD_ROWS;
	while (k < hi) {	/* the first card of f */
		mid = k + (hi - k) / 2;
		if (d->cards[mid].field_id < f->id)
			k = mid + 1;
		else
			hi = mid;
	}
	for (; k < d->ncards && d->cards[k].field_id == f->id; k++) {
		const struct store_assignment_row *a = &d->as.v[d->cards[k].i];

		if (!card_rated(d, fi, a->expert_id))
			continue;	/* nothing submitted in this round */
		if (n++ < cap)
			card_row(d, fi, a,
			    d->experts.v[d->cards[k].place].name);
	}
	if (n == 0)
		html_fmt(d->b, "<tr><td colspan=\"%d\">%s</td></tr>\n",
		    (int)d->cities->n + 2, tr(d->ctx->lang,
		    "No submitted cards yet."));
	else if (n > cap)
		cards_more(d, f, cap, n);
}

/* The mark of a verdict: a symbol and its words, for eyes and readers. */
static void
verdict_mark(struct buf *b, const struct lang *L, enum stats_verdict v)
{
	static const char *const marks[] = { "·", "✗", "✓" };
	static const char *const classes[] = { "few", "no", "yes" };

	html_fmt(b, "<span class=\"verdict %s\" title=\"%s\">%s "
	    "<span class=\"words\">%s</span></span>", classes[v],
	    verdict_words(L, v), marks[v], verdict_words(L, v));
}

/* The rows under a key field's cards, and what each shows of a cell. */
enum stat_row { ROW_MEDIAN, ROW_QUARTILES, ROW_IQR, ROW_VERDICT, ROW__MAX };

/* The heading of a row in L. */
static const char *
stat_head(const struct lang *L, enum stat_row row)
{
	switch (row) {
	case ROW_MEDIAN:
		return tr(L, "Median");
	case ROW_QUARTILES:
		return "Q1 – Q3";
	case ROW_IQR:
		return tr(L, "IQR");
	default:
		return tr(L, "Consensus");
	}
}

static void
stat_cell(struct buf *b, const struct lang *L, const struct stats_cell *c,
    enum stat_row row)
{
	if (row == ROW_VERDICT) {
		html_raw(b, "<td>");
		verdict_mark(b, L, c->verdict);
		html_raw(b, "</td>");
		return;
	}
	html_raw(b, "<td class=\"num\">");
	if (c->st.n == 0)
		buf_puts(b, "—");
	else if (row == ROW_QUARTILES) {
		num4(b, L, c->st.q1x4);
		buf_puts(b, " – ");
		num4(b, L, c->st.q3x4);
	} else
		num4(b, L, row == ROW_MEDIAN ? c->st.medianx4 :
		    c->st.iqrx4);
	html_raw(b, "</td>");
}

/* The rows under f's cards: each city's and the total's statistics. */
static void
field_stats(struct dash *d, const struct stats_field *sf)
{
	struct buf	*b = d->b;

	html_raw(b, "</tbody>\n<tfoot>");
	for (int row = 0; row < ROW__MAX; row++) {
		if (row == ROW_MEDIAN)
			html_raw(b, "<tr class=\"median\">");
		else
			html_raw(b, "<tr>");
		html_fmt(b, "<th scope=\"row\">%s</th>", stat_head(d->ctx->lang,
		    (enum stat_row)row));
		for (size_t i = 0; i < d->cities->n; i++)
			stat_cell(b, d->ctx->lang, &sf->cities[i],
			    (enum stat_row)row);
		stat_cell(b, d->ctx->lang, &sf->total, (enum stat_row)row);
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</tfoot>\n</table>\n");
}

/*
 * A key field's ratings: the table, its statistics, the chart; without a
 * rating, the table alone (no empty rows of dashes, no empty chart: a
 * campaign of a thousand key fields not yet rated stays small).
 */
static void
ratings_field(struct dash *d, size_t fi, const struct form_question *col)
{
	const struct stats_field *sf = &d->st.fields[fi];

	field_head(d, sf->field);
	field_cards(d, fi);
	if (sf->total.st.n == 0) {
		html_raw(d->b, "</tbody>\n</table>\n</section>\n");
		return;
	}
	field_stats(d, sf);
	chart(d, sf, col);
	html_raw(d->b, "</section>\n");
}

/* The cards' ratings of each key field (the statistics' votes). */
static void
ratings(struct dash *d)
{
	const struct form_question *g = d->st.rating_grid;

	html_fmt(d->b, "<h2 id=\"ratings\">%s</h2>\n<p class=\"help\">%s"
	    "</p>\n", tr(d->ctx->lang, "Ratings per city"), tr(d->ctx->lang,
	    "One row per expert's latest submitted card; under them each "
	    "city's median, quartiles and IQR (Q3 − Q1) and whether the panel "
	    "agrees; under Total the same of the cards' totals."));
	if (g == NULL) {
		html_fmt(d->b, "<p>%s</p>\n", tr(d->ctx->lang,
		    "This form has no rating per city."));
		return;
	}
	for (size_t i = 0; i < d->st.nfields; i++)
		if (d->field == 0 || d->st.fields[i].field->id == d->field)
			ratings_field(d, i, &g->columns[0]);
}

/* ---- the heatmap ---- */

/* The cell of a key field x sector: its median level and count. */
static void
heat_cell(struct dash *d, const struct stats_levels *l,
    const struct form_question *col, int top)
{
	struct buf	*b = d->b;

	if (l->n == 0) {
		html_raw(b, "<td class=\"lvl-none\">—</td>");
		return;
	}
	html_fmt(b, "<td class=\"lvl-%d\">%s (%d)</td>",
	    (int)l->median * 3 / top, form_text(d->form,
	    col->options[l->median].label, i18n_code(d->ctx->lang)),
	    (int)l->n);
}

static void
heatmap(struct dash *d)
{
	const struct form_question *g = d->st.sector_grid, *col = d->st.level;
	const struct lang *L = d->ctx->lang;
	const char	*code = i18n_code(L);
	struct buf	*b = d->b;
	int		 top;

	html_fmt(b, "<h2 id=\"sectors\">%s</h2>\n",
	    tr(L, "Relevance to industrial sectors"));
	if (g == NULL) {
		html_fmt(b, "<p>%s</p>\n", tr(L, "This form has no sector "
		    "grid."));
		return;
	}
	top = col->noptions > 1 ? (int)col->noptions - 1 : 1;
	html_fmt(b, "<p class=\"legend\">%s ", tr(L, "Median answer of the "
	    "submitted cards, count of answers in brackets. Levels:"));
	for (size_t i = 0; i < col->noptions; i++)
		html_fmt(b, "<span class=\"lvl-%d\">%s</span> ",
		    (int)i * 3 / top, form_text(d->form, col->options[i].label,
		    code));
	html_fmt(b, "</p>\n<table class=\"data heatmap\">\n<caption>%s"
	    "</caption>\n<thead><tr><th scope=\"col\">%s</th>",
	    tr(L, "Sector relevance per key field"), tr(L, "Key field"));
	for (size_t r = 0; r < g->nrows; r++)
		html_fmt(b, "<th scope=\"col\">%s</th>", form_text(d->form,
		    g->rows[r].label, code));
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < d->st.nfields; i++) {
		html_fmt(b, "<tr><th scope=\"row\">%s</th>",
		    d->st.fields[i].field->code);
		for (size_t r = 0; r < g->nrows; r++)
			heat_cell(d, &d->st.fields[i].sectors[r], col, top);
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</tbody></table>\n");
}

/* ---- the overview: key fields x cities, sortable ---- */

enum order { ORDER_CODE, ORDER_TOTAL, ORDER_AGREEMENT, ORDER__MAX };
static const char *const order_names[] = { "code", "total", "agreement" };
_Static_assert(sizeof(order_names) / sizeof(order_names[0]) == ORDER__MAX,
    "one name per order");

/* The name of an order in L ("agreement"). */
static const char *
order_label(const struct lang *L, enum order o)
{
	switch (o) {
	case ORDER_TOTAL:
		return tr(L, "total");
	case ORDER_AGREEMENT:
		return tr(L, "agreement");
	default:
		return tr(L, "code");
	}
}

/* A key field's place in the overview: its index and sort keys. */
struct place {
	size_t	 i;
	long	 k1, k2;
};

static int
cmp_place(const void *a, const void *b)
{
	const struct place	*x = a, *y = b;

	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 < y->k2 ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * The order of the key fields: by code (as stored), by the median total
 * (highest first, none last), or by agreement (most cities with
 * consensus first, then the smallest sum of IQRs).
 */
static void
places(const struct stats *st, enum order o, struct place *v)
{
	for (size_t i = 0; i < st->nfields; i++) {
		const struct stats_field *f = &st->fields[i];

		v[i] = (struct place){ i, 0, 0 };
		if (o == ORDER_TOTAL)
			v[i].k1 = f->total.st.n > 0 ? -f->total.st.medianx4 :
			    LONG_MAX;
		for (size_t c = 0; o == ORDER_AGREEMENT && c < st->ncities;
		    c++) {
			v[i].k1 -= f->cities[c].verdict == STATS_YES;
			v[i].k2 += f->cities[c].st.n > 0 ?
			    f->cities[c].st.iqrx4 : 4 * 1000;
		}
	}
	qsort(v, st->nfields, sizeof(*v), cmp_place);
}

/* One cell: "7 (IQR 1)" and the verdict's mark. */
static void
overview_cell(struct buf *b, const struct lang *L, const struct stats_cell *c)
{
	if (c->st.n == 0) {
		html_raw(b, "<td class=\"num\">— ");
		verdict_mark(b, L, c->verdict);
		html_raw(b, "</td>");
		return;
	}
	html_raw(b, "<td class=\"num\">");
	num4(b, L, c->st.medianx4);
	html_fmt(b, " (%s ", tr(L, "IQR"));
	num4(b, L, c->st.iqrx4);
	buf_puts(b, ") ");
	verdict_mark(b, L, c->verdict);
	html_raw(b, "</td>");
}

/* A link that sorts the overview by o; marked when it is the order now. */
static void
order_link(struct dash *d, enum order o, enum order now, const char *label)
{
	html_fmt(d->b, "<a href=\"/admin/c/%s/dashboard?order=%s", d->c->slug,
	    order_names[o]);
	if (d->round != d->now)
		html_fmt(d->b, "&amp;round=%d", d->round);
	html_raw(d->b, "#overview\"");
	if (o == now)
		html_raw(d->b, " aria-current=\"true\"");
	html_fmt(d->b, ">%s</a>", label);
}

/* The column heads; Key field and Total sort by themselves. */
static void
overview_head(struct dash *d, enum order now)
{
	const struct lang *L = d->ctx->lang;
	struct buf	*b = d->b;

	html_raw(b, "<thead><tr><th scope=\"col\">");
	order_link(d, ORDER_CODE, now, tr(L, "Key field"));
	html_raw(b, "</th>");
	for (size_t i = 0; i < d->cities->n; i++)
		html_fmt(b, "<th scope=\"col\" class=\"num\"><abbr "
		    "title=\"%s\">%s</abbr></th>", d->cities->names[i],
		    d->cities->codes[i]);
	html_raw(b, "<th scope=\"col\" class=\"num\">");
	order_link(d, ORDER_TOTAL, now, tr(L, "Total"));
	html_raw(b, "</th></tr></thead>\n<tbody>\n");
}

/* The table a coordinator reads first. 0, or -1 out of memory. */
static int
overview(struct dash *d, enum order o)
{
	const struct lang *L = d->ctx->lang;
	struct buf	*b = d->b;
	struct place	*v;
	char		 t[300];

	if ((v = calloc(d->st.nfields + 1, sizeof(*v))) == NULL)
		return -1;
	places(&d->st, o, v);
	html_fmt(b, "<h2 id=\"overview\">%s</h2>\n<p class=\"help\">%s ",
	    tr(L, "Overview"), admin_trf(t, sizeof(t), tr(L, "Each city's "
	    "median rating with its IQR (Q3 − Q1), and whether the panel "
	    "agrees: ✓ consensus, ✗ no consensus, · too few answers (the "
	    "rule: %d or more ratings, IQR at most"), d->st.rule.min_n));
	num4(b, L, d->st.rule.iqrx4);
	if (d->st.rule.within_pct > 0)
		html_fmt(b, ", %s", admin_trf(t, sizeof(t), tr(L, "%d%% within "
		    "1 of the median"), d->st.rule.within_pct));
	html_fmt(b, "). %s ", tr(L, "Sort by"));
	order_link(d, ORDER_AGREEMENT, o, order_label(L, ORDER_AGREEMENT));
	html_fmt(b, ".</p>\n<table class=\"data overview\">\n<caption>%s"
	    "</caption>\n", admin_trf(t, sizeof(t), tr(L, "Median (IQR) per "
	    "key field and city, round %d, sorted by %s"), d->st.round,
	    order_label(L, o)));
	overview_head(d, o);
	for (size_t k = 0; k < d->st.nfields; k++) {
		const struct stats_field *f = &d->st.fields[v[k].i];

		html_fmt(b, "<tr><th scope=\"row\"><a href=\"#f-%" PRId64 "\">"
		    "%s</a> %s</th>", f->field->id, f->field->code,
		    f->field->title);
		for (size_t c = 0; c < d->cities->n; c++)
			overview_cell(b, d->ctx->lang, &f->cities[c]);
		overview_cell(b, d->ctx->lang, &f->total);
		html_raw(b, "</tr>\n");
	}
	html_raw(b, "</tbody></table>\n");
	free(v);
	return 0;
}

/* ?order=: absent is by code; anything else it does not know, -1. */
static int
order_param(const struct admin_ctx *ctx)
{
	const char	*v = req_field(ctx->req, "order");

	if (v == NULL)
		return ORDER_CODE;
	for (int i = 0; i < ORDER__MAX; i++)
		if (strcmp(v, order_names[i]) == 0)
			return i;
	return -1;
}

/* What d's statistics are of, up to round: 0 or -1. */
static int
dash_input(struct dash *d, int round, struct stats_input *in)
{
	memset(in, 0, sizeof(*in));
	in->form = d->form;
	in->cities = d->cities->v;
	in->ncities = d->cities->n;
	in->fields = d->fields.v;
	in->nfields = d->fields.n;
	in->round = round;
	return stats_rule_load(d->ctx->store, d->c->id, &in->rule);
}

/* The statistics of d's campaign, into d->st: 0 or -1. */
static int
dash_stats(struct dash *d)
{
	struct stats_input	 in;

	if (dash_input(d, d->round, &in) == -1)
		return -1;
	return stats_compute(d->ctx->store, d->c->id, &in, &d->st);
}

/* ---- Delphi rounds ---- */

/* From round 2 on, links to the statistics of each round. */
static void
round_nav(struct dash *d)
{
	if (d->now < 2)
		return;
	html_fmt(d->b, "<nav class=\"rounds\" aria-label=\"%s\"><p>%s",
	    tr(d->ctx->lang, "Round of the statistics"), tr(d->ctx->lang,
	    "Statistics of round:"));
	for (int k = 1; k <= d->now; k++) {
		html_fmt(d->b, " <a href=\"/admin/c/%s/dashboard?round=%d",
		    d->c->slug, k);
		if (d->field != 0)
			html_fmt(d->b, "&amp;field=%" PRId64, d->field);
		html_raw(d->b, "\"");
		if (k == d->round)
			html_raw(d->b, " aria-current=\"page\"");
		html_fmt(d->b, ">%d%s</a>", k, k == d->now ?
		    tr(d->ctx->lang, " (now)") : "");
	}
	html_raw(d->b, "</p></nav>\n");
}

/* A stability row: a city's (c) or the total's (c == ncities). */
static void
stability_row(struct dash *d, const struct stats_history *h, size_t f,
    size_t c)
{
	struct buf			*b = d->b;
	const struct stats_moves	*m;
	bool				 total = c == d->cities->n;
	char				 t[64];

	html_fmt(b, "<tr><th scope=\"row\">%s %s</th>",
	    d->fields.v[f].code, total ? tr(d->ctx->lang, "Total") :
	    d->cities->codes[c]);
	for (int k = 1; k <= h->nrounds; k++) {
		if (k > 1 && total)
			html_raw(b, "<td class=\"num\">—</td>");
		else if (k > 1) {
			m = stats_history_moves(h, k, f, c);
			html_fmt(b, "<td class=\"num\">%s</td>",
			    admin_trf(t, sizeof(t), tr(d->ctx->lang,
			    "%d of %d"), (int)m->changed, (int)m->compared));
		}
		overview_cell(b, d->ctx->lang, total ?
		    &h->rounds[k - 1].fields[f].total :
		    &h->rounds[k - 1].fields[f].cities[c]);
	}
	html_raw(b, "</tr>\n");
}

/*
 * From round 2 on: per key field x city, the median, IQR and verdict of
 * each round and how many experts changed their rating between rounds
 * (of those who rated it in both). Key fields never rated are left out.
 */
static int
stability(struct dash *d)
{
	const struct lang	*L = d->ctx->lang;
	struct buf		*b = d->b;
	struct stats_input	 in;
	struct stats_history	 h;
	char			 t[200];

	if (d->now < 2)
		return 0;
	if (dash_input(d, d->now, &in) == -1 ||
	    stats_history_load(d->ctx->store, d->c->id, &in, &h) == -1)
		return -1;
	html_fmt(b, "<h2 id=\"stability\">%s</h2>\n<p class=\"help\">%s</p>\n"
	    "<table class=\"data stability\">\n<caption>%s</caption>\n",
	    tr(L, "Stability across rounds"), tr(L, "Each round's median "
	    "(IQR) and verdict; between two rounds, how many experts changed "
	    "their rating, of those who rated it in both (each expert's "
	    "latest card of each round)."), tr(L, "Median (IQR) per round and "
	    "changes between rounds"));
	html_fmt(b, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" "
	    "class=\"num\">%s</th>", tr(L, "Key field, city"),
	    admin_trf(t, sizeof(t), tr(L, "Round %d"), 1));
	for (int k = 2; k <= h.nrounds; k++) {
		html_fmt(b, "<th scope=\"col\" class=\"num\">%s</th>",
		    admin_trf(t, sizeof(t), tr(L, "Changed, round %d to %d"),
		    k - 1, k));
		html_fmt(b, "<th scope=\"col\" class=\"num\">%s</th>",
		    admin_trf(t, sizeof(t), tr(L, "Round %d"), k));
	}
	html_raw(b, "</tr></thead>\n<tbody>\n");
	for (size_t f = 0; f < h.nfields; f++) {
		bool rated = false;

		for (int k = 0; k < h.nrounds; k++)
			rated |= h.rounds[k].fields[f].total.st.n > 0;
		for (size_t c = 0; rated && c <= d->cities->n; c++)
			stability_row(d, &h, f, c);
	}
	html_raw(b, "</tbody></table>\n");
	stats_history_free(&h);
	return 0;
}

/*
 * The round now and, for an owner, the form that starts the next: its
 * box must be ticked (the confirmation, without a script).
 */
static void
rounds(struct dash *d)
{
	const struct lang *L = d->ctx->lang;
	struct buf	*b = d->b;
	int		 now = d->st.round;
	char		 t[400];

	html_fmt(b, "<h2 id=\"rounds\">%s</h2>\n<p>%s</p>\n",
	    tr(L, "Delphi rounds"), admin_trf(t, sizeof(t), tr(L, "The "
	    "campaign is in round %d. The statistics above are those of round "
	    "%d: the latest card of each expert submitted in it."), now, now));
	if (!admin_can_change(d->ctx))
		return;
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/round\">",
	    d->c->slug);
	admin_csrf(b, d->ctx);
	html_fmt(b, "<p><input type=\"checkbox\" id=\"round-sure\" "
	    "name=\"sure\" value=\"%d\" required> <label for=\""
	    "round-sure\">%s</label></p>\n", now, admin_trf(t, sizeof(t),
	    tr(L, "Close round %d for good: its statistics are kept as they "
	    "are, and every submitted card becomes a draft of round %d "
	    "holding its answers, for its expert to reconsider beside the "
	    "panel's."), now, now + 1));
	html_fmt(b, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
	    admin_trf(t, sizeof(t), tr(L, "Start round %d"), now + 1));
}

int
admin_round_start(struct admin_ctx *ctx, struct page *p, const char *slug)
{
	struct store_campaign	 c;
	struct round_started	 r;
	const char		*problem, *sure = req_field(ctx->req, "sure");
	char			 href[sizeof("/admin/c//dashboard#rounds") +
				    STORE_CODE_MAX];
	int			 rc, now;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if (store_round_now(ctx->store, c.id, &now) == -1)
		return -1;
	/* "sure" names the round it closes: a second press does not close
	   the next. */
	if (sure == NULL || strtol(sure, NULL, 10) != now)
		return admin_error(p, ctx, 422, tr(ctx->lang, "Not confirmed"),
		    tr(ctx->lang, "Tick the box that closes the round now, "
		    "then press Start again."));
	if ((rc = round_start(ctx->store, slug, ctx->actor, &r,
	    &problem)) == -1)
		return -1;
	if (rc == 1)
		return admin_error(p, ctx, 409, tr(ctx->lang,
		    "Round not started"), problem);
	rc = buf_fmt(href, sizeof(href), "/admin/c/%s/dashboard#rounds", slug);
	assert(rc == 0);	/* href holds the longest slug */
	return page_redirect(p, href);
}

/* Load what the dashboard draws into d: 0, 1 (a page made), or -1. */
static int
dash_load(struct dash *d, struct page *p)
{
	struct admin_ctx	*ctx = d->ctx;
	int64_t			 id = d->c->id;

	if ((d->form = admin_form(ctx, d->c->form_id)) == NULL)
		return admin_error(p, ctx, 503, tr(ctx->lang, "Form not "
		    "loaded"), tr(ctx->lang, "This campaign's form was "
		    "imported after the console started; it is loaded at the "
		    "next restart.")) == -1 ? -1 : 1;
	if (admin_cities_load(ctx, id, d->cities) != 0 ||
	    admin_fields_load(ctx, id, &d->fields) == -1 ||
	    (d->as.v = store_assignments(ctx->store, id,
	    ADMIN_ASSIGNMENTS_MAX, &d->as.n)) == NULL ||
	    store_experts(ctx->store, id, expert_cb, &d->experts) != 0 ||
	    cards_order(d) == -1 || store_round_now(ctx->store, id,
	    &d->now) == -1)
		return -1;
	if (d->round > d->now)
		return admin_error(p, ctx, 404, tr(ctx->lang, "No such "
		    "round"), tr(ctx->lang, "This campaign has not reached "
		    "this round.")) == -1 ? -1 : 1;
	if (d->round == 0)
		d->round = d->now;
	if (dash_stats(d) == -1)
		return -1;
	if (d->page > 1 && (size_t)(d->page - 1) * ADMIN_PAGE_ROWS >=
	    d->experts.n)
		return admin_error(p, ctx, 404, tr(ctx->lang, "No such "
		    "page"), tr(ctx->lang, "This campaign has fewer experts "
		    "than this page would show.")) == -1 ? -1 : 1;
	return 0;
}

/* The page's heading and what campaign it is of. */
static void
dash_head(struct dash *d)
{
	const struct lang *L = d->ctx->lang;
	char		 t[300];

	html_fmt(d->b, "<h1>%s</h1>\n", admin_trf(t, sizeof(t),
	    tr(L, "Dashboard: %s"), d->c->title));
	html_fmt(d->b, "<p class=\"meta\">%s · %s · ", admin_trf(t, sizeof(t),
	    tr(L, "Campaign %s"), d->c->slug), d->c->open ? tr(L, "open") :
	    tr(L, "closed"));
	html_fmt(d->b, "<a href=\"/admin/c/%s\">%s</a></p>\n", d->c->slug,
	    tr(L, "set-up and downloads"));
}

/*
 * d->query: the round and the order the page was asked for (d->round
 * before dash_load fills in the round now; order NULL when not asked).
 */
static void
dash_query(struct dash *d, const char *order)
{
	int	 rc = 0;

	d->query[0] = '\0';
	if (d->round > 0)
		rc = buf_fmt(d->query, sizeof(d->query), "round=%d%s", d->round,
		    order != NULL ? "&" : "");
	if (rc == 0 && order != NULL)
		rc = buf_fmt(d->query + strlen(d->query), sizeof(d->query) -
		    strlen(d->query), "order=%s", order);
	/* query holds the longest round and order: nothing can be cut. */
	assert(rc == 0);
	(void)rc;
}

/*
 * ?field=ID: the key field whose ratings alone the page shows, one of the
 * campaign's (d->st loaded): 0, or 1 after a 404 page.
 */
static int
field_param(struct dash *d, struct page *p)
{
	const char	*v = req_field(d->ctx->req, "field");
	int64_t		 id = 0;

	if (v == NULL)
		return 0;
	if (page_parse_id(&v, &id) && *v == '\0')
		for (size_t i = 0; i < d->st.nfields; i++)
			if (d->st.fields[i].field->id == id) {
				d->field = id;
				return 0;
			}
	return admin_error(p, d->ctx, 404, tr(d->ctx->lang, "No such key "
	    "field"), tr(d->ctx->lang, "This campaign has no such key "
	    "field.")) == -1 ? -1 : 1;
}

/* The page of one key field's ratings (?field=), or the dashboard. */
static int
dash_body(struct dash *d, enum order order)
{
	if (d->field != 0) {
		html_fmt(d->b, "<p><a href=\"/admin/c/%s/dashboard?round=%d\">"
		    "%s</a></p>\n", d->c->slug, d->round, tr(d->ctx->lang,
		    "Back to the dashboard"));
		round_nav(d);
		ratings(d);
		return 0;
	}
	round_nav(d);
	if (overview(d, order) == -1 || stability(d) == -1 ||
	    progress(d) == -1)
		return -1;
	ratings(d);
	heatmap(d);
	rounds(d);
	return 0;
}

int
admin_dashboard(struct admin_ctx *ctx, struct page *p, const char *slug)
{
	struct store_campaign	 c;
	struct dash		 d;
	int			 rc, order;

	memset(&d, 0, sizeof(d));
	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0 ||
	    (rc = admin_page_param(ctx, p, &d.page)) != 0 ||
	    (rc = admin_round_param(ctx, p, &d.round)) != 0)
		return rc == 1 ? 0 : -1;
	if ((order = order_param(ctx)) == -1)
		return admin_error(p, ctx, 400, tr(ctx->lang, "No such order"),
		    tr(ctx->lang, "The overview is sorted by code, total or "
		    "agreement."));
	dash_query(&d, req_field(ctx->req, "order") != NULL ?
	    order_names[order] : NULL);
	if ((d.cities = calloc(1, sizeof(*d.cities))) == NULL)
		return -1;
	d.ctx = ctx;
	d.b = &p->body;
	d.c = &c;
	if ((rc = dash_load(&d, p)) == 0 && (rc = field_param(&d, p)) == 0) {
		/* round_q holds "&round=" and any int (html_fmt escapes it). */
		(void)buf_fmt(d.round_q, sizeof(d.round_q), "&round=%d",
		    d.round);
		admin_begin(p, ctx, c.title);
		dash_head(&d);
		if (dash_body(&d, (enum order)order) == -1)
			rc = -1;
		else {
			admin_end(p);
			rc = buf_failed(d.b) ? -1 : 0;
		}
	} else if (rc == 1)
		rc = 0;
	free(d.cities);
	free(d.cards);
	free(d.experts.v);
	admin_fields_free(&d.fields);
	free(d.as.v);
	stats_free(&d.st);
	return rc;
}
