/*
 * expert: inviting experts, one or from CSV, for the console and the CLI.
 * Never invites one e-mail address twice into one campaign, and never
 * stores a row it has not checked.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/expert.h"
#include "app/lang.h"
#include "app/mailq.h"
#include "base/log.h"
#include "base/req.h"
#include "store/experts.h"
#include "store/responses.h"

/* Is email invited already? 0 (problem says by whom), 1 not, -1. */
static int
invited(struct store *s, int64_t campaign_id, const char *email,
    char *problem, size_t problemsz, const struct lang *lang)
{
	struct store_expert_row	 e;
	char			 who[64];
	int			 rc;

	if ((rc = store_expert_by_email(s, campaign_id, email, &e)) != 0)
		return rc;
	/* An id and a few words fit: the translations are short. */
	if (buf_fmt(who, sizeof(who), "%" PRId64 "%s", e.id, e.revoked ?
	    tr(lang, ", revoked") : "") == -1)
		buf_mark_cut(who, sizeof(who));
	if (buf_fmt(problem, problemsz, tr(lang, "%s is invited to this "
	    "campaign already, as %s (expert %s)."), e.email, e.name,
	    who) == -1)
		buf_mark_cut(problem, problemsz);
	return 0;
}

int
expert_add(struct store *s, int64_t campaign_id, const char *name,
    const char *email, const unsigned char *token_hash, int64_t *id,
    char *problem, size_t problemsz, const struct lang *lang)
{
	int	 rc;

	if ((rc = invited(s, campaign_id, email, problem, problemsz,
	    lang)) != 1)
		return rc == 0 ? 1 : -1;
	if ((rc = store_expert_add(s, campaign_id, name, email, token_hash,
	    id)) == 1 && buf_fmt(problem, problemsz, tr(lang, "%s could not "
	    "be invited: please try again."), email) == -1)
		buf_mark_cut(problem, problemsz);
	return rc;
}

/* object: "expert:" and the longest id. */
#define EXPERT_OBJECT_SIZE	sizeof("expert:-9223372036854775808")

static void
expert_object(char out[EXPERT_OBJECT_SIZE], int64_t id)
{
	int	 rc;

	/* EXPERT_OBJECT_SIZE holds the longest id: nothing can be cut. */
	rc = buf_fmt(out, EXPERT_OBJECT_SIZE, "expert:%" PRId64, id);
	assert(rc == 0);
	(void)rc;
}

int
expert_relink(struct store *s, int64_t campaign_id, int64_t expert_id,
    const unsigned char *token_hash, const char *actor)
{
	char	 object[EXPERT_OBJECT_SIZE];
	int	 rc;

	if ((rc = store_expert_token_set(s, campaign_id, expert_id,
	    token_hash)) != 0)
		return rc;
	expert_object(object, expert_id);
	return store_audit(s, actor, "expert.link", object,
	    "new invitation link; the old one no longer works");
}

int
expert_revoke(struct store *s, int64_t campaign_id, int64_t expert_id,
    const char *actor)
{
	char	 object[EXPERT_OBJECT_SIZE];
	int	 rc;

	if ((rc = store_expert_revoke(s, campaign_id, expert_id)) != 0)
		return rc;
	expert_object(object, expert_id);
	return store_audit(s, actor, "expert.revoke", object, "");
}

int
expert_assign(struct store *s, int64_t expert_id,
    const struct store_field *known, size_t nknown, const int64_t *ids,
    size_t n, bool add_only)
{
	size_t	 k;
	int	 rc;

	for (size_t i = 0; i < nknown; i++) {
		for (k = 0; k < n && ids[k] != known[i].id; k++)
			;
		if (k < n)
			rc = store_assign(s, expert_id, known[i].id);
		else if (!add_only)
			rc = store_unassign(s, expert_id, known[i].id);
		else
			continue;
		if (rc == -1 || (k == n && rc == 1))
			return rc;
	}
	return 0;
}

/* The index of code among known, or nknown. */
static size_t
known_find(const char *code, const struct store_field *known, size_t nknown)
{
	size_t	 i;

	for (i = 0; i < nknown && strcmp(known[i].code, code) != 0; i++)
		;
	return i;
}

/* Add known[i]'s id to ids[0..*n) unless it is there. */
static void
id_add(int64_t id, int64_t *ids, size_t *n)
{
	size_t	 k;

	for (k = 0; k < *n && ids[k] != id; k++)
		;
	if (k == *n && *n < EXPERT_FIELDS_MAX)
		ids[(*n)++] = id;
}

