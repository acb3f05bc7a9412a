/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/report: JSON Lines and CSV exports, the import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "form/form-load.h"
#include "report/report.h"
#include "runner.h"
#include "util/buf.h"
#include "util/file.h"

#define ID_A "uuid:11111111-1111-4111-8111-111111111111"
#define ID_B "uuid:22222222-2222-4222-8222-222222222222"
#define T0 1795593600000LL /* 2026-11-25T08:00:00.000Z */

struct fixture {
	char dir[4096];
	struct campo_form *form;
	struct campo_form *census; /* forms/quilicura-census.json */
	struct campo_report_clock clock;
	struct campo_report_forms forms;
	struct campo_store *store; /* the device that collected */
	struct campo_store *fresh; /* a new laptop */
	struct campo_diag diag;
};

static struct fixture fx;

static const struct campo_form *find_form(void *ctx, const char *id,
					  struct campo_diag *diag)
{
	struct fixture *f = ctx;

	if (!strcmp(id, f->form->id)) {
		return f->form;
	}
	if (f->census && !strcmp(id, f->census->id)) {
		return f->census;
	}
	campo_diag_set(diag, CAMPO_ERR_NOTFOUND, "unknown form '%s'", id);
	return NULL;
}

static struct campo_store *store_open(const char *name)
{
	struct campo_store_options o = {
		.clock = campo_report_clock_read,
		.clock_ctx = &fx.clock,
		.min_free_bytes = 1,
	};
	struct campo_store *s = NULL;
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", fx.dir, name);
	ck_assert_msg(campo_store_open_opts(path, &o, &s, &fx.diag) == CAMPO_OK,
		      "open: %s", fx.diag.msg);
	return s;
}

static void save(const char *id, const char *key, const char *value)
{
	struct campo_diag d = { 0 };

	ck_assert_msg(campo_store_answer_save(fx.store, id, key, value,
					      strlen(value), &d) == CAMPO_OK,
		      "save %s: %s", key, d.msg);
}

static void add(const char *id, const char *key)
{
	struct campo_diag d = { 0 };

	ck_assert_msg(campo_store_repeat_add(fx.store, id, key, &d) == CAMPO_OK,
		      "repeat %s: %s", key, d.msg);
}

static void create(const char *id, const char *enumerator, int64_t at)
{
	struct campo_store_new_interview iv = {
		.instance_id = id,
		.form_id = "report_roster",
		.form_version = "1",
		.form_hash = "",
		.enumerator = enumerator,
	};
	struct campo_diag d = { 0 };

	fx.clock.wall_ms = at;
	ck_assert_msg(campo_store_interview_create(fx.store, &iv, &d) ==
			      CAMPO_OK,
		      "create: %s", d.msg);
}

/* A: finalized, a 3-member roster, trips, quoting; B: a draft with an
 * empty member. */
static void setup(void)
{
	struct campo_diag_list errors;
	struct campo_diag d = { 0 };

	memset(&fx, 0, sizeof(fx));
	snprintf(fx.dir, sizeof(fx.dir), "%s", campo_test_tmpdir());
	campo_diag_list_init(&errors, 4);
	ck_assert_int_eq(
		campo_form_load_file(campo_test_data("report/roster.json"),
				     &fx.form, &errors),
		CAMPO_OK);
	campo_diag_list_release(&errors);
	fx.forms.fn = find_form;
	fx.forms.ctx = &fx;
	fx.store = store_open("a.db");
	fx.fresh = store_open("b.db");

	create(ID_A, "AB1", T0);
	save(ID_A, "address", "Calle 1, \"A\"");
	save(ID_A, "household/hh_size", "3");
	add(ID_A, "household/member[3]");
	save(ID_A, "household/member[1]/m_name", "Ana");
	save(ID_A, "household/member[1]/age", "34");
	save(ID_A, "household/member[1]/sex", "f");
	save(ID_A, "household/member[1]/langs", "es ht");
	add(ID_A, "household/member[1]/trip[2]");
	save(ID_A, "household/member[1]/trip[1]/country", "Haití");
	save(ID_A, "household/member[1]/trip[2]/country", "Perú");
	save(ID_A, "household/member[2]/m_name", "Berta");
	save(ID_A, "household/member[3]/m_name", "Luis\nSegundo");
	save(ID_A, "household/member[3]/age", "5");
	save(ID_A, "household/member[3]/sex", "m");
	fx.clock.wall_ms = T0 + 600500;
	ck_assert_msg(campo_store_interview_finalize(fx.store, ID_A, NULL,
						     &d) == CAMPO_OK,
		      "finalize: %s", d.msg);

	create(ID_B, "CD2", T0 + 86400000);
	save(ID_B, "address", "Pasaje 2");
	save(ID_B, "household/hh_size", "2");
	add(ID_B, "household/member[2]");
	save(ID_B, "household/member[2]/m_name", "Zoe");
	fx.clock.wall_ms = 0;
}

