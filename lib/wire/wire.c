/* SPDX-License-Identifier: MIT */
/* Batches in memory and as JSON: free, hashes, the canonical writer. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/content.h"
#include "util/alloc.h"
#include "util/sha256.h"
#include "util/uuid.h"
#include "wire-internal.h"

void campo_wire_limits_default(struct campo_wire_limits *lim)
{
	lim->compressed_max = CAMPO_WIRE_COMPRESSED_MAX;
	lim->inflated_max = CAMPO_WIRE_INFLATED_MAX;
	lim->ratio_max = CAMPO_WIRE_RATIO_MAX;
	lim->ratio_floor = CAMPO_WIRE_RATIO_FLOOR;
	lim->records_max = CAMPO_WIRE_RECORDS_MAX;
	lim->answers_max = CAMPO_WIRE_ANSWERS_MAX;
	lim->audit_max = CAMPO_WIRE_AUDIT_MAX;
	lim->string_max = CAMPO_WIRE_STRING_MAX;
	lim->depth_max = CAMPO_WIRE_DEPTH_MAX;
}

void wire_limits_fill(struct campo_wire_limits *out,
		      const struct campo_wire_limits *lim)
{
	struct campo_wire_limits d;

	campo_wire_limits_default(&d);
	if (!lim) {
		*out = d;
		return;
	}
	*out = *lim;
#define FILL(f)               \
	if (!out->f) {        \
		out->f = d.f; \
	}
	FILL(compressed_max)
	FILL(inflated_max)
	FILL(ratio_max)
	FILL(ratio_floor)
	FILL(records_max)
	FILL(answers_max)
	FILL(audit_max)
	FILL(string_max)
	FILL(depth_max)
#undef FILL
}

void campo_wire_interview_release(struct campo_wire_interview *iv)
{
	size_t i;

	if (!iv) {
		return;
	}
	free(iv->instance_id);
	free(iv->deprecated_id);
	free(iv->form_id);
	free(iv->form_version);
	free(iv->form_hash);
	free(iv->enumerator);
	free(iv->device_id);
	free(iv->status);
	free(iv->instance_name);
	free(iv->language);
	free(iv->started_at);
	free(iv->finalized_at);
	free(iv->content_hash);
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
		free(iv->audit[i].event);
		free(iv->audit[i].key);
		free(iv->audit[i].old_value);
		free(iv->audit[i].new_value);
		free(iv->audit[i].at);
	}
	free(iv->audit);
	memset(iv, 0, sizeof(*iv));
}

void campo_wire_batch_free(struct campo_wire_batch *b)
{
	size_t i;

	if (!b) {
		return;
	}
	for (i = 0; i < b->n_interviews; i++) {
		campo_wire_interview_release(&b->interviews[i]);
	}
	free(b->interviews);
	free(b->batch_id);
	free(b->device_id);
	free(b->created_at);
	free(b);
}

static const char *str(const char *s)
{
	return s ? s : "";
}

/* A length-prefixed field of the batch digest (the same framing as the
 * content hash of form/content.h). */
static void hash_field(struct campo_sha256 *c, const char *p)
{
	char len[32];
	size_t n = strlen(p);
	int m = snprintf(len, sizeof(len), "%zu:", n);

	campo_sha256_add(c, len, (size_t)m);
	campo_sha256_add(c, p, n);
	campo_sha256_add(c, "\n", 1);
}

static void hash_out(struct campo_sha256 *c, char out[CAMPO_WIRE_HASH_LEN + 1])
{
	char hex[CAMPO_SHA256_HEX_LEN + 1];

	campo_sha256_final_hex(c, hex);
	snprintf(out, CAMPO_WIRE_HASH_LEN + 1, "sha256:%s", hex);
}

void campo_wire_content_hash(const struct campo_wire_interview *iv,
			     char out[CAMPO_WIRE_HASH_LEN + 1])
{
	const struct campo_content_header header = {
		.instance_id = iv->instance_id,
		.deprecated_id = iv->deprecated_id,
		.revision = iv->revision,
		.form_id = iv->form_id,
		.form_version = iv->form_version,
		.form_hash = iv->form_hash,
		.enumerator = iv->enumerator,
		.device_id = iv->device_id,
	};
	struct campo_content_hash h;

	campo_content_hash_init(&h, &header);
	for (size_t i = 0; i < iv->n_answers; i++) {
		campo_content_hash_answer(&h, iv->answers[i].key,
					  iv->answers[i].value);
	}
	for (size_t i = 0; i < iv->n_repeats; i++) {
		campo_content_hash_repeat(&h, iv->repeats[i].key,
					  iv->repeats[i].count);
	}
	campo_content_hash_final(&h, out);
}

