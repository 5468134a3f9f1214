/*
 * cli/mail: "keyfield mail ...": the send log of a campaign, a test
 * message. Never prints a message's text or a link.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/mail.h"
#include "app/mailq.h"
#include "base/buf.h"
#include "base/conf.h"
#include "cli/cli.h"
#include "store/campaigns.h"
#include "store/languages.h"
#include "store/mail.h"
#include "store/store.h"

#define LOG_ROWS_MAX	100000	/* rows of the send log printed */

/* The failure to find campaign slug (rc 1) or to read it: 1. */
static int
no_campaign(int rc, const char *slug)
{
	return cli_fail(rc == 1 ? tr(CLI_LANG, "no campaign \"%s\"") :
	    tr(CLI_LANG, "cannot read the campaign %s"), slug);
}

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
		return no_campaign(rc, argv[1]);
	printf("id\tqueued\tkind\tto\tstatus\tattempts\tdone\tsubject\t"
	    "code\treply\n");
	if (store_mails(cli->store, cid, LOG_ROWS_MAX, log_row, NULL) != 0)
		return cli_fail(tr(CLI_LANG,
		    "cannot read the send log"));
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
		return cli_fail(tr(CLI_LANG,
		    "\"%s\" is not an address we can send to"),
		    t.to);
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_write(cli->store, test_txn, &t)) != 0)
		return cli_fail(tr(CLI_LANG,
		    "test message to %s: %s"), t.to, rc == 1 &&
		    t.why != NULL ? t.why : tr(CLI_LANG, "failed (see the log "
		    "above)"));
	if (*cli->conf->smtp_url != '\0')
		printf(tr(CLI_LANG, "test message to %s queued: "
		    "keyfield-notify sends it to %s\n"), t.to,
		    cli->conf->smtp_url);
	else
		printf(tr(CLI_LANG, "test message to %s queued: "
		    "keyfield-notify sends it into the maildir\n"), t.to);
	return 0;
}

/* A batch's report, printed after the commit: a line per expert. */
struct report {
	struct buf	 out;
	const char	*what;		/* "invitation", "reminder" */
};

static void
report_begin(void *arg)
{
	buf_reset(&((struct report *)arg)->out);
}

static int
report_row(void *arg, const struct store_reminder_row *r, const char *no)
{
	struct report	*rp = arg;

	return buf_printf(&rp->out, "%s\t%s\t%s%s\n", r->email, r->name,
	    no == NULL ? rp->what : "no: ", no == NULL ? "" : no);
}

/* The rows of rp, then how many of rm's mails were queued (or not). */
static void
remind_report(const struct mailq_batch *rm, struct report *rp)
{
	const struct lang	*l = CLI_LANG;
	unsigned long		 n = (unsigned long)rm->queued;

	fputs(buf_str(&rp->out) != NULL ? buf_str(&rp->out) : "", stdout);
	if (rm->invite && rm->dry_run)
		printf(trn(l, "%d invitation would be sent (--dry-run: none "
		    "queued)\n", "%d invitations would be sent (--dry-run: "
		    "none queued)\n", n), rm->queued);
	else if (rm->invite)
		printf(trn(l, "%d invitation queued (keyfield-notify sends "
		    "them)\n", "%d invitations queued (keyfield-notify sends "
		    "them)\n", n), rm->queued);
	else if (rm->dry_run)
		printf(trn(l, "%d reminder would be sent (--dry-run: none "
		    "queued)\n", "%d reminders would be sent (--dry-run: "
		    "none queued)\n", n), rm->queued);
	else
		printf(trn(l, "%d reminder queued (keyfield-notify sends "
		    "them)\n", "%d reminders queued (keyfield-notify sends "
		    "them)\n", n), rm->queued);
}

