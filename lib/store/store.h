/* SPDX-License-Identifier: MIT */
/* The collector's device database: interviews, answers, audit, outbox. */
#ifndef CAMPO_STORE_STORE_H
#define CAMPO_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/status.h"
#include "util/uuid.h"

/*
 * One SQLite file per device (WAL, synchronous=FULL, foreign keys on, a busy
 * timeout because campo-syncd shares it). Nothing here exposes SQLite: this
 * folder is the only code that includes sqlite3.h.
 *
 * Durability contract. Every function that changes the database runs ONE
 * transaction and has committed it (and SQLite has fsynced the WAL) before
 * it returns CAMPO_OK. When a write or fsync fails the function returns
 *   CAMPO_ERR_UNKNOWN  the change is not known to be saved: it may or may not
 *                      be on disk after a restart. Re-apply the same call.
 *   CAMPO_ERR_IO       the disk is full: nothing was saved.
 * Every change is idempotent under re-application of the same call (an
 * answer that already has the value writes nothing and adds no audit row),
 * so "re-apply" is always safe.
 *
 * Frozen interviews. Only a draft changes. Finalizing computes a content hash
 * and queues an outbox entry; from then on answers, repeats, audit and the
 * interview row are refused by the store and by SQL triggers, except the
 * status moves finalized -> sent -> returned (with their audit rows and a
 * returned interview's note). A returned interview is corrected through a
 * new revision (campo_store_interview_revise()).
 *
 * Keys. An answer is addressed by its question's path: the names of every
 * enclosing group and repeat, outermost first, then the question's name,
 * joined by '/', each repeat followed by the 1-based instance index in
 * brackets: "household/member[2]/age", "member[2]/trip[1]/country".
 * Names are [A-Za-z_][A-Za-z0-9_.-]*; indices are decimal without leading
 * zeros, 1 to 999999999; no spaces, no empty segments. See
 * campo_store_key_valid(). A store is used by one thread at a time.
 */
struct campo_store;

#define CAMPO_STORE_ID_LEN 41		 /* "uuid:" + 36, without the NUL */
#define CAMPO_STORE_TIME_LEN 24		 /* "2024-05-01T12:34:56.789Z" */
#define CAMPO_STORE_HASH_LEN 71		 /* "sha256:" + 64 hex */
#define CAMPO_STORE_KEY_MAX 512		 /* bytes of an answer key */
#define CAMPO_STORE_TEXT_MAX 256	 /* form id, names, language... */
#define CAMPO_STORE_VALUE_MAX 65536	 /* bytes of one answer */
#define CAMPO_STORE_NOTE_MAX 4096	 /* bytes of a supervisor's note */
#define CAMPO_STORE_MIN_FREE (20u << 20) /* default free-space floor */

/* Open flags. */
enum campo_store_flag {
	CAMPO_STORE_READONLY = 1u << 0, /* no writes, no migration */
	CAMPO_STORE_NOCREATE = 1u << 1, /* the file must exist */
};

/*
 * A clock for tests: fills the wall clock (ms since 1970, UTC) and a
 * monotonic clock (ms, any origin, never going back within one boot).
 * Returns 0, or -1 when a clock cannot be read.
 */
typedef int campo_store_clock_fn(void *ctx, int64_t *wall_ms, int64_t *mono_ms);

struct campo_store_options {
	unsigned flags;		     /* enum campo_store_flag bits */
	const char *vfs;	     /* SQLite VFS name; NULL: the default */
	int busy_timeout_ms;	     /* 0: 5000 */
	uint64_t min_free_bytes;     /* 0: CAMPO_STORE_MIN_FREE */
	campo_store_clock_fn *clock; /* NULL: the system clocks */
	void *clock_ctx;
	const char *boot_id; /* NULL: the kernel's boot id (for tests) */
};

