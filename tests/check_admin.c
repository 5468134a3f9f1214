/*
 * check_admin: the console's RFC 4180 CSV reader, table-driven, with
 * hostile input in the table.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "buf.h"

/* Records as "LINE:field|field" lines; an error as "ERR:message". */
static int
collect(void *arg, int line, char **f, size_t n)
{
	struct buf	*b = arg;

	buf_printf(b, "%d:", line);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? "|" : "", f[i]);
	buf_putc(b, '\n');
	return 0;
}

static const struct {
	const char	*in;
	const char	*out;
} cases[] = {
	{ "", "" },
	{ "a,b", "1:a|b\n" },
	{ "a,b\n", "1:a|b\n" },
	{ "a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n" },
	{ "code,title\nSF1,One\n", "1:code|title\n2:SF1|One\n" },
	{ "\n\na,b\n\n", "3:a|b\n" },
	{ "a,,c", "1:a||c\n" },
	{ ",", "1:|\n" },
	{ "\"a,b\",c", "1:a,b|c\n" },
	{ "\"say \"\"hi\"\"\",x", "1:say \"hi\"|x\n" },
	{ "\"two\nlines\",x\ny,z", "1:two\nlines|x\n3:y|z\n" },
	{ "\"\",x", "1:|x\n" },
	{ "\xef\xbb\xbf" "a,b", "1:a|b\n" },
	{ "Zürich,Åsa O'Connor-Nguyễn 😀", "1:Zürich|Åsa O'Connor-Nguyễn 😀\n" },
	{ "<script>alert(1)</script>,=1+2", "1:<script>alert(1)</script>|=1+2\n" },
	{ "a\rb", "1:a\n2:b\n" },
	{ "\"open", "ERR:Line 1: a quoted value is not closed." },
	{ "\"a\"b,c", "ERR:Line 1: text after a closing quote" },
	{ "a\"b,c", "ERR:Line 1: a quote inside a value" },
	{ "x\n\"a\nb\"c", "ERR:Line 3: text after a closing quote" },
	{ "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
	    "ERR:Line 1: more than 16 columns." },
};

START_TEST(test_csv)
{
	struct buf	 b;
	char		 err[160] = "";
	int		 rc;

	buf_init(&b, 4096);
	rc = admin_csv_parse(cases[_i].in, strlen(cases[_i].in), collect, &b,
	    err, sizeof(err));
	if (strncmp(cases[_i].out, "ERR:", 4) == 0) {
		ck_assert_int_eq(rc, 1);
		ck_assert_msg(strncmp(err, cases[_i].out + 4,
		    strlen(cases[_i].out + 4)) == 0, "case %d: \"%s\"", _i, err);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_str_eq(buf_str(&b), cases[_i].out);
	}
	buf_free(&b);
}
END_TEST

static int
stop(void *arg, int line, char **f, size_t n)
{
	(*(int *)arg)++;
	return 7;
}

START_TEST(test_stop)
{
	char	 err[16];
	int	 calls = 0;

	/* The callback's non-zero result stops the reader and is returned. */
	ck_assert_int_eq(admin_csv_parse("a\nb\nc\n", 6, stop, &calls, err,
	    sizeof(err)), 7);
	ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(test_len)
{
	struct buf	 b;
	char		 err[16];

	/* Only len bytes are read, even when the text goes on. */
	buf_init(&b, 256);
	ck_assert_int_eq(admin_csv_parse("a,b\nc,d", 3, collect, &b, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(buf_str(&b), "1:a|b\n");
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("admin");
	TCase	*tc = tcase_create("csv");
	SRunner	*sr;
	int	 failed;

	tcase_add_loop_test(tc, test_csv, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_len);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
