/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/util: buffers, diagnostics, allocation, files, UUIDs. */
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

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, buf_grows_to_its_cap_and_no_further);
	tcase_add_test(tc, buf_detach_hands_over_contents);
	tcase_add_test(tc, diag_formats_file_path_and_column);
	tcase_add_test(tc, alloc_refuses_overflow);
	tcase_add_test(tc, file_write_atomic_then_read_back);
	tcase_add_test(tc, uuid_is_version_4_and_unique);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(util_suite());
}
