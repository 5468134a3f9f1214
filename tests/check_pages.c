/*
 * check_pages: the expert pages rendered to memory from a temporary
 * database and compared byte for byte with the files in tests/golden.
 * UPDATE_GOLDEN=1 rewrites the golden files (review the diff!).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/auth.h"
#include "check-golden.h"
#include "check-run.h"
#include "app/outbox.h"
#include "base/req.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/forms.h"
#include "store/responses.h"
#include "survey/pages.h"

#define DIR_TEMPLATE	"/tmp/check_pages.XXXXXX"
static struct golden_fixture	 fx;
static struct store	*s;
static struct page_form	 form;
static int64_t		 expert;
static const char	 base_url[] = "http://127.0.0.1:8080";

static int
setup_txn(struct store *st, void *arg)
{
	static const char *const cities[][2] = {
		{ "Fr", "Freiburg" }, { "B", "Berlin" }, { "C", "Copenhagen" },
		{ "NY", "New York City" }, { "S", "Singapore" },
		{ "T", "Tokyo" },
	};
	const char	*def = arg;
	unsigned char	 hash[32];
	int64_t		 c, f;

	auth_token_hash("token", hash);
	if (store_form_import(st, "keyfield", 1, def, &form.id) != 0 ||
	    store_campaign_add(st, "demo", "Smart <city> key fields", "keyfield",
	    &c) != 0)
		return -1;
	for (int i = 0; i < 6; i++)
		if (store_city_add(st, c, cities[i][0], cities[i][1], i) != 0)
			return -1;
	if (store_field_add(st, c, "SF41", "Cluster Management", &f) != 0 ||
	    store_expert_add(st, c, "Åsa O'Connor-Nguyễn", "a@example.org",
	    hash, &expert) != 0 ||
	    store_assign(st, expert, f) != 0)
		return -1;
	return 0;
}

static void
setup(void)
{
	golden_fixture_open(&fx, DIR_TEMPLATE, setup_txn);
	s = fx.store;
	form.form = fx.form.form;	/* form.id: set by setup_txn */
}

static void
teardown(void)
{
	golden_fixture_close(&fx);
}

/* Compare the page body with tests/golden/name, or rewrite it. */
static void
golden(struct page *p, const char *name)
{
	golden_text(buf_str(&p->body), name);
}

static void
ctx_init(struct page_ctx *ctx, struct req *r)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(r, 0, sizeof(*r));
	ctx->req = r;
	ctx->store = s;
	ctx->forms = &form;
	ctx->nforms = 1;
	ctx->base_url = base_url;
	ctx->has_session = true;
	ctx->session.subject_id = expert;
	snprintf(ctx->session.csrf, sizeof(ctx->session.csrf), "%s",
	    "CSRFCSRFCSRFCSRFCSRFCSRFCSRFCSRF");
}

START_TEST(test_home)
{
	struct page_ctx	 ctx;
	struct req	 r;
	struct page	 p;

	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(page_home(&ctx, &p), 0);
	ck_assert_int_eq(p.status, 200);
	golden(&p, "home.html");
	page_free(&p);
}
END_TEST

START_TEST(test_card_new)
{
	struct page_ctx	 ctx;
	struct req	 r;
	struct page	 p;

	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(page_card(&ctx, &p, 1), 0);
	ck_assert_int_eq(p.status, 200);
	golden(&p, "card-new.html");
	page_free(&p);
}
END_TEST

START_TEST(test_card_not_mine)
{
	struct page_ctx	 ctx;
	struct req	 r;
	struct page	 p;

	ctx_init(&ctx, &r);
	ctx.session.subject_id = expert + 1;
	page_init(&p);
	ck_assert_int_eq(page_card(&ctx, &p, 1), 0);
	ck_assert_int_eq(p.status, 404);
	page_free(&p);
}
END_TEST

