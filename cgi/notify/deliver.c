/*
 * deliver: the libcurl multi loop of keyfield-notify; the only file that
 * includes curl/curl.h. Never connects to an address the SSRF guard
 * refuses, never follows a redirect, never lets one transfer wait on another.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "notify/deliver.h"
#include "base/log.h"

#ifdef PACKAGE_VERSION
#define USER_AGENT	"keyfield-notify/" PACKAGE_VERSION
#else
#define USER_AGENT	"keyfield-notify"
#endif

/*
 * The connections of one partner allowed on private addresses: a curl
 * connection cache of its own (a share), so they are kept alive between
 * its deliveries but never reused by another partner's transfer, which
 * would skip the SSRF guard (it runs when a connection is opened).
 */
struct pool {
	int64_t		 partner_id;	/* 0: free */
	CURLSH		*share;
	size_t		 users;		/* transfers using it */
	uint64_t	 last;		/* when last taken (deliver's tick) */
};

/*
 * A transfer slot. Its easy handle outlives the transfer: the next one
 * in the slot resets and reuses it (and the buffers curl keeps in it).
 */
struct xfer {
	bool			 used;
	bool			 added;		/* to the multi handle */
	CURL			*easy;		/* kept between transfers */
	struct pool		*pool;		/* allow_private only */
	struct curl_slist	*headers;
	int64_t			 delivery_id;
	int64_t			 partner_id;
	bool			 allow_private;
	struct timespec		 start;
	char			 resp[WEBHOOK_EXCERPT_MAX];	/* raw */
	size_t			 resp_len;
	char			 retry_after[64];
	char			 refused[DELIVER_ERROR_MAX - 40];
	char			 errbuf[CURL_ERROR_SIZE];
};

struct deliver {
	CURLM		*multi;
	struct xfer	 x[DELIVER_MAX];
	size_t		 running;
	/* At most DELIVER_MAX transfers use pools: one is always idle. */
	struct pool	 pools[DELIVER_MAX];
	uint64_t	 tick;
	char		*ca_file;	/* NULL: the system's CAs */
};

static int64_t
elapsed_ms(const struct timespec *start)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
}

/*
 * The SSRF guard: called for every address curl is about to connect
 * to, after name resolution, so a name that resolves (or rebinds) to a
 * private address is refused as well as a literal one.
 */
