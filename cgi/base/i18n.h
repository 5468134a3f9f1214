/*
 * i18n: the program's text in the reader's language. English is the
 * source: the message ids are the English text, and English needs no
 * catalogue. Every other language is a gettext catalogue po/LANG.po kept
 * in the repository and compiled into the programs (embed-po.sh), read
 * by our own small reader on first use: no setlocale, no installed
 * locales, no msgfmt at build time. A catalogue's Plural-Forms
 * expression is evaluated by a small C-expression evaluator over n, so a
 * third language is the file po/fr.po (the build compiles in every one).
 * tests/i18n.sh fails when a catalogue lacks a string the code passes to
 * tr() or trn() (xgettext --keyword=tr:2 --keyword=trn:2,3) or keeps one
 * it no longer uses.
 */
#ifndef KEYFIELD_I18N_H
#define KEYFIELD_I18N_H

#include <stdbool.h>
#include <stddef.h>

#define I18N_CODE_MAX	8	/* bytes of a language code ("de", "pt-br") */
#define I18N_PLURALS_MAX 6	/* plural forms a catalogue may have */
#define I18N_LANGS_MAX	16	/* catalogues compiled in */

struct lang;

/* A catalogue compiled in (embed-po.sh): its code and its .po text. */
struct i18n_source {
	const char	*code;
	const char	*po;
};
extern const struct i18n_source i18n_sources[];	/* ends with NULLs */

/* English, the source language (no catalogue): never NULL. */
const struct lang *i18n_english(void);
/*
 * The language of code ("de"; case ignored), its catalogue read on first
 * use; NULL when there is none or its catalogue cannot be read (logged).
 */
const struct lang *i18n_lang(const char *code);
/* The code of lang ("en" for NULL). */
const char	*i18n_code(const struct lang *);
/* Whether code names a language the programs have ("en" or a catalogue). */
bool		 i18n_known(const char *code);

/*
 * N_("text"): a message for the catalogues, marked where it is written
 * (a module below the pages that has no reader's language) and
 * translated with tr() where it is shown.
 */
#define N_(msgid)	(msgid)

/*
 * The translation of msgid into lang; msgid itself for English, for NULL,
 * or when the catalogue has no translation of it. Named short, as
 * gettext's _(), because every message goes through it.
 */
const char	*tr(const struct lang *, const char *msgid)
		    __attribute__((format_arg(2)));
/* The form of singular/plural for n in lang (its Plural-Forms). */
const char	*trn(const struct lang *, const char *singular,
		    const char *plural, unsigned long n)
		    __attribute__((format_arg(2), format_arg(3)));

/*
 * The language of the process's environment for the CLI: the first set
 * of LC_ALL, LC_MESSAGES, LANG ("de_DE.UTF-8" -> de), when there is such
 * a language; else English.
 */
const struct lang *i18n_from_env(void);

#define I18N_ACCEPT_MAX	1024	/* bytes of an Accept-Language read */
#define I18N_ACCEPT_RANGES 32	/* its ranges read */
/*
 * The language the Accept-Language header asks for among offered[0..n)
 * (codes such as "de"): the range of the highest weight (q) that names
 * one, the first of equal weights; a range with a region names its
 * language ("de-CH" -> de). fallback (the campaign's default) when none
 * does, for "*", and for a missing, malformed or huge header: a header
 * is never an error. A malformed range is skipped.
 */
const char	*i18n_accept(const char *header, const char *const *offered,
		    size_t n, const char *fallback);

/*
 * Parse the .po text po into a new language called code (for the tests
 * and i18n_lang): the language, or NULL with a message in err ("line N:
 * ...") for a malformed catalogue, or NULL with err "" when out of
 * memory. i18n_free frees it.
 */
struct lang	*i18n_parse(const char *code, const char *po, char *err,
		    size_t errsz);
void		 i18n_free(struct lang *);
/*
 * The plural form expression (a C expression over n, as in a .po's
 * Plural-Forms) for n: 0 or more, or -1 when it is malformed.
 */
long		 i18n_plural_eval(const char *expr, unsigned long n);

#define I18N_DATE_MAX	48	/* bytes of a date written out */
/*
 * The date of iso ("YYYY-MM-DD", or an ISO 8601 time that starts with
 * one) written out for lang into out[I18N_DATE_MAX]: "6 December 2026",
 * "6. Dezember 2026" (the month names and the order are the catalogue's).
 * iso itself when it is no such date; "" for NULL or "".
 */
const char	*i18n_date(const struct lang *, const char *iso,
		    char out[I18N_DATE_MAX]);
/*
 * The number num as written in lang ("2.5" -> "2,5" in German: the
 * catalogue's translation of "." is the decimal mark) into out: out, or
 * num itself when out is too small.
 */
const char	*i18n_number(const struct lang *, const char *num, char *out,
		    size_t outsz);

/* The same with the time: "6 December 2026, 07:11 UTC". */
void	 i18n_time(const struct lang *, const char *iso,
	    char out[I18N_DATE_MAX]);

#define I18N_DECIMAL_SZ	32	/* bytes of i18n_decimal's out */
/*
 * v with at most decimals digits after the point (trailing zeros
 * dropped) and the language's decimal mark (i18n_number): "2.5" / "2,5",
 * "3".
 */
void	 i18n_decimal(const struct lang *, double v, int decimals,
	    char out[I18N_DECIMAL_SZ]);

/* The name of the language of code in itself ("Deutsch", "English"). */
const char	*i18n_name(const char *code);

#endif
