/*
 * check_form: form definitions load or fail with their recorded messages,
 * and answers are checked as documented. Reads only files under top_srcdir.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check-run.h"
#include "base/form.h"

#define FILES_MAX	256	/* definitions found in one directory */
#define NAME_LEN	128	/* bytes of a definition's file name */
#define KVS_MAX		12	/* inputs of one collect case */
#define ISSUES_MAX	12	/* issues of one collect case */
#define ANSWERS_MAX	6	/* answers checked in one collect case */

/* A value: prefix followed by unit repeated repeat times. */
struct gen {
	const char	*prefix;
	const char	*unit;
	size_t		 repeat;
};

static char	 good[FILES_MAX][NAME_LEN];	/* forms/ *.json */
static size_t	 ngood;
static char	 bad[FILES_MAX][NAME_LEN];	/* tests/forms-bad/ *.json */
static size_t	 nbad;

static struct form	*keyfield;	/* forms/keyfield.json */
static struct form	*small;		/* the definition below */

static struct form_row	 cities[] = {
	{ "Fr", "Freiburg" },
	{ "B", "Berlin" },
	{ "C", "Copenhagen" },
	{ "NY", "New York City" },
	{ "S", "Singapore" },
	{ "T", "Tokyo" },
};
#define NCITIES	(sizeof(cities) / sizeof(cities[0]))

static const char small_json[] =
"{\"name\": \"small\", \"version\": 1, \"title\": \"Small\",\n"
" \"sections\": [{\"key\": \"abcdefghijklmnopqrstuvwxyz012345\",\n"
"  \"title\": \"S\", \"help\": \"\",\n"
"  \"questions\": [\n"
"   {\"key\": \"nick\", \"type\": \"short_text\", \"label\": \"Nick\",\n"
"    \"max_length\": 5},\n"
"   {\"key\": \"city\", \"type\": \"short_text\", \"label\": \"City\",\n"
"    \"required\": true},\n"
"   {\"key\": \"mood\", \"type\": \"choice\", \"label\": \"Mood\",\n"
"    \"required\": true, \"options\": [{\"value\": \"good\",\n"
"    \"label\": \"Good\"}, {\"value\": \"bad\", \"label\": \"Bad\"}]},\n"
"   {\"key\": \"score\", \"type\": \"scale\", \"label\": \"Score\",\n"
"    \"min\": -5, \"max\": 5},\n"
"   {\"key\": \"tags\", \"type\": \"list\", \"label\": \"Tags\",\n"
"    \"max_items\": 3, \"max_length\": 4},\n"
"   {\"key\": \"plan\", \"type\": \"grid\", \"label\": \"Plan\",\n"
"    \"rows\": [{\"key\": \"a\", \"label\": \"A\"},\n"
"     {\"key\": \"b\", \"label\": \"B\"}],\n"
"    \"columns\": [{\"key\": \"who\", \"type\": \"short_text\",\n"
"     \"label\": \"Who for {row}\", \"required\": true},\n"
"     {\"key\": \"note\", \"type\": \"long_text\", \"label\": \"Note\",\n"
"     \"max_length\": 3}]},\n"
"   {\"key\": \"full\", \"type\": \"grid\", \"label\": \"Full\",\n"
"    \"required\": true, \"rows\": [{\"key\": \"x\", \"label\": \"X\"}],\n"
"    \"columns\": [{\"key\": \"p\", \"type\": \"choice\", \"label\": \"P\",\n"
"     \"options\": [{\"value\": \"x\", \"label\": \"X\"},\n"
"      {\"value\": \"y\", \"label\": \"Y\"}]},\n"
"     {\"key\": \"n\", \"type\": \"scale\", \"label\": \"N\",\n"
"      \"min\": 1, \"max\": 3}]}\n"
"  ]}]}\n";

static const char *
srcdir(void)
{
	const char	*s;

	return (s = getenv("top_srcdir")) != NULL && *s != '\0' ? s : ".";
}

/* The whole file, NUL-terminated, or NULL. */
static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*p = NULL, *np;
	size_t	 cap = 0, n = 0, r;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			if ((np = realloc(p, cap + 1)) == NULL)
				goto fail;
			p = np;
		}
		if ((r = fread(p + n, 1, cap - n, fp)) == 0)
			break;
		n += r;
	}
	if (ferror(fp))
		goto fail;
	fclose(fp);
	p[n] = '\0';
	*len = n;
	return p;
fail:
	free(p);
	fclose(fp);
	return NULL;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The *.json names in top_srcdir/dir, sorted. -1 if unreadable. */
static int
scan(const char *dir, char names[][NAME_LEN], size_t *n)
{
	char		 path[1024];
	DIR		*d;
	struct dirent	*e;
	size_t		 len;

	*n = 0;
	snprintf(path, sizeof(path), "%s/%s", srcdir(), dir);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 6 || len >= NAME_LEN ||
		    strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if (*n == FILES_MAX)
			break;
		memcpy(names[(*n)++], e->d_name, len + 1);
	}
	closedir(d);
	qsort(names, *n, NAME_LEN, namecmp);
	return 0;
}

static struct form *
load_file(const char *dir, const char *name, struct form_errors *errs)
{
	char		 path[1024];
	char		*json;
	size_t		 len;
	struct form	*f;

	snprintf(path, sizeof(path), "%s/%s/%s", srcdir(), dir, name);
	json = slurp(path, &len);
	ck_assert_msg(json != NULL, "cannot read %s", path);
	f = form_load(json, len, errs);
	free(json);
	return f;
}

