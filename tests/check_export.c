/*
 * check_export: every writer against a small campaign made with the store
 * API on a temporary database (exact CSV, long CSV and Markdown; JSON
 * read back with jansson; the workbook's zip), hostile strings through
 * each writer, file names, and a write failure.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/auth.h"
#include "check-run.h"
#include "app/export.h"
#include "app/round.h"
#include "base/form.h"
#include "base/log.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/forms.h"
#include "store/responses.h"
#include "store/store.h"

/* A small card with every kind of slot the exporters treat apart. */
static const char mini_form[] =
    "{\"name\":\"mini\",\"version\":1,\"title\":\"Mini card\",\"sections\":["
    "{\"key\":\"header\",\"title\":\"Ratings\",\"questions\":["
    "{\"key\":\"rating\",\"type\":\"grid\",\"label\":\"Rating per city\","
    "\"rows\":\"cities\",\"total\":true,\"columns\":[{\"key\":\"rating\","
    "\"type\":\"scale\",\"label\":\"Rating for {row}\",\"min\":0,"
    "\"max\":10}]},"
    "{\"key\":\"examples\",\"type\":\"grid\",\"label\":\"Examples\","
    "\"rows\":\"cities\",\"columns\":[{\"key\":\"example\","
    "\"type\":\"long_text\",\"label\":\"Example for {row}\"}]}]},"
    "{\"key\":\"description\",\"title\":\"1. Description\",\"questions\":["
    "{\"key\":\"description\",\"type\":\"long_text\","
    "\"label\":\"Description\"}]},"
    "{\"key\":\"sectors\",\"title\":\"2. Sectors\",\"questions\":["
    "{\"key\":\"sectors\",\"type\":\"grid\",\"label\":\"Relevance\","
    "\"rows\":[{\"key\":\"mobility\",\"label\":\"Mobility\"},"
    "{\"key\":\"ict\",\"label\":\"ICT\"}],\"columns\":["
    "{\"key\":\"relevance\",\"type\":\"choice\",\"label\":\"{row} relevance\","
    "\"options\":[{\"value\":\"low\",\"label\":\"Low\"},"
    "{\"value\":\"high\",\"label\":\"High\"}]},"
    "{\"key\":\"importance\",\"type\":\"long_text\","
    "\"label\":\"{row}: importance\"}]}]},"
    "{\"key\":\"indicators\",\"title\":\"3. Indicators\",\"questions\":["
    "{\"key\":\"indicators\",\"type\":\"list\",\"label\":\"Indicators\"},"
    "{\"key\":\"note\",\"type\":\"short_text\",\"label\":\"Note\"}]}]}";

static char	 dir[] = "/tmp/check_export.XXXXXX";
static char	 path[80];
static struct store *s;
static int64_t	 campaign, sf41, sf12, sf99;
static int64_t	 ana, bob, cleo;

static int
setup_txn(struct store *st, void *arg)
{
	unsigned char	 h[32];
	int64_t		 form;

	if (store_form_import(st, "mini", 1, mini_form, &form) != 0 ||
	    store_campaign_add(st, "demo", "Demo", "mini", &campaign) != 0 ||
	    store_city_add(st, campaign, "Fr", "Freiburg", 0) != 0 ||
	    store_city_add(st, campaign, "B", "Berlin", 1) != 0 ||
	    store_field_add(st, campaign, "SF41", "Cluster Management",
	    &sf41) != 0 ||
	    store_field_add(st, campaign, "SF12", "Open Data", &sf12) != 0 ||
	    store_field_add(st, campaign, "SF99", "Empty field", &sf99) != 0)
		return -1;
	auth_token_hash("token-ana", h);
	if (store_expert_add(st, campaign, "Ana Example", "ana@example.org",
	    h, &ana) != 0)
		return -1;
	auth_token_hash("token-bob", h);
	if (store_expert_add(st, campaign, "Bob, \"B\"", "bob@example.org",
	    h, &bob) != 0)
		return -1;
	auth_token_hash("token-cleo", h);
	if (store_expert_add(st, campaign, "Cleo Draft", "cleo@example.org",
	    h, &cleo) != 0)
		return -1;
	return store_assign(st, ana, sf41) != 0 ||
	    store_assign(st, ana, sf12) != 0 ||
	    store_assign(st, bob, sf41) != 0 ||
	    store_assign(st, cleo, sf41) != 0 ? -1 : 0;
}

static int
payload(void *ctx, const struct store_card *c,
    const struct form_answers *a, const char *type, const char *event_id,
    int version, const char *at, char **summary, char **full)
{
	if ((*summary = strdup("{}")) == NULL)
		return -1;
	if ((*full = strdup("{}")) == NULL) {
		free(*summary);
		return -1;
	}
	return 0;
}

/*
 * Save (or submit) the card of expert for field code with the values v:
 * a list of question, row, item, value quadruples ending with NULL.
 */
static void
answer(int64_t expert, const char *code, bool submit, const char *const *v)
{
	struct store_expert	 e;
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	int64_t			 aid = 0, rev;
	int			 ver;

	ck_assert_int_eq(store_expert_get(s, expert, &e), 0);
	for (size_t i = 0; i < e.nassignments; i++)
		if (strcmp(e.assignments[i].field_code, code) == 0)
			aid = e.assignments[i].id;
	store_expert_free(&e);
	ck_assert_int_ne(aid, 0);
	ck_assert_int_eq(store_card_get(s, expert, aid, &c), 0);
	for (; *v != NULL; v += 4)
		ck_assert_int_eq(form_answers_add(&a, v[0], v[1],
		    (unsigned)atoi(v[2]), v[3]), 0);
	ck_assert_int_eq(store_card_save(s, &c, c.revision, &a, submit,
	    "test", payload, NULL, &rev, &ver), STORE_SAVED);
	store_card_free(&c);
	form_answers_free(&a);
}

