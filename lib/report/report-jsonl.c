/* SPDX-License-Identifier: MIT */
/* The JSON Lines export: one interview a line (docs/interchange.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-internal.h"

/* The key prefix of a scope: "member[2]/" (at most CAMPO_STORE_KEY_MAX). */
struct prefix {
	char s[CAMPO_STORE_KEY_MAX + 1];
	size_t len;
};

static bool prefix_push(struct prefix *p, const char *name, uint32_t index,
			const char *tail)
{
	int n;
	size_t room = sizeof(p->s) - p->len;

	if (index) {
		n = snprintf(p->s + p->len, room, "%s[%u]%s", name, index,
			     tail);
	} else {
		n = snprintf(p->s + p->len, room, "%s%s", name, tail);
	}
	if (n < 0 || (size_t)n >= room) {
		p->s[p->len] = '\0';
		return false;
	}
	p->len += (size_t)n;
	return true;
}

static void prefix_pop(struct prefix *p, size_t len)
{
	p->len = len;
	p->s[len] = '\0';
}

static void buf_cut(struct campo_buf *b, size_t len)
{
	if (b->data) {
		b->len = len;
		b->data[len] = '\0';
	}
}

static enum campo_status member_start(struct campo_buf *b, bool *first,
				      const char *name)
{
	enum campo_status status = CAMPO_OK;

	if (!*first) {
		status = campo_buf_addc(b, ',');
	}
	*first = false;
	if (status == CAMPO_OK) {
		status = report_json_str(b, name);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_addc(b, ':');
	}
	return status;
}

/*
 * Appends the members of the object for container c (-1: the root) under
 * prefix p, without braces; *wrote tells whether any was written.
 */
static enum campo_status scope_emit(const struct campo_form *form,
				    const struct campo_store_interview *iv,
				    int32_t c, struct prefix *p,
				    struct campo_buf *b, bool *wrote,
				    struct campo_diag *diag)
{
	uint32_t start = c < 0 ? 0 : (uint32_t)c + 1;
	uint32_t end = c < 0 ? (uint32_t)form->n_fields : form->fields[c].end;
	enum campo_status status = CAMPO_OK;
	bool first = true;
	size_t plen = p->len;

	for (uint32_t i = start; i < end && status == CAMPO_OK;) {
		const struct campo_field *f = &form->fields[i];
		uint32_t next = f->end > i + 1 ? f->end : i + 1;

		if (f->parent != c) {
			i = next;
			continue;
		}
		if (f->type == CAMPO_TYPE_GROUP) {
			size_t mark = b->len;
			bool first0 = first, inner = false;

			if (!prefix_push(p, f->name, 0, "/")) {
				goto out_long;
			}
			status = member_start(b, &first, f->name);
			if (status == CAMPO_OK) {
				status = campo_buf_addc(b, '{');
			}
			if (status == CAMPO_OK) {
				status = scope_emit(form, iv, (int32_t)i, p, b,
						    &inner, diag);
			}
			if (status == CAMPO_OK) {
				status = campo_buf_addc(b, '}');
			}
			if (status == CAMPO_OK && !inner) {
				buf_cut(b, mark);
				first = first0;
			}
			prefix_pop(p, plen);
		} else if (f->type == CAMPO_TYPE_REPEAT) {
			uint32_t count;

			if (!prefix_push(p, f->name, 0, "")) {
				goto out_long;
			}
			count = report_repeat_count(iv, p->s);
			prefix_pop(p, plen);
			if (!count) {
				i = next;
				continue;
			}
			status = member_start(b, &first, f->name);
			if (status == CAMPO_OK) {
				status = campo_buf_addc(b, '[');
			}
			for (uint32_t k = 1; k <= count && status == CAMPO_OK;
			     k++) {
				bool inner = false;

				if (!prefix_push(p, f->name, k, "/")) {
					goto out_long;
				}
				status = campo_buf_adds(b, k > 1 ? ",{" : "{");
				if (status == CAMPO_OK) {
					status =
						scope_emit(form, iv, (int32_t)i,
							   p, b, &inner, diag);
				}
				if (status == CAMPO_OK) {
					status = campo_buf_addc(b, '}');
				}
				prefix_pop(p, plen);
			}
			if (status == CAMPO_OK) {
				status = campo_buf_addc(b, ']');
			}
		} else if (report_field_valued(form, i)) {
			const char *v;

			if (!prefix_push(p, f->name, 0, "")) {
				goto out_long;
			}
			v = report_answer(iv, p->s);
			prefix_pop(p, plen);
			if (v && *v) {
				status = member_start(b, &first, f->name);
				if (status == CAMPO_OK) {
					status = report_json_str(b, v);
				}
			}
		}
		i = next;
	}
	*wrote = !first;
	return status;
out_long:
	prefix_pop(p, plen);
	return campo_diag_set(diag, CAMPO_ERR_LIMIT,
			      "a key under '%s' is longer than %u bytes", p->s,
			      (unsigned)CAMPO_STORE_KEY_MAX);
}

