/* SPDX-License-Identifier: MIT */
/* The hub database read for reports: latest revisions, device activity,
 * targets; supervisors and their sessions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/hub-internal.h"

/*
 * The statements here run a few times per report or request, so they are
 * prepared per call (microseconds) instead of cached on the handle.
 */

static const char fill_upto_sql[] =
	"SELECT coalesce((SELECT upto FROM revision_value_fields "
	"WHERE field = ?1), 0), coalesce((SELECT max(id) FROM revisions), 0)";

/* The first answer named ?1 outside any array: json_tree's fullkey of a
 * member inside a repeat holds '['. */
static const char fill_sql[] =
	"INSERT OR IGNORE INTO revision_values(field, revision_id, value) "
	"SELECT ?1, r.id, j.value FROM revisions r, json_tree(r.data) j "
	"WHERE r.id > ?2 AND r.id <= ?3 AND j.key = ?1 "
	"AND j.type IN ('text', 'integer', 'real') "
	"AND instr(j.fullkey, '[') = 0";

static const char fill_mark_sql[] =
	"INSERT INTO revision_value_fields(field, upto) VALUES (?1, ?2) "
	"ON CONFLICT(field) DO UPDATE SET upto = excluded.upto";

/*
 * The latest revision of each interview (hub.h), read in one pass over
 * the covering index revisions_counts (never the data): form, enumerator
 * and day, in that order, so neighbouring rows share their keys. The few
 * revisions that do not count are marked first, from small queries:
 * comparing every row's instance id costs 5 index probes per interview,
 * about 500 ms for 100,000 on a small machine.
 */
static const char latest_sql[] =
	"SELECT id, form_id, enumerator, substr(finalized_at, 1, 10) "
	"FROM revisions INDEXED BY revisions_counts";

/* Revisions that do not count: a conflict's later content and a fork's
 * later side (both recorded as conflicts), and every replaced revision. */
static const char skip_sql[] =
	"SELECT revision_id FROM conflicts UNION ALL "
	"SELECT r.id FROM revisions r WHERE r.instance_id IN "
	"(SELECT deprecated_id FROM revisions WHERE deprecated_id > '')";

/* Revisions in conflict: the first stored under an instance id with an
 * open conflict, and every side of a fork. */
static const char flag_sql[] =
	"SELECT min(r.id) FROM revisions r WHERE r.instance_id IN "
	"(SELECT instance_id FROM conflicts WHERE settled = 0) "
	"GROUP BY r.instance_id UNION ALL "
	"SELECT s.id FROM revisions s WHERE s.deprecated_id IN "
	"(SELECT deprecated_id FROM revisions WHERE deprecated_id > '' "
	"GROUP BY deprecated_id HAVING count(*) > 1)";

/* Latest revisions a supervisor returned (a queued return names them),
 * and revisions that correct a returned one (deprecated_id names it). */
static const char returned_sql[] =
	"SELECT r.id FROM revisions r WHERE r.instance_id IN "
	"(SELECT instance_id FROM messages WHERE type = 'return')";
static const char resubmitted_sql[] =
	"SELECT r.id FROM revisions r WHERE r.deprecated_id IN "
	"(SELECT instance_id FROM messages WHERE type = 'return')";

/* The newest revisions nothing replaces (revisions_deprecated finds a
 * replacement; messages_instance a return). */
static const char recent_sql[] =
	"SELECT r.instance_id, r.form_id, r.enumerator, r.finalized_at, "
	"b.device, EXISTS (SELECT 1 FROM messages m WHERE m.instance_id = "
	"r.instance_id AND m.type = 'return') FROM revisions r JOIN batches b "
	"ON b.batch_id = r.batch_id WHERE NOT EXISTS (SELECT 1 FROM "
	"revisions x WHERE x.deprecated_id = r.instance_id) ORDER BY r.id "
	"DESC LIMIT ?1";

static const char values_sql[] =
	"SELECT revision_id, value FROM revision_values WHERE field = ?1";

