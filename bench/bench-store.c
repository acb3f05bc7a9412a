/* SPDX-License-Identifier: MIT */
/* Benchmark: answer saves per second, one synchronous=FULL commit each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench.h"
#include "store/store.h"
#include "util/file.h"

#define RUNS 5
#define SAVES 2000
#define KEYS 60 /* a household interview's worth of questions */
#define GROW 200
#define REUSE 1000

/* One run: SAVES answers into a fresh database; fills lat[] (ms each) and
 * returns saves per second, or -1. */
static double run(const char *dir, double *lat, long long *db_bytes)
{
	struct campo_store_new_interview iv = {
		.form_id = "bench",
		.form_version = "1",
		.form_hash = "h",
	};
	char path[4200], id[CAMPO_STORE_ID_LEN + 1], key[64], val[32],
		line[512];
	struct campo_store *s = NULL;
	struct campo_diag d;
	struct stat st;
	double t0, t;

	campo_diag_init(&d);
	snprintf(path, sizeof(path), "%s/collector.db", dir);
	if (campo_store_open(path, 0, &s, &d) != CAMPO_OK ||
	    campo_store_instance_id_new(id) != CAMPO_OK) {
		goto fail;
	}
	iv.instance_id = id;
	if (campo_store_interview_create(s, &iv, &d) != CAMPO_OK ||
	    campo_store_repeat_add(s, id, "member[5]", &d) != CAMPO_OK) {
		goto fail;
	}
	t0 = campo_bench_now_ms();
	for (int i = 0; i < SAVES; i++) {
		int q = i % KEYS;

		/* every save changes a value, so every save commits */
		if (q < 30) {
			snprintf(key, sizeof(key), "household/q%d", q);
		} else {
			snprintf(key, sizeof(key), "member[%d]/q%d", 1 + q % 5,
				 q);
		}
		snprintf(val, sizeof(val), "%d", i);
		t = campo_bench_now_ms();
		if (campo_store_answer_save(s, id, key, val, strlen(val), &d) !=
		    CAMPO_OK) {
			goto fail;
		}
		lat[i] = campo_bench_now_ms() - t;
	}
	t = campo_bench_now_ms() - t0;
	if (campo_store_checkpoint(s, NULL, &d) != CAMPO_OK) {
		goto fail;
	}
	*db_bytes = stat(path, &st) == 0 ? (long long)st.st_size : -1;
	campo_store_close(s);
	return SAVES / (t / 1e3);
fail:
	fprintf(stderr, "bench-store: %s\n",
		campo_diag_format(&d, line, sizeof(line)));
	campo_store_close(s);
	return -1;
}

int main(void)
{
	static double lat[RUNS][SAVES];
	double rate[RUNS], sorted[RUNS], all[SAVES], grow[GROW], reuse[REUSE];
	long long bytes = 0;
	char dir[4096];
	int median = 0;

	for (int r = 0; r < RUNS; r++) {
		if (campo_bench_tmpdir(dir, sizeof(dir))) {
			return 1;
		}
		rate[r] = run(dir, lat[r], &bytes);
		campo_file_remove_tree(dir);
		if (rate[r] < 0) {
			return 1;
		}
		sorted[r] = rate[r];
	}
	qsort(sorted, RUNS, sizeof(double), campo_bench_cmp_double);
	for (int r = 0; r < RUNS; r++) {
		if (rate[r] == sorted[RUNS / 2]) {
			median = r;
		}
	}
	/* a fresh WAL grows with every commit (the file's size changes, so
	 * fdatasync also commits metadata) until the first checkpoint
	 * rewinds it; after that commits overwrite it in place */
	memcpy(grow, lat[median], sizeof(grow));
	qsort(grow, GROW, sizeof(double), campo_bench_cmp_double);
	memcpy(reuse, lat[median] + SAVES - REUSE, sizeof(reuse));
	qsort(reuse, REUSE, sizeof(double), campo_bench_cmp_double);
	memcpy(all, lat[median], sizeof(all));
	qsort(all, SAVES, sizeof(double), campo_bench_cmp_double);
	printf("store: answer save, one transaction each, synchronous=FULL\n");
	printf("  saves/s: median %.0f of %d runs of %d (min %.0f, max %.0f)\n",
	       sorted[RUNS / 2], RUNS, SAVES, sorted[0], sorted[RUNS - 1]);
	printf("  latency (median run): p50 %.3f ms, p99 %.3f ms, max %.3f "
	       "ms\n",
	       all[SAVES / 2], all[SAVES * 99 / 100], all[SAVES - 1]);
	printf("  p50 while the WAL grows (saves 1-%d): %.3f ms; once it "
	       "is reused (last %d): %.3f ms\n",
	       GROW, grow[GROW / 2], REUSE, reuse[REUSE / 2]);
	printf("  database after %d saves and a checkpoint: %lld bytes\n",
	       SAVES, bytes);
	return 0;
}
