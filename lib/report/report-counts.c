/* SPDX-License-Identifier: MIT */
/* Completion counts: one pass over the hub's latest revisions, tallied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-counts.h"
#include "report-internal.h"
#include "util/alloc.h"

/* A tally: rows keyed by (key, key2), found through an open-addressing
 * hash of row indexes (a count of distinct keys, never of interviews). */
struct tally {
	struct campo_report_row *rows;
	size_t n, cap;
	uint32_t *slots; /* row index + 1; 0 empty */
	size_t n_slots;	 /* a power of two, at least twice n */
	size_t last;	 /* the row found last */
};

struct campo_report_counts {
	struct tally dims[CAMPO_REPORT_DIM_N];
	struct tally pairs; /* (area, enumerator), for targets */
	struct campo_hub_activity *devices;
	size_t n_devices, cap_devices;
	int64_t total, conflicts;
	int64_t by_status[CAMPO_REPORT_STATUS_N];
	bool pair_targets; /* some target names an enumerator */
	char *area_field, *visit_field;
};

static const char *const status_names[CAMPO_REPORT_STATUS_N] = {
	[CAMPO_REPORT_RECEIVED] = "received",
	[CAMPO_REPORT_CONFLICT] = "conflict",
	[CAMPO_REPORT_RETURNED] = "returned",
	[CAMPO_REPORT_RESUBMITTED] = "resubmitted",
};

/* The dimensions as JSON keys and CSV sections, in output order. */
static const struct dim_info {
	enum campo_report_dim dim;
	const char *name;  /* JSON key, CSV section */
	const char *title; /* terminal heading */
	const char *label; /* what the key is */
} dims[CAMPO_REPORT_DIM_N] = {
	{ CAMPO_REPORT_BY_STATUS, "by_status", "by status", "status" },
	{ CAMPO_REPORT_BY_AREA, "by_area", "by area", "area" },
	{ CAMPO_REPORT_BY_ENUMERATOR, "by_enumerator", "by enumerator",
	  "enumerator" },
	{ CAMPO_REPORT_BY_FORM, "by_form", "by form", "form_id" },
	{ CAMPO_REPORT_BY_DAY, "by_day", "by day", "day" },
	{ CAMPO_REPORT_BY_VISIT, "by_visit_result", "by visit result",
	  "visit_result" },
	{ CAMPO_REPORT_BY_TARGET, "targets", "targets", "area" },
};

/* Frees a string the public structs hold as const. */
static void free_const(const char *s)
{
	free((void *)(uintptr_t)s);
}

static uint64_t hash2(const char *a, const char *b)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */

	for (; *a; a++) {
		h = (h ^ (unsigned char)*a) * 1099511628211u;
	}
	h = (h ^ 0xffu) * 1099511628211u;
	for (; *b; b++) {
		h = (h ^ (unsigned char)*b) * 1099511628211u;
	}
	return h;
}

static enum campo_status tally_rehash(struct tally *t)
{
	size_t n = t->n_slots ? t->n_slots * 2 : 64;
	uint32_t *slots = campo_calloc(n, sizeof(*slots));

	if (!slots) {
		return CAMPO_ERR_NOMEM;
	}
	for (size_t i = 0; i < t->n; i++) {
		size_t s = (size_t)hash2(t->rows[i].key, t->rows[i].key2) &
			   (n - 1);

		while (slots[s]) {
			s = (s + 1) & (n - 1);
		}
		slots[s] = (uint32_t)(i + 1);
	}
	free(t->slots);
	t->slots = slots;
	t->n_slots = n;
	return CAMPO_OK;
}

/* The row of (key, key2), added with done 0 and no target when new. */
static enum campo_status tally_get(struct tally *t, const char *key,
				   const char *key2,
				   struct campo_report_row **out)
{
	struct campo_report_row *r;
	size_t s;

