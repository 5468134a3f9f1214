/*
 * fcgi: reading request bodies for keyfield-survey and keyfield-admin.
 * Never reads past the declared length or the body limit.
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
