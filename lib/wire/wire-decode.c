/* SPDX-License-Identifier: MIT */
/* Decoding a batch: gunzip within caps, a bounded scan, strict schema. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/utf8.h"
#include "util/uuid.h"
#include "wire-internal.h"

#define TEXT_MAX 256 /* form id, version, names: as lib/store */

/*
 * Checks the JSON text's nesting depth and string lengths (as written,
 * escapes counted as their bytes) before the parser allocates anything,
 * and refuses "\u0000", which cJSON would cut a string at. Anything else
 * malformed is left to the parser.
 */
static enum campo_status scan(const char *p, size_t len,
			      const struct campo_wire_limits *l,
			      struct campo_diag *diag)
{
	size_t i, depth = 0, start = 0;
	bool in_str = false;

	for (i = 0; i < len; i++) {
		char c = p[i];

		if (in_str) {
			if (c == '\\') {
				if (i + 5 < len &&
				    !memcmp(p + i + 1, "u0000", 5)) {
					return campo_diag_set(
						diag, CAMPO_ERR_INVALID,
						"NUL character (\\u0000) in a "
						"string at byte %zu",
						i);
				}
				i++;
			} else if (c == '"') {
				in_str = false;
			}
			if (i - start > l->string_max) {
				return campo_diag_set(
					diag, CAMPO_ERR_LIMIT,
					"string at byte %zu passes the cap of "
					"%zu bytes",
					start, l->string_max);
			}
			continue;
		}
		if (c == '"') {
			in_str = true;
			start = i + 1;
		} else if (c == '{' || c == '[') {
			if (++depth > l->depth_max) {
				return campo_diag_set(
					diag, CAMPO_ERR_LIMIT,
					"nesting at byte %zu passes the cap "
					"of %zu levels",
					i, l->depth_max);
			}
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return CAMPO_OK;
}

struct dec {
	const struct campo_wire_limits *l;
	struct campo_diag *diag;
	char where[CAMPO_DIAG_PATH]; /* "interviews[3]" or "" */
};

/* Sets diag's path to where.path and its message; returns status. */
__attribute__((format(printf, 4, 5))) static enum campo_status
fail(struct dec *d, enum campo_status status, const char *path, const char *fmt,
     ...)
{
	char msg[CAMPO_DIAG_MSG];
	va_list ap;

	if (d->diag) {
		if (d->where[0] && path[0]) {
			campo_diag_set_path(d->diag, "%s.%s", d->where, path);
		} else {
			campo_diag_set_path(d->diag, "%s",
					    d->where[0] ? d->where : path);
		}
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return campo_diag_set(d->diag, status, "%s", msg);
}

/* A copy of a JSON string value, checked: UTF-8 without NUL, within the
 * string cap. */
static enum campo_status get_str(struct dec *d, const cJSON *v,
				 const char *name, char **out)
{
	size_t n;

	if (!cJSON_IsString(v) || !v->valuestring) {
		return fail(d, CAMPO_ERR_INVALID, name, "'%s' must be a string",
			    name);
	}
	n = strlen(v->valuestring);
	if (n > d->l->string_max) {
		return fail(d, CAMPO_ERR_LIMIT, name,
			    "'%s' passes the cap of %zu bytes", name,
			    d->l->string_max);
	}
	if (!campo_utf8_valid(v->valuestring, n)) {
		return fail(d, CAMPO_ERR_INVALID, name,
			    "'%s' is not valid UTF-8", name);
	}
	*out = campo_strndup(v->valuestring, n);
	return *out ? CAMPO_OK : CAMPO_ERR_NOMEM;
}

/* A string or null (*out NULL). */
static enum campo_status get_str_null(struct dec *d, const cJSON *v,
				      const char *name, char **out)
{
	if (cJSON_IsNull(v)) {
		*out = NULL;
		return CAMPO_OK;
	}
	return get_str(d, v, name, out);
}

/* An integer from min to max, written without a fraction or exponent
 * beyond what a double holds exactly. */
static enum campo_status get_int(struct dec *d, const cJSON *v,
				 const char *name, int64_t min, int64_t max,
				 int64_t *out)
{
	double x;

	if (!cJSON_IsNumber(v)) {
		return fail(d, CAMPO_ERR_INVALID, name, "'%s' must be a number",
			    name);
	}
	x = v->valuedouble;
	if (!(x >= (double)min && x <= (double)max) || floor(x) != x) {
		return fail(d, CAMPO_ERR_INVALID, name,
			    "'%s' must be an integer from %lld to %lld", name,
			    (long long)min, (long long)max);
	}
	*out = (int64_t)x;
	return CAMPO_OK;
}

/*
 * The fields of an object, checked against a table: every key known,
 * none twice, each present. seen[] gets the member for each table row.
 */
static enum campo_status members(struct dec *d, const cJSON *obj,
				 const char *const *names, size_t n,
				 const cJSON **seen, const char *what)
{
	const cJSON *c;
	size_t i;

	if (!cJSON_IsObject(obj)) {
		return fail(d, CAMPO_ERR_INVALID, "", "%s must be an object",
			    what);
	}
	memset(seen, 0, n * sizeof(*seen));
	cJSON_ArrayForEach(c, obj)
	{
		for (i = 0; i < n; i++) {
			if (!strcmp(c->string, names[i])) {
				break;
			}
		}
		if (i == n) {
			return fail(d, CAMPO_ERR_INVALID, c->string,
				    "unknown key '%s' in %s", c->string, what);
		}
		if (seen[i]) {
			return fail(d, CAMPO_ERR_INVALID, c->string,
				    "duplicate key '%s' in %s", c->string,
				    what);
		}
		seen[i] = c;
	}
	for (i = 0; i < n; i++) {
		if (!seen[i]) {
			return fail(d, CAMPO_ERR_INVALID, names[i],
				    "missing key '%s' in %s", names[i], what);
		}
	}
	return CAMPO_OK;
}

/* ----- data: the interchange nesting back to flat keys ----- */

struct flat {
	struct campo_wire_interview *iv;
	size_t cap_answers, cap_repeats;
	char **groups; /* group paths, to find a group given twice */
	size_t n_groups, cap_groups;
};

static enum campo_status count_one(struct dec *d, struct flat *f)
{
	if (f->iv->n_answers + f->iv->n_repeats + f->n_groups >=
	    d->l->answers_max) {
		return fail(d, CAMPO_ERR_LIMIT, "data",
			    "more than %zu answers, groups and repeats",
			    d->l->answers_max);
	}
	return CAMPO_OK;
}

static enum campo_status walk(struct dec *d, struct flat *f, const cJSON *obj,
			      char *key, size_t len)
{
	enum campo_status status = CAMPO_OK;
	const cJSON *c, *e;
	size_t n, i;
	int w;

	cJSON_ArrayForEach(c, obj)
	{
		n = strlen(c->string);
		if (!wire_name_valid(c->string, n)) {
			return fail(d, CAMPO_ERR_INVALID, "data",
				    "bad name '%.64s' under '%s'", c->string,
				    len ? key : "data");
		}
		if (len + n + 16 > WIRE_KEY_MAX) {
			return fail(d, CAMPO_ERR_LIMIT, "data",
				    "answer key under '%s' passes %d bytes",
				    key, WIRE_KEY_MAX);
		}
		memcpy(key + len, c->string, n + 1);
		status = count_one(d, f);
		if (status != CAMPO_OK) {
			return status;
		}
		if (cJSON_IsString(c)) {
			struct campo_wire_answer *a;

			if (campo_grow((void **)&f->iv->answers,
				       &f->cap_answers, f->iv->n_answers + 1,
				       sizeof(*a))) {
				return CAMPO_ERR_NOMEM;
			}
			a = &f->iv->answers[f->iv->n_answers];
			a->key = campo_strndup(key, len + n);
			if (!a->key) {
				return CAMPO_ERR_NOMEM;
			}
			status = get_str(d, c, "data", &a->value);
			if (status != CAMPO_OK) {
				free(a->key);
				return status;
			}
			f->iv->n_answers++;
		} else if (cJSON_IsObject(c)) {
			if (campo_grow((void **)&f->groups, &f->cap_groups,
				       f->n_groups + 1, sizeof(char *))) {
				return CAMPO_ERR_NOMEM;
			}
			f->groups[f->n_groups] = campo_strndup(key, len + n);
			if (!f->groups[f->n_groups]) {
				return CAMPO_ERR_NOMEM;
			}
			f->n_groups++;
			key[len + n] = '/';
			key[len + n + 1] = '\0';
			status = walk(d, f, c, key, len + n + 1);
		} else if (cJSON_IsArray(c)) {
			struct campo_wire_repeat *r;

			if (campo_grow((void **)&f->iv->repeats,
				       &f->cap_repeats, f->iv->n_repeats + 1,
				       sizeof(*r))) {
				return CAMPO_ERR_NOMEM;
			}
			r = &f->iv->repeats[f->iv->n_repeats];
			r->key = campo_strndup(key, len + n);
			if (!r->key) {
				return CAMPO_ERR_NOMEM;
			}
			r->count = (uint32_t)cJSON_GetArraySize(c);
			f->iv->n_repeats++;
			i = 0;
			cJSON_ArrayForEach(e, c)
			{
				i++;
				if (!cJSON_IsObject(e)) {
					key[len + n] = '\0';
					return fail(d, CAMPO_ERR_INVALID,
						    "data",
						    "instance %zu of repeat "
						    "'%s' is not an object",
						    i, key);
				}
				w = snprintf(key + len + n,
					     WIRE_KEY_MAX + 1 - len - n,
					     "[%zu]/", i);
				if (w < 0 ||
				    (size_t)w >= WIRE_KEY_MAX + 1 - len - n) {
					return fail(d, CAMPO_ERR_LIMIT, "data",
						    "answer key passes %d "
						    "bytes",
						    WIRE_KEY_MAX);
				}
				status =
					walk(d, f, e, key, len + n + (size_t)w);
				if (status != CAMPO_OK) {
					return status;
				}
			}
		} else {
			return fail(d, CAMPO_ERR_INVALID, "data",
				    "'%s' must be a string, an object or an "
				    "array",
				    key);
		}
		if (status != CAMPO_OK) {
			return status;
		}
		key[len] = '\0';
	}
	return CAMPO_OK;
}

static int cmp_answer(const void *a, const void *b)
{
	return strcmp(((const struct campo_wire_answer *)a)->key,
		      ((const struct campo_wire_answer *)b)->key);
}

static int cmp_repeat(const void *a, const void *b)
{
	return strcmp(((const struct campo_wire_repeat *)a)->key,
		      ((const struct campo_wire_repeat *)b)->key);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A name given twice in one object (the parser keeps both) or used for
 * an answer and a group at once shows as one path twice. */
static enum campo_status unique_paths(struct dec *d, struct flat *f)
{
	struct campo_wire_interview *iv = f->iv;
	size_t i, n = iv->n_answers + iv->n_repeats + f->n_groups, k = 0;
	enum campo_status status = CAMPO_OK;
	const char **all;

	if (iv->n_answers) {
		qsort(iv->answers, iv->n_answers, sizeof(*iv->answers),
		      cmp_answer);
	}
	if (iv->n_repeats) {
		qsort(iv->repeats, iv->n_repeats, sizeof(*iv->repeats),
		      cmp_repeat);
	}
	if (!n) {
		return CAMPO_OK;
	}
	all = campo_calloc(n, sizeof(*all));
	if (!all) {
		return CAMPO_ERR_NOMEM;
	}
	for (i = 0; i < iv->n_answers; i++) {
		all[k++] = iv->answers[i].key;
	}
	for (i = 0; i < iv->n_repeats; i++) {
		all[k++] = iv->repeats[i].key;
	}
	for (i = 0; i < f->n_groups; i++) {
		all[k++] = f->groups[i];
	}
	qsort(all, n, sizeof(*all), cmp_str);
	for (i = 1; i < n; i++) {
		if (!strcmp(all[i - 1], all[i])) {
			status = fail(d, CAMPO_ERR_INVALID, "data",
				      "'%s' given twice", all[i]);
			break;
		}
	}
	free(all);
	return status;
}

static enum campo_status get_data(struct dec *d, const cJSON *v,
				  struct campo_wire_interview *iv)
{
	char key[WIRE_KEY_MAX + 1] = "";
	struct flat f = { .iv = iv };
	enum campo_status status;
	size_t i;

	if (!cJSON_IsObject(v)) {
		return fail(d, CAMPO_ERR_INVALID, "data",
			    "'data' must be an object");
	}
	status = walk(d, &f, v, key, 0);
	if (status == CAMPO_OK) {
		status = unique_paths(d, &f);
	}
	for (i = 0; i < f.n_groups; i++) {
		free(f.groups[i]);
	}
	free(f.groups);
	return status;
}

/* ----- the audit trail ----- */

static const char *const audit_keys[] = { "event",     "key", "old_value",
					  "new_value", "at",  "elapsed_ms" };

static bool event_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > 32) {
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_')) {
			return false;
		}
	}
	return true;
}

static enum campo_status get_audit(struct dec *d, const cJSON *v,
				   struct campo_wire_interview *iv)
{
	const cJSON *seen[6], *e;
	enum campo_status status;
	size_t n;

