/*
 * campaign: a new campaign as a coordinator describes it, in the console
 * (admin/page-campaigns.c) or on the command line (cli/setup.c): its
 * slug, title, form and cities, checked with one set of messages and
 * created with its cities and audit row in one write transaction.
 */
#ifndef KEYFIELD_CAMPAIGN_H
#define KEYFIELD_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/limit.h"
#include "store/store.h"

#define CAMPAIGN_SLUG_MAX	64	/* bytes of a slug */
#define CAMPAIGN_SLUG_RULE	"1 to " LIMIT_STR(CAMPAIGN_SLUG_MAX) \
	" letters, digits and '-' (not first)"
/* A title or a name: a campaign's, a key field's, an expert's. */
#define CAMPAIGN_TEXT_MAX	200	/* bytes */
#define CAMPAIGN_TEXT_RULE	\
	"1 to " LIMIT_STR(CAMPAIGN_TEXT_MAX) " bytes of text"
#define CAMPAIGN_CITIES_MAX	64	/* cities of a campaign */
#define CAMPAIGN_CITIES_RULE	\
	"A campaign has at most " LIMIT_STR(CAMPAIGN_CITIES_MAX) " cities."
/*
 * Codes are counted in characters (code points): a buffer holds
 * CAMPAIGN_CODE_BYTES(chars) bytes, 4 a character at most, and the NUL.
 */
#define CAMPAIGN_CODE_BYTES(chars)	((chars) * 4)
#define CAMPAIGN_CITY_CODE_CHARS 8	/* characters of a city code */
#define CAMPAIGN_CITY_CODE_MAX	CAMPAIGN_CODE_BYTES(CAMPAIGN_CITY_CODE_CHARS)
#define CAMPAIGN_CITY_NAME_MAX	100	/* bytes of a city name */
/* campaign_city_code_ok's rule, for the messages of all who check it. */
#define CAMPAIGN_CITY_CODE_RULE	\
	"1 to " LIMIT_STR(CAMPAIGN_CITY_CODE_CHARS) " letters (of any " \
	"script) or digits, such as Fr or Z\xc3\xbc"
#define CAMPAIGN_CITY_NAME_RULE	\
	"1 to " LIMIT_STR(CAMPAIGN_CITY_NAME_MAX) " bytes of text"
#define CAMPAIGN_FIELD_CODE_CHARS 16	/* characters of a key field's code */
#define CAMPAIGN_FIELD_CODE_MAX	CAMPAIGN_CODE_BYTES(CAMPAIGN_FIELD_CODE_CHARS)
/* campaign_field_code_ok's rule, for the messages of all who check it. */
#define CAMPAIGN_FIELD_CODE_RULE	\
	"1 to " LIMIT_STR(CAMPAIGN_FIELD_CODE_CHARS) " characters: letters " \
	"(of any script), digits, '-', '_', '.' and single spaces between " \
	"them, such as SF 41"

/* A campaign to create; the caller owns it (it is ~7 KB: not on a stack). */
struct campaign_new {
	const char	*slug, *title, *form;
	char		 codes[CAMPAIGN_CITIES_MAX][CAMPAIGN_CITY_CODE_MAX + 1];
	char		 names[CAMPAIGN_CITIES_MAX][CAMPAIGN_CITY_NAME_MAX + 1];
	size_t		 ncities;
	int64_t		 id;		/* set by campaign_create */
};

/* true for a slug: 1..64 letters, digits and '-', not first. */
bool	 campaign_slug_ok(const char *);
/* true for a key field's code: CAMPAIGN_FIELD_CODE_RULE. */
bool	 campaign_field_code_ok(const char *);
/* true for a city's code: CAMPAIGN_CITY_CODE_RULE. */
bool	 campaign_city_code_ok(const char *);

/*
 * Checks c's slug, title and form name and adds the cities of text to c:
 * items separated by any byte of seps ("\n" in the console, "," on the
 * command line), each CODE=Name, blanks around them cut, empty items
 * skipped. NULL when all is well, else one sentence for the person, in
 * English (a catalogue's msgid: show it through tr()).
 */
const char *campaign_check(struct campaign_new *c, const char *cities,
	    const char *seps);

/*
 * Creates c (checked) with its cities and an audit row by actor in one
 * write transaction: 0 (c->id set); 1 with *problem, a sentence for the
 * person, as campaign_check's (the slug is taken, no such form, a city
 * code given twice);
 * -1 on failure of the store.
 */
int	 campaign_create(struct store *, struct campaign_new *c,
	    const char *actor, const char **problem);

#endif
