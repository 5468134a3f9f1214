/*
 * fuzz_i18n: libFuzzer driver for base/i18n's readers of outside text:
 * the first byte chooses an Accept-Language header (from any browser),
 * a .po catalogue, or a Plural-Forms expression (both from a
 * translator). None may crash, leak or loop; Accept-Language always
 * answers one of the languages offered or the fallback.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"

/* No catalogue compiled in: i18n_parse reads the input itself. */
const struct i18n_source i18n_sources[] = { { NULL, NULL } };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const offered[] = { "en", "de", "pt-br" };
	const char	*got;
	struct lang	*l;
	char		*s, err[200];

	if (size == 0 || (s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0:
		got = i18n_accept(s, offered, 3, "fallback");
		assert(got == offered[0] || got == offered[1] ||
		    got == offered[2] || strcmp(got, "fallback") == 0);
		break;
	case 1:
		if ((l = i18n_parse("xx", s, err, sizeof(err))) != NULL) {
			(void)tr(l, "x");
			(void)trn(l, "x", "xs", 5);
			i18n_free(l);
		} else
			assert(strlen(err) < sizeof(err));
		break;
	default:
		for (unsigned long n = 0; n < 30; n++)
			assert(i18n_plural_eval(s, n) >= -1);
		break;
	}
	free(s);
	return 0;
}
