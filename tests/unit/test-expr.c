/* SPDX-License-Identifier: MIT */
/* Unit tests of the expression language: every case of
 * tests/data/expr-cases.json (POLICY.md's answers), then focused tests of
 * numbers, refs, error columns and the caps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "form/expr-case.h"
#include "form/expr-internal.h"
#include "form/expr.h"
#include "runner.h"
#include "util/file.h"

/* 2024-06-15T10:30:00Z: a fixed clock for today() and now() */
#define NOW_MS 1718447400000LL

/*
 * Cases whose recorded answer contradicts POLICY.md and another case:
 * they are checked against the policy's answer instead, and listed here
 * so the shared cases.json can be fixed.
 */
static const struct {
	const char *id, *value;
	bool boolean;
	const char *why;
} corrections[] = {
	{ "number-047", "", false,
	  "POLICY.md: a string literal that looks like a date is only a "
	  "string (Collect: number('2020-01-02') is NaN); date-060 wants "
	  "number('1970-01-02') NaN, this case wants 18263 (the JS engines)" },
};

static cJSON *cases_root;
static cJSON *cases, *error_cases;

static void load_cases(void)
{
	char *text = NULL;
	size_t len = 0;
	struct campo_diag diag = { 0 };

	if (cases_root) {
		return;
	}
	if (campo_file_read(campo_test_data("expr-cases.json"), 1u << 24, &text,
			    &len, &diag)) {
		fprintf(stderr, "cannot read cases: %s\n", diag.msg);
		abort();
	}
	cases_root = cJSON_ParseWithLengthOpts(text, len, NULL, false);
	free(text);
	if (!cases_root) {
		fprintf(stderr, "cases: not valid JSON\n");
		abort();
	}
	cases = cJSON_GetObjectItemCaseSensitive(cases_root, "cases");
	error_cases =
		cJSON_GetObjectItemCaseSensitive(cases_root, "error_cases");
}

static void run_json(const cJSON *c, struct campo_expr_case *out)
{
	char *json = cJSON_PrintUnformatted(c);
	struct campo_diag diag = { 0 };
	enum campo_status status;

	ck_assert_ptr_nonnull(json);
	status = campo_expr_case_run(json, strlen(json), NOW_MS, out, &diag);
	cJSON_free(json);
	ck_assert_msg(status == CAMPO_OK, "case not readable: %s", diag.msg);
}

START_TEST(case_file)
{
	const cJSON *c = cJSON_GetArrayItem(cases, _i);
	const cJSON *want = cJSON_GetObjectItemCaseSensitive(c, "want");
	const char *id = cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring;
	const char *want_value =
		cJSON_GetObjectItemCaseSensitive(want, "value")->valuestring;
	bool want_bool =
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(want, "boolean"));
	struct campo_expr_case r;

	for (size_t k = 0; k < sizeof(corrections) / sizeof(corrections[0]);
	     k++) {
		if (!strcmp(corrections[k].id, id)) {
			want_value = corrections[k].value;
			want_bool = corrections[k].boolean;
		}
	}
	run_json(c, &r);
	ck_assert_msg(!r.failed && !strcmp(r.value, want_value) &&
			      r.boolean == want_bool,
		      "%s: %s\n  got:  value '%s' boolean %s%s%s\n"
		      "  want: value '%s' boolean %s",
		      id, r.expr, r.failed ? "(error)" : r.value,
		      r.boolean ? "true" : "false", r.failed ? " error: " : "",
		      r.failed ? r.error : "", want_value,
		      want_bool ? "true" : "false");
	campo_expr_case_release(&r);
}
END_TEST

START_TEST(error_file)
{
	const cJSON *c = cJSON_GetArrayItem(error_cases, _i);
	struct campo_expr_case r;

	run_json(c, &r);
	ck_assert_msg(r.failed, "%s: '%s' should not compile, got '%s'",
		      cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring,
		      r.expr, r.value ? r.value : "");
	campo_expr_case_release(&r);
}
END_TEST

/* ---- numbers ---- */

static const char *fmt(double x)
{
	static char buf[CAMPO_EXPR_NUM_MAX];

	campo_expr_num_format(x, buf);
	return buf;
}

