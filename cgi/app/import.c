/*
 * import: the helpers of the console's and the CLI's CSV imports.
 * Never stores anything: the callers check every row, then store.
 */
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "app/import.h"

char *
import_trim(char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

void
import_problems_init(struct import_problems *pr, const struct lang *lang)
{
	pr->n = 0;
	pr->lang = lang;
	buf_init(&pr->text, 4096);
}

void
import_problems_free(struct import_problems *pr)
{
	if (pr != NULL)
		buf_free(&pr->text);
}

void
import_problem_add(struct import_problems *pr, int line, const char *fmt,
    ...)
{
	va_list	 ap;

	if (++pr->n > IMPORT_PROBLEMS_SHOWN)
		return;
	if (pr->text.len > 0)
		buf_putc(&pr->text, ' ');
	buf_printf(&pr->text, tr(pr->lang, "Line %d: "), line);
	va_start(ap, fmt);
	buf_vprintf(&pr->text, fmt, ap);
	va_end(ap);
}

const char *
import_problems_text(struct import_problems *pr)
{
	int	 more = pr->n - IMPORT_PROBLEMS_SHOWN;

	if (more > 0) {
		buf_putc(&pr->text, ' ');
		buf_printf(&pr->text, trn(pr->lang, "(and %d more problem)",
		    "(and %d more problems)", (unsigned long)more), more);
	}
	buf_putc(&pr->text, ' ');
	buf_puts(&pr->text, tr(pr->lang, "Nothing was imported."));
	return buf_str(&pr->text);
}

bool
import_header(char **f, size_t n, const char *const *names, size_t nnames)
{
	if (n != nnames)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(import_trim(f[i]), names[i]) != 0)
			return false;
	return true;
}

void
import_not_utf8(struct buf *out, const struct lang *lang, const char *name)
{
	if (name != NULL && *name != '\0')
		buf_printf(out, tr(lang, "The file %s is not UTF-8: in Excel "
		    "choose \"CSV UTF-8\" when you save it."), name);
	else
		buf_puts(out, tr(lang, "The CSV is not UTF-8: save it as "
		    "UTF-8 (in Excel choose \"CSV UTF-8\")."));
}

void
import_too_large(struct buf *out, const struct lang *lang)
{
	buf_printf(out, tr(lang, "The CSV is larger than %d KB: split it "
	    "into several imports."), IMPORT_CSV_KB);
}

void
import_too_many(struct import_problems *pr, int line)
{
	import_problem_add(pr, line, tr(pr->lang, "an import has at most %d "
	    "rows."), IMPORT_ROWS);
}
