/*
 * fcgi: reading request bodies and sending pages for keyfield-survey and
 * keyfield-admin. Never reads past the declared length or the body limit.
 */
#include <errno.h>
#include <stdlib.h>

#include "fcgi.h"
#include "log.h"
#include "req.h"

int
fcgi_read_body(FCGX_Request *rq, struct buf *body)
{
	const char	*cl;
	char		*end, chunk[8192];
	unsigned long	 len;
	int		 n;

	cl = FCGX_GetParam("CONTENT_LENGTH", rq->envp);
	if (cl == NULL || *cl == '\0')
		return 0;
	errno = 0;
	len = strtoul(cl, &end, 10);
	if (errno != 0 || *end != '\0' || cl[0] == '-')
		return 400;
	if (len > REQ_BODY_MAX)
		return 413;
	while (body->len < len) {
		n = FCGX_GetStr(chunk, sizeof(chunk), rq->in);
		if (n <= 0)
			break;
		if (buf_put(body, chunk, (size_t)n) == -1)
			return 413;
	}
	return 0;
}

int
fcgi_send_page(FCGX_Request *rq, const struct page *p, struct buf *scratch)
{
	buf_reset(scratch);
	if (page_head(p, scratch) == -1 ||
	    FCGX_PutStr(scratch->data, (int)scratch->len, rq->out) !=
	    (int)scratch->len)
		return -1;
	if (p->body.len > 0 && FCGX_PutStr(p->body.data, (int)p->body.len,
	    rq->out) != (int)p->body.len)
		return -1;
	return 0;
}

void
fcgi_log_request(FCGX_Request *rq, const char *path, int status,
    const struct timespec *t0)
{
	const char	*method = FCGX_GetParam("REQUEST_METHOD", rq->envp);
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_info("%s %s %d %ldms", method != NULL ? method : "-",
	    path != NULL ? path : "-", status,
	    (long)((t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000));
}
