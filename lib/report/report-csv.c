/* SPDX-License-Identifier: MIT */
/* The CSV export: a file per form and one per repeat (docs/interchange.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-internal.h"
#include "util/alloc.h"

/* Columns of the form's own file before its questions. */
#define N_HEAD 8
static const char *const head_cols[N_HEAD] = {
	"instance_id", "_deprecated_id", "_form_version", "_status",
	"_enumerator", "_device_id",	 "_started_at",	  "_finalized_at",
};

/* The columns every file of a form starts with: a question of that name
 * would make two columns of one name. */
static enum campo_status names_clash(const struct campo_form *form,
				     const char *const *extra, size_t n_extra,
				     struct campo_diag *diag)
{
	static const char *const rep_cols[] = { "parent_position", "position" };

	for (size_t i = 0; i < form->n_fields; i++) {
		const char *name = form->fields[i].name;
		bool clash = false;

		for (size_t k = 0; k < n_extra; k++) {
			clash |= !strcmp(name, extra[k]);
		}

		for (size_t k = 0; k < N_HEAD; k++) {
			clash |= !strcmp(name, head_cols[k]);
		}
		for (size_t k = 0; k < 2; k++) {
			clash |= !strcmp(name, rep_cols[k]);
		}
		if (clash) {
			return campo_diag_set(diag, CAMPO_ERR_CONFLICT,
					      "question '%s' of form '%s' has "
					      "the name of a CSV column",
					      name, form->id);
		}
	}
	return CAMPO_OK;
}

/* One form's open files: main, and reps[r] for each repeat field r. */
struct csv_form {
	const struct campo_form *form;
	size_t lang; /* with labels: an index into form->languages */
	FILE *main;
	FILE **reps;
};

struct report_csv {
	const struct campo_report_forms *forms;
	const char *dir;
	const char *lang; /* NULL: codes */
	bool bom;
	const char *const *extra; /* columns after head_cols */
	size_t n_extra;
	struct csv_form *open;
	size_t n_open, cap_open;
	struct campo_buf row;
};

/* Appends one RFC 4180 field: quoted when it holds a comma, quote, CR or
 * LF, quotes doubled. */
