/*
 * post-load: the benchmark's load generator for saving and submitting
 * cards; one libcurl multi handle, one connection per expert and card.
 * Never runs longer than SECONDS (plus the requests then in flight, each
 * capped at REQUEST_TIMEOUT) or sends more than COUNT requests.
 *
 *   post-load BASE_URL CONNS_FILE BODY_FILE save|submit SECONDS COUNT
 *
 * CONNS_FILE has one line per connection: "CARD_ID SESSION CSRF REVISION"
 * (SESSION is the kf_session cookie's value); it is rewritten at the end
 * with each card's revision after the run, so the next run goes on from
 * there. BODY_FILE holds the card's answer fields, urlencoded; every
 * request edits one answer, as a person does between two saves: the last
 * field's value gets " edit N" appended (N counts the connection's
 * requests), so no two requests of a card send the same answers. A request
 * succeeds only with a 303; anything else counts as failed.
 * Prints one line:
 *   "requests N seconds S rate R p50_ms X p99_ms Y failed F"
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "bench.h"

#define CONNS_MAX	1024
#define BODY_MAX	(256 * 1024)		/* REQ_BODY_MAX */
#define COUNT_MAX	10000000L
#define SECONDS_MAX	3600L
#define REQUEST_TIMEOUT	30L			/* seconds */
#define FAILS_SHOWN	5

struct conn {
	CURL		*h;
	int64_t		 card;
	char		 session[128];
	char		 csrf[128];
	long long	 revision;
	char		 url[512];
	char		 cookie[160];
	char		*post;		/* csrf, revision, action, then body */
	double		 t0;
	long		 edits;		/* requests sent on this connection */
	bool		 busy;
};

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*data;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "post-load: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if ((data = malloc(BODY_MAX + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(data, 1, BODY_MAX, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "post-load: %s: over %d bytes\n", path,
		    BODY_MAX);
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r'))
		n--;
	data[n] = '\0';
	return data;
}

static int
conns_read(const char *path, struct conn *c, size_t *n)
{
	FILE	*f;
	char	 line[512];

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "post-load: %s: %s\n", path, strerror(errno));
		return -1;
	}
	*n = 0;
	while (*n < CONNS_MAX && fgets(line, sizeof(line), f) != NULL) {
		struct conn *k = &c[*n];

		if (sscanf(line, "%" SCNd64 " %127s %127s %lld", &k->card,
		    k->session, k->csrf, &k->revision) != 4)
			continue;
		(*n)++;
	}
	fclose(f);
	return *n > 0 ? 0 : -1;
}

static int
conns_write(const char *path, const struct conn *c, size_t n)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "post-load: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%" PRId64 " %s %s %lld\n", c[i].card, c[i].session,
		    c[i].csrf, c[i].revision);
	return fclose(f) == 0 ? 0 : -1;
}

