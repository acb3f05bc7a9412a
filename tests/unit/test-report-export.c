/* SPDX-License-Identifier: MIT */
/* Unit tests of the hub's exports for analysts: the CSV tables rejoin to
 * exactly the interviews stored (latest revisions, conflicts flagged,
 * nested repeats, quotes, commas, newlines, UTF-8), every revision on
 * request, JSON Lines, the codebook, labels and the BOM. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/form-load.h"
#include "report/report-counts.h"
#include "runner.h"
#include "store/hub.h"
#include "util/file.h"

#define MAXKV 128

/* A flat interview: answers and repeat counts, "key=value" lines sorted. */
struct flativ {
	char id[64];
	char *kv[MAXKV];
	size_t n;
};

static void kv_add(struct flativ *f, const char *key, const char *value)
{
	size_t len = strlen(key) + strlen(value) + 2;

	ck_assert_uint_lt(f->n, MAXKV);
	f->kv[f->n] = malloc(len);
	snprintf(f->kv[f->n++], len, "%s=%s", key, value);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void flat_sort(struct flativ *f)
{
	qsort(f->kv, f->n, sizeof(f->kv[0]), str_cmp);
}

static void flat_release(struct flativ *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->kv[i]);
	}
	f->n = 0;
}

/* What a CSV table can hold of a data object: answers, and repeats with
 * at least one instance (an empty repeat has no row to show it). */
static void flatten(struct flativ *f, const cJSON *obj, const char *prefix)
{
	char key[512];

	for (const cJSON *c = obj->child; c; c = c->next) {
		snprintf(key, sizeof(key), "%s%s", prefix, c->string);
		if (cJSON_IsString(c)) {
			kv_add(f, key, c->valuestring);
		} else if (cJSON_IsObject(c)) {
			char sub[520];

			snprintf(sub, sizeof(sub), "%s/", key);
			flatten(f, c, sub);
		} else if (cJSON_IsArray(c) && cJSON_GetArraySize(c) > 0) {
			char n[16], sub[540];
			int i = 0;

			snprintf(n, sizeof(n), "#%d", cJSON_GetArraySize(c));
			kv_add(f, key, n);
			for (const cJSON *e = c->child; e; e = e->next) {
				snprintf(sub, sizeof(sub), "%s[%d]/", key, ++i);
				flatten(f, e, sub);
			}
		}
	}
}

/* ----- a CSV reader (RFC 4180) ----- */

struct table {
	char **cells; /* rows * cols */
	size_t rows, cols;
	char *text;
};

static void table_read(struct table *t, const char *path)
{
	size_t len = 0, cap = 0, i = 0, col = 0;
	char *cell;
	size_t n = 0, ccap;

	memset(t, 0, sizeof(*t));
	ck_assert_int_eq(campo_file_read(path, 1u << 24, &t->text, &len, NULL),
			 CAMPO_OK);
	if (len >= 3 && !memcmp(t->text, "\xef\xbb\xbf", 3)) {
		i = 3;
	}
	ccap = len + 1;
	cell = malloc(ccap);
	while (i < len) {
		bool quoted = t->text[i] == '"';

		n = 0;
		if (quoted) {
			for (i++; i < len; i++) {
				if (t->text[i] == '"' && i + 1 < len &&
				    t->text[i + 1] == '"') {
					cell[n++] = '"';
					i++;
				} else if (t->text[i] == '"') {
					i++;
					break;
				} else {
					cell[n++] = t->text[i];
				}
			}
		} else {
			while (i < len && t->text[i] != ',' &&
			       t->text[i] != '\r') {
				cell[n++] = t->text[i++];
			}
		}
		cell[n] = '\0';
		if (cap == t->rows * t->cols + col) {
			cap = cap ? cap * 2 : 64;
			t->cells = realloc(t->cells, cap * sizeof(*t->cells));
		}
		t->cells[t->rows * (t->cols ? t->cols : 0) + col] =
			strdup(cell);
		col++;
		if (i < len && t->text[i] == ',') {
			i++;
			continue;
		}
		ck_assert_msg(i + 1 < len + 1 && t->text[i] == '\r' &&
				      t->text[i + 1] == '\n',
			      "%s: a row ends with CRLF", path);
		i += 2;
		if (!t->cols) {
			t->cols = col;
		}
		ck_assert_uint_eq(col, t->cols);
		t->rows++;
		col = 0;
	}
	free(cell);
}

