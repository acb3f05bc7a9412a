/* SPDX-License-Identifier: MIT */
/* campo-collector list, show, status, export, import: the device's data. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "form/form-load.h"
#include "form/form.h"
#include "report/report.h"
#include "store/store.h"
#include "util/file.h"

#define MAX_FORMS 256

/* Options every data subcommand takes, and its positional arguments. */
struct opts {
	const char *cmd;
	const char *db;
	const char *forms[16]; /* --form FILE, repeatable */
	size_t n_forms;
	const char *format;
	const char *out;
	const char *labels;
	const char *form_id;
	bool audit;
	const char *args[4];
	size_t n_args;
};

/* Forms loaded so far: from --form, then bundled ones by id. */
struct forms {
	struct campo_form *items[MAX_FORMS];
	size_t n;
	bool scanned; /* every bundled form has been loaded */
};

static void forms_release(struct forms *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		campo_form_free(fs->items[i]);
	}
	fs->n = 0;
}

/* Loads the form at path into fs; quiet selects whether errors print. */
static struct campo_form *form_load(struct forms *fs, const char *path,
				    bool quiet)
{
	struct campo_diag_list errors;
	struct campo_form *form = NULL;
	char msg[CAMPO_DIAG_MSG * 2];

	if (fs->n == MAX_FORMS) {
		return NULL;
	}
	campo_diag_list_init(&errors, 5);
	if (campo_form_load_file(path, &form, &errors) != CAMPO_OK) {
		for (size_t i = 0; !quiet && i < errors.n; i++) {
			fprintf(stderr, "campo-collector: %s\n",
				campo_diag_format(&errors.items[i], msg,
						  sizeof(msg)));
		}
		form = NULL;
	} else {
		fs->items[fs->n++] = form;
	}
	campo_diag_list_release(&errors);
	return form;
}

static const struct campo_form *forms_have(const struct forms *fs,
					   const char *id)
{
	for (size_t i = 0; i < fs->n; i++) {
		if (!strcmp(fs->items[i]->id, id)) {
			return fs->items[i];
		}
	}
	return NULL;
}

/* campo_report_form_fn: --form files, then <dir>/<id>.json, then every
 * *.json of the bundled folder. */
static const struct campo_form *forms_find(void *ctx, const char *id,
					   struct campo_diag *diag)
{
	struct forms *fs = ctx;
	const struct campo_form *form = forms_have(fs, id);
	const char *dir = campo_cli_forms_dir();
	char path[4096];
	DIR *d;
	struct dirent *e;

	if (form) {
		return form;
	}
	if (!strchr(id, '/') && id[0] != '.' &&
	    (size_t)snprintf(path, sizeof(path), "%s/%s.json", dir, id) <
		    sizeof(path)) {
		FILE *f = fopen(path, "r");

		if (f) {
			fclose(f);
			form = form_load(fs, path, true);
			if (form && !strcmp(form->id, id)) {
				return form;
			}
		}
	}
	if (!fs->scanned && (d = opendir(dir)) != NULL) {
		fs->scanned = true;
		while ((e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);

			if (len < 6 || strcmp(e->d_name + len - 5, ".json") ||
			    (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
					     e->d_name) >= sizeof(path)) {
				continue;
			}
			form_load(fs, path, true);
		}
		closedir(d);
		form = forms_have(fs, id);
		if (form) {
			return form;
		}
	}
	campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
		       "unknown form '%s' (not bundled in %s; give it with "
		       "--form FILE)",
		       id, dir);
	return NULL;
}

static int usage(FILE *out, const char *cmd)
{
	fprintf(out,
		"usage: campo-collector %s [--db PATH] [--form FILE]...\n"
		"  list\n"
		"  show ID [--audit]\n"
		"  status\n"
		"  export --format csv|jsonl --out DIR [--labels LANG] "
		"[--form-id ID]\n"
		"  import FILE\n"
		"--db defaults to $XDG_DATA_HOME/campo/collector.db\n",
		cmd);
	return 2;
}