static const char activity_sql[] =
	"SELECT d.name, d.revoked, coalesce(d.last_seen, ''), "
	"coalesce((SELECT max(b.received_at) FROM batches b "
	"WHERE b.device = d.name), ''), "
	"(SELECT count(*) FROM batches b WHERE b.device = d.name), "
	"(SELECT count(*) FROM batches b JOIN revisions r "
	"ON r.batch_id = b.batch_id WHERE b.device = d.name) "
	"FROM devices d ORDER BY d.name";

static enum campo_status prepare(struct campo_hub *h, const char *q,
				 sqlite3_stmt **st, struct campo_diag *diag)
{
	if (sqlite3_prepare_v2(hub_db(h), q, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return hub_db_fail(h, "prepare", diag);
	}
	return CAMPO_OK;
}

/* Runs q with no bindings and no rows. */
static enum campo_status exec(struct campo_hub *h, const char *q,
			      struct campo_diag *diag)
{
	if (sqlite3_exec(hub_db(h), q, NULL, NULL, NULL) != SQLITE_OK) {
		return hub_db_fail(h, q, diag);
	}
	return CAMPO_OK;
}

static void rollback(struct campo_hub *h)
{
	if (!sqlite3_get_autocommit(hub_db(h))) {
		sqlite3_exec(hub_db(h), "ROLLBACK", NULL, NULL, NULL);
	}
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

static bool field_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > CAMPO_HUB_FIELD_MAX ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	      s[0] == '_')) {
		return false;
	}
	for (size_t i = 1; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-')) {
			return false;
		}
	}
	return true;
}

/* Reads the indexed mark of field and the newest revision id. */
static enum campo_status fill_range(struct campo_hub *h, const char *field,
				    int64_t *upto, int64_t *max,
				    struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status = prepare(h, fill_upto_sql, &st, diag);

	if (status != CAMPO_OK) {
		return status;
	}
	sqlite3_bind_text(st, 1, field, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*upto = sqlite3_column_int64(st, 0);
		*max = sqlite3_column_int64(st, 1);
	} else {
		status = hub_db_fail(h, "read answer index", diag);
	}
	sqlite3_finalize(st);
	return status;
}

/* Indexes the answers to field of every revision stored since the last
 * time, in one transaction. */
static enum campo_status fill(struct campo_hub *h, const char *field,
			      struct campo_diag *diag)
{
	sqlite3_stmt *st = NULL;
	int64_t upto = 0, max = 0;
	enum campo_status status = fill_range(h, field, &upto, &max, diag);

	if (status != CAMPO_OK || max <= upto) {
		return status;
	}
	status = exec(h, "BEGIN IMMEDIATE", diag);
	if (status != CAMPO_OK) {
		return status;
	}
	/* again, inside the transaction: another process may have done it */
	status = fill_range(h, field, &upto, &max, diag);
	if (status == CAMPO_OK && max > upto) {
		status = prepare(h, fill_sql, &st, diag);
		if (status == CAMPO_OK) {
			sqlite3_bind_text(st, 1, field, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, upto);
			sqlite3_bind_int64(st, 3, max);
			if (sqlite3_step(st) != SQLITE_DONE) {
				status = hub_db_fail(h, "index answers", diag);
			}
			sqlite3_finalize(st);
		}
		if (status == CAMPO_OK) {
			status = prepare(h, fill_mark_sql, &st, diag);
		}
		if (status == CAMPO_OK) {
			sqlite3_bind_text(st, 1, field, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, max);
			if (sqlite3_step(st) != SQLITE_DONE) {
				status = hub_db_fail(h, "index answers", diag);
			}
			sqlite3_finalize(st);
		}
	}
	if (status == CAMPO_OK) {
		status = exec(h, "COMMIT", diag);
	}
	if (status != CAMPO_OK) {
		rollback(h);
	}
	return status;
}

/* A set of strings with a number each (open addressing; grows). */
struct strset {
	char **keys;
	int64_t *vals;
	size_t n, n_slots;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */

	for (; *s; s++) {
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	}
	return h;
}

static size_t strset_slot(const struct strset *set, const char *key)
{
	size_t i = (size_t)str_hash(key) & (set->n_slots - 1);

	while (set->keys[i] && strcmp(set->keys[i], key)) {
		i = (i + 1) & (set->n_slots - 1);
	}
	return i;
}

static enum campo_status strset_grow(struct strset *set)
{
	struct strset big = { .n = set->n,
			      .n_slots = set->n_slots ? set->n_slots * 2 : 16 };

