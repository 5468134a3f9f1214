/*
 * form: load a form definition into a read-only model; read and check answers.
 * Never touches the database, the network or the response: it only reports.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/form.h"
#include "base/i18n.h"
#include "base/rating.h"

#define SCALE_LIMIT	1000000	/* largest magnitude of a scale's min or max */
#define SECTIONS_MAX	100	/* sections in a form */
#define QUESTIONS_MAX	200	/* questions in a section */
#define OPTIONS_MAX	50	/* options of a choice */
#define ROWS_MAX	100	/* fixed rows of a grid */
#define COLUMNS_MAX	20	/* columns of a grid */
#define QUOTE_MAX	40	/* characters of a definition string quoted */

#define ISSUE_SZ	128	/* bytes of an answer's issue message */
_Static_assert(ISSUE_SZ >= RATING_RULE_SZ, "a rating's rule fits");
#define PATHSZ		sizeof(((struct form_error *)NULL)->path)
#define QNAMESZ		(2 * FORM_KEY_MAX + 2)	/* "grid.column" */
#define INAMESZ		(3 * FORM_KEY_MAX + 3)	/* "grid.column.row" */
#define WHITESPACE	" \t\n\r\f\v"

static const char *const type_names[] = {
	[FORM_SHORT_TEXT] = "short_text",
	[FORM_LONG_TEXT] = "long_text",
	[FORM_SCALE] = "scale",
	[FORM_CHOICE] = "choice",
	[FORM_LIST] = "list",
	[FORM_GRID] = "grid",
};
_Static_assert(sizeof(type_names) / sizeof(type_names[0]) == FORM_TYPE__MAX,
    "one name per form type");

/* Question keys that would collide with the form's own inputs. */
/* rating_reason: app/delphi.h's DELPHI_REASON_KEY, a card's answer. */
static const char *const reserved[] = { "csrf", "revision", "action",
    "rating_reason" };

/* The keys of a question and the types each applies to. */
enum qfield {
	QF_KEY,
	QF_TYPE,
	QF_LABEL,
	QF_HELP,
	QF_REQUIRED,
	QF_MAX_LENGTH,
	QF_MIN,
	QF_MAX,
	QF_OPTIONS,
	QF_MAX_ITEMS,
	QF_ROWS,
	QF_COLUMNS,
	QF_TOTAL,
	QF__MAX
};

#define T(t)		(1u << (t))
#define ALL_TYPES	((1u << FORM_TYPE__MAX) - 1)

static const char *const qfield_names[] = {
	[QF_KEY] = "key",
	[QF_TYPE] = "type",
	[QF_LABEL] = "label",
	[QF_HELP] = "help",
	[QF_REQUIRED] = "required",
	[QF_MAX_LENGTH] = "max_length",
	[QF_MIN] = "min",
	[QF_MAX] = "max",
	[QF_OPTIONS] = "options",
	[QF_MAX_ITEMS] = "max_items",
	[QF_ROWS] = "rows",
	[QF_COLUMNS] = "columns",
	[QF_TOTAL] = "total",
};
_Static_assert(sizeof(qfield_names) / sizeof(qfield_names[0]) == QF__MAX,
    "one name per question key");

static const unsigned qfield_types[] = {
	[QF_KEY] = ALL_TYPES,
	[QF_TYPE] = ALL_TYPES,
	[QF_LABEL] = ALL_TYPES,
	[QF_HELP] = ALL_TYPES,
	[QF_REQUIRED] = ALL_TYPES,
	[QF_MAX_LENGTH] = T(FORM_SHORT_TEXT) | T(FORM_LONG_TEXT) | T(FORM_LIST),
	[QF_MIN] = T(FORM_SCALE),
	[QF_MAX] = T(FORM_SCALE),
	[QF_OPTIONS] = T(FORM_CHOICE),
	[QF_MAX_ITEMS] = T(FORM_LIST),
	[QF_ROWS] = T(FORM_GRID),
	[QF_COLUMNS] = T(FORM_GRID),
	[QF_TOTAL] = T(FORM_GRID),
};
_Static_assert(sizeof(qfield_types) / sizeof(qfield_types[0]) == QF__MAX,
    "one type set per question key");

static const char *const root_keys[] = {
	"name", "version", "title", "languages", "default_language",
	"sections"
};
static const char *const section_keys[] = {
	"key", "title", "help", "questions"
};
static const char *const option_keys[] = { "value", "label" };
static const char *const row_keys[] = { "key", "label" };

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct loader {
	struct form_errors	*errs;
	bool			 oom;
	struct form		*f;	/* its languages, its translations */
};

/* One text of the model and its translations (form_text). */
struct form_tr {
	const char	*text;		/* the model's, default language */
	char		*path;		/* its JSON path */
	char		*v[FORM_LANGS_MAX];	/* by language; NULL: none */
};

/* The texts in the order of the definition. */
struct form_texts {
	struct form_tr	*v;
	size_t		 n;
	size_t		 cap;
};

static void	 problem(struct loader *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 parse_question(struct loader *, json_t *, const char *,
		    struct form_question *, bool);

/*
 * Definition loading.
 */

static void
problem(struct loader *l, const char *path, const char *fmt, ...)
{
	struct form_error	*e;
	va_list			 ap;

	if (l->errs->n >= FORM_ERRORS_MAX)
		return;
	e = &l->errs->v[l->errs->n++];
	if (buf_fmt(e->path, sizeof(e->path), "%s", path) == -1)
		buf_mark_cut(e->path, sizeof(e->path));
	va_start(ap, fmt);
	if (buf_vfmt(e->message, sizeof(e->message), fmt, ap) == -1)
		buf_mark_cut(e->message, sizeof(e->message));
	va_end(ap);
}

static char *
copy(const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static char *
savestr(struct loader *l, const char *s, size_t len)
{
	char	*p;

	if ((p = copy(s, len)) == NULL)
		l->oom = true;
	return p;
}

static void *
alloc(struct loader *l, size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n, size)) == NULL)
		l->oom = true;
	return p;
}

/*
 * The elements of array a (at path p) allocated for their models: at
 * least min and at most max of them, else the problem (few, or "OWNER can
 * have at most MAX NOUNS"). The array (of *n), or NULL.
 */
static void *
elements(struct loader *l, json_t *a, const char *p, size_t min,
    size_t max, const char *few, const char *owner, const char *noun,
    size_t size, size_t *n)
{
	size_t	 len = json_array_size(a);
	void	*v;

	if (len < min) {
		problem(l, p, "%s", few);
		return NULL;
	}
	if (len > max) {
		problem(l, p, "%s can have at most %zu %s", owner, max, noun);
		return NULL;
	}
	if ((v = alloc(l, len, size)) != NULL)
		*n = len;
	return v;
}

