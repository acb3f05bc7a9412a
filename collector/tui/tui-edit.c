/* SPDX-License-Identifier: MIT */
/* The TUI's UTF-8 line editor, folding for filters, and date entry. */
#include "tui-edit.h"

#include <string.h>

#include "util/utf8.h"

size_t campo_tui_utf8_decode(const char *s, size_t len, uint32_t *c)
{
	size_t i = 0;

	*c = campo_utf8_decode(s, len, &i);
	if (*c == CAMPO_UTF8_BAD) {
		*c = 0xfffd; /* shown as the replacement character */
	}
	return i;
}

bool campo_tui_combining(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	       (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	       (c >= 0xfe20 && c <= 0xfe2f);
}

/* The byte offset of the character after the one at off. */
static size_t next_char(const struct campo_tui_edit *e, size_t off)
{
	uint32_t c;

	if (off >= e->len) {
		return e->len;
	}
	off += campo_tui_utf8_decode(e->text + off, e->len - off, &c);
	while (off < e->len) {
		size_t n =
			campo_tui_utf8_decode(e->text + off, e->len - off, &c);
		if (!campo_tui_combining(c)) {
			break;
		}
		off += n;
	}
	return off;
}

/* The byte offset of the character before off. */
static size_t prev_char(const struct campo_tui_edit *e, size_t off)
{
	size_t at = 0;

	/* Walk from the start: lines are short and this never splits a
	 * sequence or a mark from its base. */
	while (at < off) {
		size_t n = next_char(e, at);
		if (n >= off) {
			return at;
		}
		at = n;
	}
	return 0;
}

void campo_tui_edit_set(struct campo_tui_edit *e, const char *s, size_t len)
{
	if (len > CAMPO_TUI_EDIT_MAX) {
		len = CAMPO_TUI_EDIT_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80) {
			len--;
		}
	}
	memcpy(e->text, s, len);
	e->text[len] = '\0';
	e->len = len;
	e->cur = len;
}

bool campo_tui_edit_insert(struct campo_tui_edit *e, uint32_t c)
{
	char buf[4];
	size_t n;

	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff)) {
		return false;
	}
	n = campo_utf8_encode(buf, c);
	if (e->len + n > CAMPO_TUI_EDIT_MAX) {
		return false;
	}
	memmove(e->text + e->cur + n, e->text + e->cur, e->len - e->cur + 1);
	memcpy(e->text + e->cur, buf, n);
	e->len += n;
	e->cur += n;
	return true;
}

bool campo_tui_edit_left(struct campo_tui_edit *e)
{
	if (e->cur == 0) {
		return false;
	}
	e->cur = prev_char(e, e->cur);
	return true;
}

bool campo_tui_edit_right(struct campo_tui_edit *e)
{
	if (e->cur >= e->len) {
		return false;
	}
	e->cur = next_char(e, e->cur);
	return true;
}

bool campo_tui_edit_home(struct campo_tui_edit *e)
{
	bool moved = e->cur != 0;

	e->cur = 0;
	return moved;
}

bool campo_tui_edit_end(struct campo_tui_edit *e)
{
	bool moved = e->cur != e->len;

	e->cur = e->len;
	return moved;
}

static void cut(struct campo_tui_edit *e, size_t from, size_t to)
{
	memmove(e->text + from, e->text + to, e->len - to + 1);
	e->len -= to - from;
	e->cur = from;
}

bool campo_tui_edit_backspace(struct campo_tui_edit *e)
{
	if (e->cur == 0) {
		return false;
	}
	cut(e, prev_char(e, e->cur), e->cur);
	return true;
}

bool campo_tui_edit_delete(struct campo_tui_edit *e)
{
	if (e->cur >= e->len) {
		return false;
	}
	cut(e, e->cur, next_char(e, e->cur));
	return true;
}

/* Base letters of U+00C0..U+017F; '\0' keeps the character. */
static const char latin[] = "aaaaaaaceeeeiiii"	/* C0 */
			    "dnooooo\0ouuuuyts" /* D0 */
			    "aaaaaaaceeeeiiii"	/* E0 */
			    "dnooooo\0ouuuuyty" /* F0 */
			    "aaaaaaccccccccdd"	/* 100 */
			    "ddeeeeeeeeeegggg"	/* 110 */
			    "gggghhhhiiiiiiii"	/* 120 */
			    "iiiijjkkklllllll"	/* 130 */
			    "lllnnnnnnnnnoooo"	/* 140 */
			    "oooorrrrrrssssss"	/* 150 */
			    "ssttttttuuuuuuuu"	/* 160 */
			    "uuuuwwyyyzzzzzzs"; /* 170 */

size_t campo_tui_fold(const char *s, size_t len, char *out, size_t cap)
{
	size_t o = 0;

	if (cap == 0) {
		return 0;
	}
	for (size_t i = 0; i < len;) {
		uint32_t c;
		char buf[4];
		size_t n = campo_tui_utf8_decode(s + i, len - i, &c);
		size_t w = 1;

		i += n;
		if (campo_tui_combining(c)) {
			continue;
		}
		if (c < 0x80) {
			buf[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		} else if (c >= 0xc0 && c <= 0x17f && latin[c - 0xc0]) {
			buf[0] = latin[c - 0xc0];
		} else {
			w = campo_utf8_encode(buf, c);
		}
		if (o + w >= cap) {
			break;
		}
		memcpy(out + o, buf, w);
		o += w;
	}
	out[o] = '\0';
	return o;
}

bool campo_tui_fold_contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

static bool digits(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return n > 0;
}

bool campo_tui_date_to_iso(const char *s, char out[11])
{
	unsigned d, m, y;
	size_t a = strcspn(s, "/-.");
	size_t b;

	if (!s[a] || !digits(s, a, &d) || a > 2) {
		return false;
	}
	b = strcspn(s + a + 1, "/-.");
	if (!s[a + 1 + b] || !digits(s + a + 1, b, &m) || b > 2) {
		return false;
	}
	if (strlen(s + a + 2 + b) != 4 || !digits(s + a + 2 + b, 4, &y)) {
		return false;
	}
	if (d < 1 || d > 31 || m < 1 || m > 12) {
		return false;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return true;
}

bool campo_tui_date_from_iso(const char *s, char out[11])
{
	unsigned v;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, &v) || !digits(s + 5, 2, &v) ||
	    !digits(s + 8, 2, &v)) {
		return false;
	}
	memcpy(out, s + 8, 2);
	out[2] = '/';
	memcpy(out + 3, s + 5, 2);
	out[5] = '/';
	memcpy(out + 6, s, 4);
	out[10] = '\0';
	return true;
}

bool campo_tui_datetime_to_iso(const char *s, char *out, size_t cap)
{
	char date[16];
	size_t n = strcspn(s, " ");
	const char *time = s + n;

	if (n >= sizeof(date) || !*time) {
		return false;
	}
	memcpy(date, s, n);
	date[n] = '\0';
	while (*time == ' ') {
		time++;
	}
	if (!*time || strlen(time) + 12 > cap ||
	    !campo_tui_date_to_iso(date, out)) {
		return false;
	}
	out[10] = 'T';
	memcpy(out + 11, time, strlen(time) + 1);
	return true;
}

bool campo_tui_datetime_from_iso(const char *s, char *out, size_t cap)
{
	char date[11];

	if (strlen(s) < 12 || s[10] != 'T' || strlen(s) + 1 > cap) {
		return false;
	}
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!campo_tui_date_from_iso(date, out)) {
		return false;
	}
	out[10] = ' ';
	memcpy(out + 11, s + 11, strlen(s + 11) + 1);
	return true;
}
