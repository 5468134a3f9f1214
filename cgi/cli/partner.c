/*
 * cli/partner: the "keyfield partner ..." commands (partners of a campaign).
 * Never prints a secret except the one it has just made.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "app/outbox.h"
#include "store/partners.h"
#include "base/webhook.h"
#include "store/campaigns.h"
#include "store/responses.h"

#define LOG_LIMIT_MAX		1000	/* partner log --limit */
#define PARTNER_OBJECT_SZ	sizeof("partner:-9223372036854775808")

/*
 * The audit object of partner id, "partner:ID". Never cut:
 * PARTNER_OBJECT_SZ holds the prefix and any int64_t.
 */
static const char *
partner_object(char out[static PARTNER_OBJECT_SZ], int64_t id)
{
	int	 cut;

	cut = buf_fmt(out, PARTNER_OBJECT_SZ, "partner:%" PRId64, id);
	assert(cut == 0);
	(void)cut;
	return out;
}

enum cmd {
	CMD_ADD, CMD_LIST, CMD_DISABLE, CMD_ENABLE, CMD_ROTATE,
	CMD_REDELIVER, CMD_LOG, CMD_TEST, CMD__MAX
};

static int	 add(struct cli *, int, char **);
static int	 list(struct cli *, int, char **);
static int	 disable(struct cli *, int, char **);
static int	 enable(struct cli *, int, char **);
static int	 rotate(struct cli *, int, char **);
static int	 redeliver(struct cli *, int, char **);
static int	 show_log(struct cli *, int, char **);
static int	 test(struct cli *, int, char **);

const struct cli_cmd cli_partner_cmds[] = {
	[CMD_ADD] = { "partner add", add,
	    "SLUG NAME URL [--allow-private] [--detail summary|full]",
	    "Add a partner that receives the campaign's events as signed "
	    "webhooks; prints its secret last. URL must be https:// unless "
	    "--allow-private (a partner on a private network or loopback)." },
	[CMD_LIST] = { "partner list", list, "SLUG",
	    "List the partners of a campaign with their delivery counts." },
	[CMD_DISABLE] = { "partner disable", disable, "SLUG NAME",
	    "Stop delivering to a partner; its events wait until enabled." },
	[CMD_ENABLE] = { "partner enable", enable, "SLUG NAME",
	    "Deliver to a partner again, starting with what is waiting." },
	[CMD_ROTATE] = { "partner rotate-secret", rotate, "SLUG NAME",
	    "Make a new secret (printed last); the old one keeps signing "
	    "for 24 hours." },
	[CMD_REDELIVER] = { "partner redeliver", redeliver,
	    "SLUG NAME (EVENT_ID | --failed-since TIME)",
	    "Send one event again, or every failed one created since TIME "
	    "(ISO 8601, e.g. 2025-01-31 or 2025-01-31T12:00:00Z)." },
	[CMD_LOG] = { "partner log", show_log, "SLUG NAME [--limit N]",
	    "Show the last delivery attempts to a partner, newest first." },
	[CMD_TEST] = { "partner test", test, "SLUG NAME",
	    "Send a test event (type partner.test) to one partner." },
	[CMD__MAX] = { NULL, NULL, NULL, NULL },
};
_Static_assert(sizeof(cli_partner_cmds) / sizeof(cli_partner_cmds[0]) ==
    CMD__MAX + 1, "one table entry per partner command");

static void
iso_ms(int64_t ms, char out[32])
{
	time_t		 t = (time_t)(ms / 1000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * getopt_long over argv with opts (may be just the terminator); the
 * positional arguments must number npos. Returns optind, or -1 after
 * printing the problem.
 */
static int
parse(enum cmd c, int argc, char **argv, const struct option *opts,
    int npos, int (*opt)(int, const char *, void *), void *ctx)
{
	int	 ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == '?' || opt == NULL || opt(ch, optarg, ctx) == -1) {
			fprintf(stderr, "usage: keyfield partner %s %s\n",
			    argv[0], cli_partner_cmds[c].usage);
			return -1;
		}
	}
	if (argc - optind != npos) {
		cli_fail("%s expects %d argument%s: %s",
		    cli_partner_cmds[c].words, npos, npos == 1 ? "" : "s",
		    cli_partner_cmds[c].usage);
		return -1;
	}
	return optind;
}