	big.keys = calloc(big.n_slots, sizeof(*big.keys));
	big.vals = calloc(big.n_slots, sizeof(*big.vals));
	if (!big.keys || !big.vals) {
		free(big.keys);
		free(big.vals);
		return CAMPO_ERR_NOMEM;
	}
	for (size_t i = 0; i < set->n_slots; i++) {
		if (set->keys[i]) {
			size_t k = strset_slot(&big, set->keys[i]);

			big.keys[k] = set->keys[i];
			big.vals[k] = set->vals[i];
		}
	}
	free(set->keys);
	free(set->vals);
	*set = big;
	return CAMPO_OK;
}

/* Adds key (copied) with val unless present; *slot gets its index. */
static enum campo_status strset_add(struct strset *set, const char *key,
				    int64_t val, size_t *slot)
{
	size_t i;

	if ((set->n + 1) * 2 > set->n_slots && strset_grow(set) != CAMPO_OK) {
		return CAMPO_ERR_NOMEM;
	}
	i = strset_slot(set, key);
	if (!set->keys[i]) {
		set->keys[i] = strdup(key);
		if (!set->keys[i]) {
			return CAMPO_ERR_NOMEM;
		}
		set->vals[i] = val;
		set->n++;
	}
	if (slot) {
		*slot = i;
	}
	return CAMPO_OK;
}

static void strset_release(struct strset *set)
{
	for (size_t i = 0; i < set->n_slots; i++) {
		free(set->keys[i]);
	}
	free(set->keys);
	free(set->vals);
}

/*
 * The answers to one field: at[id] is revision id's answer (a key of
 * names), or NULL for none. Answers repeat (a few sectors), so each
 * distinct one is kept once.
 */
struct values {
	struct strset names;
	const char **at;
	int64_t max_id;
};

