/* SPDX-License-Identifier: MIT */
/* Runs one cases.json case: a synthetic form, an instance, compile and
 * evaluate (POLICY.md "The case format"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "form/expr-case.h"
#include "form/expr.h"
#include "util/alloc.h"

#define CASE_MAX_VALUE (1u << 20)

static enum campo_status bad(struct campo_diag *diag, const char *what)
{
	return campo_diag_set(diag, CAMPO_ERR_INVALID, "%s", what);
}

/* The spec of a repeat: its instances and its declared question names. */
static void repeat_parts(const cJSON *spec, const cJSON **instances,
			 const cJSON **names)
{
	*names = NULL;
	if (cJSON_IsArray(spec)) {
		*instances = spec;
		return;
	}
	*instances = cJSON_GetObjectItemCaseSensitive(spec, "instances");
	*names = cJSON_GetObjectItemCaseSensitive(spec, "fields");
}

static bool is_repeat_spec(const cJSON *v)
{
	return cJSON_IsArray(v) || cJSON_IsObject(v);
}

static enum campo_status add_field(struct campo_form *form, int32_t parent,
				   const char *name, enum campo_type type,
				   uint32_t *out, struct campo_diag *diag)
{
	enum campo_status status;
	int32_t found = campo_form_field_find(form, name, strlen(name));

	if (found >= 0) {
		if (form->fields[found].parent != parent) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "question '%s' is in two places",
					      name);
		}
		*out = (uint32_t)found;
		return CAMPO_OK;
	}
	status = campo_form_field_add(form, parent, name, strlen(name), type,
				      out);
	if (status) {
		return campo_diag_set(diag, status, "bad question name '%s'",
				      name);
	}
	return CAMPO_OK;
}

/* Adds repeat `name` under parent, then every question its spec names. */
static enum campo_status add_repeat(struct campo_form *form, int32_t parent,
				    const char *name, const cJSON *spec,
				    struct campo_diag *diag)
{
	const cJSON *instances, *names, *it, *kv;
	enum campo_status status;
	uint32_t rep, f;

	status = add_field(form, parent, name, CAMPO_TYPE_REPEAT, &rep, diag);
	if (status) {
		return status;
	}
	repeat_parts(spec, &instances, &names);
	cJSON_ArrayForEach(it, names)
	{
		if (!cJSON_IsString(it)) {
			return bad(diag, "repeat fields must be strings");
		}
		status = add_field(form, (int32_t)rep, it->valuestring,
				   CAMPO_TYPE_TEXT, &f, diag);
		if (status) {
			return status;
		}
	}
	cJSON_ArrayForEach(it, instances)
	{
		if (!cJSON_IsObject(it)) {
			return bad(diag, "a repeat instance must be an object");
		}
		cJSON_ArrayForEach(kv, it)
		{
			if (is_repeat_spec(kv)) {
				status = add_repeat(form, (int32_t)rep,
						    kv->string, kv, diag);
			} else {
				status = add_field(form, (int32_t)rep,
						   kv->string, CAMPO_TYPE_TEXT,
						   &f, diag);
			}
			if (status) {
				return status;
			}
		}
	}
	return CAMPO_OK;
}

static enum campo_status set_value(struct campo_inode *node,
				   const struct campo_form *form,
				   const cJSON *kv, struct campo_diag *diag)
{
	int32_t f = campo_form_field_find(form, kv->string, strlen(kv->string));
	char num[64];
	const char *s = num;

	if (cJSON_IsString(kv)) {
		s = kv->valuestring;
	} else if (cJSON_IsNumber(kv)) {
		snprintf(num, sizeof(num), "%.17g", kv->valuedouble);
	} else if (cJSON_IsNull(kv)) {
		s = "";
	} else {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "value of '%s' must be a string",
				      kv->string);
	}
	return campo_inode_set(node, (uint32_t)f, s, strlen(s));
}

static enum campo_status fill_repeat(struct campo_inode *parent,
				     const struct campo_form *form,
				     const cJSON *rkv, struct campo_diag *diag)
{
	int32_t rep =
		campo_form_field_find(form, rkv->string, strlen(rkv->string));
	const cJSON *instances, *names, *it, *kv;
	enum campo_status status;

	repeat_parts(rkv, &instances, &names);
	cJSON_ArrayForEach(it, instances)
	{
		struct campo_inode *node;

		status = campo_inode_add(parent, (uint32_t)rep, &node);
		if (status) {
			return status;
		}
		cJSON_ArrayForEach(kv, it)
		{
			status = is_repeat_spec(kv)
					 ? fill_repeat(node, form, kv, diag)
					 : set_value(node, form, kv, diag);
			if (status) {
				return status;
			}
		}
	}
	return CAMPO_OK;
}