/*
 * Opens (creating it and its missing parent folders unless flags say not)
 * the collector database at path (non-empty) and migrates its schema to the
 * current version, each migration one transaction. Refuses, with a message
 * in diag, a file written by a newer campo (CAMPO_ERR_INVALID), a SQLite file
 * that is not a collector database (CAMPO_ERR_INVALID), and a file missing
 * with CAMPO_STORE_NOCREATE (CAMPO_ERR_NOTFOUND). On success *out (caller
 * closes with campo_store_close()); on failure *out is NULL.
 */
enum campo_status campo_store_open(const char *path, unsigned flags,
				   struct campo_store **out,
				   struct campo_diag *diag);

/* campo_store_open() with every option; opts may be NULL (defaults). */
enum campo_status campo_store_open_opts(const char *path,
					const struct campo_store_options *opts,
					struct campo_store **out,
					struct campo_diag *diag);

/* Finalizes every statement and closes the file. NULL is fine. */
void campo_store_close(struct campo_store *store);

/* The schema version this build creates (PRAGMA user_version). */
int campo_store_schema_version(void);

/* ----- device identity and settings ----- */

/*
 * The device row, made once when the database is created. Strings are
 * borrowed from the store: valid until the next campo_store_device_set() or
 * campo_store_close(). Never NULL; "" when not set.
 */
struct campo_store_device {
	const char *device_id; /* UUID v4, generated once */
	const char *device_name;
	const char *enumerator_name;
	const char *enumerator_code;
};

/* The device identity (borrowed, see above). */
const struct campo_store_device *
campo_store_device(const struct campo_store *store);

/*
 * Changes the device name and the enumerator's name and code; a NULL
 * argument keeps the old value. Each at most CAMPO_STORE_TEXT_MAX bytes
 * (CAMPO_ERR_LIMIT) of UTF-8.
 */
enum campo_status campo_store_device_set(struct campo_store *store,
					 const char *device_name,
					 const char *enumerator_name,
					 const char *enumerator_code,
					 struct campo_diag *diag);

/*
 * Setting: when campo-syncd last finished a sync without error, ISO 8601
 * UTC ("2026-11-23T13:44:08.705Z"); written by campo-syncd, shown on the
 * collector's home screen ("never" while absent).
 */
#define CAMPO_STORE_SETTING_LAST_SYNC "sync.last_success"

/*
 * Setting: the highest seq of the hub's messages to this device that
 * campo-syncd has applied (docs/wire-format.md, "Messages to a device"),
 * decimal; absent means 0. Written only after the messages are applied.
 */
#define CAMPO_STORE_SETTING_MESSAGES_SEQ "sync.messages_seq"

/*
 * Reads setting key into *value (caller frees with free()).
 * CAMPO_ERR_NOTFOUND when it is not set (*value is NULL).
 */
enum campo_status campo_store_setting_get(struct campo_store *store,
					  const char *key, char **value,
					  struct campo_diag *diag);

/* Sets setting key to value; value NULL removes it. */
enum campo_status campo_store_setting_set(struct campo_store *store,
					  const char *key, const char *value,
					  struct campo_diag *diag);

/* ----- housekeeping ----- */

/*
 * Checks the free space of the database's folder (statvfs) against the
 * floor (CAMPO_STORE_MIN_FREE unless opened with another). Call it before
 * an interview starts and before finalize. Returns CAMPO_OK, or
 * CAMPO_ERR_LIMIT with a message naming the folder and both figures;
 * CAMPO_ERR_IO when the folder cannot be examined. *free_bytes (may be
 * NULL) gets the space available to this user.
 */
enum campo_status campo_store_space_check(struct campo_store *store,
					  uint64_t *free_bytes,
					  struct campo_diag *diag);

/*
 * Copies the WAL into the database and truncates it to zero bytes
 * (wal_checkpoint(TRUNCATE)); call after finalize and when idle. When
 * another connection (campo-syncd) keeps it from completing, returns
 * CAMPO_OK with *complete (may be NULL) false: try later.
 */
enum campo_status campo_store_checkpoint(struct campo_store *store,
					 bool *complete,
					 struct campo_diag *diag);

