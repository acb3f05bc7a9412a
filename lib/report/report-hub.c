/* SPDX-License-Identifier: MIT */
/* Exports for analysts from the hub's database: CSV per form and repeat,
 * JSON Lines, a codebook; one revision in memory at a time. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-counts.h"
#include "report-internal.h"
#include "util/alloc.h"

/* Columns the hub adds after the interchange head columns. */
static const char *const hub_cols[] = { "_revision", "_conflict",
					"_received_at", "_batch_id" };
#define N_HUB_COLS (sizeof(hub_cols) / sizeof(hub_cols[0]))

#define FORMS_MAX 256 /* distinct forms one export writes a codebook for */

struct export
{
	const struct campo_report_hub_options *o;
	const struct campo_report_forms *forms;
	struct report_csv *csv;
	FILE *jsonl;
	struct campo_buf line;
	size_t n;
	const struct campo_form *seen[FORMS_MAX];
	size_t n_seen;
	struct campo_diag *diag;
};

/* ----- the data object as the store's flat answers ----- */

struct flat {
	struct campo_store_answer *answers;
	size_t n_answers, cap_answers;
	struct campo_store_repeat *repeats;
	size_t n_repeats, cap_repeats;
};

static void flat_release(struct flat *f)
{
	for (size_t i = 0; i < f->n_answers; i++) {
		free(f->answers[i].key);
		free(f->answers[i].value);
	}
	for (size_t i = 0; i < f->n_repeats; i++) {
		free(f->repeats[i].key);
	}
	free(f->answers);
	free(f->repeats);
}

/*
 * Walks obj (an object of the interchange nesting, docs/wire-format.md)
 * under key prefix (len bytes of key): a string is an answer, an object
 * a group, an array a repeat of instance objects.
 */
static enum campo_status walk(struct flat *f, const cJSON *obj,
			      char key[CAMPO_STORE_KEY_MAX + 1], size_t len,
			      unsigned depth)
{
	enum campo_status status = CAMPO_OK;

	if (depth > CAMPO_FORM_MAX_DEPTH + 1 || !cJSON_IsObject(obj)) {
		return CAMPO_ERR_INVALID;
	}
	for (const cJSON *c = obj->child; c && status == CAMPO_OK;
	     c = c->next) {
		size_t n = strlen(c->string);

		if (len + n + 24 > CAMPO_STORE_KEY_MAX) {
			return CAMPO_ERR_LIMIT;
		}
		memcpy(key + len, c->string, n + 1);
		if (cJSON_IsString(c)) {
			struct campo_store_answer *a;

			if (campo_grow((void **)&f->answers, &f->cap_answers,
				       f->n_answers + 1,
				       sizeof(*f->answers)) != 0) {
				return CAMPO_ERR_NOMEM;
			}
			a = &f->answers[f->n_answers];
			a->key = campo_strdup(key);
			a->value = campo_strdup(c->valuestring);
			if (!a->key || !a->value) {
				free(a->key);
				free(a->value);
				return CAMPO_ERR_NOMEM;
			}
			f->n_answers++;
		} else if (cJSON_IsObject(c)) {
			key[len + n] = '/';
			status = walk(f, c, key, len + n + 1, depth + 1);
		} else if (cJSON_IsArray(c)) {
			struct campo_store_repeat *r;
			uint32_t i = 0;

			if (campo_grow((void **)&f->repeats, &f->cap_repeats,
				       f->n_repeats + 1,
				       sizeof(*f->repeats)) != 0) {
				return CAMPO_ERR_NOMEM;
			}
			r = &f->repeats[f->n_repeats];
			r->key = campo_strdup(key);
			if (!r->key) {
				return CAMPO_ERR_NOMEM;
			}
			f->n_repeats++;
			for (const cJSON *e = c->child; e && status == CAMPO_OK;
			     e = e->next) {
				int w = snprintf(key + len + n,
						 CAMPO_STORE_KEY_MAX + 1 - len -
							 n,
						 "[%u]/", ++i);

				status = walk(f, e, key, len + n + (size_t)w,
					      depth + 1);
			}
			r->count = i;
		} else {
			return CAMPO_ERR_INVALID;
		}
	}
	return status;
}

