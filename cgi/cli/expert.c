/*
 * cli/expert: what the console does, from a shell: keyfield campaign
 * list, expert list/import/revoke/relink/assign, progress and response
 * withdraw. The logic is app/'s (expert, import, progress, response),
 * the same the console calls. Never prints a token except the links it
 * has just made.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/expert.h"
#include "app/mailq.h"
#include "app/import.h"
#include "base/i18n.h"
#include "app/progress.h"
#include "app/response.h"
#include "base/auth.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/responses.h"
#include "store/store.h"

#define FIELDS_MAX	2000	/* key fields of a campaign (as the console) */
#define ASSIGNMENTS_MAX	200000	/* cards of a campaign read */

/* What a command works on: the campaign, its key fields and cards. */
struct target {
	struct store_campaign		 c;
	struct store_field		*fields;
	size_t				 nfields;
	struct store_assignment_row	*as;
	size_t				 nas;
	struct store_expert_row		 e;	/* by --email, when asked */
};

static void
target_free(struct target *t)
{
	free(t->fields);
	free(t->as);
}

/*
 * The campaign slug, its key fields and cards, and the expert invited
 * with email (unless NULL) into *t: 0, or 1 after cli_fail.
 */
static int
target_find(struct cli *cli, const char *slug, const char *email,
    struct target *t)
{
	struct store	*s;
	int		 rc;

	memset(t, 0, sizeof(*t));
	if ((s = cli_store(cli)) == NULL)
		return 1;
	if ((rc = store_campaign_get(s, slug, &t->c)) != 0)
		return rc == 1 ? cli_fail(tr(CLI_LANG,
		    "no campaign \"%s\""), slug) :
		    cli_fail(tr(CLI_LANG,
		    "campaign %s: cannot read it"), slug);
	if ((t->fields = store_fields(s, t->c.id, FIELDS_MAX,
	    &t->nfields)) == NULL || (t->as = store_assignments(s, t->c.id,
	    ASSIGNMENTS_MAX, &t->nas)) == NULL) {
		target_free(t);
		return cli_fail(tr(CLI_LANG,
		    "campaign %s: cannot read it"), slug);
	}
	if (email == NULL)
		return 0;
	if ((rc = store_expert_by_email(s, t->c.id, email, &t->e)) != 0) {
		target_free(t);
		return rc == 1 ? cli_fail(tr(CLI_LANG,
		    "no expert with the e-mail address "
		    "%s in campaign %s"), email, slug) :
		    cli_fail(tr(CLI_LANG,
		    "campaign %s: cannot read its experts"), slug);
	}
	return 0;
}

/*
 * The options of a listing (--format) and its n positional arguments
 * into args: 0, or 1 after cli_fail with usage.
 */
static int
list_args(int argc, char **argv, enum cli_format *fmt, char **args,
    int n, const char *usage)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	*fmt = CLI_TABLE;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch != 'f')
			return cli_fail("usage: keyfield %s", usage);
		else if (cli_format_parse(optarg, fmt) != 0)
			return 1;
	if (argc - optind != n)
		return cli_fail("usage: keyfield %s", usage);
	for (int i = 0; i < n; i++)
		args[i] = argv[optind + i];
	return 0;
}

/* ---- campaign list ---- */

static int
campaign_row(void *arg, const struct store_campaign *c)
{
	char	 version[16], fields[16], experts[16], done[16];
	const char *row[] = { c->slug, c->title, c->form_name, version,
	    c->open ? "open" : "closed", fields, experts, done,
	    c->created_at };

	/* Each holds any int. */
	(void)buf_fmt(version, sizeof(version), "%d", c->form_version);
	(void)buf_fmt(fields, sizeof(fields), "%d", c->nfields);
	(void)buf_fmt(experts, sizeof(experts), "%d", c->nexperts);
	(void)buf_fmt(done, sizeof(done), "%d", c->nsubmitted);
	return cli_table_add(arg, row) == 0 ? 0 : 2;
}

static int
cmd_campaign_list(struct cli *cli, int argc, char **argv)
{
	static const char *const head[] = { "slug", "title", "form",
	    "version", "status", "key_fields", "experts", "submitted",
	    "created" };
	struct cli_table	 t;
	enum cli_format		 fmt;
	int			 rc;

	if (list_args(argc, argv, &fmt, NULL, 0,
	    "campaign list [--format table|csv|json]") != 0)
		return 1;
	if (cli_store(cli) == NULL)
		return 1;
	cli_table_init(&t, head, sizeof(head) / sizeof(head[0]),
	    CLI_NUMBER(3) | CLI_NUMBER(5) | CLI_NUMBER(6) | CLI_NUMBER(7));
	rc = store_campaigns(cli->store, 0, campaign_row, &t);
	if (rc == -1)
		rc = cli_fail(tr(CLI_LANG,
		    "cannot read the campaigns"));
	else if (rc == 0)
		rc = cli_table_print(&t, fmt, stdout);
	else
		rc = 1;
	cli_table_free(&t);
	return rc;
}