static curl_socket_t
opensocket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct xfer		*x = arg;
	enum webhook_addr	 c;
	char			 ip[INET6_ADDRSTRLEN] = "?";
	const void		*p = NULL;
	size_t			 len;

	if (purpose != CURLSOCKTYPE_IPCXN)
		return CURL_SOCKET_BAD;
	c = webhook_addr_classify(&a->addr);
	if (c == WEBHOOK_ADDR_PUBLIC || x->allow_private)
		return socket(a->family, a->socktype | SOCK_CLOEXEC,
		    a->protocol);
	if (a->family == AF_INET)
		p = &((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
	else if (a->family == AF_INET6)
		p = &((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr;
	if (p != NULL)
		inet_ntop(a->family, p, ip, sizeof(ip));
	/* Name every address refused: a name may resolve to several. */
	/* The text is ASCII: once cut and marked, it is full. */
	if ((len = strlen(x->refused)) + 1 < sizeof(x->refused) &&
	    buf_fmt(x->refused + len, sizeof(x->refused) - len, "%s%s %s",
	    len == 0 ? "refused to connect to " : ", ", webhook_addr_name(c),
	    ip) == -1)
		buf_mark_cut(x->refused, sizeof(x->refused));
	return CURL_SOCKET_BAD;
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer	*x = arg;
	size_t		 len = size * n, room;

	/* Keep the start for the log; read and drop the rest. */
	room = sizeof(x->resp) - x->resp_len;
	if (room > len)
		room = len;
	memcpy(x->resp + x->resp_len, data, room);
	x->resp_len += room;
	return len;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	static const char	 name[] = "retry-after:";
	struct xfer		*x = arg;
	size_t			 len = size * n, v;

	if (len > sizeof(name) - 1 &&
	    strncasecmp(data, name, sizeof(name) - 1) == 0) {
		v = len - (sizeof(name) - 1);
		if (v >= sizeof(x->retry_after))
			v = sizeof(x->retry_after) - 1;
		memcpy(x->retry_after, data + sizeof(name) - 1, v);
		x->retry_after[v] = '\0';
	} else if (len >= 5 && strncmp(data, "HTTP/", 5) == 0)
		x->retry_after[0] = '\0';	/* a new response begins */
	return len;
}

/*
 * The pool of partner_id, made (in place of the pool used least recently
 * by no transfer) when it has none: NULL on failure (logged).
 */
static struct pool *
pool_take(struct deliver *d, int64_t partner_id)
{
	struct pool	*p = NULL;
	CURLSHcode	 sc;

	for (size_t i = 0; i < DELIVER_MAX; i++)
		if (d->pools[i].partner_id == partner_id) {
			p = &d->pools[i];
			goto out;
		}
	for (size_t i = 0; i < DELIVER_MAX; i++)
		if (d->pools[i].users == 0 &&
		    (p == NULL || d->pools[i].last < p->last))
			p = &d->pools[i];
	if (p == NULL) {
		log_err("deliver: no idle connection pool");
		return NULL;
	}
	if (p->share != NULL)
		curl_share_cleanup(p->share);	/* closes its connections */
	memset(p, 0, sizeof(*p));
	if ((p->share = curl_share_init()) == NULL) {
		log_err("curl_share_init failed");
		return NULL;
	}
	if ((sc = curl_share_setopt(p->share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_CONNECT)) != CURLSHE_OK) {
		log_err("curl_share_setopt: %s", curl_share_strerror(sc));
		curl_share_cleanup(p->share);
		p->share = NULL;
		return NULL;
	}
	p->partner_id = partner_id;
out:
	p->users++;
	p->last = ++d->tick;
	return p;
}

/*
 * End a transfer, whether it started or not: the slot is free, its easy
 * handle kept for the next one but out of the multi and of any pool's
 * share (a share in use cannot be cleaned up).
 */
static void
xfer_end(struct deliver *d, struct xfer *x)
{
	CURL	*easy = x->easy;

	if (x->added)
		curl_multi_remove_handle(d->multi, easy);
	if (x->pool != NULL) {
		curl_easy_setopt(easy, CURLOPT_SHARE, NULL);
		x->pool->users--;
	}
	curl_slist_free_all(x->headers);
	memset(x, 0, sizeof(*x));
	x->easy = easy;
}

struct deliver *
deliver_open(const char *ca_file)
{
	struct deliver	*d;
	CURLcode	 cc;

	if ((cc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		log_err("curl_global_init: %s", curl_easy_strerror(cc));
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		log_err("deliver_open: %s", strerror(errno));
		curl_global_cleanup();
		return NULL;
	}
	if (ca_file != NULL && *ca_file != '\0' &&
	    (d->ca_file = strdup(ca_file)) == NULL) {
		log_err("deliver_open: %s", strerror(errno));
		free(d);
		curl_global_cleanup();
		return NULL;
	}
	if ((d->multi = curl_multi_init()) == NULL) {
		log_err("curl_multi_init failed");
		free(d->ca_file);
		free(d);
		curl_global_cleanup();
		return NULL;
	}
	return d;
}

void
deliver_close(struct deliver *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < DELIVER_MAX; i++) {
		if (d->x[i].used)
			xfer_end(d, &d->x[i]);
		if (d->x[i].easy != NULL)
			curl_easy_cleanup(d->x[i].easy);
	}
	for (size_t i = 0; i < DELIVER_MAX; i++)
		if (d->pools[i].share != NULL)
			curl_share_cleanup(d->pools[i].share);
	curl_multi_cleanup(d->multi);
	free(d->ca_file);
	free(d);
	curl_global_cleanup();
}

size_t
deliver_running(const struct deliver *d)
{
	return d->running;
}

size_t
deliver_partner_running(const struct deliver *d, int64_t partner_id)
{
	size_t	 n = 0;

	for (size_t i = 0; i < DELIVER_MAX; i++)
		if (d->x[i].used && d->x[i].partner_id == partner_id)
			n++;
	return n;
}

bool
deliver_busy(const struct deliver *d, int64_t delivery_id)
{
	for (size_t i = 0; i < DELIVER_MAX; i++)
		if (d->x[i].used && d->x[i].delivery_id == delivery_id)
			return true;
	return false;
}

/* Add a header line "name: value"; false when too long or out of memory. */
static bool
header(struct xfer *x, const char *name, const char *value)
{
	char			 line[512];
	struct curl_slist	*l;

	if (buf_fmt(line, sizeof(line), "%s: %s", name, value) == -1) {
		log_err("header %s: longer than %zu bytes", name,
		    sizeof(line) - 1);
		return false;
	}
	if ((l = curl_slist_append(x->headers, line)) == NULL)
		return false;
	x->headers = l;
	return true;
}

/* The request's headers: the signature's three and the content type. */
static bool
headers(struct xfer *x, const struct deliver_req *r)
{
	char	 ts[32];
	int	 cut;

	cut = buf_fmt(ts, sizeof(ts), "%" PRId64, r->timestamp);
	assert(cut == 0);	/* at most 20 characters */
	return header(x, "Content-Type", "application/json") &&
	    header(x, "webhook-id", r->webhook_id) &&
	    header(x, "webhook-timestamp", ts) &&
	    header(x, "webhook-signature", r->signature) &&
	    (x->headers = curl_slist_append(x->headers, "Expect:")) != NULL;
}

#define SETOPT(x, opt, val) do {					\
	CURLcode cc_ = curl_easy_setopt((x)->easy, (opt), (val));	\
	if (cc_ != CURLE_OK) {						\
		log_err("curl_easy_setopt %s: %s", #opt,		\
		    curl_easy_strerror(cc_));				\
		goto fail;						\
	}								\
} while (0)

int
deliver_start(struct deliver *d, const struct deliver_req *r)
{
	struct xfer	*x = NULL;
	CURLMcode	 mc;

	if (d->running >= DELIVER_MAX || deliver_busy(d, r->delivery_id) ||
	    deliver_partner_running(d, r->partner_id) >= DELIVER_PARTNER_MAX)
		return 1;
	for (size_t i = 0; i < DELIVER_MAX; i++)
		if (!d->x[i].used) {
			x = &d->x[i];
			break;
		}
	if (x == NULL)
		return 1;
	/* A free slot is zeroed but for its easy handle (xfer_end). */
	x->used = true;
	x->delivery_id = r->delivery_id;
	x->partner_id = r->partner_id;
	x->allow_private = r->allow_private;
	if (!headers(x, r)) {
		log_err("deliver_start: cannot build the headers");
		goto fail;
	}
	/* Every option is set again below; xfer_end took the share off. */
	if (x->easy != NULL)
		curl_easy_reset(x->easy);
	else if ((x->easy = curl_easy_init()) == NULL) {
		log_err("curl_easy_init failed");
		goto fail;
	}
	SETOPT(x, CURLOPT_URL, r->url);
	SETOPT(x, CURLOPT_PROTOCOLS_STR, r->allow_private ? "http,https" :
	    "https");
	SETOPT(x, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SETOPT(x, CURLOPT_FOLLOWLOCATION, 0L);
	if (d->ca_file != NULL)
		SETOPT(x, CURLOPT_CAINFO, d->ca_file);
	SETOPT(x, CURLOPT_PROXY, "");	/* none from the environment */
	SETOPT(x, CURLOPT_NOSIGNAL, 1L);
	SETOPT(x, CURLOPT_CONNECTTIMEOUT_MS, (long)DELIVER_CONNECT_TIMEOUT_MS);
	SETOPT(x, CURLOPT_TIMEOUT_MS, (long)DELIVER_TIMEOUT_MS);
	SETOPT(x, CURLOPT_OPENSOCKETFUNCTION, opensocket);
	SETOPT(x, CURLOPT_OPENSOCKETDATA, x);
	if (r->allow_private) {
		/* Connections to private addresses stay out of the multi's
		 * pool: in the partner's own, reused by it alone. */
		if ((x->pool = pool_take(d, r->partner_id)) == NULL)
			goto fail;
		SETOPT(x, CURLOPT_SHARE, x->pool->share);
	}
	SETOPT(x, CURLOPT_POST, 1L);
	SETOPT(x, CURLOPT_POSTFIELDS, r->body);
	SETOPT(x, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->len);
	SETOPT(x, CURLOPT_HTTPHEADER, x->headers);
	SETOPT(x, CURLOPT_USERAGENT, USER_AGENT);
	SETOPT(x, CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(x, CURLOPT_WRITEDATA, x);
	SETOPT(x, CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(x, CURLOPT_HEADERDATA, x);
	SETOPT(x, CURLOPT_ERRORBUFFER, x->errbuf);
	SETOPT(x, CURLOPT_PRIVATE, x);
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	if ((mc = curl_multi_add_handle(d->multi, x->easy)) != CURLM_OK) {
		log_err("curl_multi_add_handle: %s", curl_multi_strerror(mc));
		goto fail;
	}
	x->added = true;
	d->running++;
	return 0;
fail:
	xfer_end(d, x);
	return -1;
}

int
deliver_wait(struct deliver *d, int timeout_ms)
{
	CURLMcode	 mc;
	int		 still;

	/* Poll first: it returns at once when curl has work (a transfer
	 * just added), and what perform finishes is collected right after. */
	if ((mc = curl_multi_poll(d->multi, NULL, 0, timeout_ms, NULL)) !=
	    CURLM_OK) {
		log_err("curl_multi_poll: %s", curl_multi_strerror(mc));
		return -1;
	}
	if ((mc = curl_multi_perform(d->multi, &still)) != CURLM_OK) {
		log_err("curl_multi_perform: %s", curl_multi_strerror(mc));
		return -1;
	}
	return 0;
}

/* Where the time of an attempt went, at log level debug. */
static void
timings(struct xfer *x)
{
	curl_off_t	 dns = 0, conn = 0, tls = 0, first = 0, total = 0;

	curl_easy_getinfo(x->easy, CURLINFO_NAMELOOKUP_TIME_T, &dns);
	curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &conn);
	curl_easy_getinfo(x->easy, CURLINFO_APPCONNECT_TIME_T, &tls);
	curl_easy_getinfo(x->easy, CURLINFO_STARTTRANSFER_TIME_T, &first);
	curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T, &total);
	log_debug("delivery %" PRId64 ": dns %ld us, connect %ld us, tls %ld "
	    "us, first byte %ld us, total %ld us", x->delivery_id, (long)dns,
	    (long)conn, (long)tls, (long)first, (long)total);
}

int
deliver_result(struct deliver *d, struct deliver_result *out)
{
	struct xfer	*x = NULL;
	CURLMsg		*m;
	CURLcode	 cc;
	long		 code = 0;
	int		 left, cut;

	while ((m = curl_multi_info_read(d->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		if (curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
		    (char **)&x) != CURLE_OK || x == NULL)
			continue;
		break;
	}
	if (m == NULL || x == NULL)
		return 0;
	cc = m->data.result;
	memset(out, 0, sizeof(*out));
	out->delivery_id = x->delivery_id;
	out->partner_id = x->partner_id;
	out->latency_ms = elapsed_ms(&x->start);
	if (cc == CURLE_OK &&
	    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code) ==
	    CURLE_OK && code > 0 && code < 1000)
		out->status = (int)code;
	if (x->refused[0] != '\0' && out->status == 0) {
		out->refused = true;
		/* refused is 40 bytes shorter than error: it fits. */
		cut = buf_fmt(out->error, sizeof(out->error), "%s (the "
		    "partner is not --allow-private)", x->refused);
		assert(cut == 0);
	} else if (cc != CURLE_OK) {
		if (buf_fmt(out->error, sizeof(out->error), "%s",
		    x->errbuf[0] != '\0' ? x->errbuf :
		    curl_easy_strerror(cc)) == -1)
			buf_mark_cut(out->error, sizeof(out->error));
	} else if (out->status == 0)
		memcpy(out->error, "no HTTP status", sizeof("no HTTP status"));
	timings(x);
	webhook_excerpt(x->resp, x->resp_len, out->body);
	_Static_assert(sizeof(out->retry_after) == sizeof(x->retry_after),
	    "the same size");
	memcpy(out->retry_after, x->retry_after, sizeof(out->retry_after));
	xfer_end(d, x);
	d->running--;
	return 1;
}

void
deliver_wakeup(struct deliver *d)
{
	CURLMcode	 mc;

	if ((mc = curl_multi_wakeup(d->multi)) != CURLM_OK)
		log_err("curl_multi_wakeup: %s", curl_multi_strerror(mc));
}
