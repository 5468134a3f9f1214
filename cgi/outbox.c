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

#include "log.h"
#include "outbox.h"
#include "page.h"
#include "store-admin.h"
#include "store-notify.h"
#include "view.h"

#define OUTBOX_SUMMARY_CHARS	280		/* text excerpt, code points */

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

/* The first n code points of a UTF-8 string (valid: checked on input). */
static json_t *
excerpt(const char *s, size_t n)
{
	size_t	 i = 0;

	for (size_t cp = 0; s[i] != '\0' && cp < n; cp++) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
	}
	return json_stringn_nocheck(s, i);
}

struct build {
	const struct store_card		*card;
	const struct form_answers	*answers;
	json_t				*ratings, *sectors, *texts, *lists;
	bool				 full;
	size_t				 text_chars;
};

static int
slot(void *arg, const struct view_slot *s)
{
	struct build	*bd = arg;
	const char	*v;
	json_t		*arr, *obj, *item;
	char		*end;
	long		 n;

	if (s->grid != NULL && s->q->type == FORM_SCALE && s->grid->total) {
		v = form_answer(bd->answers, s->question, s->rowkey, 0);
		if (v == NULL)
			return json_object_set_new(bd->ratings, s->rowkey,
			    json_null());
		n = strtol(v, &end, 10);
		return json_object_set_new(bd->ratings, s->rowkey,
		    *end == '\0' ? json_integer(n) : json_null());
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
	if (s->q->type == FORM_LONG_TEXT || s->q->type == FORM_SHORT_TEXT) {
		v = form_answer(bd->answers, s->question, s->rowkey, 0);
		if (v == NULL)
			return 0;
		item = bd->full ? answer_string(v) :
		    excerpt(v, bd->text_chars);
		if (s->grid == NULL)
			return json_object_set_new(bd->texts, s->question, item);
		if ((obj = json_object_get(bd->texts, s->question)) == NULL) {
			obj = json_object();
			if (json_object_set_new(bd->texts, s->question, obj))
				return -1;
		}
		return json_object_set_new(obj, s->rowkey, item);
	}
	return 0;
}

int
outbox_card_payload(void *arg, const struct store_card *c,
    const struct form_answers *answers, const char *type,
    const char *event_id, int version, const char *at, bool full,
    char **payload)
{
	struct page_ctx		*ctx = arg;
	const struct form	*f;
	struct build		 bd;
	json_t			*root = NULL, *data;
	char			 url[512];
	long long		 total = 0;
	json_t			*v;
	const char		*key;
	int			 rc = -1;

	if ((f = page_form_by_id(ctx, c->form_id)) == NULL)
		return -1;
	memset(&bd, 0, sizeof(bd));
	bd.card = c;
	bd.answers = answers;
	bd.full = full;
	/* Shrink excerpts until the payload fits: never above the cap. */
	for (bd.text_chars = OUTBOX_SUMMARY_CHARS; ; bd.text_chars /= 2) {
		json_decref(root);
		bd.ratings = json_object();
		bd.sectors = json_object();
		bd.texts = json_object();
		bd.lists = json_object();
		snprintf(url, sizeof(url), "%s/admin/r/%lld", ctx->base_url,
		    (long long)c->response_id);
		root = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, "
		    "s:i, s:s, s:o, s:o, s:o, s:o}",
		    "type", type, "id", event_id, "timestamp", at,
		    "campaign", "slug", c->campaign_slug, "title",
		    c->campaign_title,
		    "key_field", "code", c->field_code, "title", c->field_title,
		    "version", version, "url", url,
		    "ratings", bd.ratings, "sectors", bd.sectors,
		    "texts", bd.texts, "lists", bd.lists);
		if (root == NULL)
			goto out;
		if (view_slots(f, c->cities, c->ncities, slot, &bd) != 0)
			goto out;
		total = 0;
		json_object_foreach(bd.ratings, key, v)
			if (json_is_integer(v))
				total += json_integer_value(v);
		data = json_integer(total);
		if (json_object_set_new(root, "total", data) == -1)
			goto out;
		if (full && json_object_set_new(root, "expert",
		    json_pack("{s:s, s:s}", "name", c->expert_name, "email",
		    c->expert_email)) == -1)
			goto out;
		*payload = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
		if (*payload == NULL)
			goto out;
		if (strlen(*payload) < OUTBOX_PAYLOAD_MAX)
			break;
		free(*payload);
		*payload = NULL;
		bd.full = false;
		if (bd.text_chars == 0) {
			log_err("outbox: payload over %d bytes even without "
			    "texts", OUTBOX_PAYLOAD_MAX);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/* root as compact JSON with sorted keys, within the cap; root released. */
static char *
dump(json_t *root, const char *what)
{
	char	*s;

	if (root == NULL) {
		log_err("outbox: %s: json_pack failed", what);
		return NULL;
	}
	s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
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
	char	 url[512];

	snprintf(url, sizeof(url), "%s/admin/r/%lld", base_url,
	    (long long)r->id);
	root = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, "
	    "s:i, s:s, s:s}",
	    "type", "card.withdrawn", "id", event_id, "timestamp", at,
	    "campaign", "slug", r->campaign_slug, "title", r->campaign_title,
	    "key_field", "code", r->field_code, "title", r->field_title,
	    "version", r->version, "status", "withdrawn", "url", url);
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
	char	 url[512];

	snprintf(url, sizeof(url), "%s/admin/c/%s", base_url, c->slug);
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