static void
errors_text(const struct form_errors *errs, char *out, size_t sz)
{
	size_t	 i, o = 0;
	int	 n;

	out[0] = '\0';
	for (i = 0; i < errs->n && o < sz; i++) {
		n = snprintf(out + o, sz - o, "%s: %s\n", errs->v[i].path,
		    errs->v[i].message);
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

/*
 * Definitions.
 */

START_TEST(test_found)
{
	size_t	 i;

	for (i = 0; i < ngood; i++)
		if (strcmp(good[i], "keyfield.json") == 0)
			break;
	ck_assert_msg(i < ngood, "forms/keyfield.json not found");
	ck_assert_uint_ge(nbad, 15);
}
END_TEST

START_TEST(test_good_loads)
{
	struct form_errors	 errs;
	struct form		*f;
	char			 text[8192], stem[NAME_LEN];

	f = load_file("forms", good[_i], &errs);
	errors_text(&errs, text, sizeof(text));
	ck_assert_msg(f != NULL, "forms/%s:\n%s", good[_i], text);
	ck_assert_uint_eq(errs.n, 0);
	snprintf(stem, sizeof(stem), "%s", good[_i]);
	stem[strlen(stem) - 5] = '\0';
	ck_assert_str_eq(f->name, stem);
	ck_assert_int_gt(f->version, 0);
	form_free(f);
}
END_TEST

/* The expected "path: message" lines of one bad definition. */
static void
expected_for(const char *name, char *out, size_t sz)
{
	char		 path[1024], *all, *line, *next, *tab;
	size_t		 len, o = 0;

	snprintf(path, sizeof(path), "%s/tests/forms-bad/expected.txt",
	    srcdir());
	all = slurp(path, &len);
	ck_assert_msg(all != NULL, "cannot read %s", path);
	out[0] = '\0';
	for (line = all; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		if (strcmp(line, name) != 0)
			continue;
		len = strlen(tab + 1);
		ck_assert_uint_lt(o + len + 1, sz);
		memcpy(out + o, tab + 1, len);
		out[o + len] = '\n';
		o += len + 1;
		out[o] = '\0';
	}
	free(all);
}

START_TEST(test_bad_fails)
{
	struct form_errors	 errs;
	struct form		*f;
	char			 got[16384], want[16384];

	f = load_file("tests/forms-bad", bad[_i], &errs);
	ck_assert_msg(f == NULL, "tests/forms-bad/%s loaded", bad[_i]);
	ck_assert_uint_gt(errs.n, 0);
	errors_text(&errs, got, sizeof(got));
	expected_for(bad[_i], want, sizeof(want));
	ck_assert_msg(strcmp(got, want) == 0,
	    "tests/forms-bad/%s:\ngot:\n%swant:\n%s", bad[_i], got, want);
}
END_TEST

/* Every file named in expected.txt exists (no stale expectations). */
START_TEST(test_expected_files)
{
	char		 path[1024], *all, *line, *next, *tab;
	size_t		 len, i;

	snprintf(path, sizeof(path), "%s/tests/forms-bad/expected.txt",
	    srcdir());
	all = slurp(path, &len);
	ck_assert_ptr_nonnull(all);
	for (line = all; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		tab = strchr(line, '\t');
		ck_assert_msg(tab != NULL, "no tab in \"%s\"", line);
		*tab = '\0';
		for (i = 0; i < nbad; i++)
			if (strcmp(bad[i], line) == 0)
				break;
		ck_assert_msg(i < nbad, "no tests/forms-bad/%s", line);
	}
	free(all);
}
END_TEST

START_TEST(test_too_many_errors)
{
	static const char	 head[] = "{\"name\": \"x\", \"version\": 1, "
	    "\"title\": \"X\", \"sections\": [{\"key\": \"s\", "
	    "\"title\": \"S\", \"questions\": [";
	static const char	 q[] = "{\"key\": \"Bad\", "
	    "\"type\": \"long_text\", \"label\": \"L\"}";
	struct form_errors	 errs;
	char			*json;
	size_t			 i, o, sz;

	sz = sizeof(head) + 100 * sizeof(q) + 16;
	json = malloc(sz);
	ck_assert_ptr_nonnull(json);
	o = (size_t)snprintf(json, sz, "%s", head);
	for (i = 0; i < 100; i++)
		o += (size_t)snprintf(json + o, sz - o, "%s%s",
		    i > 0 ? "," : "", q);
	snprintf(json + o, sz - o, "]}]}");
	ck_assert_ptr_null(form_load(json, strlen(json), &errs));
	ck_assert_uint_eq(errs.n, FORM_ERRORS_MAX);
	ck_assert_str_eq(errs.v[0].path, "$.sections[0].questions[0].key");
	ck_assert_str_eq(errs.v[FORM_ERRORS_MAX - 1].path,
	    "$.sections[0].questions[63].key");
	free(json);
}
END_TEST

START_TEST(test_too_large)
{
	struct form_errors	 errs;
	char			*json;

	json = malloc(FORM_DEFINITION_MAX + 1);
	ck_assert_ptr_nonnull(json);
	memset(json, ' ', FORM_DEFINITION_MAX + 1);
	ck_assert_ptr_null(form_load(json, FORM_DEFINITION_MAX + 1, &errs));
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_str_eq(errs.v[0].path, "$");
	ck_assert_str_eq(errs.v[0].message,
	    "a definition must be at most 1048576 bytes "
	    "(this one has 1048577)");
	free(json);
	/* NULL errs is allowed. */
	ck_assert_ptr_null(form_load("[]", 2, NULL));
}
END_TEST

START_TEST(test_defaults)
{
	const struct form_question	*q;

	ck_assert_ptr_nonnull(small);
	ck_assert_ptr_null(small->sections[0].help);
	ck_assert_str_eq(small->sections[0].key,
	    "abcdefghijklmnopqrstuvwxyz012345");
	q = form_question(small, "city");
	ck_assert_uint_eq(q->max_length, FORM_SHORT_DEFAULT);
	ck_assert_ptr_null(q->help);
	q = form_question(small, "plan.who");
	ck_assert_uint_eq(q->max_length, FORM_SHORT_DEFAULT);
	ck_assert(q->required);
	ck_assert(!form_question(small, "plan")->required);
	q = form_question(small, "tags");
	ck_assert_uint_eq(q->max_length, 4);
	ck_assert_uint_eq(q->max_items, 3);
	q = form_question(small, "score");
	ck_assert_int_eq(q->min, -5);
	ck_assert_int_eq(q->max, 5);
}
END_TEST

/* What the card asks, as the seed card has it. */
START_TEST(test_keyfield_shape)
{
	static const char *const titles[] = {
		"Ratings and examples",
		"1. Differentiated description of the key field",
		"2. Reference to sustainability",
		"3. Relevance to industrial sectors",
		"4. Impact (positive & negative)",
		"5. Implementation measures",
		"6. Actors: who can shape things?",
		"7. Prerequisites",
		"8. Obstacles/barriers",
		"9. Indicators",
		"10. Special features/remarks",
	};
	static const char *const sectors[][2] = {
		{ "mobility", "Mobility" },
		{ "energy", "Energy" },
		{ "production_logistics", "Production & logistics" },
		{ "security", "Security" },
		{ "ict", "ICT" },
		{ "water", "Water infrastructure" },
		{ "buildings", "Buildings" },
		{ "governance", "Governance" },
	};
	static const char *const required[] = {
		"rating", "description", "indicators"
	};
	const struct form		*f = keyfield;
	const struct form_question	*q;
	size_t				 i, j, k, nreq = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->name, "keyfield");
	ck_assert_int_eq(f->version, 2);
	ck_assert_str_eq(f->title, "Key-field card");
	ck_assert_uint_eq(f->nsections, sizeof(titles) / sizeof(titles[0]));
	for (i = 0; i < f->nsections; i++)
		ck_assert_str_eq(f->sections[i].title, titles[i]);
	ck_assert_str_eq(f->sections[0].key, "header");

	q = form_question(f, "rating");
	ck_assert(q->type == FORM_GRID && q->rows_cities && q->total &&
	    q->required && q->ncolumns == 1);
	q = form_question(f, "rating.rating");
	ck_assert(q->type == FORM_SCALE && q->min == 0 && q->max == 10);
	ck_assert_str_eq(q->label, "Rating for {row}");
	q = form_question(f, "examples.example");
	ck_assert(q->type == FORM_LONG_TEXT);
	ck_assert_str_eq(q->label, "Example for {row}");
	ck_assert_uint_eq(q->max_length, FORM_LONG_DEFAULT);

	q = form_question(f, "sectors");
	ck_assert(q->type == FORM_GRID && !q->rows_cities);
	ck_assert_uint_eq(q->nrows, sizeof(sectors) / sizeof(sectors[0]));
	for (i = 0; i < q->nrows; i++) {
		ck_assert_str_eq(q->rows[i].key, sectors[i][0]);
		ck_assert_str_eq(q->rows[i].label, sectors[i][1]);
	}
	q = form_question(f, "sectors.relevance");
	ck_assert(q->type == FORM_CHOICE && q->noptions == 4);
	ck_assert_str_eq(q->options[3].value, "high");
	ck_assert_str_eq(q->label, "{row} relevance");
	q = form_question(f, "sectors.importance");
	ck_assert_str_eq(q->label,
	    "{row}: brief description of the importance");

	ck_assert_str_eq(form_question(f, "economic")->label, "Economic");
	ck_assert_str_eq(form_question(f, "resilience")->label,
	    "Resilience of City Systems");
	q = form_question(f, "indicators");
	ck_assert(q->type == FORM_LIST);
	ck_assert_uint_eq(q->max_length, FORM_ITEM_DEFAULT);
	ck_assert_uint_eq(q->max_items, FORM_ITEMS_DEFAULT);

	/* Exactly these are required. */
	for (i = 0; i < f->nsections; i++)
		for (j = 0; j < f->sections[i].nquestions; j++) {
			q = &f->sections[i].questions[j];
			for (k = 0; k < q->ncolumns; k++)
				ck_assert(!q->columns[k].required);
			if (!q->required)
				continue;
			nreq++;
			for (k = 0; k < 3; k++)
				if (strcmp(q->key, required[k]) == 0)
					break;
			ck_assert_msg(k < 3, "%s is required", q->key);
		}
	ck_assert_uint_eq(nreq, 3);
}
END_TEST

static const struct {
	enum form_type	 type;
	const char	*name;
} type_names[] = {
	{ FORM_SHORT_TEXT, "short_text" },
	{ FORM_LONG_TEXT, "long_text" },
	{ FORM_SCALE, "scale" },
	{ FORM_CHOICE, "choice" },
	{ FORM_LIST, "list" },
	{ FORM_GRID, "grid" },
};
_Static_assert(sizeof(type_names) / sizeof(type_names[0]) == FORM_TYPE__MAX,
    "every type named");

START_TEST(test_type_name)
{
	ck_assert_str_eq(form_type_name(type_names[_i].type),
	    type_names[_i].name);
}
END_TEST

static const struct {
	const char	*key;
	int		 type;	/* -1: not found */
} lookups[] = {
	{ "rating", FORM_GRID },
	{ "rating.rating", FORM_SCALE },
	{ "sectors.relevance", FORM_CHOICE },
	{ "sectors.importance", FORM_LONG_TEXT },
	{ "indicators", FORM_LIST },
	{ "description", FORM_LONG_TEXT },
	{ "sectors.nope", -1 },
	{ "description.x", -1 },
	{ "rating.", -1 },
	{ ".rating", -1 },
	{ "ratin", -1 },
	{ "ratings", -1 },
	{ "", -1 },
	{ "csrf", -1 },
};

START_TEST(test_question)
{
	const struct form_question	*q;

	ck_assert_ptr_nonnull(keyfield);
	q = form_question(keyfield, lookups[_i].key);
	if (lookups[_i].type < 0) {
		ck_assert_msg(q == NULL, "found \"%s\"", lookups[_i].key);
		return;
	}
	ck_assert_msg(q != NULL, "\"%s\" not found", lookups[_i].key);
	ck_assert_int_eq(q->type, lookups[_i].type);
}
END_TEST

static const struct {
	const char	*question, *row;
	size_t		 size;
	const char	*want;
} input_names[] = {
	{ "description", "", 64, "description" },
	{ "description", NULL, 64, "description" },
	{ "rating.rating", "NY", 64, "rating.rating.NY" },
	{ "sectors.relevance", "production_logistics", 64,
	    "sectors.relevance.production_logistics" },
	{ "rating.rating", "NY", 8, "rating." },
	{ "rating.rating", "NY", 1, "" },
	{ "rating.rating", "NY", 14, "rating.rating" },
	{ "rating.rating", "NY", 15, "rating.rating." },
	{ "rating.rating", "NY", 16, "rating.rating.N" },
	{ "rating.rating", "NY", 17, "rating.rating.NY" },
	{ "q", "r", 2, "q" },
};

START_TEST(test_input_name)
{
	char	 out[64];

	memset(out, 'x', sizeof(out));
	form_input_name(out, input_names[_i].size, input_names[_i].question,
	    input_names[_i].row);
	ck_assert_str_eq(out, input_names[_i].want);
}
END_TEST

/* Keys in order are found by halving; out of order, by a linear search. */
START_TEST(test_answers_sorted)
{
	static const struct { const char *q, *row; unsigned item; } keys[] = {
		{ "a", "", 0 }, { "a", "", 1 }, { "a", "", 10 },
		{ "a.b", "B", 0 }, { "a.b", "Fr", 0 }, { "b", "", 0 },
		{ "ba", "", 0 }, { "z\xc3\xa9", "", 0 },
	};
	size_t			 n = sizeof(keys) / sizeof(keys[0]), i;
	struct form_answers	 a = { 0 }, r = { 0 };
	struct form_value	 v = { .question = "a.b", .row = "B" };
	char			 val[16], *big;

	ck_assert_int_lt(form_key_cmp("a", "", 0, &v), 0);
	ck_assert_int_eq(form_key_cmp("a.b", "B", 0, &v), 0);
	ck_assert_int_gt(form_key_cmp("a.b", "B", 1, &v), 0);
	ck_assert_int_gt(form_key_cmp("a.b", "Fr", 0, &v), 0);
	for (i = 0; i < n; i++) {
		snprintf(val, sizeof(val), "v%zu", i);
		ck_assert_int_eq(form_answers_add(&a, keys[i].q, keys[i].row,
		    keys[i].item, val), 0);
		snprintf(val, sizeof(val), "v%zu", n - 1 - i);
		ck_assert_int_eq(form_answers_add(&r, keys[n - 1 - i].q,
		    keys[n - 1 - i].row, keys[n - 1 - i].item, val), 0);
	}
	ck_assert(!a.unsorted);
	ck_assert(r.unsorted);
	for (i = 0; i < n; i++) {
		snprintf(val, sizeof(val), "v%zu", i);
		ck_assert_str_eq(form_answer(&a, keys[i].q, keys[i].row,
		    keys[i].item), val);
		ck_assert_str_eq(form_answer(&r, keys[i].q, keys[i].row,
		    keys[i].item), val);
		ck_assert_str_eq(a.v[i].question, keys[i].q);
		ck_assert_str_eq(a.v[i].row, keys[i].row);
	}
	ck_assert_ptr_null(form_answer(&a, "a", "", 2));
	ck_assert_ptr_null(form_answer(&a, "", "", 0));
	ck_assert_ptr_null(form_answer(&a, "a.b", "C", 0));
	ck_assert_ptr_null(form_answer(&a, "zz", "", 0));
	/* A key again: no longer sorted, the first one still found. */
	ck_assert_int_eq(form_answers_add(&a, "z\xc3\xa9", "", 0, "again"), 0);
	ck_assert(a.unsorted);
	ck_assert_str_eq(form_answer(&a, "z\xc3\xa9", "", 0), "v7");
	/* A value larger than a pool block, then small ones again. */
	ck_assert_ptr_nonnull(big = malloc(100000));
	memset(big, 'x', 99999);
	big[99999] = '\0';
	ck_assert_int_eq(form_answers_add(&r, "big", "", 0, big), 0);
	ck_assert_int_eq(form_answers_add(&r, "small", "", 0, "s"), 0);
	ck_assert_str_eq(form_answer(&r, "big", "", 0), big);
	ck_assert_str_eq(form_answer(&r, "small", "", 0), "s");
	ck_assert_str_eq(form_answer(&r, "a", "", 0), "v0");
	free(big);
	form_answers_free(&a);
	form_answers_free(&r);
	ck_assert(!a.unsorted);
	ck_assert_ptr_null(a.pool);
}
END_TEST

START_TEST(test_answers_issues)
{
	struct form_answers	 a;
	struct form_issues	 is;
	char			 name[8];
	unsigned		 i;

	memset(&a, 0, sizeof(a));
	memset(&is, 0, sizeof(is));
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "q%u", i);
		ck_assert_int_eq(form_answers_add(&a, "list", "", i, name), 0);
		ck_assert_int_eq(form_issues_add(&is, name, "Bad."), 0);
	}
	ck_assert_int_eq(form_answers_add(&a, "g.c", "NY", 0, "v"), 0);
	ck_assert_int_eq(form_issues_add(&is, "q7", "Second."), 0);
	ck_assert_str_eq(form_answer(&a, "list", "", 42), "q42");
	ck_assert_str_eq(form_answer(&a, "g.c", "NY", 0), "v");
	ck_assert_ptr_null(form_answer(&a, "g.c", "", 0));
	ck_assert_ptr_null(form_answer(&a, "list", "", 100));
	ck_assert_ptr_null(form_answer(&a, "lis", "", 0));
	ck_assert_str_eq(form_issue_for(&is, "q7"), "Bad.");
	ck_assert_ptr_null(form_issue_for(&is, "q"));
	form_answers_free(&a);
	form_issues_free(&is);
	ck_assert_uint_eq(a.n, 0);
	ck_assert_ptr_null(a.v);
	ck_assert_uint_eq(is.n, 0);
	form_answers_free(&a);
	form_issues_free(&is);
	form_answers_free(NULL);
	form_issues_free(NULL);
	form_free(NULL);
}
END_TEST

