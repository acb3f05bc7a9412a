/* SPDX-License-Identifier: MIT */
/* What the TUI's files share: the screen state, keys and drawing. */
#ifndef CAMPO_TUI_INTERNAL_H
#define CAMPO_TUI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"
#include "store/store.h"
#include "tui-edit.h"

/* Only for the files of this folder: curses macros must not leak out. */
#include <curses.h>

enum tui_screen {
	TUI_SETUP,    /* first run: who and which device */
	TUI_HOME,     /* start, resume, look at finalized */
	TUI_QUESTION, /* the session's position (the review at its end) */
	TUI_INDEX,    /* F3: jump to a reached question */
	TUI_HELP,     /* F1 */
};

/* A dialog over the current screen, answered y/n. */
enum tui_dialog {
	TUI_DLG_NONE,
	TUI_DLG_PENDING,  /* the session's CONFIRM (lowered repeat count) */
	TUI_DLG_REMOVE,	  /* remove this roster member */
	TUI_DLG_FINALIZE, /* finalize from the review */
	TUI_DLG_DISCARD,  /* discard a draft from the home screen */
	TUI_DLG_REVISE,	  /* edit a finalized interview: a new revision */
	TUI_DLG_CORRECT,  /* home: correct a returned interview (revise) */
};

/* A refused command F2 can repeat to say its message in a new language. */
enum tui_again {
	TUI_AGAIN_NONE,
	TUI_AGAIN_ANSWER, /* the answer of the editor or the selection */
	TUI_AGAIN_NEXT,	  /* next on a required question left empty */
};

/* What an action changed; the main loop decides what to repaint. */
enum tui_change {
	TUI_REDRAW = 1u << 0, /* repaint the frame */
	TUI_RELOAD = 1u << 1, /* the position moved: reload the widget */
	TUI_QUIT = 1u << 2,
};

/* What of a supervisor's note the home screen keeps (three lines). */
#define TUI_NOTE_MAX 512

/* One row of the home screen. */
struct tui_home_row {
	char id[CAMPO_STORE_ID_LEN + 1];
	char deprecated_id[CAMPO_STORE_ID_LEN + 1]; /* "" for an original */
	char name[128];
	char updated[CAMPO_STORE_TIME_LEN + 1];
	enum campo_store_istatus status;
	/* returned and not corrected yet (no revision of it in the list):
	 * listed first, marked, its note shown, Enter offers to correct */
	bool returned;
	char note[TUI_NOTE_MAX + 1];
};

struct tui {
	struct campo_store *store;
	struct campo_form *form;
	struct campo_session *s; /* NULL outside an interview */
	enum tui_screen screen;
	enum tui_screen under_help; /* where F1 returns */
	enum tui_dialog dialog;
	bool color;
	bool first_frame_exit; /* CAMPO_TUI_FIRST_FRAME_EXIT: for benchmarks */
	size_t lang; /* chrome language outside a session; new ones use it */
	bool leave_armed; /* F10 pressed once on an answer it could not save */
	bool picked; /* select_one: the highlight is a choice made, not just
			where the list starts, so Enter may save it */
	char status[512]; /* a message for the status line; "" none */
	bool status_error;
	/* where the status came from, to say it again after F2: the
	 * session's message, a tui_text id, or neither (-1) */
	bool status_session;
	int status_tx;
	/* the session command being run, and the one whose refusal is on
	 * screen (enum tui_again), at question again_key with the editor
	 * holding again_edit: F2 repeats it to say it in the new language */
	int cmd;
	int again;
	char again_key[CAMPO_STORE_KEY_MAX + 1];
	char again_edit[CAMPO_TUI_EDIT_MAX + 1];

	/* the widget of the current question */
	struct campo_tui_edit edit; /* text, numbers, dates; select filter */
	size_t sel;		    /* highlighted choice or row */
	size_t top;		    /* first visible row */

	/* first run */
	int setup_field; /* 0 name, 1 code, 2 device */
	char setup[3][CAMPO_STORE_TEXT_MAX + 1];

	/* home */
	struct tui_home_row *rows;
	size_t n_rows, cap_rows;
	uint64_t n_today, n_drafts, n_waiting;
	size_t n_returned; /* rows waiting for a correction */
	char last_sync[CAMPO_STORE_TIME_LEN + 1]; /* ISO; "" never */

	/* filtered choices of a select: indices into q.choices */
	size_t *match;
	size_t n_match, cap_match;
};

/* A key as wget_wch reads it. */
struct tui_key {
	bool fn;  /* a KEY_* code */
	int code; /* KEY_* when fn, else the code point */
};

/* tui-keys.c */
unsigned tui_key_handle(struct tui *t, struct tui_key k);
unsigned tui_reload(struct tui *t);
unsigned tui_home_load(struct tui *t);
void tui_filter(struct tui *t, const struct campo_session_question *q);
void tui_help_lines(const struct tui *t,
		    void (*fn)(void *ctx, const char *keys, const char *what),
		    void *ctx);
const char *tui_text(const struct tui *t, int id);

/* Chrome texts in the form's language (tui_text ids). */
enum {
	TX_KEYS_Q,
	TX_KEYS_HOME,
	TX_KEYS_REVIEW,
	TX_KEYS_SETUP,
	TX_KEYS_FROZEN,
	TX_ST_DRAFT, /* interview statuses, in enum campo_store_istatus order */
	TX_ST_FINALIZED,
	TX_ST_SENT,
	TX_ST_RETURNED,
	TX_ST_DISCARDED,
	TX_NEW,
	TX_TODAY,
	TX_DRAFTS,
	TX_WAITING,
	TX_LAST_SYNC,
	TX_NEVER,
	TX_REVIEW,
	TX_ADD_ANOTHER,
	TX_ADD,
	TX_NO_MORE,
	TX_MISSING,
	TX_INVALID,
	TX_FINALIZE_Q,
	TX_REMOVE_Q,
	TX_DISCARD_Q,
	TX_REVISE_Q,
	TX_CORRECT_Q,
	TX_NOTE,
	TX_YESNO,
	TX_OF,
	TX_FINALIZED,
	TX_DISCARDED,
	TX_READONLY,
	TX_FILTER,
	TX_ACK,
	TX_INDEX,
	TX_HELP,
	TX_SETUP,
	TX_SETUP_NAME,
	TX_SETUP_CODE,
	TX_SETUP_DEVICE,
	TX_DATE,
	TX_DATETIME,
	TX_FMT_DATE,
	TX_FMT_TIME,
	TX_FMT_DATETIME,
	/* the help screen, one per line */
	TX_H_HELP,
	TX_H_NEXT,
	TX_H_BACK,
	TX_H_LANG,
	TX_H_INDEX,
	TX_H_REVIEW,
	TX_H_PROBLEM,
	TX_H_REMOVE,
	TX_H_FINALIZE,
	TX_H_REVISE,
	TX_H_SAVE,
	TX_H_DISCARD,
	TX_H_PICK,
	TX_H_TICK,
	TX_H_YESNO,
	TX_COUNT_
};

/* tui-draw.c */
void tui_draw(struct tui *t);
void tui_colors_init(struct tui *t);

#endif