	if (!cJSON_IsArray(v)) {
		return fail(d, CAMPO_ERR_INVALID, "audit",
			    "'audit' must be an array");
	}
	n = (size_t)cJSON_GetArraySize(v);
	if (n > d->l->audit_max) {
		return fail(d, CAMPO_ERR_LIMIT, "audit",
			    "%zu audit rows pass the cap of %zu", n,
			    d->l->audit_max);
	}
	if (!n) {
		return CAMPO_OK;
	}
	iv->audit = campo_calloc(n, sizeof(*iv->audit));
	if (!iv->audit) {
		return CAMPO_ERR_NOMEM;
	}
	cJSON_ArrayForEach(e, v)
	{
		struct campo_wire_audit *a = &iv->audit[iv->n_audit++];
		int64_t ms;

		status = members(d, e, audit_keys, 6, seen, "an audit row");
		if (status == CAMPO_OK) {
			status = get_str(d, seen[0], "audit.event", &a->event);
		}
		if (status == CAMPO_OK) {
			status = get_str_null(d, seen[1], "audit.key", &a->key);
		}
		if (status == CAMPO_OK) {
			status = get_str_null(d, seen[2], "audit.old_value",
					      &a->old_value);
		}
		if (status == CAMPO_OK) {
			status = get_str_null(d, seen[3], "audit.new_value",
					      &a->new_value);
		}
		if (status == CAMPO_OK) {
			status = get_str(d, seen[4], "audit.at", &a->at);
		}
		if (status == CAMPO_OK) {
			status = get_int(d, seen[5], "audit.elapsed_ms", -1,
					 INT64_C(1) << 53, &ms);
			a->elapsed_ms = ms;
		}
		if (status != CAMPO_OK) {
			return status;
		}
		if (!event_valid(a->event)) {
			return fail(d, CAMPO_ERR_INVALID, "audit.event",
				    "bad audit event '%.32s'", a->event);
		}
		if (!wire_time_valid(a->at)) {
			return fail(d, CAMPO_ERR_INVALID, "audit.at",
				    "audit time '%.32s' is not "
				    "YYYY-MM-DDTHH:MM:SS.mmmZ",
				    a->at);
		}
	}
	return CAMPO_OK;
}

/* ----- an interview ----- */

enum iv_key {
	K_INSTANCE_ID,
	K_DEPRECATED_ID,
	K_REVISION,
	K_FORM_ID,
	K_FORM_VERSION,
	K_FORM_HASH,
	K_STATUS,
	K_ENUMERATOR,
	K_DEVICE_ID,
	K_INSTANCE_NAME,
	K_LANGUAGE,
	K_STARTED_AT,
	K_FINALIZED_AT,
	K_FINALIZED_MS,
	K_CONTENT_HASH,
	K_DATA,
	K_AUDIT,
	K_N
};

static const char *const iv_keys[K_N] = {
	[K_INSTANCE_ID] = "instance_id",
	[K_DEPRECATED_ID] = "deprecated_id",
	[K_REVISION] = "revision",
	[K_FORM_ID] = "form_id",
	[K_FORM_VERSION] = "form_version",
	[K_FORM_HASH] = "form_hash",
	[K_STATUS] = "status",
	[K_ENUMERATOR] = "enumerator",
	[K_DEVICE_ID] = "device_id",
	[K_INSTANCE_NAME] = "instance_name",
	[K_LANGUAGE] = "language",
	[K_STARTED_AT] = "started_at",
	[K_FINALIZED_AT] = "finalized_at",
	[K_FINALIZED_MS] = "finalized_ms",
	[K_CONTENT_HASH] = "content_hash",
	[K_DATA] = "data",
	[K_AUDIT] = "audit",
};

/* The string members, in the struct, by key. */
static char **iv_str(struct campo_wire_interview *iv, enum iv_key k)
{
	switch (k) {
	case K_INSTANCE_ID:
		return &iv->instance_id;
	case K_DEPRECATED_ID:
		return &iv->deprecated_id;
	case K_FORM_ID:
		return &iv->form_id;
	case K_FORM_VERSION:
		return &iv->form_version;
	case K_FORM_HASH:
		return &iv->form_hash;
	case K_STATUS:
		return &iv->status;
	case K_ENUMERATOR:
		return &iv->enumerator;
	case K_DEVICE_ID:
		return &iv->device_id;
	case K_INSTANCE_NAME:
		return &iv->instance_name;
	case K_LANGUAGE:
		return &iv->language;
	case K_STARTED_AT:
		return &iv->started_at;
	case K_FINALIZED_AT:
		return &iv->finalized_at;
	case K_CONTENT_HASH:
		return &iv->content_hash;
	default:
		return NULL;
	}
}

static enum campo_status check_iv(struct dec *d,
				  const struct campo_wire_interview *iv)
{
	char hash[CAMPO_WIRE_HASH_LEN + 1];

	if (!wire_instance_id_valid(iv->instance_id)) {
		return fail(d, CAMPO_ERR_INVALID, "instance_id",
			    "instance id '%.64s' is not uuid: + a UUID",
			    iv->instance_id);
	}
	if (iv->deprecated_id[0] &&
	    !wire_instance_id_valid(iv->deprecated_id)) {
		return fail(d, CAMPO_ERR_INVALID, "deprecated_id",
			    "deprecated id '%.64s' is not uuid: + a UUID",
			    iv->deprecated_id);
	}
	if (!iv->deprecated_id[0] != (iv->revision == 1)) {
		return fail(d, CAMPO_ERR_INVALID, "revision",
			    "revision %u does not fit deprecated id '%.64s'",
			    (unsigned)iv->revision, iv->deprecated_id);
	}
	if (!iv->form_id[0] || strlen(iv->form_id) > TEXT_MAX ||
	    strlen(iv->form_version) > TEXT_MAX ||
	    strlen(iv->form_hash) > TEXT_MAX ||
	    strlen(iv->enumerator) > TEXT_MAX ||
	    strlen(iv->language) > TEXT_MAX) {
		return fail(d, CAMPO_ERR_INVALID, "form_id",
			    "form id empty, or a form, enumerator or language "
			    "field longer than %d bytes",
			    TEXT_MAX);
	}
	if (strcmp(iv->status, "finalized") && strcmp(iv->status, "sent") &&
	    strcmp(iv->status, "returned")) {
		return fail(d, CAMPO_ERR_INVALID, "status",
			    "status '%.32s' is not finalized, sent or returned",
			    iv->status);
	}
	if (!campo_uuid_valid(iv->device_id, strlen(iv->device_id))) {
		return fail(d, CAMPO_ERR_INVALID, "device_id",
			    "device id '%.64s' is not a UUID", iv->device_id);
	}
	if (!wire_time_valid(iv->started_at)) {
		return fail(d, CAMPO_ERR_INVALID, "started_at",
			    "'%.32s' is not YYYY-MM-DDTHH:MM:SS.mmmZ",
			    iv->started_at);
	}
	if (!wire_time_valid(iv->finalized_at)) {
		return fail(d, CAMPO_ERR_INVALID, "finalized_at",
			    "'%.32s' is not YYYY-MM-DDTHH:MM:SS.mmmZ",
			    iv->finalized_at);
	}
	if (!wire_hash_valid(iv->content_hash)) {
		return fail(d, CAMPO_ERR_INVALID, "content_hash",
			    "'%.80s' is not sha256: + 64 lowercase hex digits",
			    iv->content_hash);
	}
	campo_wire_content_hash(iv, hash);
	if (strcmp(hash, iv->content_hash)) {
		return fail(d, CAMPO_ERR_INVALID, "content_hash",
			    "content hash does not match the interview (%s "
			    "computed)",
			    hash);
	}
	return CAMPO_OK;
}

static enum campo_status get_iv(struct dec *d, const cJSON *v,
				struct campo_wire_interview *iv)
{
	const cJSON *seen[K_N];
	enum campo_status status;
	int64_t n;
	size_t k;

