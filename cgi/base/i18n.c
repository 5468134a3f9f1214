/*
 * i18n: gettext catalogues read by our own .po reader, Plural-Forms by
 * our own evaluator (see i18n.h). Never calls setlocale; never asserts on
 * a catalogue's text (a bad one is refused, logged, and English is used).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/log.h"

#define I18N_MSG_MAX	8192	/* bytes of one message */
#define PLURAL_DEPTH	32	/* nesting of a Plural-Forms expression */

struct msg {
	char	*id;
	char	*str[I18N_PLURALS_MAX];	/* str[1..] only for plurals */
	size_t	 nstr;
	bool	 plural;		/* it has a msgid_plural */
};

struct lang {
	char		 code[I18N_CODE_MAX + 1];
	char		*plural;	/* the Plural-Forms expression */
	long		 nplurals;
	struct msg	*v;		/* sorted by id */
	size_t		 n;
};

static struct lang english = { "en", "n != 1", 2, NULL, 0 };

/* ---- Plural-Forms: a C expression over n ---- */

struct expr {
	const char	*p;
	unsigned long	 n;
	int		 depth;
	bool		 bad;
};

static long	 ternary(struct expr *);

static void
blanks(struct expr *e)
{
	while (*e->p == ' ' || *e->p == '\t')
		e->p++;
}

/* The operator op next (then skipped), but not the start of a longer. */
static bool
op(struct expr *e, const char *o)
{
	size_t	 len = strlen(o);

	blanks(e);
	if (strncmp(e->p, o, len) != 0)
		return false;
	/* '<' is not "<=", '=' alone is not an operator, '!' is not "!=". */
	if (len == 1 && strchr("<>!", o[0]) != NULL && e->p[1] == '=')
		return false;
	if (len == 1 && strchr("&|", o[0]) != NULL && e->p[1] == o[0])
		return false;
	e->p += len;
	return true;
}

static long
primary(struct expr *e)
{
	long	 v = 0;

	blanks(e);
	if (++e->depth > PLURAL_DEPTH) {
		e->bad = true;
		return 0;
	}
	if (op(e, "!"))
		v = !primary(e);
	else if (op(e, "(")) {
		v = ternary(e);
		if (!op(e, ")"))
			e->bad = true;
	} else if (*e->p == 'n') {
		e->p++;
		v = (long)e->n;
	} else if (isdigit((unsigned char)*e->p)) {
		for (; isdigit((unsigned char)*e->p) && v < 1000000; e->p++)
			v = v * 10 + (*e->p - '0');
	} else
		e->bad = true;
	e->depth--;
	return v;
}

/* Binary operators by precedence, lowest first; each left-associative. */
static const char *const levels[][6] = {
	{ "||", NULL },
	{ "&&", NULL },
	{ "==", "!=", NULL },
	{ "<=", ">=", "<", ">", NULL },
	{ "+", "-", NULL },
	{ "*", "/", "%", NULL },
};
#define LEVELS	(sizeof(levels) / sizeof(levels[0]))

static long
apply(struct expr *e, const char *o, long a, long b)
{
	if ((o[0] == '/' || o[0] == '%') && b == 0) {
		e->bad = true;
		return 0;
	}
	switch (o[0]) {
	case '|': return a || b;
	case '&': return a && b;
	case '=': return a == b;
	case '!': return a != b;
	case '<': return o[1] == '=' ? a <= b : a < b;
	case '>': return o[1] == '=' ? a >= b : a > b;
	case '+': return a + b;
	case '-': return a - b;
	case '*': return a * b;
	case '/': return a / b;
	default: return a % b;
	}
}

static long
binary(struct expr *e, size_t level)
{
	long	 a, b;
	size_t	 i;

	if (level == LEVELS)
		return primary(e);
	a = binary(e, level + 1);
	while (!e->bad) {
		for (i = 0; levels[level][i] != NULL; i++)
			if (op(e, levels[level][i]))
				break;
		if (levels[level][i] == NULL)
			break;
		b = binary(e, level + 1);
		/* Kept small: a catalogue cannot overflow a long. */
		a = apply(e, levels[level][i], a, b) % 1000000000L;
	}
	return a;
}

