/*
 * check_mail: table-driven tests of app/mail.c: addresses, RFC 2047
 * encoded-words, quoted-printable, header injection refused, templates
 * with the closed set of placeholders, who is due a reminder
 * (app/mailq.c). (tests/e2e/mail.sh parses whole
 * messages back with Python's email package.)
 */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "check-run.h"
#include "app/mail.h"
#include "app/mailq.h"
#include "store/mail.h"
#include "base/buf.h"
#include "base/i18n.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char	*addr;
	bool		 ok;
} addrs[] = {
	{ "a@example.org", true },
	{ "first.last+tag@sub.example.org", true },
	{ "", false },
	{ "@example.org", false },
	{ "a@", false },
	{ "a@b@c", false },
	{ "a b@example.org", false },
	{ "a@example.org\r\nBcc: x@evil.example", false },
	{ "a@example.org>", false },
	{ "\"a\"@example.org", false },
	{ "a,b@example.org", false },
	{ "\xc3\xa5@example.org", false },
};

START_TEST(test_addr)
{
	ck_assert_msg(mail_addr_ok(addrs[_i].addr) == addrs[_i].ok,
	    "row %d: %s", _i, addrs[_i].addr);
}
END_TEST

static const struct {
	const char	*text;
	bool		 lines, ok;
} texts[] = {
	{ "Dr. \xc3\x85sa O'Connor-Nguy\xe1\xbb\x85n", false, true },
	{ "a\r\nBcc: x@evil.example", false, false },
	{ "a\nb", false, false },
	{ "a\nb\tc", true, true },
	{ "a\rb", true, false },
	{ "bell\x07", true, false },
	{ "del\x7f", false, false },
	{ "c1 \xc2\x85 next line", true, false },
	{ "bad \xff utf-8", false, false },
	{ "overlong \xc0\xaf", false, false },
};

START_TEST(test_text)
{
	ck_assert_msg(mail_text_ok(texts[_i].text, 100, texts[_i].lines) ==
	    texts[_i].ok, "row %d", _i);
}
END_TEST

static const struct {
	const char	*text;
	bool		 phrase;
	const char	*want;
} words[] = {
	{ "Survey", false, "Survey" },
	{ "Ana \"A\" Silva", true, "\"Ana \\\"A\\\" Silva\"" },
	{ "Dr. \xc3\x85sa O'Connor-Nguy\xe1\xbb\x85n", true,
	  "=?UTF-8?B?RHIuIMOFc2EgTydDb25ub3ItTmd1eeG7hW4=?=" },
	/* "=?" in ASCII text is encoded, so it is not read as a word. */
	{ "=?x?=", false, "=?UTF-8?B?PT94Pz0=?=" },
	/* 16 x "å" (32 bytes) and 8 x "€" (24): split on a character. */
	{ "\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5"
	  "\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5"
	  "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
	  "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", false,
	  "=?UTF-8?B?w6XDpcOlw6XDpcOlw6XDpcOlw6XDpcOlw6XDpcOlw6Xigqzigqzigq"
	  "zigqw=?="
	  "\r\n =?UTF-8?B?4oKs4oKs4oKs4oKs?=" },
};

START_TEST(test_words)
{
	struct buf	 b;

	buf_init(&b, 4096);
	ck_assert_int_eq(mail_encode_words(&b, words[_i].text,
	    words[_i].phrase), 0);
	ck_assert_str_eq(buf_str(&b), words[_i].want);
	buf_free(&b);
}
END_TEST

static const struct {
	const char	*body;
	const char	*want;
} qps[] = {
	{ "plain\n", "plain\r\n" },
	{ "a=b\n\nc", "a=3Db\r\n\r\nc\r\n" },
	{ "trailing \nand tab\t\n", "trailing=20\r\nand tab=09\r\n" },
	{ ".\n.dot\nFrom me\nFroM", "=2E\r\n=2Edot\r\n=46rom me\r\nFroM\r\n" },
	{ "\xc3\xa5", "=C3=A5\r\n" },
	{ "0123456789012345678901234567890123456789012345678901234567890"
	  "12345678901234567890",
	  "012345678901234567890123456789012345678901234567890123456789012"
	  "345678901234=\r\n567890\r\n" },
	/* an escape is never split by a soft break */
	{ "012345678901234567890123456789012345678901234567890123456789012"
	  "34567890123\xc3\xa5",
	  "012345678901234567890123456789012345678901234567890123456789012"
	  "34567890123=\r\n=C3=A5\r\n" },
};