	status = members(d, v, iv_keys, K_N, seen, "an interview");
	for (k = 0; status == CAMPO_OK && k < K_N; k++) {
		char **s = iv_str(iv, (enum iv_key)k);

		if (s) {
			status = get_str(d, seen[k], iv_keys[k], s);
		}
	}
	if (status == CAMPO_OK) {
		status = get_int(d, seen[K_REVISION], "revision", 1, UINT32_MAX,
				 &n);
		iv->revision = (uint32_t)n;
	}
	if (status == CAMPO_OK) {
		status = get_int(d, seen[K_FINALIZED_MS], "finalized_ms", -1,
				 INT64_C(1) << 53, &n);
		iv->finalized_ms = n;
	}
	if (status == CAMPO_OK) {
		status = get_data(d, seen[K_DATA], iv);
	}
	if (status == CAMPO_OK) {
		status = get_audit(d, seen[K_AUDIT], iv);
	}
	if (status == CAMPO_OK) {
		status = check_iv(d, iv);
	}
	return status;
}

/* ----- the batch ----- */

static const char *const batch_keys[] = { "format", "batch_id", "device_id",
					  "created_at", "interviews" };

static int cmp_iv(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum campo_status unique_ids(struct dec *d, struct campo_wire_batch *b)
{
	enum campo_status status = CAMPO_OK;
	char **ids;
	size_t i;

	if (b->n_interviews < 2) {
		return CAMPO_OK;
	}
	ids = campo_calloc(b->n_interviews, sizeof(*ids));
	if (!ids) {
		return CAMPO_ERR_NOMEM;
	}
	for (i = 0; i < b->n_interviews; i++) {
		ids[i] = b->interviews[i].instance_id;
	}
	qsort(ids, b->n_interviews, sizeof(*ids), cmp_iv);
	for (i = 1; i < b->n_interviews; i++) {
		if (!strcmp(ids[i - 1], ids[i])) {
			d->where[0] = '\0';
			status = fail(d, CAMPO_ERR_INVALID, "interviews",
				      "interview '%s' twice in the batch",
				      ids[i]);
			break;
		}
	}
	free(ids);
	return status;
}

static enum campo_status get_batch(struct dec *d, const cJSON *root,
				   struct campo_wire_batch *b)
{
	const cJSON *seen[5], *e;
	enum campo_status status;
	char *format = NULL;
	size_t n;

	if (!cJSON_IsObject(root)) {
		return fail(d, CAMPO_ERR_INVALID, "",
			    "a batch must be a JSON "
			    "object");
	}
	/* the format first, so a newer version is named as such */
	e = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!e) {
		return fail(d, CAMPO_ERR_INVALID, "format",
			    "missing key 'format' (a campo batch has "
			    "\"format\": \"%s\")",
			    CAMPO_WIRE_FORMAT);
	}
	status = get_str(d, e, "format", &format);
	if (status != CAMPO_OK) {
		return status;
	}
	if (strcmp(format, CAMPO_WIRE_FORMAT)) {
		status = fail(d, CAMPO_ERR_INVALID, "format",
			      "unsupported format '%.64s' (this hub reads %s)",
			      format, CAMPO_WIRE_FORMAT);
		free(format);
		return status;
	}
	free(format);
	status = members(d, root, batch_keys, 5, seen, "the batch");
	if (status == CAMPO_OK) {
		status = get_str(d, seen[1], "batch_id", &b->batch_id);
	}
	if (status == CAMPO_OK) {
		status = get_str(d, seen[2], "device_id", &b->device_id);
	}
	if (status == CAMPO_OK) {
		status = get_str(d, seen[3], "created_at", &b->created_at);
	}
	if (status != CAMPO_OK) {
		return status;
	}
	if (!campo_uuid_valid(b->batch_id, strlen(b->batch_id))) {
		return fail(d, CAMPO_ERR_INVALID, "batch_id",
			    "batch id '%.64s' is not a UUID", b->batch_id);
	}
	if (!campo_uuid_valid(b->device_id, strlen(b->device_id))) {
		return fail(d, CAMPO_ERR_INVALID, "device_id",
			    "device id '%.64s' is not a UUID", b->device_id);
	}
	if (!wire_time_valid(b->created_at)) {
		return fail(d, CAMPO_ERR_INVALID, "created_at",
			    "'%.32s' is not YYYY-MM-DDTHH:MM:SS.mmmZ",
			    b->created_at);
	}
	if (!cJSON_IsArray(seen[4])) {
		return fail(d, CAMPO_ERR_INVALID, "interviews",
			    "'interviews' must be an array");
	}
	n = (size_t)cJSON_GetArraySize(seen[4]);
	if (n > d->l->records_max) {
		return fail(d, CAMPO_ERR_LIMIT, "interviews",
			    "%zu interviews pass the cap of %zu per batch", n,
			    d->l->records_max);
	}
	if (n) {
		b->interviews = campo_calloc(n, sizeof(*b->interviews));
		if (!b->interviews) {
			return CAMPO_ERR_NOMEM;
		}
	}
	cJSON_ArrayForEach(e, seen[4])
	{
		snprintf(d->where, sizeof(d->where), "interviews[%zu]",
			 b->n_interviews);
		status = get_iv(d, e, &b->interviews[b->n_interviews++]);
		if (status != CAMPO_OK) {
			return status;
		}
	}
	d->where[0] = '\0';
	return unique_ids(d, b);
}

enum campo_status campo_wire_batch_parse(const char *json, size_t len,
					 const struct campo_wire_limits *lim,
					 struct campo_wire_batch **out,
					 struct campo_diag *diag)
{
	struct campo_wire_limits l;
	struct dec d = { .l = &l, .diag = diag };
	struct campo_wire_batch *b;
	enum campo_status status;
	const char *end = NULL;
	cJSON *root;

