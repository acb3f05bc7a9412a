/* SPDX-License-Identifier: MIT */
/* The hub's messages to a device (campo-messages/1): read by campo-syncd. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/utf8.h"
#include "wire-internal.h"

/*
 * Implements docs/wire-format.md, "Messages to a device". Deviations from
 * plain JSON: "\u0000" in a string is refused (cJSON would cut the string
 * there); duplicate keys are refused.
 */

void campo_wire_messages_release(struct campo_wire_messages *m)
{
	size_t i;

	if (!m) {
		return;
	}
	for (i = 0; i < m->n; i++) {
		free(m->items[i].type);
		free(m->items[i].instance_id);
		free(m->items[i].note);
		free(m->items[i].at);
	}
	free(m->items);
	memset(m, 0, sizeof(*m));
}

/* Whether a string of the JSON text holds the escape "\u0000". */
static bool has_nul_escape(const char *p, size_t len)
{
	bool in_str = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!in_str) {
			in_str = p[i] == '"';
		} else if (p[i] == '\\') {
			if (i + 5 < len && !memcmp(p + i + 1, "u0000", 5)) {
				return true;
			}
			i++;
		} else if (p[i] == '"') {
			in_str = false;
		}
	}
	return false;
}

/*
 * Finds the members of object o named in keys (n of them) into seen;
 * with strict, a key not in keys is refused. Duplicates are refused.
 */
static enum campo_status members(const cJSON *o, const char *const *keys,
				 size_t n, const cJSON **seen, bool strict,
				 const char *where, struct campo_diag *diag)
{
	const cJSON *c;
	size_t i;

	cJSON_ArrayForEach(c, o)
	{
		for (i = 0; i < n && strcmp(c->string, keys[i]); i++) {
		}
		if (i == n && !strict) {
			continue;
		}
		if (i == n || seen[i]) {
			return campo_diag_set(
				diag, CAMPO_ERR_INVALID,
				"messages: %s: %s key '%.64s'", where,
				i == n ? "unknown" : "duplicate", c->string);
		}
		seen[i] = c;
	}
	for (i = 0; i < n; i++) {
		if (!seen[i]) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "messages: %s: missing '%s'",
					      where, keys[i]);
		}
	}
	return CAMPO_OK;
}

static char *dup(const char *s, enum campo_status *status)
{
	char *d = campo_strdup(s);

	if (!d) {
		*status = CAMPO_ERR_NOMEM;
	}
	return d;
}

/* Reads message e (the index-th) into m; after is the previous seq. */
static enum campo_status message(const cJSON *e, size_t index, int64_t after,
				 struct campo_wire_message *m,
				 struct campo_diag *diag)
{
	static const char *const keys[] = { "seq", "type", "instance_id",
					    "note", "at" };
	const cJSON *seen[5] = { 0 };
	enum campo_status status = CAMPO_OK;
	char where[32];
	double seq;
	size_t len;

