/* SPDX-License-Identifier: MIT */
/* Opening the device database: pragmas, migrations, statements, errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "store-internal.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/utf8.h"

#define SUMMARY_COLS                                                           \
	"instance_id, coalesce(deprecated_id, ''), revision, form_id,"         \
	" form_version, form_hash, enumerator, device_id, status,"             \
	" instance_name, language, position, started_at, updated_at,"          \
	" updated_ms, coalesce(finalized_at, ''), coalesce(finalized_ms, -1)," \
	" coalesce(content_hash, ''), id,"                                     \
	" coalesce((SELECT note FROM returns"                                  \
	"  WHERE returns.interview = interviews.id), '')"

#define AUDIT_INSERT                                                     \
	"INSERT INTO audit(interview, event, key, old_value, new_value," \
	" at, elapsed_ms) "

static const char *const stmt_sql[S_NSTMT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_BEGIN_READ] = "BEGIN",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SYNC_NORMAL] = "PRAGMA synchronous = NORMAL",
	[S_SYNC_FULL] = "PRAGMA synchronous = FULL",
	[S_DEVICE_GET] = "SELECT device_id, device_name, enumerator_name,"
			 " enumerator_code FROM device WHERE id = 1",
	[S_DEVICE_SET] = "UPDATE device SET"
			 " device_name = coalesce(?1, device_name),"
			 " enumerator_name = coalesce(?2, enumerator_name),"
			 " enumerator_code = coalesce(?3, enumerator_code)"
			 " WHERE id = 1",
	[S_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[S_SETTING_SET] =
		"INSERT INTO settings(key, value) VALUES (?1, ?2)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_SETTING_DEL] = "DELETE FROM settings WHERE key = ?1",
	[S_IV_FIND] = "SELECT id, status, boot_id, mono_base_ms, updated_ms,"
		      " position, language, instance_name,"
		      " coalesce(content_hash, '')"
		      " FROM interviews WHERE instance_id = ?1",
	[S_IV_INSERT] = "INSERT INTO interviews(instance_id, deprecated_id,"
			" revision, form_id, form_version, form_hash,"
			" enumerator, device_id, instance_name, started_at,"
			" updated_at, updated_ms, boot_id, mono_base_ms)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10,"
			" 0, ?11, ?12)",
	[S_IV_TOUCH] = "UPDATE interviews SET updated_at = ?2, updated_ms = ?3,"
		       " boot_id = ?4, mono_base_ms = ?5 WHERE id = ?1",
	[S_IV_POSITION] = "UPDATE interviews SET position = ?2 WHERE id = ?1",
	[S_IV_LANGUAGE] = "UPDATE interviews SET language = ?2 WHERE id = ?1",
	[S_IV_NAME] = "UPDATE interviews SET instance_name = ?2 WHERE id = ?1",
	[S_IV_FINALIZE] = "UPDATE interviews SET status = 'finalized',"
			  " content_hash = ?2, finalized_at = ?3,"
			  " finalized_ms = ?4, updated_at = ?3,"
			  " updated_ms = ?4, boot_id = ?5, mono_base_ms = ?6"
			  " WHERE id = ?1",
	[S_IV_STATUS] = "UPDATE interviews SET status = ?2 WHERE id = ?1",
	[S_RET_NOTE] = "SELECT note FROM returns WHERE interview = ?1",
	[S_RET_SET] = "INSERT INTO returns(interview, note, at)"
		      " VALUES (?1, ?2, ?3) ON CONFLICT(interview)"
		      " DO UPDATE SET note = excluded.note, at = excluded.at",
	[S_IV_REVISION_OF] = "SELECT instance_id FROM interviews"
			     " WHERE deprecated_id = ?1",
	[S_IV_GET] = "SELECT " SUMMARY_COLS
		     " FROM interviews WHERE instance_id = ?1",
	[S_IV_LIST] = "SELECT " SUMMARY_COLS " FROM interviews"
		      " WHERE (?1 = 0 OR ((?1 >> (CASE status"
		      "  WHEN 'draft' THEN 0 WHEN 'finalized' THEN 1"
		      "  WHEN 'sent' THEN 2 WHEN 'returned' THEN 3"
		      "  ELSE 4 END)) & 1) = 1)"
		      " AND (?2 IS NULL OR form_id = ?2) ORDER BY id",
	[S_ANS_GET] = "SELECT value FROM answers"
		      " WHERE interview = ?1 AND key = ?2",
	[S_ANS_PUT] = "INSERT INTO answers(interview, key, value)"
		      " VALUES (?1, ?2, ?3) ON CONFLICT(interview, key)"
		      " DO UPDATE SET value = excluded.value",
	[S_ANS_DEL] = "DELETE FROM answers WHERE interview = ?1 AND key = ?2",
	[S_ANS_ALL] = "SELECT key, value FROM answers WHERE interview = ?1"
		      " ORDER BY key",
	[S_ANS_COPY] = "INSERT INTO answers(interview, key, value)"
		       " SELECT ?2, key, value FROM answers"
		       " WHERE interview = ?1",
	[S_ANS_AUDIT_RANGE] = AUDIT_INSERT
	"SELECT interview, 'answer_changed', key, value, NULL, ?4, ?5"
	" FROM answers WHERE interview = ?1 AND key >= ?2 AND key < ?3"
	" ORDER BY key",
	[S_ANS_DEL_RANGE] = "DELETE FROM answers"
			    " WHERE interview = ?1 AND key >= ?2 AND key < ?3",
	[S_ANS_RENAME_RANGE] = "UPDATE answers SET key = ?4 || substr(key, ?5)"
			       " WHERE interview = ?1 AND key >= ?2"
			       " AND key < ?3",
	[S_REP_GET] = "SELECT count FROM repeats"
		      " WHERE interview = ?1 AND key = ?2",
	[S_REP_SET] = "INSERT INTO repeats(interview, key, count)"
		      " VALUES (?1, ?2, ?3) ON CONFLICT(interview, key)"
		      " DO UPDATE SET count = excluded.count",
	[S_REP_ALL] = "SELECT key, count FROM repeats WHERE interview = ?1"
		      " ORDER BY key",
	[S_REP_COPY] = "INSERT INTO repeats(interview, key, count)"
		       " SELECT ?2, key, count FROM repeats"
		       " WHERE interview = ?1",
	[S_REP_DEL_RANGE] = "DELETE FROM repeats"
			    " WHERE interview = ?1 AND key >= ?2 AND key < ?3",
	[S_REP_RENAME_RANGE] = "UPDATE repeats SET key = ?4 || substr(key, ?5)"
			       " WHERE interview = ?1 AND key >= ?2"
			       " AND key < ?3",
	[S_AUDIT_ADD] = AUDIT_INSERT "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_AUDIT_ALL] = "SELECT event, key, old_value, new_value, at,"
			" coalesce(elapsed_ms, -1) FROM audit"
			" WHERE interview = ?1 ORDER BY id",
	[S_COUNT_ALL] = "SELECT '', status, count(*) FROM interviews"
			" GROUP BY 2",
	[S_COUNT_ENUMERATOR] = "SELECT enumerator, status, count(*)"
			       " FROM interviews GROUP BY 1, 2 ORDER BY 1",
	[S_COUNT_DAY] = "SELECT substr(started_at, 1, 10), status, count(*)"
			" FROM interviews GROUP BY 1, 2 ORDER BY 1",
	[S_COUNT_FORM] = "SELECT form_id, status, count(*)"
			 " FROM interviews GROUP BY 1, 2 ORDER BY 1",
	[S_OUTBOX_ADD] = "INSERT INTO outbox(interview, queued_at)"
			 " VALUES (?1, ?2)",
	[S_OUTBOX_PENDING] = "SELECT o.id, i.instance_id,"
			     " coalesce(o.batch_id, ''), o.queued_at"
			     " FROM outbox AS o"
			     " JOIN interviews AS i ON i.id = o.interview"
			     " WHERE o.sent_at IS NULL ORDER BY o.id LIMIT ?1",
	[S_OUTBOX_ENTRY] = "SELECT coalesce(batch_id, ''), sent_at IS NOT NULL"
			   " FROM outbox WHERE id = ?1",
	[S_OUTBOX_ASSIGN] = "UPDATE outbox SET batch_id = ?2 WHERE id = ?1"
			    " AND batch_id IS NULL AND sent_at IS NULL",
	[S_OUTBOX_RELEASE] = "UPDATE outbox SET batch_id = NULL"
			     " WHERE batch_id = ?1 AND sent_at IS NULL",
	[S_OUTBOX_BATCH] = "SELECT count(*), count(sent_at) FROM outbox"
			   " WHERE batch_id = ?1",
	[S_OUTBOX_AUDIT_SENT] = AUDIT_INSERT
	"SELECT interview, 'sent', NULL, NULL, ?1, ?2, NULL FROM outbox"
	" WHERE batch_id = ?1 AND sent_at IS NULL",
	[S_OUTBOX_IV_SENT] = "UPDATE interviews SET status = 'sent'"
			     " WHERE status = 'finalized' AND id IN"
			     " (SELECT interview FROM outbox"
			     "  WHERE batch_id = ?1 AND sent_at IS NULL)",
	[S_OUTBOX_MARK] = "UPDATE outbox SET sent_at = ?2"
			  " WHERE batch_id = ?1 AND sent_at IS NULL",
};

sqlite3_stmt *store_stmt(struct campo_store *s, enum stmt id,
			 enum campo_status *status, struct campo_diag *diag)
{
	sqlite3_stmt *st = s->stmts[id];
	int rc;

	if (st) {
		/* reset's return repeats the last step's error: not ours */
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
				SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		*status = store_fail(s, rc, false, "cannot prepare a statement",
				     diag);
		sqlite3_finalize(st);
		return NULL;
	}
	s->stmts[id] = st;
	return st;
}

