/*
 * tests/check_final: the final card (app/final.h): ratings as typed,
 * texts, the body, the line diff, prefill from the panel's medians,
 * versions (a stale save refused), publication, and the Markdown of the
 * seed's SF 41 card compared with tests/golden/final-SF41.md.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/final.h"
#include "app/stats.h"
#include "base/auth.h"
#include "base/form.h"
#include "base/log.h"
#include "check-golden.h"
#include "check-panel.h"
#include "check-run.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/finals.h"
#include "store/forms.h"
#include "store/partners.h"
#include "store/responses.h"

/* ---- parts ---- */

static const struct {
	const char	*s;
	int		 want;	/* -2: refused */
} rating_cases[] = {
	{ "", -1 }, { "0", 0 }, { "7", 7 }, { "10", 10 }, { "07", 7 },
	{ "11", -2 }, { "100", -2 }, { "-1", -2 }, { " 5", -2 }, { "5 ", -2 },
	{ "5.5", -2 }, { "x", -2 }, { "1e1", -2 }, { "0x5", -2 },
	{ "99999999999999999999", -2 }, { "<b>", -2 },
};

START_TEST(test_rating_parse)
{
	int	 v = -7;
	bool	 ok = final_rating_parse(rating_cases[_i].s, &v);

	if (rating_cases[_i].want == -2)
		ck_assert_msg(!ok && v == -7, "\"%s\" taken",
		    rating_cases[_i].s);
	else
		ck_assert_msg(ok && v == rating_cases[_i].want, "\"%s\": %d",
		    rating_cases[_i].s, v);
}
END_TEST

static const struct {
	const char	*in, *want;	/* want NULL: nothing kept */
} text_cases[] = {
	{ "", NULL }, { " \r\n\t ", NULL }, { "a", "a" },
	{ "a\r\nb\r\n", "a\nb" }, { "a\rb", "a\nb" }, { "  a  ", "  a" },
	{ "a\n\n\nb", "a\n\n\nb" }, { "<script>&", "<script>&" },
};

START_TEST(test_text_set)
{
	char	*t = NULL;

	ck_assert_int_eq(final_text_set(&t, text_cases[_i].in), 0);
	if (text_cases[_i].want == NULL)
		ck_assert_ptr_null(t);
	else
		ck_assert_str_eq(t, text_cases[_i].want);
	free(t);
}
END_TEST

static int
diff_cb(void *arg, char op, const char *line, size_t len)
{
	struct buf	*b = arg;

	buf_putc(b, op);
	buf_put(b, line, len);
	buf_putc(b, '|');
	return 0;
}

static const struct {
	const char	*a, *b, *want;
} diff_cases[] = {
	{ "", "", "" },
	{ "a\nb\nc", "a\nb\nc", " a| b| c|" },
	{ "a\nb\nc", "a\nc", " a|-b| c|" },
	{ "a\nc", "a\nb\nc", " a|+b| c|" },
	{ "a\nb", "a\nB", " a|-b|+B|" },
	{ "", "x\ny", "+x|+y|" },
	{ "x\ny\n", "", "-x|-y|" },
	{ "7\t8\n6", "7\t9\n6", "-7\t8|+7\t9| 6|" },
	{ "a\nb\na\nb", "b\na\nb\na", "-a| b| a| b|+a|" },
};

START_TEST(test_diff)
{
	struct buf	 b;

	buf_init(&b, 4096);
	buf_puts(&b, "");
	ck_assert_int_eq(final_diff(diff_cases[_i].a, diff_cases[_i].b,
	    diff_cb, &b), 0);
	ck_assert_str_eq(buf_str(&b), diff_cases[_i].want);
	buf_free(&b);
}
END_TEST

