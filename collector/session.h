/* SPDX-License-Identifier: MIT */
/* The headless interview controller: navigation, validation and saving. */
#ifndef CAMPO_COLLECTOR_SESSION_H
#define CAMPO_COLLECTOR_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "form/form.h"
#include "store/store.h"
#include "util/diag.h"
#include "util/status.h"

/*
 * A session runs one interview of one form over a device store. It holds
 * the interview's data tree, the current position and the current
 * language; every command saves through the store before it returns
 * CAMPO_OK, and reports in *changed (may be NULL) what a UI must redraw.
 *
 * Command results:
 *   CAMPO_OK           done and saved
 *   CAMPO_ERR_INVALID  refused (a bad answer, a required question left
 *                      empty, a frozen interview): nothing changed but the
 *                      message, see campo_session_message()
 *   CAMPO_ERR_UNKNOWN  the store could not confirm the save after retries:
 *                      "not known to be saved"; the message says so
 *   CAMPO_ERR_IO       the disk is full: nothing of this command was saved
 *   other              CAMPO_ERR_NOMEM, CAMPO_ERR_DB...
 * The session, its form and its store are used by one thread at a time.
 * The form and the store are borrowed: they must outlive the session.
 */
struct campo_session;

/* What a command changed: bits for *changed. */
enum campo_session_change {
	CAMPO_SESSION_POSITION = 1u << 0,  /* the current position moved */
	CAMPO_SESSION_VALUE = 1u << 1,	   /* the current question's value */
	CAMPO_SESSION_OTHERS = 1u << 2,	   /* other values (calculations...) */
	CAMPO_SESSION_RELEVANCE = 1u << 3, /* which questions are shown */
	CAMPO_SESSION_REPEATS = 1u << 4,   /* repeat instances added/removed */
	CAMPO_SESSION_LANGUAGE = 1u << 5,
	CAMPO_SESSION_STATUS = 1u << 6,	 /* finalized, discarded */
	CAMPO_SESSION_MESSAGE = 1u << 7, /* a new message to show */
	CAMPO_SESSION_CONFIRM = 1u << 8, /* campo_session_confirm() awaited */
};

/* What the current position is. */
enum campo_session_kind {
	CAMPO_SESSION_QUESTION, /* a question or note */
	CAMPO_SESSION_PROMPT,	/* "add another?" of a repeat without count */
	CAMPO_SESSION_END,	/* past the last question: the review */
};

struct campo_session_options {
	const char *enumerator; /* NULL: the device's enumerator code */
	const char *form_hash;	/* NULL: "" */
	int64_t now_ms;		/* clock of today()/now(); 0: the real clock */
	size_t language; /* index into form->languages; SIZE_MAX: default */
};

/* Sets opts to the defaults. */
void campo_session_options_init(struct campo_session_options *opts);

/*
 * Starts a new interview of form in store: checks free space, creates the
 * draft, applies defaults, runs calculations and goes to the first
 * question. opts may be NULL. *out: caller frees with campo_session_free().
 * On failure *out is NULL and diag says why.
 */
enum campo_status campo_session_start(struct campo_store *store,
				      const struct campo_form *form,
				      const struct campo_session_options *opts,
				      struct campo_session **out,
				      struct campo_diag *diag);

/*
 * Opens interview instance_id (a draft, or a finalized one read only) of
 * form: rebuilds the data from the store's answers and repeats, reruns the
 * calculations and goes to the stored position and language. Records a
 * resume in the audit for a draft. CAMPO_ERR_CONFLICT when the interview
 * is of another form. *out as for campo_session_start().
 */
enum campo_status campo_session_resume(struct campo_store *store,
				       const struct campo_form *form,
				       const char *instance_id,
				       const struct campo_session_options *opts,
				       struct campo_session **out,
				       struct campo_diag *diag);

/*
 * Edit after finalize: makes a new draft revision of finalized interview
 * old_id (campo_store_interview_revise) and opens it as campo_session_resume
 * does.
 */
enum campo_status campo_session_revise(struct campo_store *store,
				       const struct campo_form *form,
				       const char *old_id,
				       const struct campo_session_options *opts,
				       struct campo_session **out,
				       struct campo_diag *diag);

/* Frees the session (the store keeps everything saved). NULL is fine. */
void campo_session_free(struct campo_session *s);

/* ----- commands ----- */

/*
 * Answers the current question with len bytes of text as typed (a code, or
 * space-separated codes, for selects; "OK" for acknowledge; len 0 clears).
 * Checks the type, the constraint and required, saves, then updates what
 * depends on the answer. Does not move. CAMPO_ERR_INVALID at a prompt, the
 * end, a note or a read-only question.
 */
enum campo_status campo_session_answer(struct campo_session *s,
				       const char *text, size_t len,
				       unsigned *changed);

/*
 * Same checks and saving for the question at key ("member[2]/age"), for
 * import; missing instances of repeats without count are added. The
 * position does not move.
 */
enum campo_status campo_session_answer_key(struct campo_session *s,
					   const char *key, const char *text,
					   size_t len, unsigned *changed);

