/* SPDX-License-Identifier: MIT */
/* campo-syncd's parts: configuration, backoff, batcher, upload, the pass. */
#ifndef CAMPO_SYNCD_SYNCD_H
#define CAMPO_SYNCD_SYNCD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/status.h"
#include "util/uuid.h"
#include "wire/wire.h"

/*
 * campo-syncd moves the device's outbox to the hub (docs/syncd.md):
 *
 *   config.c   defaults < the configuration file < CAMPO_TOKEN < flags
 *   backoff.c  exponential backoff with full jitter, capped
 *   batcher.c  outbox entries -> a batch id (kept across retries) -> gzip
 *   upload.c   one PUT per batch, a GET for messages (the only file that
 *              includes curl/curl.h)
 *   sync.c     a pass: send every batch, check each acknowledgement, mark
 *              sent, log each attempt, keep the history in the store
 *   messages.c after the uploads, the hub's messages to this device (an
 *              interview returned for correction), applied in order
 *   daemon.c   the loop: passes, backoff, waking on SIGUSR1 and on a new
 *              outbox entry
 */

/* ----- configuration (config.c) ----- */

#define SYNCD_TOKEN_MAX 256 /* bytes of a device token */

struct syncd_config {
	char *hub;	  /* base URL ("https://office.example/campo"); owned */
	char *token_file; /* owned; NULL: CAMPO_TOKEN */
	char *db;	  /* owned; never NULL after syncd_config_finish() */
	char *ca_file;	  /* owned; NULL: the system's CA store */
	char *usb_dir;	  /* owned; NULL: upload */
	size_t batch_interviews; /* cap on interviews per batch */
	size_t batch_bytes;	 /* cap on gzip bytes per batch */
	long connect_timeout_s;
	long low_speed_limit;	 /* bytes/s; slower than this ... */
	long low_speed_time_s;	 /* ... for this long aborts the transfer */
	long timeout_s;		 /* a whole request; 0: none */
	uint64_t backoff_min_ms; /* the first retry waits up to this */
	uint64_t backoff_max_ms; /* no wait is longer */
	uint64_t poll_ms;	 /* how often the database is looked at */
	uint64_t idle_ms;	 /* a pass at least this often */
	size_t history;		 /* attempts kept in the store */
	char token[SYNCD_TOKEN_MAX + 1]; /* after syncd_config_finish() */
};

/* Fills cfg with the defaults (no hub, no token, no database yet). */
void syncd_config_init(struct syncd_config *cfg);

/* Frees what cfg owns and wipes the token. NULL is fine. */
void syncd_config_release(struct syncd_config *cfg);

/*
 * Sets key to value (both NUL-terminated) as the configuration file or a
 * flag would: "hub", "token_file", "db", "ca_file", "usb", the numbers
 * above by their field names ("batch_interviews", "backoff_max_ms", ...).
 * Numbers are decimal, in range, nothing after them. CAMPO_ERR_INVALID
 * for an unknown key or a bad value (and for "token": a token is never
 * configuration), with a message.
 */
enum campo_status syncd_config_set(struct syncd_config *cfg, const char *key,
				   const char *value, struct campo_diag *diag);

/*
 * Reads the configuration file at path: `key = value` lines, `#` comments
 * and blank lines, spaces around key and value ignored, at most 64 KiB. A
 * key twice is an error, as is any error of syncd_config_set(); diag names
 * the file and the line. missing_ok: a missing file is CAMPO_OK.
 */
enum campo_status syncd_config_load(struct syncd_config *cfg, const char *path,
				    bool missing_ok, struct campo_diag *diag);

/*
 * The default configuration file ($XDG_CONFIG_HOME/campo/syncd.conf, else
 * ~/.config/campo/syncd.conf) and database ($XDG_DATA_HOME/campo/
 * collector.db, else ~/.local/share/campo/collector.db), into buf of size
 * n. Returns buf, or NULL when neither variable nor HOME is set.
 */
char *syncd_config_default_path(char *buf, size_t n);
char *syncd_db_default_path(char *buf, size_t n);

/*
 * Completes cfg after the file and the flags: a default database, and
 * (need_hub) a hub URL that is https, or http to a loopback address only,
 * and a token read from token_file (first line) or else env_token (the
 * value of CAMPO_TOKEN, may be NULL). A token is 1 to SYNCD_TOKEN_MAX
 * printable ASCII characters without spaces.
 */
enum campo_status syncd_config_finish(struct syncd_config *cfg, bool need_hub,
				      const char *env_token,
				      struct campo_diag *diag);

/* ----- backoff (backoff.c) ----- */

/*
 * The wait before retry number attempt (1 for the first retry): a uniform
 * random number in [0, min(max_ms, min_ms * 2^(attempt - 1))] ("full
 * jitter"), from r, a uniform 64-bit random number.
 */
