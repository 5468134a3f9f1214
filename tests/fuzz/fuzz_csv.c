/*
 * fuzz_csv: libFuzzer driver for export_csv_cell. Each cell, read back by
 * RFC 4180 rules, must be exactly one field equal to the value (with a
 * leading "'" when the value starts like a formula), so no value can add
 * a column or a row, and no cell starts with = + - @ TAB or CR.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/export.h"

/* Read one RFC 4180 field of out[0..n); its length in *flen. */
static char *
field(const char *out, size_t n, size_t *flen)
{
	char	*f = malloc(n + 1);
	size_t	 i = 0, k = 0;

	assert(f != NULL);
	if (n > 0 && out[0] == '"') {
		for (i = 1; i < n; i++) {
			if (out[i] != '"') {
				f[k++] = out[i];
				continue;
			}
			if (i + 1 < n && out[i + 1] == '"') {
				f[k++] = '"';
				i++;
				continue;
			}
			break;
		}
		assert(i == n - 1);	/* the closing quote ends the cell */
	} else {
		for (; i < n; i++) {
			assert(out[i] != ',' && out[i] != '"' &&
			    out[i] != '\r' && out[i] != '\n');
			f[k++] = out[i];
		}
	}
	*flen = k;
	return f;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*v, *out = NULL, *f;
	size_t	 vlen, n = 0, flen, skip;
	FILE	*mem;

	if ((v = malloc(size + 1)) == NULL)
		return 0;
	memcpy(v, data, size);
	v[size] = '\0';
	vlen = strlen(v);
	if ((mem = open_memstream(&out, &n)) == NULL) {
		free(v);
		return 0;
	}
	assert(export_csv_cell(mem, v, false) == 0);
	fclose(mem);
	assert(n >= 1 && out[0] == ',');
	f = field(out + 1, n - 1, &flen);
	skip = vlen > 0 && strchr("=+-@\t\r", v[0]) != NULL ? 1 : 0;
	if (skip)
		assert(flen >= 1 && f[0] == '\'');
	assert(flen == vlen + skip && memcmp(f + skip, v, vlen) == 0);
	assert(flen == 0 || strchr("=+-@\t\r", f[0]) == NULL);
	free(f);
	free(out);
	free(v);
	return 0;
}
