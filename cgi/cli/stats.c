/*
 * cli/stats: the panel's judgement. keyfield stats (the statistics and
 * consensus per key field x city of a round, as a table, CSV or JSON),
 * keyfield consensus (a campaign's consensus rule, shown or set) and
 * keyfield round start / round list (its Delphi rounds).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <inttypes.h>

#include "app/round.h"
#include "app/stats.h"
#include "base/buf.h"
#include "base/form.h"
#include "base/log.h"
#include "base/rating.h"
#include "cli/cli.h"
#include "store/consensus.h"
#include "store/responses.h"
#include "store/rounds.h"

/* A value given four times over, as JSON: a whole number or a real. */
static json_t *
json_x4(long x4)
{
	return x4 % 4 == 0 ? json_integer(x4 / 4) : json_real(x4 / 4.0);
}

static json_t *
json_verdict(enum stats_verdict v)
{
	return v == STATS_FEW ? json_null() : json_boolean(v == STATS_YES);
}

/* {"n":, "median":, "q1":, "q3":, "iqr":, "min":, "max":, "consensus":} */
static json_t *
json_cell(const struct stats_cell *c)
{
	const struct rating_stats *st = &c->st;

	if (st->n == 0)
		return json_pack("{s:i, s:n, s:n, s:n, s:n, s:n, s:n, s:n}",
		    "n", 0, "median", "q1", "q3", "iqr", "min", "max",
		    "consensus");
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:o}",
	    "n", (json_int_t)st->n, "median", json_x4(st->medianx4),
	    "q1", json_x4(st->q1x4), "q3", json_x4(st->q3x4),
	    "iqr", json_x4(st->iqrx4), "min", (json_int_t)st->min,
	    "max", (json_int_t)st->max, "consensus",
	    json_verdict(c->verdict));
}

