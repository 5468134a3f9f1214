/*
 * fcgi: what both FastCGI programs do with libfcgi besides accepting:
 * reading a request body within its limit, and sending a page.
 */
#ifndef KEYFIELD_FCGI_H
#define KEYFIELD_FCGI_H

#include <time.h>

#include <fcgiapp.h>

#include "buf.h"
#include "page.h"

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
 * (CLOCK_MONOTONIC). path must hold no secret (log_path cuts tokens).
 */
void	 fcgi_log_request(FCGX_Request *, const char *path, int status,
	    const struct timespec *t0);

#endif
