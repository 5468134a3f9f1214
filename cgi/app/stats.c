/*
 * stats: the panel's judgement of a campaign (see stats.h). The values
 * of one question are read once, as points (key field, row, expert,
 * value), sorted once, and every cell is one run of the sorted points:
 * the cost grows with the number of answers, not with fields x answers.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/campaign.h"
#include "app/page.h"
#include "app/stats.h"
#include "app/view.h"
#include "base/buf.h"
#include "base/form.h"
#include "base/log.h"
#include "store/campaigns.h"
#include "store/consensus.h"
#include "store/responses.h"
#include "store/rounds.h"

#define STATS_POINTS_MAX	4000000	/* values read for one question */
#define STATS_FIELDS_MAX	100000	/* key fields of one campaign */

/* The field indexes by id, for the values' field_id. */
struct field_ix {
	int64_t		 id;
	uint32_t	 i;
};

/* The points of one question being read. */
struct points {
	const struct field_ix	*ix;
	size_t			 nix;
	const struct form_row	*rows;
	size_t			 nrows;
	const struct form_question *q;	/* scale or choice */
	struct stats_vote	*v;
	size_t			 n, cap;
};

static int
cmp_ix(const void *a, const void *b)
{
	const struct field_ix	*x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* By field, row, value: a cell's ratings are one sorted run. */
static int
cmp_cell(const void *a, const void *b)
{
	const struct stats_vote	*x = a, *y = b;

	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->v > y->v) - (x->v < y->v);
}

/* By field, expert: a card's ratings are one run. */
static int
cmp_card(const void *a, const void *b)
{
	const struct stats_vote	*x = a, *y = b;

	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	return (x->expert > y->expert) - (x->expert < y->expert);
}

/* The value of an answer: a rating on the scale, or an option's index. */
static bool
point_value(const struct form_question *q, const char *s, long *out)
{
	if (q->type == FORM_SCALE)
		return rating_parse(s, q->min, q->max, out);
	for (size_t i = 0; i < q->noptions; i++)
		if (strcmp(q->options[i].value, s) == 0) {
			*out = (long)i;
			return true;
		}
	return false;
}

static int
point_add(void *arg, const struct store_value_row *r)
{
	struct points		*ps = arg;
	struct field_ix		 key = { r->field_id, 0 };
	const struct field_ix	*f;
	struct stats_vote		 p = { 0 };
	struct stats_vote		*nv;
	size_t			 row;

	f = bsearch(&key, ps->ix, ps->nix, sizeof(*ps->ix), cmp_ix);
	for (row = 0; row < ps->nrows; row++)
		if (strcmp(ps->rows[row].key, r->row) == 0)
			break;
	if (f == NULL || row == ps->nrows || !point_value(ps->q, r->value,
	    &p.v))
		return 0;	/* a field, row or value the input lacks */
	if (ps->n == ps->cap) {
		if (ps->cap == STATS_POINTS_MAX) {
			log_err("stats: more than %d values of a question",
			    STATS_POINTS_MAX);
			return -1;
		}
		ps->cap = ps->cap ? ps->cap * 2 : 1024;
		if ((nv = reallocarray(ps->v, ps->cap, sizeof(*nv))) == NULL) {
			log_err("stats: %s", strerror(errno));
			return -1;
		}
		ps->v = nv;
	}
	p.field = f->i;
	p.row = (uint32_t)row;
	p.expert = r->expert_id;
	ps->v[ps->n++] = p;
	return 0;
}

/* Read the points of grid g's column col: 0, or -1 (logged). */
static int
points_read(struct store *s, int64_t campaign_id, int round,
    const struct form_question *g, const struct form_question *col,
    struct points *ps)
{
	char	 q[2 * FORM_KEY_MAX + 2];

	if (buf_fmt(q, sizeof(q), "%s.%s", g->key, col->key) == -1) {
		log_err("stats: question key %s.%s cut", g->key, col->key);
		return -1;
	}
	ps->q = col;
	ps->n = 0;
	if (store_values_any(s, campaign_id, round, q, point_add, ps) != 0)
		return -1;
	return 0;
}