/* Parses argv into o; returns 0, or the exit status for wrong usage. */
static int opts_parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cmd = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout, o->cmd);
			return -1;
		} else if (!strcmp(a, "--audit")) {
			o->audit = true;
			continue;
		} else if (!strcmp(a, "--db")) {
			slot = &o->db;
		} else if (!strcmp(a, "--format")) {
			slot = &o->format;
		} else if (!strcmp(a, "--out")) {
			slot = &o->out;
		} else if (!strcmp(a, "--labels")) {
			slot = &o->labels;
		} else if (!strcmp(a, "--form-id")) {
			slot = &o->form_id;
		} else if (!strcmp(a, "--form")) {
			if (o->n_forms ==
			    sizeof(o->forms) / sizeof(o->forms[0])) {
				fprintf(stderr,
					"campo-collector: too many --form\n");
				return 2;
			}
			slot = &o->forms[o->n_forms++];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr,
				"campo-collector: %s: unknown option "
				"'%s'\n",
				o->cmd, a);
			return usage(stderr, o->cmd);
		} else {
			if (o->n_args == sizeof(o->args) / sizeof(o->args[0])) {
				return usage(stderr, o->cmd);
			}
			o->args[o->n_args++] = a;
			continue;
		}
		if (i + 1 == argc) {
			fprintf(stderr,
				"campo-collector: %s: '%s' needs a "
				"value\n",
				o->cmd, a);
			return 2;
		}
		*slot = argv[++i];
	}
	return 0;
}

static void fail(const struct opts *o, const struct campo_diag *diag,
		 enum campo_status status)
{
	char msg[CAMPO_DIAG_MSG * 2];

	if (diag->msg[0]) {
		fprintf(stderr, "campo-collector: %s: %s\n", o->cmd,
			campo_diag_format(diag, msg, sizeof(msg)));
	} else {
		fprintf(stderr, "campo-collector: %s: %s\n", o->cmd,
			campo_status_str(status));
	}
}

/* Opens the database (which must exist unless writing) and loads the
 * --form files. Returns 0 or an exit status. */
static int setup(const struct opts *o, bool write,
		 struct campo_report_clock *clock, struct campo_store **store,
		 struct forms *fs)
{
	struct campo_store_options so = { 0 };
	struct campo_diag diag = { 0 };
	enum campo_status status;
	char buf[4096];
	const char *path = campo_cli_db_path(o->db, buf, sizeof(buf));

	for (size_t i = 0; i < o->n_forms; i++) {
		if (!form_load(fs, o->forms[i], false)) {
			return 1;
		}
	}
	so.flags = write ? 0 : CAMPO_STORE_NOCREATE;
	so.clock = clock ? campo_report_clock_read : NULL;
	so.clock_ctx = clock;
	status = campo_store_open_opts(path, &so, store, &diag);
	if (status != CAMPO_OK) {
		fail(o, &diag, status);
		return 1;
	}
	return 0;
}

/* ----- list ----- */

static enum campo_status list_row(void *ctx,
				  const struct campo_store_summary *r)
{
	(void)ctx;
	printf("%-41s  %-20s  %-9s  %-24s  %s\n", r->instance_id, r->form_id,
	       campo_store_istatus_name(r->status), r->updated_at,
	       r->instance_name);
	return CAMPO_OK;
}

static int cmd_list(struct opts *o, struct campo_store *store)
{
	struct campo_diag diag = { 0 };
	enum campo_status status;

	if (o->n_args) {
		return usage(stderr, o->cmd);
	}
	printf("%-41s  %-20s  %-9s  %-24s  %s\n", "ID", "FORM", "STATUS",
	       "UPDATED", "NAME");
	status = campo_store_interview_list(store, 0, o->form_id, list_row,
					    NULL, &diag);
	if (status != CAMPO_OK) {
		fail(o, &diag, status);
		return 1;
	}
	return 0;
}

