/* SPDX-License-Identifier: MIT */
/* Interviews, answers, repeats and the audit trail of the device database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-internal.h"
#include "util/alloc.h"
#include "form/content.h"

/* The interview row as a write needs it. */
struct ivrow {
	int64_t id;
	enum campo_store_istatus status;
	char boot_id[40];
	int64_t mono_base;
	int64_t updated_ms;
	char position[CAMPO_STORE_KEY_MAX + 1];
	char language[CAMPO_STORE_TEXT_MAX + 1];
	char name[CAMPO_STORE_TEXT_MAX + 1];
	char hash[CAMPO_STORE_HASH_LEN + 1];
};

/* When a change happens: wall clock, elapsed ms, the new monotonic base. */
struct stamp {
	char at[CAMPO_STORE_TIME_LEN + 1];
	int64_t elapsed;
	int64_t base;
};

static const char *const event_names[] = {
	[CAMPO_STORE_EV_STARTED] = "started",
	[CAMPO_STORE_EV_RESUMED] = "resumed",
	[CAMPO_STORE_EV_QUESTION_ENTERED] = "question_entered",
	[CAMPO_STORE_EV_QUESTION_LEFT] = "question_left",
	[CAMPO_STORE_EV_ANSWER_CHANGED] = "answer_changed",
	[CAMPO_STORE_EV_LANGUAGE_SWITCHED] = "language_switched",
	[CAMPO_STORE_EV_REPEAT_ADDED] = "repeat_added",
	[CAMPO_STORE_EV_REPEAT_REMOVED] = "repeat_removed",
	[CAMPO_STORE_EV_DISCARDED] = "discarded",
	[CAMPO_STORE_EV_FINALIZED] = "finalized",
	[CAMPO_STORE_EV_SENT] = "sent",
	[CAMPO_STORE_EV_REVISED] = "revised",
	[CAMPO_STORE_EV_RETURNED] = "returned",
};
#define NEVENTS (sizeof(event_names) / sizeof(event_names[0]))

const char *campo_store_event_name(enum campo_store_event event)
{
	if ((unsigned)event >= NEVENTS) {
		return "?";
	}
	return event_names[event];
}

static enum campo_store_event event_parse(const char *name)
{
	size_t i;

	for (i = 0; i < NEVENTS; i++) {
		if (strcmp(name, event_names[i]) == 0) {
			return (enum campo_store_event)i;
		}
	}
	/* the schema's CHECK admits no other name */
	return CAMPO_STORE_EV_ANSWER_CHANGED;
}

static enum campo_store_istatus status_parse(const char *name)
{
	int i;

	for (i = 0; i < CAMPO_STORE_NSTATUS; i++) {
		if (strcmp(name, campo_store_istatus_name(
					 (enum campo_store_istatus)i)) == 0) {
			return (enum campo_store_istatus)i;
		}
	}
	return CAMPO_STORE_DISCARDED;
}

static enum campo_status check_id(const char *id, const char *what,
				  struct campo_diag *diag)
{
	if (!id || strlen(id) != CAMPO_STORE_ID_LEN ||
	    strncmp(id, "uuid:", 5) != 0 ||
	    !campo_uuid_valid(id + 5, CAMPO_UUID_LEN)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "%s '%s' is not 'uuid:' and a UUID", what,
				      id ? id : "");
	}
	return CAMPO_OK;
}

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	snprintf(dst, size, "%s", store_col_text(st, col));
}

/* Loads the row of instance_id (CAMPO_ERR_NOTFOUND when there is none). */
static enum campo_status iv_find(struct campo_store *s, const char *id,
				 struct ivrow *row, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = store_stmt(s, S_IV_FIND, &status, diag);
	int rc;

	if (!st) {
		return status;
	}
	rc = store_bind_text(st, 1, id);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		row->id = sqlite3_column_int64(st, 0);
		row->status = status_parse(store_col_text(st, 1));
		copy_col(row->boot_id, sizeof(row->boot_id), st, 2);
		row->mono_base = sqlite3_column_int64(st, 3);
		row->updated_ms = sqlite3_column_int64(st, 4);
		copy_col(row->position, sizeof(row->position), st, 5);
		copy_col(row->language, sizeof(row->language), st, 6);
		copy_col(row->name, sizeof(row->name), st, 7);
		copy_col(row->hash, sizeof(row->hash), st, 8);
	} else if (rc == SQLITE_DONE) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"no interview '%s'", id);
	} else {
		status = store_fail(s, rc, false, "cannot read an interview",
				    diag);
	}
	sqlite3_reset(st);
	return status;
}

/*
 * Elapsed time since the interview started, on the monotonic clock. Within
 * one boot it is now minus the base; after a reboot (another boot id) the
 * base moves so elapsed time resumes where it was last recorded.
 */
static enum campo_status iv_stamp(struct campo_store *s,
				  const struct ivrow *row, struct stamp *t,
				  struct campo_diag *diag)
{
	enum campo_status status;
	int64_t mono;

	status = store_now(s, t->at, &mono, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	t->base = row->mono_base;
	if (strcmp(row->boot_id, s->boot_id) != 0 ||
	    mono - row->mono_base < row->updated_ms) {
		t->base = mono - row->updated_ms;
	}
	t->elapsed = mono - t->base;
	return CAMPO_OK;
}

/* BEGIN IMMEDIATE, then the row of id (which must be a draft when
 * need_draft) and a time stamp. On failure nothing is left open. */
static enum campo_status tx_open(struct campo_store *s, const char *id,
				 bool need_draft, struct ivrow *row,
				 struct stamp *t, struct campo_diag *diag)
{
	enum campo_status status;

