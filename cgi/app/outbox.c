/*
 * outbox: the JSON snapshots partners receive (submissions, revisions,
 * withdrawals, campaign closings, test events), built and written inside
 * the transaction of the change. Never reads anything but what it is
 * given; never exceeds OUTBOX_PAYLOAD_MAX.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/conf.h"
#include "base/log.h"
#include "base/rating.h"
#include "app/outbox.h"
#include "app/page.h"
#include "store/campaigns.h"
#include "store/partners.h"
#include "store/responses.h"
#include "app/view.h"

#define OUTBOX_SUMMARY_CHARS	280		/* text excerpt, code points */
#define OUTBOX_URL_MAX	(CONF_VALUE_MAX + 64)	/* base_url and a path */

/* A console URL that would not fit: logged, and the payload not built. */
static void
url_too_long(const char *what, const char *base_url)
{
	log_err("outbox: %s: the console URL under %s is longer than %d "
	    "bytes", what, base_url, OUTBOX_URL_MAX - 1);
}

/*
 * An answer as a JSON string without jansson checking its UTF-8 again:
 * every answer was checked on input (req_parse refuses invalid UTF-8), and
 * the check was 7 % of a submit (callgrind).
 */
static json_t *
answer_string(const char *s)
{
	return json_stringn_nocheck(s, strlen(s));
}

