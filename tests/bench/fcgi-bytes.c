/*
 * fcgi-bytes: the benchmark's baseline FastCGI program; answers every
 * request with the same bytes (a page captured from keyfield-survey).
 * Never reads a database, a cookie or the request beyond what libfcgi does.
 *
 *   fcgi-bytes FILE     (run under spawn-fcgi, like keyfield-survey)
 *
 * FILE is the page body; the headers are the ones page_head() writes
 * for a personal 200 page, so nginx forwards the same bytes either way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#define BYTES_MAX	(4 * 1024 * 1024)	/* PAGE_BODY_MAX */
#define HEAD_MAX	256

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*data;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "fcgi-bytes: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if ((data = malloc(BYTES_MAX + HEAD_MAX)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(data + HEAD_MAX, 1, BYTES_MAX, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "fcgi-bytes: %s: unreadable or over %d "
		    "bytes\n", path, BYTES_MAX);
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	*len = n;
	return data;
}

int
main(int argc, char *argv[])
{
	FCGX_Request	 rq;
	char		*data, head[HEAD_MAX];
	size_t		 len;
	int		 hlen;

	if (argc != 2) {
		fprintf(stderr, "usage: fcgi-bytes FILE\n");
		return 2;
	}
	if ((data = slurp(argv[1], &len)) == NULL)
		return 1;
	hlen = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %lu\r\n\r\n", (unsigned long)len);
	if (hlen < 0 || hlen >= HEAD_MAX)
		return 1;
	/* Headers and body in one buffer: one FCGX_PutStr per request. */
	memcpy(data + HEAD_MAX - hlen, head, (size_t)hlen);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&rq, 0, 0) != 0) {
		fprintf(stderr, "fcgi-bytes: FCGX_Init failed\n");
		return 1;
	}
	while (FCGX_Accept_r(&rq) >= 0) {
		FCGX_PutStr(data + HEAD_MAX - hlen, hlen + (int)len, rq.out);
		FCGX_Finish_r(&rq);
	}
	free(data);
	return 0;
}
