/* SPDX-License-Identifier: MIT */
/* The hub's database: schema, devices and their tokens, batch merges. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/hub-internal.h"
#include "store/hub.h"
#include "util/alloc.h"
#include "util/utf8.h"

#define HUB_APP_ID 0x63616d68 /* "camh" */
#define HUB_VERSION 4

enum hstmt {
	H_BEGIN,
	H_COMMIT,
	H_ROLLBACK,
	H_DEV_ADD,
	H_DEV_REVOKE,
	H_DEV_ALL,
	H_DEV_SEEN,
	H_DEV_LIST,
	H_BATCH_GET,
	H_BATCH_ADD,
	H_REV_FIND,
	H_REV_FORK,
	H_REV_ADD,
	H_REV_LIST,
	H_CONFLICT_ADD,
	H_COUNTS,
	H_RET_DEVICE,
	H_RET_FIND,
	H_RET_ADD,
	H_MSG_LIST,
	H_N
};

static const char *const sql[H_N] = {
	[H_BEGIN] = "BEGIN IMMEDIATE",
	[H_COMMIT] = "COMMIT",
	[H_ROLLBACK] = "ROLLBACK",
	[H_DEV_ADD] = "INSERT INTO devices(name, token_hash, created_at) "
		      "VALUES (?1, ?2, ?3)",
	[H_DEV_REVOKE] = "UPDATE devices SET revoked = 1 WHERE name = ?1",
	[H_DEV_ALL] = "SELECT name, token_hash, revoked FROM devices",
	[H_DEV_SEEN] = "UPDATE devices SET last_seen = ?2 WHERE name = ?1",
	[H_DEV_LIST] = "SELECT name, revoked, created_at, "
		       "coalesce(last_seen, ''), (SELECT count(*) FROM "
		       "batches b WHERE b.device = d.name) FROM devices d "
		       "ORDER BY name",
	[H_BATCH_GET] = "SELECT digest, ack FROM batches WHERE batch_id = ?1",
	[H_BATCH_ADD] = "INSERT INTO batches(batch_id, device, device_id, "
			"received_at, body_hash, digest, n, ack) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[H_REV_FIND] = "SELECT content_hash FROM revisions "
		       "WHERE instance_id = ?1",
	[H_REV_FORK] = "SELECT 1 FROM revisions WHERE deprecated_id = ?1 "
		       "AND instance_id <> ?2 LIMIT 1",
	[H_REV_ADD] = "INSERT INTO revisions(instance_id, deprecated_id, "
		      "revision, device_id, batch_id, form_id, form_version, "
		      "content_hash, status, enumerator, started_at, "
		      "finalized_at, received_at, conflict, data, audit) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
		      "?12, ?13, ?14, ?15, ?16)",
	[H_REV_LIST] =
		"SELECT instance_id, deprecated_id, revision, "
		"device_id, form_id, form_version, content_hash, status, "
		"enumerator, started_at, finalized_at, data, audit, "
		"batch_id, received_at, conflict FROM revisions "
		"WHERE instance_id = ?1 ORDER BY id",
	[H_CONFLICT_ADD] = "INSERT INTO conflicts(instance_id, revision_id, "
			   "batch_id, detected_at) VALUES (?1, ?2, ?3, ?4)",
	[H_COUNTS] = "SELECT (SELECT count(*) FROM batches), (SELECT count(*) "
		     "FROM revisions), (SELECT count(DISTINCT instance_id) "
		     "FROM revisions), (SELECT count(*) FROM conflicts WHERE "
		     "settled = 0)",
	/* the device whose batch brought the latest stored revision of ?1,
	 * and whether another revision already replaces it */
	[H_RET_DEVICE] =
		"SELECT b.device, (SELECT count(*) FROM revisions x "
		"WHERE x.deprecated_id = r.instance_id) FROM "
		"revisions r JOIN batches b ON b.batch_id = r.batch_id "
		"WHERE r.instance_id = ?1 ORDER BY r.id DESC LIMIT 1",
	[H_RET_FIND] = "SELECT seq FROM messages WHERE type = 'return' AND "
		       "device = ?1 AND instance_id = ?2 AND note = ?3",
	[H_RET_ADD] = "INSERT INTO messages(device, type, instance_id, note, "
		      "at, supervisor) VALUES (?1, 'return', ?2, ?3, ?4, ?5)",
	[H_MSG_LIST] = "SELECT seq, type, instance_id, note, at FROM messages "
		       "WHERE device = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
};

