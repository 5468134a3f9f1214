/*
 * app/mailq: compose the messages keyfield sends and queue them in the
 * mail outbox. Never queues a message the builder refused, never puts a
 * token anywhere but the body's link.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/mail.h"
#include "app/mailq.h"
#include "base/auth.h"
#include "base/buf.h"
#include "base/conf.h"
#include "base/i18n.h"
#include "base/log.h"
#include "store/experts.h"
#include "store/languages.h"
#include "store/mail.h"

#define KEY_FIELDS_MAX	4096	/* bytes of the {key_fields} list */
#define LINK_MAX	(CONF_VALUE_MAX + 64)	/* base_url/i/TOKEN */

/*
 * The shipped text of a kind of message, in a language: the English text
 * is the message id, po/LANG.po has the others (a third language is
 * catalogue entries only). The placeholders stay as they are.
 */
struct mail_text {
	const char	*subject;
	const char	*body;
};

/* The shipped text of a new expert's invitation. */
static struct mail_text
invitation_text(const struct lang *l)
{
	return (struct mail_text){ tr(l, "Invitation: {campaign}"),
	    tr(l, "Dear {name},\n"
	"\n"
	"you are invited to rate the key fields of \"{campaign}\":\n"
	"{key_fields}\n"
	"\n"
	"Your personal link (please do not forward it; it signs you in):\n"
	"{link}\n"
	"\n"
	"Opening the link shows a button that signs you in; you can come\n"
	"back with the same link to continue or revise your answers while\n"
	"the survey is open.\n"
	"\n"
	"Thank you,\n"
	"{coordinator}\n") };
}

/* The shipped text of a new link (her link was replaced). */
static struct mail_text
newlink_text(const struct lang *l)
{
	return (struct mail_text){ tr(l, "Your new link: {campaign}"),
	    tr(l, "Dear {name},\n"
	"\n"
	"your link to \"{campaign}\" was replaced; the old one no longer\n"
	"works. Your new personal link (please do not forward it):\n"
	"{link}\n"
	"\n"
	"Your key fields: {key_fields}\n"
	"\n"
	"Thank you,\n"
	"{coordinator}\n") };
}

/* The shipped text of a reminder. */
static struct mail_text
reminder_text(const struct lang *l)
{
	return (struct mail_text){ tr(l, "Reminder: {campaign}"),
	    tr(l, "Dear {name},\n"
	"\n"
	"a friendly reminder: your ratings for \"{campaign}\" are not\n"
	"submitted yet. Your key fields: {key_fields}\n"
	"Deadline: {deadline}\n"
	"\n"
	"Your personal link (please do not forward it; it signs you in):\n"
	"{link}\n"
	"\n"
	"Thank you,\n"
	"{coordinator}\n"
	"\n"
	"No more reminders for this survey: {unsubscribe}\n") };
}

/* The shipped text of the thank-you note on a submission. */
static struct mail_text
thanks_text(const struct lang *l)
{
	return (struct mail_text){ tr(l, "Thank you: {campaign}"),
	    tr(l, "Dear {name},\n"
	"\n"
	"thank you: your card is submitted.\n"
	"{key_fields}\n"
	"\n"
	"You can revise it while the survey is open (deadline: {deadline})\n"
	"with your personal link (please do not forward it):\n"
	"{link}\n"
	"\n"
	"{coordinator}\n") };
}

/* The shipped text of the lost-link page's answer. */
static struct mail_text
lostlink_text(const struct lang *l)
{
	return (struct mail_text){ tr(l, "Your link: {campaign}"),
	    tr(l, "Dear {name},\n"
	"\n"
	"someone, perhaps you, asked for your link to \"{campaign}\".\n"
	"Here is a new sign-in link (please do not forward it):\n"
	"{link}\n"
	"\n"
	"Your earlier links keep working. If you did not ask, you can\n"
	"ignore this mail.\n"
	"\n"
	"{coordinator}\n") };
}

/* The shipped text of a test message. */
static struct mail_text
test_text(const struct lang *l)
{
	return (struct mail_text){ tr(l, "keyfield test message"),
	    tr(l, "This is a test message from keyfield.\n"
	"\n"
	"If you read it, keyfield can send mail to this address.\n"
	"{coordinator}\n") };
}

