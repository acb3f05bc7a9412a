/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/store/hub: devices and tokens, batch merges, conflicts,
 * forks, one transaction per batch, the audit trail, on real files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "store/hub.h"
#include "store/store.h"
#include "util/file.h"
#include "util/sha256.h"
#include "wire/wire.h"

#define MAXREV 8

/* ----- fixture ----- */

struct fixture {
	char dir[4096];
	char path[4200];
	struct campo_hub *hub;
	struct campo_diag diag;
};

static void fixture_init(struct fixture *f)
{
	enum campo_status status;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s", campo_test_tmpdir());
	snprintf(f->path, sizeof(f->path), "%s/hub.db", f->dir);
	status = campo_hub_open(f->path, true, &f->hub, &f->diag);
	ck_assert_msg(status == CAMPO_OK, "open: %s", f->diag.msg);
}

static void fixture_reopen(struct fixture *f)
{
	enum campo_status status;

	campo_hub_close(f->hub);
	status = campo_hub_open(f->path, false, &f->hub, &f->diag);
	ck_assert_msg(status == CAMPO_OK, "reopen: %s", f->diag.msg);
}

static void fixture_release(struct fixture *f)
{
	campo_hub_close(f->hub);
	f->hub = NULL;
	ck_assert_int_eq(campo_file_remove_tree(f->dir), CAMPO_OK);
}

struct counts {
	int64_t batches, revisions, interviews, conflicts;
};

static struct counts counts(struct campo_hub *hub)
{
	struct counts c = { -1, -1, -1, -1 };
	struct campo_diag d = { 0 };

	ck_assert_msg(campo_hub_counts(hub, &c.batches, &c.revisions,
				       &c.interviews, &c.conflicts,
				       &d) == CAMPO_OK,
		      "counts: %s", d.msg);
	return c;
}

#define ck_counts(hub, b, r, i, c)                                            \
	do {                                                                  \
		struct counts got_ = counts(hub);                             \
		ck_assert_msg(got_.batches == (b) && got_.revisions == (r) && \
				      got_.interviews == (i) &&               \
				      got_.conflicts == (c),                  \
			      "counts: batches %lld revisions %lld "          \
			      "interviews %lld conflicts %lld",               \
			      (long long)got_.batches,                        \
			      (long long)got_.revisions,                      \
			      (long long)got_.interviews,                     \
			      (long long)got_.conflicts);                     \
	} while (0)

/* ----- revisions and batches, built as lib/wire builds them ----- */

static char form_id[] = "census", form_version[] = "2026-01",
	    form_hash[] = "sha256:0000", enumerator[] = "E01",
	    device_id[] = "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11",
	    status_finalized[] = "finalized",
	    started_at[] = "2026-11-25T09:00:00.000Z",
	    finalized_at[] = "2026-11-25T09:10:00.000Z", key[] = "name";

/* One interview revision with one answer, "name" = value. */
struct trev {
	char id[48], dep[48], value[64];
	char hash[CAMPO_WIRE_HASH_LEN + 1];
	struct campo_wire_answer answer;
	struct campo_wire_interview iv;
	struct campo_hub_revision rev;
	char *data;
};

/* Instance id "uuid:00000000-0000-4000-8000-<n as 12 digits>". */
static void instance_id(char out[48], unsigned n)
{
	snprintf(out, 48, "uuid:00000000-0000-4000-8000-%012u", n);
}

static void trev_init(struct trev *t, unsigned n, unsigned replaces,
		      const char *value, const char *audit)
{
	struct campo_diag d = { 0 };
	struct campo_buf b;

	memset(t, 0, sizeof(*t));
	instance_id(t->id, n);
	if (replaces) {
		instance_id(t->dep, replaces);
	}
	snprintf(t->value, sizeof(t->value), "%s", value);
	t->answer.key = key;
	t->answer.value = t->value;
	t->iv = (struct campo_wire_interview){
		.instance_id = t->id,
		.deprecated_id = t->dep,
		.revision = replaces ? 2 : 1,
		.form_id = form_id,
		.form_version = form_version,
		.form_hash = form_hash,
		.enumerator = enumerator,
		.device_id = device_id,
		.status = status_finalized,
		.started_at = started_at,
		.finalized_at = finalized_at,
		.finalized_ms = 1000,
		.content_hash = t->hash,
		.answers = &t->answer,
		.n_answers = 1,
	};
	campo_wire_content_hash(&t->iv, t->hash);
	campo_buf_init(&b, 1u << 16);
	ck_assert_int_eq(campo_wire_data_json(&t->iv, &b, &d), CAMPO_OK);
	t->data = campo_buf_detach(&b, NULL);
	ck_assert_ptr_nonnull(t->data);
	t->rev = (struct campo_hub_revision){
		.instance_id = t->id,
		.deprecated_id = t->dep,
		.revision = t->iv.revision,
		.device_id = device_id,
		.form_id = form_id,
		.form_version = form_version,
		.content_hash = t->hash,
		.status = status_finalized,
		.enumerator = enumerator,
		.started_at = started_at,
		.finalized_at = finalized_at,
		.data_json = t->data,
		.audit_json = audit,
	};
}

