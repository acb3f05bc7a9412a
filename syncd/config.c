/* SPDX-License-Identifier: MIT */
/* campo-syncd's configuration: defaults, the key = value file, the token. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "syncd.h"
#include "util/alloc.h"
#include "util/file.h"

#define CONFIG_FILE_MAX (64u << 10)

/* A numeric setting: its name, where it lives, its range. */
struct num_key {
	const char *name;
	size_t off;
	int kind; /* 's' size_t, 'l' long, 'u' uint64_t */
	uint64_t min, max;
};

#define NUM(field, k, lo, hi)                                                \
	{                                                                    \
		.name = #field, .off = offsetof(struct syncd_config, field), \
		.kind = (k), .min = (lo), .max = (hi)                        \
	}

static const struct num_key num_keys[] = {
	NUM(batch_interviews, 's', 1, CAMPO_WIRE_RECORDS_MAX),
	NUM(batch_bytes, 's', 1024, CAMPO_WIRE_COMPRESSED_MAX),
	NUM(connect_timeout_s, 'l', 1, 3600),
	NUM(low_speed_limit, 'l', 1, 1u << 30),
	NUM(low_speed_time_s, 'l', 1, 3600),
	NUM(timeout_s, 'l', 0, 86400),
	NUM(backoff_min_ms, 'u', 1, 86400000),
	NUM(backoff_max_ms, 'u', 1, 7 * 86400000ull),
	NUM(poll_ms, 'u', 10, 3600000),
	NUM(idle_ms, 'u', 10, 86400000),
	NUM(history, 's', 1, 1000),
};

/* A string setting and where it lives. */
static const struct {
	const char *name;
	size_t off;
} str_keys[] = {
	{ "hub", offsetof(struct syncd_config, hub) },
	{ "token_file", offsetof(struct syncd_config, token_file) },
	{ "db", offsetof(struct syncd_config, db) },
	{ "ca_file", offsetof(struct syncd_config, ca_file) },
	{ "usb", offsetof(struct syncd_config, usb_dir) },
};

void syncd_config_init(struct syncd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	/* a batch of 100 census interviews is about 40 KB of gzip
	 * (FIELD-NOTES.md): 100 per batch fits a slow link */
	cfg->batch_interviews = 100;
	cfg->batch_bytes = 512u << 10;
	cfg->connect_timeout_s = 20;
	/* 2G moves a few hundred bytes a second; below 100 B/s for a
	 * minute the link is gone */
	cfg->low_speed_limit = 100;
	cfg->low_speed_time_s = 60;
	cfg->timeout_s = 900;
	cfg->backoff_min_ms = 2000;
	cfg->backoff_max_ms = 15 * 60 * 1000;
	cfg->poll_ms = 1000;
	cfg->idle_ms = 10 * 60 * 1000;
	cfg->history = 20;
}

void syncd_config_release(struct syncd_config *cfg)
{
	size_t i;

	if (!cfg) {
		return;
	}
	for (i = 0; i < sizeof(str_keys) / sizeof(str_keys[0]); i++) {
		char **p = (char **)(void *)((char *)cfg + str_keys[i].off);

		free(*p);
		*p = NULL;
	}
	/* the token is a secret: do not leave it in freed memory */
	explicit_bzero(cfg->token, sizeof(cfg->token));
}

/* Parses decimal s into *v within [min, max]; nothing may follow. */
static bool parse_num(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9') {
		return false;
	}
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n < min || n > max) {
		return false;
	}
	*v = n;
	return true;
}

enum campo_status syncd_config_set(struct syncd_config *cfg, const char *key,
				   const char *value, struct campo_diag *diag)
{
	size_t i;

	if (!strcmp(key, "token")) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "a token is not configuration: use "
				      "token_file or CAMPO_TOKEN");
	}
	for (i = 0; i < sizeof(str_keys) / sizeof(str_keys[0]); i++) {
		char **p;

		if (strcmp(key, str_keys[i].name) != 0) {
			continue;
		}
		if (!*value) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "'%s' is empty", key);
		}
		p = (char **)(void *)((char *)cfg + str_keys[i].off);
		free(*p);
		*p = campo_strdup(value);
		return *p ? CAMPO_OK : CAMPO_ERR_NOMEM;
	}
	for (i = 0; i < sizeof(num_keys) / sizeof(num_keys[0]); i++) {
		const struct num_key *k = &num_keys[i];
		void *p = (char *)cfg + k->off;
		uint64_t v;

		if (strcmp(key, k->name) != 0) {
			continue;
		}
		if (!parse_num(value, k->min, k->max, &v)) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "'%s' must be a whole number "
					      "from %llu to %llu, not '%s'",
					      key, (unsigned long long)k->min,
					      (unsigned long long)k->max,
					      value);
		}
		if (k->kind == 's') {
			*(size_t *)p = (size_t)v;
		} else if (k->kind == 'l') {
			*(long *)p = (long)v;
		} else {
			*(uint64_t *)p = v;
		}
		return CAMPO_OK;
	}
	return campo_diag_set(diag, CAMPO_ERR_INVALID, "unknown setting '%s'",
			      key);
}

