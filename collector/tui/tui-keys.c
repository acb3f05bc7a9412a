/* SPDX-License-Identifier: MIT */
/* Keys to actions: a descriptor table, each action returning what changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui-internal.h"
#include "util/alloc.h"

#define CTRL_KEY(c) ((c)&0x1f)

static void say(struct tui *t, const char *msg, bool error)
{
	snprintf(t->status, sizeof(t->status), "%s", msg);
	t->status_error = error;
	t->status_session = false;
	t->status_tx = -1;
	t->again = TUI_AGAIN_NONE;
}

/* A message of the TUI's own, said again in the new language after F2. */
static void say_tx(struct tui *t, int id, bool error)
{
	say(t, tui_text(t, id), error);
	t->status_tx = id;
}

/* Shows the session's message after a refused command. */
static unsigned refused(struct tui *t, enum campo_status status)
{
	const char *msg = campo_session_message(t->s);

	if (status == CAMPO_ERR_PARSE) {
		t->cmd = TUI_AGAIN_NONE;
		return TUI_REDRAW; /* the TUI's own message is already set */
	}
	if (!*msg) {
		say(t, campo_status_str(status), true);
		return TUI_REDRAW;
	}
	say(t, msg, true);
	t->status_session = true;
	t->again = t->cmd;
	t->cmd = TUI_AGAIN_NONE;
	if (t->again != TUI_AGAIN_NONE) {
		struct campo_session_question q;

		if (campo_session_question(t->s, &q) != CAMPO_OK) {
			t->again = TUI_AGAIN_NONE;
			return TUI_REDRAW;
		}
		snprintf(t->again_key, sizeof(t->again_key), "%s", q.key);
		memcpy(t->again_edit, t->edit.text, t->edit.len + 1);
	}
	return TUI_REDRAW;
}

/* ----- home ----- */

/* Copies at most TUI_NOTE_MAX bytes of note, cut at a character boundary,
 * with line breaks and tabs as spaces: it is drawn on a few lines. */
static void note_copy(char out[TUI_NOTE_MAX + 1], const char *note)
{
	size_t len = strlen(note);

	if (len > TUI_NOTE_MAX) {
		len = TUI_NOTE_MAX;
		while (len > 0 && ((unsigned char)note[len] & 0xc0) == 0x80) {
			len--;
		}
	}
	for (size_t i = 0; i < len; i++) {
		out[i] = (unsigned char)note[i] < ' ' ? ' ' : note[i];
	}
	out[len] = '\0';
}

static enum campo_status home_row(void *ctx,
				  const struct campo_store_summary *row)
{
	struct tui *t = ctx;
	struct tui_home_row *r;

	if (campo_grow((void **)&t->rows, &t->cap_rows, t->n_rows + 1,
		       sizeof(*t->rows))) {
		return CAMPO_ERR_NOMEM;
	}
	r = &t->rows[t->n_rows++];
	snprintf(r->id, sizeof(r->id), "%s", row->instance_id);
	snprintf(r->deprecated_id, sizeof(r->deprecated_id), "%s",
		 row->deprecated_id);
	r->returned = row->status == CAMPO_STORE_RETURNED;
	note_copy(r->note, row->return_note);
	snprintf(r->name, sizeof(r->name), "%s",
		 *row->instance_name ? row->instance_name : row->started_at);
	snprintf(r->updated, sizeof(r->updated), "%s", row->updated_at);
	r->status = row->status;
	return CAMPO_OK;
}

/* Returned interviews waiting for a correction first, then drafts, then
 * the rest; the most recent change first in each. */
static int row_rank(const struct tui_home_row *r)
{
	return r->returned ? 0 : r->status == CAMPO_STORE_DRAFT ? 1 : 2;
}

