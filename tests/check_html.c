/*
 * check_html: every byte through the escapers, the format helper, and
 * the response framing of page_head (the head fcgi_send_page writes
 * before the body).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "check-run.h"
#include "base/html.h"
#include "app/page.h"

static const struct {
	const char	*in;
	const char	*out;
} escapes[] = {
	{ "", "" },
	{ "plain text", "plain text" },
	{ "a & b", "a &amp; b" },
	{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "</textarea><script>", "&lt;/textarea&gt;&lt;script&gt;" },
	{ "\"><svg onload=alert(1)>", "&quot;&gt;&lt;svg onload=alert(1)&gt;" },
	{ "it's", "it&#39;s" },
	{ "&amp;", "&amp;amp;" },
	{ "Zürich Åsa O'Connor-Nguyễn", "Zürich Åsa O&#39;Connor-Nguyễn" },
	{ "line\u2028sep \u202Ebidi", "line\u2028sep \u202Ebidi" },
	{ "emoji 😀 <", "emoji 😀 &lt;" },
	{ "<<>>", "&lt;&lt;&gt;&gt;" },
};

START_TEST(test_escape)
{
	struct buf	 b;

	buf_init(&b, 4096);
	ck_assert_int_eq(html_text(&b, escapes[_i].in), 0);
	ck_assert_str_eq(buf_str(&b), escapes[_i].out);
	buf_free(&b);
}
END_TEST

START_TEST(test_every_byte)
{
	struct buf	 b;
	char		 in[2] = { 0, 0 };

	/* Every byte but NUL: only the five metacharacters change. */
	buf_init(&b, 64);
	for (int c = 1; c < 256; c++) {
		buf_reset(&b);
		in[0] = (char)c;
		ck_assert_int_eq(html_text(&b, in), 0);
		if (strchr("&<>\"'", c) != NULL)
			ck_assert_int_eq(buf_str(&b)[0], '&');
		else
			ck_assert_str_eq(buf_str(&b), in);
		ck_assert_ptr_null(strpbrk(buf_str(&b), "<>\"'"));
	}
	buf_free(&b);
}
END_TEST

START_TEST(test_fmt)
{
	struct buf	 b;

	buf_init(&b, 4096);
	ck_assert_int_eq(html_fmt(&b, "<p title=\"%s\">%s, %d%%</p>",
	    "\"x\"", "<b>", 42), 0);
	ck_assert_str_eq(buf_str(&b),
	    "<p title=\"&quot;x&quot;\">&lt;b&gt;, 42%%</p>");
	buf_free(&b);
}
END_TEST

START_TEST(test_fmt64)
{
	struct buf	 b;

	/* A 64-bit id is written whole, not cut to an int. */
	buf_init(&b, 4096);
	ck_assert_int_eq(html_fmt(&b, "/r/%" PRId64 "/v/%d",
	    INT64_C(4294967297), 2), 0);
	ck_assert_str_eq(buf_str(&b), "/r/4294967297/v/2");
	buf_reset(&b);
	ck_assert_int_eq(html_fmt(&b, "%" PRId64, INT64_MIN), 0);
	ck_assert_str_eq(buf_str(&b), "-9223372036854775808");
	buf_free(&b);
}
END_TEST

START_TEST(test_cap)
{
	struct buf	 b;

	buf_init(&b, 8);
	ck_assert_int_eq(html_text(&b, "1234"), 0);
	ck_assert_int_eq(html_text(&b, "<>"), -1);	/* 8 bytes needed */
	ck_assert(b.full);
	ck_assert(buf_capped(&b));	/* refused for the cap */
	ck_assert_uint_le(b.len, 8);
	buf_reset(&b);
	ck_assert(!buf_capped(&b));
	ck_assert_int_eq(html_text(&b, "12345678"), 0);
	ck_assert(!buf_capped(&b));
	buf_free(&b);
}
END_TEST

