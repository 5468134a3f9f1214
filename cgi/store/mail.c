/*
 * store/mail: the SQL of the mail outbox, its send log, mail sign-in
 * tokens and suppressed addresses. Never keeps a token but its hash,
 * never keeps a message's bytes after it was sent or failed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/log.h"
#include "store/impl.h"
#include "store/mail.h"

#define MAILS_DUE_SKIP_MAX	64	/* ids a due read can pass over */

void
store_verp_new(char out[STORE_VERP_MAX])
{
	unsigned char	 rnd[18];

	randombytes_buf(rnd, sizeof(rnd));
	out[0] = 'm';
	sodium_bin2base64(out + 1, STORE_VERP_MAX - 1, rnd, sizeof(rnd),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
store_mail_scrub(struct store *s)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, "PRAGMA secure_delete = ON", NULL, NULL,
	    &err) != SQLITE_OK) {
		log_err("sqlite PRAGMA secure_delete: %s", err != NULL ? err :
		    sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
store_mail_checkpoint(struct store *s)
{
	int	 busy = 0, rc;

	rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		busy = 1;
	else if (rc != SQLITE_OK) {
		log_err("sqlite wal checkpoint: %s", sqlite3_errmsg(s->db));
		return -1;
	}
	return busy;
}

int
store_mail_add(struct store *s, const struct store_mail_new *m, int64_t *id)
{
	static const char q[] = "INSERT INTO mails (campaign_id, expert_id, "
	    "kind, rcpt, subject, verp, message, next_at, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt	*st;
	char		 now[32];

	store_now(now);
	st = STORE_PREPARE(s, q, m->campaign_id != 0 ?
	    STORE_ARG_I64(m->campaign_id) : STORE_ARG_NULL,
	    m->expert_id != 0 ? STORE_ARG_I64(m->expert_id) : STORE_ARG_NULL,
	    STORE_ARG_TEXT(m->kind), STORE_ARG_TEXT(m->rcpt),
	    STORE_ARG_TEXT(m->subject), STORE_ARG_TEXT(m->verp),
	    STORE_ARG_BLOB(m->message, (int)m->len),
	    STORE_ARG_I64(store_now_ms()), STORE_ARG_TEXT(now));
	return store_insert(s, st, "mail add", id);
}

static const struct store_col mail_cols[] = {
	STORE_I64(struct store_mail, id),
	STORE_TEXT(struct store_mail, rcpt),
	STORE_TEXT(struct store_mail, verp),
	STORE_INT(struct store_mail, attempts),
	STORE_DUP(struct store_mail, message),
};

int
store_mail_due(struct store *s, int64_t now_ms, const int64_t *skip,
    size_t nskip, struct store_mail *out)
{
	static const char q[] = "SELECT id, rcpt, verp, attempts, message "
	    "FROM mails WHERE status = 'pending' AND next_at <= ? "
	    "ORDER BY next_at, id LIMIT ?";
	struct store_mail	 m;
	sqlite3_stmt		*st;
	size_t			 i;
	int			 rc;

	if (nskip > MAILS_DUE_SKIP_MAX)
		nskip = MAILS_DUE_SKIP_MAX;
	st = STORE_PREPARE(s, q, STORE_ARG_I64(now_ms),
	    STORE_ARG_I64((int64_t)nskip + 1));
	while ((rc = STORE_NEXT(s, st, "mail due", mail_cols, &m)) == 1) {
		for (i = 0; i < nskip && skip[i] != m.id; i++)
			continue;
		if (i == nskip)
			break;
		STORE_ROW_FREE(mail_cols, &m);
	}
	if (rc != 1)
		return rc == 0 ? 1 : -1;
	m.len = strlen(m.message);
	sqlite3_reset(st);
	*out = m;
	return 0;
}

void
store_mail_free(struct store_mail *m)
{
	if (m == NULL)
		return;
	STORE_ROW_FREE(mail_cols, m);
}

static const char qbyid[] = "INSERT OR REPLACE INTO mail_suppress "
    "(campaign_id, email, reason, at) SELECT campaign_id, rcpt, ?, ? "
    "FROM mails WHERE id = ? AND campaign_id IS NOT NULL";
static const char qbyverp[] = "INSERT OR REPLACE INTO mail_suppress "
    "(campaign_id, email, reason, at) SELECT campaign_id, rcpt, ?, ? "
    "FROM mails WHERE verp = ? AND campaign_id IS NOT NULL";

/* Run q (one of the two above) for which: 0, 1 when no row, -1. */
static int
suppress(struct store *s, const char *q, struct store_arg which,
    const char *reason)
{
	sqlite3_stmt	*st;
	char		 now[32];

	store_now(now);
	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(reason), STORE_ARG_TEXT(now),
	    which);
	return store_change(s, st, "mail suppress");
}

int
store_mail_outcome(struct store *s, const struct store_mail_outcome *o)
{
	static const char qlog[] = "INSERT INTO mail_attempts (mail_id, "
	    "attempt, at, code, text) VALUES (?, ?, ?, ?, ?)";
	static const char qdone[] = "UPDATE mails SET status = ?, "
	    "attempts = ?, message = NULL, done_at = ? WHERE id = ?";
	static const char qretry[] = "UPDATE mails SET attempts = ?, "
	    "next_at = ? WHERE id = ?";
	sqlite3_stmt	*st;
	int		 rc;

	st = STORE_PREPARE(s, qlog, STORE_ARG_I64(o->mail_id),
	    STORE_ARG_INT(o->attempt), STORE_ARG_TEXT(o->at),
	    STORE_ARG_INT(o->code), STORE_ARG_TEXT(o->text));
	if ((rc = store_insert(s, st, "mail attempt", NULL)) != 0)
		return rc;
	if (o->sent || o->next_at_ms < 0)
		st = STORE_PREPARE(s, qdone,
		    STORE_ARG_TEXT(o->sent ? "sent" : "failed"),
		    STORE_ARG_INT(o->attempt), STORE_ARG_TEXT(o->at),
		    STORE_ARG_I64(o->mail_id));
	else
		st = STORE_PREPARE(s, qretry, STORE_ARG_INT(o->attempt),
		    STORE_ARG_I64(o->next_at_ms), STORE_ARG_I64(o->mail_id));
	if (store_change(s, st, "mail outcome") == -1)
		return -1;
	if (!o->bounced)
		return 0;
	return suppress(s, qbyid, STORE_ARG_I64(o->mail_id), "bounced") ==
	    -1 ? -1 : 0;
}

int
store_mail_suppress(struct store *s, const char *verp, const char *reason)
{
	return suppress(s, qbyverp, STORE_ARG_TEXT(verp), reason);
}

struct campaign_id_row {
	int64_t	 id;
};

int
store_mail_expert(struct store *s, const char *verp, int64_t *expert_id)
{
	static const char q[] = "SELECT expert_id FROM mails "
	    "WHERE verp = ? AND expert_id IS NOT NULL";
	static const struct store_col cols[] = {
		STORE_I64(struct campaign_id_row, id),
	};
	struct campaign_id_row	 row;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(verp));
	if ((rc = STORE_ONE(s, st, "mail expert", cols, &row)) != 0)
		return rc;
	*expert_id = row.id;
	return 0;
}

