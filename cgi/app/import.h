/*
 * import: what the CSV imports of the console and the CLI share (key
 * fields, experts): values trimmed, an optional header row, problems
 * listed "Line N: ..." up to IMPORT_PROBLEMS_SHOWN, and the limits.
 */
#ifndef KEYFIELD_IMPORT_H
#define KEYFIELD_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/limit.h"

#define IMPORT_CSV_KB		64		/* KB of one CSV */
#define IMPORT_CSV_MAX		(IMPORT_CSV_KB * 1024)
#define IMPORT_ROWS		1000		/* rows of one import */
#define IMPORT_PROBLEMS_SHOWN	10		/* problems listed */

struct import_problems {
	struct buf	 text;
	int		 n;
	const struct lang *lang;	/* of the messages */
};

/* Cut blanks (spaces, tabs) around s in place; returns its start. */
char	*import_trim(char *s);
/* Start pr (empty, in lang); import_problems_free frees it. */
void	 import_problems_init(struct import_problems *pr,
	    const struct lang *lang);
void	 import_problems_free(struct import_problems *pr);
/*
 * "Line N: " and what fmt says, unless IMPORT_PROBLEMS_SHOWN are; fmt is
 * in pr's language (tr(pr->lang, ...)).
 */
void	 import_problem_add(struct import_problems *pr, int line,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The problems, a count of those not shown, "Nothing was imported." */
const char *import_problems_text(struct import_problems *pr);
/*
 * The problem of a CSV that is not UTF-8 into out, in lang, naming the
 * file (name) and saying how to save it as UTF-8; name NULL or "": "the
 * CSV".
 */
void	 import_not_utf8(struct buf *out, const struct lang *lang,
	    const char *name);
/* The problems of a CSV too large and of too many rows, in lang. */
void	 import_too_large(struct buf *out, const struct lang *lang);
void	 import_too_many(struct import_problems *pr, int line);
/* Is record f, n (trimmed in place) the header names[0..nnames)? */
bool	 import_header(char **f, size_t n, const char *const *names,
	    size_t nnames);

#endif
