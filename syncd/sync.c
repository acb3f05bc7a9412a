/* SPDX-License-Identifier: MIT */
/* A pass over the outbox: send, check the acknowledgement, mark, log. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "syncd.h"
#include "util/alloc.h"
#include "util/file.h"

/* What one attempt came to, for the log line and the pass. */
enum attempt {
	ATTEMPT_OK,	   /* acknowledged and marked sent (or written) */
	ATTEMPT_RETRY,	   /* network, hub or portal: stop the pass */
	ATTEMPT_REFUSED,   /* 4xx for this batch: go on with the others */
	ATTEMPT_TOO_LARGE, /* 413: the hub read none of it; send it smaller */
	ATTEMPT_FAILED,	   /* the database failed */
};

void syncd_now_iso(char out[CAMPO_WIRE_TIME_LEN + 1])
{
	struct timespec ts;
	struct tm tm;
	char tmp[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, CAMPO_WIRE_TIME_LEN + 1, "%.19s.%03dZ", tmp,
		 (int)(ts.tv_nsec / 1000000));
}

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

enum campo_status syncd_ack_check(const struct syncd_batch *b, const char *ack,
				  size_t len, size_t *n_new, size_t *n_dup,
				  size_t *n_conflict, struct campo_diag *diag)
{
	struct campo_wire_ack a;
	enum campo_status status;
	char *const *lists[3];
	size_t counts[3], l, i, k, listed = 0;
	bool *seen;

	status = campo_wire_ack_parse(ack, len, &a, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (strcmp(a.batch_id, b->batch_id) != 0) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"the acknowledgement names batch '%s', "
					"not '%s'",
					a.batch_id, b->batch_id);
		goto out_release;
	}
	seen = campo_calloc(b->n ? b->n : 1, sizeof(*seen));
	if (!seen) {
		status = CAMPO_ERR_NOMEM;
		goto out_release;
	}
	lists[0] = a.new_ids, counts[0] = a.n_new;
	lists[1] = a.duplicate_ids, counts[1] = a.n_duplicate;
	lists[2] = a.conflict_ids, counts[2] = a.n_conflict;
	for (l = 0; l < 3 && status == CAMPO_OK; l++) {
		for (i = 0; i < counts[l] && status == CAMPO_OK; i++) {
			for (k = 0; k < b->n; k++) {
				if (!strcmp(lists[l][i], b->ids[k])) {
					break;
				}
			}
			if (k == b->n || seen[k]) {
				status = campo_diag_set(
					diag, CAMPO_ERR_INVALID,
					"the acknowledgement lists '%s' %s",
					lists[l][i],
					k == b->n ? "that is not in the batch"
						  : "twice");
			} else {
				seen[k] = true;
				listed++;
			}
		}
	}
	if (status == CAMPO_OK && listed != b->n) {
		for (k = 0; seen[k]; k++) {
		}
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"the acknowledgement leaves out '%s'",
					b->ids[k]);
	}
	free(seen);
	if (status == CAMPO_OK) {
		if (n_new) {
			*n_new = a.n_new;
		}
		if (n_dup) {
			*n_dup = a.n_duplicate;
		}
		if (n_conflict) {
			*n_conflict = a.n_conflict;
		}
	}
out_release:
	campo_wire_ack_release(&a);
	return status;
}

void syncd_log_clean(struct campo_buf *line, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		campo_buf_addc(
			line, c < ' ' || c == '"' || c == 0x7f ? '?' : (char)c);
	}
	if (s[i]) {
		campo_buf_adds(line, "...");
	}
}

/* The hub's error message from a JSON error body, else "". Best effort:
 * this only decorates the log line. */
static void error_message(const struct campo_buf *body, char *out, size_t n)
{
	const char *p = strstr(campo_buf_str(body), "\"message\":\"");
	size_t k = 0;

	out[0] = '\0';
	if (!p) {
		return;
	}
	for (p += 11; *p && *p != '"' && k + 1 < n; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		}
		out[k++] = *p;
	}
	out[k] = '\0';
}

