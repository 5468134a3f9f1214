/*
 * final: the final card of a key field, the campaign's one judgement in
 * the seed card's layout (a rating per city and their total, an example
 * per city, the texts of sections 1 to 10), written by a coordinator from
 * the panel's answers. Saved as numbered versions of a JSON body
 * (store/finals.h); a version can be published, which writes the event
 * card.final.published with the card in the same transaction. The
 * console's final-card pages and `keyfield final` work through here.
 */
#ifndef KEYFIELD_FINAL_H
#define KEYFIELD_FINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/campaign.h"
#include "base/buf.h"
#include "store/store.h"

struct form;
struct form_row;
struct stats;
struct store_campaign;
struct store_field;

#define FINAL_SECTIONS		10	/* sections 1 to 10 */
#define FINAL_RATING_MAX	10	/* ratings are 0 to this */
#define FINAL_RATING_RULE	"a whole number from 0 to 10, or empty"
#define FINAL_TEXT_MAX		16000	/* bytes of one text */
#define FINAL_BODY_MAX		49152	/* bytes of a card's body */
#define FINAL_DIFF_LINES	2000	/* lines of a text diff compares */
#define FINAL_EVENT		"card.final.published"

struct lang;

/*
 * The heading of section i (0..FINAL_SECTIONS-1) in language l (NULL:
 * English): "1. Differentiated description of the key field", ... (the
 * seed card's).
 */
const char	*final_section_title(const struct lang *l, size_t i);

/* One version of a final card. Its cities are the caller's. */
struct final_card {
	const struct form_row *cities;	/* key: code, label: name */
	size_t	 ncities;
	int	 ratings[CAMPAIGN_CITIES_MAX];	/* -1: none */
	char	*examples[CAMPAIGN_CITIES_MAX];	/* or NULL */
	char	*sections[FINAL_SECTIONS];	/* or NULL */
};

/* An empty card of n (<= CAMPAIGN_CITIES_MAX) cities; free it. */
void	 final_init(struct final_card *, const struct form_row *cities,
	    size_t n);
void	 final_free(struct final_card *);
/* The sum of the ratings given. */
int	 final_total(const struct final_card *);
/* How many ratings are given. */
size_t	 final_rated(const struct final_card *);
/*
 * A rating as typed: "" (none: -1) or a whole number 0..FINAL_RATING_MAX
 * into *out: true, or false (*out untouched).
 */
bool	 final_rating_parse(const char *, int *out);
/*
 * Put a copy of text in *slot (freeing what was there): line ends made
 * "\n", blanks at the end cut; "" leaves NULL. 0, or -1 (logged).
 */
int	 final_text_set(char **slot, const char *text);

/* The card as its stored JSON body: malloc'ed, or NULL (logged). */
char	*final_body(const struct final_card *);
/*
 * Fill an empty card from a stored body (ratings and examples of cities
 * no longer in the campaign are left out): 0, or -1 (logged).
 */
int	 final_body_read(struct final_card *, const char *body);
/*
 * Version (as store_final_get: STORE_FINAL_LATEST, STORE_FINAL_PUBLISHED
 * or a number) of field_id's card into an empty card, and its metadata
 * into *meta (its body NULL): 0, 1 when there is none, -1.
 */
struct store_final;
int	 final_load(struct store *, int64_t field_id, int version,
	    struct final_card *, struct store_final *meta);
/*
 * Prefill the ratings with the medians of field (an index into st's
 * fields; st's cities are the card's), rounded half up; a city without
 * ratings stays empty.
 */
void	 final_prefill(struct final_card *, const struct stats *st,
	    size_t field);

/*
 * A line diff of a and b (longest common subsequence; texts of more
 * than FINAL_DIFF_LINES lines are shown as all of a removed, all of b
 * added): cb(ctx, op, line, len) for each line in order, op ' ' (both),
 * '-' (a only) or '+' (b only). 0, cb's value, or -1 (logged).
 */
int	 final_diff(const char *a, const char *b,
	    int (*cb)(void *, char op, const char *line, size_t len),
	    void *ctx);

/*
 * Save card as the version after based_on (the latest version the
 * editor showed, 0 for none) of field_id, by author: 0 and *version;
 * 1 when another version was saved first (stale); 2 when the card's
 * body is over FINAL_BODY_MAX; -1.
 */
int	 final_save(struct store *, int64_t field_id, int based_on,
	    const struct final_card *, const char *author, int *version);
/*
 * Publish version of key field f of campaign c (its cities given): the
 * stamp, the card.final.published event (console URL under base_url)
 * and an audit row by actor, in one transaction. 0; 1 when there is no
 * such version or it is published already; -1.
 */
int	 final_publish(struct store *, const struct store_campaign *c,
	    const struct store_field *f, const struct form_row *cities,
	    size_t ncities, int version, const char *base_url,
	    const char *actor);

/*
 * The panel's texts of the card's part part (0: the examples, 1..10:
 * the sections) for key field field_id in round: for each text answer
 * of the form's section of that number (long or short text, a list, a
 * grid's text column), cb(ctx, expert, label, row, value) with the
 * question's (or column's) label and the grid row's key ("" outside
 * grids), by expert. 0, cb's value, or -1.
 */
int	 final_panel_texts(struct store *, int round, int64_t field_id,
	    const struct form *, int part,
	    int (*cb)(void *, const char *expert, const char *label,
	    const char *row, const char *value), void *ctx);
/*
 * The round whose answers a final card starts from: the latest with a
 * submitted card (1 when none has any). 0, or -1.
 */
int	 final_round(struct store *, int64_t campaign_id, int *round);

/*
 * The card in the seed's Markdown layout (app/final-md.c): "# CODE:
 * TITLE", the tab-separated table of city codes and Total with the
 * ratings ("-" for none) and the total, "#### **Example:**" and each
 * city's example ("**Name:** text"), then "# N. Title" and the text of
 * each of sections 1 to 10. Into b (sticky errors): 0, or -1.
 */
int	 final_md(struct buf *b, const struct final_card *,
	    const char *code, const char *title);
struct lang;
/* final_md with the headings in language l (NULL: English). */
int	 final_md_lang(struct buf *b, const struct final_card *,
	    const char *code, const char *title, const struct lang *l);
/*
 * `keyfield export SLUG --format md --final`: the published final card
 * of every key field of campaign slug (of field_code only, when not
 * NULL), by code, each after the last, to out, its headings in lang
 * (i18n_known; NULL: the campaign's default). 0; 1 when there is no
 * such campaign; 2 no such key field; 3 when no final card (of the key
 * field) is published; -1.
 */
int	 final_md_export(struct store *, const char *slug,
	    const char *field_code, const char *lang, FILE *out);

#endif
