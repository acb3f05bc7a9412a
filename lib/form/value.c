/* SPDX-License-Identifier: MIT */
/* Typed answers: what text each question type accepts, and how it is stored. */
#include <stdbool.h>
#include <stdint.h>

#include "form/value.h"
#include "util/utf8.h"

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return false;
		}
	}
	return n > 0;
}

static unsigned num(const char *p, size_t n)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	return v;
}

static bool date_ok(const char *p, size_t len)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };
	unsigned y, m, d, max;

	if (len != 10 || p[4] != '-' || p[7] != '-' || !digits(p, 4) ||
	    !digits(p + 5, 2) || !digits(p + 8, 2)) {
		return false;
	}
	y = num(p, 4);
	m = num(p + 5, 2);
	d = num(p + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1) {
		return false;
	}
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
		max = 29;
	}
	return d <= max;
}

/* HH:MM or HH:MM:SS (with seconds fraction when frac is true). */
static bool time_ok(const char *p, size_t len, bool frac)
{
	if (len < 5 || !digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) ||
	    num(p, 2) > 23 || num(p + 3, 2) > 59) {
		return false;
	}
	if (len == 5) {
		return true;
	}
	if (len < 8 || p[5] != ':' || !digits(p + 6, 2) || num(p + 6, 2) > 59) {
		return false;
	}
	if (len == 8) {
		return true;
	}
	return frac && p[8] == '.' && digits(p + 9, len - 9) && len <= 12;
}

static bool datetime_ok(const char *p, size_t len)
{
	size_t tl;

	if (len < 16 || !date_ok(p, 10) || (p[10] != 'T' && p[10] != ' ')) {
		return false;
	}
	p += 11;
	len -= 11;
	tl = len;
	if (tl && p[tl - 1] == 'Z') {
		tl--;
	} else if (tl > 6 && (p[tl - 6] == '+' || p[tl - 6] == '-')) {
		const char *z = p + tl - 5;

		if (!digits(z, 2) || z[2] != ':' || !digits(z + 3, 2) ||
		    num(z, 2) > 14 || num(z + 3, 2) > 59) {
			return false;
		}
		tl -= 6;
	}
	return time_ok(p, tl, true);
}

static void trim(const char **p, size_t *len)
{
	while (*len && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*len)--;
	}
	while (*len && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t')) {
		(*len)--;
	}
}

enum campo_value_error campo_value_normalize(enum campo_type type,
					     const char *p, size_t len,
					     struct campo_buf *out)
{
	enum campo_status status = CAMPO_OK;

	campo_buf_reset(out);
	if (type != CAMPO_TYPE_TEXT) {
		trim(&p, &len);
	}
	if (len == 0) {
		return CAMPO_VALUE_OK;
	}
	switch (type) {
	case CAMPO_TYPE_INTEGER: {
		size_t i = 0;
		bool neg = false;
		uint64_t v = 0;

		if (p[0] == '-') {
			neg = true;
			i = 1;
		}
		if (!digits(p + i, len - i)) {
			return CAMPO_VALUE_INTEGER;
		}
		for (; i < len; i++) {
			unsigned d = (unsigned)(p[i] - '0');

			if (v > (UINT64_C(9223372036854775808) - d) / 10) {
				return CAMPO_VALUE_RANGE;
			}
			v = v * 10 + d;
		}
		if (!neg && v > (uint64_t)INT64_MAX) {
			return CAMPO_VALUE_RANGE;
		}
		if (neg && v) {
			status = campo_buf_addc(out, '-');
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(out, "%llu",
						  (unsigned long long)v);
		}
		break;
	}
	case CAMPO_TYPE_DECIMAL: {
		size_t i = 0, ndig = 0;
		bool point = false;

		if (len > 64) {
			return CAMPO_VALUE_TOO_LONG;
		}
		if (p[0] == '-') {
			i = 1;
		}
		for (size_t k = i; k < len; k++) {
			if (p[k] >= '0' && p[k] <= '9') {
				ndig++;
			} else if ((p[k] == '.' || p[k] == ',') && !point) {
				point = true;
			} else {
				return CAMPO_VALUE_DECIMAL;
			}
		}
		if (!ndig) {
			return CAMPO_VALUE_DECIMAL;
		}
		for (size_t k = 0; k < len && status == CAMPO_OK; k++) {
			status = campo_buf_addc(out, p[k] == ',' ? '.' : p[k]);
		}
		break;
	}
	case CAMPO_TYPE_DATE:
		if (!date_ok(p, len)) {
			return CAMPO_VALUE_DATE;
		}
		status = campo_buf_add(out, p, len);
		break;
	case CAMPO_TYPE_TIME:
		if (!time_ok(p, len, false)) {
			return CAMPO_VALUE_TIME;
		}
		status = campo_buf_add(out, p, len);
		break;
	case CAMPO_TYPE_DATETIME:
		if (!datetime_ok(p, len)) {
			return CAMPO_VALUE_DATETIME;
		}
		status = campo_buf_add(out, p, len);
		if (status == CAMPO_OK) {
			out->data[10] = 'T';
		}
		break;
	case CAMPO_TYPE_ACKNOWLEDGE:
		if (len != 2 || (p[0] != 'O' && p[0] != 'o') ||
		    (p[1] != 'K' && p[1] != 'k')) {
			return CAMPO_VALUE_ACK;
		}
		status = campo_buf_adds(out, "OK");
		break;
	default:
		if (len > CAMPO_VALUE_TEXT_MAX) {
			return CAMPO_VALUE_TOO_LONG;
		}
		if (!campo_utf8_valid(p, len)) {
			return CAMPO_VALUE_UTF8;
		}
		status = campo_buf_add(out, p, len);
		break;
	}
	return status == CAMPO_OK ? CAMPO_VALUE_OK : CAMPO_VALUE_NOMEM;
}

const char *campo_value_error_str(enum campo_value_error err)
{
	static const char *const text[] = {
		[CAMPO_VALUE_OK] = "accepted",
		[CAMPO_VALUE_INTEGER] = "not a whole number",
		[CAMPO_VALUE_RANGE] = "a number too large",
		[CAMPO_VALUE_DECIMAL] = "not a number",
		[CAMPO_VALUE_DATE] = "not a calendar date (YYYY-MM-DD)",
		[CAMPO_VALUE_DATETIME] = "not a date and time",
		[CAMPO_VALUE_TIME] = "not a time (HH:MM or HH:MM:SS)",
		[CAMPO_VALUE_ACK] = "not OK",
		[CAMPO_VALUE_TOO_LONG] = "too long",
		[CAMPO_VALUE_UTF8] = "not valid UTF-8 text",
		[CAMPO_VALUE_NOMEM] = "out of memory",
	};

	if ((unsigned)err >= sizeof(text) / sizeof(text[0])) {
		return "refused";
	}
	return text[err];
}
