/*
 * survey/page-lang: the expert's language switch (POST /lang). Sets her
 * language for every device and sends her back to the page she was on;
 * never redirects off this site.
 */
#include <string.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "app/lang.h"
#include "store/languages.h"
#include "survey/pages.h"

#define BACK_MAX	200	/* bytes of the path sent back to */

/* Her language, code, in a write (store_fn). */
struct set {
	const struct page_ctx	*ctx;
	const char		*code;
	char			 problem[LANG_PROBLEM_SZ];
};

static int
set_lang(struct store *s, void *arg)
{
	struct set	*st = arg;

	return lang_expert_set(s, st->ctx->langs.campaign_id,
	    st->ctx->session.subject_id, st->code, st->problem,
	    sizeof(st->problem));
}

/*
 * The page to go back to: a path of ours ("/", "/card/3"), else "/";
 * a card's resume (a POST only) goes back to the card.
 */
static void
back_path(const char *back, char out[BACK_MAX])
{
	size_t	 n;

	if (back == NULL || back[0] != '/' || back[1] == '/' ||
	    (n = strlen(back)) >= BACK_MAX ||
	    strspn(back, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789/_-") != n) {
		memcpy(out, "/", 2);
		return;
	}
	memcpy(out, back, n + 1);
	if (n > 7 && strcmp(out + n - 7, "/resume") == 0)
		out[n - 7] = '\0';
}

int
page_lang_post(struct page_ctx *ctx, struct page *p)
{
	struct set	 st = { .ctx = ctx,
			    .code = req_field(ctx->req, "lang") };
	char		 back[BACK_MAX];
	int		 rc;

	if (st.code == NULL || !lang_in_list(ctx->langs.langs, st.code)) {
		p->lang_switch = NULL;
		return page_error(p, 422, tr(ctx->lang, "Language not "
		    "offered"), tr(ctx->lang, "This campaign is not offered "
		    "in that language. Choose one of the languages at the "
		    "top of the page."));
	}
	if ((rc = store_write(ctx->store, set_lang, &st)) == -1)
		return -1;
	back_path(req_field(ctx->req, "back"), back);
	return page_redirect(p, back);
}
