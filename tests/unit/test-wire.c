/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/wire: the batch round trip, every cap, bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "wire/wire.h"

#define BATCH "0b7e4a52-6a0e-4c1e-9b1a-2f3c4d5e6f70"
#define DEVICE "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11"

static char *xs(const char *s)
{
	char *p = campo_strdup(s);

	ck_assert_ptr_nonnull(p);
	return p;
}

/* Interview i of a test batch: a household with a roster of members. */
static void make_iv(struct campo_wire_interview *iv, unsigned i,
		    unsigned members)
{
	char buf[128];
	size_t k = 0;
	unsigned m;

	memset(iv, 0, sizeof(*iv));
	snprintf(buf, sizeof(buf), "uuid:%08x-1111-4111-8111-111111111111", i);
	iv->instance_id = xs(buf);
	iv->deprecated_id = xs("");
	iv->revision = 1;
	iv->form_id = xs("census");
	iv->form_version = xs("2024.1");
	iv->form_hash = xs("sha256:abc");
	iv->enumerator = xs("AB1");
	iv->device_id = xs(DEVICE);
	iv->status = xs("finalized");
	iv->instance_name = xs("Calle 1");
	iv->language = xs("es");
	iv->started_at = xs("2026-11-25T08:00:00.000Z");
	iv->finalized_at = xs("2026-11-25T08:10:00.500Z");
	iv->finalized_ms = 600500;
	iv->answers = campo_calloc(2 + 2 * members, sizeof(*iv->answers));
	iv->answers[k].key = xs("address");
	iv->answers[k++].value = xs("Calle \"1\"\n\xc3\xa9");
	iv->answers[k].key = xs("household/hh_size");
	snprintf(buf, sizeof(buf), "%u", members);
	iv->answers[k++].value = xs(buf);
	for (m = 1; m <= members; m++) {
		if (m == 2) {
			continue; /* an instance with no answer: {} */
		}
		snprintf(buf, sizeof(buf), "household/member[%u]/age", m);
		iv->answers[k].key = xs(buf);
		iv->answers[k++].value = xs("34");
		snprintf(buf, sizeof(buf), "household/member[%u]/name", m);
		iv->answers[k].key = xs(buf);
		iv->answers[k++].value = xs("Ana");
	}
	iv->n_answers = k;
	/* keys sorted: member[1] < member[3]; fine while members < 10 */
	iv->repeats = campo_calloc(2, sizeof(*iv->repeats));
	iv->repeats[0].key = xs("household/member");
	iv->repeats[0].count = members;
	iv->repeats[1].key = xs("household/pets");
	iv->repeats[1].count = 0;
	iv->n_repeats = 2;
	iv->audit = campo_calloc(2, sizeof(*iv->audit));
	iv->audit[0].event = xs("started");
	iv->audit[0].at = xs("2026-11-25T08:00:00.000Z");
	iv->audit[0].elapsed_ms = 0;
	iv->audit[1].event = xs("answer_changed");
	iv->audit[1].key = xs("address");
	iv->audit[1].new_value = xs("Calle 1");
	iv->audit[1].at = xs("2026-11-25T08:01:00.000Z");
	iv->audit[1].elapsed_ms = 60000;
	iv->n_audit = 2;
	iv->content_hash = calloc(1, CAMPO_WIRE_HASH_LEN + 1);
	campo_wire_content_hash(iv, iv->content_hash);
}

static struct campo_wire_batch *make_batch(unsigned n)
{
	struct campo_wire_batch *b = calloc(1, sizeof(*b));
	unsigned i;

	b->batch_id = xs(BATCH);
	b->device_id = xs(DEVICE);
	b->created_at = xs("2026-11-25T09:00:00.000Z");
	b->interviews = campo_calloc(n ? n : 1, sizeof(*b->interviews));
	for (i = 0; i < n; i++) {
		make_iv(&b->interviews[i], i, 3);
	}
	b->n_interviews = n;
	return b;
}