/* Decode one UTF-8 sequence (valid by contract); bytes used. */
static size_t
utf8(const unsigned char *p, uint32_t *cp)
{
	size_t	 len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		*cp = p[0] & 0x1f;
		len = 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		*cp = p[0] & 0x0f;
		len = 3;
	} else if ((p[0] & 0xf8) == 0xf0) {
		*cp = p[0] & 0x07;
		len = 4;
	} else {
		*cp = p[0];
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = p[0];
			return 1;
		}
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return len;
}

/* Append s to out (sz bytes, *o used), cutting it short if need be. */
static void
cat(char *out, size_t sz, size_t *o, const char *s)
{
	size_t	 n;

	if (*o + 1 >= sz)
		return;
	if ((n = strlen(s)) > sz - 1 - *o)
		n = sz - 1 - *o;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
}

/*
 * Quote a definition string for a message or a path: double quotes,
 * backslash escapes, anything but printable ASCII as \uXXXX, at most
 * QUOTE_MAX characters and then "...".
 */
static void
quote(char *out, size_t sz, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 tmp[16];
	size_t			 o = 0, n = 0;
	uint32_t		 cp;
	int			 rc;

	assert(sz > 0);
	out[0] = '\0';
	cat(out, sz, &o, "\"");
	while (*p != '\0') {
		if (n++ == QUOTE_MAX) {
			cat(out, sz, &o, "...");
			break;
		}
		p += utf8(p, &cp);
		/* At most "\\u1FFFFF" (utf8 reads 21 bits): 9 bytes of 16. */
		if (cp == '"' || cp == '\\')
			rc = buf_fmt(tmp, sizeof(tmp), "\\%c", (char)cp);
		else if (cp >= 0x20 && cp < 0x7f)
			rc = buf_fmt(tmp, sizeof(tmp), "%c", (char)cp);
		else
			rc = buf_fmt(tmp, sizeof(tmp), "\\u%04X",
			    (unsigned)cp);
		assert(rc == 0);
		cat(out, sz, &o, tmp);
	}
	cat(out, sz, &o, "\"");
}

/*
 * base.key, or base["key"] when the key is not a plain identifier; a path
 * too long for out is cut short.
 */
