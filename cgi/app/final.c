/*
 * final: the final cards of key fields: their body, prefill, diff, save
 * and publication (see final.h). Never trusts a body it did not write
 * without checking each member's type; never writes an event outside the
 * transaction that publishes.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/final.h"
#include "app/outbox.h"
#include "app/stats.h"
#include "base/conf.h"
#include "base/form.h"
#include "base/i18n.h"
#include "base/log.h"
#include "store/campaigns.h"
#include "store/finals.h"
#include "store/partners.h"
#include "store/responses.h"
#include "store/rounds.h"

const char *
final_section_title(const struct lang *l, size_t i)
{
	switch (i) {
	case 0: return tr(l, "1. Differentiated description of the key field");
	case 1: return tr(l, "2. Reference to sustainability:");
	case 2: return tr(l, "3. Relevance to industrial sectors?");
	case 3: return tr(l, "4. Impact (positive & negative)");
	case 4: return tr(l, "5. Implementation measures:");
	case 5: return tr(l, "6. Actors: Who can shape things?");
	case 6: return tr(l, "7. Prerequisites:");
	case 7: return tr(l, "8. Obstacles/barriers:");
	case 8: return tr(l, "9. Indicators:");
	default: return tr(l, "10. Special features/remarks:");
	}
}
_Static_assert(FINAL_SECTIONS == 10, "one heading per section");

void
final_init(struct final_card *fc, const struct form_row *cities, size_t n)
{
	assert(n <= CAMPAIGN_CITIES_MAX);
	memset(fc, 0, sizeof(*fc));
	fc->cities = cities;
	fc->ncities = n;
	for (size_t i = 0; i < n; i++)
		fc->ratings[i] = -1;
}

void
final_free(struct final_card *fc)
{
	if (fc == NULL)
		return;
	for (size_t i = 0; i < fc->ncities; i++)
		free(fc->examples[i]);
	for (size_t i = 0; i < FINAL_SECTIONS; i++)
		free(fc->sections[i]);
	final_init(fc, fc->cities, fc->ncities);
}

int
final_total(const struct final_card *fc)
{
	int	 sum = 0;

	for (size_t i = 0; i < fc->ncities; i++)
		if (fc->ratings[i] >= 0)
			sum += fc->ratings[i];
	return sum;
}

size_t
final_rated(const struct final_card *fc)
{
	size_t	 n = 0;

	for (size_t i = 0; i < fc->ncities; i++)
		n += fc->ratings[i] >= 0;
	return n;
}

bool
final_rating_parse(const char *s, int *out)
{
	int	 v = 0;

	if (*s == '\0') {
		*out = -1;
		return true;
	}
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || p - s >= 2)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v > FINAL_RATING_MAX)
		return false;
	*out = v;
	return true;
}

int
final_text_set(char **slot, const char *text)
{
	size_t	 n = strlen(text), j = 0;
	char	*t;

	while (n > 0 && strchr(" \t\r\n", text[n - 1]) != NULL)
		n--;
	free(*slot);
	*slot = NULL;
	if (n == 0)
		return 0;
	if ((t = malloc(n + 1)) == NULL) {
		log_err("final: malloc: out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (text[i] != '\r')
			t[j++] = text[i];
		else if (text[i + 1] != '\n')
			t[j++] = '\n';
	t[j] = '\0';
	*slot = t;
	return 0;
}

/* The card as a JSON object; with_total adds "total". NULL (logged). */
static json_t *
card_json(const struct final_card *fc, bool with_total)
{
	json_t	*root, *ratings, *examples, *sections;
	int	 bad = 0;

	root = json_object();
	ratings = json_object();
	examples = json_object();
	sections = json_array();
	for (size_t i = 0; i < fc->ncities; i++) {
		if (fc->ratings[i] >= 0)
			bad |= json_object_set_new(ratings, fc->cities[i].key,
			    json_integer(fc->ratings[i]));
		if (fc->examples[i] != NULL)
			bad |= json_object_set_new(examples,
			    fc->cities[i].key, json_string(fc->examples[i]));
	}
	for (size_t i = 0; i < FINAL_SECTIONS; i++)
		bad |= json_array_append_new(sections, json_string(
		    fc->sections[i] != NULL ? fc->sections[i] : ""));
	bad |= json_object_set_new(root, "ratings", ratings);
	bad |= json_object_set_new(root, "examples", examples);
	bad |= json_object_set_new(root, "sections", sections);
	if (with_total)
		bad |= json_object_set_new(root, "total",
		    json_integer(final_total(fc)));
	if (bad != 0 || root == NULL) {
		log_err("final: the card's JSON could not be built");
		json_decref(root);
		return NULL;
	}
	return root;
}