static void teardown(void)
{
	campo_store_close(fx.store);
	campo_store_close(fx.fresh);
	campo_form_free(fx.form);
	campo_form_free(fx.census);
	ck_assert_int_eq(campo_file_remove_tree(fx.dir), CAMPO_OK);
}

/* The JSON Lines export of store into a new string (caller frees). */
static char *jsonl(struct campo_store *s)
{
	char *text = NULL;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&text, &len);
	struct campo_diag d = { 0 };

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(campo_report_jsonl_export(s, NULL, &fx.forms, f, &n,
						&d) == CAMPO_OK,
		      "export: %s", d.msg);
	fclose(f);
	return text;
}

/* The expected export, with the collecting device's id. */
static char *expected_jsonl(const char *device)
{
	static const char fmt[] =
		"{\"instance_id\":\"" ID_A "\",\"deprecated_id\":\"\","
		"\"form_id\":\"report_roster\",\"form_version\":\"1\","
		"\"status\":\"finalized\",\"enumerator\":\"AB1\","
		"\"device_id\":\"%s\","
		"\"started_at\":\"2026-11-25T08:00:00.000Z\","
		"\"finalized_at\":\"2026-11-25T08:10:00.500Z\","
		"\"data\":{\"address\":\"Calle 1, \\\"A\\\"\","
		"\"household\":{\"hh_size\":\"3\",\"member\":["
		"{\"m_name\":\"Ana\",\"age\":\"34\",\"sex\":\"f\","
		"\"langs\":\"es ht\",\"trip\":[{\"country\":\"Haití\"},"
		"{\"country\":\"Perú\"}]},"
		"{\"m_name\":\"Berta\"},"
		"{\"m_name\":\"Luis\\nSegundo\",\"age\":\"5\",\"sex\":\"m\"}"
		"]}}}\n"
		"{\"instance_id\":\"" ID_B "\",\"deprecated_id\":\"\","
		"\"form_id\":\"report_roster\",\"form_version\":\"1\","
		"\"status\":\"draft\",\"enumerator\":\"CD2\","
		"\"device_id\":\"%s\","
		"\"started_at\":\"2026-11-26T08:00:00.000Z\","
		"\"finalized_at\":\"\","
		"\"data\":{\"address\":\"Pasaje 2\","
		"\"household\":{\"hh_size\":\"2\",\"member\":["
		"{},{\"m_name\":\"Zoe\"}]}}}\n";
	char *out = malloc(sizeof(fmt) + 80);

	ck_assert_ptr_nonnull(out);
	snprintf(out, sizeof(fmt) + 80, fmt, device, device);
	return out;
}

/*
 * The store freezes an interview with its content hash; a batch built from
 * the store carries it, and the decoder at the hub recomputes it from the
 * answers: the two ends agree, and a changed answer is caught.
 */
START_TEST(batch_content_hash_matches_the_store)
{
	const char *ids[] = { ID_A };
	struct campo_wire_batch *b = NULL, *back = NULL;
	struct campo_store_interview *iv = NULL;
	struct campo_buf gz;
	struct campo_diag d = { 0 };

	ck_assert_msg(campo_report_batch_build(
			      fx.store, "0b6c1b0e-4f7a-4c39-9d7e-2f1c3a5b6d70",
			      "2026-11-25T09:00:00.000Z", ids, 1, &b,
			      &d) == CAMPO_OK,
		      "build: %s", d.msg);
	ck_assert_int_eq(
		campo_store_interview_get(fx.store, ID_A, 0, &iv, NULL),
		CAMPO_OK);
	ck_assert_str_eq(b->interviews[0].content_hash, iv->info.content_hash);
	campo_store_interview_free(iv);

	campo_buf_init(&gz, CAMPO_WIRE_COMPRESSED_MAX);
	ck_assert_int_eq(campo_wire_batch_encode(b, 6, &gz, &d), CAMPO_OK);
	ck_assert_msg(campo_wire_batch_decode(gz.data, gz.len, NULL, &back,
					      &d) == CAMPO_OK,
		      "decode: %s", d.msg);
	campo_wire_batch_free(back);
	back = NULL;

	/* one answer changed on the way: the hub refuses the interview */
	free(b->interviews[0].answers[0].value);
	b->interviews[0].answers[0].value = strdup("changed");
	campo_buf_reset(&gz);
	ck_assert_int_eq(campo_wire_batch_encode(b, 6, &gz, &d), CAMPO_OK);
	ck_assert_int_eq(
		campo_wire_batch_decode(gz.data, gz.len, NULL, &back, &d),
		CAMPO_ERR_INVALID);
	ck_assert_msg(strstr(d.msg, "hash"), "%s", d.msg);
	campo_buf_release(&gz);
	campo_wire_batch_free(b);
}
END_TEST

