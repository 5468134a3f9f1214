/*
 * fcgi: reading request bodies and sending pages for keyfield-survey and
 * keyfield-admin. Never reads past the declared length or the body limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/auth.h"
#include "app/fcgi.h"
#include "base/log.h"
#include "base/req.h"
#include "store/secrets.h"
#include "store/store.h"

/* Set by SIGTERM or SIGINT; the byte in the pipe wakes a sleeper. */
static volatile sig_atomic_t	 stopping;
static int			 stop_pipe[2] = { -1, -1 };

static void
on_stop(int sig)
{
	int	 saved = errno;
	ssize_t	 n;

	(void)sig;
	stopping = 1;
	n = write(stop_pipe[1], "x", 1);	/* full: one is there */
	(void)n;
	errno = saved;
}

/*
 * SIGTERM and SIGINT end the program after the request in hand: they
 * set stopping and wake fcgi_accept's (or the caller's) sleep through
 * the pipe. SA_RESTART: the request's reads and writes go on. These
 * replace libfcgi's handler, which only set a flag that nothing checks
 * while a worker sleeps. The listening socket does not block, so no
 * worker sleeps where the pipe cannot wake it. 0 or -1.
 */
static int
stop_on_signals(FCGX_Request *rq)
{
	struct sigaction sa;
	int		 fl;

	if (pipe(stop_pipe) == -1 ||
	    fcntl(stop_pipe[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(stop_pipe[1], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(stop_pipe[1], F_SETFL, O_NONBLOCK) == -1) {
		log_err("pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1) {
		log_err("sigaction: %s", strerror(errno));
		return -1;
	}
	if (FCGX_IsCGI())
		return 0;
	if ((fl = fcntl(rq->listen_sock, F_GETFL)) == -1 ||
	    fcntl(rq->listen_sock, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_err("fcntl on the listening socket: %s", strerror(errno));
		return -1;
	}
	return 0;
}

bool
fcgi_stopping(void)
{
	return stopping != 0;
}

int
fcgi_stop_fd(void)
{
	return stop_pipe[0];
}

bool
fcgi_accept(FCGX_Request *rq)
{
	struct pollfd	 pfd[2] = {
		{ .fd = rq->listen_sock, .events = POLLIN },
		{ .fd = stop_pipe[0], .events = POLLIN },
	};
	int		 rc;

	while (!stopping) {
		if ((rc = FCGX_Accept_r(rq)) >= 0)
			return true;
		if (rc != -EAGAIN && rc != -EWOULDBLOCK)
			return false;
		if (poll(pfd, 2, -1) == -1 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			return false;
		}
	}
	return false;
}

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

const char *
fcgi_origin(const struct conf *c, FCGX_Request *rq)
{
	const char	*host = FCGX_GetParam("KEYFIELD_ORIGIN", rq->envp);

	if (c->base_url_set || host == NULL || *host == '\0')
		return c->base_url;
	return host;
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
	if (auth_init() == -1 || store_key_load(s->conf.secret_key_file,
	    s->conf.database, false) == -1 ||
	    (s->store = store_open(s->conf.database)) == NULL ||
	    page_forms_load(s->store, &s->forms, &s->nforms) == -1)
		return -1;
	if (FCGX_Init() != 0 || FCGX_InitRequest(rq, 0, 0) != 0) {
		log_err("FCGX_Init failed");
		return -1;
	}
	if (stop_on_signals(rq) == -1)
		return -1;
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
