/*
 * check_i18n: the catalogues (base/i18n.c), table-driven: Plural-Forms
 * expressions of real languages and hostile ones, the .po reader on good
 * and malformed catalogues, tr/trn with the German catalogue compiled
 * in, the CLI's language from the environment, and Accept-Language.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "app/lang.h"
#include "check-run.h"

/* ---- Plural-Forms ---- */

#define RU	"n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && " \
	"(n%100<10 || n%100>=20) ? 1 : 2"
#define AR	"n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && " \
	"n%100<=10 ? 3 : n%100>=11 ? 4 : 5"
#define PL	"(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || " \
	"n%100>=20) ? 1 : 2);"

static const struct {
	const char	*expr;
	unsigned long	 n;
	long		 form;	/* -1: malformed */
} plurals[] = {
	{ "(n != 1)", 0, 1 }, { "(n != 1)", 1, 0 }, { "(n != 1)", 2, 1 },
	{ "n != 1;", 1, 0 },
	{ "(n > 1)", 0, 0 }, { "(n > 1)", 1, 0 }, { "(n > 1)", 2, 1 },
	{ "0", 7, 0 },
	{ RU, 1, 0 }, { RU, 11, 2 }, { RU, 21, 0 }, { RU, 22, 1 },
	{ RU, 12, 2 }, { RU, 25, 2 }, { RU, 104, 1 },
	{ PL, 1, 0 }, { PL, 3, 1 }, { PL, 5, 2 }, { PL, 22, 1 }, { PL, 12, 2 },
	{ AR, 0, 0 }, { AR, 1, 1 }, { AR, 2, 2 }, { AR, 5, 3 }, { AR, 11, 4 },
	{ AR, 100, 5 }, { AR, 102, 5 }, { AR, 103, 3 },
	{ "!(n == 1)", 1, 0 }, { "n>=2&&n<=4", 3, 1 }, { "n<2||n>8", 5, 0 },
	{ "n*2-1", 3, 5 }, { "n/2", 7, 3 }, { "(n % 3) + 1", 5, 3 },
	/* Hostile: malformed, dividing by zero, too deep, negative. */
	{ "", 1, -1 }, { "n !=", 1, -1 }, { "(n != 1", 1, -1 },
	{ "n = 1", 1, -1 }, { "n ? 1", 1, -1 }, { "x", 1, -1 },
	{ "n / 0", 1, -1 }, { "n % (n - n)", 5, -1 }, { "0 - 1", 1, -1 },
	{ "((((((((((((((((((((((((((((((((((n)))))))))))))))))"
	  ")))))))))))))))))", 1, -1 },
	{ "n != 1; x", 1, -1 }, { "n | 1", 1, -1 }, { "n & 1", 1, -1 },
};

START_TEST(test_plural)
{
	ck_assert_msg(i18n_plural_eval(plurals[_i].expr, plurals[_i].n) ==
	    plurals[_i].form, "\"%s\" for %lu: %ld", plurals[_i].expr,
	    plurals[_i].n, i18n_plural_eval(plurals[_i].expr, plurals[_i].n));
}
END_TEST

/* ---- the .po reader ---- */

#define HEAD	"msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: nplurals=2; " \
	"plural=(n != 1);\\n\"\n\n"

