/* SPDX-License-Identifier: MIT */
/* The hub's database: devices, batches, interview revisions, conflicts. */
#ifndef CAMPO_STORE_HUB_H
#define CAMPO_STORE_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/status.h"

/*
 * One SQLite file at the municipal office (WAL, synchronous=FULL, foreign
 * keys on), behind this interface so a server database can come later.
 * Every revision a device sends is kept; an instance id that arrives again
 * with other content is kept too and recorded as a conflict, never
 * overwritten. A whole batch merges in one transaction. A hub handle is
 * used by one thread at a time (campo-hub serialises requests on it).
 */
struct campo_hub;

#define CAMPO_HUB_TOKEN_HASH_LEN 32 /* SHA-256 of a device token */
#define CAMPO_HUB_NAME_MAX 64	    /* bytes of a device name */

/*
 * Opens (creating unless create is false: CAMPO_ERR_NOTFOUND) the hub
 * database at path. *out: caller closes with campo_hub_close().
 * CAMPO_ERR_INVALID for a file that is not a hub database (not SQLite,
 * or another program's SQLite database: no table is ever added to it) or
 * was written by a newer build.
 */
enum campo_status campo_hub_open(const char *path, bool create,
				 struct campo_hub **out,
				 struct campo_diag *diag);

/* Closes the database. NULL is fine. */
void campo_hub_close(struct campo_hub *hub);

/* ----- devices ----- */

/*
 * Adds device name ([A-Za-z0-9_.-], 1 to CAMPO_HUB_NAME_MAX bytes) with
 * the SHA-256 of its token (the token itself is never stored).
 * CAMPO_ERR_CONFLICT when the name exists, CAMPO_ERR_INVALID for a bad
 * name.
 */
enum campo_status
campo_hub_device_add(struct campo_hub *hub, const char *name,
		     const uint8_t token_hash[CAMPO_HUB_TOKEN_HASH_LEN],
		     struct campo_diag *diag);

/* Revokes device name: its token stops working at once. Idempotent;
 * CAMPO_ERR_NOTFOUND when there is no such device. */
enum campo_status campo_hub_device_revoke(struct campo_hub *hub,
					  const char *name,
					  struct campo_diag *diag);

/*
 * Finds the device whose token hashes to token_hash, comparing against
 * every device in constant time per device (no early exit), and records
 * it as seen now. name (CAMPO_HUB_NAME_MAX + 1 bytes) gets its name.
 * CAMPO_ERR_NOTFOUND when no device matches or the one that does is
 * revoked.
 */
enum campo_status
campo_hub_device_auth(struct campo_hub *hub,
		      const uint8_t token_hash[CAMPO_HUB_TOKEN_HASH_LEN],
		      char name[CAMPO_HUB_NAME_MAX + 1],
		      struct campo_diag *diag);

/* One device row; strings borrowed for the callback. last_seen "" when
 * never seen. */
struct campo_hub_device {
	const char *name;
	bool revoked;
	const char *created_at;
	const char *last_seen;
	int64_t batches;
};

typedef enum campo_status campo_hub_device_fn(void *ctx,
					      const struct campo_hub_device *d);

/* Calls fn for each device in name order. */
enum campo_status campo_hub_device_list(struct campo_hub *hub,
					campo_hub_device_fn *fn, void *ctx,
					struct campo_diag *diag);

/* ----- batches ----- */

/* One interview revision of a batch, as decoded (strings borrowed). */
struct campo_hub_revision {
	const char *instance_id;
	const char *deprecated_id; /* "" for an original */
	uint32_t revision;
	const char *device_id; /* the device that collected it */
	const char *form_id;
	const char *form_version;
	const char *content_hash;
	const char *status;
	const char *enumerator;
	const char *started_at;
	const char *finalized_at;
	const char *data_json;	/* the data object, canonical JSON */
	const char *audit_json; /* the audit trail: the wire's JSON array
				 * (docs/wire-format.md), or NULL for none */
};

