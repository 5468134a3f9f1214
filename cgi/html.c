/*
 * html: escaping writers for response bodies.
 * Never appends a caller's string unescaped.
 */
#include <stdarg.h>
#include <string.h>

#include "html.h"

int
html_textn(struct buf *b, const char *s, size_t n)
{
	size_t	 i, run = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':  rep = "&amp;"; break;
		case '<':  rep = "&lt;"; break;
		case '>':  rep = "&gt;"; break;
		case '"':  rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:   continue;
		}
		if (buf_put(b, s + run, i - run) == -1 || buf_puts(b, rep) == -1)
			return -1;
		run = i + 1;
	}
	return buf_put(b, s + run, n - run);
}

int
html_text(struct buf *b, const char *s)
{
	return html_textn(b, s, strlen(s));
}

int
html_int(struct buf *b, long long v)
{
	return buf_printf(b, "%lld", v);
}

int
html_fmt_(struct buf *b, const char *fmt, ...)
{
	va_list		 ap;
	const char	*p, *run = fmt;
	int		 rc = 0;

	va_start(ap, fmt);
	for (p = fmt; *p != '\0' && rc == 0; p++) {
		if (p[0] != '%' || (p[1] != 's' && p[1] != 'd'))
			continue;
		rc = buf_put(b, run, (size_t)(p - run));
		if (rc == 0)
			rc = p[1] == 's' ? html_text(b, va_arg(ap, const char *)) :
			    html_int(b, va_arg(ap, int));
		p++;
		run = p + 1;
	}
	if (rc == 0)
		rc = buf_puts(b, run);
	va_end(ap);
	return rc;
}
