/*
 * buf: a growing byte buffer with a hard cap given at creation.
 * Every response body, every read request body and every export line
 * goes through one; nothing may grow past its cap.
 *
 * Errors are sticky, as in curl's dynbuf: the first write refused (over
 * the cap, or out of memory) sets full, and every later write does
 * nothing and returns -1 until buf_reset or buf_free. A page makes its
 * writes one after another and asks buf_failed once at the end.
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
	bool	 full;		/* a write was refused: later ones are too */
	bool	 capped;	/* ... and it was refused for the cap */
};

/* Start an empty buffer that will never hold more than max bytes. */
void	 buf_init(struct buf *, size_t max);
/* Release the memory; the buffer is empty again. Accepts NULL. */
void	 buf_free(struct buf *);
/* Forget the contents and a failure, but keep the memory. */
void	 buf_reset(struct buf *);
/*
 * Append; -1 (nothing appended, full set) over the cap or out of memory,
 * and -1 (nothing appended) for every write after such a failure.
 */
int	 buf_put(struct buf *, const char *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_putc(struct buf *, char);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list);
/*
 * True once a write has been refused (and until buf_reset): the contents
 * are a prefix of what was written, not all of it.
 */
bool	 buf_failed(const struct buf *);
/* True when the write refused was refused for the cap, not for memory. */
bool	 buf_capped(const struct buf *);
/*
 * Format into a fixed array of outsz bytes, as snprintf does, but say when
 * it did not fit: 0, or -1 when the text was cut (out then holds what fit,
 * NUL-terminated) or could not be formatted. Every format into a fixed
 * array goes through here, or into a struct buf: truncation is never
 * silent.
 */
int	 buf_fmt(char *out, size_t outsz, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* buf_fmt with a va_list, for functions that take a format of their own. */
int	 buf_vfmt(char *out, size_t outsz, const char *, va_list)
	    __attribute__((format(printf, 3, 0)));
/*
 * For a message that buf_fmt cut (outsz >= 4): end what fit with "..." on
 * a whole UTF-8 character, so that whoever reads it sees it was cut.
 */
void	 buf_mark_cut(char *out, size_t outsz);
/* The contents as a C string; "" for an empty buffer. */
const char *buf_str(const struct buf *);
/* Hand the contents over to the caller (free() it); the buffer is empty. */
char	*buf_take(struct buf *);

#endif