static int row_cmp(const void *a, const void *b)
{
	const struct tui_home_row *x = a;
	const struct tui_home_row *y = b;

	if (row_rank(x) != row_rank(y)) {
		return row_rank(x) - row_rank(y);
	}
	return strcmp(y->updated, x->updated);
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A returned interview that has a revision in the list was corrected (or
 * is being corrected in that draft): it no longer waits. */
static void mark_corrected(struct tui *t)
{
	const char **revised;
	size_t n = 0;

	t->n_returned = 0;
	revised = campo_calloc(t->n_rows + 1, sizeof(*revised));
	if (!revised) {
		return; /* then every returned row stays marked */
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		if (*t->rows[i].deprecated_id) {
			revised[n++] = t->rows[i].deprecated_id;
		}
	}
	qsort(revised, n, sizeof(*revised), id_cmp);
	for (size_t i = 0; i < t->n_rows; i++) {
		const char *id = t->rows[i].id;

		if (t->rows[i].returned && n &&
		    bsearch(&id, revised, n, sizeof(*revised), id_cmp)) {
			t->rows[i].returned = false;
		}
		t->n_returned += t->rows[i].returned;
	}
	free(revised);
}

static enum campo_status count_day(void *ctx, const char *key,
				   const uint64_t n[CAMPO_STORE_NSTATUS])
{
	struct tui *t = ctx;
	char today[16];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (!strcmp(key, today)) {
		for (int i = 0; i < CAMPO_STORE_NSTATUS; i++) {
			if (i != CAMPO_STORE_DISCARDED) {
				t->n_today += n[i];
			}
		}
	}
	return CAMPO_OK;
}

static enum campo_status count_all(void *ctx, const char *key,
				   const uint64_t n[CAMPO_STORE_NSTATUS])
{
	struct tui *t = ctx;

	(void)key;
	t->n_drafts = n[CAMPO_STORE_DRAFT];
	t->n_waiting = n[CAMPO_STORE_FINALIZED];
	return CAMPO_OK;
}

unsigned tui_home_load(struct tui *t)
{
	struct campo_diag diag;
	unsigned mask = ~(1u << CAMPO_STORE_DISCARDED) &
			((1u << CAMPO_STORE_NSTATUS) - 1);

	char *last = NULL;

	campo_diag_init(&diag);
	t->n_rows = 0;
	t->n_today = t->n_drafts = t->n_waiting = 0;
	t->last_sync[0] = '\0';
	if (campo_store_setting_get(t->store, CAMPO_STORE_SETTING_LAST_SYNC,
				    &last, &diag) == CAMPO_OK) {
		snprintf(t->last_sync, sizeof(t->last_sync), "%s", last);
	}
	free(last);
	if (campo_store_interview_list(t->store, mask, t->form->id, home_row, t,
				       &diag) != CAMPO_OK ||
	    campo_store_count(t->store, CAMPO_STORE_BY_DAY, count_day, t,
			      &diag) != CAMPO_OK ||
	    campo_store_count(t->store, CAMPO_STORE_BY_ALL, count_all, t,
			      &diag) != CAMPO_OK) {
		say(t, diag.msg, true);
	}
	mark_corrected(t);
	if (t->n_rows > 0) {
		qsort(t->rows, t->n_rows, sizeof(*t->rows), row_cmp);
	}
	/* Row 0 is "new interview"; after a crash the latest draft is the
	 * one to resume, so it is preselected; else the interview the
	 * supervisor returned, so its note shows at once. */
	t->sel = 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		if (t->rows[i].status == CAMPO_STORE_DRAFT) {
			t->sel = i + 1;
			break;
		}
	}
	if (!t->sel && t->n_returned) {
		t->sel = 1;
	}
	t->top = 0;
	t->screen = TUI_HOME;
	t->dialog = TUI_DLG_NONE;
	return TUI_REDRAW;
}

/* ----- the widget of the current position ----- */

void tui_filter(struct tui *t, const struct campo_session_question *q)
{
	char needle[256];
	char hay[1024];
	const struct campo_choice_list *list = NULL;
	size_t search_col = SIZE_MAX;

	campo_tui_fold(t->edit.text, t->edit.len, needle, sizeof(needle));
	if (q->field && q->field->list >= 0) {
		list = &t->form->lists[q->field->list];
		for (size_t c = 0; c < list->n_columns; c++) {
			if (!strcmp(list->columns[c], "search")) {
				search_col = c;
			}
		}
	}
	t->n_match = 0;
	if (campo_grow((void **)&t->match, &t->cap_match, q->n_choices + 1,
		       sizeof(*t->match))) {
		return;
	}
	for (size_t i = 0; i < q->n_choices; i++) {
		bool ok = !*needle;

		if (!ok) {
			campo_tui_fold(q->choices[i].label,
				       strlen(q->choices[i].label), hay,
				       sizeof(hay));
			ok = campo_tui_fold_contains(hay, needle);
		}
		if (!ok && list && search_col != SIZE_MAX) {
			const char *code = q->choices[i].code;
			int32_t c = campo_form_choice_find(list, code,
							   strlen(code));
			if (c >= 0) {
				const char *v =
					list->choices[c].values[search_col];
				campo_tui_fold(v, strlen(v), hay, sizeof(hay));
				ok = campo_tui_fold_contains(hay, needle);
			}
		}
		if (ok) {
			t->match[t->n_match++] = i;
		}
	}
	if (t->sel >= t->n_match) {
		t->sel = t->n_match ? t->n_match - 1 : 0;
	}
}

static bool is_select(const struct campo_session_question *q)
{
	return q->kind == CAMPO_SESSION_QUESTION && q->field &&
	       (q->field->type == CAMPO_TYPE_SELECT_ONE ||
		q->field->type == CAMPO_TYPE_SELECT_MULTIPLE);
}

static bool is_typed(const struct campo_session_question *q)
{
	return q->kind == CAMPO_SESSION_QUESTION && q->field &&
	       q->type->has_value && !q->type->needs_list &&
	       q->field->type != CAMPO_TYPE_ACKNOWLEDGE;
}

static bool frozen(const struct tui *t, const struct campo_session_question *q)
{
	return campo_session_status(t->s) != CAMPO_STORE_DRAFT || q->read_only;
}

