/*
 * response: what the console (admin/page-card.c) and the CLI
 * (cli/expert.c) do to an expert's card: its audit object, withdrawing
 * it with its audit row and its card.withdrawn event.
 */
#ifndef KEYFIELD_RESPONSE_H
#define KEYFIELD_RESPONSE_H

#include <stdint.h>

#include "store/store.h"

/* Room for the audit object of a response, "response:" and any int64_t. */
#define RESPONSE_OBJECT_SIZE	sizeof("response:-9223372036854775808")

/* The audit log's object for response id: "response:ID". */
void	 response_object(char out[RESPONSE_OBJECT_SIZE], int64_t id);

/*
 * Withdraw the submitted response id, audited as actor, with its
 * card.withdrawn event (links to base_url), in one write transaction:
 * 0; 1 when it is not submitted (a draft, or withdrawn already); -1.
 */
int	 response_withdraw(struct store *, int64_t id, const char *actor,
	    const char *base_url);

#endif
