/* SPDX-License-Identifier: MIT */
/* campo-hub report and campo-hub targets import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"
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
