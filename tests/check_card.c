/*
 * tests/check_card: app/card, what the survey's card page and keyfield
 * response submit share: card_collect's verdicts for hostile answers
 * (bounds always, required answers only for Submit, a closed campaign
 * after the answers are checked) and card_save_then's versions and
 * stale revisions.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/card.h"
#include "base/auth.h"
#include "base/form.h"
#include "base/log.h"
#include "check-golden.h"
#include "check-run.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/forms.h"
#include "store/responses.h"

static struct golden_fixture fx;
static int64_t	 campaign, expert, card;

static int
setup_txn(struct store *st, void *arg)
{
	static const char *const city[][2] = { { "Fr", "Freiburg" },
	    { "B", "Berlin" }, { "T", "Tokyo" } };
	unsigned char	 h[32];
	int64_t		 field;

	auth_token_hash("token", h);
	if (store_form_import(st, "keyfield", 1, arg, &fx.form.id) != 0 ||
	    store_campaign_add(st, "demo", "Demo", "keyfield", &campaign) ||
	    store_field_add(st, campaign, "SF41", "Cluster", &field) ||
	    store_expert_add(st, campaign, "E", "e@example.org", h,
	    &expert) || store_assign(st, expert, field))
		return -1;
	for (int i = 0; i < 3; i++)
		if (store_city_add(st, campaign, city[i][0], city[i][1], i))
			return -1;
	return 0;
}

static void
setup(void)
{
	struct store_expert	 e;

	golden_fixture_open(&fx, "/tmp/check_card.XXXXXX", setup_txn);
	ck_assert_int_eq(store_expert_get(fx.store, expert, &e), 0);
	card = e.assignments[0].id;
	store_expert_free(&e);
}

static void
teardown(void)
{
	golden_fixture_close(&fx);
}

/* The answers card_collect reads: Fr as the row gives, the rest valid. */
struct typed {
	const char	*fr;		/* rating.rating.Fr; NULL: none */
	const char	*description;	/* NULL: none */
};

static const char *
typed_get(void *arg, const char *name)
{
	const struct typed *t = arg;

	if (strcmp(name, "rating.rating.Fr") == 0)
		return t->fr;
	if (strcmp(name, "description") == 0)
		return t->description;
	if (strncmp(name, "rating.rating.", 14) == 0)
		return "5";
	return strcmp(name, "indicators") == 0 ? "one\ntwo" : NULL;
}

static const struct {
	struct typed	 in;
	bool		 submit;
	int		 want;
	const char	*issue;		/* the first issue's name, or NULL */
} collect_cases[] = {
	{ { "7", "Networks" }, true, CARD_OK, NULL },
	{ { "0", "<script>alert(1)</script>" }, true, CARD_OK, NULL },
	{ { "10", "d" }, true, CARD_OK, NULL },
	{ { "11", "d" }, true, CARD_INVALID, "rating.rating.Fr" },
	{ { "-1", "d" }, true, CARD_INVALID, "rating.rating.Fr" },
	{ { "7.0", "d" }, true, CARD_INVALID, "rating.rating.Fr" },
	{ { "seven", "d" }, true, CARD_INVALID, "rating.rating.Fr" },
	{ { "99999999999999999999", "d" }, true, CARD_INVALID,
	    "rating.rating.Fr" },
	{ { "11", "d" }, false, CARD_INVALID, "rating.rating.Fr" },
	{ { NULL, "d" }, true, CARD_INVALID, "rating.rating.Fr" },
	{ { NULL, NULL }, false, CARD_OK, NULL },
	{ { "7", NULL }, true, CARD_INVALID, "description" },
	{ { "7", "line\nbreaks\tand tabs" }, true, CARD_OK, NULL },
};

