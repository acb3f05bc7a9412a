/* SPDX-License-Identifier: MIT */
/* What lib/wire's files share: JSON writing and checking helpers. */
#ifndef CAMPO_WIRE_INTERNAL_H
#define CAMPO_WIRE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "wire/wire.h"

#define WIRE_KEY_MAX 512 /* bytes of an answer key, as lib/store */

/* Appends s (NUL-terminated) as a JSON string: '"', '\\' and control
 * characters escaped, everything else as is (UTF-8). */
enum campo_status wire_json_str(struct campo_buf *b, const char *s);

/* Appends `,"name":` (without the comma when first) and clears *first. */
enum campo_status wire_json_key(struct campo_buf *b, bool *first,
				const char *name);

/* Whether s is "YYYY-MM-DDTHH:MM:SS.mmmZ". */
bool wire_time_valid(const char *s);

/* Whether s is "sha256:" + 64 lowercase hex digits. */
bool wire_hash_valid(const char *s);

/* Whether s is "uuid:" + a UUID. */
bool wire_instance_id_valid(const char *s);

/* Whether name (len bytes) is [A-Za-z_][A-Za-z0-9_.-]*. */
bool wire_name_valid(const char *name, size_t len);

/* lim with every 0 field replaced by its default. */
void wire_limits_fill(struct campo_wire_limits *out,
		      const struct campo_wire_limits *lim);

#endif