enum stats_verdict
stats_judge(const struct stats_rule *r, const long *v,
    const struct rating_stats *st, size_t *within)
{
	size_t	 k = 0;

	for (size_t i = 0; i < st->n; i++)
		if (labs(4 * v[i] - st->medianx4) <= 4)
			k++;
	*within = k;
	if (st->n < (size_t)r->min_n)
		return STATS_FEW;
	if (st->iqrx4 > r->iqrx4)
		return STATS_NO;
	if (r->within_pct > 0 && 100 * k < (size_t)r->within_pct * st->n)
		return STATS_NO;
	return STATS_YES;
}

/* The statistics and verdict of the n ratings v (sorted in place). */
static void
cell_fill(const struct stats_rule *r, long *v, size_t n,
    struct stats_cell *out)
{
	memset(out, 0, sizeof(*out));
	out->verdict = STATS_FEW;
	if (rating_stats(v, n, &out->st))
		out->verdict = stats_judge(r, v, &out->st, &out->within);
}

/* Sort ps by cmp; no points may be a NULL, which qsort must not get. */
static void
points_sort(struct points *ps, int (*cmp)(const void *, const void *))
{
	if (ps->n > 0)
		qsort(ps->v, ps->n, sizeof(*ps->v), cmp);
}

/*
 * The cells of the ratings: ps sorted by cell, each run of a field x
 * city one cell. vals is scratch room for ps->n values.
 */
static void
cities_fill(struct stats *out, struct points *ps, long *vals)
{
	size_t	 i = 0, j, k;

	points_sort(ps, cmp_cell);
	while (i < ps->n) {
		for (j = i, k = 0; j < ps->n && ps->v[j].field == ps->v[i].field
		    && ps->v[j].row == ps->v[i].row; j++)
			vals[k++] = ps->v[j].v;
		cell_fill(&out->rule, vals, k,
		    &out->fields[ps->v[i].field].cities[ps->v[i].row]);
		i = j;
	}
}

/* The verdict of a card's total: from its cities' (see stats.h). */
static enum stats_verdict
total_verdict(const struct stats_field *f, size_t ncities)
{
	enum stats_verdict	 v = STATS_YES;

	for (size_t c = 0; c < ncities; c++)
		if (f->cities[c].verdict == STATS_NO)
			return STATS_NO;
		else if (f->cities[c].verdict == STATS_FEW)
			v = STATS_FEW;
	return ncities > 0 ? v : STATS_FEW;
}

/*
 * The totals: ps sorted by card, each run one card's sum, the sums of a
 * field one cell. vals is scratch room for ps->n values.
 */
static void
totals_fill(struct stats *out, struct points *ps, long *vals)
{
	size_t	 i = 0, k = 0;
	uint32_t field;
	int64_t	 expert;
	long	 sum;

	points_sort(ps, cmp_card);
	while (i < ps->n) {
		field = ps->v[i].field;
		expert = ps->v[i].expert;
		for (sum = 0; i < ps->n && ps->v[i].field == field &&
		    ps->v[i].expert == expert; i++)
			sum += ps->v[i].v;
		vals[k++] = sum;
		if (i == ps->n || ps->v[i].field != field) {
			cell_fill(&out->rule, vals, k,
			    &out->fields[field].total);
			k = 0;
		}
	}
	for (size_t f = 0; f < out->nfields; f++)
		out->fields[f].total.verdict = out->fields[f].total.st.n > 0 ?
		    total_verdict(&out->fields[f], out->ncities) : STATS_FEW;
}

/* The levels of each key field x sector: ps sorted by cell, a run each. */
static void
sectors_fill(struct stats *out, struct points *ps)
{
	struct stats_levels	*l;
	size_t			 i = 0, j;

	points_sort(ps, cmp_cell);
	while (i < ps->n) {
		l = &out->fields[ps->v[i].field].sectors[ps->v[i].row];
		for (j = i; j < ps->n && ps->v[j].field == ps->v[i].field &&
		    ps->v[j].row == ps->v[i].row; j++)
			l->count[ps->v[j].v]++;
		l->n = j - i;
		/* The lower median: an option, never between two. */
		l->median = ps->v[i + (l->n - 1) / 2].v;
		i = j;
	}
}

