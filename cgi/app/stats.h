/*
 * stats: the panel's judgement of a campaign. Over the latest submitted
 * card of each expert: per key field x city the statistics of the
 * ratings (base/rating.h: n, min, max, quartiles by Hyndman and Fan's
 * type 7) and the consensus rule's verdict; the same for each card's
 * total; per sector the count of each level and the median level. The
 * dashboard, `keyfield stats` and the exports read them from here.
 */
#ifndef KEYFIELD_STATS_H
#define KEYFIELD_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rating.h"
#include "store/campaigns.h"
#include "store/store.h"

struct form;
struct form_question;
struct form_row;
struct page_form;
struct stats_history;

/*
 * The consensus rule: the panel agrees on a key field x city when at
 * least min_n experts rated it, Q3 - Q1 is at most iqrx4 / 4, and (when
 * within_pct is not 0) at least within_pct % of the ratings lie within
 * 1 of the median. The default, STATS_RULE_DEFAULT: IQR <= 1, n >= 3.
 */
struct stats_rule {
	long	 iqrx4;
	int	 within_pct;
	int	 min_n;
};
#define STATS_RULE_DEFAULT	((struct stats_rule){ 4, 0, 3 })
#define STATS_IQR_MAX		1000	/* the largest IQR limit */
#define STATS_MIN_N_MAX		10000	/* the largest min_n */
/* The rule's limits, for the messages of all who set one. */
#define STATS_IQR_RULE		"a number from 0 to 1000 in steps of 0.25"
#define STATS_WITHIN_RULE	"a whole number from 0 to 100 (0: not asked)"
#define STATS_MIN_N_RULE	"a whole number from 1 to 10000"

enum stats_verdict {
	STATS_FEW,	/* fewer than min_n ratings: no verdict */
	STATS_NO,	/* rated enough, no consensus */
	STATS_YES,	/* consensus */
};

/* The ratings of one key field x city, or of the cards' totals. */
struct stats_cell {
	struct rating_stats	 st;	/* st.n == 0: no ratings */
	size_t			 within; /* ratings within 1 of the median */
	enum stats_verdict	 verdict;
};

/* The answers of one key field x sector: a count per level (option). */
struct stats_levels {
	size_t	 n;
	size_t	*count;		/* [noptions] */
	long	 median;	/* the lower median's option; -1 when n is 0 */
};

struct stats_field {
	const struct store_field *field;
	struct stats_cell	*cities;	/* [ncities] */
	struct stats_cell	 total;	/* the cards' totals; its verdict:
					   no when a city's is no, else few
					   when a city's is few, else yes */
	struct stats_levels	*sectors;	/* [nsectors] */
};

/* What the statistics are of: the caller's, kept for their lifetime. */
struct stats_input {
	const struct form	*form;
	const struct form_row	*cities;
	size_t			 ncities;
	const struct store_field *fields;
	size_t			 nfields;
	struct stats_rule	 rule;
	int			 round;		/* 1 or more */
};

/*
 * One expert's rating of a key field x city (her latest version in the
 * round), or her level of a key field x sector.
 */
struct stats_vote {
	uint32_t	 field;		/* index into the input's fields */
	uint32_t	 row;		/* index into the rows (cities) */
	int64_t		 expert;
	long		 v;
};

struct stats {
	struct stats_rule		 rule;
	int				 round;
	const struct form_question	*rating_grid;	/* NULL: none */
	const struct form_question	*rating;	/* its scale */
	const struct form_question	*sector_grid;	/* NULL: none */
	const struct form_question	*level;		/* its choice */
	size_t				 ncities, nsectors, nfields;
	struct stats_field		*fields;	/* [nfields] */
	/* Every rating of the round, sorted by stats_vote_cmp. */
	struct stats_vote		*votes;		/* [nvotes] */
	size_t				 nvotes;
};

/*
 * The verdict of rule on the n ratings v (sorted, as rating_stats
 * leaves them) whose statistics are st; *within is set.
 */