static char *batch_json(const struct campo_wire_batch *b, size_t *len)
{
	struct campo_buf out;
	struct campo_diag diag = { 0 };

	campo_buf_init(&out, CAMPO_WIRE_INFLATED_MAX);
	ck_assert_msg(campo_wire_batch_json(b, &out, &diag) == CAMPO_OK, "%s",
		      diag.msg);
	return campo_buf_detach(&out, len);
}

START_TEST(data_shape)
{
	struct campo_wire_batch *b = make_batch(1);
	struct campo_buf out;
	struct campo_diag diag = { 0 };

	campo_buf_init(&out, 1 << 20);
	ck_assert_int_eq(campo_wire_data_json(&b->interviews[0], &out, &diag),
			 CAMPO_OK);
	ck_assert_str_eq(campo_buf_str(&out),
			 "{\"address\":\"Calle \\\"1\\\"\\n\xc3\xa9\","
			 "\"household\":{\"hh_size\":\"3\",\"member\":["
			 "{\"age\":\"34\",\"name\":\"Ana\"},{},"
			 "{\"age\":\"34\",\"name\":\"Ana\"}],\"pets\":[]}}");
	campo_buf_release(&out);
	campo_wire_batch_free(b);
}
END_TEST

static void same_batch(const struct campo_wire_batch *a,
		       const struct campo_wire_batch *b)
{
	char *ja, *jb;
	size_t la, lb;

	ja = batch_json(a, &la);
	jb = batch_json(b, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert_str_eq(ja, jb);
	free(ja);
	free(jb);
}

START_TEST(round_trip)
{
	struct campo_wire_batch *b = make_batch(5), *back = NULL;
	char d1[CAMPO_WIRE_HASH_LEN + 1], d2[CAMPO_WIRE_HASH_LEN + 1];
	struct campo_diag diag = { 0 };
	struct campo_buf gz;

	campo_buf_init(&gz, CAMPO_WIRE_COMPRESSED_MAX);
	ck_assert_int_eq(campo_wire_batch_encode(b, 6, &gz, &diag), CAMPO_OK);
	ck_assert_int_eq((unsigned char)gz.data[0], 0x1f);
	ck_assert_msg(campo_wire_batch_decode(gz.data, gz.len, NULL, &back,
					      &diag) == CAMPO_OK,
		      "%s: %s", diag.path, diag.msg);
	ck_assert_uint_eq(back->n_interviews, 5);
	ck_assert_str_eq(back->interviews[2].answers[0].value,
			 "Calle \"1\"\n\xc3\xa9");
	ck_assert_uint_eq(back->interviews[2].repeats[0].count, 3);
	ck_assert_ptr_null(back->interviews[2].audit[0].key);
	same_batch(b, back);
	/* the digest ignores the creation time and the gzip level */
	campo_wire_batch_digest(b, d1);
	free(back->created_at);
	back->created_at = xs("2027-01-01T00:00:00.000Z");
	campo_wire_batch_digest(back, d2);
	ck_assert_str_eq(d1, d2);
	free(back->interviews[4].content_hash);
	back->interviews[4].content_hash = xs(back->interviews[0].content_hash);
	campo_wire_batch_digest(back, d2);
	ck_assert_str_ne(d1, d2);
	campo_wire_batch_free(back);
	campo_wire_batch_free(b);
	campo_buf_release(&gz);
}
END_TEST

START_TEST(encode_cap)
{
	struct campo_wire_batch *b = make_batch(20);
	struct campo_diag diag = { 0 };
	struct campo_buf gz;

	campo_buf_init(&gz, 200);
	ck_assert_int_eq(campo_wire_batch_encode(b, 6, &gz, &diag),
			 CAMPO_ERR_LIMIT);
	ck_assert_uint_eq(gz.len, 0);
	campo_buf_release(&gz);
	campo_wire_batch_free(b);
}
END_TEST

static void gzip_of(const void *p, size_t len, struct campo_buf *gz)
{
	struct campo_diag diag = { 0 };

	campo_buf_init(gz, 64u << 20);
	ck_assert_int_eq(campo_wire_gzip(p, len, 9, gz, &diag), CAMPO_OK);
}

static enum campo_status decode_gz(const struct campo_buf *gz,
				   const struct campo_wire_limits *lim,
				   struct campo_diag *diag)
{
	struct campo_wire_batch *b = NULL;
	enum campo_status status;

	campo_diag_init(diag);
	status = campo_wire_batch_decode(gz->data, gz->len, lim, &b, diag);
	ck_assert(status == CAMPO_OK || b == NULL);
	campo_wire_batch_free(b);
	return status;
}

START_TEST(gzip_bomb)
{
	size_t n = 10u << 20;
	char *zeros = calloc(1, n);
	struct campo_diag diag;
	struct campo_buf gz;

	gzip_of(zeros, n, &gz);
	free(zeros);
	ck_assert_uint_lt(gz.len, 20000);
	ck_assert_int_eq(decode_gz(&gz, NULL, &diag), CAMPO_ERR_LIMIT);
	ck_assert_msg(strstr(diag.msg, "inflate ratio"), "%s", diag.msg);
	campo_buf_release(&gz);
}
END_TEST

START_TEST(bad_gzip)
{
	struct campo_wire_batch *b = make_batch(3);
	struct campo_diag diag;
	struct campo_buf gz, more;

	campo_buf_init(&gz, 1 << 20);
	ck_assert_int_eq(campo_wire_batch_encode(b, 6, &gz, &diag), CAMPO_OK);
	/* cut short */
	more = gz;
	more.len = gz.len / 2;
	ck_assert_int_eq(decode_gz(&more, NULL, &diag), CAMPO_ERR_PARSE);
	ck_assert_msg(strstr(diag.msg, "cut short"), "%s", diag.msg);
	/* the trailer missing */
	more.len = gz.len - 4;
	ck_assert_int_eq(decode_gz(&more, NULL, &diag), CAMPO_ERR_PARSE);
	/* empty */
	more.len = 0;
	ck_assert_int_eq(decode_gz(&more, NULL, &diag), CAMPO_ERR_PARSE);
	/* a corrupt byte in the deflate data (or its CRC) */
	gz.data[gz.len / 2] ^= 0x55;
	ck_assert_int_eq(decode_gz(&gz, NULL, &diag), CAMPO_ERR_PARSE);
	gz.data[gz.len / 2] ^= 0x55;
	/* bytes after the member */
	ck_assert_int_eq(campo_buf_adds(&gz, "xx"), CAMPO_OK);
	ck_assert_int_eq(decode_gz(&gz, NULL, &diag), CAMPO_ERR_PARSE);
	ck_assert_msg(strstr(diag.msg, "after the gzip"), "%s", diag.msg);
	/* not gzip at all */
	campo_buf_reset(&gz);
	campo_buf_adds(&gz, "{\"format\":\"campo-batch/1\"}");
	ck_assert_int_eq(decode_gz(&gz, NULL, &diag), CAMPO_ERR_PARSE);
	campo_buf_release(&gz);
	campo_wire_batch_free(b);
}
END_TEST

/* Each cap, lowered so the test batch passes it: the right error. */
static const struct {
	const char *name;
	struct campo_wire_limits lim;
	const char *msg;
} caps[] = {
	{ "compressed", { .compressed_max = 100 }, "compressed batch" },
	{ "inflated",
	  { .inflated_max = 1000, .ratio_floor = 1u << 20 },
	  "inflated batch passes" },
	{ "ratio", { .ratio_max = 2, .ratio_floor = 16 }, "inflate ratio" },
	{ "records", { .records_max = 3 }, "interviews pass the cap" },
	{ "answers", { .answers_max = 5 }, "answers, groups and repeats" },
	{ "audit", { .audit_max = 1 }, "audit rows" },
	{ "string", { .string_max = 30 }, "string at byte" },
	{ "depth", { .depth_max = 4 }, "nesting" },
};

START_TEST(every_cap)
{
	struct campo_wire_batch *b = make_batch(4);
	struct campo_diag diag;
	struct campo_buf gz;

	campo_buf_init(&gz, 1 << 20);
	ck_assert_int_eq(campo_wire_batch_encode(b, 6, &gz, &diag), CAMPO_OK);
	ck_assert_int_eq(decode_gz(&gz, NULL, &diag), CAMPO_OK);
	ck_assert_msg(decode_gz(&gz, &caps[_i].lim, &diag) == CAMPO_ERR_LIMIT,
		      "%s: %s", caps[_i].name, diag.msg);
	ck_assert_msg(strstr(diag.msg, caps[_i].msg), "%s: %s", caps[_i].name,
		      diag.msg);
	campo_buf_release(&gz);
	campo_wire_batch_free(b);
}
END_TEST

/* A good batch's JSON with one substitution: the expected status. */
static const struct {
	const char *from, *to;
	enum campo_status status;
	const char *msg;
} edits[] = {
	{ "\"format\":\"campo-batch/1\"", "\"format\":\"campo-batch/2\"",
	  CAMPO_ERR_INVALID, "unsupported format" },
	{ "\"format\":\"campo-batch/1\",", "", CAMPO_ERR_INVALID,
	  "missing key 'format'" },
	{ "\"created_at\"", "\"created\"", CAMPO_ERR_INVALID, "unknown key" },
	{ "\"revision\":1", "\"revision\":\"1\"", CAMPO_ERR_INVALID,
	  "must be a number" },
	{ "\"revision\":1", "\"revision\":1.5", CAMPO_ERR_INVALID,
	  "must be an integer" },
	{ "\"status\":\"finalized\"", "\"status\":\"draft\"", CAMPO_ERR_INVALID,
	  "status 'draft'" },
	{ "\"form_id\":\"census\"", "\"form_id\":7", CAMPO_ERR_INVALID,
	  "must be a string" },
	{ "\"hh_size\":\"3\"", "\"hh_size\":\"4\"", CAMPO_ERR_INVALID,
	  "content hash does not match" },
	{ "\"hh_size\":\"3\"", "\"hh_size\":3", CAMPO_ERR_INVALID,
	  "must be a string, an object or an array" },
	{ "\"hh_size\":\"3\"", "\"hh_size\":\"3\",\"hh_size\":\"3\"",
	  CAMPO_ERR_INVALID, "given twice" },
	{ "\"hh_size\":\"3\"", "\"hh size\":\"3\"", CAMPO_ERR_INVALID,
	  "bad name" },
	{ "\"hh_size\":\"3\"", "\"hh_size\":\"3\\u0000\"", CAMPO_ERR_INVALID,
	  "NUL" },
	{ "\"language\":\"es\"", "\"language\":\"es\",\"language\":\"es\"",
	  CAMPO_ERR_INVALID, "duplicate key" },
	{ "\"batch_id\":\"" BATCH "\"", "\"batch_id\":\"nope\"",
	  CAMPO_ERR_INVALID, "not a UUID" },
	{ "\"audit\":[", "\"audit\":[7,", CAMPO_ERR_INVALID,
	  "must be an object" },
	{ "{\"format\"", "[{\"format\"", CAMPO_ERR_PARSE, "not valid JSON" },
	{ "\"interviews\":[", "\"interviews\":[,", CAMPO_ERR_PARSE,
	  "not valid JSON" },
	{ "\"Ana\"", "\"An\xff\"", CAMPO_ERR_INVALID, "not valid UTF-8" },
};

static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);

	ck_assert_ptr_nonnull(at);
	snprintf(out, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
	return out;
}

