/*
 * check_req: table-driven tests of req.c, hostile input in every table.
 * Never reads the real environment and never depends on test order.
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "check-run.h"
#include "base/req.h"

/* A string literal and its length, NUL bytes included. */
#define S(x)		(x), (sizeof(x) - 1)
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define PAIRS_MAX	6	/* expected key/value pairs in a table row */
#define ENV_MAX		24	/* envp entries in a table row */

/* The nginx fastcgi_params every request row carries. */
#define NGINX_ENV							\
	"GATEWAY_INTERFACE=CGI/1.1", "SERVER_SOFTWARE=nginx/1.24.0",	\
	"SERVER_PROTOCOL=HTTP/1.1", "REMOTE_ADDR=192.0.2.7",		\
	"REMOTE_PORT=51514", "SERVER_ADDR=127.0.0.1", "SERVER_PORT=8080", \
	"SERVER_NAME=survey.example.org", "HTTP_HOST=survey.example.org", \
	"HTTP_USER_AGENT=Mozilla/5.0", "SCRIPT_NAME=/s"

/*
 * Compare kv[0..n) with want: key, value, key, value, ..., NULL.
 */
static void
check_kv(const struct req_kv *kv, size_t n, const char *const *want,
    int row)
{
	size_t	 i, nwant;

	for (nwant = 0; want[2 * nwant] != NULL; nwant++)
		continue;
	ck_assert_msg(n == nwant, "row %d: %zu pairs, want %zu", row, n,
	    nwant);
	for (i = 0; i < n; i++) {
		ck_assert_msg(strcmp(kv[i].key, want[2 * i]) == 0,
		    "row %d pair %zu: key \"%s\", want \"%s\"", row, i,
		    kv[i].key, want[2 * i]);
		ck_assert_msg(strcmp(kv[i].val, want[2 * i + 1]) == 0,
		    "row %d pair %zu: value \"%s\", want \"%s\"", row, i,
		    kv[i].val, want[2 * i + 1]);
		ck_assert_msg(kv[i].vlen == strlen(kv[i].val),
		    "row %d pair %zu: vlen %zu", row, i, kv[i].vlen);
	}
}

static void
free_kv(struct req_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

/* -- req_utf8_valid ------------------------------------------------- */

static const struct {
	const char	*in;
	size_t		 len;
	bool		 valid;
} utf8_rows[] = {
	{ S(""), true },
	{ S("plain ASCII ~!@#"), true },
	{ S("a\0b"), true },			/* valid; refused apart */
	{ S("Z\xc3\xbcrich"), true },		/* Zürich */
	{ S("\xc3\x85sa O'Connor-Nguy\xe1\xbb\x85n"), true },
	{ S("\xf0\x9f\x98\x80"), true },	/* U+1F600, not in the BMP */
	{ S("\xc2\x80"), true },		/* U+0080, lowest 2 bytes */
	{ S("\xdf\xbf"), true },		/* U+07FF */
	{ S("\xe0\xa0\x80"), true },		/* U+0800, lowest 3 bytes */
	{ S("\xed\x9f\xbf"), true },		/* U+D7FF */
	{ S("\xee\x80\x80"), true },		/* U+E000 */
	{ S("\xef\xbf\xbf"), true },		/* U+FFFF */
	{ S("\xf0\x90\x80\x80"), true },	/* U+10000, lowest 4 bytes */
	{ S("\xf4\x8f\xbf\xbf"), true },	/* U+10FFFF, the last */
	{ S("\xc0\xaf"), false },		/* overlong '/' */
	{ S("\xc0\x80"), false },		/* overlong NUL */
	{ S("\xc1\xbf"), false },		/* overlong U+007F */
	{ S("\xe0\x80\xaf"), false },		/* overlong '/' in 3 */
	{ S("\xe0\x9f\xbf"), false },		/* overlong U+07FF */
	{ S("\xf0\x80\x80\xaf"), false },	/* overlong '/' in 4 */
	{ S("\xf0\x8f\xbf\xbf"), false },	/* overlong U+FFFF */
	{ S("\xed\xa0\x80"), false },		/* U+D800 */
	{ S("\xed\xbf\xbf"), false },		/* U+DFFF */
	{ S("\xed\xa0\xbd\xed\xb8\x80"), false }, /* CESU-8 pair */
	{ S("\xf4\x90\x80\x80"), false },	/* U+110000 */
	{ S("\xf5\x80\x80\x80"), false },
	{ S("\xf8\x88\x80\x80\x80"), false },	/* old 5-byte form */
	{ S("\xfe"), false },
	{ S("\xff"), false },
	{ S("\x80"), false },			/* stray continuation */
	{ S("a\xbf" "b"), false },
	{ S("\xc3"), false },			/* truncated 2 */
	{ S("\xe2\x82"), false },		/* truncated 3 */
	{ S("\xf0\x9f\x98"), false },		/* truncated 4 */
	{ S("\xc3" "a"), false },		/* lead then ASCII */
	{ S("\xe2\x82" "a"), false },
	{ S("\xf0\x9f\x98" "a"), false },
	{ S("\xe2\x28\xa1"), false },		/* bad second byte */
	{ S("ok\xc3\xbc\xc3"), false },		/* then truncated */
};

START_TEST(test_utf8)
{
	ck_assert_msg(req_utf8_valid(utf8_rows[_i].in, utf8_rows[_i].len) ==
	    utf8_rows[_i].valid, "row %d", _i);
}
END_TEST

/* -- req_text_ok, req_word_ok, req_email_ok ------------------------ */

static const struct {
	const char	*in;
	size_t		 max;
	bool		 text, word, email;	/* word: extra "-" */
} check_rows[] = {
	{ "Freiburg", 8, true, true, false },
	{ "Freiburg", 7, false, false, false },	/* one byte too long */
	{ "", 8, false, false, false },
	{ "M\xc3\xbcnchen", 10, true, false, false },	/* UTF-8 text */
	{ "M\xc3nchen", 10, false, false, false },	/* broken UTF-8 */
	{ "a\tb", 8, false, false, false },		/* control character */
	{ "a\x7f" "b", 8, false, false, false },	/* DEL */
	{ "sf-41", 8, true, true, false },
	{ "sf_41", 8, true, false, false },		/* not in extra */
	{ "a@b", 254, true, false, true },
	{ "@b", 254, true, false, false },
	{ "a@", 254, true, false, false },
	{ "a@b@c", 254, true, false, false },
	{ "a b@c", 254, true, false, false },
	{ "a@b,c@d", 254, true, false, false },
	{ "<a@b>", 254, true, false, false },
};

START_TEST(test_checks)
{
	const char	*in = check_rows[_i].in;
	size_t		 max = check_rows[_i].max;

	ck_assert_msg(req_text_ok(in, max) == check_rows[_i].text, "row %d",
	    _i);
	ck_assert_msg(req_word_ok(in, max, "-") == check_rows[_i].word,
	    "row %d", _i);
	if (max == 254)
		ck_assert_msg(req_email_ok(in) == check_rows[_i].email,
		    "row %d", _i);
}
END_TEST

/* -- req_parse_urlencoded ------------------------------------------- */

static const struct {
	const char	*in;
	size_t		 len;
	int		 status;
	const char	*want[2 * PAIRS_MAX + 1];
} form_rows[] = {
	{ S(""), REQ_OK, { NULL } },
	{ S("a=1&b=2"), REQ_OK, { "a", "1", "b", "2" } },
	{ S("a=1&&b=2"), REQ_OK, { "a", "1", "b", "2" } },
	{ S("&a=1&"), REQ_OK, { "a", "1" } },
	{ S("&&&"), REQ_OK, { NULL } },
	{ S("a"), REQ_OK, { "a", "" } },
	{ S("a="), REQ_OK, { "a", "" } },
	{ S("a=&b"), REQ_OK, { "a", "", "b", "" } },
	{ S("=x"), REQ_OK, { "", "x" } },
	{ S("a=b=c"), REQ_OK, { "a", "b=c" } },
	{ S("a+b=c+d"), REQ_OK, { "a b", "c d" } },
	{ S("a=1+%2B+1"), REQ_OK, { "a", "1 + 1" } },
	{ S("a=++"), REQ_OK, { "a", "  " } },
	{ S("a=%41%62%7e"), REQ_OK, { "a", "Ab~" } },
	{ S("a=%4a%4A"), REQ_OK, { "a", "JJ" } },
	{ S("%26=%3D&%3D=%26"), REQ_OK, { "&", "=", "=", "&" } },
	{ S("a=%25"), REQ_OK, { "a", "%" } },
	{ S("t=line%0D%0Anext"), REQ_OK, { "t", "line\r\nnext" } },
	{ S("city=Z%C3%BCrich"), REQ_OK, { "city", "Z\xc3\xbcrich" } },
	{ S("city=Z\xc3\xbcrich"), REQ_OK, { "city", "Z\xc3\xbcrich" } },
	{ S("name=%C3%85sa+O%27Connor-Nguy%E1%BB%85n"), REQ_OK,
	    { "name", "\xc3\x85sa O'Connor-Nguy\xe1\xbb\x85n" } },
	{ S("e=%F0%9F%98%80"), REQ_OK, { "e", "\xf0\x9f\x98\x80" } },
	{ S("m=%F4%8F%BF%BF"), REQ_OK, { "m", "\xf4\x8f\xbf\xbf" } },
	{ S("%C3%BC=1"), REQ_OK, { "\xc3\xbc", "1" } },
	{ S("a=1&A=2"), REQ_OK, { "a", "1", "A", "2" } },
	/* Bad escapes, in names and values. */
	{ S("a=%"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%4"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%zz"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%%"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%%41"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%4g"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%g4"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=% 1"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%+1"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%-1"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%4&1=b"), REQ_BAD_ESCAPE, { NULL } },
	{ S("%=1"), REQ_BAD_ESCAPE, { NULL } },
	{ S("%zz=1"), REQ_BAD_ESCAPE, { NULL } },
	{ S("ok=1&a%"), REQ_BAD_ESCAPE, { NULL } },
	{ "a=%41", 3, REQ_BAD_ESCAPE, { NULL } },	/* cut by len */
	{ "a=%41", 4, REQ_BAD_ESCAPE, { NULL } },
	{ "a=%41", 5, REQ_OK, { "a", "A" } },
	/* NUL bytes, decoded and raw. */
	{ S("a=%00"), REQ_NUL, { NULL } },
	{ S("a=x%00y"), REQ_NUL, { NULL } },
	{ S("%00=1"), REQ_NUL, { NULL } },
	{ S("a=x\0y"), REQ_NUL, { NULL } },
	{ S("a\0=1"), REQ_NUL, { NULL } },
	/* Invalid UTF-8 after decoding. */
	{ S("a=%C0%AF"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%C0%80"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%E0%80%AF"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%F0%80%80%AF"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%ED%A0%80"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%ED%BF%BF"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%F4%90%80%80"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%C3"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%E2%82"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%F0%9F%98"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%80"), REQ_BAD_UTF8, { NULL } },
	{ S("a=%FF"), REQ_BAD_UTF8, { NULL } },
	{ S("a=\xc3"), REQ_BAD_UTF8, { NULL } },
	{ S("%C0%AF=1"), REQ_BAD_UTF8, { NULL } },
	{ S("%ED%A0%80"), REQ_BAD_UTF8, { NULL } },
	/* Duplicates, also when they differ only before decoding. */
	{ S("a=1&a=2"), REQ_DUPLICATE, { NULL } },
	{ S("a&a"), REQ_DUPLICATE, { NULL } },
	{ S("a=1&b=2&a=3"), REQ_DUPLICATE, { NULL } },
	{ S("a+b=1&a%20b=2"), REQ_DUPLICATE, { NULL } },
	{ S("%61=1&a=2"), REQ_DUPLICATE, { NULL } },
	{ S("=1&=2"), REQ_DUPLICATE, { NULL } },
	/* The first problem is the one reported. */
	{ S("a=1&a=2&b=%zz"), REQ_DUPLICATE, { NULL } },
	{ S("b=%zz&a=1&a=2"), REQ_BAD_ESCAPE, { NULL } },
	{ S("a=%00&b=%C0%AF"), REQ_NUL, { NULL } },
};

START_TEST(test_urlencoded)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	int		 rc;

	rc = req_parse_urlencoded(&kv, &n, form_rows[_i].in,
	    form_rows[_i].len);
	ck_assert_msg(rc == form_rows[_i].status,
	    "row %d \"%s\": status %d, want %d", _i, form_rows[_i].in, rc,
	    form_rows[_i].status);
	if (rc == REQ_OK)
		check_kv(kv, n, form_rows[_i].want, _i);
	else
		ck_assert_msg(n == 0, "row %d: %zu pairs kept on failure",
		    _i, n);
	free_kv(kv, n);
}
END_TEST

