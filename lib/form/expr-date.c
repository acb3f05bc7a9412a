/* SPDX-License-Identifier: MIT */
/* Dates for expressions: civil dates without a time zone (POLICY.md), ISO
 * 8601 parsing as ODK writes it, and format-date's codes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "form/expr-internal.h"

#define MS_PER_DAY 86400000.0

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t campo_expr_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void campo_expr_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned days[] = { 31, 28, 31, 30, 31, 30,
					 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
		return 29;
	}
	return days[m - 1];
}

/* Reads 1 to max digits at *p; false when there is none. */
static bool digits(const char *s, size_t len, size_t *p, size_t min, size_t max,
		   unsigned *out)
{
	size_t n = 0;

	*out = 0;
	while (*p < len && n < max && s[*p] >= '0' && s[*p] <= '9') {
		*out = *out * 10 + (unsigned)(s[*p] - '0');
		(*p)++;
		n++;
	}
	return n >= min;
}

/* "HH:MM[:SS[.fff]][Z|(+|-)HH[:]MM]" at *p: ms into the day, UTC. */
static enum campo_expr_date_parse time_at(const char *s, size_t len, size_t *p,
					  double *ms)
{
	unsigned h, mi, sec = 0, frac = 0, oh, om = 0;
	double fms = 0;

	if (!digits(s, len, p, 2, 2, &h) || *p >= len || s[*p] != ':') {
		return DATE_NONE;
	}
	(*p)++;
	if (!digits(s, len, p, 2, 2, &mi)) {
		return DATE_NONE;
	}
	if (*p < len && s[*p] == ':') {
		(*p)++;
		if (!digits(s, len, p, 2, 2, &sec)) {
			return DATE_NONE;
		}
		if (*p < len && s[*p] == '.') {
			size_t start = ++(*p);

			if (!digits(s, len, p, 1, 9, &frac)) {
				return DATE_NONE;
			}
			fms = frac * pow(10, 3 - (double)(*p - start));
		}
	}
	if (h > 23 || mi > 59 || sec > 59) {
		return DATE_INVALID;
	}
	*ms = h * 3600000.0 + mi * 60000.0 + sec * 1000.0 + fms;
	if (*p < len && s[*p] == 'Z') {
		(*p)++;
	} else if (*p < len && (s[*p] == '+' || s[*p] == '-')) {
		double sign = s[*p] == '-' ? -1 : 1;

		(*p)++;
		if (!digits(s, len, p, 2, 2, &oh)) {
			return DATE_NONE;
		}
		if (*p < len && s[*p] == ':') {
			(*p)++;
		}
		if (*p < len && !digits(s, len, p, 2, 2, &om)) {
			return DATE_NONE;
		}
		*ms -= sign * (oh * 3600000.0 + om * 60000.0);
	}
	return DATE_OK;
}

enum campo_expr_date_parse campo_expr_date_parse(const char *s, size_t len,
						 double *days, bool *has_time)
{
	unsigned y, m, d;
	size_t p = 0;
	double ms = 0;
	enum campo_expr_date_parse r;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	while (p < len && (s[p] == ' ' || s[p] == '\t')) {
		p++;
	}
	*has_time = false;
	if (!digits(s, len, &p, 4, 4, &y) || p >= len || s[p] != '-') {
		return DATE_NONE;
	}
	p++;
	if (!digits(s, len, &p, 1, 2, &m) || p >= len || s[p] != '-') {
		return DATE_NONE;
	}
	p++;
	if (!digits(s, len, &p, 1, 2, &d)) {
		return DATE_NONE;
	}
	if (p < len && s[p] == 'T') {
		p++;
		r = time_at(s, len, &p, &ms);
		if (r != DATE_OK) {
			return r;
		}
		*has_time = true;
	}
	if (p != len) {
		return DATE_NONE;
	}
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
		return DATE_INVALID;
	}
	*days = ((double)campo_expr_days_from_civil(y, m, d) * MS_PER_DAY +
		 ms) /
		MS_PER_DAY;
	return DATE_OK;
}

