/*
 * store/responses: the cards of experts and what they answered: the
 * working copy, each submitted version, saves (with their outbox event),
 * the values the dashboard rates, the audit log and withdrawals. Lists
 * are handed to a callback one row at a time; each row's strings live
 * until the callback returns.
 */
#ifndef KEYFIELD_STORE_RESPONSES_H
#define KEYFIELD_STORE_RESPONSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/form.h"
#include "store/store.h"

/* ---- cards ---- */

struct store_card {
	int64_t			 assignment_id;
	int64_t			 expert_id;
	int64_t			 campaign_id;
	int64_t			 response_id;	/* 0 when new */
	int64_t			 form_id;	/* response's or campaign's */
	char			*campaign_slug;
	char			*campaign_title;
	bool			 campaign_open;
	char			*field_code;
	char			*field_title;
	char			*expert_name;
	char			*expert_email;
	struct form_row		*cities;	/* key = code, label = name */
	size_t			 ncities;
	enum store_status	 status;
	int64_t			 revision;	/* 0 when new */
	int			 version;	/* last submission, 0 = none */
	char			*updated_at;
	int			 round;		/* the campaign's round now:
					   a submission's */
	struct form_answers	 answers;	/* the working copy */
};

/*
 * The card of assignment_id if it belongs to expert_id (any expert's for
 * expert_id 0: only to draw a card's controls for a visitor who is not
 * signed in, never to show its answers or whose it is), with the
 * working copy of its answers: 0, 1 (no such card for this expert), -1.
 */
int		 store_card_get(struct store *, int64_t expert_id,
		    int64_t assignment_id, struct store_card *);
void		 store_card_free(struct store_card *);
/* The answers of submission version of a response. 0 or -1. */
int		 store_answers_get(struct store *, int64_t response_id,
		    int version, struct form_answers *);

/*
 * Builds the outbox payloads of a submission from the card's identity
 * and the answers being submitted: type is "card.submitted" or
 * "card.revised", version the new version. Writes two malloc'ed JSON
 * texts: *summary for the partners' "summary" detail level, *full for
 * "full" (whole texts, expert name and e-mail). 0 or -1 (nothing
 * written).
 */
typedef int	 store_payload_fn(void *ctx, const struct store_card *,
		    const struct form_answers *, const char *type,
		    const char *event_id, int version, const char *at,
		    char **summary, char **full);

enum store_save {
	STORE_SAVED = 0,	/* stored */
	STORE_STALE = 1,	/* expected_revision is not the current one */
	STORE_CLOSED = 2,	/* the campaign is closed */
	STORE_GONE = 3,		/* the card no longer exists for the expert */
};

/*
 * Save answers as the working copy of card (ids from store_card_get),
 * if its revision is still expected_revision (0 for a new card). With
 * submit, also store them as a new version, set the status to submitted,
 * and write an event (payload from fn) in the same transaction. Every
 * change is audited with actor. On STORE_SAVED *revision is the new
 * revision and *version the version (submit) or the last one.
 * Returns an enum store_save or -1.
 */
int		 store_card_save(struct store *, const struct store_card *card,
		    int64_t expected_revision, const struct form_answers *,
		    bool submit, const char *actor, store_payload_fn *fn,
		    void *fnctx, int64_t *revision, int *version);
/* What a save stored: the card's new revision, version and time. */
struct store_saved {
	int64_t		 revision;
	int		 version;	/* the submission's, or the last one */
	char		 at[32];	/* updated_at, ISO 8601 UTC */
};

/*
 * The same as a write that can wait for the batch (store_write_then):
 * then(thenctx, result) gets what store_card_save returns, and on
 * STORE_SAVED *out (when not NULL) is written before then() is called.
 * card, the answers, fnctx and out must live until then. Returns 1 when
 * the save waits for store_batch_commit, else 0 (then() was called).
 */
int		 store_card_save_then(struct store *,
		    const struct store_card *card, int64_t expected_revision,
		    const struct form_answers *, bool submit, const char *actor,
		    store_payload_fn *fn, void *fnctx, struct store_saved *out,
		    store_then_fn *then, void *thenctx);

/* ---- what the console reads and changes ---- */

struct store_value_row {
	int64_t		 field_id;
	int64_t		 expert_id;
	int64_t		 response_id;
	const char	*expert_name;
	const char	*row;		/* "" outside grids */
	unsigned	 item;
	const char	*value;
};

/*
 * Every value of question in the latest version submitted in round of
 * each response of the campaign (withdrawn responses and those with no
 * version in that round are left out), by field, expert name, expert id
 * and row. 0, cb's value, or -1.
 */
int	 store_values(struct store *, int64_t campaign_id, int round,
	    const char *question,
	    int (*cb)(void *, const struct store_value_row *), void *ctx);
/*
 * The same for the cards of key field field_id, by expert name, expert
 * id, row and item: what the final card's editor shows beside each part.
 */
int	 store_field_values(struct store *, int64_t field_id, int round,
	    const char *question,
	    int (*cb)(void *, const struct store_value_row *), void *ctx);
/* store_values' rows in no particular order (cheaper: no sort). */
int	 store_values_any(struct store *, int64_t campaign_id, int round,
	    const char *question,
	    int (*cb)(void *, const struct store_value_row *), void *ctx);
/*
 * What values are read at: the store handle (the n-th opened in this
 * process) and the counter of changes to what the values above are made
 * of (migration 020: versions, their answers, responses' status,
 * assignments, key fields, cities) in every campaign. Equal stamps, equal
 * values.
 */
struct store_data_stamp {
	uint64_t	 handle;
	int64_t		 gen;
};
/* The stamp now (inside a read for the values' snapshot): 0 or -1. */
int	 store_data_stamp(struct store *, struct store_data_stamp *);

struct store_response {
	int64_t			 id;
	int64_t			 assignment_id;
	int64_t			 expert_id;
	int64_t			 campaign_id;
	int64_t			 form_id;
	char			 campaign_slug[STORE_CODE_MAX];
	char			 campaign_title[STORE_NAME_MAX];
	bool			 campaign_open;
	char			 field_code[STORE_CODE_MAX];
	char			 field_title[STORE_NAME_MAX];
	char			 expert_name[STORE_NAME_MAX];
	char			 expert_email[STORE_EMAIL_MAX];
	enum store_status	 status;
	int			 version;	/* last submission */
	int64_t			 revision;
	char			 updated_at[32];
	int			 round;		/* of its working copy */
};

/* One response: 0, 1 when none, -1. */
int	 store_response_get(struct store *, int64_t response_id,
	    struct store_response *out);

struct store_version_row {
	int		 version;
	int64_t		 form_id;
	const char	*submitted_at;
};

/* The versions of a response, oldest first. 0, cb's value, or -1. */
int	 store_versions(struct store *, int64_t response_id,
	    int (*cb)(void *, const struct store_version_row *), void *ctx);

struct store_audit_row {
	const char	*at, *actor, *action, *object, *detail;
};

/* The audit entries of object ("response:5"), oldest first. */
int	 store_audit_list(struct store *, const char *object,
	    int (*cb)(void *, const struct store_audit_row *), void *ctx);

/*
 * Withdraw a submitted response (inside store_write): status withdrawn,
 * revision + 1 so an open editor's save is stale. 0, 1 when it is not
 * submitted, -1.
 */
int	 store_response_withdraw(struct store *, int64_t response_id);

/* ---- the audit log ---- */

/* Append to the audit log (call inside store_write). 0 or -1. */
int		 store_audit(struct store *, const char *actor,
		    const char *action, const char *object, const char *detail);

#endif
