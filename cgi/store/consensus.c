/*
 * store/consensus: the SQL of a campaign's consensus rule.
 */
#include "store/consensus.h"
#include "store/impl.h"

static const struct store_col consensus_cols[] = {
	STORE_INT(struct store_consensus, iqr_x4),
	STORE_INT(struct store_consensus, within_pct),
	STORE_INT(struct store_consensus, min_n),
};

int
store_consensus_get(struct store *s, int64_t campaign_id,
    struct store_consensus *out)
{
	static const char q[] = "SELECT iqr_x4, within_pct, min_n FROM "
	    "consensus_rules WHERE campaign_id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	return STORE_ONE(s, st, "consensus rule", consensus_cols, out);
}

int
store_consensus_set(struct store *s, int64_t campaign_id,
    const struct store_consensus *r)
{
	static const char q[] = "INSERT INTO consensus_rules (campaign_id, "
	    "iqr_x4, within_pct, min_n) VALUES (?, ?, ?, ?) ON CONFLICT "
	    "(campaign_id) DO UPDATE SET iqr_x4 = excluded.iqr_x4, "
	    "within_pct = excluded.within_pct, min_n = excluded.min_n";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_INT(r->iqr_x4), STORE_ARG_INT(r->within_pct),
	    STORE_ARG_INT(r->min_n));
	return store_write_stmt(s, st, "consensus rule");
}