START_TEST(jsonl_export_exact)
{
	char *got = jsonl(fx.store);
	char *want = expected_jsonl(campo_store_device(fx.store)->device_id);

	ck_assert_str_eq(got, want);
	free(got);
	free(want);
}
END_TEST

static char *slurp(const char *name)
{
	char path[4200];
	char *text = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/out/%s", fx.dir, name);
	ck_assert_msg(campo_file_read(path, 1u << 20, &text, &len, NULL) ==
			      CAMPO_OK,
		      "read %s", path);
	return text;
}

static void csv_export(const char *lang)
{
	char out[4200];
	struct campo_diag d = { 0 };
	size_t n = 0;

	snprintf(out, sizeof(out), "%s/out", fx.dir);
	ck_assert_int_eq(campo_file_mkdirs(out), CAMPO_OK);
	ck_assert_msg(campo_report_csv_export(fx.store, NULL, &fx.forms, out,
					      lang, &n, &d) == CAMPO_OK,
		      "csv: %s", d.msg);
	ck_assert_uint_eq(n, 2);
}

START_TEST(csv_export_codes)
{
	const char *dev = campo_store_device(fx.store)->device_id;
	char want[2048];
	char *got;

	csv_export(NULL);
	got = slurp("report_roster.csv");
	snprintf(want, sizeof(want),
		 "instance_id,_deprecated_id,_form_version,_status,"
		 "_enumerator,_device_id,_started_at,_finalized_at,"
		 "address,hh_size,visit_date\r\n" ID_A
		 ",,1,finalized,AB1,%s,2026-11-25T08:00:00.000Z,"
		 "2026-11-25T08:10:00.500Z,\"Calle 1, \"\"A\"\"\",3,\r\n" ID_B
		 ",,1,draft,CD2,%s,2026-11-26T08:00:00.000Z,,Pasaje 2,2,"
		 "\r\n",
		 dev, dev);
	ck_assert_str_eq(got, want);
	free(got);

	got = slurp("report_roster-member.csv");
	ck_assert_str_eq(got,
			 "instance_id,position,m_name,age,sex,langs\r\n" ID_A
			 ",1,Ana,34,f,es ht\r\n" ID_A ",2,Berta,,,\r\n" ID_A
			 ",3,\"Luis\nSegundo\",5,m,\r\n" ID_B ",1,,,,\r\n" ID_B
			 ",2,Zoe,,,\r\n");
	free(got);

	got = slurp("report_roster-trip.csv");
	ck_assert_str_eq(got,
			 "instance_id,parent_position,position,country\r\n" ID_A
			 ",1,1,Haití\r\n" ID_A ",1,2,Perú\r\n");
	free(got);
}
END_TEST

START_TEST(csv_export_labels)
{
	char *got;
	char out[4200];
	struct campo_diag d = { 0 };

	csv_export("en");
	got = slurp("report_roster-member.csv");
	ck_assert_str_eq(got,
			 "instance_id,position,m_name,age,sex,langs\r\n" ID_A
			 ",1,Ana,34,Woman,Spanish | Haitian Creole\r\n" ID_A
			 ",2,Berta,,,\r\n" ID_A
			 ",3,\"Luis\nSegundo\",5,Man,\r\n" ID_B
			 ",1,,,,\r\n" ID_B ",2,Zoe,,,\r\n");
	free(got);

	snprintf(out, sizeof(out), "%s/out", fx.dir);
	ck_assert_int_eq(campo_report_csv_export(fx.store, NULL, &fx.forms, out,
						 "fr", NULL, &d),
			 CAMPO_ERR_INVALID);
	ck_assert_str_eq(d.msg, "form 'report_roster' has no language 'fr'");
}
END_TEST

