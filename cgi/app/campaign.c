/*
 * campaign: creating a campaign, shared by the console and the CLI.
 * Never writes a campaign without its cities and its audit row.
 */
#include <stdio.h>
#include <string.h>

#include "app/campaign.h"
#include "base/buf.h"
#include "base/form.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/req.h"
#include "store/campaigns.h"
#include "store/responses.h"

/* The audit row's object, "campaign:" and a slug. */
#define CAMPAIGN_OBJECT_SZ	(sizeof("campaign:") + CAMPAIGN_SLUG_MAX)

bool
campaign_slug_ok(const char *s)
{
	return req_word_ok(s, CAMPAIGN_SLUG_MAX, "-") && s[0] != '-';
}

bool
campaign_field_code_ok(const char *s)
{
	return req_code_ok(s, CAMPAIGN_FIELD_CODE_CHARS, "-_.", true);
}

bool
campaign_city_code_ok(const char *s)
{
	return req_code_ok(s, CAMPAIGN_CITY_CODE_CHARS, "", false);
}

/* One "CODE=Name" of n bytes at item (blanks cut) into c. */
static const char *
city(struct campaign_new *c, const char *item, size_t n)
{
	/* The numbers: CAMPAIGN_CITY_CODE_CHARS, CAMPAIGN_CITY_NAME_MAX. */
	const char		*form = N_("Write each city as CODE=Name: a "
	    "code of 1 to 8 letters (of any script) or digits, such as Fr or "
	    "Z\xc3\xbc, a name of 1 to 100 bytes of text.");
	const char		*eq;
	size_t			 ncode, nname;

	if (c->ncities == CAMPAIGN_CITIES_MAX)
		return N_("A campaign has at most 64 cities.");
	if ((eq = memchr(item, '=', n)) == NULL)
		return form;
	ncode = (size_t)(eq - item);
	nname = n - ncode - 1;
	if (ncode > CAMPAIGN_CITY_CODE_MAX || nname > CAMPAIGN_CITY_NAME_MAX)
		return form;
	memcpy(c->codes[c->ncities], item, ncode);
	c->codes[c->ncities][ncode] = '\0';
	memcpy(c->names[c->ncities], eq + 1, nname);
	c->names[c->ncities][nname] = '\0';
	if (!campaign_city_code_ok(c->codes[c->ncities]) ||
	    !req_text_ok(c->names[c->ncities], CAMPAIGN_CITY_NAME_MAX))
		return form;
	c->ncities++;
	return NULL;
}

const char *
campaign_check(struct campaign_new *c, const char *cities, const char *seps)
{
	const char	*item, *end, *why;
	size_t		 n;

	if (!campaign_slug_ok(c->slug))
		return N_("The slug is 1 to 64 letters, digits and '-' (not "
		    "first).");
	if (!req_text_ok(c->title, CAMPAIGN_TEXT_MAX))
		return N_("The title is 1 to 200 bytes of text.");
	if (!form_name_ok(c->form))
		return N_("Choose a form.");
	c->ncities = 0;
	for (item = cities; *item != '\0'; item = *end ? end + 1 : end) {
		end = item + strcspn(item, seps);
		n = (size_t)(end - item);
		while (n > 0 && (item[n - 1] == '\r' || item[n - 1] == ' '))
			n--;
		while (n > 0 && *item == ' ')
			item++, n--;
		if (n > 0 && (why = city(c, item, n)) != NULL)
			return why;
	}
	return c->ncities == 0 ? N_("Give at least one city.") : NULL;
}

struct create {
	struct campaign_new	*c;
	const char		*actor;
	const char		*problem;
};

static int
create_txn(struct store *s, void *arg)
{
	struct create		*cr = arg;
	struct campaign_new	*c = cr->c;
	char			 object[CAMPAIGN_OBJECT_SZ];
	int			 rc;

	if ((rc = store_campaign_add(s, c->slug, c->title, c->form,
	    &c->id)) != 0) {
		cr->problem = rc == 1 ? N_("A campaign with this slug exists "
		    "already: choose another.") : N_("There is no such form "
		    "(import it first).");
		return rc == -1 ? -1 : 1;
	}
	for (size_t i = 0; i < c->ncities; i++)
		if ((rc = store_city_add(s, c->id, c->codes[i], c->names[i],
		    (int)i)) != 0) {
			cr->problem = N_("A city code is given twice.");
			return rc;
		}
	/* Fits for every slug that campaign_check took. */
	if (buf_fmt(object, sizeof(object), "campaign:%s", c->slug) == -1) {
		log_err("campaign: a slug over %d bytes was not checked",
		    CAMPAIGN_SLUG_MAX);
		return -1;
	}
	return store_audit(s, cr->actor, "campaign.add", object, c->title);
}

int
campaign_create(struct store *s, struct campaign_new *c, const char *actor,
    const char **problem)
{
	struct create	 cr = { .c = c, .actor = actor };
	int		 rc;

	*problem = NULL;
	rc = store_write(s, create_txn, &cr);
	if (rc > 0)
		*problem = cr.problem != NULL ? cr.problem :
		    N_("The campaign could not be created.");
	return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}
