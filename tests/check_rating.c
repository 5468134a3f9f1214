/*
 * check_rating: table-driven tests of rating.c: hostile inputs to the
 * parser, the rule's wording, a card's total, and the statistics against
 * Python's statistics.quantiles(data, n=4, method="inclusive").
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check-run.h"
#include "base/form.h"
#include "base/rating.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define VALUES_MAX	12	/* ratings in one statistics row */

struct parse_row {
	const char	*in;
	long		 min, max;
	bool		 ok;
	long		 want;		/* when ok */
};

static const struct parse_row parse_rows[] = {
	{ "", 0, 10, false, 0 },
	{ "0", 0, 10, true, 0 },
	{ "10", 0, 10, true, 10 },
	{ "7", 0, 10, true, 7 },
	{ "-1", 0, 10, false, 0 },		/* below min */
	{ "11", 0, 10, false, 0 },		/* above max */
	{ "1e1", 0, 10, false, 0 },		/* exponent */
	{ "0x5", 0, 10, false, 0 },		/* hex */
	{ "+5", 0, 10, false, 0 },		/* only '-' is a sign */
	{ "5.0", 0, 10, false, 0 },		/* no point */
	{ "99999999999999999999", 0, 10, false, 0 },	/* past a long */
	{ "-99999999999999999999", -5, 5, false, 0 },
	{ "9223372036854775807", 0, 10, false, 0 },	/* a long, too big */
	{ "\xef\xbc\x95", 0, 10, false, 0 },	/* fullwidth 5 */
	{ "\xd9\xa5", 0, 10, false, 0 },	/* Arabic-Indic 5 */
	{ "5 5", 0, 10, false, 0 },
	{ "- 1", -5, 5, false, 0 },
	{ "--1", -5, 5, false, 0 },
	{ "-", 0, 10, false, 0 },
	{ " ", 0, 10, false, 0 },
	{ "5\x00" "1", 0, 10, true, 5 },	/* C string ends at NUL */
	{ "5\xc2\xa0", 0, 10, false, 0 },	/* no-break space */
	/*
	 * The form has always taken ASCII space around a rating and leading
	 * zeros, and stores the value as typed: every reader counts them.
	 */
	{ " 5", 0, 10, true, 5 },
	{ "5 ", 0, 10, true, 5 },
	{ "5\n", 0, 10, true, 5 },
	{ "\t3\r\n", 0, 10, true, 3 },
	{ "05", 0, 10, true, 5 },
	{ "007", 0, 10, true, 7 },
	{ "-0", 0, 10, true, 0 },
	/* Another scale: the bounds are the scale's. */
	{ "-5", -5, 5, true, -5 },
	{ "-6", -5, 5, false, 0 },
	{ "6", -5, 5, false, 0 },
	{ "0", 1, 3, false, 0 },
	{ "3", 1, 3, true, 3 },
	{ "1000000", -1000000, 1000000, true, 1000000 },
	{ "-1000000", -1000000, 1000000, true, -1000000 },
};

START_TEST(test_parse)
{
	const struct parse_row	*r = &parse_rows[_i];
	long			 got = 12345;
	bool			 ok;

	ok = rating_parse(r->in, r->min, r->max, &got);
	ck_assert_msg(ok == r->ok, "row %d \"%s\" on %ld..%ld: %s", _i,
	    r->in, r->min, r->max, ok ? "taken" : "refused");
	if (ok)
		ck_assert_int_eq(got, r->want);
	else
		ck_assert_int_eq(got, 12345);	/* untouched */
}
END_TEST

START_TEST(test_rule)
{
	char	 msg[RATING_RULE_SZ];

	ck_assert_str_eq(rating_rule(msg, sizeof(msg), 0, 10),
	    "Enter a whole number from 0 to 10.");
	ck_assert_str_eq(rating_rule(msg, sizeof(msg), -5, 5),
	    "Enter a whole number from -5 to 5.");
	ck_assert_str_eq(rating_rule(msg, sizeof(msg), 1, 7),
	    "Enter a whole number from 1 to 7.");
	/* Any two longs fit. */
	ck_assert_ptr_eq(rating_rule(msg, sizeof(msg), -9223372036854775807L
	    - 1, 9223372036854775807L), msg);
	ck_assert_str_eq(msg, "Enter a whole number from "
	    "-9223372036854775808 to 9223372036854775807.");
}
END_TEST

