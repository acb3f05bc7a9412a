/* SPDX-License-Identifier: MIT */
/* The shared main() helpers of every unit test executable. */
#include <stdio.h>
#include <stdlib.h>

#include "runner.h"

int campo_test_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	/* CK_ENV: verbosity from CK_VERBOSITY; CK_RUN_SUITE and friends are
	 * read by srunner_run() itself. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

const char *campo_test_data(const char *name)
{
	static char path[4096];
	const char *dir = getenv("CAMPO_TEST_DATA");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	return path;
}

const char *campo_test_tmpdir(void)
{
	static char path[4096];
	const char *base = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/campo-test-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(path)) {
		perror("mkdtemp");
		abort();
	}
	return path;
}
