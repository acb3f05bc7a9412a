/* SPDX-License-Identifier: MIT */
/* The form model: building a form in document order and completing it. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "form/expr.h"
#include "form/form.h"
#include "util/alloc.h"

static const struct campo_type_info types[CAMPO_TYPE_COUNT_] = {
	[CAMPO_TYPE_TEXT] = { .name = "text", .has_value = true, .asks = true },
	[CAMPO_TYPE_INTEGER] = { .name = "integer",
				 .has_value = true,
				 .asks = true },
	[CAMPO_TYPE_DECIMAL] = { .name = "decimal",
				 .has_value = true,
				 .asks = true },
	[CAMPO_TYPE_DATE] = { .name = "date", .has_value = true, .asks = true },
	[CAMPO_TYPE_DATETIME] = { .name = "datetime",
				  .has_value = true,
				  .asks = true },
	[CAMPO_TYPE_TIME] = { .name = "time", .has_value = true, .asks = true },
	[CAMPO_TYPE_SELECT_ONE] = { .name = "select_one",
				    .has_value = true,
				    .needs_list = true,
				    .asks = true },
	[CAMPO_TYPE_SELECT_MULTIPLE] = { .name = "select_multiple",
					 .has_value = true,
					 .needs_list = true,
					 .asks = true },
	[CAMPO_TYPE_NOTE] = { .name = "note", .asks = true },
	[CAMPO_TYPE_CALCULATE] = { .name = "calculate", .has_value = true },
	[CAMPO_TYPE_ACKNOWLEDGE] = { .name = "acknowledge",
				     .has_value = true,
				     .asks = true },
	[CAMPO_TYPE_GROUP] = { .name = "group", .container = true },
	[CAMPO_TYPE_REPEAT] = { .name = "repeat", .container = true },
};

const struct campo_type_info *campo_type_info(enum campo_type t)
{
	assert((unsigned)t < CAMPO_TYPE_COUNT_);
	return &types[t];
}

bool campo_type_from_name(const char *name, size_t len, enum campo_type *out)
{
	for (size_t i = 0; i < CAMPO_TYPE_COUNT_; i++) {
		if (strlen(types[i].name) == len &&
		    !memcmp(types[i].name, name, len)) {
			*out = (enum campo_type)i;
			return true;
		}
	}
	return false;
}

/* Open-addressing hash of field names; slots hold index + 1, 0 is empty. */
struct campo_form_index_ {
	size_t cap;
	uint32_t *slots;
};

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	}
	return h;
}

struct campo_form *campo_form_new(void)
{
	struct campo_form *form = campo_calloc(1, sizeof(*form));

	if (!form) {
		return NULL;
	}
	form->index_ = campo_calloc(1, sizeof(*form->index_));
	form->path = campo_strdup("");
	form->id = campo_strdup("");
	form->version = campo_strdup("");
	if (!form->index_ || !form->path || !form->id || !form->version) {
		campo_form_free(form);
		return NULL;
	}
	return form;
}

static void i18n_release(const struct campo_form *form, struct campo_i18n *t)
{
	if (!t->text) {
		return;
	}
	for (size_t i = 0; i < form->n_languages; i++) {
		free(t->text[i]);
	}
	free(t->text);
	t->text = NULL;
}

static void field_release(const struct campo_form *form, struct campo_field *f)
{
	free(f->name);
	i18n_release(form, &f->label);
	i18n_release(form, &f->hint);
	i18n_release(form, &f->required_message);
	i18n_release(form, &f->constraint_message);
	free(f->appearance);
	campo_expr_free(f->relevant);
	campo_expr_free(f->constraint);
	campo_expr_free(f->required);
	campo_expr_free(f->calculation);
	campo_expr_free(f->default_value);
	campo_expr_free(f->choice_filter);
	campo_expr_free(f->repeat_count);
	free(f->dependents);
}

static void list_release(const struct campo_form *form,
			 struct campo_choice_list *l)
{
	for (size_t i = 0; i < l->n_choices; i++) {
		struct campo_choice *c = &l->choices[i];

		free(c->name);
		i18n_release(form, &c->label);
		if (c->values) {
			for (size_t k = 0; k < l->n_columns; k++) {
				free(c->values[k]);
			}
			free(c->values);
		}
	}
	free(l->choices);
	for (size_t k = 0; k < l->n_columns; k++) {
		free(l->columns[k]);
	}
	free(l->columns);
	free(l->name);
}

