/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary bytes loaded as a form must never crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form/form-load.h"
#include "form/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model a successful load returns must hold together. */
static void model_check(const struct campo_form *form)
{
	for (size_t i = 0; i < form->n_fields; i++) {
		const struct campo_field *f = &form->fields[i];

		if (f->index != i || f->end <= i || f->end > form->n_fields ||
		    (f->parent >= 0 && (size_t)f->parent >= i) ||
		    (f->list >= 0 && (size_t)f->list >= form->n_lists) ||
		    campo_form_field_find(form, f->name, strlen(f->name)) !=
			    (int32_t)i) {
			abort();
		}
		for (size_t l = 0; l < form->n_languages; l++) {
			if (campo_type_info(f->type)->asks &&
			    !campo_i18n_get(form, &f->label, l)) {
				abort();
			}
		}
		for (size_t k = 0; k < f->n_dependents; k++) {
			if (f->dependents[k] >= form->n_fields) {
				abort();
			}
		}
	}
	for (size_t i = 0; i < form->n_lists; i++) {
		const struct campo_choice_list *l = &form->lists[i];

		for (size_t c = 0; c < l->n_choices; c++) {
			for (size_t k = 0; k < l->n_columns; k++) {
				if (!l->choices[c].values[k]) {
					abort();
				}
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct campo_diag_list errors;
	struct campo_form *form = NULL;
	char line[1024];
	/* exactly size bytes, no NUL after: an over-read is caught */
	char *copy = malloc(size ? size : 1);

	if (!copy) {
		return 0;
	}
	if (size) {
		memcpy(copy, data, size);
	}
	campo_diag_list_init(&errors, 64);
	if (campo_form_load("fuzz.json", copy, size, &form, &errors) ==
	    CAMPO_OK) {
		if (errors.n) {
			abort();
		}
		model_check(form);
	} else if (form || (!errors.n && !errors.dropped)) {
		abort(); /* a failure must say why */
	}
	for (size_t i = 0; i < errors.n; i++) {
		campo_diag_format(&errors.items[i], line, sizeof(line));
	}
	campo_form_free(form);
	campo_diag_list_release(&errors);
	free(copy);
	return 0;
}
