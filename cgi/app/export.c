/*
 * export: CSV, long CSV, JSON, XLSX and Markdown, one version at a time.
 * Never holds two responses' answers, a draft, or a CSV formula cell.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <xlsxwriter.h>

#include "base/buf.h"
#include "app/export.h"
#include "base/form.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/rating.h"
#include "store/exports.h"
#include "store/languages.h"
#include "store/rounds.h"
#include "app/view.h"
#include "store/forms.h"

#define EXPORT_CELL_MAX	(16 * 1024 * 1024)	/* bytes in a cell */
#define EXPORT_XLSX_CHARS	32767	/* characters in an XLSX cell */
#define EXPORT_XLSX_ROWS	LXW_ROW_MAX	/* rows in one sheet */
#define EXPORT_SHEETS_MAX	64	/* sheets of one table */
#define EXPORT_COPY_CHUNK	65536	/* bytes per read when copying */
#define GRID_KEYSZ	(2 * FORM_KEY_MAX + 2)	/* "grid.column", NUL */
#define NUM_TEXTSZ	sizeof("-9223372036854775808")	/* long long */

_Static_assert(LLONG_MIN == -9223372036854775807LL - 1,
    "NUM_TEXTSZ holds every long long in decimal");

#define UTF8_BOM		"\xef\xbb\xbf"

struct export;
struct json_state;
struct md_doc;

/* The two tables every spreadsheet format is made of. */
enum table {
	TABLE_WIDE,	/* one row per version, one column per slot */
	TABLE_LONG,	/* one row per value */
	TABLE__MAX
};

static const char *const table_sheets[] = { "Responses", "Values" };
_Static_assert(sizeof(table_sheets) / sizeof(table_sheets[0]) ==
    TABLE__MAX, "one sheet name per table");

/* The columns of the wide table before the slots. */
enum wide_col {
	WIDE_CAMPAIGN, WIDE_FIELD, WIDE_FIELD_TITLE, WIDE_EXPERT,
	WIDE_EMAIL, WIDE_VERSION, WIDE_SUBMITTED, WIDE__MAX
};

struct column {
	const char	*head;
	double		 width;		/* XLSX, in characters */
	bool		 number;	/* XLSX: a number cell */
};

static const struct column wide_cols[] = {
	{ "campaign", 14, false }, { "key_field", 10, false },
	{ "key_field_title", 30, false }, { "expert", 24, false },
	{ "expert_email", 28, false }, { "version", 8, true },
	{ "submitted_at", 24, false },
};
_Static_assert(sizeof(wide_cols) / sizeof(wide_cols[0]) == WIDE__MAX,
    "one heading per wide column");

/* The columns of the long table. */
enum long_col {
	LONG_CAMPAIGN, LONG_FIELD, LONG_EXPERT, LONG_ROUND, LONG_VERSION,
	LONG_LANG, LONG_SECTION, LONG_QUESTION, LONG_ROW, LONG_ITEM, LONG_VALUE,
	LONG__MAX
};

static const struct column long_cols[] = {
	{ "campaign", 14, false }, { "key_field", 10, false },
	{ "expert", 24, false }, { "round", 6, true },
	{ "version", 8, true }, { "lang", 6, false },
	{ "section", 16, false },
	{ "question", 22, false }, { "row", 12, false },
	{ "item", 6, true }, { "value", 70, false },
};
_Static_assert(sizeof(long_cols) / sizeof(long_cols[0]) == LONG__MAX,
    "one heading per long column");

/* XLSX column width of a slot, by the type of its question. */
static const double type_widths[] = { 30, 50, 10, 14, 50, 20 };
_Static_assert(sizeof(type_widths) / sizeof(type_widths[0]) ==
    FORM_TYPE__MAX, "one width per question type");

/* Where table rows go: a CSV stream or the sheets of a workbook. */
enum sink {
	SINK_CSV,
	SINK_XLSX,
	SINK__MAX
};

struct sink_ops {
	/* A heading cell; width is for XLSX. */
	int	(*head)(struct export *, enum table, const char *, double);
	/* A text cell, or a number when number and it is a whole number. */
	int	(*cell)(struct export *, enum table, const char *,
		    bool number);
	int	(*end)(struct export *, enum table);
};

/* One export in progress. */
struct export {
	struct store		*s;
	const struct export_opts *opts;
	FILE			*out;
	struct store_export_campaign c;
	int64_t			 field_id;	/* 0: all key fields */
	int			 round;		/* 0: every round */
	int			 rounds;	/* the campaign's round now */
	struct store_form	*forms;		/* every form version */
	struct form		**loaded;	/* forms[i], loaded */
	size_t			 nforms;
	const struct form	*form;		/* the campaign's */
	char			 lang[STORE_LANG_SZ];	/* of the labels */
	const struct lang	*l;		/* ... its catalogue */
	bool			 labels;	/* XLSX: headings as labels,
						 * not keys */
	struct buf		 cell;		/* one cell's text */
	struct buf		 clip;		/* XLSX: a cell fixed */
	bool			*used;		/* answers written */
	size_t			 usedcap;
	const struct sink_ops	*sink;
	unsigned		 col[TABLE__MAX];	/* next column */
	/* XLSX */
	lxw_workbook		*wb;
	lxw_worksheet		*ws[TABLE__MAX];
	unsigned		 nsheets[TABLE__MAX];
	lxw_row_t		 row[TABLE__MAX];
	lxw_format		*fhead, *ftext, *fnum;
	size_t			 clipped;	/* cells cut to fit */
	struct json_state	*json;		/* JSON: being built */
	struct md_doc		*md;		/* MD: being built */
};

/* ---- formats ---- */

static int	 write_csv(struct export *);
static int	 write_csv_long(struct export *);
static int	 write_json(struct export *);
static int	 write_xlsx(struct export *);
static int	 write_md(struct export *);

static const struct {
	const char	*name;
	const char	*suffix;	/* after the slug in file names */
	const char	*type;		/* MIME type */
	int		(*write)(struct export *);
	bool		 every_round;	/* by default; else the last */
} formats[] = {
	{ "csv", ".csv", "text/csv; charset=utf-8", write_csv, false },
	{ "csv-long", "-long.csv", "text/csv; charset=utf-8", write_csv_long,
	    true },
	{ "json", ".json", "application/json", write_json, true },
	{ "xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet", write_xlsx, false },
	{ "md", ".md", "text/markdown; charset=utf-8", write_md, false },
};
_Static_assert(sizeof(formats) / sizeof(formats[0]) == EXPORT_FORMAT__MAX,
    "one entry per export format");

int
export_format_parse(const char *name)
{
	for (int i = 0; i < EXPORT_FORMAT__MAX; i++)
		if (strcmp(name, formats[i].name) == 0)
			return i;
	return -1;
}

const char *
export_format_name(enum export_format fmt)
{
	assert((unsigned)fmt < EXPORT_FORMAT__MAX);
	return formats[fmt].name;
}

const char *
export_content_type(enum export_format fmt)
{
	assert((unsigned)fmt < EXPORT_FORMAT__MAX);
	return formats[fmt].type;
}

void
export_filename(char *out, size_t outsz, const char *slug,
    enum export_format fmt)
{
	const char	*suffix;
	size_t		 room, n = 0;

