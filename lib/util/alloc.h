/* SPDX-License-Identifier: MIT */
/* Allocation helpers that check sizes for overflow. */
#ifndef CAMPO_UTIL_ALLOC_H
#define CAMPO_UTIL_ALLOC_H

#include <stddef.h>

/*
 * Like calloc/reallocarray: returns NULL when nmemb * size overflows or
 * memory runs out. campo_reallocarray(NULL, ...) allocates; on failure the
 * old block is left untouched.
 */
void *campo_calloc(size_t nmemb, size_t size);
void *campo_reallocarray(void *ptr, size_t nmemb, size_t size);

/*
 * Grows *items (of *cap elements of size bytes each) so it holds at least
 * need elements, doubling. Returns 0, or -1 on overflow or no memory, in
 * which case *items and *cap are unchanged.
 */
int campo_grow(void **items, size_t *cap, size_t need, size_t size);

/* Copies len bytes of s into a new NUL-terminated string; NULL on failure.
 * s may be NULL only when len is 0. Caller frees with free(). */
char *campo_strndup(const char *s, size_t len);

/* strdup that accepts NULL (and returns NULL for it). */
char *campo_strdup(const char *s);

#endif
