/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/store: schema, interviews, answers, outbox, failures. */
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"
#include "store/store-internal.h"
#include "store/store.h"
#include "util/file.h"

#define FORM_ID "quilicura-census"

/* ----- helpers ----- */

struct fixture {
	char dir[4096];
	char path[4200];
	struct campo_store *store;
	struct campo_diag diag;
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s", campo_test_tmpdir());
	snprintf(f->path, sizeof(f->path), "%s/data/campo/collector.db",
		 f->dir);
}

static void fixture_open(struct fixture *f,
			 const struct campo_store_options *opts)
{
	enum campo_status status;

	status = campo_store_open_opts(f->path, opts, &f->store, &f->diag);
	ck_assert_msg(status == CAMPO_OK, "open: %s", f->diag.msg);
}

static void fixture_release(struct fixture *f)
{
	campo_store_close(f->store);
	f->store = NULL;
	ck_assert_int_eq(campo_file_remove_tree(f->dir), CAMPO_OK);
}

static void new_interview(struct campo_store *s,
			  char id[CAMPO_STORE_ID_LEN + 1],
			  const char *enumerator)
{
	struct campo_store_new_interview iv = {
		.form_id = FORM_ID,
		.form_version = "2024-05",
		.form_hash = "sha256:0123",
		.enumerator = enumerator,
	};
	struct campo_diag d = { 0 };

	ck_assert_int_eq(campo_store_instance_id_new(id), CAMPO_OK);
	iv.instance_id = id;
	ck_assert_msg(campo_store_interview_create(s, &iv, &d) == CAMPO_OK,
		      "create: %s", d.msg);
}

static void save(struct campo_store *s, const char *id, const char *key,
		 const char *value)
{
	struct campo_diag d = { 0 };
	enum campo_status status;

	status = campo_store_answer_save(s, id, key, value,
					 value ? strlen(value) : 0, &d);
	ck_assert_msg(status == CAMPO_OK, "save %s: %s", key, d.msg);
}

static struct campo_store_interview *get(struct campo_store *s, const char *id)
{
	struct campo_store_interview *iv = NULL;
	struct campo_diag d = { 0 };

	ck_assert_msg(campo_store_interview_get(s, id, CAMPO_STORE_GET_AUDIT,
						&iv, &d) == CAMPO_OK,
		      "get: %s", d.msg);
	return iv;
}

/* The answer at key, or NULL. */
static const char *answer(const struct campo_store_interview *iv,
			  const char *key)
{
	size_t i;

	for (i = 0; i < iv->n_answers; i++) {
		if (strcmp(iv->answers[i].key, key) == 0) {
			return iv->answers[i].value;
		}
	}
	return NULL;
}

static size_t count_events(const struct campo_store_interview *iv,
			   enum campo_store_event ev, const char *key)
{
	size_t i, n = 0;

	for (i = 0; i < iv->n_audit; i++) {
		if (iv->audit[i].event == ev &&
		    (!key || (iv->audit[i].key &&
			      strcmp(iv->audit[i].key, key) == 0))) {
			n++;
		}
	}
	return n;
}

