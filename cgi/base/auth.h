/*
 * auth: random tokens, their hashes at rest, CSRF tokens and passwords,
 * all through libsodium. Never stores or logs a token in the clear.
 */
#ifndef KEYFIELD_AUTH_H
#define KEYFIELD_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/limit.h"

#define AUTH_TOKEN_BYTES	24	/* 192 random bits */
#define AUTH_TOKEN_LEN		32	/* base64url of 24 bytes, no padding */
#define AUTH_HASH_BYTES		32	/* SHA-256 */
#define AUTH_PASSWORD_MIN	10	/* bytes of a new password */
#define AUTH_PASSWORD_MAX	1024	/* bytes of any password */
#define AUTH_USER_MAX		64	/* bytes of a coordinator's name */
#define AUTH_PASSWORD_RULE	\
	"at least " LIMIT_STR(AUTH_PASSWORD_MIN) " characters"
#define AUTH_USER_RULE		"1 to " LIMIT_STR(AUTH_USER_MAX) \
	" letters, digits, '.', '_', '-' or '@'"

/* Initialise libsodium; 0 or -1. Call once before anything else. */
int	 auth_init(void);
/* A new random token, base64url, into out[AUTH_TOKEN_LEN + 1]. */
void	 auth_token_new(char *out);
/*
 * true when s looks like a token (AUTH_TOKEN_LEN base64url characters),
 * so that junk is rejected before it reaches the database.
 */
bool	 auth_token_valid(const char *s);
/* SHA-256 of the token string into out[AUTH_HASH_BYTES]. */
void	 auth_token_hash(const char *token, unsigned char *out);
/* Constant-time comparison of two NUL-terminated strings. */
bool	 auth_equal(const char *a, const char *b);

/* Hash a password with argon2id (interactive limits) into out[128]. */
int	 auth_password_hash(const char *password, char *out, size_t outsz);
bool	 auth_password_check(const char *hash, const char *password);

#endif
