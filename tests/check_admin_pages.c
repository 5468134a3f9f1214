/*
 * check_admin_pages: the console's pages rendered to memory through their
 * real handlers from a small fixed campaign in a temporary database, and
 * compared byte for byte with tests/golden/admin-*.html, the times they
 * show scrubbed. UPDATE_GOLDEN=1 rewrites the golden files.
 */
#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/console.h"
#include "app/outbox.h"
#include "base/auth.h"
#include "check-golden.h"
#include "check-run.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/forms.h"
#include "store/partners.h"
#include "store/responses.h"

#define DIR_TEMPLATE	"/tmp/check_admin_pages.XXXXXX"
static struct golden_fixture	 fx;
static struct store	*s;
static struct page_form	 form;
static int64_t		 ana, bob, partner, response;
static const char	 base_url[] = "http://127.0.0.1:8080";
static const char	 csrf[] = "CSRFCSRFCSRFCSRFCSRFCSRFCSRFCSRF";

/* Two experts, two key fields (one shared), three cities, a partner. */
static int
setup_txn(struct store *st, void *arg)
{
	static const char *const cities[][2] = {
		{ "Fr", "Freiburg" }, { "B", "Berlin" },
		{ "NY", "New York City" },
	};
	const char	*def = arg;
	unsigned char	 h[32];
	int64_t		 c, sf41, sf12;

	if (store_form_import(st, "keyfield", 1, def, &form.id) != 0 ||
	    store_campaign_add(st, "demo", "Smart <city> key fields",
	    "keyfield", &c) != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (store_city_add(st, c, cities[i][0], cities[i][1], i) != 0)
			return -1;
	if (store_field_add(st, c, "SF41", "Cluster Management", &sf41) != 0
	    || store_field_add(st, c, "SF12", "Open Data & <APIs>", &sf12)
	    != 0)
		return -1;
	auth_token_hash("token-ana", h);
	if (store_expert_add(st, c, "Åsa O'Connor-Nguyễn", "asa@example.org",
	    h, &ana) != 0)
		return -1;
	auth_token_hash("token-bob", h);
	if (store_expert_add(st, c, "Bob \"B\" Baker", "bob@example.org", h,
	    &bob) != 0)
		return -1;
	return store_assign(st, ana, sf41) != 0 ||
	    store_assign(st, ana, sf12) != 0 ||
	    store_assign(st, bob, sf41) != 0 ||
	    store_partner_add(st, c, "City <data> hub",
	    "https://hub.example.org/hook?a=1&b=2", "never-shown-secret",
	    false, false, &partner) != 0 ? -1 : 0;
}

/*
 * Save the card of expert for field code (submit: a new version, its
 * events through the real payload builder) with v: question, row, value
 * triples ending with NULL. The card's response id.
 */
static int64_t
answer(int64_t expert, const char *code, bool submit, const char *const *v)
{
	struct outbox_forms	 of = { &form, 1, base_url };
	struct store_expert	 e;
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	int64_t			 aid = 0, rev, id;
	int			 ver;
	char			 actor[48];

	ck_assert_int_eq(store_expert_get(s, expert, &e), 0);
	for (size_t i = 0; i < e.nassignments; i++)
		if (strcmp(e.assignments[i].field_code, code) == 0)
			aid = e.assignments[i].id;
	store_expert_free(&e);
	ck_assert_int_ne(aid, 0);
	ck_assert_int_eq(store_card_get(s, expert, aid, &c), 0);
	for (; *v != NULL; v += 3)
		ck_assert_int_eq(form_answers_add(&a, v[0], v[1], 0, v[2]), 0);
	snprintf(actor, sizeof(actor), "expert:%lld", (long long)expert);
	ck_assert_int_eq(store_card_save(s, &c, c.revision, &a, submit,
	    actor, outbox_card_payload, &of, &rev, &ver), STORE_SAVED);
	store_card_free(&c);
	form_answers_free(&a);
	ck_assert_int_eq(store_card_get(s, expert, aid, &c), 0);
	id = c.response_id;
	store_card_free(&c);
	return id;
}

/* Ratings, sector choices and texts: two submitted, one revised. */
static void
cards(void)
{
	static const char *const ana41[] = {
		"rating.rating", "Fr", "7", "rating.rating", "B", "3",
		"rating.rating", "NY", "10",
		"sectors.relevance", "energy", "high",
		"sectors.relevance", "mobility", "low",
		"description", "", "Clusters <b>bind</b> firms & labs.",
		"indicators", "", "Firms in the cluster",
		NULL,
	};
	static const char *const ana41b[] = {
		"rating.rating", "Fr", "8", "rating.rating", "B", "3",
		"rating.rating", "NY", "9",
		"sectors.relevance", "energy", "medium",
		"description", "", "Revised: clusters bind firms.",
		NULL,
	};
	static const char *const bob41[] = {
		"rating.rating", "Fr", "5", "rating.rating", "B", "4",
		"sectors.relevance", "energy", "high",
		"remarks", "", "Bob's \"remarks\"",
		NULL,
	};
	static const char *const ana12[] = {
		"rating.rating", "Fr", "2", NULL,
	};

	answer(ana, "SF41", true, ana41);
	response = answer(ana, "SF41", true, ana41b);
	answer(bob, "SF41", true, bob41);
	answer(ana, "SF12", false, ana12);
}

static void
setup(void)
{
	golden_fixture_open(&fx, DIR_TEMPLATE, setup_txn);
	s = fx.store;
	form.form = fx.form.form;	/* form.id: set by setup_txn */
	cards();
}

static void
teardown(void)
{
	golden_fixture_close(&fx);
}

/* A coordinator signed in, with a fixed CSRF token, asking a GET. */
static void
ctx_init(struct admin_ctx *ctx, struct req *r)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(r, 0, sizeof(*r));
	r->method = REQ_GET;
	ctx->req = r;
	ctx->store = s;
	ctx->forms = &form;
	ctx->nforms = 1;
	ctx->base_url = base_url;
	ctx->has_session = true;
	snprintf(ctx->session.csrf, sizeof(ctx->session.csrf), "%s", csrf);
	ctx->who.admin = true;
	snprintf(ctx->who.username, sizeof(ctx->who.username), "%s",
	    "coord<1>");
	snprintf(ctx->actor, sizeof(ctx->actor), "coordinator:%s",
	    ctx->who.username);
}

