/*
 * admin/page-mail: a campaign's mail: each expert's invitation state
 * (not sent, sent, reminded N times, opted out, bounced), the buttons
 * "invite those not invited" and "remind those due now", and the send
 * log. Never shows a message's text or a link.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "admin/console.h"
#include "base/i18n.h"
#include "app/mailq.h"
#include "app/mail.h"
#include "base/html.h"
#include "base/log.h"
#include "store/mail.h"

#define MAIL_LOG_ROWS	500	/* rows of the send log shown */

/* An expert's row: her state as the mail sees it. */
/* Her invitation's state in L. */
static const char *
state_words(const struct lang *L, const struct store_reminder_row *r)
{
	if (r->revoked)
		return tr(L, "link revoked");
	if (*r->stopped != '\0')
		return strcmp(r->stopped, "bounced") == 0 ? tr(L, "bounced") :
		    tr(L, "opted out of reminders");
	if (r->pending > 0)
		return tr(L, "waiting to be sent");
	return r->invited == 0 ? tr(L, "not sent") : tr(L, "sent");
}

/* Where the rows go, and in which language. */
struct rows {
	struct buf		*b;
	const struct lang	*lang;
};

static int
state_row(void *arg, const struct store_reminder_row *r)
{
	const struct rows *w = arg;
	struct buf	*b = w->b;
	char		 t[64];

	html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td>", r->name,
	    r->email, state_words(w->lang, r));
	html_fmt(b, "<td class=\"num\">%d</td><td class=\"num\">%s</td>"
	    "</tr>\n", r->reminders, admin_trf(t, sizeof(t), tr(w->lang,
	    "%d of %d"), r->cards - r->open, r->cards));
	return buf_failed(b) ? -1 : 0;
}

/* Where the send log's rows go, and in which language. */
struct log_rows {
	struct buf		*b;
	const struct lang	*lang;
};

/* One message of the send log. */
static int
log_row(void *arg, const struct store_mail_row *m)
{
	struct log_rows	*lr = arg;
	struct buf	*b = lr->b;
	char		 at[I18N_DATE_MAX];

	i18n_time(lr->lang, m->created_at, at);
	html_fmt(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
	    "<td>%s</td><td class=\"num\">%d</td><td>", at, m->kind,
	    *m->name != '\0' ? m->name : m->rcpt, m->subject, m->status,
	    m->attempts);
	if (m->code != 0)
		html_fmt(b, "%d ", m->code);
	html_fmt(b, "%s</td></tr>\n", m->text);
	return buf_failed(b) ? -1 : 0;
}

/* The send log's caption and column heads. */
static void
log_head(struct buf *b, const struct lang *L)
{
	html_fmt(b, "<table class=\"data\">\n<caption>%s</caption>\n<thead>"
	    "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
	    tr(L, "Send log, newest first"), tr(L, "Queued"), tr(L, "Kind"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th>", tr(L, "To"), tr(L, "Subject"),
	    tr(L, "Status"));
	html_fmt(b, "<th scope=\"col\" class=\"num\">%s</th><th "
	    "scope=\"col\">%s</th></tr></thead>\n<tbody>\n", tr(L,
	    "Attempts"), tr(L, "Last reply"));
}

/* A button that posts to /admin/c/SLUG/mail/VERB. */
static void
button(struct buf *b, const struct admin_ctx *ctx,
    const struct store_campaign *c, const char *verb, const char *label)
{
	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/mail/%s\">",
	    c->slug, verb);
	admin_csrf(b, ctx);
	html_fmt(b, "<button type=\"submit\">%s</button></form>\n", label);
}

/* A text as posted: shown again in its form, with its preview. */
struct posted {
	const char	*kind, *subject, *body;
	const char	*preview;	/* NULL when refused */
	const struct admin_state *st;
};