static const char schema[] =
	"CREATE TABLE devices("
	" name TEXT PRIMARY KEY,"
	" token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),"
	" revoked INTEGER NOT NULL DEFAULT 0,"
	" created_at TEXT NOT NULL,"
	" last_seen TEXT);"
	"CREATE TABLE batches("
	" batch_id TEXT PRIMARY KEY,"
	" device TEXT NOT NULL,"
	" device_id TEXT NOT NULL,"
	" received_at TEXT NOT NULL,"
	" body_hash TEXT NOT NULL,"
	" digest TEXT NOT NULL,"
	" n INTEGER NOT NULL,"
	" ack TEXT NOT NULL);"
	"CREATE TABLE revisions("
	" id INTEGER PRIMARY KEY,"
	" instance_id TEXT NOT NULL,"
	" deprecated_id TEXT NOT NULL,"
	" revision INTEGER NOT NULL,"
	" device_id TEXT NOT NULL,"
	" batch_id TEXT NOT NULL REFERENCES batches(batch_id)"
	"  DEFERRABLE INITIALLY DEFERRED,"
	" form_id TEXT NOT NULL,"
	" form_version TEXT NOT NULL,"
	" content_hash TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" enumerator TEXT NOT NULL,"
	" started_at TEXT NOT NULL,"
	" finalized_at TEXT NOT NULL,"
	" received_at TEXT NOT NULL,"
	" conflict INTEGER NOT NULL,"
	" data TEXT NOT NULL,"
	" audit TEXT,"
	" UNIQUE (instance_id, content_hash));"
	"CREATE INDEX revisions_deprecated ON revisions(deprecated_id);"
	"CREATE TABLE conflicts("
	" id INTEGER PRIMARY KEY,"
	" instance_id TEXT NOT NULL,"
	" revision_id INTEGER NOT NULL REFERENCES revisions(id),"
	" batch_id TEXT NOT NULL,"
	" detected_at TEXT NOT NULL,"
	" settled INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX conflicts_instance ON conflicts(instance_id);";

/*
 * Schema 2 (lib/store/hub-report.c): indexes the report reads with,
 * answers it indexes on demand, targets, supervisors and their sessions.
 * Every statement may run again (a second process migrating at once).
 */
static const char schema_2[] =
	"CREATE INDEX IF NOT EXISTS revisions_batch ON revisions(batch_id);"
	"CREATE INDEX IF NOT EXISTS batches_device ON batches(device,"
	" received_at);"
	"CREATE TABLE IF NOT EXISTS revision_values("
	" field TEXT NOT NULL,"
	" revision_id INTEGER NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (field, revision_id)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS revision_value_fields("
	" field TEXT PRIMARY KEY,"
	" upto INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS targets("
	" area TEXT NOT NULL,"
	" enumerator TEXT NOT NULL,"
	" expected INTEGER NOT NULL CHECK (expected >= 0),"
	" PRIMARY KEY (area, enumerator));"
	"CREATE TABLE IF NOT EXISTS supervisors("
	" name TEXT PRIMARY KEY,"
	" salt BLOB NOT NULL,"
	" hash BLOB NOT NULL,"
	" iterations INTEGER NOT NULL,"
	" created_at TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS sessions("
	" token_hash BLOB PRIMARY KEY,"
	" supervisor TEXT NOT NULL REFERENCES supervisors(name)"
	"  ON DELETE CASCADE,"
	" expires_at INTEGER NOT NULL);";

/*
 * Schema 3: the report reads form, enumerator and day from an index in
 * that order (neighbouring rows share their keys) and finds the few
 * revisions that do not count from the conflicts and edits instead of
 * comparing every instance id.
 */
static const char schema_3[] =
	"CREATE INDEX IF NOT EXISTS revisions_counts ON revisions(form_id,"
	" enumerator, finalized_at);"
	"DROP INDEX IF EXISTS revisions_latest;"
	"CREATE INDEX IF NOT EXISTS conflicts_revision ON conflicts("
	"revision_id);";

/*
 * Schema 4: messages to devices (docs/wire-format.md, "Messages to a
 * device"); seq is the message's number, increasing across the hub.
 */
