/*
 * response: withdrawing a card, for the console and the CLI.
 * Never withdraws without the audit row and the event, in one transaction.
 */
#include <assert.h>
#include <inttypes.h>

#include "app/outbox.h"
#include "app/response.h"
#include "base/buf.h"
#include "store/responses.h"

void
response_object(char out[RESPONSE_OBJECT_SIZE], int64_t id)
{
	int	 rc;

	/* RESPONSE_OBJECT_SIZE holds the longest id: nothing can be cut. */
	rc = buf_fmt(out, RESPONSE_OBJECT_SIZE, "response:%" PRId64, id);
	assert(rc == 0);
	(void)rc;
}

struct withdraw {
	int64_t		 id;
	const char	*actor;
	const char	*base_url;
};

/* Withdraw, audit, and the card.withdrawn event: one transaction. */
static int
withdraw_txn(struct store *s, void *arg)
{
	struct withdraw		*w = arg;
	struct store_response	 r;
	char			 object[RESPONSE_OBJECT_SIZE];
	int			 rc;

	if ((rc = store_response_withdraw(s, w->id)) != 0)
		return rc;
	if (store_response_get(s, w->id, &r) != 0 ||
	    outbox_withdrawn_add(s, &r, w->base_url) == -1)
		return -1;
	response_object(object, w->id);
	return store_audit(s, w->actor, "card.withdraw", object,
	    "withdrawn by a coordinator");
}

int
response_withdraw(struct store *s, int64_t id, const char *actor,
    const char *base_url)
{
	struct withdraw	 w = { id, actor, base_url };

	return store_write(s, withdraw_txn, &w);
}
