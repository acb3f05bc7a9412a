/* SPDX-License-Identifier: MIT */
/* Random (version 4) UUIDs from the kernel's random source. */
#ifndef CAMPO_UTIL_UUID_H
#define CAMPO_UTIL_UUID_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

#define CAMPO_UUID_LEN 36 /* without the NUL */

/* Writes a new lowercase UUID v4 and a NUL into out (37 bytes). */
enum campo_status campo_uuid_new(char out[CAMPO_UUID_LEN + 1]);

/* Whether s (len bytes) is a UUID in 8-4-4-4-12 lowercase or uppercase hex. */
bool campo_uuid_valid(const char *s, size_t len);

/* Fills buf with len random bytes from getrandom(2). */
enum campo_status campo_random_bytes(void *buf, size_t len);

#endif