static const char *table_get(const struct table *t, size_t row,
			     const char *name)
{
	for (size_t c = 0; c < t->cols; c++) {
		if (!strcmp(t->cells[c], name)) {
			return t->cells[row * t->cols + c];
		}
	}
	ck_abort_msg("no column '%s'", name);
	return NULL;
}

static void table_release(struct table *t)
{
	for (size_t i = 0; i < t->rows * t->cols; i++) {
		free(t->cells[i]);
	}
	free(t->cells);
	free(t->text);
}

/* ----- the hub ----- */

struct fixture {
	char dir[4096], path[4200], out[4200];
	struct campo_hub *hub;
	struct campo_form *form;
	struct campo_diag diag;
	unsigned batches;
};

static const struct campo_form *form_fn(void *ctx, const char *id,
					struct campo_diag *diag)
{
	struct fixture *f = ctx;

	if (strcmp(id, f->form->id)) {
		campo_diag_set(diag, CAMPO_ERR_NOTFOUND, "no form '%s'", id);
		return NULL;
	}
	return f->form;
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

struct seed {
	const char *id, *deprecated, *hash, *data;
};

/* The interviews: a is everything at once; c is edited by c2; d arrives
 * twice with other content (a conflict); e holds only an empty repeat. */
static const struct seed first[] = {
	{ "uuid:a", NULL, "h-a",
	  "{\"address\":\"Calle 1, \\\"A\\\"\\nDepto 2\",\"household\":{"
	  "\"hh_size\":\"3\",\"member\":[{\"age\":\"34\",\"langs\":\"es ht\","
	  "\"m_name\":\"Ana\",\"sex\":\"f\",\"trip\":[{\"country\":"
	  "\"Hait\xc3\xad\"},{\"country\":\"Per\xc3\xba, Lima\"}]},{},"
	  "{\"m_name\":\"Luis\",\"trip\":[]}]},\"visit_date\":\"2026-11-"
	  "25\"}" },
	{ "uuid:b", NULL, "h-b", "{\"address\":\"Pasaje 3\"}" },
	{ "uuid:c", NULL, "h-c", "{\"address\":\"old\"}" },
	{ "uuid:d", NULL, "h-d", "{\"address\":\"d one\"}" },
	{ "uuid:e", NULL, "h-e", "{\"household\":{\"member\":[]}}" },
};
static const struct seed second[] = {
	{ "uuid:c2", "uuid:c", "h-c2",
	  "{\"address\":\"new\",\"household\":{\"hh_size\":\"1\","
	  "\"member\":[{\"m_name\":\"Zo\xc3\xa9\",\"trip\":[{},"
	  "{\"country\":\"Chile\"}]}]}}" },
	{ "uuid:d", NULL, "h-d-other", "{\"address\":\"d two\"}" },
};

static void merge(struct fixture *f, const struct seed *s, size_t n)
{
	struct campo_hub_revision revs[8];
	char batch_id[64], digest[16], *ack = NULL;
	struct campo_hub_batch b = {
		.batch_id = batch_id,
		.device_name = "import",
		.device_id = "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11",
		.digest = digest,
		.body_hash = "-",
		.revisions = revs,
		.n = n,
	};
	bool repeat;

	snprintf(batch_id, sizeof(batch_id), "%08x-1111-4111-8111-111111111111",
		 f->batches);
	snprintf(digest, sizeof(digest), "d%u", f->batches++);
	for (size_t i = 0; i < n; i++) {
		revs[i] = (struct campo_hub_revision){
			.instance_id = s[i].id,
			.deprecated_id = s[i].deprecated ? s[i].deprecated : "",
			.revision = s[i].deprecated ? 2 : 1,
			.device_id = "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11",
			.form_id = "report_roster",
			.form_version = "1",
			.content_hash = s[i].hash,
			.status = "finalized",
			.enumerator = "AB1",
			.started_at = "2026-11-25T08:00:00.000Z",
			.finalized_at = "2026-11-25T08:10:00.000Z",
			.data_json = s[i].data,
			.audit_json = "[]",
		};
	}
	ck_assert_msg(campo_hub_batch_merge(f->hub, &b, ack_fn, NULL, &ack,
					    &repeat, &f->diag) == CAMPO_OK,
		      "merge: %s", f->diag.msg);
	free(ack);
}

static void setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s", campo_test_tmpdir());
	snprintf(f->path, sizeof(f->path), "%s/hub.db", f->dir);
	snprintf(f->out, sizeof(f->out), "%s/out", f->dir);
	ck_assert_int_eq(campo_file_mkdirs(f->out), CAMPO_OK);
	ck_assert_int_eq(campo_hub_open(f->path, true, &f->hub, &f->diag),
			 CAMPO_OK);
	ck_assert_int_eq(
		campo_form_load_file(campo_test_data("report/roster.json"),
				     &f->form, NULL),
		CAMPO_OK);
	merge(f, first, sizeof(first) / sizeof(first[0]));
	merge(f, second, sizeof(second) / sizeof(second[0]));
}

