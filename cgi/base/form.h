/*
 * form: a form definition (JSON, forms/NAME.json, see keyfield.json(5)) loaded
 * once into a read-only model, and the answers to it read from a request
 * and checked. Never touches the database or the network.
 *
 * Definition format (every key not listed is an error):
 *   { "name": "keyfield", "version": 1, "title": "...",
 *     "languages": ["en", "de"], "default_language": "en",   (optional)
 *     "sections": [ { "key": "s1", "title": "...", "help": "...",
 *                     "questions": [ QUESTION, ... ] }, ... ] }
 *   QUESTION = { "key": "...", "type": TYPE, "label": "...", "help": "...",
 *                "required": bool,
 *                "max_length": N,        short_text, long_text, list items
 *                "min": N, "max": N,     scale (integers, min < max)
 *                "options": [ {"value": "...", "label": "..."} ],  choice
 *                "max_items": N,         list
 *                "rows": "cities" | [ {"key": "...", "label": "..."} ], grid
 *                "columns": [ QUESTION ],  grid; not grid or list; a
 *                                        column label may say "{row}"
 *                "total": bool }          grid: show the sum of scale columns
 *   TYPE = short_text | long_text | scale | choice | list | grid
 * Every title, label and help (of the form, a section, a question, a
 * column, a row, an option) is a string, in the default language, or an
 * object of one string per language, {"en": "...", "de": "..."}, which
 * must hold the default language's and only the form's languages.
 * "languages" are codes [a-z]{2,3}(-[a-z0-9]{1,8})?, at most
 * FORM_LANGS_MAX, each once; without it the form has one language,
 * "default_language" (else "en"), which must be one of them.
 * Keys (section, question, column, row, option value) match
 * [a-z][a-z0-9_]{0,31}; question keys are unique in the form; the names
 * "csrf", "revision" and "action" are reserved.
 *
 * Answers are flat values addressed by (question, row, item):
 *   simple question   question = key,               row = "", item = 0
 *   list              question = key,               row = "", item = 0..n-1
 *   grid cell         question = "grid.column",     row = row key or city code
 * The HTML input name of a value is the question for simple questions and
 * lists, and "grid.column.row" for grid cells (form_input_name).
 */
#ifndef KEYFIELD_FORM_H
#define KEYFIELD_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define FORM_KEY_MAX		32	/* bytes of a key */
#define FORM_NAME_MAX		32	/* bytes of a definition's name */
#define FORM_TEXT_MAX		500	/* bytes of a title, label or help */
#define FORM_SHORT_DEFAULT	200	/* short_text max_length default */
#define FORM_LONG_DEFAULT	20000	/* long_text max_length default */
#define FORM_ITEM_DEFAULT	500	/* list item max_length default */
#define FORM_ITEMS_DEFAULT	50	/* list max_items default */
#define FORM_ITEMS_MAX		200	/* largest max_items allowed */
#define FORM_LENGTH_MAX		50000	/* largest max_length allowed */
#define FORM_ERRORS_MAX		64	/* problems reported by form_load */
#define FORM_DEFINITION_MAX	(1024 * 1024)	/* bytes of a definition */
#define FORM_LANGS_MAX		8	/* languages of a definition */
#define FORM_LANG_MAX		8	/* bytes of a language code */

enum form_type {
	FORM_SHORT_TEXT,	/* one line */
	FORM_LONG_TEXT,		/* textarea */
	FORM_SCALE,		/* integer min..max */
	FORM_CHOICE,		/* one of options, as radio buttons */
	FORM_LIST,		/* textarea, one item per line */
	FORM_GRID,		/* rows x columns of the types above */
	FORM_TYPE__MAX
};

struct form_option {
	char	*value;
	char	*label;
};

struct form_row {
	char	*key;		/* row key, or a city code */
	char	*label;		/* row label, or a city name */
};

struct form_question {
	char			*key;
	char			*label;		/* columns: may have "{row}" */
	char			*help;		/* NULL when absent */
	enum form_type		 type;
	bool			 required;
	size_t			 max_length;	/* text, list item */
	size_t			 max_items;	/* list */
	long			 min, max;	/* scale */
	struct form_option	*options;	/* choice */
	size_t			 noptions;
	bool			 rows_cities;	/* grid rows are the cities */
	struct form_row		*rows;		/* grid, fixed rows */
	size_t			 nrows;
	struct form_question	*columns;	/* grid */
	size_t			 ncolumns;
	bool			 total;		/* grid: sum scale columns */
};

struct form_section {
	char			*key;
	char			*title;
	char			*help;		/* NULL when absent */
	struct form_question	*questions;
	size_t			 nquestions;
};

struct form_texts;	/* the translations: form.c's business */

struct form {
	char			*name;
	int			 version;
	char			*title;
	struct form_section	*sections;
	size_t			 nsections;
	/* Its languages as listed ("languages"); the model's texts are in
	 * languages[default_language], the others come from form_text. */
	char			*languages[FORM_LANGS_MAX];
	size_t			 nlanguages;
	size_t			 default_language;
	struct form_texts	*texts;
};