	*out = NULL;
	wire_limits_fill(&l, lim);
	if (len > l.inflated_max) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "batch of %zu bytes passes the cap of "
				      "%zu",
				      len, l.inflated_max);
	}
	status = scan(json, len, &l, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	root = cJSON_ParseWithLengthOpts(json, len, &end, false);
	if (!root) {
		size_t at = end && end >= json ? (size_t)(end - json) : 0;

		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "not valid JSON at byte %zu", at);
	}
	while (end && (size_t)(end - json) < len &&
	       (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')) {
		end++;
	}
	if (!end || (size_t)(end - json) != len) {
		cJSON_Delete(root);
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "not valid JSON: bytes after the "
				      "document at byte %zu",
				      end ? (size_t)(end - json) : 0);
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		cJSON_Delete(root);
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	status = get_batch(&d, root, b);
	cJSON_Delete(root);
	if (status != CAMPO_OK) {
		if (status == CAMPO_ERR_NOMEM) {
			campo_diag_set(diag, status, "out of memory");
		}
		campo_wire_batch_free(b);
		return status;
	}
	*out = b;
	return CAMPO_OK;
}

enum campo_status campo_wire_batch_decode(const void *gz, size_t len,
					  const struct campo_wire_limits *lim,
					  struct campo_wire_batch **out,
					  struct campo_diag *diag)
{
	struct campo_wire_limits l;
	struct campo_buf json;
	enum campo_status status;

	*out = NULL;
	wire_limits_fill(&l, lim);
	campo_buf_init(&json, l.inflated_max);
	status = campo_wire_gunzip(gz, len, &l, &json, diag);
	if (status == CAMPO_OK) {
		status = campo_wire_batch_parse(json.data ? json.data : "",
						json.len, &l, out, diag);
	}
	campo_buf_release(&json);
	return status;
}
