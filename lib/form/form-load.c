/* SPDX-License-Identifier: MIT */
/* The strict form loader: JSON text to a compiled struct campo_form. */

/*
 * Implements docs/form-format.md. The JSON is parsed with cJSON (RFC 8259,
 * with cJSON's deviations: it accepts any bytes in strings, so UTF-8 is
 * checked here first, and it keeps duplicate keys, which are rejected here).
 * The tree is walked once into the model through the builder of form.h;
 * expressions are kept aside and compiled once every field exists, since
 * they may name fields further down. Every error is collected, not just the
 * first, and the tree never leaves this file.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/expr.h"
#include "form/form-load.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/utf8.h"

#define MAX_COLUMNS 64	   /* extra columns per choice list */
#define MAX_LANG_CODE 32   /* bytes in a language code */
#define MAX_JSON_DEPTH 200 /* arrays and objects nested */
#define PATH_MAX_ 512	   /* the JSON path being walked */

/* The expressions a field (or the form) may have. */
enum slot {
	SLOT_RELEVANT,
	SLOT_CONSTRAINT,
	SLOT_REQUIRED,
	SLOT_CALCULATION,
	SLOT_DEFAULT,
	SLOT_CHOICE_FILTER,
	SLOT_REPEAT_COUNT,
	SLOT_INSTANCE_NAME,
};

static const struct {
	const char *key;
	size_t off; /* of the struct campo_expr * in struct campo_field */
} slots[] = {
	[SLOT_RELEVANT] = { "relevant",
			    offsetof(struct campo_field, relevant) },
	[SLOT_CONSTRAINT] = { "constraint",
			      offsetof(struct campo_field, constraint) },
	[SLOT_REQUIRED] = { "required",
			    offsetof(struct campo_field, required) },
	[SLOT_CALCULATION] = { "calculation",
			       offsetof(struct campo_field, calculation) },
	[SLOT_DEFAULT] = { "default",
			   offsetof(struct campo_field, default_value) },
	[SLOT_CHOICE_FILTER] = { "choice_filter",
				 offsetof(struct campo_field, choice_filter) },
	[SLOT_REPEAT_COUNT] = { "repeat_count",
				offsetof(struct campo_field, repeat_count) },
	[SLOT_INSTANCE_NAME] = { "instance_name", 0 },
};

/* Which types accept a key: one bit per enum campo_type. */
#define T(t) (1u << CAMPO_TYPE_##t)
#define ALL_TYPES ((1u << CAMPO_TYPE_COUNT_) - 1)
#define NOT_CALC (ALL_TYPES & ~T(CALCULATE))
#define SELECTS (T(SELECT_ONE) | T(SELECT_MULTIPLE))
#define VALUE_ASKED                                                            \
	(T(TEXT) | T(INTEGER) | T(DECIMAL) | T(DATE) | T(DATETIME) | T(TIME) | \
	 SELECTS | T(ACKNOWLEDGE))
#define CONTAINERS (T(GROUP) | T(REPEAT))

enum key_kind {
	KEY_TYPE,
	KEY_NAME,
	KEY_TEXT,     /* string or object keyed by language */
	KEY_EXPR,     /* non-empty string, compiled later */
	KEY_REQUIRED, /* true, false or an expression */
	KEY_BOOL,
	KEY_APPEARANCE,
	KEY_LIST,
	KEY_CHILDREN,
};

/* The keys of a field, in the order they are handled (children last). */
enum field_key {
	FK_TYPE,
	FK_NAME,
	FK_LABEL,
	FK_HINT,
	FK_REQUIRED,
	FK_REQUIRED_MESSAGE,
	FK_RELEVANT,
	FK_CONSTRAINT,
	FK_CONSTRAINT_MESSAGE,
	FK_CALCULATION,
	FK_DEFAULT,
	FK_READ_ONLY,
	FK_APPEARANCE,
	FK_LIST,
	FK_CHOICE_FILTER,
	FK_REPEAT_COUNT,
	FK_CHILDREN,
	FK_COUNT_
};

static const struct field_key_type {
	const char *name;
	enum key_kind kind;
	unsigned types; /* T() bits of the types that accept it */
	size_t off;	/* KEY_TEXT: the struct campo_i18n in the field */
	enum slot slot; /* KEY_EXPR, KEY_REQUIRED */
} field_keys[FK_COUNT_] = {
	[FK_TYPE] = { .name = "type", .kind = KEY_TYPE, .types = ALL_TYPES },
	[FK_NAME] = { .name = "name", .kind = KEY_NAME, .types = ALL_TYPES },
	[FK_LABEL] = { .name = "label",
		       .kind = KEY_TEXT,
		       .types = NOT_CALC,
		       .off = offsetof(struct campo_field, label) },
	[FK_HINT] = { .name = "hint",
		      .kind = KEY_TEXT,
		      .types = NOT_CALC,
		      .off = offsetof(struct campo_field, hint) },
	[FK_REQUIRED] = { .name = "required",
			  .kind = KEY_REQUIRED,
			  .types = VALUE_ASKED,
			  .slot = SLOT_REQUIRED },
	[FK_REQUIRED_MESSAGE] = { .name = "required_message",
				  .kind = KEY_TEXT,
				  .types = VALUE_ASKED,
				  .off = offsetof(struct campo_field,
						  required_message) },
	[FK_RELEVANT] = { .name = "relevant",
			  .kind = KEY_EXPR,
			  .types = ALL_TYPES,
			  .slot = SLOT_RELEVANT },
	[FK_CONSTRAINT] = { .name = "constraint",
			    .kind = KEY_EXPR,
			    .types = VALUE_ASKED,
			    .slot = SLOT_CONSTRAINT },
	[FK_CONSTRAINT_MESSAGE] = { .name = "constraint_message",
				    .kind = KEY_TEXT,
				    .types = VALUE_ASKED,
				    .off = offsetof(struct campo_field,
						    constraint_message) },
	[FK_CALCULATION] = { .name = "calculation",
			     .kind = KEY_EXPR,
			     .types = VALUE_ASKED | T(CALCULATE),
			     .slot = SLOT_CALCULATION },
	[FK_DEFAULT] = { .name = "default",
			 .kind = KEY_EXPR,
			 .types = VALUE_ASKED,
			 .slot = SLOT_DEFAULT },
	[FK_READ_ONLY] = { .name = "read_only",
			   .kind = KEY_BOOL,
			   .types = VALUE_ASKED },
	[FK_APPEARANCE] = { .name = "appearance",
			    .kind = KEY_APPEARANCE,
			    .types = NOT_CALC },
	[FK_LIST] = { .name = "list", .kind = KEY_LIST, .types = SELECTS },
	[FK_CHOICE_FILTER] = { .name = "choice_filter",
			       .kind = KEY_EXPR,
			       .types = SELECTS,
			       .slot = SLOT_CHOICE_FILTER },
	[FK_REPEAT_COUNT] = { .name = "repeat_count",
			      .kind = KEY_EXPR,
			      .types = T(REPEAT),
			      .slot = SLOT_REPEAT_COUNT },
	[FK_CHILDREN] = { .name = "children",
			  .kind = KEY_CHILDREN,
			  .types = CONTAINERS },
};