static void
path_member(char *out, size_t sz, const char *base, const char *key)
{
	char		 q[QUOTE_MAX * 6 + 8];
	const char	*p;
	size_t		 o = 0;
	bool		 plain;

	assert(sz > 0);
	out[0] = '\0';
	cat(out, sz, &o, base);
	plain = (*key >= 'a' && *key <= 'z') || (*key >= 'A' && *key <= 'Z') ||
	    *key == '_';
	for (p = key; plain && *p != '\0'; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_';
	if (plain && p - key <= QUOTE_MAX) {
		cat(out, sz, &o, ".");
		cat(out, sz, &o, key);
		return;
	}
	quote(q, sizeof(q), key);
	cat(out, sz, &o, "[");
	cat(out, sz, &o, q);
	cat(out, sz, &o, "]");
}

/* base.name[i] */
static void
path_index(char *out, size_t sz, const char *base, const char *name,
    size_t i)
{
	char	 n[32];
	size_t	 o = 0;
	int	 rc;

	assert(sz > 0);
	out[0] = '\0';
	/* A size_t has at most 20 digits: 23 bytes of 32. */
	rc = buf_fmt(n, sizeof(n), "[%zu]", i);
	assert(rc == 0);
	cat(out, sz, &o, base);
	cat(out, sz, &o, ".");
	cat(out, sz, &o, name);
	cat(out, sz, &o, n);
}

/* [a-z][a-z0-9_]{0,31} */
static bool
key_ok(const char *s)
{
	size_t	 i;

	if (!(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return i <= FORM_KEY_MAX;
}

bool
form_name_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-'))
			return false;
	return i >= 1 && i <= FORM_NAME_MAX;
}

/* Report every key of o that is not in names. */
static void
check_keys(struct loader *l, json_t *o, const char *path,
    const char *const *names, size_t n)
{
	const char	*k;
	json_t		*v;
	char		 p[PATHSZ], q[QUOTE_MAX * 6 + 8];
	size_t		 i;

	json_object_foreach(o, k, v) {
		for (i = 0; i < n; i++)
			if (strcmp(k, names[i]) == 0)
				break;
		if (i < n)
			continue;
		path_member(p, sizeof(p), path, k);
		quote(q, sizeof(q), k);
		problem(l, p, "unknown key %s", q);
	}
}

static json_t *
member(struct loader *l, json_t *o, const char *path, const char *name,
    bool need)
{
	json_t	*v;

	if ((v = json_object_get(o, name)) == NULL && need)
		problem(l, path, "missing \"%s\"", name);
	return v;
}

/* A text's string v at path p: its length, or -1 (reported). */
static long
text_string(struct loader *l, json_t *v, const char *p, const char *name)
{
	size_t	 len;

	if (!json_is_string(v)) {
		problem(l, p, "\"%s\" must be a string or an object of one "
		    "string per language", name);
		return -1;
	}
	len = json_string_length(v);
	if (len > FORM_TEXT_MAX) {
		problem(l, p, "\"%s\" is longer than %d bytes (it has %zu)",
		    name, FORM_TEXT_MAX, len);
		return -1;
	}
	return (long)len;
}

/* The index of language code among f's, or -1. */
static long
lang_index(const struct form *f, const char *code)
{
	for (size_t i = 0; i < f->nlanguages; i++)
		if (strcmp(f->languages[i], code) == 0)
			return (long)i;
	return -1;
}

/* Note text (the model's) at path p with its translations: 0 or -1. */
static int
tr_add(struct loader *l, const char *text, const char *p,
    char *const *v)
{
	struct form_texts	*t = l->f->texts;
	struct form_tr		*e;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		if ((e = realloc(t->v, t->cap * sizeof(*e))) == NULL) {
			l->oom = true;
			return -1;
		}
		t->v = e;
	}
	e = &t->v[t->n];
	memset(e, 0, sizeof(*e));
	e->text = text;
	if ((e->path = savestr(l, p, strlen(p))) == NULL)
		return -1;
	memcpy(e->v, v, sizeof(e->v));
	t->n++;
	return 0;
}

/*
 * The object {"LANG": "...", ...} of a text at path p: the default
 * language's copied into *out (NULL when empty), the others noted with
 * it. 0 or -1 (reported, or out of memory).
 */
static int
text_object(struct loader *l, json_t *o, const char *p, const char *name,
    char **out)
{
	char		*v[FORM_LANGS_MAX] = { NULL }, lp[PATHSZ];
	char		 q[QUOTE_MAX * 6 + 8];
	const char	*k;
	json_t		*t;
	long		 i, len;
	int		 rc = 0;

	json_object_foreach(o, k, t) {
		path_member(lp, sizeof(lp), p, k);
		if ((i = lang_index(l->f, k)) == -1) {
			quote(q, sizeof(q), k);
			problem(l, lp, "%s is not one of the form's "
			    "\"languages\"", q);
			rc = -1;
		} else if ((len = text_string(l, t, lp, name)) == -1)
			rc = -1;
		else if (len > 0 && (v[i] = savestr(l, json_string_value(t),
		    (size_t)len)) == NULL)
			rc = -1;
	}
	i = (long)l->f->default_language;
	if (rc == 0 && v[i] == NULL) {
		problem(l, p, "\"%s\" has no text in the default language "
		    "\"%s\"", name, l->f->languages[i]);
		rc = -1;
	}
	*out = v[i];
	v[i] = NULL;
	if (rc == 0)
		return tr_add(l, *out, p, v);
	for (i = 0; i < FORM_LANGS_MAX; i++)
		free(v[i]);
	return -1;
}

/*
 * A title, label or help text of at most FORM_TEXT_MAX bytes: a string
 * (the default language's) or an object of one per language. Needed
 * texts must not be empty; optional ones that are empty stay NULL.
 * 0 (absent or copied into *out) or -1 (reported, or out of memory).
 */
static int
text(struct loader *l, json_t *o, const char *path, const char *name,
    bool need, char **out)
{
	char	*none[FORM_LANGS_MAX] = { NULL };
	json_t	*v;
	char	 p[PATHSZ];
	long	 len;

	if ((v = member(l, o, path, name, need)) == NULL)
		return need ? -1 : 0;
	path_member(p, sizeof(p), path, name);
	if (json_is_object(v))
		return text_object(l, v, p, name, out);
	if ((len = text_string(l, v, p, name)) == -1)
		return -1;
	if (len == 0) {
		if (!need)
			return 0;
		problem(l, p, "\"%s\" must not be empty", name);
		return -1;
	}
	if ((*out = savestr(l, json_string_value(v), (size_t)len)) == NULL)
		return -1;
	return tr_add(l, *out, p, none);
}

/*
 * A needed identifier (key, option value, form name) checked by ok()
 * against the pattern written as pat. 0 or -1 (reported, or OOM).
 */
static int
ident(struct loader *l, json_t *o, const char *path, const char *name,
    bool (*ok)(const char *), const char *pat, char **out)
{
	json_t	*v;
	char	 p[PATHSZ], q[QUOTE_MAX * 6 + 8];

	if ((v = member(l, o, path, name, true)) == NULL)
		return -1;
	path_member(p, sizeof(p), path, name);
	if (!json_is_string(v)) {
		problem(l, p, "\"%s\" must be a string", name);
		return -1;
	}
	if (!ok(json_string_value(v))) {
		quote(q, sizeof(q), json_string_value(v));
		problem(l, p, "%s %s must match %s", name, q, pat);
		return -1;
	}
	if ((*out = savestr(l, json_string_value(v),
	    json_string_length(v))) == NULL)
		return -1;
	return 0;
}

static int
key(struct loader *l, json_t *o, const char *path, const char *name,
    char **out)
{
	return ident(l, o, path, name, key_ok, "[a-z][a-z0-9_]{0,31}", out);
}

/* 0 (absent, *out untouched, or read) or -1 (reported). */
static int
flag(struct loader *l, json_t *o, const char *path, const char *name,
    bool *out)
{
	json_t	*v;
	char	 p[PATHSZ];

	if ((v = json_object_get(o, name)) == NULL)
		return 0;
	if (!json_is_boolean(v)) {
		path_member(p, sizeof(p), path, name);
		problem(l, p, "\"%s\" must be true or false", name);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

/* An integer in lo..hi. 0 (absent and not needed, or read) or -1. */
static int
integer(struct loader *l, json_t *o, const char *path, const char *name,
    bool need, long lo, long hi, long *out)
{
	json_t		*v;
	json_int_t	 i;
	char		 p[PATHSZ];

	if ((v = member(l, o, path, name, need)) == NULL)
		return need ? -1 : 0;
	path_member(p, sizeof(p), path, name);
	if (!json_is_integer(v)) {
		problem(l, p, "\"%s\" must be an integer", name);
		return -1;
	}
	i = json_integer_value(v);
	if (i < lo || i > hi) {
		problem(l, p, "\"%s\" must be from %ld to %ld", name, lo, hi);
		return -1;
	}
	*out = (long)i;
	return 0;
}

/* An array member; NULL when absent (reported if needed) or not one. */
static json_t *
array(struct loader *l, json_t *o, const char *path, const char *name,
    bool need)
{
	json_t	*v;
	char	 p[PATHSZ];

	if ((v = member(l, o, path, name, need)) == NULL)
		return NULL;
	if (!json_is_array(v)) {
		path_member(p, sizeof(p), path, name);
		problem(l, p, "\"%s\" must be an array", name);
		return NULL;
	}
	return v;
}

static void
parse_option(struct loader *l, json_t *o, const char *path,
    struct form_option *opt)
{
	if (!json_is_object(o)) {
		problem(l, path, "an option must be an object");
		return;
	}
	check_keys(l, o, path, option_keys, NITEMS(option_keys));
	key(l, o, path, "value", &opt->value);
	text(l, o, path, "label", true, &opt->label);
}

static void
parse_row(struct loader *l, json_t *o, const char *path, struct form_row *r)
{
	if (!json_is_object(o)) {
		problem(l, path, "a row must be an object");
		return;
	}
	check_keys(l, o, path, row_keys, NITEMS(row_keys));
	key(l, o, path, "key", &r->key);
	text(l, o, path, "label", true, &r->label);
}


/*
 * Is name the name of one of the n elements of array before it? The
 * name of an element is the char * member at offset off (NULL: none).
 */
static bool
seen_before(const char *name, const void *array, size_t n, size_t size,
    size_t off)
{
	const char	*elem = array;
	const char	*other;

	for (size_t i = 0; i < n; i++) {
		memcpy(&other, elem + i * size + off, sizeof(other));
		if (other != NULL && strcmp(other, name) == 0)
			return true;
	}
	return false;
}

/* Report name, at path's member, as a duplicate what ("row key"). */
static void
duplicate(struct loader *l, const char *path, const char *member,
    const char *what, const char *name)
{
	char	 p[PATHSZ], q[QUOTE_MAX * 6 + 8];

	path_member(p, sizeof(p), path, member);
	quote(q, sizeof(q), name);
	problem(l, p, "duplicate %s %s", what, q);
}
static void
parse_options(struct loader *l, json_t *o, const char *path,
    struct form_question *q)
{
	json_t	*a;
	char	 p[PATHSZ], ip[PATHSZ];
	size_t	 i, n;

	if ((a = array(l, o, path, "options", true)) == NULL)
		return;
	path_member(p, sizeof(p), path, "options");
	if ((q->options = elements(l, a, p, 2, OPTIONS_MAX,
	    "a choice needs at least 2 options", "a choice", "options",
	    sizeof(*q->options), &n)) == NULL)
		return;
	q->noptions = n;
	for (i = 0; i < n; i++) {
		path_index(ip, sizeof(ip), path, "options", i);
		parse_option(l, json_array_get(a, i), ip, &q->options[i]);
		if (q->options[i].value != NULL &&
		    seen_before(q->options[i].value, q->options, i,
		    sizeof(*q->options), offsetof(struct form_option, value)))
			duplicate(l, ip, "value", "option value",
			    q->options[i].value);
	}
}

static void
parse_rows(struct loader *l, json_t *o, const char *path,
    struct form_question *q)
{
	json_t	*v;
	char	 p[PATHSZ], ip[PATHSZ];
	size_t	 i, n;

	if ((v = member(l, o, path, "rows", true)) == NULL)
		return;
	path_member(p, sizeof(p), path, "rows");
	if (json_is_string(v) && strcmp(json_string_value(v), "cities") == 0) {
		q->rows_cities = true;
		return;
	}
	if (!json_is_array(v)) {
		problem(l, p,
		    "\"rows\" must be \"cities\" or an array of rows");
		return;
	}
	if ((q->rows = elements(l, v, p, 1, ROWS_MAX,
	    "\"rows\" must not be empty", "a grid", "rows",
	    sizeof(*q->rows), &n)) == NULL)
		return;
	q->nrows = n;
	for (i = 0; i < n; i++) {
		path_index(ip, sizeof(ip), path, "rows", i);
		parse_row(l, json_array_get(v, i), ip, &q->rows[i]);
		if (q->rows[i].key != NULL &&
		    seen_before(q->rows[i].key, q->rows, i, sizeof(*q->rows),
		    offsetof(struct form_row, key)))
			duplicate(l, ip, "key", "row key", q->rows[i].key);
	}
}

static void
parse_columns(struct loader *l, json_t *o, const char *path,
    struct form_question *q)
{
	json_t	*a;
	char	 p[PATHSZ], ip[PATHSZ];
	size_t	 i, n;

	if ((a = array(l, o, path, "columns", true)) == NULL)
		return;
	path_member(p, sizeof(p), path, "columns");
	if ((q->columns = elements(l, a, p, 1, COLUMNS_MAX,
	    "a grid needs at least one column", "a grid", "columns",
	    sizeof(*q->columns), &n)) == NULL)
		return;
	q->ncolumns = n;
	for (i = 0; i < n; i++) {
		path_index(ip, sizeof(ip), path, "columns", i);
		parse_question(l, json_array_get(a, i), ip, &q->columns[i],
		    true);
		if (q->columns[i].key != NULL &&
		    seen_before(q->columns[i].key, q->columns, i,
		    sizeof(*q->columns), offsetof(struct form_question, key)))
			duplicate(l, ip, "key", "column key",
			    q->columns[i].key);
	}
}

/* The type named by o's "type"; -1 when absent or not allowed (reported). */
static int
parse_type(struct loader *l, json_t *o, const char *path, bool column)
{
	json_t		*v;
	char		 p[PATHSZ], q[QUOTE_MAX * 6 + 8], want[128];
	size_t		 i, w = 0;

	if ((v = member(l, o, path, "type", true)) == NULL)
		return -1;
	path_member(p, sizeof(p), path, "type");
	if (!json_is_string(v)) {
		problem(l, p, "\"type\" must be a string");
		return -1;
	}
	for (i = 0; i < FORM_TYPE__MAX; i++)
		if (strcmp(json_string_value(v), type_names[i]) == 0)
			break;
	if (i == FORM_TYPE__MAX) {
		want[0] = '\0';
		for (i = 0; i < FORM_TYPE__MAX; i++) {
			if (i > 0)
				cat(want, sizeof(want), &w,
				    i + 1 < FORM_TYPE__MAX ? ", " : " or ");
			cat(want, sizeof(want), &w, type_names[i]);
		}
		quote(q, sizeof(q), json_string_value(v));
		problem(l, p, "unknown type %s (expected %s)", q, want);
		return -1;
	}
	if (column && (i == FORM_GRID || i == FORM_LIST)) {
		problem(l, p, "a grid column cannot be a %s", type_names[i]);
		return -1;
	}
	return (int)i;
}

/* A question, or a grid column when column is set. */
/* A key no question may take (it names something else of the card). */
static void
reserved_key(struct loader *l, const char *path, struct form_question *q)
{
	char	 p[PATHSZ], q2[QUOTE_MAX * 6 + 8];

	for (size_t i = 0; i < NITEMS(reserved); i++) {
		if (strcmp(q->key, reserved[i]) != 0)
			continue;
		path_member(p, sizeof(p), path, "key");
		quote(q2, sizeof(q2), q->key);
		problem(l, p, "key %s is reserved", q2);
		free(q->key);
		q->key = NULL;
		break;
	}
}

/* Every field given that a question of this type does not take. */
static void
inapplicable(struct loader *l, json_t *o, const char *path, int type)
{
	char	 p[PATHSZ];

	for (size_t i = 0; i < QF__MAX; i++) {
		if ((qfield_types[i] & T(type)) ||
		    json_object_get(o, qfield_names[i]) == NULL)
			continue;
		path_member(p, sizeof(p), path, qfield_names[i]);
		problem(l, p, "\"%s\" does not apply to %s",
		    qfield_names[i], type_names[type]);
	}
}

/* A text's or a list's lengths, with the type's defaults. */
static void
text_bounds(struct loader *l, json_t *o, const char *path,
    struct form_question *q)
{
	long	 n;

	n = q->type == FORM_SHORT_TEXT ? FORM_SHORT_DEFAULT :
	    q->type == FORM_LONG_TEXT ? FORM_LONG_DEFAULT :
	    FORM_ITEM_DEFAULT;
	integer(l, o, path, "max_length", false, 1, FORM_LENGTH_MAX, &n);
	q->max_length = (size_t)n;
	if (q->type != FORM_LIST)
		return;
	n = FORM_ITEMS_DEFAULT;
	integer(l, o, path, "max_items", false, 1, FORM_ITEMS_MAX, &n);
	q->max_items = (size_t)n;
}

/* A scale's min and max, min below max. */
static void
scale_bounds(struct loader *l, json_t *o, const char *path,
    struct form_question *q)
{
	char	 p[PATHSZ];
	int	 rc;

	rc = integer(l, o, path, "min", true, -SCALE_LIMIT, SCALE_LIMIT,
	    &q->min);
	if (integer(l, o, path, "max", true, -SCALE_LIMIT, SCALE_LIMIT,
	    &q->max) != 0 || rc != 0)
		return;
	if (q->min >= q->max) {
		path_member(p, sizeof(p), path, "min");
		problem(l, p, "\"min\" must be less than \"max\"");
	}
}

/* A grid's rows and columns, and a total only with a scale column. */
static void
grid_parts(struct loader *l, json_t *o, const char *path,
    struct form_question *q)
{
	char	 p[PATHSZ];
	size_t	 i;

	parse_rows(l, o, path, q);
	parse_columns(l, o, path, q);
	if (flag(l, o, path, "total", &q->total) != 0 || !q->total)
		return;
	for (i = 0; i < q->ncolumns; i++)
		if (q->columns[i].type == FORM_SCALE)
			break;
	if (q->ncolumns > 0 && i == q->ncolumns) {
		path_member(p, sizeof(p), path, "total");
		problem(l, p, "\"total\" needs a scale column");
	}
}

/* A question, or a grid column when column is set. */
static void
parse_question(struct loader *l, json_t *o, const char *path,
    struct form_question *q, bool column)
{
	int	 type;

	if (!json_is_object(o)) {
		problem(l, path, column ? "a column must be an object" :
		    "a question must be an object");
		return;
	}
	check_keys(l, o, path, qfield_names, QF__MAX);
	if (key(l, o, path, "key", &q->key) == 0 && !column)
		reserved_key(l, path, q);
	type = parse_type(l, o, path, column);
	text(l, o, path, "label", true, &q->label);
	text(l, o, path, "help", false, &q->help);
	flag(l, o, path, "required", &q->required);
	if (type < 0)
		return;
	q->type = (enum form_type)type;
	inapplicable(l, o, path, type);

	switch (q->type) {
	case FORM_SHORT_TEXT:
	case FORM_LONG_TEXT:
	case FORM_LIST:
		text_bounds(l, o, path, q);
		break;
	case FORM_SCALE:
		scale_bounds(l, o, path, q);
		break;
	case FORM_CHOICE:
		parse_options(l, o, path, q);
		break;
	case FORM_GRID:
		grid_parts(l, o, path, q);
		break;
	default:
		abort();
	}
}

/* Whether a question before (si, qi) in f already has this key. */
static bool
question_seen(const struct form *f, size_t si, size_t qi, const char *k)
{
	const struct form_section	*s;
	size_t				 i, j;

	for (i = 0; i <= si; i++) {
		s = &f->sections[i];
		for (j = 0; j < (i == si ? qi : s->nquestions); j++)
			if (s->questions[j].key != NULL &&
			    strcmp(s->questions[j].key, k) == 0)
				return true;
	}
	return false;
}

static void
parse_section(struct loader *l, json_t *o, const char *path,
    struct form *f, size_t si)
{
	struct form_section	*s = &f->sections[si];
	json_t			*a;
	char			 p[PATHSZ], ip[PATHSZ];
	size_t			 i, n;

	if (!json_is_object(o)) {
		problem(l, path, "a section must be an object");
		return;
	}
	check_keys(l, o, path, section_keys, NITEMS(section_keys));
	if (key(l, o, path, "key", &s->key) == 0 &&
	    seen_before(s->key, f->sections, si, sizeof(*f->sections),
	    offsetof(struct form_section, key)))
		duplicate(l, path, "key", "section key", s->key);
	text(l, o, path, "title", true, &s->title);
	text(l, o, path, "help", false, &s->help);
	if ((a = array(l, o, path, "questions", true)) == NULL)
		return;
	path_member(p, sizeof(p), path, "questions");
	if ((s->questions = elements(l, a, p, 1, QUESTIONS_MAX,
	    "\"questions\" must not be empty", "a section", "questions",
	    sizeof(*s->questions), &n)) == NULL)
		return;
	s->nquestions = n;
	for (i = 0; i < n; i++) {
		path_index(ip, sizeof(ip), path, "questions", i);
		parse_question(l, json_array_get(a, i), ip, &s->questions[i],
		    false);
		if (s->questions[i].key != NULL &&
		    question_seen(f, si, i, s->questions[i].key))
			duplicate(l, ip, "key", "question key",
			    s->questions[i].key);
	}
}

/* A language code: [a-z]{2,3}, then maybe "-" and [a-z0-9]{1,8}. */
static bool
lang_ok(const char *s)
{
	size_t	 n = strspn(s, "abcdefghijklmnopqrstuvwxyz"), m;

	if (n < 2 || n > 3)
		return false;
	if (s[n] == '\0')
		return true;
	m = strspn(s + n + 1, "abcdefghijklmnopqrstuvwxyz0123456789");
	return s[n] == '-' && m >= 1 && m <= 8 && s[n + 1 + m] == '\0';
}

/* "languages" into f, each once: 0, or -1 (reported, or OOM). */
static int
parse_language_list(struct loader *l, json_t *a, struct form *f)
{
	char	 p[PATHSZ];
	json_t	*v;
	size_t	 i;

	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > FORM_LANGS_MAX) {
		problem(l, "$.languages", "\"languages\" must be an array "
		    "of 1 to %d language codes", FORM_LANGS_MAX);
		return -1;
	}
	json_array_foreach(a, i, v) {
		path_index(p, sizeof(p), "$", "languages", i);
		if (!json_is_string(v) || !lang_ok(json_string_value(v)) ||
		    json_string_length(v) > FORM_LANG_MAX) {
			problem(l, p, "a language is a code such as \"en\", "
			    "\"de\" or \"pt-br\"");
			return -1;
		}
		if (lang_index(f, json_string_value(v)) != -1) {
			problem(l, p, "\"%s\" is listed twice",
			    json_string_value(v));
			return -1;
		}
		if ((f->languages[f->nlanguages] = savestr(l,
		    json_string_value(v), json_string_length(v))) == NULL)
			return -1;
		f->nlanguages++;
	}
	return 0;
}

/*
 * The form's languages and its default (before any text is read):
 * "languages" (else the default alone) and "default_language" (else the
 * first listed, else "en"). 0, or -1 (reported, or OOM).
 */
static int
parse_languages(struct loader *l, json_t *root, struct form *f)
{
	json_t		*a = json_object_get(root, "languages");
	json_t		*d = json_object_get(root, "default_language");
	const char	*code = "en";
	long		 i;

	if (d != NULL && (!json_is_string(d) ||
	    !lang_ok(json_string_value(d)))) {
		problem(l, "$.default_language", "\"default_language\" is "
		    "a code such as \"en\"");
		return -1;
	}
	if (a != NULL && parse_language_list(l, a, f) == -1)
		return -1;
	if (d != NULL)
		code = json_string_value(d);
	else if (f->nlanguages > 0)
		code = f->languages[0];
	if (a == NULL && (f->languages[f->nlanguages++] = savestr(l, code,
	    strlen(code))) == NULL)
		return -1;
	if ((i = lang_index(f, code)) == -1) {
		problem(l, "$.default_language", "\"%s\" is not one of "
		    "\"languages\"", code);
		return -1;
	}
	f->default_language = (size_t)i;
	if ((f->texts = alloc(l, 1, sizeof(*f->texts))) == NULL)
		return -1;
	return 0;
}

struct form *
form_load(const char *json, size_t len, struct form_errors *errs)
{
	struct form_errors	 scratch;
	struct loader		 l;
	struct form		*f = NULL;
	json_t			*root = NULL, *v, *a;
	json_error_t		 je;
	char			 p[PATHSZ];
	size_t			 i, n;

	l.errs = errs != NULL ? errs : &scratch;
	l.errs->n = 0;
	l.oom = false;

	if (len > FORM_DEFINITION_MAX) {
		problem(&l, "$", "a definition must be at most %d bytes "
		    "(this one has %zu)", FORM_DEFINITION_MAX, len);
		return NULL;
	}
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES,
	    &je)) == NULL) {
		problem(&l, "$", "%s at line %d, column %d", je.text,
		    je.line, je.column);
		return NULL;
	}
	if (!json_is_object(root)) {
		problem(&l, "$", "a definition must be a JSON object");
		goto out;
	}
	if ((f = alloc(&l, 1, sizeof(*f))) == NULL)
		goto out;
	l.f = f;

	check_keys(&l, root, "$", root_keys, NITEMS(root_keys));
	if (parse_languages(&l, root, f) == -1)
		goto out;
	ident(&l, root, "$", "name", form_name_ok, "[a-z0-9_-]{1,32}",
	    &f->name);
	if ((v = member(&l, root, "$", "version", true)) != NULL) {
		if (json_is_integer(v) && json_integer_value(v) > 0 &&
		    json_integer_value(v) <= INT_MAX)
			f->version = (int)json_integer_value(v);
		else
			problem(&l, "$.version",
			    "\"version\" must be a positive integer");
	}
	text(&l, root, "$", "title", true, &f->title);

	if ((a = array(&l, root, "$", "sections", true)) == NULL)
		goto out;
	if ((f->sections = elements(&l, a, "$.sections", 1, SECTIONS_MAX,
	    "\"sections\" must not be empty", "a form", "sections",
	    sizeof(*f->sections), &n)) == NULL)
		goto out;
	f->nsections = n;
	for (i = 0; i < n; i++) {
		path_index(p, sizeof(p), "$", "sections", i);
		parse_section(&l, json_array_get(a, i), p, f, i);
	}