/*
 * What differs from run to run, each match replaced by "TIME": stored
 * times ("2026-11-24T07:11:23.404Z", "2026-11-24 07:11:23") and
 * i18n_time's in English ("24 November 2026, 07:11 UTC").
 */
static const char *const varying[] = {
	"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}"
	    "(\\.[0-9]+)?)?Z?",
	"[0-9]{1,2} [A-Z][a-z]+ [0-9]{4}, [0-9]{2}:[0-9]{2} UTC",
};

/* text with every match of re replaced by "TIME" (malloc'ed). */
static char *
scrub_one(const char *text, const char *re)
{
	regex_t		 rx;
	regmatch_t	 m;
	struct buf	 b;
	const char	*at = text;

	ck_assert_int_eq(regcomp(&rx, re, REG_EXTENDED), 0);
	buf_init(&b, PAGE_BODY_MAX);
	while (regexec(&rx, at, 1, &m, at == text ? 0 : REG_NOTBOL) == 0) {
		ck_assert_int_eq(buf_put(&b, at, (size_t)m.rm_so), 0);
		ck_assert_int_eq(buf_puts(&b, "TIME"), 0);
		at += m.rm_eo;
	}
	ck_assert_int_eq(buf_puts(&b, at), 0);
	regfree(&rx);
	return buf_take(&b);
}

/* p's status and its body, times scrubbed, against tests/golden/name. */
static void
golden(struct page *p, int status, const char *name)
{
	char	*text, *next;

	ck_assert_int_eq(p->status, status);
	ck_assert_ptr_null(strstr(buf_str(&p->body), "never-shown-secret"));
	text = buf_take(&p->body);
	for (size_t i = 0; i < sizeof(varying) / sizeof(varying[0]); i++) {
		next = scrub_one(text, varying[i]);
		free(text);
		text = next;
	}
	golden_text(text, name);
	free(text);
	page_free(p);
}

START_TEST(test_campaigns)
{
	struct admin_ctx	 ctx;
	struct req		 r;
	struct page		 p;

	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(admin_campaigns(&ctx, &p), 0);
	golden(&p, 200, "admin-campaigns.html");
}
END_TEST

START_TEST(test_campaign)
{
	struct admin_ctx	 ctx;
	struct req		 r;
	struct page		 p;

	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(admin_campaign(&ctx, &p, "demo"), 0);
	golden(&p, 200, "admin-campaign.html");
}
END_TEST

START_TEST(test_dashboard)
{
	struct admin_ctx	 ctx;
	struct req		 r;
	struct page		 p;

	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(admin_dashboard(&ctx, &p, "demo"), 0);
	golden(&p, 200, "admin-dashboard.html");
}
END_TEST

START_TEST(test_response)
{
	struct admin_ctx	 ctx;
	struct req		 r;
	struct page		 p;

	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(admin_response(&ctx, &p, response), 0);
	golden(&p, 200, "admin-response.html");
}
END_TEST

START_TEST(test_partners)
{
	struct admin_ctx	 ctx;
	struct req		 r;
	struct page		 p;

	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(admin_partners(&ctx, &p, "demo"), 0);
	golden(&p, 200, "admin-partners.html");
}
END_TEST

int
main(void)
{
	Suite	*su = suite_create("admin_pages");
	TCase	*tc = tcase_create("golden");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_campaigns);
	tcase_add_test(tc, test_campaign);
	tcase_add_test(tc, test_dashboard);
	tcase_add_test(tc, test_response);
	tcase_add_test(tc, test_partners);
	suite_add_tcase(su, tc);
	return check_run(su);
}