/* More lines than the diff compares: all out, all in. */
START_TEST(test_diff_long)
{
	struct buf	 a, b, out;
	size_t		 minus = 0, plus = 0;

	buf_init(&a, 1 << 20);
	buf_init(&b, 1 << 20);
	buf_init(&out, 1 << 22);
	for (int i = 0; i <= FINAL_DIFF_LINES; i++)
		buf_printf(&a, "%d\n", i);
	buf_puts(&b, "0\n");
	ck_assert_int_eq(final_diff(buf_str(&a), buf_str(&b), diff_cb, &out),
	    0);
	for (const char *s = buf_str(&out); *s != '\0'; s++)
		if (s == buf_str(&out) || s[-1] == '|') {
			minus += *s == '-';
			plus += *s == '+';
		}
	ck_assert_uint_eq(minus, FINAL_DIFF_LINES + 1);
	ck_assert_uint_eq(plus, 1);
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
}
END_TEST

static struct form_row cities[] = {
	{ "Fr", "Freiburg" }, { "B", "Berlin" }, { "NY", "NYC" },
};

/* A body read back is the card; a city gone from the campaign is left
   out, and a rating out of range in a body is not taken. */
START_TEST(test_body)
{
	struct final_card	 a, b;
	char			*body, *again;

	final_init(&a, cities, 3);
	a.ratings[0] = 7;
	a.ratings[2] = 0;
	ck_assert_int_eq(final_text_set(&a.examples[1], "Signum \"net\""), 0);
	ck_assert_int_eq(final_text_set(&a.sections[9], "end"), 0);
	ck_assert_int_eq(final_total(&a), 7);
	ck_assert_uint_eq(final_rated(&a), 2);
	ck_assert_ptr_nonnull(body = final_body(&a));
	final_init(&b, cities, 3);
	ck_assert_int_eq(final_body_read(&b, body), 0);
	ck_assert_ptr_nonnull(again = final_body(&b));
	ck_assert_str_eq(body, again);
	final_free(&b);
	final_init(&b, cities, 2);
	ck_assert_int_eq(final_body_read(&b, "{\"ratings\": {\"Fr\": 11, "
	    "\"B\": 3, \"NY\": 5}, \"sections\": [\"x\", 5]}"), 0);
	ck_assert(b.ratings[0] == -1 && b.ratings[1] == 3);
	ck_assert_str_eq(b.sections[0], "x");
	ck_assert_ptr_null(b.sections[1]);
	ck_assert_int_eq(final_body_read(&b, "{not json"), -1);
	free(body);
	free(again);
	final_free(&a);
	final_free(&b);
}
END_TEST

/* ---- a campaign: the seed's cities, SF 41 and three experts ---- */

static struct golden_fixture fx;
static int64_t	 campaign, sf41, sf12;
static int64_t	 experts[3];

#define SF41_TITLE	"Cluster Management (Support of specialized and " \
	"small businesses through networking, promotion and marketing, " \
	"communication, and enabling market access)"

static int
setup_txn(struct store *st, void *arg)
{
	static const char *const city[][2] = { { "Fr", "Freiburg" },
	    { "B", "Berlin" }, { "C", "Copenhagen" }, { "NY", "NYC" },
	    { "S", "Singapore" }, { "T", "Tokyo" } };
	int64_t		 form;

	if (store_form_import(st, "keyfield", 1, arg, &form) != 0 ||
	    store_campaign_add(st, "demo", "Demo", "keyfield", &campaign) ||
	    store_field_add(st, campaign, "SF 41", SF41_TITLE, &sf41) ||
	    store_field_add(st, campaign, "SF 12", "Open Data", &sf12))
		return -1;
	for (int i = 0; i < 6; i++)
		if (store_city_add(st, campaign, city[i][0], city[i][1], i))
			return -1;
	return panel_add(st, campaign, sf41, 3, NULL, experts);
}

static void
setup(void)
{
	golden_fixture_open(&fx, "/tmp/check_final.XXXXXX", setup_txn);
}

static void
teardown(void)
{
	golden_fixture_close(&fx);
}

/* Expert i submits SF41 with Fr rated fr and B rated b, and a text. */
static void
submit(size_t i, int fr, int b, const char *description)
{
	struct form_answers	 a = { 0 };
	char			 v[8];

	snprintf(v, sizeof(v), "%d", fr);
	ck_assert_int_eq(form_answers_add(&a, "rating.rating", "Fr", 0, v),
	    0);
	snprintf(v, sizeof(v), "%d", b);
	ck_assert_int_eq(form_answers_add(&a, "rating.rating", "B", 0, v), 0);
	ck_assert_int_eq(form_answers_add(&a, "description", "", 0,
	    description), 0);
	panel_card_save(fx.store, experts[i], &a, true);
}

