/*
 * store/backup: the online backup of the database to a file, then its
 * integrity check. Never renames a copy over path before it is whole,
 * synced and checked; never holds a lock on the source between steps.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/backup.h"
#include "store/impl.h"

static void
pause_ms(long ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)((t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

/* Is path the same file as the database of s? */
static bool
is_source(struct store *s, const char *path)
{
	const char	*src = sqlite3_db_filename(s->db, "main");
	struct stat	 a, b;

	if (src == NULL || *src == '\0')
		return false;
	if (stat(src, &a) == -1 || stat(path, &b) == -1)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void
unlink_copy(const char *tmp)
{
	static const char *const sides[] = { "-journal", "-wal", "-shm" };
	char	 side[PATH_MAX + 16];
	int	 cut;

	unlink(tmp);
	/* tmp is shorter than PATH_MAX - 16 (store_backup): each fits. */
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		cut = buf_fmt(side, sizeof(side), "%s%s", tmp, sides[i]);
		assert(cut == 0);
		unlink(side);
	}
}

/*
 * Create the copy tmp, empty, readable by its owner only (0600 whatever
 * the umask: it holds every answer, address and secret); SQLite then
 * opens it as it is, and gives its journal the same mode. 0 or -1.
 */
static int
create_private(const char *tmp)
{
	int	 fd;

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1 || fchmod(fd, 0600) == -1) {
		log_err("backup: create %s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return close(fd);
}

/* fsync the directory holding path, so the rename is durable. 0 or -1. */
static int
sync_dir(const char *path)
{
	char	 copy[PATH_MAX];
	int	 fd, rc;

	if (buf_fmt(copy, sizeof(copy), "%s", path) == -1) {
		log_err("backup: %s: the path is longer than %d bytes", path,
		    PATH_MAX - 1);
		return -1;
	}
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY)) == -1) {
		log_err("backup: open directory of %s: %s", path,
		    strerror(errno));
		return -1;
	}
	rc = fsync(fd);
	if (rc == -1)
		log_err("backup: fsync directory of %s: %s", path,
		    strerror(errno));
	close(fd);
	return rc;
}

/* Copy every page of s into dst. 0 or -1 (logged). */
static int
copy(struct store *s, sqlite3 *dst, struct store_backup_stats *st)
{
	sqlite3_backup	*b;
	int		 rc, remaining, last = -1, npages;

	if ((b = sqlite3_backup_init(dst, "main", s->db, "main")) == NULL) {
		log_err("backup: sqlite3_backup_init: %s",
		    sqlite3_errmsg(dst));
		return -1;
	}
	for (;;) {
		npages = st->restarts >= STORE_BACKUP_RESTARTS ? -1 :
		    STORE_BACKUP_PAGES;
		rc = sqlite3_backup_step(b, npages);
		st->steps++;
		if (rc == SQLITE_DONE)
			break;
		if ((rc & 0xff) == SQLITE_BUSY ||
		    (rc & 0xff) == SQLITE_LOCKED) {
			if (++st->busy > STORE_BACKUP_BUSY_TRIES) {
				log_err("backup: database still busy after %d "
				    "tries", STORE_BACKUP_BUSY_TRIES);
				break;
			}
			pause_ms(5 + (st->busy % 10) * 5);
			continue;
		}
		if (rc != SQLITE_OK) {
			log_err("backup: sqlite3_backup_step: %s (%d)",
			    sqlite3_errstr(rc), rc);
			break;
		}
		/* Another connection wrote between steps: begun again. */
		remaining = sqlite3_backup_remaining(b);
		if (last != -1 && remaining > last)
			st->restarts++;
		last = remaining;
		pause_ms(STORE_BACKUP_PAUSE_MS);
	}
	st->pages = sqlite3_backup_pagecount(b);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		if (rc == SQLITE_DONE)
			log_err("backup: sqlite3_backup_finish: %s",
			    sqlite3_errmsg(dst));
		return -1;
	}
	return 0;
}

/* PRAGMA integrity_check on dst: 0 ok, 1 not ok (st says why), -1. */
static int
check(sqlite3 *dst, struct store_backup_stats *st)
{
	sqlite3_stmt	*q;
	const unsigned char *t;
	int		 rc, n = 0;

	if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &q,
	    NULL) != SQLITE_OK) {
		log_err("backup: integrity_check: %s", sqlite3_errmsg(dst));
		return -1;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		t = sqlite3_column_text(q, 0);
		if (n++ == 0)
			if (buf_fmt(st->integrity, sizeof(st->integrity),
			    "%s", t != NULL ? (const char *)t : "?") == -1)
				buf_mark_cut(st->integrity,
				    sizeof(st->integrity));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		log_err("backup: integrity_check: %s", sqlite3_errmsg(dst));
		return -1;
	}
	return n == 1 && strcmp(st->integrity, "ok") == 0 ? 0 : 1;
}

int
store_backup(struct store *s, const char *path,
    struct store_backup_stats *st)
{
	struct timespec	 t0;
	sqlite3		*dst = NULL;
	char		 tmp[PATH_MAX];
	int		 rc = -1, c;

	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* 16 bytes left for the copy's -journal, -wal and -shm. */
	if (buf_fmt(tmp, sizeof(tmp) - 16, "%s.tmp", path) == -1) {
		log_err("backup: %s: path too long", path);
		return -1;
	}
	if (is_source(s, path)) {
		log_err("backup: %s is the database itself", path);
		return -1;
	}
	unlink_copy(tmp);
	if (create_private(tmp) == -1)
		return -1;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_err("backup: open %s: %s", tmp, dst != NULL ?
		    sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	sqlite3_extended_result_codes(dst, 1);
	if (sqlite3_exec(dst, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK || copy(s, dst, st) == -1)
		goto out;
	/* One self-contained file: no -wal beside the copy. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		log_err("backup: journal_mode on %s: %s", tmp,
		    sqlite3_errmsg(dst));
		goto out;
	}
	if ((c = check(dst, st)) == -1)
		goto out;
	if (sqlite3_close(dst) != SQLITE_OK) {
		log_err("backup: close %s: %s", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	dst = NULL;
	if (c == 1) {
		log_err("backup: the copy fails its integrity check: %s",
		    st->integrity);
		rc = 1;
		goto out;
	}
	if (rename(tmp, path) == -1) {
		log_err("backup: rename %s to %s: %s", tmp, path,
		    strerror(errno));
		goto out;
	}
	if (sync_dir(path) == -1)
		goto out;
	rc = 0;
out:
	if (dst != NULL)
		sqlite3_close(dst);
	if (rc != 0)
		unlink_copy(tmp);
	st->ms = elapsed_ms(&t0);
	return rc;
}