/*
 * Answers: each case is the inputs a person sent, and exactly the issues
 * (in order) and the number of answers expected. Every non-blank input
 * of a simple question or grid cell must come back verbatim in the
 * answers; list items are checked through answers[].
 */

enum which { KEYFIELD, SMALL };

struct kv {
	const char	*name;
	struct gen	 value;
};

struct expect_issue {
	const char	*name;
	const char	*message;
};

struct expect_answer {
	const char	*question;
	const char	*row;
	unsigned	 item;
	struct gen	 value;
};

struct collect_case {
	const char		*what;
	enum which		 form;
	bool			 submit;
	struct kv		 in[KVS_MAX];
	struct expect_issue	 issues[ISSUES_MAX];
	size_t			 nanswers;
	struct expect_answer	 answers[ANSWERS_MAX];
};

#define END		{ 0 }	/* ends each list below */
#define V(s)		{ (s), NULL, 0 }
#define REP(p, u, n)	{ (p), (u), (n) }
#define REQUIRED	"This field is required."
#define RATING		"Enter a whole number from 0 to 10."
#define FILLED_REQUIRED	/* the card's required answers, 8 values */ \
	{ "rating.rating.Fr", V("7") }, { "rating.rating.B", V("8") }, \
	{ "rating.rating.C", V("6") }, { "rating.rating.NY", V("6") }, \
	{ "rating.rating.S", V("1") }, { "rating.rating.T", V("8") }, \
	{ "description", V("Networks of small businesses.") }, \
	{ "indicators", V("number of cluster groups") }

