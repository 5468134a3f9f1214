/*
 * progress: counting cards by state. Never counts a withdrawn card as
 * submitted or as a draft.
 */
#include "app/progress.h"

void
progress_count(const struct store_assignment_row *as, size_t n,
    int64_t field_id, int64_t expert_id, struct progress *out)
{
	*out = (struct progress){ 0, 0, 0 };
	for (size_t i = 0; i < n; i++) {
		if ((field_id != 0 && as[i].field_id != field_id) ||
		    (expert_id != 0 && as[i].expert_id != expert_id))
			continue;
		out->assigned++;
		if (as[i].status == STORE_DRAFT)
			out->draft++;
		else if (as[i].status == STORE_SUBMITTED)
			out->submitted++;
	}
}