enum campo_status store_fail(struct campo_store *s, int rc, bool writing,
			     const char *what, struct campo_diag *diag)
{
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : "";
	enum campo_status status;

	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return campo_diag_set(diag, CAMPO_ERR_NOMEM,
				      "%s: out of memory", what);
	case SQLITE_FULL:
		/* SQLite rolls back what it could not write: not saved */
		return campo_diag_set(diag, CAMPO_ERR_IO,
				      "%s: the disk is full", what);
	case SQLITE_IOERR:
		status = writing ? CAMPO_ERR_UNKNOWN : CAMPO_ERR_IO;
		return campo_diag_set(diag, status, "%s: %s (error %d)%s", what,
				      msg, rc,
				      writing ? ", not known to be saved" : "");
	case SQLITE_CONSTRAINT:
		return campo_diag_set(diag, CAMPO_ERR_INVALID, "%s: %s", what,
				      msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return campo_diag_set(diag, CAMPO_ERR_DB,
				      "%s: the database is busy", what);
	default:
		return campo_diag_set(diag, CAMPO_ERR_DB, "%s: %s (error %d)",
				      what, msg, rc);
	}
}

int store_bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (!text) {
		return sqlite3_bind_null(st, i);
	}
	return sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
}

int store_bind_textn(sqlite3_stmt *st, int i, const char *text, size_t len)
{
	if (!text) {
		return sqlite3_bind_null(st, i);
	}
	return sqlite3_bind_text64(st, i, text, len, SQLITE_STATIC,
				   SQLITE_UTF8);
}