/* The cells of out, empty: 0, or -1 (logged). */
static int
stats_alloc(struct stats *out, const struct stats_input *in)
{
	size_t	 nlevels = out->level != NULL ? out->level->noptions : 0;

	if ((out->fields = calloc(in->nfields ? in->nfields : 1,
	    sizeof(*out->fields))) == NULL)
		goto fail;
	for (size_t f = 0; f < in->nfields; f++) {
		struct stats_field *sf = &out->fields[f];

		sf->field = &in->fields[f];
		sf->total.verdict = STATS_FEW;
		if ((sf->cities = calloc(in->ncities ? in->ncities : 1,
		    sizeof(*sf->cities))) == NULL ||
		    (sf->sectors = calloc(out->nsectors ? out->nsectors : 1,
		    sizeof(*sf->sectors))) == NULL)
			goto fail;
		for (size_t c = 0; c < in->ncities; c++)
			sf->cities[c].verdict = STATS_FEW;
		for (size_t r = 0; r < out->nsectors; r++) {
			sf->sectors[r].median = -1;
			if ((sf->sectors[r].count = calloc(nlevels ? nlevels :
			    1, sizeof(size_t))) == NULL)
				goto fail;
		}
	}
	return 0;
fail:
	log_err("stats: %s", strerror(errno));
	return -1;
}

/* The field indexes sorted by id: a new array, or NULL (logged). */
static struct field_ix *
field_index(const struct stats_input *in)
{
	struct field_ix	*ix;

	if ((ix = calloc(in->nfields ? in->nfields : 1, sizeof(*ix))) ==
	    NULL) {
		log_err("stats: %s", strerror(errno));
		return NULL;
	}
	for (size_t i = 0; i < in->nfields; i++)
		ix[i] = (struct field_ix){ in->fields[i].id, (uint32_t)i };
	qsort(ix, in->nfields, sizeof(*ix), cmp_ix);
	return ix;
}

/* The ratings' cells and totals, then the sectors' levels: 0 or -1. */
static int
stats_read(struct store *s, int64_t campaign_id,
    const struct stats_input *in, struct stats *out, struct points *ps)
{
	long	*vals;

	if (out->rating_grid != NULL) {
		ps->rows = in->cities;
		ps->nrows = in->ncities;
		if (points_read(s, campaign_id, in->round, out->rating_grid,
		    out->rating, ps) == -1)
			return -1;
		if ((vals = calloc(ps->n ? ps->n : 1, sizeof(*vals))) == NULL) {
			log_err("stats: %s", strerror(errno));
			return -1;
		}
		cities_fill(out, ps, vals);
		totals_fill(out, ps, vals);
		free(vals);
		/* The ratings are the stats' votes now; the sectors read anew. */
		out->votes = ps->v;
		out->nvotes = ps->n;
		ps->v = NULL;
		ps->n = ps->cap = 0;
		if (out->nvotes > 0)
			qsort(out->votes, out->nvotes, sizeof(*out->votes),
			    stats_vote_cmp);
	}
	if (out->sector_grid != NULL) {
		ps->rows = out->sector_grid->rows;
		ps->nrows = out->sector_grid->nrows;
		if (points_read(s, campaign_id, in->round, out->sector_grid,
		    out->level, ps) == -1)
			return -1;
		sectors_fill(out, ps);
	}
	return 0;
}

/*
 * The cache: the last STATS_CACHE_MAX statistics computed, each with
 * what it was computed of. Its fields' field pointers are NULL (they
 * were the caller's); a copy out points them at the new caller's.
 */
struct cached {
	bool			 used;
	int64_t			 campaign_id;
	struct store_data_stamp	 stamp;
	char			*form_name;	/* and its version */
	int			 form_version;
	struct stats_rule	 rule;
	int			 round;
	size_t			 ncities;
	int64_t			*field_ids;	/* [st.nfields] */
	struct stats		 st;
};
static struct cached	 cache[STATS_CACHE_MAX];
static size_t		 cache_next;

static bool
cached_is(const struct cached *c, int64_t campaign_id,
    const struct store_data_stamp *stamp, const struct stats_input *in)
{
	if (!c->used || c->campaign_id != campaign_id ||
	    c->stamp.handle != stamp->handle || c->stamp.gen != stamp->gen ||
	    strcmp(c->form_name, in->form->name) != 0 ||
	    c->form_version != in->form->version || c->round != in->round ||
	    c->ncities != in->ncities || c->st.nfields != in->nfields ||
	    c->rule.iqrx4 != in->rule.iqrx4 ||
	    c->rule.within_pct != in->rule.within_pct ||
	    c->rule.min_n != in->rule.min_n)
		return false;
	for (size_t f = 0; f < in->nfields; f++)
		if (c->field_ids[f] != in->fields[f].id)
			return false;
	return true;
}

