/* SPDX-License-Identifier: MIT */
/* The JSON Lines import: parse, validate as if typed, then write. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "form/expr.h"
#include "form/instance.h"
#include "form/value.h"
#include "report-internal.h"
#include "util/alloc.h"

/*
 * Validation uses lib/form directly (types, choice codes, constraints,
 * required questions), not collector/session.c: a library cannot depend on
 * a program's files, and the session saves each answer as it is given
 * while an import must check the whole line before writing anything.
 */

/* One answer of the line: its key, value (borrowed from the JSON tree),
 * field and the instance node it belongs to. */
struct ans {
	char key[CAMPO_STORE_KEY_MAX + 1];
	char *value;
	uint32_t field;
	struct campo_inode *node;
};

/* Everything the line says, checked. Strings borrowed from the tree. */
struct line {
	const char *id, *deprecated_id, *form_id, *form_version, *status;
	const char *enumerator, *device_id, *started_at, *finalized_at;
	enum campo_store_istatus istatus;
	const struct campo_form *form;
	struct campo_instance *inst;
	struct ans *ans;
	size_t n_ans, cap_ans;
	/* repeat instances in pre-order ("member[1]", "member[1]/trip[1]") */
	char (*inst_keys)[CAMPO_STORE_KEY_MAX + 1];
	size_t n_inst, cap_inst;
	/* repeat counts as the store keeps them ("member", "member[1]/trip") */
	struct campo_store_repeat *reps;
	size_t n_reps, cap_reps;
};

static void line_release(struct line *l)
{
	campo_instance_free(l->inst);
	free(l->ans);
	free(l->inst_keys);
	for (size_t i = 0; i < l->n_reps; i++) {
		free(l->reps[i].key);
	}
	free(l->reps);
}

/* Sets diag->path to key with '/' as '.': "member[2].age". */
static void path_set(struct campo_diag *diag, const char *key)
{
	char p[CAMPO_DIAG_PATH];
	size_t i;

	if (!diag) {
		return;
	}
	for (i = 0; key[i] && i + 1 < sizeof(p); i++) {
		p[i] = key[i] == '/' ? '.' : key[i];
	}
	p[i] = '\0';
	campo_diag_set_path(diag, "%s", p);
}

/* Whether object obj has two members of the same name; *dup gets it. */
static bool has_duplicate(const cJSON *obj, const char **dup)
{
	for (const cJSON *a = obj->child; a; a = a->next) {
		for (const cJSON *b = a->next; b; b = b->next) {
			if (!strcmp(a->string, b->string)) {
				*dup = a->string;
				return true;
			}
		}
	}
	return false;
}

static const char *key_join(char out[CAMPO_STORE_KEY_MAX + 1],
			    const char *prefix, const char *name,
			    uint32_t index)
{
	int n;

	if (index) {
		n = snprintf(out, CAMPO_STORE_KEY_MAX + 1, "%s%s[%u]", prefix,
			     name, index);
	} else {
		n = snprintf(out, CAMPO_STORE_KEY_MAX + 1, "%s%s", prefix,
			     name);
	}
	return n < 0 || n > CAMPO_STORE_KEY_MAX ? NULL : out;
}

/*
 * Reads object obj, the data of container c (-1: the root) whose answers
 * live in node, keys under prefix ("" or "member[2]/").
 */
static enum campo_status data_read(struct line *l, const cJSON *obj, int32_t c,
				   struct campo_inode *node, const char *prefix,
				   struct campo_diag *diag)
{
	const struct campo_form *form = l->form;
	const char *dup;
	char key[CAMPO_STORE_KEY_MAX + 1];
	enum campo_status status = CAMPO_OK;