START_TEST(bad_json)
{
	struct campo_wire_batch *b = make_batch(2), *back = NULL;
	struct campo_diag diag = { 0 };
	char *json, *bad;
	size_t len;

	json = batch_json(b, &len);
	bad = replace(json, edits[_i].from, edits[_i].to);
	ck_assert_int_eq(
		campo_wire_batch_parse(bad, strlen(bad), NULL, &back, &diag),
		edits[_i].status);
	ck_assert_ptr_null(back);
	ck_assert_msg(strstr(diag.msg, edits[_i].msg), "edit %d: %s", _i,
		      diag.msg);
	free(bad);
	free(json);
	campo_wire_batch_free(b);
}
END_TEST

START_TEST(twice_in_batch)
{
	struct campo_wire_batch *b = make_batch(2), *back = NULL;
	struct campo_diag diag = { 0 };
	char *json;
	size_t len;

	campo_wire_interview_release(&b->interviews[1]);
	make_iv(&b->interviews[1], 0, 3);
	json = batch_json(b, &len);
	ck_assert_int_eq(campo_wire_batch_parse(json, len, NULL, &back, &diag),
			 CAMPO_ERR_INVALID);
	ck_assert_msg(strstr(diag.msg, "twice in the batch"), "%s", diag.msg);
	free(json);
	campo_wire_batch_free(b);
}
END_TEST