/* Keeps line as the newest of the store's recent attempts. */
static void remember(struct campo_store *store, const struct syncd_config *cfg,
		     const char *line)
{
	struct campo_buf hist;
	char *old = NULL;
	const char *p;
	size_t lines = 1;

	campo_store_setting_get(store, SYNCD_SETTING_HISTORY, &old, NULL);
	campo_buf_init(&hist, CAMPO_STORE_VALUE_MAX);
	if (old && *old) {
		/* keep the newest history - 1 lines of old */
		for (p = old; *p; p++) {
			lines += *p == '\n';
		}
		for (p = old; lines >= cfg->history && *p; lines--) {
			p += strcspn(p, "\n");
			p += *p == '\n';
		}
		campo_buf_adds(&hist, p);
	}
	if (hist.len && hist.data[hist.len - 1] != '\n') {
		campo_buf_addc(&hist, '\n');
	}
	if (campo_buf_adds(&hist, line) == CAMPO_OK) {
		/* history is a convenience: a failure here never fails the
		 * pass, and the log line has been written already */
		campo_store_setting_set(store, SYNCD_SETTING_HISTORY,
					campo_buf_str(&hist), NULL);
	}
	campo_buf_release(&hist);
	free(old);
}

void syncd_log_line(struct campo_store *store, const struct syncd_config *cfg,
		    FILE *log, const struct campo_buf *line, bool keep)
{
	if (!line->len) {
		return;
	}
	if (log) {
		fprintf(log, "%s\n", campo_buf_str(line));
		fflush(log);
	}
	if (keep) {
		remember(store, cfg, campo_buf_str(line));
	}
}

static enum campo_status mark_sent(struct campo_store *store,
				   const char *batch_id,
				   struct campo_diag *diag)
{
	enum campo_status status;

	status = campo_store_outbox_mark_sent(store, batch_id, NULL, diag);
	if (status == CAMPO_ERR_UNKNOWN) {
		/* idempotent: apply again when the outcome is not known */
		status = campo_store_outbox_mark_sent(store, batch_id, NULL,
						      diag);
	}
	return status;
}

static enum attempt send_one(struct campo_store *store, struct syncd_http *http,
			     const struct syncd_batch *b,
			     struct campo_buf *line)
{
	struct campo_diag diag = { 0 };
	struct syncd_reply reply;
	enum campo_status status;
	enum attempt result;
	size_t n_new = 0, n_dup = 0, n_conflict = 0;
	char msg[256];

	syncd_reply_init(&reply);
	status = syncd_http_put(http, b->batch_id, b->gz.data, b->gz.len,
				&reply, &diag);
	campo_buf_printf(line, " http=%ld ms=%.1f", reply.http, reply.ms);
	if (status != CAMPO_OK) {
		campo_buf_adds(line, " result=network reason=\"");
		syncd_log_clean(line, diag.msg, 160);
		campo_buf_addc(line, '"');
		result = ATTEMPT_RETRY;
	} else if (reply.http == 200 || reply.http == 201) {
		status = syncd_ack_check(b, reply.body.data, reply.body.len,
					 &n_new, &n_dup, &n_conflict, &diag);
		if (status != CAMPO_OK) {
			/* a captive portal's page, or an answer about
			 * something else: nothing is marked */
			campo_buf_adds(line, " result=bad-ack reason=\"");
			syncd_log_clean(line, diag.msg, 160);
			campo_buf_addc(line, '"');
			result = ATTEMPT_RETRY;
		} else if ((status = mark_sent(store, b->batch_id, &diag)) !=
			   CAMPO_OK) {
			campo_buf_adds(line, " result=db reason=\"");
			syncd_log_clean(line, diag.msg, 160);
			campo_buf_addc(line, '"');
			result = ATTEMPT_FAILED;
		} else {
			campo_buf_printf(line,
					 " result=ok new=%zu duplicate=%zu "
					 "conflict=%zu",
					 n_new, n_dup, n_conflict);
			result = ATTEMPT_OK;
		}
	} else {
		bool refused = reply.http >= 400 && reply.http < 500 &&
			       reply.http != 401 && reply.http != 403 &&
			       reply.http != 408 && reply.http != 429;

		/* 5xx, 408, 429: the hub is busy or failed, nothing is
		 * committed; 401, 403: no other batch would fare better;
		 * 1xx, 3xx: a portal or a proxy. Stop and back off. A 4xx
		 * refuses this batch alone: go on with the others. */
		error_message(&reply.body, msg, sizeof(msg));
		campo_buf_adds(line, refused ? " result=refused"
					     : " result=hub-error");
		if (msg[0]) {
			campo_buf_adds(line, " reason=\"");
			syncd_log_clean(line, msg, 160);
			campo_buf_addc(line, '"');
		}
		result = refused ? ATTEMPT_REFUSED : ATTEMPT_RETRY;
		if (reply.http == 413) {
			result = ATTEMPT_TOO_LARGE;
		}
	}
	syncd_reply_release(&reply);
	return result;
}

