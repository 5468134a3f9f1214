/*
 * store/languages: the SQL of campaign and expert languages (see
 * languages.h). Never checks a code: app/lang.c does.
 */
#include <string.h>

#include "store/impl.h"
#include "store/languages.h"

struct langs_row {
	char	 langs[STORE_LANGS_SZ];
	char	 dflt[STORE_LANG_SZ];
};

static const struct store_col langs_cols[] = {
	STORE_TEXT(struct langs_row, langs),
	STORE_TEXT(struct langs_row, dflt),
};

int
store_campaign_languages(struct store *s, int64_t campaign_id,
    char langs[STORE_LANGS_SZ], char dflt[STORE_LANG_SZ])
{
	static const char q[] = "SELECT languages, default_language FROM "
	    "campaigns WHERE id = ?";
	struct langs_row	 row;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	if ((rc = STORE_ONE(s, st, "campaign languages", langs_cols,
	    &row)) != 0)
		return rc;
	memcpy(langs, row.langs, sizeof(row.langs));
	memcpy(dflt, row.dflt, sizeof(row.dflt));
	return 0;
}

int
store_campaign_languages_set(struct store *s, int64_t campaign_id,
    const char *langs, const char *dflt)
{
	static const char q[] = "UPDATE campaigns SET languages = ?, "
	    "default_language = ? WHERE id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(langs), STORE_ARG_TEXT(dflt),
	    STORE_ARG_I64(campaign_id));
	return store_change(s, st, "campaign languages");
}

struct lang_row {
	char	 lang[STORE_LANG_SZ];
};

static const struct store_col lang_cols[] = {
	STORE_TEXT(struct lang_row, lang),
};

int
store_expert_lang(struct store *s, int64_t expert_id,
    char lang[STORE_LANG_SZ])
{
	static const char q[] = "SELECT coalesce(lang, '') FROM experts "
	    "WHERE id = ?";
	struct lang_row	 row;
	sqlite3_stmt	*st;
	int		 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(expert_id));
	if ((rc = STORE_ONE(s, st, "expert lang", lang_cols, &row)) != 0)
		return rc;
	memcpy(lang, row.lang, sizeof(row.lang));
	return 0;
}

int
store_expert_lang_set(struct store *s, int64_t expert_id, const char *lang)
{
	static const char q[] = "UPDATE experts SET lang = ? WHERE id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, lang != NULL ? STORE_ARG_TEXT(lang) :
	    STORE_ARG_NULL, STORE_ARG_I64(expert_id));
	return store_change(s, st, "expert lang");
}

static const struct store_col expert_langs_cols[] = {
	STORE_I64(struct store_expert_langs, campaign_id),
	STORE_TEXT(struct store_expert_langs, lang),
	STORE_TEXT(struct store_expert_langs, langs),
	STORE_TEXT(struct store_expert_langs, dflt),
};

int
store_expert_langs(struct store *s, int64_t expert_id,
    struct store_expert_langs *out)
{
	static const char q[] = "SELECT c.id, coalesce(e.lang, ''), "
	    "c.languages, c.default_language FROM experts e JOIN campaigns c "
	    "ON c.id = e.campaign_id WHERE e.id = ?";
	struct store_expert_langs row;
	sqlite3_stmt	*st;
	int		 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(expert_id));
	if ((rc = STORE_ONE(s, st, "expert langs", expert_langs_cols,
	    &row)) != 0)
		return rc;
	*out = row;
	return 0;
}
