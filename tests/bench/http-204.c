/*
 * http-204: the webhook receiver of the delivery benchmark (issue 5,
 * part 3). One thread, poll(2) over keep-alive HTTP/1.1 connections on
 * 127.0.0.1: reads each request by its Content-Length and answers
 * "204 No Content" at once. Exits when it has answered COUNT requests (or
 * on SIGTERM/SIGINT), after writing the number answered to RESULT.
 * With --hang it accepts connections, reads and discards what comes, and
 * never answers: the partner whose endpoint never replies. With
 * --stamps FILE it appends to FILE the wall-clock time of each answer, in
 * ms since the epoch, one a line (the latency part, 3e).
 *
 * usage: http-204 PORT COUNT RESULT [--hang | --stamps FILE]
 * RESULT.ready is created once the socket listens.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem, accept4 */
#endif
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define CONNS_MAX	1024
#define BUF_MAX		(1024 * 1024)	/* one request, headers + body */

static const char	 answer[] =
    "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";

struct conn {
	char	*buf;
	size_t	 len;
};

static volatile sig_atomic_t	 stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Length of the first complete request in c, 0 if incomplete, -1 bad. */
static long
request_len(const struct conn *c)
{
	const char	*end, *p, *line;
	long		 clen = 0;

	end = memmem(c->buf, c->len, "\r\n\r\n", 4);
	if (end == NULL)
		return c->len >= BUF_MAX ? -1 : 0;
	for (line = c->buf; line < end; line = p + 2) {
		p = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
		if (p == NULL)
			break;
		if (p - line > 15 && strncasecmp(line, "Content-Length:", 15) == 0)
			clen = strtol(line + 15, NULL, 10);
	}
	if (clen < 0 || (end - c->buf) + 4 + clen > BUF_MAX)
		return -1;
	if ((size_t)((end - c->buf) + 4 + clen) > c->len)
		return 0;
	return (end - c->buf) + 4 + clen;
}

static void
result(const char *path, long n)
{
	FILE	*f;

	if ((f = fopen(path, "w")) != NULL) {
		fprintf(f, "%ld\n", n);
		fclose(f);
	}
}

int
main(int argc, char *argv[])
{
	static struct pollfd	 pfd[CONNS_MAX + 1];
	static struct conn	 conn[CONNS_MAX + 1];
	struct sockaddr_in	 sin;
	struct sigaction	 sa;
	char			 ready[4096];
	struct timespec		 ts;
	FILE			*stamps = NULL;
	long			 count, answered = 0, len;
	int			 lfd, fd, one = 1, hang, nfds = 1;
	ssize_t			 r;

	hang = argc == 5 && strcmp(argv[4], "--hang") == 0;
	if (argc == 6 && strcmp(argv[4], "--stamps") == 0 &&
	    (stamps = fopen(argv[5], "a")) == NULL) {
		perror(argv[5]);
		return 1;
	}
	if (argc < 4 || (argc == 5 && !hang) || (argc == 6 && !stamps) ||
	    argc > 6) {
		fprintf(stderr, "usage: http-204 PORT COUNT RESULT "
		    "[--hang | --stamps FILE]\n");
		return 2;
	}
	count = strtol(argv[2], NULL, 10);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1) {
		perror("socket");
		return 1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 1024) == -1) {
		perror("bind/listen");
		return 1;
	}
	snprintf(ready, sizeof(ready), "%s.ready", argv[3]);
	result(ready, 0);
	pfd[0].fd = lfd;
	pfd[0].events = POLLIN;

	while (!stopping && (hang || answered < count)) {
		if (poll(pfd, (nfds_t)nfds, 1000) == -1) {
			if (errno == EINTR)
				continue;
			perror("poll");
			break;
		}
		if (pfd[0].revents & POLLIN) {
			while (nfds <= CONNS_MAX &&
			    (fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) != -1) {
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				    sizeof(one));
				pfd[nfds].fd = fd;
				pfd[nfds].events = POLLIN;
				pfd[nfds].revents = 0;
				conn[nfds].len = 0;
				if (conn[nfds].buf == NULL &&
				    (conn[nfds].buf = malloc(BUF_MAX)) == NULL)
					return 1;
				nfds++;
			}
		}
		for (int i = 1; i < nfds; i++) {
			struct conn	*c = &conn[i];

			if (pfd[i].revents == 0)
				continue;
			r = read(pfd[i].fd, c->buf + c->len, BUF_MAX - c->len);
			if (r <= 0) {
				if (r == -1 && errno == EAGAIN)
					continue;
				goto drop;
			}
			c->len += (size_t)r;
			if (hang) {
				c->len = 0;	/* read and forget */
				continue;
			}
			while ((len = request_len(c)) > 0) {
				if (write(pfd[i].fd, answer, sizeof(answer) - 1) !=
				    (ssize_t)sizeof(answer) - 1)
					goto drop;
				answered++;
				if (stamps != NULL) {
					clock_gettime(CLOCK_REALTIME, &ts);
					fprintf(stamps, "%lld\n",
					    (long long)ts.tv_sec * 1000 +
					    ts.tv_nsec / 1000000);
					fflush(stamps);
				}
				memmove(c->buf, c->buf + len, c->len - (size_t)len);
				c->len -= (size_t)len;
			}
			if (len == -1)
				goto drop;
			continue;
drop:
			close(pfd[i].fd);
			nfds--;
			if (i != nfds) {
				char	*keep = c->buf;

				pfd[i] = pfd[nfds];
				*c = conn[nfds];
				conn[nfds].buf = keep;
				i--;	/* look at the one moved here */
			}
		}
	}
	result(argv[3], answered);
	return 0;
}
