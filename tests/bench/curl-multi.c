/*
 * curl-multi: the baseline of the delivery benchmark (issue 5, part 3).
 * A minimal libcurl multi loop that POSTs each body of BODIES (one JSON
 * document a line: the events' payloads) to URL with CONC transfers in
 * flight, with headers of the same size as a signed webhook's, and the
 * connections libcurl keeps alive. With HANG_URL, HANG_CONC more
 * transfers go to an endpoint that never answers for the whole run, as
 * the daemon's attempts to such a partner do. Stops when every body got
 * a 2xx, or after SECONDS.
 *
 *   curl-multi URL BODIES CONC SECONDS [HANG_URL HANG_CONC]
 *
 * CURL_MULTI_FRESH=1 opens a new connection per request (as keyfield-notify
 * does for partners allowed on private addresses). Prints one line:
 *   "posted N ok M seconds S rate R"
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L	/* clock_gettime, getline, strdup */
#endif
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "bench.h"

#define CONC_MAX	256

struct xfer {
	CURL			*h;
	struct curl_slist	*headers;
	bool			 hang;
};

static char	**bodies;
static size_t	  nbodies, next_body, ok;
static bool	  fresh;

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static void
start(CURLM *m, struct xfer *x, const char *url, const char *body,
    long timeout_ms)
{
	char	 id[64];

	snprintf(id, sizeof(id), "webhook-id: msg_bench_%zu", next_body);
	x->headers = curl_slist_append(NULL, "Content-Type: application/json");
	x->headers = curl_slist_append(x->headers, id);
	x->headers = curl_slist_append(x->headers,
	    "webhook-timestamp: 1790000000");
	x->headers = curl_slist_append(x->headers, "webhook-signature: "
	    "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
	x->headers = curl_slist_append(x->headers, "Expect:");
	x->h = curl_easy_init();
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	curl_easy_setopt(x->h, CURLOPT_POST, 1L);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)strlen(body));
	curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_PROXY, "");
	curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, timeout_ms);
	if (fresh) {
		curl_easy_setopt(x->h, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(x->h, CURLOPT_FORBID_REUSE, 1L);
	}
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_multi_add_handle(m, x->h);
}

static void
done(CURLM *m, struct xfer *x)
{
	curl_multi_remove_handle(m, x->h);
	curl_easy_cleanup(x->h);
	curl_slist_free_all(x->headers);
	x->h = NULL;
	x->headers = NULL;
}

int
main(int argc, char *argv[])
{
	static struct xfer	 xs[CONC_MAX * 2];
	FILE			*f;
	char			*line = NULL, *url, *hang_url = NULL;
	size_t			 cap = 0, posted = 0;
	ssize_t			 n;
	long			 conc, hang_conc = 0, secs;
	int			 running, left;
	double			 t0, t1;
	CURLM			*m;
	CURLMsg			*msg;

	if (argc != 5 && argc != 7) {
		fprintf(stderr, "usage: curl-multi URL BODIES CONC SECONDS "
		    "[HANG_URL HANG_CONC]\n");
		return 2;
	}
	url = argv[1];
	conc = strtol(argv[3], NULL, 10);
	secs = strtol(argv[4], NULL, 10);
	if (argc == 7) {
		hang_url = argv[5];
		hang_conc = strtol(argv[6], NULL, 10);
	}
	if (conc < 1 || conc > CONC_MAX || hang_conc < 0 ||
	    hang_conc > CONC_MAX || secs < 1) {
		fprintf(stderr, "curl-multi: bad CONC, HANG_CONC or SECONDS\n");
		return 2;
	}
	fresh = getenv("CURL_MULTI_FRESH") != NULL &&
	    strcmp(getenv("CURL_MULTI_FRESH"), "1") == 0;
	if ((f = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n == 0)
			continue;
		bodies = realloc(bodies, (nbodies + 1) * sizeof(*bodies));
		bodies[nbodies++] = strdup(line);
	}
	fclose(f);
	if (nbodies == 0) {
		fprintf(stderr, "curl-multi: no bodies in %s\n", argv[2]);
		return 1;
	}

	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	t0 = bench_now();
	for (long i = 0; i < hang_conc; i++) {
		xs[CONC_MAX + i].hang = true;
		start(m, &xs[CONC_MAX + i], hang_url, bodies[0],
		    secs * 1000L + 1000);
	}
	for (long i = 0; i < conc && next_body < nbodies; i++) {
		start(m, &xs[i], url, bodies[next_body], 30000L);
		next_body++;
	}
	while (ok < nbodies && bench_now() - t0 < (double)secs) {
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			struct xfer	*x;
			long		 status = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			curl_easy_getinfo(msg->easy_handle,
			    CURLINFO_RESPONSE_CODE, &status);
			done(m, x);
			if (x->hang)
				continue;	/* timed out: not restarted */
			posted++;
			if (msg->data.result == CURLE_OK && status >= 200 &&
			    status <= 299)
				ok++;
			if (next_body < nbodies) {
				start(m, x, url, bodies[next_body], 30000L);
				next_body++;
			}
		}
		if (ok < nbodies)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	t1 = bench_now();
	printf("posted %zu ok %zu seconds %.3f rate %.1f\n", posted, ok,
	    t1 - t0, ok / (t1 - t0));
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		if (xs[i].h != NULL)
			done(m, &xs[i]);
	curl_multi_cleanup(m);
	curl_global_cleanup();
	return ok == nbodies ? 0 : 1;
}