	status = check_id(id, "instance id", diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = store_begin(s, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = iv_find(s, id, row, diag);
	if (status == CAMPO_OK && need_draft &&
	    row->status != CAMPO_STORE_DRAFT) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"interview '%s' is %s: it cannot "
					"change",
					id,
					campo_store_istatus_name(row->status));
	}
	if (status == CAMPO_OK) {
		status = iv_stamp(s, row, t, diag);
	}
	if (status != CAMPO_OK) {
		store_rollback(s);
	}
	return status;
}

static enum campo_status iv_touch(struct campo_store *s,
				  const struct ivrow *row,
				  const struct stamp *t,
				  struct campo_diag *diag)
{
	return store_exec(s, S_IV_TOUCH, "cannot update the interview", diag,
			  "ititi", row->id, t->at, t->elapsed, s->boot_id,
			  t->base);
}

static enum campo_status audit_add(struct campo_store *s, int64_t iv,
				   const struct stamp *t,
				   enum campo_store_event ev, const char *key,
				   const char *old, size_t oldlen,
				   const char *new, size_t newlen,
				   struct campo_diag *diag)
{
	return store_exec(s, S_AUDIT_ADD, "cannot write the audit trail", diag,
			  "ittnnti", iv, event_names[ev], key, old, oldlen, new,
			  newlen, t->at, t->elapsed);
}

/* Reads the instance count of repeat key (0 when it has none). */
static enum campo_status repeat_count(struct campo_store *s, int64_t iv,
				      const char *key, size_t len,
				      uint32_t *count, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = store_stmt(s, S_REP_GET, &status, diag);
	int rc;

	*count = 0;
	if (!st) {
		return status;
	}
	rc = sqlite3_bind_int64(st, 1, iv);
	if (rc == SQLITE_OK) {
		rc = store_bind_textn(st, 2, key, len);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		*count = (uint32_t)sqlite3_column_int64(st, 0);
	} else if (rc != SQLITE_DONE) {
		status = store_fail(s, rc, true, "cannot read a repeat", diag);
	}
	sqlite3_reset(st);
	return status;
}

/* Checks that the repeat instances named by the first nseg segments of key
 * exist. */
static enum campo_status instances_exist(struct campo_store *s, int64_t iv,
					 const char *key,
					 const struct store_key *k, size_t nseg,
					 struct campo_diag *diag)
{
	enum campo_status status;
	uint32_t count;
	size_t j;

	for (j = 0; j < nseg; j++) {
		if (!k->index[j]) {
			continue;
		}
		status = repeat_count(s, iv, key, k->name_end[j], &count, diag);
		if (status != CAMPO_OK) {
			return status;
		}
		if (count < k->index[j]) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "repeat instance '%.*s' does not "
					      "exist",
					      (int)k->end[j], key);
		}
	}
	return CAMPO_OK;
}

enum campo_status
campo_store_interview_create(struct campo_store *s,
			     const struct campo_store_new_interview *iv,
			     struct campo_diag *diag)
{
	const char *fields[4] = { iv->form_id, iv->form_version, iv->form_hash,
				  iv->instance_name };
	static const char *const what[4] = { "form id", "form version",
					     "form hash", "instance name" };
	const char *enumerator = iv->enumerator && *iv->enumerator
					 ? iv->enumerator
					 : s->device.enumerator_code;
	struct stamp t;
	struct ivrow row;
	enum campo_status status;
	int64_t mono;
	int i;

	status = check_id(iv->instance_id, "instance id", diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (!iv->form_id || !*iv->form_id || !iv->form_version ||
	    !iv->form_hash) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "an interview needs a form id, version "
				      "and hash");
	}
	for (i = 0; i < 4; i++) {
		if (fields[i]) {
			status = store_check_text(fields[i], strlen(fields[i]),
						  CAMPO_STORE_TEXT_MAX, what[i],
						  diag);
			if (status != CAMPO_OK) {
				return status;
			}
		}
	}
	status = store_check_text(enumerator, strlen(enumerator),
				  CAMPO_STORE_TEXT_MAX, "enumerator", diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = store_begin(s, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = iv_find(s, iv->instance_id, &row, diag);
	if (status == CAMPO_OK) {
		struct campo_store_interview *old = NULL;

		/* re-applied after an unknown outcome, or a clash */
		store_rollback(s);
		status = campo_store_interview_get(s, iv->instance_id, 0, &old,
						   diag);
		if (status != CAMPO_OK) {
			return status;
		}
		if (strcmp(old->info.form_id, iv->form_id) != 0 ||
		    strcmp(old->info.form_version, iv->form_version) != 0 ||
		    strcmp(old->info.form_hash, iv->form_hash) != 0) {
			status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
						"interview '%s' exists with "
						"another form",
						iv->instance_id);
		}
		campo_store_interview_free(old);
		return status;
	}
	if (status != CAMPO_ERR_NOTFOUND) {
		goto out_rollback;
	}
	if (iv->device_id && *iv->device_id &&
	    !campo_uuid_valid(iv->device_id, strlen(iv->device_id))) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"device id '%.40s' is not a UUID",
					iv->device_id);
		goto out_rollback;
	}
	status = store_now(s, t.at, &mono, diag);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	t.elapsed = 0;
	t.base = mono;
	status = store_exec(
		s, S_IV_INSERT, "cannot create the interview", diag,
		"ttitttttttti", iv->instance_id, (const char *)NULL, (int64_t)1,
		iv->form_id, iv->form_version, iv->form_hash, enumerator,
		iv->device_id && *iv->device_id ? iv->device_id
						: s->device.device_id,
		iv->instance_name ? iv->instance_name : "", t.at, s->boot_id,
		mono);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	status =
		audit_add(s, sqlite3_last_insert_rowid(s->db), &t,
			  CAMPO_STORE_EV_STARTED, NULL, NULL, 0, NULL, 0, diag);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	return store_commit(s, diag);
