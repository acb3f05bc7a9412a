/* SPDX-License-Identifier: MIT */
/* A sync batch from the device store: interviews in lib/wire's structs. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "report-internal.h"
#include "util/alloc.h"

static void now_iso(char out[CAMPO_WIRE_TIME_LEN + 1])
{
	struct timespec ts;
	struct tm tm;
	char tmp[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, CAMPO_WIRE_TIME_LEN + 1, "%.19s.%03dZ", tmp,
		 (int)(ts.tv_nsec / 1000000));
}

/* Copies s into *out; s NULL stays NULL. Returns false out of memory. */
static bool dup(char **out, const char *s)
{
	*out = campo_strdup(s);
	return !s || *out;
}

static enum campo_status convert(const struct campo_store_interview *s,
				 struct campo_wire_interview *w)
{
	const struct campo_store_summary *i = &s->info;
	size_t k;
	bool ok;

	w->revision = i->revision;
	w->finalized_ms = i->finalized_ms;
	ok = dup(&w->instance_id, i->instance_id) &&
	     dup(&w->deprecated_id, i->deprecated_id) &&
	     dup(&w->form_id, i->form_id) &&
	     dup(&w->form_version, i->form_version) &&
	     dup(&w->form_hash, i->form_hash) &&
	     dup(&w->enumerator, i->enumerator) &&
	     dup(&w->device_id, i->device_id) &&
	     dup(&w->status, campo_store_istatus_name(i->status)) &&
	     dup(&w->instance_name, i->instance_name) &&
	     dup(&w->language, i->language) &&
	     dup(&w->started_at, i->started_at) &&
	     dup(&w->finalized_at, i->finalized_at) &&
	     dup(&w->content_hash, i->content_hash);
	if (ok && s->n_answers) {
		w->answers = campo_calloc(s->n_answers, sizeof(*w->answers));
		ok = w->answers != NULL;
	}
	for (k = 0; ok && k < s->n_answers; k++) {
		w->n_answers++;
		ok = dup(&w->answers[k].key, s->answers[k].key) &&
		     dup(&w->answers[k].value, s->answers[k].value);
	}
	if (ok && s->n_repeats) {
		w->repeats = campo_calloc(s->n_repeats, sizeof(*w->repeats));
		ok = w->repeats != NULL;
	}
	for (k = 0; ok && k < s->n_repeats; k++) {
		w->n_repeats++;
		w->repeats[k].count = s->repeats[k].count;
		ok = dup(&w->repeats[k].key, s->repeats[k].key);
	}
	if (ok && s->n_audit) {
		w->audit = campo_calloc(s->n_audit, sizeof(*w->audit));
		ok = w->audit != NULL;
	}
	for (k = 0; ok && k < s->n_audit; k++) {
		const struct campo_store_audit *a = &s->audit[k];

		w->n_audit++;
		w->audit[k].elapsed_ms = a->elapsed_ms;
		ok = dup(&w->audit[k].event,
			 campo_store_event_name(a->event)) &&
		     dup(&w->audit[k].key, a->key) &&
		     dup(&w->audit[k].old_value, a->old_value) &&
		     dup(&w->audit[k].new_value, a->new_value) &&
		     dup(&w->audit[k].at, a->at);
	}
	return ok ? CAMPO_OK : CAMPO_ERR_NOMEM;
}

enum campo_status
campo_report_batch_build(struct campo_store *store, const char *batch_id,
			 const char *created_at,
			 const char *const *instance_ids, size_t n,
			 struct campo_wire_batch **out, struct campo_diag *diag)
{
	char now[CAMPO_WIRE_TIME_LEN + 1], hash[CAMPO_WIRE_HASH_LEN + 1];
	struct campo_store_interview *iv = NULL;
	struct campo_wire_batch *b;
	enum campo_status status = CAMPO_OK;
	size_t i;

	*out = NULL;
	if (n > CAMPO_WIRE_RECORDS_MAX) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "%zu interviews pass the cap of %u per "
				      "batch",
				      n, CAMPO_WIRE_RECORDS_MAX);
	}
	if (!created_at) {
		now_iso(now);
		created_at = now;
	}
	b = calloc(1, sizeof(*b));
	if (!b || !dup(&b->batch_id, batch_id) ||
	    !dup(&b->device_id, campo_store_device(store)->device_id) ||
	    !dup(&b->created_at, created_at) ||
	    (n && !(b->interviews = campo_calloc(n, sizeof(*b->interviews))))) {
		status = campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
		goto out_free;
	}
	for (i = 0; i < n; i++) {
		status = campo_store_interview_get(store, instance_ids[i],
						   CAMPO_STORE_GET_AUDIT, &iv,
						   diag);
		if (status != CAMPO_OK) {
			goto out_free;
		}
		if (iv->info.status == CAMPO_STORE_DRAFT ||
		    iv->info.status == CAMPO_STORE_DISCARDED) {
			status = campo_diag_set(
				diag, CAMPO_ERR_INVALID,
				"interview '%s' is %s, not "
				"finalized",
				instance_ids[i],
				campo_store_istatus_name(iv->info.status));
			goto out_free;
		}
		b->n_interviews++;
		status = convert(iv, &b->interviews[i]);
		campo_store_interview_free(iv);
		iv = NULL;
		if (status != CAMPO_OK) {
			campo_diag_set(diag, status, "out of memory");
			goto out_free;
		}
		campo_wire_content_hash(&b->interviews[i], hash);
		if (strcmp(hash, b->interviews[i].content_hash)) {
			status =
				campo_diag_set(diag, CAMPO_ERR_INVALID,
					       "interview '%s': stored content "
					       "hash does not match its "
					       "answers",
					       instance_ids[i]);
			goto out_free;
		}
	}
	*out = b;
	return CAMPO_OK;

out_free:
	campo_store_interview_free(iv);
	campo_wire_batch_free(b);
	return status;
}
