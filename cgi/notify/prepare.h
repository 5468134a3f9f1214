/*
 * prepare: keyfield-notify's preparer, a thread with a database
 * connection of its own that reads and signs the next attempts of each
 * partner while the loop sends the ones before, so that the loop only
 * hands prepared requests to curl. The loop owns every struct prep; it
 * submits one, the preparer fills it in and gives it back, in order.
 */
#ifndef KEYFIELD_PREPARE_H
#define KEYFIELD_PREPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/webhook.h"

#define PREPARE_WHO_MAX	160	/* bytes of "\"partner\" (campaign)" */

enum prep_state {
	PREP_QUEUED,		/* submitted, not prepared yet */
	PREP_READY,		/* read and signed: may be sent */
	PREP_GONE,		/* no longer pending, or the partner is not
				 * active: nothing to send */
	PREP_UNSIGNED,		/* the secret or the event id is broken */
	PREP_FAILED,		/* the database could not be read (logged) */
	PREP__MAX
};

/* One attempt, read and signed ahead of its start. */
struct prep {
	int64_t		 delivery_id;	/* set by the loop */
	int64_t		 partner_id;	/* set by the loop */
	enum prep_state	 state;
	int		 attempt;	/* the number of this attempt, from 1 */
	int64_t		 signed_ms;	/* when read and signed: the
					 * webhook-timestamp (in seconds) */
	bool		 allow_private;
	char		*url;
	char		*body;		/* the payload, NUL-terminated */
	size_t		 len;
	char		 event_id[WEBHOOK_ID_MAX];
	char		 who[PREPARE_WHO_MAX];
	char		 sig[WEBHOOK_SIGS_MAX];	/* webhook-signature */
	struct prep	*next;		/* the preparer's lists */
};

struct preparer;

/*
 * Open db and start the thread. wake(arg) is called from the thread when
 * a prep is done while the loop sleeps (prepare_sleep). NULL on failure
 * (logged).
 */
struct preparer	*prepare_open(const char *db, void (*wake)(void *),
		    void *arg);
/* Stop the thread and close its connection. The preps it still holds
 * stay the caller's to clear (the caller owns every prep). Accepts NULL. */
void		 prepare_close(struct preparer *);
/* Queue p (delivery_id and partner_id set) to be read and signed. */
void		 prepare_submit(struct preparer *, struct prep *p);
/* The next prep done, in the order submitted; NULL when none is. */
struct prep	*prepare_done(struct preparer *);
/*
 * Before the loop sleeps: true when nothing is done, and wake will be
 * called as soon as something is; false when something is done already
 * (do not sleep). prepare_awake after the sleep.
 */
bool		 prepare_sleep(struct preparer *);
void		 prepare_awake(struct preparer *);
/* Release what a prep owns (its url and body; its signature is wiped);
 * p stays usable. */
void		 prepare_clear(struct prep *p);

#endif