/* A decoded batch to merge (everything borrowed). */
struct campo_hub_batch {
	const char *batch_id;
	const char *device_name; /* who sent it (the token's device) */
	const char *device_id;	 /* the batch's device_id */
	const char *digest;	 /* campo_wire_batch_digest() */
	const char *body_hash;	 /* SHA-256 of the received bytes */
	const struct campo_hub_revision *revisions;
	size_t n;
};

enum campo_hub_outcome {
	CAMPO_HUB_NEW,	     /* a revision the hub did not have */
	CAMPO_HUB_DUPLICATE, /* the same instance id and content hash */
	CAMPO_HUB_CONFLICT,  /* kept, and recorded for a person to settle:
			      * the same instance id with other content, or
			      * a fork (its deprecated_id is already
			      * replaced by another stored revision) */
};

/*
 * Writes the acknowledgement for a batch whose revisions had outcomes
 * (n of them, in batch order) into *ack (malloc'd; the merge frees it).
 * Called inside the merge's transaction, so the acknowledgement is stored
 * with the merge. Returns CAMPO_OK or a failure that rolls it back.
 */
typedef enum campo_status
campo_hub_ack_fn(void *ctx, const enum campo_hub_outcome *outcomes, size_t n,
		 char **ack);

/*
 * Merges batch b in one transaction and sets *ack (caller frees with
 * free()) to its acknowledgement:
 *  - a batch id not seen before: each revision is new, a duplicate or a
 *    conflict; ack_fn writes the acknowledgement, which is stored; *repeat
 *    false.
 *  - a batch id seen before with the same digest: nothing changes, *ack
 *    is the stored acknowledgement, *repeat true.
 *  - a batch id seen before with another digest: CAMPO_ERR_CONFLICT,
 *    nothing changes.
 * On any failure nothing is committed (*ack NULL).
 */
enum campo_status campo_hub_batch_merge(struct campo_hub *hub,
					const struct campo_hub_batch *b,
					campo_hub_ack_fn *ack_fn, void *ctx,
					char **ack, bool *repeat,
					struct campo_diag *diag);

/* One stored revision, as campo_hub_revision_list() reads it back
 * (strings borrowed for the callback; rev.audit_json NULL when none was
 * stored). */
struct campo_hub_stored {
	struct campo_hub_revision rev;
	const char *batch_id;	 /* the batch that first brought it */
	const char *received_at; /* when the hub stored it */
	bool conflict;		 /* recorded as a conflict */
};

typedef enum campo_status campo_hub_stored_fn(void *ctx,
					      const struct campo_hub_stored *r);

/* Calls fn for each stored revision of instance_id, oldest first (a
 * conflict keeps every revision: the first one is never overwritten).
 * A status other than CAMPO_OK from fn stops the walk and is returned. */
enum campo_status campo_hub_revision_list(struct campo_hub *hub,
					  const char *instance_id,
					  campo_hub_stored_fn *fn, void *ctx,
					  struct campo_diag *diag);

/* Counts for tests and the supervisor: batches, revisions, distinct
 * interviews, open conflicts. Any pointer may be NULL. */
enum campo_status campo_hub_counts(struct campo_hub *hub, int64_t *batches,
				   int64_t *revisions, int64_t *interviews,
				   int64_t *conflicts, struct campo_diag *diag);

/* ----- reading for reports (lib/store/hub-report.c) ----- */

#define CAMPO_HUB_FIELD_MAX 128 /* bytes of a question name to report on */

/*
 * The latest revision of one interview, as campo_hub_latest_list() reads
 * it (strings borrowed for the callback). An interview is a chain of
 * revisions, each naming the one it replaces (deprecated_id); its latest
 * is the stored revision that no other replaces. When one instance id
 * was stored twice (a conflict) the first stored counts; when two
 * revisions replace the same one (a fork) the first stored counts. Both
 * are flagged conflict while a conflict is open.
 */
struct campo_hub_latest {
	const char *form_id;
	const char *enumerator;
	const char *day;   /* YYYY-MM-DD of finalized_at (device clock) */
	const char *area;  /* the answer to area_field, "" when none */
	const char *visit; /* the answer to visit_field, "" when none */
	int64_t row;	   /* the hub's id of the revision */
	bool conflict;
	bool returned;	  /* a supervisor returned it (a queued return) */
	bool resubmitted; /* it corrects a returned revision */
};

