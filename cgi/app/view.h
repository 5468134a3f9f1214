/*
 * view: walking a form's answerable places (slots) and showing answers
 * read-only in the layout of the paper card. Shared by the expert pages,
 * the conflict page and the coordinator console.
 */
#ifndef KEYFIELD_VIEW_H
#define KEYFIELD_VIEW_H

#include "base/buf.h"
#include "base/form.h"

/* One answerable place: a simple question, a list, or one grid cell. */
struct view_slot {
	const struct form_section	*section;
	const struct form_question	*grid;	/* NULL outside grids */
	const struct form_question	*q;	/* the question or column */
	const struct form_row		*row;	/* NULL outside grids */
	char				 question[2 * 32 + 2];	/* answer key */
	const char			*rowkey;	/* "" outside grids */
	char				 name[3 * 32 + 20];	/* input name */
	const char			*label;	/* {row} filled in */
	char				 labelbuf[1200]; /* the filled label */
};

/*
 * Call cb for every slot of f in form order (grid rows are the cities for
 * "rows": "cities"). Stops at and returns the first non-zero cb result.
 */
int	 view_slots(const struct form *, const struct form_row *cities,
	    size_t ncities, int (*cb)(void *, const struct view_slot *),
	    void *ctx);
/*
 * view_slots with the texts of the form (labels, {row} rows) in language
 * lang ("de"; NULL: the form's default, form_text).
 */
int	 view_slots_in(const struct form *, const char *lang,
	    const struct form_row *cities, size_t ncities,
	    int (*cb)(void *, const struct view_slot *), void *ctx);
/*
 * The label of the slot whose input name is name (or of the grid whose
 * key it is) into out; the name itself when there is none.
 */
void	 view_label(const struct form *, const struct form_row *cities,
	    size_t ncities, const char *name, char *out, size_t outsz);
/* view_label with the form's texts in language lang (form_text). */
void	 view_label_in(const struct form *, const char *lang,
	    const struct form_row *cities, size_t ncities, const char *name,
	    char *out, size_t outsz);
/* The value of a slot as text into out (list items joined by "\n"). */
int	 view_value(struct buf *out, const struct form_answers *,
	    const struct view_slot *);
/*
 * The card's rating grid: the first grid whose rows are the cities and
 * whose one column is a scale (the "Fr B C NY S T Total" table), or NULL.
 */
const struct form_question *view_rating_grid(const struct form *);
/*
 * The form's sector grid: the first grid of fixed rows with a choice
 * column, whose index is *col; NULL when it has none.
 */
const struct form_question *view_choice_grid(const struct form *,
	    size_t *col);
/* The whole card read-only, sections 1-10 as on paper. */
int	 view_card(struct buf *, const struct form *,
	    const struct form_row *cities, size_t ncities,
	    const struct form_answers *);

/* view_card in language l (NULL: English and the form's default). */
struct lang;
int	 view_card_in(struct buf *, const struct form *, const struct lang *,
	    const struct form_row *cities, size_t ncities,
	    const struct form_answers *);

#endif