/*
 * Reads PRAGMA data_version into *version: a number that changes when
 * another connection (another process: the collector, campo-syncd) commits
 * to the database, and not when this one does. Cheap (no disk read in WAL
 * mode), so a daemon can poll it to wake when an interview is finalized.
 */
enum campo_status campo_store_data_version(struct campo_store *store,
					   uint64_t *version,
					   struct campo_diag *diag);

/* Runs PRAGMA integrity_check: CAMPO_OK, or CAMPO_ERR_DB with the first
 * problem in diag. */
enum campo_status campo_store_integrity_check(struct campo_store *store,
					      struct campo_diag *diag);

/* ----- keys and identifiers ----- */

enum campo_store_key_kind {
	CAMPO_STORE_KEY_ANSWER, /* last segment has no index: "member[2]/age" */
	CAMPO_STORE_KEY_INSTANCE, /* last segment has one: "member[2]" */
	CAMPO_STORE_KEY_ANY,	  /* either */
};

/* Whether key (len bytes) is a canonical key of that kind (see above). */
bool campo_store_key_valid(const char *key, size_t len,
			   enum campo_store_key_kind kind);

/* Writes a new instance id, "uuid:" + a UUID v4, and a NUL into out. */
enum campo_status campo_store_instance_id_new(char out[CAMPO_STORE_ID_LEN + 1]);

/* ----- interviews ----- */

enum campo_store_istatus {
	CAMPO_STORE_DRAFT,
	CAMPO_STORE_FINALIZED,
	CAMPO_STORE_SENT,
	CAMPO_STORE_RETURNED,
	CAMPO_STORE_DISCARDED,
};
#define CAMPO_STORE_NSTATUS 5

/* "draft", "finalized", ...; static storage; "?" when out of range. */
const char *campo_store_istatus_name(enum campo_store_istatus status);

/*
 * One interview's header. In a list callback the strings are borrowed for
 * the duration of the call; in a struct campo_store_interview they live as
 * long as it does. Strings are never NULL ("" when absent). Times are ISO
 * 8601 UTC wall clock; *_ms are monotonic milliseconds since the interview
 * started (started is 0 by definition), counting the time the device was up
 * (a reboot's gap is not counted), so a wrong or changed wall clock shows
 * as a mismatch instead of corrupting the order of events.
 */
struct campo_store_summary {
	const char *instance_id;
	const char *deprecated_id; /* the revision this one replaces, or "" */
	uint32_t revision;	   /* 1 for an original interview */
	const char *form_id;
	const char *form_version;
	const char *form_hash;
	const char *enumerator;
	const char *device_id;
	enum campo_store_istatus status;
	const char *instance_name;
	const char *language; /* the language last switched to, or "" */
	const char *position; /* key where the draft stopped, or "" */
	const char *started_at;
	const char *updated_at;
	int64_t updated_ms;
	const char *finalized_at; /* "" unless finalized */
	int64_t finalized_ms;	  /* -1 unless finalized */
	const char *content_hash; /* "" unless finalized */
	/* the supervisor's note when returned (may be ""), else "" */
	const char *return_note;
};

struct campo_store_new_interview {
	const char *instance_id;  /* from campo_store_instance_id_new() */
	const char *form_id;	  /* non-empty; form fields at most */
	const char *form_version; /* CAMPO_STORE_TEXT_MAX bytes each */
	const char *form_hash;	  /* the form file's content hash */
	const char *enumerator;	  /* NULL or "": the device's enumerator code */
	const char *instance_name; /* NULL: "" */
	/* The device that collected it: NULL or "" for this device; another
	 * device's UUID when an interview moves here (import from a broken
	 * laptop keeps who collected it). */
	const char *device_id;
};

/*
 * Creates a draft interview (audit: started). Idempotent: when the instance
 * id exists with the same form id, version and hash, returns CAMPO_OK and
 * changes nothing; with another form, CAMPO_ERR_CONFLICT.
 */
enum campo_status
campo_store_interview_create(struct campo_store *store,
			     const struct campo_store_new_interview *iv,
			     struct campo_diag *diag);

