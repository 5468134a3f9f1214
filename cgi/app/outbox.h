/*
 * outbox: the JSON payloads of events (the snapshots partners receive)
 * and writing them, inside the transaction of the change they report.
 * Payloads are UTF-8 JSON under OUTBOX_PAYLOAD_MAX bytes, compact, keys
 * in the order they are built (jansson keeps it: the same change gives
 * the same bytes); every one has type, id, timestamp and campaign {slug,
 * title} at the top.
 */
#ifndef KEYFIELD_OUTBOX_H
#define KEYFIELD_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "store/responses.h"
#include "store/store.h"

struct page_form;		/* app/page.h */
struct store_campaign;		/* store/campaigns.h */
struct store_response;

#define OUTBOX_PAYLOAD_MAX	(64 * 1024)	/* bytes of one payload */

/* What a card's payloads are built from. */
struct outbox_forms {
	const struct page_form	*forms;		/* every version, by id */
	size_t			 nforms;
	const char		*base_url;	/* of the console URL */
};

/*
 * card.submitted / card.revised: a store_payload_fn whose ctx is a
 * const struct outbox_forms (the card's form is looked up there by id;
 * -1, logged, when it is not loaded). Both payloads come from one walk
 * of the card; a text of the summary is its first 280 code points.
 */
store_payload_fn outbox_card_payload;

/*
 * The card.withdrawn payload of r (read inside the withdrawing
 * transaction): key field, version, the console URL base_url/admin/r/ID
 * and, when full, the expert's name and e-mail. A malloc'ed string, or
 * NULL (logged).
 */
char	*outbox_withdrawn_payload(const struct store_response *r,
	    const char *base_url, const char *event_id, const char *at,
	    bool full);
/*
 * The campaign.closed payload of c: the campaign and its console URL
 * base_url/admin/c/SLUG. A malloc'ed string, or NULL (logged).
 */
char	*outbox_closed_payload(const struct store_campaign *c,
	    const char *base_url, const char *event_id, const char *at);
/*
 * The payload of a test event (STORE_TEST_EVENT) for one partner of
 * campaign slug. A malloc'ed string, or NULL (logged).
 */
char	*outbox_test_payload(const char *slug, const char *partner,
	    const char *event_id, const char *at);

/*
 * Write (inside store_write, in the transaction that withdrew r or closed
 * c): the card.withdrawn or campaign.closed event, both detail levels.
 * 0 or -1.
 */
int	 outbox_withdrawn_add(struct store *, const struct store_response *r,
	    const char *base_url);
int	 outbox_closed_add(struct store *, const struct store_campaign *c,
	    const char *base_url);

#endif
