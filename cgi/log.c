/*
 * log: timestamped lines on stderr, one per event.
 * Never logs request bodies, tokens or cookies: callers pass only what is safe.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

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

static void
vlog(enum log_level lvl, const char *fmt, va_list ap)
{
	char		 ts[32], line[2048];
	struct tm	 tm;
	time_t		 now;

	if (lvl > level)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(line, sizeof(line), fmt, ap);
	/* One event, one line: fold any newline a message carries. */
	for (char *p = line; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "%s %s %s: %s\n", ts, prog, names[lvl], line);
	fflush(stderr);
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