static void
sql(const char *q)
{
	char	 cmd[512];

	snprintf(cmd, sizeof(cmd), "sqlite3 -cmd '.timeout 5000' '%s' \"%s\"",
	    path, q);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
}

/* The fixture's cards: Ana twice on SF41, Bob, Ana on SF12, drafts. */
static void
fill(void)
{
	static const char *const ana1[] = {
		"rating.rating", "Fr", "0", "7",
		"rating.rating", "B", "0", "8",
		"description", "", "0", "first",
		NULL };
	static const char *const ana2[] = {
		"rating.rating", "Fr", "0", "7",
		"rating.rating", "B", "0", "5",
		"examples.example", "Fr", "0", "Green\r\nCity",
		"description", "", "0", "=1+1, \"quoted\"\nline two",
		"sectors.relevance", "mobility", "0", "high",
		"sectors.importance", "mobility", "0", "a | b",
		"indicators", "", "0", "a, b",
		"indicators", "", "1", "+c",
		"note", "", "0", "@home",
		NULL };
	static const char *const bob1[] = {
		"rating.rating", "Fr", "0", "5",
		"rating.rating", "B", "0", "6",
		"description", "", "0", "<script>alert(1)</script>",
		"indicators", "", "0", "one",
		NULL };
	static const char *const ana12[] = {
		"rating.rating", "Fr", "0", "1",
		"rating.rating", "B", "0", "2",
		"description", "", "0", "Open \xf0\x9f\x98\x80",
		"retired", "", "0", "a value no form has",
		NULL };
	static const char *const draft[] = {
		"description", "", "0", "DRAFT", NULL };

	answer(ana, "SF41", true, ana1);
	answer(ana, "SF41", true, ana2);
	answer(bob, "SF41", true, bob1);
	answer(ana, "SF12", true, ana12);
	answer(bob, "SF41", false, draft);
	answer(cleo, "SF41", false, draft);
	sql("UPDATE response_versions SET submitted_at = "
	    "printf('2026-03-%02dT10:00:00.000Z', id)");
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k.db", dir);
	ck_assert_int_eq(auth_init(), 0);
	ck_assert_ptr_nonnull(s = store_open(path));
	ck_assert_int_eq(store_write(s, setup_txn, NULL), 0);
}

static void
teardown(void)
{
	char	 p[96];

	store_close(s);
	s = NULL;
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
	memcpy(dir, "/tmp/check_export.XXXXXX", sizeof(dir));
}

/* Export demo to memory; *len bytes (NUL-terminated). */
static char *
run(enum export_format fmt, const struct export_opts *o, int *rc,
    size_t *len)
{
	char	*buf = NULL;
	size_t	 n = 0;
	FILE	*f;

	ck_assert_ptr_nonnull(f = open_memstream(&buf, &n));
	*rc = export_campaign(s, "demo", fmt, o, f);
	ck_assert_int_eq(fclose(f), 0);
	if (len != NULL)
		*len = n;
	return buf;
}

static char *
export_ok(enum export_format fmt, const struct export_opts *o)
{
	char	*out;
	int	 rc;

	out = run(fmt, o, &rc, NULL);
	ck_assert_int_eq(rc, 0);
	return out;
}

/* ---- the exact documents ---- */

#define WIDE_HEAD "campaign,key_field,key_field_title,expert,expert_email," \
	"version,submitted_at,Rating for Freiburg,Rating for Berlin," \
	"Example for Freiburg,Example for Berlin,Description," \
	"Mobility relevance,Mobility: importance,ICT relevance," \
	"ICT: importance,Indicators,Note\r\n"
#define WIDE_ANA1 "demo,SF41,Cluster Management,Ana Example," \
	"ana@example.org,1,2026-03-01T10:00:00.000Z,7,8,,,first,,,,,,\r\n"
#define WIDE_ANA2 "demo,SF41,Cluster Management,Ana Example," \
	"ana@example.org,2,2026-03-02T10:00:00.000Z,7,5,\"Green\r\nCity\",," \
	"\"'=1+1, \"\"quoted\"\"\nline two\",high,a | b,,,\"a, b\n+c\"," \
	"'@home\r\n"
#define WIDE_BOB "demo,SF41,Cluster Management,\"Bob, \"\"B\"\"\"," \
	"bob@example.org,1,2026-03-03T10:00:00.000Z,5,6,,," \
	"<script>alert(1)</script>,,,,,one,\r\n"
#define WIDE_ANA12 "demo,SF12,Open Data,Ana Example,ana@example.org,1," \
	"2026-03-04T10:00:00.000Z,1,2,,,Open \xf0\x9f\x98\x80,,,,,,\r\n"

