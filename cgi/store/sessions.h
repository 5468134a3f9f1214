/*
 * store/sessions: who is signed in and who may sign in: sessions (by the
 * hash of their id), coordinators, their roles per campaign and their
 * failed logins.
 */
#ifndef KEYFIELD_STORE_SESSIONS_H
#define KEYFIELD_STORE_SESSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* ---- sessions ---- */

struct store_session {
	char	 kind[16];	/* "expert" or "coordinator" */
	int64_t	 subject_id;
	char	 csrf[64];
	int64_t	 created_at, seen_at;	/* unix seconds */
};

/*
 * The session writes: each a transaction of its own through store_write
 * (the writers' queue, whole-transaction retries), or part of the
 * transaction when called from a store_write fn. 0 or -1.
 */
int	 store_session_add(struct store *, const unsigned char *id_hash,
	    const char *kind, int64_t subject_id, const char *csrf);
/* 0 and *out, 1 when there is none, or -1. */
int	 store_session_get(struct store *, const unsigned char *id_hash,
	    struct store_session *out);
int	 store_session_touch(struct store *, const unsigned char *id_hash);
int	 store_session_delete(struct store *, const unsigned char *id_hash);
/*
 * A sign-in, as one transaction of its own (store_write): end the
 * session old_hash[32] (when not NULL: the one this browser held,
 * whoever it was for), delete every session of kind idle longer than
 * idle seconds or older than max (the sweep), add the new session, and
 * end the subject's oldest sessions beyond the keep newest. 0 or -1.
 */
struct store_signin {
	const unsigned char	*old_hash;	/* or NULL */
	const unsigned char	*id_hash;	/* the new session's */
	const char		*kind;
	int64_t			 subject_id;
	const char		*csrf;
	int64_t			 idle, max;	/* seconds */
	int			 keep;		/* sessions a subject holds */
};
int	 store_session_start(struct store *, const struct store_signin *);
/* The same statements inside the caller's store_write fn. 0 or -1. */
int	 store_session_begin(struct store *, const struct store_signin *);
/* End every session of a subject ("expert", id); 0 or -1. */
int	 store_sessions_end(struct store *, const char *kind,
	    int64_t subject_id);

/* ---- coordinators and logins ---- */

#define STORE_LOGIN_NOTICE_MAX	160	/* bytes of a login notice, NUL too */

struct store_coordinator {
	int64_t	 id;
	char	 username[STORE_CODE_MAX];
	char	 password_hash[128];
	bool	 disabled;
	/* Failed sign-ins told at her last sign-in; "" when none. */
	char	 login_notice[STORE_LOGIN_NOTICE_MAX];
	bool	 admin;		/* an administrator: every campaign */
	char	 lang[16];	/* her console's language; "" not chosen */
};

/*
 * Add a coordinator, an administrator when admin (inside store_write):
 * 0, 1 when the name exists, -1.
 */
int	 store_coordinator_add(struct store *, const char *username,
	    const char *password_hash, bool admin);
/* By name or by id: 0 and *out, 1 when there is none, or -1. */
int	 store_coordinator_get(struct store *, const char *username,
	    struct store_coordinator *out);
int	 store_coordinator_by_id(struct store *, int64_t id,
	    struct store_coordinator *out);
/* Set the login notice of coordinator id (inside store_write); 0 or -1. */
int	 store_coordinator_notice(struct store *, int64_t id,
	    const char *notice);

/* Failed sign-ins: how many, from how many addresses, first and last. */
struct store_login_failures {
	int64_t	 n, naddr;
	int64_t	 first, last;	/* unix seconds; 0 when n is 0 */
};
/*
 * The failures after since (unix seconds) of username from addr, or
 * (username NULL) of any name from addr, into *out: 0 or -1.
 */
int	 store_login_failures(struct store *, const char *username,
	    const char *addr, int64_t since, struct store_login_failures *out);
/* Record a failure (and forget those older than a day); 0 or -1. */
int	 store_login_failure_add(struct store *, const char *username,
	    const char *addr, int64_t now);
/*
 * After username signed in from addr (inside store_write): her failures
 * not yet reported, from every address, into *out; then they are
 * reported, and those from addr forgotten (those from elsewhere keep
 * slowing their addresses down). 0 or -1.
 */
int	 store_login_success(struct store *, const char *username,
	    const char *addr, struct store_login_failures *out);

/* Make username an administrator or not (inside store_write): 0, 1 none. */
int	 store_coordinator_set_admin(struct store *, const char *username,
	    bool admin);
/*
 * Set (NULL: unset) the console language of username (inside
 * store_write; the code checked by the caller): 0, 1 when none, -1.
 */
int	 store_coordinator_lang_set(struct store *, const char *username,
	    const char *lang);

/* ---- roles per campaign (an administrator needs none) ---- */

enum store_role {
	STORE_ROLE_NONE,	/* the campaign is not hers: 404 */
	STORE_ROLE_VIEWER,	/* reads everything, changes nothing */
	STORE_ROLE_OWNER,	/* everything in the campaign */
	STORE_ROLE__MAX
};
/* "owner", "viewer" ("" for none); the inverse, STORE_ROLE__MAX if none. */
const char	*store_role_name(enum store_role);
enum store_role	 store_role_parse(const char *);

/* Her role in the campaign into *out (NONE when she has none): 0, -1. */
int	 store_role_get(struct store *, int64_t coordinator_id,
	    int64_t campaign_id, enum store_role *out);
/* Give her a role, or change it (inside store_write): 0 or -1. */
int	 store_role_set(struct store *, int64_t coordinator_id,
	    int64_t campaign_id, enum store_role);
/* Take her role away (inside store_write): 0, 1 when none, -1. */
int	 store_role_revoke(struct store *, int64_t coordinator_id,
	    int64_t campaign_id);

/* A coordinator and one of her roles, for the list. */
struct store_coordinator_role {
	char	 username[STORE_CODE_MAX];
	bool	 admin, disabled;
	char	 slug[STORE_CODE_MAX];	/* "" for none */
	char	 role[16];		/* "" for none */
};
/*
 * Every coordinator by name, once per role (once, slug "", without
 * one). 0, cb's value, or -1.
 */
int	 store_coordinator_roles(struct store *,
	    int (*cb)(void *, const struct store_coordinator_role *),
	    void *ctx);

#endif
