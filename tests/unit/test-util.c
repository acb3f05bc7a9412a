/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/util: buffers, diagnostics, allocation, files, UUIDs,
 * SHA-256. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/file.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/uuid.h"

START_TEST(buf_grows_to_its_cap_and_no_further)
{
	struct campo_buf b;

	campo_buf_init(&b, 10);
	ck_assert_str_eq(campo_buf_str(&b), "");
	ck_assert_int_eq(campo_buf_adds(&b, "hello"), CAMPO_OK);
	ck_assert_int_eq(campo_buf_printf(&b, "%d", 1234), CAMPO_OK);
	ck_assert_str_eq(campo_buf_str(&b), "hello1234");
	ck_assert_int_eq(campo_buf_adds(&b, "xy"), CAMPO_ERR_LIMIT);
	/* a refused append changes nothing */
	ck_assert_str_eq(campo_buf_str(&b), "hello1234");
	ck_assert_int_eq(campo_buf_printf(&b, "%s", "ab"), CAMPO_ERR_LIMIT);
	ck_assert_int_eq(campo_buf_addc(&b, '!'), CAMPO_OK);
	ck_assert_uint_eq(b.len, 10);
	campo_buf_reset(&b);
	ck_assert_str_eq(campo_buf_str(&b), "");
	campo_buf_release(&b);
	campo_buf_release(NULL);
}
END_TEST

