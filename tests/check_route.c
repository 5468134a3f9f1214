/*
 * check_route: route_match and route_find (app/route.c) against hostile
 * paths: every capture bounded and checked, nothing half-matched.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "app/route.h"

#define SLUG	"/admin/c/:slug"
#define EXPERT	SLUG "/(experts)/:id/(assign|link|revoke)"

static char	 longseg[1001];		/* a 1000-byte segment */
static char	 longpath[1100];

/* One pattern and one path: whether they match, and the captures. */
static const struct {
	const char	*pattern;
	const char	*path;
	bool		 ok;
	const char	*slug;		/* "" when none */
	int64_t		 id[ROUTE_IDS_MAX];
	const char	*word[ROUTE_WORDS_MAX];
	const char	*rest;		/* NULL when none */
} cases[] = {
	/* literals */
	{ "/", "/", true, "", { 0 }, { NULL }, NULL },
	{ "/", "", false, "", { 0 }, { NULL }, NULL },
	{ "/", "//", false, "", { 0 }, { NULL }, NULL },
	{ "/", "x", false, "", { 0 }, { NULL }, NULL },
	{ "/logout", "/logout", true, "", { 0 }, { NULL }, NULL },
	{ "/logout", "/logout/", false, "", { 0 }, { NULL }, NULL },
	{ "/logout", "/logou", false, "", { 0 }, { NULL }, NULL },
	{ "/logout", "/logoutx", false, "", { 0 }, { NULL }, NULL },
	{ "/logout", "//logout", false, "", { 0 }, { NULL }, NULL },
	{ "/admin/", "/admin/", true, "", { 0 }, { NULL }, NULL },
	{ "/admin/", "/admin", false, "", { 0 }, { NULL }, NULL },
	{ "/admin/", "/admin//", false, "", { 0 }, { NULL }, NULL },
	/* :slug */
	{ SLUG, "/admin/c/spring-2026", true, "spring-2026", { 0 },
	    { NULL }, NULL },
	{ SLUG, "/admin/c/", false, "", { 0 }, { NULL }, NULL },
	{ SLUG, "/admin/c", false, "", { 0 }, { NULL }, NULL },
	{ SLUG, "/admin/c/x/", false, "", { 0 }, { NULL }, NULL },
	{ SLUG, "/admin/c/-x", false, "", { 0 }, { NULL }, NULL },
	{ SLUG, "/admin/c/a%2Fb", false, "", { 0 }, { NULL }, NULL },
	{ SLUG, "/admin/c/a.b", false, "", { 0 }, { NULL }, NULL },
	{ SLUG, "/admin/c/<x>", false, "", { 0 }, { NULL }, NULL },
	{ SLUG, "/admin/c/\xc3\xa9t\xc3\xa9", false, "", { 0 }, { NULL },
	    NULL },
	{ SLUG, "/admin/c/" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaa", true,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    { 0 }, { NULL }, NULL },	/* 64 bytes: CAMPAIGN_SLUG_MAX */
	{ SLUG, "/admin/c/" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaa", false, "", { 0 }, { NULL }, NULL },
	{ SLUG "/dashboard", "/admin/c/x/dashboard", true, "x", { 0 },
	    { NULL }, NULL },
	{ SLUG "/dashboard", "/admin/c//dashboard", false, "", { 0 },
	    { NULL }, NULL },
	{ SLUG "/dashboard", "/admin/c/x/dashboard/", false, "", { 0 },
	    { NULL }, NULL },
	{ SLUG "/dashboard", "/admin/c/x/dashboard/x", false, "", { 0 },
	    { NULL }, NULL },
	/* :id and choices */
	{ EXPERT, "/admin/c/x/experts/12/assign", true, "x", { 12 },
	    { "experts", "assign" }, NULL },
	{ EXPERT, "/admin/c/x/experts/9/revoke", true, "x", { 9 },
	    { "experts", "revoke" }, NULL },
	{ EXPERT, "/admin/c//experts/1/assign", false, "", { 0 }, { NULL },
	    NULL },
	{ EXPERT, "/admin/c/x/experts//assign", false, "", { 0 }, { NULL },
	    NULL },
	{ EXPERT, "/admin/c/x/experts/1/assig", false, "", { 0 }, { NULL },
	    NULL },
	{ EXPERT, "/admin/c/x/experts/1/assignx", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/experts/1/assign|link", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/fields/1/assign", false, "", { 0 }, { NULL },
	    NULL },
	{ EXPERT, "/admin/c/x/experts/1/assign/", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/experts/1/assign/x", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/experts/0/assign", false, "", { 0 }, { NULL },
	    NULL },
	{ EXPERT, "/admin/c/x/experts/007/assign", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/experts/-1/assign", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/experts/+1/assign", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/experts/1e3/assign", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/experts/1%2F/assign", false, "", { 0 },
	    { NULL }, NULL },
	{ EXPERT, "/admin/c/x/experts/9223372036854775808/assign", false,
	    "", { 0 }, { NULL }, NULL },	/* 2^63 */
	{ EXPERT, "/admin/c/x/experts/99999999999999999999999/assign",
	    false, "", { 0 }, { NULL }, NULL },
	{ "/card/:id/v/:id", "/card/7/v/2", true, "", { 7, 2 }, { NULL },
	    NULL },
	{ "/card/:id/v/:id", "/card/7/v/", false, "", { 0 }, { NULL },
	    NULL },
	{ "/card/:id/v/:id", "/card/7/v/0", false, "", { 0 }, { NULL },
	    NULL },
	{ "/card/:id", "/card/7/", false, "", { 0 }, { NULL }, NULL },
	{ "/card/:id", "/card/", false, "", { 0 }, { NULL }, NULL },
	{ "/card/:id", "/card/../../etc/passwd", false, "", { 0 }, { NULL },
	    NULL },
	/* :word */
	{ SLUG "/export/:word", "/admin/c/x/export/xlsx", true, "x", { 0 },
	    { "xlsx" }, NULL },
	{ SLUG "/export/:word", "/admin/c/x/export/redeliver-failed", true,
	    "x", { 0 }, { "redeliver-failed" }, NULL },
	{ SLUG "/export/:word", "/admin/c/x/export/", false, "", { 0 },
	    { NULL }, NULL },
	{ SLUG "/export/:word", "/admin/c/x/export/a%2Fb", false, "", { 0 },
	    { NULL }, NULL },
	{ SLUG "/export/:word", "/admin/c/x/export/a.csv", false, "", { 0 },
	    { NULL }, NULL },
	{ SLUG "/export/:word", "/admin/c/x/export/"
	    "abcdefghijklmnopqrstuvwxyz01234", true, "x", { 0 },
	    { "abcdefghijklmnopqrstuvwxyz01234" }, NULL },	/* 31 */
	{ SLUG "/export/:word", "/admin/c/x/export/"
	    "abcdefghijklmnopqrstuvwxyz012345", false, "", { 0 }, { NULL },
	    NULL },
	/* the rest */
	{ "/i/*", "/i/abc", true, "", { 0 }, { NULL }, "abc" },
	{ "/i/*", "/i/", true, "", { 0 }, { NULL }, "" },
	{ "/i/*", "/i/a/b", true, "", { 0 }, { NULL }, "a/b" },
	{ "/i/*", "/i", false, "", { 0 }, { NULL }, NULL },
	{ "/i/*", "/ix/a", false, "", { 0 }, { NULL }, NULL },
	{ "/i/*", "", false, "", { 0 }, { NULL }, NULL },
};

/* The 1000-byte segment everywhere a capture or a literal is. */
static const char *const long_patterns[] = {
	"/", "/logout", SLUG, SLUG "/dashboard", EXPERT, "/card/:id",
	SLUG "/export/:word",
};

START_TEST(test_match)
{
	struct route_match m;
	size_t		 nid = 0, nword = 0;

	memset(&m, 0x5a, sizeof(m));
	ck_assert_msg(route_match(cases[_i].pattern, cases[_i].path, &m) ==
	    cases[_i].ok, "%s %s", cases[_i].pattern, cases[_i].path);
	if (!cases[_i].ok) {
		/* Untouched when it does not match. */
		ck_assert_uint_eq(m.nid, (size_t)0x5a5a5a5a5a5a5a5a);
		return;
	}
	ck_assert_str_eq(m.slug, cases[_i].slug);
	for (size_t k = 0; k < ROUTE_IDS_MAX && cases[_i].id[k] != 0; k++) {
		ck_assert_int_eq(m.id[k], cases[_i].id[k]);
		nid++;
	}
	ck_assert_uint_eq(m.nid, nid);
	for (size_t k = 0; k < ROUTE_WORDS_MAX && cases[_i].word[k] != NULL;
	    k++) {
		ck_assert_str_eq(m.word[k], cases[_i].word[k]);
		nword++;
	}
	ck_assert_uint_eq(m.nword, nword);
	if (cases[_i].rest == NULL)
		ck_assert_ptr_null(m.rest);
	else
		ck_assert_str_eq(m.rest, cases[_i].rest);
}
END_TEST

START_TEST(test_long_segment)
{
	const char	*pat = long_patterns[_i];
	struct route_match m;

	memset(longseg, 'a', sizeof(longseg) - 1);
	snprintf(longpath, sizeof(longpath), "/%s", longseg);
	ck_assert(!route_match(pat, longpath, &m));
	snprintf(longpath, sizeof(longpath), "/admin/c/%s", longseg);
	ck_assert(!route_match(pat, longpath, &m));
	snprintf(longpath, sizeof(longpath), "/admin/c/x/experts/1/%s",
	    longseg);
	ck_assert(!route_match(pat, longpath, &m));
	snprintf(longpath, sizeof(longpath), "/admin/c/x/export/%s",
	    longseg);
	ck_assert(!route_match(pat, longpath, &m));
	memset(longseg, '1', sizeof(longseg) - 1);
	snprintf(longpath, sizeof(longpath), "/card/%s", longseg);
	ck_assert(!route_match(pat, longpath, &m));
}
END_TEST

static int
handler(void *ctx, struct page *p, const struct route_match *m)
{
	(void)ctx;
	(void)p;
	(void)m;
	return 0;
}

enum { T_HOME, T_CARD, T_CARD_POST, T__MAX };
static const struct route table[] = {
	[T_HOME] = { REQ_GET, "/", ROUTE_REQUIRED, handler },
	[T_CARD] = { REQ_GET, "/card/:id", ROUTE_REQUIRED, handler },
	[T_CARD_POST] = { REQ_POST, "/card/:id", ROUTE_REQUIRED, handler },
};
_Static_assert(sizeof(table) / sizeof(table[0]) == T__MAX, "rows");

/* A method and a path, and the row route_find gives (T__MAX: none). */
static const struct {
	enum req_method	 method;
	const char	*path;
	size_t		 want;
} finds[] = {
	{ REQ_GET, "/", T_HOME },
	{ REQ_HEAD, "/", T_HOME },
	{ REQ_POST, "/", T__MAX },
	{ REQ_OTHER, "/", T__MAX },
	{ REQ_GET, "/card/3", T_CARD },
	{ REQ_HEAD, "/card/3", T_CARD },
	{ REQ_POST, "/card/3", T_CARD_POST },
	{ REQ_OTHER, "/card/3", T__MAX },
	{ REQ_POST, "/card/03", T__MAX },
	{ REQ_GET, "", T__MAX },
	{ REQ_GET, NULL, T__MAX },
	{ REQ_GET, "//", T__MAX },
	{ REQ_GET, "/card/3/x", T__MAX },
};

START_TEST(test_find)
{
	struct route_match m;
	size_t		 got;

	got = route_find(table, T__MAX, finds[_i].method, finds[_i].path, &m);
	ck_assert_msg(got == finds[_i].want, "%d %s: %zu, not %zu",
	    (int)finds[_i].method, finds[_i].path != NULL ? finds[_i].path :
	    "(null)", got, finds[_i].want);
	if (got == T_CARD || got == T_CARD_POST)
		ck_assert_int_eq(m.id[0], 3);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("route");
	TCase	*tc = tcase_create("route");

	tcase_add_loop_test(tc, test_match, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_loop_test(tc, test_long_segment, 0, sizeof(long_patterns) /
	    sizeof(long_patterns[0]));
	tcase_add_loop_test(tc, test_find, 0, sizeof(finds) / sizeof(finds[0]));
	suite_add_tcase(s, tc);
	return check_run(s);
}
