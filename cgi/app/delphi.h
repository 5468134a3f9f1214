/*
 * delphi: what a card of a later Delphi round (2, 3, ...) shows beside its
 * answers, and the reasons it asks for. Beside each city's rating: the
 * expert's own rating of the round before and the panel's median, Q1 to
 * Q3 and n from that round's frozen statistics (app/stats.h), hidden when
 * n is below the campaign's min_n; beside each sector the panel's levels.
 * A rating outside [Q1, Q3] where the figures are shown needs a short
 * reason (one kept from before stays where they are hidden now), kept
 * as an ordinary answer of the card: question DELPHI_REASON_KEY, row
 * the city code (so it is versioned, exported and shown with every
 * other value). The survey's card page is its reader.
 */
#ifndef KEYFIELD_DELPHI_H
#define KEYFIELD_DELPHI_H

#include <stdbool.h>

#include "app/stats.h"
#include "base/buf.h"
#include "base/form.h"
#include "store/responses.h"

#define DELPHI_REASON_KEY	"rating_reason"	/* answers' question */
#define DELPHI_REASON_MAX	500	/* characters of a reason */

struct delphi {
	int				 round;	/* the round now; < 2: none */
	bool				 disabled; /* the campaign is closed */
	const struct form_question	*grid, *col;	/* card's ratings */
	const struct form_question	*sgrid;	/* card's sectors, or NULL */
	const struct form_issues	*issues; /* the page's, or NULL */
	const struct stats_field	*field;	/* the card's; NULL: none */
	struct stats_campaign		 sc;	/* round - 1's statistics */
	struct form_answers		 prev;	/* her answers of round - 1 */
	const struct lang		*lang;	/* the page's; NULL: English */
	const struct form		*form;	/* the card's */
	const struct form_question	*scol;	/* its sector levels */
};

/*
 * What card c (form f) shows of the round before: 0 and *out, whose round
 * is below 2 when the campaign is still in round 1 (nothing to show), or
 * -1 (logged). Free with delphi_free either way.
 */
int	 delphi_load(struct store *, const struct store_card *c,
	    const struct form *f, struct delphi *out);
void	 delphi_free(struct delphi *);

/*
 * The paragraph that says what a later round's card shows and when a
 * reason is needed; nothing in round 1. 0 or -1.
 */
int	 delphi_intro(struct buf *, const struct delphi *);
/*
 * What goes beside the control of grid's row (a city's rating: own rating,
 * the panel's figures and the reason field holding a's reason, or, where
 * the figures are hidden, the field of a reason a holds from before with
 * a note that none is needed; a sector: the panel's levels). Nothing in
 * round 1 or for another grid. 0 or -1.
 */
int	 delphi_beside(struct buf *, const struct delphi *,
	    const struct form_question *grid, const char *row,
	    const struct form_answers *a);
/*
 * Read the reasons of card c (form f) through get (as form_collect does)
 * into a: every city's, also one whose figures are hidden now (a reason
 * kept from before; none is asked for there). Adds an issue, named for
 * the city's rating input, for a reason longer than DELPHI_REASON_MAX
 * and, with submit, for a rating outside [Q1, Q3] of a city whose
 * figures are shown without a reason.
 * Nothing in round 1. 0 or -1 (logged).
 */
int	 delphi_collect(struct store *, const struct store_card *c,
	    const struct form *f, const char *(*get)(void *, const char *),
	    void *ctx, bool submit, struct form_answers *a,
	    struct form_issues *is);
/*
 * The reasons in a for the cities rows as labelled text fields of their
 * own, for a page that gives back what was posted without the card's
 * figures (the session lost while typing); nothing when there are none.
 * 0 or -1.
 */
int	 delphi_reasons_kept(struct buf *, const struct form_row *rows,
	    size_t nrows, const struct form_answers *a);
/*
 * The reasons in a (read-only) for the cities rows, after the ratings'
 * table of a card; nothing when there are none. 0 or -1.
 */
int	 delphi_reasons_view(struct buf *, const struct form_row *rows,
	    size_t nrows, const struct form_answers *a);
/* delphi_reasons_view and _kept in language l (NULL: English). */
int	 delphi_reasons_view_in(struct buf *, const struct lang *,
	    const struct form_row *rows, size_t nrows,
	    const struct form_answers *a);
int	 delphi_reasons_kept_in(struct buf *, const struct lang *,
	    const struct form_row *rows, size_t nrows,
	    const struct form_answers *a);

#endif
