/*
 * keyfield: the command line for setting up and running campaigns.
 * Never prints a token except the invitation URL it has just made.
 */
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "base/auth.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "base/conf.h"
#include "base/log.h"
#include "store/secrets.h"
#include "store/store.h"

static const struct cli_cmd *const tables[] = {
	cli_setup_cmds,
	cli_backup_cmds,
	cli_partner_cmds,
	cli_admin_cmds,
	cli_expert_cmds,
	cli_response_cmds,
	cli_export_cmds,
	cli_stats_cmds,
	cli_mail_cmds,
	cli_final_cmds,
	cli_lang_cmds,
};

char *
cli_slurp(const char *path, size_t max, const char *too_big)
{
	struct buf	 b;
	char		 chunk[8192];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL) {
		cli_fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_put(&b, chunk, n) == -1)
			break;
	if (buf_failed(&b) || ferror(f) || memchr(buf_str(&b), '\0',
	    b.len) != NULL) {
		cli_fail("%s: %s", path, ferror(f) ? "read error" :
		    buf_failed(&b) ? too_big : "not a text file");
		buf_free(&b);
		fclose(f);
		return NULL;
	}
	fclose(f);
	return buf_take(&b);
}

int
cli_fail(const char *fmt, ...)
{
	va_list	 ap;

	fputs("keyfield: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

struct store *
cli_store(struct cli *cli)
{
	if (cli->store != NULL)
		return cli->store;
	if (store_key_load(cli->key_file, cli->db_path, cli->create_key) ==
	    -1) {
		cli_fail("cannot read or make the secret key (see above)");
		return NULL;
	}
	if ((cli->store = store_open(cli->db_path)) == NULL)
		cli_fail("cannot open the database %s", cli->db_path);
	return cli->store;
}

static void
usage_line(FILE *f, const struct cli_cmd *c)
{
	fprintf(f, "  keyfield [--db FILE] %s%s%s\n", c->words,
	    *c->usage ? " " : "", c->usage);
}

bool
cli_wants_help(const struct cli_cmd *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			printf("usage:\n");
			usage_line(stdout, c);
			printf("\n%s\n", c->help);
			return true;
		}
	}
	return false;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: keyfield [--config FILE] [--db FILE] "
	    "[--base-url URL] COMMAND ...\n"
	    "       keyfield --version\n\ncommands:\n");
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct cli_cmd *c = tables[t]; c->words; c++) {
			usage_line(f, c);
			fprintf(f, "      %s\n", c->help);
		}
	fprintf(f, "\n--db defaults to $KEYFIELD_DB, then the database of "
	    "keyfield.conf(5),\nthen var/keyfield.db.\n"
	    "Every command takes --help.\n");
}

/* Does argv start with the words of c ("campaign add")? */
static int
match(const struct cli_cmd *c, int argc, char **argv)
{
	char	 words[64];
	char	*w, *save = NULL;
	int	 n = 0, cut;

	/* Never cut: c->words is one of the command table's few words. */
	cut = buf_fmt(words, sizeof(words), "%s", c->words);
	assert(cut == 0);
	(void)cut;
	for (w = strtok_r(words, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save), n++)
		if (n >= argc || strcmp(argv[n], w) != 0)
			return 0;
	return n;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli	 cli;
	static struct conf conf;
	const char	*config = NULL, *db = NULL, *base_url = NULL;
	int		 ch, n, rc;

	memset(&cli, 0, sizeof(cli));

	/* Global options stop at the first command word. */
	while ((ch = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'b':
			base_url = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("keyfield %s (SQLite %s)\n", PACKAGE_VERSION,
			    store_sqlite_version());
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (conf_load(&conf, config) == -1) {
		conf_report(&conf, "keyfield");
		return 1;
	}
	log_init("keyfield", conf.log_level < 0 ? LOG_WARN :
	    (enum log_level)conf.log_level);
	cli.db_path = db != NULL ? db : conf.database;
	cli.base_url = base_url != NULL ? base_url : conf.base_url;
	cli.forms_dir = conf.forms_dir[0] != '\0' ? conf.forms_dir : NULL;
	cli.key_file = conf.secret_key_file;
	cli.conf = &conf;
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return 1;
	}
	if (auth_init() == -1)
		return 1;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct cli_cmd *c = tables[t]; c->words; c++) {
			if ((n = match(c, argc, argv)) == 0)
				continue;
			if (cli_wants_help(c, argc - n + 1, argv + n - 1))
				return 0;
			optind = 0;
			rc = c->run(&cli, argc - n + 1, argv + n - 1);
			store_close(cli.store);
			return rc;
		}
	cli_fail("unknown command \"%s\" (see keyfield --help)", argv[0]);
	return 1;
}