void campo_form_free(struct campo_form *form)
{
	if (!form) {
		return;
	}
	for (size_t i = 0; i < form->n_fields; i++) {
		field_release(form, &form->fields[i]);
	}
	free(form->fields);
	for (size_t i = 0; i < form->n_lists; i++) {
		list_release(form, &form->lists[i]);
	}
	free(form->lists);
	i18n_release(form, &form->title);
	campo_expr_free(form->instance_name);
	for (size_t i = 0; i < form->n_languages; i++) {
		free(form->languages[i]);
	}
	free(form->languages);
	free(form->calc_order);
	if (form->index_) {
		free(form->index_->slots);
		free(form->index_);
	}
	free(form->path);
	free(form->id);
	free(form->version);
	free(form);
}

enum campo_status campo_form_language_add(struct campo_form *form,
					  const char *code, size_t *out)
{
	char **langs;
	char *copy;

	/* Languages come before any text: i18n arrays are sized by them. */
	assert(form->n_fields == 0 && form->n_lists == 0 && !form->title.text);
	if (form->n_languages >= CAMPO_FORM_MAX_LANGUAGES) {
		return CAMPO_ERR_LIMIT;
	}
	copy = campo_strdup(code);
	langs = campo_reallocarray(form->languages, form->n_languages + 1,
				   sizeof(*langs));
	if (!copy || !langs) {
		free(copy);
		if (langs) {
			form->languages = langs;
		}
		return CAMPO_ERR_NOMEM;
	}
	form->languages = langs;
	langs[form->n_languages] = copy;
	*out = form->n_languages++;
	return CAMPO_OK;
}

