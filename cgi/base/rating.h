/*
 * rating: what a rating is (a whole number on a scale's min..max), a
 * card's total, and the statistics of many ratings (n, min, max, median
 * and quartiles by one fixed method). Every reader and the form's check
 * use it, so a value the form took is counted the same way everywhere.
 */
#ifndef KEYFIELD_RATING_H
#define KEYFIELD_RATING_H

#include <stdbool.h>
#include <stddef.h>

struct form_question;
struct form_row;
struct form_answers;

#define RATING_RULE_SZ	80	/* bytes of rating_rule's message */
#define RATING_NUMSZ	32	/* bytes of rating_quarters' text */

/*
 * Is s a rating on the scale min..max? Optional surrounding ASCII white
 * space (the form has always taken " 7 " and stores it as typed), then
 * an optional '-' and ASCII digits only: no '+', no point, no exponent,
 * no hex, no other script's digits; a value past the bounds or past a
 * long is not one. true and *out, or false (*out untouched).
 */
bool	 rating_parse(const char *s, long min, long max, long *out);
/*
 * The message for a value rating_parse refuses, built from the bounds:
 * "Enter a whole number from MIN to MAX." into msg (sz bytes, at least
 * RATING_RULE_SZ for any two longs). Returns msg.
 */
const char *rating_rule(char *msg, size_t sz, long min, long max);
/* rating_rule in language l (NULL: English). */
struct lang;
const char *rating_rule_in(const struct lang *, char *msg, size_t sz,
	    long min, long max);
/*
 * A card's total: the sum of the ratings (rating_parse on col's scale)
 * in the scale column col of grid, over the grid's rows (the cities for
 * a grid whose rows are the cities). *counted is how many parsed.
 */
long	 rating_total(const struct form_question *grid,
	    const struct form_question *col, const struct form_row *cities,
	    size_t ncities, const struct form_answers *, size_t *counted);

/*
 * Statistics of n ratings. The quartiles are Hyndman and Fan's type 7
 * (linear interpolation between order statistics: R's default, Python's
 * statistics.quantiles(data, n=4, method="inclusive")); the median is
 * its second quartile, the mean of the two middle values for even n.
 * With integer ratings each is a whole number of quarters, so they are
 * kept four times over (x4), exact; rating_quarters writes them.
 */
struct rating_stats {
	size_t	 n;
	long	 min, max;
	long	 q1x4, medianx4, q3x4;
	long	 iqrx4;			/* q3 - q1 */
};

/*
 * The statistics of v[0..n) (sorted in place; each value within a
 * scale's bounds, so sums cannot overflow). true and *out, or false
 * (*out untouched) when n is 0: no ratings have no median.
 */
bool	 rating_stats(long *v, size_t n, struct rating_stats *out);
/*
 * A value given four times over as decimal text: 28 -> "7", 26 -> "6.5",
 * 25 -> "6.25", -2 -> "-0.5". 0, or -1 when out (sz bytes) is too short
 * (RATING_NUMSZ always does).
 */
int	 rating_quarters(char *out, size_t sz, long x4);

#endif
