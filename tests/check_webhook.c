/*
 * check_webhook: unit tests of webhook.c, table-driven: signatures, the
 * retry schedule, Retry-After, the address classifier, URLs, excerpts.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <sodium.h>

#include "check-run.h"
#include "base/webhook.h"

/* The vector of the issue (and of the Standard Webhooks spec). */
#define VEC_SECRET	"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define VEC_ID		"msg_p5jXN8AQM9LWM0D4loKWxJek"
#define VEC_TS		1614265330
#define VEC_BODY	"{\"test\": 2432232314}"
#define VEC_SIG		"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

START_TEST(sign_vector)
{
	char	 sig[WEBHOOK_SIG_MAX];

	ck_assert_int_eq(webhook_sign(VEC_SECRET, VEC_ID, VEC_TS, VEC_BODY,
	    strlen(VEC_BODY), sig), 0);
	ck_assert_str_eq(sig, VEC_SIG);
}
END_TEST

START_TEST(sign_changes)
{
	char	 a[WEBHOOK_SIG_MAX], b[WEBHOOK_SIG_MAX];

	ck_assert_int_eq(webhook_sign(VEC_SECRET, VEC_ID, VEC_TS + 1, VEC_BODY,
	    strlen(VEC_BODY), a), 0);
	ck_assert_str_ne(a, VEC_SIG);
	ck_assert_int_eq(webhook_sign(VEC_SECRET, VEC_ID, VEC_TS, VEC_BODY,
	    strlen(VEC_BODY) - 1, b), 0);
	ck_assert_str_ne(b, VEC_SIG);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(sign_header_rotation)
{
	char	 h[WEBHOOK_SIGS_MAX], fresh[WEBHOOK_SECRET_MAX];
	char	 s[WEBHOOK_SIG_MAX], want[WEBHOOK_SIGS_MAX];

	ck_assert_int_eq(webhook_secret_new(fresh), 0);
	ck_assert_int_eq(webhook_signature_header(VEC_SECRET, NULL, VEC_ID,
	    VEC_TS, VEC_BODY, strlen(VEC_BODY), h), 0);
	ck_assert_str_eq(h, VEC_SIG);
	ck_assert_int_eq(webhook_sign(fresh, VEC_ID, VEC_TS, VEC_BODY,
	    strlen(VEC_BODY), s), 0);
	ck_assert_int_eq(webhook_signature_header(fresh, VEC_SECRET, VEC_ID,
	    VEC_TS, VEC_BODY, strlen(VEC_BODY), h), 0);
	snprintf(want, sizeof(want), "%s %s", s, VEC_SIG);
	ck_assert_str_eq(h, want);
}
END_TEST

static const struct {
	const char	*secret;
	bool		 valid;
} secrets[] = {
	{ VEC_SECRET, true },
	{ "whsec_AAAA", true },
	{ "whsec_YWJjZA==", true },		/* padded */
	{ "whsec_", false },			/* empty key */
	{ "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false },	/* no prefix */
	{ "whsec_not base64!", false },
	{ "whsec_YWJjZA==x", false },		/* trailing garbage */
	{ "whsec_YWJjZA=", false },		/* bad padding */
	{ "whsec_" "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
	    "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", false },
};

START_TEST(secret_forms)
{
	char	 sig[WEBHOOK_SIG_MAX];

	ck_assert_msg(webhook_secret_valid(secrets[_i].secret) ==
	    secrets[_i].valid, "%s", secrets[_i].secret);
	ck_assert_int_eq(webhook_sign(secrets[_i].secret, "msg_1", 1, "{}", 2,
	    sig), secrets[_i].valid ? 0 : -1);
}
END_TEST

START_TEST(secret_new)
{
	char	 a[WEBHOOK_SECRET_MAX], b[WEBHOOK_SECRET_MAX];

	ck_assert_int_eq(webhook_secret_new(a), 0);
	ck_assert_int_eq(webhook_secret_new(b), 0);
	ck_assert_int_eq(strncmp(a, "whsec_", 6), 0);
	ck_assert_uint_eq(strlen(a), 6 + 44);	/* base64 of 32 bytes */
	ck_assert(webhook_secret_valid(a));
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(retry_schedule)
{
	static const int64_t	 want[WEBHOOK_RETRIES] = { 5, 300, 1800,
		7200, 18000, 36000, 50400, 72000, 86400 };
	int64_t			 lo, hi, d, min, max;
	int			 n, k;

	ck_assert_int_eq(webhook_retry_base_ms(0), -1);
	ck_assert_int_eq(webhook_retry_delay_ms(0), -1);
	ck_assert_int_eq(webhook_retry_delay_ms(WEBHOOK_RETRIES + 1), -1);
	for (n = 1; n <= WEBHOOK_RETRIES; n++) {
		ck_assert_int_eq(webhook_retry_base_ms(n), want[n - 1] * 1000);
		lo = want[n - 1] * 1000 * 80 / 100;
		hi = want[n - 1] * 1000 * 120 / 100;
		min = INT64_MAX;
		max = 0;
		for (k = 0; k < 2000; k++) {
			d = webhook_retry_delay_ms(n);
			ck_assert_msg(d >= lo && d <= hi,
			    "retry %d: %lld not in [%lld, %lld]", n,
			    (long long)d, (long long)lo, (long long)hi);
			if (d < min)
				min = d;
			if (d > max)
				max = d;
		}
		/* The jitter is used: samples spread over most of the band. */
		ck_assert_msg(min < lo + (hi - lo) / 10 &&
		    max > hi - (hi - lo) / 10, "retry %d: no jitter", n);
	}
}
END_TEST

/* Sun, 06 Nov 1994 08:49:37 GMT */
#define NOW	(784111777LL * 1000)

static const struct {
	const char	*value;
	bool		 ok;
	int64_t		 delay_ms;
} retry_afters[] = {
	{ "120", true, 120000 },
	{ " 5 ", true, 5000 },
	{ "0", true, WEBHOOK_RETRY_AFTER_MIN },		/* clamped up */
	{ "999999999999999999999", true, WEBHOOK_RETRY_AFTER_MAX },
	{ "Sun, 06 Nov 1994 08:49:57 GMT", true, 20000 },
	{ "Sunday, 06-Nov-94 08:50:37 GMT", true, 60000 },
	{ "Sun Nov  6 08:49:47 1994", true, 10000 },
	{ "Sun, 06 Nov 1994 08:00:00 GMT", true, WEBHOOK_RETRY_AFTER_MIN },
	{ "Mon, 07 Nov 1994 08:49:37 GMT", true, 24LL * 3600 * 1000 },
	{ "Tue, 08 Nov 1994 08:49:37 GMT", true, WEBHOOK_RETRY_AFTER_MAX },
	{ "", false, 0 },
	{ "-5", false, 0 },
	{ "5s", false, 0 },
	{ "1.5", false, 0 },
	{ "Sun, 06 Nov 1994 08:49:57 UTC", false, 0 },
	{ "Sun, 06 Foo 1994 08:49:57 GMT", false, 0 },
	{ "Sun, 32 Nov 1994 08:49:57 GMT", false, 0 },
	{ "Sun, 06 Nov 1994 24:49:57 GMT", false, 0 },
	{ "Sun, 06 Nov 1994 08:49:57 GMT trailing", false, 0 },
	{ "tomorrow", false, 0 },
};

START_TEST(retry_after)
{
	int64_t	 d = -7;

	ck_assert_msg(webhook_retry_after(retry_afters[_i].value, NOW, &d) ==
	    retry_afters[_i].ok, "\"%s\"", retry_afters[_i].value);
	if (retry_afters[_i].ok)
		ck_assert_msg(d == retry_afters[_i].delay_ms,
		    "\"%s\": %lld", retry_afters[_i].value, (long long)d);
	else
		ck_assert_int_eq(d, -7);
}
END_TEST

static const struct {
	const char		*addr;
	enum webhook_addr	 want;
} addrs[] = {
	{ "93.184.216.34", WEBHOOK_ADDR_PUBLIC },
	{ "8.8.8.8", WEBHOOK_ADDR_PUBLIC },
	{ "1.1.1.1", WEBHOOK_ADDR_PUBLIC },
	{ "2606:2800::1", WEBHOOK_ADDR_PUBLIC },
	{ "2a00:1450:4001:82b::200e", WEBHOOK_ADDR_PUBLIC },
	{ "::ffff:93.184.216.34", WEBHOOK_ADDR_PUBLIC },
	{ "64:ff9b::808:808", WEBHOOK_ADDR_PUBLIC },	/* NAT64 8.8.8.8 */
	{ "0.0.0.0", WEBHOOK_ADDR_UNSPECIFIED },
	{ "0.1.2.3", WEBHOOK_ADDR_UNSPECIFIED },
	{ "::", WEBHOOK_ADDR_UNSPECIFIED },
	{ "127.0.0.1", WEBHOOK_ADDR_LOOPBACK },
	{ "127.255.255.254", WEBHOOK_ADDR_LOOPBACK },
	{ "::1", WEBHOOK_ADDR_LOOPBACK },
	{ "::ffff:127.0.0.1", WEBHOOK_ADDR_LOOPBACK },
	{ "0:0:0:0:0:ffff:7f00:1", WEBHOOK_ADDR_LOOPBACK },
	{ "::127.0.0.1", WEBHOOK_ADDR_LOOPBACK },	/* IPv4-compatible */
	{ "64:ff9b::127.0.0.1", WEBHOOK_ADDR_LOOPBACK },
	{ "10.0.0.1", WEBHOOK_ADDR_PRIVATE },
	{ "10.255.255.255", WEBHOOK_ADDR_PRIVATE },
	{ "172.16.0.1", WEBHOOK_ADDR_PRIVATE },
	{ "172.31.255.255", WEBHOOK_ADDR_PRIVATE },
	{ "172.15.255.255", WEBHOOK_ADDR_PUBLIC },
	{ "172.32.0.0", WEBHOOK_ADDR_PUBLIC },
	{ "192.168.1.1", WEBHOOK_ADDR_PRIVATE },
	{ "::ffff:192.168.1.1", WEBHOOK_ADDR_PRIVATE },
	{ "::ffff:10.1.2.3", WEBHOOK_ADDR_PRIVATE },
	{ "fc00::1", WEBHOOK_ADDR_PRIVATE },
	{ "fd12:3456::1", WEBHOOK_ADDR_PRIVATE },
	{ "fec0::1", WEBHOOK_ADDR_PRIVATE },
	{ "64:ff9b:1::1", WEBHOOK_ADDR_PRIVATE },
	{ "169.254.1.1", WEBHOOK_ADDR_LINK_LOCAL },
	{ "169.254.169.254", WEBHOOK_ADDR_LINK_LOCAL },	/* metadata */
	{ "::ffff:169.254.169.254", WEBHOOK_ADDR_LINK_LOCAL },
	{ "fe80::1", WEBHOOK_ADDR_LINK_LOCAL },
	{ "febf:ffff::1", WEBHOOK_ADDR_LINK_LOCAL },
	{ "100.64.0.1", WEBHOOK_ADDR_CGNAT },
	{ "100.127.255.255", WEBHOOK_ADDR_CGNAT },
	{ "100.63.255.255", WEBHOOK_ADDR_PUBLIC },
	{ "100.128.0.0", WEBHOOK_ADDR_PUBLIC },
	{ "224.0.0.1", WEBHOOK_ADDR_MULTICAST },
	{ "239.255.255.250", WEBHOOK_ADDR_MULTICAST },
	{ "ff02::1", WEBHOOK_ADDR_MULTICAST },
	{ "::ffff:224.0.0.1", WEBHOOK_ADDR_MULTICAST },
	{ "192.0.2.1", WEBHOOK_ADDR_DOCUMENTATION },
	{ "198.51.100.7", WEBHOOK_ADDR_DOCUMENTATION },
	{ "203.0.113.9", WEBHOOK_ADDR_DOCUMENTATION },
	{ "2001:db8::1", WEBHOOK_ADDR_DOCUMENTATION },
	{ "3fff::1", WEBHOOK_ADDR_DOCUMENTATION },
	{ "240.0.0.1", WEBHOOK_ADDR_RESERVED },
	{ "255.255.255.255", WEBHOOK_ADDR_RESERVED },
	{ "192.0.0.8", WEBHOOK_ADDR_RESERVED },
	{ "198.18.0.1", WEBHOOK_ADDR_RESERVED },
	{ "198.19.255.255", WEBHOOK_ADDR_RESERVED },
	{ "192.88.99.1", WEBHOOK_ADDR_RESERVED },
	{ "::8.8.8.8", WEBHOOK_ADDR_RESERVED },	/* v4-compatible */
	{ "2001::1", WEBHOOK_ADDR_RESERVED },		/* teredo */
	{ "2002:7f00:1::1", WEBHOOK_ADDR_RESERVED },	/* 6to4 */
	{ "100::1", WEBHOOK_ADDR_RESERVED },		/* discard */
	{ "4000::1", WEBHOOK_ADDR_RESERVED },		/* not 2000::/3 */
	{ "1::1", WEBHOOK_ADDR_RESERVED },
};

START_TEST(classify)
{
	enum webhook_addr	 got;

	ck_assert_msg(webhook_addr_classify_str(addrs[_i].addr, &got),
	    "%s: not a literal", addrs[_i].addr);
	ck_assert_msg(got == addrs[_i].want, "%s: %s, want %s",
	    addrs[_i].addr, webhook_addr_name(got),
	    webhook_addr_name(addrs[_i].want));
}
END_TEST

START_TEST(classify_sockaddr)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		 other;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr), 1);
	ck_assert_int_eq(webhook_addr_classify((struct sockaddr *)&sin),
	    WEBHOOK_ADDR_LOOPBACK);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, "::ffff:10.0.0.1",
	    &sin6.sin6_addr), 1);
	ck_assert_int_eq(webhook_addr_classify((struct sockaddr *)&sin6),
	    WEBHOOK_ADDR_PRIVATE);
	ck_assert_int_eq(inet_pton(AF_INET6, "2606:2800::1",
	    &sin6.sin6_addr), 1);
	ck_assert_int_eq(webhook_addr_classify((struct sockaddr *)&sin6),
	    WEBHOOK_ADDR_PUBLIC);
	memset(&other, 0, sizeof(other));
	other.sa_family = AF_UNIX;
	ck_assert_int_eq(webhook_addr_classify(&other), WEBHOOK_ADDR_RESERVED);
	ck_assert_int_eq(webhook_addr_classify(NULL), WEBHOOK_ADDR_RESERVED);
}
END_TEST

