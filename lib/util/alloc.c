/* SPDX-License-Identifier: MIT */
/* Overflow-checked allocation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void *campo_calloc(size_t nmemb, size_t size)
{
	if (!nmemb || !size) {
		nmemb = size = 1;
	}
	return calloc(nmemb, size);
}

void *campo_reallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		return NULL;
	}
	if (!nmemb || !size) {
		nmemb = size = 1;
	}
	return realloc(ptr, nmemb * size);
}

int campo_grow(void **items, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 8;
	void *p;

	if (need <= *cap) {
		return 0;
	}
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			return -1;
		}
		ncap *= 2;
	}
	p = campo_reallocarray(*items, ncap, size);
	if (!p) {
		return -1;
	}
	*items = p;
	*cap = ncap;
	return 0;
}

char *campo_strndup(const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX) {
		return NULL;
	}
	p = malloc(len + 1);
	if (!p) {
		return NULL;
	}
	if (len) {
		memcpy(p, s, len);
	}
	p[len] = '\0';
	return p;
}

char *campo_strdup(const char *s)
{
	return s ? campo_strndup(s, strlen(s)) : NULL;
}
