/* SPDX-License-Identifier: MIT */
/* Unit tests of the form loader: bad forms, a good form's model, the caps. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/form-load.h"
#include "form/form.h"
#include "form/value.h"
#include "runner.h"
#include "util/buf.h"

#define MAX_CASES 128

/* One row of tests/data/forms/bad/EXPECT.tsv. */
struct bad_case {
	char file[128];
	char path[192]; /* "" for none; a trailing '*' matches a prefix */
	char msg[256];
};

static struct bad_case bad_cases[MAX_CASES];
static int n_bad_cases;

/* Reads EXPECT.tsv before the suite is built: the loop needs its size. */
static void bad_cases_read(void)
{
	FILE *f = fopen(campo_test_data("forms/bad/EXPECT.tsv"), "r");
	char line[1024];

	if (!f) {
		perror("forms/bad/EXPECT.tsv");
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		struct bad_case *c = &bad_cases[n_bad_cases];
		char *file, *path, *msg, *save = NULL;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0]) {
			continue;
		}
		file = strtok_r(line, "\t", &save);
		path = strtok_r(NULL, "\t", &save);
		msg = strtok_r(NULL, "\t", &save);
		if (!file || !path || !msg || n_bad_cases >= MAX_CASES) {
			fprintf(stderr, "EXPECT.tsv: bad line '%s'\n", line);
			exit(1);
		}
		snprintf(c->file, sizeof(c->file), "%s", file);
		snprintf(c->path, sizeof(c->path), "%s",
			 strcmp(path, "-") ? path : "");
		snprintf(c->msg, sizeof(c->msg), "%s", msg);
		n_bad_cases++;
	}
	fclose(f);
}

static bool path_matches(const char *want, const char *got)
{
	size_t n = strlen(want);

	if (n && want[n - 1] == '*') {
		return !strncmp(want, got, n - 1);
	}
	return !strcmp(want, got);
}

START_TEST(bad_form_is_refused)
{
	const struct bad_case *c = &bad_cases[_i];
	struct campo_diag_list errors;
	struct campo_form *form = (struct campo_form *)1;
	char name[256], line[1024];
	enum campo_status status;
	bool found = false;

	snprintf(name, sizeof(name), "forms/bad/%s", c->file);
	campo_diag_list_init(&errors, 100);
	status = campo_form_load_file(campo_test_data(name), &form, &errors);
	ck_assert_msg(status != CAMPO_OK, "%s: loaded", c->file);
	ck_assert_ptr_null(form);
	ck_assert_uint_ge(errors.n, 1);
	for (size_t i = 0; i < errors.n; i++) {
		const struct campo_diag *d = &errors.items[i];

		campo_diag_format(d, line, sizeof(line));
		/* every error names the file */
		ck_assert_str_eq(d->file, campo_test_data(name));
		if (path_matches(c->path, d->path) && strstr(line, c->msg)) {
			found = true;
		}
	}
	if (!found) {
		for (size_t i = 0; i < errors.n; i++) {
			fprintf(stderr, "  got: %s\n",
				campo_diag_format(&errors.items[i], line,
						  sizeof(line)));
		}
	}
	ck_assert_msg(found, "%s: no error at '%s' saying '%s'", c->file,
		      c->path, c->msg);
	campo_diag_list_release(&errors);
}
END_TEST

static struct campo_form *good_load(const char *name)
{
	struct campo_diag_list errors;
	struct campo_form *form = NULL;
	char line[1024];

	campo_diag_list_init(&errors, 50);
	campo_form_load_file(campo_test_data(name), &form, &errors);
	for (size_t i = 0; i < errors.n; i++) {
		fprintf(stderr, "%s\n",
			campo_diag_format(&errors.items[i], line,
					  sizeof(line)));
	}
	ck_assert_uint_eq(errors.n, 0);
	ck_assert_ptr_nonnull(form);
	campo_diag_list_release(&errors);
	return form;
}

static uint32_t field(const struct campo_form *form, const char *name)
{
	int32_t i = campo_form_field_find(form, name, strlen(name));

	ck_assert_msg(i >= 0, "no field '%s'", name);
	return (uint32_t)i;
}

static bool depends(const struct campo_form *form, const char *on,
		    const char *who)
{
	const struct campo_field *f = &form->fields[field(form, on)];
	uint32_t w = field(form, who);

	for (size_t i = 0; i < f->n_dependents; i++) {
		if (f->dependents[i] == w) {
			return true;
		}
	}
	return false;
}