static const struct collect_case cases[] = {
	{ "draft, nothing typed", KEYFIELD, false, { END },
	    { END }, 0, { END } },
	{ "submit, nothing typed", KEYFIELD, true, { END },
	    { { "rating.rating.Fr", REQUIRED },
	      { "rating.rating.B", REQUIRED },
	      { "rating.rating.C", REQUIRED },
	      { "rating.rating.NY", REQUIRED },
	      { "rating.rating.S", REQUIRED },
	      { "rating.rating.T", REQUIRED },
	      { "description", REQUIRED },
	      { "indicators", REQUIRED }, END }, 0, { END } },
	{ "submit, the seed card's answers", KEYFIELD, true,
	    { FILLED_REQUIRED,
	      { "examples.example.T", V("Ota-Ku: factory apartments.") },
	      { "sectors.relevance.mobility", V("high") },
	      { "sectors.importance.mobility",
	        V("Clusters can promote alternative mobility.") },
	      END },
	    { END }, 11,
	    { { "indicators", "", 0, V("number of cluster groups") },
	      { "sectors.relevance", "mobility", 0, V("high") },
	      END } },
	{ "submit, blank is not an answer", KEYFIELD, true,
	    { FILLED_REQUIRED, { "rating.rating.Fr", V(" \t ") },
	      { "description", V("\r\n\t ") }, END },
	    { { "rating.rating.Fr", REQUIRED }, { "description", REQUIRED },
	      END }, 6, { END } },
	{ "rating 11", KEYFIELD, false,
	    { { "rating.rating.Fr", V("11") }, END },
	    { { "rating.rating.Fr", RATING }, END }, 1, { END } },
	{ "rating -1", KEYFIELD, false,
	    { { "rating.rating.B", V("-1") }, END },
	    { { "rating.rating.B", RATING }, END }, 1, { END } },
	{ "rating abc", KEYFIELD, true,
	    { FILLED_REQUIRED, { "rating.rating.C", V("abc") }, END },
	    { { "rating.rating.C", RATING }, END }, 8, { END } },
	{ "rating +5", KEYFIELD, false,
	    { { "rating.rating.NY", V("+5") }, END },
	    { { "rating.rating.NY", RATING }, END }, 1, { END } },
	{ "rating overflows", KEYFIELD, false,
	    { { "rating.rating.S", V("99999999999999999999") },
	      { "rating.rating.T", V("-99999999999999999999") }, END },
	    { { "rating.rating.S", RATING }, { "rating.rating.T", RATING },
	      END }, 2, { END } },
	{ "rating not plain integers", KEYFIELD, false,
	    { { "rating.rating.Fr", V("5.0") },
	      { "rating.rating.B", V("0x5") },
	      { "rating.rating.C", V("1e1") },
	      { "rating.rating.NY", V("--1") },
	      { "rating.rating.S", V("- 1") },
	      { "rating.rating.T", V("5 5") }, END },
	    { { "rating.rating.Fr", RATING }, { "rating.rating.B", RATING },
	      { "rating.rating.C", RATING }, { "rating.rating.NY", RATING },
	      { "rating.rating.S", RATING }, { "rating.rating.T", RATING },
	      END }, 6, { END } },
	{ "rating bounds and whitespace accepted", KEYFIELD, false,
	    { { "rating.rating.Fr", V(" 7 ") },
	      { "rating.rating.B", V("0") },
	      { "rating.rating.C", V("10") },
	      { "rating.rating.NY", V("\t3\r\n") },
	      { "rating.rating.S", V("-0") },
	      { "rating.rating.T", V("007") }, END },
	    { END }, 6,
	    { { "rating.rating", "Fr", 0, V(" 7 ") }, END } },
	{ "list of 51 items", KEYFIELD, false,
	    { { "indicators", REP("", "item\n", 51) }, END },
	    { { "indicators", "Enter at most 50 items (one per line)." },
	      END }, 51,
	    { { "indicators", "", 0, V("item") },
	      { "indicators", "", 50, V("item") }, END } },
	{ "list of 50 items", KEYFIELD, false,
	    { { "indicators", REP("", "item\r\n", 50) }, END },
	    { END }, 50,
	    { { "indicators", "", 49, V("item") }, END } },
	{ "list items trimmed, blank lines dropped", KEYFIELD, false,
	    { { "indicators",
	        V("  first  \r\n\r\n\n second\n   \n\tthird\t\n\n") },
	      END },
	    { END }, 3,
	    { { "indicators", "", 0, V("first") },
	      { "indicators", "", 1, V("second") },
	      { "indicators", "", 2, V("third") }, END } },
	{ "list item too long", KEYFIELD, false,
	    { { "indicators", REP("a\nb\n", "x", 501) }, END },
	    { { "indicators", "Item 3 is too long: at most 500 characters." },
	      END }, 3,
	    { { "indicators", "", 2, REP("", "x", 501) }, END } },
	{ "list item of 500 two-byte characters", KEYFIELD, false,
	    { { "indicators", REP("one\n", "\xc3\xa9", 500) }, END },
	    { END }, 2,
	    { { "indicators", "", 1, REP("", "\xc3\xa9", 500) }, END } },
	{ "submit, list of blank lines", KEYFIELD, true,
	    { FILLED_REQUIRED, { "indicators", V("\n \r\n\t\n") }, END },
	    { { "indicators", REQUIRED }, END }, 7, { END } },
	{ "long text one character over", KEYFIELD, false,
	    { { "description", REP("", "\xc3\xa9", 20001) }, END },
	    { { "description", "Shorten this to 20000 characters or fewer "
	        "(it has 20001)." }, END }, 1, { END } },
	{ "long text exactly at max", KEYFIELD, false,
	    { { "description", REP("", "\xc3\xa9", 20000) },
	      { "examples.example.NY", REP("", "\xe2\x82\xac", 20000) },
	      { "remarks", REP("", "\xf0\x9f\x98\x80", 20000) }, END },
	    { END }, 3, { END } },
	{ "long text: CRLF counts as one", KEYFIELD, false,
	    { { "description", REP("", "\xc3\xa9\r\n", 10000) },
	      { "remarks", REP("x", "\xc3\xa9\r\n", 10000) }, END },
	    { { "remarks", "Shorten this to 20000 characters or fewer "
	        "(it has 20001)." }, END }, 2, { END } },
	{ "choice outside the options", KEYFIELD, false,
	    { { "sectors.relevance.mobility", V("extreme") },
	      { "sectors.relevance.energy", V("HIGH") },
	      { "sectors.relevance.ict", V(" high") },
	      { "sectors.relevance.water", V("high") },
	      { "sectors.importance.water", V("Pipes.") }, END },
	    { { "sectors.relevance.mobility", "Choose one of the options." },
	      { "sectors.relevance.energy", "Choose one of the options." },
	      { "sectors.relevance.ict", "Choose one of the options." },
	      END }, 5, { END } },
	{ "hostile strings kept verbatim", KEYFIELD, false,
	    { { "description", V("</textarea><script>alert(1)</script>") },
	      { "examples.example.Fr", V("\xe2\x80\xa8") },
	      { "examples.example.B",
	        V("\xe2\x80\xae\xe2\x81\xa6" "evil\xe2\x81\xa9") },
	      { "remarks", V("\"'&<>\x01\x7f") },
	      { "economic", V("a\r\n\r\nb") },
	      { "indicators", V("a\xe2\x80\xa8" "b\n</textarea>\n") },
	      END },
	    { END }, 7,
	    { { "indicators", "", 0, V("a\xe2\x80\xa8" "b") },
	      { "indicators", "", 1, V("</textarea>") }, END } },
	{ "inputs outside the form are not read", KEYFIELD, false,
	    { { "rating.rating.XX", V("5") }, { "csrf", V("token") },
	      { "rating", V("5") }, { "sectors.relevance.nope", V("high") },
	      END },
	    { END }, 0, { END } },
	{ "small: submit, nothing typed", SMALL, true, { END },
	    { { "city", REQUIRED }, { "mood", REQUIRED },
	      { "plan.who.a", REQUIRED }, { "plan.who.b", REQUIRED },
	      { "full.p.x", REQUIRED }, { "full.n.x", REQUIRED },
	      END }, 0, { END } },
	{ "small: required column of an optional grid", SMALL, true,
	    { { "city", V("Paris") }, { "mood", V("good") },
	      { "plan.note.a", V("ok") }, { "plan.who.b", V("Bo") },
	      { "full.p.x", V("y") }, { "full.n.x", V("3") }, END },
	    { { "plan.who.a", REQUIRED }, END }, 6, { END } },
	{ "small: short text on two lines", SMALL, false,
	    { { "nick", V("a\nb") }, { "city", V("Paris\r") },
	      { "plan.who.a", V("x\r\ny") }, END },
	    { { "nick", "Keep this to one line." },
	      { "city", "Keep this to one line." },
	      { "plan.who.a", "Keep this to one line." }, END },
	    3, { END } },
	{ "small: short text lengths", SMALL, false,
	    { { "nick", V("abcdef") },
	      { "city", REP("", "\xc3\xa9", 200) },
	      { "plan.note.a", V("abcd") },
	      { "plan.note.b", V("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e") },
	      END },
	    { { "nick", "Shorten this to 5 characters or fewer (it has 6)." },
	      { "plan.note.a", "Shorten this to 3 characters or fewer "
	        "(it has 4)." }, END }, 4, { END } },
	{ "small: U+2028 and multi-byte in a short text", SMALL, false,
	    { { "nick", V("a\xe2\x80\xa8" "b\xf0\x9f\x98\x80!") },
	      { "city", REP("", "\xc3\xa9", 201) }, END },
	    { { "city", "Shorten this to 200 characters or fewer "
	        "(it has 201)." }, END }, 2, { END } },
	{ "small: negative scale", SMALL, false,
	    { { "score", V("-5") }, { "full.n.x", V("0") }, END },
	    { { "full.n.x", "Enter a whole number from 1 to 3." }, END },
	    2, { END } },
	{ "small: scale just outside", SMALL, false,
	    { { "score", V("-6") }, END },
	    { { "score", "Enter a whole number from -5 to 5." }, END },
	    1, { END } },
	{ "small: list over count and length", SMALL, false,
	    { { "tags", V("ab\nabcde\nc\nd") }, END },
	    { { "tags", "Enter at most 3 items (one per line)." }, END },
	    4, { { "tags", "", 1, V("abcde") }, END } },
	{ "small: list item length", SMALL, false,
	    { { "tags", V("ab\nabcde\nabcdef") }, END },
	    { { "tags", "Item 2 is too long: at most 4 characters." },
	      END }, 3, { END } },
	{ "small: choice in a grid", SMALL, false,
	    { { "full.p.x", V("z") }, { "mood", V("Good") }, END },
	    { { "mood", "Choose one of the options." },
	      { "full.p.x", "Choose one of the options." }, END },
	    2, { END } },
};

