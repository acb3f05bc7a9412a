/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/report's completion counts over a seeded hub database
 * with known counts: latest revisions, conflicts, forks, targets, devices,
 * the three outputs, and the targets file parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report-counts.h"
#include "runner.h"
#include "store/hub.h"
#include "util/file.h"

struct fixture {
	char dir[4096];
	char path[4200];
	struct campo_hub *hub;
	struct campo_diag diag;
	unsigned batches;
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s", campo_test_tmpdir());
	snprintf(f->path, sizeof(f->path), "%s/hub.db", f->dir);
	ck_assert_msg(campo_hub_open(f->path, true, &f->hub, &f->diag) ==
			      CAMPO_OK,
		      "open: %s", f->diag.msg);
}

static void fixture_release(struct fixture *f)
{
	campo_hub_close(f->hub);
	ck_assert_int_eq(campo_file_remove_tree(f->dir), CAMPO_OK);
}

static enum campo_status ack_fn(void *ctx, const enum campo_hub_outcome *o,
				size_t n, char **ack)
{
	(void)ctx;
	(void)o;
	(void)n;
	*ack = strdup("{}");
	return *ack ? CAMPO_OK : CAMPO_ERR_NOMEM;
}

/* One interview to seed: id, what it replaces, content, who, where. */
struct seed {
	const char *id, *deprecated, *hash, *enumerator, *day, *sector, *visit;
	const char *form;
};

/* Merges the seeds as one batch from device (a device name). */
static void merge(struct fixture *f, const char *device, const struct seed *s,
		  size_t n)
{
	struct campo_hub_revision revs[16];
	char data[16][256], finalized[16][32], batch_id[64], digest[32];
	struct campo_hub_batch b = {
		.batch_id = batch_id,
		.device_name = device,
		.device_id = "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11",
		.digest = digest,
		.body_hash = "-",
		.revisions = revs,
		.n = n,
	};
	char *ack = NULL;
	bool repeat;

	ck_assert_uint_le(n, 16);
	snprintf(batch_id, sizeof(batch_id), "%08x-1111-4111-8111-111111111111",
		 f->batches);
	snprintf(digest, sizeof(digest), "d%u", f->batches++);
	for (size_t i = 0; i < n; i++) {
		/* sector in a group, and a decoy of the same name in a
		 * repeat that must not count */
		snprintf(data[i], sizeof(data[i]),
			 "{\"identification\":{%s%s%s\"visit_result\":\"%s\"},"
			 "\"member\":[{\"sector\":\"decoy\"}]}",
			 s[i].sector ? "\"sector\":\"" : "",
			 s[i].sector ? s[i].sector : "",
			 s[i].sector ? "\"," : "", s[i].visit);
		snprintf(finalized[i], sizeof(finalized[i]), "%sT10:00:00.000Z",
			 s[i].day);
		revs[i] = (struct campo_hub_revision){
			.instance_id = s[i].id,
			.deprecated_id = s[i].deprecated ? s[i].deprecated : "",
			.revision = s[i].deprecated ? 2 : 1,
			.device_id = "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11",
			.form_id = s[i].form ? s[i].form : "census",
			.form_version = "1",
			.content_hash = s[i].hash,
			.status = "finalized",
			.enumerator = s[i].enumerator,
			.started_at = finalized[i],
			.finalized_at = finalized[i],
			.data_json = data[i],
			.audit_json = "[]",
		};
	}
	ck_assert_msg(campo_hub_batch_merge(f->hub, &b, ack_fn, NULL, &ack,
					    &repeat, &f->diag) == CAMPO_OK,
		      "merge: %s", f->diag.msg);
	free(ack);
}

static void device(struct fixture *f, const char *name, uint8_t seed)
{
	uint8_t hash[CAMPO_HUB_TOKEN_HASH_LEN];

	memset(hash, seed, sizeof(hash));
	ck_assert_int_eq(campo_hub_device_add(f->hub, name, hash, &f->diag),
			 CAMPO_OK);
}

/*
 * The known hub: 6 interviews at the end.
 *  a: AB1, norte, completed          (tab-01)
 *  b: AB1, norte, refused            (tab-01)
 *  c: CD2, sur, completed, then edited to absent by c2 (tab-02)
 *  d: CD2, sur, completed; sent again with other content: a conflict
 *  e: EF3, no sector, vacant, form "other"
 *  f: AB1, sur, completed; forked by f2 and f3 (f3 the later side)
 */
