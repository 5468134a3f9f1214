/*
 * store/secrets: sealing partner secrets with a key kept outside the
 * database. Never logs a secret or the key; wipes both after use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/impl.h"
#include "store/secrets.h"

_Static_assert(STORE_KEY_BYTES == crypto_secretbox_KEYBYTES, "key size");

#define KEY_HEX		(2 * STORE_KEY_BYTES)	/* the file: hex, '\n' */
#define PATH_MAX_KEY	4096

static unsigned char	 key[STORE_KEY_BYTES];
static bool		 have_key;

/* The key file's path into out: path, else db_path + ".key". 0 or -1. */
static int
key_path(const char *path, const char *db_path, char *out, size_t sz)
{
	if (path != NULL && *path != '\0')
		return buf_fmt(out, sz, "%s", path);
	return buf_fmt(out, sz, "%s.key", db_path);
}

/* Write a new random key to path, 0600, never over a file. 0 or -1. */
static int
key_create(const char *path, unsigned char *k)
{
	char	 hex[KEY_HEX + 2];
	int	 fd, rc = -1;

	randombytes_buf(k, STORE_KEY_BYTES);
	sodium_bin2hex(hex, sizeof(hex), k, STORE_KEY_BYTES);
	hex[KEY_HEX] = '\n';
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		log_err("secret key %s: create: %s", path, strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0600) == -1 ||
	    write(fd, hex, KEY_HEX + 1) != KEY_HEX + 1 || fsync(fd) == -1) {
		log_err("secret key %s: write: %s", path, strerror(errno));
		unlink(path);
	} else
		rc = 0;
	if (close(fd) == -1 && rc == 0) {
		log_err("secret key %s: close: %s", path, strerror(errno));
		rc = -1;
	}
out:
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

