/*
 * store/rounds: the SQL of a campaign's Delphi rounds.
 */
#include "store/impl.h"
#include "store/rounds.h"

int
store_round_now(struct store *s, int64_t campaign_id, int *round)
{
	static const char q[] = "SELECT coalesce(max(number), 1) FROM rounds "
	    "WHERE campaign_id = ?";
	sqlite3_stmt	*st;
	int64_t		 n;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	if (store_one_int(s, st, "round now", &n) != 0)
		return -1;
	*round = (int)n;
	return 0;
}

int
store_round_version(struct store *s, int64_t response_id, int round,
    int *version)
{
	static const char q[] = "SELECT coalesce(max(version), 0) FROM "
	    "response_versions WHERE response_id = ? AND round = ?";
	sqlite3_stmt	*st;
	int64_t		 n;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(response_id),
	    STORE_ARG_INT(round));
	if (store_one_int(s, st, "round version", &n) != 0)
		return -1;
	*version = (int)n;
	return 0;
}

int
store_round_add(struct store *s, int64_t campaign_id, int number,
    const char *actor, int64_t *moved)
{
	static const char qadd[] = "INSERT INTO rounds (campaign_id, number, "
	    "started_at, started_by) VALUES (?, ?, ?, ?)";
	static const char qcount[] = "SELECT count(*) FROM responses r "
	    "JOIN assignments a ON a.id = r.assignment_id "
	    "JOIN fields f ON f.id = a.field_id "
	    "WHERE f.campaign_id = ? AND r.status = 'submitted'";
	static const char qmove[] = "UPDATE responses SET status = CASE "
	    "status WHEN 'submitted' THEN 'draft' ELSE status END, "
	    "round = ?2, revision = revision + 1, updated_at = ?3 "
	    "WHERE status <> 'withdrawn' AND assignment_id IN (SELECT a.id "
	    "FROM assignments a JOIN fields f ON f.id = a.field_id "
	    "WHERE f.campaign_id = ?1)";
	sqlite3_stmt	*st;
	char		 now[32];
	int		 rc;

	store_now(now);
	st = STORE_PREPARE(s, qadd, STORE_ARG_I64(campaign_id),
	    STORE_ARG_INT(number), STORE_ARG_TEXT(now), STORE_ARG_TEXT(actor));
	if ((rc = store_insert(s, st, "round add", NULL)) != 0)
		return rc;
	st = STORE_PREPARE(s, qcount, STORE_ARG_I64(campaign_id));
	if (store_one_int(s, st, "round cards", moved) != 0)
		return -1;
	st = STORE_PREPARE(s, qmove, STORE_ARG_I64(campaign_id),
	    STORE_ARG_INT(number), STORE_ARG_TEXT(now));
	return store_exec_stmt(s, st, "round move");
}

int
store_rounds(struct store *s, int64_t campaign_id,
    int (*cb)(void *, const struct store_round *), void *ctx)
{
	static const char q[] = "WITH n(number, started_at, started_by) AS "
	    "(SELECT 1, '', '' UNION ALL SELECT number, started_at, "
	    "started_by FROM rounds WHERE campaign_id = ?1) "
	    "SELECT n.number, n.started_at, n.started_by, (SELECT "
	    "count(DISTINCT v.response_id) FROM response_versions v "
	    "JOIN responses r ON r.id = v.response_id "
	    "JOIN assignments a ON a.id = r.assignment_id "
	    "JOIN fields f ON f.id = a.field_id WHERE f.campaign_id = ?1 "
	    "AND v.round = n.number AND r.status <> 'withdrawn') "
	    "FROM n ORDER BY n.number";
	static const struct store_col cols[] = {
		STORE_INT(struct store_round, number),
		STORE_TEXT(struct store_round, started_at),
		STORE_TEXT(struct store_round, started_by),
		STORE_INT(struct store_round, submitted),
	};
	struct store_round	 r;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	while ((rc = STORE_NEXT(s, st, "rounds", cols, &r)) == 1)
		if ((rc = cb(ctx, &r)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}
