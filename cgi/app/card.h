/*
 * card: what Save draft and Submit do to an expert's key-field card,
 * whoever types the answers: the expert on the survey's card page
 * (survey/page-card.c), or a coordinator who transcribes a card sent on
 * paper or by e-mail (keyfield response submit, cli/response.c). Both
 * read the answers by the card's input names, check them the same way
 * and save them with the same versioning, round, audit row and event.
 */
#ifndef KEYFIELD_CARD_H
#define KEYFIELD_CARD_H

#include <stdbool.h>
#include <stdint.h>

#include "app/outbox.h"
#include "base/form.h"
#include "store/responses.h"
#include "store/store.h"

/* What card_collect found of answers about to be saved. */
enum card_check {
	CARD_OK = 0,		/* valid, and the campaign is open */
	CARD_INVALID = 1,	/* problems: the issues say which */
	CARD_CLOSED = 2,	/* the campaign is closed: nothing may change */
};

/*
 * Read every answer of card c (form f) through get(getctx, input name),
 * which returns the value typed for a name ("rating.rating.Fr") or NULL,
 * into a, and check them as the card does: bounds always, required
 * answers with submit (form_collect), then a later round's reasons
 * (delphi_collect). a receives every value as typed, is every problem
 * in the card's order. Returns CARD_OK, CARD_INVALID, CARD_CLOSED (the
 * answers are read and checked all the same), or -1 (logged).
 */
int	 card_collect(struct store *, const struct store_card *c,
	    const struct form *f, const char *(*get)(void *, const char *),
	    void *getctx, bool submit, struct form_answers *a,
	    struct form_issues *is);

/*
 * Save a (CARD_OK from card_collect) as the working copy of card c if
 * its revision is still expected, and with submit as a new version of
 * the campaign's round with its card.submitted or card.revised event
 * (payloads from of), audited as actor: store_card_save_then, whose
 * contract (then, out, what must live until then) applies.
 */
int	 card_save_then(struct store *, const struct store_card *c,
	    int64_t expected, const struct form_answers *a, bool submit,
	    const char *actor, struct outbox_forms *of,
	    struct store_saved *out, store_then_fn *then, void *thenctx);

#endif
