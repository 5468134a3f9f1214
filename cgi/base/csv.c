/*
 * csv: the RFC 4180 reader behind the imports (see csv.h).
 * Never reads past len; never asserts on input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csv.h"

int
csv_parse(const char *text, size_t len,
    int (*cb)(void *, int, char **, size_t), void *ctx, char *err,
    size_t errsz)
{
	struct buf	 cell;
	char		*fields[CSV_FIELDS];
	size_t		 i = 0, n = 0;
	int		 line = 1, start, rc = 0;
	bool		 quoted, blank;

	buf_init(&cell, len + 1);
	/* A UTF-8 byte order mark is not part of the first value. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && rc == 0) {
		start = line;
		n = 0;
		blank = true;
		for (;;) {
			buf_reset(&cell);
			quoted = i < len && text[i] == '"';
			if (quoted) {
				blank = false;
				for (i++;; i++) {
					if (i >= len) {
						snprintf(err, errsz, "Line %d: "
						    "a quoted value is not "
						    "closed.", start);
						rc = 1;
						goto out;
					}
					if (text[i] == '"' && i + 1 < len &&
					    text[i + 1] == '"') {
						i++;
					} else if (text[i] == '"') {
						i++;
						break;
					}
					if (text[i] == '\n')
						line++;
					if (buf_putc(&cell, text[i]) == -1) {
						rc = -1;
						goto out;
					}
				}
				if (i < len && text[i] != ',' &&
				    text[i] != '\r' && text[i] != '\n') {
					snprintf(err, errsz, "Line %d: text "
					    "after a closing quote (double a "
					    "quote inside a quoted value).",
					    line);
					rc = 1;
					goto out;
				}
			} else {
				for (; i < len && text[i] != ',' &&
				    text[i] != '\r' && text[i] != '\n'; i++) {
					if (text[i] == '"') {
						snprintf(err, errsz, "Line %d: "
						    "a quote inside a value "
						    "that does not start with "
						    "one (quote the whole "
						    "value).", line);
						rc = 1;
						goto out;
					}
					if (buf_putc(&cell, text[i]) == -1) {
						rc = -1;
						goto out;
					}
				}
				if (cell.len > 0)
					blank = false;
			}
			if (n == CSV_FIELDS) {
				snprintf(err, errsz, "Line %d: more than %d "
				    "columns.", start, CSV_FIELDS);
				rc = 1;
				goto out;
			}
			if ((fields[n] = strdup(buf_str(&cell))) == NULL) {
				rc = -1;
				goto out;
			}
			n++;
			if (i < len && text[i] == ',') {
				i++;
				blank = false;
				continue;
			}
			break;
		}
		/* The end of the record: CRLF, LF, a lone CR, or the end. */
		if (i < len && text[i] == '\r')
			i++;
		if (i < len && text[i] == '\n')
			i++;
		line++;
		if (!blank)
			rc = cb(ctx, start, fields, n);
		for (size_t k = 0; k < n; k++)
			free(fields[k]);
		n = 0;
	}
out:
	for (size_t k = 0; k < n; k++)
		free(fields[k]);
	buf_free(&cell);
	return rc;
}