START_TEST(good_form_structure)
{
	struct campo_form *form = good_load("forms/good/small.json");
	static const struct {
		const char *name;
		enum campo_type type;
		int32_t parent, repeat;
		uint32_t depth, end;
	} want[] = {
		{ "region", CAMPO_TYPE_SELECT_ONE, -1, -1, 0, 1 },
		{ "comuna", CAMPO_TYPE_SELECT_ONE, -1, -1, 0, 2 },
		{ "hh_size", CAMPO_TYPE_INTEGER, -1, -1, 0, 3 },
		{ "member", CAMPO_TYPE_REPEAT, -1, -1, 0, 10 },
		{ "m_name", CAMPO_TYPE_TEXT, 3, 3, 1, 5 },
		{ "m_details", CAMPO_TYPE_GROUP, 3, 3, 1, 8 },
		{ "m_age", CAMPO_TYPE_INTEGER, 5, 3, 2, 7 },
		{ "m_adult", CAMPO_TYPE_CALCULATE, 5, 3, 2, 8 },
		{ "trip", CAMPO_TYPE_REPEAT, 3, 3, 1, 10 },
		{ "trip_date", CAMPO_TYPE_DATE, 8, 8, 2, 10 },
		{ "adults", CAMPO_TYPE_CALCULATE, -1, -1, 0, 11 },
		{ "share", CAMPO_TYPE_CALCULATE, -1, -1, 0, 12 },
		{ "summary", CAMPO_TYPE_NOTE, -1, -1, 0, 13 },
		{ "done", CAMPO_TYPE_ACKNOWLEDGE, -1, -1, 0, 14 },
	};

	ck_assert_str_eq(form->id, "small_household");
	ck_assert_str_eq(form->version, "2024051501");
	ck_assert_str_eq(form->path, campo_test_data("forms/good/small.json"));
	ck_assert_uint_eq(form->n_fields, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < form->n_fields; i++) {
		const struct campo_field *f = &form->fields[i];

		ck_assert_str_eq(f->name, want[i].name);
		ck_assert_int_eq(f->type, want[i].type);
		ck_assert_uint_eq(f->index, i);
		ck_assert_int_eq(f->parent, want[i].parent);
		ck_assert_int_eq(f->repeat, want[i].repeat);
		ck_assert_uint_eq(f->depth, want[i].depth);
		ck_assert_uint_eq(f->end, want[i].end);
	}
	ck_assert(campo_form_field_within(form, field(form, "trip_date"),
					  field(form, "member")));
	ck_assert(!campo_form_field_within(form, field(form, "adults"),
					   field(form, "member")));
	campo_form_free(form);
}
END_TEST

START_TEST(good_form_texts_and_languages)
{
	struct campo_form *form = good_load("forms/good/small.json");
	const struct campo_field *f;

	ck_assert_uint_eq(form->n_languages, 3);
	ck_assert_str_eq(form->languages[0], "es");
	ck_assert_str_eq(form->languages[1], "ht");
	ck_assert_str_eq(form->languages[2], "en");
	ck_assert_uint_eq(form->default_language, 0);
	ck_assert_str_eq(campo_i18n_get(form, &form->title, 2),
			 "Small household");
	/* ht has no title: the default language's */
	ck_assert_str_eq(campo_i18n_get(form, &form->title, 1),
			 "Hogar pequeño");

	f = &form->fields[field(form, "comuna")];
	ck_assert_str_eq(campo_i18n_get(form, &f->label, 1), "Komin");
	ck_assert_str_eq(campo_i18n_get(form, &f->hint, 2), "Según el mapa");
	ck_assert_str_eq(f->appearance, "minimal");
	ck_assert_ptr_nonnull(f->choice_filter);
	ck_assert_ptr_null(f->required);

	/* a plain string fills every language */
	f = &form->fields[field(form, "hh_size")];
	for (size_t l = 0; l < 3; l++) {
		ck_assert_ptr_nonnull(f->label.text[l]);
		ck_assert_str_eq(f->label.text[l], "Personas / Moun / People");
	}
	/* only en was given, and the default (es) has none: any language */
	ck_assert_ptr_null(f->constraint_message.text[0]);
	ck_assert_str_eq(campo_i18n_get(form, &f->constraint_message, 0),
			 "Between 1 and 30");
	ck_assert_str_eq(campo_i18n_get(form, &f->required_message, 1),
			 "Obligatorio");
	ck_assert_ptr_nonnull(f->required);
	ck_assert_ptr_nonnull(f->constraint);
	ck_assert_ptr_nonnull(f->default_value);
	ck_assert_ptr_null(f->hint.text);

	ck_assert_ptr_nonnull(form->fields[field(form, "region")].required);
	ck_assert_ptr_null(form->fields[field(form, "m_name")].required);
	ck_assert(form->fields[field(form, "done")].read_only);
	ck_assert(!form->fields[field(form, "m_age")].read_only);
	ck_assert_ptr_null(form->fields[field(form, "m_age")].appearance);
	ck_assert_ptr_nonnull(form->fields[field(form, "member")].repeat_count);
	ck_assert_ptr_nonnull(form->instance_name);
	/* calculate has no label at all */
	ck_assert_ptr_null(form->fields[field(form, "adults")].label.text);
	campo_form_free(form);
}
END_TEST