/* Loads the widget from the position the session is at. */
unsigned tui_reload(struct tui *t)
{
	struct campo_session_question q;

	t->sel = 0;
	t->top = 0;
	t->leave_armed = false;
	t->picked = false;
	campo_tui_edit_set(&t->edit, "", 0);
	if (campo_session_question(t->s, &q) != CAMPO_OK) {
		return TUI_REDRAW;
	}
	if (is_typed(&q)) {
		char dmy[11];

		char dt[CAMPO_TUI_EDIT_MAX + 1];

		if (q.field->type == CAMPO_TYPE_DATE &&
		    campo_tui_date_from_iso(q.value, dmy)) {
			campo_tui_edit_set(&t->edit, dmy, strlen(dmy));
		} else if (q.field->type == CAMPO_TYPE_DATETIME &&
			   campo_tui_datetime_from_iso(q.value, dt,
						       sizeof(dt))) {
			campo_tui_edit_set(&t->edit, dt, strlen(dt));
		} else {
			campo_tui_edit_set(&t->edit, q.value, strlen(q.value));
		}
	} else if (is_select(&q)) {
		tui_filter(t, &q);
		for (size_t i = 0; i < t->n_match; i++) {
			if (q.choices[t->match[i]].selected) {
				t->sel = i;
				t->picked = true;
				break;
			}
		}
	}
	return TUI_REDRAW;
}

/* After an accepted command: a confirmation may be pending. */
static unsigned after(struct tui *t, unsigned changed)
{
	say(t, "", false);
	t->cmd = TUI_AGAIN_NONE;
	if (changed & CAMPO_SESSION_CONFIRM) {
		t->dialog = TUI_DLG_PENDING;
	}
	if (changed & CAMPO_SESSION_POSITION) {
		return tui_reload(t);
	}
	if (changed & (CAMPO_SESSION_VALUE | CAMPO_SESSION_RELEVANCE)) {
		/* choices may have been filtered anew */
		struct campo_session_question q;

		if (campo_session_question(t->s, &q) == CAMPO_OK &&
		    is_select(&q)) {
			tui_filter(t, &q);
		}
	}
	return TUI_REDRAW;
}

/* Saves the widget's answer when it differs from the stored one. */
static enum campo_status commit(struct tui *t, unsigned *changed)
{
	struct campo_session_question q;
	enum campo_status status = campo_session_question(t->s, &q);
	const char *text = t->edit.text;
	char iso[CAMPO_TUI_EDIT_MAX + 1];

	*changed = 0;
	if (status != CAMPO_OK || q.kind != CAMPO_SESSION_QUESTION ||
	    frozen(t, &q) || !q.type->has_value) {
		return status;
	}
	switch (q.field->type) {
	case CAMPO_TYPE_SELECT_MULTIPLE:
		return CAMPO_OK; /* Space saved each toggle */
	case CAMPO_TYPE_SELECT_ONE:
		if (t->n_match == 0) {
			/* nothing matches the filter: keep what is stored */
			return *t->edit.text ? CAMPO_ERR_INVALID : CAMPO_OK;
		}
		if (!t->picked) {
			/* Enter on an untouched list: no answer (the session
			 * refuses to go on when one is required) */
			return CAMPO_OK;
		}
		text = q.choices[t->match[t->sel]].code;
		break;
	case CAMPO_TYPE_ACKNOWLEDGE:
		text = "OK";
		break;
	case CAMPO_TYPE_DATE:
		if (campo_tui_date_to_iso(text, iso)) {
			text = iso;
		} else if (*text && strcmp(text, q.value)) {
			/* the session would ask for ISO; people type D/M/Y */
			say_tx(t, TX_DATE, true);
			return CAMPO_ERR_PARSE;
		}
		break;
	case CAMPO_TYPE_DATETIME:
		if (campo_tui_datetime_to_iso(text, iso, sizeof(iso))) {
			text = iso;
		} else if (*text && strcmp(text, q.value)) {
			say_tx(t, TX_DATETIME, true);
			return CAMPO_ERR_PARSE;
		}
		break;
	default:
		break;
	}
	if (!strcmp(text, q.value)) {
		return CAMPO_OK;
	}
	t->cmd = TUI_AGAIN_ANSWER;
	return campo_session_answer(t->s, text, strlen(text), changed);
}

/* ----- actions ----- */

static unsigned open_session(struct tui *t, const struct tui_home_row *row)
{
	struct campo_session_options o;
	struct campo_diag diag;
	enum campo_status status;
	unsigned changed = 0;

	campo_session_options_init(&o);
	o.language = t->lang;
	campo_diag_init(&diag);
	if (row) {
		status = campo_session_resume(t->store, t->form, row->id, &o,
					      &t->s, &diag);
	} else {
		status = campo_session_start(t->store, t->form, &o, &t->s,
					     &diag);
	}
	if (status != CAMPO_OK) {
		say(t, diag.msg, true);
		return TUI_REDRAW;
	}
	t->screen = TUI_QUESTION;
	t->status[0] = '\0';
	if (row && row->status != CAMPO_STORE_DRAFT) {
		/* read only: show it as its review */
		campo_session_jump(t->s, "", &changed);
	}
	return tui_reload(t);
}

static unsigned leave(struct tui *t)
{
	t->lang = campo_session_language(t->s);
	campo_session_free(t->s);
	t->s = NULL;
	return tui_home_load(t);
}

static unsigned act_save_home(struct tui *t)
{
	unsigned changed;
	enum campo_status status;

	if (!t->s) {
		return t->screen == TUI_HOME ? TUI_QUIT : TUI_REDRAW;
	}
	status = commit(t, &changed);
	if (status != CAMPO_OK && !t->leave_armed) {
		t->leave_armed = true;
		refused(t, status);
		snprintf(t->status + strlen(t->status),
			 sizeof(t->status) - strlen(t->status), " (F10: %s)",
			 tui_text(t, TX_NO_MORE));
		return TUI_REDRAW;
	}
	return leave(t);
}