	if (has_duplicate(obj, &dup)) {
		key_join(key, prefix, dup, 0);
		path_set(diag, key);
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "duplicate key '%s'", dup);
	}
	for (const cJSON *m = obj->child; m && status == CAMPO_OK;
	     m = m->next) {
		int32_t f = campo_form_field_find(form, m->string,
						  strlen(m->string));
		const struct campo_field *fd;

		if (!key_join(key, prefix, m->string, 0)) {
			return campo_diag_set(diag, CAMPO_ERR_LIMIT,
					      "key too long");
		}
		if (f < 0 || form->fields[f].parent != c) {
			path_set(diag, key);
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      f < 0 ? "no question '%s' in the "
						      "form"
						    : "'%s' is not in this "
						      "group or repeat",
					      m->string);
		}
		fd = &form->fields[f];
		if (fd->type == CAMPO_TYPE_GROUP) {
			char sub[CAMPO_STORE_KEY_MAX + 2];

			if (strlen(key) >= CAMPO_STORE_KEY_MAX) {
				return campo_diag_set(diag, CAMPO_ERR_LIMIT,
						      "key too long");
			}
			if (!cJSON_IsObject(m)) {
				path_set(diag, key);
				return campo_diag_set(diag, CAMPO_ERR_INVALID,
						      "a group is an object");
			}
			snprintf(sub, sizeof(sub), "%s/", key);
			status = data_read(l, m, f, node, sub, diag);
		} else if (fd->type == CAMPO_TYPE_REPEAT) {
			uint32_t k = 0;

			if (!cJSON_IsArray(m)) {
				path_set(diag, key);
				return campo_diag_set(diag, CAMPO_ERR_INVALID,
						      "a repeat is an array of "
						      "objects");
			}
			for (const cJSON *e = m->child; e && status == CAMPO_OK;
			     e = e->next) {
				struct campo_inode *child = NULL;
				char sub[CAMPO_STORE_KEY_MAX + 2];

				k++;
				if (!key_join(sub, prefix, m->string, k)) {
					return campo_diag_set(diag,
							      CAMPO_ERR_LIMIT,
							      "key too long");
				}
				if (!cJSON_IsObject(e)) {
					path_set(diag, sub);
					return campo_diag_set(
						diag, CAMPO_ERR_INVALID,
						"a repeat instance is an "
						"object");
				}
				if (campo_grow((void **)&l->inst_keys,
					       &l->cap_inst, l->n_inst + 1,
					       sizeof(*l->inst_keys)) != 0 ||
				    campo_inode_add(node, (uint32_t)f,
						    &child) != CAMPO_OK) {
					return campo_diag_set(diag,
							      CAMPO_ERR_NOMEM,
							      "out of memory");
				}
				memcpy(l->inst_keys[l->n_inst++], sub,
				       strlen(sub) + 1);
				if (strlen(sub) >= CAMPO_STORE_KEY_MAX) {
					return campo_diag_set(diag,
							      CAMPO_ERR_LIMIT,
							      "key too long");
				}
				strcat(sub, "/");
				status = data_read(l, e, f, child, sub, diag);
			}
			if (status == CAMPO_OK && k) {
				struct campo_store_repeat *r;

				if (campo_grow((void **)&l->reps, &l->cap_reps,
					       l->n_reps + 1,
					       sizeof(*l->reps)) != 0) {
					return campo_diag_set(diag,
							      CAMPO_ERR_NOMEM,
							      "out of memory");
				}
				r = &l->reps[l->n_reps];
				r->key = campo_strdup(key);
				r->count = k;
				if (!r->key) {
					return campo_diag_set(diag,
							      CAMPO_ERR_NOMEM,
							      "out of memory");
				}
				l->n_reps++;
			}
		} else if (!campo_type_info(fd->type)->has_value) {
			path_set(diag, key);
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "'%s' is a %s: it takes no "
					      "answer",
					      m->string,
					      campo_type_info(fd->type)->name);
		} else if (!cJSON_IsString(m)) {
			path_set(diag, key);
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "an answer is a string");
		} else if (*m->valuestring) {
			struct ans *a;

			if (campo_grow((void **)&l->ans, &l->cap_ans,
				       l->n_ans + 1, sizeof(*l->ans)) != 0 ||
			    campo_inode_set(node, (uint32_t)f, m->valuestring,
					    strlen(m->valuestring)) !=
				    CAMPO_OK) {
				return campo_diag_set(diag, CAMPO_ERR_NOMEM,
						      "out of memory");
			}
			a = &l->ans[l->n_ans++];
			memcpy(a->key, key, sizeof(key));
			a->value = m->valuestring;
			a->field = (uint32_t)f;
			a->node = node;
		}
	}
	return status;
}

/* ----- values as if typed ----- */

static enum campo_status value_check(const struct line *l, const struct ans *a,
				     struct campo_diag *diag)
{
	const struct campo_form *form = l->form;
	const struct campo_field *f = &form->fields[a->field];
	const char *v = a->value;
	bool ok = true;