static enum campo_status header_str(struct campo_buf *b, const char *name,
				    const char *value)
{
	enum campo_status status = campo_buf_addc(b, '"');

	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, name);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "\":");
	}
	if (status == CAMPO_OK) {
		status = report_json_str(b, value);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_addc(b, ',');
	}
	return status;
}

enum campo_status
campo_report_jsonl_line(const struct campo_form *form,
			const struct campo_store_interview *iv,
			struct campo_buf *out, struct campo_diag *diag)
{
	const struct campo_store_summary *h = &iv->info;
	const char *const names[] = {
		"instance_id",	"deprecated_id", "form_id",
		"form_version", "status",	 "enumerator",
		"device_id",	"started_at",	 "finalized_at",
	};
	const char *const values[] = {
		h->instance_id,
		h->deprecated_id,
		h->form_id,
		h->form_version,
		campo_store_istatus_name(h->status),
		h->enumerator,
		h->device_id,
		h->started_at,
		h->finalized_at,
	};
	enum campo_status status;
	struct prefix p = { .len = 0 };
	size_t mark = out->len;
	bool wrote;

	status = campo_buf_addc(out, '{');
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (status == CAMPO_OK) {
			status = header_str(out, names[i], values[i]);
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(out, "\"data\":{");
	}
	if (status == CAMPO_OK) {
		status = scope_emit(form, iv, -1, &p, out, &wrote, diag);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(out, "}}\n");
	}
	if (status != CAMPO_OK) {
		buf_cut(out, mark);
	}
	if (status == CAMPO_ERR_NOMEM) {
		return campo_diag_set(diag, status, "out of memory");
	}
	if (status == CAMPO_ERR_LIMIT && !diag->msg[0]) {
		return campo_diag_set(diag, status,
				      "interview '%s' is longer than %u bytes "
				      "as a line",
				      h->instance_id,
				      (unsigned)CAMPO_REPORT_LINE_MAX);
	}
	return status;
}

enum campo_status
campo_report_jsonl_export(struct campo_store *store, const char *form_id,
			  const struct campo_report_forms *forms, FILE *out,
			  size_t *n, struct campo_diag *diag)
{
	struct report_ids ids = { 0 };
	struct campo_buf line;
	enum campo_status status;
	size_t written = 0;

	campo_buf_init(&line, CAMPO_REPORT_LINE_MAX);
	status = report_ids_list(store, form_id, &ids, diag);
	for (size_t i = 0; i < ids.n && status == CAMPO_OK; i++) {
		struct campo_store_interview *iv = NULL;
		const struct campo_form *form;

		status = campo_store_interview_get(store, ids.ids[i], 0, &iv,
						   diag);
		if (status != CAMPO_OK) {
			break;
		}
		form = forms->fn(forms->ctx, iv->info.form_id, diag);
		if (!form) {
			status = CAMPO_ERR_NOTFOUND;
		}
		campo_buf_reset(&line);
		if (status == CAMPO_OK) {
			status = campo_report_jsonl_line(form, iv, &line, diag);
		}
		if (status == CAMPO_OK && fwrite(campo_buf_str(&line), 1,
						 line.len, out) != line.len) {
			status = campo_diag_set(diag, CAMPO_ERR_IO,
						"cannot write the export");
		}
		written += status == CAMPO_OK;
		campo_store_interview_free(iv);
	}
	campo_buf_release(&line);
	free(ids.ids);
	if (n) {
		*n = written;
	}
	return status;
}
