/* SPDX-License-Identifier: MIT */
/* Exports (JSON Lines, CSV) and JSON Lines import over the device store. */
#ifndef CAMPO_REPORT_REPORT_H
#define CAMPO_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "form/form.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/status.h"
#include "wire/wire.h"

/*
 * The interchange format is described in docs/interchange.md. Every export
 * walks the store's list and loads one interview at a time: memory use is
 * one interview plus one instance id per listed interview.
 */

#define CAMPO_REPORT_LINE_MAX (16u << 20) /* bytes of one JSON Lines line */

/*
 * Finds the form an interview was collected with: the form with id form_id
 * (borrowed; it must stay valid until the export or import call returns).
 * Returns NULL with a message in diag when there is none.
 */
typedef const struct campo_form *
campo_report_form_fn(void *ctx, const char *form_id, struct campo_diag *diag);

/* Where forms come from: fn(ctx, ...). */
struct campo_report_forms {
	campo_report_form_fn *fn;
	void *ctx;
};

/*
 * Appends the JSON Lines line of iv (with its '\n') to out. Answers whose
 * key names no field of form are left out (a form changed under the data).
 */
enum campo_status
campo_report_jsonl_line(const struct campo_form *form,
			const struct campo_store_interview *iv,
			struct campo_buf *out, struct campo_diag *diag);

/*
 * Writes one line per interview of form_id (NULL: every form), in creation
 * order, to out. Discarded interviews are left out. *n (may be NULL) gets
 * the number of lines written.
 */
enum campo_status
campo_report_jsonl_export(struct campo_store *store, const char *form_id,
			  const struct campo_report_forms *forms, FILE *out,
			  size_t *n, struct campo_diag *diag);

/*
 * Writes the CSV export into folder dir (which must exist): <form_id>.csv
 * per form and <form_id>-<repeat>.csv per repeat of that form, for the
 * interviews of form_id (NULL: every form; discarded ones left out). lang
 * NULL writes choice codes; a language code writes choice labels in that
 * language (CAMPO_ERR_INVALID when a form does not have it). *n (may be
 * NULL) gets the number of interviews written.
 */
enum campo_status
campo_report_csv_export(struct campo_store *store, const char *form_id,
			const struct campo_report_forms *forms, const char *dir,
			const char *lang, size_t *n, struct campo_diag *diag);

/*
 * A clock the store can be opened with (struct campo_store_options.clock)
 * so an import stamps an interview with its original start and finalize
 * times: while wall_ms is positive the wall clock reads wall_ms, else the
 * real clock. The monotonic clock is always the real one.
 */
struct campo_report_clock {
	int64_t wall_ms;
};

/* campo_store_clock_fn over a struct campo_report_clock *ctx. */
int campo_report_clock_read(void *ctx, int64_t *wall_ms, int64_t *mono_ms);

enum campo_report_import_result {
	CAMPO_REPORT_IMPORTED,	/* a new interview was written */
	CAMPO_REPORT_UNCHANGED, /* the same interview was already there */
};

/*
 * Imports one JSON Lines line (len bytes, a trailing '\n' allowed) into
 * store: the line is parsed, checked strictly (unknown keys, wrong types,
 * duplicate keys) and every answer validated against its form as if typed
 * (type, choice codes, constraint; required questions when the status is
 * finalized) before anything is written. An interview whose id is already
 * in the store with the same content is CAMPO_OK and *result UNCHANGED;
 * with other content CAMPO_ERR_CONFLICT. A finalized (or sent) interview is
 * finalized in the store, so it is queued for sync. clock (may be NULL) is
 * the clock store was opened with; with it the interview keeps its
 * started_at and finalized_at. On failure diag->path names the answer
 * ("member[2].age") when one is to blame.
 */
enum campo_status campo_report_import_line(
	struct campo_store *store, const struct campo_report_forms *forms,
	struct campo_report_clock *clock, const char *line, size_t len,
	enum campo_report_import_result *result, struct campo_diag *diag);

/*
 * Builds batch batch_id (a UUID v4) from the n interviews instance_ids of
 * store (finalized, sent or returned; each with its audit trail), in that
 * order, into *out (caller frees with campo_wire_batch_free()); encode it
 * with campo_wire_batch_encode(). created_at NULL stamps the batch now.
 * The device id is the store's. Every interview's content hash is checked
 * against its answers (CAMPO_ERR_INVALID when the store's disagrees).
 * CAMPO_ERR_NOTFOUND for an unknown instance id, CAMPO_ERR_INVALID for a
 * draft or discarded one, CAMPO_ERR_LIMIT past CAMPO_WIRE_RECORDS_MAX.
 */
enum campo_status campo_report_batch_build(
	struct campo_store *store, const char *batch_id, const char *created_at,
	const char *const *instance_ids, size_t n,
	struct campo_wire_batch **out, struct campo_diag *diag);

#endif
