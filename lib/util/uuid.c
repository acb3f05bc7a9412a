/* SPDX-License-Identifier: MIT */
/* Random (version 4) UUIDs, RFC 4122 section 4.4. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>

#include "uuid.h"

enum campo_status campo_random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return CAMPO_ERR_IO;
		}
		p += n;
		len -= (size_t)n;
	}
	return CAMPO_OK;
}

enum campo_status campo_uuid_new(char out[CAMPO_UUID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[16];
	size_t o = 0;

	if (campo_random_bytes(b, sizeof(b))) {
		return CAMPO_ERR_IO;
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			out[o++] = '-';
		}
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
	return CAMPO_OK;
}

bool campo_uuid_valid(const char *s, size_t len)
{
	if (len != CAMPO_UUID_LEN) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash != (c == '-')) {
			return false;
		}
		if (!dash &&
		    !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}
