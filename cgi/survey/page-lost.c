/*
 * survey/page-lost: /lost, where an expert who lost her link asks for a
 * new one by her e-mail address. The answer is the same whether or not
 * the address is known (and whether or not its own limit was reached);
 * the mail goes only to the address on file. Never says whether an
 * address is an expert's.
 */
#include <stdbool.h>
#include <string.h>

#include "app/mail.h"
#include "app/mailq.h"
#include "base/auth.h"
#include "base/buf.h"
#include "base/html.h"
#include "base/i18n.h"
#include "store/mail.h"
#include "survey/pages.h"

#define LOST_WINDOW_S		3600	/* the rate limits' window */
#define LOST_PER_ADDRESS	3	/* mails to one address a window */
#define LOST_PER_CLIENT		10	/* requests of one client a window */
#define LOST_KEY_MAX		(8 + 2 * AUTH_HASH_BYTES + 1)

/* What the request's transaction needs and finds. */
struct lost {
	struct page_ctx	*ctx;
	const char	*email;
	char		 client[LOST_KEY_MAX + 64], addr[LOST_KEY_MAX];
	bool		 too_many;	/* the client's limit */
};

static int
lost_one(void *arg, int64_t campaign_id, int64_t expert_id)
{
	struct lost	*l = arg;
	const char	*why;

	return mailq_lost(l->ctx->store, l->ctx->conf, l->ctx->base_url,
	    campaign_id, expert_id, &why) == -1 ? -1 : 0;
}

static int
lost_txn(struct store *s, void *arg)
{
	struct lost	*l = arg;
	int		 nclient, naddr;

	l->too_many = false;
	if (store_mail_request(s, l->client, LOST_WINDOW_S, &nclient) == -1)
		return -1;
	if (nclient > LOST_PER_CLIENT) {
		l->too_many = true;
		return 0;
	}
	if (store_mail_request(s, l->addr, LOST_WINDOW_S, &naddr) == -1)
		return -1;
	if (naddr > LOST_PER_ADDRESS || l->ctx->conf == NULL)
		return 0;
	return store_experts_by_email(s, l->email, lost_one, l);
}

/* "addr:" and the SHA-256 (hex) of the address in lower case. */
static void
addr_key(const char *email, char out[LOST_KEY_MAX])
{
	static const char hex[] = "0123456789abcdef";
	char		 low[MAIL_ADDR_MAX + 1];
	unsigned char	 h[AUTH_HASH_BYTES];
	size_t		 i;

	for (i = 0; email[i] != '\0' && i < MAIL_ADDR_MAX; i++)
		low[i] = (char)(email[i] >= 'A' && email[i] <= 'Z' ?
		    email[i] + 32 : email[i]);
	low[i] = '\0';
	auth_token_hash(low, h);
	memcpy(out, "addr:", 5);
	for (i = 0; i < AUTH_HASH_BYTES; i++) {
		out[5 + 2 * i] = hex[h[i] >> 4];
		out[6 + 2 * i] = hex[h[i] & 15];
	}
	out[5 + 2 * AUTH_HASH_BYTES] = '\0';
}

/* The form, with a problem (status 422) or none. */
static int
lost_form(struct page *p, int status, const char *problem,
    const char *typed)
{
	struct buf	*b = &p->body;
	const struct lang *l = p->lang;

	p->status = status;
	page_begin(p, tr(l, "Lost your link?"));
	html_fmt(b, "<h1>%s</h1>\n<p>%s</p>\n<form method=\"post\">\n"
	    "<label for=\"email\">%s</label>\n", tr(l, "Lost your link?"),
	    tr(l, "Enter the e-mail address your invitation was sent to. If "
	    "it is one of ours, a new sign-in link goes to it."),
	    tr(l, "E-mail address"));
	if (problem != NULL)
		html_fmt(b, "<p class=\"issue\" id=\"email-issue\">%s</p>\n",
		    problem);
	html_fmt(b, "<input type=\"email\" id=\"email\" name=\"email\" "
	    "autocomplete=\"email\" required value=\"%s\"%s>\n", typed,
	    problem != NULL ? " aria-describedby=\"email-issue\"" : "");
	html_fmt(b, "<button type=\"submit\">%s</button>\n</form>\n",
	    tr(l, "Send me a link"));
	return page_end(p);
}

int
page_lost(struct page_ctx *ctx, struct page *p, bool post)
{
	struct lost	 l;
	const char	*self = ctx->self_origin != NULL ? ctx->self_origin :
	    ctx->base_url;
	int		 cut;

	if (!post)
		return lost_form(p, 200, NULL, "");
	/* No session here, so no CSRF token: a foreign Origin is refused. */
	if (ctx->req->origin != NULL && strcmp(ctx->req->origin, "null") != 0
	    && strcmp(ctx->req->origin, self) != 0)
		return page_error(p, 403, tr(ctx->lang, "Form expired"),
		    tr(ctx->lang, "This form did not come from this site. "
		    "Nothing was sent."));
	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	if ((l.email = req_field(ctx->req, "email")) == NULL)
		l.email = "";
	if (!mail_addr_ok(l.email))
		return lost_form(p, 422, tr(ctx->lang, "Enter an e-mail "
		    "address such as name@example.org."),
		    strlen(l.email) <= MAIL_ADDR_MAX ? l.email : "");
	cut = buf_fmt(l.client, sizeof(l.client), "client:%.64s",
	    ctx->req->remote_addr != NULL ? ctx->req->remote_addr : "-");
	if (cut == -1)
		buf_mark_cut(l.client, sizeof(l.client));
	addr_key(l.email, l.addr);
	if (store_write(ctx->store, lost_txn, &l) != 0)
		return -1;
	if (l.too_many) {
		page_header(p, "Retry-After", "3600");
		return page_error(p, 429, tr(ctx->lang, "Too many requests"),
		    tr(ctx->lang, "Please try again in an hour."));
	}
	return page_error(p, 200, tr(ctx->lang, "Look in your mailbox"),
	    tr(ctx->lang, "If this address belongs to an expert of an open "
	    "survey, a mail with a new sign-in link is on its way to it. It "
	    "can take a few minutes; look in the spam folder too."));
}