bool campo_expr_time_parse(const char *s, size_t len, double *frac)
{
	size_t p = 0;
	double ms;

	if (time_at(s, len, &p, &ms) != DATE_OK || p != len) {
		return false;
	}
	ms = fmod(ms, MS_PER_DAY);
	if (ms < 0) {
		ms += MS_PER_DAY;
	}
	*frac = ms / MS_PER_DAY;
	return true;
}

struct parts {
	int64_t y;
	unsigned m, d, h, mi, s, ms, wday;
};

static void split(double days, struct parts *t)
{
	double total = round(days * MS_PER_DAY);
	double day = floor(total / MS_PER_DAY);
	int64_t rest = (int64_t)(total - day * MS_PER_DAY);

	campo_expr_civil_from_days((int64_t)day, &t->y, &t->m, &t->d);
	t->h = (unsigned)(rest / 3600000);
	t->mi = (unsigned)(rest / 60000 % 60);
	t->s = (unsigned)(rest / 1000 % 60);
	t->ms = (unsigned)(rest % 1000);
	/* 1970-01-01 was a Thursday */
	t->wday = (unsigned)((((int64_t)day % 7) + 11) % 7);
}

size_t campo_expr_date_format(double days, bool has_time, char *out)
{
	struct parts t;
	int n;

	split(days, &t);
	if (!has_time) {
		n = snprintf(out, 64, "%04lld-%02u-%02u", (long long)t.y, t.m,
			     t.d);
	} else {
		n = snprintf(out, 64,
			     "%04lld-%02u-%02uT%02u:%02u:%02u.%03u+00:00",
			     (long long)t.y, t.m, t.d, t.h, t.mi, t.s, t.ms);
	}
	return n > 0 ? (size_t)n : 0;
}

enum campo_status campo_expr_date_strf(struct campo_expr_ctx *c, double days,
				       const char *fmt, size_t fmt_len,
				       const char **s, size_t *len)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed",
					     "Thu", "Fri", "Sat" };
	enum campo_status status = CAMPO_OK;
	struct parts t;
	size_t w = 0, cap = fmt_len * 12 + 32;
	char *out = campo_expr_scratch_alloc(c, cap, &status);

	if (!out) {
		return status;
	}
	split(days, &t);
	for (size_t i = 0; i < fmt_len; i++) {
		int n = 0;

		if (fmt[i] != '%' || i + 1 >= fmt_len) {
			out[w++] = fmt[i];
			continue;
		}
		switch (fmt[++i]) {
		case 'Y':
			n = snprintf(out + w, cap - w, "%04lld",
				     (long long)t.y);
			break;
		case 'y':
			n = snprintf(out + w, cap - w, "%02lld",
				     (long long)((t.y % 100 + 100) % 100));
			break;
		case 'm':
			n = snprintf(out + w, cap - w, "%02u", t.m);
			break;
		case 'n':
			n = snprintf(out + w, cap - w, "%u", t.m);
			break;
		case 'b':
			n = snprintf(out + w, cap - w, "%s", months[t.m - 1]);
			break;
		case 'd':
			n = snprintf(out + w, cap - w, "%02u", t.d);
			break;
		case 'e':
			n = snprintf(out + w, cap - w, "%u", t.d);
			break;
		case 'a':
			n = snprintf(out + w, cap - w, "%s", wdays[t.wday]);
			break;
		case 'H':
			n = snprintf(out + w, cap - w, "%02u", t.h);
			break;
		case 'h':
			n = snprintf(out + w, cap - w, "%u", t.h);
			break;
		case 'M':
			n = snprintf(out + w, cap - w, "%02u", t.mi);
			break;
		case 'S':
			n = snprintf(out + w, cap - w, "%02u", t.s);
			break;
		case '3':
			n = snprintf(out + w, cap - w, "%03u", t.ms);
			break;
		default:
			out[w++] = '%';
			out[w++] = fmt[i];
			break;
		}
		if (n > 0 && (size_t)n < cap - w) {
			w += (size_t)n;
		}
	}
	*s = out;
	*len = w;
	return CAMPO_OK;
}