static enum campo_status values_load(struct campo_hub *h, const char *field,
				     int64_t max_id, struct values *v,
				     struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status;
	int rc;

	v->max_id = max_id;
	v->at = calloc((size_t)max_id + 1, sizeof(*v->at));
	if (!v->at) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	status = prepare(h, values_sql, &st, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	sqlite3_bind_text(st, 1, field, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		size_t slot;

		if (id < 0 || id > max_id) {
			continue; /* stored after max_id was read */
		}
		status = strset_add(&v->names, col(st, 1), 0, &slot);
		if (status != CAMPO_OK) {
			break;
		}
		v->at[id] = v->names.keys[slot]; /* stays when it grows */
	}
	if (status == CAMPO_OK && rc != SQLITE_DONE) {
		status = hub_db_fail(h, "read answers", diag);
	}
	sqlite3_finalize(st);
	return status;
}

static const char *values_get(const struct values *v, int64_t id)
{
	if (!v->at || id < 0 || id > v->max_id || !v->at[id]) {
		return "";
	}
	return v->at[id];
}

static void values_release(struct values *v)
{
	strset_release(&v->names);
	free(v->at);
}

/* Sets bit id of set (ids past max_id are ignored). */
static void bit_set(uint8_t *set, int64_t id, int64_t max_id)
{
	if (id >= 0 && id <= max_id) {
		set[id >> 3] |= (uint8_t)(1u << (id & 7));
	}
}

static bool bit_get(const uint8_t *set, int64_t id)
{
	return (set[id >> 3] >> (id & 7)) & 1;
}

/* Sets the bits of the ids q returns. */
static enum campo_status bits_load(struct campo_hub *h, const char *q,
				   uint8_t *set, int64_t max_id,
				   struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status = prepare(h, q, &st, diag);
	int rc;

	if (status != CAMPO_OK) {
		return status;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bit_set(set, sqlite3_column_int64(st, 0), max_id);
	}
	if (rc != SQLITE_DONE) {
		status = hub_db_fail(h, "read interviews", diag);
	}
	sqlite3_finalize(st);
	return status;
}

enum campo_status campo_hub_latest_list(struct campo_hub *h,
					const char *area_field,
					const char *visit_field,
					campo_hub_latest_fn *fn, void *ctx,
					struct campo_diag *diag)
{
	const char *fields[2] = { area_field, visit_field };
	struct values vals[2];
	enum campo_status status = CAMPO_OK;
	uint8_t *skip = NULL, *flag = NULL, *ret = NULL, *resub = NULL;
	sqlite3_stmt *st = NULL;
	int64_t upto, max_id = 0;
	bool own = sqlite3_get_autocommit(hub_db(h)) != 0;
	int rc = SQLITE_DONE;

	memset(vals, 0, sizeof(vals));
	for (size_t i = 0; i < 2; i++) {
		if (!fields[i]) {
			continue;
		}
		if (!own) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "answers are indexed outside a "
					      "transaction");
		}
		if (!field_valid(fields[i])) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "bad question name '%.128s'",
					      fields[i]);
		}
		status = fill(h, fields[i], diag);
		if (status != CAMPO_OK) {
			return status;
		}
	}
	/* one read transaction, so the marks and the scan agree (the
	 * caller's, when it has one) */
	status = own ? exec(h, "BEGIN", diag) : CAMPO_OK;
	if (status != CAMPO_OK) {
		return status;
	}
	status = fill_range(h, area_field ? area_field : "", &upto, &max_id,
			    diag);
	if (status == CAMPO_OK) {
		/* a bit per revision: 12.5 KB for 100,000 */
		skip = calloc((size_t)(max_id >> 3) + 1, 1);
		flag = calloc((size_t)(max_id >> 3) + 1, 1);
		ret = calloc((size_t)(max_id >> 3) + 1, 1);
		resub = calloc((size_t)(max_id >> 3) + 1, 1);
		if (!skip || !flag || !ret || !resub) {
			status = campo_diag_set(diag, CAMPO_ERR_NOMEM,
						"out of memory");
		}
	}
	for (size_t i = 0; i < 2 && status == CAMPO_OK; i++) {
		status = fields[i] ? values_load(h, fields[i], max_id, &vals[i],
						 diag)
				   : CAMPO_OK;
	}
	if (status == CAMPO_OK) {
		status = bits_load(h, skip_sql, skip, max_id, diag);
	}
	if (status == CAMPO_OK) {
		status = bits_load(h, flag_sql, flag, max_id, diag);
	}
	if (status == CAMPO_OK) {
		status = bits_load(h, returned_sql, ret, max_id, diag);
	}
	if (status == CAMPO_OK) {
		status = bits_load(h, resubmitted_sql, resub, max_id, diag);
	}
	if (status == CAMPO_OK) {
		status = prepare(h, latest_sql, &st, diag);
	}
	while (status == CAMPO_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		struct campo_hub_latest r;

		if (id < 0 || id > max_id || bit_get(skip, id)) {
			continue;
		}
		r = (struct campo_hub_latest){
			.form_id = col(st, 1),
			.enumerator = col(st, 2),
			.day = col(st, 3),
			.conflict = bit_get(flag, id),
			.returned = bit_get(ret, id),
			.resubmitted = bit_get(resub, id),
			.area = values_get(&vals[0], id),
			.visit = values_get(&vals[1], id),
			.row = id,
		};
		status = fn(ctx, &r);
	}
	if (status == CAMPO_OK && st && rc != SQLITE_DONE) {
		status = hub_db_fail(h, "list interviews", diag);
	}
	sqlite3_finalize(st);
	if (status == CAMPO_ERR_NOMEM) {
		campo_diag_set(diag, status, "out of memory");
	}
	if (own) {
		exec(h, "COMMIT", NULL);
	}
	free(skip);
	free(flag);
	free(ret);
	free(resub);
	values_release(&vals[0]);
	values_release(&vals[1]);
	return status;
}

/* Which revisions are latest, and which of those are in conflict: bits
 * by row id. */
struct marks {
	uint8_t *latest, *conflict;
	int64_t max_id;
};

static enum campo_status mark(void *ctx, const struct campo_hub_latest *r)
{
	struct marks *m = ctx;

	if (r->row < 0 || r->row > m->max_id) {
		return CAMPO_OK;
	}
	bit_set(m->latest, r->row, m->max_id);
	if (r->conflict) {
		bit_set(m->conflict, r->row, m->max_id);
	}
	return CAMPO_OK;
}