	switch (f->type) {
	case CAMPO_TYPE_SELECT_ONE:
	case CAMPO_TYPE_SELECT_MULTIPLE: {
		const struct campo_choice_list *list = &form->lists[f->list];
		bool multi = f->type == CAMPO_TYPE_SELECT_MULTIPLE;

		for (const char *p = v; ok;) {
			size_t len = strcspn(p, " ");

			if (!len || (!multi && p[len]) ||
			    campo_form_choice_find(list, p, len) < 0) {
				path_set(diag, a->key);
				if (!len) {
					return campo_diag_set(
						diag, CAMPO_ERR_INVALID,
						"'%s': codes are separated by "
						"one space",
						v);
				}
				return campo_diag_set(
					diag, CAMPO_ERR_INVALID,
					"'%.*s' is not a choice of list '%s'",
					(int)(multi ? len : strlen(p)), p,
					list->name);
			}
			/* a code given twice */
			for (const char *q = v; q < p;) {
				size_t ql = strcspn(q, " ");

				if (ql == len && !memcmp(p, q, len)) {
					path_set(diag, a->key);
					return campo_diag_set(
						diag, CAMPO_ERR_INVALID,
						"choice '%.*s' given twice",
						(int)len, p);
				}
				q += ql + 1;
			}
			if (!p[len]) {
				break;
			}
			p += len + 1;
		}
		break;
	}
	default: {
		/* a stored value is valid when typing it stores it unchanged */
		struct campo_buf norm;
		enum campo_value_error err;
		size_t len = strlen(v);

		campo_buf_init(&norm, CAMPO_VALUE_TEXT_MAX);
		err = campo_value_normalize(f->type, v, len, &norm);
		if (err == CAMPO_VALUE_NOMEM) {
			campo_buf_release(&norm);
			return CAMPO_ERR_NOMEM;
		}
		ok = err == CAMPO_VALUE_OK && norm.len == len &&
		     !memcmp(campo_buf_str(&norm), v, len);
		campo_buf_release(&norm);
		break;
	}
	}
	if (!ok) {
		path_set(diag, a->key);
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "'%s' is not a valid %s", v,
				      campo_type_info(f->type)->name);
	}
	return CAMPO_OK;
}

/* The form's message in its default language, or fallback. */
static const char *message(const struct campo_form *form,
			   const struct campo_i18n *t, const char *fallback)
{
	const char *m =
		t->text ? campo_i18n_get(form, t, form->default_language)
			: NULL;

	return m && *m ? m : fallback;
}

static enum campo_status eval_bool(const struct campo_expr *e,
				   struct campo_eval *ev,
				   const struct campo_inode *node,
				   uint32_t field, bool *out, const char *key,
				   struct campo_diag *diag)
{
	enum campo_status status;

	ev->node = node;
	ev->field = (int32_t)field;
	status = campo_expr_eval_bool(e, ev, out, diag);
	if (status != CAMPO_OK) {
		path_set(diag, key);
	}
	return status;
}

/* Whether field (and every enclosing group and repeat) is relevant at
 * node. */
static enum campo_status relevant(const struct campo_form *form,
				  struct campo_eval *ev,
				  const struct campo_inode *node,
				  uint32_t field, bool *out, const char *key,
				  struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;

	*out = true;
	for (int32_t x = (int32_t)field; x >= 0 && *out && !status;
	     x = form->fields[x].parent) {
		if (form->fields[x].relevant) {
			status = eval_bool(form->fields[x].relevant, ev, node,
					   (uint32_t)x, out, key, diag);
		}
	}
	return status;
}

/* Index positions of node's repeat instances, outermost first. */
static void node_idx(const struct campo_inode *node, uint32_t *idx)
{
	size_t n = 0;

	for (const struct campo_inode *x = node; campo_inode_parent(x);
	     x = campo_inode_parent(x)) {
		n++;
	}
	for (const struct campo_inode *x = node; campo_inode_parent(x);
	     x = campo_inode_parent(x)) {
		idx[--n] = campo_inode_position(x);
	}
}

/* Required questions of scope r at node (and nested instances) that are
 * relevant and unanswered. */