out_rollback:
	store_rollback(s);
	return status;
}

enum campo_status campo_store_interview_revise(struct campo_store *s,
					       const char *old_id,
					       const char *new_id,
					       struct campo_diag *diag)
{
	struct campo_store_interview *old = NULL, *cur = NULL;
	enum campo_status status;
	struct stamp t;
	int64_t mono, old_rowid, new_rowid;
	const char *enumerator;

	status = check_id(old_id, "instance id", diag);
	if (status == CAMPO_OK) {
		status = check_id(new_id, "instance id", diag);
	}
	if (status != CAMPO_OK) {
		return status;
	}
	status = campo_store_interview_get(s, new_id, 0, &cur, diag);
	if (status == CAMPO_OK) {
		if (strcmp(cur->info.deprecated_id, old_id) != 0) {
			status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
						"interview '%s' exists and is "
						"not a revision of '%s'",
						new_id, old_id);
		}
		campo_store_interview_free(cur);
		return status;
	}
	if (status != CAMPO_ERR_NOTFOUND) {
		return status;
	}
	status = store_begin(s, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = campo_store_interview_get(s, old_id, 0, &old, diag);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	if (old->info.status == CAMPO_STORE_DRAFT ||
	    old->info.status == CAMPO_STORE_DISCARDED) {
		status = campo_diag_set(
			diag, CAMPO_ERR_INVALID,
			"interview '%s' is %s: only a "
			"finalized interview gets revisions",
			old_id, campo_store_istatus_name(old->info.status));
		goto out_free_old;
	}
	{
		sqlite3_stmt *st =
			store_stmt(s, S_IV_REVISION_OF, &status, diag);
		int rc;

		if (!st) {
			goto out_free_old;
		}
		rc = store_bind_text(st, 1, old_id);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
		}
		if (rc == SQLITE_ROW) {
			status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
						"interview '%s' already has "
						"revision '%s'",
						old_id, store_col_text(st, 0));
		} else if (rc != SQLITE_DONE) {
			status = store_fail(s, rc, false,
					    "cannot read revisions", diag);
		}
		sqlite3_reset(st);
		if (status != CAMPO_OK) {
			goto out_free_old;
		}
	}
	status = store_now(s, t.at, &mono, diag);
	if (status != CAMPO_OK) {
		goto out_free_old;
	}
	t.elapsed = 0;
	t.base = mono;
	/* whoever edits on this device now signs the revision */
	enumerator = *s->device.enumerator_code ? s->device.enumerator_code
						: old->info.enumerator;
	status = store_exec(s, S_IV_INSERT, "cannot create the revision", diag,
			    "ttitttttttti", new_id, old_id,
			    (int64_t)old->info.revision + 1, old->info.form_id,
			    old->info.form_version, old->info.form_hash,
			    enumerator, s->device.device_id,
			    old->info.instance_name, t.at, s->boot_id, mono);
	if (status != CAMPO_OK) {
		goto out_free_old;
	}
	new_rowid = sqlite3_last_insert_rowid(s->db);
	{
		struct ivrow row;

		status = iv_find(s, old_id, &row, diag);
		old_rowid = row.id;
	}
	if (status == CAMPO_OK) {
		status = store_exec(s, S_ANS_COPY, "cannot copy answers", diag,
				    "ii", old_rowid, new_rowid);
	}
	if (status == CAMPO_OK) {
		status = store_exec(s, S_REP_COPY, "cannot copy repeats", diag,
				    "ii", old_rowid, new_rowid);
	}
	if (status == CAMPO_OK) {
		status = audit_add(s, new_rowid, &t, CAMPO_STORE_EV_REVISED,
				   NULL, old_id, strlen(old_id), NULL, 0, diag);
	}
	if (status != CAMPO_OK) {
		goto out_free_old;
	}
	campo_store_interview_free(old);
	return store_commit(s, diag);
out_free_old:
	campo_store_interview_free(old);
out_rollback:
	store_rollback(s);
	return status;
}

enum campo_status campo_store_interview_resume(struct campo_store *s,
					       const char *instance_id,
					       struct campo_diag *diag)
{
	enum campo_status status;
	struct ivrow row;
	struct stamp t;

	status = tx_open(s, instance_id, true, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = audit_add(s, row.id, &t, CAMPO_STORE_EV_RESUMED, NULL, NULL, 0,
			   NULL, 0, diag);
	if (status == CAMPO_OK) {
		status = iv_touch(s, &row, &t, diag);
	}
	if (status != CAMPO_OK) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, diag);
}

/*
 * Where the enumerator is, and the question_entered/left audit, is worth
 * less than an answer: losing the last move to a power cut only resumes
 * the draft one question back, and every answer still has its own fsync.
 * So a move commits without syncing the WAL (synchronous=NORMAL: still
 * atomic, made durable by the next answer's sync), which halves the
 * fsyncs of an enumerator's answer-then-next.
 */
static enum campo_status move(struct campo_store *s, const char *instance_id,
			      const char *key, struct campo_diag *diag);

enum campo_status campo_store_interview_move(struct campo_store *s,
					     const char *instance_id,
					     const char *key,
					     struct campo_diag *diag)
{
	enum campo_status status, restore;

	status = store_exec(s, S_SYNC_NORMAL, "cannot relax syncing", diag, "");
	if (status != CAMPO_OK) {
		return status;
	}
	status = move(s, instance_id, key, diag);
	/* every other write keeps its fsync, whatever happened here */
	restore = store_exec(s, S_SYNC_FULL, "cannot restore syncing",
			     status == CAMPO_OK ? diag : NULL, "");
	return status != CAMPO_OK ? status : restore;
}

