/*
 * store/sessions: the SQL of sessions, coordinators and failed logins.
 * Never sees a session id or token in clear: only their hashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/impl.h"
#include "store/sessions.h"

int
store_session_add(struct store *s, const unsigned char *id_hash,
    const char *kind, int64_t subject_id, const char *csrf)
{
	static const char q[] = "INSERT INTO sessions (id_hash, kind, "
	    "subject_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, "
	    "unixepoch(), unixepoch())";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_BLOB(id_hash, 32),
	    STORE_ARG_TEXT(kind), STORE_ARG_I64(subject_id),
	    STORE_ARG_TEXT(csrf));
	return store_write_stmt(s, st, "session add");
}

int
store_session_begin(struct store *s, const struct store_signin *in)
{
	static const char qend[] = "DELETE FROM sessions WHERE id_hash = ?";
	static const char qsweep[] = "DELETE FROM sessions WHERE kind = ? "
	    "AND (seen_at < unixepoch() - ? OR created_at < unixepoch() - ?)";
	static const char qadd[] = "INSERT INTO sessions (id_hash, kind, "
	    "subject_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, "
	    "unixepoch(), unixepoch())";
	static const char qcap[] = "DELETE FROM sessions WHERE kind = ?1 "
	    "AND subject_id = ?2 AND rowid NOT IN (SELECT rowid FROM "
	    "sessions WHERE kind = ?1 AND subject_id = ?2 ORDER BY "
	    "created_at DESC, rowid DESC LIMIT ?3)";
	sqlite3_stmt	*st;

	if (in->old_hash != NULL) {
		st = STORE_PREPARE(s, qend, STORE_ARG_BLOB(in->old_hash, 32));
		if (store_exec_stmt(s, st, "session end") == -1)
			return -1;
	}
	st = STORE_PREPARE(s, qsweep, STORE_ARG_TEXT(in->kind),
	    STORE_ARG_I64(in->idle), STORE_ARG_I64(in->max));
	if (store_exec_stmt(s, st, "sessions sweep") == -1)
		return -1;
	st = STORE_PREPARE(s, qadd, STORE_ARG_BLOB(in->id_hash, 32),
	    STORE_ARG_TEXT(in->kind), STORE_ARG_I64(in->subject_id),
	    STORE_ARG_TEXT(in->csrf));
	if (store_exec_stmt(s, st, "session add") == -1)
		return -1;
	st = STORE_PREPARE(s, qcap, STORE_ARG_TEXT(in->kind),
	    STORE_ARG_I64(in->subject_id), STORE_ARG_INT(in->keep));
	return store_exec_stmt(s, st, "sessions cap");
}

static int
signin_txn(struct store *s, void *arg)
{
	return store_session_begin(s, arg);
}

int
store_session_start(struct store *s, const struct store_signin *in)
{
	return store_write(s, signin_txn, (void *)in);
}

int
store_session_get(struct store *s, const unsigned char *id_hash,
    struct store_session *out)
{
	static const char q[] = "SELECT kind, subject_id, csrf, created_at, "
	    "seen_at FROM sessions WHERE id_hash = ?";
	static const struct store_col cols[] = {
		STORE_TEXT(struct store_session, kind),
		STORE_I64(struct store_session, subject_id),
		STORE_TEXT(struct store_session, csrf),
		STORE_I64(struct store_session, created_at),
		STORE_I64(struct store_session, seen_at),
	};
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_BLOB(id_hash, 32));
	return STORE_ONE(s, st, "session get", cols, out);
}

int
store_session_touch(struct store *s, const unsigned char *id_hash)
{
	static const char q[] = "UPDATE sessions SET seen_at = unixepoch() "
	    "WHERE id_hash = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_BLOB(id_hash, 32));
	return store_write_stmt(s, st, "session touch");
}

int
store_session_delete(struct store *s, const unsigned char *id_hash)
{
	static const char q[] = "DELETE FROM sessions WHERE id_hash = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_BLOB(id_hash, 32));
	return store_write_stmt(s, st, "session delete");
}

int
store_coordinator_add(struct store *s, const char *username,
    const char *password_hash, bool admin)
{
	static const char q[] = "INSERT INTO coordinators (username, "
	    "password_hash, created_at, admin) VALUES (?, ?, ?, ?)";
	sqlite3_stmt	*st;
	char		 now[32];

	store_now(now);
	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(username),
	    STORE_ARG_TEXT(password_hash), STORE_ARG_TEXT(now),
	    STORE_ARG_INT(admin));
	return store_insert(s, st, "coordinator add", NULL);
}

/* The columns of a coordinator, as both queries below select them. */
static const struct store_col coordinator_cols[] = {
	STORE_I64(struct store_coordinator, id),
	STORE_TEXT(struct store_coordinator, username),
	STORE_TEXT(struct store_coordinator, password_hash),
	STORE_BOOL(struct store_coordinator, disabled),
	STORE_TEXT(struct store_coordinator, login_notice),
	STORE_BOOL(struct store_coordinator, admin),
	STORE_TEXT(struct store_coordinator, lang),
};