out:
	json_decref(root);
	if (l.oom) {
		l.errs->n = 0;
		problem(&l, "$", "out of memory");
	}
	if (l.errs->n > 0) {
		form_free(f);
		return NULL;
	}
	return f;
}

static void
free_question(struct form_question *q)
{
	size_t	 i;

	free(q->key);
	free(q->label);
	free(q->help);
	for (i = 0; i < q->noptions; i++) {
		free(q->options[i].value);
		free(q->options[i].label);
	}
	free(q->options);
	for (i = 0; i < q->nrows; i++) {
		free(q->rows[i].key);
		free(q->rows[i].label);
	}
	free(q->rows);
	for (i = 0; i < q->ncolumns; i++)
		free_question(&q->columns[i]);
	free(q->columns);
}

void
form_free(struct form *f)
{
	struct form_section	*s;
	size_t			 i, j;

	if (f == NULL)
		return;
	for (i = 0; i < f->nsections; i++) {
		s = &f->sections[i];
		free(s->key);
		free(s->title);
		free(s->help);
		for (j = 0; j < s->nquestions; j++)
			free_question(&s->questions[j]);
		free(s->questions);
	}
	free(f->sections);
	free(f->name);
	free(f->title);
	for (i = 0; i < f->nlanguages; i++)
		free(f->languages[i]);
	if (f->texts != NULL) {
		for (i = 0; i < f->texts->n; i++) {
			free(f->texts->v[i].path);
			for (j = 0; j < FORM_LANGS_MAX; j++)
				free(f->texts->v[i].v[j]);
		}
		free(f->texts->v);
		free(f->texts);
	}
	free(f);
}

