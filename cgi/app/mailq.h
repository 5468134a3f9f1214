/*
 * app/mailq: the messages keyfield sends, composed from their templates
 * and the database and queued in the mail outbox (store/mail.h) inside
 * the transaction of what causes them. keyfield-notify sends them.
 */
#ifndef KEYFIELD_APP_MAILQ_H
#define KEYFIELD_APP_MAILQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct conf;
struct store;

/* The messages that carry an invitation link. */
enum mailq_link {
	MAILQ_INVITATION,	/* a new expert's invitation */
	MAILQ_NEWLINK,		/* her link was replaced (relink) */
	MAILQ_LINK__MAX
};

/*
 * Queue the invitation (or new link) of expert expert_id of campaign_id
 * (her link: base_url/i/TOKEN), whose invitation token was made in
 * this transaction: the only moment it exists in clear, so the message
 * holds it until sent. Inside store_write. 0; 1 when it cannot be sent
 * (*why, for a person: the address is refused or suppressed); -1.
 */
int	 mailq_invitation(struct store *, const struct conf *,
	    const char *base_url, enum mailq_link kind, int64_t campaign_id,
	    int64_t expert_id, const char *token, const char **why);

/*
 * Queue a reminder to expert expert_id of campaign_id with a fresh mail
 * sign-in link (store/mail.h: her invitation stays valid) and the
 * one-click opt-out base_url/u/ID (List-Unsubscribe). Inside
 * store_write. Whether she is due one is mailq_reminder_due's to say.
 * 0; 1 when it cannot be sent (*why: revoked, bounced, opted out); -1.
 */
int	 mailq_reminder(struct store *, const struct conf *,
	    const char *base_url, int64_t campaign_id, int64_t expert_id,
	    const char **why);

/*
 * Queue an invitation to expert expert_id of campaign_id who has none
 * (added with --no-mail, or before mail), or again: as a reminder's,
 * its link is a fresh mail sign-in link, since her invitation token is
 * kept only as a hash. Inside store_write. 0; 1 (*why: revoked,
 * bounced); -1.
 */
int	 mailq_invite(struct store *, const struct conf *,
	    const char *base_url, int64_t campaign_id, int64_t expert_id,
	    const char **why);

#define MAILQ_BEFORE_DEADLINE	2	/* days: a reminder before it */

/*
 * Why expert r is due no reminder at now_s (unix seconds) under policy
 * p: a sentence into why[whysz] (returned), or NULL when she is due one:
 * her link is not revoked, she has a card not submitted, her address
 * neither bounced nor opted out, no mail to her is waiting, fewer than
 * p's most reminders were sent, and her last mail is every_days old or
 * older than MAILQ_BEFORE_DEADLINE days before the deadline, now past.
 */
struct store_reminder_row;
struct store_mail_policy;
const char *mailq_reminder_due(const struct store_reminder_row *r,
	    const struct store_mail_policy *p, int64_t now_s, char *why,
	    size_t whysz);

/*
 * Why expert r gets no invitation from "mail invite" (again: she was
 * named, so one already sent does not count), as mailq_reminder_due
 * says it; NULL when she gets one.
 */
const char *mailq_invite_due(const struct store_reminder_row *r,
	    bool again, char *why, size_t whysz);

#define MAILQ_BATCH_MAX	10000	/* experts of a campaign in one batch */

/*
 * Invitations or reminders to the experts of a campaign, decided and
 * queued in one transaction: a store_fn (mailq_batch_txn) whose ctx is
 * this struct. Each try (store_write may run it again) calls begin, then
 * each(arg, r, no) for every expert in name order (only the one with
 * address to, when set) after her mail was queued (no NULL) or not (no:
 * why). With dry_run nothing is queued. queued: how many.
 */
struct mailq_batch {
	const struct conf	*conf;
	const char		*base_url;
	int64_t			 campaign_id;
	bool			 invite;	/* else reminders */
	bool			 dry_run;
	const char		*to;		/* NULL: every expert */
	void			(*begin)(void *arg);
	int			(*each)(void *arg,
				    const struct store_reminder_row *r,
				    const char *no);	/* 0 or -1 */
	void			*arg;
	int			 queued;	/* out */
};

int	 mailq_batch_txn(struct store *, void *batch);

/*
 * Queue the answer of the lost-link page to expert expert_id of
 * campaign_id: a fresh mail sign-in link, to her address on file.
 * Inside store_write. 0; 1 (*why: bounced); -1.
 */
int	 mailq_lost(struct store *, const struct conf *,
	    const char *base_url, int64_t campaign_id, int64_t expert_id,
	    const char **why);

struct store_mail_compose;
/*
 * Compose the thank-you note m (queued by the trigger of a submission)
 * with a summary of the card and a fresh sign-in link to revise it.
 * Inside store_write. 0; 1 when it cannot be sent (the row is failed
 * with the reason); -1.
 */
int	 mailq_thanks(struct store *, const struct conf *,
	    const char *base_url, const struct store_mail_compose *m);

/* ---- a campaign's own texts ---- */

/* The i-th kind a campaign may have its own text of, or NULL after. */
const char *mailq_kind(size_t i);
/* The shipped text of kind: 0, or -1 when kind has none. */
int	 mailq_shipped(const char *kind, const char **subject,
	    const char **body);
struct lang;
/*
 * mailq_shipped in language l (base/i18n.h; NULL: English): the text an
 * expert of that language gets when her campaign has none of its own.
 */
int	 mailq_shipped_in(const struct lang *l, const char *kind,
	    const char **subject, const char **body);
/*
 * Check a text to save (subject: one line; body: UTF-8 without control
 * characters but line breaks and tabs; only the placeholders of
 * app/mail.h) and render it with example values for campaign into out
 * ("Subject: ...", a blank line, the body): 0; 1 refused (*why, for a
 * person, in language l; NULL: English); -1 (the buffer's error).
 */
int	 mailq_preview(const struct lang *l, const char *campaign,
	    const char *subject, const char *body, struct buf *out,
	    const char **why);

/*
 * Queue a test message to address (no campaign, no link): 0, 1 refused
 * (*why), -1.
 */
int	 mailq_test(struct store *, const struct conf *, const char *address,
	    const char **why);

#endif