static void seed_known(struct fixture *f)
{
	static const struct seed one[] = {
		{ "uuid:a", NULL, "h-a", "AB1", "2026-11-24", "norte",
		  "completed", NULL },
		{ "uuid:b", NULL, "h-b", "AB1", "2026-11-24", "norte",
		  "refused", NULL },
		{ "uuid:c", NULL, "h-c", "CD2", "2026-11-24", "sur",
		  "completed", NULL },
		{ "uuid:d", NULL, "h-d", "CD2", "2026-11-25", "sur",
		  "completed", NULL },
		{ "uuid:e", NULL, "h-e", "EF3", "2026-11-25", NULL, "vacant",
		  "other" },
		{ "uuid:f", NULL, "h-f", "AB1", "2026-11-25", "sur",
		  "completed", NULL },
	};
	static const struct seed two[] = {
		{ "uuid:c2", "uuid:c", "h-c2", "CD2", "2026-11-25", "sur",
		  "absent", NULL },
		{ "uuid:d", NULL, "h-d-other", "CD2", "2026-11-25", "norte",
		  "refused", NULL },
		{ "uuid:f2", "uuid:f", "h-f2", "AB1", "2026-11-26", "sur",
		  "completed", NULL },
	};
	static const struct seed three[] = {
		{ "uuid:f3", "uuid:f", "h-f3", "AB1", "2026-11-26", "norte",
		  "refused", NULL },
	};

	device(f, "tab-01", 1);
	device(f, "tab-02", 2);
	device(f, "tab-03", 3);
	merge(f, "tab-01", one, 6);
	merge(f, "tab-02", two, 3);
	merge(f, "tab-02", three, 1);
}

static struct campo_report_counts *build(struct fixture *f, const char *area,
					 const char *visit)
{
	struct campo_report_counts_options o = { area, visit };
	struct campo_report_counts *c = NULL;

	ck_assert_msg(campo_report_counts_build(f->hub, &o, &c, &f->diag) ==
			      CAMPO_OK,
		      "build: %s", f->diag.msg);
	return c;
}

/* The row of dim with key (and key2), or NULL. */
static const struct campo_report_row *row(const struct campo_report_counts *c,
					  enum campo_report_dim dim,
					  const char *key, const char *key2)
{
	size_t n;
	const struct campo_report_row *r = campo_report_counts_rows(c, dim, &n);

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(r[i].key, key) && !strcmp(r[i].key2, key2)) {
			return &r[i];
		}
	}
	return NULL;
}

static int64_t done(const struct campo_report_counts *c,
		    enum campo_report_dim dim, const char *key)
{
	const struct campo_report_row *r = row(c, dim, key, "");

	return r ? r->done : -1;
}

START_TEST(test_counts_known)
{
	struct fixture f;
	struct campo_report_counts *c;

	fixture_init(&f);
	seed_known(&f);
	c = build(&f, NULL, NULL);
	ck_assert_int_eq(campo_report_counts_total(c), 6);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_ENUMERATOR, "AB1"), 3);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_ENUMERATOR, "CD2"), 2);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_ENUMERATOR, "EF3"), 1);
	/* c's latest (c2) is absent in sur; d's first stored content
	 * counts (sur); f2 counts, not the fork f3 */
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_AREA, "norte"), 2);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_AREA, "sur"), 3);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_AREA, ""), 1);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_VISIT, "completed"), 3);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_VISIT, "absent"), 1);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_VISIT, "refused"), 1);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_VISIT, "vacant"), 1);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_FORM, "census"), 5);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_FORM, "other"), 1);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_DAY, "2026-11-24"), 2);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_DAY, "2026-11-25"), 3);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_DAY, "2026-11-26"), 1);
	/* d (same id, other content) and f2 (a fork) */
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_STATUS, "conflict"), 2);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_STATUS, "received"), 4);
	ck_assert_int_eq(campo_report_counts_conflicts(c), 2);
	campo_report_counts_free(c);
	fixture_release(&f);
}
END_TEST

START_TEST(test_counts_fields)
{
	struct fixture f;
	struct campo_report_counts *c;

	fixture_init(&f);
	seed_known(&f);
	/* the visit question as the area: any question name works */
	c = build(&f, "visit_result", "sector");
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_AREA, "completed"), 3);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_VISIT, "sur"), 3);
	campo_report_counts_free(c);
	/* indexing is incremental: a new revision after a report counts */
	{
		static const struct seed more[] = {
			{ "uuid:g", NULL, "h-g", "CD2", "2026-11-26", "norte",
			  "completed", NULL },
		};

		merge(&f, "tab-01", more, 1);
	}
	c = build(&f, NULL, NULL);
	ck_assert_int_eq(campo_report_counts_total(c), 7);
	ck_assert_int_eq(done(c, CAMPO_REPORT_BY_AREA, "norte"), 3);
	campo_report_counts_free(c);
	{
		struct campo_report_counts_options o = { "bad name", NULL };

		c = NULL;
		ck_assert_int_eq(
			campo_report_counts_build(f.hub, &o, &c, &f.diag),
			CAMPO_ERR_INVALID);
		ck_assert_ptr_null(c);
	}
	fixture_release(&f);
}
END_TEST