static const char *const not_literals[] = {
	"", "localhost", "127.1", "1.2.3.4.5", "256.0.0.1", "::ffff:1.2.3",
	"fe80::1%eth0", "[::1]", "example.com",
};

START_TEST(classify_not_literal)
{
	enum webhook_addr	 got = WEBHOOK_ADDR__MAX;

	ck_assert_msg(!webhook_addr_classify_str(not_literals[_i], &got),
	    "%s", not_literals[_i]);
	ck_assert_int_eq(got, WEBHOOK_ADDR__MAX);
}
END_TEST

static const struct {
	const char		*url;
	bool			 allow_private;
	enum webhook_url	 want;
} urls[] = {
	{ "https://partner.example/hooks", false, WEBHOOK_URL_OK },
	{ "HTTPS://partner.example", false, WEBHOOK_URL_OK },
	{ "https://partner.example:8443/x?y=1#z", false, WEBHOOK_URL_OK },
	{ "https://93.184.216.34/x", false, WEBHOOK_URL_OK },
	{ "https://[2606:2800::1]:443/x", false, WEBHOOK_URL_OK },
	{ "http://partner.example/hooks", false, WEBHOOK_URL_SCHEME },
	{ "http://127.0.0.1:8080/hook", true, WEBHOOK_URL_OK },
	{ "https://10.0.0.5/hook", true, WEBHOOK_URL_OK },
	{ "ftp://partner.example/", true, WEBHOOK_URL_SCHEME },
	{ "partner.example/hooks", false, WEBHOOK_URL_SCHEME },
	{ "file:///etc/passwd", true, WEBHOOK_URL_SCHEME },
	{ "https://", false, WEBHOOK_URL_HOST },
	{ "https:///x", false, WEBHOOK_URL_HOST },
	{ "https://user:pw@partner.example/", false, WEBHOOK_URL_HOST },
	{ "https://partner.example:0/", false, WEBHOOK_URL_HOST },
	{ "https://partner.example:65536/", false, WEBHOOK_URL_HOST },
	{ "https://partner.example:/", false, WEBHOOK_URL_HOST },
	{ "https://partner.example:8a/", false, WEBHOOK_URL_HOST },
	{ "https://[::1/", false, WEBHOOK_URL_HOST },
	{ "https://[not-an-ip]/", false, WEBHOOK_URL_HOST },
	{ "https://a%2fb/", false, WEBHOOK_URL_HOST },
	{ "https://part ner.example/", false, WEBHOOK_URL_CHARS },
	{ "https://partner.example/\n", false, WEBHOOK_URL_CHARS },
	{ "https://bücher.example/", false, WEBHOOK_URL_CHARS },
	{ "https://127.0.0.1/hook", false, WEBHOOK_URL_PRIVATE },
	{ "https://127.1/hook", false, WEBHOOK_URL_PRIVATE },
	{ "https://2130706433/hook", false, WEBHOOK_URL_PRIVATE },
	{ "https://0x7f000001/hook", false, WEBHOOK_URL_PRIVATE },
	{ "https://[::1]/hook", false, WEBHOOK_URL_PRIVATE },
	{ "https://[::ffff:127.0.0.1]/hook", false, WEBHOOK_URL_PRIVATE },
	{ "https://169.254.169.254/latest", false, WEBHOOK_URL_PRIVATE },
	{ "https://[fe80::1]/", false, WEBHOOK_URL_PRIVATE },
	{ "https://100.64.0.1/", false, WEBHOOK_URL_PRIVATE },
	{ "https://0.0.0.0:8080/", false, WEBHOOK_URL_PRIVATE },
};

