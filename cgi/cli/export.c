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

static int
cmd_export(struct cli *cli, int argc, char **argv)
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
		{ NULL, 0, NULL, 0 },
	};
	struct export_opts	 eo = { 0 };
	const char		*format = NULL, *output = NULL, *slug;
	const char		*delim = NULL;
	char			 tmp[PATH_MAX];
	FILE			*out = stdout;
	int			 ch, fmt, rc;
	bool			 final = false;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'b': eo.bom = true; break;
		case 'd': delim = optarg; break;
		case 'a': eo.all_versions = true; break;
		case 'k': eo.field_code = optarg; break;
		case 'r':
			if (cli_round_parse(optarg, &eo.round) != 0)
				return 1;
			break;
		case 'F': final = true; break;
		default: return cli_fail("see keyfield export --help");
		}
	if (optind + 1 != argc || format == NULL)
		return cli_fail("usage: keyfield export SLUG --format "
		    "csv|csv-long|json|xlsx|md [--output FILE] [--bom] "
		    "[--delimiter ';'] [--all-versions] [--field CODE] [--round N] "
		    "[--final]");
	slug = argv[optind];
	if ((fmt = export_format_parse(format)) == -1)
		return cli_fail("--format \"%s\": use csv, csv-long, json, "
		    "xlsx or md", format);
	if (csv_opts(fmt, &eo, delim) != 0)
		return 1;
	if (eo.all_versions && fmt == EXPORT_MD)
		return cli_fail("--all-versions: a card document shows each "
		    "expert's latest version; use json or csv-long for "
		    "every version");
	if (final && (fmt != EXPORT_MD || eo.all_versions || eo.round != 0))
		return cli_fail("--final is for --format md alone (a final "
		    "card is of no round)");
	if (output != NULL && strcmp(output, "-") == 0)
		output = NULL;
	if (output == NULL && fmt == EXPORT_XLSX && isatty(STDOUT_FILENO))
		return cli_fail("an XLSX workbook is binary: give --output "
		    "FILE or redirect standard output to a file");
	if (cli_store(cli) == NULL)
		return 1;
	if (output != NULL && (out = out_open(output, tmp,
	    sizeof(tmp))) == NULL)
		return 1;

	rc = final ? final_md_export(cli->store, slug, eo.field_code, out) :
	    export_campaign(cli->store, slug, fmt, &eo, out);
	if (output == NULL) {
		if (rc == 0 && fflush(stdout) == EOF)
			rc = -1;
	} else {
		if (fclose(out) == EOF && rc == 0)
			rc = -1;
		if (*tmp != '\0' && rc == 0 && rename(tmp, output) == -1) {
			unlink(tmp);
			return cli_fail("%s: %s", output, strerror(errno));
		}
		if (*tmp != '\0' && rc != 0)
			unlink(tmp);
	}
	if (rc == 1)
		return cli_fail("no campaign \"%s\"", slug);
	if (rc == 2)
		return cli_fail("campaign %s has no key field \"%s\"", slug,
		    eo.field_code);
	if (rc == 3)
		return final ? cli_fail("campaign %s has no published final "
		    "card%s", slug, eo.field_code != NULL ? " of that key field" :
		    "") : cli_fail("--round %d: campaign %s has no round %d yet",
		    eo.round, slug, eo.round);
	if (rc != 0)
		return cli_fail("export of %s failed%s", slug, output != NULL ?
		    " (nothing written)" : " (see the log above)");
	return 0;
}

const struct cli_cmd cli_export_cmds[] = {
	{ "export", cmd_export,
	    "SLUG --format csv|csv-long|json|xlsx|md [--output FILE] [--bom] "
	    "[--delimiter ';'] [--all-versions] [--field CODE] [--round N] [--final]",
	    "Export a campaign's submitted cards (each expert's latest "
	    "version in a round; --all-versions: every one) to FILE or "
	    "standard output: csv-long and json every round, csv, xlsx and "
	    "md the latest (--round N: round N only); --final: the "
	    "published final cards, md only." },
	{ NULL, NULL, NULL, NULL },
};
