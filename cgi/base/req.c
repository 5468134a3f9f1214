/*
 * req: the FastCGI params, query, urlencoded body and cookies of a request.
 * Never trusts a byte it was given, never asserts on client input.
 */
#include <assert.h>
#include <errno.h>
#include <locale.h>
#include <wctype.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/req.h"

#define FORM_TYPE	"application/x-www-form-urlencoded"
#define MULTIPART_TYPE	"multipart/form-data"
#define JSON_TYPE	"application/json"

static const char *const methods[] = {
	[REQ_GET] = "GET",
	[REQ_HEAD] = "HEAD",
	[REQ_POST] = "POST",
	[REQ_OTHER] = NULL,
};
_Static_assert(sizeof(methods) / sizeof(methods[0]) == REQ_METHOD__MAX,
    "one entry per request method");

static const struct {
	int		 code;
	const char	*text;
} statuses[] = {
	[REQ_OK] = { 200, N_("The request was accepted.") },
	[REQ_BAD_ESCAPE] = { 400,
	    N_("The form contained an invalid percent escape.") },
	[REQ_BAD_UTF8] = { 400,
	    N_("The form contained text that is not valid UTF-8.") },
	[REQ_NUL] = { 400, N_("The form contained a null character.") },
	[REQ_DUPLICATE] = { 400,
	    N_("The form contained the same field twice.") },
	[REQ_TOO_MANY] = { 413, N_("The form contained too many fields.") },
	[REQ_KEY_TOO_LONG] = { 400,
	    N_("The form contained a field name that is too long.") },
	[REQ_TOO_LARGE] = { 413, N_("The form was too large to accept.") },
	[REQ_BAD_TYPE] = { 415,
	    N_("The form was sent in a format this server does not "
	    "accept.") },
	[REQ_BAD_PATH] = { 400, N_("The address of the page is not valid.") },
	[REQ_BAD_MULTIPART] = { 400,
	    N_("The form's parts or the files attached could not be "
	    "read.") },
};
_Static_assert(sizeof(statuses) / sizeof(statuses[0]) == REQ_STATUS__MAX,
    "one code and text per request status");

/* Outside the table: -1 (out of memory) or a caller's mistake. */
#define STATUS_FAIL_CODE	500
#define STATUS_FAIL_TEXT	N_("The server could not read the request.")

/* A list of pairs being built; handed to the caller only on success. */
struct kvlist {
	struct req_kv	*kv;
	size_t		 n;
	size_t		 cap;
	struct req	*up;	/* the uploads' names go here, or NULL */
};