static const struct {
	const char		*kind;		/* mails.kind */
	struct mail_text	(*text)(const struct lang *);
} link_mails[] = {
	[MAILQ_INVITATION] = { "invitation", invitation_text },
	[MAILQ_NEWLINK] = { "newlink", newlink_text },
};
_Static_assert(sizeof(link_mails) / sizeof(link_mails[0]) ==
    MAILQ_LINK__MAX, "one text per message with a link");

/* The kinds a campaign may have its own text of, and the shipped text. */
static const struct {
	const char		*kind;
	struct mail_text	(*text)(const struct lang *);
} shipped[] = {
	{ "invitation", invitation_text },
	{ "reminder", reminder_text },
	{ "thanks", thanks_text },
	{ "newlink", newlink_text },
	{ "lostlink", lostlink_text },
};

const char *
mailq_kind(size_t i)
{
	return i < sizeof(shipped) / sizeof(shipped[0]) ? shipped[i].kind :
	    NULL;
}

int
mailq_shipped(const char *kind, const char **subject, const char **body)
{
	return mailq_shipped_in(i18n_english(), kind, subject, body);
}

int
mailq_shipped_in(const struct lang *l, const char *kind,
    const char **subject, const char **body)
{
	struct mail_text	 t;

	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++)
		if (strcmp(shipped[i].kind, kind) == 0) {
			t = shipped[i].text(l);
			*subject = t.subject;
			*body = t.body;
			return 0;
		}
	return -1;
}

/* Example values of the placeholders, for checks and previews. */
static void
example_vals(const char *vals[MAIL_VAR__MAX], const char *campaign)
{
	vals[MAIL_VAR_NAME] = "Dr. \xc3\x85sa O'Connor-Nguy\xe1\xbb\x85n";
	vals[MAIL_VAR_CAMPAIGN] = campaign;
	vals[MAIL_VAR_KEY_FIELDS] = "SF41 Cluster Management";
	vals[MAIL_VAR_LINK] = "https://survey.example.org/i/(her link)";
	vals[MAIL_VAR_DEADLINE] = "2026-12-31";
	vals[MAIL_VAR_COORDINATOR] = "coordinators@example.org";
	vals[MAIL_VAR_UNSUBSCRIBE] = "https://survey.example.org/u/(id)";
}

int
mailq_preview(const struct lang *l, const char *campaign,
    const char *subject, const char *body, struct buf *out, const char **why)
{
	static _Thread_local char	 msg[240];
	const char			*vals[MAIL_VAR__MAX];
	int				 rc;

	if (*subject == '\0' || !mail_text_ok(subject, MAIL_SUBJECT_MAX,
	    false)) {
		if (buf_fmt(msg, sizeof(msg), tr(l, "the subject is empty, "
		    "longer than %d bytes, or has a line break or another "
		    "control character"), MAIL_SUBJECT_MAX) == -1)
			buf_mark_cut(msg, sizeof(msg));
		*why = msg;
		return 1;
	}
	if (!mail_text_ok(body, MAIL_BODY_MAX, true)) {
		if (buf_fmt(msg, sizeof(msg), tr(l, "the text is longer than "
		    "%d bytes, not UTF-8, or has a control character (a "
		    "carriage return too)"), MAIL_BODY_MAX) == -1)
			buf_mark_cut(msg, sizeof(msg));
		*why = msg;
		return 1;
	}
	example_vals(vals, campaign);
	buf_puts(out, "Subject: ");
	if ((rc = mail_render(l, subject, vals, out, why)) != 0)
		return rc;
	buf_puts(out, "\n\n");
	return mail_render(l, body, vals, out, why);
}

/* One message to compose and queue. */
struct compose {
	const char		*kind;		/* sql/011's mails.kind */
	int64_t			 campaign_id, expert_id;	/* 0: none */
	const char		*to, *to_name;
	struct mail_text	(*shipped)(const struct lang *);
	struct mail_text	 text;		/* filled by to_expert */
	const struct lang	*lang;		/* the expert's */
	const char		*vals[MAIL_VAR__MAX];
	const char		*unsubscribe;	/* base URL of the opt-out
						 * page (/u/ID); NULL: none */
	const char		*card;		/* {key_fields} instead */
	int64_t			 fill_id;	/* a row to compose, else 0:
						 * a new one */
};

