/*
 * check_log: log_hold / log_flush (log.c), with which keyfield-notify's
 * writer logs a batch of outcomes and keyfield-survey its requests: held
 * lines are written only when flushed (or to make room), in order, as
 * log_* would write them, and not at all below the level; without a
 * log_held at once (stderr goes to a temporary file here).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-run.h"
#include "base/log.h"

static char	 path[] = "/tmp/check_log.XXXXXX";
static int	 saved = -1;

static void
log_setup(void)
{
	int	 fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	fflush(stderr);
	ck_assert_int_ne(saved = dup(2), -1);
	ck_assert_int_ne(dup2(fd, 2), -1);
	close(fd);
	log_init("t", LOG_INFO);
}

static void
log_teardown(void)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	unlink(path);
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
}

/* What stderr got so far (static buffer). */
static const char *
written(void)
{
	static char	 buf[4 * LOG_HELD_MAX];
	FILE		*f;
	size_t		 n;

	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The lines of s, counted. */
static size_t
lines(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

START_TEST(held_until_flushed)
{
	static struct log_held	 h;
	const char		*s;

	log_hold(&h, LOG_INFO, "first %d", 1);
	log_hold(&h, LOG_DEBUG, "not at level info");
	log_hold(&h, LOG_WARN, "second\nfolded");
	ck_assert_str_eq(written(), "");
	log_flush(&h);
	s = written();
	ck_assert_uint_eq(lines(s), 2);
	ck_assert_ptr_nonnull(strstr(s, " t info: first 1\n"));
	ck_assert_ptr_nonnull(strstr(s, " t warn: second folded\n"));
	ck_assert(strstr(s, "first") < strstr(s, "second"));
	ck_assert_ptr_null(strstr(s, "not at level"));
	log_flush(&h);
	ck_assert_uint_eq(lines(written()), 2);
}
END_TEST

/* With no log_held, a line is written at once (fcgi_log_request). */
START_TEST(null_writes_now)
{
	log_hold(NULL, LOG_INFO, "now %d", 2);
	log_hold(NULL, LOG_DEBUG, "not at level info");
	ck_assert_ptr_nonnull(strstr(written(), " t info: now 2\n"));
	ck_assert_uint_eq(lines(written()), 1);
	log_flush(NULL);
	ck_assert_uint_eq(lines(written()), 1);
}
END_TEST

START_TEST(full_writes_first)
{
	static struct log_held	 h;
	char			 msg[1001];
	size_t			 i, n;

	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	n = 2 * LOG_HELD_MAX / sizeof(msg);
	for (i = 0; i < n; i++)
		log_hold(&h, LOG_INFO, "%zu %s", i, msg);
	/* The lines that did not fit made room: some are written, whole. */
	ck_assert_uint_gt(lines(written()), 0);
	ck_assert_uint_lt(lines(written()), n);
	log_flush(&h);
	ck_assert_uint_eq(lines(written()), n);
	ck_assert_ptr_nonnull(strstr(written(), ": 0 xxx"));
	ck_assert(strstr(written(), ": 0 xxx") < strstr(written(), ": 1 xxx"));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc = tcase_create("log_held");

	tcase_add_checked_fixture(tc, log_setup, log_teardown);
	tcase_add_test(tc, held_until_flushed);
	tcase_add_test(tc, null_writes_now);
	tcase_add_test(tc, full_writes_first);
	suite_add_tcase(s, tc);
	return check_run(s);
}
