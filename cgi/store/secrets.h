/*
 * store/secrets: partner secrets sealed at rest. The key, STORE_KEY_BYTES
 * random bytes written as hex, lives in a file outside the database
 * (keyfield.conf's secret_key_file; by default the database's path +
 * ".key"), mode 0600, made by "keyfield init". partners.secret and
 * .previous_secret hold STORE_SEALED_PREFIX + base64(nonce || box), a
 * libsodium crypto_secretbox_easy with a fresh random nonce per value;
 * partners.secret_sealed says so (migration 008). A copy of the database
 * alone cannot sign a webhook. One key per process: every store handle
 * of the process uses it.
 */
#ifndef KEYFIELD_STORE_SECRETS_H
#define KEYFIELD_STORE_SECRETS_H

#include <stdbool.h>

#include "store/store.h"

#define STORE_KEY_BYTES		32	/* crypto_secretbox_KEYBYTES */
#define STORE_SEALED_PREFIX	"kfs1:"

/*
 * Load the process's key from path ("" or NULL: db_path + ".key"). When
 * the file is missing: create it (0600, whatever the umask) if create,
 * else return 1 (secrets then stay as they are, clear; logged once).
 * 0, 1, or -1 (logged: unreadable, not a key, cannot be created).
 */
int	 store_key_load(const char *path, const char *db_path, bool create);
/* Forget the key (wiped). */
void	 store_key_unload(void);
/* Whether a key is loaded. */
bool	 store_key_loaded(void);

/*
 * clear sealed with the key, as a new string (free it), or NULL (logged:
 * no key, or no memory).
 */
char	*store_secret_seal(const char *clear);
/*
 * *v opened in place when it is sealed (the sealed string freed, the
 * clear one in its place); a value not sealed is left as it is. 0, or
 * -1 (logged: no key, or not sealed with it).
 */
int	 store_secret_open(char **v);

/*
 * Seal every partner secret not sealed yet (a transaction of its own):
 * store_open does it when a key is loaded. 0 or -1.
 */
int	 store_secrets_seal(struct store *);
/*
 * Rotation: make a new key in new_path (which must not exist; 0600) and
 * seal every secret with it instead, in one transaction; the process
 * then uses the new key. 0 or -1 (logged; nothing changed).
 */
int	 store_secrets_rekey(struct store *, const char *new_path);

#endif
