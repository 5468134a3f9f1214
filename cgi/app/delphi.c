/*
 * delphi: the round before, beside a later round's card, and the reasons
 * for ratings outside the panel's middle half. Reads the frozen statistics
 * only; never changes a rating, never writes a figure unescaped.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "app/delphi.h"
#include "app/view.h"
#include "base/html.h"
#include "base/i18n.h"
#include "base/log.h"
#include "store/rounds.h"

#define QKEYSZ	(2 * FORM_KEY_MAX + 2)	/* "grid.column" */
#define NAMESZ	(3 * FORM_KEY_MAX + 20)	/* an input name */
#define MSGSZ	200

/* The card's field in the statistics, by its code; NULL when none. */
static const struct stats_field *
field_of(const struct stats *st, const char *code)
{
	for (size_t i = 0; i < st->nfields; i++)
		if (strcmp(st->fields[i].field->code, code) == 0)
			return &st->fields[i];
	return NULL;
}

int
delphi_load(struct store *s, const struct store_card *c,
    const struct form *f, struct delphi *out)
{
	int	 version = 0;
	size_t	 col;

	memset(out, 0, sizeof(*out));
	if (store_round_now(s, c->campaign_id, &out->round) == -1)
		return -1;
	if (out->round < 2 || (out->grid = view_rating_grid(f)) == NULL) {
		out->round = 0;
		return 0;
	}
	out->col = &out->grid->columns[0];
	out->disabled = !c->campaign_open;
	out->form = f;
	if ((out->sgrid = view_choice_grid(f, &col)) != NULL)
		out->scol = &out->sgrid->columns[col];
	switch (stats_campaign_load(s, c->campaign_slug, out->round - 1,
	    &out->sc)) {
	case 0:
		break;
	case -1:
		return -1;
	default:		/* gone since the card was read: nothing */
		out->round = 0;
		return 0;
	}
	out->field = field_of(&out->sc.st, c->field_code);
	if (c->response_id != 0 && (store_round_version(s, c->response_id,
	    out->round - 1, &version) == -1 || (version > 0 &&
	    store_answers_get(s, c->response_id, version, &out->prev) == -1)))
		return -1;
	return 0;
}

void
delphi_free(struct delphi *d)
{
	if (d == NULL)
		return;
	stats_campaign_free(&d->sc);
	form_answers_free(&d->prev);
	memset(d, 0, sizeof(*d));
}

/* The panel's figures for city when they may be shown, else NULL. */
static const struct stats_cell *
shown(const struct delphi *d, const char *city)
{
	const struct stats_campaign *sc = &d->sc;

	if (d->round < 2 || d->field == NULL)
		return NULL;
	for (size_t i = 0; i < sc->ncities; i++)
		if (strcmp(sc->cities[i].key, city) == 0)
			return d->field->cities[i].st.n >=
			    (size_t)sc->st.rule.min_n &&
			    d->field->cities[i].st.n > 0 ?
			    &d->field->cities[i] : NULL;
	return NULL;
}

/* The name of city (its code when the statistics do not know it). */
static const char *
city_name(const struct delphi *d, const char *city)
{
	for (size_t i = 0; i < d->sc.ncities; i++)
		if (strcmp(d->sc.cities[i].key, city) == 0)
			return d->sc.cities[i].label;
	return city;
}

/* A figure in quarters (x4) as a decimal in language l: "2,25". */
static void
quarters(const struct lang *l, long x4, char out[I18N_DECIMAL_SZ])
{
	i18n_decimal(l, (double)x4 / 4.0, 2, out);
}

/* The answers' question of the card's ratings, "grid.column". */
static void
rating_key(const struct delphi *d, char out[static QKEYSZ])
{
	if (buf_fmt(out, QKEYSZ, "%s.%s", d->grid->key, d->col->key) == -1)
		assert(!"two keys of FORM_KEY_MAX fit");
}

