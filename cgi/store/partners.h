/*
 * store/partners: partners, their deliveries and the delivery log
 * (sql/002-partners.sql). Deliveries are created by a trigger when an
 * event is inserted; everything here runs on a struct store from
 * store_open. Functions marked "write" must be called inside store_write;
 * the others are single reads. Times named *_ms are unix milliseconds.
 */
#ifndef KEYFIELD_STORE_NOTIFY_H
#define KEYFIELD_STORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/limit.h"
#include "store/store.h"

#define STORE_PARTNER_NAME_MAX	100	/* bytes of a partner name */
#define STORE_PARTNER_NAME_RULE	\
	"1 to " LIMIT_STR(STORE_PARTNER_NAME_MAX) " bytes of text"
#define STORE_ATTEMPTS_SHOWN	50	/* attempts in one log listing */
#define STORE_TEST_EVENT	"partner.test"	/* not fanned out */
/* The disabled_reason of a partner disabled on purpose (CLI, console);
 * any other reason is keyfield-notify's (410, 5 days of failures). */
#define STORE_PARTNER_DISABLED_BY_HAND	"disabled by a coordinator"

struct store_partner {
	int64_t	 id;
	int64_t	 campaign_id;
	char	*name;
	char	*url;
	char	*secret;		/* sealed (store/secrets.h) */
	char	*previous_secret;	/* NULL unless it still signs */
	int64_t	 previous_until;	/* ms, 0 when there is none */
	bool	 allow_private;
	bool	 active;
	char	*disabled_reason;	/* "" while active */
	char	*detail;		/* "summary" or "full" */
	int64_t	 failing_since;		/* ms; 0: not failing */
	char	*created_at;
	int64_t	 npending, ndelivered, nfailed;	/* deliveries */
};

/* Write. Add a partner: 0, 1 when the name exists in the campaign, -1. */
int	 store_partner_add(struct store *, int64_t campaign_id,
	    const char *name, const char *url, const char *secret,
	    bool allow_private, bool full, int64_t *id);
/* The partner called name in a campaign (now_ms decides whether the
 * previous secret still signs): 0, 1 when there is none, -1. */
int	 store_partner_get(struct store *, int64_t campaign_id,
	    const char *name, int64_t now_ms, struct store_partner *);
/* Every partner of a campaign by name; *n entries. 0 or -1. */
int	 store_partners(struct store *, int64_t campaign_id, int64_t now_ms,
	    struct store_partner **, size_t *n);
/* Release what a partner owns (secrets are wiped). Accepts NULL. */
void	 store_partner_free(struct store_partner *);
void	 store_partners_free(struct store_partner *, size_t n);
/* Write. Disable with a reason shown to coordinators. 0 or -1. */
int	 store_partner_disable(struct store *, int64_t partner_id,
	    const char *reason);
/* Write. Enable again; its pending deliveries become due now. 0 or -1. */
int	 store_partner_enable(struct store *, int64_t partner_id,
	    int64_t now_ms);
/* Write. secret becomes the secret; the old one signs until until_ms.
 * Secrets are sealed with the process's key (store/secrets.h): without
 * one, add and rotate fail (-1, logged). */
int	 store_partner_rotate(struct store *, int64_t partner_id,
	    const char *secret, int64_t until_ms);

/*
 * Write. Send event_id (the "msg_..." id) to the partner again, from a
 * fresh retry schedule, also when the partner was added after it: 0, 1
 * when the campaign of the partner has no such event, -1.
 */
int	 store_redeliver(struct store *, int64_t partner_id,
	    const char *event_id, int64_t now_ms);
/* Write. Every failed delivery created since (ISO 8601) again; *n. */
int	 store_redeliver_failed(struct store *, int64_t partner_id,
	    const char *since, int64_t now_ms, int64_t *n);
/*
 * Write. A test event (type STORE_TEST_EVENT) for this partner only,
 * with payload (used at both detail levels). 0 or -1.
 */
int	 store_partner_test(struct store *, int64_t partner_id,
	    const char *event_id, const char *payload, int64_t now_ms);