struct tbatch {
	char id[40];
	char digest[CAMPO_WIRE_HASH_LEN + 1];
	char body_hash[CAMPO_WIRE_HASH_LEN + 1];
	struct trev r[MAXREV];
	struct campo_hub_revision revs[MAXREV];
	struct campo_wire_interview ivs[MAXREV];
	size_t n;
	struct campo_hub_batch hb;
};

static void tbatch_init(struct tbatch *b, unsigned n, const char *device)
{
	memset(b, 0, sizeof(*b));
	snprintf(b->id, sizeof(b->id), "11111111-1111-4111-8111-%012u", n);
	b->hb.batch_id = b->id;
	b->hb.device_name = device;
	b->hb.device_id = device_id;
	b->hb.digest = b->digest;
	b->hb.body_hash = b->body_hash;
	b->hb.revisions = b->revs;
}

/* Adds revision n (replacing revision `replaces`, 0 for none) with answer
 * value and audit (may be NULL). */
static void tbatch_add(struct tbatch *b, unsigned n, unsigned replaces,
		       const char *value, const char *audit)
{
	ck_assert_uint_lt(b->n, MAXREV);
	trev_init(&b->r[b->n], n, replaces, value, audit);
	b->n++;
}

/* Fixes the batch's digest once its revisions are added. */
static void tbatch_seal(struct tbatch *b)
{
	struct campo_wire_batch wb = { 0 };
	size_t i;

	for (i = 0; i < b->n; i++) {
		b->revs[i] = b->r[i].rev;
		b->ivs[i] = b->r[i].iv;
	}
	wb.batch_id = b->id;
	wb.device_id = device_id;
	wb.interviews = b->ivs;
	wb.n_interviews = b->n;
	ck_assert_int_eq(campo_wire_batch_digest(&wb, b->digest), CAMPO_OK);
	snprintf(b->body_hash, sizeof(b->body_hash), "%s", b->digest);
	b->hb.n = b->n;
}

static void tbatch_release(struct tbatch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->r[i].data);
	}
}

/* The acknowledgement writer: records what it was told, counts its calls
 * (so a second acknowledgement for a batch would differ from the first)
 * and fails on demand. */
struct ack_ctx {
	int calls;
	enum campo_status fail;
	enum campo_hub_outcome out[MAXREV];
	size_t n;
};

static enum campo_status write_ack(void *ctx,
				   const enum campo_hub_outcome *outcomes,
				   size_t n, char **ack)
{
	struct ack_ctx *a = ctx;
	char text[256];
	size_t i, len;

	a->calls++;
	if (a->fail != CAMPO_OK) {
		return a->fail;
	}
	ck_assert_uint_le(n, MAXREV);
	a->n = n;
	len = (size_t)snprintf(text, sizeof(text), "{\"call\":%d,\"o\":\"",
			       a->calls);
	for (i = 0; i < n; i++) {
		a->out[i] = outcomes[i];
		text[len++] = "ndc"[outcomes[i]];
	}
	snprintf(text + len, sizeof(text) - len, "\"}");
	*ack = strdup(text);
	return *ack ? CAMPO_OK : CAMPO_ERR_NOMEM;
}

/* Merges b; returns the status, *ack (caller frees) and *repeat. */
static enum campo_status merge(struct fixture *f, struct tbatch *b,
			       struct ack_ctx *a, char **ack, bool *repeat)
{
	memset(&f->diag, 0, sizeof(f->diag));
	return campo_hub_batch_merge(f->hub, &b->hb, write_ack, a, ack, repeat,
				     &f->diag);
}

/* Merges b, which must be merged now (not a repeat); returns the
 * outcomes' letters (n, d, c) in batch order, in out. */
static void merge_ok(struct fixture *f, struct tbatch *b, char *out)
{
	struct ack_ctx a = { 0 };
	char *ack = NULL;
	bool repeat = true;
	size_t i;

	ck_assert_msg(merge(f, b, &a, &ack, &repeat) == CAMPO_OK, "merge: %s",
		      f->diag.msg);
	ck_assert(!repeat);
	ck_assert_int_eq(a.calls, 1);
	ck_assert_uint_eq(a.n, b->n);
	for (i = 0; i < b->n; i++) {
		out[i] = "ndc"[a.out[i]];
	}
	out[b->n] = '\0';
	free(ack);
}

/* The stored revisions of one instance id. */
struct stored {
	size_t n;
	bool conflict[4];
	char value[4][64];
	char hash[4][CAMPO_WIRE_HASH_LEN + 1];
	char batch[4][40];
	char audit[4][256];
	bool audit_null[4];
};

static enum campo_status collect(void *ctx, const struct campo_hub_stored *r)
{
	struct stored *s = ctx;

	ck_assert_uint_lt(s->n, 4);
	s->conflict[s->n] = r->conflict;
	snprintf(s->value[s->n], 64, "%s", r->rev.data_json);
	snprintf(s->hash[s->n], sizeof(s->hash[0]), "%s", r->rev.content_hash);
	snprintf(s->batch[s->n], 40, "%s", r->batch_id);
	s->audit_null[s->n] = r->rev.audit_json == NULL;
	snprintf(s->audit[s->n], 256, "%s",
		 r->rev.audit_json ? r->rev.audit_json : "");
	s->n++;
	return CAMPO_OK;
}