START_TEST(good_form_lists)
{
	struct campo_form *form = good_load("forms/good/small.json");
	const struct campo_choice_list *l;
	int32_t li, ci;

	ck_assert_uint_eq(form->n_lists, 2);
	li = campo_form_list_find(form, "comuna", 6);
	ck_assert_int_ge(li, 0);
	ck_assert_int_eq(form->fields[field(form, "comuna")].list, li);
	ck_assert_int_eq(form->fields[field(form, "region")].list,
			 campo_form_list_find(form, "region", 6));
	ck_assert_int_eq(form->fields[field(form, "hh_size")].list, -1);
	l = &form->lists[li];
	ck_assert_uint_eq(l->n_choices, 3);
	ck_assert_uint_eq(l->n_columns, 2);
	ck_assert_str_eq(l->columns[0], "region");
	ck_assert_str_eq(l->columns[1], "zone");
	ci = campo_form_choice_find(l, "renca", 5);
	ck_assert_int_eq(ci, 1);
	ck_assert_str_eq(l->choices[ci].values[0], "rm");
	ck_assert_str_eq(l->choices[ci].values[1], ""); /* absent */
	ck_assert_str_eq(l->choices[2].values[1], "coast");
	ck_assert_str_eq(campo_i18n_get(form, &l->choices[2].label, 1),
			 "Viña del Mar");
	l = &form->lists[campo_form_list_find(form, "region", 6)];
	ck_assert_uint_eq(l->n_columns, 0);
	ck_assert_str_eq(campo_i18n_get(form, &l->choices[0].label, 1),
			 "Metwopoliten");
	campo_form_free(form);
}
END_TEST

START_TEST(good_form_dependents_and_calc_order)
{
	struct campo_form *form = good_load("forms/good/small.json");
	size_t pos[3];
	const char *calcs[3] = { "m_adult", "adults", "share" };

	ck_assert(depends(form, "region", "comuna"));	 /* choice_filter */
	ck_assert(depends(form, "comuna", "hh_size"));	 /* required */
	ck_assert(depends(form, "hh_size", "member"));	 /* repeat_count */
	ck_assert(depends(form, "hh_size", "share"));	 /* calculation */
	ck_assert(depends(form, "m_name", "m_details")); /* relevant */
	ck_assert(depends(form, "m_age", "m_adult"));
	ck_assert(depends(form, "m_adult", "adults"));
	ck_assert(depends(form, "share", "summary"));
	ck_assert(!depends(form, "adults", "region"));
	for (size_t i = 0; i < form->n_fields; i++) {
		const struct campo_field *f = &form->fields[i];

		for (size_t k = 1; k < f->n_dependents; k++) {
			ck_assert_uint_lt(f->dependents[k - 1],
					  f->dependents[k]);
		}
	}
	ck_assert_uint_eq(form->n_calc_order, 3);
	for (size_t c = 0; c < 3; c++) {
		pos[c] = SIZE_MAX;
		for (size_t i = 0; i < form->n_calc_order; i++) {
			if (form->calc_order[i] == field(form, calcs[c])) {
				pos[c] = i;
			}
		}
		ck_assert_uint_ne(pos[c], SIZE_MAX);
	}
	ck_assert_uint_lt(pos[0], pos[1]);
	ck_assert_uint_lt(pos[1], pos[2]);
	campo_form_free(form);
}
END_TEST