/* Run rm (its mode, dry_run and to set) on campaign slug: exit status. */
static int
remind_run(struct cli *cli, struct mailq_batch *rm, const char *slug)
{
	struct store_campaign	 c;
	struct report		 rp;
	const char		*what = rm->invite ? "invitation" : "reminder";
	int			 rc;

	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_campaign_get(cli->store, slug, &c)) != 0)
		return no_campaign(rc, slug);
	if (!c.open)
		return cli_fail(rm->invite ? tr(CLI_LANG, "campaign %s is "
		    "closed: no invitations") : tr(CLI_LANG, "campaign %s is "
		    "closed: no reminders"), c.slug);
	buf_init(&rp.out, 4 * 1024 * 1024);
	rp.what = what;
	rm->conf = cli->conf;
	rm->base_url = cli->base_url;
	rm->campaign_id = c.id;
	rm->begin = report_begin;
	rm->each = report_row;
	rm->arg = &rp;
	rc = store_write(cli->store, mailq_batch_txn, rm);
	if (rc == 0 && rm->to != NULL && rp.out.len == 0) {
		cli_fail(tr(CLI_LANG,
		    "%s is no expert of %s"), rm->to, c.slug);
		rc = 2;
	} else if (rc == 0)
		remind_report(rm, &rp);
	buf_free(&rp.out);
	if (rc == 2)
		return 1;
	return rc == 0 ? 0 : cli_fail(rm->invite ? tr(CLI_LANG,
	    "invitations for %s failed (see the log above)") : tr(CLI_LANG,
	    "reminders for %s failed (see the log above)"), c.slug);
}

static int
cmd_mail_remind(struct cli *cli, int argc, char **argv)
{
	struct mailq_batch	 rm;

	memset(&rm, 0, sizeof(rm));
	rm.dry_run = argc == 3 && strcmp(argv[2], "--dry-run") == 0;
	if (argc != 2 && !rm.dry_run)
		return cli_fail("usage: keyfield mail remind SLUG [--dry-run]");
	return remind_run(cli, &rm, argv[1]);
}

static int
cmd_mail_invite(struct cli *cli, int argc, char **argv)
{
	struct mailq_batch	 rm;

	memset(&rm, 0, sizeof(rm));
	rm.invite = true;
	if (argc == 4 && strcmp(argv[2], "--to") == 0)
		rm.to = argv[3];
	else if (argc == 3 && strcmp(argv[2], "--dry-run") == 0)
		rm.dry_run = true;
	else if (argc != 2)
		return cli_fail("usage: keyfield mail invite SLUG "
		    "[--to EMAIL | --dry-run]");
	return remind_run(cli, &rm, argv[1]);
}

/* store_write's fn of cmd_deadline. */
struct deadline {
	int64_t		 campaign_id;
	const char	*day;
};

static int
deadline_txn(struct store *s, void *arg)
{
	struct deadline	*d = arg;

	return store_mail_deadline_set(s, d->campaign_id, d->day);
}

/* Is s a day "YYYY-MM-DD" of 2000-2099 that exists? */
static bool
day_ok(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	struct tm	 tm;
	int		 y, m, d;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != '-')
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	/* timegm normalises 2026-02-30 to March: the day must stay. */
	return y >= 2000 && y <= 2099 && timegm(&tm) != -1 &&
	    tm.tm_mon == m - 1 && tm.tm_mday == d;
}

static int
cmd_deadline(struct cli *cli, int argc, char **argv)
{
	struct deadline	 d;
	int		 rc;

	if (argc != 3)
		return cli_fail("usage: keyfield campaign deadline SLUG "
		    "YYYY-MM-DD|none");
	d.day = strcmp(argv[2], "none") == 0 ? "" : argv[2];
	if (*d.day != '\0' && !day_ok(d.day))
		return cli_fail(tr(CLI_LANG,
		    "\"%s\" is not a day like 2026-12-31 (or "
		    "none)"), argv[2]);
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_campaign_id(cli->store, argv[1], &d.campaign_id)) != 0)
		return no_campaign(rc, argv[1]);
	if (store_write(cli->store, deadline_txn, &d) != 0)
		return cli_fail(tr(CLI_LANG,
		    "cannot set the deadline"));
	printf(*d.day != '\0' ? "deadline of %s: %s\n" :
	    "%s has no deadline%s\n", argv[1], d.day);
	return 0;
}