/* Append v to the array a (both may be NULL after a failure): a or NULL. */
static json_t *
append(json_t *a, json_t *v)
{
	if (a == NULL || v == NULL || json_array_append_new(a, v) == -1) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* A key field's sectors: [{"code":, "name":, "n":, "counts":, ...}]. */
static json_t *
json_sectors(const struct stats *st, const struct stats_field *f)
{
	const struct form_question *g = st->sector_grid, *l = st->level;
	json_t	*a = json_array(), *counts;

	for (size_t r = 0; a != NULL && r < st->nsectors; r++) {
		const struct stats_levels *lv = &f->sectors[r];

		counts = json_object();
		for (size_t o = 0; counts != NULL && o < l->noptions; o++)
			if (json_object_set_new(counts, l->options[o].value,
			    json_integer((json_int_t)lv->count[o])) == -1) {
				json_decref(counts);
				counts = NULL;
			}
		a = append(a, json_pack("{s:s, s:s, s:I, s:o, "
		    "s:o}", "code", g->rows[r].key, "name", g->rows[r].label,
		    "n", (json_int_t)lv->n, "counts", counts, "median",
		    lv->n > 0 ? json_string(l->options[lv->median].value) :
		    json_null()));
	}
	return a;
}

static json_t *
json_field(const struct stats_campaign *sc, const struct stats_field *f)
{
	json_t	*cities = json_array(), *c;

	for (size_t i = 0; cities != NULL && i < sc->ncities; i++) {
		c = json_cell(&f->cities[i]);
		if (c != NULL && (json_object_set_new(c, "code",
		    json_string(sc->cities[i].key)) == -1 ||
		    json_object_set_new(c, "name",
		    json_string(sc->cities[i].label)) == -1)) {
			json_decref(c);
			c = NULL;
		}
		cities = append(cities, c);
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "code", f->field->code,
	    "title", f->field->title, "cities", cities, "total",
	    json_cell(&f->total), "sectors", json_sectors(&sc->st, f));
}

/*
 * A key field x city's rounds: [{"round": 1, cell...}, {"round": 2,
 * cell..., "compared":, "changed":}] (city c, or the total when c is
 * ncities: no moves).
 */
static json_t *
json_rounds(const struct stats_history *h, size_t f, size_t c)
{
	const struct stats_moves *m;
	const struct stats_cell	*cell;
	json_t	*a = json_array(), *o;

	for (int k = 1; a != NULL && k <= h->nrounds; k++) {
		cell = c < h->ncities ? &h->rounds[k - 1].fields[f].cities[c] :
		    &h->rounds[k - 1].fields[f].total;
		if ((o = json_cell(cell)) != NULL &&
		    json_object_set_new(o, "round", json_integer(k)) == -1) {
			json_decref(o);
			o = NULL;
		}
		if (o != NULL && k > 1 && c < h->ncities) {
			m = stats_history_moves(h, k, f, c);
			if (json_object_set_new(o, "compared",
			    json_integer((json_int_t)m->compared)) == -1 ||
			    json_object_set_new(o, "changed",
			    json_integer((json_int_t)m->changed)) == -1) {
				json_decref(o);
				o = NULL;
			}
		}
		a = append(a, o);
	}
	return a;
}

/*
 * "stability": [{"key_field":, "city":, "rounds": [...]}], one per key
 * field x city and its total (city "Total"), rounds 1 to the one shown.
 */
static json_t *
json_stability(const struct stats_campaign *sc, const struct stats_history *h)
{
	json_t	*a = json_array();

	for (size_t f = 0; a != NULL && f < sc->nfields; f++)
		for (size_t c = 0; a != NULL && c <= sc->ncities; c++)
			a = append(a, json_pack("{s:s, s:s, s:o}", "key_field",
			    sc->fields[f].code, "city", c < sc->ncities ?
			    sc->cities[c].key : "Total", "rounds",
			    json_rounds(h, f, c)));
	return a;
}

static int
write_json(const struct stats_campaign *sc, const struct stats_history *h)
{
	const struct stats_rule *r = &sc->st.rule;
	json_t	*doc, *fields = json_array();
	int	 rc;

	for (size_t i = 0; fields != NULL && i < sc->nfields; i++)
		fields = append(fields, json_field(sc, &sc->st.fields[i]));
	doc = json_pack("{s:s, s:i, s:{s:o, s:i, s:i}, s:o}", "campaign",
	    sc->c.slug, "round", sc->st.round, "rule", "iqr",
	    json_x4(r->iqrx4), "within_pct", r->within_pct, "min_n", r->min_n,
	    "fields", fields);
	if (doc != NULL && h->nrounds > 1 && json_object_set_new(doc,
	    "stability", json_stability(sc, h)) == -1) {
		json_decref(doc);
		doc = NULL;
	}
	if (doc == NULL)
		return -1;
	rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return rc == 0 && putchar('\n') != EOF ? 0 : -1;
}

/*
 * ---- table and CSV: one line per key field x city, then its total;
 * from round 2 on, with the round before's median, IQR and verdict and
 * the experts who rated it in both rounds and who changed ----
 */

static const char *const line_heads[] = { "key_field", "city", "n",
    "median", "q1", "q3", "iqr", "min", "max", "consensus",
    "prev_median", "prev_iqr", "prev_consensus", "compared", "changed" };
#define LINE_COLS	(sizeof(line_heads) / sizeof(line_heads[0]))
#define LINE_ROUND_COLS	10	/* the columns of one round */
/* n .. max, and the numbers of the round before: right-aligned */
#define LINE_NUMBERS	(CLI_NUMBER(2) | CLI_NUMBER(3) | CLI_NUMBER(4) | \
	CLI_NUMBER(5) | CLI_NUMBER(6) | CLI_NUMBER(7) | CLI_NUMBER(8) | \
	CLI_NUMBER(10) | CLI_NUMBER(11) | CLI_NUMBER(13) | CLI_NUMBER(14))

/* A count into num, or "" when none. */
static void
count_text(char num[RATING_NUMSZ], size_t n, bool none)
{
	if (none)
		num[0] = '\0';
	else if (buf_fmt(num, RATING_NUMSZ, "%zu", n) == -1)
		buf_mark_cut(num, RATING_NUMSZ);
}

/* Quarters into num, or "" when the cell has no ratings. */
static void
x4_text(char num[RATING_NUMSZ], const struct stats_cell *c, long x4)
{
	if (c->st.n == 0)
		num[0] = '\0';
	else if (rating_quarters(num, RATING_NUMSZ, x4) == -1)
		buf_mark_cut(num, RATING_NUMSZ);
}

/*
 * Add the line of a cell (a city's, or the total's), with the cell of
 * the round before and the moves into this round when prev is not NULL
 * (m: NULL for a total). 0, or 1.
 */
