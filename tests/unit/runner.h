/* SPDX-License-Identifier: MIT */
/* The shared main() of every unit test executable. */
#ifndef CAMPO_TEST_RUNNER_H
#define CAMPO_TEST_RUNNER_H

#include <check.h>

/* Exit status that tells meson a test was skipped. */
#define CAMPO_TEST_SKIP 77

/*
 * Runs suite with Check's environment variables honoured (CK_RUN_SUITE,
 * CK_RUN_CASE, CK_FORK, CK_VERBOSITY...) and returns the exit status:
 * 0 when every test passed, 1 otherwise.
 */
int campo_test_run(Suite *suite);

/*
 * Returns the path of a file in tests/data (CAMPO_TEST_DATA), in a static
 * buffer overwritten by the next call.
 */
const char *campo_test_data(const char *name);

/* Makes a fresh temporary folder (removed by the caller or the OS);
 * returns its path in a static buffer overwritten by the next call. */
const char *campo_test_tmpdir(void);

#endif