START_TEST(number_printing)
{
	ck_assert_str_eq(fmt(0), "0");
	ck_assert_str_eq(fmt(-0.0), "0");
	ck_assert_str_eq(fmt(3), "3");
	ck_assert_str_eq(fmt(-42), "-42");
	ck_assert_str_eq(fmt(2.5), "2.5");
	ck_assert_str_eq(fmt(0.1 + 0.2), "0.30000000000000004");
	ck_assert_str_eq(fmt(1e12), "1000000000000");
	ck_assert_str_eq(fmt(1e-7), "0.0000001");
	ck_assert_str_eq(fmt(123456789012345678.0), "123456789012345680");
	ck_assert_str_eq(fmt(1e21), "1e+21");
	ck_assert_str_eq(fmt((double)INFINITY), "Infinity");
	ck_assert_str_eq(fmt(-(double)INFINITY), "-Infinity");
	ck_assert_str_eq(fmt((double)NAN), "");
	{
		char want[400] = "0.";

		memset(want + 2, '0', 323);
		strcpy(want + 325, "5");
		ck_assert_str_eq(fmt(5e-324), want);
	}
}
END_TEST

START_TEST(number_parsing)
{
	ck_assert(campo_expr_num_parse("12", 2) == 12);
	ck_assert(campo_expr_num_parse(" 12 ", 4) == 12);
	ck_assert(campo_expr_num_parse("1,5", 3) == 1.5);
	ck_assert(campo_expr_num_parse("-0.25", 5) == -0.25);
	ck_assert(campo_expr_num_parse(".5", 2) == 0.5);
	ck_assert(campo_expr_num_parse("5.", 2) == 5);
	ck_assert(campo_expr_num_parse("0.30000000000000004", 19) == 0.1 + 0.2);
	ck_assert(isnan(campo_expr_num_parse("+5", 2)));
	ck_assert(isnan(campo_expr_num_parse("1e3", 3)));
	ck_assert(isnan(campo_expr_num_parse("0x10", 4)));
	ck_assert(isnan(campo_expr_num_parse("Infinity", 8)));
	ck_assert(isnan(campo_expr_num_parse("- 5", 3)));
	ck_assert(isnan(campo_expr_num_parse(".", 1)));
	ck_assert(isnan(campo_expr_num_parse("", 0)));
	ck_assert(isnan(campo_expr_num_parse("1.2.3", 5)));
	/* the length is honoured: no NUL needed */
	ck_assert(campo_expr_num_parse("129", 2) == 12);
}
END_TEST

START_TEST(number_rounding)
{
	ck_assert(campo_expr_num_round(2.5, 0) == 3);
	ck_assert(campo_expr_num_round(-2.5, 0) == -2);
	ck_assert(campo_expr_num_round(1.005, 2) == 1.01);
	ck_assert(campo_expr_num_round(-1.475, 2) == -1.47);
	ck_assert(campo_expr_num_round(-1250, -2) == -1200);
	ck_assert(campo_expr_num_round(9.995, 2) == 10);
	ck_assert(campo_expr_num_round(0.4, 0) == 0);
	ck_assert(campo_expr_num_round(0.06, 1) == 0.1);
}
END_TEST

/* ---- compile: refs, columns, caps ---- */

static struct campo_form *small_form(void)
{
	struct campo_form *form = campo_form_new();
	uint32_t rep, f;

	ck_assert_ptr_nonnull(form);
	ck_assert_int_eq(campo_form_field_add(form, -1, "age", 3,
					      CAMPO_TYPE_INTEGER, &f),
			 CAMPO_OK);
	ck_assert_int_eq(campo_form_field_add(form, -1, "member", 6,
					      CAMPO_TYPE_REPEAT, &rep),
			 CAMPO_OK);
	ck_assert_int_eq(campo_form_field_add(form, (int32_t)rep, "m_age", 5,
					      CAMPO_TYPE_INTEGER, &f),
			 CAMPO_OK);
	ck_assert_int_eq(
		campo_form_field_add(form, -1, "name", 4, CAMPO_TYPE_TEXT, &f),
		CAMPO_OK);
	return form;
}

static enum campo_status compile(const struct campo_form *form, const char *src,
				 struct campo_expr **e, struct campo_diag *diag)
{
	campo_diag_init(diag);
	return campo_expr_compile(form, 3, -1, src, strlen(src), e, diag);
}

