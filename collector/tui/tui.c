/* SPDX-License-Identifier: MIT */
/* The TUI's main loop: read a key, run its action, repaint what changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "form/form-load.h"
#include "tui-internal.h"
#include "tui.h"

static void read_key(struct tui_key *k)
{
	wint_t c = 0;
	int r = wget_wch(stdscr, &c);

	if (r == KEY_CODE_YES) {
		k->fn = true;
		k->code = (int)c;
	} else if (r == ERR) {
		k->fn = true;
		k->code = ERR;
	} else {
		k->fn = false;
		k->code = (int)c;
	}
}

static unsigned setup_or_home(struct tui *t)
{
	const struct campo_store_device *d = campo_store_device(t->store);

	if (!*d->enumerator_name || !*d->device_name) {
		t->screen = TUI_SETUP;
		snprintf(t->setup[0], sizeof(t->setup[0]), "%s",
			 d->enumerator_name);
		snprintf(t->setup[1], sizeof(t->setup[1]), "%s",
			 d->enumerator_code);
		if (*d->device_name) {
			snprintf(t->setup[2], sizeof(t->setup[2]), "%s",
				 d->device_name);
		} else if (gethostname(t->setup[2], sizeof(t->setup[2]) - 1)) {
			t->setup[2][0] = '\0';
		}
		t->setup_field = 0;
		campo_tui_edit_set(&t->edit, t->setup[0], strlen(t->setup[0]));
		return TUI_REDRAW;
	}
	t->screen = TUI_HOME;
	return tui_home_load(t);
}

static void loop(struct tui *t)
{
	unsigned changed = setup_or_home(t) | TUI_REDRAW;

	for (;;) {
		struct tui_key k;

		if (changed & TUI_QUIT) {
			return;
		}
		if (changed & TUI_REDRAW) {
			tui_draw(t);
			if (t->first_frame_exit) {
				return;
			}
		}
		read_key(&k);
		if (k.fn && k.code == ERR) {
			continue;
		}
		/* A resize comes in as a key, never through a signal handler
		 * of ours: the frame is simply drawn again at the new size. */
		if (k.fn && k.code == KEY_RESIZE) {
			changed = TUI_REDRAW;
			continue;
		}
		changed = tui_key_handle(t, k);
	}
}

int campo_tui_run(const struct campo_tui_options *opts)
{
	struct tui t;
	struct campo_diag diag;
	struct campo_diag_list errors;
	enum campo_status status;
	int rc = 1;

	memset(&t, 0, sizeof(t));
	t.status_tx = -1;
	t.first_frame_exit = getenv("CAMPO_TUI_FIRST_FRAME_EXIT") != NULL;
	campo_diag_init(&diag);
	campo_diag_list_init(&errors, 20);
	status = campo_form_load_file(opts->form_path, &t.form, &errors);
	if (status != CAMPO_OK) {
		char msg[CAMPO_DIAG_MSG * 2];

		if (!errors.n) {
			fprintf(stderr,
				"campo-collector: cannot load form "
				"'%s': %s\n",
				opts->form_path, campo_status_str(status));
		}
		for (size_t i = 0; i < errors.n; i++) {
			fprintf(stderr, "campo-collector: %s\n",
				campo_diag_format(&errors.items[i], msg,
						  sizeof(msg)));
		}
		if (status == CAMPO_ERR_IO && !opts->form_given) {
			fprintf(stderr,
				"campo-collector: the bundled forms are not "
				"installed here: give --form FILE (e.g. "
				"forms/quilicura-census.json), set "
				"CAMPO_FORMS_DIR, or run meson install\n");
		}
		goto out_errors;
	}
	status = campo_store_open(opts->db_path, 0, &t.store, &diag);
	if (status != CAMPO_OK) {
		fprintf(stderr, "campo-collector: cannot open '%s': %s\n",
			opts->db_path, diag.msg);
		goto out_form;
	}

	if (!initscr()) {
		fprintf(stderr, "campo-collector: cannot start the terminal\n");
		goto out_store;
	}
	raw(); /* Ctrl-S saves instead of stopping the output */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	tui_colors_init(&t);
	loop(&t);
	endwin();
	rc = 0;

	campo_session_free(t.s);
	free(t.rows);
	free(t.match);
out_store:
	campo_store_close(t.store);
out_form:
	campo_form_free(t.form);
out_errors:
	campo_diag_list_release(&errors);
	return rc;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: campo-collector run [--db PATH] [--form FILE]\n"
		"--db defaults to $XDG_DATA_HOME/campo/collector.db, --form "
		"to the bundled census\n");
	return 2;
}

int campo_tui_main(int argc, char **argv)
{
	struct campo_tui_options o = { 0 };
	char db[4096];
	char form[4096];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			o.db_path = argv[++i];
		} else if (!strcmp(argv[i], "--form") && i + 1 < argc) {
			o.form_path = argv[++i];
		} else {
			return usage();
		}
	}
	o.db_path = campo_cli_db_path(o.db_path, db, sizeof(db));
	o.form_given = o.form_path != NULL;
	if (!o.form_path) {
		snprintf(form, sizeof(form), "%s/quilicura-census.json",
			 campo_cli_forms_dir());
		o.form_path = form;
	}
	return campo_tui_run(&o);
}
