/* SPDX-License-Identifier: MIT */
/* Helpers the exports and the import share; not installed. */
#ifndef CAMPO_REPORT_INTERNAL_H
#define CAMPO_REPORT_INTERNAL_H

#include <stddef.h>

#include "report.h"

/* The instance ids an export walks, in creation order. */
struct report_ids {
	char (*ids)[CAMPO_STORE_ID_LEN + 1];
	size_t n, cap;
};

/*
 * Fills ids with every interview of form_id (NULL: all) except discarded
 * ones. Caller frees ids->ids with free().
 */
enum campo_status report_ids_list(struct campo_store *store,
				  const char *form_id, struct report_ids *ids,
				  struct campo_diag *diag);

/* The answer at key, or NULL (borrowed from iv). */
const char *report_answer(const struct campo_store_interview *iv,
			  const char *key);

/* The number of instances of repeat path key ("member[2]/trip"), or 0. */
uint32_t report_repeat_count(const struct campo_store_interview *iv,
			     const char *key);

/* Appends one RFC 4180 field (a comma first unless first): quoted when it
 * holds a comma, quote, CR or LF, quotes doubled. */
enum campo_status report_csv_field(struct campo_buf *b, bool first,
				   const char *s);

/* Appends s as a JSON string, quoted and escaped. */
enum campo_status report_json_str(struct campo_buf *b, const char *s);

/* Whether field f of form has a stored value (not a group, repeat, note). */
bool report_field_valued(const struct campo_form *form, uint32_t f);

/*
 * Writes the key of field f into out: enclosing groups and repeats, each
 * repeat with idx[level] (level 0 the outermost repeat); f itself gets no
 * index. Returns false when it does not fit.
 */
bool report_field_key(const struct campo_form *form, uint32_t f,
		      const uint32_t *idx, char out[CAMPO_STORE_KEY_MAX + 1]);

#endif
