/* SPDX-License-Identifier: MIT */
/* Growable byte buffers with a hard cap. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

void campo_buf_init(struct campo_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void campo_buf_release(struct campo_buf *b)
{
	if (!b) {
		return;
	}
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void campo_buf_reset(struct campo_buf *b)
{
	b->len = 0;
	if (b->data) {
		b->data[0] = '\0';
	}
}

static enum campo_status reserve(struct campo_buf *b, size_t more)
{
	size_t need;

	if (more > b->max - b->len) {
		return CAMPO_ERR_LIMIT;
	}
	need = b->len + more + 1;
	if (campo_grow((void **)&b->data, &b->cap, need, 1)) {
		return CAMPO_ERR_NOMEM;
	}
	return CAMPO_OK;
}

enum campo_status campo_buf_add(struct campo_buf *b, const void *p, size_t len)
{
	enum campo_status status = reserve(b, len);

	if (status) {
		return status;
	}
	if (len) {
		memcpy(b->data + b->len, p, len);
	}
	b->len += len;
	b->data[b->len] = '\0';
	return CAMPO_OK;
}

enum campo_status campo_buf_adds(struct campo_buf *b, const char *s)
{
	return campo_buf_add(b, s, strlen(s));
}

enum campo_status campo_buf_addc(struct campo_buf *b, char c)
{
	return campo_buf_add(b, &c, 1);
}

enum campo_status campo_buf_printf(struct campo_buf *b, const char *fmt, ...)
{
	enum campo_status status;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		return CAMPO_ERR_INVALID;
	}
	status = reserve(b, (size_t)n);
	if (status) {
		return status;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return CAMPO_OK;
}

enum campo_status campo_buf_add_json_string(struct campo_buf *b, const char *s,
					    size_t len)
{
	enum campo_status status = campo_buf_addc(b, '"');
	size_t run = 0;

	for (size_t i = 0; status == CAMPO_OK && i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\') {
			continue; /* copied with the run it belongs to */
		}
		status = campo_buf_add(b, s + run, i - run);
		run = i + 1;
		if (status != CAMPO_OK) {
			break;
		}
		switch (c) {
		case '"':
			status = campo_buf_adds(b, "\\\"");
			break;
		case '\\':
			status = campo_buf_adds(b, "\\\\");
			break;
		case '\n':
			status = campo_buf_adds(b, "\\n");
			break;
		case '\t':
			status = campo_buf_adds(b, "\\t");
			break;
		case '\r':
			status = campo_buf_adds(b, "\\r");
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			status = campo_buf_adds(b, esc);
			break;
		}
	}
	if (status == CAMPO_OK && len > run) {
		status = campo_buf_add(b, s + run, len - run);
	}
	return status == CAMPO_OK ? campo_buf_addc(b, '"') : status;
}

const char *campo_buf_str(const struct campo_buf *b)
{
	return b->data ? b->data : "";
}

char *campo_buf_detach(struct campo_buf *b, size_t *len)
{
	char *p = b->data;

	if (!p) {
		p = campo_strndup("", 0);
	}
	if (len) {
		*len = b->len;
	}
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
