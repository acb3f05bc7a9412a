/* SPDX-License-Identifier: MIT */
/* The sync batch format both ends speak: encode, gzip, decode within caps. */
#ifndef CAMPO_WIRE_WIRE_H
#define CAMPO_WIRE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/status.h"

/*
 * docs/wire-format.md is the specification; this header is its C face.
 *
 * A batch is one JSON document ("format": "campo-batch/1"), gzip-compressed
 * (RFC 1952, one member), carrying a batch UUID, the sending device, its
 * creation time and a list of frozen interviews, each with its answers (in
 * the interchange format's nesting, docs/interchange.md), repeats, audit
 * trail and content hash. The hub answers with an acknowledgement
 * ("format": "campo-ack/1").
 *
 * lib/wire sits beside lib/store: it includes neither store/ nor report/.
 * Building a batch from a device database is campo_report_batch_build()
 * (lib/report/report.h), which fills these plain structs from the store.
 *
 * Decoding is strict and bounded: every cap in struct campo_wire_limits is
 * checked before the memory it guards is allocated (the gzip bomb stops
 * while inflating), unknown keys, duplicate keys and wrong types are
 * refused, and every failure has its own status and message:
 *   CAMPO_ERR_LIMIT    a cap was passed (compressed size, inflated size,
 *                      inflate ratio, records, answers, audit rows, string
 *                      length, nesting depth)
 *   CAMPO_ERR_PARSE    not gzip, gzip cut short or corrupt, not JSON
 *   CAMPO_ERR_INVALID  JSON that breaks the schema (unknown or missing key,
 *                      wrong type, bad id, time or hash, unknown format
 *                      version, a content hash that does not match)
 *   CAMPO_ERR_NOMEM    out of memory
 */

#define CAMPO_WIRE_FORMAT "campo-batch/1"
#define CAMPO_WIRE_ACK_FORMAT "campo-ack/1"
#define CAMPO_WIRE_MEDIA_TYPE "application/vnd.campo.batch+json"

#define CAMPO_WIRE_ID_LEN 41   /* "uuid:" + 36: an instance id */
#define CAMPO_WIRE_TIME_LEN 24 /* "2024-05-01T12:34:56.789Z" */
#define CAMPO_WIRE_HASH_LEN 71 /* "sha256:" + 64 lowercase hex */

/* Default caps (docs/wire-format.md, "Caps"). */
#define CAMPO_WIRE_COMPRESSED_MAX (8u << 20) /* bytes of gzip */
#define CAMPO_WIRE_INFLATED_MAX (64u << 20)  /* bytes of JSON */
#define CAMPO_WIRE_RATIO_MAX 100u	     /* inflated : compressed */
#define CAMPO_WIRE_RATIO_FLOOR                                         \
	(256u << 10)		      /* inflated bytes always allowed \
				       */
#define CAMPO_WIRE_RECORDS_MAX 1000u  /* interviews per batch */
#define CAMPO_WIRE_ANSWERS_MAX 20000u /* answers + repeats per interview */
#define CAMPO_WIRE_AUDIT_MAX 100000u  /* audit rows per interview */
#define CAMPO_WIRE_STRING_MAX 65536u  /* bytes of any one string */
#define CAMPO_WIRE_DEPTH_MAX 32u      /* JSON nesting, root object = 1 */

/*
 * The caps a decoder enforces. Fill with campo_wire_limits_default() and
 * lower what you need; a field left 0 means the default.
 */
struct campo_wire_limits {
	size_t compressed_max;
	size_t inflated_max;
	size_t ratio_max; /* inflated bytes may not pass ratio_max times the */
	size_t ratio_floor; /* compressed bytes, once past ratio_floor bytes */
	size_t records_max;
	size_t answers_max;
	size_t audit_max;
	size_t string_max;
	size_t depth_max;
};

/* Fills lim with the defaults above. */
void campo_wire_limits_default(struct campo_wire_limits *lim);

/* One answer: key as in lib/store ("household/member[2]/age"), value the
 * stored text (UTF-8, no NUL). */
struct campo_wire_answer {
	char *key;
	char *value;
};

/* One repeat: key is the repeat's path without an index of its own
 * ("household/member"), count its instances (0 allowed). */
struct campo_wire_repeat {
	char *key;
	uint32_t count;
};

/* One audit row. event is the store's event name ("answer_changed"); key,
 * old_value, new_value may be NULL (none); elapsed_ms -1 when not measured.
 */
struct campo_wire_audit {
	char *event;
	char *key;
	char *old_value;
	char *new_value;
	char *at;
	int64_t elapsed_ms;
};

/*
 * One frozen interview. Every string is owned by the struct (freed by
 * campo_wire_interview_release()) and never NULL after decoding ("" when
 * absent). answers and repeats are sorted by key (bytes), without
 * duplicates; decoding sorts them.
 */