/*
 * One item of a list: a code ("SF 41"), or, when it is none, codes
 * separated by blanks ("SF50 SF51", as written before codes held
 * spaces). NULL, or the item when it is neither.
 */
static const char *
item_codes(char *item, const struct store_field *known, size_t nknown,
    int64_t *ids, size_t *n)
{
	char	*w, save;
	size_t	 i, len, found = *n;

	if ((i = known_find(item, known, nknown)) < nknown) {
		id_add(known[i].id, ids, n);
		return NULL;
	}
	for (w = item; *w != '\0'; w += len + strspn(w + len, " \t")) {
		len = strcspn(w, " \t");
		save = w[len];
		w[len] = '\0';
		i = known_find(w, known, nknown);
		w[len] = save;
		if (i == nknown) {
			*n = found;	/* the ids of this item, taken back */
			return item;
		}
		id_add(known[i].id, ids, n);
	}
	return NULL;
}

const char *
expert_codes(char *list, const struct store_field *known, size_t nknown,
    int64_t *ids, size_t *n)
{
	char		*item, *save = NULL;
	const char	*unknown;

	*n = 0;
	for (item = strtok_r(list, ",;\n\r", &save); item != NULL;
	    item = strtok_r(NULL, ",;\n\r", &save)) {
		if (*(item = import_trim(item)) == '\0')
			continue;
		if ((unknown = item_codes(item, known, nknown, ids, n)) != NULL)
			return unknown;
	}
	return NULL;
}

int
expert_import_init(struct expert_import *im, int64_t campaign_id,
    const struct store_field *known, size_t nknown, const char *actor,
    const struct lang *lang)
{
	memset(im, 0, sizeof(*im));
	im->campaign_id = campaign_id;
	im->known = known;
	im->nknown = nknown;
	im->actor = actor;
	im->first = true;
	memcpy(im->languages, "en", 3);
	import_problems_init(&im->pr, lang);
	if ((im->v = calloc(IMPORT_ROWS, sizeof(*im->v))) == NULL) {
		log_err("expert import: out of memory");
		return -1;
	}
	return 0;
}

void
expert_import_free(struct expert_import *im)
{
	if (im == NULL)
		return;
	if (im->v != NULL)
		for (size_t i = 0; i < im->n; i++)
			memset(im->v[i].token, 0, sizeof(im->v[i].token));
	free(im->v);
	import_problems_free(&im->pr);
	memset(im, 0, sizeof(*im));
}

/* A row whose e-mail an earlier row of the file has: skipped. */
static void
repeated(struct expert_import *im, struct expert_in *in)
{
	for (size_t i = 0; i < im->n; i++)
		if (strcasecmp(im->v[i].email, in->email) == 0) {
			if (buf_fmt(in->skip, sizeof(in->skip), tr(im->pr.lang,
			    "%s is on line %d already."), in->email,
			    im->v[i].line) == -1)
				buf_mark_cut(in->skip, sizeof(in->skip));
			return;
		}
}

/* The row's language code (may be ""), one of the campaign's: true. */
static bool
row_lang(struct expert_import *im, struct expert_in *in, int line,
    const char *code)
{
	if (*code == '\0')
		return true;
	if (!lang_in_list(im->languages, code) || strlen(code) >=
	    sizeof(in->lang)) {
		import_problem_add(&im->pr, line, tr(im->pr.lang, "the "
		    "language \"%.16s\" is not one of this campaign's (%s)."),
		    code, im->languages);
		return false;
	}
	memcpy(in->lang, code, strlen(code) + 1);
	return true;
}

/* Check one row's name, e-mail and codes into in: true when good. */
static bool
row_check(struct expert_import *im, struct expert_in *in, int line,
    char **f, size_t n)
{
	const char	*name = import_trim(f[0]), *email = import_trim(f[1]);
	const char	*unknown;

	if (!req_text_ok(name, CAMPAIGN_TEXT_MAX)) {
		import_problem_add(&im->pr, line, tr(im->pr.lang, "a name is "
		    "1 to %d bytes of text on one line."), CAMPAIGN_TEXT_MAX);
		return false;
	}
	if (!req_email_ok(email) || strlen(email) >= sizeof(in->email)) {
		import_problem_add(&im->pr, line, "%s", tr(im->pr.lang,
		    "this is not an e-mail address."));
		return false;
	}
	memset(in, 0, sizeof(*in));
	in->line = line;
	/* Both fit: checked just above. */
	(void)buf_fmt(in->name, sizeof(in->name), "%s", name);
	(void)buf_fmt(in->email, sizeof(in->email), "%s", email);
	if (n == 4 && !row_lang(im, in, line, import_trim(f[3])))
		return false;
	if (n >= 3 && (unknown = expert_codes(f[2], im->known, im->nknown,
	    in->fields, &in->nfields)) != NULL) {
		import_problem_add(&im->pr, line, tr(im->pr.lang, "there is "
		    "no key field \"%.40s\" in this campaign."), unknown);
		return false;
	}
	return true;
}