struct reason_row {
	char	 r[16];
};

int
store_mail_suppressed(struct store *s, int64_t campaign_id,
    const char *email, char reason[16])
{
	static const char q[] = "SELECT reason FROM mail_suppress "
	    "WHERE campaign_id = ? AND email = ?";
	static const struct store_col cols[] = {
		STORE_TEXT(struct reason_row, r),
	};
	struct reason_row	 row;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_TEXT(email));
	if ((rc = STORE_ONE(s, st, "mail suppressed", cols, &row)) != 0)
		return rc == 1 ? 0 : -1;
	memcpy(reason, row.r, sizeof(row.r));
	return 1;
}

/* ---- the send log ---- */

int
store_mails(struct store *s, int64_t campaign_id, size_t max,
    int (*cb)(void *, const struct store_mail_row *), void *ctx)
{
	static const char q[] = "SELECT m.id, m.kind, m.rcpt, "
	    "coalesce(e.name, ''), m.subject, m.status, m.attempts, "
	    "m.created_at, coalesce(m.done_at, ''), coalesce(a.code, 0), "
	    "coalesce(a.text, '') FROM mails m "
	    "LEFT JOIN experts e ON e.id = m.expert_id "
	    "LEFT JOIN mail_attempts a ON a.mail_id = m.id "
	    "AND a.attempt = m.attempts "
	    "WHERE coalesce(m.campaign_id, 0) = ? ORDER BY m.id DESC LIMIT ?";
	static const struct store_col cols[] = {
		STORE_I64(struct store_mail_row, id),
		STORE_TEXT(struct store_mail_row, kind),
		STORE_TEXT(struct store_mail_row, rcpt),
		STORE_TEXT(struct store_mail_row, name),
		STORE_TEXT(struct store_mail_row, subject),
		STORE_TEXT(struct store_mail_row, status),
		STORE_INT(struct store_mail_row, attempts),
		STORE_TEXT(struct store_mail_row, created_at),
		STORE_TEXT(struct store_mail_row, done_at),
		STORE_INT(struct store_mail_row, code),
		STORE_TEXT(struct store_mail_row, text),
	};
	struct store_mail_row	 r;
	sqlite3_stmt		*st;
	int			 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_I64((int64_t)max));
	while ((rc = STORE_NEXT(s, st, "mails", cols, &r)) == 1)
		if ((rc = cb(ctx, &r)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

/* ---- mail sign-in tokens ---- */

int
store_mail_token_add(struct store *s, int64_t expert_id,
    const unsigned char *hash)
{
	static const char q[] = "INSERT INTO mail_tokens (token_hash, "
	    "expert_id, expires_at) VALUES (?, ?, ?)";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_BLOB(hash, 32),
	    STORE_ARG_I64(expert_id), STORE_ARG_I64((int64_t)time(NULL) +
	    STORE_MAIL_TOKEN_DAYS * 24LL * 3600));
	return store_insert(s, st, "mail token add", NULL) == 0 ? 0 : -1;
}

int
store_expert_by_mail_token(struct store *s, const unsigned char *hash,
    int64_t *expert_id)
{
	static const char q[] = "SELECT e.id FROM mail_tokens t "
	    "JOIN experts e ON e.id = t.expert_id "
	    "WHERE t.token_hash = ? AND t.expires_at > ? AND e.revoked = 0";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_BLOB(hash, 32),
	    STORE_ARG_I64((int64_t)time(NULL)));
	return store_one_int(s, st, "expert by mail token", expert_id);
}

