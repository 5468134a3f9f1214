/*
 * check_stats: the panel's statistics (app/stats.h). The consensus rule
 * at its edges and the IQR limit's parser as tables; then a campaign made
 * with the store API on a temporary database, five experts with known
 * ratings (quartiles as Python's statistics.quantiles(method="inclusive")
 * gives them), a draft, an older version and a withdrawn card that must
 * not count, the totals and the sectors' levels; the statistics kept
 * per data stamp (a hit, and each kind of change seen).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app/round.h"
#include "app/stats.h"
#include "base/auth.h"
#include "base/form.h"
#include "base/log.h"
#include "check-golden.h"
#include "check-panel.h"
#include "check-run.h"
#include "store/campaigns.h"
#include "store/consensus.h"
#include "store/experts.h"
#include "store/forms.h"
#include "store/impl.h"
#include "store/responses.h"

/* ---- the rule ---- */

static const struct {
	const char	*name;
	long		 v[8];
	size_t		 n;
	struct stats_rule rule;
	enum stats_verdict want;
	size_t		 within;
} judge_cases[] = {
	{ "IQR 1 is consensus", { 5, 5, 6, 6 }, 4, { 4, 0, 3 }, STATS_YES, 4 },
	{ "IQR 1.25 is not", { 5, 5, 6, 7 }, 4, { 4, 0, 3 }, STATS_NO, 3 },
	{ "0,5,10: median 5, IQR 5", { 0, 5, 10 }, 3, { 4, 0, 3 }, STATS_NO,
	    1 },
	{ "5,5,5: the same median, consensus", { 5, 5, 5 }, 3, { 4, 0, 3 },
	    STATS_YES, 3 },
	{ "two of min 3: too few", { 5, 5 }, 2, { 4, 0, 3 }, STATS_FEW, 2 },
	{ "min 2 takes two", { 5, 5 }, 2, { 4, 0, 2 }, STATS_YES, 2 },
	{ "IQR 0 limit, IQR 0.5", { 5, 5, 5, 6 }, 4, { 0, 0, 3 }, STATS_NO,
	    4 },
	{ "share: 3 of 4 within 1 is 75 %", { 1, 5, 5, 6 }, 4, { 40, 75, 3 },
	    STATS_YES, 3 },
	{ "share: 3 of 4 is under 76 %", { 1, 5, 5, 6 }, 4, { 40, 76, 3 },
	    STATS_NO, 3 },
	{ "within counts 1 either side of 6.5", { 5, 6, 7, 8 }, 4,
	    { 40, 0, 3 }, STATS_YES, 2 },
};

START_TEST(test_judge)
{
	long			 v[8];
	struct rating_stats	 st;
	size_t			 within = 99;
	enum stats_verdict	 got;

	memcpy(v, judge_cases[_i].v, sizeof(v));
	ck_assert(rating_stats(v, judge_cases[_i].n, &st));
	got = stats_judge(&judge_cases[_i].rule, v, &st, &within);
	ck_assert_msg(got == judge_cases[_i].want, "%s: verdict %d",
	    judge_cases[_i].name, (int)got);
	ck_assert_msg(within == judge_cases[_i].within, "%s: within %zu",
	    judge_cases[_i].name, within);
}
END_TEST

static const struct {
	const char	*s;
	long		 x4;	/* -1: refused */
} iqr_cases[] = {
	{ "1", 4 }, { "0", 0 }, { "0.5", 2 }, { "1.25", 5 }, { "2.75", 11 },
	{ "1.0", 4 }, { "0.50", 2 }, { "1000", 4000 }, { "1000.25", -1 },
	{ "1001", -1 }, { "", -1 }, { "-1", -1 }, { "1.3", -1 }, { "01", -1 },
	{ ".5", -1 }, { "1.", -1 }, { " 1", -1 }, { "1 ", -1 }, { "1e0", -1 },
	{ "0x1", -1 }, { "99999999999999999999", -1 },
};

