/* SPDX-License-Identifier: MIT */
/* campo-hub: arguments, then the server, device tokens or a USB import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub.h"
#include "util/file.h"

static const char usage[] =
	"usage: campo-hub serve --db FILE --listen ADDR:PORT [--forms DIR]\n"
	"       campo-hub device add NAME --db FILE\n"
	"       campo-hub device list --db FILE\n"
	"       campo-hub device revoke NAME --db FILE\n"
	"       campo-hub import --db FILE [--forms DIR] FILE...\n"
	"       campo-hub report --db FILE [--format table|csv|json]\n"
	"                 [--area-field NAME] [--visit-field NAME]\n"
	"       campo-hub targets import FILE.csv --db FILE\n"
	"       campo-hub supervisor add|passwd NAME --db FILE\n"
	"                 [--password-file FILE]\n"
	"       campo-hub export --db FILE --out DIR [--format csv|json]\n"
	"                 [--forms DIR] [--labels LANG] [--bom]\n"
	"                 [--all-revisions] [--codebook]\n"
	"       campo-hub return ID --note TEXT --db FILE\n"
	"                 [--supervisor NAME]\n";

struct args {
	const char *db, *listen, *forms, *format, *area_field, *visit_field;
	const char *password_file, *out, *labels, *note, *supervisor;
	bool bom, all_revisions, codebook;
	const char *pos[64];
	int npos;
};

static int parse(int argc, char **argv, struct args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		const char **opt =
			!strcmp(argv[i], "--db")	    ? &a->db
			: !strcmp(argv[i], "--listen")	    ? &a->listen
			: !strcmp(argv[i], "--forms")	    ? &a->forms
			: !strcmp(argv[i], "--format")	    ? &a->format
			: !strcmp(argv[i], "--area-field")  ? &a->area_field
			: !strcmp(argv[i], "--visit-field") ? &a->visit_field
			: !strcmp(argv[i], "--password-file")
				? &a->password_file
			: !strcmp(argv[i], "--out")	   ? &a->out
			: !strcmp(argv[i], "--labels")	   ? &a->labels
			: !strcmp(argv[i], "--note")	   ? &a->note
			: !strcmp(argv[i], "--supervisor") ? &a->supervisor
							   : NULL;
		bool *flag = !strcmp(argv[i], "--bom") ? &a->bom
			     : !strcmp(argv[i], "--all-revisions")
				     ? &a->all_revisions
			     : !strcmp(argv[i], "--codebook") ? &a->codebook
							      : NULL;

		if (flag) {
			*flag = true;
		} else if (opt) {
			if (i + 1 >= argc) {
				fprintf(stderr, "campo-hub: %s needs a value\n",
					argv[i]);
				return -1;
			}
			*opt = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "campo-hub: unknown option '%s'\n",
				argv[i]);
			return -1;
		} else if (a->npos < 64) {
			a->pos[a->npos++] = argv[i];
		} else {
			fprintf(stderr, "campo-hub: too many arguments\n");
			return -1;
		}
	}
	if (!a->db) {
		fprintf(stderr, "campo-hub: --db FILE is required\n");
		return -1;
	}
	return 0;
}

static enum campo_status list_one(void *ctx, const struct campo_hub_device *d)
{
	(void)ctx;
	printf("%s\t%s\tcreated %s\tlast seen %s\t%lld batches\n", d->name,
	       d->revoked ? "revoked" : "active", d->created_at,
	       d->last_seen[0] ? d->last_seen : "never", (long long)d->batches);
	return CAMPO_OK;
}

static int device_cmd(struct campo_hub *hub, const struct args *a)
{
	struct campo_diag diag = { 0 };
	uint8_t hash[CAMPO_HUB_TOKEN_HASH_LEN];
	enum campo_status status;
	char token[65];

	if (a->npos == 3 && !strcmp(a->pos[1], "add")) {
		status = hub_token_new(token, hash);
		if (status == CAMPO_OK) {
			status = campo_hub_device_add(hub, a->pos[2], hash,
						      &diag);
		}
		if (status == CAMPO_OK) {
			/* the only time the token is shown */
			printf("%s\n", token);
		}
	} else if (a->npos == 3 && !strcmp(a->pos[1], "revoke")) {
		status = campo_hub_device_revoke(hub, a->pos[2], &diag);
	} else if (a->npos == 2 && !strcmp(a->pos[1], "list")) {
		status = campo_hub_device_list(hub, list_one, NULL, &diag);
	} else {
		fputs(usage, stderr);
		return 2;
	}
	if (status != CAMPO_OK) {
		fprintf(stderr, "campo-hub: %s\n",
			diag.msg[0] ? diag.msg : campo_status_str(status));
		return 1;
	}
	return 0;
}

