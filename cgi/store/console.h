/*
 * store/console: the SQL of the coordinator console: coordinators, failed
 * logins, campaign management, progress and ratings for the dashboard,
 * responses with their versions and audit trail. Lists are handed to a
 * callback one row at a time (nothing grows with the campaign); each
 * row's strings live until the callback returns.
 */
#ifndef KEYFIELD_STORE_ADMIN_H
#define KEYFIELD_STORE_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_NAME_MAX	256	/* bytes kept of a name or title */
#define STORE_EMAIL_MAX	320	/* bytes kept of an e-mail address */
#define STORE_CODE_MAX	80	/* bytes kept of a code or slug */

/* ---- coordinators and logins ---- */

struct store_coordinator {
	int64_t	 id;
	char	 username[STORE_CODE_MAX];
	char	 password_hash[128];
	bool	 disabled;
};

/* Add a coordinator (inside store_write): 0, 1 when the name exists, -1. */
int	 store_coordinator_add(struct store *, const char *username,
	    const char *password_hash);
/* By name or by id: 0 and *out, 1 when there is none, or -1. */
int	 store_coordinator_get(struct store *, const char *username,
	    struct store_coordinator *out);
int	 store_coordinator_by_id(struct store *, int64_t id,
	    struct store_coordinator *out);
/*
 * Is username locked out at now (unix seconds): limit or more failures
 * in the window seconds before now? Returns 0 (not locked), 1 (locked:
 * *retry_after is the number of seconds until it is not), or -1.
 */
int	 store_login_locked(struct store *, const char *username,
	    int64_t now, int64_t window, int limit, int64_t *retry_after);
/* Record a failure (and forget those older than a day); 0 or -1. */
int	 store_login_failure_add(struct store *, const char *username,
	    int64_t now);
/* Forget the failures of username after a successful login; 0 or -1. */
int	 store_login_failures_clear(struct store *, const char *username);
/* End every session of a subject ("expert", id); 0 or -1. */
int	 store_sessions_end(struct store *, const char *kind,
	    int64_t subject_id);

/* ---- campaigns ---- */

struct store_campaign {
	int64_t	 id;
	char	 slug[STORE_CODE_MAX];
	char	 title[STORE_NAME_MAX];
	char	 form_name[STORE_CODE_MAX];
	int	 form_version;
	int64_t	 form_id;
	bool	 open;
	char	 created_at[32];
	int	 nfields, nexperts, nsubmitted;	/* list only */
};

/* Every campaign, newest first, with its counts. 0, cb's value, or -1. */
int	 store_campaigns(struct store *,
	    int (*cb)(void *, const struct store_campaign *), void *ctx);
/* One campaign by slug (no counts): 0, 1 when none, or -1. */
int	 store_campaign_get(struct store *, const char *slug,
	    struct store_campaign *out);
/* Open or close (inside store_write): 0, 1 when already so, or -1. */
int	 store_campaign_set_open(struct store *, int64_t campaign_id,
	    bool open);

/* ---- cities, key fields, experts of a campaign ---- */

struct store_city {
	int64_t	 id;
	char	 code[STORE_CODE_MAX];
	char	 name[STORE_NAME_MAX];
	int	 position;
};

/* The cities in order. 0, cb's value, or -1. */
int	 store_cities(struct store *, int64_t campaign_id,
	    int (*cb)(void *, const struct store_city *), void *ctx);
/* The position after the last city (0 for none); -1 on failure. */
int	 store_city_next(struct store *, int64_t campaign_id);
/* Rename (inside store_write): 0, 1 when there is no such city, -1. */
int	 store_city_rename(struct store *, int64_t campaign_id,
	    int64_t city_id, const char *name);

struct store_field {
	int64_t	 id;
	char	 code[STORE_CODE_MAX];
	char	 title[STORE_NAME_MAX];
};

/* The key fields by code. 0, cb's value, or -1. */
int	 store_fields(struct store *, int64_t campaign_id,
	    int (*cb)(void *, const struct store_field *), void *ctx);
/* Retitle (inside store_write): 0, 1 when there is no such field, -1. */
int	 store_field_retitle(struct store *, int64_t campaign_id,
	    int64_t field_id, const char *title);

struct store_expert_row {
	int64_t	 id;
	char	 name[STORE_NAME_MAX];
	char	 email[STORE_EMAIL_MAX];
	bool	 revoked;
};

/* The experts by name. 0, cb's value, or -1. */
int	 store_experts(struct store *, int64_t campaign_id,
	    int (*cb)(void *, const struct store_expert_row *), void *ctx);
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

/* ---- progress and ratings ---- */

struct store_assignment_row {
	int64_t			 id;
	int64_t			 expert_id;
	int64_t			 field_id;
	int64_t			 response_id;	/* 0 when not started */
	enum store_status	 status;
	int			 version;	/* last submission */
};

/* Every assignment of the campaign. 0, cb's value, or -1. */
int	 store_assignments(struct store *, int64_t campaign_id,
	    int (*cb)(void *, const struct store_assignment_row *),
	    void *ctx);

struct store_value_row {
	int64_t		 field_id;
	int64_t		 expert_id;
	int64_t		 response_id;
	const char	*expert_name;
	const char	*row;		/* "" outside grids */
	unsigned	 item;
	const char	*value;
};

/*
 * Every value of question in the latest submitted version of each
 * submitted response of the campaign (withdrawn and draft-only responses
 * are left out), by field, expert name, expert id and row. 0, cb's
 * value, or -1.
 */
int	 store_values(struct store *, int64_t campaign_id,
	    const char *question,
	    int (*cb)(void *, const struct store_value_row *), void *ctx);

/* ---- responses ---- */

struct store_response {
	int64_t			 id;
	int64_t			 assignment_id;
	int64_t			 expert_id;
	int64_t			 campaign_id;
	int64_t			 form_id;
	char			 campaign_slug[STORE_CODE_MAX];
	char			 campaign_title[STORE_NAME_MAX];
	bool			 campaign_open;
	char			 field_code[STORE_CODE_MAX];
	char			 field_title[STORE_NAME_MAX];
	char			 expert_name[STORE_NAME_MAX];
	char			 expert_email[STORE_EMAIL_MAX];
	enum store_status	 status;
	int			 version;	/* last submission */
	int64_t			 revision;
	char			 updated_at[32];
};

/* One response: 0, 1 when none, -1. */
int	 store_response_get(struct store *, int64_t response_id,
	    struct store_response *out);

struct store_version_row {
	int		 version;
	int64_t		 form_id;
	const char	*submitted_at;
};

/* The versions of a response, oldest first. 0, cb's value, or -1. */
int	 store_versions(struct store *, int64_t response_id,
	    int (*cb)(void *, const struct store_version_row *), void *ctx);

struct store_audit_row {
	const char	*at, *actor, *action, *object, *detail;
};

/* The audit entries of object ("response:5"), oldest first. */
int	 store_audit_list(struct store *, const char *object,
	    int (*cb)(void *, const struct store_audit_row *), void *ctx);

/*
 * Withdraw a submitted response (inside store_write): status withdrawn,
 * revision + 1 so an open editor's save is stale. 0, 1 when it is not
 * submitted, -1.
 */
int	 store_response_withdraw(struct store *, int64_t response_id);

#endif
