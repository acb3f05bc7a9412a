/* SPDX-License-Identifier: MIT */
/* The form model: questions, choice lists, languages and compiled expressions.
 */
#ifndef CAMPO_FORM_FORM_H
#define CAMPO_FORM_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/status.h"

struct campo_expr;

/* Caps fixed for every form; a breach is a load error (CAMPO_ERR_LIMIT). */
#define CAMPO_FORM_MAX_BYTES (8u << 20) /* form file size */
#define CAMPO_FORM_MAX_DEPTH 16		/* nesting of groups and repeats */
#define CAMPO_FORM_MAX_FIELDS 4096	/* questions, groups, repeats */
#define CAMPO_FORM_MAX_LISTS 512	/* choice lists */
#define CAMPO_FORM_MAX_CHOICES 20000	/* choices over all lists */
#define CAMPO_FORM_MAX_LANGUAGES 16
#define CAMPO_FORM_MAX_NAME 64	 /* bytes in a field or list name */
#define CAMPO_FORM_MAX_TEXT 4096 /* bytes in a label, hint, message */
#define CAMPO_FORM_MAX_EXPR 4096
/* Names that start with this are the collector's own (the review's stored
 * position, export columns): a form may not use them. */
#define CAMPO_FORM_RESERVED_PREFIX "_campo" /* bytes in one expression */

enum campo_type {
	CAMPO_TYPE_TEXT,
	CAMPO_TYPE_INTEGER,
	CAMPO_TYPE_DECIMAL,
	CAMPO_TYPE_DATE,
	CAMPO_TYPE_DATETIME,
	CAMPO_TYPE_TIME,
	CAMPO_TYPE_SELECT_ONE,
	CAMPO_TYPE_SELECT_MULTIPLE,
	CAMPO_TYPE_NOTE,
	CAMPO_TYPE_CALCULATE,
	CAMPO_TYPE_ACKNOWLEDGE,
	CAMPO_TYPE_GROUP,
	CAMPO_TYPE_REPEAT,
	CAMPO_TYPE_COUNT_ /* number of types, not a type */
};

/* What each type is; campo_type_info(t) returns the row for t. */
struct campo_type_info {
	const char *name; /* as written in a form: "select_one" */
	bool has_value;	  /* stores an answer (not note, group, repeat) */
	bool container;	  /* group or repeat: has children */
	bool needs_list;  /* select_one, select_multiple */
	bool asks;	  /* shown to the enumerator as a question */
};

/* The row for t (t must be a valid type). */
const struct campo_type_info *campo_type_info(enum campo_type t);

/* Looks a type up by its name (len bytes); false when unknown. */
bool campo_type_from_name(const char *name, size_t len, enum campo_type *out);

/*
 * Text in every language of the form: text[i] is the text for
 * form->languages[i], or NULL when the form gave none. A plain string in the
 * form fills every language.
 */
struct campo_i18n {
	char **text; /* NULL when the field has no such text at all */
};

struct campo_choice {
	char *name; /* the code stored */
	struct campo_i18n label;
	char **values; /* values[i] for list->columns[i]; "" if absent */
};

struct campo_choice_list {
	char *name;
	size_t n_choices;
	struct campo_choice *choices;
	size_t n_columns; /* extra columns a choice_filter can read */
	char **columns;
};

/*
 * One question, group or repeat. Fields are stored in document order
 * (pre-order): a container's descendants follow it, up to index `end`.
 */
struct campo_field {
	char *name;
	enum campo_type type;
	uint32_t index; /* position in form->fields */
	int32_t parent; /* enclosing group/repeat index, -1 at top level */
	int32_t repeat; /* nearest enclosing repeat index, -1 if none */
	uint32_t depth; /* 0 at top level */
	uint32_t end;	/* one past the last descendant */

	struct campo_i18n label, hint, required_message, constraint_message;
	char *appearance; /* NULL when not given */
	bool read_only;
	int32_t list; /* choice list index for selects, else -1 */

