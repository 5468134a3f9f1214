/*
 * webhook: signatures, secrets, retry delays and address checks for
 * partner notifications. Must never do I/O or keep state between calls.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/webhook.h"

#define RETRY_AFTER_SECONDS_MAX	(100LL * 365 * 24 * 3600)

/* ---- signatures and secrets ---- */

/* Decode the base64 after "whsec_" into key; false when it does not. */
static bool
secret_key(const char *secret, unsigned char *key, size_t *keylen)
{
	const char	*b64, *end;
	size_t		 len, n;
	int		 variant;

	if (secret == NULL || strncmp(secret, WEBHOOK_SECRET_PREFIX,
	    strlen(WEBHOOK_SECRET_PREFIX)) != 0)
		return false;
	b64 = secret + strlen(WEBHOOK_SECRET_PREFIX);
	len = strlen(b64);
	variant = strchr(b64, '=') != NULL ? sodium_base64_VARIANT_ORIGINAL :
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
	if (len == 0 || sodium_base642bin(key, WEBHOOK_SECRET_KEY_MAX, b64, len,
	    NULL, &n, &end, variant) != 0 || end != b64 + len || n == 0)
		return false;
	*keylen = n;
	return true;
}

bool
webhook_secret_valid(const char *s)
{
	unsigned char	 key[WEBHOOK_SECRET_KEY_MAX];
	size_t		 n;
	bool		 ok;

	ok = secret_key(s, key, &n);
	sodium_memzero(key, sizeof(key));
	return ok;
}

int
webhook_sign(const char *secret, const char *id, int64_t timestamp,
    const char *body, size_t len, char out[WEBHOOK_SIG_MAX])
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 key[WEBHOOK_SECRET_KEY_MAX];
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];
	char				 ts[32];
	size_t				 keylen;
	int				 rc = -1, cut;

	if (strlen(id) >= WEBHOOK_ID_MAX || !secret_key(secret, key, &keylen))
		goto out;
	/* An int64_t has at most 20 characters: 23 bytes of 32. */
	cut = buf_fmt(ts, sizeof(ts), ".%" PRId64 ".", timestamp);
	assert(cut == 0);
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)id,
	    strlen(id));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts,
	    strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "v1,", 3);
	sodium_bin2base64(out + 3, WEBHOOK_SIG_MAX - 3, mac, sizeof(mac),
	    sodium_base64_VARIANT_ORIGINAL);
	rc = 0;
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(&st, sizeof(st));
	return rc;
}

int
webhook_signature_header(const char *secret, const char *previous,
    const char *id, int64_t timestamp, const char *body, size_t len,
    char out[WEBHOOK_SIGS_MAX])
{
	char	 a[WEBHOOK_SIG_MAX], b[WEBHOOK_SIG_MAX];
	int	 rc;

	/* Two strings shorter than WEBHOOK_SIG_MAX and a space fit. */
	if (webhook_sign(secret, id, timestamp, body, len, a) == -1)
		return -1;
	if (previous == NULL) {
		rc = buf_fmt(out, WEBHOOK_SIGS_MAX, "%s", a);
		assert(rc == 0);
		return 0;
	}
	if (webhook_sign(previous, id, timestamp, body, len, b) == -1)
		return -1;
	rc = buf_fmt(out, WEBHOOK_SIGS_MAX, "%s %s", a, b);
	assert(rc == 0);
	return 0;
}

int
webhook_secret_new(char out[WEBHOOK_SECRET_MAX])
{
	unsigned char	 key[WEBHOOK_SECRET_BYTES];
	size_t		 n;

	_Static_assert(sizeof(WEBHOOK_SECRET_PREFIX) - 1 +
	    sodium_base64_ENCODED_LEN(WEBHOOK_SECRET_BYTES,
	    sodium_base64_VARIANT_ORIGINAL) <= WEBHOOK_SECRET_MAX,
	    "a new secret fits WEBHOOK_SECRET_MAX");
	if (sodium_init() == -1)
		return -1;
	randombytes_buf(key, sizeof(key));
	n = strlen(WEBHOOK_SECRET_PREFIX);
	memcpy(out, WEBHOOK_SECRET_PREFIX, n);
	sodium_bin2base64(out + n, WEBHOOK_SECRET_MAX - n, key, sizeof(key),
	    sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof(key));
	return 0;
}