static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	ck_assert_int_eq(
		sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
		SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Runs sql on a raw connection; returns SQLite's primary result code. */
static int raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc;

	ck_assert_int_eq(
		sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
		SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc & 0xff;
}

/* A clock the tests set by hand. */
struct fake_clock {
	int64_t wall, mono;
};

static int fake_now(void *ctx, int64_t *wall, int64_t *mono)
{
	struct fake_clock *c = ctx;

	*wall = c->wall;
	*mono = c->mono;
	return 0;
}

/* ----- a VFS that fails on demand: fsync errors and a full disk ----- */

static struct {
	int fail_sync;		/* fail every xSync while set */
	long long write_budget; /* bytes left to write; -1: no limit */
	int failed_syncs;
} shim = { 0, -1, 0 };

struct shim_file {
	sqlite3_file base;
	sqlite3_file *real;
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;

#define REAL(f) (((struct shim_file *)(f))->real)

static int shim_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int shim_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int shim_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	if (shim.write_budget >= 0) {
		if (n > shim.write_budget) {
			return SQLITE_FULL;
		}
		shim.write_budget -= n;
	}
	return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
	if (shim.fail_sync) {
		shim.failed_syncs++;
		return SQLITE_IOERR_FSYNC;
	}
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int shim_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int shim_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int shim_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int shim_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int shim_fcntl(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int shim_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int shim_dev(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int shim_shm_map(sqlite3_file *f, int pg, int sz, int ext,
			void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}

static int shim_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int shim_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods shim_io = {
	.iVersion = 3,
	.xClose = shim_close,
	.xRead = shim_read,
	.xWrite = shim_write,
	.xTruncate = shim_truncate,
	.xSync = shim_sync,
	.xFileSize = shim_size,
	.xLock = shim_lock,
	.xUnlock = shim_unlock,
	.xCheckReservedLock = shim_reserved,
	.xFileControl = shim_fcntl,
	.xSectorSize = shim_sector,
	.xDeviceCharacteristics = shim_dev,
	.xShmMap = shim_shm_map,
	.xShmLock = shim_shm_lock,
	.xShmBarrier = shim_shm_barrier,
	.xShmUnmap = shim_shm_unmap,
	.xFetch = shim_fetch,
	.xUnfetch = shim_unfetch,
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
		     int flags, int *out_flags)
{
	struct shim_file *f = (struct shim_file *)file;
	int rc;

	(void)vfs;
	f->real = (sqlite3_file *)(f + 1);
	rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
	file->pMethods = f->real->pMethods ? &shim_io : NULL;
	return rc;
}

static void shim_register(void)
{
	if (real_vfs) {
		return;
	}
	real_vfs = sqlite3_vfs_find(NULL);
	ck_assert_ptr_nonnull(real_vfs);
	shim_vfs = *real_vfs;
	shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
	shim_vfs.zName = "campo-test-shim";
	shim_vfs.xOpen = shim_open;
	shim_vfs.pNext = NULL;
	ck_assert_int_eq(sqlite3_vfs_register(&shim_vfs, 0), SQLITE_OK);
}

/* ----- schema ----- */

START_TEST(open_creates_schema_and_reopens)
{
	struct fixture f;
	char device[CAMPO_UUID_LEN + 1];
	struct stat st;

	fixture_init(&f);
	fixture_open(&f, NULL);
	/* parents made, WAL, version, identity */
	ck_assert_int_eq(stat(f.path, &st), 0);
	ck_assert_str_eq(campo_store_device(f.store)->device_name, "");
	snprintf(device, sizeof(device), "%s",
		 campo_store_device(f.store)->device_id);
	ck_assert(campo_uuid_valid(device, strlen(device)));
	ck_assert_int_eq(raw_int(f.path, "PRAGMA user_version"),
			 campo_store_schema_version());
	ck_assert_int_eq(raw_int(f.path, "PRAGMA application_id"),
			 STORE_APPLICATION_ID);
	ck_assert_int_eq(raw_int(f.path, "SELECT journal_mode = 'wal' FROM"
					 " pragma_journal_mode"),
			 1);
	ck_assert_int_eq(campo_store_device_set(f.store, "laptop 3", "Ana",
						"E07", &f.diag),
			 CAMPO_OK);
	campo_store_close(f.store);
	fixture_open(&f, NULL);
	/* the identity is made once and kept */
	ck_assert_str_eq(campo_store_device(f.store)->device_id, device);
	ck_assert_str_eq(campo_store_device(f.store)->device_name, "laptop 3");
	ck_assert_str_eq(campo_store_device(f.store)->enumerator_code, "E07");
	ck_assert_int_eq(campo_store_integrity_check(f.store, &f.diag),
			 CAMPO_OK);
	fixture_release(&f);
}
END_TEST

START_TEST(open_migrates_an_empty_file)
{
	struct fixture f;
	FILE *fp;

	fixture_init(&f);
	snprintf(f.path, sizeof(f.path), "%s/empty.db", f.dir);
	fp = fopen(f.path, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
	fixture_open(&f, NULL);
	campo_store_close(f.store);
	f.store = NULL;
	ck_assert_int_eq(raw_int(f.path, "PRAGMA user_version"),
			 campo_store_schema_version());
	ck_assert_int_eq(raw_int(f.path, "SELECT count(*) FROM device"), 1);
	fixture_release(&f);
}
END_TEST

START_TEST(open_refuses_newer_and_foreign_files)
{
	struct campo_store_options ro = { .flags = CAMPO_STORE_NOCREATE };
	struct campo_store *s = NULL;
	struct fixture f;

	fixture_init(&f);
	ck_assert_int_eq(campo_store_open_opts(f.path, &ro, &s, &f.diag),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_ptr_null(s);
	fixture_open(&f, NULL);
	campo_store_close(f.store);
	f.store = NULL;
	ck_assert_int_eq(raw_exec(f.path, "PRAGMA user_version = 99"),
			 SQLITE_OK);
	ck_assert_int_eq(campo_store_open(f.path, 0, &s, &f.diag),
			 CAMPO_ERR_INVALID);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(f.diag.msg, "newer"), "%s", f.diag.msg);

	snprintf(f.path, sizeof(f.path), "%s/other.db", f.dir);
	{
		sqlite3 *db;

		ck_assert_int_eq(sqlite3_open(f.path, &db), SQLITE_OK);
		ck_assert_int_eq(
			sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL),
			SQLITE_OK);
		sqlite3_close(db);
	}
	ck_assert_int_eq(campo_store_open(f.path, 0, &s, &f.diag),
			 CAMPO_ERR_INVALID);
	ck_assert_msg(strstr(f.diag.msg, "not a campo"), "%s", f.diag.msg);
	fixture_release(&f);
}
END_TEST

START_TEST(settings_round_trip)
{
	struct fixture f;
	char *v = NULL;

	fixture_init(&f);
	fixture_open(&f, NULL);
	ck_assert_int_eq(campo_store_setting_get(f.store, "lang", &v, &f.diag),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(campo_store_setting_set(f.store, "lang", "ht", NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_setting_set(f.store, "lang", "es", NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_setting_get(f.store, "lang", &v, NULL),
			 CAMPO_OK);
	ck_assert_str_eq(v, "es");
	free(v);
	ck_assert_int_eq(campo_store_setting_set(f.store, "lang", NULL, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_setting_get(f.store, "lang", &v, NULL),
			 CAMPO_ERR_NOTFOUND);
	fixture_release(&f);
}
END_TEST

/* ----- keys ----- */

static const struct {
	const char *key;
	enum campo_store_key_kind kind;
	bool ok;
} key_cases[] = {
	{ "age", CAMPO_STORE_KEY_ANSWER, true },
	{ "household/member[2]/age", CAMPO_STORE_KEY_ANSWER, true },
	{ "member[12]/trip[1]/country", CAMPO_STORE_KEY_ANSWER, true },
	{ "member[2]", CAMPO_STORE_KEY_INSTANCE, true },
	{ "member[2]", CAMPO_STORE_KEY_ANSWER, false },
	{ "age", CAMPO_STORE_KEY_INSTANCE, false },
	{ "member[2]/age", CAMPO_STORE_KEY_ANY, true },
	{ "", CAMPO_STORE_KEY_ANY, false },
	{ "/age", CAMPO_STORE_KEY_ANY, false },
	{ "age/", CAMPO_STORE_KEY_ANY, false },
	{ "a//b", CAMPO_STORE_KEY_ANY, false },
	{ "member[0]/age", CAMPO_STORE_KEY_ANY, false },
	{ "member[02]/age", CAMPO_STORE_KEY_ANY, false },
	{ "member[]/age", CAMPO_STORE_KEY_ANY, false },
	{ "member[2", CAMPO_STORE_KEY_ANY, false },
	{ "member[2]x", CAMPO_STORE_KEY_ANY, false },
	{ "member[1234567890]", CAMPO_STORE_KEY_ANY, false },
	{ "1st", CAMPO_STORE_KEY_ANY, false },
	{ "a b", CAMPO_STORE_KEY_ANY, false },
	{ "_x.y-z", CAMPO_STORE_KEY_ANY, true },
	{ "edad\xc3\xa9", CAMPO_STORE_KEY_ANY, false },
};

START_TEST(key_grammar)
{
	ck_assert_msg(campo_store_key_valid(
			      key_cases[_i].key, strlen(key_cases[_i].key),
			      key_cases[_i].kind) == key_cases[_i].ok,
		      "key '%s'", key_cases[_i].key);
}
END_TEST

/* ----- interviews and answers ----- */

START_TEST(interview_keeps_the_collecting_device)
{
	const char *other_dev = "d0d0d0d0-0000-4000-8000-00000000000a";
	struct campo_store_new_interview iv = {
		.form_id = FORM_ID,
		.form_version = "1",
		.form_hash = "",
		.device_id = other_dev,
	};
	char id[CAMPO_STORE_ID_LEN + 1], mine[CAMPO_STORE_ID_LEN + 1];
	struct campo_store_interview *got;
	struct fixture f;

	fixture_init(&f);
	fixture_open(&f, NULL);
	ck_assert_int_eq(campo_store_instance_id_new(id), CAMPO_OK);
	iv.instance_id = id;
	ck_assert_int_eq(campo_store_interview_create(f.store, &iv, &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_interview_get(f.store, id, 0, &got, NULL),
			 CAMPO_OK);
	ck_assert_str_eq(got->info.device_id, other_dev);
	campo_store_interview_free(got);
	/* no device given: this device's */
	new_interview(f.store, mine, NULL);
	ck_assert_int_eq(
		campo_store_interview_get(f.store, mine, 0, &got, NULL),
		CAMPO_OK);
	ck_assert_str_eq(got->info.device_id,
			 campo_store_device(f.store)->device_id);
	campo_store_interview_free(got);
	/* a device id must be a UUID */
	ck_assert_int_eq(campo_store_instance_id_new(id), CAMPO_OK);
	iv.device_id = "laptop-3";
	ck_assert_int_eq(campo_store_interview_create(f.store, &iv, &f.diag),
			 CAMPO_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(f.diag.msg, "not a UUID"));
	fixture_release(&f);
}
END_TEST

START_TEST(interview_create_is_idempotent_and_resumes)
{
	struct campo_store_new_interview other = {
		.form_id = "other-form",
		.form_version = "1",
		.form_hash = "x",
	};
	char id[CAMPO_STORE_ID_LEN + 1];
	struct campo_store_interview *iv;
	struct fixture f;

	fixture_init(&f);
	fixture_open(&f, NULL);
	ck_assert_int_eq(
		campo_store_device_set(f.store, NULL, NULL, "E07", NULL),
		CAMPO_OK);
	new_interview(f.store, id, NULL);
	/* the same call again changes nothing; another form conflicts */
	{
		struct campo_store_new_interview again = {
			.instance_id = id,
			.form_id = FORM_ID,
			.form_version = "2024-05",
			.form_hash = "sha256:0123",
		};

		ck_assert_int_eq(
			campo_store_interview_create(f.store, &again, NULL),
			CAMPO_OK);
	}
	other.instance_id = id;
	ck_assert_int_eq(campo_store_interview_create(f.store, &other, NULL),
			 CAMPO_ERR_CONFLICT);
	other.instance_id = "uuid:nope";
	ck_assert_int_eq(campo_store_interview_create(f.store, &other, NULL),
			 CAMPO_ERR_INVALID);

	/* a position inside a repeat needs the instance */
	ck_assert_int_eq(campo_store_interview_move(f.store, id,
						    "member[2]/age", &f.diag),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_store_interview_move(f.store, id, "head_name", NULL),
		CAMPO_OK);
	ck_assert_int_eq(campo_store_repeat_add(f.store, id, "member[2]", NULL),
			 CAMPO_OK);
	ck_assert_int_eq(
		campo_store_interview_move(f.store, id, "member[2]/age", NULL),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_interview_move(f.store, id, "member[2]/age", NULL),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_interview_language_set(f.store, id, "ht", NULL),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_interview_name_set(f.store, id, "Casa 12", NULL),
		CAMPO_OK);
	campo_store_close(f.store);
	f.store = NULL;

	fixture_open(&f, NULL);
	ck_assert_int_eq(campo_store_interview_resume(f.store, id, NULL),
			 CAMPO_OK);
	iv = get(f.store, id);
	ck_assert_str_eq(iv->info.position, "member[2]/age");
	ck_assert_str_eq(iv->info.language, "ht");
	ck_assert_str_eq(iv->info.instance_name, "Casa 12");
	ck_assert_str_eq(iv->info.enumerator, "E07");
	ck_assert_str_eq(iv->info.device_id,
			 campo_store_device(f.store)->device_id);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_DRAFT);
	ck_assert_uint_eq(iv->info.revision, 1);
	ck_assert_str_eq(iv->info.deprecated_id, "");
	ck_assert_int_eq(iv->info.finalized_ms, -1);
	ck_assert_uint_eq(strlen(iv->info.started_at), CAMPO_STORE_TIME_LEN);
	ck_assert_uint_eq(iv->n_repeats, 1);
	ck_assert_str_eq(iv->repeats[0].key, "member");
	ck_assert_uint_eq(iv->repeats[0].count, 2);
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_STARTED, NULL), 1);
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_RESUMED, NULL), 1);
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_REPEAT_ADDED, NULL),
			  2);
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_QUESTION_ENTERED,
				       "member[2]/age"),
			  1);
	ck_assert_uint_eq(
		count_events(iv, CAMPO_STORE_EV_QUESTION_LEFT, "head_name"), 1);
	ck_assert_uint_eq(
		count_events(iv, CAMPO_STORE_EV_LANGUAGE_SWITCHED, NULL), 1);
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

START_TEST(answer_save_overwrite_clear_with_audit)
{
	char id[CAMPO_STORE_ID_LEN + 1];
	struct campo_store_interview *iv;
	struct fixture f;
	size_t i, n = 0;

	fixture_init(&f);
	fixture_open(&f, NULL);
	new_interview(f.store, id, "E01");
	save(f.store, id, "head_name", "Ana");
	save(f.store, id, "head_name",
	     "Ana Mar\xc3\xad"
	     "a");
	save(f.store, id, "head_name",
	     "Ana Mar\xc3\xad"
	     "a"); /* unchanged */
	save(f.store, id, "income", "1234.5");
	save(f.store, id, "head_name", NULL);
	save(f.store, id, "head_name", NULL);
	ck_assert_int_eq(
		campo_store_answer_save(f.store, id, "x", "a\xff", 2, &f.diag),
		CAMPO_ERR_INVALID);
	ck_assert_int_eq(campo_store_answer_save(f.store, id, "member[1]/age",
						 "3", 1, &f.diag),
			 CAMPO_ERR_INVALID);
	ck_assert_msg(strstr(f.diag.msg, "member[1]"), "%s", f.diag.msg);
	ck_assert_int_eq(
		campo_store_answer_save(f.store, id, "member[1]", "3", 1, NULL),
		CAMPO_ERR_INVALID);
	{
		char other[CAMPO_STORE_ID_LEN + 1];

		campo_store_instance_id_new(other);
		ck_assert_int_eq(campo_store_answer_save(f.store, other, "x",
							 "1", 1, NULL),
				 CAMPO_ERR_NOTFOUND);
	}

	iv = get(f.store, id);
	ck_assert_uint_eq(iv->n_answers, 1);
	ck_assert_str_eq(iv->answers[0].key, "income");
	ck_assert_str_eq(iv->answers[0].value, "1234.5");
	ck_assert_ptr_null(answer(iv, "head_name"));
	for (i = 0; i < iv->n_audit; i++) {
		const struct campo_store_audit *a = &iv->audit[i];

		if (a->event != CAMPO_STORE_EV_ANSWER_CHANGED ||
		    strcmp(a->key, "head_name") != 0) {
			continue;
		}
		switch (n++) {
		case 0:
			ck_assert_ptr_null(a->old_value);
			ck_assert_str_eq(a->new_value, "Ana");
			break;
		case 1:
			ck_assert_str_eq(a->old_value, "Ana");
			ck_assert_str_eq(a->new_value, "Ana Mar\xc3\xad"
						       "a");
			break;
		default:
			ck_assert_str_eq(a->old_value, "Ana Mar\xc3\xad"
						       "a");
			ck_assert_ptr_null(a->new_value);
			break;
		}
		ck_assert_uint_eq(strlen(a->at), CAMPO_STORE_TIME_LEN);
		ck_assert_int_ge(a->elapsed_ms, 0);
	}
	ck_assert_uint_eq(n, 3);
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

START_TEST(repeat_remove_renumbers_later_instances)
{
	char id[CAMPO_STORE_ID_LEN + 1];
	struct campo_store_interview *iv;
	struct fixture f;

	fixture_init(&f);
	fixture_open(&f, NULL);
	new_interview(f.store, id, "E01");
	ck_assert_int_eq(campo_store_repeat_add(f.store, id, "member[3]", NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_repeat_add(f.store, id, "member[2]", NULL),
			 CAMPO_OK); /* exists already */
	save(f.store, id, "member[1]/age", "30");
	save(f.store, id, "member[2]/age", "40");
	save(f.store, id, "member[3]/age", "50");
	ck_assert_int_eq(
		campo_store_repeat_add(f.store, id, "member[3]/trip[1]", NULL),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_repeat_add(f.store, id, "member[2]/trip[1]", NULL),
		CAMPO_OK);
	save(f.store, id, "member[3]/trip[1]/country", "PE");
	save(f.store, id, "member[2]/trip[1]/country", "HT");
	save(f.store, id, "member_count", "3");

	ck_assert_int_eq(
		campo_store_repeat_remove(f.store, id, "member[4]", 3, &f.diag),
		CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_store_repeat_remove(f.store, id, "member[2]", 6, &f.diag),
		CAMPO_ERR_CONFLICT);
	ck_assert_int_eq(
		campo_store_repeat_remove(f.store, id, "member[2]", 3, &f.diag),
		CAMPO_OK);
	/* re-applied after an unknown outcome: already done */
	ck_assert_int_eq(
		campo_store_repeat_remove(f.store, id, "member[2]", 3, &f.diag),
		CAMPO_OK);
	iv = get(f.store, id);
	ck_assert_uint_eq(iv->n_answers, 4);
	ck_assert_str_eq(answer(iv, "member[1]/age"), "30");
	ck_assert_str_eq(answer(iv, "member[2]/age"), "50");
	ck_assert_str_eq(answer(iv, "member[2]/trip[1]/country"), "PE");
	ck_assert_str_eq(answer(iv, "member_count"), "3");
	ck_assert_ptr_null(answer(iv, "member[3]/age"));
	ck_assert_uint_eq(iv->n_repeats, 2);
	ck_assert_str_eq(iv->repeats[0].key, "member");
	ck_assert_uint_eq(iv->repeats[0].count, 2);
	ck_assert_str_eq(iv->repeats[1].key, "member[2]/trip");
	ck_assert_uint_eq(iv->repeats[1].count, 1);
	/* the removed answers are in the audit trail */
	ck_assert_uint_eq(
		count_events(iv, CAMPO_STORE_EV_REPEAT_REMOVED, "member[2]"),
		1);
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_ANSWER_CHANGED,
				       "member[2]/trip[1]/country"),
			  2);
	ck_assert_str_eq(iv->audit[iv->n_audit - 1].old_value, "3");
	ck_assert_str_eq(iv->audit[iv->n_audit - 1].new_value, "2");
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

START_TEST(elapsed_time_survives_clock_changes_and_reboots)
{
	struct fake_clock clock = { .wall = 1714564800000, .mono = 1000 };
	struct campo_store_options o = { .clock = fake_now,
					 .clock_ctx = &clock,
					 .boot_id = "boot-a" };
	char id[CAMPO_STORE_ID_LEN + 1];
	struct campo_store_interview *iv;
	struct fixture f;

	fixture_init(&f);
	fixture_open(&f, &o);
	new_interview(f.store, id, "E01");
	clock.mono += 500;
	clock.wall -= 3600 * 1000; /* someone set the clock back an hour */
	save(f.store, id, "a", "1");
	campo_store_close(f.store);
	/* a reboot: the monotonic clock starts again */
	o.boot_id = "boot-b";
	clock.mono = 10;
	fixture_open(&f, &o);
	save(f.store, id, "a", "2");
	clock.mono = 30;
	save(f.store, id, "a", "3");
	iv = get(f.store, id);
	ck_assert_str_eq(iv->info.started_at, "2024-05-01T12:00:00.000Z");
	ck_assert_str_eq(iv->info.updated_at, "2024-05-01T11:00:00.000Z");
	ck_assert_int_eq(iv->info.updated_ms, 520);
	ck_assert_int_eq(iv->audit[0].elapsed_ms, 0);
	ck_assert_int_eq(iv->audit[1].elapsed_ms, 500);
	ck_assert_int_eq(iv->audit[2].elapsed_ms, 500);
	ck_assert_int_eq(iv->audit[3].elapsed_ms, 520);
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

/* ----- finalize, frozen interviews, outbox ----- */

static enum campo_status
collect_outbox(void *ctx, const struct campo_store_outbox_entry *e)
{
	struct campo_store_outbox_entry *out = ctx;

	out->seq = e->seq;
	ck_assert_str_eq(e->instance_id, out->instance_id);
	ck_assert_uint_eq(strlen(e->queued_at), CAMPO_STORE_TIME_LEN);
	out->batch_id = *e->batch_id ? "assigned" : "";
	return CAMPO_OK;
}

START_TEST(finalize_freezes_and_queues)
{
	char id[CAMPO_STORE_ID_LEN + 1], hash[CAMPO_STORE_HASH_LEN + 1];
	char again[CAMPO_STORE_HASH_LEN + 1], batch[CAMPO_UUID_LEN + 1];
	char other[CAMPO_UUID_LEN + 1];
	struct campo_store_outbox_entry e = { .seq = -1 };
	struct campo_store_interview *iv;
	struct fixture f;
	size_t marked = 99;

	fixture_init(&f);
	fixture_open(&f, NULL);
	new_interview(f.store, id, "E01");
	ck_assert_int_eq(campo_store_repeat_add(f.store, id, "member[1]", NULL),
			 CAMPO_OK);
	save(f.store, id, "member[1]/age", "30");
	ck_assert_int_eq(
		campo_store_interview_finalize(f.store, id, hash, &f.diag),
		CAMPO_OK);
	ck_assert_uint_eq(strlen(hash), CAMPO_STORE_HASH_LEN);
	ck_assert_int_eq(strncmp(hash, "sha256:", 7), 0);
	ck_assert_int_eq(
		campo_store_interview_finalize(f.store, id, again, NULL),
		CAMPO_OK);
	ck_assert_str_eq(hash, again);

	/* frozen: the store refuses */
	ck_assert_int_eq(campo_store_answer_save(f.store, id, "member[1]/age",
						 "31", 2, &f.diag),
			 CAMPO_ERR_INVALID);
	ck_assert_msg(strstr(f.diag.msg, "finalized"), "%s", f.diag.msg);
	ck_assert_int_eq(campo_store_repeat_add(f.store, id, "member[2]", NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(campo_store_interview_move(f.store, id, "x", NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(campo_store_interview_discard(f.store, id, NULL),
			 CAMPO_ERR_INVALID);

	/* ... and so does SQL that does not come from the store */
	ck_assert_int_eq(raw_exec(f.path, "UPDATE answers SET value = 'x'"),
			 SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec(f.path, "DELETE FROM answers"),
			 SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec(f.path, "INSERT INTO answers SELECT id,"
					  " 'y', '1' FROM interviews"),
			 SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec(f.path, "UPDATE repeats SET count = 5"),
			 SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec(f.path, "UPDATE interviews"
					  " SET content_hash = 'x'"),
			 SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec(f.path, "UPDATE interviews"
					  " SET status = 'draft'"),
			 SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec(f.path, "DELETE FROM interviews"),
			 SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec(f.path, "UPDATE audit SET at = ''"),
			 SQLITE_CONSTRAINT);
	ck_assert_int_eq(raw_exec(f.path, "DELETE FROM audit"),
			 SQLITE_CONSTRAINT);

	/* the outbox: pending, in a batch, sent */
	e.instance_id = id;
	ck_assert_int_eq(campo_store_outbox_pending(f.store, 0, collect_outbox,
						    &e, NULL),
			 CAMPO_OK);
	ck_assert_int_ge(e.seq, 1);
	ck_assert_str_eq(e.batch_id, "");
	campo_uuid_new(batch);
	campo_uuid_new(other);
	ck_assert_int_eq(
		campo_store_outbox_mark_sent(f.store, batch, &marked, NULL),
		CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(
		campo_store_outbox_assign(f.store, batch, &e.seq, 1, NULL),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_outbox_assign(f.store, batch, &e.seq, 1, NULL),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_outbox_assign(f.store, other, &e.seq, 1, NULL),
		CAMPO_ERR_CONFLICT);
	ck_assert_int_eq(campo_store_outbox_pending(f.store, 1, collect_outbox,
						    &e, NULL),
			 CAMPO_OK);
	ck_assert_str_eq(e.batch_id, "assigned");
	ck_assert_int_eq(
		campo_store_outbox_mark_sent(f.store, batch, &marked, &f.diag),
		CAMPO_OK);
	ck_assert_uint_eq(marked, 1);
	ck_assert_int_eq(
		campo_store_outbox_mark_sent(f.store, batch, &marked, NULL),
		CAMPO_OK);
	ck_assert_uint_eq(marked, 0);
	e.seq = -1;
	ck_assert_int_eq(campo_store_outbox_pending(f.store, 0, collect_outbox,
						    &e, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(e.seq, -1);

	iv = get(f.store, id);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_SENT);
	ck_assert_str_eq(iv->info.content_hash, hash);
	ck_assert_uint_eq(strlen(iv->info.finalized_at), CAMPO_STORE_TIME_LEN);
	ck_assert_int_ge(iv->info.finalized_ms, 0);
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_FINALIZED, NULL), 1);
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_SENT, NULL), 1);
	ck_assert_str_eq(answer(iv, "member[1]/age"), "30");
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

START_TEST(revise_after_finalize)
{
	char id[CAMPO_STORE_ID_LEN + 1], rev[CAMPO_STORE_ID_LEN + 1];
	char rev2[CAMPO_STORE_ID_LEN + 1];
	char h1[CAMPO_STORE_HASH_LEN + 1], h2[CAMPO_STORE_HASH_LEN + 1];
	struct campo_store_interview *iv;
	struct fixture f;

	fixture_init(&f);
	fixture_open(&f, NULL);
	new_interview(f.store, id, "E01");
	save(f.store, id, "a", "1");
	campo_store_instance_id_new(rev);
	campo_store_instance_id_new(rev2);
	ck_assert_int_eq(campo_store_interview_revise(f.store, id, rev, NULL),
			 CAMPO_ERR_INVALID); /* a draft */
	ck_assert_int_eq(campo_store_interview_finalize(f.store, id, h1, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(
		campo_store_interview_revise(f.store, id, rev, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(campo_store_interview_revise(f.store, id, rev, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_interview_revise(f.store, id, rev2, NULL),
			 CAMPO_ERR_CONFLICT);
	save(f.store, rev, "a", "2");
	ck_assert_int_eq(campo_store_interview_finalize(f.store, rev, h2, NULL),
			 CAMPO_OK);
	ck_assert_str_ne(h1, h2);
	iv = get(f.store, rev);
	ck_assert_uint_eq(iv->info.revision, 2);
	ck_assert_str_eq(iv->info.deprecated_id, id);
	ck_assert_str_eq(answer(iv, "a"), "2");
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_REVISED, NULL), 1);
	campo_store_interview_free(iv);
	iv = get(f.store, id);
	ck_assert_str_eq(answer(iv, "a"), "1");
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

struct returned_rows {
	size_t n;
	char note[64];
};

static enum campo_status collect_returned(void *ctx,
					  const struct campo_store_summary *row)
{
	struct returned_rows *r = ctx;

	r->n++;
	snprintf(r->note, sizeof(r->note), "%s", row->return_note);
	return CAMPO_OK;
}

static enum campo_status count_outbox(void *ctx,
				      const struct campo_store_outbox_entry *e)
{
	size_t *n = ctx;

	(void)e;
	(*n)++;
	return CAMPO_OK;
}

START_TEST(return_marks_returned_with_a_note)
{
	char id[CAMPO_STORE_ID_LEN + 1], rev[CAMPO_STORE_ID_LEN + 1];
	char draft[CAMPO_STORE_ID_LEN + 1], none[CAMPO_STORE_ID_LEN + 1];
	const char *note = "Edad de María: revisar";
	struct campo_store_interview *iv;
	struct returned_rows rows = { 0 };
	char big[CAMPO_STORE_NOTE_MAX + 2];
	struct fixture f;
	size_t n = 0;

	fixture_init(&f);
	fixture_open(&f, NULL);
	new_interview(f.store, id, "E01");
	save(f.store, id, "a", "1");
	new_interview(f.store, draft, "E01");
	campo_store_instance_id_new(none);
	/* a draft cannot be returned, an unknown id is not found */
	ck_assert_int_eq(campo_store_interview_return(f.store, id, note, NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_store_interview_return(f.store, none, note, &f.diag),
		CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(campo_store_interview_return(f.store, "x", note, NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_store_interview_finalize(f.store, id, NULL, NULL),
		CAMPO_OK);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(campo_store_interview_return(f.store, id, big, NULL),
			 CAMPO_ERR_LIMIT);
	ck_assert_int_eq(
		campo_store_interview_return(f.store, id, "\xff", NULL),
		CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_store_interview_return(f.store, id, note, &f.diag),
		CAMPO_OK);
	/* idempotent: the same note again writes nothing */
	ck_assert_int_eq(campo_store_interview_return(f.store, id, note, NULL),
			 CAMPO_OK);
	iv = get(f.store, id);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_RETURNED);
	ck_assert_str_eq(iv->info.return_note, note);
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_RETURNED, NULL), 1);
	ck_assert_str_eq(iv->audit[iv->n_audit - 1].new_value, note);
	ck_assert_str_eq(campo_store_event_name(CAMPO_STORE_EV_RETURNED),
			 "returned");
	campo_store_interview_free(iv);
	/* a second return with another note replaces it, audited */
	ck_assert_int_eq(
		campo_store_interview_return(f.store, id, "otra", NULL),
		CAMPO_OK);
	iv = get(f.store, id);
	ck_assert_str_eq(iv->info.return_note, "otra");
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_RETURNED, NULL), 2);
	ck_assert_str_eq(iv->audit[iv->n_audit - 1].old_value, note);
	campo_store_interview_free(iv);
	/* the list shows it with its note; a draft has none */
	ck_assert_int_eq(campo_store_interview_list(
				 f.store, 1u << CAMPO_STORE_RETURNED, NULL,
				 collect_returned, &rows, &f.diag),
			 CAMPO_OK);
	ck_assert_uint_eq(rows.n, 1);
	ck_assert_str_eq(rows.note, "otra");
	ck_assert_int_eq(campo_store_interview_list(
				 f.store, 1u << CAMPO_STORE_DRAFT, NULL,
				 collect_returned, &rows, &f.diag),
			 CAMPO_OK);
	ck_assert_str_eq(rows.note, "");
	/* the frozen answers stay frozen */
	ck_assert_int_eq(
		campo_store_answer_save(f.store, id, "a", "2", 1, NULL),
		CAMPO_ERR_INVALID);
	/* corrected through a revision, whose finalize queues it */
	campo_store_instance_id_new(rev);
	ck_assert_int_eq(
		campo_store_interview_revise(f.store, id, rev, &f.diag),
		CAMPO_OK);
	save(f.store, rev, "a", "2");
	ck_assert_int_eq(
		campo_store_interview_finalize(f.store, rev, NULL, NULL),
		CAMPO_OK);
	iv = get(f.store, rev);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_FINALIZED);
	ck_assert_str_eq(iv->info.deprecated_id, id);
	ck_assert_str_eq(iv->info.return_note, "");
	campo_store_interview_free(iv);
	ck_assert_int_eq(campo_store_outbox_pending(f.store, 0, count_outbox,
						    &n, &f.diag),
			 CAMPO_OK);
	ck_assert_uint_eq(n, 2); /* the original (never sent) and rev */
	/* a returned interview is still frozen for SQL from elsewhere */
	campo_store_close(f.store);
	f.store = NULL;
	ck_assert_int_ne(raw_exec(f.path, "UPDATE interviews SET status ="
					  " 'draft' WHERE status = 'returned'"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(f.path, "DELETE FROM audit WHERE event ="
					  " 'returned'"),
			 SQLITE_OK);
	fixture_release(&f);
}
END_TEST

START_TEST(return_after_sent)
{
	char id[CAMPO_STORE_ID_LEN + 1], batch[CAMPO_UUID_LEN + 1];
	struct campo_store_interview *iv;
	struct fixture f;
	int64_t seq = 1;

	fixture_init(&f);
	fixture_open(&f, NULL);
	new_interview(f.store, id, "E01");
	ck_assert_int_eq(
		campo_store_interview_finalize(f.store, id, NULL, NULL),
		CAMPO_OK);
	ck_assert_int_eq(campo_uuid_new(batch), CAMPO_OK);
	ck_assert_int_eq(
		campo_store_outbox_assign(f.store, batch, &seq, 1, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_outbox_mark_sent(f.store, batch, NULL, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_interview_return(f.store, id, NULL, &f.diag),
		CAMPO_OK);
	iv = get(f.store, id);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_RETURNED);
	ck_assert_str_eq(iv->info.return_note, "");
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

/* A database written by campo before schema version 2 (made from
 * tests/data/store/v1.sql) opens, migrates, keeps every row and takes a
 * return. */
START_TEST(migrates_a_v1_database)
{
	const char *old = "uuid:11111111-1111-4111-8111-111111111111";
	char rev[CAMPO_STORE_ID_LEN + 1];
	struct campo_store_options ro = { .flags = CAMPO_STORE_READONLY };
	struct campo_store_interview *iv;
	struct campo_store *s = NULL;
	struct fixture f;
	char *sql = NULL;
	size_t len;
	sqlite3 *db;

	fixture_init(&f);
	ck_assert_int_eq(campo_file_mkdirs(f.dir), CAMPO_OK);
	snprintf(f.path, sizeof(f.path), "%s/v1.db", f.dir);
	ck_assert_int_eq(campo_file_read(campo_test_data("store/v1.sql"),
					 1u << 20, &sql, &len, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(sqlite3_open(f.path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(sql);
	ck_assert_int_eq(raw_int(f.path, "PRAGMA user_version"), 1);
	ck_assert_int_eq(raw_int(f.path, "SELECT count(*) FROM audit"), 25);
	/* read-only, an old file is refused, not half-read */
	ck_assert_int_eq(campo_store_open_opts(f.path, &ro, &s, &f.diag),
			 CAMPO_ERR_INVALID);
	fixture_open(&f, NULL);
	ck_assert_int_eq(raw_int(f.path, "PRAGMA user_version"),
			 campo_store_schema_version());
	ck_assert_int_eq(campo_store_schema_version(), 2);
	ck_assert_int_eq(raw_int(f.path, "SELECT count(*) FROM audit"), 25);
	ck_assert_int_eq(raw_int(f.path, "SELECT count(*) FROM interviews"), 2);
	ck_assert_int_eq(raw_int(f.path, "SELECT count(*) FROM sqlite_schema"
					 " WHERE type = 'trigger' AND"
					 " name LIKE 'audit_%'"),
			 3);
	ck_assert_int_eq(campo_store_integrity_check(f.store, &f.diag),
			 CAMPO_OK);
	iv = get(f.store, old);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_FINALIZED);
	ck_assert_uint_gt(iv->n_audit, 0);
	campo_store_interview_free(iv);
	ck_assert_int_eq(
		campo_store_interview_return(f.store, old, "mal", &f.diag),
		CAMPO_OK);
	campo_store_instance_id_new(rev);
	ck_assert_int_eq(
		campo_store_interview_revise(f.store, old, rev, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_store_interview_finalize(f.store, rev, NULL, &f.diag),
		CAMPO_OK);
	iv = get(f.store, old);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_RETURNED);
	ck_assert_str_eq(iv->info.return_note, "mal");
	campo_store_interview_free(iv);
	/* the frozen audit is still append-only after the rebuild */
	campo_store_close(f.store);
	f.store = NULL;
	ck_assert_int_ne(raw_exec(f.path, "DELETE FROM audit"), SQLITE_OK);
	ck_assert_int_ne(raw_exec(f.path, "INSERT INTO audit(interview, event,"
					  " at) VALUES (1, 'resumed', 'x')"),
			 SQLITE_OK);
	fixture_release(&f);
}
END_TEST

struct counts {
	char keys[8][32];
	uint64_t n[8][CAMPO_STORE_NSTATUS];
	size_t rows;
};

static enum campo_status collect_counts(void *ctx, const char *key,
					const uint64_t n[CAMPO_STORE_NSTATUS])
{
	struct counts *c = ctx;

	ck_assert_uint_lt(c->rows, 8);
	snprintf(c->keys[c->rows], sizeof(c->keys[0]), "%s", key);
	memcpy(c->n[c->rows], n, sizeof(c->n[0]));
	c->rows++;
	return CAMPO_OK;
}

static enum campo_status count_rows(void *ctx,
				    const struct campo_store_summary *row)
{
	size_t *n = ctx;

	ck_assert_str_eq(row->form_id, FORM_ID);
	(*n)++;
	return CAMPO_OK;
}

START_TEST(counts_and_lists)
{
	struct fake_clock clock = { .wall = 1714564800000, .mono = 1 };
	struct campo_store_options o = { .clock = fake_now,
					 .clock_ctx = &clock };
	char a[CAMPO_STORE_ID_LEN + 1], b[CAMPO_STORE_ID_LEN + 1];
	char c[CAMPO_STORE_ID_LEN + 1];
	struct counts n = { 0 };
	struct fixture f;
	size_t rows = 0;

	fixture_init(&f);
	fixture_open(&f, &o);
	new_interview(f.store, a, "E01");
	new_interview(f.store, b, "E01");
	clock.wall += 86400 * 1000;
	new_interview(f.store, c, "E02");
	ck_assert_int_eq(campo_store_interview_finalize(f.store, b, NULL, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_interview_discard(f.store, c, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_interview_discard(f.store, c, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_answer_save(f.store, c, "a", "1", 1, NULL),
			 CAMPO_ERR_INVALID);

	ck_assert_int_eq(campo_store_count(f.store, CAMPO_STORE_BY_ALL,
					   collect_counts, &n, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(n.rows, 1);
	ck_assert_uint_eq(n.n[0][CAMPO_STORE_DRAFT], 1);
	ck_assert_uint_eq(n.n[0][CAMPO_STORE_FINALIZED], 1);
	ck_assert_uint_eq(n.n[0][CAMPO_STORE_DISCARDED], 1);
	memset(&n, 0, sizeof(n));
	ck_assert_int_eq(campo_store_count(f.store, CAMPO_STORE_BY_ENUMERATOR,
					   collect_counts, &n, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(n.rows, 2);
	ck_assert_str_eq(n.keys[0], "E01");
	ck_assert_uint_eq(n.n[0][CAMPO_STORE_DRAFT], 1);
	ck_assert_uint_eq(n.n[0][CAMPO_STORE_FINALIZED], 1);
	ck_assert_str_eq(n.keys[1], "E02");
	ck_assert_uint_eq(n.n[1][CAMPO_STORE_DISCARDED], 1);
	memset(&n, 0, sizeof(n));
	ck_assert_int_eq(campo_store_count(f.store, CAMPO_STORE_BY_DAY,
					   collect_counts, &n, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(n.rows, 2);
	ck_assert_str_eq(n.keys[0], "2024-05-01");
	ck_assert_uint_eq(
		n.n[0][CAMPO_STORE_DRAFT] + n.n[0][CAMPO_STORE_FINALIZED], 2);
	ck_assert_str_eq(n.keys[1], "2024-05-02");

	ck_assert_int_eq(campo_store_interview_list(f.store, 0, NULL,
						    count_rows, &rows, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(rows, 3);
	rows = 0;
	ck_assert_int_eq(
		campo_store_interview_list(f.store,
					   1u << CAMPO_STORE_DRAFT |
						   1u << CAMPO_STORE_FINALIZED,
					   FORM_ID, count_rows, &rows, NULL),
		CAMPO_OK);
	ck_assert_uint_eq(rows, 2);
	rows = 0;
	ck_assert_int_eq(campo_store_interview_list(f.store, 0, "nope",
						    count_rows, &rows, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(rows, 0);
	fixture_release(&f);
}
END_TEST

START_TEST(space_check_and_checkpoint)
{
	struct campo_store_options o = { .min_free_bytes = 1ull << 62 };
	char id[CAMPO_STORE_ID_LEN + 1], wal[4300];
	struct fixture f;
	struct stat st;
	uint64_t avail = 0;
	bool done = false;

	fixture_init(&f);
	fixture_open(&f, NULL);
	ck_assert_int_eq(campo_store_space_check(f.store, &avail, &f.diag),
			 CAMPO_OK);
	ck_assert_uint_gt(avail, 0);
	new_interview(f.store, id, "E01");
	save(f.store, id, "a", "1");
	snprintf(wal, sizeof(wal), "%s-wal", f.path);
	ck_assert_int_eq(stat(wal, &st), 0);
	ck_assert_int_gt(st.st_size, 0);
	ck_assert_int_eq(campo_store_checkpoint(f.store, &done, &f.diag),
			 CAMPO_OK);
	ck_assert(done);
	ck_assert_int_eq(stat(wal, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	campo_store_close(f.store);
	fixture_open(&f, &o);
	ck_assert_int_eq(campo_store_space_check(f.store, NULL, &f.diag),
			 CAMPO_ERR_LIMIT);
	ck_assert_msg(strstr(f.diag.msg, "free"), "%s", f.diag.msg);
	fixture_release(&f);
}
END_TEST

/* ----- failures: fsync, full disk, kill -9 ----- */

/*
 * A move (where the draft stands) commits without an fsync, and the answer
 * after it syncs again: with every fsync failing, the move succeeds and the
 * answer is "not known to be saved".
 */
START_TEST(move_commits_without_fsync_answers_still_sync)
{
	struct campo_store_options o = { .vfs = "campo-test-shim" };
	char id[CAMPO_STORE_ID_LEN + 1];
	struct campo_store_interview *iv;
	struct fixture f;

	shim_register();
	fixture_init(&f);
	fixture_open(&f, &o);
	new_interview(f.store, id, "E01");
	shim.fail_sync = 1;
	shim.failed_syncs = 0;
	ck_assert_int_eq(campo_store_interview_move(f.store, id, "a", &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(shim.failed_syncs, 0);
	ck_assert_int_eq(
		campo_store_answer_save(f.store, id, "a", "1", 1, &f.diag),
		CAMPO_ERR_UNKNOWN);
	ck_assert_int_gt(shim.failed_syncs, 0);
	shim.fail_sync = 0;
	save(f.store, id, "a", "1");
	iv = get(f.store, id);
	ck_assert_str_eq(iv->info.position, "a");
	ck_assert_str_eq(answer(iv, "a"), "1");
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

START_TEST(fsync_failure_is_unknown_and_reapplies_idempotently)
{
	struct campo_store_options o = { .vfs = "campo-test-shim" };
	char id[CAMPO_STORE_ID_LEN + 1];
	struct campo_store_interview *iv;
	struct fixture f;

	shim_register();
	fixture_init(&f);
	fixture_open(&f, &o);
	new_interview(f.store, id, "E01");
	save(f.store, id, "a", "1");
	shim.fail_sync = 1;
	ck_assert_int_eq(
		campo_store_answer_save(f.store, id, "b", "2", 1, &f.diag),
		CAMPO_ERR_UNKNOWN);
	ck_assert_msg(strstr(f.diag.msg, "not known to be saved"), "%s",
		      f.diag.msg);
	ck_assert_int_gt(shim.failed_syncs, 0);
	shim.fail_sync = 0;
	/* the caller re-applies: one answer, one audit row */
	save(f.store, id, "b", "2");
	save(f.store, id, "b", "2");
	iv = get(f.store, id);
	ck_assert_str_eq(answer(iv, "a"), "1");
	ck_assert_str_eq(answer(iv, "b"), "2");
	ck_assert_uint_eq(count_events(iv, CAMPO_STORE_EV_ANSWER_CHANGED, "b"),
			  1);
	campo_store_interview_free(iv);
	ck_assert_int_eq(campo_store_integrity_check(f.store, &f.diag),
			 CAMPO_OK);
	fixture_release(&f);
}
END_TEST

/*
 * A process saves answers, an fsync fails, and it dies without closing the
 * database: after a restart with the normal VFS every answer reported
 * saved is there, and the unknown one is there or not, and re-applying it
 * leaves exactly one audit row for it.
 */
START_TEST(fsync_failure_then_crash_then_restart)
{
	struct campo_store_options o = { .vfs = "campo-test-shim" };
	char id[CAMPO_STORE_ID_LEN + 1], key[16], val[16];
	struct campo_store_interview *iv;
	struct fixture f;
	int i, wstatus, unknown_present = 0;
	pid_t pid;

	shim_register();
	fixture_init(&f);
	fixture_open(&f, NULL);
	new_interview(f.store, id, "E01");
	campo_store_close(f.store);
	f.store = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct campo_store *s = NULL;

		if (campo_store_open_opts(f.path, &o, &s, NULL) != CAMPO_OK) {
			_exit(2);
		}
		for (i = 1; i <= 20; i++) {
			snprintf(key, sizeof(key), "q%d", i);
			snprintf(val, sizeof(val), "%d", i);
			if (campo_store_answer_save(s, id, key, val,
						    strlen(val),
						    NULL) != CAMPO_OK) {
				_exit(3);
			}
		}
		shim.fail_sync = 1;
		if (campo_store_answer_save(s, id, "q21", "21", 2, NULL) !=
		    CAMPO_ERR_UNKNOWN) {
			_exit(4);
		}
		raise(SIGKILL); /* no close: the process dies */
		_exit(5);
	}
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert_msg(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL,
		      "child status %d", wstatus);
	fixture_open(&f, NULL);
	ck_assert_int_eq(campo_store_integrity_check(f.store, &f.diag),
			 CAMPO_OK);
	iv = get(f.store, id);
	for (i = 1; i <= 20; i++) {
		snprintf(key, sizeof(key), "q%d", i);
		snprintf(val, sizeof(val), "%d", i);
		ck_assert_ptr_nonnull(answer(iv, key));
		ck_assert_str_eq(answer(iv, key), val);
	}
	unknown_present = answer(iv, "q21") != NULL;
	campo_store_interview_free(iv);
	save(f.store, id, "q21", "21");
	iv = get(f.store, id);
	ck_assert_str_eq(answer(iv, "q21"), "21");
	ck_assert_uint_eq(
		count_events(iv, CAMPO_STORE_EV_ANSWER_CHANGED, "q21"), 1);
	campo_store_interview_free(iv);
	fprintf(stderr,
		"fsync failure then crash: unknown answer %s after "
		"restart\n",
		unknown_present ? "present" : "absent");
	fixture_release(&f);
}
END_TEST

START_TEST(full_disk_stops_cleanly)
{
	struct campo_store_options o = { .vfs = "campo-test-shim" };
	char id[CAMPO_STORE_ID_LEN + 1], key[16], val[1024];
	struct campo_store_interview *iv;
	struct fixture f;
	enum campo_status status = CAMPO_OK;
	int i, saved = 0;

	shim_register();
	fixture_init(&f);
	fixture_open(&f, &o);
	new_interview(f.store, id, "E01");
	memset(val, 'x', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	shim.write_budget = 1024 * 1024;
	for (i = 1; i <= 10000; i++) {
		snprintf(key, sizeof(key), "q%d", i);
		status = campo_store_answer_save(f.store, id, key, val,
						 strlen(val), &f.diag);
		if (status != CAMPO_OK) {
			break;
		}
		saved = i;
	}
	ck_assert_int_eq(status, CAMPO_ERR_IO);
	ck_assert_msg(strstr(f.diag.msg, "disk is full"), "%s", f.diag.msg);
	ck_assert_int_gt(saved, 10);
	/* still full: still refused, nothing half-written */
	ck_assert_int_eq(
		campo_store_answer_save(f.store, id, "late", "1", 1, NULL),
		CAMPO_ERR_IO);
	shim.write_budget = -1; /* space freed */
	save(f.store, id, "late", "1");
	campo_store_close(f.store);
	f.store = NULL;

	fixture_open(&f, NULL);
	ck_assert_int_eq(campo_store_integrity_check(f.store, &f.diag),
			 CAMPO_OK);
	iv = get(f.store, id);
	for (i = 1; i <= saved; i++) {
		snprintf(key, sizeof(key), "q%d", i);
		ck_assert_ptr_nonnull(answer(iv, key));
	}
	snprintf(key, sizeof(key), "q%d", saved + 1);
	ck_assert_ptr_null(answer(iv, key));
	ck_assert_str_eq(answer(iv, "late"), "1");
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_DRAFT);
	campo_store_interview_free(iv);
	fixture_release(&f);
}
END_TEST

/* Saves answers until killed, writing each acknowledged number to fd. */
static void kill_child(const char *path, const char *id, int fd)
{
	struct campo_store *s = NULL;
	char key[32], val[32];
	int i;

	if (campo_store_open(path, 0, &s, NULL) != CAMPO_OK) {
		_exit(2);
	}
	for (i = 1;; i++) {
		snprintf(key, sizeof(key), "q%d", i);
		snprintf(val, sizeof(val), "v%d", i);
		if (campo_store_answer_save(s, id, key, val, strlen(val),
					    NULL) != CAMPO_OK) {
			_exit(3);
		}
		if (write(fd, &i, sizeof(i)) != (ssize_t)sizeof(i)) {
			_exit(4);
		}
	}
}

START_TEST(kill_nine_loses_no_acknowledged_answer)
{
	char id[CAMPO_STORE_ID_LEN + 1], key[32], val[32];
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	struct campo_store_interview *iv;
	struct fixture f;
	int round, total = 0;

	fixture_init(&f);
	for (round = 0; round < 20; round++) {
		int fds[2], acked = 0, n, wstatus;
		pid_t pid;

		fixture_open(&f, NULL);
		new_interview(f.store, id, "E01");
		campo_store_close(f.store);
		f.store = NULL;
		ck_assert_int_eq(pipe(fds), 0);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			close(fds[0]);
			kill_child(f.path, id, fds[1]);
		}
		close(fds[1]);
		usleep(5000 + (useconds_t)(rand_r(&seed) % 150000));
		kill(pid, SIGKILL);
		while (read(fds[0], &n, sizeof(n)) == (ssize_t)sizeof(n)) {
			ck_assert_int_eq(n, acked + 1);
			acked = n;
		}
		close(fds[0]);
		ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
		ck_assert(WIFSIGNALED(wstatus));

		fixture_open(&f, NULL);
		ck_assert_int_eq(campo_store_integrity_check(f.store, &f.diag),
				 CAMPO_OK);
		iv = get(f.store, id);
		for (n = 1; n <= acked; n++) {
			snprintf(key, sizeof(key), "q%d", n);
			snprintf(val, sizeof(val), "v%d", n);
			ck_assert_msg(answer(iv, key),
				      "round %d: answer %d of "
				      "%d acknowledged is lost",
				      round, n, acked);
			ck_assert_str_eq(answer(iv, key), val);
		}
		/* at most the one in flight beyond the acknowledged */
		ck_assert_uint_le(iv->n_answers, (size_t)acked + 1);
		campo_store_interview_free(iv);
		campo_store_close(f.store);
		f.store = NULL;
		total += acked;
	}
	fprintf(stderr,
		"kill -9: 20 rounds, %d acknowledged answers, none "
		"lost\n",
		total);
	ck_assert_int_gt(total, 0);
	fixture_release(&f);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");
	TCase *faults = tcase_create("faults");

	tcase_add_test(tc, open_creates_schema_and_reopens);
	tcase_add_test(tc, open_migrates_an_empty_file);
	tcase_add_test(tc, open_refuses_newer_and_foreign_files);
	tcase_add_test(tc, settings_round_trip);
	tcase_add_loop_test(tc, key_grammar, 0,
			    (int)(sizeof(key_cases) / sizeof(key_cases[0])));
	tcase_add_test(tc, interview_keeps_the_collecting_device);
	tcase_add_test(tc, interview_create_is_idempotent_and_resumes);
	tcase_add_test(tc, answer_save_overwrite_clear_with_audit);
	tcase_add_test(tc, repeat_remove_renumbers_later_instances);
	tcase_add_test(tc, elapsed_time_survives_clock_changes_and_reboots);
	tcase_add_test(tc, finalize_freezes_and_queues);
	tcase_add_test(tc, revise_after_finalize);
	tcase_add_test(tc, return_marks_returned_with_a_note);
	tcase_add_test(tc, return_after_sent);
	tcase_add_test(tc, migrates_a_v1_database);
	tcase_add_test(tc, counts_and_lists);
	tcase_add_test(tc, space_check_and_checkpoint);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tcase_add_test(faults,
		       fsync_failure_is_unknown_and_reapplies_idempotently);
	tcase_add_test(faults, move_commits_without_fsync_answers_still_sync);
	tcase_add_test(faults, fsync_failure_then_crash_then_restart);
	tcase_add_test(faults, full_disk_stops_cleanly);
	tcase_add_test(faults, kill_nine_loses_no_acknowledged_answer);
	tcase_set_timeout(faults, 100);
	suite_add_tcase(s, faults);
	return s;
}

int main(void)
{
	return campo_test_run(store_suite());
}
