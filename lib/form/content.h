/* SPDX-License-Identifier: MIT */
/* An interview's content hash: what the device freezes and the hub checks. */
#ifndef CAMPO_FORM_CONTENT_H
#define CAMPO_FORM_CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "util/sha256.h"

#define CAMPO_CONTENT_HASH_LEN 71 /* "sha256:" + 64 lowercase hex */

/* The header fields that the hash covers; NULL counts as "". */
struct campo_content_header {
	const char *instance_id;
	const char *deprecated_id;
	uint32_t revision;
	const char *form_id;
	const char *form_version;
	const char *form_hash;
	const char *enumerator;
	const char *device_id;
};

/*
 * The hash is SHA-256 over length-prefixed fields ("N:" bytes "\n"), in
 * this order: "campo-content-1", the header fields in the order of the
 * struct above (revision in decimal), then "a", key, value for each answer
 * and "r", key, count for each repeat, answers before repeats and each in
 * key byte order. The device store (at finalize) and the batch decoder
 * (at the hub) both compute it through these functions, so they cannot
 * drift apart.
 *
 *   struct campo_content_hash h;
 *   campo_content_hash_init(&h, &header);
 *   campo_content_hash_answer(&h, "age", "34"); ...
 *   campo_content_hash_repeat(&h, "member", 3); ...
 *   campo_content_hash_final(&h, out);
 */
struct campo_content_hash {
	struct campo_sha256 sha;
};

void campo_content_hash_init(struct campo_content_hash *h,
			     const struct campo_content_header *header);
void campo_content_hash_answer(struct campo_content_hash *h, const char *key,
			       const char *value);
void campo_content_hash_repeat(struct campo_content_hash *h, const char *key,
			       uint32_t count);
/* Writes "sha256:<hex>" and a NUL into out. */
void campo_content_hash_final(struct campo_content_hash *h,
			      char out[CAMPO_CONTENT_HASH_LEN + 1]);

#endif
