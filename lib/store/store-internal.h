/* SPDX-License-Identifier: MIT */
/* What the store's files share: the handle, cached statements, helpers. */
#ifndef CAMPO_STORE_INTERNAL_H
#define CAMPO_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Every statement the store runs, prepared once per store on first use. */
enum stmt {
	S_BEGIN,
	S_BEGIN_READ,
	S_COMMIT,
	S_ROLLBACK,
	S_SYNC_NORMAL,
	S_SYNC_FULL,
	S_DEVICE_GET,
	S_DEVICE_SET,
	S_SETTING_GET,
	S_SETTING_SET,
	S_SETTING_DEL,
	S_IV_FIND,
	S_IV_INSERT,
	S_IV_TOUCH,
	S_IV_POSITION,
	S_IV_LANGUAGE,
	S_IV_NAME,
	S_IV_FINALIZE,
	S_IV_STATUS,
	S_IV_REVISION_OF,
	S_RET_NOTE,
	S_RET_SET,
	S_IV_GET,
	S_IV_LIST,
	S_ANS_GET,
	S_ANS_PUT,
	S_ANS_DEL,
	S_ANS_ALL,
	S_ANS_COPY,
	S_ANS_AUDIT_RANGE,
	S_ANS_DEL_RANGE,
	S_ANS_RENAME_RANGE,
	S_REP_GET,
	S_REP_SET,
	S_REP_ALL,
	S_REP_COPY,
	S_REP_DEL_RANGE,
	S_REP_RENAME_RANGE,
	S_AUDIT_ADD,
	S_AUDIT_ALL,
	S_COUNT_ALL,
	S_COUNT_ENUMERATOR,
	S_COUNT_DAY,
	S_COUNT_FORM,
	S_OUTBOX_ADD,
	S_OUTBOX_PENDING,
	S_OUTBOX_ENTRY,
	S_OUTBOX_ASSIGN,
	S_OUTBOX_RELEASE,
	S_OUTBOX_BATCH,
	S_OUTBOX_AUDIT_SENT,
	S_OUTBOX_IV_SENT,
	S_OUTBOX_MARK,
	S_NSTMT
};

struct campo_store {
	sqlite3 *db;
	sqlite3_stmt *stmts[S_NSTMT];
	char *path;
	char *dir; /* the folder holding path, for statvfs */
	bool readonly;
	int busy_timeout_ms;
	uint64_t min_free;
	campo_store_clock_fn *clock;
	void *clock_ctx;
	char boot_id[40];
	/* the device row, kept in sync with the database by device_set */
	struct campo_store_device device;
	char *device_strs[4];
};

/* Returns the cached statement id, reset with no bindings, preparing it on
 * first use; NULL with *status and diag set on failure. */
sqlite3_stmt *store_stmt(struct campo_store *s, enum stmt id,
			 enum campo_status *status, struct campo_diag *diag);

/*
 * Maps SQLite result rc (from an operation described by what) to a status
 * with a message. writing: rc came from inside a write transaction, where
 * an I/O error means the outcome is unknown.
 */
enum campo_status store_fail(struct campo_store *s, int rc, bool writing,
			     const char *what, struct campo_diag *diag);

/* Binds text (NULL binds SQL NULL) or len bytes of text. Return SQLite
 * codes. */
int store_bind_text(sqlite3_stmt *st, int i, const char *text);
int store_bind_textn(sqlite3_stmt *st, int i, const char *text, size_t len);

/*
 * Steps st when *rc is SQLITE_OK (bindings done) or SQLITE_ROW (the last
 * row was read); returns whether a row is there. Afterwards *rc is
 * SQLITE_DONE, or the error:
 *   while (store_next(st, &rc)) { ... }
 */
bool store_next(sqlite3_stmt *st, int *rc);

/* Column text that is never NULL (""). */
const char *store_col_text(sqlite3_stmt *st, int i);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback only when a transaction is
 * open, never fails). */
enum campo_status store_begin(struct campo_store *s, struct campo_diag *diag);
enum campo_status store_commit(struct campo_store *s, struct campo_diag *diag);
void store_rollback(struct campo_store *s);

/* BEGIN (deferred): a consistent snapshot for several reads; end it with
 * store_rollback(). */
enum campo_status store_begin_read(struct campo_store *s,
				   struct campo_diag *diag);

/*
 * Binds values to st by types, one letter per parameter from ?1 on:
 * 'i' int64_t, 't' const char * (NULL: SQL NULL), 'n' const char * then
 * size_t length. Returns a SQLite code.
 */
int store_bindv(sqlite3_stmt *st, const char *types, va_list ap);

/* Runs write statement id with store_bindv() bindings to completion;
 * failures are reported as from inside a write transaction. */
enum campo_status store_exec(struct campo_store *s, enum stmt id,
			     const char *what, struct campo_diag *diag,
			     const char *types, ...);

/* The clocks: wall time formatted as ISO 8601 UTC, and monotonic ms. */
enum campo_status store_now(struct campo_store *s,
			    char at[CAMPO_STORE_TIME_LEN + 1], int64_t *mono,
			    struct campo_diag *diag);

/* Checks that text is at most max bytes of UTF-8 without NUL. */
enum campo_status store_check_text(const char *text, size_t len, size_t max,
				   const char *what, struct campo_diag *diag);

/* The migrations, oldest first; migration i takes user_version i to i + 1. */
struct store_migration {
	const char *const *sql; /* statements, NULL-terminated */
	enum campo_status (*fn)(struct campo_store *s, struct campo_diag *diag);
};
extern const struct store_migration store_migrations[];
extern const int store_nmigrations;
#define STORE_APPLICATION_ID 0x63616d63 /* "camc" */

/* A parsed key: segments with their names and indices (0: none). */
#define STORE_KEY_DEPTH 32
struct store_key {
	size_t n;
	size_t end[STORE_KEY_DEPTH];	  /* offset after each segment */
	size_t name_end[STORE_KEY_DEPTH]; /* offset after each name */
	uint32_t index[STORE_KEY_DEPTH];
};

/* Parses len bytes of key; false when not canonical or too deep. */
bool store_key_parse(const char *key, size_t len, struct store_key *k);

#endif