/* Read the key at path into k: 0, 1 when there is no file, -1. */
static int
key_read(const char *path, unsigned char *k)
{
	char	 hex[KEY_HEX + 2];
	size_t	 len;
	ssize_t	 n;
	int	 fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 1;
		log_err("secret key %s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	len = n > 0 ? (size_t)n : 0;
	if (len > 0 && hex[len - 1] == '\n')
		len--;
	if (len == KEY_HEX && sodium_hex2bin(k, STORE_KEY_BYTES, hex, len,
	    NULL, NULL, NULL) == 0)
		rc = 0;
	else
		log_err("secret key %s: not %d hex digits", path, KEY_HEX);
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

int
store_key_load(const char *path, const char *db_path, bool create)
{
	char	 p[PATH_MAX_KEY];
	int	 rc;

	if (key_path(path, db_path, p, sizeof(p)) == -1) {
		log_err("secret key: the path is too long");
		return -1;
	}
	if ((rc = key_read(p, key)) == 1 && create)
		rc = key_create(p, key);
	have_key = rc == 0;
	if (rc == 1)
		log_info("no secret key %s: partner secrets stay as they are "
		    "(keyfield init makes one)", p);
	return rc;
}

void
store_key_unload(void)
{
	sodium_memzero(key, sizeof(key));
	have_key = false;
}

bool
store_key_loaded(void)
{
	return have_key;
}

/* clear sealed with k, as a new string, or NULL. */
static char *
seal_with(const unsigned char *k, const char *clear)
{
	size_t		 n = strlen(clear), blen, b64;
	unsigned char	*box;
	char		*out = NULL;

	blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	b64 = sodium_base64_encoded_len(blen,
	    sodium_base64_VARIANT_ORIGINAL);
	if ((box = malloc(blen)) == NULL ||
	    (out = malloc(sizeof(STORE_SEALED_PREFIX) - 1 + b64)) == NULL) {
		log_err("seal: out of memory");
		free(box);
		return NULL;
	}
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
	    (const unsigned char *)clear, n, box, k);
	memcpy(out, STORE_SEALED_PREFIX, sizeof(STORE_SEALED_PREFIX) - 1);
	sodium_bin2base64(out + sizeof(STORE_SEALED_PREFIX) - 1, b64, box,
	    blen, sodium_base64_VARIANT_ORIGINAL);
	free(box);
	return out;
}

/* sealed opened with k, as a new string, or NULL (logged). */
static char *
open_with(const unsigned char *k, const char *sealed)
{
	const char	*b64 = sealed + sizeof(STORE_SEALED_PREFIX) - 1;
	size_t		 max = strlen(b64), blen;
	unsigned char	*box;
	char		*out = NULL;

	if ((box = malloc(max + 1)) == NULL ||
	    sodium_base642bin(box, max, b64, max, NULL, &blen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		goto out;
	blen -= crypto_secretbox_NONCEBYTES;
	if ((out = malloc(blen - crypto_secretbox_MACBYTES + 1)) == NULL)
		goto out;
	if (crypto_secretbox_open_easy((unsigned char *)out,
	    box + crypto_secretbox_NONCEBYTES, blen, box, k) != 0) {
		free(out);
		out = NULL;
		goto out;
	}
	out[blen - crypto_secretbox_MACBYTES] = '\0';
out:
	if (out == NULL)
		log_err("a partner secret cannot be opened with the secret "
		    "key (another key, or damaged)");
	free(box);
	return out;
}

static bool
sealed(const char *v)
{
	return strncmp(v, STORE_SEALED_PREFIX,
	    sizeof(STORE_SEALED_PREFIX) - 1) == 0;
}

char *
store_secret_seal(const char *clear)
{
	if (!have_key) {
		log_err("no secret key: a partner secret cannot be sealed "
		    "(run keyfield init, or set secret_key_file)");
		return NULL;
	}
	return seal_with(key, clear);
}

int
store_secret_open(char **v)
{
	char	*clear;

	if (*v == NULL || !sealed(*v))
		return 0;
	if (!have_key) {
		log_err("no secret key: partner secrets are sealed and "
		    "cannot be opened (set secret_key_file)");
		return -1;
	}
	if ((clear = open_with(key, *v)) == NULL)
		return -1;
	free(*v);
	*v = clear;
	return 0;
}

/* A partner's secrets as stored. */
struct row {
	int64_t	 id;
	char	*secret;
	char	*previous;
};
static const struct store_col row_cols[] = {
	STORE_I64(struct row, id),
	STORE_DUP_NULL(struct row, secret),
	STORE_DUP_NULL(struct row, previous),
};

/* Sealing: the clear rows (all false), or every row, from one key to one. */
struct reseal {
	const unsigned char	*from;	/* what sealed rows are sealed with */
	const unsigned char	*to;
	bool			 all;
};

/* v, clear or sealed with r->from, sealed with r->to; NULL (logged). */
static char *
reseal_one(const struct reseal *r, const char *v)
{
	char	*clear, *out;

	if (!sealed(v))
		return seal_with(r->to, v);
	if ((clear = open_with(r->from, v)) == NULL)
		return NULL;
	out = seal_with(r->to, clear);
	sodium_memzero(clear, strlen(clear));
	free(clear);
	return out;
}

/* Wipe and free what a row owns. */
static void
rows_free(struct row *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++) {
		if (v[i].secret != NULL)
			sodium_memzero(v[i].secret, strlen(v[i].secret));
		if (v[i].previous != NULL)
			sodium_memzero(v[i].previous, strlen(v[i].previous));
	}
	STORE_ROWS_FREE(row_cols, v, n);
}

static int
reseal_txn(struct store *s, void *arg)
{
	static const char qall[] = "SELECT id, secret, previous_secret "
	    "FROM partners";
	static const char qclear[] = "SELECT id, secret, previous_secret "
	    "FROM partners WHERE secret_sealed = 0";
	static const char qset[] = "UPDATE partners SET secret = ?, "
	    "previous_secret = ?, secret_sealed = 1 WHERE id = ?";
	const struct reseal *r = arg;
	struct row	*v;
	char		*a, *b;
	size_t		 n;
	int		 rc = 0;

	if ((v = STORE_ROWS(s, store_stmt(s, r->all ? qall : qclear),
	    "partner secrets", row_cols, sizeof(*v), &n)) == NULL)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		a = v[i].secret != NULL ? reseal_one(r, v[i].secret) : NULL;
		b = v[i].previous != NULL ? reseal_one(r, v[i].previous) :
		    NULL;
		if (a == NULL || (v[i].previous != NULL && b == NULL))
			rc = -1;
		else
			rc = store_exec_stmt(s, STORE_PREPARE(s, qset,
			    STORE_ARG_TEXT(a), STORE_ARG_TEXT(b),
			    STORE_ARG_I64(v[i].id)), "partner secret seal");
		free(a);
		free(b);
	}
	rows_free(v, n);
	return rc;
}

int
store_secrets_seal(struct store *s)
{
	struct reseal	 r = { key, key, false };

	if (!have_key)
		return 0;
	return store_write(s, reseal_txn, &r) == 0 ? 0 : -1;
}

int
store_secrets_rekey(struct store *s, const char *new_path)
{
	unsigned char	 k[STORE_KEY_BYTES];
	struct reseal	 r = { key, k, true };
	int		 rc = -1;

	if (!have_key) {
		log_err("no secret key to rotate from");
		return -1;
	}
	if (key_create(new_path, k) == -1)
		goto out;
	if (store_write(s, reseal_txn, &r) != 0) {
		unlink(new_path);
		goto out;
	}
	memcpy(key, k, sizeof(key));
	rc = 0;
out:
	sodium_memzero(k, sizeof(k));
	return rc;
}
