/* SPDX-License-Identifier: MIT */
/* campo-hub's parts: forms it accepts, batch ingest, tokens, the server. */
#ifndef CAMPO_HUB_HUB_H
#define CAMPO_HUB_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/hub.h"
#include "util/buf.h"
#include "util/diag.h"
#include "wire/wire.h"

/* The (form id, version) pairs the hub accepts data for. */
struct hub_forms {
	char **ids;
	char **versions;
	size_t n;
};

/* Loads every *.json form in dir (NULL: accept any form). */
enum campo_status hub_forms_load(struct hub_forms *forms, const char *dir,
				 struct campo_diag *diag);
void hub_forms_release(struct hub_forms *forms);

/* What ingest decided, mapped to an HTTP status by the server. */
struct hub_result {
	int http;   /* 200, 201, 400, 409, 413, 422, 500 */
	char *body; /* JSON: the acknowledgement or an error; malloc'd */
	size_t n;   /* interviews in the batch */
};

/*
 * Decodes len bytes of a gzip batch from device (the token's device name,
 * or "import"), checks path_id (may be NULL) against its id and its forms
 * against forms, and merges it. Never fails: *res says what happened.
 */
void hub_ingest(struct campo_hub *hub, const struct hub_forms *forms,
		const char *device, const char *path_id, const void *body,
		size_t len, struct hub_result *res);

void hub_result_release(struct hub_result *res);

/* Token as 64 lowercase hex digits of 32 random bytes; hash its bytes. */
enum campo_status hub_token_new(char token[65],
				uint8_t hash[CAMPO_HUB_TOKEN_HASH_LEN]);
bool hub_token_hash(const char *token, size_t len,
		    uint8_t hash[CAMPO_HUB_TOKEN_HASH_LEN]);

/* ----- report (report-cmd.c) ----- */

enum hub_format { HUB_FORMAT_TABLE, HUB_FORMAT_CSV, HUB_FORMAT_JSON };

struct hub_report_options {
	enum hub_format format;
	const char *area_field;	 /* NULL: sector */
	const char *visit_field; /* NULL: visit_result */
};

/* Appends the completion report in opt->format to out. */
enum campo_status hub_report_render(struct campo_hub *hub,
				    const struct hub_report_options *opt,
				    struct campo_buf *out,
				    struct campo_diag *diag);

/* campo-hub report: prints it on stdout; returns an exit status. */
int hub_report_cmd(struct campo_hub *hub, const struct hub_report_options *opt);

/* campo-hub targets import FILE: replaces the targets; exit status. */
int hub_targets_import(struct campo_hub *hub, const char *path);

/* Runs the HTTP server on listen ("IPv4:PORT" or "[IPv6]:PORT"; port 0
 * picks a free one) until SIGINT/SIGTERM; prints the bound address in the
 * same form on stdout first. Returns an exit status. */
int hub_serve(struct campo_hub *hub, const struct hub_forms *forms,
	      const char *listen);

#endif
