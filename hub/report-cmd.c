/* SPDX-License-Identifier: MIT */
/* campo-hub report, targets import and export. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "form/form-load.h"
#include "hub.h"
#include "util/alloc.h"
#include "report/report-counts.h"
#include "util/file.h"

#define TARGETS_FILE_MAX (16u << 20)

enum campo_status hub_report_render(struct campo_hub *hub,
				    const struct hub_report_options *opt,
				    struct campo_buf *out,
				    struct campo_diag *diag)
{
	struct campo_report_counts_options o = {
		.area_field = opt->area_field,
		.visit_field = opt->visit_field,
	};
	struct campo_report_counts *c = NULL;
	enum campo_status status;

	status = campo_report_counts_build(hub, &o, &c, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	switch (opt->format) {
	case HUB_FORMAT_JSON:
		status = campo_report_counts_json(c, out);
		break;
	case HUB_FORMAT_CSV:
		status = campo_report_counts_csv(c, out);
		break;
	case HUB_FORMAT_TABLE:
		status = campo_report_counts_table(c, out);
		break;
	}
	if (status != CAMPO_OK) {
		campo_diag_set(diag, status, "cannot write the report");
	}
	campo_report_counts_free(c);
	return status;
}

int hub_report_cmd(struct campo_hub *hub, const struct hub_report_options *opt)
{
	struct campo_diag diag = { 0 };
	struct campo_buf out;
	enum campo_status status;
	int rc = 0;

	campo_buf_init(&out, 256u << 20);
	status = hub_report_render(hub, opt, &out, &diag);
	if (status != CAMPO_OK) {
		fprintf(stderr, "campo-hub: report: %s\n",
			diag.msg[0] ? diag.msg : campo_status_str(status));
		rc = 1;
	} else if (fwrite(campo_buf_str(&out), 1, out.len, stdout) != out.len ||
		   fflush(stdout) != 0) {
		fprintf(stderr, "campo-hub: report: cannot write\n");
		rc = 1;
	}
	campo_buf_release(&out);
	return rc;
}

int hub_targets_import(struct campo_hub *hub, const char *path)
{
	struct campo_report_targets t = { 0 };
	struct campo_diag diag = { 0 };
	enum campo_status status;
	char *text = NULL;
	size_t len = 0;

	status = campo_file_read(path, TARGETS_FILE_MAX, &text, &len, &diag);
	if (status == CAMPO_OK) {
		status = campo_report_targets_parse(text, len, &t, &diag);
		if (status != CAMPO_OK && diag.line) {
			char msg[sizeof(diag.msg)];

			snprintf(msg, sizeof(msg), "%s", diag.msg);
			campo_diag_set(&diag, status, "line %u: %s", diag.line,
				       msg);
		}
	}
	if (status == CAMPO_OK) {
		status = campo_hub_targets_replace(hub, t.t, t.n, &diag);
	}
	if (status == CAMPO_OK) {
		printf("%zu targets\n", t.n);
	} else {
		fprintf(stderr, "campo-hub: %s: %s\n", path,
			diag.msg[0] ? diag.msg : campo_status_str(status));
	}
	campo_report_targets_release(&t);
	free(text);
	return status == CAMPO_OK ? 0 : 1;
}

/* The forms of a folder, for the CSV export and the codebook. */
struct form_set {
	struct campo_form **forms;
	size_t n, cap;
};

static const struct campo_form *form_find(void *ctx, const char *form_id,
					  struct campo_diag *diag)
{
	const struct form_set *set = ctx;

	for (size_t i = 0; i < set->n; i++) {
		if (!strcmp(set->forms[i]->id, form_id)) {
			return set->forms[i];
		}
	}
	campo_diag_set(diag, CAMPO_ERR_NOTFOUND,
		       "no form '%s' in the forms folder", form_id);
	return NULL;
}

static enum campo_status form_set_load(struct form_set *set, const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "campo-hub: cannot open forms folder '%s'\n",
			dir);
		return CAMPO_ERR_IO;
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		struct campo_form *form = NULL;
		char path[4096];

		if (n < 6 || strcmp(e->d_name + n - 5, ".json")) {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (campo_form_load_file(path, &form, NULL) != CAMPO_OK) {
			fprintf(stderr,
				"campo-hub: skipping form '%s': it does not "
				"load\n",
				path);
			continue;
		}
		if (campo_grow((void **)&set->forms, &set->cap, set->n + 1,
			       sizeof(*set->forms)) != 0) {
			campo_form_free(form);
			closedir(d);
			return CAMPO_ERR_NOMEM;
		}
		set->forms[set->n++] = form;
	}
	closedir(d);
	return CAMPO_OK;
}

int hub_export_cmd(struct campo_hub *hub, const struct hub_export_options *o)
{
	struct campo_report_hub_options ro = {
		.dir = o->out,
		.csv = o->format == HUB_FORMAT_CSV,
		.jsonl = o->format == HUB_FORMAT_JSON,
		.codebook = o->codebook,
		.lang = o->labels,
		.bom = o->bom,
		.all_revisions = o->all_revisions,
	};
	struct form_set set = { 0 };
	struct campo_report_forms forms = { form_find, &set };
	struct campo_diag diag = { 0 };
	enum campo_status status = CAMPO_OK;
	size_t n = 0;

	if ((ro.csv || ro.codebook) && !o->forms) {
		fprintf(stderr, "campo-hub: export: CSV and the codebook need "
				"--forms DIR\n");
		return 2;
	}
	if (mkdir(o->out, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "campo-hub: export: cannot create '%s': %s\n",
			o->out, strerror(errno));
		return 1;
	}
	if (o->forms) {
		status = form_set_load(&set, o->forms);
	}
	if (status == CAMPO_OK) {
		status = campo_report_hub_export(hub, &forms, &ro, &n, &diag);
	}
	if (status == CAMPO_OK) {
		printf("%zu interviews\n", n);
	} else {
		fprintf(stderr, "campo-hub: export: %s\n",
			diag.msg[0] ? diag.msg : campo_status_str(status));
	}
	for (size_t i = 0; i < set.n; i++) {
		campo_form_free(set.forms[i]);
	}
	free(set.forms);
	return status == CAMPO_OK ? 0 : 1;
}
