/*
 * cli/response: keyfield response submit: a coordinator enters an
 * expert's card on her behalf (a card sent on paper or by e-mail) from a
 * JSON object of its answers named as the card's inputs. The answers go
 * through app/card.h as the expert's own Submit does. Never stores a card
 * whose answers fail the card's checks, nor one with a name the card does
 * not ask for.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/card.h"
#include "app/page.h"
#include "base/buf.h"
#include "base/limit.h"
#include "cli/cli.h"
#include "store/campaigns.h"
#include "store/experts.h"

#define RESPONSE_FILE_MAX	1048576	/* bytes of a JSON file */
#define RESPONSE_FIELDS_MAX	2000	/* key fields looked through */
#define RESPONSE_ACTOR		"cli"	/* the audit log's actor */

/* The file's answers as the card posts them, and the names it asked. */
struct answers_in {
	json_t	*vals;		/* input name -> text */
	json_t	*asked;		/* the names card_collect read */
	bool	 failed;	/* out of memory while marking one */
};

static void
answers_free(struct answers_in *in)
{
	json_decref(in->vals);
	json_decref(in->asked);
}

/* card_collect's lookup: the file's text for an input name, or NULL. */
static const char *
answer_get(void *arg, const char *name)
{
	struct answers_in	*in = arg;
	json_t			*v;

	if ((v = json_object_get(in->vals, name)) == NULL)
		return NULL;
	if (json_object_set_new(in->asked, name, json_true()) == -1)
		in->failed = true;
	return json_string_value(v);
}

/*
 * The text of the value v of name as the card's form posts it: a string
 * as it is, a whole number in decimal, a list of strings one a line.
 * A new string, or NULL after cli_fail.
 */
