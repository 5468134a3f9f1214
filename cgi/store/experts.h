/*
 * store/experts: the experts of a campaign and their assignments to key
 * fields. Lists are handed to a callback one row at a time; each row
 * lives until the callback returns.
 */
#ifndef KEYFIELD_STORE_EXPERTS_H
#define KEYFIELD_STORE_EXPERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* ---- set-up; call inside store_write ---- */

/*
 * Add an expert whose invitation token hashes to token_hash[32]: 0, 1
 * when the e-mail address already exists, or -1.
 */
int	 store_expert_add(struct store *, int64_t campaign_id,
	    const char *name, const char *email,
	    const unsigned char *token_hash, int64_t *id);
/* Assign a key field to an expert: 0, 1 when it is already, or -1. */
int	 store_assign(struct store *, int64_t expert_id, int64_t field_id);

/* ---- the expert's own view ---- */

/*
 * The active expert whose invitation token, or unexpired mail sign-in
 * token (store/mail.h), hashes to hash[32]: 0, 1 (none), -1.
 */
int	 store_expert_by_token(struct store *, const unsigned char *hash,
	    int64_t *expert_id);

struct store_assignment {
	int64_t			 id;
	char			*field_code;
	char			*field_title;
	enum store_status	 status;
	int			 version;	/* submissions so far */
	char			*updated_at;	/* NULL when new */
};

struct store_expert {
	int64_t			 id;
	char			*name;
	char			*campaign_title;
	bool			 campaign_open;
	struct store_assignment	*assignments;
	size_t			 nassignments;
};

/* The expert with her assignments: 0, 1 (none), -1. */
int	 store_expert_get(struct store *, int64_t expert_id,
	    struct store_expert *);
void	 store_expert_free(struct store_expert *);

/* ---- the console ---- */

struct store_expert_row {
	int64_t	 id;
	char	 name[STORE_NAME_MAX];
	char	 email[STORE_EMAIL_MAX];
	bool	 revoked;
};

/* The experts by name. 0, cb's value, or -1. */
int	 store_experts(struct store *, int64_t campaign_id,
	    int (*cb)(void *, const struct store_expert_row *), void *ctx);
/*
 * The expert of the campaign invited with email (compared trimmed, ASCII
 * letters without case): 0, 1 when none, -1.
 */
int	 store_expert_by_email(struct store *, int64_t campaign_id,
	    const char *email, struct store_expert_row *out);

struct store_duplicate {
	char	 slug[STORE_CODE_MAX];
	char	 email[STORE_EMAIL_MAX];
	char	 ids[STORE_NAME_MAX];	/* "3, 7" */
	int	 n;
};
/*
 * Every e-mail address invited more than once into one campaign (from
 * before migration 007) with more than one expert not revoked, to cb.
 * 0, cb's value, or -1.
 */
int	 store_expert_duplicates(struct store *,
	    int (*cb)(void *, const struct store_duplicate *), void *ctx);
/* An expert in the console's list, with the codes of her key fields. */
struct store_expert_item {
	int64_t		 id;
	char		 name[STORE_NAME_MAX];
	char		 email[STORE_EMAIL_MAX];
	bool		 revoked;
	const char	*fields;	/* codes by code, ", " apart (a code
					   may hold a space, never a comma) */
};
/*
 * The experts of a campaign by name (or only expert_id, when not 0),
 * skipping offset and at most limit of them. 0, cb's value, or -1.
 */
int	 store_experts_page(struct store *, int64_t campaign_id,
	    int64_t expert_id, int64_t offset, int64_t limit,
	    int (*cb)(void *, const struct store_expert_item *), void *ctx);
/* The number of experts of a campaign into *n: 0 or -1. */
int	 store_experts_count(struct store *, int64_t campaign_id, int64_t *n);
/* One expert of the campaign: 0, 1 when none, -1. */
int	 store_expert_row(struct store *, int64_t campaign_id,
	    int64_t expert_id, struct store_expert_row *out);
/*
 * Give the expert a new invitation token hash and un-revoke her, or
 * revoke her (inside store_write; both end her sessions): 0, 1 when
 * there is no such expert in the campaign, -1.
 */
int	 store_expert_token_set(struct store *, int64_t campaign_id,
	    int64_t expert_id, const unsigned char *token_hash);
int	 store_expert_revoke(struct store *, int64_t campaign_id,
	    int64_t expert_id);
/*
 * Remove an assignment (inside store_write): 0, 1 when it has a response
 * (answers are never dropped), 2 when there is none, -1.
 */
int	 store_unassign(struct store *, int64_t expert_id, int64_t field_id);

struct store_assignment_row {
	int64_t			 id;
	int64_t			 expert_id;
	int64_t			 field_id;
	int64_t			 response_id;	/* 0 when not started */
	enum store_status	 status;
	int			 version;	/* last submission */
};

/*
 * The first max assignments of a campaign (by id; a revoked expert's only
 * when she started the card), as a malloc'ed array of *n (free() it), or
 * NULL (logged).
 */
struct store_assignment_row *store_assignments(struct store *,
	    int64_t campaign_id, size_t max, size_t *n);

#endif