/* ---- expert list ---- */

/* The codes of the key fields of expert_id, "SF 41, SF12", into b. */
static const char *
expert_codes_of(struct buf *b, const struct target *t, int64_t expert_id)
{
	buf_reset(b);
	for (size_t i = 0; i < t->nas; i++) {
		if (t->as[i].expert_id != expert_id)
			continue;
		for (size_t k = 0; k < t->nfields; k++)
			if (t->fields[k].id == t->as[i].field_id)
				buf_printf(b, "%s%s", b->len ? ", " : "",
				    t->fields[k].code);
	}
	return b->len ? buf_str(b) : "";
}

struct experts_list {
	struct cli_table	 t;
	const struct target	*target;
	struct buf		 codes;
};

static int
expert_row(void *arg, const struct store_expert_row *e)
{
	struct experts_list	*l = arg;
	struct progress		 p;
	char			 id[24], n[3][16];
	const char		*row[] = { id, e->name, e->email,
	    e->revoked ? "revoked" : "active", NULL, n[0], n[1], n[2] };

	progress_count(l->target->as, l->target->nas, 0, e->id, &p);
	/* Each holds any int64_t or int. */
	(void)buf_fmt(id, sizeof(id), "%" PRId64, e->id);
	(void)buf_fmt(n[0], sizeof(n[0]), "%d", p.assigned);
	(void)buf_fmt(n[1], sizeof(n[1]), "%d", p.draft);
	(void)buf_fmt(n[2], sizeof(n[2]), "%d", p.submitted);
	row[4] = expert_codes_of(&l->codes, l->target, e->id);
	if (buf_failed(&l->codes))
		return cli_fail(tr(CLI_LANG,
		    "out of memory")) + 1;
	return cli_table_add(&l->t, row) == 0 ? 0 : 2;
}

/* Warn of the campaign's invitations from before they were checked. */
static int
duplicate_warn(void *arg, const struct store_duplicate *d)
{
	if (strcmp(d->slug, arg) == 0)
		fprintf(stderr, "keyfield: warning: %s is invited %d times "
		    "(experts %s): revoke all but one\n", d->email, d->n,
		    d->ids);
	return 0;
}

static int
cmd_expert_list(struct cli *cli, int argc, char **argv)
{
	static const char *const head[] = { "id", "name", "email", "status",
	    "key_fields", "assigned", "draft", "submitted" };
	struct experts_list	 l;
	struct target		 t;
	enum cli_format		 fmt;
	char			*slug;
	int			 rc;

	if (list_args(argc, argv, &fmt, &slug, 1,
	    "expert list SLUG [--format table|csv|json]") != 0 ||
	    target_find(cli, slug, NULL, &t) != 0)
		return 1;
	cli_table_init(&l.t, head, sizeof(head) / sizeof(head[0]),
	    CLI_NUMBER(0) | CLI_NUMBER(5) | CLI_NUMBER(6) | CLI_NUMBER(7));
	l.target = &t;
	buf_init(&l.codes, 64 * 1024);
	rc = store_experts(cli->store, t.c.id, expert_row, &l);
	if (rc == -1)
		rc = cli_fail(tr(CLI_LANG,
		    "campaign %s: cannot read its experts"), slug);
	else if (rc == 0 && (rc = cli_table_print(&l.t, fmt, stdout)) == 0)
		(void)store_expert_duplicates(cli->store, duplicate_warn,
		    t.c.slug);
	cli_table_free(&l.t);
	buf_free(&l.codes);
	target_free(&t);
	return rc == 0 ? 0 : 1;
}

/* ---- expert import ---- */

/* The import's outcome: skipped rows on stderr, the links on stdout. */
static int
import_report(const struct cli *cli, const struct expert_import *im,
    const char *slug, const char *path)
{
	const struct lang	*l = im->pr.lang;
	size_t			 skipped = im->n - im->added;

	for (size_t i = 0; i < im->n; i++)
		if (im->v[i].skip[0] != '\0') {
			fprintf(stderr, tr(l, "%s: line %d: skipped: %s"),
			    path, im->v[i].line, im->v[i].skip);
			putc('\n', stderr);
		}
	for (size_t i = 0; i < im->n; i++)
		if (im->v[i].skip[0] == '\0')
			printf("%s <%s> %s/i/%s\n", im->v[i].name,
			    im->v[i].email, cli->base_url, im->v[i].token);
	printf(trn(l, "%zu expert imported into %s", "%zu experts imported "
	    "into %s", im->added), im->added, slug);
	printf(trn(l, ", %zu row skipped", ", %zu rows skipped", skipped),
	    skipped);
	putchar('\n');
	return fflush(stdout) == EOF ? cli_fail(tr(CLI_LANG,
	    "cannot write")) : 0;
}