	/* most rows repeat the last key of a dimension (one form, one day) */
	if (t->n && !strcmp(t->rows[t->last].key, key) &&
	    !strcmp(t->rows[t->last].key2, key2)) {
		*out = &t->rows[t->last];
		return CAMPO_OK;
	}
	if ((t->n + 1) * 2 > t->n_slots && tally_rehash(t) != CAMPO_OK) {
		return CAMPO_ERR_NOMEM;
	}
	s = (size_t)hash2(key, key2) & (t->n_slots - 1);
	while (t->slots[s]) {
		r = &t->rows[t->slots[s] - 1];
		if (!strcmp(r->key, key) && !strcmp(r->key2, key2)) {
			t->last = t->slots[s] - 1;
			*out = r;
			return CAMPO_OK;
		}
		s = (s + 1) & (t->n_slots - 1);
	}
	if (campo_grow((void **)&t->rows, &t->cap, t->n + 1,
		       sizeof(*t->rows)) != 0) {
		return CAMPO_ERR_NOMEM;
	}
	r = &t->rows[t->n];
	r->key = campo_strdup(key);
	r->key2 = campo_strdup(key2);
	if (!r->key || !r->key2) {
		free_const(r->key);
		free_const(r->key2);
		return CAMPO_ERR_NOMEM;
	}
	r->done = 0;
	r->expected = -1;
	t->last = t->n;
	t->slots[s] = (uint32_t)(++t->n);
	*out = r;
	return CAMPO_OK;
}

static enum campo_status tally_add(struct tally *t, const char *key,
				   const char *key2)
{
	struct campo_report_row *r;
	enum campo_status status = tally_get(t, key, key2, &r);

	if (status == CAMPO_OK) {
		r->done++;
	}
	return status;
}

/* The row of (key, key2) or NULL; only valid while nothing is added. */
static const struct campo_report_row *
tally_find(const struct tally *t, const char *key, const char *key2)
{
	size_t s;

	if (!t->n_slots) {
		return NULL;
	}
	s = (size_t)hash2(key, key2) & (t->n_slots - 1);
	while (t->slots[s]) {
		const struct campo_report_row *r = &t->rows[t->slots[s] - 1];

		if (!strcmp(r->key, key) && !strcmp(r->key2, key2)) {
			return r;
		}
		s = (s + 1) & (t->n_slots - 1);
	}
	return NULL;
}

static int row_cmp(const void *a, const void *b)
{
	const struct campo_report_row *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->key2, y->key2);
}

/* Sorts the rows; the hash is dropped, so nothing is added after. */
static void tally_sort(struct tally *t)
{
	free(t->slots);
	t->slots = NULL;
	t->n_slots = 0;
	if (t->n) {
		qsort(t->rows, t->n, sizeof(*t->rows), row_cmp);
	}
}

static void tally_release(struct tally *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free_const(t->rows[i].key);
		free_const(t->rows[i].key2);
	}
	free(t->rows);
	free(t->slots);
}

static enum campo_status latest_add(void *ctx, const struct campo_hub_latest *r)
{
	struct campo_report_counts *c = ctx;
	enum campo_status status;
	enum campo_report_status st = r->conflict   ? CAMPO_REPORT_CONFLICT
				      : r->returned ? CAMPO_REPORT_RETURNED
				      : r->resubmitted
					      ? CAMPO_REPORT_RESUBMITTED
					      : CAMPO_REPORT_RECEIVED;

	c->total++;
	status = tally_add(&c->dims[CAMPO_REPORT_BY_AREA], r->area, "");
	if (status == CAMPO_OK) {
		status = tally_add(&c->dims[CAMPO_REPORT_BY_ENUMERATOR],
				   r->enumerator, "");
	}
	if (status == CAMPO_OK) {
		status = tally_add(&c->dims[CAMPO_REPORT_BY_FORM], r->form_id,
				   "");
	}
	if (status == CAMPO_OK) {
		status = tally_add(&c->dims[CAMPO_REPORT_BY_DAY], r->day, "");
	}
	if (status == CAMPO_OK) {
		status = tally_add(&c->dims[CAMPO_REPORT_BY_VISIT], r->visit,
				   "");
	}
	c->by_status[st]++;
	if (status == CAMPO_OK && c->pair_targets) {
		status = tally_add(&c->pairs, r->area, r->enumerator);
	}
	return status;
}

