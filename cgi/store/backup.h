/*
 * store/backup: a consistent copy of the open database to another file,
 * taken with SQLite's online backup API while the programs keep writing,
 * then checked with PRAGMA integrity_check. Never replaces the target
 * with a copy that is incomplete or fails the check.
 */
#ifndef KEYFIELD_STORE_BACKUP_H
#define KEYFIELD_STORE_BACKUP_H

#include "store/store.h"

#define STORE_BACKUP_PAGES	256	/* pages copied per step */
#define STORE_BACKUP_PAUSE_MS	2	/* pause between steps, for writers */
#define STORE_BACKUP_BUSY_TRIES	500	/* BUSY/LOCKED retries in all */
#define STORE_BACKUP_RESTARTS	20	/* then one step copies the rest */
#define STORE_BACKUP_ISSUE_MAX	256	/* bytes of the integrity report */

struct store_backup_stats {
	int	 pages;		/* pages in the copy */
	int	 steps;		/* calls to sqlite3_backup_step */
	int	 restarts;	/* the source changed: begun again */
	int	 busy;		/* BUSY/LOCKED retries */
	long	 ms;		/* wall time, copy and check */
	char	 integrity[STORE_BACKUP_ISSUE_MAX]; /* "ok", or an issue */
};

/*
 * Copy the database of s to path: first to "path.tmp" (removed first if
 * a crashed run left one), STORE_BACKUP_PAGES pages per step with a pause
 * between steps so writers go on, retrying on BUSY/LOCKED; when writers
 * keep restarting the copy, the rest is copied in one step (a WAL read
 * transaction, which blocks no writer). The copy is made a single file
 * (journal_mode DELETE), synced, checked with PRAGMA integrity_check, and
 * only then renamed to path (and the directory synced). path must not be
 * the database itself. Fills *st (also on failure, as far as it got).
 * Returns 0, 1 when the copy failed its integrity check (path is left
 * alone, path.tmp removed; st->integrity says why), or -1 (logged).
 */
int	 store_backup(struct store *, const char *path,
	    struct store_backup_stats *st);

#endif
