/* SPDX-License-Identifier: MIT */
/* campo-collector check: load forms strictly, summarise or list every error. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "form/form-load.h"
#include "form/form.h"

#define MAX_ERRORS 1000 /* per form; the rest are counted */
#define MAX_REPEATS_SHOWN 8

static void check_usage(FILE *out)
{
	fprintf(out, "usage: campo-collector check FORM...\n"
		     "Loads each form strictly; prints a summary of each, or "
		     "every error, one a line.\n");
}

/* "household/member/visit" for a repeat: its enclosing repeats, outermost
 * first. */
static void repeat_path(const struct campo_form *form, uint32_t r, char *buf,
			size_t n)
{
	const struct campo_field *f = &form->fields[r];
	size_t len;

	if (f->repeat >= 0) {
		repeat_path(form, (uint32_t)f->repeat, buf, n);
	} else {
		buf[0] = '\0';
	}
	len = strlen(buf);
	snprintf(buf + len, n - len, "%s%s", len ? " > " : "", f->name);
}

static void summary_print(const struct campo_form *form)
{
	size_t by_type[CAMPO_TYPE_COUNT_] = { 0 };
	size_t exprs[8] = { 0 };
	static const char *const expr_names[8] = {
		"relevant", "constraint",    "required",     "calculation",
		"default",  "choice_filter", "repeat_count", "instance_name",
	};
	size_t questions = 0, choices = 0, n_repeats = 0, largest = 0;
	uint32_t depth = 0;
	const char *sep = "";

	for (size_t i = 0; i < form->n_fields; i++) {
		const struct campo_field *f = &form->fields[i];
		const struct campo_expr *e[7] = {
			f->relevant,	 f->constraint,	   f->required,
			f->calculation,	 f->default_value, f->choice_filter,
			f->repeat_count,
		};

		by_type[f->type]++;
		questions += campo_type_info(f->type)->asks;
		if (f->depth + 1 > depth) {
			depth = f->depth + 1;
		}
		for (size_t k = 0; k < 7; k++) {
			exprs[k] += e[k] != NULL;
		}
	}
	exprs[7] = form->instance_name != NULL;

	printf("%s: ok\n", form->path);
	printf("  id           %s\n", form->id);
	printf("  version      %s\n", form->version[0] ? form->version : "-");
	if (form->title.text) {
		printf("  title        %s\n",
		       campo_i18n_get(form, &form->title,
				      form->default_language));
	}
	printf("  languages    ");
	for (size_t i = 0; i < form->n_languages; i++) {
		printf("%s%s%s", i ? ", " : "", form->languages[i],
		       i == form->default_language ? " (default)" : "");
	}
	printf("\n  fields       %zu: %zu questions, %zu groups, %zu repeats, "
	       "%zu calculations; nesting depth %u\n",
	       form->n_fields, questions, by_type[CAMPO_TYPE_GROUP],
	       by_type[CAMPO_TYPE_REPEAT], by_type[CAMPO_TYPE_CALCULATE],
	       depth);
	printf("  questions    ");
	for (size_t t = 0; t < CAMPO_TYPE_COUNT_; t++) {
		if (by_type[t] && campo_type_info((enum campo_type)t)->asks) {
			printf("%s%s %zu", sep,
			       campo_type_info((enum campo_type)t)->name,
			       by_type[t]);
			sep = ", ";
		}
	}
	printf("\n");
	for (size_t i = 0; i < form->n_fields; i++) {
		char buf[256];

		if (form->fields[i].type != CAMPO_TYPE_REPEAT) {
			continue;
		}
		if (++n_repeats > MAX_REPEATS_SHOWN) {
			continue;
		}
		repeat_path(form, (uint32_t)i, buf, sizeof(buf));
		printf("  %-12s %s%s\n", n_repeats == 1 ? "repeats" : "", buf,
		       form->fields[i].repeat_count ? " (counted)" : "");
	}
	if (n_repeats > MAX_REPEATS_SHOWN) {
		printf("  %-12s and %zu more\n", "",
		       n_repeats - MAX_REPEATS_SHOWN);
	}
	for (size_t i = 0; i < form->n_lists; i++) {
		choices += form->lists[i].n_choices;
		if (form->lists[i].n_choices > form->lists[largest].n_choices) {
			largest = i;
		}
	}
	printf("  choices      %zu lists, %zu choices", form->n_lists, choices);
	if (form->n_lists) {
		printf(" (largest: %s, %zu)", form->lists[largest].name,
		       form->lists[largest].n_choices);
	}
	printf("\n  expressions  ");
	sep = "";
	for (size_t k = 0; k < 8; k++) {
		if (exprs[k]) {
			printf("%s%s %zu", sep, expr_names[k], exprs[k]);
			sep = ", ";
		}
	}
	printf("%s\n", *sep ? "" : "none");
	printf("  calculations %zu, in order:", form->n_calc_order);
	for (size_t i = 0; i < form->n_calc_order && i < 6; i++) {
		printf(" %s", form->fields[form->calc_order[i]].name);
	}
	printf("%s\n", form->n_calc_order > 6 ? " ..." : "");
}

/* Loads one form: prints its summary, or its errors; returns 0 or 1. */
static int check_one(const char *path)
{
	struct campo_diag_list errors;
	struct campo_form *form = NULL;
	enum campo_status status;
	char line[CAMPO_DIAG_FILE + CAMPO_DIAG_PATH + CAMPO_DIAG_MSG + 64];

	campo_diag_list_init(&errors, MAX_ERRORS);
	status = campo_form_load_file(path, &form, &errors);
	if (status) {
		for (size_t i = 0; i < errors.n; i++) {
			fprintf(stderr, "%s\n",
				campo_diag_format(&errors.items[i], line,
						  sizeof(line)));
		}
		if (errors.dropped) {
			fprintf(stderr, "%s: and %zu more errors\n", path,
				errors.dropped);
		}
		if (!errors.n && !errors.dropped) {
			fprintf(stderr, "%s: %s\n", path,
				campo_status_str(status));
		}
		campo_diag_list_release(&errors);
		return 1;
	}
	summary_print(form);
	campo_form_free(form);
	campo_diag_list_release(&errors);
	return 0;
}

int campo_cli_check(int argc, char **argv)
{
	int first = 1, failed = 0;

	if (argc > 1 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		check_usage(stdout);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--")) {
		first = 2;
	} else {
		for (int i = 1; i < argc; i++) {
			if (argv[i][0] == '-' && argv[i][1]) {
				fprintf(stderr,
					"campo-collector check: unknown option "
					"'%s'\n",
					argv[i]);
				check_usage(stderr);
				return 2;
			}
		}
	}
	if (first >= argc) {
		check_usage(stderr);
		return 2;
	}
	for (int i = first; i < argc; i++) {
		if (i > first) {
			printf("\n");
		}
		failed |= check_one(argv[i]);
	}
	fflush(stdout);
	return failed ? 1 : 0;
}
