/*
 * auth: tokens, hashes and password checks on top of libsodium.
 * Never compares secrets with memcmp/strcmp; never keeps a token unhashed.
 */
#include <string.h>

#include <sodium.h>

#include "base/auth.h"
#include "base/log.h"

_Static_assert(AUTH_TOKEN_LEN + 1 == sodium_base64_ENCODED_LEN(
    AUTH_TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
    "token length matches its encoding");

int
auth_init(void)
{
	if (sodium_init() < 0) {
		log_err("sodium_init failed");
		return -1;
	}
	return 0;
}

void
auth_token_new(char *out)
{
	unsigned char	 rnd[AUTH_TOKEN_BYTES];

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, rnd, sizeof(rnd),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(rnd, sizeof(rnd));
}

bool
auth_token_valid(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= AUTH_TOKEN_LEN)
			return false;
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	}
	return i == AUTH_TOKEN_LEN;
}

void
auth_token_hash(const char *token, unsigned char *out)
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

bool
auth_equal(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);

	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

int
auth_password_hash(const char *password, char *out, size_t outsz)
{
	if (outsz < crypto_pwhash_STRBYTES)
		return -1;
	if (crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		log_err("crypto_pwhash_str: out of memory");
		return -1;
	}
	return 0;
}

bool
auth_password_check(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