	assert((unsigned)fmt < EXPORT_FORMAT__MAX);
	suffix = formats[fmt].suffix;
	assert(outsz > strlen(suffix));
	room = outsz - strlen(suffix) - 1;
	for (const char *p = slug; *p != '\0' && n < room; p++, n++)
		out[n] = isalnum((unsigned char)*p) || *p == '-' ||
		    *p == '_' || (*p == '.' && n > 0) ? *p : '_';
	if (n == 0 && room > 0) {
		n = room < 6 ? room : 6;
		memcpy(out, "export", n);
	}
	/* room left strlen(suffix) + 1 bytes: the suffix is never cut. */
	memcpy(out + n, suffix, strlen(suffix) + 1);
}

/* ---- helpers ---- */

/*
 * n in decimal. Never cut: NUM_TEXTSZ holds every long long (the
 * _Static_assert above), and out has NUM_TEXTSZ bytes.
 */
static const char *
num_text(char out[static NUM_TEXTSZ], long long n)
{
	int	 cut;

	cut = buf_fmt(out, NUM_TEXTSZ, "%lld", n);
	assert(cut == 0);
	(void)cut;
	return out;
}

/*
 * The answers' question of column c of grid g, "grid.column". Never cut:
 * form_load takes keys of at most FORM_KEY_MAX bytes, so GRID_KEYSZ
 * holds two of them and the dot.
 */
static const char *
grid_key(char out[static GRID_KEYSZ], const struct form_question *g,
    size_t c)
{
	int	 cut;

	cut = buf_fmt(out, GRID_KEYSZ, "%s.%s", g->key, g->columns[c].key);
	assert(cut == 0);
	(void)cut;
	return out;
}

/* Does a spreadsheet take a cell starting like v for a formula? */
static bool
formula_start(const char *v)
{
	return v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL;
}

static const struct store_export_field *
field_of(const struct export *e, int64_t id)
{
	for (size_t i = 0; i < e->c.nfields; i++)
		if (e->c.fields[i].id == id)
			return &e->c.fields[i];
	return NULL;
}

/* The form with this id, loaded on first use; NULL (logged). */
static const struct form *
form_of(struct export *e, int64_t id)
{
	struct form_errors	*errs;

	for (size_t i = 0; i < e->nforms; i++) {
		if (e->forms[i].id != id)
			continue;
		if (e->loaded[i] != NULL)
			return e->loaded[i];
		if ((errs = malloc(sizeof(*errs))) == NULL) {
			log_err("export: %s", strerror(errno));
			return NULL;
		}
		e->loaded[i] = form_load(e->forms[i].definition,
		    strlen(e->forms[i].definition), errs);
		if (e->loaded[i] == NULL)
			log_err("export: form %s version %d does not load: "
			    "%s: %s", e->forms[i].name, e->forms[i].version,
			    errs->n > 0 ? errs->v[0].path : "$",
			    errs->n > 0 ? errs->v[0].message : "?");
		free(errs);
		return e->loaded[i];
	}
	log_err("export: no form with id %lld", (long long)id);
	return NULL;
}

/* A text of the campaign's form (a label, a title) in e's language. */
static const char *
ftext(const struct export *e, const char *text)
{
	return form_text(e->form, text, e->lang);
}

/*
 * The label of option value of a choice in e's language, or the value
 * itself.
 */
static const char *
option_label(const struct export *e, const struct form_question *q,
    const char *value)
{
	if (q->type == FORM_CHOICE)
		for (size_t i = 0; i < q->noptions; i++)
			if (strcmp(q->options[i].value, value) == 0)
				return ftext(e, q->options[i].label);
	return value;
}

/* Where temporary files go: $TMPDIR, or /tmp when it is unset or empty. */
static const char *
temp_dir(void)
{
	const char	*dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : "/tmp";
}

/*
 * A new file in temp_dir(), its name in path: its descriptor, or -1
 * (logged) when the name would not fit in PATH_MAX bytes or mkstemp fails.
 */
static int
temp_make(char path[static PATH_MAX])
{
	const char	*dir = temp_dir();
	int		 fd;

	if (buf_fmt(path, PATH_MAX, "%s/keyfield-export.XXXXXX", dir) == -1) {
		log_err("export: a file name in the temporary directory %s "
		    "would be longer than %d bytes", dir, PATH_MAX - 1);
		return -1;
	}
	if ((fd = mkstemp(path)) == -1)
		log_err("export: mkstemp %s: %s", path, strerror(errno));
	return fd;
}

/* An unlinked temporary file in temp_dir(), open for update. */
static FILE *
temp_open(void)
{
	char		 path[PATH_MAX];
	FILE		*f;
	int		 fd;

	if ((fd = temp_make(path)) == -1)
		return NULL;
	unlink(path);
	if ((f = fdopen(fd, "w+")) == NULL) {
		log_err("export: fdopen: %s", strerror(errno));
		close(fd);
	}
	return f;
}

/* Copy all of from (rewound first) to the end of to. 0 or -1. */
static int
copy_file(FILE *from, FILE *to)
{
	char	 chunk[EXPORT_COPY_CHUNK];
	size_t	 n;

	if (fflush(from) == EOF || fseek(from, 0, SEEK_SET) == -1) {
		log_err("export: temporary file: %s", strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), from)) > 0)
		if (fwrite(chunk, 1, n, to) != n)
			return -1;
	if (ferror(from)) {
		log_err("export: reading a temporary file failed");
		return -1;
	}
	return 0;
}

/*
 * Run fn on each exported version of field_id (0: all) in the export's
 * round (or every round). 0 or -1.
 */
static int
each_version(struct export *e, int64_t field_id, bool all,
    int (*fn)(struct export *, const struct store_export_version *))
{
	struct store_export_iter		*it;
	const struct store_export_version	*v;
	int					 rc;

	if ((it = store_export_open(e->s, e->c.id, field_id, all,
	    e->round)) == NULL)
		return -1;
	while ((rc = store_export_next(it, &v)) == 0)
		if (fn(e, v) == -1) {
			rc = -1;
			break;
		}
	store_export_close(it);
	return rc == 1 ? 0 : -1;
}

/*
 * Call fn for every value of v in the order of its form (slots, list
 * items in order), then for the values its form has no place for (section
 * ""), so that no value is ever left out.
 */
struct values_walk {
	struct export				*e;
	const struct store_export_version	*v;
	int	(*fn)(struct export *, const struct store_export_version *,
		    const char *, const struct form_value *);
};

static int
values_slot(void *arg, const struct view_slot *s)
{
	struct values_walk		*w = arg;
	const struct form_answers	*a = &w->v->answers;

	for (size_t i = 0; i < a->n; i++) {
		if (w->e->used[i] || strcmp(a->v[i].question,
		    s->question) != 0 || strcmp(a->v[i].row, s->rowkey) != 0)
			continue;
		w->e->used[i] = true;
		if (w->fn(w->e, w->v, s->section->key, &a->v[i]) == -1)
			return -1;
	}
	return 0;
}

static int
each_value(struct export *e, const struct store_export_version *v,
    int (*fn)(struct export *, const struct store_export_version *,
    const char *, const struct form_value *))
{
	struct values_walk	 w = { e, v, fn };
	const struct form	*f;
	bool			*nu;

	if (v->answers.n > e->usedcap) {
		if ((nu = reallocarray(e->used, v->answers.n,
		    sizeof(*nu))) == NULL) {
			log_err("export: %s", strerror(errno));
			return -1;
		}
		e->used = nu;
		e->usedcap = v->answers.n;
	}
	if (v->answers.n > 0)
		memset(e->used, 0, v->answers.n * sizeof(*e->used));
	if ((f = form_of(e, v->form_id)) == NULL)
		f = e->form;
	if (view_slots(f, e->c.cities, e->c.ncities, values_slot, &w) != 0)
		return -1;
	for (size_t i = 0; i < v->answers.n; i++)
		if (!e->used[i] && fn(e, v, "", &v->answers.v[i]) == -1)
			return -1;
	return 0;
}