static const char schema_4[] =
	"CREATE TABLE IF NOT EXISTS messages("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" device TEXT NOT NULL,"
	" type TEXT NOT NULL,"
	" instance_id TEXT NOT NULL,"
	" note TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" supervisor TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS messages_device ON messages(device, seq);"
	"CREATE INDEX IF NOT EXISTS messages_instance ON messages("
	"instance_id);";

static const char *const upgrades[] = { NULL, NULL, schema_2, schema_3,
					schema_4 };
_Static_assert(sizeof(schema_2) >= sizeof(schema_3) &&
		       sizeof(schema_2) >= sizeof(schema_4),
	       "the upgrade buffer is sized for the longest");

struct campo_hub {
	sqlite3 *db;
	sqlite3_stmt *st[H_N];
};

static enum campo_status db_fail(struct campo_hub *h, const char *what,
				 struct campo_diag *diag);

sqlite3 *hub_db(struct campo_hub *h)
{
	return h->db;
}

enum campo_status hub_db_fail(struct campo_hub *h, const char *what,
			      struct campo_diag *diag)
{
	return db_fail(h, what, diag);
}

static enum campo_status db_fail(struct campo_hub *h, const char *what,
				 struct campo_diag *diag)
{
	int rc = sqlite3_errcode(h->db);

	return campo_diag_set(diag,
			      rc == SQLITE_FULL	    ? CAMPO_ERR_IO
			      : rc == SQLITE_NOMEM  ? CAMPO_ERR_NOMEM
			      : rc == SQLITE_NOTADB ? CAMPO_ERR_INVALID
						    : CAMPO_ERR_DB,
			      "hub database: %s: %s", what,
			      sqlite3_errmsg(h->db));
}

static sqlite3_stmt *stmt(struct campo_hub *h, enum hstmt id,
			  enum campo_status *status, struct campo_diag *diag)
{
	if (!h->st[id] &&
	    sqlite3_prepare_v3(h->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT,
			       &h->st[id], NULL) != SQLITE_OK) {
		*status = db_fail(h, "prepare", diag);
		return NULL;
	}
	sqlite3_reset(h->st[id]);
	sqlite3_clear_bindings(h->st[id]);
	return h->st[id];
}

/* Runs a statement with no result rows. */
static enum campo_status run(struct campo_hub *h, sqlite3_stmt *st,
			     const char *what, struct campo_diag *diag)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		return db_fail(h, what, diag);
	}
	return CAMPO_OK;
}

static enum campo_status simple(struct campo_hub *h, enum hstmt id,
				struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, id, &status, diag);

	return st ? run(h, st, sql[id], diag) : status;
}