static long
ternary(struct expr *e)
{
	long	 c, a, b;

	if (++e->depth > PLURAL_DEPTH) {
		e->bad = true;
		return 0;
	}
	c = binary(e, 0);
	if (!e->bad && op(e, "?")) {
		a = ternary(e);
		if (!op(e, ":"))
			e->bad = true;
		b = ternary(e);
		c = c ? a : b;
	}
	e->depth--;
	return c;
}

long
i18n_plural_eval(const char *expr, unsigned long n)
{
	struct expr	 e = { .p = expr, .n = n % 1000000000UL };
	long		 v;

	v = ternary(&e);
	blanks(&e);
	if (*e.p == ';')
		e.p++;
	blanks(&e);
	return e.bad || *e.p != '\0' || v < 0 ? -1 : v;
}

/* ---- the .po reader ---- */

/* What the reader holds: the entry being read and the text's place. */
struct po {
	struct lang	*lang;
	size_t		 cap;
	int		 line;
	struct buf	 id, plural, str[I18N_PLURALS_MAX];
	size_t		 nstr;
	struct buf	*field;		/* the one a "..." line continues */
	bool		 fuzzy, next_fuzzy, header;
	char		*err;
	size_t		 errsz;
};

static int	 bad(struct po *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* The catalogue is malformed: -1 with "line N: ..." in err. */
static int
bad(struct po *po, const char *fmt, ...)
{
	char	 what[160];
	va_list	 ap;

	va_start(ap, fmt);
	if (buf_vfmt(what, sizeof(what), fmt, ap) == -1)
		buf_mark_cut(what, sizeof(what));
	va_end(ap);
	if (buf_fmt(po->err, po->errsz, "line %d: %s", po->line, what) == -1)
		buf_mark_cut(po->err, po->errsz);
	return -1;
}

/* The string s ("...", escapes) appended to b: 0, or -1 (bad). */
static int
quoted(struct po *po, const char *s, struct buf *b)
{
	static const char	 from[] = "nt\"\\r", to[] = "\n\t\"\\\r";
	const char		*k;

	if (*s++ != '"')
		return bad(po, "a string must start with a quote");
	for (; *s != '"'; s++) {
		if (*s == '\0')
			return bad(po, "a string is not closed");
		if (*s == '\\') {
			if (*++s == '\0' || (k = strchr(from, *s)) == NULL)
				return bad(po, "an unknown escape \\%c", *s);
			buf_putc(b, to[k - from]);
		} else
			buf_putc(b, *s);
	}
	for (s++; *s == ' ' || *s == '\t' || *s == '\r'; s++)
		continue;
	if (*s != '\0')
		return bad(po, "text after a string");
	return buf_failed(b) ? bad(po, "a message is longer than %d bytes",
	    I18N_MSG_MAX) : 0;
}

static void
entry_reset(struct po *po)
{
	buf_reset(&po->id);
	buf_reset(&po->plural);
	for (size_t i = 0; i < I18N_PLURALS_MAX; i++)
		buf_reset(&po->str[i]);
	po->nstr = 0;
	po->field = NULL;
	po->fuzzy = false;
}

/* "Plural-Forms: nplurals=N; plural=EXPR;" of the header entry. */
static int
header(struct po *po, const char *h)
{
	const char	*p = strstr(h, "Plural-Forms:");
	char		*end;
	size_t		 len;

	po->header = true;
	if (p == NULL || (p = strstr(p, "nplurals=")) == NULL)
		return bad(po, "the header has no Plural-Forms: nplurals=");
	po->lang->nplurals = strtol(p + 9, &end, 10);
	if (po->lang->nplurals < 1 || po->lang->nplurals > I18N_PLURALS_MAX)
		return bad(po, "nplurals is 1 to %d", I18N_PLURALS_MAX);
	if ((p = strstr(end, "plural=")) == NULL)
		return bad(po, "the header has no Plural-Forms: plural=");
	len = strcspn(p += 7, "\n");
	free(po->lang->plural);
	if ((po->lang->plural = strndup(p, len)) == NULL)
		return -1;
	for (unsigned long n = 0; n < 1000; n++)
		if (i18n_plural_eval(po->lang->plural, n) < 0 ||
		    i18n_plural_eval(po->lang->plural, n) >=
		    po->lang->nplurals)
			return bad(po, "plural=%s is not a form 0 to %ld for "
			    "n = %lu", po->lang->plural,
			    po->lang->nplurals - 1, n);
	return 0;
}

/* Keep the entry read (unless fuzzy or untranslated): 0 or -1. */
static int
entry_end(struct po *po)
{
	struct msg	*m;
	void		*p;

	if (po->nstr == 0 && po->id.len == 0 && po->field == NULL)
		return 0;
	if (po->nstr == 0)
		return bad(po, "a msgid without its msgstr");
	if (po->id.len == 0)
		return header(po, buf_str(&po->str[0]));
	if (po->fuzzy || po->str[0].len == 0)
		return 0;
	if (po->lang->n == po->cap) {
		po->cap = po->cap ? po->cap * 2 : 64;
		if ((p = realloc(po->lang->v, po->cap * sizeof(*m))) == NULL)
			return -1;
		po->lang->v = p;
	}
	m = &po->lang->v[po->lang->n++];
	memset(m, 0, sizeof(*m));
	m->plural = po->plural.len > 0;
	if ((m->id = strdup(buf_str(&po->id))) == NULL)
		return -1;
	for (m->nstr = 0; m->nstr < po->nstr; m->nstr++)
		if ((m->str[m->nstr] = strdup(buf_str(&po->str[m->nstr]))) ==
		    NULL)
			return -1;
	return 0;
}

/* A line "KEYWORD "..."": the field it starts. */
static int
keyword(struct po *po, const char *s)
{
	size_t	 len = strcspn(s, " \t");
	char	*end;
	long	 k;

	if (len == 5 && strncmp(s, "msgid", 5) == 0) {
		if (entry_end(po) == -1)
			return -1;
		entry_reset(po);
		po->fuzzy = po->next_fuzzy;
		po->next_fuzzy = false;
		po->field = &po->id;
	} else if (len == 12 && strncmp(s, "msgid_plural", 12) == 0)
		po->field = &po->plural;
	else if (len == 6 && strncmp(s, "msgstr", 6) == 0) {
		if (po->nstr > 0 || po->field == NULL)
			return bad(po, "a msgstr without its msgid");
		po->field = &po->str[po->nstr++];
	}
	else if (strncmp(s, "msgstr[", 7) == 0) {
		k = strtol(s + 7, &end, 10);
		if (end == s + 7 || strncmp(end, "]", 1) != 0 ||
		    k != (long)po->nstr || k >= I18N_PLURALS_MAX ||
		    po->plural.len == 0)
			return bad(po, "msgstr[%zu] expected", po->nstr);
		po->field = &po->str[po->nstr++];
	} else if (len == 7 && strncmp(s, "msgctxt", 7) == 0)
		return bad(po, "msgctxt is not supported");
	else
		return bad(po, "an unknown keyword");
	s += len;
	while (*s == ' ' || *s == '\t')
		s++;
	return quoted(po, s, po->field);
}

static int
po_line(struct po *po, char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '\r')
		return 0;
	if (*s == '#') {
		if (s[1] == ',' && strstr(s, "fuzzy") != NULL)
			po->next_fuzzy = true;
		return 0;
	}
	if (*s == '"') {
		if (po->field == NULL)
			return bad(po, "a string outside an entry");
		return quoted(po, s, po->field);
	}
	return keyword(po, s);
}