enum stats_verdict stats_judge(const struct stats_rule *, const long *v,
	    const struct rating_stats *st, size_t *within);
/*
 * The statistics of a campaign's round (its cities, key fields, form and
 * round in in), read in one snapshot: 0 and *out (free with stats_free), or -1
 * (logged; *out is empty). A process keeps the last STATS_CACHE_MAX it
 * computed, each with the store's data stamp (store_data_stamp) it was
 * read at, and reads the values again only when that counter has moved.
 */
#define STATS_CACHE_MAX	4
int	 stats_compute(struct store *, int64_t campaign_id,
	    const struct stats_input *in, struct stats *out);
void	 stats_free(struct stats *);

/*
 * A campaign by slug with all its statistics need: its form, cities and
 * key fields, and the statistics under its rule.
 */
struct stats_campaign {
	struct store_campaign	 c;
	struct page_form	*forms;
	size_t			 nforms;
	struct form_row		*cities;	/* key: code, label: name */
	size_t			 ncities;
	struct store_field	*fields;
	size_t			 nfields;
	int			 rounds;	/* the round now */
	struct stats		 st;
};
/*
 * The statistics of round (0: the round now) of the campaign slug: 0 and
 * *out (free with stats_campaign_free), 1 when there is no such
 * campaign, 2 when it has no such round (out->rounds is set), or -1.
 */
int	 stats_campaign_load(struct store *, const char *slug, int round,
	    struct stats_campaign *out);
void	 stats_campaign_free(struct stats_campaign *);
/* The history of sc's campaign up to sc's round (stats_history_load). */
int	 stats_campaign_history(struct store *,
	    const struct stats_campaign *sc, struct stats_history *out);

/*
 * Stability: how the panel moved between rounds. The moves of a cell
 * from round k-1 to round k (their stats_vote rows): of the experts who
 * rated it in both, how many (compared) and how many rated it
 * differently (changed).
 */
struct stats_moves {
	size_t	 compared;
	size_t	 changed;
};
/* The order stats_moves_count needs: field, row, expert. */
int	 stats_vote_cmp(const void *, const void *);
/*
 * Add the moves between the votes a (round k-1) and b (round k), each
 * sorted by stats_vote_cmp with one vote per expert and cell, into
 * out[field * ncities + row] (which the caller zeroed).
 */
void	 stats_moves_count(const struct stats_vote *a, size_t na,
	    const struct stats_vote *b, size_t nb, size_t ncities,
	    struct stats_moves *out);

/*
 * The rounds 1..last of a campaign: each round's statistics (frozen for
 * a round that is over), and the moves into each round from the one
 * before (round 1's are all 0).
 */
struct stats_history {
	int			 nrounds;
	size_t			 nfields, ncities;
	struct stats		*rounds;	/* [nrounds]: round k at k-1 */
	struct stats_moves	*moves;	/* [nrounds][nfields][ncities] */
};
/*
 * The history of a campaign's rounds 1 to in->round, read in one
 * snapshot: 0 and *out (free with stats_history_free), or -1 (logged;
 * *out is empty).
 */
int	 stats_history_load(struct store *, int64_t campaign_id,
	    const struct stats_input *in, struct stats_history *out);
void	 stats_history_free(struct stats_history *);
/* The moves of key field f x city c into round (1..nrounds). */
const struct stats_moves *stats_history_moves(const struct stats_history *,
	    int round, size_t f, size_t c);

/*
 * The campaign's rule from the store (the default when it has none):
 * 0, or -1 (logged).
 */
int	 stats_rule_load(struct store *, int64_t campaign_id,
	    struct stats_rule *);
/*
 * Parse an IQR limit ("1", "0.5", "1.25": steps of a quarter, at most
 * STATS_IQR_MAX) into *x4: true, or false (*x4 untouched).
 */
bool	 stats_iqr_parse(const char *, long *x4);
/* "consensus", "no consensus", "too few answers". */
const char *stats_verdict_name(enum stats_verdict);

#endif
