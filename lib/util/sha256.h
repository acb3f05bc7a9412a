/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4), incremental and in one call; no third-party code. */
#ifndef CAMPO_UTIL_SHA256_H
#define CAMPO_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CAMPO_SHA256_LEN 32	/* digest bytes */
#define CAMPO_SHA256_HEX_LEN 64 /* lowercase hex digits, without the NUL */

/* The running state of one hash; plain memory, nothing to release. */
struct campo_sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes added so far */
	unsigned char buf[64];
	size_t nbuf; /* bytes of buf waiting for a full block */
};

/* Starts a new hash in caller memory c. */
void campo_sha256_init(struct campo_sha256 *c);

/* Adds len bytes of data (may be NULL when len is 0); any split of the
 * input over several calls gives the same digest. */
void campo_sha256_add(struct campo_sha256 *c, const void *data, size_t len);

/* Pads, writes the digest into out and leaves c spent: call
 * campo_sha256_init() before adding to it again. */
void campo_sha256_final(struct campo_sha256 *c,
			unsigned char out[CAMPO_SHA256_LEN]);

/* As campo_sha256_final(), as lowercase hex and a NUL. */
void campo_sha256_final_hex(struct campo_sha256 *c,
			    char out[CAMPO_SHA256_HEX_LEN + 1]);

/* The digest of len bytes of data in one call. */
void campo_sha256_sum(const void *data, size_t len,
		      unsigned char out[CAMPO_SHA256_LEN]);

#endif
