/* SPDX-License-Identifier: MIT */
/* Diagnostics: where and why a parse or validation failed, without allocating.
 */
#ifndef CAMPO_UTIL_DIAG_H
#define CAMPO_UTIL_DIAG_H

#include <stddef.h>

#include "status.h"

#define CAMPO_DIAG_MSG 256
#define CAMPO_DIAG_PATH 160
#define CAMPO_DIAG_FILE 160

/*
 * A diagnostic is plain caller memory: zero it (or campo_diag_init()) and
 * pass its address to a parser; on failure the parser fills it. Every
 * function that takes a struct campo_diag * accepts NULL.
 *
 *   file   the input's name ("forms/census.json"), or ""
 *   path   where in the input, e.g. "fields[3].children[7].constraint"
 *   line, column  1-based position (0: not known); column counts bytes
 *   msg    the failure, lowercase, no full stop ("unknown function 'lenght'")
 */
struct campo_diag {
	char file[CAMPO_DIAG_FILE];
	char path[CAMPO_DIAG_PATH];
	unsigned line;
	unsigned column;
	char msg[CAMPO_DIAG_MSG];
};

/* Clears diag (NULL is allowed). */
void campo_diag_init(struct campo_diag *diag);

/*
 * Formats msg into diag->msg (truncating if it must) and returns status,
 * so a caller can write `return campo_diag_set(diag, CAMPO_ERR_PARSE, ...)`.
 * diag may be NULL.
 */
enum campo_status campo_diag_set(struct campo_diag *diag,
				 enum campo_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets diag->file (truncated to fit). diag may be NULL. */
void campo_diag_set_file(struct campo_diag *diag, const char *file);

/* Sets diag->path with printf formatting. diag may be NULL. */
void campo_diag_set_path(struct campo_diag *diag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Writes "file: path: msg at column N" (parts that are empty are left out)
 * into buf of size n, always NUL-terminated. Returns buf.
 */
char *campo_diag_format(const struct campo_diag *diag, char *buf, size_t n);

/*
 * A capped list of diagnostics, for tools that report every error at once
 * (a form check). Adding past max only counts the overflow.
 */
struct campo_diag_list {
	struct campo_diag *items;
	size_t n;	/* items held */
	size_t max;	/* cap on n */
	size_t dropped; /* errors past the cap */
};

/* Sets up an empty list holding at most max diagnostics. */
void campo_diag_list_init(struct campo_diag_list *list, size_t max);

/* Frees the items. NULL is fine. */
void campo_diag_list_release(struct campo_diag_list *list);

/*
 * Appends a copy of diag (counting it in `dropped` past the cap or when
 * memory runs out). list may be NULL.
 */
void campo_diag_list_add(struct campo_diag_list *list,
			 const struct campo_diag *diag);

#endif