static const char export_sql[] =
	"SELECT instance_id, deprecated_id, revision, device_id, form_id, "
	"form_version, content_hash, status, enumerator, started_at, "
	"finalized_at, data, audit, batch_id, received_at, conflict, id "
	"FROM revisions WHERE id <= ?1 ORDER BY id";

enum campo_status campo_hub_export_list(struct campo_hub *h, bool all,
					campo_hub_stored_fn *fn, void *ctx,
					struct campo_diag *diag)
{
	struct marks m = { 0 };
	sqlite3_stmt *st = NULL;
	enum campo_status status;
	int64_t upto = 0;
	int rc = SQLITE_DONE;

	status = exec(h, "BEGIN", diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = fill_range(h, "", &upto, &m.max_id, diag);
	if (status == CAMPO_OK && !all) {
		/* a bit per revision: 12.5 KB for 100,000 */
		size_t bytes = (size_t)(m.max_id >> 3) + 1;

		m.latest = calloc(bytes, 1);
		m.conflict = calloc(bytes, 1);
		status = m.latest && m.conflict
				 ? campo_hub_latest_list(h, NULL, NULL, mark,
							 &m, diag)
				 : campo_diag_set(diag, CAMPO_ERR_NOMEM,
						  "out of memory");
	}
	if (status == CAMPO_OK) {
		status = prepare(h, export_sql, &st, diag);
	}
	if (status == CAMPO_OK) {
		sqlite3_bind_int64(st, 1, m.max_id);
	}
	while (status == CAMPO_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 16);
		struct campo_hub_stored r = {
			.rev = {
				.instance_id = col(st, 0),
				.deprecated_id = col(st, 1),
				.revision = (uint32_t)sqlite3_column_int64(st, 2),
				.device_id = col(st, 3),
				.form_id = col(st, 4),
				.form_version = col(st, 5),
				.content_hash = col(st, 6),
				.status = col(st, 7),
				.enumerator = col(st, 8),
				.started_at = col(st, 9),
				.finalized_at = col(st, 10),
				.data_json = col(st, 11),
				.audit_json = (const char *)
					sqlite3_column_text(st, 12),
			},
			.batch_id = col(st, 13),
			.received_at = col(st, 14),
			.conflict = sqlite3_column_int(st, 15) != 0,
		};

		if (!all && (id < 0 || !bit_get(m.latest, id))) {
			continue;
		}
		if (!all) {
			r.conflict = bit_get(m.conflict, id);
		}
		status = fn(ctx, &r);
	}
	if (status == CAMPO_OK && st && rc != SQLITE_DONE) {
		status = hub_db_fail(h, "list revisions", diag);
	}
	sqlite3_finalize(st);
	exec(h, "COMMIT", NULL);
	free(m.latest);
	free(m.conflict);
	return status;
}

enum campo_status campo_hub_activity_list(struct campo_hub *h,
					  campo_hub_activity_fn *fn, void *ctx,
					  struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status = prepare(h, activity_sql, &st, diag);
	int rc;

	if (status != CAMPO_OK) {
		return status;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct campo_hub_activity a = {
			.name = col(st, 0),
			.revoked = sqlite3_column_int(st, 1) != 0,
			.last_seen = col(st, 2),
			.last_batch = col(st, 3),
			.batches = sqlite3_column_int64(st, 4),
			.interviews = sqlite3_column_int64(st, 5),
		};

		status = fn(ctx, &a);
		if (status != CAMPO_OK) {
			break;
		}
	}
	if (status == CAMPO_OK && rc != SQLITE_DONE) {
		status = hub_db_fail(h, "list device activity", diag);
	}
	sqlite3_finalize(st);
	return status;
}