static int
cmd_expert_import(struct cli *cli, int argc, char **argv)
{
	const struct lang	*lang = i18n_from_env();
	struct expert_import	 im;
	struct target		 t;
	struct buf		 too_big;
	char			*text, dflt[STORE_LANG_SZ];
	int			 rc;

	if (argc != 3)
		return cli_fail("usage: keyfield expert import SLUG FILE.csv");
	if (target_find(cli, argv[1], NULL, &t) != 0)
		return 1;
	buf_init(&too_big, 256);
	import_too_large(&too_big, lang);
	text = cli_slurp(argv[2], IMPORT_CSV_MAX, buf_str(&too_big));
	buf_free(&too_big);
	if (text == NULL) {
		target_free(&t);
		return 1;
	}
	rc = expert_import_init(&im, t.c.id, t.fields, t.nfields, "cli",
	    lang);
	if (rc == 0 && store_campaign_languages(cli->store, t.c.id,
	    im.languages, dflt) != 0)
		rc = -1;
	im.mail_conf = cli->conf;	/* their invitation mails */
	im.base_url = cli->base_url;
	if (rc == 0 && (rc = expert_import_read(&im, text, argv[2])) == 1)
		rc = cli_fail("%s: %s", argv[2], import_problems_text(&im.pr));
	else if (rc == 0 && (rc = expert_import_store(cli->store, &im)) == 0)
		rc = import_report(cli, &im, t.c.slug, argv[2]);
	if (rc == -1)
		rc = cli_fail(tr(CLI_LANG,
		    "%s: the import failed (see the log above)"),
		    argv[2]);
	expert_import_free(&im);
	free(text);
	target_free(&t);
	return rc;
}

/* ---- expert revoke, relink, assign ---- */

enum change {
	CHANGE_REVOKE,
	CHANGE_RELINK,
	CHANGE_ASSIGN,
};

struct expert_change {
	enum change		 what;
	struct target		*t;
	unsigned char		 hash[AUTH_HASH_BYTES];
	int64_t			 ids[EXPERT_FIELDS_MAX];
	size_t			 nids;
	const struct conf	*conf;		/* relink: the new-link mail */
	const char		*base_url, *token;
};

static int
change_txn(struct store *s, void *arg)
{
	struct expert_change	*ch = arg;
	struct target		*t = ch->t;
	char			 object[sizeof("expert:-9223372036854775808")];
	const char		*why;
	int			 rc;

	if (ch->what == CHANGE_REVOKE)
		return expert_revoke(s, t->c.id, t->e.id, "cli");
	if (ch->what == CHANGE_RELINK) {
		if ((rc = expert_relink(s, t->c.id, t->e.id, ch->hash,
		    "cli")) != 0 || ch->conf == NULL)
			return rc;
		/* Queued, or refused (bounced): the link is printed anyway. */
		return mailq_invitation(s, ch->conf, ch->base_url,
		    MAILQ_NEWLINK, t->c.id, t->e.id, ch->token, &why) == -1 ?
		    -1 : 0;
	}
	if ((rc = expert_assign(s, t->e.id, t->fields, t->nfields, ch->ids,
	    ch->nids, false)) != 0)
		return rc;
	/* object holds "expert:" and the longest id: nothing can be cut. */
	if (buf_fmt(object, sizeof(object), "expert:%" PRId64, t->e.id) == -1)
		return -1;
	return store_audit(s, "cli", "expert.assign", object, "");
}