/* ---- retries ---- */

static const int64_t retry_base[WEBHOOK_RETRIES] = {
	5LL * 1000,		/* 5 s */
	5LL * 60 * 1000,	/* 5 min */
	30LL * 60 * 1000,	/* 30 min */
	2LL * 3600 * 1000,	/* 2 h */
	5LL * 3600 * 1000,	/* 5 h */
	10LL * 3600 * 1000,	/* 10 h */
	14LL * 3600 * 1000,	/* 14 h */
	20LL * 3600 * 1000,	/* 20 h */
	24LL * 3600 * 1000,	/* 24 h */
};

int64_t
webhook_retry_base_ms(int n)
{
	if (n < 1 || n > WEBHOOK_RETRIES)
		return -1;
	return retry_base[n - 1];
}

int64_t
webhook_retry_delay_ms(int attempts)
{
	int64_t	 base, j;

	if ((base = webhook_retry_base_ms(attempts)) == -1 ||
	    sodium_init() == -1)
		return -1;
	j = base * WEBHOOK_JITTER_PCT / 100;
	/* 2j + 1 <= 0.4 * 24 h in ms + 1, well below 2^32. */
	return base - j + (int64_t)randombytes_uniform((uint32_t)(2 * j + 1));
}

/* ---- Retry-After ---- */

static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr",
	"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static bool
http_date(const char *s, time_t *out)
{
	struct tm	 tm;
	char		 wd[16], mon[4], tz[4];
	int		 d, y, hh, mm, ss, n = -1, mi;
	time_t		 t;

	/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
	if (sscanf(s, "%15[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3s%n",
	    wd, &d, mon, &y, &hh, &mm, &ss, tz, &n) == 8 && n > 0 &&
	    s[n] == '\0' && strcmp(tz, "GMT") == 0)
		;
	/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
	else if ((n = -1, sscanf(s,
	    "%15[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d %3s%n",
	    wd, &d, mon, &y, &hh, &mm, &ss, tz, &n)) == 8 && n > 0 &&
	    s[n] == '\0' && strcmp(tz, "GMT") == 0)
		y += y < 70 ? 2000 : 1900;
	/* asctime: Sun Nov  6 08:49:37 1994 */
	else if ((n = -1, sscanf(s,
	    "%15[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n",
	    wd, mon, &d, &hh, &mm, &ss, &y, &n)) == 7 && n > 0 &&
	    s[n] == '\0')
		;
	else
		return false;
	for (mi = 0; mi < 12; mi++)
		if (strcmp(mon, months[mi]) == 0)
			break;
	if (mi == 12 || d < 1 || d > 31 || y < 1970 || y > 9999 ||
	    hh > 23 || mm > 59 || ss > 60 || hh < 0 || mm < 0 || ss < 0)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mi;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	if ((t = timegm(&tm)) == (time_t)-1)
		return false;
	*out = t;
	return true;
}