void hub_now_iso(char out[32])
{
	struct timespec ts;
	struct tm tm;
	char tmp[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%.19s.%03dZ", tmp, (int)(ts.tv_nsec / 1000000));
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

enum campo_status campo_hub_open(const char *path, bool create,
				 struct campo_hub **out,
				 struct campo_diag *diag)
{
	struct campo_hub *h;
	sqlite3_stmt *st = NULL;
	/* one thread at a time uses a handle (hub.h): no mutexes */
	int app = 0, version = 0, objects = -1,
	    flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	enum campo_status status = CAMPO_OK;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	if (create) {
		flags |= SQLITE_OPEN_CREATE;
	}
	if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
		status = campo_diag_set(
			diag, create ? CAMPO_ERR_DB : CAMPO_ERR_NOTFOUND,
			"cannot open hub database '%s': %s", path,
			sqlite3_errmsg(h->db));
		goto out_close;
	}
	sqlite3_busy_timeout(h->db, 5000);
	if (sqlite3_exec(h->db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;",
			 NULL, NULL, NULL) != SQLITE_OK) {
		status = db_fail(h, "set up", diag);
		goto out_close;
	}
	if (sqlite3_prepare_v2(h->db, "PRAGMA application_id", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		app = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(h->db, "PRAGMA user_version", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		version = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(h->db, "SELECT count(*) FROM sqlite_master", -1,
			       &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		objects = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	if (objects < 0) {
		status = db_fail(h, "read schema", diag);
		goto out_close;
	}
	if (app == 0 && version == 0 && objects > 0) {
		/* someone else's SQLite file: never add our tables to it */
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"'%s' is not a campo hub database",
					path);
		goto out_close;
	} else if (app == 0 && version == 0 && !create) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"'%s' is not a hub database yet", path);
		goto out_close;
	} else if (app == 0 && version == 0) {
		char init[sizeof(schema) + 200];

		snprintf(init, sizeof(init),
			 "BEGIN IMMEDIATE; %s PRAGMA application_id=%d; "
			 "PRAGMA user_version=%d; COMMIT;",
			 schema, HUB_APP_ID, 1);
		if (sqlite3_exec(h->db, init, NULL, NULL, NULL) != SQLITE_OK) {
			status = db_fail(h, "create schema", diag);
			sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
			goto out_close;
		}
		version = 1;
	} else if (app != HUB_APP_ID) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"'%s' is not a campo hub database",
					path);
		goto out_close;
	} else if (version > HUB_VERSION) {
		status = campo_diag_set(diag, CAMPO_ERR_INVALID,
					"'%s' was written by a newer campo-hub "
					"(schema %d)",
					path, version);
		goto out_close;
	}
	for (int v = version + 1; v <= HUB_VERSION; v++) {
		char up[sizeof(schema_2) + 100];

		snprintf(up, sizeof(up),
			 "BEGIN IMMEDIATE; %s PRAGMA user_version=%d; COMMIT;",
			 upgrades[v], v);
		if (sqlite3_exec(h->db, up, NULL, NULL, NULL) != SQLITE_OK) {
			status = db_fail(h, "upgrade schema", diag);
			sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
			goto out_close;
		}
	}
	*out = h;
	return CAMPO_OK;

out_close:
	campo_hub_close(h);
	return status;
}

void campo_hub_close(struct campo_hub *h)
{
	size_t i;

	if (!h) {
		return;
	}
	for (i = 0; i < H_N; i++) {
		sqlite3_finalize(h->st[i]);
	}
	sqlite3_close(h->db);
	free(h);
}

bool hub_name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > CAMPO_HUB_NAME_MAX) {
		return false;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-')) {
			return false;
		}
	}
	return true;
}

enum campo_status
campo_hub_device_add(struct campo_hub *h, const char *name,
		     const uint8_t token_hash[CAMPO_HUB_TOKEN_HASH_LEN],
		     struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st;
	char now[32];
	int rc;

	if (!hub_name_valid(name)) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "bad device name '%.64s' (1-%d of "
				      "A-Z a-z 0-9 _ . -)",
				      name, CAMPO_HUB_NAME_MAX);
	}
	st = stmt(h, H_DEV_ADD, &status, diag);
	if (!st) {
		return status;
	}
	hub_now_iso(now);
	bind_text(st, 1, name);
	sqlite3_bind_blob(st, 2, token_hash, CAMPO_HUB_TOKEN_HASH_LEN,
			  SQLITE_STATIC);
	bind_text(st, 3, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT) {
		return campo_diag_set(diag, CAMPO_ERR_CONFLICT,
				      "device '%s' exists", name);
	}
	return rc == SQLITE_DONE ? CAMPO_OK : db_fail(h, "add device", diag);
}

enum campo_status campo_hub_device_revoke(struct campo_hub *h, const char *name,
					  struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_DEV_REVOKE, &status, diag);

	if (!st) {
		return status;
	}
	bind_text(st, 1, name);
	status = run(h, st, "revoke device", diag);
	if (status == CAMPO_OK && sqlite3_changes(h->db) == 0) {
		return campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
				      "no device '%s'", name);
	}
	return status;
}