/* The coordinator whose column (username or id) is key, as below. */
static int
coordinator_by(struct store *s, const char *q, struct store_arg key,
    struct store_coordinator *out)
{
	return STORE_ONE(s, store_prepare(s, q, &key, 1), "coordinator get",
	    coordinator_cols, out);
}

int
store_coordinator_get(struct store *s, const char *username,
    struct store_coordinator *out)
{
	static const char q[] = "SELECT id, username, password_hash, "
	    "disabled, login_notice, admin, coalesce(lang, '') "
	    "FROM coordinators "
	    "WHERE username = ?";

	return coordinator_by(s, q, STORE_ARG_TEXT(username), out);
}

int
store_coordinator_by_id(struct store *s, int64_t id,
    struct store_coordinator *out)
{
	static const char q[] = "SELECT id, username, password_hash, "
	    "disabled, login_notice, admin, coalesce(lang, '') "
	    "FROM coordinators "
	    "WHERE id = ?";

	return coordinator_by(s, q, STORE_ARG_I64(id), out);
}

int
store_coordinator_notice(struct store *s, int64_t id, const char *notice)
{
	static const char q[] = "UPDATE coordinators SET login_notice = ? "
	    "WHERE id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(notice), STORE_ARG_I64(id));
	return store_exec_stmt(s, st, "coordinator notice");
}

/* The columns of every count of failures below. */
#define FAILURES_COLS	"SELECT count(*), count(DISTINCT addr), " \
	"coalesce(min(at), 0), coalesce(max(at), 0) FROM login_failures "
static const struct store_col failures_cols[] = {
	STORE_I64(struct store_login_failures, n),
	STORE_I64(struct store_login_failures, naddr),
	STORE_I64(struct store_login_failures, first),
	STORE_I64(struct store_login_failures, last),
};

int
store_login_failures(struct store *s, const char *username,
    const char *addr, int64_t since, struct store_login_failures *out)
{
	static const char qname[] = FAILURES_COLS "WHERE username = ? AND "
	    "addr = ? AND at > ?";
	static const char qaddr[] = FAILURES_COLS "WHERE addr = ? AND at > ?";
	sqlite3_stmt	*st;

	if (username != NULL)
		st = STORE_PREPARE(s, qname, STORE_ARG_TEXT(username),
		    STORE_ARG_TEXT(addr), STORE_ARG_I64(since));
	else
		st = STORE_PREPARE(s, qaddr, STORE_ARG_TEXT(addr),
		    STORE_ARG_I64(since));
	return STORE_ONE(s, st, "login failures", failures_cols, out) == 0 ?
	    0 : -1;
}

int
store_login_failure_add(struct store *s, const char *username,
    const char *addr, int64_t now)
{
	static const char qadd[] = "INSERT INTO login_failures (username, "
	    "addr, at) VALUES (?, ?, ?)";
	static const char qold[] = "DELETE FROM login_failures WHERE at < ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, qadd, STORE_ARG_TEXT(username),
	    STORE_ARG_TEXT(addr), STORE_ARG_I64(now));
	if (store_exec_stmt(s, st, "login failure add") == -1)
		return -1;
	st = STORE_PREPARE(s, qold, STORE_ARG_I64(now - 86400));
	return store_exec_stmt(s, st, "login failures expire");
}

int
store_login_success(struct store *s, const char *username, const char *addr,
    struct store_login_failures *out)
{
	static const char qnew[] = FAILURES_COLS "WHERE username = ? AND "
	    "reported = 0";
	static const char qrep[] = "UPDATE login_failures SET reported = 1 "
	    "WHERE username = ?";
	static const char qdel[] = "DELETE FROM login_failures WHERE "
	    "username = ? AND addr = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, qnew, STORE_ARG_TEXT(username));
	if (STORE_ONE(s, st, "login failures unreported", failures_cols,
	    out) != 0)
		return -1;
	st = STORE_PREPARE(s, qrep, STORE_ARG_TEXT(username));
	if (store_exec_stmt(s, st, "login failures reported") == -1)
		return -1;
	st = STORE_PREPARE(s, qdel, STORE_ARG_TEXT(username),
	    STORE_ARG_TEXT(addr));
	return store_exec_stmt(s, st, "login failures clear");
}