/* The form of one kind's text (po: what was posted for it, or NULL). */
static void
text_form(struct buf *b, const struct admin_ctx *ctx,
    const struct store_campaign *c, const char *kind, const char *subject,
    const char *body, const struct posted *po)
{
	const struct lang *L = ctx->lang;

	html_fmt(b, "<form method=\"post\" action=\"/admin/c/%s/mail/"
	    "template/%s\" id=\"t-%s\">\n<h3>%s</h3>\n", c->slug, kind, kind,
	    kind);
	admin_csrf(b, ctx);
	if (po != NULL)
		admin_problem(b, po->st, kind);
	html_fmt(b, "<div><label for=\"%s-subject\">%s</label>\n"
	    "<input id=\"%s-subject\" name=\"subject\" required "
	    "value=\"%s\"></div>\n", kind, tr(L, "Subject"), kind, subject);
	html_fmt(b, "<div><label for=\"%s-body\">%s</label>\n<textarea "
	    "id=\"%s-body\" name=\"body\" rows=\"12\">\n%s</textarea></div>\n",
	    kind, tr(L, "Text"), kind, body);
	html_fmt(b, "<button type=\"submit\" name=\"action\" "
	    "value=\"preview\">%s</button>\n<button type=\"submit\" "
	    "name=\"action\" value=\"save\">%s</button>\n", tr(L, "Preview"),
	    tr(L, "Save"));
	if (po != NULL && po->preview != NULL)
		html_fmt(b, "<p>%s</p>\n<pre class=\"preview\">%s</pre>\n",
		    tr(L, "With example values:"), po->preview);
	html_raw(b, "</form>\n");
}

/* A form per kind of message: its text as posted, its own or shipped. */
static int
texts(struct admin_ctx *ctx, struct buf *b, const struct store_campaign *c,
    const struct posted *po)
{
	struct store_mail_template	 own;
	const char			*kind, *subject, *body;
	int				 rc;

	html_fmt(b, "<h2>%s</h2>\n<p>%s {name}, {campaign}, {key_fields}, "
	    "{link}, {deadline}, {coordinator}, {unsubscribe} %s</p>\n",
	    tr(ctx->lang, "Texts"), tr(ctx->lang, "Placeholders:"),
	    tr(ctx->lang, "({{ is a brace)."));
	for (size_t i = 0; (kind = mailq_kind(i)) != NULL; i++) {
		if (po != NULL && strcmp(po->kind, kind) == 0) {
			text_form(b, ctx, c, kind, po->subject, po->body, po);
			continue;
		}
		if ((rc = store_mail_template(ctx->store, c->id, kind,
		    &own)) == -1)
			return -1;
		if (rc == 1 && mailq_shipped(kind, &subject, &body) == -1)
			return -1;
		text_form(b, ctx, c, kind, rc == 0 ? own.subject : subject,
		    rc == 0 ? own.body : body, NULL);
		store_mail_template_free(&own);
	}
	return buf_failed(b) ? -1 : 0;
}

/* The page, with the outcome of a button in st (or NULL). */
static int
mail_page(struct admin_ctx *ctx, struct page *p,
    const struct store_campaign *c, const struct admin_state *st,
    const struct posted *po)
{
	const struct lang *L = ctx->lang;
	struct buf	*b = &p->body;
	struct rows	 w = { b, L };
	char		 t[300];

	p->status = st != NULL ? st->status : 200;
	admin_begin(p, ctx, tr(L, "Mail"));
	html_fmt(b, "<h1>%s</h1>\n<p><a href=\"/admin/c/%s\">%s</a></p>\n",
	    admin_trf(t, sizeof(t), tr(L, "Mail of %s"), c->title), c->slug,
	    tr(L, "Back to the campaign"));
	admin_top(b, st);
	html_fmt(b, "<table class=\"data\">\n<caption>%s</caption>\n<thead>"
	    "<tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
	    tr(L, "Experts"), tr(L, "Name"), tr(L, "E-mail"));
	html_fmt(b, "<th scope=\"col\">%s</th><th scope=\"col\" "
	    "class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
	    "</tr></thead>\n<tbody>\n", tr(L, "Invitation"), tr(L,
	    "Reminders"), tr(L, "Cards submitted"));
	if (store_reminder_rows(ctx->store, c->id, state_row, &w) != 0)
		return -1;
	html_raw(b, "</tbody>\n</table>\n");
	if (c->open) {
		button(b, ctx, c, "invite", tr(L, "Invite those not invited "
		    "yet"));
		button(b, ctx, c, "remind", tr(L, "Remind those due a "
		    "reminder now"));
	}
	log_head(b, L);
	if (store_mails(ctx->store, c->id, MAIL_LOG_ROWS, log_row,
	    &(struct log_rows){ b, L }) != 0)
		return -1;
	html_raw(b, "</tbody>\n</table>\n");
	if (texts(ctx, b, c, po) == -1)
		return -1;
	admin_end(p);
	return buf_failed(b) ? -1 : 0;
}

int
admin_mail(struct admin_ctx *ctx, struct page *p, const char *slug)
{
	struct store_campaign	 c;
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	return mail_page(ctx, p, &c, NULL, NULL);
}