/* Trims spaces and tabs from both ends of [*s, *e). */
static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t')) {
		(*s)++;
	}
	while (*e > *s &&
	       ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r')) {
		(*e)--;
	}
}

/* Whether key appears in seen, a list of "\n"-separated keys; adds it. */
static bool seen_before(struct campo_buf *seen, const char *key, size_t len)
{
	const char *p = campo_buf_str(seen);

	while (*p) {
		const char *nl = strchr(p, '\n');

		if ((size_t)(nl - p) == len && !memcmp(p, key, len)) {
			return true;
		}
		p = nl + 1;
	}
	if (campo_buf_add(seen, key, len) == CAMPO_OK) {
		campo_buf_addc(seen, '\n');
	}
	return false;
}

enum campo_status syncd_config_load(struct syncd_config *cfg, const char *path,
				    bool missing_ok, struct campo_diag *diag)
{
	enum campo_status status;
	struct campo_buf seen;
	const char *p, *end;
	char *text = NULL;
	unsigned line = 0;
	size_t len = 0;
	struct stat st;

	if (missing_ok && stat(path, &st) < 0 && errno == ENOENT) {
		return CAMPO_OK;
	}
	status = campo_file_read(path, CONFIG_FILE_MAX, &text, &len, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (memchr(text, '\0', len)) {
		free(text);
		return campo_diag_set(diag, CAMPO_ERR_PARSE,
				      "a NUL byte in the file");
	}
	campo_buf_init(&seen, CONFIG_FILE_MAX);
	for (p = text, end = text + len; p < end && status == CAMPO_OK;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *ks = p, *ke, *vs, *ve;
		char key[64], *value;

		line++;
		p = nl ? nl + 1 : end;
		trim(&ks, &le);
		if (ks == le || *ks == '#') {
			continue;
		}
		ke = memchr(ks, '=', (size_t)(le - ks));
		if (!ke) {
			campo_diag_set(diag, CAMPO_ERR_PARSE,
				       "expected 'key = value'");
			status = CAMPO_ERR_PARSE;
			break;
		}
		vs = ke + 1;
		ve = le;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if (ks == ke || (size_t)(ke - ks) >= sizeof(key)) {
			status = campo_diag_set(diag, CAMPO_ERR_PARSE,
						"a key is missing or too long");
			break;
		}
		if (seen_before(&seen, ks, (size_t)(ke - ks))) {
			status = campo_diag_set(diag, CAMPO_ERR_INVALID,
						"'%.*s' is set twice",
						(int)(ke - ks), ks);
			break;
		}
		memcpy(key, ks, (size_t)(ke - ks));
		key[ke - ks] = '\0';
		value = campo_strndup(vs, (size_t)(ve - vs));
		if (!value) {
			status = CAMPO_ERR_NOMEM;
			break;
		}
		status = syncd_config_set(cfg, key, value, diag);
		free(value);
	}
	if (status != CAMPO_OK && diag) {
		campo_diag_set_file(diag, path);
		diag->line = line;
	}
	campo_buf_release(&seen);
	free(text);
	return status;
}

/* Writes "$var/tail" or else "$HOME/home_tail/tail" into buf. */
static char *xdg_path(char *buf, size_t n, const char *var,
		      const char *home_tail, const char *tail)
{
	const char *base = getenv(var), *home = getenv("HOME");
	int w;

	if (base && *base == '/') {
		w = snprintf(buf, n, "%s/%s", base, tail);
	} else if (home && *home) {
		w = snprintf(buf, n, "%s/%s/%s", home, home_tail, tail);
	} else {
		return NULL;
	}
	return w > 0 && (size_t)w < n ? buf : NULL;
}

char *syncd_config_default_path(char *buf, size_t n)
{
	return xdg_path(buf, n, "XDG_CONFIG_HOME", ".config",
			"campo/syncd.conf");
}

char *syncd_db_default_path(char *buf, size_t n)
{
	return xdg_path(buf, n, "XDG_DATA_HOME", ".local/share",
			"campo/collector.db");
}

/* Whether the URL's host (after "http://") is a loopback address. */
static bool loopback_host(const char *h)
{
	static const char *const names[] = { "localhost", "[::1]", "127." };
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (strncasecmp(h, names[i], n) != 0) {
			continue;
		}
		if (names[i][n - 1] == '.') {
			/* 127.x.y.z: digits and dots up to the port or path */
			h += n;
			while ((*h >= '0' && *h <= '9') || *h == '.') {
				h++;
			}
			return !*h || *h == ':' || *h == '/';
		}
		return !h[n] || h[n] == ':' || h[n] == '/';
	}
	return false;
}

