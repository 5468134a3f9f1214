/*
 * fuzz_form: libFuzzer driver for form_load (a form definition in JSON).
 * Either a model or at least one recorded problem, never both, never more
 * than FORM_ERRORS_MAX; every problem has a JSON path and a message.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "base/form.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form_errors	 errs;
	struct form		*f;

	memset(&errs, 0, sizeof(errs));
	f = form_load((const char *)data, size, &errs);
	if (f != NULL) {
		assert(errs.n == 0);
		form_free(f);
	} else {
		assert(errs.n > 0 && errs.n <= FORM_ERRORS_MAX);
		for (size_t i = 0; i < errs.n; i++)
			assert(errs.v[i].path[0] == '$' &&
			    errs.v[i].message[0] != '\0');
	}
	return 0;
}
