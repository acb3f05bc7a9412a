/* SPDX-License-Identifier: MIT */
/* campo-collector's subcommands, each a function main() dispatches to. */
#ifndef CAMPO_COLLECTOR_CLI_H
#define CAMPO_COLLECTOR_CLI_H

#include <stdio.h>

/*
 * Every subcommand gets the arguments after its name (argv[0] is the
 * subcommand's name) and returns the process exit status: 0 success, 1 the
 * work failed (a form with errors, a bad value), 2 wrong usage.
 * Messages go to stderr, results to stdout.
 */
struct campo_cli_cmd {
	const char *name;
	const char *usage;   /* one line: "check FORM..." */
	const char *summary; /* one line for the help list */
	int (*run)(int argc, char **argv);
};

int campo_cli_check(int argc, char **argv);
int campo_cli_eval(int argc, char **argv);
int campo_cli_list(int argc, char **argv);
int campo_cli_show(int argc, char **argv);
int campo_cli_status(int argc, char **argv);
int campo_cli_export(int argc, char **argv);
int campo_cli_import(int argc, char **argv);

/* The bundled forms folder (CAMPO_FORMS_DIR, else the install path). */
const char *campo_cli_forms_dir(void);

/*
 * The collector's database path: db when it is not NULL (--db), else
 * $XDG_DATA_HOME/campo/collector.db, else ~/.local/share/campo/collector.db.
 * Returns db or buf (n bytes, filled).
 */
const char *campo_cli_db_path(const char *db, char *buf, size_t n);

#endif