struct campo_wire_interview {
	char *instance_id;   /* "uuid:" + UUID */
	char *deprecated_id; /* the revision this one replaces, or "" */
	uint32_t revision;   /* 1 for an original */
	char *form_id;
	char *form_version;
	char *form_hash;
	char *enumerator;
	char *device_id; /* the device that collected it */
	char *status;	 /* "finalized", "sent" or "returned" */
	char *instance_name;
	char *language;
	char *started_at;
	char *finalized_at;
	int64_t finalized_ms; /* monotonic ms since start (store.h) */
	char *content_hash;   /* "sha256:..." as lib/store computes it */
	struct campo_wire_answer *answers;
	size_t n_answers;
	struct campo_wire_repeat *repeats;
	size_t n_repeats;
	struct campo_wire_audit *audit; /* oldest first */
	size_t n_audit;
};

/* A batch. Owns everything it points to (campo_wire_batch_free()). */
struct campo_wire_batch {
	char *batch_id;	  /* UUID v4, no "uuid:" prefix */
	char *device_id;  /* UUID of the sending device */
	char *created_at; /* when the batch was first built, UTC */
	struct campo_wire_interview *interviews;
	size_t n_interviews;
};

/* Frees the strings and arrays of iv and zeroes it. NULL is fine. */
void campo_wire_interview_release(struct campo_wire_interview *iv);

/* Frees b and everything it owns. NULL is fine. */
void campo_wire_batch_free(struct campo_wire_batch *b);

/*
 * Computes the content hash of iv exactly as lib/store does when it
 * finalizes (over the identity fields, answers and repeats; not the audit
 * trail, times or status) into out: "sha256:" + 64 hex and a NUL.
 * iv->answers and iv->repeats must be sorted by key.
 */
void campo_wire_content_hash(const struct campo_wire_interview *iv,
			     char out[CAMPO_WIRE_HASH_LEN + 1]);

/*
 * The batch digest the hub uses to tell "the same batch again" from "the
 * same batch id with other content": SHA-256 over the batch id, the device
 * id and each interview's instance id and content hash, sorted by instance
 * id. Rebuilding a batch (a new created_at, another gzip level, the same
 * interviews) keeps its digest. Writes "sha256:" + 64 hex and a NUL.
 */
enum campo_status campo_wire_batch_digest(const struct campo_wire_batch *b,
					  char out[CAMPO_WIRE_HASH_LEN + 1]);

/*
 * Appends the data object of iv (the interchange nesting, built from the
 * keys: groups are objects, repeats arrays of instance objects, members
 * sorted by name) to out, as canonical JSON without a newline.
 */
enum campo_status campo_wire_data_json(const struct campo_wire_interview *iv,
				       struct campo_buf *out,
				       struct campo_diag *diag);

/*
 * Appends the batch's JSON document (canonical, no newline) to out.
 * Refuses (CAMPO_ERR_INVALID, with a message) a batch that its own decoder
 * would refuse: bad ids, a bad key, unsorted or duplicate answers.
 */
enum campo_status campo_wire_batch_json(const struct campo_wire_batch *b,
					struct campo_buf *out,
					struct campo_diag *diag);

/*
 * Encodes b as JSON and gzips it (level 1-9; 0 means 6) into out, which
 * is emptied first. out's cap (campo_buf_init()'s max) bounds the
 * compressed size: a batch that does not fit returns CAMPO_ERR_LIMIT with
 * out empty, so a sender can split it. The JSON is built in a buffer of at
 * most CAMPO_WIRE_INFLATED_MAX bytes.
 */
enum campo_status campo_wire_batch_encode(const struct campo_wire_batch *b,
					  int level, struct campo_buf *out,
					  struct campo_diag *diag);

/*
 * Decodes len bytes of gzip at gz into *out (caller frees with
 * campo_wire_batch_free()) within lim (NULL: the defaults). Checks, in this
 * order: compressed size; gzip while inflating, stopping as soon as the
 * inflated size or ratio passes its cap; then the JSON (depth and string
 * lengths are checked by a scan before the parser allocates); then the
 * schema, the records and per-interview counts, and each interview's
 * content hash. On failure *out is NULL and diag says why (diag->path
 * names the place: "interviews[3].data.member[2].age").
 */
enum campo_status campo_wire_batch_decode(const void *gz, size_t len,
					  const struct campo_wire_limits *lim,
					  struct campo_wire_batch **out,
					  struct campo_diag *diag);

/* As campo_wire_batch_decode() for len bytes of JSON that is not gzipped
 * (a test's or a tool's input); the JSON caps apply. */
