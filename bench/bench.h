/* SPDX-License-Identifier: MIT */
/* What every benchmark needs: a clock, sorting figures, cleaning up. */
#ifndef CAMPO_BENCH_H
#define CAMPO_BENCH_H

#include <stddef.h>

/* Monotonic time in milliseconds (any origin). */
double campo_bench_now_ms(void);

/* qsort comparator for doubles, ascending. */
int campo_bench_cmp_double(const void *a, const void *b);

/* Sorts v (n > 0 values) and returns its median. */
double campo_bench_median(double *v, size_t n);

/* Peak resident memory of this process so far, in MB. */
double campo_bench_peak_rss_mb(void);

/* Removes path and everything under it (like rm -rf); 0 on success. */
int campo_bench_rmtree(const char *path);

#endif