START_TEST(test_collect)
{
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	struct form_issues	 is = { 0 };
	struct typed		 in = collect_cases[_i].in;

	ck_assert_int_eq(store_card_get(fx.store, expert, card, &c), 0);
	ck_assert_int_eq(card_collect(fx.store, &c, fx.form.form, typed_get,
	    &in, collect_cases[_i].submit, &a, &is), collect_cases[_i].want);
	if (collect_cases[_i].issue == NULL)
		ck_assert_uint_eq(is.n, 0);
	else {
		ck_assert_uint_ge(is.n, 1);
		ck_assert_str_eq(is.v[0].name, collect_cases[_i].issue);
	}
	/* Every value typed is kept, valid or not, for the page again. */
	if (in.fr != NULL && *in.fr != '\0')
		ck_assert_str_eq(form_answer(&a, "rating.rating", "Fr", 0),
		    in.fr);
	form_answers_free(&a);
	form_issues_free(&is);
	store_card_free(&c);
}
END_TEST

static int
close_txn(struct store *st, void *arg)
{
	(void)arg;
	return store_campaign_set_open(st, campaign, false);
}

/* A closed campaign: CARD_CLOSED, the answers checked all the same. */
START_TEST(test_closed)
{
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	struct form_issues	 is = { 0 };
	struct typed		 ok = { "7", "d" }, bad = { "11", "d" };

	ck_assert_int_eq(store_write(fx.store, close_txn, NULL), 0);
	ck_assert_int_eq(store_card_get(fx.store, expert, card, &c), 0);
	ck_assert_int_eq(card_collect(fx.store, &c, fx.form.form, typed_get,
	    &ok, true, &a, &is), CARD_CLOSED);
	ck_assert_uint_eq(is.n, 0);
	form_answers_free(&a);
	ck_assert_int_eq(card_collect(fx.store, &c, fx.form.form, typed_get,
	    &bad, true, &a, &is), CARD_CLOSED);
	ck_assert_uint_eq(is.n, 1);
	form_answers_free(&a);
	form_issues_free(&is);
	store_card_free(&c);
}
END_TEST

static void
done(void *arg, int rc)
{
	*(int *)arg = rc;
}

/* Submit Fr = fr to the card as it is now, expecting revision expected. */
static int
submit(const char *fr, int64_t expected, struct store_saved *sv)
{
	struct outbox_forms	 of = { &fx.form, 1, "https://k.example" };
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	struct form_issues	 is = { 0 };
	struct typed		 in = { fr, "d" };
	int			 rc = -2;

	ck_assert_int_eq(store_card_get(fx.store, expert, card, &c), 0);
	ck_assert_int_eq(card_collect(fx.store, &c, fx.form.form, typed_get,
	    &in, true, &a, &is), CARD_OK);
	ck_assert_int_eq(card_save_then(fx.store, &c, expected < 0 ?
	    c.revision : expected, &a, true, "test", &of, sv, done, &rc), 0);
	form_answers_free(&a);
	store_card_free(&c);
	return rc;
}

/* Versions 1 and 2; a stale revision stores nothing. */
START_TEST(test_save)
{
	struct store_saved	 sv = { 0 };
	struct store_card	 c;

	ck_assert_int_eq(submit("7", -1, &sv), STORE_SAVED);
	ck_assert_int_eq(sv.version, 1);
	ck_assert_int_eq(submit("8", 0, &sv), STORE_STALE);
	ck_assert_int_eq(submit("9", -1, &sv), STORE_SAVED);
	ck_assert_int_eq(sv.version, 2);
	ck_assert_int_eq(store_card_get(fx.store, expert, card, &c), 0);
	ck_assert_int_eq(c.status, STORE_SUBMITTED);
	ck_assert_int_eq(c.version, 2);
	ck_assert_str_eq(form_answer(&c.answers, "rating.rating", "Fr", 0),
	    "9");
	store_card_free(&c);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("card");
	TCase	*tc = tcase_create("card");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_collect, 0,
	    sizeof(collect_cases) / sizeof(collect_cases[0]));
	tcase_add_test(tc, test_closed);
	tcase_add_test(tc, test_save);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("check_card", LOG_WARN);
	return check_run(suite());
}