static int
line_add(struct cli_table *t, const char *field, const char *city,
    const struct stats_cell *c, const struct stats_cell *prev,
    const struct stats_moves *m)
{
	const struct rating_stats *st = &c->st;
	const long	 x4[] = { st->medianx4, st->q1x4, st->q3x4, st->iqrx4,
			    st->min * 4, st->max * 4 };
	char		 num[11][RATING_NUMSZ];
	const char	*row[LINE_COLS] = { field, city };

	count_text(num[0], st->n, false);
	for (size_t i = 0; i < 6; i++)
		x4_text(num[i + 1], c, x4[i]);
	for (size_t i = 0; i < 7; i++)
		row[i + 2] = num[i];
	row[9] = stats_verdict_name(c->verdict);
	if (prev != NULL) {
		x4_text(num[7], prev, prev->st.medianx4);
		x4_text(num[8], prev, prev->st.iqrx4);
		count_text(num[9], m != NULL ? m->compared : 0, m == NULL);
		count_text(num[10], m != NULL ? m->changed : 0, m == NULL);
		row[10] = num[7];
		row[11] = num[8];
		row[12] = stats_verdict_name(prev->verdict);
		row[13] = num[9];
		row[14] = num[10];
	}
	return cli_table_add(t, row);
}

/* Every key field's lines: its cities', then "Total". 0, or 1. */
static int
write_lines(const struct stats_campaign *sc, const struct stats_history *h,
    enum cli_format fmt)
{
	const struct stats	*before = h->nrounds > 1 ?
				    &h->rounds[h->nrounds - 2] : NULL;
	struct cli_table	 t;
	int			 rc = 0;

	cli_table_init(&t, line_heads, before != NULL ? LINE_COLS :
	    LINE_ROUND_COLS, LINE_NUMBERS);
	for (size_t f = 0; rc == 0 && f < sc->nfields; f++) {
		const struct stats_field *sf = &sc->st.fields[f];
		const struct stats_field *bf = before != NULL ?
		    &before->fields[f] : NULL;

		for (size_t c = 0; rc == 0 && c < sc->ncities; c++)
			rc = line_add(&t, sf->field->code, sc->cities[c].key,
			    &sf->cities[c], bf != NULL ? &bf->cities[c] : NULL,
			    bf != NULL ? stats_history_moves(h, h->nrounds, f,
			    c) : NULL);
		if (rc == 0)
			rc = line_add(&t, sf->field->code, "Total", &sf->total,
			    bf != NULL ? &bf->total : NULL, NULL);
	}
	if (rc == 0)
		rc = cli_table_print(&t, fmt, stdout);
	cli_table_free(&t);
	return rc;
}

/* ---- the commands ---- */

static int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "round", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct stats_campaign	 sc;
	struct stats_history	 h;
	enum cli_format		 fmt = CLI_TABLE;
	int			 ch, round = 0, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if ((ch == 'f' && cli_format_parse(optarg, &fmt) != 0) ||
		    (ch == 'r' && cli_round_parse(optarg, &round) != 0) ||
		    (ch != 'f' && ch != 'r'))
			return ch == 'f' || ch == 'r' ? 1 :
			    cli_fail("see keyfield stats --help");
	if (optind + 1 != argc)
		return cli_fail("usage: keyfield stats SLUG [--round N] "
		    "[--format table|csv|json]");
	if (cli_store(cli) == NULL)
		return 1;
	rc = stats_campaign_load(cli->store, argv[optind], round, &sc);
	if (rc == 1)
		return cli_fail(tr(CLI_LANG,
		    "no campaign \"%s\""), argv[optind]);
	if (rc == 2)
		return cli_fail(trn(CLI_LANG, "--round %d: campaign %s has "
		    "%d round so far", "--round %d: campaign %s has %d rounds "
		    "so far", (unsigned long)sc.rounds), round, argv[optind],
		    sc.rounds);
	if (rc == -1 || stats_campaign_history(cli->store, &sc, &h) == -1) {
		if (rc == 0)
			stats_campaign_free(&sc);
		return cli_fail(tr(CLI_LANG,
		    "stats of %s failed (see the log above)"),
		    argv[optind]);
	}
	if (fmt == CLI_JSON) {
		rc = write_json(&sc, &h);
		if (rc == 0 && fflush(stdout) == EOF)
			rc = -1;
		if (rc != 0)
			rc = cli_fail(tr(CLI_LANG,
			    "stats: writing failed"));
	} else
		rc = write_lines(&sc, &h, fmt);
	stats_history_free(&h);
	stats_campaign_free(&sc);
	return rc;
}

