/*
 * cli/admin: keyfield coordinator add, grant, revoke and list, campaign
 * close and campaign open. Never takes a password from the command line
 * (it would show in ps and the shell history) and never prints one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/auth.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/log.h"
#include "cli/cli.h"
#include "app/outbox.h"
#include "base/req.h"
#include "store/campaigns.h"
#include "store/responses.h"
#include "store/sessions.h"
#include "store/store.h"

static bool
username_ok(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > AUTH_USER_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("._-@", *s) != NULL))
			return false;
	return true;
}

/*
 * The code of a language the console has ("DE" -> "de"), or NULL after
 * saying which it has.
 */
static const char *
lang_code(const char *code)
{
	if (i18n_known(code))
		return i18n_code(i18n_lang(code));
	cli_fail("the console has no language \"%s\": it has en%s%s", code,
	    i18n_sources[0].code != NULL ? ", " : "",
	    i18n_sources[0].code != NULL ? i18n_sources[0].code : "");
	return NULL;
}

struct coordinator {
	const char	*username;
	char		 hash[128];
	bool		 admin;
	const char	*lang;		/* her console's; NULL: not chosen */
};

/* The audit object "coordinator:USER" into object[96]: 0 or -1. */
static int
coordinator_object(char *object, size_t objectsz, const char *username)
{
	if (buf_fmt(object, objectsz, "coordinator:%s", username) == -1) {
		log_err("coordinator: the audit object of %s is longer than "
		    "%zu bytes", username, objectsz - 1);
		return -1;
	}
	return 0;
}

static int
coordinator_txn(struct store *s, void *arg)
{
	struct coordinator	*c = arg;
	char			 object[96];
	int			 rc;

	if ((rc = store_coordinator_add(s, c->username, c->hash,
	    c->admin)) != 0)
		return rc;
	if (c->lang != NULL &&
	    store_coordinator_lang_set(s, c->username, c->lang) != 0)
		return -1;
	if (coordinator_object(object, sizeof(object), c->username) == -1)
		return -1;
	return store_audit(s, "cli", "coordinator.add", object,
	    c->admin ? "administrator" : "");
}

/* The first line of stdin, without its line end, into pw. 0 or 1. */
static int
read_password(char *pw, size_t pwsz)
{
	size_t	 n;

	if (fgets(pw, (int)pwsz, stdin) == NULL)
		return cli_fail("give the password on standard input, for "
		    "example: printf '%%s\\n' 'a long password' | keyfield "
		    "coordinator add ana");
	n = strcspn(pw, "\r\n");
	if (pw[n] == '\0' && n == pwsz - 1)
		return cli_fail("the password is longer than %d bytes",
		    AUTH_PASSWORD_MAX);
	pw[n] = '\0';
	if (n == 0)
		return cli_fail("the password is empty");
	if (n < AUTH_PASSWORD_MIN)
		return cli_fail("the password is too short: use "
		    AUTH_PASSWORD_RULE);
	if (!req_utf8_valid(pw, n))
		return cli_fail("the password is not valid UTF-8");
	return 0;
}

static int
cmd_coordinator_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "admin", no_argument, NULL, 'a' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct coordinator	 c;
	char			 pw[AUTH_PASSWORD_MAX + 2];
	bool			 bad = false;
	int			 rc, ch;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch == 'a')
			c.admin = true;
		else if (ch == 'l')
			c.lang = optarg;
		else
			bad = true;
	if (bad || argc - optind != 1)
		return cli_fail("usage: keyfield coordinator add [--admin] "
		    "[--lang CODE] USER (password on standard input)");
	if (c.lang != NULL && (c.lang = lang_code(c.lang)) == NULL)
		return 1;
	c.username = argv[optind];
	if (!username_ok(c.username))
		return cli_fail("username \"%s\": " AUTH_USER_RULE,
		    c.username);
	rc = read_password(pw, sizeof(pw));
	if (rc == 0 && auth_password_hash(pw, c.hash, sizeof(c.hash)) == -1)
		rc = cli_fail("cannot hash the password (out of memory?)");
	sodium_memzero(pw, sizeof(pw));
	if (rc != 0)
		return rc;
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_write(cli->store, coordinator_txn, &c)) != 0)
		return cli_fail("coordinator %s: %s", c.username, rc == 1 ?
		    "exists already" : "failed (see the log above)");
	printf("coordinator %s added%s\n", c.username, c.admin ?
	    " (administrator)" : "");
	return 0;
}

struct grant {
	const char	*username, *slug;
	enum store_role	 role;		/* STORE_ROLE_NONE: revoke */
};