uint64_t syncd_backoff_ms(uint64_t min_ms, uint64_t max_ms, unsigned attempt,
			  uint64_t r);

/* ----- batches (batcher.c) ----- */

/* One batch ready to send. */
struct syncd_batch {
	char batch_id[CAMPO_UUID_LEN + 1];
	bool resent;   /* assigned by an earlier pass */
	int64_t *seqs; /* outbox entries; owned */
	char **ids;    /* their instance ids; owned */
	size_t n;
	struct campo_buf gz; /* the encoded batch */
};

/* Frees what b holds and zeroes it. NULL is fine. */
void syncd_batch_release(struct syncd_batch *b);

/*
 * Batch ids a pass has dealt with: the batcher skips their entries. A
 * plain growable list; release with syncd_skip_release().
 */
struct syncd_skip {
	char (*ids)[CAMPO_UUID_LEN + 1];
	size_t n, cap;
};

enum campo_status syncd_skip_add(struct syncd_skip *skip, const char *id);
bool syncd_skip_has(const struct syncd_skip *skip, const char *id);
void syncd_skip_release(struct syncd_skip *skip);

/*
 * Makes the next batch into *b (caller releases with
 * syncd_batch_release()), skipping entries of batches in skip:
 *   - the oldest pending entry already in a batch: that batch again, with
 *     the same id and the same interviews (rebuilt, encoded within
 *     CAMPO_WIRE_COMPRESSED_MAX);
 *   - otherwise up to max_interviews entries not in a batch, fewer while
 *     their gzip passes max_bytes (one interview always goes, within
 *     CAMPO_WIRE_COMPRESSED_MAX), put into a new batch id, committed with
 *     campo_store_outbox_assign() before this returns.
 * CAMPO_ERR_NOTFOUND when nothing is waiting outside skip.
 */
enum campo_status syncd_batch_next(struct campo_store *store,
				   const struct syncd_skip *skip,
				   size_t max_interviews, size_t max_bytes,
				   struct syncd_batch *b,
				   struct campo_diag *diag);

/* What waits in the outbox: entries, and of those, already in a batch. */
struct syncd_waiting {
	size_t entries;
	size_t assigned;
	int64_t max_seq; /* the newest entry, 0 when none */
};

enum campo_status syncd_waiting(struct campo_store *store,
				struct syncd_waiting *w,
				struct campo_diag *diag);

/* ----- upload (upload.c, the only libcurl user) ----- */

#define SYNCD_REPLY_MAX (64u << 10) /* bytes of a reply body we read */

struct syncd_http;

/* Once per process, before any thread: curl_global_init(). */
enum campo_status syncd_http_global_init(void);
void syncd_http_global_cleanup(void);

/*
 * A connection to the hub of cfg (borrowed: it must outlive the handle),
 * reused across requests. stop (may be NULL) aborts a transfer when it
 * becomes non-zero. Caller frees with syncd_http_free().
 */
enum campo_status syncd_http_new(const struct syncd_config *cfg,
				 volatile sig_atomic_t *stop,
				 struct syncd_http **out,
				 struct campo_diag *diag);
void syncd_http_free(struct syncd_http *h);

struct syncd_reply {
	long http;	       /* 0: no HTTP status was received */
	double ms;	       /* the request's duration */
	struct campo_buf body; /* at most SYNCD_REPLY_MAX bytes */
};

/* Readies r for a reply of at most SYNCD_REPLY_MAX (or max) bytes. */
void syncd_reply_init(struct syncd_reply *r);
void syncd_reply_init_max(struct syncd_reply *r, size_t max);
void syncd_reply_release(struct syncd_reply *r);

/*
 * PUTs len bytes of body to <hub>/api/v1/batches/<batch_id> with the
 * token, TLS verified, no redirects followed, within the timeouts. Returns
 * CAMPO_OK when an HTTP reply came (whatever its status), CAMPO_ERR_NET
 * (diag: curl's reason) when none did or it was cut, CAMPO_ERR_LIMIT when
 * its body passed SYNCD_REPLY_MAX. r->ms is set in every case.
 */
enum campo_status syncd_http_put(struct syncd_http *h, const char *batch_id,
				 const void *body, size_t len,
				 struct syncd_reply *r,
				 struct campo_diag *diag);

/*
 * GETs <hub>/api/v1/messages?after=<after> with the token (the same
 * rules as syncd_http_put()), reading at most r's cap of reply body
 * (syncd_reply_init_max(r, CAMPO_WIRE_MESSAGES_BYTES)). Returns as
 * syncd_http_put().
 */
enum campo_status syncd_http_get_messages(struct syncd_http *h, int64_t after,
					  struct syncd_reply *r,
					  struct campo_diag *diag);

/* True the first time it is called on h, false after: the hub's 404 for
 * messages (a hub older than messages) is logged once per process. */