static int cmp_iv_ptr(const void *a, const void *b)
{
	const struct campo_wire_interview *x =
		*(const struct campo_wire_interview *const *)a;
	const struct campo_wire_interview *y =
		*(const struct campo_wire_interview *const *)b;

	return strcmp(str(x->instance_id), str(y->instance_id));
}

enum campo_status campo_wire_batch_digest(const struct campo_wire_batch *b,
					  char out[CAMPO_WIRE_HASH_LEN + 1])
{
	const struct campo_wire_interview **v = NULL;
	struct campo_sha256 c;
	size_t i;

	if (b->n_interviews) {
		v = calloc(b->n_interviews, sizeof(*v));
		if (!v) {
			return CAMPO_ERR_NOMEM;
		}
	}
	for (i = 0; i < b->n_interviews; i++) {
		v[i] = &b->interviews[i];
	}
	if (b->n_interviews) {
		qsort(v, b->n_interviews, sizeof(*v), cmp_iv_ptr);
	}
	campo_sha256_init(&c);
	hash_field(&c, "campo-batch-digest-1");
	hash_field(&c, str(b->batch_id));
	hash_field(&c, str(b->device_id));
	for (i = 0; i < b->n_interviews; i++) {
		hash_field(&c, str(v[i]->instance_id));
		hash_field(&c, str(v[i]->content_hash));
	}
	free(v);
	hash_out(&c, out);
	return CAMPO_OK;
}

/* ----- checks shared with the decoder ----- */

static bool digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
	}
	return true;
}

bool wire_time_valid(const char *s)
{
	/* YYYY-MM-DDTHH:MM:SS.mmmZ */
	return strlen(s) == CAMPO_WIRE_TIME_LEN && digits(s, 4) &&
	       s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
	       digits(s + 8, 2) && s[10] == 'T' && digits(s + 11, 2) &&
	       s[13] == ':' && digits(s + 14, 2) && s[16] == ':' &&
	       digits(s + 17, 2) && s[19] == '.' && digits(s + 20, 3) &&
	       s[23] == 'Z';
}

bool wire_hash_valid(const char *s)
{
	size_t i;

	if (strlen(s) != CAMPO_WIRE_HASH_LEN || strncmp(s, "sha256:", 7)) {
		return false;
	}
	for (i = 7; i < CAMPO_WIRE_HASH_LEN; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f'))) {
			return false;
		}
	}
	return true;
}

bool wire_instance_id_valid(const char *s)
{
	return strlen(s) == CAMPO_WIRE_ID_LEN && !strncmp(s, "uuid:", 5) &&
	       campo_uuid_valid(s + 5, CAMPO_UUID_LEN);
}

bool wire_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || !((name[0] >= 'A' && name[0] <= 'Z') ||
		      (name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) {
		return false;
	}
	for (i = 1; i < len; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-')) {
			return false;
		}
	}
	return true;
}

/* ----- writing JSON ----- */

enum campo_status wire_json_str(struct campo_buf *b, const char *s)
{
	return campo_buf_add_json_string(b, s, strlen(s));
}

enum campo_status wire_json_key(struct campo_buf *b, bool *first,
				const char *name)
{
	enum campo_status status = CAMPO_OK;

	if (!*first) {
		status = campo_buf_addc(b, ',');
	}
	*first = false;
	if (status == CAMPO_OK) {
		status = wire_json_str(b, name);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_addc(b, ':');
	}
	return status;
}

/*
 * The data tree is built with cJSON from the flat keys: each segment
 * "name" is a group (an object member), "name[i]" the i-th instance of a
 * repeat (an array member of objects); tree_sort() then orders members
 * by name, so the output is canonical.
 */