enum top_key {
	TK_ID,
	TK_VERSION,
	TK_TITLE,
	TK_LANGUAGES,
	TK_DEFAULT_LANGUAGE,
	TK_INSTANCE_NAME,
	TK_FIELDS,
	TK_CHOICES,
	TK_COUNT_
};

static const char *const top_keys[TK_COUNT_] = {
	[TK_ID] = "id",
	[TK_VERSION] = "version",
	[TK_TITLE] = "title",
	[TK_LANGUAGES] = "languages",
	[TK_DEFAULT_LANGUAGE] = "default_language",
	[TK_INSTANCE_NAME] = "instance_name",
	[TK_FIELDS] = "fields",
	[TK_CHOICES] = "choices",
};

/* An expression, or a text holding ${refs}, to check once fields exist. */
struct pending {
	int32_t field;	   /* context field, -1 for the form */
	enum slot slot;	   /* for expressions */
	const cJSON *item; /* the string (NULL: "true()") or the text */
	char *path;	   /* texts only: where the text is */
};

struct loader {
	const char *name; /* the input's name in messages */
	struct campo_form *form;
	struct campo_diag_list *errors;
	enum campo_status status; /* of the first error */
	char path[PATH_MAX_];
	size_t path_len;
	char **field_paths; /* JSON path of each field, by index */
	size_t n_field_paths, field_paths_cap;
	struct pending *pending;
	size_t n_pending, pending_cap;
	size_t n_choices;  /* over all lists */
	bool fields_full;  /* the field cap was reported */
	bool choices_full; /* the choice cap was reported */
	bool lists_full;   /* the list cap was reported */
	bool nomem;	   /* memory ran out: stop walking */
};

/*
 * Records an error at path and keeps the status of the first one. Past the
 * list's cap an error is only counted, without formatting it: a hostile
 * file can hold millions.
 */
static void vreport(struct loader *ld, const char *path,
		    enum campo_status status, unsigned line, unsigned column,
		    const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

static void vreport(struct loader *ld, const char *path,
		    enum campo_status status, unsigned line, unsigned column,
		    const char *fmt, va_list ap)
{
	struct campo_diag d;

	if (!ld->status) {
		ld->status = status;
	}
	if (!ld->errors) {
		return;
	}
	if (ld->errors->n >= ld->errors->max) {
		ld->errors->dropped++;
		return;
	}
	campo_diag_init(&d);
	campo_diag_set_file(&d, ld->name);
	campo_diag_set_path(&d, "%s", path);
	d.line = line;
	d.column = column;
	vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	campo_diag_list_add(ld->errors, &d);
}

static void report_at(struct loader *ld, const char *path,
		      enum campo_status status, unsigned line, unsigned column,
		      const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void report_at(struct loader *ld, const char *path,
		      enum campo_status status, unsigned line, unsigned column,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ld, path, status, line, column, fmt, ap);
	va_end(ap);
}

/* Records an error at the current path. */
static void report(struct loader *ld, enum campo_status status, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));

static void report(struct loader *ld, enum campo_status status, const char *fmt,
		   ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ld, ld->path, status, 0, 0, fmt, ap);
	va_end(ap);
}

/* Would another error be kept? (Not worth a "did you mean" otherwise.) */
static bool errors_room(const struct loader *ld)
{
	return ld->errors && ld->errors->n < ld->errors->max;
}

static void nomem(struct loader *ld)
{
	/* once is enough; the walk stops soon after */
	if (!ld->nomem) {
		report(ld, CAMPO_ERR_NOMEM, "out of memory");
	}
	ld->nomem = true;
}

