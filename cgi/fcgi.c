/*
 * fcgi: reading request bodies and sending pages for keyfield-survey and
 * keyfield-admin. Never reads past the declared length or the body limit.
 */
#include <errno.h>
#include <stdlib.h>

#include "fcgi.h"
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
