/*
 * check_admin: the console's RFC 4180 CSV reader, table-driven, with
 * hostile input in the table; the checks of a new campaign (campaign.c)
 * shared by the console and the CLI.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/buf.h"
#include "app/campaign.h"
#include "app/expert.h"
#include "app/lang.h"
#include "check-run.h"

/* Records as "LINE:field|field" lines; an error as "ERR:message". */
static int
collect(void *arg, int line, char **f, size_t n)
{
	struct buf	*b = arg;

	buf_printf(b, "%d:", line);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? "|" : "", f[i]);
	buf_putc(b, '\n');
	return 0;
}

static const struct {
	const char	*in;
	const char	*out;
} cases[] = {
	{ "", "" },
	{ "a,b", "1:a|b\n" },
	{ "a,b\n", "1:a|b\n" },
	{ "a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n" },
	{ "code,title\nSF1,One\n", "1:code|title\n2:SF1|One\n" },
	{ "\n\na,b\n\n", "3:a|b\n" },
	{ "a,,c", "1:a||c\n" },
	{ ",", "1:|\n" },
	{ "\"a,b\",c", "1:a,b|c\n" },
	{ "\"say \"\"hi\"\"\",x", "1:say \"hi\"|x\n" },
	{ "\"two\nlines\",x\ny,z", "1:two\nlines|x\n3:y|z\n" },
	{ "\"\",x", "1:|x\n" },
	{ "\xef\xbb\xbf" "a,b", "1:a|b\n" },
	{ "Zürich,Åsa O'Connor-Nguyễn 😀", "1:Zürich|Åsa O'Connor-Nguyễn 😀\n" },
	{ "<script>alert(1)</script>,=1+2", "1:<script>alert(1)</script>|=1+2\n" },
	{ "a\rb", "1:a\n2:b\n" },
	{ "\"open", "ERR:Line 1: a quoted value is not closed." },
	{ "\"a\"b,c", "ERR:Line 1: text after a closing quote" },
	{ "a\"b,c", "ERR:Line 1: a quote inside a value" },
	{ "x\n\"a\nb\"c", "ERR:Line 3: text after a closing quote" },
	{ "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
	    "ERR:Line 1: more than 16 columns." },
	/* A German Excel: ';' between values, a BOM, CRLF. */
	{ "\xef\xbb\xbf" "name;email;fields\r\nJörg;j@x.org;SF50,SF51\r\n",
	    "1:name|email|fields\n2:Jörg|j@x.org|SF50,SF51\n" },
	{ "a;b,c;d", "1:a|b,c|d\n" },
	{ "\"a;b\",c", "1:a;b|c\n" },
	{ "\"x,y,z\";b;c\n1;2;3", "1:x,y,z|b|c\n2:1|2|3\n" },
	{ "a,b;c", "1:a|b;c\n" },
	{ "a;b,c", "1:a;b|c\n" },
	{ "\"open;", "ERR:Line 1: a quoted value is not closed." },
};

START_TEST(test_csv)
{
	struct buf	 b;
	char		 err[160] = "";
	int		 rc;

	buf_init(&b, 4096);
	rc = csv_parse(cases[_i].in, strlen(cases[_i].in), NULL, collect,
	    &b, err, sizeof(err));
	if (strncmp(cases[_i].out, "ERR:", 4) == 0) {
		ck_assert_int_eq(rc, 1);
		ck_assert_msg(strncmp(err, cases[_i].out + 4,
		    strlen(cases[_i].out + 4)) == 0, "case %d: \"%s\"", _i, err);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_str_eq(buf_str(&b), cases[_i].out);
	}
	buf_free(&b);
}
END_TEST

static int
stop(void *arg, int line, char **f, size_t n)
{
	(*(int *)arg)++;
	return 7;
}

