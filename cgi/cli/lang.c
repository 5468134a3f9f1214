/*
 * cli/lang: keyfield campaign languages, the languages a campaign offers
 * its experts and its default (app/lang.h checks them). Never sets a
 * language keyfield does not speak.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/lang.h"
#include "cli/cli.h"
#include "store/campaigns.h"
#include "store/languages.h"

struct langs {
	const char	*slug;
	char		 list[STORE_LANGS_SZ];
	char		 dflt[STORE_LANG_SZ];
	bool		 set;
};

static int
langs_txn(struct store *s, void *arg)
{
	struct langs	*l = arg;
	int64_t		 cid;
	int		 rc;

	if ((rc = store_campaign_id(s, l->slug, &cid)) != 0)
		return rc;
	if (l->set)
		return store_campaign_languages_set(s, cid, l->list, l->dflt);
	return store_campaign_languages(s, cid, l->list, l->dflt);
}

static int
cmd_campaign_languages(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "default", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct langs	 l = { 0 };
	const char	*dflt = NULL;
	char		 problem[LANG_PROBLEM_SZ];
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dflt = optarg; break;
		default: return cli_fail("see keyfield campaign languages "
		    "--help");
		}
	if (optind + 1 != argc && optind + 2 != argc)
		return cli_fail("usage: keyfield campaign languages SLUG "
		    "[LIST [--default CODE]]");
	l.slug = argv[optind];
	if ((l.set = optind + 2 == argc) && lang_list_check(argv[optind + 1],
	    dflt, l.list, l.dflt, problem, sizeof(problem)) != 0)
		return cli_fail("%s", problem);
	if (!l.set && dflt != NULL)
		return cli_fail("--default goes with a LIST of languages");
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_write(cli->store, langs_txn, &l)) == 1)
		return cli_fail("no campaign \"%s\"", l.slug);
	if (rc != 0)
		return cli_fail("campaign languages: failed (see the log "
		    "above)");
	printf("campaign %s: languages %s, default %s\n", l.slug, l.list,
	    l.dflt);
	return 0;
}

const struct cli_cmd cli_lang_cmds[] = {
	{ "campaign languages", cmd_campaign_languages,
	    "SLUG [LIST [--default CODE]]",
	    "Show, or set, the languages a campaign offers its experts (such "
	    "as en,de) and its default (the first listed unless --default)." },
	{ NULL, NULL, NULL, NULL },
};