static int
record(void *arg, int line, char **f, size_t n)
{
	static const char *const names[] = { "name", "email", "fields",
	    "lang" };
	struct expert_import	*im = arg;
	bool			 first = im->first;

	im->first = false;
	if (first && (import_header(f, n, names, 3) ||
	    import_header(f, n, names, 4)))
		return 0;
	if (n < 2 || n > 4) {
		import_problem_add(&im->pr, line, "%s", tr(im->pr.lang,
		    "write three values, name,email,fields, and a fourth, "
		    "lang, if you like."));
		return 0;
	}
	if (im->n == IMPORT_ROWS) {
		import_too_many(&im->pr, line);
		return 1;
	}
	if (row_check(im, &im->v[im->n], line, f, n)) {
		repeated(im, &im->v[im->n]);
		im->n++;
	}
	return 0;
}

int
expert_import_read(struct expert_import *im, const char *text,
    const char *name)
{
	char	 err[CSV_ERR_MAX];
	size_t	 len = strlen(text);
	int	 rc;

	if (len > IMPORT_CSV_MAX) {
		im->pr.n++;
		import_too_large(&im->pr.text, im->pr.lang);
		return 1;
	}
	if (!req_utf8_valid(text, len)) {
		im->pr.n++;
		import_not_utf8(&im->pr.text, im->pr.lang, name);
		return 1;
	}
	if ((rc = csv_parse(text, len, im->pr.lang, record, im, err,
	    sizeof(err))) == -1)
		return -1;
	if (rc == 1 && im->pr.n == 0) {
		im->pr.n++;
		buf_puts(&im->pr.text, err);
		return 1;
	}
	if (im->pr.n == 0 && im->n == 0)
		import_problem_add(&im->pr, 1, "%s", tr(im->pr.lang,
		    "there are no rows to import."));
	return im->pr.n > 0 ? 1 : 0;
}

/* Store one row (not skipped) with its assignments and audit row. */
static int
row_store(struct store *s, struct expert_import *im, struct expert_in *in)
{
	unsigned char	 hash[AUTH_HASH_BYTES];
	char		 object[EXPERT_OBJECT_SIZE];
	const char	*why;
	int64_t		 id;
	int		 rc;

	auth_token_hash(in->token, hash);
	if ((rc = expert_add(s, im->campaign_id, in->name, in->email, hash,
	    &id, in->skip, sizeof(in->skip), im->pr.lang)) != 0)
		return rc;
	/* Checked against the campaign's languages when read. */
	if (*in->lang != '\0' && store_expert_lang_set(s, id, in->lang) != 0)
		return -1;
	if (expert_assign(s, id, im->known, im->nknown, in->fields,
	    in->nfields, true) == -1)
		return -1;
	expert_object(object, id);
	/* Queued, or refused: the links are listed anyway. */
	if (im->mail_conf != NULL && mailq_invitation(s, im->mail_conf,
	    im->base_url, MAILQ_INVITATION, im->campaign_id, id, in->token,
	    &why) == -1)
		return -1;
	return store_audit(s, im->actor, "expert.import", object, in->name);
}

static int
import_txn(struct store *s, void *arg)
{
	struct expert_import	*im = arg;
	int			 rc;

	im->added = 0;
	for (size_t i = 0; i < im->n; i++) {
		struct expert_in *in = &im->v[i];

		/* A retried transaction finds its own rows skipped before. */
		if (*in->skip != '\0' && in->token[0] == '\0')
			continue;
		in->skip[0] = '\0';
		if ((rc = row_store(s, im, in)) == -1)
			return -1;
		if (rc == 0)
			im->added++;
	}
	return 0;
}

int
expert_import_store(struct store *s, struct expert_import *im)
{
	for (size_t i = 0; i < im->n; i++)
		if (im->v[i].skip[0] == '\0')
			auth_token_new(im->v[i].token);
	if (store_write(s, import_txn, im) != 0)
		return -1;
	for (size_t i = 0; i < im->n; i++)
		if (im->v[i].skip[0] != '\0')
			memset(im->v[i].token, 0, sizeof(im->v[i].token));
	return 0;
}