static enum campo_status required_check(const struct line *l,
					struct campo_eval *ev,
					const struct campo_inode *node,
					int32_t r, struct campo_diag *diag)
{
	const struct campo_form *form = l->form;
	uint32_t idx[CAMPO_FORM_MAX_DEPTH + 1] = { 0 };
	char key[CAMPO_STORE_KEY_MAX + 1];
	enum campo_status status = CAMPO_OK;

	node_idx(node, idx);
	for (uint32_t i = 0; i < form->n_fields && status == CAMPO_OK; i++) {
		const struct campo_field *f = &form->fields[i];
		bool rel, req = false;

		if (f->repeat != r) {
			continue;
		}
		if (f->type == CAMPO_TYPE_REPEAT) {
			size_t n = campo_inode_count(node, i);

			for (size_t k = 1; k <= n && status == CAMPO_OK; k++) {
				status = required_check(
					l, ev, campo_inode_child(node, i, k),
					(int32_t)i, diag);
			}
			continue;
		}
		if (!f->required || f->type == CAMPO_TYPE_CALCULATE ||
		    !campo_type_info(f->type)->has_value ||
		    *campo_inode_value(node, i)) {
			continue;
		}
		if (!report_field_key(form, i, idx, key)) {
			return campo_diag_set(diag, CAMPO_ERR_LIMIT,
					      "key too long");
		}
		status = relevant(form, ev, node, i, &rel, key, diag);
		if (status == CAMPO_OK && rel) {
			status = eval_bool(f->required, ev, node, i, &req, key,
					   diag);
		}
		if (status == CAMPO_OK && rel && req) {
			path_set(diag, key);
			return campo_diag_set(
				diag, CAMPO_ERR_INVALID, "%s",
				message(form, &f->required_message,
					"required question unanswered in a "
					"finalized interview"));
		}
	}
	return status;
}

/*
 * Computes calculation f at every instance of its scope under node where
 * the line gave no value, so constraints and relevance that read it see
 * what the session would have stored. Only for validation: the line's own
 * values are what is written.
 */
static enum campo_status calc_fill(const struct campo_form *form,
				   struct campo_eval *ev,
				   struct campo_inode *node, uint32_t f,
				   struct campo_buf *tmp)
{
	int32_t scope = campo_inode_repeat(node);
	enum campo_status status = CAMPO_OK;

	if (scope == form->fields[f].repeat && !*campo_inode_value(node, f)) {
		ev->node = node;
		ev->field = (int32_t)f;
		campo_buf_reset(tmp);
		/* a calculation that fails leaves the value empty */
		if (campo_expr_eval_text(form->fields[f].calculation, ev, tmp,
					 NULL) == CAMPO_OK &&
		    tmp->len) {
			status = campo_inode_set(node, f, campo_buf_str(tmp),
						 tmp->len);
		}
	}
	for (uint32_t r = 0; r < form->n_fields && status == CAMPO_OK; r++) {
		size_t n;

		if (form->fields[r].type != CAMPO_TYPE_REPEAT ||
		    form->fields[r].repeat != scope) {
			continue;
		}
		n = campo_inode_count(node, r);
		for (size_t k = 1; k <= n && status == CAMPO_OK; k++) {
			status = calc_fill(form, ev,
					   campo_inode_child(node, r, k), f,
					   tmp);
		}
	}
	return status;
}

static enum campo_status validate(struct line *l, struct campo_diag *diag)
{
	const struct campo_form *form = l->form;
	struct campo_eval ev;
	enum campo_status status = CAMPO_OK;

	for (size_t i = 0; i < l->n_ans && status == CAMPO_OK; i++) {
		status = value_check(l, &l->ans[i], diag);
	}
	campo_eval_init(&ev, l->inst);
	if (status == CAMPO_OK) {
		struct campo_buf tmp;

		campo_buf_init(&tmp, CAMPO_STORE_VALUE_MAX);
		for (size_t k = 0; k < form->n_calc_order && status == CAMPO_OK;
		     k++) {
			status = calc_fill(form, &ev,
					   campo_instance_root(l->inst),
					   form->calc_order[k], &tmp);
		}
		campo_buf_release(&tmp);
		if (status != CAMPO_OK) {
			status = campo_diag_set(diag, status, "out of memory");
		}
	}
	for (size_t i = 0; i < l->n_ans && status == CAMPO_OK; i++) {
		const struct ans *a = &l->ans[i];
		const struct campo_field *f = &form->fields[a->field];
		bool ok = true;

		if (!f->constraint || f->type == CAMPO_TYPE_CALCULATE) {
			continue;
		}
		status = eval_bool(f->constraint, &ev, a->node, a->field, &ok,
				   a->key, diag);
		if (status == CAMPO_OK && !ok) {
			path_set(diag, a->key);
			status = campo_diag_set(
				diag, CAMPO_ERR_INVALID, "'%s': %s", a->value,
				message(form, &f->constraint_message,
					campo_expr_source(f->constraint)));
		}
	}
	if (status == CAMPO_OK && l->istatus != CAMPO_STORE_DRAFT) {
		status = required_check(
			l, &ev, campo_instance_root_const(l->inst), -1, diag);
	}
	campo_eval_release(&ev);
	return status;
}