/* The body with the time after "last saved " (it changes) as "TIME". */
static void
golden_timeless(struct page *p, const char *name)
{
	struct buf	 b;
	const char	*at, *end;

	at = strstr(buf_str(&p->body), "last saved ");
	ck_assert_ptr_nonnull(at);
	at += strlen("last saved ");
	ck_assert_ptr_nonnull(end = strstr(at, "</p>"));
	buf_init(&b, PAGE_BODY_MAX);
	buf_put(&b, p->body.data, (size_t)(at - p->body.data));
	buf_puts(&b, "TIME");
	buf_puts(&b, end);
	buf_free(&p->body);
	p->body = b;
	golden(p, name);
}

/* POST fields to card 1 into p (to free), expecting status. */
static void
post(struct req_kv *fields, size_t n, struct page *p, int status)
{
	struct page_ctx	 ctx;
	struct req	 r;

	ctx_init(&ctx, &r);
	r.method = REQ_POST;
	r.fields = fields;
	r.nfields = n;
	page_init(p);
	ck_assert_int_eq(page_card_post(&ctx, p, 1), 0);
	ck_assert_int_eq(p->status, status);
}

/*
 * A card saved with answers in every kind of field (fields sent in the
 * reverse of the page's order, text that needs escaping), then shown
 * (the compiled template's holes), then submitted with a required answer
 * missing (422: the page rendered directly, with everything typed).
 */
START_TEST(test_card_filled)
{
	static struct req_kv save[] = {
		{ "remarks", "<b>Tom & Jerry's \"rem\"</b>", 0 },
		{ "indicators", "one\n two \n\nthree & more", 0 },
		{ "sectors.importance.energy", "Grid & storage", 0 },
		{ "sectors.relevance.mobility", "high", 0 },
		{ "sectors.relevance.energy", "", 0 },
		{ "description", "Line 1\r\nLine 2 <x>", 0 },
		{ "examples.example.NY", "Hudson Yards", 0 },
		{ "rating.rating.T", "3", 0 },
		{ "rating.rating.Fr", "7", 0 },
		{ "action", "save", 0 },
		{ "revision", "0", 0 },
		{ "csrf", "CSRFCSRFCSRFCSRFCSRFCSRFCSRFCSRF", 0 },
	};
	static struct req_kv submit[] = {
		{ "csrf", "CSRFCSRFCSRFCSRFCSRFCSRFCSRFCSRF", 0 },
		{ "revision", "1", 0 },
		{ "action", "submit", 0 },
		{ "rating.rating.Fr", "11", 0 },
		{ "description", "Changed <again>", 0 },
		{ "sectors.relevance.mobility", "low", 0 },
		{ "indicators", "only one", 0 },
	};
	struct page_ctx	 ctx;
	struct req	 r;
	struct page	 p;

	post(save, sizeof(save) / sizeof(save[0]), &p, 303);
	page_free(&p);

	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(page_card(&ctx, &p, 1), 0);
	ck_assert_int_eq(p.status, 200);
	golden_timeless(&p, "card-filled.html");
	page_free(&p);

	post(submit, sizeof(submit) / sizeof(submit[0]), &p, 422);
	golden_timeless(&p, "card-422.html");
	page_free(&p);
}
END_TEST

/* The payloads of event id (type, version, at) against golden files. */
static void
payloads_golden(struct outbox_forms *of, const struct store_card *c,
    const char *type, const char *id, int version, const char *at,
    const char *summary_name, const char *full_name)
{
	char	*summary, *full;

	ck_assert_int_eq(outbox_card_payload(of, c, &c->answers, type, id,
	    version, at, &summary, &full), 0);
	ck_assert_int_lt(strlen(summary), OUTBOX_PAYLOAD_MAX);
	ck_assert_int_lt(strlen(full), OUTBOX_PAYLOAD_MAX);
	golden_text(summary, summary_name);
	golden_text(full, full_name);
	free(summary);
	free(full);
}

