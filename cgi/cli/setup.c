/*
 * cli/setup: keyfield init, form check/import, campaign, field and expert
 * add. Never writes half a command: each runs in one transaction.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/auth.h"
#include "base/buf.h"
#include "app/campaign.h"
#include "app/expert.h"
#include "app/lang.h"
#include "app/mailq.h"
#include "cli/cli.h"
#include "base/form.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/req.h"
#include "store/campaigns.h"
#include "store/experts.h"
#include "store/forms.h"
#include "store/responses.h"
#include "store/store.h"

#define CLI_FIELDS_MAX	2000	/* key fields of a campaign (as the console) */

#ifndef FORMSDIR
#define FORMSDIR "/usr/local/share/keyfield/forms"
#endif

static struct form *
check_file(const char *path, char **text)
{
	struct form_errors	 errs;
	struct form		*f;
	char			 rule[48];
	int			 cut;

	cut = buf_fmt(rule, sizeof(rule), "larger than %d bytes",
	    FORM_DEFINITION_MAX);
	assert(cut == 0);
	(void)cut;
	if ((*text = cli_slurp(path, FORM_DEFINITION_MAX, rule)) == NULL)
		return NULL;
	if ((f = form_load(*text, strlen(*text), &errs)) == NULL) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s: %s: %s\n", path, errs.v[i].path,
			    errs.v[i].message);
		free(*text);
		*text = NULL;
	}
	return f;
}

/* Each translation f lacks on stderr, by JSON path: their number. */
static size_t
missing_report(const char *path, const struct form *f)
{
	struct form_errors	 errs;
	size_t			 n = form_missing(f, &errs);

	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s: %s: %s\n", path, errs.v[i].path,
		    errs.v[i].message);
	if (n > errs.n)
		fprintf(stderr, "%s: and %zu more\n", path, n - errs.n);
	return n;
}

static int
cmd_form_check(struct cli *cli, int argc, char **argv)
{
	struct form	*f;
	char		*text;
	size_t		 n;
	int		 rc = 0;

	if (argc != 2)
		return cli_fail("usage: keyfield form check FILE");
	if ((f = check_file(argv[1], &text)) == NULL)
		return 1;
	if ((n = missing_report(argv[1], f)) > 0)
		rc = cli_fail("%s: form %s version %d lacks %zu translation%s "
		    "(listed above)", argv[1], f->name, f->version, n,
		    n == 1 ? "" : "s");
	else
		printf("%s: form %s version %d is valid\n", argv[1], f->name,
		    f->version);
	form_free(f);
	free(text);
	return rc;
}

struct import {
	const struct form	*form;
	const char		*text;
	int			 result;
	int64_t			 id;
};

static int
import_txn(struct store *s, void *arg)
{
	struct import	*im = arg;
	char		 object[64];

	im->result = store_form_import(s, im->form->name, im->form->version,
	    im->text, &im->id);
	if (im->result == -1)
		return -1;
	if (im->result == 1)
		return 1;
	if (buf_fmt(object, sizeof(object), "form:%s:%d", im->form->name,
	    im->form->version) == -1) {
		log_err("form import: the audit object of %s is longer than "
		    "%zu bytes", im->form->name, sizeof(object) - 1);
		return -1;
	}
	return store_audit(s, "cli", "form.import", object, "");
}

/*
 * Check and import the definition in path; one that lacks translations
 * only with allow_incomplete (listed, as a warning then). 0 or 1.
 */
static int
import_file(struct cli *cli, const char *path, bool allow_incomplete)
{
	struct import	 im = { 0 };
	struct form	*f;
	char		*text;
	size_t		 n;
	int		 rc;

	if ((f = check_file(path, &text)) == NULL)
		return 1;
	if ((n = missing_report(path, f)) > 0 && !allow_incomplete) {
		cli_fail("%s: form %s version %d lacks %zu translation%s "
		    "(listed above): add them, or import it with "
		    "--allow-incomplete", path, f->name, f->version, n,
		    n == 1 ? "" : "s");
		form_free(f);
		free(text);
		return 1;
	}
	im.form = f;
	im.text = text;
	rc = cli_store(cli) == NULL ? -1 : store_write(cli->store, import_txn,
	    &im);
	if (rc == 1)
		cli_fail("%s: form %s version %d is already imported with a "
		    "different definition: raise its \"version\"", path,
		    f->name, f->version);
	else if (rc == -1)
		cli_fail("%s: import failed", path);
	else
		printf("form %s version %d imported\n", f->name, f->version);
	form_free(f);
	free(text);
	return rc == 0 ? 0 : 1;
}

