/* SPDX-License-Identifier: MIT */
/* campo-collector eval: evaluate one expression, or a stream of cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "form/expr-case.h"
#include "form/expr.h"
#include "form/form-load.h"
#include "util/buf.h"

#define MAX_LINE (1u << 20) /* bytes in one --jsonl case */
#define MAX_VALUE (1u << 20)

static void eval_usage(FILE *out)
{
	fprintf(out,
		"usage: campo-collector eval [--form FORM] EXPR "
		"[NAME=VALUE...]\n"
		"       campo-collector eval --jsonl < cases.jsonl\n"
		"Prints the value a calculation would store. With --jsonl, "
		"reads one case a\nline (id, expr, fields, repeats, context, "
		"choice) and prints one result a line.\n");
}

/* Appends s as a JSON string (quoted, escaped); nonzero on failure. */
static int json_str(struct campo_buf *b, const char *s, size_t len)
{
	return campo_buf_add_json_string(b, s, len) != CAMPO_OK;
}

static int print_error_line(const char *id, const char *msg)
{
	struct campo_buf b;
	int rc;

	campo_buf_init(&b, MAX_VALUE + 4096);
	rc = campo_buf_printf(&b, "{\"id\": %s, \"error\": ", id) != CAMPO_OK;
	rc |= json_str(&b, msg, strlen(msg));
	rc |= campo_buf_adds(&b, "}\n") != CAMPO_OK;
	if (!rc) {
		fputs(campo_buf_str(&b), stdout);
	}
	campo_buf_release(&b);
	return rc;
}

static int eval_jsonl(void)
{
	struct campo_buf line, b;
	unsigned long lineno = 0;
	int status = 0, c = 0;

	campo_buf_init(&line, MAX_LINE);
	campo_buf_init(&b, MAX_VALUE + 4096);
	while (c != EOF) {
		struct campo_expr_case r;
		struct campo_diag diag = { 0 };
		char msg[CAMPO_DIAG_MSG + 64];
		bool blank = true, too_long = false;

		campo_buf_reset(&line);
		while ((c = getchar()) != EOF && c != '\n') {
			if (campo_buf_addc(&line, (char)c) != CAMPO_OK) {
				too_long = true;
			}
			blank &= c == ' ' || c == '\t' || c == '\r';
		}
		lineno++;
		if (blank && !too_long) {
			continue;
		}
		if (too_long) {
			snprintf(msg, sizeof(msg),
				 "line %lu: longer than %u bytes", lineno,
				 MAX_LINE);
			print_error_line("null", msg);
			status = 1;
			continue;
		}
		if (campo_expr_case_run(line.data, line.len, 0, &r, &diag)) {
			snprintf(msg, sizeof(msg), "line %lu: %s", lineno,
				 diag.msg);
			print_error_line("null", msg);
			status = 1;
			continue;
		}
		if (r.failed) {
			print_error_line(r.id, r.error);
		} else {
			campo_buf_reset(&b);
			if (campo_buf_printf(
				    &b, "{\"id\": %s, \"value\": ", r.id) ||
			    json_str(&b, r.value, strlen(r.value)) ||
			    campo_buf_printf(&b, ", \"boolean\": %s}\n",
					     r.boolean ? "true" : "false")) {
				print_error_line(r.id, "result too long");
			} else {
				fputs(campo_buf_str(&b), stdout);
			}
		}
		campo_expr_case_release(&r);
		fflush(stdout);
	}
	campo_buf_release(&b);
	campo_buf_release(&line);
	return status;
}

