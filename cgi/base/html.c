/*
 * html: escaping writers for response bodies.
 * Never appends a caller's string unescaped.
 */
#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "base/html.h"

/* The entity for each byte that needs one: the five metacharacters. */
static const char *const entity[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
	['\''] = "&#39;",
};

int
html_textn(struct buf *b, const char *s, size_t n)
{
	size_t	 i, run = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		if ((rep = entity[(unsigned char)s[i]]) == NULL)
			continue;
		if (buf_put(b, s + run, i - run) == -1 ||
		    buf_puts(b, rep) == -1)
			return -1;
		run = i + 1;
	}
	return buf_put(b, s + run, n - run);
}

int
html_text(struct buf *b, const char *s)
{
	size_t	 k;

	/* strcspn passes over plain text many bytes at a time. */
	while (s[k = strcspn(s, "&<>\"'")] != '\0') {
		if (buf_put(b, s, k) == -1 ||
		    buf_puts(b, entity[(unsigned char)s[k]]) == -1)
			return -1;
		s += k + 1;
	}
	return buf_put(b, s, k);
}

int
html_int(struct buf *b, long long v)
{
	char			 d[24], *p = d + sizeof(d);
	unsigned long long	 u;

	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	return buf_put(b, p, (size_t)(d + sizeof(d) - p));
}

/* Write the conversion at p (its '%' first); its length, or 0 if unknown. */
static size_t
convert(struct buf *b, const char *p, va_list *ap, int *rc)
{
	static const size_t	 n64 = sizeof(PRId64) - 1;

	if (p[1] == 's') {
		*rc = html_text(b, va_arg(*ap, const char *));
		return 2;
	}
	if (p[1] == 'd') {
		*rc = html_int(b, va_arg(*ap, int));
		return 2;
	}
	if (strncmp(p + 1, PRId64, n64) == 0) {
		*rc = html_int(b, va_arg(*ap, int64_t));
		return 1 + n64;
	}
	return 0;
}

int
html_fmt_(struct buf *b, const char *fmt, ...)
{
	va_list		 ap;
	const char	*p, *run = fmt;
	size_t		 n;
	int		 rc = 0;

	va_start(ap, fmt);
	for (p = strchr(fmt, '%'); p != NULL && rc == 0; p = strchr(p, '%')) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		rc = buf_put(b, run, (size_t)(p - run));
		n = rc == 0 ? convert(b, p, &ap, &rc) : 2;
		assert(n > 0);
		p += n;
		run = p;
	}
	if (rc == 0)
		rc = buf_puts(b, run);
	va_end(ap);
	return rc;
}
