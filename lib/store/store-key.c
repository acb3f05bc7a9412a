/* SPDX-License-Identifier: MIT */
/* Canonical answer keys ("member[2]/age") and instance identifiers. */
#include <string.h>

#include "store-internal.h"

static bool name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

bool store_key_parse(const char *key, size_t len, struct store_key *k)
{
	size_t i = 0;

	k->n = 0;
	if (!key || len == 0 || len > CAMPO_STORE_KEY_MAX) {
		return false;
	}
	for (;;) {
		if (k->n == STORE_KEY_DEPTH || i >= len ||
		    !name_start(key[i])) {
			return false;
		}
		while (i < len && name_char(key[i])) {
			i++;
		}
		k->name_end[k->n] = i;
		k->index[k->n] = 0;
		if (i < len && key[i] == '[') {
			uint32_t v = 0;
			size_t digits = 0;

			i++;
			/* no leading zeros: one spelling per instance */
			if (i >= len || key[i] < '1' || key[i] > '9') {
				return false;
			}
			while (i < len && key[i] >= '0' && key[i] <= '9') {
				if (++digits > 9) {
					return false;
				}
				v = v * 10 + (uint32_t)(key[i] - '0');
				i++;
			}
			if (i >= len || key[i] != ']') {
				return false;
			}
			i++;
			k->index[k->n] = v;
		}
		k->end[k->n] = i;
		k->n++;
		if (i == len) {
			return true;
		}
		if (key[i] != '/') {
			return false;
		}
		i++;
	}
}

bool campo_store_key_valid(const char *key, size_t len,
			   enum campo_store_key_kind kind)
{
	struct store_key k;

	if (!store_key_parse(key, len, &k)) {
		return false;
	}
	switch (kind) {
	case CAMPO_STORE_KEY_ANSWER:
		return k.index[k.n - 1] == 0;
	case CAMPO_STORE_KEY_INSTANCE:
		return k.index[k.n - 1] != 0;
	case CAMPO_STORE_KEY_ANY:
		return true;
	}
	return false;
}

enum campo_status campo_store_instance_id_new(char out[CAMPO_STORE_ID_LEN + 1])
{
	enum campo_status status;

	memcpy(out, "uuid:", 5);
	status = campo_uuid_new(out + 5);
	if (status != CAMPO_OK) {
		out[0] = '\0';
	}
	return status;
}
