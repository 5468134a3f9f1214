/*
 * store/languages: the languages of a campaign and of its experts
 * (sql/016-languages.sql). Codes are checked by the callers (app/lang.h);
 * this file only keeps them.
 */
#ifndef KEYFIELD_STORE_LANGUAGES_H
#define KEYFIELD_STORE_LANGUAGES_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_LANGS_SZ	80	/* bytes of a list of codes, "en,de" */
#define STORE_LANG_SZ	16	/* bytes of one code */

/*
 * The campaign's languages (a list "en,de") and default into langs and
 * dflt: 0, 1 when there is no such campaign, -1.
 */
int	 store_campaign_languages(struct store *, int64_t campaign_id,
	    char langs[STORE_LANGS_SZ], char dflt[STORE_LANG_SZ]);
/* Set them (inside store_write): 0, 1 when there is no such campaign, -1. */
int	 store_campaign_languages_set(struct store *, int64_t campaign_id,
	    const char *langs, const char *dflt);
/* The expert's language into lang ("" when not set): 0, 1 (none), -1. */
int	 store_expert_lang(struct store *, int64_t expert_id,
	    char lang[STORE_LANG_SZ]);
/*
 * Set (NULL: unset) the expert's language (inside store_write): 0, 1
 * when there is no such expert, -1.
 */
int	 store_expert_lang_set(struct store *, int64_t expert_id,
	    const char *lang);

/* An expert's language and her campaign's, for her pages. */
struct store_expert_langs {
	int64_t	 campaign_id;
	char	 lang[STORE_LANG_SZ];	/* "" when not set */
	char	 langs[STORE_LANGS_SZ];	/* the campaign's, "en,de" */
	char	 dflt[STORE_LANG_SZ];	/* the campaign's default */
};
/* Those of expert_id into out: 0, 1 when there is no such expert, -1. */
int	 store_expert_langs(struct store *, int64_t expert_id,
	    struct store_expert_langs *out);

#endif