/* ---- the tables, written through a sink ---- */

/* The label of a fixed column of the wide table, for XLSX headings. */
static const char *
wide_label(const struct lang *l, enum wide_col c)
{
	switch (c) {
	case WIDE_CAMPAIGN: return tr(l, "Campaign");
	case WIDE_FIELD: return tr(l, "Key field");
	case WIDE_FIELD_TITLE: return tr(l, "Key field title");
	case WIDE_EXPERT: return tr(l, "Expert");
	case WIDE_EMAIL: return tr(l, "E-mail address");
	case WIDE_VERSION: return tr(l, "Version");
	default: return tr(l, "Submitted at");
	}
}

/* The label of a column of the long table, for XLSX headings. */
static const char *
long_label(const struct lang *l, enum long_col c)
{
	switch (c) {
	case LONG_CAMPAIGN: return tr(l, "Campaign");
	case LONG_FIELD: return tr(l, "Key field");
	case LONG_EXPERT: return tr(l, "Expert");
	case LONG_ROUND: return tr(l, "Round");
	case LONG_VERSION: return tr(l, "Version");
	case LONG_LANG: return tr(l, "Language");
	case LONG_SECTION: return tr(l, "Section");
	case LONG_QUESTION: return tr(l, "Question");
	case LONG_ROW: return tr(l, "Row");
	case LONG_ITEM: return tr(l, "Item");
	default: return tr(l, "Value");
	}
}

/*
 * A slot's heading in e's language: its question's (or column's) label
 * with "{row}" filled in with its row's label, into buf.
 */
static const char *
slot_label(const struct export *e, const struct view_slot *s, char *buf,
    size_t bufsz)
{
	const char	*tmpl = ftext(e, s->q->label), *at;

	if (s->row == NULL || (at = strstr(tmpl, "{row}")) == NULL)
		return tmpl;
	if (buf_fmt(buf, bufsz, "%.*s%s%s", (int)(at - tmpl), tmpl,
	    ftext(e, s->row->label), at + 5) == -1)
		buf_mark_cut(buf, bufsz);
	return buf;
}

static int
wide_head_slot(void *arg, const struct view_slot *s)
{
	struct export	*e = arg;
	char		 label[sizeof(s->labelbuf)];

	return e->sink->head(e, TABLE_WIDE, slot_label(e, s, label,
	    sizeof(label)), type_widths[s->q->type]);
}

static int
wide_head(struct export *e)
{
	for (int i = 0; i < WIDE__MAX; i++)
		if (e->sink->head(e, TABLE_WIDE, e->labels ?
		    wide_label(e->l, i) : wide_cols[i].head,
		    wide_cols[i].width) == -1)
			return -1;
	if (view_slots(e->form, e->c.cities, e->c.ncities, wide_head_slot,
	    e) != 0)
		return -1;
	return e->sink->end(e, TABLE_WIDE);
}

/* The cells of table t, cells[i] in column cols[i]. 0 or -1. */
static int
table_cells(struct export *e, enum table t, const struct column *cols,
    const char *const *cells, size_t ncells)
{
	for (size_t i = 0; i < ncells; i++)
		if (e->sink->cell(e, t, cells[i], cols[i].number) == -1)
			return -1;
	return 0;
}

struct wide_walk {
	struct export				*e;
	const struct store_export_version	*v;
};

static int
wide_slot(void *arg, const struct view_slot *s)
{
	struct wide_walk	*w = arg;
	struct export		*e = w->e;

	buf_reset(&e->cell);
	if (view_value(&e->cell, &w->v->answers, s) == -1) {
		log_err("export: a value is longer than %d bytes",
		    EXPORT_CELL_MAX);
		return -1;
	}
	return e->sink->cell(e, TABLE_WIDE, buf_str(&e->cell),
	    s->q->type == FORM_SCALE);
}

static int
wide_row(struct export *e, const struct store_export_version *v)
{
	const struct store_export_field	*f = field_of(e, v->field_id);
	struct wide_walk		 w = { e, v };
	char				 version[NUM_TEXTSZ];
	const char			*cells[WIDE__MAX] = {
		[WIDE_CAMPAIGN] = e->c.slug,
		[WIDE_FIELD] = f != NULL ? f->code : "",
		[WIDE_FIELD_TITLE] = f != NULL ? f->title : "",
		[WIDE_EXPERT] = v->expert_name,
		[WIDE_EMAIL] = v->expert_email,
		[WIDE_VERSION] = num_text(version, v->version),
		[WIDE_SUBMITTED] = v->submitted_at,
	};

	if (table_cells(e, TABLE_WIDE, wide_cols, cells, WIDE__MAX) == -1)
		return -1;
	if (view_slots(e->form, e->c.cities, e->c.ncities, wide_slot,
	    &w) != 0)
		return -1;
	return e->sink->end(e, TABLE_WIDE);
}

static int
long_head(struct export *e)
{
	for (int i = 0; i < LONG__MAX; i++)
		if (e->sink->head(e, TABLE_LONG, e->labels ?
		    long_label(e->l, i) : long_cols[i].head,
		    long_cols[i].width) == -1)
			return -1;
	return e->sink->end(e, TABLE_LONG);
}

static int
long_value(struct export *e, const struct store_export_version *v,
    const char *section, const struct form_value *fv)
{
	const struct store_export_field	*f = field_of(e, v->field_id);
	char				 version[NUM_TEXTSZ];
	char				 item[NUM_TEXTSZ], round[NUM_TEXTSZ];
	const char			*cells[LONG__MAX] = {
		[LONG_CAMPAIGN] = e->c.slug,
		[LONG_FIELD] = f != NULL ? f->code : "",
		[LONG_EXPERT] = v->expert_name,
		[LONG_ROUND] = num_text(round, v->round),
		[LONG_VERSION] = num_text(version, v->version),
		[LONG_LANG] = v->lang != NULL ? v->lang : "",
		[LONG_SECTION] = section,
		[LONG_QUESTION] = fv->question,
		[LONG_ROW] = fv->row,
		[LONG_ITEM] = num_text(item, fv->item),
		[LONG_VALUE] = fv->value,
	};

	if (table_cells(e, TABLE_LONG, long_cols, cells, LONG__MAX) == -1)
		return -1;
	return e->sink->end(e, TABLE_LONG);
}

static int
long_rows(struct export *e, const struct store_export_version *v)
{
	return each_value(e, v, long_value);
}

/* ---- CSV ---- */

int
export_csv_cell(FILE *out, const char *v, bool first)
{
	return export_csv_cell_sep(out, v, first, ',');
}

char
export_delimiter_parse(const char *s)
{
	if (s == NULL || strcmp(s, "comma") == 0 || strcmp(s, ",") == 0)
		return ',';
	if (strcmp(s, "semicolon") == 0 || strcmp(s, ";") == 0)
		return ';';
	return 0;
}

int
export_csv_cell_sep(FILE *out, const char *v, bool first, char delim)
{
	bool		 quote = strpbrk(v, "\"\r\n") != NULL ||
	    strchr(v, delim) != NULL;
	const char	*p, *q;

	if (!first)
		putc(delim, out);
	if (quote)
		putc('"', out);
	if (formula_start(v))
		putc('\'', out);
	for (p = v; *p != '\0'; p = q) {
		/* Up to and including the next quote, which is doubled. */
		if ((q = strchr(p, '"')) != NULL)
			q++;
		else
			q = p + strlen(p);
		fwrite(p, 1, (size_t)(q - p), out);
		if (q[-1] == '"')
			putc('"', out);
	}
	if (quote)
		putc('"', out);
	return ferror(out) ? -1 : 0;
}