static int answer_cmp(const void *a, const void *b)
{
	return strcmp(((const struct campo_store_answer *)a)->key,
		      ((const struct campo_store_answer *)b)->key);
}

static int repeat_cmp(const void *a, const void *b)
{
	return strcmp(((const struct campo_store_repeat *)a)->key,
		      ((const struct campo_store_repeat *)b)->key);
}

static enum campo_store_istatus istatus(const char *s)
{
	for (int i = 0; i < CAMPO_STORE_NSTATUS; i++) {
		if (!strcmp(campo_store_istatus_name(
				    (enum campo_store_istatus)i),
			    s)) {
			return (enum campo_store_istatus)i;
		}
	}
	return CAMPO_STORE_FINALIZED;
}

/* ----- one revision ----- */

static enum campo_status jsonl_add(struct export *e,
				   const struct campo_hub_stored *r)
{
	const struct campo_hub_revision *v = &r->rev;
	const char *const keys[] = {
		"instance_id",	"deprecated_id", NULL,		 "form_id",
		"form_version", "status",	 "enumerator",	 "device_id",
		"started_at",	"finalized_at",	 "content_hash", "received_at",
		"batch_id",
	};
	const char *const vals[] = {
		v->instance_id,	 v->deprecated_id, NULL,
		v->form_id,	 v->form_version,  v->status,
		v->enumerator,	 v->device_id,	   v->started_at,
		v->finalized_at, v->content_hash,  r->received_at,
		r->batch_id,
	};
	struct campo_buf *b = &e->line;
	enum campo_status status = CAMPO_OK;

	campo_buf_reset(b);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (status == CAMPO_OK && !keys[i]) {
			status = campo_buf_printf(b, ",\"revision\":%u",
						  v->revision);
			continue;
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(b, "%s\"%s\":", i ? "," : "{",
						  keys[i]);
		}
		if (status == CAMPO_OK) {
			status = report_json_str(b, vals[i]);
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_printf(b, ",\"conflict\":%s,\"data\":",
					  r->conflict ? "true" : "false");
	}
	if (status == CAMPO_OK) {
		/* stored canonical by the hub: copied as it is */
		status = campo_buf_adds(b, v->data_json);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "}\n");
	}
	if (status != CAMPO_OK) {
		return campo_diag_set(e->diag, status, "'%s': line too long",
				      v->instance_id);
	}
	if (fwrite(b->data, 1, b->len, e->jsonl) != b->len) {
		return campo_diag_set(e->diag, CAMPO_ERR_IO,
				      "cannot write interviews.jsonl");
	}
	return CAMPO_OK;
}

static enum campo_status csv_add(struct export *e,
				 const struct campo_hub_stored *r)
{
	const struct campo_hub_revision *v = &r->rev;
	struct flat f = { 0 };
	char key[CAMPO_STORE_KEY_MAX + 1], rev[16];
	const char *extra[N_HUB_COLS];
	enum campo_status status;
	cJSON *data;

	/* the length counts the NUL, which must end the document */
	data = cJSON_ParseWithLengthOpts(v->data_json, strlen(v->data_json) + 1,
					 NULL, true);
	if (!data) {
		return campo_diag_set(e->diag, CAMPO_ERR_PARSE,
				      "'%s': stored data is not JSON",
				      v->instance_id);
	}
	status = walk(&f, data, key, 0, 0);
	cJSON_Delete(data);
	if (status == CAMPO_OK) {
		struct campo_store_interview iv = {
			.info = {
				.instance_id = v->instance_id,
				.deprecated_id = v->deprecated_id,
				.revision = v->revision,
				.form_id = v->form_id,
				.form_version = v->form_version,
				.form_hash = "",
				.enumerator = v->enumerator,
				.device_id = v->device_id,
				.status = istatus(v->status),
				.instance_name = "",
				.language = "",
				.position = "",
				.started_at = v->started_at,
				.updated_at = v->finalized_at,
				.finalized_at = v->finalized_at,
				.content_hash = v->content_hash,
				.return_note = "",
			},
			.answers = f.answers,
			.n_answers = f.n_answers,
			.repeats = f.repeats,
			.n_repeats = f.n_repeats,
		};

		if (f.n_answers) {
			qsort(f.answers, f.n_answers, sizeof(*f.answers),
			      answer_cmp);
		}
		if (f.n_repeats) {
			qsort(f.repeats, f.n_repeats, sizeof(*f.repeats),
			      repeat_cmp);
		}
		snprintf(rev, sizeof(rev), "%u", v->revision);
		extra[0] = rev;
		extra[1] = r->conflict ? "1" : "0";
		extra[2] = r->received_at;
		extra[3] = r->batch_id;
		status = report_csv_add(e->csv, &iv, extra, e->diag);
	} else {
		status = campo_diag_set(e->diag, status,
					"'%s': stored data does not nest as "
					"answers, groups and repeats",
					v->instance_id);
	}
	flat_release(&f);
	return status;
}