static unsigned act_next(struct tui *t)
{
	struct campo_session_question q;
	unsigned changed = 0;
	enum campo_status status;

	if (campo_session_question(t->s, &q) != CAMPO_OK) {
		return TUI_REDRAW;
	}
	if (q.kind == CAMPO_SESSION_PROMPT) {
		status = t->sel == 0 ? campo_session_repeat_add(t->s, &changed)
				     : campo_session_next(t->s, &changed);
		return status == CAMPO_OK ? after(t, changed)
					  : refused(t, status);
	}
	if (q.kind == CAMPO_SESSION_END) {
		const struct campo_session_item *items;
		size_t n;

		if (campo_session_review(t->s, &items, &n) != CAMPO_OK ||
		    t->sel >= n) {
			return TUI_REDRAW;
		}
		status = campo_session_jump(t->s, items[t->sel].key, &changed);
		return status == CAMPO_OK ? after(t, changed)
					  : refused(t, status);
	}
	status = commit(t, &changed);
	if (status != CAMPO_OK) {
		return refused(t, status);
	}
	if (changed & CAMPO_SESSION_CONFIRM) {
		return after(t, changed);
	}
	t->cmd = TUI_AGAIN_NEXT;
	status = campo_session_next(t->s, &changed);
	return status == CAMPO_OK ? after(t, changed) : refused(t, status);
}

static unsigned act_prev(struct tui *t)
{
	unsigned changed = 0;
	enum campo_status status = commit(t, &changed);

	if (status != CAMPO_OK) {
		return refused(t, status);
	}
	status = campo_session_prev(t->s, &changed);
	return status == CAMPO_OK ? after(t, changed) : refused(t, status);
}

/*
 * Repeats the command whose refusal was on screen before F2 (again) so that
 * the session says it in the new language; only at the same question with
 * the editor unchanged, where it is refused again and changes nothing.
 */
static void say_again(struct tui *t, int again, const char *key,
		      const char *edit)
{
	struct campo_session_question q;
	unsigned changed = 0;
	enum campo_status status;

	if (campo_session_question(t->s, &q) != CAMPO_OK ||
	    strcmp(q.key, key) || strcmp(t->edit.text, edit)) {
		return;
	}
	if (again == TUI_AGAIN_ANSWER) {
		status = commit(t, &changed);
	} else if (again == TUI_AGAIN_NEXT && !*q.value) {
		t->cmd = TUI_AGAIN_NEXT;
		status = campo_session_next(t->s, &changed);
	} else {
		return;
	}
	if (status == CAMPO_OK) {
		after(t, changed);
	} else {
		refused(t, status);
	}
}

static unsigned act_language(struct tui *t)
{
	size_t n = t->form->n_languages;
	unsigned changed = 0;
	bool again_session = t->status_session;
	int again_tx = t->status_tx;
	int again = t->again;
	bool error = t->status_error;
	char *key = NULL;
	char *edit = NULL;
	unsigned r;

	if (n < 2) {
		return 0;
	}

	if (!t->s) {
		t->lang = (t->lang + 1) % n;
		if (again_tx >= 0) {
			say_tx(t, again_tx, error);
		}
		return TUI_REDRAW;
	}
	if (campo_session_language_set(t->s,
				       (campo_session_language(t->s) + 1) % n,
				       &changed) != CAMPO_OK) {
		return refused(t, CAMPO_ERR_INVALID);
	}
	t->lang = campo_session_language(t->s);
	if (again_session && again != TUI_AGAIN_NONE) {
		key = strdup(t->again_key);
		edit = strdup(t->again_edit);
	}
	r = after(t, changed) | TUI_REDRAW;
	/* the message on screen, said again in the new language */
	if (key && edit) {
		say_again(t, again, key, edit);
	} else if (again_tx >= 0) {
		say_tx(t, again_tx, error);
	}
	free(key);
	free(edit);
	return r;
}

static unsigned act_index(struct tui *t)
{
	t->screen = TUI_INDEX;
	t->sel = 0;
	t->top = 0;
	return TUI_REDRAW;
}

static unsigned act_review(struct tui *t)
{
	unsigned changed = 0;
	enum campo_status status = commit(t, &changed);

	if (status != CAMPO_OK) {
		return refused(t, status);
	}
	status = campo_session_jump(t->s, "", &changed);
	return status == CAMPO_OK ? after(t, changed) : refused(t, status);
}

static unsigned act_help(struct tui *t)
{
	if (t->screen != TUI_HELP) {
		t->under_help = t->screen;
		t->screen = TUI_HELP;
	}
	return TUI_REDRAW;
}

static unsigned act_remove(struct tui *t)
{
	struct campo_session_question q;

	if (campo_session_question(t->s, &q) != CAMPO_OK || q.repeat_pos == 0 ||
	    q.kind == CAMPO_SESSION_PROMPT || frozen(t, &q)) {
		return 0;
	}
	t->dialog = TUI_DLG_REMOVE;
	return TUI_REDRAW;
}