/* Appends to the path; returns the length to pop back to. */
static size_t path_push(struct loader *ld, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t path_push(struct loader *ld, const char *fmt, ...)
{
	size_t old = ld->path_len;
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(ld->path + old, sizeof(ld->path) - old, fmt, ap);
	va_end(ap);
	if (w > 0) {
		ld->path_len += (size_t)w;
		if (ld->path_len >= sizeof(ld->path)) {
			ld->path_len = sizeof(ld->path) - 1;
		}
	}
	return old;
}

/* path_push(".key") without printf: it runs for every key of the file. */
static size_t path_key(struct loader *ld, const char *key)
{
	size_t old = ld->path_len, room = sizeof(ld->path) - 1 - old;
	size_t n = strlen(key);

	if (old && room) {
		ld->path[ld->path_len++] = '.';
		room--;
	}
	if (n > room) {
		n = room;
	}
	memcpy(ld->path + ld->path_len, key, n);
	ld->path_len += n;
	ld->path[ld->path_len] = '\0';
	return old;
}

static void path_pop(struct loader *ld, size_t old)
{
	ld->path_len = old;
	ld->path[old] = '\0';
}

/* "a string", "an array"... for "expected X, got Y" messages. */
static const char *json_kind(const cJSON *item)
{
	if (cJSON_IsString(item)) {
		return "a string";
	}
	if (cJSON_IsNumber(item)) {
		return "a number";
	}
	if (cJSON_IsBool(item)) {
		return "a boolean";
	}
	if (cJSON_IsNull(item)) {
		return "null";
	}
	if (cJSON_IsArray(item)) {
		return "an array";
	}
	if (cJSON_IsObject(item)) {
		return "an object";
	}
	return "an invalid value";
}

/* Edit distance, for "did you mean" on a mistyped key. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[33];

	if (la > 32 || lb > 32) {
		return SIZE_MAX;
	}
	for (size_t j = 0; j <= lb; j++) {
		row[j] = j;
	}
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (size_t)(a[i - 1] != b[j - 1]);

			if (up + 1 < best) {
				best = up + 1;
			}
			if (row[j - 1] + 1 < best) {
				best = row[j - 1] + 1;
			}
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/*
 * Sorts the members of obj into found[] by name (names[i] -> found[i]),
 * reporting unknown and duplicate keys at the current path.
 */
static void object_keys(struct loader *ld, const cJSON *obj,
			const char *const *names, size_t n, const cJSON **found)
{
	for (size_t i = 0; i < n; i++) {
		found[i] = NULL;
	}
	for (const cJSON *c = obj->child; c; c = c->next) {
		const char *key = c->string ? c->string : "";
		size_t i, best = 0, best_d = SIZE_MAX;

		for (i = 0; i < n && strcmp(names[i], key); i++) {
		}
		for (size_t k = 0; i == n && errors_room(ld) && k < n; k++) {
			size_t d = distance(names[k], key);

			if (d < best_d) {
				best_d = d;
				best = k;
			}
		}
		if (i == n) {
			if (best_d <= 2) {
				report(ld, CAMPO_ERR_INVALID,
				       "unknown key '%s' (did you mean '%s'?)",
				       key, names[best]);
			} else {
				report(ld, CAMPO_ERR_INVALID,
				       "unknown key '%s'", key);
			}
		} else if (found[i]) {
			report(ld, CAMPO_ERR_INVALID, "duplicate key '%s'",
			       key);
		} else {
			found[i] = c;
		}
	}
}

/* The names rule of form.h: XML NCName restricted to ASCII. */
static bool name_chars_valid(const char *s, size_t len)
{
	if (!len || !((s[0] >= 'a' && s[0] <= 'z') ||
		      (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_')) {
		return false;
	}
	for (size_t i = 1; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.')) {
			return false;
		}
	}
	return true;
}

/* Checks a name (of a field, list, column or the form); reports at the
 * current path and returns false when it is bad. */
static bool name_check(struct loader *ld, const char *what, const char *s)
{
	size_t len = strlen(s);

	if (len > CAMPO_FORM_MAX_NAME) {
		report(ld, CAMPO_ERR_LIMIT, "%s longer than %u bytes", what,
		       (unsigned)CAMPO_FORM_MAX_NAME);
		return false;
	}
	if (!strncmp(s, CAMPO_FORM_RESERVED_PREFIX,
		     sizeof(CAMPO_FORM_RESERVED_PREFIX) - 1)) {
		report(ld, CAMPO_ERR_INVALID,
		       "bad %s '%s': names starting with '%s' are reserved",
		       what, s, CAMPO_FORM_RESERVED_PREFIX);
		return false;
	}
	if (!name_chars_valid(s, len)) {
		report(ld, CAMPO_ERR_INVALID,
		       "bad %s '%s': a name starts with a letter or '_' and "
		       "holds only letters, digits, '_', '-' and '.'",
		       what, s);
		return false;
	}
	return true;
}

/* A string no longer than max; reports and returns NULL otherwise. */
static const char *string_get(struct loader *ld, const cJSON *item, size_t max,
			      const char *expected)
{
	if (!cJSON_IsString(item) || !item->valuestring) {
		report(ld, CAMPO_ERR_INVALID, "expected %s, got %s", expected,
		       json_kind(item));
		return NULL;
	}
	if (strlen(item->valuestring) > max) {
		report(ld, CAMPO_ERR_LIMIT, "longer than %zu bytes", max);
		return NULL;
	}
	return item->valuestring;
}

static bool pending_add(struct loader *ld, int32_t field, enum slot slot,
			const cJSON *item, const char *text_path)
{
	struct pending *p;

	if (campo_grow((void **)&ld->pending, &ld->pending_cap,
		       ld->n_pending + 1, sizeof(*ld->pending))) {
		nomem(ld);
		return false;
	}
	p = &ld->pending[ld->n_pending];
	p->field = field;
	p->slot = slot;
	p->item = item;
	p->path = NULL;
	if (text_path) {
		p->path = campo_strdup(text_path);
		if (!p->path) {
			nomem(ld);
			return false;
		}
	}
	ld->n_pending++;
	return true;
}

static void text_free(const struct campo_form *form, struct campo_i18n *t)
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

/* Does any string of a text hold "${"? Those are checked once fields exist.
 */
static bool text_has_refs(const cJSON *item)
{
	if (cJSON_IsString(item)) {
		return item->valuestring && strstr(item->valuestring, "${");
	}
	for (const cJSON *c = item->child; c; c = c->next) {
		if (cJSON_IsString(c) && c->valuestring &&
		    strstr(c->valuestring, "${")) {
			return true;
		}
	}
	return false;
}

/*
 * Reads a text (a string for every language, or an object keyed by
 * language code) at the current path into *t, which must be empty. With
 * need_all, every language must have one. `what` names it in messages.
 */
static void text_parse(struct loader *ld, const cJSON *item,
		       struct campo_i18n *t, bool need_all, const char *what)
{
	struct campo_form *form = ld->form;
	size_t n = form->n_languages;
	bool any = false;

	if (!cJSON_IsString(item) && !cJSON_IsObject(item)) {
		report(ld, CAMPO_ERR_INVALID,
		       "expected a string or an object keyed by language code, "
		       "got %s",
		       json_kind(item));
		return;
	}
	t->text = campo_calloc(n, sizeof(*t->text));
	if (!t->text) {
		nomem(ld);
		return;
	}
	if (cJSON_IsString(item)) {
		const char *s = string_get(ld, item, CAMPO_FORM_MAX_TEXT, "");

		if (!s) {
			goto out_empty;
		}
		if (need_all && !*s) {
			report(ld, CAMPO_ERR_INVALID, "empty %s", what);
		}
		for (size_t i = 0; i < n; i++) {
			t->text[i] = campo_strdup(s);
			if (!t->text[i]) {
				nomem(ld);
				goto out_empty;
			}
		}
		goto out_refs;
	}
	for (const cJSON *c = item->child; c; c = c->next) {
		const char *code = c->string ? c->string : "";
		size_t old = path_key(ld, code);
		size_t i;
		const char *s;

		for (i = 0; i < n && strcmp(form->languages[i], code); i++) {
		}
		if (i == n) {
			report(ld, CAMPO_ERR_INVALID,
			       "unknown language '%s' (not in 'languages')",
			       code);
		} else if (t->text[i]) {
			report(ld, CAMPO_ERR_INVALID, "duplicate language '%s'",
			       code);
		} else if ((s = string_get(ld, c, CAMPO_FORM_MAX_TEXT,
					   "a string"))) {
			if (need_all && !*s) {
				report(ld, CAMPO_ERR_INVALID, "empty %s", what);
			}
			t->text[i] = campo_strdup(s);
			if (!t->text[i]) {
				nomem(ld);
			}
			any = true;
		}
		path_pop(ld, old);
	}
	if (need_all) {
		for (size_t i = 0; i < n; i++) {
			if (!t->text[i]) {
				report(ld, CAMPO_ERR_INVALID,
				       "missing %s for language '%s'", what,
				       form->languages[i]);
			}
		}
	}
	if (!any) {
		goto out_empty;
	}
out_refs:
	if (text_has_refs(item)) {
		pending_add(ld, -1, SLOT_RELEVANT, item, ld->path);
	}
	return;
out_empty:
	text_free(form, t);
}

/* A non-empty expression string: kept to compile once fields exist. */
static void expr_parse(struct loader *ld, const cJSON *item, int32_t field,
		       enum slot slot, bool keep)
{
	const char *s = string_get(ld, item, CAMPO_FORM_MAX_EXPR,
				   "an expression (a string)");

	if (!s) {
		return;
	}
	if (!*s) {
		report(ld, CAMPO_ERR_INVALID,
		       "empty expression (leave the key out instead)");
		return;
	}
	if (keep) {
		pending_add(ld, field, slot, item, NULL);
	}
}

static bool field_path_set(struct loader *ld, uint32_t idx)
{
	if (campo_grow((void **)&ld->field_paths, &ld->field_paths_cap,
		       (size_t)idx + 1, sizeof(*ld->field_paths))) {
		nomem(ld);
		return false;
	}
	/* fields are added in order: idx is the next one */
	ld->field_paths[idx] = campo_strdup(ld->path);
	ld->n_field_paths = (size_t)idx + 1;
	if (!ld->field_paths[idx]) {
		nomem(ld);
		return false;
	}
	return true;
}

/*
 * " (only to select_one, select_multiple)" for the types a key applies to,
 * or " (nor to note, group)" for the others when that is shorter; "" when
 * there is nothing to add. In buf.
 */
static const char *types_list(unsigned mask, enum campo_type type, char *buf,
			      size_t n)
{
	unsigned count = 0;
	bool neg;
	size_t len = 0;

	for (unsigned t = 0; t < CAMPO_TYPE_COUNT_; t++) {
		count += (mask >> t) & 1u;
	}
	neg = count > CAMPO_TYPE_COUNT_ / 2;
	buf[0] = '\0';
	for (unsigned t = 0; t < CAMPO_TYPE_COUNT_; t++) {
		int w;

		if (!(mask & (1u << t)) != neg || t == (unsigned)type) {
			continue;
		}
		w = snprintf(buf + len, n - len, "%s%s",
			     len ? ", " : (neg ? " (nor to " : " (only to "),
			     campo_type_info((enum campo_type)t)->name);
		if (w < 0 || (size_t)w >= n - len - 1) {
			break;
		}
		len += (size_t)w;
	}
	if (len) {
		buf[len++] = ')';
		buf[len] = '\0';
	}
	return buf;
}

static void fields_parse(struct loader *ld, const cJSON *arr, int32_t parent,
			 uint32_t depth);

/*
 * Reads one field object at the current path, adds it under parent and
 * recurses into its children. A field that cannot be added (a bad or
 * duplicate name) is still checked, and its children go to parent, so that
 * one mistake does not hide the others.
 */
static void field_parse(struct loader *ld, const cJSON *item, int32_t parent,
			uint32_t depth)
{
	struct campo_form *form = ld->form;
	const cJSON *found[FK_COUNT_];
	const char *names[FK_COUNT_];
	const struct campo_type_info *info;
	enum campo_type type = CAMPO_TYPE_TEXT;
	bool type_ok = false;
	const char *name = NULL;
	int32_t idx = -1;
	char buf[160];

	if (!cJSON_IsObject(item)) {
		report(ld, CAMPO_ERR_INVALID,
		       "expected an object (a field), got %s", json_kind(item));
		return;
	}
	for (size_t k = 0; k < FK_COUNT_; k++) {
		names[k] = field_keys[k].name;
	}
	object_keys(ld, item, names, FK_COUNT_, found);

	if (!found[FK_TYPE]) {
		report(ld, CAMPO_ERR_INVALID, "missing key 'type'");
	} else {
		size_t old = path_key(ld, "type");
		const char *s = string_get(ld, found[FK_TYPE], 64, "a string");

		if (s && campo_type_from_name(s, strlen(s), &type)) {
			type_ok = true;
		} else if (s) {
			report(ld, CAMPO_ERR_INVALID,
			       "unknown type '%s' (see docs/form-format.md)",
			       s);
		}
		path_pop(ld, old);
	}
	/* Without a known type, still add it so ${refs} to it resolve. */
	if (!type_ok) {
		type = found[FK_CHILDREN] ? CAMPO_TYPE_GROUP : CAMPO_TYPE_TEXT;
	}
	info = campo_type_info(type);

	if (!found[FK_NAME]) {
		report(ld, CAMPO_ERR_INVALID, "missing key 'name'");
	} else {
		size_t old = path_key(ld, "name");

		name = string_get(ld, found[FK_NAME], CAMPO_FORM_MAX_TEXT,
				  "a string");
		if (name && !name_check(ld, "name", name)) {
			name = NULL;
		}
		path_pop(ld, old);
	}
	if (depth >= CAMPO_FORM_MAX_DEPTH) {
		report(ld, CAMPO_ERR_LIMIT,
		       "groups and repeats nested more than %u deep",
		       (unsigned)CAMPO_FORM_MAX_DEPTH);
		return;
	}
	if (name && !ld->fields_full) {
		uint32_t out;
		enum campo_status status = campo_form_field_add(
			form, parent, name, strlen(name), type, &out);
		int32_t other;

		switch (status) {
		case CAMPO_OK:
			idx = (int32_t)out;
			if (!field_path_set(ld, out)) {
				return;
			}
			break;
		case CAMPO_ERR_CONFLICT:
			other = campo_form_field_find(form, name, strlen(name));
			report(ld, CAMPO_ERR_INVALID,
			       "duplicate name '%s' (first used at %s)", name,
			       other >= 0 ? ld->field_paths[other] : "?");
			break;
		case CAMPO_ERR_LIMIT:
			report(ld, CAMPO_ERR_LIMIT, "more than %u fields",
			       (unsigned)CAMPO_FORM_MAX_FIELDS);
			ld->fields_full = true;
			break;
		case CAMPO_ERR_NOMEM:
			nomem(ld);
			return;
		default:
			report(ld, status, "cannot add field '%s'", name);
			break;
		}
	}

	for (size_t k = FK_LABEL; k < FK_COUNT_; k++) {
		const struct field_key_type *kt = &field_keys[k];
		const cJSON *v = found[k];
		size_t old;

		if (!v) {
			continue;
		}
		old = path_key(ld, kt->name);
		if (type_ok && !(kt->types & (1u << type))) {
			report(ld, CAMPO_ERR_INVALID,
			       "'%s' does not apply to type '%s'%s", kt->name,
			       info->name,
			       types_list(kt->types, type, buf, sizeof(buf)));
			path_pop(ld, old);
			continue;
		}
		switch (kt->kind) {
		case KEY_TEXT: {
			struct campo_i18n t = { NULL };

			text_parse(ld, v, &t,
				   k == FK_LABEL && type_ok && info->asks,
				   kt->name);
			if (idx >= 0) {
				*(struct campo_i18n *)((char *)&form
							       ->fields[idx] +
						       kt->off) = t;
			} else {
				text_free(form, &t);
			}
			break;
		}
		case KEY_EXPR:
			expr_parse(ld, v, idx, kt->slot, idx >= 0);
			break;
		case KEY_REQUIRED:
			if (cJSON_IsBool(v)) {
				if (cJSON_IsTrue(v) && idx >= 0) {
					pending_add(ld, idx, kt->slot, NULL,
						    NULL);
				}
			} else if (cJSON_IsString(v)) {
				expr_parse(ld, v, idx, kt->slot, idx >= 0);
			} else {
				report(ld, CAMPO_ERR_INVALID,
				       "expected true, false or an expression "
				       "(a string), got %s",
				       json_kind(v));
			}
			break;
		case KEY_BOOL:
			if (!cJSON_IsBool(v)) {
				report(ld, CAMPO_ERR_INVALID,
				       "expected true or false, got %s",
				       json_kind(v));
			} else if (idx >= 0) {
				form->fields[idx].read_only =
					cJSON_IsTrue(v) != 0;
			}
			break;
		case KEY_APPEARANCE: {
			const char *s = string_get(ld, v, CAMPO_FORM_MAX_TEXT,
						   "a string");

			if (s && idx >= 0) {
				form->fields[idx].appearance = campo_strdup(s);
				if (!form->fields[idx].appearance) {
					nomem(ld);
				}
			}
			break;
		}
		case KEY_LIST: {
			const char *s = string_get(ld, v, CAMPO_FORM_MAX_NAME,
						   "a list name (a string)");
			int32_t l;

			if (!s) {
				break;
			}
			l = campo_form_list_find(form, s, strlen(s));
			if (l < 0) {
				report(ld, CAMPO_ERR_INVALID,
				       "unknown list '%s' (not in 'choices')",
				       s);
			} else if (idx >= 0) {
				form->fields[idx].list = l;
			}
			break;
		}
		case KEY_CHILDREN:
			if (!cJSON_IsArray(v)) {
				report(ld, CAMPO_ERR_INVALID,
				       "expected an array of fields, got %s",
				       json_kind(v));
			} else if (!v->child) {
				report(ld, CAMPO_ERR_INVALID,
				       "empty children (a %s needs at least "
				       "one field)",
				       info->name);
			} else {
				fields_parse(ld, v, idx >= 0 ? idx : parent,
					     depth + 1);
			}
			break;
		case KEY_TYPE:
		case KEY_NAME:
			break;
		}
		path_pop(ld, old);
	}

	if (!type_ok) {
		return;
	}
	if (info->asks && !found[FK_LABEL]) {
		report(ld, CAMPO_ERR_INVALID,
		       "missing key 'label' (a %s needs one)", info->name);
	}
	if (info->needs_list && !found[FK_LIST]) {
		report(ld, CAMPO_ERR_INVALID,
		       "missing key 'list' (a %s needs one)", info->name);
	}
	if (info->container && !found[FK_CHILDREN]) {
		report(ld, CAMPO_ERR_INVALID,
		       "missing key 'children' (a %s needs at least one field)",
		       info->name);
	}
	if (type == CAMPO_TYPE_CALCULATE && !found[FK_CALCULATION]) {
		report(ld, CAMPO_ERR_INVALID,
		       "missing key 'calculation' (a calculate needs one)");
	}
}

static void fields_parse(struct loader *ld, const cJSON *arr, int32_t parent,
			 uint32_t depth)
{
	size_t i = 0;

	for (const cJSON *c = arr->child; c; c = c->next, i++) {
		/* under a container the path already ends in "children" */
		size_t old = path_push(ld, "%s[%zu]", depth ? "" : "fields", i);

		field_parse(ld, c, parent, depth);
		path_pop(ld, old);
		if (ld->nomem) {
			return;
		}
	}
}

/* Open-addressing set of choice names for one list, to find duplicates. */
struct name_set {
	size_t cap;
	const char **slots;
};

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++) {
		h = (h ^ (uint8_t)*s) * 16777619u;
	}
	return h;
}