static int
cmd_form_import(struct cli *cli, int argc, char **argv)
{
	static const char	 flag[] = "--allow-incomplete";
	int			 at = 0;	/* the flag's place, before or
						 * after FILE */

	if (argc == 3)
		at = strcmp(argv[1], flag) == 0 ? 1 :
		    strcmp(argv[2], flag) == 0 ? 2 : 0;
	if (argc != 2 && at == 0)
		return cli_fail("usage: keyfield form import "
		    "[--allow-incomplete] FILE");
	return import_file(cli, argv[at == 1 ? 2 : 1], at != 0);
}

static int
cmd_init(struct cli *cli, int argc, char **argv)
{
	const char	*dir = cli->forms_dir;
	struct dirent	**names;
	char		 path[4096];
	int		 n, rc = 0;

	if (argc != 1)
		return cli_fail("usage: keyfield init");
	cli->create_key = true;
	if (cli_store(cli) == NULL)
		return 1;
	if (dir == NULL || *dir == '\0')
		dir = access(FORMSDIR, R_OK) == 0 ? FORMSDIR : "forms";
	if ((n = scandir(dir, &names, NULL, alphasort)) == -1)
		return cli_fail("%s: %s (set KEYFIELD_FORMS to the forms "
		    "folder)", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 5 &&
		    strcmp(names[i]->d_name + len - 5, ".json") == 0) {
			if (buf_fmt(path, sizeof(path), "%s/%s", dir,
			    names[i]->d_name) == -1)
				rc = cli_fail("%s/%s: the path is longer than "
				    "%zu bytes", dir, names[i]->d_name,
				    sizeof(path) - 1);
			else if (import_file(cli, path, false) != 0)
				rc = 1;
		}
		free(names[i]);
	}
	free(names);
	if (rc == 0)
		printf("database %s ready (schema version %d, SQLite %s)\n",
		    cli->db_path, store_schema_version(cli->store),
		    store_sqlite_version());
	return rc;
}

/* ---- checks of command-line values ---- */

/* ---- campaign, field, expert ---- */

static int
cmd_campaign_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "form", required_argument, NULL, 'f' },
		{ "cities", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct campaign_new	*c;
	const char		*cities = NULL, *title = NULL;
	const char		*form = "keyfield", *bad;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 't': title = optarg; break;
		case 'f': form = optarg; break;
		case 'c': cities = optarg; break;
		default: return cli_fail("see keyfield campaign add --help");
		}
	if (optind + 1 != argc || title == NULL || cities == NULL)
		return cli_fail("usage: keyfield campaign add SLUG "
		    "--title TEXT --form NAME --cities \"CODE=Name,...\"");
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return cli_fail("out of memory");
	c->slug = argv[optind];
	c->title = title;
	c->form = form;
	if ((bad = campaign_check(c, cities, ",")) != NULL)
		rc = cli_fail("campaign %s: %s", c->slug, tr(CLI_LANG, bad));
	else if (cli_store(cli) == NULL)
		rc = 1;
	else if ((rc = campaign_create(cli->store, c, "cli", &bad)) != 0)
		rc = cli_fail("campaign %s: %s", c->slug,
		    bad != NULL ? tr(CLI_LANG, bad) : "failed (see the log above)");
	else
		printf("campaign %s added with %zu cities\n", c->slug,
		    c->ncities);
	free(c);
	return rc;
}

struct field {
	const char	*slug, *code, *title;
	const char	*problem;
};