/* Render, build and queue c: 0, 1 refused (*why), -1. */
static int
compose_queue(struct store *s, const struct conf *conf,
    const struct compose *c, const char **why)
{
	struct buf		 subject, body, msg;
	struct mail_head	 h;
	struct store_mail_new	 m;
	const char		*vals[MAIL_VAR__MAX];
	char			 verp[STORE_VERP_MAX], unsub[LINK_MAX];
	int			 rc;

	store_verp_new(verp);
	memcpy(vals, c->vals, sizeof(vals));
	if (c->unsubscribe != NULL) {
		if (buf_fmt(unsub, sizeof(unsub), "%s/u/%s", c->unsubscribe,
		    verp) == -1) {
			*why = "the base URL is too long";
			return 1;
		}
		vals[MAIL_VAR_UNSUBSCRIBE] = unsub;
	}
	buf_init(&subject, MAIL_SUBJECT_MAX + 1);
	buf_init(&body, MAIL_BODY_MAX + 1);
	buf_init(&msg, MAIL_MESSAGE_MAX);
	if ((rc = mail_render(c->lang, c->text.subject, vals, &subject,
	    why)) == 0)
		rc = mail_render(c->lang, c->text.body, vals, &body, why);
	if (rc == -1) {
		*why = "the text is longer than a message may be";
		rc = 1;
	}
	if (rc != 0)
		goto out;
	memset(&h, 0, sizeof(h));
	h.from = conf->mail_from;
	h.to = c->to;
	h.to_name = c->to_name;
	h.reply_to = *conf->mail_reply_to != '\0' ? conf->mail_reply_to : NULL;
	h.subject = buf_str(&subject);
	h.unsubscribe = c->unsubscribe != NULL ? unsub : NULL;
	h.date = time(NULL);
	if ((rc = mail_build(&h, buf_str(&body), &msg, why)) == -1) {
		*why = "the message is too long";
		rc = 1;
	}
	if (rc != 0)
		goto out;
	m = (struct store_mail_new){ .campaign_id = c->campaign_id,
	    .expert_id = c->expert_id, .kind = c->kind, .rcpt = c->to,
	    .subject = h.subject, .verp = verp, .message = buf_str(&msg),
	    .len = msg.len };
	if (c->fill_id != 0)
		rc = store_mail_compose_done(s, c->fill_id, &m, NULL) == -1 ?
		    -1 : 0;
	else
		rc = store_mail_add(s, &m, NULL);
out:
	buf_free(&subject);
	buf_free(&body);
	buf_free(&msg);
	return rc;
}

/* "CODE Title, CODE Title" of e's key fields into out. */
static void
key_fields(const struct store_expert *e, struct buf *out)
{
	for (size_t i = 0; i < e->nassignments; i++)
		buf_printf(out, "%s%s %s", i > 0 ? ", " : "",
		    e->assignments[i].field_code,
		    e->assignments[i].field_title);
}

/*
 * The language of expert_id of campaign_id into *lang: hers, else the
 * campaign's default; *dflt: whether it is the campaign's default (a
 * campaign's own text is written in that one). 0 or -1.
 */
static int
expert_lang(struct store *s, int64_t campaign_id, int64_t expert_id,
    const struct lang **lang, bool *dflt)
{
	char	 langs[STORE_LANGS_SZ], def[STORE_LANG_SZ], own[STORE_LANG_SZ];
	int	 rc;

	if ((rc = store_campaign_languages(s, campaign_id, langs, def)) ==
	    -1)
		return -1;
	if (rc == 1)
		memcpy(def, "en", 3);
	if ((rc = store_expert_lang(s, expert_id, own)) == -1)
		return -1;
	if (rc == 1 || *own == '\0')
		memcpy(own, def, sizeof(own));
	*dflt = strcasecmp(own, def) == 0;
	*lang = i18n_lang(own);
	return 0;
}

/*
 * The text of c for its expert into c->text and c->lang: the campaign's
 * own text (kept in own, to free) when she reads the campaign's default
 * language, else the shipped one in hers. 0 or -1.
 */
static int
choose_text(struct store *s, struct compose *c,
    struct store_mail_template *own)
{
	bool	 dflt;
	int	 rc;

	memset(own, 0, sizeof(*own));
	if (expert_lang(s, c->campaign_id, c->expert_id, &c->lang, &dflt) ==
	    -1)
		return -1;
	c->text = c->shipped(c->lang);
	if (!dflt)
		return 0;
	if ((rc = store_mail_template(s, c->campaign_id, c->kind, own)) == -1)
		return -1;
	if (rc == 0)
		c->text = (struct mail_text){ own->subject, own->body };
	return 0;
}

