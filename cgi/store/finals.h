/*
 * store/finals: the SQL of the key fields' final cards
 * (sql/015-final-cards.sql): versions of a JSON body, and their
 * publication. What a body holds is app/final.h's.
 */
#ifndef KEYFIELD_STORE_FINALS_H
#define KEYFIELD_STORE_FINALS_H

#include <stdint.h>

#include "store/store.h"

struct store_final {
	int	 version;
	char	*body;		/* NULL in store_finals' rows */
	char	 author[STORE_CODE_MAX + 16];
	char	 created_at[32];
	char	 published_at[32];	/* "" when not published */
};

/*
 * Version of field_id's final card (0: the latest; -1: the latest
 * published) into *out (free with store_final_free): 0, 1 when there is
 * none, -1.
 */
#define STORE_FINAL_LATEST	0
#define STORE_FINAL_PUBLISHED	(-1)
int	 store_final_get(struct store *, int64_t field_id, int version,
	    struct store_final *out);
void	 store_final_free(struct store_final *);
/*
 * Write (inside store_write): version number of field_id's final card,
 * which must be the one after the latest: 0; 1 when another save came
 * first (version exists or is not the next one); -1.
 */
int	 store_final_add(struct store *, int64_t field_id, int version,
	    const char *body, const char *author, const char *at);
/*
 * Write (inside store_write): stamp version of field_id published at
 * at: 0, 1 when there is no such version or it is published already, -1.
 */
int	 store_final_publish(struct store *, int64_t field_id, int version,
	    const char *at);
struct store_value_row;
/* Every version of field_id's final card, newest first (no body). */
int	 store_finals(struct store *, int64_t field_id,
	    int (*cb)(void *, const struct store_final *), void *ctx);

#endif