START_TEST(test_stop)
{
	char	 err[16];
	int	 calls = 0;

	/* The callback's non-zero result stops the reader and is returned. */
	ck_assert_int_eq(csv_parse("a\nb\nc\n", 6, NULL, stop, &calls, err,
	    sizeof(err)), 7);
	ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(test_len)
{
	struct buf	 b;
	char		 err[16];

	/* Only len bytes are read, even when the text goes on. */
	buf_init(&b, 256);
	ck_assert_int_eq(csv_parse("a,b\nc,d", 3, NULL, collect, &b, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(buf_str(&b), "1:a|b\n");
	buf_free(&b);
}
END_TEST

/* csv_delimiter: from the first record only, quotes ignored. */
static const struct {
	const char	*in;
	char		 delim;
} delims[] = {
	{ "", ',' },
	{ "a;b", ';' },
	{ "a,b", ',' },
	{ "a;b,c", ',' },
	{ "a;b;c,d", ';' },
	{ "\"a,b,c\";d", ';' },
	{ "\"a;\nb;c\",d", ',' },
	{ "a,b\nc;d;e;f", ',' },
	{ "\xef\xbb\xbf" "a;b", ';' },
};

START_TEST(test_delimiter)
{
	ck_assert_int_eq(csv_delimiter(delims[_i].in, strlen(delims[_i].in)),
	    delims[_i].delim);
}
END_TEST

/* A CSV that is not UTF-8 (Windows-1252) is refused naming its file. */
START_TEST(test_import_not_utf8)
{
	struct expert_import	 im;

	ck_assert_int_eq(expert_import_init(&im, 1, NULL, 0, "test", NULL), 0);
	ck_assert_int_eq(expert_import_read(&im, "name;email\nJ\xf6rg;j@x.org",
	    "experts.csv"), 1);
	ck_assert_str_eq(import_problems_text(&im.pr), "The file experts.csv "
	    "is not UTF-8: in Excel choose \"CSV UTF-8\" when you save it. "
	    "Nothing was imported.");
	expert_import_free(&im);
}
END_TEST

/* A campaign's languages: checked, normalized, the default among them. */
static const struct {
	const char	*list, *dflt;
	const char	*out;	/* "en,de|en", or a word of the problem */
	bool		 ok;
} lang_rows[] = {
	{ "en", NULL, "en|en", true },
	{ "en,de", NULL, "en,de|en", true },
	{ " de , en ", NULL, "de,en|de", true },
	{ "en,de", "de", "en,de|de", true },
	{ "en,,de", NULL, "not a language", false },
	{ "", NULL, "at least one", false },
	{ "en,en", NULL, "twice", false },
	{ "fr", NULL, "\"fr\" is not a language", false },
	{ "en,de", "fr", "default language \"fr\"", false },
	{ "en,de", "de,en", "default language", false },
	{ "<script>", NULL, "not a language", false },
	{ "deutsch-und-englisch-und-mehr", NULL, "not a language", false },
};

START_TEST(test_lang_list)
{
	char	 out[STORE_LANGS_SZ], dflt[STORE_LANG_SZ], got[128];
	char	 problem[LANG_PROBLEM_SZ] = "";
	int	 rc;

	rc = lang_list_check(lang_rows[_i].list, lang_rows[_i].dflt, out,
	    dflt, problem, sizeof(problem));
	if (lang_rows[_i].ok) {
		ck_assert_msg(rc == 0, "row %d: %s", _i, problem);
		snprintf(got, sizeof(got), "%s|%s", out, dflt);
		ck_assert_str_eq(got, lang_rows[_i].out);
	} else {
		ck_assert_int_eq(rc, 1);
		ck_assert_msg(strstr(problem, lang_rows[_i].out) != NULL,
		    "row %d: %s", _i, problem);
	}
	ck_assert(lang_in_list("en,de", "de") && lang_in_list("en,de", "en"));
	ck_assert(!lang_in_list("en,de", "d") && !lang_in_list("en,de", ""));
	ck_assert(!lang_in_list("en,de", "en,de") && !lang_in_list("", "en"));
}
END_TEST

/* campaign_check: slug, title, form, then cities as "CODE=Name" items. */
static const struct {
	const char	*slug, *title, *cities, *seps;
	const char	*problem;	/* a word of the message, or NULL */
	const char	*got;		/* "code=name|..." when accepted */
} campaigns[] = {
	{ "demo", "Demo", "Fr=Freiburg\nB=Berlin", "\n", NULL,
	    "Fr=Freiburg|B=Berlin" },
	{ "demo", "Demo", " Fr=Freiburg ,, B=Berlin\r", ",", NULL,
	    "Fr=Freiburg|B=Berlin" },
	{ "demo", "Demo", "\n\nNY=New York City\r\n\n", "\n", NULL,
	    "NY=New York City" },
	{ "-demo", "Demo", "Fr=Freiburg", "\n", "slug", NULL },
	{ "de mo", "Demo", "Fr=Freiburg", "\n", "slug", NULL },
	{ "demo", "", "Fr=Freiburg", "\n", "title", NULL },
	{ "demo", "Demo", "", "\n", "at least one city", NULL },
	{ "demo", "Demo", " \n \n", "\n", "at least one city", NULL },
	{ "demo", "Demo", "Freiburg", "\n", "CODE=Name", NULL },
	{ "demo", "Demo", "=Freiburg", "\n", "CODE=Name", NULL },
	{ "demo", "Demo", "Fr=", "\n", "CODE=Name", NULL },
	{ "demo", "Demo", "Fr-1=Freiburg", "\n", "CODE=Name", NULL },
	{ "demo", "Demo", "ABCDEFGHI=Nine", "\n", "CODE=Name", NULL },
	{ "demo", "Demo", "Fr=Frei\x01" "burg", "\n", "CODE=Name", NULL },
	/* one line: a name may hold ',' and '=' */
	{ "demo", "Demo", "Fr=Freiburg,B=Berlin", "\n", NULL,
	    "Fr=Freiburg,B=Berlin" },
	{ "demo", "Demo", "Fr=Freiburg,B=Berlin", ",", NULL,
	    "Fr=Freiburg|B=Berlin" },
};

START_TEST(test_campaign_check)
{
	struct campaign_new	*c = calloc(1, sizeof(*c));
	const char		*why;
	struct buf		 b;

	ck_assert_ptr_nonnull(c);
	c->slug = campaigns[_i].slug;
	c->title = campaigns[_i].title;
	c->form = "keyfield";
	why = campaign_check(c, campaigns[_i].cities, campaigns[_i].seps);
	if (campaigns[_i].problem != NULL) {
		ck_assert_ptr_nonnull(why);
		ck_assert_msg(strstr(why, campaigns[_i].problem) != NULL,
		    "row %d: %s", _i, why);
	} else {
		ck_assert_msg(why == NULL, "row %d: %s", _i, why);
		buf_init(&b, 1024);
		for (size_t i = 0; i < c->ncities; i++)
			buf_printf(&b, "%s%s=%s", i ? "|" : "", c->codes[i],
			    c->names[i]);
		ck_assert_str_eq(buf_str(&b), campaigns[_i].got);
		buf_free(&b);
	}
	free(c);
}
END_TEST

/*
 * The messages are catalogue entries, so their numbers are written out:
 * they must be the limits in force.
 */
START_TEST(test_campaign_limits)
{
	struct campaign_new	*c = calloc(1, sizeof(*c));
	char			 slug[CAMPAIGN_SLUG_MAX + 2];
	const char		*why;
	struct buf		 b;

	ck_assert_ptr_nonnull(c);
	memset(slug, 'a', sizeof(slug) - 1);
	slug[sizeof(slug) - 1] = '\0';
	c->slug = slug;
	c->title = "Demo";
	c->form = "keyfield";
	ck_assert_ptr_nonnull(why = campaign_check(c, "Fr=F", "\n"));
	ck_assert_ptr_nonnull(strstr(why, "1 to " LIMIT_STR(CAMPAIGN_SLUG_MAX)
	    " letters"));
	c->slug = "demo";
	c->title = "";
	ck_assert_ptr_nonnull(why = campaign_check(c, "Fr=F", "\n"));
	ck_assert_ptr_nonnull(strstr(why, LIMIT_STR(CAMPAIGN_TEXT_MAX)));
	c->title = "Demo";
	ck_assert_ptr_nonnull(why = campaign_check(c, "=F", "\n"));
	ck_assert_ptr_nonnull(strstr(why, "1 to "
	    LIMIT_STR(CAMPAIGN_CITY_CODE_CHARS) " letters"));
	ck_assert_ptr_nonnull(strstr(why, "1 to "
	    LIMIT_STR(CAMPAIGN_CITY_NAME_MAX) " bytes"));
	buf_init(&b, 4096);
	for (int i = 0; i <= CAMPAIGN_CITIES_MAX; i++)
		buf_printf(&b, "C%d=City\n", i);
	ck_assert_ptr_nonnull(why = campaign_check(c, buf_str(&b), "\n"));
	ck_assert_ptr_nonnull(strstr(why, "at most "
	    LIMIT_STR(CAMPAIGN_CITIES_MAX) " cities"));
	buf_free(&b);
	free(c);
}
END_TEST

/* The form: any name a definition may have ([a-z0-9_-]{1,32}). */
START_TEST(test_campaign_form)
{
	static const struct {
		const char	*form;
		bool		 ok;
	} forms[] = {
		{ "keyfield", true }, { "my-form_2", true },
		{ "abcdefghijklmnopqrstuvwxyz012345", true },
		{ "abcdefghijklmnopqrstuvwxyz0123456", false },
		{ "", false }, { "My Form", false }, { "form/../x", false },
	};
	struct campaign_new	*c = calloc(1, sizeof(*c));

	ck_assert_ptr_nonnull(c);
	c->slug = "demo";
	c->title = "Demo";
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		c->form = forms[i].form;
		ck_assert_msg((campaign_check(c, "Fr=Freiburg", "\n") ==
		    NULL) == forms[i].ok, "form \"%s\"", forms[i].form);
	}
	free(c);
}
END_TEST

/* One rule for key field codes in the console, its import and the CLI. */
static const struct {
	const char	*in;
	bool		 field, city;
} code_rows[] = {
	{ "SF41", true, true },
	{ "SF 41", true, false },		/* the seed's own code */
	{ "Z\xc3\xbc", true, true },		/* "Zü" */
	{ "\xd0\x96\xd0\xb4", true, true },	/* Cyrillic */
	{ "\xe6\x9d\xb1\xe4\xba\xac", true, true },	/* "東京" */
	{ "a-b_c.1", true, false },
	{ "ABCDEFGHIJKLMNOP", true, false },	/* 16 characters */
	{ "ABCDEFGHIJKLMNOPQ", false, false },	/* 17 */
	{ "ABCDEFGH", true, true },		/* 8 */
	{ "ABCDEFGHI", true, false },		/* 9 */
	/* 16 two-byte letters: 32 bytes, 16 characters */
	{ "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
	  "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc",
	  true, false },
	{ "", false, false },
	{ " SF", false, false },		/* leading space */
	{ "SF ", false, false },		/* trailing space */
	{ "SF  41", false, false },		/* double space */
	{ "SF\t41", false, false },
	{ "SF/41", false, false },
	{ "SF\xc2\xa0" "41", false, false },	/* no-break space */
	{ "SF\xe2\x80\x8b" "41", false, false },	/* zero-width space */
	{ "SF\xe2\x80\xae" "41", false, false },	/* right-to-left */
	{ "Z\xc3", false, false },		/* broken UTF-8 */
	{ "Z\xc0\xbc", false, false },		/* overlong */
	{ "<b>", false, false },
	{ "a\"b", false, false },
};

START_TEST(test_field_code)
{
	ck_assert_msg(campaign_field_code_ok(code_rows[_i].in) ==
	    code_rows[_i].field, "field code, row %d", _i);
	ck_assert_msg(campaign_city_code_ok(code_rows[_i].in) ==
	    code_rows[_i].city, "city code, row %d", _i);
}
END_TEST

/* The key fields of an expert's row: codes with spaces, old lists. */
static const struct store_field codes_known[] = {
	{ 1, "SF 41", "" }, { 2, "SF50", "" }, { 3, "SF51", "" },
	{ 4, "Z\xc3\xbc", "" },
};
static const struct {
	const char	*list;
	const char	*unknown;	/* NULL: all known */
	size_t		 n;
	int64_t		 ids[3];
} codes_rows[] = {
	{ "SF 41", NULL, 1, { 1 } },
	{ " SF 41 , SF50;SF51", NULL, 3, { 1, 2, 3 } },
	{ "SF50 SF51", NULL, 2, { 2, 3 } },	/* blanks, as before */
	{ "SF50  SF51\tZ\xc3\xbc", NULL, 3, { 2, 3, 4 } },
	{ "SF50,SF50,SF 41,SF 41", NULL, 2, { 2, 1 } },
	{ "", NULL, 0, { 0 } },
	{ " , ;", NULL, 0, { 0 } },
	{ "SF 99", "SF 99", 0, { 0 } },		/* the whole item */
	{ "SF50 SF99", "SF50 SF99", 0, { 0 } },
	{ "SF 41,SF 4", "SF 4", 1, { 1 } },
	{ "sf50", "sf50", 0, { 0 } },		/* case counts */
};

START_TEST(test_expert_codes)
{
	char		*list = strdup(codes_rows[_i].list);
	int64_t		 ids[EXPERT_FIELDS_MAX];
	size_t		 n;
	const char	*unknown;

	ck_assert_ptr_nonnull(list);
	unknown = expert_codes(list, codes_known, 4, ids, &n);
	if (codes_rows[_i].unknown == NULL)
		ck_assert_msg(unknown == NULL, "row %d: %s", _i, unknown);
	else
		ck_assert_str_eq(unknown, codes_rows[_i].unknown);
	ck_assert_uint_eq(n, codes_rows[_i].n);
	for (size_t k = 0; k < n; k++)
		ck_assert_int_eq(ids[k], codes_rows[_i].ids[k]);
	free(list);
}
END_TEST

/* The messages state the rule that is checked, not another. */
START_TEST(test_code_rules_stated)
{
	struct campaign_new	*c = calloc(1, sizeof(*c));

	ck_assert_ptr_nonnull(c);
	c->slug = "demo";
	c->title = "Demo";
	c->form = "keyfield";
	ck_assert_ptr_null(campaign_check(c,
	    "Z\xc3\xbc=Z\xc3\xbcrich,Fr=Freiburg", ","));
	ck_assert_uint_eq(c->ncities, 2);
	ck_assert_str_eq(c->codes[0], "Z\xc3\xbc");
	ck_assert_ptr_nonnull(strstr(campaign_check(c, "Z \xc3\xbc=Z", ","),
	    "letters (of any script) or digits"));
	ck_assert_ptr_nonnull(strstr(CAMPAIGN_FIELD_CODE_RULE, "SF 41"));
	free(c);
}
END_TEST

START_TEST(test_campaign_cities_max)
{
	struct campaign_new	*c = calloc(1, sizeof(*c));
	struct buf		 b;

	ck_assert_ptr_nonnull(c);
	c->slug = "many";
	c->title = "Many";
	c->form = "keyfield";
	buf_init(&b, 4096);
	for (int i = 0; i < CAMPAIGN_CITIES_MAX; i++)
		buf_printf(&b, "C%d=City %d\n", i, i);
	ck_assert_ptr_null(campaign_check(c, buf_str(&b), "\n"));
	ck_assert_uint_eq(c->ncities, CAMPAIGN_CITIES_MAX);
	buf_printf(&b, "X=One more\n");
	ck_assert_str_eq(campaign_check(c, buf_str(&b), "\n"),
	    "A campaign has at most 64 cities.");
	buf_free(&b);
	free(c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("admin");
	TCase	*tc = tcase_create("csv");

	tcase_add_loop_test(tc, test_csv, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_len);
	tcase_add_loop_test(tc, test_delimiter, 0,
	    sizeof(delims) / sizeof(delims[0]));
	tcase_add_test(tc, test_import_not_utf8);
	suite_add_tcase(s, tc);
	tc = tcase_create("campaign");
	tcase_add_loop_test(tc, test_campaign_check, 0,
	    sizeof(campaigns) / sizeof(campaigns[0]));
	tcase_add_test(tc, test_campaign_limits);
	tcase_add_test(tc, test_campaign_form);
	tcase_add_loop_test(tc, test_field_code, 0,
	    sizeof(code_rows) / sizeof(code_rows[0]));
	tcase_add_test(tc, test_code_rules_stated);
	tcase_add_loop_test(tc, test_expert_codes, 0,
	    sizeof(codes_rows) / sizeof(codes_rows[0]));
	tcase_add_test(tc, test_campaign_cities_max);
	tcase_add_loop_test(tc, test_lang_list, 0,
	    sizeof(lang_rows) / sizeof(lang_rows[0]));
	suite_add_tcase(s, tc);
	return check_run(s);
}
