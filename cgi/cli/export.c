/*
 * cli/export: keyfield export, a campaign to a file or standard output.
 * Never replaces what is not a regular file; no workbook to a terminal.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "cli/cli.h"
#include "app/export.h"
#include "app/final.h"

/*
 * Open the output. A regular file (or a new one) is written as a
 * temporary file beside it, renamed over it when the export is complete
 * (*tmp is then its name); anything else (a device, a FIFO, a symbolic
 * link) is opened and written in place, never replaced (*tmp is "").
 * NULL after cli_fail.
 */
static FILE *
out_open(const char *path, char *tmp, size_t tmpsz)
{
	struct stat	 st;
	FILE		*f;
	int		 fd;

	*tmp = '\0';
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((f = fopen(path, "wb")) == NULL)
			cli_fail("%s: %s", path, strerror(errno));
		return f;
	}
	if (buf_fmt(tmp, tmpsz, "%s.XXXXXX", path) == -1) {
		cli_fail("--output %s: the path is longer than %zu bytes with "
		    "the temporary file's \".XXXXXX\"", path, tmpsz - 1);
		return NULL;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		cli_fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((f = fdopen(fd, "wb")) == NULL) {
		cli_fail("%s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
	}
	return f;
}

/* --bom and --delimiter (into eo) are for the CSV formats: 0, or 1. */
static int
csv_opts(int fmt, struct export_opts *eo, const char *delim)
{
	bool	 csv = fmt == EXPORT_CSV || fmt == EXPORT_CSV_LONG;

	if (eo->bom && !csv)
		return cli_fail("--bom is for csv and csv-long only");
	if ((eo->delim = export_delimiter_parse(delim)) == 0)
		return cli_fail("--delimiter \"%s\": use ',' or ';'", delim);
	if (delim != NULL && !csv)
		return cli_fail("--delimiter is for csv and csv-long only");
	return 0;
}

/* What keyfield export was asked for. */
struct export_args {
	struct export_opts	 eo;
	const char		*slug;
	const char		*output;	/* NULL: standard output */
	int			 fmt;		/* EXPORT_* */
	bool			 final;		/* --final */
};

#define EXPORT_USAGE	"SLUG --format csv|csv-long|json|xlsx|md " \
	"[--output FILE] [--bom] [--delimiter ';'] [--all-versions] " \
	"[--field CODE] [--round N] [--final] [--lang CODE]"

/* The options into a: 0, or 1 after cli_fail. */
static int
export_args_parse(struct export_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "bom", no_argument, NULL, 'b' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "all-versions", no_argument, NULL, 'a' },
		{ "field", required_argument, NULL, 'k' },
		{ "round", required_argument, NULL, 'r' },
		{ "final", no_argument, NULL, 'F' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*format = NULL, *delim = NULL;
	int		 ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'f': format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'b': a->eo.bom = true; break;
		case 'd': delim = optarg; break;
		case 'a': a->eo.all_versions = true; break;
		case 'k': a->eo.field_code = optarg; break;
		case 'r':
			if (cli_round_parse(optarg, &a->eo.round) != 0)
				return 1;
			break;
		case 'F': a->final = true; break;
		case 'l': a->eo.lang = optarg; break;
		default: return cli_fail("see keyfield export --help");
		}
	if (optind + 1 != argc || format == NULL)
		return cli_fail("usage: keyfield export " EXPORT_USAGE);
	a->slug = argv[optind];
	if ((a->fmt = export_format_parse(format)) == -1)
		return cli_fail("--format \"%s\": use csv, csv-long, json, "
		    "xlsx or md", format);
	if (a->output != NULL && strcmp(a->output, "-") == 0)
		a->output = NULL;
	if (a->eo.lang != NULL && !i18n_known(a->eo.lang))
		return cli_fail(tr(i18n_from_env(), "--lang \"%s\": no such "
		    "language (keyfield speaks en and those of po/)"),
		    a->eo.lang);
	return csv_opts(a->fmt, &a->eo, delim);
}

/* The options that do not go together: 0, or 1 after cli_fail. */
static int
export_args_check(const struct export_args *a)
{
	if (a->eo.all_versions && a->fmt == EXPORT_MD)
		return cli_fail("--all-versions: a card document shows each "
		    "expert's latest version; use json or csv-long for "
		    "every version");
	if (a->final && (a->fmt != EXPORT_MD || a->eo.all_versions ||
	    a->eo.round != 0))
		return cli_fail("--final is for --format md alone (a final "
		    "card is of no round)");
	if (a->output == NULL && a->fmt == EXPORT_XLSX &&
	    isatty(STDOUT_FILENO))
		return cli_fail("an XLSX workbook is binary: give --output "
		    "FILE or redirect standard output to a file");
	return 0;
}

/*
 * Write the export to its output, a file only when it is complete: the
 * export's value (0, 1 no campaign, 2 no key field, 3 no such round or
 * no published final card, -1), or 4 after cli_fail.
 */
static int
export_write(struct cli *cli, const struct export_args *a)
{
	char	 tmp[PATH_MAX];
	FILE	*out = stdout;
	int	 rc;

	if (a->output != NULL && (out = out_open(a->output, tmp,
	    sizeof(tmp))) == NULL)
		return 4;
	rc = a->final ? final_md_export(cli->store, a->slug,
	    a->eo.field_code, a->eo.lang, out) :
	    export_campaign(cli->store, a->slug, a->fmt, &a->eo, out);
	if (a->output == NULL)
		return rc == 0 && fflush(stdout) == EOF ? -1 : rc;
	if (fclose(out) == EOF && rc == 0)
		rc = -1;
	if (*tmp != '\0' && rc == 0 && rename(tmp, a->output) == -1) {
		unlink(tmp);
		cli_fail("%s: %s", a->output, strerror(errno));
		return 4;
	}
	if (*tmp != '\0' && rc != 0)
		unlink(tmp);
	return rc;
}

static int
cmd_export(struct cli *cli, int argc, char **argv)
{
	const struct lang	*l = i18n_from_env();
	struct export_args	 a = { 0 };
	const char		*slug;
	int			 rc;

	if (export_args_parse(&a, argc, argv) != 0 ||
	    export_args_check(&a) != 0 || cli_store(cli) == NULL)
		return 1;
	slug = a.slug;
	switch ((rc = export_write(cli, &a))) {
	case 0:
		return 0;
	case 1:
		return cli_fail(tr(l, "no campaign \"%s\""), slug);
	case 2:
		return cli_fail(tr(l, "campaign %s has no key field \"%s\""),
		    slug, a.eo.field_code);
	case 3:
		if (a.final)
			return cli_fail(a.eo.field_code != NULL ? tr(l,
			    "campaign %s has no published final card of that "
			    "key field") : tr(l, "campaign %s has no published "
			    "final card"), slug);
		return cli_fail(tr(l, "--round %d: campaign %s has no round %d "
		    "yet"), a.eo.round, slug, a.eo.round);
	case 4:
		return 1;
	default:
		return cli_fail(a.output != NULL ? tr(l, "export of %s failed "
		    "(nothing written)") : tr(l, "export of %s failed (see "
		    "the log above)"), slug);
	}
}

const struct cli_cmd cli_export_cmds[] = {
	{ "export", cmd_export, EXPORT_USAGE,
	    "Export a campaign's submitted cards (each expert's latest "
	    "version in a round; --all-versions: every one) to FILE or "
	    "standard output: csv-long and json every round, csv, xlsx and "
	    "md the latest (--round N: round N only); --final: the "
	    "published final cards, md only." },
	{ NULL, NULL, NULL, NULL },
};