bool store_next(sqlite3_stmt *st, int *rc)
{
	if (*rc == SQLITE_OK || *rc == SQLITE_ROW) {
		*rc = sqlite3_step(st);
	}
	return *rc == SQLITE_ROW;
}

const char *store_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

static enum campo_status step_done(struct campo_store *s, enum stmt id,
				   bool writing, const char *what,
				   struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = store_stmt(s, id, &status, diag);
	int rc;

	if (!st) {
		return status;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		status = store_fail(s, rc, writing, what, diag);
	}
	sqlite3_reset(st);
	return status;
}

enum campo_status store_begin(struct campo_store *s, struct campo_diag *diag)
{
	return step_done(s, S_BEGIN, false, "cannot start a transaction", diag);
}

enum campo_status store_begin_read(struct campo_store *s,
				   struct campo_diag *diag)
{
	return step_done(s, S_BEGIN_READ, false, "cannot start a transaction",
			 diag);
}

int store_bindv(sqlite3_stmt *st, const char *types, va_list ap)
{
	int rc = SQLITE_OK, i;

	for (i = 1; *types && rc == SQLITE_OK; types++, i++) {
		const char *p;
		size_t n;

		switch (*types) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 't':
			rc = store_bind_text(st, i, va_arg(ap, const char *));
			break;
		case 'n':
			p = va_arg(ap, const char *);
			n = va_arg(ap, size_t);
			rc = store_bind_textn(st, i, p, n);
			break;
		default:
			rc = SQLITE_MISUSE;
			break;
		}
	}
	return rc;
}