static int report_cmd(struct campo_hub *hub, const struct args *a)
{
	struct hub_report_options o = {
		.area_field = a->area_field,
		.visit_field = a->visit_field,
	};

	if (a->npos != 1) {
		fputs(usage, stderr);
		return 2;
	}
	if (!a->format || !strcmp(a->format, "table")) {
		o.format = HUB_FORMAT_TABLE;
	} else if (!strcmp(a->format, "csv")) {
		o.format = HUB_FORMAT_CSV;
	} else if (!strcmp(a->format, "json")) {
		o.format = HUB_FORMAT_JSON;
	} else {
		fprintf(stderr,
			"campo-hub: unknown format '%s' (table, csv, json)\n",
			a->format);
		return 2;
	}
	return hub_report_cmd(hub, &o);
}

static int export_cmd(struct campo_hub *hub, const struct args *a)
{
	struct hub_export_options o = {
		.out = a->out,
		.forms = a->forms,
		.labels = a->labels,
		.bom = a->bom,
		.all_revisions = a->all_revisions,
		.codebook = a->codebook,
	};

	if (a->npos != 1 || !a->out) {
		fputs(usage, stderr);
		return 2;
	}
	if (!a->format || !strcmp(a->format, "csv")) {
		o.format = HUB_FORMAT_CSV;
	} else if (!strcmp(a->format, "json")) {
		o.format = HUB_FORMAT_JSON;
	} else {
		fprintf(stderr, "campo-hub: unknown format '%s' (csv, json)\n",
			a->format);
		return 2;
	}
	return hub_export_cmd(hub, &o);
}

static int targets_cmd(struct campo_hub *hub, const struct args *a)
{
	if (a->npos != 3 || strcmp(a->pos[1], "import")) {
		fputs(usage, stderr);
		return 2;
	}
	return hub_targets_import(hub, a->pos[2]);
}

/* campo-hub return ID --note TEXT: queues the return for the device. */
static int return_cmd(struct campo_hub *hub, const struct args *a)
{
	struct campo_diag diag = { 0 };
	enum campo_status status;
	int64_t seq = 0;

	if (a->npos != 2 || !a->note) {
		fputs(usage, stderr);
		return 2;
	}
	status = campo_hub_return(hub, a->pos[1], a->note,
				  a->supervisor ? a->supervisor : "", &seq,
				  &diag);
	if (status != CAMPO_OK) {
		fprintf(stderr, "campo-hub: %s\n",
			diag.msg[0] ? diag.msg : campo_status_str(status));
		return status == CAMPO_ERR_NOTFOUND ? 3 : 1;
	}
	printf("%s\treturned\tmessage %lld\n", a->pos[1], (long long)seq);
	return 0;
}

/* Reads the password: the first line of path, or of stdin when NULL. */
static int password_read(const char *path, char *pw, size_t size)
{
	FILE *f = path ? fopen(path, "r") : stdin;
	size_t len;

	if (!f) {
		fprintf(stderr, "campo-hub: cannot open '%s'\n", path);
		return -1;
	}
	if (!path && isatty(STDIN_FILENO)) {
		fputs("password: ", stderr);
	}
	if (!fgets(pw, (int)size, f)) {
		pw[0] = '\0';
	}
	if (path) {
		fclose(f);
	}
	len = strcspn(pw, "\r\n");
	if (pw[len] == '\0' && len + 1 == size) {
		fprintf(stderr, "campo-hub: password longer than %d bytes\n",
			HUB_PASSWORD_MAX);
		return -1;
	}
	pw[len] = '\0';
	if (len < 8) {
		fprintf(stderr, "campo-hub: a password needs 8 or more "
				"bytes\n");
		return -1;
	}
	return 0;
}