static void teardown(struct fixture *f)
{
	campo_hub_close(f->hub);
	campo_form_free(f->form);
	ck_assert_int_eq(campo_file_remove_tree(f->dir), CAMPO_OK);
}

static size_t export(struct fixture *f, struct campo_report_hub_options *o)
{
	struct campo_report_forms forms = { form_fn, f };
	size_t n = 0;

	o->dir = f->out;
	ck_assert_msg(campo_report_hub_export(f->hub, &forms, o, &n,
					      &f->diag) == CAMPO_OK,
		      "export: %s", f->diag.msg);
	return n;
}

static struct flativ *find(struct flativ *ivs, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(ivs[i].id, id)) {
			return &ivs[i];
		}
	}
	ck_abort_msg("no interview '%s' in the tables", id);
	return NULL;
}

static void path(char *out, size_t size, const struct fixture *f,
		 const char *file)
{
	snprintf(out, size, "%s/%s", f->out, file);
}

/* The round trip: the tables, rejoined by instance id and positions, are
 * the stored latest revisions, answer for answer. */
START_TEST(test_csv_round_trip)
{
	struct campo_report_hub_options o = { .csv = true };
	struct flativ got[8] = { 0 }, want = { 0 };
	struct table main, mem, trip;
	char p[4400], key[512];
	struct fixture f;
	static const char *const latest[][2] = {
		{ "uuid:a", NULL },    { "uuid:b", NULL }, { "uuid:c2", NULL },
		{ "uuid:d", "d one" }, { "uuid:e", NULL },
	};

	setup(&f);
	ck_assert_uint_eq(export(&f, &o), 5);
	path(p, sizeof(p), &f, "report_roster.csv");
	table_read(&main, p);
	path(p, sizeof(p), &f, "report_roster-member.csv");
	table_read(&mem, p);
	path(p, sizeof(p), &f, "report_roster-trip.csv");
	table_read(&trip, p);
	ck_assert_uint_eq(main.rows, 1 + 5);
	for (size_t r = 1; r < main.rows; r++) {
		struct flativ *g = &got[r - 1];
		static const char *const top[] = { "address", "visit_date" };

		snprintf(g->id, sizeof(g->id), "%s",
			 table_get(&main, r, "instance_id"));
		for (size_t k = 0; k < 2; k++) {
			const char *v = table_get(&main, r, top[k]);

			if (*v) {
				kv_add(g, top[k], v);
			}
		}
		if (*table_get(&main, r, "hh_size")) {
			kv_add(g, "household/hh_size",
			       table_get(&main, r, "hh_size"));
		}
		/* conflicts flagged: d is, the others are not */
		ck_assert_str_eq(table_get(&main, r, "_conflict"),
				 !strcmp(g->id, "uuid:d") ? "1" : "0");
		ck_assert_str_eq(table_get(&main, r, "_revision"),
				 !strcmp(g->id, "uuid:c2") ? "2" : "1");
	}
	for (size_t r = 1; r < mem.rows; r++) {
		struct flativ *g = find(got, main.rows - 1,
					table_get(&mem, r, "instance_id"));
		const char *pos = table_get(&mem, r, "position");
		static const char *const q[] = { "m_name", "age", "sex",
						 "langs" };

		for (size_t k = 0; k < 4; k++) {
			const char *v = table_get(&mem, r, q[k]);

			if (*v) {
				snprintf(key, sizeof(key),
					 "household/member[%s]/%s", pos, q[k]);
				kv_add(g, key, v);
			}
		}
		/* positions are 1..count: the last row gives the count */
		if (r + 1 == mem.rows ||
		    strcmp(table_get(&mem, r + 1, "instance_id"), g->id)) {
			char n[16];

			snprintf(n, sizeof(n), "#%s", pos);
			kv_add(g, "household/member", n);
		}
	}
	for (size_t r = 1; r < trip.rows; r++) {
		struct flativ *g = find(got, main.rows - 1,
					table_get(&trip, r, "instance_id"));
		const char *pp = table_get(&trip, r, "parent_position");
		const char *pos = table_get(&trip, r, "position");
		const char *v = table_get(&trip, r, "country");

		if (*v) {
			snprintf(key, sizeof(key),
				 "household/member[%s]/trip[%s]/country", pp,
				 pos);
			kv_add(g, key, v);
		}
		if (r + 1 == trip.rows ||
		    strcmp(table_get(&trip, r + 1, "instance_id"), g->id) ||
		    strcmp(table_get(&trip, r + 1, "parent_position"), pp)) {
			char n[16];

			snprintf(key, sizeof(key), "household/member[%s]/trip",
				 pp);
			snprintf(n, sizeof(n), "#%s", pos);
			kv_add(g, key, n);
		}
	}
	for (size_t i = 0; i < sizeof(latest) / sizeof(latest[0]); i++) {
		const struct seed *s = NULL;
		struct flativ *g = find(got, main.rows - 1, latest[i][0]);
		cJSON *data;

		/* the stored revision that counts: the first of d */
		for (size_t k = 0; k < 5 && !s; k++) {
			if (!strcmp(first[k].id, latest[i][0])) {
				s = &first[k];
			}
		}
		for (size_t k = 0; k < 2 && !s; k++) {
			if (!strcmp(second[k].id, latest[i][0])) {
				s = &second[k];
			}
		}
		ck_assert_ptr_nonnull(s);
		if (!s) {
			continue; /* for the compiler: ck_assert returned */
		}
		data = cJSON_Parse(s->data);
		flatten(&want, data, "");
		cJSON_Delete(data);
		flat_sort(&want);
		flat_sort(g);
		ck_assert_uint_eq(g->n, want.n);
		for (size_t k = 0; k < want.n; k++) {
			ck_assert_str_eq(g->kv[k], want.kv[k]);
		}
		flat_release(&want);
	}
	for (size_t i = 0; i < 8; i++) {
		flat_release(&got[i]);
	}
	table_release(&main);
	table_release(&mem);
	table_release(&trip);
	teardown(&f);
}
END_TEST