static enum campo_status move(struct campo_store *s, const char *instance_id,
			      const char *key, struct campo_diag *diag)
{
	enum campo_status status;
	struct store_key k;
	struct ivrow row;
	struct stamp t;
	size_t len = key ? strlen(key) : 0;

	if (len && !store_key_parse(key, len, &k)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "'%s' is not a question path", key);
	}
	status = tx_open(s, instance_id, true, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (strcmp(row.position, len ? key : "") == 0) {
		store_rollback(s);
		return CAMPO_OK;
	}
	if (len) {
		/* the last instance may be one about to be added */
		status = instances_exist(s, row.id, key, &k, k.n - 1, diag);
	}
	if (status == CAMPO_OK && *row.position) {
		status = audit_add(s, row.id, &t, CAMPO_STORE_EV_QUESTION_LEFT,
				   row.position, NULL, 0, NULL, 0, diag);
	}
	if (status == CAMPO_OK && len) {
		status = audit_add(s, row.id, &t,
				   CAMPO_STORE_EV_QUESTION_ENTERED, key, NULL,
				   0, NULL, 0, diag);
	}
	if (status == CAMPO_OK) {
		status =
			store_exec(s, S_IV_POSITION, "cannot save the position",
				   diag, "it", row.id, len ? key : "");
	}
	if (status == CAMPO_OK) {
		status = iv_touch(s, &row, &t, diag);
	}
	if (status != CAMPO_OK) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, diag);
}

/* Sets a text column of a draft (language or name), auditing when ev is
 * not negative; no-op when unchanged. */
static enum campo_status set_text(struct campo_store *s, const char *id,
				  const char *value, enum stmt which, int ev,
				  const char *what, struct campo_diag *diag)
{
	enum campo_status status;
	struct ivrow row;
	struct stamp t;
	const char *old;

	if (!value) {
		value = "";
	}
	status = store_check_text(value, strlen(value), CAMPO_STORE_TEXT_MAX,
				  what, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = tx_open(s, id, true, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	old = which == S_IV_LANGUAGE ? row.language : row.name;
	if (strcmp(old, value) == 0) {
		store_rollback(s);
		return CAMPO_OK;
	}
	if (ev >= 0) {
		status = audit_add(s, row.id, &t, (enum campo_store_event)ev,
				   NULL, old, strlen(old), value, strlen(value),
				   diag);
	}
	if (status == CAMPO_OK) {
		status = store_exec(s, which, "cannot save the interview", diag,
				    "it", row.id, value);
	}
	if (status == CAMPO_OK) {
		status = iv_touch(s, &row, &t, diag);
	}
	if (status != CAMPO_OK) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, diag);
}

enum campo_status campo_store_interview_language_set(struct campo_store *s,
						     const char *instance_id,
						     const char *language,
						     struct campo_diag *diag)
{
	return set_text(s, instance_id, language, S_IV_LANGUAGE,
			CAMPO_STORE_EV_LANGUAGE_SWITCHED, "language", diag);
}

enum campo_status campo_store_interview_name_set(struct campo_store *s,
						 const char *instance_id,
						 const char *name,
						 struct campo_diag *diag)
{
	return set_text(s, instance_id, name, S_IV_NAME, -1, "instance name",
			diag);
}

/* The content hash of form/content.h over the interview as stored. */
static enum campo_status content_hash(struct campo_store *s, const char *id,
				      char out[CAMPO_STORE_HASH_LEN + 1],
				      struct campo_diag *diag)
{
	struct campo_store_interview *iv = NULL;
	struct campo_content_hash h;
	enum campo_status status;

	status = campo_store_interview_get(s, id, 0, &iv, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	{
		const struct campo_content_header header = {
			.instance_id = iv->info.instance_id,
			.deprecated_id = iv->info.deprecated_id,
			.revision = iv->info.revision,
			.form_id = iv->info.form_id,
			.form_version = iv->info.form_version,
			.form_hash = iv->info.form_hash,
			.enumerator = iv->info.enumerator,
			.device_id = iv->info.device_id,
		};

		campo_content_hash_init(&h, &header);
	}
	for (size_t i = 0; i < iv->n_answers; i++) {
		campo_content_hash_answer(&h, iv->answers[i].key,
					  iv->answers[i].value);
	}
	for (size_t i = 0; i < iv->n_repeats; i++) {
		campo_content_hash_repeat(&h, iv->repeats[i].key,
					  iv->repeats[i].count);
	}
	campo_store_interview_free(iv);
	campo_content_hash_final(&h, out);
	return CAMPO_OK;
}

enum campo_status
campo_store_interview_finalize(struct campo_store *s, const char *instance_id,
			       char hash[CAMPO_STORE_HASH_LEN + 1],
			       struct campo_diag *diag)
{
	char h[CAMPO_STORE_HASH_LEN + 1];
	enum campo_status status;
	struct ivrow row;
	struct stamp t;

	status = tx_open(s, instance_id, false, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (row.status == CAMPO_STORE_DISCARDED) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"interview '%s' was discarded",
					instance_id);
		goto out_rollback;
	}
	if (row.status != CAMPO_STORE_DRAFT) {
		/* already frozen: the re-application of a finalize */
		if (hash) {
			memcpy(hash, row.hash, sizeof(row.hash));
		}
		store_rollback(s);
		return CAMPO_OK;
	}
	status = content_hash(s, instance_id, h, diag);
	if (status == CAMPO_OK) {
		status = audit_add(s, row.id, &t, CAMPO_STORE_EV_FINALIZED,
				   NULL, NULL, 0, h, strlen(h), diag);
	}
	if (status == CAMPO_OK) {
		status = store_exec(s, S_IV_FINALIZE,
				    "cannot finalize the interview", diag,
				    "ittiti", row.id, h, t.at, t.elapsed,
				    s->boot_id, t.base);
	}
	if (status == CAMPO_OK) {
		status = store_exec(s, S_OUTBOX_ADD,
				    "cannot queue the interview", diag, "it",
				    row.id, t.at);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	status = store_commit(s, diag);
	if (status == CAMPO_OK && hash) {
		memcpy(hash, h, sizeof(h));
	}
	return status;
out_rollback:
	store_rollback(s);
	return status;
}

enum campo_status campo_store_interview_discard(struct campo_store *s,
						const char *instance_id,
						struct campo_diag *diag)
{
	enum campo_status status;
	struct ivrow row;
	struct stamp t;

	status = tx_open(s, instance_id, false, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (row.status != CAMPO_STORE_DRAFT) {
		store_rollback(s);
		if (row.status == CAMPO_STORE_DISCARDED) {
			return CAMPO_OK;
		}
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "interview '%s' is %s: only a draft is "
				      "discarded",
				      instance_id,
				      campo_store_istatus_name(row.status));
	}
	status = audit_add(s, row.id, &t, CAMPO_STORE_EV_DISCARDED, NULL, NULL,
			   0, NULL, 0, diag);
	if (status == CAMPO_OK) {
		status = iv_touch(s, &row, &t, diag);
	}
	if (status == CAMPO_OK) {
		status = store_exec(s, S_IV_STATUS, "cannot discard", diag,
				    "it", row.id, "discarded");
	}
	if (status != CAMPO_OK) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, diag);
}

/* Reads the note of returned interview iv into *note (caller frees);
 * NULL when it has none. */
static enum campo_status note_get(struct campo_store *s, int64_t iv,
				  char **note, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = store_stmt(s, S_RET_NOTE, &status, diag);
	int rc;

	*note = NULL;
	if (!st) {
		return status;
	}
	rc = sqlite3_bind_int64(st, 1, iv);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		*note = campo_strdup(store_col_text(st, 0));
		if (!*note) {
			status = campo_diag_set(diag, CAMPO_ERR_NOMEM,
						"out of memory");
		}
	} else if (rc != SQLITE_DONE) {
		status = store_fail(s, rc, true, "cannot read a note", diag);
	}
	sqlite3_reset(st);
	return status;
}

