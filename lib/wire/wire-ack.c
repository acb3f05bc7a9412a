/* SPDX-License-Identifier: MIT */
/* The hub's acknowledgement of a batch: written by the hub, read by syncd. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/utf8.h"
#include "util/uuid.h"
#include "wire-internal.h"

#define ACK_MAX (64u << 10) /* bytes of an acknowledgement we read */

static void ids_free(char **ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ids[i]);
	}
	free(ids);
}

void campo_wire_ack_release(struct campo_wire_ack *ack)
{
	if (!ack) {
		return;
	}
	free(ack->batch_id);
	free(ack->received_at);
	ids_free(ack->new_ids, ack->n_new);
	ids_free(ack->duplicate_ids, ack->n_duplicate);
	ids_free(ack->conflict_ids, ack->n_conflict);
	memset(ack, 0, sizeof(*ack));
}

static enum campo_status ids_json(struct campo_buf *b, bool *first,
				  const char *name, char *const *ids, size_t n)
{
	enum campo_status status = wire_json_key(b, first, name);
	size_t i;

	if (status == CAMPO_OK) {
		status = campo_buf_addc(b, '[');
	}
	for (i = 0; status == CAMPO_OK && i < n; i++) {
		if (i) {
			status = campo_buf_addc(b, ',');
		}
		if (status == CAMPO_OK) {
			status = wire_json_str(b, ids[i]);
		}
	}
	if (status == CAMPO_OK) {
		status = campo_buf_addc(b, ']');
	}
	return status;
}

enum campo_status campo_wire_ack_json(const struct campo_wire_ack *ack,
				      struct campo_buf *out)
{
	enum campo_status status = campo_buf_addc(out, '{');
	bool first = true;

#define TRY(x)                    \
	if (status == CAMPO_OK) { \
		status = (x);     \
	}
	TRY(wire_json_key(out, &first, "format"))
	TRY(wire_json_str(out, CAMPO_WIRE_ACK_FORMAT))
	TRY(wire_json_key(out, &first, "batch_id"))
	TRY(wire_json_str(out, ack->batch_id ? ack->batch_id : ""))
	TRY(wire_json_key(out, &first, "received_at"))
	TRY(wire_json_str(out, ack->received_at ? ack->received_at : ""))
	TRY(ids_json(out, &first, "new", ack->new_ids, ack->n_new))
	TRY(ids_json(out, &first, "duplicate", ack->duplicate_ids,
		     ack->n_duplicate))
	TRY(ids_json(out, &first, "conflict", ack->conflict_ids,
		     ack->n_conflict))
	TRY(wire_json_key(out, &first, "messages"))
	TRY(campo_buf_adds(out, "[]}"))
#undef TRY
	return status;
}

static enum campo_status ids_get(const cJSON *v, const char *name, char ***ids,
				 size_t *n, struct campo_diag *diag)
{
	const cJSON *e;
	size_t count;

	if (!cJSON_IsArray(v)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "acknowledgement: '%s' must be an array",
				      name);
	}
	count = (size_t)cJSON_GetArraySize(v);
	if (count > CAMPO_WIRE_RECORDS_MAX) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "acknowledgement: %zu ids in '%s'", count,
				      name);
	}
	if (!count) {
		return CAMPO_OK;
	}
	*ids = campo_calloc(count, sizeof(**ids));
	if (!*ids) {
		return CAMPO_ERR_NOMEM;
	}
	cJSON_ArrayForEach(e, v)
	{
		if (!cJSON_IsString(e) ||
		    !wire_instance_id_valid(e->valuestring)) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "acknowledgement: '%s' holds "
					      "something not an instance id",
					      name);
		}
		(*ids)[*n] = campo_strdup(e->valuestring);
		if (!(*ids)[*n]) {
			return CAMPO_ERR_NOMEM;
		}
		(*n)++;
	}
	return CAMPO_OK;
}

enum campo_status campo_wire_ack_parse(const char *p, size_t len,
				       struct campo_wire_ack *ack,
				       struct campo_diag *diag)
{
	static const char *const keys[] = { "format",	   "batch_id",
					    "received_at", "new",
					    "duplicate",   "conflict",
					    "messages" };
	const cJSON *seen[7] = { 0 }, *c;
	enum campo_status status = CAMPO_OK;
	const char *end = NULL;
	cJSON *root;
	size_t i;

	memset(ack, 0, sizeof(*ack));
	if (len > ACK_MAX) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "acknowledgement of %zu bytes passes "
				      "%u",
				      len, ACK_MAX);
	}
	root = cJSON_ParseWithLengthOpts(p, len, &end, false);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "acknowledgement is not a JSON object");
	}
	cJSON_ArrayForEach(c, root)
	{
		for (i = 0; i < 7 && strcmp(c->string, keys[i]); i++) {
		}
		if (i == 7 || seen[i]) {
			status = campo_diag_set(
				diag, CAMPO_ERR_INVALID,
				"acknowledgement: %s key '%.64s'",
				i == 7 ? "unknown" : "duplicate", c->string);
			goto out_free;
		}
		seen[i] = c;
	}
	for (i = 0; i < 7; i++) {
		if (!seen[i]) {
			status = campo_diag_set(diag, CAMPO_ERR_INVALID,
						"acknowledgement: missing '%s'",
						keys[i]);
			goto out_free;
		}
	}
	if (!cJSON_IsString(seen[0]) ||
	    strcmp(seen[0]->valuestring, CAMPO_WIRE_ACK_FORMAT)) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"acknowledgement: format is not %s",
					CAMPO_WIRE_ACK_FORMAT);
		goto out_free;
	}
	if (!cJSON_IsString(seen[1]) ||
	    !campo_uuid_valid(seen[1]->valuestring,
			      strlen(seen[1]->valuestring)) ||
	    !cJSON_IsString(seen[2]) ||
	    !wire_time_valid(seen[2]->valuestring)) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"acknowledgement: bad batch id or "
					"received time");
		goto out_free;
	}
	ack->batch_id = campo_strdup(seen[1]->valuestring);
	ack->received_at = campo_strdup(seen[2]->valuestring);
	if (!ack->batch_id || !ack->received_at) {
		status = CAMPO_ERR_NOMEM;
		goto out_free;
	}
	status = ids_get(seen[3], "new", &ack->new_ids, &ack->n_new, diag);
	if (status == CAMPO_OK) {
		status = ids_get(seen[4], "duplicate", &ack->duplicate_ids,
				 &ack->n_duplicate, diag);
	}
	if (status == CAMPO_OK) {
		status = ids_get(seen[5], "conflict", &ack->conflict_ids,
				 &ack->n_conflict, diag);
	}
	if (status == CAMPO_OK && !cJSON_IsArray(seen[6])) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"acknowledgement: 'messages' must be "
					"an array");
	}
	if (status == CAMPO_OK) {
		cJSON_ArrayForEach(c, seen[6])
		{
			if (!cJSON_IsObject(c)) {
				status = campo_diag_set(
					diag, CAMPO_ERR_INVALID,
					"acknowledgement: a message is not an "
					"object");
				break;
			}
			ack->n_messages++;
		}
	}
out_free:
	cJSON_Delete(root);
	if (status != CAMPO_OK) {
		if (status == CAMPO_ERR_NOMEM) {
			campo_diag_set(diag, status, "out of memory");
		}
		campo_wire_ack_release(ack);
	}
	return status;
}
