/*
 * tests/check-golden.h: golden files for the suites that render to
 * memory (check_pages, check_admin_pages): a file read whole, and a text
 * compared byte for byte with tests/golden/NAME, or written there first
 * when UPDATE_GOLDEN is set (review the diff!); and the fixture both
 * open: a fresh folder, the shipped card form, a database set up by txn.
 */
#ifndef KEYFIELD_TESTS_CHECK_GOLDEN_H
#define KEYFIELD_TESTS_CHECK_GOLDEN_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/page.h"
#include "base/auth.h"
#include "base/buf.h"
#include "base/form.h"
#include "store/secrets.h"
#include "store/store.h"

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

/* The fixture's folder (a mkdtemp template, made afresh each time). */
struct golden_fixture {
	char		 dir[64];
	struct store	*store;
	struct page_form form;
};

/*
 * Open fx: a new folder from template (without fork, as valgrind runs the
 * suites, a test's setup comes again in the same process), the shipped
 * forms/keyfield.json loaded, a database in the folder written by txn,
 * which gets the definition's text as its argument.
 */
static inline void
golden_fixture_open(struct golden_fixture *fx, const char *template,
    store_fn *txn)
{
	struct form_errors	 errs;
	char			 path[128], *def;

	ck_assert_int_lt(strlen(template), sizeof(fx->dir));
	memcpy(fx->dir, template, strlen(template) + 1);
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	snprintf(path, sizeof(path), "%s/forms/keyfield.json",
	    golden_srcdir());
	ck_assert_ptr_nonnull(def = golden_slurp(path));
	ck_assert_ptr_nonnull(fx->form.form = form_load(def, strlen(def),
	    &errs));
	snprintf(path, sizeof(path), "%s/k.db", fx->dir);
	ck_assert_int_eq(auth_init(), 0);
	ck_assert_int_eq(store_key_load(NULL, path, true), 0);
	ck_assert_ptr_nonnull(fx->store = store_open(path));
	ck_assert_int_eq(store_write(fx->store, txn, def), 0);
	free(def);
}

/* Close what golden_fixture_open opened and remove its folder. */
static inline void
golden_fixture_close(struct golden_fixture *fx)
{
	char	 cmd[160];

	store_close(fx->store);
	form_free(fx->form.form);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	ck_assert_int_eq(system(cmd), 0);
}

#endif