START_TEST(test_iqr_parse)
{
	long	 x4 = -7;
	bool	 ok = stats_iqr_parse(iqr_cases[_i].s, &x4);

	if (iqr_cases[_i].x4 < 0)
		ck_assert_msg(!ok && x4 == -7, "\"%s\" taken",
		    iqr_cases[_i].s);
	else
		ck_assert_msg(ok && x4 == iqr_cases[_i].x4, "\"%s\": %ld",
		    iqr_cases[_i].s, x4);
}
END_TEST

/* ---- stability: the moves between two rounds ---- */

#define V(f, r, e, x)	{ (f), (r), (e), (x) }
/* Two cities: a cell is field * 2 + row. */
static const struct {
	const char		*name;
	struct stats_vote	 a[6], b[6];
	size_t			 na, nb;
	struct stats_moves	 want[4];
} moves_cases[] = {
	{ "nobody in either round", { { 0 } }, { { 0 } }, 0, 0,
	    { { 0, 0 } } },
	{ "kept: compared, not changed", { V(0, 0, 1, 5) },
	    { V(0, 0, 1, 5) }, 1, 1, { { 1, 0 } } },
	{ "changed by one", { V(0, 0, 1, 5) }, { V(0, 0, 1, 6) }, 1, 1,
	    { { 1, 1 } } },
	{ "an expert only in round k-1 is not compared",
	    { V(0, 0, 1, 5), V(0, 0, 2, 7) }, { V(0, 0, 2, 3) }, 2, 1,
	    { { 1, 1 } } },
	{ "an expert only in round k is not compared",
	    { V(0, 0, 2, 7) }, { V(0, 0, 1, 0), V(0, 0, 2, 7) }, 1, 2,
	    { { 1, 0 } } },
	{ "the same expert, another city: not the same cell",
	    { V(0, 0, 1, 5) }, { V(0, 1, 1, 6) }, 1, 1, { { 0, 0 } } },
	{ "cells apart: field 1 city 1 changed, field 0 city 1 kept",
	    { V(0, 1, 3, 4), V(1, 0, 3, 2), V(1, 1, 3, 9) },
	    { V(0, 1, 3, 4), V(1, 0, 3, 2), V(1, 1, 3, 10) }, 3, 3,
	    { { 0, 0 }, { 1, 0 }, { 1, 0 }, { 1, 1 } } },
	{ "five experts, two change (the e2e table)",
	    { V(0, 0, 1, 2), V(0, 0, 2, 2), V(0, 0, 3, 3), V(0, 0, 4, 8),
	    V(0, 0, 5, 9) },
	    { V(0, 0, 1, 2), V(0, 0, 2, 2), V(0, 0, 3, 3), V(0, 0, 4, 4),
	    V(0, 0, 5, 5) }, 5, 5, { { 5, 2 } } },
};

START_TEST(test_moves)
{
	struct stats_moves	 got[4] = { { 0 } };
	const struct stats_moves *want = moves_cases[_i].want;

	stats_moves_count(moves_cases[_i].a, moves_cases[_i].na,
	    moves_cases[_i].b, moves_cases[_i].nb, 2, got);
	for (size_t c = 0; c < 4; c++)
		ck_assert_msg(got[c].compared == want[c].compared &&
		    got[c].changed == want[c].changed,
		    "%s: cell %zu compared %zu changed %zu",
		    moves_cases[_i].name, c, got[c].compared, got[c].changed);
}
END_TEST

/* ---- a campaign ---- */

static struct golden_fixture fx;
static int64_t	 campaign, sf41, sf12;
static int64_t	 experts[7];

static int
setup_txn(struct store *st, void *arg)
{
	static const char *const names[] = { "A", "B", "C", "D", "E",
	    "Draft", "Gone" };
	int64_t		 form;

	if (store_form_import(st, "keyfield", 1, arg, &form) != 0 ||
	    store_campaign_add(st, "demo", "Demo", "keyfield", &campaign) ||
	    store_city_add(st, campaign, "Fr", "Freiburg", 0) ||
	    store_city_add(st, campaign, "Zü", "Zürich", 1) ||
	    store_field_add(st, campaign, "SF41", "Cluster Management",
	    &sf41) || store_field_add(st, campaign, "SF12", "Open Data",
	    &sf12))
		return -1;
	return panel_add(st, campaign, sf41, 7, names, experts);
}