enum campo_status campo_store_interview_return(struct campo_store *s,
					       const char *instance_id,
					       const char *note,
					       struct campo_diag *diag)
{
	enum campo_status status;
	struct ivrow row;
	struct stamp t;
	char *old = NULL;

	if (!note) {
		note = "";
	}
	status = store_check_text(note, strlen(note), CAMPO_STORE_NOTE_MAX,
				  "the note", diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = tx_open(s, instance_id, false, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (row.status == CAMPO_STORE_DRAFT ||
	    row.status == CAMPO_STORE_DISCARDED) {
		status = campo_diag_set(
			diag, CAMPO_ERR_INVALID,
			"interview '%s' is %s: only a finalized interview is "
			"returned",
			instance_id, campo_store_istatus_name(row.status));
		goto out_rollback;
	}
	if (row.status == CAMPO_STORE_RETURNED) {
		status = note_get(s, row.id, &old, diag);
		if (status != CAMPO_OK) {
			goto out_rollback;
		}
		if (old && strcmp(old, note) == 0) {
			/* the re-application of the same return */
			free(old);
			store_rollback(s);
			return CAMPO_OK;
		}
	} else {
		status = store_exec(s, S_IV_STATUS, "cannot return", diag, "it",
				    row.id, "returned");
		if (status != CAMPO_OK) {
			goto out_rollback;
		}
	}
	status = store_exec(s, S_RET_SET, "cannot keep the note", diag, "itt",
			    row.id, note, t.at);
	if (status == CAMPO_OK) {
		status = audit_add(s, row.id, &t, CAMPO_STORE_EV_RETURNED, NULL,
				   old, old ? strlen(old) : 0, note,
				   strlen(note), diag);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	free(old);
	return store_commit(s, diag);
out_rollback:
	free(old);
	store_rollback(s);
	return status;
}

enum campo_status campo_store_answer_save(struct campo_store *s,
					  const char *instance_id,
					  const char *key, const char *value,
					  size_t len, struct campo_diag *diag)
{
	enum campo_status status;
	struct store_key k;
	struct ivrow row;
	struct stamp t;
	sqlite3_stmt *st;
	size_t keylen = key ? strlen(key) : 0;
	int rc;

	if (!value) {
		len = 0;
	}
	if (!store_key_parse(key, keylen, &k) || k.index[k.n - 1]) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "'%s' is not an answer key",
				      key ? key : "");
	}
	status = store_check_text(value, len, CAMPO_STORE_VALUE_MAX, "answer",
				  diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = tx_open(s, instance_id, true, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = instances_exist(s, row.id, key, &k, k.n - 1, diag);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	st = store_stmt(s, S_ANS_GET, &status, diag);
	if (!st) {
		goto out_rollback;
	}
	rc = sqlite3_bind_int64(st, 1, row.id);
	if (rc == SQLITE_OK) {
		rc = store_bind_textn(st, 2, key, keylen);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		const char *old =
			rc == SQLITE_ROW ? store_col_text(st, 0) : NULL;
		size_t oldlen = old ? (size_t)sqlite3_column_bytes(st, 0) : 0;

		if (oldlen == len && (!len || memcmp(old, value, len) == 0)) {
			/* unchanged: a re-application, nothing to write */
			sqlite3_reset(st);
			store_rollback(s);
			return CAMPO_OK;
		}
		/* the audit row first, while old still points into st */
		status = audit_add(s, row.id, &t, CAMPO_STORE_EV_ANSWER_CHANGED,
				   key, old, oldlen, len ? value : NULL, len,
				   diag);
	} else {
		status =
			store_fail(s, rc, true, "cannot read the answer", diag);
	}
	sqlite3_reset(st);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	if (len) {
		status = store_exec(s, S_ANS_PUT, "cannot save the answer",
				    diag, "itn", row.id, key, value, len);
	} else {
		status = store_exec(s, S_ANS_DEL, "cannot clear the answer",
				    diag, "it", row.id, key);
	}
	if (status == CAMPO_OK) {
		status = iv_touch(s, &row, &t, diag);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	return store_commit(s, diag);
out_rollback:
	store_rollback(s);
	return status;
}

enum campo_status campo_store_repeat_add(struct campo_store *s,
					 const char *instance_id,
					 const char *key,
					 struct campo_diag *diag)
{
	char inst[CAMPO_STORE_KEY_MAX + 16];
	enum campo_status status;
	struct store_key k;
	struct ivrow row;
	struct stamp t;
	uint32_t count, i;
	size_t keylen = key ? strlen(key) : 0, rlen;

	if (!store_key_parse(key, keylen, &k) || !k.index[k.n - 1]) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "'%s' is not a repeat instance",
				      key ? key : "");
	}
	rlen = k.name_end[k.n - 1];
	status = tx_open(s, instance_id, true, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = instances_exist(s, row.id, key, &k, k.n - 1, diag);
	if (status == CAMPO_OK) {
		status = repeat_count(s, row.id, key, rlen, &count, diag);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	if (count >= k.index[k.n - 1]) {
		store_rollback(s);
		return CAMPO_OK;
	}
	for (i = count + 1; i <= k.index[k.n - 1]; i++) {
		snprintf(inst, sizeof(inst), "%.*s[%u]", (int)rlen, key,
			 (unsigned)i);
		status = audit_add(s, row.id, &t, CAMPO_STORE_EV_REPEAT_ADDED,
				   inst, NULL, 0, NULL, 0, diag);
		if (status != CAMPO_OK) {
			goto out_rollback;
		}
	}
	status = store_exec(s, S_REP_SET, "cannot add the repeat", diag, "ini",
			    row.id, key, rlen, (int64_t)k.index[k.n - 1]);
	if (status == CAMPO_OK) {
		status = iv_touch(s, &row, &t, diag);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	return store_commit(s, diag);
out_rollback:
	store_rollback(s);
	return status;
}

/* Runs a range statement over the keys under prefix (prefix + "/" up to
 * prefix + "0", '0' following '/' in ASCII), with a replacement prefix for
 * the renames. */
static enum campo_status under(struct campo_store *s, enum stmt id, int64_t iv,
			       const char *prefix, const char *repl,
			       const struct stamp *t, struct campo_diag *diag)
{
	char lo[CAMPO_STORE_KEY_MAX + 16], hi[CAMPO_STORE_KEY_MAX + 16];
	size_t n = strlen(prefix);

	if (n + 2 > sizeof(lo)) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT, "key too long");
	}
	memcpy(lo, prefix, n);
	memcpy(hi, prefix, n);
	memcpy(lo + n, "/", 2);
	memcpy(hi + n, "0", 2);
	switch (id) {
	case S_ANS_AUDIT_RANGE:
		return store_exec(s, id, "cannot audit removed answers", diag,
				  "ittti", iv, lo, hi, t->at, t->elapsed);
	case S_ANS_RENAME_RANGE:
	case S_REP_RENAME_RANGE:
		return store_exec(s, id, "cannot renumber a repeat", diag,
				  "ittti", iv, lo, hi, repl, (int64_t)n + 1);
	default:
		return store_exec(s, id, "cannot remove a repeat", diag, "itt",
				  iv, lo, hi);
	}
}

enum campo_status campo_store_repeat_remove(struct campo_store *s,
					    const char *instance_id,
					    const char *key, uint32_t count,
					    struct campo_diag *diag)
{
	char from[CAMPO_STORE_KEY_MAX + 16], to[CAMPO_STORE_KEY_MAX + 16];
	char oldn[16], newn[16];
	enum campo_status status;
	struct store_key k;
	struct ivrow row;
	struct stamp t;
	uint32_t cur, pos, j;
	size_t keylen = key ? strlen(key) : 0, rlen;

	if (!store_key_parse(key, keylen, &k) || !k.index[k.n - 1]) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "'%s' is not a repeat instance",
				      key ? key : "");
	}
	pos = k.index[k.n - 1];
	rlen = k.name_end[k.n - 1];
	if (pos > count) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "no instance %u among %u", (unsigned)pos,
				      (unsigned)count);
	}
	status = tx_open(s, instance_id, true, &row, &t, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = instances_exist(s, row.id, key, &k, k.n - 1, diag);
	if (status == CAMPO_OK) {
		status = repeat_count(s, row.id, key, rlen, &cur, diag);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	if (cur + 1 == count) {
		store_rollback(s);
		return CAMPO_OK;
	}
	if (cur != count) {
		status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
					"repeat '%.*s' has %u instances, not "
					"%u",
					(int)rlen, key, (unsigned)cur,
					(unsigned)count);
		goto out_rollback;
	}
	/* what the removed instance held stays in the audit trail */
	status = under(s, S_ANS_AUDIT_RANGE, row.id, key, NULL, &t, diag);
	if (status == CAMPO_OK) {
		status = under(s, S_ANS_DEL_RANGE, row.id, key, NULL, &t, diag);
	}
	if (status == CAMPO_OK) {
		status = under(s, S_REP_DEL_RANGE, row.id, key, NULL, &t, diag);
	}
	/* later siblings move up one, in ascending order so the new keys
	 * are always free */
	for (j = pos + 1; j <= count && status == CAMPO_OK; j++) {
		snprintf(from, sizeof(from), "%.*s[%u]", (int)rlen, key,
			 (unsigned)j);
		snprintf(to, sizeof(to), "%.*s[%u]", (int)rlen, key,
			 (unsigned)(j - 1));
		status = under(s, S_ANS_RENAME_RANGE, row.id, from, to, &t,
			       diag);
		if (status == CAMPO_OK) {
			status = under(s, S_REP_RENAME_RANGE, row.id, from, to,
				       &t, diag);
		}
	}
	if (status == CAMPO_OK) {
		status = store_exec(s, S_REP_SET, "cannot remove the repeat",
				    diag, "ini", row.id, key, rlen,
				    (int64_t)count - 1);
	}
	if (status == CAMPO_OK) {
		snprintf(oldn, sizeof(oldn), "%u", (unsigned)count);
		snprintf(newn, sizeof(newn), "%u", (unsigned)count - 1);
		status = audit_add(s, row.id, &t, CAMPO_STORE_EV_REPEAT_REMOVED,
				   key, oldn, strlen(oldn), newn, strlen(newn),
				   diag);
	}
	if (status == CAMPO_OK) {
		status = iv_touch(s, &row, &t, diag);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	return store_commit(s, diag);
out_rollback:
	store_rollback(s);
	return status;
}

/* Points sum's fields at the columns of st (SUMMARY_COLS); borrowed. */
static void summary_from(sqlite3_stmt *st, struct campo_store_summary *sum)
{
	sum->instance_id = store_col_text(st, 0);
	sum->deprecated_id = store_col_text(st, 1);
	sum->revision = (uint32_t)sqlite3_column_int64(st, 2);
	sum->form_id = store_col_text(st, 3);
	sum->form_version = store_col_text(st, 4);
	sum->form_hash = store_col_text(st, 5);
	sum->enumerator = store_col_text(st, 6);
	sum->device_id = store_col_text(st, 7);
	sum->status = status_parse(store_col_text(st, 8));
	sum->instance_name = store_col_text(st, 9);
	sum->language = store_col_text(st, 10);
	sum->position = store_col_text(st, 11);
	sum->started_at = store_col_text(st, 12);
	sum->updated_at = store_col_text(st, 13);
	sum->updated_ms = sqlite3_column_int64(st, 14);
	sum->finalized_at = store_col_text(st, 15);
	sum->finalized_ms = sqlite3_column_int64(st, 16);
	sum->content_hash = store_col_text(st, 17);
	sum->return_note = store_col_text(st, 19);
}

/* The owned copies of a summary's strings, in one block. */
static char *summary_own(struct campo_store_summary *sum)
{
	const char **f[] = {
		&sum->instance_id,  &sum->deprecated_id, &sum->form_id,
		&sum->form_version, &sum->form_hash,	 &sum->enumerator,
		&sum->device_id,    &sum->instance_name, &sum->language,
		&sum->position,	    &sum->started_at,	 &sum->updated_at,
		&sum->finalized_at, &sum->content_hash,	 &sum->return_note,
	};
	size_t n = sizeof(f) / sizeof(f[0]), total = 0, i;
	char *block, *p;

	for (i = 0; i < n; i++) {
		total += strlen(*f[i]) + 1;
	}
	block = malloc(total);
	if (!block) {
		return NULL;
	}
	p = block;
	for (i = 0; i < n; i++) {
		size_t len = strlen(*f[i]) + 1;

		memcpy(p, *f[i], len);
		*f[i] = p;
		p += len;
	}
	return block;
}

/* The full interview: the summary's block sits in front of the struct. */
struct owned_interview {
	struct campo_store_interview pub;
	char *block;
};

static char *dup_col(sqlite3_stmt *st, int col, bool *nomem)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	char *copy;

	if (!t) {
		return NULL;
	}
	copy = campo_strdup((const char *)t);
	if (!copy) {
		*nomem = true;
	}
	return copy;
}