static const struct {
	const char	*po;
	const char	*err;	/* a part of the message, or NULL: good */
	const char	*id, *want;	/* tr(id) == want when good */
} catalogues[] = {
	{ HEAD "msgid \"Yes\"\nmsgstr \"Ja\"\n", NULL, "Yes", "Ja" },
	{ HEAD "# a comment\nmsgid \"a\\n\\\"b\\\"\\t\\\\\"\n"
	  "msgstr \"x\\n\\\"y\\\"\\t\\\\\"\n", NULL, "a\n\"b\"\t\\",
	  "x\n\"y\"\t\\" },
	{ HEAD "msgid \"\"\n\"Two \"\n\"lines\"\nmsgstr \"\"\n\"Zwei \"\n"
	  "  \"Zeilen\"\n", NULL, "Two lines", "Zwei Zeilen" },
	{ HEAD "\r\nmsgid \"CR\"\r\nmsgstr \"Wagenrücklauf\"\r\n", NULL,
	  "CR", "Wagenrücklauf" },
	/* Fuzzy and untranslated entries are the English. */
	{ HEAD "#, fuzzy\nmsgid \"Yes\"\nmsgstr \"Jein\"\n", NULL, "Yes",
	  "Yes" },
	{ HEAD "msgid \"Yes\"\nmsgstr \"\"\n", NULL, "Yes", "Yes" },
	{ HEAD "#~ msgid \"Old\"\n#~ msgstr \"Alt\"\n", NULL, "Old", "Old" },
	{ HEAD, NULL, "Not there", "Not there" },
	/* Malformed. */
	{ "msgid \"Yes\"\nmsgstr \"Ja\"\n", "no header", NULL, NULL },
	{ "msgid \"\"\nmsgstr \"Language: de\\n\"\n", "Plural-Forms", NULL,
	  NULL },
	{ "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n+2;\\n\"\n",
	  "not a form", NULL, NULL },
	{ "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=9; plural=n;\\n\"\n",
	  "nplurals", NULL, NULL },
	{ "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n/0;\\n\"\n",
	  "not a form", NULL, NULL },
	{ HEAD "msgid \"Yes\"\nmsgstr \"Ja\"\nmsgid \"Yes\"\nmsgstr \"Ja\"\n",
	  "twice", NULL, NULL },
	{ HEAD "msgid \"Yes\"\n", "without its msgstr", NULL, NULL },
	{ HEAD "msgid \"Yes\"\nmsgid \"No\"\nmsgstr \"Nein\"\n",
	  "line 6: a msgid without its msgstr", NULL, NULL },
	{ HEAD "msgstr \"Ja\"\n", "without its msgid", NULL, NULL },
	{ HEAD "msgid \"Yes\nmsgstr \"Ja\"\n", "not closed", NULL, NULL },
	{ HEAD "msgid \"Yes\" x\nmsgstr \"Ja\"\n", "text after", NULL, NULL },
	{ HEAD "msgid \"Y\\qes\"\nmsgstr \"Ja\"\n", "unknown escape", NULL,
	  NULL },
	{ HEAD "msgid Yes\nmsgstr \"Ja\"\n", "start with a quote", NULL,
	  NULL },
	/* A string continuing the header's msgstr. */
	{ HEAD "\"loose\"\n", NULL, NULL, NULL },
	{ "\"loose\"\n", "outside an entry", NULL, NULL },
	{ HEAD "msgctxt \"menu\"\nmsgid \"Yes\"\nmsgstr \"Ja\"\n",
	  "msgctxt", NULL, NULL },
	{ HEAD "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\n",
	  "1 plural forms, not 2", NULL, NULL },
	{ HEAD "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"b\"\n",
	  "msgstr[0] expected", NULL, NULL },
	{ HEAD "msgid \"a\"\nmsgstr[0] \"b\"\n", "msgstr[0] expected", NULL,
	  NULL },
	{ HEAD "mystery \"a\"\n", "unknown keyword", NULL, NULL },
};

START_TEST(test_po)
{
	char		 err[200];
	struct lang	*l;

	l = i18n_parse("xx", catalogues[_i].po, err, sizeof(err));
	if (catalogues[_i].err != NULL) {
		ck_assert_ptr_null(l);
		ck_assert_msg(strstr(err, catalogues[_i].err) != NULL,
		    "row %d: \"%s\"", _i, err);
		return;
	}
	ck_assert_msg(l != NULL, "row %d: %s", _i, err);
	if (catalogues[_i].id != NULL)
		ck_assert_str_eq(tr(l, catalogues[_i].id), catalogues[_i].want);
	ck_assert_str_eq(i18n_code(l), "xx");
	i18n_free(l);
}
END_TEST

/* Plural entries: each form by the catalogue's own Plural-Forms. */
START_TEST(test_po_plural)
{
	static const char po[] = "msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: "
	    "nplurals=3; plural=" RU ";\\n\"\n\nmsgid \"%d file\"\n"
	    "msgid_plural \"%d files\"\nmsgstr[0] \"%d fajl\"\n"
	    "msgstr[1] \"%d fajla\"\nmsgstr[2] \"%d fajlov\"\n";
	char		 err[200];
	struct lang	*l;

	ck_assert_ptr_nonnull(l = i18n_parse("ru", po, err, sizeof(err)));
	ck_assert_str_eq(trn(l, "%d file", "%d files", 1), "%d fajl");
	ck_assert_str_eq(trn(l, "%d file", "%d files", 3), "%d fajla");
	ck_assert_str_eq(trn(l, "%d file", "%d files", 11), "%d fajlov");
	ck_assert_str_eq(trn(l, "%d file", "%d files", 21), "%d fajl");
	ck_assert_str_eq(trn(l, "%d dir", "%d dirs", 21), "%d dirs");
	ck_assert_str_eq(trn(l, "%d dir", "%d dirs", 1), "%d dir");
	i18n_free(l);
}
END_TEST