/* ----- show ----- */

static int cmd_show(struct opts *o, struct campo_store *store)
{
	struct campo_diag diag = { 0 };
	struct campo_store_interview *iv = NULL;
	const struct campo_store_summary *h;
	enum campo_status status;

	if (o->n_args != 1) {
		return usage(stderr, o->cmd);
	}
	status = campo_store_interview_get(store, o->args[0],
					   o->audit ? CAMPO_STORE_GET_AUDIT : 0,
					   &iv, &diag);
	if (status != CAMPO_OK) {
		fail(o, &diag, status);
		return 1;
	}
	h = &iv->info;
	printf("instance_id    %s\n", h->instance_id);
	if (*h->deprecated_id) {
		printf("deprecated_id  %s\n", h->deprecated_id);
	}
	printf("revision       %u\n", h->revision);
	printf("form           %s (version %s)\n", h->form_id, h->form_version);
	printf("status         %s\n", campo_store_istatus_name(h->status));
	if (h->status == CAMPO_STORE_RETURNED) {
		printf("returned_note  %s\n", h->return_note);
	}
	printf("name           %s\n", h->instance_name);
	printf("enumerator     %s\n", h->enumerator);
	printf("device_id      %s\n", h->device_id);
	printf("started_at     %s\n", h->started_at);
	printf("updated_at     %s\n", h->updated_at);
	if (*h->finalized_at) {
		printf("finalized_at   %s\n", h->finalized_at);
		printf("content_hash   %s\n", h->content_hash);
	}
	if (*h->position) {
		printf("position       %s\n", h->position);
	}
	printf("\nanswers (%zu)\n", iv->n_answers);
	for (size_t i = 0; i < iv->n_answers; i++) {
		printf("  %s = %s\n", iv->answers[i].key, iv->answers[i].value);
	}
	for (size_t i = 0; i < iv->n_repeats; i++) {
		printf("  %s: %u instance%s\n", iv->repeats[i].key,
		       iv->repeats[i].count,
		       iv->repeats[i].count == 1 ? "" : "s");
	}
	if (o->audit) {
		printf("\naudit (%zu)\n", iv->n_audit);
	}
	for (size_t i = 0; o->audit && i < iv->n_audit; i++) {
		const struct campo_store_audit *a = &iv->audit[i];

		printf("  %s  %-17s %s", a->at,
		       campo_store_event_name(a->event), a->key ? a->key : "");
		if (a->old_value || a->new_value) {
			printf("  %s -> %s", a->old_value ? a->old_value : "-",
			       a->new_value ? a->new_value : "-");
		}
		printf("\n");
	}
	campo_store_interview_free(iv);
	return 0;
}

/* ----- status ----- */

static const enum campo_store_istatus shown[] = {
	CAMPO_STORE_DRAFT,    CAMPO_STORE_FINALIZED, CAMPO_STORE_SENT,
	CAMPO_STORE_RETURNED, CAMPO_STORE_DISCARDED,
};
#define N_SHOWN (sizeof(shown) / sizeof(shown[0]))

static enum campo_status count_row(void *ctx, const char *key,
				   const uint64_t n[CAMPO_STORE_NSTATUS])
{
	uint64_t total = 0;

	for (size_t i = 0; i < N_SHOWN; i++) {
		total += n[shown[i]];
	}
	/* ctx: the name of the row with an empty key */
	printf("  %-24s", *key ? key : *(const char **)ctx);
	for (size_t i = 0; i < N_SHOWN; i++) {
		printf(" %9llu", (unsigned long long)n[shown[i]]);
	}
	printf(" %9llu\n", (unsigned long long)total);
	return CAMPO_OK;
}

static enum campo_status outbox_row(void *ctx,
				    const struct campo_store_outbox_entry *e)
{
	(void)e;
	(*(size_t *)ctx)++;
	return CAMPO_OK;
}

