/*
 * card: reading, checking and saving the answers of a key-field card, for
 * the survey's card page and the CLI. Never saves answers that failed
 * their checks (the callers save only after CARD_OK), never saves
 * without the audit row, and never submits without the event.
 */
#include "app/card.h"
#include "app/delphi.h"

int
card_collect(struct store *s, const struct store_card *c,
    const struct form *f, const char *(*get)(void *, const char *),
    void *getctx, bool submit, struct form_answers *a,
    struct form_issues *is)
{
	if (form_collect(f, c->cities, c->ncities, get, getctx, submit, a,
	    is) == -1 || delphi_collect(s, c, f, get, getctx, submit, a,
	    is) == -1)
		return -1;
	if (!c->campaign_open)
		return CARD_CLOSED;
	return is->n > 0 ? CARD_INVALID : CARD_OK;
}

int
card_save_then(struct store *s, const struct store_card *c,
    int64_t expected, const struct form_answers *a, bool submit,
    const char *actor, struct outbox_forms *of, struct store_saved *out,
    store_then_fn *then, void *thenctx)
{
	return store_card_save_then(s, c, expected, a, submit, actor,
	    outbox_card_payload, of, out, then, thenctx);
}