static enum campo_status add_choice(struct campo_form *form,
				    const cJSON *choice, size_t *list,
				    struct campo_diag *diag)
{
	struct campo_choice_list *l;
	struct campo_choice *ch;
	enum campo_status status;
	const cJSON *kv;
	size_t n = 0;

	status = campo_form_list_add(form, "choices", 7, list);
	if (status) {
		return status;
	}
	l = &form->lists[*list];
	l->choices = campo_calloc(1, sizeof(*l->choices));
	l->columns = campo_calloc((size_t)cJSON_GetArraySize(choice) + 1,
				  sizeof(*l->columns));
	if (!l->choices || !l->columns) {
		return CAMPO_ERR_NOMEM;
	}
	l->n_choices = 1;
	ch = &l->choices[0];
	ch->label.text = campo_calloc(form->n_languages, sizeof(char *));
	ch->values = campo_calloc((size_t)cJSON_GetArraySize(choice) + 1,
				  sizeof(*ch->values));
	if (!ch->label.text || !ch->values) {
		return CAMPO_ERR_NOMEM;
	}
	cJSON_ArrayForEach(kv, choice)
	{
		char **slot;

		if (!cJSON_IsString(kv)) {
			return bad(diag, "choice values must be strings");
		}
		if (!strcmp(kv->string, "name")) {
			slot = &ch->name;
		} else if (!strcmp(kv->string, "label")) {
			slot = &ch->label.text[0];
		} else {
			l->columns[n] = campo_strdup(kv->string);
			if (!l->columns[n]) {
				return CAMPO_ERR_NOMEM;
			}
			slot = &ch->values[n++];
			l->n_columns = n;
		}
		free(*slot);
		*slot = campo_strdup(kv->valuestring);
		if (!*slot) {
			return CAMPO_ERR_NOMEM;
		}
	}
	if (!ch->name) {
		ch->name = campo_strdup("");
		if (!ch->name) {
			return CAMPO_ERR_NOMEM;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (!ch->values[k]) {
			return CAMPO_ERR_NOMEM;
		}
	}
	return CAMPO_OK;
}

static const char *string_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Runs the parsed case; failures of the expression land in out. */
static enum campo_status run_case(const cJSON *root, int64_t now_ms,
				  struct campo_expr_case *out,
				  struct campo_diag *diag)
{
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(root, "fields");
	const cJSON *repeats =
		cJSON_GetObjectItemCaseSensitive(root, "repeats");
	const cJSON *context =
		cJSON_GetObjectItemCaseSensitive(root, "context");
	const cJSON *choice = cJSON_GetObjectItemCaseSensitive(root, "choice");
	const cJSON *kv;
	struct campo_form *form;
	struct campo_instance *inst = NULL;
	struct campo_expr *e = NULL;
	struct campo_diag ediag;
	struct campo_eval ev;
	struct campo_buf buf;
	enum campo_status status;
	int32_t ctx_field = -1, list = -1;
	struct campo_inode *node;
	size_t lang, l;
	uint32_t f;

