/*
 * conf: the settings every keyfield program shares, read once at start-up
 * from keyfield.conf(5) and the environment into one struct conf.
 *
 * Order, each step overriding the one before:
 *   1. built-in defaults;
 *   2. the file: the explicit path (--config, else $KEYFIELD_CONFIG),
 *      which must exist, else CONF_DEFAULT_PATH, which may be missing;
 *   3. the environment: KEYFIELD_DB, KEYFIELD_BASE_URL, KEYFIELD_LOG_LEVEL,
 *      KEYFIELD_FORMS, KEYFIELD_CA_FILE, KEYFIELD_SECRET_KEY_FILE,
 *      KEYFIELD_SMTP_URL, KEYFIELD_SMTP_CA_FILE (an empty variable
 *      counts as unset);
 *   4. command-line options, which the programs apply themselves.
 *
 * File format: one "key = value" per line; blank lines and lines whose
 * first non-blank character is '#' are ignored; spaces around key and
 * value are dropped; values are taken literally (no quotes, no escapes,
 * a '#' inside a value is part of it). Keys:
 *   database   path of the SQLite database
 *   base_url   the site's origin, "https://host[:port]" (no path)
 *   log_level  error | warn | info | debug
 *   forms_dir  folder of form definitions read by "keyfield init"
 *   ca_file    PEM certificates keyfield-notify trusts for partners'
 *              HTTPS endpoints instead of the system's CA bundle
 *   secret_key_file  the key that seals partner secrets in the database
 *              (store/secrets.h); default: the database's path + ".key"
 *   smtp_url   smtp://host:587 (STARTTLS required) or smtps://host:465;
 *              none: mail goes into the maildir mail_dir
 *   smtp_plain yes: no TLS, only with smtp:// to a loopback address
 *   smtp_user, smtp_password_file   AUTH (the password: the file's
 *              first line)
 *   smtp_ca_file  PEM certificates trusted for the SMTP server
 *   mail_from, mail_reply_to   addresses of the messages keyfield sends
 *   mail_per_minute  messages sent a minute at most
 *   mail_dir   the maildir (default: "mail" beside the database)
 * An unknown key, a key given twice, a line without '=', an empty or bad
 * value, a NUL byte, or a line of CONF_LINE_MAX bytes or more is an error.
 * Never reads anything but the one file and those variables.
 */
#ifndef KEYFIELD_CONF_H
#define KEYFIELD_CONF_H

#include <stdbool.h>
#include <stddef.h>

#define CONF_LINE_MAX	1024	/* a line: at most this - 1 bytes */
#define CONF_VALUE_MAX	1024	/* bytes of a value with its NUL */
#define CONF_ERRORS_MAX	16	/* problems kept by conf_load */
#define CONF_MSG_MAX	1200	/* bytes of one problem with its NUL */

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/usr/local/etc"
#endif
#define CONF_DEFAULT_PATH	SYSCONFDIR "/keyfield/keyfield.conf"

#define CONF_DEFAULT_DATABASE	"var/keyfield.db"
#define CONF_DEFAULT_BASE_URL	"http://127.0.0.1:8080"
#define CONF_DEFAULT_MAIL_FROM	"keyfield@localhost"
#define CONF_DEFAULT_MAIL_PER_MINUTE	60
#define CONF_MAIL_PER_MINUTE_MAX	6000
#define CONF_ADDRESS_MAX	254	/* bytes of an e-mail address */

struct conf {
	char	 path[CONF_VALUE_MAX];	/* the file read; "" when none */
	char	 database[CONF_VALUE_MAX];
	char	 base_url[CONF_VALUE_MAX];
	bool	 base_url_set;	/* by the file or the environment */
	char	 forms_dir[CONF_VALUE_MAX];	/* "": the built-in folder */
	char	 ca_file[CONF_VALUE_MAX];	/* "": the system's CAs */
	char	 secret_key_file[CONF_VALUE_MAX]; /* "": database + ".key" */
	char	 smtp_url[CONF_VALUE_MAX];	/* "": the maildir */
	bool	 smtp_plain;	/* no TLS: smtp:// to loopback only */
	char	 smtp_user[CONF_VALUE_MAX];	/* "": no AUTH */
	char	 smtp_password_file[CONF_VALUE_MAX];
	char	 smtp_ca_file[CONF_VALUE_MAX];	/* "": the system's CAs */
	char	 mail_from[CONF_ADDRESS_MAX + 1];
	char	 mail_reply_to[CONF_ADDRESS_MAX + 1];	/* "": none */
	int	 mail_per_minute;
	char	 mail_dir[CONF_VALUE_MAX];	/* "": beside the database */
	int	 log_level;	/* enum log_level; -1: the program's default */
	char	 errors[CONF_ERRORS_MAX][CONF_MSG_MAX];
	size_t	 nerrors;	/* problems found; more than kept is possible */
};

/*
 * Fill c: defaults, then the file, then the environment (see above).
 * explicit_path is --config or NULL; $KEYFIELD_CONFIG is used when it is
 * NULL. Every problem is kept in c->errors as "FILE:LINE: message" or
 * "$VARIABLE: message". Returns 0, or -1 when there was any problem (the
 * fields then hold what could be read and must not be used).
 */
int	 conf_load(struct conf *c, const char *explicit_path);

/* conf_load with another default file: for tests. */
int	 conf_load_paths(struct conf *c, const char *explicit_path,
	    const char *default_path);

/* Print each problem of c to stderr as "prog: problem". */
void	 conf_report(const struct conf *c, const char *prog);

#endif
