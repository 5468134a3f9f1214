/*
 * fcgi: reading request bodies and sending pages for keyfield-survey and
 * keyfield-admin. Never reads past the declared length or the body limit.
 */
#include <errno.h>
#include <stdlib.h>

#include "base/auth.h"
#include "app/fcgi.h"
#include "base/log.h"
#include "base/req.h"
#include "store/store.h"

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
    const struct timespec *t0, struct log_held *held)
{
	const char	*method = FCGX_GetParam("REQUEST_METHOD", rq->envp);
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_hold(held, LOG_INFO, "%s %s %d %ldms",
	    method != NULL ? method : "-", path != NULL ? path : "-", status,
	    (long)((t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000));
}

int
fcgi_setup_open(struct fcgi_setup *s, const char *prog, FCGX_Request *rq)
{
	if (conf_load(&s->conf, NULL) == -1) {
		conf_report(&s->conf, prog);
		return -1;
	}
	log_init(prog, s->conf.log_level < 0 ? LOG_INFO :
	    (enum log_level)s->conf.log_level);
	if (auth_init() == -1 ||
	    (s->store = store_open(s->conf.database)) == NULL ||
	    page_forms_load(s->store, &s->forms, &s->nforms) == -1)
		return -1;
	if (FCGX_Init() != 0 || FCGX_InitRequest(rq, 0, 0) != 0) {
		log_err("FCGX_Init failed");
		return -1;
	}
	log_info("ready: %s, %zu form versions, SQLite %s", s->conf.database,
	    s->nforms, store_sqlite_version());
	return 0;
}

void
fcgi_setup_close(struct fcgi_setup *s)
{
	page_forms_free(s->forms, s->nforms);
	store_close(s->store);
	s->forms = NULL;
	s->nforms = 0;
	s->store = NULL;
}