/* Imports every line of text into the fresh store; each must give want. */
static void import_all(const char *text, enum campo_report_import_result want)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		enum campo_report_import_result res;
		struct campo_diag d = { 0 };

		ck_assert_msg(campo_report_import_line(fx.fresh, &fx.forms,
						       &fx.clock, p, len, &res,
						       &d) == CAMPO_OK,
			      "import: %s: %s", d.path, d.msg);
		ck_assert_int_eq(res, want);
		p += len;
	}
}

START_TEST(import_round_trip)
{
	char *first = jsonl(fx.store);
	char *again, *want;
	struct campo_store_interview *iv = NULL;

	import_all(first, CAMPO_REPORT_IMPORTED);
	import_all(first, CAMPO_REPORT_UNCHANGED);
	again = jsonl(fx.fresh);
	/* The same bytes: the interviews keep the device that collected
	 * them, not the one that now holds them. */
	want = expected_jsonl(campo_store_device(fx.store)->device_id);
	ck_assert_str_eq(again, want);
	import_all(again, CAMPO_REPORT_UNCHANGED);

	ck_assert_int_eq(
		campo_store_interview_get(fx.fresh, ID_A, 0, &iv, NULL),
		CAMPO_OK);
	ck_assert_str_eq(iv->info.instance_name, "hh-Calle 1, \"A\"");
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_FINALIZED);
	campo_store_interview_free(iv);
	free(first);
	free(again);
	free(want);
}
END_TEST

static size_t outbox_n;

static enum campo_status outbox_count(void *ctx,
				      const struct campo_store_outbox_entry *e)
{
	(void)ctx;
	(void)e;
	outbox_n++;
	return CAMPO_OK;
}