int
delphi_intro(struct buf *b, const struct delphi *d)
{
	if (d->round < 2)
		return 0;
	html_raw(b, "<div class=\"notice delphi-intro\"><h2>");
	html_trf(b, tr(d->lang, "Round %d"), d->round);
	html_raw(b, "</h2>\n<p>");
	html_trf(b, tr(d->lang, "Beside each city's rating you see your "
	    "rating of round %d and the panel's figures of that round: the "
	    "median, Q1 to Q3 (the middle half of the panel's ratings) and "
	    "n, the number of answers."), d->round - 1);
	html_raw(b, " ");
	html_trf(b, tr(d->lang, "They are not shown where fewer than %d "
	    "experts answered. Beside each sector you see how the panel "
	    "rated it. Keep or change each rating."), d->sc.st.rule.min_n);
	html_raw(b, "</p>\n<p>");
	html_trf(b, tr(d->lang, "A rating outside Q1 to Q3 needs a short "
	    "reason (at most %d characters) in the field beside it when you "
	    "submit; Save draft never asks for one."), DELPHI_REASON_MAX);
	html_raw(b, "</p>\n</div>\n");
	return buf_failed(b) ? -1 : 0;
}

/* The text input of city's reason v (NULL: empty), after its label. */
static void
reason_input(struct buf *b, const struct delphi *d, const char *city,
    const char *v)
{
	char		 name[NAMESZ], rname[NAMESZ], qk[QKEYSZ];

	rating_key(d, qk);
	form_input_name(name, sizeof(name), qk, city);
	form_input_name(rname, sizeof(rname), DELPHI_REASON_KEY, city);
	html_fmt(b, "<input type=\"text\" id=\"%s\" name=\"%s\" "
	    "maxlength=\"%d\" value=\"%s\"", rname, rname, DELPHI_REASON_MAX,
	    v != NULL ? v : "");
	if (d->disabled)
		html_raw(b, " disabled");
	if (d->issues != NULL && form_issue_for(d->issues, name) != NULL)
		html_fmt(b, " aria-invalid=\"true\" aria-describedby=\""
		    "%s-issue\"", name);
	html_raw(b, "></p>\n");
}

/* The reason field of city, whose figures c are shown. */
static void
reason_field(struct buf *b, const struct delphi *d, const char *city,
    const struct stats_cell *c, const struct form_answers *a)
{
	char		 rname[NAMESZ];
	char		 q1[I18N_DECIMAL_SZ], q3[I18N_DECIMAL_SZ];

	form_input_name(rname, sizeof(rname), DELPHI_REASON_KEY, city);
	quarters(d->lang, c->st.q1x4, q1);
	quarters(d->lang, c->st.q3x4, q3);
	html_fmt(b, "<p class=\"reason\"><label for=\"%s\">", rname);
	html_trf(b, tr(d->lang, "Reason for %s, needed if your rating is "
	    "outside %s to %s"), city_name(d, city), q1, q3);
	html_raw(b, "</label>\n");
	reason_input(b, d, city, form_answer(a, DELPHI_REASON_KEY, city, 0));
}

/*
 * The reason a holds for city, whose figures are not shown (min_n was
 * raised since it was written): the expert's text, kept in its field
 * (she may change or clear it) with a note that none is needed now.
 */
static void
reason_kept(struct buf *b, const struct delphi *d, const char *city,
    const struct form_answers *a)
{
	char		 rname[NAMESZ];
	const char	*v = form_answer(a, DELPHI_REASON_KEY, city, 0);

	if (v == NULL)
		return;
	form_input_name(rname, sizeof(rname), DELPHI_REASON_KEY, city);
	html_fmt(b, "<p class=\"reason\"><label for=\"%s\">", rname);
	html_trf(b, tr(d->lang, "Your reason for %s (kept; none is needed "
	    "while the panel's figures are not shown)"), city_name(d, city));
	html_raw(b, "</label>\n");
	reason_input(b, d, city, v);
}