typedef enum campo_status campo_hub_latest_fn(void *ctx,
					      const struct campo_hub_latest *r);

/*
 * Calls fn for the latest revision of every interview (in no set order).
 * area_field and visit_field are question names ([A-Za-z_][A-Za-z0-9_.-]*,
 * at most CAMPO_HUB_FIELD_MAX bytes; CAMPO_ERR_INVALID otherwise) whose
 * answers are looked up outside repeats, in any group; NULL for none (the
 * answer is then ""). Answers are indexed the first time a field is asked
 * for and then only for revisions stored since, so this may write to the
 * database (CAMPO_ERR_INVALID inside a caller's transaction; without
 * fields it may be called in one). A status other than CAMPO_OK from fn
 * stops the walk and is returned.
 */
enum campo_status campo_hub_latest_list(struct campo_hub *hub,
					const char *area_field,
					const char *visit_field,
					campo_hub_latest_fn *fn, void *ctx,
					struct campo_diag *diag);

/*
 * Calls fn for every stored revision, oldest first (all), or only for the
 * latest revision of each interview (campo_hub_latest_list()'s rule), in
 * one read transaction; one revision is in memory at a time. r->conflict
 * is the revision's own flag, or for a latest revision also an open
 * conflict on its instance id or a fork. A status other than CAMPO_OK
 * from fn stops the walk and is returned.
 */
enum campo_status campo_hub_export_list(struct campo_hub *hub, bool all,
					campo_hub_stored_fn *fn, void *ctx,
					struct campo_diag *diag);

/* One device and what it sent (strings borrowed for the callback;
 * last_seen and last_batch "" when never). */
struct campo_hub_activity {
	const char *name;
	bool revoked;
	const char *last_seen;	/* last authenticated request */
	const char *last_batch; /* when its last batch was received */
	int64_t batches;
	int64_t interviews; /* revisions stored from its batches */
};

typedef enum campo_status
campo_hub_activity_fn(void *ctx, const struct campo_hub_activity *a);

/* Calls fn for each device, in name order. */
enum campo_status campo_hub_activity_list(struct campo_hub *hub,
					  campo_hub_activity_fn *fn, void *ctx,
					  struct campo_diag *diag);

/* One target: expected households in area, for enumerator ("" for the
 * whole area). Strings borrowed. */
struct campo_hub_target {
	const char *area;
	const char *enumerator;
	int64_t expected;
};

typedef enum campo_status campo_hub_target_fn(void *ctx,
					      const struct campo_hub_target *t);

/*
 * Replaces every target with the n targets t (area non-empty, expected
 * 0 or more; CAMPO_ERR_INVALID otherwise, CAMPO_ERR_CONFLICT for an
 * (area, enumerator) pair given twice), in one transaction.
 */
enum campo_status campo_hub_targets_replace(struct campo_hub *hub,
					    const struct campo_hub_target *t,
					    size_t n, struct campo_diag *diag);

/* Calls fn for each target, by area then enumerator. */
enum campo_status campo_hub_target_list(struct campo_hub *hub,
					campo_hub_target_fn *fn, void *ctx,
					struct campo_diag *diag);

/* ----- messages to devices (docs/wire-format.md) ----- */

#define CAMPO_HUB_NOTE_MAX 4096 /* bytes of a return's note */

/*
 * Queues a return of interview instance_id with note (UTF-8, at most
 * CAMPO_HUB_NOTE_MAX bytes: CAMPO_ERR_LIMIT) for the device whose batch
 * brought its latest stored revision, from supervisor (a name, for the
 * record). The same return (instance id and note) again queues nothing
 * and gives the first one's seq. *seq (may be NULL) gets the message's
 * seq. CAMPO_ERR_NOTFOUND for an instance id the hub does not have,
 * CAMPO_ERR_CONFLICT when a later revision already replaces it,
 * CAMPO_ERR_INVALID for something that is not "uuid:..." or a note that
 * is not UTF-8.
 */