START_TEST(url_check)
{
	enum webhook_url	 got;

	got = webhook_url_check(urls[_i].url, urls[_i].allow_private);
	ck_assert_msg(got == urls[_i].want, "%s: \"%s\"", urls[_i].url,
	    webhook_url_message(got));
}
END_TEST

START_TEST(url_long)
{
	char	*u;

	u = malloc(WEBHOOK_URL_MAX + 16);
	ck_assert_ptr_nonnull(u);
	memset(u, 'a', WEBHOOK_URL_MAX + 15);
	memcpy(u, "https://", 8);
	u[WEBHOOK_URL_MAX + 15] = '\0';
	ck_assert_int_eq(webhook_url_check(u, false), WEBHOOK_URL_LONG);
	free(u);
}
END_TEST

static const struct {
	const char	*in;
	size_t		 len;
	const char	*want;
} excerpts[] = {
	{ "ok", 2, "ok" },
	{ "", 0, "" },
	{ "a\0b", 3, "a?b" },
	{ "line\r\n\tx", 8, "line\r\n\tx" },
	{ "\x1b[31mred", 8, "?[31mred" },
	{ "Z\xc3\xbcrich", 7, "Z\xc3\xbcrich" },
	{ "\xff\xfe", 2, "??" },
	{ "\xc0\xaf", 2, "??" },			/* overlong '/' */
	{ "\xed\xa0\x80", 3, "???" },			/* surrogate */
	{ "\xf4\x90\x80\x80", 4, "????" },		/* > U+10FFFF */
	{ "a\xc3", 2, "a?" },				/* truncated */
	{ "\xf0\x9f\x98\x80!", 5, "\xf0\x9f\x98\x80!" },
};

