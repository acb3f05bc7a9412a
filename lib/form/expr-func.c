/* SPDX-License-Identifier: MIT */
/* The expression functions: a descriptor table (name, arity, run). */
#include <string.h>

#include "form/expr-internal.h"

#define ANY UINT32_MAX

const struct campo_expr_func campo_expr_funcs[] = {
	{ .name = "abs", .min_args = 1, .max_args = 1 },
	{ .name = "acos", .min_args = 1, .max_args = 1 },
	{ .name = "asin", .min_args = 1, .max_args = 1 },
	{ .name = "atan", .min_args = 1, .max_args = 1 },
	{ .name = "atan2", .min_args = 2, .max_args = 2 },
	{ .name = "boolean", .min_args = 1, .max_args = 1 },
	{ .name = "boolean-from-string", .min_args = 1, .max_args = 1 },
	{ .name = "ceiling", .min_args = 1, .max_args = 1 },
	{ .name = "checklist", .min_args = 2, .max_args = ANY },
	{ .name = "coalesce", .min_args = 2, .max_args = 2 },
	{ .name = "concat", .min_args = 0, .max_args = ANY },
	{ .name = "contains", .min_args = 2, .max_args = 2 },
	{ .name = "cos", .min_args = 1, .max_args = 1 },
	{ .name = "count", .min_args = 1, .max_args = 1 },
	{ .name = "count-non-empty", .min_args = 1, .max_args = 1 },
	{ .name = "count-selected", .min_args = 1, .max_args = 1 },
	{ .name = "date", .min_args = 1, .max_args = 1 },
	{ .name = "date-time", .min_args = 1, .max_args = 1 },
	{ .name = "decimal-date-time", .min_args = 1, .max_args = 1 },
	{ .name = "decimal-time", .min_args = 1, .max_args = 1 },
	{ .name = "digest", .min_args = 2, .max_args = 3 },
	{ .name = "ends-with", .min_args = 2, .max_args = 2 },
	{ .name = "exp", .min_args = 1, .max_args = 1 },
	{ .name = "exp10", .min_args = 1, .max_args = 1 },
	{ .name = "false", .min_args = 0, .max_args = 0 },
	{ .name = "floor", .min_args = 1, .max_args = 1 },
	{ .name = "format-date", .min_args = 2, .max_args = 2 },
	{ .name = "format-date-time", .min_args = 2, .max_args = 2 },
	{ .name = "if", .min_args = 3, .max_args = 3 },
	{ .name = "indexed-repeat", .min_args = 3, .max_args = 7 },
	{ .name = "int", .min_args = 1, .max_args = 1 },
	{ .name = "join", .min_args = 1, .max_args = ANY },
	{ .name = "jr:choice-name", .min_args = 2, .max_args = 2 },
	{ .name = "log", .min_args = 1, .max_args = 1 },
	{ .name = "log10", .min_args = 1, .max_args = 1 },
	{ .name = "max", .min_args = 1, .max_args = ANY },
	{ .name = "min", .min_args = 1, .max_args = ANY },
	{ .name = "normalize-space", .min_args = 0, .max_args = 1 },
	{ .name = "not", .min_args = 1, .max_args = 1 },
	{ .name = "now", .min_args = 0, .max_args = 0 },
	{ .name = "number", .min_args = 0, .max_args = 1 },
	{ .name = "once", .min_args = 1, .max_args = 1 },
	{ .name = "pi", .min_args = 0, .max_args = 0 },
	{ .name = "position", .min_args = 0, .max_args = 1 },
	{ .name = "pow", .min_args = 2, .max_args = 2 },
	{ .name = "random", .min_args = 0, .max_args = 0 },
	{ .name = "regex", .min_args = 2, .max_args = 2 },
	{ .name = "round", .min_args = 1, .max_args = 2 },
	{ .name = "selected", .min_args = 2, .max_args = 2 },
	{ .name = "selected-at", .min_args = 2, .max_args = 2 },
	{ .name = "sin", .min_args = 1, .max_args = 1 },
	{ .name = "sqrt", .min_args = 1, .max_args = 1 },
	{ .name = "starts-with", .min_args = 2, .max_args = 2 },
	{ .name = "string", .min_args = 0, .max_args = 1 },
	{ .name = "string-length", .min_args = 0, .max_args = 1 },
	{ .name = "substr", .min_args = 2, .max_args = 3 },
	{ .name = "substring", .min_args = 2, .max_args = 3 },
	{ .name = "substring-after", .min_args = 2, .max_args = 2 },
	{ .name = "substring-before", .min_args = 2, .max_args = 2 },
	{ .name = "sum", .min_args = 1, .max_args = 1 },
	{ .name = "tan", .min_args = 1, .max_args = 1 },
	{ .name = "today", .min_args = 0, .max_args = 0 },
	{ .name = "translate", .min_args = 3, .max_args = 3 },
	{ .name = "true", .min_args = 0, .max_args = 0 },
	{ .name = "uuid", .min_args = 0, .max_args = 1 },
	{ .name = "weighted-checklist", .min_args = 3, .max_args = ANY },
};

const size_t campo_expr_n_funcs =
	sizeof(campo_expr_funcs) / sizeof(campo_expr_funcs[0]);

int32_t campo_expr_func_find(const char *name, size_t len)
{
	for (size_t i = 0; i < campo_expr_n_funcs; i++) {
		if (strlen(campo_expr_funcs[i].name) == len &&
		    !memcmp(campo_expr_funcs[i].name, name, len)) {
			return (int32_t)i;
		}
	}
	return -1;
}

void campo_expr_regex_free(void *code)
{
	(void)code;
}