START_TEST(test_csv_exact)
{
	struct export_opts	 all = { .all_versions = true };
	struct export_opts	 bom = { .bom = true };
	struct export_opts	 one = { .field_code = "SF12" };
	char			*out;

	fill();
	out = export_ok(EXPORT_CSV, NULL);
	ck_assert_str_eq(out, WIDE_HEAD WIDE_ANA2 WIDE_BOB WIDE_ANA12);
	free(out);
	out = export_ok(EXPORT_CSV, &all);
	ck_assert_str_eq(out, WIDE_HEAD WIDE_ANA1 WIDE_ANA2 WIDE_BOB
	    WIDE_ANA12);
	free(out);
	out = export_ok(EXPORT_CSV, &bom);
	ck_assert_str_eq(out, "\xef\xbb\xbf" WIDE_HEAD WIDE_ANA2 WIDE_BOB
	    WIDE_ANA12);
	free(out);
	out = export_ok(EXPORT_CSV, &one);
	ck_assert_str_eq(out, WIDE_HEAD WIDE_ANA12);
	free(out);
}
END_TEST

#define LONG_HEAD "campaign,key_field,expert,round,version,lang,section," \
	"question,row,item,value\r\n"
#define LONG_ANA1 \
	"demo,SF41,Ana Example,1,1,en,header,rating.rating,Fr,0,7\r\n" \
	"demo,SF41,Ana Example,1,1,en,header,rating.rating,B,0,8\r\n" \
	"demo,SF41,Ana Example,1,1,en,description,description,,0,first\r\n"
#define LONG_ANA2 \
	"demo,SF41,Ana Example,1,2,en,header,rating.rating,Fr,0,7\r\n" \
	"demo,SF41,Ana Example,1,2,en,header,rating.rating,B,0,5\r\n" \
	"demo,SF41,Ana Example,1,2,en,header,examples.example,Fr,0," \
	    "\"Green\r\nCity\"\r\n" \
	"demo,SF41,Ana Example,1,2,en,description,description,,0," \
	    "\"'=1+1, \"\"quoted\"\"\nline two\"\r\n" \
	"demo,SF41,Ana Example,1,2,en,sectors,sectors.relevance,mobility,0," \
	    "high\r\n" \
	"demo,SF41,Ana Example,1,2,en,sectors,sectors.importance,mobility,0," \
	    "a | b\r\n" \
	"demo,SF41,Ana Example,1,2,en,indicators,indicators,,0,\"a, b\"\r\n" \
	"demo,SF41,Ana Example,1,2,en,indicators,indicators,,1,'+c\r\n" \
	"demo,SF41,Ana Example,1,2,en,indicators,note,,0,'@home\r\n"
#define LONG_BOB \
	"demo,SF41,\"Bob, \"\"B\"\"\",1,1,en,header,rating.rating,Fr,0,5\r\n" \
	"demo,SF41,\"Bob, \"\"B\"\"\",1,1,en,header,rating.rating,B,0,6\r\n" \
	"demo,SF41,\"Bob, \"\"B\"\"\",1,1,en,description,description,,0," \
	    "<script>alert(1)</script>\r\n" \
	"demo,SF41,\"Bob, \"\"B\"\"\",1,1,en,indicators,indicators,,0,one\r\n"
/* "retired" is in no form: kept, with no section. */
#define LONG_ANA12 \
	"demo,SF12,Ana Example,1,1,en,header,rating.rating,Fr,0,1\r\n" \
	"demo,SF12,Ana Example,1,1,en,header,rating.rating,B,0,2\r\n" \
	"demo,SF12,Ana Example,1,1,en,description,description,,0," \
	    "Open \xf0\x9f\x98\x80\r\n" \
	"demo,SF12,Ana Example,1,1,en,,retired,,0,a value no form has\r\n"

START_TEST(test_csv_long_exact)
{
	struct export_opts	 all = { .all_versions = true };
	char			*out;

	fill();
	out = export_ok(EXPORT_CSV_LONG, NULL);
	ck_assert_str_eq(out, LONG_HEAD LONG_ANA2 LONG_BOB LONG_ANA12);
	free(out);
	out = export_ok(EXPORT_CSV_LONG, &all);
	ck_assert_str_eq(out, LONG_HEAD LONG_ANA1 LONG_ANA2 LONG_BOB
	    LONG_ANA12);
	free(out);
}
END_TEST

static const char md_expected[] =
    "# SF41: Cluster Management\n"
    "\n"
    "| Expert | Fr | B | Total |\n"
    "| --- | ---: | ---: | ---: |\n"
    "| Ana Example | 7 | 5 | 12 |\n"
    "| Bob, \"B\" | 5 | 6 | 11 |\n"
    "| Median | 6 | 5.5 | 11.5 |\n"
    "\n"
    "Fr: Freiburg · B: Berlin\n"
    "\n"
    "## Ratings\n"
    "\n"
    "### Ana Example\n"
    "\n"
    "**Freiburg:** Green\n"
    "City\n"
    "\n"
    "### Bob, \"B\"\n"
    "\n"
    "—\n"
    "\n"
    "## 1. Description\n"
    "\n"
    "### Ana Example\n"
    "\n"
    "\\=1+1, \"quoted\"\n"
    "line two\n"
    "\n"
    "### Bob, \"B\"\n"
    "\n"
    "\\<script\\>alert(1)\\</script\\>\n"
    "\n"
    "## 2. Sectors\n"
    "\n"
    "### Ana Example\n"
    "\n"
    "|  | Relevance | Importance |\n"
    "| --- | --- | --- |\n"
    "| Mobility | High | a \\| b |\n"
    "\n"
    "### Bob, \"B\"\n"
    "\n"
    "—\n"
    "\n"
    "## 3. Indicators\n"
    "\n"
    "### Ana Example\n"
    "\n"
    "**Indicators:**\n"
    "\n"
    "- a, b\n"
    "- \\+c\n"
    "\n"
    "**Note:** @home\n"
    "\n"
    "### Bob, \"B\"\n"
    "\n"
    "**Indicators:**\n"
    "\n"
    "- one\n"
    "\n"
    "# SF12: Open Data\n"
    "\n"
    "| Expert | Fr | B | Total |\n"
    "| --- | ---: | ---: | ---: |\n"
    "| Ana Example | 1 | 2 | 3 |\n"
    "| Median | 1 | 2 | 3 |\n"
    "\n"
    "Fr: Freiburg · B: Berlin\n"
    "\n"
    "## Ratings\n"
    "\n"
    "### Ana Example\n"
    "\n"
    "—\n"
    "\n"
    "## 1. Description\n"
    "\n"
    "### Ana Example\n"
    "\n"
    "Open \xf0\x9f\x98\x80\n"
    "\n"
    "## 2. Sectors\n"
    "\n"
    "### Ana Example\n"
    "\n"
    "—\n"
    "\n"
    "## 3. Indicators\n"
    "\n"
    "### Ana Example\n"
    "\n"
    "—\n"
    "\n"
    "# SF99: Empty field\n"
    "\n"
    "No submitted cards yet.\n";