static enum campo_status load_rows(struct campo_store *s, enum stmt id,
				   int64_t iv, struct owned_interview *o,
				   struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = store_stmt(s, id, &status, diag);
	size_t cap = 0;
	bool nomem = false;
	int rc;

	if (!st) {
		return status;
	}
	rc = sqlite3_bind_int64(st, 1, iv);
	while (store_next(st, &rc)) {
		if (id == S_ANS_ALL) {
			struct campo_store_answer *a;

			if (campo_grow((void **)&o->pub.answers, &cap,
				       o->pub.n_answers + 1, sizeof(*a))) {
				nomem = true;
				break;
			}
			a = &o->pub.answers[o->pub.n_answers++];
			a->key = dup_col(st, 0, &nomem);
			a->value = dup_col(st, 1, &nomem);
		} else if (id == S_REP_ALL) {
			struct campo_store_repeat *r;

			if (campo_grow((void **)&o->pub.repeats, &cap,
				       o->pub.n_repeats + 1, sizeof(*r))) {
				nomem = true;
				break;
			}
			r = &o->pub.repeats[o->pub.n_repeats++];
			r->key = dup_col(st, 0, &nomem);
			r->count = (uint32_t)sqlite3_column_int64(st, 1);
		} else {
			struct campo_store_audit *a;

			if (campo_grow((void **)&o->pub.audit, &cap,
				       o->pub.n_audit + 1, sizeof(*a))) {
				nomem = true;
				break;
			}
			a = &o->pub.audit[o->pub.n_audit++];
			a->event = event_parse(store_col_text(st, 0));
			a->key = dup_col(st, 1, &nomem);
			a->old_value = dup_col(st, 2, &nomem);
			a->new_value = dup_col(st, 3, &nomem);
			a->at = dup_col(st, 4, &nomem);
			a->elapsed_ms = sqlite3_column_int64(st, 5);
		}
		if (nomem) {
			break;
		}
	}
	if (nomem) {
		status = CAMPO_ERR_NOMEM;
	} else if (rc != SQLITE_DONE) {
		status = store_fail(s, rc, false, "cannot read the interview",
				    diag);
	}
	sqlite3_reset(st);
	return status;
}

