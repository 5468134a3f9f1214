/*
 * expert: inviting experts, one at a time or from CSV (name,email,fields
 * and an optional lang),
 * shared by the console (admin/page-campaigns.c, admin/page-import.c) and
 * the CLI (cli/expert.c). One e-mail address is invited once into one
 * campaign: compared trimmed, ASCII letters without case.
 */
#ifndef KEYFIELD_EXPERT_H
#define KEYFIELD_EXPERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/campaign.h"
#include "app/import.h"
#include "base/auth.h"
#include "base/conf.h"
#include "base/csv.h"
#include "store/campaigns.h"
#include "store/languages.h"
#include "store/store.h"

#define EXPERT_PROBLEM_SZ	400	/* bytes of a problem naming one */
#define EXPERT_FIELDS_MAX	(CSV_FIELDS * 4)	/* codes of one row */

/*
 * Add an expert to campaign_id (inside store_write) unless her e-mail is
 * invited there already: 0 (*id set); 1 with problem (a sentence in lang
 * naming the expert invited with it); -1.
 */
int	 expert_add(struct store *, int64_t campaign_id, const char *name,
	    const char *email, const unsigned char *token_hash, int64_t *id,
	    char *problem, size_t problemsz, const struct lang *lang);

/*
 * Give expert_id of the campaign a new invitation token hash, and take
 * back her revocation; or revoke her. Both end her sessions and write
 * their audit row by actor (inside store_write): 0, 1 when there is no
 * such expert in the campaign, -1.
 */
int	 expert_relink(struct store *, int64_t campaign_id, int64_t expert_id,
	    const unsigned char *token_hash, const char *actor);
int	 expert_revoke(struct store *, int64_t campaign_id, int64_t expert_id,
	    const char *actor);
/*
 * Assign expert_id the key fields ids[0..n) of known[0..nknown); unless
 * add_only, take the other known ones away (inside store_write): 0; 1
 * when one to take away has answers (answers are never dropped; the
 * caller's transaction is to be rolled back); -1.
 */
int	 expert_assign(struct store *, int64_t expert_id,
	    const struct store_field *known, size_t nknown,
	    const int64_t *ids, size_t n, bool add_only);
/* The problem of expert_assign's 1, for the console and the CLI. */
#define EXPERT_ASSIGN_ANSWERED	"A key field with answers cannot be " \
	"taken away from its expert: withdraw the card instead. Nothing " \
	"was changed."

/*
 * The codes of list (separated by ',', ';' or line ends; blanks around
 * each cut; an item that is no code but holds blanks is read as codes
 * separated by blanks, as "SF50 SF51" was before codes held spaces) as
 * ids of known[0..nknown) into ids[0..*n), each once, at most
 * EXPERT_FIELDS_MAX. NULL when all are known, else the first unknown item
 * (inside list, which is cut up).
 */
const char *expert_codes(char *list, const struct store_field *known,
	    size_t nknown, int64_t *ids, size_t *n);

/* One row of an import; skip says why it is not stored (or NULL). */
struct expert_in {
	int		 line;
	char		 name[CAMPAIGN_TEXT_MAX + 1];
	char		 email[STORE_EMAIL_MAX];
	int64_t		 fields[EXPERT_FIELDS_MAX];
	size_t		 nfields;
	char		 token[AUTH_TOKEN_LEN + 1];
	char		 skip[EXPERT_PROBLEM_SZ];
	char		 lang[STORE_LANG_SZ];	/* "": not given */
};

struct expert_import {
	int64_t			 campaign_id;
	const char		*actor;		/* of the audit rows */
	const struct store_field *known;	/* the campaign's key fields */
	size_t			 nknown;
	struct expert_in	*v;
	size_t			 n;
	size_t			 added;		/* rows stored */
	struct import_problems	 pr;
	bool			 first;
	/* The campaign's languages, of the lang column ("en" after init). */
	char			 languages[STORE_LANGS_SZ];
	/* Set by the caller for invitation mails (app/mailq.h); NULL: none. */
	const struct conf	*mail_conf;
	const char		*base_url;	/* of the links */
};

/*
 * Ready im for the campaign's import, its problems in lang: 0, or -1
 * (out of memory).
 */
int	 expert_import_init(struct expert_import *im, int64_t campaign_id,
	    const struct store_field *known, size_t nknown,
	    const char *actor, const struct lang *lang);
/* Forget im's tokens and free it. Accepts one that init refused. */
void	 expert_import_free(struct expert_import *im);
/*
 * Read and check every row of text (UTF-8, at most IMPORT_CSV_MAX bytes;
 * name is its file's, for the problem when it is not UTF-8, or NULL):
 * 0 when every row is good (a row repeating an earlier e-mail is kept
 * with its skip); 1 with the problems in import_problems_text(&im->pr)
 * (nothing may be stored); -1.
 */
int	 expert_import_read(struct expert_import *im, const char *text,
	    const char *name);
/*
 * Store the rows read, each with a new token, in one write transaction;
 * a row whose e-mail is invited already is skipped (its skip says by
 * whom). 0 (im->added set), or -1.
 */
int	 expert_import_store(struct store *, struct expert_import *im);

#endif