static void
setup(void)
{
	golden_fixture_open(&fx, "/tmp/check_stats.XXXXXX", setup_txn);
}

static void
teardown(void)
{
	golden_fixture_close(&fx);
}

/* Expert i's SF41 card, read (free with store_card_free). */
static void
card_get(size_t i, struct store_card *c)
{
	panel_card_get(fx.store, experts[i], c);
}

/* Withdraw the card of the expert "Gone". */
static int
withdraw_txn(struct store *st, void *arg)
{
	struct store_card	 c;
	int			 rc;

	(void)st, (void)arg;
	card_get(6, &c);
	rc = store_response_withdraw(fx.store, c.response_id);
	store_card_free(&c);
	return rc;
}

/*
 * Expert i's SF41 card with ratings fr and zu (-1: none) and the
 * mobility sector's level (NULL: none), saved or submitted.
 */
static void
card(size_t i, int fr, int zu, const char *mobility, bool submit)
{
	struct form_answers	 a = { 0 };
	char			 v[8];

	snprintf(v, sizeof(v), "%d", fr);
	ck_assert(fr < 0 || form_answers_add(&a, "rating.rating", "Fr", 0,
	    v) == 0);
	snprintf(v, sizeof(v), "%d", zu);
	ck_assert(zu < 0 || form_answers_add(&a, "rating.rating", "Zü", 0,
	    v) == 0);
	ck_assert(mobility == NULL || form_answers_add(&a,
	    "sectors.relevance", "mobility", 0, mobility) == 0);
	panel_card_save(fx.store, experts[i], &a, submit);
}

/* x4 of a cell's statistics as "n min q1 median q3 max" in quarters. */
static void
cell_is(const struct stats_cell *c, const char *what, size_t n, long min,
    long q1x4, long medx4, long q3x4, long max, enum stats_verdict v)
{
	const struct rating_stats *st = &c->st;

	ck_assert_msg(st->n == n && (n == 0 || (st->min == min &&
	    st->q1x4 == q1x4 && st->medianx4 == medx4 && st->q3x4 == q3x4 &&
	    st->max == max)), "%s: n %zu min %ld q1x4 %ld medx4 %ld q3x4 %ld "
	    "max %ld", what, st->n, st->min, st->q1x4, st->medianx4,
	    st->q3x4, st->max);
	ck_assert_msg(c->verdict == v, "%s: verdict %d", what,
	    (int)c->verdict);
}

/*
 * Freiburg 2,2,3,8,9: quantiles 2, 3, 8 (no consensus). Zürich
 * 7,8,8,9,10: 8, 8, 9 (consensus). Totals 9,10,11,17,19: 10, 11, 17.
 * Expert A's first version (Fr 10), the draft (Fr 0) and the withdrawn
 * card (Fr 0) must not count; SF12 has no cards.
 */
START_TEST(test_campaign)
{
	struct stats_campaign	 sc;
	const struct stats_field *f;
	const struct stats_levels *mob;

	card(0, 10, 10, "low", true);
	card(0, 2, 7, "high", true);
	card(1, 2, 8, "high", true);
	card(2, 3, 8, "medium", true);
	card(3, 8, 9, NULL, true);
	card(4, 9, 10, "high", true);
	card(5, 0, 0, "none", false);
	card(6, 0, 0, "none", true);
	ck_assert_int_eq(store_write(fx.store, withdraw_txn, NULL), 0);

	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", 0, &sc), 0);
	ck_assert_uint_eq(sc.nfields, 2);
	ck_assert_uint_eq(sc.ncities, 2);
	f = &sc.st.fields[0];
	ck_assert_str_eq(f->field->code, "SF12");
	cell_is(&f->cities[0], "SF12 Fr", 0, 0, 0, 0, 0, 0, STATS_FEW);
	cell_is(&f->total, "SF12 total", 0, 0, 0, 0, 0, 0, STATS_FEW);
	f = &sc.st.fields[1];
	ck_assert_str_eq(f->field->code, "SF41");
	cell_is(&f->cities[0], "Fr", 5, 2, 8, 12, 32, 9, STATS_NO);
	ck_assert_uint_eq(f->cities[0].within, 3);
	cell_is(&f->cities[1], "Zü", 5, 7, 32, 32, 36, 10, STATS_YES);
	cell_is(&f->total, "total", 5, 9, 40, 44, 68, 19, STATS_NO);
	ck_assert_uint_eq(sc.st.nsectors, 8);
	mob = &f->sectors[0];
	ck_assert_str_eq(sc.st.sector_grid->rows[0].key, "mobility");
	/* high, high, medium, high: none 0, low 0, medium 1, high 3. */
	ck_assert_uint_eq(mob->n, 4);
	ck_assert_uint_eq(mob->count[2], 1);
	ck_assert_uint_eq(mob->count[3], 3);
	ck_assert_uint_eq(mob->count[0] + mob->count[1], 0);
	ck_assert_int_eq(mob->median, 3);
	ck_assert_uint_eq(f->sectors[1].n, 0);
	ck_assert_int_eq(f->sectors[1].median, -1);
	stats_campaign_free(&sc);
	ck_assert_int_eq(stats_campaign_load(fx.store, "none", 0, &sc), 1);
}
END_TEST

