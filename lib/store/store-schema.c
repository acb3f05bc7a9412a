/* SPDX-License-Identifier: MIT */
/* The collector database's schema, as numbered migrations. */
#include <string.h>

#include "store-internal.h"

/*
 * Version 1. Interviews are frozen once finalized: the triggers below refuse
 * every change to a non-draft interview's answers, repeats and audit, every
 * change to its row except the status moves finalized -> sent -> returned,
 * and its deletion, even when the SQL does not come from the store.
 */
static const char *const schema_v1[] = {
	"CREATE TABLE device ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" device_id TEXT NOT NULL,"
	" device_name TEXT NOT NULL DEFAULT '',"
	" enumerator_name TEXT NOT NULL DEFAULT '',"
	" enumerator_code TEXT NOT NULL DEFAULT '',"
	" created_at TEXT NOT NULL);",
	"CREATE TABLE settings ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL) WITHOUT ROWID;",
	/* updated_ms and finalized_ms: monotonic milliseconds since the
	 * interview started; elapsed = now - mono_base_ms while the boot is
	 * boot_id, re-based after a reboot so it never goes back. */
	"CREATE TABLE interviews ("
	" id INTEGER PRIMARY KEY,"
	" instance_id TEXT NOT NULL UNIQUE"
	"  CHECK (substr(instance_id, 1, 5) = 'uuid:'"
	"   AND length(instance_id) = 41),"
	" deprecated_id TEXT UNIQUE,"
	" revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),"
	" form_id TEXT NOT NULL CHECK (form_id <> ''),"
	" form_version TEXT NOT NULL,"
	" form_hash TEXT NOT NULL,"
	" enumerator TEXT NOT NULL,"
	" device_id TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN"
	"  ('draft', 'finalized', 'sent', 'returned', 'discarded')),"
	" instance_name TEXT NOT NULL DEFAULT '',"
	" language TEXT NOT NULL DEFAULT '',"
	" position TEXT NOT NULL DEFAULT '',"
	" started_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" updated_ms INTEGER NOT NULL DEFAULT 0,"
	" finalized_at TEXT,"
	" finalized_ms INTEGER,"
	" content_hash TEXT,"
	" boot_id TEXT NOT NULL,"
	" mono_base_ms INTEGER NOT NULL,"
	" CHECK (status IN ('draft', 'discarded')"
	"  OR (content_hash IS NOT NULL AND finalized_at IS NOT NULL)));",
	"CREATE TABLE answers ("
	" interview INTEGER NOT NULL REFERENCES interviews(id)"
	"  ON DELETE CASCADE,"
	" key TEXT NOT NULL,"
	" value TEXT NOT NULL CHECK (value <> ''),"
	" PRIMARY KEY (interview, key)) WITHOUT ROWID;",
	/* The number of instances of each repeat, keyed by the repeat's path
	 * with its parents' indices ("member", "member[2]/trip"): an instance
	 * exists even when none of its questions is answered. */
	"CREATE TABLE repeats ("
	" interview INTEGER NOT NULL REFERENCES interviews(id)"
	"  ON DELETE CASCADE,"
	" key TEXT NOT NULL,"
	" count INTEGER NOT NULL CHECK (count >= 0),"
	" PRIMARY KEY (interview, key)) WITHOUT ROWID;",
	"CREATE TABLE audit ("
	" id INTEGER PRIMARY KEY,"
	" interview INTEGER NOT NULL REFERENCES interviews(id)"
	"  ON DELETE CASCADE,"
	" event TEXT NOT NULL CHECK (event IN ('started', 'resumed',"
	"  'question_entered', 'question_left', 'answer_changed',"
	"  'language_switched', 'repeat_added', 'repeat_removed',"
	"  'discarded', 'finalized', 'sent', 'revised')),"
	" key TEXT,"
	" old_value TEXT,"
	" new_value TEXT,"
	" at TEXT NOT NULL,"
	" elapsed_ms INTEGER);",
	"CREATE INDEX audit_interview ON audit(interview, id);",
	"CREATE TABLE outbox ("
	" id INTEGER PRIMARY KEY,"
	" interview INTEGER NOT NULL UNIQUE REFERENCES interviews(id),"
	" queued_at TEXT NOT NULL,"
	" batch_id TEXT,"
	" sent_at TEXT,"
	" CHECK (sent_at IS NULL OR batch_id IS NOT NULL));",
	"CREATE INDEX outbox_batch ON outbox(batch_id);",
	"CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;",
	"CREATE TRIGGER interviews_insert_draft BEFORE INSERT ON interviews"
	" WHEN NEW.status IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'a new interview must be a draft'); END;",
	"CREATE TRIGGER interviews_status BEFORE UPDATE OF status"
	" ON interviews WHEN NEW.status IS NOT OLD.status AND NOT ("
	"  (OLD.status = 'draft' AND NEW.status IN ('finalized', 'discarded'))"
	"  OR (OLD.status = 'finalized' AND NEW.status IN ('sent', 'returned'))"
	"  OR (OLD.status = 'sent' AND NEW.status = 'returned'))"
	" BEGIN SELECT RAISE(ABORT, 'interview status change not allowed');"
	" END;",
	"CREATE TRIGGER interviews_frozen BEFORE UPDATE ON interviews"
	" WHEN OLD.status IS NOT 'draft' AND ("
	"  NEW.id IS NOT OLD.id OR NEW.instance_id IS NOT OLD.instance_id"
	"  OR NEW.deprecated_id IS NOT OLD.deprecated_id"
	"  OR NEW.revision IS NOT OLD.revision"
	"  OR NEW.form_id IS NOT OLD.form_id"
	"  OR NEW.form_version IS NOT OLD.form_version"
	"  OR NEW.form_hash IS NOT OLD.form_hash"
	"  OR NEW.enumerator IS NOT OLD.enumerator"
	"  OR NEW.device_id IS NOT OLD.device_id"
	"  OR NEW.instance_name IS NOT OLD.instance_name"
	"  OR NEW.language IS NOT OLD.language"
	"  OR NEW.position IS NOT OLD.position"
	"  OR NEW.started_at IS NOT OLD.started_at"
	"  OR NEW.updated_at IS NOT OLD.updated_at"
	"  OR NEW.updated_ms IS NOT OLD.updated_ms"
	"  OR NEW.finalized_at IS NOT OLD.finalized_at"
	"  OR NEW.finalized_ms IS NOT OLD.finalized_ms"
	"  OR NEW.content_hash IS NOT OLD.content_hash"
	"  OR NEW.boot_id IS NOT OLD.boot_id"
	"  OR NEW.mono_base_ms IS NOT OLD.mono_base_ms)"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER interviews_delete BEFORE DELETE ON interviews"
	" WHEN OLD.status IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER answers_insert BEFORE INSERT ON answers"
	" WHEN (SELECT status FROM interviews WHERE id = NEW.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER answers_update BEFORE UPDATE ON answers"
	" WHEN (SELECT status FROM interviews WHERE id = OLD.interview)"
	"  IS NOT 'draft'"
	"  OR (SELECT status FROM interviews WHERE id = NEW.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER answers_delete BEFORE DELETE ON answers"
	" WHEN (SELECT status FROM interviews WHERE id = OLD.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER repeats_insert BEFORE INSERT ON repeats"
	" WHEN (SELECT status FROM interviews WHERE id = NEW.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER repeats_update BEFORE UPDATE ON repeats"
	" WHEN (SELECT status FROM interviews WHERE id = OLD.interview)"
	"  IS NOT 'draft'"
	"  OR (SELECT status FROM interviews WHERE id = NEW.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER repeats_delete BEFORE DELETE ON repeats"
	" WHEN (SELECT status FROM interviews WHERE id = OLD.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	/* The audit is append-only; a frozen interview takes only the rows
	 * of its later status moves. */
	"CREATE TRIGGER audit_insert BEFORE INSERT ON audit"
	" WHEN NEW.event NOT IN ('sent')"
	"  AND (SELECT status FROM interviews WHERE id = NEW.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER audit_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
	"CREATE TRIGGER audit_delete BEFORE DELETE ON audit"
	" WHEN (SELECT status FROM interviews WHERE id = OLD.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
	"CREATE TRIGGER outbox_insert BEFORE INSERT ON outbox"
	" WHEN (SELECT status FROM interviews WHERE id = NEW.interview)"
	"  IS NOT 'finalized'"
	" BEGIN SELECT RAISE(ABORT, 'only a finalized interview is queued');"
	" END;",
	"PRAGMA application_id = 1667329379", /* STORE_APPLICATION_ID */
	"PRAGMA user_version = 1;",
	NULL,
};