static int
cmp_msg(const void *a, const void *b)
{
	return strcmp(((const struct msg *)a)->id,
	    ((const struct msg *)b)->id);
}

/* The catalogue as a whole: a header, plurals complete, no id twice. */
static int
po_check(struct po *po)
{
	struct lang	*l = po->lang;

	if (!po->header)
		return bad(po, "no header entry (msgid \"\")");
	if (l->n > 0)
		qsort(l->v, l->n, sizeof(*l->v), cmp_msg);
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0 && strcmp(l->v[i - 1].id, l->v[i].id) == 0)
			return bad(po, "msgid \"%.60s\" twice", l->v[i].id);
		if (l->v[i].plural && (long)l->v[i].nstr != l->nplurals)
			return bad(po, "msgid \"%.60s\" has %zu plural forms, "
			    "not %ld", l->v[i].id, l->v[i].nstr, l->nplurals);
	}
	return 0;
}

/* Read po's text line by line into po->lang: 0 or -1. */
static int
po_read(struct po *po, const char *text)
{
	const char	*p, *eol;
	char		*line;
	int		 rc = 0;

	for (p = text; *p != '\0' && rc == 0; p = *eol ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		po->line++;
		if ((line = strndup(p, (size_t)(eol - p))) == NULL)
			return -1;
		rc = po_line(po, line);
		free(line);
	}
	if (rc == 0)
		rc = entry_end(po);
	return rc == 0 ? po_check(po) : rc;
}