char *
final_body(const struct final_card *fc)
{
	json_t	*root;
	char	*s;

	if ((root = card_json(fc, false)) == NULL)
		return NULL;
	s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(root);
	if (s == NULL)
		log_err("final: json_dumps failed");
	return s;
}

/* One city's members of a stored body into fc (i its index). */
static int
body_city(struct final_card *fc, size_t i, json_t *ratings,
    json_t *examples)
{
	json_t	*r = json_object_get(ratings, fc->cities[i].key);
	json_t	*e = json_object_get(examples, fc->cities[i].key);

	if (json_is_integer(r) && json_integer_value(r) >= 0 &&
	    json_integer_value(r) <= FINAL_RATING_MAX)
		fc->ratings[i] = (int)json_integer_value(r);
	if (json_is_string(e))
		return final_text_set(&fc->examples[i], json_string_value(e));
	return 0;
}

int
final_body_read(struct final_card *fc, const char *body)
{
	json_error_t	 err;
	json_t		*root, *sections, *t;
	int		 rc = -1;

	if ((root = json_loads(body, 0, &err)) == NULL) {
		log_err("final: a stored body: %s", err.text);
		return -1;
	}
	sections = json_object_get(root, "sections");
	for (size_t i = 0; i < fc->ncities; i++)
		if (body_city(fc, i, json_object_get(root, "ratings"),
		    json_object_get(root, "examples")) == -1)
			goto out;
	for (size_t i = 0; i < FINAL_SECTIONS; i++)
		if (json_is_string(t = json_array_get(sections, i)) &&
		    final_text_set(&fc->sections[i],
		    json_string_value(t)) == -1)
			goto out;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

void
final_prefill(struct final_card *fc, const struct stats *st, size_t field)
{
	const struct stats_cell *c;

	assert(field < st->nfields && st->ncities == fc->ncities);
	for (size_t i = 0; i < fc->ncities; i++) {
		c = &st->fields[field].cities[i];
		if (c->st.n > 0)
			fc->ratings[i] = (int)((c->st.medianx4 + 2) / 4);
	}
}

/* The lines of a text. */
struct lines {
	const char	**p;
	size_t		 *len;
	size_t		  n;
};

/* Split s into l (at most max lines, else n = max + 1): 0 or -1. */
static int
lines_split(const char *s, struct lines *l, size_t max)
{
	const char	*e;

	l->n = 0;
	if ((l->p = calloc(max + 1, sizeof(*l->p))) == NULL ||
	    (l->len = calloc(max + 1, sizeof(*l->len))) == NULL) {
		log_err("final: diff: out of memory");
		return -1;
	}
	while (*s != '\0' && l->n <= max) {
		e = strchr(s, '\n');
		l->p[l->n] = s;
		l->len[l->n++] = e != NULL ? (size_t)(e - s) : strlen(s);
		s = e != NULL ? e + 1 : s + strlen(s);
	}
	return 0;
}

static void
lines_free(struct lines *l)
{
	free(l->p);
	free(l->len);
}

static bool
same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] &&
	    memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

/* Walk the common subsequence of a and b (both within the limit). */
static int
diff_walk(const struct lines *a, const struct lines *b,
    int (*cb)(void *, char, const char *, size_t), void *ctx)
{
	size_t		 w = b->n + 1, i = 0, j = 0;
	uint16_t	*L;
	int		 rc = 0;

	if ((L = calloc((a->n + 1) * w, sizeof(*L))) == NULL) {
		log_err("final: diff: out of memory");
		return -1;
	}
	for (size_t x = a->n; x-- > 0; )
		for (size_t y = b->n; y-- > 0; )
			L[x * w + y] = same(a, x, b, y) ?
			    L[(x + 1) * w + y + 1] + 1 :
			    L[(x + 1) * w + y] > L[x * w + y + 1] ?
			    L[(x + 1) * w + y] : L[x * w + y + 1];
	while (rc == 0 && (i < a->n || j < b->n)) {
		if (i < a->n && j < b->n && same(a, i, b, j)) {
			rc = cb(ctx, ' ', a->p[i], a->len[i]);
			i++, j++;
		} else if (i < a->n && (j == b->n ||
		    L[(i + 1) * w + j] >= L[i * w + j + 1])) {
			rc = cb(ctx, '-', a->p[i], a->len[i]);
			i++;
		} else {
			rc = cb(ctx, '+', b->p[j], b->len[j]);
			j++;
		}
	}
	free(L);
	return rc;
}