static enum campo_status check_hub(const char *hub, struct campo_diag *diag)
{
	size_t i;

	for (i = 0; hub[i]; i++) {
		if ((unsigned char)hub[i] <= ' ' || hub[i] == 0x7f) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "hub URL '%s' has a space or a "
					      "control character",
					      hub);
		}
	}
	if (!strncasecmp(hub, "https://", 8) && hub[8]) {
		return CAMPO_OK;
	}
	if (!strncasecmp(hub, "http://", 7) && loopback_host(hub + 7)) {
		return CAMPO_OK;
	}
	/* plain http would show the device token to anyone on the path */
	return campo_diag_set(diag, CAMPO_ERR_INVALID,
			      "hub URL '%s' must be https:// (http:// only to "
			      "a loopback address)",
			      hub);
}

/* Checks t as a token: printable ASCII, no spaces, 1 to the cap. */
static enum campo_status check_token(const char *t, size_t len,
				     const char *from, struct campo_diag *diag)
{
	size_t i;

	if (len == 0 || len > SYNCD_TOKEN_MAX) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "the token from %s is empty or longer "
				      "than %d bytes",
				      from, SYNCD_TOKEN_MAX);
	}
	for (i = 0; i < len; i++) {
		if (t[i] <= ' ' || t[i] > '~') {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "the token from %s has a space "
					      "or a character that is not "
					      "printable ASCII",
					      from);
		}
	}
	return CAMPO_OK;
}

static enum campo_status read_token(struct syncd_config *cfg,
				    struct campo_diag *diag)
{
	enum campo_status status;
	char *text = NULL;
	size_t len = 0, n;

	status = campo_file_read(cfg->token_file, 4096, &text, &len, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	/* the first line; a trailing newline is how editors save files */
	n = strcspn(text, "\r\n");
	status = check_token(text, n, cfg->token_file, diag);
	if (status == CAMPO_OK) {
		memcpy(cfg->token, text, n);
		cfg->token[n] = '\0';
	}
	explicit_bzero(text, len);
	free(text);
	return status;
}

enum campo_status syncd_config_finish(struct syncd_config *cfg, bool need_hub,
				      const char *env_token,
				      struct campo_diag *diag)
{
	enum campo_status status;
	char path[4096];
	size_t n;

	if (!cfg->db) {
		if (!syncd_db_default_path(path, sizeof(path))) {
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "no database: give --db PATH "
					      "(HOME is not set)");
		}
		cfg->db = campo_strdup(path);
		if (!cfg->db) {
			return CAMPO_ERR_NOMEM;
		}
	}
	if (cfg->backoff_max_ms < cfg->backoff_min_ms) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "backoff_max_ms is less than "
				      "backoff_min_ms");
	}
	if (!need_hub) {
		return CAMPO_OK;
	}
	if (!cfg->hub) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "no hub: give --hub URL or 'hub = URL' "
				      "in the configuration file");
	}
	status = check_hub(cfg->hub, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	/* "https://office/campo/" and "https://office/campo" are one hub */
	n = strlen(cfg->hub);
	while (n > 0 && cfg->hub[n - 1] == '/') {
		cfg->hub[--n] = '\0';
	}
	if (cfg->token_file) {
		return read_token(cfg, diag);
	}
	if (env_token) {
		n = strlen(env_token);
		status = check_token(env_token, n, "CAMPO_TOKEN", diag);
		if (status == CAMPO_OK) {
			memcpy(cfg->token, env_token, n + 1);
		}
		return status;
	}
	return campo_diag_set(diag, CAMPO_ERR_INVALID,
			      "no token: give --token-file FILE, "
			      "'token_file = FILE' or CAMPO_TOKEN");
}