/*
 * Starts a new revision new_id of the finalized (or sent, returned)
 * interview old_id: a draft of the same form, revision + 1, deprecated_id
 * old_id, with a copy of old's answers and repeats (audit: revised).
 * Idempotent by new_id; CAMPO_ERR_CONFLICT when old_id already has another
 * revision; CAMPO_ERR_INVALID when old_id is a draft or discarded.
 */
enum campo_status campo_store_interview_revise(struct campo_store *store,
					       const char *old_id,
					       const char *new_id,
					       struct campo_diag *diag);

/* Records that the draft was opened again (audit: resumed). */
enum campo_status campo_store_interview_resume(struct campo_store *store,
					       const char *instance_id,
					       struct campo_diag *diag);

/*
 * Moves the draft's position to key (a CAMPO_STORE_KEY_ANY key, or "" for
 * the start), recording question_left for the old position and
 * question_entered for the new one. No-op when already there. The only
 * write that commits without an fsync (synchronous=NORMAL for its
 * transaction): after a power cut the draft may resume one move back,
 * never with an answer missing; the next synced write makes it durable.
 */
enum campo_status campo_store_interview_move(struct campo_store *store,
					     const char *instance_id,
					     const char *key,
					     struct campo_diag *diag);

/* Sets the draft's current language (audit: language_switched, old and new
 * codes). No-op when unchanged. At most CAMPO_STORE_TEXT_MAX bytes. */
enum campo_status campo_store_interview_language_set(struct campo_store *store,
						     const char *instance_id,
						     const char *language,
						     struct campo_diag *diag);

/* Sets the draft's instance name (shown in lists). No-op when unchanged. */
enum campo_status campo_store_interview_name_set(struct campo_store *store,
						 const char *instance_id,
						 const char *name,
						 struct campo_diag *diag);

/*
 * Freezes the draft: content hash over its form identity, answers and
 * repeats; status finalized; finalized times; an outbox entry (audit:
 * finalized). *hash (may be NULL) gets the content hash. Re-applying on an
 * interview that is already finalized (or sent) returns CAMPO_OK with its
 * hash. CAMPO_ERR_INVALID for a discarded interview.
 */
enum campo_status campo_store_interview_finalize(
	struct campo_store *store, const char *instance_id,
	char hash[CAMPO_STORE_HASH_LEN + 1], struct campo_diag *diag);

/*
 * Records that the supervisor sent the finalized (or sent) interview
 * instance_id back for correction: status returned, note (NULL: "", at
 * most CAMPO_STORE_NOTE_MAX bytes of UTF-8, else CAMPO_ERR_LIMIT or
 * CAMPO_ERR_INVALID) kept and shown in its summary (return_note), audit:
 * returned with the note as new_value. Idempotent: returning a returned
 * interview with the same note changes nothing; with another note the
 * note is replaced (audit: returned, old and new notes). The enumerator
 * then corrects it with campo_store_interview_revise(), whose finalize
 * queues the new revision. CAMPO_ERR_NOTFOUND for an unknown interview,
 * CAMPO_ERR_INVALID for a draft or a discarded one.
 */
enum campo_status campo_store_interview_return(struct campo_store *store,
					       const char *instance_id,
					       const char *note,
					       struct campo_diag *diag);

/* Discards the draft: status discarded, answers kept but frozen (audit:
 * discarded). Re-applying is CAMPO_OK; CAMPO_ERR_INVALID when not a draft. */
enum campo_status campo_store_interview_discard(struct campo_store *store,
						const char *instance_id,
						struct campo_diag *diag);

/* ----- answers and repeats ----- */