START_TEST(buf_detach_hands_over_contents)
{
	struct campo_buf b;
	size_t len;
	char *s;

	campo_buf_init(&b, 100);
	s = campo_buf_detach(&b, &len);
	ck_assert_str_eq(s, "");
	ck_assert_uint_eq(len, 0);
	free(s);
	campo_buf_add(&b, "a\0b", 3);
	s = campo_buf_detach(&b, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(memcmp(s, "a\0b", 4), 0);
	ck_assert_ptr_null(b.data);
	free(s);
}
END_TEST

START_TEST(diag_formats_file_path_and_column)
{
	struct campo_diag d;
	char out[512];

	campo_diag_init(&d);
	campo_diag_set_file(&d, "forms/x.json");
	campo_diag_set_path(&d, "fields[%d].children[%d].constraint", 3, 7);
	d.column = 5;
	ck_assert_int_eq(campo_diag_set(&d, CAMPO_ERR_INVALID,
					"unknown function '%s'", "lenght"),
			 CAMPO_ERR_INVALID);
	ck_assert_str_eq(campo_diag_format(&d, out, sizeof(out)),
			 "forms/x.json: fields[3].children[7].constraint: "
			 "unknown function 'lenght' at column 5");
	/* NULL diagnostics are accepted everywhere */
	ck_assert_int_eq(campo_diag_set(NULL, CAMPO_ERR_IO, "x"), CAMPO_ERR_IO);
	campo_diag_set_file(NULL, "x");
	campo_diag_set_path(NULL, "x");
	/* truncation keeps the NUL */
	campo_diag_format(&d, out, 8);
	ck_assert_uint_eq(strlen(out), 7);
}
END_TEST

START_TEST(alloc_refuses_overflow)
{
	void *p = NULL;
	size_t cap = 0;

	ck_assert_ptr_null(campo_reallocarray(NULL, SIZE_MAX / 2, 4));
	ck_assert_int_eq(campo_grow(&p, &cap, 3, sizeof(int)), 0);
	ck_assert_uint_ge(cap, 3);
	ck_assert_int_eq(campo_grow(&p, &cap, SIZE_MAX / 2, 8), -1);
	ck_assert_uint_ge(cap, 3);
	free(p);
	p = campo_strndup("abcdef", 3);
	ck_assert_str_eq(p, "abc");
	free(p);
	ck_assert_ptr_null(campo_strdup(NULL));
}
END_TEST

START_TEST(file_write_atomic_then_read_back)
{
	const char *dir = campo_test_tmpdir();
	char path[4096], nested[4096];
	struct campo_diag d;
	char *data;
	size_t len;

	snprintf(path, sizeof(path), "%s/a.txt", dir);
	campo_diag_init(&d);
	ck_assert_int_eq(campo_file_write_atomic(path, "one", 3, &d), CAMPO_OK);
	ck_assert_int_eq(campo_file_write_atomic(path, "two!", 4, &d),
			 CAMPO_OK);
	ck_assert_int_eq(campo_file_read(path, 100, &data, &len, &d), CAMPO_OK);
	ck_assert_str_eq(data, "two!");
	ck_assert_uint_eq(len, 4);
	free(data);
	/* over the cap: refused before reading */
	ck_assert_int_eq(campo_file_read(path, 3, &data, &len, &d),
			 CAMPO_ERR_LIMIT);
	ck_assert_ptr_null(data);
	ck_assert_str_eq(d.file, path);
	ck_assert_int_eq(campo_file_read("/nonexistent/x", 3, &data, &len, &d),
			 CAMPO_ERR_IO);
	ck_assert_ptr_nonnull(strstr(d.msg, "cannot open"));
	ck_assert_int_eq(campo_file_read(dir, 3, &data, &len, &d),
			 CAMPO_ERR_IO);
	snprintf(nested, sizeof(nested), "%s/x/y/z", dir);
	ck_assert_int_eq(campo_file_mkdirs(nested), CAMPO_OK);
	ck_assert_int_eq(campo_file_mkdirs(nested), CAMPO_OK);
	ck_assert_int_eq(access(nested, W_OK), 0);
}
END_TEST

/* Writes "x" to dir/name, asserting it worked. */
static void touch(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(campo_file_write_atomic(path, "x", 1, NULL), CAMPO_OK);
}

START_TEST(file_remove_tree_never_follows_links)
{
	const char *tmp = campo_test_tmpdir();
	char tree[4096], keep[4096], path[4200];
	struct stat st;

	/* keep/: outside the tree, reached from inside it by two links */
	snprintf(keep, sizeof(keep), "%s/keep", tmp);
	ck_assert_int_eq(campo_file_mkdirs(keep), CAMPO_OK);
	touch(keep, "precious");
	snprintf(tree, sizeof(tree), "%s/tree", tmp);
	snprintf(path, sizeof(path), "%s/a/b/c", tree);
	ck_assert_int_eq(campo_file_mkdirs(path), CAMPO_OK);
	touch(tree, "top");
	touch(tree, "a/b/c/deep");
	snprintf(path, sizeof(path), "%s/a/to-keep", tree);
	ck_assert_int_eq(symlink(keep, path), 0);
	snprintf(path, sizeof(path), "%s/a/b/to-precious", tree);
	snprintf(keep + strlen(keep), sizeof(keep) - strlen(keep), "/precious");
	ck_assert_int_eq(symlink(keep, path), 0);

	ck_assert_int_eq(campo_file_remove_tree(tree), CAMPO_OK);
	ck_assert_int_eq(lstat(tree, &st), -1);
	ck_assert_int_eq(access(keep, R_OK), 0);

	/* a link as the root: the link goes, its target stays */
	snprintf(path, sizeof(path), "%s/link", tmp);
	ck_assert_int_eq(symlink(keep, path), 0);
	ck_assert_int_eq(campo_file_remove_tree(path), CAMPO_OK);
	ck_assert_int_eq(lstat(path, &st), -1);
	ck_assert_int_eq(access(keep, R_OK), 0);

	/* a plain file; then nothing there at all */
	ck_assert_int_eq(campo_file_remove_tree(keep), CAMPO_OK);
	ck_assert_int_eq(lstat(keep, &st), -1);
	ck_assert_int_eq(campo_file_remove_tree(keep), CAMPO_OK);
	ck_assert_int_eq(campo_file_remove_tree(""), CAMPO_ERR_INVALID);
	ck_assert_int_eq(campo_file_remove_tree(tmp), CAMPO_OK);
	ck_assert_int_eq(lstat(tmp, &st), -1);
}
END_TEST

START_TEST(uuid_is_version_4_and_unique)
{
	char a[CAMPO_UUID_LEN + 1], b[CAMPO_UUID_LEN + 1];

	ck_assert_int_eq(campo_uuid_new(a), CAMPO_OK);
	ck_assert_int_eq(campo_uuid_new(b), CAMPO_OK);
	ck_assert_str_ne(a, b);
	ck_assert_uint_eq(strlen(a), CAMPO_UUID_LEN);
	ck_assert_int_eq(a[14], '4');
	ck_assert(strchr("89ab", a[19]));
	ck_assert(campo_uuid_valid(a, strlen(a)));
	ck_assert(!campo_uuid_valid("not-a-uuid", 10));
	ck_assert(
		!campo_uuid_valid("123e4567-e89b-12d3-a456-42661417400g", 36));
	ck_assert(campo_uuid_valid("123E4567-E89B-12D3-A456-426614174000", 36));
}
END_TEST

/* FIPS 180-4 / NIST CAVP known answers, plus the padding edges (55, 56
 * and 64 bytes: one block, two blocks, a block of message alone). */
static const struct {
	const char *in;
	size_t repeat; /* when in is NULL: this many 'a' */
	const char *hex;
} sha256_kat[] = {
	{ "", 0,
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 0,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  0,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ NULL, 55,
	  "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
	{ NULL, 56,
	  "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
	{ NULL, 64,
	  "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	{ NULL, 1000000,
	  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
};

/* The input of sha256_kat[i] in a new buffer (caller frees). */
static char *kat_input(size_t i, size_t *len)
{
	char *p;

	if (sha256_kat[i].in) {
		*len = strlen(sha256_kat[i].in);
		p = malloc(*len + 1);
		ck_assert_ptr_nonnull(p);
		memcpy(p, sha256_kat[i].in, *len + 1);
		return p;
	}
	*len = sha256_kat[i].repeat;
	p = malloc(*len);
	ck_assert_ptr_nonnull(p);
	memset(p, 'a', *len);
	return p;
}

static void hex_of(const unsigned char d[CAMPO_SHA256_LEN],
		   char out[CAMPO_SHA256_HEX_LEN + 1])
{
	for (size_t i = 0; i < CAMPO_SHA256_LEN; i++) {
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	}
}

START_TEST(sha256_known_answers)
{
	unsigned char d[CAMPO_SHA256_LEN];
	char hex[CAMPO_SHA256_HEX_LEN + 1];
	struct campo_sha256 c;
	size_t len;
	char *in = kat_input((size_t)_i, &len);

	campo_sha256_sum(in, len, d);
	hex_of(d, hex);
	ck_assert_str_eq(hex, sha256_kat[_i].hex);

	campo_sha256_init(&c);
	campo_sha256_add(&c, in, len);
	campo_sha256_final_hex(&c, hex);
	ck_assert_str_eq(hex, sha256_kat[_i].hex);
	free(in);
}
END_TEST

/* Any split of the input gives the same digest: pieces of odd sizes that
 * straddle block edges, one byte at a time, and empty adds between. */
START_TEST(sha256_incremental_splits_agree)
{
	static const size_t steps[] = {
		1, 3, 7, 13, 55, 63, 64, 65, 127, 1000
	};
	char hex[CAMPO_SHA256_HEX_LEN + 1];
	struct campo_sha256 c;
	size_t len;
	char *in = kat_input((size_t)_i, &len);

	for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		size_t off = 0, k = 0;

		campo_sha256_init(&c);
		while (off < len) {
			/* vary the piece: steps[s], then the next size, ... */
			size_t n = steps[(s + k++) %
					 (sizeof(steps) / sizeof(steps[0]))];

			if (n > len - off) {
				n = len - off;
			}
			campo_sha256_add(&c, in + off, n);
			campo_sha256_add(&c, NULL, 0);
			off += n;
		}
		campo_sha256_final_hex(&c, hex);
		ck_assert_msg(!strcmp(hex, sha256_kat[_i].hex),
			      "vector %d split from %zu: %s", _i, steps[s],
			      hex);
	}
	free(in);
}
END_TEST

/* Byte strings and the offset campo_utf8_check() must report. */
static const struct utf8_case {
	const char *s;
	size_t len;
	size_t bad; /* len when valid */
} utf8_cases[] = {
	{ "Kreyòl", 7, 7 },
	{ "\xe2\x82\xac \xf0\x9f\x98\x80", 8, 8 }, /* euro, emoji */
	{ "\xef\xbf\xbf\xf4\x8f\xbf\xbf", 7, 7 },  /* U+FFFF, U+10FFFF */
	{ "a\xc0\x80", 3, 1 },			   /* overlong NUL */
	{ "\xe0\x80\xaf", 3, 0 },		   /* overlong '/' */
	{ "\xf0\x82\x82\xac", 4, 0 },		   /* overlong euro */
	{ "ab\xed\xa0\x80", 5, 2 },		   /* a surrogate */
	{ "\xf4\x90\x80\x80", 4, 0 },		   /* past U+10FFFF */
	{ "\x80", 1, 0 },			   /* a lone continuation */
	{ "ok\xc3", 3, 2 },			   /* cut short */
	{ "\xe2\x82x", 3, 0 },			   /* bad continuation */
	{ "a\0b", 3, 1 },			   /* NUL */
	{ "\xfe", 1, 0 },
};

START_TEST(utf8_check_finds_the_first_bad_byte)
{
	const struct utf8_case *c = &utf8_cases[_i];

	ck_assert_uint_eq(campo_utf8_check(c->s, c->len), c->bad);
	ck_assert(campo_utf8_valid(c->s, c->len) == (c->bad == c->len));
}
END_TEST

START_TEST(utf8_encode_decode_round_trip)
{
	static const uint32_t cps[] = { 0,	0x7f,	 0x80,	   0x7ff,
					0x800,	0xd7ff,	 0xe000,   0xfffd,
					0xffff, 0x10000, 0x10ffff, 0xf2 };
	char buf[4];

	for (size_t k = 0; k < sizeof(cps) / sizeof(cps[0]); k++) {
		size_t n = campo_utf8_encode(buf, cps[k]), i = 0;

		ck_assert_uint_eq(campo_utf8_decode(buf, n, &i), cps[k]);
		ck_assert_uint_eq(i, n);
	}
	/* a bad byte decodes as CAMPO_UTF8_BAD and moves one byte on */
	{
		size_t i = 0;

		ck_assert_uint_eq(campo_utf8_decode("\xc3(", 2, &i),
				  CAMPO_UTF8_BAD);
		ck_assert_uint_eq(i, 1);
		ck_assert_uint_eq(campo_utf8_decode("\xc3(", 2, &i), '(');
	}
}
END_TEST

START_TEST(buf_json_string_escapes_what_json_needs)
{
	struct campo_buf b;
	const char in[] = "a\"b\\c\nd\te\rf\x01g\x1fñ";

	campo_buf_init(&b, 256);
	ck_assert_int_eq(campo_buf_add_json_string(&b, in, sizeof(in) - 1),
			 CAMPO_OK);
	ck_assert_str_eq(campo_buf_str(&b),
			 "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u001fñ\"");
	campo_buf_reset(&b);
	ck_assert_int_eq(campo_buf_add_json_string(&b, NULL, 0), CAMPO_OK);
	ck_assert_str_eq(campo_buf_str(&b), "\"\"");
	/* a NUL inside the length is escaped, not an end */
	campo_buf_reset(&b);
	ck_assert_int_eq(campo_buf_add_json_string(&b, "x\0y", 3), CAMPO_OK);
	ck_assert_str_eq(campo_buf_str(&b), "\"x\\u0000y\"");
	/* past the cap: refused, nothing half written counts as success */
	campo_buf_release(&b);
	campo_buf_init(&b, 4);
	ck_assert_int_eq(campo_buf_add_json_string(&b, "abcdef", 6),
			 CAMPO_ERR_LIMIT);
	campo_buf_release(&b);
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, buf_grows_to_its_cap_and_no_further);
	tcase_add_test(tc, buf_detach_hands_over_contents);
	tcase_add_test(tc, buf_json_string_escapes_what_json_needs);
	tcase_add_test(tc, diag_formats_file_path_and_column);
	tcase_add_test(tc, alloc_refuses_overflow);
	tcase_add_test(tc, file_write_atomic_then_read_back);
	tcase_add_test(tc, file_remove_tree_never_follows_links);
	tcase_add_test(tc, uuid_is_version_4_and_unique);
	tcase_add_loop_test(tc, utf8_check_finds_the_first_bad_byte, 0,
			    (int)(sizeof(utf8_cases) / sizeof(utf8_cases[0])));
	tcase_add_test(tc, utf8_encode_decode_round_trip);
	tcase_add_loop_test(tc, sha256_known_answers, 0,
			    (int)(sizeof(sha256_kat) / sizeof(sha256_kat[0])));
	tcase_add_loop_test(tc, sha256_incremental_splits_agree, 0,
			    (int)(sizeof(sha256_kat) / sizeof(sha256_kat[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(util_suite());
}
