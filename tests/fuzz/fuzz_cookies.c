/*
 * fuzz_cookies: libFuzzer driver for req_parse_cookies (a Cookie header
 * value). Malformed cookies are skipped, never an error; what is kept is
 * bounded in number and NUL-free.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/req.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0;
	char		*s;

	/* A header value is a C string: cut at the first NUL. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (req_parse_cookies(&kv, &n, s) == 0) {
		assert(n <= REQ_COOKIES_MAX);
		for (size_t i = 0; i < n; i++) {
			assert(kv[i].key != NULL && kv[i].val != NULL);
			assert(*kv[i].key != '\0');
			assert(strlen(kv[i].val) == kv[i].vlen);
			assert(strlen(kv[i].key) <= strlen(s));
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
	free(s);
	return 0;
}
