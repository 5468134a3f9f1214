/*
 * smtp-loop: the baseline of the mail benchmark (issue 19, part 7). A
 * minimal libcurl loop that sends the messages keyfield-notify sent, as
 * the SMTP server received them, one after another over the connection
 * libcurl keeps: each DIR/N.env holds the envelope ("MAIL FROM\nRCPT
 * TO\n"), DIR/N.eml the message, for N from 1 to COUNT.
 *
 *   smtp-loop URL DIR COUNT
 *
 * Prints one line: "sent N ok M seconds S rate R"
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L	/* clock_gettime */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "bench.h"

#define ADDR_MAX	512		/* bytes of an envelope address */
#define MESSAGE_MAX	(1024 * 1024)	/* bytes of one message */
#define COUNT_MAX	1000000

struct msg {
	char	 from[ADDR_MAX], to[ADDR_MAX];
	char	*data;
	size_t	 len, off;
};

static size_t
feed(char *p, size_t size, size_t n, void *arg)
{
	struct msg	*m = arg;
	size_t		 k = size * n;

	if (k > m->len - m->off)
		k = m->len - m->off;
	memcpy(p, m->data + m->off, k);
	m->off += k;
	return k;
}

/* Read DIR/N.env and DIR/N.eml into m: 0 or -1. */
static int
msg_read(struct msg *m, const char *dir, long n)
{
	char	 path[4096];
	FILE	*f;
	int	 ok;

	snprintf(path, sizeof(path), "%s/%ld.env", dir, n);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	ok = fgets(m->from, sizeof(m->from), f) != NULL &&
	    fgets(m->to, sizeof(m->to), f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	m->from[strcspn(m->from, "\n")] = '\0';
	m->to[strcspn(m->to, "\n")] = '\0';
	snprintf(path, sizeof(path), "%s/%ld.eml", dir, n);
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	m->len = fread(m->data, 1, MESSAGE_MAX, f);
	m->off = 0;
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	struct msg		 m = { .data = malloc(MESSAGE_MAX) };
	struct curl_slist	*rcpt;
	CURL			*h;
	long			 count, ok = 0;
	double			 t0, secs;

	if (argc != 4 || (count = bench_number(argv[3], 1, COUNT_MAX)) < 0 ||
	    m.data == NULL) {
		fprintf(stderr, "usage: smtp-loop URL DIR COUNT\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, argv[1]);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(h, CURLOPT_READDATA, &m);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	t0 = bench_now();
	for (long n = 1; n <= count; n++) {
		if (msg_read(&m, argv[2], n) == -1) {
			fprintf(stderr, "smtp-loop: cannot read message %ld\n", n);
			continue;
		}
		rcpt = curl_slist_append(NULL, m.to);
		curl_easy_setopt(h, CURLOPT_MAIL_FROM, m.from);
		curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
		if (curl_easy_perform(h) == CURLE_OK)
			ok++;
		curl_slist_free_all(rcpt);
	}
	secs = bench_now() - t0;
	printf("sent %ld ok %ld seconds %.3f rate %.1f\n", count, ok, secs,
	    secs > 0 ? (double)ok / secs : 0);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	free(m.data);
	return ok == count ? 0 : 1;
}
