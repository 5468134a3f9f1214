/*
 * export: a campaign's responses as CSV (wide), long CSV, JSON, XLSX or
 * Markdown card documents, streamed from the database so memory does not
 * grow with the number of responses. Never writes a cell that a
 * spreadsheet would run as a formula.
 */
#ifndef KEYFIELD_EXPORT_H
#define KEYFIELD_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct store;

enum export_format {
	EXPORT_CSV,		/* one row per response (latest version) */
	EXPORT_CSV_LONG,	/* one row per value */
	EXPORT_JSON,		/* the whole campaign */
	EXPORT_XLSX,		/* the CSV tables as sheets */
	EXPORT_MD,		/* one card document per key field */
	EXPORT_FORMAT__MAX
};

/*
 * Exports hold submitted versions only (never a working copy or a
 * withdrawn card): the latest version of each response in each Delphi
 * round, or with all_versions every version (one row or object each; MD
 * shows the latest only). csv-long (a "round" column) and json (cards
 * nested by round) hold every round; csv, xlsx and md the latest round.
 * round, when not 0, takes that round only.
 */
struct export_opts {
	bool		 bom;		/* CSV: a UTF-8 BOM first */
	char		 delim;		/* CSV: ';' or ',' (0 is ',') */
	bool		 all_versions;	/* all, not the last */
	const char	*field_code;	/* this key field only, or NULL */
	int		 round;		/* this round only; 0: see above */
	const char	*lang;		/* labels in this language (i18n_known:
					 * the caller checks); NULL: the
					 * campaign's default */
};

/* "csv", "csv-long", "json", "xlsx", "md" -> the enum, or -1. */
int		 export_format_parse(const char *);
const char	*export_format_name(enum export_format);
/* The MIME type for downloads, e.g. "text/csv; charset=utf-8". */
const char	*export_content_type(enum export_format);
/*
 * A safe download file name: slug reduced to [A-Za-z0-9._-], then the
 * format's extension, e.g. "demo-long.csv". out has outsz bytes, more
 * than the extension (16 hold any); the slug is cut to fit, never the
 * extension.
 */
void		 export_filename(char *out, size_t outsz, const char *slug,
		    enum export_format);

/*
 * Write campaign slug in format fmt to out, as one read transaction (so
 * not inside store_write).
 * out may be any stream: XLSX is assembled in a temporary file in
 * $TMPDIR (or /tmp) and then copied to it. Loads the campaign's form
 * versions itself. Returns 0, 1 when there is no such campaign, 2 when
 * opts->field_code names no key field of it, 3 when opts->round is
 * later than its round now, or -1 (logged; out may hold part of the
 * export).
 */
int		 export_campaign(struct store *, const char *slug,
		    enum export_format fmt, const struct export_opts *,
		    FILE *out);

/*
 * The CSV cell writer used by both CSV formats (RFC 4180: quoted when it
 * holds a comma, quote, CR or LF; quotes doubled; a cell starting with
 * '=', '+', '-', '@', TAB or CR gets a leading "'"). 0 or -1.
 */
int		 export_csv_cell(FILE *out, const char *value, bool first);
/* export_csv_cell with delim (',' or ';') between cells and quoted. */
int		 export_csv_cell_sep(FILE *out, const char *value, bool first,
		    char delim);
/* "comma" or "semicolon" (or NULL: comma) -> ',' or ';'; 0 for others. */
char		 export_delimiter_parse(const char *);

#endif
