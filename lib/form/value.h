/* SPDX-License-Identifier: MIT */
/* Typed answers: what text each question type accepts, and how it is stored. */
#ifndef CAMPO_FORM_VALUE_H
#define CAMPO_FORM_VALUE_H

#include <stddef.h>

#include "form/form.h"
#include "util/buf.h"

#define CAMPO_VALUE_TEXT_MAX 4096 /* bytes of a text answer */

/* Why an answer was refused; CAMPO_VALUE_OK when it was not. */
enum campo_value_error {
	CAMPO_VALUE_OK = 0,
	CAMPO_VALUE_INTEGER,  /* not a whole number */
	CAMPO_VALUE_RANGE,    /* a whole number past int64 */
	CAMPO_VALUE_DECIMAL,  /* not a number */
	CAMPO_VALUE_DATE,     /* not a calendar date YYYY-MM-DD */
	CAMPO_VALUE_DATETIME, /* not YYYY-MM-DDTHH:MM[:SS[.fff]][zone] */
	CAMPO_VALUE_TIME,     /* not HH:MM[:SS] */
	CAMPO_VALUE_ACK,      /* acknowledge takes "OK" only */
	CAMPO_VALUE_TOO_LONG, /* past CAMPO_VALUE_TEXT_MAX (64 for numbers) */
	CAMPO_VALUE_UTF8,     /* text that is not UTF-8, or has a NUL */
	CAMPO_VALUE_NOMEM,
};

/*
 * Checks len bytes of p typed for a question of type (any type but the
 * selects, whose codes depend on their list) and writes into out (reset
 * first) the text to store, in the C locale: integers canonical ("007" is
 * 7), a decimal comma as a point, "T" between a datetime's date and time,
 * "OK" for acknowledge. Surrounding blanks are ignored except in text. An
 * empty answer is accepted with out empty. The stored text of an accepted
 * answer is accepted again unchanged, so a stored value is valid exactly
 * when normalizing it gives it back.
 */
enum campo_value_error campo_value_normalize(enum campo_type type,
					     const char *p, size_t len,
					     struct campo_buf *out);

/* A short English description of err ("not a calendar date"); static. */
const char *campo_value_error_str(enum campo_value_error err);

#endif