/* Run ch on the expert of argv's SLUG EMAIL: 0, or 1 after cli_fail. */
static int
change_run(struct cli *cli, struct expert_change *ch, const char *slug,
    char *email, const char *fields)
{
	struct target	 t;
	const char	*unknown;
	char		*list;
	int		 rc;

	if (target_find(cli, slug, import_trim(email), &t) != 0)
		return 1;
	ch->t = &t;
	rc = 0;
	if (fields != NULL) {
		if ((list = strdup(fields)) == NULL)
			rc = cli_fail(tr(CLI_LANG,
			    "out of memory"));
		else if ((unknown = expert_codes(list, t.fields, t.nfields,
		    ch->ids, &ch->nids)) != NULL)
			rc = cli_fail(tr(CLI_LANG,
			    "no key field \"%s\" in campaign %s"),
			    unknown, slug);
		free(list);
	}
	if (rc == 0 && (rc = store_write(cli->store, change_txn, ch)) == 1)
		rc = cli_fail(tr(CLI_LANG,
		    "expert %s: %s"), t.e.email,
		    ch->what == CHANGE_ASSIGN ? EXPERT_ASSIGN_ANSWERED :
		    "no longer in the campaign");
	else if (rc == -1)
		rc = cli_fail(tr(CLI_LANG,
		    "expert %s: failed (see the log above)"),
		    t.e.email);
	if (rc == 0 && ch->what == CHANGE_REVOKE)
		printf(tr(CLI_LANG,
		    "expert %s <%s> is revoked: her link and sessions no "
		    "longer work\n"), t.e.name, t.e.email);
	target_free(&t);
	return rc;
}

static int
cmd_expert_revoke(struct cli *cli, int argc, char **argv)
{
	struct expert_change	 ch = { .what = CHANGE_REVOKE };

	if (argc != 3)
		return cli_fail("usage: keyfield expert revoke SLUG EMAIL");
	return change_run(cli, &ch, argv[1], argv[2], NULL);
}

static int
cmd_expert_relink(struct cli *cli, int argc, char **argv)
{
	struct expert_change	 ch = { .what = CHANGE_RELINK };
	char			 token[AUTH_TOKEN_LEN + 1];
	int			 rc;

	if (argc != 3)
		return cli_fail("usage: keyfield expert relink SLUG EMAIL");
	auth_token_new(token);
	auth_token_hash(token, ch.hash);
	ch.conf = cli->conf;
	ch.base_url = cli->base_url;
	ch.token = token;
	if ((rc = change_run(cli, &ch, argv[1], argv[2], NULL)) == 0)
		printf(tr(CLI_LANG,
		    "a new link for %s; the old one no longer works\n"
		    "%s/i/%s\n"), argv[2], cli->base_url, token);
	memset(token, 0, sizeof(token));
	return rc;
}

static int
cmd_expert_assign(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fields", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct expert_change	 ch = { .what = CHANGE_ASSIGN };
	const char		*fields = NULL;
	int			 c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c == 'f')
			fields = optarg;
		else
			return cli_fail("see keyfield expert assign --help");
	if (optind + 2 != argc || fields == NULL)
		return cli_fail("usage: keyfield expert assign SLUG EMAIL "
		    "--fields \"CODE,CODE\"");
	if ((rc = change_run(cli, &ch, argv[optind], argv[optind + 1],
	    fields)) == 0)
		printf(trn(CLI_LANG, "expert %s has %zu key field\n",
		    "expert %s has %zu key fields\n", ch.nids),
		    argv[optind + 1], ch.nids);
	return rc;
}

/* ---- progress ---- */

/* One row: "key_field" or "expert", its label, its counts. */
static int
progress_add(struct cli_table *tb, const struct target *t, const char *by,
    const char *label, int64_t field_id, int64_t expert_id)
{
	struct progress	 p;
	char		 n[3][16];
	const char	*row[] = { by, label, n[0], n[1], n[2] };

	progress_count(t->as, t->nas, field_id, expert_id, &p);
	/* Each holds any int. */
	(void)buf_fmt(n[0], sizeof(n[0]), "%d", p.assigned);
	(void)buf_fmt(n[1], sizeof(n[1]), "%d", p.draft);
	(void)buf_fmt(n[2], sizeof(n[2]), "%d", p.submitted);
	return cli_table_add(tb, row);
}

struct progress_list {
	struct cli_table	*tb;
	const struct target	*t;
	struct buf		 label;
};

static int
progress_expert(void *arg, const struct store_expert_row *e)
{
	struct progress_list	*l = arg;

	buf_reset(&l->label);
	buf_printf(&l->label, "%s <%s>%s", e->name, e->email,
	    e->revoked ? " (revoked)" : "");
	if (buf_failed(&l->label))
		return cli_fail(tr(CLI_LANG,
		    "out of memory")) + 1;
	return progress_add(l->tb, l->t, "expert", buf_str(&l->label), 0,
	    e->id) == 0 ? 0 : 2;
}