enum campo_status report_csv_field(struct campo_buf *b, bool first,
				   const char *s)
{
	enum campo_status status = CAMPO_OK;

	if (!first) {
		status = campo_buf_addc(b, ',');
	}
	if (status != CAMPO_OK) {
		return status;
	}
	if (!strpbrk(s, ",\"\r\n")) {
		return campo_buf_adds(b, s);
	}
	status = campo_buf_addc(b, '"');
	for (; *s && status == CAMPO_OK; s++) {
		if (*s == '"') {
			status = campo_buf_addc(b, '"');
		}
		if (status == CAMPO_OK) {
			status = campo_buf_addc(b, *s);
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_addc(b, '"');
	}
	return status;
}

static enum campo_status row_write(struct report_csv *c, FILE *f,
				   struct campo_diag *diag)
{
	enum campo_status status = campo_buf_adds(&c->row, "\r\n");

	if (status == CAMPO_OK &&
	    fwrite(campo_buf_str(&c->row), 1, c->row.len, f) != c->row.len) {
		status = campo_diag_set(diag, CAMPO_ERR_IO,
					"cannot write to '%s'", c->dir);
	} else if (status != CAMPO_OK) {
		status = campo_diag_set(diag, status, "a CSV row is too long");
	}
	campo_buf_reset(&c->row);
	return status;
}

/* The repeats enclosing field f and f itself if a repeat, outermost first;
 * returns how many. */
static size_t repeat_chain(const struct campo_form *form, int32_t r,
			   uint32_t chain[CAMPO_FORM_MAX_DEPTH + 1])
{
	size_t n = 0;

	for (int32_t x = r; x >= 0; x = form->fields[x].repeat) {
		n++;
	}
	for (size_t k = n; r >= 0; r = form->fields[r].repeat) {
		chain[--k] = (uint32_t)r;
	}
	return n;
}

/* Appends the value as written: codes, or labels in c->lang. */
static enum campo_status value_field(struct report_csv *c,
				     const struct csv_form *cf, uint32_t f,
				     const char *v)
{
	const struct campo_form *form = cf->form;
	const struct campo_field *fd = &form->fields[f];
	const struct campo_choice_list *list;
	struct campo_buf lab;
	enum campo_status status = CAMPO_OK;

	if (!c->lang || fd->list < 0 || !*v) {
		return report_csv_field(&c->row, false, v);
	}
	list = &form->lists[fd->list];
	campo_buf_init(&lab, CAMPO_STORE_VALUE_MAX * 4);
	while (*v && status == CAMPO_OK) {
		size_t len = strcspn(v, " ");
		int32_t k = len ? campo_form_choice_find(list, v, len) : -1;
		const char *text = NULL;

		if (k >= 0) {
			text = campo_i18n_get(form, &list->choices[k].label,
					      cf->lang);
		}
		if (len && lab.len) {
			status = campo_buf_adds(&lab, " | ");
		}
		if (status == CAMPO_OK && len) {
			status = text ? campo_buf_adds(&lab, text)
				      : campo_buf_add(&lab, v, len);
		}
		v += len;
		v += *v == ' ';
	}
	if (status == CAMPO_OK) {
		status = report_csv_field(&c->row, false, campo_buf_str(&lab));
	}
	campo_buf_release(&lab);
	return status;
}

static FILE *csv_open(struct report_csv *c, const char *form_id,
		      const char *rep, struct campo_diag *diag)
{
	char path[4096];
	int n;
	FILE *f;

	n = snprintf(path, sizeof(path), "%s/%s%s%s.csv", c->dir, form_id,
		     rep ? "-" : "", rep ? rep : "");
	if (n < 0 || (size_t)n >= sizeof(path)) {
		campo_diag_set(diag, CAMPO_ERR_LIMIT, "path too long in '%s'",
			       c->dir);
		return NULL;
	}
	f = fopen(path, "w");
	if (!f) {
		campo_diag_set(diag, CAMPO_ERR_IO, "cannot create '%s'", path);
	} else if (c->bom && fputs("\xef\xbb\xbf", f) == EOF) {
		campo_diag_set(diag, CAMPO_ERR_IO, "cannot write '%s'", path);
		fclose(f);
		f = NULL;
	}
	return f;
}

/* Opens form's files and writes their header rows. */
static enum campo_status form_open(struct report_csv *c, struct csv_form *cf,
				   struct campo_diag *diag)
{
	const struct campo_form *form = cf->form;
	enum campo_status status = CAMPO_OK;

	if (strchr(form->id, '/') || form->id[0] == '.') {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "form id '%s' cannot name a file",
				      form->id);
	}
	status = names_clash(form, c->extra, c->n_extra, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (c->lang) {
		size_t l;

		for (l = 0; l < form->n_languages; l++) {
			if (!strcmp(form->languages[l], c->lang)) {
				break;
			}
		}
		if (l == form->n_languages) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "form '%s' has no language '%s'",
					      form->id, c->lang);
		}
		cf->lang = l;
	}
	cf->reps = campo_calloc(form->n_fields, sizeof(*cf->reps));
	if (!cf->reps) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	cf->main = csv_open(c, form->id, NULL, diag);
	if (!cf->main) {
		return CAMPO_ERR_IO;
	}
	for (size_t i = 0; i < N_HEAD && status == CAMPO_OK; i++) {
		status = report_csv_field(&c->row, i == 0, head_cols[i]);
	}
	for (size_t i = 0; i < c->n_extra && status == CAMPO_OK; i++) {
		status = report_csv_field(&c->row, false, c->extra[i]);
	}
	for (uint32_t i = 0; i < form->n_fields && status == CAMPO_OK; i++) {
		if (form->fields[i].repeat < 0 &&
		    report_field_valued(form, i)) {
			status = report_csv_field(&c->row, false,
						  form->fields[i].name);
		}
	}
	if (status == CAMPO_OK) {
		status = row_write(c, cf->main, diag);
	}
	for (uint32_t r = 0; r < form->n_fields && status == CAMPO_OK; r++) {
		const struct campo_field *rf = &form->fields[r];

		if (rf->type != CAMPO_TYPE_REPEAT) {
			continue;
		}
		cf->reps[r] = csv_open(c, form->id, rf->name, diag);
		if (!cf->reps[r]) {
			return CAMPO_ERR_IO;
		}
		status = report_csv_field(&c->row, true, "instance_id");
		if (status == CAMPO_OK && rf->repeat >= 0) {
			status = report_csv_field(&c->row, false,
						  "parent_position");
		}
		if (status == CAMPO_OK) {
			status = report_csv_field(&c->row, false, "position");
		}
		for (uint32_t i = 0; i < form->n_fields && status == CAMPO_OK;
		     i++) {
			if (form->fields[i].repeat == (int32_t)r &&
			    report_field_valued(form, i)) {
				status = report_csv_field(&c->row, false,
							  form->fields[i].name);
			}
		}
		if (status == CAMPO_OK) {
			status = row_write(c, cf->reps[r], diag);
		}
	}
	return status;
}

