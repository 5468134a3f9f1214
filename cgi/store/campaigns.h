/*
 * store/campaigns: campaigns, their cities and their key fields. Lists
 * are handed to a callback one row at a time; each row lives until the
 * callback returns.
 */
#ifndef KEYFIELD_STORE_CAMPAIGNS_H
#define KEYFIELD_STORE_CAMPAIGNS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* ---- set-up; call inside store_write ---- */

/* Each returns 0, 1 when the slug/code already exists, or -1. */
int	 store_campaign_add(struct store *, const char *slug,
	    const char *title, const char *form_name, int64_t *id);
int	 store_city_add(struct store *, int64_t campaign_id,
	    const char *code, const char *name, int position);
int	 store_field_add(struct store *, int64_t campaign_id,
	    const char *code, const char *title, int64_t *id);
/* Find a campaign by slug: 0, 1 when there is none, or -1. */
int	 store_campaign_id(struct store *, const char *slug, int64_t *id);
/* Find a key field of a campaign by code: 0, 1 when none, or -1. */
int	 store_field_id(struct store *, int64_t campaign_id,
	    const char *code, int64_t *id);

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

/*
 * Every campaign (coordinator_id 0), or those a coordinator has a role in,
 * newest first, with their counts. 0, cb's value, or -1.
 */
int	 store_campaigns(struct store *, int64_t coordinator_id,
	    int (*cb)(void *, const struct store_campaign *), void *ctx);
/* One campaign by slug (no counts): 0, 1 when none, or -1. */
int	 store_campaign_get(struct store *, const char *slug,
	    struct store_campaign *out);
/* Open or close (inside store_write): 0, 1 when already so, or -1. */
int	 store_campaign_set_open(struct store *, int64_t campaign_id,
	    bool open);

/* ---- cities and key fields of a campaign ---- */

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

/*
 * The first max key fields of a campaign by code, as a malloc'ed array
 * of *n (free() it), or NULL (logged).
 */
struct store_field *store_fields(struct store *, int64_t campaign_id,
	    size_t max, size_t *n);
/* Retitle (inside store_write): 0, 1 when there is no such field, -1. */
int	 store_field_retitle(struct store *, int64_t campaign_id,
	    int64_t field_id, const char *title);

#endif
