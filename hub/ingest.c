/* SPDX-License-Identifier: MIT */
/* Batch ingest: decode within caps, check forms, merge, acknowledge. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "form/form-load.h"
#include "form/form.h"
#include "hub.h"
#include "util/alloc.h"
#include "util/sha256.h"
#include "util/uuid.h"

enum campo_status hub_forms_load(struct hub_forms *forms, const char *dir,
				 struct campo_diag *diag)
{
	struct dirent *e;
	DIR *d;

	memset(forms, 0, sizeof(*forms));
	d = opendir(dir);
	if (!d) {
		return campo_diag_set(diag, CAMPO_ERR_IO,
				      "cannot open forms folder '%s'", dir);
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		struct campo_form *form = NULL;
		char path[4096];

		if (n < 6 || strcmp(e->d_name + n - 5, ".json")) {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (campo_form_load_file(path, &form, NULL) != CAMPO_OK) {
			fprintf(stderr,
				"campo-hub: skipping form '%s': "
				"it does not load\n",
				path);
			continue;
		}
		if (campo_grow((void **)&forms->ids, &(size_t){ forms->n },
			       forms->n + 1, sizeof(char *)) ||
		    campo_grow((void **)&forms->versions, &(size_t){ forms->n },
			       forms->n + 1, sizeof(char *))) {
			campo_form_free(form);
			closedir(d);
			return CAMPO_ERR_NOMEM;
		}
		forms->ids[forms->n] = campo_strdup(form->id);
		forms->versions[forms->n] =
			campo_strdup(form->version ? form->version : "");
		campo_form_free(form);
		if (!forms->ids[forms->n] || !forms->versions[forms->n]) {
			free(forms->ids[forms->n]);
			free(forms->versions[forms->n]);
			closedir(d);
			return CAMPO_ERR_NOMEM;
		}
		forms->n++;
	}
	closedir(d);
	return CAMPO_OK;
}

void hub_forms_release(struct hub_forms *forms)
{
	size_t i;

	for (i = 0; i < forms->n; i++) {
		free(forms->ids[i]);
		free(forms->versions[i]);
	}
	free(forms->ids);
	free(forms->versions);
	memset(forms, 0, sizeof(*forms));
}

static bool form_known(const struct hub_forms *forms, const char *id,
		       const char *version)
{
	size_t i;

	for (i = 0; i < forms->n; i++) {
		if (!strcmp(forms->ids[i], id) &&
		    !strcmp(forms->versions[i] ? forms->versions[i] : "",
			    version)) {
			return true;
		}
	}
	return false;
}

void hub_result_release(struct hub_result *res)
{
	free(res->body);
	res->body = NULL;
}

/* Appends s as a JSON string. */
static enum campo_status json_str(struct campo_buf *b, const char *s)
{
	return campo_buf_add_json_string(b, s, strlen(s));
}

static void error_body(struct hub_result *res, int http, const char *code,
		       const struct campo_diag *diag, const char *msg)
{
	struct campo_buf b;
	char text[CAMPO_DIAG_MSG + CAMPO_DIAG_PATH + 8];

	if (diag && diag->path[0]) {
		snprintf(text, sizeof(text), "%s: %s", diag->path, diag->msg);
	} else {
		snprintf(text, sizeof(text), "%s", diag ? diag->msg : msg);
	}
	campo_buf_init(&b, 4096);
	campo_buf_adds(&b, "{\"error\":");
	json_str(&b, code);
	campo_buf_adds(&b, ",\"message\":");
	json_str(&b, text);
	campo_buf_addc(&b, '}');
	res->http = http;
	res->body = campo_buf_detach(&b, NULL);
}

struct ack_ctx {
	const struct campo_wire_batch *b;
};

