/*
 * fuzz_mail: libFuzzer driver for app/mail.c. The input is a display
 * name, a subject, a body and a template, split at NUL bytes. Either
 * mail_build refuses (1) and writes nothing, or the message is 7-bit,
 * every line ends in CR LF and has at most 998 bytes, the head is one
 * line per header (continuations start with a space) with exactly one
 * To and one Subject, the Subject's encoded-words decode back to the
 * subject and the quoted-printable body back to the body. mail_render
 * never reads or writes out of bounds.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/mail.h"
#include "base/buf.h"

#define PARTS	4

/* Decode quoted-printable text[n] (CR LF line ends) into out. */
static void
qp_decode(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '=') {
			buf_putc(out, s[i]);
			continue;
		}
		if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;		/* a soft break */
			continue;
		}
		assert(i + 2 < n);
		buf_putc(out, (char)strtol((char[]){ s[i + 1], s[i + 2], 0 },
		    NULL, 16));
		i += 2;
	}
}

/* The Subject header's value, unfolded and decoded, into out. */
static void
subject_decode(const char *v, size_t n, struct buf *out)
{
	unsigned char	 bin[MAIL_WORD_BYTES + 4];
	size_t		 len;
	const char	*end;

	if (n < 10 || strncmp(v, "=?UTF-8?B?", 10) != 0) {
		buf_put(out, v, n);
		return;
	}
	while (n > 0) {
		assert(strncmp(v, "=?UTF-8?B?", 10) == 0);
		end = strstr(v + 10, "?=");
		assert(end != NULL && end < v + n);
		assert(sodium_base642bin(bin, sizeof(bin), v + 10,
		    (size_t)(end - v - 10), NULL, &len, NULL,
		    sodium_base64_VARIANT_ORIGINAL) == 0);
		assert(len <= MAIL_WORD_BYTES);
		buf_put(out, (const char *)bin, len);
		n -= (size_t)(end + 2 - v);
		v = end + 2;
		if (n > 0) {
			assert(n >= 3 && strncmp(v, "\r\n ", 3) == 0);
			v += 3;
			n -= 3;
		}
	}
}

/* Check the message m of body and subject as the comment above says. */
static void
check(const struct buf *m, const char *subject, const char *body)
{
	const char	*s = m->data, *head_end, *line, *nl;
	struct buf	 got, want;
	int		 to = 0, subj = 0;

	for (size_t i = 0; i < m->len; i++) {
		assert((unsigned char)s[i] < 0x80 && s[i] != '\0');
		assert(s[i] != '\n' || (i > 0 && s[i - 1] == '\r'));
		assert(s[i] != '\r' || s[i + 1] == '\n');
	}
	head_end = strstr(s, "\r\n\r\n");
	assert(head_end != NULL);
	buf_init(&got, 1 << 20);
	buf_init(&want, 1 << 20);
	for (line = s; line <= head_end; line = nl + 2) {
		nl = strstr(line, "\r\n");
		assert(nl - line <= 998);
		assert(line == s || line[0] == ' ' || strchr(line, ':') < nl);
		to += strncmp(line, "To: ", 4) == 0;
		if (strncmp(line, "Subject: ", 9) == 0) {
			subj++;
			nl = strstr(line, "\r\nDate: ");
			subject_decode(line + 9, (size_t)(nl - line - 9), &got);
			assert(got.len == strlen(subject) && (got.len == 0 ||
			    memcmp(got.data, subject, got.len) == 0));
		}
	}
	assert(to == 1 && subj == 1);
	buf_reset(&got);
	qp_decode(head_end + 4, m->len - (size_t)(head_end + 4 - s), &got);
	for (const char *p = body; *p != '\0'; p++)
		buf_puts(&want, *p == '\n' ? "\r\n" : (char[]){ *p, 0 });
	if (*body != '\0' && body[strlen(body) - 1] != '\n')
		buf_puts(&want, "\r\n");
	assert(got.len == want.len && (got.len == 0 ||
	    memcmp(got.data, want.data, got.len) == 0));
	buf_free(&got);
	buf_free(&want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const vals[MAIL_VAR__MAX] = { "N", "C", "K", "L",
	    "D", "O", "U" };
	char		*copy, *part[PARTS];
	const char	*why;
	struct mail_head h;
	struct buf	 m, r;
	size_t		 k = 0;

	if (sodium_init() < 0 || (copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	part[k++] = copy;
	for (size_t i = 0; i < size && k < PARTS; i++)
		if (copy[i] == '\0')
			part[k++] = copy + i + 1;
	while (k < PARTS)
		part[k++] = "";
	h = (struct mail_head){ .from = "kf@example.org", .to = "a@example.org",
	    .to_name = part[0], .subject = part[1], .date = 0 };
	buf_init(&m, MAIL_MESSAGE_MAX);
	if (mail_build(&h, part[2], &m, &why) == 0)
		check(&m, part[1], part[2]);
	else
		assert(m.len == 0);
	buf_init(&r, 1 << 20);
	(void)mail_render(NULL, part[3], vals, &r, &why);
	buf_free(&r);
	buf_free(&m);
	free(copy);
	return 0;
}