/* Start the next POST on connection k. */
static int
post(CURLM *m, struct conn *k, const char *action, const char *body)
{
	size_t	 len;

	len = strlen(k->csrf) + strlen(body) + 128;
	free(k->post);
	if ((k->post = malloc(len)) == NULL)
		return -1;
	snprintf(k->post, len, "csrf=%s&revision=%lld&action=%s&%s+edit+%ld",
	    k->csrf, k->revision, action, body, ++k->edits);
	curl_easy_setopt(k->h, CURLOPT_POSTFIELDS, k->post);
	curl_easy_setopt(k->h, CURLOPT_POSTFIELDSIZE, (long)strlen(k->post));
	k->t0 = bench_now();
	k->busy = true;
	return curl_multi_add_handle(m, k->h) == CURLM_OK ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	static struct conn c[CONNS_MAX];
	CURLM		*m = NULL;
	CURLMsg		*msg;
	struct curl_slist *hdrs = NULL;
	char		*body = NULL;
	const char	*action;
	double		*lat = NULL, start, end, elapsed;
	long		 seconds, count, sent = 0, done = 0, failed = 0, code;
	size_t		 n = 0, busy = 0;
	int		 running, left, rc = 1;

	if (argc != 7 || (strcmp(argv[4], "save") != 0 &&
	    strcmp(argv[4], "submit") != 0) ||
	    (seconds = bench_number(argv[5], 1, SECONDS_MAX)) == -1 ||
	    (count = bench_number(argv[6], 1, COUNT_MAX)) == -1) {
		fprintf(stderr, "usage: post-load BASE_URL CONNS_FILE "
		    "BODY_FILE save|submit SECONDS COUNT\n");
		return 2;
	}
	action = argv[4];
	if (conns_read(argv[2], c, &n) == -1 ||
	    (body = slurp(argv[3])) == NULL ||
	    (lat = calloc((size_t)count, sizeof(*lat))) == NULL)
		goto out;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (m = curl_multi_init()) == NULL)
		goto out;
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)n);
	/* No "Expect: 100-continue" round trip: browsers do not wait. */
	if ((hdrs = curl_slist_append(NULL, "Expect:")) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct conn *k = &c[i];

		if ((k->h = curl_easy_init()) == NULL)
			goto out;
		snprintf(k->url, sizeof(k->url), "%s/card/%" PRId64, argv[1],
		    k->card);
		snprintf(k->cookie, sizeof(k->cookie), "kf_session=%s",
		    k->session);
		curl_easy_setopt(k->h, CURLOPT_URL, k->url);
		curl_easy_setopt(k->h, CURLOPT_COOKIE, k->cookie);
		curl_easy_setopt(k->h, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(k->h, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(k->h, CURLOPT_TIMEOUT, REQUEST_TIMEOUT);
		curl_easy_setopt(k->h, CURLOPT_PRIVATE, k);
		curl_easy_setopt(k->h, CURLOPT_NOSIGNAL, 1L);
	}
	start = bench_now();
	end = start + (double)seconds;
	for (size_t i = 0; i < n && sent < count; i++, sent++, busy++)
		if (post(m, &c[i], action, body) == -1)
			goto out;
	while (busy > 0) {
		if (curl_multi_perform(m, &running) != CURLM_OK ||
		    curl_multi_poll(m, NULL, 0, 100, NULL) != CURLM_OK)
			goto out;
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct conn *k;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&k);
			code = 0;
			curl_easy_getinfo(k->h, CURLINFO_RESPONSE_CODE, &code);
			curl_multi_remove_handle(m, k->h);
			k->busy = false;
			busy--;
			lat[done++] = (bench_now() - k->t0) * 1000.0;
			if (msg->data.result == CURLE_OK && code == 303)
				k->revision++;
			else if (failed++ < FAILS_SHOWN)
				fprintf(stderr, "post-load: card %" PRId64
				    ": %s, HTTP %ld\n", k->card,
				    curl_easy_strerror(msg->data.result), code);
			if (sent < count && bench_now() < end) {
				if (post(m, k, action, body) == -1)
					goto out;
				sent++;
				busy++;
			}
		}
	}
	elapsed = bench_now() - start;
	if (done == 0)
		goto out;
	qsort(lat, (size_t)done, sizeof(*lat), bench_cmp);
	printf("requests %ld seconds %.3f rate %.1f p50_ms %.3f p99_ms %.3f "
	    "failed %ld\n", done, elapsed, (double)done / elapsed,
	    lat[done / 2], lat[(size_t)((double)done * 0.99)], failed);
	if (conns_write(argv[2], c, n) == -1)
		goto out;
	rc = failed == 0 ? 0 : 1;
out:
	for (size_t i = 0; i < n; i++) {
		if (c[i].h != NULL) {
			if (c[i].busy)
				curl_multi_remove_handle(m, c[i].h);
			curl_easy_cleanup(c[i].h);
		}
		free(c[i].post);
	}
	curl_multi_cleanup(m);
	curl_slist_free_all(hdrs);
	free(body);
	free(lat);
	return rc;
}