static bool name_valid(const char *name, size_t len)
{
	/* XML NCName restricted to ASCII, as XLSForm names are in practice. */
	const size_t rlen = sizeof(CAMPO_FORM_RESERVED_PREFIX) - 1;

	if (len == 0 || len > CAMPO_FORM_MAX_NAME) {
		return false;
	}
	if (len >= rlen && !memcmp(name, CAMPO_FORM_RESERVED_PREFIX, rlen)) {
		return false;
	}
	if (!((name[0] >= 'a' && name[0] <= 'z') ||
	      (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_')) {
		return false;
	}
	for (size_t i = 1; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.')) {
			return false;
		}
	}
	return true;
}

static int index_rehash(struct campo_form *form, size_t cap)
{
	struct campo_form_index_ *ix = form->index_;
	uint32_t *slots = campo_calloc(cap, sizeof(*slots));

	if (!slots) {
		return -1;
	}
	for (size_t i = 0; i < form->n_fields; i++) {
		const struct campo_field *f = &form->fields[i];
		size_t h = hash(f->name, strlen(f->name)) & (cap - 1);

		while (slots[h]) {
			h = (h + 1) & (cap - 1);
		}
		slots[h] = (uint32_t)i + 1;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->cap = cap;
	return 0;
}

int32_t campo_form_field_find(const struct campo_form *form, const char *name,
			      size_t len)
{
	const struct campo_form_index_ *ix = form->index_;
	size_t h;

	if (!ix->cap) {
		return -1;
	}
	h = hash(name, len) & (ix->cap - 1);
	while (ix->slots[h]) {
		const struct campo_field *f = &form->fields[ix->slots[h] - 1];

		if (strlen(f->name) == len && !memcmp(f->name, name, len)) {
			return (int32_t)f->index;
		}
		h = (h + 1) & (ix->cap - 1);
	}
	return -1;
}

enum campo_status campo_form_field_add(struct campo_form *form, int32_t parent,
				       const char *name, size_t len,
				       enum campo_type type, uint32_t *out)
{
	struct campo_field *fields, *f;
	int32_t open;
	size_t n = form->n_fields;

	if (!name_valid(name, len)) {
		return CAMPO_ERR_INVALID;
	}
	if (campo_form_field_find(form, name, len) >= 0) {
		return CAMPO_ERR_CONFLICT;
	}
	if (n >= CAMPO_FORM_MAX_FIELDS) {
		return CAMPO_ERR_LIMIT;
	}
	if (parent >= 0) {
		assert((size_t)parent < n &&
		       types[form->fields[parent].type].container);
		/* parent must be open: the last field is it or inside it */
		open = (int32_t)n - 1;
		while (open >= 0 && open != parent) {
			open = form->fields[open].parent;
		}
		assert(open == parent);
		if (form->fields[parent].depth + 1 >= CAMPO_FORM_MAX_DEPTH) {
			return CAMPO_ERR_LIMIT;
		}
	}
	fields = campo_reallocarray(form->fields, n + 1, sizeof(*fields));
	if (!fields) {
		return CAMPO_ERR_NOMEM;
	}
	form->fields = fields;
	f = &fields[n];
	memset(f, 0, sizeof(*f));
	f->name = campo_strndup(name, len);
	if (!f->name) {
		return CAMPO_ERR_NOMEM;
	}
	f->type = type;
	f->index = (uint32_t)n;
	f->parent = parent;
	f->list = -1;
	f->end = (uint32_t)n + 1;
	if (parent >= 0) {
		const struct campo_field *p = &fields[parent];

		f->depth = p->depth + 1;
		f->repeat = p->type == CAMPO_TYPE_REPEAT ? parent : p->repeat;
	} else {
		f->repeat = -1;
	}
	form->n_fields = n + 1;
	if (form->n_fields * 2 > form->index_->cap) {
		if (index_rehash(form, form->index_->cap ? form->index_->cap * 2
							 : 64)) {
			free(f->name);
			form->n_fields = n;
			return CAMPO_ERR_NOMEM;
		}
	} else {
		struct campo_form_index_ *ix = form->index_;
		size_t h = hash(name, len) & (ix->cap - 1);

		while (ix->slots[h]) {
			h = (h + 1) & (ix->cap - 1);
		}
		ix->slots[h] = (uint32_t)n + 1;
	}
	/* keep `end` of the open ancestors current */
	for (int32_t p = parent; p >= 0; p = fields[p].parent) {
		fields[p].end = (uint32_t)n + 1;
	}
	*out = (uint32_t)n;
	return CAMPO_OK;
}

enum campo_status campo_form_list_add(struct campo_form *form, const char *name,
				      size_t len, size_t *out)
{
	struct campo_choice_list *lists;

	if (!name_valid(name, len)) {
		return CAMPO_ERR_INVALID;
	}
	if (campo_form_list_find(form, name, len) >= 0) {
		return CAMPO_ERR_CONFLICT;
	}
	if (form->n_lists >= CAMPO_FORM_MAX_LISTS) {
		return CAMPO_ERR_LIMIT;
	}
	lists = campo_reallocarray(form->lists, form->n_lists + 1,
				   sizeof(*lists));
	if (!lists) {
		return CAMPO_ERR_NOMEM;
	}
	form->lists = lists;
	memset(&lists[form->n_lists], 0, sizeof(lists[0]));
	lists[form->n_lists].name = campo_strndup(name, len);
	if (!lists[form->n_lists].name) {
		return CAMPO_ERR_NOMEM;
	}
	*out = form->n_lists++;
	return CAMPO_OK;
}

int32_t campo_form_list_find(const struct campo_form *form, const char *name,
			     size_t len)
{
	for (size_t i = 0; i < form->n_lists; i++) {
		const char *n = form->lists[i].name;

		if (strlen(n) == len && !memcmp(n, name, len)) {
			return (int32_t)i;
		}
	}
	return -1;
}

int32_t campo_form_choice_find(const struct campo_choice_list *list,
			       const char *name, size_t len)
{
	for (size_t i = 0; i < list->n_choices; i++) {
		const char *n = list->choices[i].name;

		if (strlen(n) == len && !memcmp(n, name, len)) {
			return (int32_t)i;
		}
	}
	return -1;
}

const char *campo_i18n_get(const struct campo_form *form,
			   const struct campo_i18n *t, size_t lang)
{
	if (!t->text) {
		return NULL;
	}
	if (lang < form->n_languages && t->text[lang]) {
		return t->text[lang];
	}
	if (form->default_language < form->n_languages &&
	    t->text[form->default_language]) {
		return t->text[form->default_language];
	}
	for (size_t i = 0; i < form->n_languages; i++) {
		if (t->text[i]) {
			return t->text[i];
		}
	}
	return NULL;
}

bool campo_form_field_within(const struct campo_form *form, uint32_t field,
			     uint32_t ancestor)
{
	return field >= ancestor && field < form->fields[ancestor].end;
}

static struct campo_expr *field_expr(const struct campo_field *f, int k)
{
	switch (k) {
	case 0:
		return f->relevant;
	case 1:
		return f->constraint;
	case 2:
		return f->required;
	case 3:
		return f->calculation;
	case 4:
		return f->default_value;
	case 5:
		return f->choice_filter;
	default:
		return f->repeat_count;
	}
}

#define N_FIELD_EXPRS 7

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static enum campo_status build_dependents(struct campo_form *form)
{
	size_t n = form->n_fields;
	size_t *caps = campo_calloc(n, sizeof(*caps));

	if (!caps) {
		return CAMPO_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		free(form->fields[i].dependents);
		form->fields[i].dependents = NULL;
		form->fields[i].n_dependents = 0;
	}
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < N_FIELD_EXPRS; k++) {
			const struct campo_expr *e =
				field_expr(&form->fields[i], k);
			const uint32_t *refs;
			size_t nrefs;

			if (!e) {
				continue;
			}
			refs = campo_expr_refs(e, &nrefs);
			for (size_t r = 0; r < nrefs; r++) {
				struct campo_field *d = &form->fields[refs[r]];

				if (campo_grow((void **)&d->dependents,
					       &caps[refs[r]],
					       d->n_dependents + 1,
					       sizeof(uint32_t))) {
					free(caps);
					return CAMPO_ERR_NOMEM;
				}
				d->dependents[d->n_dependents++] = (uint32_t)i;
			}
		}
	}
	free(caps);
	for (size_t i = 0; i < n; i++) {
		struct campo_field *f = &form->fields[i];
		size_t w = 0;

		if (!f->n_dependents) {
			continue;
		}
		qsort(f->dependents, f->n_dependents, sizeof(uint32_t),
		      cmp_u32);
		for (size_t r = 0; r < f->n_dependents; r++) {
			if (!w || f->dependents[w - 1] != f->dependents[r]) {
				f->dependents[w++] = f->dependents[r];
			}
		}
		f->n_dependents = w;
	}
	return CAMPO_OK;
}