START_TEST(import_finalized_is_queued)
{
	char *text = jsonl(fx.store);

	import_all(text, CAMPO_REPORT_IMPORTED);
	outbox_n = 0;
	ck_assert_int_eq(campo_store_outbox_pending(fx.fresh, 0, outbox_count,
						    NULL, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(outbox_n, 1);
	free(text);
}
END_TEST

#define LINE_HEAD(id, status)                                        \
	"{\"instance_id\":\"" id "\",\"form_id\":\"report_roster\"," \
	"\"status\":\"" status "\","
#define ID_C "uuid:33333333-3333-4333-8333-333333333333"
#define ID_C3 "uuid:44444444-4444-4444-8444-444444444444"

static const struct bad_line {
	const char *line;
	enum campo_status status;
	const char *path;
	const char *msg;
} bad_lines[] = {
	{ "{\"instance_id\": ", CAMPO_ERR_PARSE, "",
	  "not valid JSON at column 16" },
	{ "[1, 2]", CAMPO_ERR_PARSE, "", "a line is one JSON object" },
	{ "{\"instance_id\":\"" ID_C "\",\"form_id\":\"census_x\","
	  "\"status\":\"draft\",\"data\":{}}",
	  CAMPO_ERR_NOTFOUND, "", "unknown form 'census_x'" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"household\":{\"member\":["
				   "{\"sex\":\"x\"}]}}}",
	  CAMPO_ERR_INVALID, "household.member[1].sex",
	  "'x' is not a choice of list 'sex'" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"household\":{\"member\":["
				   "{},{\"age\":\"111\"}]}}}",
	  CAMPO_ERR_INVALID, "household.member[2].age",
	  "'111': . >= 0 and . <= 110" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"household\":{"
				   "\"hh_size\":\"16\"}}}",
	  CAMPO_ERR_INVALID, "household.hh_size", "'16': Entre 1 y 15" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"household\":{\"member\":["
				   "{\"age\":\"3.5\"}]}}}",
	  CAMPO_ERR_INVALID, "household.member[1].age",
	  "'3.5' is not a valid integer" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"visit_date\":\"2026-02-30\"}}",
	  CAMPO_ERR_INVALID, "visit_date", "'2026-02-30' is not a valid date" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"household\":{\"hh_size\":3}}}",
	  CAMPO_ERR_INVALID, "household.hh_size", "an answer is a string" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"household\":{\"member\":["
				   "{\"langs\":\"es es\"}]}}}",
	  CAMPO_ERR_INVALID, "household.member[1].langs",
	  "choice 'es' given twice" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"age\":\"3\"}}",
	  CAMPO_ERR_INVALID, "age", "'age' is not in this group or repeat" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"bye\":\"x\"}}",
	  CAMPO_ERR_INVALID, "bye", "'bye' is a note: it takes no answer" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{},\"colour\":\"red\"}",
	  CAMPO_ERR_INVALID, "", "unknown key 'colour'" },
	{ LINE_HEAD(ID_C, "draft") "\"data\":{\"address\":\"a\","
				   "\"address\":\"b\"}}",
	  CAMPO_ERR_PARSE, "address", "duplicate key 'address'" },
	{ LINE_HEAD(ID_C, "finalized") "\"data\":{\"address\":\"x\","
				       "\"household\":{\"hh_size\":\"1\","
				       "\"member\":[{}]}}}",
	  CAMPO_ERR_INVALID, "household.member[1].m_name",
	  "required question unanswered in a finalized interview" },
	{ LINE_HEAD(ID_A, "draft") "\"data\":{\"address\":\"Other\"}}",
	  CAMPO_ERR_CONFLICT, "",
	  "interview '" ID_A "' exists with other content" },
};

START_TEST(import_bad_line)
{
	const struct bad_line *b = &bad_lines[_i];
	char *text = jsonl(fx.store);
	char *before, *after;
	struct campo_store_interview *iv = NULL;
	enum campo_report_import_result res;
	struct campo_diag d = { 0 };

	import_all(text, CAMPO_REPORT_IMPORTED);
	before = jsonl(fx.fresh);
	ck_assert_int_eq(campo_report_import_line(fx.fresh, &fx.forms,
						  &fx.clock, b->line,
						  strlen(b->line), &res, &d),
			 b->status);
	ck_assert_str_eq(d.path, b->path);
	ck_assert_str_eq(d.msg, b->msg);
	after = jsonl(fx.fresh);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(
		campo_store_interview_get(fx.fresh, ID_C, 0, &iv, NULL),
		CAMPO_ERR_NOTFOUND);
	campo_store_interview_free(iv);
	free(text);
	free(before);
	free(after);
}
END_TEST

/* The bundled census: a draft with a 3-member roster at the top level. */
START_TEST(census_round_trip)
{
	static const char *const answers[][2] = {
		{ "identification/enumerator", "AB12" },
		{ "identification/sector", "s01" },
		{ "household/hh_size", "3" },
		{ "member[1]/m_name", "Rose-Marie Joseph" },
		{ "member[1]/sex", "female" },
		{ "member[1]/id_document", "run passport" },
		{ "member[2]/m_name", "Jean" },
		{ "member[2]/dob", "1990-05-01" },
		{ "member[3]/m_name", "Ti Pierre" },
	};
	const char *dir = getenv("CAMPO_FORMS_DIR");
	struct campo_store_new_interview nw = {
		.instance_id = ID_C3,
		.form_id = "quilicura_census",
		.form_hash = "",
	};
	char path[4200];
	char *first, *again, *want;
	size_t at;

	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof(path), "%s/quilicura-census.json", dir);
	ck_assert_int_eq(campo_form_load_file(path, &fx.census, NULL),
			 CAMPO_OK);
	nw.form_version = fx.census->version;
	fx.clock.wall_ms = T0;
	ck_assert_int_eq(campo_store_interview_create(fx.store, &nw, NULL),
			 CAMPO_OK);
	add(ID_C3, "member[3]");
	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		save(ID_C3, answers[i][0], answers[i][1]);
	}
	fx.clock.wall_ms = 0;
	first = jsonl(fx.store);
	at = strlen(first) - strlen(strstr(first, "{\"instance_id\":\"" ID_C3));
	ck_assert_str_eq(
		strstr(first + at, "\"data\":"),
		"\"data\":{\"identification\":{\"enumerator\":\"AB12\","
		"\"sector\":\"s01\"},\"household\":{\"hh_size\":\"3\"},"
		"\"member\":[{\"m_name\":\"Rose-Marie Joseph\","
		"\"sex\":\"female\",\"id_document\":\"run passport\"},"
		"{\"m_name\":\"Jean\",\"dob\":\"1990-05-01\"},"
		"{\"m_name\":\"Ti Pierre\"}]}}\n");
	import_all(first, CAMPO_REPORT_IMPORTED);
	again = jsonl(fx.fresh);
	want = strdup(first);
	ck_assert_ptr_nonnull(want);
	ck_assert_str_eq(again, want);
	free(first);
	free(again);
	free(want);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, jsonl_export_exact);
	tcase_add_test(tc, batch_content_hash_matches_the_store);
	tcase_add_test(tc, csv_export_codes);
	tcase_add_test(tc, csv_export_labels);
	tcase_add_test(tc, import_round_trip);
	tcase_add_test(tc, import_finalized_is_queued);
	tcase_add_test(tc, census_round_trip);
	tcase_add_loop_test(tc, import_bad_line, 0,
			    (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(report_suite());
}