/* The device row: an identity generated once, on this device. */
static enum campo_status device_row(struct campo_store *s,
				    struct campo_diag *diag)
{
	enum campo_status status;
	char uuid[CAMPO_UUID_LEN + 1], at[CAMPO_STORE_TIME_LEN + 1];
	sqlite3_stmt *st = NULL;
	int64_t mono;
	int rc;

	status = campo_uuid_new(uuid);
	if (status != CAMPO_OK) {
		return campo_diag_set(diag, status, "cannot make a device id");
	}
	status = store_now(s, at, &mono, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	/* run once per database, so not worth a cache slot */
	rc = sqlite3_prepare_v2(s->db,
				"INSERT INTO device(id, device_id, created_at)"
				" VALUES (1, ?1, ?2)",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		if ((rc = store_bind_text(st, 1, uuid)) == SQLITE_OK &&
		    (rc = store_bind_text(st, 2, at)) == SQLITE_OK) {
			rc = sqlite3_step(st);
		}
	}
	if (rc != SQLITE_DONE) {
		status = store_fail(s, rc, true, "cannot create the device row",
				    diag);
	}
	sqlite3_finalize(st);
	return status;
}

/*
 * Version 2: an interview the supervisor returns (docs/wire-format.md,
 * "Messages to a device"). Its note lives in returns; the audit takes a
 * 'returned' event, also on a frozen interview. SQLite cannot change a
 * CHECK constraint in place, so the audit table is rebuilt with the same
 * rows and ids (its triggers and index go with the old table and are made
 * again). Nothing references audit, so foreign keys need no care.
 */
static const char *const schema_v2[] = {
	"CREATE TABLE returns ("
	" interview INTEGER PRIMARY KEY REFERENCES interviews(id)"
	"  ON DELETE CASCADE,"
	" note TEXT NOT NULL,"
	" at TEXT NOT NULL);",
	"CREATE TRIGGER returns_insert BEFORE INSERT ON returns"
	" WHEN (SELECT status FROM interviews WHERE id = NEW.interview)"
	"  IS NOT 'returned'"
	" BEGIN SELECT RAISE(ABORT, 'only a returned interview has a note');"
	" END;",
	"CREATE TABLE audit_v2 ("
	" id INTEGER PRIMARY KEY,"
	" interview INTEGER NOT NULL REFERENCES interviews(id)"
	"  ON DELETE CASCADE,"
	" event TEXT NOT NULL CHECK (event IN ('started', 'resumed',"
	"  'question_entered', 'question_left', 'answer_changed',"
	"  'language_switched', 'repeat_added', 'repeat_removed',"
	"  'discarded', 'finalized', 'sent', 'revised', 'returned')),"
	" key TEXT,"
	" old_value TEXT,"
	" new_value TEXT,"
	" at TEXT NOT NULL,"
	" elapsed_ms INTEGER);",
	"INSERT INTO audit_v2(id, interview, event, key, old_value, new_value,"
	" at, elapsed_ms) SELECT id, interview, event, key, old_value,"
	" new_value, at, elapsed_ms FROM audit ORDER BY id;",
	"DROP TABLE audit;",
	"ALTER TABLE audit_v2 RENAME TO audit;",
	"CREATE INDEX audit_interview ON audit(interview, id);",
	"CREATE TRIGGER audit_insert BEFORE INSERT ON audit"
	" WHEN NEW.event NOT IN ('sent', 'returned')"
	"  AND (SELECT status FROM interviews WHERE id = NEW.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'interview is frozen'); END;",
	"CREATE TRIGGER audit_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
	"CREATE TRIGGER audit_delete BEFORE DELETE ON audit"
	" WHEN (SELECT status FROM interviews WHERE id = OLD.interview)"
	"  IS NOT 'draft'"
	" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
	"PRAGMA user_version = 2;",
	NULL,
};

const struct store_migration store_migrations[] = {
	{ .sql = schema_v1, .fn = device_row },
	{ .sql = schema_v2, .fn = NULL },
};
const int store_nmigrations =
	(int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