enum campo_status store_exec(struct campo_store *s, enum stmt id,
			     const char *what, struct campo_diag *diag,
			     const char *types, ...)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = store_stmt(s, id, &status, diag);
	va_list ap;
	int rc;

	if (!st) {
		return status;
	}
	va_start(ap, types);
	rc = store_bindv(st, types, ap);
	va_end(ap);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE) {
		status = store_fail(s, rc, true, what, diag);
	}
	sqlite3_reset(st);
	return status;
}

enum campo_status store_commit(struct campo_store *s, struct campo_diag *diag)
{
	enum campo_status status;

	status = step_done(s, S_COMMIT, true, "cannot commit", diag);
	if (status != CAMPO_OK) {
		store_rollback(s);
	}
	return status;
}

void store_rollback(struct campo_store *s)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st;

	/* after some errors SQLite has already rolled back by itself */
	if (sqlite3_get_autocommit(s->db)) {
		return;
	}
	st = store_stmt(s, S_ROLLBACK, &status, NULL);
	if (st) {
		(void)sqlite3_step(st);
		sqlite3_reset(st);
	}
}

static int system_clock(void *ctx, int64_t *wall_ms, int64_t *mono_ms)
{
	struct timespec ts;

	(void)ctx;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		return -1;
	}
	*wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		return -1;
	}
	*mono_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return 0;
}

enum campo_status store_now(struct campo_store *s,
			    char at[CAMPO_STORE_TIME_LEN + 1], int64_t *mono,
			    struct campo_diag *diag)
{
	int64_t wall;
	time_t secs;
	struct tm tm;
	char buf[64];
	int n;

	if (s->clock(s->clock_ctx, &wall, mono) != 0 || wall < 0) {
		return campo_diag_set(diag, CAMPO_ERR_IO,
				      "cannot read the clock");
	}
	secs = (time_t)(wall / 1000);
	if (!gmtime_r(&secs, &tm)) {
		return campo_diag_set(diag, CAMPO_ERR_IO,
				      "cannot convert the clock");
	}
	n = snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, (int)(wall % 1000));
	if (n != CAMPO_STORE_TIME_LEN) {
		return campo_diag_set(diag, CAMPO_ERR_IO,
				      "the clock is out of range");
	}
	memcpy(at, buf, CAMPO_STORE_TIME_LEN + 1);
	return CAMPO_OK;
}

enum campo_status store_check_text(const char *text, size_t len, size_t max,
				   const char *what, struct campo_diag *diag)
{
	size_t i;

	if (len > max) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "%s is %zu bytes, more than %zu", what,
				      len, max);
	}
	i = campo_utf8_check(text, len);
	if (i == len) {
		return CAMPO_OK;
	}
	if (text[i] == 0) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "%s contains a NUL byte", what);
	}
	return campo_diag_set(diag, CAMPO_ERR_INVALID,
			      "%s is not valid UTF-8 (byte %zu)", what, i);
}

int campo_store_schema_version(void)
{
	return store_nmigrations;
}