START_TEST(excerpt)
{
	char	 out[WEBHOOK_EXCERPT_MAX + 1];
	size_t	 n;

	n = webhook_excerpt(excerpts[_i].in, excerpts[_i].len, out);
	ck_assert_str_eq(out, excerpts[_i].want);
	ck_assert_uint_eq(n, strlen(excerpts[_i].want));
}
END_TEST

START_TEST(excerpt_cap)
{
	char	 in[WEBHOOK_EXCERPT_MAX + 8], out[WEBHOOK_EXCERPT_MAX + 1];
	size_t	 n;

	memset(in, 'x', sizeof(in));
	ck_assert_uint_eq(webhook_excerpt(in, sizeof(in), out),
	    WEBHOOK_EXCERPT_MAX);
	/* A two-byte character straddling the cap is dropped whole. */
	in[WEBHOOK_EXCERPT_MAX - 1] = '\xc3';
	in[WEBHOOK_EXCERPT_MAX] = '\xbc';
	n = webhook_excerpt(in, sizeof(in), out);
	ck_assert_uint_eq(n, WEBHOOK_EXCERPT_MAX - 1);
	ck_assert_uint_eq(strlen(out), n);
}
END_TEST

static const struct {
	const char	*in;
	bool		 ok;
} times[] = {
	{ "2025-01-31", true },
	{ "2025-01-31T12:00", true },		/* datetime-local */
	{ "2025-01-31T12:00:59", true },
	{ "2025-01-31T12:00:59Z", true },
	{ "2025-01-31T12:00:59.123Z", true },
	{ "2025-01-31T12:00Z", false },		/* Z only after seconds */
	{ "", false },
	{ "yesterday", false },
	{ "2025-1-31", false },
	{ "2025-13-01", false },
	{ "2025-00-10", false },
	{ "2025-01-32", false },
	{ "2025-01-31T24:00", false },
	{ "2025-01-31T12:60", false },
	{ "2025-01-31T12", false },
	{ "2025-01-31Z", false },
	{ "2025-01-31 12:00", false },
	{ "2025-01-31T12:00:00+01:00", false },
	{ "2025-01-31T12:00:00Z'; DROP", false },
	{ "2025-01-31T12:00.5", false },
};