const char *
form_text(const struct form *f, const char *s, const char *lang)
{
	long	 k;

	if (f == NULL || s == NULL || lang == NULL || f->texts == NULL ||
	    (k = lang_index(f, lang)) == -1 ||
	    (size_t)k == f->default_language)
		return s;
	for (size_t i = 0; i < f->texts->n; i++)
		if (f->texts->v[i].text == s)
			return f->texts->v[i].v[k] != NULL ?
			    f->texts->v[i].v[k] : s;
	return s;
}

size_t
form_missing(const struct form *f, struct form_errors *errs)
{
	struct loader		 l = { .errs = errs };
	const struct form_tr	*e;
	const char		*code;
	size_t			 n = 0;

	errs->n = 0;
	for (size_t i = 0; f->texts != NULL && i < f->texts->n; i++) {
		e = &f->texts->v[i];
		for (size_t k = 0; k < f->nlanguages; k++) {
			code = f->languages[k];
			if (k == f->default_language)
				continue;
			if (e->v[k] == NULL) {
				n++;
				problem(&l, e->path, "no \"%s\" text", code);
			} else if (strstr(e->text, "{row}") != NULL &&
			    strstr(e->v[k], "{row}") == NULL) {
				n++;
				problem(&l, e->path, "the \"%s\" text lacks "
				    "{row}", code);
			}
		}
	}
	return n;
}