enum campo_status campo_store_interview_get(struct campo_store *s,
					    const char *instance_id,
					    unsigned flags,
					    struct campo_store_interview **out,
					    struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	struct owned_interview *o;
	sqlite3_stmt *st;
	bool own_tx;
	int64_t rowid = 0;
	int rc;

	*out = NULL;
	o = campo_calloc(1, sizeof(*o));
	if (!o) {
		return CAMPO_ERR_NOMEM;
	}
	/* one snapshot for the header and the rows, unless the caller's
	 * transaction already is one */
	own_tx = sqlite3_get_autocommit(s->db);
	if (own_tx) {
		status = store_begin_read(s, diag);
		if (status != CAMPO_OK) {
			goto out_free;
		}
	}
	st = store_stmt(s, S_IV_GET, &status, diag);
	if (!st) {
		goto out_end;
	}
	rc = store_bind_text(st, 1, instance_id);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		summary_from(st, &o->pub.info);
		rowid = sqlite3_column_int64(st, 18);
		o->block = summary_own(&o->pub.info);
		if (!o->block) {
			status = CAMPO_ERR_NOMEM;
		}
	} else if (rc == SQLITE_DONE) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"no interview '%s'",
					instance_id ? instance_id : "");
	} else {
		status = store_fail(s, rc, false, "cannot read the interview",
				    diag);
	}
	sqlite3_reset(st);
	if (status == CAMPO_OK) {
		status = load_rows(s, S_ANS_ALL, rowid, o, diag);
	}
	if (status == CAMPO_OK) {
		status = load_rows(s, S_REP_ALL, rowid, o, diag);
	}
	if (status == CAMPO_OK && (flags & CAMPO_STORE_GET_AUDIT)) {
		status = load_rows(s, S_AUDIT_ALL, rowid, o, diag);
	}
