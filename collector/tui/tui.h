/* SPDX-License-Identifier: MIT */
/* The terminal form runner: the only part of campo that includes curses. */
#ifndef CAMPO_TUI_H
#define CAMPO_TUI_H

#include <stdbool.h>

struct campo_tui_options {
	const char *db_path;   /* the device database; created if missing */
	const char *form_path; /* the form to run */
	bool form_given;       /* named by --form (not the bundled default) */
};

/*
 * Opens the store and the form, takes the terminal, runs the screens
 * (first-run identity, home, interview, review) until the user quits, and
 * gives the terminal back. Errors before the terminal is taken go to
 * stderr. Returns a process exit status: 0, or 1 when the store or form
 * could not be opened.
 *
 * With CAMPO_TUI_FIRST_FRAME_EXIT set in the environment (any value) it
 * returns 0 as soon as the first frame is on the terminal, for
 * bench/bench-tui.c to time the start-up from outside.
 */
int campo_tui_run(const struct campo_tui_options *opts);

/*
 * The `run` subcommand: parses [--db PATH] [--form FILE] (argv[0] is the
 * subcommand's name) with the defaults of campo-collector and calls
 * campo_tui_run(). Returns the exit status (2 for wrong usage).
 */
int campo_tui_main(int argc, char **argv);

#endif