START_TEST(test_md_exact)
{
	struct export_opts	 one = { .field_code = "SF99" };
	char			*out;

	fill();
	out = export_ok(EXPORT_MD, NULL);
	ck_assert_str_eq(out, md_expected);
	free(out);
	out = export_ok(EXPORT_MD, &one);
	ck_assert_str_eq(out, "# SF99: Empty field\n\n"
	    "No submitted cards yet.\n");
	free(out);
}
END_TEST

START_TEST(test_withdrawn)
{
	char	*out;

	fill();
	sql("UPDATE responses SET status = 'withdrawn' WHERE id = "
	    "(SELECT r.id FROM responses r JOIN assignments a "
	    "ON a.id = r.assignment_id JOIN experts e ON e.id = a.expert_id "
	    "WHERE e.email = 'bob@example.org')");
	out = export_ok(EXPORT_CSV, NULL);
	ck_assert_str_eq(out, WIDE_HEAD WIDE_ANA2 WIDE_ANA12);
	free(out);
	out = export_ok(EXPORT_MD, NULL);
	ck_assert_ptr_null(strstr(out, "Bob"));
	ck_assert_ptr_nonnull(strstr(out, "| Median | 7 | 5 | 12 |\n"));
	free(out);
}
END_TEST

/* ---- JSON, read back ---- */

static json_t *
json_export(const struct export_opts *o)
{
	json_error_t	 err;
	json_t		*j;
	char		*out;

	out = export_ok(EXPORT_JSON, o);
	j = json_loads(out, 0, &err);
	ck_assert_msg(j != NULL, "%s: %s", err.text, out);
	ck_assert_ptr_null(strstr(out, "DRAFT"));
	free(out);
	return j;
}

/* The cards of the i-th round of a JSON export ("rounds"), or NULL. */
static json_t *
cards(json_t *j, size_t i)
{
	return json_object_get(json_array_get(json_object_get(j, "rounds"),
	    i), "cards");
}

/*
 * Each version records the language it was written in: Bob's German
 * (experts.lang), Ana's the campaign's default; a version from before
 * sql/019 has none ("" in csv-long, null in json).
 */
START_TEST(test_lang_recorded)
{
	json_t	*j, *ver;
	char	*out;

	sql("UPDATE experts SET lang = 'de' WHERE email = 'bob@example.org'");
	fill();
	sql("UPDATE response_versions SET lang = NULL WHERE response_id = "
	    "(SELECT r.id FROM responses r JOIN assignments a ON a.id = "
	    "r.assignment_id JOIN fields f ON f.id = a.field_id WHERE "
	    "f.code = 'SF12')");
	out = export_ok(EXPORT_CSV_LONG, NULL);
	ck_assert_ptr_nonnull(strstr(out, "\"\"\",1,1,de,header,"));
	ck_assert_ptr_nonnull(strstr(out, "SF41,Ana Example,1,2,en,header,"));
	ck_assert_ptr_nonnull(strstr(out, "SF12,Ana Example,1,1,,header,"));
	free(out);
	j = json_export(NULL);
	ver = json_array_get(json_object_get(json_array_get(cards(j, 0), 1),
	    "versions"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(ver, "lang")),
	    "de");
	ver = json_array_get(json_object_get(json_array_get(cards(j, 0), 2),
	    "versions"), 0);
	ck_assert(json_is_null(json_object_get(ver, "lang")));
	json_decref(j);
}
END_TEST

/*
 * --lang de: the document's labels in German (the fixture's form has
 * English only: its own texts stay), the tables' keys and every value
 * as in English; the campaign's default (English) without --lang.
 */