/* Values of the current case, generated from cases[_i].in. */
struct inputs {
	const struct kv	*kv;
	char		*values[KVS_MAX];
	size_t		 n;
};

static char *
make(const struct gen *g)
{
	size_t	 plen, ulen, i;
	char	*s;

	plen = strlen(g->prefix);
	ulen = g->unit != NULL ? strlen(g->unit) : 0;
	s = malloc(plen + ulen * g->repeat + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, g->prefix, plen);
	for (i = 0; i < g->repeat; i++)
		memcpy(s + plen + i * ulen, g->unit, ulen);
	s[plen + ulen * g->repeat] = '\0';
	return s;
}

static const char *
get(void *ctx, const char *name)
{
	struct inputs	*in = ctx;
	size_t		 i;

	for (i = in->n; i > 0; i--)
		if (strcmp(in->kv[i - 1].name, name) == 0)
			return in->values[i - 1];
	return NULL;
}

/*
 * Whether name is an input of a simple question or a grid cell of f; if
 * so, its question and row.
 */
static bool
cell_input(const struct form *f, const char *name, char *question,
    size_t sz, const char **row)
{
	const struct form_question	*q, *grid;
	const struct form_row		*rows;
	const char			*dot;
	char				 gkey[64];
	size_t				 i, nrows;

	snprintf(question, sz, "%s", name);
	*row = "";
	if ((dot = strchr(name, '.')) == NULL)
		return (q = form_question(f, name)) != NULL &&
		    q->type != FORM_LIST && q->type != FORM_GRID;
	snprintf(gkey, sizeof(gkey), "%.*s", (int)(dot - name), name);
	if ((dot = strchr(dot + 1, '.')) == NULL)
		return false;
	question[dot - name] = '\0';
	*row = dot + 1;
	if (form_question(f, question) == NULL ||
	    (grid = form_question(f, gkey)) == NULL)
		return false;
	rows = grid->rows_cities ? cities : grid->rows;
	nrows = grid->rows_cities ? NCITIES : grid->nrows;
	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i].key, *row) == 0)
			return true;
	return false;
}