/* Adds s; returns false when it was already there. */
static bool name_set_add(struct name_set *set, const char *s)
{
	size_t h = hash(s) & (set->cap - 1);

	while (set->slots[h]) {
		if (!strcmp(set->slots[h], s)) {
			return false;
		}
		h = (h + 1) & (set->cap - 1);
	}
	set->slots[h] = s;
	return true;
}

/* Reads the extra columns of every choice of a list into l->columns. */
static void columns_parse(struct loader *ld, const cJSON *arr,
			  struct campo_choice_list *l)
{
	size_t cap = 0;
	bool full = false;

	for (const cJSON *c = arr->child; c; c = c->next) {
		if (!cJSON_IsObject(c)) {
			continue;
		}
		for (const cJSON *k = c->child; k; k = k->next) {
			const char *key = k->string ? k->string : "";
			size_t i;
			char *copy;

			if (!strcmp(key, "name") || !strcmp(key, "label")) {
				continue;
			}
			for (i = 0;
			     i < l->n_columns && strcmp(l->columns[i], key);
			     i++) {
			}
			if (i < l->n_columns) {
				continue;
			}
			if (l->n_columns >= MAX_COLUMNS) {
				if (!full) {
					report(ld, CAMPO_ERR_LIMIT,
					       "more than %u extra columns",
					       (unsigned)MAX_COLUMNS);
				}
				full = true;
				continue;
			}
			/* bad names are reported where they occur */
			if (strlen(key) > CAMPO_FORM_MAX_NAME ||
			    !name_chars_valid(key, strlen(key))) {
				continue;
			}
			copy = campo_strdup(key);
			if (!copy ||
			    campo_grow((void **)&l->columns, &cap,
				       l->n_columns + 1, sizeof(*l->columns))) {
				free(copy);
				nomem(ld);
				return;
			}
			l->columns[l->n_columns++] = copy;
		}
	}
}

