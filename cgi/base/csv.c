/*
 * csv: the RFC 4180 reader behind the imports (see csv.h).
 * Never reads past len; never asserts on input.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/i18n.h"

/* Where the reader is in the text, and the value being read. */
struct reader {
	const char	*text;
	size_t		 len;
	size_t		 i;		/* the next byte to read */
	int		 line;		/* the line of text[i] */
	int		 start;		/* the first line of the record */
	char		 delim;		/* ',' or ';' */
	const struct lang *lang;	/* of the messages */
	struct buf	 cell;
	char		*err;
	size_t		 errsz;
};

static int
malformed(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The text is malformed: 1 with the message in err, -1 if it was cut. */
static int
malformed(struct reader *r, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = buf_vfmt(r->err, r->errsz, fmt, ap);
	va_end(ap);
	return rc == -1 ? -1 : 1;
}

static bool
ends_value(const struct reader *r)
{
	return r->i >= r->len || r->text[r->i] == r->delim ||
	    r->text[r->i] == '\r' || r->text[r->i] == '\n';
}

/* A quoted value, from its opening quote to the byte after its last. */
static int
quoted(struct reader *r)
{
	const char	*t = r->text;

	for (r->i++;; r->i++) {
		if (r->i >= r->len)
			return malformed(r, tr(r->lang, "Line %d: a quoted "
			    "value is not closed."), r->start);
		if (t[r->i] == '"' && r->i + 1 < r->len &&
		    t[r->i + 1] == '"') {
			r->i++;
		} else if (t[r->i] == '"') {
			r->i++;
			break;
		}
		if (t[r->i] == '\n')
			r->line++;
		if (buf_putc(&r->cell, t[r->i]) == -1)
			return -1;
	}
	if (!ends_value(r))
		return malformed(r, tr(r->lang, "Line %d: text after a "
		    "closing quote (double a quote inside a quoted value)."),
		    r->line);
	return 0;
}

/* A value without quotes, up to the delimiter or the record's end. */
static int
plain(struct reader *r)
{
	for (; !ends_value(r); r->i++) {
		if (r->text[r->i] == '"')
			return malformed(r, tr(r->lang, "Line %d: a quote "
			    "inside a value that does not start with one "
			    "(quote the whole value)."), r->line);
		if (buf_putc(&r->cell, r->text[r->i]) == -1)
			return -1;
	}
	return 0;
}

/*
 * The values of one record into fields (*n of them, the caller frees
 * them, also on failure); *blank when it is one empty unquoted value.
 */
static int
record(struct reader *r, char **fields, size_t *n, bool *blank)
{
	int	 rc;

	*blank = true;
	for (;;) {
		buf_reset(&r->cell);
		if (r->i < r->len && r->text[r->i] == '"') {
			*blank = false;
			rc = quoted(r);
		} else {
			rc = plain(r);
			if (r->cell.len > 0)
				*blank = false;
		}
		if (rc != 0)
			return rc;
		if (*n == CSV_FIELDS)
			return malformed(r, tr(r->lang, "Line %d: more than "
			    "%d columns."), r->start, CSV_FIELDS);
		if ((fields[*n] = strdup(buf_str(&r->cell))) == NULL)
			return -1;
		(*n)++;
		if (r->i >= r->len || r->text[r->i] != r->delim)
			return 0;
		r->i++;
		*blank = false;
	}
}

char
csv_delimiter(const char *text, size_t len)
{
	size_t	 i = csv_bom(text, len), commas = 0, semis = 0;
	bool	 quoted = false;

	for (; i < len && (quoted || (text[i] != '\n' && text[i] != '\r'));
	    i++) {
		if (text[i] == '"')
			quoted = !quoted;
		else if (!quoted && text[i] == ',')
			commas++;
		else if (!quoted && text[i] == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

size_t
csv_bom(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

int
csv_parse(const char *text, size_t len, const struct lang *lang,
    int (*cb)(void *, int, char **, size_t), void *ctx, char *err,
    size_t errsz)
{
	struct reader	 r = { .text = text, .len = len, .line = 1,
	    .err = err, .errsz = errsz, .lang = lang };
	char		*fields[CSV_FIELDS];
	size_t		 n;
	int		 rc = 0;
	bool		 blank;

	buf_init(&r.cell, len + 1);
	/* A UTF-8 byte order mark is not part of the first value. */
	r.i = csv_bom(text, len);
	r.delim = csv_delimiter(text, len);
	while (r.i < len && rc == 0) {
		r.start = r.line;
		n = 0;
		rc = record(&r, fields, &n, &blank);
		/* The end of the record: CRLF, LF, a lone CR, or the end. */
		if (r.i < len && text[r.i] == '\r')
			r.i++;
		if (r.i < len && text[r.i] == '\n')
			r.i++;
		r.line++;
		if (rc == 0 && !blank)
			rc = cb(ctx, r.start, fields, n);
		for (size_t k = 0; k < n; k++)
			free(fields[k]);
	}
	buf_free(&r.cell);
	return rc;
}