START_TEST(test_collect)
{
	const struct collect_case	*c = &cases[_i];
	const struct form		*f;
	const struct expect_answer	*ea;
	struct inputs			 in;
	struct form_answers		 out;
	struct form_issues		 issues;
	const char			*row, *v, *last;
	char				 question[128], *want;
	size_t				 i, j, n;

	f = c->form == KEYFIELD ? keyfield : small;
	ck_assert_ptr_nonnull(f);
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	memset(&issues, 0, sizeof(issues));
	in.kv = c->in;
	for (in.n = 0; c->in[in.n].name != NULL; in.n++)
		in.values[in.n] = make(&c->in[in.n].value);

	ck_assert_int_eq(form_collect(f, cities, NCITIES, get, &in,
	    c->submit, &out, &issues), 0);

	for (n = 0; c->issues[n].name != NULL; n++)
		continue;
	for (i = 0; i < issues.n || i < n; i++) {
		ck_assert_msg(i < issues.n && i < n &&
		    strcmp(issues.v[i].name, c->issues[i].name) == 0 &&
		    strcmp(issues.v[i].message, c->issues[i].message) == 0,
		    "%s: issue %zu: got %s \"%s\", want %s \"%s\"", c->what, i,
		    i < issues.n ? issues.v[i].name : "none",
		    i < issues.n ? issues.v[i].message : "",
		    i < n ? c->issues[i].name : "none",
		    i < n ? c->issues[i].message : "");
	}
	ck_assert_msg(out.n == c->nanswers, "%s: %zu answers, want %zu",
	    c->what, out.n, c->nanswers);

	/* Every value typed into a form input is kept as typed (later wins). */
	for (i = 0; i < in.n; i++) {
		if (!cell_input(f, c->in[i].name, question, sizeof(question),
		    &row))
			continue;
		last = in.values[i];
		for (j = i + 1; j < in.n; j++)
			if (strcmp(c->in[j].name, c->in[i].name) == 0)
				last = NULL;
		if (last == NULL || last[strspn(last, " \t\r\n\f\v")] == '\0')
			continue;
		v = form_answer(&out, question, row, 0);
		ck_assert_msg(v != NULL && strcmp(v, last) == 0,
		    "%s: %s not kept", c->what, c->in[i].name);
	}
	for (ea = c->answers; ea->question != NULL; ea++) {
		want = make(&ea->value);
		v = form_answer(&out, ea->question, ea->row, ea->item);
		ck_assert_msg(v != NULL && strcmp(v, want) == 0,
		    "%s: answer %s/%s/%u is \"%s\"", c->what, ea->question,
		    ea->row, ea->item, v != NULL ? v : "(none)");
		free(want);
	}

	for (i = 0; i < in.n; i++)
		free(in.values[i]);
	form_answers_free(&out);
	form_issues_free(&issues);
}
END_TEST