static enum campo_status write_ack(void *ctx,
				   const enum campo_hub_outcome *outcomes,
				   size_t n, char **out)
{
	const struct campo_wire_batch *b = ((struct ack_ctx *)ctx)->b;
	struct campo_wire_ack ack = { 0 };
	char **lists = campo_calloc(n ? 3 * n : 1, sizeof(char *));
	char now[CAMPO_WIRE_TIME_LEN + 8], tmp[32];
	enum campo_status status;
	struct campo_buf buf;
	struct timespec ts;
	struct tm tm;
	size_t i;

	if (!lists) {
		return CAMPO_ERR_NOMEM;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(now, sizeof(now), "%.19s.%03dZ", tmp,
		 (int)(ts.tv_nsec / 1000000));
	ack.batch_id = b->batch_id;
	ack.received_at = now;
	ack.new_ids = lists;
	ack.duplicate_ids = lists + n;
	ack.conflict_ids = lists + 2 * n;
	for (i = 0; i < n; i++) {
		char *id = b->interviews[i].instance_id;

		if (outcomes[i] == CAMPO_HUB_NEW) {
			ack.new_ids[ack.n_new++] = id;
		} else if (outcomes[i] == CAMPO_HUB_DUPLICATE) {
			ack.duplicate_ids[ack.n_duplicate++] = id;
		} else {
			ack.conflict_ids[ack.n_conflict++] = id;
		}
	}
	campo_buf_init(&buf, 1u << 20);
	status = campo_wire_ack_json(&ack, &buf);
	free(lists);
	if (status != CAMPO_OK) {
		campo_buf_release(&buf);
		return status;
	}
	*out = campo_buf_detach(&buf, NULL);
	return *out ? CAMPO_OK : CAMPO_ERR_NOMEM;
}

/* Appends `,"name":` (no comma when first) and s as a JSON string, or
 * null for NULL. */
static enum campo_status json_kv(struct campo_buf *b, bool first,
				 const char *name, const char *s)
{
	enum campo_status status =
		campo_buf_printf(b, "%s\"%s\":", first ? "" : ",", name);

	if (status == CAMPO_OK) {
		status = s ? json_str(b, s) : campo_buf_adds(b, "null");
	}
	return status;
}

/* Appends iv's audit trail as the batch carries it: an array of
 * {"event","key","old_value","new_value","at","elapsed_ms"}, oldest
 * first (docs/wire-format.md). */
static enum campo_status audit_json(const struct campo_wire_interview *iv,
				    struct campo_buf *out)
{
	enum campo_status status = campo_buf_addc(out, '[');
	size_t i;

	for (i = 0; status == CAMPO_OK && i < iv->n_audit; i++) {
		const struct campo_wire_audit *a = &iv->audit[i];

		status = campo_buf_adds(out, i ? ",{" : "{");
		if (status == CAMPO_OK) {
			status = json_kv(out, true, "event", a->event);
		}
		if (status == CAMPO_OK) {
			status = json_kv(out, false, "key", a->key);
		}
		if (status == CAMPO_OK) {
			status = json_kv(out, false, "old_value", a->old_value);
		}
		if (status == CAMPO_OK) {
			status = json_kv(out, false, "new_value", a->new_value);
		}
		if (status == CAMPO_OK) {
			status = json_kv(out, false, "at", a->at);
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(out, ",\"elapsed_ms\":%lld}",
						  (long long)a->elapsed_ms);
		}
	}
	return status == CAMPO_OK ? campo_buf_addc(out, ']') : status;
}

/* The hub's copy of one interview: data and audit as JSON (both
 * malloc'd into r; the caller frees them). */
static enum campo_status to_revision(const struct campo_wire_interview *iv,
				     struct campo_hub_revision *r,
				     struct campo_buf *buf,
				     struct campo_diag *diag)
{
	enum campo_status status;

	r->instance_id = iv->instance_id;
	r->deprecated_id = iv->deprecated_id;
	r->revision = iv->revision;
	r->device_id = iv->device_id;
	r->form_id = iv->form_id;
	r->form_version = iv->form_version;
	r->content_hash = iv->content_hash;
	r->status = iv->status;
	r->enumerator = iv->enumerator;
	r->started_at = iv->started_at;
	r->finalized_at = iv->finalized_at;
	campo_buf_reset(buf);
	status = campo_wire_data_json(iv, buf, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	r->data_json = campo_buf_detach(buf, NULL);
	if (!r->data_json) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	status = audit_json(iv, buf);
	if (status != CAMPO_OK) {
		return campo_diag_set(diag, status,
				      "cannot store the audit "
				      "trail: %s",
				      campo_status_str(status));
	}
	r->audit_json = campo_buf_detach(buf, NULL);
	if (!r->audit_json) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	return CAMPO_OK;
}

void hub_ingest(struct campo_hub *hub, const struct hub_forms *forms,
		const char *device, const char *path_id, const void *body,
		size_t len, struct hub_result *res)
{
	char digest[CAMPO_WIRE_HASH_LEN + 1],
		body_hash[CAMPO_WIRE_HASH_LEN + 1];
	struct campo_hub_revision *revs = NULL;
	struct campo_wire_batch *b = NULL;
	struct campo_hub_batch hb = { 0 };
	struct campo_diag diag = { 0 };
	struct ack_ctx actx;
	enum campo_status status;
	struct campo_sha256 sh;
	struct campo_buf data;
	char hex[CAMPO_SHA256_HEX_LEN + 1], *ack = NULL;
	bool repeat = false;
	size_t i;

	memset(res, 0, sizeof(*res));
	campo_buf_init(&data, CAMPO_WIRE_INFLATED_MAX);
	status = campo_wire_batch_decode(body, len, NULL, &b, &diag);
	if (status == CAMPO_ERR_LIMIT &&
	    strstr(diag.msg, "compressed batch of")) {
		error_body(res, 413, "too_large", &diag, NULL);
		goto out;
	}
	if (status != CAMPO_OK) {
		error_body(res, status == CAMPO_ERR_NOMEM ? 500 : 400,
			   status == CAMPO_ERR_LIMIT   ? "limit"
			   : status == CAMPO_ERR_PARSE ? "parse"
						       : "invalid",
			   &diag, NULL);
		goto out;
	}
	res->n = b->n_interviews;
	if (path_id && strcmp(path_id, b->batch_id)) {
		error_body(res, 400, "invalid", NULL,
			   "batch id in the path differs from the batch's");
		goto out;
	}
	for (i = 0; forms && i < b->n_interviews; i++) {
		if (!form_known(forms, b->interviews[i].form_id,
				b->interviews[i].form_version)) {
			campo_diag_set(&diag, CAMPO_ERR_INVALID,
				       "unknown form '%.64s' version '%.64s'",
				       b->interviews[i].form_id,
				       b->interviews[i].form_version);
			campo_diag_set_path(&diag, "interviews[%zu]", i);
			error_body(res, 422, "unknown_form", &diag, NULL);
			goto out;
		}
	}
	revs = campo_calloc(b->n_interviews ? b->n_interviews : 1,
			    sizeof(*revs));
	if (!revs) {
		error_body(res, 500, "nomem", NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < b->n_interviews; i++) {
		status = to_revision(&b->interviews[i], &revs[i], &data, &diag);
		if (status != CAMPO_OK) {
			error_body(res, status == CAMPO_ERR_NOMEM ? 500 : 400,
				   "invalid", &diag, NULL);
			goto out;
		}
	}
	campo_wire_batch_digest(b, digest);
	campo_sha256_init(&sh);
	campo_sha256_add(&sh, body, len);
	campo_sha256_final_hex(&sh, hex);
	snprintf(body_hash, sizeof(body_hash), "sha256:%s", hex);
	hb.batch_id = b->batch_id;
	hb.device_name = device;
	hb.device_id = b->device_id;
	hb.digest = digest;
	hb.body_hash = body_hash;
	hb.revisions = revs;
	hb.n = b->n_interviews;
	actx.b = b;
	status = campo_hub_batch_merge(hub, &hb, write_ack, &actx, &ack,
				       &repeat, &diag);
	if (status == CAMPO_ERR_CONFLICT) {
		error_body(res, 409, "conflict", &diag, NULL);
	} else if (status != CAMPO_OK) {
		error_body(res, 500, "store", &diag, NULL);
	} else {
		res->http = repeat ? 200 : 201;
		res->body = ack;
	}
out:
	if (revs) {
		for (i = 0; i < b->n_interviews; i++) {
			free((char *)(uintptr_t)revs[i].data_json);
			free((char *)(uintptr_t)revs[i].audit_json);
		}
		free(revs);
	}
	campo_buf_release(&data);
	campo_wire_batch_free(b);
}

enum campo_status hub_token_new(char token[65],
				uint8_t hash[CAMPO_HUB_TOKEN_HASH_LEN])
{
	uint8_t raw[32];
	enum campo_status status = campo_random_bytes(raw, sizeof(raw));
	size_t i;

	if (status != CAMPO_OK) {
		return status;
	}
	for (i = 0; i < 32; i++) {
		snprintf(token + 2 * i, 3, "%02x", raw[i]);
	}
	campo_sha256_sum(raw, sizeof(raw), hash);
	return CAMPO_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

bool hub_token_hash(const char *token, size_t len,
		    uint8_t hash[CAMPO_HUB_TOKEN_HASH_LEN])
{
	uint8_t raw[32];
	size_t i;

	if (len != 64) {
		return false;
	}
	for (i = 0; i < 32; i++) {
		int hi = hexval(token[2 * i]), lo = hexval(token[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			return false;
		}
		raw[i] = (uint8_t)(hi << 4 | lo);
	}
	campo_sha256_sum(raw, sizeof(raw), hash);
	return true;
}