static int
text_cb(void *arg, const char *expert, const char *label, const char *row,
    const char *value)
{
	struct buf	*b = arg;

	buf_printf(b, "%s/%s/%s/%s;", expert, label, row, value);
	return 0;
}

/*
 * Prefill: the medians (6.5 rounds up to 7), none where nobody rated;
 * the panel's texts of section 1 by expert.
 */
START_TEST(test_prefill)
{
	struct stats_campaign	 sc;
	struct final_card	 fc;
	struct buf		 b;
	int			 round;

	submit(0, 5, 2, "one");
	submit(1, 8, 3, "two");
	submit(2, 7, 3, "");
	ck_assert_int_eq(final_round(fx.store, campaign, &round), 0);
	ck_assert_int_eq(round, 1);
	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", round, &sc), 0);
	final_init(&fc, sc.cities, sc.ncities);
	/* sc.fields by code: SF 12, SF 41. */
	final_prefill(&fc, &sc.st, 1);
	ck_assert_int_eq(fc.ratings[0], 7);
	ck_assert_int_eq(fc.ratings[1], 3);
	ck_assert_int_eq(fc.ratings[2], -1);
	ck_assert_int_eq(final_total(&fc), 10);
	buf_init(&b, 4096);
	buf_puts(&b, "");
	ck_assert_int_eq(final_panel_texts(fx.store, 1, sf41, fx.form.form, 1,
	    text_cb, &b), 0);
	ck_assert_str_eq(buf_str(&b), "e0@example.org/Differentiated "
	    "description//one;e1@example.org/Differentiated "
	    "description//two;");
	buf_free(&b);
	final_free(&fc);
	stats_campaign_free(&sc);
}
END_TEST

/* Versions: each save the next; a save based on an old one is stale. */
START_TEST(test_versions)
{
	struct final_card	 fc, got;
	struct store_final	 meta;
	int			 v = 0;

	final_init(&fc, cities, 3);
	fc.ratings[0] = 4;
	ck_assert_int_eq(final_save(fx.store, sf41, 0, &fc, "ann", &v), 0);
	ck_assert_int_eq(v, 1);
	fc.ratings[0] = 5;
	ck_assert_int_eq(final_save(fx.store, sf41, 1, &fc, "bob", &v), 0);
	ck_assert_int_eq(v, 2);
	v = 99;
	ck_assert_int_eq(final_save(fx.store, sf41, 1, &fc, "ann", &v), 1);
	ck_assert_int_eq(final_save(fx.store, sf41, 5, &fc, "ann", &v), 1);
	ck_assert_int_eq(final_save(fx.store, sf41, -1, &fc, "ann", &v), 1);
	ck_assert_int_eq(v, 99);
	/* SF12's versions are its own. */
	ck_assert_int_eq(final_save(fx.store, sf12, 0, &fc, "ann", &v), 0);
	ck_assert_int_eq(v, 1);
	final_init(&got, cities, 3);
	ck_assert_int_eq(final_load(fx.store, sf41, STORE_FINAL_LATEST, &got,
	    &meta), 0);
	ck_assert(meta.version == 2 && got.ratings[0] == 5);
	ck_assert_str_eq(meta.author, "bob");
	ck_assert_int_eq(final_load(fx.store, sf41, STORE_FINAL_PUBLISHED,
	    &got, &meta), 1);
	ck_assert_int_eq(final_load(fx.store, sf41, 3, &got, &meta), 1);
	final_free(&got);
	final_free(&fc);
}
END_TEST

/*
 * The seed's SF 41 card (tests/golden/final-SF41.body.json) saved and
 * published: the partner's delivery is a card.final.published payload
 * with the card and its total, and the Markdown export reads like the
 * seed (tests/golden/final-SF41.md).
 */