static void form_close(struct csv_form *cf, enum campo_status *status,
		       struct campo_diag *diag)
{
	if (cf->main && fclose(cf->main) != 0 && *status == CAMPO_OK) {
		*status = campo_diag_set(diag, CAMPO_ERR_IO,
					 "cannot write '%s.csv'", cf->form->id);
	}
	for (size_t r = 0; cf->reps && r < cf->form->n_fields; r++) {
		if (cf->reps[r] && fclose(cf->reps[r]) != 0 &&
		    *status == CAMPO_OK) {
			*status = campo_diag_set(
				diag, CAMPO_ERR_IO, "cannot write '%s-%s.csv'",
				cf->form->id, cf->form->fields[r].name);
		}
	}
	free(cf->reps);
}

/* The open files of form_id, opening them on first use. */
static enum campo_status form_get(struct report_csv *c, const char *form_id,
				  struct csv_form **out,
				  struct campo_diag *diag)
{
	const struct campo_form *form;

	for (size_t i = 0; i < c->n_open; i++) {
		if (!strcmp(c->open[i].form->id, form_id)) {
			*out = &c->open[i];
			return CAMPO_OK;
		}
	}
	form = c->forms->fn(c->forms->ctx, form_id, diag);
	if (!form) {
		return CAMPO_ERR_NOTFOUND;
	}
	if (campo_grow((void **)&c->open, &c->cap_open, c->n_open + 1,
		       sizeof(*c->open)) != 0) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	*out = &c->open[c->n_open++];
	memset(*out, 0, sizeof(**out));
	(*out)->form = form;
	return form_open(c, *out, diag);
}

/* Appends the values of the fields in repeat scope r (-1: top level). */
static enum campo_status values_add(struct report_csv *c,
				    const struct csv_form *cf,
				    const struct campo_store_interview *iv,
				    int32_t r, const uint32_t *idx,
				    struct campo_diag *diag)
{
	const struct campo_form *form = cf->form;
	char key[CAMPO_STORE_KEY_MAX + 1];
	enum campo_status status = CAMPO_OK;

	for (uint32_t i = 0; i < form->n_fields && status == CAMPO_OK; i++) {
		const char *v;

		if (form->fields[i].repeat != r ||
		    !report_field_valued(form, i)) {
			continue;
		}
		if (!report_field_key(form, i, idx, key)) {
			return campo_diag_set(diag, CAMPO_ERR_LIMIT,
					      "key of '%s' too long",
					      form->fields[i].name);
		}
		v = report_answer(iv, key);
		status = value_field(c, cf, i, v ? v : "");
	}
	return status;
}

/* Writes the rows of repeat chain[level] and, at the last level, its
 * values; idx[0..level) hold the enclosing positions. */
static enum campo_status rep_rows(struct report_csv *c,
				  const struct csv_form *cf,
				  const struct campo_store_interview *iv,
				  const uint32_t *chain, size_t n, size_t level,
				  uint32_t *idx, struct campo_diag *diag)
{
	const struct campo_form *form = cf->form;
	uint32_t r = chain[level];
	char key[CAMPO_STORE_KEY_MAX + 1];
	enum campo_status status = CAMPO_OK;
	uint32_t count;

	if (!report_field_key(form, r, idx, key)) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "key of '%s' too long",
				      form->fields[r].name);
	}
	count = report_repeat_count(iv, key);
	for (uint32_t k = 1; k <= count && status == CAMPO_OK; k++) {
		idx[level] = k;
		if (level + 1 < n) {
			status = rep_rows(c, cf, iv, chain, n, level + 1, idx,
					  diag);
			continue;
		}
		status = report_csv_field(&c->row, true, iv->info.instance_id);
		if (status == CAMPO_OK && level > 0) {
			char pos[CAMPO_STORE_KEY_MAX];
			size_t len = 0;

			for (size_t l = 0; l < level; l++) {
				len += (size_t)snprintf(
					pos + len, sizeof(pos) - len, "%s%u",
					l ? "." : "", idx[l]);
			}
			status = report_csv_field(&c->row, false, pos);
		}
		if (status == CAMPO_OK) {
			char pos[16];

			snprintf(pos, sizeof(pos), "%u", k);
			status = report_csv_field(&c->row, false, pos);
		}
		if (status == CAMPO_OK) {
			status = values_add(c, cf, iv, (int32_t)r, idx, diag);
		}
		if (status == CAMPO_OK) {
			status = row_write(c, cf->reps[r], diag);
		}
	}
	return status;
}