/* src's cells and votes into dst, made by stats_alloc: 0 or -1. */
static int
cells_copy(struct stats *dst, const struct stats *src)
{
	size_t	 nlevels = dst->level != NULL ? dst->level->noptions : 0;

	for (size_t f = 0; f < dst->nfields; f++) {
		struct stats_field	*d = &dst->fields[f];
		const struct stats_field *o = &src->fields[f];

		memcpy(d->cities, o->cities, dst->ncities * sizeof(*d->cities));
		d->total = o->total;
		for (size_t r = 0; r < dst->nsectors; r++) {
			d->sectors[r].n = o->sectors[r].n;
			d->sectors[r].median = o->sectors[r].median;
			memcpy(d->sectors[r].count, o->sectors[r].count,
			    nlevels * sizeof(size_t));
		}
	}
	if (src->nvotes == 0)
		return 0;
	if ((dst->votes = reallocarray(NULL, src->nvotes,
	    sizeof(*dst->votes))) == NULL) {
		log_err("stats: %s", strerror(errno));
		return -1;
	}
	memcpy(dst->votes, src->votes, src->nvotes * sizeof(*src->votes));
	dst->nvotes = src->nvotes;
	return 0;
}

static void
cached_free(struct cached *c)
{
	stats_free(&c->st);
	free(c->field_ids);
	free(c->form_name);
	memset(c, 0, sizeof(*c));
}

/* Keep a copy of st, computed of in at stamp (if memory allows). */
static void
cache_put(int64_t campaign_id, const struct store_data_stamp *stamp,
    const struct stats_input *in, const struct stats *st)
{
	struct cached	*c = &cache[cache_next++ % STATS_CACHE_MAX];

	cached_free(c);
	c->st = *st;
	c->st.fields = NULL;
	c->st.votes = NULL;
	c->st.nvotes = 0;
	if ((c->field_ids = calloc(in->nfields ? in->nfields : 1,
	    sizeof(*c->field_ids))) == NULL ||
	    (c->form_name = strdup(in->form->name)) == NULL ||
	    stats_alloc(&c->st, in) == -1 || cells_copy(&c->st, st) == -1) {
		cached_free(c);
		return;
	}
	for (size_t f = 0; f < in->nfields; f++) {
		c->field_ids[f] = in->fields[f].id;
		c->st.fields[f].field = NULL;
	}
	c->used = true;
	c->campaign_id = campaign_id;
	c->stamp = *stamp;
	c->form_version = in->form->version;
	c->rule = in->rule;
	c->round = in->round;
	c->ncities = in->ncities;
}

/* The statistics from the cache, else read (and kept): 0 or -1. */
static int
stats_get(struct store *s, int64_t campaign_id,
    const struct stats_input *in, struct stats *out, struct points *ps)
{
	struct store_data_stamp	 stamp;

	if (store_data_stamp(s, &stamp) == -1)
		return -1;
	for (size_t i = 0; i < STATS_CACHE_MAX; i++)
		if (cached_is(&cache[i], campaign_id, &stamp, in))
			return cells_copy(out, &cache[i].st);
	if (stats_read(s, campaign_id, in, out, ps) == -1)
		return -1;
	cache_put(campaign_id, &stamp, in, out);
	return 0;
}

int
stats_compute(struct store *s, int64_t campaign_id,
    const struct stats_input *in, struct stats *out)
{
	struct points	 ps = { 0 };
	size_t		 col;
	bool		 began;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	out->rule = in->rule;
	out->round = in->round;
	out->ncities = in->ncities;
	out->nfields = in->nfields;
	if ((out->rating_grid = view_rating_grid(in->form)) != NULL)
		out->rating = &out->rating_grid->columns[0];
	if ((out->sector_grid = view_choice_grid(in->form, &col)) != NULL) {
		out->level = &out->sector_grid->columns[col];
		out->nsectors = out->sector_grid->nrows;
	}
	if (stats_alloc(out, in) == -1 || (ps.ix = field_index(in)) == NULL)
		goto out;
	ps.nix = in->nfields;
	began = store_read_begin(s);
	rc = stats_get(s, campaign_id, in, out, &ps);
	store_read_end(s, began);
out:
	free((void *)ps.ix);
	free(ps.v);
	if (rc == -1)
		stats_free(out);
	return rc;
}

