/* SPDX-License-Identifier: MIT */
/* Loading a form from its JSON file, strictly (docs/form-format.md). */
#ifndef CAMPO_FORM_FORM_LOAD_H
#define CAMPO_FORM_FORM_LOAD_H

#include <stddef.h>

#include "form/form.h"
#include "util/diag.h"
#include "util/status.h"

/*
 * Parses len bytes of JSON text (need not be NUL-terminated) named `name`
 * in messages ("forms/census.json"), checks it strictly, compiles every
 * expression and completes the form. On success *out is the form (caller
 * frees with campo_form_free()); on failure *out is NULL, the status is
 * that of the first error, and every error found (up to errors->max) is in
 * errors, each with file, path ("fields[3].children[7].constraint") and,
 * for expressions, the column. errors may be NULL.
 */
enum campo_status campo_form_load(const char *name, const char *data,
				  size_t len, struct campo_form **out,
				  struct campo_diag_list *errors);

/* Reads the file at path (at most CAMPO_FORM_MAX_BYTES) and loads it. */
enum campo_status campo_form_load_file(const char *path,
				       struct campo_form **out,
				       struct campo_diag_list *errors);

#endif