static int cmd_status(struct opts *o, struct campo_store *store)
{
	static const struct {
		enum campo_store_count_by by;
		const char *title;
		const char *empty; /* how the empty key is shown */
	} groups[] = {
		{ CAMPO_STORE_BY_ALL, "all interviews", "all" },
		{ CAMPO_STORE_BY_FORM, "by form", "(none)" },
		{ CAMPO_STORE_BY_ENUMERATOR, "by enumerator", "(none)" },
		{ CAMPO_STORE_BY_DAY, "by day started (UTC)", "(none)" },
	};
	struct campo_diag diag = { 0 };
	enum campo_status status = CAMPO_OK;
	size_t waiting = 0;
	const char *empty;

	if (o->n_args) {
		return usage(stderr, o->cmd);
	}
	status = campo_store_outbox_pending(store, 0, outbox_row, &waiting,
					    &diag);
	if (status == CAMPO_OK) {
		printf("device             %s\n",
		       campo_store_device(store)->device_id);
		printf("waiting to sync    %zu\n", waiting);
	}
	for (size_t g = 0;
	     g < sizeof(groups) / sizeof(groups[0]) && status == CAMPO_OK;
	     g++) {
		printf("\n%-26s", groups[g].title);
		for (size_t i = 0; i < N_SHOWN; i++) {
			printf(" %9s", campo_store_istatus_name(shown[i]));
		}
		printf(" %9s\n", "total");
		empty = groups[g].empty;
		status = campo_store_count(store, groups[g].by, count_row,
					   &empty, &diag);
	}
	if (status != CAMPO_OK) {
		fail(o, &diag, status);
		return 1;
	}
	return 0;
}

/* ----- export ----- */

static int cmd_export(struct opts *o, struct campo_store *store,
		      struct forms *fs)
{
	struct campo_report_forms rf = { .fn = forms_find, .ctx = fs };
	struct campo_diag diag = { 0 };
	enum campo_status status;
	size_t n = 0;
	bool csv;

