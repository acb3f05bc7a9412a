/* SPDX-License-Identifier: MIT */
/* Benchmark: load and compile a form (the census) 50 times; median, peak RSS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "form/form-load.h"
#include "form/form.h"
#include "util/file.h"

#define RUNS 50
#define GOAL_MS 5.0

int main(int argc, char **argv)
{
	double ms[RUNS], t0;
	struct campo_diag_list errors;
	struct campo_form *form = NULL;
	struct campo_diag d;
	char line[1024];
	size_t len, n_fields = 0, n_choices = 0;
	char *data;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-form FORM.json\n");
		return 2;
	}
	campo_diag_init(&d);
	if (campo_file_read(argv[1], CAMPO_FORM_MAX_BYTES, &data, &len, &d)) {
		fprintf(stderr, "%s\n",
			campo_diag_format(&d, line, sizeof(line)));
		return 1;
	}
	/* the text is in memory: this times parsing, checking and compiling */
	for (int i = 0; i < RUNS; i++) {
		campo_diag_list_init(&errors, 10);
		t0 = campo_bench_now_ms();
		if (campo_form_load(argv[1], data, len, &form, &errors)) {
			for (size_t k = 0; k < errors.n; k++) {
				fprintf(stderr, "%s\n",
					campo_diag_format(&errors.items[k],
							  line, sizeof(line)));
			}
			campo_diag_list_release(&errors);
			free(data);
			return 1;
		}
		ms[i] = campo_bench_now_ms() - t0;
		n_fields = form->n_fields;
		n_choices = 0;
		for (size_t l = 0; l < form->n_lists; l++) {
			n_choices += form->lists[l].n_choices;
		}
		campo_form_free(form);
		campo_diag_list_release(&errors);
	}
	free(data);
	qsort(ms, RUNS, sizeof(ms[0]), campo_bench_cmp_double);
	printf("form-load: %s (%zu bytes, %zu fields, %zu choices)\n", argv[1],
	       len, n_fields, n_choices);
	printf("  load + compile: median %.3f ms, min %.3f, max %.3f over %d "
	       "loads (goal < %.0f ms: %s)\n",
	       ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS, GOAL_MS,
	       ms[RUNS / 2] < GOAL_MS ? "met" : "MISSED");
	printf("  peak RSS: %.1f MB\n", campo_bench_peak_rss_mb());
	return 0;
}