/* A whole number lo..hi into *out: 0, or 1 (failed, naming opt). */
static int
whole_parse(const char *opt, const char *s, long lo, long hi,
    const char *rule, int *out)
{
	char	*end;
	long	 n;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0'))
		return cli_fail("%s \"%s\": %s", opt, s, rule);
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < lo || n > hi)
		return cli_fail("%s \"%s\": %s", opt, s, rule);
	*out = (int)n;
	return 0;
}

struct rule_set {
	const char		*slug;
	struct stats_rule	 rule;	/* what is set, then what is */
	bool			 set[3];	/* iqr, within, min_n given */
};

static int
rule_txn(struct store *s, void *arg)
{
	struct rule_set		*rs = arg;
	struct stats_rule	 now;
	struct store_consensus	 c;
	char			 object[96], detail[96];
	int64_t			 id;
	int			 rc;

	if ((rc = store_campaign_id(s, rs->slug, &id)) != 0)
		return rc == 1 ? 2 : -1;
	if (stats_rule_load(s, id, &now) == -1)
		return -1;
	if (rs->set[0])
		now.iqrx4 = rs->rule.iqrx4;
	if (rs->set[1])
		now.within_pct = rs->rule.within_pct;
	if (rs->set[2])
		now.min_n = rs->rule.min_n;
	rs->rule = now;
	c = (struct store_consensus){ (int)now.iqrx4, now.within_pct,
	    now.min_n };
	if (buf_fmt(object, sizeof(object), "campaign:%s", rs->slug) == -1 ||
	    buf_fmt(detail, sizeof(detail), "iqr_x4=%ld within_pct=%d "
	    "min_n=%d", now.iqrx4, now.within_pct, now.min_n) == -1) {
		log_err("consensus: the audit row of %s is cut", rs->slug);
		return -1;
	}
	if (store_consensus_set(s, id, &c) == -1)
		return -1;
	return store_audit(s, "cli", "campaign.consensus", object, detail);
}

