/*
 * tests/check-run.h: how every Check suite's main() ends. Runs every
 * test of a suite in Check's default (forking) mode and turns the
 * outcome into the exit status make check reads.
 */
#ifndef KEYFIELD_TESTS_CHECK_RUN_H
#define KEYFIELD_TESTS_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

/* Run (and free) suite s: EXIT_SUCCESS when every test passed. */
static inline int
check_run(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