out_end:
	if (own_tx) {
		store_rollback(s);
	}
	if (status == CAMPO_OK) {
		*out = &o->pub;
		return CAMPO_OK;
	}
out_free:
	campo_store_interview_free(&o->pub);
	return status;
}

void campo_store_interview_free(struct campo_store_interview *iv)
{
	struct owned_interview *o = (struct owned_interview *)iv;
	size_t i;

	if (!iv) {
		return;
	}
	for (i = 0; i < iv->n_answers; i++) {
		free(iv->answers[i].key);
		free(iv->answers[i].value);
	}
	free(iv->answers);
	for (i = 0; i < iv->n_repeats; i++) {
		free(iv->repeats[i].key);
	}
	free(iv->repeats);
	for (i = 0; i < iv->n_audit; i++) {
		free(iv->audit[i].key);
		free(iv->audit[i].old_value);
		free(iv->audit[i].new_value);
		free(iv->audit[i].at);
	}
	free(iv->audit);
	free(o->block);
	free(o);
}

enum campo_status campo_store_interview_list(struct campo_store *s,
					     unsigned status_mask,
					     const char *form_id,
					     campo_store_summary_fn *fn,
					     void *ctx, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	struct campo_store_summary sum;
	sqlite3_stmt *st = store_stmt(s, S_IV_LIST, &status, diag);
	int rc;

	if (!st) {
		return status;
	}
	rc = sqlite3_bind_int64(st, 1, (int64_t)status_mask);
	if (rc == SQLITE_OK) {
		rc = store_bind_text(st, 2, form_id);
	}
	while (store_next(st, &rc)) {
		summary_from(st, &sum);
		status = fn(ctx, &sum);
		if (status != CAMPO_OK) {
			break;
		}
	}
	if (status == CAMPO_OK && rc != SQLITE_DONE) {
		status = store_fail(s, rc, false, "cannot list interviews",
				    diag);
	}
	sqlite3_reset(st);
	return status;
}

enum campo_status campo_store_count(struct campo_store *s,
				    enum campo_store_count_by by,
				    campo_store_count_fn *fn, void *ctx,
				    struct campo_diag *diag)
{
	static const enum stmt which[] = {
		[CAMPO_STORE_BY_ALL] = S_COUNT_ALL,
		[CAMPO_STORE_BY_ENUMERATOR] = S_COUNT_ENUMERATOR,
		[CAMPO_STORE_BY_DAY] = S_COUNT_DAY,
		[CAMPO_STORE_BY_FORM] = S_COUNT_FORM,
	};
	char key[CAMPO_STORE_TEXT_MAX + 1] = "";
	uint64_t n[CAMPO_STORE_NSTATUS] = { 0 };
	enum campo_status status = CAMPO_OK;
	bool have = false;
	sqlite3_stmt *st;
	size_t klen;
	int rc;

	if ((unsigned)by >= sizeof(which) / sizeof(which[0])) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "unknown grouping %d", (int)by);
	}
	st = store_stmt(s, which[by], &status, diag);
	if (!st) {
		return status;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = store_col_text(st, 0);

		if (have && strcmp(k, key) != 0) {
			status = fn(ctx, key, n);
			if (status != CAMPO_OK) {
				break;
			}
			memset(n, 0, sizeof(n));
		}
		have = true;
		klen = strlen(k);
		if (klen >= sizeof(key)) {
			klen = sizeof(key) - 1; /* longer than ever stored */
		}
		memcpy(key, k, klen);
		key[klen] = '\0';
		n[status_parse(store_col_text(st, 1))] +=
			(uint64_t)sqlite3_column_int64(st, 2);
	}
	if (status == CAMPO_OK && rc != SQLITE_DONE) {
		status = store_fail(s, rc, false, "cannot count interviews",
				    diag);
	}
	sqlite3_reset(st);
	if (status == CAMPO_OK && (have || by == CAMPO_STORE_BY_ALL)) {
		status = fn(ctx, key, n);
	}
	return status;
}