static enum campo_status target_add(void *ctx, const struct campo_hub_target *t)
{
	struct campo_report_counts *c = ctx;
	struct campo_report_row *r;
	enum campo_status status = tally_get(&c->dims[CAMPO_REPORT_BY_TARGET],
					     t->area, t->enumerator, &r);

	if (status == CAMPO_OK) {
		r->expected = t->expected;
		c->pair_targets |= t->enumerator[0] != '\0';
	}
	return status;
}

static char *dup_or_null(const char *s, enum campo_status *status)
{
	char *d = campo_strdup(s);

	if (!d) {
		*status = CAMPO_ERR_NOMEM;
	}
	return d;
}

static enum campo_status device_add(void *ctx,
				    const struct campo_hub_activity *a)
{
	struct campo_report_counts *c = ctx;
	struct campo_hub_activity *d;
	enum campo_status status = CAMPO_OK;

	if (campo_grow((void **)&c->devices, &c->cap_devices, c->n_devices + 1,
		       sizeof(*c->devices)) != 0) {
		return CAMPO_ERR_NOMEM;
	}
	d = &c->devices[c->n_devices];
	*d = *a;
	d->name = dup_or_null(a->name, &status);
	d->last_seen = dup_or_null(a->last_seen, &status);
	d->last_batch = dup_or_null(a->last_batch, &status);
	c->n_devices++; /* freed with the rest even when a copy failed */
	return status;
}

/* Adds an expected count to a row, which starts at -1 (no target). */
static void expect(struct campo_report_row *r, int64_t n)
{
	r->expected = r->expected < 0 ? n : r->expected + n;
}

/*
 * Sets what each area and enumerator is expected to reach: an area's
 * whole-area target, else the sum of its per-enumerator targets; an
 * enumerator's the sum of its targets. Areas and enumerators with a
 * target and nothing done yet get a row.
 */
static enum campo_status targets_apply(struct campo_report_counts *c)
{
	struct tally *tg = &c->dims[CAMPO_REPORT_BY_TARGET];
	enum campo_status status = CAMPO_OK;

	for (size_t i = 0; i < tg->n && status == CAMPO_OK; i++) {
		struct campo_report_row *t = &tg->rows[i], *r;
		const struct campo_report_row *done;

		done = t->key2[0] ? tally_find(&c->pairs, t->key, t->key2)
				  : tally_find(&c->dims[CAMPO_REPORT_BY_AREA],
					       t->key, "");
		t->done = done ? done->done : 0;
		status = tally_get(&c->dims[CAMPO_REPORT_BY_AREA], t->key, "",
				   &r);
		if (status != CAMPO_OK) {
			break;
		}
		if (!t->key2[0]) {
			r->expected = t->expected;
			continue;
		}
		/* a whole-area target, wherever it is in the list, wins */
		if (!tally_find(tg, t->key, "")) {
			expect(r, t->expected);
		}
		status = tally_get(&c->dims[CAMPO_REPORT_BY_ENUMERATOR],
				   t->key2, "", &r);
		if (status == CAMPO_OK) {
			expect(r, t->expected);
		}
	}
	return status;
}

enum campo_status campo_report_counts_build(
	struct campo_hub *hub, const struct campo_report_counts_options *opt,
	struct campo_report_counts **out, struct campo_diag *diag)
{
	const char *area = opt && opt->area_field ? opt->area_field : "sector";
	const char *visit =
		opt && opt->visit_field ? opt->visit_field : "visit_result";
	struct campo_report_counts *c;
	enum campo_status status = CAMPO_OK;