static enum campo_status seg_next(const char **p, char *name, size_t size,
				  uint32_t *index, bool *last)
{
	const char *s = *p, *end = strchr(s, '/'), *br;
	size_t n;

	if (!end) {
		end = s + strlen(s);
	}
	*last = *end == '\0';
	br = memchr(s, '[', (size_t)(end - s));
	n = (size_t)((br ? br : end) - s);
	if (n >= size || !wire_name_valid(s, n)) {
		return CAMPO_ERR_INVALID;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	*index = 0;
	if (br) {
		unsigned long v = 0;
		const char *q = br + 1;

		if (*q == '0' || end - q < 2 || end[-1] != ']') {
			return CAMPO_ERR_INVALID;
		}
		for (; q < end - 1; q++) {
			if (*q < '0' || *q > '9' || v > 99999999ul) {
				return CAMPO_ERR_INVALID;
			}
			v = v * 10 + (unsigned long)(*q - '0');
		}
		*index = (uint32_t)v;
	}
	*p = *last ? end : end + 1;
	return CAMPO_OK;
}

/* Returns the object reached by one non-final segment, creating it. */
static cJSON *descend(cJSON *obj, const char *name, uint32_t index)
{
	cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!index) {
		if (!m) {
			m = cJSON_AddObjectToObject(obj, name);
		}
		return cJSON_IsObject(m) ? m : NULL;
	}
	if (!m) {
		m = cJSON_AddArrayToObject(obj, name);
	}
	if (!cJSON_IsArray(m)) {
		return NULL;
	}
	while ((uint32_t)cJSON_GetArraySize(m) < index) {
		if (!cJSON_AddItemToArray(m, cJSON_CreateObject())) {
			return NULL;
		}
	}
	return cJSON_GetArrayItem(m, (int)index - 1);
}

static enum campo_status data_tree(const struct campo_wire_interview *iv,
				   cJSON **out, struct campo_diag *diag)
{
	cJSON *root = cJSON_CreateObject(), *cur, *m;
	char name[WIRE_KEY_MAX + 1];
	uint32_t index;
	bool last;
	size_t i;
	const char *p;

	if (!root) {
		return CAMPO_ERR_NOMEM;
	}
	for (i = 0; i < iv->n_repeats; i++) {
		cur = root;
		p = str(iv->repeats[i].key);
		do {
			if (seg_next(&p, name, sizeof(name), &index, &last) ||
			    (last && index)) {
				goto out_bad_repeat;
			}
			if (!last) {
				cur = descend(cur, name, index);
				if (!cur) {
					goto out_bad_repeat;
				}
			}
		} while (!last);
		m = cJSON_GetObjectItemCaseSensitive(cur, name);
		if (!m) {
			m = cJSON_AddArrayToObject(cur, name);
		}
		if (!cJSON_IsArray(m)) {
			goto out_bad_repeat;
		}
		while ((uint32_t)cJSON_GetArraySize(m) < iv->repeats[i].count) {
			if (!cJSON_AddItemToArray(m, cJSON_CreateObject())) {
				goto out_bad_repeat;
			}
		}
	}
	for (i = 0; i < iv->n_answers; i++) {
		cur = root;
		p = str(iv->answers[i].key);
		do {
			if (seg_next(&p, name, sizeof(name), &index, &last) ||
			    (last && index)) {
				goto out_bad_answer;
			}
			if (!last) {
				cur = descend(cur, name, index);
				if (!cur) {
					goto out_bad_answer;
				}
			}
		} while (!last);
		if (cJSON_GetObjectItemCaseSensitive(cur, name) ||
		    !cJSON_AddStringToObject(cur, name,
					     str(iv->answers[i].value))) {
			goto out_bad_answer;
		}
	}
	*out = root;
	return CAMPO_OK;

out_bad_repeat:
	cJSON_Delete(root);
	return campo_diag_set(diag, CAMPO_ERR_INVALID,
			      "interview '%s': bad repeat key '%s'",
			      str(iv->instance_id), str(iv->repeats[i].key));
out_bad_answer:
	cJSON_Delete(root);
	return campo_diag_set(diag, CAMPO_ERR_INVALID,
			      "interview '%s': bad answer key '%s'",
			      str(iv->instance_id), str(iv->answers[i].key));
}

static int cmp_member(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *)a)->string,
		      (*(cJSON *const *)b)->string);
}

/* Sorts every object's members by name (bytes), so the text is canonical
 * whatever order the answers and repeats were added in. */
static enum campo_status tree_sort(cJSON *node)
{
	cJSON **v, *c;
	size_t n = 0, i;