enum campo_status campo_hub_device_auth(
	struct campo_hub *h, const uint8_t token_hash[CAMPO_HUB_TOKEN_HASH_LEN],
	char name[CAMPO_HUB_NAME_MAX + 1], struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_DEV_ALL, &status, diag);
	bool found = false, revoked = false;
	char now[32];
	int rc;

	if (!st) {
		return status;
	}
	name[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t *hash = sqlite3_column_blob(st, 1);
		unsigned diff = 0;
		size_t i;

		if (sqlite3_column_bytes(st, 1) != CAMPO_HUB_TOKEN_HASH_LEN) {
			continue;
		}
		/* constant time: every byte of every device is compared */
		for (i = 0; i < CAMPO_HUB_TOKEN_HASH_LEN; i++) {
			diff |= (unsigned)(hash[i] ^ token_hash[i]);
		}
		if (diff == 0) {
			found = true;
			revoked = sqlite3_column_int(st, 2) != 0;
			snprintf(name, CAMPO_HUB_NAME_MAX + 1, "%s",
				 (const char *)sqlite3_column_text(st, 0));
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		return db_fail(h, "find device", diag);
	}
	if (!found || revoked) {
		name[0] = '\0';
		return campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
				      found ? "device token revoked"
					    : "unknown device token");
	}
	st = stmt(h, H_DEV_SEEN, &status, diag);
	if (!st) {
		return status;
	}
	hub_now_iso(now);
	bind_text(st, 1, name);
	bind_text(st, 2, now);
	return run(h, st, "record device seen", diag);
}

enum campo_status campo_hub_device_list(struct campo_hub *h,
					campo_hub_device_fn *fn, void *ctx,
					struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_DEV_LIST, &status, diag);
	int rc;

	if (!st) {
		return status;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct campo_hub_device d = {
			.name = (const char *)sqlite3_column_text(st, 0),
			.revoked = sqlite3_column_int(st, 1) != 0,
			.created_at = (const char *)sqlite3_column_text(st, 2),
			.last_seen = (const char *)sqlite3_column_text(st, 3),
			.batches = sqlite3_column_int64(st, 4),
		};

		status = fn(ctx, &d);
		if (status != CAMPO_OK) {
			sqlite3_reset(st);
			return status;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CAMPO_OK : db_fail(h, "list devices", diag);
}

/* Looks batch_id up: *found, and when found its digest compared with
 * digest (*same) and a copy of its acknowledgement (*ack). */
static enum campo_status batch_find(struct campo_hub *h, const char *batch_id,
				    const char *digest, bool *found, bool *same,
				    char **ack, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_BATCH_GET, &status, diag);
	int rc;

	*found = false;
	if (!st) {
		return status;
	}
	bind_text(st, 1, batch_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		*same = !strcmp((const char *)sqlite3_column_text(st, 0),
				digest);
		*ack = campo_strdup((const char *)sqlite3_column_text(st, 1));
		if (!*ack) {
			status = CAMPO_ERR_NOMEM;
		}
	} else if (rc != SQLITE_DONE) {
		status = db_fail(h, "find batch", diag);
	}
	sqlite3_reset(st);
	return status;
}

/*
 * Decides what revision r is to the hub: a duplicate when its instance id
 * is stored with its content hash; a conflict when its instance id is
 * stored with other content, or when it replaces (deprecated_id) a
 * revision that another stored revision already replaces (a fork: two
 * edits of the same interview, neither knowing the other); new otherwise.
 */
static enum campo_status rev_outcome(struct campo_hub *h,
				     const struct campo_hub_revision *r,
				     enum campo_hub_outcome *out,
				     struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_REV_FIND, &status, diag);
	bool any = false, same = false;
	int rc;

	if (!st) {
		return status;
	}
	bind_text(st, 1, r->instance_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		any = true;
		if (!strcmp((const char *)sqlite3_column_text(st, 0),
			    r->content_hash)) {
			same = true;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		return db_fail(h, "find revision", diag);
	}
	*out = same  ? CAMPO_HUB_DUPLICATE
	       : any ? CAMPO_HUB_CONFLICT
		     : CAMPO_HUB_NEW;
	if (*out != CAMPO_HUB_NEW || !r->deprecated_id ||
	    !r->deprecated_id[0]) {
		return CAMPO_OK;
	}
	st = stmt(h, H_REV_FORK, &status, diag);
	if (!st) {
		return status;
	}
	bind_text(st, 1, r->deprecated_id);
	bind_text(st, 2, r->instance_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) {
		*out = CAMPO_HUB_CONFLICT;
	} else if (rc != SQLITE_DONE) {
		return db_fail(h, "find fork", diag);
	}
	return CAMPO_OK;
}