/* Remembers the form of form_id for the codebook. */
static enum campo_status form_seen(struct export *e, const char *form_id)
{
	const struct campo_form *form;

	for (size_t i = 0; i < e->n_seen; i++) {
		if (!strcmp(e->seen[i]->id, form_id)) {
			return CAMPO_OK;
		}
	}
	form = e->forms->fn(e->forms->ctx, form_id, e->diag);
	if (!form) {
		return CAMPO_ERR_NOTFOUND;
	}
	if (e->n_seen == FORMS_MAX) {
		return campo_diag_set(e->diag, CAMPO_ERR_LIMIT,
				      "more than %d forms", FORMS_MAX);
	}
	e->seen[e->n_seen++] = form;
	return CAMPO_OK;
}

static enum campo_status one(void *ctx, const struct campo_hub_stored *r)
{
	struct export *e = ctx;
	enum campo_status status = CAMPO_OK;

	if (e->o->codebook || e->csv) {
		status = form_seen(e, r->rev.form_id);
	}
	if (status == CAMPO_OK && e->jsonl) {
		status = jsonl_add(e, r);
	}
	if (status == CAMPO_OK && e->csv) {
		status = csv_add(e, r);
	}
	e->n += status == CAMPO_OK;
	return status;
}

/* ----- codebook ----- */

static enum campo_status cb_row(struct campo_buf *b, FILE *f,
				struct campo_diag *diag)
{
	enum campo_status status = campo_buf_adds(b, "\r\n");

	if (status == CAMPO_OK &&
	    fwrite(campo_buf_str(b), 1, b->len, f) != b->len) {
		status = campo_diag_set(diag, CAMPO_ERR_IO,
					"cannot write the codebook");
	}
	campo_buf_reset(b);
	return status;
}

/* The file a field's column is in: the form's or its repeat's. */
static void field_file(const struct campo_form *form, uint32_t i, char *out,
		       size_t size)
{
	int32_t r = form->fields[i].repeat;

	snprintf(out, size, "%s%s%s.csv", form->id, r >= 0 ? "-" : "",
		 r >= 0 ? form->fields[r].name : "");
}