START_TEST(time_ok)
{
	ck_assert_msg(webhook_time_ok(times[_i].in) == times[_i].ok, "%s",
	    times[_i].in);
}
END_TEST

static const struct {
	const char	*in;
	size_t		 max;
	bool		 ok;
} names[] = {
	{ "Partner", 100, true },
	{ "<script>alert(1)</script> & \"co\"", 100, true },
	{ "Z\xc3\xbcrich Open Data", 100, true },
	{ "", 100, false },
	{ "tab\there", 100, false },
	{ "line\nbreak", 100, false },
	{ "del\x7f", 100, false },
	{ "0123456789", 10, true },
	{ "0123456789x", 10, false },
};

START_TEST(name_ok)
{
	ck_assert_msg(webhook_name_ok(names[_i].in, names[_i].max) ==
	    names[_i].ok, "%s", names[_i].in);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("webhook");
	TCase	*tc;

	tc = tcase_create("sign");
	tcase_add_test(tc, sign_vector);
	tcase_add_test(tc, sign_changes);
	tcase_add_test(tc, sign_header_rotation);
	tcase_add_loop_test(tc, secret_forms, 0,
	    sizeof(secrets) / sizeof(secrets[0]));
	tcase_add_test(tc, secret_new);
	suite_add_tcase(s, tc);

	tc = tcase_create("retry");
	tcase_add_test(tc, retry_schedule);
	tcase_add_loop_test(tc, retry_after, 0,
	    sizeof(retry_afters) / sizeof(retry_afters[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("address");
	tcase_add_loop_test(tc, classify, 0, sizeof(addrs) / sizeof(addrs[0]));
	tcase_add_test(tc, classify_sockaddr);
	tcase_add_loop_test(tc, classify_not_literal, 0,
	    sizeof(not_literals) / sizeof(not_literals[0]));
	tcase_add_loop_test(tc, url_check, 0, sizeof(urls) / sizeof(urls[0]));
	tcase_add_test(tc, url_long);
	tcase_add_loop_test(tc, time_ok, 0, sizeof(times) / sizeof(times[0]));
	tcase_add_loop_test(tc, name_ok, 0, sizeof(names) / sizeof(names[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("excerpt");
	tcase_add_loop_test(tc, excerpt, 0,
	    sizeof(excerpts) / sizeof(excerpts[0]));
	tcase_add_test(tc, excerpt_cap);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	if (sodium_init() == -1)
		return 1;
	return check_run(suite());
}