/*
 * Fill c's recipient and placeholders for expert_id of campaign_id with
 * link, and queue it: 0, 1 refused (*why; also when mail to her stopped
 * for a reason in stops: "bounced", "opted-out"), -1.
 */
static int
to_expert(struct store *s, const struct conf *conf, struct compose *c,
    const char *link, const char *const stops[2], const char **why)
{
	struct store_expert_row		 row;
	struct store_expert		 e;
	struct store_mail_policy	 pol;
	struct store_mail_template	 own;
	struct buf			 fields;
	char				 reason[16], deadline[I18N_DATE_MAX];
	int				 rc;

	if ((rc = store_expert_row(s, c->campaign_id, c->expert_id,
	    &row)) != 0 || (rc = store_mail_suppressed(s, c->campaign_id,
	    row.email, reason)) == -1 || (rc == 1 &&
	    (strcmp(reason, stops[0]) == 0 || strcmp(reason, stops[1]) == 0)))
	{
		*why = rc == 1 ? "mail to this address has stopped (it "
		    "bounced or opted out)" : "no such expert";
		return rc == -1 ? -1 : 1;
	}
	if (store_mail_policy(s, c->campaign_id, &pol) == -1 ||
	    choose_text(s, c, &own) == -1)
		return -1;
	if ((rc = store_expert_get(s, c->expert_id, &e)) != 0) {
		store_mail_template_free(&own);
		*why = "her link is revoked";
		return rc;
	}
	buf_init(&fields, KEY_FIELDS_MAX);
	key_fields(&e, &fields);	/* a cut list shows what fit */
	c->to = row.email;
	c->to_name = row.name;
	c->vals[MAIL_VAR_NAME] = row.name;
	c->vals[MAIL_VAR_CAMPAIGN] = e.campaign_title;
	c->vals[MAIL_VAR_KEY_FIELDS] = c->card != NULL ? c->card :
	    fields.data != NULL ? fields.data : "";
	c->vals[MAIL_VAR_LINK] = link;
	c->vals[MAIL_VAR_DEADLINE] = i18n_date(c->lang, pol.deadline,
	    deadline);
	c->vals[MAIL_VAR_COORDINATOR] = *conf->mail_reply_to != '\0' ?
	    conf->mail_reply_to : conf->mail_from;
	c->vals[MAIL_VAR_UNSUBSCRIBE] = "";
	rc = compose_queue(s, conf, c, why);
	buf_free(&fields);
	store_expert_free(&e);
	store_mail_template_free(&own);
	return rc;
}

int
mailq_invitation(struct store *s, const struct conf *conf,
    const char *base_url, enum mailq_link kind, int64_t campaign_id,
    int64_t expert_id, const char *token, const char **why)
{
	static const char *const stops[2] = { "bounced", "bounced" };
	struct compose	 c;
	char		 link[LINK_MAX];

	if (buf_fmt(link, sizeof(link), "%s/i/%s", base_url, token) == -1) {
		*why = "the base URL is too long";
		return 1;
	}
	c = (struct compose){ .kind = link_mails[kind].kind,
	    .campaign_id = campaign_id, .expert_id = expert_id,
	    .shipped = link_mails[kind].text };
	return to_expert(s, conf, &c, link, stops, why);
}

/*
 * Queue c to its expert with a fresh mail sign-in link (her invitation
 * stays valid), stopped for the reasons in stops: 0, 1 (*why), -1.
 */
static int
signin_mail(struct store *s, const struct conf *conf, const char *base_url,
    struct compose *c, const char *const stops[2], const char **why)
{
	char		 token[AUTH_TOKEN_LEN + 1], link[LINK_MAX];
	unsigned char	 hash[AUTH_HASH_BYTES];
	int		 rc;

	if (buf_fmt(link, sizeof(link), "%s/i/", base_url) == -1 ||
	    strlen(link) + AUTH_TOKEN_LEN >= sizeof(link)) {
		*why = "the base URL is too long";
		return 1;
	}
	auth_token_new(token);
	auth_token_hash(token, hash);
	memcpy(link + strlen(link), token, sizeof(token));
	if ((rc = to_expert(s, conf, c, link, stops, why)) != 0)
		return rc;
	return store_mail_token_add(s, c->expert_id, hash);
}

