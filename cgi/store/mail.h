/*
 * store/mail: the mail outbox (mails), its send log (mail_attempts), the
 * experts' mail sign-in tokens (mail_tokens) and the addresses no mail
 * goes to any more (mail_suppress). sql/011-mail.sql says what each
 * holds. Writes are called inside store_write unless said otherwise.
 */
#ifndef KEYFIELD_STORE_MAIL_H
#define KEYFIELD_STORE_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_MAIL_TOKEN_DAYS	60	/* a mail sign-in link's life */
#define STORE_VERP_LEN		25	/* "m" + base64url of 18 bytes */
#define STORE_VERP_MAX		40	/* ... with its NUL, and room */
#define STORE_MAIL_TEXT_MAX	512	/* bytes kept of a reply's text */
#define STORE_SUBJECT_MAX	512	/* bytes kept of a subject */

/* A new opaque id for a message's envelope sender: 24 base64url. */
void	 store_verp_new(char out[STORE_VERP_MAX]);

/*
 * For the sender's connection: deleted content (a sent message's bytes,
 * its live link) is overwritten with zeros (PRAGMA secure_delete). 0 or
 * -1 (logged).
 */
int	 store_mail_scrub(struct store *);
/*
 * Copy the WAL into the database and truncate it (PRAGMA
 * wal_checkpoint(TRUNCATE)), so that the earlier versions of pages that
 * held sent messages leave the WAL file too: 0; 1 when a reader kept it
 * from finishing (tried again later); -1 (logged).
 */
int	 store_mail_checkpoint(struct store *);

/* ---- the outbox ---- */

struct store_mail_new {
	int64_t		 campaign_id;	/* 0: none (a test message) */
	int64_t		 expert_id;	/* 0: none */
	const char	*kind;		/* "invitation", ... (sql/011) */
	const char	*rcpt;
	const char	*subject;	/* as the log shows it (UTF-8) */
	const char	*verp;		/* store_verp_new */
	const char	*message;	/* the RFC 5322 bytes */
	size_t		 len;
};

/* Queue a message, due now: 0 (and *id when not NULL), or -1. */
int	 store_mail_add(struct store *, const struct store_mail_new *,
	    int64_t *id);

struct store_mail {
	int64_t	 id;
	char	 rcpt[STORE_EMAIL_MAX];
	char	 verp[STORE_VERP_MAX];
	int	 attempts;		/* made so far */
	char	*message;		/* malloc'ed; store_mail_free */
	size_t	 len;
};

/*
 * The pending message due first at now_ms (ms since the epoch) with
 * id not in skip[nskip]: 0 and *out, 1 when none is due, -1 (logged).
 */
int	 store_mail_due(struct store *, int64_t now_ms, const int64_t *skip,
	    size_t nskip, struct store_mail *out);
void	 store_mail_free(struct store_mail *);

/* What an attempt came to. */
struct store_mail_outcome {
	int64_t		 mail_id;
	int		 attempt;	/* its number, from 1 */
	const char	*at;		/* ISO 8601 */
	int		 code;		/* SMTP reply code; 0: none */
	const char	*text;		/* the reply or the failure */
	bool		 sent;
	int64_t		 next_at_ms;	/* a retry; -1: failed for good */
	bool		 bounced;	/* mark the recipient bounced */
};

/*
 * Log an attempt and set the message sent, failed (both drop its
 * bytes) or due again: 0, 1 when that attempt was logged already (it is
 * not logged twice), -1.
 */
int	 store_mail_outcome(struct store *, const struct store_mail_outcome *);

/* ---- messages to compose (a trigger queued them: thank-you notes) ---- */

struct store_mail_compose {
	int64_t	 id;
	int64_t	 campaign_id, expert_id;
	char	 kind[16];
	char	 field_code[STORE_CODE_MAX];	/* the card submitted */
	char	 field_title[STORE_NAME_MAX];
	int	 version;
	char	 submitted_at[32];
};

/* The oldest message to compose: 0 and *out, 1 when none, -1. */
int	 store_mail_compose_next(struct store *, struct store_mail_compose *);
/*
 * Fill message id (to compose) with what mail_build made, due now; or,
 * with message NULL, fail it with text (logged as its attempt 1). Inside
 * store_write. 0, 1 when it is not to compose (any more), -1.
 */
int	 store_mail_compose_done(struct store *, int64_t id,
	    const struct store_mail_new *m, const char *text);

/* ---- a campaign's own texts ---- */

struct store_mail_template {
	char	*subject;	/* malloc'ed */
	char	*body;		/* malloc'ed */
};

/*
 * The campaign's text of kind into *out: 0, 1 when it has none (the
 * shipped one is used), -1. Free it with store_mail_template_free.
 */
int	 store_mail_template(struct store *, int64_t campaign_id,
	    const char *kind, struct store_mail_template *out);
void	 store_mail_template_free(struct store_mail_template *);
/*
 * Set (subject not NULL) or drop (NULL: back to the shipped text) the
 * campaign's text of kind, inside store_write: 0 or -1.
 */
int	 store_mail_template_set(struct store *, int64_t campaign_id,
	    const char *kind, const char *subject, const char *body);

/* What the mail of a campaign came to, for its dashboard. */
struct store_mail_summary {
	int	 reminded;	/* experts with a reminder sent */
	int	 reminders;	/* reminders sent */
	int	 opted_out, bounced;	/* addresses */
};