static enum campo_status codebook_write(const struct export *e,
					const struct campo_form *form)
{
	char path[4096], file[512];
	struct campo_buf b, choices;
	enum campo_status status = CAMPO_OK;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-codebook.csv", e->o->dir, form->id);
	f = fopen(path, "w");
	if (!f) {
		return campo_diag_set(e->diag, CAMPO_ERR_IO,
				      "cannot create '%s'", path);
	}
	campo_buf_init(&b, CAMPO_REPORT_LINE_MAX);
	campo_buf_init(&choices, CAMPO_REPORT_LINE_MAX);
	if (e->o->bom && fputs("\xef\xbb\xbf", f) == EOF) {
		status = CAMPO_ERR_IO;
	}
	if (status == CAMPO_OK) {
		status = report_csv_field(&b, true, "file");
	}
	if (status == CAMPO_OK) {
		status = report_csv_field(&b, false, "variable");
	}
	if (status == CAMPO_OK) {
		status = report_csv_field(&b, false, "type");
	}
	if (status == CAMPO_OK) {
		status = report_csv_field(&b, false, "list");
	}
	for (size_t l = 0; l < form->n_languages && status == CAMPO_OK; l++) {
		char col[80];

		snprintf(col, sizeof(col), "label_%s", form->languages[l]);
		status = report_csv_field(&b, false, col);
	}
	for (size_t l = 0; l < form->n_languages && status == CAMPO_OK; l++) {
		char col[80];

		snprintf(col, sizeof(col), "choices_%s", form->languages[l]);
		status = report_csv_field(&b, false, col);
	}
	if (status == CAMPO_OK) {
		status = cb_row(&b, f, e->diag);
	}
	for (uint32_t i = 0; i < form->n_fields && status == CAMPO_OK; i++) {
		const struct campo_field *fd = &form->fields[i];
		const struct campo_choice_list *list =
			fd->list >= 0 ? &form->lists[fd->list] : NULL;

		if (!report_field_valued(form, i)) {
			continue;
		}
		field_file(form, i, file, sizeof(file));
		status = report_csv_field(&b, true, file);
		if (status == CAMPO_OK) {
			status = report_csv_field(&b, false, fd->name);
		}
		if (status == CAMPO_OK) {
			status = report_csv_field(
				&b, false, campo_type_info(fd->type)->name);
		}
		if (status == CAMPO_OK) {
			status = report_csv_field(&b, false,
						  list ? list->name : "");
		}
		for (size_t l = 0; l < form->n_languages && status == CAMPO_OK;
		     l++) {
			const char *t = campo_i18n_get(form, &fd->label, l);

			status = report_csv_field(&b, false, t ? t : "");
		}
		for (size_t l = 0; l < form->n_languages && status == CAMPO_OK;
		     l++) {
			campo_buf_reset(&choices);
			for (size_t k = 0;
			     list && k < list->n_choices && status == CAMPO_OK;
			     k++) {
				const char *t = campo_i18n_get(
					form, &list->choices[k].label, l);

				status = campo_buf_printf(
					&choices, "%s%s=%s", k ? "\n" : "",
					list->choices[k].name, t ? t : "");
			}
			if (status == CAMPO_OK) {
				status = report_csv_field(
					&b, false, campo_buf_str(&choices));
			}
		}
		if (status == CAMPO_OK) {
			status = cb_row(&b, f, e->diag);
		}
	}
	if (fclose(f) != 0 && status == CAMPO_OK) {
		status = CAMPO_ERR_IO;
	}
	if (status != CAMPO_OK && !e->diag->msg[0]) {
		campo_diag_set(e->diag, status, "cannot write '%s'", path);
	}
	campo_buf_release(&b);
	campo_buf_release(&choices);
	return status;
}

enum campo_status
campo_report_hub_export(struct campo_hub *hub,
			const struct campo_report_forms *forms,
			const struct campo_report_hub_options *o, size_t *n,
			struct campo_diag *diag)
{
	struct campo_diag scratch = { 0 };
	struct export e = { .o = o,
			    .forms = forms,
			    .diag = diag ? diag : &scratch };
	enum campo_status status = CAMPO_OK;

	if (n) {
		*n = 0;
	}
	campo_buf_init(&e.line, CAMPO_REPORT_LINE_MAX);
	if (o->jsonl) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/interviews.jsonl", o->dir);
		e.jsonl = fopen(path, "w");
		if (!e.jsonl) {
			status = campo_diag_set(e.diag, CAMPO_ERR_IO,
						"cannot create '%s'", path);
		}
	}
	if (status == CAMPO_OK && o->csv) {
		struct report_csv_options co = {
			.dir = o->dir,
			.lang = o->lang,
			.bom = o->bom,
			.extra = hub_cols,
			.n_extra = N_HUB_COLS,
		};

		status = report_csv_open(forms, &co, &e.csv, e.diag);
	}
	if (status == CAMPO_OK) {
		status = campo_hub_export_list(hub, o->all_revisions, one, &e,
					       e.diag);
	}
	for (size_t i = 0; o->codebook && i < e.n_seen && status == CAMPO_OK;
	     i++) {
		status = codebook_write(&e, e.seen[i]);
	}
	status = report_csv_close(e.csv, status, e.diag);
	if (e.jsonl && fclose(e.jsonl) != 0 && status == CAMPO_OK) {
		status = campo_diag_set(e.diag, CAMPO_ERR_IO,
					"cannot write interviews.jsonl");
	}
	campo_buf_release(&e.line);
	if (n) {
		*n = e.n;
	}
	return status;
}