/*
 * The history of test_rounds' campaign: round 1 Fr 2,2 (A, B), round 2
 * Fr 9 (A changed), 3 (C, new): one compared, one changed; Zü 7 -> 9.
 */
static void
history_is(void)
{
	struct stats_campaign	 sc;
	struct stats_history	 h;
	const struct stats_moves *m;

	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", 0, &sc), 0);
	ck_assert_int_eq(stats_campaign_history(fx.store, &sc, &h), 0);
	ck_assert_int_eq(h.nrounds, 2);
	cell_is(&h.rounds[0].fields[1].cities[0], "history round 1 Fr", 2, 2,
	    8, 8, 8, 2, STATS_FEW);
	cell_is(&h.rounds[1].fields[1].cities[0], "history round 2 Fr", 2, 3,
	    18, 24, 30, 9, STATS_FEW);
	m = stats_history_moves(&h, 1, 1, 0);
	ck_assert(m->compared == 0 && m->changed == 0);
	m = stats_history_moves(&h, 2, 1, 0);
	ck_assert_msg(m->compared == 1 && m->changed == 1, "Fr: %zu %zu",
	    m->compared, m->changed);
	m = stats_history_moves(&h, 2, 1, 1);
	ck_assert_msg(m->compared == 1 && m->changed == 1, "Zü: %zu %zu",
	    m->compared, m->changed);
	m = stats_history_moves(&h, 2, 0, 0);
	ck_assert(m->compared == 0 && m->changed == 0);
	stats_history_free(&h);
	stats_campaign_free(&sc);
	/* Up to round 1 only: one round, no moves. */
	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", 1, &sc), 0);
	ck_assert_int_eq(stats_campaign_history(fx.store, &sc, &h), 0);
	ck_assert_int_eq(h.nrounds, 1);
	stats_history_free(&h);
	stats_campaign_free(&sc);
}

/*
 * Round 2: round 1's statistics stay as they were whatever is submitted
 * later; a submitted card is a draft of round 2 holding its answers; the
 * round after an empty round is refused.
 */
