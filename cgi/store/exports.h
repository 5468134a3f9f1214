/*
 * store/exports: the reads behind exports. A campaign with its cities and
 * key fields, then its submitted versions one at a time with their
 * answers, in key field / expert / version order. Every call is a read;
 * run an export between store_export_begin and store_export_end so it
 * sees one snapshot while experts go on submitting.
 *
 * Exported versions: the latest submitted version of every response in
 * each round (sql/013-rounds.sql), or every version with all_versions;
 * of one round, or of every round. Working copies (version 0, drafts)
 * and withdrawn responses are never returned.
 */
#ifndef KEYFIELD_STORE_EXPORT_H
#define KEYFIELD_STORE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/form.h"
#include "store/store.h"

struct store_export_field {
	int64_t	 id;
	char	*code;
	char	*title;
};

struct store_export_campaign {
	int64_t			 id;
	char			*slug;
	char			*title;
	char			*status;	/* "open" or "closed" */
	char			*created_at;
	int64_t			 form_id;
	struct form_row		*cities;	/* key = code */
	size_t			 ncities;
	struct store_export_field *fields;	/* in order added */
	size_t			 nfields;
};

/* Start and end the read transaction of one export. 0 or -1. */
int	 store_export_begin(struct store *);
void	 store_export_end(struct store *);

/*
 * The campaign called slug with its cities (by position) and key fields:
 * 0 and *out, 1 when there is none, or -1.
 */
int	 store_export_campaign(struct store *, const char *slug,
	    struct store_export_campaign *out);
/* Release what the campaign owns. Accepts NULL. */
void	 store_export_campaign_free(struct store_export_campaign *);

/* One submitted version; owned by the iterator until the next call. */
struct store_export_version {
	int64_t			 response_id;
	int64_t			 field_id;
	int64_t			 expert_id;
	const char		*expert_name;
	const char		*expert_email;
	const char		*status;	/* "submitted", "draft" */
	int			 version;	/* this one, from 1 */
	int			 latest;	/* the response's last */
	int64_t			 form_id;	/* the form used */
	const char		*submitted_at;	/* ISO 8601 */
	int			 round;		/* submitted in, from 1 */
	const char		*lang;		/* written in ("de"); NULL:
						 * before sql/019 */
	struct form_answers	 answers;	/* every value of it */
};

struct store_export_iter;

/*
 * Iterate over the exported versions of campaign_id (of one key field
 * when field_id is not 0, of one round when round is not 0), ordered by
 * round, key field (as added), expert name, expert and version. One
 * iterator at a time per store; NULL on failure (logged).
 */
struct store_export_iter *store_export_open(struct store *,
	    int64_t campaign_id, int64_t field_id, bool all_versions,
	    int round);
/*
 * The next version with its answers: 0 and *out (valid until the next
 * call or store_export_close), 1 after the last, or -1.
 */
int	 store_export_next(struct store_export_iter *,
	    const struct store_export_version **out);
/* Accepts NULL. */
void	 store_export_close(struct store_export_iter *);

/*
 * Call fn(ctx, value) with the value of (question, row, item 0) in the
 * latest version submitted in round of each response to field_id, in
 * numeric order (for medians). Returns 0, fn's first non-zero result
 * (where it stopped), or -1.
 */
int	 store_export_values(struct store *, int64_t field_id, int round,
	    const char *question, const char *row,
	    int (*fn)(void *, const char *), void *ctx);

#endif
