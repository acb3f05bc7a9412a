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

struct hub_export_options {
	enum hub_format format; /* CSV or JSON (lines) */
	const char *out;	/* the folder, made when missing */
	const char *forms;	/* a forms folder, for CSV and the codebook */
	const char *labels;	/* NULL: choice codes */
	bool bom, all_revisions, codebook;
};

/* campo-hub export: writes the files; returns an exit status. */
int hub_export_cmd(struct campo_hub *hub, const struct hub_export_options *o);

/* campo-hub targets import FILE: replaces the targets; exit status. */
int hub_targets_import(struct campo_hub *hub, const char *path);

/* ----- supervisors (auth.c) ----- */

/* PBKDF2-HMAC-SHA256 iterations for a new password: about 0.1 s here. */
#define HUB_PASSWORD_ITERATIONS 200000u
#define HUB_PASSWORD_MAX 1024 /* bytes of a password */
#define HUB_SESSION_SECONDS (12 * 3600)

/* PBKDF2 (RFC 8018) with HMAC-SHA256, one 32-byte block, into out. */
void hub_pbkdf2_sha256(const void *password, size_t len, const uint8_t *salt,
		       size_t salt_len, uint32_t iterations,
		       uint8_t out[CAMPO_HUB_KEY_LEN]);

/* Fills *pw for password (len bytes): a random salt, the derived key. */
enum campo_status hub_password_new(const char *password, size_t len,
				   uint32_t iterations,
				   struct campo_hub_password *pw);

/* Whether password derives pw's key (compared in constant time). */
bool hub_password_check(const struct campo_hub_password *pw,
			const char *password, size_t len);

/* CAMPO_OK when name's password is password; CAMPO_ERR_NOTFOUND for an
 * unknown name or a wrong password (both cost one derivation). */
enum campo_status hub_supervisor_verify(struct campo_hub *hub, const char *name,
					const char *password, size_t len);

/* Starts a session for name valid HUB_SESSION_SECONDS from now (Unix
 * seconds); token gets its 64 hex digits for the cookie. */
enum campo_status hub_session_new(struct campo_hub *hub, const char *name,
				  int64_t now, char token[65]);

/* Finds the session of a Cookie header value (may be NULL): name gets
 * its supervisor and hash the token's hash (to end it).
 * CAMPO_ERR_NOTFOUND when there is none or it expired. */
enum campo_status hub_session_check(struct campo_hub *hub, const char *cookie,
				    int64_t now,
				    char name[CAMPO_HUB_NAME_MAX + 1],
				    uint8_t hash[CAMPO_HUB_KEY_LEN]);

/* The form token of the session whose token hashes to session: 64 hex
 * digits of SHA-256("campo-hub csrf/1" || session). Only the session's
 * cookie (HttpOnly, never readable by a page) leads to it, so a form
 * posted from another site cannot carry it. */
void hub_csrf_token(const uint8_t session[CAMPO_HUB_KEY_LEN], char out[65]);

/* Whether token is session's form token (compared in constant time). */
bool hub_csrf_check(const uint8_t session[CAMPO_HUB_KEY_LEN],
		    const char *token);

/* Reads an Authorization header value "Basic base64(name:password)"
 * into name and password (NUL-terminated, sizes in bytes). False for
 * anything else, a NUL inside, or a part that does not fit. */
bool hub_basic_parse(const char *header, char *name, size_t name_size,
		     char *password, size_t password_size);

/* Reads field key of an application/x-www-form-urlencoded body (len
 * bytes) into out (size bytes), decoded. False when absent, badly
 * escaped, holding a NUL, or too long. */
bool hub_form_field(const char *body, size_t len, const char *key, char *out,
		    size_t size);

/* ----- the supervisor's page (dashboard.c) ----- */

#define HUB_RECENT_MAX 50 /* interviews the page lists to return */

/* Appends the dashboard for supervisor (borrowed) as an HTML document.
 * csrf: the session's form token, which adds a Return form to each
 * recent interview; NULL (signed in with HTTP Basic) for none. */
enum campo_status hub_dashboard_html(struct campo_hub *hub,
				     const struct hub_report_options *opt,
				     const char *supervisor, const char *csrf,
				     struct campo_buf *out,
				     struct campo_diag *diag);

/* Appends the sign-in page, with message (NULL for none; escaped). */
enum campo_status hub_signin_html(const char *message, struct campo_buf *out);

/* Appends s with & < > " ' escaped for HTML text and attributes. */
enum campo_status hub_html_escape(struct campo_buf *out, const char *s);

/* ----- messages to devices (messages.c) ----- */

#define HUB_MESSAGES_MAX 100		/* messages in one reply */
#define HUB_SEQ_MAX 9007199254740991ull /* 2^53 - 1 */

/* Reads the after= argument (NULL: 0): decimal digits, at most
 * HUB_SEQ_MAX. False for anything else. */
bool hub_messages_after(const char *s, int64_t *after);

/* Appends device's messages with seq > after (at most HUB_MESSAGES_MAX,
 * ascending) as a campo-messages/1 reply (docs/wire-format.md). */
enum campo_status hub_messages_json(struct campo_hub *hub, const char *device,
				    int64_t after, struct campo_buf *out,
				    struct campo_diag *diag);

/* Runs the HTTP server on listen ("IPv4:PORT" or "[IPv6]:PORT"; port 0
 * picks a free one) until SIGINT/SIGTERM; prints the bound address in the
 * same form on stdout first. report (may be NULL: the defaults) sets what
 * the page and /api/v1/report count by. Returns an exit status. */
int hub_serve(struct campo_hub *hub, const struct hub_forms *forms,
	      const char *listen, const struct hub_report_options *report);

#endif