/* grant or revoke: 0; 1 (revoke) when she had none; 2, 3 unknown; -1. */
static int
grant_txn(struct store *s, void *arg)
{
	struct grant		*g = arg;
	struct store_coordinator c;
	char			 object[96];
	int64_t			 campaign_id;
	int			 rc;

	if ((rc = store_coordinator_get(s, g->username, &c)) != 0)
		return rc == 1 ? 2 : -1;
	if ((rc = store_campaign_id(s, g->slug, &campaign_id)) != 0)
		return rc == 1 ? 3 : -1;
	if (g->role == STORE_ROLE_NONE)
		rc = store_role_revoke(s, c.id, campaign_id);
	else
		rc = store_role_set(s, c.id, campaign_id, g->role);
	if (rc != 0)
		return rc;
	if (coordinator_object(object, sizeof(object), g->username) == -1)
		return -1;
	return store_audit(s, "cli", g->role == STORE_ROLE_NONE ?
	    "coordinator.revoke" : "coordinator.grant", object, g->slug);
}

static int
grant_write(struct cli *cli, struct grant *g)
{
	int	 rc;

	if (cli_store(cli) == NULL)
		return 1;
	rc = store_write(cli->store, grant_txn, g);
	if (rc == 2)
		return cli_fail("no coordinator \"%s\"", g->username);
	if (rc == 3)
		return cli_fail("no campaign \"%s\"", g->slug);
	if (rc == 1)
		return cli_fail("%s has no role in %s", g->username, g->slug);
	if (rc != 0)
		return cli_fail("coordinator %s: failed (see the log above)",
		    g->username);
	if (g->role == STORE_ROLE_NONE)
		printf("%s no longer has a role in %s\n", g->username,
		    g->slug);
	else
		printf("%s is %s of %s\n", g->username,
		    store_role_name(g->role), g->slug);
	return 0;
}

static int
cmd_coordinator_grant(struct cli *cli, int argc, char **argv)
{
	struct grant	 g;

	if (argc != 4)
		return cli_fail("usage: keyfield coordinator grant USER SLUG "
		    "owner|viewer");
	g.username = argv[1];
	g.slug = argv[2];
	g.role = store_role_parse(argv[3]);
	if (g.role == STORE_ROLE__MAX || g.role == STORE_ROLE_NONE)
		return cli_fail("role \"%s\": a role is owner or viewer",
		    argv[3]);
	return grant_write(cli, &g);
}

static int
cmd_coordinator_revoke(struct cli *cli, int argc, char **argv)
{
	struct grant	 g;

	if (argc != 3)
		return cli_fail("usage: keyfield coordinator revoke USER SLUG");
	g.username = argv[1];
	g.slug = argv[2];
	g.role = STORE_ROLE_NONE;
	return grant_write(cli, &g);
}

struct set_admin {
	const char	*username;
	bool		 admin;
};

static int
set_admin_txn(struct store *s, void *arg)
{
	struct set_admin	*a = arg;
	char			 object[96];
	int			 rc;

	if ((rc = store_coordinator_set_admin(s, a->username, a->admin)) != 0)
		return rc;
	if (coordinator_object(object, sizeof(object), a->username) == -1)
		return -1;
	return store_audit(s, "cli", "coordinator.admin", object,
	    a->admin ? "on" : "off");
}

static int
cmd_coordinator_admin(struct cli *cli, int argc, char **argv)
{
	struct set_admin	 a;
	int			 rc;

	if (argc != 3 || (strcmp(argv[2], "on") != 0 &&
	    strcmp(argv[2], "off") != 0))
		return cli_fail("usage: keyfield coordinator admin USER on|off");
	a.username = argv[1];
	a.admin = strcmp(argv[2], "on") == 0;
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_write(cli->store, set_admin_txn, &a)) == 1)
		return cli_fail("no coordinator \"%s\"", a.username);
	if (rc != 0)
		return cli_fail("coordinator %s: failed (see the log above)",
		    a.username);
	printf("%s is %san administrator\n", a.username, a.admin ? "" :
	    "not ");
	return 0;
}

struct set_lang {
	const char	*username;
	const char	*lang;		/* NULL: not chosen (auto) */
};

static int
set_lang_txn(struct store *s, void *arg)
{
	struct set_lang	*l = arg;
	char		 object[96];
	int		 rc;

	if ((rc = store_coordinator_lang_set(s, l->username, l->lang)) != 0)
		return rc;
	if (coordinator_object(object, sizeof(object), l->username) == -1)
		return -1;
	return store_audit(s, "cli", "coordinator.lang", object,
	    l->lang != NULL ? l->lang : "auto");
}

