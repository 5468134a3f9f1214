/*
 * tests/check-db.h: the database of a store suite. A new folder from a
 * template for each test (made afresh, so a suite passes without fork
 * too, as make check-valgrind runs it), the secrets key beside the
 * database, the database written by txn; closed and removed after.
 */
#ifndef KEYFIELD_TESTS_CHECK_DB_H
#define KEYFIELD_TESTS_CHECK_DB_H

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/secrets.h"
#include "store/store.h"

struct db_fixture {
	char		 dir[64];
	char		 path[96];	/* dir/NAME */
	struct store	*s;
};

static inline void
db_fixture_open(struct db_fixture *fx, const char *template,
    const char *name, store_fn *txn)
{
	ck_assert_int_lt(strlen(template), sizeof(fx->dir));
	memcpy(fx->dir, template, strlen(template) + 1);
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, name);
	ck_assert_int_eq(store_key_load(NULL, fx->path, true), 0);
	ck_assert_ptr_nonnull(fx->s = store_open(fx->path));
	ck_assert_int_eq(store_write(fx->s, txn, NULL), 0);
}

static inline void
db_fixture_close(struct db_fixture *fx)
{
	static const char *const sfx[] = { "", "-wal", "-shm", ".key",
	    ".write-lock" };
	char			 f[128];

	store_close(fx->s);
	fx->s = NULL;
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", fx->path, sfx[i]);
		unlink(f);
	}
	rmdir(fx->dir);
}

#endif