enum campo_status campo_hub_targets_replace(struct campo_hub *h,
					    const struct campo_hub_target *t,
					    size_t n, struct campo_diag *diag)
{
	sqlite3_stmt *st = NULL;
	enum campo_status status;

	for (size_t i = 0; i < n; i++) {
		if (!t[i].area || !t[i].area[0] || t[i].expected < 0) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "target %zu: an area and an "
					      "expected count of 0 or more "
					      "are needed",
					      i + 1);
		}
	}
	status = exec(h, "BEGIN IMMEDIATE", diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = exec(h, "DELETE FROM targets", diag);
	if (status == CAMPO_OK) {
		status = prepare(h,
				 "INSERT INTO targets(area, enumerator, "
				 "expected) VALUES (?1, ?2, ?3)",
				 &st, diag);
	}
	for (size_t i = 0; i < n && status == CAMPO_OK; i++) {
		int rc;

		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, t[i].area, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, t[i].enumerator ? t[i].enumerator : "",
				  -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, t[i].expected);
		rc = sqlite3_step(st);
		if (rc == SQLITE_CONSTRAINT) {
			status = campo_diag_set(
				diag, CAMPO_ERR_CONFLICT,
				"target %zu: area '%s' "
				"enumerator '%s' given twice",
				i + 1, t[i].area,
				t[i].enumerator ? t[i].enumerator : "");
		} else if (rc != SQLITE_DONE) {
			status = hub_db_fail(h, "add target", diag);
		}
	}
	sqlite3_finalize(st);
	if (status == CAMPO_OK) {
		status = exec(h, "COMMIT", diag);
	}
	if (status != CAMPO_OK) {
		rollback(h);
	}
	return status;
}

enum campo_status campo_hub_target_list(struct campo_hub *h,
					campo_hub_target_fn *fn, void *ctx,
					struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status =
		prepare(h,
			"SELECT area, enumerator, expected FROM targets "
			"ORDER BY area, enumerator",
			&st, diag);
	int rc;

	if (status != CAMPO_OK) {
		return status;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct campo_hub_target t = {
			.area = col(st, 0),
			.enumerator = col(st, 1),
			.expected = sqlite3_column_int64(st, 2),
		};

		status = fn(ctx, &t);
		if (status != CAMPO_OK) {
			break;
		}
	}
	if (status == CAMPO_OK && rc != SQLITE_DONE) {
		status = hub_db_fail(h, "list targets", diag);
	}
	sqlite3_finalize(st);
	return status;
}

/* ----- supervisors and sessions ----- */

/* Steps st (bound) to completion; CAMPO_OK when it finished. */
static enum campo_status step_done(struct campo_hub *h, sqlite3_stmt *st,
				   const char *what, struct campo_diag *diag)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? CAMPO_OK : hub_db_fail(h, what, diag);
}

enum campo_status campo_hub_supervisor_set(struct campo_hub *h,
					   const char *name,
					   const struct campo_hub_password *pw,
					   bool replace,
					   struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status;
	char now[32];
	int rc;

	if (!hub_name_valid(name)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "bad supervisor name '%.64s' (1-%d of "
				      "A-Z a-z 0-9 _ . -)",
				      name, CAMPO_HUB_NAME_MAX);
	}
	status = exec(h, "BEGIN IMMEDIATE", diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = prepare(h,
			 replace ? "UPDATE supervisors SET salt = ?2, hash = "
				   "?3, iterations = ?4 WHERE name = ?1"
				 : "INSERT INTO supervisors(name, salt, hash, "
				   "iterations, created_at) "
				   "VALUES (?1, ?2, ?3, ?4, ?5)",
			 &st, diag);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	hub_now_iso(now);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, pw->salt, CAMPO_HUB_SALT_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, pw->key, CAMPO_HUB_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, pw->iterations);
	if (!replace) {
		sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT) {
		status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
					"supervisor '%s' exists", name);
		goto out_rollback;
	} else if (rc != SQLITE_DONE) {
		status = hub_db_fail(h, "set supervisor", diag);
		goto out_rollback;
	} else if (replace && sqlite3_changes(hub_db(h)) == 0) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"no supervisor '%s'", name);
		goto out_rollback;
	}
	if (replace) {
		/* a new password ends every session of the old one */
		status =
			prepare(h, "DELETE FROM sessions WHERE supervisor = ?1",
				&st, diag);
		if (status == CAMPO_OK) {
			sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
			status = step_done(h, st, "end sessions", diag);
		}
		if (status != CAMPO_OK) {
			goto out_rollback;
		}
	}
	status = exec(h, "COMMIT", diag);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	return CAMPO_OK;

out_rollback:
	rollback(h);
	return status;
}

