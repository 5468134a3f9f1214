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

/*
 * The language of a page: the code Accept-Language (accept, may be NULL)
 * asks for among list ("en,de"), else dflt (i18n_accept); English when
 * that is not a language the programs speak. Never NULL.
 */
const struct lang *lang_accept(const char *list, const char *dflt,
	    const char *accept);
/*
 * The language of an expert's pages: her own when it is one of her
 * campaign's, else lang_accept among the campaign's languages.
 */
const struct lang *lang_of_expert(const struct store_expert_langs *,
	    const char *accept);
/*
 * The language of a page before sign-in, when no campaign is known:
 * Accept-Language among every language the programs speak, else English.
 */
const struct lang *lang_of_visitor(const char *accept);

#endif
