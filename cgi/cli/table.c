/*
 * cli/table: the rows a listing command prints, as an aligned table
 * (for a terminal), CSV (the exports' cell writer) or JSON (jansson).
 * Never prints a row before all are read: a failed read prints nothing.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/export.h"
#include "cli/cli.h"

#define TABLE_ROWS_MAX	100000	/* rows of one listing */

int
cli_format_parse(const char *s, enum cli_format *out)
{
	static const char *const names[] = {
		[CLI_TABLE] = "table", [CLI_CSV] = "csv", [CLI_JSON] = "json",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == CLI_FORMAT__MAX,
	    "a name for every format");

	for (int i = 0; i < CLI_FORMAT__MAX; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum cli_format)i;
			return 0;
		}
	return cli_fail("--format %s: write table, csv or json", s);
}

int
cli_round_parse(const char *s, int *out)
{
	char	*end;
	long	 n = strtol(s, &end, 10);

	if (*s < '1' || *s > '9' || *end != '\0' || n > 1000000)
		return cli_fail("--round \"%s\": give a round's number, "
		    "1 or more", s);
	*out = (int)n;
	return 0;
}

void
cli_table_init(struct cli_table *t, const char *const *head, size_t ncols,
    unsigned numbers)
{
	assert(ncols <= sizeof(numbers) * CHAR_BIT);
	memset(t, 0, sizeof(*t));
	t->head = head;
	t->ncols = ncols;
	t->numbers = numbers;
}

void
cli_table_free(struct cli_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

int
cli_table_add(struct cli_table *t, const char *const *row)
{
	char	**nv;

	if (t->nrows == TABLE_ROWS_MAX)
		return cli_fail("more than %d rows: not listed",
		    TABLE_ROWS_MAX);
	if ((nv = reallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof(*nv))) == NULL)
		return cli_fail("out of memory");
	t->cells = nv;
	for (size_t c = 0; c < t->ncols; c++)
		if ((nv[t->nrows * t->ncols + c] = strdup(row[c])) == NULL) {
			while (c-- > 0)
				free(nv[t->nrows * t->ncols + c]);
			return cli_fail("out of memory");
		}
	t->nrows++;
	return 0;
}

/* The characters of UTF-8 s: its bytes that do not continue one. */
static size_t
width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * One line of the table: each cell padded to w[c] (numbers on the left,
 * the rest on the right but the last), two blanks between cells.
 */
static void
table_line(const struct cli_table *t, const char *const *cells,
    const size_t *w, FILE *out)
{
	int	 pad;

	for (size_t c = 0; c < t->ncols; c++) {
		pad = (int)(w[c] - width(cells[c]));
		if (c > 0)
			fputs("  ", out);
		if (t->numbers & CLI_NUMBER(c))
			fprintf(out, "%*s%s", pad, "", cells[c]);
		else
			fprintf(out, "%s%*s", cells[c],
			    c + 1 < t->ncols ? pad : 0, "");
	}
	putc('\n', out);
}

static int
print_table(const struct cli_table *t, FILE *out)
{
	size_t	*w;

	if ((w = calloc(t->ncols, sizeof(*w))) == NULL)
		return cli_fail("out of memory");
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = width(t->head[c]);
		for (size_t r = 0; r < t->nrows; r++)
			if (width(t->cells[r * t->ncols + c]) > w[c])
				w[c] = width(t->cells[r * t->ncols + c]);
	}
	table_line(t, t->head, w, out);
	for (size_t r = 0; r < t->nrows; r++)
		table_line(t, (const char *const *)t->cells + r * t->ncols, w,
		    out);
	free(w);
	return 0;
}

static int
print_csv(const struct cli_table *t, FILE *out)
{
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			if (export_csv_cell(out, r == 0 ? t->head[c] :
			    t->cells[(r - 1) * t->ncols + c], c == 0) == -1)
				return -1;
		fputs("\r\n", out);
	}
	return 0;
}

/* A cell as JSON: an integer in a number column, else a string. */
static json_t *
cell_json(const struct cli_table *t, const char *v, size_t c)
{
	char		*end;
	long long	 n;

	if (t->numbers & CLI_NUMBER(c)) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno == 0 && end != v && *end == '\0')
			return json_integer(n);
	}
	return json_string(v);
}

static int
print_json(const struct cli_table *t, FILE *out)
{
	json_t	*a = json_array(), *o;
	int	 rc = -1;

	for (size_t r = 0; a != NULL && r < t->nrows; r++) {
		if ((o = json_object()) == NULL || json_array_append_new(a, o))
			goto out;
		for (size_t c = 0; c < t->ncols; c++)
			if (json_object_set_new(o, t->head[c], cell_json(t,
			    t->cells[r * t->ncols + c], c)) == -1)
				goto out;
	}
	if (a != NULL && json_dumpf(a, out, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) == 0)
		rc = 0;
	fputc('\n', out);
out:
	json_decref(a);
	return rc == 0 ? 0 : cli_fail("cannot write JSON (out of memory?)");
}

int
cli_table_print(const struct cli_table *t, enum cli_format fmt, FILE *out)
{
	int	 rc;

	if (fmt == CLI_CSV)
		rc = print_csv(t, out);
	else if (fmt == CLI_JSON)
		rc = print_json(t, out);
	else
		rc = print_table(t, out);
	if (rc == 0 && (fflush(out) == EOF || ferror(out)))
		return cli_fail("cannot write the listing");
	return rc != 0 ? 1 : 0;
}
