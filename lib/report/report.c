/* SPDX-License-Identifier: MIT */
/* What the exports and the import share: id lists, lookups, JSON strings. */
#include <stdlib.h>
#include <string.h>

#include "report-internal.h"
#include "util/alloc.h"

struct ids_ctx {
	struct report_ids *ids;
};

static enum campo_status ids_add(void *ctx,
				 const struct campo_store_summary *row)
{
	struct report_ids *ids = ((struct ids_ctx *)ctx)->ids;

	if (row->status == CAMPO_STORE_DISCARDED) {
		return CAMPO_OK;
	}
	if (campo_grow((void **)&ids->ids, &ids->cap, ids->n + 1,
		       sizeof(*ids->ids)) != 0) {
		return CAMPO_ERR_NOMEM;
	}
	memset(ids->ids[ids->n], 0, sizeof(ids->ids[ids->n]));
	strncpy(ids->ids[ids->n], row->instance_id, CAMPO_STORE_ID_LEN);
	ids->n++;
	return CAMPO_OK;
}

enum campo_status report_ids_list(struct campo_store *store,
				  const char *form_id, struct report_ids *ids,
				  struct campo_diag *diag)
{
	struct ids_ctx ctx = { .ids = ids };
	enum campo_status status;

	status = campo_store_interview_list(store, 0, form_id, ids_add, &ctx,
					    diag);
	if (status == CAMPO_ERR_NOMEM) {
		return campo_diag_set(diag, status, "out of memory");
	}
	return status;
}

static int answer_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct campo_store_answer *)elem)->key);
}

static int repeat_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct campo_store_repeat *)elem)->key);
}

const char *report_answer(const struct campo_store_interview *iv,
			  const char *key)
{
	const struct campo_store_answer *a;

	if (!iv->n_answers) {
		return NULL;
	}
	a = bsearch(key, iv->answers, iv->n_answers, sizeof(*a), answer_cmp);
	return a ? a->value : NULL;
}

uint32_t report_repeat_count(const struct campo_store_interview *iv,
			     const char *key)
{
	const struct campo_store_repeat *r;

	if (!iv->n_repeats) {
		return 0;
	}
	r = bsearch(key, iv->repeats, iv->n_repeats, sizeof(*r), repeat_cmp);
	return r ? r->count : 0;
}

enum campo_status report_json_str(struct campo_buf *b, const char *s)
{
	enum campo_status status = campo_buf_addc(b, '"');
	const char *run = s;

	for (; status == CAMPO_OK && *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		char u[8];

		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				static const char hex[] = "0123456789abcdef";

				memcpy(u, "\\u00", 4);
				u[4] = hex[c >> 4];
				u[5] = hex[c & 15];
				u[6] = '\0';
				esc = u;
			}
			break;
		}
		if (esc) {
			status = campo_buf_add(b, run, (size_t)(s - run));
			if (status == CAMPO_OK) {
				status = campo_buf_adds(b, esc);
			}
			run = s + 1;
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_add(b, run, (size_t)(s - run));
	}
	if (status == CAMPO_OK) {
		status = campo_buf_addc(b, '"');
	}
	return status;
}

bool report_field_valued(const struct campo_form *form, uint32_t f)
{
	return campo_type_info(form->fields[f].type)->has_value;
}

/*
 * Writes the key of field f into out: enclosing groups and repeats, each
 * repeat with idx[level] (level 0 the outermost repeat); f itself gets no
 * index. Returns false when it does not fit.
 */
bool report_field_key(const struct campo_form *form, uint32_t f,
		      const uint32_t *idx, char out[CAMPO_STORE_KEY_MAX + 1])
{
	uint32_t path[CAMPO_FORM_MAX_DEPTH + 1];
	size_t n = 0, len = 0, level = 0;

	for (int32_t x = (int32_t)f; x >= 0 && n < CAMPO_FORM_MAX_DEPTH + 1;
	     x = form->fields[x].parent) {
		path[n++] = (uint32_t)x;
	}
	/* built with memcpy, not snprintf: an export calls this for every
	 * field of every row, and snprintf was half of its time */
	while (n--) {
		const struct campo_field *a = &form->fields[path[n]];
		size_t w = strlen(a->name);
		char num[16];
		size_t digits = 0;

		if (n && a->type == CAMPO_TYPE_REPEAT) {
			uint32_t v = idx[level++];

			do {
				num[sizeof(num) - ++digits] =
					(char)('0' + v % 10);
				v /= 10;
			} while (v);
		}
		/* name, "[" digits "]" for a repeat on the way, "/" */
		if (len + w + (digits ? digits + 2 : 0) + 1 >
		    CAMPO_STORE_KEY_MAX) {
			out[0] = '\0';
			return false;
		}
		memcpy(out + len, a->name, w);
		len += w;
		if (digits) {
			out[len++] = '[';
			memcpy(out + len, num + sizeof(num) - digits, digits);
			len += digits;
			out[len++] = ']';
		}
		if (n) {
			out[len++] = '/';
		}
	}
	out[len] = '\0';
	return true;
}
