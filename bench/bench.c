/* SPDX-License-Identifier: MIT */
/* What every benchmark needs: a clock, sorting figures, a scratch folder,
 * memory use. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"

double campo_bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int campo_bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double campo_bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), campo_bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int campo_bench_tmpdir(char *buf, size_t size)
{
	const char *base = getenv("TMPDIR");
	int n = snprintf(buf, size, "%s/campo-bench-XXXXXX",
			 base && *base ? base : "/tmp");

	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "bench: TMPDIR is too long\n");
		return -1;
	}
	if (!mkdtemp(buf)) {
		perror("bench: mkdtemp");
		return -1;
	}
	return 0;
}

double campo_bench_peak_rss_mb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru)) {
		return -1;
	}
	return (double)ru.ru_maxrss / 1024.0;
}