/*
 * Reads one choice object at the current path into c (zeroed), checking
 * its name against the list's other names.
 */
static void choice_parse(struct loader *ld, const cJSON *item,
			 const struct campo_choice_list *l,
			 struct campo_choice *c, struct name_set *seen)
{
	const cJSON *name = NULL, *label = NULL;

	c->values = campo_calloc(l->n_columns ? l->n_columns : 1,
				 sizeof(*c->values));
	if (!c->values) {
		nomem(ld);
		return;
	}
	for (const cJSON *k = item->child; k; k = k->next) {
		const char *key = k->string ? k->string : "";
		size_t old = path_key(ld, key);
		size_t i;

		if (!strcmp(key, "name") || !strcmp(key, "label")) {
			const cJSON **slot = key[0] == 'n' ? &name : &label;

			if (*slot) {
				path_pop(ld, old);
				report(ld, CAMPO_ERR_INVALID,
				       "duplicate key '%s'", key);
				continue;
			}
			*slot = k;
			path_pop(ld, old);
			continue;
		}
		for (i = 0; i < l->n_columns && strcmp(l->columns[i], key);
		     i++) {
		}
		if (i < l->n_columns) {
			const char *s;

			if (c->values[i]) {
				path_pop(ld, old);
				report(ld, CAMPO_ERR_INVALID,
				       "duplicate key '%s'", key);
				continue;
			}
			s = string_get(ld, k, CAMPO_FORM_MAX_TEXT, "a string");
			if (s) {
				c->values[i] = campo_strdup(s);
				if (!c->values[i]) {
					nomem(ld);
				}
			}
		} else {
			/* not a column: a bad name, or past the cap (reported
			 * once for the list) */
			name_check(ld, "column name", key);
		}
		path_pop(ld, old);
	}
	for (size_t i = 0; i < l->n_columns; i++) {
		if (!c->values[i]) {
			c->values[i] = campo_strdup("");
			if (!c->values[i]) {
				nomem(ld);
			}
		}
	}

	if (!name) {
		report(ld, CAMPO_ERR_INVALID, "missing key 'name'");
	} else {
		size_t old = path_key(ld, "name");
		const char *s =
			string_get(ld, name, CAMPO_FORM_MAX_TEXT, "a string");

		if (s && !*s) {
			report(ld, CAMPO_ERR_INVALID, "empty choice name");
		} else if (s && strpbrk(s, " \t\r\n")) {
			report(ld, CAMPO_ERR_INVALID,
			       "choice name '%s' holds a space "
			       "(select_multiple separates names with spaces)",
			       s);
		} else if (s && !name_set_add(seen, s)) {
			report(ld, CAMPO_ERR_INVALID,
			       "duplicate choice name '%s'", s);
		} else if (s) {
			c->name = campo_strdup(s);
			if (!c->name) {
				nomem(ld);
			}
		}
		path_pop(ld, old);
	}
	if (!label) {
		report(ld, CAMPO_ERR_INVALID, "missing key 'label'");
	} else {
		size_t old = path_key(ld, "label");

		text_parse(ld, label, &c->label, true, "label");
		path_pop(ld, old);
	}
}