enum { WHITE, GREY, BLACK };

/*
 * Depth-first post-order over the calculation graph, without recursion so
 * a long chain cannot overflow the stack.
 */
static enum campo_status order_calcs(struct campo_form *form,
				     struct campo_diag *diag)
{
	size_t n = form->n_fields;
	uint8_t *colour = campo_calloc(n, 1);
	uint32_t *stack = campo_calloc(n, sizeof(*stack));
	size_t *next = campo_calloc(n, sizeof(*next));
	enum campo_status status = CAMPO_OK;

	free(form->calc_order);
	form->n_calc_order = 0;
	form->calc_order = campo_calloc(n, sizeof(uint32_t));
	if (!colour || !stack || !next || !form->calc_order) {
		status = CAMPO_ERR_NOMEM;
		goto out_free;
	}
	for (size_t root = 0; root < n; root++) {
		size_t sp = 0;

		if (!form->fields[root].calculation || colour[root]) {
			continue;
		}
		stack[sp++] = (uint32_t)root;
		colour[root] = GREY;
		while (sp) {
			uint32_t f = stack[sp - 1];
			size_t nrefs;
			const uint32_t *refs = campo_expr_refs(
				form->fields[f].calculation, &nrefs);

			if (next[f] < nrefs) {
				uint32_t r = refs[next[f]++];

				if (r == f || !form->fields[r].calculation) {
					continue;
				}
				if (colour[r] == GREY) {
					campo_diag_set_path(
						diag, "%s.calculation",
						form->fields[f].name);
					status = campo_diag_set(
						diag, CAMPO_ERR_INVALID,
						"calculation cycle through "
						"'%s' and '%s'",
						form->fields[f].name,
						form->fields[r].name);
					goto out_free;
				}
				if (colour[r] == WHITE) {
					colour[r] = GREY;
					stack[sp++] = r;
				}
				continue;
			}
			colour[f] = BLACK;
			form->calc_order[form->n_calc_order++] = f;
			sp--;
		}
	}
out_free:
	free(next);
	free(stack);
	free(colour);
	return status;
}

enum campo_status campo_form_finish(struct campo_form *form,
				    struct campo_diag *diag)
{
	enum campo_status status;

	for (size_t i = 0; i < form->n_fields; i++) {
		const struct campo_field *f = &form->fields[i];
		size_t nrefs;
		const uint32_t *refs;

		if (!f->relevant) {
			continue;
		}
		refs = campo_expr_refs(f->relevant, &nrefs);
		for (size_t r = 0; r < nrefs; r++) {
			if (refs[r] == f->index) {
				campo_diag_set_path(diag, "%s.relevant",
						    f->name);
				return campo_diag_set(diag, CAMPO_ERR_INVALID,
						      "relevant reads the "
						      "question itself");
			}
		}
	}
	status = build_dependents(form);
	if (status) {
		return status;
	}
	return order_calcs(form, diag);
}
