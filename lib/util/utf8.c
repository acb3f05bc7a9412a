/* SPDX-License-Identifier: MIT */
/* Strict UTF-8 decoding, checking and encoding (RFC 3629, section 4). */
#include <assert.h>

#include "utf8.h"

uint32_t campo_utf8_decode(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t avail = len - *i, n;
	uint32_t cp;

	assert(*i < len);
	if (p[0] < 0x80) {
		(*i)++;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 1;
		cp = p[0] & 0x1fu;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 2;
		cp = p[0] & 0x0fu;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 3;
		cp = p[0] & 0x07u;
	} else {
		goto bad;
	}
	if (avail <= n) {
		goto bad;
	}
	for (size_t k = 1; k <= n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			goto bad;
		}
		cp = cp << 6 | (p[k] & 0x3fu);
	}
	/* overlong forms, surrogates, past U+10FFFF */
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
		goto bad;
	}
	*i += n + 1;
	return cp;
bad:
	(*i)++;
	return CAMPO_UTF8_BAD;
}

size_t campo_utf8_check(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t at = i;

		/* ASCII runs are the common case: skip them without decoding */
		while (i < len && (unsigned char)s[i] < 0x80 && s[i]) {
			i++;
		}
		if (i == len) {
			break;
		}
		at = i;
		if (!s[i] || campo_utf8_decode(s, len, &i) == CAMPO_UTF8_BAD) {
			return at;
		}
	}
	return len;
}

bool campo_utf8_valid(const char *s, size_t len)
{
	return campo_utf8_check(s, len) == len;
}

size_t campo_utf8_encode(char out[4], uint32_t cp)
{
	assert(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff));
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}
