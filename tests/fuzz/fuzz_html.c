/*
 * fuzz_html: libFuzzer driver for html_textn, html_text and html_fmt. The
 * escaped text must hold none of < > " ' and only the five entities for
 * &, and must decode back to exactly the input: escaping loses nothing
 * and adds no markup.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/html.h"

#define FUZZ_OUT_MAX	(8 * 1024 * 1024)

/* Decode the five entities html_text writes; 0, or -1 on anything else. */
static int
unescape(const char *s, size_t n, struct buf *out)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' },
	};
	size_t	 i = 0, k;

	while (i < n) {
		assert(s[i] != '<' && s[i] != '>' && s[i] != '"' &&
		    s[i] != '\'');
		if (s[i] != '&') {
			buf_putc(out, s[i++]);
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
			if (strncmp(s + i, ents[k].ent,
			    strlen(ents[k].ent)) == 0)
				break;
		if (k == sizeof(ents) / sizeof(ents[0]))
			return -1;
		buf_putc(out, ents[k].c);
		i += strlen(ents[k].ent);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char pre[] = "<p title=\"", mid[] = "\">", post[] = " 7</p>";
	struct buf	 b, back;
	char		*s;
	size_t		 slen;

	buf_init(&b, FUZZ_OUT_MAX);
	buf_init(&back, FUZZ_OUT_MAX);

	/* html_textn takes any bytes, NUL included. */
	assert(html_textn(&b, (const char *)data, size) == 0);
	assert(unescape(b.data != NULL ? b.data : "", b.len, &back) == 0);
	assert(back.len == size &&
	    (size == 0 || memcmp(back.data, data, size) == 0));

	/* html_text and html_fmt take C strings. */
	if ((s = malloc(size + 1)) == NULL)
		goto out;
	memcpy(s, data, size);
	s[size] = '\0';
	slen = strlen(s);
	buf_reset(&b);
	buf_reset(&back);
	assert(html_fmt(&b, "<p title=\"%s\">%s %d</p>", s, s, 7) == 0);
	assert(b.len >= sizeof(pre) - 1 + sizeof(mid) - 1 +
	    sizeof(post) - 1 + 2 * slen);
	assert(memcmp(b.data, pre, sizeof(pre) - 1) == 0);
	assert(memcmp(b.data + b.len - (sizeof(post) - 1), post,
	    sizeof(post) - 1) == 0);
	/* Between the fixed parts: two escaped copies around "\">". */
	{
		size_t	 inner = b.len - (sizeof(pre) - 1) - (sizeof(post) - 1);
		const char *p = b.data + sizeof(pre) - 1;
		size_t	 half = (inner - (sizeof(mid) - 1)) / 2;

		assert((inner - (sizeof(mid) - 1)) % 2 == 0);
		assert(memcmp(p + half, mid, sizeof(mid) - 1) == 0);
		assert(unescape(p, half, &back) == 0);
		assert(back.len == slen &&
		    (slen == 0 || memcmp(back.data, s, slen) == 0));
	}
	free(s);
out:
	buf_free(&b);
	buf_free(&back);
	return 0;
}