bool
webhook_retry_after(const char *value, int64_t now_ms, int64_t *delay_ms)
{
	char		 s[64];
	size_t		 len;
	int64_t		 d = 0;
	time_t		 t;
	const char	*p;

	if (value == NULL)
		return false;
	while (*value == ' ' || *value == '\t')
		value++;
	len = strlen(value);
	while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t' ||
	    value[len - 1] == '\r' || value[len - 1] == '\n'))
		len--;
	if (len == 0 || len >= sizeof(s))
		return false;
	memcpy(s, value, len);
	s[len] = '\0';
	for (p = s; *p >= '0' && *p <= '9'; p++)
		if ((d = d * 10 + (*p - '0')) > RETRY_AFTER_SECONDS_MAX)
			d = RETRY_AFTER_SECONDS_MAX;
	if (*p == '\0')
		d *= 1000;
	else if (http_date(s, &t))
		d = (int64_t)t * 1000 - now_ms;
	else
		return false;
	if (d < WEBHOOK_RETRY_AFTER_MIN)
		d = WEBHOOK_RETRY_AFTER_MIN;
	if (d > WEBHOOK_RETRY_AFTER_MAX)
		d = WEBHOOK_RETRY_AFTER_MAX;
	*delay_ms = d;
	return true;
}

/* ---- the address classifier ---- */

static const char *const addr_names[] = {
	"public", "unspecified", "loopback", "private", "link-local",
	"carrier-grade NAT", "multicast", "documentation", "reserved",
};
_Static_assert(sizeof(addr_names) / sizeof(addr_names[0]) ==
    WEBHOOK_ADDR__MAX, "one name per address class");

const char *
webhook_addr_name(enum webhook_addr a)
{
	return a < WEBHOOK_ADDR__MAX ? addr_names[a] : "reserved";
}

struct prefix {
	unsigned char		 net[16];
	int			 bits;
	enum webhook_addr	 class;
};

/* First match wins; an address matching none is public. */
static const struct prefix v4_prefixes[] = {
	{ { 0 }, 8, WEBHOOK_ADDR_UNSPECIFIED },
	{ { 10 }, 8, WEBHOOK_ADDR_PRIVATE },
	{ { 100, 64 }, 10, WEBHOOK_ADDR_CGNAT },
	{ { 127 }, 8, WEBHOOK_ADDR_LOOPBACK },
	{ { 169, 254 }, 16, WEBHOOK_ADDR_LINK_LOCAL },
	{ { 172, 16 }, 12, WEBHOOK_ADDR_PRIVATE },
	{ { 192, 0, 0 }, 24, WEBHOOK_ADDR_RESERVED },
	{ { 192, 0, 2 }, 24, WEBHOOK_ADDR_DOCUMENTATION },
	{ { 192, 88, 99 }, 24, WEBHOOK_ADDR_RESERVED },	/* 6to4 relay */
	{ { 192, 168 }, 16, WEBHOOK_ADDR_PRIVATE },
	{ { 198, 18 }, 15, WEBHOOK_ADDR_RESERVED },	/* benchmarking */
	{ { 198, 51, 100 }, 24, WEBHOOK_ADDR_DOCUMENTATION },
	{ { 203, 0, 113 }, 24, WEBHOOK_ADDR_DOCUMENTATION },
	{ { 224 }, 4, WEBHOOK_ADDR_MULTICAST },
	{ { 240 }, 4, WEBHOOK_ADDR_RESERVED },	/* + broadcast */
};

/* After ::, ::1 and the forms that carry an IPv4 address. */
static const struct prefix v6_prefixes[] = {
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48,
	    WEBHOOK_ADDR_PRIVATE },			/* local-use NAT64 */
	{ { 0x01 }, 64, WEBHOOK_ADDR_RESERVED },	/* 100::/64 discard */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, WEBHOOK_ADDR_DOCUMENTATION },
	{ { 0x20, 0x01 }, 23, WEBHOOK_ADDR_RESERVED },	/* teredo... */
	{ { 0x20, 0x02 }, 16, WEBHOOK_ADDR_RESERVED },	/* 6to4 */
	{ { 0x3f, 0xff }, 20, WEBHOOK_ADDR_DOCUMENTATION },
	{ { 0xfc }, 7, WEBHOOK_ADDR_PRIVATE },		/* unique local */
	{ { 0xfe, 0x80 }, 10, WEBHOOK_ADDR_LINK_LOCAL },
	{ { 0xfe, 0xc0 }, 10, WEBHOOK_ADDR_PRIVATE },	/* site-local */
	{ { 0xff }, 8, WEBHOOK_ADDR_MULTICAST },
	{ { 0x20 }, 3, WEBHOOK_ADDR_PUBLIC },		/* global */
};

