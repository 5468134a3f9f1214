/*
 * log: timestamped lines on stderr, one per event.
 * Never logs request bodies, tokens or cookies: callers pass only what is safe.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"

static const char *prog = "keyfield";
static enum log_level level = LOG_INFO;

static const char *const names[] = { "error", "warn", "info", "debug" };
_Static_assert(sizeof(names) / sizeof(names[0]) == LOG_LEVEL__MAX,
    "one name per log level");

void
log_init(const char *name, enum log_level lvl)
{
	prog = name;
	level = lvl;
}

int
log_level_parse(const char *s)
{
	for (int i = 0; i < LOG_LEVEL__MAX; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

#define LINE_MAX_	2048	/* bytes of a message */

/* The line of a message into out (size bytes, at least LINE_MAX_ + 128):
 * its length, newline included. */
static size_t
format(char *out, size_t size, enum log_level lvl, const char *fmt,
    va_list ap)
{
	char		 ts[32], line[LINE_MAX_];
	struct tm	 tm;
	time_t		 now;
	size_t		 n;

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (buf_vfmt(line, sizeof(line), fmt, ap) == -1)
		buf_mark_cut(line, sizeof(line));
	/* One event, one line: fold any newline a message carries. */
	for (char *p = line; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	/* A cut line still ends with its newline. */
	if (buf_fmt(out, size - 1, "%s %s %s: %s", ts, prog, names[lvl],
	    line) == -1)
		buf_mark_cut(out, size - 1);
	n = strlen(out);
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}

static void
vlog(enum log_level lvl, const char *fmt, va_list ap)
{
	char	 out[LINE_MAX_ + 128];
	size_t	 n;

	if (lvl > level)
		return;
	n = format(out, sizeof(out), lvl, fmt, ap);
	fwrite(out, 1, n, stderr);
	fflush(stderr);
}

void
log_hold(struct log_held *h, enum log_level lvl, const char *fmt, ...)
{
	char	 out[LINE_MAX_ + 128];
	size_t	 n;
	va_list	 ap;

	va_start(ap, fmt);
	if (h == NULL) {
		vlog(lvl, fmt, ap);
		va_end(ap);
		return;
	}
	if (lvl > level) {
		va_end(ap);
		return;
	}
	n = format(out, sizeof(out), lvl, fmt, ap);
	va_end(ap);
	if (h->len + n > sizeof(h->buf))
		log_flush(h);
	memcpy(h->buf + h->len, out, n);
	h->len += n;
}

void
log_flush(struct log_held *h)
{
	if (h == NULL || h->len == 0)
		return;
	fwrite(h->buf, 1, h->len, stderr);
	fflush(stderr);
	h->len = 0;
}

#define LOGFN(fn, lvl)					\
void							\
fn(const char *fmt, ...)				\
{							\
	va_list ap;					\
	va_start(ap, fmt);				\
	vlog(lvl, fmt, ap);				\
	va_end(ap);					\
}
LOGFN(log_err, LOG_ERROR)
LOGFN(log_warn, LOG_WARN)
LOGFN(log_info, LOG_INFO)
LOGFN(log_debug, LOG_DEBUG)