START_TEST(test_all_revisions_jsonl)
{
	struct campo_report_hub_options o = { .csv = true,
					      .all_revisions = true };
	struct table main;
	struct fixture f;
	char p[4400], *text = NULL;
	size_t len = 0, lines = 0, conflicts = 0;

	setup(&f);
	ck_assert_uint_eq(export(&f, &o), 7);
	path(p, sizeof(p), &f, "report_roster.csv");
	table_read(&main, p);
	ck_assert_uint_eq(main.rows, 1 + 7);
	for (size_t r = 1; r < main.rows; r++) {
		conflicts += !strcmp(table_get(&main, r, "_conflict"), "1");
	}
	ck_assert_uint_eq(conflicts, 1); /* d's second content */
	table_release(&main);

	o = (struct campo_report_hub_options){ .jsonl = true };
	ck_assert_uint_eq(export(&f, &o), 5);
	path(p, sizeof(p), &f, "interviews.jsonl");
	ck_assert_int_eq(campo_file_read(p, 1u << 20, &text, &len, NULL),
			 CAMPO_OK);
	for (char *line = text; line < text + len;) {
		char *end = strchr(line, '\n');
		cJSON *j, *data;

		ck_assert_ptr_nonnull(end);
		j = cJSON_ParseWithLength(line, (size_t)(end - line));
		ck_assert_ptr_nonnull(j);
		data = cJSON_GetObjectItemCaseSensitive(j, "data");
		ck_assert(cJSON_IsObject(data));
		if (!strcmp(cJSON_GetObjectItem(j, "instance_id")->valuestring,
			    "uuid:d")) {
			ck_assert(cJSON_IsTrue(
				cJSON_GetObjectItem(j, "conflict")));
		}
		cJSON_Delete(j);
		lines++;
		line = end + 1;
	}
	ck_assert_uint_eq(lines, 5);
	free(text);
	teardown(&f);
}
END_TEST