	form = campo_form_new();
	if (!form) {
		return CAMPO_ERR_NOMEM;
	}
	status = campo_form_language_add(form, "default", &lang);
	if (status) {
		goto out_free_form;
	}
	cJSON_ArrayForEach(kv, fields)
	{
		status = add_field(form, -1, kv->string, CAMPO_TYPE_TEXT, &f,
				   diag);
		if (status) {
			goto out_free_form;
		}
	}
	cJSON_ArrayForEach(kv, repeats)
	{
		status = add_repeat(form, -1, kv->string, kv, diag);
		if (status) {
			goto out_free_form;
		}
	}
	if (cJSON_IsObject(choice)) {
		status = add_choice(form, choice, &l, diag);
		if (status) {
			goto out_free_form;
		}
		list = (int32_t)l;
	}
	inst = campo_instance_new(form);
	if (!inst) {
		status = CAMPO_ERR_NOMEM;
		goto out_free_form;
	}
	node = campo_instance_root(inst);
	cJSON_ArrayForEach(kv, fields)
	{
		status = set_value(node, form, kv, diag);
		if (status) {
			goto out_free_inst;
		}
	}
	cJSON_ArrayForEach(kv, repeats)
	{
		status = fill_repeat(node, form, kv, diag);
		if (status) {
			goto out_free_inst;
		}
	}
	if (cJSON_IsObject(context)) {
		const char *fname = string_of(context, "field");
		const char *rname = string_of(context, "repeat");
		const cJSON *index =
			cJSON_GetObjectItemCaseSensitive(context, "index");

		if (rname) {
			int32_t r = campo_form_field_find(form, rname,
							  strlen(rname));
			double i =
				cJSON_IsNumber(index) ? index->valuedouble : 1;

			node = r >= 0 && i >= 1 && i < 1e9
				       ? campo_inode_child(node, (uint32_t)r,
							   (size_t)i)
				       : NULL;
			if (!node) {
				status = bad(diag, "no such repeat instance");
				goto out_free_inst;
			}
		}
		if (fname) {
			ctx_field = campo_form_field_find(form, fname,
							  strlen(fname));
			if (ctx_field < 0) {
				status = bad(diag, "unknown context field");
				goto out_free_inst;
			}
		}
	}

	campo_diag_init(&ediag);
	status = campo_expr_compile(form, ctx_field, list, out->expr,
				    strlen(out->expr), &e, &ediag);
	campo_eval_init(&ev, inst);
	ev.node = node;
	ev.field = ctx_field;
	ev.list = list;
	ev.choice = 0;
	ev.now_ms = now_ms;
	campo_buf_init(&buf, CASE_MAX_VALUE);
	if (!status) {
		status = campo_expr_eval_text(e, &ev, &buf, &ediag);
	}
	if (!status) {
		status = campo_expr_eval_bool(e, &ev, &out->boolean, &ediag);
	}
	if (!status) {
		out->value = campo_strdup(campo_buf_str(&buf));
		status = out->value ? CAMPO_OK : CAMPO_ERR_NOMEM;
	} else if (status != CAMPO_ERR_NOMEM) {
		out->failed = true;
		if (!ediag.msg[0]) {
			snprintf(ediag.msg, sizeof(ediag.msg), "%s",
				 campo_status_str(status));
		}
		campo_diag_format(&ediag, out->error, sizeof(out->error));
		status = CAMPO_OK;
	}
	campo_buf_release(&buf);
	campo_eval_release(&ev);
	campo_expr_free(e);
out_free_inst:
	campo_instance_free(inst);
out_free_form:
	campo_form_free(form);
	return status;
}

enum campo_status campo_expr_case_run(const char *json, size_t len,
				      int64_t now_ms,
				      struct campo_expr_case *out,
				      struct campo_diag *diag)
{
	const char *end = NULL;
	cJSON *root, *id;
	const char *expr;
	enum campo_status status;

	memset(out, 0, sizeof(*out));
	root = cJSON_ParseWithLengthOpts(json, len, &end, false);
	if (!root) {
		if (diag) {
			diag->column = end ? (unsigned)(end - json) + 1 : 0;
		}
		return campo_diag_set(diag, CAMPO_ERR_PARSE, "not valid JSON");
	}
	if (!cJSON_IsObject(root)) {
		status = bad(diag, "a case must be a JSON object");
		goto out_delete;
	}
	expr = string_of(root, "expr");
	if (!expr) {
		status = bad(diag, "a case needs \"expr\", a string");
		goto out_delete;
	}
	id = cJSON_GetObjectItemCaseSensitive(root, "id");
	out->id = id ? cJSON_PrintUnformatted(id) : campo_strdup("null");
	out->expr = campo_strdup(expr);
	if (!out->id || !out->expr) {
		status = CAMPO_ERR_NOMEM;
		goto out_delete;
	}
	status = run_case(root, now_ms, out, diag);
out_delete:
	cJSON_Delete(root);
	if (status) {
		campo_expr_case_release(out);
	}
	return status;
}

void campo_expr_case_release(struct campo_expr_case *c)
{
	if (!c) {
		return;
	}
	free(c->id);
	free(c->expr);
	free(c->value);
	c->id = c->expr = c->value = NULL;
}