static int
csv_head(struct export *e, enum table t, const char *label, double width)
{
	return export_csv_cell_sep(e->out, label, e->col[t]++ == 0,
	    e->opts->delim == ';' ? ';' : ',');
}

static int
csv_cell(struct export *e, enum table t, const char *v, bool number)
{
	return export_csv_cell_sep(e->out, v, e->col[t]++ == 0,
	    e->opts->delim == ';' ? ';' : ',');
}

static int
csv_end(struct export *e, enum table t)
{
	e->col[t] = 0;
	return fputs("\r\n", e->out) == EOF ? -1 : 0;
}

static int
csv_start(struct export *e)
{
	return e->opts->bom && fputs(UTF8_BOM, e->out) == EOF ? -1 : 0;
}

static int
write_csv(struct export *e)
{
	if (csv_start(e) == -1 || wide_head(e) == -1)
		return -1;
	return each_version(e, e->field_id, e->opts->all_versions, wide_row);
}

static int
write_csv_long(struct export *e)
{
	if (csv_start(e) == -1 || long_head(e) == -1)
		return -1;
	return each_version(e, e->field_id, e->opts->all_versions, long_rows);
}

/* ---- XLSX ---- */

static int
lxw_check(lxw_error err, const char *what)
{
	if (err == LXW_NO_ERROR)
		return 0;
	log_err("xlsx %s: %s", what, lxw_strerror(err));
	return -1;
}

/*
 * Add the next sheet of table t ("Values", "Values (2)", ...) with its
 * columns and frozen heading row, and write the heading.
 */
static int
xlsx_sheet(struct export *e, enum table t)
{
	char	 name[32];
	int	 cut;

	if (e->nsheets[t] == EXPORT_SHEETS_MAX) {
		log_err("xlsx: more than %d sheets of %s", EXPORT_SHEETS_MAX,
		    table_sheets[t]);
		return -1;
	}
	if (e->nsheets[t] == 0)
		cut = buf_fmt(name, sizeof(name), "%s", table_sheets[t]);
	else
		cut = buf_fmt(name, sizeof(name), "%s (%u)", table_sheets[t],
		    e->nsheets[t] + 1);
	if (cut == -1) {
		log_err("xlsx: a sheet name of %s is longer than %zu bytes",
		    table_sheets[t], sizeof(name) - 1);
		return -1;
	}
	if ((e->ws[t] = workbook_add_worksheet(e->wb, name)) == NULL) {
		log_err("xlsx: cannot add the sheet %s", name);
		return -1;
	}
	e->nsheets[t]++;
	e->row[t] = 0;
	e->col[t] = 0;
	worksheet_freeze_panes(e->ws[t], 1, 0);
	return t == TABLE_WIDE ? wide_head(e) : long_head(e);
}

static int
xlsx_head(struct export *e, enum table t, const char *label, double width)
{
	lxw_col_t	 c = (lxw_col_t)e->col[t]++;

	if (lxw_check(worksheet_set_column(e->ws[t], c, c, width, NULL),
	    "column") == -1)
		return -1;
	return lxw_check(worksheet_write_string(e->ws[t], e->row[t], c, label,
	    e->fhead), "heading");
}

/* Does p start "_xHHHH_", which an XLSX reader takes for an escape? */
static bool
xlsx_escape_at(const char *p)
{
	if (p[0] != '_' || p[1] != 'x')
		return false;
	for (int i = 2; i < 6; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return p[6] == '_';
}

/*
 * v as an XLSX cell must hold it: line breaks as LF only (a CR would
 * show as "_x000D_"), a literal "_xHHHH_" written as "_x005F_xHHHH_" so
 * that it is not decoded, at most EXPORT_XLSX_CHARS characters (the
 * rest is cut and counted). v itself when nothing changes, else a copy
 * in e->clip; NULL when out of memory (logged).
 */
static const char *
xlsx_text(struct export *e, const char *v)
{
	const char	*p;
	size_t		 chars = 0;
	bool		 change = false;

	for (p = v; *p != '\0' && !change; p++)
		change = *p == '\r' || xlsx_escape_at(p) ||
		    (((unsigned char)*p & 0xc0) != 0x80 &&
		    ++chars > EXPORT_XLSX_CHARS);
	if (!change)
		return v;
	buf_reset(&e->clip);
	for (p = v, chars = 0; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 &&
		    ++chars > EXPORT_XLSX_CHARS) {
			e->clipped++;
			break;
		}
		if (*p == '\r' && p[1] == '\n')
			continue;
		if ((xlsx_escape_at(p) && buf_puts(&e->clip, "_x005F") == -1) ||
		    buf_putc(&e->clip, *p == '\r' ? '\n' : *p) == -1) {
			log_err("xlsx: a value is longer than %d bytes",
			    EXPORT_CELL_MAX);
			return NULL;
		}
	}
	return buf_str(&e->clip);
}

static int
xlsx_cell(struct export *e, enum table t, const char *v, bool number)
{
	lxw_col_t	 c;
	long		 n;

	if (e->col[t] == 0 && e->row[t] == EXPORT_XLSX_ROWS - 1 &&
	    xlsx_sheet(e, t) == -1)
		return -1;
	if (e->col[t] == 0)
		e->row[t]++;
	c = (lxw_col_t)e->col[t]++;
	if (*v == '\0')
		return 0;
	if (number && rating_parse(v, LONG_MIN, LONG_MAX, &n))
		return lxw_check(worksheet_write_number(e->ws[t], e->row[t], c,
		    (double)n, e->fnum), "number");
	if ((v = xlsx_text(e, v)) == NULL)
		return -1;
	return lxw_check(worksheet_write_string(e->ws[t], e->row[t], c, v,
	    e->ftext), "cell");
}

static int
xlsx_end(struct export *e, enum table t)
{
	e->col[t] = 0;
	return 0;
}

static int
xlsx_version(struct export *e, const struct store_export_version *v)
{
	return wide_row(e, v) == -1 ? -1 : long_rows(e, v);
}

/*
 * The workbook is assembled by libxlsxwriter in a named file (rows go
 * through its temporary files: constant_memory), then copied to out.
 * Strings are stored as text cells in the Text number format, so they
 * are never run as formulas, not even when a cell is edited, and keep
 * their exact value.
 */
static int
write_xlsx(struct export *e)
{
	lxw_workbook_options	 o = { .constant_memory = LXW_TRUE };
	char			 path[PATH_MAX];
	FILE			*f = NULL;
	int			 fd, rc = -1;

	o.tmpdir = (char *)temp_dir();
	if ((fd = temp_make(path)) == -1)
		return -1;
	close(fd);
	if ((e->wb = workbook_new_opt(path, &o)) == NULL) {
		log_err("xlsx: cannot start a workbook in %s", o.tmpdir);
		goto out;
	}
	if ((e->fhead = workbook_add_format(e->wb)) == NULL ||
	    (e->ftext = workbook_add_format(e->wb)) == NULL ||
	    (e->fnum = workbook_add_format(e->wb)) == NULL) {
		log_err("xlsx: out of memory");
		goto out;
	}
	format_set_bold(e->fhead);
	format_set_text_wrap(e->fhead);
	format_set_align(e->fhead, LXW_ALIGN_VERTICAL_TOP);
	format_set_bottom(e->fhead, LXW_BORDER_THIN);
	format_set_num_format(e->fhead, "@");
	format_set_text_wrap(e->ftext);
	format_set_align(e->ftext, LXW_ALIGN_VERTICAL_TOP);
	format_set_num_format(e->ftext, "@");
	format_set_align(e->fnum, LXW_ALIGN_VERTICAL_TOP);
	if (xlsx_sheet(e, TABLE_WIDE) == -1 || xlsx_sheet(e, TABLE_LONG) == -1)
		goto out;
	if (each_version(e, e->field_id, e->opts->all_versions,
	    xlsx_version) == -1)
		goto out;
	rc = lxw_check(workbook_close(e->wb), "close");
	e->wb = NULL;
	if (rc == -1)
		goto out;
	if (e->clipped > 0)
		log_warn("xlsx: %zu cells were cut to %d characters (the "
		    "CSV and JSON exports have them whole)", e->clipped,
		    EXPORT_XLSX_CHARS);
	if ((f = fopen(path, "rb")) == NULL) {
		log_err("export: %s: %s", path, strerror(errno));
		rc = -1;
		goto out;
	}
	rc = copy_file(f, e->out);
out:
	if (e->wb != NULL) {
		/* Nothing is left half-written: close, then remove it. */
		workbook_close(e->wb);
		e->wb = NULL;
	}
	if (f != NULL)
		fclose(f);
	unlink(path);
	return rc;
}

