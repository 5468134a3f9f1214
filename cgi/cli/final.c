/*
 * cli/final: keyfield final list / show / publish, a key field's final
 * card (app/final.h) from the command line. Writing one is the console's.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/final.h"
#include "app/stats.h"
#include "base/buf.h"
#include "base/form.h"
#include "cli/cli.h"
#include "store/finals.h"

/* A campaign and one of its key fields by code. */
struct target {
	struct stats_campaign		 sc;
	const struct store_field	*f;
};

/* Load slug's campaign and its key field code: 0, or 1 after cli_fail. */
static int
target_load(struct cli *cli, const char *slug, const char *code,
    struct target *t)
{
	int	 rc;

	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = stats_campaign_load(cli->store, slug, 0, &t->sc)) == 1)
		return cli_fail(tr(CLI_LANG,
		    "no campaign \"%s\""), slug);
	if (rc != 0)
		return cli_fail(tr(CLI_LANG,
		    "campaign %s could not be read (see the log "
		    "above)"), slug);
	for (size_t i = 0; i < t->sc.nfields; i++)
		if (strcmp(t->sc.fields[i].code, code) == 0) {
			t->f = &t->sc.fields[i];
			return 0;
		}
	stats_campaign_free(&t->sc);
	return cli_fail(tr(CLI_LANG,
	    "campaign %s has no key field \"%s\""), slug, code);
}

/* A version number from 1: 0 and *out, or 1 after cli_fail. */
static int
version_parse(const char *s, int *out)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > INT_MAX)
		return cli_fail(tr(CLI_LANG,
		    "version \"%s\": a whole number from 1"), s);
	*out = (int)v;
	return 0;
}

static int
list_line(void *arg, const struct store_final *f)
{
	(void)arg;
	printf("%-7d  %-24s  %-24s  %s\n", f->version, f->created_at,
	    f->author, *f->published_at != '\0' ? f->published_at : "-");
	return 0;
}

static int
cmd_list(struct cli *cli, int argc, char **argv)
{
	struct target	 t;
	int		 rc;

	if (argc != 3)
		return cli_fail("usage: keyfield final list SLUG CODE");
	if (target_load(cli, argv[1], argv[2], &t) != 0)
		return 1;
	printf("%-7s  %-24s  %-24s  %s\n", "version", "saved", "by",
	    "published");
	rc = store_finals(cli->store, t.f->id, list_line, NULL);
	stats_campaign_free(&t.sc);
	return rc == 0 ? 0 : cli_fail(tr(CLI_LANG,
	    "final list failed (see the log)"));
}

static int
cmd_show(struct cli *cli, int argc, char **argv)
{
	struct target		 t;
	struct final_card	 fc;
	struct store_final	 meta;
	struct buf		 b;
	int			 version = STORE_FINAL_LATEST, rc;

	if ((argc != 3 && argc != 4) ||
	    (argc == 4 && version_parse(argv[3], &version) != 0))
		return cli_fail("usage: keyfield final show SLUG CODE "
		    "[VERSION]");
	if (target_load(cli, argv[1], argv[2], &t) != 0)
		return 1;
	final_init(&fc, t.sc.cities, t.sc.ncities);
	buf_init(&b, 4 * FINAL_BODY_MAX);
	if ((rc = final_load(cli->store, t.f->id, version, &fc,
	    &meta)) == 0 && (rc = final_md(&b, &fc, t.f->code,
	    t.f->title)) == 0)
		fputs(buf_str(&b), stdout);
	buf_free(&b);
	final_free(&fc);
	stats_campaign_free(&t.sc);
	if (rc == 1)
		return cli_fail(tr(CLI_LANG,
		    "%s %s has no such final card version"),
		    argv[1], argv[2]);
	return rc == 0 ? 0 : cli_fail(tr(CLI_LANG,
	    "final show failed (see the log)"));
}

static int
cmd_publish(struct cli *cli, int argc, char **argv)
{
	struct target	 t;
	int		 version, rc;

	if (argc != 4 || version_parse(argv[3], &version) != 0)
		return cli_fail("usage: keyfield final publish SLUG CODE "
		    "VERSION");
	if (target_load(cli, argv[1], argv[2], &t) != 0)
		return 1;
	rc = final_publish(cli->store, &t.sc.c, t.f, t.sc.cities,
	    t.sc.ncities, version, cli->base_url, "cli");
	stats_campaign_free(&t.sc);
	if (rc == 1)
		return cli_fail(tr(CLI_LANG,
		    "%s %s: there is no version %d, or it is "
		    "published already"), argv[1], argv[2], version);
	if (rc != 0)
		return cli_fail(tr(CLI_LANG,
		    "final publish failed (see the log above)"));
	printf(tr(CLI_LANG,
	    "%s %s: version %d of the final card is published\n"),
	    argv[1], argv[2], version);
	return 0;
}

const struct cli_cmd cli_final_cmds[] = {
	{ "final list", cmd_list, "SLUG CODE",
	    "The versions of a key field's final card: when, by whom, and "
	    "when published." },
	{ "final show", cmd_show, "SLUG CODE [VERSION]",
	    "A version of a key field's final card (the latest by default) "
	    "in the seed card's Markdown layout." },
	{ "final publish", cmd_publish, "SLUG CODE VERSION",
	    "Publish a version of a key field's final card: partners get a "
	    "card.final.published event." },
	{ NULL, NULL, NULL, NULL },
};
