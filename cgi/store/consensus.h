/*
 * store/consensus: the SQL of a campaign's consensus rule (its numbers
 * only; what they mean is app/stats.h's).
 */
#ifndef KEYFIELD_STORE_CONSENSUS_H
#define KEYFIELD_STORE_CONSENSUS_H

#include <stdint.h>

#include "store/store.h"

struct store_consensus {
	int	 iqr_x4;	/* the IQR limit, four times over */
	int	 within_pct;	/* 0 (not asked), or 1..100 */
	int	 min_n;		/* ratings needed for a verdict */
};

/* The campaign's rule: 0 and *out, 1 when it has none (the default), -1. */
int	 store_consensus_get(struct store *, int64_t campaign_id,
	    struct store_consensus *out);
/* Set it (inside store_write, or a transaction of its own): 0 or -1. */
int	 store_consensus_set(struct store *, int64_t campaign_id,
	    const struct store_consensus *);

#endif