struct store_attempt {
	char	*at;		/* ISO 8601 */
	char	*event_id;
	char	*type;
	int	 status;	/* HTTP status, 0: no response */
	char	*error;		/* "" after a response */
	int64_t	 latency_ms;
	char	*body;		/* first 1 KB of the response */
};

/* The last max attempts to a partner, newest first. 0 or -1. */
int	 store_attempts(struct store *, int64_t partner_id, size_t max,
	    struct store_attempt **, size_t *n);
void	 store_attempts_free(struct store_attempt *, size_t n);

/* ---- the outbox ---- */

/*
 * Write (inside store_write): an events row of type for campaign_id
 * (response_id 0: none) with its id from store_event_id_new, the time at
 * (ISO 8601, as in the payload) and the payloads of the two detail
 * levels. The trigger of sql/002 fans it out to the campaign's partners.
 * 0 or -1.
 */
int		 store_event_add(struct store *, const char *event_id,
		    const char *type, int64_t campaign_id, int64_t response_id,
		    const char *at, const char *payload,
		    const char *payload_full);

/* ---- for keyfield-notify ---- */

/*
 * Active partners with a pending delivery due at now_ms, the one whose
 * earliest due delivery waits longest first; at most max ids into out,
 * *n of them. 0 or -1.
 */
int	 store_due_partners(struct store *, int64_t now_ms, size_t max,
	    int64_t *out, size_t *n);
/*
 * The pending deliveries of partner_id due at now_ms, earliest next_at
 * first (then by id); at most max ids into out, *n of them. Reads only
 * that partner's part of an index, however long the other queues are.
 * 0 or -1.
 */
int	 store_due(struct store *, int64_t partner_id, int64_t now_ms,
	    size_t max, int64_t *out, size_t *n);

/* What one attempt needs. */
struct store_send {
	int64_t	 delivery_id;
	int64_t	 partner_id;
	int	 attempts;		/* made so far */
	char	*event_id;		/* the webhook-id */
	char	*type;
	char	*payload;		/* at the partner's detail level */
	char	*url;
	char	*secret;		/* opened: clear, to sign with */
	char	*previous_secret;	/* NULL unless it still signs */
	bool	 allow_private;
	char	*partner_name;
	char	*campaign_slug;
};

/*
 * The delivery if it is still pending for an active partner: 0, 1 when
 * it is not, -1.
 */
int	 store_send_get(struct store *, int64_t delivery_id, int64_t now_ms,
	    struct store_send *);
/* Release what it owns (secrets are wiped). Accepts NULL. */
void	 store_send_free(struct store_send *);

/* The outcome of one attempt. */
struct store_outcome {
	int64_t		 delivery_id;
	int64_t		 partner_id;
	int		 attempt;	/* its number, from 1 (see below) */
	const char	*at;		/* ISO 8601 start of the attempt */
	int		 status;	/* HTTP status, 0: no response */
	const char	*error;		/* "" or NULL after a response */
	int64_t		 latency_ms;
	const char	*body;		/* its start, valid UTF-8; or NULL */
	bool		 delivered;	/* a 2xx: the delivery is done */
	int64_t		 next_at_ms;	/* otherwise due again; -1: failed */
	int64_t		 now_ms;
};

/*
 * Write. Log the attempt in the delivery log and apply its outcome: a
 * 2xx marks the delivery delivered and ends the partner's failing streak;
 * a failure makes it due again at next_at_ms (or failed for good) and
 * writes to *since_ms when the partner has been failing since (its first
 * failure after a success; 0 after a 2xx). Many outcomes may share one
 * store_write: until it commits, every one of them is still pending (and
 * is sent again, with the same webhook-id, if the daemon dies). The
 * outcome changes the delivery only while it still has attempt - 1
 * attempts: when it was redelivered (or its count otherwise changed)
 * since the attempt was read, the attempt is logged (and counts for or
 * against the partner) but the delivery keeps its new schedule: 1. 0 when
 * the outcome was applied, -1 on failure.
 */
int	 store_outcome_add(struct store *, const struct store_outcome *,
	    int64_t *since_ms);

#endif