static int
field_txn(struct store *s, void *arg)
{
	struct field	*f = arg;
	int64_t		 cid, fid;
	char		 object[96];
	int		 rc;

	if ((rc = store_campaign_id(s, f->slug, &cid)) != 0) {
		f->problem = "no such campaign";
		return rc;
	}
	if ((rc = store_field_add(s, cid, f->code, f->title, &fid)) != 0) {
		f->problem = "this campaign has a key field with this code";
		return rc;
	}
	if (buf_fmt(object, sizeof(object), "field:%s:%s", f->slug,
	    f->code) == -1) {
		log_err("field add: the audit object of %s is longer than "
		    "%zu bytes", f->code, sizeof(object) - 1);
		return -1;
	}
	return store_audit(s, "cli", "field.add", object, f->title);
}

static int
cmd_field_add(struct cli *cli, int argc, char **argv)
{
	struct field	 f;

	if (argc != 4)
		return cli_fail("usage: keyfield field add SLUG CODE TITLE");
	f = (struct field){ .slug = argv[1], .code = argv[2],
	    .title = argv[3] };
	if (!campaign_field_code_ok(f.code))
		return cli_fail("code \"%s\": %s", f.code,
		    CAMPAIGN_FIELD_CODE_RULE);
	if (!req_text_ok(f.title, CAMPAIGN_TEXT_MAX))
		return cli_fail("title: " CAMPAIGN_TEXT_RULE);
	if (cli_store(cli) == NULL)
		return 1;
	if (store_write(cli->store, field_txn, &f) != 0)
		return cli_fail("key field %s: %s", f.code,
		    f.problem ? f.problem : "failed (see the log above)");
	printf("key field %s added to %s\n", f.code, f.slug);
	return 0;
}

struct expert {
	const char	*slug, *name, *email;
	const char	*lang;		/* --lang, or NULL */
	char		*fields;
	unsigned char	 hash[AUTH_HASH_BYTES];
	char		 problem[EXPERT_PROBLEM_SZ];
	const struct conf *conf;	/* NULL: no invitation mail */
	const char	*base_url, *token;	/* ... its link */
	const char	*unsent;	/* why the mail is not queued */
};

/* The problem of a code that names no key field of the campaign. */
static void
field_unknown(struct expert *e, const char *code)
{
	/* A code's bytes are shown only when they are few enough to fit. */
	if (!campaign_field_code_ok(code))
		(void)buf_fmt(e->problem, sizeof(e->problem), "\"%s\" is no "
		    "key field code: a code is " CAMPAIGN_FIELD_CODE_RULE ".",
		    strlen(code) > CAMPAIGN_FIELD_CODE_MAX ? "..." : code);
	else
		(void)buf_fmt(e->problem, sizeof(e->problem), "no key field "
		    "\"%s\" in this campaign", code);
}

/* Add e with the key fields of its list, in the caller's transaction. */
static int
expert_in_txn(struct store *s, struct expert *e, int64_t cid,
    struct store_field *known, size_t nknown)
{
	int64_t		 eid, ids[EXPERT_FIELDS_MAX];
	const char	*unknown;
	char		 object[sizeof("expert:-9223372036854775808")];
	size_t		 n;
	int		 rc;

	if ((unknown = expert_codes(e->fields, known, nknown, ids, &n)) !=
	    NULL) {
		field_unknown(e, unknown);
		return 1;
	}
	if ((rc = expert_add(s, cid, e->name, e->email, e->hash, &eid,
	    e->problem, sizeof(e->problem), i18n_from_env())) != 0)
		return rc;
	if (e->lang != NULL && (rc = lang_expert_set(s, cid, eid, e->lang,
	    e->problem, sizeof(e->problem))) != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (store_assign(s, eid, ids[i]) == -1)
			return -1;
	/* object holds "expert:" and the longest id: nothing can be cut. */
	if (buf_fmt(object, sizeof(object), "expert:%" PRId64, eid) == -1)
		return -1;
	e->unsent = NULL;
	if (e->conf != NULL && mailq_invitation(s, e->conf, e->base_url,
	    MAILQ_INVITATION, cid, eid, e->token, &e->unsent) == -1)
		return -1;
	return store_audit(s, "cli", "expert.add", object, e->name);
}

static int
expert_txn(struct store *s, void *arg)
{
	struct expert		*e = arg;
	struct store_field	*known;
	char			*copy;
	size_t			 nknown;
	int64_t			 cid;
	int			 rc;

	if ((rc = store_campaign_id(s, e->slug, &cid)) != 0) {
		(void)buf_fmt(e->problem, sizeof(e->problem),
		    "no such campaign");
		return rc;
	}
	if ((known = store_fields(s, cid, CLI_FIELDS_MAX, &nknown)) == NULL)
		return -1;
	if ((copy = strdup(e->fields)) == NULL)
		rc = -1;
	else {
		char *keep = e->fields;

		e->fields = copy;
		rc = expert_in_txn(s, e, cid, known, nknown);
		e->fields = keep;
	}
	free(copy);
	free(known);
	return rc;
}

static int
cmd_expert_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "fields", required_argument, NULL, 'f' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "no-mail", no_argument, NULL, 'N' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct expert	 e;
	char		 token[AUTH_TOKEN_LEN + 1];
	int		 ch;