struct lang *
i18n_parse(const char *code, const char *text, char *err, size_t errsz)
{
	struct po	 po = { .err = err, .errsz = errsz };
	int		 rc;

	*err = '\0';
	if ((po.lang = calloc(1, sizeof(*po.lang))) == NULL)
		return NULL;
	if (buf_fmt(po.lang->code, sizeof(po.lang->code), "%s", code) == -1) {
		(void)buf_fmt(err, errsz, "the code %.20s is too long", code);
		free(po.lang);
		return NULL;
	}
	buf_init(&po.id, I18N_MSG_MAX);
	buf_init(&po.plural, I18N_MSG_MAX);
	for (size_t i = 0; i < I18N_PLURALS_MAX; i++)
		buf_init(&po.str[i], I18N_MSG_MAX);
	rc = po_read(&po, text);
	buf_free(&po.id);
	buf_free(&po.plural);
	for (size_t i = 0; i < I18N_PLURALS_MAX; i++)
		buf_free(&po.str[i]);
	if (rc != 0) {
		i18n_free(po.lang);
		return NULL;
	}
	return po.lang;
}

void
i18n_free(struct lang *l)
{
	if (l == NULL || l == &english)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].id);
		for (size_t k = 0; k < l->v[i].nstr; k++)
			free(l->v[i].str[k]);
	}
	free(l->v);
	free(l->plural);
	free(l);
}

/* ---- the languages compiled in, and the lookups ---- */

const struct lang *
i18n_english(void)
{
	return &english;
}

const struct lang *
i18n_lang(const char *code)
{
	static struct lang	*loaded[I18N_LANGS_MAX];
	static bool		 tried[I18N_LANGS_MAX];
	char			 err[200];

	if (code == NULL)
		return NULL;
	if (strcasecmp(code, "en") == 0)
		return &english;
	for (size_t i = 0; i < I18N_LANGS_MAX && i18n_sources[i].code != NULL;
	    i++) {
		if (strcasecmp(code, i18n_sources[i].code) != 0)
			continue;
		if (!tried[i]) {
			tried[i] = true;
			loaded[i] = i18n_parse(i18n_sources[i].code,
			    i18n_sources[i].po, err, sizeof(err));
			if (loaded[i] == NULL)
				log_err("po/%s.po: %s", i18n_sources[i].code,
				    *err ? err : "out of memory");
		}
		return loaded[i];
	}
	return NULL;
}

bool
i18n_known(const char *code)
{
	return i18n_lang(code) != NULL;
}

const char *
i18n_code(const struct lang *l)
{
	return l != NULL ? l->code : english.code;
}

static const struct msg *
find(const struct lang *l, const char *id)
{
	struct msg	 key = { .id = (char *)id };

	if (l == NULL || l->n == 0)
		return NULL;
	return bsearch(&key, l->v, l->n, sizeof(*l->v), cmp_msg);
}

const char *
tr(const struct lang *l, const char *msgid)
{
	const struct msg	*m = find(l, msgid);

	return m != NULL ? m->str[0] : msgid;
}

const char *
trn(const struct lang *l, const char *singular, const char *plural,
    unsigned long n)
{
	const struct msg	*m = find(l, singular);
	long			 k;

	if (m == NULL || !m->plural)
		return n == 1 ? singular : plural;
	k = i18n_plural_eval(l->plural, n);
	return k >= 0 && (size_t)k < m->nstr ? m->str[k] : plural;
}