START_TEST(test_lang_labels)
{
	struct export_opts	 en = { .lang = "en" }, de = { .lang = "de" };
	char			*a, *b;

	fill();
	a = export_ok(EXPORT_MD, &de);
	ck_assert_ptr_nonnull(strstr(a, "| Expertin/Experte | Fr | B | "
	    "Summe |\n"));
	ck_assert_ptr_nonnull(strstr(a, "| Median |"));
	ck_assert_ptr_null(strstr(a, "| Expert |"));
	free(a);
	a = export_ok(EXPORT_MD, NULL);
	ck_assert_ptr_nonnull(strstr(a, "| Expert | Fr | B | Total |\n"));
	free(a);
	a = export_ok(EXPORT_CSV_LONG, &en);
	b = export_ok(EXPORT_CSV_LONG, &de);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	a = export_ok(EXPORT_CSV, &en);
	b = export_ok(EXPORT_CSV, &de);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_json)
{
	struct export_opts	 all = { .all_versions = true };
	json_t			*j, *r, *a;

	fill();
	j = json_export(NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j,
	    "campaign"), "slug")), "demo");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j,
	    "form"), "name")), "mini");
	ck_assert_int_eq(json_array_size(json_object_get(j, "cities")), 2);
	ck_assert_int_eq(json_array_size(json_object_get(j, "key_fields")), 3);
	ck_assert_int_eq(json_array_size(cards(j, 0)), 3);

	r = json_array_get(cards(j, 0), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "key_field")),
	    "SF41");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r,
	    "expert"), "email")), "ana@example.org");
	ck_assert_int_eq(json_array_size(json_object_get(r, "versions")), 1);
	a = json_array_get(json_object_get(r, "versions"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "version")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(a,
	    "submitted_at")), "2026-03-02T10:00:00.000Z");
	a = json_object_get(a, "answers");
	ck_assert_str_eq(json_string_value(json_object_get(a, "description")),
	    "=1+1, \"quoted\"\nline two");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a,
	    "rating.rating"), "B")), "5");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a,
	    "examples.example"), "Fr")), "Green\r\nCity");
	ck_assert_int_eq(json_array_size(json_object_get(a, "indicators")), 2);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(a,
	    "indicators"), 1)), "+c");
	r = json_array_get(cards(j, 0), 2);
	a = json_object_get(json_array_get(json_object_get(r, "versions"), 0),
	    "answers");
	ck_assert_str_eq(json_string_value(json_object_get(a, "retired")),
	    "a value no form has");
	json_decref(j);

	j = json_export(&all);
	r = json_array_get(cards(j, 0), 0);
	ck_assert_int_eq(json_array_size(json_object_get(r, "versions")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(r,
	    "latest_version")), 2);
	ck_assert_int_eq(json_array_size(cards(j, 0)), 3);
	json_decref(j);
}
END_TEST

/*
 * Round 2: Ana revises SF41 (Fr 9, B 5). Round 1 keeps its documents;
 * csv and md show the latest round, csv --round 1 the round before,
 * csv-long and json both; a round that is not there is refused (3).
 */
#define LONG_ANA3 \
	"demo,SF41,Ana Example,2,3,en,header,rating.rating,Fr,0,9\r\n" \
	"demo,SF41,Ana Example,2,3,en,header,rating.rating,B,0,5\r\n" \
	"demo,SF41,Ana Example,2,3,en,description,description,,0,second\r\n"

/* The i-th card of round r of JSON export j says status and latest. */
static void
card_says(json_t *j, size_t r, size_t i, const char *status, int latest)
{
	json_t	*c = json_array_get(cards(j, r), i);

	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(json_string_value(json_object_get(c, "status")),
	    status);
	ck_assert_int_eq(json_integer_value(json_object_get(c,
	    "latest_version")), latest);
}

START_TEST(test_rounds)
{
	static const char *const ana3[] = {
		"rating.rating", "Fr", "0", "9",
		"rating.rating", "B", "0", "5",
		"description", "", "0", "second",
		NULL };
	struct export_opts	 r1 = { .round = 1 }, r3 = { .round = 3 };
	struct export_opts	 all = { .all_versions = true };
	struct round_started	 started;
	const char		*problem;
	json_t			*j;
	char			*out;
	int			 rc;

	fill();
	ck_assert_int_eq(round_start(s, "demo", "test", &started, &problem),
	    0);
	answer(ana, "SF41", true, ana3);
	sql("UPDATE response_versions SET submitted_at = 'T' WHERE round = 2");
	out = export_ok(EXPORT_CSV, &r1);
	ck_assert_str_eq(out, WIDE_HEAD WIDE_ANA2 WIDE_BOB WIDE_ANA12);
	free(out);
	out = export_ok(EXPORT_CSV, NULL);
	ck_assert_str_eq(out, WIDE_HEAD "demo,SF41,Cluster Management,"
	    "Ana Example,ana@example.org,3,T,9,5,,,second,,,,,,\r\n");
	free(out);
	out = export_ok(EXPORT_CSV_LONG, NULL);
	ck_assert_str_eq(out, LONG_HEAD LONG_ANA2 LONG_BOB LONG_ANA12
	    LONG_ANA3);
	free(out);
	j = json_export(NULL);
	ck_assert_int_eq(json_array_size(json_object_get(j, "rounds")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
	    json_object_get(j, "rounds"), 1), "round")), 2);
	ck_assert_int_eq(json_array_size(cards(j, 0)), 3);
	ck_assert_int_eq(json_array_size(cards(j, 1)), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(cards(j, 1), 0), "versions"), 0),
	    "version")), 3);
	/* Each card as it was in the round, not as it is now (a draft). */
	card_says(j, 0, 0, "submitted", 2);
	card_says(j, 0, 1, "submitted", 1);
	card_says(j, 0, 2, "submitted", 1);
	card_says(j, 1, 0, "submitted", 3);
	json_decref(j);
	j = json_export(&all);
	card_says(j, 0, 0, "submitted", 2);
	card_says(j, 0, 1, "submitted", 1);
	card_says(j, 1, 0, "submitted", 3);
	json_decref(j);
	out = export_ok(EXPORT_MD, NULL);
	ck_assert_ptr_nonnull(strstr(out, "Round 2 of 2: "));
	ck_assert_ptr_nonnull(strstr(out, "| Ana Example | 9 | 5 | 14 |"));
	ck_assert_ptr_null(strstr(out, "Bob"));
	free(out);
	out = export_ok(EXPORT_MD, &r1);
	ck_assert_ptr_nonnull(strstr(out, "Round 1 of 2: "));
	ck_assert_ptr_nonnull(strstr(out, "| Bob, \"B\" | 5 | 6 | 11 |"));
	free(out);
	free(run(EXPORT_XLSX, &r3, &rc, NULL));
	ck_assert_int_eq(rc, 3);
	free(run(EXPORT_CSV, &r3, &rc, NULL));
	ck_assert_int_eq(rc, 3);
}
END_TEST

