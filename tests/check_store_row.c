/*
 * check_store_row: the store's row readers (store_row, STORE_ONE,
 * STORE_NEXT, STORE_ROWS in store/impl.h) and its binder (STORE_PREPARE)
 * on an in-memory database: each type, NULLs, text cut, every row of a
 * query once and in order, a bind that fails.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "store/impl.h"

static struct store *s;

static void
setup(void)
{
	ck_assert_ptr_nonnull(s = store_open(":memory:"));
}

static void
teardown(void)
{
	store_close(s);
	s = NULL;
}

struct cut {
	char	 text[4];
};

/* Text too long for char[4]: cut on a whole UTF-8 character. */
START_TEST(text_cut)
{
	static const struct {
		const char	*sql;
		const char	*want;
	} t[] = {
		{ "SELECT 'abc'", "abc" },		/* fits exactly */
		{ "SELECT 'abcd'", "abc" },		/* one byte too many */
		{ "SELECT 'h\xc3\xa9llo'", "h\xc3\xa9" },	/* é fits */
		{ "SELECT 'ab\xc3\xa9'", "ab" },	/* é would be cut */
		{ "SELECT 'a\xe2\x82\xac'", "a" },	/* € would be cut */
		{ "SELECT '\xf0\x9f\x98\x80x'", "" },	/* 4-byte emoji */
		{ "SELECT NULL", "" },
	};
	static const struct store_col cols[] = {
		STORE_TEXT(struct cut, text),
	};
	struct cut	 c;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		sqlite3_stmt	*st;

		ck_assert_ptr_nonnull(st = store_stmt(s, t[i].sql));
		memset(&c, 'x', sizeof(c));
		ck_assert_int_eq(STORE_ONE(s, st, "cut", cols, &c), 0);
		ck_assert_msg(strcmp(c.text, t[i].want) == 0,
		    "%s: got \"%s\"", t[i].sql, c.text);
	}
}
END_TEST

struct every {
	int64_t			 i64;
	int			 i;
	unsigned		 u;
	bool			 b;
	enum store_status	 status;
	const char		*str, *str_null;
	char			*dup, *dup_null, *null_dup;
};

/* Each type, and what SQL NULL becomes for each kind of text. */
START_TEST(types)
{
	static const char q[] = "SELECT 5000000000, -7, 7, 2, 'withdrawn', "
	    "'s', NULL, 'd', 'n', NULL";
	static const struct store_col cols[] = {
		STORE_I64(struct every, i64),
		STORE_INT(struct every, i),
		STORE_INT(struct every, u),
		STORE_BOOL(struct every, b),
		STORE_STATUS(struct every, status),
		STORE_STR(struct every, str),
		STORE_STR(struct every, str_null),
		STORE_DUP(struct every, dup),
		STORE_DUP_NULL(struct every, dup_null),
		STORE_DUP_NULL(struct every, null_dup),
	};
	struct every	 e;
	sqlite3_stmt	*st;

	ck_assert_ptr_nonnull(st = store_stmt(s, q));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(STORE_ROW(st, cols, &e), 0);
	ck_assert(e.i64 == 5000000000LL);
	ck_assert_int_eq(e.i, -7);
	ck_assert_uint_eq(e.u, 7);
	ck_assert(e.b);
	ck_assert_int_eq(e.status, STORE_WITHDRAWN);
	ck_assert_str_eq(e.str, "s");
	ck_assert_str_eq(e.str_null, "");
	ck_assert_str_eq(e.dup, "d");
	ck_assert_str_eq(e.dup_null, "n");
	ck_assert_ptr_null(e.null_dup);
	sqlite3_reset(st);
	store_row_free(cols, sizeof(cols) / sizeof(cols[0]), &e);
	ck_assert_ptr_null(e.dup);
	ck_assert_ptr_null(e.dup_null);
}
END_TEST

/* No row: 1, and the row is left as it was. */
START_TEST(no_row)
{
	static const struct store_col cols[] = {
		STORE_TEXT(struct cut, text),
	};
	struct cut	 c = { "ab" };
	sqlite3_stmt	*st;

	ck_assert_ptr_nonnull(st = store_stmt(s, "SELECT 'x' WHERE 0"));
	ck_assert_int_eq(STORE_ONE(s, st, "none", cols, &c), 1);
	ck_assert_str_eq(c.text, "ab");
}
END_TEST

struct num {
	int64_t	 n;
	char	*text;
};

/* Every row once, in order, across the array's growth; the end resets. */
START_TEST(rows)
{
	static const char q[] = "WITH RECURSIVE c(n) AS (SELECT 1 "
	    "UNION ALL SELECT n + 1 FROM c WHERE n < ?) "
	    "SELECT n, 'row ' || n FROM c WHERE ? > 0";
	static const int64_t counts[] = { 0, 1, 3, 4, 5, 9, 100 };
	static const struct store_col cols[] = {
		STORE_I64(struct num, n),
		STORE_DUP(struct num, text),
	};
	struct num	*v, one;
	sqlite3_stmt	*st;
	size_t		 n;
	char		 want[32];

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		ck_assert_ptr_nonnull(st = store_stmt(s, q));
		sqlite3_bind_int64(st, 1, counts[i]);
		sqlite3_bind_int64(st, 2, counts[i]);
		n = 7777;
		ck_assert_ptr_nonnull(v = STORE_ROWS(s, st, "rows", cols,
		    sizeof(*v), &n));
		ck_assert_uint_eq(n, (size_t)counts[i]);
		for (size_t k = 0; k < n; k++) {
			ck_assert(v[k].n == (int64_t)k + 1);
			snprintf(want, sizeof(want), "row %zu", k + 1);
			ck_assert_str_eq(v[k].text, want);
		}
		STORE_ROWS_FREE(cols, v, n);
	}
	/* STORE_NEXT: 1 for the row, 0 at the end, and so again. */
	ck_assert_ptr_nonnull(st = store_stmt(s, q));
	sqlite3_bind_int64(st, 1, 1);
	sqlite3_bind_int64(st, 2, 1);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(STORE_NEXT(s, st, "next", cols, &one), 1);
		ck_assert(one.n == 1);
		STORE_ROW_FREE(cols, &one);
		ck_assert_int_eq(STORE_NEXT(s, st, "next", cols, &one), 0);
	}
}
END_TEST

