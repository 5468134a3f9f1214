/*
 * cli/admin: keyfield coordinator add, campaign close and campaign open.
 * Never takes a password from the command line (it would show in ps and
 * the shell history) and never prints one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/auth.h"
#include "base/buf.h"
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

struct coordinator {
	const char	*username;
	char		 hash[128];
};

static int
coordinator_txn(struct store *s, void *arg)
{
	struct coordinator	*c = arg;
	char			 object[96];
	int			 rc;

	if ((rc = store_coordinator_add(s, c->username, c->hash)) != 0)
		return rc;
	if (buf_fmt(object, sizeof(object), "coordinator:%s",
	    c->username) == -1) {
		log_err("coordinator add: the audit object of %s is longer "
		    "than %zu bytes", c->username, sizeof(object) - 1);
		return -1;
	}
	return store_audit(s, "cli", "coordinator.add", object, "");
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
	struct coordinator	 c;
	char			 pw[AUTH_PASSWORD_MAX + 2];
	int			 rc;

	if (argc != 2)
		return cli_fail("usage: keyfield coordinator add USER "
		    "(password on standard input)");
	memset(&c, 0, sizeof(c));
	c.username = argv[1];
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
	printf("coordinator %s added\n", c.username);
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
	{ "coordinator add", cmd_coordinator_add, "USER",
	    "Add a console account; reads its password ("
	    AUTH_PASSWORD_RULE ") from the first line of standard input." },
	{ "campaign close", cmd_campaign_close, "SLUG",
	    "Close a campaign: experts can read their cards but not change "
	    "them." },
	{ "campaign open", cmd_campaign_open, "SLUG",
	    "Reopen a closed campaign." },
	{ NULL, NULL, NULL, NULL },
};
