/*
 * notify/mail: the mail sender of keyfield-notify: a thread with a
 * database connection of its own that sends the mail outbox
 * (store/mail.h), one message at a time, at most mail_per_minute a
 * minute: over SMTP (notify/smtp.h) when smtp_url is set, else into the
 * maildir mail_dir (tmp/, then a rename into new/). A 4xx reply or a
 * failed connection is tried again later (1 minute to 8 hours), a 5xx
 * fails the message (and a refused recipient is marked bounced). Every
 * attempt is logged once, after it was made: a crash between the two
 * sends the message again (at least once, never lost). At start and
 * every MAIL_REMIND_MS it queues the reminders due in every open
 * campaign, and before sending it composes the thank-you notes that
 * submissions queued. A slow or hung SMTP server holds up only this
 * thread, never the partners' webhooks.
 */
#ifndef KEYFIELD_NOTIFY_MAIL_H
#define KEYFIELD_NOTIFY_MAIL_H

#include <stdbool.h>

struct conf;
struct mailer;

#define MAIL_POLL_MS	1000	/* look for due messages */
#define MAIL_RETRIES	8	/* attempts after the first, then failed */
#define MAIL_REMIND_MS	(3600 * 1000)	/* reminders due: looked for */

/*
 * Start the sender on database db (mail_dir defaults to "mail" beside
 * it) or, with once, send what is due now and return: the sender, or
 * NULL (logged). conf must outlive it.
 */
struct mailer	*mailer_start(const char *db, const struct conf *conf,
		    bool once);
/*
 * Stop the sender after the message in hand (waiting for it) and free
 * it. 0, or -1 when a once run could not send what was due.
 */
int		 mailer_stop(struct mailer *);

#endif