static enum campo_status rev_add(struct campo_hub *h,
				 const struct campo_hub_batch *b,
				 const struct campo_hub_revision *r,
				 bool conflict, const char *now,
				 struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_REV_ADD, &status, diag);
	int64_t id;

	if (!st) {
		return status;
	}
	bind_text(st, 1, r->instance_id);
	bind_text(st, 2, r->deprecated_id);
	sqlite3_bind_int64(st, 3, r->revision);
	bind_text(st, 4, r->device_id);
	bind_text(st, 5, b->batch_id);
	bind_text(st, 6, r->form_id);
	bind_text(st, 7, r->form_version);
	bind_text(st, 8, r->content_hash);
	bind_text(st, 9, r->status);
	bind_text(st, 10, r->enumerator);
	bind_text(st, 11, r->started_at);
	bind_text(st, 12, r->finalized_at);
	bind_text(st, 13, now);
	sqlite3_bind_int(st, 14, conflict);
	bind_text(st, 15, r->data_json);
	if (r->audit_json) {
		bind_text(st, 16, r->audit_json);
	}
	status = run(h, st, "add revision", diag);
	if (status != CAMPO_OK || !conflict) {
		return status;
	}
	id = sqlite3_last_insert_rowid(h->db);
	st = stmt(h, H_CONFLICT_ADD, &status, diag);
	if (!st) {
		return status;
	}
	bind_text(st, 1, r->instance_id);
	sqlite3_bind_int64(st, 2, id);
	bind_text(st, 3, b->batch_id);
	bind_text(st, 4, now);
	return run(h, st, "record conflict", diag);
}

enum campo_status campo_hub_batch_merge(struct campo_hub *h,
					const struct campo_hub_batch *b,
					campo_hub_ack_fn *ack_fn, void *ctx,
					char **ack, bool *repeat,
					struct campo_diag *diag)
{
	enum campo_hub_outcome *outcomes = NULL;
	enum campo_status status;
	sqlite3_stmt *st;
	bool found = false, same = false;
	char now[32];
	size_t i;

	*ack = NULL;
	*repeat = false;
	status = simple(h, H_BEGIN, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status =
		batch_find(h, b->batch_id, b->digest, &found, &same, ack, diag);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	if (found) {
		simple(h, H_ROLLBACK, NULL);
		if (!same) {
			free(*ack);
			*ack = NULL;
			return campo_diag_set(diag, CAMPO_ERR_CONFLICT,
					      "batch '%s' was received before "
					      "with other interviews",
					      b->batch_id);
		}
		*repeat = true;
		return CAMPO_OK;
	}
	outcomes = campo_calloc(b->n ? b->n : 1, sizeof(*outcomes));
	if (!outcomes) {
		status = campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
		goto out_rollback;
	}
	hub_now_iso(now);
	for (i = 0; i < b->n; i++) {
		status = rev_outcome(h, &b->revisions[i], &outcomes[i], diag);
		if (status == CAMPO_OK && outcomes[i] != CAMPO_HUB_DUPLICATE) {
			status = rev_add(h, b, &b->revisions[i],
					 outcomes[i] == CAMPO_HUB_CONFLICT, now,
					 diag);
		}
		if (status != CAMPO_OK) {
			goto out_rollback;
		}
	}
	status = ack_fn(ctx, outcomes, b->n, ack);
	if (status != CAMPO_OK) {
		campo_diag_set(diag, status, "cannot write acknowledgement");
		goto out_rollback;
	}
	st = stmt(h, H_BATCH_ADD, &status, diag);
	if (!st) {
		goto out_rollback;
	}
	bind_text(st, 1, b->batch_id);
	bind_text(st, 2, b->device_name);
	bind_text(st, 3, b->device_id);
	bind_text(st, 4, now);
	bind_text(st, 5, b->body_hash);
	bind_text(st, 6, b->digest);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)b->n);
	bind_text(st, 8, *ack);
	status = run(h, st, "add batch", diag);
	if (status == CAMPO_OK) {
		status = simple(h, H_COMMIT, diag);
	}
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	free(outcomes);
	return CAMPO_OK;

out_rollback:
	if (!sqlite3_get_autocommit(h->db)) {
		simple(h, H_ROLLBACK, NULL);
	}
	free(outcomes);
	free(*ack);
	*ack = NULL;
	return status;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