struct bound {
	int64_t	 i64;
	int	 i;
	char	*text, *kept, *blob, *types;
};

/* Each argument type, bound to its parameter; NULL binds NULL. */
START_TEST(binds)
{
	static const char q[] = "SELECT ?1, ?2, ?3, ?4, hex(?5), "
	    "typeof(?1) || ' ' || typeof(?2) || ' ' || typeof(?3) || ' ' || "
	    "typeof(?4) || ' ' || typeof(?5) || ' ' || typeof(?6) || ' ' || "
	    "typeof(?7) || ' ' || typeof(?8) || ' ' || typeof(?9)";
	static const struct store_col cols[] = {
		STORE_I64(struct bound, i64),
		STORE_INT(struct bound, i),
		STORE_DUP(struct bound, text),
		STORE_DUP(struct bound, kept),
		STORE_DUP(struct bound, blob),
		STORE_DUP(struct bound, types),
	};
	static const unsigned char blob[] = { 0x00, 0xff, 0x41 };
	const char	*none = NULL;
	char		 text[8] = "h\xc3\xa9";
	struct bound	 b;
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(5000000000LL),
	    STORE_ARG_INT(true), STORE_ARG_TEXT(text), STORE_ARG_KEPT("kept"),
	    STORE_ARG_BLOB(blob, (int)sizeof(blob)), STORE_ARG_NULL,
	    STORE_ARG_TEXT(none), STORE_ARG_KEPT(none),
	    STORE_ARG_BLOB(NULL, 32));
	ck_assert_ptr_nonnull(st);
	/* TEXT is a copy: changing the caller's string changes nothing. */
	text[0] = 'X';
	ck_assert_int_eq(STORE_ONE(s, st, "binds", cols, &b), 0);
	ck_assert(b.i64 == 5000000000LL);
	ck_assert_int_eq(b.i, 1);
	ck_assert_str_eq(b.text, "h\xc3\xa9");
	ck_assert_str_eq(b.kept, "kept");
	ck_assert_str_eq(b.blob, "00FF41");
	ck_assert_str_eq(b.types,
	    "integer integer text text blob null null null null");
	STORE_ROW_FREE(cols, &b);
	/* The same statement again: bound anew, nothing left of before. */
	st = STORE_PREPARE(s, q, STORE_ARG_I64(-1), STORE_ARG_INT(0));
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(STORE_ONE(s, st, "binds", cols, &b), 0);
	ck_assert(b.i64 == -1);
	ck_assert_int_eq(b.i, 0);
	ck_assert_str_eq(b.types,
	    "integer integer null null null null null null null");
	STORE_ROW_FREE(cols, &b);
}
END_TEST

/*
 * A bind that fails (an argument with no parameter) or SQL that does not
 * prepare: NULL, no binding left behind, and every step takes the NULL
 * as a failure.
 */
START_TEST(bind_fails)
{
	static const char q[] = "SELECT typeof(?1)";
	static const struct store_col cols[] = {
		STORE_DUP(struct bound, types),
	};
	struct bound	 b;
	int64_t		 id = 7;
	size_t		 n = 7;
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT("a"), STORE_ARG_I64(2));
	ck_assert_ptr_null(st);
	st = STORE_PREPARE(s, "SELECT nonsense(", STORE_ARG_I64(1));
	ck_assert_ptr_null(st);
	/* The cached statement as the failed bind left it (not reset). */
	st = NULL;
	for (size_t i = 0; i < s->nstmts; i++)
		if (s->stmts[i].sql == q)
			st = s->stmts[i].stmt;
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "null");
	sqlite3_reset(st);
	ck_assert_int_eq(store_exec_stmt(s, NULL, "null"), -1);
	ck_assert_int_eq(store_write_stmt(s, NULL, "null"), -1);
	ck_assert_int_eq(store_insert(s, NULL, "null", &id), -1);
	ck_assert_int_eq(store_one_int(s, NULL, "null", &id), -1);
	ck_assert(id == 7);
	ck_assert_int_eq(store_change(s, NULL, "null"), -1);
	ck_assert_int_eq(store_one_row(s, NULL, "null"), -1);
	ck_assert_int_eq(STORE_ONE(s, NULL, "null", cols, &b), -1);
	ck_assert_int_eq(STORE_NEXT(s, NULL, "null", cols, &b), -1);
	ck_assert_ptr_null(STORE_ROWS(s, NULL, "null", cols, sizeof(b), &n));
	ck_assert_uint_eq(n, 7);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*su = suite_create("store_row");
	TCase	*tc = tcase_create("store_row");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_cut);
	tcase_add_test(tc, types);
	tcase_add_test(tc, no_row);
	tcase_add_test(tc, rows);
	tcase_add_test(tc, binds);
	tcase_add_test(tc, bind_fails);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	return check_run(suite());
}
