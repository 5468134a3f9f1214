/*
 * req: everything a request brings, parsed once into one struct req that
 * owns every byte of it. Bad input is reported as a status, never asserted.
 */
#ifndef KEYFIELD_REQ_H
#define KEYFIELD_REQ_H

#include <stdbool.h>
#include <stddef.h>

#define REQ_BODY_KB	256		/* KB of a body */
#define REQ_BODY_MAX	(REQ_BODY_KB * 1024)
#define REQ_FIELDS_MAX	1000		/* fields in query + body */
#define REQ_KEY_MAX	128		/* bytes of one decoded field name */
#define REQ_COOKIES_MAX	32		/* cookies kept; more are ignored */
#define REQ_PATH_MAX	1024		/* bytes of the path */
#define REQ_PARTS_MAX	16		/* parts of a multipart body */
#define REQ_PART_HEAD_MAX 1024		/* header bytes of one part */
#define REQ_BOUNDARY_MAX 70		/* RFC 2046 */
#define REQ_FILENAME_MAX 255		/* bytes of an upload's file name */

enum req_method { REQ_GET, REQ_HEAD, REQ_POST, REQ_OTHER, REQ_METHOD__MAX };

/*
 * Outcome of parsing. REQ_OK or the reason the request is refused; each
 * maps to one HTTP status (req_status_code) and one plain message
 * (req_status_text).
 */
enum req_status {
	REQ_OK,			/* 200: parsed */
	REQ_BAD_ESCAPE,		/* 400: a '%' not followed by two hex digits */
	REQ_BAD_UTF8,		/* 400: invalid or overlong UTF-8 */
	REQ_NUL,		/* 400: a NUL byte in a name or value */
	REQ_DUPLICATE,		/* 400: the same field name twice */
	REQ_TOO_MANY,		/* 413: more than REQ_FIELDS_MAX fields */
	REQ_KEY_TOO_LONG,	/* 400: a field name over REQ_KEY_MAX */
	REQ_TOO_LARGE,		/* 413: body over REQ_BODY_MAX */
	REQ_BAD_TYPE,		/* 415: POST body not urlencoded */
	REQ_BAD_PATH,		/* 400: path missing, too long or not UTF-8 */
	REQ_BAD_MULTIPART,	/* 400: a multipart body we cannot read */
	REQ_STATUS__MAX
};

struct req_kv {
	char	*key;		/* decoded, NUL-terminated, valid UTF-8 */
	char	*val;		/* decoded, NUL-terminated, valid UTF-8 */
	size_t	 vlen;		/* strlen(val) */
};

/* A file part of a multipart body (req_parse_upload), by its field. */
struct req_upload {
	char	*field;		/* the part's name */
	char	*filename;	/* its file's name for messages, or "" */
	bool	 not_utf8;	/* its bytes were not UTF-8: the field is "" */
};

struct req {
	enum req_method	 method;
	char		*path;		/* DOCUMENT_URI or REQUEST_URI's path */
	char		*origin;	/* HTTP_ORIGIN or NULL */
	char		*fetch_site;	/* HTTP_SEC_FETCH_SITE or NULL */
	char		*host;		/* HTTP_HOST or NULL */
	char		*remote_addr;	/* REMOTE_ADDR or NULL */
	bool		 https;		/* HTTPS=on */
	/* Accept: application/json first: a script wants a JSON answer. */
	bool		 json;
	struct req_kv	*fields;	/* query fields, then body fields */
	size_t		 nfields;
	struct req_kv	*cookies;	/* well-formed cookies only */
	size_t		 ncookies;
	struct req_upload *uploads;	/* req_parse_upload's file parts */
	size_t		 nuploads;
};

/*
 * Fill r from the CGI/FastCGI environment envp (NULL-terminated
 * "NAME=value" strings) and the request body (len bytes, may be NULL for
 * GET). The body is parsed only for POST with Content-Type
 * application/x-www-form-urlencoded (parameters such as charset allowed).
 * A duplicate name across query and body is REQ_DUPLICATE.
 * Malformed cookies are skipped, never an error.
 * Returns REQ_OK, or the first problem found. r is always safe to
 * req_free afterwards. Allocation failure: returns -1 (cast to the enum
 * is never done by the caller: check for < 0 first).
 */
int	 req_parse(struct req *r, char *const *envp, const char *body,
	    size_t len);