START_TEST(test_empty_campaign)
{
	json_t	*j;
	char	*out;

	out = export_ok(EXPORT_CSV_LONG, NULL);
	ck_assert_str_eq(out, LONG_HEAD);
	free(out);
	j = json_export(NULL);
	ck_assert_int_eq(json_array_size(json_object_get(j, "rounds")), 0);
	json_decref(j);
}
END_TEST

/* The zip's central directory names its parts in plain text. */
static bool
has(const char *buf, size_t len, const char *what)
{
	size_t	 n = strlen(what);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(buf + i, what, n) == 0)
			return true;
	return false;
}

START_TEST(test_xlsx)
{
	char	*out;
	size_t	 len;
	int	 rc;

	fill();
	out = run(EXPORT_XLSX, NULL, &rc, &len);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_gt(len, 1000);
	ck_assert_int_eq(memcmp(out, "PK\x03\x04", 4), 0);
	ck_assert(has(out, len, "PK\x05\x06"));
	ck_assert(has(out, len, "xl/worksheets/sheet1.xml"));
	ck_assert(has(out, len, "xl/worksheets/sheet2.xml"));
	ck_assert(!has(out, len, "xl/worksheets/sheet3.xml"));
	free(out);
}
END_TEST

START_TEST(test_refusals)
{
	struct export_opts	 nofield = { .field_code = "NOPE" };
	char			*out;
	size_t			 len;
	int			 rc;
	FILE			*full;

	out = run(EXPORT_CSV, &nofield, &rc, &len);
	ck_assert_int_eq(rc, 2);
	ck_assert_uint_eq(len, 0);
	free(out);
	out = NULL;
	ck_assert_ptr_nonnull(full = open_memstream(&out, &len));
	ck_assert_int_eq(export_campaign(s, "nosuch", EXPORT_JSON, NULL,
	    full), 1);
	fclose(full);
	ck_assert_uint_eq(len, 0);
	free(out);

	/* A full disk is a failure, not a short file that looks whole. */
	fill();
	for (int f = 0; f < EXPORT_FORMAT__MAX; f++) {
		if ((full = fopen("/dev/full", "w")) == NULL)
			return;
		ck_assert_msg(export_campaign(s, "demo", f, NULL, full) == -1,
		    "%s on a full disk", export_format_name(f));
		fclose(full);
	}
}
END_TEST

/* ---- hostile strings through every writer ---- */

static const struct {
	const char	*in;
	const char	*csv;	/* the CSV cell */
	const char	*md;	/* as a section's only text */
} hostile[] = {
	{ "plain", "plain", "plain" },
	{ "a,b", "\"a,b\"", "a,b" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"", "say \"hi\"" },
	{ "line\nbreak", "\"line\nbreak\"", "line\nbreak" },
	{ "cr\r\nlf", "\"cr\r\nlf\"", "cr\nlf" },
	{ "=1+1", "'=1+1", "\\=1+1" },
	{ "+1", "'+1", "\\+1" },
	{ "-1", "'-1", "\\-1" },
	{ "@SUM(A1)", "'@SUM(A1)", "@SUM(A1)" },
	{ "\tTAB", "'\tTAB", "\tTAB" },
	{ "\rCR", "\"'\rCR\"", "\nCR" },
	{ "=HYPERLINK(\"http://x\",\"y\")",
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
	    "\\=HYPERLINK(\"http://x\",\"y\")" },
	{ "<script>alert(1)</script>", "<script>alert(1)</script>",
	    "\\<script\\>alert(1)\\</script\\>" },
	{ "\xf0\x9d\x84\x9e non-BMP \xf0\x9f\x98\x80",
	    "\xf0\x9d\x84\x9e non-BMP \xf0\x9f\x98\x80",
	    "\xf0\x9d\x84\x9e non-BMP \xf0\x9f\x98\x80" },
	{ "\xe2\x80\xae" "bidi\xe2\x80\xac \xe2\x81\xa6iso\xe2\x81\xa9",
	    "\xe2\x80\xae" "bidi\xe2\x80\xac \xe2\x81\xa6iso\xe2\x81\xa9",
	    "\xe2\x80\xae" "bidi\xe2\x80\xac \xe2\x81\xa6iso\xe2\x81\xa9" },
	{ "# heading\n1. item\n> quote", "\"# heading\n1. item\n> quote\"",
	    "\\# heading\n1\\. item\n\\> quote" },
	{ "a | b", "a | b", "a \\| b" },
	{ "*x* _y_ `z` [l](u) ~s~", "*x* _y_ `z` [l](u) ~s~",
	    "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~" },
	{ "back\\slash", "back\\slash", "back\\\\slash" },
	{ "_x0041_ literal", "_x0041_ literal", "\\_x0041\\_ literal" },
};