const struct form_question *
form_question(const struct form *f, const char *k)
{
	const struct form_section	*s;
	const struct form_question	*q;
	const char			*dot;
	size_t				 i, j, len;

	dot = strchr(k, '.');
	len = dot != NULL ? (size_t)(dot - k) : strlen(k);
	for (i = 0; i < f->nsections; i++) {
		s = &f->sections[i];
		for (j = 0; j < s->nquestions; j++) {
			q = &s->questions[j];
			if (strncmp(q->key, k, len) == 0 &&
			    q->key[len] == '\0')
				goto found;
		}
	}
	return NULL;
found:
	if (dot == NULL)
		return q;
	if (q->type != FORM_GRID)
		return NULL;
	for (i = 0; i < q->ncolumns; i++)
		if (strcmp(q->columns[i].key, dot + 1) == 0)
			return &q->columns[i];
	return NULL;
}

const char *
form_type_name(enum form_type t)
{
	assert((unsigned)t < FORM_TYPE__MAX);
	return type_names[t];
}

/*
 * a, then sep and b when b is not empty, into out[outsz], truncated as
 * snprintf would (a card's ~60 names per save went through snprintf).
 */
static void
join(char *out, size_t outsz, const char *a, char sep, const char *b)
{
	size_t	 n = 0, l;

	assert(outsz > 0);
	l = strlen(a);
	l = l < outsz - 1 ? l : outsz - 1;
	memcpy(out, a, l);
	n = l;
	if (b != NULL && b[0] != '\0' && n < outsz - 1) {
		out[n++] = sep;
		l = strlen(b);
		l = l < outsz - 1 - n ? l : outsz - 1 - n;
		memcpy(out + n, b, l);
		n += l;
	}
	out[n] = '\0';
}

