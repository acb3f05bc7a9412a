/* SPDX-License-Identifier: MIT */
/* campo-collector: parses the command line and runs one subcommand. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#ifdef CAMPO_HAVE_TUI
#include "tui/tui.h"
#endif

static const struct campo_cli_cmd commands[] = {
#ifdef CAMPO_HAVE_TUI
	{ .name = "run",
	  .usage = "run [--db PATH] [--form FORM]",
	  .summary = "run interviews in the terminal",
	  .run = campo_tui_main },
#endif
	{ .name = "check",
	  .usage = "check FORM...",
	  .summary = "load forms strictly and summarise them",
	  .run = campo_cli_check },
	{ .name = "eval",
	  .usage = "eval [--form FORM] EXPR [NAME=VALUE...] | eval --jsonl",
	  .summary = "evaluate an expression",
	  .run = campo_cli_eval },
	{ .name = "list",
	  .usage = "list [--db PATH]",
	  .summary = "list the interviews on this device",
	  .run = campo_cli_list },
	{ .name = "show",
	  .usage = "show [--db PATH] [--audit] ID",
	  .summary = "show one interview's answers (and audit trail)",
	  .run = campo_cli_show },
	{ .name = "status",
	  .usage = "status [--db PATH]",
	  .summary = "count interviews by status, enumerator and day",
	  .run = campo_cli_status },
	{ .name = "export",
	  .usage = "export --format csv|jsonl --out DIR [--labels LANG]",
	  .summary = "export interviews (CSV or JSON Lines)",
	  .run = campo_cli_export },
	{ .name = "import",
	  .usage = "import [--db PATH] [--form FORM] FILE",
	  .summary = "import interviews from JSON Lines",
	  .run = campo_cli_import },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *campo_cli_forms_dir(void)
{
	const char *dir = getenv("CAMPO_FORMS_DIR");

	return dir && *dir ? dir : CAMPO_FORMS_DIR;
}

const char *campo_cli_db_path(const char *db, char *buf, size_t n)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (db) {
		return db;
	}
	if (xdg && *xdg) {
		snprintf(buf, n, "%s/campo/collector.db", xdg);
	} else {
		snprintf(buf, n, "%s/.local/share/campo/collector.db",
			 home ? home : ".");
	}
	return buf;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: campo-collector COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		fprintf(out, "  %-58s %s\n", commands[i].usage,
			commands[i].summary);
	}
}

int main(int argc, char **argv)
{
	/* The display follows the user's locale; numbers in files never do
	 * (lib/ formats them itself, in the C locale). */
	setlocale(LC_ALL, "");
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("campo-collector %s\n", CAMPO_VERSION);
		return 0;
	}
#ifdef CAMPO_HAVE_TUI
	/* campo-collector --form F --db D: no subcommand runs the TUI */
	if (!strcmp(argv[1], "--form") || !strcmp(argv[1], "--db")) {
		argv[0] = "run";
		return campo_tui_main(argc, argv);
	}
#endif
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "campo-collector: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
