/* SPDX-License-Identifier: MIT */
/* Strict UTF-8 decoding, checking and encoding (RFC 3629). */
#ifndef CAMPO_UTIL_UTF8_H
#define CAMPO_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What campo_utf8_decode() returns for a byte that starts no valid
 * sequence. */
#define CAMPO_UTF8_BAD UINT32_MAX

/*
 * Decodes the code point that starts at s[*i] (i < len) and moves *i past
 * it. A byte that does not start a valid sequence (a stray continuation,
 * an overlong form, a surrogate, a code point past U+10FFFF, a sequence cut
 * by len) gives CAMPO_UTF8_BAD and moves *i by one byte, so a caller can
 * resynchronise.
 */
uint32_t campo_utf8_decode(const char *s, size_t len, size_t *i);

/*
 * Returns the offset of the first byte of s (len bytes) that is not valid
 * UTF-8 or is NUL, or len when there is none.
 */
size_t campo_utf8_check(const char *s, size_t len);

/* Whether len bytes of s are valid UTF-8 without NUL. */
bool campo_utf8_valid(const char *s, size_t len);

/*
 * Writes code point cp (at most U+10FFFF, not a surrogate) as 1-4 bytes into
 * out; returns how many.
 */
size_t campo_utf8_encode(char out[4], uint32_t cp);

#endif