/* ----- the header ----- */

/* "2024-05-01T12:34:56.789Z" to ms since 1970; false when malformed. */
static bool time_parse(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	struct campo_buf norm;
	int y, mo, d, h, mi, sec, milli;
	bool ok;
	time_t t;

	/* the store's own shape: a valid datetime, to the millisecond, UTC */
	if (strlen(s) != CAMPO_STORE_TIME_LEN || s[19] != '.' || s[23] != 'Z') {
		return false;
	}
	campo_buf_init(&norm, CAMPO_STORE_TIME_LEN);
	ok = campo_value_normalize(CAMPO_TYPE_DATETIME, s, CAMPO_STORE_TIME_LEN,
				   &norm) == CAMPO_VALUE_OK &&
	     !strcmp(campo_buf_str(&norm), s) &&
	     sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi,
		    &sec, &milli) == 7;
	campo_buf_release(&norm);
	if (!ok) {
		return false;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t < 0) {
		return false;
	}
	*ms = (int64_t)t * 1000 + milli;
	return true;
}

static enum campo_status header_read(struct line *l, const cJSON *root,
				     const cJSON **data,
				     struct campo_diag *diag)
{
	static const char *const names[] = {
		"instance_id",	"deprecated_id", "form_id",
		"form_version", "status",	 "enumerator",
		"device_id",	"started_at",	 "finalized_at",
	};
	const char **slots[] = {
		&l->id,		  &l->deprecated_id, &l->form_id,
		&l->form_version, &l->status,	     &l->enumerator,
		&l->device_id,	  &l->started_at,    &l->finalized_at,
	};
	const char *dup;

	if (!cJSON_IsObject(root)) {
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "a line is one JSON object");
	}
	if (has_duplicate(root, &dup)) {
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "duplicate key '%s'", dup);
	}
	*data = NULL;
	for (const cJSON *m = root->child; m; m = m->next) {
		size_t i;

		if (!strcmp(m->string, "data")) {
			if (!cJSON_IsObject(m)) {
				return campo_diag_set(diag, CAMPO_ERR_INVALID,
						      "'data' is an object");
			}
			*data = m;
			continue;
		}
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (!strcmp(m->string, names[i])) {
				break;
			}
		}
		if (i == sizeof(names) / sizeof(names[0])) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "unknown key '%s'", m->string);
		}
		if (!cJSON_IsString(m)) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "'%s' is a string", m->string);
		}
		*slots[i] = m->valuestring;
	}
	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		if (!*slots[i]) {
			*slots[i] = "";
		}
	}
	if (!*l->id || !*l->form_id || !*l->status || !*data) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "a line needs 'instance_id', 'form_id', "
				      "'status' and 'data'");
	}
	if (!strcmp(l->status, "draft")) {
		l->istatus = CAMPO_STORE_DRAFT;
	} else if (!strcmp(l->status, "finalized") ||
		   !strcmp(l->status, "sent") ||
		   !strcmp(l->status, "returned")) {
		l->istatus = CAMPO_STORE_FINALIZED;
	} else {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "status '%s' cannot be imported "
				      "(draft, finalized, sent, returned)",
				      l->status);
	}
	if (*l->deprecated_id) {
		/* The store makes revisions only from their original. */
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "revisions (deprecated_id '%s') cannot "
				      "be imported yet",
				      l->deprecated_id);
	}
	if (l->istatus == CAMPO_STORE_DRAFT && *l->finalized_at) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "a draft has no 'finalized_at'");
	}
	return CAMPO_OK;
}

/* ----- comparing with what the store has ----- */

