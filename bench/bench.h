/* SPDX-License-Identifier: MIT */
/* What every benchmark needs: a clock, sorting figures, a scratch folder,
 * memory use. */
#ifndef CAMPO_BENCH_H
#define CAMPO_BENCH_H

#include <stddef.h>

/* Monotonic time in milliseconds (any origin). */
double campo_bench_now_ms(void);

/* qsort comparator for doubles, ascending. */
int campo_bench_cmp_double(const void *a, const void *b);

/* Sorts v (n > 0 values) and returns its median. */
double campo_bench_median(double *v, size_t n);

/* Makes a fresh folder under $TMPDIR (or /tmp) and writes its path into
 * buf (size bytes); 0 on success, -1 after printing why on stderr. The
 * caller removes it with campo_file_remove_tree() (util/file.h). */
int campo_bench_tmpdir(char *buf, size_t size);

/* Peak resident memory of this process so far, in MB. */
double campo_bench_peak_rss_mb(void);

#endif