/* Loads text (copied to a buffer of exactly its length: no NUL after). */
static enum campo_status load_text(const char *text, size_t len,
				   struct campo_form **form,
				   struct campo_diag_list *errors)
{
	char *copy = malloc(len ? len : 1);
	enum campo_status status;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	status = campo_form_load("mem.json", copy, len, form, errors);
	free(copy);
	return status;
}

static bool has_error(const struct campo_diag_list *errors, const char *path,
		      const char *msg)
{
	for (size_t i = 0; i < errors->n; i++) {
		if (path_matches(path, errors->items[i].path) &&
		    strstr(errors->items[i].msg, msg)) {
			return true;
		}
	}
	return false;
}

START_TEST(implicit_language_and_no_nul)
{
	static const char text[] =
		"{\"id\": \"f\", \"fields\": [{\"type\": \"text\", \"name\": "
		"\"a\", \"label\": \"A\", \"required\": false}]}";
	struct campo_form *form;

	ck_assert_int_eq(load_text(text, strlen(text), &form, NULL), CAMPO_OK);
	ck_assert_uint_eq(form->n_languages, 1);
	ck_assert_str_eq(form->languages[0], "default");
	ck_assert_uint_eq(form->default_language, 0);
	ck_assert_str_eq(form->version, "");
	ck_assert_ptr_null(form->fields[0].required);
	ck_assert_ptr_null(form->title.text);
	ck_assert_str_eq(form->path, "mem.json");
	campo_form_free(form);
	/* a byte order mark is skipped */
	{
		char bom[sizeof(text) + 3] = "\xef\xbb\xbf";

		memcpy(bom + 3, text, sizeof(text));
		ck_assert_int_eq(load_text(bom, strlen(bom), &form, NULL),
				 CAMPO_OK);
		campo_form_free(form);
	}
	/* the length given is the end of the text */
	ck_assert_int_eq(load_text(text, strlen(text) - 1, &form, NULL),
			 CAMPO_ERR_PARSE);
	ck_assert_ptr_null(form);
}
END_TEST

START_TEST(every_error_is_reported_up_to_the_cap)
{
	struct campo_diag_list errors;
	struct campo_form *form;
	char *data;
	size_t len;
	FILE *f = fopen(campo_test_data("forms/multi-error.json"), "rb");

	ck_assert_ptr_nonnull(f);
	data = malloc(1 << 16);
	len = fread(data, 1, 1 << 16, f);
	fclose(f);
	campo_diag_list_init(&errors, 100);
	ck_assert_int_ne(load_text(data, len, &form, &errors), CAMPO_OK);
	ck_assert_uint_eq(errors.n, 8);
	ck_assert_uint_eq(errors.dropped, 0);
	ck_assert(has_error(&errors, "fields[5].children", "does not apply"));
	campo_diag_list_release(&errors);

	campo_diag_list_init(&errors, 3);
	ck_assert_int_ne(load_text(data, len, &form, &errors), CAMPO_OK);
	ck_assert_uint_eq(errors.n, 3);
	ck_assert_uint_eq(errors.dropped, 5);
	campo_diag_list_release(&errors);
	free(data);
}
END_TEST

/* A form of n text fields, or of one select over a list of n choices
 * with `columns` extra columns each. */
static char *big_form(size_t fields, size_t choices, size_t columns,
		      size_t *len)
{
	struct campo_buf b;

	campo_buf_init(&b, 64u << 20);
	campo_buf_adds(&b, "{\"id\": \"big\", \"fields\": [");
	for (size_t i = 0; i < fields; i++) {
		campo_buf_printf(&b,
				 "%s{\"type\": \"text\", \"name\": \"q%zu\", "
				 "\"label\": \"Q\"}",
				 i ? "," : "", i);
	}
	if (choices) {
		campo_buf_printf(
			&b,
			"%s{\"type\": \"select_one\", \"name\": \"s\", "
			"\"label\": \"S\", \"list\": \"l\"}], "
			"\"choices\": {\"l\": [",
			fields ? "," : "");
		for (size_t i = 0; i < choices; i++) {
			campo_buf_printf(&b,
					 "%s{\"name\": \"c%zu\", "
					 "\"label\": \"C\"",
					 i ? "," : "", i);
			for (size_t k = 0; k < columns; k++) {
				campo_buf_printf(&b, ", \"x%zu\": \"v\"", k);
			}
			campo_buf_adds(&b, "}");
		}
		campo_buf_adds(&b, "]}}");
	} else {
		campo_buf_adds(&b, "]}");
	}
	return campo_buf_detach(&b, len);
}

