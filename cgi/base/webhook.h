/*
 * webhook: the pure parts of partner notifications. Standard Webhooks
 * signatures, partner secrets, the retry schedule, Retry-After, endpoint
 * URL checks and the address classifier of the SSRF guard. No I/O.
 */
#ifndef KEYFIELD_WEBHOOK_H
#define KEYFIELD_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sockaddr;

#define WEBHOOK_SECRET_PREFIX	"whsec_"
#define WEBHOOK_SECRET_BYTES	32	/* random bytes of a new secret */
#define WEBHOOK_SECRET_KEY_MAX	64	/* bytes of a decoded key */
#define WEBHOOK_SECRET_MAX	128	/* chars of a secret, with NUL */
#define WEBHOOK_SIG_MAX		48	/* "v1," + 44 base64 + NUL */
#define WEBHOOK_SIGS_MAX	(2 * WEBHOOK_SIG_MAX)	/* two of them */
#define WEBHOOK_ID_MAX		128	/* bytes of a webhook-id */
#define WEBHOOK_URL_MAX		2048	/* bytes of a URL */
#define WEBHOOK_EXCERPT_MAX	1024	/* bytes of a response kept */
#define WEBHOOK_ROTATE_OVERLAP_MS (24LL * 3600 * 1000)	/* both sign */
#define WEBHOOK_JITTER_PCT	20	/* retry delays vary by +-this % */
#define WEBHOOK_RETRY_AFTER_MIN	1000LL			/* ms */
#define WEBHOOK_RETRY_AFTER_MAX	(24LL * 3600 * 1000)	/* ms */

/*
 * The signature "v1,<base64>" of one attempt: HMAC-SHA256 with the key
 * that secret ("whsec_" + base64) decodes to, over id "." timestamp "."
 * body. out must hold WEBHOOK_SIG_MAX bytes. -1 when the secret does not
 * decode (or the key is empty or too long) or id is too long; out is
 * untouched then.
 */
int	 webhook_sign(const char *secret, const char *id, int64_t timestamp,
	    const char *body, size_t len, char out[WEBHOOK_SIG_MAX]);
/*
 * The webhook-signature header value: the signature with secret, then,
 * when previous is not NULL, a space and the one with previous (both sign
 * while a secret is being rotated). out holds WEBHOOK_SIGS_MAX. 0 or -1.
 */
int	 webhook_signature_header(const char *secret, const char *previous,
	    const char *id, int64_t timestamp, const char *body, size_t len,
	    char out[WEBHOOK_SIGS_MAX]);
/* true when s is "whsec_" followed by a key webhook_sign accepts. */
bool	 webhook_secret_valid(const char *s);
/*
 * A new secret, "whsec_" + base64 of 32 random bytes, into out. -1 only
 * when libsodium cannot be initialised.
 */
int	 webhook_secret_new(char out[WEBHOOK_SECRET_MAX]);

/* Delays after each failed attempt: 5 s, 5 min, ... 24 h (the issue). */
#define WEBHOOK_RETRIES		9
/* The delay before retry n (1 .. WEBHOOK_RETRIES) without jitter, ms. */
int64_t	 webhook_retry_base_ms(int n);
/*
 * The delay in ms after the failed attempt number attempts (1 = the
 * first attempt failed): the schedule with +-WEBHOOK_JITTER_PCT % random
 * jitter; -1 when no retry is left (attempts > WEBHOOK_RETRIES) or
 * libsodium cannot be initialised.
 */
int64_t	 webhook_retry_delay_ms(int attempts);

/*
 * Parse a Retry-After value: delta seconds, or an HTTP-date (IMF-fixdate,
 * RFC 850 or asctime form) taken relative to now_ms. The delay is clamped
 * to WEBHOOK_RETRY_AFTER_MIN .. _MAX. false (nothing written) when the
 * value is neither.
 */
bool	 webhook_retry_after(const char *value, int64_t now_ms,
	    int64_t *delay_ms);

/* Where an address points; anything but WEBHOOK_ADDR_PUBLIC is refused. */
enum webhook_addr {
	WEBHOOK_ADDR_PUBLIC,
	WEBHOOK_ADDR_UNSPECIFIED,	/* 0.0.0.0/8, :: */
	WEBHOOK_ADDR_LOOPBACK,		/* 127/8, ::1 */
	WEBHOOK_ADDR_PRIVATE,		/* RFC 1918, fc00::/7, fec0::/10 */
	WEBHOOK_ADDR_LINK_LOCAL,	/* 169.254/16, fe80::/10 */
	WEBHOOK_ADDR_CGNAT,		/* 100.64/10 */
	WEBHOOK_ADDR_MULTICAST,		/* 224/4, ff00::/8 */
	WEBHOOK_ADDR_DOCUMENTATION,	/* TEST-NETs, 2001:db8::/32 */
	WEBHOOK_ADDR_RESERVED,		/* 240/4, teredo, 6to4, ... */
	WEBHOOK_ADDR__MAX
};

/* "public", "loopback", ... */
const char	*webhook_addr_name(enum webhook_addr);
/*
 * Classify an AF_INET or AF_INET6 socket address; IPv4-mapped,
 * IPv4-compatible and NAT64 IPv6 addresses are classified by the IPv4
 * address they carry. Any other family is WEBHOOK_ADDR_RESERVED.
 */
enum webhook_addr webhook_addr_classify(const struct sockaddr *);
/* The same for a numeric address literal; false when s is not one. */
bool	 webhook_addr_classify_str(const char *s, enum webhook_addr *out);

/* Why an endpoint URL is refused (webhook_url_check). */
enum webhook_url {
	WEBHOOK_URL_OK,
	WEBHOOK_URL_LONG,		/* over WEBHOOK_URL_MAX */
	WEBHOOK_URL_CHARS,		/* space, control or non-ASCII byte */
	WEBHOOK_URL_SCHEME,		/* not https:// (http:// private) */
	WEBHOOK_URL_HOST,		/* no host, or user:password@ */
	WEBHOOK_URL_PRIVATE,		/* a refused address literal */
	WEBHOOK_URL__MAX
};

/*
 * Check an endpoint URL before it is stored: https:// (http:// too when
 * allow_private), a host, no credentials, printable ASCII; a literal
 * address host must be public unless allow_private. The resolved address
 * is checked again at every connection.
 */
enum webhook_url webhook_url_check(const char *url, bool allow_private);
/* One plain sentence for each enum webhook_url. */
const char	*webhook_url_message(enum webhook_url);

/* true for a partner name: 1..max bytes, no control characters. */
bool	 webhook_name_ok(const char *s, size_t max);
/*
 * true for a UTC time as "failed since" takes it: YYYY-MM-DD, optionally
 * followed by THH:MM[:SS[.fff]][Z] (what an HTML datetime-local input
 * sends), with the fields in range. Compared as text with created_at.
 */
bool	 webhook_time_ok(const char *s);

/*
 * Copy at most WEBHOOK_EXCERPT_MAX bytes of a response body into out
 * (WEBHOOK_EXCERPT_MAX + 1 bytes) as valid UTF-8: invalid bytes, NULs
 * and control characters other than tab and newline become '?', and a
 * character cut by the limit is dropped. Returns the length written.
 */
size_t	 webhook_excerpt(const char *body, size_t len,
	    char out[WEBHOOK_EXCERPT_MAX + 1]);

#endif