static const struct sink_ops sinks[] = {
	{ csv_head, csv_cell, csv_end },
	{ xlsx_head, xlsx_cell, xlsx_end },
};
_Static_assert(sizeof(sinks) / sizeof(sinks[0]) == SINK__MAX,
    "one set of operations per sink");

/* ---- JSON ---- */

/* Dump v (taking it) compactly to out, after prefix. 0 or -1. */
static int
json_put(FILE *out, const char *prefix, json_t *v)
{
	int	 rc;

	if (v == NULL) {
		log_err("json: out of memory or invalid UTF-8");
		return -1;
	}
	rc = fputs(prefix, out) == EOF ? -1 :
	    json_dumpf(v, out, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
	if (rc == -1 && !ferror(out))
		log_err("json: json_dumpf failed");
	return rc;
}

static json_t *
json_campaign(const struct export *e)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "slug", e->c.slug,
	    "title", e->c.title, "status", e->c.status,
	    "created_at", e->c.created_at);
}

static json_t *
json_cities(const struct export *e)
{
	json_t	*a;

	if ((a = json_array()) == NULL)
		return NULL;
	for (size_t i = 0; i < e->c.ncities; i++)
		if (json_array_append_new(a, json_pack("{s:s, s:s}", "code",
		    e->c.cities[i].key, "name", e->c.cities[i].label)) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
json_fields(const struct export *e)
{
	json_t	*a;

	if ((a = json_array()) == NULL)
		return NULL;
	for (size_t i = 0; i < e->c.nfields; i++) {
		if (e->field_id != 0 && e->c.fields[i].id != e->field_id)
			continue;
		if (json_array_append_new(a, json_pack("{s:s, s:s}",
		    "code", e->c.fields[i].code,
		    "title", e->c.fields[i].title)) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* The JSON of the response being written, one version at a time. */
struct json_state {
	int	 round;		/* of the cards being written; 0 before */
	int64_t	 response_id;	/* of cur; 0 before the first */
	json_t	*cur;		/* the response object */
	json_t	*versions;	/* its "versions" array (borrowed) */
	json_t	*answers;	/* the current version's (borrowed) */
	size_t	 written;	/* cards of the round dumped */
};

/*
 * Add one value to answers: a string for a simple question, an array for
 * a list (items in order), an object of rows for a grid cell. A value
 * whose shape clashes with the ones before it (data from outside the
 * forms) is kept under "question/row/item".
 */
static int
json_value(struct export *e, const struct store_export_version *v,
    const char *section, const struct form_value *fv)
{
	json_t				*answers, *slot;
	const struct form		*f = form_of(e, v->form_id);
	const struct form_question	*q;
	struct buf			 key;
	bool				 list;
	int				 rc;

	answers = e->json->answers;
	q = f != NULL ? form_question(f, fv->question) : NULL;
	slot = json_object_get(answers, fv->question);
	if (*fv->row != '\0') {
		if (slot == NULL && json_object_set_new(answers, fv->question,
		    slot = json_object()) == -1)
			return -1;
		if (json_is_object(slot) && json_object_get(slot,
		    fv->row) == NULL)
			return json_object_set_new(slot, fv->row,
			    json_string(fv->value));
	} else {
		list = q != NULL ? q->type == FORM_LIST : fv->item > 0 ||
		    json_is_array(slot);
		if (!list && slot == NULL)
			return json_object_set_new(answers, fv->question,
			    json_string(fv->value));
		if (list && slot == NULL && json_object_set_new(answers,
		    fv->question, slot = json_array()) == -1)
			return -1;
		if (list && json_is_array(slot) &&
		    json_array_size(slot) == fv->item)
			return json_array_append_new(slot,
			    json_string(fv->value));
	}
	/* Whole, however long: a key cut short could clash again. */
	buf_init(&key, EXPORT_CELL_MAX);
	rc = buf_printf(&key, "%s/%s/%u", fv->question, fv->row, fv->item);
	if (rc == 0)
		rc = json_object_set_new(answers, buf_str(&key),
		    json_string(fv->value));
	buf_free(&key);
	return rc;
}

/* Dump the response being built, if any. */
static int
json_flush(struct export *e)
{
	json_t	*cur = e->json->cur;

	if (cur == NULL)
		return 0;
	e->json->cur = NULL;
	return json_put(e->out, e->json->written++ > 0 ? ",\n" : "\n", cur);
}

/* Close the round being written, if any, and open v's. 0 or -1. */
static int
json_round(struct export *e, const struct store_export_version *v)
{
	struct json_state	*st = e->json;

	if (json_flush(e) == -1)
		return -1;
	if (st->round > 0 && fputs(st->written > 0 ? "\n]},\n" : "]},\n",
	    e->out) == EOF)
		return -1;
	st->round = v->round;
	st->written = 0;
	st->response_id = 0;
	return fprintf(e->out, "{\"round\":%d,\"cards\":[", v->round) < 0 ?
	    -1 : 0;
}

/*
 * A card of a round says what it was in that round: every card listed has
 * a version submitted in it (drafts and withdrawn cards are never
 * exported), and its "latest_version" is its last version of the round.
 */
#define JSON_ROUND_STATUS	"submitted"

static int
json_version(struct export *e, const struct store_export_version *v)
{
	struct json_state		*st = e->json;
	const struct store_export_field	*f = field_of(e, v->field_id);
	const struct form		*form = form_of(e, v->form_id);
	json_t				*ver;

	if (v->round != st->round && json_round(e, v) == -1)
		return -1;
	if (v->response_id != st->response_id) {
		if (json_flush(e) == -1)
			return -1;
		st->response_id = v->response_id;
		st->cur = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:i, s:[]}",
		    "key_field", f != NULL ? f->code : "",
		    "key_field_title", f != NULL ? f->title : "",
		    "expert", "name", v->expert_name, "email", v->expert_email,
		    "status", JSON_ROUND_STATUS, "latest_version", v->version,
		    "versions");
		if (st->cur == NULL) {
			log_err("json: out of memory or invalid UTF-8");
			return -1;
		}
		st->versions = json_object_get(st->cur, "versions");
	}
	ver = json_pack("{s:i, s:s, s:s?, s:{s:s, s:i}, s:{}}", "version",
	    v->version, "submitted_at", v->submitted_at, "lang", v->lang,
	    "form",
	    "name", form != NULL ? form->name : "",
	    "version", form != NULL ? form->version : 0, "answers");
	/* Versions come in order: this one is the round's last so far. */
	if (ver == NULL || json_array_append_new(st->versions, ver) == -1 ||
	    json_object_set_new(st->cur, "latest_version",
	    json_integer(v->version)) == -1) {
		log_err("json: out of memory or invalid UTF-8");
		return -1;
	}
	st->answers = json_object_get(ver, "answers");
	if (each_value(e, v, json_value) == -1) {
		log_err("json: out of memory or invalid UTF-8 in an answer");
		return -1;
	}
	return 0;
}

/*
 * {"campaign":{...},"form":{...},"cities":[...],"key_fields":[...],
 *  "all_versions":false,"rounds":[
 * {"round":1,"cards":[
 * {one card per line, with "versions":[{... "answers":{...}}]},
 * ...
 * ]},
 * {"round":2,"cards":[
 * ...
 * ]}
 * ]}
 * A round without a card submitted in it has no entry.
 */
static int
write_json(struct export *e)
{
	struct json_state	 st = { 0 };
	int			 rc = -1;

	e->json = &st;
	if (json_put(e->out, "{\"campaign\":", json_campaign(e)) == -1 ||
	    json_put(e->out, ",\"form\":", json_pack("{s:s, s:i, s:s}",
	    "name", e->form->name, "version", e->form->version,
	    "title", e->form->title)) == -1 ||
	    json_put(e->out, ",\"cities\":", json_cities(e)) == -1 ||
	    json_put(e->out, ",\"key_fields\":", json_fields(e)) == -1 ||
	    json_put(e->out, ",\"all_versions\":",
	    json_boolean(e->opts->all_versions)) == -1 ||
	    fputs(",\"rounds\":[\n", e->out) == EOF)
		goto out;
	if (each_version(e, e->field_id, e->opts->all_versions,
	    json_version) == -1 || json_flush(e) == -1)
		goto out;
	if (st.round > 0 && fputs(st.written > 0 ? "\n]}\n" : "]}\n",
	    e->out) == EOF)
		goto out;
	rc = fputs("]}\n", e->out) == EOF ? -1 : 0;
out:
	json_decref(st.cur);
	e->json = NULL;
	return rc;
}

/* ---- Markdown ---- */

/*
 * The Markdown writers write to a stream one piece after another and ask
 * ferror once at their end, as a page asks buf_failed: the stream's error
 * indicator is sticky. Only reads (the store, temporary files) are checked
 * where they are made.
 */

enum md_mode {
	MD_BLOCK,	/* text starting a line */
	MD_INLINE,	/* text after something on its line */
	MD_CELL		/* a table cell: one line, "|" escaped */
};

/*
 * At the start of a line, "1." or "1)" would start an ordered list: write
 * its digits and a backslash, and return where the "." or ")" is; p when
 * it is not there.
 */
static const char *
md_number(FILE *out, const char *p)
{
	const char	*d;

	for (d = p; isdigit((unsigned char)*d); d++)
		;
	if (d == p || (*d != '.' && *d != ')'))
		return p;
	fwrite(p, 1, (size_t)(d - p), out);
	putc('\\', out);
	return d;
}

/*
 * Write s so that Markdown shows it as typed: punctuation that could
 * start emphasis, code, links, HTML or a table is backslash-escaped, and
 * so is a character that would make a line a heading, list or rule.
 * "\r\n" and "\r" become "\n", which is "<br>" in table cells.
 */
static int
md_text(FILE *out, const char *s, enum md_mode mode)
{
	bool		 bol = mode == MD_BLOCK;
	const char	*p;
	char		 ch;

	for (p = s; *p != '\0'; p++) {
		ch = *p;
		if (ch == '\r') {
			if (p[1] == '\n')
				continue;
			ch = '\n';
		}
		if (ch == '\n') {
			fputs(mode == MD_CELL ? "<br>" : "\n", out);
			bol = mode != MD_CELL;
			continue;
		}
		if (bol && ch != ' ') {
			bol = false;
			if (strchr("#-+=", ch) != NULL)
				putc('\\', out);
			p = md_number(out, p);
			ch = *p;
		}
		if (strchr("\\`*_[]<>|~", ch) != NULL)
			putc('\\', out);
		putc(ch, out);
	}
	return ferror(out) ? -1 : 0;
}

/* One city's ratings of a key field, for their median. */
struct md_ratings {
	const struct form_question	*col;
	long				*v;
	size_t				 n;
};

/* Add v when it is a rating on col's scale: 0, or -1 (logged). */
static int
md_rating_add(void *arg, const char *v)
{
	struct md_ratings	*r = arg;
	long			*nv, n;

	if (v == NULL || !rating_parse(v, r->col->min, r->col->max, &n))
		return 0;
	if ((nv = reallocarray(r->v, r->n + 1, sizeof(*nv))) == NULL) {
		log_err("markdown: out of memory");
		return -1;
	}
	r->v = nv;
	r->v[r->n++] = n;
	return 0;
}

/*
 * Write a number given four times over: 26 -> "6.5", 28 -> "7". Never
 * cut: RATING_NUMSZ holds every value (rating.h).
 */
static void
md_quarters(FILE *out, long x4)
{
	char	 s[RATING_NUMSZ];
	int	 cut;

	cut = rating_quarters(s, sizeof(s), x4);
	assert(cut == 0);
	(void)cut;
	fputs(s, out);
}

/* "| Median | 7 | 6.5 | ... | total |" from the latest versions. */
static int
md_median_row(struct export *e, int64_t field_id,
    const struct form_question *g)
{
	struct md_ratings	 r = { &g->columns[0], NULL, 0 };
	struct rating_stats	 st;
	char			 key[GRID_KEYSZ];
	long			 total = 0;
	size_t			 have = 0;
	int			 rc = -1;

	grid_key(key, g, 0);
	fprintf(e->out, "| %s |", tr(e->l, "Median"));
	for (size_t i = 0; i < e->c.ncities; i++) {
		r.n = 0;
		if (store_export_values(e->s, field_id, e->round, key,
		    e->c.cities[i].key, md_rating_add, &r) != 0)
			goto out;
		if (!rating_stats(r.v, r.n, &st)) {
			fputs(" — |", e->out);
			continue;
		}
		putc(' ', e->out);
		md_quarters(e->out, st.medianx4);
		fputs(" |", e->out);
		total += st.medianx4;
		have++;
	}
	if (g->total) {
		putc(' ', e->out);
		if (have == 0)
			fputs("—", e->out);
		else
			md_quarters(e->out, total);
		fputs(" |", e->out);
	}
	putc('\n', e->out);
	rc = ferror(e->out) ? -1 : 0;
out:
	free(r.v);
	return rc;
}

/* The temporary files of one key field's document. */
struct md_doc {
	const struct form_question	*rating;	/* or NULL */
	FILE				*table;	/* rating rows */
	FILE				**sections;	/* per section */
	size_t				 nsections;
	size_t				 nexperts;
};

/* One expert's row of the rating table. */
static int
md_rating_row(struct export *e, const struct store_export_version *v,
    FILE *out)
{
	const struct form_question	*g = e->md->rating;
	char				 key[GRID_KEYSZ];
	const char			*val;
	size_t				 counted;
	long				 sum;

	grid_key(key, g, 0);
	fputs("| ", out);
	md_text(out, v->expert_name, MD_CELL);
	fputs(" |", out);
	for (size_t i = 0; i < e->c.ncities; i++) {
		val = form_answer(&v->answers, key, e->c.cities[i].key, 0);
		putc(' ', out);
		md_text(out, val != NULL ? val : "—", MD_CELL);
		fputs(" |", out);
	}
	if (g->total) {
		sum = rating_total(g, &g->columns[0], e->c.cities, e->c.ncities,
		    &v->answers, &counted);
		if (counted > 0)
			fprintf(out, " %ld |", sum);
		else
			fputs(" — |", out);
	}
	putc('\n', out);
	return ferror(out) ? -1 : 0;
}

/* "Relevance" from "{row} relevance", for a grid's table heading. */
static int
md_column_head(FILE *out, const char *label)
{
	char		 buf[FORM_TEXT_MAX + 1], *p;
	const char	*at = strstr(label, "{row}");
	int		 cut;

	if (at == NULL)
		cut = buf_fmt(buf, sizeof(buf), "%s", label);
	else
		cut = buf_fmt(buf, sizeof(buf), "%.*s%s", (int)(at - label),
		    label, at + 5);
	if (cut == -1) {
		log_err("markdown: a column label is longer than %d bytes",
		    FORM_TEXT_MAX);
		return -1;
	}
	for (p = buf; *p == ' ' || *p == ':' || *p == '-'; p++)
		;
	if (*p != '\0')
		*p = (char)toupper((unsigned char)*p);
	return md_text(out, p, MD_CELL);
}

/* The heading of a grid's table: "|  | Relevance | ... |" and its rule. */
static int
md_grid_head(const struct export *e, FILE *out,
    const struct form_question *g, bool wrote)
{
	fprintf(out, "%s|  |", wrote ? "\n" : "");
	for (size_t c = 0; c < g->ncolumns; c++) {
		putc(' ', out);
		if (md_column_head(out, ftext(e, g->columns[c].label)) == -1)
			return -1;
		fputs(" |", out);
	}
	fputs("\n| --- |", out);
	for (size_t c = 0; c < g->ncolumns; c++)
		fputs(" --- |", out);
	putc('\n', out);
	return ferror(out) ? -1 : 0;
}

/* A grid of several columns as a table of its rows that have a value. */
static int
md_grid_table(struct export *e, FILE *out, const struct form_question *g,
    const struct form_answers *a, bool *wrote)
{
	const struct form_row	*rows;
	size_t			 nrows;
	char			 key[GRID_KEYSZ];
	const char		*v;
	bool			 head = false, any;

	rows = form_grid_rows(g, e->c.cities, e->c.ncities, &nrows);

	for (size_t r = 0; r < nrows; r++) {
		any = false;
		for (size_t c = 0; c < g->ncolumns && !any; c++)
			any = form_answer(a, grid_key(key, g, c), rows[r].key,
			    0) != NULL;
		if (!any)
			continue;
		if (!head && md_grid_head(e, out, g, *wrote) == -1)
			return -1;
		head = true;
		fputs("| ", out);
		md_text(out, ftext(e, rows[r].label), MD_CELL);
		fputs(" |", out);
		for (size_t c = 0; c < g->ncolumns; c++) {
			v = form_answer(a, grid_key(key, g, c), rows[r].key,
			    0);
			putc(' ', out);
			if (v != NULL)
				md_text(out, option_label(e, &g->columns[c], v),
				    MD_CELL);
			fputs(" |", out);
		}
		putc('\n', out);
	}
	if (head)
		*wrote = true;
	return ferror(out) ? -1 : 0;
}

/* A grid of one column as "**Row:** value" lines, rows with a value. */
static int
md_grid_lines(struct export *e, FILE *out, const struct form_question *q,
    const struct form_answers *a, bool *wrote)
{
	const struct form_row	*rows;
	size_t			 nrows;
	char			 key[GRID_KEYSZ];
	const char		*v;

	rows = form_grid_rows(q, e->c.cities, e->c.ncities, &nrows);
	grid_key(key, q, 0);
	for (size_t r = 0; r < nrows; r++) {
		if ((v = form_answer(a, key, rows[r].key, 0)) == NULL)
			continue;
		fputs(*wrote ? "\n**" : "**", out);
		md_text(out, ftext(e, rows[r].label), MD_INLINE);
		fputs(":** ", out);
		md_text(out, option_label(e, &q->columns[0], v), MD_INLINE);
		putc('\n', out);
		*wrote = true;
	}
	return ferror(out) ? -1 : 0;
}

/* "**Label:** value" (or the bare value when alone), lists as "- item". */
static int
md_question(struct export *e, FILE *out, const struct form_question *q,
    const struct form_answers *a, bool alone, bool *wrote)
{
	const char	*v;

	if (q->type == FORM_GRID && q->ncolumns > 1)
		return md_grid_table(e, out, q, a, wrote);
	if (q->type == FORM_GRID)
		return md_grid_lines(e, out, q, a, wrote);
	if ((v = form_answer(a, q->key, "", 0)) == NULL)
		return 0;
	if (*wrote)
		putc('\n', out);
	*wrote = true;
	if (!alone) {
		fputs("**", out);
		md_text(out, ftext(e, q->label), MD_INLINE);
		fputs(q->type == FORM_LIST ? ":**\n\n" : ":** ", out);
	}
	if (q->type != FORM_LIST) {
		md_text(out, option_label(e, q, v),
		    alone ? MD_BLOCK : MD_INLINE);
		putc('\n', out);
	} else
		for (unsigned i = 0; (v = form_answer(a, q->key, "",
		    i)) != NULL; i++) {
			fputs("- ", out);
			md_text(out, v, MD_BLOCK);
			putc('\n', out);
		}
	return ferror(out) ? -1 : 0;
}

/* One expert's answers to one section: "### Name" and the values. */
static int
md_section(struct export *e, FILE *out, const struct form_section *sec,
    const struct store_export_version *v)
{
	size_t	 shown = 0;
	bool	 wrote = false;

	for (size_t j = 0; j < sec->nquestions; j++)
		if (&sec->questions[j] != e->md->rating)
			shown++;
	if (ftell(out) > 0)
		putc('\n', out);
	fputs("### ", out);
	md_text(out, v->expert_name, MD_INLINE);
	fputs("\n\n", out);
	for (size_t j = 0; j < sec->nquestions; j++) {
		if (&sec->questions[j] == e->md->rating)
			continue;
		if (md_question(e, out, &sec->questions[j], &v->answers,
		    shown == 1, &wrote) == -1)
			return -1;
	}
	if (!wrote)
		fputs("—\n", out);
	return ferror(out) ? -1 : 0;
}

static int
md_version(struct export *e, const struct store_export_version *v)
{
	struct md_doc	*d = e->md;

	d->nexperts++;
	if (d->rating != NULL && md_rating_row(e, v, d->table) == -1)
		return -1;
	for (size_t i = 0; i < d->nsections; i++)
		if (d->sections[i] != NULL &&
		    md_section(e, d->sections[i], &e->form->sections[i],
		    v) == -1)
			return -1;
	return 0;
}

/* The rating table's heading: "| Expert | Fr | B | ... | Total |". */
static void
md_table_head(struct export *e, const struct form_question *g)
{
	fprintf(e->out, "| %s |", tr(e->l, "Expert"));
	for (size_t i = 0; i < e->c.ncities; i++) {
		putc(' ', e->out);
		md_text(e->out, e->c.cities[i].key, MD_CELL);
		fputs(" |", e->out);
	}
	if (g->total)
		fprintf(e->out, " %s |", tr(e->l, "Total"));
	fputs("\n| --- |", e->out);
	for (size_t i = 0; i < e->c.ncities + (g->total ? 1 : 0); i++)
		fputs(" ---: |", e->out);
	putc('\n', e->out);
}

/* "Fr: Freiburg · B: Berlin", under the table. */
static void
md_legend(struct export *e)
{
	for (size_t i = 0; i < e->c.ncities; i++) {
		fputs(i > 0 ? " · " : "\n", e->out);
		md_text(e->out, e->c.cities[i].key, MD_INLINE);
		fputs(": ", e->out);
		md_text(e->out, e->c.cities[i].label, MD_INLINE);
	}
	if (e->c.ncities > 0)
		putc('\n', e->out);
}

/* Does the section show anything besides the rating grid? */
static bool
md_section_shown(const struct form_section *sec,
    const struct form_question *rating)
{
	for (size_t j = 0; j < sec->nquestions; j++)
		if (&sec->questions[j] != rating)
			return true;
	return false;
}

/*
 * The document's body once the versions have streamed by: the rating
 * table (its rows from d->table, then the medians and the legend), then
 * each section's heading and its answers from d->sections[i].
 */
static int
md_body(struct export *e, const struct md_doc *d, int64_t field_id)
{
	bool	 lead = d->rating != NULL;

	if (d->rating != NULL) {
		md_table_head(e, d->rating);
		if (copy_file(d->table, e->out) == -1 ||
		    md_median_row(e, field_id, d->rating) == -1)
			return -1;
		md_legend(e);
	}
	for (size_t i = 0; i < d->nsections; i++) {
		if (d->sections[i] == NULL)
			continue;
		if (lead)
			putc('\n', e->out);
		lead = true;
		fputs("## ", e->out);
		md_text(e->out, ftext(e, e->form->sections[i].title),
		    MD_INLINE);
		fputs("\n\n", e->out);
		if (copy_file(d->sections[i], e->out) == -1)
			return -1;
	}
	return ferror(e->out) ? -1 : 0;
}

/*
 * One key field's document: "# CODE: Title", the rating table (one row
 * per expert, then the medians), then every section with each expert's
 * answer under it. Sections are written to temporary files while the
 * versions stream by, then copied out in order.
 */
static int
md_field(struct export *e, const struct store_export_field *f)
{
	const struct form	*form = e->form;
	struct md_doc		 d;
	int			 rc = -1;

	memset(&d, 0, sizeof(d));
	d.rating = view_rating_grid(form);
	d.nsections = form->nsections;
	if ((d.sections = calloc(d.nsections + 1, sizeof(FILE *))) == NULL) {
		log_err("export: %s", strerror(errno));
		return -1;
	}
	if (d.rating != NULL && (d.table = temp_open()) == NULL)
		goto out;
	for (size_t i = 0; i < d.nsections; i++)
		if (md_section_shown(&form->sections[i], d.rating) &&
		    (d.sections[i] = temp_open()) == NULL)
			goto out;
	e->md = &d;
	if (each_version(e, f->id, false, md_version) == -1)
		goto out;
	fputs("# ", e->out);
	md_text(e->out, f->code, MD_INLINE);
	fputs(": ", e->out);
	md_text(e->out, f->title, MD_INLINE);
	fputs("\n\n", e->out);
	if (e->rounds > 1) {
		fprintf(e->out, tr(e->l, "Round %d of %d: each expert's "
		    "latest card submitted in it."), e->round, e->rounds);
		fputs("\n\n", e->out);
	}
	if (d.nexperts == 0)
		fprintf(e->out, "%s\n", tr(e->l, "No submitted cards yet."));
	else if (md_body(e, &d, f->id) == -1)
		goto out;
	rc = ferror(e->out) ? -1 : 0;
out:
	e->md = NULL;
	if (d.table != NULL)
		fclose(d.table);
	for (size_t i = 0; i < d.nsections; i++)
		if (d.sections[i] != NULL)
			fclose(d.sections[i]);
	free(d.sections);
	return rc;
}

static int
write_md(struct export *e)
{
	size_t	 n = 0;

	for (size_t i = 0; i < e->c.nfields; i++) {
		if (e->field_id != 0 && e->c.fields[i].id != e->field_id)
			continue;
		if (n++ > 0)
			fputs("\n", e->out);
		if (md_field(e, &e->c.fields[i]) == -1)
			return -1;
	}
	return ferror(e->out) ? -1 : 0;
}

/* ---- the entry point ---- */

/* e's key field opts->field_code into e->field_id: 0, or 2 for none. */
static int
field_find(struct export *e)
{
	if (e->opts->field_code == NULL)
		return 0;
	for (size_t i = 0; i < e->c.nfields; i++)
		if (strcmp(e->c.fields[i].code, e->opts->field_code) == 0) {
			e->field_id = e->c.fields[i].id;
			return 0;
		}
	return 2;
}

/*
 * The language of e's labels: opts->lang, else the campaign's default.
 * 0 or -1.
 */
static int
labels_lang(struct export *e)
{
	char	 langs[STORE_LANGS_SZ], dflt[STORE_LANG_SZ];
	int	 rc;

	if (e->opts->lang != NULL)
		rc = buf_fmt(e->lang, sizeof(e->lang), "%s", e->opts->lang);
	else if ((rc = store_campaign_languages(e->s, e->c.id, langs,
	    dflt)) == 0)
		rc = buf_fmt(e->lang, sizeof(e->lang), "%s", dflt);
	if (rc != 0)
		return -1;
	e->l = i18n_lang(e->lang);
	return 0;
}

int
export_campaign(struct store *s, const char *slug, enum export_format fmt,
    const struct export_opts *opts, FILE *out)
{
	static const struct export_opts defaults;
	struct export	 e;
	size_t		 i;
	int		 rc = -1;

	assert((unsigned)fmt < EXPORT_FORMAT__MAX);
	memset(&e, 0, sizeof(e));
	e.s = s;
	e.opts = opts != NULL ? opts : &defaults;
	e.out = out;
	e.sink = &sinks[fmt == EXPORT_XLSX ? SINK_XLSX : SINK_CSV];
	e.labels = fmt == EXPORT_XLSX;
	buf_init(&e.cell, EXPORT_CELL_MAX);
	buf_init(&e.clip, EXPORT_CELL_MAX);
	if (store_export_begin(s) == -1)
		goto out;
	if ((rc = store_export_campaign(s, slug, &e.c)) != 0)
		goto out;
	if ((rc = field_find(&e)) != 0)
		goto out;
	rc = -1;
	if (store_round_now(s, e.c.id, &e.rounds) == -1 ||
	    labels_lang(&e) == -1)
		goto out;
	if (e.opts->round > e.rounds) {
		rc = 3;
		goto out;
	}
	e.round = e.opts->round > 0 ? e.opts->round :
	    formats[fmt].every_round ? 0 : e.rounds;
	if (store_forms(s, &e.forms, &e.nforms) == -1)
		goto out;
	if (e.nforms > 0 && (e.loaded = calloc(e.nforms,
	    sizeof(*e.loaded))) == NULL) {
		log_err("export: %s", strerror(errno));
		goto out;
	}
	if ((e.form = form_of(&e, e.c.form_id)) == NULL)
		goto out;
	rc = formats[fmt].write(&e);
	if (fflush(out) == EOF || ferror(out)) {
		log_err("export: writing the %s export failed: %s",
		    formats[fmt].name, strerror(errno));
		rc = -1;
	}
out:
	store_export_end(s);
	store_export_campaign_free(&e.c);
	for (i = 0; i < e.nforms && e.loaded != NULL; i++)
		form_free(e.loaded[i]);
	free(e.loaded);
	store_forms_free(e.forms, e.nforms);
	free(e.used);
	buf_free(&e.cell);
	buf_free(&e.clip);
	return rc;
}
