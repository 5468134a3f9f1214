/*
 * buf: a growing byte buffer with a hard cap given at creation.
 * Every response body, every read request body and every export line
 * goes through one; nothing may grow past its cap.
 */
#ifndef KEYFIELD_BUF_H
#define KEYFIELD_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char	*data;		/* always NUL-terminated when non-NULL */
	size_t	 len;		/* bytes used, not counting the NUL */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* hard cap on len */
	bool	 full;		/* a write was refused for the cap */
};

/* Start an empty buffer that will never hold more than max bytes. */
void	 buf_init(struct buf *, size_t max);
/* Release the memory; the buffer is empty again. Accepts NULL. */
void	 buf_free(struct buf *);
/* Forget the contents but keep the memory. */
void	 buf_reset(struct buf *);
/* Append; -1 (nothing appended, full set) over the cap or out of memory. */
int	 buf_put(struct buf *, const char *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_putc(struct buf *, char);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list);
/* The contents as a C string; "" for an empty buffer. */
const char *buf_str(const struct buf *);
/* Hand the contents over to the caller (free() it); the buffer is empty. */
char	*buf_take(struct buf *);

#endif