	if (o->n_args || !o->format || !o->out ||
	    (strcmp(o->format, "csv") && strcmp(o->format, "jsonl"))) {
		return usage(stderr, o->cmd);
	}
	csv = !strcmp(o->format, "csv");
	if (o->labels && !csv) {
		fprintf(stderr, "campo-collector: export: --labels is for "
				"csv only\n");
		return 2;
	}
	if (strcmp(o->out, "-") && campo_file_mkdirs(o->out) != CAMPO_OK) {
		fprintf(stderr, "campo-collector: export: cannot create '%s'\n",
			o->out);
		return 1;
	}
	if (csv) {
		if (!strcmp(o->out, "-")) {
			return usage(stderr, o->cmd);
		}
		status = campo_report_csv_export(store, o->form_id, &rf, o->out,
						 o->labels, &n, &diag);
	} else {
		char path[4096];
		FILE *f = stdout;

		if (strcmp(o->out, "-")) {
			snprintf(path, sizeof(path), "%s/%s.jsonl", o->out,
				 o->form_id ? o->form_id : "interviews");
			f = fopen(path, "w");
			if (!f) {
				fprintf(stderr,
					"campo-collector: export: cannot "
					"create '%s': %s\n",
					path, strerror(errno));
				return 1;
			}
		}
		status = campo_report_jsonl_export(store, o->form_id, &rf, f,
						   &n, &diag);
		if (f != stdout && fclose(f) != 0 && status == CAMPO_OK) {
			status = campo_diag_set(&diag, CAMPO_ERR_IO,
						"cannot write '%s'", path);
		}
	}
	if (status != CAMPO_OK) {
		fail(o, &diag, status);
		return 1;
	}
	fprintf(stderr, "exported %zu interview%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* ----- import ----- */

static int cmd_import(struct opts *o, struct campo_store *store,
		      struct forms *fs, struct campo_report_clock *clock)
{
	struct campo_report_forms rf = { .fn = forms_find, .ctx = fs };
	size_t n_new = 0, n_same = 0, n_bad = 0, lineno = 0;
	const char *name;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	if (o->n_args != 1) {
		return usage(stderr, o->cmd);
	}
	name = o->args[0];
	f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	if (!f) {
		fprintf(stderr,
			"campo-collector: import: cannot open '%s': %s\n", name,
			strerror(errno));
		return 1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct campo_diag diag = { 0 };
		enum campo_report_import_result res;
		enum campo_status status;

		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len) {
			continue; /* blank lines are allowed */
		}
		status = campo_report_import_line(store, &rf, clock, line,
						  (size_t)len, &res, &diag);
		if (status != CAMPO_OK) {
			n_bad++;
			fprintf(stderr, "%s:%zu: %s%s%s\n", name, lineno,
				diag.path, diag.path[0] ? ": " : "",
				diag.msg[0] ? diag.msg
					    : campo_status_str(status));
		} else if (res == CAMPO_REPORT_IMPORTED) {
			n_new++;
		} else {
			n_same++;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "campo-collector: import: cannot read '%s'\n",
			name);
		n_bad++;
	}
	free(line);
	if (f != stdin) {
		fclose(f);
	}
	fprintf(stderr, "imported %zu, unchanged %zu, rejected %zu\n", n_new,
		n_same, n_bad);
	return n_bad ? 1 : 0;
}

/* ----- dispatch ----- */

/* What run() sets up for a subcommand. */
struct data_cmd {
	bool write; /* opens the database for writing (creating it) */
	int (*fn)(struct opts *o, struct campo_store *store, struct forms *fs,
		  struct campo_report_clock *clock);
};

static int list_fn(struct opts *o, struct campo_store *store, struct forms *fs,
		   struct campo_report_clock *clock)
{
	(void)fs;
	(void)clock;
	return cmd_list(o, store);
}

static int show_fn(struct opts *o, struct campo_store *store, struct forms *fs,
		   struct campo_report_clock *clock)
{
	(void)fs;
	(void)clock;
	return cmd_show(o, store);
}

static int status_fn(struct opts *o, struct campo_store *store,
		     struct forms *fs, struct campo_report_clock *clock)
{
	(void)fs;
	(void)clock;
	return cmd_status(o, store);
}

static int export_fn(struct opts *o, struct campo_store *store,
		     struct forms *fs, struct campo_report_clock *clock)
{
	(void)clock;
	return cmd_export(o, store, fs);
}

static const struct data_cmd cmd_table[] = {
	{ .write = false, .fn = list_fn },
	{ .write = false, .fn = show_fn },
	{ .write = false, .fn = status_fn },
	{ .write = false, .fn = export_fn },
	{ .write = true, .fn = cmd_import },
};

static int run(int argc, char **argv, const struct data_cmd *cmd)
{
	struct campo_report_clock clock = { 0 };
	struct campo_store *store = NULL;
	struct forms fs = { .n = 0 };
	struct opts o;
	int rc;

	rc = opts_parse(argc, argv, &o);
	if (rc) {
		return rc < 0 ? 0 : rc;
	}
	rc = setup(&o, cmd->write, cmd->write ? &clock : NULL, &store, &fs);
	if (rc == 0) {
		rc = cmd->fn(&o, store, &fs, &clock);
		campo_store_close(store);
	}
	forms_release(&fs);
	return rc;
}

int campo_cli_list(int argc, char **argv)
{
	return run(argc, argv, &cmd_table[0]);
}

int campo_cli_show(int argc, char **argv)
{
	return run(argc, argv, &cmd_table[1]);
}

int campo_cli_status(int argc, char **argv)
{
	return run(argc, argv, &cmd_table[2]);
}

int campo_cli_export(int argc, char **argv)
{
	return run(argc, argv, &cmd_table[3]);
}

int campo_cli_import(int argc, char **argv)
{
	return run(argc, argv, &cmd_table[4]);
}