/* Own rating, the panel's figures and the reason field of one city. */
static int
beside_rating(struct buf *b, const struct delphi *d, const char *city,
    const struct form_answers *a)
{
	const struct stats_cell	*c = shown(d, city);
	char			 qk[QKEYSZ], name[NAMESZ];
	char			 med[I18N_DECIMAL_SZ], q1[I18N_DECIMAL_SZ],
				 q3[I18N_DECIMAL_SZ];
	const char		*own;

	rating_key(d, qk);
	form_input_name(name, sizeof(name), qk, city);
	own = form_answer(&d->prev, qk, city, 0);
	html_fmt(b, "<div class=\"delphi\" data-for=\"%s\"", name);
	if (c != NULL)
		html_fmt(b, " data-q1x4=\"%d\" data-q3x4=\"%d\"",
		    (int)c->st.q1x4, (int)c->st.q3x4);
	html_raw(b, ">\n<dl>\n<dt>");
	html_trf(b, tr(d->lang, "Your round %d rating"), d->round - 1);
	html_fmt(b, "</dt><dd>%s</dd>\n", own != NULL ? own :
	    tr(d->lang, "none"));
	if (c == NULL) {
		html_fmt(b, "<dt>%s</dt><dd>", tr(d->lang, "Panel"));
		html_trf(b, tr(d->lang, "fewer than %d answers: not shown"),
		    d->sc.st.rule.min_n);
		html_raw(b, "</dd>\n</dl>\n");
		reason_kept(b, d, city, a);
		return html_raw(b, "</div>\n");
	}
	quarters(d->lang, c->st.medianx4, med);
	quarters(d->lang, c->st.q1x4, q1);
	quarters(d->lang, c->st.q3x4, q3);
	html_raw(b, "<dt>");
	html_tr(b, tr(d->lang, "Panel's median"));
	html_fmt(b, "</dt><dd>%s</dd>\n<dt>%s</dt><dd>", med,
	    tr(d->lang, "Q1 to Q3"));
	html_trf(b, tr(d->lang, "%s to %s"), q1, q3);
	html_raw(b, "</dd>\n");
	html_fmt(b, "<dt>n</dt><dd>%d</dd>\n</dl>\n", (int)c->st.n);
	reason_field(b, d, city, c, a);
	return html_raw(b, "</div>\n");
}

/* The label of level o in the page's language (the card's own form). */
static const char *
level_label(const struct delphi *d, size_t o)
{
	const struct form_question *lv = d->sc.st.level;

	if (d->scol != NULL && o < d->scol->noptions)
		return form_text(d->form, d->scol->options[o].label,
		    i18n_code(d->lang));
	return lv->options[o].label;
}

/* The panel's levels of one sector (a row of the sector grid). */
static int
beside_sector(struct buf *b, const struct delphi *d, const char *row)
{
	const struct stats	*st = &d->sc.st;
	const struct stats_levels *l = NULL;

	if (d->field == NULL || st->sector_grid == NULL)
		return 0;
	for (size_t r = 0; r < st->nsectors; r++)
		if (strcmp(st->sector_grid->rows[r].key, row) == 0)
			l = &d->field->sectors[r];
	if (l == NULL)
		return 0;
	html_raw(b, "<p class=\"delphi\">");
	html_trf(b, tr(d->lang, "The panel in round %d"), d->round - 1);
	if (l->n < (size_t)st->rule.min_n || l->median < 0) {
		html_trf(b, tr(d->lang, ": fewer than %d answers, not shown."),
		    st->rule.min_n);
		return html_raw(b, "</p>\n");
	}
	html_fmt(b, " (n = %d): ", (int)l->n);
	for (size_t o = 0; o < st->level->noptions; o++)
		html_fmt(b, "%s%s %d", o > 0 ? ", " : "",
		    level_label(d, o), (int)l->count[o]);
	html_trf(b, tr(d->lang, "; median level: %s."),
	    level_label(d, (size_t)l->median));
	html_raw(b, "</p>\n");
	return buf_failed(b) ? -1 : 0;
}

int
delphi_beside(struct buf *b, const struct delphi *d,
    const struct form_question *grid, const char *row,
    const struct form_answers *a)
{
	if (d == NULL || d->round < 2 || grid == NULL)
		return 0;
	if (grid == d->grid)
		return beside_rating(b, d, row, a);
	if (grid == d->sgrid)
		return beside_sector(b, d, row);
	return 0;
}

/* Characters (UTF-8 code points) of s. */
static size_t
chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * The reason of one city: checked, and added to a when not empty. A city
 * whose figures c are hidden (NULL) needs none, but one given is kept.
 */
static int
collect_city(const struct delphi *d, const char *city,
    const struct stats_cell *c, const char *reason, bool submit,
    struct form_answers *a, struct form_issues *is)
{
	char		 qk[QKEYSZ], name[NAMESZ], msg[MSGSZ];
	char		 q1[I18N_DECIMAL_SZ], q3[I18N_DECIMAL_SZ];
	const char	*v;
	long		 r;
	size_t		 n;