const struct lang *
i18n_from_env(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES",
	    "LANG" };
	char			 code[I18N_CODE_MAX + 1];
	const char		*v;
	const struct lang	*l;
	size_t			 len;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if ((v = getenv(vars[i])) == NULL || *v == '\0')
			continue;
		len = strcspn(v, "_.@-");
		if (len == 0 || len > I18N_CODE_MAX)
			return &english;
		memcpy(code, v, len);
		code[len] = '\0';
		return (l = i18n_lang(code)) != NULL ? l : &english;
	}
	return &english;
}

/* ---- Accept-Language (RFC 9110 12.5.4) ---- */

/* A language range: "*" or 1-8 letters, then "-" and 1-8 alphanumerics. */
static bool
range_ok(const char *s, size_t len)
{
	size_t	 run = 0;
	bool	 first = true;

	if (len == 1 && s[0] == '*')
		return true;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '-') {
			if (run == 0)
				return false;
			run = 0;
			first = false;
		} else if (++run > 8 || !(first ? isalpha((unsigned char)s[i]) :
		    isalnum((unsigned char)s[i])))
			return false;
	}
	return run > 0;
}

/* A weight "q=0", "q=0.5", "q=1.000" in thousandths; -1 when malformed. */
static int
weight(const char *s, size_t len)
{
	int	 q;
	size_t	 i;

	if (len < 3 || (s[0] != 'q' && s[0] != 'Q') || s[1] != '=' ||
	    (s[2] != '0' && s[2] != '1'))
		return -1;
	q = (s[2] - '0') * 1000;
	if (len == 3)
		return q;
	if (s[3] != '.' || len > 7)
		return -1;
	for (i = 4; i < len; i++) {
		if (!isdigit((unsigned char)s[i]) || (q == 1000 && s[i] != '0'))
			return -1;
		q += (s[i] - '0') * (i == 4 ? 100 : i == 5 ? 10 : 1);
	}
	return q;
}

/* The offered code range r[0..len) asks for (case ignored), or NULL. */
static const char *
match(const char *r, size_t len, const char *const *offered, size_t n)
{
	size_t	 primary = strcspn(r, "-");

	if (primary > len)
		primary = len;
	for (size_t i = 0; i < n; i++)
		if ((strlen(offered[i]) == len &&
		    strncasecmp(offered[i], r, len) == 0) ||
		    (strlen(offered[i]) == primary &&
		    strncasecmp(offered[i], r, primary) == 0))
			return offered[i];
	return NULL;
}

/* One element s[0..len): its range (trimmed) and weight; false if bad. */
static bool
element(const char *s, size_t len, const char **r, size_t *rlen, int *q)
{
	const char	*semi = memchr(s, ';', len), *end = s + len, *w;

	*q = 1000;
	if (semi != NULL) {
		for (w = semi + 1; w < end && (*w == ' ' || *w == '\t'); w++)
			continue;
		while (end > w && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((*q = weight(w, (size_t)(end - w))) == -1)
			return false;
		end = semi;
	}
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*r = s;
	*rlen = (size_t)(end - s);
	return range_ok(s, *rlen);
}

const char *
i18n_accept(const char *header, const char *const *offered, size_t n,
    const char *fallback)
{
	const char	*best = fallback, *s, *r, *m;
	size_t		 len, rlen;
	int		 q, bestq = 0, elements = 0;

	if (header == NULL || strlen(header) > I18N_ACCEPT_MAX)
		return fallback;
	for (s = header; *s != '\0' && elements++ < I18N_ACCEPT_RANGES;
	    s += len + (s[len] == ',')) {
		len = strcspn(s, ",");
		if (!element(s, len, &r, &rlen, &q) || q <= bestq)
			continue;
		if (rlen == 1 && *r == '*')
			m = fallback;
		else if ((m = match(r, rlen, offered, n)) == NULL)
			continue;
		best = m;
		bestq = q;
	}
	return best;
}

/* The month m (1..12) named in lang. */
static const char *
month_name(const struct lang *lang, int m)
{
	switch (m) {
	case 1: return tr(lang, "January");
	case 2: return tr(lang, "February");
	case 3: return tr(lang, "March");
	case 4: return tr(lang, "April");
	case 5: return tr(lang, "May");
	case 6: return tr(lang, "June");
	case 7: return tr(lang, "July");
	case 8: return tr(lang, "August");
	case 9: return tr(lang, "September");
	case 10: return tr(lang, "October");
	case 11: return tr(lang, "November");
	default: return tr(lang, "December");
	}
}

const char *
i18n_date(const struct lang *lang, const char *iso, char out[I18N_DATE_MAX])
{
	int	 y, m, d, n = 0;

	*out = '\0';
	if (iso == NULL || *iso == '\0')
		return out;
	if (strlen(iso) < 10 || sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d,
	    &n) != 3 || n != 10 || m < 1 || m > 12 || d < 1 || d > 31) {
		if (buf_fmt(out, I18N_DATE_MAX, "%s", iso) == -1)
			buf_mark_cut(out, I18N_DATE_MAX);
		return out;
	}
	/* TRANSLATORS: a date: the day, the month's name, the year. */
	if (buf_fmt(out, I18N_DATE_MAX, tr(lang, "%d %s %d"), d,
	    month_name(lang, m), y) == -1)
		buf_mark_cut(out, I18N_DATE_MAX);
	return out;
}