const char *campo_store_istatus_name(enum campo_store_istatus status)
{
	static const char *const names[CAMPO_STORE_NSTATUS] = {
		[CAMPO_STORE_DRAFT] = "draft",
		[CAMPO_STORE_FINALIZED] = "finalized",
		[CAMPO_STORE_SENT] = "sent",
		[CAMPO_STORE_RETURNED] = "returned",
		[CAMPO_STORE_DISCARDED] = "discarded",
	};

	if ((unsigned)status >= CAMPO_STORE_NSTATUS) {
		return "?";
	}
	return names[status];
}

/* A one-shot statement for the pragmas of open; *value gets the first
 * column of the first row (may be NULL). */
static enum campo_status pragma_int(struct campo_store *s, const char *sql,
				    int64_t *value, struct campo_diag *diag)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			if (value) {
				*value = sqlite3_column_int64(st, 0);
			}
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			}
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		return store_fail(s, rc, false, sql, diag);
	}
	return CAMPO_OK;
}

static enum campo_status set_wal(struct campo_store *s, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st,
				NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_ROW) {
		status = store_fail(s, rc, false, "cannot switch to WAL", diag);
	} else if (strcmp(store_col_text(st, 0), "wal") != 0) {
		/* a file system without shared memory, say: no WAL, and
		 * without it the durability figures do not hold */
		status = campo_diag_set(diag, CAMPO_ERR_DB,
					"cannot switch to WAL: journal mode "
					"stays '%s'",
					store_col_text(st, 0));
	}
	sqlite3_finalize(st);
	return status;
}

static enum campo_status migrate(struct campo_store *s, struct campo_diag *diag)
{
	enum campo_status status;
	int64_t version, again, app, tables;
	const char *const *sql;
	const int latest = store_nmigrations;

	for (;;) {
		status = pragma_int(s, "PRAGMA user_version", &version, diag);
		if (status != CAMPO_OK) {
			return status;
		}
		if (version > latest) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "database schema version %lld is "
					      "newer than this campo knows "
					      "(%d): upgrade campo",
					      (long long)version, latest);
		}
		status = pragma_int(s, "PRAGMA application_id", &app, diag);
		if (status != CAMPO_OK) {
			return status;
		}
		if (app != 0 && app != STORE_APPLICATION_ID) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "not a campo collector database "
					      "(application id %#llx)",
					      (unsigned long long)app);
		}
		if (version == latest) {
			return CAMPO_OK;
		}
		if (version == 0) {
			status = pragma_int(
				s, "SELECT count(*) FROM sqlite_schema",
				&tables, diag);
			if (status != CAMPO_OK) {
				return status;
			}
			if (tables > 0) {
				return campo_diag_set(
					diag, CAMPO_ERR_INVALID,
					"not a campo collector database: it "
					"has tables but no campo schema");
			}
		}
		if (s->readonly) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "database schema version %lld is "
					      "older than this campo's (%d): "
					      "open it once for writing",
					      (long long)version, latest);
		}
		status = store_begin(s, diag);
		if (status != CAMPO_OK) {
			return status;
		}
		/* another process may have migrated while we waited */
		status = pragma_int(s, "PRAGMA user_version", &again, diag);
		if (status != CAMPO_OK || again != version) {
			store_rollback(s);
			if (status != CAMPO_OK) {
				return status;
			}
			continue;
		}
		for (sql = store_migrations[version].sql; *sql; sql++) {
			if (sqlite3_exec(s->db, *sql, NULL, NULL, NULL) !=
			    SQLITE_OK) {
				status = store_fail(
					s, sqlite3_extended_errcode(s->db),
					true, "cannot migrate the schema",
					diag);
				store_rollback(s);
				return status;
			}
		}
		if (store_migrations[version].fn) {
			status = store_migrations[version].fn(s, diag);
			if (status != CAMPO_OK) {
				store_rollback(s);
				return status;
			}
		}
		status = store_commit(s, diag);
		if (status != CAMPO_OK) {
			return status;
		}
	}
}

