/*
 * cli: the keyfield command line. cli/main.c parses the global options and
 * dispatches on the command words to the tables of the cli-*.c files.
 */
#ifndef KEYFIELD_CLI_H
#define KEYFIELD_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/i18n.h"

struct conf;
struct store;

struct cli {
	const char	*db_path;	/* --db, $KEYFIELD_DB, ... */
	const char	*base_url;	/* --base-url, $KEYFIELD_BASE_URL */
	const char	*forms_dir;	/* $KEYFIELD_FORMS, else the built-in */
	const char	*key_file;	/* secret_key_file; "": db_path.key */
	bool		 create_key;	/* cli_store makes it when missing */
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
/*
 * The language of the CLI's messages to people, by LC_ALL, LC_MESSAGES,
 * LANG: tr(CLI_LANG, "...") (base/i18n.h).
 */
#define CLI_LANG	i18n_from_env()

int		 cli_fail(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
/*
 * The whole of the text file path, at most max bytes, malloc'ed; NULL
 * after cli_fail naming it: unreadable, too_big (a sentence: the rule)
 * when larger, or "not a text file" when it holds a NUL byte.
 */
char		*cli_slurp(const char *path, size_t max, const char *too_big);
/* Print a command's usage and help to stdout when argv asks --help. */
bool		 cli_wants_help(const struct cli_cmd *, int argc, char **argv);

/* The formats of a listing (--format). */
enum cli_format {
	CLI_TABLE,	/* aligned columns for a terminal */
	CLI_CSV,	/* RFC 4180, a header row */
	CLI_JSON,	/* an array of objects, one per row */
	CLI_FORMAT__MAX
};
/* "table", "csv" or "json" into *out: 0, or 1 after cli_fail. */
int		 cli_format_parse(const char *, enum cli_format *out);
/* --round N: a round's number, 1 or more: 0, or 1 after cli_fail. */
int		 cli_round_parse(const char *, int *out);

/* A listing's rows, kept until printed (cli/table.c). */
struct cli_table {
	const char *const *head;	/* column names; JSON keys */
	size_t		 ncols;
	unsigned	 numbers;	/* bit c: column c holds integers */
	char		**cells;	/* nrows * ncols, copies */
	size_t		 nrows;
};
/* Bit c of a table's numbers: column c is right-aligned, a JSON number. */
#define CLI_NUMBER(c)	(1u << (c))
void		 cli_table_init(struct cli_table *, const char *const *head,
		    size_t ncols, unsigned numbers);
void		 cli_table_free(struct cli_table *);
/* Copy a row of ncols cells: 0, or 1 after cli_fail. */
int		 cli_table_add(struct cli_table *, const char *const *row);
/* Print every row in fmt to out: 0, or 1 after cli_fail. */
int		 cli_table_print(const struct cli_table *, enum cli_format,
		    FILE *out);

/* Command tables, each ending with an entry whose words is NULL. */
extern const struct cli_cmd cli_setup_cmds[];	/* cli/setup.c */
extern const struct cli_cmd cli_partner_cmds[];	/* cli/partner.c */
extern const struct cli_cmd cli_admin_cmds[];	/* cli/admin.c */
extern const struct cli_cmd cli_export_cmds[];	/* cli/export.c */
extern const struct cli_cmd cli_backup_cmds[];	/* cli/backup.c */
extern const struct cli_cmd cli_stats_cmds[];	/* cli/stats.c */
extern const struct cli_cmd cli_expert_cmds[];	/* cli/expert.c */
extern const struct cli_cmd cli_mail_cmds[];	/* cli/mail.c */
extern const struct cli_cmd cli_final_cmds[];	/* cli/final.c */
extern const struct cli_cmd cli_lang_cmds[];	/* cli/lang.c */
extern const struct cli_cmd cli_response_cmds[]; /* cli/response.c */

#endif
