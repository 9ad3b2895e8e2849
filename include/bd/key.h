/*
 * key.h - the run key and keyed hashing (HMAC-SHA256).
 *
 * The key is 32 random bytes kept as 64 hex characters in a file that only
 * its owner may read. hid = HMAC-SHA256(key, normalised 18-char ID). The
 * inner and outer SHA-256 states are computed once per key (bd_hmac_init)
 * and copied for every message, so hashing one ID costs two compressions.
 */
#ifndef BD_KEY_H
#define BD_KEY_H

#include "bd/common.h"
#include <openssl/sha.h>

#define BD_HID_LEN 32

typedef struct bd_key {
	uint8_t k[32];
	char fingerprint[17]; /* first 16 hex of SHA-256(k) */
} bd_key;

/* Creates path with a fresh random key, mode 0600; refuses to overwrite. */
bd_err bd_key_generate(const char *path);

/* Reads a key file. Refuses files readable or writable by group/others. */
bd_err bd_key_load(const char *path, bd_key *out);

/* Precomputed HMAC state for one key; immutable after init, so one value
 * may be shared by all threads (bd_hmac copies the state per message). */
typedef struct bd_hasher {
	SHA256_CTX inner;
	SHA256_CTX outer;
} bd_hasher;

void bd_hmac_init(bd_hasher *h, const bd_key *k);
/* out = HMAC-SHA256(key, msg). */
void bd_hmac(const bd_hasher *h, const void *msg, size_t n,
	     uint8_t out[BD_HID_LEN]);
/* HMAC over the concatenation of nparts parts, each followed by a 0x1F
 * separator so that ("ab","c") and ("a","bc") differ. */
void bd_hmac_parts(const bd_hasher *h, const char *const *parts,
		   const size_t *lens, size_t nparts, uint8_t out[BD_HID_LEN]);

/* Lowercase hex of n bytes into out (2n+1 bytes incl. NUL). */
void bd_hex(const uint8_t *in, size_t n, char *out);
/* Parses 2n hex digits (either case) into out; false on a bad digit. */
bool bd_unhex(const char *hex, size_t n, uint8_t *out);
/* SHA-256 of a whole file as 64 hex chars + NUL. */
bd_err bd_file_sha256(const char *path, char out[65]);

#endif