/* Writes b to <dir>/<batch_id>.campo-batch (temporary file, fsync,
 * rename, fsync of the folder). */
static enum attempt write_usb(const struct syncd_config *cfg,
			      const struct syncd_batch *b,
			      struct campo_buf *line)
{
	struct campo_diag diag = { 0 };
	enum campo_status status;
	struct campo_buf path;
	double t0 = mono_ms();

	campo_buf_init(&path, 8192);
	status = campo_file_mkdirs(cfg->usb_dir);
	if (status == CAMPO_OK) {
		status = campo_buf_printf(&path, "%s/%s.campo-batch",
					  cfg->usb_dir, b->batch_id);
	}
	if (status == CAMPO_OK) {
		status = campo_file_write_atomic(path.data, b->gz.data,
						 b->gz.len, &diag);
	}
	campo_buf_printf(line, " http=0 ms=%.1f", mono_ms() - t0);
	if (status == CAMPO_OK) {
		campo_buf_adds(line, " result=usb file=\"");
		syncd_log_clean(line, campo_buf_str(&path), 1024);
	} else {
		campo_buf_adds(line, " result=usb-error reason=\"");
		syncd_log_clean(
			line, diag.msg[0] ? diag.msg : campo_status_str(status),
			160);
	}
	campo_buf_addc(line, '"');
	campo_buf_release(&path);
	return status == CAMPO_OK ? ATTEMPT_OK : ATTEMPT_FAILED;
}