static int supervisor_cmd(struct campo_hub *hub, const struct args *a)
{
	struct campo_diag diag = { 0 };
	struct campo_hub_password pw;
	char text[HUB_PASSWORD_MAX + 2];
	enum campo_status status;
	bool replace;

	if (a->npos != 3 ||
	    (strcmp(a->pos[1], "add") && strcmp(a->pos[1], "passwd"))) {
		fputs(usage, stderr);
		return 2;
	}
	replace = !strcmp(a->pos[1], "passwd");
	if (password_read(a->password_file, text, sizeof(text))) {
		return 1;
	}
	status = hub_password_new(text, strlen(text), HUB_PASSWORD_ITERATIONS,
				  &pw);
	memset(text, 0, sizeof(text));
	if (status == CAMPO_OK) {
		status = campo_hub_supervisor_set(hub, a->pos[2], &pw, replace,
						  &diag);
	}
	if (status != CAMPO_OK) {
		fprintf(stderr, "campo-hub: %s\n",
			diag.msg[0] ? diag.msg : campo_status_str(status));
		return 1;
	}
	return 0;
}

static int import_cmd(struct campo_hub *hub, const struct hub_forms *forms,
		      const struct args *a)
{
	int i, rc = 0;

	if (a->npos < 2) {
		fputs(usage, stderr);
		return 2;
	}
	for (i = 1; i < a->npos; i++) {
		struct hub_result res;
		size_t len = 0;
		char *body = NULL;
		enum campo_status status;

		status = campo_file_read(a->pos[i], CAMPO_WIRE_COMPRESSED_MAX,
					 &body, &len, NULL);
		if (status != CAMPO_OK) {
			fprintf(stderr, "campo-hub: %s: cannot read: %s\n",
				a->pos[i], campo_status_str(status));
			rc = 1;
			continue;
		}
		hub_ingest(hub, forms, "import", NULL, body, len, &res);
		printf("%s: %d %s\n", a->pos[i], res.http,
		       res.body ? res.body : "");
		if (res.http != 200 && res.http != 201) {
			rc = 1;
		}
		hub_result_release(&res);
		free(body);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct campo_diag diag = { 0 };
	struct hub_forms forms = { 0 };
	struct campo_hub *hub = NULL;
	struct args a;
	int rc;

	if (parse(argc, argv, &a) || a.npos < 1) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(a.pos[0], "serve") && strcmp(a.pos[0], "device") &&
	    strcmp(a.pos[0], "import") && strcmp(a.pos[0], "report") &&
	    strcmp(a.pos[0], "targets") && strcmp(a.pos[0], "supervisor") &&
	    strcmp(a.pos[0], "export") && strcmp(a.pos[0], "return")) {
		fputs(usage, stderr);
		return 2;
	}
	if (a.forms && hub_forms_load(&forms, a.forms, &diag) != CAMPO_OK) {
		fprintf(stderr, "campo-hub: %s\n", diag.msg);
		return 1;
	}
	if (campo_hub_open(a.db, true, &hub, &diag) != CAMPO_OK) {
		fprintf(stderr, "campo-hub: %s\n", diag.msg);
		hub_forms_release(&forms);
		return 1;
	}
	if (!strcmp(a.pos[0], "serve")) {
		if (!a.listen || a.npos != 1) {
			fputs(usage, stderr);
			rc = 2;
		} else {
			struct hub_report_options o = {
				.area_field = a.area_field,
				.visit_field = a.visit_field,
			};

			rc = hub_serve(hub, a.forms ? &forms : NULL, a.listen,
				       &o);
		}
	} else if (!strcmp(a.pos[0], "device")) {
		rc = device_cmd(hub, &a);
	} else if (!strcmp(a.pos[0], "report")) {
		rc = report_cmd(hub, &a);
	} else if (!strcmp(a.pos[0], "targets")) {
		rc = targets_cmd(hub, &a);
	} else if (!strcmp(a.pos[0], "supervisor")) {
		rc = supervisor_cmd(hub, &a);
	} else if (!strcmp(a.pos[0], "export")) {
		rc = export_cmd(hub, &a);
	} else if (!strcmp(a.pos[0], "return")) {
		rc = return_cmd(hub, &a);
	} else {
		rc = import_cmd(hub, a.forms ? &forms : NULL, &a);
	}
	campo_hub_close(hub);
	hub_forms_release(&forms);
	return rc;
}