START_TEST(test_buf_fmt)
{
	char	 out[6];

	/* Fits: 0; one byte too long: -1, cut and NUL-terminated. */
	ck_assert_int_eq(buf_fmt(out, sizeof(out), "%s-%d", "ab", 12), 0);
	ck_assert_str_eq(out, "ab-12");
	ck_assert_int_eq(buf_fmt(out, sizeof(out), "%s-%d", "ab", 123), -1);
	ck_assert_str_eq(out, "ab-12");
	ck_assert_int_eq(buf_fmt(out, sizeof(out), "%s", ""), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(buf_fmt(out, 1, "%s", "x"), -1);
	ck_assert_str_eq(out, "");
}
END_TEST

/* buf_mark_cut: what fit ends with "...", never in a character's middle. */
static const struct {
	const char	*in;		/* the text formatted */
	size_t		 outsz;
	const char	*out;
} cuts[] = {
	{ "abcdefgh", 8, "abcd..." },
	{ "abcdefgh", 4, "..." },
	{ "ab\xc3\xa9" "defgh", 8, "ab\xc3\xa9..." },	/* é whole */
	{ "abc\xc3\xa9" "defgh", 8, "abc..." },	/* é left out */
	{ "a\xf0\x9f\x98\x80" "bcdef", 8, "a..." },	/* 😀 left out */
	{ "\xf0\x9f\x98\x80" "bcdef", 8, "\xf0\x9f\x98\x80..." },
};

START_TEST(test_buf_mark_cut)
{
	char	 out[16];

	ck_assert_int_eq(buf_fmt(out, cuts[_i].outsz, "%s", cuts[_i].in), -1);
	buf_mark_cut(out, cuts[_i].outsz);
	ck_assert_str_eq(out, cuts[_i].out);
	ck_assert_uint_lt(strlen(out), cuts[_i].outsz);
}
END_TEST

START_TEST(test_sticky)
{
	struct buf	 b;

	/* After a refused write, a write that would fit is refused too. */
	buf_init(&b, 8);
	ck_assert_int_eq(buf_puts(&b, "12345"), 0);
	ck_assert(!buf_failed(&b));
	ck_assert_int_eq(buf_puts(&b, "6789"), -1);
	ck_assert(buf_failed(&b));
	ck_assert_int_eq(buf_putc(&b, 'x'), -1);
	ck_assert_int_eq(buf_puts(&b, ""), -1);
	ck_assert_int_eq(buf_printf(&b, "%d", 6), -1);
	ck_assert_int_eq(html_text(&b, "y"), -1);
	ck_assert_int_eq(html_int(&b, 7), -1);
	ck_assert_int_eq(html_fmt(&b, "%s", "z"), -1);
	ck_assert(buf_failed(&b));
	ck_assert_str_eq(buf_str(&b), "12345");
	/* buf_reset forgets the failure. */
	buf_reset(&b);
	ck_assert(!buf_failed(&b));
	ck_assert_int_eq(buf_puts(&b, "12345678"), 0);
	ck_assert_str_eq(buf_str(&b), "12345678");
	buf_free(&b);
}
END_TEST

/* The response as fcgi_send_page sends it: the head, then the body. */
static int
render(const struct page *p, struct buf *out)
{
	if (page_head(p, out) == -1)
		return -1;
	return buf_put(out, p->body.data != NULL ? p->body.data : "",
	    p->body.len);
}

START_TEST(test_render)
{
	struct page	 p;
	struct buf	 out;

	page_init(&p);
	buf_init(&out, 1 << 20);
	ck_assert_int_eq(page_error(&p, 404, "Not <here>", "Gone & away."), 0);
	p.personal = true;
	ck_assert_int_eq(render(&p, &out), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&out), "Status: 404 Not Found\r\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out),
	    "Cache-Control: no-store\r\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out),
	    "<h1>Not &lt;here&gt;</h1>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out), "Gone &amp; away."));
	ck_assert_ptr_nonnull(strstr(buf_str(&out), "\r\n\r\n<!DOCTYPE html>"));
	buf_reset(&out);
	page_free(&p);
	page_init(&p);
	ck_assert_int_eq(page_redirect(&p, "/card/1/submitted"), 0);
	ck_assert_int_eq(render(&p, &out), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&out), "Status: 303 See Other\r\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out),
	    "Location: /card/1/submitted\r\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&out), "Content-Length: 0\r\n"));
	buf_free(&out);
	page_free(&p);
}
END_TEST

/* The head ends with the blank line and announces the body's length. */
START_TEST(test_head)
{
	struct page	 p;
	struct buf	 head;
	char		 len[48];

	page_init(&p);
	buf_init(&head, 1 << 20);
	ck_assert_int_eq(page_error(&p, 409, "Changed", "Both kept."), 0);
	ck_assert_int_eq(page_header(&p, "Retry-After", "30"), 0);
	ck_assert_int_eq(page_head(&p, &head), 0);
	ck_assert_uint_gt(p.body.len, 0);
	snprintf(len, sizeof(len), "Content-Length: %zu\r\n\r\n",
	    p.body.len);
	ck_assert_uint_ge(head.len, strlen(len));
	ck_assert_str_eq(buf_str(&head) + head.len - strlen(len), len);
	ck_assert_ptr_eq(strstr(buf_str(&head), "\r\n\r\n"),
	    buf_str(&head) + head.len - 4);
	ck_assert_ptr_nonnull(strstr(buf_str(&head), "Retry-After: 30\r\n"));
	ck_assert_ptr_null(strstr(buf_str(&head), "Both kept."));
	buf_free(&head);
	page_free(&p);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("html");
	TCase	*tc = tcase_create("escaping");

	tcase_add_loop_test(tc, test_escape, 0,
	    sizeof(escapes) / sizeof(escapes[0]));
	tcase_add_test(tc, test_every_byte);
	tcase_add_test(tc, test_fmt);
	tcase_add_test(tc, test_fmt64);
	tcase_add_test(tc, test_cap);
	tcase_add_test(tc, test_sticky);
	tcase_add_test(tc, test_buf_fmt);
	tcase_add_loop_test(tc, test_buf_mark_cut, 0,
	    (int)(sizeof(cuts) / sizeof(cuts[0])));
	tcase_add_test(tc, test_render);
	tcase_add_test(tc, test_head);
	suite_add_tcase(s, tc);
	return check_run(s);
}