/* Bytes of the first n code points of s (valid UTF-8: checked on input). */
static size_t
prefix(const char *s, size_t n)
{
	size_t	 i = 0;

	for (size_t cp = 0; s[i] != '\0' && cp < n; cp++) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

#define OUTBOX_WHOLE	((size_t)-1)	/* texts not cut */

/*
 * Both payloads of a card from one walk of its slots: ratings, sectors
 * and lists are the same in both (one object, referenced by each root);
 * texts[0] holds the summary's excerpts, texts[1] the full texts, a text
 * short enough for the excerpt being one string in both. A payload over
 * OUTBOX_PAYLOAD_MAX gets its texts again, shorter, from a walk of the
 * texts alone (texts[from] to texts[to - 1]).
 */
struct build {
	const struct store_card		*card;
	const struct form_answers	*answers;
	const char			*type, *event_id, *at;
	int				 version;
	json_t				*ratings, *sectors, *lists;
	json_t				*texts[2];	/* summary, full */
	size_t				 chars[2];	/* code points, or
							   OUTBOX_WHOLE */
	int				 from, to;
	bool				 texts_only;
	char				 url[OUTBOX_URL_MAX];	/* card's */
	json_int_t			 total;	/* of the ratings parsed */
};

/* Put item (stolen) under the slot's question, or question and row. */
static int
text_put(json_t *texts, const struct view_slot *s, json_t *item)
{
	json_t	*obj;

	if (s->grid == NULL)
		return json_object_set_new(texts, s->question, item);
	if ((obj = json_object_get(texts, s->question)) == NULL) {
		if ((obj = json_object()) == NULL ||
		    json_object_set_new(texts, s->question, obj) == -1) {
			json_decref(item);
			return -1;
		}
	}
	return json_object_set_new(obj, s->rowkey, item);
}

static int
text_slot(struct build *bd, const struct view_slot *s)
{
	const char	*v;
	json_t		*item, *prev = NULL;
	size_t		 len, prevlen = 0;

	v = form_answer(bd->answers, s->question, s->rowkey, 0);
	if (v == NULL)
		return 0;
	for (int i = bd->from; i < bd->to; i++) {
		len = bd->chars[i] == OUTBOX_WHOLE ? strlen(v) :
		    prefix(v, bd->chars[i]);
		item = prev != NULL && len == prevlen ? json_incref(prev) :
		    json_stringn_nocheck(v, len);
		if (text_put(bd->texts[i], s, item) == -1)
			return -1;
		prev = item;
		prevlen = len;
	}
	return 0;
}

static int
slot(void *arg, const struct view_slot *s)
{
	struct build	*bd = arg;
	const char	*v;
	json_t		*arr, *obj;
	long		 n;

	if (s->q->type == FORM_LONG_TEXT || s->q->type == FORM_SHORT_TEXT)
		return text_slot(bd, s);
	if (bd->texts_only)
		return 0;
	if (s->grid != NULL && s->q->type == FORM_SCALE && s->grid->total) {
		v = form_answer(bd->answers, s->question, s->rowkey, 0);
		if (v == NULL)
			return json_object_set_new(bd->ratings, s->rowkey,
			    json_null());
		if (!rating_parse(v, s->q->min, s->q->max, &n))
			return json_object_set_new(bd->ratings, s->rowkey,
			    json_null());
		bd->total += n;
		return json_object_set_new(bd->ratings, s->rowkey,
		    json_integer(n));
	}
	if (s->grid != NULL && s->q->type == FORM_CHOICE) {
		v = form_answer(bd->answers, s->question, s->rowkey, 0);
		if ((obj = json_object_get(bd->sectors, s->rowkey)) == NULL) {
			obj = json_object();
			if (json_object_set_new(bd->sectors, s->rowkey, obj))
				return -1;
		}
		return json_object_set_new(obj, s->q->key,
		    v != NULL ? answer_string(v) : json_null());
	}
	if (s->q->type == FORM_LIST) {
		if ((arr = json_array()) == NULL)
			return -1;
		for (unsigned i = 0; (v = form_answer(bd->answers,
		    s->question, s->rowkey, i)) != NULL; i++)
			json_array_append_new(arr, answer_string(v));
		return json_object_set_new(bd->lists, s->question, arr);
	}
	return 0;
}

/* Walk f's slots into texts[from] to texts[to - 1] (new objects). */
static int
walk(struct build *bd, const struct form *f, int from, int to)
{
	for (int i = from; i < to; i++) {
		json_decref(bd->texts[i]);
		if ((bd->texts[i] = json_object()) == NULL)
			return -1;
	}
	bd->from = from;
	bd->to = to;
	return view_slots(f, bd->card->cities, bd->card->ncities, slot, bd);
}

/*
 * Payload i (0 summary, 1 full) as compact JSON in the tree's order into
 * *out: 0, 1 when it is not under OUTBOX_PAYLOAD_MAX, -1 on failure.
 */
static int
card_dump(const struct build *bd, int i, char **out)
{
	const struct store_card *c = bd->card;
	json_t		*root;
	char		*shrunk;
	size_t		 len;
	int		 rc = -1;

	/* Keys in README's order ("Partner notifications"), dumped in it. */
	root = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, "
	    "s:i, s:i, s:O, s:I, s:O, s:O, s:O, s:s}",
	    "type", bd->type, "id", bd->event_id, "timestamp", bd->at,
	    "campaign", "slug", c->campaign_slug, "title", c->campaign_title,
	    "key_field", "code", c->field_code, "title", c->field_title,
	    "version", bd->version, "round", c->round,
	    "ratings", bd->ratings, "total", bd->total,
	    "sectors", bd->sectors, "lists", bd->lists,
	    "texts", bd->texts[i], "url", bd->url);
	if (root == NULL || (i == 1 && json_object_set_new(root, "expert",
	    json_pack("{s:s, s:s}", "name", c->expert_name, "email",
	    c->expert_email)) == -1)) {
		log_err("outbox: %s: json_pack failed", bd->type);
		goto out;
	}
	/* Into a buffer of the cap's size: no growing, copying or strlen. */
	if ((*out = malloc(OUTBOX_PAYLOAD_MAX)) == NULL) {
		log_err("outbox: %s: out of memory", bd->type);
		goto out;
	}
	/*
	 * Without JSON_SORT_KEYS: jansson (>= 2.8) dumps in insertion order,
	 * fixed by the pack above and the form's slots, so the same card
	 * gives the same bytes; sorting was a qsort and a lookup per key.
	 */
	if ((len = json_dumpb(root, *out, OUTBOX_PAYLOAD_MAX,
	    JSON_COMPACT)) == 0 ||
	    len >= OUTBOX_PAYLOAD_MAX) {
		free(*out);
		*out = NULL;
		if (len == 0)
			log_err("outbox: %s: json_dumpb failed", bd->type);
		rc = len == 0 ? -1 : 1;
		goto out;
	}
	(*out)[len] = '\0';
	/* Kept until its batch commits: give back the cap's unused tail. */
	if ((shrunk = realloc(*out, len + 1)) != NULL)
		*out = shrunk;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

int
outbox_card_payload(void *arg, const struct store_card *c,
    const struct form_answers *answers, const char *type,
    const char *event_id, int version, const char *at, char **summary,
    char **full)
{
	const struct outbox_forms *of = arg;
	const struct form	*f;
	struct build		 bd;
	char			*out[2] = { NULL, NULL };
	int			 rc = -1, dumped;

	if ((f = page_form_by_id(of->forms, of->nforms, c->form_id)) ==
	    NULL) {
		log_err("outbox: form %lld is not loaded",
		    (long long)c->form_id);
		return -1;
	}
	memset(&bd, 0, sizeof(bd));
	bd.card = c;
	bd.answers = answers;
	bd.type = type;
	bd.event_id = event_id;
	bd.at = at;
	bd.version = version;
	bd.chars[0] = OUTBOX_SUMMARY_CHARS;
	bd.chars[1] = OUTBOX_WHOLE;
	if ((bd.ratings = json_object()) == NULL ||
	    (bd.sectors = json_object()) == NULL ||
	    (bd.lists = json_object()) == NULL || walk(&bd, f, 0, 2) != 0)
		goto unbuilt;
	if (buf_fmt(bd.url, sizeof(bd.url), "%s/admin/r/%lld", of->base_url,
	    (long long)c->response_id) == -1) {
		url_too_long(type, of->base_url);
		goto out;
	}
	bd.texts_only = true;
	/* Shrink excerpts until each payload fits: never above the cap. */
	for (int i = 0; i < 2; i++)
		while ((dumped = card_dump(&bd, i, &out[i])) != 0) {
			if (dumped == -1)
				goto out;
			if (bd.chars[i] == 0) {
				log_err("outbox: payload over %d bytes even "
				    "without texts", OUTBOX_PAYLOAD_MAX);
				goto out;
			}
			bd.chars[i] = (bd.chars[i] == OUTBOX_WHOLE ?
			    OUTBOX_SUMMARY_CHARS : bd.chars[i]) / 2;
			if (walk(&bd, f, i, i + 1) != 0)
				goto unbuilt;
		}
	*summary = out[0];
	*full = out[1];
	out[0] = out[1] = NULL;
	rc = 0;
	goto out;
unbuilt:
	log_err("outbox: %s: building the payload failed", type);
out:
	free(out[0]);
	free(out[1]);
	json_decref(bd.ratings);
	json_decref(bd.sectors);
	json_decref(bd.lists);
	json_decref(bd.texts[0]);
	json_decref(bd.texts[1]);
	return rc;
}

/* root as compact JSON in its order, within the cap; root released. */
static char *
dump(json_t *root, const char *what)
{
	char	*s;

	if (root == NULL) {
		log_err("outbox: %s: json_pack failed", what);
		return NULL;
	}
	s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (s == NULL)
		log_err("outbox: %s: json_dumps failed", what);
	else if (strlen(s) >= OUTBOX_PAYLOAD_MAX) {
		log_err("outbox: %s: payload over %d bytes", what,
		    OUTBOX_PAYLOAD_MAX);
		free(s);
		s = NULL;
	}
	return s;
}

char *
outbox_withdrawn_payload(const struct store_response *r,
    const char *base_url, const char *event_id, const char *at, bool full)
{
	json_t	*root;
	char	 url[OUTBOX_URL_MAX];

	if (buf_fmt(url, sizeof(url), "%s/admin/r/%lld", base_url,
	    (long long)r->id) == -1) {
		url_too_long("card.withdrawn", base_url);
		return NULL;
	}
	root = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, "
	    "s:i, s:i, s:s, s:s}",
	    "type", "card.withdrawn", "id", event_id, "timestamp", at,
	    "campaign", "slug", r->campaign_slug, "title", r->campaign_title,
	    "key_field", "code", r->field_code, "title", r->field_title,
	    "version", r->version, "round", r->round, "status", "withdrawn",
	    "url", url);
	if (root != NULL && full && json_object_set_new(root, "expert",
	    json_pack("{s:s, s:s}", "name", r->expert_name, "email",
	    r->expert_email)) == -1) {
		json_decref(root);
		root = NULL;
	}
	return dump(root, "card.withdrawn");
}