/* eval EXPR NAME=VALUE...: a case with those fields, as --jsonl reads. */
static int eval_plain(const char *expr, int n, char **pairs)
{
	struct campo_buf b;
	struct campo_expr_case r;
	struct campo_diag diag = { 0 };
	int rc;

	campo_buf_init(&b, MAX_LINE);
	rc = campo_buf_adds(&b, "{\"expr\": ") != CAMPO_OK;
	rc |= json_str(&b, expr, strlen(expr));
	rc |= campo_buf_adds(&b, ", \"fields\": {") != CAMPO_OK;
	for (int i = 0; i < n && !rc; i++) {
		const char *eq = strchr(pairs[i], '=');

		if (!eq) {
			fprintf(stderr,
				"campo-collector: eval: '%s' is not "
				"NAME=VALUE\n",
				pairs[i]);
			campo_buf_release(&b);
			return 2;
		}
		rc |= i && campo_buf_adds(&b, ", ") != CAMPO_OK;
		rc |= json_str(&b, pairs[i], (size_t)(eq - pairs[i]));
		rc |= campo_buf_adds(&b, ": ") != CAMPO_OK;
		rc |= json_str(&b, eq + 1, strlen(eq + 1));
	}
	rc |= campo_buf_adds(&b, "}}") != CAMPO_OK;
	if (rc) {
		fprintf(stderr, "campo-collector: eval: arguments too long\n");
		campo_buf_release(&b);
		return 1;
	}
	if (campo_expr_case_run(b.data, b.len, 0, &r, &diag)) {
		fprintf(stderr, "campo-collector: eval: %s\n", diag.msg);
		campo_buf_release(&b);
		return 1;
	}
	campo_buf_release(&b);
	if (r.failed) {
		fprintf(stderr, "campo-collector: eval: %s\n", r.error);
		campo_expr_case_release(&r);
		return 1;
	}
	printf("%s\n", r.value);
	campo_expr_case_release(&r);
	return 0;
}

/* eval --form FORM EXPR NAME=VALUE...: against a real form's questions;
 * names must be top-level questions (outside repeats). */
static int eval_form(const char *path, const char *src, int n, char **pairs)
{
	struct campo_diag_list errors;
	struct campo_form *form = NULL;
	struct campo_instance *inst = NULL;
	struct campo_expr *e = NULL;
	struct campo_diag diag = { 0 };
	struct campo_eval ev;
	struct campo_buf out;
	char msg[CAMPO_DIAG_MSG * 2];
	int rc = 1;

	campo_diag_list_init(&errors, 20);
	if (campo_form_load_file(path, &form, &errors)) {
		for (size_t i = 0; i < errors.n; i++) {
			fprintf(stderr, "%s\n",
				campo_diag_format(&errors.items[i], msg,
						  sizeof(msg)));
		}
		goto out_release_errors;
	}
	inst = campo_instance_new(form);
	if (!inst) {
		fprintf(stderr, "campo-collector: eval: out of memory\n");
		goto out_free_form;
	}
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(pairs[i], '=');
		int32_t f = eq ? campo_form_field_find(form, pairs[i],
						       (size_t)(eq - pairs[i]))
			       : -1;

		if (f < 0 || form->fields[f].repeat >= 0 ||
		    !campo_type_info(form->fields[f].type)->has_value) {
			fprintf(stderr,
				"campo-collector: eval: '%s' does not name a "
				"top-level question of %s\n",
				pairs[i], path);
			rc = 2;
			goto out_free_inst;
		}
		if (campo_inode_set(campo_instance_root(inst), (uint32_t)f,
				    eq + 1, strlen(eq + 1))) {
			fprintf(stderr,
				"campo-collector: eval: out of memory\n");
			goto out_free_inst;
		}
	}
	if (campo_expr_compile(form, -1, -1, src, strlen(src), &e, &diag)) {
		fprintf(stderr, "campo-collector: eval: %s\n",
			campo_diag_format(&diag, msg, sizeof(msg)));
		goto out_free_inst;
	}
	campo_eval_init(&ev, inst);
	campo_buf_init(&out, MAX_VALUE);
	if (campo_expr_eval_text(e, &ev, &out, &diag)) {
		fprintf(stderr, "campo-collector: eval: %s\n",
			campo_diag_format(&diag, msg, sizeof(msg)));
	} else {
		printf("%s\n", campo_buf_str(&out));
		rc = 0;
	}
	campo_buf_release(&out);
	campo_eval_release(&ev);
	campo_expr_free(e);
out_free_inst:
	campo_instance_free(inst);
out_free_form:
	campo_form_free(form);
out_release_errors:
	campo_diag_list_release(&errors);
	return rc;
}

int campo_cli_eval(int argc, char **argv)
{
	const char *form = NULL;
	int i = 1;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		eval_usage(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--jsonl")) {
		return eval_jsonl();
	}
	if (argc >= 3 && !strcmp(argv[1], "--form")) {
		form = argv[2];
		i = 3;
	}
	if (i >= argc || argv[i][0] == '-') {
		eval_usage(stderr);
		return 2;
	}
	if (form) {
		return eval_form(form, argv[i], argc - i - 1, argv + i + 1);
	}
	return eval_plain(argv[i], argc - i - 1, argv + i + 1);
}
