/*
 * deliver: webhook POSTs with the libcurl multi interface, many at once,
 * each on its own timeouts, with the SSRF guard on every address a
 * connection is opened to. Knows nothing of the database: keyfield-notify
 * starts transfers and collects their results.
 */
#ifndef KEYFIELD_DELIVER_H
#define KEYFIELD_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/webhook.h"

#define DELIVER_MAX			64	/* transfers at once */
#define DELIVER_PARTNER_MAX		2	/* to one partner */
#define DELIVER_CONNECT_TIMEOUT_MS	10000
#define DELIVER_TIMEOUT_MS		30000	/* whole attempt */
#define DELIVER_ERROR_MAX		256	/* bytes of an error text */

struct deliver;

/*
 * One attempt. deliver_start copies everything but body, which curl
 * sends from where it is: it must stay unchanged until deliver_result
 * has returned the attempt (or deliver_close).
 */
struct deliver_req {
	int64_t		 delivery_id;
	int64_t		 partner_id;
	const char	*url;
	bool		 allow_private;	/* http://, any address */
	const char	*webhook_id;
	int64_t		 timestamp;	/* unix seconds, as signed */
	const char	*signature;	/* the webhook-signature value */
	const char	*body;
	size_t		 len;
};

struct deliver_result {
	int64_t	 delivery_id;
	int64_t	 partner_id;
	int	 status;		/* HTTP status; 0: no response */
	bool	 refused;		/* by the SSRF guard */
	char	 error[DELIVER_ERROR_MAX];	/* "" with a status */
	int64_t	 latency_ms;
	char	 body[WEBHOOK_EXCERPT_MAX + 1];	/* valid UTF-8 */
	char	 retry_after[64];	/* the Retry-After value, or "" */
};

/*
 * curl_global_init and a multi handle; NULL on failure (logged). ca_file
 * names the PEM certificates HTTPS endpoints are checked against (conf's
 * ca_file); NULL or "" for the system's CA bundle. Peers and host names
 * are always verified.
 */
struct deliver	*deliver_open(const char *ca_file);
/* Abort whatever is running and release everything. Accepts NULL. */
void		 deliver_close(struct deliver *);
/*
 * Start an attempt: 0, 1 when DELIVER_MAX transfers or DELIVER_PARTNER_MAX
 * for the partner are running (or this delivery is), -1 on failure
 * (logged).
 */
int		 deliver_start(struct deliver *, const struct deliver_req *);
/* Transfers running; of one partner; is delivery_id one of them? */
size_t		 deliver_running(const struct deliver *);
size_t		 deliver_partner_running(const struct deliver *,
		    int64_t partner_id);
bool		 deliver_busy(const struct deliver *, int64_t delivery_id);
/*
 * Move the transfers on, waiting at most timeout_ms for network activity
 * (less when a curl timer is due). 0 or -1 (logged).
 */
int		 deliver_wait(struct deliver *, int timeout_ms);
/* A finished attempt: 1 and *out, 0 when none has finished. */
int		 deliver_result(struct deliver *, struct deliver_result *);
/*
 * Make a deliver_wait in progress (or the next one) return at once. The
 * only function another thread may call.
 */
void		 deliver_wakeup(struct deliver *);

#endif