	cJSON_ArrayForEach(c, node)
	{
		if (c->child && tree_sort(c) != CAMPO_OK) {
			return CAMPO_ERR_NOMEM;
		}
		n++;
	}
	if (!cJSON_IsObject(node) || n < 2) {
		return CAMPO_OK;
	}
	v = campo_calloc(n, sizeof(*v));
	if (!v) {
		return CAMPO_ERR_NOMEM;
	}
	i = 0;
	cJSON_ArrayForEach(c, node)
	{
		v[i++] = c;
	}
	qsort(v, n, sizeof(*v), cmp_member);
	/* cJSON's list: next links forward, the head's prev is the tail */
	for (i = 0; i < n; i++) {
		v[i]->next = i + 1 < n ? v[i + 1] : NULL;
		v[i]->prev = i ? v[i - 1] : v[n - 1];
	}
	node->child = v[0];
	free(v);
	return CAMPO_OK;
}

static enum campo_status tree_write(struct campo_buf *b, const cJSON *node)
{
	enum campo_status status = CAMPO_OK;
	const cJSON *c;
	bool first = true;

	if (cJSON_IsString(node)) {
		return wire_json_str(b, node->valuestring);
	}
	if (cJSON_IsArray(node)) {
		status = campo_buf_addc(b, '[');
		cJSON_ArrayForEach(c, node)
		{
			if (status == CAMPO_OK && !first) {
				status = campo_buf_addc(b, ',');
			}
			first = false;
			if (status == CAMPO_OK) {
				status = tree_write(b, c);
			}
		}
		return status == CAMPO_OK ? campo_buf_addc(b, ']') : status;
	}
	status = campo_buf_addc(b, '{');
	cJSON_ArrayForEach(c, node)
	{
		if (status == CAMPO_OK) {
			status = wire_json_key(b, &first, c->string);
		}
		if (status == CAMPO_OK) {
			status = tree_write(b, c);
		}
	}
	return status == CAMPO_OK ? campo_buf_addc(b, '}') : status;
}

static enum campo_status check_sorted(const struct campo_wire_interview *iv,
				      struct campo_diag *diag)
{
	size_t i;

	for (i = 1; i < iv->n_answers; i++) {
		if (strcmp(str(iv->answers[i - 1].key),
			   str(iv->answers[i].key)) >= 0) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "interview '%s': answers not "
					      "sorted at '%s'",
					      str(iv->instance_id),
					      str(iv->answers[i].key));
		}
	}
	for (i = 1; i < iv->n_repeats; i++) {
		if (strcmp(str(iv->repeats[i - 1].key),
			   str(iv->repeats[i].key)) >= 0) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "interview '%s': repeats not "
					      "sorted at '%s'",
					      str(iv->instance_id),
					      str(iv->repeats[i].key));
		}
	}
	return CAMPO_OK;
}

enum campo_status campo_wire_data_json(const struct campo_wire_interview *iv,
				       struct campo_buf *out,
				       struct campo_diag *diag)
{
	enum campo_status status = check_sorted(iv, diag);
	cJSON *tree = NULL;

