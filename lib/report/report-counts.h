/* SPDX-License-Identifier: MIT */
/* Completion counts over the hub database, for supervisors. */
#ifndef CAMPO_REPORT_COUNTS_H
#define CAMPO_REPORT_COUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"
#include "store/hub.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/status.h"

/*
 * One pass over the latest revision of every interview at the hub
 * (campo_hub_latest_list(): a conflict or a fork counts once), tallied by
 * enumerator, area, form, day, visit result and status, with the targets
 * and the devices. Built once, then written as a terminal table, CSV or
 * JSON (docs/supervisors.md shows each), or read row by row for a page.
 */
struct campo_report_counts;

/* The question names the report groups by. */
struct campo_report_counts_options {
	const char *area_field;	 /* NULL: "sector" */
	const char *visit_field; /* NULL: "visit_result" */
};

/* What a row counts; each has its own list of rows. */
enum campo_report_dim {
	CAMPO_REPORT_BY_AREA,
	CAMPO_REPORT_BY_ENUMERATOR,
	CAMPO_REPORT_BY_FORM,
	CAMPO_REPORT_BY_DAY,
	CAMPO_REPORT_BY_VISIT,
	CAMPO_REPORT_BY_STATUS,
	CAMPO_REPORT_BY_TARGET, /* one row per imported target */
	CAMPO_REPORT_DIM_N
};

/* One row: interviews done for key (and key2 for a target's enumerator,
 * "" for a whole area), against expected (-1: no target). Strings
 * borrowed from the counts. */
struct campo_report_row {
	const char *key;
	const char *key2;
	int64_t done;
	int64_t expected;
};

/* Interview statuses the report counts by, one each, the first that
 * holds in this order: conflict, returned (the latest revision has a
 * queued return), resubmitted (the latest revision corrects a returned
 * one), received. */
enum campo_report_status {
	CAMPO_REPORT_RECEIVED,
	CAMPO_REPORT_CONFLICT,
	CAMPO_REPORT_RETURNED,
	CAMPO_REPORT_RESUBMITTED,
	CAMPO_REPORT_STATUS_N
};

/*
 * Reads the counts from hub into *out (caller frees with
 * campo_report_counts_free()). opt may be NULL for the defaults.
 * CAMPO_ERR_INVALID for a bad question name.
 */
enum campo_status campo_report_counts_build(
	struct campo_hub *hub, const struct campo_report_counts_options *opt,
	struct campo_report_counts **out, struct campo_diag *diag);

/* Frees c; NULL is fine. */
void campo_report_counts_free(struct campo_report_counts *c);

/* Interviews at the hub, latest revisions only. */
int64_t campo_report_counts_total(const struct campo_report_counts *c);

/* Open conflict records waiting for a person. */
int64_t campo_report_counts_conflicts(const struct campo_report_counts *c);

/* The question names grouped by (borrowed). */
const char *campo_report_counts_area_field(const struct campo_report_counts *c);
const char *
campo_report_counts_visit_field(const struct campo_report_counts *c);

/* The rows of dim, sorted by key then key2; *n gets how many. Borrowed;
 * valid until c is freed. */
const struct campo_report_row *
campo_report_counts_rows(const struct campo_report_counts *c,
			 enum campo_report_dim dim, size_t *n);

/* The devices, by name (borrowed from c; *n gets how many). */
const struct campo_hub_activity *
campo_report_counts_devices(const struct campo_report_counts *c, size_t *n);

/* Writes tenths of a percent of done against expected as "62.5" into out;
 * "" when expected is not positive. C locale. */
void campo_report_percent(int64_t done, int64_t expected, char out[32]);

/* Appends c as JSON (one object, a top-level "total"), CSV (one header
 * row, then a row per count) or a terminal table to out. */
enum campo_status campo_report_counts_json(const struct campo_report_counts *c,
					   struct campo_buf *out);
enum campo_status campo_report_counts_csv(const struct campo_report_counts *c,
					  struct campo_buf *out);
enum campo_status campo_report_counts_table(const struct campo_report_counts *c,
					    struct campo_buf *out);

/* Targets read from a CSV file (campo_report_targets_parse()). */
struct campo_report_targets {
	struct campo_hub_target *t; /* strings point into text */
	size_t n;
	char *text; /* the parsed copy of the file */
};

#define CAMPO_REPORT_TARGETS_MAX 100000 /* rows of a targets file */

/*
 * Parses len bytes of a targets CSV file (RFC 4180, UTF-8, an optional
 * BOM, CRLF or LF): a header row naming the columns area, expected and
 * optionally enumerator (any order; other columns refused), then one row
 * per target: area non-empty, expected a decimal 0 to 10^9, enumerator
 * may be empty. Fills *out (caller releases with
 * campo_report_targets_release()). CAMPO_ERR_PARSE with diag->line for a
 * bad row, CAMPO_ERR_LIMIT past CAMPO_REPORT_TARGETS_MAX rows.
 */
enum campo_status campo_report_targets_parse(const char *buf, size_t len,
					     struct campo_report_targets *out,
					     struct campo_diag *diag);

/* Frees what out holds; NULL is fine. */
void campo_report_targets_release(struct campo_report_targets *out);

/* What campo_report_hub_export() writes into dir. */
struct campo_report_hub_options {
	const char *dir;    /* an existing folder */
	bool csv;	    /* <form>.csv and <form>-<repeat>.csv */
	bool jsonl;	    /* interviews.jsonl */
	bool codebook;	    /* <form>-codebook.csv */
	const char *lang;   /* CSV: NULL writes choice codes, else labels */
	bool bom;	    /* CSV: a UTF-8 BOM first, for spreadsheets */
	bool all_revisions; /* every stored revision, not the latest */
};

/*
 * Exports the hub's interviews (the latest revision of each, or every
 * revision) for analysts. CSV: the device export's tables
 * (docs/interchange.md) with the columns _revision, _conflict (1 when the
 * interview is in conflict), _received_at and _batch_id after the head
 * columns. JSON Lines: one object per revision with the interchange keys,
 * received_at, batch_id, conflict and the stored data. Codebook: per form,
 * each variable's file, type, choice list, label in every language and
 * choices as code=label lines. Streamed: one revision in memory at a
 * time. forms gives the form of a form id (needed for CSV and the
 * codebook). *n (may be NULL) gets the number of revisions written.
 */
enum campo_status
campo_report_hub_export(struct campo_hub *hub,
			const struct campo_report_forms *forms,
			const struct campo_report_hub_options *o, size_t *n,
			struct campo_diag *diag);

#endif
