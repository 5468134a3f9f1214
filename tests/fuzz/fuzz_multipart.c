/*
 * fuzz_multipart: libFuzzer driver for req_parse_multipart. The input's
 * first line (up to TYPE_MAX bytes) is the Content-Type, the rest the
 * body; without a line break there, a fixed type and the whole input. Beyond not crashing, what it
 * accepts must hold only what the contract promises, and a refused body
 * must leave the fields already there as they were. Never reads a file.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/req.h"

#define TYPE_MAX	256	/* bytes of the Content-Type taken */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req_kv	*kv = NULL;
	size_t		 n = 0, tlen;
	const char	*body = (const char *)data, *nl;
	char		 type[TYPE_MAX + 1] =
	    "multipart/form-data; boundary=XyZ";
	int		 rc;

	nl = memchr(data, '\n', size < TYPE_MAX ? size : TYPE_MAX);
	if (nl != NULL) {
		tlen = (size_t)(nl - body);
		memcpy(type, body, tlen);
		type[tlen] = '\0';
		size -= tlen + 1;
		body = nl + 1;
	}
	/* A field of the query first, as the console has. */
	if (req_parse_urlencoded(&kv, &n, "q=1", 3) != REQ_OK)
		abort();
	rc = req_parse_multipart(&kv, &n, type, size > 0 ? body : NULL,
	    size);
	assert(n >= 1 && strcmp(kv[0].key, "q") == 0 &&
	    strcmp(kv[0].val, "1") == 0);
	if (rc == REQ_OK) {
		assert(n >= 2 && n <= 1 + REQ_PARTS_MAX);
		for (size_t i = 0; i < n; i++) {
			assert(kv[i].key != NULL && kv[i].val != NULL);
			assert(strlen(kv[i].val) == kv[i].vlen);
			assert(*kv[i].key != '\0');
			assert(strlen(kv[i].key) <= REQ_KEY_MAX);
			assert(req_utf8_valid(kv[i].key, strlen(kv[i].key)));
			assert(req_utf8_valid(kv[i].val, kv[i].vlen));
			for (size_t j = 0; j < i; j++)
				assert(strcmp(kv[i].key, kv[j].key) != 0);
		}
	} else {
		assert(n == 1);
		assert(rc == -1 || (rc > REQ_OK && rc < REQ_STATUS__MAX));
	}
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
	return 0;
}