enum campo_status campo_hub_supervisor_get(struct campo_hub *h,
					   const char *name,
					   struct campo_hub_password *pw,
					   struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status = prepare(h,
					   "SELECT salt, hash, iterations FROM "
					   "supervisors WHERE name = ?1",
					   &st, diag);
	int rc;

	if (status != CAMPO_OK) {
		return status;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == CAMPO_HUB_SALT_LEN &&
	    sqlite3_column_bytes(st, 1) == CAMPO_HUB_KEY_LEN) {
		memcpy(pw->salt, sqlite3_column_blob(st, 0),
		       CAMPO_HUB_SALT_LEN);
		memcpy(pw->key, sqlite3_column_blob(st, 1), CAMPO_HUB_KEY_LEN);
		pw->iterations = (uint32_t)sqlite3_column_int64(st, 2);
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"no supervisor '%.64s'", name);
	} else {
		status = hub_db_fail(h, "find supervisor", diag);
	}
	sqlite3_finalize(st);
	return status;
}

enum campo_status campo_hub_session_add(
	struct campo_hub *h, const uint8_t token_hash[CAMPO_HUB_KEY_LEN],
	const char *name, int64_t expires, int64_t now, struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status = prepare(
		h, "DELETE FROM sessions WHERE expires_at <= ?1", &st, diag);

	if (status != CAMPO_OK) {
		return status;
	}
	sqlite3_bind_int64(st, 1, now);
	status = step_done(h, st, "remove expired sessions", diag);
	if (status == CAMPO_OK) {
		status = prepare(h,
				 "INSERT INTO sessions(token_hash, supervisor, "
				 "expires_at) VALUES (?1, ?2, ?3)",
				 &st, diag);
	}
	if (status != CAMPO_OK) {
		return status;
	}
	sqlite3_bind_blob(st, 1, token_hash, CAMPO_HUB_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, expires);
	return step_done(h, st, "add session", diag);
}

enum campo_status campo_hub_session_find(
	struct campo_hub *h, const uint8_t token_hash[CAMPO_HUB_KEY_LEN],
	int64_t now, char name[CAMPO_HUB_NAME_MAX + 1], struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status =
		prepare(h,
			"SELECT supervisor FROM sessions WHERE token_hash = ?1 "
			"AND expires_at > ?2",
			&st, diag);
	int rc;

	name[0] = '\0';
	if (status != CAMPO_OK) {
		return status;
	}
	sqlite3_bind_blob(st, 1, token_hash, CAMPO_HUB_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(name, CAMPO_HUB_NAME_MAX + 1, "%s", col(st, 0));
	} else if (rc == SQLITE_DONE) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"no such session");
	} else {
		status = hub_db_fail(h, "find session", diag);
	}
	sqlite3_finalize(st);
	return status;
}

enum campo_status
campo_hub_session_remove(struct campo_hub *h,
			 const uint8_t token_hash[CAMPO_HUB_KEY_LEN],
			 struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status = prepare(
		h, "DELETE FROM sessions WHERE token_hash = ?1", &st, diag);

	if (status != CAMPO_OK) {
		return status;
	}
	sqlite3_bind_blob(st, 1, token_hash, CAMPO_HUB_KEY_LEN, SQLITE_STATIC);
	return step_done(h, st, "remove session", diag);
}

enum campo_status campo_hub_recent_list(struct campo_hub *h, size_t max,
					campo_hub_recent_fn *fn, void *ctx,
					struct campo_diag *diag)
{
	sqlite3_stmt *st;
	enum campo_status status = prepare(h, recent_sql, &st, diag);
	int rc = SQLITE_DONE;

	if (status != CAMPO_OK) {
		return status;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	while (status == CAMPO_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct campo_hub_recent r = {
			.instance_id = col(st, 0),
			.form_id = col(st, 1),
			.enumerator = col(st, 2),
			.finalized_at = col(st, 3),
			.device = col(st, 4),
			.returned = sqlite3_column_int(st, 5) != 0,
		};

		status = fn(ctx, &r);
	}
	if (status == CAMPO_OK && rc != SQLITE_DONE) {
		status = hub_db_fail(h, "list recent interviews", diag);
	}
	sqlite3_finalize(st);
	return status;
}