static void
setup(void)
{
	struct form_errors	 errs;

	keyfield = load_file("forms", "keyfield.json", &errs);
	small = form_load(small_json, sizeof(small_json) - 1, &errs);
}

static void
teardown(void)
{
	form_free(keyfield);
	form_free(small);
	keyfield = small = NULL;
}

/* ---- translations ---- */

/* forms/keyfield.json: English and German, complete, by the API. */
START_TEST(test_keyfield_german)
{
	const struct form		*f = keyfield;
	const struct form_question	*q;
	struct form_errors		 errs;

	ck_assert_uint_eq(f->nlanguages, 2);
	ck_assert_str_eq(f->languages[f->default_language], "en");
	ck_assert_uint_eq(form_missing(f, &errs), 0);
	ck_assert_str_eq(form_text(f, f->title, "de"),
	    "Schl\xc3\xbcsselfeld-Steckbrief");
	ck_assert_str_eq(form_text(f, f->sections[2].title, "de"),
	    "2. Bezug zur Nachhaltigkeit");
	ck_assert_str_eq(form_text(f, f->sections[3].title, "de"),
	    "3. Relevanz f\xc3\xbcr Industriesektoren");
	q = form_question(f, "indicators");
	ck_assert_str_eq(form_text(f, q->label, "de"), "Indikatoren");
	q = form_question(f, "sectors.relevance");
	ck_assert_str_eq(form_text(f, q->label, "de"), "Relevanz f\xc3\xbcr "
	    "{row}");
	ck_assert_str_eq(form_text(f, q->options[3].label, "de"), "hoch");
	q = form_question(f, "sectors");
	ck_assert_str_eq(form_text(f, q->rows[0].label, "de"),
	    "Mobilit\xc3\xa4t");
	/* The default, another language, none, a text not of the form. */
	ck_assert_ptr_eq(form_text(f, q->label, "en"), q->label);
	ck_assert_ptr_eq(form_text(f, q->label, "fr"), q->label);
	ck_assert_ptr_eq(form_text(f, q->label, NULL), q->label);
	ck_assert_str_eq(form_text(f, "Indicators", "de"), "Indicators");
	ck_assert_ptr_null(form_text(f, NULL, "de"));
}
END_TEST

#define TR_HEAD	"{\"name\": \"t\", \"version\": 1, "
#define TR_SECT	"\"sections\": [{\"key\": \"s\", \"title\": "

/*
 * Small definitions: loaded or refused (with the message's start), and
 * the translations form_missing lists ("path: message|...").
 */
static const struct {
	const char	*json;
	const char	*err;		/* NULL: it loads */
	const char	*missing;	/* when it loads */
} tr_rows[] = {
	/* One language, plain strings: nothing missing. */
	{ TR_HEAD "\"title\": \"T\", " TR_SECT "\"S\", \"questions\": "
	  "[{\"key\": \"q\", \"type\": \"short_text\", \"label\": "
	  "\"Q\"}]}]}", NULL, "" },
	/* Complete in two. */
	{ TR_HEAD "\"title\": {\"en\": \"T\", \"de\": \"T-de\"}, "
	  "\"languages\": [\"en\", \"de\"], " TR_SECT "{\"de\": \"S-de\", "
	  "\"en\": \"S\"}, \"questions\": [{\"key\": \"q\", \"type\": "
	  "\"short_text\", \"label\": {\"en\": \"Q\", \"de\": \"Q-de\"}}]}]}",
	  NULL, "" },
	/* A plain string, a missing language, a {row} lost, an empty one. */
	{ TR_HEAD "\"title\": \"T\", \"languages\": [\"en\", \"de\"], "
	  TR_SECT "{\"en\": \"S\", \"de\": \"\"}, \"help\": {\"en\": "
	  "\"H\"}, \"questions\": [{\"key\": \"g\", \"type\": \"grid\", "
	  "\"label\": {\"en\": \"G\", \"de\": \"G-de\"}, \"rows\": "
	  "[{\"key\": \"r\", \"label\": {\"en\": \"R\", \"de\": \"R\"}}], "
	  "\"columns\": [{\"key\": \"c\", \"type\": \"short_text\", "
	  "\"label\": {\"en\": \"{row} c\", \"de\": \"c\"}}]}]}]}", NULL,
	  "$.title: no \"de\" text|"
	  "$.sections[0].title: no \"de\" text|"
	  "$.sections[0].help: no \"de\" text|"
	  "$.sections[0].questions[0].columns[0].label: the \"de\" text lacks "
	  "{row}|" },
	/* German the default: English missing, listed the same way. */
	{ TR_HEAD "\"title\": \"T\", \"languages\": [\"en\", \"de\"], "
	  "\"default_language\": \"de\", " TR_SECT "{\"de\": \"S\"}, "
	  "\"questions\": [{\"key\": \"q\", \"type\": \"short_text\", "
	  "\"label\": \"Q\"}]}]}", NULL,
	  "$.title: no \"en\" text|$.sections[0].title: no \"en\" text|"
	  "$.sections[0].questions[0].label: no \"en\" text|" },
	/* Refused. */
	{ TR_HEAD "\"title\": {\"en\": \"T\", \"fr\": \"T-fr\"}, "
	  "\"languages\": [\"en\", \"de\"], " TR_SECT "\"S\", "
	  "\"questions\": []}]}", "$.title.fr: \"fr\" is not one of", NULL },
	{ TR_HEAD "\"title\": {\"de\": \"T\"}, \"languages\": [\"en\", "
	  "\"de\"], " TR_SECT "\"S\", \"questions\": []}]}",
	  "$.title: \"title\" has no text in the default language", NULL },
	{ TR_HEAD "\"title\": {\"en\": 5}, " TR_SECT "\"S\", "
	  "\"questions\": []}]}", "$.title.en: \"title\" must be a string",
	  NULL },
	{ TR_HEAD "\"title\": \"T\", \"languages\": [\"en\", \"en\"], "
	  TR_SECT "\"S\", \"questions\": []}]}",
	  "$.languages[1]: \"en\" is listed twice", NULL },
	{ TR_HEAD "\"title\": \"T\", \"languages\": [\"EN\"], " TR_SECT
	  "\"S\", \"questions\": []}]}", "$.languages[0]: a language is",
	  NULL },
	{ TR_HEAD "\"title\": \"T\", \"languages\": [], " TR_SECT "\"S\", "
	  "\"questions\": []}]}", "$.languages: \"languages\" must be",
	  NULL },
	{ TR_HEAD "\"title\": \"T\", \"languages\": [\"en\"], "
	  "\"default_language\": \"de\", " TR_SECT "\"S\", "
	  "\"questions\": []}]}",
	  "$.default_language: \"de\" is not one of", NULL },
	{ TR_HEAD "\"title\": \"T\", \"default_language\": \"<b>\", "
	  TR_SECT "\"S\", \"questions\": []}]}",
	  "$.default_language: \"default_language\" is a code", NULL },
};

