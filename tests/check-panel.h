/*
 * tests/check-panel.h: a panel of experts in a store suite's campaign
 * (check_stats, check_final): adding them, and saving or submitting
 * their card of a key field with given answers.
 */
#ifndef KEYFIELD_TESTS_CHECK_PANEL_H
#define KEYFIELD_TESTS_CHECK_PANEL_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/auth.h"
#include "base/form.h"
#include "store/experts.h"
#include "store/responses.h"

/*
 * Add n experts to campaign (names[i], or their address when names is
 * NULL; addresses eI@example.org), each assigned field, their ids in
 * ids: 0 or -1 (inside a write transaction).
 */
static inline int
panel_add(struct store *st, int64_t campaign, int64_t field, size_t n,
    const char *const *names, int64_t *ids)
{
	unsigned char	 h[32];
	char		 email[32], token[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(email, sizeof(email), "e%zu@example.org", i);
		snprintf(token, sizeof(token), "token-%zu", i);
		auth_token_hash(token, h);
		if (store_expert_add(st, campaign, names != NULL ? names[i] :
		    email, email, h, &ids[i]) != 0 ||
		    store_assign(st, ids[i], field))
			return -1;
	}
	return 0;
}

/* A payload builder whose payloads are "{}". */
static inline int
panel_payload(void *ctx, const struct store_card *c,
    const struct form_answers *a, const char *type, const char *event_id,
    int version, const char *at, char **summary, char **full)
{
	(void)ctx, (void)c, (void)a, (void)type, (void)event_id;
	(void)version, (void)at;
	*summary = strdup("{}");
	*full = strdup("{}");
	return *summary != NULL && *full != NULL ? 0 : -1;
}

/* The first card of expert (free with store_card_free). */
static inline void
panel_card_get(struct store *s, int64_t expert, struct store_card *c)
{
	struct store_expert	 e;

	ck_assert_int_eq(store_expert_get(s, expert, &e), 0);
	ck_assert_int_eq(store_card_get(s, expert, e.assignments[0].id, c),
	    0);
	store_expert_free(&e);
}

/* Save (or submit) the first card of expert with answers a, freeing a. */
static inline void
panel_card_save(struct store *s, int64_t expert, struct form_answers *a,
    bool submit)
{
	struct store_card	 c;
	int64_t			 rev;
	int			 ver;

	panel_card_get(s, expert, &c);
	ck_assert_int_eq(store_card_save(s, &c, c.revision, a, submit,
	    "test", panel_payload, NULL, &rev, &ver), STORE_SAVED);
	store_card_free(&c);
	form_answers_free(a);
}

#endif
