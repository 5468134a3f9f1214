/*
 * app/mail: RFC 5322 messages with RFC 2047 headers and a
 * quoted-printable body. Never lets a CR, LF or control character of a
 * name, subject or address into a header.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app/mail.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/req.h"

bool
mail_addr_ok(const char *s)
{
	const char	*at = NULL;
	size_t		 n = strlen(s);

	if (n == 0 || n > MAIL_ADDR_MAX)
		return false;
	for (const char *p = s; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("\"(),:;<>[\\]", *p) != NULL)
			return false;
		if (*p == '@') {
			if (at != NULL)
				return false;
			at = p;
		}
	}
	return at != NULL && at != s && at[1] != '\0';
}

/* Is the code point at p (of n bytes) a control character (C0, DEL, C1)? */
static bool
control_at(const unsigned char *p, bool lines)
{
	if (*p < 0x20)
		return !(lines && (*p == '\n' || *p == '\t'));
	if (*p == 0x7f)
		return true;
	/* U+0080..U+009F: C2 80..C2 9F. */
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

bool
mail_text_ok(const char *s, size_t max, bool lines)
{
	size_t	 n = strlen(s);

	if (n > max || !req_utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (control_at(p, lines))
			return false;
	return true;
}

/* Printable ASCII (and spaces), nothing an encoded-word would be read in. */
static bool
plain_ascii(const char *s)
{
	for (const char *p = s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return strstr(s, "=?") == NULL;
}

/* The length of the UTF-8 character starting with byte c. */
static size_t
utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Append "quoted" ASCII as a quoted-string. */
static int
quoted(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
	return buf_putc(out, '"');
}

int
mail_encode_words(struct buf *out, const char *text, bool phrase)
{
	char	 b64[sodium_base64_ENCODED_LEN(MAIL_WORD_BYTES,
	    sodium_base64_VARIANT_ORIGINAL)];
	size_t	 n, k, len = strlen(text);

	if (plain_ascii(text))
		return phrase ? quoted(out, text) : buf_puts(out, text);
	for (size_t i = 0; i < len; i += n) {
		for (n = 0; i + n < len; n += k) {
			k = utf8_len((unsigned char)text[i + n]);
			if (n + k > MAIL_WORD_BYTES)
				break;
		}
		sodium_bin2base64(b64, sizeof(b64),
		    (const unsigned char *)text + i, n,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", i > 0 ? "\r\n " : "",
		    b64);
	}
	return buf_failed(out) ? -1 : 0;
}

/*
 * Must byte c at column col, with left bytes of its line from it, be
 * encoded? from: the line starts with "From " (mbox readers mangle it).
 */
static bool
qp_encode(unsigned char c, size_t col, size_t left, bool from)
{
	if (c == '=' || c < 0x20 || c > 0x7e)
		return c != '\t' || left == 1;
	if (c == ' ')
		return left == 1;	/* trailing white space */
	return col == 0 && (c == '.' || (c == 'F' && from));
}

/* One line of n bytes (no '\n') as quoted-printable, then CRLF. */
static void
qp_line(struct buf *out, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t	 col = 0, w;
	bool	 from = n >= 5 && memcmp(p, "From ", 5) == 0;

	for (size_t i = 0; i < n; i++) {
		w = qp_encode(p[i], col, n - i, from && i == 0) ? 3 : 1;
		/* Room for a soft break '=' unless this is the last byte. */
		if (col + w > MAIL_QP_LINE - (i + 1 < n ? 1 : 0)) {
			buf_puts(out, "=\r\n");
			col = 0;
			w = qp_encode(p[i], col, n - i, false) ? 3 : 1;
		}
		if (w == 3)
			buf_printf(out, "=%c%c", hex[p[i] >> 4],
			    hex[p[i] & 15]);
		else
			buf_putc(out, (char)p[i]);
		col += w;
	}
	buf_puts(out, "\r\n");
}

int
mail_qp(struct buf *out, const char *body)
{
	const char	*p = body, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		qp_line(out, (const unsigned char *)p,
		    nl != NULL ? (size_t)(nl - p) : strlen(p));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return buf_failed(out) ? -1 : 0;
}

/* "Mon, 07 Dec 2026 02:05:01 +0000" of t, in any locale. */
static void
date_header(struct buf *out, time_t t)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	 tm;

	gmtime_r(&t, &tm);
	buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "Name: "display" <addr>" or "Name: addr". */
static void
addr_header(struct buf *out, const char *name, const char *display,
    const char *addr)
{
	buf_printf(out, "%s: ", name);
	if (display != NULL && *display != '\0') {
		mail_encode_words(out, display, true);
		buf_printf(out, " <%s>\r\n", addr);
	} else
		buf_printf(out, "%s\r\n", addr);
}

/* An http(s) URL of printable ASCII without blanks or angle brackets. */
static bool
url_ok(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return false;
	for (; *s != '\0'; s++)
		if (*s <= 0x20 || *s >= 0x7f || *s == '<' || *s == '>')
			return false;
	return true;
}

/* Is every part of h and body one we may send? NULL, or why not. */
static const char *
refused(const struct mail_head *h, const char *body)
{
	if (!mail_addr_ok(h->from) || (h->reply_to != NULL &&
	    !mail_addr_ok(h->reply_to)))
		return "the sender's address is not one we can send from";
	if (!mail_addr_ok(h->to))
		return "the recipient's address is not one we can send to";
	if ((h->from_name != NULL &&
	    !mail_text_ok(h->from_name, MAIL_NAME_MAX, false)) ||
	    (h->to_name != NULL &&
	    !mail_text_ok(h->to_name, MAIL_NAME_MAX, false)))
		return "a name has a line break or another control "
		    "character, or is too long";
	if (*h->subject == '\0' ||
	    !mail_text_ok(h->subject, MAIL_SUBJECT_MAX, false))
		return "the subject is empty, too long, or has a line break "
		    "or another control character";
	if (!mail_text_ok(body, MAIL_BODY_MAX, true))
		return "the text is too long, not UTF-8, or has a control "
		    "character";
	if (h->unsubscribe != NULL && !url_ok(h->unsubscribe))
		return "the unsubscribe address is not a URL";
	return NULL;
}

int
mail_build(const struct mail_head *h, const char *body, struct buf *out,
    const char **why)
{
	unsigned char	 rnd[18];
	char		 id[32];
	const char	*domain;

	if ((*why = refused(h, body)) != NULL)
		return 1;
	buf_reset(out);
	addr_header(out, "From", h->from_name, h->from);
	addr_header(out, "To", h->to_name, h->to);
	if (h->reply_to != NULL)
		addr_header(out, "Reply-To", NULL, h->reply_to);
	buf_puts(out, "Subject: ");
	mail_encode_words(out, h->subject, false);
	buf_puts(out, "\r\n");
	date_header(out, h->date);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(id, sizeof(id), rnd, sizeof(rnd),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	domain = strchr(h->from, '@') + 1;
	buf_printf(out, "Message-ID: <%s@%s>\r\n", id, domain);
	if (h->unsubscribe != NULL)
		buf_printf(out, "List-Unsubscribe: <%s>\r\n"
		    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
		    h->unsubscribe);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n");
	mail_qp(out, body);
	return buf_failed(out) ? -1 : 0;
}

/* ---- templates ---- */

static const char *const var_names[] = {
	[MAIL_VAR_NAME] = "name",
	[MAIL_VAR_CAMPAIGN] = "campaign",
	[MAIL_VAR_KEY_FIELDS] = "key_fields",
	[MAIL_VAR_LINK] = "link",
	[MAIL_VAR_DEADLINE] = "deadline",
	[MAIL_VAR_COORDINATOR] = "coordinator",
	[MAIL_VAR_UNSUBSCRIBE] = "unsubscribe",
};
_Static_assert(sizeof(var_names) / sizeof(var_names[0]) == MAIL_VAR__MAX,
    "one name per placeholder");

/* The placeholder at p ("{name}..."), of *len bytes: its enum, or -1. */
static int
var_at(const char *p, size_t *len)
{
	size_t	 n;

	for (int v = 0; v < MAIL_VAR__MAX; v++) {
		n = strlen(var_names[v]);
		if (strncmp(p + 1, var_names[v], n) == 0 && p[n + 1] == '}') {
			*len = n + 2;
			return v;
		}
	}
	return -1;
}

int
mail_render(const struct lang *l, const char *tmpl,
    const char *const vals[MAIL_VAR__MAX], struct buf *out, const char **why)
{
	static _Thread_local char	 msg[320];
	const char			*p = tmpl;
	size_t				 len;
	int				 v;

	while (*p != '\0') {
		if (*p != '{') {
			len = strcspn(p, "{");
			buf_put(out, p, len);
			p += len;
		} else if (p[1] == '{') {
			buf_putc(out, '{');
			p += 2;
		} else if ((v = var_at(p, &len)) >= 0) {
			buf_puts(out, vals[v]);
			p += len;
		} else {
			len = strcspn(p, "}\n");
			if (buf_fmt(msg, sizeof(msg), tr(l, "unknown "
			    "placeholder %.*s%s (the placeholders are {name}, "
			    "{campaign}, {key_fields}, {link}, {deadline}, "
			    "{coordinator}, {unsubscribe}; {{ is a {)"),
			    (int)(len > 24 ? 24 : len), p,
			    p[len] == '}' && len <= 24 ? "}" : "...") == -1)
				buf_mark_cut(msg, sizeof(msg));
			*why = msg;
			return 1;
		}
	}
	return buf_failed(out) ? -1 : 0;
}
