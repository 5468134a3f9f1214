/*
 * fcgi: what both FastCGI programs share around libfcgi: their start-up,
 * reading a request body within its limit, sending a page, and the log
 * line of a request.
 */
#ifndef KEYFIELD_FCGI_H
#define KEYFIELD_FCGI_H

#include <stdbool.h>
#include <time.h>

#include <fcgiapp.h>

#include "base/buf.h"
#include "base/conf.h"
#include "base/log.h"
#include "app/page.h"

/* What a FastCGI program loads once at start-up. */
struct fcgi_setup {
	struct conf		 conf;
	struct store		*store;
	struct page_form	*forms;		/* every form version */
	size_t			 nforms;
};

/*
 * Start program prog: keyfield.conf and the environment, the log,
 * libsodium, the database (migrated), every form version, libfcgi and
 * rq, the stop signals (below); then log "ready". 0, or -1 after
 * saying why (stderr or the log). s is large: give a static one.
 */
int	 fcgi_setup_open(struct fcgi_setup *s, const char *prog,
	    FCGX_Request *rq);
void	 fcgi_setup_close(struct fcgi_setup *);

/*
 * After fcgi_setup_open, SIGTERM and SIGINT ask the program to stop once
 * the request in hand is answered, and the listening socket does not
 * block (FCGX_Accept_r says -EAGAIN when another worker took the
 * connection). fcgi_accept waits for the next request: true with it in
 * rq, false when told to stop (or accept failed: logged by libfcgi).
 * fcgi_stopping says whether a stop was asked; fcgi_stop_fd is readable
 * from then on, for a program that sleeps by itself (epoll).
 */
bool	 fcgi_accept(FCGX_Request *rq);
bool	 fcgi_stopping(void);
int	 fcgi_stop_fd(void);

/*
 * The origin a request's Origin header must equal: base_url when the
 * file or the environment set it (SECURITY.md), else what nginx passes
 * as KEYFIELD_ORIGIN ($scheme://$http_host), else the default base_url.
 * Never NULL; valid while rq's request is.
 */
const char	*fcgi_origin(const struct conf *, FCGX_Request *rq);

/*
 * Read the request body (CONTENT_LENGTH bytes, at most REQ_BODY_MAX) into
 * body. Returns 0, 400 for a malformed CONTENT_LENGTH, or 413 when the
 * body is over the limit (then nothing is read: the caller answers and
 * libfcgi discards the rest).
 */
int	 fcgi_read_body(FCGX_Request *, struct buf *body);

/*
 * Send p: its head (built in scratch, which is reset first), then its
 * body where it was built, without a copy. 0, or -1 when the head cannot
 * be built or the connection fails.
 */
int	 fcgi_send_page(FCGX_Request *, const struct page *p,
	    struct buf *scratch);

/*
 * The request's log line: "METHOD PATH STATUS Nms", N since t0
 * (CLOCK_MONOTONIC), written now, or held in held (NULL: now) to be
 * written with others by log_flush. path must hold no secret (log_path
 * cuts tokens).
 */
void	 fcgi_log_request(FCGX_Request *, const char *path, int status,
	    const struct timespec *t0, struct log_held *held);

#endif