	*out = NULL;
	c = campo_calloc(1, sizeof(*c));
	if (!c) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	c->area_field = dup_or_null(area, &status);
	c->visit_field = dup_or_null(visit, &status);
	if (status == CAMPO_OK) {
		status = campo_hub_target_list(hub, target_add, c, diag);
	}
	if (status == CAMPO_OK) {
		status = campo_hub_latest_list(hub, area, visit, latest_add, c,
					       diag);
	}
	for (size_t i = 0; i < CAMPO_REPORT_STATUS_N && status == CAMPO_OK;
	     i++) {
		struct campo_report_row *r;

		status = tally_get(&c->dims[CAMPO_REPORT_BY_STATUS],
				   status_names[i], "", &r);
		if (status == CAMPO_OK) {
			r->done = c->by_status[i];
		}
	}
	if (status == CAMPO_OK) {
		status = targets_apply(c);
	}
	if (status == CAMPO_OK) {
		status = campo_hub_activity_list(hub, device_add, c, diag);
	}
	if (status == CAMPO_OK) {
		status = campo_hub_counts(hub, NULL, NULL, NULL, &c->conflicts,
					  diag);
	}
	if (status != CAMPO_OK) {
		if (status == CAMPO_ERR_NOMEM) {
			campo_diag_set(diag, status, "out of memory");
		}
		campo_report_counts_free(c);
		return status;
	}
	for (size_t i = 0; i < CAMPO_REPORT_DIM_N; i++) {
		/* statuses stay in their table's order */
		if (i != CAMPO_REPORT_BY_STATUS) {
			tally_sort(&c->dims[i]);
		}
	}
	*out = c;
	return CAMPO_OK;
}

void campo_report_counts_free(struct campo_report_counts *c)
{
	if (!c) {
		return;
	}
	for (size_t i = 0; i < CAMPO_REPORT_DIM_N; i++) {
		tally_release(&c->dims[i]);
	}
	tally_release(&c->pairs);
	for (size_t i = 0; i < c->n_devices; i++) {
		free_const(c->devices[i].name);
		free_const(c->devices[i].last_seen);
		free_const(c->devices[i].last_batch);
	}
	free(c->devices);
	free(c->area_field);
	free(c->visit_field);
	free(c);
}

int64_t campo_report_counts_total(const struct campo_report_counts *c)
{
	return c->total;
}

int64_t campo_report_counts_conflicts(const struct campo_report_counts *c)
{
	return c->conflicts;
}

const char *campo_report_counts_area_field(const struct campo_report_counts *c)
{
	return c->area_field;
}

const char *campo_report_counts_visit_field(const struct campo_report_counts *c)
{
	return c->visit_field;
}

const struct campo_report_row *
campo_report_counts_rows(const struct campo_report_counts *c,
			 enum campo_report_dim dim, size_t *n)
{
	*n = c->dims[dim].n;
	return c->dims[dim].rows;
}

const struct campo_hub_activity *
campo_report_counts_devices(const struct campo_report_counts *c, size_t *n)
{
	*n = c->n_devices;
	return c->devices;
}

void campo_report_percent(int64_t done, int64_t expected, char out[32])
{
	int64_t tenths;

	if (expected <= 0) {
		out[0] = '\0';
		return;
	}
	tenths = (done * 1000 + expected / 2) / expected;
	snprintf(out, 32, "%lld.%lld", (long long)(tenths / 10),
		 (long long)(tenths % 10));
}

/* ----- JSON ----- */

static enum campo_status json_opt_str(struct campo_buf *b, const char *s)
{
	return *s ? report_json_str(b, s) : campo_buf_adds(b, "null");
}

static enum campo_status json_rows(const struct campo_report_counts *c,
				   const struct dim_info *d,
				   struct campo_buf *b)
{
	const struct tally *t = &c->dims[d->dim];
	enum campo_status status = campo_buf_printf(b, ",\"%s\":[", d->name);

