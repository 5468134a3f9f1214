/*
 * sqlite-commit: the benchmark's baseline for saving a card; one loop
 * committing single-row transactions with keyfield's settings (WAL,
 * synchronous=FULL, BEGIN IMMEDIATE). Never runs longer than SECONDS
 * or more than COUNT transactions.
 *
 *   sqlite-commit DB BYTES SECONDS COUNT
 *
 * Prints one line: "commits N seconds S rate R p50_ms X p99_ms Y failed F".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bench.h"

#define BYTES_MAX	(1024 * 1024)
#define COUNT_MAX	10000000L
#define SECONDS_MAX	3600L

static int
exec(sqlite3 *db, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "sqlite-commit: %s: %s\n", sql,
		    err != NULL ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st = NULL;
	char		*value = NULL;
	double		*lat = NULL, t0, t1, start, elapsed;
	long		 bytes, seconds, count, n = 0, failed = 0;
	int		 rc = 1;

	if (argc != 5 || (bytes = bench_number(argv[2], 1, BYTES_MAX)) == -1 ||
	    (seconds = bench_number(argv[3], 1, SECONDS_MAX)) == -1 ||
	    (count = bench_number(argv[4], 1, COUNT_MAX)) == -1) {
		fprintf(stderr, "usage: sqlite-commit DB BYTES SECONDS COUNT\n");
		return 2;
	}
	if ((value = malloc((size_t)bytes + 1)) == NULL ||
	    (lat = calloc((size_t)count, sizeof(*lat))) == NULL)
		goto out;
	for (long i = 0; i < bytes; i++)
		value[i] = "abcdefghijklmnopqrstuvwxyz .,\n"[(i * 7 + i / 31) % 30];
	value[bytes] = '\0';
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite-commit: %s: %s\n", argv[1],
		    db != NULL ? sqlite3_errmsg(db) : "open failed");
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (exec(db, "PRAGMA journal_mode = WAL") == -1 ||
	    exec(db, "PRAGMA synchronous = FULL") == -1 ||
	    exec(db, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, "
	    "at TEXT NOT NULL, value TEXT NOT NULL)") == -1)
		goto out;
	if (sqlite3_prepare_v3(db, "INSERT INTO t (at, value) VALUES "
	    "(datetime('now'), ?)", -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite-commit: prepare: %s\n",
		    sqlite3_errmsg(db));
		goto out;
	}
	start = bench_now();
	while (n < count && bench_now() - start < (double)seconds) {
		t0 = bench_now();
		if (exec(db, "BEGIN IMMEDIATE") == -1) {
			failed++;
			continue;
		}
		sqlite3_bind_text(st, 1, value, (int)bytes, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			fprintf(stderr, "sqlite-commit: insert: %s\n",
			    sqlite3_errmsg(db));
			sqlite3_reset(st);
			exec(db, "ROLLBACK");
			failed++;
			continue;
		}
		sqlite3_reset(st);
		if (exec(db, "COMMIT") == -1) {
			exec(db, "ROLLBACK");
			failed++;
			continue;
		}
		t1 = bench_now();
		lat[n++] = (t1 - t0) * 1000.0;
	}
	elapsed = bench_now() - start;
	if (n == 0)
		goto out;
	qsort(lat, (size_t)n, sizeof(*lat), bench_cmp);
	printf("commits %ld seconds %.3f rate %.1f p50_ms %.3f p99_ms %.3f "
	    "failed %ld\n", n, elapsed, (double)n / elapsed, lat[n / 2],
	    lat[(size_t)((double)n * 0.99)], failed);
	rc = failed == 0 ? 0 : 1;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(value);
	free(lat);
	return rc;
}
