/* SPDX-License-Identifier: MIT */
/* GET /api/v1/messages: a device's messages as campo-messages/1. */
#include <stdio.h>
#include <string.h>

#include "hub.h"

/* Appends s as a JSON string (UTF-8 was checked when it was stored). */
static enum campo_status json_str(struct campo_buf *out, const char *s)
{
	return campo_buf_add_json_string(out, s, strlen(s));
}

/* Where a reply stops taking messages: the next one, escaped, fits in
 * the 1 MiB a device reads (a note is 4 KiB, at most 24 KiB escaped). */
#define REPLY_FULL ((1u << 20) - (32u << 10))

struct writer {
	struct campo_buf *out;
	size_t n;
	bool full;
};

static enum campo_status one(void *ctx, const struct campo_hub_message *m)
{
	struct writer *w = ctx;
	enum campo_status status;

	if (w->out->len > REPLY_FULL) {
		/* a shorter page: the device asks again after its last seq */
		w->full = true;
		return CAMPO_ERR_LIMIT;
	}
	status = campo_buf_printf(w->out, "%s{\"seq\":%lld,\"type\":",
				  w->n++ ? "," : "", (long long)m->seq);
	if (status == CAMPO_OK) {
		status = json_str(w->out, m->type);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(w->out, ",\"instance_id\":");
	}
	if (status == CAMPO_OK) {
		status = json_str(w->out, m->instance_id);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(w->out, ",\"note\":");
	}
	if (status == CAMPO_OK) {
		status = json_str(w->out, m->note);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(w->out, ",\"at\":");
	}
	if (status == CAMPO_OK) {
		status = json_str(w->out, m->at);
	}
	return status == CAMPO_OK ? campo_buf_addc(w->out, '}') : status;
}

bool hub_messages_after(const char *s, int64_t *after)
{
	uint64_t v = 0;

	if (!s) {
		*after = 0;
		return true;
	}
	if (!*s || strlen(s) > 16) {
		return false;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return false;
		}
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > HUB_SEQ_MAX) {
		return false;
	}
	*after = (int64_t)v;
	return true;
}

enum campo_status hub_messages_json(struct campo_hub *hub, const char *device,
				    int64_t after, struct campo_buf *out,
				    struct campo_diag *diag)
{
	struct writer w = { .out = out };
	enum campo_status status = campo_buf_adds(
		out, "{\"format\":\"campo-messages/1\",\"messages\":[");

	if (status == CAMPO_OK) {
		status = campo_hub_messages(hub, device, after,
					    HUB_MESSAGES_MAX, one, &w, diag);
		if (status == CAMPO_ERR_LIMIT && w.full) {
			status = CAMPO_OK;
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_adds(out, "]}");
	}
	return status;
}