/*
 * Saves len bytes of value (UTF-8 text in the C locale, no NUL; at most
 * CAMPO_STORE_VALUE_MAX) as the answer at key (a CAMPO_STORE_KEY_ANSWER
 * key whose repeat instances exist) of a draft. value NULL or len 0 clears
 * the answer. In one transaction: the answer, an answer_changed audit row
 * with the old and new values, the interview's updated times. Returns
 * CAMPO_OK only once committed; an unchanged value writes nothing.
 * CAMPO_ERR_INVALID for a bad key, a missing repeat instance, a non-draft
 * interview; CAMPO_ERR_NOTFOUND for an unknown interview.
 */
enum campo_status campo_store_answer_save(struct campo_store *store,
					  const char *instance_id,
					  const char *key, const char *value,
					  size_t len, struct campo_diag *diag);

/*
 * Makes repeat instance key (a CAMPO_STORE_KEY_INSTANCE key such as
 * "member[3]") exist, adding it and any missing earlier siblings (audit:
 * repeat_added for each) even though none of their questions is answered.
 * Its parent instances must exist. Idempotent.
 */
enum campo_status campo_store_repeat_add(struct campo_store *store,
					 const char *instance_id,
					 const char *key,
					 struct campo_diag *diag);

/*
 * Removes repeat instance key ("member[2]") of a repeat that has count
 * instances: its answers (each recorded in the audit with its old value)
 * and nested repeats go, later siblings move up one ("member[3]/age"
 * becomes "member[2]/age"); audit: repeat_removed. When the repeat already
 * has count - 1 instances the removal is taken as applied (re-application
 * after CAMPO_ERR_UNKNOWN) and CAMPO_OK returned; any other count is
 * CAMPO_ERR_CONFLICT. The draft's position is left alone: a position in
 * or after the removed instance is stale until the next move.
 */
enum campo_status campo_store_repeat_remove(struct campo_store *store,
					    const char *instance_id,
					    const char *key, uint32_t count,
					    struct campo_diag *diag);

/* ----- reading ----- */

enum campo_store_event {
	CAMPO_STORE_EV_STARTED,
	CAMPO_STORE_EV_RESUMED,
	CAMPO_STORE_EV_QUESTION_ENTERED,
	CAMPO_STORE_EV_QUESTION_LEFT,
	CAMPO_STORE_EV_ANSWER_CHANGED,
	CAMPO_STORE_EV_LANGUAGE_SWITCHED,
	CAMPO_STORE_EV_REPEAT_ADDED,
	CAMPO_STORE_EV_REPEAT_REMOVED,
	CAMPO_STORE_EV_DISCARDED,
	CAMPO_STORE_EV_FINALIZED,
	CAMPO_STORE_EV_SENT,
	CAMPO_STORE_EV_REVISED,
	CAMPO_STORE_EV_RETURNED, /* new_value: the supervisor's note */
};

/* "answer_changed", ...; static storage; "?" when out of range. */
const char *campo_store_event_name(enum campo_store_event event);

struct campo_store_answer {
	char *key;
	char *value;
};

struct campo_store_repeat {
	char *key; /* the repeat's path, no index of its own: "member" */
	uint32_t count;
};

/* One audit row. old/new_value are NULL when there is none (a cleared
 * answer, a first answer). elapsed_ms is -1 when not measured. */
struct campo_store_audit {
	enum campo_store_event event;
	char *key;
	char *old_value;
	char *new_value;
	char *at;
	int64_t elapsed_ms;
};

/* A whole interview, owned by the caller (campo_store_interview_free()). */
struct campo_store_interview {
	struct campo_store_summary info;
	struct campo_store_answer *answers; /* sorted by key (bytes) */
	size_t n_answers;
	struct campo_store_repeat *repeats; /* sorted by key (bytes) */
	size_t n_repeats;
	struct campo_store_audit *audit; /* oldest first; with GET_AUDIT */
	size_t n_audit;
};

enum campo_store_get_flag {
	CAMPO_STORE_GET_AUDIT = 1u << 0, /* also load the audit trail */
};

/*
 * Loads interview instance_id with its answers and repeats (and audit with
 * CAMPO_STORE_GET_AUDIT) into *out (caller frees with
 * campo_store_interview_free()). CAMPO_ERR_NOTFOUND when there is none.
 */
