# tests/bench/gen.sh: generated campaigns for tests/bench/run.sh (sourced
# by it, after its helpers and part 1's card: KF_CLI, KF_DB, RID, log,
# now_ns). Each database is kept in BENCH_CACHE under a key of the
# schema, the forms, the card and this file, so a second run reuses it.
#   bench_db CARDS PER FIELDS DIR   prints the path of a database of
#       campaign "big" (6 cities, FIELDS key fields SF41, F02 ...) with CARDS
#       submitted cards: CARDS / PER experts, each assigned the first PER
#       key fields, every card holding part 1's answers (version 1 and the
#       working copy). The submissions' thank-you mails are not queued.
bench_db() {
	local n=$1 per=$2 nf=$3 dir=$4 key db t0
	key=$(cat "$top_srcdir"/sql/*.sql "$top_srcdir"/forms/*.json \
		"$top_srcdir/tests/bench/card-SF41.txt" "$top_srcdir/tests/bench/gen.sh" |
		md5sum | cut -c 1-12)
	db=$dir/cards-$n-$per-$nf-$key.db
	mkdir -p "$dir"
	if [ -s "$db" ]; then
		log "using the cached $db"
		echo "$db"
		return 0
	fi
	log "generating $n submitted cards ($per per expert) into $db"
	rm -f "$db.tmp"
	t0=$(now_ns)
	"$KF_CLI" --db "$db.tmp" init >/dev/null &&
	"$KF_CLI" --db "$db.tmp" campaign add big --title "Generated campaign" --form keyfield \
		--cities "Fr=Freiburg,B=Berlin,C=Copenhagen,NY=New York City,S=Singapore,T=Tokyo" >/dev/null &&
	"$KF_CLI" --db "$db.tmp" field add big SF41 "Cluster Management" >/dev/null &&
	sqlite3 "$db.tmp" "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
		PRAGMA cache_size = -65536;
		ATTACH '$KF_DB' AS src;
		CREATE TEMP TABLE tpl AS SELECT question, row, item, value
		    FROM src.answers WHERE response_id = $RID AND version = 1
		    ORDER BY question, row, item;
		BEGIN;
		WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM k WHERE i < $nf)
		INSERT INTO fields (campaign_id, code, title)
		SELECT c.id, printf('F%02d', i), 'Key field ' || i FROM k, campaigns c
		WHERE $nf > 1;
		WITH RECURSIVE e(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM e WHERE i < $n / $per)
		INSERT INTO experts (id, campaign_id, name, email, created_at)
		SELECT i, c.id, 'Expert ' || i, 'expert-' || i || '@example.org',
		    '2026-01-01T00:00:00.000Z' FROM e, campaigns c WHERE c.slug = 'big';
		INSERT INTO assignments (expert_id, field_id)
		SELECT e.id, f.id FROM experts e,
		    (SELECT id FROM fields ORDER BY id LIMIT $per) f ORDER BY e.id, f.id;
		INSERT INTO responses (id, assignment_id, form_id, status, revision, version, updated_at)
		SELECT a.id, a.id, c.form_id, 'submitted', 2, 1, '2026-01-02T00:00:00.000Z'
		FROM assignments a, campaigns c WHERE c.slug = 'big' ORDER BY a.id;
		INSERT INTO response_versions (response_id, version, form_id, submitted_at)
		SELECT id, 1, form_id, updated_at FROM responses ORDER BY id;
		INSERT INTO answers (response_id, version, question, row, item, value)
		SELECT r.id, v.v, t.question, t.row, t.item, t.value
		FROM responses r, (SELECT 0 AS v UNION ALL SELECT 1) v, tpl t;
		DELETE FROM mails;
		COMMIT;" >/dev/null &&
	mv "$db.tmp" "$db" || { log "cannot generate $db"; rm -f "$db.tmp"; return 1; }
	log "generated in $(( ($(now_ns) - t0) / 1000000 )) ms, $(( $(stat -c %s "$db") / 1048576 )) MB"
	echo "$db"
}