/* The next missing or invalid question after the highlighted row. */
static unsigned act_problem(struct tui *t)
{
	const struct campo_session_item *items;
	size_t n;
	unsigned changed = 0;
	enum campo_status status;

	if (campo_session_review(t->s, &items, &n) != CAMPO_OK) {
		return TUI_REDRAW;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = (t->sel + 1 + k) % n;

		if (items[i].missing || items[i].invalid) {
			status = campo_session_jump(t->s, items[i].key,
						    &changed);
			return status == CAMPO_OK ? after(t, changed)
						  : refused(t, status);
		}
	}
	return 0;
}

/* Home: discard the highlighted draft, once confirmed. */
static unsigned act_discard(struct tui *t)
{
	if (t->sel == 0 || t->sel > t->n_rows ||
	    t->rows[t->sel - 1].status != CAMPO_STORE_DRAFT) {
		return 0;
	}
	t->dialog = TUI_DLG_DISCARD;
	return TUI_REDRAW;
}

/* A finalized interview: edit it as a new revision, once confirmed. */
static unsigned act_revise(struct tui *t)
{
	if (!t->s || campo_session_status(t->s) == CAMPO_STORE_DRAFT ||
	    campo_session_status(t->s) == CAMPO_STORE_DISCARDED) {
		return 0;
	}
	t->dialog = TUI_DLG_REVISE;
	return TUI_REDRAW;
}

static unsigned act_finalize(struct tui *t)
{
	if (campo_session_status(t->s) != CAMPO_STORE_DRAFT) {
		return 0;
	}
	t->dialog = TUI_DLG_FINALIZE;
	return TUI_REDRAW;
}

/* Scopes of a binding. */
enum {
	IN_HOME = 1u << 0,
	IN_FORM = 1u << 1,   /* in an interview, question or review */
	IN_REVIEW = 1u << 2, /* the review only */
	IN_ANY = 1u << 3,
	IN_FROZEN = 1u << 4, /* a finalized interview, question or review */
};

struct binding {
	int key;
	bool fn;
	unsigned scope;
	const char *keys; /* for the help screen; NULL: not listed */
	int what;	  /* its line on the help screen, a tui_text id */
	unsigned (*run)(struct tui *t);
};

static const struct binding bindings[] = {
	{ KEY_F(1), true, IN_ANY, "F1", TX_H_HELP, act_help },
	{ KEY_ENTER, true, IN_FORM, "Enter, Tab", TX_H_NEXT, act_next },
	{ '\r', false, IN_FORM, NULL, 0, act_next },
	{ '\n', false, IN_FORM, NULL, 0, act_next },
	{ '\t', false, IN_FORM, NULL, 0, act_next },
	{ KEY_BTAB, true, IN_FORM, "Shift-Tab, PgUp", TX_H_BACK, act_prev },
	{ KEY_PPAGE, true, IN_FORM, NULL, 0, act_prev },
	{ KEY_F(2), true, IN_FORM | IN_HOME, "F2", TX_H_LANG, act_language },
	{ KEY_F(3), true, IN_FORM, "F3", TX_H_INDEX, act_index },
	{ KEY_F(5), true, IN_FORM, "F5", TX_H_REVIEW, act_review },
	{ KEY_F(6), true, IN_REVIEW, "F6, n", TX_H_PROBLEM, act_problem },
	{ 'n', false, IN_REVIEW, NULL, 0, act_problem },
	{ KEY_F(8), true, IN_FORM, "F8", TX_H_REMOVE, act_remove },
	{ KEY_F(9), true, IN_REVIEW, "F9, f", TX_H_FINALIZE, act_finalize },
	{ 'f', false, IN_REVIEW, NULL, 0, act_finalize },
	{ 'e', false, IN_FROZEN, "e", TX_H_REVISE, act_revise },
	{ 'E', false, IN_FROZEN, NULL, 0, act_revise },
	{ KEY_F(10), true, IN_FORM | IN_HOME, "F10, Ctrl-S", TX_H_SAVE,
	  act_save_home },
	{ CTRL_KEY('s'), false, IN_FORM | IN_HOME, NULL, 0, act_save_home },
	{ CTRL_KEY('c'), false, IN_FORM | IN_HOME, NULL, 0, act_save_home },
	{ 'd', false, IN_HOME, "d, Delete", TX_H_DISCARD, act_discard },
	{ 'D', false, IN_HOME, NULL, 0, act_discard },
	{ KEY_DC, true, IN_HOME, NULL, 0, act_discard },
};

#define N_BINDINGS (sizeof(bindings) / sizeof(bindings[0]))

void tui_help_lines(const struct tui *t,
		    void (*fn)(void *ctx, const char *keys, const char *what),
		    void *ctx)
{
	for (size_t i = 0; i < N_BINDINGS; i++) {
		if (bindings[i].keys) {
			fn(ctx, bindings[i].keys,
			   tui_text(t, bindings[i].what));
		}
	}
	fn(ctx, "1-9, ↑ ↓", tui_text(t, TX_H_PICK));
	fn(ctx, "Space", tui_text(t, TX_H_TICK));
	fn(ctx, "y/s/w/o, n", tui_text(t, TX_H_YESNO));
}

/* ----- per-screen keys not in the table ----- */

static bool is_yes(int c)
{
	return c == 'y' || c == 'Y' || c == 's' || c == 'S' || c == 'o' ||
	       c == 'O' || c == 'w' || c == 'W';
}