enum campo_status campo_hub_return(struct campo_hub *hub,
				   const char *instance_id, const char *note,
				   const char *supervisor, int64_t *seq,
				   struct campo_diag *diag);

/* One message to a device (strings borrowed for the callback). */
struct campo_hub_message {
	int64_t seq;
	const char *type; /* "return" */
	const char *instance_id;
	const char *note;
	const char *at; /* YYYY-MM-DDTHH:MM:SS.mmmZ, UTC */
};

typedef enum campo_status
campo_hub_message_fn(void *ctx, const struct campo_hub_message *m);

/* Calls fn for at most max messages to device with seq > after, in
 * ascending seq. A status other than CAMPO_OK from fn stops the walk and
 * is returned. */
enum campo_status campo_hub_messages(struct campo_hub *hub, const char *device,
				     int64_t after, size_t max,
				     campo_hub_message_fn *fn, void *ctx,
				     struct campo_diag *diag);

/* One of the latest revisions received, for the page (strings borrowed
 * for the callback). */
struct campo_hub_recent {
	const char *instance_id;
	const char *form_id;
	const char *enumerator;
	const char *finalized_at;
	const char *device; /* the device whose batch brought it */
	bool returned;	    /* a return is queued for it */
};

typedef enum campo_status campo_hub_recent_fn(void *ctx,
					      const struct campo_hub_recent *r);

/* Calls fn for the max most recently received revisions that no other
 * replaces, newest first. */
enum campo_status campo_hub_recent_list(struct campo_hub *hub, size_t max,
					campo_hub_recent_fn *fn, void *ctx,
					struct campo_diag *diag);

/* ----- supervisors and their sessions ----- */

#define CAMPO_HUB_SALT_LEN 16
#define CAMPO_HUB_KEY_LEN 32 /* a derived password key; a session hash */

/* A supervisor's stored password: salt, derived key and iterations (the
 * key derivation is the caller's: hub/password.c). */
struct campo_hub_password {
	uint8_t salt[CAMPO_HUB_SALT_LEN];
	uint8_t key[CAMPO_HUB_KEY_LEN];
	uint32_t iterations;
};

/*
 * Adds supervisor name (the rule of device names) with password pw, or
 * with replace sets the password of an existing one (and ends its
 * sessions). CAMPO_ERR_CONFLICT when name exists and !replace,
 * CAMPO_ERR_NOTFOUND when it does not and replace, CAMPO_ERR_INVALID for
 * a bad name.
 */
enum campo_status campo_hub_supervisor_set(struct campo_hub *hub,
					   const char *name,
					   const struct campo_hub_password *pw,
					   bool replace,
					   struct campo_diag *diag);

/* Reads supervisor name's stored password into *pw; CAMPO_ERR_NOTFOUND
 * when there is no such supervisor. */
enum campo_status campo_hub_supervisor_get(struct campo_hub *hub,
					   const char *name,
					   struct campo_hub_password *pw,
					   struct campo_diag *diag);

/*
 * Stores a session for supervisor name: the SHA-256 of its random token
 * (the token is never stored), valid until expires (Unix seconds).
 * Sessions expired by now are removed on the way.
 */
enum campo_status
campo_hub_session_add(struct campo_hub *hub,
		      const uint8_t token_hash[CAMPO_HUB_KEY_LEN],
		      const char *name, int64_t expires, int64_t now,
		      struct campo_diag *diag);

/* Finds the session token_hash valid at now (Unix seconds) and writes its
 * supervisor into name. CAMPO_ERR_NOTFOUND when absent or expired. */
enum campo_status
campo_hub_session_find(struct campo_hub *hub,
		       const uint8_t token_hash[CAMPO_HUB_KEY_LEN], int64_t now,
		       char name[CAMPO_HUB_NAME_MAX + 1],
		       struct campo_diag *diag);

/* Ends session token_hash (signing out). Idempotent. */
enum campo_status
campo_hub_session_remove(struct campo_hub *hub,
			 const uint8_t token_hash[CAMPO_HUB_KEY_LEN],
			 struct campo_diag *diag);

#endif
