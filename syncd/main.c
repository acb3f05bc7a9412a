/* SPDX-License-Identifier: MIT */
/* campo-syncd: arguments and configuration, then a pass, the daemon or
 * the status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syncd.h"

static const char usage[] =
	"usage: campo-syncd [--config FILE] [--hub URL] [--token-file FILE]\n"
	"                   [--db PATH] [--ca-file FILE] [--once]\n"
	"       campo-syncd --usb DIR [--config FILE] [--db PATH]\n"
	"       campo-syncd status [--config FILE] [--db PATH]\n"
	"The token comes from --token-file, CAMPO_TOKEN or 'token_file =' in\n"
	"the configuration file (default ~/.config/campo/syncd.conf); never\n"
	"from the command line.\n";

/* A flag and the configuration key it sets. */
static const struct {
	const char *flag, *key;
} flags[] = {
	{ "--hub", "hub" }, { "--token-file", "token_file" },
	{ "--db", "db" },   { "--ca-file", "ca_file" },
	{ "--usb", "usb" },
};

struct args {
	const char *config;
	const char *set[sizeof(flags) / sizeof(flags[0])];
	bool once, status, help, version;
};

static int parse(int argc, char **argv, struct args *a)
{
	size_t k;
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--token") || !strncmp(arg, "--token=", 8)) {
			/* a token in argv is in ps output and shell history */
			fprintf(stderr, "campo-syncd: refusing a token on the "
					"command line: use --token-file FILE "
					"or CAMPO_TOKEN\n");
			return -1;
		}
		if (!strcmp(arg, "--once")) {
			a->once = true;
			continue;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			a->help = true;
			continue;
		}
		if (!strcmp(arg, "--version")) {
			a->version = true;
			continue;
		}
		if (!strcmp(arg, "status") && !a->status) {
			a->status = true;
			continue;
		}
		for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
			if (!strcmp(arg, flags[k].flag)) {
				break;
			}
		}
		if (k == sizeof(flags) / sizeof(flags[0]) &&
		    strcmp(arg, "--config") != 0) {
			fprintf(stderr, "campo-syncd: unknown argument '%s'\n",
				arg);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "campo-syncd: %s needs a value\n", arg);
			return -1;
		}
		if (k == sizeof(flags) / sizeof(flags[0])) {
			a->config = argv[++i];
		} else {
			a->set[k] = argv[++i];
		}
	}
	return 0;
}

/* The configuration: defaults, the file, CAMPO_TOKEN, the flags. */
static int configure(const struct args *a, struct syncd_config *cfg)
{
	struct campo_diag diag = { 0 };
	const char *env_token = getenv("CAMPO_TOKEN");
	char path[4096], msg[CAMPO_DIAG_MSG + 400];
	enum campo_status status = CAMPO_OK;
	const char *file = a->config;
	size_t k;

	if (!file) {
		file = syncd_config_default_path(path, sizeof(path));
	}
	if (file) {
		status = syncd_config_load(cfg, file, !a->config, &diag);
	}
	if (status == CAMPO_OK && env_token && *env_token && !a->set[1]) {
		/* the environment overrides the file's token_file */
		free(cfg->token_file);
		cfg->token_file = NULL;
	}
	for (k = 0; status == CAMPO_OK && k < sizeof(flags) / sizeof(flags[0]);
	     k++) {
		if (a->set[k]) {
			status = syncd_config_set(cfg, flags[k].key, a->set[k],
						  &diag);
		}
	}
	if (status == CAMPO_OK) {
		status = syncd_config_finish(
			cfg, !a->status && !cfg->usb_dir,
			env_token && *env_token ? env_token : NULL, &diag);
	}
	if (status != CAMPO_OK) {
		fprintf(stderr, "campo-syncd: %s\n",
			campo_diag_format(&diag, msg, sizeof(msg)));
		return 1;
	}
	return 0;
}

static int status_cmd(const struct syncd_config *cfg)
{
	struct campo_diag diag = { 0 };
	struct campo_store *store = NULL;
	int rc = 0;

	if (campo_store_open(cfg->db,
			     CAMPO_STORE_READONLY | CAMPO_STORE_NOCREATE,
			     &store, &diag) != CAMPO_OK) {
		fprintf(stderr, "campo-syncd: cannot open '%s': %s\n", cfg->db,
			diag.msg);
		return 1;
	}
	printf("database: %s\n", cfg->db);
	if (syncd_status_print(store, stdout, &diag) != CAMPO_OK) {
		fprintf(stderr, "campo-syncd: %s\n", diag.msg);
		rc = 1;
	}
	campo_store_close(store);
	return rc;
}

int main(int argc, char **argv)
{
	struct syncd_config cfg;
	struct args a;
	int rc;

	if (parse(argc, argv, &a)) {
		fputs(usage, stderr);
		return 2;
	}
	if (a.help) {
		fputs(usage, stdout);
		return 0;
	}
	if (a.version) {
		printf("campo-syncd %s\n", CAMPO_VERSION);
		return 0;
	}
	syncd_config_init(&cfg);
	if (configure(&a, &cfg)) {
		syncd_config_release(&cfg);
		return 2;
	}
	if (a.status) {
		rc = status_cmd(&cfg);
	} else if (syncd_http_global_init() != CAMPO_OK) {
		fprintf(stderr, "campo-syncd: cannot start libcurl\n");
		rc = 1;
	} else {
		/* a USB export is always one pass */
		rc = syncd_run(&cfg, a.once || cfg.usb_dir);
		syncd_http_global_cleanup();
	}
	syncd_config_release(&cfg);
	return rc;
}