	for (size_t i = 0; i < t->n && status == CAMPO_OK; i++) {
		const struct campo_report_row *r = &t->rows[i];
		char pct[32];

		status = campo_buf_printf(b, "%s{\"%s\":", i ? "," : "",
					  d->label);
		if (status == CAMPO_OK) {
			status = report_json_str(b, r->key);
		}
		if (status == CAMPO_OK && d->dim == CAMPO_REPORT_BY_TARGET) {
			status = campo_buf_adds(b, ",\"enumerator\":");
			if (status == CAMPO_OK) {
				status = json_opt_str(b, r->key2);
			}
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(b, ",\"interviews\":%lld",
						  (long long)r->done);
		}
		if (status != CAMPO_OK ||
		    (d->dim != CAMPO_REPORT_BY_AREA &&
		     d->dim != CAMPO_REPORT_BY_ENUMERATOR &&
		     d->dim != CAMPO_REPORT_BY_TARGET)) {
			status = status == CAMPO_OK ? campo_buf_addc(b, '}')
						    : status;
			continue;
		}
		campo_report_percent(r->done, r->expected, pct);
		if (r->expected < 0) {
			status = campo_buf_adds(
				b, ",\"expected\":null,\"percent\":null}");
		} else {
			status = campo_buf_printf(
				b, ",\"expected\":%lld,\"percent\":%s}",
				(long long)r->expected, pct[0] ? pct : "null");
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_addc(b, ']');
	}
	return status;
}

enum campo_status campo_report_counts_json(const struct campo_report_counts *c,
					   struct campo_buf *b)
{
	enum campo_status status = campo_buf_printf(
		b,
		"{\"format\":\"campo-report/1\",\"total\":%lld,"
		"\"conflicts_open\":%lld,\"area_field\":",
		(long long)c->total, (long long)c->conflicts);

	if (status == CAMPO_OK) {
		status = report_json_str(b, c->area_field);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, ",\"visit_field\":");
	}
	if (status == CAMPO_OK) {
		status = report_json_str(b, c->visit_field);
	}
	for (size_t i = 0; i < CAMPO_REPORT_DIM_N && status == CAMPO_OK; i++) {
		status = json_rows(c, &dims[i], b);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, ",\"devices\":[");
	}
	for (size_t i = 0; i < c->n_devices && status == CAMPO_OK; i++) {
		const struct campo_hub_activity *d = &c->devices[i];

		status = campo_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		if (status == CAMPO_OK) {
			status = report_json_str(b, d->name);
		}
		if (status == CAMPO_OK) {
			status =
				campo_buf_printf(b,
						 ",\"revoked\":%s,"
						 "\"last_seen\":",
						 d->revoked ? "true" : "false");
		}
		if (status == CAMPO_OK) {
			status = json_opt_str(b, d->last_seen);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_adds(b, ",\"last_batch\":");
		}
		if (status == CAMPO_OK) {
			status = json_opt_str(b, d->last_batch);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(
				b,
				",\"batches\":%lld,\"interviews\":%lld,"
				"\"never_seen\":%s}",
				(long long)d->batches, (long long)d->interviews,
				d->last_seen[0] ? "false" : "true");
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(b, "]}\n");
	}
	return status;
}

/* ----- CSV ----- */

static enum campo_status csv_row(struct campo_buf *b, const char *const cols[9])
{
	enum campo_status status = CAMPO_OK;

	for (size_t i = 0; i < 9 && status == CAMPO_OK; i++) {
		status = report_csv_field(b, i == 0, cols[i]);
	}
	return status == CAMPO_OK ? campo_buf_adds(b, "\r\n") : status;
}

enum campo_status campo_report_counts_csv(const struct campo_report_counts *c,
					  struct campo_buf *b)
{
	static const char *const head[9] = {
		"section", "key",	"enumerator", "interviews", "expected",
		"percent", "last_seen", "last_batch", "batches",
	};
	enum campo_status status = csv_row(b, head);
	char total[32];

