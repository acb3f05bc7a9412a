/* SPDX-License-Identifier: MIT */
/* Unit tests of collector/tui/tui-edit.c, the curses-free part of the TUI:
 * UTF-8 line editing, folding for filters, date entry. */
#include <stdint.h>
#include <string.h>

#include "runner.h"
#include "tui-edit.h"

/* Types each code point of cps (0-terminated) at the cursor. */
static void type(struct campo_tui_edit *e, const uint32_t *cps)
{
	for (size_t i = 0; cps[i]; i++) {
		ck_assert(campo_tui_edit_insert(e, cps[i]));
	}
}

START_TEST(edit_inserts_at_the_cursor)
{
	struct campo_tui_edit e;

	campo_tui_edit_set(&e, "", 0);
	ck_assert_uint_eq(e.len, 0);
	ck_assert_uint_eq(e.cur, 0);
	type(&e, (const uint32_t[]){ 'K', 0xf2, 'd', 0 }); /* Kòd */
	ck_assert_str_eq(e.text, "K\xc3\xb2"
				 "d");
	ck_assert_uint_eq(e.len, 4);
	ck_assert_uint_eq(e.cur, 4);
	ck_assert(campo_tui_edit_home(&e));
	ck_assert(!campo_tui_edit_home(&e));
	type(&e, (const uint32_t[]){ 0x1f600, ' ', 0 }); /* 4 bytes */
	ck_assert_str_eq(e.text, "\xf0\x9f\x98\x80 K\xc3\xb2"
				 "d");
	ck_assert_uint_eq(e.cur, 5);
	ck_assert(campo_tui_edit_end(&e));
	ck_assert(!campo_tui_edit_end(&e));
	ck_assert_uint_eq(e.cur, e.len);
}
END_TEST

START_TEST(edit_refuses_controls_and_non_scalars)
{
	static const uint32_t bad[] = { 0x0,  0x1f,   0x7f,	 0x80,
					0x9f, 0xd800, 0xdfff,	 0x110000,
					'\n', '\t',   0xffffffff };
	struct campo_tui_edit e;

	campo_tui_edit_set(&e, "ab", 2);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!campo_tui_edit_insert(&e, bad[i]), "U+%X",
			      (unsigned)bad[i]);
	}
	ck_assert_str_eq(e.text, "ab");
	ck_assert(campo_tui_edit_insert(&e, 0xa0));
	ck_assert(campo_tui_edit_insert(&e, 0x10ffff));
}
END_TEST

/* A precomposed letter and a base with combining marks move as one. */
START_TEST(edit_moves_over_accents_and_marks)
{
	/* "a" "é" "e"+U+0301 "o"+U+0300+U+0323 "z" */
	static const char s[] = "a\xc3\xa9"
				"e\xcc\x81"
				"o\xcc\x80\xcc\xa3"
				"z";
	static const size_t stops[] = { 0, 1, 3, 6, 11, 12 };
	struct campo_tui_edit e;
	size_t n = sizeof(stops) / sizeof(stops[0]);

	campo_tui_edit_set(&e, s, strlen(s));
	ck_assert_uint_eq(e.cur, 12);
	for (size_t i = n - 1; i > 0; i--) {
		ck_assert(campo_tui_edit_left(&e));
		ck_assert_uint_eq(e.cur, stops[i - 1]);
	}
	ck_assert(!campo_tui_edit_left(&e));
	for (size_t i = 1; i < n; i++) {
		ck_assert(campo_tui_edit_right(&e));
		ck_assert_uint_eq(e.cur, stops[i]);
	}
	ck_assert(!campo_tui_edit_right(&e));
}
END_TEST

START_TEST(edit_deletes_whole_characters)
{
	static const char s[] = "P\xc3\xa8"
				"e\xcc\x81"
				"x";
	struct campo_tui_edit e;

	campo_tui_edit_set(&e, s, strlen(s));
	ck_assert(campo_tui_edit_left(&e)); /* before x */
	ck_assert(campo_tui_edit_backspace(&e));
	ck_assert_str_eq(e.text, "P\xc3\xa8x"); /* e + mark went together */
	ck_assert_uint_eq(e.cur, 3);
	ck_assert(campo_tui_edit_left(&e));
	ck_assert(campo_tui_edit_delete(&e));
	ck_assert_str_eq(e.text, "Px");
	ck_assert_uint_eq(e.cur, 1);
	ck_assert(campo_tui_edit_home(&e));
	ck_assert(!campo_tui_edit_backspace(&e));
	ck_assert(campo_tui_edit_end(&e));
	ck_assert(!campo_tui_edit_delete(&e));
	ck_assert(campo_tui_edit_backspace(&e));
	ck_assert(campo_tui_edit_backspace(&e));
	ck_assert_str_eq(e.text, "");
	ck_assert_uint_eq(e.len, 0);
	ck_assert(!campo_tui_edit_backspace(&e));
}
END_TEST