enum syncd_outcome syncd_pass(struct campo_store *store,
			      const struct syncd_config *cfg,
			      struct syncd_http *http,
			      volatile sig_atomic_t *stop, FILE *log)
{
	enum syncd_outcome outcome = SYNCD_NOTHING;
	struct syncd_skip skip = { 0 };
	struct campo_buf line;
	char at[CAMPO_WIRE_TIME_LEN + 1];
	bool refused = false;
	size_t cap = cfg->batch_interviews;

	campo_buf_init(&line, 4096);
	for (;;) {
		struct campo_diag diag = { 0 };
		struct syncd_batch b;
		enum campo_status status;
		enum attempt result;

		if (stop && *stop) {
			outcome = SYNCD_STOPPED;
			break;
		}
		campo_buf_reset(&line);
		syncd_now_iso(at);
		status = syncd_batch_next(store, &skip, cap, cfg->batch_bytes,
					  &b, &diag);
		if (status == CAMPO_ERR_NOTFOUND) {
			break;
		}
		if (status != CAMPO_OK) {
			campo_buf_printf(&line,
					 "%s batch=- result=db "
					 "reason=\"",
					 at);
			syncd_log_clean(&line,
					diag.msg[0] ? diag.msg
						    : campo_status_str(status),
					160);
			campo_buf_addc(&line, '"');
			syncd_log_line(store, cfg, log, &line, true);
			outcome = SYNCD_FAILED;
			break;
		}
		if (syncd_skip_add(&skip, b.batch_id) != CAMPO_OK) {
			syncd_batch_release(&b);
			outcome = SYNCD_FAILED;
			break;
		}
		campo_buf_printf(&line,
				 "%s batch=%s interviews=%zu bytes=%zu%s", at,
				 b.batch_id, b.n, b.gz.len,
				 b.resent ? " resend=yes" : "");
		result = cfg->usb_dir ? write_usb(cfg, &b, &line)
				      : send_one(store, http, &b, &line);
		if (result == ATTEMPT_TOO_LARGE && b.n > 1) {
			/* The hub refused the body before reading it, so it
			 * committed nothing: the interviews go out again in
			 * batches half as large, under new ids. */
			status = campo_store_outbox_release(store, b.batch_id,
							    &diag);
			cap = b.n / 2;
			campo_buf_printf(&line, " retry-with=%zu", cap);
			result = status == CAMPO_OK ? ATTEMPT_TOO_LARGE
						    : ATTEMPT_FAILED;
		} else if (result == ATTEMPT_TOO_LARGE) {
			/* one interview larger than the hub takes */
			result = ATTEMPT_REFUSED;
		}
		syncd_batch_release(&b);
		syncd_log_line(store, cfg, log, &line, true);
		if (result == ATTEMPT_OK) {
			outcome = SYNCD_DONE;
		} else if (result == ATTEMPT_TOO_LARGE) {
			continue; /* released: its interviews go out smaller */
		} else if (result == ATTEMPT_REFUSED) {
			refused = true;
		} else {
			outcome = result == ATTEMPT_RETRY ? SYNCD_RETRY
							  : SYNCD_FAILED;
			if (stop && *stop) {
				outcome = SYNCD_STOPPED;
			}
			break;
		}
	}
	if (refused && (outcome == SYNCD_DONE || outcome == SYNCD_NOTHING)) {
		outcome = SYNCD_REFUSED;
	}
	if (outcome == SYNCD_DONE && !cfg->usb_dir) {
		syncd_now_iso(at);
		campo_store_setting_set(store, CAMPO_STORE_SETTING_LAST_SYNC,
					at, NULL);
	}
	/* The hub's messages, also when nothing was waiting; not after the
	 * network or the hub failed: the next pass will ask. */
	if (!cfg->usb_dir && http &&
	    (outcome == SYNCD_DONE || outcome == SYNCD_NOTHING ||
	     outcome == SYNCD_REFUSED)) {
		switch (syncd_messages_fetch(store, cfg, http, stop, log)) {
		case SYNCD_MESSAGES_OK:
		case SYNCD_MESSAGES_OLD_HUB:
			break;
		case SYNCD_MESSAGES_RETRY:
			outcome = stop && *stop ? SYNCD_STOPPED : SYNCD_RETRY;
			break;
		case SYNCD_MESSAGES_FAILED:
			outcome = SYNCD_FAILED;
			break;
		}
	}
	syncd_skip_release(&skip);
	campo_buf_release(&line);
	return outcome;
}

enum campo_status syncd_status_print(struct campo_store *store, FILE *out,
				     struct campo_diag *diag)
{
	struct syncd_waiting w;
	enum campo_status status;
	char *last = NULL, *hist = NULL;
	const char *p, *newest;

	status = syncd_waiting(store, &w, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	campo_store_setting_get(store, CAMPO_STORE_SETTING_LAST_SYNC, &last,
				NULL);
	campo_store_setting_get(store, SYNCD_SETTING_HISTORY, &hist, NULL);
	fprintf(out, "device: %s\n", campo_store_device(store)->device_id);
	fprintf(out,
		"waiting: %zu interview%s (%zu in a batch already sent "
		"or written, not acknowledged)\n",
		w.entries, w.entries == 1 ? "" : "s", w.assigned);
	fprintf(out, "last success: %s\n", last ? last : "never");
	newest = NULL;
	for (p = hist; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		newest = p;
	}
	if (newest) {
		fprintf(out, "last attempt: %.*s\n", (int)strcspn(newest, "\n"),
			newest);
		fprintf(out, "recent attempts, oldest first:\n");
		for (p = hist; *p;) {
			size_t n = strcspn(p, "\n");

			fprintf(out, "  %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	} else {
		fprintf(out, "last attempt: none\n");
	}
	free(last);
	free(hist);
	return CAMPO_OK;
}
