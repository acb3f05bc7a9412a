/* SPDX-License-Identifier: MIT */
/* Unit tests of campo-syncd: backoff, configuration, batching, the
 * acknowledgement, a pass against a tiny HTTP responder on loopback. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runner.h"
#include "syncd.h"
#include "util/alloc.h"
#include "util/file.h"

/* ----- helpers ----- */

static void write_file(const char *path, const char *text)
{
	ck_assert_int_eq(
		campo_file_write_atomic(path, text, strlen(text), NULL),
		CAMPO_OK);
}

static char *join(const char *dir, const char *name)
{
	static char buf[4][1024];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

/* A store at dir/dev.db with n finalized interviews. */
static struct campo_store *make_store(const char *dir, unsigned n)
{
	struct campo_store *store = NULL;
	struct campo_diag diag = { 0 };
	unsigned i;

	ck_assert_int_eq(
		campo_store_open(join(dir, "dev.db"), 0, &store, &diag),
		CAMPO_OK);
	for (i = 0; i < n; i++) {
		char id[CAMPO_STORE_ID_LEN + 1], value[64];
		struct campo_store_new_interview iv = {
			.instance_id = id,
			.form_id = "census",
			.form_version = "1",
			.form_hash = "sha256:00",
		};

		snprintf(id, sizeof(id),
			 "uuid:%08x-1111-4111-8111-111111111111", i + 1);
		ck_assert_int_eq(
			campo_store_interview_create(store, &iv, &diag),
			CAMPO_OK);
		snprintf(value, sizeof(value), "Calle %u", i);
		ck_assert_int_eq(campo_store_answer_save(store, id, "address",
							 value, strlen(value),
							 &diag),
				 CAMPO_OK);
		ck_assert_int_eq(
			campo_store_interview_finalize(store, id, NULL, &diag),
			CAMPO_OK);
	}
	return store;
}

static size_t waiting(struct campo_store *store)
{
	struct syncd_waiting w;

	ck_assert_int_eq(syncd_waiting(store, &w, NULL), CAMPO_OK);
	return w.entries;
}

/* ----- backoff ----- */

START_TEST(backoff_bounds)
{
	uint64_t r;
	unsigned a;

	ck_assert_uint_eq(syncd_backoff_ms(1000, 60000, 0, 12345), 0);
	/* the ceiling doubles from min and stops at max */
	ck_assert_uint_eq(syncd_backoff_ms(1000, 60000, 1, UINT64_MAX - 1),
			  (UINT64_MAX - 1) % 1001);
	ck_assert_uint_eq(syncd_backoff_ms(1000, 60000, 1, 1000), 1000);
	ck_assert_uint_eq(syncd_backoff_ms(1000, 60000, 2, 2000), 2000);
	ck_assert_uint_eq(syncd_backoff_ms(1000, 60000, 3, 4000), 4000);
	ck_assert_uint_eq(syncd_backoff_ms(1000, 60000, 7, 60000), 60000);
	ck_assert_uint_eq(syncd_backoff_ms(1000, 60000, 7, 60001), 0);
	for (a = 1; a < 200; a++) {
		for (r = 0; r < 50; r++) {
			uint64_t w = syncd_backoff_ms(1000, 60000, a,
						      r * 0x9e3779b97f4a7c15u);

			ck_assert_uint_le(w, 60000);
			ck_assert_uint_le(w, a < 7 ? 1000u << (a - 1) : 60000);
		}
	}
	/* a huge cap does not overflow the doubling */
	ck_assert_uint_le(syncd_backoff_ms(1, UINT64_MAX / 2, 500, 77), 77);
}
END_TEST

START_TEST(backoff_spread)
{
	/* full jitter: over many draws the waits fill [0, ceiling] */
	uint64_t lo = UINT64_MAX, hi = 0, r;
	unsigned i;

	for (i = 0; i < 2000; i++) {
		uint64_t w;

		ck_assert_int_eq(campo_random_bytes(&r, sizeof(r)), CAMPO_OK);
		w = syncd_backoff_ms(100, 100000, 5, r);
		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	ck_assert_uint_lt(lo, 200);
	ck_assert_uint_gt(hi, 1400);
	ck_assert_uint_le(hi, 1600);
}
END_TEST

/* ----- configuration ----- */

START_TEST(config_file)
{
	const char *dir = campo_test_tmpdir();
	struct syncd_config cfg;
	struct campo_diag diag = { 0 };

	syncd_config_init(&cfg);
	write_file(join(dir, "tok"), "abcdef0123\n");
	write_file(join(dir, "syncd.conf"),
		   "# campo-syncd\n"
		   "\n"
		   "  hub = https://office.example/campo/  \n"
		   "db=/var/lib/campo/c.db\r\n"
		   "batch_interviews = 25\n"
		   "backoff_max_ms\t=\t60000\n");
	ck_assert_int_eq(
		syncd_config_load(&cfg, join(dir, "syncd.conf"), false, &diag),
		CAMPO_OK);
	ck_assert_str_eq(cfg.hub, "https://office.example/campo/");
	ck_assert_str_eq(cfg.db, "/var/lib/campo/c.db");
	ck_assert_uint_eq(cfg.batch_interviews, 25);
	ck_assert_uint_eq(cfg.backoff_max_ms, 60000);
	ck_assert_uint_eq(cfg.batch_bytes, 512u << 10); /* the default */
	/* a flag overrides the file */
	ck_assert_int_eq(
		syncd_config_set(&cfg, "token_file", join(dir, "tok"), &diag),
		CAMPO_OK);
	ck_assert_int_eq(syncd_config_finish(&cfg, true, "ignored", &diag),
			 CAMPO_OK);
	ck_assert_str_eq(cfg.token, "abcdef0123");
	ck_assert_str_eq(cfg.hub, "https://office.example/campo");
	syncd_config_release(&cfg);

	/* a missing default file is fine, a missing named one is not */
	syncd_config_init(&cfg);
	ck_assert_int_eq(
		syncd_config_load(&cfg, join(dir, "none"), true, &diag),
		CAMPO_OK);
	ck_assert_int_ne(
		syncd_config_load(&cfg, join(dir, "none"), false, &diag),
		CAMPO_OK);
	syncd_config_release(&cfg);
}
END_TEST

static const struct {
	const char *text;
	unsigned line;
	const char *msg;
} bad_files[] = {
	{ "hub = https://a\nhub = https://b\n", 2, "set twice" },
	{ "# c\nfrobnicate = 1\n", 2, "unknown setting 'frobnicate'" },
	{ "token = abc\n", 1, "a token is not configuration" },
	{ "batch_interviews = 0\n", 1, "from 1 to 1000" },
	{ "batch_interviews = 12x\n", 1, "not '12x'" },
	{ "batch_interviews = -3\n", 1, "whole number" },
	{ "poll_ms = 99999999999999999999999\n", 1, "whole number" },
	{ "just words\n", 1, "expected 'key = value'" },
	{ "\n\n = 3\n", 3, "key is missing" },
	{ "hub =\n", 1, "'hub' is empty" },
};

START_TEST(config_bad_file)
{
	const char *dir = campo_test_tmpdir();
	struct campo_diag diag = { 0 };
	struct syncd_config cfg;

	syncd_config_init(&cfg);
	write_file(join(dir, "bad.conf"), bad_files[_i].text);
	ck_assert_int_ne(
		syncd_config_load(&cfg, join(dir, "bad.conf"), false, &diag),
		CAMPO_OK);
	ck_assert_uint_eq(diag.line, bad_files[_i].line);
	ck_assert_msg(strstr(diag.msg, bad_files[_i].msg), "%s: got '%s'",
		      bad_files[_i].text, diag.msg);
	ck_assert_msg(strstr(diag.file, "bad.conf"), "file: %s", diag.file);
	syncd_config_release(&cfg);
}
END_TEST

static const struct {
	const char *hub;
	bool ok;
} hubs[] = {
	{ "https://office.example", true },
	{ "HTTPS://office.example:8443/campo", true },
	{ "http://127.0.0.1:8080", true },
	{ "http://127.9.8.7", true },
	{ "http://localhost/x", true },
	{ "http://[::1]:99", true },
	{ "http://office.example", false },
	{ "http://127.0.0.1.evil.example", false },
	{ "http://localhost.evil.example", false },
	{ "ftp://office.example", false },
	{ "https://", false },
	{ "https://a b", false },
	{ "office.example", false },
};

START_TEST(config_hub_url)
{
	struct campo_diag diag = { 0 };
	struct syncd_config cfg;

	syncd_config_init(&cfg);
	ck_assert_int_eq(syncd_config_set(&cfg, "hub", hubs[_i].hub, &diag),
			 CAMPO_OK);
	ck_assert_int_eq(syncd_config_set(&cfg, "db", "/x.db", &diag),
			 CAMPO_OK);
	ck_assert_msg((syncd_config_finish(&cfg, true, "tok", &diag) ==
		       CAMPO_OK) == hubs[_i].ok,
		      "%s: %s", hubs[_i].hub, diag.msg);
	syncd_config_release(&cfg);
}
END_TEST

START_TEST(config_token)
{
	const char *dir = campo_test_tmpdir();
	struct campo_diag diag = { 0 };
	struct syncd_config cfg;
	char big[SYNCD_TOKEN_MAX + 2];

	syncd_config_init(&cfg);
	syncd_config_set(&cfg, "hub", "https://h", &diag);
	syncd_config_set(&cfg, "db", "/x.db", &diag);
	/* no token at all */
	ck_assert_int_eq(syncd_config_finish(&cfg, true, NULL, &diag),
			 CAMPO_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(diag.msg, "no token"));
	/* from the environment */
	ck_assert_int_eq(syncd_config_finish(&cfg, true, "e0e0", &diag),
			 CAMPO_OK);
	ck_assert_str_eq(cfg.token, "e0e0");
	ck_assert_int_eq(syncd_config_finish(&cfg, true, "a b", &diag),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		syncd_config_finish(&cfg, true, "a\r\nX-Evil: 1", &diag),
		CAMPO_ERR_INVALID);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(syncd_config_finish(&cfg, true, big, &diag),
			 CAMPO_ERR_INVALID);
	/* a token file wins over the environment; only its first line */
	write_file(join(dir, "t"), "f00d\r\nsecond line\n");
	syncd_config_set(&cfg, "token_file", join(dir, "t"), &diag);
	ck_assert_int_eq(syncd_config_finish(&cfg, true, "e0e0", &diag),
			 CAMPO_OK);
	ck_assert_str_eq(cfg.token, "f00d");
	write_file(join(dir, "t"), "\n");
	ck_assert_int_eq(syncd_config_finish(&cfg, true, NULL, &diag),
			 CAMPO_ERR_INVALID);
	/* status and --usb need neither hub nor token */
	syncd_config_release(&cfg);
	syncd_config_init(&cfg);
	syncd_config_set(&cfg, "db", "/x.db", &diag);
	ck_assert_int_eq(syncd_config_finish(&cfg, false, NULL, &diag),
			 CAMPO_OK);
	syncd_config_release(&cfg);
}
END_TEST

/* ----- batching ----- */

START_TEST(batch_caps_and_resend)
{
	const char *dir = campo_test_tmpdir();
	struct campo_store *store = make_store(dir, 5);
	struct syncd_skip skip = { 0 };
	struct syncd_batch b, again;
	char first[CAMPO_UUID_LEN + 1];

	ck_assert_uint_eq(waiting(store), 5);
	ck_assert_int_eq(syncd_batch_next(store, &skip, 2, 1u << 20, &b, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(b.n, 2);
	ck_assert(!b.resent);
	ck_assert_str_eq(b.ids[0], "uuid:00000001-1111-4111-8111-111111111111");
	memcpy(first, b.batch_id, sizeof(first));
	syncd_batch_release(&b);

	/* not acknowledged: the next pass resends the same batch, even with
	 * other caps */
	ck_assert_int_eq(
		syncd_batch_next(store, &skip, 50, 1u << 20, &again, NULL),
		CAMPO_OK);
	ck_assert_str_eq(again.batch_id, first);
	ck_assert(again.resent);
	ck_assert_uint_eq(again.n, 2);
	syncd_batch_release(&again);

	/* a pass skips what it has dealt with */
	ck_assert_int_eq(syncd_skip_add(&skip, first), CAMPO_OK);
	ck_assert_int_eq(syncd_batch_next(store, &skip, 2, 1u << 20, &b, NULL),
			 CAMPO_OK);
	ck_assert_str_ne(b.batch_id, first);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_str_eq(b.ids[0], "uuid:00000003-1111-4111-8111-111111111111");
	syncd_skip_add(&skip, b.batch_id);
	syncd_batch_release(&b);
	ck_assert_int_eq(syncd_batch_next(store, &skip, 2, 1u << 20, &b, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(b.n, 1);
	syncd_skip_add(&skip, b.batch_id);
	syncd_batch_release(&b);
	ck_assert_int_eq(syncd_batch_next(store, &skip, 2, 1u << 20, &b, NULL),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_uint_eq(skip.n, 3);

	/* acknowledged batches leave the outbox */
	ck_assert_int_eq(campo_store_outbox_mark_sent(store, first, NULL, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(waiting(store), 3);
	syncd_skip_release(&skip);
	campo_store_close(store);
}
END_TEST

START_TEST(batch_byte_cap)
{
	const char *dir = campo_test_tmpdir();
	struct campo_store *store = make_store(dir, 8);
	struct syncd_batch b;
	size_t one, cap;

	/* one interview's batch, to size the cap */
	ck_assert_int_eq(syncd_batch_next(store, NULL, 1, 1u << 20, &b, NULL),
			 CAMPO_OK);
	one = b.gz.len;
	ck_assert_uint_gt(one, 200);
	ck_assert_int_eq(
		campo_store_outbox_mark_sent(store, b.batch_id, NULL, NULL),
		CAMPO_OK);
	syncd_batch_release(&b);
	/* seven waiting do not fit a cap of about one: halved until they do */
	cap = one + one / 8;
	ck_assert_int_eq(syncd_batch_next(store, NULL, 100, cap, &b, NULL),
			 CAMPO_OK);
	ck_assert_uint_lt(b.n, 7);
	ck_assert_uint_ge(b.n, 1);
	ck_assert_uint_le(b.gz.len, cap);
	ck_assert_int_eq(
		campo_store_outbox_mark_sent(store, b.batch_id, NULL, NULL),
		CAMPO_OK);
	syncd_batch_release(&b);
	/* a cap smaller than one interview still sends it, alone */
	ck_assert_int_eq(syncd_batch_next(store, NULL, 100, 100, &b, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(b.n, 1);
	ck_assert_uint_gt(b.gz.len, 100);
	syncd_batch_release(&b);
	/* without a byte cap that bites, the rest go together */
	ck_assert_int_eq(syncd_batch_next(store, NULL, 100, 1u << 20, &b, NULL),
			 CAMPO_OK);
	ck_assert(b.resent); /* the single one above comes back first */
	syncd_batch_release(&b);
	campo_store_close(store);
}
END_TEST

/* ----- the acknowledgement ----- */

/* An acknowledgement of b: ids k with where[k] 'n', 'd', 'c' or '-'
 * (left out), plus extra (may be NULL) as new. */
static char *make_ack(const char *batch_id, const struct syncd_batch *b,
		      const char *where, const char *extra)
{
	struct campo_wire_ack ack = { 0 };
	struct campo_buf out;
	char *ids[3][16];
	size_t k;

	ack.batch_id = (char *)(uintptr_t)batch_id;
	ack.received_at = (char *)(uintptr_t) "2026-11-25T09:00:01.000Z";
	ack.new_ids = ids[0];
	ack.duplicate_ids = ids[1];
	ack.conflict_ids = ids[2];
	for (k = 0; k < b->n; k++) {
		switch (where[k]) {
		case 'n':
			ids[0][ack.n_new++] = b->ids[k];
			break;
		case 'd':
			ids[1][ack.n_duplicate++] = b->ids[k];
			break;
		case 'c':
			ids[2][ack.n_conflict++] = b->ids[k];
			break;
		case '2':
			ids[0][ack.n_new++] = b->ids[k];
			ids[1][ack.n_duplicate++] = b->ids[k];
			break;
		default:
			break;
		}
	}
	if (extra) {
		ids[0][ack.n_new++] = (char *)(uintptr_t)extra;
	}
	campo_buf_init(&out, 1u << 16);
	ck_assert_int_eq(campo_wire_ack_json(&ack, &out), CAMPO_OK);
	return campo_buf_detach(&out, NULL);
}

START_TEST(ack_checks)
{
	const char *dir = campo_test_tmpdir();
	struct campo_store *store = make_store(dir, 3);
	struct campo_diag diag = { 0 };
	struct syncd_batch b;
	size_t n_new, n_dup, n_conflict;
	char *ack;
	static const char portal[] =
		"<!DOCTYPE html><html><head><title>Free WiFi</title></head>"
		"<body>Accept the terms</body></html>";

	ck_assert_int_eq(syncd_batch_next(store, NULL, 10, 1u << 20, &b, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(b.n, 3);

	ack = make_ack(b.batch_id, &b, "ndc", NULL);
	ck_assert_int_eq(syncd_ack_check(&b, ack, strlen(ack), &n_new, &n_dup,
					 &n_conflict, &diag),
			 CAMPO_OK);
	ck_assert_uint_eq(n_new + n_dup * 10 + n_conflict * 100, 111);
	free(ack);

	ack = make_ack("0b7e4a52-6a0e-4c1e-9b1a-2f3c4d5e6f70", &b, "nnn", NULL);
	ck_assert_int_eq(
		syncd_ack_check(&b, ack, strlen(ack), NULL, NULL, NULL, &diag),
		CAMPO_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(diag.msg, "names batch"));
	free(ack);

	ack = make_ack(b.batch_id, &b, "n-n", NULL);
	ck_assert_int_eq(
		syncd_ack_check(&b, ack, strlen(ack), NULL, NULL, NULL, &diag),
		CAMPO_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(diag.msg, "leaves out"));
	free(ack);

	ack = make_ack(b.batch_id, &b, "nnn",
		       "uuid:99999999-1111-4111-8111-111111111111");
	ck_assert_int_eq(
		syncd_ack_check(&b, ack, strlen(ack), NULL, NULL, NULL, &diag),
		CAMPO_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(diag.msg, "not in the batch"));
	free(ack);

	ack = make_ack(b.batch_id, &b, "n2n", NULL);
	ck_assert_int_eq(
		syncd_ack_check(&b, ack, strlen(ack), NULL, NULL, NULL, &diag),
		CAMPO_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(diag.msg, "twice"));
	free(ack);

	ck_assert_int_eq(syncd_ack_check(&b, portal, strlen(portal), NULL, NULL,
					 NULL, &diag),
			 CAMPO_ERR_PARSE);
	ck_assert_int_ne(syncd_ack_check(&b, "", 0, NULL, NULL, NULL, &diag),
			 CAMPO_OK);
	ck_assert_int_ne(syncd_ack_check(&b, "{}", 2, NULL, NULL, NULL, &diag),
			 CAMPO_OK);
	syncd_batch_release(&b);
	campo_store_close(store);
}
END_TEST

/* ----- a pass against a tiny HTTP responder ----- */

enum mode {
	M_ACK,	   /* decode the batch, acknowledge every interview as new */
	M_PORTAL,  /* 200 with an HTML page */
	M_500,	   /* the hub failed */
	M_409,	   /* this batch refused */
	M_OTHER,   /* a well-formed acknowledgement of another batch */
	M_HANG_UP, /* read the request, close without a word */
	M_ONE,	   /* 413 for a batch of more than one interview, else ack */
};

/* How GET /api/v1/messages is answered (a hub's messages to a device). */
enum msg_mode {
	MM_404,	 /* a hub older than messages */
	MM_BODY, /* 200 with msg_body */
	MM_500,	 /* the hub failed */
	MM_401,	 /* a bad token */
	MM_MANY, /* 150 messages of an unknown type, 100 per page */
};

struct responder {
	int fd;
	int port;
	enum mode mode;
	int requests; /* PUTs of batches */
	char auth[512];
	char path[256];
	enum msg_mode msg_mode;
	const char *msg_body;
	int gets;    /* GETs of messages */
	bool is_get; /* the request being served */
	char get_path[256];
	char get_auth[512];
	pthread_t thread;
};

/* Reads one request; returns its body (malloc'd) and length. */
static char *read_request(int c, struct responder *r, size_t *blen)
{
	char head[8192], *end, *p, *body;
	size_t have = 0, len = 0, got;
	ssize_t n;

	while (have < sizeof(head) - 1) {
		n = read(c, head + have, sizeof(head) - 1 - have);
		if (n <= 0) {
			return NULL;
		}
		have += (size_t)n;
		head[have] = '\0';
		if ((end = strstr(head, "\r\n\r\n"))) {
			break;
		}
	}
	end = strstr(head, "\r\n\r\n");
	if (!end) {
		return NULL;
	}
	r->is_get = !strncmp(head, "GET ", 4);
	if (r->is_get) {
		sscanf(head, "%*s %255s", r->get_path);
		if ((p = strstr(head, "\r\nAuthorization: "))) {
			sscanf(p + 17, "%511[^\r]", r->get_auth);
		}
		*blen = 0;
		return strdup("");
	}
	sscanf(head, "%*s %255s", r->path);
	if ((p = strstr(head, "\r\nAuthorization: "))) {
		sscanf(p + 17, "%511[^\r]", r->auth);
	}
	if ((p = strstr(head, "\r\nContent-Length: "))) {
		len = strtoul(p + 18, NULL, 10);
	}
	body = malloc(len + 1);
	got = have - (size_t)(end + 4 - head);
	memcpy(body, end + 4, got);
	while (got < len && (n = read(c, body + got, len - got)) > 0) {
		got += (size_t)n;
	}
	*blen = got;
	return body;
}

static void reply(int c, int code, const char *type, const char *body)
{
	char head[256];
	ssize_t w;

	snprintf(head, sizeof(head),
		 "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n",
		 code, type, strlen(body));
	w = write(c, head, strlen(head));
	w = write(c, body, strlen(body));
	(void)w;
}

/* Answers a GET of messages as r->msg_mode says. */
static void serve_messages(int c, struct responder *r)
{
	struct campo_buf out;
	long long after = 0, seq;
	const char *p = strstr(r->get_path, "after=");

	r->gets++;
	if (!strstr(r->get_path, "/api/v1/messages?after=")) {
		reply(c, 400, "application/json", "{}");
		return;
	}
	after = p ? strtoll(p + 6, NULL, 10) : -1;
	switch (r->msg_mode) {
	case MM_404:
		reply(c, 404, "application/json", "{\"error\":\"not_found\"}");
		break;
	case MM_BODY:
		reply(c, 200, "application/json", r->msg_body);
		break;
	case MM_500:
		reply(c, 500, "application/json", "{\"error\":\"db\"}");
		break;
	case MM_401:
		reply(c, 401, "application/json", "{\"error\":\"token\"}");
		break;
	case MM_MANY:
		campo_buf_init(&out, 1u << 20);
		campo_buf_adds(&out, "{\"format\":\"campo-messages/1\","
				     "\"messages\":[");
		for (seq = after + 1; seq <= 150 && seq <= after + 100; seq++) {
			campo_buf_printf(&out,
					 "%s{\"seq\":%lld,\"type\":\"later\","
					 "\"x\":[1]}",
					 seq > after + 1 ? "," : "", seq);
		}
		campo_buf_adds(&out, "]}");
		reply(c, 200, "application/json", campo_buf_str(&out));
		campo_buf_release(&out);
		break;
	}
}

static void *serve(void *arg)
{
	struct responder *r = arg;
	int c;

	while ((c = accept(r->fd, NULL, NULL)) >= 0) {
		struct campo_wire_batch *wb = NULL;
		struct campo_wire_ack ack = { 0 };
		struct campo_buf out;
		size_t len = 0, k;
		char *body = read_request(c, r, &len);

		if (body && r->is_get) {
			serve_messages(c, r);
			free(body);
			close(c);
			continue;
		}
		r->requests++;
		if (!body) {
			close(c);
			continue;
		}
		campo_buf_init(&out, 1u << 16);
		switch (r->mode) {
		case M_ACK:
		case M_OTHER:
		case M_ONE:
			if (campo_wire_batch_decode(body, len, NULL, &wb,
						    NULL) != CAMPO_OK) {
				reply(c, 400, "application/json",
				      "{\"error\":\"invalid\"}");
				break;
			}
			if (r->mode == M_ONE && wb->n_interviews > 1) {
				reply(c, 413, "application/json",
				      "{\"error\":\"too_large\"}");
				campo_wire_batch_free(wb);
				break;
			}
			ack.batch_id =
				r->mode != M_OTHER
					? wb->batch_id
					: (char *)(uintptr_t) "0b7e4a52-6a0e-"
							      "4c1e-9b1a-"
							      "2f3c4d5e6f70";
			ack.received_at =
				(char *)(uintptr_t) "2026-11-25T09:00:01.000Z";
			ack.new_ids =
				calloc(wb->n_interviews + 1, sizeof(char *));
			for (k = 0; k < wb->n_interviews; k++) {
				ack.new_ids[k] = wb->interviews[k].instance_id;
			}
			ack.n_new = wb->n_interviews;
			campo_wire_ack_json(&ack, &out);
			reply(c, 201, "application/json", campo_buf_str(&out));
			free(ack.new_ids);
			campo_wire_batch_free(wb);
			break;
		case M_PORTAL:
			reply(c, 200, "text/html",
			      "<html><body>Welcome to FreeWifi</body></html>");
			break;
		case M_500:
			reply(c, 500, "application/json",
			      "{\"error\":\"db\",\"message\":\"disk full\"}");
			break;
		case M_409:
			reply(c, 409, "application/json",
			      "{\"error\":\"conflict\",\"message\":\"batch "
			      "id reused\"}");
			break;
		case M_HANG_UP:
			break;
		}
		campo_buf_release(&out);
		free(body);
		close(c);
	}
	return NULL;
}

static void responder_start(struct responder *r)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);

	memset(r, 0, sizeof(*r));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(r->fd, 0);
	ck_assert_int_eq(bind(r->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(r->fd, 8), 0);
	getsockname(r->fd, (struct sockaddr *)&a, &al);
	r->port = ntohs(a.sin_port);
	ck_assert_int_eq(pthread_create(&r->thread, NULL, serve, r), 0);
}

static void responder_stop(struct responder *r)
{
	shutdown(r->fd, SHUT_RDWR);
	close(r->fd);
	pthread_join(r->thread, NULL);
}

/* A configuration for the responder with a small batch cap. */
static void pass_config(struct syncd_config *cfg, const struct responder *r)
{
	char url[64];

	syncd_config_init(cfg);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", r->port);
	ck_assert_int_eq(syncd_config_set(cfg, "hub", url, NULL), CAMPO_OK);
	syncd_config_set(cfg, "db", "/unused", NULL);
	syncd_config_set(cfg, "batch_interviews", "2", NULL);
	syncd_config_set(cfg, "connect_timeout_s", "2", NULL);
	syncd_config_set(cfg, "timeout_s", "5", NULL);
	ck_assert_int_eq(syncd_config_finish(cfg, true, "t0k3n", NULL),
			 CAMPO_OK);
}

START_TEST(pass_outcomes)
{
	const char *dir = campo_test_tmpdir();
	struct campo_store *store = make_store(dir, 5);
	struct syncd_http *http = NULL;
	struct syncd_config cfg;
	struct responder r;
	char *hist = NULL, *last = NULL;
	FILE *log = fopen(join(dir, "log"), "w+");
	char text[8192];
	size_t n;

	ck_assert_ptr_nonnull(log);
	setenv("NO_PROXY", "*", 1);
	responder_start(&r);
	pass_config(&cfg, &r);
	ck_assert_int_eq(syncd_http_global_init(), CAMPO_OK);
	ck_assert_int_eq(syncd_http_new(&cfg, NULL, &http, NULL), CAMPO_OK);

	/* failures mark nothing sent and stop the pass at once */
	r.mode = M_PORTAL;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_RETRY);
	ck_assert_int_eq(r.requests, 1);
	ck_assert_uint_eq(waiting(store), 5);
	r.mode = M_500;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_RETRY);
	r.mode = M_OTHER;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_RETRY);
	r.mode = M_HANG_UP;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_RETRY);
	ck_assert_uint_eq(waiting(store), 5);
	ck_assert_int_ne(campo_store_setting_get(store,
						 CAMPO_STORE_SETTING_LAST_SYNC,
						 &last, NULL),
			 CAMPO_OK);
	/* a 4xx refuses one batch; the pass goes on with the others */
	r.mode = M_409;
	r.requests = 0;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log),
			 SYNCD_REFUSED);
	ck_assert_int_eq(r.requests, 3);
	ck_assert_uint_eq(waiting(store), 5);

	/* the token and the batch id travel; everything is marked sent */
	r.mode = M_ACK;
	r.requests = 0;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_DONE);
	ck_assert_int_eq(r.requests, 3);
	ck_assert_str_eq(r.auth, "Bearer t0k3n");
	ck_assert_ptr_nonnull(strstr(r.path, "/api/v1/batches/"));
	ck_assert_uint_eq(waiting(store), 0);
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log),
			 SYNCD_NOTHING);
	ck_assert_int_eq(campo_store_setting_get(store,
						 CAMPO_STORE_SETTING_LAST_SYNC,
						 &last, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(strlen(last), CAMPO_WIRE_TIME_LEN);

	/* messages were asked after the three passes that reached the hub
	 * (not after a failure); the old hub's 404 is logged once */
	ck_assert_int_eq(r.gets, 3);
	ck_assert_str_eq(r.get_auth, "Bearer t0k3n");

	/* one log line per attempt: 4 failures, 3 refusals, 3 successes,
	 * and the 404 */
	rewind(log);
	n = fread(text, 1, sizeof(text) - 1, log);
	text[n] = '\0';
	ck_assert_ptr_nonnull(strstr(text, "result=bad-ack"));
	ck_assert_ptr_nonnull(strstr(text, "http=500"));
	ck_assert_ptr_nonnull(strstr(text, "result=hub-error reason=\"disk "
					   "full\""));
	ck_assert_ptr_nonnull(strstr(text, "result=network"));
	ck_assert_ptr_nonnull(strstr(text, "result=refused"));
	ck_assert_ptr_nonnull(strstr(text, "http=201"));
	ck_assert_ptr_nonnull(strstr(text, "result=ok new=2"));
	ck_assert_ptr_nonnull(strstr(text, "messages after=0 http=404"));
	for (n = 0; strchr(text, '\n'); n++) {
		memmove(text, strchr(text, '\n') + 1,
			strlen(strchr(text, '\n') + 1) + 1);
	}
	ck_assert_uint_eq(n, 11);
	/* and the store keeps the recent history */
	ck_assert_int_eq(campo_store_setting_get(store, SYNCD_SETTING_HISTORY,
						 &hist, NULL),
			 CAMPO_OK);
	for (n = 1; strchr(hist, '\n'); n++) {
		*strchr(hist, '\n') = ' ';
	}
	ck_assert_uint_eq(n, 10);
	ck_assert_ptr_nonnull(strstr(hist, "result=ok"));

	free(hist);
	free(last);
	syncd_http_free(http);
	syncd_http_global_cleanup();
	syncd_config_release(&cfg);
	responder_stop(&r);
	campo_store_close(store);
	fclose(log);
}
END_TEST

/* A hub that refuses a batch as too large (413) committed none of it:
 * its interviews go out again in smaller batches, in the same pass. */
START_TEST(pass_splits_on_413)
{
	const char *dir = campo_test_tmpdir();
	struct campo_store *store = make_store(dir, 5);
	struct syncd_http *http = NULL;
	struct syncd_config cfg;
	struct responder r;
	FILE *log = fopen(join(dir, "log"), "w+");
	char text[8192];
	size_t n;

	ck_assert_ptr_nonnull(log);
	setenv("NO_PROXY", "*", 1);
	responder_start(&r);
	pass_config(&cfg, &r);
	ck_assert_int_eq(syncd_http_global_init(), CAMPO_OK);
	ck_assert_int_eq(syncd_http_new(&cfg, NULL, &http, NULL), CAMPO_OK);
	r.mode = M_ONE;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_DONE);
	ck_assert_uint_eq(waiting(store), 0);
	ck_assert_int_eq(r.requests, 6); /* one 413, then five of one */
	rewind(log);
	n = fread(text, 1, sizeof(text) - 1, log);
	text[n] = '\0';
	ck_assert_ptr_nonnull(strstr(text, "http=413"));
	ck_assert_ptr_nonnull(strstr(text, "retry-with=1"));
	syncd_http_free(http);
	syncd_http_global_cleanup();
	syncd_config_release(&cfg);
	responder_stop(&r);
	campo_store_close(store);
	fclose(log);
}
END_TEST

/* The hub's messages after a pass: a return applied with its note, other
 * types and unknown interviews skipped, the seq stored after applying,
 * a bad reply applying nothing, pages followed. */
static const char *const msgs_good =
	"{\"format\":\"campo-messages/1\",\"messages\":["
	"{\"seq\":3,\"type\":\"return\",\"instance_id\":"
	"\"uuid:00000001-1111-4111-8111-111111111111\",\"note\":"
	"\"Edad de la jefa: 340 "
	"\\u00bf?\",\"at\":\"2026-11-25T09:00:00.000Z\"},"
	"{\"seq\":5,\"type\":\"reminder\",\"text\":\"later kinds\"},"
	"{\"seq\":7,\"type\":\"return\",\"instance_id\":"
	"\"uuid:0000000f-1111-4111-8111-111111111111\",\"note\":\"\","
	"\"at\":\"2026-11-25T09:00:00.000Z\"}]}";

static const char *const msgs_bad[] = {
	/* seq not ascending */
	"{\"format\":\"campo-messages/1\",\"messages\":["
	"{\"seq\":9,\"type\":\"later\"},{\"seq\":8,\"type\":\"later\"}]}",
	/* another format */
	"{\"format\":\"campo-messages/2\",\"messages\":[]}",
	/* a return without a note */
	"{\"format\":\"campo-messages/1\",\"messages\":["
	"{\"seq\":9,\"type\":\"return\",\"instance_id\":"
	"\"uuid:00000002-1111-4111-8111-111111111111\","
	"\"at\":\"2026-11-25T09:00:00.000Z\"}]}",
	/* a portal */
	"<html>Welcome</html>",
	/* a NUL in a note */
	"{\"format\":\"campo-messages/1\",\"messages\":["
	"{\"seq\":9,\"type\":\"return\",\"instance_id\":"
	"\"uuid:00000002-1111-4111-8111-111111111111\",\"note\":\"a\\u0000\","
	"\"at\":\"2026-11-25T09:00:00.000Z\"}]}",
	/* an unknown key */
	"{\"format\":\"campo-messages/1\",\"messages\":[],\"more\":1}",
};

static char *seq_setting(struct campo_store *store)
{
	char *v = NULL;

	if (campo_store_setting_get(store, CAMPO_STORE_SETTING_MESSAGES_SEQ, &v,
				    NULL) != CAMPO_OK) {
		return strdup("");
	}
	return v;
}

START_TEST(pass_applies_messages)
{
	const char *dir = campo_test_tmpdir();
	struct campo_store *store = make_store(dir, 2);
	struct campo_store_interview *iv = NULL;
	struct syncd_http *http = NULL;
	struct syncd_config cfg;
	struct responder r;
	FILE *log = fopen(join(dir, "log"), "w+");
	char text[16384], *seq, *hist = NULL, big[8192];
	size_t n, i;

	ck_assert_ptr_nonnull(log);
	setenv("NO_PROXY", "*", 1);
	responder_start(&r);
	pass_config(&cfg, &r);
	ck_assert_int_eq(syncd_http_global_init(), CAMPO_OK);
	ck_assert_int_eq(syncd_http_new(&cfg, NULL, &http, NULL), CAMPO_OK);

	/* uploads first, then messages in the same pass */
	r.mode = M_ACK;
	r.msg_mode = MM_BODY;
	r.msg_body = msgs_good;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_DONE);
	ck_assert_uint_eq(waiting(store), 0);
	ck_assert_int_eq(r.gets, 1);
	ck_assert_ptr_nonnull(strstr(r.get_path, "/api/v1/messages?after=0"));
	ck_assert_str_eq(r.get_auth, "Bearer t0k3n");
	seq = seq_setting(store);
	ck_assert_str_eq(seq, "7");
	free(seq);
	ck_assert_int_eq(campo_store_interview_get(
				 store,
				 "uuid:00000001-1111-4111-8111-111111111111",
				 CAMPO_STORE_GET_AUDIT, &iv, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_RETURNED);
	ck_assert_str_eq(iv->info.return_note, "Edad de la jefa: 340 \u00bf?");
	campo_store_interview_free(iv);

	/* a hub that ignores after= sends the same again: not after 7, so
	 * nothing is applied and the pass is retried */
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_RETRY);
	ck_assert_ptr_nonnull(strstr(r.get_path, "after=7"));
	/* re-applying after a crash before the seq was kept is harmless */
	ck_assert_int_eq(
		campo_store_setting_set(store, CAMPO_STORE_SETTING_MESSAGES_SEQ,
					NULL, NULL),
		CAMPO_OK);
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log),
			 SYNCD_NOTHING);
	ck_assert_int_eq(campo_store_interview_get(
				 store,
				 "uuid:00000001-1111-4111-8111-111111111111",
				 CAMPO_STORE_GET_AUDIT, &iv, NULL),
			 CAMPO_OK);
	for (i = 0, n = 0; i < iv->n_audit; i++) {
		n += iv->audit[i].event == CAMPO_STORE_EV_RETURNED;
	}
	ck_assert_uint_eq(n, 1);
	campo_store_interview_free(iv);

	/* bad replies apply nothing and keep the seq */
	for (i = 0; i < sizeof(msgs_bad) / sizeof(msgs_bad[0]); i++) {
		r.msg_body = msgs_bad[i];
		ck_assert_msg(syncd_pass(store, &cfg, http, NULL, log) ==
				      SYNCD_RETRY,
			      "bad reply %zu", i);
		seq = seq_setting(store);
		ck_assert_str_eq(seq, "7");
		free(seq);
	}
	ck_assert_int_eq(campo_store_interview_get(
				 store,
				 "uuid:00000002-1111-4111-8111-111111111111", 0,
				 &iv, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_SENT);
	campo_store_interview_free(iv);
	/* a note past 4096 bytes */
	memset(big, 'x', sizeof(big));
	snprintf(big, sizeof(big),
		 "{\"format\":\"campo-messages/1\",\"messages\":["
		 "{\"seq\":9,\"type\":\"return\",\"instance_id\":"
		 "\"uuid:00000002-1111-4111-8111-111111111111\","
		 "\"at\":\"2026-11-25T09:00:00.000Z\",\"note\":\"%4097s\"}]}",
		 "x");
	r.msg_body = big;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_RETRY);

	/* the hub failing or refusing the token: retry later */
	r.msg_mode = MM_500;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_RETRY);
	r.msg_mode = MM_401;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log), SYNCD_RETRY);
	/* an older hub: not an error, logged once */
	r.msg_mode = MM_404;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log),
			 SYNCD_NOTHING);
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log),
			 SYNCD_NOTHING);
	/* full pages are followed: 150 messages in two requests */
	r.msg_mode = MM_MANY;
	ck_assert_int_eq(
		campo_store_setting_set(store, CAMPO_STORE_SETTING_MESSAGES_SEQ,
					NULL, NULL),
		CAMPO_OK);
	r.gets = 0;
	ck_assert_int_eq(syncd_pass(store, &cfg, http, NULL, log),
			 SYNCD_NOTHING);
	ck_assert_int_eq(r.gets, 2);
	seq = seq_setting(store);
	ck_assert_str_eq(seq, "150");
	free(seq);

	rewind(log);
	n = fread(text, 1, sizeof(text) - 1, log);
	text[n] = '\0';
	ck_assert_ptr_nonnull(strstr(text, "messages after=0 http=200"));
	ck_assert_ptr_nonnull(strstr(text, "messages=3 returned=1 skipped=2 "
					   "result=ok seq=7"));
	ck_assert_ptr_nonnull(strstr(text, "result=bad-messages"));
	ck_assert_ptr_nonnull(strstr(text, "http=500 "));
	ck_assert_ptr_nonnull(strstr(text, "http=401 "));
	ck_assert_ptr_nonnull(strstr(text, "after=100 http=200"));
	ck_assert_ptr_nonnull(strstr(text, "http=404"));
	ck_assert_ptr_null(strstr(strstr(text, "http=404") + 1, "http=404"));
	/* the history keeps the return, not every empty fetch */
	ck_assert_int_eq(campo_store_setting_get(store, SYNCD_SETTING_HISTORY,
						 &hist, NULL),
			 CAMPO_OK);
	ck_assert_ptr_nonnull(strstr(hist, "returned=1"));
	ck_assert_ptr_null(strstr(hist, "after=100"));
	free(hist);

	syncd_http_free(http);
	syncd_http_global_cleanup();
	syncd_config_release(&cfg);
	responder_stop(&r);
	campo_store_close(store);
	fclose(log);
}
END_TEST