static enum campo_status interview_rows(struct report_csv *c,
					struct csv_form *cf,
					const struct campo_store_interview *iv,
					const char *const *extra,
					struct campo_diag *diag)
{
	const struct campo_store_summary *h = &iv->info;
	const char *const head[N_HEAD] = {
		h->instance_id,	 h->deprecated_id,
		h->form_version, campo_store_istatus_name(h->status),
		h->enumerator,	 h->device_id,
		h->started_at,	 h->finalized_at,
	};
	const struct campo_form *form = cf->form;
	uint32_t idx[CAMPO_FORM_MAX_DEPTH + 1] = { 0 };
	enum campo_status status = CAMPO_OK;

	for (size_t i = 0; i < N_HEAD && status == CAMPO_OK; i++) {
		status = report_csv_field(&c->row, i == 0, head[i]);
	}
	for (size_t i = 0; i < c->n_extra && status == CAMPO_OK; i++) {
		status = report_csv_field(&c->row, false, extra[i]);
	}
	if (status == CAMPO_OK) {
		status = values_add(c, cf, iv, -1, idx, diag);
	}
	if (status == CAMPO_OK) {
		status = row_write(c, cf->main, diag);
	}
	for (uint32_t r = 0; r < form->n_fields && status == CAMPO_OK; r++) {
		uint32_t chain[CAMPO_FORM_MAX_DEPTH + 1];
		size_t n;

		if (form->fields[r].type != CAMPO_TYPE_REPEAT) {
			continue;
		}
		n = repeat_chain(form, (int32_t)r, chain);
		status = rep_rows(c, cf, iv, chain, n, 0, idx, diag);
	}
	if (status == CAMPO_ERR_NOMEM) {
		status = campo_diag_set(diag, status, "out of memory");
	}
	return status;
}

enum campo_status report_csv_open(const struct campo_report_forms *forms,
				  const struct report_csv_options *o,
				  struct report_csv **out,
				  struct campo_diag *diag)
{
	struct report_csv *c = campo_calloc(1, sizeof(*c));

	*out = NULL;
	if (!c) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	c->forms = forms;
	c->dir = o->dir;
	c->lang = o->lang;
	c->bom = o->bom;
	c->extra = o->extra;
	c->n_extra = o->n_extra;
	campo_buf_init(&c->row, CAMPO_REPORT_LINE_MAX);
	*out = c;
	return CAMPO_OK;
}

enum campo_status report_csv_add(struct report_csv *c,
				 const struct campo_store_interview *iv,
				 const char *const *extra,
				 struct campo_diag *diag)
{
	struct csv_form *cf = NULL;
	enum campo_status status = form_get(c, iv->info.form_id, &cf, diag);

	return status == CAMPO_OK ? interview_rows(c, cf, iv, extra, diag)
				  : status;
}

enum campo_status report_csv_form(struct report_csv *c, const char *form_id,
				  struct campo_diag *diag)
{
	struct csv_form *cf = NULL;

	return form_get(c, form_id, &cf, diag);
}

enum campo_status report_csv_close(struct report_csv *c,
				   enum campo_status status,
				   struct campo_diag *diag)
{
	if (!c) {
		return status;
	}
	for (size_t i = 0; i < c->n_open; i++) {
		form_close(&c->open[i], &status, diag);
	}
	free(c->open);
	campo_buf_release(&c->row);
	free(c);
	return status;
}

enum campo_status
campo_report_csv_export(struct campo_store *store, const char *form_id,
			const struct campo_report_forms *forms, const char *dir,
			const char *lang, size_t *n, struct campo_diag *diag)
{
	struct report_csv_options o = { .dir = dir, .lang = lang };
	struct report_ids ids = { 0 };
	struct report_csv *c = NULL;
	enum campo_status status;
	size_t written = 0;

	status = report_csv_open(forms, &o, &c, diag);
	if (status == CAMPO_OK) {
		status = report_ids_list(store, form_id, &ids, diag);
	}
	for (size_t i = 0; i < ids.n && status == CAMPO_OK; i++) {
		struct campo_store_interview *iv = NULL;

		status = campo_store_interview_get(store, ids.ids[i], 0, &iv,
						   diag);
		if (status == CAMPO_OK) {
			status = report_csv_add(c, iv, NULL, diag);
		}
		written += status == CAMPO_OK;
		campo_store_interview_free(iv);
	}
	/* With --form-id and nothing to export, still write the headers. */
	if (status == CAMPO_OK && form_id && !c->n_open) {
		status = report_csv_form(c, form_id, diag);
	}
	status = report_csv_close(c, status, diag);
	free(ids.ids);
	if (n) {
		*n = written;
	}
	return status;
}