/* Discards the highlighted draft of the home screen. */
static unsigned discard(struct tui *t)
{
	const struct tui_home_row *row = &t->rows[t->sel - 1];
	struct campo_session_options o;
	struct campo_session *s = NULL;
	struct campo_diag diag;
	enum campo_status status;

	campo_session_options_init(&o);
	o.language = t->lang;
	campo_diag_init(&diag);
	status =
		campo_session_resume(t->store, t->form, row->id, &o, &s, &diag);
	if (status != CAMPO_OK) {
		say(t, diag.msg, true);
		return TUI_REDRAW;
	}
	status = campo_session_discard(s, NULL);
	if (status != CAMPO_OK) {
		say(t,
		    *campo_session_message(s) ? campo_session_message(s)
					      : campo_status_str(status),
		    true);
		campo_session_free(s);
		return TUI_REDRAW;
	}
	campo_session_free(s);
	tui_home_load(t);
	say_tx(t, TX_DISCARDED, false);
	return TUI_REDRAW;
}

/* Makes a new revision of the finalized interview open and opens it. */
static unsigned revise(struct tui *t)
{
	char old[CAMPO_STORE_ID_LEN + 1];
	struct campo_session_options o;
	struct campo_session *s = NULL;
	struct campo_diag diag;

	snprintf(old, sizeof(old), "%s", campo_session_instance_id(t->s));
	campo_session_options_init(&o);
	o.language = campo_session_language(t->s);
	campo_diag_init(&diag);
	if (campo_session_revise(t->store, t->form, old, &o, &s, &diag) !=
	    CAMPO_OK) {
		say(t, diag.msg, true);
		return TUI_REDRAW;
	}
	campo_session_free(t->s);
	t->s = s;
	t->screen = TUI_QUESTION;
	say(t, "", false);
	return tui_reload(t);
}

/* Opens a new revision of the highlighted returned interview, with the
 * supervisor's note on the status line. */
static unsigned correct(struct tui *t)
{
	const struct tui_home_row *row = &t->rows[t->sel - 1];
	char note[TUI_NOTE_MAX + 1], msg[sizeof(t->status)];
	struct campo_session_options o;
	struct campo_session *s = NULL;
	struct campo_diag diag;

	campo_session_options_init(&o);
	o.language = t->lang;
	campo_diag_init(&diag);
	if (campo_session_revise(t->store, t->form, row->id, &o, &s, &diag) !=
	    CAMPO_OK) {
		say(t, diag.msg, true);
		return TUI_REDRAW;
	}
	memcpy(note, row->note, sizeof(note));
	t->s = s;
	t->screen = TUI_QUESTION;
	tui_reload(t);
	snprintf(msg, sizeof(msg), "↩ %s: %s", tui_text(t, TX_NOTE), note);
	say(t, msg, false);
	return TUI_REDRAW;
}

static unsigned dialog_key(struct tui *t, struct tui_key k)
{
	bool yes = !k.fn && is_yes(k.code);
	bool no = !k.fn && (k.code == 'n' || k.code == 'N' || k.code == 27);
	enum tui_dialog d = t->dialog;
	unsigned changed = 0;
	enum campo_status status = CAMPO_OK;

	if (!yes && !no) {
		return 0;
	}
	t->dialog = TUI_DLG_NONE;
	switch (d) {
	case TUI_DLG_PENDING:
		status = campo_session_confirm(t->s, yes, &changed);
		break;
	case TUI_DLG_REMOVE:
		if (yes) {
			status = campo_session_repeat_remove(t->s, &changed);
		}
		break;
	case TUI_DLG_FINALIZE:
		if (yes) {
			status = campo_session_finalize(t->s, &changed);
			if (status == CAMPO_OK) {
				leave(t);
				say_tx(t, TX_FINALIZED, false);
				return TUI_REDRAW;
			}
		}
		break;
	case TUI_DLG_DISCARD:
		return yes ? discard(t) : TUI_REDRAW;
	case TUI_DLG_REVISE:
		return yes ? revise(t) : TUI_REDRAW;
	case TUI_DLG_CORRECT:
		return yes ? correct(t) : TUI_REDRAW;
	case TUI_DLG_NONE:
		break;
	}
	return status == CAMPO_OK ? after(t, changed) | TUI_REDRAW
				  : refused(t, status);
}

static unsigned edit_key(struct campo_tui_edit *e, struct tui_key k)
{
	bool changed = false;

	if (k.fn) {
		switch (k.code) {
		case KEY_LEFT:
			changed = campo_tui_edit_left(e);
			break;
		case KEY_RIGHT:
			changed = campo_tui_edit_right(e);
			break;
		case KEY_HOME:
			changed = campo_tui_edit_home(e);
			break;
		case KEY_END:
			changed = campo_tui_edit_end(e);
			break;
		case KEY_BACKSPACE:
			changed = campo_tui_edit_backspace(e);
			break;
		case KEY_DC:
			changed = campo_tui_edit_delete(e);
			break;
		default:
			break;
		}
	} else if (k.code == 127 || k.code == 8) {
		changed = campo_tui_edit_backspace(e);
	} else if (k.code == CTRL_KEY('a')) {
		changed = campo_tui_edit_home(e);
	} else if (k.code == CTRL_KEY('e')) {
		changed = campo_tui_edit_end(e);
	} else if (k.code == CTRL_KEY('u')) {
		campo_tui_edit_set(e, "", 0);
		changed = true;
	} else if (k.code >= 0x20) {
		changed = campo_tui_edit_insert(e, (uint32_t)k.code);
	}
	return changed ? TUI_REDRAW : 0;
}