START_TEST(test_counts_targets)
{
	static const char csv[] = "\xef\xbb\xbf"
				  "area,enumerator,expected\r\n"
				  "norte,,4\r\n"
				  "sur,AB1,2\r\n"
				  "sur,CD2,3\r\n"
				  "\"oeste, lejos\",,10\r\n";
	struct campo_report_targets t;
	struct campo_report_counts *c;
	const struct campo_report_row *r;
	struct fixture f;
	char pct[32];

	fixture_init(&f);
	seed_known(&f);
	ck_assert_int_eq(
		campo_report_targets_parse(csv, sizeof(csv) - 1, &t, &f.diag),
		CAMPO_OK);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_str_eq(t.t[3].area, "oeste, lejos");
	ck_assert_int_eq(campo_hub_targets_replace(f.hub, t.t, t.n, &f.diag),
			 CAMPO_OK);
	campo_report_targets_release(&t);
	c = build(&f, NULL, NULL);
	r = row(c, CAMPO_REPORT_BY_AREA, "norte", "");
	ck_assert_int_eq(r->done, 2);
	ck_assert_int_eq(r->expected, 4);
	campo_report_percent(r->done, r->expected, pct);
	ck_assert_str_eq(pct, "50.0");
	/* sur has only per-enumerator targets: their sum */
	r = row(c, CAMPO_REPORT_BY_AREA, "sur", "");
	ck_assert_int_eq(r->done, 3);
	ck_assert_int_eq(r->expected, 5);
	/* an area with a target and nothing done yet */
	r = row(c, CAMPO_REPORT_BY_AREA, "oeste, lejos", "");
	ck_assert_int_eq(r->done, 0);
	ck_assert_int_eq(r->expected, 10);
	r = row(c, CAMPO_REPORT_BY_TARGET, "sur", "AB1");
	ck_assert_int_eq(r->done, 1); /* f2 */
	r = row(c, CAMPO_REPORT_BY_TARGET, "sur", "CD2");
	ck_assert_int_eq(r->done, 2); /* c2, d */
	r = row(c, CAMPO_REPORT_BY_ENUMERATOR, "CD2", "");
	ck_assert_int_eq(r->expected, 3);
	r = row(c, CAMPO_REPORT_BY_ENUMERATOR, "EF3", "");
	ck_assert_int_eq(r->expected, -1);
	campo_report_counts_free(c);
	fixture_release(&f);
}
END_TEST