static char *
copy(const char *s, size_t len)
{
	char	*p;

	if ((p = malloc(len + 1)) == NULL) {
		log_err("req: malloc: %s", strerror(errno));
		return NULL;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* realloc for an array of n elements of size bytes, refusing overflow. */
static void *
grow(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		log_err("req: array of %zu elements too large", n);
		return NULL;
	}
	if ((p = realloc(p, n * size)) == NULL)
		log_err("req: realloc: %s", strerror(errno));
	return p;
}

static void
kv_free(struct req_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

/* Add a pair; the list owns key and val from here on, even on failure. */
static int
kvlist_add(struct kvlist *l, char *key, char *val, size_t vlen)
{
	struct req_kv	*p;
	size_t		 ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 8;
		if ((p = grow(l->kv, ncap, sizeof(*p))) == NULL) {
			free(key);
			free(val);
			return -1;
		}
		l->kv = p;
		l->cap = ncap;
	}
	l->kv[l->n].key = key;
	l->kv[l->n].val = val;
	l->kv[l->n].vlen = vlen;
	l->n++;
	return 0;
}

/* Move every pair of l to the end of *kv; l is empty afterwards. */
static int
kvlist_move(struct kvlist *l, struct req_kv **kv, size_t *n)
{
	struct req_kv	*p;

	if (l->n > 0) {
		if ((p = grow(*kv, *n + l->n, sizeof(*p))) == NULL)
			return -1;
		memcpy(p + *n, l->kv, l->n * sizeof(*p));
		*kv = p;
		*n += l->n;
	}
	free(l->kv);
	memset(l, 0, sizeof(*l));
	return 0;
}

static void
kvlist_free(struct kvlist *l)
{
	kv_free(l->kv, l->n);
	memset(l, 0, sizeof(*l));
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode one urlencoded name or value of len bytes into a new string.
 * REQ_OK and *out, *outlen set; REQ_BAD_ESCAPE, REQ_NUL or REQ_BAD_UTF8;
 * -1 when out of memory.
 */
static int
decode(const char *s, size_t len, char **out, size_t *outlen)
{
	const char	*pct;
	char		*p, *plus, *end;
	size_t		 i, j, run;
	int		 hi, lo, rc;

	if ((p = malloc(len + 1)) == NULL) {
		log_err("req: malloc: %s", strerror(errno));
		return -1;
	}
	/* Runs of plain bytes are copied whole ('+' made a blank in them). */
	for (i = j = 0; i < len; ) {
		pct = memchr(s + i, '%', len - i);
		run = pct != NULL ? (size_t)(pct - (s + i)) : len - i;
		memcpy(p + j, s + i, run);
		end = p + j + run;
		for (plus = memchr(p + j, '+', run); plus != NULL;
		    plus = memchr(plus + 1, '+', (size_t)(end - plus - 1)))
			*plus = ' ';
		i += run;
		j += run;
		if (pct == NULL)
			break;
		if (len - i < 3 || (hi = hexval(s[i + 1])) == -1 ||
		    (lo = hexval(s[i + 2])) == -1) {
			rc = REQ_BAD_ESCAPE;
			goto fail;
		}
		p[j++] = (char)(hi << 4 | lo);
		i += 3;
	}
	if (memchr(p, '\0', j) != NULL) {
		rc = REQ_NUL;
		goto fail;
	}
	p[j] = '\0';
	if (!req_utf8_valid(p, j)) {
		rc = REQ_BAD_UTF8;
		goto fail;
	}
	*out = p;
	*outlen = j;
	return REQ_OK;
fail:
	free(p);
	return rc;
}

static int
keycmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * 1 when two fields of a and b (na and nb of them) have the same name,
 * 0 when none do, -1 when out of memory. Sorts the names: n log n, not
 * every name against every other.
 */
static int
duplicates(const struct req_kv *a, size_t na, const struct req_kv *b,
    size_t nb)
{
	const char	**k;
	size_t		  i, n = na + nb;
	int		  dup = 0;

	if (n < 2)
		return 0;
	if ((k = malloc(n * sizeof(*k))) == NULL) {
		log_err("req: malloc: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < na; i++)
		k[i] = a[i].key;
	for (i = 0; i < nb; i++)
		k[na + i] = b[i].key;
	qsort(k, n, sizeof(*k), keycmp);
	for (i = 1; i < n && !dup; i++)
		dup = strcmp(k[i - 1], k[i]) == 0;
	free(k);
	return dup;
}

/*
 * End a parse that appends l to *kv (*n entries) and stopped at rc: on
 * REQ_OK the pairs move to *kv unless a name repeats; otherwise, or on a
 * repeat, l is freed and *kv is unchanged. Returns rc, or REQ_DUPLICATE
 * when a name repeats (as if each name were checked when read, a repeat
 * comes before a later problem), or -1.
 */
static int
kvlist_finish(struct kvlist *l, struct req_kv **kv, size_t *n, int rc)
{
	int	 dup = 0;

	if (rc != -1 && (dup = duplicates(*kv, *n, l->kv, l->n)) == 1)
		rc = REQ_DUPLICATE;
	else if (rc == REQ_OK && dup == -1)
		rc = -1;
	if (rc == REQ_OK && kvlist_move(l, kv, n) == -1)
		rc = -1;
	kvlist_free(l);
	return rc;
}

int
req_parse_urlencoded(struct req_kv **kv, size_t *n, const char *s,
    size_t len)
{
	struct kvlist	 l;
	const char	*p;
	char		*key = NULL, *val = NULL;
	size_t		 i, end, eq, klen, vlen;
	int		 rc;

	assert(kv != NULL && n != NULL);
	assert(s != NULL || len == 0);
	memset(&l, 0, sizeof(l));

	for (i = 0; i < len; i = end + 1) {
		p = memchr(s + i, '&', len - i);
		end = p != NULL ? (size_t)(p - s) : len;
		if (end == i)
			continue;
		if (*n + l.n >= REQ_FIELDS_MAX) {
			rc = REQ_TOO_MANY;
			goto fail;
		}
		p = memchr(s + i, '=', end - i);
		eq = p != NULL ? (size_t)(p - s) : end;
		if ((rc = decode(s + i, eq - i, &key, &klen)) != REQ_OK)
			goto fail;
		if (klen > REQ_KEY_MAX) {
			rc = REQ_KEY_TOO_LONG;
			goto fail;
		}
		if (eq == end)
			rc = decode("", 0, &val, &vlen);
		else
			rc = decode(s + eq + 1, end - eq - 1, &val, &vlen);
		if (rc != REQ_OK)
			goto fail;
		rc = kvlist_add(&l, key, val, vlen);
		key = val = NULL;
		if (rc == -1)
			goto fail;
	}
	rc = REQ_OK;
fail:
	free(key);
	free(val);
	return kvlist_finish(&l, kv, n, rc);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Cookie names and values: valid UTF-8 without control characters. */
static bool
cookie_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return req_utf8_valid(s, len);
}

int
req_parse_cookies(struct req_kv **kv, size_t *n, const char *s)
{
	struct kvlist	 l;
	const char	*p, *seg, *end, *eq, *vb;
	char		*key, *val;
	size_t		 klen, vlen;

	assert(kv != NULL && n != NULL);
	memset(&l, 0, sizeof(l));
	if (s == NULL)
		return 0;

	for (p = s; *p != '\0' && *n + l.n < REQ_COOKIES_MAX; ) {
		seg = p;
		if ((end = strchr(seg, ';')) == NULL)
			end = seg + strlen(seg);
		p = *end == ';' ? end + 1 : end;

		while (seg < end && is_space(*seg))
			seg++;
		while (end > seg && is_space(end[-1]))
			end--;
		if ((eq = memchr(seg, '=', (size_t)(end - seg))) == NULL)
			continue;
		for (klen = (size_t)(eq - seg);
		    klen > 0 && is_space(seg[klen - 1]); klen--)
			continue;
		for (vb = eq + 1; vb < end && is_space(*vb); vb++)
			continue;
		vlen = (size_t)(end - vb);
		if (vlen >= 2 && vb[0] == '"' && vb[vlen - 1] == '"') {
			vb++;
			vlen -= 2;
		}
		if (klen == 0 || !cookie_ok(seg, klen) || !cookie_ok(vb, vlen))
			continue;
		if ((key = copy(seg, klen)) == NULL)
			goto fail;
		if ((val = copy(vb, vlen)) == NULL) {
			free(key);
			goto fail;
		}
		if (kvlist_add(&l, key, val, vlen) == -1)
			goto fail;
	}
	if (kvlist_move(&l, kv, n) == -1)
		goto fail;
	return 0;
fail:
	kvlist_free(&l);
	return -1;
}

bool
req_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		 lo, hi;
	size_t			 i, k, need;

	for (i = 0; i < len; i += need + 1) {
		lo = 0x80;
		hi = 0xbf;
		if (p[i] < 0x80)
			need = 0;
		else if (p[i] >= 0xc2 && p[i] <= 0xdf)
			need = 1;
		else if (p[i] == 0xe0) {
			need = 2;
			lo = 0xa0;		/* overlong below U+0800 */
		} else if (p[i] == 0xed) {
			need = 2;
			hi = 0x9f;		/* surrogates U+D800-DFFF */
		} else if (p[i] >= 0xe1 && p[i] <= 0xef)
			need = 2;
		else if (p[i] == 0xf0) {
			need = 3;
			lo = 0x90;		/* overlong below U+10000 */
		} else if (p[i] >= 0xf1 && p[i] <= 0xf3)
			need = 3;
		else if (p[i] == 0xf4) {
			need = 3;
			hi = 0x8f;		/* above U+10FFFF */
		} else
			return false;	/* 0x80-0xc1, 0xf5-0xff */
		if (len - i - 1 < need)
			return false;
		if (need > 0 && (p[i + 1] < lo || p[i + 1] > hi))
			return false;
		for (k = 2; k <= need; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
	}
	return true;
}

const char *
req_env(char *const *envp, const char *name)
{
	size_t	 len;

	if (envp == NULL || name == NULL)
		return NULL;
	len = strlen(name);
	for (; *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

static enum req_method
parse_method(const char *s)
{
	if (s != NULL)
		for (int i = 0; i < REQ_METHOD__MAX; i++)
			if (methods[i] != NULL && strcmp(s, methods[i]) == 0)
				return (enum req_method)i;
	return REQ_OTHER;
}

/* A path: starts with '/', short, UTF-8 without control characters. */
static bool
path_ok(const char *s, size_t len)
{
	if (len == 0 || len > REQ_PATH_MAX || s[0] != '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return req_utf8_valid(s, len);
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* A run of bytes of a header or a body: not NUL-terminated. */
struct span {
	const char	*p;
	size_t		 n;
};

/* s is lit (lower case), ignoring ASCII case. */
static bool
span_is(struct span s, const char *lit)
{
	size_t	 i;

	for (i = 0; i < s.n && lit[i] != '\0'; i++)
		if (lower(s.p[i]) != lit[i])
			return false;
	return i == s.n && lit[i] == '\0';
}

/* A character of an RFC 9110 token. */
static bool
is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A control character other than a tab. */
static bool
is_ctl(char c)
{
	return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f;
}

static const char *
skip_blank(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

/*
 * The header value p[0..end) starts with type (its first element up to
 * ';', blanks around it ignored, any case). *params, when not NULL, is
 * set to what follows the type.
 */
static bool
media_is(const char *p, const char *end, const char *type,
    const char **params)
{
	struct span	 t;
	const char	*semi;

	t.p = skip_blank(p, end);
	semi = memchr(t.p, ';', (size_t)(end - t.p));
	t.n = (size_t)((semi != NULL ? semi : end) - t.p);
	while (t.n > 0 && is_space(t.p[t.n - 1]))
		t.n--;
	if (params != NULL)
		*params = semi != NULL ? semi : end;
	return span_is(t, type);
}

/* The media type is urlencoded; parameters (charset) may follow. */
static bool
is_form_type(const char *s)
{
	return s != NULL && media_is(s, s + strlen(s), FORM_TYPE, NULL);
}

/* The Accept header's first media range is JSON (a script's request). */
static bool
accepts_json(const char *s)
{
	const char	*comma;

	if (s == NULL)
		return false;
	comma = strchr(s, ',');
	return media_is(s, comma != NULL ? comma : s + strlen(s), JSON_TYPE,
	    NULL);
}

/*
 * The next parameter in *pp before end: "; name=value", blanks around
 * each, the value a token or a quoted string (no escapes). 1 with name
 * and val set (val without its quotes) and *pp past it; 0 at the end (a
 * last ';' alone too); -1 when malformed.
 */
static int
next_param(const char **pp, const char *end, struct span *name,
    struct span *val)
{
	const char	*p = skip_blank(*pp, end);

	if (p == end)
		return 0;
	if (*p != ';')
		return -1;
	if ((p = skip_blank(p + 1, end)) == end)
		return 0;
	for (name->p = p; p < end && is_tchar(*p); p++)
		continue;
	name->n = (size_t)(p - name->p);
	if (name->n == 0 || p == end || *p++ != '=')
		return -1;
	if (p < end && *p == '"') {
		for (val->p = ++p; p < end && *p != '"' && !is_ctl(*p); p++)
			continue;
		if (p == end || *p != '"')
			return -1;
		val->n = (size_t)(p++ - val->p);
	} else {
		for (val->p = p; p < end && is_tchar(*p); p++)
			continue;
		if ((val->n = (size_t)(p - val->p)) == 0)
			return -1;
	}
	*pp = p;
	return 1;
}

/*
 * The parameter called key (lower case) of the header value p[0..end)
 * whose first element is type: 1..max bytes, once. false when the value
 * is not of that type, is malformed, or the parameter is missing, empty,
 * too long or given twice.
 */
static bool
header_param(const char *p, const char *end, const char *type,
    const char *key, size_t max, struct span *out)
{
	struct span	 name, val;
	bool		 found = false;
	int		 rc;

	if (!media_is(p, end, type, &p))
		return false;
	while ((rc = next_param(&p, end, &name, &val)) == 1) {
		if (!span_is(name, key))
			continue;
		if (found)
			return false;
		found = true;
		*out = val;
	}
	return rc == 0 && found && out->n > 0 && out->n <= max;
}

/* A multipart boundary (RFC 2046 bchars, not ending in a blank). */
static bool
boundary_ok(struct span b)
{
	static const char	 extra[] = "'()+_,-./:=? ";

	for (size_t i = 0; i < b.n; i++)
		if (!((b.p[i] >= 'a' && b.p[i] <= 'z') ||
		    (b.p[i] >= 'A' && b.p[i] <= 'Z') ||
		    (b.p[i] >= '0' && b.p[i] <= '9') ||
		    memchr(extra, b.p[i], sizeof(extra) - 1) != NULL))
			return false;
	return b.n > 0 && b.p[b.n - 1] != ' ';
}

/* The first needle[0..nn) in hay[0..nh), or NULL. nn > 0. */
static const char *
memfind(const char *hay, size_t nh, const char *needle, size_t nn)
{
	const char	*p, *end = hay + nh;

	for (p = hay; (size_t)(end - p) >= nn; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) - nn + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, nn) == 0)
			return p;
	}
	return NULL;
}

/*
 * The form-data name among a part's header lines h[0..end) (CRLF between
 * them, none after the last), and its filename (file->p NULL when there
 * is none). false when a line is not "Name: value" without control
 * characters, or the Content-Disposition is missing, given twice, or has
 * no usable name.
 */
static bool
part_name(const char *h, const char *end, struct span *name,
    struct span *file)
{
	const char	*eol, *colon, *v;
	struct span	 hn;
	bool		 found = false;

	for (;;) {
		if ((eol = memfind(h, (size_t)(end - h), "\r\n", 2)) == NULL)
			eol = end;
		if ((colon = memchr(h, ':', (size_t)(eol - h))) == NULL)
			return false;
		for (hn.p = h, hn.n = 0; h + hn.n < colon; hn.n++)
			if (!is_tchar(h[hn.n]))
				return false;
		for (v = colon + 1; v < eol; v++)
			if (is_ctl(*v))
				return false;
		if (hn.n == 0)
			return false;
		if (span_is(hn, "content-disposition")) {
			if (found || !header_param(colon + 1, eol, "form-data",
			    "name", SIZE_MAX, name))
				return false;
			if (!header_param(colon + 1, eol, "form-data",
			    "filename", SIZE_MAX, file))
				file->p = NULL;
			found = true;
		}
		if (eol == end)
			return found;
		h = eol + 2;
	}
}

/*
 * A file part's name as the browser sent it, for messages: the last
 * path element, valid UTF-8 without control characters, at most
 * REQ_FILENAME_MAX bytes; "" when it is none of these. NULL on -1.
 */
static char *
file_name(struct span f)
{
	const char	*p = f.p, *end = f.p + f.n;

	for (const char *q = p; q < end; q++)
		if (*q == '/' || *q == '\\')
			p = q + 1;
	if ((size_t)(end - p) > REQ_FILENAME_MAX ||
	    !req_utf8_valid(p, (size_t)(end - p)))
		end = p;
	for (const char *q = p; q < end; q++)
		if (is_ctl(*q))
			end = p;
	return copy(p, (size_t)(end - p));
}

/* Note the file part name (file's name, bad: not UTF-8) in r: 0 or -1. */
static int
upload_add(struct req *r, struct span name, struct span file, bool bad)
{
	struct req_upload	*p;

	if ((p = grow(r->uploads, r->nuploads + 1, sizeof(*p))) == NULL)
		return -1;
	r->uploads = p;
	p += r->nuploads;
	memset(p, 0, sizeof(*p));
	if ((p->field = copy(name.p, name.n)) == NULL ||
	    (p->filename = file_name(file)) == NULL) {
		free(p->field);
		return -1;
	}
	p->not_utf8 = bad;
	r->nuploads++;
	return 0;
}

/*
 * Add the part name = v[0..vlen) to l: REQ_OK, a bad-input status, -1.
 * A file part (file.p not NULL) is noted in l->up when there is one; then
 * its bytes, when they are not UTF-8, are dropped (the value is "").
 */
static int
add_part(struct kvlist *l, struct span name, struct span file,
    const char *v, size_t vlen)
{
	char	*key, *val;
	bool	 bad;

	if (name.n > REQ_KEY_MAX)
		return REQ_KEY_TOO_LONG;
	if (memchr(name.p, '\0', name.n) != NULL ||
	    memchr(v, '\0', vlen) != NULL)
		return REQ_NUL;
	bad = !req_utf8_valid(v, vlen);
	if (!req_utf8_valid(name.p, name.n) ||
	    (bad && (file.p == NULL || l->up == NULL)))
		return REQ_BAD_UTF8;
	if ((key = copy(name.p, name.n)) == NULL)
		return -1;
	if ((val = copy(v, bad ? 0 : vlen)) == NULL) {
		free(key);
		return -1;
	}
	if (kvlist_add(l, key, val, bad ? 0 : vlen) == -1)
		return -1;
	return file.p != NULL && l->up != NULL &&
	    upload_add(l->up, name, file, bad) == -1 ? -1 : REQ_OK;
}

/*
 * The parts after the first delimiter: p is just past it, d the
 * delimiter with its CRLF (dlen bytes). Adds each to l until the
 * closing delimiter; its status.
 */
static int
parts(struct kvlist *l, size_t had, const char *p, const char *end,
    const char *d, size_t dlen)
{
	const char	*hend, *next;
	struct span	 name, file;
	size_t		 hmax;
	int		 rc;

	for (;;) {
		if (end - p >= 2 && memcmp(p, "--", 2) == 0)
			return l->n > 0 ? REQ_OK : REQ_BAD_MULTIPART;
		p = skip_blank(p, end);		/* transport padding */
		if (end - p < 2 || memcmp(p, "\r\n", 2) != 0)
			return REQ_BAD_MULTIPART;
		p += 2;
		if (l->n == REQ_PARTS_MAX || had + l->n >= REQ_FIELDS_MAX)
			return REQ_TOO_MANY;
		hmax = (size_t)(end - p);
		if (hmax > REQ_PART_HEAD_MAX + 4)
			hmax = REQ_PART_HEAD_MAX + 4;
		if ((hend = memfind(p, hmax, "\r\n\r\n", 4)) == NULL ||
		    !part_name(p, hend, &name, &file))
			return REQ_BAD_MULTIPART;
		p = hend + 4;
		if ((next = memfind(p, (size_t)(end - p), d, dlen)) == NULL)
			return REQ_BAD_MULTIPART;
		if ((rc = add_part(l, name, file, p, (size_t)(next - p))) !=
		    REQ_OK)
			return rc;
		p = next + dlen;
	}
}

/* req_parse_multipart, noting file parts in up when it is not NULL. */
static int
multipart(struct req_kv **kv, size_t *n, struct req *up, const char *ctype,
    const char *body, size_t len)
{
	struct kvlist	 l;
	struct span	 b;
	char		 d[4 + REQ_BOUNDARY_MAX];
	const char	*p;
	size_t		 dlen;

	assert(kv != NULL && n != NULL);
	assert(body != NULL || len == 0);
	memset(&l, 0, sizeof(l));
	l.up = up;
	if (len > REQ_BODY_MAX)
		return REQ_TOO_LARGE;
	if (ctype == NULL || len == 0 ||
	    !header_param(ctype, ctype + strlen(ctype), MULTIPART_TYPE,
	    "boundary", REQ_BOUNDARY_MAX, &b) || !boundary_ok(b))
		return REQ_BAD_MULTIPART;
	memcpy(d, "\r\n--", 4);
	memcpy(d + 4, b.p, b.n);
	dlen = 4 + b.n;
	/* The first delimiter opens the body, or a line after a preamble. */
	if (len >= dlen - 2 && memcmp(body, d + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = memfind(body, len, d, dlen)) != NULL)
		p += dlen;
	else
		return REQ_BAD_MULTIPART;
	return kvlist_finish(&l, kv, n, parts(&l, *n, p, body + len, d,
	    dlen));
}

int
req_parse_multipart(struct req_kv **kv, size_t *n, const char *ctype,
    const char *body, size_t len)
{
	return multipart(kv, n, NULL, ctype, body, len);
}

/* Copy envp's value of name into *out; NULL when absent. */
static int
dup_env(char **out, char *const *envp, const char *name)
{
	const char	*v;

	if ((v = req_env(envp, name)) == NULL)
		return 0;
	if ((*out = copy(v, strlen(v))) == NULL)
		return -1;
	return 0;
}

/*
 * Checks run in this order and the first failure is returned: path,
 * body size, content type and raw NUL, query fields, body fields.
 * Everything parsed before a failure stays in r for the caller to use
 * (method, path, host, cookies), and req_free releases it. r is
 * overwritten, so it must not own anything yet. With upload, a POST
 * body may be multipart/form-data too.
 */
static int
parse(struct req *r, char *const *envp, const char *body, size_t len,
    bool upload)
{
	const char	*v, *q, *type;
	size_t		 plen;
	bool		 multi;
	int		 rc;

	assert(r != NULL);
	assert(body != NULL || len == 0);
	memset(r, 0, sizeof(*r));

	r->method = parse_method(req_env(envp, "REQUEST_METHOD"));

	if ((v = req_env(envp, "DOCUMENT_URI")) != NULL && *v != '\0')
		plen = strlen(v);
	else if ((v = req_env(envp, "REQUEST_URI")) != NULL)
		plen = (q = strchr(v, '?')) != NULL ? (size_t)(q - v) :
		    strlen(v);
	else
		return REQ_BAD_PATH;
	if (!path_ok(v, plen))
		return REQ_BAD_PATH;
	if ((r->path = copy(v, plen)) == NULL)
		return -1;

	if (dup_env(&r->origin, envp, "HTTP_ORIGIN") == -1 ||
	    dup_env(&r->fetch_site, envp, "HTTP_SEC_FETCH_SITE") == -1 ||
	    dup_env(&r->host, envp, "HTTP_HOST") == -1 ||
	    dup_env(&r->remote_addr, envp, "REMOTE_ADDR") == -1)
		return -1;
	v = req_env(envp, "HTTPS");
	r->https = v != NULL && lower(v[0]) == 'o' && lower(v[1]) == 'n' &&
	    v[2] == '\0';
	r->json = accepts_json(req_env(envp, "HTTP_ACCEPT"));
	if (req_parse_cookies(&r->cookies, &r->ncookies,
	    req_env(envp, "HTTP_COOKIE")) == -1)
		return -1;

	if (r->method != REQ_POST)
		len = 0;
	if (len > REQ_BODY_MAX)
		return REQ_TOO_LARGE;
	type = req_env(envp, "CONTENT_TYPE");
	multi = upload && r->method == REQ_POST && type != NULL &&
	    media_is(type, type + strlen(type), MULTIPART_TYPE, NULL);
	if (len > 0 && !multi && !is_form_type(type))
		return REQ_BAD_TYPE;
	if (len > 0 && memchr(body, '\0', len) != NULL)
		return REQ_NUL;

	if ((v = req_env(envp, "QUERY_STRING")) != NULL &&
	    (rc = req_parse_urlencoded(&r->fields, &r->nfields, v,
	    strlen(v))) != REQ_OK)
		return rc;
	if (multi)
		return multipart(&r->fields, &r->nfields, r, type, body,
		    len);
	return req_parse_urlencoded(&r->fields, &r->nfields, body, len);
}

int
req_parse(struct req *r, char *const *envp, const char *body, size_t len)
{
	return parse(r, envp, body, len, false);
}

int
req_parse_upload(struct req *r, char *const *envp, const char *body,
    size_t len)
{
	return parse(r, envp, body, len, true);
}

void
req_free(struct req *r)
{
	if (r == NULL)
		return;
	free(r->path);
	free(r->origin);
	free(r->fetch_site);
	free(r->host);
	free(r->remote_addr);
	kv_free(r->fields, r->nfields);
	kv_free(r->cookies, r->ncookies);
	for (size_t i = 0; i < r->nuploads; i++) {
		free(r->uploads[i].field);
		free(r->uploads[i].filename);
	}
	free(r->uploads);
	memset(r, 0, sizeof(*r));
}

static const char *
find(const struct req_kv *kv, size_t n, const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, name) == 0)
			return kv[i].val;
	return NULL;
}

const char *
req_field(const struct req *r, const char *name)
{
	return r == NULL ? NULL : find(r->fields, r->nfields, name);
}

const struct req_upload *
req_file(const struct req *r, const char *name)
{
	for (size_t i = 0; r != NULL && i < r->nuploads; i++)
		if (strcmp(r->uploads[i].field, name) == 0)
			return &r->uploads[i];
	return NULL;
}

const char *
req_cookie(const struct req *r, const char *name)
{
	return r == NULL ? NULL : find(r->cookies, r->ncookies, name);
}

int
req_status_code(int status)
{
	if (status < 0 || status >= REQ_STATUS__MAX)
		return STATUS_FAIL_CODE;
	return statuses[status].code;
}

const char *
req_status_text(int status)
{
	if (status < 0 || status >= REQ_STATUS__MAX)
		return STATUS_FAIL_TEXT;
	return statuses[status].text;
}

bool
req_text_ok(const char *s, size_t max)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > max || !req_utf8_valid(s, n))
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

bool
req_word_ok(const char *s, size_t max, const char *extra)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return false;
	return true;
}

/* The code point at s (valid UTF-8) and its length in *n. */
static wint_t
code_point(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if (s[0] < 0xe0) {
		*n = 2;
		return (wint_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if (s[0] < 0xf0) {
		*n = 3;
		return (wint_t)(s[0] & 0x0f) << 12 |
		    (wint_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	*n = 4;
	return (wint_t)(s[0] & 0x07) << 18 | (wint_t)(s[1] & 0x3f) << 12 |
	    (wint_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

/* A letter or digit of any script (ASCII only without C.UTF-8). */
static bool
alnum_any(wint_t c)
{
	static locale_t	 utf8;
	static bool	 tried;

	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	if (c < 0x80)
		return false;
	if (!tried) {
		tried = true;
		if ((utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8",
		    (locale_t)0)) == (locale_t)0)
			log_warn("req: no C.UTF-8 locale: codes take ASCII "
			    "letters and digits only");
	}
	return utf8 != (locale_t)0 && iswalnum_l(c, utf8);
}

bool
req_code_ok(const char *s, size_t max, const char *extra, bool spaces)
{
	size_t	 len = strlen(s), i, n, chars = 0;
	wint_t	 c;

	if (len == 0 || !req_utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i += n, chars++) {
		c = code_point((const unsigned char *)s + i, &n);
		if (c == ' ' && spaces && i > 0 && i + 1 < len &&
		    s[i - 1] != ' ')
			continue;
		if (!alnum_any(c) &&
		    (c == ' ' || c >= 0x80 || strchr(extra, (int)c) == NULL))
			return false;
	}
	return chars <= max;
}

bool
req_email_ok(const char *s)
{
	const char	*at = strchr(s, '@');

	return req_text_ok(s, 254) && at != NULL && at != s &&
	    at[1] != '\0' && strchr(at + 1, '@') == NULL &&
	    strpbrk(s, " ,;<>\"") == NULL;
}