/* The catalogues compiled in, and English (no catalogue). */
START_TEST(test_compiled)
{
	const struct lang	*de = i18n_lang("de");

	ck_assert_ptr_nonnull(de);
	ck_assert_ptr_eq(i18n_lang("DE"), de);
	ck_assert_str_eq(i18n_code(de), "de");
	ck_assert_ptr_null(i18n_lang("xx"));
	ck_assert_ptr_null(i18n_lang(NULL));
	ck_assert(i18n_known("en") && i18n_known("de") && !i18n_known("xx"));
	ck_assert_str_eq(tr(de, "Nothing was imported."),
	    "Nichts wurde importiert.");
	ck_assert_str_eq(tr(i18n_english(), "Nothing was imported."),
	    "Nothing was imported.");
	ck_assert_str_eq(tr(NULL, "Nothing was imported."),
	    "Nothing was imported.");
	ck_assert_str_eq(trn(de, "(and %d more problem)",
	    "(and %d more problems)", 1), "(und %d weiteres Problem)");
	ck_assert_str_eq(trn(de, "(and %d more problem)",
	    "(and %d more problems)", 2), "(und %d weitere Probleme)");
	ck_assert_str_eq(trn(NULL, "(and %d more problem)",
	    "(and %d more problems)", 1), "(and %d more problem)");
	ck_assert_str_eq(trn(NULL, "(and %d more problem)",
	    "(and %d more problems)", 0), "(and %d more problems)");
}
END_TEST

/* The CLI's language: LC_ALL, then LC_MESSAGES, then LANG. */
static const struct {
	const char	*lc_all, *lc_messages, *lang;
	const char	*code;
} envs[] = {
	{ NULL, NULL, NULL, "en" },
	{ NULL, NULL, "de_DE.UTF-8", "de" },
	{ NULL, NULL, "de_CH", "de" },
	{ NULL, NULL, "de", "de" },
	{ NULL, NULL, "C.UTF-8", "en" },
	{ NULL, NULL, "POSIX", "en" },
	{ NULL, NULL, "fr_FR.UTF-8", "en" },
	{ NULL, "de_AT.UTF-8", "en_GB.UTF-8", "de" },
	{ "en_US.UTF-8", "de_DE.UTF-8", "de_DE.UTF-8", "en" },
	{ "", NULL, "de_DE.UTF-8", "de" },
	{ NULL, NULL, "averyveryverylongname_XX", "en" },
};

static void
set(const char *name, const char *v)
{
	if (v == NULL)
		unsetenv(name);
	else
		setenv(name, v, 1);
}

START_TEST(test_env)
{
	set("LC_ALL", envs[_i].lc_all);
	set("LC_MESSAGES", envs[_i].lc_messages);
	set("LANG", envs[_i].lang);
	ck_assert_str_eq(i18n_code(i18n_from_env()), envs[_i].code);
}
END_TEST

/* ---- Accept-Language: among en, de; the campaign's default "dflt" ---- */

