/*
 * lang: the checks of campaign and expert languages (see lang.h). Never
 * stores anything.
 */
#include <inttypes.h>
#include <string.h>

#include "app/lang.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/log.h"

bool
lang_in_list(const char *list, const char *code)
{
	size_t	 n = strlen(code), len;

	for (const char *p = list; *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (len == n && n > 0 && strncmp(p, code, n) == 0)
			return true;
	}
	return false;
}

/* Add the code s[0..len) to out's list: 0, or 1 (problem). */
static int
list_add(const char *s, size_t len, char *out, char *problem,
    size_t problemsz)
{
	char	 code[STORE_LANG_SZ];
	size_t	 n = strlen(out);

	if (len == 0 || len >= sizeof(code) || buf_fmt(code, sizeof(code),
	    "%.*s", (int)len, s) == -1 || !i18n_known(code)) {
		if (buf_fmt(problem, problemsz, "\"%.*s\" is not a language "
		    "keyfield speaks: use en or the name of a catalogue "
		    "po/LANG.po, such as de", (int)(len < 16 ? len : 16),
		    s) == -1)
			buf_mark_cut(problem, problemsz);
		return 1;
	}
	if (lang_in_list(out, code)) {
		(void)buf_fmt(problem, problemsz, "%s is listed twice", code);
		return 1;
	}
	if (buf_fmt(out + n, STORE_LANGS_SZ - n, "%s%s", n ? "," : "",
	    code) == -1) {
		(void)buf_fmt(problem, problemsz, "the list is longer than %d "
		    "bytes", STORE_LANGS_SZ - 1);
		return 1;
	}
	return 0;
}

int
lang_list_check(const char *list, const char *dflt,
    char out[STORE_LANGS_SZ], char out_dflt[STORE_LANG_SZ], char *problem,
    size_t problemsz)
{
	const char	*p = list;
	size_t		 len;

	*out = '\0';
	for (; *p != '\0'; p += len + (p[len] == ',')) {
		p += strspn(p, " \t");
		len = strcspn(p, ",");
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (list_add(p, len, out, problem, problemsz) != 0)
			return 1;
		len += strcspn(p + len, ",");
	}
	if (*out == '\0') {
		(void)buf_fmt(problem, problemsz, "name at least one language");
		return 1;
	}
	/* No default: the first listed (a code: it fits). */
	if (dflt == NULL)
		(void)buf_fmt(out_dflt, STORE_LANG_SZ, "%.*s",
		    (int)strcspn(out, ","), out);
	else if (buf_fmt(out_dflt, STORE_LANG_SZ, "%s", dflt) == -1 ||
	    !lang_in_list(out, out_dflt)) {
		if (buf_fmt(problem, problemsz, "the default language "
		    "\"%.16s\" is not one of %s", dflt, out) == -1)
			buf_mark_cut(problem, problemsz);
		return 1;
	}
	return 0;
}

bool
lang_expert_ok(const char *list, const char *code, char *problem,
    size_t problemsz)
{
	if (lang_in_list(list, code))
		return true;
	if (buf_fmt(problem, problemsz, "the language \"%.16s\" is not one "
	    "of this campaign's (%s)", code, list) == -1)
		buf_mark_cut(problem, problemsz);
	return false;
}

int
lang_expert_set(struct store *s, int64_t campaign_id, int64_t expert_id,
    const char *code, char *problem, size_t problemsz)
{
	char	 list[STORE_LANGS_SZ], dflt[STORE_LANG_SZ];
	int	 rc;

	if ((rc = store_campaign_languages(s, campaign_id, list, dflt)) != 0)
		return -1;	/* 1: the caller's campaign is gone: a bug */
	if (!lang_expert_ok(list, code, problem, problemsz))
		return 1;
	if ((rc = store_expert_lang_set(s, expert_id, code)) == 1)
		log_err("lang: expert %" PRId64 " is not there", expert_id);
	return rc == 0 ? 0 : -1;
}

const struct lang *
lang_accept(const char *list, const char *dflt, const char *accept)
{
	char		 copy[STORE_LANGS_SZ], *p, *code;
	const char	*offered[I18N_LANGS_MAX + 1];
	const struct lang *l;
	size_t		 n = 0;

	if (buf_fmt(copy, sizeof(copy), "%s", list) == -1)
		*copy = '\0';
	for (p = copy; n < I18N_LANGS_MAX + 1 &&
	    (code = strsep(&p, ",")) != NULL;)
		if (*code != '\0')
			offered[n++] = code;
	l = i18n_lang(i18n_accept(accept, offered, n, dflt));
	return l != NULL ? l : i18n_english();
}

const struct lang *
lang_of_expert(const struct store_expert_langs *e, const char *accept)
{
	const struct lang *l;

	if (*e->lang != '\0' && lang_in_list(e->langs, e->lang) &&
	    (l = i18n_lang(e->lang)) != NULL)
		return l;
	return lang_accept(e->langs, e->dflt, accept);
}

const struct lang *
lang_of_visitor(const char *accept)
{
	char	 list[STORE_LANGS_SZ] = "en";
	size_t	 at = 2;

	for (size_t i = 0; i < I18N_LANGS_MAX &&
	    i18n_sources[i].code != NULL; i++)
		if (buf_fmt(list + at, sizeof(list) - at, ",%s",
		    i18n_sources[i].code) == 0)
			at += strlen(list + at);
		else
			list[at] = '\0';
	return lang_accept(list, "en", accept);
}
