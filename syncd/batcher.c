/* SPDX-License-Identifier: MIT */
/* Outbox entries into batches: a batch id kept across retries, caps. */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "syncd.h"
#include "util/alloc.h"

void syncd_batch_release(struct syncd_batch *b)
{
	size_t i;

	if (!b) {
		return;
	}
	for (i = 0; i < b->n; i++) {
		free(b->ids[i]);
	}
	free(b->ids);
	free(b->seqs);
	campo_buf_release(&b->gz);
	memset(b, 0, sizeof(*b));
}

enum campo_status syncd_skip_add(struct syncd_skip *skip, const char *id)
{
	if (syncd_skip_has(skip, id)) {
		return CAMPO_OK;
	}
	if (campo_grow((void **)&skip->ids, &skip->cap, skip->n + 1,
		       sizeof(*skip->ids))) {
		return CAMPO_ERR_NOMEM;
	}
	snprintf(skip->ids[skip->n++], sizeof(*skip->ids), "%s", id);
	return CAMPO_OK;
}

bool syncd_skip_has(const struct syncd_skip *skip, const char *id)
{
	size_t i;

	for (i = 0; skip && i < skip->n; i++) {
		if (!strcmp(skip->ids[i], id)) {
			return true;
		}
	}
	return false;
}

void syncd_skip_release(struct syncd_skip *skip)
{
	if (skip) {
		free(skip->ids);
		memset(skip, 0, sizeof(*skip));
	}
}

/* The walk that picks the entries of the next batch. */
struct pick {
	const struct syncd_skip *skip;
	size_t max;   /* entries to take when starting a new batch */
	bool decided; /* the first entry outside skip was seen */
	char want[CAMPO_UUID_LEN + 1]; /* its batch id, "" for none */
	struct syncd_batch *b;
	size_t cap;
};

/* Returned by the walk's callback to stop it early; never leaves here. */
#define PICK_FULL CAMPO_ERR_LIMIT

static enum campo_status pick_one(void *ctx,
				  const struct campo_store_outbox_entry *e)
{
	struct pick *p = ctx;
	struct syncd_batch *b = p->b;
	size_t need = b->n + 1;

	if (*e->batch_id && syncd_skip_has(p->skip, e->batch_id)) {
		return CAMPO_OK;
	}
	if (!p->decided) {
		p->decided = true;
		snprintf(p->want, sizeof(p->want), "%s", e->batch_id);
		/* a batch assigned before is resent whole, whatever the caps
		 * are now: the hub knows it by its digest */
		p->max = *e->batch_id ? CAMPO_WIRE_RECORDS_MAX : p->max;
	}
	if (strcmp(e->batch_id, p->want) != 0) {
		return CAMPO_OK;
	}
	if (need > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		int64_t *seqs = campo_reallocarray(b->seqs, cap, sizeof(*seqs));
		char **ids;

		if (!seqs) {
			return CAMPO_ERR_NOMEM;
		}
		b->seqs = seqs;
		ids = campo_reallocarray(b->ids, cap, sizeof(*ids));
		if (!ids) {
			return CAMPO_ERR_NOMEM;
		}
		b->ids = ids;
		p->cap = cap;
	}
	b->ids[b->n] = campo_strdup(e->instance_id);
	if (!b->ids[b->n]) {
		return CAMPO_ERR_NOMEM;
	}
	b->seqs[b->n++] = e->seq;
	return b->n >= p->max ? PICK_FULL : CAMPO_OK;
}

/* Builds and gzips the first n interviews of b into b->gz within max. */
static enum campo_status encode(struct campo_store *store,
				struct syncd_batch *b, size_t n, size_t max,
				struct campo_diag *diag)
{
	struct campo_wire_batch *wb = NULL;
	enum campo_status status;

	status = campo_report_batch_build(store, b->batch_id, NULL,
					  (const char *const *)b->ids, n, &wb,
					  diag);
	if (status != CAMPO_OK) {
		return status;
	}
	campo_buf_release(&b->gz);
	campo_buf_init(&b->gz, max);
	status = campo_wire_batch_encode(wb, 6, &b->gz, diag);
	campo_wire_batch_free(wb);
	return status;
}

/* Drops the entries of b from n on. */
static void truncate_to(struct syncd_batch *b, size_t n)
{
	while (b->n > n) {
		free(b->ids[--b->n]);
		b->ids[b->n] = NULL;
	}
}

enum campo_status syncd_batch_next(struct campo_store *store,
				   const struct syncd_skip *skip,
				   size_t max_interviews, size_t max_bytes,
				   struct syncd_batch *b,
				   struct campo_diag *diag)
{
	struct pick p = { .skip = skip, .b = b };
	enum campo_status status;
	size_t n;

	memset(b, 0, sizeof(*b));
	p.max = max_interviews ? max_interviews : 1;
	if (p.max > CAMPO_WIRE_RECORDS_MAX) {
		p.max = CAMPO_WIRE_RECORDS_MAX;
	}
	status = campo_store_outbox_pending(store, 0, pick_one, &p, diag);
	if (status == PICK_FULL) {
		status = CAMPO_OK;
	}
	if (status != CAMPO_OK) {
		goto out_release;
	}
	if (b->n == 0) {
		return campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
				      "nothing is waiting");
	}
	if (*p.want) {
		memcpy(b->batch_id, p.want, sizeof(b->batch_id));
		b->resent = true;
		status =
			encode(store, b, b->n, CAMPO_WIRE_COMPRESSED_MAX, diag);
		if (status != CAMPO_OK) {
			goto out_release;
		}
		return CAMPO_OK;
	}
	status = campo_uuid_new(b->batch_id);
	if (status != CAMPO_OK) {
		goto out_release;
	}
	/* halve until the gzip fits the byte cap; one interview always goes
	 * (a batch that cannot be split must still travel) */
	for (n = b->n;; n = n / 2) {
		status = encode(store, b, n,
				n > 1 ? max_bytes : CAMPO_WIRE_COMPRESSED_MAX,
				diag);
		if (status != CAMPO_ERR_LIMIT || n == 1) {
			break;
		}
	}
	if (status != CAMPO_OK) {
		goto out_release;
	}
	truncate_to(b, n);
	status = campo_store_outbox_assign(store, b->batch_id, b->seqs, b->n,
					   diag);
	if (status == CAMPO_ERR_UNKNOWN) {
		/* an fsync error leaves the outcome open: assigning is
		 * idempotent, so apply it again */
		status = campo_store_outbox_assign(store, b->batch_id, b->seqs,
						   b->n, diag);
	}
	if (status == CAMPO_OK) {
		return CAMPO_OK;
	}
out_release:
	syncd_batch_release(b);
	return status;
}

static enum campo_status count_one(void *ctx,
				   const struct campo_store_outbox_entry *e)
{
	struct syncd_waiting *w = ctx;

	w->entries++;
	w->assigned += *e->batch_id != '\0';
	if (e->seq > w->max_seq) {
		w->max_seq = e->seq;
	}
	return CAMPO_OK;
}

enum campo_status syncd_waiting(struct campo_store *store,
				struct syncd_waiting *w,
				struct campo_diag *diag)
{
	memset(w, 0, sizeof(*w));
	return campo_store_outbox_pending(store, 0, count_one, w, diag);
}
