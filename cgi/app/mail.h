/*
 * app/mail: e-mail messages as RFC 5322 / MIME text, built here (no
 * library): headers with RFC 2047 encoded-words (UTF-8, base64) for
 * non-ASCII names and subjects, a text/plain; charset=UTF-8 body in
 * quoted-printable, Message-ID, Date, and on reminders List-Unsubscribe
 * with List-Unsubscribe-Post (RFC 8058). Lines end in CRLF; the message
 * is 7-bit ASCII. Names, subjects and addresses with CR, LF or another
 * control character are refused, never sent; so is text that is not
 * UTF-8. The same bytes go to a maildir file and over SMTP.
 */
#ifndef KEYFIELD_APP_MAIL_H
#define KEYFIELD_APP_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct buf;

#define MAIL_MESSAGE_MAX	(256 * 1024)	/* bytes of a whole message */
#define MAIL_SUBJECT_MAX	200	/* bytes of a subject */
#define MAIL_NAME_MAX		256	/* bytes of a display name */
#define MAIL_BODY_MAX		(64 * 1024)	/* bytes of a body's text */
#define MAIL_ADDR_MAX		254	/* bytes of an address (RFC 5321) */
#define MAIL_QP_LINE		76	/* characters of a body line */
#define MAIL_WORD_BYTES		45	/* UTF-8 bytes per encoded-word:
					 * 60 base64 + 12 = 72 of 75 */

/* What a message says besides its body. NULL: no such header. */
struct mail_head {
	const char	*from;		/* an address (mail_addr_ok) */
	const char	*from_name;	/* display name, or NULL */
	const char	*to;
	const char	*to_name;
	const char	*reply_to;	/* an address, or NULL */
	const char	*subject;
	const char	*unsubscribe;	/* https URL: List-Unsubscribe and
					 * List-Unsubscribe-Post; or NULL */
	time_t		 date;
};

/*
 * Is s a plain e-mail address we send to: local@domain, printable ASCII
 * without blanks, quotes, brackets, commas or semicolons, one '@', at
 * most MAIL_ADDR_MAX bytes?
 */
bool	 mail_addr_ok(const char *s);
/*
 * Is s UTF-8 of at most max bytes without control characters (with
 * lines, '\n' and '\t' allowed too: a body or a template)?
 */
bool	 mail_text_ok(const char *s, size_t max, bool lines);

/*
 * Append text to out as a header value: as it is when it is printable
 * ASCII, else as RFC 2047 encoded-words ("=?UTF-8?B?...?="), each of at
 * most MAIL_WORD_BYTES bytes of whole UTF-8 characters, folded with
 * CRLF SP between them. phrase: a display name (ASCII is then quoted).
 * 0, or -1 (the buffer's error).
 */
int	 mail_encode_words(struct buf *out, const char *text, bool phrase);
/*
 * Append body (UTF-8, lines ending in '\n') to out as quoted-printable
 * with CRLF line ends, soft breaks at MAIL_QP_LINE, and a '.' or a space
 * at a line's start or end encoded. 0 or -1 (the buffer's error).
 */
int	 mail_qp(struct buf *out, const char *body);

/*
 * Build the whole message of h and body into out (reset first):
 * 0; 1 when a header or the body is refused (*why says which, for a
 * person); -1 when out failed (its cap or memory).
 */
int	 mail_build(const struct mail_head *h, const char *body,
	    struct buf *out, const char **why);

/* ---- templates ---- */

/* The closed set of placeholders of a template: {name}, ... */
enum mail_var {
	MAIL_VAR_NAME,		/* the expert's name */
	MAIL_VAR_CAMPAIGN,	/* the campaign's title */
	MAIL_VAR_KEY_FIELDS,	/* her key fields, "A1 Title, B2 Title" */
	MAIL_VAR_LINK,		/* her sign-in link */
	MAIL_VAR_DEADLINE,	/* the campaign's deadline, or "" */
	MAIL_VAR_COORDINATOR,	/* who sends (mail_reply_to or mail_from) */
	MAIL_VAR_UNSUBSCRIBE,	/* the opt-out page, or "" */
	MAIL_VAR__MAX
};

/*
 * Append template tmpl to out with each placeholder replaced by
 * vals[its enum] ("{{" stands for a literal "{"): 0; 1 for an unknown
 * or unclosed placeholder (*why says which, for a person, in language
 * l of base/i18n.h, NULL: English; it points into a static buffer); -1
 * (the buffer's error).
 */
struct lang;
int	 mail_render(const struct lang *l, const char *tmpl,
	    const char *const vals[MAIL_VAR__MAX], struct buf *out,
	    const char **why);

#endif