static enum campo_status device_load(struct campo_store *s,
				     struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = store_stmt(s, S_DEVICE_GET, &status, diag);
	const char **fields[4] = {
		&s->device.device_id,
		&s->device.device_name,
		&s->device.enumerator_name,
		&s->device.enumerator_code,
	};
	char *copy[4] = { NULL };
	int rc, i;

	if (!st) {
		return status;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		status = rc == SQLITE_DONE
				 ? campo_diag_set(diag, CAMPO_ERR_DB,
						  "the device row is missing")
				 : store_fail(s, rc, false,
					      "cannot read the device row",
					      diag);
		goto out_reset;
	}
	for (i = 0; i < 4; i++) {
		copy[i] = campo_strdup(store_col_text(st, i));
		if (!copy[i]) {
			status = CAMPO_ERR_NOMEM;
			goto out_free_copies;
		}
	}
	for (i = 0; i < 4; i++) {
		free(s->device_strs[i]);
		s->device_strs[i] = copy[i];
		*fields[i] = copy[i];
	}
	goto out_reset;
out_free_copies:
	for (i = 0; i < 4; i++) {
		free(copy[i]);
	}
out_reset:
	sqlite3_reset(st);
	return status;
}

static void read_boot_id(char out[40])
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	char buf[64] = "";

	if (f) {
		if (!fgets(buf, sizeof(buf), f)) {
			buf[0] = '\0';
		}
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	if (!campo_uuid_valid(buf, strlen(buf))) {
		/* no boot id: every process counts as a new boot, which
		 * only means elapsed time stops while campo is closed */
		if (campo_uuid_new(buf) != CAMPO_OK) {
			snprintf(buf, sizeof(buf), "unknown");
		}
	}
	snprintf(out, 40, "%s", buf);
}

static enum campo_status setup(struct campo_store *s,
			       const struct campo_store_options *o,
			       struct campo_diag *diag)
{
	enum campo_status status;
	int rc;

	sqlite3_extended_result_codes(s->db, 1);
	s->busy_timeout_ms = o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 5000;
	rc = sqlite3_busy_timeout(s->db, s->busy_timeout_ms);
	if (rc == SQLITE_OK) {
		rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
				       NULL);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
				       NULL);
	}
	if (rc != SQLITE_OK) {
		return store_fail(s, rc, false, "cannot configure SQLite",
				  diag);
	}
	status = pragma_int(s, "PRAGMA foreign_keys = ON", NULL, diag);
	if (status == CAMPO_OK && !s->readonly) {
		status = set_wal(s, diag);
	}
	if (status == CAMPO_OK) {
		/* one fsync per commit: an answer reported saved survives
		 * a power cut, not only a crash */
		status = pragma_int(s, "PRAGMA synchronous = FULL", NULL, diag);
	}
	if (status == CAMPO_OK) {
		status = migrate(s, diag);
	}
	if (status == CAMPO_OK) {
		status = device_load(s, diag);
	}
	return status;
}

enum campo_status campo_store_open(const char *path, unsigned flags,
				   struct campo_store **out,
				   struct campo_diag *diag)
{
	struct campo_store_options opts = { .flags = flags };

	return campo_store_open_opts(path, &opts, out, diag);
}

enum campo_status campo_store_open_opts(const char *path,
					const struct campo_store_options *opts,
					struct campo_store **out,
					struct campo_diag *diag)
{
	static const struct campo_store_options defaults = { 0 };
	const struct campo_store_options *o = opts ? opts : &defaults;
	enum campo_status status;
	struct campo_store *s;
	char *slash;
	int oflags, rc;