static unsigned toggle(struct tui *t, const struct campo_session_question *q,
		       size_t choice)
{
	char value[CAMPO_TUI_EDIT_MAX + 1];
	size_t len = 0;
	unsigned changed = 0;
	enum campo_status status;

	value[0] = '\0';
	for (size_t i = 0; i < q->n_choices; i++) {
		bool on = q->choices[i].selected != (i == choice);
		size_t n = strlen(q->choices[i].code);

		if (!on || len + n + 2 > sizeof(value)) {
			continue;
		}
		if (len) {
			value[len++] = ' ';
		}
		memcpy(value + len, q->choices[i].code, n + 1);
		len += n;
	}
	status = campo_session_answer(t->s, value, len, &changed);
	return status == CAMPO_OK ? after(t, changed) : refused(t, status);
}

static unsigned select_key(struct tui *t,
			   const struct campo_session_question *q,
			   struct tui_key k)
{
	bool multi = q->field->type == CAMPO_TYPE_SELECT_MULTIPLE;
	unsigned r;

	if (k.fn && k.code == KEY_UP) {
		t->sel = t->sel ? t->sel - 1 : 0;
		t->picked = true;
		return TUI_REDRAW;
	}
	if (k.fn && k.code == KEY_DOWN) {
		/* the first Down picks the first choice */
		if (t->picked && t->sel + 1 < t->n_match) {
			t->sel++;
		}
		t->picked = true;
		return TUI_REDRAW;
	}
	if (k.fn && k.code == KEY_NPAGE) {
		t->picked = true;
		t->sel = t->sel + 10 < t->n_match ? t->sel + 10
			 : t->n_match		  ? t->n_match - 1
						  : 0;
		return TUI_REDRAW;
	}
	if (frozen(t, q)) {
		return 0;
	}
	if (!k.fn && k.code >= '1' && k.code <= '9' && t->edit.len == 0) {
		size_t i = t->top + (size_t)(k.code - '1');
		unsigned changed = 0;
		enum campo_status status;
		const char *code;

		if (i >= t->n_match) {
			return 0;
		}
		t->sel = i;
		if (multi) {
			return toggle(t, q, t->match[i]);
		}
		code = q->choices[t->match[i]].code;
		status = campo_session_answer(t->s, code, strlen(code),
					      &changed);
		return status == CAMPO_OK ? after(t, changed)
					  : refused(t, status);
	}
	if (multi && !k.fn && k.code == ' ' && t->n_match) {
		return toggle(t, q, t->match[t->sel]);
	}
	r = edit_key(&t->edit, k);
	if (r) {
		t->sel = 0;
		t->top = 0;
		tui_filter(t, q);
		/* typing a filter chooses its first match */
		t->picked = t->edit.len > 0;
	}
	return r;
}

static unsigned question_key(struct tui *t, struct tui_key k)
{
	struct campo_session_question q;

	if (campo_session_question(t->s, &q) != CAMPO_OK) {
		return 0;
	}
	if (q.kind == CAMPO_SESSION_PROMPT) {
		if (k.fn && (k.code == KEY_UP || k.code == KEY_DOWN)) {
			t->sel = !t->sel;
			return TUI_REDRAW;
		}
		if (!k.fn && (is_yes(k.code) || k.code == 'a' ||
			      k.code == 'A' || k.code == '+')) {
			t->sel = 0;
			return act_next(t);
		}
		if (!k.fn && (k.code == 'n' || k.code == 'N')) {
			t->sel = 1;
			return act_next(t);
		}
		return 0;
	}
	if (q.kind == CAMPO_SESSION_END) {
		const struct campo_session_item *items;
		size_t n;

		if (campo_session_review(t->s, &items, &n) != CAMPO_OK) {
			return 0;
		}
		if (k.fn && k.code == KEY_UP && t->sel > 0) {
			t->sel--;
			return TUI_REDRAW;
		}
		if (k.fn && k.code == KEY_DOWN && t->sel + 1 < n) {
			t->sel++;
			return TUI_REDRAW;
		}
		return 0;
	}
	if (is_select(&q)) {
		return select_key(t, &q, k);
	}
	if (is_typed(&q) && !frozen(t, &q)) {
		t->leave_armed = false;
		return edit_key(&t->edit, k);
	}
	if (!k.fn && k.code == ' ' && q.field &&
	    q.field->type == CAMPO_TYPE_ACKNOWLEDGE && !frozen(t, &q)) {
		unsigned changed = 0;
		enum campo_status status = campo_session_answer(
			t->s, *q.value ? "" : "OK", *q.value ? 0 : 2, &changed);
		return status == CAMPO_OK ? after(t, changed)
					  : refused(t, status);
	}
	return 0;
}

