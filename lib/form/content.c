/* SPDX-License-Identifier: MIT */
/* An interview's content hash: what the device freezes and the hub checks. */
#include <stdio.h>
#include <string.h>

#include "form/content.h"

static void field(struct campo_content_hash *h, const char *p)
{
	char len[32];
	size_t n;
	int m;

	p = p ? p : "";
	n = strlen(p);
	m = snprintf(len, sizeof(len), "%zu:", n);
	campo_sha256_add(&h->sha, len, (size_t)m);
	campo_sha256_add(&h->sha, p, n);
	campo_sha256_add(&h->sha, "\n", 1);
}

static void number(struct campo_content_hash *h, uint32_t v)
{
	char num[16];

	snprintf(num, sizeof(num), "%u", (unsigned)v);
	field(h, num);
}

void campo_content_hash_init(struct campo_content_hash *h,
			     const struct campo_content_header *header)
{
	campo_sha256_init(&h->sha);
	field(h, "campo-content-1");
	field(h, header->instance_id);
	field(h, header->deprecated_id);
	number(h, header->revision);
	field(h, header->form_id);
	field(h, header->form_version);
	field(h, header->form_hash);
	field(h, header->enumerator);
	field(h, header->device_id);
}

void campo_content_hash_answer(struct campo_content_hash *h, const char *key,
			       const char *value)
{
	field(h, "a");
	field(h, key);
	field(h, value);
}

void campo_content_hash_repeat(struct campo_content_hash *h, const char *key,
			       uint32_t count)
{
	field(h, "r");
	field(h, key);
	number(h, count);
}

void campo_content_hash_final(struct campo_content_hash *h,
			      char out[CAMPO_CONTENT_HASH_LEN + 1])
{
	char hex[CAMPO_SHA256_HEX_LEN + 1];

	campo_sha256_final_hex(&h->sha, hex);
	snprintf(out, CAMPO_CONTENT_HASH_LEN + 1, "sha256:%s", hex);
}