START_TEST(refs_sorted_unique)
{
	struct campo_form *form = small_form();
	struct campo_expr *e;
	struct campo_diag diag;
	const uint32_t *refs;
	size_t n;

	ck_assert_int_eq(compile(form,
				 "${name} = '' and count(${member}[m_age > "
				 "${age}]) > ${age} + string-length(.)",
				 &e, &diag),
			 CAMPO_OK);
	refs = campo_expr_refs(e, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(refs[0], 0); /* age */
	ck_assert_uint_eq(refs[1], 1); /* member */
	ck_assert_uint_eq(refs[2], 2); /* m_age, bare in the predicate */
	ck_assert_uint_eq(refs[3], 3); /* name, and `.` */
	ck_assert_str_eq(campo_expr_source(e),
			 "${name} = '' and count(${member}[m_age > "
			 "${age}]) > ${age} + string-length(.)");
	campo_expr_free(e);
	ck_assert_int_eq(compile(form, "1 + 2", &e, &diag), CAMPO_OK);
	refs = campo_expr_refs(e, &n);
	ck_assert_uint_eq(n, 0);
	campo_expr_free(e);
	campo_form_free(form);
}
END_TEST

static const struct {
	const char *src;
	enum campo_status status;
	unsigned column;
	const char *msg;
} bad_exprs[] = {
	{ "lenght(${name})", CAMPO_ERR_INVALID, 1,
	  "unknown function 'lenght'" },
	{ "${agee} > 3", CAMPO_ERR_INVALID, 1, "unknown question 'agee'" },
	{ "1 + ${agee}", CAMPO_ERR_INVALID, 5, "unknown question 'agee'" },
	{ "if(1, 2)", CAMPO_ERR_INVALID, 1, "'if' takes 3 arguments, not 2" },
	{ "1 +", CAMPO_ERR_PARSE, 4, "unexpected end of expression" },
	{ "1 2", CAMPO_ERR_PARSE, 3, "unexpected '2'" },
	{ "(1 + 2", CAMPO_ERR_PARSE, 1, "unbalanced '('" },
	{ "'open", CAMPO_ERR_PARSE, 1, "unterminated string" },
	{ "${age} ! 3", CAMPO_ERR_PARSE, 8, "unexpected '!'" },
	{ "count(${member}[agee > 1])", CAMPO_ERR_INVALID, 17,
	  "unknown question 'agee'" },
	{ "regex(., '(')", CAMPO_ERR_INVALID, 12, NULL },
	{ "", CAMPO_ERR_PARSE, 1, "empty expression" },
};

START_TEST(error_columns)
{
	struct campo_form *form = small_form();
	struct campo_expr *e = NULL;
	struct campo_diag diag;

	ck_assert_int_eq(compile(form, bad_exprs[_i].src, &e, &diag),
			 bad_exprs[_i].status);
	ck_assert_ptr_null(e);
	ck_assert_uint_eq(diag.column, bad_exprs[_i].column);
	if (bad_exprs[_i].msg) {
		ck_assert_str_eq(diag.msg, bad_exprs[_i].msg);
	}
	campo_form_free(form);
}
END_TEST

START_TEST(depth_cap)
{
	struct campo_form *form = small_form();
	struct campo_expr *e = NULL;
	struct campo_diag diag;
	size_t n = 100000;
	char *deep = malloc(2 * n + 2);

	ck_assert_ptr_nonnull(deep);
	/* 100k parentheses: over the length cap */
	memset(deep, '(', n);
	deep[n] = '\0';
	ck_assert_int_eq(compile(form, deep, &e, &diag), CAMPO_ERR_LIMIT);
	ck_assert_ptr_null(e);
	/* 1000 within the length cap: over the nesting cap */
	memset(deep, '(', 1000);
	deep[1000] = '1';
	memset(deep + 1001, ')', 1000);
	deep[2001] = '\0';
	ck_assert_int_eq(compile(form, deep, &e, &diag), CAMPO_ERR_LIMIT);
	ck_assert_str_eq(diag.msg, "expression nested too deeply");
	/* 64 deep compiles */
	memset(deep, '(', 64);
	deep[64] = '1';
	memset(deep + 65, ')', 64);
	deep[129] = '\0';
	ck_assert_int_eq(compile(form, deep, &e, &diag), CAMPO_OK);
	campo_expr_free(e);
	/* unary minus chains and long operator chains are capped too */
	for (size_t i = 0; i < 2000; i++) {
		deep[i] = i % 2 ? ' ' : '-';
	}
	deep[2000] = '1';
	deep[2001] = '\0';
	ck_assert_int_eq(compile(form, deep, &e, &diag), CAMPO_ERR_LIMIT);
	for (size_t i = 0; i < 2000; i++) {
		deep[i] = i % 2 ? '+' : '1';
	}
	deep[2000] = '1';
	deep[2001] = '\0';
	ck_assert_int_eq(compile(form, deep, &e, &diag), CAMPO_ERR_LIMIT);
	free(deep);
	campo_form_free(form);
}
END_TEST

/* Evaluation over a real instance: repeat scoping and no per-call growth */
START_TEST(eval_instance)
{
	struct campo_form *form = small_form();
	struct campo_instance *inst = campo_instance_new(form);
	struct campo_inode *root = campo_instance_root(inst), *m;
	struct campo_expr *e;
	struct campo_diag diag;
	struct campo_eval ev;
	struct campo_buf out;
	static const char *ages[] = { "45", "12", "3" };

	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(campo_inode_add(root, 1, &m), CAMPO_OK);
		ck_assert_int_eq(
			campo_inode_set(m, 2, ages[i], strlen(ages[i])),
			CAMPO_OK);
	}
	ck_assert_int_eq(campo_inode_set(root, 0, "10", 2), CAMPO_OK);
	campo_eval_init(&ev, inst);
	campo_buf_init(&out, 1024);
	/* concat() takes every value of a node-set, as Collect does */
	ck_assert_int_eq(compile(form,
				 "concat(count(${member}[m_age > ${age}]), "
				 "'/', sum(${m_age}), '/', ${m_age})",
				 &e, &diag),
			 CAMPO_OK);
	for (int k = 0; k < 3; k++) {
		campo_buf_reset(&out);
		ck_assert_int_eq(campo_expr_eval_text(e, &ev, &out, &diag),
				 CAMPO_OK);
		ck_assert_str_eq(campo_buf_str(&out), "2/60/45123");
	}
	/* inside instance 2, ${m_age} is that instance's value (so sum()
	 * reads one value), while ${member} is still every instance */
	ev.node = campo_inode_child(root, 1, 2);
	campo_buf_reset(&out);
	ck_assert_int_eq(campo_expr_eval_text(e, &ev, &out, &diag), CAMPO_OK);
	ck_assert_str_eq(campo_buf_str(&out), "2/12/12");
	campo_expr_free(e);
	ck_assert_int_eq(campo_inode_remove(root, 1, 1), CAMPO_OK);
	ck_assert_uint_eq(campo_inode_position(campo_inode_child(root, 1, 1)),
			  1);
	campo_buf_release(&out);
	campo_eval_release(&ev);
	campo_instance_free(inst);
	campo_form_free(form);
}
END_TEST