static int
cmd_progress(struct cli *cli, int argc, char **argv)
{
	static const char *const head[] = { "by", "key_field_or_expert",
	    "assigned", "draft", "submitted" };
	struct cli_table	 tb;
	struct progress_list	 l;
	struct target		 t;
	enum cli_format		 fmt;
	char			*slug;
	char			 label[STORE_CODE_MAX + STORE_NAME_MAX + 2];
	int			 rc = 0;

	if (list_args(argc, argv, &fmt, &slug, 1,
	    "progress SLUG [--format table|csv|json]") != 0 ||
	    target_find(cli, slug, NULL, &t) != 0)
		return 1;
	cli_table_init(&tb, head, sizeof(head) / sizeof(head[0]),
	    CLI_NUMBER(2) | CLI_NUMBER(3) | CLI_NUMBER(4));
	for (size_t i = 0; rc == 0 && i < t.nfields; i++) {
		/* label holds a code, a blank and a title. */
		(void)buf_fmt(label, sizeof(label), "%s %s", t.fields[i].code,
		    t.fields[i].title);
		rc = progress_add(&tb, &t, "key_field", label,
		    t.fields[i].id, 0);
	}
	l = (struct progress_list){ &tb, &t, { 0 } };
	buf_init(&l.label, 4096);
	if (rc == 0 && (rc = store_experts(cli->store, t.c.id,
	    progress_expert, &l)) == -1)
		rc = cli_fail(tr(CLI_LANG,
		    "campaign %s: cannot read its experts"), slug);
	if (rc == 0)
		rc = cli_table_print(&tb, fmt, stdout);
	buf_free(&l.label);
	cli_table_free(&tb);
	target_free(&t);
	return rc == 0 ? 0 : 1;
}

/* ---- response withdraw ---- */

static int
cmd_response_withdraw(struct cli *cli, int argc, char **argv)
{
	struct target	 t;
	int64_t		 field_id = 0, response_id = 0;
	int		 rc;

	if (argc != 4)
		return cli_fail("usage: keyfield response withdraw SLUG EMAIL "
		    "CODE");
	if (target_find(cli, argv[1], import_trim(argv[2]), &t) != 0)
		return 1;
	for (size_t i = 0; i < t.nfields; i++)
		if (strcmp(t.fields[i].code, argv[3]) == 0)
			field_id = t.fields[i].id;
	for (size_t i = 0; i < t.nas; i++)
		if (t.as[i].expert_id == t.e.id && t.as[i].field_id == field_id)
			response_id = t.as[i].response_id;
	if (field_id == 0)
		rc = cli_fail(tr(CLI_LANG,
		    "no key field \"%s\" in campaign %s"), argv[3],
		    argv[1]);
	else if (response_id == 0)
		rc = cli_fail(tr(CLI_LANG,
		    "%s has no card for %s (not assigned, or not "
		    "started)"), t.e.email, argv[3]);
	else if ((rc = response_withdraw(cli->store, response_id, "cli",
	    cli->base_url)) == 1)
		rc = cli_fail(tr(CLI_LANG,
		    "the card of %s for %s is not submitted (a "
		    "draft, or withdrawn already)"), t.e.email, argv[3]);
	else if (rc == -1)
		rc = cli_fail(tr(CLI_LANG,
		    "withdrawing failed (see the log above)"));
	else
		printf(tr(CLI_LANG,
		    "the card of %s for %s is withdrawn\n"), t.e.email,
		    argv[3]);
	target_free(&t);
	return rc;
}

const struct cli_cmd cli_expert_cmds[] = {
	{ "campaign list", cmd_campaign_list, "[--format table|csv|json]",
	    "List the campaigns, newest first, with their counts." },
	{ "expert list", cmd_expert_list, "SLUG [--format table|csv|json]",
	    "List a campaign's experts with their key fields and cards." },
	{ "expert import", cmd_expert_import, "SLUG FILE.csv",
	    "Invite the experts of a CSV (name,email,fields) as the console "
	    "does; rows already invited are skipped; prints the links." },
	{ "expert revoke", cmd_expert_revoke, "SLUG EMAIL",
	    "Revoke an expert: her link and her sessions stop working." },
	{ "expert relink", cmd_expert_relink, "SLUG EMAIL",
	    "Give an expert a new link (printed last); the old one stops." },
	{ "expert assign", cmd_expert_assign,
	    "SLUG EMAIL --fields \"CODE,CODE\"",
	    "Set an expert's key fields to exactly these (a card with "
	    "answers is never taken away)." },
	{ "progress", cmd_progress, "SLUG [--format table|csv|json]",
	    "Cards assigned, in draft and submitted, per key field and per "
	    "expert, as on the dashboard." },
	{ "response withdraw", cmd_response_withdraw, "SLUG EMAIL CODE",
	    "Withdraw an expert's submitted card of a key field." },
	{ NULL, NULL, NULL, NULL },
};
