/* SPDX-License-Identifier: MIT */
/* The outbox: finalized interviews waiting for campo-syncd. */
#include <string.h>

#include "store-internal.h"

static enum campo_status check_batch(const char *batch_id,
				     struct campo_diag *diag)
{
	if (!batch_id || !campo_uuid_valid(batch_id, strlen(batch_id))) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "batch id '%s' is not a UUID",
				      batch_id ? batch_id : "");
	}
	return CAMPO_OK;
}

enum campo_status campo_store_outbox_pending(struct campo_store *s, size_t max,
					     campo_store_outbox_fn *fn,
					     void *ctx, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	struct campo_store_outbox_entry e;
	sqlite3_stmt *st = store_stmt(s, S_OUTBOX_PENDING, &status, diag);
	int rc;

	if (!st) {
		return status;
	}
	rc = sqlite3_bind_int64(st, 1, max ? (int64_t)max : -1);
	while (store_next(st, &rc)) {
		e.seq = sqlite3_column_int64(st, 0);
		e.instance_id = store_col_text(st, 1);
		e.batch_id = store_col_text(st, 2);
		e.queued_at = store_col_text(st, 3);
		status = fn(ctx, &e);
		if (status != CAMPO_OK) {
			break;
		}
	}
	if (status == CAMPO_OK && rc != SQLITE_DONE) {
		status = store_fail(s, rc, false, "cannot read the outbox",
				    diag);
	}
	sqlite3_reset(st);
	return status;
}

/* Puts entry seq into batch_id, or checks it is there already. */
static enum campo_status assign_one(struct campo_store *s, const char *batch_id,
				    int64_t seq, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = store_stmt(s, S_OUTBOX_ENTRY, &status, diag);
	int rc;

	if (!st) {
		return status;
	}
	rc = sqlite3_bind_int64(st, 1, seq);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_DONE) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"no outbox entry %lld", (long long)seq);
	} else if (rc != SQLITE_ROW) {
		status =
			store_fail(s, rc, true, "cannot read the outbox", diag);
	} else if (sqlite3_column_int(st, 1)) {
		status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
					"outbox entry %lld was sent already",
					(long long)seq);
	} else if (*store_col_text(st, 0)) {
		if (strcmp(store_col_text(st, 0), batch_id) != 0) {
			status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
						"outbox entry %lld is in batch "
						"'%s'",
						(long long)seq,
						store_col_text(st, 0));
		}
		sqlite3_reset(st);
		return status;
	}
	sqlite3_reset(st);
	if (status != CAMPO_OK) {
		return status;
	}
	return store_exec(s, S_OUTBOX_ASSIGN, "cannot assign a batch", diag,
			  "it", seq, batch_id);
}

enum campo_status campo_store_outbox_assign(struct campo_store *s,
					    const char *batch_id,
					    const int64_t *seqs, size_t n,
					    struct campo_diag *diag)
{
	enum campo_status status;
	size_t i;

	status = check_batch(batch_id, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = store_begin(s, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	for (i = 0; i < n && status == CAMPO_OK; i++) {
		status = assign_one(s, batch_id, seqs[i], diag);
	}
	if (status != CAMPO_OK) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, diag);
}

enum campo_status campo_store_outbox_release(struct campo_store *s,
					     const char *batch_id,
					     struct campo_diag *diag)
{
	enum campo_status status = check_batch(batch_id, diag);

	if (status != CAMPO_OK) {
		return status;
	}
	status = store_begin(s, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = store_exec(s, S_OUTBOX_RELEASE, "cannot release the batch",
			    diag, "t", batch_id);
	if (status != CAMPO_OK) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, diag);
}

enum campo_status campo_store_outbox_mark_sent(struct campo_store *s,
					       const char *batch_id,
					       size_t *marked,
					       struct campo_diag *diag)
{
	char at[CAMPO_STORE_TIME_LEN + 1];
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st;
	int64_t mono, total = 0;
	int rc;

	if (marked) {
		*marked = 0;
	}
	status = check_batch(batch_id, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = store_now(s, at, &mono, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = store_begin(s, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	st = store_stmt(s, S_OUTBOX_BATCH, &status, diag);
	if (!st) {
		goto out_rollback;
	}
	rc = store_bind_text(st, 1, batch_id);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		total = sqlite3_column_int64(st, 0);
	} else {
		status =
			store_fail(s, rc, true, "cannot read the outbox", diag);
	}
	sqlite3_reset(st);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	if (total == 0) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"no outbox entry is in batch '%s'",
					batch_id);
		goto out_rollback;
	}
	/* the audit rows and the status first: both select the entries
	 * that are not yet marked */
	status = store_exec(s, S_OUTBOX_AUDIT_SENT, "cannot audit the batch",
			    diag, "tt", batch_id, at);
	if (status == CAMPO_OK) {
		status = store_exec(s, S_OUTBOX_IV_SENT,
				    "cannot mark interviews sent", diag, "t",
				    batch_id);
	}
	if (status == CAMPO_OK) {
		status = store_exec(s, S_OUTBOX_MARK, "cannot mark the batch",
				    diag, "tt", batch_id, at);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	if (marked) {
		*marked = (size_t)sqlite3_changes(s->db);
	}
	status = store_commit(s, diag);
	if (status != CAMPO_OK && marked) {
		*marked = 0;
	}
	return status;
out_rollback:
	store_rollback(s);
	return status;
}
