/*
 * csv: the RFC 4180 reader behind the console's and the CLI's imports.
 * Fields are separated by commas, records by CRLF or LF; quoted fields
 * may hold commas, quotes (doubled) and line breaks.
 */
#ifndef KEYFIELD_CSV_H
#define KEYFIELD_CSV_H

#include <stddef.h>

#define CSV_FIELDS	16	/* fields kept of one record */
#define CSV_ERR_MAX	128	/* errsz that holds every message */

/*
 * Calls cb(ctx, line, fields, n) for every record that is not blank (line
 * is the record's first line number); stops at cb's non-zero result and
 * returns it. A malformed text returns 1 with a message in err. The text
 * must be valid UTF-8 (checked by the caller). 0, 1, cb's value, or -1
 * (out of memory, or a message cut because errsz < CSV_ERR_MAX).
 */
int	 csv_parse(const char *text, size_t len,
	    int (*cb)(void *, int line, char **fields, size_t n), void *ctx,
	    char *err, size_t errsz);

#endif