static void
count_begin(void *arg)
{
	(void)arg;
}

static int
count_row(void *arg, const struct store_reminder_row *r, const char *no)
{
	(void)arg;
	(void)r;
	(void)no;
	return 0;
}

int
admin_mail_post(struct admin_ctx *ctx, struct page *p, const char *slug,
    const char *verb)
{
	struct store_campaign	 c;
	struct admin_state	 st = { .status = 200 };
	struct mailq_batch	 mb;
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if (!c.open)
		return admin_error(p, ctx, 409, tr(ctx->lang, "Campaign "
		    "closed"), tr(ctx->lang, "A closed campaign sends no "
		    "invitations or reminders."));
	memset(&mb, 0, sizeof(mb));
	mb = (struct mailq_batch){ .conf = ctx->conf,
	    .base_url = ctx->base_url, .campaign_id = c.id,
	    .invite = strcmp(verb, "invite") == 0, .begin = count_begin,
	    .each = count_row };
	if (ctx->conf == NULL || store_write(ctx->store, mailq_batch_txn,
	    &mb) != 0)
		return -1;
	if (buf_fmt(st.text, sizeof(st.text), mb.invite ? trn(ctx->lang,
	    "%d invitation queued: they are sent within a minute.",
	    "%d invitations queued: they are sent within a minute.",
	    (unsigned long)mb.queued) : trn(ctx->lang, "%d reminder queued: "
	    "they are sent within a minute.", "%d reminders queued: they are "
	    "sent within a minute.", (unsigned long)mb.queued),
	    mb.queued) == -1)
		buf_mark_cut(st.text, sizeof(st.text));
	st.notice = st.text;
	return mail_page(ctx, p, &c, &st, NULL);
}

/* The posted text with each CR LF (as browsers send) made LF. */
static void
unix_lines(const char *s, struct buf *out)
{
	for (; *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			buf_putc(out, *s);
}

/* What the save's transaction writes. */
struct tsave {
	int64_t			 campaign_id;
	const struct posted	*po;
};

static int
template_txn(struct store *s, void *arg)
{
	const struct tsave	*t = arg;

	return store_mail_template_set(s, t->campaign_id, t->po->kind,
	    t->po->subject, t->po->body);
}

/* Field name as posted, "" when absent. */
static const char *
field(const struct admin_ctx *ctx, const char *name)
{
	const char	*v = req_field(ctx->req, name);

	return v != NULL ? v : "";
}

int
admin_mail_template(struct admin_ctx *ctx, struct page *p, const char *slug,
    const char *kind)
{
	struct store_campaign	 c;
	struct admin_state	 st = { .status = 200 };
	struct posted		 po;
	struct tsave		 t;
	struct buf		 body, preview;
	const char		*why = NULL, *s, *b;
	char			 toolong[128];
	int			 rc;

	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	if (mailq_shipped(kind, &s, &b) == -1)
		return admin_error(p, ctx, 404, tr(ctx->lang, "No such text"),
		    tr(ctx->lang, "There is no message of this kind."));
	buf_init(&body, MAIL_BODY_MAX + 1);
	buf_init(&preview, 2 * MAIL_BODY_MAX);
	unix_lines(field(ctx, "body"), &body);
	po = (struct posted){ .kind = kind, .subject = field(ctx, "subject"),
	    .body = buf_str(&body) != NULL ? buf_str(&body) : "", .st = &st };
	if (buf_failed(&body)) {
		if (buf_fmt(toolong, sizeof(toolong), tr(ctx->lang,
		    "the text is longer than %d bytes"), MAIL_BODY_MAX) == -1)
			buf_mark_cut(toolong, sizeof(toolong));
		why = toolong;
		rc = 1;
	} else
		rc = mailq_preview(ctx->lang, c.title, po.subject, po.body,
		    &preview, &why);
	t = (struct tsave){ .campaign_id = c.id, .po = &po };
	if (rc == 1)
		st = (struct admin_state){ .status = 422, .form = kind,
		    .problem = why };
	else if (rc == 0 && strcmp(field(ctx, "action"), "save") == 0 &&
	    (rc = store_write(ctx->store, template_txn, &t)) == 0)
		st.notice = tr(ctx->lang, "Saved: the next mails of this kind "
		    "use it.");
	po.preview = rc == 0 ? buf_str(&preview) : NULL;
	rc = rc == -1 ? -1 : mail_page(ctx, p, &c, &st, &po);
	buf_free(&body);
	buf_free(&preview);
	return rc;
}
