/*
 * rating: parse a rating, total a card's ratings, summarise many ratings.
 * Pure code: never allocates, logs, or reads anything but its arguments.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/form.h"
#include "base/i18n.h"
#include "base/rating.h"

/* Taken around a rating, as form.c takes it around any answer. */
#define SPACE	" \t\n\r\f\v"

bool
rating_parse(const char *s, long min, long max, long *out)
{
	const char	*p, *e;
	bool		 neg = false;
	long		 v = 0;

	p = s + strspn(s, SPACE);
	for (e = p + strlen(p); e > p && strchr(SPACE, e[-1]) != NULL; e--)
		continue;
	if (p < e && *p == '-') {
		neg = true;
		p++;
	}
	if (p == e)
		return false;
	for (; p < e; p++) {
		if (*p < '0' || *p > '9' || v > (LONG_MAX - (*p - '0')) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

const char *
rating_rule(char *msg, size_t sz, long min, long max)
{
	return rating_rule_in(NULL, msg, sz, min, max);
}

const char *
rating_rule_in(const struct lang *l, char *msg, size_t sz, long min,
    long max)
{
	/* 31 bytes and two longs of at most 20: RATING_RULE_SZ holds it. */
	assert(sz >= RATING_RULE_SZ);
	if (buf_fmt(msg, sz, tr(l, "Enter a whole number from %ld to %ld."),
	    min, max) != 0)
		buf_mark_cut(msg, sz);
	return msg;
}

long
rating_total(const struct form_question *grid,
    const struct form_question *col, const struct form_row *cities,
    size_t ncities, const struct form_answers *a, size_t *counted)
{
	size_t			 nrows;
	const struct form_row	*rows = form_grid_rows(grid, cities, ncities,
				    &nrows);
	char			 q[2 * FORM_KEY_MAX + 2];
	const char		*v;
	long			 sum = 0, n;
	int			 rc;

	*counted = 0;
	/* Two keys of at most FORM_KEY_MAX bytes (form.c checks), a dot. */
	rc = buf_fmt(q, sizeof(q), "%s.%s", grid->key, col->key);
	assert(rc == 0);
	for (size_t r = 0; r < nrows; r++) {
		if ((v = form_answer(a, q, rows[r].key, 0)) == NULL ||
		    !rating_parse(v, col->min, col->max, &n))
			continue;
		sum += n;
		(*counted)++;
	}
	return sum;
}

static int
cmp_long(const void *a, const void *b)
{
	long	 x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/*
 * Four times the k-th quartile (k = 1, 2, 3) of sorted v[0..n), n > 0,
 * type 7: h = (n - 1) k / 4, x[floor h] + frac(h) (x[floor h + 1] -
 * x[floor h]). In quarters h is whole, and so is the result.
 */
static long
quartile_x4(const long *v, size_t n, size_t k)
{
	size_t	 h4 = (n - 1) * k, j = h4 / 4, f = h4 % 4;

	if (f == 0)
		return 4 * v[j];
	return 4 * v[j] + (long)f * (v[j + 1] - v[j]);
}

bool
rating_stats(long *v, size_t n, struct rating_stats *out)
{
	struct rating_stats	 st;

	if (n == 0)
		return false;
	qsort(v, n, sizeof(*v), cmp_long);
	st.n = n;
	st.min = v[0];
	st.max = v[n - 1];
	st.q1x4 = quartile_x4(v, n, 1);
	st.medianx4 = quartile_x4(v, n, 2);
	st.q3x4 = quartile_x4(v, n, 3);
	st.iqrx4 = st.q3x4 - st.q1x4;
	*out = st;
	return true;
}

int
rating_quarters(char *out, size_t sz, long x4)
{
	static const char *const frac[] = { "", ".25", ".5", ".75" };
	unsigned long	 m = x4 < 0 ? 0UL - (unsigned long)x4 :
			    (unsigned long)x4;

	return buf_fmt(out, sz, "%s%lu%s", x4 < 0 ? "-" : "", m / 4,
	    frac[m % 4]);
}
