/* SPDX-License-Identifier: MIT */
/* What the session's files share: messages and type checks. */
#ifndef CAMPO_COLLECTOR_SESSION_INTERNAL_H
#define CAMPO_COLLECTOR_SESSION_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "form/form.h"
#include "form/value.h"
#include "util/buf.h"

/* Generic messages, in every language of session_msg_text(). */
enum session_msg {
	SESSION_M_REQUIRED,
	SESSION_M_CONSTRAINT,
	SESSION_M_INTEGER,
	SESSION_M_RANGE,
	SESSION_M_DECIMAL,
	SESSION_M_DATE,
	SESSION_M_DATETIME,
	SESSION_M_TIME,
	SESSION_M_CHOICE,
	SESSION_M_DUPLICATE,
	SESSION_M_ACK,
	SESSION_M_TOO_LONG,
	SESSION_M_UTF8,
	SESSION_M_FROZEN,
	SESSION_M_NOT_SAVED,
	SESSION_M_DISK_FULL,
	SESSION_M_NOTHING,
	SESSION_M_NOT_REACHED,
	SESSION_M_MISSING,
	SESSION_M_REMOVE,
	SESSION_M_COUNT_,
	SESSION_M_NONE = SESSION_M_COUNT_, /* no message: accepted */
	SESSION_M_NOMEM,		   /* out of memory */
};

/* The message id in language code lang (English when the table lacks
 * it). Static storage. */
const char *session_msg_text(const char *lang, enum session_msg id);

/* The session's message for a value refused by campo_value_normalize(). */
enum session_msg session_value_msg(enum campo_value_error err);

#endif