static void choice_free(const struct campo_form *form,
			const struct campo_choice_list *l,
			struct campo_choice *c)
{
	free(c->name);
	text_free(form, &c->label);
	if (c->values) {
		for (size_t k = 0; k < l->n_columns; k++) {
			free(c->values[k]);
		}
		free(c->values);
	}
	memset(c, 0, sizeof(*c));
}

/* Reads the array of choices at the current path into l (empty). */
static void list_parse(struct loader *ld, const cJSON *arr,
		       struct campo_choice_list *l)
{
	struct name_set seen = { 0, NULL };
	size_t n = 0, i = 0;

	if (!cJSON_IsArray(arr)) {
		report(ld, CAMPO_ERR_INVALID,
		       "expected an array of choices, got %s", json_kind(arr));
		return;
	}
	for (const cJSON *c = arr->child; c; c = c->next) {
		n++;
	}
	if (!n) {
		report(ld, CAMPO_ERR_INVALID,
		       "empty list (a list needs at least one choice)");
		return;
	}
	if (n > CAMPO_FORM_MAX_CHOICES - ld->n_choices) {
		if (!ld->choices_full) {
			report(ld, CAMPO_ERR_LIMIT,
			       "more than %u choices over all lists",
			       (unsigned)CAMPO_FORM_MAX_CHOICES);
		}
		ld->choices_full = true;
		return;
	}
	ld->n_choices += n;
	columns_parse(ld, arr, l);
	seen.cap = 16;
	while (seen.cap < n * 2) {
		seen.cap *= 2;
	}
	seen.slots = campo_calloc(seen.cap, sizeof(*seen.slots));
	l->choices = campo_calloc(n, sizeof(*l->choices));
	if (!seen.slots || !l->choices) {
		nomem(ld);
		goto out_free_seen;
	}
	for (const cJSON *c = arr->child; c; c = c->next, i++) {
		size_t old = path_push(ld, "[%zu]", i);
		struct campo_choice *ch = &l->choices[l->n_choices];

		if (!cJSON_IsObject(c)) {
			report(ld, CAMPO_ERR_INVALID,
			       "expected an object (a choice), got %s",
			       json_kind(c));
		} else {
			choice_parse(ld, c, l, ch, &seen);
			/* keep only complete choices: the model has no holes */
			if (ch->name && ch->label.text && ch->values) {
				l->n_choices++;
			} else {
				choice_free(ld->form, l, ch);
			}
		}
		path_pop(ld, old);
		if (ld->nomem) {
			break;
		}
	}
out_free_seen:
	free(seen.slots);
}

static void list_release_scratch(const struct campo_form *form,
				 struct campo_choice_list *l)
{
	for (size_t i = 0; i < l->n_choices; i++) {
		choice_free(form, l, &l->choices[i]);
	}
	free(l->choices);
	for (size_t k = 0; k < l->n_columns; k++) {
		free(l->columns[k]);
	}
	free(l->columns);
}

static void choices_parse(struct loader *ld, const cJSON *obj)
{
	struct campo_form *form = ld->form;

	if (!cJSON_IsObject(obj)) {
		report(ld, CAMPO_ERR_INVALID,
		       "expected an object of choice lists, got %s",
		       json_kind(obj));
		return;
	}
	for (const cJSON *c = obj->child; c; c = c->next) {
		const char *name = c->string ? c->string : "";
		size_t old = path_key(ld, name);
		struct campo_choice_list scratch;
		struct campo_choice_list *l = &scratch;
		enum campo_status status = CAMPO_ERR_INVALID;
		size_t idx;

		memset(&scratch, 0, sizeof(scratch));
		if (name_check(ld, "list name", name)) {
			status = campo_form_list_add(form, name, strlen(name),
						     &idx);
		}
		if (status == CAMPO_ERR_CONFLICT) {
			path_pop(ld, old);
			report(ld, CAMPO_ERR_INVALID, "duplicate key '%s'",
			       name);
			old = path_key(ld, name);
		} else if (status == CAMPO_ERR_LIMIT) {
			if (!ld->lists_full) {
				report(ld, CAMPO_ERR_LIMIT,
				       "more than %u choice lists",
				       (unsigned)CAMPO_FORM_MAX_LISTS);
			}
			ld->lists_full = true;
		} else if (status == CAMPO_ERR_NOMEM) {
			nomem(ld);
			return;
		} else if (status == CAMPO_OK) {
			l = &form->lists[idx];
		}
		if (!ld->lists_full) {
			list_parse(ld, c, l);
		}
		if (l == &scratch) {
			list_release_scratch(form, &scratch);
		}
		path_pop(ld, old);
		if (ld->nomem) {
			return;
		}
	}
}

static bool lang_code_valid(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > MAX_LANG_CODE) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-')) {
			return false;
		}
	}
	return true;
}

static void languages_parse(struct loader *ld, const cJSON *arr)
{
	struct campo_form *form = ld->form;
	size_t i = 0, idx;

	if (!cJSON_IsArray(arr)) {
		report(ld, CAMPO_ERR_INVALID,
		       "expected an array of language codes, got %s",
		       json_kind(arr));
		return;
	}
	if (!arr->child) {
		report(ld, CAMPO_ERR_INVALID,
		       "empty languages (leave the key out for one language)");
		return;
	}
	for (const cJSON *c = arr->child; c; c = c->next, i++) {
		size_t old = path_push(ld, "[%zu]", i);
		const char *s = string_get(ld, c, 64, "a language code");
		enum campo_status status;
		bool dup = false;

		if (s && !lang_code_valid(s)) {
			report(ld, CAMPO_ERR_INVALID,
			       "bad language code '%s' (1-%u letters, digits, "
			       "'-' or '_')",
			       s, (unsigned)MAX_LANG_CODE);
			s = NULL;
		}
		for (size_t k = 0; s && k < form->n_languages; k++) {
			dup = dup || !strcmp(form->languages[k], s);
		}
		if (dup) {
			report(ld, CAMPO_ERR_INVALID, "duplicate language '%s'",
			       s);
		} else if (s) {
			status = campo_form_language_add(form, s, &idx);
			if (status == CAMPO_ERR_LIMIT) {
				report(ld, CAMPO_ERR_LIMIT,
				       "more than %u languages",
				       (unsigned)CAMPO_FORM_MAX_LANGUAGES);
				path_pop(ld, old);
				return;
			}
			if (status) {
				nomem(ld);
				path_pop(ld, old);
				return;
			}
		}
		path_pop(ld, old);
	}
}

/*
 * Checks each ${name} in the strings of a text names a field. Column is
 * counted in bytes from the start of the string.
 */