START_TEST(edit_keeps_its_cap)
{
	static char big[CAMPO_TUI_EDIT_MAX + 8];
	struct campo_tui_edit e;

	/* one byte, then two-byte letters up to the cap and past it */
	big[0] = 'x';
	for (size_t i = 1; i + 1 < sizeof(big); i += 2) {
		big[i] = '\xc3';
		big[i + 1] = '\xa9';
	}
	campo_tui_edit_set(&e, big, sizeof(big));
	ck_assert_uint_le(e.len, CAMPO_TUI_EDIT_MAX);
	/* cut on a boundary: the last letter is whole */
	ck_assert_uint_eq(e.len % 2, 1);
	ck_assert_uint_eq(strlen(e.text), e.len);
	while (e.len + 1 <= CAMPO_TUI_EDIT_MAX) {
		ck_assert(campo_tui_edit_insert(&e, 'a'));
	}
	ck_assert(!campo_tui_edit_insert(&e, 'a'));
	ck_assert_uint_eq(e.len, CAMPO_TUI_EDIT_MAX);
	ck_assert_uint_eq(strlen(e.text), CAMPO_TUI_EDIT_MAX);
}
END_TEST

START_TEST(decode_takes_bad_bytes_one_at_a_time)
{
	static const struct {
		const char *s;
		size_t len, n;
		uint32_t c;
	} cases[] = {
		{ "a", 1, 1, 'a' },
		{ "\xc3\xa9", 2, 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 3, 0x20ac },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xc0\xaf", 2, 1, 0xfffd },	      /* overlong */
		{ "\xed\xa0\x80", 3, 1, 0xfffd },     /* surrogate */
		{ "\xf4\x90\x80\x80", 4, 1, 0xfffd }, /* past U+10FFFF */
		{ "\xc3", 1, 1, 0xfffd },	      /* cut */
		{ "\xe2\x82", 2, 1, 0xfffd },	      /* cut */
		{ "\x80", 1, 1, 0xfffd },	      /* continuation */
		{ "\xff", 1, 1, 0xfffd },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t c = 0;
		size_t n = campo_tui_utf8_decode(cases[i].s, cases[i].len, &c);

		ck_assert_msg(n == cases[i].n && c == cases[i].c,
			      "case %zu: %zu U+%X", i, n, (unsigned)c);
	}
	ck_assert(campo_tui_combining(0x301));
	ck_assert(campo_tui_combining(0x323));
	ck_assert(!campo_tui_combining('e'));
	ck_assert(!campo_tui_combining(0xe9));
}
END_TEST

static const struct {
	const char *in, *out;
} fold_cases[] = {
	{ "", "" },
	{ "Perú", "peru" },
	{ "Kòd", "kod" },
	{ "HAÏTI", "haiti" },
	{ "Haití", "haiti" },
	{ "Ayiti", "ayiti" },
	{ "Ñuble", "nuble" },
	{ "e\xcc\x81t\xc3\xa9", "ete" }, /* a combining mark is dropped */
	{ "Łódź", "lodz" },
	{ "Straße", "strase" }, /* ß to one s, as the table has it */
	{ "Ελλάδα", "Ελλάδα" }, /* not Latin: as it is */
	{ "Côte d'Ivoire", "cote d'ivoire" },
};

START_TEST(fold_strips_case_and_accents)
{
	char out[64];
	size_t n = campo_tui_fold(fold_cases[_i].in, strlen(fold_cases[_i].in),
				  out, sizeof(out));

	ck_assert_str_eq(out, fold_cases[_i].out);
	ck_assert_uint_eq(n, strlen(out));
}
END_TEST

