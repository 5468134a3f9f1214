/*
 * tests/check-golden.h: golden files for the suites that render to
 * memory (check_pages, check_admin_pages): a file read whole, and a text
 * compared byte for byte with tests/golden/NAME, or written there first
 * when UPDATE_GOLDEN is set (review the diff!).
 */
#ifndef KEYFIELD_TESTS_CHECK_GOLDEN_H
#define KEYFIELD_TESTS_CHECK_GOLDEN_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* The source tree: $top_srcdir (set by make check), else ".". */
static inline const char *
golden_srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d != NULL ? d : ".";
}

/* The file at path, whole (up to 4 MB), malloc'ed; NULL if unreadable. */
static inline char *
golden_slurp(const char *path)
{
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	buf_init(&b, 1 << 22);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	return buf_take(&b);
}

/* Fail unless text equals tests/golden/name (UPDATE_GOLDEN: rewrite). */
static inline void
golden_text(const char *text, const char *name)
{
	char	 path[256], *want;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/tests/golden/%s", golden_srcdir(),
	    name);
	if (getenv("UPDATE_GOLDEN") != NULL) {
		ck_assert_ptr_nonnull(f = fopen(path, "w"));
		fputs(text, f);
		fclose(f);
	}
	ck_assert_msg((want = golden_slurp(path)) != NULL, "no golden file %s",
	    path);
	ck_assert_msg(strcmp(want, text) == 0,
	    "%s differs from what was made (UPDATE_GOLDEN=1 rewrites it)",
	    name);
	free(want);
}

#endif