	snprintf(total, sizeof(total), "%lld", (long long)c->total);
	if (status == CAMPO_OK) {
		const char *const row[9] = { "total", "", "", total, "",
					     "",      "", "", "" };

		status = csv_row(b, row);
	}
	for (size_t i = 0; i < CAMPO_REPORT_DIM_N && status == CAMPO_OK; i++) {
		const struct tally *t = &c->dims[dims[i].dim];

		for (size_t k = 0; k < t->n && status == CAMPO_OK; k++) {
			const struct campo_report_row *r = &t->rows[k];
			char done[32], exp[32] = "", pct[32];

			snprintf(done, sizeof(done), "%lld",
				 (long long)r->done);
			if (r->expected >= 0) {
				snprintf(exp, sizeof(exp), "%lld",
					 (long long)r->expected);
			}
			campo_report_percent(r->done, r->expected, pct);
			{
				const char *const row[9] = {
					dims[i].name, r->key, r->key2,
					done,	      exp,    pct,
					"",	      "",     "",
				};

				status = csv_row(b, row);
			}
		}
	}
	for (size_t i = 0; i < c->n_devices && status == CAMPO_OK; i++) {
		const struct campo_hub_activity *d = &c->devices[i];
		char n[32], nb[32];

		snprintf(n, sizeof(n), "%lld", (long long)d->interviews);
		snprintf(nb, sizeof(nb), "%lld", (long long)d->batches);
		{
			const char *const row[9] = {
				"devices",    d->name,	     "", n, "", "",
				d->last_seen, d->last_batch, nb,
			};

			status = csv_row(b, row);
		}
	}
	return status;
}

/* ----- terminal table ----- */

static enum campo_status table_dim(const struct campo_report_counts *c,
				   const struct dim_info *d,
				   struct campo_buf *b)
{
	const struct tally *t = &c->dims[d->dim];
	bool target = d->dim == CAMPO_REPORT_BY_AREA ||
		      d->dim == CAMPO_REPORT_BY_ENUMERATOR ||
		      d->dim == CAMPO_REPORT_BY_TARGET;
	enum campo_status status;
	const char *label = d->dim == CAMPO_REPORT_BY_AREA    ? c->area_field
			    : d->dim == CAMPO_REPORT_BY_VISIT ? c->visit_field
							      : d->label;

	if (!t->n) {
		return CAMPO_OK;
	}
	status = campo_buf_printf(b, "\n%s (%s)\n", d->title, label);
	for (size_t i = 0; i < t->n && status == CAMPO_OK; i++) {
		const struct campo_report_row *r = &t->rows[i];
		char key[160], pct[32];

		snprintf(key, sizeof(key), "%s%s%s",
			 r->key[0] ? r->key : "(none)", r->key2[0] ? " / " : "",
			 r->key2);
		if (!target) {
			status = campo_buf_printf(b, "  %-32s %8lld\n", key,
						  (long long)r->done);
			continue;
		}
		campo_report_percent(r->done, r->expected, pct);
		if (r->expected < 0) {
			status = campo_buf_printf(b, "  %-32s %8lld\n", key,
						  (long long)r->done);
		} else {
			status = campo_buf_printf(
				b, "  %-32s %8lld / %-8lld %6s%%\n", key,
				(long long)r->done, (long long)r->expected,
				pct[0] ? pct : "-");
		}
	}
	return status;
}

enum campo_status campo_report_counts_table(const struct campo_report_counts *c,
					    struct campo_buf *b)
{
	enum campo_status status = campo_buf_printf(
		b, "interviews %lld (latest revisions), conflicts open %lld\n",
		(long long)c->total, (long long)c->conflicts);

	for (size_t i = 0; i < CAMPO_REPORT_DIM_N && status == CAMPO_OK; i++) {
		status = table_dim(c, &dims[i], b);
	}
	if (status == CAMPO_OK && c->n_devices) {
		status = campo_buf_adds(b, "\ndevices\n");
	}
	for (size_t i = 0; i < c->n_devices && status == CAMPO_OK; i++) {
		const struct campo_hub_activity *d = &c->devices[i];

		status = campo_buf_printf(
			b,
			"  %-20s %-24s last batch %-24s %6lld interviews%s\n",
			d->name, d->last_seen[0] ? d->last_seen : "never seen",
			d->last_batch[0] ? d->last_batch : "-",
			(long long)d->interviews,
			d->revoked ? " (revoked)" : "");
	}
	return status;
}