static void limit_case(char *data, size_t len, const char *path,
		       const char *msg)
{
	struct campo_diag_list errors;
	struct campo_form *form;

	campo_diag_list_init(&errors, 10);
	ck_assert_int_eq(load_text(data, len, &form, &errors), CAMPO_ERR_LIMIT);
	ck_assert_ptr_null(form);
	ck_assert_msg(has_error(&errors, path, msg), "no '%s' at '%s'", msg,
		      path);
	campo_diag_list_release(&errors);
	free(data);
}

START_TEST(caps_are_load_errors)
{
	struct campo_form *form;
	size_t len;
	char *data;

	/* at the caps: fine */
	data = big_form(CAMPO_FORM_MAX_FIELDS, 0, 0, &len);
	ck_assert_int_eq(load_text(data, len, &form, NULL), CAMPO_OK);
	campo_form_free(form);
	free(data);
	data = big_form(0, CAMPO_FORM_MAX_CHOICES, 2, &len);
	ck_assert_int_eq(load_text(data, len, &form, NULL), CAMPO_OK);
	ck_assert_uint_eq(form->lists[0].n_choices, CAMPO_FORM_MAX_CHOICES);
	campo_form_free(form);
	free(data);
	data = big_form(0, 3, 64, &len);
	ck_assert_int_eq(load_text(data, len, &form, NULL), CAMPO_OK);
	ck_assert_uint_eq(form->lists[0].n_columns, 64);
	campo_form_free(form);
	free(data);

	/* past them: refused */
	data = big_form(CAMPO_FORM_MAX_FIELDS + 1, 0, 0, &len);
	limit_case(data, len, "fields[4096]", "more than 4096 fields");
	data = big_form(0, CAMPO_FORM_MAX_CHOICES + 1, 0, &len);
	limit_case(data, len, "choices.l", "more than 20000 choices");
	data = big_form(0, 2, 65, &len);
	limit_case(data, len, "choices.l", "more than 64 extra columns");

	/* a file past the byte cap is refused before parsing */
	len = CAMPO_FORM_MAX_BYTES + 1;
	data = malloc(len);
	memset(data, ' ', len);
	limit_case(data, len, "", "more than 8388608");
}
END_TEST

START_TEST(too_many_languages)
{
	struct campo_buf b;
	size_t len;
	char *data;

	campo_buf_init(&b, 1 << 16);
	campo_buf_adds(&b, "{\"id\": \"f\", \"languages\": [");
	for (int i = 0; i <= CAMPO_FORM_MAX_LANGUAGES; i++) {
		campo_buf_printf(&b, "%s\"l%d\"", i ? "," : "", i);
	}
	campo_buf_adds(&b, "], \"fields\": [{\"type\": \"text\", \"name\": "
			   "\"a\", \"label\": \"A\"}]}");
	data = campo_buf_detach(&b, &len);
	limit_case(data, len, "languages[16]", "more than 16 languages");
}
END_TEST

START_TEST(missing_file_is_io)
{
	struct campo_diag_list errors;
	struct campo_form *form;

	campo_diag_list_init(&errors, 10);
	ck_assert_int_eq(
		campo_form_load_file("/nonexistent/x.json", &form, &errors),
		CAMPO_ERR_IO);
	ck_assert_ptr_null(form);
	ck_assert_uint_eq(errors.n, 1);
	ck_assert_str_eq(errors.items[0].file, "/nonexistent/x.json");
	campo_diag_list_release(&errors);
}
END_TEST