/* n fields "f0=v&f1=v&..." with empty segments mixed in. */
static char *
make_fields(const char *prefix, size_t n)
{
	struct buf	 b;

	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(buf_printf(&b, "%s%s%zu=v%s",
		    i > 0 ? "&" : "", prefix, i, i % 100 == 0 ? "&&" : ""), 0);
	return buf_take(&b);
}

START_TEST(test_fields_max)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	char		*s;

	s = make_fields("f", REQ_FIELDS_MAX);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, s, strlen(s)), REQ_OK);
	ck_assert_uint_eq(n, REQ_FIELDS_MAX);
	ck_assert_str_eq(kv[REQ_FIELDS_MAX - 1].key, "f999");
	free_kv(kv, n);
	free(s);

	kv = NULL;
	n = 0;
	s = make_fields("f", REQ_FIELDS_MAX + 1);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, s, strlen(s)),
	    REQ_TOO_MANY);
	ck_assert_uint_eq(n, 0);
	free_kv(kv, n);
	free(s);
}
END_TEST

/* The cap counts what *kv already holds, as for query then body. */
START_TEST(test_fields_max_appended)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	char		*s;

	s = make_fields("q", REQ_FIELDS_MAX - 1);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, s, strlen(s)), REQ_OK);
	free(s);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("x=1&y=2")),
	    REQ_TOO_MANY);
	ck_assert_uint_eq(n, REQ_FIELDS_MAX - 1);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("x=1&&")), REQ_OK);
	ck_assert_uint_eq(n, REQ_FIELDS_MAX);
	ck_assert_str_eq(kv[n - 1].key, "x");
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("&&")), REQ_OK);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("z")),
	    REQ_TOO_MANY);
	ck_assert_uint_eq(n, REQ_FIELDS_MAX);
	free_kv(kv, n);
}
END_TEST

/* Names are measured after decoding, in bytes. */
static const struct {
	const char	*unit;		/* one unit of the name */
	size_t		 bytes;		/* a unit decoded */
	size_t		 units;
	int		 status;
} key_rows[] = {
	{ "k", 1, REQ_KEY_MAX, REQ_OK },
	{ "k", 1, REQ_KEY_MAX + 1, REQ_KEY_TOO_LONG },
	{ "%6B", 1, REQ_KEY_MAX, REQ_OK },
	{ "%6B", 1, REQ_KEY_MAX + 1, REQ_KEY_TOO_LONG },
	{ "+", 1, REQ_KEY_MAX, REQ_OK },
	{ "%C3%A9", 2, REQ_KEY_MAX / 2, REQ_OK },
	{ "%C3%A9", 2, REQ_KEY_MAX / 2 + 1, REQ_KEY_TOO_LONG },
	{ "\xc3\xa9", 2, REQ_KEY_MAX / 2, REQ_OK },
	{ "%F0%9F%98%80", 4, REQ_KEY_MAX / 4, REQ_OK },
	{ "%F0%9F%98%80", 4, REQ_KEY_MAX / 4 + 1, REQ_KEY_TOO_LONG },
};

