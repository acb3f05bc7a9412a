/* SPDX-License-Identifier: MIT */
/* A one-line UTF-8 editor and text folding for the TUI, with no curses. */
#ifndef CAMPO_TUI_EDIT_H
#define CAMPO_TUI_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAMPO_TUI_EDIT_MAX 4096 /* bytes of text, as session answers */

/*
 * The text is UTF-8 and always NUL-terminated; cur is a byte offset on a
 * character boundary. A "character" is one code point and the combining
 * marks after it (zero width), so "e" + U+0300 moves and deletes as one,
 * like a precomposed "è".
 */
struct campo_tui_edit {
	char text[CAMPO_TUI_EDIT_MAX + 1];
	size_t len;
	size_t cur;
};

/* Replaces the text with len bytes of s (cut at a character boundary
 * below the cap) and puts the cursor at the end. */
void campo_tui_edit_set(struct campo_tui_edit *e, const char *s, size_t len);

/* Inserts code point c at the cursor; false when it does not fit or c is
 * not a valid scalar value (or a control character). */
bool campo_tui_edit_insert(struct campo_tui_edit *e, uint32_t c);

/* Cursor moves and deletes; each returns whether anything changed. */
bool campo_tui_edit_left(struct campo_tui_edit *e);
bool campo_tui_edit_right(struct campo_tui_edit *e);
bool campo_tui_edit_home(struct campo_tui_edit *e);
bool campo_tui_edit_end(struct campo_tui_edit *e);
bool campo_tui_edit_backspace(struct campo_tui_edit *e);
bool campo_tui_edit_delete(struct campo_tui_edit *e);

/*
 * Decodes one code point of s (at most len bytes) into *c and returns its
 * length in bytes; an invalid byte decodes as U+FFFD of length 1. len > 0.
 */
size_t campo_tui_utf8_decode(const char *s, size_t len, uint32_t *c);

/* Whether c is a combining mark that joins the character before it. */
bool campo_tui_combining(uint32_t c);

/*
 * Folds len bytes of s for matching into out (cap bytes with the NUL):
 * lower case, accents stripped from Latin letters ("Perú" -> "peru",
 * "Kòd" -> "kod"), combining marks dropped. Returns the folded length.
 */
size_t campo_tui_fold(const char *s, size_t len, char *out, size_t cap);

/* Whether folded needle occurs in folded hay (both already folded). */
bool campo_tui_fold_contains(const char *hay, const char *needle);

/*
 * Date entry in the respondent's order: "DD/MM/YYYY" (also "-" or "."
 * separators, one-digit day and month) to ISO "YYYY-MM-DD" in out (11
 * bytes). Returns false, leaving out unspecified, for anything else.
 */
bool campo_tui_date_to_iso(const char *s, char out[11]);

/* ISO "YYYY-MM-DD" to "DD/MM/YYYY" (11 bytes); false when s is not one. */
bool campo_tui_date_from_iso(const char *s, char out[11]);

/*
 * Date-time entry: "DD/MM/YYYY HH:MM[...]" (the date as above, one or more
 * spaces, then the time as typed) to "YYYY-MM-DDTHH:MM[...]" in out (cap
 * bytes). The time is not checked here: the session does it. Returns false,
 * leaving out unspecified, when the date is not one or out is too small.
 */
bool campo_tui_datetime_to_iso(const char *s, char *out, size_t cap);

/* The other way: "YYYY-MM-DDT..." to "DD/MM/YYYY ..." (cap bytes); false
 * when s does not start with an ISO date and "T" or out is too small. */
bool campo_tui_datetime_from_iso(const char *s, char *out, size_t cap);

#endif