void
form_input_name(char *out, size_t outsz, const char *question,
    const char *row)
{
	join(out, outsz, question, '.', row);
}

/*
 * Answers.
 */

/*
 * The required rule: with submit set, a simple question or list with
 * "required" needs a non-blank value (a list at least one item); a grid
 * cell is needed when its grid or its column has "required", so a
 * required grid needs every cell and a required column in an optional
 * grid needs every row of that column.
 */
struct collect {
	const char	*(*get)(void *, const char *);
	void		*ctx;
	bool		 submit;
	struct form_answers *out;
	struct form_issues *issues;
};

/* Only ASCII whitespace, or empty. */
static bool
blank(const char *s)
{
	return s[strspn(s, WHITESPACE)] == '\0';
}

/* Characters (code points) in s, a "\r\n" pair counting as one. */
static size_t
nchars(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n = 0;

	for (i = 0; i < len; i++) {
		if ((p[i] & 0xc0) == 0x80)
			continue;
		if (p[i] == '\n' && i > 0 && p[i - 1] == '\r')
			continue;
		n++;
	}
	return n;
}

/* The problem with a non-blank value of a simple question, or NULL. */
static const char *
judge(const struct form_question *q, const char *v, char *msg, size_t sz,
    const struct lang *l)
{
	size_t	 i, n;
	long	 x;
	int	 rc;

	/* The longest message, 52 bytes and two size_t, fits in ISSUE_SZ. */
	assert(sz >= ISSUE_SZ);
	switch (q->type) {
	case FORM_SHORT_TEXT:
		if (strpbrk(v, "\r\n") != NULL)
			return tr(l, "Keep this to one line.");
		/* FALLTHROUGH */
	case FORM_LONG_TEXT:
		/* No more characters than bytes: most texts need no count. */
		if ((n = strlen(v)) <= q->max_length ||
		    (n = nchars(v, n)) <= q->max_length)
			return NULL;
		if ((rc = buf_fmt(msg, sz, tr(l, "Shorten this to %zu "
		    "characters or fewer (it has %zu)."), q->max_length,
		    n)) != 0)
			buf_mark_cut(msg, sz);
		return msg;
	case FORM_SCALE:
		if (rating_parse(v, q->min, q->max, &x))
			return NULL;
		return rating_rule_in(l, msg, sz, q->min, q->max);
	case FORM_CHOICE:
		for (i = 0; i < q->noptions; i++)
			if (strcmp(v, q->options[i].value) == 0)
				return NULL;
		return tr(l, "Choose one of the options.");
	default:
		abort();
	}
}

/* One value: a simple question or a grid cell. 0 or -1 (OOM). */
static int
collect_value(struct collect *c, const struct form_question *q,
    const char *question, const char *row, bool required)
{
	char		 name[INAMESZ], msg[ISSUE_SZ];
	const char	*v, *why;

	form_input_name(name, sizeof(name), question, row);
	if ((v = c->get(c->ctx, name)) == NULL || blank(v)) {
		if (required && c->submit)
			return form_issues_add(c->issues, name,
			    tr(c->issues->lang, "This field is required."));
		return 0;
	}
	if (form_answers_add(c->out, question, row, 0, v) == -1)
		return -1;
	if ((why = judge(q, v, msg, sizeof(msg), c->issues->lang)) != NULL)
		return form_issues_add(c->issues, name, why);
	return 0;
}

static int	 answers_addn(struct form_answers *, const char *,
		    const char *, unsigned, const char *, size_t);

/* A list: one value per non-blank line, trimmed. 0 or -1 (OOM). */
static int
collect_list(struct collect *c, const struct form_question *q)
{
	const char	*v, *p, *b, *e, *t;
	/* Either message is at most 44 bytes and two size_t: it fits. */
	char		 msg[ISSUE_SZ];
	size_t		 n = 0, toolong = 0;
	int		 rc;

	if ((v = c->get(c->ctx, q->key)) == NULL)
		v = "";
	for (p = v; ; p = e + 1) {
		e = p + strcspn(p, "\n");
		for (b = p; b < e && strchr(WHITESPACE, *b) != NULL; b++)
			continue;
		for (t = e; t > b && strchr(WHITESPACE, t[-1]) != NULL; t--)
			continue;
		if (t > b) {
			if (n == UINT_MAX || answers_addn(c->out, q->key, "",
			    (unsigned)n, b, (size_t)(t - b)) == -1)
				return -1;
			n++;
			if (toolong == 0 && (size_t)(t - b) > q->max_length &&
			    nchars(b, (size_t)(t - b)) > q->max_length)
				toolong = n;
		}
		if (*e == '\0')
			break;
	}
	if (n == 0) {
		if (q->required && c->submit)
			return form_issues_add(c->issues, q->key,
			    tr(c->issues->lang, "This field is required."));
		return 0;
	}
	if (n > q->max_items) {
		if ((rc = buf_fmt(msg, sizeof(msg), tr(c->issues->lang,
		    "Enter at most %zu items (one per line)."),
		    q->max_items)) != 0)
			buf_mark_cut(msg, sizeof(msg));
		return form_issues_add(c->issues, q->key, msg);
	}
	if (toolong > 0) {
		if ((rc = buf_fmt(msg, sizeof(msg), tr(c->issues->lang,
		    "Item %zu is too long: at most %zu characters."), toolong,
		    q->max_length)) != 0)
			buf_mark_cut(msg, sizeof(msg));
		return form_issues_add(c->issues, q->key, msg);
	}
	return 0;
}