/* The summary of campaign_id into *out: 0 or -1. */
int	 store_mail_summary(struct store *, int64_t campaign_id,
	    struct store_mail_summary *out);

/* ---- the lost-link page ---- */

/*
 * Note a request under key (forgetting that key's requests older than
 * window_s seconds) and count those within the window, this one too,
 * into *n. Inside store_write. 0 or -1.
 */
int	 store_mail_request(struct store *, const char *key, int window_s,
	    int *n);
/*
 * The active experts with address email (any case) in open campaigns:
 * cb(ctx, campaign_id, expert_id) for each, 0, cb's value, or -1.
 */
int	 store_experts_by_email(struct store *, const char *email,
	    int (*cb)(void *, int64_t campaign_id, int64_t expert_id),
	    void *ctx);

/* ---- the send log ---- */

struct store_mail_row {
	int64_t	 id;
	char	 kind[16];
	char	 rcpt[STORE_EMAIL_MAX];
	char	 name[STORE_NAME_MAX];	/* the expert's; "" for none */
	char	 subject[STORE_SUBJECT_MAX];
	char	 status[16];		/* pending, sent, failed */
	int	 attempts;
	char	 created_at[32];
	char	 done_at[32];		/* "" while pending */
	int	 code;			/* of the last attempt; 0: none */
	char	 text[STORE_MAIL_TEXT_MAX];	/* of the last attempt */
};

/*
 * The messages of a campaign (0: the test messages), newest first, at
 * most max: 0, cb's value when not 0, or -1.
 */
int	 store_mails(struct store *, int64_t campaign_id, size_t max,
	    int (*cb)(void *, const struct store_mail_row *), void *ctx);

/* ---- mail sign-in tokens ---- */

/* Add the hash[32] of a new sign-in token of expert_id: 0 or -1. */
int	 store_mail_token_add(struct store *, int64_t expert_id,
	    const unsigned char *hash);
/* The active expert of an unexpired token hash[32]: 0, 1 (none), -1. */
int	 store_expert_by_mail_token(struct store *, const unsigned char *hash,
	    int64_t *expert_id);
/* End every sign-in token of expert_id: 0 or -1. */
int	 store_mail_tokens_end(struct store *, int64_t expert_id);

/* ---- suppression ---- */

/*
 * Stop mail to the recipient of the message whose envelope id is verp,
 * for its campaign, for reason ("bounced", "opted-out"): 0, 1 when
 * there is no such message (or it has no campaign), -1.
 */
int	 store_mail_suppress(struct store *, const char *verp,
	    const char *reason);
/*
 * The expert the message whose envelope id is verp went to, into
 * *expert_id: 0, 1 when there is no such message or it went to no
 * expert, -1.
 */
int	 store_mail_expert(struct store *, const char *verp,
	    int64_t *expert_id);
/* Is mail to email stopped in the campaign? 0 no, 1 yes (*reason), -1. */
int	 store_mail_suppressed(struct store *, int64_t campaign_id,
	    const char *email, char reason[16]);

/* ---- a campaign's deadline and reminder policy ---- */

#define STORE_REMINDERS_DEFAULT	3	/* reminders to an expert at most */
#define STORE_EVERY_DAYS_DEFAULT 7	/* days between her mails at least */

struct store_mail_policy {
	char	 deadline[16];		/* YYYY-MM-DD; "" for none */
	int	 max_reminders;
	int	 every_days;
};

/* The policy of campaign_id (the defaults without a row): 0 or -1. */
int	 store_mail_policy(struct store *, int64_t campaign_id,
	    struct store_mail_policy *out);
/* Set the deadline ("" for none), inside store_write: 0 or -1. */
int	 store_mail_deadline_set(struct store *, int64_t campaign_id,
	    const char *deadline);

/* The deadline of expert_id's campaign into out[16] ("" none): 0, -1. */
int	 store_mail_deadline_of(struct store *, int64_t expert_id,
	    char out[16]);
/* Set the most reminders and the days between them: 0 or -1. */
int	 store_mail_reminders_set(struct store *, int64_t campaign_id,
	    int max_reminders, int every_days);
/*
 * The ids of the open campaigns into ids[max], *n of them: 0 or -1.
 */
int	 store_mail_campaigns(struct store *, int64_t *ids, size_t max,
	    size_t *n);

/* An expert of a campaign as the reminders see her. */
struct store_reminder_row {
	int64_t	 id;
	char	 name[STORE_NAME_MAX];
	char	 email[STORE_EMAIL_MAX];
	bool	 revoked;
	int	 cards;		/* assigned */
	int	 open;		/* assigned, not submitted */
	char	 stopped[16];	/* "bounced", "opted-out", "" */
	int	 reminders;	/* queued or sent, not failed */
	int	 pending;	/* mails to her not sent yet */
	int	 invited;	/* invitations or new links, not failed */
	int64_t	 last_s;	/* her last mail queued (or her invitation),
				 * unix seconds */
};

/*
 * The experts of campaign_id by name, as reminders see them: 0, cb's
 * value when not 0, or -1.
 */
int	 store_reminder_rows(struct store *, int64_t campaign_id,
	    int (*cb)(void *, const struct store_reminder_row *), void *ctx);

#endif