static void text_refs_check(struct loader *ld, const struct pending *p)
{
	const cJSON *item = p->item;
	const cJSON *one = cJSON_IsString(item) ? item : item->child;

	for (const cJSON *c = one; c; c = c == item ? NULL : c->next) {
		const char *s = c->valuestring;
		char path[PATH_MAX_];

		if (!cJSON_IsString(c) || !s) {
			continue;
		}
		snprintf(path, sizeof(path), "%s%s%s", p->path,
			 c == item ? "" : ".",
			 c == item || !c->string ? "" : c->string);
		for (const char *r = strstr(s, "${"); r;
		     r = strstr(r + 2, "${")) {
			const char *end = strchr(r + 2, '}');
			size_t len;

			if (!end) {
				report_at(ld, path, CAMPO_ERR_PARSE, 0,
					  (unsigned)(r - s) + 1,
					  "unclosed '${' in text");
				break;
			}
			len = (size_t)(end - r - 2);
			if (campo_form_field_find(ld->form, r + 2, len) < 0) {
				report_at(ld, path, CAMPO_ERR_INVALID, 0,
					  (unsigned)(r - s) + 1,
					  "unknown question '${%.*s}' in text",
					  (int)(len > 64 ? 64 : len), r + 2);
			}
		}
	}
}

/* Compiles every expression kept aside, now that every field exists. */
static void pending_compile(struct loader *ld)
{
	struct campo_form *form = ld->form;

	for (size_t i = 0; i < ld->n_pending; i++) {
		const struct pending *p = &ld->pending[i];
		const char *src = p->item ? p->item->valuestring : "true()";
		struct campo_expr *e = NULL, **slot;
		struct campo_diag d;
		char path[PATH_MAX_];
		int32_t list = -1;
		enum campo_status status;

		if (p->path) {
			text_refs_check(ld, p);
			continue;
		}
		if (p->slot == SLOT_INSTANCE_NAME) {
			slot = &form->instance_name;
			snprintf(path, sizeof(path), "instance_name");
		} else {
			struct campo_field *f = &form->fields[p->field];

			slot = (struct campo_expr **)((char *)f +
						      slots[p->slot].off);
			snprintf(path, sizeof(path), "%s.%s",
				 ld->field_paths[p->field], slots[p->slot].key);
			if (p->slot == SLOT_CHOICE_FILTER) {
				/* an unknown list was reported already */
				if (f->list < 0) {
					continue;
				}
				list = f->list;
			}
		}
		campo_diag_init(&d);
		status = campo_expr_compile(form, p->field, list, src,
					    strlen(src), &e, &d);
		if (status) {
			report_at(ld, path, status, 0, d.column, "%s",
				  d.msg[0] ? d.msg : campo_status_str(status));
			continue;
		}
		campo_expr_free(*slot);
		*slot = e;
	}
}

/*
 * Completes the form; finish() names a field by "name.key": say where the
 * field is in the file instead.
 */
static void form_finish(struct loader *ld)
{
	struct campo_diag d;
	enum campo_status status;
	const char *dot;
	char path[PATH_MAX_];

	campo_diag_init(&d);
	status = campo_form_finish(ld->form, &d);
	if (!status) {
		return;
	}
	snprintf(path, sizeof(path), "%s", d.path);
	dot = strrchr(d.path, '.');
	if (dot) {
		int32_t f = campo_form_field_find(ld->form, d.path,
						  (size_t)(dot - d.path));

		if (f >= 0) {
			snprintf(path, sizeof(path), "%s%s", ld->field_paths[f],
				 dot);
		}
	}
	report_at(ld, path, status, d.line, d.column, "%s",
		  d.msg[0] ? d.msg : campo_status_str(status));
}