START_TEST(fold_filters_accent_insensitively)
{
	char hay[64], needle[64], small[4];
	const char *label = "Haït\xc3\xad";

	campo_tui_fold(label, strlen(label), hay, sizeof(hay));
	campo_tui_fold("HAI", 3, needle, sizeof(needle));
	ck_assert(campo_tui_fold_contains(hay, needle));
	campo_tui_fold("ití", strlen("ití"), needle, sizeof(needle));
	ck_assert(campo_tui_fold_contains(hay, needle));
	campo_tui_fold("ayiti", 5, needle, sizeof(needle));
	ck_assert(!campo_tui_fold_contains(hay, needle));
	ck_assert(campo_tui_fold_contains(hay, ""));
	/* a small buffer: cut, never overrun, NUL-terminated */
	ck_assert_uint_eq(campo_tui_fold("abcdef", 6, small, sizeof(small)), 3);
	ck_assert_str_eq(small, "abc");
	ck_assert_uint_eq(campo_tui_fold("abc", 3, small, 0), 0);
}
END_TEST

static const struct {
	const char *typed, *iso; /* iso NULL: refused */
} date_cases[] = {
	{ "05/03/2025", "2025-03-05" },
	{ "5/3/2025", "2025-03-05" },
	{ "31-12-1999", "1999-12-31" },
	{ "1.1.2000", "2000-01-01" },
	{ "5/3/25", NULL },
	{ "2025-03-05", NULL },
	{ "32/01/2025", NULL },
	{ "00/01/2025", NULL },
	{ "01/13/2025", NULL },
	{ "001/01/2025", NULL },
	{ "a/01/2025", NULL },
	{ "01/01/2025x", NULL },
	{ "", NULL },
};

START_TEST(date_entry_is_day_month_year)
{
	char out[11];
	bool ok = campo_tui_date_to_iso(date_cases[_i].typed, out);

	if (!date_cases[_i].iso) {
		ck_assert_msg(!ok, "'%s' taken", date_cases[_i].typed);
		return;
	}
	ck_assert_msg(ok, "'%s' refused", date_cases[_i].typed);
	ck_assert_str_eq(out, date_cases[_i].iso);
}
END_TEST

START_TEST(dates_and_date_times_round_trip)
{
	char d[11], dt[64], iso[64];

	ck_assert(campo_tui_date_from_iso("2025-03-05", d));
	ck_assert_str_eq(d, "05/03/2025");
	ck_assert(!campo_tui_date_from_iso("2025-3-5", d));
	ck_assert(!campo_tui_date_from_iso("05/03/2025", d));

	ck_assert(campo_tui_datetime_to_iso("05/03/2025 09:15", iso,
					    sizeof(iso)));
	ck_assert_str_eq(iso, "2025-03-05T09:15");
	ck_assert(campo_tui_datetime_to_iso("5/3/2025   09:15:30", iso,
					    sizeof(iso)));
	ck_assert_str_eq(iso, "2025-03-05T09:15:30");
	ck_assert(!campo_tui_datetime_to_iso("05/03/2025", iso, sizeof(iso)));
	ck_assert(!campo_tui_datetime_to_iso("05/03/2025 ", iso, sizeof(iso)));
	ck_assert(!campo_tui_datetime_to_iso("2025-03-05 09:15", iso,
					     sizeof(iso)));
	ck_assert(!campo_tui_datetime_to_iso("05/03/2025 09:15", iso, 16));

	ck_assert(campo_tui_datetime_from_iso("2025-03-05T09:15:30.250Z", dt,
					      sizeof(dt)));
	ck_assert_str_eq(dt, "05/03/2025 09:15:30.250Z");
	ck_assert(!campo_tui_datetime_from_iso("2025-03-05", dt, sizeof(dt)));
	ck_assert(!campo_tui_datetime_from_iso("2025-03-05 09:15", dt,
					       sizeof(dt)));
	ck_assert(!campo_tui_datetime_from_iso("2025-03-05T09:15", dt, 8));
}
END_TEST

static Suite *tui_edit_suite(void)
{
	Suite *s = suite_create("tui-edit");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, edit_inserts_at_the_cursor);
	tcase_add_test(tc, edit_refuses_controls_and_non_scalars);
	tcase_add_test(tc, edit_moves_over_accents_and_marks);
	tcase_add_test(tc, edit_deletes_whole_characters);
	tcase_add_test(tc, edit_keeps_its_cap);
	tcase_add_test(tc, decode_takes_bad_bytes_one_at_a_time);
	tcase_add_loop_test(tc, fold_strips_case_and_accents, 0,
			    (int)(sizeof(fold_cases) / sizeof(fold_cases[0])));
	tcase_add_test(tc, fold_filters_accent_insensitively);
	tcase_add_loop_test(tc, date_entry_is_day_month_year, 0,
			    (int)(sizeof(date_cases) / sizeof(date_cases[0])));
	tcase_add_test(tc, dates_and_date_times_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(tui_edit_suite());
}