/* jr:choice-name, dynamic regex patterns, the clock and once() */
START_TEST(eval_functions)
{
	struct campo_form *form = campo_form_new();
	struct campo_instance *inst;
	struct campo_expr *e;
	struct campo_diag diag;
	struct campo_eval ev;
	struct campo_buf out;
	struct campo_choice_list *l;
	uint32_t region, pattern, code;
	size_t lang, list;
	static const struct {
		const char *src, *want;
	} checks[] = {
		{ "jr:choice-name(${region}, '${region}')", "Greater Accra" },
		{ "jr:choice-name('as', '${region}')", "as" },
		{ "jr:choice-name('nope', '${region}')", "" },
		{ "regex(${code}, ${pattern})", "true" },
		{ "regex('ab', ${pattern})", "false" },
		{ "regex(${code}, concat('^', ${pattern}))", "true" },
		{ "today()", "2024-06-15" },
		{ "now()", "2024-06-15T10:30:00.000+00:00" },
		{ "format-date(now(), '%H:%M')", "10:30" },
		{ "once(concat('x', ${code}))", "GA-12" },
		{ "string-length(uuid())", "36" },
	};

	ck_assert_ptr_nonnull(form);
	ck_assert_int_eq(campo_form_language_add(form, "en", &lang), CAMPO_OK);
	ck_assert_int_eq(campo_form_field_add(form, -1, "region", 6,
					      CAMPO_TYPE_SELECT_ONE, &region),
			 CAMPO_OK);
	ck_assert_int_eq(campo_form_field_add(form, -1, "pattern", 7,
					      CAMPO_TYPE_TEXT, &pattern),
			 CAMPO_OK);
	ck_assert_int_eq(campo_form_field_add(form, -1, "code", 4,
					      CAMPO_TYPE_TEXT, &code),
			 CAMPO_OK);
	ck_assert_int_eq(campo_form_list_add(form, "regions", 7, &list),
			 CAMPO_OK);
	form->fields[region].list = (int32_t)list;
	l = &form->lists[list];
	l->choices = calloc(2, sizeof(*l->choices));
	ck_assert_ptr_nonnull(l->choices);
	l->n_choices = 2;
	l->choices[0].name = strdup("ga");
	l->choices[0].label.text = calloc(1, sizeof(char *));
	l->choices[0].label.text[0] = strdup("Greater Accra");
	l->choices[1].name = strdup("as");
	l->choices[1].label.text = calloc(1, sizeof(char *));

	inst = campo_instance_new(form);
	ck_assert_ptr_nonnull(inst);
	campo_inode_set(campo_instance_root(inst), region, "ga", 2);
	campo_inode_set(campo_instance_root(inst), pattern, "[A-Z]{2}-[0-9]+",
			15);
	campo_inode_set(campo_instance_root(inst), code, "GA-12", 5);
	campo_eval_init(&ev, inst);
	ev.now_ms = NOW_MS;
	ev.field = (int32_t)code;
	campo_buf_init(&out, 1024);
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		campo_diag_init(&diag);
		ck_assert_msg(campo_expr_compile(form, (int32_t)code, -1,
						 checks[i].src,
						 strlen(checks[i].src), &e,
						 &diag) == CAMPO_OK,
			      "%s: %s", checks[i].src, diag.msg);
		campo_buf_reset(&out);
		ck_assert_int_eq(campo_expr_eval_text(e, &ev, &out, &diag),
				 CAMPO_OK);
		ck_assert_msg(!strcmp(campo_buf_str(&out), checks[i].want),
			      "%s: got '%s', want '%s'", checks[i].src,
			      campo_buf_str(&out), checks[i].want);
		campo_expr_free(e);
	}
	/* a choice name needs a select question */
	ck_assert_int_eq(campo_expr_compile(form, -1, -1,
					    "jr:choice-name('x', '${code}')",
					    30, &e, &diag),
			 CAMPO_ERR_INVALID);
	ck_assert_str_eq(diag.msg, "'code' is not a select question");
	campo_buf_release(&out);
	campo_eval_release(&ev);
	campo_instance_free(inst);
	campo_form_free(form);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("expr");
	TCase *tc_cases = tcase_create("cases");
	TCase *tc_core = tcase_create("core");
	int status;

	load_cases();
	tcase_add_loop_test(tc_cases, case_file, 0, cJSON_GetArraySize(cases));
	tcase_add_loop_test(tc_cases, error_file, 0,
			    cJSON_GetArraySize(error_cases));
	tcase_set_timeout(tc_cases, 60);
	suite_add_tcase(s, tc_cases);
	tcase_add_test(tc_core, number_printing);
	tcase_add_test(tc_core, number_parsing);
	tcase_add_test(tc_core, number_rounding);
	tcase_add_test(tc_core, refs_sorted_unique);
	tcase_add_loop_test(tc_core, error_columns, 0,
			    (int)(sizeof(bad_exprs) / sizeof(bad_exprs[0])));
	tcase_add_test(tc_core, depth_cap);
	tcase_add_test(tc_core, eval_instance);
	tcase_add_test(tc_core, eval_functions);
	suite_add_tcase(s, tc_core);
	status = campo_test_run(s);
	cJSON_Delete(cases_root);
	return status;
}