	/* Compiled expressions; NULL when not given. `required` is true() for
	 * `"required": true`. */
	struct campo_expr *relevant;
	struct campo_expr *constraint;
	struct campo_expr *required;
	struct campo_expr *calculation;
	struct campo_expr *default_value;
	struct campo_expr *choice_filter;
	struct campo_expr *repeat_count;

	/*
	 * Fields whose expressions read this one (relevant, constraint,
	 * required, calculation, default, choice_filter, repeat_count, and the
	 * form's instance_name as index UINT32_MAX is not included): sorted,
	 * no duplicates. Filled by campo_form_finish().
	 */
	uint32_t *dependents;
	size_t n_dependents;
};

struct campo_form {
	char *path; /* where it was loaded from, or "" */
	char *id;
	char *version;
	size_t n_languages;
	char **languages; /* codes: "es", "ht", "en" */
	size_t default_language;
	struct campo_i18n title;
	struct campo_expr *instance_name; /* NULL when not given */

	size_t n_fields;
	struct campo_field *fields;
	size_t n_lists;
	struct campo_choice_list *lists;

	/* Indices of fields that have a calculation, in an order where each
	 * comes after every calculation it reads. Filled by finish(). */
	uint32_t *calc_order;
	size_t n_calc_order;

	/* Internal: name lookup. */
	struct campo_form_index_ *index_;
};

/*
 * Makes an empty form (no fields, no languages). Caller frees with
 * campo_form_free(). Returns NULL when memory runs out.
 */
struct campo_form *campo_form_new(void);

/* Frees form and everything it owns. NULL is fine. */
void campo_form_free(struct campo_form *form);

/*
 * Adds a language code (copied). Returns its index in *out.
 */
enum campo_status campo_form_language_add(struct campo_form *form,
					  const char *code, size_t *out);

/*
 * Appends a field named name (len bytes, copied) of type type under parent
 * (-1 for top level; must be a group or repeat already added and still
 * open: fields are added in document order, so a container's children
 * must be added before anything that follows the container). Sets *out to
 * its index. Fails with CAMPO_ERR_CONFLICT when the name is already used
 * anywhere in the form (XLSForm names are form-wide), CAMPO_ERR_LIMIT past
 * the caps, CAMPO_ERR_INVALID for a bad name.
 * Pointers into form->fields are invalidated by this call.
 */
enum campo_status campo_form_field_add(struct campo_form *form, int32_t parent,
				       const char *name, size_t len,
				       enum campo_type type, uint32_t *out);

/* Appends an empty choice list (name copied); *out gets its index. */
enum campo_status campo_form_list_add(struct campo_form *form, const char *name,
				      size_t len, size_t *out);

/* Finds a field by name (len bytes); -1 when there is none. */
int32_t campo_form_field_find(const struct campo_form *form, const char *name,
			      size_t len);

/* Finds a choice list by name; -1 when there is none. */
int32_t campo_form_list_find(const struct campo_form *form, const char *name,
			     size_t len);

/* Finds a choice in a list by its code; -1 when there is none. */
int32_t campo_form_choice_find(const struct campo_choice_list *list,
			       const char *name, size_t len);

/*
 * Completes a form whose fields and expressions are all set: computes
 * `end`, the dependents of each field and the calculation order. A cycle
 * among calculations (or a relevance that reads itself) is
 * CAMPO_ERR_INVALID with the path of a field on the cycle in diag.
 */
enum campo_status campo_form_finish(struct campo_form *form,
				    struct campo_diag *diag);

/*
 * Text for language lang (an index into form->languages); falls back to the
 * default language, then to any language that has one. NULL when the field
 * has no such text.
 */
const char *campo_i18n_get(const struct campo_form *form,
			   const struct campo_i18n *t, size_t lang);

/* Is `ancestor` (a field index) the field itself or an enclosing one? */
bool campo_form_field_within(const struct campo_form *form, uint32_t field,
			     uint32_t ancestor);

#endif