int
store_mail_tokens_end(struct store *s, int64_t expert_id)
{
	static const char q[] = "DELETE FROM mail_tokens WHERE expert_id = ?";

	return store_change(s, STORE_PREPARE(s, q, STORE_ARG_I64(expert_id)),
	    "mail tokens end") == -1 ? -1 : 0;
}

/* ---- a campaign's deadline and reminder policy ---- */

int
store_mail_policy(struct store *s, int64_t campaign_id,
    struct store_mail_policy *out)
{
	static const char q[] = "SELECT coalesce(deadline, ''), "
	    "max_reminders, every_days FROM mail_policy WHERE campaign_id = ?";
	static const struct store_col cols[] = {
		STORE_TEXT(struct store_mail_policy, deadline),
		STORE_INT(struct store_mail_policy, max_reminders),
		STORE_INT(struct store_mail_policy, every_days),
	};
	struct store_mail_policy	 p;
	int				 rc;

	rc = STORE_ONE(s, STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id)),
	    "mail policy", cols, &p);
	if (rc == -1)
		return -1;
	if (rc == 1)
		p = (struct store_mail_policy){ .deadline = "",
		    .max_reminders = STORE_REMINDERS_DEFAULT,
		    .every_days = STORE_EVERY_DAYS_DEFAULT };
	*out = p;
	return 0;
}

int
store_mail_deadline_set(struct store *s, int64_t campaign_id,
    const char *deadline)
{
	static const char q[] = "INSERT INTO mail_policy (campaign_id, "
	    "deadline) VALUES (?1, ?2) ON CONFLICT (campaign_id) "
	    "DO UPDATE SET deadline = ?2";

	return store_change(s, STORE_PREPARE(s, q,
	    STORE_ARG_I64(campaign_id), *deadline != '\0' ?
	    STORE_ARG_TEXT(deadline) : STORE_ARG_NULL), "mail deadline") ==
	    -1 ? -1 : 0;
}