#define DSN_MAX	(1024 * 1024)	/* bytes of a delivery status notification */

/* The envelope id in text at p ("+m" and 24 base64url, then '@'). */
static bool
verp_at(const char *p, char out[STORE_VERP_MAX])
{
	size_t	 n;

	if (p[0] != '+' || p[1] != 'm')
		return false;
	for (n = 2; n < STORE_VERP_LEN + 1 && (isalnum((unsigned char)p[n]) ||
	    p[n] == '-' || p[n] == '_'); n++)
		continue;
	if (n != STORE_VERP_LEN + 1 || p[n] != '@')
		return false;
	memcpy(out, p + 1, STORE_VERP_LEN);
	out[STORE_VERP_LEN] = '\0';
	return true;
}

/* Does the DSN say the delivery failed for good (RFC 3464)? */
static bool
dsn_failed(const char *dsn)
{
	for (const char *p = dsn; (p = strchr(p, '\n')) != NULL; p++)
		if (strncasecmp(p + 1, "Action: failed", 14) == 0 ||
		    strncasecmp(p + 1, "Status: 5.", 10) == 0)
			return true;
	return false;
}

/* What cmd_mail_bounce's transaction needs and tells. */
struct bounce {
	const char	*dsn;
	char		 verp[STORE_VERP_MAX];
};

/* Mark the first envelope id in the DSN that names a message of ours. */
static int
bounce_txn(struct store *s, void *arg)
{
	struct bounce	*b = arg;
	int		 rc;

	for (const char *p = b->dsn; (p = strchr(p, '+')) != NULL; p++)
		if (verp_at(p, b->verp) &&
		    (rc = store_mail_suppress(s, b->verp, "bounced")) != 1)
			return rc;
	return 1;
}

static int
cmd_mail_bounce(struct cli *cli, int argc, char **argv)
{
	struct bounce	 b;
	struct buf	 in;
	char		 chunk[8192];
	size_t		 n;
	int		 rc;

	(void)argv;
	if (argc != 1)
		return cli_fail("usage: keyfield mail bounce < DSN");
	buf_init(&in, DSN_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		buf_put(&in, chunk, n);
	if (buf_failed(&in) || ferror(stdin)) {
		buf_free(&in);
		return cli_fail(tr(CLI_LANG,
		    "the notification is longer than %d bytes or "
		    "cannot be read"), DSN_MAX);
	}
	memset(&b, 0, sizeof(b));
	b.dsn = buf_str(&in);
	rc = 2;
	if (dsn_failed(b.dsn))
		rc = cli_store(cli) == NULL ? -1 :
		    store_write(cli->store, bounce_txn, &b);
	buf_free(&in);
	if (rc == 2)
		printf(tr(CLI_LANG,
		    "not a permanent failure (no \"Action: failed\" or "
		    "\"Status: 5.x.x\"): nothing marked\n"));
	else if (rc == 1)
		printf(tr(CLI_LANG,
		    "no message of ours is named in it: nothing marked\n"));
	else if (rc == 0)
		printf(tr(CLI_LANG,
		    "message %s bounced: no more mail to its address in "
		    "its campaign\n"), b.verp);
	return rc == -1 ? cli_fail(tr(CLI_LANG,
	    "cannot record the bounce")) : 0;
}

#define REMINDERS_MAX	100	/* the most reminders a policy allows */
#define EVERY_DAYS_MAX	365	/* days between reminders at most */

/* A number of 0..max, whole: 0 and *out, or -1. */
static int
count_arg(const char *s, int max, int *out)
{
	long	 n = 0;

	if (*s == '\0' || strlen(s) > 4)
		return -1;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
	}
	if (n > max)
		return -1;
	*out = (int)n;
	return 0;
}

