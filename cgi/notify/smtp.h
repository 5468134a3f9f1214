/*
 * notify/smtp: sending one message to one recipient over SMTP with
 * libcurl: smtp://host:587 with STARTTLS required (CURLUSESSL_ALL) or
 * smtps://host:465, AUTH with smtp_user and the password of
 * smtp_password_file, smtp_ca_file as the trusted CAs; the connection is
 * kept for the next message. Used by one thread.
 */
#ifndef KEYFIELD_NOTIFY_SMTP_H
#define KEYFIELD_NOTIFY_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "store/mail.h"

struct conf;
struct smtp;

#define SMTP_CONNECT_S		15	/* seconds to connect */
#define SMTP_STALL_S		30	/* a transfer stalled this long ends */
#define SMTP_PASSWORD_MAX	1024	/* bytes of the password */

/* What an attempt came to. */
struct smtp_result {
	bool	 sent;
	int	 code;		/* the server's last reply code; 0: none */
	bool	 permanent;	/* a 5xx: do not try again */
	bool	 rcpt;		/* ... refusing the recipient: bounced */
	char	 text[STORE_MAIL_TEXT_MAX];	/* the reply or failure */
};

/*
 * Format into out[outsz] (a reply text or failure); a text that does
 * not fit is cut with "..." (buf_mark_cut).
 */
void		 smtp_text(char *out, size_t outsz, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/*
 * A sender for conf's smtp_url, or NULL (logged: libcurl, or the
 * password file cannot be read). While a message is being sent,
 * cancel(arg) is asked about once a second: true ends the attempt (a
 * failure, tried again later).
 */
struct smtp	*smtp_open(const struct conf *, bool (*cancel)(void *),
		    void *arg);
void		 smtp_close(struct smtp *);
/*
 * Send len bytes of msg from envelope sender from to rcpt; the outcome
 * into *r. Returns 0 (whatever the outcome), -1 on a local failure
 * (logged; r says it too).
 */
int		 smtp_send(struct smtp *, const char *from, const char *rcpt,
		    const char *msg, size_t len, struct smtp_result *r);

#endif
