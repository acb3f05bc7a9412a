/* SPDX-License-Identifier: MIT */
/* Growable byte buffers with a hard cap fixed when they are made. */
#ifndef CAMPO_UTIL_BUF_H
#define CAMPO_UTIL_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

/*
 * A buffer that grows on demand but never past max bytes (not counting the
 * NUL that is always kept after the contents). Appending past the cap returns
 * CAMPO_ERR_LIMIT and leaves the contents as they were: nothing is truncated.
 *
 *   struct campo_buf b;
 *   campo_buf_init(&b, 4096);
 *   ...
 *   campo_buf_release(&b);
 */
struct campo_buf {
	char *data; /* NUL-terminated once anything was added; may be NULL */
	size_t len;
	size_t cap; /* allocated bytes */
	size_t max; /* the cap on len */
};

/* Sets up an empty buffer that will hold at most max bytes. */
void campo_buf_init(struct campo_buf *b, size_t max);

/* Frees the contents; the buffer is empty and may be reused. NULL is fine. */
void campo_buf_release(struct campo_buf *b);

/* Empties the buffer, keeping its memory. */
void campo_buf_reset(struct campo_buf *b);

/* Appends len bytes (p may be NULL when len is 0). */
enum campo_status campo_buf_add(struct campo_buf *b, const void *p, size_t len);

/* Appends a NUL-terminated string. */
enum campo_status campo_buf_adds(struct campo_buf *b, const char *s);

/* Appends one byte. */
enum campo_status campo_buf_addc(struct campo_buf *b, char c);

/* Appends printf-formatted text. */
enum campo_status campo_buf_printf(struct campo_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Appends len bytes of s as a JSON string (RFC 8259, section 7): quoted,
 * with '"', '\\' and control characters escaped and every other byte
 * (UTF-8 is the caller's to check) as it is. s may be NULL when len is 0.
 */
enum campo_status campo_buf_add_json_string(struct campo_buf *b, const char *s,
					    size_t len);

/* Returns the contents as a string: "" for an empty buffer, never NULL.
 * Borrowed; valid until the buffer next changes. */
const char *campo_buf_str(const struct campo_buf *b);

/*
 * Hands the contents to the caller (who frees them with free()) and leaves
 * the buffer empty. Returns NULL only when memory runs out.
 */
char *campo_buf_detach(struct campo_buf *b, size_t *len);

#endif
