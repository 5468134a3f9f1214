/*
 * html: the only writer of markup. Text goes through html_text, which
 * escapes all five metacharacters; raw markup only through html_raw,
 * which accepts string literals and nothing else.
 */
#ifndef KEYFIELD_HTML_H
#define KEYFIELD_HTML_H

#include <inttypes.h>
#include <stddef.h>

#include "base/buf.h"

/* Append s with & < > " ' escaped (text and attribute values). 0 or -1. */
int	 html_text(struct buf *, const char *s);
int	 html_textn(struct buf *, const char *s, size_t n);
/* Append a decimal integer. */
int	 html_int(struct buf *, long long);
/* Append markup: a string literal only (a variable does not compile). */
#define html_raw(b, lit)	buf_put((b), "" lit "", sizeof(lit) - 1)
/*
 * Append a format with its %s arguments escaped: fmt is a string literal
 * in which "%s" takes one const char * argument, which is escaped, "%d"
 * an int and "%" PRId64 an int64_t. The compiler checks the arguments
 * as printf's; any other conversion is a broken invariant, except "%%",
 * which is written as it is (two bytes). 0 or -1.
 */
#define html_fmt(b, lit, ...)	html_fmt_((b), "" lit "", __VA_ARGS__)
int	 html_fmt_(struct buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * html_fmt with a translated format: fmt is tr(lang, "literal") (a
 * catalogue's text, trusted as the literal is; tr's format_arg keeps the
 * compiler's check against the literal). Its arguments are escaped.
 */
#define html_trf(b, fmt, ...)	html_fmt_((b), (fmt), __VA_ARGS__)
/* A text tr(lang, "literal") as markup, as the literal would be. */
#define html_tr(b, text)	buf_puts((b), (text))

#endif