START_TEST(test_labels_bom_codebook)
{
	struct campo_report_hub_options o = {
		.csv = true, .codebook = true, .lang = "en", .bom = true
	};
	struct table mem, cb;
	struct fixture f;
	char p[4400];
	bool found = false;

	setup(&f);
	export(&f, &o);
	path(p, sizeof(p), &f, "report_roster-member.csv");
	table_read(&mem, p);
	ck_assert_mem_eq(mem.text, "\xef\xbb\xbf", 3);
	for (size_t r = 1; r < mem.rows; r++) {
		if (!strcmp(table_get(&mem, r, "m_name"), "Ana")) {
			/* labels in English, not the codes */
			ck_assert_str_eq(table_get(&mem, r, "sex"), "Woman");
		}
	}
	table_release(&mem);
	path(p, sizeof(p), &f, "report_roster-codebook.csv");
	table_read(&cb, p);
	ck_assert_str_eq(cb.cells[0], "file");
	for (size_t r = 1; r < cb.rows; r++) {
		if (!strcmp(table_get(&cb, r, "variable"), "sex")) {
			found = true;
			ck_assert_str_eq(table_get(&cb, r, "file"),
					 "report_roster-member.csv");
			ck_assert_str_eq(table_get(&cb, r, "type"),
					 "select_one");
			ck_assert_ptr_nonnull(
				strstr(table_get(&cb, r, "choices_es"), "f="));
			ck_assert_str_ne(table_get(&cb, r, "label_en"), "");
			ck_assert_str_ne(table_get(&cb, r, "label_es"), "");
		}
		/* a note has no value, so no variable */
		ck_assert_str_ne(table_get(&cb, r, "variable"), "bye");
	}
	ck_assert(found);
	table_release(&cb);
	/* a language the form does not have */
	{
		struct campo_report_forms forms = { form_fn, &f };

		o = (struct campo_report_hub_options){ .dir = f.out,
						       .csv = true,
						       .lang = "ht" };
		ck_assert_int_eq(campo_report_hub_export(f.hub, &forms, &o,
							 NULL, &f.diag),
				 CAMPO_ERR_INVALID);
	}
	teardown(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report-export");
	TCase *tc = tcase_create("export");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_csv_round_trip);
	tcase_add_test(tc, test_all_revisions_jsonl);
	tcase_add_test(tc, test_labels_bom_codebook);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(suite());
}