START_TEST(test_csv_cell)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	ck_assert_ptr_nonnull(f = open_memstream(&buf, &len));
	ck_assert_int_eq(export_csv_cell(f, hostile[_i].in, true), 0);
	ck_assert_int_eq(export_csv_cell(f, "", false), 0);
	fclose(f);
	ck_assert_uint_eq(len, strlen(hostile[_i].csv) + 1);
	ck_assert_int_eq(buf[len - 1], ',');
	buf[len - 1] = '\0';
	ck_assert_str_eq(buf, hostile[_i].csv);
	free(buf);
}
END_TEST

/* A German Excel's CSV: ';' between cells, a cell holding one quoted. */
static const struct {
	const char	*in;
	char		 delim;
	const char	*out;	/* the cell, then an empty one */
} sep_rows[] = {
	{ "a;b", ';', "\"a;b\";" },
	{ "a,b", ';', "a,b;" },
	{ "a;b", ',', "a;b," },
	{ "a,b", ',', "\"a,b\"," },
	{ "=1;2", ';', "\"'=1;2\";" },
	{ "say \"x\"", ';', "\"say \"\"x\"\"\";" },
};

START_TEST(test_csv_cell_sep)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	ck_assert_ptr_nonnull(f = open_memstream(&buf, &len));
	ck_assert_int_eq(export_csv_cell_sep(f, sep_rows[_i].in, true,
	    sep_rows[_i].delim), 0);
	ck_assert_int_eq(export_csv_cell_sep(f, "", false,
	    sep_rows[_i].delim), 0);
	fclose(f);
	ck_assert_str_eq(buf, sep_rows[_i].out);
	free(buf);
}
END_TEST

/* The text between after and the next "\n\n## " (or the end). */
static char *
between(const char *doc, const char *after)
{
	const char	*b, *e;
	char		*out;

	ck_assert_msg((b = strstr(doc, after)) != NULL, "no %s in %s", after,
	    doc);
	b += strlen(after);
	if ((e = strstr(b, "\n\n## ")) == NULL)
		e = b + strlen(b);
	ck_assert_ptr_nonnull(out = strndup(b, (size_t)(e - b)));
	return out;
}

START_TEST(test_hostile_writers)
{
	const char *const v[] = {
		"rating.rating", "Fr", "0", "1",
		"description", "", "0", hostile[_i].in,
		"indicators", "", "0", hostile[_i].in,
		NULL };
	struct export_opts	 one = { .field_code = "SF41" };
	json_t			*j, *a;
	char			*out, *got, line[512], *xlsx;
	size_t			 len;
	int			 rc;

	answer(ana, "SF41", true, v);
	sql("UPDATE response_versions SET submitted_at = 'T'");

	/* csv-long: the value's own cell. */
	out = export_ok(EXPORT_CSV_LONG, NULL);
	snprintf(line, sizeof(line), "demo,SF41,Ana Example,1,1,en,description,"
	    "description,,0,%s\r\n", hostile[_i].csv);
	ck_assert_msg(strstr(out, line) != NULL, "no %s in %s", line, out);
	free(out);

	/* csv: the description column, then the list of one item. */
	out = export_ok(EXPORT_CSV, NULL);
	snprintf(line, sizeof(line), ",,%s,,,,,%s,\r\n", hostile[_i].csv,
	    hostile[_i].csv);
	ck_assert_msg(strstr(out, line) != NULL, "no %s in %s", line, out);
	free(out);

	/* json: exactly as typed. */
	j = json_export(NULL);
	a = json_object_get(json_array_get(json_object_get(json_array_get(
	    cards(j, 0), 0), "versions"), 0), "answers");
	ck_assert_str_eq(json_string_value(json_object_get(a, "description")),
	    hostile[_i].in);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(a,
	    "indicators"), 0)), hostile[_i].in);
	json_decref(j);

	/* md: shown as typed, never as markup. */
	out = export_ok(EXPORT_MD, &one);
	got = between(out, "## 1. Description\n\n### Ana Example\n\n");
	ck_assert_str_eq(got, hostile[_i].md);
	free(got);
	for (const char *lt = out; (lt = strchr(lt, '<')) != NULL; lt++)
		ck_assert_msg(lt > out && lt[-1] == '\\', "raw < in %s", out);
	free(out);

	/* xlsx: written. */
	xlsx = run(EXPORT_XLSX, NULL, &rc, &len);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(memcmp(xlsx, "PK", 2), 0);
	free(xlsx);
}
END_TEST

/* ---- names ---- */

static const struct {
	const char		*name;
	int			 fmt;
	const char		*type;
} formats[] = {
	{ "csv", EXPORT_CSV, "text/csv; charset=utf-8" },
	{ "csv-long", EXPORT_CSV_LONG, "text/csv; charset=utf-8" },
	{ "json", EXPORT_JSON, "application/json" },
	{ "xlsx", EXPORT_XLSX, "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet" },
	{ "md", EXPORT_MD, "text/markdown; charset=utf-8" },
	{ "CSV", -1, NULL },
	{ "", -1, NULL },
	{ "xls", -1, NULL },
	{ "csv ", -1, NULL },
};

START_TEST(test_format_names)
{
	ck_assert_int_eq(export_format_parse(formats[_i].name),
	    formats[_i].fmt);
	if (formats[_i].fmt == -1)
		return;
	ck_assert_str_eq(export_format_name(formats[_i].fmt),
	    formats[_i].name);
	ck_assert_str_eq(export_content_type(formats[_i].fmt),
	    formats[_i].type);
}
END_TEST