enum campo_status campo_hub_revision_list(struct campo_hub *h,
					  const char *instance_id,
					  campo_hub_stored_fn *fn, void *ctx,
					  struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_REV_LIST, &status, diag);
	int rc;

	if (!st) {
		return status;
	}
	bind_text(st, 1, instance_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct campo_hub_stored s = {
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

		status = fn(ctx, &s);
		if (status != CAMPO_OK) {
			sqlite3_reset(st);
			return status;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CAMPO_OK
				 : db_fail(h, "list revisions", diag);
}

enum campo_status campo_hub_counts(struct campo_hub *h, int64_t *batches,
				   int64_t *revisions, int64_t *interviews,
				   int64_t *conflicts, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_COUNTS, &status, diag);
	int64_t *out[4] = { batches, revisions, interviews, conflicts };
	int i;

	if (!st) {
		return status;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(h, "count", diag);
	}
	for (i = 0; i < 4; i++) {
		if (out[i]) {
			*out[i] = sqlite3_column_int64(st, i);
		}
	}
	sqlite3_reset(st);
	return CAMPO_OK;
}

enum campo_status campo_hub_return(struct campo_hub *h, const char *instance_id,
				   const char *note, const char *supervisor,
				   int64_t *seq, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st;
	char device[CAMPO_HUB_NAME_MAX + 1], at[32];
	int64_t replaced;
	int rc;

	if (strncmp(instance_id, "uuid:", 5) || strlen(instance_id) > 64) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "'%.80s' is not an instance id",
				      instance_id);
	}
	if (strlen(note) > CAMPO_HUB_NOTE_MAX) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "the note passes %d bytes",
				      CAMPO_HUB_NOTE_MAX);
	}
	/* a device refuses a whole reply with bad UTF-8 in it: never queue
	 * a message that would stop its messages for good */
	if (!campo_utf8_valid(note, strlen(note))) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "the note is not UTF-8");
	}
	status = simple(h, H_BEGIN, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	st = stmt(h, H_RET_DEVICE, &status, diag);
	if (!st) {
		goto out_rollback;
	}
	bind_text(st, 1, instance_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"no interview %s at the hub",
					instance_id);
		goto out_rollback;
	} else if (rc != SQLITE_ROW) {
		status = db_fail(h, "find interview", diag);
		goto out_rollback;
	}
	snprintf(device, sizeof(device), "%s", col(st, 0));
	replaced = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (replaced > 0) {
		status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
					"%s was already corrected: return "
					"its latest revision",
					instance_id);
		goto out_rollback;
	}
	st = stmt(h, H_RET_FIND, &status, diag);
	if (!st) {
		goto out_rollback;
	}
	bind_text(st, 1, device);
	bind_text(st, 2, instance_id);
	bind_text(st, 3, note);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		/* the same return again: one message */
		if (seq) {
			*seq = sqlite3_column_int64(st, 0);
		}
		sqlite3_reset(st);
		return simple(h, H_COMMIT, diag);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		status = db_fail(h, "find return", diag);
		goto out_rollback;
	}
	st = stmt(h, H_RET_ADD, &status, diag);
	if (!st) {
		goto out_rollback;
	}
	hub_now_iso(at);
	bind_text(st, 1, device);
	bind_text(st, 2, instance_id);
	bind_text(st, 3, note);
	bind_text(st, 4, at);
	bind_text(st, 5, supervisor);
	status = run(h, st, "queue return", diag);
	if (status != CAMPO_OK) {
		goto out_rollback;
	}
	if (seq) {
		*seq = sqlite3_last_insert_rowid(h->db);
	}
	return simple(h, H_COMMIT, diag);

out_rollback:
	simple(h, H_ROLLBACK, NULL);
	return status;
}

enum campo_status campo_hub_messages(struct campo_hub *h, const char *device,
				     int64_t after, size_t max,
				     campo_hub_message_fn *fn, void *ctx,
				     struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = stmt(h, H_MSG_LIST, &status, diag);
	int rc;

	if (!st) {
		return status;
	}
	bind_text(st, 1, device);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct campo_hub_message m = {
			.seq = sqlite3_column_int64(st, 0),
			.type = col(st, 1),
			.instance_id = col(st, 2),
			.note = col(st, 3),
			.at = col(st, 4),
		};

		status = fn(ctx, &m);
		if (status != CAMPO_OK) {
			sqlite3_reset(st);
			return status;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CAMPO_OK : db_fail(h, "list messages", diag);
}