	memset(&e, 0, sizeof(e));
	e.conf = cli->conf;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'N': e.conf = NULL; break;
		case 'n': e.name = optarg; break;
		case 'e': e.email = import_trim(optarg); break;
		case 'f': e.fields = optarg; break;
		case 'b': cli->base_url = optarg; break;
		case 'l': e.lang = optarg; break;
		default: return cli_fail("see keyfield expert add --help");
		}
	if (optind + 1 != argc || e.name == NULL || e.email == NULL ||
	    e.fields == NULL)
		return cli_fail("usage: keyfield expert add SLUG --name NAME "
		    "--email EMAIL --fields \"CODE,CODE\" [--lang CODE]");
	e.slug = argv[optind];
	if (!req_text_ok(e.name, CAMPAIGN_TEXT_MAX))
		return cli_fail("--name: " CAMPAIGN_TEXT_RULE);
	if (!req_email_ok(e.email))
		return cli_fail("--email \"%s\" is not an e-mail address",
		    e.email);
	if (!req_text_ok(e.fields, 2000))
		return cli_fail("--fields: a comma-separated list of codes");
	auth_token_new(token);
	auth_token_hash(token, e.hash);
	e.token = token;
	e.base_url = cli->base_url;
	if (cli_store(cli) == NULL)
		return 1;
	if (store_write(cli->store, expert_txn, &e) != 0)
		return cli_fail("expert %s: %s", e.name, *e.problem ?
		    e.problem : "failed (see the log above)");
	if (e.conf != NULL && e.unsent != NULL)
		fprintf(stderr, "keyfield: no invitation mail to %s: %s\n",
		    e.email, e.unsent);
	else if (e.conf != NULL)
		printf("invitation mail to %s queued (keyfield-notify sends "
		    "it)\n", e.email);
	printf("expert %s added to %s\n%s/i/%s\n", e.name, e.slug,
	    cli->base_url, token);
	return 0;
}

const struct cli_cmd cli_setup_cmds[] = {
	{ "init", cmd_init, "",
	    "Create or migrate the database and import the shipped forms." },
	{ "form check", cmd_form_check, "FILE",
	    "Check a form definition; print each problem, and each missing "
	    "translation, with its JSON path." },
	{ "form import", cmd_form_import, "[--allow-incomplete] FILE",
	    "Check and import a form definition as the version it names "
	    "(one lacking translations only with --allow-incomplete)." },
	{ "campaign add", cmd_campaign_add,
	    "SLUG --title TEXT --form NAME --cities \"CODE=Name,...\"",
	    "Create a campaign for a form with its cities, in order." },
	{ "field add", cmd_field_add, "SLUG CODE TITLE",
	    "Add a key field to a campaign." },
	{ "expert add", cmd_expert_add,
	    "SLUG --name NAME --email EMAIL --fields \"CODE,CODE\" "
	    "[--lang CODE] [--base-url URL] [--no-mail]",
	    "Invite an expert to key fields and queue her invitation mail; "
	    "prints the invitation URL last." },
	{ NULL, NULL, NULL, NULL },
};