/* A grid, row by row, each row column by column. 0 or -1 (OOM). */
static int
collect_grid(struct collect *c, const struct form_question *q,
    const struct form_row *cities, size_t ncities)
{
	const struct form_row		*rows;
	const struct form_question	*col;
	char				 question[QNAMESZ];
	size_t				 i, j, nrows;

	rows = form_grid_rows(q, cities, ncities, &nrows);
	for (i = 0; i < nrows; i++) {
		/* City codes come from configuration, never from a client. */
		assert(strlen(rows[i].key) <= FORM_KEY_MAX);
		for (j = 0; j < q->ncolumns; j++) {
			col = &q->columns[j];
			join(question, sizeof(question), q->key, '.',
			    col->key);
			if (collect_value(c, col, question, rows[i].key,
			    q->required || col->required) == -1)
				return -1;
		}
	}
	return 0;
}

int
form_collect(const struct form *f, const struct form_row *cities,
    size_t ncities, const char *(*get)(void *, const char *), void *ctx,
    bool submit, struct form_answers *out, struct form_issues *issues)
{
	struct collect			 c;
	const struct form_question	*q;
	size_t				 i, j;
	int				 rc;

	c.get = get;
	c.ctx = ctx;
	c.submit = submit;
	c.out = out;
	c.issues = issues;
	for (i = 0; i < f->nsections; i++)
		for (j = 0; j < f->sections[i].nquestions; j++) {
			q = &f->sections[i].questions[j];
			if (q->type == FORM_GRID)
				rc = collect_grid(&c, q, cities, ncities);
			else if (q->type == FORM_LIST)
				rc = collect_list(&c, q);
			else
				rc = collect_value(&c, q, q->key, "",
				    q->required);
			if (rc == -1)
				return -1;
		}
	return 0;
}

int
form_key_cmp(const char *question, const char *row, unsigned item,
    const struct form_value *v)
{
	int	 c;

	if ((c = strcmp(question, v->question)) != 0 ||
	    (c = strcmp(row, v->row)) != 0)
		return c;
	return item < v->item ? -1 : item > v->item;
}

const char *
form_answer(const struct form_answers *a, const char *question,
    const char *row, unsigned item)
{
	size_t	 i, lo = 0, hi = a->n, mid;
	int	 c;

	if (a->unsorted) {
		for (i = 0; i < a->n; i++)
			if (a->v[i].item == item &&
			    strcmp(a->v[i].question, question) == 0 &&
			    strcmp(a->v[i].row, row) == 0)
				return a->v[i].value;
		return NULL;
	}
	/* Keys strictly increasing: halve [lo, hi). */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = form_key_cmp(question, row, item, &a->v[mid])) == 0)
			return a->v[mid].value;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Make room for one more of size bytes in *v. 0 or -1 (OOM). */
static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void	*p;
	size_t	 ncap;

	if (n < *cap)
		return 0;
	ncap = *cap > 0 ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return -1;
	if ((p = realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

/*
 * A block of answer strings. A card's ~40 values took three malloc calls
 * each (and three frees); they now share a few blocks.
 */
#define FORM_POOL_BLOCK	(16 * 1024)	/* bytes of a block, unless larger */

struct form_pool {
	struct form_pool	*next;
	size_t			 len, cap;
	char			 data[];
};

/* size bytes from a's pool, NULL when out of memory. */
static char *
pool_take(struct form_answers *a, size_t size)
{
	struct form_pool	*p = a->pool;
	size_t			 cap;

	if (p == NULL || p->cap - p->len < size) {
		cap = size > FORM_POOL_BLOCK ? size : FORM_POOL_BLOCK;
		if (cap > SIZE_MAX - sizeof(*p) ||
		    (p = malloc(sizeof(*p) + cap)) == NULL)
			return NULL;
		p->len = 0;
		p->cap = cap;
		/* A block filled by one large value goes behind the head. */
		if (a->pool != NULL && size > FORM_POOL_BLOCK) {
			p->next = a->pool->next;
			a->pool->next = p;
		} else {
			p->next = a->pool;
			a->pool = p;
		}
	}
	p->len += size;
	return p->data + p->len - size;
}

static int
answers_addn(struct form_answers *a, const char *question, const char *row,
    unsigned item, const char *value, size_t len)
{
	struct form_value	 nv;
	void			*v = a->v;
	size_t			 ql = strlen(question), rl = strlen(row);
	char			*p;

	if (grow(&v, &a->cap, a->n, sizeof(*a->v)) == -1)
		return -1;
	a->v = v;
	if (len > SIZE_MAX - ql - rl - 3 ||
	    (p = pool_take(a, ql + rl + len + 3)) == NULL)
		return -1;
	nv.item = item;
	nv.question = memcpy(p, question, ql + 1);
	nv.row = memcpy(p + ql + 1, row, rl + 1);
	nv.value = memcpy(p + ql + rl + 2, value, len);
	nv.value[len] = '\0';
	if (a->n > 0 && form_key_cmp(question, row, item,
	    &a->v[a->n - 1]) <= 0)
		a->unsorted = true;
	a->v[a->n++] = nv;
	return 0;
}

int
form_answers_add(struct form_answers *a, const char *question,
    const char *row, unsigned item, const char *value)
{
	return answers_addn(a, question, row, item, value, strlen(value));
}

const char *
form_issue_for(const struct form_issues *is, const char *name)
{
	size_t	 i;

	for (i = 0; i < is->n; i++)
		if (strcmp(is->v[i].name, name) == 0)
			return is->v[i].message;
	return NULL;
}

int
form_issues_add(struct form_issues *is, const char *name,
    const char *message)
{
	struct form_issue	 ni;
	void			*v = is->v;

	if (grow(&v, &is->cap, is->n, sizeof(*is->v)) == -1)
		return -1;
	is->v = v;
	ni.name = copy(name, strlen(name));
	ni.message = copy(message, strlen(message));
	if (ni.name == NULL || ni.message == NULL) {
		free(ni.name);
		free(ni.message);
		return -1;
	}
	is->v[is->n++] = ni;
	return 0;
}

void
form_answers_free(struct form_answers *a)
{
	struct form_pool	*p;

	if (a == NULL)
		return;
	while ((p = a->pool) != NULL) {
		a->pool = p->next;
		free(p);
	}
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
	a->unsorted = false;
}

void
form_issues_free(struct form_issues *is)
{
	size_t	 i;

	if (is == NULL)
		return;
	for (i = 0; i < is->n; i++) {
		free(is->v[i].name);
		free(is->v[i].message);
	}
	free(is->v);
	is->v = NULL;
	is->n = is->cap = 0;
}

const struct form_row *
form_grid_rows(const struct form_question *g, const struct form_row *cities,
    size_t ncities, size_t *n)
{
	*n = g->rows_cities ? ncities : g->nrows;
	return g->rows_cities ? cities : g->rows;
}