START_TEST(test_qp)
{
	struct buf	 b;

	buf_init(&b, 4096);
	ck_assert_int_eq(mail_qp(&b, qps[_i].body), 0);
	ck_assert_str_eq(buf_str(&b), qps[_i].want);
	for (const char *p = buf_str(&b), *nl; *p; p = nl + 2) {
		nl = strstr(p, "\r\n");
		ck_assert_ptr_nonnull(nl);
		ck_assert_int_le(nl - p, MAIL_QP_LINE);
	}
	buf_free(&b);
}
END_TEST

/* Header injection and other refusals: mail_build says 1 and why. */
static const struct {
	const char	*to, *to_name, *subject, *body, *why;
} refused[] = {
	{ "a@example.org", "Ana\r\nBcc: x@evil.example", "Hi", "text",
	  "a name has" },
	{ "a@example.org", "Ana", "Hi\r\nBcc: x@evil.example", "text",
	  "the subject is" },
	{ "a@example.org", "Ana", "Hi\n", "text", "the subject is" },
	{ "a@example.org", "Ana", "", "text", "the subject is" },
	{ "a@example.org\nBcc: x@evil.example", "Ana", "Hi", "text",
	  "the recipient's" },
	{ "a@example.org", "Ana", "Hi", "text\r\n.\r\n", "the text is" },
	{ "a@example.org", "Ana", "Hi", "bad \xff", "the text is" },
};

START_TEST(test_refused)
{
	struct mail_head	 h = { .from = "kf@example.org",
	    .to = refused[_i].to, .to_name = refused[_i].to_name,
	    .subject = refused[_i].subject };
	struct buf		 b;
	const char		*why = NULL;

	buf_init(&b, MAIL_MESSAGE_MAX);
	ck_assert_int_eq(mail_build(&h, refused[_i].body, &b, &why), 1);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strncmp(why, refused[_i].why, strlen(refused[_i].why))
	    == 0, "row %d: %s", _i, why);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_build)
{
	struct mail_head	 h = { .from = "kf@example.org",
	    .from_name = "Survey", .to = "asa@example.org",
	    .to_name = "\xc3\x85sa", .reply_to = "ana@example.org",
	    .subject = "Reminder: Sm\xc3\xa5 st\xc3\xa4""der",
	    .unsubscribe = "https://kf.example/u/abc", .date = 0 };
	struct buf		 b;
	const char		*why = NULL;

	buf_init(&b, MAIL_MESSAGE_MAX);
	ck_assert_int_eq(mail_build(&h, "Hej\n", &b, &why), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "From: \"Survey\" "
	    "<kf@example.org>\r\nTo: =?UTF-8?B?w4VzYQ==?= <asa@example.org>"
	    "\r\nReply-To: ana@example.org\r\nSubject: =?UTF-8?B?"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "\r\nDate: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "@example.org>\r\nList-Unsubscribe: <https://kf.example/u/abc>\r\n"
	    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "Content-Type: text/plain; "
	    "charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable"));
	ck_assert_str_eq(buf_str(&b) + b.len - 9, "\r\n\r\nHej\r\n");
	for (size_t i = 0; i < b.len; i++)
		ck_assert_msg((unsigned char)b.data[i] < 0x80, "7-bit at %zu",
		    i);
	buf_free(&b);
}
END_TEST

static const struct {
	const char	*tmpl;
	int		 rc;
	const char	*want;		/* the text, or the start of why */
} renders[] = {
	{ "Dear {name}, {link}", 0, "Dear N, L" },
	{ "{{name} {campaign}{key_fields}{deadline}{coordinator}"
	  "{unsubscribe}", 0, "{name} CKDOU" },
	{ "no placeholder", 0, "no placeholder" },
	{ "Dear {nmae}", 1, "unknown placeholder {nmae} (the" },
	{ "Dear {name", 1, "unknown placeholder {name... (the" },
	{ "{}", 1, "unknown placeholder {} (the" },
};

START_TEST(test_render)
{
	static const char *const vals[MAIL_VAR__MAX] = { "N", "C", "K", "L",
	    "D", "O", "U" };
	struct buf	 b;
	const char	*why = NULL;

	buf_init(&b, 4096);
	ck_assert_int_eq(mail_render(NULL, renders[_i].tmpl, vals, &b, &why),
	    renders[_i].rc);
	if (renders[_i].rc == 0)
		ck_assert_str_eq(buf_str(&b), renders[_i].want);
	else
		ck_assert_msg(strncmp(why, renders[_i].want,
		    strlen(renders[_i].want)) == 0, "row %d: %s", _i, why);
	buf_free(&b);
}
END_TEST