	snprintf(where, sizeof(where), "messages[%zu]", index);
	if (!cJSON_IsObject(e)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: %s is not an object", where);
	}
	/* seq and type first, loosely: a type we do not know may carry
	 * other keys */
	status = members(e, keys, 2, seen, false, where, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	seq = cJSON_IsNumber(seen[0]) ? seen[0]->valuedouble : -1;
	if (!(seq >= 1 && seq <= 9007199254740991.0 && floor(seq) == seq)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: %s: seq is not a positive "
				      "integer",
				      where);
	}
	m->seq = (int64_t)seq;
	if (m->seq <= after) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: %s: seq %lld does not follow "
				      "%lld",
				      where, (long long)m->seq,
				      (long long)after);
	}
	if (!cJSON_IsString(seen[1]) || !seen[1]->valuestring[0] ||
	    strlen(seen[1]->valuestring) > 64) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: %s: bad type", where);
	}
	m->type = dup(seen[1]->valuestring, &status);
	if (status != CAMPO_OK) {
		return status;
	}
	if (strcmp(m->type, CAMPO_WIRE_MESSAGE_RETURN) != 0) {
		/* kept for later kinds: the caller skips it */
		return CAMPO_OK;
	}
	memset(seen, 0, sizeof(seen));
	status = members(e, keys, 5, seen, true, where, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (!cJSON_IsString(seen[2]) ||
	    !wire_instance_id_valid(seen[2]->valuestring)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: %s: bad instance_id", where);
	}
	if (!cJSON_IsString(seen[4]) ||
	    !wire_time_valid(seen[4]->valuestring)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: %s: bad time", where);
	}
	if (!cJSON_IsString(seen[3])) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: %s: note is not a string",
				      where);
	}
	len = strlen(seen[3]->valuestring);
	if (len > CAMPO_WIRE_NOTE_MAX) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "messages: %s: a note of %zu bytes "
				      "passes %u",
				      where, len, CAMPO_WIRE_NOTE_MAX);
	}
	if (campo_utf8_check(seen[3]->valuestring, len) != len) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: %s: note is not UTF-8", where);
	}
	m->instance_id = dup(seen[2]->valuestring, &status);
	if (status == CAMPO_OK) {
		m->note = dup(seen[3]->valuestring, &status);
	}
	if (status == CAMPO_OK) {
		m->at = dup(seen[4]->valuestring, &status);
	}
	return status;
}

enum campo_status campo_wire_messages_parse(const char *p, size_t len,
					    int64_t after,
					    struct campo_wire_messages *out,
					    struct campo_diag *diag)
{
	static const char *const keys[] = { "format", "messages" };
	const cJSON *seen[2] = { 0 }, *e;
	enum campo_status status;
	const char *end = NULL;
	size_t count, i = 0;
	cJSON *root;

	memset(out, 0, sizeof(*out));
	if (len > CAMPO_WIRE_MESSAGES_BYTES) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "messages: a reply of %zu bytes passes "
				      "%u",
				      len, CAMPO_WIRE_MESSAGES_BYTES);
	}
	if (has_nul_escape(p, len)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "messages: NUL character (\\u0000) in a "
				      "string");
	}
	root = cJSON_ParseWithLengthOpts(p, len, &end, false);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "messages: not a JSON object");
	}
	status = members(root, keys, 2, seen, true, "reply", diag);
	if (status != CAMPO_OK) {
		goto out_free;
	}
	if (!cJSON_IsString(seen[0]) ||
	    strcmp(seen[0]->valuestring, CAMPO_WIRE_MESSAGES_FORMAT)) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"messages: format is not %s",
					CAMPO_WIRE_MESSAGES_FORMAT);
		goto out_free;
	}
	if (!cJSON_IsArray(seen[1])) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"messages: 'messages' is not an array");
		goto out_free;
	}
	count = (size_t)cJSON_GetArraySize(seen[1]);
	if (count > CAMPO_WIRE_MESSAGES_MAX) {
		status = campo_diag_set(diag, CAMPO_ERR_LIMIT,
					"messages: %zu in one reply, more "
					"than %u",
					count, CAMPO_WIRE_MESSAGES_MAX);
		goto out_free;
	}
	if (count) {
		out->items = campo_calloc(count, sizeof(*out->items));
		if (!out->items) {
			status = CAMPO_ERR_NOMEM;
			goto out_free;
		}
	}
	cJSON_ArrayForEach(e, seen[1])
	{
		out->n = i + 1;
		status = message(e, i, after, &out->items[i], diag);
		if (status != CAMPO_OK) {
			goto out_free;
		}
		after = out->items[i].seq;
		i++;
	}
out_free:
	cJSON_Delete(root);
	if (status != CAMPO_OK) {
		if (status == CAMPO_ERR_NOMEM) {
			campo_diag_set(diag, status, "out of memory");
		}
		campo_wire_messages_release(out);
	}
	return status;
}