struct policy {
	int64_t	 campaign_id;
	int	 max, every;
};

static int
policy_txn(struct store *s, void *arg)
{
	struct policy	*p = arg;

	return store_mail_reminders_set(s, p->campaign_id, p->max, p->every);
}

static int
cmd_reminders(struct cli *cli, int argc, char **argv)
{
	struct policy	 p = { .every = STORE_EVERY_DAYS_DEFAULT };
	int		 rc;

	if (argc != 3 && argc != 4)
		return cli_fail("usage: keyfield campaign reminders SLUG MAX "
		    "[EVERY_DAYS]");
	if (count_arg(argv[2], REMINDERS_MAX, &p.max) == -1)
		return cli_fail(tr(CLI_LANG,
		    "MAX: a number of reminders from 0 (none) to "
		    "%d"), REMINDERS_MAX);
	if (argc == 4 && (count_arg(argv[3], EVERY_DAYS_MAX, &p.every) == -1 ||
	    p.every == 0))
		return cli_fail(tr(CLI_LANG,
		    "EVERY_DAYS: a number of days from 1 to %d"),
		    EVERY_DAYS_MAX);
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_campaign_id(cli->store, argv[1], &p.campaign_id)) != 0)
		return no_campaign(rc, argv[1]);
	if (store_write(cli->store, policy_txn, &p) != 0)
		return cli_fail(tr(CLI_LANG,
		    "cannot set the reminders"));
	printf(tr(CLI_LANG,
	    "%s: at most %d reminders, %d days apart\n"), argv[1], p.max,
	    p.every);
	return 0;
}

#define TEMPLATE_IN_MAX	(MAIL_BODY_MAX + 1)	/* bytes read of a body */

/* What cmd_mail_template's transaction writes. */
struct template_set {
	int64_t		 campaign_id;
	const char	*kind, *subject, *body;	/* subject NULL: drop */
};

static int
template_txn(struct store *s, void *arg)
{
	struct template_set	*t = arg;

	return store_mail_template_set(s, t->campaign_id, t->kind,
	    t->subject, t->body);
}

/*
 * Print the campaign's text of kind: its own, or the shipped one in its
 * default language (the one its own text is used for).
 */
static int
template_show(struct cli *cli, int64_t campaign_id, const char *kind)
{
	struct store_mail_template	 own;
	char				 langs[STORE_LANGS_SZ];
	char				 dflt[STORE_LANG_SZ];
	const char			*subject, *body;
	int				 rc;

	if ((rc = store_mail_template(cli->store, campaign_id, kind, &own)) ==
	    -1 || store_campaign_languages(cli->store, campaign_id, langs,
	    dflt) != 0) {
		if (rc == 0)
			store_mail_template_free(&own);
		return cli_fail(tr(CLI_LANG, "cannot read the text"));
	}
	if (rc == 0)
		printf("Subject: %s\n\n%s", own.subject, own.body);
	else if (mailq_shipped_in(i18n_lang(dflt), kind, &subject,
	    &body) == 0)
		printf("Subject: %s\n\n%s", subject, body);
	store_mail_template_free(&own);
	return 0;
}