static struct stored stored(struct campo_hub *hub, unsigned n)
{
	struct stored s = { 0 };
	struct campo_diag d = { 0 };
	char id[48];

	instance_id(id, n);
	ck_assert_msg(campo_hub_revision_list(hub, id, collect, &s, &d) ==
			      CAMPO_OK,
		      "revision list: %s", d.msg);
	return s;
}

/* ----- opening ----- */

START_TEST(test_open)
{
	struct campo_diag d = { 0 };
	struct campo_hub *hub = NULL;
	struct campo_store *store = NULL;
	char dir[4096], path[4200];

	snprintf(dir, sizeof(dir), "%s", campo_test_tmpdir());

	/* missing, without create */
	snprintf(path, sizeof(path), "%s/none.db", dir);
	ck_assert_int_eq(campo_hub_open(path, false, &hub, &d),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_ptr_null(hub);

	/* an empty file is not a hub database yet, and is left alone */
	snprintf(path, sizeof(path), "%s/empty.db", dir);
	ck_assert_int_eq(campo_file_write_atomic(path, "", 0, NULL), CAMPO_OK);
	ck_assert_int_eq(campo_hub_open(path, false, &hub, &d),
			 CAMPO_ERR_NOTFOUND);

	/* not SQLite at all */
	snprintf(path, sizeof(path), "%s/text.db", dir);
	ck_assert_int_eq(
		campo_file_write_atomic(
			path, "this is not a database, not at all\n", 35, NULL),
		CAMPO_OK);
	ck_assert_int_eq(campo_hub_open(path, true, &hub, &d),
			 CAMPO_ERR_INVALID);
	ck_assert_ptr_null(hub);

	/* a collector's database is not a hub's */
	snprintf(path, sizeof(path), "%s/collector.db", dir);
	ck_assert_int_eq(campo_store_open(path, 0, &store, &d), CAMPO_OK);
	campo_store_close(store);
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(campo_hub_open(path, true, &hub, &d),
			 CAMPO_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(d.msg, "not a campo hub database"));

	/* created, then opened again without create */
	snprintf(path, sizeof(path), "%s/hub.db", dir);
	ck_assert_int_eq(campo_hub_open(path, true, &hub, &d), CAMPO_OK);
	campo_hub_close(hub);
	ck_assert_int_eq(campo_hub_open(path, false, &hub, &d), CAMPO_OK);
	campo_hub_close(hub);
	campo_hub_close(NULL);
	ck_assert_int_eq(campo_file_remove_tree(dir), CAMPO_OK);
}
END_TEST

/* Another program's SQLite file (no application id, its own tables) is
 * refused, never given our tables; made with the sqlite3 shell, which
 * tests/integration already requires. */
START_TEST(test_open_foreign)
{
	struct campo_diag d = { 0 };
	struct campo_hub *hub = NULL;
	char dir[4096], path[4200], cmd[8600];

	if (system("command -v sqlite3 >/dev/null 2>&1") != 0) {
		return; /* no shell to make the file with */
	}
	snprintf(dir, sizeof(dir), "%s", campo_test_tmpdir());
	snprintf(path, sizeof(path), "%s/other.db", dir);
	snprintf(cmd, sizeof(cmd),
		 "sqlite3 '%s' 'CREATE TABLE notes(x); "
		 "INSERT INTO notes VALUES (1);'",
		 path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(campo_hub_open(path, true, &hub, &d),
			 CAMPO_ERR_INVALID);
	snprintf(cmd, sizeof(cmd),
		 "test \"$(sqlite3 '%s' \"SELECT count(*) FROM "
		 "sqlite_master\")\" = 1",
		 path);
	ck_assert_msg(system(cmd) == 0, "tables added to a foreign file");
	ck_assert_int_eq(campo_file_remove_tree(dir), CAMPO_OK);
}
END_TEST

/* ----- devices and tokens ----- */

/* A token as campo-hub makes one: 32 random bytes as hex; the hub hashes
 * the bytes. Here the bytes are fixed. */
static void token_hash(uint8_t seed, uint8_t raw[32],
		       uint8_t hash[CAMPO_HUB_TOKEN_HASH_LEN])
{
	size_t i;

	for (i = 0; i < 32; i++) {
		raw[i] = (uint8_t)(seed * 31u + i * 7u + 1u);
	}
	campo_sha256_sum(raw, 32, hash);
}

static bool contains(const char *hay, size_t n, const void *needle, size_t len)
{
	size_t i;

	for (i = 0; i + len <= n; i++) {
		if (!memcmp(hay + i, needle, len)) {
			return true;
		}
	}
	return false;
}

START_TEST(test_device_token_hash_only)
{
	struct fixture f;
	uint8_t raw[32], hash[32];
	char hex[65], *file = NULL;
	size_t len = 0, i;

	fixture_init(&f);
	token_hash(1, raw, hash);
	for (i = 0; i < 32; i++) {
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	}
	ck_assert_int_eq(campo_hub_device_add(f.hub, "tablet-1", hash, &f.diag),
			 CAMPO_OK);
	/* closing checkpoints the WAL into the file */
	campo_hub_close(f.hub);
	f.hub = NULL;
	ck_assert_int_eq(campo_file_read(f.path, 1u << 24, &file, &len, NULL),
			 CAMPO_OK);
	ck_assert(contains(file, len, hash, sizeof(hash)));
	ck_assert(!contains(file, len, raw, sizeof(raw)));
	ck_assert(!contains(file, len, hex, 64));
	free(file);
	fixture_reopen(&f);
	fixture_release(&f);
}
END_TEST

struct devices {
	size_t n;
	char name[4][CAMPO_HUB_NAME_MAX + 1];
	bool revoked[4];
	bool seen[4];
	int64_t batches[4];
};

static enum campo_status device_one(void *ctx, const struct campo_hub_device *d)
{
	struct devices *s = ctx;

	ck_assert_uint_lt(s->n, 4);
	snprintf(s->name[s->n], sizeof(s->name[0]), "%s", d->name);
	s->revoked[s->n] = d->revoked;
	s->seen[s->n] = d->last_seen[0] != '\0';
	ck_assert(d->created_at[0]);
	s->batches[s->n] = d->batches;
	s->n++;
	return CAMPO_OK;
}

static struct devices devices(struct campo_hub *hub)
{
	struct devices s = { 0 };
	struct campo_diag d = { 0 };

	ck_assert_int_eq(campo_hub_device_list(hub, device_one, &s, &d),
			 CAMPO_OK);
	return s;
}

START_TEST(test_device_auth)
{
	struct fixture f;
	uint8_t raw[32], h1[32], h2[32], wrong[32], empty[32], zero[32] = { 0 };
	char name[CAMPO_HUB_NAME_MAX + 1], longname[CAMPO_HUB_NAME_MAX + 2];
	struct devices ds;

	fixture_init(&f);
	token_hash(1, raw, h1);
	token_hash(2, raw, h2);
	token_hash(3, raw, wrong);
	campo_sha256_sum("", 0, empty);
	ck_assert_int_eq(campo_hub_device_add(f.hub, "tablet-1", h1, &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(campo_hub_device_add(f.hub, "tablet-2", h2, &f.diag),
			 CAMPO_OK);

	/* names */
	ck_assert_int_eq(
		campo_hub_device_add(f.hub, "tablet-1", wrong, &f.diag),
		CAMPO_ERR_CONFLICT);
	ck_assert_int_eq(campo_hub_device_add(f.hub, "", wrong, &f.diag),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(campo_hub_device_add(f.hub, "a b", wrong, &f.diag),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_hub_device_add(f.hub, "x'; DROP", wrong, &f.diag),
		CAMPO_ERR_INVALID);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(campo_hub_device_add(f.hub, longname, wrong, &f.diag),
			 CAMPO_ERR_INVALID);
	longname[CAMPO_HUB_NAME_MAX] = '\0';
	ck_assert_int_eq(campo_hub_device_add(f.hub, longname, zero, &f.diag),
			 CAMPO_OK);

	/* never seen before a request */
	ds = devices(f.hub);
	ck_assert_uint_eq(ds.n, 3);
	ck_assert_str_eq(ds.name[1], "tablet-1");
	ck_assert(!ds.seen[1] && !ds.seen[2] && !ds.revoked[1]);

	/* the right token, the wrong one, an empty one */
	ck_assert_int_eq(campo_hub_device_auth(f.hub, h1, name, &f.diag),
			 CAMPO_OK);
	ck_assert_str_eq(name, "tablet-1");
	ck_assert_int_eq(campo_hub_device_auth(f.hub, h2, name, &f.diag),
			 CAMPO_OK);
	ck_assert_str_eq(name, "tablet-2");
	ck_assert_int_eq(campo_hub_device_auth(f.hub, wrong, name, &f.diag),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_str_eq(name, "");
	ck_assert_int_eq(campo_hub_device_auth(f.hub, empty, name, &f.diag),
			 CAMPO_ERR_NOTFOUND);
	ds = devices(f.hub);
	ck_assert(ds.seen[1] && ds.seen[2] && !ds.seen[0]);

	/* revoked: at once, and it stays revoked after a reopen */
	ck_assert_int_eq(campo_hub_device_revoke(f.hub, "tablet-2", &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(campo_hub_device_revoke(f.hub, "tablet-2", &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(campo_hub_device_revoke(f.hub, "nobody", &f.diag),
			 CAMPO_ERR_NOTFOUND);
	memset(&f.diag, 0, sizeof(f.diag));
	ck_assert_int_eq(campo_hub_device_auth(f.hub, h2, name, &f.diag),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_str_eq(name, "");
	ck_assert_ptr_nonnull(strstr(f.diag.msg, "revoked"));
	fixture_reopen(&f);
	ck_assert_int_eq(campo_hub_device_auth(f.hub, h2, name, &f.diag),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(campo_hub_device_auth(f.hub, h1, name, &f.diag),
			 CAMPO_OK);
	ds = devices(f.hub);
	ck_assert(ds.revoked[2] && !ds.revoked[1]);
	fixture_release(&f);
}
END_TEST

/* ----- merging ----- */

START_TEST(test_merge_new_then_repeat)
{
	struct fixture f;
	struct tbatch b;
	struct ack_ctx a = { 0 };
	char *ack1 = NULL, *ack2 = NULL, o[MAXREV + 1];
	bool repeat = true;

	fixture_init(&f);
	ck_counts(f.hub, 0, 0, 0, 0);
	tbatch_init(&b, 1, "tablet-1");
	tbatch_add(&b, 1, 0, "Ana", NULL);
	tbatch_add(&b, 2, 0, "Bea", NULL);
	tbatch_add(&b, 3, 0, "Eva", NULL);
	tbatch_seal(&b);
	ck_assert_int_eq(merge(&f, &b, &a, &ack1, &repeat), CAMPO_OK);
	ck_assert(!repeat);
	ck_assert_str_eq(ack1, "{\"call\":1,\"o\":\"nnn\"}");
	ck_counts(f.hub, 1, 3, 3, 0);

	/* again, after a reopen: the stored acknowledgement, nothing new */
	fixture_reopen(&f);
	ck_assert_int_eq(merge(&f, &b, &a, &ack2, &repeat), CAMPO_OK);
	ck_assert(repeat);
	ck_assert_int_eq(a.calls, 1);
	ck_assert_str_eq(ack2, ack1);
	ck_counts(f.hub, 1, 3, 3, 0);
	free(ack1);
	free(ack2);

	/* an empty batch is a batch */
	tbatch_release(&b);
	tbatch_init(&b, 2, "tablet-1");
	tbatch_seal(&b);
	merge_ok(&f, &b, o);
	ck_assert_str_eq(o, "");
	ck_counts(f.hub, 2, 3, 3, 0);
	tbatch_release(&b);
	fixture_release(&f);
}
END_TEST

START_TEST(test_merge_batch_id_other_content)
{
	struct fixture f;
	struct tbatch b1, b2;
	struct ack_ctx a = { 0 };
	char *ack = NULL, o[MAXREV + 1];
	bool repeat = true;

	fixture_init(&f);
	tbatch_init(&b1, 1, "tablet-1");
	tbatch_add(&b1, 1, 0, "Ana", NULL);
	tbatch_seal(&b1);
	merge_ok(&f, &b1, o);

	/* the same id, another interview */
	tbatch_init(&b2, 1, "tablet-1");
	tbatch_add(&b2, 2, 0, "Bea", NULL);
	tbatch_seal(&b2);
	ck_assert_int_eq(merge(&f, &b2, &a, &ack, &repeat), CAMPO_ERR_CONFLICT);
	ck_assert_ptr_null(ack);
	ck_assert(!repeat);
	ck_assert_int_eq(a.calls, 0);
	ck_assert_ptr_nonnull(strstr(f.diag.msg, "other interviews"));
	tbatch_release(&b2);

	/* the same id, the same interview with other content */
	tbatch_init(&b2, 1, "tablet-1");
	tbatch_add(&b2, 1, 0, "Anna", NULL);
	tbatch_seal(&b2);
	ck_assert_int_eq(merge(&f, &b2, &a, &ack, &repeat), CAMPO_ERR_CONFLICT);
	ck_assert_ptr_null(ack);
	ck_counts(f.hub, 1, 1, 1, 0);
	ck_assert_uint_eq(stored(f.hub, 2).n, 0);
	ck_assert_str_eq(stored(f.hub, 1).value[0], "{\"name\":\"Ana\"}");
	tbatch_release(&b1);
	tbatch_release(&b2);
	fixture_release(&f);
}
END_TEST

START_TEST(test_merge_duplicate_across_batches)
{
	struct fixture f;
	struct tbatch b1, b2;
	char o[MAXREV + 1];
	struct stored s;

	fixture_init(&f);
	tbatch_init(&b1, 1, "tablet-1");
	tbatch_add(&b1, 1, 0, "Ana", NULL);
	tbatch_add(&b1, 2, 0, "Bea", NULL);
	tbatch_seal(&b1);
	merge_ok(&f, &b1, o);
	ck_assert_str_eq(o, "nn");

	/* a USB copy and an upload overlap: 2 is known, 3 is new */
	tbatch_init(&b2, 2, "import");
	tbatch_add(&b2, 2, 0, "Bea", NULL);
	tbatch_add(&b2, 3, 0, "Eva", NULL);
	tbatch_seal(&b2);
	merge_ok(&f, &b2, o);
	ck_assert_str_eq(o, "dn");
	ck_counts(f.hub, 2, 3, 3, 0);
	s = stored(f.hub, 2);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.batch[0], b1.id);
	tbatch_release(&b1);
	tbatch_release(&b2);
	fixture_release(&f);
}
END_TEST

START_TEST(test_merge_conflict_kept)
{
	struct fixture f;
	struct tbatch b1, b2, b3;
	char o[MAXREV + 1];
	struct stored s;

	fixture_init(&f);
	tbatch_init(&b1, 1, "tablet-1");
	tbatch_add(&b1, 1, 0, "Ana", NULL);
	tbatch_seal(&b1);
	merge_ok(&f, &b1, o);

	/* the same instance id, other content, no deprecated_id chain */
	tbatch_init(&b2, 2, "tablet-2");
	tbatch_add(&b2, 1, 0, "Anna", NULL);
	tbatch_add(&b2, 2, 0, "Bea", NULL);
	tbatch_seal(&b2);
	merge_ok(&f, &b2, o);
	ck_assert_str_eq(o, "cn");
	ck_counts(f.hub, 2, 3, 2, 1);
	s = stored(f.hub, 1);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.value[0], "{\"name\":\"Ana\"}");
	ck_assert(!s.conflict[0]);
	ck_assert_str_eq(s.batch[0], b1.id);
	ck_assert_str_eq(s.hash[0], b1.r[0].hash);
	ck_assert_str_eq(s.value[1], "{\"name\":\"Anna\"}");
	ck_assert(s.conflict[1]);
	ck_assert_str_eq(s.batch[1], b2.id);

	/* the conflicting content again is a duplicate of what is kept:
	 * no second conflict; the first revision is still the first */
	tbatch_init(&b3, 3, "tablet-2");
	tbatch_add(&b3, 1, 0, "Anna", NULL);
	tbatch_add(&b3, 1 + 100, 0, "Zoe", NULL);
	tbatch_seal(&b3);
	merge_ok(&f, &b3, o);
	ck_assert_str_eq(o, "dn");
	ck_counts(f.hub, 3, 4, 3, 1);
	s = stored(f.hub, 1);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.value[0], "{\"name\":\"Ana\"}");
	tbatch_release(&b1);
	tbatch_release(&b2);
	tbatch_release(&b3);
	fixture_release(&f);
}
END_TEST

START_TEST(test_merge_revision_chain)
{
	struct fixture f;
	struct tbatch b1, b2;
	char o[MAXREV + 1];
	struct stored s;

	fixture_init(&f);
	tbatch_init(&b1, 1, "tablet-1");
	tbatch_add(&b1, 1, 0, "Ana", NULL);
	tbatch_seal(&b1);
	merge_ok(&f, &b1, o);

	/* 11 replaces 1; 12 replaces 11; 13 replaces an interview the hub
	 * has not seen (its batch is still on the way): all new */
	tbatch_init(&b2, 2, "tablet-1");
	tbatch_add(&b2, 11, 1, "Ana Maria", NULL);
	tbatch_add(&b2, 12, 11, "Ana M.", NULL);
	tbatch_add(&b2, 13, 99, "Ugo", NULL);
	tbatch_seal(&b2);
	merge_ok(&f, &b2, o);
	ck_assert_str_eq(o, "nnn");
	ck_counts(f.hub, 2, 4, 4, 0);
	s = stored(f.hub, 1);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.value[0], "{\"name\":\"Ana\"}");
	s = stored(f.hub, 11);
	ck_assert_uint_eq(s.n, 1);
	ck_assert(!s.conflict[0]);
	tbatch_release(&b1);
	tbatch_release(&b2);
	fixture_release(&f);
}
END_TEST

/* Two edits of the same interview, each not knowing the other: the second
 * to arrive is kept and recorded as a conflict, in another batch or in the
 * same one. */
START_TEST(test_merge_fork)
{
	struct fixture f;
	struct tbatch b1, b2, b3, b4;
	char o[MAXREV + 1];
	struct stored s;

	fixture_init(&f);
	tbatch_init(&b1, 1, "tablet-1");
	tbatch_add(&b1, 1, 0, "Ana", NULL);
	tbatch_add(&b1, 2, 0, "Bea", NULL);
	tbatch_add(&b1, 11, 1, "Ana Maria", NULL);
	tbatch_seal(&b1);
	merge_ok(&f, &b1, o);
	ck_assert_str_eq(o, "nnn");

	/* 21 also replaces 1 */
	tbatch_init(&b2, 2, "tablet-2");
	tbatch_add(&b2, 21, 1, "Ana Luisa", NULL);
	tbatch_seal(&b2);
	merge_ok(&f, &b2, o);
	ck_assert_str_eq(o, "c");
	ck_counts(f.hub, 2, 4, 4, 1);
	s = stored(f.hub, 21);
	ck_assert_uint_eq(s.n, 1);
	ck_assert(s.conflict[0]);
	s = stored(f.hub, 11);
	ck_assert_uint_eq(s.n, 1);
	ck_assert(!s.conflict[0]);
	ck_assert_str_eq(s.value[0], "{\"name\":\"Ana Maria\"}");

	/* the first edit again is a duplicate, not a fork of itself */
	tbatch_init(&b3, 3, "tablet-1");
	tbatch_add(&b3, 11, 1, "Ana Maria", NULL);
	tbatch_add(&b3, 21, 1, "Ana Luisa", NULL);
	tbatch_seal(&b3);
	merge_ok(&f, &b3, o);
	ck_assert_str_eq(o, "dd");
	ck_counts(f.hub, 3, 4, 4, 1);

	/* a fork inside one batch: 31 and 32 both replace 2 */
	tbatch_init(&b4, 4, "tablet-1");
	tbatch_add(&b4, 31, 2, "Beatriz", NULL);
	tbatch_add(&b4, 32, 2, "Bea T.", NULL);
	tbatch_seal(&b4);
	merge_ok(&f, &b4, o);
	ck_assert_str_eq(o, "nc");
	ck_counts(f.hub, 4, 6, 6, 2);
	tbatch_release(&b1);
	tbatch_release(&b2);
	tbatch_release(&b3);
	tbatch_release(&b4);
	fixture_release(&f);
}
END_TEST

/* A batch that fails after some of its revisions were written leaves
 * nothing behind; the same batch then merges whole. */
START_TEST(test_merge_one_transaction)
{
	struct fixture f;
	struct tbatch b0, b;
	struct ack_ctx a = { .fail = CAMPO_ERR_NOMEM };
	char *ack = NULL, o[MAXREV + 1];
	bool repeat = true;

	fixture_init(&f);
	tbatch_init(&b0, 1, "tablet-1");
	tbatch_add(&b0, 1, 0, "Ana", NULL);
	tbatch_seal(&b0);
	merge_ok(&f, &b0, o);

	tbatch_init(&b, 2, "tablet-1");
	tbatch_add(&b, 1, 0, "Anna", NULL); /* would be a conflict */
	tbatch_add(&b, 2, 0, "Bea", NULL);
	tbatch_add(&b, 11, 1, "Ana Maria", NULL);
	tbatch_seal(&b);
	ck_assert_int_eq(merge(&f, &b, &a, &ack, &repeat), CAMPO_ERR_NOMEM);
	ck_assert_ptr_null(ack);
	ck_assert(!repeat);
	ck_assert_int_eq(a.calls, 1);
	ck_counts(f.hub, 1, 1, 1, 0);
	ck_assert_uint_eq(stored(f.hub, 2).n, 0);
	ck_assert_uint_eq(stored(f.hub, 1).n, 1);

	/* the handle still works, and the retry is a first merge */
	merge_ok(&f, &b, o);
	ck_assert_str_eq(o, "cnn");
	ck_counts(f.hub, 2, 4, 3, 1);
	tbatch_release(&b0);
	tbatch_release(&b);
	fixture_release(&f);
}
END_TEST

START_TEST(test_merge_counts_per_device)
{
	struct fixture f;
	struct tbatch b[3];
	uint8_t raw[32], h1[32], h2[32];
	char name[CAMPO_HUB_NAME_MAX + 1], o[MAXREV + 1];
	struct devices ds;
	unsigned i;

	fixture_init(&f);
	token_hash(1, raw, h1);
	token_hash(2, raw, h2);
	ck_assert_int_eq(campo_hub_device_add(f.hub, "tablet-1", h1, &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(campo_hub_device_add(f.hub, "tablet-2", h2, &f.diag),
			 CAMPO_OK);
	for (i = 0; i < 3; i++) {
		const uint8_t *h = i < 2 ? h1 : h2;

		ck_assert_int_eq(campo_hub_device_auth(f.hub, h, name, &f.diag),
				 CAMPO_OK);
		tbatch_init(&b[i], i + 1, i < 2 ? "tablet-1" : "tablet-2");
		b[i].hb.device_name = i < 2 ? "tablet-1" : "tablet-2";
		tbatch_add(&b[i], i + 1, 0, "X", NULL);
		tbatch_seal(&b[i]);
		merge_ok(&f, &b[i], o);
	}
	ds = devices(f.hub);
	ck_assert_uint_eq(ds.n, 2);
	ck_assert(ds.seen[0] && ds.seen[1]);
	ck_assert_int_eq(ds.batches[0], 2);
	ck_assert_int_eq(ds.batches[1], 1);
	ck_counts(f.hub, 3, 3, 3, 0);
	for (i = 0; i < 3; i++) {
		tbatch_release(&b[i]);
	}
	fixture_release(&f);
}
END_TEST

START_TEST(test_merge_audit_stored)
{
	static const char audit[] =
		"[{\"event\":\"answer_changed\",\"key\":\"name\","
		"\"old_value\":null,\"new_value\":\"Ana\","
		"\"at\":\"2026-11-25T09:01:00.000Z\",\"elapsed_ms\":-1}]";
	struct fixture f;
	struct tbatch b;
	char o[MAXREV + 1];
	struct stored s;

	fixture_init(&f);
	tbatch_init(&b, 1, "tablet-1");
	tbatch_add(&b, 1, 0, "Ana", audit);
	tbatch_add(&b, 2, 0, "Bea", "[]");
	tbatch_add(&b, 3, 0, "Eva", NULL);
	tbatch_seal(&b);
	merge_ok(&f, &b, o);
	fixture_reopen(&f);
	s = stored(f.hub, 1);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.audit[0], audit);
	s = stored(f.hub, 2);
	ck_assert_str_eq(s.audit[0], "[]");
	ck_assert(!s.audit_null[0]);
	s = stored(f.hub, 3);
	ck_assert(s.audit_null[0]);
	tbatch_release(&b);
	fixture_release(&f);
}
END_TEST

/* ----- returns: messages to the device that sent the interview ----- */

struct msgs {
	size_t n;
	int64_t seq[4];
	char id[4][48];
	char note[4][64];
};

static enum campo_status msg_collect(void *ctx,
				     const struct campo_hub_message *m)
{
	struct msgs *x = ctx;

	ck_assert_uint_lt(x->n, 4);
	ck_assert_str_eq(m->type, "return");
	ck_assert_uint_eq(strlen(m->at), 24);
	x->seq[x->n] = m->seq;
	snprintf(x->id[x->n], 48, "%s", m->instance_id);
	snprintf(x->note[x->n], 64, "%s", m->note);
	x->n++;
	return CAMPO_OK;
}

static struct msgs msgs(struct campo_hub *hub, const char *device,
			int64_t after, size_t max)
{
	struct msgs x = { 0 };
	struct campo_diag d = { 0 };

	ck_assert_msg(campo_hub_messages(hub, device, after, max, msg_collect,
					 &x, &d) == CAMPO_OK,
		      "messages: %s", d.msg);
	return x;
}

START_TEST(test_return)
{
	struct fixture f;
	struct tbatch b1, b2, b3;
	char o[MAXREV + 1], id1[48], id11[48];
	int64_t seq = 0, again = 0;
	struct msgs x;

	fixture_init(&f);
	instance_id(id1, 1);
	instance_id(id11, 11);
	tbatch_init(&b1, 1, "tablet-1");
	tbatch_add(&b1, 1, 0, "Ana", NULL);
	tbatch_seal(&b1);
	merge_ok(&f, &b1, o);
	tbatch_init(&b2, 2, "tablet-2");
	tbatch_add(&b2, 2, 0, "Bea", NULL);
	tbatch_seal(&b2);
	merge_ok(&f, &b2, o);

	/* unknown, not an id, too long a note */
	ck_assert_int_eq(
		campo_hub_return(f.hub, "uuid:nope", "x", "sup", NULL, &f.diag),
		CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(
		campo_hub_return(f.hub, "1", "x", "sup", NULL, &f.diag),
		CAMPO_ERR_INVALID);
	{
		static char big[CAMPO_HUB_NOTE_MAX + 2];

		memset(big, 'a', sizeof(big) - 1);
		ck_assert_int_eq(
			campo_hub_return(f.hub, id1, big, "sup", NULL, &f.diag),
			CAMPO_ERR_LIMIT);
	}
	/* the same return twice: one message, to the device that sent it */
	ck_assert_int_eq(
		campo_hub_return(f.hub, id1, "edad?", "sup", &seq, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_hub_return(f.hub, id1, "edad?", "sup", &again, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(seq, again);
	ck_assert_int_gt(seq, 0);
	x = msgs(f.hub, "tablet-1", 0, 100);
	ck_assert_uint_eq(x.n, 1);
	ck_assert_str_eq(x.id[0], id1);
	ck_assert_str_eq(x.note[0], "edad?");
	ck_assert_uint_eq(msgs(f.hub, "tablet-2", 0, 100).n, 0);
	ck_assert_uint_eq(msgs(f.hub, "tablet-1", seq, 100).n, 0);
	/* another note is another message; max and after page them */
	ck_assert_int_eq(campo_hub_return(f.hub, id1, "y nombre", "sup", &again,
					  &f.diag),
			 CAMPO_OK);
	ck_assert_int_gt(again, seq);
	x = msgs(f.hub, "tablet-1", 0, 1);
	ck_assert_uint_eq(x.n, 1);
	ck_assert_int_eq(x.seq[0], seq);
	x = msgs(f.hub, "tablet-1", seq, 100);
	ck_assert_uint_eq(x.n, 1);
	ck_assert_str_eq(x.note[0], "y nombre");
	/* survives reopening; a corrected interview cannot be returned */
	fixture_reopen(&f);
	ck_assert_uint_eq(msgs(f.hub, "tablet-1", 0, 100).n, 2);
	tbatch_init(&b3, 3, "tablet-1");
	tbatch_add(&b3, 11, 1, "Ana Maria", NULL);
	tbatch_seal(&b3);
	merge_ok(&f, &b3, o);
	ck_assert_int_eq(
		campo_hub_return(f.hub, id1, "otra", "sup", NULL, &f.diag),
		CAMPO_ERR_CONFLICT);
	ck_assert_int_eq(
		campo_hub_return(f.hub, id11, "otra", "sup", NULL, &f.diag),
		CAMPO_OK);
	ck_assert_uint_eq(msgs(f.hub, "tablet-1", 0, 100).n, 3);
	tbatch_release(&b1);
	tbatch_release(&b2);
	tbatch_release(&b3);
	fixture_release(&f);
}
END_TEST

static Suite *hub_store_suite(void)
{
	Suite *s = suite_create("hub-store");
	TCase *tc = tcase_create("open");

	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_open_foreign);
	suite_add_tcase(s, tc);
	tc = tcase_create("devices");
	tcase_add_test(tc, test_device_token_hash_only);
	tcase_add_test(tc, test_device_auth);
	suite_add_tcase(s, tc);
	tc = tcase_create("merge");
	tcase_add_test(tc, test_merge_new_then_repeat);
	tcase_add_test(tc, test_merge_batch_id_other_content);
	tcase_add_test(tc, test_merge_duplicate_across_batches);
	tcase_add_test(tc, test_merge_conflict_kept);
	tcase_add_test(tc, test_merge_revision_chain);
	tcase_add_test(tc, test_merge_fork);
	tcase_add_test(tc, test_merge_one_transaction);
	tcase_add_test(tc, test_merge_counts_per_device);
	tcase_add_test(tc, test_merge_audit_stored);
	suite_add_tcase(s, tc);
	tc = tcase_create("return");
	tcase_add_test(tc, test_return);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(hub_store_suite());
}