int
final_diff(const char *a, const char *b,
    int (*cb)(void *, char, const char *, size_t), void *ctx)
{
	struct lines	 la = { 0 }, lb = { 0 };
	int		 rc = -1;

	if (lines_split(a, &la, FINAL_DIFF_LINES) == -1 ||
	    lines_split(b, &lb, FINAL_DIFF_LINES) == -1)
		goto out;
	if (la.n <= FINAL_DIFF_LINES && lb.n <= FINAL_DIFF_LINES) {
		rc = diff_walk(&la, &lb, cb, ctx);
		goto out;
	}
	/* Too long to compare: all of a out, all of b in. */
	rc = 0;
	for (const char *s = a, *e; rc == 0 && *s != '\0'; s = e + (*e != 0))
		rc = cb(ctx, '-', s, (size_t)((e = s + strcspn(s, "\n")) - s));
	for (const char *s = b, *e; rc == 0 && *s != '\0'; s = e + (*e != 0))
		rc = cb(ctx, '+', s, (size_t)((e = s + strcspn(s, "\n")) - s));
out:
	lines_free(&la);
	lines_free(&lb);
	return rc;
}

struct save {
	int64_t		 field_id;
	int		 version;
	const char	*body, *author;
};

static int
save_txn(struct store *s, void *arg)
{
	struct save	*sv = arg;
	char		 at[32];

	store_now(at);
	return store_final_add(s, sv->field_id, sv->version, sv->body,
	    sv->author, at);
}

int
final_save(struct store *s, int64_t field_id, int based_on,
    const struct final_card *fc, const char *author, int *version)
{
	struct save	 sv = { field_id, based_on + 1, NULL, author };
	char		*body;
	int		 rc;

	if (based_on < 0)
		return 1;
	if ((body = final_body(fc)) == NULL)
		return -1;
	if (strlen(body) > FINAL_BODY_MAX) {
		free(body);
		return 2;
	}
	sv.body = body;
	if ((rc = store_write(s, save_txn, &sv)) == 0)
		*version = sv.version;
	free(body);
	return rc;
}

struct publish {
	const struct store_campaign	*c;
	const struct store_field	*f;
	const struct form_row		*cities;
	size_t				 ncities;
	int				 version;
	const char			*base_url, *actor;
};

/*
 * The card.final.published payload of version of p's card, drawn from
 * the panel's answers of round.
 */
static char *
publish_payload(const struct publish *p, const struct store_final *sf,
    int round, const char *event_id, const char *at)
{
	struct final_card	 fc;
	json_t			*card = NULL, *root;
	char			 url[CONF_VALUE_MAX + 64 + STORE_CODE_MAX];
	char			*s = NULL;

	final_init(&fc, p->cities, p->ncities);
	if (buf_fmt(url, sizeof(url), "%s/admin/c/%s/final/%" PRId64,
	    p->base_url, p->c->slug, p->f->id) == -1)
		log_err("final: the console URL under %s is too long",
		    p->base_url);
	else if (final_body_read(&fc, sf->body) == 0 &&
	    (card = card_json(&fc, true)) != NULL) {
		root = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s},"
		    " s:i, s:i, s:s, s:s, s:o}", "type", FINAL_EVENT, "id",
		    event_id, "timestamp", at, "campaign", "slug", p->c->slug,
		    "title", p->c->title, "key_field", "code", p->f->code,
		    "title", p->f->title, "version", p->version, "round",
		    round, "author",
		    sf->author, "url", url, "final", card);
		if (root != NULL)
			s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(root);
		if (s == NULL)
			log_err("final: %s: the payload could not be built",
			    FINAL_EVENT);
	}
	final_free(&fc);
	return s;
}