/*
 * Moves to the next relevant question (notes included, calculations and
 * non-relevant questions skipped), a repeat prompt or the end. Refused
 * (CAMPO_ERR_INVALID, the required message) when the current question is
 * required and unanswered. At a prompt, next means "no, add no more".
 */
enum campo_status campo_session_next(struct campo_session *s,
				     unsigned *changed);

/* Moves to the previous relevant question; stays at the first one. */
enum campo_status campo_session_prev(struct campo_session *s,
				     unsigned *changed);

/*
 * Moves to the question at key, which must be relevant and already reached
 * (before the furthest position or answered); "" goes to the end.
 * CAMPO_ERR_NOTFOUND for a key of no question, CAMPO_ERR_INVALID otherwise.
 */
enum campo_status campo_session_jump(struct campo_session *s, const char *key,
				     unsigned *changed);

/*
 * Adds an instance to the repeat of the current prompt (or of the innermost
 * repeat the position is in) and moves to its first question.
 */
enum campo_status campo_session_repeat_add(struct campo_session *s,
					   unsigned *changed);

/*
 * Removes the repeat instance the position is in (later ones move up) and
 * moves to what follows. For a repeat whose count is one integer question
 * (${hh_size}), that answer goes down by one.
 */
enum campo_status campo_session_repeat_remove(struct campo_session *s,
					      unsigned *changed);

/*
 * Answers a pending confirmation (CAMPO_SESSION_CONFIRM): yes removes the
 * instances past a lowered repeat count, no puts the count answer back.
 * CAMPO_ERR_INVALID when nothing is pending.
 */
enum campo_status campo_session_confirm(struct campo_session *s, bool yes,
					unsigned *changed);

/* Switches the language (an index into form->languages) and saves it. */
enum campo_status campo_session_language_set(struct campo_session *s,
					     size_t lang, unsigned *changed);

/*
 * Finalizes: refused with CAMPO_ERR_INVALID, the position moved to the
 * first missing or invalid question and a message, while anything required
 * is missing or invalid. Then clears answers of questions that are not
 * relevant, checks free space, finalizes and checkpoints the store.
 */
enum campo_status campo_session_finalize(struct campo_session *s,
					 unsigned *changed);

/* Discards the draft (the store keeps it, frozen and audited). */
enum campo_status campo_session_discard(struct campo_session *s,
					unsigned *changed);

/* ----- queries (strings borrowed until the next command or query) ----- */

/* Interview id, "uuid:...". */
const char *campo_session_instance_id(const struct campo_session *s);

/* Draft, finalized or discarded. */
enum campo_store_istatus campo_session_status(const struct campo_session *s);

/* The message of the last refused command in the current language, or "". */
const char *campo_session_message(const struct campo_session *s);

/* The current language (index into form->languages) and the list. */
size_t campo_session_language(const struct campo_session *s);
const char *const *campo_session_languages(const struct campo_session *s,
					   size_t *n);

/* The text of a pending confirmation ("" when none is pending). */
const char *campo_session_pending(struct campo_session *s);

struct campo_session_choice {
	const char *code;
	const char *label; /* current language; the code when none */
	bool selected;
};

/* The current position as a UI shows it. */
struct campo_session_question {
	enum campo_session_kind kind;
	const struct campo_field *field; /* the question, or the repeat of a
					    prompt; NULL at the end */
	const struct campo_type_info *type;
	const char *key;   /* store key; "" at the end */
	const char *label; /* ${refs} rendered; "" when none */
	const char *hint;  /* "" when none */
	const char *value; /* stored text; "" unanswered */
	bool required;	   /* evaluated now */
	bool read_only;
	const struct campo_session_choice *choices; /* filtered; selects */
	size_t n_choices;
	const char *section; /* label of the innermost enclosing group, or
				"" */
	/* innermost repeat the position is in (or the prompt's repeat) */
	const char *repeat_label; /* "" when not in a repeat */
	uint32_t repeat_pos;	  /* 1-based; 0 when not in one */
	uint32_t repeat_count;
	const char *member_name; /* the instance's first text answer, or "" */
};

/* Fills *q with the current position (borrowed strings, see above). */
enum campo_status campo_session_question(struct campo_session *s,
					 struct campo_session_question *q);

/* Relevant questions that take an answer, and how many are answered. */
void campo_session_progress(struct campo_session *s, size_t *answered,
			    size_t *relevant);

/* One row of the review. */
struct campo_session_item {
	const char *key;
	const struct campo_field *field;
	const char *label;   /* rendered, current language */
	const char *display; /* choice labels for selects; "" unanswered */
	bool missing;	     /* required and unanswered */
	bool invalid;	     /* answered, constraint false */
	bool reached;	     /* jump can go there */
};

/*
 * Every relevant question that takes an answer, in order, reached or not
 * (*items borrowed until the next command or review).
 */
enum campo_status campo_session_review(struct campo_session *s,
				       const struct campo_session_item **items,
				       size_t *n);

/* The value at key ("" unanswered or no such question); borrowed. */
const char *campo_session_value(struct campo_session *s, const char *key);

#endif