int
store_sessions_end(struct store *s, const char *kind, int64_t subject_id)
{
	static const char q[] = "DELETE FROM sessions WHERE kind = ? AND "
	    "subject_id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_TEXT(kind),
	    STORE_ARG_I64(subject_id));
	return store_exec_stmt(s, st, "sessions end");
}

int
store_coordinator_set_admin(struct store *s, const char *username,
    bool admin)
{
	static const char q[] = "UPDATE coordinators SET admin = ? WHERE "
	    "username = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_INT(admin),
	    STORE_ARG_TEXT(username));
	return store_change(s, st, "coordinator admin");
}

int
store_coordinator_lang_set(struct store *s, const char *username,
    const char *lang)
{
	static const char q[] = "UPDATE coordinators SET lang = ? WHERE "
	    "username = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, lang != NULL ? STORE_ARG_TEXT(lang) :
	    STORE_ARG_NULL, STORE_ARG_TEXT(username));
	return store_change(s, st, "coordinator lang");
}

/* ---- roles per campaign ---- */

static const char *const role_names[] = { "", "viewer", "owner" };

struct role_row {
	char	 role[16];
};
_Static_assert(sizeof(role_names) / sizeof(role_names[0]) ==
    STORE_ROLE__MAX, "a name for every role");

const char *
store_role_name(enum store_role r)
{
	return r < STORE_ROLE__MAX ? role_names[r] : "";
}

enum store_role
store_role_parse(const char *name)
{
	for (int r = STORE_ROLE_VIEWER; r < STORE_ROLE__MAX; r++)
		if (strcmp(name, role_names[r]) == 0)
			return (enum store_role)r;
	return STORE_ROLE__MAX;
}

int
store_role_get(struct store *s, int64_t coordinator_id, int64_t campaign_id,
    enum store_role *out)
{
	static const char q[] = "SELECT role FROM campaign_roles WHERE "
	    "coordinator_id = ? AND campaign_id = ?";
	static const struct store_col cols[] = {
		STORE_TEXT(struct role_row, role),
	};
	struct role_row	 row;
	enum store_role	 r;
	sqlite3_stmt	*st;
	int		 rc;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(coordinator_id),
	    STORE_ARG_I64(campaign_id));
	if ((rc = STORE_ONE(s, st, "role get", cols, &row)) == -1)
		return -1;
	r = rc == 1 ? STORE_ROLE_NONE : store_role_parse(row.role);
	*out = r == STORE_ROLE__MAX ? STORE_ROLE_NONE : r;
	return 0;
}

int
store_role_set(struct store *s, int64_t coordinator_id, int64_t campaign_id,
    enum store_role role)
{
	static const char q[] = "INSERT INTO campaign_roles (coordinator_id, "
	    "campaign_id, role) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET "
	    "role = excluded.role";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(coordinator_id),
	    STORE_ARG_I64(campaign_id), STORE_ARG_TEXT(store_role_name(role)));
	return store_exec_stmt(s, st, "role set");
}

int
store_role_revoke(struct store *s, int64_t coordinator_id,
    int64_t campaign_id)
{
	static const char q[] = "DELETE FROM campaign_roles WHERE "
	    "coordinator_id = ? AND campaign_id = ?";
	sqlite3_stmt	*st;

	st = STORE_PREPARE(s, q, STORE_ARG_I64(coordinator_id),
	    STORE_ARG_I64(campaign_id));
	return store_change(s, st, "role revoke");
}

int
store_coordinator_roles(struct store *s,
    int (*cb)(void *, const struct store_coordinator_role *), void *ctx)
{
	static const char q[] = "SELECT o.username, o.admin, o.disabled, "
	    "coalesce(c.slug, ''), coalesce(r.role, '') FROM coordinators o "
	    "LEFT JOIN campaign_roles r ON r.coordinator_id = o.id "
	    "LEFT JOIN campaigns c ON c.id = r.campaign_id "
	    "ORDER BY o.username, c.slug";
	static const struct store_col cols[] = {
		STORE_TEXT(struct store_coordinator_role, username),
		STORE_BOOL(struct store_coordinator_role, admin),
		STORE_BOOL(struct store_coordinator_role, disabled),
		STORE_TEXT(struct store_coordinator_role, slug),
		STORE_TEXT(struct store_coordinator_role, role),
	};
	struct store_coordinator_role	 row;
	sqlite3_stmt			*st;
	int				 rc;

	if ((st = store_stmt(s, q)) == NULL)
		return -1;
	while ((rc = STORE_NEXT(s, st, "coordinators", cols, &row)) == 1)
		if ((rc = cb(ctx, &row)) != 0)
			break;
	sqlite3_reset(st);
	return rc;
}