START_TEST(ack_round_trip)
{
	char *ids[2] = { "uuid:00000000-1111-4111-8111-111111111111",
			 "uuid:00000001-1111-4111-8111-111111111111" };
	struct campo_wire_ack ack = {
		.batch_id = BATCH,
		.received_at = "2026-11-25T09:00:01.000Z",
		.new_ids = ids,
		.n_new = 1,
		.conflict_ids = ids + 1,
		.n_conflict = 1,
	};
	struct campo_wire_ack back;
	struct campo_diag diag = { 0 };
	struct campo_buf out;
	const char *portal =
		"<html><body>Log in to the free wifi</body></html>";

	campo_buf_init(&out, 1 << 16);
	ck_assert_int_eq(campo_wire_ack_json(&ack, &out), CAMPO_OK);
	ck_assert_str_eq(campo_buf_str(&out),
			 "{\"format\":\"campo-ack/1\",\"batch_id\":\"" BATCH
			 "\",\"received_at\":\"2026-11-25T09:00:01.000Z\","
			 "\"new\":[\"uuid:00000000-1111-4111-8111-"
			 "111111111111\"],\"duplicate\":[],\"conflict\":["
			 "\"uuid:00000001-1111-4111-8111-111111111111\"],"
			 "\"messages\":[]}");
	ck_assert_int_eq(campo_wire_ack_parse(out.data, out.len, &back, &diag),
			 CAMPO_OK);
	ck_assert_str_eq(back.batch_id, BATCH);
	ck_assert_uint_eq(back.n_new, 1);
	ck_assert_uint_eq(back.n_duplicate, 0);
	ck_assert_str_eq(back.conflict_ids[0], ids[1]);
	campo_wire_ack_release(&back);
	ck_assert_int_eq(
		campo_wire_ack_parse(portal, strlen(portal), &back, &diag),
		CAMPO_ERR_PARSE);
	ck_assert_int_eq(
		campo_wire_ack_parse("{\"format\":\"x\"}", 14, &back, &diag),
		CAMPO_ERR_INVALID);
	campo_buf_release(&out);
}
END_TEST

static Suite *wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("batch");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, data_shape);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, encode_cap);
	tcase_add_test(tc, gzip_bomb);
	tcase_add_test(tc, bad_gzip);
	tcase_add_loop_test(tc, every_cap, 0,
			    (int)(sizeof(caps) / sizeof(caps[0])));
	tcase_add_loop_test(tc, bad_json, 0,
			    (int)(sizeof(edits) / sizeof(edits[0])));
	tcase_add_test(tc, twice_in_batch);
	tcase_add_test(tc, ack_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(wire_suite());
}