struct form_error {
	char	 path[160];	/* JSON path: $.sections[2].questions[0] */
	char	 message[256];	/* plain English, no trailing period */
};

struct form_errors {
	struct form_error	 v[FORM_ERRORS_MAX];
	size_t			 n;
};

struct form_value {
	char		*question;
	char		*row;		/* "" outside grids */
	unsigned	 item;		/* list index, else 0 */
	char		*value;		/* as typed (a list's item: trimmed) */
};

struct form_pool;	/* the strings' storage: form.c's business */

/*
 * Values in the order they were added. The strings live in a few pooled
 * blocks, freed together by form_answers_free. When every key was added
 * in increasing (question, row, item) order (strcmp, then item), as
 * store_answers_get reads them, form_answer searches by halving.
 */
struct form_answers {
	struct form_value	*v;
	size_t			 n;
	size_t			 cap;
	struct form_pool	*pool;
	bool			 unsorted;	/* a key added out of order */
};

struct form_issue {
	char	*name;		/* HTML input name, "" for the whole form */
	char	*message;	/* plain sentence for the person */
};

struct lang;

struct form_issues {
	struct form_issue	*v;
	size_t			 n;
	size_t			 cap;
	/* The language of the messages, set by the caller (NULL: English). */
	const struct lang	*lang;
};

/*
 * Load a definition of len bytes. Returns the model, or NULL with every
 * problem found (up to FORM_ERRORS_MAX) in errs, each with its JSON path.
 * Out of memory: NULL with one error whose path is "$".
 */
struct form	*form_load(const char *json, size_t len,
		    struct form_errors *errs);
void		 form_free(struct form *);
/*
 * The text s of f's model (a title, label or help: the pointer the model
 * holds, in the default language) in language lang ("de"): its
 * translation, or s itself when lang is the default, is not one of f's,
 * has no translation of s, or s is not one of f's texts.
 */
const char	*form_text(const struct form *f, const char *s,
		    const char *lang);
/*
 * Every translation f lacks (a text without one of f's languages, or one
 * without the "{row}" of its default), each with its JSON path, into
 * errs (the first FORM_ERRORS_MAX): their number.
 */
size_t		 form_missing(const struct form *f, struct form_errors *errs);
/* The question with this key (columns are found as "grid.column"). */
const struct form_question *form_question(const struct form *,
		    const char *key);
/* Name of a type as written in definitions ("short_text", ...). */
const char	*form_type_name(enum form_type);
/* Whether s can name a form definition: [a-z0-9_-]{1,FORM_NAME_MAX}. */
bool		 form_name_ok(const char *s);

/*
 * Write the HTML input name of a value into out (at most outsz bytes with
 * the NUL): question, or question.row for grid cells (row non-empty).
 */
void		 form_input_name(char *out, size_t outsz, const char *question,
		    const char *row);

/*
 * Read every answer of f through get(ctx, input name), which returns the
 * submitted string or NULL. cities are the grid rows for "rows": "cities".
 * Bounds are always checked (lengths, single line for short_text, list
 * item count and length, scale integer in range, choice among options);
 * required questions only when submit is true (a required grid needs
 * every cell; a required column in an optional grid needs every row of
 * that column). Empty values (and empty list lines) are not answers.
 * out receives every non-empty value as typed, valid or not, so a page can
 * show it again; issues one entry per problem, in form order.
 * Returns 0 (check issues->n), or -1 when out of memory.
 */
int		 form_collect(const struct form *f,
		    const struct form_row *cities, size_t ncities,
		    const char *(*get)(void *, const char *), void *ctx,
		    bool submit, struct form_answers *out,
		    struct form_issues *issues);

/*
 * The rows of grid g: the campaign's cities (cities[0..ncities)) for a
 * grid of the cities, else its own; their count into *n.
 */
const struct form_row *form_grid_rows(const struct form_question *g,
	    const struct form_row *cities, size_t ncities, size_t *n);
/*
 * The value at (question, row, item), or NULL (the first added, should a
 * key be there twice).
 */
const char	*form_answer(const struct form_answers *, const char *question,
		    const char *row, unsigned item);
/* Order of two keys: < 0, 0, > 0 as (question, row, item) compare. */
int		 form_key_cmp(const char *question, const char *row,
		    unsigned item, const struct form_value *);
/* Append a copy of a value. 0 or -1 (OOM). */
int		 form_answers_add(struct form_answers *, const char *question,
		    const char *row, unsigned item, const char *value);
/* The issue message for an input name, or NULL. */
const char	*form_issue_for(const struct form_issues *, const char *name);
int		 form_issues_add(struct form_issues *, const char *name,
		    const char *message);
void		 form_answers_free(struct form_answers *);
void		 form_issues_free(struct form_issues *);

#endif