START_TEST(pass_history_cap_and_usb)
{
	const char *dir = campo_test_tmpdir();
	struct campo_store *store = make_store(dir, 3);
	struct syncd_config cfg;
	char *hist = NULL, *body = NULL;
	struct campo_wire_batch *wb = NULL;
	char path[1200];
	size_t n, len;
	int i;

	syncd_config_init(&cfg);
	syncd_config_set(&cfg, "db", "/unused", NULL);
	syncd_config_set(&cfg, "usb", join(dir, "stick/campo"), NULL);
	syncd_config_set(&cfg, "history", "4", NULL);
	ck_assert_int_eq(syncd_config_finish(&cfg, false, NULL, NULL),
			 CAMPO_OK);
	/* three writes of the same single batch: it stays queued */
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(syncd_pass(store, &cfg, NULL, NULL, NULL),
				 SYNCD_DONE);
		ck_assert_uint_eq(waiting(store), 3);
	}
	ck_assert_int_eq(campo_store_setting_get(store, SYNCD_SETTING_HISTORY,
						 &hist, NULL),
			 CAMPO_OK);
	for (n = 1; strchr(hist, '\n'); n++) {
		*strchr(hist, '\n') = ' ';
	}
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_nonnull(strstr(hist, "result=usb"));
	ck_assert_ptr_null(strstr(hist, "resend=yes result=usb-error"));
	free(hist);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(syncd_pass(store, &cfg, NULL, NULL, NULL),
				 SYNCD_DONE);
	}
	ck_assert_int_eq(campo_store_setting_get(store, SYNCD_SETTING_HISTORY,
						 &hist, NULL),
			 CAMPO_OK);
	for (n = 1; strchr(hist, '\n'); n++) {
		*strchr(hist, '\n') = ' ';
	}
	ck_assert_uint_eq(n, 4);
	free(hist);
	/* the file is the batch, as the hub's import reads it */
	{
		struct syncd_batch b;

		ck_assert_int_eq(
			syncd_batch_next(store, NULL, 100, 1u << 20, &b, NULL),
			CAMPO_OK);
		ck_assert(b.resent);
		snprintf(path, sizeof(path), "%s/stick/campo/%s.campo-batch",
			 dir, b.batch_id);
		syncd_batch_release(&b);
	}
	ck_assert_int_eq(campo_file_read(path, 1u << 20, &body, &len, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_wire_batch_decode(body, len, NULL, &wb, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(wb->n_interviews, 3);
	campo_wire_batch_free(wb);
	free(body);
	/* no last success: nothing was acknowledged */
	ck_assert_int_eq(campo_store_setting_get(store,
						 CAMPO_STORE_SETTING_LAST_SYNC,
						 &hist, NULL),
			 CAMPO_ERR_NOTFOUND);
	syncd_config_release(&cfg);
	campo_store_close(store);
}
END_TEST

START_TEST(store_data_version)
{
	const char *dir = campo_test_tmpdir();
	struct campo_store *a = make_store(dir, 1), *b = NULL;
	uint64_t va0, va1, vb0, vb1;

	ck_assert_int_eq(campo_store_open(join(dir, "dev.db"), 0, &b, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_store_data_version(a, &va0, NULL), CAMPO_OK);
	ck_assert_int_eq(campo_store_data_version(b, &vb0, NULL), CAMPO_OK);
	/* b's own commit: b sees no change, a does */
	ck_assert_int_eq(campo_store_setting_set(b, "x", "1", NULL), CAMPO_OK);
	ck_assert_int_eq(campo_store_data_version(a, &va1, NULL), CAMPO_OK);
	ck_assert_int_eq(campo_store_data_version(b, &vb1, NULL), CAMPO_OK);
	ck_assert_uint_ne(va0, va1);
	ck_assert_uint_eq(vb0, vb1);
	campo_store_close(b);
	campo_store_close(a);
}
END_TEST

static Suite *syncd_suite(void)
{
	Suite *s = suite_create("syncd");
	TCase *tc = tcase_create("syncd");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, backoff_bounds);
	tcase_add_test(tc, backoff_spread);
	tcase_add_test(tc, config_file);
	tcase_add_loop_test(tc, config_bad_file, 0,
			    sizeof(bad_files) / sizeof(bad_files[0]));
	tcase_add_loop_test(tc, config_hub_url, 0,
			    sizeof(hubs) / sizeof(hubs[0]));
	tcase_add_test(tc, config_token);
	tcase_add_test(tc, batch_caps_and_resend);
	tcase_add_test(tc, batch_byte_cap);
	tcase_add_test(tc, ack_checks);
	tcase_add_test(tc, pass_outcomes);
	tcase_add_test(tc, pass_splits_on_413);
	tcase_add_test(tc, pass_applies_messages);
	tcase_add_test(tc, pass_history_cap_and_usb);
	tcase_add_test(tc, store_data_version);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(syncd_suite());
}