/* Every bundled form (each .json in CAMPO_FORMS_DIR) loads cleanly. */
START_TEST(bundled_forms_load)
{
	const char *dir = getenv("CAMPO_FORMS_DIR");
	struct dirent *e;
	size_t n = 0, failed = 0;
	DIR *d;

	ck_assert_msg(dir && *dir, "CAMPO_FORMS_DIR is not set");
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct campo_diag_list errors;
		struct campo_form *form;
		char path[4096], line[1024];

		if (len < 6 || strcmp(e->d_name + len - 5, ".json")) {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		campo_diag_list_init(&errors, 20);
		if (campo_form_load_file(path, &form, &errors)) {
			failed++;
			for (size_t i = 0; i < errors.n; i++) {
				fprintf(stderr, "%s\n",
					campo_diag_format(&errors.items[i],
							  line, sizeof(line)));
			}
		}
		campo_form_free(form);
		campo_diag_list_release(&errors);
		n++;
	}
	closedir(d);
	ck_assert_msg(n > 0, "no forms in %s", dir);
	ck_assert_msg(!failed, "%zu of %zu bundled forms do not load", failed,
		      n);
}
END_TEST

/* ----- typed values (form/value.h) ----- */

static const struct value_case {
	enum campo_type type;
	const char *in;
	enum campo_value_error err;
	const char *out; /* stored text when accepted */
} value_cases[] = {
	{ CAMPO_TYPE_INTEGER, " 42 ", CAMPO_VALUE_OK, "42" },
	{ CAMPO_TYPE_INTEGER, "007", CAMPO_VALUE_OK, "7" },
	{ CAMPO_TYPE_INTEGER, "-0", CAMPO_VALUE_OK, "0" },
	{ CAMPO_TYPE_INTEGER, "-9223372036854775808", CAMPO_VALUE_OK,
	  "-9223372036854775808" },
	{ CAMPO_TYPE_INTEGER, "9223372036854775808", CAMPO_VALUE_RANGE, "" },
	{ CAMPO_TYPE_INTEGER, "+5", CAMPO_VALUE_INTEGER, "" },
	{ CAMPO_TYPE_INTEGER, "1.5", CAMPO_VALUE_INTEGER, "" },
	{ CAMPO_TYPE_INTEGER, "-", CAMPO_VALUE_INTEGER, "" },
	{ CAMPO_TYPE_INTEGER, "", CAMPO_VALUE_OK, "" },
	{ CAMPO_TYPE_DECIMAL, "1,5", CAMPO_VALUE_OK, "1.5" },
	{ CAMPO_TYPE_DECIMAL, "-.5", CAMPO_VALUE_OK, "-.5" },
	{ CAMPO_TYPE_DECIMAL, "1e3", CAMPO_VALUE_DECIMAL, "" },
	{ CAMPO_TYPE_DECIMAL, "1.2.3", CAMPO_VALUE_DECIMAL, "" },
	{ CAMPO_TYPE_DECIMAL, ".", CAMPO_VALUE_DECIMAL, "" },
	{ CAMPO_TYPE_DATE, "2024-02-29", CAMPO_VALUE_OK, "2024-02-29" },
	{ CAMPO_TYPE_DATE, "2023-02-29", CAMPO_VALUE_DATE, "" },
	{ CAMPO_TYPE_DATE, "1900-02-29", CAMPO_VALUE_DATE, "" },
	{ CAMPO_TYPE_DATE, "2024-13-01", CAMPO_VALUE_DATE, "" },
	{ CAMPO_TYPE_DATE, "2024-1-1", CAMPO_VALUE_DATE, "" },
	{ CAMPO_TYPE_TIME, "23:59", CAMPO_VALUE_OK, "23:59" },
	{ CAMPO_TYPE_TIME, "09:05:30", CAMPO_VALUE_OK, "09:05:30" },
	{ CAMPO_TYPE_TIME, "24:00", CAMPO_VALUE_TIME, "" },
	{ CAMPO_TYPE_TIME, "9:05", CAMPO_VALUE_TIME, "" },
	{ CAMPO_TYPE_DATETIME, "2024-05-01 12:30", CAMPO_VALUE_OK,
	  "2024-05-01T12:30" },
	{ CAMPO_TYPE_DATETIME, "2024-05-01T12:34:56.789Z", CAMPO_VALUE_OK,
	  "2024-05-01T12:34:56.789Z" },
	{ CAMPO_TYPE_DATETIME, "2024-05-01T12:30-04:00", CAMPO_VALUE_OK,
	  "2024-05-01T12:30-04:00" },
	{ CAMPO_TYPE_DATETIME, "2024-05-01", CAMPO_VALUE_DATETIME, "" },
	{ CAMPO_TYPE_ACKNOWLEDGE, "ok", CAMPO_VALUE_OK, "OK" },
	{ CAMPO_TYPE_ACKNOWLEDGE, "yes", CAMPO_VALUE_ACK, "" },
	{ CAMPO_TYPE_TEXT, " Rose-Marie Joseph ", CAMPO_VALUE_OK,
	  " Rose-Marie Joseph " },
	{ CAMPO_TYPE_TEXT, "Kreyòl ayisyen", CAMPO_VALUE_OK, "Kreyòl ayisyen" },
	{ CAMPO_TYPE_TEXT, "bad \xc3(", CAMPO_VALUE_UTF8, "" },
	{ CAMPO_TYPE_TEXT, "\xed\xa0\x80", CAMPO_VALUE_UTF8, "" },
};