static const struct option no_opts[] = { { NULL, 0, NULL, 0 } };

/* The campaign of slug: 0, or 1 after printing the problem. */
static int
campaign(struct cli *cli, const char *slug, int64_t *id)
{
	struct store	*s;
	int		 rc;

	if ((s = cli_store(cli)) == NULL)
		return 1;
	if ((rc = store_campaign_id(s, slug, id)) == 1)
		return cli_fail("no campaign \"%s\"", slug);
	if (rc == -1)
		return cli_fail("cannot read the campaigns");
	return 0;
}

/* The partner name of campaign slug into p: 0, or 1 after the problem. */
static int
partner(struct cli *cli, const char *slug, const char *name,
    struct store_partner *p)
{
	int64_t	 cid;
	int	 rc;

	if (campaign(cli, slug, &cid) != 0)
		return 1;
	if ((rc = store_partner_get(cli->store, cid, name, store_now_ms(),
	    p)) == 1)
		return cli_fail("campaign \"%s\" has no partner \"%s\"", slug,
		    name);
	if (rc == -1)
		return cli_fail("cannot read the partners");
	return 0;
}

/* ---- partner add ---- */

struct add_opts {
	bool	 allow_private;
	bool	 full;
};

static int
add_opt(int ch, const char *arg, void *ctx)
{
	struct add_opts	*o = ctx;

	if (ch == 'p')
		o->allow_private = true;
	else if (ch == 'd' && strcmp(arg, "full") == 0)
		o->full = true;
	else if (ch == 'd' && strcmp(arg, "summary") == 0)
		o->full = false;
	else {
		cli_fail("--detail is summary or full, not \"%s\"", arg);
		return -1;
	}
	return 0;
}

struct add_txn {
	int64_t		 campaign_id;
	const char	*slug, *name, *url, *secret;
	struct add_opts	 o;
};

static int
add_txn(struct store *s, void *arg)
{
	struct add_txn	*a = arg;
	char		 object[PARTNER_OBJECT_SZ];
	int64_t		 id;
	int		 rc;

	if ((rc = store_partner_add(s, a->campaign_id, a->name, a->url,
	    a->secret, a->o.allow_private, a->o.full, &id)) != 0)
		return rc;
	partner_object(object, id);
	return store_audit(s, "cli", "partner.add", object, a->url);
}

