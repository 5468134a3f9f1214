/*
 * fuzz_urlencoded: libFuzzer driver for req_parse_urlencoded. Beyond not
 * crashing, a body it accepts must hold only what the contract promises:
 * valid UTF-8 without NUL, bounded names and counts, no duplicate names.
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
	int		 rc;

	rc = req_parse_urlencoded(&kv, &n, (const char *)data, size);
	if (rc == REQ_OK) {
		assert(n <= REQ_FIELDS_MAX);
		for (size_t i = 0; i < n; i++) {
			assert(kv[i].key != NULL && kv[i].val != NULL);
			assert(strlen(kv[i].val) == kv[i].vlen);
			assert(strlen(kv[i].key) <= REQ_KEY_MAX);
			assert(req_utf8_valid(kv[i].key, strlen(kv[i].key)));
			assert(req_utf8_valid(kv[i].val, kv[i].vlen));
			for (size_t j = 0; j < i; j++)
				assert(strcmp(kv[i].key, kv[j].key) != 0);
		}
	} else
		assert(rc == -1 || (rc > REQ_OK && rc < REQ_STATUS__MAX));
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
	return 0;
}