/*
 * The card.submitted payloads, both detail levels, against golden files:
 * ratings (one not a number, one missing), sector choices and texts, a
 * list, texts that need escaping, one of more than 280 code points (the
 * summary's excerpt must not split a character). Then with a text too
 * long for OUTBOX_PAYLOAD_MAX: the full payload falls back to excerpts.
 */
START_TEST(test_payloads)
{
	static struct form_row cities[] = {
		{ "Fr", "Freiburg" }, { "B", "Berlin" }, { "C", "Copenhagen" },
		{ "NY", "New York City" }, { "S", "Singapore" },
		{ "T", "Tokyo" },
	};
	static const char *const values[][4] = {
		{ "description", "", "0", "Line 1\r\nLine 2 \"<x>\" \\ \x01" },
		{ "examples.example", "NY", "0", "Hudson Yards" },
		{ "indicators", "", "0", "one" },
		{ "indicators", "", "1", "two & three" },
		{ "rating.rating", "B", "0", "x" },
		{ "rating.rating", "Fr", "0", "7" },
		{ "rating.rating", "T", "0", "10" },
		{ "remarks", "", "0", "<b>Tom & Jerry's</b>" },
		{ "sectors.importance", "energy", "0", "Grid & storage" },
		{ "sectors.relevance", "energy", "0", "high" },
		{ "sectors.relevance", "mobility", "0", "low" },
	};
	struct outbox_forms of = { &form, 1, base_url };
	struct store_card c;
	struct buf	 longtext;

	memset(&c, 0, sizeof(c));
	c.response_id = 5;
	c.round = 2;
	c.form_id = form.id;
	c.campaign_slug = "demo";
	c.campaign_title = "Smart <city> key fields";
	c.field_code = "SF41";
	c.field_title = "Cluster Management";
	c.expert_name = "Åsa O'Connor-Nguyễn";
	c.expert_email = "a@example.org";
	c.cities = cities;
	c.ncities = sizeof(cities) / sizeof(cities[0]);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		ck_assert_int_eq(form_answers_add(&c.answers, values[i][0],
		    values[i][1], (unsigned)(values[i][2][0] - '0'),
		    values[i][3]), 0);
	/* 300 code points of 1, 2, 3 and 4 bytes. */
	buf_init(&longtext, 1 << 20);
	for (int i = 0; i < 75; i++)
		buf_puts(&longtext, "aé€😀");
	ck_assert_int_eq(form_answers_add(&c.answers, "social", "", 0,
	    buf_str(&longtext)), 0);
	payloads_golden(&of, &c, "card.submitted", "msg_test", 3,
	    "2026-11-24T12:00:00.000Z", "payload-summary.json",
	    "payload-full.json");

	/* Over the cap in full: excerpts instead (the expert stays). */
	while (longtext.len < OUTBOX_PAYLOAD_MAX)
		buf_puts(&longtext, "0123456789abcdef");
	ck_assert_int_eq(form_answers_add(&c.answers, "economic", "", 0,
	    buf_str(&longtext)), 0);
	payloads_golden(&of, &c, "card.revised", "msg_test2", 4,
	    "2026-11-24T12:00:01.000Z", "payload-summary-capped.json",
	    "payload-full-capped.json");
	buf_free(&longtext);
	form_answers_free(&c.answers);
}
END_TEST

/* The card's <form> .. </form> of page p's body into out (to free). */
static void
form_part(struct page *p, struct buf *out)
{
	const char	*from, *to;

	ck_assert_ptr_nonnull(from = strstr(buf_str(&p->body),
	    "<form method=\"post\""));
	ck_assert_ptr_nonnull(to = strstr(from, "</form>\n"));
	buf_init(out, PAGE_BODY_MAX);
	ck_assert_int_eq(buf_put(out, from, (size_t)(to - from) +
	    strlen("</form>\n")), 0);
}