START_TEST(test_rounds)
{
	struct stats_campaign	 sc;
	struct round_started	 r;
	struct store_card	 c;
	const char		*problem = NULL;

	card(0, 2, 7, NULL, true);
	card(1, 2, 8, NULL, true);
	card(2, 4, 8, NULL, false);
	ck_assert_int_eq(round_start(fx.store, "demo", "test", &r, &problem),
	    0);
	ck_assert_int_eq(r.number, 2);
	ck_assert_int_eq(r.cards, 2);
	card_get(0, &c);
	ck_assert(c.status == STORE_DRAFT);
	ck_assert_str_eq(form_answer(&c.answers, "rating.rating", "Fr", 0),
	    "2");
	store_card_free(&c);
	/* A second round with nothing submitted in it: refused. */
	ck_assert_int_eq(round_start(fx.store, "demo", "test", &r, &problem),
	    1);
	ck_assert_ptr_nonnull(strstr(problem, "No card has been submitted"));
	card(0, 9, 9, NULL, true);	/* A changes her mind in round 2 */
	card(2, 3, 3, NULL, true);	/* C submits late, in round 2 */
	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", 1, &sc), 0);
	cell_is(&sc.st.fields[1].cities[0], "round 1 Fr", 2, 2, 8, 8, 8, 2,
	    STATS_FEW);
	stats_campaign_free(&sc);
	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", 0, &sc), 0);
	ck_assert_int_eq(sc.st.round, 2);
	cell_is(&sc.st.fields[1].cities[0], "round 2 Fr", 2, 3, 18, 24, 30,
	    9, STATS_FEW);
	stats_campaign_free(&sc);
	history_is();
	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", 3, &sc), 2);
	ck_assert_int_eq(sc.rounds, 2);
	ck_assert_int_eq(round_start(fx.store, "nosuch", "test", &r,
	    &problem), 1);
}
END_TEST

/* SQL on the fixture's database, behind the store's back. */
static void
exec_sql(const char *sql)
{
	ck_assert_msg(sqlite3_exec(fx.store->db, sql, NULL, NULL, NULL) ==
	    SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(fx.store->db));
}

/* SF41 Freiburg of the round now: its n and largest rating. */
static void
fr_is(const char *what, size_t n, long max)
{
	struct stats_campaign	 sc;
	const struct rating_stats *st;

	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", 0, &sc), 0);
	st = &sc.st.fields[1].cities[0].st;
	ck_assert_msg(st->n == n && (n == 0 || st->max == max),
	    "%s: n %zu max %ld", what, st->n, st->max);
	stats_campaign_free(&sc);
}

/*
 * The statistics are kept with the data stamp they were read at: an
 * answer changed behind the counter's back (the counter set back) is not
 * seen, a cache hit; once the counter moves it is. A new submission and
 * a withdrawal move it themselves.
 */
START_TEST(test_cache)
{
	card(0, 2, 7, NULL, true);
	card(1, 4, 8, NULL, true);
	fr_is("two cards", 2, 4);
	exec_sql("UPDATE answers SET value = '9' WHERE version > 0 AND "
	    "question = 'rating.rating' AND row = 'Fr' AND value = '4'; "
	    "UPDATE data_gen SET gen = gen - 1");
	fr_is("changed behind the counter: the kept statistics", 2, 4);
	exec_sql("UPDATE data_gen SET gen = gen + 1");
	fr_is("the counter moved", 2, 9);
	card(6, 10, 10, NULL, true);
	fr_is("a new submission", 3, 10);
	ck_assert_int_eq(store_write(fx.store, withdraw_txn, NULL), 0);
	fr_is("withdrawn", 2, 9);
}
END_TEST

/* A campaign's own rule replaces the default. */
START_TEST(test_rule)
{
	struct store_consensus	 r = { 12, 60, 2 };
	struct stats_rule	 got;

	ck_assert_int_eq(stats_rule_load(fx.store, campaign, &got), 0);
	ck_assert(got.iqrx4 == 4 && got.within_pct == 0 && got.min_n == 3);
	ck_assert_int_eq(store_consensus_set(fx.store, campaign, &r), 0);
	ck_assert_int_eq(stats_rule_load(fx.store, campaign, &got), 0);
	ck_assert(got.iqrx4 == 12 && got.within_pct == 60 && got.min_n == 2);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("stats");
	TCase	*tc = tcase_create("rule");

	tcase_add_loop_test(tc, test_judge, 0,
	    sizeof(judge_cases) / sizeof(judge_cases[0]));
	tcase_add_loop_test(tc, test_iqr_parse, 0,
	    sizeof(iqr_cases) / sizeof(iqr_cases[0]));
	tcase_add_loop_test(tc, test_moves, 0,
	    sizeof(moves_cases) / sizeof(moves_cases[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("campaign");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_campaign);
	tcase_add_test(tc, test_rule);
	tcase_add_test(tc, test_cache);
	tcase_add_test(tc, test_rounds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("check_stats", LOG_WARN);
	return check_run(suite());
}
