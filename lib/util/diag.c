/* SPDX-License-Identifier: MIT */
/* Filling and printing diagnostics. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diag.h"

void campo_diag_init(struct campo_diag *diag)
{
	if (diag) {
		memset(diag, 0, sizeof(*diag));
	}
}

enum campo_status campo_diag_set(struct campo_diag *diag,
				 enum campo_status status, const char *fmt, ...)
{
	va_list ap;

	if (!diag) {
		return status;
	}
	va_start(ap, fmt);
	vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
	va_end(ap);
	return status;
}

void campo_diag_set_file(struct campo_diag *diag, const char *file)
{
	if (diag) {
		snprintf(diag->file, sizeof(diag->file), "%s",
			 file ? file : "");
	}
}

void campo_diag_set_path(struct campo_diag *diag, const char *fmt, ...)
{
	va_list ap;

	if (!diag) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(diag->path, sizeof(diag->path), fmt, ap);
	va_end(ap);
}

char *campo_diag_format(const struct campo_diag *diag, char *buf, size_t n)
{
	size_t len = 0;
	int w;

	if (!n) {
		return buf;
	}
	buf[0] = '\0';
#define PUT(...)                                                       \
	do {                                                           \
		if (len < n) {                                         \
			w = snprintf(buf + len, n - len, __VA_ARGS__); \
			len += w > 0 ? (size_t)w : 0;                  \
		}                                                      \
	} while (0)
	if (diag->file[0]) {
		PUT("%s: ", diag->file);
	}
	if (diag->path[0]) {
		PUT("%s: ", diag->path);
	}
	PUT("%s", diag->msg[0] ? diag->msg : "unspecified error");
	if (diag->line) {
		PUT(" at line %u", diag->line);
		if (diag->column) {
			PUT(", column %u", diag->column);
		}
	} else if (diag->column) {
		PUT(" at column %u", diag->column);
	}
#undef PUT
	return buf;
}

void campo_diag_list_init(struct campo_diag_list *list, size_t max)
{
	list->items = NULL;
	list->n = 0;
	list->max = max;
	list->dropped = 0;
}

void campo_diag_list_release(struct campo_diag_list *list)
{
	if (!list) {
		return;
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
	list->dropped = 0;
}

void campo_diag_list_add(struct campo_diag_list *list,
			 const struct campo_diag *diag)
{
	struct campo_diag *items;

	if (!list) {
		return;
	}
	if (list->n >= list->max) {
		list->dropped++;
		return;
	}
	items = campo_reallocarray(list->items, list->n + 1, sizeof(*items));
	if (!items) {
		list->dropped++;
		return;
	}
	list->items = items;
	items[list->n++] = *diag;
}
