/*
 * buf: capped growing buffers.
 * Never grows past the cap given to buf_init, never leaves data unterminated.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->full = b->capped = false;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->full = b->capped = false;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
reserve(struct buf *b, size_t more)
{
	size_t	 need, ncap;
	char	*p;

	if (b->full)
		return -1;
	if (more > b->max - b->len) {
		b->full = b->capped = true;
		return -1;
	}
	need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	if ((p = realloc(b->data, ncap)) == NULL) {
		b->full = true;
		return -1;
	}
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
buf_put(struct buf *b, const char *s, size_t n)
{
	if (reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_put(b, s, strlen(s));
}

int
buf_putc(struct buf *b, char c)
{
	return buf_put(b, &c, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 cp;
	int	 n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		b->full = true;
	if (n < 0 || reserve(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
buf_vfmt(char *out, size_t outsz, const char *fmt, va_list ap)
{
	int	 n;

	assert(outsz > 0);
	n = vsnprintf(out, outsz, fmt, ap);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

int
buf_fmt(char *out, size_t outsz, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = buf_vfmt(out, outsz, fmt, ap);
	va_end(ap);
	return rc;
}

void
buf_mark_cut(char *out, size_t outsz)
{
	size_t	 n;

	assert(outsz >= 4);
	if ((n = strlen(out)) > outsz - 4)
		n = outsz - 4;
	while (n > 0 && ((unsigned char)out[n] & 0xc0) == 0x80)
		n--;
	memcpy(out + n, "...", 4);
}

bool
buf_failed(const struct buf *b)
{
	return b->full;
}

bool
buf_capped(const struct buf *b)
{
	return b->capped;
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *
buf_take(struct buf *b)
{
	char	*p;

	p = b->data != NULL ? b->data : strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	b->full = false;
	return p;
}