static int ans_cmp(const void *a, const void *b)
{
	return strcmp(((const struct campo_store_answer *)a)->key,
		      ((const struct campo_store_answer *)b)->key);
}

static int rep_cmp(const void *a, const void *b)
{
	return strcmp(((const struct campo_store_repeat *)a)->key,
		      ((const struct campo_store_repeat *)b)->key);
}

/*
 * Whether the line says what old holds: both rendered as export lines,
 * the line taking old's device id, and a finalized line matching a sent
 * interview.
 */
static enum campo_status same_content(const struct line *l,
				      const struct campo_store_interview *old,
				      bool *same, struct campo_diag *diag)
{
	struct campo_store_interview cand = { 0 };
	struct campo_buf a, b;
	enum campo_status status = CAMPO_ERR_NOMEM;

	cand.info = old->info;
	cand.info.form_version =
		*l->form_version ? l->form_version : l->form->version;
	if (*l->enumerator) {
		cand.info.enumerator = l->enumerator;
	}
	if (*l->started_at) {
		cand.info.started_at = l->started_at;
	}
	cand.info.finalized_at = l->finalized_at;
	if (l->istatus == CAMPO_STORE_DRAFT ||
	    old->info.status == CAMPO_STORE_DRAFT) {
		cand.info.status = l->istatus;
	}
	if (l->istatus != CAMPO_STORE_DRAFT && !*l->finalized_at) {
		cand.info.finalized_at = old->info.finalized_at;
	}
	cand.answers = campo_calloc(l->n_ans + 1, sizeof(*cand.answers));
	cand.repeats = campo_calloc(l->n_reps + 1, sizeof(*cand.repeats));
	campo_buf_init(&a, CAMPO_REPORT_LINE_MAX);
	campo_buf_init(&b, CAMPO_REPORT_LINE_MAX);
	if (!cand.answers || !cand.repeats) {
		goto out_free;
	}
	for (size_t i = 0; i < l->n_ans; i++) {
		cand.answers[i].key = l->ans[i].key;
		cand.answers[i].value = l->ans[i].value;
	}
	cand.n_answers = l->n_ans;
	if (l->n_reps) {
		/* l->reps is NULL when the line has no repeats */
		memcpy(cand.repeats, l->reps, l->n_reps * sizeof(*l->reps));
	}
	cand.n_repeats = l->n_reps;
	qsort(cand.answers, cand.n_answers, sizeof(*cand.answers), ans_cmp);
	qsort(cand.repeats, cand.n_repeats, sizeof(*cand.repeats), rep_cmp);
	status = campo_report_jsonl_line(l->form, old, &a, diag);
	if (status == CAMPO_OK) {
		status = campo_report_jsonl_line(l->form, &cand, &b, diag);
	}
	*same = status == CAMPO_OK && a.len == b.len &&
		!memcmp(campo_buf_str(&a), campo_buf_str(&b), a.len);
out_free:
	campo_buf_release(&a);
	campo_buf_release(&b);
	free(cand.answers);
	free(cand.repeats);
	if (status == CAMPO_ERR_NOMEM) {
		return campo_diag_set(diag, status, "out of memory");
	}
	return status;
}

/* ----- writing ----- */

static enum campo_status write_all(struct campo_store *store,
				   const struct line *l,
				   struct campo_report_clock *clock,
				   struct campo_diag *diag)
{
	struct campo_store_new_interview nw = {
		.instance_id = l->id,
		.form_id = l->form->id,
		.form_version = l->form->version,
		.form_hash = "",
		.enumerator = l->enumerator,
		.device_id = l->device_id,
	};
	struct campo_buf name;
	enum campo_status status = CAMPO_OK;
	int64_t ms = 0;