enum campo_status campo_store_interview_get(struct campo_store *store,
					    const char *instance_id,
					    unsigned flags,
					    struct campo_store_interview **out,
					    struct campo_diag *diag);

/* Frees iv and everything it holds. NULL is fine. */
void campo_store_interview_free(struct campo_store_interview *iv);

/*
 * Called once per row; the row is borrowed for the call. Returning anything
 * but CAMPO_OK stops the walk, and the walk returns that status. The same
 * holds for every callback below. A callback must not use the store: the
 * walk's statement is still running.
 */
typedef enum campo_status
campo_store_summary_fn(void *ctx, const struct campo_store_summary *row);

/*
 * Calls fn for each interview in creation order; status_mask selects
 * statuses (bit 1u << status; 0 for all), form_id (NULL for all) a form.
 */
enum campo_status
campo_store_interview_list(struct campo_store *store, unsigned status_mask,
			   const char *form_id, campo_store_summary_fn *fn,
			   void *ctx, struct campo_diag *diag);

enum campo_store_count_by {
	CAMPO_STORE_BY_ALL,	   /* one row, key "" */
	CAMPO_STORE_BY_ENUMERATOR, /* key: enumerator code */
	CAMPO_STORE_BY_DAY,	   /* key: UTC day the interview started */
	CAMPO_STORE_BY_FORM,	   /* key: form id */
};

/* One row of counts: n[status] interviews with that key. */
typedef enum campo_status
campo_store_count_fn(void *ctx, const char *key,
		     const uint64_t n[CAMPO_STORE_NSTATUS]);

/* Calls fn once per key, in key order (bytes), with counts by status. */
enum campo_status campo_store_count(struct campo_store *store,
				    enum campo_store_count_by by,
				    campo_store_count_fn *fn, void *ctx,
				    struct campo_diag *diag);

/* ----- outbox (campo-syncd) ----- */

/* An interview waiting to be sent; borrowed for the callback. */
struct campo_store_outbox_entry {
	int64_t seq; /* the entry's number, ascending in queue order */
	const char *instance_id;
	const char *batch_id; /* "" until campo_store_outbox_assign() */
	const char *queued_at;
};

typedef enum campo_status
campo_store_outbox_fn(void *ctx, const struct campo_store_outbox_entry *e);

/*
 * Calls fn for up to max (0: no limit) unsent entries, oldest first,
 * including those already assigned to a batch that was not acknowledged
 * (re-send them under the same batch id).
 */
enum campo_status campo_store_outbox_pending(struct campo_store *store,
					     size_t max,
					     campo_store_outbox_fn *fn,
					     void *ctx,
					     struct campo_diag *diag);

/*
 * Puts the n entries seqs into batch batch_id (a UUID), so a retry re-sends
 * the same batch. Idempotent; CAMPO_ERR_CONFLICT when an entry is in another
 * batch or sent, CAMPO_ERR_NOTFOUND when one does not exist.
 */
enum campo_status campo_store_outbox_assign(struct campo_store *store,
					    const char *batch_id,
					    const int64_t *seqs, size_t n,
					    struct campo_diag *diag);

/*
 * Takes the unsent entries of batch batch_id out of it, so they go out again
 * in other batches. Only for a batch the hub is known not to have committed
 * (it refused the body as too large before reading it); a batch whose
 * outcome is unknown must be re-sent under its id. Idempotent.
 */
enum campo_status campo_store_outbox_release(struct campo_store *store,
					     const char *batch_id,
					     struct campo_diag *diag);

/*
 * Marks every entry of batch batch_id sent and their interviews sent (audit:
 * sent), after the hub acknowledged the batch. Idempotent;
 * CAMPO_ERR_NOTFOUND when no entry has that batch id. *marked (may be
 * NULL) gets the number of entries newly marked.
 */
enum campo_status campo_store_outbox_mark_sent(struct campo_store *store,
					       const char *batch_id,
					       size_t *marked,
					       struct campo_diag *diag);

#endif