static bool
prefix_match(const unsigned char *a, const struct prefix *p)
{
	int	 full = p->bits / 8, rest = p->bits % 8;

	if (memcmp(a, p->net, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ p->net[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static enum webhook_addr
classify4(const unsigned char a[4])
{
	size_t	 i;

	for (i = 0; i < sizeof(v4_prefixes) / sizeof(v4_prefixes[0]); i++)
		if (prefix_match(a, &v4_prefixes[i]))
			return v4_prefixes[i].class;
	return WEBHOOK_ADDR_PUBLIC;
}

static enum webhook_addr
classify6(const unsigned char a[16])
{
	static const unsigned char	 zero[16];
	static const unsigned char	 mapped[12] = { 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char	 nat64[12] = { 0, 0x64, 0xff, 0x9b };
	enum webhook_addr		 c;
	size_t				 i;

	if (memcmp(a, zero, 16) == 0)
		return WEBHOOK_ADDR_UNSPECIFIED;
	if (memcmp(a, zero, 15) == 0 && a[15] == 1)
		return WEBHOOK_ADDR_LOOPBACK;
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return classify4(a + 12);
	if (memcmp(a, zero, 12) == 0) {
		/* IPv4-compatible (deprecated): never public. */
		c = classify4(a + 12);
		return c == WEBHOOK_ADDR_PUBLIC ? WEBHOOK_ADDR_RESERVED : c;
	}
	for (i = 0; i < sizeof(v6_prefixes) / sizeof(v6_prefixes[0]); i++)
		if (prefix_match(a, &v6_prefixes[i]))
			return v6_prefixes[i].class;
	return WEBHOOK_ADDR_RESERVED;
}

enum webhook_addr
webhook_addr_classify(const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	if (sa == NULL)
		return WEBHOOK_ADDR_RESERVED;
	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)(const void *)sa;
		return classify4((const unsigned char *)&sin->sin_addr);
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		return classify6(sin6->sin6_addr.s6_addr);
	default:
		return WEBHOOK_ADDR_RESERVED;
	}
}

bool
webhook_addr_classify_str(const char *s, enum webhook_addr *out)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (inet_pton(AF_INET, s, &a4) == 1) {
		*out = classify4((const unsigned char *)&a4);
		return true;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		*out = classify6(a6.s6_addr);
		return true;
	}
	return false;
}

/* ---- endpoint URLs ---- */

static const char *const url_messages[] = {
	"the URL is fine",
	"the URL is too long",
	"the URL may contain only printable ASCII characters without spaces",
	"the URL must start with https:// (http:// only with --allow-private)",
	"the URL needs a host name and must not contain user:password@",
	"the URL points to a private, loopback or reserved address "
	    "(use --allow-private for a partner on a private network)",
};
_Static_assert(sizeof(url_messages) / sizeof(url_messages[0]) ==
    WEBHOOK_URL__MAX, "one message per URL problem");

const char *
webhook_url_message(enum webhook_url u)
{
	return u < WEBHOOK_URL__MAX ? url_messages[u] : "bad URL";
}

/* Classify a host that is an address literal; false for a name. */
static bool
host_literal(const char *host, enum webhook_addr *c)
{
	struct in_addr	 a4;

	/* inet_aton also takes the forms 127.1, 0x7f000001, 2130706433. */
	if (inet_aton(host, &a4) != 0) {
		*c = classify4((const unsigned char *)&a4);
		return true;
	}
	return webhook_addr_classify_str(host, c);
}

enum webhook_url
webhook_url_check(const char *url, bool allow_private)
{
	char			 host[256];
	const char		*p, *a, *e, *h, *he;
	size_t			 n;
	enum webhook_addr	 c;

	if (strlen(url) >= WEBHOOK_URL_MAX)
		return WEBHOOK_URL_LONG;
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return WEBHOOK_URL_CHARS;
	if (strncasecmp(url, "https://", 8) == 0)
		a = url + 8;
	else if (allow_private && strncasecmp(url, "http://", 7) == 0)
		a = url + 7;
	else
		return WEBHOOK_URL_SCHEME;
	e = a + strcspn(a, "/?#");
	if (memchr(a, '@', e - a) != NULL || e == a)
		return WEBHOOK_URL_HOST;
	if (*a == '[') {
		h = a + 1;
		if ((he = memchr(h, ']', e - h)) == NULL)
			return WEBHOOK_URL_HOST;
		p = he + 1;
	} else {
		h = a;
		if ((he = memchr(a, ':', e - a)) == NULL)
			he = e;
		p = he;
	}
	n = he - h;
	if (n == 0 || n >= sizeof(host))
		return WEBHOOK_URL_HOST;
	if (p < e) {
		/* ":port", 1 .. 65535 */
		long	 port = 0;

		if (*p++ != ':' || p == e || e - p > 5)
			return WEBHOOK_URL_HOST;
		for (; p < e; p++) {
			if (!isdigit((unsigned char)*p))
				return WEBHOOK_URL_HOST;
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535)
			return WEBHOOK_URL_HOST;
	}
	memcpy(host, h, n);
	host[n] = '\0';
	if (*a == '[') {
		if (!webhook_addr_classify_str(host, &c))
			return WEBHOOK_URL_HOST;
	} else {
		for (p = host; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' &&
			    *p != '.' && *p != '_')
				return WEBHOOK_URL_HOST;
		if (!host_literal(host, &c))
			c = WEBHOOK_ADDR_PUBLIC;
	}
	if (c != WEBHOOK_ADDR_PUBLIC && !allow_private)
		return WEBHOOK_URL_PRIVATE;
	return WEBHOOK_URL_OK;
}

/* ---- response excerpts ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	uint32_t	 cp;
	size_t		 len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t
webhook_excerpt(const char *body, size_t len,
    char out[WEBHOOK_EXCERPT_MAX + 1])
{
	const unsigned char	*s = (const unsigned char *)body;
	size_t			 i = 0, o = 0, n;

	while (i < len && o < WEBHOOK_EXCERPT_MAX) {
		n = utf8_len(s + i, len - i);
		if (n == 0 || (n == 1 && ((s[i] < 0x20 && s[i] != '\t' &&
		    s[i] != '\n' && s[i] != '\r') || s[i] == 0x7f))) {
			out[o++] = '?';
			i++;
			continue;
		}
		if (o + n > WEBHOOK_EXCERPT_MAX)
			break;
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return o;
}

bool
webhook_name_ok(const char *s, size_t max)
{
	size_t	 len = strlen(s);

	if (len == 0 || len > max)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* The two digits at s as a number. */
static int
two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

bool
webhook_time_ok(const char *s)
{
	static const char	 pat[] = "dddd-dd-ddTdd:dd:dd";
	size_t			 i;

	for (i = 0; s[i] != '\0' && pat[i] != '\0'; i++) {
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return false;
	}
	if (i != 10 && i != 16 && i != 19)
		return false;
	if (two(s + 5) < 1 || two(s + 5) > 12 || two(s + 8) < 1 ||
	    two(s + 8) > 31)
		return false;
	if (i >= 16 && (two(s + 11) > 23 || two(s + 14) > 59))
		return false;
	if (i == 19 && two(s + 17) > 60)
		return false;
	if (i == 19 && s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (i >= 16 && s[i] == 'Z')
		i++;
	return s[i] == '\0';
}
