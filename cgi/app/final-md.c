/*
 * final-md: a final card in the seed card's Markdown layout, and the
 * export of a campaign's published final cards. Texts are the
 * coordinator's Markdown and are written as they are.
 */
#include <stdlib.h>
#include <string.h>

#include "app/final.h"
#include "app/stats.h"
#include "base/form.h"
#include "base/i18n.h"
#include "store/finals.h"
#include "store/languages.h"

/* The city table: codes, then ratings ("-" for none) and the total. */
static void
md_table(struct buf *b, const struct final_card *fc, const struct lang *l)
{
	for (size_t i = 0; i < fc->ncities; i++)
		buf_printf(b, "%s\t", fc->cities[i].key);
	buf_printf(b, "%s\n", tr(l, "Total"));
	for (size_t i = 0; i < fc->ncities; i++)
		if (fc->ratings[i] >= 0)
			buf_printf(b, "%d\t", fc->ratings[i]);
		else
			buf_puts(b, "-\t");
	buf_printf(b, "%d\n\n", final_total(fc));
}

int
final_md(struct buf *b, const struct final_card *fc, const char *code,
    const char *title)
{
	return final_md_lang(b, fc, code, title, NULL);
}

int
final_md_lang(struct buf *b, const struct final_card *fc, const char *code,
    const char *title, const struct lang *l)
{
	buf_printf(b, "# %s: %s\n\n", code, title);
	md_table(b, fc, l);
	buf_printf(b, "#### **%s**\n\n", tr(l, "Example:"));
	for (size_t i = 0; i < fc->ncities; i++)
		if (fc->examples[i] != NULL)
			buf_printf(b, "**%s:** %s\n\n", fc->cities[i].label,
			    fc->examples[i]);
	for (size_t i = 0; i < FINAL_SECTIONS; i++) {
		buf_printf(b, "# %s\n\n", final_section_title(l, i));
		if (fc->sections[i] != NULL)
			buf_printf(b, "%s\n\n", fc->sections[i]);
	}
	return buf_failed(b) ? -1 : 0;
}

/* Bytes of one card's Markdown. */
#define FINAL_MD_MAX	(4 * FINAL_BODY_MAX)

/* Field f's published card to out: 0, 1 when none is published, -1. */
static int
md_field(struct store *s, const struct stats_campaign *sc,
    const struct store_field *f, bool first, const struct lang *l,
    FILE *out)
{
	struct final_card	 fc;
	struct store_final	 meta;
	struct buf		 b;
	int			 rc;

	final_init(&fc, sc->cities, sc->ncities);
	buf_init(&b, FINAL_MD_MAX);
	if ((rc = final_load(s, f->id, STORE_FINAL_PUBLISHED, &fc,
	    &meta)) == 0) {
		if (!first)
			buf_puts(&b, "\n");
		rc = final_md_lang(&b, &fc, f->code, f->title, l);
		if (rc == 0 && fputs(buf_str(&b), out) == EOF)
			rc = -1;
	}
	buf_free(&b);
	final_free(&fc);
	return rc;
}

int
final_md_export(struct store *s, const char *slug, const char *field_code,
    const char *lang, FILE *out)
{
	struct stats_campaign	 sc;
	char			 langs[STORE_LANGS_SZ], dflt[STORE_LANG_SZ];
	const struct lang	*l;
	size_t			 done = 0, matched = 0;
	int			 rc;

	if ((rc = stats_campaign_load(s, slug, 0, &sc)) != 0)
		return rc == 1 ? 1 : -1;
	if (lang == NULL && (rc = store_campaign_languages(s, sc.c.id, langs,
	    dflt)) != 0) {
		rc = -1;
		goto out;
	}
	l = i18n_lang(lang != NULL ? lang : dflt);
	for (size_t i = 0; i < sc.nfields; i++) {
		if (field_code != NULL &&
		    strcmp(field_code, sc.fields[i].code) != 0)
			continue;
		matched++;
		if ((rc = md_field(s, &sc, &sc.fields[i], done == 0, l,
		    out)) == -1)
			goto out;
		done += rc == 0;
	}
	rc = matched == 0 ? 2 : done == 0 ? 3 : 0;
out:
	stats_campaign_free(&sc);
	return rc;
}
