/* SPDX-License-Identifier: MIT */
/* Unit tests of the form module (placeholder until it lands). */
#include "runner.h"

START_TEST(placeholder)
{
	ck_assert(1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, placeholder);
	suite_add_tcase(s, tc);
	return campo_test_run(s);
}
