/* SPDX-License-Identifier: MIT */
/* The hub's messages to this device, fetched after a pass and applied. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syncd.h"

/* Pages fetched in one pass at most (CAMPO_WIRE_MESSAGES_MAX each): a
 * hub that keeps answering full pages cannot keep a pass going. */
#define PAGES_MAX 100

/* What applying one reply came to. */
struct applied {
	size_t returned; /* interviews returned */
	size_t skipped;	 /* unknown types, unknown or draft interviews */
	int64_t seq;	 /* the highest seq applied */
};

/* The stored seq, 0 when absent; a value that is not a number is taken
 * as 0 (everything is asked again and re-applied, idempotently). */
static enum campo_status seq_get(struct campo_store *store, int64_t *seq,
				 struct campo_diag *diag)
{
	enum campo_status status;
	char *v = NULL, *end;
	long long n;

	*seq = 0;
	status = campo_store_setting_get(
		store, CAMPO_STORE_SETTING_MESSAGES_SEQ, &v, diag);
	if (status == CAMPO_ERR_NOTFOUND) {
		return CAMPO_OK;
	}
	if (status != CAMPO_OK) {
		return status;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (!errno && end != v && !*end && n > 0) {
		*seq = n;
	}
	free(v);
	return CAMPO_OK;
}

static enum campo_status seq_set(struct campo_store *store, int64_t seq,
				 struct campo_diag *diag)
{
	enum campo_status status;
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)seq);
	status = campo_store_setting_set(
		store, CAMPO_STORE_SETTING_MESSAGES_SEQ, v, diag);
	if (status == CAMPO_ERR_UNKNOWN) {
		status = campo_store_setting_set(
			store, CAMPO_STORE_SETTING_MESSAGES_SEQ, v, diag);
	}
	return status;
}

/* Applies the messages of m in order into a; stops at a database failure
 * (a->seq is then the last one applied). */
static enum campo_status apply(struct campo_store *store,
			       const struct campo_wire_messages *m,
			       struct applied *a, struct campo_diag *diag)
{
	enum campo_status status;
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct campo_wire_message *msg = &m->items[i];

		if (strcmp(msg->type, CAMPO_WIRE_MESSAGE_RETURN) != 0) {
			a->skipped++;
			a->seq = msg->seq;
			continue;
		}
		status = campo_store_interview_return(store, msg->instance_id,
						      msg->note, diag);
		if (status == CAMPO_ERR_UNKNOWN) {
			/* idempotent: apply again when the outcome is not
			 * known */
			status = campo_store_interview_return(
				store, msg->instance_id, msg->note, diag);
		}
		if (status == CAMPO_OK) {
			a->returned++;
		} else if (status == CAMPO_ERR_NOTFOUND ||
			   status == CAMPO_ERR_INVALID) {
			/* not on this device, or not a finalized one: the
			 * hub's business, not a reason to stop */
			a->skipped++;
		} else {
			return status;
		}
		a->seq = msg->seq;
	}
	return CAMPO_OK;
}

/* Fetches and applies one page after *after; *full: it was a full page. */
static enum syncd_messages_result page(struct campo_store *store,
				       const struct syncd_config *cfg,
				       struct syncd_http *http, int64_t *after,
				       bool *full, FILE *log)
{
	struct campo_wire_messages m = { 0 };
	struct applied a = { 0, 0, *after };
	enum syncd_messages_result result = SYNCD_MESSAGES_RETRY;
	struct campo_diag diag = { 0 };
	struct syncd_reply reply;
	enum campo_status status;
	struct campo_buf line;
	char at[CAMPO_WIRE_TIME_LEN + 1];
	bool keep = true;

	*full = false;
	campo_buf_init(&line, 4096);
	syncd_reply_init_max(&reply, CAMPO_WIRE_MESSAGES_BYTES);
	syncd_now_iso(at);
	status = syncd_http_get_messages(http, *after, &reply, &diag);
	campo_buf_printf(&line, "%s messages after=%lld http=%ld ms=%.1f", at,
			 (long long)*after, reply.http, reply.ms);
	if (status != CAMPO_OK) {
		campo_buf_adds(&line, " result=network reason=\"");
		syncd_log_clean(&line, diag.msg, 160);
		campo_buf_addc(&line, '"');
		goto out_log;
	}
	if (reply.http == 404) {
		/* a hub older than messages: nothing for this device */
		result = SYNCD_MESSAGES_OLD_HUB;
		keep = false;
		if (syncd_http_old_hub_first(http)) {
			campo_buf_adds(&line, " result=none reason=\"the hub "
					      "has no messages (older than "
					      "campo-messages/1)\"");
		} else {
			campo_buf_reset(&line);
		}
		goto out_log;
	}
	if (reply.http != 200) {
		campo_buf_adds(&line, " result=hub-error");
		goto out_log;
	}
	status = campo_wire_messages_parse(reply.body.data, reply.body.len,
					   *after, &m, &diag);
	if (status != CAMPO_OK) {
		/* a portal's page, a hub that ignored after=, a cap: apply
		 * none of it */
		campo_buf_adds(&line, " result=bad-messages reason=\"");
		syncd_log_clean(&line, diag.msg, 160);
		campo_buf_addc(&line, '"');
		goto out_log;
	}
	status = apply(store, &m, &a, &diag);
	if (a.seq > *after) {
		enum campo_status st = seq_set(store, a.seq, &diag);

		if (status == CAMPO_OK) {
			status = st;
		}
	}
	campo_buf_printf(&line, " messages=%zu returned=%zu skipped=%zu", m.n,
			 a.returned, a.skipped);
	if (status != CAMPO_OK) {
		campo_buf_adds(&line, " result=db reason=\"");
		syncd_log_clean(
			&line,
			diag.msg[0] ? diag.msg : campo_status_str(status), 160);
		campo_buf_addc(&line, '"');
		result = SYNCD_MESSAGES_FAILED;
		goto out_log;
	}
	campo_buf_printf(&line, " result=ok seq=%lld", (long long)a.seq);
	keep = a.returned > 0;
	*full = m.n == CAMPO_WIRE_MESSAGES_MAX;
	*after = a.seq;
	result = SYNCD_MESSAGES_OK;
out_log:
	syncd_log_line(store, cfg, log, &line, keep);
	campo_wire_messages_release(&m);
	syncd_reply_release(&reply);
	campo_buf_release(&line);
	return result;
}

enum syncd_messages_result syncd_messages_fetch(struct campo_store *store,
						const struct syncd_config *cfg,
						struct syncd_http *http,
						volatile sig_atomic_t *stop,
						FILE *log)
{
	enum syncd_messages_result result = SYNCD_MESSAGES_OK;
	struct campo_diag diag = { 0 };
	int64_t after;
	bool full = true;
	int pages;

	if (seq_get(store, &after, &diag) != CAMPO_OK) {
		return SYNCD_MESSAGES_FAILED;
	}
	for (pages = 0; full && pages < PAGES_MAX; pages++) {
		if (stop && *stop) {
			return SYNCD_MESSAGES_RETRY;
		}
		result = page(store, cfg, http, &after, &full, log);
		if (result != SYNCD_MESSAGES_OK) {
			break;
		}
	}
	return result;
}