enum campo_status campo_wire_batch_parse(const char *json, size_t len,
					 const struct campo_wire_limits *lim,
					 struct campo_wire_batch **out,
					 struct campo_diag *diag);

/*
 * gzip (one member, level 1-9; 0 means 6) len bytes of in, appending to out
 * within its cap (CAMPO_ERR_LIMIT otherwise, out left as it was).
 */
enum campo_status campo_wire_gzip(const void *in, size_t len, int level,
				  struct campo_buf *out,
				  struct campo_diag *diag);

/*
 * Inflates one gzip member of len bytes, appending to out, within lim's
 * compressed, inflated and ratio caps (NULL: defaults). Trailing bytes
 * after the member, a second member, a cut or corrupt stream are
 * CAMPO_ERR_PARSE.
 */
enum campo_status campo_wire_gunzip(const void *in, size_t len,
				    const struct campo_wire_limits *lim,
				    struct campo_buf *out,
				    struct campo_diag *diag);

/* ----- the acknowledgement ----- */

/*
 * The hub's answer to a batch. Every interview of the batch is in exactly
 * one of new, duplicate and conflict (instance ids); all three mean the
 * hub has it and the device may mark it sent. messages is reserved for the
 * hub to talk back to the device (campo-ack/1 always sends []; a decoder
 * counts the entries, which must be objects, and ignores them).
 */
struct campo_wire_ack {
	char *batch_id;
	char *received_at;
	char **new_ids;
	size_t n_new;
	char **duplicate_ids;
	size_t n_duplicate;
	char **conflict_ids;
	size_t n_conflict;
	size_t n_messages;
};

/* Frees the contents of ack and zeroes it. NULL is fine. */
void campo_wire_ack_release(struct campo_wire_ack *ack);

/* Appends the acknowledgement JSON (one object, no newline) to out. */
enum campo_status campo_wire_ack_json(const struct campo_wire_ack *ack,
				      struct campo_buf *out);

/*
 * Parses len bytes of an acknowledgement into ack (zeroed first; release
 * with campo_wire_ack_release()), strictly: "format" must be
 * "campo-ack/1", no unknown keys, every id a string. A captive portal's
 * HTML page is CAMPO_ERR_PARSE. The caller checks that ack->batch_id is
 * the batch it sent. At most CAMPO_WIRE_RECORDS_MAX ids per list and 64 KiB
 * of input.
 */
enum campo_status campo_wire_ack_parse(const char *p, size_t len,
				       struct campo_wire_ack *ack,
				       struct campo_diag *diag);

/* ----- messages to a device ----- */

#define CAMPO_WIRE_MESSAGES_FORMAT "campo-messages/1"
#define CAMPO_WIRE_MESSAGES_MAX 100u	     /* messages in one reply */
#define CAMPO_WIRE_MESSAGES_BYTES (1u << 20) /* bytes of one reply */
#define CAMPO_WIRE_NOTE_MAX 4096u	     /* bytes of a note */
#define CAMPO_WIRE_MESSAGE_RETURN "return"

/*
 * One message from the hub (docs/wire-format.md, "Messages to a device").
 * type is the message's kind; for "return" (CAMPO_WIRE_MESSAGE_RETURN)
 * instance_id, note (UTF-8, may be "") and at are set, for any other type
 * they are NULL and the device skips the message.
 */
struct campo_wire_message {
	int64_t seq; /* ascending within a reply, > the after asked for */
	char *type;
	char *instance_id;
	char *note;
	char *at;
};

/* A reply's messages, owned (campo_wire_messages_release()). */
struct campo_wire_messages {
	struct campo_wire_message *items;
	size_t n;
};

/* Frees the contents of m and zeroes it. NULL is fine. */
void campo_wire_messages_release(struct campo_wire_messages *m);

/*
 * Parses len bytes of a GET /api/v1/messages?after=AFTER reply into out
 * (zeroed first; release with campo_wire_messages_release()), all or
 * nothing: "format" must be "campo-messages/1", no other key but
 * "messages", at most CAMPO_WIRE_MESSAGES_MAX messages in at most
 * CAMPO_WIRE_MESSAGES_BYTES bytes, each seq a positive integer greater
 * than after and than the one before it; a return message has exactly
 * seq, type, instance_id ("uuid:" + UUID), note (at most
 * CAMPO_WIRE_NOTE_MAX bytes of UTF-8) and at (UTC time); a message of
 * another type needs only seq and type. CAMPO_ERR_PARSE for something that
 * is not a JSON object (a portal's page), CAMPO_ERR_INVALID for the
 * schema, CAMPO_ERR_LIMIT for the caps; diag says which message.
 */
enum campo_status campo_wire_messages_parse(const char *p, size_t len,
					    int64_t after,
					    struct campo_wire_messages *out,
					    struct campo_diag *diag);

#endif