START_TEST(test_seed_card)
{
	struct stats_campaign	 sc;
	struct final_card	 fc;
	struct store_send	 send;
	char			 path[256], *body, *md = NULL;
	size_t			 mdlen, n;
	int64_t			 partner, due[4];
	FILE			*f;
	int			 v;

	ck_assert_int_eq(store_partner_add(fx.store, campaign, "p",
	    "https://p.example/", "whsec_AAAA", false, true, &partner), 0);
	snprintf(path, sizeof(path), "%s/tests/golden/final-SF41.body.json",
	    golden_srcdir());
	ck_assert_ptr_nonnull(body = golden_slurp(path));
	ck_assert_int_eq(stats_campaign_load(fx.store, "demo", 0, &sc), 0);
	final_init(&fc, sc.cities, sc.ncities);
	ck_assert_int_eq(final_body_read(&fc, body), 0);
	ck_assert_int_eq(final_total(&fc), 36);
	ck_assert_int_eq(final_save(fx.store, sf41, 0, &fc, "ann", &v), 0);
	ck_assert_ptr_nonnull(f = open_memstream(&md, &mdlen));
	ck_assert_int_eq(final_md_export(fx.store, "demo", NULL, NULL, f), 3);
	ck_assert_int_eq(final_md_export(fx.store, "nope", NULL, NULL, f), 1);
	ck_assert_int_eq(final_md_export(fx.store, "demo", "SF99", NULL, f), 2);
	ck_assert_int_eq(final_publish(fx.store, &sc.c, &sc.fields[1],
	    sc.cities, sc.ncities, 2, "https://k.example", "ann"), 1);
	ck_assert_int_eq(final_publish(fx.store, &sc.c, &sc.fields[1],
	    sc.cities, sc.ncities, 1, "https://k.example", "ann"), 0);
	ck_assert_int_eq(final_publish(fx.store, &sc.c, &sc.fields[1],
	    sc.cities, sc.ncities, 1, "https://k.example", "ann"), 1);
	ck_assert_int_eq(store_due(fx.store, partner, INT64_MAX / 2, 4, due,
	    &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(store_send_get(fx.store, due[0], INT64_MAX / 2,
	    &send), 0);
	ck_assert_str_eq(send.type, FINAL_EVENT);
	ck_assert_ptr_nonnull(strstr(send.payload, "\"total\":36"));
	ck_assert_ptr_nonnull(strstr(send.payload, "\"url\":\"https://"
	    "k.example/admin/c/demo/final/"));
	store_send_free(&send);
	ck_assert_int_eq(final_md_export(fx.store, "demo", NULL, NULL, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	golden_text(md, "final-SF41.md");
	free(md);
	/* --lang de: the headings in German, the coordinator's text as is. */
	md = NULL;
	ck_assert_ptr_nonnull(f = open_memstream(&md, &mdlen));
	ck_assert_int_eq(final_md_export(fx.store, "demo", NULL, "de", f), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_ptr_nonnull(strstr(md, "\tSumme\n"));
	ck_assert_ptr_nonnull(strstr(md, "#### **Beispiel:**\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n# 2. Bezug zur Nachhaltigkeit:\n"));
	ck_assert_ptr_null(strstr(md, "Total"));
	free(md);
	free(body);
	final_free(&fc);
	stats_campaign_free(&sc);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("final");
	TCase	*tc = tcase_create("parts");

	tcase_add_loop_test(tc, test_rating_parse, 0,
	    sizeof(rating_cases) / sizeof(rating_cases[0]));
	tcase_add_loop_test(tc, test_text_set, 0,
	    sizeof(text_cases) / sizeof(text_cases[0]));
	tcase_add_loop_test(tc, test_diff, 0,
	    sizeof(diff_cases) / sizeof(diff_cases[0]));
	tcase_add_test(tc, test_diff_long);
	tcase_add_test(tc, test_body);
	suite_add_tcase(s, tc);
	tc = tcase_create("campaign");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_prefill);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_seed_card);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("check_final", LOG_WARN);
	return check_run(suite());
}