static json_t *
value_text(const char *name, json_t *v)
{
	struct buf	 b;
	json_t		*item, *out = NULL;
	size_t		 i;
	bool		 ok;

	if (json_is_string(v))
		return json_incref(v);
	buf_init(&b, RESPONSE_FILE_MAX);
	if ((ok = json_is_integer(v)))
		buf_printf(&b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if ((ok = json_is_array(v)))
		json_array_foreach(v, i, item) {
			if (!(ok = json_is_string(item)))
				break;
			buf_printf(&b, "%s%s", i > 0 ? "\n" : "",
			    json_string_value(item));
		}
	if (ok && !buf_failed(&b))
		out = json_string(buf_str(&b));
	buf_free(&b);
	if (out == NULL)
		cli_fail("%s: a value is a string, a whole number or a list of "
		    "strings", name);
	return out;
}

/* The answers of the JSON file path ("-": stdin) into *in: 0, or 1. */
static int
answers_read(const char *path, struct answers_in *in)
{
	json_error_t	 err;
	json_t		*root, *v, *text;
	const char	*name;
	char		*file;
	int		 rc = 1;

	if ((file = cli_slurp(strcmp(path, "-") == 0 ? "/dev/stdin" : path,
	    RESPONSE_FILE_MAX, "larger than " LIMIT_STR(RESPONSE_FILE_MAX)
	    " bytes")) == NULL)
		return 1;
	root = json_loads(file, JSON_REJECT_DUPLICATES, &err);
	free(file);
	if (root == NULL)
		return cli_fail("%s: line %d: %s", path, err.line, err.text);
	if (!json_is_object(root)) {
		cli_fail("%s: not a JSON object of the card's answers (see "
		    "keyfield(1))", path);
		goto out;
	}
	if ((in->vals = json_object()) == NULL ||
	    (in->asked = json_object()) == NULL) {
		cli_fail("out of memory");
		goto out;
	}
	json_object_foreach(root, name, v)
		if ((text = value_text(name, v)) == NULL ||
		    json_object_set_new(in->vals, name, text) == -1)
			goto out;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/* Whether campaign_id has a key field code. */
static bool
field_known(struct store *s, int64_t campaign_id, const char *code)
{
	struct store_field	*fs;
	size_t			 n;
	bool			 known = false;

	if ((fs = store_fields(s, campaign_id, RESPONSE_FIELDS_MAX, &n)) ==
	    NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		known = known || strcmp(fs[i].code, code) == 0;
	free(fs);
	return known;
}

/* The card of expert e for key field code into *c: 0, or 1 (told). */
static int
card_of(struct store *s, const struct store_campaign *camp,
    const struct store_expert_row *e, const char *code,
    struct store_card *c)
{
	struct store_expert	 ex;
	int64_t			 id = 0;

	if (store_expert_get(s, e->id, &ex) != 0)
		return cli_fail("campaign %s: cannot read its experts",
		    camp->slug);
	for (size_t i = 0; i < ex.nassignments; i++)
		if (strcmp(ex.assignments[i].field_code, code) == 0)
			id = ex.assignments[i].id;
	store_expert_free(&ex);
	if (id == 0 && !field_known(s, camp->id, code))
		return cli_fail("no key field \"%s\" in campaign %s", code,
		    camp->slug);
	if (id == 0)
		return cli_fail("%s is not assigned key field %s (keyfield "
		    "expert assign)", e->email, code);
	if (store_card_get(s, e->id, id, c) != 0)
		return cli_fail("the card of %s for %s: cannot read it",
		    e->email, code);
	return 0;
}

/* The card of EMAIL (argv[2]) for CODE (argv[3]) in SLUG: 0, or 1. */
static int
card_find(struct store *s, char **argv, struct store_card *c)
{
	struct store_campaign	 camp;
	struct store_expert_row	 e;
	int			 rc;

	if ((rc = store_campaign_get(s, argv[1], &camp)) != 0)
		return rc == 1 ? cli_fail("no campaign \"%s\"", argv[1]) :
		    cli_fail("campaign %s: cannot read it", argv[1]);
	if ((rc = store_expert_by_email(s, camp.id, argv[2], &e)) != 0)
		return rc == 1 ? cli_fail("no expert with the e-mail address "
		    "%s in campaign %s", argv[2], argv[1]) :
		    cli_fail("campaign %s: cannot read its experts", argv[1]);
	if (e.revoked)
		return cli_fail("%s is revoked in campaign %s: her cards "
		    "cannot change", e.email, argv[1]);
	return card_of(s, &camp, &e, argv[3], c);
}

/* Names of in the card did not ask for, as problems: their count. */
static size_t
unasked(const struct answers_in *in)
{
	const char	*name;
	json_t		*v;
	size_t		 n = 0;

	json_object_foreach(in->vals, name, v)
		if (json_object_get(in->asked, name) == NULL) {
			(void)v;
			fprintf(stderr, "%s: not an answer of this card (see "
			    "keyfield(1) for the names)\n", name);
			n++;
		}
	return n;
}

/*
 * Read and check in as card c's (form f) Submit does: 0 when it may be
 * stored, else 1 after printing every problem ("name: message").
 */
static int
card_check(struct store *s, const struct store_card *c,
    const struct form *f, struct answers_in *in, struct form_answers *a)
{
	struct form_issues	 is = { 0 };
	size_t			 n;
	int			 rc;

	rc = card_collect(s, c, f, answer_get, in, true, a, &is);
	if (rc == -1 || in->failed) {
		rc = cli_fail("reading the answers failed (see the log above)");
		goto out;
	}
	if (rc == CARD_CLOSED) {
		rc = cli_fail("campaign %s is closed: its cards cannot change; "
		    "nothing was stored", c->campaign_slug);
		goto out;
	}
	for (size_t i = 0; i < is.n; i++)
		fprintf(stderr, "%s: %s\n", *is.v[i].name != '\0' ?
		    is.v[i].name : "card", is.v[i].message);
	n = is.n + unasked(in);
	rc = n == 0 ? 0 : cli_fail("%zu answer%s to correct: nothing was "
	    "stored", n, n == 1 ? "" : "s");
out:
	form_issues_free(&is);
	return rc;
}

/* store_then_fn of a save that never waits (the CLI has no batch). */
static void
save_done(void *arg, int rc)
{
	*(int *)arg = rc;
}

/* Submit a as card c's new version, with its event: 0, or 1 (told). */
static int
card_store(struct cli *cli, const struct store_card *c,
    const struct page_form *forms, size_t nforms,
    const struct form_answers *a)
{
	struct outbox_forms	 of = { forms, nforms, cli->base_url };
	struct store_saved	 sv;
	int			 rc = -1;

	card_save_then(cli->store, c, c->revision, a, true, RESPONSE_ACTOR,
	    &of, &sv, save_done, &rc);
	switch (rc) {
	case STORE_SAVED:
		printf("the card of %s for %s is submitted: version %d\n",
		    c->expert_email, c->field_code, sv.version);
		return 0;
	case STORE_STALE:
		return cli_fail("the card of %s for %s changed meanwhile: "
		    "nothing was stored; try again", c->expert_email,
		    c->field_code);
	case STORE_CLOSED:
		return cli_fail("campaign %s was closed meanwhile: nothing was "
		    "stored", c->campaign_slug);
	case STORE_GONE:
		return cli_fail("the card of %s for %s is no longer assigned "
		    "to her", c->expert_email, c->field_code);
	default:
		return cli_fail("storing the card failed (see the log above)");
	}
}

static int
cmd_response_submit(struct cli *cli, int argc, char **argv)
{
	struct answers_in	 in = { 0 };
	struct store_card	 c;
	struct form_answers	 a = { 0 };
	struct page_form	*forms = NULL;
	const struct form	*f;
	size_t			 nforms = 0;
	int			 rc = 1;

	if (argc != 5)
		return cli_fail("usage: keyfield response submit SLUG EMAIL "
		    "CODE FILE.json|-");
	if (cli_store(cli) == NULL || answers_read(argv[4], &in) != 0)
		goto out;
	if (card_find(cli->store, argv, &c) != 0)
		goto out;
	if (page_forms_load(cli->store, &forms, &nforms) == -1 ||
	    (f = page_form_by_id(forms, nforms, c.form_id)) == NULL)
		cli_fail("the card's form does not load (see the log above)");
	else if (card_check(cli->store, &c, f, &in, &a) == 0)
		rc = card_store(cli, &c, forms, nforms, &a);
	form_answers_free(&a);
	store_card_free(&c);
out:
	page_forms_free(forms, nforms);
	answers_free(&in);
	return rc;
}

const struct cli_cmd cli_response_cmds[] = {
	{ "response submit", cmd_response_submit,
	    "SLUG EMAIL CODE FILE.json|-",
	    "Enter an expert's card on her behalf (sent on paper or by "
	    "mail) from a JSON object of its answers, and submit it as her "
	    "Submit does." },
	{ NULL, NULL, NULL, NULL },
};