START_TEST(test_key_max)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	struct buf	 b;
	int		 rc;

	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < key_rows[_i].units; i++)
		ck_assert_int_eq(buf_puts(&b, key_rows[_i].unit), 0);
	ck_assert_int_eq(buf_puts(&b, "=value"), 0);
	rc = req_parse_urlencoded(&kv, &n, b.data, b.len);
	ck_assert_msg(rc == key_rows[_i].status, "row %d: status %d", _i,
	    rc);
	if (rc == REQ_OK) {
		ck_assert_uint_eq(n, 1);
		ck_assert_uint_eq(strlen(kv[0].key),
		    key_rows[_i].bytes * key_rows[_i].units);
		ck_assert_str_eq(kv[0].val, "value");
	}
	free_kv(kv, n);
	buf_free(&b);
}
END_TEST

/* Appending: a failed call leaves what was there untouched. */
START_TEST(test_urlencoded_append)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	const char	*want[] = { "a", "1", "b", "", "c", "3", NULL };

	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("a=1")), REQ_OK);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("b&c=3")), REQ_OK);
	check_kv(kv, n, want, 0);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("d=4&a=5")),
	    REQ_DUPLICATE);
	check_kv(kv, n, want, 1);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("d=4&e=%")),
	    REQ_BAD_ESCAPE);
	check_kv(kv, n, want, 2);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, NULL, 0), REQ_OK);
	check_kv(kv, n, want, 3);
	free_kv(kv, n);
}
END_TEST

/* -- req_parse_cookies ---------------------------------------------- */

static const struct {
	const char	*in;
	const char	*want[2 * PAIRS_MAX + 1];
} cookie_rows[] = {
	{ "", { NULL } },
	{ "sid=abc", { "sid", "abc" } },
	{ "a=1; b=2", { "a", "1", "b", "2" } },
	{ "a=1;b=2", { "a", "1", "b", "2" } },
	{ "  a=1  ;\t b=2\t", { "a", "1", "b", "2" } },
	{ ";;a=1;; ;", { "a", "1" } },
	{ "a = 1", { "a", "1" } },
	{ "junk; a=1", { "a", "1" } },
	{ "=x; a=1", { "a", "1" } },
	{ " = x ;a=1", { "a", "1" } },
	{ "a=; b=2", { "a", "", "b", "2" } },
	{ "a=\"q v\"", { "a", "q v" } },
	{ "a=\"\"", { "a", "" } },
	{ "a=\"", { "a", "\"" } },
	{ "a=\"x", { "a", "\"x" } },
	{ "a=x\"", { "a", "x\"" } },
	{ "a=b=c", { "a", "b=c" } },
	{ "sid=%41%00+", { "sid", "%41%00+" } },	/* not decoded */
	{ "city=Z\xc3\xbcrich", { "city", "Z\xc3\xbcrich" } },
	{ "a=1; a=2", { "a", "1", "a", "2" } },
	{ "a=\xc3; b=2", { "b", "2" } },
	{ "a=\xc0\xaf; b=2", { "b", "2" } },
	{ "\xed\xa0\x80=1; b=2", { "b", "2" } },
	{ "a=\xf4\x90\x80\x80; b=2", { "b", "2" } },
	{ "a=\"\xff\"; b=2", { "b", "2" } },
	{ "a=x\x01y; b=2", { "b", "2" } },
	{ "a\x7f=1; b=2", { "b", "2" } },
	{ "a=x\ty; b=2", { "b", "2" } },
	{ "a=\r\n; b=2", { "b", "2" } },
	{ "a\x1b[31m=1; b=2", { "b", "2" } },
	{ ";;;===;;;", { NULL } },
	{ "novalue", { NULL } },
};

START_TEST(test_cookies)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;

	ck_assert_int_eq(req_parse_cookies(&kv, &n, cookie_rows[_i].in), 0);
	check_kv(kv, n, cookie_rows[_i].want, _i);
	free_kv(kv, n);
}
END_TEST

START_TEST(test_cookies_max)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	struct buf	 b;

	/* Junk does not use up the allowance; the first ones are kept. */
	buf_init(&b, 64 * 1024);
	for (size_t i = 0; i < REQ_COOKIES_MAX + 8; i++)
		ck_assert_int_eq(buf_printf(&b, "junk%zu; =x; c%zu=%zu; ",
		    i, i, i), 0);
	ck_assert_int_eq(req_parse_cookies(&kv, &n, b.data), 0);
	ck_assert_uint_eq(n, REQ_COOKIES_MAX);
	ck_assert_str_eq(kv[0].key, "c0");
	ck_assert_str_eq(kv[REQ_COOKIES_MAX - 1].key, "c31");

	/* A full list takes no more. */
	ck_assert_int_eq(req_parse_cookies(&kv, &n, "late=1"), 0);
	ck_assert_uint_eq(n, REQ_COOKIES_MAX);
	free_kv(kv, n);

	/* The cap counts what the list already held. */
	kv = NULL;
	n = 0;
	buf_reset(&b);
	for (size_t i = 0; i < REQ_COOKIES_MAX - 2; i++)
		ck_assert_int_eq(buf_printf(&b, "c%zu=%zu;", i, i), 0);
	ck_assert_int_eq(req_parse_cookies(&kv, &n, b.data), 0);
	ck_assert_int_eq(req_parse_cookies(&kv, &n, "x=1; y=2; z=3"), 0);
	ck_assert_uint_eq(n, REQ_COOKIES_MAX);
	ck_assert_str_eq(kv[n - 1].key, "y");
	ck_assert_int_eq(req_parse_cookies(&kv, &n, NULL), 0);
	ck_assert_uint_eq(n, REQ_COOKIES_MAX);
	free_kv(kv, n);
	buf_free(&b);
}
END_TEST

/* -- req_env -------------------------------------------------------- */

static char *const env_fixture[] = {
	"HTTP_HOSTX=no", "HTTP_HOS=no", "HTTP_HOST=yes", "HTTP_HOST=second",
	"NOEQUALS", "EMPTY=", "A=b=c", NULL
};

static const struct {
	const char	*name;
	const char	*want;
} env_rows[] = {
	{ "HTTP_HOST", "yes" },
	{ "HTTP_HOS", "no" },
	{ "HTTP_HOSTX", "no" },
	{ "HTTP", NULL },
	{ "NOEQUALS", NULL },
	{ "EMPTY", "" },
	{ "A", "b=c" },
	{ "MISSING", NULL },
	{ "", NULL },
};

START_TEST(test_env)
{
	const char	*v;

	v = req_env(env_fixture, env_rows[_i].name);
	if (env_rows[_i].want == NULL)
		ck_assert_msg(v == NULL, "row %d: \"%s\"", _i, v);
	else
		ck_assert_msg(v != NULL && strcmp(v, env_rows[_i].want) == 0,
		    "row %d: \"%s\"", _i, v != NULL ? v : "(null)");
	ck_assert_ptr_null(req_env(NULL, env_rows[_i].name));
}
END_TEST

/* -- req_parse ------------------------------------------------------ */

