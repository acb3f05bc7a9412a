/* SPDX-License-Identifier: MIT */
/* One expression case in the shape of cases.json, run against a synthetic
 * form: shared by the unit test and `campo-collector eval --jsonl`. */
#ifndef CAMPO_FORM_EXPR_CASE_H
#define CAMPO_FORM_EXPR_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/status.h"

/*
 * The outcome of one case. When `failed`, the expression did not compile
 * or could not be evaluated and `error` says why ("unknown function
 * 'lenght' at column 1"); otherwise `value` is the text a calculation
 * stores and `boolean` what relevant/constraint/required see.
 */
struct campo_expr_case {
	char *id;    /* the case's "id" as JSON text ("null" when absent) */
	char *expr;  /* the expression */
	char *value; /* NULL when failed */
	bool boolean;
	bool failed;
	char error[CAMPO_DIAG_MSG + 32];
};

/*
 * Builds a form from one case object (len bytes of JSON text, need not be
 * NUL-terminated): every key of "fields" a top-level text question,
 * "repeats" repeats with their questions and instances, "choice" a one-row
 * choice list for a choice_filter, "context" the question `.` is; then
 * compiles "expr" and evaluates it. now_ms fixes the clock (0: real time).
 *
 * Returns CAMPO_OK when the case was read, whether the expression worked
 * or not (see out->failed); CAMPO_ERR_PARSE or CAMPO_ERR_INVALID when the
 * JSON is not a case, with diag set. out: release with
 * campo_expr_case_release().
 */
enum campo_status campo_expr_case_run(const char *json, size_t len,
				      int64_t now_ms,
				      struct campo_expr_case *out,
				      struct campo_diag *diag);

/* Frees what a case run allocated. NULL is fine. */
void campo_expr_case_release(struct campo_expr_case *c);

#endif
