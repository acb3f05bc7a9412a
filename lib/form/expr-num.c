/* SPDX-License-Identifier: MIT */
/* Numbers as text in the C locale, whatever the process locale (POLICY.md
 * "Numbers"; XPath 1.0 section 4.4 for printing, with JS's exponent form
 * from 1e21 up as the cases want).
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/expr-internal.h"

static const double pow10_exact[] = {
	1e0,  1e1,  1e2,  1e3,	1e4,  1e5,  1e6,  1e7,	1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* strtod on ASCII digits with '.' as the point, in any locale. */
static double strtod_c(const char *digits, size_t len)
{
	const char *point = localeconv()->decimal_point;
	size_t plen = strlen(point);
	char stack[512];
	char *buf = stack;
	size_t w = 0;
	double d;

	if (len + plen + 1 > sizeof(stack)) {
		buf = malloc(len + plen + 1);
		if (!buf) {
			return (double)NAN;
		}
	}
	for (size_t i = 0; i < len; i++) {
		if (digits[i] == '.') {
			memcpy(buf + w, point, plen);
			w += plen;
		} else {
			buf[w++] = digits[i];
		}
	}
	buf[w] = '\0';
	d = strtod(buf, NULL);
	if (buf != stack) {
		free(buf);
	}
	return d;
}

double campo_expr_num_parse(const char *s, size_t len)
{
	size_t b = 0, e = len, i, int_digits = 0, frac_digits = 0;
	bool neg = false, point = false;
	uint64_t mant = 0;
	char stack[512];

	while (b < e && is_space(s[b])) {
		b++;
	}
	while (e > b && is_space(s[e - 1])) {
		e--;
	}
	if (b < e && s[b] == '-') {
		neg = true;
		b++;
	}
	for (i = b; i < e; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			if (point) {
				frac_digits++;
			} else {
				int_digits++;
			}
			if (int_digits + frac_digits <= 19) {
				mant = mant * 10 + (uint64_t)(c - '0');
			}
		} else if ((c == '.' || c == ',') && !point) {
			point = true;
		} else {
			return (double)NAN;
		}
	}
	if (int_digits + frac_digits == 0) {
		return (double)NAN;
	}
	/* Clinger's fast path: exact mantissa, exact power of ten. */
	if (int_digits + frac_digits <= 15 && frac_digits <= 22) {
		double d = (double)mant / pow10_exact[frac_digits];

		return neg ? -d : d;
	}
	if (e - b + 1 <= sizeof(stack)) {
		size_t w = 0;

		for (i = b; i < e; i++) {
			stack[w++] = s[i] == ',' ? '.' : s[i];
		}
		{
			double d = strtod_c(stack, w);

			return neg ? -d : d;
		}
	} else {
		char *copy = malloc(e - b);
		double d;

		if (!copy) {
			return (double)NAN;
		}
		for (i = b; i < e; i++) {
			copy[i - b] = s[i] == ',' ? '.' : s[i];
		}
		d = strtod_c(copy, e - b);
		free(copy);
		return neg ? -d : d;
	}
}

/*
 * The shortest decimal digits of x > 0 (finite) that read back as x:
 * x = 0.d1 d2 ... dn * 10^(exp10 + 1), i.e. d1 has place value 10^exp10.
 */
static int shortest(double x, char digits[24], int *exp10)
{
	char buf[64];
	int n = 0;

	for (int prec = 1; prec <= 17; prec++) {
		const char *p;
		char *end;

		snprintf(buf, sizeof(buf), "%.*e", prec - 1, x);
		if (prec < 17 && strtod(buf, &end) != x) {
			continue;
		}
		n = 0;
		for (p = buf; *p && *p != 'e'; p++) {
			if (*p >= '0' && *p <= '9') {
				digits[n++] = *p;
			}
		}
		*exp10 = *p == 'e' ? atoi(p + 1) : 0;
		break;
	}
	while (n > 1 && digits[n - 1] == '0') {
		n--;
	}
	digits[n] = '\0';
	return n;
}

size_t campo_expr_num_format(double x, char *out)
{
	char digits[24];
	int n, e;
	size_t w = 0;

	if (isnan(x)) {
		out[0] = '\0';
		return 0;
	}
	if (isinf(x)) {
		return (size_t)sprintf(out, "%s",
				       x < 0 ? "-Infinity" : "Infinity");
	}
	if (x == 0) {
		out[0] = '0';
		out[1] = '\0';
		return 1;
	}
	if (x == trunc(x) && fabs(x) < 1e15) {
		return (size_t)sprintf(out, "%lld", (long long)x);
	}
	if (x < 0) {
		out[w++] = '-';
		x = -x;
	}
	n = shortest(x, digits, &e);
	if (e >= 21) {
		/* JS form: 1e+21, 1.5e+22 */
		out[w++] = digits[0];
		if (n > 1) {
			out[w++] = '.';
			memcpy(out + w, digits + 1, (size_t)n - 1);
			w += (size_t)n - 1;
		}
		w += (size_t)sprintf(out + w, "e+%d", e);
		return w;
	}
	if (e >= 0) {
		for (int i = 0; i <= e; i++) {
			out[w++] = i < n ? digits[i] : '0';
		}
		if (n > e + 1) {
			out[w++] = '.';
			for (int i = e + 1; i < n; i++) {
				out[w++] = digits[i];
			}
		}
	} else {
		out[w++] = '0';
		out[w++] = '.';
		for (int i = 0; i < -e - 1; i++) {
			out[w++] = '0';
		}
		memcpy(out + w, digits, (size_t)n);
		w += (size_t)n;
	}
	out[w] = '\0';
	return w;
}

double campo_expr_num_round(double x, double places)
{
	char digits[24], buf[64];
	int n, e, k, d;
	bool neg = x < 0, up;

	if (isnan(x) || isinf(x) || x == 0 || isnan(places)) {
		return isnan(places) ? (double)NAN : x;
	}
	if (places > 400) {
		return x;
	}
	if (places < -400) {
		return 0;
	}
	d = (int)trunc(places);
	n = shortest(fabs(x), digits, &e);
	k = e + d + 1; /* digits kept */
	if (k >= n) {
		return x;
	}
	if (k < 0) {
		return 0;
	}
	up = digits[k] > '5' || (digits[k] == '5' && (k + 1 < n || !neg));
	if (k == 0) {
		if (!up) {
			return 0;
		}
		snprintf(buf, sizeof(buf), "%s1e%d", neg ? "-" : "", -d);
		return strtod(buf, NULL);
	}
	digits[k] = '\0';
	if (up) {
		int i = k - 1;

		while (i >= 0 && digits[i] == '9') {
			digits[i--] = '0';
		}
		if (i >= 0) {
			digits[i]++;
		} else {
			memmove(digits + 1, digits, (size_t)k + 1);
			digits[0] = '1';
			e++;
			k++;
		}
	}
	/* no decimal point in buf: strtod reads it in any locale */
	snprintf(buf, sizeof(buf), "%s%se%d", neg ? "-" : "", digits,
		 e - k + 1);
	return strtod(buf, NULL);
}