static int
cmd_coordinator_lang(struct cli *cli, int argc, char **argv)
{
	struct set_lang	 l;
	int		 rc;

	if (argc != 3)
		return cli_fail("usage: keyfield coordinator lang USER "
		    "CODE|auto");
	l.username = argv[1];
	l.lang = NULL;
	if (strcmp(argv[2], "auto") != 0 &&
	    (l.lang = lang_code(argv[2])) == NULL)
		return 1;
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_write(cli->store, set_lang_txn, &l)) == 1)
		return cli_fail("no coordinator \"%s\"", l.username);
	if (rc != 0)
		return cli_fail("coordinator %s: failed (see the log above)",
		    l.username);
	printf("%s's console is in %s\n", l.username, l.lang != NULL ?
	    l.lang : "her browser's language (auto)");
	return 0;
}

static int
list_row(void *arg, const struct store_coordinator_role *r)
{
	(void)arg;
	printf("%s %s%s%s%s\n", r->username, r->admin ? "administrator" :
	    *r->slug != '\0' ? r->slug : "(no campaign)",
	    !r->admin && *r->role != '\0' ? " " : "",
	    r->admin ? "" : r->role, r->disabled ? " (disabled)" : "");
	return 0;
}

static int
cmd_coordinator_list(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_fail("usage: keyfield coordinator list");
	if (cli_store(cli) == NULL)
		return 1;
	if (store_coordinator_roles(cli->store, list_row, NULL) != 0)
		return cli_fail("coordinator list: failed (see the log above)");
	return 0;
}

struct state {
	const char	*slug;
	const char	*base_url;
	bool		 open;
};

static int
state_txn(struct store *s, void *arg)
{
	struct state	*st = arg;
	struct store_campaign c;
	char		 object[96];
	int64_t		 id;
	int		 rc;

	if ((rc = store_campaign_id(s, st->slug, &id)) != 0)
		return rc == 1 ? 2 : -1;
	if ((rc = store_campaign_set_open(s, id, st->open)) != 0)
		return rc;
	/* campaign.closed, in this transaction. */
	if (!st->open && (store_campaign_get(s, st->slug, &c) != 0 ||
	    outbox_closed_add(s, &c, st->base_url) == -1))
		return -1;
	if (buf_fmt(object, sizeof(object), "campaign:%s", st->slug) == -1) {
		log_err("campaign: the audit object of %s is longer than %zu "
		    "bytes", st->slug, sizeof(object) - 1);
		return -1;
	}
	return store_audit(s, "cli", st->open ? "campaign.open" :
	    "campaign.close", object, "");
}

static int
set_state(struct cli *cli, int argc, char **argv, bool open)
{
	struct state	 st;
	int		 rc;

	if (argc != 2)
		return cli_fail("usage: keyfield campaign %s SLUG",
		    open ? "open" : "close");
	st.slug = argv[1];
	st.base_url = cli->base_url;
	st.open = open;
	if (cli_store(cli) == NULL)
		return 1;
	rc = store_write(cli->store, state_txn, &st);
	if (rc == 2)
		return cli_fail("no campaign \"%s\"", st.slug);
	if (rc == -1)
		return cli_fail("campaign %s: failed (see the log above)",
		    st.slug);
	printf("campaign %s is %s%s\n", st.slug, rc == 1 ? "already " : "",
	    open ? "open" : "closed");
	return 0;
}

static int
cmd_campaign_close(struct cli *cli, int argc, char **argv)
{
	return set_state(cli, argc, argv, false);
}

static int
cmd_campaign_open(struct cli *cli, int argc, char **argv)
{
	return set_state(cli, argc, argv, true);
}

const struct cli_cmd cli_admin_cmds[] = {
	{ "coordinator add", cmd_coordinator_add,
	    "[--admin] [--lang CODE] USER",
	    "Add a console account; reads its password ("
	    AUTH_PASSWORD_RULE ") from the first line of standard input. "
	    "An administrator (--admin) sees and manages every campaign; "
	    "anyone else only those she is granted. --lang sets the "
	    "console's language for her (en, de)." },
	{ "coordinator grant", cmd_coordinator_grant, "USER SLUG owner|viewer",
	    "Give a coordinator a role in a campaign: owner (everything in "
	    "it) or viewer (reads; changes nothing)." },
	{ "coordinator revoke", cmd_coordinator_revoke, "USER SLUG",
	    "Take a coordinator's role in a campaign away." },
	{ "coordinator admin", cmd_coordinator_admin, "USER on|off",
	    "Make a coordinator an administrator (on) or take it away "
	    "(off): then she sees only the campaigns she is granted." },
	{ "coordinator lang", cmd_coordinator_lang, "USER CODE|auto",
	    "Set a coordinator's console language (en, de), or auto: her "
	    "browser's, as before she chose one." },
	{ "coordinator list", cmd_coordinator_list, "",
	    "List the coordinators with their roles, one line a role." },
	{ "campaign close", cmd_campaign_close, "SLUG",
	    "Close a campaign: experts can read their cards but not change "
	    "them." },
	{ "campaign open", cmd_campaign_open, "SLUG",
	    "Reopen a closed campaign." },
	{ NULL, NULL, NULL, NULL },
};