START_TEST(test_counts_devices_json)
{
	struct campo_report_counts *c;
	struct campo_buf b;
	struct fixture f;
	const struct campo_hub_activity *d;
	size_t n;

	fixture_init(&f);
	seed_known(&f);
	c = build(&f, NULL, NULL);
	d = campo_report_counts_devices(c, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(d[0].name, "tab-01");
	ck_assert_int_eq(d[0].batches, 1);
	ck_assert_int_eq(d[0].interviews, 6);
	ck_assert_int_eq(d[1].batches, 2);
	ck_assert_int_eq(d[1].interviews, 4); /* c2, d (conflict), f2, f3 */
	ck_assert_str_ne(d[1].last_batch, "");
	ck_assert_str_eq(d[2].last_seen, "");
	ck_assert_str_eq(d[2].last_batch, "");
	campo_buf_init(&b, 1 << 20);
	ck_assert_int_eq(campo_report_counts_json(c, &b), CAMPO_OK);
	ck_assert_ptr_nonnull(strstr(campo_buf_str(&b), "\"total\":6,"));
	ck_assert_ptr_nonnull(strstr(campo_buf_str(&b),
				     "{\"area\":\"norte\",\"interviews\":2,"
				     "\"expected\":null,\"percent\":null}"));
	ck_assert_ptr_nonnull(strstr(campo_buf_str(&b),
				     "\"name\":\"tab-03\",\"revoked\":false,"
				     "\"last_seen\":null,\"last_batch\":null,"
				     "\"batches\":0,\"interviews\":0,"
				     "\"never_seen\":true}"));
	campo_buf_reset(&b);
	ck_assert_int_eq(campo_report_counts_csv(c, &b), CAMPO_OK);
	ck_assert_ptr_nonnull(strstr(campo_buf_str(&b),
				     "section,key,enumerator,interviews,"
				     "expected,percent,last_seen,last_batch,"
				     "batches\r\ntotal,,,6,"));
	ck_assert_ptr_nonnull(
		strstr(campo_buf_str(&b), "\r\nby_area,sur,,3,,,,,\r\n"));
	campo_buf_reset(&b);
	ck_assert_int_eq(campo_report_counts_table(c, &b), CAMPO_OK);
	ck_assert_ptr_nonnull(strstr(campo_buf_str(&b), "interviews 6 "));
	campo_buf_release(&b);
	campo_report_counts_free(c);
	fixture_release(&f);
}
END_TEST

START_TEST(test_counts_empty)
{
	struct campo_report_counts *c;
	struct fixture f;
	struct campo_buf b;

	fixture_init(&f);
	c = build(&f, NULL, NULL);
	ck_assert_int_eq(campo_report_counts_total(c), 0);
	campo_buf_init(&b, 1 << 20);
	ck_assert_int_eq(campo_report_counts_json(c, &b), CAMPO_OK);
	ck_assert_ptr_nonnull(strstr(campo_buf_str(&b), "\"total\":0,"));
	campo_buf_release(&b);
	campo_report_counts_free(c);
	fixture_release(&f);
}
END_TEST

/* Targets files that must be refused, and the line blamed. */
static const struct {
	const char *text;
	enum campo_status status;
	unsigned line;
} bad_targets[] = {
	{ "area,expected\nnorte,x\n", CAMPO_ERR_PARSE, 2 },
	{ "area,expected\nnorte,-1\n", CAMPO_ERR_PARSE, 2 },
	{ "area,expected\n,3\n", CAMPO_ERR_PARSE, 2 },
	{ "area,expected\nnorte,3,4\n", CAMPO_ERR_PARSE, 2 },
	{ "area,expected,color\nnorte,3,red\n", CAMPO_ERR_PARSE, 1 },
	{ "area,area,expected\n", CAMPO_ERR_PARSE, 1 },
	{ "enumerator,expected\nAB1,3\n", CAMPO_ERR_PARSE, 1 },
	{ "area,expected\n\"norte,3\n", CAMPO_ERR_PARSE, 2 },
	{ "area,expected\nnor\"te,3\n", CAMPO_ERR_PARSE, 2 },
	{ "area,expected\nnorte,99999999999\n", CAMPO_ERR_PARSE, 2 },
};

START_TEST(test_targets_bad)
{
	struct campo_report_targets t;
	struct campo_diag diag = { 0 };
	const char *s = bad_targets[_i].text;

	ck_assert_int_eq(campo_report_targets_parse(s, strlen(s), &t, &diag),
			 bad_targets[_i].status);
	ck_assert_uint_eq(diag.line, bad_targets[_i].line);
	campo_report_targets_release(&t);
}
END_TEST

START_TEST(test_targets_good)
{
	static const char lf[] = "expected,area\n7,norte\n\n3,sur";
	struct campo_report_targets t;
	struct campo_diag diag = { 0 };
	struct fixture f;

	ck_assert_int_eq(campo_report_targets_parse(lf, strlen(lf), &t, &diag),
			 CAMPO_OK);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_str_eq(t.t[1].area, "sur");
	ck_assert_str_eq(t.t[1].enumerator, "");
	ck_assert_int_eq(t.t[1].expected, 3);
	fixture_init(&f);
	ck_assert_int_eq(campo_hub_targets_replace(f.hub, t.t, t.n, &f.diag),
			 CAMPO_OK);
	/* a pair given twice is refused and nothing changes */
	t.t[1].area = "norte";
	ck_assert_int_eq(campo_hub_targets_replace(f.hub, t.t, t.n, &f.diag),
			 CAMPO_ERR_CONFLICT);
	campo_report_targets_release(&t);
	fixture_release(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report-counts");
	TCase *tc = tcase_create("counts");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_counts_known);
	tcase_add_test(tc, test_counts_fields);
	tcase_add_test(tc, test_counts_targets);
	tcase_add_test(tc, test_counts_devices_json);
	tcase_add_test(tc, test_counts_empty);
	tcase_add_loop_test(tc, test_targets_bad, 0,
			    sizeof(bad_targets) / sizeof(bad_targets[0]));
	tcase_add_test(tc, test_targets_good);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(suite());
}