/* b without the one occurrence of what in it. */
static void
cut(struct buf *b, const char *what)
{
	struct buf	 out;
	const char	*text = buf_str(b), *at;

	ck_assert_msg((at = strstr(text, what)) != NULL, "no '%s'", what);
	ck_assert_msg(strstr(at + 1, what) == NULL, "'%s' twice", what);
	buf_init(&out, b->max);
	ck_assert_int_eq(buf_put(&out, text, (size_t)(at - text)), 0);
	ck_assert_int_eq(buf_puts(&out, at + strlen(what)), 0);
	buf_free(b);
	*b = out;
}

/* a and b are the same text; else fail naming the first line that is not. */
static void
same_text(const char *a, const char *b)
{
	size_t	 at = 0, line;

	while (a[at] != '\0' && a[at] == b[at])
		at++;
	for (line = at; line > 0 && a[line - 1] != '\n'; line--)
		continue;
	ck_assert_msg(a[at] == '\0' && b[at] == '\0', "the card's form "
	    "differs between its two paths at byte %zu:\n%.200s\n----\n%.200s",
	    at, a + line, b + line);
}

/*
 * A card is rendered by two paths (survey/page-card.c): a page without
 * issues copies a template compiled once per worker and fills its holes
 * (tmpl_fill, hole_put with the memo of a choice's key); a page with
 * issues (422) walks the form and writes each hole at once (fields,
 * hole_put without it). The same answers, saved and shown (template),
 * then submitted with one required rating missing (direct): the forms
 * are the same bytes once that rating's issue markup is cut out.
 */
START_TEST(test_card_both_paths)
{
	static struct req_kv answers[] = {
		{ "csrf", "CSRFCSRFCSRFCSRFCSRFCSRFCSRFCSRF", 0 },
		{ "rating.rating.Fr", "7", 0 },
		{ "rating.rating.B", "8", 0 },
		{ "rating.rating.C", "6", 0 },
		{ "rating.rating.NY", "6", 0 },
		{ "rating.rating.T", "3", 0 },
		{ "examples.example.NY", "Hudson <Yards>", 0 },
		{ "description", "Line 1\r\nLine 2 & \"3\"", 0 },
		{ "economic", "Cluster management organises industries.", 0 },
		{ "sectors.relevance.mobility", "high", 0 },
		{ "sectors.relevance.ict", "medium", 0 },
		{ "sectors.importance.energy", "Grid & storage", 0 },
		{ "indicators", "one\ntwo & three", 0 },
		{ "remarks", "<b>Tom & Jerry's</b>", 0 },
		{ "action", "save", 0 },
		{ "revision", "0", 0 },
	};
	const size_t	 n = sizeof(answers) / sizeof(answers[0]);
	struct page_ctx	 ctx;
	struct req	 r;
	struct page	 p;
	struct buf	 shown, direct;

	post(answers, n, &p, 303);
	page_free(&p);
	ctx_init(&ctx, &r);
	page_init(&p);
	ck_assert_int_eq(page_card(&ctx, &p, 1), 0);
	ck_assert_int_eq(p.status, 200);
	form_part(&p, &shown);
	page_free(&p);

	answers[n - 2].val = "submit";
	answers[n - 1].val = "1";
	post(answers, n, &p, 422);
	form_part(&p, &direct);
	page_free(&p);
	cut(&direct, "<p class=\"issue\" id=\"rating.rating.S-issue\">"
	    "This field is required.</p>\n");
	cut(&direct, " aria-invalid=\"true\" "
	    "aria-describedby=\"rating.rating.S-issue\"");
	same_text(buf_str(&shown), buf_str(&direct));
	buf_free(&shown);
	buf_free(&direct);
}
END_TEST

int
main(void)
{
	Suite	*su = suite_create("pages");
	TCase	*tc = tcase_create("golden");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_home);
	tcase_add_test(tc, test_card_new);
	tcase_add_test(tc, test_card_not_mine);
	tcase_add_test(tc, test_card_filled);
	tcase_add_test(tc, test_payloads);
	tcase_add_test(tc, test_card_both_paths);
	suite_add_tcase(su, tc);
	return check_run(su);
}