void
stats_free(struct stats *st)
{
	for (size_t f = 0; st->fields != NULL && f < st->nfields; f++) {
		free(st->fields[f].cities);
		for (size_t r = 0; st->fields[f].sectors != NULL &&
		    r < st->nsectors; r++)
			free(st->fields[f].sectors[r].count);
		free(st->fields[f].sectors);
	}
	free(st->fields);
	free(st->votes);
	memset(st, 0, sizeof(*st));
}

int
stats_rule_load(struct store *s, int64_t campaign_id, struct stats_rule *r)
{
	struct store_consensus	 c;

	switch (store_consensus_get(s, campaign_id, &c)) {
	case 0:
		*r = (struct stats_rule){ c.iqr_x4, c.within_pct, c.min_n };
		return 0;
	case 1:
		*r = STATS_RULE_DEFAULT;
		return 0;
	default:
		return -1;
	}
}

bool
stats_iqr_parse(const char *s, long *x4)
{
	static const char *const frac[] = { "", ".25", ".5", ".75" };
	long	 whole = 0;
	size_t	 d = 0;

	for (; s[d] >= '0' && s[d] <= '9' && d < 5; d++)
		whole = whole * 10 + (s[d] - '0');
	if (d == 0 || (d > 1 && s[0] == '0') || whole > STATS_IQR_MAX)
		return false;
	s += d;
	for (int q = 0; q < 4; q++)
		if (strcmp(s, frac[q]) == 0 ||
		    (q == 0 && strcmp(s, ".0") == 0) ||
		    (q == 2 && strcmp(s, ".50") == 0)) {
			if (whole == STATS_IQR_MAX && q > 0)
				return false;
			*x4 = whole * 4 + q;
			return true;
		}
	return false;
}

const char *
stats_verdict_name(enum stats_verdict v)
{
	switch (v) {
	case STATS_YES:
		return "consensus";
	case STATS_NO:
		return "no consensus";
	default:
		return "too few answers";
	}
}

/* ---- a campaign by slug ---- */

static int
city_add(void *arg, const struct store_city *c)
{
	struct stats_campaign	*sc = arg;
	struct form_row		*r = &sc->cities[sc->ncities];

	if (sc->ncities == CAMPAIGN_CITIES_MAX) {
		log_err("stats: campaign %s has more than %d cities",
		    sc->c.slug, CAMPAIGN_CITIES_MAX);
		return -1;
	}
	if ((r->key = strdup(c->code)) == NULL ||
	    (r->label = strdup(c->name)) == NULL) {
		free(r->key);
		log_err("stats: %s", strerror(errno));
		return -1;
	}
	sc->ncities++;
	return 0;
}

/* Its form, cities and key fields: 0, or -1 (logged). */
static int
campaign_parts(struct store *s, struct stats_campaign *sc,
    const struct form **form)
{
	if (page_forms_load(s, &sc->forms, &sc->nforms) == -1 ||
	    (*form = page_form_by_id(sc->forms, sc->nforms,
	    sc->c.form_id)) == NULL)
		return -1;
	if ((sc->cities = calloc(CAMPAIGN_CITIES_MAX,
	    sizeof(*sc->cities))) == NULL) {
		log_err("stats: %s", strerror(errno));
		return -1;
	}
	if (store_cities(s, sc->c.id, city_add, sc) != 0)
		return -1;
	sc->fields = store_fields(s, sc->c.id, STATS_FIELDS_MAX,
	    &sc->nfields);
	return sc->fields == NULL ? -1 : 0;
}

int
stats_campaign_load(struct store *s, const char *slug, int round,
    struct stats_campaign *sc)
{
	struct stats_input	 in = { 0 };
	int			 rc;

	memset(sc, 0, sizeof(*sc));
	if ((rc = store_campaign_get(s, slug, &sc->c)) != 0)
		return rc;
	if (store_round_now(s, sc->c.id, &sc->rounds) == -1)
		return -1;
	if (round > sc->rounds)
		return 2;
	in.round = round > 0 ? round : sc->rounds;
	if (campaign_parts(s, sc, &in.form) == -1 ||
	    stats_rule_load(s, sc->c.id, &in.rule) == -1)
		goto fail;
	in.cities = sc->cities;
	in.ncities = sc->ncities;
	in.fields = sc->fields;
	in.nfields = sc->nfields;
	if (stats_compute(s, sc->c.id, &in, &sc->st) == -1)
		goto fail;
	return 0;
fail:
	stats_campaign_free(sc);
	return -1;
}

