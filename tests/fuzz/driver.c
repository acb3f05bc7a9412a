/* SPDX-License-Identifier: MIT */
/* Runs a fuzz target over corpus files, so every corpus is a regression test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs past this are not interesting to a fuzz target. */
#define FUZZ_MAX_INPUT (16u << 20)

static int run_file(const char *path)
{
	struct campo_diag diag;
	char *data;
	size_t len;

	campo_diag_init(&diag);
	if (campo_file_read(path, FUZZ_MAX_INPUT, &data, &len, &diag)) {
		char msg[512];

		fprintf(stderr, "fuzz: %s\n",
			campo_diag_format(&diag, msg, sizeof(msg)));
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

static int run_path(const char *path, size_t *count)
{
	struct stat st;
	struct dirent **names;
	int n, failed = 0;

	if (stat(path, &st)) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		perror(path);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (names[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path,
				 names[i]->d_name);
			failed |= run_path(sub, count);
		}
		free(names[i]);
	}
	free(names);
	return failed;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		failed |= run_path(argv[i], &count);
	}
	printf("fuzz: ran %zu inputs\n", count);
	return failed;
}