static void line_col(const char *data, size_t off, unsigned *line,
		     unsigned *col)
{
	size_t l = 1, c = 1;

	for (size_t i = 0; i < off; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l > UINT32_MAX ? UINT32_MAX : (unsigned)l;
	*col = c > UINT32_MAX ? UINT32_MAX : (unsigned)c;
}

/*
 * One pass before cJSON: the text must be UTF-8 (cJSON takes any bytes) and
 * not nest deeper than MAX_JSON_DEPTH (cJSON recurses up to 1000 levels).
 * Returns the offset of the first problem and sets *what, or len.
 */
static size_t prescan(const char *data, size_t len, const char **what,
		      enum campo_status *status)
{
	const uint8_t *s = (const uint8_t *)data;
	size_t depth = 0;
	bool in_string = false;

	for (size_t i = 0; i < len;) {
		uint8_t b;

		/* fast path over the bytes that change nothing */
		if (in_string) {
			while (i < len && s[i] < 0x80 && s[i] != '"' &&
			       s[i] != '\\') {
				i++;
			}
		} else {
			while (i < len && s[i] < 0x80 && s[i] != '"' &&
			       s[i] != '[' && s[i] != '{' && s[i] != ']' &&
			       s[i] != '}') {
				i++;
			}
		}
		if (i == len) {
			break;
		}
		b = s[i];
		if (b < 0x80) {
			if (in_string) {
				if (b == '\\') {
					/* cJSON would cut the string there */
					if (len - i >= 6 &&
					    !memcmp(s + i + 1, "u0000", 5)) {
						*what = "\\u0000 is not "
							"allowed "
							"in a string";
						*status = CAMPO_ERR_PARSE;
						return i;
					}
					i += i + 1 < len ? 2 : 1;
					continue;
				}
				in_string = b != '"';
			} else if (b == '"') {
				in_string = true;
			} else if (b == '[' || b == '{') {
				if (++depth > MAX_JSON_DEPTH) {
					*what = "arrays and objects nested "
						"more than 200 deep";
					*status = CAMPO_ERR_LIMIT;
					return i;
				}
			} else if ((b == ']' || b == '}') && depth) {
				depth--;
			}
			i++;
			continue;
		}
		if (campo_utf8_decode(data, len, &i) == CAMPO_UTF8_BAD) {
			i--; /* report the byte that starts no sequence */
			goto bad;
		}
		continue;
	bad:
		*what = "invalid UTF-8";
		*status = CAMPO_ERR_PARSE;
		return i;
	}
	return len;
}

/* Parses the JSON text; NULL (with the error reported) on failure. */
static cJSON *json_parse(struct loader *ld, const char *data, size_t len)
{
	const char *what = NULL, *end = NULL;
	enum campo_status status = CAMPO_OK;
	unsigned line, col;
	size_t off, bom = 0;
	cJSON *root;

	if (len > CAMPO_FORM_MAX_BYTES) {
		report(ld, CAMPO_ERR_LIMIT, "form is %zu bytes, more than %u",
		       len, (unsigned)CAMPO_FORM_MAX_BYTES);
		return NULL;
	}
	if (!len) {
		report(ld, CAMPO_ERR_PARSE, "empty file");
		return NULL;
	}
	/* RFC 8259 lets a parser ignore a byte order mark; editors write one */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		bom = 3;
	}
	off = prescan(data, len, &what, &status);
	if (off < len) {
		line_col(data, off, &line, &col);
		report_at(ld, "", status, line, col, "%s", what);
		return NULL;
	}
	/* Not NUL-terminated: the text after the value is checked below. */
	root = cJSON_ParseWithLengthOpts(data + bom, len - bom, &end, false);
	if (!root) {
		off = end && end >= data ? (size_t)(end - data) : 0;
		if (off > len) {
			off = len;
		}
		line_col(data, off, &line, &col);
		if (off + 1 >= len) {
			report_at(ld, "", CAMPO_ERR_PARSE, line, col,
				  "invalid JSON (unexpected end of text?)");
		} else if (data[off] > ' ' && data[off] < 0x7f) {
			report_at(ld, "", CAMPO_ERR_PARSE, line, col,
				  "invalid JSON near '%c'", data[off]);
		} else {
			report_at(ld, "", CAMPO_ERR_PARSE, line, col,
				  "invalid JSON");
		}
		return NULL;
	}
	off = end ? (size_t)(end - data) : len;
	while (off < len && (data[off] == ' ' || data[off] == '\t' ||
			     data[off] == '\n' || data[off] == '\r')) {
		off++;
	}
	if (off < len) {
		line_col(data, off, &line, &col);
		report_at(ld, "", CAMPO_ERR_PARSE, line, col,
			  "unexpected text after the JSON value");
		cJSON_Delete(root);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		report(ld, CAMPO_ERR_INVALID,
		       "expected an object at the top level, got %s",
		       json_kind(root));
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static void string_set(struct loader *ld, const cJSON *item, char **dst,
		       size_t max, bool is_name)
{
	const char *s = string_get(
		ld, item, is_name ? CAMPO_FORM_MAX_TEXT : max, "a string");
	char *copy;

	if (!s) {
		return;
	}
	if (is_name && !name_check(ld, "id", s)) {
		return;
	}
	if (!is_name && !*s) {
		report(ld, CAMPO_ERR_INVALID, "empty string");
		return;
	}
	copy = campo_strdup(s);
	if (!copy) {
		nomem(ld);
		return;
	}
	free(*dst);
	*dst = copy;
}

/* Walks the top-level object into ld->form. */
static void form_parse(struct loader *ld, const cJSON *root)
{
	struct campo_form *form = ld->form;
	const cJSON *found[TK_COUNT_];
	size_t old, idx;

	object_keys(ld, root, top_keys, TK_COUNT_, found);

	/* languages come first: every text is sized by them */
	if (found[TK_LANGUAGES]) {
		old = path_key(ld, "languages");
		languages_parse(ld, found[TK_LANGUAGES]);
		path_pop(ld, old);
	}
	if (!form->n_languages &&
	    campo_form_language_add(form, "default", &idx)) {
		nomem(ld);
		return;
	}
	if (found[TK_DEFAULT_LANGUAGE]) {
		const char *s;

		old = path_key(ld, "default_language");
		s = string_get(ld, found[TK_DEFAULT_LANGUAGE], 64,
			       "a language code");
		if (s) {
			size_t i;

			for (i = 0; i < form->n_languages &&
				    strcmp(form->languages[i], s);
			     i++) {
			}
			if (i == form->n_languages) {
				report(ld, CAMPO_ERR_INVALID,
				       "unknown language '%s' (not in "
				       "'languages')",
				       s);
			} else {
				form->default_language = i;
			}
		}
		path_pop(ld, old);
	}
	if (found[TK_ID]) {
		old = path_key(ld, "id");
		string_set(ld, found[TK_ID], &form->id, CAMPO_FORM_MAX_NAME,
			   true);
		path_pop(ld, old);
	} else {
		report(ld, CAMPO_ERR_INVALID, "missing key 'id'");
	}
	if (found[TK_VERSION]) {
		old = path_key(ld, "version");
		string_set(ld, found[TK_VERSION], &form->version,
			   CAMPO_FORM_MAX_NAME, false);
		path_pop(ld, old);
	}
	if (found[TK_TITLE]) {
		old = path_key(ld, "title");
		text_parse(ld, found[TK_TITLE], &form->title, false, "title");
		path_pop(ld, old);
	}
	if (found[TK_CHOICES]) {
		old = path_key(ld, "choices");
		choices_parse(ld, found[TK_CHOICES]);
		path_pop(ld, old);
	}
	if (ld->nomem) {
		return;
	}
	if (!found[TK_FIELDS]) {
		report(ld, CAMPO_ERR_INVALID, "missing key 'fields'");
	} else if (!cJSON_IsArray(found[TK_FIELDS])) {
		old = path_key(ld, "fields");
		report(ld, CAMPO_ERR_INVALID,
		       "expected an array of fields, got %s",
		       json_kind(found[TK_FIELDS]));
		path_pop(ld, old);
	} else if (!found[TK_FIELDS]->child) {
		old = path_key(ld, "fields");
		report(ld, CAMPO_ERR_INVALID,
		       "empty fields (a form needs at least one field)");
		path_pop(ld, old);
	} else {
		fields_parse(ld, found[TK_FIELDS], -1, 0);
	}
	if (found[TK_INSTANCE_NAME]) {
		old = path_key(ld, "instance_name");
		expr_parse(ld, found[TK_INSTANCE_NAME], -1, SLOT_INSTANCE_NAME,
			   true);
		path_pop(ld, old);
	}
}

enum campo_status campo_form_load(const char *name, const char *data,
				  size_t len, struct campo_form **out,
				  struct campo_diag_list *errors)
{
	struct loader ld;
	cJSON *root;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.name = name ? name : "";
	ld.errors = errors;
	ld.form = campo_form_new();
	if (!ld.form) {
		nomem(&ld);
		return ld.status;
	}
	root = json_parse(&ld, data ? data : "", data ? len : 0);
	if (!root) {
		goto out_free_form;
	}
	form_parse(&ld, root);
	if (!ld.nomem) {
		pending_compile(&ld);
	}
	/* cycles are worth reporting alongside other errors; finish() only
	 * reads what compiled */
	if (!ld.nomem) {
		form_finish(&ld);
	}
	if (!ld.status) {
		char *path = campo_strdup(ld.name);

		if (!path) {
			nomem(&ld);
		} else {
			free(ld.form->path);
			ld.form->path = path;
		}
	}
	cJSON_Delete(root);
	for (size_t i = 0; i < ld.n_pending; i++) {
		free(ld.pending[i].path);
	}
	free(ld.pending);
	for (size_t i = 0; i < ld.n_field_paths; i++) {
		free(ld.field_paths[i]);
	}
	free(ld.field_paths);
	if (!ld.status) {
		*out = ld.form;
		return CAMPO_OK;
	}
out_free_form:
	campo_form_free(ld.form);
	return ld.status;
}

enum campo_status campo_form_load_file(const char *path,
				       struct campo_form **out,
				       struct campo_diag_list *errors)
{
	struct campo_diag d;
	enum campo_status status;
	char *data;
	size_t len;

	*out = NULL;
	campo_diag_init(&d);
	status = campo_file_read(path, CAMPO_FORM_MAX_BYTES, &data, &len, &d);
	if (status) {
		campo_diag_list_add(errors, &d);
		return status;
	}
	status = campo_form_load(path, data, len, out, errors);
	free(data);
	return status;
}
