/*
 * round: a campaign's Delphi rounds. Starting the next one closes the
 * round now for good (its versions stay as they were, so its statistics
 * are frozen) and gives every card that is not withdrawn to the new one,
 * a submitted card as a draft holding its answers: the expert reconsiders
 * them beside the panel's statistics of the round before. The console
 * and `keyfield round start` start rounds through here.
 */
#ifndef KEYFIELD_ROUND_H
#define KEYFIELD_ROUND_H

#include <stdint.h>

#include "store/store.h"

#define ROUND_MAX	20	/* rounds of one campaign */

struct round_started {
	int	 number;	/* the new round */
	int64_t	 cards;		/* submitted cards given to it */
};

/*
 * Start the next round of campaign slug, with an audit row by actor, in
 * one write transaction: 0 and *out; 1 with *problem, a sentence for the
 * person (no such campaign, closed, nothing submitted in the round now,
 * ROUND_MAX reached); -1 on failure of the store.
 */
int	 round_start(struct store *, const char *slug, const char *actor,
	    struct round_started *out, const char **problem);

#endif