START_TEST(test_translations)
{
	struct form_errors	 errs;
	struct form		*f;
	char			 got[4096] = "", line[sizeof(errs.v[0].path) +
				 sizeof(errs.v[0].message) + 4];
	size_t			 n;

	f = form_load(tr_rows[_i].json, strlen(tr_rows[_i].json), &errs);
	if (tr_rows[_i].err != NULL) {
		ck_assert_msg(f == NULL, "row %d loads", _i);
		ck_assert_uint_ge(errs.n, 1);
		snprintf(line, sizeof(line), "%s: %s", errs.v[0].path,
		    errs.v[0].message);
		ck_assert_msg(strncmp(line, tr_rows[_i].err,
		    strlen(tr_rows[_i].err)) == 0, "row %d: %s", _i, line);
		return;
	}
	ck_assert_msg(f != NULL, "row %d: %s: %s", _i,
	    errs.n ? errs.v[0].path : "", errs.n ? errs.v[0].message : "");
	n = form_missing(f, &errs);
	for (size_t i = 0; i < errs.n; i++) {
		snprintf(line, sizeof(line), "%s: %s|", errs.v[i].path,
		    errs.v[i].message);
		strcat(got, line);
	}
	ck_assert_str_eq(got, tr_rows[_i].missing);
	ck_assert_uint_eq(n, errs.n);
	form_free(f);
}
END_TEST

/* A language without translations: every text, by path, counted. */
START_TEST(test_missing_counted)
{
	static const char	 two[] = "[\"en\", \"de\"]";
	struct form_errors	 errs;
	struct form		*f;
	char			 path[1024], *json, *at, *three;
	size_t			 len, n;

	/* keyfield.json with "fr" and "it" among its languages: every
	 * text lacks both, more than FORM_ERRORS_MAX, all counted. */
	snprintf(path, sizeof(path), "%s/forms/keyfield.json", srcdir());
	ck_assert_ptr_nonnull(json = slurp(path, &len));
	ck_assert_ptr_nonnull(at = strstr(json, two));
	ck_assert_ptr_nonnull(three = malloc(len + 16));
	snprintf(three, len + 16, "%.*s[\"en\", \"de\", \"fr\", \"it\"]%s",
	    (int)(at - json), json, at + strlen(two));
	f = form_load(three, strlen(three), &errs);
	ck_assert_ptr_nonnull(f);
	n = form_missing(f, &errs);
	ck_assert_uint_gt(n, FORM_ERRORS_MAX);
	ck_assert_uint_eq(errs.n, FORM_ERRORS_MAX);
	ck_assert_str_eq(errs.v[0].path, "$.title");
	ck_assert_str_eq(errs.v[0].message, "no \"fr\" text");
	ck_assert_str_eq(errs.v[1].path, "$.title");
	ck_assert_str_eq(errs.v[1].message, "no \"it\" text");
	form_free(f);
	free(three);
	free(json);
}
END_TEST

static Suite *
form_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("form");

	tc = tcase_create("definitions");
	tcase_add_test(tc, test_found);
	tcase_add_loop_test(tc, test_good_loads, 0, (int)ngood);
	tcase_add_loop_test(tc, test_bad_fails, 0, (int)nbad);
	tcase_add_test(tc, test_expected_files);
	tcase_add_test(tc, test_too_many_errors);
	tcase_add_test(tc, test_too_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_keyfield_shape);
	tcase_add_loop_test(tc, test_type_name, 0,
	    sizeof(type_names) / sizeof(type_names[0]));
	tcase_add_loop_test(tc, test_question, 0,
	    sizeof(lookups) / sizeof(lookups[0]));
	tcase_add_loop_test(tc, test_input_name, 0,
	    sizeof(input_names) / sizeof(input_names[0]));
	tcase_add_test(tc, test_answers_issues);
	tcase_add_test(tc, test_answers_sorted);
	tcase_add_test(tc, test_keyfield_german);
	tcase_add_loop_test(tc, test_translations, 0,
	    sizeof(tr_rows) / sizeof(tr_rows[0]));
	tcase_add_test(tc, test_missing_counted);
	suite_add_tcase(s, tc);

	tc = tcase_create("answers");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_collect, 0,
	    sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{

	if (scan("forms", good, &ngood) == -1 ||
	    scan("tests/forms-bad", bad, &nbad) == -1) {
		fprintf(stderr, "check_form: cannot read forms under %s "
		    "(set top_srcdir)\n", srcdir());
		return EXIT_FAILURE;
	}
	return check_run(form_suite());
}