static int
publish_txn(struct store *s, void *arg)
{
	struct publish		*p = arg;
	struct store_final	 sf = { 0 };
	char			 id[STORE_EVENT_ID_MAX], at[32], object[64];
	char			 detail[32], *payload = NULL;
	int			 rc, round;

	store_event_id_new(id);
	store_now(at);
	if ((rc = store_final_publish(s, p->f->id, p->version, at)) != 0 ||
	    (rc = store_final_get(s, p->f->id, p->version, &sf)) != 0)
		return rc;
	rc = -1;
	if (final_round(s, p->c->id, &round) == -1 ||
	    (payload = publish_payload(p, &sf, round, id, at)) == NULL ||
	    buf_fmt(object, sizeof(object), "final:%" PRId64,
	    p->f->id) == -1 ||
	    buf_fmt(detail, sizeof(detail), "version %d", p->version) == -1)
		goto out;
	if (strlen(payload) >= OUTBOX_PAYLOAD_MAX)
		log_err("final: %s: payload over %d bytes", FINAL_EVENT,
		    OUTBOX_PAYLOAD_MAX);
	else if (store_event_add(s, id, FINAL_EVENT, p->c->id, 0, at,
	    payload, payload) == 0)
		rc = store_audit(s, p->actor, "final.publish", object, detail);
out:
	free(payload);
	store_final_free(&sf);
	return rc;
}

int
final_publish(struct store *s, const struct store_campaign *c,
    const struct store_field *f, const struct form_row *cities,
    size_t ncities, int version, const char *base_url, const char *actor)
{
	struct publish	 p = { c, f, cities, ncities, version, base_url,
			    actor };

	if (version < 1)
		return 1;
	return store_write(s, publish_txn, &p);
}

struct panel {
	int64_t			 field_id;
	const char		*label;
	int			(*cb)(void *, const char *, const char *,
				    const char *, const char *);
	void			*ctx;
};

static int
panel_value(void *arg, const struct store_value_row *v)
{
	struct panel	*p = arg;

	if (*v->value == '\0')
		return 0;
	return p->cb(p->ctx, v->expert_name, p->label, v->row, v->value);
}

static bool
is_text(enum form_type t)
{
	return t == FORM_SHORT_TEXT || t == FORM_LONG_TEXT || t == FORM_LIST;
}

/* The text answers of question q (a grid's text columns) to p. */
static int
panel_question(struct store *s, int round, const struct form_question *q,
    struct panel *p)
{
	char	 key[2 * FORM_KEY_MAX + 2];
	int	 rc = 0;

	if (is_text(q->type)) {
		p->label = q->label;
		return store_field_values(s, p->field_id, round, q->key,
		    panel_value, p);
	}
	for (size_t c = 0; rc == 0 && q->type == FORM_GRID &&
	    c < q->ncolumns; c++) {
		if (!is_text(q->columns[c].type))
			continue;
		rc = buf_fmt(key, sizeof(key), "%s.%s", q->key,
		    q->columns[c].key);
		assert(rc == 0);	/* keys are at most FORM_KEY_MAX */
		p->label = q->columns[c].label;
		rc = store_field_values(s, p->field_id, round, key,
		    panel_value, p);
	}
	return rc;
}

int
final_panel_texts(struct store *s, int round, int64_t field_id,
    const struct form *form, int part,
    int (*cb)(void *, const char *, const char *, const char *,
    const char *), void *ctx)
{
	struct panel			 p = { field_id, NULL, cb, ctx };
	const struct form_section	*sec;
	int				 rc = 0;

	if (part < 0 || (size_t)part >= form->nsections)
		return 0;
	sec = &form->sections[part];
	for (size_t i = 0; rc == 0 && i < sec->nquestions; i++)
		rc = panel_question(s, round, &sec->questions[i], &p);
	return rc;
}

static int
round_cb(void *arg, const struct store_round *r)
{
	int	*round = arg;

	if (r->submitted > 0)
		*round = r->number;
	return 0;
}

int
final_round(struct store *s, int64_t campaign_id, int *round)
{
	int	 r = 1;

	if (store_rounds(s, campaign_id, round_cb, &r) != 0)
		return -1;
	*round = r;
	return 0;
}

int
final_load(struct store *s, int64_t field_id, int version,
    struct final_card *fc, struct store_final *meta)
{
	struct store_final	 sf = { 0 };
	int			 rc;

	if ((rc = store_final_get(s, field_id, version, &sf)) != 0)
		return rc;
	rc = final_body_read(fc, sf.body);
	free(sf.body);
	sf.body = NULL;
	if (rc == 0)
		*meta = sf;
	return rc;
}
