/* SPDX-License-Identifier: MIT */
/* The targets file: area, optional enumerator, expected households (CSV). */
#include <stdlib.h>
#include <string.h>

#include "report-counts.h"
#include "util/alloc.h"

enum { COL_AREA, COL_ENUMERATOR, COL_EXPECTED, COL_N };

static const char *const col_names[COL_N] = { "area", "enumerator",
					      "expected" };

#define FIELDS_MAX 8

/*
 * Reads one record of RFC 4180 from text[*pos..len) in place: fields are
 * unquoted into text and NUL-terminated. A record ends at LF, CRLF or the
 * end. Returns the number of fields, or -1 for a stray quote, too many
 * fields (FIELDS_MAX) or a NUL byte.
 */
static int record(char *text, size_t len, size_t *pos, char *fields[FIELDS_MAX])
{
	size_t i = *pos;
	int n = 0;

	for (;;) {
		char *out = text + i, *start = out;

		if (n == FIELDS_MAX) {
			return -1;
		}
		if (i < len && text[i] == '"') {
			i++;
			for (;;) {
				if (i >= len) {
					return -1; /* unterminated */
				}
				if (text[i] == '"' && i + 1 < len &&
				    text[i + 1] == '"') {
					*out++ = '"';
					i += 2;
				} else if (text[i] == '"') {
					i++;
					break;
				} else if (text[i] == '\0') {
					return -1;
				} else {
					*out++ = text[i++];
				}
			}
		} else {
			while (i < len && text[i] != ',' && text[i] != '\n' &&
			       text[i] != '\r') {
				if (text[i] == '"' || text[i] == '\0') {
					return -1;
				}
				*out++ = text[i++];
			}
		}
		fields[n++] = start;
		if (i < len && text[i] == ',') {
			*out = '\0';
			i++;
			continue;
		}
		if (i < len && text[i] == '\r') {
			i++;
		}
		if (i < len && text[i] != '\n') {
			return -1;
		}
		*out = '\0';
		*pos = i + (i < len);
		return n;
	}
}

static bool blank(char *const *f, int n)
{
	return n == 1 && !f[0][0];
}

static bool expected_parse(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (!*s || strlen(s) > 10) {
		return false;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return false;
		}
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return v <= 1000000000;
}

enum campo_status campo_report_targets_parse(const char *buf, size_t len,
					     struct campo_report_targets *out,
					     struct campo_diag *diag)
{
	int map[COL_N] = { -1, -1, -1 };
	char *f[FIELDS_MAX];
	size_t pos = 0, cap = 0;
	unsigned line = 1;
	int n, ncols;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		buf += 3;
		len -= 3;
	}
	out->text = campo_strndup(buf, len);
	if (!out->text) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM, "out of memory");
	}
	ncols = record(out->text, len, &pos, f);
	for (int i = 0; i < ncols; i++) {
		int k;

		for (k = 0; k < COL_N && strcmp(f[i], col_names[k]); k++) {
		}
		if (k == COL_N || map[k] >= 0) {
			diag->line = line;
			return campo_diag_set(
				diag, CAMPO_ERR_PARSE,
				"%s column '%.64s' (the columns "
				"are area, enumerator, expected)",
				k == COL_N ? "unknown" : "duplicate", f[i]);
		}
		map[k] = i;
	}
	if (ncols < 0 || map[COL_AREA] < 0 || map[COL_EXPECTED] < 0) {
		if (diag) {
			diag->line = line;
		}
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "the header needs columns area and "
				      "expected");
	}
	while (pos < len) {
		struct campo_hub_target *t;

		line++;
		n = record(out->text, len, &pos, f);
		if (n >= 0 && blank(f, n)) {
			continue;
		}
		if (n != ncols) {
			if (diag) {
				diag->line = line;
			}
			return campo_diag_set(diag, CAMPO_ERR_PARSE,
					      n < 0 ? "bad quoting"
						    : "expected %d fields, "
						      "found %d",
					      ncols, n);
		}
		if (out->n == CAMPO_REPORT_TARGETS_MAX) {
			return campo_diag_set(diag, CAMPO_ERR_LIMIT,
					      "more than %u targets",
					      CAMPO_REPORT_TARGETS_MAX);
		}
		if (campo_grow((void **)&out->t, &cap, out->n + 1,
			       sizeof(*out->t)) != 0) {
			return campo_diag_set(diag, CAMPO_ERR_NOMEM,
					      "out of memory");
		}
		t = &out->t[out->n];
		t->area = f[map[COL_AREA]];
		t->enumerator =
			map[COL_ENUMERATOR] >= 0 ? f[map[COL_ENUMERATOR]] : "";
		if (!t->area[0] ||
		    !expected_parse(f[map[COL_EXPECTED]], &t->expected)) {
			if (diag) {
				diag->line = line;
			}
			return campo_diag_set(
				diag, CAMPO_ERR_PARSE,
				!t->area[0] ? "empty area"
					    : "expected '%.32s' is not a "
					      "count from 0 to 1000000000",
				f[map[COL_EXPECTED]]);
		}
		out->n++;
	}
	return CAMPO_OK;
}

void campo_report_targets_release(struct campo_report_targets *out)
{
	if (!out) {
		return;
	}
	free(out->t);
	free(out->text);
	memset(out, 0, sizeof(*out));
}
