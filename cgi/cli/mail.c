/*
 * cli/mail: "keyfield mail ...": the send log of a campaign, a test
 * message. Never prints a message's text or a link.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/mail.h"
#include "app/mailq.h"
#include "base/conf.h"
#include "cli/cli.h"
#include "store/campaigns.h"
#include "store/mail.h"
#include "store/store.h"

#define LOG_ROWS_MAX	100000	/* rows of the send log printed */

/* One row of the send log: tab-separated, a header line first. */
static int
log_row(void *arg, const struct store_mail_row *r)
{
	(void)arg;
	printf("%lld\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%d\t%s\n", (long long)r->id,
	    r->created_at, r->kind, r->rcpt, r->status, r->attempts,
	    *r->done_at != '\0' ? r->done_at : "-", r->subject, r->code,
	    *r->text != '\0' ? r->text : "-");
	return 0;
}

static int
cmd_mail_log(struct cli *cli, int argc, char **argv)
{
	int64_t	 cid = 0;
	int	 rc;

	if (argc != 2)
		return cli_fail("usage: keyfield mail log SLUG|--test");
	if (cli_store(cli) == NULL)
		return 1;
	if (strcmp(argv[1], "--test") != 0 &&
	    (rc = store_campaign_id(cli->store, argv[1], &cid)) != 0)
		return cli_fail(rc == 1 ? "no campaign \"%s\"" :
		    "cannot read the campaign %s", argv[1]);
	printf("id\tqueued\tkind\tto\tstatus\tattempts\tdone\tsubject\t"
	    "code\treply\n");
	if (store_mails(cli->store, cid, LOG_ROWS_MAX, log_row, NULL) != 0)
		return cli_fail("cannot read the send log");
	return 0;
}

/* What cmd_mail_test's transaction needs and tells. */
struct test_mail {
	const struct conf	*conf;
	const char		*to;
	const char		*why;
};

static int
test_txn(struct store *s, void *arg)
{
	struct test_mail	*t = arg;

	return mailq_test(s, t->conf, t->to, &t->why);
}

static int
cmd_mail_test(struct cli *cli, int argc, char **argv)
{
	struct test_mail	 t;
	int			 rc;

	if (argc != 2)
		return cli_fail("usage: keyfield mail test ADDRESS");
	t = (struct test_mail){ .conf = cli->conf, .to = argv[1] };
	if (!mail_addr_ok(t.to))
		return cli_fail("\"%s\" is not an address we can send to",
		    t.to);
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_write(cli->store, test_txn, &t)) != 0)
		return cli_fail("test message to %s: %s", t.to, rc == 1 &&
		    t.why != NULL ? t.why : "failed (see the log above)");
	printf("test message to %s queued: keyfield-notify sends it %s%s\n",
	    t.to, *cli->conf->smtp_url != '\0' ? "to " : "into the maildir",
	    *cli->conf->smtp_url != '\0' ? cli->conf->smtp_url : "");
	return 0;
}

const struct cli_cmd cli_mail_cmds[] = {
	{ "mail log", cmd_mail_log, "SLUG|--test",
	    "The send log of a campaign (or of the test messages), newest "
	    "first, tab-separated." },
	{ "mail test", cmd_mail_test, "ADDRESS",
	    "Queue a test message to ADDRESS (keyfield-notify sends it)." },
	{ NULL, NULL, NULL, NULL },
};
