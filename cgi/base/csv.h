/*
 * csv: the RFC 4180 reader behind the console's and the CLI's imports.
 * Fields are separated by commas, or by semicolons as a German Excel
 * writes them (csv_delimiter), records by CRLF or LF; quoted fields may
 * hold delimiters, quotes (doubled) and line breaks. A UTF-8 byte order
 * mark before the first record is skipped.
 */
#ifndef KEYFIELD_CSV_H
#define KEYFIELD_CSV_H

#include <stddef.h>

#include "base/i18n.h"

#define CSV_FIELDS	16	/* fields kept of one record */
#define CSV_ERR_MAX	256	/* errsz that holds every message */

/*
 * The delimiter of text, read from its first record (the header when
 * there is one): ';' when more semicolons than commas stand outside
 * quotes there, else ','.
 */
char	 csv_delimiter(const char *text, size_t len);
/* The bytes of the UTF-8 byte order mark text starts with: 3 or 0. */
size_t	 csv_bom(const char *text, size_t len);
/*
 * Calls cb(ctx, line, fields, n) for every record that is not blank (line
 * is the record's first line number), the values separated by
 * csv_delimiter(text, len); stops at cb's non-zero result and returns
 * it. A malformed text returns 1 with a message in err (in lang). The
 * text must be valid UTF-8 (checked by the caller). 0, 1, cb's value,
 * or -1 (out of memory, or a message cut because errsz < CSV_ERR_MAX).
 */
int	 csv_parse(const char *text, size_t len, const struct lang *lang,
	    int (*cb)(void *, int line, char **fields, size_t n), void *ctx,
	    char *err, size_t errsz);

#endif
