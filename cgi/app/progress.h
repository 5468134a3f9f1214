/*
 * progress: how far a campaign's cards are, per key field and per expert,
 * counted one way for the console's dashboard and "keyfield progress".
 * Counts each card's state now: assigned, draft, submitted.
 */
#ifndef KEYFIELD_PROGRESS_H
#define KEYFIELD_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "store/experts.h"

struct progress {
	int	 assigned, draft, submitted;
};

/*
 * The cards among as[0..n) of the key field field_id (0: any) and the
 * expert expert_id (0: any), counted into *out.
 */
void	 progress_count(const struct store_assignment_row *as, size_t n,
	    int64_t field_id, int64_t expert_id, struct progress *out);

#endif