int
store_reminder_rows(struct store *s, int64_t campaign_id,
    int (*cb)(void *, const struct store_reminder_row *), void *ctx)
{
	static const char q[] = "SELECT e.id, e.name, e.email, e.revoked, "
	    "(SELECT count(*) FROM assignments a WHERE a.expert_id = e.id), "
	    "(SELECT count(*) FROM assignments a LEFT JOIN responses r "
	    "ON r.assignment_id = a.id WHERE a.expert_id = e.id "
	    "AND coalesce(r.status, 'draft') = 'draft'), "
	    "coalesce((SELECT reason FROM mail_suppress m WHERE "
	    "m.campaign_id = e.campaign_id AND m.email = e.email), ''), "
	    "(SELECT count(*) FROM mails m WHERE m.expert_id = e.id "
	    "AND m.kind = 'reminder' AND m.status != 'failed'), "
	    "(SELECT count(*) FROM mails m WHERE m.expert_id = e.id "
	    "AND m.status = 'pending'), "
	    "(SELECT count(*) FROM mails m WHERE m.expert_id = e.id "
	    "AND m.kind IN ('invitation', 'newlink') "
	    "AND m.status != 'failed'), "
	    "CAST(strftime('%s', coalesce((SELECT max(m.created_at) FROM "
	    "mails m WHERE m.expert_id = e.id), e.created_at)) AS INTEGER) "
	    "FROM experts e WHERE e.campaign_id = ? ORDER BY e.name, e.id";
	static const struct store_col cols[] = {
		STORE_I64(struct store_reminder_row, id),
		STORE_TEXT(struct store_reminder_row, name),
		STORE_TEXT(struct store_reminder_row, email),
		STORE_BOOL(struct store_reminder_row, revoked),
		STORE_INT(struct store_reminder_row, cards),
		STORE_INT(struct store_reminder_row, open),
		STORE_TEXT(struct store_reminder_row, stopped),
		STORE_INT(struct store_reminder_row, reminders),
		STORE_INT(struct store_reminder_row, pending),
		STORE_INT(struct store_reminder_row, invited),
		STORE_I64(struct store_reminder_row, last_s),
	};
	struct store_reminder_row	 r;
	sqlite3_stmt			*st;
	int				 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id));
	while ((rc = STORE_NEXT(s, st, "reminder rows", cols, &r)) == 1)
		if ((rc = cb(ctx, &r)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}

/* ---- messages to compose ---- */

int
store_mail_compose_next(struct store *s, struct store_mail_compose *out)
{
	static const char q[] = "SELECT m.id, m.campaign_id, m.expert_id, "
	    "m.kind, coalesce(f.code, ''), coalesce(f.title, ''), "
	    "coalesce(r.version, 0), coalesce(r.updated_at, '') FROM mails m "
	    "LEFT JOIN responses r ON r.id = m.response_id "
	    "LEFT JOIN assignments a ON a.id = r.assignment_id "
	    "LEFT JOIN fields f ON f.id = a.field_id "
	    "WHERE m.status = 'compose' ORDER BY m.id LIMIT 1";
	static const struct store_col cols[] = {
		STORE_I64(struct store_mail_compose, id),
		STORE_I64(struct store_mail_compose, campaign_id),
		STORE_I64(struct store_mail_compose, expert_id),
		STORE_TEXT(struct store_mail_compose, kind),
		STORE_TEXT(struct store_mail_compose, field_code),
		STORE_TEXT(struct store_mail_compose, field_title),
		STORE_INT(struct store_mail_compose, version),
		STORE_TEXT(struct store_mail_compose, submitted_at),
	};

	return STORE_ONE(s, store_stmt(s, q), "mail compose", cols, out);
}

int
store_mail_compose_done(struct store *s, int64_t id,
    const struct store_mail_new *m, const char *text)
{
	static const char qfill[] = "UPDATE mails SET status = 'pending', "
	    "rcpt = ?, subject = ?, verp = ?, message = ?, next_at = ? "
	    "WHERE id = ? AND status = 'compose'";
	static const char qfail[] = "UPDATE mails SET status = 'failed', "
	    "attempts = 1, done_at = ?1 WHERE id = ?2 AND status = 'compose'";
	static const char qlog[] = "INSERT INTO mail_attempts (mail_id, "
	    "attempt, at, code, text) VALUES (?, 1, ?, 0, ?)";
	sqlite3_stmt	*st;
	char		 now[32];
	int		 rc;

	if (m != NULL) {
		st = STORE_PREPARE(s, qfill, STORE_ARG_TEXT(m->rcpt),
		    STORE_ARG_TEXT(m->subject), STORE_ARG_TEXT(m->verp),
		    STORE_ARG_BLOB(m->message, (int)m->len),
		    STORE_ARG_I64(store_now_ms()), STORE_ARG_I64(id));
		return store_change(s, st, "mail composed");
	}
	store_now(now);
	st = STORE_PREPARE(s, qfail, STORE_ARG_TEXT(now), STORE_ARG_I64(id));
	if ((rc = store_change(s, st, "mail not composed")) != 0)
		return rc;
	st = STORE_PREPARE(s, qlog, STORE_ARG_I64(id), STORE_ARG_TEXT(now),
	    STORE_ARG_TEXT(text));
	return store_insert(s, st, "mail attempt", NULL) == 0 ? 0 : -1;
}

int
store_mail_reminders_set(struct store *s, int64_t campaign_id,
    int max_reminders, int every_days)
{
	static const char q[] = "INSERT INTO mail_policy (campaign_id, "
	    "max_reminders, every_days) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (campaign_id) DO UPDATE SET max_reminders = ?2, "
	    "every_days = ?3";

	return store_change(s, STORE_PREPARE(s, q,
	    STORE_ARG_I64(campaign_id), STORE_ARG_INT(max_reminders),
	    STORE_ARG_INT(every_days)), "mail reminders") == -1 ? -1 : 0;
}

int
store_mail_campaigns(struct store *s, int64_t *ids, size_t max, size_t *n)
{
	static const char q[] = "SELECT id FROM campaigns "
	    "WHERE status = 'open' ORDER BY id";
	static const struct store_col cols[] = {
		STORE_I64(struct campaign_id_row, id),
	};
	struct campaign_id_row	 r;
	sqlite3_stmt		*st;
	size_t			 k = 0;
	int			 rc;

	st = store_stmt(s, q);
	while (k < max && (rc = STORE_NEXT(s, st, "open campaigns", cols,
	    &r)) == 1)
		ids[k++] = r.id;
	if (k == max)
		sqlite3_reset(st);
	else if (rc == -1)
		return -1;
	*n = k;
	return 0;
}

/* ---- the lost-link page ---- */

int
store_mail_request(struct store *s, const char *key, int window_s, int *n)
{
	static const char qold[] = "DELETE FROM mail_requests "
	    "WHERE key = ? AND at < ?";
	static const char qadd[] = "INSERT INTO mail_requests (key, at) "
	    "VALUES (?, ?)";
	static const char qn[] = "SELECT count(*) FROM mail_requests "
	    "WHERE key = ?";
	int64_t		 now = (int64_t)time(NULL), count;

	if (store_change(s, STORE_PREPARE(s, qold, STORE_ARG_TEXT(key),
	    STORE_ARG_I64(now - window_s)), "mail requests old") == -1 ||
	    store_insert(s, STORE_PREPARE(s, qadd, STORE_ARG_TEXT(key),
	    STORE_ARG_I64(now)), "mail request", NULL) != 0 ||
	    store_one_int(s, STORE_PREPARE(s, qn, STORE_ARG_TEXT(key)),
	    "mail requests", &count) != 0)
		return -1;
	*n = (int)count;
	return 0;
}

struct expert_ids {
	int64_t	 campaign_id, id;
};

int
store_experts_by_email(struct store *s, const char *email,
    int (*cb)(void *, int64_t campaign_id, int64_t expert_id), void *ctx)
{
	static const char q[] = "SELECT e.campaign_id, e.id FROM experts e "
	    "JOIN campaigns c ON c.id = e.campaign_id "
	    "WHERE e.email = ? COLLATE NOCASE AND e.revoked = 0 "
	    "AND c.status = 'open' ORDER BY e.id";
	static const struct store_col cols[] = {
		STORE_I64(struct expert_ids, campaign_id),
		STORE_I64(struct expert_ids, id),
	};
	struct expert_ids	*v;
	size_t			 n;
	int			 rc = 0;

	/* Read whole first: cb writes (it queues mail). */
	if ((v = STORE_ROWS(s, STORE_PREPARE(s, q, STORE_ARG_TEXT(email)),
	    "experts by email", cols, sizeof(*v), &n)) == NULL)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = cb(ctx, v[i].campaign_id, v[i].id);
	STORE_ROWS_FREE(cols, v, n);
	return rc;
}

/* ---- a campaign's own texts ---- */

static const struct store_col template_cols[] = {
	STORE_DUP(struct store_mail_template, subject),
	STORE_DUP(struct store_mail_template, body),
};

int
store_mail_template(struct store *s, int64_t campaign_id, const char *kind,
    struct store_mail_template *out)
{
	static const char q[] = "SELECT subject, body FROM mail_templates "
	    "WHERE campaign_id = ? AND kind = ?";

	memset(out, 0, sizeof(*out));
	return STORE_ONE(s, STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id),
	    STORE_ARG_TEXT(kind)), "mail template", template_cols, out);
}