static const struct {
	const char	*header;
	const char	*want;
} accepts[] = {
	{ NULL, "dflt" },
	{ "", "dflt" },
	{ "de", "de" },
	{ "DE", "de" },
	{ "en", "en" },
	{ "de-CH", "de" },
	{ "de-CH;q=0.9,en;q=0.8", "de" },
	{ "en;q=0.8,de-CH;q=0.9", "de" },
	{ "fr", "dflt" },
	{ "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "en" },
	{ "fr, de;q=0.1", "de" },
	{ "*", "dflt" },
	{ "de;q=0", "dflt" },
	{ "de;q=0, en;q=0.001", "en" },
	{ "en, de", "en" },
	{ "de , en", "de" },
	{ "en;q=0.5, de;q=0.500", "en" },
	{ "en;q=0.5,de;q=1.0", "de" },
	{ "en;Q=0.5,de;q=0.6", "de" },
	{ "  de-DE-1996 ;  q=0.9 ", "de" },
	{ "sgn-CH-DE, de;q=0.2", "de" },
	/* Malformed: skipped, never an error. */
	{ "de;q=abc", "dflt" },
	{ "de;q=1.5", "dflt" },
	{ "de;q=2", "dflt" },
	{ "de;q=0.12345", "dflt" },
	{ "de;q=", "dflt" },
	{ "de;x=1", "dflt" },
	{ "de;q=abc, en", "en" },
	{ ";;;,,,", "dflt" },
	{ "d e", "dflt" },
	{ "de-", "dflt" },
	{ "-de", "dflt" },
	{ "de--CH", "dflt" },
	{ "1de", "dflt" },
	{ "deutschland-toolong", "dflt" },
	{ "\xc3\xa4", "dflt" },
	{ "<script>", "dflt" },
	{ "en-US,en;q=0.9", "en" },
};

START_TEST(test_accept)
{
	static const char *const offered[] = { "en", "de" };

	ck_assert_str_eq(i18n_accept(accepts[_i].header, offered, 2, "dflt"),
	    accepts[_i].want);
}
END_TEST

/* A huge header, and a long one whose match comes too late. */
START_TEST(test_accept_long)
{
	static const char *const offered[] = { "en", "de" };
	char	 h[I18N_ACCEPT_MAX + 2];

	memset(h, 'a', sizeof(h) - 1);
	h[sizeof(h) - 1] = '\0';
	ck_assert_str_eq(i18n_accept(h, offered, 2, "en"), "en");
	h[0] = '\0';
	for (int i = 0; i < I18N_ACCEPT_RANGES; i++)
		strcat(h, "fr,");
	strcat(h, "de");
	ck_assert_str_eq(i18n_accept(h, offered, 2, "en"), "en");
}
END_TEST

/* ---- dates and numbers for people (lane de-expert) ---- */

static const struct {
	const char	*lang, *iso, *date, *time;
} dates[] = {
	{ "en", "2026-12-06", "6 December 2026", "6 December 2026" },
	{ "de", "2026-12-06", "6. Dezember 2026", "6. Dezember 2026" },
	{ "de", "2026-03-01T07:11:23.404Z", "1. März 2026",
	    "1. März 2026, 07:11 UTC" },
	{ "en", "2026-11-24T17:05Z", "24 November 2026",
	    "24 November 2026, 17:05 UTC" },
	/* Not a date: itself, never an error. */
	{ "de", "—", "—", "—" },
	{ "de", "2026-13-01", "2026-13-01", "2026-13-01" },
	{ "de", "2026-00-10", "2026-00-10", "2026-00-10" },
	{ "en", "2026-12-32", "2026-12-32", "2026-12-32" },
	{ "en", "", "", "" },
	{ "de", "2026-12-06T25:00Z", "6. Dezember 2026", "6. Dezember 2026" },
	{ "en", "20x6-12-06", "20x6-12-06", "20x6-12-06" },
	{ "de", "2026-03-31T23:59:59.000Z", "31. M\xc3\xa4rz 2026",
	    "31. M\xc3\xa4rz 2026, 23:59 UTC" },
	{ "en", "2027-01-15", "15 January 2027", "15 January 2027" },
	{ "en", "2026-01-05T00:09:00.000Z", "5 January 2026",
	    "5 January 2026, 00:09 UTC" },
	/* Not as stored (a space, not T): the day alone. */
	{ "en", "2026-11-24 07:11", "24 November 2026", "24 November 2026" },
	{ "de", "soon", "soon", "soon" },
	{ "de", "2026-1-5xxxx", "2026-1-5xxxx", "2026-1-5xxxx" },
	{ "en", "2026-12-00", "2026-12-00", "2026-12-00" },
};

START_TEST(test_date)
{
	const struct lang *l = i18n_lang(dates[_i].lang);
	char	 out[I18N_DATE_MAX];

	ck_assert_ptr_nonnull(l);
	i18n_date(l, dates[_i].iso, out);
	ck_assert_str_eq(out, dates[_i].date);
	i18n_time(l, dates[_i].iso, out);
	ck_assert_str_eq(out, dates[_i].time);
}
END_TEST

/* i18n_number: the decimal mark of the language (its catalogue's "."). */
START_TEST(test_number)
{
	const struct lang	*de = i18n_lang("de");
	char			 out[16], small[3];

	ck_assert_ptr_nonnull(de);
	ck_assert_str_eq(i18n_number(de, "2.5", out, sizeof(out)), "2,5");
	ck_assert_str_eq(i18n_number(de, "2.25", out, sizeof(out)), "2,25");
	ck_assert_str_eq(i18n_number(de, "36", out, sizeof(out)), "36");
	ck_assert_str_eq(i18n_number(NULL, "2.5", out, sizeof(out)), "2.5");
	ck_assert_str_eq(i18n_number(i18n_english(), "0.75", out,
	    sizeof(out)), "0.75");
	/* Too small for the result: the number as it was, never cut. */
	ck_assert_str_eq(i18n_number(de, "2.25", small, sizeof(small)),
	    "2.25");
}
END_TEST

static const struct {
	const char	*lang;
	double		 v;
	int		 decimals;
	const char	*out;
} decimals[] = {
	{ "en", 2.5, 2, "2.5" },
	{ "de", 2.5, 2, "2,5" },
	{ "de", 2.25, 2, "2,25" },
	{ "de", 3.0, 2, "3" },
	{ "en", 10, 0, "10" },
	{ "de", -0.75, 2, "-0,75" },
	{ "de", 7.125, 1, "7,1" },
	{ "en", 1e6, 2, "1000000" },
};

START_TEST(test_decimal)
{
	char	 out[I18N_DECIMAL_SZ];

	i18n_decimal(i18n_lang(decimals[_i].lang), decimals[_i].v,
	    decimals[_i].decimals, out);
	ck_assert_str_eq(out, decimals[_i].out);
}
END_TEST

START_TEST(test_name)
{
	ck_assert_str_eq(i18n_name("de"), "Deutsch");
	ck_assert_str_eq(i18n_name("en"), "English");
	ck_assert_str_eq(i18n_name("xx"), "xx");
}
END_TEST

/* An expert's language: hers, else her browser's among the campaign's. */
static const struct {
	const char	*lang, *langs, *dflt, *accept, *want;
} experts[] = {
	{ "de", "en,de", "en", "en", "de" },
	{ "", "en,de", "en", "de-CH;q=0.9,en;q=0.8", "de" },
	{ "", "en,de", "en", "fr", "en" },
	{ "", "en,de", "de", NULL, "de" },
	{ "", "en,de", "en", ";;q=x,,=", "en" },
	/* Hers no longer one of the campaign's: the browser's. */
	{ "de", "en", "en", "de", "en" },
	{ "", "de,en", "de", "en-GB", "en" },
};

START_TEST(test_expert)
{
	struct store_expert_langs e = { .campaign_id = 1 };

	strcpy(e.lang, experts[_i].lang);
	strcpy(e.langs, experts[_i].langs);
	strcpy(e.dflt, experts[_i].dflt);
	ck_assert_str_eq(i18n_code(lang_of_expert(&e, experts[_i].accept)),
	    experts[_i].want);
}
END_TEST

START_TEST(test_visitor)
{
	ck_assert_str_eq(i18n_code(lang_of_visitor("de-AT")), "de");
	ck_assert_str_eq(i18n_code(lang_of_visitor("fr, de;q=0.5")), "de");
	ck_assert_str_eq(i18n_code(lang_of_visitor("zz")), "en");
	ck_assert_str_eq(i18n_code(lang_of_visitor(NULL)), "en");
	ck_assert_str_eq(i18n_code(lang_of_visitor("q=;,")), "en");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("i18n");
	TCase	*tc = tcase_create("i18n");

	tcase_add_loop_test(tc, test_plural, 0,
	    sizeof(plurals) / sizeof(plurals[0]));
	tcase_add_loop_test(tc, test_po, 0,
	    sizeof(catalogues) / sizeof(catalogues[0]));
	tcase_add_test(tc, test_po_plural);
	tcase_add_test(tc, test_compiled);
	tcase_add_loop_test(tc, test_env, 0, sizeof(envs) / sizeof(envs[0]));
	tcase_add_loop_test(tc, test_accept, 0,
	    sizeof(accepts) / sizeof(accepts[0]));
	tcase_add_test(tc, test_accept_long);
	tcase_add_loop_test(tc, test_date, 0, sizeof(dates) / sizeof(dates[0]));
	tcase_add_loop_test(tc, test_decimal, 0,
	    sizeof(decimals) / sizeof(decimals[0]));
	tcase_add_test(tc, test_number);
	tcase_add_test(tc, test_name);
	tcase_add_loop_test(tc, test_expert, 0,
	    sizeof(experts) / sizeof(experts[0]));
	tcase_add_test(tc, test_visitor);
	suite_add_tcase(s, tc);
	return check_run(s);
}