START_TEST(value_normalize_table)
{
	const struct value_case *c = &value_cases[_i];
	struct campo_buf out, again;
	enum campo_value_error err;

	campo_buf_init(&out, 1 << 16);
	campo_buf_init(&again, 1 << 16);
	err = campo_value_normalize(c->type, c->in, strlen(c->in), &out);
	ck_assert_msg(err == c->err, "%s '%s': got %s, want %s",
		      campo_type_info(c->type)->name, c->in,
		      campo_value_error_str(err),
		      campo_value_error_str(c->err));
	if (err == CAMPO_VALUE_OK) {
		ck_assert_str_eq(campo_buf_str(&out), c->out);
		/* a stored value is accepted again unchanged */
		ck_assert_int_eq(campo_value_normalize(c->type,
						       out.data ? out.data : "",
						       out.len, &again),
				 CAMPO_VALUE_OK);
		ck_assert_str_eq(campo_buf_str(&again), c->out);
	}
	campo_buf_release(&out);
	campo_buf_release(&again);
}
END_TEST

START_TEST(value_text_is_capped)
{
	struct campo_buf out;
	char *big = malloc(CAMPO_VALUE_TEXT_MAX + 1);

	ck_assert_ptr_nonnull(big);
	memset(big, 'a', CAMPO_VALUE_TEXT_MAX + 1);
	campo_buf_init(&out, 1 << 16);
	ck_assert_int_eq(campo_value_normalize(CAMPO_TYPE_TEXT, big,
					       CAMPO_VALUE_TEXT_MAX, &out),
			 CAMPO_VALUE_OK);
	ck_assert_int_eq(campo_value_normalize(CAMPO_TYPE_TEXT, big,
					       CAMPO_VALUE_TEXT_MAX + 1, &out),
			 CAMPO_VALUE_TOO_LONG);
	ck_assert_int_eq(
		campo_value_normalize(CAMPO_TYPE_TEXT, "a\0b", 3, &out),
		CAMPO_VALUE_UTF8);
	campo_buf_release(&out);
	free(big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("form");
	TCase *bad = tcase_create("bad");
	TCase *good = tcase_create("good");
	TCase *caps = tcase_create("caps");
	TCase *bundled = tcase_create("bundled");
	TCase *value = tcase_create("value");

	bad_cases_read();
	tcase_add_loop_test(bad, bad_form_is_refused, 0, n_bad_cases);
	tcase_add_test(bad, every_error_is_reported_up_to_the_cap);
	tcase_add_test(bad, missing_file_is_io);
	suite_add_tcase(s, bad);

	tcase_add_test(good, good_form_structure);
	tcase_add_test(good, good_form_texts_and_languages);
	tcase_add_test(good, good_form_lists);
	tcase_add_test(good, good_form_dependents_and_calc_order);
	tcase_add_test(good, implicit_language_and_no_nul);
	suite_add_tcase(s, good);

	tcase_add_test(caps, caps_are_load_errors);
	tcase_add_test(caps, too_many_languages);
	tcase_set_timeout(caps, 60);
	suite_add_tcase(s, caps);

	tcase_add_loop_test(
		value, value_normalize_table, 0,
		(int)(sizeof(value_cases) / sizeof(value_cases[0])));
	tcase_add_test(value, value_text_is_capped);
	suite_add_tcase(s, value);

	tcase_add_test(bundled, bundled_forms_load);
	tcase_set_timeout(bundled, 60);
	suite_add_tcase(s, bundled);
	return campo_test_run(s);
}