	if (status == CAMPO_OK) {
		status = data_tree(iv, &tree, diag);
	}
	if (status == CAMPO_OK && tree_sort(tree) != CAMPO_OK) {
		status = campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	if (status == CAMPO_OK) {
		status = tree_write(out, tree);
		if (status != CAMPO_OK) {
			campo_diag_set(diag, status, "cannot write data: %s",
				       campo_status_str(status));
		}
	}
	cJSON_Delete(tree);
	return status;
}

static enum campo_status kv(struct campo_buf *b, bool *first, const char *k,
			    const char *v)
{
	enum campo_status status = wire_json_key(b, first, k);

	if (status == CAMPO_OK) {
		status = v ? wire_json_str(b, v) : campo_buf_adds(b, "null");
	}
	return status;
}

static enum campo_status kn(struct campo_buf *b, bool *first, const char *k,
			    int64_t v)
{
	enum campo_status status = wire_json_key(b, first, k);

	if (status == CAMPO_OK) {
		status = campo_buf_printf(b, "%lld", (long long)v);
	}
	return status;
}

static enum campo_status audit_json(const struct campo_wire_audit *a,
				    struct campo_buf *b)
{
	enum campo_status status = campo_buf_addc(b, '{');
	bool first = true;

#define TRY(x)                    \
	if (status == CAMPO_OK) { \
		status = (x);     \
	}
	TRY(kv(b, &first, "event", str(a->event)))
	TRY(kv(b, &first, "key", a->key))
	TRY(kv(b, &first, "old_value", a->old_value))
	TRY(kv(b, &first, "new_value", a->new_value))
	TRY(kv(b, &first, "at", str(a->at)))
	TRY(kn(b, &first, "elapsed_ms", a->elapsed_ms))
	TRY(campo_buf_addc(b, '}'))
	return status;
}

static enum campo_status interview_json(const struct campo_wire_interview *iv,
					struct campo_buf *b,
					struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	bool first = true;
	size_t i;

	if (!wire_instance_id_valid(str(iv->instance_id)) ||
	    (iv->deprecated_id && iv->deprecated_id[0] &&
	     !wire_instance_id_valid(iv->deprecated_id)) ||
	    !wire_hash_valid(str(iv->content_hash))) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "interview '%s': bad instance id, "
				      "deprecated id or content hash",
				      str(iv->instance_id));
	}
	TRY(campo_buf_addc(b, '{'))
	TRY(kv(b, &first, "instance_id", str(iv->instance_id)))
	TRY(kv(b, &first, "deprecated_id", str(iv->deprecated_id)))
	TRY(kn(b, &first, "revision", iv->revision))
	TRY(kv(b, &first, "form_id", str(iv->form_id)))
	TRY(kv(b, &first, "form_version", str(iv->form_version)))
	TRY(kv(b, &first, "form_hash", str(iv->form_hash)))
	TRY(kv(b, &first, "status", str(iv->status)))
	TRY(kv(b, &first, "enumerator", str(iv->enumerator)))
	TRY(kv(b, &first, "device_id", str(iv->device_id)))
	TRY(kv(b, &first, "instance_name", str(iv->instance_name)))
	TRY(kv(b, &first, "language", str(iv->language)))
	TRY(kv(b, &first, "started_at", str(iv->started_at)))
	TRY(kv(b, &first, "finalized_at", str(iv->finalized_at)))
	TRY(kn(b, &first, "finalized_ms", iv->finalized_ms))
	TRY(kv(b, &first, "content_hash", str(iv->content_hash)))
	TRY(wire_json_key(b, &first, "data"))
	if (status != CAMPO_OK) {
		return status;
	}
	status = campo_wire_data_json(iv, b, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	TRY(wire_json_key(b, &first, "audit"))
	TRY(campo_buf_addc(b, '['))
	for (i = 0; status == CAMPO_OK && i < iv->n_audit; i++) {
		if (i) {
			status = campo_buf_addc(b, ',');
		}
		TRY(audit_json(&iv->audit[i], b))
	}
	TRY(campo_buf_adds(b, "]}"))
	return status;
}

enum campo_status campo_wire_batch_json(const struct campo_wire_batch *b,
					struct campo_buf *out,
					struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	bool first = true;
	size_t i;

	if (!b->batch_id ||
	    !campo_uuid_valid(b->batch_id, strlen(b->batch_id)) ||
	    !b->device_id ||
	    !campo_uuid_valid(b->device_id, strlen(b->device_id))) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "batch id and device id must be UUIDs");
	}
	if (!b->created_at || !wire_time_valid(b->created_at)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "batch creation time '%s' is not "
				      "YYYY-MM-DDTHH:MM:SS.mmmZ",
				      str(b->created_at));
	}
	TRY(campo_buf_addc(out, '{'))
	TRY(kv(out, &first, "format", CAMPO_WIRE_FORMAT))
	TRY(kv(out, &first, "batch_id", b->batch_id))
	TRY(kv(out, &first, "device_id", b->device_id))
	TRY(kv(out, &first, "created_at", b->created_at))
	TRY(wire_json_key(out, &first, "interviews"))
	TRY(campo_buf_addc(out, '['))
	for (i = 0; status == CAMPO_OK && i < b->n_interviews; i++) {
		if (i) {
			status = campo_buf_addc(out, ',');
		}
		if (status == CAMPO_OK) {
			status = interview_json(&b->interviews[i], out, diag);
			if (status != CAMPO_OK) {
				return status;
			}
		}
	}
	TRY(campo_buf_adds(out, "]}"))
#undef TRY
	if (status != CAMPO_OK) {
		campo_diag_set(diag, status, "cannot write batch: %s",
			       campo_status_str(status));
	}
	return status;
}

enum campo_status campo_wire_batch_encode(const struct campo_wire_batch *b,
					  int level, struct campo_buf *out,
					  struct campo_diag *diag)
{
	struct campo_buf json;
	enum campo_status status;

	campo_buf_reset(out);
	campo_buf_init(&json, CAMPO_WIRE_INFLATED_MAX);
	status = campo_wire_batch_json(b, &json, diag);
	if (status == CAMPO_OK) {
		status = campo_wire_gzip(json.data, json.len, level, out, diag);
	}
	campo_buf_release(&json);
	return status;
}