static unsigned index_key(struct tui *t, struct tui_key k)
{
	const struct campo_session_item *items;
	size_t n;
	unsigned changed = 0;
	enum campo_status status;

	if (campo_session_review(t->s, &items, &n) != CAMPO_OK) {
		return 0;
	}
	if (!k.fn && k.code == 27) {
		t->screen = TUI_QUESTION;
		return tui_reload(t);
	}
	if (k.fn && k.code == KEY_UP) {
		while (t->sel > 0) {
			if (items[--t->sel].reached) {
				break;
			}
		}
		return TUI_REDRAW;
	}
	if (k.fn && k.code == KEY_DOWN) {
		for (size_t i = t->sel + 1; i < n; i++) {
			if (items[i].reached) {
				t->sel = i;
				break;
			}
		}
		return TUI_REDRAW;
	}
	if ((k.fn && k.code == KEY_ENTER) ||
	    (!k.fn && (k.code == '\r' || k.code == '\n')) ||
	    (!k.fn && k.code == '\t')) {
		if (t->sel >= n) {
			return 0;
		}
		t->screen = TUI_QUESTION;
		status = campo_session_jump(t->s, items[t->sel].key, &changed);
		if (status != CAMPO_OK) {
			tui_reload(t);
			return refused(t, status);
		}
		return tui_reload(t);
	}
	return 0;
}

static unsigned home_key(struct tui *t, struct tui_key k)
{
	size_t n = t->n_rows + 1;

	if (k.fn && k.code == KEY_UP) {
		t->sel = t->sel ? t->sel - 1 : 0;
		return TUI_REDRAW;
	}
	if (k.fn && k.code == KEY_DOWN) {
		t->sel = t->sel + 1 < n ? t->sel + 1 : t->sel;
		return TUI_REDRAW;
	}
	if ((k.fn && k.code == KEY_ENTER) ||
	    (!k.fn && (k.code == '\r' || k.code == '\n'))) {
		if (t->sel && t->rows[t->sel - 1].returned) {
			t->dialog = TUI_DLG_CORRECT;
			return TUI_REDRAW;
		}
		return open_session(t, t->sel ? &t->rows[t->sel - 1] : NULL);
	}
	if (!k.fn && (k.code == 'q' || k.code == 'Q')) {
		return TUI_QUIT;
	}
	return 0;
}

/* Copies the editor's text into a first-run answer of cap bytes, cut at a
 * character boundary when it is longer (the store would refuse it). */
static void setup_copy(char *dst, size_t cap, const struct campo_tui_edit *e)
{
	size_t len = e->len < cap - 1 ? e->len : cap - 1;

	while (len > 0 && len < e->len &&
	       ((unsigned char)e->text[len] & 0xc0) == 0x80) {
		len--;
	}
	memcpy(dst, e->text, len);
	dst[len] = '\0';
}

static unsigned setup_key(struct tui *t, struct tui_key k)
{
	bool enter =
		(k.fn && k.code == KEY_ENTER) ||
		(!k.fn && (k.code == '\r' || k.code == '\n' || k.code == '\t'));
	bool back = k.fn && (k.code == KEY_BTAB || k.code == KEY_UP);
	struct campo_diag diag;
	int f = t->setup_field;

	if (k.fn && k.code == KEY_F(2)) {
		return act_language(t);
	}
	if (!enter && !back) {
		return edit_key(&t->edit, k);
	}
	setup_copy(t->setup[f], sizeof(t->setup[f]), &t->edit);
	if (enter && !*t->setup[f] && f != 1) {
		return TUI_REDRAW; /* name and device are needed */
	}
	if (back) {
		f = f ? f - 1 : 0;
	} else if (f < 2) {
		f++;
	} else {
		campo_diag_init(&diag);
		if (campo_store_device_set(t->store, t->setup[2], t->setup[0],
					   t->setup[1], &diag) != CAMPO_OK) {
			say(t, diag.msg, true);
			return TUI_REDRAW;
		}
		return tui_home_load(t);
	}
	t->setup_field = f;
	campo_tui_edit_set(&t->edit, t->setup[f], strlen(t->setup[f]));
	return TUI_REDRAW;
}

unsigned tui_key_handle(struct tui *t, struct tui_key k)
{
	unsigned scope;

	if (t->screen == TUI_HELP) {
		t->screen = t->under_help;
		return TUI_REDRAW;
	}
	if (t->dialog != TUI_DLG_NONE) {
		return dialog_key(t, k);
	}
	if (t->screen == TUI_SETUP) {
		return setup_key(t, k);
	}
	scope = IN_ANY;
	if (t->screen == TUI_HOME) {
		scope |= IN_HOME;
	} else if (t->screen == TUI_QUESTION) {
		struct campo_session_question q;

		scope |= IN_FORM;
		if (campo_session_question(t->s, &q) == CAMPO_OK &&
		    q.kind == CAMPO_SESSION_END) {
			scope |= IN_REVIEW;
		}
		if (campo_session_status(t->s) != CAMPO_STORE_DRAFT) {
			scope |= IN_FROZEN;
		}
	}
	for (size_t i = 0; i < N_BINDINGS; i++) {
		const struct binding *b = &bindings[i];

		if (b->fn == k.fn && b->key == k.code && (b->scope & scope)) {
			return b->run(t);
		}
	}
	switch (t->screen) {
	case TUI_HOME:
		return home_key(t, k);
	case TUI_QUESTION:
		return question_key(t, k);
	case TUI_INDEX:
		return index_key(t, k);
	case TUI_SETUP:
	case TUI_HELP:
		break;
	}
	return 0;
}