bool syncd_http_old_hub_first(struct syncd_http *h);

/* ----- the pass (sync.c) ----- */

/* The setting where campo-syncd keeps its recent attempts, one log line
 * each, oldest first, newline-separated (beside
 * CAMPO_STORE_SETTING_LAST_SYNC, which it writes after a pass that left
 * nothing unacknowledged). */
#define SYNCD_SETTING_HISTORY "sync.history"

enum syncd_outcome {
	SYNCD_DONE,    /* everything that was waiting is acknowledged */
	SYNCD_NOTHING, /* nothing was waiting */
	SYNCD_RETRY,   /* the network or the hub failed: back off */
	SYNCD_REFUSED, /* the hub refused a batch (4xx): back off too */
	SYNCD_STOPPED, /* stop was set */
	SYNCD_FAILED,  /* the database failed */
};

/*
 * Verifies that ack (len bytes) parses, names batch b and lists each of
 * b's interviews exactly once across new, duplicate and conflict, and
 * nothing else. On success *n_new, *n_dup, *n_conflict (may be NULL) get
 * the list sizes. CAMPO_ERR_PARSE (not an acknowledgement: a captive
 * portal) or CAMPO_ERR_INVALID (another batch, missing or extra ids).
 */
enum campo_status syncd_ack_check(const struct syncd_batch *b, const char *ack,
				  size_t len, size_t *n_new, size_t *n_dup,
				  size_t *n_conflict, struct campo_diag *diag);

/*
 * One pass over the outbox: every batch that is waiting is sent (or, with
 * cfg->usb_dir, written as <batch_id>.campo-batch: write, fsync, rename;
 * left queued), until one fails with a network or hub error. http may be
 * NULL with usb_dir. Logs one line per attempt to log and keeps the last
 * cfg->history lines in the store. Then, unless the network or the hub
 * failed (or usb_dir), the hub's messages (syncd_messages_fetch()): their
 * failure makes the pass SYNCD_RETRY (SYNCD_FAILED for the database).
 * Returns what happened.
 */
enum syncd_outcome syncd_pass(struct campo_store *store,
			      const struct syncd_config *cfg,
			      struct syncd_http *http,
			      volatile sig_atomic_t *stop, FILE *log);

/*
 * Appends s to line with control characters and quotes made harmless and
 * at most max bytes of it, so text from the hub stays one log line.
 */
void syncd_log_clean(struct campo_buf *line, const char *s, size_t max);

/* Writes line (when not empty) to log (may be NULL); keep: also as the
 * newest of the store's recent attempts (SYNCD_SETTING_HISTORY). */
void syncd_log_line(struct campo_store *store, const struct syncd_config *cfg,
		    FILE *log, const struct campo_buf *line, bool keep);

/* ----- messages from the hub (messages.c) ----- */

enum syncd_messages_result {
	SYNCD_MESSAGES_OK,	/* fetched and applied (maybe none) */
	SYNCD_MESSAGES_OLD_HUB, /* 404: a hub without messages; not an error */
	SYNCD_MESSAGES_RETRY,	/* network, hub error, a bad reply: later */
	SYNCD_MESSAGES_FAILED,	/* the database failed */
};

/*
 * Fetches the hub's messages after the store's CAMPO_STORE_SETTING_
 * MESSAGES_SEQ (docs/wire-format.md, "Messages to a device"), page after
 * page (CAMPO_WIRE_MESSAGES_MAX each), and applies each in seq order: a
 * return calls campo_store_interview_return() (an unknown or draft
 * interview is skipped and counted), other types are skipped. The highest
 * seq is stored after its messages are applied, never before, so a crash
 * re-applies (idempotently). A reply that breaks the format or a cap
 * applies nothing. One log line per request; lines that returned an
 * interview or failed are kept in the history too.
 */
enum syncd_messages_result syncd_messages_fetch(struct campo_store *store,
						const struct syncd_config *cfg,
						struct syncd_http *http,
						volatile sig_atomic_t *stop,
						FILE *log);

/* Writes the wall clock as "2026-11-25T09:00:01.000Z" (UTC) into out. */
void syncd_now_iso(char out[CAMPO_WIRE_TIME_LEN + 1]);

/* Prints what waits, the last attempt, the last success and the recent
 * history to out. */
enum campo_status syncd_status_print(struct campo_store *store, FILE *out,
				     struct campo_diag *diag);

/* ----- the daemon (daemon.c) ----- */

/*
 * Runs passes until SIGTERM or SIGINT (once: a single pass). Between
 * passes it sleeps cfg->idle_ms, or after a failure a backoff; it wakes
 * at once on SIGUSR1 and when a new outbox entry appears. Returns the
 * exit status: 0, or with once 1 when anything is left unacknowledged.
 */
int syncd_run(const struct syncd_config *cfg, bool once);

#endif