	*out = NULL;
	campo_diag_set_file(diag, path);
	if (!path || !*path) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "empty database path");
	}
	s = campo_calloc(1, sizeof(*s));
	if (!s) {
		return CAMPO_ERR_NOMEM;
	}
	s->readonly = o->flags & CAMPO_STORE_READONLY;
	s->min_free =
		o->min_free_bytes ? o->min_free_bytes : CAMPO_STORE_MIN_FREE;
	s->clock = o->clock ? o->clock : system_clock;
	s->clock_ctx = o->clock_ctx;
	if (o->boot_id) {
		snprintf(s->boot_id, sizeof(s->boot_id), "%s", o->boot_id);
	} else {
		read_boot_id(s->boot_id);
	}
	s->path = campo_strdup(path);
	s->dir = campo_strdup(path);
	if (!s->path || !s->dir) {
		status = CAMPO_ERR_NOMEM;
		goto out_close;
	}
	slash = strrchr(s->dir, '/');
	if (!slash) {
		strcpy(s->dir, ".");
	} else if (slash == s->dir) {
		slash[1] = '\0';
	} else {
		*slash = '\0';
	}
	if (!(o->flags & (CAMPO_STORE_READONLY | CAMPO_STORE_NOCREATE))) {
		status = campo_file_mkdirs(s->dir);
		if (status != CAMPO_OK) {
			campo_diag_set(diag, status,
				       "cannot create folder '%s': %s", s->dir,
				       strerror(errno));
			goto out_close;
		}
	}
	if (o->flags & CAMPO_STORE_READONLY) {
		oflags = SQLITE_OPEN_READONLY;
	} else if (o->flags & CAMPO_STORE_NOCREATE) {
		oflags = SQLITE_OPEN_READWRITE;
	} else {
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	}
	rc = sqlite3_open_v2(path, &s->db, oflags, o->vfs);
	if (rc != SQLITE_OK) {
		if (!s->db) {
			status = CAMPO_ERR_NOMEM;
		} else if (rc == SQLITE_CANTOPEN &&
			   !(oflags & SQLITE_OPEN_CREATE) &&
			   access(path, F_OK) != 0) {
			status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
						"no database here");
		} else {
			status = store_fail(s, rc, false, "cannot open", diag);
		}
		goto out_close;
	}
	status = setup(s, o, diag);
	if (status != CAMPO_OK) {
		goto out_close;
	}
	*out = s;
	return CAMPO_OK;
out_close:
	campo_store_close(s);
	return status;
}

void campo_store_close(struct campo_store *store)
{
	int i;

	if (!store) {
		return;
	}
	for (i = 0; i < S_NSTMT; i++) {
		sqlite3_finalize(store->stmts[i]);
	}
	/* every statement is finalized, so this cannot be SQLITE_BUSY */
	sqlite3_close(store->db);
	for (i = 0; i < 4; i++) {
		free(store->device_strs[i]);
	}
	free(store->path);
	free(store->dir);
	free(store);
}

const struct campo_store_device *
campo_store_device(const struct campo_store *store)
{
	return &store->device;
}

enum campo_status campo_store_device_set(struct campo_store *store,
					 const char *device_name,
					 const char *enumerator_name,
					 const char *enumerator_code,
					 struct campo_diag *diag)
{
	const char *args[3] = { device_name, enumerator_name, enumerator_code };
	static const char *const what[3] = { "device name", "enumerator name",
					     "enumerator code" };
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st;
	int rc = SQLITE_OK, i;

	for (i = 0; i < 3; i++) {
		if (args[i]) {
			status = store_check_text(args[i], strlen(args[i]),
						  CAMPO_STORE_TEXT_MAX, what[i],
						  diag);
			if (status != CAMPO_OK) {
				return status;
			}
		}
	}
	status = store_begin(store, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	st = store_stmt(store, S_DEVICE_SET, &status, diag);
	if (!st) {
		goto out_rollback;
	}
	for (i = 0; i < 3 && rc == SQLITE_OK; i++) {
		rc = store_bind_text(st, i + 1, args[i]);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		status = store_fail(store, rc, true,
				    "cannot change the device row", diag);
		goto out_rollback;
	}
	status = store_commit(store, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	return device_load(store, diag);
out_rollback:
	store_rollback(store);
	return status;
}

enum campo_status campo_store_setting_get(struct campo_store *store,
					  const char *key, char **value,
					  struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st;
	int rc;

	*value = NULL;
	st = store_stmt(store, S_SETTING_GET, &status, diag);
	if (!st) {
		return status;
	}
	rc = store_bind_text(st, 1, key);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		*value = campo_strdup(store_col_text(st, 0));
		status = *value ? CAMPO_OK : CAMPO_ERR_NOMEM;
	} else if (rc == SQLITE_DONE) {
		status = campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
					"setting '%s' is not set", key);
	} else {
		status = store_fail(store, rc, false, "cannot read a setting",
				    diag);
	}
	sqlite3_reset(st);
	return status;
}