/*
 * req_parse for the forms that upload a file: a POST body may also be
 * multipart/form-data (req_parse_multipart), with the same checks in the
 * same order and the same status otherwise, but for one: a file part
 * (one with a filename parameter) whose bytes are not UTF-8 is kept as
 * the field "" and noted in r->uploads (req_file), so that the page can
 * name the file and say how to save it.
 */
int	 req_parse_upload(struct req *r, char *const *envp, const char *body,
	    size_t len);
/* Release everything r owns; r is zeroed. Accepts NULL. */
void	 req_free(struct req *r);

/*
 * Decode an application/x-www-form-urlencoded string of len bytes,
 * appending to *kv (*n entries, grown with realloc). '+' is a space.
 * Returns REQ_OK, another enum req_status for bad input, or -1 when out of
 * memory.
 */
int	 req_parse_urlencoded(struct req_kv **kv, size_t *n, const char *s,
	    size_t len);
/*
 * Read a multipart/form-data body (RFC 7578) of len bytes whose
 * Content-Type header is ctype, appending one pair per part to *kv (*n
 * entries): the part's Content-Disposition name, and its bytes as they
 * are (a file's content, its filename ignored). The same promises as
 * req_parse_urlencoded: valid UTF-8 without NUL, names of 1..REQ_KEY_MAX
 * bytes, no name twice in *kv; on any status but REQ_OK *kv and *n are
 * unchanged.
 * ctype must be multipart/form-data with a boundary of 1..REQ_BOUNDARY_MAX
 * characters (token or quoted). Lines end in CRLF. A preamble before the
 * first delimiter and an epilogue after the closing one are ignored; at
 * least one part and the closing delimiter are required. Each part has
 * at most REQ_PART_HEAD_MAX bytes of header lines ("Name: value"), among
 * them one Content-Disposition: form-data with a name; other headers are
 * ignored. Names are taken as sent (no escapes are decoded).
 * Returns REQ_OK; REQ_BAD_MULTIPART for anything malformed (a huge part
 * header too); REQ_TOO_MANY past REQ_PARTS_MAX parts or REQ_FIELDS_MAX
 * fields in all; REQ_TOO_LARGE past REQ_BODY_MAX; REQ_KEY_TOO_LONG,
 * REQ_NUL, REQ_BAD_UTF8, REQ_DUPLICATE as for urlencoded fields; -1 when
 * out of memory.
 */
int	 req_parse_multipart(struct req_kv **kv, size_t *n, const char *ctype,
	    const char *body, size_t len);
/* Parse a Cookie header value; appends well-formed pairs. 0 or -1 (OOM). */
int	 req_parse_cookies(struct req_kv **kv, size_t *n, const char *s);

/* The value of field name, or NULL. */
const char *req_field(const struct req *, const char *name);
/*
 * The file part called name of req_parse_upload, or NULL. Its filename
 * is the last path element the browser sent, "" when that is not UTF-8
 * text of at most REQ_FILENAME_MAX bytes.
 */
const struct req_upload *req_file(const struct req *, const char *name);
/* The value of cookie name, or NULL. */
const char *req_cookie(const struct req *, const char *name);
/* A value from envp ("NAME=value" strings), or NULL. */
const char *req_env(char *const *envp, const char *name);

/* true when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool	 req_utf8_valid(const char *s, size_t len);
/* true for valid UTF-8 of 1..max bytes without control characters. */
bool	 req_text_ok(const char *s, size_t max);
/* true for 1..max of [A-Za-z0-9] and the characters in extra. */
bool	 req_word_ok(const char *s, size_t max, const char *extra);
/*
 * true for a code as people write it: valid UTF-8 of 1..max characters
 * (code points, not bytes), each a letter or digit of any script (by the
 * Unicode classes of the C.UTF-8 locale; ASCII only where it is missing)
 * or one of the ASCII characters in extra; with spaces, also single
 * spaces between two other characters (none first, last or doubled).
 */
bool	 req_code_ok(const char *s, size_t max, const char *extra,
	    bool spaces);
/* true for an e-mail address we accept (something@something, no blank). */
bool	 req_email_ok(const char *s);

int	 req_status_code(int status);	/* 200, 400, 413, 415, 500 */
/*
 * One plain sentence on status, in English: a catalogue entry (N_ of
 * base/i18n.h), for the caller to show with tr() in the reader's language.
 */
const char *req_status_text(int status);

#endif
