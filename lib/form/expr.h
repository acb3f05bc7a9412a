/* SPDX-License-Identifier: MIT */
/* The expression language of XLSForm/ODK: compile once, evaluate often. */
#ifndef CAMPO_FORM_EXPR_H
#define CAMPO_FORM_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "form/form.h"
#include "form/instance.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/status.h"

/*
 * Semantics follow docs/expressions.md (the project's expression policy:
 * ODK Collect's answer wins, then XPath 1.0).
 */
struct campo_expr;

/*
 * Compiles len bytes of src, an expression of `form`:
 *   context  the field that `.` names (its constraint, calculation...), or
 *            -1 when there is none (instance_name); `..` is its parent
 *   list     for a choice_filter, the choice list whose rows bare names
 *            (name, label, extra columns) read; -1 otherwise
 * Every ${name} must name a field of form; every function must exist and
 * get a fitting number of arguments. On failure returns CAMPO_ERR_PARSE
 * (syntax) or CAMPO_ERR_INVALID (unknown name or function, arity), with
 * diag->msg and diag->column (1-based, bytes into src) set; diag->file and
 * diag->path are left to the caller.
 * *out: caller frees with campo_expr_free().
 */
enum campo_status campo_expr_compile(const struct campo_form *form,
				     int32_t context, int32_t list,
				     const char *src, size_t len,
				     struct campo_expr **out,
				     struct campo_diag *diag);

/* Frees e. NULL is fine. */
void campo_expr_free(struct campo_expr *e);

/* The source text it was compiled from. Borrowed. */
const char *campo_expr_source(const struct campo_expr *e);

/*
 * The fields the expression reads (by ${name}, `.`, `..` or inside
 * predicates), sorted, without duplicates. Borrowed, valid while e lives.
 */
const uint32_t *campo_expr_refs(const struct campo_expr *e, size_t *n);

/*
 * Where and how to evaluate. Set it up with campo_eval_init(), point it at
 * a node and field, evaluate as often as needed, then campo_eval_release().
 * Evaluation reuses the scratch memory it keeps, so the common path
 * allocates nothing.
 */
struct campo_eval {
	const struct campo_instance *data; /* borrowed */
	const struct campo_inode *node;	   /* the context field's instance */
	int32_t field;			   /* `.`, or -1 */
	int32_t list;			   /* choice_filter row's list, or -1 */
	size_t choice;			   /* the row, when list >= 0 */
	int64_t now_ms; /* clock for today()/now(), ms since the epoch UTC;
			   0 means read the real clock */
	size_t lang;	/* language of jr:choice-name() labels (an index into
			   form->languages); init sets the default language */
	struct campo_eval_scratch_ *scratch_; /* internal */
};

/* Sets ev up over data, at its root, no context field, in the form's
 * default language. */
void campo_eval_init(struct campo_eval *ev, const struct campo_instance *data);

/* Frees the scratch memory. NULL is fine. */
void campo_eval_release(struct campo_eval *ev);

/*
 * Evaluates e and appends the text a calculation would store to out
 * (numbers in XPath form, NaN as "", booleans "true"/"false", dates
 * "YYYY-MM-DD"). A runtime error (an impossible date) returns
 * CAMPO_ERR_INVALID with diag->msg set.
 */
enum campo_status campo_expr_eval_text(const struct campo_expr *e,
				       struct campo_eval *ev,
				       struct campo_buf *out,
				       struct campo_diag *diag);

/*
 * Evaluates e as relevant, constraint and required see it. Beware: when
 * the whole expression is a bare reference (`${consent}`), the answer is
 * whether the question's node exists, so an unanswered question is true;
 * inside an expression (`${consent} and ...`, `not(${consent})`,
 * `boolean(${consent})`) an unanswered question is false. cases.json
 * (empty-001 against boolean-035 and empty-039) wants exactly this,
 * though POLICY.md's "Values" reads as if both were false.
 */
enum campo_status campo_expr_eval_bool(const struct campo_expr *e,
				       struct campo_eval *ev, bool *out,
				       struct campo_diag *diag);

#endif
