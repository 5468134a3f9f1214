/*
 * cli: the keyfield command line. cli/main.c parses the global options and
 * dispatches on the command words to the tables of the cli-*.c files.
 */
#ifndef KEYFIELD_CLI_H
#define KEYFIELD_CLI_H

#include <stdbool.h>

struct conf;
struct store;

struct cli {
	const char	*db_path;	/* --db, $KEYFIELD_DB, ... */
	const char	*base_url;	/* --base-url, $KEYFIELD_BASE_URL */
	const char	*forms_dir;	/* $KEYFIELD_FORMS, else the built-in */
	const struct conf *conf;	/* keyfield.conf and the environment */
	struct store	*store;		/* opened by cli_store */
};

struct cli_cmd {
	const char	*words;		/* "campaign add" */
	int		(*run)(struct cli *, int argc, char **argv);
	const char	*usage;		/* arguments after the words */
	const char	*help;		/* one line, shown in --help */
};

/*
 * run gets argv[0] = the last command word and the arguments after it, so
 * getopt_long works as usual (optind reset by the caller). It returns the
 * exit status: 0, or 1 after printing the problem with cli_fail.
 */

/* The database, opened (and migrated) on first use; NULL after cli_fail. */
struct store	*cli_store(struct cli *);
/* Print "keyfield: <message>" to stderr; returns 1. */
int		 cli_fail(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
/* Print a command's usage and help to stdout when argv asks --help. */
bool		 cli_wants_help(const struct cli_cmd *, int argc, char **argv);

/* Command tables, each ending with an entry whose words is NULL. */
extern const struct cli_cmd cli_setup_cmds[];	/* cli/setup.c */
extern const struct cli_cmd cli_partner_cmds[];	/* cli/partner.c */
extern const struct cli_cmd cli_admin_cmds[];	/* cli/admin.c */
extern const struct cli_cmd cli_export_cmds[];	/* cli/export.c */
extern const struct cli_cmd cli_backup_cmds[];	/* cli/backup.c */
extern const struct cli_cmd cli_stats_cmds[];	/* cli/stats.c */
extern const struct cli_cmd cli_mail_cmds[];	/* cli/mail.c */

#endif