void
stats_campaign_free(struct stats_campaign *sc)
{
	stats_free(&sc->st);
	for (size_t i = 0; sc->cities != NULL && i < sc->ncities; i++) {
		free(sc->cities[i].key);
		free(sc->cities[i].label);
	}
	free(sc->cities);
	free(sc->fields);
	page_forms_free(sc->forms, sc->nforms);
	memset(sc, 0, sizeof(*sc));
}

/* ---- stability: the rounds of a campaign ---- */

int
stats_vote_cmp(const void *a, const void *b)
{
	const struct stats_vote	*x = a, *y = b;

	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->expert > y->expert) - (x->expert < y->expert);
}

void
stats_moves_count(const struct stats_vote *a, size_t na,
    const struct stats_vote *b, size_t nb, size_t ncities,
    struct stats_moves *out)
{
	size_t	 i = 0, j = 0;
	int	 c;

	while (i < na && j < nb) {
		if ((c = stats_vote_cmp(&a[i], &b[j])) < 0)
			i++;
		else if (c > 0)
			j++;
		else {
			struct stats_moves *m =
			    &out[a[i].field * ncities + a[i].row];

			m->compared++;
			if (a[i].v != b[j].v)
				m->changed++;
			i++, j++;
		}
	}
}

/* Each round's statistics, and the moves into it from its votes: 0, -1. */
static int
history_read(struct store *s, int64_t campaign_id,
    const struct stats_input *last, struct stats_history *h)
{
	struct stats_input	 in = *last;
	const struct stats	*a, *b;

	for (int k = 1; k <= h->nrounds; k++) {
		in.round = k;
		if (stats_compute(s, campaign_id, &in, &h->rounds[k - 1]) ==
		    -1)
			return -1;
		if (k == 1)
			continue;
		a = &h->rounds[k - 2];
		b = &h->rounds[k - 1];
		stats_moves_count(a->votes, a->nvotes, b->votes, b->nvotes,
		    h->ncities, &h->moves[(size_t)(k - 1) * h->nfields *
		    h->ncities]);
	}
	return 0;
}

int
stats_history_load(struct store *s, int64_t campaign_id,
    const struct stats_input *in, struct stats_history *h)
{
	size_t		 cells;
	bool		 began;
	int		 rc = -1;

	memset(h, 0, sizeof(*h));
	h->nrounds = in->round > 0 ? in->round : 1;
	h->nfields = in->nfields;
	h->ncities = in->ncities;
	cells = (size_t)h->nrounds * h->nfields * h->ncities;
	if ((h->rounds = calloc((size_t)h->nrounds,
	    sizeof(*h->rounds))) == NULL ||
	    (h->moves = calloc(cells ? cells : 1, sizeof(*h->moves))) ==
	    NULL) {
		log_err("stats: %s", strerror(errno));
		goto out;
	}
	began = store_read_begin(s);
	rc = history_read(s, campaign_id, in, h);
	store_read_end(s, began);
out:
	if (rc == -1)
		stats_history_free(h);
	return rc;
}

int
stats_campaign_history(struct store *s, const struct stats_campaign *sc,
    struct stats_history *h)
{
	struct stats_input	 in = { 0 };

	in.form = page_form_by_id(sc->forms, sc->nforms, sc->c.form_id);
	in.cities = sc->cities;
	in.ncities = sc->ncities;
	in.fields = sc->fields;
	in.nfields = sc->nfields;
	in.rule = sc->st.rule;
	in.round = sc->st.round;
	return stats_history_load(s, sc->c.id, &in, h);
}

void
stats_history_free(struct stats_history *h)
{
	for (int k = 0; h->rounds != NULL && k < h->nrounds; k++)
		stats_free(&h->rounds[k]);
	free(h->rounds);
	free(h->moves);
	memset(h, 0, sizeof(*h));
}

const struct stats_moves *
stats_history_moves(const struct stats_history *h, int round, size_t f,
    size_t c)
{
	assert(round >= 1 && round <= h->nrounds && f < h->nfields &&
	    c < h->ncities);
	return &h->moves[((size_t)(round - 1) * h->nfields + f) *
	    h->ncities + c];
}