/* The preview's refusals name the limits, in the reader's language. */
START_TEST(test_preview_why)
{
	const struct lang	*de = i18n_lang("de");
	char			*big = malloc(MAIL_BODY_MAX + 2);
	struct buf		 b;
	const char		*why = NULL;

	ck_assert_ptr_nonnull(de);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', MAIL_BODY_MAX + 1);
	big[MAIL_BODY_MAX + 1] = '\0';
	buf_init(&b, 4096);
	ck_assert_int_eq(mailq_preview(NULL, "C", "", "x", &b, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "longer than 200 bytes"));
	ck_assert_int_eq(mailq_preview(de, "C", "Hi", big, &b, &why), 1);
	ck_assert_ptr_nonnull(strstr(why, "länger als 65536 Bytes"));
	ck_assert_int_eq(mailq_preview(de, "C", "Hi", "Dear {nmae}", &b,
	    &why), 1);
	ck_assert_str_eq(why, "unbekannter Platzhalter {nmae} (die "
	    "Platzhalter sind {name}, {campaign}, {key_fields}, {link}, "
	    "{deadline}, {coordinator}, {unsubscribe}; {{ steht für ein {)");
	buf_free(&b);
	free(big);
}
END_TEST

/* Who is due a reminder: one row per state, the first reason wins. */
static const struct {
	struct store_reminder_row	 r;
	const char			*want;	/* NULL: due */
} dues[] = {
	{ { .cards = 2, .open = 1, .last_s = 0 }, NULL },
	{ { .revoked = true, .cards = 2, .open = 1 }, "her link is revoked" },
	{ { .cards = 0, .open = 0 }, "no key field is assigned to her" },
	{ { .cards = 2, .open = 0 }, "every card is submitted" },
	{ { .cards = 2, .open = 1, .stopped = "bounced" },
	  "her address bounced" },
	{ { .cards = 2, .open = 1, .stopped = "opted-out" }, "she opted out" },
	{ { .cards = 2, .open = 1, .pending = 1 },
	  "a mail to her waits to be sent" },
	{ { .cards = 2, .open = 1, .reminders = 3 },
	  "3 reminders sent, the most" },
	{ { .cards = 2, .open = 1, .reminders = 2, .last_s = 0 }, NULL },
	/* 6 days 23 h after her last mail: not yet; 7 days: due. */
	{ { .cards = 2, .open = 1, .last_s = 1000000 - 7 * 86400 + 3600 },
	  "last mail 1970-01-05, next from 1970-01-12" },
	{ { .cards = 2, .open = 1, .last_s = 1000000 - 7 * 86400 }, NULL },
};

START_TEST(test_due)
{
	const struct store_mail_policy	 pol = { .deadline = "",
	    .max_reminders = 3, .every_days = 7 };
	char				 why[96];
	const char			*got;

	got = mailq_reminder_due(&dues[_i].r, &pol, 1000000, why,
	    sizeof(why));
	if (dues[_i].want == NULL)
		ck_assert_msg(got == NULL, "row %d: %s", _i, got);
	else {
		ck_assert_ptr_nonnull(got);
		ck_assert_str_eq(got, dues[_i].want);
	}
}
END_TEST

/* Two days before the deadline (1970-01-14): one more reminder. */
START_TEST(test_due_deadline)
{
	const struct store_mail_policy	 pol = { .deadline = "1970-01-14",
	    .max_reminders = 3, .every_days = 7 };
	struct store_reminder_row	 r = { .cards = 1, .open = 1 };
	char				 why[96];

	r.last_s = 1000000 - 3 * 86400;	/* 1970-01-09: before the 12th */
	ck_assert_ptr_null(mailq_reminder_due(&r, &pol, 1000000, why,
	    sizeof(why)));
	r.last_s = 960000;		/* 1970-01-12 02:40: after it */
	ck_assert_str_eq(mailq_reminder_due(&r, &pol, 1000000, why,
	    sizeof(why)), "last mail 1970-01-12, next from 1970-01-19");
	r.last_s = 1000000 - 3 * 86400;	/* not yet the 12th: not due */
	ck_assert_ptr_nonnull(mailq_reminder_due(&r, &pol, 940000, why,
	    sizeof(why)));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("mail");
	TCase	*tc = tcase_create("mail");

	if (sodium_init() < 0)
		return 1;
	tcase_add_loop_test(tc, test_addr, 0, NELEM(addrs));
	tcase_add_loop_test(tc, test_text, 0, NELEM(texts));
	tcase_add_loop_test(tc, test_words, 0, NELEM(words));
	tcase_add_loop_test(tc, test_qp, 0, NELEM(qps));
	tcase_add_loop_test(tc, test_refused, 0, NELEM(refused));
	tcase_add_test(tc, test_build);
	tcase_add_loop_test(tc, test_render, 0, NELEM(renders));
	tcase_add_test(tc, test_preview_why);
	tcase_add_loop_test(tc, test_due, 0, NELEM(dues));
	tcase_add_test(tc, test_due_deadline);
	suite_add_tcase(s, tc);
	return check_run(s);
}
