/*
 * store/rounds: the SQL of a campaign's Delphi rounds (sql/013-rounds.sql).
 */
#ifndef KEYFIELD_STORE_ROUNDS_H
#define KEYFIELD_STORE_ROUNDS_H

#include <stdint.h>

#include "store/store.h"

/* The campaign's round now (1 before any was started): 0 or -1. */
int	 store_round_now(struct store *, int64_t campaign_id, int *round);
/*
 * Start round number (inside store_write): the row, and every card of
 * the campaign that is not withdrawn moves to it: a submitted one becomes
 * a draft again (its working copy is its answers as submitted: the round
 * before keeps its versions), each one's revision goes up so an editor
 * open on it is stale. *moved is how many were submitted. 0, 1 when the
 * round exists, -1.
 */
int	 store_round_add(struct store *, int64_t campaign_id, int number,
	    const char *actor, int64_t *moved);

struct store_round {
	int	 number;
	char	 started_at[32];	/* "" for round 1 */
	char	 started_by[64];
	int	 submitted;	/* cards with a version in the round */
};

/*
 * The last version of response_id submitted in round: 0 and *version
 * (0 when it has none in that round), or -1.
 */
int	 store_round_version(struct store *, int64_t response_id, int round,
	    int *version);

/* Every round of the campaign, 1 first. 0, cb's value, or -1. */
int	 store_rounds(struct store *, int64_t campaign_id,
	    int (*cb)(void *, const struct store_round *), void *ctx);

#endif
