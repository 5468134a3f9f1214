/*
 * lang: which languages a campaign offers and which one an expert has
 * (store/languages.h), checked against those the programs speak
 * (base/i18n.h), for the CLI and the console alike.
 */
#ifndef KEYFIELD_LANG_H
#define KEYFIELD_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/languages.h"
#include "store/store.h"

#define LANG_PROBLEM_SZ	200	/* bytes of a problem naming a code */

/* Whether code is one of list ("en,de"). */
bool	 lang_in_list(const char *list, const char *code);
/*
 * Check the campaign languages list ("en, de": codes the programs speak,
 * each once, blanks ignored) and dflt (one of them; NULL: the first) into
 * out ("en,de") and out_dflt: 0, or 1 with a sentence in problem.
 */
int	 lang_list_check(const char *list, const char *dflt,
	    char out[STORE_LANGS_SZ], char out_dflt[STORE_LANG_SZ],
	    char *problem, size_t problemsz);
/*
 * Whether code may be an expert's language in a campaign of languages
 * list: true, or false with a sentence in problem.
 */
bool	 lang_expert_ok(const char *list, const char *code, char *problem,
	    size_t problemsz);
/*
 * Give expert_id of campaign_id the language code, one of the campaign's
 * (inside store_write): 0; 1 with a sentence in problem (the caller's
 * transaction is to be rolled back); -1.
 */
int	 lang_expert_set(struct store *, int64_t campaign_id,
	    int64_t expert_id, const char *code, char *problem,
	    size_t problemsz);

#endif