/* Parse the options into rs: 0, or 1 (failed). */
static int
rule_options(int argc, char **argv, struct rule_set *rs)
{
	static const struct option opts[] = {
		{ "iqr", required_argument, NULL, 'i' },
		{ "within", required_argument, NULL, 'w' },
		{ "min-n", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		switch (ch) {
		case 'i':
			if (!stats_iqr_parse(optarg, &rs->rule.iqrx4))
				return cli_fail("--iqr \"%s\": "
				    STATS_IQR_RULE, optarg);
			rs->set[0] = true;
			break;
		case 'w':
			if (whole_parse("--within", optarg, 0, 100,
			    STATS_WITHIN_RULE, &rs->rule.within_pct) != 0)
				return 1;
			rs->set[1] = true;
			break;
		case 'n':
			if (whole_parse("--min-n", optarg, 1, STATS_MIN_N_MAX,
			    STATS_MIN_N_RULE, &rs->rule.min_n) != 0)
				return 1;
			rs->set[2] = true;
			break;
		default:
			return cli_fail("see keyfield consensus --help");
		}
	if (optind + 1 != argc)
		return cli_fail("usage: keyfield consensus SLUG [--iqr N] "
		    "[--within PCT] [--min-n N]");
	rs->slug = argv[optind];
	return 0;
}

static int
cmd_consensus(struct cli *cli, int argc, char **argv)
{
	struct rule_set	 rs = { 0 };
	char		 iqr[RATING_NUMSZ];
	int64_t		 id;
	int		 rc;

	if (rule_options(argc, argv, &rs) != 0)
		return 1;
	if (cli_store(cli) == NULL)
		return 1;
	if (rs.set[0] || rs.set[1] || rs.set[2])
		rc = store_write(cli->store, rule_txn, &rs);
	else if ((rc = store_campaign_id(cli->store, rs.slug, &id)) == 0)
		rc = stats_rule_load(cli->store, id, &rs.rule);
	else if (rc == 1)
		rc = 2;
	if (rc == 2)
		return cli_fail(tr(CLI_LANG,
		    "no campaign \"%s\""), rs.slug);
	if (rc != 0)
		return cli_fail(tr(CLI_LANG,
		    "consensus of %s failed (see the log above)"),
		    rs.slug);
	if (rating_quarters(iqr, sizeof(iqr), rs.rule.iqrx4) == -1)
		buf_mark_cut(iqr, sizeof(iqr));
	printf(tr(CLI_LANG,
	    "campaign %s: consensus when n >= %d and IQR <= %s"), rs.slug,
	    rs.rule.min_n, iqr);
	if (rs.rule.within_pct > 0)
		printf(tr(CLI_LANG,
		    " and at least %d%% within 1 of the median"),
		    rs.rule.within_pct);
	putchar('\n');
	return 0;
}

static int
cmd_round_start(struct cli *cli, int argc, char **argv)
{
	struct round_started	 r;
	const char		*problem;
	char			 cards[24];
	int			 rc;

	if (argc != 2)
		return cli_fail("usage: keyfield round start SLUG");
	if (cli_store(cli) == NULL)
		return 1;
	rc = round_start(cli->store, argv[1], "cli", &r, &problem);
	if (rc == 1)
		return cli_fail(tr(CLI_LANG,
		    "campaign %s: %s"), argv[1], problem);
	if (rc != 0)
		return cli_fail(tr(CLI_LANG,
		    "round start of %s failed (see the log above)"),
		    argv[1]);
	if (buf_fmt(cards, sizeof(cards), "%" PRId64, r.cards) == -1)
		buf_mark_cut(cards, sizeof(cards));
	printf(trn(CLI_LANG, "campaign %s is in round %d: %s submitted card "
	    "of round %d is a draft of round %d again, with its answers\n",
	    "campaign %s is in round %d: %s submitted cards of round %d are "
	    "drafts of round %d again, with their answers\n",
	    (unsigned long)r.cards), argv[1], r.number, cards, r.number - 1,
	    r.number);
	return 0;
}

static int
round_line(void *arg, const struct store_round *r)
{
	(void)arg;
	printf("%-5d  %-24s  %-16s  %d\n", r->number, r->number == 1 ?
	    "(at the start)" : r->started_at, r->number == 1 ? "" :
	    r->started_by, r->submitted);
	return 0;
}

static int
cmd_round_list(struct cli *cli, int argc, char **argv)
{
	int64_t	 id;
	int	 rc;

	if (argc != 2)
		return cli_fail("usage: keyfield round list SLUG");
	if (cli_store(cli) == NULL)
		return 1;
	if ((rc = store_campaign_id(cli->store, argv[1], &id)) == 1)
		return cli_fail(tr(CLI_LANG,
		    "no campaign \"%s\""), argv[1]);
	if (rc != 0)
		return cli_fail(tr(CLI_LANG,
		    "round list of %s failed"), argv[1]);
	printf("round  started                   by                submitted\n");
	if (store_rounds(cli->store, id, round_line, NULL) != 0)
		return cli_fail(tr(CLI_LANG,
		    "round list of %s failed"), argv[1]);
	return 0;
}

const struct cli_cmd cli_stats_cmds[] = {
	{ "stats", cmd_stats, "SLUG [--round N] [--format table|csv|json]",
	    "The panel's statistics per key field and city (n, median, "
	    "quartiles, IQR, min, max) and the consensus verdict, over the "
	    "latest submitted card of each expert in the round; from round 2 "
	    "on, the stability: the round before's median, IQR and verdict, "
	    "and how many experts changed their rating." },
	{ "consensus", cmd_consensus,
	    "SLUG [--iqr N] [--within PCT] [--min-n N]",
	    "Show a campaign's consensus rule, or set it (default: IQR <= 1 "
	    "with n >= 3)." },
	{ "round start", cmd_round_start, "SLUG",
	    "Start the campaign's next Delphi round: the round now is closed "
	    "for good and each submitted card becomes a draft of the new "
	    "round with its answers." },
	{ "round list", cmd_round_list, "SLUG",
	    "The campaign's rounds: when each started, by whom, and how many "
	    "cards were submitted in it." },
	{ NULL, NULL, NULL, NULL },
};