char *
outbox_closed_payload(const struct store_campaign *c, const char *base_url,
    const char *event_id, const char *at)
{
	char	 url[OUTBOX_URL_MAX];

	if (buf_fmt(url, sizeof(url), "%s/admin/c/%s", base_url,
	    c->slug) == -1) {
		url_too_long("campaign.closed", base_url);
		return NULL;
	}
	return dump(json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s}",
	    "type", "campaign.closed", "id", event_id, "timestamp", at,
	    "campaign", "slug", c->slug, "title", c->title, "url", url),
	    "campaign.closed");
}

char *
outbox_test_payload(const char *slug, const char *partner,
    const char *event_id, const char *at)
{
	return dump(json_pack("{s:s, s:s, s:s, s:{s:s}, s:s, s:s}",
	    "type", STORE_TEST_EVENT, "id", event_id, "timestamp", at,
	    "campaign", "slug", slug, "partner", partner,
	    "message", "This is a test event from keyfield."),
	    STORE_TEST_EVENT);
}

int
outbox_withdrawn_add(struct store *s, const struct store_response *r,
    const char *base_url)
{
	char	 id[STORE_EVENT_ID_MAX], at[32], *payload, *full = NULL;
	int	 rc = -1;

	store_event_id_new(id);
	store_now(at);
	if ((payload = outbox_withdrawn_payload(r, base_url, id, at,
	    false)) == NULL || (full = outbox_withdrawn_payload(r, base_url,
	    id, at, true)) == NULL)
		goto out;
	rc = store_event_add(s, id, "card.withdrawn", r->campaign_id, r->id,
	    at, payload, full);
out:
	free(payload);
	free(full);
	return rc;
}

int
outbox_closed_add(struct store *s, const struct store_campaign *c,
    const char *base_url)
{
	char	 id[STORE_EVENT_ID_MAX], at[32], *payload;
	int	 rc;

	store_event_id_new(id);
	store_now(at);
	if ((payload = outbox_closed_payload(c, base_url, id, at)) == NULL)
		return -1;
	rc = store_event_add(s, id, "campaign.closed", c->id, 0, at, payload,
	    payload);
	free(payload);
	return rc;
}