static int
add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "allow-private", no_argument, NULL, 'p' },
		{ "detail", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct add_txn		 a;
	char			 secret[WEBHOOK_SECRET_MAX];
	enum webhook_url	 u;
	int			 i, rc;

	if (cli_wants_help(&cli_partner_cmds[CMD_ADD], argc, argv))
		return 0;
	memset(&a, 0, sizeof(a));
	if ((i = parse(CMD_ADD, argc, argv, opts, 3, add_opt, &a.o)) == -1)
		return 1;
	a.slug = argv[i];
	a.name = argv[i + 1];
	a.url = argv[i + 2];
	if (!webhook_name_ok(a.name, STORE_PARTNER_NAME_MAX))
		return cli_fail("a partner name has 1 to %d characters and no "
		    "control characters", STORE_PARTNER_NAME_MAX);
	if ((u = webhook_url_check(a.url, a.o.allow_private)) !=
	    WEBHOOK_URL_OK)
		return cli_fail("%s: %s", a.url, webhook_url_message(u));
	if (campaign(cli, a.slug, &a.campaign_id) != 0)
		return 1;
	if (webhook_secret_new(secret) == -1)
		return cli_fail("cannot make a secret (libsodium)");
	a.secret = secret;
	rc = store_write(cli->store, add_txn, &a);
	if (rc == 1)
		rc = cli_fail("campaign \"%s\" already has a partner \"%s\"",
		    a.slug, a.name);
	else if (rc != 0)
		rc = cli_fail("cannot add the partner");
	else {
		printf("added partner \"%s\" to campaign %s: %s (detail %s%s)\n"
		    "its signing secret (keep it safe; partner rotate-secret "
		    "makes a new one):\n%s\n", a.name, a.slug, a.url,
		    a.o.full ? "full" : "summary",
		    a.o.allow_private ? ", private addresses allowed" : "",
		    secret);
	}
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

/* ---- partner list ---- */

static int
list(struct cli *cli, int argc, char **argv)
{
	struct store_partner	*v;
	size_t			 n, k;
	int64_t			 cid;
	char			 until[32];
	int			 i;

	if (cli_wants_help(&cli_partner_cmds[CMD_LIST], argc, argv))
		return 0;
	if ((i = parse(CMD_LIST, argc, argv, no_opts, 1, NULL, NULL)) == -1)
		return 1;
	if (campaign(cli, argv[i], &cid) != 0)
		return 1;
	if (store_partners(cli->store, cid, store_now_ms(), &v, &n) == -1)
		return cli_fail("cannot read the partners");
	if (n == 0)
		printf("campaign %s has no partners\n", argv[i]);
	for (k = 0; k < n; k++) {
		printf("%s\t%s\t%s\tpending %" PRId64 "\tdelivered %" PRId64
		    "\tfailed %" PRId64 "\t%s\n", v[k].name,
		    v[k].active ? "active" : "disabled", v[k].detail,
		    v[k].npending, v[k].ndelivered, v[k].nfailed, v[k].url);
		if (!v[k].active)
			printf("\tdisabled: %s\n", *v[k].disabled_reason ?
			    v[k].disabled_reason : "(no reason given)");
		if (v[k].previous_secret != NULL) {
			iso_ms(v[k].previous_until, until);
			printf("\tthe previous secret also signs until %s\n",
			    until);
		}
		if (v[k].allow_private)
			printf("\tprivate addresses allowed\n");
	}
	store_partners_free(v, n);
	return 0;
}

/* ---- partner disable / enable ---- */

struct state_txn {
	int64_t		 partner_id;
	bool		 enable;
};

static int
state_txn(struct store *s, void *arg)
{
	struct state_txn	*t = arg;
	char			 object[PARTNER_OBJECT_SZ];

	if (t->enable) {
		if (store_partner_enable(s, t->partner_id,
		    store_now_ms()) == -1)
			return -1;
	} else if (store_partner_disable(s, t->partner_id,
	    STORE_PARTNER_DISABLED_BY_HAND) == -1)
		return -1;
	partner_object(object, t->partner_id);
	return store_audit(s, "cli", t->enable ? "partner.enable" :
	    "partner.disable", object, "");
}

static int
set_state(struct cli *cli, enum cmd c, int argc, char **argv)
{
	struct store_partner	 p;
	struct state_txn	 t;
	int			 i, rc;

	if (cli_wants_help(&cli_partner_cmds[c], argc, argv))
		return 0;
	if ((i = parse(c, argc, argv, no_opts, 2, NULL, NULL)) == -1)
		return 1;
	if (partner(cli, argv[i], argv[i + 1], &p) != 0)
		return 1;
	t.partner_id = p.id;
	t.enable = c == CMD_ENABLE;
	if (store_write(cli->store, state_txn, &t) != 0)
		rc = cli_fail("cannot change the partner");
	else {
		rc = 0;
		printf("partner \"%s\" of campaign %s %s\n", p.name, argv[i],
		    t.enable ? (p.npending > 0 ? "enabled; its waiting "
		    "deliveries are due now" : "enabled") : "disabled");
	}
	store_partner_free(&p);
	return rc;
}

static int
disable(struct cli *cli, int argc, char **argv)
{
	return set_state(cli, CMD_DISABLE, argc, argv);
}

static int
enable(struct cli *cli, int argc, char **argv)
{
	return set_state(cli, CMD_ENABLE, argc, argv);
}

/* ---- partner rotate-secret ---- */

struct rotate_txn {
	int64_t		 partner_id;
	const char	*secret;
	int64_t		 until;
};

static int
rotate_txn(struct store *s, void *arg)
{
	struct rotate_txn	*t = arg;
	char			 object[PARTNER_OBJECT_SZ];

	if (store_partner_rotate(s, t->partner_id, t->secret, t->until) == -1)
		return -1;
	partner_object(object, t->partner_id);
	return store_audit(s, "cli", "partner.rotate-secret", object, "");
}

static int
rotate(struct cli *cli, int argc, char **argv)
{
	struct store_partner	 p;
	struct rotate_txn	 t;
	char			 secret[WEBHOOK_SECRET_MAX], until[32];
	int			 i, rc;

	if (cli_wants_help(&cli_partner_cmds[CMD_ROTATE], argc, argv))
		return 0;
	if ((i = parse(CMD_ROTATE, argc, argv, no_opts, 2, NULL, NULL)) == -1)
		return 1;
	if (partner(cli, argv[i], argv[i + 1], &p) != 0)
		return 1;
	if (webhook_secret_new(secret) == -1) {
		store_partner_free(&p);
		return cli_fail("cannot make a secret (libsodium)");
	}
	t.partner_id = p.id;
	t.secret = secret;
	t.until = store_now_ms() + WEBHOOK_ROTATE_OVERLAP_MS;
	iso_ms(t.until, until);
	if (store_write(cli->store, rotate_txn, &t) != 0)
		rc = cli_fail("cannot rotate the secret");
	else {
		rc = 0;
		printf("new secret for partner \"%s\" of campaign %s; the "
		    "previous one also signs until %s:\n%s\n", p.name,
		    argv[i], until, secret);
	}
	sodium_memzero(secret, sizeof(secret));
	store_partner_free(&p);
	return rc;
}

/* ---- partner redeliver ---- */

struct redeliver_txn {
	int64_t		 partner_id;
	const char	*event_id;	/* or */
	const char	*since;
	int64_t		 n;
};

static int
redeliver_txn(struct store *s, void *arg)
{
	struct redeliver_txn	*t = arg;
	char			 object[PARTNER_OBJECT_SZ];
	int			 rc;

	if (t->event_id != NULL) {
		if ((rc = store_redeliver(s, t->partner_id, t->event_id,
		    store_now_ms())) != 0)
			return rc;
		t->n = 1;
	} else if (store_redeliver_failed(s, t->partner_id, t->since,
	    store_now_ms(), &t->n) == -1)
		return -1;
	partner_object(object, t->partner_id);
	return store_audit(s, "cli", "partner.redeliver", object,
	    t->event_id != NULL ? t->event_id : t->since);
}

static int
since_opt(int ch, const char *arg, void *ctx)
{
	const char	**since = ctx;

	*since = arg;
	return 0;
}

static int
redeliver(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "failed-since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_partner	 p;
	struct redeliver_txn	 t;
	const char		*since = NULL;
	int			 i, rc, npos;

	if (cli_wants_help(&cli_partner_cmds[CMD_REDELIVER], argc, argv))
		return 0;
	/* EVENT_ID, or --failed-since: look ahead for the option. */
	npos = 3;
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--failed-since", 14) == 0)
			npos = 2;
	if ((i = parse(CMD_REDELIVER, argc, argv, opts, npos, since_opt,
	    &since)) == -1)
		return 1;
	if (since != NULL && !webhook_time_ok(since))
		return cli_fail("--failed-since wants an ISO 8601 UTC time "
		    "such as 2025-01-31 or 2025-01-31T12:00:00Z, not \"%s\"",
		    since);
	if (partner(cli, argv[i], argv[i + 1], &p) != 0)
		return 1;
	memset(&t, 0, sizeof(t));
	t.partner_id = p.id;
	t.event_id = since == NULL ? argv[i + 2] : NULL;
	t.since = since;
	rc = store_write(cli->store, redeliver_txn, &t);
	if (rc == 1)
		rc = cli_fail("campaign \"%s\" has no event \"%s\"", argv[i],
		    t.event_id);
	else if (rc != 0)
		rc = cli_fail("cannot schedule the redelivery");
	else if (t.event_id != NULL)
		printf("event %s will be sent to partner \"%s\" again%s\n",
		    t.event_id, p.name, p.active ? "" :
		    " once the partner is enabled");
	else
		printf("%" PRId64 " failed event%s will be sent to partner "
		    "\"%s\" again%s\n", t.n, t.n == 1 ? "" : "s", p.name,
		    p.active ? "" : " once the partner is enabled");
	store_partner_free(&p);
	return rc;
}

/* ---- partner log ---- */

static int
limit_opt(int ch, const char *arg, void *ctx)
{
	long	*limit = ctx;
	char	*end;

	errno = 0;
	*limit = strtol(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || *limit < 1 ||
	    *limit > LOG_LIMIT_MAX) {
		cli_fail("--limit is a number from 1 to %d", LOG_LIMIT_MAX);
		return -1;
	}
	return 0;
}

static int
show_log(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_partner	 p;
	struct store_attempt	*v;
	size_t			 n, k;
	long			 limit = STORE_ATTEMPTS_SHOWN;
	int			 i;

	if (cli_wants_help(&cli_partner_cmds[CMD_LOG], argc, argv))
		return 0;
	if ((i = parse(CMD_LOG, argc, argv, opts, 2, limit_opt, &limit)) == -1)
		return 1;
	if (partner(cli, argv[i], argv[i + 1], &p) != 0)
		return 1;
	if (store_attempts(cli->store, p.id, (size_t)limit, &v, &n) == -1) {
		store_partner_free(&p);
		return cli_fail("cannot read the delivery log");
	}
	if (n == 0)
		printf("no delivery attempts to partner \"%s\" yet\n", p.name);
	for (k = 0; k < n; k++) {
		if (v[k].status > 0)
			printf("%s\t%s\t%s\tHTTP %d\t%" PRId64 " ms%s%s\n",
			    v[k].at, v[k].event_id, v[k].type, v[k].status,
			    v[k].latency_ms, *v[k].error ? "\t" : "",
			    v[k].error);
		else
			printf("%s\t%s\t%s\t%s\t%" PRId64 " ms\n", v[k].at,
			    v[k].event_id, v[k].type, v[k].error,
			    v[k].latency_ms);
		if (*v[k].body != '\0')
			printf("\tresponse: %.200s\n", v[k].body);
	}
	store_attempts_free(v, n);
	store_partner_free(&p);
	return 0;
}

/* ---- partner test ---- */

struct test_txn {
	int64_t		 partner_id;
	const char	*event_id;
	const char	*payload;
};

static int
test_txn(struct store *s, void *arg)
{
	struct test_txn	*t = arg;

	return store_partner_test(s, t->partner_id, t->event_id, t->payload,
	    store_now_ms());
}

static int
test(struct cli *cli, int argc, char **argv)
{
	struct store_partner	 p;
	struct test_txn		 t;
	char			 id[STORE_EVENT_ID_MAX], at[32], *payload;
	int			 i, rc = 1;

	if (cli_wants_help(&cli_partner_cmds[CMD_TEST], argc, argv))
		return 0;
	if ((i = parse(CMD_TEST, argc, argv, no_opts, 2, NULL, NULL)) == -1)
		return 1;
	if (partner(cli, argv[i], argv[i + 1], &p) != 0)
		return 1;
	store_event_id_new(id);
	store_now(at);
	if ((payload = outbox_test_payload(argv[i], p.name, id, at)) ==
	    NULL) {
		cli_fail("cannot build the test event");
		goto out;
	}
	t.partner_id = p.id;
	t.event_id = id;
	t.payload = payload;
	if (store_write(cli->store, test_txn, &t) != 0) {
		cli_fail("cannot write the test event");
		goto out;
	}
	printf("test event %s queued for partner \"%s\"%s\n", id, p.name,
	    p.active ? "" : " (it is disabled: enable it to send)");
	rc = 0;
out:
	free(payload);
	store_partner_free(&p);
	return rc;
}