static const struct {
	char		*env[ENV_MAX];
	const char	*body;
	size_t		 len;
	int		 status;
	enum req_method	 method;
	const char	*path;		/* NULL: none expected */
	const char	*want[2 * PAIRS_MAX + 1]; /* fields, when REQ_OK */
} parse_rows[] = {
	/* 0: a GET with a query. */
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/s/card",
	    "REQUEST_URI=/s/card?x=1&city=Z%C3%BCrich",
	    "QUERY_STRING=x=1&city=Z%C3%BCrich", "CONTENT_TYPE=",
	    "CONTENT_LENGTH=", NULL },
	  NULL, 0, REQ_OK, REQ_GET, "/s/card",
	  { "x", "1", "city", "Z\xc3\xbcrich" } },
	/* 1: HEAD, no query at all. */
	{ { NGINX_ENV, "REQUEST_METHOD=HEAD", "DOCUMENT_URI=/", NULL },
	  NULL, 0, REQ_OK, REQ_HEAD, "/", { NULL } },
	/* 2: a POST: query fields first, then body fields. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s/card",
	    "QUERY_STRING=step=2",
	    "CONTENT_TYPE=application/x-www-form-urlencoded",
	    "CONTENT_LENGTH=39", NULL },
	  S("name=%C3%85sa+O%27Connor-Nguy%E1%BB%85n"), REQ_OK, REQ_POST,
	  "/s/card",
	  { "step", "2", "name", "\xc3\x85sa O'Connor-Nguy\xe1\xbb\x85n" } },
	/* 3: charset parameter, any case. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=Application/X-WWW-Form-URLEncoded; charset=UTF-8",
	    NULL },
	  S("a=1&&b=+"), REQ_OK, REQ_POST, "/s", { "a", "1", "b", " " } },
	/* 4: parameter without a space, and a trailing space. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE= application/x-www-form-urlencoded ;charset=utf-8",
	    NULL },
	  S("a=1"), REQ_OK, REQ_POST, "/s", { "a", "1" } },
	/* 5: POST with an empty body needs no content type. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=multipart/form-data; boundary=x", NULL },
	  S(""), REQ_OK, REQ_POST, "/s", { NULL } },
	/* 6-11: bodies that are not urlencoded. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=multipart/form-data; boundary=x", NULL },
	  S("--x\r\n"), REQ_BAD_TYPE, REQ_POST, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=text/plain", NULL },
	  S("a=1"), REQ_BAD_TYPE, REQ_POST, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=application/json", NULL },
	  S("{\"a\":1}"), REQ_BAD_TYPE, REQ_POST, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=application/x-www-form-urlencodedX", NULL },
	  S("a=1"), REQ_BAD_TYPE, REQ_POST, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=application/x-www-form", NULL },
	  S("a=1"), REQ_BAD_TYPE, REQ_POST, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s", NULL },
	  S("a=1"), REQ_BAD_TYPE, REQ_POST, "/s", { NULL } },
	/* 12-15: bad bodies and queries. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL },
	  S("a=1\0&b=2"), REQ_NUL, REQ_POST, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "QUERY_STRING=a=1",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL },
	  S("a=2"), REQ_DUPLICATE, REQ_POST, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL },
	  S("a=%E0%80%AF"), REQ_BAD_UTF8, REQ_POST, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/s",
	    "QUERY_STRING=a=%zz", NULL },
	  NULL, 0, REQ_BAD_ESCAPE, REQ_GET, "/s", { NULL } },
	/* 16: a body is not read for GET. */
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=text/plain", "QUERY_STRING=q=1", NULL },
	  S("a=%zz\0"), REQ_OK, REQ_GET, "/s", { "q", "1" } },
	/* 17-19: other methods. */
	{ { NGINX_ENV, "REQUEST_METHOD=PUT", "DOCUMENT_URI=/s", NULL },
	  S("a=1"), REQ_OK, REQ_OTHER, "/s", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=post", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL },
	  S("a=1"), REQ_OK, REQ_OTHER, "/s", { NULL } },
	{ { NGINX_ENV, "DOCUMENT_URI=/s", NULL },
	  NULL, 0, REQ_OK, REQ_OTHER, "/s", { NULL } },
	/* 20-22: REQUEST_URI when DOCUMENT_URI is missing or empty. */
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "REQUEST_URI=/a/b?x=1",
	    "QUERY_STRING=x=1", NULL },
	  NULL, 0, REQ_OK, REQ_GET, "/a/b", { "x", "1" } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "REQUEST_URI=/a/b", NULL },
	  NULL, 0, REQ_OK, REQ_GET, "/a/b", { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=",
	    "REQUEST_URI=/c?", NULL },
	  NULL, 0, REQ_OK, REQ_GET, "/c", { NULL } },
	/* 23: a valid non-ASCII path. */
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/Z\xc3\xbcrich",
	    NULL },
	  NULL, 0, REQ_OK, REQ_GET, "/Z\xc3\xbcrich", { NULL } },
	/* 24-33: bad paths. */
	{ { NGINX_ENV, "REQUEST_METHOD=GET", NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=", NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "REQUEST_URI=?x=1", NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=s/card", NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/a\x01" "b",
	    NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/a\nb", NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/a\x7f", NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/\xc3", NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET",
	    "DOCUMENT_URI=/..\xc0\xaf..\xc0\xaf" "etc", NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	{ { NGINX_ENV, "REQUEST_METHOD=GET", "DOCUMENT_URI=/\xed\xa0\x80",
	    NULL },
	  NULL, 0, REQ_BAD_PATH, REQ_GET, NULL, { NULL } },
	/* 34: a bad path is reported before a bad body. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=x",
	    "CONTENT_TYPE=text/plain", NULL },
	  S("a=%"), REQ_BAD_PATH, REQ_POST, NULL, { NULL } },
	/* 35: the content type before the fields of the query. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "QUERY_STRING=a=%", "CONTENT_TYPE=text/plain", NULL },
	  S("a=1"), REQ_BAD_TYPE, REQ_POST, "/s", { NULL } },
	/* 36: an empty environment. */
	{ { NULL }, NULL, 0, REQ_BAD_PATH, REQ_OTHER, NULL, { NULL } },
};

START_TEST(test_parse)
{
	struct req	 r;
	int		 rc;

	rc = req_parse(&r, parse_rows[_i].env, parse_rows[_i].body,
	    parse_rows[_i].len);
	ck_assert_msg(rc == parse_rows[_i].status, "row %d: status %d, "
	    "want %d", _i, rc, parse_rows[_i].status);
	ck_assert_msg(r.method == parse_rows[_i].method, "row %d: method %d",
	    _i, r.method);
	if (parse_rows[_i].path == NULL)
		ck_assert_ptr_null(r.path);
	else {
		ck_assert_ptr_nonnull(r.path);
		ck_assert_str_eq(r.path, parse_rows[_i].path);
	}
	if (rc == REQ_OK)
		check_kv(r.fields, r.nfields, parse_rows[_i].want, _i);
	req_free(&r);
}
END_TEST

/* Everything besides the fields, from one full request. */
START_TEST(test_parse_envelope)
{
	char *const	 env[] = {
		NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/s/card",
		"HTTP_ORIGIN=https://survey.example.org", "HTTPS=on",
		"HTTP_COOKIE=junk; sid=\"abc\"; ; sid=second; =x; csrf=tok",
		"CONTENT_TYPE=application/x-www-form-urlencoded", NULL
	};
	struct req	 r;

	ck_assert_int_eq(req_parse(&r, env, S("q1=%C3%BC")), REQ_OK);
	ck_assert_str_eq(r.host, "survey.example.org");
	ck_assert_str_eq(r.origin, "https://survey.example.org");
	ck_assert_str_eq(r.remote_addr, "192.0.2.7");
	ck_assert(r.https);
	ck_assert_uint_eq(r.ncookies, 3);
	ck_assert_str_eq(req_cookie(&r, "sid"), "abc");
	ck_assert_str_eq(req_cookie(&r, "csrf"), "tok");
	ck_assert_ptr_null(req_cookie(&r, "junk"));
	ck_assert_ptr_null(req_cookie(&r, "q1"));
	ck_assert_str_eq(req_field(&r, "q1"), "\xc3\xbc");
	ck_assert_ptr_null(req_field(&r, "sid"));
	ck_assert_ptr_null(req_field(&r, "Q1"));
	ck_assert_ptr_null(req_field(&r, ""));
	req_free(&r);

	/* Absent headers are NULL, not empty. */
	ck_assert_int_eq(req_parse(&r, (char *const[]){ "DOCUMENT_URI=/",
	    NULL }, NULL, 0), REQ_OK);
	ck_assert_ptr_null(r.host);
	ck_assert_ptr_null(r.origin);
	ck_assert_ptr_null(r.remote_addr);
	ck_assert(!r.https);
	ck_assert_uint_eq(r.ncookies, 0);
	ck_assert_uint_eq(r.nfields, 0);
	ck_assert_ptr_null(req_field(&r, "a"));
	ck_assert_ptr_null(req_cookie(&r, "sid"));
	req_free(&r);
}
END_TEST

static const struct {
	char	*env[3];
	bool	 https;
} https_rows[] = {
	{ { "DOCUMENT_URI=/", "HTTPS=on", NULL }, true },
	{ { "DOCUMENT_URI=/", "HTTPS=ON", NULL }, true },
	{ { "DOCUMENT_URI=/", "HTTPS=", NULL }, false },
	{ { "DOCUMENT_URI=/", "HTTPS=off", NULL }, false },
	{ { "DOCUMENT_URI=/", "HTTPS=onion", NULL }, false },
	{ { "DOCUMENT_URI=/", "HTTPS=o", NULL }, false },
	{ { "DOCUMENT_URI=/", NULL }, false },
};

START_TEST(test_parse_https)
{
	struct req	 r;

	ck_assert_int_eq(req_parse(&r, https_rows[_i].env, NULL, 0), REQ_OK);
	ck_assert_msg(r.https == https_rows[_i].https, "row %d", _i);
	req_free(&r);
}
END_TEST

/* Accept: a JSON answer only when application/json comes first. */
static const struct {
	char	*env[3];
	bool	 json;
} json_rows[] = {
	{ { "DOCUMENT_URI=/", "HTTP_ACCEPT=application/json", NULL }, true },
	{ { "DOCUMENT_URI=/", "HTTP_ACCEPT= Application/JSON ; q=1", NULL },
	    true },
	{ { "DOCUMENT_URI=/", "HTTP_ACCEPT=application/json, */*", NULL },
	    true },
	{ { "DOCUMENT_URI=/", "HTTP_ACCEPT=text/html, application/json",
	    NULL }, false },
	{ { "DOCUMENT_URI=/", "HTTP_ACCEPT=application/jsonx", NULL }, false },
	{ { "DOCUMENT_URI=/", "HTTP_ACCEPT=*/*", NULL }, false },
	{ { "DOCUMENT_URI=/", "HTTP_ACCEPT=", NULL }, false },
	{ { "DOCUMENT_URI=/", NULL }, false },
};

START_TEST(test_parse_json)
{
	struct req	 r;

	ck_assert_int_eq(req_parse(&r, json_rows[_i].env, NULL, 0), REQ_OK);
	ck_assert_msg(r.json == json_rows[_i].json, "row %d", _i);
	req_free(&r);
}
END_TEST

/* A path of exactly REQ_PATH_MAX bytes, then one more. */
START_TEST(test_parse_path_max)
{
	char		 var[32 + REQ_PATH_MAX + 2];
	char		*env[] = { "REQUEST_METHOD=GET", var, NULL };
	size_t		 off;
	struct req	 r;

	off = strlen("DOCUMENT_URI=");
	memcpy(var, "DOCUMENT_URI=", off);
	var[off] = '/';
	memset(var + off + 1, 'p', REQ_PATH_MAX - 1);
	var[off + REQ_PATH_MAX] = '\0';
	ck_assert_int_eq(req_parse(&r, env, NULL, 0), REQ_OK);
	ck_assert_uint_eq(strlen(r.path), REQ_PATH_MAX);
	req_free(&r);

	var[off + REQ_PATH_MAX] = 'p';
	var[off + REQ_PATH_MAX + 1] = '\0';
	ck_assert_int_eq(req_parse(&r, env, NULL, 0), REQ_BAD_PATH);
	req_free(&r);
}
END_TEST

/* A body of exactly REQ_BODY_MAX bytes, then one more. */
START_TEST(test_parse_body_max)
{
	char *const	 env[] = { NGINX_ENV, "REQUEST_METHOD=POST",
	    "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL };
	char *const	 badtype[] = { "REQUEST_METHOD=POST",
	    "DOCUMENT_URI=/s", "CONTENT_TYPE=text/plain", NULL };
	char		*body;
	struct req	 r;

	ck_assert_ptr_nonnull(body = malloc(REQ_BODY_MAX + 1));
	memcpy(body, "a=", 2);
	memset(body + 2, 'x', REQ_BODY_MAX - 1);
	ck_assert_int_eq(req_parse(&r, env, body, REQ_BODY_MAX), REQ_OK);
	ck_assert_uint_eq(r.nfields, 1);
	ck_assert_uint_eq(r.fields[0].vlen, REQ_BODY_MAX - 2);
	req_free(&r);

	ck_assert_int_eq(req_parse(&r, env, body, REQ_BODY_MAX + 1),
	    REQ_TOO_LARGE);
	ck_assert_uint_eq(r.nfields, 0);
	req_free(&r);
	ck_assert_int_eq(req_parse(&r, badtype, body, REQ_BODY_MAX + 1),
	    REQ_TOO_LARGE);
	req_free(&r);
	free(body);
}
END_TEST

/* The field cap spans query and body. */
START_TEST(test_parse_fields_max)
{
	struct buf	 q;
	char		*env[] = { "REQUEST_METHOD=POST", "DOCUMENT_URI=/s",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL, NULL };
	char		*body;
	struct req	 r;

	buf_init(&q, 64 * 1024);
	body = make_fields("q", REQ_FIELDS_MAX / 2);
	ck_assert_int_eq(buf_printf(&q, "QUERY_STRING=%s", body), 0);
	free(body);
	env[3] = q.data;

	body = make_fields("b", REQ_FIELDS_MAX - REQ_FIELDS_MAX / 2);
	ck_assert_int_eq(req_parse(&r, env, body, strlen(body)), REQ_OK);
	ck_assert_uint_eq(r.nfields, REQ_FIELDS_MAX);
	ck_assert_str_eq(req_field(&r, "q0"), "v");
	ck_assert_str_eq(req_field(&r, "b0"), "v");
	req_free(&r);
	free(body);

	body = make_fields("b", REQ_FIELDS_MAX - REQ_FIELDS_MAX / 2 + 1);
	ck_assert_int_eq(req_parse(&r, env, body, strlen(body)),
	    REQ_TOO_MANY);
	req_free(&r);
	free(body);
	buf_free(&q);
}
END_TEST

/* -- req_free, req_field, req_cookie -------------------------------- */

START_TEST(test_free)
{
	char *const	 env[] = { NGINX_ENV, "REQUEST_METHOD=GET",
	    "DOCUMENT_URI=/s", "QUERY_STRING=a=1&b=%zz",
	    "HTTP_COOKIE=sid=x", "HTTP_ORIGIN=https://example.org",
	    "HTTPS=on", NULL };
	struct req	 r, zero;

	req_free(NULL);
	memset(&zero, 0, sizeof(zero));

	/* A failed parse keeps what it read; req_free releases all. */
	ck_assert_int_eq(req_parse(&r, env, NULL, 0), REQ_BAD_ESCAPE);
	ck_assert_str_eq(r.path, "/s");
	ck_assert_str_eq(req_cookie(&r, "sid"), "x");
	req_free(&r);
	ck_assert(memcmp(&r, &zero, sizeof(r)) == 0);
	req_free(&r);
	ck_assert(memcmp(&r, &zero, sizeof(r)) == 0);

	ck_assert_ptr_null(req_field(NULL, "a"));
	ck_assert_ptr_null(req_cookie(NULL, "a"));
	ck_assert_ptr_null(req_field(&r, NULL));
	ck_assert_ptr_null(req_cookie(&r, NULL));
}
END_TEST

/* -- req_parse_multipart, req_parse_upload -------------------------- */

#define MP_TYPE		"multipart/form-data; boundary=XyZ"
#define MP_CD		"Content-Disposition: form-data; "
/* A part named n (a quoted string's inside) holding v, then its CRLF. */
#define MP_PART(n, v)	"--XyZ\r\n" MP_CD "name=\"" n "\"\r\n\r\n" v "\r\n"
#define MP_END		"--XyZ--\r\n"
#define B70	"0123456789012345678901234567890123456789" \
		"012345678901234567890123456789"

static const struct {
	const char	*type;
	const char	*body;
	size_t		 len;
	int		 status;
	const char	*want[2 * PAIRS_MAX + 1];
} mp_rows[] = {
	/* 0-3: what browsers and curl send. */
	{ MP_TYPE, S(MP_PART("a", "1") MP_PART("b", "two") MP_END), REQ_OK,
	    { "a", "1", "b", "two" } },
	{ MP_TYPE, S(MP_PART("a", "") MP_END), REQ_OK, { "a", "" } },
	{ MP_TYPE, S("--XyZ\r\n" MP_CD "name=\"file\"; filename=\"x.csv\"\r\n"
	    "Content-Type: text/csv\r\n\r\na,b\r\n1,\"\xc3\xbc\"\r\n\r\n"
	    MP_END), REQ_OK, { "file", "a,b\r\n1,\"\xc3\xbc\"\r\n" } },
	{ MP_TYPE, S(MP_PART("csv", "x") "--XyZ--"), REQ_OK,
	    { "csv", "x" } },
	/* 4-16: the content type and its boundary parameter. */
	{ "multipart/form-data", S(MP_PART("a", "1") MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	{ "multipart/form-data; charset=utf-8", S(MP_PART("a", "1") MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	{ "multipart/form-data; boundary=", S("--\r\n" MP_CD "name=a\r\n\r\n"
	    "1\r\n----\r\n"), REQ_BAD_MULTIPART, { NULL } },
	{ "multipart/form-data; boundary=\"\"", S("--\r\n" MP_CD "name=a\r\n"
	    "\r\n1\r\n----\r\n"), REQ_BAD_MULTIPART, { NULL } },
	{ "multipart/form-data; boundary=\"a b:c\"", S("--a b:c\r\n" MP_CD
	    "name=a\r\n\r\n1\r\n--a b:c--"), REQ_OK, { "a", "1" } },
	{ "multipart/form-data; boundary=\"XyZ", S(MP_PART("a", "1") MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	{ "multipart/form-data; boundary=XyZ; boundary=XyZ",
	    S(MP_PART("a", "1") MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ "multipart/form-data; boundary=" B70, S("--" B70 "\r\n" MP_CD
	    "name=a\r\n\r\n1\r\n--" B70 "--"), REQ_OK, { "a", "1" } },
	{ "multipart/form-data; boundary=" B70 "x", S("--" B70 "x\r\n" MP_CD
	    "name=a\r\n\r\n1\r\n--" B70 "x--"), REQ_BAD_MULTIPART, { NULL } },
	{ "multipart/form-data; boundary=\"a@b\"", S("--a@b\r\n" MP_CD
	    "name=a\r\n\r\n1\r\n--a@b--"), REQ_BAD_MULTIPART, { NULL } },
	{ "multipart/form-data; boundary=\"ab \"", S("--ab \r\n" MP_CD
	    "name=a\r\n\r\n1\r\n--ab --"), REQ_BAD_MULTIPART, { NULL } },
	{ " Multipart/Form-Data ;BOUNDARY=XyZ ; x=\"y\";",
	    S(MP_PART("a", "1") MP_END), REQ_OK, { "a", "1" } },
	{ "multipart/mixed; boundary=XyZ", S(MP_PART("a", "1") MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	/* 17-23: where the body starts and ends. */
	{ MP_TYPE, S(""), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\n" MP_CD "name=\"a\"\r\n\r\n1"),
	    REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S(MP_PART("a", "1") "--XyZ"), REQ_BAD_MULTIPART,
	    { NULL } },
	{ MP_TYPE, S(MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("a preamble\r\n--XyZ--\r\n" MP_PART("a", "1") MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("a preamble\r\n" MP_PART("a", "1") MP_END
	    "an epilogue\r\n" MP_PART("b", "2") MP_END), REQ_OK,
	    { "a", "1" } },
	{ MP_TYPE, S("no line end" MP_PART("a", "1") MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	/* 24-35: part headers. */
	{ MP_TYPE, S("--XyZ\r\n\r\n1\r\n" MP_END), REQ_BAD_MULTIPART,
	    { NULL } },
	{ MP_TYPE, S("--XyZ\r\nContent-Disposition form-data; name=\"a\"\r\n"
	    "\r\n1\r\n" MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n"
	    MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\n" MP_CD "filename=\"a\"\r\n\r\n1\r\n" MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n"
	    MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\nContent-Disposition: attachment; name=a\r\n"
	    "\r\n1\r\n" MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S(MP_PART("", "1") MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\n" MP_CD "name=\"a\"; name=\"b\"\r\n\r\n1\r\n"
	    MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\n" MP_CD "name=\"a\"\r\n" MP_CD "name=\"b\"\r\n"
	    "\r\n1\r\n" MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\nContent-Disposition : form-data; name=a\r\n"
	    "\r\n1\r\n" MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\nContent-Disposition: form-data;\r\n"
	    " name=a\r\n\r\n1\r\n" MP_END), REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\nContent-Type: text/\nplain\r\n" MP_CD
	    "name=a\r\n\r\n1\r\n" MP_END), REQ_BAD_MULTIPART, { NULL } },
	/* 36-41: names as sent: quotes, semicolons, case. */
	{ MP_TYPE, S(MP_PART("a;b", "1") MP_END), REQ_OK, { "a;b", "1" } },
	{ MP_TYPE, S(MP_PART("a\\\"b", "1") MP_END), REQ_BAD_MULTIPART,
	    { NULL } },
	{ MP_TYPE, S(MP_PART("a%22b", "1") MP_END), REQ_OK,
	    { "a%22b", "1" } },
	{ MP_TYPE, S("--XyZ\r\ncontent-disposition: FORM-DATA; NAME=a\r\n"
	    "\r\n1\r\n" MP_END), REQ_OK, { "a", "1" } },
	{ MP_TYPE, S("--XyZ\r\n" MP_CD "name=a b\r\n\r\n1\r\n" MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S(MP_PART("Z\xc3\xbcrich", "1") MP_END), REQ_OK,
	    { "Z\xc3\xbcrich", "1" } },
	/* 42-47: the values. */
	{ MP_TYPE, S(MP_PART("a", "1") MP_PART("a", "2") MP_END),
	    REQ_DUPLICATE, { NULL } },
	{ MP_TYPE, S(MP_PART("a", "x\0y") MP_END), REQ_NUL, { NULL } },
	{ MP_TYPE, S(MP_PART("a\0", "1") MP_END), REQ_BAD_MULTIPART,
	    { NULL } },
	{ MP_TYPE, S(MP_PART("a", "\xc0\xaf") MP_END), REQ_BAD_UTF8,
	    { NULL } },
	{ MP_TYPE, S(MP_PART("\xed\xa0\x80", "1") MP_END), REQ_BAD_UTF8,
	    { NULL } },
	{ MP_TYPE, S(MP_PART("a", "1") MP_PART("a", "2") MP_PART("b", "\xff")
	    MP_END), REQ_DUPLICATE, { NULL } },
	/* 48-52: the boundary inside data, line ends. */
	{ MP_TYPE, S(MP_PART("a", "x--XyZ y\n--XyZ\r--XyZ--") MP_END),
	    REQ_OK, { "a", "x--XyZ y\n--XyZ\r--XyZ--" } },
	{ MP_TYPE, S(MP_PART("a", "x\r\n--XyZz") MP_END), REQ_BAD_MULTIPART,
	    { NULL } },
	{ MP_TYPE, S("--XyZ\n" MP_CD "name=\"a\"\n\n1\n--XyZ--\n"),
	    REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ\r\n" MP_CD "name=\"a\"\n\r\n1\r\n" MP_END),
	    REQ_BAD_MULTIPART, { NULL } },
	{ MP_TYPE, S("--XyZ \t\r\n" MP_CD "name=a\r\n\r\n1\r\n--XyZ--"),
	    REQ_OK, { "a", "1" } },
};

START_TEST(test_multipart)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	int		 rc;

	rc = req_parse_multipart(&kv, &n, mp_rows[_i].type, mp_rows[_i].body,
	    mp_rows[_i].len);
	ck_assert_msg(rc == mp_rows[_i].status, "row %d: status %d, want %d",
	    _i, rc, mp_rows[_i].status);
	if (rc == REQ_OK)
		check_kv(kv, n, mp_rows[_i].want, _i);
	else
		ck_assert_msg(n == 0 && kv == NULL,
		    "row %d: %zu pairs kept on failure", _i, n);
	free_kv(kv, n);
}
END_TEST

/*
 * Bodies too large to write out: parts parts each with a header line of
 * pad extra bytes (its limit is REQ_PART_HEAD_MAX) and a name of klen.
 */
static const struct {
	size_t	 parts;
	size_t	 pad;
	size_t	 klen;
	int	 status;
} mp_max_rows[] = {
	{ REQ_PARTS_MAX, 0, 1, REQ_OK },
	{ REQ_PARTS_MAX + 1, 0, 1, REQ_TOO_MANY },
	{ 1000, 0, 1, REQ_TOO_MANY },
	{ 1, REQ_PART_HEAD_MAX, 1, REQ_OK },
	{ 1, REQ_PART_HEAD_MAX + 1, 1, REQ_BAD_MULTIPART },
	{ 2, 64 * 1024, 1, REQ_BAD_MULTIPART },
	{ 1, 0, REQ_KEY_MAX, REQ_OK },
	{ 1, 0, REQ_KEY_MAX + 1, REQ_KEY_TOO_LONG },
};

START_TEST(test_multipart_max)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0, hlen;
	struct buf	 b;
	int		 rc;

	buf_init(&b, REQ_BODY_MAX);
	for (size_t i = 0; i < mp_max_rows[_i].parts; i++) {
		ck_assert_int_eq(buf_puts(&b, "--XyZ\r\n"), 0);
		hlen = b.len;
		ck_assert_int_eq(buf_printf(&b, MP_CD "name=\"%0*zu\"",
		    (int)mp_max_rows[_i].klen, i), 0);
		/* Pad the part's header lines to pad bytes in all. */
		if (mp_max_rows[_i].pad > 0) {
			ck_assert_int_eq(buf_puts(&b, "\r\nX-Pad: "), 0);
			while (b.len - hlen < mp_max_rows[_i].pad)
				ck_assert_int_eq(buf_putc(&b, 'p'), 0);
		}
		ck_assert_int_eq(buf_puts(&b, "\r\n\r\nv\r\n"), 0);
	}
	ck_assert_int_eq(buf_puts(&b, MP_END), 0);
	rc = req_parse_multipart(&kv, &n, MP_TYPE, b.data, b.len);
	ck_assert_msg(rc == mp_max_rows[_i].status, "row %d: status %d", _i,
	    rc);
	if (rc == REQ_OK) {
		ck_assert_uint_eq(n, mp_max_rows[_i].parts);
		ck_assert_uint_eq(strlen(kv[0].key), mp_max_rows[_i].klen);
		ck_assert_str_eq(kv[n - 1].val, "v");
	} else
		ck_assert_uint_eq(n, 0);
	free_kv(kv, n);
	buf_free(&b);
}
END_TEST

/* Appending: the query's fields count, and a failure leaves them be. */
START_TEST(test_multipart_append)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	const char	*want[] = { "a", "1", "b", "2", NULL };
	char		*s;

	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("a=1")), REQ_OK);
	ck_assert_int_eq(req_parse_multipart(&kv, &n, MP_TYPE,
	    S(MP_PART("c", "3") MP_PART("a", "2") MP_END)), REQ_DUPLICATE);
	ck_assert_int_eq(req_parse_multipart(&kv, &n, MP_TYPE,
	    S(MP_PART("c", "3") MP_PART("d", "%") MP_END "\r\n")), REQ_OK);
	ck_assert_int_eq(req_parse_multipart(&kv, &n, NULL,
	    S(MP_PART("e", "5") MP_END)), REQ_BAD_MULTIPART);
	ck_assert_uint_eq(n, 3);
	free_kv(kv, n);

	kv = NULL;
	n = 0;
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, S("a=1")), REQ_OK);
	ck_assert_int_eq(req_parse_multipart(&kv, &n, MP_TYPE,
	    S(MP_PART("b", "2") MP_END)), REQ_OK);
	check_kv(kv, n, want, 0);
	free_kv(kv, n);

	kv = NULL;
	n = 0;
	s = make_fields("q", REQ_FIELDS_MAX - 1);
	ck_assert_int_eq(req_parse_urlencoded(&kv, &n, s, strlen(s)), REQ_OK);
	free(s);
	ck_assert_int_eq(req_parse_multipart(&kv, &n, MP_TYPE,
	    S(MP_PART("x", "1") MP_PART("y", "2") MP_END)), REQ_TOO_MANY);
	ck_assert_int_eq(req_parse_multipart(&kv, &n, MP_TYPE,
	    S(MP_PART("x", "1") MP_END)), REQ_OK);
	ck_assert_uint_eq(n, REQ_FIELDS_MAX);
	free_kv(kv, n);
}
END_TEST

#define MP_ENV(method)							\
	NGINX_ENV, "REQUEST_METHOD=" method, "DOCUMENT_URI=/admin/import", \
	    "CONTENT_TYPE=" MP_TYPE

static const struct {
	char		*env[ENV_MAX];
	const char	*body;
	size_t		 len;
	int		 status;
	int		 plain;		/* req_parse's status for it */
	const char	*want[2 * PAIRS_MAX + 1];
} upload_rows[] = {
	/* 0-2: query fields, then the parts. */
	{ { MP_ENV("POST"), "QUERY_STRING=q=1", NULL },
	  S(MP_PART("csrf", "t") MP_PART("csv", "a,b") MP_END), REQ_OK,
	  REQ_BAD_TYPE, { "q", "1", "csrf", "t", "csv", "a,b" } },
	{ { MP_ENV("POST"), "QUERY_STRING=csv=1", NULL },
	  S(MP_PART("csv", "a,b") MP_END), REQ_DUPLICATE, REQ_BAD_TYPE,
	  { NULL } },
	{ { MP_ENV("POST"), NULL }, S(""), REQ_BAD_MULTIPART, REQ_OK,
	  { NULL } },
	/* 3: a raw NUL, even in a preamble. */
	{ { MP_ENV("POST"), NULL }, S("\0\r\n" MP_PART("a", "1") MP_END),
	  REQ_NUL, REQ_BAD_TYPE, { NULL } },
	/* 4-5: urlencoded still; GET reads no body. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/admin/import",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL },
	  S("a=1"), REQ_OK, REQ_OK, { "a", "1" } },
	{ { MP_ENV("GET"), "QUERY_STRING=q=1", NULL },
	  S("garbage"), REQ_OK, REQ_OK, { "q", "1" } },
	/* 6: other types are still refused. */
	{ { NGINX_ENV, "REQUEST_METHOD=POST", "DOCUMENT_URI=/admin/import",
	    "CONTENT_TYPE=multipart/mixed; boundary=XyZ", NULL },
	  S(MP_PART("a", "1") MP_END), REQ_BAD_TYPE, REQ_BAD_TYPE, { NULL } },
};

START_TEST(test_upload)
{
	struct req	 r;
	int		 rc;

	rc = req_parse_upload(&r, upload_rows[_i].env, upload_rows[_i].body,
	    upload_rows[_i].len);
	ck_assert_msg(rc == upload_rows[_i].status, "row %d: status %d, "
	    "want %d", _i, rc, upload_rows[_i].status);
	if (rc == REQ_OK)
		check_kv(r.fields, r.nfields, upload_rows[_i].want, _i);
	req_free(&r);
	/* req_parse (the survey's) takes no multipart body at all. */
	rc = req_parse(&r, upload_rows[_i].env, upload_rows[_i].body,
	    upload_rows[_i].len);
	ck_assert_msg(rc == upload_rows[_i].plain, "row %d: req_parse "
	    "status %d", _i, rc);
	req_free(&r);
}
END_TEST

/*
 * A file part: its name kept for messages (req_file); its bytes, when
 * they are not UTF-8 (a Windows-1252 CSV), kept out and noted, not 400.
 */
#define MP_FILE(n, f, v)	"--XyZ\r\n" MP_CD "name=\"" n "\"; " \
	"filename=\"" f "\"\r\nContent-Type: text/csv\r\n\r\n" v "\r\n"

static const struct {
	const char	*body;
	size_t		 len;
	int		 status;
	const char	*file;		/* req_file("file")'s name, or NULL */
	bool		 not_utf8;
	const char	*val;		/* the field "file" */
} file_rows[] = {
	{ S(MP_FILE("file", "experts.csv", "a;b") MP_END), REQ_OK,
	  "experts.csv", false, "a;b" },
	{ S(MP_FILE("file", "experts.csv", "J\xf6rg;b") MP_END), REQ_OK,
	  "experts.csv", true, "" },
	{ S(MP_FILE("file", "C:\\Users\\jo\\Liste f\xc3\xbcr B.csv", "a")
	  MP_END), REQ_OK, "Liste f\xc3\xbcr B.csv", false, "a" },
	{ S(MP_FILE("file", "/tmp/x/e.csv", "a") MP_END), REQ_OK, "e.csv",
	  false, "a" },
	{ S(MP_FILE("file", "\xe4.csv", "\xe4") MP_END), REQ_OK, "", true,
	  "" },
	/* No file chosen: the browser sends filename="" and no bytes. */
	{ S(MP_FILE("file", "", "") MP_END), REQ_OK, NULL, false, "" },
	/* Not a file part: text that is not UTF-8 is refused as before. */
	{ S(MP_PART("file", "J\xf6rg") MP_END), REQ_BAD_UTF8, NULL, false,
	  NULL },
	{ S(MP_PART("file", "a") MP_END), REQ_OK, NULL, false, "a" },
};

START_TEST(test_upload_file)
{
	char			*env[] = { MP_ENV("POST"), NULL };
	const struct req_upload	*f;
	struct req		 r;
	int			 rc;

	rc = req_parse_upload(&r, env, file_rows[_i].body, file_rows[_i].len);
	ck_assert_msg(rc == file_rows[_i].status, "row %d: status %d", _i,
	    rc);
	f = req_file(&r, "file");
	if (file_rows[_i].file == NULL)
		ck_assert_ptr_null(f);
	else {
		ck_assert_ptr_nonnull(f);
		ck_assert_str_eq(f->filename, file_rows[_i].file);
		ck_assert(f->not_utf8 == file_rows[_i].not_utf8);
	}
	if (rc == REQ_OK)
		ck_assert_str_eq(req_field(&r, "file"), file_rows[_i].val);
	req_free(&r);
}
END_TEST

/* -- req_status_code, req_status_text ------------------------------- */

static const struct {
	int	 status;
	int	 code;
} code_rows[] = {
	{ REQ_OK, 200 },
	{ REQ_BAD_ESCAPE, 400 },
	{ REQ_BAD_UTF8, 400 },
	{ REQ_NUL, 400 },
	{ REQ_DUPLICATE, 400 },
	{ REQ_TOO_MANY, 413 },
	{ REQ_KEY_TOO_LONG, 400 },
	{ REQ_TOO_LARGE, 413 },
	{ REQ_BAD_TYPE, 415 },
	{ REQ_BAD_PATH, 400 },
	{ REQ_BAD_MULTIPART, 400 },
	{ -1, 500 },
	{ REQ_STATUS__MAX, 500 },
};
_Static_assert(NELEM(code_rows) == REQ_STATUS__MAX + 2,
    "a row for every status");

START_TEST(test_status)
{
	const char	*t;
	size_t		 len;

	ck_assert_int_eq(req_status_code(code_rows[_i].status),
	    code_rows[_i].code);
	t = req_status_text(code_rows[_i].status);
	ck_assert_ptr_nonnull(t);
	len = strlen(t);
	ck_assert_msg(len > 10 && t[0] >= 'A' && t[0] <= 'Z' &&
	    t[len - 1] == '.', "row %d: \"%s\" is not a sentence", _i, t);
	ck_assert_ptr_null(strchr(t, '\n'));
	/* One message per status: no two statuses say the same. */
	for (size_t j = 0; j < NELEM(code_rows); j++)
		if (j != (size_t)_i && code_rows[j].status >= 0 &&
		    code_rows[j].status < REQ_STATUS__MAX)
			ck_assert_str_ne(t,
			    req_status_text(code_rows[j].status));
}
END_TEST

START_TEST(test_status_escape_text)
{
	ck_assert_str_eq(req_status_text(REQ_BAD_ESCAPE),
	    "The form contained an invalid percent escape.");
}
END_TEST

static Suite *
req_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("req");

	tc = tcase_create("utf8");
	tcase_add_loop_test(tc, test_utf8, 0, NELEM(utf8_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("checks");
	tcase_add_loop_test(tc, test_checks, 0, NELEM(check_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("urlencoded");
	tcase_add_loop_test(tc, test_urlencoded, 0, NELEM(form_rows));
	tcase_add_test(tc, test_fields_max);
	tcase_add_test(tc, test_fields_max_appended);
	tcase_add_loop_test(tc, test_key_max, 0, NELEM(key_rows));
	tcase_add_test(tc, test_urlencoded_append);
	suite_add_tcase(s, tc);

	tc = tcase_create("cookies");
	tcase_add_loop_test(tc, test_cookies, 0, NELEM(cookie_rows));
	tcase_add_test(tc, test_cookies_max);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_env, 0, NELEM(env_rows));
	tcase_add_loop_test(tc, test_parse, 0, NELEM(parse_rows));
	tcase_add_test(tc, test_parse_envelope);
	tcase_add_loop_test(tc, test_parse_https, 0, NELEM(https_rows));
	tcase_add_loop_test(tc, test_parse_json, 0, NELEM(json_rows));
	tcase_add_test(tc, test_parse_path_max);
	tcase_add_test(tc, test_parse_body_max);
	tcase_add_test(tc, test_parse_fields_max);
	tcase_add_test(tc, test_free);
	suite_add_tcase(s, tc);

	tc = tcase_create("multipart");
	tcase_add_loop_test(tc, test_multipart, 0, NELEM(mp_rows));
	tcase_add_loop_test(tc, test_multipart_max, 0, NELEM(mp_max_rows));
	tcase_add_test(tc, test_multipart_append);
	tcase_add_loop_test(tc, test_upload, 0, NELEM(upload_rows));
	tcase_add_loop_test(tc, test_upload_file, 0, NELEM(file_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_add_loop_test(tc, test_status, 0, NELEM(code_rows));
	tcase_add_test(tc, test_status_escape_text);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{

	return check_run(req_suite());
}