int
mailq_reminder(struct store *s, const struct conf *conf,
    const char *base_url, int64_t campaign_id, int64_t expert_id,
    const char **why)
{
	static const char *const stops[2] = { "bounced", "opted-out" };
	struct compose	 c;

	c = (struct compose){ .kind = "reminder", .campaign_id = campaign_id,
	    .expert_id = expert_id, .shipped = reminder_text,
	    .unsubscribe = base_url };
	return signin_mail(s, conf, base_url, &c, stops, why);
}

int
mailq_invite(struct store *s, const struct conf *conf,
    const char *base_url, int64_t campaign_id, int64_t expert_id,
    const char **why)
{
	static const char *const stops[2] = { "bounced", "bounced" };
	struct compose	 c;

	c = (struct compose){ .kind = "invitation", .campaign_id = campaign_id,
	    .expert_id = expert_id, .shipped = invitation_text };
	return signin_mail(s, conf, base_url, &c, stops, why);
}

int
mailq_lost(struct store *s, const struct conf *conf, const char *base_url,
    int64_t campaign_id, int64_t expert_id, const char **why)
{
	static const char *const stops[2] = { "bounced", "bounced" };
	struct compose	 c;

	c = (struct compose){ .kind = "lostlink", .campaign_id = campaign_id,
	    .expert_id = expert_id, .shipped = lostlink_text };
	return signin_mail(s, conf, base_url, &c, stops, why);
}

int
mailq_thanks(struct store *s, const struct conf *conf, const char *base_url,
    const struct store_mail_compose *m)
{
	static const char *const stops[2] = { "bounced", "bounced" };
	struct compose		 c;
	const struct lang	*lang;
	char			 card[STORE_CODE_MAX + STORE_NAME_MAX + 96];
	char			 at[I18N_DATE_MAX];
	const char		*why;
	bool			 dflt;
	int			 rc;

	if (expert_lang(s, m->campaign_id, m->expert_id, &lang, &dflt) == -1)
		return -1;
	/* TRANSLATORS: a card in a thank-you mail: code, title, version,
	 * the day it was submitted. */
	if (buf_fmt(card, sizeof(card), tr(lang, "%s %s, version %d, %s"),
	    m->field_code, m->field_title, m->version,
	    i18n_date(lang, m->submitted_at, at)) == -1)
		buf_mark_cut(card, sizeof(card));
	c = (struct compose){ .kind = "thanks", .campaign_id = m->campaign_id,
	    .expert_id = m->expert_id, .shipped = thanks_text, .card = card,
	    .fill_id = m->id };
	if ((rc = signin_mail(s, conf, base_url, &c, stops, &why)) != 1)
		return rc;
	return store_mail_compose_done(s, m->id, NULL, why) == -1 ? -1 : 1;
}

int
mailq_test(struct store *s, const struct conf *conf, const char *address,
    const char **why)
{
	struct compose	 c;

	memset(&c, 0, sizeof(c));
	c.kind = "test";
	c.to = address;
	c.text = test_text(i18n_english());
	for (int v = 0; v < MAIL_VAR__MAX; v++)
		c.vals[v] = "";
	c.vals[MAIL_VAR_COORDINATOR] = conf->mail_from;
	return compose_queue(s, conf, &c, why);
}

/* The day of unix seconds t, "YYYY-MM-DD", into out[16]. */
static void
day(int64_t t, char out[16])
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/*
 * The unix seconds of MAILQ_BEFORE_DEADLINE days before the start of
 * deadline ("YYYY-MM-DD"), or -1 for none.
 */
static int64_t
before_deadline(const char *deadline)
{
	struct tm	 tm;

	if (strlen(deadline) != 10)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (deadline[0] - '0') * 1000 + (deadline[1] - '0') * 100 +
	    (deadline[2] - '0') * 10 + (deadline[3] - '0') - 1900;
	tm.tm_mon = (deadline[5] - '0') * 10 + (deadline[6] - '0') - 1;
	tm.tm_mday = (deadline[8] - '0') * 10 + (deadline[9] - '0') -
	    MAILQ_BEFORE_DEADLINE;
	return (int64_t)timegm(&tm);
}