/* Expected quartiles are Python's, times four. */
struct stats_row {
	const char	*name;
	long		 v[VALUES_MAX];
	size_t		 n;
	long		 min, max, q1x4, medianx4, q3x4;
};

static const struct stats_row stats_rows[] = {
	/* n = 1: type 7 gives x1 (Python 3.11 wants two points). */
	{ "n=1", { 7 }, 1, 7, 7, 28, 28, 28 },
	/* [3, 9] -> [4.5, 6.0, 7.5] */
	{ "n=2", { 9, 3 }, 2, 3, 9, 18, 24, 30 },
	/* [1, 2, 10] -> [1.5, 2.0, 6.0] */
	{ "n=3", { 10, 1, 2 }, 3, 1, 10, 6, 8, 24 },
	/* [1, 2, 3, 4] -> [1.75, 2.5, 3.25] */
	{ "n=4", { 4, 3, 2, 1 }, 4, 1, 4, 7, 10, 13 },
	/* [4, 4, 4, 4, 4] -> [4.0, 4.0, 4.0] */
	{ "all equal", { 4, 4, 4, 4, 4 }, 5, 4, 4, 16, 16, 16 },
	/* [0, 5, 10] -> [2.5, 5.0, 7.5] */
	{ "0 5 10", { 0, 5, 10 }, 3, 0, 10, 10, 20, 30 },
	/* [0, 10] -> [2.5, 5.0, 7.5] */
	{ "0 10", { 10, 0 }, 2, 0, 10, 10, 20, 30 },
	/* [1..10] -> [3.25, 5.5, 7.75] */
	{ "1..10", { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, 10, 1, 10, 13, 22,
	  31 },
	/* [8, 6, 6, 1, 8, 7] -> [6.0, 6.5, 7.75] */
	{ "even n", { 8, 6, 6, 1, 8, 7 }, 6, 1, 8, 24, 26, 31 },
	/* [1, 6, 6, 7, 8, 8, 9] -> [6.0, 7.0, 8.0] */
	{ "odd n", { 8, 6, 6, 1, 8, 7, 9 }, 7, 1, 9, 24, 28, 32 },
	/* [-5, -1, 0, 5] -> [-2.0, -0.5, 1.25] */
	{ "negative", { -5, 0, 5, -1 }, 4, -5, 5, -8, -2, 5 },
	/* [0, 0, 0, 10, 10] -> [0.0, 0.0, 10.0] */
	{ "ties", { 10, 0, 10, 0, 0 }, 5, 0, 10, 0, 0, 40 },
};

START_TEST(test_stats)
{
	const struct stats_row	*r = &stats_rows[_i];
	struct rating_stats	 st;
	long			 v[VALUES_MAX];

	memcpy(v, r->v, sizeof(v));
	ck_assert_msg(rating_stats(v, r->n, &st), "%s", r->name);
	ck_assert_uint_eq(st.n, r->n);
	ck_assert_int_eq(st.min, r->min);
	ck_assert_int_eq(st.max, r->max);
	ck_assert_msg(st.q1x4 == r->q1x4 && st.medianx4 == r->medianx4 &&
	    st.q3x4 == r->q3x4, "%s: quartiles x4 %ld %ld %ld, want "
	    "%ld %ld %ld", r->name, st.q1x4, st.medianx4, st.q3x4, r->q1x4,
	    r->medianx4, r->q3x4);
	ck_assert_int_eq(st.iqrx4, r->q3x4 - r->q1x4);
	for (size_t i = 1; i < r->n; i++)
		ck_assert_int_le(v[i - 1], v[i]);	/* sorted */
}
END_TEST

START_TEST(test_stats_empty)
{
	struct rating_stats	 st = { .n = 99 };
	long			 v[1] = { 5 };

	ck_assert(!rating_stats(v, 0, &st));
	ck_assert_uint_eq(st.n, 99);		/* untouched */
}
END_TEST

struct quarters_row {
	long		 x4;
	const char	*want;
};

static const struct quarters_row quarters_rows[] = {
	{ 0, "0" }, { 28, "7" }, { 26, "6.5" }, { 25, "6.25" },
	{ 27, "6.75" }, { 1, "0.25" }, { -1, "-0.25" }, { -2, "-0.5" },
	{ -26, "-6.5" }, { -28, "-7" }, { 4000000, "1000000" },
};

START_TEST(test_quarters)
{
	const struct quarters_row *r = &quarters_rows[_i];
	char	 out[RATING_NUMSZ];

	ck_assert_int_eq(rating_quarters(out, sizeof(out), r->x4), 0);
	ck_assert_str_eq(out, r->want);
}
END_TEST

START_TEST(test_quarters_short)
{
	char	 out[4];

	ck_assert_int_eq(rating_quarters(out, sizeof(out), 25), -1);
	ck_assert_int_eq(rating_quarters(out, sizeof(out), 26), 0);
	ck_assert_str_eq(out, "6.5");
}
END_TEST

/* A card's total counts what rating_parse takes, on the column's scale. */
START_TEST(test_total)
{
	struct form_row		 rows[] = { { "a", "A" }, { "b", "B" },
				    { "c", "C" }, { "d", "D" }, { "e", "E" } };
	struct form_row		 cities[] = { { "Fr", "Frankfurt" },
				    { "B", "Berlin" } };
	struct form_question	 col = { .key = "n", .type = FORM_SCALE,
				    .min = 0, .max = 10 };
	struct form_question	 grid = { .key = "g", .type = FORM_GRID,
				    .rows = rows, .nrows = NELEM(rows),
				    .columns = &col, .ncolumns = 1 };
	struct form_answers	 a = { 0 };
	size_t			 counted = 99;

	ck_assert_int_eq(form_answers_add(&a, "g.n", "a", 0, " 7 "), 0);
	ck_assert_int_eq(form_answers_add(&a, "g.n", "b", 0, "11"), 0);
	ck_assert_int_eq(form_answers_add(&a, "g.n", "c", 0, "+3"), 0);
	ck_assert_int_eq(form_answers_add(&a, "g.n", "d", 0, "03"), 0);
	ck_assert_int_eq(form_answers_add(&a, "g.n", "Fr", 0, "10"), 0);
	ck_assert_int_eq(rating_total(&grid, &col, cities, NELEM(cities), &a,
	    &counted), 10);
	ck_assert_uint_eq(counted, 2);
	grid.rows_cities = true;
	ck_assert_int_eq(rating_total(&grid, &col, cities, NELEM(cities), &a,
	    &counted), 10);
	ck_assert_uint_eq(counted, 1);
	col.min = -5;
	col.max = 5;
	grid.rows_cities = false;
	ck_assert_int_eq(rating_total(&grid, &col, cities, NELEM(cities), &a,
	    &counted), 3);
	ck_assert_uint_eq(counted, 1);
	form_answers_free(&a);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("rating");
	TCase	*tc = tcase_create("rating");

	tcase_add_loop_test(tc, test_parse, 0, (int)NELEM(parse_rows));
	tcase_add_test(tc, test_rule);
	tcase_add_loop_test(tc, test_stats, 0, (int)NELEM(stats_rows));
	tcase_add_test(tc, test_stats_empty);
	tcase_add_loop_test(tc, test_quarters, 0, (int)NELEM(quarters_rows));
	tcase_add_test(tc, test_quarters_short);
	tcase_add_test(tc, test_total);
	suite_add_tcase(s, tc);
	return check_run(s);
}