/* Check, preview and save subject and the body read from stdin. */
static int
template_save(struct cli *cli, struct template_set *t, const char *title)
{
	struct buf	 body, preview;
	char		 chunk[4096];
	const char	*why = NULL;
	size_t		 n;
	int		 rc;

	buf_init(&body, TEMPLATE_IN_MAX);
	buf_init(&preview, 2 * TEMPLATE_IN_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		buf_put(&body, chunk, n);
	t->body = buf_str(&body) != NULL ? buf_str(&body) : "";
	if (buf_failed(&body))
		rc = cli_fail(tr(CLI_LANG,
		    "the text is longer than %d bytes"),
		    MAIL_BODY_MAX);
	else if ((rc = mailq_preview(CLI_LANG, title, t->subject, t->body, &preview,
	    &why)) != 0)
		rc = cli_fail("%s", rc == 1 ? why : "cannot preview");
	else if (store_write(cli->store, template_txn, t) != 0)
		rc = cli_fail(tr(CLI_LANG,
		    "cannot save the text"));
	else
		printf(tr(CLI_LANG,
		    "saved; with example values it reads:\n\n%s"),
		    buf_str(&preview));
	buf_free(&body);
	buf_free(&preview);
	return rc;
}

static int
cmd_mail_template(struct cli *cli, int argc, char **argv)
{
	struct store_campaign	 c;
	struct template_set	 t;
	const char		*s, *b;
	int			 rc;

	if (argc != 4 && !(argc == 5 && strcmp(argv[3], "--subject") == 0))
		return cli_fail("usage: keyfield mail template SLUG KIND "
		    "--show | --default | --subject TEXT < BODY");
	if (mailq_shipped(argv[2], &s, &b) == -1)
		return cli_fail(tr(CLI_LANG,
		    "kind \"%s\": one of invitation, reminder, "
		    "thanks, newlink, lostlink"), argv[2]);
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_campaign_get(cli->store, argv[1], &c)) != 0)
		return no_campaign(rc, argv[1]);
	t = (struct template_set){ .campaign_id = c.id, .kind = argv[2] };
	if (argc == 4 && strcmp(argv[3], "--show") == 0)
		return template_show(cli, c.id, t.kind);
	if (argc == 4 && strcmp(argv[3], "--default") != 0)
		return cli_fail("see keyfield mail template --help");
	if (argc == 4) {
		if (store_write(cli->store, template_txn, &t) != 0)
			return cli_fail(tr(CLI_LANG,
			    "cannot drop the text"));
		printf(tr(CLI_LANG,
		    "%s of %s: the shipped text again\n"), t.kind, c.slug);
		return 0;
	}
	t.subject = argv[4];
	return template_save(cli, &t, c.title);
}

const struct cli_cmd cli_mail_cmds[] = {
	{ "mail log", cmd_mail_log, "SLUG|--test",
	    "The send log of a campaign (or of the test messages), newest "
	    "first, tab-separated." },
	{ "mail test", cmd_mail_test, "ADDRESS",
	    "Queue a test message to ADDRESS (keyfield-notify sends it)." },
	{ "mail invite", cmd_mail_invite, "SLUG [--to EMAIL | --dry-run]",
	    "Queue an invitation (with a fresh sign-in link) to every expert "
	    "not invited by mail yet, or to EMAIL again." },
	{ "mail template", cmd_mail_template,
	    "SLUG KIND --show | --default | --subject TEXT < BODY",
	    "Show, reset or set a campaign's text of a kind of message; "
	    "an unknown placeholder is refused." },
	{ "mail remind", cmd_mail_remind, "SLUG [--dry-run]",
	    "Queue a reminder to every expert who is due one; list who "
	    "gets one and why the others do not." },
	{ "mail bounce", cmd_mail_bounce, "< DSN",
	    "Read a delivery status notification (RFC 3464) on standard "
	    "input, as an MTA's pipe, and mark its address bounced." },
	{ "campaign reminders", cmd_reminders, "SLUG MAX [EVERY_DAYS]",
	    "Set a campaign's reminder policy: at most MAX (0: none), "
	    "EVERY_DAYS apart (default 7)." },
	{ "campaign deadline", cmd_deadline, "SLUG YYYY-MM-DD|none",
	    "Set or clear a campaign's deadline (shown to experts and in "
	    "mails)." },
	{ NULL, NULL, NULL, NULL },
};