const char *
mailq_reminder_due(const struct store_reminder_row *r,
    const struct store_mail_policy *p, int64_t now_s, char *why,
    size_t whysz)
{
	int64_t	 next = r->last_s + (int64_t)p->every_days * 24 * 3600;
	int64_t	 soon = before_deadline(p->deadline);
	char	 d1[16], d2[16];
	int	 cut;

	/* Days before the deadline: one more, whenever she last got one. */
	if (soon >= 0 && r->last_s < soon && soon < next)
		next = soon;
	if (r->revoked)
		cut = buf_fmt(why, whysz, "her link is revoked");
	else if (r->cards == 0)
		cut = buf_fmt(why, whysz, "no key field is assigned to her");
	else if (r->open == 0)
		cut = buf_fmt(why, whysz, "every card is submitted");
	else if (*r->stopped != '\0')
		cut = buf_fmt(why, whysz, "%s", strcmp(r->stopped,
		    "bounced") == 0 ? "her address bounced" : "she opted out");
	else if (r->pending > 0)
		cut = buf_fmt(why, whysz, "a mail to her waits to be sent");
	else if (r->reminders >= p->max_reminders)
		cut = buf_fmt(why, whysz, "%d reminders sent, the most",
		    r->reminders);
	else if (now_s < next) {
		day(r->last_s, d1);
		day(next, d2);
		cut = buf_fmt(why, whysz, "last mail %s, next from %s", d1, d2);
	} else
		return NULL;
	if (cut == -1)
		buf_mark_cut(why, whysz);
	return why;
}

const char *
mailq_invite_due(const struct store_reminder_row *r, bool again, char *why,
    size_t whysz)
{
	const char	*no = NULL;

	if (r->revoked)
		no = "her link is revoked";
	else if (strcmp(r->stopped, "bounced") == 0)
		no = "her address bounced";
	else if (r->pending > 0)
		no = "a mail to her waits to be sent";
	else if (r->invited > 0 && !again)
		no = "invited already (name her with --to to send it again)";
	if (no == NULL)
		return NULL;
	if (buf_fmt(why, whysz, "%s", no) == -1)
		buf_mark_cut(why, whysz);
	return why;
}

/* The experts of a batch, read before any is mailed. */
struct batch_rows {
	struct store_reminder_row	*v;
	size_t				 n;
};

static int
batch_row(void *arg, const struct store_reminder_row *r)
{
	struct batch_rows	*br = arg;

	if (br->n < MAILQ_BATCH_MAX)
		br->v[br->n++] = *r;
	return 0;
}

/* Decide about r and queue her mail unless dry_run: 0 or -1. */
static int
batch_one(struct store *s, struct mailq_batch *b,
    const struct store_mail_policy *pol, const struct store_reminder_row *r)
{
	const char	*no, *why;
	char		 reason[96];
	int		 rc;

	no = b->invite ? mailq_invite_due(r, b->to != NULL, reason,
	    sizeof(reason)) : mailq_reminder_due(r, pol, (int64_t)time(NULL),
	    reason, sizeof(reason));
	if (no == NULL && !b->dry_run) {
		if ((rc = (b->invite ? mailq_invite : mailq_reminder)(s,
		    b->conf, b->base_url, b->campaign_id, r->id, &why)) == -1)
			return -1;
		no = rc == 1 ? why : NULL;
	}
	if (no == NULL)
		b->queued++;
	return b->each(b->arg, r, no);
}

int
mailq_batch_txn(struct store *s, void *arg)
{
	struct mailq_batch		*b = arg;
	struct store_mail_policy	 pol;
	struct batch_rows		 br = { NULL, 0 };
	int				 rc = -1;

	b->queued = 0;
	b->begin(b->arg);
	if ((br.v = calloc(MAILQ_BATCH_MAX, sizeof(*br.v))) == NULL) {
		log_err("calloc: out of memory for a mail batch");
		return -1;
	}
	if (store_mail_policy(s, b->campaign_id, &pol) == -1 ||
	    store_reminder_rows(s, b->campaign_id, batch_row, &br) != 0)
		goto out;
	for (size_t i = 0; i < br.n; i++)
		if ((b->to == NULL || strcasecmp(b->to, br.v[i].email) == 0) &&
		    batch_one(s, b, &pol, &br.v[i]) == -1)
			goto out;
	rc = 0;
out:
	free(br.v);
	return rc;
}
