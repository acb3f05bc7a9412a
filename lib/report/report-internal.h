/* SPDX-License-Identifier: MIT */
/* Helpers the exports and the import share; not installed. */
#ifndef CAMPO_REPORT_INTERNAL_H
#define CAMPO_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

/* The instance ids an export walks, in creation order. */
struct report_ids {
	char (*ids)[CAMPO_STORE_ID_LEN + 1];
	size_t n, cap;
};

/*
 * Fills ids with every interview of form_id (NULL: all) except discarded
 * ones. Caller frees ids->ids with free().
 */
enum campo_status report_ids_list(struct campo_store *store,
				  const char *form_id, struct report_ids *ids,
				  struct campo_diag *diag);

/* The answer at key, or NULL (borrowed from iv). */
const char *report_answer(const struct campo_store_interview *iv,
			  const char *key);

/* The number of instances of repeat path key ("member[2]/trip"), or 0. */
uint32_t report_repeat_count(const struct campo_store_interview *iv,
			     const char *key);

/* Appends one RFC 4180 field (a comma first unless first): quoted when it
 * holds a comma, quote, CR or LF, quotes doubled. */
enum campo_status report_csv_field(struct campo_buf *b, bool first,
				   const char *s);

/* The CSV writer (report-csv.c): a file per form and per repeat, opened
 * as each form is first seen. */
struct report_csv;

struct report_csv_options {
	const char *dir;	  /* an existing folder */
	const char *lang;	  /* NULL: choice codes; else labels */
	bool bom;		  /* start each file with a UTF-8 BOM */
	const char *const *extra; /* n_extra columns after the head columns
				   * of each form's own file (borrowed) */
	size_t n_extra;
};

/* Starts a CSV export into o->dir; *out: close with report_csv_close(). */
enum campo_status report_csv_open(const struct campo_report_forms *forms,
				  const struct report_csv_options *o,
				  struct report_csv **out,
				  struct campo_diag *diag);

/* Writes iv's rows: its form's file (with the n_extra values of extra,
 * NULL when none) and its repeats' files. */
enum campo_status report_csv_add(struct report_csv *c,
				 const struct campo_store_interview *iv,
				 const char *const *extra,
				 struct campo_diag *diag);

/* Opens form_id's files (their header rows) if they are not open yet. */
enum campo_status report_csv_form(struct report_csv *c, const char *form_id,
				  struct campo_diag *diag);

/* Closes every file and frees c (NULL is fine); returns status, or the
 * first failure to close. */
enum campo_status report_csv_close(struct report_csv *c,
				   enum campo_status status,
				   struct campo_diag *diag);

/* Appends s as a JSON string, quoted and escaped. */
enum campo_status report_json_str(struct campo_buf *b, const char *s);

/* Whether field f of form has a stored value (not a group, repeat, note). */
bool report_field_valued(const struct campo_form *form, uint32_t f);

/*
 * Writes the key of field f into out: enclosing groups and repeats, each
 * repeat with idx[level] (level 0 the outermost repeat); f itself gets no
 * index. Returns false when it does not fit.
 */
bool report_field_key(const struct campo_form *form, uint32_t f,
		      const uint32_t *idx, char out[CAMPO_STORE_KEY_MAX + 1]);

#endif