enum campo_status campo_store_setting_set(struct campo_store *store,
					  const char *key, const char *value,
					  struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st;
	int rc;

	if (!key || !*key) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "empty setting name");
	}
	status = store_check_text(key, strlen(key), CAMPO_STORE_TEXT_MAX,
				  "setting name", diag);
	if (status == CAMPO_OK && value) {
		status = store_check_text(value, strlen(value),
					  CAMPO_STORE_VALUE_MAX,
					  "setting value", diag);
	}
	if (status != CAMPO_OK) {
		return status;
	}
	status = store_begin(store, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	st = store_stmt(store, value ? S_SETTING_SET : S_SETTING_DEL, &status,
			diag);
	if (!st) {
		goto out_rollback;
	}
	rc = store_bind_text(st, 1, key);
	if (rc == SQLITE_OK && value) {
		rc = store_bind_text(st, 2, value);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		status = store_fail(store, rc, true, "cannot save a setting",
				    diag);
		goto out_rollback;
	}
	return store_commit(store, diag);
out_rollback:
	store_rollback(store);
	return status;
}

enum campo_status campo_store_space_check(struct campo_store *store,
					  uint64_t *free_bytes,
					  struct campo_diag *diag)
{
	struct statvfs sv;
	uint64_t avail;

	if (statvfs(store->dir, &sv) != 0) {
		return campo_diag_set(diag, CAMPO_ERR_IO,
				      "cannot examine folder '%s': %s",
				      store->dir, strerror(errno));
	}
	avail = (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
	if (free_bytes) {
		*free_bytes = avail;
	}
	if (avail < store->min_free) {
		return campo_diag_set(
			diag, CAMPO_ERR_LIMIT,
			"only %llu KB free in '%s', %llu KB "
			"needed: free some space",
			(unsigned long long)(avail >> 10), store->dir,
			(unsigned long long)(store->min_free >> 10));
	}
	return CAMPO_OK;
}

enum campo_status campo_store_checkpoint(struct campo_store *store,
					 bool *complete,
					 struct campo_diag *diag)
{
	int rc, log = 0, done = 0;

	if (complete) {
		*complete = false;
	}
	/* TRUNCATE waits for readers through the busy handler: keep the
	 * session from hanging behind campo-syncd's read for seconds */
	sqlite3_busy_timeout(store->db, 200);
	rc = sqlite3_wal_checkpoint_v2(store->db, NULL,
				       SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
	sqlite3_busy_timeout(store->db, store->busy_timeout_ms);
	if (rc == SQLITE_BUSY) {
		return CAMPO_OK;
	}
	if (rc != SQLITE_OK) {
		return store_fail(store, rc, false, "cannot checkpoint", diag);
	}
	if (complete) {
		*complete = true;
	}
	return CAMPO_OK;
}

enum campo_status campo_store_data_version(struct campo_store *store,
					   uint64_t *version,
					   struct campo_diag *diag)
{
	enum campo_status status;
	int64_t v = 0;

	status = pragma_int(store, "PRAGMA data_version", &v, diag);
	*version = (uint64_t)v;
	return status;
}

enum campo_status campo_store_integrity_check(struct campo_store *store,
					      struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(store->db, "PRAGMA integrity_check", -1, &st,
				NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_ROW) {
		status = store_fail(store, rc, false, "cannot check integrity",
				    diag);
	} else if (strcmp(store_col_text(st, 0), "ok") != 0) {
		status = campo_diag_set(diag, CAMPO_ERR_DB,
					"integrity check failed: %s",
					store_col_text(st, 0));
	}
	sqlite3_finalize(st);
	return status;
}