static const struct {
	const char		*slug;
	enum export_format	 fmt;
	size_t			 size;
	const char		*expected;
} filenames[] = {
	{ "demo", EXPORT_CSV, 64, "demo.csv" },
	{ "demo", EXPORT_CSV_LONG, 64, "demo-long.csv" },
	{ "demo", EXPORT_JSON, 64, "demo.json" },
	{ "demo", EXPORT_XLSX, 64, "demo.xlsx" },
	{ "demo", EXPORT_MD, 64, "demo.md" },
	{ "../etc/passwd", EXPORT_CSV, 64, "_._etc_passwd.csv" },
	{ ".hidden", EXPORT_MD, 64, "_hidden.md" },
	{ "a\"b;c\r\n", EXPORT_XLSX, 64, "a_b_c__.xlsx" },
	{ "Z\xc3\xbcrich 2026", EXPORT_CSV, 64, "Z__rich_2026.csv" },
	{ "", EXPORT_JSON, 64, "export.json" },
	{ "abcdefghij", EXPORT_CSV, 10, "abcde.csv" },
	{ "abcdefghij", EXPORT_CSV_LONG, 10, "-long.csv" },
};

START_TEST(test_filenames)
{
	char	 out[64];

	memset(out, 'x', sizeof(out));
	export_filename(out, filenames[_i].size, filenames[_i].slug,
	    filenames[_i].fmt);
	ck_assert_str_eq(out, filenames[_i].expected);
}
END_TEST

/* ---- the real card ---- */

static char *
slurp(const char *file)
{
	char	*buf = NULL;
	size_t	 len = 0, n;
	char	 chunk[4096];
	FILE	*in, *out;

	ck_assert_msg((in = fopen(file, "r")) != NULL, "%s: %s", file,
	    strerror(errno));
	ck_assert_ptr_nonnull(out = open_memstream(&buf, &len));
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		ck_assert_uint_eq(fwrite(chunk, 1, n, out), n);
	fclose(in);
	fclose(out);
	return buf;
}

static const char *real_definition;

static int
real_txn(struct store *st, void *arg)
{
	int64_t		 form, cid, field, *expert = arg;
	unsigned char	 h[32];

	auth_token_hash("token-real", h);
	if (store_form_import(st, "keyfield", 1, real_definition,
	    &form) != 0 ||
	    store_campaign_add(st, "real", "Real", "keyfield", &cid) != 0 ||
	    store_city_add(st, cid, "Fr", "Freiburg", 0) != 0 ||
	    store_field_add(st, cid, "SF41", "Cluster Management",
	    &field) != 0 ||
	    store_expert_add(st, cid, "Ana Real", "real@example.org", h,
	    expert) != 0)
		return -1;
	return store_assign(st, *expert, field);
}

START_TEST(test_real_card)
{
	static const char *const v[] = {
		"rating.rating", "Fr", "0", "7",
		"description", "", "0", "Networking",
		"indicators", "", "0", "number of cluster groups",
		NULL };
	static const char top_expected[] = "# SF41: Cluster Management\n\n"
	    "| Expert | Fr | Total |\n| --- | ---: | ---: |\n"
	    "| Ana Real | 7 | 7 |\n| Median | 7 | 7 |\n";
	const char	*top = getenv("top_srcdir");
	char		 file[1024], *def, *out, *p, head[16];
	int64_t		 expert;
	FILE		*f;
	size_t		 len;

	snprintf(file, sizeof(file), "%s/forms/keyfield.json",
	    top != NULL ? top : "..");
	real_definition = def = slurp(file);
	ck_assert_int_eq(store_write(s, real_txn, &expert), 0);
	answer(expert, "SF41", true, v);
	ck_assert_ptr_nonnull(f = open_memstream(&out, &len));
	ck_assert_int_eq(export_campaign(s, "real", EXPORT_MD, NULL, f), 0);
	fclose(f);
	ck_assert_msg(strncmp(out, top_expected, strlen(top_expected)) == 0,
	    "%s", out);
	/* Sections 1 to 10 in order, each with the expert. */
	p = out;
	for (int i = 1; i <= 10; i++) {
		snprintf(head, sizeof(head), "\n## %d. ", i);
		ck_assert_msg((p = strstr(p, head)) != NULL, "no %s", head);
		ck_assert_ptr_nonnull(strstr(p, "### Ana Real"));
	}
	ck_assert_ptr_nonnull(strstr(out, "- number of cluster groups\n"));
	free(out);
	free(def);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*su = suite_create("export");
	TCase	*tc;

	tc = tcase_create("documents");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_csv_exact);
	tcase_add_test(tc, test_csv_long_exact);
	tcase_add_test(tc, test_lang_recorded);
	tcase_add_test(tc, test_lang_labels);
	tcase_add_test(tc, test_md_exact);
	tcase_add_test(tc, test_withdrawn);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_empty_campaign);
	tcase_add_test(tc, test_rounds);
	tcase_add_test(tc, test_xlsx);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_real_card);
	suite_add_tcase(su, tc);

	tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_csv_cell, 0,
	    sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_loop_test(tc, test_csv_cell_sep, 0,
	    sizeof(sep_rows) / sizeof(sep_rows[0]));
	tcase_add_loop_test(tc, test_hostile_writers, 0,
	    sizeof(hostile) / sizeof(hostile[0]));
	suite_add_tcase(su, tc);

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_format_names, 0,
	    sizeof(formats) / sizeof(formats[0]));
	tcase_add_loop_test(tc, test_filenames, 0,
	    sizeof(filenames) / sizeof(filenames[0]));
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	log_init("check_export", LOG_WARN);
	return check_run(suite());
}