	rating_key(d, qk);
	form_input_name(name, sizeof(name), qk, city);
	if (reason != NULL && reason[strspn(reason, " \t")] == '\0')
		reason = NULL;
	if (reason != NULL && form_answers_add(a, DELPHI_REASON_KEY, city, 0,
	    reason) == -1)
		return -1;
	if (reason != NULL && (n = chars(reason)) > DELPHI_REASON_MAX) {
		if (buf_fmt(msg, sizeof(msg), tr(is->lang, "The reason may be "
		    "at most %d characters long; it has %zu."),
		    DELPHI_REASON_MAX, n) == -1)
			buf_mark_cut(msg, sizeof(msg));
		return form_issues_add(is, name, msg);
	}
	v = form_answer(a, qk, city, 0);
	if (c == NULL || !submit || reason != NULL || v == NULL ||
	    !rating_parse(v, d->col->min, d->col->max, &r) ||
	    (r * 4 >= c->st.q1x4 && r * 4 <= c->st.q3x4))
		return 0;
	quarters(is->lang, c->st.q1x4, q1);
	quarters(is->lang, c->st.q3x4, q3);
	if (buf_fmt(msg, sizeof(msg), tr(is->lang, "This rating is outside "
	    "the panel's Q1 to Q3 (%s to %s): give a short reason beside "
	    "it, or change it."), q1, q3) == -1)
		buf_mark_cut(msg, sizeof(msg));
	return form_issues_add(is, name, msg);
}

int
delphi_collect(struct store *s, const struct store_card *card,
    const struct form *f, const char *(*get)(void *, const char *),
    void *ctx, bool submit, struct form_answers *a, struct form_issues *is)
{
	struct delphi		 d;
	const struct stats_cell	*c;
	char			 rname[NAMESZ];
	int			 rc;

	if ((rc = delphi_load(s, card, f, &d)) == -1 || d.round < 2)
		goto out;
	for (size_t i = 0; i < card->ncities; i++) {
		c = shown(&d, card->cities[i].key);	/* NULL: hidden */
		form_input_name(rname, sizeof(rname), DELPHI_REASON_KEY,
		    card->cities[i].key);
		if ((rc = collect_city(&d, card->cities[i].key, c,
		    get(ctx, rname), submit, a, is)) == -1) {
			log_err("card reasons: out of memory");
			break;
		}
	}
out:
	delphi_free(&d);
	return rc;
}

int
delphi_reasons_view(struct buf *b, const struct form_row *rows,
    size_t nrows, const struct form_answers *a)
{
	return delphi_reasons_view_in(b, NULL, rows, nrows, a);
}

int
delphi_reasons_view_in(struct buf *b, const struct lang *l,
    const struct form_row *rows, size_t nrows, const struct form_answers *a)
{
	const char	*v;
	bool		 any = false;

	for (size_t i = 0; i < nrows; i++) {
		if ((v = form_answer(a, DELPHI_REASON_KEY, rows[i].key,
		    0)) == NULL)
			continue;
		if (!any)
			html_raw(b, "<dl class=\"reasons\">\n");
		any = true;
		html_raw(b, "<dt>");
		html_trf(b, tr(l, "Reason for the rating of %s"),
		    rows[i].label);
		html_fmt(b, "</dt><dd>%s</dd>\n", v);
	}
	if (any)
		html_raw(b, "</dl>\n");
	return buf_failed(b) ? -1 : 0;
}

int
delphi_reasons_kept(struct buf *b, const struct form_row *rows, size_t nrows,
    const struct form_answers *a)
{
	return delphi_reasons_kept_in(b, NULL, rows, nrows, a);
}

int
delphi_reasons_kept_in(struct buf *b, const struct lang *l,
    const struct form_row *rows, size_t nrows, const struct form_answers *a)
{
	char		 name[NAMESZ];
	const char	*v;

	for (size_t i = 0; i < nrows; i++) {
		if ((v = form_answer(a, DELPHI_REASON_KEY, rows[i].key,
		    0)) == NULL)
			continue;
		form_input_name(name, sizeof(name), DELPHI_REASON_KEY,
		    rows[i].key);
		html_fmt(b, "<div class=\"q\"><label for=\"%s\">", name);
		html_trf(b, tr(l, "Reason for the rating of %s"),
		    rows[i].label);
		html_raw(b, "</label>\n");
		html_fmt(b, "<input type=\"text\" id=\"%s\" name=\"%s\" "
		    "value=\"%s\"></div>\n", name, name, v);
	}
	return buf_failed(b) ? -1 : 0;
}