	campo_buf_init(&name, CAMPO_STORE_TEXT_MAX);
	if (l->form->instance_name) {
		struct campo_eval ev;

		campo_eval_init(&ev, l->inst);
		/* a name that cannot be computed is left empty */
		if (campo_expr_eval_text(l->form->instance_name, &ev, &name,
					 NULL) != CAMPO_OK) {
			campo_buf_reset(&name);
		}
		campo_eval_release(&ev);
	}
	nw.instance_name = campo_buf_str(&name);
	if (clock && *l->started_at && time_parse(l->started_at, &ms)) {
		clock->wall_ms = ms;
	}
	status = campo_store_interview_create(store, &nw, diag);
	for (size_t i = 0; i < l->n_inst && status == CAMPO_OK; i++) {
		status = campo_store_repeat_add(store, l->id, l->inst_keys[i],
						diag);
	}
	for (size_t i = 0; i < l->n_ans && status == CAMPO_OK; i++) {
		status = campo_store_answer_save(store, l->id, l->ans[i].key,
						 l->ans[i].value,
						 strlen(l->ans[i].value), diag);
	}
	if (status == CAMPO_OK && l->istatus != CAMPO_STORE_DRAFT) {
		if (clock) {
			clock->wall_ms = 0;
			if (*l->finalized_at &&
			    time_parse(l->finalized_at, &ms)) {
				clock->wall_ms = ms;
			}
		}
		status = campo_store_interview_finalize(store, l->id, NULL,
							diag);
	}
	if (clock) {
		clock->wall_ms = 0;
	}
	campo_buf_release(&name);
	return status;
}

int campo_report_clock_read(void *ctx, int64_t *wall_ms, int64_t *mono_ms)
{
	const struct campo_report_clock *c = ctx;
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		return -1;
	}
	*mono_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (c && c->wall_ms > 0) {
		*wall_ms = c->wall_ms;
		return 0;
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		return -1;
	}
	*wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return 0;
}

enum campo_status campo_report_import_line(
	struct campo_store *store, const struct campo_report_forms *forms,
	struct campo_report_clock *clock, const char *text, size_t len,
	enum campo_report_import_result *result, struct campo_diag *diag)
{
	struct line l = { 0 };
	struct campo_store_interview *old = NULL;
	const char *end = NULL;
	const cJSON *data = NULL;
	cJSON *root;
	enum campo_status status;
	int64_t ms;

	*result = CAMPO_REPORT_UNCHANGED;
	if (len > CAMPO_REPORT_LINE_MAX) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "line longer than %u bytes",
				      (unsigned)CAMPO_REPORT_LINE_MAX);
	}
	if (memchr(text, '\0', len)) {
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "a NUL byte in the line");
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "not valid JSON at column %zu",
				      (size_t)(end ? end - text : 0) + 1);
	}
	for (; end && end < text + len; end++) {
		if (!strchr(" \t\r\n", *end)) {
			status = campo_diag_set(diag, CAMPO_ERR_PARSE,
						"text after the object at "
						"column %zu",
						(size_t)(end - text) + 1);
			goto out_free_tree;
		}
	}
	status = header_read(&l, root, &data, diag);
	if (status != CAMPO_OK) {
		goto out_free_tree;
	}
	if ((*l.started_at && !time_parse(l.started_at, &ms)) ||
	    (*l.finalized_at && !time_parse(l.finalized_at, &ms))) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"times are like "
					"'2024-05-01T12:34:56.789Z'");
		goto out_free_tree;
	}
	l.form = forms->fn(forms->ctx, l.form_id, diag);
	if (!l.form) {
		status = CAMPO_ERR_NOTFOUND;
		goto out_free_tree;
	}
	if (*l.form_version && strcmp(l.form_version, l.form->version) != 0) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"form '%s' version '%s' is not the "
					"one loaded ('%s')",
					l.form_id, l.form_version,
					l.form->version);
		goto out_free_tree;
	}
	l.inst = campo_instance_new(l.form);
	if (!l.inst) {
		status = campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
		goto out_free_tree;
	}
	status = data_read(&l, data, -1, campo_instance_root(l.inst), "", diag);
	if (status == CAMPO_OK) {
		status = validate(&l, diag);
	}
	if (status != CAMPO_OK) {
		goto out_release;
	}
	status = campo_store_interview_get(store, l.id, 0, &old, diag);
	if (status == CAMPO_OK) {
		bool same = false;

		status = same_content(&l, old, &same, diag);
		if (status == CAMPO_OK && !same) {
			status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
						"interview '%s' exists with "
						"other content",
						l.id);
		}
		goto out_release;
	}
	if (status != CAMPO_ERR_NOTFOUND) {
		goto out_release;
	}
	campo_diag_init(diag);
	status = write_all(store, &l, clock, diag);
	if (status == CAMPO_OK) {
		*result = CAMPO_REPORT_IMPORTED;
	}
out_release:
	campo_store_interview_free(old);
	line_release(&l);
out_free_tree:
	cJSON_Delete(root);
	return status;
}