const char *
i18n_number(const struct lang *l, const char *num, char *out, size_t outsz)
{
	/* TRANSLATORS: the decimal mark of numbers, as in 2.5 */
	const char	*mark = tr(l, ".");
	size_t		 n = 0, m = strlen(mark);

	for (const char *s = num; *s != '\0'; s++) {
		if (*s == '.' && n + m < outsz) {
			memcpy(out + n, mark, m);
			n += m;
		} else if (*s != '.' && n + 1 < outsz)
			out[n++] = *s;
		else
			return num;
	}
	if (n >= outsz)
		return num;
	out[n] = '\0';
	return out;
}

void
i18n_time(const struct lang *l, const char *iso, char out[I18N_DATE_MAX])
{
	char	 day[I18N_DATE_MAX];
	int	 h, mi;

	i18n_date(l, iso, day);
	if (iso == NULL || strlen(iso) < 16 || iso[10] != 'T' ||
	    sscanf(iso + 11, "%2d:%2d", &h, &mi) != 2 || h < 0 || h > 23 ||
	    iso[13] != ':' || mi < 0 || mi > 59 || strcmp(day, iso) == 0) {
		memcpy(out, day, I18N_DATE_MAX);
		return;
	}
	/* TRANSLATORS: a date, then hours and minutes in UTC. */
	if (buf_fmt(out, I18N_DATE_MAX, tr(l, "%s, %02d:%02d UTC"), day, h,
	    mi) == -1)
		buf_mark_cut(out, I18N_DATE_MAX);
}

void
i18n_decimal(const struct lang *l, double v, int decimals,
    char out[I18N_DECIMAL_SZ])
{
	char	 num[I18N_DECIMAL_SZ], *dot;
	size_t	 n;

	if (decimals < 0 || decimals > 6 ||
	    buf_fmt(num, sizeof(num), "%.*f", decimals, v) == -1) {
		(void)buf_fmt(out, I18N_DECIMAL_SZ, "%g", v);
		return;
	}
	if ((dot = strchr(num, '.')) != NULL) {	/* no trailing zeros */
		n = strlen(num);
		while (num[n - 1] == '0')
			num[--n] = '\0';
		if (num + n - 1 == dot)
			*dot = '\0';
	}
	/* out holds num, with any one mark of up to 8 bytes for its point. */
	if (i18n_number(l, num, out, I18N_DECIMAL_SZ) == num)
		(void)buf_fmt(out, I18N_DECIMAL_SZ, "%s", num);
}

const char *
i18n_name(const char *code)
{
	const struct lang *l = i18n_lang(code);

	/* TRANSLATORS: the name of your language in itself ("Deutsch"). */
	return l != NULL ? tr(l, "English") : code;
}