void
store_mail_template_free(struct store_mail_template *t)
{
	if (t != NULL)
		STORE_ROW_FREE(template_cols, t);
}

int
store_mail_template_set(struct store *s, int64_t campaign_id,
    const char *kind, const char *subject, const char *body)
{
	static const char qset[] = "INSERT INTO mail_templates (campaign_id, "
	    "kind, subject, body, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (campaign_id, kind) DO UPDATE SET subject = ?3, "
	    "body = ?4, updated_at = ?5";
	static const char qdrop[] = "DELETE FROM mail_templates "
	    "WHERE campaign_id = ? AND kind = ?";
	sqlite3_stmt	*st;
	char		 now[32];

	store_now(now);
	if (subject == NULL)
		st = STORE_PREPARE(s, qdrop, STORE_ARG_I64(campaign_id),
		    STORE_ARG_TEXT(kind));
	else
		st = STORE_PREPARE(s, qset, STORE_ARG_I64(campaign_id),
		    STORE_ARG_TEXT(kind), STORE_ARG_TEXT(subject),
		    STORE_ARG_TEXT(body), STORE_ARG_TEXT(now));
	return store_change(s, st, "mail template") == -1 ? -1 : 0;
}

struct deadline_row {
	char	 day[16];
};

int
store_mail_deadline_of(struct store *s, int64_t expert_id, char out[16])
{
	static const char q[] = "SELECT coalesce(p.deadline, '') FROM "
	    "experts e JOIN mail_policy p ON p.campaign_id = e.campaign_id "
	    "WHERE e.id = ?";
	static const struct store_col cols[] = {
		STORE_TEXT(struct deadline_row, day),
	};
	struct deadline_row	 r;
	int			 rc;

	rc = STORE_ONE(s, STORE_PREPARE(s, q, STORE_ARG_I64(expert_id)),
	    "deadline of", cols, &r);
	if (rc == -1)
		return -1;
	memcpy(out, rc == 0 ? r.day : "", rc == 0 ? sizeof(r.day) : 1);
	return 0;
}

int
store_mail_summary(struct store *s, int64_t campaign_id,
    struct store_mail_summary *out)
{
	static const char q[] = "SELECT "
	    "(SELECT count(DISTINCT expert_id) FROM mails WHERE "
	    "campaign_id = ?1 AND kind = 'reminder' AND status = 'sent'), "
	    "(SELECT count(*) FROM mails WHERE campaign_id = ?1 "
	    "AND kind = 'reminder' AND status = 'sent'), "
	    "(SELECT count(*) FROM mail_suppress WHERE campaign_id = ?1 "
	    "AND reason = 'opted-out'), "
	    "(SELECT count(*) FROM mail_suppress WHERE campaign_id = ?1 "
	    "AND reason = 'bounced')";
	static const struct store_col cols[] = {
		STORE_INT(struct store_mail_summary, reminded),
		STORE_INT(struct store_mail_summary, reminders),
		STORE_INT(struct store_mail_summary, opted_out),
		STORE_INT(struct store_mail_summary, bounced),
	};

	return STORE_ONE(s, STORE_PREPARE(s, q, STORE_ARG_I64(campaign_id)),
	    "mail summary", cols, out) == 0 ? 0 : -1;
}
