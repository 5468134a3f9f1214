/*
 * round: starting a campaign's next Delphi round (see round.h).
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>

#include "app/round.h"
#include "base/buf.h"
#include "base/limit.h"
#include "store/campaigns.h"
#include "store/responses.h"
#include "store/rounds.h"

struct start {
	const char		*slug, *actor;
	struct round_started	*out;
	const char		*problem;
};

/* The problems, each a refusal (store_write's positive value). */
enum { NO_CAMPAIGN = 1, CLOSED, EMPTY, TOO_MANY };

static int
start_txn(struct store *s, void *arg)
{
	struct start		*st = arg;
	struct store_campaign	 c;
	char			 object[96], detail[64];
	int			 now, rc;

	if ((rc = store_campaign_get(s, st->slug, &c)) != 0)
		return rc == 1 ? NO_CAMPAIGN : -1;
	if (!c.open)
		return CLOSED;
	if (store_round_now(s, c.id, &now) == -1)
		return -1;
	if (now >= ROUND_MAX)
		return TOO_MANY;
	st->out->number = now + 1;
	if ((rc = store_round_add(s, c.id, now + 1, st->actor,
	    &st->out->cards)) != 0)
		return -1;	/* 1: the round exists, in our own lock */
	if (st->out->cards == 0)
		return EMPTY;	/* rolled back */
	rc = buf_fmt(object, sizeof(object), "campaign:%s", st->slug);
	assert(rc == 0);	/* a slug is at most 64 bytes */
	rc = buf_fmt(detail, sizeof(detail), "round %d, %" PRId64 " cards",
	    now + 1, st->out->cards);
	assert(rc == 0);
	return store_audit(s, st->actor, "round.start", object, detail);
}

int
round_start(struct store *s, const char *slug, const char *actor,
    struct round_started *out, const char **problem)
{
	struct start	 st = { slug, actor, out, NULL };

	switch (store_write(s, start_txn, &st)) {
	case 0:
		return 0;
	case NO_CAMPAIGN:
		*problem = "There is no such campaign.";
		return 1;
	case CLOSED:
		*problem = "The campaign is closed: open it again before "
		    "starting a round, so that experts can answer.";
		return 1;
	case EMPTY:
		*problem = "No card has been submitted in this round yet: "
		    "a new round starts from the panel's answers.";
		return 1;
	case TOO_MANY:
		*problem = "A campaign has at most " LIMIT_STR(ROUND_MAX)
		    " rounds.";
		return 1;
	default:
		return -1;
	}
}
